//! Loading a site directory: `content/*.yaml`, the FAQ and the theme, into
//! raw records that remember where each value was written.
//!
//! Nothing here applies the product rules (that is `rules`); this module only
//! reads files and reports what could not be read or parsed. Every file is
//! read even after an error, so one run reports all problems.

pub mod edit;
pub mod mint;
pub mod yaml;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::theme::Theme;
pub use yaml::{Localized, S, pos};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    pub title: S<String>,
    pub base_url: S<String>,
    #[serde(default)]
    pub languages: Option<S<Vec<S<String>>>>,
    #[serde(default)]
    pub theme: Option<S<String>>,
    pub issuer: IssuerFile,
    #[serde(default)]
    pub signing: Option<SigningFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerFile {
    pub name: S<String>,
    pub url: S<String>,
    pub email: S<String>,
    #[serde(default)]
    pub description: Option<S<Localized>>,
    #[serde(default)]
    pub image: Option<S<String>>,
    #[serde(default)]
    pub linkedin_organization_id: Option<S<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningFile {
    #[serde(default)]
    pub key_file: Option<S<String>>,
    #[serde(default)]
    pub previous_keys: Vec<S<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Exam,
    Certification,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BadgeFile {
    pub id: S<String>,
    pub kind: S<Kind>,
    pub name: S<Localized>,
    pub description: S<Localized>,
    pub criteria: S<Localized>,
    pub image: S<String>,
    #[serde(default)]
    pub skills: Vec<S<String>>,
    #[serde(default)]
    pub alignment: Vec<AlignmentFile>,
    #[serde(default)]
    pub validity: Option<S<String>>,
    #[serde(default)]
    pub requires: Vec<S<String>>,
    #[serde(default = "yes")]
    pub badged: bool,
    #[serde(default)]
    pub retired_on: Option<S<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignmentFile {
    pub name: S<String>,
    pub url: S<String>,
    #[serde(default)]
    pub framework: Option<String>,
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Visibility {
    Public,
    #[default]
    Unlisted,
    Private,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EarnerFile {
    pub id: S<String>,
    pub name: S<String>,
    pub email: S<String>,
    #[serde(default)]
    pub profile: Visibility,
    #[serde(default)]
    pub auto_accept: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardFile {
    pub id: S<String>,
    pub badge: S<String>,
    pub earner: S<String>,
    pub issued_on: S<String>,
    #[serde(default)]
    pub expires_on: Option<S<String>>,
    #[serde(default)]
    pub accepted: Option<bool>,
    #[serde(default)]
    pub evidence: Vec<EvidenceFile>,
    #[serde(default)]
    pub revoked: Option<RevokedFile>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    pub url: S<String>,
    #[serde(default)]
    pub narrative: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokedFile {
    pub on: S<String>,
    #[serde(default)]
    pub reason: Option<String>,
}

/// A record and the file (relative to the site root) it came from.
#[derive(Debug)]
pub struct Located<T> {
    pub file: Arc<Path>,
    pub record: T,
}

/// Everything read from a site directory, before any rule is applied.
pub struct Content {
    pub root: PathBuf,
    pub site: Located<SiteFile>,
    pub badges: Vec<Located<BadgeFile>>,
    pub earners: Vec<Located<EarnerFile>>,
    pub awards: Vec<Located<AwardFile>>,
    /// FAQ Markdown by language code.
    pub faq: BTreeMap<String, (PathBuf, String)>,
    pub theme: Theme,
}

impl Content {
    pub fn languages(&self) -> Vec<String> {
        match &self.site.record.languages {
            Some(l) if !l.value.is_empty() => l.value.iter().map(|s| s.value.clone()).collect(),
            _ => vec!["en".to_string()],
        }
    }

    /// `base_url` as written, without a trailing slash.
    pub fn base_url(&self) -> &str {
        self.site.record.base_url.value.trim().trim_end_matches('/')
    }

    pub fn theme_name(&self) -> &str {
        self.site
            .record
            .theme
            .as_ref()
            .map_or("default", |t| t.value.as_str())
    }
}

/// Reads the whole site directory. Returns the content if every file parsed,
/// and all diagnostics found either way.
pub fn load(root: &Path) -> (Option<Content>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let content_dir = root.join("content");
    if !content_dir.is_dir() {
        diags.push(
            Diagnostic::error(
                "content",
                Pos::default(),
                format!("no `content/` directory in `{}`", root.display()),
            )
            .help("run `accolade init <DIR>` to create a site, or pass `--root DIR`"),
        );
        return (None, diags);
    }

    let site = load_one::<SiteFile>(root, Path::new("content/site.yaml"), &mut diags);
    let badges = load_dir::<BadgeFile>(root, "content/badges", false, &mut diags);
    let earners = load_dir::<Vec<EarnerFile>>(root, "content/earners", true, &mut diags);
    let awards = load_dir::<Vec<AwardFile>>(root, "content/awards", true, &mut diags);
    let faq = load_faq(root, &mut diags);

    let theme_name = site
        .as_ref()
        .and_then(|s| s.record.theme.as_ref())
        .map(|t| (t.value.clone(), pos(t)));
    let theme = match crate::theme::load(root, theme_name.as_ref().map(|(n, p)| (n.as_str(), *p))) {
        Ok(t) => Some(t),
        Err(d) => {
            diags.extend(d);
            None
        }
    };

    let content = match (site, theme) {
        (Some(site), Some(theme)) if !diags.has_errors() => Some(Content {
            root: root.to_path_buf(),
            site,
            badges,
            earners: flatten(earners),
            awards: flatten(awards),
            faq,
            theme,
        }),
        _ => None,
    };
    (content, diags)
}

fn flatten<T>(files: Vec<Located<Vec<T>>>) -> Vec<Located<T>> {
    files
        .into_iter()
        .flat_map(|l| {
            let file = l.file;
            l.record.into_iter().map(move |record| Located {
                file: file.clone(),
                record,
            })
        })
        .collect()
}

fn load_one<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Path,
    diags: &mut Diagnostics,
) -> Option<Located<T>> {
    match read_and_parse(root, rel) {
        Ok(record) => Some(Located {
            file: Arc::from(rel),
            record,
        }),
        Err(d) => {
            diags.push(d);
            None
        }
    }
}

fn read_and_parse<T: serde::de::DeserializeOwned>(
    root: &Path,
    rel: &Path,
) -> Result<T, Diagnostic> {
    let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
        let d = Diagnostic::error(
            rel,
            Pos::default(),
            format!("cannot read `{}`: {e}", rel.display()),
        );
        if e.kind() == std::io::ErrorKind::NotFound && rel.ends_with("site.yaml") {
            d.help("every site needs `content/site.yaml` with `title`, `base_url` and `issuer`")
        } else {
            d
        }
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(rel, Pos::new(1, 1), "the file is empty")
            .help("write the YAML record here, or delete the file"));
    }
    yaml::parse(rel, &text)
}

/// Every `*.yaml` under `dir` (recursively when `recursive`), parsed in parallel,
/// in a stable (sorted) order.
fn load_dir<T: serde::de::DeserializeOwned + Send>(
    root: &Path,
    dir: &str,
    recursive: bool,
    diags: &mut Diagnostics,
) -> Vec<Located<T>> {
    let files = yaml_files(root, dir, recursive);
    let results: Vec<Result<Located<T>, Diagnostic>> = files
        .par_iter()
        .map(|rel| {
            read_and_parse(root, rel).map(|record| Located {
                file: Arc::from(rel.as_path()),
                record,
            })
        })
        .collect();
    let mut out = Vec::new();
    for r in results {
        match r {
            Ok(l) => out.push(l),
            Err(d) => diags.push(d),
        }
    }
    out
}

/// Relative paths of the YAML files in a content folder, sorted.
pub fn yaml_files(root: &Path, dir: &str, recursive: bool) -> Vec<PathBuf> {
    let base = root.join(dir);
    let mut files: Vec<PathBuf> = walkdir::WalkDir::new(&base)
        .max_depth(if recursive { usize::MAX } else { 1 })
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| {
            matches!(
                e.path().extension().and_then(|x| x.to_str()),
                Some("yaml" | "yml")
            )
        })
        .filter_map(|e| e.path().strip_prefix(root).ok().map(Path::to_path_buf))
        .collect();
    files.sort();
    files
}

fn load_faq(root: &Path, diags: &mut Diagnostics) -> BTreeMap<String, (PathBuf, String)> {
    let mut out = BTreeMap::new();
    let dir = root.join("content/faq");
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return out;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().and_then(|e| e.to_str()) != Some("md") {
            continue;
        }
        let Some(lang) = path.file_stem().and_then(|s| s.to_str()) else {
            continue;
        };
        let rel = path.strip_prefix(root).unwrap_or(&path).to_path_buf();
        match std::fs::read_to_string(&path) {
            Ok(text) => {
                out.insert(lang.to_string(), (rel, text));
            }
            Err(e) => diags.push(Diagnostic::error(
                &rel,
                Pos::default(),
                format!("cannot read the FAQ: {e}"),
            )),
        }
    }
    out
}
