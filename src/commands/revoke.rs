//! `accolade revoke`: adds `revoked: { on, reason }` to award records, as
//! text (`content::edit::set_key`), all of them or none.

use std::path::Path;

use crate::content::edit::{self, Mapping, Target, yaml_str};
use crate::content::{self, Content, pos};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, suggest};
use crate::error::{Error, Result};
use crate::text::count;

/// `accolade revoke --help`, after the options.
pub const HELP: &str = "\
Each record gets `revoked: { on: DATE, reason: \"…\" }`, written as text, so
the files' comments and formatting stay as they are. Every award is checked
first; if any cannot be revoked, nothing is written. Then `accolade build`
publishes the revocation: the page says so, the status list and the Open
Badges 2.0 revocation list name the award, and copies of it fail
verification.

Examples:
  accolade revoke 7Q3K9XWD2M4T --reason \"Issued in error\"
  accolade revoke --from revoked.txt --reason \"Exam results withdrawn\" --on 2026-12-01";

pub struct Options<'a> {
    pub root: &'a Path,
    pub awards: &'a [String],
    /// A file of award ids, one a line (`#` comments and blank lines skipped).
    pub from: Option<&'a Path>,
    pub reason: &'a str,
    pub on: Option<&'a str>,
}

pub fn run(opts: &Options) -> Result<()> {
    let on = super::on_day(
        opts.on,
        "a revocation takes effect when it is published; date it today or earlier",
    )?;
    if opts.reason.trim().is_empty() {
        return Err(Error::usage(
            "`--reason` is empty",
            Some(
                "say why, in words an employer checking the credential understands, e.g. --reason \"Issued in error\"",
            ),
        ));
    }
    let ids = ids(opts)?;
    let (content, diags) = content::load_complete(opts.root);
    let content = content.ok_or_else(|| {
        Error::invalid(
            diags,
            "the content has errors; fix them before revoking awards",
        )
    })?;
    let targets = targets(&content, &ids, on).map_err(|d| {
        let n = d.errors();
        Error::invalid(d, format!("{}; nothing was revoked", count(n, "problem")))
    })?;
    let revoked: Vec<String> = targets
        .iter()
        .filter_map(|t| match &t.mapping {
            Mapping::Award(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let value = format!("{{ on: {on}, reason: {} }}", yaml_str(opts.reason.trim()));
    let edits = edit::set_key(opts.root, targets, "revoked", &value)
        .map_err(|d| Error::invalid(d, "nothing was revoked"))?;
    edit::write_all(opts.root, &edits).map_err(|m| Error::refused(m, None))?;
    for id in &revoked {
        println!("{id}");
    }
    let files: Vec<String> = edits.iter().map(|e| e.rel.display().to_string()).collect();
    eprintln!(
        "Revoked {} on {on} in {}. Run `accolade build` to publish the revocation.",
        count(ids.len(), "award"),
        files.join(", ")
    );
    Ok(())
}

/// The award ids to revoke, from the arguments and `--from`, each once.
fn ids(opts: &Options) -> Result<Vec<String>> {
    let mut ids: Vec<String> = opts.awards.iter().map(|s| s.trim().to_string()).collect();
    if let Some(file) = opts.from {
        ids.extend(
            super::from_lines(opts.root, file)?
                .into_iter()
                .map(|(_, l)| l),
        );
    }
    let mut seen = std::collections::HashSet::new();
    ids.retain(|id| seen.insert(id.clone()));
    if ids.is_empty() {
        return Err(Error::usage(
            "no award to revoke",
            Some(
                "name award ids, e.g. `accolade revoke 7Q3K9XWD2M4T --reason \"…\"`, or a file of them with --from",
            ),
        ));
    }
    Ok(ids)
}

/// Each award's record, or an error for each that cannot be revoked.
fn targets(
    content: &Content,
    ids: &[String],
    on: Date,
) -> std::result::Result<Vec<Target>, Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut targets = Vec::new();
    for id in ids {
        // Minted ids are upper case; what was typed is tried as given first.
        let found = content
            .awards
            .iter()
            .find(|a| a.record.id.value.trim() == id)
            .or_else(|| {
                let upper = id.to_uppercase();
                content
                    .awards
                    .iter()
                    .find(|a| a.record.id.value.trim() == upper)
            });
        let Some(l) = found else {
            let names = content.awards.iter().map(|a| a.record.id.value.trim());
            diags.push(
                Diagnostic::error(
                    "content/awards",
                    Pos::default(),
                    format!("there is no award `{id}`"),
                )
                .help(suggest(
                    id,
                    names,
                    "give an award id as its verification page shows it",
                )),
            );
            continue;
        };
        let r = &l.record;
        if let Some(old) = &r.revoked {
            diags.push(
                Diagnostic::error(
                    l.file.to_path_buf(),
                    pos(&old.on),
                    format!(
                        "award `{}` is already revoked (on {})",
                        r.id.value.trim(),
                        old.on.value.trim()
                    ),
                )
                .help(
                    "a revocation is final; edit its `reason` by hand if it needs another wording",
                ),
            );
            continue;
        }
        if let Some(issued) = Date::parse(r.issued_on.value.trim())
            && on < issued
        {
            diags.push(
                Diagnostic::error(
                    l.file.to_path_buf(),
                    pos(&r.issued_on),
                    format!(
                        "award `{}` was issued on {issued}, after the revocation date {on}",
                        r.id.value.trim()
                    ),
                )
                .help("give an --on date on or after the issue date"),
            );
            continue;
        }
        targets.push(Target {
            file: l.file.to_path_buf(),
            at: pos(&r.id),
            mapping: Mapping::Award(r.id.value.trim().to_string()),
        });
    }
    if diags.has_errors() {
        diags.sort();
        Err(diags)
    } else {
        Ok(targets)
    }
}
