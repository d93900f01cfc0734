//! The issuer's did:web identity: the DID of a site's base URL, where its
//! DID document is published, and the document itself (every key the
//! issuer has signed with, so old credentials keep verifying).

use serde_json::{Value, json};

use super::{Key, SigningError};

/// The did:web DID of a site: `https://host[:port][/path]` →
/// `did:web:host[%3Aport][:path:segments]`. The host is lowercased. An
/// `http://` base URL (a local preview) gives the same DID, although did:web
/// resolvers only ever fetch over https.
pub fn did_web(base_url: &str) -> Result<String, SigningError> {
    let bad = |problem| SigningError::BadBaseUrl {
        url: base_url.to_string(),
        problem,
    };
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .ok_or_else(|| bad("a did:web needs an https:// base URL"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.is_empty() || authority.contains('@') {
        return Err(bad("no host name for a did:web"));
    }
    let mut did = format!(
        "did:web:{}",
        authority.to_ascii_lowercase().replace(':', "%3A")
    );
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        did.push(':');
        did.push_str(&segment.replace(':', "%3A"));
    }
    Ok(did)
}

/// The https URL a did:web DID document is fetched from (the did:web
/// method): `did:web:host%3Aport:a:b` → `https://host:port/a/b/did.json`,
/// `did:web:host` → `https://host/.well-known/did.json`. None for another
/// DID method or an empty host.
pub fn did_web_url(did: &str) -> Option<String> {
    let rest = did.strip_prefix("did:web:")?;
    let mut parts = rest.split(':');
    let host = parts.next().filter(|h| !h.is_empty())?.replace("%3A", ":");
    let path: Vec<String> = parts.map(|p| p.replace("%3A", ":")).collect();
    if host.contains(['/', '@', '?', '#']) || path.iter().any(|p| p.is_empty() || p == "..") {
        return None;
    }
    let base = if path.is_empty() {
        format!("https://{host}")
    } else {
        format!("https://{host}/{}", path.join("/"))
    };
    Some(format!("{base}/{}", crate::paths::did_document(&base)))
}

/// A verification method id: `<did>#<publicKeyMultibase>`.
pub fn verification_method(did: &str, public_multikey: &str) -> String {
    format!("{did}#{public_multikey}")
}

/// The did:web document: the current key first, then each previous
/// Multikey (`signing.previous_keys`), so credentials signed years ago
/// still verify. All keys may assert (sign credentials). Duplicates are
/// listed once.
pub fn did_document(did: &str, current: &Key, previous: &[String]) -> Value {
    let mut keys = vec![current.public_multikey()];
    for k in previous {
        let k = k.trim();
        if !k.is_empty() && !keys.iter().any(|x| x == k) {
            keys.push(k.to_string());
        }
    }
    let methods: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": verification_method(did, k),
                "type": "Multikey",
                "controller": did,
                "publicKeyMultibase": k,
            })
        })
        .collect();
    let ids: Vec<Value> = keys
        .iter()
        .map(|k| json!(verification_method(did, k)))
        .collect();
    json!({
        "@context": ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"],
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": ids,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn did_web_forms() {
        assert_eq!(
            did_web("https://credentials.example.org").unwrap(),
            "did:web:credentials.example.org"
        );
        assert_eq!(
            did_web("https://Example.org/").unwrap(),
            "did:web:example.org"
        );
        assert_eq!(
            did_web("http://127.0.0.1:8080").unwrap(),
            "did:web:127.0.0.1%3A8080"
        );
        assert_eq!(
            did_web("https://example.org:8443/academy/credentials").unwrap(),
            "did:web:example.org%3A8443:academy:credentials"
        );
        assert!(did_web("ftp://example.org").is_err());
        assert!(did_web("https:///x").is_err());
        assert_eq!(
            crate::paths::did_document("https://credentials.example.org"),
            ".well-known/did.json"
        );
        assert_eq!(
            crate::paths::did_document("https://credentials.example.org/"),
            ".well-known/did.json"
        );
        assert_eq!(
            crate::paths::did_document("https://example.org/academy/credentials"),
            "did.json"
        );
        assert_eq!(
            crate::paths::did_document("http://127.0.0.1:8080"),
            ".well-known/did.json"
        );
    }

    #[test]
    fn did_web_urls_are_https_and_round_trip() {
        for base in [
            "https://credentials.example.org",
            "https://example.org:8443/academy/credentials",
            "https://127.0.0.1:4443",
        ] {
            let url = did_web_url(&did_web(base).unwrap()).unwrap();
            let rel = crate::paths::did_document(base);
            assert_eq!(
                url,
                format!("{}/{rel}", base.trim_end_matches('/')),
                "{base}"
            );
        }
        assert_eq!(
            did_web_url("did:web:127.0.0.1%3A8080").unwrap(),
            "https://127.0.0.1:8080/.well-known/did.json"
        );
        for bad in [
            "did:key:z6Mk",
            "did:web:",
            "did:web:a:..:b",
            "did:web:a/b",
            "did:web:x@y",
        ] {
            assert_eq!(did_web_url(bad), None, "{bad}");
        }
    }

    #[test]
    fn did_document_lists_current_then_previous_keys() {
        let key = Key::from_seed([5; 32]);
        let did = "did:web:example.org";
        let prev = "z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".to_string();
        let doc = did_document(
            did,
            &key,
            &[prev.clone(), key.public_multikey(), prev.clone()],
        );
        assert_eq!(
            doc["@context"],
            json!([
                "https://www.w3.org/ns/did/v1",
                "https://w3id.org/security/multikey/v1"
            ])
        );
        assert_eq!(doc["id"], did);
        let vms = doc["verificationMethod"].as_array().unwrap();
        assert_eq!(vms.len(), 2);
        assert_eq!(vms[0]["id"], format!("{did}#{}", key.public_multikey()));
        assert_eq!(vms[0]["type"], "Multikey");
        assert_eq!(vms[0]["controller"], did);
        assert_eq!(vms[1]["publicKeyMultibase"], prev.as_str());
        assert_eq!(doc["assertionMethod"], json!([vms[0]["id"], vms[1]["id"]]));
        // The DID document itself canonicalises with the embedded contexts.
        assert!(
            super::super::canonicalize(&doc)
                .unwrap()
                .contains("Multikey")
        );
    }
}
