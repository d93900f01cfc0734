//! `accolade bake`: the baked badge image of one award, the same bytes the
//! verification page's download button makes in a browser, for issuers who
//! mail badges or hand them to a print vendor.

use std::path::Path;

use crate::diagnostics::Diagnostics;
use crate::error::{Error, Result};
use crate::render::files::Assets;
use crate::text::count;

pub struct Options<'a> {
    pub root: &'a Path,
    pub award: &'a str,
    /// `png` or `svg`.
    pub format: &'a str,
    /// Where to write; default `<AWARD>.<format>` in the site root.
    pub out: Option<&'a Path>,
}

pub fn run(opts: &Options) -> Result<()> {
    let invalid = |d: Diagnostics| {
        let n = d.errors();
        Error::invalid(
            d,
            format!("cannot bake: the content has {}", count(n, "error")),
        )
    };
    if !matches!(opts.format, "png" | "svg") {
        return Err(Error::usage(
            format!("`--format {}` is not png or svg", opts.format),
            None,
        ));
    }
    let now = crate::build::now().map_err(invalid)?;
    let loaded = crate::build::load(opts.root, None, now).map_err(invalid)?;
    let site = &loaded.site;
    let a = find_award(site, opts.award)?;
    let award = &site.awards[a];
    if award.revoked.is_some() {
        return Err(Error::refused(
            format!("award {} is revoked: it has no badge to hand out", award.id),
            None,
        ));
    }
    if opts.format == "svg" && site.badges[award.badge].image_ext() != "svg" {
        return Err(Error::usage(
            format!(
                "badge `{}` has PNG artwork, so its awards bake only as PNG",
                site.badges[award.badge].id
            ),
            Some("use `--format png`"),
        ));
    }
    let mut assets = Assets::new(site, &loaded.content.theme).map_err(invalid)?;
    let public = opts.root.join("public");
    assets.previous = public.is_dir().then_some(public);
    let bytes = assets
        .browser_baked(site, a, &loaded.key, opts.format)
        .map_err(|d| invalid(Diagnostics(vec![d])))?;
    let default = opts.root.join(format!("{}.{}", award.id, opts.format));
    let out = opts.out.map_or(default, |o| opts.root.join(o));
    // `--out badges-to-print/li-lei.png`, as the help shows, makes the folder.
    if let Some(dir) = out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    std::fs::write(&out, &bytes).map_err(|e| Error::io("write", &out, e))?;
    eprintln!(
        "Baked award {} ({}) into `{}` ({} bytes).",
        award.id,
        site.badges[award.badge].id,
        out.display(),
        bytes.len()
    );
    Ok(())
}

/// The index of the published award with this id (case-insensitive, as
/// people type ids from paper).
fn find_award(site: &crate::site::Site, id: &str) -> Result<usize> {
    let wanted = id.trim().to_ascii_uppercase();
    site.awards
        .iter()
        .position(|a| a.id.to_ascii_uppercase() == wanted)
        .ok_or_else(|| {
            let why = if site.unpublished.iter().any(|u| u.award.id.eq_ignore_ascii_case(&wanted)) {
                "exists but is not published (not accepted, declined, private earner, not badged or superseded)"
            } else {
                "is not an award of this site"
            };
            Error::usage(format!("`{id}` {why}"), Some("give the id of a published award, as on its verification page"))
        })
}
