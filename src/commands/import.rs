//! `accolade import`: awards (and new earners) in bulk from a CSV file.
//!
//! All or nothing: every row is checked first and every bad row reported
//! with its line and column; only when all rows are good is anything
//! written. Records are appended as text (see `content::edit`), so existing
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

use crate::content::edit::{Edit, NewAward, award_target, write_all, yaml_str};
use crate::content::mint::Minter;
use crate::content::{self, AwardFile, EarnerFile};
use crate::csv::{Field, Record, csv_field, parse_csv};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, did_you_mean, suggest};
use crate::error::{self, Error};
use crate::rules::{is_absolute_url, is_slug};
use crate::text::count;

/// The largest CSV an import reads, and the most rows: far beyond a real
/// batch, well within memory.
pub const MAX_CSV_BYTES: u64 = 64_000_000;
pub const MAX_ROWS: usize = 1_000_000;

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

pub fn run(opts: &Options) -> error::Result<()> {
    let today = crate::build::today().map_err(|m| Error::usage(m, None))?;
    award_target(opts.root, opts.into, today.year).map_err(|m| Error::usage(m, None))?;
    let shown = opts.csv.display().to_string();
    let text = read_text(opts.csv)?;
    let (columns, rows) = read_table(&shown, &text)?;
    let loading = Progress::spinner("Loading the site");
    let (content, diags) = content::load_complete(opts.root);
    loading.finish(None);
    let content = content.ok_or_else(|| {
        Error::invalid(
            diags,
            "the site's content has errors; fix them before importing",
        )
    })?;
    let (good, new_earners) = check_rows(&shown, &text, today, &columns, rows, &content)?;
    let batch = assign(opts, &content, good, &new_earners)?;
    if batch.added() == 0 {
        eprintln!(
            "Nothing to import: all {} already imported (same badge, earner and issued_on).",
            count(batch.skipped, "row")
        );
        return Ok(());
    }
    let writing = Progress::spinner("Preparing the files");
    let written = edits(opts, &content, &batch, today).and_then(|edits| {
        write_all(opts.root, &edits)
            .map(|()| edits)
            .map_err(|m| Error::refused(m, None))
    });
    writing.finish(None);
    report(&content, &batch, &written?);
    Ok(())
}

/// The CSV file as UTF-8 text.
fn read_text(csv: &Path) -> error::Result<String> {
    let unreadable =
        |e: std::io::Error| Error::usage(format!("cannot read `{}`: {e}", csv.display()), None);
    let size = std::fs::metadata(csv).map_err(unreadable)?.len();
    if size > MAX_CSV_BYTES {
        return Err(Error::refused(
            format!(
                "`{}` is {} MB; an import takes at most {} MB",
                csv.display(),
                size / 1_000_000,
                MAX_CSV_BYTES / 1_000_000
            ),
            Some("split the file and import the parts one after another (importing is idempotent)"),
        ));
    }
    let bytes = std::fs::read(csv).map_err(unreadable)?;
    String::from_utf8(bytes).map_err(|_| {
        Error::refused(
            format!("`{}` is not UTF-8 text", csv.display()),
            Some("save the CSV as UTF-8"),
        )
    })
}

/// CSV problems are shown against the CSV's own text (it need not be
/// inside the site).
fn print_located(text: &str, diags: &mut Diagnostics) {
    diags.sort();
    for d in &diags.0 {
        eprintln!("{}", d.render_with_source(Some(text)));
    }
}

/// The header's columns and the data rows.
fn read_table(shown: &str, text: &str) -> error::Result<(Columns, Vec<Record>)> {
    let mut records = parse_csv(text).map_err(|(pos, msg, help)| {
        let mut d = Diagnostics::default();
        d.push(Diagnostic::error(shown, pos, msg).help(help));
        print_located(text, &mut d);
        Error::refused("the CSV cannot be read; nothing was written", None)
    })?;
    if records.is_empty() {
        return Err(Error::refused(
            format!(
                "`{shown}` is empty; it needs a header row such as `{}`",
                COLUMNS.join(",")
            ),
            None,
        ));
    }
    let rows = records.split_off(1);
    if rows.len() > MAX_ROWS {
        return Err(Error::refused(
            format!(
                "`{shown}` has {} rows; an import takes at most {MAX_ROWS}",
                rows.len()
            ),
            Some("split the file and import the parts one after another (importing is idempotent)"),
        ));
    }
    let columns = read_header(shown, &records[0]).map_err(|mut d| {
        print_located(text, &mut d);
        Error::refused("the CSV header is not valid; nothing was written", None)
    })?;
    Ok((columns, rows))
}

/// Checks every row; all or nothing: any bad row fails the import.
fn check_rows(
    shown: &str,
    text: &str,
    today: Date,
    columns: &Columns,
    rows: Vec<Record>,
    content: &content::Content,
) -> error::Result<(Vec<Row>, Vec<NewEarner>)> {
    let mut check = Checker {
        file: shown,
        today,
        columns,
        badges: content
            .badges
            .iter()
            .map(|b| b.record.id.value.trim().to_string())
            .collect(),
        earners: content
            .earners
            .iter()
            .map(|e| {
                let email = e.record.email.value.trim().to_lowercase();
                (e.record.id.value.trim().to_string(), email)
            })
            .collect(),
        new_earners: Vec::new(),
        new_index: HashMap::new(),
        diags: Diagnostics::default(),
    };
    let progress = Progress::bar("Checking rows", rows.len() as u64);
    let mut good = Vec::with_capacity(rows.len());
    let mut bad_rows = 0;
    for rec in &rows {
        let before = check.diags.errors();
        let row = check.row(rec);
        if check.diags.errors() > before {
            bad_rows += 1;
        } else if let Some(row) = row {
            good.push(row);
        }
        progress.inc(1);
    }
    progress.finish(Some(&format!("Checked {}.", count(rows.len(), "row"))));
    let failed = check.diags.has_errors();
    print_located(text, &mut check.diags);
    if failed {
        return Err(Error::refused(
            format!(
                "{bad_rows} of {} {} errors; nothing was written",
                count(rows.len(), "row"),
                if bad_rows == 1 { "has" } else { "have" }
            ),
            None,
        ));
    }
    Ok((good, check.new_earners))
}

/// The new awards, by the file they go to, with minted ids.
struct Batch<'e> {
    by_file: BTreeMap<PathBuf, Vec<NewAward>>,
    new_earners: Vec<&'e NewEarner>,
    /// Rows that repeat an existing award or an earlier row.
    skipped: usize,
}

impl Batch<'_> {
    fn added(&self) -> usize {
        self.by_file.values().map(Vec::len).sum()
    }
}

/// Skips duplicates (same badge, earner and issue date as an existing
/// award or an earlier row), mints ids and picks each award's file.
fn assign<'e>(
    opts: &Options,
    content: &content::Content,
    good: Vec<Row>,
    new_earners: &'e [NewEarner],
) -> error::Result<Batch<'e>> {
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
    let mut minter = Minter::new(content);
    let mut by_file: BTreeMap<PathBuf, Vec<NewAward>> = BTreeMap::new();
    let mut skipped = 0usize;
    let mut used_earners: HashSet<String> = HashSet::new();
    for row in good {
        if !seen.insert((row.badge.clone(), row.earner.clone(), row.issued)) {
            skipped += 1;
            continue;
        }
        let id = minter.mint().map_err(|m| Error::refused(m, None))?;
        let target = award_target(opts.root, opts.into, row.issued.year)
            .map_err(|m| Error::usage(m, None))?;
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
    let new_earners = new_earners
        .iter()
        .filter(|e| used_earners.contains(&e.id))
        .collect();
    Ok(Batch {
        by_file,
        new_earners,
        skipped,
    })
}

/// The text edits of every award file and of the imported earners' file,
/// all prepared before any file is written.
fn edits(
    opts: &Options,
    content: &content::Content,
    batch: &Batch,
    today: Date,
) -> error::Result<Vec<Edit>> {
    let csv_name = opts.csv.file_name().map_or_else(
        || opts.csv.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let comment = format!("Imported from {csv_name} on {today}.");
    let failed = |d: Diagnostic| {
        let mut all = Diagnostics::default();
        all.push(d);
        Error::invalid(all, "nothing was written")
    };
    let mut edits = Vec::new();
    for (rel, awards) in &batch.by_file {
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
        let edit = Edit::append::<AwardFile>(opts.root, rel, &header, Some(&comment), &items, old);
        edits.push(edit.map_err(failed)?);
    }
    if !batch.new_earners.is_empty() {
        let rel = Path::new(IMPORTED_EARNERS);
        let items: Vec<String> = batch
            .new_earners
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
        let edit = Edit::append::<EarnerFile>(opts.root, rel, header, Some(&comment), &items, old);
        edits.push(edit.map_err(failed)?);
    }
    Ok(edits)
}

/// Prints the new awards as CSV (for mail merges) and what was done.
fn report(content: &content::Content, batch: &Batch, edits: &[Edit]) {
    let mut out = String::from("id,badge,earner,issued_on,url\n");
    for a in batch.by_file.values().flatten() {
        let url = format!("{}/{}", content.base_url(), crate::paths::award_page(&a.id));
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            csv_field(&a.id),
            csv_field(&a.badge),
            csv_field(&a.earner),
            a.issued_on,
            csv_field(&url)
        ));
    }
    print!("{out}");
    let files: Vec<String> = edits
        .iter()
        .map(|e| format!("`{}`", e.rel.display()))
        .collect();
    let skipped = if batch.skipped > 0 {
        format!(
            "; skipped {} already imported (same badge, earner and issued_on)",
            count(batch.skipped, "row")
        )
    } else {
        String::new()
    };
    eprintln!(
        "Imported {} and {} into {}{skipped}.",
        count(batch.added(), "award"),
        count(batch.new_earners.len(), "new earner"),
        files.join(", "),
    );
    if !batch.new_earners.is_empty() {
        eprintln!(
            "note: new earners are unlisted and do not auto-accept, so their awards are published once accepted; see `{IMPORTED_EARNERS}`"
        );
    }
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
                    "this row has {}, the header has {header_len}",
                    count(rec.fields.len(), "field")
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
        let mut ok = self.badge(&badge);
        ok &= self.earner(&earner, &name, &email);
        let issued_on = self.issued(&issued);
        let expires_on = self.expires(&expires, issued_on);
        let evidence = self.evidence(&url, &narrative);
        let (issued, expires, evidence) = (issued_on?, expires_on?, evidence?);
        ok.then_some(Row {
            badge: badge.value,
            earner: earner.value,
            issued,
            expires,
            evidence,
        })
    }

    fn badge(&mut self, badge: &Field) -> bool {
        if badge.value.is_empty() {
            self.error(
                badge.pos,
                "`badge` is empty".into(),
                "name the badge id, e.g. `az-900`",
            );
            return false;
        }
        if self.badges.contains(&badge.value) {
            return true;
        }
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
        false
    }

    /// The issue date: today when empty, never in the future.
    fn issued(&mut self, issued: &Field) -> Option<Date> {
        if issued.value.is_empty() {
            return Some(self.today);
        }
        match Date::parse_field("issued_on", &issued.value) {
            Ok(d) if d > self.today => {
                self.error(
                    issued.pos,
                    format!("`issued_on` {d} is in the future (today is {})", self.today),
                    "an award cannot be issued before its date; check the year",
                );
                None
            }
            Ok(d) => Some(d),
            Err((message, why)) => {
                self.error(
                    issued.pos,
                    message,
                    format!("{why}, or leave it empty for today"),
                );
                None
            }
        }
    }

    /// The expiry date (`Some(None)` when empty), after the issue date.
    fn expires(&mut self, expires: &Field, issued_on: Option<Date>) -> Option<Option<Date>> {
        if expires.value.is_empty() {
            return Some(None);
        }
        match (Date::parse_field("expires_on", &expires.value), issued_on) {
            (Err((message, why)), _) => {
                self.error(
                    expires.pos,
                    message,
                    format!("{why}, or leave it empty (the badge's validity applies)"),
                );
                None
            }
            (Ok(e), Some(i)) if e <= i => {
                self.error(
                    expires.pos,
                    format!("`expires_on` {e} is not after `issued_on` {i}"),
                    "an award must expire after it is issued",
                );
                None
            }
            (Ok(e), _) => Some(Some(e)),
        }
    }

    /// The evidence link and narrative (`Some(None)` when both are empty).
    #[allow(clippy::type_complexity)]
    fn evidence(
        &mut self,
        url: &Field,
        narrative: &Field,
    ) -> Option<Option<(String, Option<String>)>> {
        if url.value.is_empty() {
            if narrative.value.is_empty() {
                return Some(None);
            }
            self.error(
                narrative.pos,
                "`evidence_narrative` is given without `evidence_url`".into(),
                "evidence is a link with an optional description: give the URL too",
            );
            return None;
        }
        if !is_absolute_url(&url.value) {
            self.error(
                url.pos,
                format!(
                    "`evidence_url` must be an absolute URL, found `{}`",
                    url.value
                ),
                "write e.g. `https://github.com/me/project`",
            );
            return None;
        }
        let narrative = Some(narrative.value.clone()).filter(|n| !n.is_empty());
        Some(Some((url.value.clone(), narrative)))
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
