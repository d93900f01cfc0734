//! Open Badges 2.0 hosted verification documents: Assertion, BadgeClass,
//! issuer Profile and RevocationList, at the URLs of the site layout.
//!
//! Ids are the URLs the documents are served at, all under `base_url`, so the
//! hosted-origin rule (assertion and issuer on the same host) always holds.

use serde_json::{Map, Value, json};

use super::{identity_hash, recipient_salt};
use crate::paths;
use crate::site::{Award, Badge, Site};

pub const CONTEXT: &str = "https://w3id.org/openbadges/v2";

pub fn assertion_url(site: &Site, award: &Award) -> String {
    site.url(&paths::assertion(&award.id))
}

pub fn badge_url(site: &Site, badge: &Badge) -> String {
    site.url(&paths::badge_class(&badge.id))
}

pub fn issuer_url(site: &Site) -> String {
    site.url(paths::ISSUER)
}

fn text<'a>(site: &Site, l: &'a crate::content::Localized) -> &'a str {
    l.get(site.default_lang(), site.default_lang())
        .unwrap_or_default()
}

/// The hosted Assertion. A revoked award is reduced to the revocation notice
/// the spec asks a host to serve in place of the assertion.
pub fn assertion(site: &Site, award: &Award) -> Value {
    let id = assertion_url(site, award);
    if let Some(r) = &award.revoked {
        let mut doc = json!({
            "@context": CONTEXT,
            "id": id,
            "type": "Assertion",
            "revoked": true,
        });
        if let Some(reason) = &r.reason {
            doc["revocationReason"] = json!(reason);
        }
        return doc;
    }
    full_assertion(site, award)
}

/// The assertion's `image`: the hosted baked PNG with `award_files: full`,
/// else the badge's 600 px artwork (lean sites host no per-award image).
pub fn award_image_url(site: &Site, award: &Award) -> String {
    if site.full_award_files() {
        site.url(&paths::baked(&award.id, "png"))
    } else {
        site.url(&paths::badge_png_sized(&site.badges[award.badge].id, 600))
    }
}

/// The full Assertion, as baked into images (also for revoked awards, whose
/// hosted copy then tells verifiers about the revocation).
pub fn full_assertion(site: &Site, award: &Award) -> Value {
    let earner = &site.earners[award.earner];
    let badge = &site.badges[award.badge];
    let salt = recipient_salt(&award.id);
    let mut doc = json!({
        "@context": CONTEXT,
        "id": assertion_url(site, award),
        "type": "Assertion",
        "recipient": {
            "type": "email",
            "hashed": true,
            "salt": salt,
            "identity": identity_hash(&earner.email, &salt),
        },
        "badge": badge_url(site, badge),
        "verification": { "type": "hosted" },
        "issuedOn": award.issued_on.to_datetime(),
        "image": award_image_url(site, award),
    });
    if let Some(e) = award.expires_on {
        doc["expires"] = json!(e.to_datetime());
    }
    if !award.evidence.is_empty() {
        doc["evidence"] = award
            .evidence
            .iter()
            .map(|e| {
                let mut m = Map::new();
                m.insert("id".into(), json!(e.url));
                m.insert("type".into(), json!("Evidence"));
                if let Some(n) = &e.narrative {
                    m.insert("narrative".into(), json!(n));
                }
                Value::Object(m)
            })
            .collect();
    }
    doc
}

pub fn badge_class(site: &Site, badge: &Badge) -> Value {
    let mut doc = json!({
        "@context": CONTEXT,
        "id": badge_url(site, badge),
        "type": "BadgeClass",
        "name": text(site, &badge.name),
        "description": text(site, &badge.description),
        "image": site.url(&paths::badge_art(&badge.id, "png")),
        "criteria": {
            "id": site.url(&paths::badge_page(&badge.id)),
            "narrative": text(site, &badge.criteria),
        },
        "issuer": issuer_url(site),
    });
    if !badge.skills.is_empty() {
        let tags: Vec<&str> = badge.skills.iter().map(|k| text(site, k)).collect();
        doc["tags"] = json!(tags);
    }
    let alignment = super::alignments(site, badge);
    if !alignment.is_empty() {
        doc["alignment"] = alignment
            .iter()
            .map(|(a, _)| {
                let mut m = Map::new();
                m.insert("targetName".into(), json!(a.name));
                m.insert("targetUrl".into(), json!(a.url));
                for (k, v) in [
                    ("targetFramework", &a.framework),
                    ("targetCode", &a.code),
                    ("targetDescription", &a.description),
                ] {
                    if let Some(v) = v {
                        m.insert(k.into(), json!(v));
                    }
                }
                Value::Object(m)
            })
            .collect();
    }
    doc
}

pub fn profile(site: &Site) -> Value {
    let i = &site.issuer;
    let mut doc = json!({
        "@context": CONTEXT,
        "id": issuer_url(site),
        "type": "Profile",
        "name": site.issuer_name(site.default_lang()),
        "url": i.url,
        "email": i.email,
        "revocationList": site.url(paths::REVOCATIONS),
    });
    if let Some(d) = i
        .description
        .as_ref()
        .and_then(|d| d.get(site.default_lang(), site.default_lang()))
    {
        doc["description"] = json!(d);
    }
    if let Some(img) = site.issuer_image() {
        doc["image"] = json!(site.url(&img));
    }
    doc
}

pub fn revocation_list(site: &Site) -> Value {
    let revoked: Vec<Value> = site
        .awards
        .iter()
        .filter_map(|a| {
            let r = a.revoked.as_ref()?;
            let mut m = Map::new();
            m.insert("id".into(), json!(assertion_url(site, a)));
            if let Some(reason) = &r.reason {
                m.insert("revocationReason".into(), json!(reason));
            }
            Some(Value::Object(m))
        })
        .collect();
    json!({
        "@context": CONTEXT,
        "id": site.url(paths::REVOCATIONS),
        "type": "RevocationList",
        "issuer": issuer_url(site),
        "revokedAssertions": revoked,
    })
}

/// Compact, stable JSON with a final newline: what the site hosts, and
/// what `accolade bake` and the browser bake as served.
pub fn to_bytes(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).expect("JSON values serialize");
    out.push(b'\n');
    out
}
