//! The example site in a real browser (headless Chromium, driven by
//! playwright-core): certificates print to exactly one page on A4 and US
//! Letter, pages run under the site's strict CSP without errors, and the
//! in-browser expiry re-check catches a page built before expiry.
//! Needs the tools `scripts/test` installs, so `#[ignore]`d in plain `cargo test`.

use std::process::Command;

use crate::common::*;
use accolade::site::Status;
use serde_json::{Value, json};

fn run_script(script: &str, public: &std::path::Path, args: Value) -> Value {
    let modules = std::env::var("ACCOLADE_TEST_NODE_MODULES")
        .expect("ACCOLADE_TEST_NODE_MODULES is not set: run the tests with scripts/test");
    let mut lines = json_lines(
        Command::new("node")
            .arg(example_root().join("tests/browser").join(script))
            .arg(public)
            .arg(args.to_string())
            .env("ACCOLADE_TEST_NODE_MODULES", modules),
        script,
    );
    lines.pop().expect("a result line")
}

#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn certificates_print_on_one_page_and_pages_run_under_csp() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let pick = |s: Status| site.awards.iter().find(|a| a.status == s).unwrap();
    let (valid, expired, revoked) = (
        pick(Status::Valid),
        pick(Status::Expired),
        pick(Status::Revoked),
    );
    let expiring = site
        .awards
        .iter()
        .find(|a| a.status == Status::Valid && a.expires_on.is_some())
        .unwrap();
    let longest = site
        .awards
        .iter()
        .max_by_key(|a| site.earners[a.earner].name.len() + site.badges[a.badge].id.len())
        .unwrap();

    let certificates: Vec<String> = [valid, expired, revoked, longest]
        .iter()
        .flat_map(|a| {
            [
                format!("verify/{}/certificate/", a.id),
                format!("zh-CN/verify/{}/certificate/", a.id),
            ]
        })
        .collect();
    let pages = vec![
        String::new(),
        format!("verify/{}/", valid.id),
        format!("verify/{}/", revoked.id),
        format!("zh-CN/verify/{}/", expired.id),
        "faq/".into(),
        "retired/".into(),
        "badges/cloud-operator/".into(),
    ];
    let result = run_script(
        "print.mjs",
        &public,
        json!({
            "certificates": certificates,
            "pages": pages,
            "expiring": { "page": format!("verify/{}/", expiring.id), "after": expiring.expires_on.unwrap().to_string() },
            "copy": format!("verify/{}/", valid.id),
        }),
    );
    for (name, pages) in result["pdf"].as_object().unwrap() {
        assert_eq!(pages, 1, "{name} printed on {pages} pages");
    }
    assert_eq!(
        result["pdf"].as_object().unwrap().len(),
        certificates.len() * 2
    );
    assert_eq!(result["problems"], json!([]), "errors under CSP");
    assert_eq!(
        result["expiry"]["status"], "expired",
        "{}",
        result["expiry"]
    );
    assert!(
        result["expiry"]["className"]
            .as_str()
            .unwrap()
            .contains("status--expired")
    );
    assert_eq!(
        result["copy"]["clipboard"], result["copy"]["snippet"],
        "the copy button copies the snippet"
    );
}

#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn verifier_page_checks_dropped_badges_and_emails() {
    use accolade::openbadges::bake;
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_full_example_at(tmp.path(), &public, None, NOW);
    let pick = |s: Status| site.awards.iter().find(|a| a.status == s).unwrap();
    let (valid, revoked, expired) = (
        pick(Status::Valid),
        pick(Status::Revoked),
        pick(Status::Expired),
    );
    let png = |a: &accolade::site::Award| public.join(format!("verify/{}/badge.png", a.id));

    // A genuine image, edited: the issue date moved a year back, re-baked with valid checksums.
    let genuine = std::fs::read(png(valid)).unwrap();
    let text = bake::read_png(&genuine, bake::OB2_KEYWORD)
        .unwrap()
        .remove(0);
    let year = valid.issued_on.year.to_string();
    let forged = text.replace(
        &format!("\"issuedOn\":\"{year}"),
        &format!("\"issuedOn\":\"{}", valid.issued_on.year - 1),
    );
    assert_ne!(forged, text);
    let tampered = tmp.path().join("tampered.png");
    std::fs::write(
        &tampered,
        bake::bake_png(&genuine, bake::OB2_KEYWORD, &forged).unwrap(),
    )
    .unwrap();
    // The same with the signed 3.0 credential edited instead.
    let text3 = bake::read_png(&genuine, bake::OB3_KEYWORD)
        .unwrap()
        .remove(0);
    let forged3 = text3.replace(
        &format!("\"validFrom\":\"{year}"),
        &format!("\"validFrom\":\"{}", valid.issued_on.year - 1),
    );
    assert_ne!(forged3, text3);
    let tampered3 = tmp.path().join("tampered3.png");
    std::fs::write(
        &tampered3,
        bake::bake_png(&genuine, bake::OB3_KEYWORD, &forged3).unwrap(),
    )
    .unwrap();
    let plain = tmp.path().join("plain.png");
    std::fs::copy(
        public.join(format!("badges/{}-220.png", site.badges[valid.badge].id)),
        &plain,
    )
    .unwrap();
    let svg = public.join(format!("verify/{}/badge.svg", valid.id));
    let json_file = public.join(format!("verify/{}/assertion.json", valid.id));

    let files = json!([
        { "name": "genuine", "path": png(valid) },
        { "name": "genuine_svg", "path": svg },
        { "name": "genuine_json", "path": json_file },
        { "name": "tampered", "path": tampered },
        { "name": "tampered3", "path": tampered3 },
        { "name": "revoked", "path": png(revoked) },
        { "name": "expired", "path": png(expired) },
        { "name": "plain", "path": plain },
    ]);
    let result = run_script(
        "verifier.mjs",
        &public,
        json!({
            "files": files,
            "email": { "path": png(valid), "right": site.earners[valid.earner].email.to_uppercase(), "wrong": "someone@example.com" },
            "id": valid.id,
            // The page judges expiry by the viewer's clock: make it the build's.
            "now": NOW,
        }),
    );
    let f = &result["files"];
    assert_eq!(f["genuine"]["result"], "valid", "{f}");
    assert!(
        f["genuine"]["text"]
            .as_str()
            .unwrap()
            .contains(&site.earners[valid.earner].name),
        "shows whose it is: {f}"
    );
    assert_eq!(f["genuine_svg"]["result"], "valid", "{f}");
    assert_eq!(f["genuine_json"]["result"], "valid", "{f}");
    assert_eq!(
        f["tampered"]["result"], "tampered",
        "a forged 2.0 assertion beside a genuine 3.0 credential: {f}"
    );
    assert_eq!(f["tampered3"]["result"], "tampered", "{f}");
    assert_eq!(f["revoked"]["result"], "revoked", "{f}");
    assert_eq!(f["expired"]["result"], "expired", "{f}");
    assert_eq!(
        f["plain"]["result"], "error",
        "a picture without a credential: {f}"
    );
    assert_eq!(
        result["email"]["right"], "yes",
        "email check is case-insensitive"
    );
    assert_eq!(result["email"]["wrong"], "no");
    assert_eq!(
        result["id"],
        format!("/verify/{}/", valid.id),
        "an ID, typed in lowercase, opens its page"
    );
    assert_eq!(result["unknown_id"], true);
    assert_eq!(result["problems"], json!([]));
}
