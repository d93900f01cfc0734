//! The errors and warnings a user sees: a location in a content file, what is
//! wrong, and a `help:` line saying what to write instead — printed the way
//! rustc prints them, with the offending line and a caret under the column.
//!
//! This module owns presentation only; the checks live in `content` and `rules`.

use std::fmt;
use std::path::{Path, PathBuf};

/// How serious a diagnostic is: errors stop a build, warnings do not.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Severity {
    Error,
    Warning,
}

/// A 1-based line and column in a file (0 means unknown), and how many
/// characters the faulty value spans there, so the caret underlines all of it.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub column: usize,
    /// Characters to underline from `column`; 0 when unknown (one caret).
    pub len: usize,
}

impl Pos {
    pub fn new(line: usize, column: usize) -> Self {
        Self {
            line,
            column,
            len: 0,
        }
    }

    /// The same position, underlining `len` characters.
    pub fn with_len(self, len: usize) -> Self {
        Self { len, ..self }
    }

    /// Where a parsed YAML value was written, with its length in characters.
    pub fn from_location(loc: serde_saphyr::Location) -> Self {
        Self::new(loc.line() as usize, loc.column() as usize).with_len(loc.span().len() as usize)
    }
}

/// One finding about the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// Path relative to the site root, as the user would type it.
    pub file: PathBuf,
    pub pos: Pos,
    pub message: String,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Error,
            file: file.into(),
            pos,
            message: message.into(),
            help: None,
        }
    }

    pub fn warning(file: impl Into<PathBuf>, pos: Pos, message: impl Into<String>) -> Self {
        Self {
            severity: Severity::Warning,
            ..Self::error(file, pos, message)
        }
    }

    /// The same finding as a warning (what `build` refuses, `check` warns of).
    pub fn into_warning(self) -> Self {
        Self {
            severity: Severity::Warning,
            ..self
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Renders the diagnostic with a snippet of the file under `root`.
    pub fn render(&self, root: &Path) -> String {
        let source = (self.pos.line > 0)
            .then(|| std::fs::read_to_string(root.join(&self.file)).ok())
            .flatten();
        self.render_with_source(source.as_deref())
    }

    /// rustc's layout: `--> file:line:col` and the line with a caret under
    /// the value. A finding about a whole file (no line) names the file in
    /// a `= file:` note instead of pretending to be a location; one about no
    /// file at all (an empty path) names none.
    pub fn render_with_source(&self, source: Option<&str>) -> String {
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        let mut out = format!("{label}: {}\n", self.message);
        let number = self.pos.line.to_string();
        let pad = " ".repeat(number.len());
        if self.pos.line == 0 {
            if !self.file.as_os_str().is_empty() {
                out.push_str(&format!("{pad} = file: {}\n", self.file.display()));
            }
        } else {
            let file = self.file.display();
            out.push_str(&format!("{pad}--> {file}:{number}:{}\n", self.pos.column));
            if let Some(text) = source.and_then(|s| s.lines().nth(self.pos.line - 1)) {
                let (shown, caret) = underline(text, self.pos.column, self.pos.len);
                out.push_str(&format!("{pad} |\n{number} | {shown}\n{pad} | {caret}\n"));
            }
        }
        if let Some(help) = &self.help {
            out.push_str(&format!("{pad} = help: {help}\n"));
        }
        out
    }
}

/// Characters of a long line shown before the column (a minified SVG or a
/// long flow list is one line); the excerpt is at most about twice this.
const CONTEXT: usize = 60;

/// A source line as shown (tabs as four spaces) and the caret line under it:
/// `^` under each column of the `len` characters from `column` (1-based),
/// at least one, never past the end of the line. A long line is cut to the
/// part around the column, with `…` where text was left out.
fn underline(text: &str, column: usize, len: usize) -> (String, String) {
    let chars = text.chars().count();
    if chars > 2 * CONTEXT + 20 {
        let from = column.saturating_sub(1).saturating_sub(CONTEXT);
        let to = (column.saturating_sub(1) + len.max(1) + CONTEXT).min(chars);
        let part: String = text.chars().skip(from).take(to - from).collect();
        let (head, tail) = (
            if from > 0 { "…" } else { "" },
            if to < chars { "…" } else { "" },
        );
        let (shown, caret) = underline(&part, column - from, len.min(to - (column - 1)));
        return (
            format!("{head}{shown}{tail}"),
            format!("{}{caret}", " ".repeat(head.len().min(1))),
        );
    }
    let width = |c: char| if c == '\t' { 4 } else { display_width(c) };
    let start = column.saturating_sub(1);
    let before: usize = text.chars().take(start).map(width).sum();
    let under: usize = text.chars().skip(start).take(len.max(1)).map(width).sum();
    let caret = " ".repeat(before) + &"^".repeat(under.max(1));
    (text.replace('\t', "    "), caret)
}

/// Columns a character takes in a terminal: wide for CJK, so carets line up.
fn display_width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6
        | 0x20000..=0x3FFFD => 2,
        _ => 1,
    }
}

/// Everything found in one run, in a stable order (file, then position).
#[derive(Debug, Default, Clone)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }

    pub fn has_errors(&self) -> bool {
        self.0.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn errors(&self) -> usize {
        self.0
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    pub fn warnings(&self) -> usize {
        self.0.len() - self.errors()
    }

    /// Sorts by file and position, so output does not depend on thread order.
    pub fn sort(&mut self) {
        self.0.sort_by(|a, b| {
            (&a.file, a.pos, a.severity, &a.message).cmp(&(&b.file, b.pos, b.severity, &b.message))
        });
        self.0.dedup();
    }

    pub fn render(&self, root: &Path) -> String {
        self.0.iter().map(|d| d.render(root) + "\n").collect()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.render_with_source(None))
    }
}

/// "Did you mean" for a misspelt name: the closest candidate, if close enough.
pub fn did_you_mean<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(word, c), c))
        .filter(|(d, c)| *d <= (c.len().max(word.len()) / 3).max(1))
        .min()
        .map(|(_, c)| c)
}

/// A `help:` line for a name that matched nothing: "did you mean `x`?" when
/// a candidate is close, else `otherwise`.
pub fn suggest<'a>(
    word: &str,
    candidates: impl IntoIterator<Item = &'a str>,
    otherwise: impl Into<String>,
) -> String {
    match did_you_mean(word, candidates) {
        Some(s) => format!("did you mean `{s}`?"),
        None => otherwise.into(),
    }
}

/// Edit distance where swapping two neighbouring letters counts as one edit
/// (the typo users make most: `nmae` for `name`).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            d[i][j] = (d[i - 1][j] + 1)
                .min(d[i][j - 1] + 1)
                .min(d[i - 1][j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d[i][j] = d[i][j].min(d[i - 2][j - 2] + 1);
            }
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_lines_are_shown_around_the_column() {
        let line = format!("{}<script>x</script>{}", "a".repeat(5000), "b".repeat(5000));
        let (shown, caret) = underline(&line, 5001, 8);
        assert!(shown.len() < 200, "{shown}");
        assert!(shown.starts_with('…') && shown.ends_with('…'));
        let at = caret.find('^').unwrap();
        assert_eq!(
            &shown.chars().skip(at).take(8).collect::<String>(),
            "<script>",
            "{shown}\n{caret}"
        );
        // Near the start, nothing is cut before it.
        let (shown, caret) = underline(&line, 1, 1);
        assert!(shown.starts_with("aaa") && shown.ends_with('…'));
        assert_eq!(caret, "^");
    }

    #[test]
    fn renders_snippet_with_caret_under_column() {
        let d = Diagnostic::error(
            "content/badges/a.yaml",
            Pos::new(2, 7),
            "unknown field `nmae`",
        )
        .help("did you mean `name`?");
        let out = d.render_with_source(Some("id: a\nnmae: x\n"));
        assert!(out.contains("--> content/badges/a.yaml:2:7"), "{out}");
        assert!(out.contains("2 | nmae: x\n  |       ^\n"), "{out}");
        assert!(out.contains("= help: did you mean `name`?"), "{out}");
    }

    #[test]
    fn caret_underlines_the_whole_value_and_stops_at_the_line_end() {
        let d = Diagnostic::error("a.yaml", Pos::new(1, 10).with_len(9), "no such earner");
        let out = d.render_with_source(Some("earner: [e-li-leii]\n"));
        assert!(
            out.contains("1 | earner: [e-li-leii]\n  |          ^^^^^^^^^\n"),
            "{out}"
        );
        let d = Diagnostic::error("a.yaml", Pos::new(1, 7).with_len(50), "long");
        let out = d.render_with_source(Some("name: 李雷\n"));
        assert!(
            out.contains("  |       ^^^^\n"),
            "wide characters take two columns: {out}"
        );
    }

    #[test]
    fn a_finding_without_a_line_names_the_file_without_a_location() {
        let d = Diagnostic::warning("content/faq/zh-CN.md", Pos::default(), "no FAQ in `zh-CN`")
            .help("write it");
        let out = d.render_with_source(None);
        assert_eq!(
            out,
            "warning: no FAQ in `zh-CN`\n  = file: content/faq/zh-CN.md\n  = help: write it\n"
        );
        let d = Diagnostic::error("", Pos::default(), "no site here").help("run init");
        assert_eq!(
            d.render_with_source(None),
            "error: no site here\n  = help: run init\n"
        );
    }

    #[test]
    fn suggests_close_names_only() {
        assert_eq!(did_you_mean("nmae", ["name", "id", "kind"]), Some("name"));
        assert_eq!(did_you_mean("colour", ["name", "id"]), None);
    }
}
