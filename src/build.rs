//! The build pipeline as named steps, each taking the previous step's value:
//!
//! ```text
//! content/ ──load──▶ Content ──resolve──▶ Site ──key──▶ Loaded
//!          ──prepare──▶ Renderer (templates, strings, artwork; the plan)
//!          ──render + write──▶ public/ (in parallel; only changed files)
//! ```
//!
//! `check` is [`load`] and [`prepare`]; `build` is all of it; `serve` calls
//! [`build`] and watches. Commands only parse options and print.

use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;

use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::output::Staging;
use crate::progress::Progress;
use crate::render::Renderer;
use crate::signing::{DEFAULT_KEY_FILE, KEY_ENV, Key};
use crate::site::Site;

/// Content resolved into a site, with the key that signs it.
pub struct Loaded {
    pub content: Content,
    pub site: Site,
    pub key: Key,
    /// Warnings found on the way (errors stop the pipeline).
    pub warnings: Diagnostics,
}

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    /// Overrides `site.yaml`'s `base_url` (staging hosts, `serve`).
    pub base_url: Option<&'a str>,
    /// No progress bar.
    pub quiet: bool,
}

/// What a successful build did.
pub struct Built {
    pub badges: usize,
    pub awards: usize,
    pub languages: usize,
    pub written: usize,
    pub unchanged: usize,
    pub warnings: Diagnostics,
}

/// "Now": `SOURCE_DATE_EPOCH` when set, else the clock, as a diagnostic
/// when the variable is malformed.
pub fn now() -> Result<i64, Diagnostics> {
    crate::dates::now_epoch().map_err(|msg| {
        let mut d = Diagnostics::default();
        // Not a file: no location is shown.
        d.push(Diagnostic::error("", Pos::default(), format!("SOURCE_DATE_EPOCH: {msg}")));
        d
    })
}

/// Today (UTC) as the build sees it: `SOURCE_DATE_EPOCH`, else the clock.
pub fn today() -> Result<crate::dates::Date, String> {
    crate::dates::now_epoch().map(crate::dates::Date::from_unix)
}

/// Loads and resolves the content as of `now` (seconds since 1970): every
/// rule applied, every problem found. The site exists only without errors.
pub fn resolve(
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
    diags.sort();
    (site.map(|s| (content, s)), diags)
}

/// [`resolve`], then the signing key: what `check` validates and `build`
/// renders. On failure, every diagnostic found, warnings included.
pub fn load(root: &Path, base_url: Option<&str>, now: i64) -> Result<Loaded, Diagnostics> {
    let (resolved, mut diags) = resolve(root, base_url, now);
    let Some((content, site)) = resolved else {
        return Err(diags);
    };
    match signing_key(&content) {
        Ok(key) => Ok(Loaded {
            content,
            site,
            key,
            warnings: diags,
        }),
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// The renderer of a loaded site: templates compiled, strings and artwork
/// read, the plan made. Problems in the theme or artwork are found here.
pub fn prepare(loaded: &Loaded) -> Result<Renderer<'_>, Diagnostics> {
    Renderer::new(&loaded.site, &loaded.content.theme, &loaded.key).map_err(|d| {
        let mut all = loaded.warnings.clone();
        all.extend(d);
        all
    })
}

/// Builds the site into `opts.out`. On failure returns every diagnostic,
/// and the previous output is left as it was.
pub fn build(opts: &Options, now: i64) -> Result<Built, Diagnostics> {
    let loaded = load(opts.root, opts.base_url, now)?;
    let mut renderer = prepare(&loaded)?;
    renderer.reuse_signatures_from(opts.out);
    let (written, unchanged) = write(&renderer, opts).map_err(|errors| {
        let mut all = loaded.warnings.clone();
        all.extend(errors);
        all.sort();
        all
    })?;
    let site = &loaded.site;
    Ok(Built {
        badges: site.badges.len(),
        awards: site.awards.len(),
        languages: site.languages.len(),
        written,
        unchanged,
        warnings: loaded.warnings,
    })
}

/// Renders every job in parallel into a staging directory, then swaps it
/// in. Returns the number of files written and kept unchanged.
fn write(renderer: &Renderer, opts: &Options) -> Result<(usize, usize), Diagnostics> {
    let out = opts.out;
    let staging = Staging::new(out).map_err(|e| io_error(out, e))?;
    let jobs = renderer.plan();
    // Small sites build in a blink; a bar would only flicker.
    let progress =
        (!opts.quiet && jobs.len() >= 2_000).then(|| Progress::bar("Rendering", jobs.len() as u64));
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
            if let Some(p) = &progress {
                p.inc(1);
            }
            let files = match renderer.render(job) {
                Ok(f) => f,
                Err(d) => return Some(d),
            };
            files.iter().find_map(|f| {
                let failed = staging.write(&f.path, &f.bytes).err()?;
                Some(Diagnostic::error(
                    out.join(&f.path),
                    Pos::default(),
                    format!("cannot write: {failed}"),
                ))
            })
        })
        .collect();
    if let Some(p) = progress {
        p.finish(None);
    }
    if !errors.is_empty() {
        return Err(Diagnostics(errors));
    }
    let counts = (
        staging.written.load(Ordering::Relaxed),
        staging.unchanged.load(Ordering::Relaxed),
    );
    staging.commit().map_err(|e| io_error(out, e))?;
    Ok(counts)
}

fn io_error(out: &Path, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::error(
        out,
        Pos::default(),
        format!("cannot write the output: {e}"),
    ));
    d
}

/// The signing key: `ACCOLADE_SIGNING_KEY` when set, else the file named by
/// `signing.key_file` (default `keys/issuer.ed25519`). A missing key is an
/// error that says how to make one; it is never generated silently, since a
/// new key would orphan every credential already handed out.
pub fn signing_key(content: &Content) -> Result<Key, Diagnostic> {
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
    let path: PathBuf = content.root.join(&rel);
    let from_env = env.as_deref().is_some_and(|v| !v.trim().is_empty());
    // The hint must work from where the user stands.
    let root_arg = if content.root == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", content.root.display())
    };
    if !from_env && !path.exists() {
        return Err(Diagnostic::error(
            "content/site.yaml",
            at,
            format!("no signing key: `{rel}` does not exist"),
        )
        .help(format!(
            "create one with `accolade keys generate{root_arg} --out {rel}` (keep it secret and backed up), \
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
            "a key file is what `accolade keys generate{root_arg} --out {rel}` writes"
        ))
    })
}
