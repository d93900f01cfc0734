//! Every output file and URL of a site, one function per row of the README's
//! output table. Nothing else in `src/` spells an output path.
//!
//! Paths are relative to the output root, without a leading `/`. A page's
//! path is its directory, ending in `/` (`""` for the catalogue), prefixed
//! by its language (`zh-CN/`) when it is not the default one;
//! [`page_file`] names the HTML file that serves it. `Site::url` makes any
//! of them absolute. URLs are permanent: earners print QR codes of them.

/// The badge catalogue.
pub const CATALOGUE: &str = "";
pub const RETIRED: &str = "retired/";
pub const FAQ: &str = "faq/";
/// The verifier page (enter an ID, drop a baked image).
pub const VERIFIER: &str = "verify/";
/// Served by hosts for any missing path; its links are root-relative.
pub const NOT_FOUND: &str = "404.html";
/// Open Badges 2.0 issuer Profile.
pub const ISSUER: &str = "issuer.json";
/// Open Badges 2.0 RevocationList.
pub const REVOCATIONS: &str = "revocations.json";
/// Bitstring Status List credential (OB 3.0 revocation).
pub const STATUS_LIST: &str = "status/revocation.json";
pub const SITEMAP: &str = "sitemap.xml";

/// The sitemap files of a site with `parts` parts: `sitemap.xml` alone, or
/// (past the protocol's 50,000 URLs a file) the parts `sitemap1.xml` …
/// beside it, which then is their index. Parts sit at the root because a
/// sitemap may only list URLs under its own folder.
pub fn sitemaps(parts: usize) -> Vec<String> {
    let mut files = vec![SITEMAP.to_string()];
    if parts > 1 {
        files.extend((1..=parts).map(|i| format!("sitemap{i}.xml")));
    }
    files
}
pub const ROBOTS: &str = "robots.txt";
/// Header rules for Netlify/Cloudflare Pages style hosts.
pub const HEADERS: &str = "_headers";
/// Tells GitHub Pages not to run Jekyll (which hides `.well-known/`).
pub const NOJEKYLL: &str = ".nojekyll";

/// The verifier's service worker (offline checks of certificates' QR
/// codes): at the root, so it may serve every language's verifier.
pub const VERIFY_WORKER: &str = "verify-sw.js";

/// A JSON-LD context the verifier page reads print credentials with, as
/// published by its authors (`openbadges::print::PUBLISHED_CONTEXTS`).
pub fn context_file(name: &str) -> String {
    format!("contexts/{name}")
}

/// The HTML file serving a page path (`verify/X/` → `verify/X/index.html`).
pub fn page_file(page: &str) -> String {
    format!("{page}index.html")
}

/// A page path in a language: `prefix` is `""` or `zh-CN/` (`Site::lang_prefix`).
pub fn in_lang(prefix: &str, page: &str) -> String {
    format!("{prefix}{page}")
}

pub fn badge_page(badge: &str) -> String {
    format!("badges/{badge}/")
}

/// Open Badges 2.0 BadgeClass.
pub fn badge_class(badge: &str) -> String {
    format!("badges/{badge}.json")
}

/// The artwork as given (`svg`) or as the 600 px PNG every badge has (`png`).
pub fn badge_art(badge: &str, ext: &str) -> String {
    format!("badges/{badge}.{ext}")
}

/// The artwork as a square PNG of `size` pixels, for embedding.
pub fn badge_png_sized(badge: &str, size: u32) -> String {
    format!("badges/{badge}-{size}.png")
}

/// The link-preview card (`og:image`) in one language: `lang_prefix` is
/// `""` for the default language or `zh-CN/` (`Site::lang_prefix`), so each
/// language's pages share a card whose text is in that language.
pub fn badge_card(lang_prefix: &str, badge: &str) -> String {
    in_lang(lang_prefix, &format!("badges/{badge}-card.png"))
}

/// The verification page: the QR code's target.
pub fn award_page(award: &str) -> String {
    format!("verify/{award}/")
}

/// A pending award's claim page (never listed), by its claim token.
pub fn claim_page(token: &str) -> String {
    format!("claim/{token}/")
}

pub fn certificate(award: &str) -> String {
    format!("verify/{award}/certificate/")
}

/// The names of an award's two documents inside its verification folder
/// (`verify` finds them from a verification URL).
pub const ASSERTION_FILE: &str = "assertion.json";
pub const CREDENTIAL_FILE: &str = "credential.json";

/// Open Badges 2.0 hosted Assertion.
pub fn assertion(award: &str) -> String {
    format!("{}{ASSERTION_FILE}", award_page(award))
}

/// A signed endorsement, as its `id` names it.
pub fn endorsement(name: &str) -> String {
    format!("endorsements/{name}.json")
}

/// Open Badges 3.0 credential, signed.
pub fn credential(award: &str) -> String {
    format!("{}{CREDENTIAL_FILE}", award_page(award))
}

/// The badge image with the award's credentials baked in (`png` or `svg`).
pub fn baked(award: &str, ext: &str) -> String {
    format!("verify/{award}/badge.{ext}")
}

/// The QR code of the verification URL (`svg` or `png`).
pub fn qr(award: &str, ext: &str) -> String {
    format!("verify/{award}/qr.{ext}")
}

pub fn earner_page(earner: &str) -> String {
    format!("earners/{earner}/")
}

/// A file of the theme's `static/` folder (`rel` is relative to it).
pub fn static_file(rel: &str) -> String {
    format!("static/{rel}")
}

/// The strings the theme's scripts show (the sharing kit's labels, the
/// download's error) in one language (`en`, `zh-CN`): published once per
/// language instead of on every verification page.
pub fn script_strings(lang: &str) -> String {
    static_file(&format!("strings/{lang}.json"))
}

/// The issuer's image, published beside the theme's static files.
pub fn issuer_image(ext: &str) -> String {
    static_file(&format!("issuer.{ext}"))
}

/// The did:web document: `.well-known/did.json` for a site at a host's
/// root, `did.json` under the path of a site with a path prefix
/// (`did:web:host:segments` resolves to `https://host/segments/did.json`).
pub fn did_document(base_url: &str) -> &'static str {
    let after_scheme = base_url
        .split_once("://")
        .map_or(base_url, |(_, r)| r)
        .split(['?', '#'])
        .next()
        .unwrap_or_default();
    match after_scheme.split_once('/') {
        Some((_, path)) if path.split('/').any(|s| !s.is_empty()) => "did.json",
        _ => ".well-known/did.json",
    }
}

/// The kind of image a source file is, by its extension: `svg` or `png`.
pub fn image_ext(source: &str) -> &'static str {
    if source.to_ascii_lowercase().ends_with(".svg") {
        "svg"
    } else {
        "png"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The README's output table and this module say the same thing: every
    /// path the table lists is one these functions make.
    #[test]
    fn readme_output_table_matches() {
        let readme = include_str!("../README.md");
        let table = readme
            .split("## Output (URLs are permanent)")
            .nth(1)
            .and_then(|s| s.split("\n\n").find(|p| p.starts_with('|')))
            .expect("README has the output table");
        let made: Vec<String> = [
            page_file(CATALOGUE),
            badge_page("B"),
            badge_class("B"),
            badge_art("B", "png"),
            badge_art("B", "svg"),
            badge_png_sized("B", 110),
            badge_png_sized("B", 220),
            badge_png_sized("B", 600),
            badge_card("", "B"),
            badge_card("L/", "B"),
            award_page("A"),
            assertion("A"),
            credential("A"),
            baked("A", "png"),
            baked("A", "svg"),
            qr("A", "svg"),
            qr("A", "png"),
            certificate("A"),
            earner_page("E"),
            endorsement("N"),
            script_strings("L"),
            FAQ.into(),
            RETIRED.into(),
            VERIFIER.into(),
            ISSUER.into(),
            REVOCATIONS.into(),
            STATUS_LIST.into(),
            did_document("https://x.org").into(),
            SITEMAP.into(),
            ROBOTS.into(),
            NOT_FOUND.into(),
            HEADERS.into(),
            NOJEKYLL.into(),
            VERIFY_WORKER.into(),
            context_file("credentials-v2.jsonld"),
            context_file("ob-v3p0-context-3.0.3.json"),
        ]
        .into_iter()
        .chain(sitemaps(2).into_iter().skip(1))
        .map(|p| format!("/{}", p.trim_end_matches("index.html")))
        .collect();
        let mut listed: Vec<String> = Vec::new();
        for row in table.lines().skip(2) {
            let cell = row.split('|').nth(1).unwrap_or_default();
            let mut first = String::new();
            for p in cell.split(',').map(str::trim) {
                let p = p.trim_matches('`').replace("<badge>", "B");
                let p = p.replace("<award>", "A").replace("<earner>", "E");
                let p = p.replace("<lang>", "L").replace("<name>", "N");
                // `.svg`, `-110.png` continue the first path's stem, `qr.png` its folder.
                let full = if p.starts_with('/') {
                    first = p.clone();
                    p
                } else if p.starts_with(['.', '-']) {
                    format!("{}{p}", first.rsplit_once('.').map_or(&*first, |(s, _)| s))
                } else {
                    format!("{}/{p}", first.rsplit_once('/').map_or("", |(d, _)| d))
                };
                listed.push(full);
            }
        }
        for path in &listed {
            assert!(
                made.contains(path),
                "README lists `{path}`, which paths.rs does not make"
            );
        }
        for path in &made {
            assert!(
                listed.contains(path),
                "paths.rs makes `{path}`, which the README table does not list"
            );
        }
    }

    #[test]
    fn did_documents_follow_the_base_path() {
        assert_eq!(did_document("https://example.org"), ".well-known/did.json");
        assert_eq!(did_document("https://example.org/"), ".well-known/did.json");
        assert_eq!(did_document("https://example.org/creds"), "did.json");
        assert_eq!(
            did_document("http://127.0.0.1:8080"),
            ".well-known/did.json"
        );
    }
}
