//! Issuer signing: the Ed25519 key, its did:web document, and
//! `eddsa-rdfc-2022` Data Integrity proofs on Open Badges 3.0 credentials.
//!
//! # Key file
//! A UTF-8 text file: any number of comment lines starting with `#` (and
//! blank lines), then exactly one line holding the secret key as a Multikey
//! `secretKeyMultibase`: `z` + base58btc(0x80 0x26 ‖ 32-byte Ed25519 seed),
//! which always starts `z3u2`. It is the encoding the Data Integrity EdDSA
//! specification gives Ed25519 secret keys, so other tools (e.g. npm
//! `@digitalbazaar/ed25519-multikey`) read it as is. [`Key::write_key`] also
//! writes the public Multikey in a comment, for people; it is never read
//! back. `ACCOLADE_SIGNING_KEY` holds the same text (the key line alone is
//! enough). Files are created with mode 0600 and never overwritten.
//!
//! # Proofs
//! `sign` follows the cryptosuite: hashData = SHA-256(RDFC-1.0 canonical
//! N-Quads of the proof options, with the document's `@context`) ‖
//! SHA-256(canonical N-Quads of the document without `proof`); the Ed25519
//! signature of hashData is the `proofValue`, `z` + base58btc. JSON-LD
//! contexts come only from the documents compiled into the binary
//! (`src/openbadges/contexts/`): signing never touches the network, and an
//! unknown context URL is an error.
//!
//! JSON-LD to RDF is `oxjsonld` (Oxigraph's JSON-LD parser), RDFC-1.0 is
//! `rdf-canon`. `oxjsonld` re-processes the contexts of every document it
//! reads (it offers no way to keep a processed context), which is most of
//! the cost of a signature; the canonical hash of the proof options, which
//! repeats across credentials (same `created`, same key), is remembered
//! instead of recomputed. Everything here is `Send + Sync`: sign from as
//! many rayon threads as there are cores.

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::sync::{LazyLock, Mutex};

use ed25519_dalek::{Signature, Signer as _, SigningKey, VerifyingKey};
use serde_json::{Map, Value, json};
use sha2::{Digest, Sha256};

/// Where `accolade keys generate` writes a key unless told otherwise.
pub const DEFAULT_KEY_FILE: &str = "keys/issuer.ed25519";
/// The environment variable that overrides `signing.key_file`.
pub const KEY_ENV: &str = "ACCOLADE_SIGNING_KEY";
pub const CRYPTOSUITE: &str = "eddsa-rdfc-2022";

/// Multicodec prefixes (varint) of Ed25519 public and secret keys.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

/// The JSON-LD contexts the site's documents use, as published (see
/// `src/openbadges/contexts/README.md`).
pub const CONTEXTS: &[(&str, &str)] = &[
    (
        "https://www.w3.org/ns/credentials/v2",
        include_str!("openbadges/contexts/credentials-v2.jsonld"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        include_str!("openbadges/contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        "https://www.w3.org/ns/did/v1",
        include_str!("openbadges/contexts/did-v1.jsonld"),
    ),
    (
        "https://w3id.org/security/multikey/v1",
        include_str!("openbadges/contexts/multikey-v1.jsonld"),
    ),
];

/// How to make a key, for every "no key" message.
fn how_to_create(path: &Path) -> String {
    format!(
        "create one with `accolade keys generate --out {}` (or put the key in the \
         {KEY_ENV} environment variable). accolade never makes a key by itself: a new \
         key would orphan every credential already handed out",
        path.display()
    )
}

/// An issuer's Ed25519 signing key.
#[derive(Clone)]
pub struct Key {
    secret: SigningKey,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret.
        write!(f, "Key({})", self.public_multikey())
    }
}

impl Key {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Key {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system's random generator works");
        Key::from_seed(seed)
    }

    /// The key with this 32-byte Ed25519 seed (RFC 8032 secret key).
    pub fn from_seed(seed: [u8; 32]) -> Key {
        Key {
            secret: SigningKey::from_bytes(&seed),
        }
    }

    /// Reads a key file (format in the module documentation).
    pub fn load(path: &Path) -> Result<Key, String> {
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(format!(
                    "no signing key at {}: {}",
                    path.display(),
                    how_to_create(path)
                ));
            }
            Err(e) => return Err(format!("cannot read signing key {}: {e}", path.display())),
        };
        Key::parse(&text).map_err(|e| format!("{}: {e}", path.display()))
    }

    /// The key from `ACCOLADE_SIGNING_KEY` when it is set and not empty
    /// (pass `std::env::var(KEY_ENV).ok().as_deref()`), else from `path`.
    pub fn from_env_or_file(env_value: Option<&str>, path: &Path) -> Result<Key, String> {
        match env_value {
            Some(v) if !v.trim().is_empty() => Key::parse(v).map_err(|e| format!("{KEY_ENV}: {e}")),
            _ => Key::load(path),
        }
    }

    /// Parses the text of a key file (or the key line alone).
    pub fn parse(text: &str) -> Result<Key, String> {
        const EXPECTED: &str = "expected `#` comment lines and one line holding the secret key \
             as a Multikey (`z3u2…`, as `accolade keys generate` writes)";
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let (Some(line), None) = (lines.next(), lines.next()) else {
            return Err(format!("not an accolade signing key: {EXPECTED}"));
        };
        let bytes = line
            .strip_prefix('z')
            .and_then(|b| bs58::decode(b).into_vec().ok())
            .ok_or_else(|| {
                format!("not an accolade signing key: the key line is not base58btc multibase (`z…`); {EXPECTED}")
            })?;
        match bytes.split_at_checked(2) {
            Some((prefix, seed)) if prefix == ED25519_PRIV && seed.len() == 32 => {
                Ok(Key::from_seed(seed.try_into().expect("32 bytes")))
            }
            Some((prefix, _)) if prefix == ED25519_PUB => Err(format!(
                "this is a public key (`z6Mk…`), not a secret key; {EXPECTED}"
            )),
            _ => Err(format!(
                "not an Ed25519 secret key (wrong multicodec prefix or length); {EXPECTED}"
            )),
        }
    }

    /// The secret key as Multikey `secretKeyMultibase` (`z3u2…`).
    pub fn secret_multibase(&self) -> String {
        multibase(&ED25519_PRIV, &self.secret.to_bytes())
    }

    /// The key file's text: `label` as comment lines, the public key as a
    /// comment, then the secret key line.
    pub fn to_file_text(&self, label: &str) -> String {
        let mut out = String::new();
        for l in label.lines() {
            out.push_str("# ");
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&format!(
            "# Public key (Multikey): {}\n",
            self.public_multikey()
        ));
        out.push_str(&self.secret_multibase());
        out.push('\n');
        out
    }

    /// Writes a new key file (mode 0600, parent folders created). Refuses
    /// to replace an existing file.
    pub fn write_key(&self, path: &Path) -> Result<(), String> {
        self.write_key_labelled(
            path,
            "accolade issuer signing key (Ed25519). SECRET: anyone holding this file can \
             issue credentials in your name.\nNever publish it or commit it; keep a backup: \
             losing it orphans every credential signed with it.",
        )
    }

    /// [`Key::write_key`] with other comment lines (e.g. a demo-key warning).
    pub fn write_key_labelled(&self, path: &Path, label: &str) -> Result<(), String> {
        use std::io::Write;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists; not overwriting a signing key (credentials signed \
                     with it would stop verifying). Choose another path with --out.",
                    path.display()
                )
            } else {
                format!("cannot create {}: {e}", path.display())
            }
        })?;
        file.write_all(self.to_file_text(label).as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.secret.verifying_key().to_bytes()
    }

    /// Multikey `publicKeyMultibase`: `z` + base58btc(0xed 0x01 ‖ key), `z6Mk…`.
    pub fn public_multikey(&self) -> String {
        multibase(&ED25519_PUB, &self.public_key_bytes())
    }

    fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.secret.sign(message).to_bytes()
    }
}

fn multibase(prefix: &[u8; 2], key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(2 + key.len());
    bytes.extend_from_slice(prefix);
    bytes.extend_from_slice(key);
    format!("z{}", bs58::encode(bytes).into_string())
}

/// The 32-byte Ed25519 public key of a Multikey `publicKeyMultibase`
/// (`z6Mk…`), e.g. an entry of `signing.previous_keys`.
pub fn parse_multikey(multikey: &str) -> Result<[u8; 32], String> {
    let bytes = multikey
        .strip_prefix('z')
        .and_then(|b| bs58::decode(b).into_vec().ok())
        .ok_or_else(|| format!("`{multikey}` is not a base58btc Multikey (`z6Mk…`)"))?;
    match bytes.split_at_checked(2) {
        Some((prefix, key)) if prefix == ED25519_PUB && key.len() == 32 => {
            let key: [u8; 32] = key.try_into().expect("32 bytes");
            VerifyingKey::from_bytes(&key)
                .map_err(|_| format!("`{multikey}` is not a valid Ed25519 public key"))?;
            Ok(key)
        }
        _ => Err(format!(
            "`{multikey}` is not an Ed25519 public Multikey (expected `z6Mk…`)"
        )),
    }
}

// ---------------------------------------------------------------- did:web

/// The did:web DID of a site: `https://host[:port][/path]` →
/// `did:web:host[%3Aport][:path:segments]`. The host is lowercased. An
/// `http://` base URL (a local preview) gives the same DID, although did:web
/// resolvers only ever fetch over https.
pub fn did_web(base_url: &str) -> Result<String, String> {
    let rest = base_url
        .strip_prefix("https://")
        .or_else(|| base_url.strip_prefix("http://"))
        .ok_or_else(|| format!("`{base_url}`: a did:web needs an https:// base URL"))?;
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
    if authority.is_empty() || authority.contains('@') {
        return Err(format!("`{base_url}`: no host name for a did:web"));
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

/// Where the DID document goes, relative to the output folder (the folder
/// served at `base_url`): `.well-known/did.json` for a site at the root of
/// its host, `did.json` for a site under a path (did:web resolves
/// `did:web:host:a:b` to `https://host/a/b/did.json`).
pub fn did_document_path(base_url: &str) -> &'static str {
    let rest = base_url
        .split_once("://")
        .map_or(base_url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    match rest.split_once('/') {
        Some((_, path)) if path.split('/').any(|s| !s.is_empty()) => "did.json",
        _ => ".well-known/did.json",
    }
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

// ------------------------------------------------------ Data Integrity proof

/// Signs `document` (which must have no `proof`) and returns it with a
/// `DataIntegrityProof` (`eddsa-rdfc-2022`, purpose `assertionMethod`).
/// `created` is an XML Schema dateTime (`2026-01-15T00:00:00Z`); pass a
/// deterministic one so the same content gives the same bytes.
pub fn sign(
    document: &Value,
    key: &Key,
    verification_method: &str,
    created: &str,
) -> Result<Value, String> {
    let Value::Object(map) = document else {
        return Err("only a JSON object can be signed".into());
    };
    if map.contains_key("proof") {
        return Err("the document already has a proof".into());
    }
    if !is_datetime(created) {
        return Err(format!(
            "proof `created` must be a UTC date-time like 2026-01-15T00:00:00Z, found `{created}`"
        ));
    }
    check_absolute_ids(document, "")?;
    let mut proof = Map::new();
    proof.insert("type".into(), json!("DataIntegrityProof"));
    proof.insert("cryptosuite".into(), json!(CRYPTOSUITE));
    proof.insert("created".into(), json!(created));
    proof.insert("verificationMethod".into(), json!(verification_method));
    proof.insert("proofPurpose".into(), json!("assertionMethod"));
    let hash = hash_data(map, &proof)?;
    proof.insert(
        "proofValue".into(),
        json!(format!(
            "z{}",
            bs58::encode(key.sign_bytes(&hash)).into_string()
        )),
    );
    let mut signed = map.clone();
    signed.insert("proof".into(), Value::Object(proof));
    Ok(Value::Object(signed))
}

/// Checks the `eddsa-rdfc-2022` proof of a signed document against a
/// 32-byte Ed25519 public key. Does not check who the key belongs to (see
/// [`verify_with_did_document`]) nor dates and status.
pub fn verify(document: &Value, public_key: &[u8; 32]) -> Result<(), String> {
    let Value::Object(map) = document else {
        return Err("not a JSON object".into());
    };
    let proof = match map.get("proof") {
        Some(Value::Object(p)) => p,
        Some(_) => return Err("`proof` is not a single proof object".into()),
        None => return Err("the document has no `proof`".into()),
    };
    let field = |name: &str| proof.get(name).and_then(Value::as_str);
    if field("type") != Some("DataIntegrityProof") {
        return Err("the proof is not a DataIntegrityProof".into());
    }
    if field("cryptosuite") != Some(CRYPTOSUITE) {
        return Err(format!("the proof's cryptosuite is not {CRYPTOSUITE}"));
    }
    if field("proofPurpose") != Some("assertionMethod") {
        return Err("the proof's purpose is not assertionMethod".into());
    }
    let signature = field("proofValue")
        .and_then(|v| v.strip_prefix('z'))
        .and_then(|v| bs58::decode(v).into_vec().ok())
        .and_then(|b| <[u8; 64]>::try_from(b).ok())
        .ok_or("the proofValue is not a base58btc Ed25519 signature")?;
    let mut options = proof.clone();
    options.remove("proofValue");
    if let Some(ctx) = options.remove("@context")
        && Some(&ctx) != map.get("@context")
    {
        return Err("the proof's @context differs from the document's".into());
    }
    let mut unsigned = map.clone();
    unsigned.remove("proof");
    let hash = hash_data(&unsigned, &options)?;
    let key = VerifyingKey::from_bytes(public_key).map_err(|_| "invalid Ed25519 public key")?;
    key.verify_strict(&hash, &Signature::from_bytes(&signature))
        .map_err(|_| {
            "the signature does not match: the document was changed or signed by another key".into()
        })
}

/// The `verificationMethod` a signed document's proof names.
pub fn proof_verification_method(document: &Value) -> Option<&str> {
    document.get("proof")?.get("verificationMethod")?.as_str()
}

/// [`verify`] with the key the proof names, looked up in a DID document:
/// the method must be listed in `verificationMethod` and `assertionMethod`,
/// be controlled by the DID, and be a Multikey.
pub fn verify_with_did_document(document: &Value, did_document: &Value) -> Result<(), String> {
    let vm = proof_verification_method(document).ok_or("the document has no proof")?;
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
        .ok_or_else(|| format!("the issuer's DID document does not list the key {vm}"))?;
    let asserts = did_document
        .get("assertionMethod")
        .and_then(Value::as_array)
        .is_some_and(|a| {
            a.iter()
                .any(|m| m.as_str() == Some(vm) || m.get("id").and_then(Value::as_str) == Some(vm))
        });
    if !asserts {
        return Err(format!(
            "the key {vm} may not sign credentials (not an assertionMethod)"
        ));
    }
    if method.get("controller").and_then(Value::as_str) != Some(did) {
        return Err(format!("the key {vm} is not controlled by {did}"));
    }
    let multikey = method
        .get("publicKeyMultibase")
        .and_then(Value::as_str)
        .ok_or_else(|| format!("the key {vm} has no publicKeyMultibase"))?;
    verify(document, &parse_multikey(multikey)?)
}

/// hashData: SHA-256(canonical proof options with the document's @context)
/// ‖ SHA-256(canonical document).
fn hash_data(
    document: &Map<String, Value>,
    proof_options: &Map<String, Value>,
) -> Result<[u8; 64], String> {
    let mut config = proof_options.clone();
    match document.get("@context") {
        Some(ctx) => config.insert("@context".into(), ctx.clone()),
        None => return Err("the document has no @context".into()),
    };
    let config = Value::Object(config);
    let config_hash = proof_config_hash(&config)?;
    let doc_hash: [u8; 32] =
        Sha256::digest(canonicalize(&Value::Object(document.clone()))?.as_bytes()).into();
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(&config_hash);
    out[32..].copy_from_slice(&doc_hash);
    Ok(out)
}

/// The hash of canonical proof options, remembered: every credential
/// issued on the same day by the same key has the same proof options.
fn proof_config_hash(config: &Value) -> Result<[u8; 32], String> {
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
fn check_absolute_ids(value: &Value, path: &str) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                let here = format!("{path}/{k}");
                if (k == "id" || k == "@id")
                    && let Some(s) = v.as_str()
                    && !has_scheme(s)
                {
                    return Err(format!(
                        "`{here}` is `{s}`, not an absolute URL: JSON-LD would drop it"
                    ));
                }
                if k != "@context" {
                    check_absolute_ids(v, &here)?;
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, v)| check_absolute_ids(v, &format!("{path}/{i}"))),
        _ => Ok(()),
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

// ------------------------------------------------------------ RDFC-1.0

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document, with contexts
/// from [`CONTEXTS`] only.
pub fn canonicalize(document: &Value) -> Result<String, String> {
    use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
    let bytes = serde_json::to_vec(document).map_err(|e| e.to_string())?;
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(|url, _options| {
            let (_, text) = CONTEXTS
                .iter()
                .find(|(u, _)| *u == url)
                .ok_or_else(|| format!("unknown JSON-LD context {url} (only the contexts embedded in accolade can be used)"))?;
            Ok(JsonLdRemoteDocument {
                document: text.as_bytes().to_vec(),
                document_url: url.to_string(),
            })
        });
    let mut dataset = oxrdf02::Dataset::new();
    for quad in parser {
        let quad = quad.map_err(|e| format!("JSON-LD: {e}"))?;
        dataset.insert(&to_oxrdf02(quad));
    }
    // A bound on the N-degree hashing work: a credential from elsewhere
    // (`accolade verify`) could otherwise be a "poison graph" that takes
    // exponential time. Ours never come close.
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(10_000),
    };
    rdf_canon::canonicalize_with::<Sha256>(&dataset, &options)
        .map_err(|e| format!("RDF canonicalization: {e}"))
}

/// `oxjsonld` speaks oxrdf 0.3, `rdf-canon` oxrdf 0.2: same model, moved
/// term by term.
fn to_oxrdf02(quad: oxrdf::Quad) -> oxrdf02::Quad {
    use oxrdf02 as o2;
    let named = |n: oxrdf::NamedNode| o2::NamedNode::new_unchecked(n.into_string());
    let blank = |b: oxrdf::BlankNode| o2::BlankNode::new_unchecked(b.into_string());
    let subject: o2::Subject = match quad.subject {
        oxrdf::NamedOrBlankNode::NamedNode(n) => named(n).into(),
        oxrdf::NamedOrBlankNode::BlankNode(b) => blank(b).into(),
    };
    let object: o2::Term = match quad.object {
        oxrdf::Term::NamedNode(n) => named(n).into(),
        oxrdf::Term::BlankNode(b) => blank(b).into(),
        oxrdf::Term::Literal(l) => {
            let (value, datatype, language) = l.destruct();
            match (datatype, language) {
                (_, Some(lang)) => o2::Literal::new_language_tagged_literal_unchecked(value, lang),
                (Some(dt), None) => o2::Literal::new_typed_literal(value, named(dt)),
                (None, None) => o2::Literal::new_simple_literal(value),
            }
            .into()
        }
    };
    let graph = match quad.graph_name {
        oxrdf::GraphName::DefaultGraph => o2::GraphName::DefaultGraph,
        oxrdf::GraphName::NamedNode(n) => named(n).into(),
        oxrdf::GraphName::BlankNode(b) => blank(b).into(),
    };
    o2::Quad::new(subject, named(quad.predicate), object, graph)
}

#[cfg(test)]
mod tests {
    use super::*;

    // The 1EdTech test vector (Open Badges 3.0 implementation guide, see
    // shared/standards/ob3-eddsa-rdfc-2022-vector/README.md), copied verbatim.
    const VECTOR_UNSIGNED: &str = r##"{
  "@context": ["https://www.w3.org/ns/credentials/v2", "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"],
  "id": "http://example.com/credentials/3527",
  "type": ["VerifiableCredential", "OpenBadgeCredential"],
  "issuer": {"id": "https://example.edu/issuers/565049", "type": ["Profile"], "url": "https://www.imsglobal.org", "name": "Example Corp"},
  "validFrom": "2010-01-01T00:00:00Z",
  "name": "Teamwork Badge",
  "credentialSubject": {
    "id": "did:example:ebfeb1f712ebc6f1c276e12ec21",
    "type": ["AchievementSubject"],
    "achievement": {
      "id": "https://example.com/achievements/21st-century-skills/teamwork",
      "type": ["Achievement"],
      "criteria": {"narrative": "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management."},
      "description": "This badge recognizes the development of the capacity to collaborate within a group environment.",
      "name": "Teamwork"
    }
  }
}
"##;
    const VECTOR_DOCUMENT_CANON: &str = r##"<did:example:ebfeb1f712ebc6f1c276e12ec21> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#AchievementSubject> .
<did:example:ebfeb1f712ebc6f1c276e12ec21> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#achievement> <https://example.com/achievements/21st-century-skills/teamwork> .
<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#OpenBadgeCredential> .
<http://example.com/credentials/3527> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://www.w3.org/2018/credentials#VerifiableCredential> .
<http://example.com/credentials/3527> <https://schema.org/name> "Teamwork Badge" .
<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#credentialSubject> <did:example:ebfeb1f712ebc6f1c276e12ec21> .
<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#issuer> <https://example.edu/issuers/565049> .
<http://example.com/credentials/3527> <https://www.w3.org/2018/credentials#validFrom> "2010-01-01T00:00:00Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
<https://example.com/achievements/21st-century-skills/teamwork> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Achievement> .
<https://example.com/achievements/21st-century-skills/teamwork> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Criteria> _:c14n0 .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/description> "This badge recognizes the development of the capacity to collaborate within a group environment." .
<https://example.com/achievements/21st-century-skills/teamwork> <https://schema.org/name> "Teamwork" .
<https://example.edu/issuers/565049> <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://purl.imsglobal.org/spec/vc/ob/vocab.html#Profile> .
<https://example.edu/issuers/565049> <https://schema.org/name> "Example Corp" .
<https://example.edu/issuers/565049> <https://schema.org/url> "https://www.imsglobal.org"^^<https://www.w3.org/2001/XMLSchema#anyURI> .
_:c14n0 <https://purl.imsglobal.org/spec/vc/ob/vocab.html#narrative> "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management." .
"##;
    const VECTOR_PROOF_CANON: &str = r##"_:c14n0 <http://purl.org/dc/terms/created> "2010-01-01T19:23:24Z"^^<http://www.w3.org/2001/XMLSchema#dateTime> .
_:c14n0 <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <https://w3id.org/security#DataIntegrityProof> .
_:c14n0 <https://w3id.org/security#cryptosuite> "eddsa-rdfc-2022"^^<https://w3id.org/security#cryptosuiteString> .
_:c14n0 <https://w3id.org/security#proofPurpose> <https://w3id.org/security#assertionMethod> .
_:c14n0 <https://w3id.org/security#verificationMethod> <https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi> .
"##;
    const VECTOR_KEY: &str = r##"{
  "ed25519_public_key_hex": "4bdeafde2ea8beefadd8c699b5c7e0704cf51154d52e17b20b71337ca04cc5a5",
  "ed25519_secret_seed_hex": "6241a409e6707bb640a0140a8a32bc3d193c33a661747284d6adfa4ed4180be4",
  "public_key_multibase": "z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
  "proof_options": {
    "type": "DataIntegrityProof",
    "created": "2010-01-01T19:23:24Z",
    "verificationMethod": "https://example.edu/issuers/565049#z6MkjZRZv3aez3r18pB1RBFJR1kwUVJ5jHt92JmQwXbd5hwi",
    "cryptosuite": "eddsa-rdfc-2022",
    "proofPurpose": "assertionMethod"
  },
  "expected_proof_value": "z5x9aCBYovW3CQCbKdNyhEm7ffYSw1YpEdPywQJoNbzDD2gkzQDKJ1sYKJaWvqZtkMtSbz35HcbgXVEDYHxCzgkCr"
}
"##;

    fn vector_file(name: &str) -> String {
        match name {
            "unsigned-credential.json" => VECTOR_UNSIGNED,
            "document-canon.txt" => VECTOR_DOCUMENT_CANON,
            "proof-canon.txt" => VECTOR_PROOF_CANON,
            "key-and-expected-proof.json" => VECTOR_KEY,
            _ => unreachable!(),
        }
        .to_string()
    }

    fn vector_json(name: &str) -> Value {
        serde_json::from_str(&vector_file(name)).unwrap()
    }

    fn hex32(s: &str) -> [u8; 32] {
        let v: Vec<u8> = (0..32)
            .map(|i| u8::from_str_radix(&s[2 * i..2 * i + 2], 16).unwrap())
            .collect();
        v.try_into().unwrap()
    }

    fn vector_key() -> Key {
        let k = vector_json("key-and-expected-proof.json");
        Key::from_seed(hex32(k["ed25519_secret_seed_hex"].as_str().unwrap()))
    }

    #[test]
    fn reproduces_the_1edtech_vector_byte_for_byte() {
        let doc = vector_json("unsigned-credential.json");
        let k = vector_json("key-and-expected-proof.json");
        assert_eq!(
            canonicalize(&doc).unwrap(),
            vector_file("document-canon.txt")
        );
        let mut options = k["proof_options"].clone();
        options["@context"] = doc["@context"].clone();
        assert_eq!(
            canonicalize(&options).unwrap(),
            vector_file("proof-canon.txt")
        );

        let key = vector_key();
        assert_eq!(
            hex32(k["ed25519_public_key_hex"].as_str().unwrap()),
            key.public_key_bytes()
        );
        assert_eq!(key.public_multikey(), k["public_key_multibase"]);
        let p = &k["proof_options"];
        let signed = sign(
            &doc,
            &key,
            p["verificationMethod"].as_str().unwrap(),
            p["created"].as_str().unwrap(),
        )
        .unwrap();
        assert_eq!(signed["proof"]["proofValue"], k["expected_proof_value"]);
        for field in [
            "type",
            "created",
            "verificationMethod",
            "cryptosuite",
            "proofPurpose",
        ] {
            assert_eq!(signed["proof"][field], p[field], "{field}");
        }
        verify(&signed, &key.public_key_bytes()).unwrap();
    }

    #[test]
    fn round_trip_and_tampering() {
        let key = Key::generate();
        let doc = vector_json("unsigned-credential.json");
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
        assert!(verify(&tampered, &key.public_key_bytes()).is_err());
        let mut tampered = signed.clone();
        tampered["proof"]["created"] = json!("2026-01-16T00:00:00Z");
        assert!(verify(&tampered, &key.public_key_bytes()).is_err());
        let other = Key::generate();
        assert!(verify(&signed, &other.public_key_bytes()).is_err());
        // Reordering keys changes nothing: the canonical form is of the graph.
        let reordered: Value =
            serde_json::from_str(&serde_json::to_string_pretty(&signed).unwrap()).unwrap();
        verify(&reordered, &key.public_key_bytes()).unwrap();
    }

    #[test]
    fn verifies_through_a_did_document() {
        let key = Key::generate();
        let old = Key::generate();
        let did = did_web("https://credentials.example.org").unwrap();
        let doc_ = did_document(&did, &key, &[old.public_multikey()]);
        let cred = vector_json("unsigned-credential.json");
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
        assert!(
            verify_with_did_document(&signed, &doc_)
                .unwrap_err()
                .contains("does not list")
        );
    }

    #[test]
    fn refuses_unknown_contexts_and_relative_ids() {
        let key = Key::generate();
        let doc = json!({"@context": ["https://example.org/ctx"], "id": "urn:x", "name": "x"});
        let err = sign(&doc, &key, "did:web:x#k", "2026-01-01T00:00:00Z").unwrap_err();
        assert!(err.contains("unknown JSON-LD context"), "{err}");
        let mut doc = vector_json("unsigned-credential.json");
        doc["id"] = json!("credentials/3527");
        let err = sign(&doc, &key, "did:web:x#k", "2026-01-01T00:00:00Z").unwrap_err();
        assert!(err.contains("not an absolute URL"), "{err}");
        let doc = vector_json("unsigned-credential.json");
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
    }

    #[test]
    fn key_file_round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/issuer.ed25519");
        let key = Key::generate();
        key.write_key(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# "));
        assert!(text.lines().last().unwrap().starts_with("z3u2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let loaded = Key::load(&path).unwrap();
        assert_eq!(loaded.public_multikey(), key.public_multikey());
        // Never overwritten.
        let err = Key::generate().write_key(&path).unwrap_err();
        assert!(err.contains("already exists"), "{err}");
        assert_eq!(
            Key::load(&path).unwrap().public_multikey(),
            key.public_multikey()
        );

        // The environment wins when set and not empty; the key line alone is enough.
        let env_key = Key::generate();
        let got = Key::from_env_or_file(Some(&env_key.secret_multibase()), &path).unwrap();
        assert_eq!(got.public_multikey(), env_key.public_multikey());
        let got = Key::from_env_or_file(Some("  "), &path).unwrap();
        assert_eq!(got.public_multikey(), key.public_multikey());
        let err = Key::from_env_or_file(Some("nonsense"), &path).unwrap_err();
        assert!(err.starts_with(KEY_ENV), "{err}");

        let missing = dir.path().join("nope.ed25519");
        let err = Key::load(&missing).unwrap_err();
        assert!(err.contains("accolade keys generate --out"), "{err}");
        assert!(err.contains("never makes a key"), "{err}");

        for bad in [
            "",
            "# only a comment\n",
            "z3u2abc\nz3u2def\n",
            "not-multibase\n",
            &format!("{}\n", key.public_multikey()),
            "z111111\n",
        ] {
            std::fs::write(dir.path().join("bad"), bad).unwrap();
            let err = Key::load(&dir.path().join("bad")).unwrap_err();
            assert!(err.contains("bad:"), "{err}");
        }
        std::fs::write(dir.path().join("pub"), key.public_multikey()).unwrap();
        assert!(
            Key::load(&dir.path().join("pub"))
                .unwrap_err()
                .contains("public key")
        );
    }

    #[test]
    fn multikeys() {
        let key = vector_key();
        assert!(key.public_multikey().starts_with("z6Mk"));
        assert!(key.secret_multibase().starts_with("z3u2"));
        assert_eq!(
            parse_multikey(&key.public_multikey()).unwrap(),
            key.public_key_bytes()
        );
        assert!(parse_multikey(&key.secret_multibase()).is_err());
        assert!(parse_multikey("z6Mk").is_err());
        assert_eq!(
            Key::parse(&key.to_file_text("x"))
                .unwrap()
                .public_multikey(),
            key.public_multikey()
        );
        assert!(format!("{key:?}").contains(&key.public_multikey()));
        assert!(!format!("{key:?}").contains(&key.secret_multibase()));
    }

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
            did_document_path("https://credentials.example.org"),
            ".well-known/did.json"
        );
        assert_eq!(
            did_document_path("https://credentials.example.org/"),
            ".well-known/did.json"
        );
        assert_eq!(
            did_document_path("https://example.org/academy/credentials"),
            "did.json"
        );
        assert_eq!(
            did_document_path("http://127.0.0.1:8080"),
            ".well-known/did.json"
        );
    }

    #[test]
    fn did_document_lists_current_then_previous_keys() {
        let key = vector_key();
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
        assert!(canonicalize(&doc).unwrap().contains("Multikey"));
    }

    #[test]
    fn signs_from_many_threads() {
        fn send_sync<T: Send + Sync>() {}
        send_sync::<Key>();
        let key = Key::generate();
        let doc = vector_json("unsigned-credential.json");
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
