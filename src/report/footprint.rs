//! What the site costs a static host: files and bytes, per award and in
//! all, and the most entries in one folder, against the limits of the
//! hosts the README's "Which host, which mode, at what size" names.
//!
//! Read from the built output when there is one: from its build record
//! (`.public.accolade/manifest`, which keeps every unit's files and
//! bytes, so a million files need not be looked at), else by walking it.
//! Without an output, estimated from the settings and the sizes of the
//! example site's files.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use rayon::prelude::*;
use serde::Serialize;

use crate::output::Manifest;
use crate::site::{Acceptance, Site};

#[derive(Debug, Serialize)]
pub struct Footprint {
    /// `built` (read from the output) or `estimated` (no output yet).
    pub source: String,
    /// The output folder, relative to the site root.
    pub output: String,
    /// Awards with files in the output (built), or published (estimated).
    pub awards: u64,
    /// Two decimals.
    pub files_per_award: f64,
    pub bytes_per_award: u64,
    /// Files and bytes of all awards.
    pub award_files: u64,
    pub award_bytes: u64,
    /// Files and bytes of the whole output.
    pub files: u64,
    pub bytes: u64,
    pub largest_folder: Folder,
    pub hosts: Vec<HostFit>,
}

/// The folder with the most entries (files and folders directly in it).
#[derive(Debug, Serialize)]
pub struct Folder {
    /// Relative to the output, with a final `/` (`verify/`); `/` for the
    /// output's own top level.
    pub path: String,
    pub entries: u64,
}

/// A host's limit and the share of it the site uses.
#[derive(Debug, Serialize)]
pub struct HostFit {
    /// `cloudflare-pages-free`, `cloudflare-pages-paid`, `github-pages`,
    /// `netlify`.
    pub host: String,
    /// What is limited: `files` (in the site), `bytes` (of the site) or
    /// `folder_entries` (in one folder).
    pub measure: String,
    pub limit: u64,
    pub used: u64,
    /// `used / limit`, to four decimals.
    pub share: f64,
    pub fits: bool,
}

/// The limits as the hosts publish them (README, "Which host, which mode,
/// at what size"; 1 GB taken as 10⁹ bytes).
pub const HOSTS: [(&str, &str, u64); 4] = [
    ("cloudflare-pages-free", "files", 20_000),
    ("cloudflare-pages-paid", "files", 100_000),
    ("github-pages", "bytes", 1_000_000_000),
    ("netlify", "folder_entries", 54_000),
];

// Sizes of the example site's files (two languages, lean), for estimates.
/// A verification page in one language.
const AWARD_PAGE: u64 = 11_800;
/// `assertion.json` and `credential.json` together.
const AWARD_JSON: u64 = 3_400;
/// `award_files: full`'s baked PNG and SVG and QR SVG and PNG.
const FULL_FILES: u64 = 88_900;
/// The old certificate address's page, in one language.
const CERTIFICATE_PAGE: u64 = 400;
/// A badge's pages, documents, artwork sizes and preview cards.
const BADGE: u64 = 450_000;
/// A public earner's profile page in one language.
const PROFILE_PAGE: u64 = 7_800;
/// Site-wide pages, scripts, styles and documents.
const SITE: u64 = 285_000;
/// A claim page in one language.
const CLAIM_PAGE: u64 = 6_000;

/// The footprint of the output `out` of `site` (shown as `shown`).
pub fn footprint(site: &Site, out: &Path, shown: &str) -> Footprint {
    let mut f = if out.is_dir() {
        match read_manifest(out) {
            Some(m) => from_manifest(&m),
            None => from_walk(out),
        }
    } else {
        estimate(site)
    };
    f.output = shown.to_string();
    f.files_per_award = if f.awards == 0 {
        0.0
    } else {
        (f.award_files as f64 / f.awards as f64 * 100.0).round() / 100.0
    };
    f.bytes_per_award = f.award_bytes.checked_div(f.awards).unwrap_or(0);
    f.hosts = HOSTS
        .iter()
        .map(|&(host, measure, limit)| {
            let used = match measure {
                "files" => f.files,
                "bytes" => f.bytes,
                _ => f.largest_folder.entries,
            };
            HostFit {
                host: host.into(),
                measure: measure.into(),
                limit,
                used,
                share: (used as f64 / limit as f64 * 10_000.0).round() / 10_000.0,
                fits: used <= limit,
            }
        })
        .collect();
    f
}

fn empty(source: &str) -> Footprint {
    Footprint {
        source: source.into(),
        output: String::new(),
        awards: 0,
        files_per_award: 0.0,
        bytes_per_award: 0,
        award_files: 0,
        award_bytes: 0,
        files: 0,
        bytes: 0,
        largest_folder: Folder {
            path: "/".into(),
            entries: 0,
        },
        hosts: Vec::new(),
    }
}

/// The build record beside `out` (`.public.accolade/manifest` for
/// `public/`), if a build of the whole site wrote it: any version's, as
/// long as the record's format is this one's (a share's, `--shard`, holds
/// only that share's files).
fn read_manifest(out: &Path) -> Option<Manifest> {
    let out = std::path::absolute(out).ok()?;
    let name = out.file_name()?.to_string_lossy().into_owned();
    let path = out.parent()?.join(format!(".{name}.accolade/manifest"));
    let head = std::io::BufRead::lines(std::io::BufReader::new(std::fs::File::open(&path).ok()?))
        .nth(1)?
        .ok()?;
    let stamp = head.strip_prefix("stamp ")?;
    if stamp.contains(" shard ") {
        return None;
    }
    Manifest::read(&path, stamp)
}

fn from_manifest(m: &Manifest) -> Footprint {
    let mut f = empty("built");
    let mut files: Vec<String> = Vec::new();
    for (key, unit) in &m.units {
        let n = m.file_count(unit) as u64;
        f.files += n;
        f.bytes += unit.bytes;
        if key.starts_with("a:") {
            f.awards += 1;
            f.award_files += n;
            f.award_bytes += unit.bytes;
        }
        files.extend(m.files(unit));
    }
    f.largest_folder = largest_folder(files.iter().map(String::as_str));
    f
}

/// Counts an output without a usable build record, file by file.
fn from_walk(out: &Path) -> Footprint {
    let mut f = empty("built");
    let files = walk(out, "");
    let mut awards = HashSet::new();
    for (rel, bytes) in &files {
        f.files += 1;
        f.bytes += bytes;
        // `verify/<award>/…` and `<lang>/verify/<award>/…`.
        let parts: Vec<&str> = rel.split('/').collect();
        if let Some(i) = parts.iter().position(|&p| p == "verify")
            && i <= 1
            && parts.len() > i + 2
            && crate::rules::is_award_id(parts[i + 1])
        {
            awards.insert(parts[i + 1]);
            f.award_files += 1;
            f.award_bytes += bytes;
        }
    }
    f.awards = awards.len() as u64;
    f.largest_folder = largest_folder(files.iter().map(|(p, _)| p.as_str()));
    f
}

/// Every file under `out/rel`, relative to `out`, with its size; folders
/// are read in parallel (a large site's `verify/` holds a folder per award).
fn walk(out: &Path, rel: &str) -> Vec<(String, u64)> {
    let Ok(dir) = std::fs::read_dir(out.join(rel)) else {
        return Vec::new();
    };
    let entries: Vec<std::fs::DirEntry> = dir.flatten().collect();
    entries
        .par_iter()
        .flat_map_iter(|e| {
            let name = e.file_name().to_string_lossy().into_owned();
            let path = if rel.is_empty() {
                name
            } else {
                format!("{rel}/{name}")
            };
            match e.file_type() {
                Ok(t) if t.is_dir() => walk(out, &path),
                Ok(t) if t.is_file() => {
                    let bytes = e.metadata().map_or(0, |m| m.len());
                    vec![(path, bytes)]
                }
                _ => Vec::new(),
            }
        })
        .collect()
}

/// The folder with the most entries, from every file's relative path.
fn largest_folder<'a>(files: impl Iterator<Item = &'a str>) -> Folder {
    let mut entries: HashSet<(&str, &str)> = HashSet::new();
    for path in files {
        let mut start: usize = 0;
        loop {
            let dir = &path[..start.saturating_sub(1)];
            match path[start..].find('/') {
                Some(i) => {
                    entries.insert((dir, &path[start..start + i]));
                    start += i + 1;
                }
                None => {
                    entries.insert((dir, &path[start..]));
                    break;
                }
            }
        }
    }
    let mut counts: HashMap<&str, u64> = HashMap::new();
    for (dir, _) in entries {
        *counts.entry(dir).or_default() += 1;
    }
    let (dir, n) = counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
        .unwrap_or(("", 0));
    Folder {
        path: if dir.is_empty() {
            "/".into()
        } else {
            format!("{dir}/")
        },
        entries: n,
    }
}

/// What a build of `site` would write, from its settings and the sizes of
/// the example site's files.
fn estimate(site: &Site) -> Footprint {
    let mut f = empty("estimated");
    let langs = site.languages.len() as u64;
    let full = site.full_award_files();
    let certificate = u64::from(site.certificate_pages);
    f.awards = site.awards.len() as u64;
    let per_award_files = langs * (1 + certificate) + 2 + if full { 4 } else { 0 };
    let per_award_bytes = AWARD_PAGE * langs
        + AWARD_JSON
        + if full { FULL_FILES } else { 0 }
        + CERTIFICATE_PAGE * langs * certificate;
    f.award_files = f.awards * per_award_files;
    f.award_bytes = f.awards * per_award_bytes;
    let badges = site.badges.iter().filter(|b| b.badged).count() as u64;
    let profiles = site
        .earners
        .iter()
        .filter(|e| e.has_profile() && !e.awards.is_empty())
        .count() as u64;
    let claims = site
        .awards
        .iter()
        .chain(site.unpublished.iter().map(|u| &u.award))
        .filter(|a| matches!(a.accepted, Acceptance::Pending | Acceptance::Claimed(_)))
        .count() as u64;
    let endorsements = site.endorsements.len() as u64;
    f.files = f.award_files
        + badges * (2 * langs + 6)
        + profiles * langs
        + 21
        + 5 * langs
        + endorsements
        + claims * langs;
    f.bytes = f.award_bytes
        + badges * BADGE
        + profiles * langs * PROFILE_PAGE
        + SITE
        + claims * langs * CLAIM_PAGE;
    let folders = [
        ("verify", f.awards + 1),
        ("badges", badges * 8),
        ("earners", profiles),
        ("claim", claims),
    ];
    let (path, entries) = folders
        .into_iter()
        .max_by_key(|&(_, n)| n)
        .unwrap_or(("verify", 0));
    f.largest_folder = Folder {
        path: format!("{path}/"),
        entries,
    };
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_folder_counts_entries_not_files() {
        let files = [
            "index.html",
            "verify/index.html",
            "verify/A/index.html",
            "verify/A/credential.json",
            "verify/B/index.html",
            "verify/C/index.html",
            "zh-CN/verify/A/index.html",
        ];
        let f = largest_folder(files.into_iter());
        assert_eq!((f.path.as_str(), f.entries), ("verify/", 4));
        let f = largest_folder(["a", "b", "c/d"].into_iter());
        assert_eq!((f.path.as_str(), f.entries), ("/", 3));
    }
}
