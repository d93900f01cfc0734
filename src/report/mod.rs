//! `accolade report`: the issuer's numbers about their site, worked out
//! from the resolved model (every award in the content, published or
//! not), the send ledger (`notify/ledger.tsv`) and the built output. One
//! [`Report`] value holds them all: `--json` prints it as it is, `--csv`
//! writes its [`tables`], and [`html`] renders it, with charts drawn by
//! plotters ([`charts`]), as one self-contained file.
//!
//! Owns the numbers and how they are shown; not the command line
//! (`commands::report`) and no rule: what is published, held, valid or
//! pending is read from the `Site` the rules made, never decided here.
//! The report holds private facts (pending claims, declined awards,
//! private earners' counts), so it is written beside the output, never
//! into it.

mod charts;
mod footprint;
mod html;
pub mod tables;

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::Serialize;

use crate::content::{Kind, Visibility};
use crate::dates::Date;
use crate::notify::Ledger;
use crate::site::{Acceptance, Award, Reason, Site, Status};

pub use footprint::{Folder, Footprint, HostFit, footprint};
pub use html::{Words, html};
pub use tables::{Cell, Table};

/// The version of the JSON structure (`report_version`): it changes only
/// when a field changes meaning or goes; new fields may be added.
pub const VERSION: u32 = 1;

/// The windows of the expiry section, in days from the report's day.
pub const WINDOWS: [i64; 3] = [30, 60, 90];

/// Every number of the report. Field by field, this is the `--json`
/// structure (README, "`accolade report`").
#[derive(Debug, Serialize)]
pub struct Report {
    pub report_version: u32,
    /// The day the numbers are as of (`SOURCE_DATE_EPOCH`, else today).
    pub as_of: String,
    /// The site's default language, the report's language.
    pub language: String,
    pub site: SiteFacts,
    pub summary: Summary,
    /// Every badge class, sorted by id, with its awards in the content.
    pub badges: Vec<BadgeFacts>,
    /// Every month from the first award's to the last's, empty ones too:
    /// all awards in the content, published or not.
    pub issued_per_month: Vec<MonthIssued>,
    pub acceptance: AcceptanceFacts,
    /// Every month from the first revocation's to the last's.
    pub revocations_per_month: Vec<MonthRevoked>,
    pub expiring: Expiring,
    /// Every skill of a held award, most held first.
    pub skills: Vec<SkillFacts>,
    /// Every certification that requires exams, by id.
    pub certifications: Vec<CertificationFacts>,
    pub footprint: Footprint,
}

#[derive(Debug, Serialize)]
pub struct SiteFacts {
    /// In the default language.
    pub title: String,
    pub base_url: String,
    pub languages: Vec<String>,
    /// `lean` or `full`.
    pub award_files: String,
    pub certificate_pages: bool,
}

#[derive(Debug, Default, Serialize)]
pub struct Summary {
    /// Award records in the content.
    pub awards: u64,
    pub published: u64,
    pub unpublished: UnpublishedCounts,
    /// The status of every award in the content, published or not.
    pub status: StatusCounts,
    /// Awards their earners hold: accepted, of a badged badge, neither
    /// revoked nor expired (private earners' awards and exams a
    /// certification supersedes included).
    pub held: u64,
    pub earners: EarnerCounts,
}

/// Why awards are not published (`Site::unpublished`), by reason.
#[derive(Debug, Default, Serialize)]
pub struct UnpublishedCounts {
    pub pending: u64,
    pub declined: u64,
    pub private_earner: u64,
    pub not_badged: u64,
    pub superseded: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct StatusCounts {
    pub valid: u64,
    pub expired: u64,
    pub revoked: u64,
}

#[derive(Debug, Default, Serialize)]
pub struct EarnerCounts {
    pub total: u64,
    pub public: u64,
    pub unlisted: u64,
    pub private: u64,
}

#[derive(Debug, Serialize)]
pub struct BadgeFacts {
    pub id: String,
    /// In the default language.
    pub name: String,
    /// `exam` or `certification`.
    pub kind: String,
    /// Awards in the content, published or not.
    pub awards: u64,
    pub published: u64,
    pub held: u64,
}

/// A calendar month, `YYYY-MM` in JSON and CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    pub year: i32,
    pub month: u32,
}

impl Month {
    pub fn of(d: Date) -> Month {
        Month {
            year: d.year,
            month: d.month,
        }
    }

    fn next(self) -> Month {
        if self.month == 12 {
            Month {
                year: self.year + 1,
                month: 1,
            }
        } else {
            Month {
                month: self.month + 1,
                ..self
            }
        }
    }

    /// Every month from `first` to `last`, both included.
    fn span(first: Month, last: Month) -> Vec<Month> {
        let mut out = Vec::new();
        let mut m = first;
        while m <= last {
            out.push(m);
            m = m.next();
        }
        out
    }
}

impl std::fmt::Display for Month {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl Serialize for Month {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

#[derive(Debug, Serialize)]
pub struct MonthIssued {
    pub month: Month,
    pub awards: u64,
    pub published: u64,
    /// Badge id → awards issued that month (badges with none left out).
    pub by_badge: BTreeMap<String, u64>,
}

/// How the earners answered, over every award in the content.
#[derive(Debug, Default, Serialize)]
pub struct AcceptanceFacts {
    pub awards: u64,
    /// Accepted through the earner's `auto_accept`.
    pub automatic: u64,
    /// Accepted through a claim (`accepted: true`).
    pub claimed: u64,
    pub pending: u64,
    pub declined: u64,
    /// `(automatic + claimed) / awards`, and the others' shares; 0 to 1,
    /// to four decimals.
    pub accepted_share: f64,
    pub pending_share: f64,
    pub declined_share: f64,
}

#[derive(Debug, Serialize)]
pub struct MonthRevoked {
    pub month: Month,
    pub revoked: u64,
}

/// Published, valid awards whose `expires_on` falls in the next 90 days
/// (1 to 90 days from `as_of`): the ones `accolade notify` reminds.
#[derive(Debug, Default, Serialize)]
pub struct Expiring {
    /// Whether `notify/ledger.tsv` exists (else `reminder` is `none`).
    pub ledger: bool,
    pub total: u64,
    pub next_30_days: u64,
    pub next_60_days: u64,
    pub next_90_days: u64,
    /// Per badge with any, in three disjoint windows.
    pub by_badge: Vec<ExpiringBadge>,
    /// Soonest first, then by award id.
    pub awards: Vec<ExpiringAward>,
}

#[derive(Debug, Serialize)]
pub struct ExpiringBadge {
    pub badge: String,
    /// In 1 to 30 days.
    pub days_1_to_30: u64,
    pub days_31_to_60: u64,
    pub days_61_to_90: u64,
    pub total: u64,
}

#[derive(Debug, Serialize)]
pub struct ExpiringAward {
    pub award: String,
    pub badge: String,
    pub earner: String,
    pub earner_name: String,
    pub expires_on: String,
    pub days_left: i64,
    /// The expiry reminder, from the ledger: `sent`, `bounced` (refused
    /// for good by the earner's mail server) or `none`.
    pub reminder: String,
    /// When the reminder was sent or refused.
    pub reminder_on: Option<String>,
    /// Whether any message to this earner was refused for good.
    pub earner_bounced: bool,
}

#[derive(Debug, Serialize)]
pub struct SkillFacts {
    /// In the default language.
    pub skill: String,
    /// Held awards of badges with this skill.
    pub awards: u64,
    /// Earners holding one or more of them.
    pub earners: u64,
}

#[derive(Debug, Serialize)]
pub struct CertificationFacts {
    pub badge: String,
    /// The exams it requires, by id.
    pub requires: Vec<String>,
    /// Earners who hold it.
    pub holders: u64,
    /// Earners who hold every required exam, but not the certification.
    pub all_exams: u64,
    /// Earners who hold some but not all required exams (and not the
    /// certification).
    pub some_exams: u64,
    /// Those earners, by earner id.
    pub on_the_way: Vec<Progress>,
}

#[derive(Debug, Serialize)]
pub struct Progress {
    pub earner: String,
    pub earner_name: String,
    pub exams_held: u64,
    pub exams_required: u64,
    /// The required exams they do not hold, by id.
    pub missing: Vec<String>,
}

/// Every award in the content with why it is not published, if it is not.
fn all_awards(site: &Site) -> impl Iterator<Item = (&Award, Option<&Reason>)> {
    site.awards
        .iter()
        .map(|a| (a, None))
        .chain(site.unpublished.iter().map(|u| (&u.award, Some(&u.reason))))
}

/// Whether its earner holds an award: accepted, of a badged badge, neither
/// revoked nor expired. Published awards are all accepted and badged; of
/// the others, a private earner's and a superseded exam are held too.
fn held(award: &Award, reason: Option<&Reason>) -> bool {
    award.status == Status::Valid
        && matches!(
            reason,
            None | Some(Reason::PrivateEarner | Reason::Superseded { .. })
        )
}

fn share(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        (part as f64 / whole as f64 * 10_000.0).round() / 10_000.0
    }
}

impl Report {
    /// The numbers of `site` as of `site.now`, with what the ledger says
    /// (when `notify/ledger.tsv` exists) and the output's footprint.
    pub fn of(site: &Site, ledger: Option<&Ledger>, footprint: Footprint) -> Report {
        let lang = site.default_lang();
        let name = |l| site.text(l, lang).to_string();
        let mut summary = Summary::default();
        let mut badges: Vec<BadgeFacts> = site
            .badges
            .iter()
            .map(|b| BadgeFacts {
                id: b.id.clone(),
                name: name(&b.name),
                kind: match b.kind {
                    Kind::Exam => "exam",
                    Kind::Certification => "certification",
                }
                .into(),
                awards: 0,
                published: 0,
                held: 0,
            })
            .collect();
        let mut acceptance = AcceptanceFacts::default();
        let mut issued: BTreeMap<Month, (u64, u64, BTreeMap<usize, u64>)> = BTreeMap::new();
        let mut revoked: BTreeMap<Month, u64> = BTreeMap::new();
        // (earner, badge) of every held award.
        let mut holding: HashSet<(usize, usize)> = HashSet::new();
        for (award, reason) in all_awards(site) {
            summary.awards += 1;
            let b = &mut badges[award.badge];
            b.awards += 1;
            let m = issued.entry(Month::of(award.issued_on)).or_default();
            m.0 += 1;
            *m.2.entry(award.badge).or_default() += 1;
            match reason {
                None => {
                    summary.published += 1;
                    b.published += 1;
                    m.1 += 1;
                }
                Some(r) => {
                    let u = &mut summary.unpublished;
                    *match r {
                        Reason::NotAccepted => &mut u.pending,
                        Reason::Declined => &mut u.declined,
                        Reason::PrivateEarner => &mut u.private_earner,
                        Reason::NotBadged => &mut u.not_badged,
                        Reason::Superseded { .. } => &mut u.superseded,
                    } += 1;
                }
            }
            let s = &mut summary.status;
            *match award.status {
                Status::Valid => &mut s.valid,
                Status::Expired => &mut s.expired,
                Status::Revoked => &mut s.revoked,
            } += 1;
            if held(award, reason) {
                summary.held += 1;
                b.held += 1;
                holding.insert((award.earner, award.badge));
            }
            acceptance.awards += 1;
            *match award.accepted {
                Acceptance::Automatic => &mut acceptance.automatic,
                Acceptance::Claimed(_) => &mut acceptance.claimed,
                Acceptance::Pending => &mut acceptance.pending,
                Acceptance::Declined(_) => &mut acceptance.declined,
            } += 1;
            if let Some(r) = &award.revoked {
                *revoked.entry(Month::of(r.on)).or_default() += 1;
            }
        }
        acceptance.accepted_share =
            share(acceptance.automatic + acceptance.claimed, acceptance.awards);
        acceptance.pending_share = share(acceptance.pending, acceptance.awards);
        acceptance.declined_share = share(acceptance.declined, acceptance.awards);
        for e in &site.earners {
            let c = &mut summary.earners;
            c.total += 1;
            *match e.visibility {
                Visibility::Public => &mut c.public,
                Visibility::Unlisted => &mut c.unlisted,
                Visibility::Private => &mut c.private,
            } += 1;
        }
        let issued_per_month = match (issued.keys().next(), issued.keys().next_back()) {
            (Some(&first), Some(&last)) => Month::span(first, last)
                .into_iter()
                .map(|month| {
                    let (awards, published, by) = issued.remove(&month).unwrap_or_default();
                    MonthIssued {
                        month,
                        awards,
                        published,
                        by_badge: by
                            .into_iter()
                            .map(|(b, n)| (site.badges[b].id.clone(), n))
                            .collect(),
                    }
                })
                .collect(),
            _ => Vec::new(),
        };
        let revocations_per_month = match (revoked.keys().next(), revoked.keys().next_back()) {
            (Some(&first), Some(&last)) => Month::span(first, last)
                .into_iter()
                .map(|month| MonthRevoked {
                    month,
                    revoked: revoked.get(&month).copied().unwrap_or(0),
                })
                .collect(),
            _ => Vec::new(),
        };
        Report {
            report_version: VERSION,
            as_of: site.now.to_string(),
            language: lang.to_string(),
            site: SiteFacts {
                title: name(&site.title),
                base_url: site.base_url.clone(),
                languages: site.languages.clone(),
                award_files: site.award_files.name().to_string(),
                certificate_pages: site.certificate_pages,
            },
            summary,
            badges,
            issued_per_month,
            acceptance,
            revocations_per_month,
            expiring: expiring(site, ledger),
            skills: skills(site),
            certifications: certifications(site, &holding),
            footprint,
        }
    }

    /// Each table as a CSV file (RFC 4180: a header of column ids, fields
    /// quoted as needed, CRLF line ends): its name and its text.
    pub fn csv_files(&self) -> Vec<(String, String)> {
        self.tables()
            .into_iter()
            .map(|t| {
                let mut text = String::new();
                let header: Vec<String> = t
                    .columns
                    .iter()
                    .map(|c| crate::csv::csv_field(&c.id))
                    .collect();
                text.push_str(&header.join(","));
                text.push_str("\r\n");
                for row in &t.rows {
                    let fields: Vec<String> = row
                        .iter()
                        .map(|c| crate::csv::csv_field(&c.csv()))
                        .collect();
                    text.push_str(&fields.join(","));
                    text.push_str("\r\n");
                }
                (format!("{}.csv", t.name), text)
            })
            .collect()
    }
}

/// Published, valid awards expiring in the next 90 days, with what the
/// ledger says about their reminders.
fn expiring(site: &Site, ledger: Option<&Ledger>) -> Expiring {
    let now = site.now.days_since_epoch();
    let last = WINDOWS[WINDOWS.len() - 1];
    let mut soon: Vec<(i64, &Award)> = site
        .awards
        .iter()
        .filter(|a| a.status == Status::Valid)
        .filter_map(|a| {
            let days = a.expires_on?.days_since_epoch() - now;
            (1..=last).contains(&days).then_some((days, a))
        })
        .collect();
    soon.sort_by(|x, y| x.0.cmp(&y.0).then(x.1.id.cmp(&y.1.id)));
    // Earners a message was refused for good to (any award, any kind).
    let bounced: HashSet<usize> = match ledger {
        Some(l) if l.entries.iter().any(|e| !e.sent) => {
            let failed: HashSet<&str> = l
                .entries
                .iter()
                .filter(|e| !e.sent)
                .map(|e| e.award.as_str())
                .collect();
            all_awards(site)
                .filter(|(a, _)| failed.contains(a.id.as_str()))
                .map(|(a, _)| a.earner)
                .collect()
        }
        _ => HashSet::new(),
    };
    let mut out = Expiring {
        ledger: ledger.is_some(),
        total: soon.len() as u64,
        ..Expiring::default()
    };
    let mut by_badge: BTreeMap<usize, [u64; 3]> = BTreeMap::new();
    for &(days, a) in &soon {
        let w = WINDOWS.iter().position(|&w| days <= w).unwrap_or(2);
        by_badge.entry(a.badge).or_default()[w] += 1;
        let counts = [
            &mut out.next_30_days,
            &mut out.next_60_days,
            &mut out.next_90_days,
        ];
        for c in counts.into_iter().skip(w) {
            *c += 1;
        }
        let expires = a.expires_on.unwrap_or(site.now);
        let kind = crate::notify::Kind::Expiry(expires).name();
        let entry = ledger.and_then(|l| l.last(&a.id, &kind));
        let earner = &site.earners[a.earner];
        out.awards.push(ExpiringAward {
            award: a.id.clone(),
            badge: site.badges[a.badge].id.clone(),
            earner: earner.id.clone(),
            earner_name: earner.name.clone(),
            expires_on: expires.to_string(),
            days_left: days,
            reminder: match entry {
                Some(e) if e.sent => "sent",
                Some(_) => "bounced",
                None => "none",
            }
            .into(),
            reminder_on: entry.map(|e| Date::from_unix(e.at).to_string()),
            earner_bounced: bounced.contains(&a.earner),
        });
    }
    out.by_badge = by_badge
        .into_iter()
        .map(|(b, [a, m, l])| ExpiringBadge {
            badge: site.badges[b].id.clone(),
            days_1_to_30: a,
            days_31_to_60: m,
            days_61_to_90: l,
            total: a + m + l,
        })
        .collect();
    out
}

/// Every skill of a held award: awards and earners, most awards first.
fn skills(site: &Site) -> Vec<SkillFacts> {
    let lang = site.default_lang();
    // Skill text → (awards, earners); a badge's skill once per badge.
    let mut by: HashMap<&str, (u64, HashSet<usize>)> = HashMap::new();
    let badge_skills: Vec<Vec<&str>> = site
        .badges
        .iter()
        .map(|b| {
            let mut s: Vec<&str> = b.skills.iter().map(|k| site.text(k, lang)).collect();
            s.sort_unstable();
            s.dedup();
            s
        })
        .collect();
    for (award, reason) in all_awards(site) {
        if !held(award, reason) {
            continue;
        }
        for skill in &badge_skills[award.badge] {
            let e = by.entry(skill).or_default();
            e.0 += 1;
            e.1.insert(award.earner);
        }
    }
    let mut out: Vec<SkillFacts> = by
        .into_iter()
        .map(|(skill, (awards, earners))| SkillFacts {
            skill: skill.to_string(),
            awards,
            earners: earners.len() as u64,
        })
        .collect();
    out.sort_by(|a, b| b.awards.cmp(&a.awards).then_with(|| a.skill.cmp(&b.skill)));
    out
}

/// Each certification with exams against the earners holding them.
fn certifications(site: &Site, holding: &HashSet<(usize, usize)>) -> Vec<CertificationFacts> {
    // Badge → earners holding it.
    let mut holders: HashMap<usize, Vec<usize>> = HashMap::new();
    for &(earner, badge) in holding {
        holders.entry(badge).or_default().push(earner);
    }
    let empty = Vec::new();
    let of = |b: usize| holders.get(&b).unwrap_or(&empty);
    site.badges
        .iter()
        .enumerate()
        .filter(|(_, b)| b.kind == Kind::Certification && !b.requires.is_empty())
        .map(|(c, badge)| {
            let certified: HashSet<usize> = of(c).iter().copied().collect();
            let mut exams: BTreeMap<usize, u64> = BTreeMap::new();
            for &exam in &badge.requires {
                for &earner in of(exam) {
                    if !certified.contains(&earner) {
                        *exams.entry(earner).or_default() += 1;
                    }
                }
            }
            let required = badge.requires.len() as u64;
            let all_exams = exams.values().filter(|&&n| n == required).count() as u64;
            let mut on_the_way: Vec<Progress> = exams
                .into_iter()
                .filter(|&(_, n)| n < required)
                .map(|(e, n)| {
                    let earner = &site.earners[e];
                    Progress {
                        earner: earner.id.clone(),
                        earner_name: earner.name.clone(),
                        exams_held: n,
                        exams_required: required,
                        missing: badge
                            .requires
                            .iter()
                            .filter(|&&x| !holding.contains(&(e, x)))
                            .map(|&x| site.badges[x].id.clone())
                            .collect(),
                    }
                })
                .collect();
            on_the_way.sort_by(|a, b| {
                b.exams_held
                    .cmp(&a.exams_held)
                    .then_with(|| a.earner.cmp(&b.earner))
            });
            CertificationFacts {
                badge: badge.id.clone(),
                requires: badge
                    .requires
                    .iter()
                    .map(|&x| site.badges[x].id.clone())
                    .collect(),
                holders: certified.len() as u64,
                all_exams,
                some_exams: on_the_way.len() as u64,
                on_the_way,
            }
        })
        .collect()
}
