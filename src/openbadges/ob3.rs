//! Open Badges 3.0: the `OpenBadgeCredential` of an award, served signed at
//! `/verify/<award>/credential.json` and baked into the award's images.
//!
//! The issuer is the site's did:web DID (`signing::did_web`), so a verifier
//! finds the key in the site's own DID document. Texts are in the site's
//! default language. The earner appears only as a salted email hash (the
//! same salt and normalisation as Open Badges 2.0, see `openbadges`).
//! Optional fields are left out rather than written empty: no `null`s and
//! no empty arrays, as Open Badges asks.
//!
//! The credential is valid against 1EdTech's OB 3.0 JSON Schema
//! (`ob_v3p0_achievementcredential_schema.json`); `proof` is an array of
//! one proof. It declares no `credentialSchema`: verifiers (e.g.
//! `@digitalcredentials/verifier-core`) already pick exactly that schema
//! from the OB 3.0 context and the `OpenBadgeCredential` type, and adding
//! the property would change every credential's signed content, so every
//! image baked before would then differ from its hosted copy.
//!
//! `proof.created` is the award's `issued_on` (midnight UTC), not the build
//! time: the same content and key then give the same bytes in every build
//! (SPEC: byte-identical output; signatures can be cached), and the proof
//! claims no more than the award record does.
//!
//! **Versions.** A correction after issue (a `revised_on` date on the award,
//! its badge or the issuer) makes a new version of the credential, as Open
//! Badges 3.0 defines one: the same `id` and issuer, `validFrom` (and
//! `proof.created`) the date of the correction, and `awardedDate` keeping
//! the original issue date. Copies earners hold of an earlier version keep
//! their valid signature; verifiers see the hosted copy is a later version
//! and report theirs as superseded, not changed (`check`). A credential
//! never revised has no `awardedDate`, exactly as before versions existed.

use serde_json::{Map, Value, json};

use super::status_list::StatusEntry;
use super::{identity_hash, recipient_salt};
use crate::content::{Kind, Localized};
use crate::dates::Date;
use crate::endorse::Subject;
use crate::paths;
use crate::signing::{self, Key, SigningError};
use crate::site::{Award, Badge, Site};

pub use super::{OB_CONTEXT, VC_CONTEXT};

pub fn credential_url(site: &Site, award: &Award) -> String {
    site.url(&paths::credential(&award.id))
}

/// The Achievement's id: the badge's page.
pub fn achievement_url(site: &Site, badge: &Badge) -> String {
    site.url(&paths::badge_page(&badge.id))
}

fn text<'a>(site: &Site, l: &'a Localized) -> Option<&'a str> {
    l.get(site.default_lang(), site.default_lang())
        .filter(|s| !s.trim().is_empty())
}

fn insert_text(m: &mut Map<String, Value>, key: &str, value: Option<&str>) {
    if let Some(v) = value.filter(|v| !v.trim().is_empty()) {
        m.insert(key.into(), json!(v));
    }
}

/// The unsigned credential of an award.
pub fn credential(site: &Site, award: &Award, issuer_did: &str, status: StatusEntry) -> Value {
    let badge = &site.badges[award.badge];
    let earner = &site.earners[award.earner];
    let salt = recipient_salt(&award.id);

    let mut doc = Map::new();
    doc.insert("@context".into(), json!([VC_CONTEXT, OB_CONTEXT]));
    doc.insert("id".into(), json!(credential_url(site, award)));
    doc.insert(
        "type".into(),
        json!(["VerifiableCredential", "OpenBadgeCredential"]),
    );
    doc.insert("issuer".into(), issuer(site, issuer_did, award.version_on));
    doc.insert("validFrom".into(), json!(award.version_on.to_datetime()));
    if award.is_revised() {
        doc.insert("awardedDate".into(), json!(award.issued_on.to_datetime()));
    }
    if let Some(e) = award.expires_on {
        doc.insert("validUntil".into(), json!(e.to_datetime()));
    }
    doc.insert(
        "name".into(),
        json!(text(site, &badge.name).unwrap_or(&badge.id)),
    );
    doc.insert(
        "credentialSubject".into(),
        json!({
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": identity_hash(&earner.email, &salt),
                "identityType": "emailAddress",
                "hashed": true,
                "salt": salt,
            }],
            "achievement": achievement(site, award.badge, award.version_on),
        }),
    );
    if !award.evidence.is_empty() {
        let evidence: Vec<Value> = award
            .evidence
            .iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("id".into(), json!(e.url));
                m.insert("type".into(), json!(["Evidence"]));
                insert_text(&mut m, "narrative", e.narrative.as_deref());
                Value::Object(m)
            })
            .collect();
        doc.insert("evidence".into(), Value::Array(evidence));
    }
    doc.insert("credentialStatus".into(), status.to_json());
    Value::Object(doc)
}

/// The issuer Profile, embedded in each credential.
/// The endorsements of `subject` a credential whose version is dated
/// `as_of` carries (`endorse::Endorsement::in_force`), as signed.
fn endorsements(site: &Site, subject: Subject, as_of: Date) -> Option<Value> {
    let list: Vec<Value> = site
        .endorsements
        .iter()
        .filter(|e| e.subject == subject && e.in_force(as_of))
        .map(|e| e.credential.clone())
        .collect();
    (!list.is_empty()).then_some(Value::Array(list))
}

fn issuer(site: &Site, issuer_did: &str, as_of: Date) -> Value {
    let i = &site.issuer;
    let mut m = Map::new();
    m.insert("id".into(), json!(issuer_did));
    m.insert("type".into(), json!(["Profile"]));
    m.insert("name".into(), json!(site.issuer_name(site.default_lang())));
    insert_text(&mut m, "url", Some(&i.url));
    insert_text(&mut m, "email", Some(&i.email));
    insert_text(
        &mut m,
        "description",
        i.description.as_ref().and_then(|d| text(site, d)),
    );
    // The same file the Open Badges 2.0 Profile points at.
    if let Some(img) = site.issuer_image() {
        m.insert(
            "image".into(),
            json!({"id": site.url(&img), "type": "Image"}),
        );
    }
    if let Some(list) = endorsements(site, Subject::Issuer, as_of) {
        m.insert("endorsement".into(), list);
    }
    Value::Object(m)
}

fn achievement(site: &Site, b: usize, as_of: Date) -> Value {
    let badge = &site.badges[b];
    let mut m = Map::new();
    m.insert("id".into(), json!(achievement_url(site, badge)));
    m.insert("type".into(), json!(["Achievement"]));
    m.insert(
        "achievementType".into(),
        json!(match badge.kind {
            Kind::Exam => "Assessment",
            Kind::Certification => "Certification",
        }),
    );
    m.insert(
        "name".into(),
        json!(text(site, &badge.name).unwrap_or(&badge.id)),
    );
    // Open Badges requires a description and criteria; fall back to the name.
    let name = text(site, &badge.name).unwrap_or(&badge.id);
    m.insert(
        "description".into(),
        json!(text(site, &badge.description).unwrap_or(name)),
    );
    m.insert(
        "criteria".into(),
        json!({"narrative": text(site, &badge.criteria).unwrap_or(name)}),
    );
    m.insert(
        "image".into(),
        json!({"id": site.url(&paths::badge_art(&badge.id, "png")), "type": "Image"}),
    );
    let tags: Vec<&str> = badge.skills.iter().filter_map(|k| text(site, k)).collect();
    if !tags.is_empty() {
        m.insert("tag".into(), json!(tags));
    }
    let alignment: Vec<Value> = super::alignments(site, badge)
        .into_iter()
        .map(|(a, target_type)| {
            let mut m = Map::new();
            m.insert("type".into(), json!(["Alignment"]));
            m.insert("targetName".into(), json!(a.name));
            m.insert("targetUrl".into(), json!(a.url));
            insert_text(&mut m, "targetFramework", a.framework.as_deref());
            insert_text(&mut m, "targetCode", a.code.as_deref());
            insert_text(&mut m, "targetDescription", a.description.as_deref());
            insert_text(&mut m, "targetType", target_type);
            Value::Object(m)
        })
        .collect();
    if !alignment.is_empty() {
        m.insert("alignment".into(), Value::Array(alignment));
    }
    if let Some(list) = endorsements(site, Subject::Badge(b), as_of) {
        m.insert("endorsement".into(), list);
    }
    Value::Object(m)
}

/// The credential, signed by `key` (verification method `<did>#<multikey>`,
/// `created` = the date of its version), with `proof` as an array of one
/// proof, as the 1EdTech Open Badges 3.0 JSON Schema requires.
pub fn signed_credential(
    site: &Site,
    award: &Award,
    key: &Key,
    issuer_did: &str,
    status: StatusEntry,
) -> Result<Value, SigningError> {
    let doc = credential(site, award, issuer_did, status);
    let vm = signing::verification_method(issuer_did, &key.public_multikey());
    signing::sign(&doc, key, &vm, &award.version_on.to_datetime())
}

/// The credential of an earlier build (`previous`, its bytes), when it is
/// `unsigned` signed by the same verification method on the same
/// `created`: signing is most of a build's work, and Ed25519 signatures are
/// deterministic, so reusing the proof gives exactly the bytes signing
/// again would. The proof comes back in the published form (an array of
/// one) also when the earlier build wrote it as a single object.
pub fn reuse_signed(
    previous: &[u8],
    unsigned: &Value,
    verification_method: &str,
    created: &str,
) -> Option<Value> {
    let Value::Object(mut old) = serde_json::from_slice::<Value>(previous).ok()? else {
        return None;
    };
    let holder = json!({ "proof": old.remove("proof")? });
    let proof = signing::proof_of(&holder).ok()?;
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    let same_proof = field("verificationMethod") == Some(verification_method)
        && field("created") == Some(created)
        && field("cryptosuite") == Some(signing::CRYPTOSUITE)
        && field("proofValue").is_some_and(|v| v.starts_with('z'));
    (same_proof && old == *unsigned.as_object()?).then(|| signing::with_proof(old, proof.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::openbadges::status_list;

    fn example() -> Site {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        let (site, diags) = crate::build::resolve(root, None, crate::dates::now_epoch().unwrap());
        let Some((_, site)) = site else {
            panic!("example site does not load: {:?}", diags.0.len());
        };
        site
    }

    fn assert_no_null_or_empty(v: &Value, path: &str) {
        match v {
            Value::Null => panic!("null at {path}"),
            Value::Array(a) => {
                assert!(!a.is_empty(), "empty array at {path}");
                for (i, x) in a.iter().enumerate() {
                    assert_no_null_or_empty(x, &format!("{path}/{i}"));
                }
            }
            Value::Object(m) => {
                for (k, x) in m {
                    assert_no_null_or_empty(x, &format!("{path}/{k}"));
                }
            }
            Value::String(s) => assert!(!s.is_empty(), "empty string at {path}"),
            _ => {}
        }
    }

    #[test]
    fn credential_shape() {
        let site = example();
        let award = site.awards.first().expect("the example has awards");
        let did = signing::did_web(&site.base_url).unwrap();
        let status = StatusEntry::new(&site, 42);
        let c = credential(&site, award, &did, status);
        assert_no_null_or_empty(&c, "");
        assert_eq!(c["@context"], json!([VC_CONTEXT, OB_CONTEXT]));
        assert_eq!(c["id"], site.url(&paths::credential(&award.id)));
        assert_eq!(
            c["type"],
            json!(["VerifiableCredential", "OpenBadgeCredential"])
        );
        assert_eq!(c["issuer"]["id"], did);
        assert_eq!(c["issuer"]["type"], json!(["Profile"]));
        assert_eq!(c["validFrom"], award.issued_on.to_datetime());
        let subject = &c["credentialSubject"];
        assert_eq!(subject["type"], json!(["AchievementSubject"]));
        let ident = &subject["identifier"][0];
        let earner = &site.earners[award.earner];
        assert_eq!(
            ident["identityHash"],
            identity_hash(&earner.email, &recipient_salt(&award.id))
        );
        assert_eq!(ident["hashed"], true);
        let badge = &site.badges[award.badge];
        assert_eq!(
            subject["achievement"]["id"],
            site.url(&paths::badge_page(&badge.id))
        );
        assert_eq!(subject["achievement"]["image"]["type"], "Image");
        assert!(subject["achievement"]["criteria"]["narrative"].is_string());
        assert_eq!(c["credentialStatus"]["statusListIndex"], "42");
        assert_eq!(
            c["credentialStatus"]["statusListCredential"],
            site.url("status/revocation.json")
        );
        // The earner's email never appears.
        assert!(!c.to_string().contains(&earner.email));
    }

    #[test]
    fn pruned_contexts_give_the_same_nquads_for_every_example_document() {
        let site = example();
        let did = signing::did_web(&site.base_url).unwrap();
        let indexes = status_list::assign(site.awards.iter().map(|a| (a.id.as_str(), a.issued_on)));
        let mut docs: Vec<Value> = site
            .awards
            .iter()
            .map(|a| credential(&site, a, &did, StatusEntry::new(&site, indexes[&a.id])))
            .collect();
        docs.push(status_list::status_list_credential(&site, &did, &[1, 5]));
        docs.push(signing::did_document(&did, &Key::generate(), &[]));
        for doc in &docs {
            let full = signing::canonicalize(doc).unwrap();
            assert!(full.lines().count() >= 5, "{full}");
            assert_eq!(signing::canonicalize_issued(doc).unwrap(), full, "{doc}");
        }
    }

    #[test]
    fn every_example_credential_signs_and_verifies() {
        let site = example();
        let key = Key::generate();
        let did = signing::did_web(&site.base_url).unwrap();
        let indexes = status_list::assign(site.awards.iter().map(|a| (a.id.as_str(), a.issued_on)));
        for award in &site.awards {
            let status = StatusEntry::new(&site, indexes[&award.id]);
            let signed = signed_credential(&site, award, &key, &did, status).unwrap();
            assert_no_null_or_empty(&signed, "");
            // The OB 3.0 schema's shape: `proof` is an array.
            assert_eq!(signed["proof"].as_array().map(Vec::len), Some(1));
            assert_eq!(signed["proof"][0]["created"], award.issued_on.to_datetime());
            let did_doc = signing::did_document(&did, &key, &[]);
            signing::verify_with_did_document(&signed, &did_doc).unwrap();
            // Every field reaches the signed graph: changing any text breaks it.
            let mut forged = signed.clone();
            forged["credentialSubject"]["achievement"]["name"] = json!("Forged");
            assert!(signing::verify(&forged, &key.public_key_bytes()).is_err());
        }

        let revoked: Vec<u64> = site
            .awards
            .iter()
            .filter(|a| a.revoked.is_some())
            .map(|a| indexes[&a.id])
            .collect();
        let list = status_list::status_list_credential(&site, &did, &revoked);
        assert_no_null_or_empty(&list, "");
        let vm = signing::verification_method(&did, &key.public_multikey());
        let created = list["validFrom"].as_str().unwrap().to_string();
        let signed = signing::sign(&list, &key, &vm, &created).unwrap();
        assert_eq!(signed["proof"].as_array().map(Vec::len), Some(1));
        signing::verify(&signed, &key.public_key_bytes()).unwrap();
        let bits =
            status_list::decode_list(signed["credentialSubject"]["encodedList"].as_str().unwrap())
                .unwrap();
        for a in &site.awards {
            assert_eq!(
                status_list::is_set(&bits, indexes[&a.id]),
                a.revoked.is_some(),
                "{}",
                a.id
            );
        }
    }

    #[test]
    fn earlier_signatures_are_reused_in_the_published_form() {
        let site = example();
        let award = site.awards.first().unwrap();
        let key = Key::from_seed([4; 32]);
        let did = signing::did_web(&site.base_url).unwrap();
        let vm = signing::verification_method(&did, &key.public_multikey());
        let created = award.issued_on.to_datetime();
        let unsigned = credential(&site, award, &did, StatusEntry::new(&site, 7));
        let signed =
            signed_credential(&site, award, &key, &did, StatusEntry::new(&site, 7)).unwrap();
        let bytes = |v: &Value| serde_json::to_vec(v).unwrap();

        let again = reuse_signed(&bytes(&signed), &unsigned, &vm, &created).unwrap();
        assert_eq!(again, signed);
        // A build from before proofs became arrays wrote a single object:
        // its signature is reused, and published as an array.
        let mut old = signed.clone();
        old["proof"] = signed["proof"][0].clone();
        assert_eq!(
            reuse_signed(&bytes(&old), &unsigned, &vm, &created).unwrap(),
            signed
        );
        // Anything changed: sign again.
        let other = credential(&site, award, &did, StatusEntry::new(&site, 8));
        assert_eq!(reuse_signed(&bytes(&signed), &other, &vm, &created), None);
        assert_eq!(
            reuse_signed(&bytes(&signed), &unsigned, "did:web:x#k", &created),
            None
        );
        assert_eq!(
            reuse_signed(&bytes(&signed), &unsigned, &vm, "2020-01-01T00:00:00Z"),
            None
        );
        assert_eq!(reuse_signed(b"not json", &unsigned, &vm, &created), None);
        assert_eq!(
            reuse_signed(&bytes(&unsigned), &unsigned, &vm, &created),
            None
        );
    }
}
