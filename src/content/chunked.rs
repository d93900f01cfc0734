//! Parsing a big list file in pieces, in parallel.
//!
//! A large site keeps its earners and awards in a few list files of
//! hundreds of thousands of records each, and one thread parsing one such
//! file was most of a rebuild's time. Such a file is a list written at the
//! left margin: every line that starts with `- ` starts a record. Cut
//! before such lines, each piece is a list of its own and parses on its
//! own thread.
//!
//! Each piece is parsed behind as many empty lines as come before it in
//! the file, so that every line the parser reports, in a value's position
//! or in an error, is the file's own line; columns need nothing, as a
//! piece starts at the start of a line. Errors in a record are then found
//! and set aside within its piece ([`recover::list`]).
//!
//! A cut inside something that spans lines (a quoted text or a `[`/`{`
//! written over several lines) leaves the piece before it unfinished, and
//! an alias to an anchor of another piece leaves the anchor unknown: a
//! piece that is not a list of its own makes the whole file parse as one,
//! as any file that is not cut does, so what is reported never depends on
//! where the cuts fell. Files with a second document (`---` or `...` at
//! the margin) or with lone carriage returns (line breaks that this
//! module's line count would miss) are never cut.

use std::path::Path;
use std::sync::Arc;

use rayon::prelude::*;
use serde::de::DeserializeOwned;

use super::recover::{self, Parsed};

/// Files smaller than two pieces of this size are parsed whole.
const MIN_PIECE: usize = 1 << 20;

/// Parses a file holding a list of records, in pieces when it is large
/// (see the module documentation).
pub fn list<T: DeserializeOwned + Send>(file: &Arc<Path>, text: &str) -> Parsed<T> {
    // A few pieces per thread even out pieces that parse slower; each
    // more costs the empty lines it is parsed behind.
    let threads = 2 * rayon::current_num_threads();
    in_pieces(file, text, (text.len() / MIN_PIECE).min(threads))
}

/// [`list`] in about `n` pieces.
fn in_pieces<T: DeserializeOwned + Send>(file: &Arc<Path>, text: &str, n: usize) -> Parsed<T> {
    let pieces = pieces(text, n);
    if pieces.len() < 2 {
        return recover::list(file, text);
    }
    let parsed: Vec<Parsed<T>> = pieces
        .par_iter()
        .map(|piece| recover::list(file, &piece.padded(text)))
        .collect();
    if parsed.iter().any(|p| p.lost_whole) {
        return recover::list(file, text);
    }
    joined(parsed)
}

/// A part of the file: its byte range, and the lines before it.
#[derive(Debug, PartialEq)]
struct Piece {
    start: usize,
    end: usize,
    lines_before: usize,
}

impl Piece {
    /// The piece's text behind an empty line for each line before it.
    fn padded(&self, text: &str) -> String {
        let body = &text[self.start..self.end];
        let mut padded = String::with_capacity(self.lines_before + body.len());
        padded.extend(std::iter::repeat_n('\n', self.lines_before));
        padded.push_str(body);
        padded
    }
}

/// About `n` pieces of `text`, cut before records of its top-level list
/// near equal sizes; one piece (the whole text) when it may not be cut.
fn pieces(text: &str, n: usize) -> Vec<Piece> {
    let whole = || {
        vec![Piece {
            start: 0,
            end: text.len(),
            lines_before: 0,
        }]
    };
    if n < 2 || !may_cut(text) {
        return whole();
    }
    let mut cuts: Vec<usize> = (1..n)
        .filter_map(|k| record_at_or_after(text, k * text.len() / n))
        .collect();
    cuts.dedup();
    if cuts.is_empty() {
        return whole();
    }
    let bounds: Vec<usize> = std::iter::once(0).chain(cuts).chain([text.len()]).collect();
    let mut lines_before = 0;
    bounds
        .windows(2)
        .map(|w| {
            let piece = Piece {
                start: w[0],
                end: w[1],
                lines_before,
            };
            lines_before += memchr::memchr_iter(b'\n', &text.as_bytes()[w[0]..w[1]]).count();
            piece
        })
        .collect()
}

/// Whether `text`'s lines are all counted by its `\n`s and it holds one
/// document.
fn may_cut(text: &str) -> bool {
    let bytes = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|i| bytes.get(i + 1) != Some(&b'\n'));
    !lone_cr && !text.contains("\n---") && !text.contains("\n...")
}

/// The start of the first line at or after byte `from` that starts a
/// record of a list at the margin (`- `, or a lone `-`).
fn record_at_or_after(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while let Some(i) = memchr::memchr(b'\n', bytes.get(at..)?) {
        let line = at + i + 1;
        if bytes.get(line) == Some(&b'-')
            && matches!(bytes.get(line + 1), None | Some(b' ' | b'\n' | b'\r'))
        {
            return Some(line);
        }
        at = line;
    }
    None
}

/// The pieces' records, errors and lost ids, in the file's order.
fn joined<T>(pieces: Vec<Parsed<T>>) -> Parsed<T> {
    let total = pieces.iter().map(|p| p.records.len()).sum::<usize>();
    let mut pieces = pieces.into_iter();
    let Some(mut all) = pieces.next() else {
        return Parsed::default();
    };
    all.records.reserve_exact(total - all.records.len());
    for p in pieces {
        all.records.extend(p.records);
        all.errors.extend(p.errors);
        all.lost_ids.extend(p.lost_ids);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::content::{Located, Spanned};
    use crate::diagnostics::Diagnostic;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Rec {
        id: Spanned<String>,
        #[serde(default)]
        n: Option<Spanned<u32>>,
    }

    /// What a parse gave, comparable: ids with their positions, errors
    /// with theirs, and the lost ids.
    fn summary(p: &Parsed<Rec>) -> (Vec<String>, Vec<String>, Vec<String>) {
        let rec = |l: &Located<Rec>| {
            let r = &l.record;
            let n = r.n.as_ref().map(|n| (n.value, n.pos()));
            format!("{} {:?} {n:?}", r.id.value, r.id.pos())
        };
        let err = |d: &Diagnostic| format!("{:?} {} {:?}", d.pos, d.message, d.help);
        (
            p.records.iter().map(rec).collect(),
            p.errors.iter().map(err).collect(),
            p.lost_ids.clone(),
        )
    }

    fn file() -> Arc<Path> {
        Arc::from(Path::new("content/awards/x.yaml"))
    }

    /// Parsed in `n` pieces, the text gives exactly what it gives whole.
    fn same_as_whole(text: &str, n: usize) -> Parsed<Rec> {
        let whole = recover::list::<Rec>(&file(), text);
        let cut = in_pieces::<Rec>(&file(), text, n);
        assert_eq!(summary(&cut), summary(&whole), "{text}");
        cut
    }

    /// Records of several shapes, with comments, blank lines and CRLF.
    fn records(count: usize) -> String {
        (0..count)
            .map(|i| match i % 4 {
                0 => format!("- {{ id: r{i}, n: {i} }}\n"),
                1 => format!("# record {i}\n- id: r{i}\n  n: {i}\n\n"),
                2 => format!("-\n  id: \"r{i}\"\r\n"),
                _ => format!("- id: r{i}  # é\n"),
            })
            .collect()
    }

    #[test]
    fn pieces_start_at_records_and_count_the_lines_before_them() {
        let text = records(40);
        let pieces = pieces(&text, 4);
        assert_eq!(pieces.len(), 4, "{pieces:?}");
        for p in &pieces[1..] {
            assert!(text[p.start..].starts_with('-'), "{p:?}");
            assert_eq!(p.lines_before, text[..p.start].matches('\n').count());
        }
        assert_eq!(pieces.last().unwrap().end, text.len());
    }

    #[test]
    fn records_parsed_in_pieces_are_the_records_parsed_whole() {
        let text = records(40);
        let p = same_as_whole(&text, 5);
        assert_eq!(p.records.len(), 40);
        assert!(p.errors.is_empty(), "{:?}", p.errors);
        // Not cut: documents, lone carriage returns, a flow list.
        let uncut = |t: &str| pieces(t, 3).len() == 1;
        assert!(uncut(&format!("{text}---\n{text}")));
        assert!(uncut(&format!("{text}- id: x\r- id: y\n{text}")));
        assert!(uncut(&format!("[{}]", "{id: a}, ".repeat(100))));
    }

    /// An error in a later piece is found there, at the file's line and
    /// column, and the records around it are kept.
    #[test]
    fn errors_in_a_later_piece_are_located_in_the_file() {
        let mut text = records(40);
        text.push_str("- { id: bad1, n: many }\n");
        text.push_str(&records(20));
        text.push_str("- id: bad2\n  colour: red\n");
        let p = same_as_whole(&text, 6);
        assert_eq!(p.records.len(), 60);
        assert_eq!(p.lost_ids, ["bad1", "bad2"]);
        let lines: Vec<&str> = text.lines().collect();
        let at = |d: &Diagnostic| (lines[d.pos.line - 1], d.pos.column);
        assert_eq!(at(&p.errors[0]), ("- { id: bad1, n: many }", 18));
        assert_eq!(at(&p.errors[1]), ("  colour: red", 3));
    }

    /// A piece that is no list of its own makes the file parse whole.
    #[test]
    fn what_spans_a_cut_is_read_as_the_whole_file_reads_it() {
        let text = records(30);
        // An anchor in the first piece, its alias in the last.
        let alias = format!("- &first {{ id: a0 }}\n{text}- *first\n");
        same_as_whole(&alias, 4);
        // A quoted text over lines, one of them like a record.
        let quoted = format!("{text}- id: \"q\n- id: r\"\n{text}");
        same_as_whole(&quoted, 4);
        // Broken YAML in a later piece: the file is lost, as whole.
        let broken = format!("{text}- {{ id: x, n: [\n{text}");
        let p = same_as_whole(&broken, 4);
        assert!(p.records.is_empty());
        // Not a list at all.
        let map = format!("awards:\n{text}");
        same_as_whole(&map, 4);
    }
}
