//! Parsing YAML into records with serde-saphyr, and turning its errors into
//! our diagnostics (file, line, column, and a help line where we can say
//! what to write instead).

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use serde::Deserialize;
use serde::de::{self, DeserializeOwned, DeserializeSeed, Deserializer, MapAccess, Visitor};
use serde_saphyr::{Budget, Options};

use crate::diagnostics::{Diagnostic, Pos, suggest};

/// Parses one YAML document. Large award files hold hundreds of thousands of
/// nodes, so the parser's default node budget is raised well past them.
pub fn parse<T: DeserializeOwned>(file: &Path, text: &str) -> Result<T, Diagnostic> {
    parse_seed(file, text, std::marker::PhantomData)
}

/// [`parse`] into what `seed` makes (e.g. a list sized in advance).
pub fn parse_seed<'a, S: DeserializeSeed<'a>>(
    file: &Path,
    text: &'a str,
    seed: S,
) -> Result<S::Value, Diagnostic> {
    serde_saphyr::with_deserializer_from_str_with_options(text, options(), |d| seed.deserialize(d))
        .map_err(|e| to_diagnostic(file, text, &e))
}

fn options() -> Options {
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
    options
}

/// Our diagnostic for a serde-saphyr error: its position (and the length
/// of the bad value, for the caret), and wording that says what to write.
fn to_diagnostic(file: &Path, text: &str, e: &serde_saphyr::Error) -> Diagnostic {
    let pos = e.location().map(Pos::from_location).unwrap_or_default();
    let raw = first_line(e);
    if raw
        .split(|c: char| !c.is_alphanumeric())
        .any(|w| w == "tab" || w == "tabs")
    {
        return tab(file, text, pos);
    }
    let key = || key_before(text, pos).unwrap_or_else(|| "this value".to_string());
    let (message, help) = match e.without_snippet() {
        serde_saphyr::Error::SerdeUnknownVariant {
            variant, expected, ..
        } => unknown_variant(&key(), variant, expected),
        serde_saphyr::Error::SerdeUnknownField {
            field, expected, ..
        } => unknown_field(field, expected),
        // The parser points at the record's last key; the record's first
        // key is where a reader looks for the record.
        serde_saphyr::Error::SerdeMissingField { field, .. } => {
            let at = record_start(text, pos).with_len(1);
            let d = Diagnostic::error(file, at, format!("missing field `{field}`"));
            return d.help(format!(
                "add `{field}: …` to this record; README.md lists every field"
            ));
        }
        serde_saphyr::Error::InvalidBooleanStrict { .. } => (
            format!(
                "`{}` must be `true` or `false`, found `{}`",
                key(),
                value_at(text, pos)
            ),
            Some("write `true` or `false`".into()),
        ),
        serde_saphyr::Error::SerdeInvalidType {
            unexpected,
            expected,
            ..
        } => invalid_type(&key(), unexpected, expected),
        serde_saphyr::Error::Unexpected {
            expected: "string scalar",
            ..
        } => (
            format!("`{}` must be text, not a list or a map", key()),
            Some("write one value here; quote it if it contains `: ` or ` #`".into()),
        ),
        serde_saphyr::Error::DuplicateMappingKey { key: Some(k), .. } => (
            format!("`{k}` is written twice in this record"),
            Some("keep one of them: YAML allows each key once per record".into()),
        ),
        serde_saphyr::Error::NullIntoString { .. } => (
            format!("`{}` is empty", key()),
            Some(format!("write a value after `{}:`", key())),
        ),
        _ => {
            let help = syntax_help(&raw);
            (raw, help)
        }
    };
    let pos = if pos.len == 0 {
        pos.with_len(value_at(text, pos).chars().count())
    } else {
        pos
    };
    let d = Diagnostic::error(file, pos, message);
    match help {
        Some(h) => d.help(h),
        None => d,
    }
}

/// serde-saphyr's message without its own location suffix (ours is
/// printed separately) or snippet.
fn first_line(e: &serde_saphyr::Error) -> String {
    let full = e.without_snippet().to_string();
    let line = full.lines().next().unwrap_or("invalid YAML").trim();
    match line.rfind(" at line ") {
        Some(i) => line[..i].trim_end_matches(',').to_string(),
        None => line.to_string(),
    }
}

/// The first key of the mapping that has a key at `at`: in flow style the
/// one after the `{`, in block style the topmost line above at the same
/// indentation (deeper lines are values, a shallower one is the parent).
fn record_start(text: &str, at: Pos) -> Pos {
    let lines: Vec<&str> = text.lines().collect();
    let Some(line) = at.line.checked_sub(1).and_then(|i| lines.get(i)) else {
        return at;
    };
    let before: String = line.chars().take(at.column.saturating_sub(1)).collect();
    if let Some(brace) = before.rfind('{') {
        let skip = before[brace + 1..]
            .chars()
            .take_while(|c| *c == ' ')
            .count();
        return Pos::new(at.line, before[..brace].chars().count() + 2 + skip);
    }
    let mut start = at;
    for n in (1..at.line).rev() {
        let text = lines[n - 1];
        let trimmed = text.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indent = text.chars().count() - trimmed.chars().count();
        let item = trimmed.starts_with("- ");
        let column = indent + 1 + if item { 2 } else { 0 };
        if column > at.column && !item {
            continue;
        }
        if column == at.column {
            start = Pos::new(n, column);
        }
        if column != at.column || item {
            break;
        }
    }
    start
}

/// What to do about the YAML syntax errors users meet most.
fn syntax_help(message: &str) -> Option<String> {
    let help = if message.starts_with("mapping values are not allowed") {
        "quote a value that contains `: ` (e.g. `name: \"Part 1: Basics\"`), or check this line's indentation"
    } else if message.starts_with("unclosed quote") {
        "close the quote on the same value, or remove it"
    } else if message.starts_with("unclosed bracket") {
        "close the list with `]` or the map with `}`"
    } else if message.contains("flow sequence") {
        "a list written `[a, b]` needs commas between items and a closing `]`; check the list that ends before this point"
    } else if message.contains("flow mapping") {
        "a map written `{ a: 1, b: 2 }` needs commas between entries and a closing `}`; check the map that ends before this point"
    } else {
        return None;
    };
    Some(help.into())
}

/// The parser reports a tab where it gave up, often the line before; point
/// at the first tab from that line on instead, and say what to do.
fn tab(file: &Path, text: &str, near: Pos) -> Diagnostic {
    let from = near.line.max(1);
    let lines: Vec<&str> = text.lines().collect();
    let at = |i: usize| {
        lines
            .get(i)
            .and_then(|l| l.find('\t').map(|b| (i + 1, *l, b)))
    };
    let found = (from - 1..lines.len())
        .find_map(at)
        .or_else(|| (0..from - 1).rev().find_map(at));
    let (pos, message) = match found {
        Some((line, text, byte)) => {
            let column = text[..byte].chars().count() + 1;
            let indent = text[..byte].trim().is_empty();
            let what = if indent {
                "this line is indented with a tab"
            } else {
                "a tab where YAML expects spaces"
            };
            (Pos::new(line, column).with_len(1), what)
        }
        None => (near, "a tab where YAML expects spaces"),
    };
    Diagnostic::error(file, pos, message)
        .help("YAML indents with spaces; replace the tab with spaces")
}

/// `profile: publik`: the allowed values, and the closest one.
fn unknown_variant(key: &str, variant: &str, expected: &[&str]) -> (String, Option<String>) {
    let list = quoted_list(expected);
    let message = format!("`{key}` must be one of {list}; found `{variant}`");
    let help = suggest(
        variant,
        expected.iter().copied(),
        format!("write one of {list}"),
    );
    (message, Some(help))
}

/// A misspelt or misplaced field: the closest allowed one, or all of them.
fn unknown_field(field: &str, expected: &[&str]) -> (String, Option<String>) {
    let message = format!("unknown field `{field}`");
    let help = if expected.is_empty() {
        "remove it; this record takes no other fields".to_string()
    } else {
        suggest(
            field,
            expected.iter().copied(),
            format!("the fields here are {}", quoted_list(expected)),
        )
    };
    (message, Some(help))
}

/// A value of the wrong shape, in the user's terms (text, list, map).
fn invalid_type(key: &str, unexpected: &str, expected: &str) -> (String, Option<String>) {
    let found = describe_unexpected(unexpected);
    let wanted = describe_expected(expected);
    (
        format!("`{key}` must be {wanted}, found {found}"),
        Some(format!(
            "write {wanted} here; README.md shows each field's form"
        )),
    )
}

fn describe_expected(expected: &str) -> String {
    if expected.starts_with("struct ") {
        return "a record of `field: value` lines".into();
    }
    match expected {
        "a sequence" => "a list (`[a, b]` or `- ` lines)".into(),
        "a map" => "a map of `key: value` pairs".into(),
        "a string" => "text".into(),
        "a boolean" => "`true` or `false`".into(),
        _ if expected.contains("integer") => "a whole number".into(),
        _ => expected.to_string(),
    }
}

fn describe_unexpected(unexpected: &str) -> String {
    match unexpected.split_whitespace().next().unwrap_or("") {
        "sequence" => "a list".into(),
        "map" => "a map".into(),
        "unit" | "null" => "nothing".into(),
        "string" | "str" => format!("text {}", unexpected.trim_start_matches("string ")),
        _ => unexpected.to_string(),
    }
}

/// `` `a`, `b`, `c` ``.
fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The key a value at `at` is written under: `profile` in `profile: x`
/// and in `{ id: a, profile: x }`.
fn key_before(text: &str, at: Pos) -> Option<String> {
    let line = text.lines().nth(at.line.checked_sub(1)?)?;
    let before: String = line.chars().take(at.column.saturating_sub(1)).collect();
    let before = before.trim_end().strip_suffix(':')?;
    let key = before
        .rsplit([' ', '{', ',', '-', '\t'])
        .next()?
        .trim_matches(|c| c == '"' || c == '\'');
    (!key.is_empty()).then(|| key.to_string())
}

/// The scalar written at `at`, as in the source: up to a flow delimiter,
/// a comment or the end of the line; quoted values with their quotes.
pub fn value_at(text: &str, at: Pos) -> String {
    let Some(line) = at.line.checked_sub(1).and_then(|i| text.lines().nth(i)) else {
        return String::new();
    };
    let rest: String = line.chars().skip(at.column.saturating_sub(1)).collect();
    match rest.chars().next() {
        Some(q @ ('"' | '\'')) => match rest[1..].find(q) {
            Some(end) => rest[..end + 2].to_string(),
            None => rest.trim_end().to_string(),
        },
        Some(_) => {
            let end = rest
                .find([',', '}', ']'])
                .into_iter()
                .chain(rest.find(" #"))
                .min()
                .unwrap_or(rest.len());
            rest[..end].trim_end().to_string()
        }
        None => String::new(),
    }
}

pub fn pos<T>(s: &Spanned<T>) -> Pos {
    s.pos()
}

/// A field value with where it was written (`pos` gives it as a `Pos`).
///
/// serde-saphyr's own `Spanned` keeps two whole locations (56 bytes); a
/// site of a million awards holds about ten values per record, so only
/// what a diagnostic shows is kept: line, column and length.
#[derive(Debug, Clone)]
pub struct Spanned<T> {
    pub value: T,
    line: u32,
    column: u32,
    len: u32,
}

impl<T> Spanned<T> {
    pub fn pos(&self) -> Pos {
        Pos::new(self.line as usize, self.column as usize).with_len(self.len as usize)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = serde_saphyr::Spanned::<T>::deserialize(d)?;
        let at = s.referenced;
        let narrow = |n: u64| u32::try_from(n).unwrap_or(u32::MAX);
        Ok(Spanned {
            value: s.value,
            line: narrow(at.line()),
            column: narrow(at.column()),
            len: narrow(at.span().len()),
        })
    }
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

    /// Every text, in every language.
    pub fn texts(&self) -> Vec<&str> {
        match self {
            Localized::Plain(s) => vec![s],
            Localized::PerLanguage(m) => m.values().map(String::as_str).collect(),
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
    fn a_tab_is_found_where_it_is_not_where_the_parser_stopped() {
        let text = "- name: a\n  kind: b\n- name: c\n\tkind: d\n";
        let d = parse::<Vec<Rec>>(Path::new("x.yaml"), text).unwrap_err();
        assert_eq!((d.pos.line, d.pos.column), (4, 1), "{d:?}");
        assert_eq!(d.message, "this line is indented with a tab");
        assert_eq!(
            d.help.as_deref(),
            Some("YAML indents with spaces; replace the tab with spaces")
        );
    }

    #[test]
    fn parser_wording_becomes_ours() {
        let d = parse::<Rec>(Path::new("x.yaml"), "name: a\nkind: b\nname: c\n").unwrap_err();
        assert_eq!(d.message, "`name` is written twice in this record", "{d:?}");
        assert_eq!(d.pos.line, 3);
        let d = parse::<Rec>(Path::new("x.yaml"), "name: Part 1: Basics\nkind: b\n").unwrap_err();
        assert!(
            d.help
                .unwrap()
                .starts_with("quote a value that contains `: `")
        );
    }

    #[test]
    fn unknown_variant_names_the_key_the_values_and_the_closest() {
        #[derive(Debug, Deserialize)]
        #[serde(rename_all = "lowercase")]
        enum Profile {
            Public,
            Unlisted,
        }
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct E {
            profile: Profile,
        }
        let d = parse::<Vec<E>>(Path::new("x.yaml"), "- { profile: publik }\n").unwrap_err();
        assert_eq!(
            d.message,
            "`profile` must be one of `public`, `unlisted`; found `publik`"
        );
        assert_eq!(d.help.as_deref(), Some("did you mean `public`?"));
        assert_eq!(
            (d.pos.column, d.pos.len),
            (14, 6),
            "the caret spans the value"
        );
    }

    #[test]
    fn values_are_measured_as_written() {
        let text = "a: e-li-leii  # note\nb: { x: \"q, r\", y: z }\n";
        assert_eq!(value_at(text, Pos::new(1, 4)), "e-li-leii");
        assert_eq!(value_at(text, Pos::new(2, 9)), "\"q, r\"");
        assert_eq!(value_at(text, Pos::new(2, 20)), "z");
        assert_eq!(key_before(text, Pos::new(2, 20)).as_deref(), Some("y"));
    }

    #[test]
    fn a_missing_field_points_at_the_record() {
        let at = |t: &str, p| record_start(t, p);
        let list = "- id: a\n  name: b\n- id: x\n  name:\n    en: y\n  # note\n  kind: k\n";
        assert_eq!(at(list, Pos::new(7, 3)), Pos::new(3, 3));
        let nested = "title: t\nissuer:\n  id: x\n  name: y\n";
        assert_eq!(at(nested, Pos::new(4, 3)), Pos::new(3, 3));
        let flow = "- { id: x, name: y }\n";
        assert_eq!(at(flow, Pos::new(1, 12)), Pos::new(1, 5));
        let top = "id: x\nkind: exam\n";
        assert_eq!(at(top, Pos::new(2, 1)), Pos::new(1, 1));
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
