//! Labour-market insights (`content/insights/*.yaml`): each block names a
//! skill the badges list or a badge, its source and date, salary ranges by
//! region and employers hiring. Checked like every content file: every
//! problem located, all in one run; data older than `insights.stale_after`
//! (default 18 months) is a warning.

use std::path::Path;

use super::{Resolver, is_absolute_url};
use crate::content::{InsightFile, SalaryFile, pos};
use crate::dates::{Date, Period};
use crate::diagnostics::suggest;
use crate::site::*;

/// ISO 4217 codes of the currencies in use (the standard's list of active
/// codes, without funds and precious metals).
const CURRENCIES: &str = "AED AFN ALL AMD ANG AOA ARS AUD AWG AZN BAM BBD BDT BGN BHD BIF BMD BND BOB BRL BSD BTN BWP BYN BZD CAD CDF CHF CLP CNY COP CRC CUP CVE CZK DJF DKK DOP DZD EGP ERN ETB EUR FJD FKP GBP GEL GHS GIP GMD GNF GTQ GYD HKD HNL HTG HUF IDR ILS INR IQD IRR ISK JMD JOD JPY KES KGS KHR KMF KPW KRW KWD KYD KZT LAK LBP LKR LRD LSL LYD MAD MDL MGA MKD MMK MNT MOP MRU MUR MVR MWK MXN MYR MZN NAD NGN NIO NOK NPR NZD OMR PAB PEN PGK PHP PKR PLN PYG QAR RON RSD RUB RWF SAR SBD SCR SDG SEK SGD SHP SLE SOS SRD SSP STN SVC SYP SZL THB TJS TMT TND TOP TRY TTD TWD TZS UAH UGX USD UYU UZS VED VES VND VUV WST XAF XCD XCG XOF XPF YER ZAR ZMW ZWG";

impl Resolver<'_> {
    pub(super) fn insights(
        &mut self,
        badges: &[Badge],
        now: Date,
        languages: &[String],
    ) -> Vec<Insight> {
        let c = self.content;
        let stale_after = self.stale_after();
        let default = languages.first().map(String::as_str).unwrap_or("en");
        let skills: Vec<String> = badges
            .iter()
            .flat_map(|b| b.skills.iter())
            .filter_map(|k| k.get(default, default))
            .map(str::to_lowercase)
            .collect();
        let mut out = Vec::new();
        for record in &c.insights {
            let file: &Path = &record.file;
            if let Some(i) = self.insight(
                file,
                &record.record,
                badges,
                &skills,
                now,
                stale_after,
                languages,
            ) {
                out.push(i);
            }
        }
        out
    }

    /// `insights.stale_after`, default 18 months.
    fn stale_after(&mut self) -> Period {
        let c = self.content;
        let Some(v) = c
            .site
            .record
            .insights
            .as_ref()
            .and_then(|i| i.stale_after.as_ref())
        else {
            return Period::Months(18);
        };
        Period::parse(&v.value).unwrap_or_else(|| {
            self.error(
                &c.site.file,
                pos(v),
                format!("`insights.stale_after` is not a period: `{}`", v.value),
                "write a number and a unit: `18m`, `2y`, `365d`",
            );
            Period::Months(18)
        })
    }

    /// `insights.salary_search`, checked like `jobs`, with `{region}` too.
    pub(super) fn salary_search(&mut self, languages: &[String]) -> Option<JobBoard> {
        let c = self.content;
        let file: &Path = &c.site.file;
        let search = &c
            .site
            .record
            .insights
            .as_ref()?
            .salary_search
            .as_ref()?
            .value;
        let url = search.url.value.trim();
        let filled = url.replace("{skill}", "x").replace("{region}", "y");
        if !url.contains("{skill}") || !is_absolute_url(&filled) {
            self.error(
                file,
                pos(&search.url),
                format!("`insights.salary_search.url` must be an absolute http(s) URL with `{{skill}}` (and `{{region}}` if the site searches by region), found `{url}`"),
                "e.g. `https://salaries.example.org/search?q={skill}&where={region}`",
            );
        }
        self.localized(file, "insights.salary_search.name", &search.name, languages);
        Some(JobBoard {
            name: search.name.value.clone(),
            url: url.to_string(),
        })
    }

    #[allow(clippy::too_many_arguments)]
    fn insight(
        &mut self,
        file: &Path,
        r: &InsightFile,
        badges: &[Badge],
        skills: &[String],
        now: Date,
        stale_after: Period,
        languages: &[String],
    ) -> Option<Insight> {
        let subject = match (&r.skill, &r.badge) {
            (Some(skill), None) => {
                let key = skill.value.trim().to_lowercase();
                if !skills.contains(&key) {
                    let hint = suggest(
                        &skill.value,
                        skills.iter().map(String::as_str),
                        "a skill as a badge's `skills` lists it, in the default language",
                    );
                    self.error(
                        file,
                        pos(skill),
                        format!("no badge lists the skill `{}`", skill.value),
                        hint,
                    );
                }
                InsightSubject::Skill(key)
            }
            (None, Some(badge)) => match badges.iter().position(|b| b.id == badge.value) {
                Some(b) => InsightSubject::Badge(b),
                None => {
                    let hint = suggest(
                        &badge.value,
                        badges.iter().map(|b| b.id.as_str()),
                        "a badge id",
                    );
                    self.error(
                        file,
                        pos(badge),
                        format!("there is no badge `{}`", badge.value),
                        hint,
                    );
                    InsightSubject::Skill(String::new())
                }
            },
            (Some(_), Some(b)) => {
                self.error(
                    file,
                    pos(b),
                    "a block is about a `skill` or a `badge`, not both",
                    "split it in two blocks",
                );
                return None;
            }
            (None, None) => {
                self.error(
                    file,
                    pos(&r.source),
                    "the block names no `skill` or `badge`",
                    "add `skill: <a skill a badge lists>` or `badge: <id>`",
                );
                return None;
            }
        };
        let date = self.date(file, "date", &r.date);
        if let Some(d) = date {
            if d > now {
                self.error(
                    file,
                    pos(&r.date),
                    format!("`date` {d} is in the future"),
                    "the date the source's data was collected or published",
                );
            } else if d.add(stale_after) <= now {
                self.warn(
                    file,
                    pos(&r.date),
                    format!("the data is from {d}, older than `insights.stale_after`: earners will read it as today's"),
                    "update it from the source, or remove it",
                );
            }
        }
        if let Some(u) = &r.source_url
            && !is_absolute_url(u.value.trim())
        {
            self.error(
                file,
                pos(u),
                format!(
                    "`source_url` must be an absolute http(s) URL, found `{}`",
                    u.value
                ),
                "the source's address",
            );
        }
        let salaries: Vec<Salary> = r
            .salaries
            .iter()
            .filter_map(|s| self.salary(file, s, languages))
            .collect();
        let mut employers = Vec::new();
        for e in &r.employers {
            if !is_absolute_url(e.url.value.trim()) {
                self.error(
                    file,
                    pos(&e.url),
                    format!(
                        "the employer's `url` must be an absolute http(s) URL, found `{}`",
                        e.url.value
                    ),
                    "its careers page",
                );
            }
            employers.push(Employer {
                name: e.name.value.trim().to_string(),
                url: e.url.value.trim().to_string(),
            });
        }
        Some(Insight {
            subject,
            source: r.source.value.trim().to_string(),
            source_url: r.source_url.as_ref().map(|u| u.value.trim().to_string()),
            date: date?,
            salaries,
            employers,
        })
    }

    fn salary(&mut self, file: &Path, s: &SalaryFile, languages: &[String]) -> Option<Salary> {
        self.localized(file, "region", &s.region, languages);
        let mut ok = true;
        let currency = s.currency.value.trim().to_uppercase();
        if !CURRENCIES.split(' ').any(|c| c == currency) {
            let hint = suggest(
                &currency,
                CURRENCIES.split(' '),
                "an ISO 4217 code such as USD, EUR, GBP, CNY or JPY",
            );
            self.error(
                file,
                pos(&s.currency),
                format!("unknown currency `{}`", s.currency.value),
                hint,
            );
            ok = false;
        }
        let period = match s.period.as_ref().map(|p| p.value.trim()) {
            None | Some("year") => PayPeriod::Year,
            Some("month") => PayPeriod::Month,
            Some("hour") => PayPeriod::Hour,
            Some(other) => {
                let at = pos(s.period.as_ref().expect("some"));
                self.error(
                    file,
                    at,
                    format!("unknown `period` `{other}`"),
                    "`year`, `month` or `hour`",
                );
                ok = false;
                PayPeriod::Year
            }
        };
        for (name, v) in [("low", &s.low), ("median", &s.median), ("high", &s.high)] {
            if !v.value.is_finite() || v.value < 0.0 {
                self.error(
                    file,
                    pos(v),
                    format!("`{name}` is {}: a salary is a positive amount", v.value),
                    "write the amount in the currency, e.g. `52000`",
                );
                ok = false;
            }
        }
        if s.low.value > s.high.value {
            self.error(
                file,
                pos(&s.low),
                format!(
                    "`low` ({}) is more than `high` ({})",
                    s.low.value, s.high.value
                ),
                "low ≤ median ≤ high",
            );
            ok = false;
        } else if s.median.value < s.low.value || s.median.value > s.high.value {
            self.error(
                file,
                pos(&s.median),
                format!(
                    "`median` ({}) is outside `low`–`high` ({}–{})",
                    s.median.value, s.low.value, s.high.value
                ),
                "low ≤ median ≤ high",
            );
            ok = false;
        }
        ok.then(|| Salary {
            region: s.region.value.clone(),
            currency,
            period,
            low: s.low.value,
            median: s.median.value,
            high: s.high.value,
            sample: s.sample.as_ref().map(|n| n.value),
        })
    }
}
