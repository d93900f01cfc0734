//! `accolade verify <FILE|URL>`: says whether a credential is genuine, whose
//! it is, and whether it is valid, expired or revoked.
//!
//! Input: a baked PNG or SVG, an assertion or credential JSON file, or a
//! verification URL. With `--site DIR` (a built site, e.g. `public/`) every
//! lookup is offline; without it, `http://` URLs are fetched. The checks:
//! - the Open Badges 3.0 signature against the issuer's DID document;
//! - the file against the issuer's hosted copy (for 2.0, the only proof);
//! - revocation (status list, revocation list) and expiry as of now;
//! - optionally, whether it was issued to `--email`.
//!
//! Exit 0 only for a genuine, unrevoked, unexpired credential.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::openbadges::{bake, identity_hash, status_list};
use crate::signing;

pub struct Options<'a> {
    pub input: &'a str,
    pub site: Option<&'a Path>,
    pub email: Option<&'a str>,
    pub json: bool,
}

/// Where documents of the issuer's site come from.
enum Source<'a> {
    /// A built site directory, and the base URL its documents use.
    Dir(&'a Path),
    Http,
}

/// The outcome, printed as text or JSON.
#[derive(Default, serde::Serialize)]
struct Report {
    ok: bool,
    format: String,
    id: String,
    earner: Option<String>,
    badge: Option<String>,
    issuer: Option<String>,
    signature: Option<String>,
    signed_by: Option<String>,
    hosted: Option<String>,
    status: Option<String>,
    expires: Option<String>,
    email: Option<bool>,
    problems: Vec<String>,
}

pub fn run(opts: &Options) -> i32 {
    let report = match verify(opts) {
        Ok(r) => r,
        Err(e) => Report {
            problems: vec![e],
            ..Report::default()
        },
    };
    if opts.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("report serializes")
        );
    } else {
        print_text(&report);
    }
    if report.ok { 0 } else { 1 }
}

fn print_text(r: &Report) {
    let verdict = if r.ok {
        "GENUINE AND VALID"
    } else {
        "NOT VALID"
    };
    println!("{verdict}");
    let line = |label: &str, value: &Option<String>| {
        if let Some(v) = value {
            println!("  {label:<11} {v}");
        }
    };
    line("earner:", &r.earner);
    line("badge:", &r.badge);
    line("issuer:", &r.issuer);
    line("credential:", &Some(r.id.clone()).filter(|s| !s.is_empty()));
    line("format:", &Some(r.format.clone()).filter(|s| !s.is_empty()));
    line("signature:", &r.signature);
    line("signed by:", &r.signed_by);
    line("hosted copy:", &r.hosted);
    line("status:", &r.status);
    line("expires:", &r.expires);
    if let Some(m) = r.email {
        println!(
            "  {:<11} {}",
            "email:",
            if m {
                "issued to this address"
            } else {
                "NOT issued to this address"
            }
        );
    }
    for p in &r.problems {
        println!("  problem:    {p}");
    }
}

fn verify(opts: &Options) -> Result<Report, String> {
    let source = match opts.site {
        Some(dir) if dir.join("index.html").is_file() || dir.join("issuer.json").is_file() => {
            Source::Dir(dir)
        }
        Some(dir) => {
            return Err(format!(
                "`{}` is not a built site: no index.html or issuer.json (pass the output folder, e.g. public/)",
                dir.display()
            ));
        }
        None => Source::Http,
    };
    let base = match &source {
        Source::Dir(dir) => Some(site_base_url(dir)?),
        Source::Http => None,
    };
    let docs = load_input(opts.input, &source, base.as_deref())?;
    let doc = docs[0].clone();
    let mut r = Report::default();
    let kind = kind_of(&doc).ok_or("this is not an Open Badges credential or assertion")?;
    r.format = if kind == Kind::Ob3 {
        "Open Badges 3.0".into()
    } else {
        "Open Badges 2.0".into()
    };
    r.id = doc
        .get("id")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let now = crate::dates::now_epoch()?;
    let today = crate::dates::Date::from_unix(now);

    let fetch = |url: &str| fetch_json(url, &source, base.as_deref());
    let hosted = fetch(&r.id);
    let mut genuine = false;
    let mut revoked = false;

    if kind == Kind::Ob3 {
        r.issuer = doc
            .pointer("/issuer/name")
            .and_then(Value::as_str)
            .map(str::to_string);
        r.badge = doc
            .pointer("/credentialSubject/achievement/name")
            .and_then(Value::as_str)
            .map(str::to_string);
        let did = doc
            .pointer("/issuer/id")
            .and_then(Value::as_str)
            .unwrap_or_default();
        r.signed_by = signing::proof_verification_method(&doc).map(str::to_string);
        let did_doc = did_document_url(did).and_then(|u| fetch(&u));
        match did_doc.and_then(|d| signing::verify_with_did_document(&doc, &d)) {
            Ok(()) => {
                r.signature = Some("valid (eddsa-rdfc-2022)".into());
                genuine = true;
            }
            Err(e) => {
                r.signature = Some("INVALID".into());
                r.problems.push(format!("signature: {e}"));
            }
        }
        if let Some(entry) = doc.get("credentialStatus") {
            match check_status_list(entry, &fetch) {
                Ok(true) => revoked = true,
                Ok(false) => {}
                Err(e) => r.problems.push(format!("revocation status unknown: {e}")),
            }
        }
        r.expires = doc
            .get("validUntil")
            .and_then(Value::as_str)
            .map(str::to_string);
    } else {
        r.expires = doc
            .get("expires")
            .and_then(Value::as_str)
            .map(str::to_string);
        if let Ok(h) = &hosted
            && h.get("revoked").and_then(Value::as_bool) == Some(true)
        {
            revoked = true;
        }
        if let Some(badge_url) = doc.get("badge").and_then(Value::as_str)
            && let Ok(badge) = fetch(badge_url)
        {
            r.badge = badge
                .get("name")
                .and_then(Value::as_str)
                .map(str::to_string);
            if let Some(issuer) = badge
                .get("issuer")
                .and_then(Value::as_str)
                .and_then(|u| fetch(u).ok())
            {
                r.issuer = issuer
                    .get("name")
                    .and_then(Value::as_str)
                    .map(str::to_string);
            }
        }
    }

    // The hosted copy: for 2.0 the proof of authenticity; for 3.0 a second check.
    match &hosted {
        Ok(h) if revoked && kind == Kind::Ob2 => {
            r.hosted = Some("replaced by a revocation notice".into());
            let _ = h;
        }
        Ok(h) if canonical(h) == canonical(&doc) => {
            r.hosted = Some("identical".into());
            if kind == Kind::Ob2 {
                genuine = true;
            }
        }
        Ok(_) => {
            r.hosted = Some("DIFFERENT".into());
            genuine = false;
            r.problems.push(
                "the credential differs from the issuer's hosted copy: it was changed after issue"
                    .into(),
            );
        }
        Err(e) => {
            r.hosted = Some("not found".into());
            r.problems.push(format!("hosted copy: {e}"));
            if kind == Kind::Ob2 {
                genuine = false;
            }
        }
    }

    // A second credential baked beside the first (2.0 beside 3.0) must be
    // genuine too: a verifier reading only that one must not be misled.
    for other in &docs[1..] {
        let id = other.get("id").and_then(Value::as_str).unwrap_or_default();
        let same = fetch(id).is_ok_and(|h| {
            canonical(&h) == canonical(other) || h.get("revoked") == Some(&Value::Bool(true))
        });
        if !same {
            genuine = false;
            r.problems.push("the Open Badges 2.0 assertion baked beside the credential differs from the issuer's copy".into());
        }
    }

    let expired = r
        .expires
        .as_deref()
        .and_then(|e| crate::dates::Date::parse(e.get(..10).unwrap_or_default()))
        .is_some_and(|e| e <= today);
    r.status = Some(
        if revoked {
            "revoked"
        } else if expired {
            "expired"
        } else {
            "valid"
        }
        .into(),
    );
    if revoked {
        let reason = hosted
            .as_ref()
            .ok()
            .and_then(|h| h.get("revocationReason"))
            .and_then(Value::as_str);
        r.problems.push(match reason {
            Some(reason) => format!("revoked by the issuer: {reason}"),
            None => "revoked by the issuer".into(),
        });
    }
    if expired {
        r.problems.push(format!(
            "expired on {}",
            r.expires.as_deref().unwrap_or_default()
        ));
    }
    r.earner = earner_name(&r.id, &source, base.as_deref());

    if let Some(email) = opts.email {
        let matched = recipient(&doc).map(|(hash, salt)| identity_hash(email, &salt) == hash);
        match matched {
            Some(m) => {
                r.email = Some(m);
                if !m {
                    r.problems.push(format!("not issued to {email}"));
                }
            }
            None => r
                .problems
                .push("the credential names no hashed email recipient".into()),
        }
    }
    r.ok = genuine && !revoked && !expired && r.email != Some(false);
    Ok(r)
}

#[derive(PartialEq, Clone, Copy)]
enum Kind {
    Ob2,
    Ob3,
}

fn kind_of(doc: &Value) -> Option<Kind> {
    let types: Vec<&str> = match doc.get("type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
        _ => return None,
    };
    if types.contains(&"OpenBadgeCredential") || types.contains(&"VerifiableCredential") {
        Some(Kind::Ob3)
    } else if types.contains(&"Assertion") {
        Some(Kind::Ob2)
    } else {
        None
    }
}

/// (identity hash, salt) of the recipient.
fn recipient(doc: &Value) -> Option<(String, String)> {
    if let Some(r) = doc.get("recipient") {
        return Some((
            r.get("identity")?.as_str()?.to_string(),
            r.get("salt")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
        ));
    }
    let id = doc.pointer("/credentialSubject/identifier/0")?;
    Some((
        id.get("identityHash")?.as_str()?.to_string(),
        id.get("salt")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string(),
    ))
}

/// JSON with sorted keys and no insignificant white space.
fn canonical(v: &Value) -> String {
    // serde_json's map is ordered by key, so serialising is canonical.
    serde_json::to_string(v).expect("JSON serializes")
}

/// Reads the input and extracts the credentials it carries: the OB 3.0
/// credential first when an image holds both.
fn load_input(input: &str, source: &Source, base: Option<&str>) -> Result<Vec<Value>, String> {
    if input.starts_with("http://") || input.starts_with("https://") {
        let url = if input.ends_with(".json") {
            input.to_string()
        } else {
            format!("{}/credential.json", input.trim_end_matches('/'))
        };
        let doc = fetch_json(&url, source, base).or_else(|_| {
            let assertion = url.replace("/credential.json", "/assertion.json");
            fetch_json(&assertion, source, base)
        })?;
        return Ok(vec![doc]);
    }
    let path = PathBuf::from(input);
    let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{input}`: {e}"))?;
    let texts = if bytes.starts_with(b"\x89PNG") {
        let ob3 =
            bake::read_png(&bytes, bake::OB3_KEYWORD).map_err(|e| format!("`{input}`: {e}"))?;
        let ob2 =
            bake::read_png(&bytes, bake::OB2_KEYWORD).map_err(|e| format!("`{input}`: {e}"))?;
        one_of(input, ob3, ob2)?
    } else if looks_like_svg(&bytes) {
        let svg = String::from_utf8_lossy(&bytes);
        let ob3 = bake::read_svg(&svg, "credential")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        let ob2 = bake::read_svg(&svg, "assertion")
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        one_of(input, ob3, ob2)?
    } else {
        vec![
            String::from_utf8(bytes)
                .map_err(|_| format!("`{input}` is neither an image nor UTF-8 JSON"))?,
        ]
    };
    texts
        .iter()
        .map(|text| {
            let text = text.trim();
            if text.starts_with("ey") && text.split('.').count() == 3 {
                return Err(format!("`{input}` carries a signed JWS; only hosted and Data Integrity credentials are supported"));
            }
            serde_json::from_str(text).map_err(|e| format!("`{input}`: the credential is not valid JSON ({e})"))
        })
        .collect()
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.trim_start().starts_with("<?xml") || head.contains("<svg")
}

fn one_of(input: &str, ob3: Vec<String>, ob2: Vec<String>) -> Result<Vec<String>, String> {
    if ob3.len() > 1 || ob2.len() > 1 {
        return Err(format!(
            "`{input}` carries two credentials of the same kind; a genuine baked badge has one"
        ));
    }
    let all: Vec<String> = ob3.into_iter().chain(ob2).collect();
    if all.is_empty() {
        return Err(format!(
            "`{input}` carries no credential: it is a plain image, not a baked badge"
        ));
    }
    Ok(all)
}

/// The site's base URL, read from its published issuer profile.
fn site_base_url(dir: &Path) -> Result<String, String> {
    let profile: Value = std::fs::read(dir.join("issuer.json"))
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| format!("`{}` has no readable issuer.json", dir.display()))?;
    let id = profile
        .get("id")
        .and_then(Value::as_str)
        .ok_or("issuer.json has no id")?;
    Ok(id
        .trim_end_matches("issuer.json")
        .trim_end_matches('/')
        .to_string())
}

/// A document by URL: from the site directory when the URL is under its base
/// URL, else over HTTP (only without `--site`).
fn fetch_json(url: &str, source: &Source, base: Option<&str>) -> Result<Value, String> {
    let bytes = fetch(url, source, base)?;
    serde_json::from_slice(&bytes).map_err(|e| format!("{url}: not valid JSON ({e})"))
}

fn fetch(url: &str, source: &Source, base: Option<&str>) -> Result<Vec<u8>, String> {
    match source {
        Source::Dir(dir) => {
            let base = base.unwrap_or_default();
            let rest = url
                .strip_prefix(base)
                .filter(|r| r.is_empty() || r.starts_with('/'))
                .ok_or_else(|| {
                    format!("{url} is not part of the site at {base}: issued by someone else?")
                })?;
            let rel = rest.trim_start_matches('/');
            if rel.split('/').any(|c| c == "..") {
                return Err(format!("{url}: invalid path"));
            }
            let mut path = dir.join(rel);
            if rel.is_empty() || rel.ends_with('/') {
                path = path.join("index.html");
            }
            std::fs::read(&path)
                .map_err(|_| format!("{url}: the issuer publishes no such document"))
        }
        Source::Http => http_get(url),
    }
}

/// A minimal HTTP/1.1 GET for `http://` URLs (local previews, intranets).
fn http_get(url: &str) -> Result<Vec<u8>, String> {
    let rest = url.strip_prefix("http://").ok_or_else(|| {
        format!("{url}: fetching over HTTPS is not built in; download the files or pass `--site` with the built site")
    })?;
    let (authority, path) = rest
        .split_once('/')
        .map_or((rest, "/".to_string()), |(a, p)| (a, format!("/{p}")));
    let addr = if authority.contains(':') {
        authority.to_string()
    } else {
        format!("{authority}:80")
    };
    let mut stream = std::net::TcpStream::connect(&addr).map_err(|e| format!("{url}: {e}"))?;
    stream
        .set_read_timeout(Some(std::time::Duration::from_secs(20)))
        .ok();
    write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nAccept: application/ld+json, application/json, */*\r\n\r\n")
        .map_err(|e| format!("{url}: {e}"))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| format!("{url}: {e}"))?;
    let split = response
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .ok_or_else(|| format!("{url}: malformed response"))?;
    let head = String::from_utf8_lossy(&response[..split]);
    let status = head.split_whitespace().nth(1).unwrap_or("");
    if status != "200" {
        return Err(format!("{url}: HTTP {status}"));
    }
    if head
        .to_ascii_lowercase()
        .contains("transfer-encoding: chunked")
    {
        return Err(format!("{url}: chunked responses are not supported"));
    }
    Ok(response[split + 4..].to_vec())
}

fn did_document_url(did: &str) -> Result<String, String> {
    let rest = did
        .strip_prefix("did:web:")
        .ok_or_else(|| format!("issuer `{did}` is not a did:web"))?;
    let mut parts = rest.split(':');
    let host = parts.next().unwrap_or_default().replace("%3A", ":");
    let path: Vec<&str> = parts.collect();
    let scheme = if host.starts_with("127.0.0.1") || host.starts_with("localhost") {
        "http"
    } else {
        "https"
    };
    Ok(if path.is_empty() {
        format!("{scheme}://{host}/.well-known/did.json")
    } else {
        format!("{scheme}://{host}/{}/did.json", path.join("/"))
    })
}

/// Whether the credential's bit is set in its revocation status list.
fn check_status_list(
    entry: &Value,
    fetch: &dyn Fn(&str) -> Result<Value, String>,
) -> Result<bool, String> {
    let url = entry
        .get("statusListCredential")
        .and_then(Value::as_str)
        .ok_or("no statusListCredential")?;
    let index: u64 = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or("no statusListIndex")?;
    let list = fetch(url)?;
    let encoded = list
        .pointer("/credentialSubject/encodedList")
        .and_then(Value::as_str)
        .ok_or("the status list has no encodedList")?;
    let bits = status_list::decode_list(encoded)?;
    Ok(status_list::is_set(&bits, index))
}

/// The earner's name, from the verification page (the JSON holds only a hash).
fn earner_name(id: &str, source: &Source, base: Option<&str>) -> Option<String> {
    let page_url = id.rsplit_once('/').map(|(dir, _)| format!("{dir}/"))?;
    let html = String::from_utf8(fetch(&page_url, source, base).ok()?).ok()?;
    let at = html
        .find("name=accolade:earner")
        .or_else(|| html.find("name=\"accolade:earner\""))?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..at + html[at..].find('>')?];
    let content = tag.split("content=").nth(1)?;
    let value = if let Some(q) = content.strip_prefix('"') {
        q.split('"').next()?
    } else if let Some(q) = content.strip_prefix('\'') {
        q.split('\'').next()?
    } else {
        content.split([' ', '>']).next()?
    };
    Some(unescape(value))
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}
