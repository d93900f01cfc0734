//! `accolade build`: the whole pipeline (`crate::build`), then a summary.

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::text::count;

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub base_url: Option<&'a str>,
}

pub fn run(opts: &Options) -> Result<()> {
    let started = Instant::now();
    let failed = |diags: crate::diagnostics::Diagnostics| {
        let n = diags.errors();
        Error::invalid(
            diags,
            format!(
                "build failed with {}; the previous output was left as it was",
                count(n, "error")
            ),
        )
    };
    let now = crate::build::now().map_err(failed)?;
    let built = crate::build::build(
        &crate::build::Options {
            root: opts.root,
            out: opts.out,
            base_url: opts.base_url,
            quiet: false,
        },
        now,
    )
    .map_err(failed)?;
    super::report(opts.root, &built.warnings);
    eprintln!(
        "Built {}, {} in {} into `{}`: {} written, {} unchanged, in {} ms.",
        count(built.badges, "badge"),
        count(built.awards, "award"),
        count(built.languages, "language"),
        opts.out.display(),
        count(built.written, "file"),
        built.unchanged,
        started.elapsed().as_millis()
    );
    Ok(())
}
