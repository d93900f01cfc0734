//! Loading a site directory: `content/*.yaml`, the FAQ and the theme, into
//! raw records that remember where each value was written.
//!
//! Nothing here applies the product rules (that is `rules`); this module only
//! reads files and reports what could not be read or parsed. Every file is
//! read even after an error, and the records that did parse are kept (with a
//! note of what was lost), so one run reports all problems. Paths the content
//! names must stay inside the site directory (`inside_root`).

mod chunked;
mod confine;
pub mod edit;
pub mod import;
pub mod mint;
mod presized;
mod recover;
pub mod yaml;
pub mod yaml_edit;

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;
use serde::Deserialize;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::theme::Theme;
pub use confine::inside_root;
pub use yaml::{Localized, Spanned, pos};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SiteFile {
    /// Localized like badge texts.
    pub title: Spanned<Localized>,
    pub base_url: Spanned<String>,
    #[serde(default)]
    pub languages: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    pub theme: Option<Spanned<String>>,
    /// `lean` (default) or `full`: which per-award files are published.
    #[serde(default)]
    pub award_files: Option<Spanned<AwardFiles>>,
    /// Publish `/verify/<award>/certificate/` (which leads to the page's
    /// print view) for sites whose earlier versions published it.
    #[serde(default)]
    pub certificate_pages: Option<Spanned<bool>>,
    pub issuer: IssuerFile,
    #[serde(default)]
    pub signing: Option<SigningFile>,
    /// A job board whose search every skill links to, beside LinkedIn Jobs.
    #[serde(default)]
    pub jobs: Option<Spanned<JobsFile>>,
    /// How `accolade notify` reaches earners.
    #[serde(default)]
    pub notify: Option<NotifyFile>,
    /// How earners accept pending awards from their claim page.
    #[serde(default)]
    pub claims: Option<ClaimsFile>,
    /// Labour-market insights on badge pages (`content/insights/`).
    #[serde(default)]
    pub insights: Option<InsightsFile>,
}

/// `insights:` in site.yaml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightsFile {
    /// Data older than this (`18m`, `2y`) is a warning; default 18 months.
    #[serde(default)]
    pub stale_after: Option<Spanned<String>>,
    /// A salary search each skill links to, per region: `{skill}` and
    /// `{region}` in the URL.
    #[serde(default)]
    pub salary_search: Option<Spanned<JobsFile>>,
}

/// One block of `content/insights/*.yaml`: labour-market facts about a
/// skill (as the badges name it) or a badge, from one source, of one date.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InsightFile {
    #[serde(default)]
    pub skill: Option<Spanned<String>>,
    #[serde(default)]
    pub badge: Option<Spanned<String>>,
    /// Where the numbers come from (a survey, a provider), and its address.
    pub source: Spanned<String>,
    #[serde(default)]
    pub source_url: Option<Spanned<String>>,
    /// When the source's data was collected or published.
    pub date: Spanned<String>,
    #[serde(default)]
    pub salaries: Vec<SalaryFile>,
    #[serde(default)]
    pub employers: Vec<EmployerFile>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SalaryFile {
    pub region: Spanned<Localized>,
    /// An ISO 4217 code.
    pub currency: Spanned<String>,
    /// `year` (default), `month` or `hour`.
    #[serde(default)]
    pub period: Option<Spanned<String>>,
    pub low: Spanned<f64>,
    pub median: Spanned<f64>,
    pub high: Spanned<f64>,
    /// How many salaries the figures are from.
    #[serde(default)]
    pub sample: Option<Spanned<u64>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmployerFile {
    pub name: Spanned<String>,
    /// Its careers page.
    pub url: Spanned<String>,
}

/// `notify:` in site.yaml: the sender, the SMTP server (its password only
/// ever from `ACCOLADE_SMTP_PASSWORD`) and when reminders are due.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NotifyFile {
    /// `Name <address>` or an address: the messages' From.
    #[serde(default)]
    pub from: Option<Spanned<String>>,
    #[serde(default)]
    pub smtp: Option<SmtpFile>,
    /// Days after the claim message (or the last reminder) before an
    /// unclaimed award is reminded of; default 14.
    #[serde(default)]
    pub unclaimed_reminder_days: Option<Spanned<u32>>,
    /// How many such reminders at most; default 2.
    #[serde(default)]
    pub unclaimed_reminders: Option<Spanned<u32>>,
    /// Days before `expires_on` the expiry reminder is due; default 60.
    #[serde(default)]
    pub expiry_reminder_days: Option<Spanned<u32>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SmtpFile {
    pub host: Spanned<String>,
    /// Default: 587 for `starttls`, 465 for `tls`, 25 for `none`.
    #[serde(default)]
    pub port: Option<Spanned<u16>>,
    #[serde(default)]
    pub security: Option<Spanned<SmtpSecurity>>,
    #[serde(default)]
    pub user: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// STARTTLS required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte (port 465).
    Tls,
    /// No TLS: only for a relay on the same machine or a test server.
    None,
}

/// `claims:` in site.yaml.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClaimsFile {
    /// `mailto` (default: a message to the issuer's address with the token)
    /// or a form's https URL, where `{token}` is replaced by the token.
    #[serde(default)]
    pub accept: Option<Spanned<String>>,
}

/// `jobs: { name: ..., url: "https://jobs.example.org/search?q={skill}" }`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JobsFile {
    /// The board's name, shown in the link text; localized like badge texts.
    pub name: Spanned<Localized>,
    /// The search address; `{skill}` is replaced by the percent-encoded skill.
    pub url: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IssuerFile {
    /// Localized like badge texts.
    pub name: Spanned<Localized>,
    pub url: Spanned<String>,
    pub email: Spanned<String>,
    #[serde(default)]
    pub description: Option<Spanned<Localized>>,
    #[serde(default)]
    pub image: Option<Spanned<String>>,
    #[serde(default)]
    pub linkedin_organization_id: Option<Spanned<String>>,
    /// When the issuer's details in credentials last changed: credentials
    /// issued before then are published as new versions of that date.
    #[serde(default)]
    pub revised_on: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SigningFile {
    #[serde(default)]
    pub key_file: Option<Spanned<String>>,
    #[serde(default)]
    pub previous_keys: Vec<Spanned<String>>,
}

/// Which files each award gets. `Lean` publishes its pages and two JSON
/// documents (images and QR PNGs are made in the visitor's browser), so a
/// large programme fits static hosts' file-count and size limits; `Full`
/// also hosts the baked images and QR files, whose URLs earners may have
/// shared already.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum AwardFiles {
    #[default]
    Lean,
    Full,
}

impl AwardFiles {
    pub fn name(self) -> &'static str {
        match self {
            AwardFiles::Lean => "lean",
            AwardFiles::Full => "full",
        }
    }
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
    pub id: Spanned<String>,
    pub kind: Spanned<Kind>,
    pub name: Spanned<Localized>,
    pub description: Spanned<Localized>,
    pub criteria: Spanned<Localized>,
    pub image: Spanned<String>,
    /// Each localized like badge texts.
    #[serde(default)]
    pub skills: Vec<Spanned<Localized>>,
    #[serde(default)]
    pub alignment: Vec<AlignmentFile>,
    #[serde(default)]
    pub validity: Option<Spanned<String>>,
    #[serde(default)]
    pub requires: Vec<Spanned<String>>,
    #[serde(default = "yes")]
    pub badged: bool,
    #[serde(default)]
    pub retired_on: Option<Spanned<String>>,
    /// When what the badge's credentials say last changed (see `issuer`).
    #[serde(default)]
    pub revised_on: Option<Spanned<String>>,
    /// Where holders renew it; named in expiry reminders.
    #[serde(default)]
    pub recertification_url: Option<Spanned<String>>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AlignmentFile {
    pub name: Spanned<String>,
    pub url: Spanned<String>,
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
    pub id: Spanned<String>,
    pub name: Spanned<String>,
    pub email: Spanned<String>,
    #[serde(default)]
    pub profile: Visibility,
    #[serde(default)]
    pub auto_accept: bool,
    /// The language of the earner's messages; default the site's first.
    #[serde(default)]
    pub language: Option<Spanned<String>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AwardFile {
    pub id: Spanned<String>,
    pub badge: Spanned<String>,
    pub earner: Spanned<String>,
    pub issued_on: Spanned<String>,
    #[serde(default)]
    pub expires_on: Option<Spanned<String>>,
    #[serde(default)]
    pub accepted: Option<bool>,
    /// When the earner accepted it (`accolade accept` writes it).
    #[serde(default)]
    pub accepted_on: Option<Spanned<String>>,
    /// When the earner declined it: never published, never reminded.
    #[serde(default)]
    pub declined_on: Option<Spanned<String>>,
    #[serde(default)]
    pub evidence: Vec<EvidenceFile>,
    #[serde(default)]
    pub revoked: Option<RevokedFile>,
    /// When the award's record was last corrected after issue.
    #[serde(default)]
    pub revised_on: Option<Spanned<String>>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFile {
    pub url: Spanned<String>,
    #[serde(default)]
    pub narrative: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RevokedFile {
    pub on: Spanned<String>,
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
///
/// When some files did not parse, this holds what did, and `failed` says
/// what is missing: enough to check the rest, never enough to build.
pub struct Content {
    pub root: PathBuf,
    pub site: Located<SiteFile>,
    pub badges: Vec<Located<BadgeFile>>,
    pub earners: Vec<Located<EarnerFile>>,
    pub awards: Vec<Located<AwardFile>>,
    /// FAQ Markdown by language code.
    pub faq: BTreeMap<String, (PathBuf, String)>,
    pub insights: Vec<Located<InsightFile>>,
    pub theme: Theme,
    pub failed: Failed,
}

/// What could not be loaded. Checks of the rest skip what depends on it, and
/// a reference to a record that was lost is not reported as missing.
#[derive(Debug, Default)]
pub struct Failed {
    /// `content/site.yaml` did not parse: `Content::site` holds placeholder
    /// settings, and checks that depend on the site's settings are skipped.
    pub site: bool,
    /// The theme could not be loaded: `Content::theme` is the built-in one.
    pub theme: bool,
    /// Files that could not be read or parsed, in whole or in part.
    pub files: Vec<PathBuf>,
    /// Ids written in badge and earner records that did not parse.
    pub badge_ids: HashSet<String>,
    pub earner_ids: HashSet<String>,
}

impl Failed {
    pub fn is_empty(&self) -> bool {
        !self.site && !self.theme && self.files.is_empty()
    }
}

impl Content {
    /// Whether every file was read and parsed: only then may a site be built.
    pub fn is_complete(&self) -> bool {
        self.failed.is_empty()
    }

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
}

/// Reads the whole site directory: every file, even after errors, so one run
/// reports them all. Returns `None` only when there is no `content/` at all;
/// otherwise the content that parsed, with `failed` saying what did not
/// (see [`Content::is_complete`]). Commands that change content use
/// [`load_complete`] instead.
pub fn load(root: &Path) -> (Option<Content>, Diagnostics) {
    let mut diags = Diagnostics::default();
    if !root.join("content").is_dir() {
        diags.push(no_content(root));
        return (None, diags);
    }
    let mut failed = Failed::default();
    let site = load_site(root, &mut failed, &mut diags);
    // The folders side by side; a large site's earners and awards are
    // often one big file each, parsed in pieces (`chunked`).
    let (badges, (earners, awards)) = rayon::join(
        || load_dir(root, "content/badges", false, recover::one),
        || {
            rayon::join(
                || load_dir(root, "content/earners", true, chunked::list),
                || load_dir(root, "content/awards", true, chunked::list),
            )
        },
    );
    diags.extend(badges.diags);
    diags.extend(earners.diags);
    diags.extend(awards.diags);
    let faq = load_faq(root, &mut failed, &mut diags);
    let insights = load_dir(root, "content/insights", true, chunked::list);
    diags.extend(insights.diags);
    let theme = load_theme(root, &site, &mut failed, &mut diags);
    failed.badge_ids = badges.lost_ids;
    failed.earner_ids = earners.lost_ids;
    for files in [
        badges.failed,
        earners.failed,
        awards.failed,
        insights.failed,
    ] {
        failed.files.extend(files);
    }
    diags.sort();
    let content = Content {
        root: root.to_path_buf(),
        site,
        badges: badges.records,
        earners: earners.records,
        awards: awards.records,
        faq,
        insights: insights.records,
        theme,
        failed,
    };
    (Some(content), diags)
}

/// [`load`] for commands that change content (`award`, `import`): the
/// content only when every file parsed.
pub fn load_complete(root: &Path) -> (Option<Content>, Diagnostics) {
    let (content, diags) = load(root);
    (content.filter(Content::is_complete), diags)
}

/// Not a site directory: say what is missing and how to start one.
fn no_content(root: &Path) -> Diagnostic {
    Diagnostic::error(
        "",
        Pos::default(),
        format!(
            "`{}` is not a site: it has no `content/` folder (with `site.yaml`, `badges/`, `earners/` and `awards/`)",
            root.display()
        ),
    )
    .help("start a new site with `accolade init <DIR>`, or point at an existing one with `--root DIR`")
}

/// `content/site.yaml`, or placeholder settings (and `failed.site`) when it
/// cannot be read, so the other files are still checked.
fn load_site(root: &Path, failed: &mut Failed, diags: &mut Diagnostics) -> Located<SiteFile> {
    let rel: Arc<Path> = Arc::from(Path::new("content/site.yaml"));
    let parsed = read(root, &rel).map_or_else(
        |e| recover::Parsed::lost(e, ""),
        |text| recover::one::<SiteFile>(&rel, &text),
    );
    diags.extend(Diagnostics(parsed.errors));
    parsed.records.into_iter().next().unwrap_or_else(|| {
        failed.site = true;
        failed.files.push(rel.to_path_buf());
        Located {
            record: yaml::parse(&rel, PLACEHOLDER_SITE).expect("the placeholder site parses"),
            file: rel,
        }
    })
}

/// Settings that stand in for a `site.yaml` that did not parse; never built.
const PLACEHOLDER_SITE: &str = "title: ''\nbase_url: https://site.invalid\n\
    issuer: { name: '', url: https://site.invalid, email: site@site.invalid }\n";

/// The theme named in `site.yaml`, or the built-in one (and `failed.theme`).
fn load_theme(
    root: &Path,
    site: &Located<SiteFile>,
    failed: &mut Failed,
    diags: &mut Diagnostics,
) -> Theme {
    let named = site.record.theme.as_ref().filter(|_| !failed.site);
    match crate::theme::load(root, named.map(|t| (t.value.as_str(), pos(t)))) {
        Ok(t) => t,
        Err(d) => {
            diags.extend(d);
            failed.theme = true;
            Theme::built_in()
        }
    }
}

/// The records of one content folder, and what was lost.
struct Folder<T> {
    records: Vec<Located<T>>,
    failed: Vec<PathBuf>,
    lost_ids: HashSet<String>,
    diags: Diagnostics,
}

/// Every `*.yaml` under `dir` (recursively when `recursive`), parsed in
/// parallel with `parse` (one record or a list per file), in a stable
/// (sorted) order.
fn load_dir<T: Send>(
    root: &Path,
    dir: &str,
    recursive: bool,
    parse: fn(&Arc<Path>, &str) -> recover::Parsed<T>,
) -> Folder<T> {
    let (files, outside) = yaml_files(root, dir, recursive);
    let results: Vec<(PathBuf, recover::Parsed<T>)> = files
        .into_par_iter()
        .map(|rel| {
            let parsed = match read(root, &rel) {
                Ok(text) => parse(&Arc::from(rel.as_path()), &text),
                Err(e) => recover::Parsed::lost(e, ""),
            };
            (rel, parsed)
        })
        .collect();
    let mut folder = Folder {
        records: Vec::new(),
        failed: Vec::new(),
        lost_ids: HashSet::new(),
        diags: Diagnostics(outside),
    };
    for (rel, parsed) in results {
        if !parsed.errors.is_empty() {
            // A badge file is named after its badge: its id is lost with it.
            let stem = rel.file_stem().and_then(|s| s.to_str()).map(str::to_string);
            folder
                .lost_ids
                .extend(stem.filter(|_| parsed.records.is_empty()));
            folder.failed.push(rel);
        }
        folder.diags.extend(Diagnostics(parsed.errors));
        folder.lost_ids.extend(parsed.lost_ids);
        // A large site's records are mostly in one file: taken, not copied.
        if folder.records.is_empty() {
            folder.records = parsed.records;
        } else {
            folder.records.extend(parsed.records);
        }
    }
    folder
}

/// A content file's text; an unreadable or empty file is an error.
fn read(root: &Path, rel: &Path) -> Result<String, Diagnostic> {
    let text = std::fs::read_to_string(root.join(rel)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::NotFound && rel.ends_with("site.yaml") {
            Diagnostic::error(rel, Pos::default(), "there is no `content/site.yaml`").help(
                "every site needs one, with `title`, `base_url` and `issuer` (see README.md; `accolade init` writes one)",
            )
        } else {
            Diagnostic::error(rel, Pos::default(), format!("cannot read `{}`: {e}", rel.display()))
        }
    })?;
    if text.trim().is_empty() {
        return Err(Diagnostic::error(rel, Pos::new(1, 1), "the file is empty")
            .help("write the YAML record here, or delete the file"));
    }
    Ok(text)
}

/// Relative paths of the YAML files in a content folder, sorted, following
/// symbolic links that stay inside the site; a link that leads out is an
/// error (second value) and its file is not read.
fn yaml_files(root: &Path, dir: &str, recursive: bool) -> (Vec<PathBuf>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut outside = Vec::new();
    let entries = walkdir::WalkDir::new(root.join(dir))
        .max_depth(if recursive { usize::MAX } else { 1 })
        .follow_links(true)
        .into_iter()
        .filter_map(Result::ok);
    for e in entries {
        let is_yaml = matches!(
            e.path().extension().and_then(|x| x.to_str()),
            Some("yaml" | "yml")
        );
        let Ok(rel) = e.path().strip_prefix(root) else {
            continue;
        };
        if !is_yaml || !e.file_type().is_file() {
            continue;
        }
        match inside_root(root, rel) {
            Ok(_) => files.push(rel.to_path_buf()),
            Err(why) => outside.push(outside_root(rel, &why)),
        }
    }
    files.sort();
    (files, outside)
}

/// A content file that is a link to somewhere outside the site.
fn outside_root(rel: &Path, why: &str) -> Diagnostic {
    Diagnostic::error(
        rel,
        Pos::default(),
        format!("`{}` is not read: it {why}", rel.display()),
    )
    .help("a site reads only files inside its own directory; copy the file in instead of linking to it")
}

/// `content/faq/<lang>.md` for each language present.
fn load_faq(
    root: &Path,
    failed: &mut Failed,
    diags: &mut Diagnostics,
) -> BTreeMap<String, (PathBuf, String)> {
    let mut out = BTreeMap::new();
    let Ok(entries) = std::fs::read_dir(root.join("content/faq")) else {
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
        let text = inside_root(root, &rel)
            .map_err(|why| outside_root(&rel, &why))
            .and_then(|p| {
                std::fs::read_to_string(p).map_err(|e| {
                    Diagnostic::error(&rel, Pos::default(), format!("cannot read the FAQ: {e}"))
                })
            });
        match text {
            Ok(text) => {
                out.insert(lang.to_string(), (rel, text));
            }
            Err(d) => {
                diags.push(d);
                failed.files.push(rel);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_placeholder_site_parses() {
        let site: SiteFile = yaml::parse(Path::new("content/site.yaml"), PLACEHOLDER_SITE).unwrap();
        assert_eq!(site.base_url.value, "https://site.invalid");
    }
}
