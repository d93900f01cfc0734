//! `accolade verify`: genuine, tampered, revoked, expired, foreign-key and
//! malformed inputs each get a clear answer and the right exit code.

use crate::common::*;
use accolade::openbadges::bake;
use serde_json::Value;

struct Site {
    f: Fixture,
    public: std::path::PathBuf,
}

impl Site {
    fn new() -> Site {
        let f = Fixture::new();
        f.append("content/awards/a.yaml", &revoked_and_expired("unl-bob"));
        assert_eq!(f.build().code, 0);
        let public = f.path().join("public");
        Site { f, public }
    }

    fn file(&self, rel: &str) -> String {
        self.public.join(rel).to_string_lossy().into_owned()
    }

    fn verify(&self, input: &str, extra: &[&str]) -> (i32, Value) {
        let site = self.public.to_string_lossy().into_owned();
        let mut args = vec!["verify", input, "--site", &site, "--json"];
        args.extend_from_slice(extra);
        let r = self.f.run(&args);
        let v: Value = serde_json::from_str(&r.stdout)
            .unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
        (r.code, v)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> String {
        let p = self.f.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        p.to_string_lossy().into_owned()
    }
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
        assert_eq!(r["ok"], true);
        assert_eq!(r["earner"], "Ann Public", "{input}: whose it is");
        assert_eq!(r["badge"], "First Exam");
        assert_eq!(r["issuer"], "Test Issuer");
        assert_eq!(r["status"], "valid");
        assert_eq!(r["email"], true);
        assert_eq!(r["hosted"], "identical");
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
}

#[test]
fn tampered_revoked_expired_and_foreign_are_rejected() {
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

    // A forged 2.0 assertion beside a genuine 3.0 credential.
    let text2 = bake::read_png(&png, bake::OB2_KEYWORD).unwrap().remove(0);
    let forged2 = text2.replace("\"issuedOn\":\"2026-01-10", "\"issuedOn\":\"2025-01-10");
    assert_ne!(forged2, text2);
    let mixed = s.write(
        "mixed.png",
        &bake::bake_png(&png, bake::OB2_KEYWORD, &forged2).unwrap(),
    );
    let (code, r) = s.verify(&mixed, &[]);
    assert_eq!(code, 1, "{r}");
    assert!(
        r["problems"]
            .to_string()
            .contains("baked beside the credential differs"),
        "{r}"
    );

    let (code, r) = s.verify(&s.file("verify/REVK2222AAAA/badge.png"), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["status"], "revoked", "{r}");
    assert_eq!(
        s.verify(&s.file("verify/REVK2222AAAA/assertion.json"), &[])
            .1["status"],
        "revoked"
    );

    let (code, r) = s.verify(&s.file("verify/EXPX2222AAAA/badge.png"), &[]);
    assert_eq!(code, 1);
    assert_eq!(r["status"], "expired", "{r}");

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
}

#[test]
fn malformed_inputs_get_clear_answers() {
    let s = Site::new();
    let png = std::fs::read(s.file("verify/AAAA2222BBBB/badge.png")).unwrap();
    let assertion = bake::read_png(&png, bake::OB2_KEYWORD).unwrap().remove(0);
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
        ("two.png", two_chunks(&png, &assertion), "two credentials"),
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
    ];
    for (name, bytes, expected) in cases {
        let path = s.write(name, &bytes);
        let (code, r) = s.verify(&path, &[]);
        assert_eq!(code, 1, "{name}");
        assert_eq!(r["ok"], false);
        assert!(
            r["problems"].to_string().contains(expected),
            "{name}: expected `{expected}` in {r}"
        );
    }
    // The plain-text report names the problem too.
    let r = s.f.run(&[
        "verify",
        &s.write("t.png", &png[..100]),
        "--site",
        &s.public.to_string_lossy(),
    ]);
    assert_eq!(r.code, 1);
    assert!(
        r.stdout.contains("NOT VALID") && r.stdout.contains("truncated PNG"),
        "{}",
        r.stdout
    );
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
