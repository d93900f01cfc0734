//! `accolade build`: the whole pipeline (`crate::build`), then a summary.

use std::path::Path;
use std::time::Instant;

use crate::error::{Error, Result};
use crate::text::count;

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    pub base_url: Option<&'a str>,
    pub force: bool,
    /// `K/N`, as given.
    pub shard: Option<&'a str>,
    /// `--reissue`: date changes to issued credentials in content.
    pub reissue: bool,
    /// `--allow-removal`: let published awards go with their records.
    pub allow_removal: bool,
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
    let shard = opts
        .shard
        .map(crate::build::Shard::parse)
        .transpose()
        .map_err(|m| Error::usage(m, None))?;
    let now = crate::build::now().map_err(failed)?;
    let built = crate::build::build(
        &crate::build::Options {
            root: opts.root,
            out: opts.out,
            base_url: opts.base_url,
            quiet: false,
            force: opts.force,
            shard,
            undated: if opts.reissue {
                crate::build::Undated::Reissue
            } else {
                crate::build::Undated::Stop
            },
            allow_removal: opts.allow_removal,
            exits_after: true,
        },
        now,
    )
    .map_err(failed)?;
    super::report(opts.root, &built.warnings);
    for line in &built.reissued {
        eprintln!("Reissued as new versions: {line}.");
    }
    if !built.reissued.is_empty() {
        eprintln!(
            "Copies earners hold of earlier versions stay genuine and verify as superseded. Commit the change to content/."
        );
    }
    if !built.removed_awards.is_empty() {
        eprintln!(
            "Removed the pages of {} whose records are gone (--allow-removal): {}.",
            count(built.removed_awards.len(), "award"),
            built.removed_awards.join(", ")
        );
    }
    let w = &built.written;
    let what = if w.files == 0 && w.removed == 0 {
        format!(
            "nothing changed (rendered {} of {}: 0 files written, all {} files up to date)",
            w.rendered,
            count(w.jobs, "job"),
            w.total_files
        )
    } else {
        format!(
            "rendered {} of {}; {} written ({}), {} removed, {} of {} unchanged",
            w.rendered,
            count(w.jobs, "job"),
            count(w.files, "file"),
            human_bytes(w.bytes),
            w.removed,
            w.total_files - w.files,
            count(w.total_files, "file"),
        )
    };
    eprintln!(
        "Built {}, {} in {} into `{}`: {what}; in {} ms.",
        count(built.badges, "badge"),
        count(built.awards, "award"),
        count(built.languages, "language"),
        opts.out.display(),
        started.elapsed().as_millis()
    );
    if w.awards > 0 {
        eprintln!(
            "Per award: {:.1} files, {} (award_files: {}; {} files, {} for all awards).",
            w.award_file_count as f64 / w.awards as f64,
            human_bytes(w.award_bytes / w.awards as u64),
            built.award_files_setting,
            w.award_file_count,
            human_bytes(w.award_bytes),
        );
    }
    Ok(())
}

/// `1.2 MB`, `340 KB`, `12 B`.
fn human_bytes(n: u64) -> String {
    match n {
        n if n >= 1_000_000_000 => format!("{:.1} GB", n as f64 / 1e9),
        n if n >= 1_000_000 => format!("{:.1} MB", n as f64 / 1e6),
        n if n >= 1_000 => format!("{} KB", n / 1_000),
        n => format!("{n} B"),
    }
}
