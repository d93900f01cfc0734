//! Endorsements signed by the endorser: `accolade endorse request` writes
//! the unsigned `EndorsementCredential`, `accolade endorse sign` signs it
//! with the endorser's key (did:key, or a did:web whose document is written
//! beside it), and a build checks every file of `content/endorsements/`,
//! publishes the good ones where their ids say, shows them on the badge and
//! verification pages, and embeds those in force on a credential's version
//! date in its Achievement or issuer Profile. The example site's published
//! endorsements are checked by the JavaScript reference stack and
//! verifier-core (`#[ignore]`d: they need the tools `scripts/test`
//! installs).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use crate::validators::node_script;
use serde_json::{Value, json};

/// The 1EdTech schema verifier-core picks for a VC 2.0 EndorsementCredential.
const ENDORSEMENT_SCHEMA: &str =
    "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json";

/// 2027-01-01T00:00:00Z: two months after [`NOW`].
const LATER: i64 = 1_798_761_600;

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn write_json(path: &Path, value: &Value) {
    let text = serde_json::to_string_pretty(value).unwrap() + "\n";
    std::fs::write(path, text).unwrap();
}

/// Runs `accolade ARGS` on the fixture and fails the test unless it succeeds.
fn ok(f: &Fixture, args: &[&str]) -> Run {
    let r = f.run(args);
    assert_eq!(r.code, 0, "accolade {}:\n{}", args.join(" "), r.stderr);
    r
}

/// Writes the Ed25519 key of `seed` to `rel` in the fixture.
fn key(f: &Fixture, rel: &str, seed: u8) {
    accolade::signing::Key::from_seed([seed; 32])
        .write_key(&f.path().join(rel))
        .unwrap();
}

/// `accolade endorse request SUBJECT --endorser WHO --comment WORDS --on ON
/// --out OUT` (OUT relative to the fixture): the request it wrote.
fn request(f: &Fixture, subject: &str, who: &str, words: &str, on: &str, out: &str) -> Value {
    ok(
        f,
        &[
            "endorse",
            "request",
            subject,
            "--endorser",
            who,
            "--comment",
            words,
            "--on",
            on,
            "--out",
            out,
        ],
    );
    read_json(&f.path().join(out))
}

/// `accolade endorse sign FILE --key KEY [--did DID]`, in place: the
/// signed endorsement.
fn sign(f: &Fixture, file: &str, key: &str, did: Option<&str>) -> Value {
    let mut args = vec!["endorse", "sign", file, "--key", key];
    if let Some(did) = did {
        args.extend(["--did", did]);
    }
    ok(f, &args);
    read_json(&f.path().join(file))
}

/// An unsigned request of the fixture edited by `edit`, then signed by
/// `key`: for the endorsements `endorse request` would not write.
fn edit_and_sign(f: &Fixture, file: &str, key: &str, edit: impl Fn(&mut Value)) -> Value {
    let path = f.path().join(file);
    let mut doc = read_json(&path);
    edit(&mut doc);
    write_json(&path, &doc);
    sign(f, file, key, None)
}

/// Copies `file` of the fixture into `content/endorsements/NAME`.
fn install(f: &Fixture, file: &str, name: &str) {
    let dir = f.path().join("content/endorsements");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::copy(f.path().join(file), dir.join(name)).unwrap();
}

/// `line:column` (1-based, in bytes) of the first `needle` in `text`.
fn position(text: &str, needle: &str) -> String {
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("no {needle:?} in:\n{text}"));
    let line = text[..at].matches('\n').count() + 1;
    let column = at - text[..at].rfind('\n').map_or(0, |n| n + 1) + 1;
    format!("{line}:{column}")
}

/// The diagnostics of a run's stderr, each from its `error:` or `warning:`
/// line to the next.
fn diagnostics(stderr: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in stderr.lines() {
        if line.starts_with("error: ") || line.starts_with("warning: ") {
            out.push(String::new());
        }
        if let Some(d) = out.last_mut() {
            d.push_str(line);
            d.push('\n');
        }
    }
    out
}

/// Asserts the run reported exactly one diagnostic about endorsement file
/// `name`, a `severity` ("error" or "warning") saying `message`, located at
/// the first `needle` of the file.
fn assert_located(
    f: &Fixture,
    stderr: &str,
    severity: &str,
    name: &str,
    needle: &str,
    message: &str,
) {
    let rel = format!("content/endorsements/{name}");
    let text = std::fs::read_to_string(f.path().join(&rel)).unwrap();
    let about: Vec<String> = diagnostics(stderr)
        .into_iter()
        .filter(|d| d.contains(&format!("--> {rel}:")))
        .collect();
    assert_eq!(about.len(), 1, "one diagnostic about {rel}:\n{stderr}");
    let d = &about[0];
    assert!(
        d.starts_with(&format!("{severity}: ")),
        "{rel} is a {severity}:\n{d}"
    );
    assert!(d.contains(message), "{rel} says {message:?}:\n{d}");
    let at = position(&text, needle);
    assert!(
        d.contains(&format!("--> {rel}:{at}\n")),
        "{rel} located at {needle:?} ({at}):\n{d}"
    );
}

/// The credential of award `id`, as published.
fn credential(f: &Fixture, id: &str) -> Value {
    serde_json::from_str(&f.out(&accolade::paths::credential(id))).unwrap()
}

/// What a credential carries in `achievement.endorsement` and
/// `issuer.endorsement` (`null` when absent).
fn carried(c: &Value) -> (Value, Value) {
    (
        c["credentialSubject"]["achievement"]["endorsement"].clone(),
        c["issuer"]["endorsement"].clone(),
    )
}

/// Every file of `dir` with its bytes.
fn snapshot(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

/// The published endorsements of an output folder, by file name.
fn published(public: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(public.join("endorsements")) else {
        return Vec::new();
    };
    let mut names: Vec<String> = entries
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

#[test]
fn a_did_key_endorsement_is_published_shown_and_carried_from_its_date() {
    let f = Fixture::new();
    // The site as it was: exam-1 awards issued on 2026-01-10 (those of the
    // public and the unlisted earner are published).
    ok(&f, &["build"]);
    let before: Vec<(&str, String)> = ["AAAA2222BBBB", "CCCC3333DDDD"]
        .into_iter()
        .map(|id| (id, f.out(&accolade::paths::credential(id))))
        .collect();

    let r = ok(&f, &["keys", "generate", "--out", "endorser.ed25519"]);
    let multikey = r
        .stdout
        .lines()
        .chain(r.stderr.lines())
        .find_map(|l| l.strip_prefix("Public key (Multikey): "))
        .expect("keys generate prints the public key")
        .to_string();
    let words = "Meets our hiring bar: our members accept it in place of their own test.";
    ok(
        &f,
        &[
            "endorse",
            "request",
            "exam-1",
            "--endorser",
            "Guild",
            "--url",
            "https://guild.example",
            "--comment",
            words,
            "--on",
            "2026-03-01",
        ],
    );
    // Written beside the content, named after the subject and endorser.
    let unsigned = read_json(&f.path().join("exam-1-guild.json"));
    assert_eq!(
        unsigned,
        json!({
            "@context": [
                "https://www.w3.org/ns/credentials/v2",
                "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
            ],
            "id": "https://cred.example.org/endorsements/exam-1-guild.json",
            "type": ["VerifiableCredential", "EndorsementCredential"],
            "name": "Guild endorses First Exam",
            "issuer": { "type": ["Profile"], "name": "Guild", "url": "https://guild.example" },
            "validFrom": "2026-03-01T00:00:00Z",
            "credentialSubject": {
                "id": "https://cred.example.org/badges/exam-1/",
                "type": ["EndorsementSubject"],
                "endorsementComment": words,
            },
        })
    );

    let signed = sign(&f, "exam-1-guild.json", "endorser.ed25519", None);
    let did = format!("did:key:{multikey}");
    assert_eq!(signed["issuer"]["id"], did);
    let proof = &signed["proof"][0];
    assert_eq!(proof["type"], "DataIntegrityProof");
    assert_eq!(proof["cryptosuite"], "eddsa-rdfc-2022");
    assert_eq!(proof["proofPurpose"], "assertionMethod");
    assert_eq!(proof["verificationMethod"], format!("{did}#{multikey}"));
    assert_eq!(proof["created"], "2026-03-01T00:00:00Z");
    let mut without_proof = signed.clone();
    without_proof.as_object_mut().unwrap().remove("proof");
    without_proof["issuer"]
        .as_object_mut()
        .unwrap()
        .remove("id");
    assert_eq!(
        without_proof, unsigned,
        "signing adds the issuer id and proof only"
    );

    install(&f, "exam-1-guild.json", "exam-1-guild.json");
    // New awards: one on the endorsement's first day, one after, one before,
    // one issued before and corrected after, and one of another badge (to a
    // new earner: a certification supersedes its holder's exam-1 awards).
    f.append(
        "content/earners/people.yaml",
        "- { id: pub-eve, name: Eve Public, email: eve@example.com, profile: public, auto_accept: true }\n",
    );
    f.append(
        "content/awards/a.yaml",
        "- { id: WHEN2222AAAA, badge: exam-1, earner: pub-ann, issued_on: 2026-03-01 }\n\
         - { id: AFTR2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2026-04-01 }\n\
         - { id: BEFR2222AAAA, badge: exam-1, earner: unl-bob, issued_on: 2026-02-28 }\n\
         - { id: REVS2222AAAA, badge: exam-1, earner: pub-ann, issued_on: 2026-01-05, revised_on: 2026-06-01 }\n\
         - { id: CERT2222AAAA, badge: cert-1, earner: pub-eve, issued_on: 2026-04-01 }\n",
    );
    ok(&f, &["build"]);

    // Published where its id says, exactly as signed.
    assert_eq!(published(&f.path().join("public")), ["exam-1-guild.json"]);
    let public: Value = serde_json::from_str(&f.out("endorsements/exam-1-guild.json")).unwrap();
    assert_eq!(public, signed);

    // Adding it changed no credential already issued.
    for (id, text) in &before {
        assert_eq!(
            &f.out(&accolade::paths::credential(id)),
            text,
            "{id}'s credential is as issued"
        );
    }
    // Credentials carry it from its date on, in the Achievement only.
    for (id, carries) in [
        ("AAAA2222BBBB", false),
        ("BEFR2222AAAA", false),
        ("WHEN2222AAAA", true),
        ("AFTR2222AAAA", true),
        ("REVS2222AAAA", true),
        ("CERT2222AAAA", false),
    ] {
        let c = credential(&f, id);
        let (achievement, issuer) = carried(&c);
        let expected = if carries {
            json!([signed])
        } else {
            Value::Null
        };
        assert_eq!(
            achievement, expected,
            "{id} (version of {})",
            c["validFrom"]
        );
        assert_eq!(issuer, Value::Null, "{id}: a badge's endorsement");
    }
    assert_eq!(
        credential(&f, "REVS2222AAAA")["validFrom"],
        "2026-06-01T00:00:00Z"
    );

    // The badge page says who, in their words, since when, and links the JSON.
    let page = f.out("badges/exam-1/index.html");
    assert!(
        page.contains("Endorsed by <a href=https://guild.example rel=noopener>Guild</a>"),
        "{page}"
    );
    assert!(page.contains(words), "the endorser's words: {page}");
    assert!(
        page.contains("<time datetime=2026-03-01>1 March 2026</time>"),
        "{page}"
    );
    assert!(
        page.contains("href=../../endorsements/exam-1-guild.json"),
        "a link to the signed JSON: {page}"
    );
    // In the other language too, the words as signed (not translated).
    let zh = f.out("zh-CN/badges/exam-1/index.html");
    assert!(zh.contains("背书方："), "{zh}");
    assert!(zh.contains(words), "{zh}");
    assert!(!f.out("badges/cert-1/index.html").contains("Endorsed by"));

    // Every verification page of an exam-1 award shows it; cert-1's does not.
    for id in [
        "AAAA2222BBBB",
        "CCCC3333DDDD",
        "WHEN2222AAAA",
        "AFTR2222AAAA",
        "BEFR2222AAAA",
        "REVS2222AAAA",
    ] {
        let page = f.out(&accolade::paths::page_file(&accolade::paths::award_page(
            id,
        )));
        assert!(
            page.contains(">Guild</a>") && page.contains(words),
            "{id}: {page}"
        );
        assert!(
            page.contains("endorsements/exam-1-guild.json"),
            "{id}: {page}"
        );
    }
    let cert = f.out(&accolade::paths::page_file(&accolade::paths::award_page(
        "CERT2222AAAA",
    )));
    assert!(!cert.contains("Endorsed by"), "{cert}");

    // Open Badges 2.0 documents do not carry it.
    for doc in [
        "badges/exam-1.json".to_string(),
        "issuer.json".to_string(),
        accolade::paths::assertion("AFTR2222AAAA"),
    ] {
        assert!(!f.out(&doc).contains("endorsement"), "{doc}");
    }
}

#[test]
fn an_endorsement_of_the_issuer_goes_into_the_issuer_profile() {
    let f = Fixture::new();
    key(&f, "council.ed25519", 9);
    // The endorser's words are theirs, markup characters included.
    let words = r#"Their exams are proctored <b>well</b> & "fairly"."#;
    let unsigned = request(&f, "issuer", "Council", words, "2026-01-01", "council.json");
    assert_eq!(
        unsigned["credentialSubject"]["id"],
        "did:web:cred.example.org"
    );
    assert_eq!(unsigned["name"], "Council endorses Test Issuer");
    let signed = sign(&f, "council.json", "council.ed25519", None);
    install(&f, "council.json", "issuer-council.json");
    ok(&f, &["build"]);

    assert_eq!(published(&f.path().join("public")), ["issuer-council.json"]);
    let public: Value = serde_json::from_str(&f.out("endorsements/issuer-council.json")).unwrap();
    assert_eq!(public, signed);
    for id in ["AAAA2222BBBB", "CCCC3333DDDD"] {
        let (achievement, issuer) = carried(&credential(&f, id));
        assert_eq!(issuer, json!([signed]), "{id}");
        assert_eq!(achievement, Value::Null, "{id}: not the badge's");
    }
    // Verification pages show it, escaped; badge pages show their badge's only.
    let page = f.out(&accolade::paths::page_file(&accolade::paths::award_page(
        "AAAA2222BBBB",
    )));
    assert!(page.contains("Endorsed by Council"), "{page}");
    assert!(
        page.contains(
            "Their exams are proctored &lt;b&gt;well&lt;/b&gt; &amp; &quot;fairly&quot;."
        ),
        "{page}"
    );
    assert!(!page.contains("<b>well"), "{page}");
    assert!(page.contains("endorsements/issuer-council.json"), "{page}");
    assert!(!f.out("badges/exam-1/index.html").contains("Endorsed by"));
}

#[test]
fn a_did_web_endorsement_needs_its_did_document_beside_it() {
    let f = Fixture::new();
    key(&f, "guild.ed25519", 9);
    request(
        &f,
        "exam-1",
        "Web Guild",
        "Meets our bar.",
        "2026-01-01",
        "web.json",
    );
    let r = ok(
        &f,
        &[
            "endorse",
            "sign",
            "web.json",
            "--key",
            "guild.ed25519",
            "--did",
            "did:web:guild.example",
        ],
    );
    assert!(r.stderr.contains("guild.example.did.json"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("https://guild.example/.well-known/did.json"),
        "{}",
        r.stderr
    );
    let signed = read_json(&f.path().join("web.json"));
    let document = read_json(&f.path().join("guild.example.did.json"));
    assert_eq!(signed["issuer"]["id"], "did:web:guild.example");
    assert_eq!(document["id"], "did:web:guild.example");
    let vm = &signed["proof"][0]["verificationMethod"];
    assert_eq!(&document["verificationMethod"][0]["id"], vm);
    assert_eq!(document["assertionMethod"], json!([vm]));

    // Without its DID document, the build cannot check it: it stops.
    install(&f, "web.json", "exam-1-web-guild.json");
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_located(
        &f,
        &r.stderr,
        "error",
        "exam-1-web-guild.json",
        "\"issuer\"",
        "no DID document of did:web:guild.example is in content/endorsements/",
    );
    assert!(!f.exists("index.html"), "nothing is built");

    // A document of that DID with another key is no better.
    let wrong = accolade::signing::did_document(
        "did:web:guild.example",
        &accolade::signing::Key::from_seed([10; 32]),
        &[],
    );
    write_json(
        &f.path().join("content/endorsements/guild.example.did.json"),
        &wrong,
    );
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_located(
        &f,
        &r.stderr,
        "error",
        "exam-1-web-guild.json",
        "\"proofValue\"",
        "the endorsement's signature does not verify",
    );

    // The document `endorse sign` wrote, beside it: it passes.
    install(&f, "guild.example.did.json", "guild.example.did.json");
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    // The endorsement is published; the DID document is the endorser's to host.
    assert_eq!(
        published(&f.path().join("public")),
        ["exam-1-web-guild.json"]
    );
    let public: Value = serde_json::from_str(&f.out("endorsements/exam-1-web-guild.json")).unwrap();
    assert_eq!(public, signed);
    assert!(
        !files(&f.path().join("public"))
            .iter()
            .any(|p| p.to_string_lossy().contains("guild.example")),
        "the endorser's did.json is not published"
    );
    let (achievement, _) = carried(&credential(&f, "AAAA2222BBBB"));
    assert_eq!(achievement, json!([signed]));
    assert!(
        f.out("badges/exam-1/index.html")
            .contains("Endorsed by Web Guild")
    );
}

#[test]
fn bad_endorsements_stop_the_build_each_with_a_located_error() {
    let f = Fixture::new();
    key(&f, "endorser.ed25519", 9);
    key(&f, "other.ed25519", 10);
    // The requests first: `endorse request` needs content without errors.
    request(
        &f,
        "exam-1",
        "Guild",
        "Meets our hiring bar.",
        "2026-03-01",
        "good.json",
    );
    let good = sign(&f, "good.json", "endorser.ed25519", None);
    request(
        &f,
        "exam-1",
        "Forger",
        "Endorsed, says the Guild.",
        "2026-03-01",
        "forged.json",
    );
    let forged = sign(&f, "forged.json", "other.ed25519", None);
    request(
        &f,
        "exam-1",
        "Nobody",
        "About nothing here.",
        "2026-03-01",
        "nope.json",
    );
    edit_and_sign(&f, "nope.json", "endorser.ed25519", |d| {
        d["credentialSubject"]["id"] = json!("https://cred.example.org/badges/nope/");
    });
    // Requested and signed on 2027-01-01, valid from 2026-12-01: after NOW.
    for args in [
        &[
            "endorse",
            "request",
            "exam-1",
            "--endorser",
            "Early",
            "--comment",
            "Soon.",
            "--on",
            "2026-12-01",
            "--out",
            "future.json",
        ][..],
        &[
            "endorse",
            "sign",
            "future.json",
            "--key",
            "endorser.ed25519",
        ],
    ] {
        let r = run_at(f.path(), args, LATER);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }

    install(&f, "good.json", "exam-1-guild.json");
    ok(&f, &["build"]);
    let public = f.path().join("public");
    let previous = snapshot(&public);

    let dir = f.path().join("content/endorsements");
    let good_text = std::fs::read_to_string(dir.join("exam-1-guild.json")).unwrap();
    // One character of the comment changed.
    let tampered = good_text.replacen("Meets our hiring bar.", "Meets our hiring bar!", 1);
    assert_ne!(tampered, good_text);
    std::fs::write(dir.join("b-tampered.json"), tampered).unwrap();
    let malformed = "{\n  \"id\": \"https://cred.example.org/endorsements/x.json\",\n  oops\n}\n";
    std::fs::write(dir.join("d-malformed.json"), malformed).unwrap();
    // Says the Guild's key is its issuer, but is signed with another one…
    let mut claims = forged.clone();
    claims["issuer"]["id"] = good["issuer"]["id"].clone();
    write_json(&dir.join("e-forged-issuer.json"), &claims);
    // …or says it is signed with the Guild's key too.
    claims["proof"][0]["verificationMethod"] = good["proof"][0]["verificationMethod"].clone();
    write_json(&dir.join("f-forged-key.json"), &claims);
    std::fs::copy(f.path().join("nope.json"), dir.join("g-nope.json")).unwrap();
    std::fs::copy(f.path().join("future.json"), dir.join("h-future.json")).unwrap();
    std::fs::write(dir.join("z-duplicate.json"), &good_text).unwrap();

    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_located(
        &f,
        &r.stderr,
        "error",
        "b-tampered.json",
        "\"proofValue\"",
        "the endorsement's signature does not verify",
    );
    let serde = serde_json::from_str::<Value>(malformed).unwrap_err();
    assert_eq!((serde.line(), serde.column()), (3, 3));
    assert_located(
        &f,
        &r.stderr,
        "error",
        "d-malformed.json",
        "oops",
        &format!("not valid JSON: {serde}"),
    );
    assert_located(
        &f,
        &r.stderr,
        "error",
        "e-forged-issuer.json",
        "\"verificationMethod\"",
        &format!(
            "it is signed with {}, which is not a key of its issuer {}",
            forged["proof"][0]["verificationMethod"].as_str().unwrap(),
            good["issuer"]["id"].as_str().unwrap()
        ),
    );
    assert_located(
        &f,
        &r.stderr,
        "error",
        "f-forged-key.json",
        "\"proofValue\"",
        "the endorsement's signature does not verify",
    );
    assert_located(
        &f,
        &r.stderr,
        "error",
        "g-nope.json",
        "\"id\": \"https://cred.example.org/badges/nope/\"",
        "it endorses `https://cred.example.org/badges/nope/`, which is neither this issuer nor one of its badges",
    );
    assert_located(
        &f,
        &r.stderr,
        "error",
        "h-future.json",
        "\"validFrom\"",
        "it is valid only from 2026-12-01, after today (2026-11-01)",
    );
    assert_located(
        &f,
        &r.stderr,
        "error",
        "z-duplicate.json",
        "\"id\": \"https://cred.example.org/endorsements/exam-1-guild.json\"",
        "another endorsement has the id https://cred.example.org/endorsements/exam-1-guild.json",
    );
    // Those and nothing else: the good one is not blamed.
    let errors: Vec<String> = diagnostics(&r.stderr)
        .into_iter()
        .filter(|d| d.starts_with("error: ") && d.contains("--> "))
        .collect();
    assert_eq!(errors.len(), 7, "{}", r.stderr);
    assert!(
        r.stderr.contains("build failed with 7 errors"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr
            .contains("--> content/endorsements/exam-1-guild.json:"),
        "{}",
        r.stderr
    );
    // The previous output is left as it was, byte for byte.
    assert!(snapshot(&public) == previous, "public/ changed");
}

#[test]
fn expired_endorsements_leave_the_pages_and_other_sites_are_left_out() {
    let f = Fixture::new();
    key(&f, "endorser.ed25519", 9);
    let words = "Meets our hiring bar.";
    request(&f, "exam-1", "Guild", words, "2026-01-01", "good.json");
    let good = sign(&f, "good.json", "endorser.ed25519", None);
    install(&f, "good.json", "exam-1-guild.json");
    // Valid from 2025-01-01 until 2026-06-01: expired before NOW.
    request(
        &f,
        "exam-1",
        "Old Guild",
        "It was good.",
        "2025-01-01",
        "old.json",
    );
    edit_and_sign(&f, "old.json", "endorser.ed25519", |d| {
        d["validUntil"] = json!("2026-06-01T00:00:00Z");
    });
    install(&f, "old.json", "exam-1-old-guild.json");
    // Built while the old one was in force (2026-05-01): the credential of
    // an award issued 2026-01-10 carries it ...
    let r = run_at(f.path(), &["build"], 1_777_593_600);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let (achievement, _) = carried(&credential(&f, "AAAA2222BBBB"));
    assert_eq!(
        achievement.as_array().map(Vec::len),
        Some(2),
        "{achievement}"
    );
    // ... and keeps it once it has expired: a later build changes no
    // credential (it would stop and ask for new versions).
    // About a badge of another site (its content was copied here).
    request(
        &f,
        "exam-1",
        "Far Guild",
        "Far away.",
        "2026-01-01",
        "far.json",
    );
    edit_and_sign(&f, "far.json", "endorser.ed25519", |d| {
        d["credentialSubject"]["id"] = json!("https://other.example.org/badges/exam-1/");
    });
    install(&f, "far.json", "far-guild.json");
    // Made for another site altogether (it moved, or the content was copied).
    let other = Fixture::new();
    other.write(
        "content/site.yaml",
        &full(SITE).replace("https://cred.example.org", "https://other.example.org"),
    );
    key(&other, "endorser.ed25519", 9);
    request(
        &other,
        "exam-1",
        "Guild",
        words,
        "2026-01-01",
        "elsewhere.json",
    );
    sign(&other, "elsewhere.json", "endorser.ed25519", None);
    std::fs::copy(
        other.path().join("elsewhere.json"),
        f.path().join("content/endorsements/elsewhere.json"),
    )
    .unwrap();

    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_located(
        &f,
        &r.stderr,
        "warning",
        "exam-1-old-guild.json",
        "\"validUntil\"",
        "this endorsement expired on 2026-06-01: pages no longer show it",
    );
    assert_located(
        &f,
        &r.stderr,
        "warning",
        "far-guild.json",
        "\"id\": \"https://other.example.org/badges/exam-1/\"",
        "this endorsement is about another site (https://other.example.org/badges/exam-1/); this one is https://cred.example.org: it is left out",
    );
    assert_located(
        &f,
        &r.stderr,
        "warning",
        "elsewhere.json",
        "\"id\": \"https://other.example.org/endorsements/exam-1-guild.json\"",
        "this endorsement is about another site (https://other.example.org/endorsements/exam-1-guild.json); this one is https://cred.example.org: it is left out",
    );
    assert!(!r.stderr.contains("error"), "{}", r.stderr);

    // The other sites' are left out; the expired one is published still,
    // for the credentials that carry it, and no longer shown.
    assert_eq!(
        published(&f.path().join("public")),
        ["exam-1-guild.json", "exam-1-old-guild.json"]
    );
    let public: Value = serde_json::from_str(&f.out("endorsements/exam-1-guild.json")).unwrap();
    assert_eq!(public, good);
    let page = f.out("badges/exam-1/index.html");
    assert!(page.contains("Endorsed by Guild"), "{page}");
    for left_out in ["Old Guild", "Far Guild", "It was good.", "Far away."] {
        assert!(!page.contains(left_out), "{left_out}: {page}");
    }
    let (achievement, issuer) = carried(&credential(&f, "AAAA2222BBBB"));
    let old: Value = serde_json::from_str(&f.out("endorsements/exam-1-old-guild.json")).unwrap();
    assert_eq!(achievement, json!([good, old]));
    assert_eq!(issuer, Value::Null);
}

#[test]
fn the_endorse_commands_refuse_what_they_cannot_do() {
    let f = Fixture::new();
    key(&f, "endorser.ed25519", 9);
    request(
        &f,
        "exam-1",
        "Guild",
        "Meets our bar.",
        "2026-01-01",
        "good.json",
    );
    sign(&f, "good.json", "endorser.ed25519", None);
    let signed_text = std::fs::read_to_string(f.path().join("good.json")).unwrap();

    // A file signed already.
    let r = f.run(&["endorse", "sign", "good.json", "--key", "endorser.ed25519"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr
            .contains("cannot sign `good.json`: it is signed already (it has a `proof`)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        std::fs::read_to_string(f.path().join("good.json")).unwrap(),
        signed_text,
        "left as it was"
    );

    // JSON that is no endorsement: a credential of an award, and an array.
    let ob = f.path().join("credential.json");
    let mut credential = json!({
        "@context": ["https://www.w3.org/ns/credentials/v2"],
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": { "id": "did:web:cred.example.org", "type": ["Profile"] },
        "validFrom": "2026-01-10T00:00:00Z",
    });
    write_json(&ob, &credential);
    let r = f.run(&[
        "endorse",
        "sign",
        "credential.json",
        "--key",
        "endorser.ed25519",
    ]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains(
            "cannot sign `credential.json`: it is not an EndorsementCredential (see `type`)"
        ),
        "{}",
        r.stderr
    );
    assert_eq!(read_json(&ob), credential, "left as it was");
    credential = json!([1, 2]);
    write_json(&ob, &credential);
    let r = f.run(&[
        "endorse",
        "sign",
        "credential.json",
        "--key",
        "endorser.ed25519",
    ]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("the file is not a JSON object"),
        "{}",
        r.stderr
    );
    std::fs::write(&ob, "{ not json").unwrap();
    let r = f.run(&[
        "endorse",
        "sign",
        "credential.json",
        "--key",
        "endorser.ed25519",
    ]);
    assert_ne!(r.code, 0);
    assert!(
        r.stderr.contains("`credential.json` is not JSON"),
        "{}",
        r.stderr
    );

    // A DID that is not the key's, or neither did:key nor did:web.
    request(
        &f,
        "exam-1",
        "Guild",
        "Meets our bar.",
        "2026-01-01",
        "again.json",
    );
    let other = format!(
        "did:key:{}",
        accolade::signing::Key::from_seed([10; 32]).public_multikey()
    );
    for (did, says) in [
        (other.as_str(), "is not the did:key of this key"),
        ("did:example:guild", "is neither a did:key nor a did:web"),
    ] {
        let r = f.run(&[
            "endorse",
            "sign",
            "again.json",
            "--key",
            "endorser.ed25519",
            "--did",
            did,
        ]);
        assert_ne!(r.code, 0, "{did}");
        assert!(r.stderr.contains(says), "{did}: {}", r.stderr);
    }
    assert!(
        read_json(&f.path().join("again.json"))
            .get("proof")
            .is_none()
    );

    // A request about nothing of this site, or valid from a future day.
    let r = f.run(&[
        "endorse",
        "request",
        "nope",
        "--endorser",
        "Guild",
        "--comment",
        "Hm.",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`nope` is neither `issuer` nor the id of a badge"),
        "{}",
        r.stderr
    );
    let r = f.run(&[
        "endorse",
        "request",
        "exam-1",
        "--endorser",
        "Guild",
        "--comment",
        "Hm.",
        "--on",
        "2026-12-01",
    ]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("`--on 2026-12-01` is in the future"),
        "{}",
        r.stderr
    );
    assert!(!f.path().join("exam-1-guild.json").exists());
}

/// The example's published endorsements, each with a copy whose
/// `endorsementComment` has one character changed (`tampered-<name>`):
/// (cases file, the genuine ones by name).
fn endorsement_cases(public: &Path, dir: &Path) -> (PathBuf, Vec<(String, Value)>) {
    let mut cases = Vec::new();
    let mut genuine = Vec::new();
    for name in published(public) {
        let file = public.join("endorsements").join(&name);
        let text = std::fs::read_to_string(&file).unwrap();
        genuine.push((name.clone(), serde_json::from_str(&text).unwrap()));
        cases.push(json!({ "name": name, "file": file }));
        let key = "\"endorsementComment\":\"";
        let at = text.find(key).unwrap_or_else(|| panic!("{name}: {text}")) + key.len() + 2;
        let mut bytes = text.into_bytes();
        bytes[at] = if bytes[at] == b'x' { b'y' } else { b'x' };
        let tampered = dir.join(format!("tampered-{name}"));
        std::fs::write(&tampered, bytes).unwrap();
        cases.push(json!({ "name": format!("tampered-{name}"), "file": tampered }));
    }
    let cases_file = dir.join("endorsement-cases.json");
    std::fs::write(&cases_file, serde_json::to_vec(&cases).unwrap()).unwrap();
    (cases_file, genuine)
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn example_endorsements_verify_with_the_reference_tools() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example_at(&public, None, NOW);
    let content = example_root().join("content/endorsements");
    let (cases_file, genuine) = endorsement_cases(&public, tmp.path());

    // Published exactly as signed: one did:web endorsement of a badge, one
    // did:key endorsement of the issuer (at least).
    for (name, value) in &genuine {
        assert_eq!(value, &read_json(&content.join(name)), "{name}");
    }
    let endorser = |v: &Value| v["issuer"]["id"].as_str().unwrap().to_string();
    assert!(
        genuine
            .iter()
            .any(|(_, v)| endorser(v).starts_with("did:web:")
                && v["credentialSubject"]["id"]
                    .as_str()
                    .unwrap()
                    .contains("/badges/")),
        "{genuine:?}"
    );
    assert!(
        genuine
            .iter()
            .any(|(_, v)| endorser(v).starts_with("did:key:")
                && v["credentialSubject"]["id"] == site.issuing.did),
        "{genuine:?}"
    );

    // The JavaScript reference stack, the endorser's did:web document read
    // from content/endorsements/ (as an endorser would host it).
    let (node_dir, script) = node_script("ob3_verify.mjs");
    let results = json_lines(
        Command::new("node").current_dir(&node_dir).args([
            script.to_str().unwrap(),
            public.to_str().unwrap(),
            &site.base_url,
            cases_file.to_str().unwrap(),
            content.to_str().unwrap(),
        ]),
        "ob3_verify.mjs",
    );
    assert_eq!(results.len(), 2 * genuine.len());
    for r in &results {
        if r["name"].as_str().unwrap().starts_with("tampered-") {
            assert_eq!(r["verified"], false, "a changed comment must fail: {r}");
        } else {
            assert_eq!(r["verified"], true, "{r}");
            assert_eq!(r["errors"], json!([]), "{r}");
        }
    }

    // verifier-core: did:key resolved by itself, the did:web document
    // fetched from https://guild.example.org/.well-known/did.json (served
    // from content/endorsements/). For an EndorsementCredential it picks the
    // 1EdTech EndorsementCredential schema, which the repository holds no
    // copy of: offline, its schema step can only say it could not load it.
    let (node_dir, script) = node_script("ob3_verifier_core.mjs");
    let schema_dir = example_root().join("tests/external/ob3-schema");
    let schema = schema_dir.join("ob_v3p0_achievementcredential_schema.json");
    let endorsement_schema_copy = schema_dir
        .join("ob_v3p0_endorsementcredential_schema.json")
        .exists();
    let core = |dids: Option<&Path>| {
        let mut cmd = Command::new("node");
        cmd.current_dir(&node_dir).args([
            script.to_str().unwrap(),
            public.to_str().unwrap(),
            &site.base_url,
            schema.to_str().unwrap(),
            cases_file.to_str().unwrap(),
        ]);
        if let Some(dids) = dids {
            cmd.arg(dids);
        }
        json_lines(&mut cmd, "ob3_verifier_core.mjs")
    };
    let results = core(Some(&content));
    assert_eq!(results.len(), 2 * genuine.len());
    for r in &results {
        if r["name"].as_str().unwrap().starts_with("tampered-") {
            assert!(
                r["fatal"].to_string().contains("invalid_signature"),
                "a changed comment must be fatal: {r}"
            );
            continue;
        }
        assert_eq!(r["fatal"], json!([]), "{r}");
        assert_eq!(r["steps"]["valid_signature"], true, "{r}");
        assert_eq!(r["steps"]["expiration"], true, "{r}");
        if endorsement_schema_copy {
            assert_eq!(r["refused"], json!([]), "{r}");
            assert_eq!(
                r["schema"],
                json!([{ "schema": ENDORSEMENT_SCHEMA, "valid": true, "errors": [] }]),
                "1EdTech EndorsementCredential schema: {r}"
            );
        } else {
            // It asked for the EndorsementCredential schema (not the
            // AchievementCredential one it was offered) and nothing else,
            // and says it could not check rather than passing.
            assert_eq!(r["refused"], json!([ENDORSEMENT_SCHEMA]), "{r}");
            assert_eq!(
                r["schema"],
                json!([{ "schema": null, "valid": false,
                         "errors": ["INVALID_SCHEMA - possibly not a valid url"] }]),
                "{r}"
            );
        }
    }
    // Without the did:web document it cannot check the Guild's signature:
    // what verified it above was that document.
    for r in core(None) {
        let name = r["name"].as_str().unwrap();
        let value = genuine.iter().find(|(n, _)| n == name).map(|(_, v)| v);
        if let Some(v) = value.filter(|v| endorser(v).starts_with("did:web:")) {
            assert_ne!(r["fatal"], json!([]), "{r}");
            let did_url = accolade::signing::did_web_url(&endorser(v)).unwrap();
            assert!(
                r["refused"].as_array().unwrap().contains(&json!(did_url)),
                "{r}"
            );
        }
    }

    // The example credentials that embed them, exactly as published (the
    // validators tests verify every example credential).
    let (mut in_achievement, mut in_issuer) = (0, 0);
    for award in &site.awards {
        let file = public.join(accolade::paths::credential(&award.id));
        if !file.exists() {
            continue; // not published (a private profile, say)
        }
        let (achievement, issuer) = carried(&read_json(&file));
        for (list, count) in [(achievement, &mut in_achievement), (issuer, &mut in_issuer)] {
            let Some(list) = list.as_array().cloned() else {
                continue;
            };
            for e in &list {
                assert!(
                    genuine.iter().any(|(_, v)| v == e),
                    "{}: an embedded endorsement is a published one: {e}",
                    award.id
                );
            }
            *count += 1;
        }
    }
    assert!(
        in_achievement >= 1 && in_issuer >= 1,
        "achievement.endorsement in {in_achievement}, issuer.endorsement in {in_issuer}"
    );
}
