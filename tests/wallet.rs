//! The Learner Credential Wallet's own code taking our credentials in:
//! tests/wallet/lcw.ts runs the app's import and verification paths (its
//! TypeScript copied verbatim into tests/wallet/lcw/, only the platform
//! stubbed; see tests/wallet/README.md) against a built site, offline. A
//! user scans a QR code holding a credential's address, opens the deep
//! link of a verification page, or adds a .json or baked .png file; the
//! wallet stages what it decoded, and its preview verifies each credential
//! and shows the checks. Needs the packages scripts/install-test-tools puts
//! in target/node/lcw (and Chromium for the pages' links), so these tests
//! are `#[ignore]`d in a plain `cargo test` and run by `scripts/test`.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::validators::tool;
use accolade::paths;
use accolade::site::{Award, Site, Status};
use serde_json::{Value, json};

/// Fetched by verifier-core's schema check, which the wallet does not
/// show; refused offline.
const SCHEMA_URL: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json";
/// The list of DID registries the wallet fetches before every verification
/// (app/lib/validate.ts); answered with an empty list offline.
const KNOWN_REGISTRIES: &str =
    "https://digitalcredentials.github.io/dcc-known-registries/known-did-registries.json";

/// A badge name that trips naive handling of JSON and URLs: braces (the
/// wallet counts them to cut the credential out of a PNG), `%` before
/// hex digits and not (the deep link is decoded twice), quotes, Chinese.
const AWKWARD: &str = r#"Braces {x} and } { 100% %41 "quoted" 'single' 中文徽章"#;

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Runs the wallet on `cases` ([{name, kind, input}], see lcw.ts) against
/// the site built in `public`: one result per case, in order.
fn wallet(public: &Path, base_url: &str, cases: &[Value]) -> Vec<Value> {
    let modules = PathBuf::from(tool("ACCOLADE_TEST_NODE_MODULES"))
        .parent()
        .unwrap()
        .join("lcw/node_modules");
    let harness = example_root().join("tests/wallet");
    let dir = tempfile::tempdir().unwrap();
    let cases_file = dir.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(cases).unwrap()).unwrap();
    let results = json_lines(
        Command::new(modules.join(".bin/tsx"))
            .arg("--tsconfig")
            .arg(harness.join("tsconfig.json"))
            .arg(harness.join("lcw.ts"))
            .arg(public)
            .arg(base_url)
            .arg(&cases_file)
            .env("LCW_NODE_MODULES", &modules),
        "the wallet (tests/wallet/lcw.ts)",
    );
    assert_eq!(results.len(), cases.len());
    for (case, result) in cases.iter().zip(&results) {
        assert_eq!(case["name"], result["name"]);
    }
    results
}

/// The credential `public` serves for `id`, parsed.
fn served(public: &Path, id: &str) -> Value {
    let text = std::fs::read_to_string(public.join(paths::credential(id))).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A row of the preview's checks: (status, message).
fn row<'a>(verdict: &'a Value, check: &str) -> (&'a str, &'a str) {
    let r = &verdict[check];
    (
        r["status"].as_str().unwrap_or("-"),
        r["message"].as_str().unwrap_or("-"),
    )
}

/// What the wallet must show for a genuine credential it imported from
/// `result`: it is the one `public` serves, the signature holds, and
/// expiry and revocation are as the site says. The issuer is in none of
/// the registries the wallet knows (offline, none loads; online, ours is
/// in none of the DCC's either): a warning row, a "Warning" badge, and
/// the card's links disabled.
fn assert_genuine(result: &Value, credential: &Value, expired: bool, revoked: bool) {
    let r = result;
    assert_eq!(r["error"], Value::Null, "{r}");
    assert_eq!(r["imported"], 1, "{r}");
    let got = &r["credentials"][0];
    assert_eq!(got["id"], credential["id"], "{r}");
    assert_eq!(got["name"], credential["name"], "{r}");
    let v = &got["verdict"];
    assert_eq!(v["error"], Value::Null, "{r}");
    assert_eq!(
        row(v, "format"),
        ("positive", "is in a supported credential format")
    );
    assert_eq!(
        row(v, "signature"),
        ("positive", "has a valid signature"),
        "{r}"
    );
    assert_eq!(
        row(v, "issuer_registry"),
        ("warning", "isn't in a known issuer registry"),
        "{r}"
    );
    assert_eq!(v["links_disabled"], true, "{r}");
    let revocation = if revoked {
        ("negative", "has been revoked")
    } else {
        ("positive", "has not been revoked")
    };
    assert_eq!(row(v, "revocation"), revocation, "{r}");
    let expiration = match (credential.get("validUntil").is_some(), expired) {
        (false, _) => ("positive", "has no expiration date set"),
        (true, false) => ("positive", "has not expired"),
        (true, true) => ("warning", "has expired"),
    };
    assert_eq!(row(v, "expiration"), expiration, "{r}");
    let badge = if revoked { "Not Verified" } else { "Warning" };
    assert_eq!(v["badge"], badge, "{r}");
    assert_offline(r);
}

/// Nothing was asked of the network but the site, the registry list
/// (answered empty) and the schema (refused).
fn assert_offline(r: &Value) {
    assert_eq!(r["offline"], json!([KNOWN_REGISTRIES]), "{r}");
    for url in r["refused"].as_array().unwrap() {
        assert_eq!(url, SCHEMA_URL, "{r}");
    }
}

/// Expired and revoked as of the site's "now" (the wallet's clock is the
/// real one: the sites here are built as of now).
fn state(site: &Site, award: &Award) -> (bool, bool) {
    (
        award.expires_on.is_some_and(|e| e <= site.now),
        award.revoked.is_some(),
    )
}

#[test]
#[ignore = "needs the wallet's packages installed by scripts/install-test-tools"]
fn the_wallet_scans_every_example_credential_address() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example_at(&public, None, now());
    // Private earners' awards publish nothing.
    let awards: Vec<&Award> = site
        .awards
        .iter()
        .filter(|a| public.join(paths::credential(&a.id)).is_file())
        .collect();
    let mut cases: Vec<Value> = awards
        .iter()
        .map(|a| json!({ "name": a.id, "kind": "scan", "input": site.url(&paths::credential(&a.id)) }))
        .collect();
    // The wallet fetches its list of registries before each verification,
    // outside any error handling: without it, no check is shown at all.
    let valid = awards.iter().find(|a| a.status == Status::Valid).unwrap();
    cases.push(json!({
        "name": "registry list unreachable",
        "kind": "scan",
        "input": site.url(&paths::credential(&valid.id)),
        "registries": "unreachable",
    }));
    // The page's address, which the verification QR code holds, is HTML:
    // the wallet's scanner takes only credentials (hence the page's
    // separate QR code of the credential's address).
    cases.push(
        json!({ "name": "verification page", "kind": "scan", "input": site.verify_url(valid) }),
    );
    let results = wallet(&public, &site.base_url, &cases);

    let mut counts = std::collections::BTreeMap::new();
    for (award, r) in awards.iter().zip(&results) {
        let (expired, revoked) = state(&site, award);
        assert_genuine(r, &served(&public, &award.id), expired, revoked);
        *counts.entry((expired, revoked)).or_insert(0) += 1;
    }
    let count = |k| counts.get(&k).copied().unwrap_or(0);
    assert!(
        count((false, false)) >= 50 && count((true, false)) >= 1 && count((false, true)) >= 1,
        "valid, expired and revoked credentials all scanned: {counts:?}"
    );
    // The issuer's DID document resolved as served, application/did+json.
    let did = format!(
        "200 application/did+json; charset=utf-8 {}/.well-known/did.json",
        site.base_url
    );
    assert!(
        results
            .iter()
            .any(|r| r["served"].as_array().unwrap().iter().any(|s| s == &did)),
        "{did}"
    );

    let r = &results[awards.len()];
    assert_eq!(r["imported"], 1, "{r}");
    let v = &r["credentials"][0]["verdict"];
    assert_eq!(
        v["error"], "Error: An error was encountered while verifying this credential.",
        "{r}"
    );
    assert_eq!(v["signature"], Value::Null, "no checks are shown: {r}");
    assert_eq!(v["badge"], "Not Verified", "{r}");

    let r = &results[awards.len() + 1];
    assert_eq!(r["imported"], 0, "{r}");
    assert_eq!(
        r["error"], "An error was encountered when parsing this QR code.",
        "{r}"
    );
}

/// A small site with a badge named [`AWKWARD`], its award `ODDD2222AAAA`,
/// and a revoked and an expired award; built as of now.
fn awkward_site() -> (Fixture, Site) {
    let f = Fixture::new();
    let name = format!("'{}'", AWKWARD.replace('\'', "''"));
    f.write(
        "content/badges/odd-1.yaml",
        &format!(
            "id: odd-1\nkind: exam\nname: {{ en: {name}, zh-CN: {name} }}\n\
             description: {{ en: An exam., zh-CN: 一场考试。 }}\ncriteria: {{ en: Pass it., zh-CN: 通过。 }}\n\
             image: images/exam-1.svg\n"
        ),
    );
    f.append(
        "content/awards/a.yaml",
        "- { id: ODDD2222AAAA, badge: odd-1, earner: pub-ann, issued_on: 2026-02-01 }\n",
    );
    f.append("content/awards/a.yaml", &revoked_and_expired("pub-ann"));
    let r = run_at(f.path(), &["build"], now());
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (loaded, diags) = accolade::build::resolve(f.path(), None, now());
    let site = loaded
        .unwrap_or_else(|| panic!("{}", diags.render(f.path())))
        .1;
    (f, site)
}

#[test]
#[ignore = "needs the wallet's packages installed by scripts/install-test-tools"]
fn the_wallet_adds_json_and_baked_png_files() {
    let (f, site) = awkward_site();
    let public = f.path().join("public");
    let ids = [
        "AAAA2222BBBB",
        "ODDD2222AAAA",
        "REVK2222AAAA",
        "EXPX2222AAAA",
    ];
    let mut cases = Vec::new();
    for id in ids {
        cases.push(json!({ "name": format!("{id}.json"), "kind": "file", "input": public.join(paths::credential(id)) }));
        // A revoked award has no badge image to hand out.
        if id != "REVK2222AAAA" {
            let png = format!("{id}.png");
            let r = run_at(f.path(), &["bake", id, "--out", &png], now());
            assert_eq!(r.code, 0, "{}", r.stderr);
            cases.push(json!({ "name": png, "kind": "file", "input": f.path().join(&png) }));
        }
    }
    cases.push(json!({ "name": "ODDD2222AAAA scanned", "kind": "scan", "input": site.url(&paths::credential("ODDD2222AAAA")) }));
    // A genuine credential with one field changed.
    let mut tampered = served(&public, "AAAA2222BBBB");
    tampered["credentialSubject"]["achievement"]["name"] = json!("Second Exam");
    let tampered_file = f.path().join("tampered.json");
    std::fs::write(&tampered_file, serde_json::to_vec(&tampered).unwrap()).unwrap();
    cases.push(json!({ "name": "tampered", "kind": "file", "input": tampered_file }));
    let results = wallet(&public, &site.base_url, &cases);

    for r in &results {
        let name = r["name"].as_str().unwrap();
        if name == "tampered" {
            assert_eq!(r["imported"], 1, "{r}");
            let v = &r["credentials"][0]["verdict"];
            assert_eq!(
                row(v, "signature"),
                ("negative", "has an invalid signature"),
                "{r}"
            );
            assert_eq!(v["badge"], "Not Verified", "{r}");
            continue;
        }
        let id = &name[..12];
        let award = site.awards.iter().find(|a| a.id == id).unwrap();
        let (expired, revoked) = state(&site, award);
        assert_eq!(
            (expired, revoked),
            (id == "EXPX2222AAAA", id == "REVK2222AAAA")
        );
        assert_genuine(r, &served(&public, id), expired, revoked);
    }
    let odd = results
        .iter()
        .filter(|r| r["name"].as_str().unwrap().starts_with("ODDD"));
    assert_eq!(odd.clone().count(), 3);
    for r in odd {
        assert_eq!(r["credentials"][0]["name"], AWKWARD, "{r}");
    }
}

/// JavaScript's encodeURIComponent.
fn encode_uri_component(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The deep links the verification pages at `pages` of `public` offer a
/// phone (static/wallet.js, in Chromium), by page.
fn page_links(public: &Path, pages: &[String]) -> Value {
    let script = example_root().join("tests/wallet/page_links.mjs");
    let mut lines = json_lines(
        Command::new("node")
            .arg(&script)
            .arg(public)
            .arg(json!({ "pages": pages }).to_string())
            .env(
                "ACCOLADE_TEST_NODE_MODULES",
                tool("ACCOLADE_TEST_NODE_MODULES"),
            ),
        "page_links.mjs",
    );
    let result = lines.pop().expect("a result line");
    assert_eq!(result["problems"], json!([]), "{result}");
    result["links"].clone()
}

fn deep_link_cases(links: &Value, pages: &[String]) -> Vec<Value> {
    pages
        .iter()
        .map(|p| {
            let link = links[p]
                .as_str()
                .unwrap_or_else(|| panic!("{p} offers no deep link: {links}"));
            json!({ "name": p, "kind": "deeplink", "input": link })
        })
        .collect()
}

#[test]
#[ignore = "needs headless Chromium, playwright-core and the wallet's packages installed by scripts/test"]
fn the_wallet_opens_the_deep_link_of_every_verification_page() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example_at(&public, None, now());
    // Only valid awards offer the wallet part; private ones publish nothing.
    let valid: Vec<&Award> = site
        .awards
        .iter()
        .filter(|a| a.status == Status::Valid && public.join(paths::award_page(&a.id)).is_dir())
        .collect();
    assert!(valid.len() >= 50, "{}", valid.len());
    let pages: Vec<String> = valid.iter().map(|a| paths::award_page(&a.id)).collect();
    let links = page_links(&public, &pages);
    let results = wallet(&public, &site.base_url, &deep_link_cases(&links, &pages));
    for (award, r) in valid.iter().zip(&results) {
        let (expired, revoked) = state(&site, award);
        assert_genuine(r, &served(&public, &award.id), expired, revoked);
    }

    // The awkward name travels intact: every `%` of the JSON is sent as
    // `%25`, and the wallet decodes twice. Without that step the same
    // offer is lost: "100% " is no escape, decodeURI throws, and the
    // wallet drops the link.
    let (f, odd_site) = awkward_site();
    let odd_public = f.path().join("public");
    let page = vec![paths::award_page("ODDD2222AAAA")];
    let mut cases = deep_link_cases(&page_links(&odd_public, &page), &page);
    let credential =
        std::fs::read_to_string(odd_public.join(paths::credential("ODDD2222AAAA"))).unwrap();
    let offer = format!(
        "{{\"verifiablePresentation\":{{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiablePresentation\"],\"verifiableCredential\":[{}]}}}}",
        credential.trim()
    );
    cases.push(json!({
        "name": "without %25",
        "kind": "deeplink",
        "input": format!("dccrequest://request?request={}", encode_uri_component(&offer)),
    }));
    let results = wallet(&odd_public, &odd_site.base_url, &cases);
    assert_genuine(
        &results[0],
        &served(&odd_public, "ODDD2222AAAA"),
        false,
        false,
    );
    assert_eq!(results[0]["credentials"][0]["name"], AWKWARD);
    assert_eq!(results[1]["imported"], 0, "{}", results[1]);
}
