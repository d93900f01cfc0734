//! `accolade report`: the issuer's numbers (see `report`) as one HTML file
//! beside the site (`report.html`, never in `public/`: it holds private
//! facts), as JSON on stdout (`--json`) and as CSV files (`--csv DIR`).

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::notify::{Ledger, ledger};
use crate::render::i18n::Strings;
use crate::report::{self, Report, Words};
use crate::text::count;

/// `accolade report --help`, after the options.
pub const HELP: &str = "\
The report covers every award in the content, published or not: awards
issued per month by badge, how many were accepted, are pending or were
declined, revocations per month; awards expiring in the next 30, 60 and 90
days with the earners to remind (and what notify/ledger.tsv says was sent
or bounced); the most held skills; certifications against the exams that
lead to them; and the site's files and bytes against the hosts' limits
(read from the built public/, else estimated). Charts are inline SVG, each
with its table; the file loads nothing and runs no script.

It holds private facts (pending claims, declined awards, private earners'
numbers): keep it out of public/. Texts are in the site's first language.

Without --json or --csv the report goes to report.html; with them, only
when --out is given.

Examples:
  accolade report                          # writes report.html in the site
  accolade report --out reports/2026-11.html
  accolade report --json > numbers.json
  accolade report --csv report-tables      # one CSV file per table";

pub struct Options<'a> {
    pub root: &'a Path,
    /// The HTML file, relative to the root.
    pub out: Option<&'a Path>,
    pub json: bool,
    /// A folder for the CSV files, relative to the root.
    pub csv: Option<&'a Path>,
}

/// The default HTML file, in the site root.
pub const DEFAULT_OUT: &str = "report.html";

pub fn run(opts: &Options) -> Result<()> {
    let root = opts.root;
    let html_out = match opts.out {
        Some(o) => Some(root.join(o)),
        None if !opts.json && opts.csv.is_none() => Some(root.join(DEFAULT_OUT)),
        None => None,
    };
    // Where it goes is checked before any work is done.
    if let Some(path) = &html_out {
        check_out(root, path)?;
    }
    let csv_dir = opts.csv.map(|d| root.join(d));
    if let Some(dir) = &csv_dir {
        check_csv_dir(root, dir)?;
    }
    let now = crate::build::now().map_err(|d| Error::invalid(d, "no report was made"))?;
    let (resolved, diags) = crate::build::resolve(root, None, now);
    let (content, site) = resolved.ok_or_else(|| {
        Error::invalid(
            diags,
            "the content has errors; fix them before making a report",
        )
    })?;
    let ledger = if root.join(ledger::LEDGER).is_file() {
        Some(Ledger::read(root).map_err(|m| Error::refused(m, None))?)
    } else {
        None
    };
    let footprint = report::footprint(&site, &root.join("public"), "public/");
    let report = Report::of(&site, ledger.as_ref(), footprint);

    if opts.json {
        let text = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::refused(format!("cannot write the report as JSON: {e}"), None))?;
        // A reader that stops early (`| head`) is no failure.
        let mut out = std::io::stdout().lock();
        match writeln!(out, "{text}").and_then(|()| out.flush()) {
            Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
                return Err(Error::io("write", Path::new("<stdout>"), e));
            }
            _ => {}
        }
    }
    if let Some(dir) = &csv_dir {
        let files = report.csv_files();
        for (name, text) in &files {
            let path = dir.join(name);
            std::fs::write(&path, text).map_err(|e| Error::io("write", &path, e))?;
        }
        eprintln!(
            "Wrote {} to {}.",
            count(files.len(), "CSV file"),
            dir.display()
        );
    }
    if let Some(path) = &html_out {
        let lang = site.default_lang();
        let strings = Strings::load(&content.theme, lang).map_err(|d| {
            Error::invalid(
                crate::diagnostics::Diagnostics(d),
                "the theme's strings have errors",
            )
        })?;
        let built_in = crate::theme::Theme::built_in();
        let fallback = Strings::load(&built_in, lang)
            .or_else(|_| Strings::load(&built_in, "en"))
            .map_err(|d| {
                Error::invalid(
                    crate::diagnostics::Diagnostics(d),
                    "the built-in strings have errors",
                )
            })?;
        let words = Words {
            site: &strings,
            fallback: &fallback,
        };
        let html = report::html(&report, &words).map_err(|m| Error::refused(m, None))?;
        crate::output::write_atomic(path, html.as_bytes())
            .map_err(|e| Error::io("write", path, e))?;
        eprintln!(
            "Wrote {} ({} in the content, {} published; as of {}). It holds private facts: keep it out of public/.",
            path.display(),
            count(report.summary.awards as usize, "award"),
            report.summary.published,
            report.as_of,
        );
    }
    Ok(())
}

/// The site's output folder, as it is on disk, if it exists.
fn output_dir(root: &Path) -> Option<PathBuf> {
    root.join("public").canonicalize().ok()
}

/// Refuses a destination inside `public/`: whatever is there is published.
fn refuse_published(root: &Path, dir: &Path, what: &str, shown: &Path) -> Result<()> {
    // The nearest folder that exists: a folder to be made inside public/
    // is refused before it is made.
    let existing = dir
        .ancestors()
        .find(|a| a.is_dir())
        .unwrap_or(Path::new("."));
    let (Some(public), Ok(dir)) = (output_dir(root), existing.canonicalize()) else {
        return Ok(());
    };
    if dir.starts_with(&public) {
        return Err(Error::usage(
            format!(
                "`{what} {}` is inside the site's output, public/, which is published",
                shown.display()
            ),
            Some(
                "the report holds private facts (pending claims, private earners): write it beside the site, e.g. `--out report.html` (the default) or `--csv report-tables`",
            ),
        ));
    }
    Ok(())
}

fn check_out(root: &Path, path: &Path) -> Result<()> {
    if path.is_dir() {
        return Err(Error::usage(
            format!("`--out {}` is a folder", path.display()),
            Some("give the HTML file's name, e.g. --out report.html"),
        ));
    }
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    if !parent.is_dir() {
        return Err(Error::usage(
            format!(
                "cannot write `--out {}`: the folder `{}` does not exist",
                path.display(),
                parent.display()
            ),
            Some(
                "make the folder first, or write the report elsewhere (default: report.html in the site)",
            ),
        ));
    }
    refuse_published(root, &parent, "--out", path)
}

fn check_csv_dir(root: &Path, dir: &Path) -> Result<()> {
    if dir.exists() && !dir.is_dir() {
        return Err(Error::usage(
            format!("`--csv {}` is a file, not a folder", dir.display()),
            Some(
                "name a folder for the CSV files (it is made if missing), e.g. --csv report-tables",
            ),
        ));
    }
    refuse_published(root, dir, "--csv", dir)?;
    std::fs::create_dir_all(dir).map_err(|e| {
        Error::usage(
            format!("cannot make the folder `--csv {}`: {e}", dir.display()),
            Some("name a folder you can write to, e.g. --csv report-tables"),
        )
    })
}
