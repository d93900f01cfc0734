//! Printed certificates that verify with no network (issue 28): the QR code
//! on each certificate carries a signed print credential
//! (`/verify/#VC1-…`). Read back from the built pages as a scanner reads
//! them, checked against the award, against Digital Bazaar's CBOR-LD
//! library and Data Integrity stack, and by `accolade verify` from a scan,
//! offline.

use std::path::{Path, PathBuf};
use std::process::Command;

use accolade::openbadges::print;
use accolade::site::{Site, Status};
use serde_json::{Value, json};

use crate::common::*;

/// The text of an award page's print QR code, read from its `data:` PNG
/// with rqrr (the decoder `accolade verify` uses).
pub fn print_qr_text(public: &Path, page: &str) -> String {
    let html = std::fs::read_to_string(public.join(page).join("index.html")).unwrap();
    let start = html.find("qr-print src=").expect("a print QR code") + "qr-print src=".len();
    let rest = html[start..].trim_start_matches('"');
    let b64 = &rest["data:image/png;base64,".len()..rest.find(['"', ' ', '>']).unwrap()];
    use base64::Engine;
    let png = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    read_qr(&png)
}

/// A QR code's text from a PNG, scaled up (a 1-pixel module is too small
/// for any reader).
fn read_qr(png: &[u8]) -> String {
    let pixmap = resvg::tiny_skia::Pixmap::decode_png(png).unwrap();
    let (w, h) = (pixmap.width() as usize, pixmap.height() as usize);
    let scale = (600 / w).max(1);
    let grey: Vec<u8> = pixmap.pixels().iter().map(|p| p.red()).collect();
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w * scale, h * scale, |x, y| {
        grey[(y / scale) * w + x / scale]
    });
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code");
    grids[0].decode().unwrap().1
}

/// Every page that has a print QR code: (page path, award, language).
pub fn print_pages(site: &Site) -> Vec<(String, usize, String)> {
    let mut out = Vec::new();
    for (i, a) in site.awards.iter().enumerate() {
        for lang in &site.languages {
            let prefix = site.lang_prefix(lang);
            out.push((format!("{prefix}verify/{}/", a.id), i, lang.clone()));
        }
    }
    out
}

fn qr_version(text: &str) -> usize {
    let m = accolade::qr::Matrix::encode_at(text, qrcode::EcLevel::M).unwrap();
    (m.width - 17) / 4
}

#[test]
fn every_certificate_carries_its_award_signed_and_small_enough() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let did_doc: Value =
        serde_json::from_slice(&std::fs::read(public.join(".well-known/did.json")).unwrap())
            .unwrap();
    let mut versions = Vec::new();
    for (page, a, lang) in print_pages(&site) {
        let award = &site.awards[a];
        let text = print_qr_text(&public, &page);
        let verifier = site.url(&format!("{}verify/", site.lang_prefix(&lang)));
        assert!(
            text.starts_with(&format!("{verifier}#VC1-")),
            "{page}: {text}"
        );
        versions.push(qr_version(&text));
        let doc = print::decompress(&print::from_text(&text).unwrap()).unwrap();
        accolade::signing::verify_with_did_document(&doc, &did_doc)
            .unwrap_or_else(|e| panic!("{page}: {e}"));
        // What the certificate shows, and nothing else.
        assert_eq!(doc["id"], json!(site.verify_url(award)), "{page}");
        assert_eq!(
            print::earner_name(&doc).as_deref(),
            Some(site.earners[award.earner].name.as_str())
        );
        let badge = &site.badges[award.badge];
        assert_eq!(
            doc["credentialSubject"]["achievement"]["name"],
            json!(site.text(&badge.name, &lang)),
            "{page}"
        );
        assert_eq!(doc["issuer"]["name"], json!(site.issuer_name(&lang)));
        assert_eq!(doc["validFrom"], json!(award.version_on.to_datetime()));
        assert_eq!(
            doc["validUntil"].as_str(),
            award.expires_on.map(|d| d.to_datetime()).as_deref()
        );
        let flat = doc.to_string();
        assert!(!flat.contains('@') || !flat.contains(&site.earners[award.earner].email));
        assert!(!flat.contains("identityHash\":\"sha256"), "no hashed email");
    }
    let max = versions.iter().max().unwrap();
    eprintln!(
        "print QR versions (level M) on the example: {}..={max}",
        versions.iter().min().unwrap()
    );
    assert!(*max <= 25, "version {max}");
}

/// The JavaScript reference: @digitalbazaar/cborld gives the same bytes,
/// both decoders (theirs and the page's cborld.js) give the credential
/// back, and the Data Integrity stack verifies it.
#[test]
#[ignore = "needs the npm packages scripts/install-test-tools puts in target/node/print"]
fn the_reference_library_compresses_and_verifies_every_example_credential() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let key =
        accolade::signing::Key::load(&example_root().join("keys/demo-issuer.ed25519")).unwrap();
    let mut items = Vec::new();
    for (page, a, lang) in print_pages(&site) {
        let text = print_qr_text(&public, &page);
        let pc = print::PrintCredential::new(&site, &site.awards[a], &lang, &key).unwrap();
        assert_eq!(
            print::to_text(&pc.cborld),
            text[text.find('#').unwrap() + 1..]
        );
        assert_eq!(print::compress_reference(&pc.json).unwrap(), pc.cborld);
        items.push(
            json!({"credential": pc.json, "qr": text, "publicKeyMultibase": key.public_multikey()}),
        );
    }
    let file = tmp.path().join("print-credentials.json");
    std::fs::write(&file, serde_json::to_vec(&items).unwrap()).unwrap();
    let out = node_print_check(&file);
    assert!(
        out.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains(&format!("ok, {} credentials", items.len())),
        "{stdout}"
    );
}

fn node_print_check(file: &Path) -> std::process::Output {
    let modules = std::env::var("ACCOLADE_PRINT_NODE_MODULES")
        .map(PathBuf::from)
        .unwrap_or_else(|_| example_root().join("target/node/print/node_modules"));
    Command::new("node")
        .arg(example_root().join("tests/print/decode_diff.mjs"))
        .arg("--contexts")
        .arg(example_root().join("src/openbadges/contexts"))
        .arg("--check")
        .arg(file)
        .env("ACCOLADE_PRINT_NODE_MODULES", modules)
        .output()
        .expect("node")
}

/// `accolade verify` reads the code from a scan with only the issuer's DID
/// document: genuine (status unknown offline); one changed character is
/// forged; another issuer's document refuses it; with the site, revoked
/// awards are revoked.
#[test]
fn accolade_verify_checks_a_scanned_certificate_offline() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let did = public.join(".well-known/did.json");
    let valid = site
        .awards
        .iter()
        .find(|a| a.status == Status::Valid)
        .unwrap();
    let revoked = site
        .awards
        .iter()
        .find(|a| a.status == Status::Revoked)
        .unwrap();
    let text = print_qr_text(&public, &format!("verify/{}/", valid.id));
    let root = example_root();

    // A scan: the code drawn at 8 px a module on a white page.
    let scan = tmp.path().join("scan.png");
    let m = accolade::qr::Matrix::encode_at(&text, qrcode::EcLevel::M).unwrap();
    std::fs::write(&scan, m.to_png()).unwrap();
    let r = run_in(
        &root,
        &[
            "verify",
            scan.to_str().unwrap(),
            "--did-document",
            did.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stdout
            .starts_with("GENUINE, BUT ITS STATUS COULD NOT BE CHECKED"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(&site.earners[valid.earner].name),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("valid (eddsa-jcs-2022)"), "{}", r.stdout);

    // The text itself, with the site: genuine and valid.
    let r = run_in(
        &root,
        &["verify", &text, "--site", public.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.starts_with("GENUINE AND VALID"), "{}", r.stdout);

    // One character changed in the code: forged (or unreadable, never valid).
    let hash = text.find("#VC1-").unwrap() + 5;
    for at in [hash + 40, hash + 400, text.len() - 20] {
        let c = text.as_bytes()[at];
        let swapped = if c == b'A' { 'B' } else { 'A' };
        let mut bad = text.clone();
        bad.replace_range(at..=at, &swapped.to_string());
        let r = run_in(
            &root,
            &["verify", &bad, "--did-document", did.to_str().unwrap()],
        );
        assert_eq!(r.code, 1, "{at}: {}", r.stdout);
        assert!(r.stdout.starts_with("NOT VALID"), "{}", r.stdout);
    }

    // Another issuer's DID document: refused.
    let other = tmp.path().join("other-did.json");
    let mut doc: Value = serde_json::from_slice(&std::fs::read(&did).unwrap()).unwrap();
    doc["id"] = json!("did:web:other.example");
    std::fs::write(&other, doc.to_string()).unwrap();
    let r = run_in(
        &root,
        &["verify", &text, "--did-document", other.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("did:web:other.example"), "{}", r.stdout);

    // A revoked award's certificate, with the site's status list.
    let text = print_qr_text(&public, &format!("verify/{}/", revoked.id));
    let r = run_in(
        &root,
        &["verify", &text, "--site", public.to_str().unwrap()],
    );
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("revoked"), "{}", r.stdout);

    // A picture with no code at all says so.
    let art = public.join(format!("badges/{}.png", site.badges[valid.badge].id));
    let r = run_in(
        &root,
        &[
            "verify",
            art.to_str().unwrap(),
            "--did-document",
            did.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(r.stdout.contains("no QR code found"), "{}", r.stdout);
}
