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

/// The text of an award page's print QR code (its `data-qr-text`, which
/// the page draws as a QR code when printed; tests/browser/print.mjs
/// reads the printed code back with zbar).
pub fn print_qr_text(public: &Path, page: &str) -> String {
    let html = std::fs::read_to_string(public.join(page).join("index.html")).unwrap();
    let start = html.find("data-qr-text=").expect("a print QR code") + "data-qr-text=".len();
    let rest = html[start..].trim_start_matches('"');
    rest[..rest.find(['"', ' ', '>']).unwrap()].to_string()
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
    let (mut versions, mut bytes) = (Vec::new(), Vec::new());
    for (page, a, lang) in print_pages(&site) {
        let award = &site.awards[a];
        let text = print_qr_text(&public, &page);
        let verifier = site.url(&format!("{}verify/", site.lang_prefix(&lang)));
        assert!(
            text.starts_with(&format!("{verifier}#VC1-")),
            "{page}: {text}"
        );
        versions.push(qr_version(&text));
        let cborld = print::from_text(&text).unwrap();
        bytes.push(cborld.len());
        let doc = print::decompress(&cborld).unwrap();
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
        "print QR versions (level M) on the example: {}..={max}; CBOR-LD {}..={} bytes",
        versions.iter().min().unwrap(),
        bytes.iter().min().unwrap(),
        bytes.iter().max().unwrap()
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
    assert!(
        r.stdout.contains("no QR code found in the image"),
        "{}",
        r.stdout
    );
}

/// The interface strings of the example's theme in `lang`.
fn strings(lang: &str) -> accolade::render::i18n::Strings {
    let root = example_root();
    let (loaded, diags) = accolade::build::resolve(&root, None, NOW);
    let (content, _) = loaded.unwrap_or_else(|| panic!("{}", diags.render(&root)));
    accolade::render::i18n::Strings::load(&content.theme, lang)
        .unwrap_or_else(|_| panic!("no strings for {lang}"))
}

/// A print QR code's text with one character of its base32 changed, at
/// `at` characters after `#VC1-`.
fn one_character_changed(text: &str, at: usize) -> String {
    const B32: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    let i = text.find("#VC1-").unwrap() + 5 + at;
    let c = text.as_bytes()[i];
    let other = B32[(B32.iter().position(|&b| b == c).unwrap() + 13) % 32] as char;
    let mut bad = text.to_string();
    bad.replace_range(i..=i, &other.to_string());
    bad
}

/// Issue 28's "what must show", in Chromium with the network off after one
/// visit to each language's verifier: every example certificate's print
/// QR (all awards, both languages) says what the award's status is; one
/// changed character says forged; a revoked award says revoked as of the
/// date the cached status list was fetched; a code signed by another key
/// that claims this issuer is forged, another issuer's is refused; the
/// Chinese verifier answers in Chinese; no script error or CSP violation.
/// Also times a verdict on a throttled phone (printed, not asserted).
#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn printed_certificates_verify_offline_in_the_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let key =
        accolade::signing::Key::load(&example_root().join("keys/demo-issuer.ed25519")).unwrap();
    let other_key = accolade::signing::Key::from_seed([7; 32]);
    let prefix_of = |lang: &str| site.lang_prefix(lang).to_string();

    // Every certificate of the example, as printed.
    let mut codes = Vec::new();
    let mut expect: Vec<(String, String, &'static str)> = Vec::new(); // key, lang, result
    let mut printed = std::collections::HashMap::new();
    for (page, a, lang) in print_pages(&site) {
        let text = print_qr_text(&public, &page);
        printed.insert((a, lang.clone()), text.clone());
        codes.push(json!({"key": page, "text": text}));
        expect.push((page, lang, site.awards[a].status.as_str()));
    }
    let pick = |s: Status| {
        site.awards
            .iter()
            .position(|a| a.status == s)
            .unwrap_or_else(|| panic!("the example has a {s:?} award"))
    };
    let valid = pick(Status::Valid);
    let zh = site
        .languages
        .iter()
        .find(|l| l.as_str() != site.default_lang())
        .unwrap()
        .clone();
    let en = site.default_lang().to_string();

    // One character changed, in several places (never the last character,
    // whose low bits are padding).
    let genuine = &printed[&(valid, en.clone())];
    let b32_len = genuine.len() - genuine.find("#VC1-").unwrap() - 5;
    let mut tampered = Vec::new();
    for at in [0, 7, 40, 120, 250, b32_len / 2, b32_len - 40, b32_len - 8] {
        let key = format!("changed at {at}");
        codes.push(json!({"key": key, "text": one_character_changed(genuine, at)}));
        tampered.push((key, en.clone()));
    }
    let genuine_zh = &printed[&(valid, zh.clone())];
    codes.push(json!({"key": "zh changed at 100", "text": one_character_changed(genuine_zh, 100)}));
    tampered.push(("zh changed at 100".to_string(), zh.clone()));

    // Made with another key, claiming this issuer: naming that key, or
    // naming the issuer's own key.
    let verifier = |lang: &str| genuine_url_part(&printed[&(valid, lang.to_string())]);
    let award = &site.awards[valid];
    let own_key_named = print::Facts::of(&site, award, &en, &key);
    let other_key_named = print::Facts::of(&site, award, &en, &other_key);
    for (name, facts) in [
        ("another key, naming it", &other_key_named),
        ("another key, naming the issuer's", &own_key_named),
    ] {
        let signed = facts.sign(&other_key).unwrap();
        let bytes = print::compress(facts, &signed).unwrap();
        // The reference decoder reads it: it is well formed, just not the issuer's.
        assert_eq!(print::decompress(&bytes).unwrap(), signed, "{name}");
        codes.push(
            json!({"key": name, "text": format!("{}#{}", verifier(&en), print::to_text(&bytes))}),
        );
    }
    // Another issuer's certificate (its own did:web and key).
    let mut foreign = print::Facts::of(&site, award, &en, &other_key);
    let other_did = "did:web:other-academy.example";
    foreign.issuer_did = other_did.into();
    foreign.issuer_name = "Other Academy".into();
    foreign.award_url = foreign
        .award_url
        .replace("credentials.example.org", "other-academy.example");
    foreign.badge_url = foreign
        .badge_url
        .replace("credentials.example.org", "other-academy.example");
    foreign.status_list = foreign
        .status_list
        .replace("credentials.example.org", "other-academy.example");
    foreign.verification_method =
        accolade::signing::verification_method(other_did, &other_key.public_multikey());
    for lang in [&en, &zh] {
        let mut f = foreign.clone();
        f.issuer_name = format!("Other Academy ({lang})");
        let signed = f.sign(&other_key).unwrap();
        let bytes = print::compress(&f, &signed).unwrap();
        assert_eq!(print::decompress(&bytes).unwrap(), signed);
        codes.push(json!({"key": format!("another issuer {lang}"), "text": format!("{}#{}", verifier(lang), print::to_text(&bytes))}));
    }

    // The phone: a valid award with no expiry date (the phone's clock is
    // the real one), in the default language.
    let timed = site
        .awards
        .iter()
        .position(|a| a.status == Status::Valid && a.expires_on.is_none())
        .unwrap_or(valid);
    let n_codes = codes.len();
    // Too long for one command-line argument: in a file.
    let codes_file = tmp.path().join("codes.json");
    std::fs::write(&codes_file, serde_json::to_vec(&codes).unwrap()).unwrap();
    let result = crate::browser::run_script(
        "print_offline.mjs",
        &public,
        json!({
            "now": NOW,
            "verifiers": [format!("{}verify/", prefix_of(&en)), format!("{}verify/", prefix_of(&zh))],
            "codes": codes_file,
            "phone": { "text": printed[&(timed, en.clone())], "runs": 7 },
        }),
    );
    eprintln!(
        "offline: {n_codes} codes in {} ms; first visits (until cached): {}",
        result["codesMs"], result["ready"]
    );
    let phone = &result["phone"];
    eprintln!(
        "time to a verdict offline, phone profile (390x844, CPU 4x slower): median {} ms, max {} ms, min {} ms; runs {}",
        phone["median"], phone["max"], phone["min"], phone["runs"]
    );
    assert_eq!(result["onLine"], false, "the browser is offline");
    assert_eq!(
        result["controlled"], true,
        "the service worker serves the page"
    );

    // The date the cached status list was fetched (the real clock), as
    // each language writes it; not the pages' clock (the build's date).
    let stamp = result["stamp"].as_str().expect("a cached status list");
    let fetched = &stamp[..10];
    assert_ne!(
        fetched,
        &site.now.to_datetime()[..10],
        "the check needs the pages' clock to differ from the fetch date"
    );
    let s = |lang: &str| strings(lang);
    let (s_en, s_zh) = (s(&en), s(&zh));
    let lang_strings = |lang: &str| if lang == en { &s_en } else { &s_zh };

    for (key, lang, want) in &expect {
        let v = &result["verdicts"][key];
        assert_eq!(v["result"], *want, "{key}: {v}");
        let t = lang_strings(lang);
        let date = human_date(t, fetched);
        assert_eq!(
            v["label"],
            t.get(&format!("verifier_status_{want}")),
            "{key}: {v}"
        );
        let checks: Vec<&str> = v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["text"].as_str().unwrap())
            .collect();
        let status_line = if *want == "revoked" {
            t.fill("verifier_check_revoked_asof", &[("date", &date)])
        } else {
            t.fill("verifier_check_status_asof", &[("date", &date)])
        };
        assert!(
            checks.iter().any(|c| c.ends_with(&status_line)),
            "{key}: no \"{status_line}\" in {checks:?}"
        );
        assert!(
            checks
                .iter()
                .any(|c| c.ends_with(t.get("verifier_check_signature_ok"))),
            "{key}: {checks:?}"
        );
        let offline = t.fill("verifier_print_offline", &[("date", &date)]);
        assert_eq!(v["hints"], json!([offline]), "{key}: {v}");
        assert_eq!(v["onLine"], false, "{key}");
    }
    // Not a single valid verdict for an altered code.
    for (key, lang) in &tampered {
        let v = &result["verdicts"][key];
        eprintln!("{key}: {} ({})", v["result"], v["reason"]);
        assert_eq!(v["result"], "forged", "{key}: {v}");
        assert_eq!(
            v["label"],
            lang_strings(lang).get("verifier_status_tampered"),
            "{key}: {v}"
        );
        assert_eq!(
            v["facts"],
            json!({}),
            "{key}: a forged code's claims are not shown"
        );
    }
    for key in ["another key, naming it", "another key, naming the issuer's"] {
        let v = &result["verdicts"][key];
        assert_eq!(v["result"], "forged", "{key}: {v}");
        assert_eq!(v["facts"], json!({}), "{key}: {v}");
    }
    assert_eq!(
        result["verdicts"]["another key, naming it"]["note"],
        s_en.get("verifier_print_note_unknown_key")
    );
    assert_eq!(
        result["verdicts"]["another key, naming the issuer's"]["note"],
        s_en.get("verifier_print_note_forged")
    );
    for lang in [&en, &zh] {
        let key = format!("another issuer {lang}");
        let v = &result["verdicts"][&key];
        let t = lang_strings(lang);
        assert_eq!(v["result"], "foreign", "{key}: {v}");
        assert_eq!(v["label"], t.get("verifier_status_tampered"), "{key}");
        assert_eq!(
            v["note"],
            t.fill("verifier_print_note_foreign", &[("issuer", other_did)]),
            "{key}"
        );
    }
    // The Chinese verifier speaks Chinese.
    let zh_valid =
        &result["verdicts"][&format!("{}verify/{}/", prefix_of(&zh), site.awards[valid].id)];
    assert_eq!(zh_valid["label"], "真实有效", "{zh_valid}");
    assert!(
        zh_valid["note"].as_str().unwrap().contains("未被撤销"),
        "{zh_valid}"
    );

    assert_eq!(phone["verdict"]["result"], "valid", "{phone}");
    assert_eq!(phone["viewport"], json!({"width": 390, "height": 844}));
    for r in phone["runs"].as_array().unwrap() {
        assert_eq!(r["result"], "valid", "{phone}");
    }
    // Last, so the verdicts above are checked whatever happens here.
    assert_eq!(
        result["problems"],
        json!([]),
        "script errors, CSP violations or failed loads, online or offline"
    );
}

/// A `YYYY-MM-DD` date as the theme writes dates in a language (what
/// `Strings::date` does, for a date the test only has as text).
fn human_date(t: &accolade::render::i18n::Strings, iso: &str) -> String {
    let n = |r: std::ops::Range<usize>| iso[r].parse::<usize>().unwrap();
    let (year, month, day) = (n(0..4), n(5..7), n(8..10));
    let months = t.all["months"].as_array().unwrap();
    t.fill(
        "date_format",
        &[
            ("day", &day.to_string()),
            ("month", months[month - 1].as_str().unwrap()),
            ("month_number", &month.to_string()),
            ("year", &year.to_string()),
        ],
    )
}

/// The verifier's address a print QR code opens (before `#`).
fn genuine_url_part(text: &str) -> &str {
    &text[..text.find('#').unwrap()]
}

/// The verifier page's own QR reader (static/qrscan.js, for browsers
/// without BarcodeDetector) reads what zbar reads, under camera conditions,
/// and never a wrong text (tests/qrscan/run.mjs).
#[test]
#[ignore = "needs node, zbar and the npm `qrcode` package installed by scripts/install-test-tools"]
fn the_page_qr_reader_reads_certificates_as_zbar_does() {
    let out = Command::new("node")
        .arg(example_root().join("tests/qrscan/run.mjs"))
        .env("QRSCAN_NODE", example_root().join("target/node/qrscan"))
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    eprintln!("{stdout}");
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}

/// The certificate's code as the page draws it (static/qrgen.js) is the
/// npm `qrcode` package's, module for module, for every mask and level,
/// and zbar reads it (tests/qrgen/run.mjs).
#[test]
#[ignore = "needs node, zbar and the npm `qrcode` package installed by scripts/install-test-tools"]
fn the_page_draws_the_certificate_code_as_a_reference_encoder_does() {
    let out = Command::new("node")
        .arg(example_root().join("tests/qrgen/run.mjs"))
        .env(
            "QRGEN_NODE",
            example_root().join("target/node/qrscan/node_modules"),
        )
        .output()
        .expect("node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains(" 0 failed"), "{stdout}");
}
