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

use std::path::Path;

use crate::progress::Progress;

use crate::content;
use crate::content::edit::{Edit, award_target, write_all};
use crate::content::import::{
    Batch, COLUMNS, Checker, Columns, IMPORTED_EARNERS, NewEarner, Row, assign, edits, read_header,
};
use crate::csv::{Record, csv_field, parse_csv};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{self, Error};
use crate::text::count;

/// The largest CSV an import reads, and the most rows: far beyond a real
/// batch, well within memory.
pub const MAX_CSV_BYTES: u64 = 64_000_000;
pub const MAX_ROWS: usize = 1_000_000;

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
    let batch = assign(opts.root, opts.into, &content, good, &new_earners)?;
    if batch.added() == 0 {
        eprintln!(
            "Nothing to import: all {} already imported (same badge, earner and issued_on).",
            count(batch.skipped, "row")
        );
        return Ok(());
    }
    let writing = Progress::spinner("Preparing the files");
    let csv_name = opts.csv.file_name().map_or_else(
        || opts.csv.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let written = edits(opts.root, &csv_name, &content, &batch, today).and_then(|edits| {
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
    let mut check = Checker::new(shown, today, columns, content);
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
