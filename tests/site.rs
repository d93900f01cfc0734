//! What an issuer, earner and employer see in a built fixture site: the
//! publication rules, visibility, languages, escaping, determinism.

use crate::common::*;

fn all_output(f: &Fixture) -> String {
    let root = f.path().join("public");
    files(&root)
        .iter()
        .map(|p| {
            String::from_utf8_lossy(&std::fs::read(root.join(p)).unwrap()).into_owned()
                + &p.to_string_lossy()
        })
        .collect()
}

#[test]
fn publishes_by_acceptance_and_visibility() {
    let f = Fixture::new();
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);

    // Public earner: listed award page, profile, sitemap.
    let page = f.out("verify/AAAA2222BBBB/index.html");
    assert!(page.contains("Ann Public"));
    assert!(!page.contains("noindex"));
    assert!(f.out("earners/pub-ann/index.html").contains("AAAA2222BBBB"));
    let sitemap = f.out("sitemap.xml");
    assert!(sitemap.contains("https://cred.example.org/verify/AAAA2222BBBB/"));
    assert!(sitemap.contains("https://cred.example.org/zh-CN/verify/AAAA2222BBBB/"));

    // Unlisted earner: reachable by link, but noindex, no profile, not in the sitemap.
    let page = f.out("verify/CCCC3333DDDD/index.html");
    assert!(page.contains("Bob Unlisted"));
    assert!(page.contains("noindex"));
    assert!(!f.exists("earners/unl-bob"));
    assert!(!sitemap.contains("CCCC3333DDDD"));

    // Private earner and unaccepted award: nothing at all.
    assert!(!f.exists("verify/EEEE4444FFFF"));
    assert!(!f.exists("verify/GGGG5555HHHH"));
    let everything = all_output(&f);
    for secret in [
        "Cy Private",
        "prv-cy",
        "EEEE4444FFFF",
        "GGGG5555HHHH",
        "@example.com",
    ] {
        assert!(
            !everything.contains(secret),
            "`{secret}` leaked into the output"
        );
    }
    // Di is public but her only award is unaccepted: a profile without awards.
    assert!(!f.out("earners/slow-di/index.html").contains("GGGG5555HHHH"));
}

#[test]
fn every_page_in_every_language() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    for page in [
        "index.html",
        "faq/index.html",
        "retired/index.html",
        "badges/exam-1/index.html",
        "verify/AAAA2222BBBB/index.html",
        "earners/pub-ann/index.html",
    ] {
        let en = f.out(page);
        let zh = f.out(&format!("zh-CN/{page}"));
        // Minified HTML drops quotes where they are not needed.
        assert!(en.contains("<html lang=en>"), "{page}");
        assert!(zh.contains("<html lang=zh-CN>"), "zh-CN/{page}");
        assert!(
            en.contains("hreflang=\"zh-CN\"") || en.contains("hreflang=zh-CN"),
            "{page} lacks an hreflang alternate"
        );
    }
    assert!(
        f.out("zh-CN/badges/exam-1/index.html")
            .contains("第一场考试")
    );
    assert!(
        f.out("badges/exam-1/index.html")
            .contains("<strong>it</strong>"),
        "criteria Markdown rendered"
    );
    assert!(f.out("zh-CN/faq/index.html").contains("这是什么"));
    assert!(
        f.out("zh-CN/verify/AAAA2222BBBB/index.html")
            .contains("2026年1月10日")
    );
    for file in [
        "404.html",
        "robots.txt",
        "sitemap.xml",
        "_headers",
        ".nojekyll",
        "badges/exam-1.svg",
        "static/style.css",
        "static/status.js",
    ] {
        assert!(f.exists(file), "{file} missing");
    }
    assert!(f.out("_headers").contains("Access-Control-Allow-Origin: *"));
}

#[test]
fn certification_supersedes_its_single_exam() {
    let f = Fixture::new();
    f.append(
        "content/awards/a.yaml",
        "- { id: CERT2222ANNN, badge: cert-1, earner: pub-ann, issued_on: 2026-02-01 }\n",
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.exists("verify/CERT2222ANNN/index.html"));
    assert!(
        !f.exists("verify/AAAA2222BBBB"),
        "the exam award is superseded"
    );
    assert!(
        f.exists("verify/CCCC3333DDDD/index.html"),
        "others keep their exam award"
    );
    let check = f.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("AAAA2222BBBB (exam-1): superseded by the earner's certification `cert-1`"),
        "{}",
        check.stdout
    );
}

#[test]
fn status_revoked_expired_valid_and_retired() {
    let f = Fixture::new();
    f.append("content/badges/exam-1.yaml", "retired_on: 2026-03-31\n");
    f.write(
        "content/awards/b.yaml",
        "- { id: REVK2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-01-10, revoked: { on: 2025-06-01, reason: Exam misconduct } }\n\
         - { id: EXPD2222AAAA, badge: cert-1, earner: pub-ann, issued_on: 2025-01-10 }\n\
         - { id: EXPX2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-01-10, expires_on: 2026-11-01 }\n\
         - { id: VALD2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-01-10, expires_on: 2026-11-02 }\n",
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let revoked = f.out("verify/REVK2222AAAA/index.html");
    assert!(revoked.contains("status--revoked") && revoked.contains("Exam misconduct"));
    // 1y validity from 2025-01-10: expired on 2026-01-10, before the build date.
    let expired = f.out("verify/EXPD2222AAAA/index.html");
    assert!(
        expired.contains("status--expired"),
        "expired by badge validity"
    );
    assert!(expired.contains("2026-01-10"), "expiry date shown");
    // Expiry takes effect at 00:00 UTC on the date itself.
    assert!(
        f.out("verify/EXPX2222AAAA/index.html")
            .contains("status--expired")
    );
    let valid = f.out("verify/VALD2222AAAA/index.html");
    assert!(valid.contains("status--valid"));
    assert!(
        valid.contains("data-expires=\"2026-11-02\"") || valid.contains("data-expires=2026-11-02"),
        "browser re-check gets the expiry"
    );
    assert!(valid.contains("static/status.js"));
    // Retired: listed on the retired page, still verifiable, and says so.
    assert!(f.out("retired/index.html").contains("First Exam"));
    assert!(
        !f.out("index.html").contains("badges/exam-1/"),
        "retired badges leave the catalogue"
    );
    assert!(
        valid.contains("2026-03-31"),
        "the award page says when the badge was retired"
    );
}

#[test]
fn not_badged_awards_are_not_published() {
    let f = Fixture::new();
    f.append("content/badges/exam-1.yaml", "badged: false\n");
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!f.exists("verify/AAAA2222BBBB"));
    assert!(!f.exists("badges/exam-1"));
    let check = f.run(&["check"]);
    assert!(
        check
            .stdout
            .contains("AAAA2222BBBB (exam-1): badge `exam-1` is not badged"),
        "{}",
        check.stdout
    );
}

/// The tags of a (minified) page, without quoted attribute values and
/// without text: what the browser parses as markup. (The minifier writes `<`
/// literally inside `<title>`, `<textarea>` and attribute values, where HTML
/// reads it as text, so a plain search of the file would flag harmless text.)
fn markup_only(html: &str) -> String {
    // `<title>` and `<textarea>` hold raw text (RCDATA): only their end tag ends them.
    let mut rest = String::new();
    let mut html = html;
    while let Some(a) = html
        .find("<title>")
        .into_iter()
        .chain(html.find("<textarea"))
        .min()
    {
        let end = if html[a..].starts_with("<title>") {
            "</title>"
        } else {
            "</textarea>"
        };
        let open_end = a + html[a..].find('>').unwrap() + 1;
        let close = open_end
            + html[open_end..]
                .find(end)
                .expect("RCDATA element is closed");
        rest.push_str(&html[..open_end]);
        html = &html[close..];
    }
    rest.push_str(html);
    let mut out = String::new();
    let (mut in_tag, mut quote) = (false, None);
    for c in rest.chars() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => continue,
            None if in_tag && (c == '"' || c == '\'') && out.ends_with('=') => quote = Some(c),
            None if c == '<' => in_tag = true,
            None if c == '>' && in_tag => {
                in_tag = false;
                out.push_str(">\n");
                continue;
            }
            None => {}
        }
        if in_tag {
            out.push(c);
        }
    }
    out
}

#[test]
fn hostile_content_is_escaped_and_sanitized() {
    let f = Fixture::new();
    f.append("content/site.yaml", "certificate_pages: true\n");
    f.write(
        "content/earners/evil.yaml",
        "- { id: evil, name: \"</title><script>alert('name')</script>\", email: evil@example.net, profile: public, auto_accept: true }\n",
    );
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: \"<img src=x onerror=alert(1)>\"\ndescription: \"\\\"><script>alert(2)</script>\"\n\
         criteria: |\n  <script>alert(3)</script>\n  <a href=\"javascript:alert(4)\">x</a> <b onclick=\"alert(5)\">bold</b>\n\
         image: images/exam-1.svg\n",
    );
    f.write(
        "content/awards/evil.yaml",
        "- id: EVIL2222AAAA\n  badge: exam-1\n  earner: evil\n  issued_on: 2026-01-01\n  evidence:\n    - url: https://example.org/x\n      narrative: \"**fine** <iframe src=https://evil.example></iframe>\"\n",
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    for page in [
        "verify/EVIL2222AAAA/index.html",
        "verify/EVIL2222AAAA/certificate/index.html",
        "earners/evil/index.html",
        "badges/exam-1/index.html",
        "zh-CN/verify/EVIL2222AAAA/index.html",
    ] {
        let markup = markup_only(&f.out(page));
        for tag in markup.split("<script").skip(1) {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            // Inline JSON-LD and the sharing kit's data are never
            // executed, so CSP allows them.
            let data = tag.contains("type=application/ld+json")
                || tag.contains("type=application/json id=share-data");
            assert!(
                tag.contains("src=") || data,
                "{page}: inline script `<script{tag}>`"
            );
        }
        for bad in ["onerror", "onclick", "javascript:", "<iframe", "<img src=x"] {
            assert!(
                !markup.contains(bad),
                "{page} has live markup `{bad}`:\n{markup}"
            );
        }
    }
    assert!(
        f.out("verify/EVIL2222AAAA/index.html")
            .contains("<strong>fine</strong>")
    );
    // The sharing kit's data block carries the hostile texts as data: none
    // can close the block, and share.js puts them in as text.
    let data = share_data(&f.out("verify/EVIL2222AAAA/index.html")).unwrap();
    assert_eq!(
        data["a"],
        "<img src=x onerror=alert(1)>: credential of </title><script>alert('name')</script>, issued by Test Issuer"
    );
}

#[test]
fn same_content_and_time_give_identical_output() {
    let f = Fixture::new();
    let (one, two) = (f.path().join("one"), f.path().join("two"));
    assert_eq!(f.run(&["build", "--out", one.to_str().unwrap()]).code, 0);
    assert_eq!(f.run(&["build", "--out", two.to_str().unwrap()]).code, 0);
    let list = files(&one);
    assert_eq!(list, files(&two));
    for p in &list {
        assert_eq!(
            std::fs::read(one.join(p)).unwrap(),
            std::fs::read(two.join(p)).unwrap(),
            "{} differs",
            p.display()
        );
    }
}

#[test]
fn rebuild_removes_stale_files() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert!(f.exists("verify/CCCC3333DDDD/index.html"));
    f.write(
        "content/awards/a.yaml",
        "- { id: AAAA2222BBBB, badge: exam-1, earner: pub-ann, issued_on: 2026-01-10 }\n",
    );
    assert_eq!(f.run(&["build", "--allow-removal"]).code, 0);
    assert!(!f.exists("verify/CCCC3333DDDD"));
    assert!(f.exists("verify/AAAA2222BBBB/index.html"));
}

#[test]
fn site_with_path_prefix_keeps_links_relative() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &SITE.replace(
            "https://cred.example.org",
            "https://example.org/credentials/",
        ),
    );
    assert_eq!(f.build().code, 0);
    let page = f.out("verify/AAAA2222BBBB/index.html");
    assert!(
        page.contains("https://example.org/credentials/verify/AAAA2222BBBB/"),
        "canonical URL uses the prefix"
    );
    assert!(
        page.contains("../../static/style.css"),
        "assets are linked relatively"
    );
    assert!(
        f.out("404.html").contains("/credentials/static/style.css"),
        "404 uses absolute paths under the prefix"
    );
}

/// A site for a Chinese audience: zh-CN is the default language (at the
/// root), English is under /en/. Every card's text is drawn with real
/// glyphs, and each page previews with the card of its own language.
#[test]
fn chinese_default_site_has_cards_without_missing_glyphs() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &SITE.replace("languages: [en, zh-CN]", "languages: [zh-CN, en]"),
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);

    // No character of any card's text (Chinese names, kind labels, tagline)
    // is left without a glyph.
    let loaded = accolade::build::load(f.path(), None, NOW)
        .unwrap_or_else(|d| panic!("{}", d.render(f.path())));
    let (renderer, warnings) = accolade::build::prepare(&loaded).unwrap();
    assert_eq!(renderer.undrawable_text(), []);
    assert_eq!(warnings.warnings(), 0, "{}", warnings.render(f.path()));

    for (page, card) in [
        ("badges/exam-1/index.html", "badges/exam-1-card.png"),
        ("verify/AAAA2222BBBB/index.html", "badges/exam-1-card.png"),
        ("en/badges/exam-1/index.html", "en/badges/exam-1-card.png"),
        (
            "en/verify/AAAA2222BBBB/index.html",
            "en/badges/exam-1-card.png",
        ),
    ] {
        let html = f.out(page);
        let marker = format!("property=og:image content=https://cred.example.org/{card}>");
        assert!(html.contains(&marker), "{page} lacks `{marker}`");
    }
    let zh = std::fs::read(f.path().join("public/badges/exam-1-card.png")).unwrap();
    let en = std::fs::read(f.path().join("public/en/badges/exam-1-card.png")).unwrap();
    assert_ne!(zh, en, "each language has its own card");
    assert!(!f.exists("zh-CN"), "the default language is at the root");

    // Same content, same card bytes.
    let again = f.run(&["build", "--force"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(
        std::fs::read(f.path().join("public/badges/exam-1-card.png")).unwrap(),
        zh
    );
}

/// A badge name in a script the theme's fonts lack would show as boxes on
/// its card (and text in artwork likewise): `check` and `build` warn,
/// naming the characters and where the name is written, and the build
/// still succeeds.
#[test]
fn card_text_the_fonts_cannot_draw_is_a_located_warning() {
    let f = Fixture::new();
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: { en: First Exam, zh-CN: การสอบ }\ndescription: An exam.\ncriteria: Pass.\nimage: images/exam-1.svg\n",
    );
    for cmd in ["check", "build"] {
        let r = f.run(&[cmd]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(
            r.stderr.contains(
                "warning: the zh-CN preview card of badge `exam-1` has characters that no font of the theme can draw: `ก` (U+0E01)"
            ),
            "{cmd}: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("content/badges/exam-1.yaml:3:7"),
            "{cmd}: {}",
            r.stderr
        );
        assert!(r.stderr.contains("themes/default/fonts/"), "{}", r.stderr);
    }
    assert!(f.exists("zh-CN/badges/exam-1-card.png"));

    // Text in SVG artwork is drawn with the same fonts: Chinese is fine,
    // Korean (no font of the built-in theme has Hangul) is named.
    f.write(
        "content/images/cert-1.svg",
        r#"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600"><text x="10" y="300" font-size="60">认证 한</text></svg>"#,
    );
    let r = f.run(&["check"]);
    assert!(
        r.stderr.contains(
            "warning: the SVG artwork of badge `cert-1` has characters that no font of the theme can draw: `한` (U+D55C)"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("content/badges/cert-1.yaml:6:8"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("`认`"), "{}", r.stderr);
}

/// Each skill on the badge page links to job searches: LinkedIn Jobs and
/// the board of `site.yaml`, the skill percent-encoded, the text in the
/// page's language, nothing added to the URLs. Verification pages list the
/// skills alone (every byte there is paid per award) and link the badge.
#[test]
fn skills_link_to_job_searches_in_every_language() {
    let f = Fixture::new();
    // Without `jobs`, LinkedIn Jobs alone.
    assert_eq!(f.build().code, 0);
    let html = f.out("badges/exam-1/index.html");
    assert!(html.contains("https://www.linkedin.com/jobs/search/?keywords=testing\""));
    assert_eq!(
        html.matches(">Jobs on LinkedIn</a>").count(),
        1,
        "one link for one skill"
    );

    f.append(
        "content/site.yaml",
        "jobs:\n  name: { en: Jobs Board, zh-CN: 招聘网 }\n  url: \"https://jobs.example.org/search?lang=any&q={skill}\"\n",
    );
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: First Exam\ndescription: An exam.\ncriteria: Pass.\nimage: images/exam-1.svg\nskills: [cloud & data, 云计算]\nrevised_on: 2026-11-01\n",
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let linkedin = "https://www.linkedin.com/jobs/search/?keywords=cloud%20%26%20data";
    // `&` may stay bare in the minified attribute, or be written `&amp;`.
    let board = "q=%E4%BA%91%E8%AE%A1%E7%AE%97\"";
    for (page, texts) in [
        (
            "badges/exam-1/index.html",
            ["Jobs on LinkedIn", "Jobs on Jobs Board"],
        ),
        (
            "zh-CN/badges/exam-1/index.html",
            ["领英上的职位", "招聘网上的职位"],
        ),
    ] {
        let html = f.out(page);
        let search = "https://jobs.example.org/search?lang=any&";
        for want in [linkedin, search, board, texts[0], texts[1]] {
            assert!(html.contains(want), "{page} lacks `{want}`");
        }
        assert!(html.contains("rel=\"nofollow noreferrer\""), "{page}");
        assert!(!html.contains("trk="), "{page}: no tracking parameter");
        // One link per skill and site: two skills, two sites.
        assert_eq!(
            html.matches("linkedin.com/jobs/search/").count(),
            2,
            "{page}"
        );
        assert_eq!(
            html.matches("https://jobs.example.org/search").count(),
            2,
            "{page}"
        );
    }
    for page in [
        "verify/AAAA2222BBBB/index.html",
        "zh-CN/verify/AAAA2222BBBB/index.html",
    ] {
        let html = f.out(page);
        assert!(html.contains("<li class=chip>云计算</li>"), "{page}");
        assert!(!html.contains("jobs/search"), "{page}");
        assert!(html.contains("badges/exam-1/"), "{page} links the badge");
    }
    // The label names the skill after the link's visible text, so that a
    // voice user who says what they see reaches the link (WCAG 2.5.3).
    for (page, label) in [
        (
            "badges/exam-1/index.html",
            "Jobs on Jobs Board for cloud & data",
        ),
        ("zh-CN/badges/exam-1/index.html", "招聘网上的职位：云计算"),
    ] {
        let html = f.out(page);
        assert!(
            html.contains(&format!("aria-label=\"{label}\""))
                || html.contains(&format!("aria-label=\"{}\"", label.replace('&', "&amp;"))),
            "{page}: the label `{label}` names the skill"
        );
    }
}

/// The site's title, the issuer's name and skills are texts a visitor
/// reads: each may be written per language, pages show their language's,
/// and the Open Badges documents (one language) keep the default's.
#[test]
fn title_issuer_name_and_skills_are_translated() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &SITE
            .replace(
                "title: Test Credentials",
                "title: { en: Test Credentials, zh-CN: 测试证书 }",
            )
            .replace(
                "  name: Test Issuer",
                "  name: { en: Test Issuer, zh-CN: 测试机构 }",
            ),
    );
    let badge = std::fs::read_to_string(f.path().join("content/badges/exam-1.yaml")).unwrap();
    f.write(
        "content/badges/exam-1.yaml",
        &badge.replace(
            "skills: [testing]",
            "skills: [{ en: cloud computing, zh-CN: 云计算 }, { en: networking }]",
        ),
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    // A missing translation is named, as for badge texts.
    assert!(
        r.stderr.contains("warning: `skills` has no `zh-CN` text; pages in `zh-CN` will show the `en` text\n --> content/badges/exam-1.yaml:7:"),
        "{}",
        r.stderr
    );
    let zh = f.out("zh-CN/badges/exam-1/index.html");
    assert!(
        zh.contains("测试证书") && zh.contains("测试机构"),
        "zh-CN header and issuer"
    );
    assert!(
        zh.contains("云计算") && zh.contains("networking"),
        "skills, with the fallback"
    );
    // The job search is for the default language's skill on every page.
    assert!(zh.contains("keywords=cloud%20computing"), "{zh}");
    assert!(!zh.contains("keywords=%E4%BA%91"));
    let en = f.out("badges/exam-1/index.html");
    assert!(en.contains("Test Credentials") && en.contains("cloud computing"));
    assert!(!en.contains("测试"));
    let zh_award = f.out("zh-CN/verify/AAAA2222BBBB/index.html");
    assert!(
        zh_award.contains("测试机构"),
        "the verification page names the issuer in Chinese"
    );
    // Open Badges documents speak the default language.
    let profile: serde_json::Value = serde_json::from_str(&f.out("issuer.json")).unwrap();
    assert_eq!(profile["name"], "Test Issuer");
    let class: serde_json::Value = serde_json::from_str(&f.out("badges/exam-1.json")).unwrap();
    assert_eq!(
        class["tags"],
        serde_json::json!(["cloud computing", "networking"])
    );
    let credential: serde_json::Value =
        serde_json::from_str(&f.out("verify/AAAA2222BBBB/credential.json")).unwrap();
    assert_eq!(credential["issuer"]["name"], "Test Issuer");
    assert_eq!(
        credential["credentialSubject"]["achievement"]["tag"],
        serde_json::json!(["cloud computing", "networking"])
    );
}
