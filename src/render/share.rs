//! The sharing kit of a verification page: LinkedIn "Add to profile" and
//! post links, copy-ready snippets for websites, email signatures and
//! READMEs, and schema.org JSON-LD for search engines.

use serde::Serialize;
use serde_json::json;

use super::i18n::Strings;
use crate::paths;
use crate::site::{Award, Site};

/// What a verification page carries of the sharing kit: the one link that
/// works without script, and the values `static/share.js` builds the rest
/// from ([`share_view`] is that rest, as Rust computes it).
#[derive(Serialize)]
pub struct PageShare {
    pub linkedin_add: String,
    #[serde(skip)]
    pub data: ShareData,
}

/// Everything of the sharing kit, as Rust computes it: what `static/share.js`
/// must build from [`ShareData`] (a browser test checks it does). Pages
/// carry only [`PageShare`].
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
    /// What the page carries for `static/share.js`.
    #[serde(skip)]
    pub data: ShareData,
}

/// The strings that label LinkedIn's form fields, in the order of
/// [`ShareData::f`]; [`LINKEDIN_URL_FIELD`] follows them.
pub const LINKEDIN_FIELDS: [&str; 5] = [
    "linkedin_field_name",
    "linkedin_field_organization",
    "linkedin_field_issued",
    "linkedin_field_expires",
    "linkedin_field_id",
];
pub const LINKEDIN_URL_FIELD: &str = "linkedin_field_url";

#[derive(Serialize)]
pub struct Field {
    pub label: String,
    pub value: String,
}

/// The per-award values `static/share.js` builds the sharing kit from
/// (in a `<script type="application/json" id="share-data">` block, short
/// keys because every verification page carries them). The script puts
/// them together exactly as `share_view` does: the post links from `u`
/// and `p`, the snippets from `u`, `a`, `b` and `i`, HTML-escaped and
/// Markdown-escaped as here.
#[derive(Serialize)]
pub struct ShareData {
    /// The values of LinkedIn's form fields, in [`LINKEDIN_FIELDS`] order
    /// (`null`: no expiry date, no field). Their labels are the same on
    /// every page of a language: `static/share.js` reads them from the
    /// language's `paths::script_strings`. The last field, the credential
    /// URL ([`LINKEDIN_URL_FIELD`]), is `u`.
    pub f: Vec<Option<String>>,
    /// The verification URL.
    pub u: String,
    /// The badge image's alternative text.
    pub a: String,
    /// The text of a post (X).
    pub p: String,
    /// The start of the artwork's sized PNGs: `110.png` and `220.png`
    /// complete it (email signature, Markdown, website).
    pub b: String,
    /// With `award_files: full`, the website snippet's image: the hosted
    /// baked PNG (otherwise it is the 220-pixel artwork).
    #[serde(skip_serializing_if = "String::is_empty")]
    pub i: String,
}

impl ShareData {
    /// The artwork's PNG at `size` pixels (110 or 220).
    pub fn png(&self, size: u32) -> String {
        format!("{}{size}.png", self.b)
    }

    /// The website snippet's image.
    pub fn website_image(&self) -> String {
        if self.i.is_empty() {
            self.png(220)
        } else {
            self.i.clone()
        }
    }
}

impl ShareData {
    /// The JSON for the page's data block: no `<` can close it.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self)
            .expect("share data serializes")
            .replace('<', "\\u003c")
    }
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

/// What a verification page carries of the kit.
pub fn page_share(site: &Site, award: &Award, s: &Strings) -> PageShare {
    let badge = &site.badges[award.badge];
    let earner = &site.earners[award.earner];
    let lang = s.lang.as_str();
    let name = badge
        .name
        .get(lang, site.default_lang())
        .unwrap_or_default();
    let url = site.verify_url(award);
    let issuer = &site.issuer;
    let issuer_name = site.issuer_name(lang);

    let mut params: Vec<(&str, String)> = vec![
        ("startTask", "CERTIFICATION_NAME".into()),
        ("name", name.into()),
    ];
    match &issuer.linkedin_organization_id {
        Some(id) => params.push(("organizationId", id.clone())),
        None => params.push(("organizationName", issuer_name.to_string())),
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
            ("issuer", issuer_name),
        ],
    );
    let post_text = s.fill(
        "share_post_text",
        &[("badge", name), ("issuer", issuer_name)],
    );

    // LinkedIn's fields in `LINKEDIN_FIELDS` order; no expiry is `None`.
    let f = vec![
        Some(name.to_string()),
        Some(issuer_name.to_string()),
        Some(format!(
            "{}-{:02}",
            award.issued_on.year, award.issued_on.month
        )),
        award
            .expires_on
            .map(|e| format!("{}-{:02}", e.year, e.month)),
        Some(award.id.clone()),
    ];
    let data = ShareData {
        f,
        u: url,
        a: alt,
        p: post_text,
        b: sized_png_base(site, &badge.id),
        i: if site.full_award_files() {
            site.url(&paths::baked(&award.id, "png"))
        } else {
            String::new()
        },
    };
    PageShare { linkedin_add, data }
}

/// The whole sharing kit: the page's part, and the post links, snippets and
/// LinkedIn's fields with their labels that `static/share.js` makes of it.
pub fn share_view(site: &Site, award: &Award, s: &Strings) -> ShareView {
    let PageShare { linkedin_add, data } = page_share(site, award, s);
    let mut linkedin_fields: Vec<Field> = LINKEDIN_FIELDS
        .iter()
        .zip(&data.f)
        .filter_map(|(key, value)| {
            value.as_ref().map(|v| Field {
                label: s.get(key).to_string(),
                value: v.clone(),
            })
        })
        .collect();
    linkedin_fields.push(Field {
        label: s.get(LINKEDIN_URL_FIELD).to_string(),
        value: data.u.clone(),
    });
    let url = &data.u;
    let alt = &data.a;
    ShareView {
        linkedin_add,
        linkedin_post: format!(
            "https://www.linkedin.com/sharing/share-offsite/?url={}",
            encode(url)
        ),
        x: format!(
            "https://twitter.com/intent/tweet?text={}&url={}",
            encode(&data.p),
            encode(url)
        ),
        facebook: format!(
            "https://www.facebook.com/sharer/sharer.php?u={}",
            encode(url)
        ),
        email_snippet: format!(
            "<a href=\"{}\"><img src=\"{}\" srcset=\"{} 2x\" width=\"110\" height=\"110\" alt=\"{}\" style=\"border:0;display:inline-block\"></a>",
            html_attr(url),
            html_attr(&data.png(110)),
            html_attr(&data.png(220)),
            html_attr(alt)
        ),
        html_snippet: format!(
            "<a href=\"{}\" title=\"{}\"><img src=\"{}\" width=\"220\" height=\"220\" alt=\"{}\"></a>",
            html_attr(url),
            html_attr(alt),
            html_attr(&data.website_image()),
            html_attr(alt)
        ),
        markdown_snippet: format!("[![{}]({})]({})", md_text(alt), data.png(220), url),
        linkedin_fields,
        data,
    }
}

/// The absolute URL of a badge's sized PNGs up to the size, e.g.
/// `https://…/badges/az-900-` (see `paths::badge_png_sized`).
fn sized_png_base(site: &Site, badge: &str) -> String {
    let full = site.url(&paths::badge_png_sized(badge, 110));
    let base = full
        .strip_suffix("110.png")
        .expect("sized PNGs end in <size>.png");
    debug_assert_eq!(
        format!("{base}220.png"),
        site.url(&paths::badge_png_sized(badge, 220))
    );
    base.to_string()
}

/// schema.org `EducationalOccupationalCredential`, as JSON safe to place
/// inside `<script type="application/ld+json">` (no `</` can close it).
/// The credential's own facts only: the badge's description and skills are
/// on the badge's page, so every verification page need not repeat them.
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
        "url": site.verify_url(award),
        "name": text(&badge.name),
        "credentialCategory": match badge.kind { crate::content::Kind::Exam => "exam", crate::content::Kind::Certification => "certification" },
        "identifier": award.id,
        "image": site.url(&paths::badge_art(&badge.id, "png")),
        "dateCreated": award.issued_on.to_string(),
        "recognizedBy": { "@type": "Organization", "name": site.issuer_name(lang), "url": site.issuer.url },
        "about": { "@type": "Person", "name": site.earners[award.earner].name },
    });
    if let Some(e) = award.expires_on {
        doc["expires"] = json!(e.to_string());
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
