//! The result of a check, as `accolade verify` prints it (text or JSON):
//! the outcome first, then what was found, then each problem.

use serde::Serialize;
use serde_json::Value;

use super::{DocCheck, Outcome, email_matches};

/// What a check found. Serialised as the `--json` output.
#[derive(Debug, Serialize)]
pub struct Report {
    /// `valid`, `not_valid` or `could_not_check`.
    pub outcome: Outcome,
    /// `outcome == valid`, for scripts written before `outcome`.
    pub ok: bool,
    /// The main credential's format (the 3.0 credential when an image has both).
    pub format: String,
    pub id: String,
    pub earner: Option<String>,
    pub badge: Option<String>,
    pub issuer: Option<String>,
    pub signature: Option<String>,
    pub signed_by: Option<String>,
    pub hosted: Option<String>,
    /// For an earlier version of a revised credential: the date of the
    /// issuer's current version, whose facts the verdict is about.
    pub superseded_on: Option<String>,
    /// `valid`, `expired`, `revoked` or `not checked`.
    pub status: Option<String>,
    pub expires: Option<String>,
    /// As the issuer published them, for a revoked credential.
    pub revoked_on: Option<String>,
    pub revocation_reason: Option<String>,
    /// With `--email`: whether it was issued to that address.
    pub email: Option<bool>,
    /// Each credential found, and what its check concluded.
    pub checked: Vec<Checked>,
    /// Every reason it is not valid or could not be checked.
    pub problems: Vec<String>,
    /// Worth knowing, without changing the outcome.
    pub notes: Vec<String>,
}

/// One credential of the input and its conclusion.
#[derive(Debug, Serialize)]
pub struct Checked {
    pub format: String,
    pub id: String,
    pub outcome: Outcome,
    pub conclusion: String,
}

impl Report {
    /// Nothing to check: one problem decides.
    pub(super) fn failed(outcome: Outcome, problem: String) -> Report {
        let mut r = Report::empty();
        r.outcome = outcome;
        r.problems.push(problem);
        r
    }

    /// A report of nothing checked, for a failure before the check (e.g.
    /// a clock that cannot be read).
    pub fn could_not_check(problem: impl Into<String>) -> Report {
        Report::failed(Outcome::CouldNotCheck, problem.into())
    }

    fn empty() -> Report {
        Report {
            outcome: Outcome::Valid,
            ok: false,
            format: String::new(),
            id: String::new(),
            earner: None,
            badge: None,
            issuer: None,
            signature: None,
            signed_by: None,
            hosted: None,
            superseded_on: None,
            status: None,
            expires: None,
            revoked_on: None,
            revocation_reason: None,
            email: None,
            checked: Vec::new(),
            problems: Vec::new(),
            notes: Vec::new(),
        }
    }

    /// The report of one or more credentials: the first one's details,
    /// every one's problems (named by format when there are several), the
    /// worst outcome.
    pub(super) fn combine(checks: Vec<DocCheck>) -> Report {
        let mut r = Report::empty();
        let several = checks.len() > 1;
        for (i, d) in checks.into_iter().enumerate() {
            let label = d.kind.map_or("credential", |k| k.label());
            let outcome = d.outcome();
            r.outcome = r.outcome.worst(outcome);
            r.checked.push(Checked {
                format: label.to_string(),
                id: d.id.clone(),
                outcome,
                conclusion: conclusion(outcome, &d.findings),
            });
            let prefix = if several {
                format!("{label}: ")
            } else {
                String::new()
            };
            r.problems
                .extend(d.findings.iter().map(|(_, m)| format!("{prefix}{m}")));
            r.notes
                .extend(d.notes.iter().map(|m| format!("{prefix}{m}")));
            r.revocation_reason = r.revocation_reason.or(d.reason.clone());
            r.revoked_on = r.revoked_on.or(d.revoked_on.clone());
            if i == 0 {
                r.take_details(d);
            }
        }
        r.ok = r.outcome == Outcome::Valid;
        r
    }

    fn take_details(&mut self, d: DocCheck) {
        self.status = Some(d.status().to_string());
        self.format = d
            .kind
            .map_or("unknown", |k| match k {
                super::Kind::Ob3 => "Open Badges 3.0",
                super::Kind::Ob2 => "Open Badges 2.0",
            })
            .to_string();
        self.id = d.id;
        self.badge = d.badge;
        self.issuer = d.issuer;
        self.signature = d.signature;
        self.signed_by = d.signed_by;
        self.hosted = d.hosted;
        self.superseded_on = d.superseded_on;
        self.expires = d.expires;
    }

    /// Whether `doc` (the main credential) names `email` as its recipient.
    pub(super) fn check_email(&mut self, doc: &Value, email: &str) {
        match email_matches(doc, email) {
            Some(m) => {
                self.email = Some(m);
                if !m {
                    self.problems.push(format!("not issued to {email}"));
                    self.outcome = self.outcome.worst(Outcome::NotValid);
                }
            }
            None => {
                self.problems
                    .push("the credential names no hashed email recipient to compare with".into());
                self.outcome = self.outcome.worst(Outcome::CouldNotCheck);
            }
        }
        self.ok = self.outcome == Outcome::Valid;
    }

    /// The first line: the verdict, in words that cannot be mistaken for
    /// one another.
    pub fn headline(&self) -> &'static str {
        match self.outcome {
            Outcome::Valid => "GENUINE AND VALID",
            Outcome::NotValid => "NOT VALID",
            // Offline, a signature still tells the credential is genuine.
            Outcome::CouldNotCheck
                if self
                    .signature
                    .as_deref()
                    .is_some_and(|s| s.starts_with("valid")) =>
            {
                "GENUINE, BUT ITS STATUS COULD NOT BE CHECKED: no verdict on its validity"
            }
            Outcome::CouldNotCheck => "COULD NOT CHECK: no verdict on the credential",
        }
    }

    /// The text report: the headline, then aligned `label: value` lines.
    pub fn to_text(&self) -> String {
        let mut lines: Vec<(&str, String)> = Vec::new();
        let mut push = |label: &'static str, value: Option<&str>| {
            if let Some(v) = value.filter(|v| !v.is_empty()) {
                lines.push((label, v.to_string()));
            }
        };
        push("earner:", self.earner.as_deref());
        push("badge:", self.badge.as_deref());
        push("issuer:", self.issuer.as_deref());
        push("credential:", Some(&self.id));
        push("format:", Some(&self.format));
        push("signature:", self.signature.as_deref());
        push("signed by:", self.signed_by.as_deref());
        push("hosted copy:", self.hosted.as_deref());
        let version = self.superseded_on.as_ref().map(|on| {
            format!("superseded: an earlier version of the credential the issuer revised on {on}")
        });
        push("version:", version.as_deref());
        push("status:", self.status.as_deref());
        push("revoked on:", self.revoked_on.as_deref());
        push("reason:", self.revocation_reason.as_deref());
        push("expires:", self.expires.as_deref());
        let email = self.email.map(|m| {
            if m {
                "issued to this address"
            } else {
                "NOT issued to this address"
            }
        });
        push("email:", email);
        if self.checked.len() > 1 {
            for c in &self.checked {
                lines.push(("checked:", format!("{}: {}", c.format, c.conclusion)));
            }
        }
        lines.extend(self.problems.iter().map(|p| ("problem:", p.clone())));
        lines.extend(self.notes.iter().map(|n| ("note:", n.clone())));
        let width = lines.iter().map(|(l, _)| l.len()).max().unwrap_or(0);
        let mut out = format!("{}\n", self.headline());
        for (label, value) in lines {
            out.push_str(&format!("  {label:<width$} {value}\n"));
        }
        out
    }
}

/// One credential's conclusion in a few words.
fn conclusion(outcome: Outcome, findings: &[(Outcome, String)]) -> String {
    let first = |o: Outcome| {
        findings
            .iter()
            .find(|(f, _)| *f == o)
            .map_or(String::new(), |(_, m)| m.clone())
    };
    match outcome {
        Outcome::Valid => "genuine and valid".into(),
        Outcome::NotValid => format!("not valid: {}", first(Outcome::NotValid)),
        Outcome::CouldNotCheck => format!("could not check: {}", first(Outcome::CouldNotCheck)),
    }
}
