//! One module per command. Each returns the process exit code:
//! 0 success, 1 invalid content or failed verification, 2 usage errors.

pub mod award;
pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod keys;
pub mod serve;
pub mod verify;

use std::path::Path;

use crate::content::{self, Content};
use crate::diagnostics::Diagnostics;
use crate::site::Site;

/// Load, then resolve: the first steps of `build` and `check`.
/// Prints every diagnostic; returns the site only when there was no error.
pub fn load_site(root: &Path, base_url: Option<&str>) -> (Option<(Content, Site)>, Diagnostics) {
    match crate::dates::now_epoch() {
        Ok(now) => load_site_at(root, base_url, now),
        Err(msg) => {
            let mut diags = Diagnostics::default();
            diags.push(crate::diagnostics::Diagnostic::error(
                "SOURCE_DATE_EPOCH",
                Default::default(),
                msg,
            ));
            (None, diags)
        }
    }
}

/// [`load_site`] as of `now` (seconds since 1970).
pub fn load_site_at(
    root: &Path,
    base_url: Option<&str>,
    now: i64,
) -> (Option<(Content, Site)>, Diagnostics) {
    let (content, mut diags) = content::load(root);
    let Some(mut content) = content else {
        return (None, diags);
    };
    if let Some(url) = base_url {
        content.site.record.base_url.value = url.to_string();
    }
    let (site, more) = crate::rules::resolve(&content, now);
    diags.extend(more);
    (site.map(|s| (content, s)), diags)
}

/// The signing key: `ACCOLADE_SIGNING_KEY` when set, else the file named by
/// `signing.key_file` (default `keys/issuer.ed25519`). A missing key is an
/// error that says how to make one; it is never generated silently, since a
/// new key would orphan every credential already handed out.
pub fn load_key(content: &Content) -> Result<crate::signing::Key, crate::diagnostics::Diagnostic> {
    use crate::diagnostics::{Diagnostic, Pos};
    use crate::signing::{DEFAULT_KEY_FILE, KEY_ENV, Key};
    let named = content
        .site
        .record
        .signing
        .as_ref()
        .and_then(|s| s.key_file.as_ref());
    let (rel, at) = named.map_or((DEFAULT_KEY_FILE.to_string(), Pos::default()), |k| {
        (k.value.trim().to_string(), crate::content::pos(k))
    });
    let env = std::env::var(KEY_ENV).ok();
    let path = content.root.join(&rel);
    let from_env = env.as_deref().is_some_and(|v| !v.trim().is_empty());
    if !from_env && !path.exists() {
        return Err(Diagnostic::error(
            "content/site.yaml",
            at,
            format!("no signing key: `{rel}` does not exist"),
        )
        .help(format!(
            "create one with `accolade keys generate --out {rel}` (keep it secret and backed up), \
                 set `signing.key_file` to an existing key, or set {KEY_ENV}; \
                 never replace a key that already signed credentials"
        )));
    }
    Key::from_env_or_file(env.as_deref(), &path).map_err(|e| {
        Diagnostic::error(
            "content/site.yaml",
            at,
            format!("cannot use the signing key: {e}"),
        )
        .help(format!(
            "a key file is what `accolade keys generate --out {rel}` writes"
        ))
    })
}

/// Prints diagnostics to stderr, warnings and errors alike.
pub fn report(root: &Path, diags: &Diagnostics) {
    if !diags.0.is_empty() {
        eprint!("{}", diags.render(root));
    }
}
