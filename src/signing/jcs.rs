//! `eddsa-jcs-2022` Data Integrity proofs (VC Data Integrity EdDSA
//! Cryptosuites v1.0, §3.3): the suite of the print credential
//! (`openbadges::print`), chosen because a browser can check it with
//! WebCrypto and a page of script, where `eddsa-rdfc-2022` needs a JSON-LD
//! processor.
//!
//! hashData = SHA-256(JCS(proof options with the document's `@context`))
//! ‖ SHA-256(JCS(document without `proof`)); the proof keeps that
//! `@context`, as the suite's proof creation says.

use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

use super::{Key, SigningError};

pub const JCS_CRYPTOSUITE: &str = "eddsa-jcs-2022";

/// The JSON Canonicalization Scheme (RFC 8785) of a document that holds no
/// fractional numbers (none of ours does; they are refused). Strings are
/// written as ECMAScript's `JSON.stringify` writes them, which is what
/// serde_json does; keys are sorted by their UTF-16 code units.
pub fn canonical_json(value: &Value) -> Result<String, SigningError> {
    let mut out = String::new();
    write_canonical(value, &mut out)?;
    Ok(out)
}

fn write_canonical(value: &Value, out: &mut String) -> Result<(), SigningError> {
    match value {
        Value::Number(n) if n.as_i64().is_none() && n.as_u64().is_none() => {
            return Err(SigningError::BadDocument(format!(
                "the number {n} has no canonical form here (integers only)"
            )));
        }
        Value::Null | Value::Bool(_) | Value::Number(_) | Value::String(_) => {
            out.push_str(&value.to_string())
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out)?;
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort_by(|a, b| a.encode_utf16().cmp(b.encode_utf16()));
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out)?;
            }
            out.push('}');
        }
    }
    Ok(())
}

/// Signs `document` (no `proof` yet) and returns it with `proof` = one
/// `DataIntegrityProof` object (`eddsa-jcs-2022`, `assertionMethod`).
/// `created` is deterministic, as for [`super::sign`].
pub fn sign_jcs(
    document: &Value,
    key: &Key,
    verification_method: &str,
    created: &str,
) -> Result<Value, SigningError> {
    let Value::Object(map) = document else {
        return Err(SigningError::BadDocument(
            "only a JSON object can be signed".into(),
        ));
    };
    let context = map
        .get("@context")
        .ok_or_else(|| SigningError::BadDocument("the document has no @context".into()))?;
    let mut proof = Map::new();
    proof.insert("@context".into(), context.clone());
    proof.insert("type".into(), json!("DataIntegrityProof"));
    proof.insert("cryptosuite".into(), json!(JCS_CRYPTOSUITE));
    proof.insert("created".into(), json!(created));
    proof.insert("verificationMethod".into(), json!(verification_method));
    proof.insert("proofPurpose".into(), json!("assertionMethod"));
    let hash = hash_data(map, &proof)?;
    let signature = super::base58::encode(&key.sign_bytes(&hash));
    proof.insert("proofValue".into(), json!(format!("z{signature}")));
    let mut signed = map.clone();
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// hashData of a secured document's proof (without `proofValue`): when the
/// proof has an `@context`, the document's must start with it, and the
/// document is hashed with the proof's.
pub(super) fn verify_data(
    unsecured: &Map<String, Value>,
    options: &Map<String, Value>,
) -> Result<[u8; 64], SigningError> {
    let mut document = unsecured.clone();
    if let Some(proof_ctx) = options.get("@context") {
        let list = |v: &Value| match v {
            Value::Array(a) => a.clone(),
            other => vec![other.clone()],
        };
        let (p, d) = (
            list(proof_ctx),
            list(document.get("@context").unwrap_or(&Value::Null)),
        );
        if d.len() < p.len() || d[..p.len()] != p[..] {
            return Err(SigningError::InvalidSignature(
                "the document's @context does not start with the proof's".into(),
            ));
        }
        document.insert("@context".into(), proof_ctx.clone());
    }
    hash_data(&document, options)
}

fn hash_data(
    document: &Map<String, Value>,
    options: &Map<String, Value>,
) -> Result<[u8; 64], SigningError> {
    let digest = |v: &Map<String, Value>| -> Result<[u8; 32], SigningError> {
        Ok(Sha256::digest(canonical_json(&Value::Object(v.clone()))?.as_bytes()).into())
    };
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&digest(options)?);
    out[32..].copy_from_slice(&digest(document)?);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_json_sorts_keys_by_utf16_and_escapes_like_javascript() {
        // RFC 8785 §3.2.3's ordering example: "\u{E000}" sorts after the
        // astral "\u{1F600}" in UTF-16 (a surrogate pair starts 0xD83D).
        let v = json!({"\u{E000}": 1, "\u{1F600}": 2, "b": [true, null, "x\"\n\u{1}é"], "a": {}});
        assert_eq!(
            canonical_json(&v).unwrap(),
            "{\"a\":{},\"b\":[true,null,\"x\\\"\\n\\u0001é\"],\"\u{1F600}\":2,\"\u{E000}\":1}"
        );
        assert!(canonical_json(&json!({"n": 1.5})).is_err());
    }

    #[test]
    fn a_signed_document_verifies_and_any_change_is_caught() {
        let key = Key::from_seed([7; 32]);
        let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "name": "Ana"});
        let signed = sign_jcs(&doc, &key, "did:key:x#x", "2026-01-01T00:00:00Z").unwrap();
        let pk = key.public_key_bytes();
        super::super::verify(&signed, &pk).unwrap();
        let mut changed = signed.clone();
        changed["name"] = json!("Ann");
        assert!(super::super::verify(&changed, &pk).is_err());
        let mut moved = signed.clone();
        moved["proof"]["@context"] = json!(["https://example.org/"]);
        assert!(super::super::verify(&moved, &pk).is_err());
    }
}
