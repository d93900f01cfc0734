//! `accolade init <DIR>`: a new site that passes `check` and `build` as it
//! is: a commented `site.yaml`, one badge with SVG artwork, one earner, one
//! award, an FAQ in English and Chinese, the default theme written out for
//! customising, a fresh signing key under `keys/`, and a `.gitignore` that
//! keeps `keys/` and `public/` out of git.
//!
//! It only ever writes into a new or empty directory.

use std::path::Path;

use crate::content::edit::NewAward;
use crate::content::mint::Minter;
use crate::error::{Error, Result};
use crate::starter::{
    BADGE_SVG, BADGE_YAML, EARNERS_YAML, FAQ_EN, FAQ_ZH, GITIGNORE, ISSUER_SVG, README, SITE_YAML,
};
use crate::theme::DEFAULT_THEME;

/// `accolade init --help`, after the options.
pub const HELP: &str = "\
Example:
  accolade init my-credentials && accolade serve --root my-credentials";

/// Where the signing key goes, relative to the site (as `site.yaml` says).
pub const KEY_FILE: &str = crate::signing::DEFAULT_KEY_FILE;

pub fn run(dir: &Path) -> Result<()> {
    ensure_empty(dir)?;
    // The starter award is dated yesterday, so the README's own
    // `accolade award` example (issued today) works on day one.
    let now = crate::dates::now_epoch().map_err(|m| Error::usage(m, None))?;
    let issued_on = crate::dates::Date::from_unix(now - 86_400);
    let id = Minter::empty()
        .mint()
        .map_err(|m| Error::refused(m, None))?;
    let award = NewAward {
        id,
        badge: "first-exam".into(),
        earner: "e-sam-example".into(),
        issued_on,
        expires_on: None,
        evidence: None,
    };
    let files = starter_files(&award);
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| Error::io("write", &path, e))?;
    }
    crate::signing::Key::generate()
        .write_key(&dir.join(KEY_FILE))
        .map_err(|m| {
            Error::refused(
                format!("cannot create the signing key `{KEY_FILE}`: {m}"),
                None,
            )
        })?;

    eprintln!(
        "Created a new site in `{}`: {}, the default theme in `themes/default/` and a new signing key in `{KEY_FILE}` (kept out of git: back it up).",
        dir.display(),
        crate::text::count(files.len() + 1, "file"),
    );
    let placeholders: String = crate::starter::ALL
        .iter()
        .map(|p| format!("\n  - {}: {}", p.what, p.help))
        .collect();
    eprintln!(
        "Next: replace the starter's placeholders, which `check` and `build` warn about until you do:{placeholders}\n  \
         - the FAQ's contact address (content/faq/*.md), and the sample badge, earner and award.\n\
         Then:\n  \
         accolade check --root {0}\n  \
         accolade serve --root {0}      # preview at http://127.0.0.1:1111/\n  \
         accolade build --root {0}      # the site, in {0}/public/",
        dir.display()
    );
    Ok(())
}

/// A site is only ever created in a new or empty directory.
fn ensure_empty(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Error::usage(
            format!(
                "`{}` is not empty; `accolade init` creates a site only in a new or empty directory",
                dir.display()
            ),
            Some("name a new directory, e.g. `accolade init my-credentials`"),
        )),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::usage(
            format!("cannot use `{}` for a new site: {e}", dir.display()),
            None,
        )),
    }
}

/// Every file of the starter site, relative to its directory, but the key.
fn starter_files(award: &NewAward) -> Vec<(String, Vec<u8>)> {
    let awards_file = format!("content/awards/{}.yaml", award.issued_on.year);
    let awards = format!(
        "# Award records: one YAML list per file; any file under content/awards/ is\n\
         # read. Add awards with `accolade award --badge B --earner E` (it mints the\n\
         # id and appends here, keeping comments) or in bulk with `accolade import`.\n\
         #\n\
         # Award ids are permanent: they are in every verification URL and QR code.\n\n{}",
        award.to_yaml()
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("content/site.yaml".into(), SITE_YAML.into()),
        ("content/badges/first-exam.yaml".into(), BADGE_YAML.into()),
        ("content/images/first-exam.svg".into(), BADGE_SVG.into()),
        ("content/images/issuer.svg".into(), ISSUER_SVG.into()),
        ("content/earners/people.yaml".into(), EARNERS_YAML.into()),
        (awards_file, awards.into_bytes()),
        ("content/faq/en.md".into(), FAQ_EN.into()),
        ("content/faq/zh-CN.md".into(), FAQ_ZH.into()),
        (".gitignore".into(), GITIGNORE.into()),
        ("README.md".into(), README.into()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(p, b)| (format!("themes/default/{p}"), b.to_vec())),
    );
    files
}
