//! Fingerprints of what each job's output depends on, so a rebuild renders
//! only the jobs whose inputs changed.
//!
//! A job's inputs are its *unit* (the award, badge or earner it belongs to,
//! hashed with everything of the site model its files show) and a few
//! *factors* shared by many jobs: the site-wide settings and key, the
//! templates a page kind uses, and each language's strings. A job is dirty
//! when its unit's fingerprint or one of its factors changed. Site-wide
//! jobs (catalogue, sitemap, status list …) depend on everything and are
//! always rendered; they are few.
//!
//! The build's "now" is an input only through an award's status, which is
//! part of the award's fingerprint: an award that expired since the last
//! build is rendered again even if no file changed.
//!
//! **A new field of the site model must be hashed here.** Each function
//! takes its struct apart field by field (`let Award { id, … } = a;`), so
//! a field added to `Site`, `Issuer`, `Badge`, `Award` or `Earner` does not
//! compile until it is hashed where its unit's files show it, or named
//! `_` with the reason it cannot change those files.

use std::collections::{BTreeMap, BTreeSet};

use sha2::{Digest, Sha256};

use super::{Job, Page, Renderer};
use crate::content::Localized;
use crate::site::{
    Alignment, Award, Badge, Earner, Evidence, Issuer, Issuing, JobBoard, Revocation, Site,
};

/// A 128-bit fingerprint, written as 32 hex digits.
pub type Fp = String;

/// What a job belongs to, for fingerprints and for the build's manifest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Award(usize),
    Badge(usize),
    Earner(usize),
    /// Site-wide files: always rendered.
    Site,
}

impl Unit {
    /// A stable name for the manifest: `a:<award id>`, `b:…`, `e:…`, `site`.
    pub fn key(self, site: &Site) -> String {
        match self {
            Unit::Award(a) => format!("a:{}", site.awards[a].id),
            Unit::Badge(b) => format!("b:{}", site.badges[b].id),
            Unit::Earner(e) => format!("e:{}", site.earners[e].id),
            Unit::Site => "site".into(),
        }
    }

    /// The id that the unit's file paths contain (none for the site).
    pub fn id(self, site: &Site) -> Option<&str> {
        match self {
            Unit::Award(a) => Some(&site.awards[a].id),
            Unit::Badge(b) => Some(&site.badges[b].id),
            Unit::Earner(e) => Some(&site.earners[e].id),
            Unit::Site => None,
        }
    }
}

impl Job {
    pub fn unit(&self) -> Unit {
        match self {
            Job::Award(a)
            | Job::Page {
                page: Page::Award(a) | Page::Certificate(a),
                ..
            } => Unit::Award(*a),
            Job::Badge(b)
            | Job::Card { badge: b, .. }
            | Job::Page {
                page: Page::Badge(b),
                ..
            } => Unit::Badge(*b),
            Job::Page {
                page: Page::Earner(e),
                ..
            } => Unit::Earner(*e),
            _ => Unit::Site,
        }
    }

    /// The factors the job depends on besides its unit (names as in
    /// [`Fingerprints::factors`]); `None` for site-wide jobs, which are
    /// always rendered.
    pub fn factors(&self, site: &Site) -> Option<Vec<String>> {
        let lang = |l: usize| format!("strings:{}", site.languages[l]);
        match self {
            _ if self.unit() == Unit::Site => None,
            Job::Award(_) => Some(vec![GLOBAL.into()]),
            Job::Badge(_) => Some(vec![GLOBAL.into()]),
            // A card shows its own language's strings (kind, tagline) only.
            Job::Card { lang: l, .. } => Some(vec![GLOBAL.into(), template("card.svg"), lang(*l)]),
            Job::Page { lang: l, page } => Some(vec![
                GLOBAL.into(),
                template(page.template()),
                lang(*l),
                NAMES.into(),
            ]),
            _ => None,
        }
    }
}

const GLOBAL: &str = "global";
/// Every language's own name: each page links to its other languages.
const NAMES: &str = "language names";

fn template(name: &str) -> String {
    format!("template:{name}")
}

/// Every fingerprint of a build.
pub struct Fingerprints {
    /// Factor name → fingerprint.
    pub factors: BTreeMap<String, Fp>,
    pub awards: Vec<Fp>,
    pub badges: Vec<Fp>,
    pub earners: Vec<Fp>,
}

impl Fingerprints {
    pub fn unit(&self, unit: Unit) -> Option<&Fp> {
        match unit {
            Unit::Award(a) => Some(&self.awards[a]),
            Unit::Badge(b) => Some(&self.badges[b]),
            Unit::Earner(e) => Some(&self.earners[e]),
            Unit::Site => None,
        }
    }
}

/// Feeds values into SHA-256 unambiguously (every value is length-prefixed).
struct Fingerprinter(Sha256);

impl Fingerprinter {
    fn new(kind: &str) -> Fingerprinter {
        let mut h = Fingerprinter(Sha256::new());
        h.s(kind);
        h
    }
    fn s(&mut self, s: &str) -> &mut Self {
        self.b(s.as_bytes())
    }
    fn b(&mut self, b: &[u8]) -> &mut Self {
        self.0.update((b.len() as u64).to_le_bytes());
        self.0.update(b);
        self
    }
    fn opt(&mut self, s: Option<&str>) -> &mut Self {
        match s {
            Some(s) => self.s("1").s(s),
            None => self.s("0"),
        }
    }
    fn loc(&mut self, l: &Localized) -> &mut Self {
        match l {
            Localized::Plain(s) => self.s("plain").s(s),
            Localized::PerLanguage(m) => {
                self.s("per-language").s(&m.len().to_string());
                for (k, v) in m {
                    self.s(k).s(v);
                }
                self
            }
        }
    }
    fn done(&self) -> Fp {
        let digest = self.0.clone().finalize();
        crate::openbadges::hex(&digest[..16])
    }
}

impl Renderer<'_> {
    /// The fingerprints of every unit and factor of the plan.
    pub fn fingerprints(&self) -> Fingerprints {
        use rayon::prelude::*;
        let site = self.site;
        let mut factors = BTreeMap::new();
        factors.insert(GLOBAL.to_string(), self.global());
        for name in self.templates_used() {
            factors.insert(template(&name), self.template_closure(&name));
        }
        let mut names = Fingerprinter::new("names");
        for l in &self.langs {
            let mut h = Fingerprinter::new("strings");
            // The report's strings are in no page (`accolade report`).
            let pages: BTreeMap<&String, &serde_json::Value> = l
                .strings
                .all
                .iter()
                .filter(|(k, _)| !k.starts_with("report_"))
                .collect();
            h.b(&serde_json::to_vec(&pages).unwrap_or_default());
            factors.insert(format!("strings:{}", l.strings.lang), h.done());
            names.s(&l.strings.lang).s(l.strings.get("language_name"));
        }
        factors.insert(NAMES.into(), names.done());
        let badges: Vec<Fp> = (0..site.badges.len()).map(|b| self.badge_core(b)).collect();
        // Award and profile pages show a badge's award count only if the
        // theme's templates say so; then it is one of their inputs.
        let counts = ["award.html", "certificate.html", "earner.html"]
            .iter()
            .any(|t| self.template_text(t).contains("award_count"));
        let awards: Vec<Fp> = site
            .awards
            .par_iter()
            .map(|a| {
                let count = counts.then(|| site.badges[a.badge].awards.len());
                award_fp(site, a, &badges[a.badge], count)
            })
            .collect();
        let badge_pages = site
            .badges
            .iter()
            .zip(&badges)
            .enumerate()
            .map(|(i, (b, core))| {
                let mut h = Fingerprinter::new("badge page");
                h.s(core).s(&b.awards.len().to_string());
                // Labour-market insights show on badge pages only.
                for insight in site.insights_of(i) {
                    h.s(&format!("{insight:?}"));
                }
                h.done()
            })
            .collect();
        let earners = site
            .earners
            .par_iter()
            .map(|e| earner_fp(site, e, &awards, &badges))
            .collect();
        Fingerprints {
            factors,
            awards,
            badges: badge_pages,
            earners,
        }
    }

    /// Site settings, the issuer, languages, key and program version:
    /// what every file may show.
    fn global(&self) -> Fp {
        let Site {
            title,
            base_url,
            languages,
            issuer,
            issuing,
            award_files,
            job_board,
            // Which pages there are, not what any page shows.
            certificate_pages: _,
            // Rarely change, and show on badge and award pages and in
            // credentials: all of them, everywhere.
            endorsements,
            // On badge pages only: in each one's fingerprint.
            insights: _,
            salary_search,
            // Each has its own unit, fingerprinted apart.
            badges: _,
            earners: _,
            awards: _,
            // Site-wide files (catalogue, FAQ, sitemap …) are always rendered.
            unpublished: _,
            faq: _,
            // Derived from `badges`; where the site is read from, not what it shows.
            badge_index: _,
            root: _,
            // "Now" shows only through each award's status (`award_fp`).
            now: _,
            now_epoch: _,
            // Read by `accolade notify`, never rendered.
            notify: _,
            // Shown by claim pages only, which are always rendered.
            accept: _,
            claims: _,
        } = self.site;
        let Issuer {
            name,
            url,
            email,
            description,
            image,
            linkedin_organization_id,
            // Shows through the `version_on` of each award it revises.
            revised_on: _,
        } = issuer;
        let Issuing {
            did,
            previous_keys,
            // Each award's own index is part of its fingerprint.
            status_index: _,
        } = issuing;
        let mut h = Fingerprinter::new("global");
        h.s(env!("CARGO_PKG_VERSION"))
            .loc(title)
            .s(base_url)
            .s(&languages.join(","))
            .loc(name)
            .s(url)
            .s(email)
            .opt(image.as_deref())
            .opt(linkedin_organization_id.as_deref())
            .s(&self.key.public_multikey())
            .s(did)
            .s(&previous_keys.join(","))
            .s(&self.theme.name)
            .s(award_files.name());
        // Pages show those in force today: an expiry re-renders them.
        for e in endorsements {
            h.s(&e.path)
                .b(&serde_json::to_vec(&e.credential).unwrap_or_default())
                .s(if e.in_force(self.site.now) {
                    "shown"
                } else {
                    "expired"
                });
        }
        // Fonts draw the text in artwork and cards.
        for (path, f) in self.theme.under("fonts/") {
            h.s(path).b(&f.bytes);
        }
        if let Some(d) = description {
            h.loc(d);
        }
        // The job board's links are on every badge and verification page.
        match job_board {
            Some(JobBoard { name, url }) => h.s("jobs").loc(name).s(url),
            None => h.s("no jobs"),
        };
        match salary_search {
            Some(JobBoard { name, url }) => h.s("salaries").loc(name).s(url),
            None => h.s("no salaries"),
        };
        h.done()
    }

    /// The names of the templates jobs render with.
    fn templates_used(&self) -> BTreeSet<String> {
        let mut names: BTreeSet<String> = self
            .plan
            .iter()
            .filter_map(|j| match j {
                Job::Page { page, .. } => Some(page.template().to_string()),
                _ => None,
            })
            .collect();
        names.insert("card.svg".into());
        names
    }

    /// The text of a template with every template it extends, includes or
    /// imports, and their names.
    fn template_text(&self, name: &str) -> String {
        self.closure(name)
            .iter()
            .filter_map(|t| self.theme.get(&format!("templates/{t}")))
            .map(|f| String::from_utf8_lossy(&f.bytes).into_owned())
            .collect()
    }

    fn closure(&self, name: &str) -> BTreeSet<String> {
        let mut seen = BTreeSet::new();
        let mut todo = vec![name.to_string()];
        while let Some(t) = todo.pop() {
            if !seen.insert(t.clone()) {
                continue;
            }
            if let Some(f) = self.theme.get(&format!("templates/{t}")) {
                todo.extend(referenced_templates(&String::from_utf8_lossy(&f.bytes)));
            }
        }
        seen
    }

    /// A template with every template it extends, includes or imports.
    fn template_closure(&self, name: &str) -> Fp {
        let seen = self.closure(name);
        let mut h = Fingerprinter::new("templates");
        for t in &seen {
            h.s(t);
            match self.theme.get(&format!("templates/{t}")) {
                Some(f) => h.b(&f.bytes),
                None => h.s("missing"),
            };
        }
        h.done()
    }

    /// What an award's files show of its badge: its texts, artwork and links.
    fn badge_core(&self, b: usize) -> Fp {
        let site = self.site;
        let Badge {
            id,
            kind,
            name,
            description,
            criteria,
            image,
            skills,
            alignment,
            validity,
            requires,
            required_by,
            badged,
            retired_on,
            // Shows through the `version_on` of each award it revises.
            revised_on: _,
            // Their number is added for the pages that show it.
            awards: _,
            // Named in expiry reminders, not on pages.
            recertification_url: _,
        } = &site.badges[b];
        let mut h = Fingerprinter::new("badge");
        h.s(id)
            .s(&format!("{kind:?}"))
            .loc(name)
            .loc(description)
            .loc(criteria)
            .s(image)
            .b(self.files.artwork_source(b))
            .s(&skills.len().to_string())
            .opt(validity.map(|v| format!("{v:?}")).as_deref())
            .s(&badged.to_string())
            .opt(retired_on.map(|d| d.to_string()).as_deref());
        for skill in skills {
            h.loc(skill);
        }
        for Alignment {
            name,
            url,
            framework,
            code,
            description,
        } in alignment
        {
            h.s(name)
                .s(url)
                .opt(framework.as_deref())
                .opt(code.as_deref())
                .opt(description.as_deref());
        }
        for &other in requires.iter().chain(required_by) {
            linked_badge(&mut h, &site.badges[other]);
        }
        h.done()
    }
}

/// What a page shows of another badge it links to (paths): its name and
/// whether it is retired.
fn linked_badge(h: &mut Fingerprinter, other: &Badge) {
    h.s(&other.id)
        .loc(&other.name)
        .opt(other.retired_on.map(|d| d.to_string()).as_deref());
}

/// Everything an award's files show: the award, its status and status-list
/// index, its badge, and its earner's name and visibility.
fn award_fp(site: &Site, a: &Award, badge: &Fp, award_count: Option<usize>) -> Fp {
    let Award {
        id,
        issued_on,
        version_on,
        expires_on,
        status,
        evidence,
        revoked,
        // Its badge's core is `badge`; its earner is taken apart below.
        badge: _,
        earner,
        // Decides whether it is published and whether its claim address
        // leads to it (claim pages are always rendered), not what it shows.
        accepted: _,
    } = a;
    let Earner {
        id: earner_id,
        name,
        email,
        visibility,
        // Decides whether the award is published at all, not what it shows.
        auto_accept: _,
        // The earner's other awards show on the profile, not here.
        awards: _,
        // The language of their messages, not of pages.
        language: _,
    } = &site.earners[*earner];
    let mut h = Fingerprinter::new("award");
    h.s(id)
        .s(badge)
        .s(earner_id)
        .s(name)
        .s(&format!("{visibility:?}"))
        .s(&issued_on.to_string())
        .s(&version_on.to_string())
        .opt(expires_on.map(|d| d.to_string()).as_deref())
        .s(status.as_str())
        .opt(
            site.issuing
                .status_index
                .get(id)
                .map(u64::to_string)
                .as_deref(),
        );
    // The recipient hash is derived from the email; the email itself is
    // hashed here only into the fingerprint, which is never published.
    h.s(email);
    for Evidence { url, narrative } in evidence {
        h.s(url).opt(narrative.as_deref());
    }
    if let Some(Revocation { on, reason }) = revoked {
        h.s(&on.to_string()).opt(reason.as_deref());
    }
    h.opt(award_count.map(|n| n.to_string()).as_deref());
    h.done()
}

/// An earner's profile shows the earner, each of their awards, and the
/// certifications their exams count towards with the other exams of each
/// (`views::path_progress`), as far as `badges` (cores) tell.
fn earner_fp(site: &Site, e: &Earner, awards: &[Fp], badges: &[Fp]) -> Fp {
    let Earner {
        id,
        name,
        visibility,
        awards: held,
        // Never shown; each award's fingerprint has its recipient hash.
        email: _,
        // Decides what is published, which shows through `held`.
        auto_accept: _,
        // The language of their messages, not of pages.
        language: _,
    } = e;
    let mut h = Fingerprinter::new("earner");
    h.s(id).s(name).s(&format!("{visibility:?}"));
    for &a in held {
        h.s(&awards[a]);
        for &c in &site.badges[site.awards[a].badge].required_by {
            h.s(&badges[c]);
            for &x in &site.badges[c].requires {
                h.s(&badges[x]);
            }
        }
    }
    h.done()
}

/// The names in `{% extends "x" %}`, `{% include "x" %}` and
/// `{% import "x" as y %}` tags of a Tera template.
fn referenced_templates(source: &str) -> Vec<String> {
    let mut out = Vec::new();
    for tag in source.split("{%").skip(1) {
        let tag = tag.trim_start_matches(['-', ' ', '\n', '\t']);
        let rest = ["extends", "include", "import"]
            .iter()
            .find_map(|kw| tag.strip_prefix(kw));
        let Some(rest) = rest else { continue };
        let rest = rest.trim_start();
        let Some(quote) = rest.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        if let Some(name) = rest[1..].split(quote).next() {
            out.push(name.to_string());
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_the_templates_a_template_uses() {
        let src = "{% extends \"base.html\" %}\n{%- include 'partials/a.html' -%}{% import \"m.html\" as m %}{% if x %}";
        assert_eq!(
            referenced_templates(src),
            ["base.html", "partials/a.html", "m.html"]
        );
    }
}
