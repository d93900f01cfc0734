//! Calendar dates (UTC, no time of day) and the build's notion of "now".
//!
//! Awards are issued and expire on whole days; an award expires at 00:00 UTC
//! of its `expires_on` date, the same instant the Open Badges JSON states.
//! Kept dependency-free: civil-date arithmetic is a few lines.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

impl Date {
    /// Parses `YYYY-MM-DD`, rejecting impossible days such as 2026-02-30.
    pub fn parse(s: &str) -> Option<Date> {
        Date::parse_explained(s).ok()
    }

    /// A date `field` written as `value` (in YAML, a CSV column or an
    /// option), or what every place that reads one says about it: the
    /// message and the help, why that day does not exist or what to write.
    pub fn parse_field(field: &str, value: &str) -> Result<Date, (String, String)> {
        Date::parse_explained(value.trim())
            .map_err(|why| (format!("`{field}` is not a valid date: `{value}`"), why))
    }

    /// Parses `YYYY-MM-DD`; when that fails, says why in words a user can
    /// act on ("February 2025 has 28 days"), not just the expected form.
    pub fn parse_explained(s: &str) -> Result<Date, String> {
        let shape = || "write a calendar date as YYYY-MM-DD, e.g. 2026-01-15".to_string();
        let b = s.as_bytes();
        if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
            return Err(shape());
        }
        let num = |r: std::ops::Range<usize>| -> Option<u32> {
            let part = &s[r];
            part.bytes()
                .all(|c| c.is_ascii_digit())
                .then(|| part.parse().ok())?
        };
        let (Some(year), Some(month), Some(day)) = (num(0..4), num(5..7), num(8..10)) else {
            return Err(shape());
        };
        let date = Date {
            year: year as i32,
            month,
            day,
        };
        date.why_impossible().map_or(Ok(date), Err)
    }

    /// For a date with the right shape but no such day, what is wrong.
    fn why_impossible(self) -> Option<String> {
        let Date { year, month, day } = self;
        if !(1..=12).contains(&month) {
            return Some(format!(
                "there is no month {month:02}: months run from 01 (January) to 12 (December)"
            ));
        }
        let last = days_in_month(year, month);
        let name = MONTHS[month as usize - 1];
        if day == 0 {
            return Some(format!(
                "days start at 01: write {year:04}-{month:02}-01 for the first of {name}"
            ));
        }
        if day <= last {
            return None;
        }
        Some(if month == 2 {
            let leap = if last == 29 {
                "a leap year"
            } else {
                "not a leap year"
            };
            format!("February {year} has {last} days ({year} is {leap})")
        } else {
            format!("{name} has {last} days")
        })
    }

    /// Days since 1970-01-01 (negative before).
    pub fn days_since_epoch(self) -> i64 {
        // Howard Hinnant's days_from_civil.
        let y = i64::from(self.year) - i64::from(self.month <= 2);
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = i64::from(self.month);
        let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(self.day) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days_since_epoch(days: i64) -> Date {
        let z = days + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + i64::from(month <= 2)) as i32;
        Date { year, month, day }
    }

    /// Adds a validity period; a day that does not exist in the target month
    /// (31 January + 1 month) clamps to the month's last day.
    // Named like `Add::add` on purpose: `issued_on.add(validity)` reads as
    // the rule it is, and a date plus a period is not a general addition.
    #[allow(clippy::should_implement_trait)]
    pub fn add(self, period: Period) -> Date {
        match period {
            Period::Days(n) => Date::from_days_since_epoch(self.days_since_epoch() + i64::from(n)),
            Period::Months(n) => self.add_months(n),
            Period::Years(n) => self.add_months(n * 12),
        }
    }

    fn add_months(self, n: u32) -> Date {
        let total = self.year as i64 * 12 + i64::from(self.month - 1) + i64::from(n);
        let year = total.div_euclid(12) as i32;
        let month = total.rem_euclid(12) as u32 + 1;
        Date {
            year,
            month,
            day: self.day.min(days_in_month(year, month)),
        }
    }

    /// `YYYY-MM-DDT00:00:00Z`, the form Open Badges wants.
    pub fn to_datetime(self) -> String {
        format!("{self}T00:00:00Z")
    }

    /// Today in UTC at `epoch_seconds`.
    pub fn from_unix(epoch_seconds: i64) -> Date {
        Date::from_days_since_epoch(epoch_seconds.div_euclid(86_400))
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        _ if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        _ => 28,
    }
}

/// A badge's validity: `1y`, `18m`, `90d`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Years(u32),
    Months(u32),
    Days(u32),
}

impl Period {
    pub fn parse(s: &str) -> Option<Period> {
        let s = s.trim();
        let (n, unit) = s.split_at(s.len().checked_sub(1)?);
        let n: u32 = n.parse().ok().filter(|n| *n > 0 && *n <= 100 * 366)?;
        match unit {
            "y" => Some(Period::Years(n)),
            "m" => Some(Period::Months(n)),
            "d" => Some(Period::Days(n)),
            _ => None,
        }
    }
}

/// `YYYY-MM-DDTHH:MM:SSZ` of seconds since 1970.
pub fn timestamp(epoch: i64) -> String {
    let secs = epoch.rem_euclid(86_400);
    format!(
        "{}T{:02}:{:02}:{:02}Z",
        Date::from_unix(epoch),
        secs / 3600,
        secs / 60 % 60,
        secs % 60
    )
}

/// The seconds of a [`timestamp`].
pub fn parse_timestamp(s: &str) -> Option<i64> {
    let (day, time) = s.strip_suffix('Z')?.split_once('T')?;
    let day = Date::parse(day)?;
    let mut hms = time.split(':').map(|p| p.parse::<i64>().ok());
    let (h, m, sec) = (hms.next()??, hms.next()??, hms.next()??);
    ((0..24).contains(&h) && (0..60).contains(&m) && (0..60).contains(&sec))
        .then(|| day.days_since_epoch() * 86_400 + h * 3600 + m * 60 + sec)
}

/// The build's "now": `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// else the system clock. Returns the seconds and where they came from.
pub fn now_epoch() -> Result<i64, String> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(v) => v.trim().parse::<i64>().map_err(|_| {
            format!("SOURCE_DATE_EPOCH must be a number of seconds since 1970, found `{v}`")
        }),
        Err(_) => Ok(std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_secs() as i64)
            .unwrap_or(0)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_round_trip() {
        for t in [0, 1_793_491_200, 1_793_491_200 + 3 * 3600 + 25 * 60 + 7] {
            assert_eq!(parse_timestamp(&timestamp(t)), Some(t), "{}", timestamp(t));
        }
        assert_eq!(timestamp(1_793_491_200 + 3725), "2026-11-01T01:02:05Z");
        assert_eq!(timestamp(1_768_435_200 + 3_723), "2026-01-15T01:02:03Z");
        assert_eq!(timestamp(0), "1970-01-01T00:00:00Z");
        assert_eq!(parse_timestamp("2026-11-01T24:00:00Z"), None);
    }

    #[test]
    fn parses_and_rejects() {
        assert_eq!(
            Date::parse("2026-01-15"),
            Some(Date {
                year: 2026,
                month: 1,
                day: 15
            })
        );
        assert_eq!(Date::parse("2024-02-29").map(|d| d.day), Some(29));
        assert_eq!(Date::parse("2026-02-29"), None);
        assert_eq!(Date::parse("2026-13-01"), None);
        assert_eq!(Date::parse("26-01-15"), None);
        assert_eq!(Date::parse("2026-1-15x"), None);
    }

    #[test]
    fn says_why_a_date_is_impossible() {
        let why = |s: &str| Date::parse_explained(s).unwrap_err();
        assert_eq!(
            why("2025-02-30"),
            "February 2025 has 28 days (2025 is not a leap year)"
        );
        assert_eq!(
            why("2024-02-30"),
            "February 2024 has 29 days (2024 is a leap year)"
        );
        assert_eq!(why("2026-04-31"), "April has 30 days");
        assert!(
            why("2026-13-01").starts_with("there is no month 13"),
            "{}",
            why("2026-13-01")
        );
        assert!(why("2026-00-10").starts_with("there is no month 00"));
        assert!(
            why("2026-03-00").starts_with("days start at 01"),
            "{}",
            why("2026-03-00")
        );
        assert!(why("15/01/2026").starts_with("write a calendar date as YYYY-MM-DD"));
        assert!(Date::parse_explained("2024-02-29").is_ok());
    }

    #[test]
    fn epoch_round_trip() {
        for s in ["1970-01-01", "2000-02-29", "2026-12-31", "1969-07-20"] {
            let d = Date::parse(s).unwrap();
            assert_eq!(Date::from_days_since_epoch(d.days_since_epoch()), d);
        }
        assert_eq!(Date::parse("1970-01-02").unwrap().days_since_epoch(), 1);
        assert_eq!(Date::from_unix(1_768_435_200).to_string(), "2026-01-15");
    }

    #[test]
    fn adds_periods_with_clamping() {
        let d = Date::parse("2024-02-29").unwrap();
        assert_eq!(d.add(Period::Years(1)).to_string(), "2025-02-28");
        assert_eq!(
            Date::parse("2026-01-31")
                .unwrap()
                .add(Period::Months(1))
                .to_string(),
            "2026-02-28"
        );
        assert_eq!(
            Date::parse("2026-12-30")
                .unwrap()
                .add(Period::Days(3))
                .to_string(),
            "2027-01-02"
        );
        assert_eq!(Period::parse("2y"), Some(Period::Years(2)));
        assert_eq!(Period::parse("0y"), None);
        assert_eq!(Period::parse("1w"), None);
    }
}
