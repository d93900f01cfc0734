//! The site's settings and its issuer: base URL, languages and their
//! strings, the job board, the signing key's place, the issuer's profile
//! and images, the FAQ, and init's placeholders left in place.

use std::path::Path;

use super::*;
use crate::content::{Localized, SmtpSecurity, Spanned, inside_root, pos};
use crate::dates::Date;
use crate::diagnostics::Pos;
use crate::site::*;

impl<'a> Resolver<'a> {
    /// `base_url` without a trailing slash; it must be absolute, since every
    /// credential id and QR code is built from it.
    pub(super) fn base_url(&mut self) -> String {
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
    pub(super) fn job_board(&mut self, languages: &[String]) -> Option<JobBoard> {
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
    pub(super) fn key_file(&mut self) {
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
    pub(super) fn languages(&mut self) -> Vec<String> {
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
    pub(super) fn language_ok(&mut self, l: &Spanned<String>, earlier: &[String]) -> bool {
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
    pub(super) fn interface_strings(&mut self, l: &Spanned<String>) {
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

    pub(super) fn issuer(&mut self, languages: &[String], now: Date) -> Issuer {
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
    pub(super) fn image_exists(&mut self, file: &Path, img: &Spanned<String>) -> bool {
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
    pub(super) fn png_artwork(&mut self, file: &Path, img: &Spanned<String>) {
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

    /// A warning for each of `accolade init`'s placeholders still in place
    /// (`starter`): published, they would speak for an issuer that does
    /// not exist.
    pub(super) fn placeholders(&mut self) {
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
        let plain = |v: &'a Spanned<String>| (pos(v), vec![v.value.as_str()]);
        let localized = |v: &'a Spanned<Localized>| (pos(v), v.value.texts());
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
    pub(super) fn faq(&mut self, site: &mut Site) {
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

impl Resolver<'_> {
    /// `notify:` with its defaults; the sender must be an address (a name
    /// before it in `<…>` is allowed), the SMTP host a name.
    pub(super) fn notify(&mut self) -> Notify {
        let c = self.content;
        let file: &Path = &c.site.file;
        let n = c.site.record.notify.as_ref();
        let number = |v: Option<&Spanned<u32>>, default| v.map_or(default, |v| v.value);
        let from = n.and_then(|n| n.from.as_ref()).map(|f| {
            let text = f.value.trim();
            let address = text
                .rsplit_once('<')
                .map_or(text, |(_, a)| a.trim_end_matches('>'))
                .trim();
            if !is_email(address) {
                self.error(
                    file,
                    pos(f),
                    format!("`notify.from` `{text}` is not an email address"),
                    "write the sender, e.g. `Example Academy <credentials@example.org>`",
                );
            }
            text.to_string()
        });
        let smtp = n.and_then(|n| n.smtp.as_ref()).map(|s| {
            let host = s.host.value.trim();
            if host.is_empty() || host.contains(['/', ':', ' ']) {
                self.error(
                    file,
                    pos(&s.host),
                    format!("`notify.smtp.host` must be a host name, found `{host}`"),
                    "write the mail server's name alone, e.g. `smtp.example.org` (the port goes in `port`)",
                );
            }
            let security = s.security.as_ref().map(|s| s.value).unwrap_or_default();
            let port = s.port.as_ref().map_or(
                match security {
                    SmtpSecurity::Starttls => 587,
                    SmtpSecurity::Tls => 465,
                    SmtpSecurity::None => 25,
                },
                |p| p.value,
            );
            Smtp {
                host: host.to_string(),
                port,
                security,
                user: s.user.as_ref().map(|u| u.value.trim().to_string()),
            }
        });
        Notify {
            from,
            smtp,
            unclaimed_reminder_days: number(n.and_then(|n| n.unclaimed_reminder_days.as_ref()), 14),
            unclaimed_reminders: number(n.and_then(|n| n.unclaimed_reminders.as_ref()), 2),
            expiry_reminder_days: number(n.and_then(|n| n.expiry_reminder_days.as_ref()), 60),
        }
    }

    /// `claims.accept`: `mailto` (the default) or a form's https URL with
    /// `{token}`.
    pub(super) fn accept(&mut self) -> Accept {
        let c = self.content;
        let Some(v) = c
            .site
            .record
            .claims
            .as_ref()
            .and_then(|c| c.accept.as_ref())
        else {
            return Accept::Mailto;
        };
        let text = v.value.trim();
        if text == "mailto" {
            return Accept::Mailto;
        }
        if !(text.starts_with("https://") && is_absolute_url(text) && text.contains("{token}")) {
            self.error(
                &c.site.file,
                pos(v),
                format!("`claims.accept` must be `mailto` or an https URL with `{{token}}`, found `{text}`"),
                "write `mailto` (earners write to the issuer's address) or your form's address, e.g. `https://forms.example.org/claim?token={token}`",
            );
        }
        Accept::Form(text.to_string())
    }
}
