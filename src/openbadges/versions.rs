//! Telling versions of an award's credential apart (see `ob3`, "Versions").
//!
//! - **Build side**: [`undated_change`] compares the credential a build is
//!   about to publish with the one the previous build published. A change
//!   to what it says that keeps the version date would turn every copy an
//!   earner holds into an apparent forgery, so the build stops and asks
//!   for a `revised_on` date (`build --reissue` writes it).
//! - **Verifier side**: [`earlier_version`] decides whether a copy that
//!   differs from the issuer's hosted credential is an earlier version of
//!   it: the same award, issuer, recipient and issue date, and a hosted
//!   revision dated after the copy's version. `accolade verify` also requires the copy's signature
//!   (a copy with a valid signature can only come from the issuer); the
//!   A 2.0 assertion has no version date: it is an earlier version when it
//!   names the same recipient, badge and issue date as the hosted one, and
//!   the award's hosted credential is dated after that issue date. The
//!   `/verify/` page, which checks no signatures, applies the same rules in
//!   `verifier.js` and shows the hosted version's facts, never the copy's.
//!   Without a signature (2.0, and that page), the hosted version must
//!   also be a revision ([`is_revision`]): a differing copy of a credential
//!   never revised can only be forged.

use serde_json::Value;

use crate::dates::Date;

/// Which record a change in a credential comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// The embedded issuer Profile (`site.yaml`'s `issuer`).
    Issuer,
    /// The credential's name and Achievement (the badge).
    Badge,
    /// Everything else: recipient, dates, evidence (the award record).
    Award,
}

/// Members of a credential that only say which version it is.
const VERSION_KEYS: [&str; 2] = ["validFrom", "awardedDate"];

/// The parts in which `next` says something `previous` (the published
/// credential, with or without its proof) did not, when `next` keeps the
/// version date of `previous`: `None` when nothing but the version changed,
/// when `next` is a later version, or when `next` is dated `today` (a
/// version may still change on its own day). A credential with another
/// `id` is another credential (the site moved), not a correction.
pub fn undated_change(previous: &Value, next: &Value, today: Date) -> Option<Vec<Part>> {
    if previous.get("id") != next.get("id") {
        return None;
    }
    let date = |v: &Value| v.get("validFrom").and_then(Value::as_str).and_then(date_of);
    let next_date = date(next)?;
    if date(previous).is_none_or(|p| next_date > p) || next_date == today {
        return None;
    }
    let parts: Vec<Part> = [Part::Issuer, Part::Badge, Part::Award]
        .into_iter()
        .filter(|&p| part(previous, p) != part(next, p))
        .collect();
    (!parts.is_empty()).then_some(parts)
}

/// What a credential says in one part, for comparing two versions.
fn part(doc: &Value, which: Part) -> Value {
    let achievement = || doc.pointer("/credentialSubject/achievement").cloned();
    match which {
        Part::Issuer => doc.get("issuer").cloned().unwrap_or_default(),
        Part::Badge => Value::Array(vec![
            doc.get("name").cloned().unwrap_or_default(),
            achievement().unwrap_or_default(),
        ]),
        Part::Award => {
            let mut rest = doc.clone();
            if let Some(m) = rest.as_object_mut() {
                for k in VERSION_KEYS.iter().chain(&["issuer", "name", "proof"]) {
                    m.remove(*k);
                }
            }
            if let Some(subject) = rest
                .pointer_mut("/credentialSubject")
                .and_then(Value::as_object_mut)
            {
                subject.remove("achievement");
            }
            rest
        }
    }
}

/// `YYYY-MM-DD` of a date-time.
fn date_of(s: &str) -> Option<Date> {
    Date::parse(s.get(..10)?)
}

/// The date of a credential's version: its `validFrom`.
pub fn version_date(doc: &Value) -> Option<String> {
    let v = doc.get("validFrom")?.as_str()?;
    Some(v.get(..10).unwrap_or(v).to_string())
}

/// Whether `doc` is a revised version of its credential: dated after its
/// award's issue, which it then states as `awardedDate` (`ob3`). A
/// credential that is not has never been corrected, so no copy of it can
/// be an earlier version: where no signature is checked (2.0, the
/// `/verify/` page), a copy with an earlier date is a backdated forgery.
pub fn is_revision(doc: &Value) -> bool {
    let dated = |k: &str| doc.get(k).and_then(Value::as_str).and_then(date_of);
    matches!((dated("awardedDate"), dated("validFrom")), (Some(a), Some(v)) if a < v)
}

/// Whether `copy` (an Open Badges 3.0 credential) is an earlier version of
/// `hosted`, the credential the issuer publishes at its id: the same id,
/// issuer, recipient and issue date (`awardedDate`, or `validFrom` of a
/// version never revised), and `hosted` a revision dated after it. Nothing
/// else is compared: an earlier version may say anything else differently.
pub fn earlier_version(copy: &Value, hosted: &Value) -> bool {
    let issuer = |d: &Value| match d.get("issuer") {
        Some(Value::String(s)) => Some(s.clone()),
        Some(i) => i.get("id").and_then(Value::as_str).map(str::to_string),
        None => None,
    };
    let recipient = |d: &Value| d.pointer("/credentialSubject/identifier").cloned();
    let date = |d: &Value, key: &str| d.get(key).and_then(Value::as_str).and_then(date_of);
    let issued = |d: &Value| date(d, "awardedDate").or_else(|| date(d, "validFrom"));
    copy.get("id").is_some()
        && copy.get("id") == hosted.get("id")
        && issuer(copy).is_some()
        && issuer(copy) == issuer(hosted)
        && recipient(copy) == recipient(hosted)
        && is_revision(hosted)
        && issued(copy) == issued(hosted)
        && matches!((date(copy, "validFrom"), date(hosted, "validFrom")), (Some(c), Some(h)) if h > c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn credential(valid_from: &str, description: &str, evidence: &str) -> Value {
        json!({
            "id": "https://c.org/verify/A/credential.json",
            "issuer": {"id": "did:web:c.org", "name": "Academy"},
            "validFrom": valid_from,
            "name": "Exam",
            "credentialSubject": {
                "identifier": [{"identityHash": "sha256$1", "salt": "s"}],
                "achievement": {"description": description},
            },
            "evidence": [{"id": evidence}],
        })
    }

    #[test]
    fn changes_without_a_new_date_are_found_and_attributed() {
        let today = Date::parse("2026-12-04").unwrap();
        let old = credential("2026-01-15T00:00:00Z", "Old text", "https://e.org/1");
        let same = old.clone();
        assert_eq!(undated_change(&old, &same, today), None);
        let typo = credential("2026-01-15T00:00:00Z", "New text", "https://e.org/1");
        assert_eq!(undated_change(&old, &typo, today), Some(vec![Part::Badge]));
        let both = credential("2026-01-15T00:00:00Z", "New text", "https://e.org/2");
        assert_eq!(
            undated_change(&old, &both, today),
            Some(vec![Part::Badge, Part::Award])
        );
        let mut issuer = old.clone();
        issuer["issuer"]["name"] = json!("Academy Ltd");
        assert_eq!(
            undated_change(&old, &issuer, today),
            Some(vec![Part::Issuer])
        );
        // Dated: a new version, no question asked.
        let mut dated = typo.clone();
        dated["validFrom"] = json!("2026-12-01T00:00:00Z");
        dated["awardedDate"] = json!("2026-01-15T00:00:00Z");
        assert_eq!(undated_change(&old, &dated, today), None);
        // Its own day: still the same version.
        let fresh = credential("2026-12-04T00:00:00Z", "Old text", "https://e.org/1");
        let fixed = credential("2026-12-04T00:00:00Z", "New text", "https://e.org/1");
        assert_eq!(undated_change(&fresh, &fixed, today), None);
        // Another id: the site moved; not a correction of this credential.
        let mut moved = typo.clone();
        moved["id"] = json!("https://new.org/verify/A/credential.json");
        assert_eq!(undated_change(&old, &moved, today), None);
    }

    #[test]
    fn earlier_versions_name_the_same_award_and_recipient() {
        let old = credential("2026-01-15T00:00:00Z", "Old text", "https://e.org/1");
        let mut new = credential("2026-03-02T00:00:00Z", "New text", "https://e.org/2");
        new["awardedDate"] = json!("2026-01-15T00:00:00Z");
        assert!(earlier_version(&old, &new));
        assert!(
            !earlier_version(&new, &old),
            "a later copy is not an earlier version"
        );
        assert!(
            !earlier_version(&old, &old),
            "the same date is no later version"
        );
        let mut someone_else = old.clone();
        someone_else["credentialSubject"]["identifier"][0]["identityHash"] = json!("sha256$2");
        assert!(!earlier_version(&someone_else, &new));
        let mut other_award = old.clone();
        other_award["id"] = json!("https://c.org/verify/B/credential.json");
        assert!(!earlier_version(&other_award, &new));
        // Back-dated: no version of this award was dated before its issue.
        let mut backdated = old.clone();
        backdated["validFrom"] = json!("2025-01-15T00:00:00Z");
        assert!(!earlier_version(&backdated, &new));
        // A never-revised hosted credential has no earlier version.
        let mut unrevised = new.clone();
        unrevised.as_object_mut().unwrap().remove("awardedDate");
        assert!(!earlier_version(&old, &unrevised));
        // A middle version (revised once, then again) is an earlier one too.
        let mut middle = credential("2026-02-01T00:00:00Z", "Middle", "https://e.org/1");
        middle["awardedDate"] = json!("2026-01-15T00:00:00Z");
        assert!(earlier_version(&middle, &new));
        assert_eq!(version_date(&new).as_deref(), Some("2026-03-02"));
        assert!(is_revision(&new));
        assert!(!is_revision(&old), "never revised: no awardedDate");
        let mut same_day = new.clone();
        same_day["awardedDate"] = json!("2026-03-02T00:00:00Z");
        assert!(!is_revision(&same_day));
    }
}
