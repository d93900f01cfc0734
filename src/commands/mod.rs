//! One module per command. Each returns the process exit code:
//! 0 success, 1 invalid content or failed verification, 2 usage errors.

pub mod award;
pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod keys;
pub mod verify;
pub mod serve;

use std::path::Path;

use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::site::Site;

/// Load, then resolve: the first steps of `build` and `check`.
/// Prints every diagnostic; returns the site only when there was no error.
pub fn load_site(root: &Path, base_url: Option<&str>) -> (Option<(Content, Site)>, Diagnostics) {
    let (content, mut diags) = content::load(root);
    let Some(mut content) = content else {
        return (None, diags);
    };
    if let Some(url) = base_url {
        content.site.record.base_url.value = url.to_string();
    }
    let now = match crate::dates::now_epoch() {
        Ok(n) => n,
        Err(msg) => {
            diags.push(crate::diagnostics::Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                Default::default(),
                msg,
            ));
            return (None, diags);
        }
    };
    let (site, more) = crate::rules::resolve(&content, now);
    diags.extend(more);
    (site.map(|s| (content, s)), diags)
}

/// Prints diagnostics to stderr, warnings and errors alike.
pub fn report(root: &Path, diags: &Diagnostics) {
    if !diags.0.is_empty() {
        eprint!("{}", diags.render(root));
    }
}
