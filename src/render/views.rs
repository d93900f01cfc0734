//! Small, purpose-built views of the site model for templates, one language
//! at a time. Badge views are built once per language and shared by every
//! page that shows the badge; nothing here decides a rule.

use serde::Serialize;

use crate::content::Localized;

use super::i18n::Strings;
use super::markdown::to_safe_html;
use crate::content::Kind;
use crate::paths;
use crate::site::{Award, Badge, Earner, Site, Status};

#[derive(Serialize, Clone)]
pub struct BadgeView {
    pub id: String,
    pub kind: &'static str,
    pub kind_label: String,
    pub name: String,
    pub description: String,
    pub path: String,
    pub image: String,
    pub skills: Vec<String>,
    /// Each skill with its job-search links.
    pub skill_jobs: Vec<SkillJobs>,
    pub validity: String,
    pub retired: bool,
    pub retired_on: String,
    pub retired_on_iso: String,
    pub criteria_html: String,
    pub alignment: Vec<AlignmentView>,
    pub requires: Vec<BadgeRef>,
    pub required_by: Vec<BadgeRef>,
    pub endorsements: Vec<EndorsementView>,
    pub badged: bool,
    pub json: String,
    pub award_count: usize,
}

/// A skill and where to look for jobs that ask for it.
#[derive(Serialize, Clone)]
pub struct SkillJobs {
    pub skill: String,
    pub links: Vec<JobLink>,
}

/// A job search for one skill: the link text names the site, the label
/// (for screen readers) also names the skill.
#[derive(Serialize, Clone)]
pub struct JobLink {
    pub text: String,
    pub label: String,
    pub url: String,
}

/// LinkedIn Jobs' search, without tracking parameters.
const LINKEDIN_JOBS: &str = "https://www.linkedin.com/jobs/search/?keywords=";

/// A skill's job searches: LinkedIn Jobs, and the site's own job board
/// when `site.yaml` names one. The skill is percent-encoded into the URLs.
pub fn skill_jobs(site: &Site, skill: &Localized, s: &Strings) -> SkillJobs {
    // Searched for in the default language, the one job sites index the
    // skill by; shown in the page's.
    let encoded = super::share::encode(site.text(skill, site.default_lang()));
    let skill = site.text(skill, &s.lang);
    let mut boards = vec![(
        s.get("linkedin_jobs_name").to_string(),
        format!("{LINKEDIN_JOBS}{encoded}"),
    )];
    if let Some(board) = &site.job_board {
        let name = board.name.get(&s.lang, site.default_lang());
        boards.push((
            name.unwrap_or_default().to_string(),
            board.url.replace("{skill}", &encoded),
        ));
    }
    let links = boards
        .into_iter()
        .map(|(name, url)| JobLink {
            text: s.fill("skill_jobs_link", &[("board", &name)]),
            label: s.fill("skill_jobs_label", &[("board", &name), ("skill", skill)]),
            url,
        })
        .collect();
    SkillJobs {
        skill: skill.to_string(),
        links,
    }
}

#[derive(Serialize, Clone)]
pub struct AlignmentView {
    pub name: String,
    pub url: String,
    pub framework: String,
    pub code: String,
}

#[derive(Serialize, Clone)]
pub struct BadgeRef {
    pub id: String,
    pub name: String,
    pub path: String,
    pub retired: bool,
}

#[derive(Serialize)]
pub struct AwardView {
    pub id: String,
    pub status: &'static str,
    pub status_label: String,
    pub status_note: String,
    pub issued_on: String,
    pub issued_on_iso: String,
    /// The date of the credential's current version, when it was corrected
    /// after issue (empty otherwise).
    pub revised_on: String,
    pub revised_on_iso: String,
    pub expires_on: String,
    pub expires_on_iso: String,
    pub revoked_on: String,
    pub revoked_on_iso: String,
    pub revocation_reason: String,
    pub evidence: Vec<EvidenceView>,
    pub url: String,
    pub path: String,
}

#[derive(Serialize)]
pub struct EvidenceView {
    pub url: String,
    pub narrative_html: String,
}

#[derive(Serialize)]
pub struct EarnerView<'a> {
    pub id: &'a str,
    pub name: &'a str,
    pub path: String,
}

pub fn badge_path(b: &Badge) -> String {
    paths::badge_page(&b.id)
}

/// Root-relative path of a badge's published artwork.
pub fn artwork_path(b: &Badge) -> String {
    paths::badge_art(&b.id, b.image_ext())
}

/// The view of `site.badges[i]` in `s`'s language.
pub fn badge_view(site: &Site, i: usize, s: &Strings) -> BadgeView {
    let b = &site.badges[i];
    let lang = s.lang.as_str();
    let default = site.default_lang();
    let text = |l: &crate::content::Localized| l.get(lang, default).unwrap_or_default().to_string();
    let reference = |&i: &usize| {
        let other = &site.badges[i];
        BadgeRef {
            id: other.id.clone(),
            name: text(&other.name),
            path: badge_path(other),
            retired: other.retired_on.is_some(),
        }
    };
    BadgeView {
        id: b.id.clone(),
        kind: match b.kind {
            Kind::Exam => "exam",
            Kind::Certification => "certification",
        },
        kind_label: s
            .get(match b.kind {
                Kind::Exam => "kind_exam",
                Kind::Certification => "kind_certification",
            })
            .to_string(),
        name: text(&b.name),
        description: text(&b.description),
        path: badge_path(b),
        image: artwork_path(b),
        skills: b.skills.iter().map(&text).collect(),
        skill_jobs: b.skills.iter().map(|k| skill_jobs(site, k, s)).collect(),
        validity: b.validity.map(|p| s.validity(p)).unwrap_or_default(),
        retired: b.retired_on.is_some(),
        retired_on: b.retired_on.map(|d| s.date(d)).unwrap_or_default(),
        retired_on_iso: b.retired_on.map(|d| d.to_string()).unwrap_or_default(),
        criteria_html: to_safe_html(&text(&b.criteria)),
        alignment: b
            .alignment
            .iter()
            .map(|a| AlignmentView {
                name: a.name.clone(),
                url: a.url.clone(),
                framework: a.framework.clone().unwrap_or_default(),
                code: a.code.clone().unwrap_or_default(),
            })
            .collect(),
        requires: b.requires.iter().map(reference).collect(),
        required_by: b.required_by.iter().map(reference).collect(),
        endorsements: endorsement_views(site, crate::endorse::Subject::Badge(i), s),
        badged: b.badged,
        json: paths::badge_class(&b.id),
        award_count: b.awards.len(),
    }
}

pub fn award_view(site: &Site, a: &Award, s: &Strings) -> AwardView {
    let date = |d: Option<crate::dates::Date>| {
        (
            d.map(|d| s.date(d)).unwrap_or_default(),
            d.map(|d| d.to_string()).unwrap_or_default(),
        )
    };
    let (issued_on, issued_on_iso) = date(Some(a.issued_on));
    let (revised_on, revised_on_iso) = date(a.is_revised().then_some(a.version_on));
    let (expires_on, expires_on_iso) = date(a.expires_on);
    let (revoked_on, revoked_on_iso) = date(a.revoked.as_ref().map(|r| r.on));
    let status = a.status.as_str();
    let note_date = match a.status {
        Status::Valid => expires_on.clone(),
        Status::Expired => expires_on.clone(),
        Status::Revoked => revoked_on.clone(),
    };
    AwardView {
        id: a.id.clone(),
        status,
        status_label: s.get(&format!("status_{status}")).to_string(),
        status_note: s.fill(&format!("status_note_{status}"), &[("date", &note_date)]),
        issued_on,
        issued_on_iso,
        revised_on,
        revised_on_iso,
        expires_on,
        expires_on_iso,
        revoked_on,
        revoked_on_iso,
        revocation_reason: a
            .revoked
            .as_ref()
            .and_then(|r| r.reason.clone())
            .unwrap_or_default(),
        evidence: a
            .evidence
            .iter()
            .map(|e| EvidenceView {
                url: e.url.clone(),
                narrative_html: e.narrative.as_deref().map(to_safe_html).unwrap_or_default(),
            })
            .collect(),
        url: site.verify_url(a),
        path: paths::award_page(&a.id),
    }
}

pub fn earner_view(e: &Earner) -> EarnerView<'_> {
    EarnerView {
        id: &e.id,
        name: &e.name,
        path: if e.has_profile() {
            paths::earner_page(&e.id)
        } else {
            String::new()
        },
    }
}

/// A certification an earner has started and does not hold valid: each
/// exam it requires, passed (a valid award), expired, or still to take.
#[derive(Serialize)]
pub struct PathProgress<'a> {
    pub certification: &'a BadgeView,
    /// "2 of 3 exams passed", in the page's language.
    pub summary: String,
    pub steps: Vec<PathStep<'a>>,
}

#[derive(Serialize)]
pub struct PathStep<'a> {
    pub exam: &'a BadgeView,
    /// `done`, `expired` or `todo`.
    pub state: &'static str,
    pub state_label: String,
    /// The earner's award of the exam (its verification page), if any.
    pub award_path: String,
}

/// The certifications `earner` is on the way to: those (current, with
/// `requires`) of which they hold a passed or expired exam but not the
/// certification itself, valid. `badges` are the language's badge views.
pub fn path_progress<'a>(
    site: &Site,
    earner: &Earner,
    badges: &'a [BadgeView],
    s: &Strings,
) -> Vec<PathProgress<'a>> {
    // The earner's best award of each badge: valid before expired before
    // revoked (which counts as not held).
    let mut best: std::collections::HashMap<usize, &Award> = std::collections::HashMap::new();
    let rank = |a: &Award| match a.status {
        Status::Valid => 2,
        Status::Expired => 1,
        _ => 0,
    };
    for &a in &earner.awards {
        let award = &site.awards[a];
        // A single-exam certification stands for its exam, whose own award
        // it supersedes (not published, see rules::publish).
        let exam = match site.badges[award.badge].requires[..] {
            [exam] => Some(exam),
            _ => None,
        };
        for b in std::iter::once(award.badge).chain(exam) {
            let slot = best.entry(b).or_insert(award);
            if rank(award) > rank(slot) {
                *slot = award;
            }
        }
    }
    let state = |b: usize| match best.get(&b).map(|a| a.status) {
        Some(Status::Valid) => "done",
        Some(Status::Expired) => "expired",
        _ => "todo",
    };
    site.badges
        .iter()
        .enumerate()
        .filter(|(c, b)| {
            b.kind == Kind::Certification
                && b.badged
                && b.retired_on.is_none()
                && !b.requires.is_empty()
                && state(*c) != "done"
                && b.requires.iter().any(|&x| state(x) != "todo")
        })
        .map(|(c, b)| {
            let steps: Vec<PathStep> = b
                .requires
                .iter()
                .map(|&x| {
                    let st = state(x);
                    PathStep {
                        exam: &badges[x],
                        state: st,
                        state_label: s.get(&format!("pathway_step_{st}")).to_string(),
                        award_path: best
                            .get(&x)
                            .filter(|_| st != "todo")
                            .map(|a| paths::award_page(&a.id))
                            .unwrap_or_default(),
                    }
                })
                .collect();
            let done = steps.iter().filter(|p| p.state == "done").count();
            PathProgress {
                certification: &badges[c],
                summary: s.fill(
                    "pathway_progress",
                    &[
                        ("done", &done.to_string()),
                        ("total", &steps.len().to_string()),
                    ],
                ),
                steps,
            }
        })
        .collect()
}

/// An endorsement as pages show it: who, their words as signed, since
/// when, and the signed JSON.
#[derive(Serialize, Clone)]
pub struct EndorsementView {
    pub endorser: String,
    pub url: String,
    pub comment: String,
    pub date: String,
    pub date_iso: String,
    pub json: String,
}

/// The endorsements of `subject` in force as of the build (an expired one
/// is still carried by the credentials of its time, not shown).
pub fn endorsement_views(
    site: &Site,
    subject: crate::endorse::Subject,
    s: &Strings,
) -> Vec<EndorsementView> {
    site.endorsements
        .iter()
        .filter(|e| e.subject == subject && e.in_force(site.now))
        .map(|e| EndorsementView {
            endorser: e.endorser.clone(),
            url: e.endorser_url.clone().unwrap_or_default(),
            comment: e.comment.clone(),
            date: s.date(e.valid_from),
            date_iso: e.valid_from.to_string(),
            json: e.path.clone(),
        })
        .collect()
}
