//! `accolade check`: everything `build` checks, writing nothing. Also names
//! the awards that exist in content but are not published, and why.

use std::path::Path;

use crate::render::Renderer;
use crate::site::Reason;

pub fn run(root: &Path) -> i32 {
    let (loaded, mut diags) = super::load_site(root, None);
    if let Some((content, site)) = &loaded {
        match super::load_key(content) {
            Ok(key) => {
                if let Err(d) = Renderer::new(site, &content.theme, &key) {
                    diags.extend(d);
                }
            }
            Err(d) => diags.push(d),
        }
    }
    super::report(root, &diags);
    if let Some((_, site)) = loaded.as_ref().filter(|_| !diags.has_errors()) {
        for u in &site.unpublished {
            let why = match &u.reason {
                Reason::NotAccepted => "not accepted by the earner yet".to_string(),
                Reason::NotBadged => format!("badge `{}` is not badged (`badged: false`)", u.badge),
                Reason::PrivateEarner => "the earner's profile is private".to_string(),
                Reason::Superseded { certification } => {
                    format!("superseded by the earner's certification `{certification}`")
                }
            };
            println!("not published: award {} ({}): {why}", u.award, u.badge);
        }
        println!(
            "ok: {} badges, {} earners, {} published awards ({} not published), {} warning{}",
            site.badges.len(),
            site.earners.len(),
            site.awards.len(),
            site.unpublished.len(),
            diags.warnings(),
            if diags.warnings() == 1 { "" } else { "s" }
        );
        return 0;
    }
    eprintln!(
        "error: {} error{} found",
        diags.errors(),
        if diags.errors() == 1 { "" } else { "s" }
    );
    1
}
