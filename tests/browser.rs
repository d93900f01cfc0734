//! The example site in a real browser (headless Chromium, driven by
//! playwright-core): certificates print to exactly one page on A4 and US
//! Letter, pages run under the site's strict CSP without errors, and the
//! in-browser expiry re-check catches a page built before expiry.
//! Needs the tools `scripts/test` installs, so `#[ignore]`d in plain `cargo test`.

mod common;
use std::process::Command;

use accolade::site::Status;
use common::*;
use serde_json::{json, Value};

fn run_script(script: &str, public: &std::path::Path, args: Value) -> Value {
    let modules = std::env::var("ACCOLADE_TEST_NODE_MODULES")
        .expect("ACCOLADE_TEST_NODE_MODULES is not set: run the tests with scripts/test");
    let out = Command::new("node")
        .arg(example_root().join("tests/browser").join(script))
        .arg(public)
        .arg(args.to_string())
        .env("ACCOLADE_TEST_NODE_MODULES", modules)
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{script} failed:\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_str(stdout.lines().last().unwrap()).unwrap()
}

#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn certificates_print_on_one_page_and_pages_run_under_csp() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let r = run_in(&example_root(), &["build", "--out", public.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (loaded, _) = accolade::commands::load_site(&example_root(), None);
    let (_, site) = loaded.unwrap();
    let pick = |s: Status| site.awards.iter().find(|a| a.status == s).unwrap();
    let (valid, expired, revoked) = (pick(Status::Valid), pick(Status::Expired), pick(Status::Revoked));
    let expiring = site.awards.iter().find(|a| a.status == Status::Valid && a.expires_on.is_some()).unwrap();
    let longest = site.awards.iter().max_by_key(|a| site.earners[a.earner].name.len() + site.badges[a.badge].id.len()).unwrap();

    let certificates: Vec<String> = [valid, expired, revoked, longest]
        .iter()
        .flat_map(|a| [format!("verify/{}/certificate/", a.id), format!("zh-CN/verify/{}/certificate/", a.id)])
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
    assert_eq!(result["pdf"].as_object().unwrap().len(), certificates.len() * 2);
    assert_eq!(result["problems"], json!([]), "errors under CSP");
    assert_eq!(result["expiry"]["status"], "expired", "{}", result["expiry"]);
    assert!(result["expiry"]["className"].as_str().unwrap().contains("status--expired"));
    assert_eq!(result["copy"]["clipboard"], result["copy"]["snippet"], "the copy button copies the snippet");
}
