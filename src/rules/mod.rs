//! The product rules: validates raw content and resolves it into a `Site`.
//!
//! Checks every record (ids, references, dates, images, languages) and
//! reports all problems at once; then applies acceptance, visibility,
//! not-badged, certification-supersedes-exam, retirement and status as of
//! the build's "now". Rendering never re-decides any of this.
//!
//! One file per concern: the site's settings and issuer (`settings`),
//! badge classes (`badges`), earners and awards (`awards`), and the
//! publication rules that decide what of them is published (`publish`).

mod awards;
mod badges;
mod insights;
mod publish;
mod settings;

use publish::attach_awards;

use std::collections::{BTreeMap, HashSet};

use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::Arc;

use crate::content::{Content, Localized, Spanned, pos};
use crate::dates::Date;
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
    pub(super) fn error(
        &mut self,
        file: &Path,
        at: Pos,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags.push(Diagnostic::error(file, at, msg).help(help));
    }

    pub(super) fn warn(
        &mut self,
        file: &Path,
        at: Pos,
        msg: impl Into<String>,
        help: impl Into<String>,
    ) {
        self.diags
            .push(Diagnostic::warning(file, at, msg).help(help));
    }

    /// A date field; the help says why an impossible date is impossible.
    pub(super) fn date(
        &mut self,
        file: &Path,
        field: &str,
        value: &Spanned<String>,
    ) -> Option<Date> {
        Date::parse_field(field, &value.value)
            .map_err(|(message, help)| self.error(file, pos(value), message, help))
            .ok()
    }

    /// A `revised_on` date: a correction cannot be dated after the build.
    pub(super) fn revised_on(
        &mut self,
        file: &Path,
        value: Option<&Spanned<String>>,
        now: Date,
    ) -> Option<Date> {
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
        let job_board = self.job_board(&languages);
        self.key_file();

        let mut badges = self.badges(&languages, now);
        let badge_index: HashMap<String, usize> = badges
            .iter()
            .enumerate()
            .map(|(i, b)| (b.id.clone(), i))
            .collect();
        self.link_requirements(&mut badges, &badge_index);

        let earners = self.earners(&languages);
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
        let insights = self.insights(&badges, now, &languages);
        let salary_search = self.salary_search(&languages);

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
            job_board,
            notify: self.notify(),
            accept: self.accept(),
            // Filled with the signing key (`build::load`).
            claims: Vec::new(),
            award_files: c
                .site
                .record
                .award_files
                .as_ref()
                .map(|a| a.value)
                .unwrap_or_default(),
            insights,
            salary_search,
            // Filled once the issuer's DID is known (`build::resolve`).
            endorsements: Vec::new(),
            certificate_pages: c
                .site
                .record
                .certificate_pages
                .as_ref()
                .is_some_and(|c| c.value),
        };
        attach_awards(&mut site, awards);
        self.faq(&mut site);
        site
    }

    /// A localized field must exist in the default language; other languages
    /// fall back to it with a warning.
    /// Skipped when `site.yaml` did not parse, since the languages are unknown.
    pub(super) fn localized(
        &mut self,
        file: &Path,
        field: &str,
        value: &Spanned<Localized>,
        languages: &[String],
    ) {
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

    /// A record's id: reported when malformed; a duplicate is reported and
    /// skipped (`None`), the first one wins.
    pub(super) fn unique_id(
        &mut self,
        rule: &IdRule,
        file: &Arc<Path>,
        value: &Spanned<String>,
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

    /// Resolves a reference to another record, with "did you mean". A name
    /// in `lost` belongs to a record that did not parse: its error is
    /// reported there, so this reference is not reported again.
    pub(super) fn reference<'k>(
        &mut self,
        file: &Path,
        what: &str,
        value: &Spanned<String>,
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
