//! Going on after a record fails to parse, so one run reports every file's
//! errors and still checks the records that did parse.
//!
//! serde stops at the first error in a document. When a list file (earners,
//! awards) is well-formed YAML but one record is wrong (`profile: publik`),
//! that record is set aside by replacing its text with a YAML null of the
//! same shape (so every other position stays exact) and the file is parsed
//! again. When the YAML itself is broken (a tab, an unclosed bracket), the
//! whole file is lost. Either way the ids written in what was lost are
//! collected, so a reference to them is not reported as a second error.

use std::path::Path;
use std::sync::Arc;

use serde::de::{DeserializeOwned, IgnoredAny};
use serde_saphyr::Spanned;

use super::presized::LocatedList;
use super::{Located, yaml};
use crate::diagnostics::{Diagnostic, Pos};

/// At most this many records are set aside per file; past that the file is
/// treated as lost, since each one costs a parse of the whole file.
const MAX_SET_ASIDE: usize = 50;

/// What one file gave: the records that parsed, the errors, and the ids
/// written in the parts that did not parse.
pub struct Parsed<T> {
    pub records: Vec<Located<T>>,
    pub errors: Vec<Diagnostic>,
    pub lost_ids: Vec<String>,
    /// Nothing could be read: not a list of records, broken YAML, or too
    /// many records set aside.
    pub lost_whole: bool,
}

impl<T> Default for Parsed<T> {
    fn default() -> Self {
        Parsed {
            records: Vec::new(),
            errors: Vec::new(),
            lost_ids: Vec::new(),
            lost_whole: false,
        }
    }
}

impl<T> Parsed<T> {
    /// A file nothing could be read from.
    pub fn lost(error: Diagnostic, text: &str) -> Self {
        Parsed {
            errors: vec![error],
            lost_ids: ids_in(text),
            lost_whole: true,
            ..Parsed::default()
        }
    }
}

/// Parses a file holding one record.
pub fn one<T: DeserializeOwned>(file: &Arc<Path>, text: &str) -> Parsed<T> {
    match yaml::parse(file, text) {
        Ok(record) => Parsed {
            records: vec![Located {
                file: file.clone(),
                record,
            }],
            ..Parsed::default()
        },
        Err(e) => Parsed::lost(e, text),
    }
}

/// Parses a file holding a list of records, setting aside the records that
/// do not parse.
pub fn list<T: DeserializeOwned>(file: &Arc<Path>, text: &str) -> Parsed<T> {
    let first = match yaml::parse_seed(file, text, LocatedList::new(file, text)) {
        Ok(records) => {
            return Parsed {
                records,
                ..Parsed::default()
            };
        }
        Err(e) => e,
    };
    // Broken YAML, or not a list: nothing can be kept.
    let Ok(items) = yaml::parse::<Vec<Spanned<IgnoredAny>>>(file, text) else {
        return Parsed::lost(first, text);
    };
    set_aside(file, text, &items_of(&items, text), first)
}

/// Where a list item was written: its first and one-past-last byte.
#[derive(Clone, Copy)]
struct Item {
    start: usize,
    end: usize,
    pos: Pos,
}

/// The items' extents. The parser gives where each item starts; one ends
/// where the next one's `-` (or `,` in a flow list) begins, the last one at
/// the end of the list.
fn items_of(spanned: &[Spanned<IgnoredAny>], text: &str) -> Vec<Item> {
    // Only a flow list (`[ … ]`) ends with a bracket that is not the item's.
    let flow = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#') && *l != "---")
        .is_some_and(|l| l.starts_with('['));
    let last_sep = if flow { [']', ']'] } else { ['\0', '\0'] };
    let starts: Vec<usize> = spanned
        .iter()
        .map(|s| (s.referenced.span().byte_offset().unwrap_or(0) as usize).min(text.len()))
        .collect();
    spanned
        .iter()
        .enumerate()
        .map(|(i, s)| {
            let start = starts[i];
            let end = match starts.get(i + 1) {
                Some(&next) => before_separator(text, next, ['-', ',']),
                None => before_separator(text, text.len(), last_sep),
            };
            Item {
                start,
                end: end.max(start),
                pos: Pos::from_location(s.referenced),
            }
        })
        .collect()
}

/// The offset just after the last non-blank character before `at`, stepping
/// back over blanks, one separator from `seps`, and blanks again.
fn before_separator(text: &str, at: usize, seps: [char; 2]) -> usize {
    let head = text[..at].trim_end();
    let head = head.strip_suffix(seps).unwrap_or(head);
    head.trim_end().len()
}

/// The re-parse loop: records the error, blanks the item it is in, parses
/// again; stops when the rest parses or the error is in no single item.
fn set_aside<T: DeserializeOwned>(
    file: &Arc<Path>,
    text: &str,
    items: &[Item],
    first: Diagnostic,
) -> Parsed<T> {
    let mut blanked = text.to_string();
    let mut aside = vec![false; items.len()];
    let mut errors = Vec::new();
    let mut lost_ids = Vec::new();
    let mut error = first;
    loop {
        let Some(i) = item_at(items, &blanked, error.pos) else {
            return Parsed::lost(error, text).with_earlier(errors);
        };
        if aside[i] || errors.len() >= MAX_SET_ASIDE {
            return Parsed::lost(error, text).with_earlier(errors);
        }
        errors.push(error);
        aside[i] = true;
        lost_ids.extend(ids_in(&text[items[i].start..items[i].end]));
        blank(&mut blanked, items[i]);
        match yaml::parse::<Vec<Option<T>>>(file, &blanked) {
            Ok(records) => {
                errors.extend(empty_entries(file, &records, items, &aside));
                let records = records
                    .into_iter()
                    .flatten()
                    .map(|record| Located {
                        file: file.clone(),
                        record,
                    })
                    .collect();
                return Parsed {
                    records,
                    errors,
                    lost_ids,
                    lost_whole: false,
                };
            }
            Err(e) => error = e,
        }
    }
}

impl<T> Parsed<T> {
    fn with_earlier(mut self, mut earlier: Vec<Diagnostic>) -> Self {
        earlier.append(&mut self.errors);
        self.errors = earlier;
        self
    }
}

/// The item an error position falls in: the last one starting at or before it.
fn item_at(items: &[Item], text: &str, at: Pos) -> Option<usize> {
    if at.line == 0 {
        return None;
    }
    let offset = byte_offset(text, at)?;
    items
        .iter()
        .rposition(|it| it.start <= offset)
        .filter(|&i| offset <= items[i].end.max(items[i].start))
}

/// The byte offset of a 1-based line and column (in characters).
fn byte_offset(text: &str, at: Pos) -> Option<usize> {
    let line_start = if at.line == 1 {
        0
    } else {
        text.match_indices('\n').nth(at.line - 2)?.0 + 1
    };
    let line = &text[line_start..];
    let col = line
        .char_indices()
        .nth(at.column.saturating_sub(1))
        .map_or(line.len(), |(i, _)| i);
    Some(line_start + col)
}

/// Replaces an item's text by `~` (YAML null) and spaces, keeping line breaks,
/// so the list keeps its length and every other record its position.
fn blank(text: &mut String, item: Item) {
    let region = &text[item.start..item.end];
    let mut replaced = String::with_capacity(region.len());
    for (n, c) in region.chars().enumerate() {
        replaced.push(match c {
            '\n' | '\r' => c,
            _ if n == 0 => '~',
            _ => ' ',
        });
        // Keep byte lengths equal for multi-byte characters.
        for _ in 1..c.len_utf8() {
            replaced.push(' ');
        }
    }
    text.replace_range(item.start..item.end, &replaced);
}

/// A list entry left empty (`-` alone) by the user, not by us, is an error.
fn empty_entries<T>(
    file: &Path,
    records: &[Option<T>],
    items: &[Item],
    aside: &[bool],
) -> Vec<Diagnostic> {
    records
        .iter()
        .zip(items.iter().zip(aside))
        .filter(|(r, (_, set_aside))| r.is_none() && !**set_aside)
        .map(|(_, (it, _))| {
            Diagnostic::error(file, it.pos, "this list entry is empty")
                .help("write the record after the `-`, or delete the line")
        })
        .collect()
}

/// The ids written in a piece of YAML (`id: x`, `- id: x`, `{ id: x, … }`),
/// found by reading the text, since it may not parse.
pub fn ids_in(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let mut rest = line;
        while let Some(i) = rest.find("id:") {
            let before = rest[..i].chars().next_back();
            let after = &rest[i + 3..];
            rest = after;
            if !matches!(before, None | Some(' ' | '\t' | '{' | ',' | '-')) {
                continue;
            }
            if let Some(id) = scalar(after) {
                out.push(id);
            }
        }
    }
    out
}

/// The scalar at the start of `s` (after spaces): quoted, or plain up to a
/// flow delimiter or comment.
fn scalar(s: &str) -> Option<String> {
    let s = s.trim_start();
    let word = match s.chars().next()? {
        q @ ('"' | '\'') => s[1..].split(q).next()?,
        _ => s.split([',', '}', ']', '#']).next()?.trim(),
    };
    (!word.is_empty()).then(|| word.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Rec {
        id: String,
        #[serde(default)]
        n: u32,
    }

    fn ids_of(p: &Parsed<Rec>) -> Vec<&str> {
        p.records.iter().map(|r| r.record.id.as_str()).collect()
    }

    fn list<T: DeserializeOwned>(file: &str, text: &str) -> Parsed<T> {
        super::list(&Arc::from(Path::new(file)), text)
    }

    #[test]
    fn a_bad_record_is_set_aside_and_the_others_kept() {
        let text =
            "- id: a\n- id: b\n  n: many\n- { id: c, n: 3 }\n- id: d\n  colour: red\n- id: e\n";
        let p = list::<Rec>("x.yaml", text);
        assert_eq!(ids_of(&p), ["a", "c", "e"]);
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
        assert_eq!(p.errors[0].pos.line, 3, "{:?}", p.errors[0]);
        assert_eq!(p.errors[1].pos.line, 6, "{:?}", p.errors[1]);
        assert_eq!(p.lost_ids, ["b", "d"]);
    }

    #[test]
    fn lists_in_flow_style_and_lists_in_the_last_record() {
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        struct WithList {
            id: String,
            #[serde(default)]
            tags: Vec<String>,
        }
        let text = "- id: a\n  tags: [x]\n- id: b\n  tag: [y]\n- id: c\n  tags: [z]\n";
        let p = list::<WithList>("x.yaml", text);
        let ids: Vec<&str> = p.records.iter().map(|r| r.record.id.as_str()).collect();
        assert_eq!(ids, ["a", "c"], "{:?}", p.errors);
        assert_eq!(p.records[1].record.tags, ["z"]);
        let text = "[ {id: a}, {id: b, n: x},\n  {id: c} ]\n";
        let p = list::<Rec>("x.yaml", text);
        assert_eq!(ids_of(&p), ["a", "c"], "{:?}", p.errors);
        assert_eq!(p.errors.len(), 1);
    }

    #[test]
    fn broken_yaml_loses_the_file_but_names_its_ids() {
        let text = "- id: a\n- { id: \"b\", n: [\n";
        let p = list::<Rec>("x.yaml", text);
        assert!(p.records.is_empty());
        assert_eq!(p.errors.len(), 1);
        assert_eq!(p.lost_ids, ["a", "b"]);
    }

    #[test]
    fn an_empty_entry_is_reported() {
        let text = "- id: a\n-\n- id: b\n  n: x\n";
        let p = list::<Rec>("x.yaml", text);
        assert_eq!(ids_of(&p), ["a"]);
        assert_eq!(p.errors.len(), 2, "{:?}", p.errors);
    }

    #[test]
    fn ids_are_found_in_every_style() {
        let text = "- id: e-1 # one\n- {name: X, id: 'e-2'}\n  grid: no\nid: e-3\n";
        assert_eq!(ids_in(text), ["e-1", "e-2", "e-3"]);
    }
}
