//! `accolade check`: everything `build` checks, writing nothing. Also names
//! the awards that exist in content but are not published, and why.

use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::error::{Error, Result};
use crate::site::Reason;
use crate::text::count;

pub fn run(root: &Path) -> Result<()> {
    let failed = |diags: crate::diagnostics::Diagnostics| {
        let n = diags.errors();
        Error::invalid(diags, format!("{} found", count(n, "error")))
    };
    let now = crate::build::now().map_err(failed)?;
    let loaded = crate::build::load(root, None, now).map_err(failed)?;
    let (_, mut warnings) = crate::build::prepare(&loaded).map_err(failed)?;
    let site = &loaded.site;
    // What `build` would refuse: awards `public/` publishes whose records are gone.
    let published = crate::build::published_awards(&root.join("public"), None);
    if let Err(gone) = crate::corrections::removed_awards(published, site, false) {
        warnings.extend(Diagnostics(
            gone.0.into_iter().map(Diagnostic::into_warning).collect(),
        ));
    }
    super::report(root, &warnings);
    for u in &site.unpublished {
        let badge = &site.badges[u.award.badge].id;
        let why = match &u.reason {
            Reason::NotAccepted => "not accepted by the earner yet".to_string(),
            Reason::Declined => "declined by the earner".to_string(),
            Reason::NotBadged => format!("badge `{badge}` is not badged (`badged: false`)"),
            Reason::PrivateEarner => "the earner's profile is private".to_string(),
            Reason::Superseded { certification } => {
                format!("superseded by the earner's certification `{certification}`")
            }
        };
        println!("not published: award {} ({badge}): {why}", u.award.id);
    }
    println!(
        "ok: {}, {}, {} ({} not published), {}",
        count(site.badges.len(), "badge"),
        count(site.earners.len(), "earner"),
        count(site.awards.len(), "published award"),
        site.unpublished.len(),
        count(warnings.warnings(), "warning"),
    );
    Ok(())
}
