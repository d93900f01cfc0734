//! The example site checked by the reference tools, over real HTTP on
//! loopback: the 1EdTech Open Badges 2.0 validator and openbadges-bakery.
//! Needs the tools `scripts/test` installs (Python venv under target/), so
//! these tests are `#[ignore]`d in a plain `cargo test` and run by
//! `scripts/test` with `--include-ignored`.

use std::process::Command;

use crate::common::*;
use accolade::site::Status;
use serde_json::{Value, json};

pub fn tool(var: &str) -> String {
    std::env::var(var).unwrap_or_else(|_| {
        panic!(
            "{var} is not set: run the tests with scripts/test, which installs the reference tools"
        )
    })
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn open_badges_validator_accepts_every_example_assertion() {
    let python = tool("ACCOLADE_TEST_PYTHON");
    let port = free_port();
    let base = format!("http://127.0.0.1:{port}");
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    // The validator judges expiry by today's clock, so build as of today.
    let site = build_full_example_at(tmp.path(), &public, Some(&base), now());
    let mut cases: Vec<Value> = site
        .awards
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "email": site.earners[a.earner].email,
                "png": public.join(format!("verify/{}/badge.png", a.id)),
            })
        })
        .collect();
    let valid_one = site
        .awards
        .iter()
        .find(|a| a.status == Status::Valid)
        .unwrap();
    cases.push(json!({ "id": valid_one.id, "email": "someone.else@example.com" }));
    let cases_file = tmp.path().join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();

    let script = example_root().join("tests/external/ob2_validate.py");
    let results = json_lines(
        Command::new(&python).args([
            script.to_str().unwrap(),
            public.to_str().unwrap(),
            &port.to_string(),
            cases_file.to_str().unwrap(),
        ]),
        "the OB 2.0 validator script",
    );
    assert_eq!(results.len(), cases.len());

    let (mut valid, mut expired, mut revoked) = (0, 0, 0);
    for (case, r) in cases.iter().zip(&results) {
        let id = case["id"].as_str().unwrap();
        let award = site.awards.iter().find(|a| a.id == id).unwrap();
        if case["email"] == "someone.else@example.com" {
            assert_eq!(r["valid"], false, "a wrong email must not match: {r}");
            assert!(
                r["errors"].to_string().to_lowercase().contains("recipient"),
                "{r}"
            );
            continue;
        }
        match award.status {
            Status::Valid => {
                assert_eq!(r["valid"], true, "{id} should be valid: {r}");
                assert_eq!(r["errors"], json!([]), "{id}: {r}");
                valid += 1;
            }
            Status::Expired => {
                assert_eq!(r["valid"], false, "{id} is expired: {r}");
                assert!(
                    r["errors"].to_string().to_lowercase().contains("expire"),
                    "{id}: {r}"
                );
                expired += 1;
            }
            Status::Revoked => {
                // The hosted copy is the reduced revocation notice; validator
                // 1.1.2 rejects it (missing assertion properties) rather than
                // naming the revocation, which is what a verifier must do.
                assert_eq!(r["valid"], false, "{id} is revoked: {r}");
                assert_ne!(r["errors"], json!([]), "{id}: {r}");
                revoked += 1;
            }
        }
        // openbadges-bakery reads our baked PNG back to the assertion.
        let unbaked: Value =
            serde_json::from_str(r["unbaked"].as_str().expect("unbaked text")).unwrap();
        assert_eq!(unbaked["id"], format!("{base}/verify/{id}/assertion.json"));
        assert_eq!(unbaked["type"], "Assertion");
    }
    assert!(
        valid >= 50 && expired >= 1 && revoked >= 1,
        "valid {valid}, expired {expired}, revoked {revoked}"
    );
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn javascript_reference_stack_verifies_every_example_credential() {
    let (node_dir, script) = node_script("ob3_verify.mjs");
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example_at(&public, None, now());
    let cases_file = credential_cases(&site, &public, tmp.path());
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&cases_file).unwrap()).unwrap();

    let results = json_lines(
        Command::new("node").current_dir(&node_dir).args([
            script.to_str().unwrap(),
            public.to_str().unwrap(),
            &site.base_url,
            cases_file.to_str().unwrap(),
        ]),
        "ob3_verify.mjs",
    );
    assert_eq!(results.len(), cases.len());
    let (mut valid_n, mut revoked_n) = (0, 0);
    for r in &results {
        if r["name"] == "tampered" {
            assert_eq!(r["verified"], false, "a changed character must fail: {r}");
            continue;
        }
        let award = site
            .awards
            .iter()
            .find(|a| a.id == r["name"].as_str().unwrap())
            .unwrap();
        let expired = award.expires_on.is_some_and(|e| e <= site.now);
        match award.status {
            Status::Valid => {
                assert_eq!(r["verified"], true, "{r}");
                valid_n += 1;
            }
            Status::Revoked if !expired => {
                assert_eq!(r["verified"], false, "{r}");
                assert_eq!(r["revoked"], true, "the status list says revoked: {r}");
                revoked_n += 1;
            }
            // Past validUntil: the library rejects it before looking at status.
            _ => {
                assert_eq!(r["verified"], false, "{r}");
                assert!(r["errors"].to_string().contains("validUntil"), "{r}");
            }
        }
    }
    assert!(
        valid_n >= 50 && revoked_n >= 1,
        "valid {valid_n}, revoked {revoked_n}"
    );
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn verifier_core_accepts_every_example_credential_schema_included() {
    let (node_dir, script) = node_script("ob3_verifier_core.mjs");
    let schema =
        example_root().join("tests/external/ob3-schema/ob_v3p0_achievementcredential_schema.json");

    // verifier-core judges expiry and the status list by today's clock.
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example_at(&public, None, now());
    let cases_file = credential_cases(&site, &public, tmp.path());
    let cases: Vec<Value> = serde_json::from_slice(&std::fs::read(&cases_file).unwrap()).unwrap();

    let results = json_lines(
        Command::new("node").current_dir(&node_dir).args([
            script.to_str().unwrap(),
            public.to_str().unwrap(),
            &site.base_url,
            schema.to_str().unwrap(),
            cases_file.to_str().unwrap(),
        ]),
        "ob3_verifier_core.mjs",
    );
    assert_eq!(results.len(), cases.len());
    let mut counts = std::collections::BTreeMap::new();
    for r in &results {
        assert_eq!(r["refused"], json!([]), "everything is served offline: {r}");
        if r["name"] == "tampered" {
            assert!(
                r["fatal"].to_string().contains("invalid_signature"),
                "a changed character must be fatal: {r}"
            );
            continue;
        }
        let award = site
            .awards
            .iter()
            .find(|a| a.id == r["name"].as_str().unwrap())
            .unwrap();
        let expired = award.expires_on.is_some_and(|e| e <= site.now);
        let revoked = award.revoked.is_some();
        assert_eq!(r["fatal"], json!([]), "{r}");
        let expected = json!({
            "valid_signature": true,
            "expiration": !expired,
            "revocation_status": !revoked,
        });
        for (step, value) in expected.as_object().unwrap() {
            assert_eq!(&r["steps"][step], value, "{step} of {}: {r}", award.id);
        }
        let schema = r["schema"].as_array().unwrap();
        assert_eq!(schema.len(), 1, "{r}");
        assert_eq!(
            schema[0]["schema"],
            "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
        );
        assert_eq!(schema[0]["valid"], true, "1EdTech schema: {r}");
        *counts.entry((revoked, expired)).or_insert(0) += 1;
    }
    let count = |k| counts.get(&k).copied().unwrap_or(0);
    assert!(
        count((false, false)) >= 50 && count((true, false)) >= 1 && count((false, true)) >= 1,
        "valid, revoked and expired credentials all checked: {counts:?}"
    );
}

/// A Node script of `tests/external/`, copied beside `node_modules` (bare
/// imports resolve from the script's folder): (that folder, the script).
/// Several tests run the same script at once: the copy is renamed into
/// place, so none ever starts a half-written one.
pub fn node_script(name: &str) -> (std::path::PathBuf, std::path::PathBuf) {
    let modules = std::path::PathBuf::from(tool("ACCOLADE_TEST_NODE_MODULES"));
    let node_dir = modules.parent().unwrap().to_path_buf();
    let script = node_dir.join(name);
    let partial = tempfile::NamedTempFile::new_in(&node_dir).unwrap();
    std::fs::copy(
        example_root().join("tests/external").join(name),
        partial.path(),
    )
    .unwrap();
    partial.persist(&script).unwrap();
    (node_dir, script)
}

/// A cases file for the Node verifiers: every published credential, named
/// by its award id, and a genuine one with one character changed
/// (`tampered`), which must be fatal.
fn credential_cases(
    site: &accolade::site::Site,
    public: &std::path::Path,
    dir: &std::path::Path,
) -> std::path::PathBuf {
    let credential = |id: &str| public.join(accolade::paths::credential(id));
    let mut cases: Vec<Value> = site
        .awards
        .iter()
        .map(|a| json!({ "name": a.id, "file": credential(&a.id) }))
        .collect();
    let valid = site
        .awards
        .iter()
        .find(|a| a.status == Status::Valid)
        .unwrap();
    let text = std::fs::read_to_string(credential(&valid.id)).unwrap();
    // Hosted compact: `"validFrom":"2026-…`; the year's last digit changes.
    let at = text.find("\"validFrom\":\"").unwrap() + "\"validFrom\":\"".len() + 3;
    let mut tampered = text.into_bytes();
    tampered[at] = if tampered[at] == b'0' { b'1' } else { b'0' };
    let tampered_file = dir.join("tampered.json");
    std::fs::write(&tampered_file, tampered).unwrap();
    cases.push(json!({ "name": "tampered", "file": tampered_file }));
    let cases_file = dir.join("cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();
    cases_file
}
