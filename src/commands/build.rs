//! `accolade build`: load → check → resolve → plan → render → write.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::output::Staging;
use crate::progress::Progress;
use crate::render::{Renderer, plan};

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub base_url: Option<&'a str>,
    pub quiet: bool,
}

/// What a successful build did; `warnings` are for the user to see.
pub struct Built {
    pub badges: usize,
    pub awards: usize,
    pub languages: usize,
    pub written: usize,
    pub unchanged: usize,
    pub warnings: Diagnostics,
}

/// Builds the site. On failure returns every diagnostic (errors and
/// warnings), and the previous output is left as it was.
pub fn build(opts: &Options) -> Result<Built, Diagnostics> {
    let (loaded, mut diags) = super::load_site(opts.root, opts.base_url);
    let Some((content, site)) = loaded else {
        return Err(diags);
    };
    let key = super::load_key(&content).map_err(|d| {
        diags.push(d);
        diags.clone()
    })?;
    let mut renderer = Renderer::new(&site, &content.theme, &key).map_err(|d| {
        diags.extend(d);
        diags.clone()
    })?;
    renderer.reuse_signatures_from(opts.out);
    let staging = Staging::new(opts.out).map_err(|e| io_error(opts.out, e))?;
    let jobs = plan(&site, &content.theme);
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
                staging.write(&f.path, &f.bytes).err().map(|e| {
                    Diagnostic::error(
                        opts.out.join(&f.path),
                        Pos::default(),
                        format!("cannot write: {e}"),
                    )
                })
            })
        })
        .collect();
    if let Some(p) = progress {
        p.finish(None);
    }
    if !errors.is_empty() {
        diags.extend(Diagnostics(errors));
        diags.sort();
        return Err(diags);
    }
    let written = staging.written.load(Ordering::Relaxed);
    let unchanged = staging.unchanged.load(Ordering::Relaxed);
    staging.commit().map_err(|e| io_error(opts.out, e))?;
    Ok(Built {
        badges: site.badges.len(),
        awards: site.awards.len(),
        languages: site.languages.len(),
        written,
        unchanged,
        warnings: diags,
    })
}

pub fn run(opts: &Options) -> i32 {
    let started = Instant::now();
    match build(opts) {
        Ok(b) => {
            super::report(opts.root, &b.warnings);
            if !opts.quiet {
                eprintln!(
                    "Built {} badges, {} awards in {} languages into `{}`: {} files written, {} unchanged, in {} ms.",
                    b.badges,
                    b.awards,
                    b.languages,
                    opts.out.display(),
                    b.written,
                    b.unchanged,
                    started.elapsed().as_millis()
                );
            }
            0
        }
        Err(diags) => {
            super::report(opts.root, &diags);
            let n = diags.errors();
            eprintln!(
                "error: build failed with {n} error{}; the previous output was left as it was",
                if n == 1 { "" } else { "s" }
            );
            1
        }
    }
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
