//! `accolade award`: mints one award and appends it to an award file.
//!
//! The record is appended as text (see `content::edit`), keeping the file's
//! comments; the id is minted by `content::mint`.

use std::path::Path;

use crate::content::edit::{Edit, NewAward, award_target, find_duplicate, write_all};
use crate::content::mint::Minter;
use crate::content::{self, AwardFile, BadgeFile, Content, EarnerFile, Located};
use crate::dates::Date;
use crate::diagnostics::{Diagnostics, suggest};
use crate::error::{Error, Result};
use crate::paths;

/// `accolade award --help`, after the options.
pub const HELP: &str = "\
Award ids are 12 characters from 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0/O,
1/I), random from the operating system and unique in the site. The record is
appended as text, so the file's comments and formatting stay as they are.
The same badge, earner and issue date twice is refused.

Example:
  accolade award --badge az-900 --earner e-li-lei --issued 2026-01-15
  7Q3K9XWD2M4T
  https://credentials.example.org/verify/7Q3K9XWD2M4T/";

pub struct Options<'a> {
    pub root: &'a Path,
    pub badge: &'a str,
    pub earner: &'a str,
    pub issued: Option<&'a str>,
    pub expires: Option<&'a str>,
    /// Award file, relative to the root (default `content/awards/<year>.yaml`).
    pub into: Option<&'a Path>,
}

pub fn run(opts: &Options) -> Result<()> {
    let (issued, expires) = dates(opts)?;
    let target =
        award_target(opts.root, opts.into, issued.year).map_err(|m| Error::usage(m, None))?;
    let (content, diags) = content::load_complete(opts.root);
    let content = content.ok_or_else(|| {
        Error::invalid(
            diags,
            "the content has errors; fix them before adding awards",
        )
    })?;
    let (badge, earner) = (opts.badge.trim(), opts.earner.trim());
    let (b, e) = (find_badge(&content, badge)?, find_earner(&content, earner)?);
    if let Some(dup) = find_duplicate(&content, badge, earner, issued) {
        return Err(Error::refused(
            format!(
                "earner `{earner}` already holds badge `{badge}` issued on {issued}: award {} in `{}`",
                dup.record.id.value.trim(),
                dup.file.display()
            ),
            Some(
                "award ids are permanent, so no second award is made for the same badge, earner and date; give another --issued date if this is a new award",
            ),
        ));
    }
    if !b.record.badged {
        eprintln!(
            "warning: badge `{badge}` has `badged: false`; this award is recorded but never published"
        );
    }
    let id = Minter::new(&content)
        .mint()
        .map_err(|m| Error::refused(m, None))?;
    let record = NewAward {
        id: id.clone(),
        badge: badge.to_string(),
        earner: earner.to_string(),
        issued_on: issued,
        expires_on: expires,
        evidence: None,
    };
    let old_count = content.awards.iter().filter(|a| *a.file == *target).count();
    let header = format!("# Awards issued in {}.\n", issued.year);
    let edit = Edit::append::<AwardFile>(
        opts.root,
        &target,
        &header,
        None,
        &[record.to_yaml()],
        old_count,
    )
    .map_err(|d| {
        let mut all = Diagnostics::default();
        all.push(d);
        Error::invalid(all, "nothing was written")
    })?;
    write_all(opts.root, &[edit]).map_err(|m| Error::refused(m, None))?;

    println!("{id}");
    println!("{}/{}", content.base_url(), paths::award_page(&id));
    eprintln!(
        "Added award {id} (badge `{badge}`, earner `{earner}`, issued {issued}) to `{}`.",
        target.display()
    );
    if !e.record.auto_accept {
        eprintln!(
            "note: earner `{earner}` does not auto-accept awards; the award is published once `accepted: true` is added to it"
        );
    }
    Ok(())
}

/// The issue date (default today, never in the future) and the expiry
/// date (after it), from the options.
fn dates(opts: &Options) -> Result<(Date, Option<Date>)> {
    let today = crate::build::today().map_err(|m| Error::usage(m, None))?;
    let issued = match opts.issued {
        None => today,
        Some(s) => {
            Date::parse_field("--issued", s).map_err(|(m, why)| Error::usage(m, Some(&why)))?
        }
    };
    if issued > today {
        return Err(Error::usage(
            format!("`--issued {issued}` is in the future (today is {today})"),
            Some("an award cannot be issued before its date; check the year"),
        ));
    }
    let Some(s) = opts.expires else {
        return Ok((issued, None));
    };
    match Date::parse_field("--expires", s) {
        Err((m, why)) => Err(Error::usage(m, Some(&why))),
        Ok(e) if e <= issued => Err(Error::usage(
            format!("`--expires {e}` is not after the issue date {issued}"),
            Some("an award must expire after it is issued"),
        )),
        Ok(e) => Ok((issued, Some(e))),
    }
}

fn find_badge<'c>(content: &'c Content, badge: &str) -> Result<&'c Located<BadgeFile>> {
    let found = content
        .badges
        .iter()
        .find(|b| b.record.id.value.trim() == badge);
    found.ok_or_else(|| {
        let names = content.badges.iter().map(|b| b.record.id.value.trim());
        Error::usage(
            format!("there is no badge `{badge}`"),
            Some(&suggest(
                badge,
                names,
                "name a badge id from `content/badges/`",
            )),
        )
    })
}

fn find_earner<'c>(content: &'c Content, earner: &str) -> Result<&'c Located<EarnerFile>> {
    let found = content
        .earners
        .iter()
        .find(|e| e.record.id.value.trim() == earner);
    found.ok_or_else(|| {
        let names = content.earners.iter().map(|e| e.record.id.value.trim());
        Error::usage(
            format!("there is no earner `{earner}`"),
            Some(&suggest(
                earner,
                names,
                "add the earner to a file in `content/earners/` first, or use `accolade import`, which creates earners",
            )),
        )
    })
}
