//! The print credential: what a printed certificate says, as a signed Open
//! Badges 3.0 credential small enough for the certificate's QR code, so a
//! phone can check the paper with no network (issue 28).
//!
//! - Content: issuer (did:web and name), the earner's name as the page
//!   shows it (an `IdentityObject` of type `name`, not hashed), the badge
//!   (its page's address and name in the certificate's language), the
//!   dates, the award's address (its `id`) and its status list entry.
//!   Nothing else: every byte makes the code denser.
//! - Proof: `eddsa-jcs-2022` with the site's key (`signing::sign_jcs`), so
//!   the verifier page checks it with WebCrypto.
//! - Bytes: CBOR-LD 1.0, registry entry 1 (default compression, no type
//!   table, so any CBOR-LD processor with the two contexts reads it).
//! - QR text: `<base>/verify/#VC1-` + base32 (RFC 4648, no padding): the
//!   fragment never reaches a server, and base32 uses only characters of
//!   the QR code's alphanumeric mode (5.5 bits each, where base64 would
//!   need byte mode's 8).
//!
//! **Speed.** The `cbor-ld` crate processes both contexts for every
//! document, some 50 ms each: hours for a large site. Every print
//! credential has one of four shapes (with or without an expiry and a
//! revision date), and within a shape only the values change, so the
//! crate compresses each shape once, with placeholder values
//! ([`Template`]), and each award's bytes are that result with its values
//! encoded in place by the same value codecs (text, http(s) URL,
//! `xsd:dateTime`, multibase). Tests hold the result byte-identical to the
//! crate's (and the JavaScript library's) on every example credential.

use std::collections::HashMap;
use std::sync::{LazyLock, OnceLock};

use cbor2::Value as Cbor;
use serde_json::{Map, Value, json};

use super::status_list::StatusEntry;
use super::{OB_CONTEXT, VC_CONTEXT};
use crate::paths;
use crate::signing::{self, Key, SigningError};
use crate::site::{Award, Site};

/// The contexts of print credentials and the files the site publishes
/// them as (`paths::context_file`), for the verifier page to read the
/// credentials offline.
pub const PUBLISHED_CONTEXTS: [(&str, &str); 2] = [
    (VC_CONTEXT, "credentials-v2.jsonld"),
    (OB_CONTEXT, "ob-v3p0-context-3.0.3.json"),
];

/// The context documents' text, by URL.
pub fn context_text(url: &str) -> Option<&'static str> {
    signing::CONTEXTS
        .iter()
        .find(|(u, _)| *u == url)
        .map(|(_, text)| *text)
}

/// What comes before the base32 text in the QR code, after `#`.
pub const PREFIX: &str = "VC1-";

/// The facts a certificate shows, which a print credential signs.
#[derive(Clone, Debug)]
pub struct Facts {
    pub award_url: String,
    pub issuer_did: String,
    pub issuer_name: String,
    pub badge_url: String,
    pub badge_name: String,
    pub earner_name: String,
    /// `validFrom`: the date of the credential's version.
    pub valid_from: String,
    /// `awardedDate`: the original issue date, for a revised award.
    pub awarded: Option<String>,
    pub valid_until: Option<String>,
    pub status_index: u64,
    pub status_list: String,
    pub verification_method: String,
}

impl Facts {
    /// The facts of an award's certificate in `lang`.
    pub fn of(site: &Site, award: &Award, lang: &str, key: &Key) -> Facts {
        let badge = &site.badges[award.badge];
        let status = StatusEntry::new(site, super::status_list::index_of(site, award));
        Facts {
            award_url: site.verify_url(award),
            issuer_did: site.issuing.did.clone(),
            issuer_name: site.issuer_name(lang).to_string(),
            badge_url: site.url(&paths::badge_page(&badge.id)),
            badge_name: site.text(&badge.name, lang).to_string(),
            earner_name: site.earners[award.earner].name.clone(),
            valid_from: award.version_on.to_datetime(),
            awarded: award.is_revised().then(|| award.issued_on.to_datetime()),
            valid_until: award.expires_on.map(|d| d.to_datetime()),
            status_index: status.index,
            status_list: status.list_url,
            verification_method: signing::verification_method(
                &site.issuing.did,
                &key.public_multikey(),
            ),
        }
    }

    /// The unsigned credential.
    pub fn credential(&self) -> Value {
        let mut doc = Map::new();
        doc.insert("@context".into(), json!([VC_CONTEXT, OB_CONTEXT]));
        doc.insert("id".into(), json!(self.award_url));
        doc.insert(
            "type".into(),
            json!(["VerifiableCredential", "OpenBadgeCredential"]),
        );
        doc.insert(
            "issuer".into(),
            json!({"id": self.issuer_did, "type": ["Profile"], "name": self.issuer_name}),
        );
        doc.insert("validFrom".into(), json!(self.valid_from));
        if let Some(d) = &self.awarded {
            doc.insert("awardedDate".into(), json!(d));
        }
        if let Some(d) = &self.valid_until {
            doc.insert("validUntil".into(), json!(d));
        }
        // The badge's name once, on the achievement: a credential-level
        // `name` would repeat it in the code.
        doc.insert(
            "credentialSubject".into(),
            json!({
                "type": ["AchievementSubject"],
                "identifier": [{
                    "type": "IdentityObject",
                    "identityHash": self.earner_name,
                    "identityType": "name",
                    "hashed": false,
                }],
                "achievement": {
                    "id": self.badge_url,
                    "type": ["Achievement"],
                    "name": self.badge_name,
                },
            }),
        );
        // No `id`: the list's address and the index say it all, and an id
        // would repeat the address in the code.
        doc.insert(
            "credentialStatus".into(),
            json!({
                "type": "BitstringStatusListEntry",
                "statusPurpose": "revocation",
                "statusListIndex": self.status_index.to_string(),
                "statusListCredential": self.status_list,
            }),
        );
        Value::Object(doc)
    }

    /// The signed credential (the proof is dated like the credential's
    /// version, as for the hosted credential).
    pub fn sign(&self, key: &Key) -> Result<Value, SigningError> {
        signing::sign_jcs(
            &self.credential(),
            key,
            &self.verification_method,
            &self.valid_from,
        )
    }
}

/// An award's print credential in `lang`: the signed JSON and its CBOR-LD.
pub struct PrintCredential {
    pub json: Value,
    pub cborld: Vec<u8>,
}

impl PrintCredential {
    pub fn new(site: &Site, award: &Award, lang: &str, key: &Key) -> Result<Self, String> {
        let facts = Facts::of(site, award, lang, key);
        let json = facts.sign(key).map_err(|e| e.to_string())?;
        let cborld = compress(&facts, &json)?;
        Ok(PrintCredential { json, cborld })
    }

    /// The QR code's text: the verifier page of `lang_prefix` (`""` or
    /// `zh-CN/`) with the credential in the fragment.
    pub fn qr_text(&self, site: &Site, lang_prefix: &str) -> String {
        format!(
            "{}#{}",
            site.url(&paths::in_lang(lang_prefix, paths::VERIFIER)),
            to_text(&self.cborld)
        )
    }
}

/// `VC1-` + base32 of CBOR-LD bytes.
pub fn to_text(cborld: &[u8]) -> String {
    format!("{PREFIX}{}", data_encoding::BASE32_NOPAD.encode(cborld))
}

/// The CBOR-LD bytes of a QR code's text: `VC1-…` on its own or after the
/// `#` of a URL.
pub fn from_text(text: &str) -> Result<Vec<u8>, String> {
    let text = text.trim();
    let code = match text.rfind('#') {
        Some(i) => &text[i + 1..],
        None => text,
    };
    let b32 = code.strip_prefix(PREFIX).ok_or_else(|| {
        format!("this is not a print credential: it does not start with `{PREFIX}`")
    })?;
    data_encoding::BASE32_NOPAD
        .decode(b32.as_bytes())
        .map_err(|e| format!("the print credential is damaged: {e}"))
}

/// Whether a credential is a print credential (its proof is the one
/// `eddsa-jcs-2022` proof this module signs).
pub fn is_print_credential(doc: &Value) -> bool {
    doc.pointer("/proof/cryptosuite").and_then(Value::as_str) == Some(signing::JCS_CRYPTOSUITE)
}

/// The earner's name a print credential carries.
pub fn earner_name(doc: &Value) -> Option<String> {
    doc.pointer("/credentialSubject/identifier")?
        .as_array()?
        .iter()
        .find(|i| i.get("identityType").and_then(Value::as_str) == Some("name"))?
        .get("identityHash")?
        .as_str()
        .map(str::to_string)
}

// ---------- CBOR-LD ----------

/// The two contexts as CBOR values, parsed once.
static CONTEXTS: LazyLock<HashMap<&'static str, Cbor>> = LazyLock::new(|| {
    signing::CONTEXTS
        .iter()
        .filter(|(url, _)| *url == VC_CONTEXT || *url == OB_CONTEXT)
        .map(|(url, text)| {
            let json: Value = serde_json::from_str(text).expect("compiled-in context is JSON");
            (*url, to_cbor(&json))
        })
        .collect()
});

fn load_context(url: &str) -> cbor_ld::Result<Cbor> {
    CONTEXTS.get(url).cloned().ok_or_else(|| {
        cbor_ld::Error::DocumentLoader(format!(
            "{url} is not a context of print credentials (only {VC_CONTEXT} and {OB_CONTEXT})"
        ))
    })
}

/// CBOR-LD of a JSON-LD document by the `cbor-ld` crate itself: the
/// reference [`compress`] is held to, and the slow path.
pub fn compress_reference(doc: &Value) -> Result<Vec<u8>, String> {
    let table = cbor_ld::TypeTable::new();
    cbor_ld::encode_with_loader(
        &to_cbor(doc),
        cbor_ld::EncodeOptions::compressed(1, &table),
        load_context,
    )
    .map_err(|e| format!("CBOR-LD compression failed: {e}"))
}

/// The JSON-LD document of CBOR-LD bytes (any registry entry 1 document
/// whose contexts are the two above).
pub fn decompress(bytes: &[u8]) -> Result<Value, String> {
    if bytes.len() > 8192 {
        return Err("the print credential is too large to be one".into());
    }
    let table = cbor_ld::TypeTable::new();
    let options = cbor_ld::DecodeOptions {
        type_table: Some(&table),
    };
    let doc = cbor_ld::decode_with_loader(bytes, options, load_context)
        .map_err(|e| format!("the print credential cannot be read: {e}"))?;
    to_json(&doc)
}

/// The CBOR-LD of a signed print credential made from `facts`: its shape's
/// [`Template`] with the values filled in.
pub fn compress(facts: &Facts, signed: &Value) -> Result<Vec<u8>, String> {
    let proof_value = signed["proof"]["proofValue"]
        .as_str()
        .ok_or("the print credential is not signed")?;
    let shape = (facts.awarded.is_some(), facts.valid_until.is_some());
    let template = template(shape)?;
    template.fill(&Slots::of(facts, proof_value))
}

/// The value of each placeholder, in [`Slots::of`]'s order.
struct Slots(Vec<Slot>);

enum Slot {
    Text(String),
    Url(String),
    DateTime(String),
    Multibase(String),
}

impl Slot {
    fn text(&self) -> &str {
        match self {
            Slot::Text(s) | Slot::Url(s) | Slot::DateTime(s) | Slot::Multibase(s) => s,
        }
    }
}

impl Slots {
    /// Every value that differs between print credentials of one shape.
    fn of(f: &Facts, proof_value: &str) -> Slots {
        let mut v = vec![
            Slot::Url(f.award_url.clone()),
            Slot::Text(f.issuer_did.clone()),
            Slot::Text(f.issuer_name.clone()),
            Slot::Url(f.badge_url.clone()),
            Slot::Text(f.badge_name.clone()),
            Slot::Text(f.earner_name.clone()),
            Slot::DateTime(f.valid_from.clone()),
            Slot::Text(f.status_index.to_string()),
            Slot::Url(f.status_list.clone()),
            Slot::Text(f.verification_method.clone()),
            Slot::Multibase(proof_value.to_string()),
        ];
        v.extend(f.awarded.clone().map(Slot::DateTime));
        v.extend(f.valid_until.clone().map(Slot::DateTime));
        Slots(v)
    }

    /// Placeholders of the same kinds: text no content has (`\u{1}` + the
    /// slot's number), dates in the year 2999, a signature of one repeated
    /// byte per slot.
    fn placeholders(shape: (bool, bool)) -> (Facts, String) {
        let text = |i: usize| format!("\u{1}{i}");
        let url = |i: usize| format!("https://{}", text(i));
        let date = |i: usize| format!("2999-01-{:02}T00:00:00Z", i + 1);
        let facts = Facts {
            award_url: url(0),
            issuer_did: text(1),
            issuer_name: text(2),
            badge_url: url(3),
            badge_name: text(4),
            earner_name: text(5),
            valid_from: date(6),
            // Text in the credential: `Template::new` puts STATUS_MARK there.
            status_index: 0,
            status_list: url(8),
            verification_method: text(9),
            awarded: shape.0.then(|| date(11)),
            valid_until: shape.1.then(|| date(12)),
        };
        let signature = format!("z{}", crate::signing::base58::encode(&[0xA5u8; 64]));
        (facts, signature)
    }
}

/// A shape's CBOR-LD with placeholder values. A placeholder appears in it
/// as its value's codec encodes it, or as plain text where the crate gave
/// the term no codec (it leaves `awardedDate` as text: the context's
/// `xsd:` prefix is not resolved there), and is replaced by the real value
/// in the same form.
///
/// The replacing is done on the bytes: canonical CBOR orders a map by its
/// keys, which no placeholder is, so a value's own encoding can stand in
/// for its placeholder's. Walking and re-encoding the tree instead took as
/// long as the signature.
struct Template {
    /// The shape's canonical CBOR-LD with placeholder values.
    bytes: Vec<u8>,
    /// Where the placeholders are in `bytes`, in order.
    holes: Vec<Hole>,
}

/// A placeholder's bytes: `start..end`, of slot `slot` in `form` (0 the
/// plain text, 1 as its codec encodes it).
#[derive(Debug, Clone, Copy)]
struct Hole {
    start: usize,
    end: usize,
    slot: usize,
    form: usize,
}

/// The template of a shape, made on first use (about 50 ms), once.
fn template(shape: (bool, bool)) -> Result<&'static Template, String> {
    static MEMO: [OnceLock<Result<Template, String>>; 4] = [const { OnceLock::new() }; 4];
    MEMO[usize::from(shape.0) * 2 + usize::from(shape.1)]
        .get_or_init(|| Template::new(shape))
        .as_ref()
        .map_err(Clone::clone)
}

impl Template {
    fn new(shape: (bool, bool)) -> Result<Template, String> {
        let (facts, signature) = Slots::placeholders(shape);
        // Signed as every print credential is (any key: the signature is
        // then replaced), so the template's proof has `sign_jcs`'s shape.
        let mut doc = facts
            .sign(&Key::from_seed([0; 32]))
            .map_err(|e| e.to_string())?;
        doc["credentialStatus"]["statusListIndex"] = json!(STATUS_MARK);
        doc["proof"]["proofValue"] = json!(signature);
        let value: Cbor =
            cbor2::from_slice(&compress_reference(&doc)?).map_err(|e| e.to_string())?;
        let bytes = canonical(&value)?;
        let mut slots = Slots::of(&facts, &signature);
        slots.0[7] = Slot::Text(STATUS_MARK.into());
        let marks = slots
            .0
            .iter()
            .map(|s| Ok([Cbor::Text(s.text().into()), encode_slot(s)?]))
            .collect::<Result<Vec<_>, String>>()?;
        let holes = holes(&bytes, &marks)?;
        // The bytes must hold each placeholder exactly where the tree does:
        // a placeholder's bytes met by chance elsewhere would be replaced
        // too.
        let mut in_tree = vec![0usize; marks.len()];
        count_marks(&value, &marks, &mut in_tree);
        let mut in_bytes = vec![0usize; marks.len()];
        holes.iter().for_each(|h| in_bytes[h.slot] += 1);
        if in_tree != in_bytes || in_tree.contains(&0) {
            return Err(format!(
                "the print credential's shape holds its placeholders {in_tree:?} times, its bytes {in_bytes:?}"
            ));
        }
        Ok(Template { bytes, holes })
    }

    /// The template's bytes with every placeholder replaced by its slot's
    /// value (the version date is there twice: `validFrom`,
    /// `proof.created`). A value the codecs here do not cover is an error,
    /// never different bytes.
    fn fill(&self, values: &Slots) -> Result<Vec<u8>, String> {
        let encoded = values
            .0
            .iter()
            .map(|s| {
                Ok([
                    canonical(&Cbor::Text(s.text().into()))?,
                    canonical(&encode_slot(s)?)?,
                ])
            })
            .collect::<Result<Vec<_>, String>>()?;
        let mut out = Vec::with_capacity(self.bytes.len() + 64);
        let mut at = 0;
        for h in &self.holes {
            out.extend_from_slice(&self.bytes[at..h.start]);
            out.extend_from_slice(&encoded[h.slot][h.form]);
            at = h.end;
        }
        out.extend_from_slice(&self.bytes[at..]);
        Ok(out)
    }
}

fn canonical(v: &Cbor) -> Result<Vec<u8>, String> {
    cbor2::to_canonical_vec(v).map_err(|e| format!("CBOR encoding failed: {e}"))
}

/// Every place in `bytes` where a placeholder's encoding is, the longest
/// first where they nest (a URL's codec form holds its text).
fn holes(bytes: &[u8], marks: &[[Cbor; 2]]) -> Result<Vec<Hole>, String> {
    let mut found = Vec::new();
    for (slot, forms) in marks.iter().enumerate() {
        for (form, mark) in forms.iter().enumerate() {
            // A text slot's two forms are one.
            if form == 1 && forms[0] == forms[1] {
                continue;
            }
            let enc = canonical(mark)?;
            found.extend(memchr::memmem::find_iter(bytes, &enc).map(|start| Hole {
                start,
                end: start + enc.len(),
                slot,
                form,
            }));
        }
    }
    found.sort_by_key(|h| (h.start, std::cmp::Reverse(h.end)));
    let mut holes: Vec<Hole> = Vec::new();
    for h in found {
        match holes.last() {
            Some(last) if h.end <= last.end => {} // inside the last one
            Some(last) if h.start < last.end => {
                return Err("two placeholders overlap in the print credential's shape".into());
            }
            _ => holes.push(h),
        }
    }
    Ok(holes)
}

/// How often each placeholder is a value of the tree, in either form.
fn count_marks(v: &Cbor, marks: &[[Cbor; 2]], found: &mut [usize]) {
    if let Some(i) = marks.iter().position(|forms| forms.contains(v)) {
        found[i] += 1;
        return;
    }
    match v {
        Cbor::Array(items) => items.iter().for_each(|x| count_marks(x, marks, found)),
        Cbor::Map(entries) => entries
            .iter()
            .for_each(|(_, x)| count_marks(x, marks, found)),
        Cbor::Tag(_, x) => count_marks(x, marks, found),
        _ => {}
    }
}

/// The status index's placeholder (the index is text in the credential).
const STATUS_MARK: &str = "\u{1}7";

/// A value as CBOR-LD's codecs encode it: URLs as [scheme id, rest],
/// date-times that round-trip as seconds since 1970, multibase as bytes
/// with the base's letter first.
fn encode_slot(slot: &Slot) -> Result<Cbor, String> {
    let unsupported = |what: &str, v: &str| Err(format!("print credential {what} `{v}`"));
    Ok(match slot {
        Slot::Text(s) => Cbor::Text(s.clone()),
        Slot::Url(u) => match (u.strip_prefix("https://"), u.strip_prefix("http://")) {
            (Some(rest), _) => Cbor::Array(vec![2.into(), Cbor::Text(rest.into())]),
            (_, Some(rest)) => Cbor::Array(vec![1.into(), Cbor::Text(rest.into())]),
            _ => return unsupported("address is not http(s)", u),
        },
        Slot::DateTime(d) => match crate::dates::parse_timestamp(d) {
            Some(seconds) if crate::dates::timestamp(seconds) == *d => {
                Cbor::Integer(seconds.into())
            }
            _ => return unsupported("date-time is not of the form 2026-01-15T00:00:00Z", d),
        },
        Slot::Multibase(m) => match m.strip_prefix('z').and_then(crate::signing::base58::decode) {
            Some(bytes) => {
                let mut out = vec![b'z'];
                out.extend(bytes);
                Cbor::Bytes(out)
            }
            _ => return unsupported("signature is not base58btc", m),
        },
    })
}

// ---------- JSON ⇄ CBOR ----------

fn to_cbor(v: &Value) -> Cbor {
    match v {
        Value::Null => Cbor::Null,
        Value::Bool(b) => Cbor::Bool(*b),
        Value::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => Cbor::Integer(i.into()),
            (_, Some(u)) => Cbor::Integer(u.into()),
            _ => Cbor::Float(n.as_f64().unwrap_or_default()),
        },
        Value::String(s) => Cbor::Text(s.clone()),
        Value::Array(a) => Cbor::Array(a.iter().map(to_cbor).collect()),
        Value::Object(m) => Cbor::Map(
            m.iter()
                .map(|(k, v)| (Cbor::Text(k.clone()), to_cbor(v)))
                .collect(),
        ),
    }
}

fn to_json(v: &Cbor) -> Result<Value, String> {
    Ok(match v {
        Cbor::Null => Value::Null,
        Cbor::Bool(b) => Value::Bool(*b),
        Cbor::Integer(i) => {
            let n = i128::from(*i);
            i64::try_from(n)
                .map(Value::from)
                .map_err(|_| format!("the number {n} is out of range"))?
        }
        Cbor::Text(s) => Value::String(s.clone()),
        Cbor::Array(a) => Value::Array(a.iter().map(to_json).collect::<Result<_, _>>()?),
        Cbor::Map(entries) => {
            let mut m = Map::new();
            for (k, v) in entries {
                let Cbor::Text(k) = k else {
                    return Err("a decompressed key is not text".into());
                };
                m.insert(k.clone(), to_json(v)?);
            }
            Value::Object(m)
        }
        other => return Err(format!("unexpected value in a credential: {other:?}")),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(shape: (bool, bool)) -> Facts {
        Facts {
            award_url: "https://badges.example.org/verify/aw-7Q2X9KD3/".into(),
            issuer_did: "did:web:badges.example.org".into(),
            issuer_name: "Contoso Learning".into(),
            badge_url: "http://badges.example.org/badges/cloud-architect/".into(),
            badge_name: "Azure Cloud Architect \"α\"".into(),
            earner_name: "李雷 Ana María García-Ñúñez".into(),
            valid_from: "2026-03-01T00:00:00Z".into(),
            awarded: shape.0.then(|| "2025-02-01T00:00:00Z".into()),
            valid_until: shape.1.then(|| "2029-03-01T00:00:00Z".into()),
            status_index: 1234,
            status_list: "https://badges.example.org/status/revocation.json".into(),
            verification_method: "did:web:badges.example.org#key-1".into(),
        }
    }

    #[test]
    fn every_shape_compresses_as_the_crate_does_and_round_trips() {
        let key = Key::from_seed([3; 32]);
        for shape in [(false, false), (true, false), (false, true), (true, true)] {
            let f = facts(shape);
            let signed = f.sign(&key).unwrap();
            let fast = compress(&f, &signed).unwrap();
            assert_eq!(
                fast,
                compress_reference(&signed).unwrap(),
                "shape {shape:?}"
            );
            assert_eq!(decompress(&fast).unwrap(), signed);
            let text = to_text(&fast);
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'-')
            );
            assert_eq!(
                from_text(&format!("https://x.org/verify/#{text}")).unwrap(),
                fast
            );
            signing::verify(&decompress(&fast).unwrap(), &key.public_key_bytes()).unwrap();
        }
    }

    #[test]
    fn damaged_codes_are_refused() {
        assert!(from_text("https://x.org/verify/#VP1-AAAA").is_err());
        assert!(from_text("VC1-a!").is_err());
        assert!(decompress(&[0xd9, 0xcb, 0x1d, 0x82, 0x01]).is_err());
    }
}

#[cfg(test)]
mod sizes {
    use super::*;

    /// The QR versions the README quotes (level M): a typical award, a
    /// 70-character name, Chinese texts, a long badge name on a revised
    /// award. Version 25 is the target.
    #[test]
    fn qr_versions_stay_within_25_at_level_m() {
        let key = Key::from_seed([3; 32]);
        let base = Facts {
            award_url: "https://badges.contoso.com/verify/7Q3K9XWD2M4T/".into(),
            issuer_did: "did:web:badges.contoso.com".into(),
            issuer_name: "Contoso Learning".into(),
            badge_url: "https://badges.contoso.com/badges/cloud-architect/".into(),
            badge_name: "Azure Solutions Architect Expert".into(),
            earner_name: "Ana García".into(),
            valid_from: "2026-03-01T00:00:00Z".into(),
            awarded: None,
            valid_until: Some("2028-03-01T00:00:00Z".into()),
            status_index: 812345,
            status_list: "https://badges.contoso.com/status/revocation.json".into(),
            verification_method:
                "did:web:badges.contoso.com#z6MkhaXgBZDvotDkL5257faiztiGiC2QtKLGpbnnEGta2doK".into(),
        };
        let mut cases = vec![("typical", base.clone())];
        let mut f = base.clone();
        f.earner_name =
            "Maximilian Alexander Fitzgerald-Montgomery von Hohenzollern-Sigmaringen".into();
        cases.push(("long name 70", f));
        let mut f = base.clone();
        f.earner_name = "欧阳娜娜".into();
        f.badge_name = "Azure 解决方案架构师专家".into();
        f.issuer_name = "康托索学习中心".into();
        cases.push(("chinese", f));
        let mut f = base.clone();
        f.badge_name =
            "Microsoft Certified: Dynamics 365 Business Central Functional Consultant Associate"
                .into();
        f.awarded = Some("2025-01-01T00:00:00Z".into());
        cases.push(("long badge + revised", f));
        for (n, f) in cases {
            let signed = f.sign(&key).unwrap();
            let b = compress(&f, &signed).unwrap();
            let text = format!("https://badges.contoso.com/verify/#{}", to_text(&b));
            let m = crate::qr::Matrix::encode_at(&text, qrcode::EcLevel::M).unwrap();
            let version = (m.width - 17) / 4;
            eprintln!(
                "{n}: {} bytes of CBOR-LD, {} characters, version {version}",
                b.len(),
                text.len()
            );
            assert!(version <= 25, "{n}: version {version}");
        }
    }
}
