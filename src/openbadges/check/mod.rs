//! Checking a credential someone hands us (the library behind `accolade
//! verify`): is it genuine, whose is it, and is it valid, expired or
//! revoked?
//!
//! Three outcomes, never confused: **valid** (genuine, not revoked, not
//! expired, and issued to the email asked about); **not valid** (forged,
//! changed, revoked, expired, someone else's — a verdict); **could not
//! check** (an unreadable file, a network failure, a kind of proof accolade
//! does not implement — no verdict at all). A forgery must never pass as
//! "could not check", and a network failure must never read as a forgery.
//!
//! Every credential in the input is checked on its own, the same way: an
//! image carrying an Open Badges 3.0 credential and a 2.0 assertion gets a
//! conclusion for each, and the outcome is the worse of the two, so a
//! genuine 3.0 credential cannot vouch for a forged 2.0 assertion.
//!
//! - 3.0: the `eddsa-rdfc-2022` signature against the issuer's did:web
//!   document, the Bitstring Status List (itself signed), the dates, and
//!   the issuer's hosted copy as a second check.
//! - 2.0 (hosted verification): the issuer's hosted copy is the proof; a
//!   revocation notice (or HTTP 410) there means revoked.
//! - **Earlier versions.** A copy that differs from the hosted one is not
//!   "changed" when it is an earlier version of it (`versions`): a 3.0
//!   credential with a valid signature naming the same award, issuer,
//!   recipient and issue date, hosted in a later revision; a 2.0 assertion of the same
//!   recipient, badge and issue date, for an award the issuer has revised
//!   since (its hosted 3.0 credential says when). It is then
//!   reported as superseded, and judged by the current version's facts
//!   (status, expiry, recipient), never by the copy's.
//!
//! Documents come from a built site folder (offline) or the web
//! ([`source`]); the input is read by [`input`]; [`report`] words the
//! result.

mod input;
mod report;
mod source;

use std::path::Path;

use serde::Serialize;
use serde_json::Value;

pub use input::InputError;
pub use report::{Checked, Report};
pub use source::{FetchError, Source};

use crate::http::{self, HttpError};
use crate::openbadges::{identity_hash, print, status_list, versions};
use crate::signing;

/// What to check.
pub struct Request<'a> {
    /// A baked PNG or SVG, a JSON file, or a verification URL.
    pub input: &'a str,
    /// A built site folder to check against, offline.
    pub site: Option<&'a Path>,
    /// Also check that the credential was issued to this address.
    pub email: Option<&'a str>,
    /// A PEM file of CAs to trust besides the Mozilla roots.
    pub ca_file: Option<&'a Path>,
    /// The issuer's DID document, from a file: offline, with `site` or
    /// alone (then nothing else is read: no status, no hosted copy).
    pub did_document: Option<&'a Path>,
    /// "Now", in seconds since 1970, for expiry.
    pub now: i64,
}

/// The verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Genuine, unrevoked, unexpired (and the asked-for recipient's).
    Valid,
    /// Checked, and found forged, changed, revoked, expired or someone else's.
    NotValid,
    /// Something needed for a verdict could not be read or is not supported.
    CouldNotCheck,
}

impl Outcome {
    /// The process exit code: 0, 1, 2 (README, "Command line").
    pub fn exit_code(self) -> u8 {
        match self {
            Outcome::Valid => 0,
            Outcome::NotValid => 1,
            Outcome::CouldNotCheck => 2,
        }
    }

    /// A verdict outweighs a gap: not valid > could not check > valid.
    fn worst(self, other: Outcome) -> Outcome {
        use Outcome::*;
        match (self, other) {
            (NotValid, _) | (_, NotValid) => NotValid,
            (CouldNotCheck, _) | (_, CouldNotCheck) => CouldNotCheck,
            _ => Valid,
        }
    }
}

/// Why nothing could be checked at all.
#[derive(Debug)]
pub enum CheckError {
    /// `--site` is not a built site.
    Site(String),
    /// The HTTP client could not be set up (a bad CA file).
    Http(HttpError),
    /// The input yields no credential.
    Input(InputError),
}

impl CheckError {
    pub fn outcome(&self) -> Outcome {
        match self {
            CheckError::Input(e) => e.outcome(),
            _ => Outcome::CouldNotCheck,
        }
    }
}

impl std::fmt::Display for CheckError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            CheckError::Site(m) => f.write_str(m),
            CheckError::Http(e) => e.fmt(f),
            CheckError::Input(e) => e.fmt(f),
        }
    }
}

/// Checks what the request names; never fails: a failure is a report.
pub fn check(request: &Request) -> Report {
    check_input(request).unwrap_or_else(|e| Report::failed(e.outcome(), e.to_string()))
}

fn check_input(request: &Request) -> Result<Report, CheckError> {
    let source = match (request.site, request.did_document) {
        (Some(dir), _) => Source::dir(dir).map_err(CheckError::Site)?,
        (None, Some(_)) => Source::Nothing,
        (None, None) => Source::Web(http::Client::new(request.ca_file).map_err(CheckError::Http)?),
    };
    let source = match request.did_document {
        Some(file) => Source::with_did_document(source, file).map_err(CheckError::Site)?,
        None => source,
    };
    let docs = input::load(request.input, &source).map_err(CheckError::Input)?;
    let checks: Vec<DocCheck> = docs
        .iter()
        .map(|doc| check_document(doc, &source, request.now))
        .collect();
    // An earlier version's recipient is the current version's.
    let recipient_doc = checks[0].current.clone().unwrap_or_else(|| docs[0].clone());
    let mut report = Report::combine(checks);
    report.earner = award_page(&source, &report.id)
        .and_then(|html| meta(&html, "accolade:earner"))
        .or_else(|| print::earner_name(&docs[0]));
    if let Some(email) = request.email {
        report.check_email(&recipient_doc, email);
    }
    Ok(report)
}

/// Open Badges 3.0 credential or 2.0 assertion.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ob2,
    Ob3,
}

impl Kind {
    pub fn of(doc: &Value) -> Option<Kind> {
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

    pub fn label(self) -> &'static str {
        match self {
            Kind::Ob3 => "Open Badges 3.0 credential",
            Kind::Ob2 => "Open Badges 2.0 assertion",
        }
    }
}

/// One credential's check: what was found, and every problem with the
/// outcome it implies.
#[derive(Debug, Default)]
struct DocCheck {
    kind: Option<Kind>,
    id: String,
    badge: Option<String>,
    issuer: Option<String>,
    signature: Option<String>,
    signed_by: Option<String>,
    hosted: Option<String>,
    /// None: not known (not checked).
    revoked: Option<bool>,
    expired: bool,
    expires: Option<String>,
    revoked_on: Option<String>,
    reason: Option<String>,
    /// For an earlier version: the hosted, current version, whose facts
    /// decide, and its date.
    current: Option<Value>,
    superseded_on: Option<String>,
    findings: Vec<(Outcome, String)>,
    notes: Vec<String>,
}

impl DocCheck {
    fn invalid(&mut self, message: impl Into<String>) {
        self.findings.push((Outcome::NotValid, message.into()));
    }

    /// This copy is an earlier version of `current`, the hosted version of `on`.
    fn superseded(&mut self, current: Value, on: String) {
        self.hosted = Some(format!("a later version, of {on}"));
        self.notes.push(format!(
            "this copy is an earlier version: the issuer revised it on {on}; \
             its status and expiry are the current version's"
        ));
        self.superseded_on = Some(on);
        self.current = Some(current);
    }

    /// The issuer's hosted copy could not be read: a note, no verdict.
    fn hosted_unread(&mut self, e: &FetchError) {
        let what = if e.is_not_found() {
            "not found"
        } else {
            "not checked"
        };
        self.hosted = Some(what.into());
        self.notes.push(format!("hosted copy: {e}"));
    }

    fn unchecked(&mut self, message: impl Into<String>) {
        self.findings.push((Outcome::CouldNotCheck, message.into()));
    }

    fn outcome(&self) -> Outcome {
        self.findings
            .iter()
            .fold(Outcome::Valid, |o, (f, _)| o.worst(*f))
    }

    /// "valid", "expired", "revoked", or "not checked" when revocation is
    /// unknown and nothing else decides.
    fn status(&self) -> &'static str {
        match (self.revoked, self.expired) {
            (Some(true), _) => "revoked",
            (_, true) => "expired",
            (None, false) => "not checked",
            (Some(false), false) => "valid",
        }
    }
}

fn check_document(doc: &Value, source: &Source, now: i64) -> DocCheck {
    let mut d = DocCheck {
        id: str_at(doc, "/id").unwrap_or_default(),
        ..DocCheck::default()
    };
    let Some(kind) = Kind::of(doc) else {
        d.unchecked("this is not an Open Badges credential or assertion");
        return d;
    };
    d.kind = Some(kind);
    match kind {
        Kind::Ob3 => check_ob3(doc, source, &mut d),
        Kind::Ob2 => check_ob2(doc, source, &mut d),
    }
    let current = d.current.take();
    check_dates(current.as_ref().unwrap_or(doc), kind, now, &mut d);
    d.current = current;
    if d.revoked == Some(true) {
        revocation_details(source, &mut d);
    }
    d
}

fn check_ob3(doc: &Value, source: &Source, d: &mut DocCheck) {
    d.issuer = str_at(doc, "/issuer/name");
    d.badge = str_at(doc, "/credentialSubject/achievement/name");
    d.signed_by = signing::proof_verification_method(doc).map(str::to_string);
    let did_doc = check_signature(doc, source, d);
    match doc.get("credentialStatus") {
        Some(entry) => match revocation_bit(entry, doc, source, did_doc.as_ref()) {
            Ok(bit) => d.revoked = Some(bit),
            Err(e) => d.unchecked(format!("revocation not checked: {e}")),
        },
        None => {
            d.revoked = Some(false);
            d.notes
                .push("the credential names no status list: its issuer cannot revoke it".into());
        }
    }
    let genuine = d
        .signature
        .as_deref()
        .is_some_and(|s| s.starts_with("valid"));
    if print::is_print_credential(doc) {
        return compare_print(doc, source, genuine, d);
    }
    match source.get_json(&d.id) {
        Ok(hosted) if same_credential(&hosted, doc) => d.hosted = Some("identical".into()),
        Ok(hosted) if genuine && versions::earlier_version(doc, &hosted) => {
            d.badge = str_at(&hosted, "/credentialSubject/achievement/name").or(d.badge.take());
            let on = versions::version_date(&hosted).unwrap_or_default();
            d.superseded(hosted, on);
        }
        Ok(_) => {
            d.hosted = Some("DIFFERENT".into());
            d.invalid(
                "the credential differs from the issuer's hosted copy: it was changed after issue",
            );
        }
        Err(e) => d.hosted_unread(&e),
    }
}

/// A print credential is not a copy of the hosted credential but a
/// summary of it, signed on its own: its version is compared with the
/// hosted one's (`id` is the award's page; the credential is beside it).
fn compare_print(doc: &Value, source: &Source, genuine: bool, d: &mut DocCheck) {
    d.notes.push(
        "a print credential (a certificate's QR code): its signature vouches for what it says"
            .into(),
    );
    let hosted_url = format!("{}{}", d.id, crate::paths::CREDENTIAL_FILE);
    match source.get_json(&hosted_url) {
        Ok(hosted) => {
            let (mine, theirs) = (versions::version_date(doc), versions::version_date(&hosted));
            if genuine && theirs > mine {
                d.badge = str_at(&hosted, "/credentialSubject/achievement/name").or(d.badge.take());
                d.superseded(hosted, theirs.unwrap_or_default());
            } else {
                d.hosted = Some("the same version".into());
            }
        }
        Err(e) => d.hosted_unread(&e),
    }
}

/// Verifies the proof with the key the issuer's DID document lists, and
/// returns that document (the status list is checked with it too).
fn check_signature(doc: &Value, source: &Source, d: &mut DocCheck) -> Option<Value> {
    let did = issuer_id(doc).unwrap_or_default();
    let Some(url) = did_document_url(&did, &d.id) else {
        d.signature = Some("not checked".into());
        d.unchecked(format!(
            "signature not checked: the issuer `{did}` is not a did:web, the only kind accolade resolves"
        ));
        return None;
    };
    let did_doc = match source.get_json(&url) {
        Ok(v) if v.get("id").and_then(Value::as_str) == Some(did.as_str()) => v,
        Ok(other) => {
            d.signature = Some("INVALID".into());
            let owner = other.get("id").and_then(Value::as_str).unwrap_or("nobody");
            d.invalid(format!(
                "signature: the credential names the issuer {did}, but the DID document at {url} is {owner}'s"
            ));
            return None;
        }
        Err(e) if e.is_not_found() => {
            d.signature = Some("INVALID".into());
            d.invalid(format!(
                "signature: the issuer publishes no DID document ({e})"
            ));
            return None;
        }
        Err(e) => {
            d.signature = Some("not checked".into());
            d.unchecked(format!(
                "signature not checked: cannot read the issuer's keys: {e}"
            ));
            return None;
        }
    };
    match signing::verify_with_did_document(doc, &did_doc) {
        Ok(()) => {
            let suite = str_at(doc, "/proof/cryptosuite")
                .or_else(|| str_at(doc, "/proof/0/cryptosuite"))
                .unwrap_or_default();
            d.signature = Some(format!("valid ({suite})"));
        }
        Err(e) if e.is_unsupported() => {
            d.signature = Some("not checked".into());
            d.unchecked(format!("signature not checked: {e}"));
        }
        Err(e) => {
            d.signature = Some("INVALID".into());
            d.invalid(format!("signature: {e}"));
        }
    }
    Some(did_doc)
}

/// Whether the credential's bit is set in its revocation status list. The
/// list must be the same issuer's, and signed by a key of `did_doc`.
fn revocation_bit(
    entry: &Value,
    doc: &Value,
    source: &Source,
    did_doc: Option<&Value>,
) -> Result<bool, String> {
    let entry = match entry {
        Value::Array(entries) => entries
            .iter()
            .find(|e| e.get("statusPurpose").and_then(Value::as_str) == Some("revocation"))
            .ok_or("no revocation entry in credentialStatus")?,
        e => e,
    };
    let url = entry
        .get("statusListCredential")
        .and_then(Value::as_str)
        .ok_or("no statusListCredential")?;
    let index: u64 = entry
        .get("statusListIndex")
        .and_then(Value::as_str)
        .and_then(|s| s.parse().ok())
        .ok_or("no statusListIndex")?;
    let list = source.get_json(url).map_err(|e| e.to_string())?;
    if issuer_id(&list) != issuer_id(doc) {
        return Err(format!(
            "the status list {url} is not the credential issuer's"
        ));
    }
    if let Some(did_doc) = did_doc {
        signing::verify_with_did_document(&list, did_doc)
            .map_err(|e| format!("the status list's signature: {e}"))?;
    }
    let encoded = list
        .pointer("/credentialSubject/encodedList")
        .and_then(Value::as_str)
        .ok_or("the status list has no encodedList")?;
    let bits = status_list::decode_list(encoded)?;
    Ok(status_list::is_set(&bits, index))
}

fn check_ob2(doc: &Value, source: &Source, d: &mut DocCheck) {
    if let Some(badge) = str_at(doc, "/badge").and_then(|u| source.get_json(&u).ok()) {
        d.badge = str_at(&badge, "/name");
        d.issuer = str_at(&badge, "/issuer")
            .and_then(|u| source.get_json(&u).ok())
            .and_then(|issuer| str_at(&issuer, "/name"));
    }
    // Hosted verification: the issuer's copy is the proof.
    match source.get_json(&d.id) {
        Ok(hosted) if hosted.get("revoked").and_then(Value::as_bool) == Some(true) => {
            d.hosted = Some("replaced by a revocation notice".into());
            d.revoked = Some(true);
            d.reason = str_at(&hosted, "/revocationReason");
        }
        Ok(hosted) if same_credential(&hosted, doc) => {
            d.hosted = Some("identical".into());
            d.revoked = Some(false);
        }
        Ok(hosted) if let Some(on) = ob2_revised_since(doc, &hosted, source) => {
            d.revoked = Some(false);
            d.superseded(hosted, on);
        }
        Ok(_) => {
            d.hosted = Some("DIFFERENT".into());
            d.invalid(
                "the assertion differs from the issuer's hosted copy: it was changed after issue",
            );
        }
        Err(FetchError::NotFound { gone: true, .. }) => {
            d.hosted = Some("withdrawn (HTTP 410 Gone)".into());
            d.revoked = Some(true);
        }
        Err(e) if e.is_not_found() => {
            d.hosted = Some("not found".into());
            d.invalid(format!("the issuer does not host this assertion: {e}"));
        }
        Err(e) => {
            d.hosted = Some("not checked".into());
            d.unchecked(format!("hosted copy not checked: {e}"));
        }
    }
}

/// Whether a 2.0 assertion that differs from the hosted one is an earlier
/// version of it: the same recipient, badge and issue date, and an award
/// the issuer has revised since that date, as the award's hosted 3.0
/// credential says (2.0 has no version date of its own): the date of the
/// current version. The credential must be a revision: a differing copy of
/// an award never revised is forged, not earlier (hosted 2.0 has no
/// signature to tell).
fn ob2_revised_since(copy: &Value, hosted: &Value, source: &Source) -> Option<String> {
    let same = |p: &str| copy.pointer(p).is_some() && copy.pointer(p) == hosted.pointer(p);
    if ![
        "/recipient/identity",
        "/recipient/salt",
        "/badge",
        "/issuedOn",
    ]
    .into_iter()
    .all(same)
    {
        return None;
    }
    let dir = award_dir(&str_at(copy, "/id")?)?;
    let credential = source
        .get_json(&format!("{dir}{}", crate::paths::CREDENTIAL_FILE))
        .ok()?;
    if !versions::is_revision(&credential) {
        return None;
    }
    let version = versions::version_date(&credential)?;
    let issued = str_at(copy, "/issuedOn")?.get(..10)?.to_string();
    (version > issued).then_some(version)
}

/// Expiry and start as of `now`, and the findings they imply together with
/// revocation.
fn check_dates(doc: &Value, kind: Kind, now: i64, d: &mut DocCheck) {
    let (from, until) = match kind {
        Kind::Ob3 => ("/validFrom", "/validUntil"),
        Kind::Ob2 => ("/issuedOn", "/expires"),
    };
    d.expires = str_at(doc, until);
    if let Some(e) = d.expires.clone() {
        match epoch_of(&e) {
            Some(t) => d.expired = t <= now,
            None => d.unchecked(format!("cannot read the expiry date `{e}`")),
        }
    }
    if let Some(start) = str_at(doc, from)
        && epoch_of(&start).is_some_and(|t| t > now)
    {
        d.invalid(format!("not valid before {start}"));
    }
    if d.expired {
        let date = d.expires.as_deref().unwrap_or_default();
        d.invalid(format!("expired on {}", date.get(..10).unwrap_or(date)));
    }
}

/// The date and reason of a revocation, as the issuer published them: the
/// date on the award page, the reason in the 2.0 revocation notice.
fn revocation_details(source: &Source, d: &mut DocCheck) {
    let dir = award_dir(&d.id);
    if d.reason.is_none()
        && let Some(dir) = &dir
        && let Ok(notice) = source.get_json(&format!("{dir}{}", crate::paths::ASSERTION_FILE))
    {
        d.reason = str_at(&notice, "/revocationReason");
    }
    d.revoked_on = award_page(source, &d.id).and_then(|html| meta(&html, "accolade:revoked_on"));
    let mut message = "revoked by the issuer".to_string();
    if let Some(on) = &d.revoked_on {
        message.push_str(&format!(" on {on}"));
    }
    if let Some(reason) = &d.reason {
        message.push_str(&format!(": {reason}"));
    }
    d.invalid(message);
}

/// Copies compare as JSON with sorted keys; a single `proof` object (a
/// credential baked before proofs became arrays) equals the array of it.
fn same_credential(a: &Value, b: &Value) -> bool {
    fn normal(v: &Value) -> Value {
        let mut v = v.clone();
        if let Some(p) = v.get_mut("proof")
            && p.is_object()
        {
            *p = Value::Array(vec![p.take()]);
        }
        v
    }
    normal(a) == normal(b)
}

/// The issuer's id: `issuer` as a string or as a Profile's `id`.
fn issuer_id(doc: &Value) -> Option<String> {
    match doc.get("issuer")? {
        Value::String(s) => Some(s.clone()),
        other => str_at(other, "/id"),
    }
}

/// Where the issuer's DID document is: did:web resolves over https, except
/// that a site previewed over http on this machine (loopback, the same
/// host as the credential's own http URL) is read over http.
fn did_document_url(did: &str, credential_id: &str) -> Option<String> {
    let url = signing::did_web_url(did)?;
    let rest = url.strip_prefix("https://")?;
    let host = rest.split('/').next()?;
    let name = host.rsplit_once(':').map_or(host, |(name, _)| name);
    let loopback = matches!(name, "localhost" | "[::1]") || name.starts_with("127.");
    if loopback && credential_id.starts_with(&format!("http://{host}/")) {
        Some(format!("http://{rest}"))
    } else {
        Some(url)
    }
}

/// The folder URL of an award (`…/verify/<award>/`), from a document id.
fn award_dir(id: &str) -> Option<String> {
    id.rsplit_once('/').map(|(dir, _)| format!("{dir}/"))
}

/// The award's verification page, whose meta tags name the earner (the
/// JSON holds only a hash) and the revocation date.
fn award_page(source: &Source, id: &str) -> Option<String> {
    String::from_utf8(source.get(&award_dir(id)?).ok()?).ok()
}

/// The `content` of `<meta name="NAME" content="…">` in a page.
fn meta(html: &str, name: &str) -> Option<String> {
    let at = html
        .find(&format!("name={name}"))
        .or_else(|| html.find(&format!("name=\"{name}\"")))?;
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
    Some(unescape(value)).filter(|v| !v.is_empty())
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn str_at(doc: &Value, pointer: &str) -> Option<String> {
    doc.pointer(pointer)
        .and_then(Value::as_str)
        .map(str::to_string)
}

/// Seconds since 1970 of `YYYY-MM-DD[THH:MM:SS[.fff]][Z]` (read as UTC).
fn epoch_of(datetime: &str) -> Option<i64> {
    let date = crate::dates::Date::parse(datetime.get(..10)?)?;
    let mut seconds = date.days_since_epoch() * 86_400;
    if let Some(time) = datetime.get(11..19) {
        let mut parts = time.split(':').map(|p| p.parse::<i64>().ok());
        let (h, m, s) = (parts.next()??, parts.next()??, parts.next()??);
        seconds += h * 3600 + m * 60 + s;
    }
    Some(seconds)
}

/// (identity hash, salt) of the recipient.
fn recipient(doc: &Value) -> Option<(String, String)> {
    let (hash, salt) = match doc.get("recipient") {
        Some(r) => (r.get("identity"), r.get("salt")),
        None => {
            let id = doc.pointer("/credentialSubject/identifier/0")?;
            (id.get("identityHash"), id.get("salt"))
        }
    };
    Some((
        hash?.as_str()?.to_string(),
        salt.and_then(Value::as_str).unwrap_or("").to_string(),
    ))
}

fn email_matches(doc: &Value, email: &str) -> Option<bool> {
    let (hash, salt) = recipient(doc)?;
    Some(identity_hash(email, &salt) == hash)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn outcomes_combine_verdict_first() {
        use Outcome::*;
        assert_eq!(Valid.worst(CouldNotCheck), CouldNotCheck);
        assert_eq!(CouldNotCheck.worst(NotValid), NotValid);
        assert_eq!(NotValid.worst(Valid), NotValid);
        assert_eq!(Valid.worst(Valid), Valid);
        assert_eq!(
            [Valid, NotValid, CouldNotCheck].map(Outcome::exit_code),
            [0, 1, 2]
        );
    }

    #[test]
    fn did_documents_are_fetched_over_https_except_local_previews() {
        let cred = "https://cred.example.org/verify/A/credential.json";
        assert_eq!(
            did_document_url("did:web:cred.example.org", cred).unwrap(),
            "https://cred.example.org/.well-known/did.json"
        );
        let local = "http://127.0.0.1:8080/verify/A/credential.json";
        assert_eq!(
            did_document_url("did:web:127.0.0.1%3A8080", local).unwrap(),
            "http://127.0.0.1:8080/.well-known/did.json"
        );
        // A forged http id for a real host does not downgrade it.
        assert_eq!(
            did_document_url("did:web:cred.example.org", "http://cred.example.org/x").unwrap(),
            "https://cred.example.org/.well-known/did.json"
        );
        assert_eq!(did_document_url("did:key:z6Mk", cred), None);
    }

    #[test]
    fn dates_and_copies() {
        assert_eq!(epoch_of("1970-01-02"), Some(86_400));
        assert_eq!(epoch_of("1970-01-01T01:00:01Z"), Some(3601));
        assert_eq!(epoch_of("1970-01-01T01:00:01.5Z"), Some(3601));
        assert_eq!(epoch_of("soon"), None);
        assert_eq!(epoch_of("2026-02-30T00:00:00Z"), None);
        let proof = json!({"type": "DataIntegrityProof"});
        assert!(same_credential(
            &json!({"a": 1, "proof": [proof]}),
            &json!({"proof": proof, "a": 1})
        ));
        assert!(!same_credential(&json!({"a": 1}), &json!({"a": 2})));
    }

    #[test]
    fn meta_tags() {
        let html = r#"<head><meta name="accolade:earner" content="Li &amp; Lei"><meta name=accolade:revoked_on content=2025-06-01></head>"#;
        assert_eq!(meta(html, "accolade:earner").unwrap(), "Li & Lei");
        assert_eq!(meta(html, "accolade:revoked_on").unwrap(), "2025-06-01");
        assert_eq!(meta(html, "accolade:badge"), None);
    }
}
