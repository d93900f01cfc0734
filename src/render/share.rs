//! The sharing kit of a verification page: LinkedIn "Add to profile" and
//! post links, copy-ready snippets for websites, email signatures and
//! READMEs, and schema.org JSON-LD for search engines.

use serde::Serialize;
use serde_json::json;

use super::i18n::Strings;
use crate::paths;
use crate::site::{Award, Site};

#[derive(Serialize)]
pub struct ShareView {
    pub linkedin_add: String,
    pub linkedin_post: String,
    pub x: String,
    pub facebook: String,
    pub html_snippet: String,
    pub email_snippet: String,
    pub markdown_snippet: String,
    /// The values LinkedIn's form asks for, to copy when it does not prefill.
    pub linkedin_fields: Vec<Field>,
}

#[derive(Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// Percent-encodes a query value (RFC 3986 unreserved characters stay).
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn html_attr(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// Markdown link text with its brackets escaped.
fn md_text(s: &str) -> String {
    s.replace('\\', "\\\\")
        .replace('[', "\\[")
        .replace(']', "\\]")
}

pub fn share_view(site: &Site, award: &Award, s: &Strings) -> ShareView {
    let badge = &site.badges[award.badge];
    let earner = &site.earners[award.earner];
    let lang = s.lang.as_str();
    let name = badge
        .name
        .get(lang, site.default_lang())
        .unwrap_or_default();
    let url = site.verify_url(award);
    let issuer = &site.issuer;

    let mut params: Vec<(&str, String)> = vec![
        ("startTask", "CERTIFICATION_NAME".into()),
        ("name", name.into()),
    ];
    match &issuer.linkedin_organization_id {
        Some(id) => params.push(("organizationId", id.clone())),
        None => params.push(("organizationName", issuer.name.clone())),
    }
    params.push(("issueYear", award.issued_on.year.to_string()));
    params.push(("issueMonth", award.issued_on.month.to_string()));
    if let Some(e) = award.expires_on {
        params.push(("expirationYear", e.year.to_string()));
        params.push(("expirationMonth", e.month.to_string()));
    }
    params.push(("certUrl", url.clone()));
    params.push(("certId", award.id.clone()));
    let query: Vec<String> = params
        .iter()
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    let linkedin_add = format!("https://www.linkedin.com/profile/add?{}", query.join("&"));

    let alt = s.fill(
        "share_alt",
        &[
            ("badge", name),
            ("name", &earner.name),
            ("issuer", &issuer.name),
        ],
    );
    let png = |size: u32| site.url(&paths::badge_png_sized(&badge.id, size));
    let email_snippet = format!(
        "<a href=\"{}\"><img src=\"{}\" srcset=\"{} 2x\" width=\"110\" height=\"110\" alt=\"{}\" style=\"border:0;display:inline-block\"></a>",
        html_attr(&url),
        html_attr(&png(110)),
        html_attr(&png(220)),
        html_attr(&alt)
    );
    let html_snippet = format!(
        "<a href=\"{}\" title=\"{}\"><img src=\"{}\" width=\"220\" height=\"220\" alt=\"{}\"></a>",
        html_attr(&url),
        html_attr(&alt),
        html_attr(&if site.full_award_files() {
            site.url(&paths::baked(&award.id, "png"))
        } else {
            png(220)
        }),
        html_attr(&alt)
    );
    let markdown_snippet = format!("[![{}]({})]({})", md_text(&alt), png(220), url);
    let post_text = s.fill(
        "share_post_text",
        &[("badge", name), ("issuer", &issuer.name)],
    );

    let mut fields = vec![
        Field {
            label: s.get("linkedin_field_name").into(),
            value: name.into(),
        },
        Field {
            label: s.get("linkedin_field_organization").into(),
            value: issuer.name.clone(),
        },
        Field {
            label: s.get("linkedin_field_issued").into(),
            value: format!("{}-{:02}", award.issued_on.year, award.issued_on.month),
        },
    ];
    if let Some(e) = award.expires_on {
        fields.push(Field {
            label: s.get("linkedin_field_expires").into(),
            value: format!("{}-{:02}", e.year, e.month),
        });
    }
    fields.push(Field {
        label: s.get("linkedin_field_id").into(),
        value: award.id.clone(),
    });
    fields.push(Field {
        label: s.get("linkedin_field_url").into(),
        value: url.clone(),
    });

    ShareView {
        linkedin_post: format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode(&url)
        ),
        x: format!(
            "https://twitter.com/intent/tweet?text={}&url={}",
            encode(&post_text),
            encode(&url)
        ),
        facebook: format!(
            "https://www.facebook.com/sharer/sharer.php?u={}",
            encode(&url)
        ),
        linkedin_add,
        html_snippet,
        email_snippet,
        markdown_snippet,
        linkedin_fields: fields,
    }
}

/// schema.org `EducationalOccupationalCredential`, as JSON safe to place
/// inside `<script type="application/ld+json">` (no `</` can close it).
pub fn json_ld(site: &Site, award: &Award, lang: &str) -> String {
    let badge = &site.badges[award.badge];
    let text = |l: &crate::content::Localized| {
        l.get(lang, site.default_lang())
            .unwrap_or_default()
            .to_string()
    };
    let mut doc = json!({
        "@context": "https://schema.org",
        "@type": "EducationalOccupationalCredential",
        "@id": site.verify_url(award),
        "url": site.verify_url(award),
        "name": text(&badge.name),
        "description": text(&badge.description),
        "credentialCategory": match badge.kind { crate::content::Kind::Exam => "exam", crate::content::Kind::Certification => "certification" },
        "identifier": award.id,
        "image": site.url(&paths::badge_art(&badge.id, "png")),
        "dateCreated": award.issued_on.to_string(),
        "recognizedBy": { "@type": "Organization", "name": site.issuer.name, "url": site.issuer.url },
        "about": { "@type": "Person", "name": site.earners[award.earner].name },
    });
    if let Some(e) = award.expires_on {
        doc["expires"] = json!(e.to_string());
    }
    if !badge.skills.is_empty() {
        doc["competencyRequired"] = json!(badge.skills);
    }
    serde_json::to_string(&doc)
        .expect("JSON serializes")
        .replace('<', "\\u003c")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_query_values() {
        assert_eq!(
            encode("Azure 基础 & more/?"),
            "Azure%20%E5%9F%BA%E7%A1%80%20%26%20more%2F%3F"
        );
    }
}
