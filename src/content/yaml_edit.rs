//! Setting one key of a YAML mapping as text (`revised_on` for
//! `build --reissue`, `revoked` for `accolade revoke`): everything else in
//! the file stays byte for byte as the issuer wrote it, comments included.
//!
//! The mapping is found from a position inside it (where a record's `id`
//! value was parsed). Block mappings (`key: value` lines) and flow mappings
//! (`{ key: value, … }`) are both edited. This is a small scanner, not a
//! YAML parser: [`set_checked`] parses the result and accepts it only if
//! it is the old document with exactly that one key set, so an unusual
//! layout is refused, never written wrong.

use serde_json::Value;

use crate::diagnostics::Pos;

/// Sets `key: value` in the mapping holding the value at `anchor` (a 1-based
/// line and column inside the mapping), or adds it; `value` is YAML text
/// for a single line (a scalar or a flow collection).
pub fn set_key(text: &str, anchor: Pos, key: &str, value: &str) -> Result<String, String> {
    let at = offset_of(text, anchor).ok_or("the position is not in the file")?;
    let scan = Scan::up_to(text, at);
    match scan.flow.last() {
        Some(&(b'{', open)) => set_in_flow(text, open, key, value),
        Some(_) => Err("the record is inside a flow list".into()),
        None => set_in_block(text, at, key, value),
    }
}

/// [`set_key`], then parses both texts and requires the new one to be the
/// old one with `key` set to `value` in the mapping `select` finds in the
/// parsed document (a record, the issuer, a badge).
pub fn set_checked(
    text: &str,
    anchor: Pos,
    key: &str,
    value: &str,
    select: impl Fn(&mut Value) -> Option<&mut serde_json::Map<String, Value>>,
) -> Result<String, String> {
    let edited = set_key(text, anchor, key, value)?;
    let parse = |t: &str| serde_saphyr::from_str::<Value>(t).map_err(|e| e.to_string());
    let mut expected = parse(text)?;
    let new_value = parse(&format!("v: {value}\n"))?
        .get_mut("v")
        .map(Value::take)
        .ok_or("the value is not YAML")?;
    select(&mut expected)
        .ok_or("the record was not found in the file")?
        .insert(key.to_string(), new_value);
    if parse(&edited)? == expected {
        Ok(edited)
    } else {
        Err("the file's layout could not be edited safely".into())
    }
}

/// Byte offset of a 1-based line and (character) column.
fn offset_of(text: &str, pos: Pos) -> Option<usize> {
    let mut start = 0;
    for (i, line) in text.split_inclusive('\n').enumerate() {
        if i + 1 == pos.line {
            let col = pos.column.saturating_sub(1);
            return line
                .char_indices()
                .nth(col)
                .map(|(b, _)| start + b)
                .or((col == line.chars().count()).then_some(start + line.len()));
        }
        start += line.len();
    }
    None
}

/// What a forward scan knows at an offset: the flow collections open there
/// (bracket, offset), skipping quoted text, comments and block scalars.
struct Scan {
    flow: Vec<(u8, usize)>,
}

impl Scan {
    fn up_to(text: &str, end: usize) -> Scan {
        let mut scan = Scan { flow: Vec::new() };
        scan.run(text.as_bytes(), 0, end, |_, _, _| false);
        scan
    }

    /// Scans `bytes[from..end]`, calling `visit(offset, byte, depth)` for
    /// every structural byte outside quotes and comments; stops early when
    /// it returns true, with the offset.
    fn run(
        &mut self,
        bytes: &[u8],
        from: usize,
        end: usize,
        mut visit: impl FnMut(usize, u8, usize) -> bool,
    ) -> Option<usize> {
        let mut i = from;
        // Where a value may start: a quote or bracket there is structural.
        let mut value_start = true;
        let mut block_scalar: Option<usize> = None;
        let mut line_start = true;
        while i < end.min(bytes.len()) {
            if line_start && self.flow.is_empty() {
                let indent = bytes[i..].iter().take_while(|&&b| b == b' ').count();
                let rest = &bytes[i + indent..];
                let blank = rest.first().is_none_or(|&b| b == b'\n' || b == b'\r');
                if let Some(parent) = block_scalar {
                    if blank || indent > parent {
                        i = next_line(bytes, i);
                        continue;
                    }
                    block_scalar = None;
                }
            }
            line_start = false;
            let b = bytes[i];
            match b {
                b'\n' => {
                    line_start = true;
                    if self.flow.is_empty() {
                        value_start = true;
                    }
                }
                b' ' | b'\t' | b'\r' => {}
                b'#' if i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n') => {
                    i = next_line(bytes, i);
                    line_start = true;
                    continue;
                }
                b'"' | b'\'' if value_start => {
                    i = skip_quoted(bytes, i);
                    value_start = false;
                    continue;
                }
                b'{' | b'[' if value_start || !self.flow.is_empty() => {
                    if visit(i, b, self.flow.len()) {
                        return Some(i);
                    }
                    self.flow.push((b, i));
                    value_start = true;
                }
                b'}' | b']' if !self.flow.is_empty() => {
                    self.flow.pop();
                    if visit(i, b, self.flow.len()) {
                        return Some(i);
                    }
                    value_start = false;
                }
                b',' if !self.flow.is_empty() => {
                    if visit(i, b, self.flow.len()) {
                        return Some(i);
                    }
                    value_start = true;
                }
                b'|' | b'>' if value_start && self.flow.is_empty() => {
                    block_scalar = Some(key_column(bytes, i));
                    i = next_line(bytes, i);
                    line_start = true;
                    continue;
                }
                b':' | b'-' | b'?' => {
                    let next = bytes.get(i + 1).copied().unwrap_or(b'\n');
                    let indicator = matches!(next, b' ' | b'\t' | b'\n' | b'\r')
                        || (b == b':'
                            && !self.flow.is_empty()
                            && matches!(next, b',' | b'}' | b']'));
                    if b == b':' && indicator && visit(i, b, self.flow.len()) {
                        return Some(i);
                    }
                    value_start = indicator || value_start && b != b':';
                }
                _ => value_start = false,
            }
            i += 1;
        }
        None
    }
}

fn next_line(bytes: &[u8], i: usize) -> usize {
    bytes[i..]
        .iter()
        .position(|&b| b == b'\n')
        .map_or(bytes.len(), |p| i + p + 1)
}

/// The offset just past a quoted scalar starting at `i`.
fn skip_quoted(bytes: &[u8], i: usize) -> usize {
    let q = bytes[i];
    let mut j = i + 1;
    while j < bytes.len() {
        match bytes[j] {
            b'\\' if q == b'"' => j += 2,
            b'\'' if q == b'\'' && bytes.get(j + 1) == Some(&b'\'') => j += 2,
            c if c == q => return j + 1,
            _ => j += 1,
        }
    }
    bytes.len()
}

/// The column of the key on the line holding offset `i` (after any `- `).
fn key_column(bytes: &[u8], i: usize) -> usize {
    let start = bytes[..i]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    key_col_of(&bytes[start..next_line(bytes, start)])
}

/// Where the key of a block line starts: past its indentation and any
/// sequence dashes (`  - - key: v` → 6).
fn key_col_of(line: &[u8]) -> usize {
    let mut col = 0;
    loop {
        col += line[col..].iter().take_while(|&&b| b == b' ').count();
        if line.get(col) == Some(&b'-') && matches!(line.get(col + 1), Some(b' ')) {
            col += 1;
        } else {
            return col;
        }
    }
}

/// A block mapping's lines: (start offset, end offset incl. newline).
fn lines(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    for l in text.split_inclusive('\n') {
        out.push((start, start + l.len()));
        start += l.len();
    }
    out
}

fn set_in_block(text: &str, at: usize, key: &str, value: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let all = lines(text);
    let anchor = all
        .iter()
        .position(|&(s, e)| at >= s && at < e.max(s + 1))
        .unwrap_or(all.len() - 1);
    let line = |i: usize| &bytes[all[i].0..all[i].1];
    let content = |l: &[u8]| {
        let t = l
            .iter()
            .skip_while(|&&b| b == b' ')
            .copied()
            .collect::<Vec<u8>>();
        !(t.is_empty() || t[0] == b'\n' || t[0] == b'\r' || t[0] == b'#' || t.starts_with(b"---"))
    };
    let indent = |l: &[u8]| l.iter().take_while(|&&b| b == b' ').count();
    let kc = key_col_of(line(anchor));
    // The mapping's first line: upwards over deeper and sibling lines (and
    // blank or comment lines between them), up to a `- ` item line whose key
    // sits at `kc` (it starts the record) or a shallower parent line.
    let mut first = anchor;
    let mut up = anchor;
    while indent(line(up)) >= kc && up > 0 {
        up -= 1;
        let l = line(up);
        if !content(l) {
            continue;
        }
        if indent(l) >= kc || key_col_of(l) == kc {
            first = up;
        }
        if indent(l) < kc {
            break;
        }
    }
    // Its last line: downwards while lines are blank, comments, deeper, or
    // siblings (a `- ` at `kc` is a list value of the previous key).
    let mut last_content = anchor;
    let mut end = anchor + 1;
    while end < all.len() {
        let l = line(end);
        if content(l) {
            if indent(l) < kc {
                break;
            }
            last_content = end;
        }
        end += 1;
    }
    // An existing key at the mapping's key column is replaced with its value
    // (and the value's continuation lines).
    let needle = format!("{key}:");
    for i in first..=last_content {
        let l = line(i);
        let col = key_col_of(l);
        if col != kc || !l[col..].starts_with(needle.as_bytes()) {
            continue;
        }
        let after = col + needle.len();
        if !matches!(l.get(after), Some(b' ' | b'\n' | b'\r') | None) {
            continue;
        }
        let mut stop = i + 1;
        while stop <= last_content && (!content(line(stop)) || indent(line(stop)) > kc) {
            stop += 1;
        }
        let eol = if l.ends_with(b"\r\n") { "\r\n" } else { "\n" };
        let head = &text[all[i].0..all[i].0 + after];
        let replace_end = if stop > last_content {
            all[last_content].1
        } else {
            all[stop].0
        };
        return Ok(format!(
            "{}{head} {value}{eol}{}",
            &text[..all[i].0],
            &text[replace_end..]
        ));
    }
    let (_, insert_at) = all[last_content];
    let eol = if text.contains("\r\n") { "\r\n" } else { "\n" };
    let missing_eol = if text[..insert_at].ends_with('\n') {
        ""
    } else {
        eol
    };
    Ok(format!(
        "{}{missing_eol}{}{key}: {value}{eol}{}",
        &text[..insert_at],
        " ".repeat(kc),
        &text[insert_at..]
    ))
}

fn set_in_flow(text: &str, open: usize, key: &str, value: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut scan = Scan {
        flow: vec![(b'{', open)],
    };
    // Entry starts (just after `{` or `,` at depth 1) and the closing `}`.
    let mut starts = vec![open + 1];
    let mut colons = Vec::new();
    let close = scan
        .run(bytes, open + 1, bytes.len(), |i, b, depth| {
            match (b, depth) {
                (b'}', 0) => true,
                (b',', 1) => {
                    starts.push(i + 1);
                    false
                }
                (b':', 1) => {
                    colons.push(i);
                    false
                }
                _ => false,
            }
        })
        .ok_or("the record's `{` is never closed")?;
    let entry_end = |s: usize| starts.iter().find(|&&n| n > s).map_or(close, |&n| n - 1);
    for &s in &starts {
        let Some(&colon) = colons.iter().find(|&&c| c > s && c < entry_end(s)) else {
            continue;
        };
        if text[s..colon].trim() == key {
            let end = entry_end(s);
            let value_end = s.max(colon + 1) + text[colon + 1..end].trim_end().len();
            return Ok(format!(
                "{} {value}{}",
                &text[..colon + 1],
                &text[value_end..]
            ));
        }
    }
    let inner = text[open + 1..close].trim_end();
    let at = open + 1 + inner.len();
    let sep = if inner.trim().is_empty() || inner.ends_with(',') {
        " "
    } else {
        ", "
    };
    Ok(format!("{}{sep}{key}: {value}{}", &text[..at], &text[at..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records<'v>(v: &'v mut Value, id: &str) -> Option<&'v mut serde_json::Map<String, Value>> {
        v.as_array_mut()?
            .iter_mut()
            .find(|r| r.get("id").and_then(Value::as_str) == Some(id))?
            .as_object_mut()
    }

    fn set(text: &str, line: usize, column: usize, key: &str, value: &str, id: &str) -> String {
        set_checked(text, Pos::new(line, column), key, value, |v| records(v, id))
            .unwrap_or_else(|e| panic!("{e}\n{text}"))
    }

    #[test]
    fn keys_are_added_to_block_records_and_nothing_else_moves() {
        let text = "# awards\n- id: AAAA\n  badge: b # the exam\n  evidence:\n    - url: https://x.org/\n      narrative: |\n        it's {fine}: yes\n\n# next one\n- id: BBBB\n  badge: c\n";
        let out = set(text, 2, 7, "revised_on", "2026-12-04", "AAAA");
        assert_eq!(
            out,
            "# awards\n- id: AAAA\n  badge: b # the exam\n  evidence:\n    - url: https://x.org/\n      narrative: |\n        it's {fine}: yes\n  revised_on: 2026-12-04\n\n# next one\n- id: BBBB\n  badge: c\n"
        );
        let out = set(
            text,
            10,
            7,
            "revoked",
            "{ on: 2026-12-04, reason: \"a: b\" }",
            "BBBB",
        );
        assert!(
            out.ends_with(
                "- id: BBBB\n  badge: c\n  revoked: { on: 2026-12-04, reason: \"a: b\" }\n"
            ),
            "{out}"
        );
        // A key in the middle of the record, and no final newline.
        let out = set(
            "- badge: b\n  id: CCCC\n  earner: e",
            2,
            7,
            "revised_on",
            "2026-01-02",
            "CCCC",
        );
        assert_eq!(
            out,
            "- badge: b\n  id: CCCC\n  earner: e\n  revised_on: 2026-01-02\n"
        );
    }

    #[test]
    fn an_existing_key_is_replaced() {
        let text = "- id: AAAA\n  revised_on: 2025-01-01 # old\n  badge: b\n";
        assert_eq!(
            set(text, 1, 7, "revised_on", "2026-12-04", "AAAA"),
            "- id: AAAA\n  revised_on: 2026-12-04\n  badge: b\n"
        );
        let text = "- { id: AAAA, revised_on: 2025-01-01, badge: b }\n";
        assert_eq!(
            set(text, 1, 9, "revised_on", "2026-12-04", "AAAA"),
            "- { id: AAAA, revised_on: 2026-12-04, badge: b }\n"
        );
    }

    #[test]
    fn keys_are_added_to_flow_records() {
        let text = "  - { id: AAAA, badge: b, narrative: 'it''s, {x}' } # c\r\n  - {id: BBBB,\r\n     badge: c}\r\n";
        let out = set(text, 1, 11, "revised_on", "2026-12-04", "AAAA");
        assert_eq!(
            out,
            "  - { id: AAAA, badge: b, narrative: 'it''s, {x}', revised_on: 2026-12-04 } # c\r\n  - {id: BBBB,\r\n     badge: c}\r\n"
        );
        let out = set(text, 2, 11, "revised_on", "2026-12-04", "BBBB");
        assert!(
            out.ends_with("  - {id: BBBB,\r\n     badge: c, revised_on: 2026-12-04}\r\n"),
            "{out:?}"
        );
    }

    #[test]
    fn nested_and_top_level_mappings() {
        let site =
            "title: T\nissuer:\n  name: A\n  url: https://a.org # home\nsigning:\n  key_file: k\n";
        let out = set_checked(site, Pos::new(3, 9), "revised_on", "2026-12-04", |v| {
            v.get_mut("issuer")?.as_object_mut()
        })
        .unwrap();
        assert_eq!(
            out,
            "title: T\nissuer:\n  name: A\n  url: https://a.org # home\n  revised_on: 2026-12-04\nsigning:\n  key_file: k\n"
        );
        let badge = "id: x\nkind: exam\nskills:\n- a\n- b\n# end\n";
        let out = set_checked(badge, Pos::new(1, 5), "revised_on", "2026-12-04", |v| {
            v.as_object_mut()
        })
        .unwrap();
        assert_eq!(
            out,
            "id: x\nkind: exam\nskills:\n- a\n- b\nrevised_on: 2026-12-04\n# end\n"
        );
    }

    #[test]
    fn layouts_it_cannot_edit_are_refused() {
        // A quoted key the scanner does not read as the key: adding a second
        // one would not parse back as the same record, so nothing is written.
        let text = "- id: AAAA\n  \"revised_on\": 2025-01-01\n";
        assert!(
            set_checked(text, Pos::new(1, 7), "revised_on", "2026-12-04", |v| {
                records(v, "AAAA")
            })
            .is_err()
        );
        // Records in a flow list are mappings like any other.
        let text = "[{id: AAAA, badge: b}]\n";
        assert_eq!(
            set(text, 1, 6, "revised_on", "2026-12-04", "AAAA"),
            "[{id: AAAA, badge: b, revised_on: 2026-12-04}]\n"
        );
    }
}
