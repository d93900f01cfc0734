//! `accolade accept` and `accolade decline`: record an earner's answer to a
//! pending award in its record, as text (`content::edit::set_keys`), all of
//! them or none. An award is named by its id or by its claim code (the
//! token of its claim page, as the earner's message or a form export gives
//! it); `--from FILE` reads one a line and finds the code or id among the
//! line's words, so a list of message subjects works as it is.

use std::collections::HashMap;
use std::path::Path;

use crate::claims::Claims;
use crate::content::AwardFile;
use crate::content::edit::{self, Mapping, Target};
use crate::content::{self, Content, Located, pos};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::error::{Error, Result};
use crate::text::count;

/// `accolade accept --help`, after the options.
pub const ACCEPT_HELP: &str = "\
Each record gets `accepted: true` and `accepted_on: DATE`, written as text,
so the files' comments and formatting stay as they are. Every award is
checked first; if any cannot be accepted, nothing is written. Then
`accolade build` publishes it, and its claim address leads to its
verification page.

Examples:
  accolade accept 4283q7deyfdmvr3prftfra7f
  accolade accept --from accepted.txt      # e.g. the subjects of earners' messages";

/// `accolade decline --help`, after the options.
pub const DECLINE_HELP: &str = "\
Each record gets `declined_on: DATE`: the award is never published, its
claim page goes, and `accolade notify` sends no more reminders for it.

Examples:
  accolade decline 4283q7deyfdmvr3prftfra7f
  accolade decline --from declined.txt";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Accept,
    Decline,
}

pub struct Options<'a> {
    pub root: &'a Path,
    pub answer: Answer,
    /// Award ids or claim codes.
    pub awards: &'a [String],
    pub from: Option<&'a Path>,
    pub on: Option<&'a str>,
}

pub fn run(opts: &Options) -> Result<()> {
    let on = super::on_day(
        opts.on,
        "date the earner's answer the day it came, today or earlier",
    )?;
    let names = names(opts)?;
    let (content, diags) = content::load_complete(opts.root);
    let content = content.ok_or_else(|| {
        Error::invalid(
            diags,
            "the content has errors; fix them before recording answers",
        )
    })?;
    let verb = match opts.answer {
        Answer::Accept => "accepted",
        Answer::Decline => "declined",
    };
    let (targets, skipped) = targets(&content, &names, opts.answer, on).map_err(|d| {
        let n = d.errors();
        Error::invalid(d, format!("{}; nothing was {verb}", count(n, "problem")))
    })?;
    for note in &skipped {
        eprintln!("note: {note}");
    }
    if targets.is_empty() {
        eprintln!("Nothing to record: every award named was {verb} already.");
        return Ok(());
    }
    let ids: Vec<String> = targets
        .iter()
        .filter_map(|t| match &t.mapping {
            Mapping::Award(id) => Some(id.clone()),
            _ => None,
        })
        .collect();
    let day = on.to_string();
    let keys: &[(&str, &str)] = match opts.answer {
        Answer::Accept => &[("accepted", "true"), ("accepted_on", &day)],
        Answer::Decline => &[("declined_on", &day)],
    };
    let edits = edit::set_keys(opts.root, targets, keys)
        .map_err(|d| Error::invalid(d, format!("nothing was {verb}")))?;
    edit::write_all(opts.root, &edits).map_err(|m| Error::refused(m, None))?;
    for id in &ids {
        println!("{id}");
    }
    let files: Vec<String> = edits.iter().map(|e| e.rel.display().to_string()).collect();
    let next = match opts.answer {
        Answer::Accept => "Run `accolade build` to publish them.",
        Answer::Decline => "Run `accolade build` to take down their claim pages.",
    };
    eprintln!(
        "Recorded {} as {verb} on {on} in {}. {next}",
        count(ids.len(), "award"),
        files.join(", ")
    );
    Ok(())
}

/// A name of an award, and where it was given: the `--from` file and
/// line, or the command line.
type Name = (String, Option<(std::path::PathBuf, usize)>);

/// What names the awards: the arguments, then each non-blank line of
/// `--from` (`#` comments skipped), with where each came from.
fn names(opts: &Options) -> Result<Vec<Name>> {
    let mut names: Vec<Name> = opts
        .awards
        .iter()
        .map(|a| (a.trim().to_string(), None))
        .collect();
    if let Some(file) = opts.from {
        for (n, line) in super::from_lines(opts.root, file)? {
            names.push((line, Some((file.to_path_buf(), n))));
        }
    }
    if names.is_empty() {
        return Err(Error::usage(
            "no award named",
            Some(
                "give claim codes or award ids, e.g. `accolade accept 4283q7deyfdmvr3prftfra7f`, or a file of them with --from",
            ),
        ));
    }
    Ok(names)
}

/// Each named award's record, and notes for those already answered so;
/// or an error for each name that matches no award or cannot take the answer.
fn targets(
    content: &Content,
    names: &[Name],
    answer: Answer,
    on: Date,
) -> std::result::Result<(Vec<Target>, Vec<String>), Diagnostics> {
    let mut diags = Diagnostics::default();
    let index = Index::new(content).map_err(|d| {
        let mut all = Diagnostics::default();
        all.push(d);
        all
    })?;
    let mut targets = Vec::new();
    let mut notes = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for (name, origin) in names {
        let Some(l) = index.find(content, name) else {
            let (file, pos) = match origin {
                Some((file, line)) => (
                    file.clone(),
                    Pos {
                        line: *line,
                        column: 1,
                        len: 0,
                    },
                ),
                None => ("content/awards".into(), Pos::default()),
            };
            diags.push(
                Diagnostic::error(file, pos, format!("`{name}` names no award"))
                    .help("give the claim code from the claim page's address (`/claim/<code>/`) or an award id"),
            );
            continue;
        };
        let origin = match origin {
            Some((file, line)) => format!("{}:{line}", file.display()),
            None => format!("`{name}`"),
        };
        let r = &l.record;
        let id = r.id.value.trim().to_string();
        if !seen.insert(id.clone()) {
            continue;
        }
        let problem = |what: String, help: &str| {
            Diagnostic::error(
                l.file.to_path_buf(),
                pos(&r.id),
                format!("award `{id}` {what}"),
            )
            .help(help.to_string())
        };
        if let Some(rev) = &r.revoked {
            diags.push(problem(
                format!("was revoked on {}", rev.on.value.trim()),
                "a revoked award cannot be answered",
            ));
            continue;
        }
        if let Some(issued) = Date::parse(r.issued_on.value.trim())
            && on < issued
        {
            diags.push(problem(
                format!("was issued on {issued}, after {on}"),
                "give an --on date on or after the issue date",
            ));
            continue;
        }
        // As the rules decide it: without `accepted`, the earner's `auto_accept`.
        let accepted = r
            .accepted
            .or_else(|| index.auto_accept.get(r.earner.value.trim()).copied());
        match (answer, &r.declined_on, accepted) {
            (Answer::Accept, Some(d), _) => {
                diags.push(problem(
                    format!("was declined on {}", d.value.trim()),
                    "if the earner changed their mind, remove `declined_on` from the record first",
                ));
                continue;
            }
            (Answer::Accept, None, Some(true)) | (Answer::Decline, Some(_), _) => {
                notes.push(format!("{origin}: award `{id}` was answered so already"));
                continue;
            }
            (Answer::Decline, None, Some(true)) => {
                diags.push(problem(
                    "was accepted already".into(),
                    "a published award is withdrawn with `accolade revoke`, which keeps its address answering",
                ));
                continue;
            }
            _ => {}
        }
        targets.push(Target {
            file: l.file.to_path_buf(),
            at: pos(&r.id),
            mapping: Mapping::Award(id),
        });
    }
    if diags.has_errors() {
        diags.sort();
        Err(diags)
    } else {
        Ok((targets, notes))
    }
}

/// Awards by upper-cased id and by claim code; earners' `auto_accept`.
struct Index {
    by_name: HashMap<String, usize>,
    auto_accept: HashMap<String, bool>,
}

impl Index {
    fn new(content: &Content) -> std::result::Result<Index, Diagnostic> {
        let key = crate::build::signing_key(content)?;
        let claims = Claims::new(&key);
        let mut by_name = HashMap::new();
        for (i, a) in content.awards.iter().enumerate() {
            let id = a.record.id.value.trim();
            by_name.insert(id.to_ascii_uppercase(), i);
            by_name.insert(claims.token(id).to_ascii_uppercase(), i);
        }
        let auto_accept = content
            .earners
            .iter()
            .map(|e| (e.record.id.value.trim().to_string(), e.record.auto_accept))
            .collect();
        Ok(Index {
            by_name,
            auto_accept,
        })
    }

    /// The award a name (or a line holding one among its words) names.
    fn find<'c>(&self, content: &'c Content, name: &str) -> Option<&'c Located<AwardFile>> {
        name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '-' || c == '_'))
            .find_map(|word| self.by_name.get(&word.to_ascii_uppercase()))
            .map(|&i| &content.awards[i])
    }
}
