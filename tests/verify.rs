//! `accolade verify`: three outcomes that are never confused — genuine and
//! valid (exit 0), not valid (1: forged, changed, revoked, expired, someone
//! else's), could not check (2: unreadable, unsupported, network failure)
//! — offline against a built site and over HTTPS from a local server with
//! a certificate made here.

use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;

use crate::common::*;
use accolade::openbadges::bake;
use serde_json::{Value, json};

struct Site {
    f: Fixture,
    public: PathBuf,
}

impl Site {
    /// The fixture site with a revoked and an expired award, built for
    /// `base_url` (default: its own https://cred.example.org).
    fn build(base_url: Option<&str>) -> Site {
        let f = Fixture::new();
        f.append("content/awards/a.yaml", &revoked_and_expired("unl-bob"));
        let mut args = vec!["build"];
        if let Some(url) = base_url {
            args.extend(["--base-url", url]);
        }
        let r = f.run(&args);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let public = f.path().join("public");
        Site { f, public }
    }

    fn new() -> Site {
        Site::build(None)
    }

    fn file(&self, rel: &str) -> String {
        self.public.join(rel).to_string_lossy().into_owned()
    }

    /// `verify INPUT --site public --json EXTRA…`.
    fn verify(&self, input: &str, extra: &[&str]) -> (i32, Value) {
        let site = self.public.to_string_lossy().into_owned();
        let mut args = vec![input, "--site", &site];
        args.extend_from_slice(extra);
        verify_json(&args, &[])
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.f.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }
}

/// Runs `accolade verify ARGS` with the test's clock and no inherited
/// `SSL_CERT_FILE`; `env` adds variables.
fn verify_raw(args: &[&str], env: &[(&str, &str)]) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_accolade"));
    cmd.arg("verify")
        .args(args)
        .env("SOURCE_DATE_EPOCH", NOW.to_string())
        .env_remove("SSL_CERT_FILE");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run accolade");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn verify_json(args: &[&str], env: &[(&str, &str)]) -> (i32, Value) {
    let mut args = args.to_vec();
    args.push("--json");
    let r = verify_raw(&args, env);
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    assert_eq!(
        v["outcome"],
        match r.code {
            0 => "valid",
            1 => "not_valid",
            _ => "could_not_check",
        },
        "the exit code and --json agree: {v}"
    );
    assert_eq!(v["ok"], r.code == 0);
    (r.code, v)
}

#[test]
fn genuine_badges_and_files_verify() {
    let s = Site::new();
    for input in [
        "verify/AAAA2222BBBB/badge.png",
        "verify/AAAA2222BBBB/badge.svg",
        "verify/AAAA2222BBBB/credential.json",
        "verify/AAAA2222BBBB/assertion.json",
    ] {
        let (code, r) = s.verify(&s.file(input), &["--email", "Ann@Example.com"]);
        assert_eq!(code, 0, "{input}: {r}");
        assert_eq!(r["earner"], "Ann Public", "{input}: whose it is");
        assert_eq!(r["badge"], "First Exam");
        assert_eq!(r["issuer"], "Test Issuer");
        assert_eq!(r["status"], "valid");
        assert_eq!(r["email"], true);
        assert_eq!(r["hosted"], "identical");
        assert_eq!(r["problems"], json!([]), "{input}");
    }
    let (_, r) = s.verify(&s.file("verify/AAAA2222BBBB/badge.png"), &[]);
    assert_eq!(
        r["format"], "Open Badges 3.0",
        "the signed credential is preferred"
    );
    assert!(r["signature"].as_str().unwrap().starts_with("valid"), "{r}");
    assert!(
        r["signed_by"]
            .as_str()
            .unwrap()
            .starts_with("did:web:cred.example.org#z6Mk"),
        "{r}"
    );
    // Both baked credentials were checked, and each says so.
    let checked = r["checked"].as_array().unwrap();
    assert_eq!(checked.len(), 2, "{r}");
    assert_eq!(checked[0]["format"], "Open Badges 3.0 credential");
    assert_eq!(checked[1]["format"], "Open Badges 2.0 assertion");
    for c in checked {
        assert_eq!(c["outcome"], "valid", "{c}");
        assert_eq!(c["conclusion"], "genuine and valid");
    }
    // By URL, offline against the built site.
    let (code, r) = s.verify("https://cred.example.org/verify/AAAA2222BBBB/", &[]);
    assert_eq!(code, 0, "{r}");
    // Wrong email: genuine, but not theirs.
    let (code, r) = s.verify(
        &s.file("verify/AAAA2222BBBB/badge.png"),
        &["--email", "mallory@example.com"],
    );
    assert_eq!(code, 1);
    assert_eq!(r["email"], false);
    assert!(
        r["problems"]
            .to_string()
            .contains("not issued to mallory@example.com")
    );
}

#[test]
fn the_text_report_leads_with_the_verdict_and_aligns_its_labels() {
    let s = Site::new();
    let site = s.public.to_string_lossy().into_owned();
    let png = s.file("verify/AAAA2222BBBB/badge.png");
    let r = verify_raw(&[&png, "--site", &site], &[]);
    assert_eq!(r.code, 0);
    let mut lines = r.stdout.lines();
    assert_eq!(lines.next(), Some("GENUINE AND VALID"));
    let rest: Vec<&str> = lines.collect();
    assert!(
        rest.iter().any(|l| l.contains("Ann Public")),
        "{}",
        r.stdout
    );
    // Every value starts in the same column.
    let columns: Vec<usize> = rest
        .iter()
        .map(|l| {
            let label_end = l.find(": ").or_else(|| l.find(':')).unwrap() + 1;
            label_end + l[label_end..].len() - l[label_end..].trim_start().len()
        })
        .collect();
    assert!(columns.windows(2).all(|w| w[0] == w[1]), "{}", r.stdout);
    assert!(
        rest.iter().any(|l| l.contains("checked:")
            && l.contains("Open Badges 2.0 assertion: genuine and valid")),
        "{}",
        r.stdout
    );

    let revoked = s.file("verify/REVK2222AAAA/badge.png");
    let r = verify_raw(&[&revoked, "--site", &site], &[]);
    assert_eq!(r.code, 1);
    assert!(r.stdout.starts_with("NOT VALID\n"), "{}", r.stdout);
    let r = verify_raw(&[&s.file("nope.png"), "--site", &site], &[]);
    assert_eq!(r.code, 2);
    assert!(r.stdout.starts_with("COULD NOT CHECK"), "{}", r.stdout);
    assert!(!r.stdout.contains("NOT VALID"), "{}", r.stdout);
}

#[test]
fn tampered_revoked_expired_and_foreign_are_not_valid() {
    let s = Site::new();
    // Tampered: the credential's issue date changed and re-baked.
    let png = std::fs::read(s.file("verify/AAAA2222BBBB/badge.png")).unwrap();
    let text = bake::read_png(&png, bake::OB3_KEYWORD).unwrap().remove(0);
    let forged = text.replace("\"validFrom\":\"2026-01-10", "\"validFrom\":\"2025-01-10");
    assert_ne!(forged, text);
    let tampered = s.write(
        "tampered.png",
        &bake::bake_png(&png, bake::OB3_KEYWORD, &forged).unwrap(),
    );
    let (code, r) = s.verify(&tampered, &[]);
    assert_eq!(code, 1);
    assert_eq!(r["signature"], "INVALID", "{r}");
    assert_eq!(r["hosted"], "DIFFERENT");

    // A forged 2.0 assertion beside a genuine 3.0 credential: both are
    // checked, and the image is not valid.
    let text2 = bake::read_png(&png, bake::OB2_KEYWORD).unwrap().remove(0);
    let forged2 = text2.replace("\"issuedOn\":\"2026-01-10", "\"issuedOn\":\"2025-01-10");
    assert_ne!(forged2, text2);
    let mixed = s.write(
        "mixed.png",
        &bake::bake_png(&png, bake::OB2_KEYWORD, &forged2).unwrap(),
    );
    let (code, r) = s.verify(&mixed, &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["checked"][0]["outcome"], "valid", "{r}");
    assert_eq!(r["checked"][1]["outcome"], "not_valid", "{r}");
    assert!(
        r["checked"][1]["conclusion"]
            .as_str()
            .unwrap()
            .contains("differs from the issuer's hosted copy"),
        "{r}"
    );
    assert!(
        r["problems"]
            .to_string()
            .contains("Open Badges 2.0 assertion: the assertion differs"),
        "{r}"
    );

    // Signed by a key the issuer never published.
    let credential: Value = serde_json::from_str(&text).unwrap();
    let mut unsigned = credential.clone();
    unsigned.as_object_mut().unwrap().remove("proof");
    let stranger = accolade::signing::Key::from_seed([9; 32]);
    let vm = accolade::signing::verification_method(
        "did:web:cred.example.org",
        &stranger.public_multikey(),
    );
    let foreign =
        accolade::signing::sign(&unsigned, &stranger, &vm, "2026-01-10T00:00:00Z").unwrap();
    let foreign = s.write(
        "foreign.json",
        serde_json::to_string(&foreign).unwrap().as_bytes(),
    );
    let (code, r) = s.verify(&foreign, &[]);
    assert_eq!(code, 1);
    assert_eq!(r["signature"], "INVALID");
    assert!(
        r["problems"].to_string().contains("does not list the key"),
        "{r}"
    );

    // An award id the issuer never published.
    let invented = text2.replace("AAAA2222BBBB", "ZZZZ9999ZZZZ");
    let invented = s.write("invented.json", invented.as_bytes());
    let (code, r) = s.verify(&invented, &[]);
    assert_eq!(code, 1, "{r}");
    assert!(
        r["problems"]
            .to_string()
            .contains("does not host this assertion"),
        "{r}"
    );

    // Two credentials of one kind in one image: doctored.
    let two = s.write("two.png", &two_chunks(&png, &text2));
    let (code, r) = s.verify(&two, &[]);
    assert_eq!(code, 1, "{r}");
    assert!(r["problems"].to_string().contains("two credentials"), "{r}");
}

#[test]
fn revoked_and_expired_say_what_the_issuer_published() {
    let s = Site::new();
    for input in [
        "verify/REVK2222AAAA/badge.png",
        "verify/REVK2222AAAA/badge.svg",
        "verify/REVK2222AAAA/credential.json",
        "verify/REVK2222AAAA/assertion.json",
    ] {
        let (code, r) = s.verify(&s.file(input), &[]);
        assert_eq!(code, 1, "{input}: {r}");
        assert_eq!(r["status"], "revoked", "{input}: {r}");
        assert_eq!(r["revoked_on"], "2025-06-01", "{input}: {r}");
        assert_eq!(r["revocation_reason"], "Misconduct", "{input}: {r}");
        assert!(
            r["problems"]
                .to_string()
                .contains("revoked by the issuer on 2025-06-01: Misconduct"),
            "{input}: {r}"
        );
    }
    // The image's two credentials both conclude "revoked".
    let (_, r) = s.verify(&s.file("verify/REVK2222AAAA/badge.png"), &[]);
    for c in r["checked"].as_array().unwrap() {
        assert!(c["conclusion"].as_str().unwrap().contains("revoked"), "{c}");
    }
    let site = s.public.to_string_lossy().into_owned();
    let text = verify_raw(
        &[&s.file("verify/REVK2222AAAA/badge.png"), "--site", &site],
        &[],
    )
    .stdout;
    assert!(
        text.contains("revoked on:") && text.contains("Misconduct"),
        "{text}"
    );

    let (code, r) = s.verify(&s.file("verify/EXPX2222AAAA/badge.png"), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["status"], "expired", "{r}");
    assert!(
        r["problems"].to_string().contains("expired on 2026-01-01"),
        "{r}"
    );
}

#[test]
fn credentials_baked_before_proofs_became_arrays_still_verify() {
    let s = Site::new();
    let published: Value = serde_json::from_str(
        &std::fs::read_to_string(s.file("verify/AAAA2222BBBB/credential.json")).unwrap(),
    )
    .unwrap();
    assert!(published["proof"].is_array(), "the OB 3.0 schema's shape");
    let mut old = published.clone();
    old["proof"] = published["proof"][0].clone();
    let old_text = serde_json::to_string(&old).unwrap();
    let json = s.write("old.json", old_text.as_bytes());
    let (code, r) = s.verify(&json, &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(
        r["hosted"], "identical",
        "the same credential in either form"
    );
    // Baked into an image, beside the assertion, as the old builds did.
    let png = std::fs::read(s.file("verify/AAAA2222BBBB/badge.png")).unwrap();
    let old_png = s.write(
        "old.png",
        &bake::bake_png(&png, bake::OB3_KEYWORD, &old_text).unwrap(),
    );
    let (code, r) = s.verify(&old_png, &[]);
    assert_eq!(code, 0, "{r}");
    // The status list is published in the same shape.
    let list: Value =
        serde_json::from_str(&std::fs::read_to_string(s.file("status/revocation.json")).unwrap())
            .unwrap();
    assert!(list["proof"].is_array(), "{}", list["proof"]);
}

#[test]
fn what_cannot_be_checked_is_not_called_forged() {
    let s = Site::new();
    let png = std::fs::read(s.file("verify/AAAA2222BBBB/badge.png")).unwrap();
    let cases: Vec<(&str, Vec<u8>, &str)> = vec![
        (
            "truncated.png",
            png[..png.len() / 2].to_vec(),
            "truncated PNG",
        ),
        (
            "plain.png",
            std::fs::read(s.file("badges/exam-1-110.png")).unwrap(),
            "carries no credential",
        ),
        (
            "bad.json",
            b"{\"type\": \"Assertion\",".to_vec(),
            "not valid JSON",
        ),
        (
            "other.json",
            b"{\"hello\": 1}".to_vec(),
            "not an Open Badges",
        ),
        (
            "empty.svg",
            b"<svg xmlns=\"http://www.w3.org/2000/svg\"/>".to_vec(),
            "carries no credential",
        ),
        (
            "jws.txt",
            b"eyJhbGciOiJFUzI1NiJ9.eyJ4IjoxfQ.c2ln".to_vec(),
            "JWS",
        ),
        (
            "binary.bin",
            vec![0xff, 0xfe, 0x00, 0x80],
            "neither an image nor",
        ),
    ];
    for (name, bytes, expected) in cases {
        let path = s.write(name, &bytes);
        let (code, r) = s.verify(&path, &[]);
        assert_eq!(code, 2, "{name}: {r}");
        assert!(
            r["problems"].to_string().contains(expected),
            "{name}: expected `{expected}` in {r}"
        );
    }
    // A file that is not there, a folder that is not a built site, a
    // credential of another issuer when only this site is at hand.
    let (code, r) = s.verify(&s.file("missing.png"), &[]);
    assert_eq!(code, 2);
    assert!(r["problems"].to_string().contains("cannot read"), "{r}");
    let (code, r) = verify_json(
        &[
            &s.file("verify/AAAA2222BBBB/badge.png"),
            "--site",
            &s.f.path().to_string_lossy(),
        ],
        &[],
    );
    assert_eq!(code, 2);
    assert!(
        r["problems"].to_string().contains("not a built site"),
        "{r}"
    );
    let (code, r) = s.verify("https://other.example/verify/X/", &[]);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["problems"].to_string().contains("not part of the site"),
        "{r}"
    );
    // A credential whose signature is of a kind accolade does not check.
    let mut odd: Value = serde_json::from_str(
        &std::fs::read_to_string(s.file("verify/AAAA2222BBBB/credential.json")).unwrap(),
    )
    .unwrap();
    odd["proof"][0]["cryptosuite"] = json!("ecdsa-rdfc-2019");
    // (and hosted so: otherwise it is simply a changed credential)
    std::fs::write(
        s.file("verify/AAAA2222BBBB/credential.json"),
        odd.to_string(),
    )
    .unwrap();
    let odd = s.write("odd.json", odd.to_string().as_bytes());
    let (code, r) = s.verify(&odd, &[]);
    assert_eq!(code, 2, "{r}");
    assert_eq!(r["signature"], "not checked");
}

#[test]
fn network_failures_could_not_check() {
    // Nothing listens on the port.
    let closed = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let (code, r) = verify_json(
        &[&format!("http://127.0.0.1:{closed}/verify/AAAA2222BBBB/")],
        &[],
    );
    assert_eq!(code, 2, "{r}");
    assert!(r["problems"].to_string().contains("cannot connect"), "{r}");
    // A host name that never resolves (RFC 6761).
    let (code, r) = verify_json(&["https://accolade-test.invalid/verify/AAAA2222BBBB/"], &[]);
    assert_eq!(code, 2, "{r}");
    assert!(
        r["problems"].to_string().contains("does not resolve"),
        "{r}"
    );
    // Other schemes are refused.
    let (code, r) = verify_json(&["ftp://example.org/verify/AAAA2222BBBB/"], &[]);
    assert_eq!(code, 2, "{r}");
}

// ------------------------------------------------------------ over HTTPS

/// A local HTTPS server for a built site, with a certificate for
/// 127.0.0.1 issued by a CA made for the test, plus a few misbehaving
/// addresses.
struct HttpsServer {
    base: String,
    ca_file: PathBuf,
}

impl HttpsServer {
    /// Binds first (the site is built for the port), serves after.
    fn bind() -> (TcpListener, String) {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!(
            "https://127.0.0.1:{}",
            listener.local_addr().unwrap().port()
        );
        (listener, base)
    }

    fn serve(listener: TcpListener, base: String, public: PathBuf, dir: &Path) -> HttpsServer {
        let (config, ca_pem) = tls_config();
        let ca_file = dir.join("test-ca.pem");
        std::fs::write(&ca_file, ca_pem).unwrap();
        let config = Arc::new(config);
        let port = listener.local_addr().unwrap().port();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (config, public) = (config.clone(), public.clone());
                std::thread::spawn(move || serve_one(stream, config, &public, port));
            }
        });
        HttpsServer { base, ca_file }
    }
}

/// A CA, and a server certificate for 127.0.0.1 signed by it.
fn tls_config() -> (rustls::ServerConfig, String) {
    let ca = test_ca();
    let key = rustls::pki_types::PrivateKeyDer::Pkcs8(ca.key_der.into());
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::ring::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .unwrap()
    .with_no_client_auth()
    .with_single_cert(vec![ca.cert_der.into()], key)
    .unwrap();
    (config, ca.ca_pem)
}

/// Answers one request over TLS.
fn serve_one(tcp: TcpStream, config: Arc<rustls::ServerConfig>, public: &Path, port: u16) {
    let conn = rustls::ServerConnection::new(config).unwrap();
    let mut tls = rustls::StreamOwned::new(conn, tcp);
    answer(&mut tls, public, port);
    tls.conn.send_close_notify();
    let _ = tls.flush();
}

/// Reads one request and answers it: a file of the site, or a test address.
fn answer(stream: &mut (impl std::io::Read + Write), public: &Path, port: u16) {
    let mut reader = BufReader::new(&mut *stream);
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return; // e.g. the client refused the certificate
    }
    let mut line = String::new();
    while reader.read_line(&mut line).is_ok_and(|n| n > 2) {
        line.clear();
    }
    let path = request_line.split(' ').nth(1).unwrap_or("/").to_string();
    let (status, headers, body) = route(&path, public, port);
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n",
        body.len()
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&body);
    let _ = stream.flush();
}

fn route(path: &str, public: &Path, port: u16) -> (&'static str, String, Vec<u8>) {
    match path {
        "/big.json" => ("200 OK", String::new(), vec![b' '; 5 << 20]),
        "/page.json" => ("200 OK", String::new(), b"<html>not json</html>".to_vec()),
        "/to-http.json" => (
            "302 Found",
            format!("Location: http://127.0.0.1:{port}/verify/AAAA2222BBBB/credential.json\r\n"),
            Vec::new(),
        ),
        "/loop.json" => ("302 Found", "Location: /loop.json\r\n".into(), Vec::new()),
        "/moved/credential.json" => (
            "301 Moved Permanently",
            "Location: /verify/AAAA2222BBBB/credential.json\r\n".into(),
            Vec::new(),
        ),
        _ => {
            let rel = path.trim_start_matches('/');
            let mut file = public.join(rel);
            if rel.is_empty() || rel.ends_with('/') {
                file = file.join("index.html");
            }
            match std::fs::read(&file) {
                Ok(bytes) if !rel.contains("..") => ("200 OK", String::new(), bytes),
                _ => ("404 Not Found", String::new(), b"not found".to_vec()),
            }
        }
    }
}

#[test]
fn verifies_over_https_with_a_ca_the_user_names() {
    let (listener, base) = HttpsServer::bind();
    let s = Site::build(Some(&base));
    let server = HttpsServer::serve(listener, base.clone(), s.public.clone(), s.f.path());
    let ca = server.ca_file.to_string_lossy().into_owned();
    let url = |award: &str| format!("{}/verify/{award}/", server.base);

    // The credential, did.json and the status list, all over HTTPS.
    let (code, r) = verify_json(&[&url("AAAA2222BBBB"), "--ca-file", &ca], &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["format"], "Open Badges 3.0");
    assert!(r["signature"].as_str().unwrap().starts_with("valid"), "{r}");
    assert_eq!(r["status"], "valid");
    assert_eq!(r["earner"], "Ann Public");
    // The conventional environment variable works the same.
    let (code, r) = verify_json(&[&url("AAAA2222BBBB")], &[("SSL_CERT_FILE", &ca)]);
    assert_eq!(code, 0, "{r}");
    // A baked image from the live site: both credentials checked online.
    let png = s.file("verify/AAAA2222BBBB/badge.png");
    let (code, r) = verify_json(&[&png, "--ca-file", &ca, "--email", "ann@example.com"], &[]);
    assert_eq!(code, 0, "{r}");
    assert_eq!(r["checked"].as_array().unwrap().len(), 2);
    // Revoked and expired, read from the live status list and pages.
    let (code, r) = verify_json(&[&url("REVK2222AAAA"), "--ca-file", &ca], &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["status"], "revoked");
    assert_eq!(r["revocation_reason"], "Misconduct");
    let (code, r) = verify_json(&[&url("EXPX2222AAAA"), "--ca-file", &ca], &[]);
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["status"], "expired");
    // A redirect within the site is followed.
    let moved = format!("{}/moved/credential.json", server.base);
    let (code, r) = verify_json(&[&moved, "--ca-file", &ca], &[]);
    assert_eq!(code, 0, "{r}");
    // An award the issuer does not publish: the issuer's answer, a verdict.
    let (code, r) = verify_json(&[&url("ZZZZ9999ZZZZ"), "--ca-file", &ca], &[]);
    assert_eq!(code, 1, "{r}");
    assert!(
        r["problems"]
            .to_string()
            .contains("no credential at this address"),
        "{r}"
    );
}

#[test]
fn https_failures_each_say_what_failed() {
    let (listener, base) = HttpsServer::bind();
    let s = Site::build(Some(&base));
    let server = HttpsServer::serve(listener, base.clone(), s.public.clone(), s.f.path());
    let ca = server.ca_file.to_string_lossy().into_owned();
    let at = |path: &str| format!("{}{path}", server.base);
    let problems = |r: &Value| r["problems"].to_string();

    // Without the test CA the certificate is not trusted: no verdict.
    let (code, r) = verify_json(&[&at("/verify/AAAA2222BBBB/")], &[]);
    assert_eq!(code, 2, "{r}");
    assert!(problems(&r).contains("TLS failed"), "{r}");
    assert!(
        problems(&r).contains("--ca-file"),
        "the help names the fix: {r}"
    );
    let cases = [
        ("/big.json", "larger than"),
        ("/page.json", "not valid JSON"),
        ("/to-http.json", "not https"),
        ("/loop.json", "redirects"),
    ];
    for (path, expected) in cases {
        let (code, r) = verify_json(&[&at(path), "--ca-file", &ca], &[]);
        assert_eq!(code, 2, "{path}: {r}");
        assert!(
            problems(&r).contains(expected),
            "{path}: expected `{expected}` in {r}"
        );
    }
    // A CA file that is not one is a clear error, never a silent fallback.
    let bogus = s.write("bogus.pem", b"not a certificate");
    let (code, r) = verify_json(&[&at("/verify/AAAA2222BBBB/"), "--ca-file", &bogus], &[]);
    assert_eq!(code, 2, "{r}");
    assert!(problems(&r).contains("holds no certificate"), "{r}");
}

#[test]
fn verifies_a_local_preview_over_plain_http() {
    // `accolade serve` and intranets: http on this machine. did:web is
    // read over http only for a loopback host the credential itself uses.
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let s = Site::build(Some(&format!("http://127.0.0.1:{port}")));
    let public = s.public.clone();
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let public = public.clone();
            std::thread::spawn(move || answer(&mut stream, &public, port));
        }
    });
    let url = format!("http://127.0.0.1:{port}/verify/AAAA2222BBBB/");
    let (code, r) = verify_json(&[&url], &[]);
    assert_eq!(code, 0, "{r}");
    assert!(r["signature"].as_str().unwrap().starts_with("valid"), "{r}");
    let (code, r) = verify_json(
        &[&format!("http://127.0.0.1:{port}/verify/REVK2222AAAA/")],
        &[],
    );
    assert_eq!(code, 1, "{r}");
    assert_eq!(r["revoked_on"], "2025-06-01", "{r}");
}

/// A PNG with a second `openbadges` chunk inserted by hand.
fn two_chunks(png: &[u8], text: &str) -> Vec<u8> {
    let mut data = b"openbadges\0\0\0\0\0".to_vec();
    data.extend_from_slice(text.as_bytes());
    let mut chunk = (data.len() as u32).to_be_bytes().to_vec();
    chunk.extend_from_slice(b"iTXt");
    chunk.extend_from_slice(&data);
    let mut h = crc32fast::Hasher::new();
    h.update(b"iTXt");
    h.update(&data);
    chunk.extend_from_slice(&h.finalize().to_be_bytes());
    let at = 8 + 25; // after the signature and IHDR
    [&png[..at], &chunk, &png[at..]].concat()
}
