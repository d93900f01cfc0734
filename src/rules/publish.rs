//! The publication rules: which checked awards are published, and the
//! links from badges and earners to them.

use foldhash::{HashMap, HashMapExt, HashSet};
use rayon::slice::ParallelSliceMut;

use crate::content::Visibility;
use crate::site::*;

/// Applies the publication rules, in order: acceptance, private earners,
/// not badged, and a certification superseding its single required exam.
pub(super) fn publish(
    candidates: Vec<(Award, bool)>,
    badges: &[Badge],
    earners: &[Earner],
) -> (Vec<Award>, Vec<Unpublished>) {
    let mut unpublished = Vec::new();
    let mut kept = Vec::new();
    for (award, accepted) in candidates {
        let reason = if let Acceptance::Declined(_) = award.accepted {
            Some(Reason::Declined)
        } else if !accepted {
            Some(Reason::NotAccepted)
        } else if earners[award.earner].visibility == Visibility::Private {
            Some(Reason::PrivateEarner)
        } else if !badges[award.badge].badged {
            Some(Reason::NotBadged)
        } else {
            None
        };
        match reason {
            Some(reason) => unpublished.push(Unpublished { award, reason }),
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
                award,
                reason: Reason::Superseded {
                    certification: badges[cert].id.clone(),
                },
            }),
            None => published.push(award),
        }
    }
    // Hundreds of thousands of awards on a large site: sorted in parallel.
    published.par_sort_by(|a, b| a.id.cmp(&b.id));
    unpublished.sort_by(|a, b| a.award.id.cmp(&b.award.id));
    (published, unpublished)
}

/// Stores the published awards and links them from their badges and earners.
pub(super) fn attach_awards(site: &mut Site, awards: Vec<Award>) {
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
