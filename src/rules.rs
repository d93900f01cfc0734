//! The product rules: validates raw content and resolves it into a `Site`.
//!
//! Checks every record (ids, references, dates, images, languages) and
//! reports all problems at once; then applies acceptance, visibility,
//! not-badged, certification-supersedes-exam, retirement and status as of
//! the build's "now". Rendering never re-decides any of this.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

use crate::content::{
    AwardFile, BadgeFile, Content, Kind, Localized, Located, RevokedFile, S, Visibility,
    inside_root, pos,
};
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
    // Content with files that did not parse is checked, never built.
    let site = (!diags.has_errors() && content.is_complete()).then_some(site);
    (site, diags)
}

/// What an id of one kind of record must look like, and the help lines.
struct IdRule {
    kind: &'static str,
    valid: fn(&str) -> bool,
    help: &'static str,
    duplicate_help: &'static str,
}

struct Resolver<'a> {
    diags: Diagnostics,
    content: &'a Content,
}

/// The badges and earners awards may name, and their indexes by id.
struct Known<'a> {
    badges: &'a [Badge],
    badge_index: &'a HashMap<String, usize>,
    earners: &'a [Earner],
    earner_index: &'a HashMap<&'a str, usize>,
    issuer: &'a Issuer,
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

    /// A date field; the help says why an impossible date is impossible.
    fn date(&mut self, file: &Path, field: &str, value: &S<String>) -> Option<Date> {
        Date::parse_field(field, &value.value)
            .map_err(|(message, help)| self.error(file, pos(value), message, help))
            .ok()
    }

    /// A `revised_on` date: a correction cannot be dated after the build.
    fn revised_on(&mut self, file: &Path, value: Option<&S<String>>, now: Date) -> Option<Date> {
        let value = value?;
        let d = self.date(file, "revised_on", value)?;
        if d > now {
            self.error(
                file,
                pos(value),
                format!("`revised_on` {d} is in the future (the build date is {now})"),
                "write the day of the correction; `accolade build --reissue` writes today's date for you",
            );
        }
        Some(d)
    }

    fn run(&mut self, now_epoch: i64) -> Site {
        let now = Date::from_unix(now_epoch);
        let c = self.content;
        let base_url = self.base_url();
        let languages = self.languages();
        let issuer = self.issuer(&languages, now);
        self.localized(&c.site.file, "title", &c.site.record.title, &languages);
        self.placeholders();
        let jobs = self.jobs(&languages);
        self.key_file();

        let mut badges = self.badges(&languages, now);
        let badge_index: HashMap<String, usize> = badges
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        self.link_requirements(&mut badges, &badge_index);

        let earners = self.earners();
        let earner_index: HashMap<&str, usize> = earners
            .iter()
            .enumerate()
            .map(|(i, e)| (e.id.as_str(), i))
            .collect();
        let known = Known {
            badges: &badges,
            badge_index: &badge_index,
            earners: &earners,
            earner_index: &earner_index,
            issuer: &issuer,
        };
        let (awards, unpublished) = self.awards(now, &known);

        let mut site = Site {
            root: c.root.clone(),
            title: c.site.record.title.value.clone(),
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
            // Filled by the pipeline's signing step (`build::resolve`).
            issuing: Issuing {
                did: String::new(),
                previous_keys: Vec::new(),
                status_index: HashMap::new(),
            },
            jobs,
            award_files: c
                .site
                .record
                .award_files
                .as_ref()
                .map(|a| a.value)
                .unwrap_or_default(),
        };
        attach_awards(&mut site, awards);
        self.faq(&mut site);
        site
    }

    /// `base_url` without a trailing slash; it must be absolute, since every
    /// credential id and QR code is built from it.
    fn base_url(&mut self) -> String {
        let s = &self.content.site;
        let base_url = s
            .record
            .base_url
            .value
            .trim()
            .trim_end_matches('/')
            .to_string();
        if !is_absolute_url(&base_url) {
            self.error(
                &s.file,
                pos(&s.record.base_url),
                format!("`base_url` must be an absolute http(s) URL, found `{}`", s.record.base_url.value),
                "every credential id and QR code is built from it: write e.g. `https://credentials.example.org`",
            );
        }
        base_url
    }

    /// `jobs`: the search URL must be absolute http(s) and say where the
    /// skill goes (`{skill}`, after the host), or every link would be wrong.
    fn jobs(&mut self, languages: &[String]) -> Option<JobBoard> {
        let c = self.content;
        let file: &Path = &c.site.file;
        let jobs = &c.site.record.jobs.as_ref()?.value;
        let url = jobs.url.value.trim();
        let example = "e.g. `https://jobs.example.org/search?q={skill}`";
        let host = url.split("://").nth(1).unwrap_or_default();
        let host = host.split(['/', '?', '#']).next().unwrap_or_default();
        if !url.contains("{skill}") {
            self.error(
                file,
                pos(&jobs.url),
                format!("`jobs.url` has no `{{skill}}` placeholder: `{url}`"),
                format!("write `{{skill}}` where the search words go, {example}"),
            );
        } else if !is_absolute_url(&url.replace("{skill}", "x")) || host.contains("{skill}") {
            self.error(
                file,
                pos(&jobs.url),
                format!("`jobs.url` must be an absolute http(s) URL with `{{skill}}` after the host, found `{url}`"),
                format!("write the job board's search address, {example}"),
            );
        }
        self.localized(file, "jobs.name", &jobs.name, languages);
        Some(JobBoard {
            name: jobs.name.value.clone(),
            url: url.to_string(),
        })
    }

    /// `signing.key_file` must stay inside the site: a key read from
    /// elsewhere on the machine is not this site's to sign with.
    fn key_file(&mut self) {
        let s = &self.content.site;
        let Some(key) = s.record.signing.as_ref().and_then(|k| k.key_file.as_ref()) else {
            return;
        };
        if let Err(why) = inside_root(&self.content.root, key.value.trim()) {
            self.error(
                &s.file,
                pos(key),
                format!("`key_file` `{}` is outside the site: it {why}", key.value.trim()),
                "keep the key under the site directory, e.g. `keys/issuer.ed25519`, or pass it in ACCOLADE_SIGNING_KEY",
            );
        }
    }

    /// The site's languages, the default first; each a valid, unique code
    /// the theme has interface strings for.
    fn languages(&mut self) -> Vec<String> {
        let c = self.content;
        let mut out = Vec::new();
        if let Some(list) = &c.site.record.languages {
            if list.value.is_empty() {
                self.error(
                    &c.site.file,
                    pos(list),
                    "`languages` is empty",
                    "list at least one language, e.g. `[en]`",
                );
            }
            for l in &list.value {
                let code = l.value.trim();
                if self.language_ok(l, &out) {
                    self.interface_strings(l);
                }
                out.push(code.to_string());
            }
        }
        if out.is_empty() {
            out.push("en".into());
        }
        out
    }

    /// A BCP 47-shaped code not listed before.
    fn language_ok(&mut self, l: &S<String>, earlier: &[String]) -> bool {
        let file = &self.content.site.file;
        let code = l.value.trim();
        let valid = !code.is_empty()
            && code.split('-').all(|p| {
                !p.is_empty() && p.len() <= 8 && p.bytes().all(|b| b.is_ascii_alphanumeric())
            });
        if !valid {
            self.error(
                file,
                pos(l),
                format!("`{code}` is not a language code"),
                "use BCP 47 codes such as `en`, `zh-CN`, `pt-BR`",
            );
        } else if earlier.iter().any(|o| o == code) {
            self.error(
                file,
                pos(l),
                format!("language `{code}` is listed twice"),
                "list each language once",
            );
            return false;
        }
        valid
    }

    /// The theme must translate its interface into the language (unless the
    /// theme itself failed to load, which is reported already).
    fn interface_strings(&mut self, l: &S<String>) {
        let c = self.content;
        let code = l.value.trim();
        if c.failed.theme || c.theme.get(&format!("i18n/{code}.yaml")).is_some() {
            return;
        }
        let known: Vec<String> = c
            .theme
            .under("i18n/")
            .map(|(k, _)| k.trim_end_matches(".yaml").to_string())
            .collect();
        self.error(
            &c.site.file,
            pos(l),
            format!(
                "language `{code}` has no interface strings: theme `{}` has no `i18n/{code}.yaml`",
                c.theme.name
            ),
            format!(
                "add `themes/{}/i18n/{code}.yaml` (copy an existing one and translate it); available: {}",
                c.theme.name,
                known.join(", ")
            ),
        );
    }

    fn issuer(&mut self, languages: &[String], now: Date) -> Issuer {
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
        self.localized(file, "name", &i.name, languages);
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
            revised_on: self.revised_on(file, i.revised_on.as_ref(), now),
        }
    }

    /// An image referenced from content must be inside the site (artwork is
    /// published and drawn into baked images: a path or link to elsewhere on
    /// the machine would publish that file), PNG or SVG, and exist.
    fn image_exists(&mut self, file: &Path, img: &S<String>) -> bool {
        let rel = img.value.trim();
        let root = &self.content.root;
        let path = match inside_root(root, Path::new("content").join(rel)) {
            Ok(path) => path,
            Err(why) => {
                self.error(
                    file,
                    pos(img),
                    format!("image `{rel}` is outside the site: it {why}"),
                    "keep artwork under `content/` and write its path relative to it, e.g. `images/az-900.svg`",
                );
                return false;
            }
        };
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
        if !path.is_file() {
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
    /// Skipped when `site.yaml` did not parse, since the languages are unknown.
    fn localized(&mut self, file: &Path, field: &str, value: &S<Localized>, languages: &[String]) {
        let Localized::PerLanguage(map) = &value.value else {
            return;
        };
        if self.content.failed.site {
            return;
        }
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

    /// Every badge class that has a usable id, checked, sorted by id.
    fn badges(&mut self, languages: &[String], now: Date) -> Vec<Badge> {
        let c = self.content;
        let mut seen: HashMap<String, Arc<Path>> = HashMap::new();
        let mut out = Vec::new();
        for l in &c.badges {
            let Some(id) = self.badge_id(l, &mut seen) else {
                continue;
            };
            let file: &Path = &l.file;
            let b = &l.record;
            for (field, v) in [
                ("name", &b.name),
                ("description", &b.description),
                ("criteria", &b.criteria),
            ] {
                self.localized(file, field, v, languages);
            }
            for skill in &b.skills {
                self.localized(file, "skills", skill, languages);
            }
            self.image_exists(file, &b.image);
            if b.kind.value == Kind::Exam && !b.requires.is_empty() {
                self.error(file, pos(&b.requires[0]), "an exam cannot have `requires`", "only certifications require exams; change `kind` to `certification` or remove `requires`");
            }
            let validity = self.validity(file, b);
            let retired_on = b
                .retired_on
                .as_ref()
                .and_then(|v| self.date(file, "retired_on", v));
            let alignment = self.alignment(file, b);
            let revised_on = self.revised_on(file, b.revised_on.as_ref(), now);
            out.push(Badge {
                id,
                kind: b.kind.value,
                name: b.name.value.clone(),
                description: b.description.value.clone(),
                criteria: b.criteria.value.clone(),
                image: b.image.value.trim().to_string(),
                skills: b.skills.iter().map(|s| s.value.clone()).collect(),
                alignment,
                validity,
                requires: Vec::new(),
                required_by: Vec::new(),
                badged: b.badged,
                retired_on,
                revised_on,
                awards: Vec::new(),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// A badge's id: a slug, and the first of its name (a duplicate is
    /// reported and skipped, `None`). A file named otherwise gets a warning.
    fn badge_id(
        &mut self,
        l: &Located<BadgeFile>,
        seen: &mut HashMap<String, Arc<Path>>,
    ) -> Option<String> {
        let file: &Path = &l.file;
        let b = &l.record;
        let rule = IdRule {
            kind: "badge",
            valid: is_slug,
            help: "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `az-900`",
            duplicate_help: "every badge needs its own id",
        };
        let id = self.unique_id(&rule, &l.file, &b.id, seen)?;
        if file.file_stem().and_then(|s| s.to_str()) != Some(id.as_str()) {
            self.warn(
                file,
                pos(&b.id),
                format!("badge `{id}` is defined in a file of another name"),
                format!("name the file `{id}.yaml` so it is easy to find"),
            );
        }
        Some(id)
    }

    /// `validity: 1y`, `18m`, `90d`.
    fn validity(&mut self, file: &Path, b: &BadgeFile) -> Option<Period> {
        let v = b.validity.as_ref()?;
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
    }

    /// Alignment entries, each with an absolute URL.
    fn alignment(&mut self, file: &Path, b: &BadgeFile) -> Vec<Alignment> {
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
        b.alignment
            .iter()
            .map(|a| Alignment {
                name: a.name.value.clone(),
                url: a.url.value.trim().to_string(),
                framework: a.framework.clone(),
                code: a.code.clone(),
                description: a.description.clone(),
            })
            .collect()
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
                    // Defined in a badge file that did not parse: reported there.
                    None if c.failed.badge_ids.contains(name) => {}
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
            let rule = IdRule {
                kind: "earner",
                valid: is_slug,
                help: "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `e-li-lei`",
                duplicate_help: "every earner needs their own id",
            };
            let Some(id) = self.unique_id(&rule, &l.file, &e.id, &mut seen) else {
                continue;
            };
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

    /// Every award record checked and resolved, then the publication rules
    /// applied: (published, unpublished).
    fn awards(&mut self, now: Date, known: &Known) -> (Vec<Award>, Vec<Unpublished>) {
        let c = self.content;
        let owners = award_owners(&c.awards);
        // Accepted or not, well-formed awards before the publication rules.
        let mut candidates: Vec<(Award, bool)> = Vec::new();
        for (i, l) in c.awards.iter().enumerate() {
            let id = self.award_id(l);
            let owner = owners.get(id.as_str()).copied().unwrap_or(i);
            // A second copy is checked like any record (all its errors in one
            // run), then reported and left out.
            let candidate = self.award(id, l, now, known);
            if owner != i {
                self.duplicate_award(l, &c.awards[owner]);
            } else if let Some(candidate) = candidate {
                candidates.push(candidate);
            }
        }
        publish(candidates, known.badges, known.earners)
    }

    /// A record whose id an earlier-issued (or earlier-written) record has.
    fn duplicate_award(&mut self, l: &Located<AwardFile>, first: &Located<AwardFile>) {
        let id = l.record.id.value.trim();
        let at = pos(&first.record.id);
        let msg = format!(
            "duplicate award id `{id}`: award `{id}` is already issued at `{}:{}:{}`",
            first.file.display(),
            at.line,
            at.column
        );
        self.error(
            &l.file,
            pos(&l.record.id),
            msg,
            "award ids are permanent and unique: the earlier record keeps it; give this award a new id with `accolade award` (or remove the copy)",
        );
    }

    /// A record's id: reported when malformed; a duplicate is reported and
    /// skipped (`None`), the first one wins.
    fn unique_id(
        &mut self,
        rule: &IdRule,
        file: &Arc<Path>,
        value: &S<String>,
        seen: &mut HashMap<String, Arc<Path>>,
    ) -> Option<String> {
        let id = value.value.trim().to_string();
        let kind = rule.kind;
        if !(rule.valid)(&id) {
            let msg = format!("{kind} id `{id}` is not valid");
            self.error(file, pos(value), msg, rule.help);
        }
        if let Some(first) = seen.get(&id) {
            let msg = format!(
                "duplicate {kind} id `{id}`, first defined in `{}`",
                first.display()
            );
            self.error(file, pos(value), msg, rule.duplicate_help);
            return None;
        }
        seen.insert(id.clone(), file.clone());
        Some(id)
    }

    /// An award's id, reported when malformed (duplicates: [`award_owners`]).
    fn award_id(&mut self, l: &Located<AwardFile>) -> String {
        let id = l.record.id.value.trim().to_string();
        if !is_award_id(&id) {
            self.error(
                &l.file,
                pos(&l.record.id),
                format!("award id `{id}` is not valid"),
                "award ids are 4–64 letters, digits, `-` or `_`; `accolade award` mints them",
            );
        }
        id
    }

    /// One award checked field by field (every error is recorded), and its
    /// status and acceptance; `None` when its badge, earner or issue date is
    /// unusable.
    fn award(
        &mut self,
        id: String,
        l: &Located<AwardFile>,
        now: Date,
        known: &Known,
    ) -> Option<(Award, bool)> {
        let file: &Path = &l.file;
        let a = &l.record;
        let badge = self.award_badge(file, a, known);
        let earner = self.award_earner(file, a, known);
        let (issued_on, expires_on) = self.award_dates(file, a, now);
        let revoked = a
            .revoked
            .as_ref()
            .and_then(|r| self.revocation(file, r, issued_on));
        let evidence = self.evidence(file, a);
        let revised_on = self.revised_on(file, a.revised_on.as_ref(), now);
        if let (Some(r), Some(i), Some(v)) = (revised_on, issued_on, &a.revised_on)
            && r < i
        {
            self.error(
                file,
                pos(v),
                format!("`revised_on` {r} is before `issued_on` {i}"),
                "an award can only be corrected after it is issued",
            );
        }
        let (badge, earner, issued_on) = (badge?, earner?, issued_on?);
        // The latest correction since issue, of the award, its badge or the
        // issuer: what the credential's current version is dated.
        let version_on = [
            revised_on,
            known.badges[badge].revised_on,
            known.issuer.revised_on,
        ]
        .into_iter()
        .flatten()
        .fold(issued_on, Date::max);
        let expires_on =
            expires_on.or_else(|| known.badges[badge].validity.map(|p| issued_on.add(p)));
        let status = match (&revoked, expires_on) {
            (Some(_), _) => Status::Revoked,
            (None, Some(e)) if e <= now => Status::Expired,
            _ => Status::Valid,
        };
        let accepted = a.accepted.unwrap_or(known.earners[earner].auto_accept);
        let award = Award {
            id,
            badge,
            earner,
            issued_on,
            expires_on,
            evidence,
            revoked,
            status,
            version_on,
        };
        Some((award, accepted))
    }

    fn award_badge(&mut self, file: &Path, a: &AwardFile, known: &Known) -> Option<usize> {
        let (index, content) = (known.badge_index, self.content);
        self.reference(
            file,
            "badge",
            &a.badge,
            index.keys().map(String::as_str),
            |n| index.get(n).copied(),
            &content.failed.badge_ids,
        )
    }

    fn award_earner(&mut self, file: &Path, a: &AwardFile, known: &Known) -> Option<usize> {
        let (index, content) = (known.earner_index, self.content);
        self.reference(
            file,
            "earner",
            &a.earner,
            index.keys().copied(),
            |n| index.get(n).copied(),
            &content.failed.earner_ids,
        )
    }

    /// `issued_on` (not after the build) and `expires_on` as written (after
    /// the issue date).
    fn award_dates(
        &mut self,
        file: &Path,
        a: &AwardFile,
        now: Date,
    ) -> (Option<Date>, Option<Date>) {
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
        let written = a.expires_on.as_ref();
        let expires_on = written.and_then(|v| self.date(file, "expires_on", v));
        if let (Some(i), Some(e), Some(v)) = (issued_on, expires_on, written)
            && e <= i
        {
            self.error(
                file,
                pos(v),
                format!("`expires_on` {e} is not after `issued_on` {i}"),
                "an award must expire after it is issued",
            );
        }
        (issued_on, expires_on)
    }

    /// `revoked: { on, reason }`; not before the award was issued.
    fn revocation(
        &mut self,
        file: &Path,
        r: &RevokedFile,
        issued_on: Option<Date>,
    ) -> Option<Revocation> {
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
    }

    /// Evidence entries, each with an absolute URL.
    fn evidence(&mut self, file: &Path, a: &AwardFile) -> Vec<Evidence> {
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
        a.evidence
            .iter()
            .map(|e| Evidence {
                url: e.url.value.trim().to_string(),
                narrative: e.narrative.clone(),
            })
            .collect()
    }

    /// Resolves a reference to another record, with "did you mean". A name
    /// in `lost` belongs to a record that did not parse: its error is
    /// reported there, so this reference is not reported again.
    fn reference<'k>(
        &mut self,
        file: &Path,
        what: &str,
        value: &S<String>,
        names: impl Iterator<Item = &'k str>,
        find: impl Fn(&str) -> Option<usize>,
        lost: &HashSet<String>,
    ) -> Option<usize> {
        let name = value.value.trim();
        let found = find(name);
        if found.is_none() && !lost.contains(name) {
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

    /// A warning for each of `accolade init`'s placeholders still in place
    /// (`starter`): published, they would speak for an issuer that does
    /// not exist.
    fn placeholders(&mut self) {
        use crate::starter::{self, Placeholder};
        let c = self.content;
        if c.failed.site {
            return;
        }
        let file: &Path = &c.site.file;
        let site = &c.site.record;
        let i = &site.issuer;
        let mut warn = |at: Pos, p: &Placeholder, shown: &str| {
            let msg = format!("{} is still the starter site's placeholder {shown}", p.what);
            self.warn(file, at, msg, p.help);
        };
        let plain = |v: &'a S<String>| (pos(v), vec![v.value.as_str()]);
        let localized = |v: &'a S<Localized>| (pos(v), v.value.texts());
        for ((at, texts), p) in [
            (plain(&site.base_url), &starter::BASE_URL),
            (localized(&site.title), &starter::TITLE),
            (localized(&i.name), &starter::ISSUER_NAME),
            (plain(&i.url), &starter::ISSUER_URL),
            (plain(&i.email), &starter::ISSUER_EMAIL),
        ] {
            if texts
                .iter()
                .any(|t| t.trim().trim_end_matches('/') == p.value)
            {
                warn(at, p, &format!("`{}`", p.value));
            }
        }
        if let Some(img) = &i.image
            && std::fs::read(c.root.join("content").join(img.value.trim()))
                .is_ok_and(|bytes| bytes == starter::LOGO.value.as_bytes())
        {
            warn(pos(img), &starter::LOGO, "(the \"EA\" square)");
        }
        let email = starter::ISSUER_EMAIL.value;
        for (path, text) in c.faq.values() {
            if let Some(line) = text.lines().position(|l| l.contains(email)) {
                let column = text
                    .lines()
                    .nth(line)
                    .and_then(|l| l.find(email).map(|b| l[..b].chars().count()))
                    .unwrap_or(0);
                let rel = path.strip_prefix(&c.root).unwrap_or(path);
                self.warn(
                    rel,
                    Pos::new(line + 1, column + 1).with_len(email.len()),
                    format!("the FAQ still gives the starter site's placeholder address `{email}`"),
                    "write the issuer's real contact address here",
                );
            }
        }
    }

    /// The FAQ in each site language; a missing one is a warning (skipped
    /// when `site.yaml` did not parse, since the languages are unknown).
    fn faq(&mut self, site: &mut Site) {
        if self.content.failed.site {
            return;
        }
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

/// For each award id written more than once, the record that keeps it: the
/// one issued first (then the one written first), since the others are the
/// copies made later; those are the records reported.
fn award_owners(awards: &[Located<AwardFile>]) -> HashMap<&str, usize> {
    let issued = |i: usize| Date::parse(awards[i].record.issued_on.value.trim());
    let mut owners: HashMap<&str, usize> = HashMap::with_capacity(awards.len());
    for (i, l) in awards.iter().enumerate() {
        owners
            .entry(l.record.id.value.trim())
            .and_modify(|o| {
                // A date that does not parse sorts last: that record is the odd one.
                let key = |j: usize| (issued(j).is_none(), issued(j), j);
                if key(i) < key(*o) {
                    *o = i;
                }
            })
            .or_insert(i);
    }
    owners
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
