//! Endorsements: Open Badges 3.0 `EndorsementCredential`s about a badge or
//! the issuer, signed by the endorser with their own key
//! (`eddsa-rdfc-2022`). [`request`] writes the unsigned credential the
//! endorser reviews, [`sign`] signs it on their machine, and [`load`]
//! checks every signed one in `content/endorsements/` before a build
//! publishes it: signature against the endorser's DID document (`did:key`,
//! or a `did:web` document beside it, since builds read no network),
//! dates, and a subject that exists.
//!
//! A credential carries the endorsements in force on the date of its
//! version: adding one changes no credential already issued (no new
//! version needed), and awards issued from then on carry it.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value, json};

use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::openbadges::{OB_CONTEXT, VC_CONTEXT, ob3};
use crate::signing::{self, Key};
use crate::site::Site;

/// Where signed endorsements (`*.json`) and the endorsers' `did:web`
/// documents (`*.did.json`) go.
pub const DIR: &str = "content/endorsements";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Subject {
    /// An index into `Site::badges`.
    Badge(usize),
    Issuer,
}

/// A checked endorsement.
pub struct Endorsement {
    pub subject: Subject,
    /// The credential as the endorser signed it.
    pub credential: Value,
    /// Where it is published, root-relative: `endorsements/<name>.json`.
    pub path: String,
    pub endorser: String,
    pub endorser_url: Option<String>,
    pub comment: String,
    pub valid_from: Date,
    pub valid_until: Option<Date>,
}

impl Endorsement {
    /// Whether a credential whose version is dated `on` carries it (and a
    /// page built on `on` shows it).
    pub fn in_force(&self, on: Date) -> bool {
        self.valid_from <= on && self.valid_until.is_none_or(|u| on < u)
    }
}

/// The id of what `subject` names: `issuer`, or a badge id.
pub fn subject_id(site: &Site, subject: &str) -> Option<(Subject, String)> {
    if subject == "issuer" {
        return Some((Subject::Issuer, site.issuing.did.clone()));
    }
    let b = site.badges.iter().position(|b| b.id == subject)?;
    Some((
        Subject::Badge(b),
        ob3::achievement_url(site, &site.badges[b]),
    ))
}

/// Lowercase letters, digits and `-` of `s`, for a file name.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The unsigned endorsement of `subject` (`issuer` or a badge id) by
/// `endorser`, valid from `on`, for the endorser to review and sign. Its
/// `id` is where the site will publish it.
pub fn request(
    site: &Site,
    subject: &str,
    endorser: &str,
    endorser_url: Option<&str>,
    comment: &str,
    on: Date,
) -> Result<Value, String> {
    let (which, id) = subject_id(site, subject)
        .ok_or_else(|| format!("`{subject}` is neither `issuer` nor the id of a badge"))?;
    let subject_name = match which {
        Subject::Issuer => site.issuer_name(site.default_lang()).to_string(),
        Subject::Badge(b) => {
            let badge = &site.badges[b];
            let name = badge.name.get(site.default_lang(), site.default_lang());
            name.unwrap_or(&badge.id).to_string()
        }
    };
    let name = format!("{subject}-{}", slug(endorser));
    let mut issuer = Map::new();
    issuer.insert("type".into(), json!(["Profile"]));
    issuer.insert("name".into(), json!(endorser));
    if let Some(url) = endorser_url {
        issuer.insert("url".into(), json!(url));
    }
    Ok(json!({
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": site.url(&crate::paths::endorsement(&name)),
        "type": ["VerifiableCredential", "EndorsementCredential"],
        "name": format!("{endorser} endorses {subject_name}"),
        "issuer": issuer,
        "validFrom": on.to_datetime(),
        "credentialSubject": {
            "id": id,
            "type": ["EndorsementSubject"],
            "endorsementComment": comment,
        },
    }))
}

/// `did:key:<multikey>` of a key.
pub fn did_key(key: &Key) -> String {
    format!("did:key:{}", key.public_multikey())
}

/// The DID document of a `did:key` (its one key, which may assert).
fn did_key_document(did: &str) -> Option<Value> {
    let multikey = did.strip_prefix("did:key:")?;
    signing::parse_multikey(multikey).ok()?;
    let vm = signing::verification_method(did, multikey);
    Some(json!({
        "id": did,
        "verificationMethod": [{
            "id": vm, "type": "Multikey", "controller": did, "publicKeyMultibase": multikey,
        }],
        "assertionMethod": [vm],
    }))
}

/// Signs an unsigned endorsement as `did` (default: the key's `did:key`):
/// sets `issuer.id`, signs with `created` = `validFrom`, and checks the
/// result the way a build will. For a `did:web`, also the DID document
/// the endorser publishes (and the issuer puts beside the endorsement).
pub fn sign(
    unsigned: &Value,
    key: &Key,
    did: Option<&str>,
) -> Result<(Value, Option<Value>), String> {
    let mut doc = unsigned.clone();
    let map = doc.as_object_mut().ok_or("the file is not a JSON object")?;
    if map.contains_key("proof") {
        return Err("it is signed already (it has a `proof`)".into());
    }
    let types = map.get("type").and_then(Value::as_array);
    if !types.is_some_and(|t| t.iter().any(|t| t == "EndorsementCredential")) {
        return Err("it is not an EndorsementCredential (see `type`)".into());
    }
    let did = did.map_or_else(|| did_key(key), str::to_string);
    let document = if did.starts_with("did:key:") {
        if did != did_key(key) {
            return Err(format!(
                "{did} is not the did:key of this key ({})",
                did_key(key)
            ));
        }
        None
    } else if did.starts_with("did:web:") {
        Some(signing::did_document(&did, key, &[]))
    } else {
        return Err(format!("`{did}` is neither a did:key nor a did:web"));
    };
    let issuer = map
        .get_mut("issuer")
        .and_then(Value::as_object_mut)
        .ok_or("it has no `issuer` object")?;
    if let Some(id) = issuer.get("id").and_then(Value::as_str)
        && id != did
    {
        return Err(format!("its issuer is {id}, not {did}"));
    }
    issuer.insert("id".into(), json!(did));
    let created = map
        .get("validFrom")
        .and_then(Value::as_str)
        .ok_or("it has no `validFrom`")?
        .to_string();
    let vm = signing::verification_method(&did, &key.public_multikey());
    let signed = signing::sign(&doc, key, &vm, &created).map_err(|e| e.to_string())?;
    let check = document.clone().or_else(|| did_key_document(&did));
    signing::verify_with_did_document(&signed, &check.expect("a DID document"))
        .map_err(|e| format!("the signature does not check out: {e}"))?;
    Ok((signed, document))
}

/// The line and column of `"key"` in a JSON text, where a problem with
/// that member is reported: the first whose value is `value` (a string
/// member; compact or pretty JSON), else the first, else 1:1.
fn locate(text: &str, key: &str, value: Option<&str>) -> Pos {
    let quoted = format!("\"{key}\"");
    let with_value = value.and_then(|v| {
        let v = serde_json::to_string(v).ok()?;
        [format!("{quoted}: {v}"), format!("{quoted}:{v}")]
            .iter()
            .find_map(|p| text.find(p.as_str()))
    });
    let Some(at) = with_value.or_else(|| text.find(&quoted)) else {
        return Pos::new(1, 1);
    };
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    Pos {
        line,
        column,
        len: key.len() + 2,
    }
}

/// The date of an XML Schema dateTime (`2026-05-01T00:00:00Z`).
fn date_of(v: &Value) -> Option<Date> {
    Date::parse(v.as_str()?.get(..10)?)
}

/// Every endorsement in `content/endorsements/`, checked as of `today`.
/// `published` is the base URL of `site.yaml`: endorsements name it (in
/// their ids and subjects) whatever address a preview is built for.
/// Problems are located errors, all of them; one about another site is a
/// warning and is left out; an expired one is a warning and kept for the
/// credentials of its time (pages show only those in force).
pub fn load(
    root: &Path,
    site: &Site,
    published: &str,
    today: Date,
) -> (Vec<Endorsement>, Diagnostics) {
    let mut diags = Diagnostics::default();
    let Ok(entries) = std::fs::read_dir(root.join(DIR)) else {
        return (Vec::new(), diags);
    };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let rel = |p: &Path| PathBuf::from(DIR).join(p.file_name().unwrap_or_default());
    // Read every file first: the DID documents, then the endorsements.
    let mut documents: HashMap<String, Value> = HashMap::new();
    let mut texts = Vec::new();
    for path in &files {
        let file = rel(path);
        let text = match std::fs::read_to_string(path) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    &file,
                    Pos::new(1, 1),
                    format!("cannot read it: {e}"),
                ));
                continue;
            }
        };
        let value: Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(e) => {
                let pos = Pos::new(e.line().max(1), e.column().max(1));
                diags.push(
                    Diagnostic::error(&file, pos, format!("not valid JSON: {e}"))
                        .help("an endorsement is the JSON file `accolade endorse sign` wrote"),
                );
                continue;
            }
        };
        if path.to_string_lossy().ends_with(".did.json") {
            match value.get("id").and_then(Value::as_str) {
                Some(id) => {
                    documents.insert(id.to_string(), value);
                }
                None => diags.push(Diagnostic::error(
                    &file,
                    Pos::new(1, 1),
                    "a DID document without an `id`",
                )),
            }
        } else {
            texts.push((file, text, value));
        }
    }
    let mut out: Vec<Endorsement> = Vec::new();
    for (file, text, doc) in texts {
        let id = doc.get("id").and_then(Value::as_str);
        match check(site, published, &documents, &doc, today) {
            Ok(e) if out.iter().any(|o| o.path == e.path) => diags.push(Diagnostic::error(
                &file,
                locate(&text, "id", id),
                format!("another endorsement has the id {}", id.unwrap_or_default()),
            )),
            Ok(e) if e.valid_until.is_some_and(|u| u <= today) => {
                diags.push(
                    Diagnostic::warning(
                        &file,
                        locate(&text, "validUntil", None),
                        format!(
                            "this endorsement expired on {}: pages no longer show it",
                            e.valid_until.expect("checked")
                        ),
                    )
                    .help("credentials issued while it was in force keep it (keep the file); ask the endorser for a new one"),
                );
                // Still carried by the credentials of its time.
                out.push(e);
            }
            Ok(e) => out.push(e),
            Err(p) => {
                let at = locate(&text, p.key, p.value.as_deref());
                diags.push(if p.warning {
                    Diagnostic::warning(&file, at, p.message).help(p.help)
                } else {
                    Diagnostic::error(&file, at, p.message).help(p.help)
                })
            }
        }
    }
    (out, diags)
}

/// What is wrong with an endorsement, and the member to point at (the one
/// with `value`, when given).
struct Problem {
    key: &'static str,
    value: Option<String>,
    message: String,
    help: String,
    /// Left out with a warning rather than refused.
    warning: bool,
}

/// One endorsement's checks.
fn check(
    site: &Site,
    published: &str,
    documents: &HashMap<String, Value>,
    doc: &Value,
    today: Date,
) -> Result<Endorsement, Problem> {
    let problem = |key: &'static str, message: String, help: &str| Problem {
        key,
        value: None,
        message,
        help: help.to_string(),
        warning: false,
    };
    let str_at = |p: &str| doc.pointer(p).and_then(Value::as_str);
    let published = published.trim_end_matches('/');
    let types = doc.get("type").and_then(Value::as_array);
    if !types.is_some_and(|t| t.iter().any(|t| t == "EndorsementCredential")) {
        return Err(problem(
            "type",
            "not an EndorsementCredential".into(),
            "only endorsements go in content/endorsements/ (DID documents as <name>.did.json)",
        ));
    }
    // About another site (it moved, or the content was copied): left out.
    let another_site = |key: &'static str, value: &str| Problem {
        key,
        value: Some(value.to_string()),
        message: format!(
            "this endorsement is about another site ({value}); this one is {published}: it is left out"
        ),
        help:
            "an endorsement names the address it endorses; ask the endorser for one about this site"
                .into(),
        warning: true,
    };
    let own_did = crate::signing::did_web(published).unwrap_or_default();
    // Published where its id says: <base_url>/endorsements/<name>.json.
    let id = str_at("/id").unwrap_or_default();
    if !id.starts_with(&format!("{published}/")) {
        return Err(another_site("id", id));
    }
    let prefix = format!("{published}/endorsements/");
    let name = id
        .strip_prefix(&prefix)
        .and_then(|n| n.strip_suffix(".json"))
        .filter(|n| {
            !n.is_empty()
                && n.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        });
    let Some(name) = name else {
        return Err(Problem {
            value: Some(id.to_string()),
            ..problem(
                "id",
                format!("its id `{id}` is not an address of this site's endorsements/"),
                &format!(
                    "the id is where the site publishes it: {prefix}<name>.json, as `accolade endorse request` writes"
                ),
            )
        });
    };
    let subject_id = str_at("/credentialSubject/id").unwrap_or_default();
    let badge_at =
        |b: &crate::site::Badge| format!("{published}/{}", crate::paths::badge_page(&b.id));
    let subject = if subject_id == own_did {
        Subject::Issuer
    } else if let Some(b) = site.badges.iter().position(|b| badge_at(b) == subject_id) {
        Subject::Badge(b)
    } else if subject_id.starts_with("did:") || !subject_id.starts_with(&format!("{published}/")) {
        return Err(another_site("id", subject_id));
    } else {
        return Err(Problem {
            value: Some(subject_id.to_string()),
            ..problem(
                "id",
                format!(
                    "it endorses `{subject_id}`, which is neither this issuer nor one of its badges"
                ),
                &format!("the subject is the issuer ({own_did}) or a badge's page address"),
            )
        });
    };
    let endorser = str_at("/issuer/id").unwrap_or_default();
    let vm = signing::proof_verification_method(doc).unwrap_or_default();
    if vm.split('#').next() != Some(endorser) {
        return Err(problem(
            "verificationMethod",
            format!("it is signed with {vm}, which is not a key of its issuer {endorser}"),
            "the endorser signs with their own key: `accolade endorse sign FILE --key KEY --did DID`",
        ));
    }
    let document = if endorser.starts_with("did:key:") {
        did_key_document(endorser)
    } else {
        documents.get(endorser).cloned()
    };
    let Some(document) = document else {
        return Err(problem(
            "issuer",
            format!("no DID document of {endorser} is in {DIR}/"),
            "builds read no network: put the endorser's did.json beside the endorsement as <name>.did.json (`accolade endorse sign` writes it for a did:web)",
        ));
    };
    signing::verify_with_did_document(doc, &document).map_err(|e| {
        problem(
            "proofValue",
            format!("the endorsement's signature does not verify: {e}"),
            "it was changed after signing, or signed by another key: ask the endorser to sign it again",
        )
    })?;
    let valid_from = doc.get("validFrom").and_then(date_of).ok_or_else(|| {
        problem(
            "validFrom",
            "no valid `validFrom` date".into(),
            "e.g. 2026-05-01T00:00:00Z",
        )
    })?;
    if valid_from > today {
        return Err(problem(
            "validFrom",
            format!("it is valid only from {valid_from}, after today ({today})"),
            "add it to the content on or after that day",
        ));
    }
    let valid_until = match doc.get("validUntil") {
        None => None,
        Some(v) => Some(date_of(v).ok_or_else(|| {
            problem(
                "validUntil",
                "`validUntil` is not a date and time".into(),
                "e.g. 2028-05-01T00:00:00Z",
            )
        })?),
    };
    Ok(Endorsement {
        subject,
        path: crate::paths::endorsement(name),
        endorser: str_at("/issuer/name").unwrap_or(endorser).to_string(),
        endorser_url: str_at("/issuer/url").map(str::to_string),
        comment: str_at("/credentialSubject/endorsementComment")
            .unwrap_or_default()
            .to_string(),
        credential: doc.clone(),
        valid_from,
        valid_until,
    })
}
