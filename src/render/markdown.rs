//! Markdown from content (criteria, evidence narratives, the FAQ) to HTML
//! that is safe to embed: pulldown-cmark renders, ammonia removes scripts,
//! event handlers, `javascript:` URLs and anything else not on its allow list.

use pulldown_cmark::{Options, Parser, html};

pub fn to_safe_html(markdown: &str) -> String {
    let mut options = Options::empty();
    options.insert(Options::ENABLE_TABLES);
    options.insert(Options::ENABLE_STRIKETHROUGH);
    let mut raw = String::with_capacity(markdown.len() * 3 / 2);
    html::push_html(&mut raw, Parser::new_ext(markdown, options));
    sanitizer().clean(&raw).to_string()
}

fn sanitizer() -> ammonia::Builder<'static> {
    let mut b = ammonia::Builder::default();
    // Headings get ids so FAQ answers can be linked to; ammonia keeps them
    // prefixed to avoid clobbering the page's own ids.
    b.add_generic_attributes(["id"]).id_prefix(Some("md-"));
    b.link_rel(Some("noopener noreferrer nofollow"));
    b.url_schemes(["http", "https", "mailto"].into_iter().collect());
    b
}

/// Adds `id`s to `<h2>` headings from their text, so FAQ questions can be
/// linked to, and returns the headings for a table of contents.
pub fn with_heading_ids(html: &str) -> (String, Vec<(String, String)>) {
    let mut out = String::with_capacity(html.len() + 64);
    let mut toc = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<h2>") {
        let Some(end) = rest[start..].find("</h2>") else {
            break;
        };
        let inner = &rest[start + 4..start + end];
        let id = format!("q-{}", toc.len() + 1);
        out.push_str(&rest[..start]);
        out.push_str(&format!("<h2 id=\"{id}\">{inner}</h2>"));
        toc.push((id, strip_tags(inner)));
        rest = &rest[start + end + 5..];
    }
    out.push_str(rest);
    (out, toc)
}

/// Text of an HTML fragment (still entity-escaped, so safe to embed again).
fn strip_tags(s: &str) -> String {
    let mut out = String::new();
    let mut in_tag = false;
    for c in s.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_scripts_handlers_and_javascript_urls() {
        let html = to_safe_html(
            "Hi <script>alert(1)</script> <img src=x onerror=alert(1)> [x](javascript:alert(1)) <a href=\"https://ok.example\" onclick=\"x()\">ok</a>",
        );
        assert!(!html.contains("<script"), "{html}");
        assert!(!html.contains("onerror"), "{html}");
        assert!(!html.contains("onclick"), "{html}");
        assert!(!html.contains("javascript:"), "{html}");
        assert!(html.contains("https://ok.example"), "{html}");
    }

    #[test]
    fn renders_markdown() {
        assert_eq!(
            to_safe_html("**bold**").trim(),
            "<p><strong>bold</strong></p>"
        );
        let (html, toc) = with_heading_ids(&to_safe_html("## What?\ntext\n## Why &amp; how?\n"));
        assert!(html.contains("<h2 id=\"q-1\">What?</h2>"), "{html}");
        assert_eq!(toc[1].1, "Why &amp; how?");
    }
}
