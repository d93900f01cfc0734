//! Open Badges 2.0 documents, baked images, artwork sizes and the sharing kit,
//! as an earner and a validator find them in a built site.

use crate::common::*;
use accolade::openbadges::bake;
use serde_json::Value;

fn json(f: &Fixture, rel: &str) -> Value {
    serde_json::from_str(&f.out(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn bytes(f: &Fixture, rel: &str) -> Vec<u8> {
    std::fs::read(f.path().join("public").join(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn png_size(png: &[u8]) -> (u32, u32) {
    let info = png::Decoder::new(std::io::Cursor::new(png))
        .read_info()
        .unwrap();
    (info.info().width, info.info().height)
}

/// Fixture with a revoked and an expiring award, and evidence.
fn fixture() -> Fixture {
    let f = Fixture::new();
    f.append(
        "content/awards/a.yaml",
        "- { id: REVK2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-01-10, revoked: { on: 2025-06-01, reason: Exam misconduct } }\n\
         - { id: CERT2222BOBB, badge: cert-1, earner: slow-di, accepted: true, issued_on: 2026-02-01, evidence: [{ url: \"https://example.org/p?a=1&b=2\", narrative: Built a lab. }] }\n",
    );
    f.write(
        "content/site.yaml",
        &full(&SITE.replace(
            "  email: credentials@cred.example.org\n",
            "  email: credentials@cred.example.org\n  linkedin_organization_id: \"1234567\"\n",
        )),
    );
    assert_eq!(f.build().code, 0);
    f
}

#[test]
fn hosted_assertion_badge_class_profile_and_revocation_list() {
    let f = fixture();
    let a = json(&f, "verify/CERT2222BOBB/assertion.json");
    assert_eq!(a["@context"], "https://w3id.org/openbadges/v2");
    assert_eq!(a["type"], "Assertion");
    assert_eq!(
        a["id"],
        "https://cred.example.org/verify/CERT2222BOBB/assertion.json"
    );
    assert_eq!(a["badge"], "https://cred.example.org/badges/cert-1.json");
    assert_eq!(a["verification"]["type"], "hosted");
    assert_eq!(a["issuedOn"], "2026-02-01T00:00:00Z");
    assert_eq!(a["expires"], "2027-02-01T00:00:00Z", "1y validity");
    assert_eq!(a["evidence"][0]["id"], "https://example.org/p?a=1&b=2");
    // Recipient: salted hash of the normalised email, salt different per award.
    let r = &a["recipient"];
    let salt = r["salt"].as_str().unwrap();
    assert_eq!(
        r["identity"],
        accolade::openbadges::identity_hash("di@example.com", salt)
    );
    assert_eq!(r["hashed"], true);
    let other = json(&f, "verify/CCCC3333DDDD/assertion.json");
    assert_ne!(other["recipient"]["salt"], r["salt"]);

    let b = json(&f, "badges/cert-1.json");
    assert_eq!(b["type"], "BadgeClass");
    assert_eq!(b["issuer"], "https://cred.example.org/issuer.json");
    assert_eq!(b["criteria"]["narrative"], "Hold the exam.");
    assert!(f.exists("badges/cert-1.png"));
    let p = json(&f, "issuer.json");
    assert_eq!(p["type"], "Profile");
    assert_eq!(p["email"], "credentials@cred.example.org");
    assert_eq!(
        p["revocationList"],
        "https://cred.example.org/revocations.json"
    );

    // Revoked: the hosted copy is reduced to the revocation notice, and listed.
    let revoked = json(&f, "verify/REVK2222AAAA/assertion.json");
    assert_eq!(revoked["revoked"], true);
    assert_eq!(revoked["revocationReason"], "Exam misconduct");
    assert!(revoked.get("recipient").is_none());
    let list = json(&f, "revocations.json");
    assert_eq!(
        list["revokedAssertions"][0]["id"],
        "https://cred.example.org/verify/REVK2222AAAA/assertion.json"
    );
    assert_eq!(list["revokedAssertions"].as_array().unwrap().len(), 1);
    // The page links its JSON.
    let page = f.out("verify/CERT2222BOBB/index.html");
    assert!(page.contains("type=application/ld+json") && page.contains("assertion.json"));
}

#[test]
fn baked_png_and_svg_carry_exactly_one_assertion() {
    let f = fixture();
    let assertion_url = "https://cred.example.org/verify/CERT2222BOBB/assertion.json";
    let png = bytes(&f, "verify/CERT2222BOBB/badge.png");
    let baked = bake::read_png(&png, bake::OB2_KEYWORD).unwrap();
    assert_eq!(baked.len(), 1, "exactly one openbadges chunk");
    let chunks = bake::png_chunks(&png).unwrap();
    assert_eq!(&chunks[1].0, b"iTXt", "the chunk follows IHDR");
    let inner: Value = serde_json::from_str(&baked[0]).unwrap();
    assert_eq!(
        inner,
        json(&f, "verify/CERT2222BOBB/assertion.json"),
        "baked = hosted assertion"
    );
    // Without re-encoding: the image data is the published artwork's.
    assert_eq!(idat(&png), idat(&bytes(&f, "badges/cert-1.png")));

    let svg = f.out("verify/CERT2222BOBB/badge.svg");
    assert_eq!(svg.matches("<openbadges:assertion").count(), 1);
    let found = bake::read_svg(&svg, "assertion");
    assert_eq!(found[0].0.as_deref(), Some(assertion_url));
    assert_eq!(serde_json::from_str::<Value>(&found[0].1).unwrap(), inner);
    assert!(svg.contains("xmlns:openbadges=\"http://openbadges.org\""));
}

#[test]
fn artwork_sizes_for_embedding() {
    let f = fixture();
    for size in [110, 220, 600] {
        let png = bytes(&f, &format!("badges/exam-1-{size}.png"));
        assert_eq!(png_size(&png), (size, size));
        if size == 110 {
            assert!(
                png.len() < 20_000,
                "an email-sized badge is small: {} bytes",
                png.len()
            );
        }
    }
    assert_eq!(png_size(&bytes(&f, "badges/exam-1.png")), (600, 600));
}

#[test]
fn linkedin_add_to_profile_url_has_every_field() {
    let f = fixture();
    let page = f.out("verify/CERT2222BOBB/index.html");
    let start = page
        .find("https://www.linkedin.com/profile/add?")
        .expect("LinkedIn link");
    let url = &page[start..];
    let url = &url[..url.find(['"', ' ', '>']).unwrap()];
    let url = url.replace("&amp;", "&");
    let query = url.split_once('?').unwrap().1;
    let params: std::collections::HashMap<String, String> = query
        .split('&')
        .map(|kv| {
            let (k, v) = kv.split_once('=').unwrap();
            (k.to_string(), percent_decode(v))
        })
        .collect();
    assert_eq!(params["startTask"], "CERTIFICATION_NAME");
    assert_eq!(params["name"], "First Cert");
    assert_eq!(params["organizationId"], "1234567");
    assert_eq!(params["issueYear"], "2026");
    assert_eq!(params["issueMonth"], "2");
    assert_eq!(params["expirationYear"], "2027");
    assert_eq!(params["expirationMonth"], "2");
    assert_eq!(
        params["certUrl"],
        "https://cred.example.org/verify/CERT2222BOBB/"
    );
    assert_eq!(params["certId"], "CERT2222BOBB");
    let kit = share_kit(f.path(), "CERT2222BOBB", "en");
    assert_eq!(kit.linkedin_add, url, "the page's link is the kit's");
    // The same values are shown for copying: the page carries them for
    // static/share.js (tests/browser.rs checks what it builds from them).
    let data = share_data(&page).expect("share data");
    let fields = serde_json::json!([
        ["Name", "First Cert"],
        ["Issuing organization", "Test Issuer"],
        ["Issue date", "2026-02"],
        ["Expiration date", "2027-02"],
        ["Credential ID", "CERT2222BOBB"],
        [
            "Credential URL",
            "https://cred.example.org/verify/CERT2222BOBB/"
        ]
    ]);
    // The page carries the values; the labels, the same on every page of
    // a language, are in its strings file (static/share.js joins them).
    assert_eq!(
        data["f"],
        serde_json::json!([
            "First Cert",
            "Test Issuer",
            "2026-02",
            "2027-02",
            "CERT2222BOBB"
        ])
    );
    let joined = |data: &Value, strings: &Value| {
        let mut rows: Vec<Value> = accolade::render::share::LINKEDIN_FIELDS
            .iter()
            .zip(data["f"].as_array().unwrap())
            .filter(|(_, v)| !v.is_null())
            .map(|(k, v)| serde_json::json!([strings[*k], v]))
            .collect();
        rows.push(serde_json::json!([
            strings["linkedin_field_url"],
            data["u"]
        ]));
        Value::Array(rows)
    };
    let strings: Value = serde_json::from_str(&f.out("static/strings/en.json")).unwrap();
    assert_eq!(joined(&data, &strings), fields);
    let kit_fields: Vec<(String, String)> = kit
        .linkedin_fields
        .iter()
        .map(|f| (f.label.clone(), f.value.clone()))
        .collect();
    assert_eq!(serde_json::to_value(kit_fields).unwrap(), fields);
    assert_eq!(data["u"], "https://cred.example.org/verify/CERT2222BOBB/");
    assert_eq!(
        data["p"],
        "I earned the First Cert credential from Test Issuer."
    );
    // Share links.
    assert_eq!(
        kit.linkedin_post,
        "https://www.linkedin.com/sharing/share-offsite/?url=https%3A%2F%2Fcred.example.org%2Fverify%2FCERT2222BOBB%2F"
    );
    assert_eq!(
        kit.x,
        "https://twitter.com/intent/tweet?text=I%20earned%20the%20First%20Cert%20credential%20from%20Test%20Issuer.&url=https%3A%2F%2Fcred.example.org%2Fverify%2FCERT2222BOBB%2F"
    );
    assert_eq!(
        kit.facebook,
        "https://www.facebook.com/sharer/sharer.php?u=https%3A%2F%2Fcred.example.org%2Fverify%2FCERT2222BOBB%2F"
    );
    // In Chinese: the labels and texts of the page's language.
    let zh = share_data(&f.out("zh-CN/verify/CERT2222BOBB/index.html")).unwrap();
    assert_eq!(zh["f"][0], "第一个认证");
    assert_eq!(zh["u"], data["u"]);
    let zh_strings: Value = serde_json::from_str(&f.out("static/strings/zh-CN.json")).unwrap();
    let zh_fields = joined(&zh, &zh_strings);
    assert_eq!(zh_fields[0], serde_json::json!(["名称", "第一个认证"]));
    let zh_kit: Vec<(String, String)> = share_kit(f.path(), "CERT2222BOBB", "zh-CN")
        .linkedin_fields
        .iter()
        .map(|f| (f.label.clone(), f.value.clone()))
        .collect();
    assert_eq!(serde_json::to_value(zh_kit).unwrap(), zh_fields);
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
            i += 3;
        } else {
            out.push(if b[i] == b'+' { b' ' } else { b[i] });
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn email_signature_snippet_uses_a_small_absolute_png() {
    let f = fixture();
    let page = f.out("verify/CERT2222BOBB/index.html");
    let data = share_data(&page).expect("share data");
    assert_eq!(data["b"], "https://cred.example.org/badges/cert-1-");
    assert_eq!(
        data["a"],
        "First Cert: credential of Di Slow, issued by Test Issuer"
    );
    let kit = share_kit(f.path(), "CERT2222BOBB", "en");
    let snippet = kit.email_snippet;
    assert!(
        snippet.contains("<img src=\"https://cred.example.org/badges/cert-1-110.png\""),
        "{snippet}"
    );
    assert!(
        snippet.contains("srcset=\"https://cred.example.org/badges/cert-1-220.png 2x\""),
        "{snippet}"
    );
    assert!(
        snippet.contains("width=\"110\" height=\"110\""),
        "{snippet}"
    );
    assert!(
        snippet.contains("alt=\"First Cert: credential of Di Slow, issued by Test Issuer\""),
        "{snippet}"
    );
    assert!(
        snippet.contains("<a href=\"https://cred.example.org/verify/CERT2222BOBB/\">"),
        "{snippet}"
    );
    assert!(!snippet.contains(".svg"), "email clients do not show SVG");
    assert!(f.exists("badges/cert-1-110.png") && f.exists("badges/cert-1-220.png"));
    // `award_files: full`: the website snippet shows the hosted baked image.
    assert_eq!(
        data["i"],
        "https://cred.example.org/verify/CERT2222BOBB/badge.png"
    );
    assert!(
        kit.html_snippet
            .contains("<img src=\"https://cred.example.org/verify/CERT2222BOBB/badge.png\""),
        "{}",
        kit.html_snippet
    );
    let md = kit.markdown_snippet;
    assert!(
        md.starts_with("[![") && md.ends_with("(https://cred.example.org/verify/CERT2222BOBB/)"),
        "{md}"
    );
}

#[test]
fn link_previews_use_an_existing_png_card_of_the_right_size() {
    let f = fixture();
    // Each page previews with the card of its own language.
    for (page, card) in [
        ("verify/CERT2222BOBB/index.html", "badges/cert-1-card.png"),
        ("badges/cert-1/index.html", "badges/cert-1-card.png"),
        (
            "zh-CN/verify/CERT2222BOBB/index.html",
            "zh-CN/badges/cert-1-card.png",
        ),
        (
            "zh-CN/badges/cert-1/index.html",
            "zh-CN/badges/cert-1-card.png",
        ),
    ] {
        let html = f.out(page);
        let marker = format!("property=og:image content=https://cred.example.org/{card}>");
        assert!(html.contains(&marker), "{page} lacks `{marker}`");
        assert!(
            html.contains("property=og:image:width content=1200")
                && html.contains("property=og:image:height content=627")
        );
    }
    let (en, zh) = (
        bytes(&f, "badges/cert-1-card.png"),
        bytes(&f, "zh-CN/badges/cert-1-card.png"),
    );
    assert_eq!(png_size(&en), (1200, 627));
    assert_eq!(png_size(&zh), (1200, 627));
    assert_ne!(en, zh, "the Chinese card has Chinese text");
    // schema.org JSON-LD for search engines, inert under CSP.
    let html = f.out("verify/CERT2222BOBB/index.html");
    let ld = html
        .split("<script type=application/ld+json>")
        .nth(1)
        .expect("JSON-LD")
        .split("</script>")
        .next()
        .unwrap();
    let ld: Value = serde_json::from_str(ld).unwrap();
    assert_eq!(ld["@type"], "EducationalOccupationalCredential");
    assert_eq!(ld["url"], "https://cred.example.org/verify/CERT2222BOBB/");
}

#[test]
fn revoked_and_expired_awards_offer_no_sharing_kit() {
    let f = fixture();
    let revoked = f.out("verify/REVK2222AAAA/index.html");
    assert!(!revoked.contains("linkedin.com/profile/add"));
    assert!(share_data(&revoked).is_none() && !revoked.contains("share.js"));
    assert!(
        f.out("verify/CERT2222BOBB/index.html")
            .contains("linkedin.com/profile/add")
    );
}

#[test]
fn did_document_lists_current_and_previous_keys_and_status_list_is_signed() {
    let f = Fixture::new();
    let old = accolade::signing::Key::from_seed([3; 32]).public_multikey();
    f.append(
        "content/site.yaml",
        &format!("  previous_keys: [\"{old}\"]\n"),
    );
    assert_eq!(f.build().code, 0);
    let did = json(&f, ".well-known/did.json");
    assert_eq!(did["id"], "did:web:cred.example.org");
    let current = accolade::signing::Key::from_seed([7; 32]).public_multikey();
    let methods: Vec<&str> = did["verificationMethod"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["publicKeyMultibase"].as_str().unwrap())
        .collect();
    assert_eq!(methods, vec![current.as_str(), old.as_str()]);
    assert_eq!(did["assertionMethod"].as_array().unwrap().len(), 2);
    // Credentials name the current key and verify against the published document.
    let credential = json(&f, "verify/AAAA2222BBBB/credential.json");
    accolade::signing::verify_with_did_document(&credential, &did).unwrap();
    let list = json(&f, "status/revocation.json");
    accolade::signing::verify_with_did_document(&list, &did).unwrap();
    assert_eq!(
        credential["credentialStatus"]["statusListCredential"],
        "https://cred.example.org/status/revocation.json"
    );
    // The key itself is never published.
    let key_text = std::fs::read_to_string(f.path().join("keys/test.ed25519")).unwrap();
    let secret = key_text.lines().find(|l| l.starts_with('z')).unwrap();
    for p in files(&f.path().join("public")) {
        let text =
            String::from_utf8_lossy(&std::fs::read(f.path().join("public").join(&p)).unwrap())
                .into_owned();
        assert!(
            !text.contains(secret),
            "{} contains the secret key",
            p.display()
        );
    }
}

#[test]
fn rebuilds_reuse_unchanged_signatures_and_sign_changed_credentials_again() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    let before_a = f.out("verify/AAAA2222BBBB/credential.json");
    let before_c = f.out("verify/CCCC3333DDDD/credential.json");
    let c_path = f.path().join("public/verify/CCCC3333DDDD/credential.json");
    let mtime = std::fs::metadata(&c_path).unwrap().modified().unwrap();
    // A rebuild in a fresh directory signs everything anew: the same bytes.
    let fresh = f.path().join("fresh");
    assert_eq!(f.run(&["build", "--out", fresh.to_str().unwrap()]).code, 0);
    assert_eq!(
        std::fs::read_to_string(fresh.join("verify/CCCC3333DDDD/credential.json")).unwrap(),
        before_c
    );

    std::thread::sleep(std::time::Duration::from_millis(20));
    f.write(
        "content/awards/a.yaml",
        &std::fs::read_to_string(f.path().join("content/awards/a.yaml"))
            .unwrap()
            .replace(
                "earner: pub-ann, issued_on: 2026-01-10 }",
                "earner: pub-ann, issued_on: 2026-01-10, expires_on: 2028-01-10, revised_on: 2026-11-01 }",
            ),
    );
    assert_eq!(f.build().code, 0);
    let after_a: Value = json(&f, "verify/AAAA2222BBBB/credential.json");
    assert_ne!(
        f.out("verify/AAAA2222BBBB/credential.json"),
        before_a,
        "the changed award is signed again"
    );
    assert_eq!(after_a["validUntil"], "2028-01-10T00:00:00Z");
    let did = json(&f, ".well-known/did.json");
    accolade::signing::verify_with_did_document(&after_a, &did).unwrap();
    assert_eq!(f.out("verify/CCCC3333DDDD/credential.json"), before_c);
    assert_eq!(
        std::fs::metadata(&c_path).unwrap().modified().unwrap(),
        mtime,
        "unchanged files are not rewritten"
    );
}

#[test]
fn the_status_list_changes_only_when_revocations_do() {
    let f = fixture();
    let list = || std::fs::read(f.path().join("public/status/revocation.json")).unwrap();
    let before = list();
    let day = 86_400;
    assert_eq!(run_at(f.path(), &["build"], NOW + day).code, 0);
    assert_eq!(
        list(),
        before,
        "a day later, the same revocations sign the same list"
    );
    f.append(
        "content/awards/a.yaml",
        "- { id: REVK3333AAAA, badge: exam-1, earner: unl-bob, issued_on: 2025-02-10, revoked: { on: 2026-10-20, reason: Withdrawn } }\n",
    );
    assert_eq!(run_at(f.path(), &["build"], NOW + day).code, 0);
    let after: Value = serde_json::from_slice(&list()).unwrap();
    assert_ne!(serde_json::to_vec(&after).unwrap(), before);
    assert_eq!(
        after["validFrom"], "2026-10-20T00:00:00Z",
        "the latest revocation"
    );
}
