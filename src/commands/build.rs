//! `accolade build`: load → check → resolve → plan → render → write.

use std::path::Path;
use std::time::Instant;

use rayon::prelude::*;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::output::Staging;
use crate::render::{Renderer, plan};

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub base_url: Option<&'a str>,
    pub quiet: bool,
}

pub fn run(opts: &Options) -> i32 {
    let started = Instant::now();
    let (loaded, mut diags) = super::load_site(opts.root, opts.base_url);
    let Some((content, site)) = loaded else {
        return fail(opts.root, &diags);
    };
    let renderer = match Renderer::new(&site, &content.theme) {
        Ok(r) => r,
        Err(d) => {
            diags.extend(d);
            return fail(opts.root, &diags);
        }
    };
    super::report(opts.root, &diags);

    let staging = match Staging::new(opts.out) {
        Ok(s) => s,
        Err(e) => return io_fail(opts.out, e),
    };
    let jobs = plan(&site, &content.theme);
    let errors: Vec<Diagnostic> = jobs
        .par_iter()
        .filter_map(|job| {
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
    if !errors.is_empty() {
        let mut d = Diagnostics(errors);
        d.sort();
        return fail(opts.root, &d);
    }
    let (written, unchanged) = (
        staging.written.load(std::sync::atomic::Ordering::Relaxed),
        staging.unchanged.load(std::sync::atomic::Ordering::Relaxed),
    );
    if let Err(e) = staging.commit() {
        return io_fail(opts.out, e);
    }
    if !opts.quiet {
        eprintln!(
            "Built {} badges, {} awards in {} languages into `{}`: {} files written, {} unchanged, in {} ms.",
            site.badges.len(),
            site.awards.len(),
            site.languages.len(),
            opts.out.display(),
            written,
            unchanged,
            started.elapsed().as_millis()
        );
    }
    0
}

fn fail(root: &Path, diags: &Diagnostics) -> i32 {
    super::report(root, diags);
    eprintln!(
        "error: build failed with {} error{}; the previous output was left as it was",
        diags.errors(),
        if diags.errors() == 1 { "" } else { "s" }
    );
    1
}

fn io_fail(out: &Path, e: std::io::Error) -> i32 {
    eprintln!("error: cannot write the output `{}`: {e}", out.display());
    1
}
