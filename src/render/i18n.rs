//! Interface strings (`themes/<theme>/i18n/<lang>.yaml`) and the
//! language-dependent formatting of dates and validity periods.

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::dates::{Date, Period};
use crate::diagnostics::{Diagnostic, Pos};
use crate::theme::Theme;

/// Keys the program itself formats with; templates may use any others.
pub const REQUIRED: &[&str] = &[
    "language_name",
    "status_valid",
    "status_expired",
    "status_revoked",
    "status_note_valid",
    "status_note_expired",
    "status_note_revoked",
    "kind_exam",
    "kind_certification",
    "date_format",
    "validity_year",
    "validity_years",
    "validity_month",
    "validity_months",
    "validity_day",
    "validity_days",
    "catalogue_description",
    "earner_description",
    "retired_title",
    "retired_intro",
    "faq_title",
    "faq_description",
    "not_found_title",
    "linkedin_jobs_name",
    "skill_jobs_link",
    "skill_jobs_label",
];

pub struct Strings {
    pub lang: String,
    /// Everything in the file, for templates (`t.key`).
    pub all: BTreeMap<String, Value>,
    months: Vec<String>,
}

impl Strings {
    /// Loads and checks one language's strings from the theme.
    pub fn load(theme: &Theme, lang: &str) -> Result<Strings, Vec<Diagnostic>> {
        let key = format!("i18n/{lang}.yaml");
        let file = theme.get(&key).ok_or_else(|| {
            vec![Diagnostic::error(
                format!("themes/{}/{key}", theme.name),
                Pos::default(),
                format!("no interface strings for `{lang}`"),
            )]
        })?;
        let origin = Path::new(&file.origin);
        let text = String::from_utf8_lossy(&file.bytes);
        let all: BTreeMap<String, Value> =
            crate::content::yaml::parse(origin, &text).map_err(|d| vec![d])?;
        let mut errors = Vec::new();
        for k in REQUIRED {
            if !all.get(*k).is_some_and(Value::is_string) {
                errors.push(
                    Diagnostic::error(
                        origin,
                        Pos::default(),
                        format!("interface string `{k}` is missing"),
                    )
                    .help(format!(
                        "add `{k}: \"...\"`; the theme README lists every required string"
                    )),
                );
            }
        }
        let months: Vec<String> = match all.get("months") {
            Some(Value::Array(a)) if a.len() == 12 && a.iter().all(Value::is_string) => a
                .iter()
                .map(|v| v.as_str().unwrap_or_default().to_string())
                .collect(),
            _ => {
                errors.push(
                    Diagnostic::error(
                        origin,
                        Pos::default(),
                        "`months` must be a list of the twelve month names",
                    )
                    .help("write `months: [January, February, ...]` in this language"),
                );
                Vec::new()
            }
        };
        if errors.is_empty() {
            Ok(Strings {
                lang: lang.to_string(),
                all,
                months,
            })
        } else {
            Err(errors)
        }
    }

    pub fn get<'a>(&'a self, key: &'a str) -> &'a str {
        self.all.get(key).and_then(Value::as_str).unwrap_or(key)
    }

    /// A string with `{name}` placeholders filled in.
    pub fn fill(&self, key: &str, args: &[(&str, &str)]) -> String {
        let mut s = self.get(key).to_string();
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    pub fn date(&self, d: Date) -> String {
        let month = self
            .months
            .get(d.month as usize - 1)
            .map(String::as_str)
            .unwrap_or_default();
        self.fill(
            "date_format",
            &[
                ("day", &d.day.to_string()),
                ("month", month),
                ("month_number", &d.month.to_string()),
                ("year", &d.year.to_string()),
            ],
        )
    }

    pub fn validity(&self, p: Period) -> String {
        let (n, one, many) = match p {
            Period::Years(n) => (n, "validity_year", "validity_years"),
            Period::Months(n) => (n, "validity_month", "validity_months"),
            Period::Days(n) => (n, "validity_day", "validity_days"),
        };
        self.fill(if n == 1 { one } else { many }, &[("n", &n.to_string())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn built_in_strings_format_dates_per_language() {
        let theme = Theme::built_in();
        let en = Strings::load(&theme, "en").unwrap();
        let zh = Strings::load(&theme, "zh-CN").unwrap();
        let d = Date::parse("2026-01-15").unwrap();
        assert!(
            en.date(d).contains("2026") && en.date(d).contains("15"),
            "{}",
            en.date(d)
        );
        assert_eq!(zh.date(d), "2026年1月15日");
        assert_ne!(
            en.validity(Period::Years(1)),
            en.validity(Period::Years(2)).replace('2', "1")
        );
    }
}
