//! `accolade import`: awards (and new earners) in bulk from a CSV file.
//!
//! All or nothing: every row is checked first and every bad row reported
//! with its line and column; only when all rows are good is anything
//! written. Records are appended as text (see `award::Edit`), so existing
//! files keep their comments and formatting.
//!
//! **Duplicates.** A row is the same award as an existing one when badge,
//! earner and `issued_on` are equal; such rows are skipped, so importing the
//! same file twice adds nothing the second time. Rows without `issued_on`
//! are issued today, so for repeatable imports give the date.
//!

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::progress::Progress;

use super::award::{Edit, Minter, NewAward, award_target, today, write_all, yaml_str};
use crate::content::{self, AwardFile, EarnerFile};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, did_you_mean, suggest};
use crate::rules::{is_absolute_url, is_slug};

/// The columns an import CSV may have (`badge` and `earner` are required).
pub const COLUMNS: [&str; 8] = [
    "badge",
    "earner",
    "name",
    "email",
    "issued_on",
    "expires_on",
    "evidence_url",
    "evidence_narrative",
];

/// Where new earners go, relative to the site root.
pub const IMPORTED_EARNERS: &str = "content/earners/imported.yaml";

/// `accolade import --help`, after the options.
pub const HELP: &str = "\
The CSV has a header row naming its columns, in any order:
  badge, earner, name, email, issued_on, expires_on, evidence_url, evidence_narrative
badge and earner are required. An earner id that does not exist yet needs
name and email; new earners are appended to content/earners/imported.yaml
(unlisted, not auto-accepting). Empty issued_on means today; empty expires_on
means the badge's validity. Fields may be quoted (\"a, b\", \"say \"\"hi\"\"\").

All or nothing: every row is checked first; if any row is bad, each problem
is reported with its line and nothing is written.

Duplicates: a row with the same badge, earner and issued_on as an existing
award (or an earlier row) is skipped, so importing a file again adds nothing
(give issued_on for that to hold).

The new awards are printed as CSV: id, badge, earner, issued_on, url.

Example:
  accolade import awards.csv > minted.csv
  # awards.csv:
  badge,earner,name,email,issued_on
  az-900,e-li-lei,,,2026-01-15
  az-900,e-new-person,\"Person, New\",new@example.com,2026-01-15";

pub struct Options<'a> {
    pub root: &'a Path,
    pub csv: &'a Path,
    /// Award file for every imported award, relative to the root
    /// (default: `content/awards/<year of issue>.yaml`).
    pub into: Option<&'a Path>,
}

pub fn run(opts: &Options) -> i32 {
    let today = match today() {
        Ok(d) => d,
        Err(msg) => return fail(&msg, 2),
    };
    if let Err(msg) = award_target(opts.root, opts.into, today.year) {
        return fail(&msg, 2);
    }
    let shown = opts.csv.display().to_string();
    let text = match std::fs::read(opts.csv) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(t) => t,
            Err(_) => {
                return fail(
                    &format!("`{shown}` is not UTF-8 text; save the CSV as UTF-8"),
                    1,
                );
            }
        },
        Err(e) => return fail(&format!("cannot read `{shown}`: {e}"), 2),
    };
    let report = |diags: &mut Diagnostics| {
        diags.sort();
        for d in &diags.0 {
            eprintln!("{}", d.render_with_source(Some(&text)));
        }
    };

    let records = match parse_csv(&text) {
        Ok(r) => r,
        Err((pos, msg, help)) => {
            let mut d = Diagnostics::default();
            d.push(Diagnostic::error(&shown, pos, msg).help(help));
            report(&mut d);
            return fail("the CSV cannot be read; nothing was written", 1);
        }
    };
    let Some((header, rows)) = records.split_first() else {
        return fail(
            &format!(
                "`{shown}` is empty; it needs a header row such as `{}`",
                COLUMNS.join(",")
            ),
            1,
        );
    };
    let columns = match read_header(&shown, header) {
        Ok(c) => c,
        Err(mut d) => {
            report(&mut d);
            return fail("the CSV header is not valid; nothing was written", 1);
        }
    };

    let loading = Progress::spinner("Loading the site");
    let (content, diags) = content::load_complete(opts.root);
    loading.finish(None);
    let Some(content) = content else {
        super::report(opts.root, &diags);
        return fail(
            "the site's content has errors; fix them before importing",
            1,
        );
    };

    let mut check = Checker {
        file: &shown,
        today,
        columns: &columns,
        badges: content
            .badges
            .iter()
            .map(|b| b.record.id.value.trim().to_string())
            .collect(),
        earners: content
            .earners
            .iter()
            .map(|e| {
                (
                    e.record.id.value.trim().to_string(),
                    e.record.email.value.trim().to_lowercase(),
                )
            })
            .collect(),
        new_earners: Vec::new(),
        new_index: HashMap::new(),
        diags: Diagnostics::default(),
    };
    let progress = Progress::bar("Checking rows", rows.len() as u64);
    let mut good = Vec::with_capacity(rows.len());
    let mut bad_rows = 0;
    for rec in rows {
        let before = check.diags.errors();
        let row = check.row(rec);
        if check.diags.errors() > before {
            bad_rows += 1;
        } else if let Some(row) = row {
            good.push(row);
        }
        progress.inc(1);
    }
    progress.finish(Some(&format!("Checked {} rows.", rows.len())));
    if check.diags.has_errors() {
        report(&mut check.diags);
        return fail(
            &format!(
                "{bad_rows} of {} rows {} errors; nothing was written",
                rows.len(),
                if bad_rows == 1 { "has" } else { "have" }
            ),
            1,
        );
    }
    if !check.diags.0.is_empty() {
        report(&mut check.diags);
    }

    // Duplicates: same badge, earner and issue date as an existing award or
    // an earlier row.
    let mut seen: HashSet<(String, String, Date)> = content
        .awards
        .iter()
        .filter_map(|a| {
            let r = &a.record;
            Some((
                r.badge.value.trim().to_string(),
                r.earner.value.trim().to_string(),
                Date::parse(r.issued_on.value.trim())?,
            ))
        })
        .collect();
    let mut minter = Minter::new(&content);
    let mut by_file: BTreeMap<PathBuf, Vec<NewAward>> = BTreeMap::new();
    let mut skipped = 0usize;
    let mut used_earners: HashSet<String> = HashSet::new();
    for row in good {
        if !seen.insert((row.badge.clone(), row.earner.clone(), row.issued)) {
            skipped += 1;
            continue;
        }
        let id = match minter.mint() {
            Ok(id) => id,
            Err(msg) => return fail(&msg, 1),
        };
        let target = match award_target(opts.root, opts.into, row.issued.year) {
            Ok(t) => t,
            Err(msg) => return fail(&msg, 2),
        };
        used_earners.insert(row.earner.clone());
        by_file.entry(target).or_default().push(NewAward {
            id,
            badge: row.badge,
            earner: row.earner,
            issued_on: row.issued,
            expires_on: row.expires,
            evidence: row.evidence,
        });
    }
    let new_earners: Vec<&NewEarner> = check
        .new_earners
        .iter()
        .filter(|e| used_earners.contains(&e.id))
        .collect();
    let added: usize = by_file.values().map(Vec::len).sum();
    if added == 0 {
        eprintln!(
            "Nothing to import: all {skipped} rows are already imported (same badge, earner and issued_on)."
        );
        return 0;
    }

    let csv_name = opts
        .csv
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| shown.clone());
    let comment = format!("Imported from {csv_name} on {today}.");
    let writing = Progress::spinner("Preparing the files");
    let mut edits = Vec::new();
    for (rel, awards) in &by_file {
        let items: Vec<String> = awards.iter().map(NewAward::to_yaml).collect();
        let old = content.awards.iter().filter(|a| *a.file == **rel).count();
        let year = rel
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|s| s.len() == 4 && s.bytes().all(|b| b.is_ascii_digit()));
        let header = match year {
            Some(y) => format!("# Awards issued in {y}.\n"),
            None => "# Awards.\n".to_string(),
        };
        match Edit::append::<AwardFile>(opts.root, rel, &header, Some(&comment), &items, old) {
            Ok(e) => edits.push(e),
            Err(d) => {
                writing.finish(None);
                eprint!("{}", d.render(opts.root));
                return fail("nothing was written", 1);
            }
        }
    }
    if !new_earners.is_empty() {
        let rel = Path::new(IMPORTED_EARNERS);
        let items: Vec<String> = new_earners
            .iter()
            .map(|e| {
                format!(
                    "- id: {}\n  name: {}\n  email: {}\n",
                    yaml_str(&e.id),
                    yaml_str(&e.name),
                    yaml_str(&e.email)
                )
            })
            .collect();
        let old = content.earners.iter().filter(|e| *e.file == *rel).count();
        let header = "# Earners added by `accolade import`.\n\
            # They get the defaults: `profile: unlisted` (award pages reachable by link\n\
            # and QR code only) and `auto_accept: false` (each award is published once\n\
            # it has `accepted: true`). Change either here, per earner.\n";
        match Edit::append::<EarnerFile>(opts.root, rel, header, Some(&comment), &items, old) {
            Ok(e) => edits.push(e),
            Err(d) => {
                writing.finish(None);
                eprint!("{}", d.render(opts.root));
                return fail("nothing was written", 1);
            }
        }
    }
    if let Err(msg) = write_all(opts.root, &edits) {
        writing.finish(None);
        return fail(&msg, 1);
    }
    writing.finish(None);

    let base = content.base_url();
    let mut out = String::from("id,badge,earner,issued_on,url\n");
    for a in by_file.values().flatten() {
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&a.id),
            csv_field(&a.badge),
            csv_field(&a.earner),
            a.issued_on,
            csv_field(&format!("{base}/verify/{}/", a.id))
        ));
    }
    print!("{out}");
    let files: Vec<String> = edits
        .iter()
        .map(|e| format!("`{}`", e.rel.display()))
        .collect();
    eprintln!(
        "Imported {added} award{} and {} new earner{} into {}{}.",
        plural(added),
        new_earners.len(),
        plural(new_earners.len()),
        files.join(", "),
        if skipped > 0 {
            format!(
                "; skipped {skipped} row{} already imported (same badge, earner and issued_on)",
                plural(skipped)
            )
        } else {
            String::new()
        }
    );
    if !new_earners.is_empty() {
        eprintln!(
            "note: new earners are unlisted and do not auto-accept, so their awards are published once accepted; see `{IMPORTED_EARNERS}`"
        );
    }
    0
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn fail(msg: &str, code: i32) -> i32 {
    eprintln!("error: {msg}");
    code
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A CSV field: its text and where it starts (1-based line and column).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub value: String,
    pub pos: Pos,
}

/// A CSV record: its fields and the line it starts on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    pub line: usize,
    pub fields: Vec<Field>,
}

/// Parses RFC 4180 CSV: comma-separated fields, optionally in double
/// quotes (which may hold commas, line breaks and `""` for a quote),
/// CRLF or LF line ends, an optional UTF-8 byte-order mark. Whitespace
/// around a field is trimmed; blank lines are skipped.
pub fn parse_csv(text: &str) -> Result<Vec<Record>, (Pos, String, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut records = Vec::new();
    let mut chars = text.chars().peekable();
    let (mut line, mut col) = (1usize, 1usize);
    let mut fields: Vec<Field> = Vec::new();
    let mut record_line = 1;
    loop {
        // At the start of a field.
        while matches!(chars.peek(), Some(' ' | '\t')) {
            chars.next();
            col += 1;
        }
        let start = Pos::new(line, col);
        let mut value = String::new();
        let mut quoted = false;
        if chars.peek() == Some(&'"') {
            quoted = true;
            chars.next();
            col += 1;
            loop {
                match chars.next() {
                    None => {
                        return Err((
                            start,
                            "this quoted field is never closed".into(),
                            "end it with `\"`; write a quote inside a quoted field as `\"\"`"
                                .into(),
                        ));
                    }
                    Some('"') if chars.peek() == Some(&'"') => {
                        chars.next();
                        col += 2;
                        value.push('"');
                    }
                    Some('"') => {
                        col += 1;
                        break;
                    }
                    Some('\n') => {
                        line += 1;
                        col = 1;
                        value.push('\n');
                    }
                    Some('\r') => {
                        if chars.peek() == Some(&'\n') {
                            chars.next();
                        }
                        line += 1;
                        col = 1;
                        value.push('\n');
                    }
                    Some(c) => {
                        col += 1;
                        value.push(c);
                    }
                }
            }
            while matches!(chars.peek(), Some(' ' | '\t')) {
                chars.next();
                col += 1;
            }
            if !matches!(chars.peek(), None | Some(',' | '\n' | '\r')) {
                return Err((
                    Pos::new(line, col),
                    "unexpected text after a closing quote".into(),
                    "a quoted field ends at its closing `\"`; write a quote inside it as `\"\"`"
                        .into(),
                ));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if matches!(c, ',' | '\n' | '\r') {
                    break;
                }
                value.push(c);
                chars.next();
                col += 1;
            }
        }
        let value = if quoted {
            value.trim().to_string()
        } else {
            value.trim_end().to_string()
        };
        fields.push(Field { value, pos: start });
        match chars.next() {
            Some(',') => {
                col += 1;
            }
            end => {
                if end == Some('\r') && chars.peek() == Some(&'\n') {
                    chars.next();
                }
                let blank = fields.len() == 1 && fields[0].value.is_empty() && !quoted;
                if !blank {
                    records.push(Record {
                        line: record_line,
                        fields: std::mem::take(&mut fields),
                    });
                }
                fields.clear();
                if end.is_none() {
                    break;
                }
                line += 1;
                col = 1;
                record_line = line;
                if chars.peek().is_none() {
                    break;
                }
            }
        }
    }
    Ok(records)
}

/// Column name → index, from the header row.
type Columns = HashMap<&'static str, usize>;

fn read_header(file: &str, header: &Record) -> Result<Columns, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut columns = Columns::new();
    for (i, f) in header.fields.iter().enumerate() {
        let name = f.value.trim().to_ascii_lowercase();
        match COLUMNS.iter().find(|c| **c == name) {
            Some(c) if columns.contains_key(c) => diags.push(
                Diagnostic::error(file, f.pos, format!("column `{c}` is given twice"))
                    .help("keep one of them"),
            ),
            Some(c) => {
                columns.insert(c, i);
            }
            None => {
                let help = suggest(
                    &name,
                    COLUMNS,
                    format!("the columns are: {}", COLUMNS.join(", ")),
                );
                diags.push(
                    Diagnostic::error(file, f.pos, format!("unknown column `{}`", f.value))
                        .help(help),
                );
            }
        }
    }
    for required in ["badge", "earner"] {
        if !columns.contains_key(required) {
            diags.push(
                Diagnostic::error(
                    file,
                    Pos::new(header.line, 1),
                    format!("the header has no `{required}` column"),
                )
                .help(format!(
                    "the first row names the columns, e.g. `{}`",
                    COLUMNS.join(",")
                )),
            );
        }
    }
    if diags.has_errors() {
        Err(diags)
    } else {
        Ok(columns)
    }
}

struct NewEarner {
    id: String,
    name: String,
    email: String,
    line: usize,
}

/// A checked row.
struct Row {
    badge: String,
    earner: String,
    issued: Date,
    expires: Option<Date>,
    evidence: Option<(String, Option<String>)>,
}

struct Checker<'a> {
    file: &'a str,
    today: Date,
    columns: &'a Columns,
    badges: HashSet<String>,
    /// Existing earners: id → normalised email.
    earners: HashMap<String, String>,
    new_earners: Vec<NewEarner>,
    new_index: HashMap<String, usize>,
    diags: Diagnostics,
}

impl Checker<'_> {
    fn error(&mut self, at: Pos, msg: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, at, msg).help(help));
    }

    /// Checks one row, recording every problem; `None` if it has errors.
    fn row(&mut self, rec: &Record) -> Option<Row> {
        let header_len = self.columns.values().max().map_or(0, |m| m + 1);
        if rec.fields.len() != header_len {
            let at = rec
                .fields
                .get(header_len)
                .map_or(Pos::new(rec.line, 1), |f| f.pos);
            self.error(
                at,
                format!(
                    "this row has {} field{}, the header has {header_len}",
                    rec.fields.len(),
                    plural(rec.fields.len())
                ),
                "give every row one value per column (an empty value is fine for optional ones); quote values that hold commas: \"a, b\"",
            );
            return None;
        }
        let empty = Field {
            value: String::new(),
            pos: Pos::new(rec.line, 1),
        };
        let get = |name: &str| -> Field {
            self.columns
                .get(name)
                .and_then(|&i| rec.fields.get(i))
                .cloned()
                .unwrap_or_else(|| empty.clone())
        };
        let (badge, earner, name, email) = (get("badge"), get("earner"), get("name"), get("email"));
        let (issued, expires) = (get("issued_on"), get("expires_on"));
        let (url, narrative) = (get("evidence_url"), get("evidence_narrative"));
        let mut ok = true;

        if badge.value.is_empty() {
            self.error(
                badge.pos,
                "`badge` is empty".into(),
                "name the badge id, e.g. `az-900`",
            );
            ok = false;
        } else if !self.badges.contains(&badge.value) {
            let names = self.badges.iter().map(String::as_str);
            let help = suggest(
                &badge.value,
                names,
                "name a badge defined in `content/badges/`",
            );
            self.error(
                badge.pos,
                format!("there is no badge `{}`", badge.value),
                help,
            );
            ok = false;
        }

        ok &= self.earner(&earner, &name, &email);

        let issued_on = if issued.value.is_empty() {
            Some(self.today)
        } else {
            match Date::parse(&issued.value) {
                Some(d) if d > self.today => {
                    self.error(
                        issued.pos,
                        format!("`issued_on` {d} is in the future (today is {})", self.today),
                        "an award cannot be issued before its date; check the year",
                    );
                    None
                }
                Some(d) => Some(d),
                None => {
                    self.error(
                        issued.pos,
                        format!("`issued_on` is not a date: `{}`", issued.value),
                        "write YYYY-MM-DD, e.g. 2026-01-15, or leave it empty for today",
                    );
                    None
                }
            }
        };
        let expires_on = if expires.value.is_empty() {
            None
        } else {
            match (Date::parse(&expires.value), issued_on) {
                (None, _) => {
                    self.error(
                        expires.pos,
                        format!("`expires_on` is not a date: `{}`", expires.value),
                        "write YYYY-MM-DD, e.g. 2027-01-15, or leave it empty (the badge's validity applies)",
                    );
                    ok = false;
                    None
                }
                (Some(e), Some(i)) if e <= i => {
                    self.error(
                        expires.pos,
                        format!("`expires_on` {e} is not after `issued_on` {i}"),
                        "an award must expire after it is issued",
                    );
                    ok = false;
                    None
                }
                (Some(e), _) => Some(e),
            }
        };
        let evidence = if url.value.is_empty() {
            if !narrative.value.is_empty() {
                self.error(
                    narrative.pos,
                    "`evidence_narrative` is given without `evidence_url`".into(),
                    "evidence is a link with an optional description: give the URL too",
                );
                ok = false;
            }
            None
        } else if !is_absolute_url(&url.value) {
            self.error(
                url.pos,
                format!(
                    "`evidence_url` must be an absolute URL, found `{}`",
                    url.value
                ),
                "write e.g. `https://github.com/me/project`",
            );
            ok = false;
            None
        } else {
            Some((
                url.value.clone(),
                Some(narrative.value.clone()).filter(|n| !n.is_empty()),
            ))
        };
        let issued = issued_on?;
        ok.then_some(Row {
            badge: badge.value,
            earner: earner.value,
            issued,
            expires: expires_on,
            evidence,
        })
    }

    /// An existing earner (name and email may be left empty), or a new one
    /// with name and email (repeated rows must agree).
    fn earner(&mut self, earner: &Field, name: &Field, email: &Field) -> bool {
        let id = earner.value.as_str();
        if id.is_empty() {
            self.error(
                earner.pos,
                "`earner` is empty".into(),
                "give the earner's id, e.g. `e-li-lei`",
            );
            return false;
        }
        let given_email = email.value.to_lowercase();
        if !email.value.is_empty() && !crate::rules::is_email(&email.value) {
            self.error(
                email.pos,
                format!("`{}` is not an email address", email.value),
                "write the address the earner receives mail at, e.g. `lilei@example.com`",
            );
            return false;
        }
        if let Some(known) = self.earners.get(id) {
            if !email.value.is_empty() && given_email != *known {
                let msg = format!("earner `{id}` already exists with another email address");
                self.error(
                    email.pos,
                    msg,
                    "leave `name` and `email` empty for existing earners, or use a new earner id",
                );
                return false;
            }
            return true;
        }
        if let Some(&i) = self.new_index.get(id) {
            let first = &self.new_earners[i];
            if !email.value.is_empty() && given_email != first.email.to_lowercase() {
                let msg = format!(
                    "new earner `{id}` has another email address than on line {}",
                    first.line
                );
                self.error(
                    email.pos,
                    msg,
                    "give the same address in every row, or leave it empty after the first",
                );
                return false;
            }
            return true;
        }
        if !is_slug(id) {
            self.error(
                earner.pos,
                format!("earner id `{id}` is not valid"),
                "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `e-li-lei`",
            );
            return false;
        }
        if name.value.is_empty() || email.value.is_empty() {
            let close = did_you_mean(id, self.earners.keys().map(String::as_str));
            let help = match close {
                Some(s) => format!(
                    "did you mean the existing earner `{s}`? To create `{id}`, give `name` and `email`"
                ),
                None => format!("to create the earner `{id}`, give `name` and `email` in this row"),
            };
            self.error(earner.pos, format!("there is no earner `{id}`"), help);
            return false;
        }
        self.new_index
            .insert(id.to_string(), self.new_earners.len());
        self.new_earners.push(NewEarner {
            id: id.to_string(),
            name: name.value.clone(),
            email: email.value.clone(),
            line: earner.pos.line,
        });
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<Vec<String>> {
        parse_csv(text)
            .unwrap()
            .into_iter()
            .map(|r| r.fields.into_iter().map(|f| f.value).collect())
            .collect()
    }

    #[test]
    fn parses_rfc4180_quoting() {
        assert_eq!(
            values("a, b ,c\r\n\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n\n1,,3"),
            vec![
                vec!["a", "b", "c"],
                vec!["x, y", "say \"hi\"", "two\nlines"],
                vec!["1", "", "3"],
            ]
        );
        assert_eq!(values("\u{feff}a,b\n"), vec![vec!["a", "b"]]);
    }

    #[test]
    fn records_know_their_lines_and_columns() {
        let r = parse_csv("h1,h2\n\"multi\nline\",x\nlast,  y\n").unwrap();
        assert_eq!(r[1].line, 2);
        assert_eq!(r[1].fields[1].pos, Pos::new(3, 7));
        assert_eq!(r[2].line, 4);
        assert_eq!(r[2].fields[1].pos, Pos::new(4, 8));
    }

    #[test]
    fn reports_broken_quotes() {
        let (pos, msg, _) = parse_csv("a,b\n1,\"open\n").unwrap_err();
        assert_eq!(pos, Pos::new(2, 3));
        assert!(msg.contains("never closed"));
        let (pos, msg, _) = parse_csv("a,b\n\"x\"y,2\n").unwrap_err();
        assert_eq!(pos, Pos::new(2, 4));
        assert!(msg.contains("after a closing quote"));
    }
}
