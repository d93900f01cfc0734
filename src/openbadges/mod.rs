//! Open Badges documents: 2.0 hosted verification JSON (`ob2`), recipient
//! identity hashing, baking credentials into PNG and SVG images (`bake`), and
//! checking a credential someone hands us (`check`), and telling versions
//! of a credential apart (`versions`).

pub mod bake;
pub mod check;
pub mod ob2;
pub mod ob3;
pub mod print;
pub mod status_list;
pub mod versions;

/// The W3C Verifiable Credentials 2.0 context, first in every credential.
pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
/// The Open Badges 3.0.3 context, second in an OpenBadgeCredential.
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";

use sha2::{Digest, Sha256};

use crate::site::{Alignment, Badge, Site};

/// How an email is normalised before hashing, everywhere (build, `verify`,
/// the browser verifier): surrounding white space removed, all lowercase.
/// Mail systems treat addresses case-insensitively in practice, and an earner
/// typing `Li.Lei@Example.com` into a verifier must still match.
pub fn normalize_email(email: &str) -> String {
    email.trim().to_lowercase()
}

/// The salt of an award's recipient hash: derived from the award id, so it is
/// stable across builds (the hash in an image baked years ago still matches)
/// and different for every award (hashes cannot be compared across awards).
pub fn recipient_salt(award_id: &str) -> String {
    let digest = Sha256::digest(format!("accolade recipient salt v1\0{award_id}").as_bytes());
    hex(&digest[..16])
}

/// `sha256$` + hex(SHA-256(normalised email + salt)), as Open Badges specifies.
pub fn identity_hash(email: &str, salt: &str) -> String {
    let digest = Sha256::digest(format!("{}{salt}", normalize_email(email)).as_bytes());
    format!("sha256${}", hex(&digest))
}

/// A badge's alignments as both versions publish them: its own, then for a
/// certification each exam it requires (the exam's Achievement/BadgeClass
/// page, its id as the code), with the OB 3.0 `targetType` of each
/// (`ceterms:Credential` for a required exam). Not `related`: OB 3.0 keeps
/// that for the same Achievement in another language or version.
pub fn alignments(site: &Site, badge: &Badge) -> Vec<(Alignment, Option<&'static str>)> {
    let own = badge.alignment.iter().map(|a| (a.clone(), None));
    let exams = badge.requires.iter().map(|&x| {
        let exam = &site.badges[x];
        let name = exam.name.get(site.default_lang(), site.default_lang());
        let required = Alignment {
            name: name.unwrap_or(&exam.id).to_string(),
            url: ob3::achievement_url(site, exam),
            framework: None,
            code: Some(exam.id.clone()),
            description: None,
        };
        (required, Some("ceterms:Credential"))
    });
    own.chain(exams).collect()
}

/// Lower-case hex (a build makes millions: one `format!` per byte was a
/// tenth of a no-op rebuild's fingerprinting).
pub fn hex(bytes: &[u8]) -> String {
    data_encoding::HEXLOWER.encode(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identity_hash_matches_the_spec_formula() {
        // sha256("a@example.com" + "salt")
        let expected = hex(&Sha256::digest(b"a@example.comsalt"));
        assert_eq!(
            identity_hash(" A@Example.com ", "salt"),
            format!("sha256${expected}")
        );
        assert_ne!(recipient_salt("AAAA"), recipient_salt("BBBB"));
        assert_eq!(recipient_salt("AAAA"), recipient_salt("AAAA"));
        assert_eq!(recipient_salt("AAAA").len(), 32);
    }
}
