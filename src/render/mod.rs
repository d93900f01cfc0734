//! Rendering: plans one job per output file, then turns each job into bytes.
//! Jobs are independent, so `build` renders them in parallel.
//!
//! Templates come from the theme (Tera 2), strings from its i18n files;
//! pages get small views (see `views`), and the per-language values every
//! page needs (`t`, `site`, `lang`) are set once per language as Tera's
//! global context rather than copied into every page.

mod card;
#[doc(hidden)] // pub for the fuzz target that holds it to html5ever
pub mod compact;
pub mod files;
pub mod fingerprint;
pub mod i18n;
mod insights;
pub mod markdown;
mod pages;
mod plan;
pub mod share;
mod sitemap;
mod skeleton;
pub mod views;

use serde::Serialize;
use tera::Tera;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::paths;
use crate::site::Site;
use crate::theme::Theme;
use i18n::Strings;
use plan::plan;
pub use plan::{Job, Page};
use views::*;

#[derive(Serialize)]
struct SiteView<'a> {
    title: &'a str,
    base_url: &'a str,
    issuer: IssuerView<'a>,
}

#[derive(Serialize)]
struct IssuerView<'a> {
    name: &'a str,
    url: &'a str,
    description: &'a str,
    image: String,
}

/// Skeletons for award pages where they serve: the templates are the
/// built-in ones (a theme's own could compare or transform any value),
/// and `ACCOLADE_SKELETON` is not `off` (`check` also renders every page
/// and fails on a difference).
fn skeletons(theme: &Theme) -> Option<skeleton::Skeletons> {
    let mode = std::env::var("ACCOLADE_SKELETON").unwrap_or_default();
    (mode != "off" && theme.templates_are_built_in())
        .then(|| skeleton::Skeletons::new(mode == "check"))
}

/// Text of a badge's image that no font can draw: on its card in a
/// language (`lang`), or in its SVG artwork (`lang` is `None`).
#[derive(Debug, PartialEq, Eq)]
pub struct Undrawable {
    pub badge: usize,
    pub lang: Option<usize>,
    pub chars: Vec<char>,
}

/// An output file: its path inside the output directory and its bytes.
pub struct File {
    pub path: String,
    pub bytes: Vec<u8>,
}

/// Per-language rendering state, prepared once per build.
pub struct Renderer<'s> {
    site: &'s Site,
    theme: &'s Theme,
    key: &'s crate::signing::Key,
    langs: Vec<Lang>,
    files: files::Assets,
    /// Every job of the build, in order; the sitemap is read off it.
    plan: Vec<Job>,
    /// Award pages' skeletons, with the built-in templates (see
    /// `skeleton`); `ACCOLADE_SKELETON=off` renders every page.
    skeletons: Option<skeleton::Skeletons>,
}

struct Lang {
    strings: Strings,
    tera: Tera,
    badges: Vec<BadgeView>,
    /// `badges` as template values, made once: a page inserting one
    /// shares it instead of serialising the badge again.
    badge_values: Vec<tera::Value>,
    /// The issuer's endorsements shown on every verification page, made
    /// once per language for the same reason.
    issuer_endorsements: tera::Value,
}

impl<'s> Renderer<'s> {
    /// Compiles the theme's templates and loads every language's strings;
    /// reports all template and string errors at once.
    pub fn new(
        site: &'s Site,
        theme: &'s Theme,
        key: &'s crate::signing::Key,
    ) -> Result<Self, Diagnostics> {
        let mut diags = Diagnostics::default();
        let base = compile_templates(theme).map_err(|d| {
            let mut all = Diagnostics::default();
            all.push(d);
            all
        });
        let mut langs = Vec::new();
        for lang in &site.languages {
            match Strings::load(theme, lang) {
                Ok(strings) => {
                    if let Ok(base) = &base {
                        langs.push(Self::language(site, base.clone(), strings));
                    }
                }
                Err(errs) => errs.into_iter().for_each(|d| diags.push(d)),
            }
        }
        match base {
            Err(d) => {
                diags.extend(d);
                Err(diags)
            }
            Ok(_) if diags.has_errors() => Err(diags),
            Ok(_) => {
                let files = files::Assets::new(site, theme)?;
                Ok(Renderer {
                    site,
                    theme,
                    key,
                    langs,
                    files,
                    plan: plan(site, theme),
                    skeletons: skeletons(theme),
                })
            }
        }
    }

    /// With `ACCOLADE_SKELETON=check`: how many award pages matched their
    /// skeleton, and how many were rendered without one (`None` otherwise,
    /// and with a theme's own templates).
    pub fn skeleton_check_counts(&self) -> Option<(usize, usize)> {
        self.skeletons.as_ref().filter(|s| s.check_all).map(|s| {
            (
                s.filled.load(std::sync::atomic::Ordering::Relaxed),
                s.rendered.load(std::sync::atomic::Ordering::Relaxed),
            )
        })
    }

    fn language(site: &Site, mut tera: Tera, strings: Strings) -> Lang {
        let lang = strings.lang.clone();
        let default = site.default_lang();
        let description = site
            .issuer
            .description
            .as_ref()
            .and_then(|d| d.get(&lang, default))
            .unwrap_or_default();
        let g = tera.global_context();
        g.insert("lang", &lang);
        g.insert("default_lang", default);
        g.insert("t", &strings.all);
        g.insert(
            "site",
            &SiteView {
                title: site.text(&site.title, &lang),
                base_url: &site.base_url,
                issuer: IssuerView {
                    name: site.issuer_name(&lang),
                    url: &site.issuer.url,
                    description,
                    image: site.issuer_image().unwrap_or_default(),
                },
            },
        );
        let badges: Vec<BadgeView> = (0..site.badges.len())
            .map(|b| badge_view(site, b, &strings))
            .collect();
        let badge_values = badges.iter().map(tera::Value::from_serializable).collect();
        let issuer_endorsements = tera::Value::from_serializable(&endorsement_views(
            site,
            crate::endorse::Subject::Issuer,
            &strings,
        ));
        Lang {
            strings,
            tera,
            badges,
            badge_values,
            issuer_endorsements,
        }
    }

    /// Every job of the site, in a stable order.
    pub fn plan(&self) -> &[Job] {
        &self.plan
    }

    pub fn site(&self) -> &Site {
        self.site
    }

    /// What was removed from SVG artwork to publish it (scripts, outside
    /// references …), one warning per kind and file.
    pub fn artwork_warnings(&self) -> &[Diagnostic] {
        &self.files.warnings
    }

    /// The awards whose credential says something new with the version
    /// date of the copy the previous output published (see `corrections`).
    pub fn undated_changes(&self) -> Vec<(usize, Vec<crate::openbadges::versions::Part>)> {
        let mut list = self.files.undated.lock().unwrap_or_else(|e| e.into_inner());
        let mut taken = std::mem::take(&mut *list);
        taken.sort();
        taken
    }

    /// Lets unchanged credentials reuse their signatures from the previous
    /// output in `dir` (see `files::signed_credential`).
    pub fn reuse_signatures_from(&mut self, dir: &std::path::Path) {
        if dir.is_dir() {
            self.files.previous = Some(dir.to_path_buf());
        }
    }

    pub fn render(&self, job: &Job) -> Result<Vec<File>, Diagnostic> {
        let site = self.site;
        let file = |path: String, bytes: Vec<u8>| Ok(vec![File { path, bytes }]);
        match job {
            Job::Page { lang, page } => self.page(*lang, *page),
            Job::Static(p) => {
                let path = paths::static_file(p);
                let f = self.theme.get(&path).map(|f| f.bytes.clone());
                file(path, f.unwrap_or_default())
            }
            Job::Strings(l) => file(
                paths::script_strings(&site.languages[*l]),
                self.script_strings(*l).into_bytes(),
            ),
            Job::Badge(b) => self.files.badge(site, *b),
            Job::Card { lang, badge } => {
                let path = &job.outputs(site)[0];
                let svg = self.card_svg(*lang, *badge)?;
                Ok(vec![self.files.card(site, *badge, path, &svg)?])
            }
            Job::Award(a) => self.files.award(site, *a, self.key),
            Job::Issuer => self.files.issuer(site, self.key),
            Job::Sitemap(parts) => Ok(self.sitemaps(*parts)),
            Job::Robots => file(
                paths::ROBOTS.into(),
                format!(
                    "User-agent: *\nAllow: /\n\nSitemap: {}\n",
                    site.url(paths::SITEMAP)
                )
                .into_bytes(),
            ),
            Job::Headers => file(paths::HEADERS.into(), HEADERS.as_bytes().to_vec()),
            Job::NoJekyll => file(paths::NOJEKYLL.into(), Vec::new()),
        }
    }

    /// The JSON of [`SCRIPT_STRINGS`] in a language: `{"key": "text", …}`.
    fn script_strings(&self, lang: usize) -> String {
        let s = &self.langs[lang].strings;
        let strings: std::collections::BTreeMap<&str, &str> =
            SCRIPT_STRINGS.iter().map(|&k| (k, s.get(k))).collect();
        serde_json::to_string(&strings).expect("strings serialize")
    }
}

/// The path part of the base URL, always ending in `/`: where 404.html's links start.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => format!("{}/", after_scheme[i..].trim_end_matches('/')),
        None => "/".into(),
    }
}

/// The strings `static/share.js`, `static/download.js` and
/// `static/wallet.js` show. They are
/// the same on every verification page of a language, so they are
/// published once per language (`paths::script_strings`) and fetched by
/// the scripts, instead of being carried by every page. What an employer
/// checks (the status, and its expiry re-check in `static/status.js`)
/// never waits for them: those strings stay on the page.
pub const SCRIPT_STRINGS: &[&str] = &[
    "share_linkedin_hint",
    "share_post_heading",
    "share_snippets_heading",
    "share_snippet_email",
    "share_snippet_html",
    "share_snippet_markdown",
    "share_copy",
    "share_copied",
    "share_download_failed",
    "wallet_intro",
    "wallet_open",
    "wallet_open_hint",
    "wallet_qr_alt",
    "wallet_step_open",
    "wallet_step_add",
    "wallet_step_scan",
    "wallet_address",
    "wallet_file",
    "wallet_file_json",
    "linkedin_field_name",
    "linkedin_field_organization",
    "linkedin_field_issued",
    "linkedin_field_expires",
    "linkedin_field_id",
    "linkedin_field_url",
];

/// The Content-Security-Policy every page works under; written once here
/// for `_headers`, `serve` and (checked by `tests/deploy.rs`) the nginx
/// recipe and the README.
macro_rules! csp {
    () => {
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
    };
}
pub const CSP: &str = csp!();

/// Host hints for Netlify/Cloudflare Pages style hosts: CORS on JSON, so
/// validators, wallets and verifier pages elsewhere can fetch it, and the
/// DID document's type. Those hosts apply every rule that matches a path
/// and join a header two rules set (`*, *` is no valid CORS answer): each
/// header is set by one rule only. Other JSON keeps the host's
/// `application/json`, which every verifier and wallet tested reads.
const HEADERS: &str = concat!(
    "/*.json
  Access-Control-Allow-Origin: *
/.well-known/did.json
  Content-Type: application/did+json; charset=utf-8
/*
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
  Content-Security-Policy: ",
    csp!(),
    "\n"
);

pub(crate) fn compile_templates(theme: &Theme) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".svg", ".xml"]);
    let templates: Vec<(String, String)> = theme
        .under("templates/")
        .map(|(name, f)| {
            (
                name.to_string(),
                String::from_utf8_lossy(&f.bytes).into_owned(),
            )
        })
        .collect();
    tera.add_raw_templates(templates).map_err(|e| {
        Diagnostic::error(
            format!("themes/{}/templates", theme.name),
            Pos::default(),
            format!("template error: {}", tera_error(&e)),
        )
        .help("fix the template syntax (Tera 2)")
    })?;
    let pages = Page::KINDS.map(Page::template);
    for required in pages
        .into_iter()
        .chain(["card.svg", "email.txt", "email.html"])
    {
        if !tera.contains_template(required) {
            return Err(Diagnostic::error(
                format!("themes/{}/templates/{required}", theme.name),
                Pos::default(),
                format!("the theme has no `{required}` template"),
            ));
        }
    }
    Ok(tera)
}

/// Tera's error with its causes, on one line each.
fn tera_error(e: &tera::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg.push_str(&format!("\n       {s}"));
        source = s.source();
    }
    msg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_path_of_prefixed_sites() {
        assert_eq!(base_path("https://example.org"), "/");
        assert_eq!(
            base_path("https://example.org/credentials"),
            "/credentials/"
        );
        assert_eq!(base_path("http://127.0.0.1:8080"), "/");
    }
}
