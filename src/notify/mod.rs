//! `accolade notify`: the messages earners get, worked out from the site
//! and the send ledger. No server: it runs where `build` runs.
//!
//! Kinds, one message per award and kind (see [`plan`]):
//! - `issued`: a published award's "your badge is ready";
//! - `claim`: a pending award's "claim your badge", with its claim link;
//! - `unclaimed-N`: reminder N of a claim still pending after
//!   `notify.unclaimed_reminder_days` (at most `unclaimed_reminders`);
//! - `expiry-DATE`: `expiry_reminder_days` before the award expires.
//!
//! Awards issued before the last `--since` days are not mailed unless
//! `--backfill` says so (a first run on an old site must not mail every
//! earner it ever had); an award claimed through its claim message gets
//! its `issued` message whenever it is published.

pub mod ledger;
mod mail;
pub mod smtp;

use std::collections::HashSet;
use std::path::Path;

use sha2::Digest;

use crate::dates::Date;
use crate::site::{Acceptance, Award, ClaimOf, Site, Status};
pub use ledger::{Entry, Ledger};
pub use mail::{Mail, Mailer};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Issued,
    Claim,
    /// The Nth reminder of an unclaimed award (from 1).
    Unclaimed(u32),
    /// Before the award's expiry on this date.
    Expiry(Date),
}

impl Kind {
    /// The name in the ledger and in Message-IDs.
    pub fn name(self) -> String {
        match self {
            Kind::Issued => "issued".into(),
            Kind::Claim => "claim".into(),
            Kind::Unclaimed(n) => format!("unclaimed-{n}"),
            Kind::Expiry(d) => format!("expiry-{d}"),
        }
    }

    /// What the templates and strings call it.
    pub fn template(self) -> &'static str {
        match self {
            Kind::Issued => "issued",
            Kind::Claim => "claim",
            Kind::Unclaimed(_) => "unclaimed",
            Kind::Expiry(_) => "expiry",
        }
    }
}

/// A message that is due.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Due {
    /// An index into `Site::awards`, or for a pending award `None` (then
    /// `claim` says which).
    pub published: Option<usize>,
    /// An index into `Site::claims`, for claims and their reminders.
    pub claim: Option<usize>,
    pub kind: Kind,
}

impl Due {
    pub fn award<'s>(&self, site: &'s Site) -> &'s Award {
        match (self.published, self.claim) {
            (Some(a), _) => &site.awards[a],
            (None, Some(c)) => site.claimed_award(&site.claims[c]),
            (None, None) => unreachable!("a due message names its award"),
        }
    }
}

pub struct Options {
    /// Awards issued longer ago than this many days are left out...
    pub since_days: u32,
    /// ...unless this is set.
    pub backfill: bool,
    /// Award ids (upper-cased) whose issued or claim message goes again.
    pub resend: Vec<String>,
}

/// What is due now, and what was left out.
#[derive(Default)]
pub struct Plan {
    pub due: Vec<Due>,
    /// Messages not due only because their award is older than `--since`.
    pub older: usize,
    /// Messages not sent because the earner opted out.
    pub opted_out: usize,
    /// Messages the server refused for good, to the address the earner
    /// still has (a new address makes them due again).
    pub refused: Vec<Entry>,
}

/// The messages due as of `site.now`, given the ledger and the opt-outs.
pub fn plan(site: &Site, ledger: &Ledger, optouts: &OptOuts, opts: &Options) -> Plan {
    let mut plan = Plan::default();
    let now = site.now;
    let recent = |a: &Award| {
        now.days_since_epoch() - a.issued_on.days_since_epoch() <= i64::from(opts.since_days)
    };
    let resend = |a: &Award| opts.resend.iter().any(|r| r.eq_ignore_ascii_case(&a.id));
    let add = |plan: &mut Plan, due: Due, award: &Award, first: bool| {
        let earner = &site.earners[award.earner];
        let refused = ledger
            .last(&award.id, &due.kind.name())
            .filter(|e| !e.sent && e.detail.starts_with(&address_hash(&earner.email)));
        if optouts.has(earner) {
            plan.opted_out += 1;
        } else if let Some(e) = refused.filter(|_| !resend(award)) {
            plan.refused.push(e.clone());
        } else if first && !(recent(award) || opts.backfill || resend(award)) {
            plan.older += 1;
        } else {
            plan.due.push(due);
        }
    };
    for (a, award) in site.awards.iter().enumerate() {
        if award.status != Status::Valid {
            continue;
        }
        let id = award.id.as_str();
        if !ledger.was_sent(id, "issued") || resend(award) {
            // Claimed through its claim message: announced whatever its age.
            let claimed =
                matches!(award.accepted, Acceptance::Claimed(_)) && ledger.was_sent(id, "claim");
            let due = Due {
                published: Some(a),
                claim: None,
                kind: Kind::Issued,
            };
            add(&mut plan, due, award, !claimed);
        }
        if let Some(expires) = award.expires_on {
            let days = expires.days_since_epoch() - now.days_since_epoch();
            let kind = Kind::Expiry(expires);
            if (1..=i64::from(site.notify.expiry_reminder_days)).contains(&days)
                && !ledger.was_sent(id, &kind.name())
            {
                let due = Due {
                    published: Some(a),
                    claim: None,
                    kind,
                };
                add(&mut plan, due, award, false);
            }
        }
    }
    for (c, claim) in site.claims.iter().enumerate() {
        let ClaimOf::Pending(_) = claim.of else {
            continue;
        };
        let award = site.claimed_award(claim);
        let id = award.id.as_str();
        let Some(sent) = ledger.last(id, "claim").filter(|e| e.sent) else {
            let due = Due {
                published: None,
                claim: Some(c),
                kind: Kind::Claim,
            };
            add(&mut plan, due, award, true);
            continue;
        };
        if resend(award) {
            let due = Due {
                published: None,
                claim: Some(c),
                kind: Kind::Claim,
            };
            add(&mut plan, due, award, false);
            continue;
        }
        // The last of the claim message and its reminders, and how many.
        let reminders = (1..=site.notify.unclaimed_reminders)
            .take_while(|n| ledger.was_sent(id, &Kind::Unclaimed(*n).name()))
            .count() as u32;
        let last = (1..=reminders)
            .filter_map(|n| ledger.last(id, &Kind::Unclaimed(n).name()))
            .map(|e| e.at)
            .fold(sent.at, i64::max);
        let waited = now.days_since_epoch() - Date::from_unix(last).days_since_epoch();
        if reminders < site.notify.unclaimed_reminders
            && waited >= i64::from(site.notify.unclaimed_reminder_days)
        {
            let due = Due {
                published: None,
                claim: Some(c),
                kind: Kind::Unclaimed(reminders + 1),
            };
            add(&mut plan, due, award, false);
        }
    }
    plan
}

/// Earners who asked for no more messages: `notify/unsubscribed.txt`, one
/// earner id or `sha256:` of an address (lower-cased) a line.
#[derive(Default)]
pub struct OptOuts {
    lines: HashSet<String>,
}

impl OptOuts {
    pub fn read(root: &Path) -> Result<OptOuts, String> {
        let text = match std::fs::read_to_string(root.join(ledger::UNSUBSCRIBED)) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read `{}`: {e}", ledger::UNSUBSCRIBED)),
        };
        let lines = text
            .lines()
            .map(|l| l.split('#').next().unwrap_or_default().trim().to_string())
            .filter(|l| !l.is_empty())
            .collect();
        Ok(OptOuts { lines })
    }

    pub fn has(&self, earner: &crate::site::Earner) -> bool {
        self.lines.contains(&earner.id) || self.lines.contains(&address_hash(&earner.email))
    }
}

/// How an address is written in the opt-outs: never the address itself.
pub fn address_hash(email: &str) -> String {
    let digest = sha2::Sha256::digest(email.trim().to_lowercase().as_bytes());
    format!("sha256:{}", crate::openbadges::hex(&digest))
}
