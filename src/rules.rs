//! The product rules: validates raw content and resolves it into a `Site`.
//!
//! Checks every record (ids, references, dates, images, languages) and
//! reports all problems at once; then applies acceptance, visibility,
//! not-badged, certification-supersedes-exam, retirement and status as of
//! the build's "now". Rendering never re-decides any of this.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::content::{Content, Kind, Localized, S, Visibility, pos};
use crate::dates::{Date, Period};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos, suggest};
use crate::site::*;

/// Validates and resolves content as of `now_epoch` (seconds).
pub fn resolve(content: &Content, now_epoch: i64) -> (Option<Site>, Diagnostics) {
    let mut r = Resolver {
        diags: Diagnostics::default(),
        content,
    };
    let site = r.run(now_epoch);
    let mut diags = r.diags;
    diags.sort();
    let site = if diags.has_errors() { None } else { Some(site) };
    (site, diags)
}

struct Resolver<'a> {
    diags: Diagnostics,
    content: &'a Content,
}

/// `[a-z0-9-]+`, not starting or ending with `-`: ids used in URLs forever.
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !s.starts_with('-')
        && !s.ends_with('-')
}

/// Award ids: 4–64 letters, digits, `-` or `_` (minted ones are 12 characters).
pub fn is_award_id(s: &str) -> bool {
    (4..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// An absolute http(s) URL with a host.
pub fn is_absolute_url(s: &str) -> bool {
    let rest = s
        .strip_prefix("https://")
        .or_else(|| s.strip_prefix("http://"));
    matches!(rest, Some(r) if !r.is_empty() && !r.starts_with('/') && !r.contains(char::is_whitespace))
}

impl<'a> Resolver<'a> {
    fn error(&mut self, file: &Path, at: Pos, msg: impl Into<String>, help: impl Into<String>) {
        self.diags.push(Diagnostic::error(file, at, msg).help(help));
    }

    fn warn(&mut self, file: &Path, at: Pos, msg: impl Into<String>, help: impl Into<String>) {
        self.diags
            .push(Diagnostic::warning(file, at, msg).help(help));
    }

    fn date(&mut self, file: &Path, field: &str, value: &S<String>) -> Option<Date> {
        let d = Date::parse(value.value.trim());
        if d.is_none() {
            self.error(
                file,
                pos(value),
                format!("`{field}` is not a valid date: `{}`", value.value),
                "write a calendar date as YYYY-MM-DD, e.g. 2026-01-15",
            );
        }
        d
    }

    fn run(&mut self, now_epoch: i64) -> Site {
        let now = Date::from_unix(now_epoch);
        let c = self.content;
        let site_file: &Path = &c.site.file;
        let s = &c.site.record;

        let base_url = s.base_url.value.trim().trim_end_matches('/').to_string();
        if !is_absolute_url(&base_url) {
            self.error(
                site_file,
                pos(&s.base_url),
                format!("`base_url` must be an absolute http(s) URL, found `{}`", s.base_url.value),
                "every credential id and QR code is built from it: write e.g. `https://credentials.example.org`",
            );
        }
        let languages = self.languages();
        let issuer = self.issuer(&languages);

        let badges = self.badges(&languages);
        let badge_index: HashMap<String, usize> = badges
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        let mut badges = badges;
        self.link_requirements(&mut badges, &badge_index);

        let earners = self.earners();
        let earner_index: HashMap<&str, usize> = earners
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let (awards, unpublished) =
            self.awards(now, &mut badges, &badge_index, &earners, &earner_index);

        let mut site = Site {
            root: c.root.clone(),
            title: s.title.value.clone(),
            base_url,
            languages,
            issuer,
            badges,
            earners,
            awards: Vec::new(),
            unpublished,
            now,
            now_epoch,
            faq: BTreeMap::new(),
            badge_index,
            issuing: Issuing {
                did: String::new(),
                previous_keys: Vec::new(),
                status_index: HashMap::new(),
            },
        };
        attach_awards(&mut site, awards);
        self.faq(&mut site);
        site.issuing = self.issuing(&site.base_url);
        site
    }

    /// The issuer DID, retired keys (each must be a valid Ed25519 Multikey)
    /// and status indexes over every award record, published or not, so an
    /// award's index does not move when others are published or withdrawn.
    fn issuing(&mut self, base_url: &str) -> Issuing {
        let c = self.content;
        let did = crate::signing::did_web(base_url).unwrap_or_default();
        let mut previous_keys = Vec::new();
        if let Some(signing) = &c.site.record.signing {
            for k in &signing.previous_keys {
                match crate::signing::parse_multikey(k.value.trim()) {
                    Ok(_) => previous_keys.push(k.value.trim().to_string()),
                    Err(e) => self.error(
                        &c.site.file,
                        pos(k),
                        format!("`previous_keys` entry is not an Ed25519 public key: {e}"),
                        "list the public Multikey (`z6Mk…`) that `accolade keys generate` printed for the retired key",
                    ),
                }
            }
        }
        let status_index = crate::openbadges::status_list::assign_content(c);
        Issuing {
            did,
            previous_keys,
            status_index,
        }
    }

    fn languages(&mut self) -> Vec<String> {
        let c = self.content;
        let file: &Path = &c.site.file;
        let mut out = Vec::new();
        if let Some(list) = &c.site.record.languages {
            if list.value.is_empty() {
                self.error(
                    file,
                    pos(list),
                    "`languages` is empty",
                    "list at least one language, e.g. `[en]`",
                );
            }
            for l in &list.value {
                let code = l.value.trim();
                let valid = !code.is_empty()
                    && code.split('-').all(|p| {
                        !p.is_empty()
                            && p.len() <= 8
                            && p.bytes().all(|b| b.is_ascii_alphanumeric())
                    });
                if !valid {
                    self.error(
                        file,
                        pos(l),
                        format!("`{code}` is not a language code"),
                        "use BCP 47 codes such as `en`, `zh-CN`, `pt-BR`",
                    );
                } else if out.iter().any(|o: &String| o == code) {
                    self.error(
                        file,
                        pos(l),
                        format!("language `{code}` is listed twice"),
                        "list each language once",
                    );
                } else if c.theme.get(&format!("i18n/{code}.yaml")).is_none() {
                    let known: Vec<String> = c
                        .theme
                        .under("i18n/")
                        .map(|(k, _)| k.trim_end_matches(".yaml").to_string())
                        .collect();
                    self.error(
                        file,
                        pos(l),
                        format!("language `{code}` has no interface strings: theme `{}` has no `i18n/{code}.yaml`", c.theme.name),
                        format!(
                            "add `themes/{}/i18n/{code}.yaml` (copy an existing one and translate it); available: {}",
                            c.theme.name,
                            known.join(", ")
                        ),
                    );
                }
                out.push(code.to_string());
            }
        }
        if out.is_empty() {
            out.push("en".into());
        }
        out
    }

    fn issuer(&mut self, languages: &[String]) -> Issuer {
        let c = self.content;
        let file: &Path = &c.site.file;
        let i = &c.site.record.issuer;
        if !is_absolute_url(i.url.value.trim()) {
            self.error(
                file,
                pos(&i.url),
                format!(
                    "issuer `url` must be an absolute http(s) URL, found `{}`",
                    i.url.value
                ),
                "write e.g. `https://example.org`",
            );
        }
        if !i.email.value.contains('@') {
            self.error(
                file,
                pos(&i.email),
                format!(
                    "issuer `email` is not an email address: `{}`",
                    i.email.value
                ),
                "Open Badges requires a contact address, e.g. `credentials@example.org`",
            );
        }
        if let Some(img) = &i.image {
            self.image_exists(file, img);
        }
        if let Some(d) = &i.description {
            self.localized(file, "description", d, languages);
        }
        Issuer {
            name: i.name.value.clone(),
            url: i.url.value.trim().to_string(),
            email: i.email.value.trim().to_string(),
            description: i.description.as_ref().map(|d| d.value.clone()),
            image: i.image.as_ref().map(|p| p.value.clone()),
            linkedin_organization_id: i.linkedin_organization_id.as_ref().map(|p| p.value.clone()),
        }
    }

    /// An image referenced from content must exist under `content/` and be PNG or SVG.
    fn image_exists(&mut self, file: &Path, img: &S<String>) -> bool {
        let rel = img.value.trim();
        let lower = rel.to_ascii_lowercase();
        if !(lower.ends_with(".png") || lower.ends_with(".svg")) {
            self.error(
                file,
                pos(img),
                format!("image `{rel}` is neither PNG nor SVG"),
                "badge artwork must be a square PNG (at least 600 px) or an SVG",
            );
            return false;
        }
        if rel.contains("..")
            || rel.starts_with('/')
            || !self.content.root.join("content").join(rel).is_file()
        {
            self.error(
                file,
                pos(img),
                format!("image file `content/{rel}` does not exist"),
                "paths are relative to `content/`, e.g. `images/az-900.svg`",
            );
            return false;
        }
        if lower.ends_with(".png") {
            self.png_artwork(file, img);
        }
        true
    }

    /// Badge artwork is shown up to 600 px wide and baked as is: a PNG that
    /// is not a square of at least 600 px looks blurred or distorted.
    fn png_artwork(&mut self, file: &Path, img: &S<String>) {
        let path = self.content.root.join("content").join(img.value.trim());
        let mut head = [0u8; 24];
        let ok = std::fs::File::open(&path)
            .and_then(|mut f| std::io::Read::read_exact(&mut f, &mut head))
            .is_ok();
        match crate::images::png_size(&head).filter(|_| ok && head.starts_with(b"\x89PNG")) {
            None => self.error(
                file,
                pos(img),
                format!("`{}` is not a PNG file", img.value.trim()),
                "export the artwork as PNG or SVG",
            ),
            Some((w, h)) if w != h || w < 600 => self.warn(
                file,
                pos(img),
                format!("artwork `{}` is {w}×{h} px", img.value.trim()),
                "use a square PNG of at least 600×600 px, or an SVG",
            ),
            Some(_) => {}
        }
    }

    /// A localized field must exist in the default language; other languages
    /// fall back to it with a warning.
    fn localized(&mut self, file: &Path, field: &str, value: &S<Localized>, languages: &[String]) {
        let Localized::PerLanguage(map) = &value.value else {
            return;
        };
        let default = &languages[0];
        if !map.contains_key(default) {
            self.error(
                file,
                pos(value),
                format!("`{field}` has no text in the default language `{default}`"),
                format!("add `{default}: ...`; other languages fall back to it"),
            );
        }
        for lang in &languages[1..] {
            if !map.contains_key(lang) {
                self.warn(
                    file,
                    pos(value),
                    format!("`{field}` has no `{lang}` text; pages in `{lang}` will show the `{default}` text"),
                    format!("add `{lang}: ...` to translate it"),
                );
            }
        }
        for lang in map.keys() {
            if !languages.contains(lang) {
                let hint = suggest(
                    lang,
                    languages.iter().map(String::as_str),
                    format!("the site's languages are: {}", languages.join(", ")),
                );
                self.warn(
                    file,
                    pos(value),
                    format!(
                        "`{field}` has text in `{lang}`, which is not one of the site's languages"
                    ),
                    hint,
                );
            }
        }
    }

    fn badges(&mut self, languages: &[String]) -> Vec<Badge> {
        let c = self.content;
        let mut seen: HashMap<String, Arc<Path>> = HashMap::new();
        let mut out = Vec::new();
        for l in &c.badges {
            let file: &Path = &l.file;
            let b = &l.record;
            let id = b.id.value.trim().to_string();
            if !is_slug(&id) {
                self.error(
                    file,
                    pos(&b.id),
                    format!("badge id `{id}` is not valid"),
                    "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `az-900`",
                );
            }
            if let Some(first) = seen.get(&id) {
                let msg = format!(
                    "duplicate badge id `{id}`, first defined in `{}`",
                    first.display()
                );
                self.error(file, pos(&b.id), msg, "every badge needs its own id");
                continue;
            }
            seen.insert(id.clone(), l.file.clone());
            if file.file_stem().and_then(|s| s.to_str()) != Some(id.as_str()) {
                self.warn(
                    file,
                    pos(&b.id),
                    format!("badge `{id}` is defined in a file of another name"),
                    format!("name the file `{id}.yaml` so it is easy to find"),
                );
            }
            for (field, v) in [
                ("name", &b.name),
                ("description", &b.description),
                ("criteria", &b.criteria),
            ] {
                self.localized(file, field, v, languages);
            }
            self.image_exists(file, &b.image);
            let validity = b.validity.as_ref().and_then(|v| {
                let p = Period::parse(&v.value);
                if p.is_none() {
                    self.error(
                        file,
                        pos(v),
                        format!(
                            "`validity` must be a number and a unit, found `{}`",
                            v.value
                        ),
                        "write e.g. `1y` (years), `18m` (months) or `90d` (days)",
                    );
                }
                p
            });
            let retired_on = b
                .retired_on
                .as_ref()
                .and_then(|v| self.date(file, "retired_on", v));
            if b.kind.value == Kind::Exam && !b.requires.is_empty() {
                self.error(file, pos(&b.requires[0]), "an exam cannot have `requires`", "only certifications require exams; change `kind` to `certification` or remove `requires`");
            }
            for a in &b.alignment {
                if !is_absolute_url(a.url.value.trim()) {
                    self.error(
                        file,
                        pos(&a.url),
                        format!(
                            "alignment `url` must be an absolute URL, found `{}`",
                            a.url.value
                        ),
                        "write e.g. `https://example.org/framework/skill`",
                    );
                }
            }
            out.push(Badge {
                id,
                kind: b.kind.value,
                name: b.name.value.clone(),
                description: b.description.value.clone(),
                criteria: b.criteria.value.clone(),
                image: b.image.value.trim().to_string(),
                skills: b.skills.iter().map(|s| s.value.clone()).collect(),
                alignment: b
                    .alignment
                    .iter()
                    .map(|a| Alignment {
                        name: a.name.value.clone(),
                        url: a.url.value.trim().to_string(),
                        framework: a.framework.clone(),
                        code: a.code.clone(),
                        description: a.description.clone(),
                    })
                    .collect(),
                validity,
                requires: Vec::new(),
                required_by: Vec::new(),
                badged: b.badged,
                retired_on,
                awards: Vec::new(),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// `requires` must name exams; fills `requires` and `required_by`.
    fn link_requirements(&mut self, badges: &mut [Badge], index: &HashMap<String, usize>) {
        let c = self.content;
        for l in &c.badges {
            let Some(&me) = index.get(l.record.id.value.trim()) else {
                continue;
            };
            for req in &l.record.requires {
                let name = req.value.trim();
                match index.get(name) {
                    Some(&i) if badges[i].kind == Kind::Exam => {
                        if !badges[me].requires.contains(&i) {
                            badges[me].requires.push(i);
                            badges[i].required_by.push(me);
                        }
                    }
                    Some(_) => self.error(
                        &l.file,
                        pos(req),
                        format!("`requires` names `{name}`, which is a certification, not an exam"),
                        "a certification requires exams only",
                    ),
                    None => {
                        let exams = badges
                            .iter()
                            .filter(|b| b.kind == Kind::Exam)
                            .map(|b| b.id.as_str());
                        let help = suggest(
                            name,
                            exams,
                            "name the id of an exam defined in `content/badges/`",
                        );
                        self.error(
                            &l.file,
                            pos(req),
                            format!("`requires` names `{name}`, but no exam has that id"),
                            help,
                        );
                    }
                }
            }
        }
    }

    fn earners(&mut self) -> Vec<Earner> {
        let c = self.content;
        let mut seen: HashMap<String, Arc<Path>> = HashMap::new();
        let mut out = Vec::new();
        for l in &c.earners {
            let file: &Path = &l.file;
            let e = &l.record;
            let id = e.id.value.trim().to_string();
            if !is_slug(&id) {
                self.error(file, pos(&e.id), format!("earner id `{id}` is not valid"), "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `e-li-lei`");
            }
            if let Some(first) = seen.get(&id) {
                let msg = format!(
                    "duplicate earner id `{id}`, first defined in `{}`",
                    first.display()
                );
                self.error(file, pos(&e.id), msg, "every earner needs their own id");
                continue;
            }
            seen.insert(id.clone(), l.file.clone());
            let email = e.email.value.trim();
            if !is_email(email) {
                self.error(
                    file,
                    pos(&e.email),
                    format!("`{email}` is not an email address"),
                    "write the address the earner receives mail at, e.g. `lilei@example.com`",
                );
            }
            if e.name.value.trim().is_empty() {
                self.error(
                    file,
                    pos(&e.name),
                    "earner `name` is empty",
                    "write the name as it should appear on credentials",
                );
            }
            out.push(Earner {
                id,
                name: e.name.value.trim().to_string(),
                email: email.to_string(),
                visibility: e.profile,
                auto_accept: e.auto_accept,
                awards: Vec::new(),
            });
        }
        out
    }

    fn awards(
        &mut self,
        now: Date,
        badges: &mut [Badge],
        badge_index: &HashMap<String, usize>,
        earners: &[Earner],
        earner_index: &HashMap<&str, usize>,
    ) -> (Vec<Award>, Vec<Unpublished>) {
        let c = self.content;
        let mut seen: HashMap<String, Arc<Path>> = HashMap::with_capacity(c.awards.len());
        // Accepted, well-formed awards before the publication rules.
        let mut candidates: Vec<(Award, bool)> = Vec::new();
        for l in &c.awards {
            let file: &Path = &l.file;
            let a = &l.record;
            let id = a.id.value.trim().to_string();
            if !is_award_id(&id) {
                self.error(
                    file,
                    pos(&a.id),
                    format!("award id `{id}` is not valid"),
                    "award ids are 4–64 letters, digits, `-` or `_`; `accolade award` mints them",
                );
            }
            if let Some(first) = seen.get(&id) {
                let msg = format!(
                    "duplicate award id `{id}`, first defined in `{}`",
                    first.display()
                );
                self.error(
                    file,
                    pos(&a.id),
                    msg,
                    "award ids are permanent and unique; mint a new one with `accolade award`",
                );
                continue;
            }
            seen.insert(id.clone(), l.file.clone());

            let badge = self.reference(
                file,
                "badge",
                &a.badge,
                badge_index.keys().map(String::as_str),
                |n| badge_index.get(n).copied(),
            );
            let earner = self.reference(
                file,
                "earner",
                &a.earner,
                earner_index.keys().copied(),
                |n| earner_index.get(n).copied(),
            );
            let issued_on = self.date(file, "issued_on", &a.issued_on);
            if let Some(d) = issued_on
                && d > now
            {
                self.error(
                    file,
                    pos(&a.issued_on),
                    format!("`issued_on` {d} is in the future (the build date is {now})"),
                    "an award cannot be issued after the build; check the year",
                );
            }
            let mut expires_on = a
                .expires_on
                .as_ref()
                .and_then(|v| self.date(file, "expires_on", v));
            if let (Some(i), Some(e), Some(v)) = (issued_on, expires_on, &a.expires_on)
                && e <= i
            {
                self.error(
                    file,
                    pos(v),
                    format!("`expires_on` {e} is not after `issued_on` {i}"),
                    "an award must expire after it is issued",
                );
            }
            let revoked = a.revoked.as_ref().and_then(|r| {
                let on = self.date(file, "revoked.on", &r.on)?;
                if let Some(i) = issued_on
                    && on < i
                {
                    self.error(
                        file,
                        pos(&r.on),
                        format!("revoked on {on}, before it was issued on {i}"),
                        "check the revocation date",
                    );
                }
                Some(Revocation {
                    on,
                    reason: r.reason.clone().filter(|s| !s.trim().is_empty()),
                })
            });
            let (Some(badge), Some(earner), Some(issued_on)) = (badge, earner, issued_on) else {
                continue;
            };
            if expires_on.is_none() {
                expires_on = badges[badge].validity.map(|p| issued_on.add(p));
            }
            let status = match (&revoked, expires_on) {
                (Some(_), _) => Status::Revoked,
                (None, Some(e)) if e <= now => Status::Expired,
                _ => Status::Valid,
            };
            let accepted = a.accepted.unwrap_or(earners[earner].auto_accept);
            let evidence = a
                .evidence
                .iter()
                .map(|e| Evidence {
                    url: e.url.value.trim().to_string(),
                    narrative: e.narrative.clone(),
                })
                .collect();
            for e in &a.evidence {
                if !is_absolute_url(e.url.value.trim()) {
                    self.error(
                        file,
                        pos(&e.url),
                        format!(
                            "evidence `url` must be an absolute URL, found `{}`",
                            e.url.value
                        ),
                        "write e.g. `https://github.com/me/project`",
                    );
                }
            }
            candidates.push((
                Award {
                    id,
                    badge,
                    earner,
                    issued_on,
                    expires_on,
                    evidence,
                    revoked,
                    status,
                },
                accepted,
            ));
        }
        publish(candidates, badges, earners)
    }

    /// Resolves a reference to another record, with "did you mean".
    fn reference<'k>(
        &mut self,
        file: &Path,
        what: &str,
        value: &S<String>,
        names: impl Iterator<Item = &'k str>,
        find: impl Fn(&str) -> Option<usize>,
    ) -> Option<usize> {
        let name = value.value.trim();
        let found = find(name);
        if found.is_none() {
            let help = suggest(
                name,
                names,
                format!("define the {what} in `content/{what}s/` or fix the id"),
            );
            self.error(
                file,
                pos(value),
                format!("award names {what} `{name}`, which does not exist"),
                help,
            );
        }
        found
    }

    fn faq(&mut self, site: &mut Site) {
        let default = site.languages[0].clone();
        for (lang, (_, text)) in &self.content.faq {
            if site.languages.contains(lang) {
                site.faq.insert(lang.clone(), text.clone());
            }
        }
        for lang in site.languages.clone() {
            if !site.faq.contains_key(&lang) {
                let file = format!("content/faq/{lang}.md");
                if lang == default {
                    self.warn(
                        Path::new(&file),
                        Pos::default(),
                        format!("there is no FAQ in the default language `{lang}`"),
                        format!("write `{file}`; the FAQ page stays empty until then"),
                    );
                } else {
                    self.warn(
                        Path::new(&file),
                        Pos::default(),
                        format!(
                            "there is no FAQ in `{lang}`; the `{default}` FAQ is shown instead"
                        ),
                        format!("write `{file}` to translate it"),
                    );
                }
            }
        }
    }
}

/// A plausible email address: something@domain.tld, no spaces.
pub fn is_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
}

/// Applies the publication rules, in order: acceptance, private earners,
/// not badged, and a certification superseding its single required exam.
fn publish(
    candidates: Vec<(Award, bool)>,
    badges: &[Badge],
    earners: &[Earner],
) -> (Vec<Award>, Vec<Unpublished>) {
    let mut unpublished = Vec::new();
    let mut kept = Vec::new();
    for (award, accepted) in candidates {
        let reason = if !accepted {
            Some(Reason::NotAccepted)
        } else if earners[award.earner].visibility == Visibility::Private {
            Some(Reason::PrivateEarner)
        } else if !badges[award.badge].badged {
            Some(Reason::NotBadged)
        } else {
            None
        };
        match reason {
            Some(reason) => unpublished.push(Unpublished {
                award: award.id,
                badge: badges[award.badge].id.clone(),
                reason,
            }),
            None => kept.push(award),
        }
    }
    // (earner, exam) pairs superseded by a held, unrevoked single-exam certification.
    let held: HashSet<(usize, usize)> = kept
        .iter()
        .filter(|a| a.status != Status::Revoked)
        .map(|a| (a.earner, a.badge))
        .collect();
    let mut superseding: HashMap<(usize, usize), usize> = HashMap::new();
    for &(earner, badge) in &held {
        if let [exam] = badges[badge].requires[..] {
            superseding.insert((earner, exam), badge);
        }
    }
    let mut published = Vec::with_capacity(kept.len());
    for award in kept {
        match superseding.get(&(award.earner, award.badge)) {
            Some(&cert) => unpublished.push(Unpublished {
                award: award.id,
                badge: badges[award.badge].id.clone(),
                reason: Reason::Superseded {
                    certification: badges[cert].id.clone(),
                },
            }),
            None => published.push(award),
        }
    }
    published.sort_by(|a, b| a.id.cmp(&b.id));
    unpublished.sort_by(|a, b| a.award.cmp(&b.award));
    (published, unpublished)
}

/// Stores the published awards and links them from their badges and earners.
fn attach_awards(site: &mut Site, awards: Vec<Award>) {
    for (i, a) in awards.iter().enumerate() {
        site.badges[a.badge].awards.push(i);
        site.earners[a.earner].awards.push(i);
    }
    for e in &mut site.earners {
        e.awards.sort_by(|&x, &y| {
            awards[y]
                .issued_on
                .cmp(&awards[x].issued_on)
                .then(awards[x].id.cmp(&awards[y].id))
        });
    }
    site.awards = awards;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_and_urls() {
        assert!(is_slug("az-900"));
        assert!(!is_slug("AZ-900"));
        assert!(!is_slug("-x"));
        assert!(is_absolute_url("https://example.org/credentials"));
        assert!(!is_absolute_url("example.org"));
        assert!(!is_absolute_url("https:///x"));
        assert!(is_email("a@example.com"));
        assert!(!is_email("a@example"));
    }
}
