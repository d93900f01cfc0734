//! `accolade import`'s rows, as library logic: the header's columns, each
//! row checked against the site (every problem recorded, located in the
//! CSV), duplicates skipped and ids minted (`assign`), and the text edits
//! that append the new awards and earners (`edits`). The command reads the
//! file, shows progress and prints.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use crate::content::edit::{Edit, NewAward, award_target, yaml_str};
use crate::content::mint::Minter;
use crate::content::{AwardFile, Content, EarnerFile};
use crate::csv::{Field, Record};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, did_you_mean, suggest};
use crate::error::{self, Error};
use crate::rules::{is_absolute_url, is_slug};
use crate::text::count;

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

/// The new awards, by the file they go to, with minted ids.
pub struct Batch<'e> {
    pub by_file: BTreeMap<PathBuf, Vec<NewAward>>,
    pub new_earners: Vec<&'e NewEarner>,
    /// Rows that repeat an existing award or an earlier row.
    pub skipped: usize,
}

impl Batch<'_> {
    pub fn added(&self) -> usize {
        self.by_file.values().map(Vec::len).sum()
    }
}

/// Skips duplicates (same badge, earner and issue date as an existing
/// award or an earlier row), mints ids and picks each award's file.
pub fn assign<'e>(
    root: &Path,
    into: Option<&Path>,
    content: &Content,
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
        let target =
            award_target(root, into, row.issued.year).map_err(|m| Error::usage(m, None))?;
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
pub fn edits(
    root: &Path,
    csv_name: &str,
    content: &Content,
    batch: &Batch,
    today: Date,
) -> error::Result<Vec<Edit>> {
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
        let edit = Edit::append::<AwardFile>(root, rel, &header, Some(&comment), &items, old);
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
        let edit = Edit::append::<EarnerFile>(root, rel, header, Some(&comment), &items, old);
        edits.push(edit.map_err(failed)?);
    }
    Ok(edits)
}

/// Column name → index, from the header row.
pub type Columns = HashMap<&'static str, usize>;

pub fn read_header(file: &str, header: &Record) -> Result<Columns, Diagnostics> {
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

pub struct NewEarner {
    pub id: String,
    pub name: String,
    pub email: String,
    pub line: usize,
}

/// A checked row.
pub struct Row {
    badge: String,
    earner: String,
    issued: Date,
    expires: Option<Date>,
    evidence: Option<(String, Option<String>)>,
}

/// Checks rows one by one (every problem recorded in `diags`).
pub struct Checker<'a> {
    file: &'a str,
    today: Date,
    columns: &'a Columns,
    badges: HashSet<String>,
    /// Existing earners: id → normalised email.
    earners: HashMap<String, String>,
    pub new_earners: Vec<NewEarner>,
    new_index: HashMap<String, usize>,
    pub diags: Diagnostics,
}

impl<'a> Checker<'a> {
    /// A checker of rows with `columns`, against the site's badges and earners.
    pub fn new(file: &'a str, today: Date, columns: &'a Columns, content: &Content) -> Checker<'a> {
        Checker {
            file,
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
        }
    }

    fn error(&mut self, at: Pos, msg: String, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::error(self.file, at, msg).help(help));
    }

    /// Checks one row, recording every problem; `None` if it has errors.
    pub fn row(&mut self, rec: &Record) -> Option<Row> {
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
