//! Award pages from skeletons: a million awards make two million pages
//! that differ only in a few dozen strings, and rendering and compacting
//! each cost a quarter of a fresh build.
//!
//! A page's per-award values (`vars`: the award, its earner, its files …)
//! are walked in order. Their strings are the page's *holes*; everything
//! else (the shape of the values, booleans, numbers, which strings are
//! empty, and the strings templates compare, see [`STRUCTURAL`]) makes the
//! page's *signature*. Pages of one signature take the same branches of
//! the template, so the template is rendered once for it with a
//! placeholder in each hole, compacted with the placeholders marked
//! ([`compact::compact_marked`]), and cut into a [`Skeleton`]. Each page
//! of that signature is then its skeleton with its own strings filled in,
//! escaped where the template escaped the placeholder.
//!
//! Filling gives what rendering and compacting would only if compaction
//! leaves the strings as they are, so [`Skeleton::fill`] declines (and the
//! page is rendered) when a string holds white space compaction would
//! change, markup other than a compacted inline SVG, or a mark. Only the
//! built-in templates are rendered so (a theme's own could compare or
//! transform any value), and each skeleton is checked against the
//! rendered page of its first award before it is used.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};
use std::sync::{Arc, RwLock};

use serde_json::Value;

use super::compact::{self, ATTR_CLOSE, ATTR_OPEN, HOLE_CLOSE, HOLE_OPEN, POISON};

/// Keys whose string values templates compare (`award.status == "valid"`,
/// `page.kind`, `alt.lang == default_lang`): part of the signature, never
/// holes.
const STRUCTURAL: &[&str] = &["status", "kind", "lang"];

/// A page's per-award values: its signature and its holes, in order.
pub struct Holes {
    pub signature: String,
    pub values: Vec<String>,
}

impl Holes {
    /// Walks `vars`; `fixed` (what else decides the page: its language,
    /// badge …) starts the signature.
    pub fn of(fixed: &str, vars: &[(&'static str, Value)]) -> Holes {
        let mut h = Holes {
            signature: fixed.to_string(),
            values: Vec::new(),
        };
        for (key, value) in vars {
            h.signature.push_str(key);
            h.walk(key, value);
        }
        h
    }

    fn walk(&mut self, key: &str, value: &Value) {
        let sig = &mut self.signature;
        match value {
            Value::String(s) if is_hole(key, s) => {
                sig.push('S');
                self.values.push(s.clone());
            }
            Value::String(s) if s.is_empty() => sig.push('e'),
            Value::String(s) => {
                let _ = write!(sig, "s{}:{s}", s.len());
            }
            Value::Null => sig.push('z'),
            Value::Bool(b) => sig.push(if *b { 't' } else { 'f' }),
            Value::Number(n) => {
                let _ = write!(sig, "n{n};");
            }
            Value::Array(items) => {
                let _ = write!(sig, "[{}", items.len());
                for item in items {
                    self.walk(key, item);
                }
                self.signature.push(']');
            }
            Value::Object(map) => {
                sig.push('{');
                for (k, v) in map {
                    let _ = write!(self.signature, "{}:{k}", k.len());
                    self.walk(k, v);
                }
                self.signature.push('}');
            }
        }
    }

    /// `vars` with each hole's string replaced by its placeholder
    /// (`U+FDD0`, its number, `&`, `U+FDD1`: the `&` shows whether the
    /// template escaped it).
    pub fn placeholders(vars: &[(&'static str, Value)]) -> Vec<(&'static str, Value)> {
        let mut n = 0;
        vars.iter()
            .map(|(key, value)| {
                let mut v = value.clone();
                replace(key, &mut v, &mut n);
                (*key, v)
            })
            .collect()
    }
}

/// Whether the string `s` under `key` is a hole: [`Holes::of`] and
/// [`Holes::placeholders`] must number the same strings.
fn is_hole(key: &str, s: &str) -> bool {
    !s.is_empty() && !STRUCTURAL.contains(&key)
}

fn replace(key: &str, value: &mut Value, n: &mut usize) {
    match value {
        Value::String(s) if is_hole(key, s) => {
            *s = format!("{HOLE_OPEN}{n}&{HOLE_CLOSE}");
            *n += 1;
        }
        Value::Array(items) => items.iter_mut().for_each(|i| replace(key, i, n)),
        Value::Object(map) => map.iter_mut().for_each(|(k, v)| replace(k, v, n)),
        _ => {}
    }
}

/// A compacted page cut at its holes.
#[derive(Debug)]
pub struct Skeleton {
    bytes: Vec<u8>,
    segments: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Literal(usize, usize),
    /// A hole in text (or raw text, a comment …); `spaced` if white space
    /// stands next to it.
    Text {
        hole: Hole,
        spaced: bool,
    },
    /// An attribute value holding holes: its quote in the template, whether
    /// its tag closes itself, and its parts.
    Attribute {
        quote: u8,
        self_closing: bool,
        parts: Vec<Segment>,
    },
}

#[derive(Debug, Clone, Copy)]
struct Hole {
    index: usize,
    escaped: bool,
}

impl Skeleton {
    /// Cuts a page compacted with [`compact::compact_marked`]; `None` if a
    /// placeholder stands where no string can be filled in.
    pub fn parse(bytes: Vec<u8>) -> Option<Skeleton> {
        if find(&bytes, 0, POISON).is_some() {
            return None;
        }
        let mut segments = Vec::new();
        let mut at = 0;
        while at < bytes.len() {
            let next_hole = find(&bytes, at, HOLE_OPEN);
            let next_attr = find(&bytes, at, ATTR_OPEN);
            match (next_hole, next_attr) {
                (Some(h), a) if a.is_none_or(|a| h < a) => {
                    push_literal(&mut segments, at, h);
                    // `<` and a letter start a tag: a hole there is its name.
                    if bytes[..h].ends_with(b"<") || bytes[..h].ends_with(b"</") {
                        return None;
                    }
                    let (hole, end) = hole_at(&bytes, h)?;
                    let spaced = h > 0 && bytes[h - 1].is_ascii_whitespace()
                        || bytes.get(end).is_some_and(u8::is_ascii_whitespace);
                    segments.push(Segment::Text { hole, spaced });
                    at = end;
                }
                (_, Some(a)) => {
                    push_literal(&mut segments, at, a);
                    let start = a + ATTR_OPEN.len();
                    let (&quote, &closing) = (bytes.get(start)?, bytes.get(start + 1)?);
                    let close = find(&bytes, start, ATTR_CLOSE)?;
                    let mut parts = Vec::new();
                    let mut p = start + 2;
                    while let Some(h) = find(&bytes[..close], p, HOLE_OPEN) {
                        push_literal(&mut parts, p, h);
                        let (hole, end) = hole_at(&bytes, h)?;
                        parts.push(Segment::Text {
                            hole,
                            spaced: false,
                        });
                        p = end;
                    }
                    push_literal(&mut parts, p, close);
                    segments.push(Segment::Attribute {
                        quote,
                        self_closing: closing == b'1',
                        parts,
                    });
                    at = close + ATTR_CLOSE.len();
                }
                (None, None) => {
                    push_literal(&mut segments, at, bytes.len());
                    at = bytes.len();
                }
                _ => unreachable!("the first arm takes a hole with no attribute"),
            }
        }
        // A stray mark (a closing one, or one the page's own text holds).
        let stray = segments.iter().any(|s| match s {
            Segment::Literal(a, b) => compact::has_mark(&bytes[*a..*b]),
            Segment::Attribute { parts, .. } => parts
                .iter()
                .any(|p| matches!(p, Segment::Literal(a, b) if compact::has_mark(&bytes[*a..*b]))),
            Segment::Text { .. } => false,
        });
        (!stray).then_some(Skeleton { bytes, segments })
    }

    /// The page with `values` in its holes, as rendering and compacting
    /// it would make it; `None` where that cannot be promised.
    pub fn fill(&self, values: &[String]) -> Option<Vec<u8>> {
        let mut out = Vec::with_capacity(self.bytes.len() + 1024);
        let mut value = Vec::new();
        for segment in &self.segments {
            match segment {
                Segment::Literal(a, b) => out.extend_from_slice(&self.bytes[*a..*b]),
                Segment::Text { hole, spaced } => {
                    let v = values.get(hole.index)?;
                    if !text_keeps(v, hole.escaped, *spaced) {
                        return None;
                    }
                    write_hole(&mut out, v, hole.escaped);
                }
                Segment::Attribute {
                    quote,
                    self_closing,
                    parts,
                } => {
                    value.clear();
                    for part in parts {
                        match part {
                            Segment::Literal(a, b) => value.extend_from_slice(&self.bytes[*a..*b]),
                            Segment::Text { hole, .. } => {
                                let v = values.get(hole.index)?;
                                if compact::has_mark(v.as_bytes()) {
                                    return None;
                                }
                                let from = value.len();
                                write_hole(&mut value, v, hole.escaped);
                                // The template's quote would end the value.
                                if value[from..].contains(quote) {
                                    return None;
                                }
                            }
                            Segment::Attribute { .. } => return None,
                        }
                    }
                    out.push(b'=');
                    compact::write_value(&mut out, &value, *self_closing);
                }
            }
        }
        Some(out)
    }
}

fn push_literal(segments: &mut Vec<Segment>, from: usize, to: usize) {
    if from < to {
        segments.push(Segment::Literal(from, to));
    }
}

fn find(bytes: &[u8], from: usize, needle: &str) -> Option<usize> {
    memchr::memmem::find(bytes.get(from..)?, needle.as_bytes()).map(|p| from + p)
}

/// The placeholder at `at`: its hole and where it ends.
fn hole_at(bytes: &[u8], at: usize) -> Option<(Hole, usize)> {
    let digits = at + HOLE_OPEN.len();
    let len = bytes[digits..].iter().position(|b| !b.is_ascii_digit())?;
    let index = std::str::from_utf8(&bytes[digits..digits + len])
        .ok()?
        .parse()
        .ok()?;
    let rest = &bytes[digits + len..];
    let (escaped, amp) = if rest.starts_with(b"&amp;") {
        (true, 5)
    } else if rest.starts_with(b"&") {
        (false, 1)
    } else {
        return None;
    };
    let end = digits + len + amp;
    bytes[end..]
        .starts_with(HOLE_CLOSE.as_bytes())
        .then_some((Hole { index, escaped }, end + HOLE_CLOSE.len()))
}

fn write_hole(out: &mut Vec<u8>, value: &str, escaped: bool) {
    if escaped {
        let _ = tera::escape_html(value, out);
    } else {
        out.extend_from_slice(value.as_bytes());
    }
}

/// Whether compaction leaves `value` as it is in text (or raw text, or a
/// comment): no white space but single spaces inside, no mark, and no
/// markup unless escaped, but for a compacted inline SVG with no white
/// space beside it.
fn text_keeps(value: &str, escaped: bool, spaced: bool) -> bool {
    let b = value.as_bytes();
    let spaces_keep = !b.is_empty()
        && b[0] != b' '
        && b[b.len() - 1] != b' '
        && !b.iter().any(|&c| c.is_ascii_whitespace() && c != b' ')
        && memchr::memmem::find(b, b"  ").is_none();
    if !spaces_keep || compact::has_mark(b) {
        return false;
    }
    if escaped || !b.iter().any(|&c| c == b'<' || c == b'>') {
        return true;
    }
    !spaced && value.starts_with("<svg ") && value.ends_with("</svg>") && compact::compact(b) == b
}

/// The skeletons of a build, by signature, each checked once against a
/// rendered page before it is used.
#[derive(Default)]
pub struct Skeletons {
    map: RwLock<HashMap<String, Arc<Entry>>>,
    /// `ACCOLADE_SKELETON=check`: every page is also rendered, and a
    /// page its skeleton fills otherwise fails the build.
    pub check_all: bool,
    /// Pages filled from a skeleton (or, checking, that matched it), and
    /// pages rendered without one.
    pub filled: AtomicUsize,
    pub rendered: AtomicUsize,
}

pub struct Entry {
    skeleton: Option<Skeleton>,
    /// 0: not checked yet; 1: matched its first page; 2: did not.
    state: AtomicU8,
}

impl Entry {
    /// The page from the skeleton if it has been checked and can be
    /// filled; `Err(true)` if it is still to be checked (the caller renders
    /// the page and calls [`Entry::check`]).
    pub fn fill(&self, values: &[String]) -> Result<Vec<u8>, bool> {
        let Some(skeleton) = &self.skeleton else {
            return Err(false);
        };
        match self.state.load(Ordering::Acquire) {
            1 => skeleton.fill(values).ok_or(false),
            0 => Err(true),
            _ => Err(false),
        }
    }

    /// Compares the skeleton filled with `values` with the page rendered
    /// from them: the skeleton is used from now on only if they match.
    pub fn check(&self, values: &[String], rendered: &[u8]) {
        if let Some(filled) = self.skeleton.as_ref().and_then(|s| s.fill(values)) {
            let state = if filled == rendered { 1 } else { 2 };
            let _ = self
                .state
                .compare_exchange(0, state, Ordering::AcqRel, Ordering::Acquire);
        }
    }
}

/// At most this many skeletons a build (about 13 KB each): a site of
/// many badges with few awards each renders the rest page by page.
const MAX_SKELETONS: usize = 4096;

impl Skeletons {
    pub fn new(check_all: bool) -> Skeletons {
        Skeletons {
            check_all,
            ..Skeletons::default()
        }
    }

    pub fn is_full(&self) -> bool {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.len() >= MAX_SKELETONS
    }

    pub fn get(&self, signature: &str) -> Option<Arc<Entry>> {
        let map = self.map.read().unwrap_or_else(|e| e.into_inner());
        map.get(signature).cloned()
    }

    /// Records the skeleton made for `signature` (`None`: none can be);
    /// the first one recorded stays.
    pub fn insert(&self, signature: String, skeleton: Option<Skeleton>) -> Arc<Entry> {
        let mut map = self.map.write().unwrap_or_else(|e| e.into_inner());
        map.entry(signature)
            .or_insert_with(|| {
                Arc::new(Entry {
                    skeleton,
                    state: AtomicU8::new(0),
                })
            })
            .clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Renders `template` (a closure standing in for Tera, autoescaping
    /// `{e}` and copying `{r}`) with `values` both ways: rendered and
    /// compacted, and filled into the skeleton.
    fn both(
        page: impl Fn(&dyn Fn(usize, bool) -> String) -> String,
        values: &[&str],
    ) -> (Vec<u8>, Option<Vec<u8>>) {
        let values: Vec<String> = values.iter().map(|s| s.to_string()).collect();
        let real = page(&|i, esc| {
            let mut out = Vec::new();
            write_hole(&mut out, &values[i], esc);
            String::from_utf8(out).unwrap()
        });
        let marked = page(&|i, esc| {
            let p = format!("{HOLE_OPEN}{i}&{HOLE_CLOSE}");
            if esc { p.replace('&', "&amp;") } else { p }
        });
        let skeleton =
            Skeleton::parse(compact::compact_marked(marked.as_bytes())).expect("a skeleton");
        (compact::compact(real.as_bytes()), skeleton.fill(&values))
    }

    fn page(h: &dyn Fn(usize, bool) -> String) -> String {
        format!(
            "<!doctype html>\n<html>\n <head>\n  <title>{} · Site</title>\n  <meta name=\"x\" content=\"{}\">\n</head>\n<body>\n  <p class=\"a {}\"  data-id='{}'>\n    {}\n  </p>\n<div>{}</div>\n<script type=\"application/json\">{}</script>\n<img src=\"../{}/x.png\" alt=\"{}\" />\n</body></html>",
            h(0, true),
            h(1, true),
            h(2, true),
            h(2, true),
            h(1, true),
            h(3, false),
            h(4, false),
            h(2, true),
            h(1, true)
        )
    }

    #[test]
    fn filled_pages_are_the_rendered_pages() {
        let svg = "<svg class=qr viewBox=\"0 0 1 1\"><path d=\"M0 0h1\"/></svg>";
        for values in [
            [
                "Badge — Earner 5",
                "Earner 5",
                "ABC123",
                svg,
                "{\"n\":\"Earner 5\"}",
            ],
            ["A&B <x>", "O'Neil \"Q\"", "id-1", svg, "[1,2]"],
            ["x", "y", "a b", svg, "{}"],
        ] {
            let (real, filled) = both(page, &values);
            assert_eq!(filled.as_deref(), Some(&real[..]), "{values:?}");
        }
    }

    #[test]
    fn strings_compaction_would_change_are_declined() {
        let svg = "<svg class=qr><path/></svg>";
        for values in [
            ["two  spaces", "n", "id", svg, "{}"],
            [" lead", "n", "id", svg, "{}"],
            ["line\nbreak", "n", "id", svg, "{}"],
            ["t", "n", "id", "<svg class=\"qr\"></svg>", "{}"],
            ["t", "n", "id", "<b>x</b>", "{}"],
            ["t", "n", "id", svg, "</script>"],
            ["t", "n", "id\u{FDD0}", svg, "{}"],
        ] {
            let (real, filled) = both(page, &values);
            // Declined, or (where declining was not needed) right.
            if let Some(f) = filled {
                assert_eq!(f, real, "{values:?}");
            }
        }
        // Each of these would be wrong if filled: make sure they are declined.
        let (_, f) = both(page, &["two  spaces", "n", "id", svg, "{}"]);
        assert!(f.is_none());
        let (_, f) = both(page, &["t", "n", "id", "<svg class=\"qr\"></svg>", "{}"]);
        assert!(f.is_none());
    }

    #[test]
    fn a_value_with_the_quote_of_its_attribute_is_declined() {
        // Unescaped, `'` would end `data-x='…'` early.
        let page = |h: &dyn Fn(usize, bool) -> String| {
            format!("<p data-x='{}' title=\"{}\">x</p>", h(0, false), h(0, true))
        };
        let (real, filled) = both(page, &["it's"]);
        assert!(filled.is_none(), "{}", String::from_utf8_lossy(&real));
        let (real, filled) = both(page, &["its"]);
        assert_eq!(filled, Some(real));
    }

    #[test]
    fn placeholders_in_names_or_unquoted_values_give_no_skeleton() {
        let h = format!("{HOLE_OPEN}0&amp;{HOLE_CLOSE}");
        for page in [
            format!("<p data-{h}=\"1\">x</p>"),
            format!("<p class={h}>x</p>"),
            format!("<{h}>x</{h}>"),
        ] {
            assert!(
                Skeleton::parse(compact::compact_marked(page.as_bytes())).is_none(),
                "{page}"
            );
        }
    }

    #[test]
    fn the_signature_holds_all_but_the_holes() {
        let vars = |name: &str, status: &str, path: &str| {
            vec![(
                "award",
                json!({"status": status, "name": name, "path": path, "n": 2, "list": [name]}),
            )]
        };
        let a = Holes::of("en", &vars("Ann", "valid", "/e/1/"));
        let b = Holes::of("en", &vars("Bob", "valid", "/e/2/"));
        let c = Holes::of("en", &vars("Bob", "revoked", "/e/2/"));
        let d = Holes::of("en", &vars("Bob", "valid", ""));
        assert_eq!(a.signature, b.signature);
        assert_ne!(a.signature, c.signature);
        assert_ne!(a.signature, d.signature);
        assert_eq!(a.values, ["Ann", "Ann", "/e/1/"]);
        let p = Holes::placeholders(&vars("Ann", "valid", "/e/1/"));
        assert_eq!(p[0].1["status"], "valid");
        assert_eq!(p[0].1["list"][0], format!("{HOLE_OPEN}0&{HOLE_CLOSE}"));
    }
}
