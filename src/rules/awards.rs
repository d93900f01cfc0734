//! Earners and awards: ids (the newer of two copies is the one blamed),
//! references to badges and earners, dates, revocations, corrections and
//! evidence.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::Arc;

use super::publish::publish;
use super::*;
use crate::content::{AwardFile, Located, RevokedFile, pos};
use crate::dates::Date;
use crate::site::*;

impl Resolver<'_> {
    pub(super) fn earners(&mut self, languages: &[String]) -> Vec<Earner> {
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
            let language = match &e.language {
                Some(l) if !languages.contains(&l.value) => {
                    self.error(
                        file,
                        pos(l),
                        format!(
                            "`language` `{}` is not one of the site's languages",
                            l.value
                        ),
                        format!(
                            "write one of {}, as in `languages` in content/site.yaml",
                            languages.join(", ")
                        ),
                    );
                    languages[0].clone()
                }
                Some(l) => l.value.clone(),
                None => languages[0].clone(),
            };
            out.push(Earner {
                id,
                name: e.name.value.trim().to_string(),
                email: email.to_string(),
                visibility: e.profile,
                auto_accept: e.auto_accept,
                language,
                awards: Vec::new(),
            });
        }
        out
    }

    /// Every award record checked and resolved, then the publication rules
    /// applied: (published, unpublished).
    pub(super) fn awards(&mut self, now: Date, known: &Known) -> (Vec<Award>, Vec<Unpublished>) {
        use rayon::prelude::*;
        let c = self.content;
        let owners = award_owners(&c.awards);
        // Records are checked in parallel, in runs of this many, each run
        // with its own diagnostics, joined in the records' order.
        const RUN: usize = 4096;
        let runs: Vec<(Vec<(Award, bool)>, Diagnostics)> = c
            .awards
            .par_chunks(RUN)
            .enumerate()
            .map(|(k, run)| {
                let mut r = Resolver {
                    diags: Diagnostics::default(),
                    content: c,
                };
                let mut candidates = Vec::with_capacity(run.len());
                for (j, l) in run.iter().enumerate() {
                    let i = k * RUN + j;
                    let id = r.award_id(l);
                    let owner = owners.get(id.as_str()).copied().unwrap_or(i);
                    // A second copy is checked like any record (all its
                    // errors in one run), then reported and left out.
                    let candidate = r.award(id, l, now, known);
                    if owner != i {
                        r.duplicate_award(l, &c.awards[owner]);
                    } else if let Some(candidate) = candidate {
                        candidates.push(candidate);
                    }
                }
                (candidates, r.diags)
            })
            .collect();
        // Accepted or not, well-formed awards before the publication rules.
        let mut candidates: Vec<(Award, bool)> = Vec::with_capacity(c.awards.len());
        for (found, diags) in runs {
            candidates.extend(found);
            self.diags.extend(diags);
        }
        publish(candidates, known.badges, known.earners)
    }

    /// A record whose id an earlier-issued (or earlier-written) record has.
    pub(super) fn duplicate_award(&mut self, l: &Located<AwardFile>, first: &Located<AwardFile>) {
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

    /// An award's id, reported when malformed (duplicates: [`award_owners`]).
    pub(super) fn award_id(&mut self, l: &Located<AwardFile>) -> String {
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
    pub(super) fn award(
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
        let accepted = self.acceptance(file, a, issued_on, now, known.earners[earner].auto_accept);
        let published = matches!(accepted, Acceptance::Automatic | Acceptance::Claimed(_));
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
            accepted,
        };
        Some((award, published))
    }

    /// `accepted`, `accepted_on` and `declined_on`, checked together.
    fn acceptance(
        &mut self,
        file: &Path,
        a: &AwardFile,
        issued_on: Date,
        now: Date,
        auto_accept: bool,
    ) -> Acceptance {
        let mut day = |field: &str, v: &Spanned<String>| {
            let d = self.date(file, field, v)?;
            if d < issued_on || d > now {
                self.error(
                    file,
                    pos(v),
                    format!("`{field}` {d} is not between `issued_on` {issued_on} and the build date {now}"),
                    "write the day the earner answered",
                );
            }
            Some(d)
        };
        let accepted_on = a.accepted_on.as_ref().and_then(|v| day("accepted_on", v));
        let declined_on = a.declined_on.as_ref().and_then(|v| day("declined_on", v));
        if let (Some(v), Some(true)) = (&a.declined_on, a.accepted) {
            self.error(
                file,
                pos(v),
                "an award cannot be both `accepted: true` and `declined_on`",
                "keep the earner's last answer: remove `declined_on`, or set `accepted: false`",
            );
        }
        if let (Some(v), Some(false) | None) = (&a.accepted_on, a.accepted) {
            self.error(
                file,
                pos(v),
                "`accepted_on` needs `accepted: true`",
                "write `accepted: true` beside it (`accolade accept` writes both)",
            );
        }
        match (declined_on, a.accepted) {
            (Some(d), _) => Acceptance::Declined(d),
            (None, Some(true)) if !auto_accept || accepted_on.is_some() => {
                Acceptance::Claimed(accepted_on)
            }
            (None, Some(true)) => Acceptance::Automatic,
            (None, Some(false)) => Acceptance::Pending,
            (None, None) if auto_accept => Acceptance::Automatic,
            (None, None) => Acceptance::Pending,
        }
    }

    pub(super) fn award_badge(
        &mut self,
        file: &Path,
        a: &AwardFile,
        known: &Known,
    ) -> Option<usize> {
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

    pub(super) fn award_earner(
        &mut self,
        file: &Path,
        a: &AwardFile,
        known: &Known,
    ) -> Option<usize> {
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
    pub(super) fn award_dates(
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
    pub(super) fn revocation(
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
    pub(super) fn evidence(&mut self, file: &Path, a: &AwardFile) -> Vec<Evidence> {
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
