//! The resolved site: what is published, with every rule already applied.
//! Renderers read this model (borrowed, never cloned per page); they never
//! look at raw content or decide a rule themselves.

use std::collections::BTreeMap;

use foldhash::HashMap;
use std::path::PathBuf;

use crate::content::{Kind, Localized, Visibility};
use crate::dates::{Date, Period};

pub struct Site {
    pub root: PathBuf,
    pub title: Localized,
    /// Absolute, without a trailing slash: `https://example.org/credentials`.
    pub base_url: String,
    /// The first is the default language, rendered at the root.
    pub languages: Vec<String>,
    pub issuer: Issuer,
    /// All badge classes, sorted by id.
    pub badges: Vec<Badge>,
    pub earners: Vec<Earner>,
    /// Published awards only, sorted by id.
    pub awards: Vec<Award>,
    /// Awards that exist in content but produce nothing, and why.
    pub unpublished: Vec<Unpublished>,
    /// The build's "now".
    pub now: Date,
    pub now_epoch: i64,
    /// FAQ Markdown by language.
    pub faq: BTreeMap<String, String>,
    pub badge_index: HashMap<String, usize>,
    /// Open Badges 3.0 issuing: the issuer's DID, retired public keys, and
    /// every award's permanent status-list index. (The secret key is not part
    /// of the model; `build` loads it.)
    pub issuing: Issuing,
    /// Which per-award files are published (`award_files` in site.yaml).
    pub award_files: crate::content::AwardFiles,
    /// Labour-market insights (`content/insights/`), checked.
    pub insights: Vec<Insight>,
    /// A salary search per skill and region (`insights.salary_search`).
    pub salary_search: Option<JobBoard>,
    /// Checked endorsements of badges and the issuer (`content/endorsements/`).
    pub endorsements: Vec<crate::endorse::Endorsement>,
    /// Whether each award keeps its old certificate address
    /// (`certificate_pages` in site.yaml; off by default).
    pub certificate_pages: bool,
    /// The job board of `site.yaml`'s `jobs`, if any.
    pub job_board: Option<JobBoard>,
    /// How `accolade notify` reaches earners (`notify` in site.yaml).
    pub notify: Notify,
    /// How an earner accepts a pending award (`claims.accept`).
    pub accept: Accept,
    /// Claim addresses, pending awards' first (see `claims`); filled with
    /// the signing key, whose derived secret makes the tokens.
    pub claims: Vec<Claim>,
}

/// A claim address (`/claim/<token>/`): a pending award's claim page, or,
/// once claimed, the way on to its verification page.
pub struct Claim {
    pub token: String,
    pub of: ClaimOf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ClaimOf {
    /// An index into `Site::unpublished`.
    Pending(usize),
    /// An index into `Site::awards`.
    Claimed(usize),
}

/// `notify:` with its defaults applied.
pub struct Notify {
    /// The From of messages; default the site's title and the issuer's address.
    pub from: Option<String>,
    pub smtp: Option<Smtp>,
    pub unclaimed_reminder_days: u32,
    pub unclaimed_reminders: u32,
    pub expiry_reminder_days: u32,
}

pub struct Smtp {
    pub host: String,
    pub port: u16,
    pub security: crate::content::SmtpSecurity,
    pub user: Option<String>,
}

/// Where a claim page sends an earner who accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Accept {
    /// A message to the issuer's address, the token in its subject.
    Mailto,
    /// A form run elsewhere: an https URL with `{token}`.
    Form(String),
}

/// A job board whose search each skill links to.
pub struct JobBoard {
    pub name: Localized,
    /// An absolute http(s) URL with a `{skill}` placeholder after the host.
    pub url: String,
}

pub struct Issuing {
    /// `did:web:…` of `base_url`.
    pub did: String,
    /// Retired public keys (Multikey), still published in the DID document.
    pub previous_keys: Vec<String>,
    /// Award id → index in the revocation status list.
    pub status_index: HashMap<String, u64>,
}

pub struct Issuer {
    pub name: Localized,
    pub url: String,
    pub email: String,
    pub description: Option<Localized>,
    /// Image path relative to `content/`.
    pub image: Option<String>,
    pub linkedin_organization_id: Option<String>,
    /// When the issuer's details in credentials last changed.
    pub revised_on: Option<Date>,
}

pub struct Badge {
    pub id: String,
    pub kind: Kind,
    pub name: Localized,
    pub description: Localized,
    pub criteria: Localized,
    /// Artwork path relative to `content/`.
    pub image: String,
    pub skills: Vec<Localized>,
    pub alignment: Vec<Alignment>,
    pub validity: Option<Period>,
    /// Indexes into `Site::badges`.
    pub requires: Vec<usize>,
    pub required_by: Vec<usize>,
    pub badged: bool,
    pub retired_on: Option<Date>,
    /// Where holders renew it (named in expiry reminders).
    pub recertification_url: Option<String>,
    /// When what the badge's credentials say last changed.
    pub revised_on: Option<Date>,
    /// Published awards of this badge, as indexes into `Site::awards`.
    pub awards: Vec<usize>,
}

impl Badge {
    /// The artwork's extension, `svg` or `png`.
    pub fn image_ext(&self) -> &'static str {
        crate::paths::image_ext(&self.image)
    }
}

#[derive(Clone)]
pub struct Alignment {
    pub name: String,
    pub url: String,
    pub framework: Option<String>,
    pub code: Option<String>,
    pub description: Option<String>,
}

pub struct Earner {
    pub id: String,
    pub name: String,
    /// Only ever used to compute salted hashes; never written out.
    pub email: String,
    pub visibility: Visibility,
    pub auto_accept: bool,
    /// The language of the earner's messages: one of `Site::languages`.
    pub language: String,
    /// Published awards, indexes into `Site::awards`, newest first.
    pub awards: Vec<usize>,
}

impl Earner {
    /// Public earners get a profile page and listed awards.
    pub fn has_profile(&self) -> bool {
        self.visibility == Visibility::Public
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    Valid,
    Expired,
    Revoked,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expired => "expired",
            Status::Revoked => "revoked",
        }
    }
}

pub struct Award {
    pub id: String,
    pub badge: usize,
    pub earner: usize,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    pub evidence: Vec<Evidence>,
    pub revoked: Option<Revocation>,
    pub status: Status,
    /// The date of the credential's current version: `issued_on`, or the
    /// latest correction since (of the award, its badge or the issuer). See
    /// `openbadges::ob3` for what a version is.
    pub version_on: Date,
    /// Acceptance as written: `accepted: true` in the record (so it went
    /// through a claim, unless the earner accepts everything), and when.
    pub accepted: Acceptance,
}

/// How an award came to be accepted, or not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Acceptance {
    /// Published without a claim: the earner's `auto_accept`.
    Automatic,
    /// Claimed: `accepted: true` (and `accepted_on`, when known).
    Claimed(Option<Date>),
    /// Waiting for the earner (`accepted: false`, or no earner's
    /// `auto_accept`).
    Pending,
    /// `declined_on`: the earner refused it.
    Declined(Date),
}

impl Award {
    /// Whether the credential was corrected after issue.
    pub fn is_revised(&self) -> bool {
        self.version_on != self.issued_on
    }
}

#[derive(Clone)]
pub struct Evidence {
    pub url: String,
    pub narrative: Option<String>,
}

#[derive(Clone)]
pub struct Revocation {
    pub on: Date,
    pub reason: Option<String>,
}

/// Why an award in content is not published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reason {
    NotAccepted,
    Declined,
    NotBadged,
    PrivateEarner,
    /// Superseded by the earner's award of this certification.
    Superseded {
        certification: String,
    },
}

pub struct Unpublished {
    pub award: Award,
    pub reason: Reason,
}

impl Site {
    pub fn default_lang(&self) -> &str {
        &self.languages[0]
    }

    /// A text in `lang`, or the default language's (every localized text
    /// has that, `rules` sees to it).
    pub fn text<'a>(&self, l: &'a Localized, lang: &str) -> &'a str {
        l.get(lang, self.default_lang()).unwrap_or_default()
    }

    /// The issuer's name in `lang`; Open Badges documents use the default
    /// language's.
    pub fn issuer_name(&self, lang: &str) -> &str {
        self.text(&self.issuer.name, lang)
    }

    /// Path prefix of a language's tree: `""` for the default, `zh-CN/` otherwise.
    pub fn lang_prefix(&self, lang: &str) -> String {
        if lang == self.default_lang() {
            String::new()
        } else {
            format!("{lang}/")
        }
    }

    /// Absolute URL of a path inside the site (`verify/X/`).
    pub fn url(&self, path: &str) -> String {
        format!("{}/{}", self.base_url, path)
    }

    /// Whether awards get hosted baked images and QR files (`award_files: full`).
    pub fn full_award_files(&self) -> bool {
        self.award_files == crate::content::AwardFiles::Full
    }

    /// Canonical verification URL of an award: the QR code's target.
    pub fn verify_url(&self, award: &Award) -> String {
        self.url(&crate::paths::award_page(&award.id))
    }

    /// Path of the issuer's image in the output, if it has one.
    pub fn issuer_image(&self) -> Option<String> {
        let img = self.issuer.image.as_ref()?;
        Some(crate::paths::issuer_image(crate::paths::image_ext(img)))
    }

    pub fn badge(&self, id: &str) -> Option<&Badge> {
        self.badge_index.get(id).map(|&i| &self.badges[i])
    }

    /// Whether an award's page is listed (profile, sitemap) and indexable.
    pub fn is_listed(&self, award: &Award) -> bool {
        self.earners[award.earner].has_profile()
    }
}

/// What an insight is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum InsightSubject {
    /// A skill, by its text in the default language (lowercase).
    Skill(String),
    /// An index into `Site::badges`.
    Badge(usize),
}

/// Labour-market facts from one source about a skill or a badge.
#[derive(Debug)]
pub struct Insight {
    pub subject: InsightSubject,
    pub source: String,
    pub source_url: Option<String>,
    pub date: Date,
    pub salaries: Vec<Salary>,
    pub employers: Vec<Employer>,
}

#[derive(Debug)]
pub struct Salary {
    pub region: Localized,
    /// ISO 4217.
    pub currency: String,
    pub period: PayPeriod,
    pub low: f64,
    pub median: f64,
    pub high: f64,
    pub sample: Option<u64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PayPeriod {
    Year,
    Month,
    Hour,
}

#[derive(Debug)]
pub struct Employer {
    pub name: String,
    pub url: String,
}

impl Site {
    /// The insights that apply to a badge: about it, or about one of its
    /// skills (in the default language).
    pub fn insights_of(&self, b: usize) -> impl Iterator<Item = &Insight> {
        let badge = &self.badges[b];
        let skills: Vec<String> = badge
            .skills
            .iter()
            .map(|k| self.text(k, self.default_lang()).to_lowercase())
            .collect();
        self.insights.iter().filter(move |i| match &i.subject {
            InsightSubject::Badge(x) => *x == b,
            InsightSubject::Skill(s) => skills.contains(s),
        })
    }
}
