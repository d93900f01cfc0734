//! The plan: one job per output file, in a stable order, each knowing
//! the files it writes (`Job::outputs`) without being rendered.

use super::files;
use super::sitemap::{SITEMAP_URLS, sitemap_urls};
use crate::paths;
use crate::site::Site;
use crate::theme::Theme;

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
    /// A pending award's claim page; an index into `Site::claims`.
    Claim(usize),
    /// The claim address of an award since claimed: leads to its
    /// verification page.
    Claimed(usize),
}

impl Page {
    /// A page of every kind: the templates a theme must have are theirs
    /// (and `card.svg`).
    pub(super) const KINDS: [Page; 11] = [
        Page::Index,
        Page::Badge(0),
        Page::Award(0),
        Page::Certificate(0),
        Page::Earner(0),
        Page::Retired,
        Page::Faq,
        Page::Verifier,
        Page::NotFound,
        Page::Claim(0),
        Page::Claimed(0),
    ];

    pub(super) fn template(self) -> &'static str {
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
            Page::Claim(_) => "claim.html",
            Page::Claimed(_) => "claimed.html",
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
            Page::Claim(c) | Page::Claimed(c) => paths::claim_page(&site.claims[c].token),
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
            Page::NotFound | Page::Claim(_) | Page::Claimed(_) => false,
            _ => true,
        }
    }

    /// Whether the sitemap lists the page (certificates are print views).
    pub fn in_sitemap(self, site: &Site) -> bool {
        self.indexable(site) && !matches!(self, Page::Certificate(_))
    }

    pub(super) fn kind(self) -> &'static str {
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
            Page::Claim(_) => "claim",
            Page::Claimed(_) => "claimed",
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

/// Every job of the site, in a stable order. An award's pages in every
/// language are neighbours (they share a QR code, see
/// `qr::Matrix::encode_recent`); the pages of the default language keep
/// the order the sitemap lists them in.
pub(super) fn plan(site: &Site, theme: &Theme) -> Vec<Job> {
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
            if site.certificate_pages {
                jobs.push(Job::Page {
                    lang,
                    page: Page::Certificate(a),
                });
            }
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
    for (c, claim) in site.claims.iter().enumerate() {
        let page = match claim.of {
            crate::site::ClaimOf::Pending(_) => Page::Claim(c),
            crate::site::ClaimOf::Claimed(_) => Page::Claimed(c),
        };
        jobs.extend((0..site.languages.len()).map(|lang| Job::Page { lang, page }));
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
