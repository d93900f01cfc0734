//! `eddsa-rdfc-2022` Data Integrity proofs: signing a document, and
//! checking a signed one against a key or the issuer's DID document.
//!
//! hashData = SHA-256(RDFC-1.0 canonical N-Quads of the proof options, with
//! the document's `@context`) ‖ SHA-256(canonical N-Quads of the document
//! without `proof`); the Ed25519 signature of hashData is the `proofValue`,
//! `z` + base58btc.
//!
//! Signed documents carry `proof` as an array of one proof, as the Open
//! Badges 3.0 JSON Schema requires. The signature covers neither form (the
//! proof is removed before hashing), so reading accepts both the array and
//! the single object that credentials baked before used.
//!
//! The canonical hash of the proof options, which repeats across
//! credentials (same `created`, same key), is remembered instead of
//! recomputed. Everything here is `Send + Sync`: sign from as many rayon
//! threads as there are cores.

use std::collections::HashMap;
use std::sync::{LazyLock, Mutex};

use ed25519_dalek::{Signature, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::jcs::JCS_CRYPTOSUITE;
use super::{
    Key, SigningError, canonicalize, canonicalize_issued, keys::decode_multibase, parse_multikey,
};

pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// Signs `document` (which must have no `proof`) and returns it with
/// `proof` = `[` a `DataIntegrityProof` (`eddsa-rdfc-2022`, purpose
/// `assertionMethod`) `]`. `created` is an XML Schema dateTime
/// (`2026-01-15T00:00:00Z`); pass a deterministic one so the same content
/// gives the same bytes.
pub fn sign(
    document: &Value,
    key: &Key,
    verification_method: &str,
    created: &str,
) -> Result<Value, SigningError> {
    let proof = create_proof(document, key, verification_method, created)?;
    let Value::Object(map) = document else {
        unreachable!("create_proof accepts only objects");
    };
    Ok(with_proof(map.clone(), proof))
}

/// The proof object [`sign`] attaches, on its own (the shape of the 1EdTech
/// test vector's expected proof).
pub fn create_proof(
    document: &Value,
    key: &Key,
    verification_method: &str,
    created: &str,
) -> Result<Map<String, Value>, SigningError> {
    let Value::Object(map) = document else {
        return Err(SigningError::BadDocument(
            "only a JSON object can be signed".into(),
        ));
    };
    if map.contains_key("proof") {
        return Err(SigningError::BadDocument(
            "the document already has a proof".into(),
        ));
    }
    if !is_datetime(created) {
        return Err(SigningError::BadDocument(format!(
            "proof `created` must be a UTC date-time like 2026-01-15T00:00:00Z, found `{created}`"
        )));
    }
    check_absolute_ids(document)?;
    let mut proof = Map::new();
    proof.insert("type".into(), json!("DataIntegrityProof"));
    proof.insert("cryptosuite".into(), json!(CRYPTOSUITE));
    proof.insert("created".into(), json!(created));
    proof.insert("verificationMethod".into(), json!(verification_method));
    proof.insert("proofPurpose".into(), json!("assertionMethod"));
    let hash = hash_data(map, &proof, canonicalize_issued)?;
    let signature = super::base58::encode(&key.sign_bytes(&hash));
    proof.insert("proofValue".into(), json!(format!("z{signature}")));
    Ok(proof)
}

/// An unsigned document with `proof` attached in the published form: an
/// array holding the one proof.
pub fn with_proof(mut unsigned: Map<String, Value>, proof: Map<String, Value>) -> Value {
    unsigned.insert("proof".into(), Value::Array(vec![Value::Object(proof)]));
    Value::Object(unsigned)
}

/// The one proof of a signed document: `proof` as a single object (as
/// credentials baked before proofs became arrays have it) or as an array
/// of one object.
pub fn proof_of(document: &Value) -> Result<&Map<String, Value>, SigningError> {
    match document.get("proof") {
        None => Err(SigningError::NoProof),
        Some(Value::Object(p)) => Ok(p),
        Some(Value::Array(items)) => match items.as_slice() {
            [] => Err(SigningError::NoProof),
            [Value::Object(p)] => Ok(p),
            [_] => Err(SigningError::InvalidSignature(
                "the proof is not a JSON object".into(),
            )),
            more => Err(SigningError::UnsupportedProof(format!(
                "the document carries a set of {} proofs",
                more.len()
            ))),
        },
        Some(_) => Err(SigningError::InvalidSignature(
            "`proof` is neither a proof object nor an array of proofs".into(),
        )),
    }
}

/// Checks the `eddsa-rdfc-2022` proof of a signed document against a
/// 32-byte Ed25519 public key. Does not check who the key belongs to (see
/// [`verify_with_did_document`]) nor dates and status.
pub fn verify(document: &Value, public_key: &[u8; 32]) -> Result<(), SigningError> {
    let Value::Object(map) = document else {
        return Err(SigningError::BadDocument("not a JSON object".into()));
    };
    let proof = proof_of(document)?;
    let (suite, signature) = check_proof_fields(proof)?;
    let mut options = proof.clone();
    options.remove("proofValue");
    let mut unsigned = map.clone();
    unsigned.remove("proof");
    let hash = if suite == JCS_CRYPTOSUITE {
        super::jcs::verify_data(&unsigned, &options)?
    } else {
        if let Some(ctx) = options.remove("@context")
            && Some(&ctx) != map.get("@context")
        {
            return Err(SigningError::InvalidSignature(
                "the proof's @context differs from the document's".into(),
            ));
        }
        hash_data(&unsigned, &options, canonicalize)?
    };
    let key = VerifyingKey::from_bytes(public_key)
        .map_err(|_| SigningError::KeyNotTrusted("invalid Ed25519 public key".into()))?;
    key.verify_strict(&hash, &Signature::from_bytes(&signature))
        .map_err(|_| {
            SigningError::InvalidSignature(
                "the signature does not match: the document was changed or signed by another key"
                    .into(),
            )
        })
}

/// The proof's type, suite (`eddsa-rdfc-2022`, or `eddsa-jcs-2022` for
/// print credentials) and purpose, and its signature bytes.
fn check_proof_fields(
    proof: &Map<String, Value>,
) -> Result<(&'static str, [u8; 64]), SigningError> {
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    if field("type") != Some("DataIntegrityProof") {
        return Err(SigningError::UnsupportedProof(format!(
            "the proof is of type `{}`",
            field("type").unwrap_or("?")
        )));
    }
    let suite = match field("cryptosuite") {
        Some(CRYPTOSUITE) => CRYPTOSUITE,
        Some(JCS_CRYPTOSUITE) => JCS_CRYPTOSUITE,
        other => {
            return Err(SigningError::UnsupportedProof(format!(
                "the proof's cryptosuite is `{}`",
                other.unwrap_or("?")
            )));
        }
    };
    if field("proofPurpose") != Some("assertionMethod") {
        return Err(SigningError::InvalidSignature(
            "the proof's purpose is not assertionMethod".into(),
        ));
    }
    field("proofValue")
        .and_then(decode_multibase)
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .map(|sig| (suite, sig))
        .ok_or_else(|| {
            SigningError::InvalidSignature(
                "the proofValue is not a base58btc Ed25519 signature".into(),
            )
        })
}

/// The `verificationMethod` a signed document's proof names.
pub fn proof_verification_method(document: &Value) -> Option<&str> {
    proof_of(document).ok()?.get("verificationMethod")?.as_str()
}

/// [`verify`] with the key the proof names, looked up in a DID document:
/// the method must be listed in `verificationMethod` and `assertionMethod`,
/// be controlled by the DID, and be a Multikey.
pub fn verify_with_did_document(
    document: &Value,
    did_document: &Value,
) -> Result<(), SigningError> {
    let vm = proof_verification_method(document).ok_or_else(|| match proof_of(document) {
        Err(e) => e,
        Ok(_) => SigningError::InvalidSignature("the proof names no verificationMethod".into()),
    })?;
    let untrusted = |m: String| SigningError::KeyNotTrusted(m);
    let did = did_document
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let method = did_document
        .get("verificationMethod")
        .and_then(Value::as_array)
        .and_then(|ms| {
            ms.iter()
                .find(|m| m.get("id").and_then(Value::as_str) == Some(vm))
        })
        .ok_or_else(|| {
            untrusted(format!(
                "the issuer's DID document does not list the key {vm}"
            ))
        })?;
    let asserts = did_document
        .get("assertionMethod")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|m| m.as_str() == Some(vm) || m.get("id").and_then(Value::as_str) == Some(vm))
        });
    if !asserts {
        return Err(untrusted(format!(
            "the key {vm} may not sign credentials (not an assertionMethod)"
        )));
    }
    if method.get("controller").and_then(Value::as_str) != Some(did) {
        return Err(untrusted(format!(
            "the key {vm} is not controlled by {did}"
        )));
    }
    let multikey = method
        .get("publicKeyMultibase")
        .and_then(Value::as_str)
        .ok_or_else(|| untrusted(format!("the key {vm} has no publicKeyMultibase")))?;
    let key = parse_multikey(multikey).map_err(|e| untrusted(e.to_string()))?;
    verify(document, &key)
}

/// hashData: SHA-256(canonical proof options with the document's @context)
/// ‖ SHA-256(canonical document). Signing canonicalises the document with
/// pruned contexts (same N-Quads, faster), verifying with the full ones.
fn hash_data(
    document: &Map<String, Value>,
    proof_options: &Map<String, Value>,
    canonical: fn(&Value) -> Result<String, SigningError>,
) -> Result<[u8; 64], SigningError> {
    let mut config = proof_options.clone();
    match document.get("@context") {
        Some(ctx) => config.insert("@context".into(), ctx.clone()),
        None => {
            return Err(SigningError::BadDocument(
                "the document has no @context".into(),
            ));
        }
    };
    let config_hash = proof_config_hash(&Value::Object(config))?;
    let doc_hash: [u8; 32] =
        Sha256::digest(canonical(&Value::Object(document.clone()))?.as_bytes()).into();
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&config_hash);
    out[32..].copy_from_slice(&doc_hash);
    Ok(out)
}

/// The hash of canonical proof options, remembered: every credential
/// issued on the same day by the same key has the same proof options.
fn proof_config_hash(config: &Value) -> Result<[u8; 32], SigningError> {
    static MEMO: LazyLock<Mutex<HashMap<String, [u8; 32]>>> = LazyLock::new(Default::default);
    let memo_key = config.to_string();
    if let Some(h) = MEMO
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&memo_key)
    {
        return Ok(*h);
    }
    let hash: [u8; 32] = Sha256::digest(canonicalize(config)?.as_bytes()).into();
    let mut memo = MEMO.lock().unwrap_or_else(|e| e.into_inner());
    if memo.len() >= 100_000 {
        memo.clear();
    }
    memo.insert(memo_key, hash);
    Ok(hash)
}

/// JSON-LD silently drops what it cannot turn into RDF, e.g. a relative
/// `id`; the JavaScript reference verifier (safe mode) then refuses the
/// credential. Refuse to sign such a document instead.
fn check_absolute_ids(value: &Value) -> Result<(), SigningError> {
    match relative_id(value) {
        Some((here, s)) => Err(SigningError::BadDocument(format!(
            "`{here}` is `{s}`, not an absolute URL: JSON-LD would drop it"
        ))),
        None => Ok(()),
    }
}

/// The first `id` that is not an absolute URL: its path and value (the
/// path is made only then: formatting every path was 1% of a build).
fn relative_id(value: &Value) -> Option<(String, &str)> {
    match value {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if (k == "id" || k == "@id")
                && let Some(s) = v.as_str()
                && !has_scheme(s)
            {
                return Some((format!("/{k}"), s));
            }
            if k == "@context" {
                return None;
            }
            relative_id(v).map(|(p, s)| (format!("/{k}{p}"), s))
        }),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, v)| relative_id(v).map(|(p, s)| (format!("/{i}{p}"), s))),
        _ => None,
    }
}

/// `YYYY-MM-DDTHH:MM:SS[.fff]Z`: what Data Integrity verifiers accept for
/// `created` (an XML Schema dateTime, here always in UTC).
fn is_datetime(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 20 {
        return false;
    }
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    let rest_ok = match b[19] {
        b'Z' => b.len() == 20,
        b'.' => b.len() > 21 && b[b.len() - 1] == b'Z' && digits(20..b.len() - 1),
        _ => false,
    };
    digits(0..4)
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
        && b[10] == b'T'
        && digits(11..13)
        && b[13] == b':'
        && digits(14..16)
        && b[16] == b':'
        && digits(17..19)
        && rest_ok
}

fn has_scheme(s: &str) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
}

#[cfg(test)]
mod tests {
    use super::super::test_vector::*;
    use super::super::{did_document, did_web, verification_method};
    use super::*;

    fn vector_json(text: &str) -> Value {
        serde_json::from_str(text).unwrap()
    }

    fn hex32(s: &str) -> [u8; 32] {
        let v: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    fn vector_key() -> Key {
        let k = vector_json(VECTOR_KEY);
        Key::from_seed(hex32(k["ed25519_secret_seed_hex"].as_str().unwrap()))
    }

    #[test]
    fn reproduces_the_1edtech_vector_byte_for_byte() {
        let doc = vector_json(VECTOR_UNSIGNED);
        let k = vector_json(VECTOR_KEY);
        assert_eq!(canonicalize(&doc).unwrap(), VECTOR_DOCUMENT_CANON);
        let mut options = k["proof_options"].clone();
        options["@context"] = doc["@context"].clone();
        assert_eq!(canonicalize(&options).unwrap(), VECTOR_PROOF_CANON);

        let key = vector_key();
        assert_eq!(
            hex32(k["ed25519_public_key_hex"].as_str().unwrap()),
            key.public_key_bytes()
        );
        assert_eq!(key.public_multikey(), k["public_key_multibase"]);
        let p = &k["proof_options"];
        let (vm, created) = (
            p["verificationMethod"].as_str().unwrap(),
            p["created"].as_str().unwrap(),
        );
        // The proof, in the vector's own shape: one object.
        let proof = create_proof(&doc, &key, vm, created).unwrap();
        assert_eq!(proof["proofValue"], k["expected_proof_value"]);
        for field in [
            "type",
            "created",
            "verificationMethod",
            "cryptosuite",
            "proofPurpose",
        ] {
            assert_eq!(proof[field], p[field], "{field}");
        }
        let mut as_object = doc.clone();
        as_object["proof"] = Value::Object(proof.clone());
        verify(&as_object, &key.public_key_bytes()).unwrap();
        // `sign` publishes the same proof as an array of one (the OB 3.0
        // schema's shape); the signature is the same bytes.
        let signed = sign(&doc, &key, vm, created).unwrap();
        assert_eq!(signed["proof"], json!([proof]));
        verify(&signed, &key.public_key_bytes()).unwrap();
    }

    #[test]
    fn round_trip_and_tampering() {
        let key = Key::generate();
        let doc = vector_json(VECTOR_UNSIGNED);
        let vm = verification_method("did:web:example.org", &key.public_multikey());
        let signed = sign(&doc, &key, &vm, "2026-01-15T00:00:00Z").unwrap();
        verify(&signed, &key.public_key_bytes()).unwrap();
        // Same input, same bytes.
        assert_eq!(
            signed,
            sign(&doc, &key, &vm, "2026-01-15T00:00:00Z").unwrap()
        );

        let mut tampered = signed.clone();
        tampered["credentialSubject"]["achievement"]["name"] = json!("Teamwork (forged)");
        let err = verify(&tampered, &key.public_key_bytes()).unwrap_err();
        assert!(matches!(err, SigningError::InvalidSignature(_)), "{err}");
        let mut tampered = signed.clone();
        tampered["proof"][0]["created"] = json!("2026-01-16T00:00:00Z");
        assert!(verify(&tampered, &key.public_key_bytes()).is_err());
        let other = Key::generate();
        assert!(verify(&signed, &other.public_key_bytes()).is_err());
        // Reordering keys changes nothing: the canonical form is of the graph.
        let reordered: Value =
            serde_json::from_str(&serde_json::to_string_pretty(&signed).unwrap()).unwrap();
        verify(&reordered, &key.public_key_bytes()).unwrap();
    }

    #[test]
    fn proof_forms_old_and_new_and_unsupported() {
        let key = Key::generate();
        let doc = vector_json(VECTOR_UNSIGNED);
        let signed = sign(&doc, &key, "did:web:x#k", "2026-01-15T00:00:00Z").unwrap();
        let proof = proof_of(&signed).unwrap().clone();
        // Before proofs became arrays: a single object verifies the same.
        let mut old = signed.clone();
        old["proof"] = Value::Object(proof.clone());
        verify(&old, &key.public_key_bytes()).unwrap();
        assert_eq!(proof_verification_method(&old), Some("did:web:x#k"));
        assert_eq!(proof_verification_method(&signed), Some("did:web:x#k"));

        let with = |p: Value| {
            let mut d = signed.clone();
            d["proof"] = p;
            verify(&d, &key.public_key_bytes()).unwrap_err()
        };
        let two = with(json!([proof, proof]));
        assert!(two.is_unsupported(), "{two}");
        assert!(matches!(with(json!([])), SigningError::NoProof));
        assert!(matches!(
            with(json!("z123")),
            SigningError::InvalidSignature(_)
        ));
        assert!(matches!(
            with(json!([1])),
            SigningError::InvalidSignature(_)
        ));
        let mut other_suite = proof.clone();
        other_suite.insert("cryptosuite".into(), json!("ecdsa-rdfc-2019"));
        let e = with(json!([other_suite]));
        assert!(
            e.is_unsupported() && e.to_string().contains("ecdsa-rdfc-2019"),
            "{e}"
        );
        let mut other_purpose = proof.clone();
        other_purpose.insert("proofPurpose".into(), json!("authentication"));
        assert!(matches!(
            with(json!([other_purpose])),
            SigningError::InvalidSignature(_)
        ));
        let mut unsigned = signed.clone();
        unsigned.as_object_mut().unwrap().remove("proof");
        assert!(matches!(
            verify(&unsigned, &key.public_key_bytes()),
            Err(SigningError::NoProof)
        ));
    }

    #[test]
    fn verifies_through_a_did_document() {
        let key = Key::generate();
        let old = Key::generate();
        let did = did_web("https://credentials.example.org").unwrap();
        let doc_ = did_document(&did, &key, &[old.public_multikey()]);
        let cred = vector_json(VECTOR_UNSIGNED);
        let signed = sign(
            &cred,
            &old,
            &verification_method(&did, &old.public_multikey()),
            "2020-01-01T00:00:00Z",
        )
        .unwrap();
        verify_with_did_document(&signed, &doc_).unwrap();
        let stranger = Key::generate();
        let signed = sign(
            &cred,
            &stranger,
            &verification_method(&did, &stranger.public_multikey()),
            "2020-01-01T00:00:00Z",
        )
        .unwrap();
        let err = verify_with_did_document(&signed, &doc_).unwrap_err();
        assert!(matches!(err, SigningError::KeyNotTrusted(_)), "{err}");
        assert!(err.to_string().contains("does not list"), "{err}");
    }

    #[test]
    fn refuses_unknown_contexts_and_relative_ids() {
        let key = Key::generate();
        let doc = json!({"@context": ["https://example.org/ctx"], "id": "urn:x", "name": "x"});
        let err = sign(&doc, &key, "did:web:x#k", "2026-01-01T00:00:00Z").unwrap_err();
        assert!(err.to_string().contains("unknown JSON-LD context"), "{err}");
        let mut doc = vector_json(VECTOR_UNSIGNED);
        doc["id"] = json!("credentials/3527");
        let err = sign(&doc, &key, "did:web:x#k", "2026-01-01T00:00:00Z").unwrap_err();
        assert!(err.to_string().contains("not an absolute URL"), "{err}");
        let doc = vector_json(VECTOR_UNSIGNED);
        for bad in [
            "2026-01-01",
            "2026-01-01T00:00:00",
            "2026-01-01 00:00:00Z",
            "x",
        ] {
            assert!(sign(&doc, &key, "did:web:x#k", bad).is_err(), "{bad}");
        }
        for good in ["2026-01-01T00:00:00Z", "2026-01-01T00:00:00.123Z"] {
            assert!(sign(&doc, &key, "did:web:x#k", good).is_ok(), "{good}");
        }
        assert!(sign(&json!([1]), &key, "did:web:x#k", "2026-01-01T00:00:00Z").is_err());
    }

    #[test]
    fn signs_from_many_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Key>();
        let key = Key::generate();
        let doc = vector_json(VECTOR_UNSIGNED);
        let results: Vec<Value> = std::thread::scope(|s| {
            let handles: Vec<_> = (0..4)
                .map(|_| {
                    s.spawn(|| sign(&doc, &key, "did:web:x#k", "2026-01-01T00:00:00Z").unwrap())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert!(results.windows(2).all(|w| w[0] == w[1]));
    }
}
