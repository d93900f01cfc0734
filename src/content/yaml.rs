//! Parsing YAML into records with serde-saphyr, and turning its errors into
//! our diagnostics (file, line, column, and a help line where we can say
//! what to write instead).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, Deserializer, MapAccess, Visitor};
use serde_saphyr::{Budget, Options, Spanned};

use crate::diagnostics::{Diagnostic, Pos, did_you_mean};

/// Parses one YAML document. Large award files hold hundreds of thousands of
/// nodes, so the parser's default node budget is raised well past them.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    let mut budget = Budget::default();
    budget.max_nodes = 200_000_000;
    budget.max_events = 400_000_000;
    budget.max_total_scalar_bytes = 1 << 31;
    budget.max_reader_input_bytes = None;
    let mut options = Options::default();
    options.budget = Some(budget);
    // YAML 1.2: only true/false are booleans, so a badge named `N` or an
    // earner called `Yes` stays text instead of silently becoming false.
    options.strict_booleans = true;
    options.leading_zero_numbers_as_strings = true;
    serde_saphyr::from_str_with_options(text, options).map_err(|e| to_diagnostic(file, &e))
}

fn to_diagnostic(file: &Path, e: &serde_saphyr::Error) -> Diagnostic {
    let pos = e.location().map(Pos::from_location).unwrap_or_default();
    let full = e.without_snippet().to_string();
    // The message may carry its own location suffix; ours is printed separately.
    let message = full
        .lines()
        .next()
        .unwrap_or("invalid YAML")
        .trim()
        .to_string();
    let message = strip_location_suffix(&message);
    let mut d = Diagnostic::error(file, pos, message.clone());
    if let Some(help) = help_for(&message) {
        d = d.help(help);
    }
    d
}

fn strip_location_suffix(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].trim_end_matches(',').to_string(),
        None => msg.to_string(),
    }
}

/// A help line for the serde messages users meet most.
fn help_for(message: &str) -> Option<String> {
    if message.starts_with("invalid boolean") {
        return Some("write `true` or `false`".into());
    }
    if message.starts_with("missing field `") {
        return Some("add the field; see the schema in README.md".into());
    }
    for prefix in ["unknown field `", "unknown variant `"] {
        let Some(rest) = message.strip_prefix(prefix) else {
            continue;
        };
        let (word, rest) = rest.split_once('`')?;
        let expected = expected_names(rest);
        return Some(match did_you_mean(word, expected.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None if expected.is_empty() => return None,
            None => format!("expected one of: {}", expected.join(", ")),
        });
    }
    None
}

/// The names after "expected one of" / "expected", with or without backticks.
fn expected_names(rest: &str) -> Vec<&str> {
    let list = rest.split_once("expected").map_or("", |(_, l)| l);
    let list = list.trim_start().strip_prefix("one of").unwrap_or(list);
    list.split([',', ' '])
        .map(|w| w.trim_matches(|c: char| c == '`' || c == '.' || c.is_whitespace()))
        .filter(|w| !w.is_empty() && *w != "or")
        .collect()
}

/// A field value with where it was written.
pub type S<T> = Spanned<T>;

pub fn pos<T>(s: &Spanned<T>) -> Pos {
    Pos::from_location(s.referenced)
}

/// Text given either once for all languages or per language:
/// `name: Azure Fundamentals` or `name: { en: ..., zh-CN: ... }`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Localized {
    Plain(String),
    PerLanguage(BTreeMap<String, String>),
}

impl Localized {
    /// The text in `lang`, falling back to `default`; `None` if neither exists.
    pub fn get<'a>(&'a self, lang: &str, default: &str) -> Option<&'a str> {
        match self {
            Localized::Plain(s) => Some(s),
            Localized::PerLanguage(m) => m.get(lang).or_else(|| m.get(default)).map(String::as_str),
        }
    }

    pub fn has(&self, lang: &str) -> bool {
        match self {
            Localized::Plain(_) => true,
            Localized::PerLanguage(m) => m.contains_key(lang),
        }
    }

    pub fn languages(&self) -> Vec<&str> {
        match self {
            Localized::Plain(_) => Vec::new(),
            Localized::PerLanguage(m) => m.keys().map(String::as_str).collect(),
        }
    }
}

impl<'de> Deserialize<'de> for Localized {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Localized;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string, or a map from language code to string such as `{ en: ..., zh-CN: ... }`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Localized, E> {
                Ok(Localized::Plain(v.to_string()))
            }
            // A plain name such as `1984` or `3.11` is text, not a number.
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Localized, E> {
                Ok(Localized::Plain(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Localized, E> {
                Ok(Localized::Plain(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Localized, E> {
                Ok(Localized::Plain(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Localized, A::Error> {
                let mut out = BTreeMap::new();
                while let Some((k, v)) = map.next_entry::<String, String>()? {
                    out.insert(k, v);
                }
                Ok(Localized::PerLanguage(out))
            }
        }
        d.deserialize_any(V)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Rec {
        name: String,
        kind: String,
    }

    #[test]
    fn unknown_field_gets_location_and_suggestion() {
        let d = parse::<Rec>(Path::new("x.yaml"), "name: a\nkidn: b\n").unwrap_err();
        assert_eq!(d.pos.line, 2, "{d:?}");
        assert!(d.message.contains("unknown field `kidn`"), "{d:?}");
        assert_eq!(d.help.as_deref(), Some("did you mean `kind`?"));
    }

    #[test]
    fn missing_field_is_located() {
        let d = parse::<Rec>(Path::new("x.yaml"), "name: a\n").unwrap_err();
        assert!(d.message.contains("missing field `kind`"), "{d:?}");
        assert!(d.pos.line >= 1, "{d:?}");
    }

    #[test]
    fn yaml_1_1_booleans_stay_text() {
        let l: Localized = parse(Path::new("x.yaml"), "N").unwrap();
        assert_eq!(l, Localized::Plain("N".into()));
        let l: Localized = parse(Path::new("x.yaml"), "1984").unwrap();
        assert_eq!(l, Localized::Plain("1984".into()));
    }

    #[test]
    fn localized_forms() {
        let plain: Localized = serde_saphyr::from_str("hello").unwrap();
        assert_eq!(plain.get("zh-CN", "en"), Some("hello"));
        let per: Localized = serde_saphyr::from_str("{en: hi, zh-CN: 你好}").unwrap();
        assert_eq!(per.get("zh-CN", "en"), Some("你好"));
        assert_eq!(per.get("fr", "en"), Some("hi"));
    }
}
