//! One message of `notify` as bytes: the theme's `email.txt` and
//! `email.html` in the earner's language, with the headers mail programs
//! and providers expect (a stable `Message-ID`, `Reply-To` the issuer,
//! `Auto-Submitted`, `List-Unsubscribe`). Only the earner's own address is
//! in it. The same content, time and key give the same bytes.

use lettre::message::header::{HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart, SinglePart};
use serde::Serialize;
use sha2::Digest;
use tera::{Context, Tera};

use super::{Due, Kind};
use crate::diagnostics::{Diagnostic, Diagnostics};
use crate::paths;
use crate::render::i18n::Strings;
use crate::site::Site;
use crate::theme::Theme;

/// Renders messages; holds the templates and every language's strings.
pub struct Mailer<'s> {
    site: &'s Site,
    tera: Tera,
    strings: Vec<Strings>,
    from: Mailbox,
    /// The host of `base_url`: the right-hand side of Message-IDs.
    host: String,
}

/// A rendered message and who it goes to.
pub struct Mail {
    pub to: String,
    pub message_id: String,
    pub subject: String,
    pub message: lettre::Message,
}

/// What the templates get as `mail`.
#[derive(Serialize)]
struct MailView<'a> {
    kind: &'static str,
    subject: &'a str,
    earner: &'a str,
    badge: &'a str,
    badge_image: String,
    issuer: &'a str,
    issuer_url: &'a str,
    site_title: &'a str,
    issued_on: String,
    expires_on: Option<String>,
    days_left: Option<i64>,
    reminder: u32,
    verify_url: String,
    linkedin_url: Option<String>,
    claim_url: Option<String>,
    recertification_url: Option<&'a str>,
    unsubscribe_url: String,
}

impl<'s> Mailer<'s> {
    pub fn new(site: &'s Site, theme: &Theme) -> Result<Mailer<'s>, Diagnostics> {
        let mut diags = Diagnostics::default();
        let tera = crate::render::compile_templates(theme).map_err(|d| {
            diags.push(d);
            std::mem::take(&mut diags)
        })?;
        let mut strings = Vec::new();
        for lang in &site.languages {
            match Strings::load(theme, lang) {
                Ok(s) => strings.push(s),
                Err(errs) => errs.into_iter().for_each(|d| diags.push(d)),
            }
        }
        let from_text = site.notify.from.clone().unwrap_or_else(|| {
            format!(
                "{} <{}>",
                site.issuer_name(site.default_lang()),
                site.issuer.email
            )
        });
        let from = parse_mailbox(&from_text).map_err(|e| {
            diags.push(Diagnostic::error(
                "content/site.yaml",
                Default::default(),
                format!("the sender `{from_text}` is not a mailbox: {e}"),
            ));
            std::mem::take(&mut diags)
        })?;
        if diags.has_errors() {
            return Err(diags);
        }
        // `rules` made sure base_url is an absolute http(s) URL.
        let host = url::Url::parse(&site.base_url)
            .ok()
            .and_then(|u| u.host_str().map(str::to_string))
            .unwrap_or_default();
        Ok(Mailer {
            site,
            tera,
            strings,
            from,
            host,
        })
    }

    /// The message of `due`, dated `now` (seconds since 1970).
    pub fn render(&self, due: &Due, now: i64) -> Result<Mail, String> {
        let site = self.site;
        let award = due.award(site);
        let earner = &site.earners[award.earner];
        let lang = site
            .languages
            .iter()
            .position(|l| *l == earner.language)
            .unwrap_or(0);
        let s = &self.strings[lang];
        let badge = &site.badges[award.badge];
        let badge_name = site.text(&badge.name, &s.lang);
        let issuer = site.issuer_name(&s.lang);
        let prefix = site.lang_prefix(&s.lang);
        let claim_url = due.claim.map(|c| {
            site.url(&paths::in_lang(
                &prefix,
                &paths::claim_page(&site.claims[c].token),
            ))
        });
        let date = |d| s.date(d);
        let subject = s.fill(
            &format!("mail_subject_{}", due.kind.template()),
            &[
                ("badge", badge_name),
                ("issuer", issuer),
                ("date", &award.expires_on.map(date).unwrap_or_default()),
            ],
        );
        let published = due.claim.is_none();
        let view = MailView {
            kind: due.kind.template(),
            subject: &subject,
            earner: &earner.name,
            badge: badge_name,
            badge_image: site.url(&paths::badge_png_sized(&badge.id, 220)),
            issuer,
            issuer_url: &site.issuer.url,
            site_title: site.text(&site.title, &s.lang),
            issued_on: date(award.issued_on),
            expires_on: award.expires_on.map(date),
            days_left: award
                .expires_on
                .map(|e| e.days_since_epoch() - site.now.days_since_epoch()),
            reminder: match due.kind {
                Kind::Unclaimed(n) => n,
                _ => 0,
            },
            verify_url: site.url(&paths::in_lang(&prefix, &paths::award_page(&award.id))),
            linkedin_url: published
                .then(|| crate::render::share::page_share(site, award, s).linkedin_add),
            claim_url,
            recertification_url: badge.recertification_url.as_deref(),
            unsubscribe_url: self.unsubscribe(&earner.id),
        };
        let mut ctx = Context::new();
        ctx.insert("mail", &view);
        ctx.insert("t", &s.all);
        ctx.insert("lang", &s.lang);
        let render = |name: &str| {
            self.tera
                .render(name, &ctx)
                .map_err(|e| format!("template `{name}`: {e}"))
        };
        let (text, html) = (render("email.txt")?, render("email.html")?);
        let to = Mailbox::new(
            Some(earner.name.clone()),
            earner
                .email
                .parse()
                .map_err(|e| format!("the earner's address: {e}"))?,
        );
        let message_id = format!(
            "<{}.{}@{}>",
            award.id.to_ascii_lowercase(),
            due.kind.name(),
            self.host
        );
        // A boundary no quoted-printable body can contain (`=_`), the
        // same for the same message.
        let digest = sha2::Sha256::digest(message_id.as_bytes());
        let boundary = format!("=_accolade_{}", crate::openbadges::hex(&digest[..12]));
        let header = |name: &'static str, value: String| {
            HeaderValue::new(HeaderName::new_from_ascii_str(name), value)
        };
        let message = lettre::Message::builder()
            .from(self.from.clone())
            .reply_to(Mailbox::new(
                Some(issuer.to_string()),
                site.issuer
                    .email
                    .parse()
                    .map_err(|e| format!("the issuer's address: {e}"))?,
            ))
            .to(to)
            .subject(subject.clone())
            .date(std::time::UNIX_EPOCH + std::time::Duration::from_secs(now.max(0) as u64))
            .message_id(Some(message_id.clone()))
            .raw_header(header("Auto-Submitted", "auto-generated".into()))
            .raw_header(header(
                "List-Unsubscribe",
                format!("<{}>", view.unsubscribe_url),
            ))
            .raw_header(header("Content-Language", s.lang.clone()))
            .multipart(
                MultiPart::alternative()
                    .boundary(boundary)
                    .singlepart(SinglePart::plain(text))
                    .singlepart(SinglePart::html(html)),
            )
            .map_err(|e| format!("cannot build the message: {e}"))?;
        Ok(Mail {
            to: earner.email.clone(),
            message_id,
            subject,
            message,
        })
    }

    /// A `mailto:` that asks the issuer to stop messages to an earner
    /// (`accolade unsubscribe EARNER` records it).
    fn unsubscribe(&self, earner: &str) -> String {
        format!(
            "mailto:{}?subject={}",
            self.site.issuer.email,
            crate::render::share::encode(&format!("unsubscribe {earner}"))
        )
    }
}

fn parse_mailbox(text: &str) -> Result<Mailbox, String> {
    text.parse::<Mailbox>().map_err(|e| e.to_string())
}
