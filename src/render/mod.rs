//! Rendering: plans one job per output file, then turns each job into bytes.
//! Jobs are independent, so `build` renders them in parallel.
//!
//! Templates come from the theme (Tera 2), strings from its i18n files;
//! pages get small views (see `views`), and the per-language values every
//! page needs (`t`, `site`, `lang`) are set once per language as Tera's
//! global context rather than copied into every page.

mod compact;
pub mod files;
pub mod fingerprint;
pub mod i18n;
pub mod markdown;
pub mod share;
pub mod views;

use serde::Serialize;
use tera::{Context, Tera};

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::paths;
use crate::site::Site;
use crate::text::xml_escape;
use crate::theme::Theme;
use i18n::Strings;
use views::*;

/// One file of the output, to be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Job {
    Page {
        lang: usize,
        page: Page,
    },
    /// A file of the theme's `static/` folder.
    Static(String),
    /// The strings the theme's scripts show, in one language.
    Strings(usize),
    /// A badge's artwork at every size, and its BadgeClass JSON.
    Badge(usize),
    /// A badge's link-preview card in one language (its texts are that
    /// language's, so every language has its own).
    Card {
        lang: usize,
        badge: usize,
    },
    /// An award's Open Badges JSON (and with `award_files: full` its baked
    /// images and QR codes).
    Award(usize),
    /// The issuer profile, its image and the revocation list.
    Issuer,
    /// The sitemap, in this many parts (see `paths::sitemaps`).
    Sitemap(usize),
    Robots,
    Headers,
    NoJekyll,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Index,
    Badge(usize),
    Award(usize),
    Certificate(usize),
    Earner(usize),
    Retired,
    Faq,
    Verifier,
    NotFound,
}

impl Page {
    fn template(self) -> &'static str {
        match self {
            Page::Index => "index.html",
            Page::Badge(_) => "badge.html",
            Page::Award(_) => "award.html",
            Page::Certificate(_) => "certificate.html",
            Page::Earner(_) => "earner.html",
            Page::Retired => "retired.html",
            Page::Faq => "faq.html",
            Page::Verifier => "verifier.html",
            Page::NotFound => "404.html",
        }
    }

    /// The page's path in the default language (see `paths`).
    pub fn path(self, site: &Site) -> String {
        match self {
            Page::Index => paths::CATALOGUE.into(),
            Page::Badge(b) => paths::badge_page(&site.badges[b].id),
            Page::Award(a) => paths::award_page(&site.awards[a].id),
            Page::Certificate(a) => paths::certificate(&site.awards[a].id),
            Page::Earner(e) => paths::earner_page(&site.earners[e].id),
            Page::Retired => paths::RETIRED.into(),
            Page::Faq => paths::FAQ.into(),
            Page::Verifier => paths::VERIFIER.into(),
            Page::NotFound => String::new(),
        }
    }

    /// The HTML file of the page in the language whose prefix is given.
    pub fn file(self, site: &Site, lang_prefix: &str) -> String {
        match self {
            Page::NotFound => paths::NOT_FOUND.into(),
            _ => paths::page_file(&paths::in_lang(lang_prefix, &self.path(site))),
        }
    }

    /// Whether search engines may index the page: not the pages of an
    /// unlisted earner's award, nor the 404 page.
    pub fn indexable(self, site: &Site) -> bool {
        match self {
            Page::Award(a) | Page::Certificate(a) => site.is_listed(&site.awards[a]),
            Page::NotFound => false,
            _ => true,
        }
    }

    /// Whether the sitemap lists the page (certificates are print views).
    pub fn in_sitemap(self, site: &Site) -> bool {
        self.indexable(site) && !matches!(self, Page::Certificate(_))
    }

    fn kind(self) -> &'static str {
        match self {
            Page::Index => "index",
            Page::Badge(_) => "badge",
            Page::Award(_) => "award",
            Page::Certificate(_) => "certificate",
            Page::Earner(_) => "earner",
            Page::Retired => "retired",
            Page::Faq => "faq",
            Page::Verifier => "verifier",
            Page::NotFound => "not_found",
        }
    }
}

impl Job {
    /// The files the job writes, relative to the output root. `render`
    /// returns exactly these (a test holds them together), so a build can
    /// know what a job owns without rendering it.
    pub fn outputs(&self, site: &Site) -> Vec<String> {
        match self {
            Job::Page { lang, page } => {
                vec![page.file(site, &site.lang_prefix(&site.languages[*lang]))]
            }
            Job::Static(p) => vec![paths::static_file(p)],
            Job::Strings(l) => vec![paths::script_strings(&site.languages[*l])],
            Job::Badge(b) => files::badge_outputs(&site.badges[*b]),
            Job::Card { lang, badge } => vec![paths::badge_card(
                &site.lang_prefix(&site.languages[*lang]),
                &site.badges[*badge].id,
            )],
            Job::Award(a) => files::award_outputs(site, &site.awards[*a]),
            Job::Issuer => files::issuer_outputs(site),
            Job::Sitemap(parts) => paths::sitemaps(*parts),
            Job::Robots => vec![paths::ROBOTS.into()],
            Job::Headers => vec![paths::HEADERS.into()],
            Job::NoJekyll => vec![paths::NOJEKYLL.into()],
        }
    }
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

/// Every job of the site, in a stable order. An award's pages in every
/// language are neighbours (they share a QR code, see
/// `qr::Matrix::encode_recent`); the pages of the default language keep
/// the order the sitemap lists them in.
fn plan(site: &Site, theme: &Theme) -> Vec<Job> {
    let mut jobs = Vec::new();
    let langs = 0..site.languages.len();
    for lang in langs.clone() {
        let mut page = |p| jobs.push(Job::Page { lang, page: p });
        page(Page::Index);
        page(Page::Retired);
        page(Page::Faq);
        page(Page::Verifier);
        (0..site.badges.len())
            .filter(|&b| site.badges[b].badged)
            .for_each(|b| page(Page::Badge(b)));
    }
    for a in 0..site.awards.len() {
        for lang in langs.clone() {
            jobs.push(Job::Page {
                lang,
                page: Page::Award(a),
            });
            jobs.push(Job::Page {
                lang,
                page: Page::Certificate(a),
            });
        }
        jobs.push(Job::Award(a));
    }
    for lang in langs {
        (0..site.earners.len())
            .filter(|&e| site.earners[e].has_profile())
            .for_each(|e| {
                jobs.push(Job::Page {
                    lang,
                    page: Page::Earner(e),
                })
            });
    }
    jobs.push(Job::Page {
        lang: 0,
        page: Page::NotFound,
    });
    jobs.extend(
        theme
            .under("static/")
            .map(|(p, _)| Job::Static(p.to_string())),
    );
    jobs.extend((0..site.languages.len()).map(Job::Strings));
    let badged = || (0..site.badges.len()).filter(|&b| site.badges[b].badged);
    jobs.extend(badged().map(Job::Badge));
    for lang in 0..site.languages.len() {
        jobs.extend(badged().map(|badge| Job::Card { lang, badge }));
    }
    let parts = sitemap_urls(site, &jobs).div_ceil(SITEMAP_URLS).max(1);
    jobs.extend([
        Job::Issuer,
        Job::Sitemap(parts),
        Job::Robots,
        Job::Headers,
        Job::NoJekyll,
    ]);
    jobs
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
}

struct Lang {
    strings: Strings,
    tera: Tera,
    badges: Vec<BadgeView>,
    /// `badges` as template values, made once: a page inserting one
    /// shares it instead of serialising the badge again.
    badge_values: Vec<tera::Value>,
}

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

#[derive(Serialize)]
struct PageView<'a> {
    kind: &'static str,
    path: &'a str,
    url: String,
    title: String,
    description: String,
    noindex: bool,
    alternates: Vec<Alternate<'a>>,
    /// Absolute URL of the link-preview image (PNG), or empty.
    image: String,
    image_width: u32,
    image_height: u32,
}

/// Root-relative paths of an award's files, for download links. With
/// `award_files: full` the baked images and QR codes are hosted (`png`,
/// `svg`, `qr_svg`, `qr_png`); otherwise they are empty and
/// `static/download.js` makes them from the artwork (`art_png`, `art_svg`)
/// and the two documents. `qr` is the QR code as inline SVG, on every page.
#[derive(Serialize)]
struct AwardFiles {
    full: bool,
    png: String,
    svg: String,
    assertion: String,
    /// The assertion's absolute URL: the `verify` attribute of a baked SVG.
    assertion_url: String,
    credential: String,
    art_png: String,
    art_svg: String,
    qr_svg: String,
    qr_png: String,
    qr: String,
}

fn award_files(site: &Site, award: &crate::site::Award, qr_label: &str) -> AwardFiles {
    let id = &award.id;
    let badge = &site.badges[award.badge];
    let has_svg = badge.image_ext() == "svg";
    let full = site.full_award_files();
    let hosted = |p: String| if full { p } else { String::new() };
    let url = site.verify_url(award);
    AwardFiles {
        full,
        png: hosted(paths::baked(id, "png")),
        svg: if has_svg {
            hosted(paths::baked(id, "svg"))
        } else {
            String::new()
        },
        assertion: paths::assertion(id),
        assertion_url: crate::openbadges::ob2::assertion_url(site, award),
        credential: paths::credential(id),
        art_png: paths::badge_art(&badge.id, "png"),
        art_svg: if has_svg {
            paths::badge_art(&badge.id, "svg")
        } else {
            String::new()
        },
        qr_svg: hosted(paths::qr(id, "svg")),
        qr_png: hosted(paths::qr(id, "png")),
        qr: crate::qr::Matrix::encode_recent(&url)
            .map(|m| m.to_inline_svg(qr_label, 180))
            .unwrap_or_default(),
    }
}

#[derive(Serialize)]
struct Alternate<'a> {
    lang: &'a str,
    name: &'a str,
    url: String,
    href: String,
    current: bool,
}

/// A page's title, description and preview card.
struct Meta {
    title: String,
    description: String,
    /// Path of the link-preview image (PNG), if the page has one.
    image: Option<String>,
}

impl Meta {
    fn new(title: &str, description: &str) -> Meta {
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            image: None,
        }
    }

    /// The badge's card in the page's own language (`lang_prefix`), so a
    /// link shared from a Chinese page previews in Chinese.
    fn card(mut self, lang_prefix: &str, badge: &crate::site::Badge) -> Meta {
        self.image = Some(paths::badge_card(lang_prefix, &badge.id));
        self
    }
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
                })
            }
        }
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
        let badges: Vec<BadgeView> = site
            .badges
            .iter()
            .map(|b| badge_view(site, b, &strings))
            .collect();
        let badge_values = badges.iter().map(tera::Value::from_serializable).collect();
        Lang {
            strings,
            tera,
            badges,
            badge_values,
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

    fn page(&self, lang: usize, page: Page) -> Result<Vec<File>, Diagnostic> {
        let l = &self.langs[lang];
        let mut ctx = Context::new();
        let meta = match page {
            Page::Index => self.catalogue(l, &mut ctx),
            Page::Badge(b) => self.badge_page(l, b, &mut ctx),
            Page::Award(a) => self.award_page(l, a, &mut ctx),
            Page::Certificate(a) => self.certificate_page(l, a, &mut ctx),
            Page::Earner(e) => self.earner_page(l, e, &mut ctx),
            Page::Retired => self.retired_page(l, &mut ctx),
            Page::Faq => self.faq_page(l, &mut ctx),
            Page::Verifier => self.verifier_page(l, &mut ctx),
            Page::NotFound => Meta::new(l.strings.get("not_found_title"), ""),
        };
        self.finish(l, page, meta, ctx)
    }

    fn catalogue(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let current = |kind: &str| -> Vec<&BadgeView> {
            l.badges
                .iter()
                .filter(|b| b.kind == kind && b.badged && !b.retired)
                .collect()
        };
        ctx.insert("exams", &current("exam"));
        ctx.insert("certifications", &current("certification"));
        let site = self.site;
        Meta::new(
            site.text(&site.title, &l.strings.lang),
            l.strings.get("catalogue_description"),
        )
    }

    fn badge_page(&self, l: &Lang, b: usize, ctx: &mut Context) -> Meta {
        let v = &l.badges[b];
        ctx.insert_value("badge", l.badge_values[b].clone());
        let prefix = self.site.lang_prefix(&l.strings.lang);
        Meta::new(&v.name, &v.description).card(&prefix, &self.site.badges[b])
    }

    /// The verification page, which also prints as the certificate.
    fn award_page(&self, l: &Lang, a: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let s = &l.strings;
        let award = &site.awards[a];
        let earner = &site.earners[award.earner];
        let badge = &l.badges[award.badge];
        let view = award_view(site, award, s);
        let title = format!("{} — {}", badge.name, earner.name);
        let description = format!(
            "{}: {} — {}",
            view.status_label,
            badge.name,
            site.issuer_name(&s.lang)
        );
        ctx.insert("files", &award_files(site, award, s.get("qr_alt")));
        ctx.insert("award", &view);
        ctx.insert_value("badge", l.badge_values[award.badge].clone());
        ctx.insert("earner", &earner_view(earner));
        if award.status == crate::site::Status::Valid {
            let share = share::page_share(site, award, s);
            ctx.insert("share_data", &share.data.to_json());
            ctx.insert("share", &share);
        }
        if site.is_listed(award) {
            ctx.insert("json_ld", &share::json_ld(site, award, &s.lang));
        }
        let prefix = site.lang_prefix(&s.lang);
        Meta::new(&title, &description).card(&prefix, &site.badges[award.badge])
    }

    /// The certificate's old address: a page that leads to the verification
    /// page's print view (`verify_url`, in the page's language).
    fn certificate_page(&self, l: &Lang, a: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let award = &site.awards[a];
        let prefix = site.lang_prefix(&l.strings.lang);
        let verify = paths::in_lang(&prefix, &paths::award_page(&award.id));
        ctx.insert("verify_url", &site.url(&verify));
        let badge = &l.badges[award.badge];
        let title = format!("{} — {}", badge.name, site.earners[award.earner].name);
        Meta::new(&title, "")
    }

    fn earner_page(&self, l: &Lang, e: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let earner = &site.earners[e];
        #[derive(Serialize)]
        struct Item<'a> {
            award: AwardView,
            badge: &'a BadgeView,
        }
        let items: Vec<Item> = earner
            .awards
            .iter()
            .map(|&a| Item {
                award: award_view(site, &site.awards[a], &l.strings),
                badge: &l.badges[site.awards[a].badge],
            })
            .collect();
        ctx.insert("earner", &earner_view(earner));
        ctx.insert("awards", &items);
        let description = l
            .strings
            .fill("earner_description", &[("name", &earner.name)]);
        Meta::new(&earner.name, &description)
    }

    fn retired_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let retired: Vec<&BadgeView> = l.badges.iter().filter(|b| b.retired && b.badged).collect();
        ctx.insert("badges", &retired);
        Meta::new(
            l.strings.get("retired_title"),
            l.strings.get("retired_intro"),
        )
    }

    fn faq_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let site = self.site;
        let md = site
            .faq
            .get(&l.strings.lang)
            .or_else(|| site.faq.get(site.default_lang()));
        let (html, _) =
            markdown::with_heading_ids(&md.map(|m| markdown::to_safe_html(m)).unwrap_or_default());
        ctx.insert("faq_html", &html);
        Meta::new(l.strings.get("faq_title"), l.strings.get("faq_description"))
    }

    fn verifier_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let s = &l.strings;
        let strings: std::collections::BTreeMap<&str, &serde_json::Value> = s
            .all
            .iter()
            .filter(|(k, _)| k.starts_with("verifier_"))
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        // The strings go into a JSON data block: no `<` may close it.
        let json = serde_json::to_string(&strings)
            .expect("strings serialize")
            .replace('<', "\\u003c");
        ctx.insert("verifier_strings", &json);
        Meta::new(s.get("verifier_title"), s.get("verifier_description"))
    }

    /// The JSON of [`SCRIPT_STRINGS`] in a language: `{"key": "text", …}`.
    fn script_strings(&self, lang: usize) -> String {
        let s = &self.langs[lang].strings;
        let strings: std::collections::BTreeMap<&str, &str> =
            SCRIPT_STRINGS.iter().map(|&k| (k, s.get(k))).collect();
        serde_json::to_string(&strings).expect("strings serialize")
    }

    /// What every page gets (links to its other languages, its URL, the
    /// relative way back to the root), then the template and minifier.
    fn finish(
        &self,
        l: &Lang,
        page: Page,
        meta: Meta,
        mut ctx: Context,
    ) -> Result<Vec<File>, Diagnostic> {
        let site = self.site;
        let s = &l.strings;
        let path = page.path(site);
        let prefix = site.lang_prefix(&s.lang);
        let out_path = page.file(site, &prefix);
        let root = if page == Page::NotFound {
            base_path(&site.base_url)
        } else {
            "../".repeat(out_path.matches('/').count())
        };
        let alternates = site
            .languages
            .iter()
            .zip(&self.langs)
            .map(|(code, other)| {
                let p = paths::in_lang(&site.lang_prefix(code), &path);
                Alternate {
                    lang: code,
                    name: other.strings.get("language_name"),
                    url: site.url(&p),
                    href: format!("{root}{p}"),
                    current: code == &s.lang,
                }
            })
            .collect();
        ctx.insert("root", &root);
        ctx.insert("lang_root", &format!("{root}{prefix}"));
        ctx.insert(
            "page",
            &PageView {
                kind: page.kind(),
                path: &path,
                url: site.url(&paths::in_lang(&prefix, &path)),
                title: meta.title,
                description: meta.description,
                noindex: !page.indexable(site),
                alternates,
                image: meta
                    .image
                    .as_deref()
                    .map(|p| site.url(p))
                    .unwrap_or_default(),
                image_width: files::CARD_SIZE.0,
                image_height: files::CARD_SIZE.1,
            },
        );
        let html = l.tera.render(page.template(), &ctx).map_err(|e| {
            let origin = self
                .theme
                .get(&format!("templates/{}", page.template()))
                .map(|f| f.origin.clone())
                .unwrap_or_default();
            Diagnostic::error(
                origin,
                Pos::default(),
                format!("cannot render `{out_path}`: {}", tera_error(&e)),
            )
            .help("fix the template; the theme README lists the variables each page gets")
        })?;
        Ok(vec![File {
            path: out_path,
            bytes: compact::compact(html.as_bytes()),
        }])
    }

    /// The card template rendered for a badge in a language.
    fn card_svg(&self, lang: usize, b: usize) -> Result<String, Diagnostic> {
        let l = &self.langs[lang];
        let badge = &l.badges[b];
        let mut ctx = Context::new();
        ctx.insert("badge", badge);
        ctx.insert("name_lines", &wrap(&badge.name, 20, 3));
        let (x, y, side) = crate::images::CARD_ART;
        ctx.insert("art", &serde_json::json!({ "x": x, "y": y, "size": side }));
        l.tera.render("card.svg", &ctx).map_err(|e| {
            Diagnostic::error(
                format!("themes/{}/templates/card.svg", self.theme.name),
                Pos::default(),
                tera_error(&e),
            )
        })
    }

    /// The images whose text has characters no font of the theme can draw
    /// (they would show as boxes): each card in each language, and SVG
    /// artwork. They are laid out here, before anything is rasterised, so
    /// `check` and `build` can warn about them.
    pub fn undrawable_text(&self) -> Vec<Undrawable> {
        use rayon::prelude::*;
        let fonts = self.files.fonts();
        let images: Vec<(usize, Option<usize>)> = self
            .plan
            .iter()
            .filter_map(|j| match j {
                Job::Card { lang, badge } => Some((*badge, Some(*lang))),
                Job::Badge(b) if self.site.badges[*b].image_ext() == "svg" => Some((*b, None)),
                _ => None,
            })
            .collect();
        images
            .par_iter()
            .filter_map(|&(badge, lang)| {
                let chars = match lang {
                    Some(l) => {
                        let svg = self.card_svg(l, badge).ok()?;
                        crate::images::missing_glyphs(svg.as_bytes(), fonts).ok()?
                    }
                    // Artwork text is checked before sanitising draws it as paths.
                    None => self.files.artwork_missing_glyphs(badge).to_vec(),
                };
                (!chars.is_empty()).then_some(Undrawable { badge, lang, chars })
            })
            .collect()
    }

    /// Every indexable page of the plan, in every language, with its
    /// alternates in the other languages: in `sitemap.xml`, or in `parts`
    /// files that it indexes.
    fn sitemaps(&self, parts: usize) -> Vec<File> {
        let site = self.site;
        let mut entries = Vec::new();
        for path in sitemap_pages(site, &self.plan) {
            for lang in &site.languages {
                let url = site.url(&paths::in_lang(&site.lang_prefix(lang), &path));
                let mut xml = format!("<url><loc>{}</loc>", xml_escape(&url));
                for other in &site.languages {
                    let href = site.url(&paths::in_lang(&site.lang_prefix(other), &path));
                    xml.push_str(&format!(
                        "<xhtml:link rel=\"alternate\" hreflang=\"{other}\" href=\"{}\"/>",
                        xml_escape(&href)
                    ));
                }
                xml.push_str("</url>\n");
                entries.push(xml);
            }
        }
        sitemap_files(&entries, parts, SITEMAP_URLS, &|p| site.url(p))
    }
}

/// The sitemap files of `entries` (`<url>` elements), `per_file` to a
/// part; `url` makes a path absolute.
fn sitemap_files(
    entries: &[String],
    parts: usize,
    per_file: usize,
    url: &dyn Fn(&str) -> String,
) -> Vec<File> {
    let urlset = |entries: &[String]| {
        let mut xml = String::from(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\" xmlns:xhtml=\"http://www.w3.org/1999/xhtml\">\n",
        );
        entries.iter().for_each(|e| xml.push_str(e));
        xml.push_str("</urlset>\n");
        xml.into_bytes()
    };
    let names = paths::sitemaps(parts);
    if parts == 1 {
        return vec![File {
            path: names[0].clone(),
            bytes: urlset(entries),
        }];
    }
    let mut index = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for name in &names[1..] {
        index.push_str(&format!(
            "<sitemap><loc>{}</loc></sitemap>\n",
            xml_escape(&url(name))
        ));
    }
    index.push_str("</sitemapindex>\n");
    let mut files = vec![File {
        path: names[0].clone(),
        bytes: index.into_bytes(),
    }];
    // The plan counted the entries: every part but the last is full.
    let chunks = entries.chunks(per_file).chain(std::iter::repeat(&[][..]));
    for (name, chunk) in names[1..].iter().zip(chunks) {
        files.push(File {
            path: name.clone(),
            bytes: urlset(chunk),
        });
    }
    files
}

/// URLs a sitemap file lists at most: the protocol's limit is 50,000 (and
/// 50 MB); Zola splits at 30,000 too.
const SITEMAP_URLS: usize = 30_000;

/// The paths of the plan's pages that a sitemap lists (each once, for
/// every language).
fn sitemap_pages<'a>(site: &'a Site, plan: &'a [Job]) -> impl Iterator<Item = String> + 'a {
    plan.iter().filter_map(move |job| match job {
        Job::Page { lang: 0, page } if page.in_sitemap(site) => Some(page.path(site)),
        _ => None,
    })
}

/// How many URLs the sitemap of the plan lists.
fn sitemap_urls(site: &Site, plan: &[Job]) -> usize {
    sitemap_pages(site, plan).count() * site.languages.len()
}

/// Splits text into at most `max_lines` lines of about `width` columns
/// (CJK text, which has no spaces, is cut between characters). A wide
/// character (CJK, Hangul, full-width forms) takes two columns, as it takes
/// about twice the room of a Latin letter on the card.
fn wrap(text: &str, width: usize, max_lines: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let mut word = word.to_string();
        while columns(&word) > width {
            let head = prefix_within(&word, width);
            word = word[head.len()..].to_string();
            if !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            lines.push(head);
        }
        if !line.is_empty() && columns(&line) + 1 + columns(&word) > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(&word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() > max_lines {
        lines.truncate(max_lines);
        if let Some(last) = lines.last_mut() {
            last.push('…');
        }
    }
    lines
}

/// The longest start of `word` that fits in `width` columns (at least one
/// character, so wrapping always moves on).
fn prefix_within(word: &str, width: usize) -> String {
    let mut used = 0;
    let mut head = String::new();
    for c in word.chars() {
        used += char_columns(c);
        if used > width && !head.is_empty() {
            break;
        }
        head.push(c);
    }
    head
}

fn columns(s: &str) -> usize {
    s.chars().map(char_columns).sum()
}

/// Two for East Asian wide characters, one for the rest.
fn char_columns(c: char) -> usize {
    let wide = matches!(c as u32,
        0x1100..=0x115F | 0x2E80..=0x303E | 0x3041..=0x33FF | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF | 0xA000..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6 | 0x20000..=0x3FFFD);
    if wide { 2 } else { 1 }
}

/// The path part of the base URL, always ending in `/`: where 404.html's links start.
fn base_path(base_url: &str) -> String {
    let after_scheme = base_url.split_once("://").map_or(base_url, |(_, r)| r);
    match after_scheme.find('/') {
        Some(i) => format!("{}/", after_scheme[i..].trim_end_matches('/')),
        None => "/".into(),
    }
}

/// The strings `static/share.js` and `static/download.js` show. They are
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

/// Host hints for Netlify/Cloudflare Pages style hosts: JSON content types
/// and CORS, so validators and verifier pages elsewhere can fetch the JSON.
const HEADERS: &str = concat!(
    "/*.json
  Access-Control-Allow-Origin: *
  Content-Type: application/ld+json; charset=utf-8
/.well-known/did.json
  Access-Control-Allow-Origin: *
  Content-Type: application/did+json; charset=utf-8
/*
  X-Content-Type-Options: nosniff
  Referrer-Policy: strict-origin-when-cross-origin
  Content-Security-Policy: ",
    csp!(),
    "\n"
);

fn compile_templates(theme: &Theme) -> Result<Tera, Diagnostic> {
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
    for required in [
        "index.html",
        "badge.html",
        "award.html",
        "earner.html",
        "retired.html",
        "faq.html",
        "404.html",
        "certificate.html",
        "verifier.html",
        "card.svg",
    ] {
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
    fn card_names_wrap_by_width_with_chinese_twice_as_wide() {
        assert_eq!(wrap("Azure Fundamentals", 20, 3), ["Azure Fundamentals"]);
        assert_eq!(
            wrap("Cloud Operations Professional", 20, 3),
            ["Cloud Operations", "Professional"]
        );
        // Ten Chinese characters fill a 20-column line.
        let long = "云计算基础云计算基础云计算";
        assert_eq!(wrap(long, 20, 3), ["云计算基础云计算基础", "云计算"]);
        assert_eq!(wrap("Azure 基础知识", 20, 3), ["Azure 基础知识"]);
        assert_eq!(
            wrap(&"字".repeat(40), 20, 2),
            ["字".repeat(10), "字".repeat(10) + "…"]
        );
    }

    /// Past the limit, `sitemap.xml` indexes parts at the root, each
    /// within the limit, every entry in exactly one, in order.
    #[test]
    fn large_sitemaps_are_split_into_indexed_parts() {
        let entries: Vec<String> = (0..7)
            .map(|i| format!("<url><loc>https://x.org/p{i}/</loc></url>\n"))
            .collect();
        let url = |p: &str| format!("https://x.org/{p}");
        let text = |f: &File| String::from_utf8(f.bytes.clone()).unwrap();
        let one = sitemap_files(&entries, 1, 3, &url);
        assert_eq!(one.len(), 1);
        assert_eq!(one[0].path, "sitemap.xml");
        assert!(text(&one[0]).contains("<urlset") && text(&one[0]).contains("p6"));

        let parts = entries.len().div_ceil(3);
        let files = sitemap_files(&entries, parts, 3, &url);
        let names: Vec<&str> = files.iter().map(|f| f.path.as_str()).collect();
        assert_eq!(names, paths::sitemaps(3));
        assert_eq!(
            names,
            [
                "sitemap.xml",
                "sitemap1.xml",
                "sitemap2.xml",
                "sitemap3.xml"
            ]
        );
        let index = text(&files[0]);
        assert!(index.contains("<sitemapindex"));
        for name in &names[1..] {
            assert!(index.contains(&format!("<loc>https://x.org/{name}</loc>")));
        }
        let listed: Vec<String> = files[1..]
            .iter()
            .flat_map(|f| {
                let t = text(f);
                assert!(t.starts_with("<?xml") && t.ends_with("</urlset>\n"));
                assert!(t.matches("<url>").count() <= 3);
                t.lines()
                    .filter(|l| l.starts_with("<url>"))
                    .map(|l| format!("{l}\n"))
                    .collect::<Vec<_>>()
            })
            .collect();
        assert_eq!(listed, entries);
    }

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
