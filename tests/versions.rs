//! Corrections after issue, end to end (issue 22): an issuer corrects a
//! badge's text and an award's record after earners have downloaded their
//! badges. The build refuses the undated change and names the record;
//! `--reissue` dates it; every copy earners hold then still verifies: the
//! old ones as superseded by the new version (judged by its facts), the
//! new ones as identical, in `accolade verify`, on the `/verify/` page in
//! Chromium (en and zh-CN) and in the Digital Credentials Consortium's
//! verifier-core and the JavaScript reference stack. Forgeries of old
//! copies stay forgeries.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use accolade::openbadges::bake;
use serde_json::{Value, json};

const DAY: i64 = 86_400;
/// The badge's text is corrected 10 days after issue ([`NOW`])...
const T1: i64 = NOW + 10 * DAY;
const T1_DATE: &str = "2026-11-11";
/// ...and two award records 10 days after that.
const T2: i64 = NOW + 20 * DAY;
const T2_DATE: &str = "2026-11-21";

/// Ann's award: its badge's text is corrected at T1.
const ANN: &str = "AAAA2222BBBB";
/// Bob's award: evidence added at T2 (and its badge corrected at T1).
const BOB: &str = "CCCC3333DDDD";
/// Eve's award: its expiry brought forward at T2, to before T2.
const EVE: &str = "SHRT6666TTTT";

const AWARDED: &str = "2026-01-10T00:00:00Z";
const SHORTENED: &str = "2026-11-15";

/// The fixture site after the corrections, and the copies earners took
/// along the way (under `kept/`, relative names below).
struct Corrected {
    f: Fixture,
}

impl Corrected {
    fn root(&self) -> &Path {
        self.f.path()
    }

    fn public(&self) -> PathBuf {
        self.root().join("public")
    }

    /// A kept copy: `<who>-<old|new>.<png|svg>`, or `…-credential.json`,
    /// `…-assertion.json`.
    fn kept(&self, name: &str) -> PathBuf {
        let p = self.root().join("kept").join(name);
        assert!(p.exists(), "{name} was not kept");
        p
    }

    fn kept_json(&self, name: &str) -> Value {
        serde_json::from_slice(&std::fs::read(self.kept(name)).unwrap()).unwrap()
    }

    /// A copy made here from a kept one.
    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let p = self.root().join("kept").join(name);
        std::fs::write(&p, bytes).unwrap();
        p
    }

    fn run(&self, args: &[&str], now: i64) -> Run {
        run_at(self.root(), args, now)
    }

    /// Keeps what an earner of `award` holds now: the images `accolade
    /// bake` makes (PNG and SVG: the fixture's artwork is SVG) and the two
    /// hosted documents.
    fn keep(&self, award: &str, name: &str, now: i64) {
        for format in ["png", "svg"] {
            let out = format!("kept/{name}.{format}");
            let r = self.run(&["bake", award, "--format", format, "--out", &out], now);
            assert_eq!(r.code, 0, "bake {award} {format}: {}", r.stderr);
        }
        for doc in ["credential", "assertion"] {
            std::fs::copy(
                self.public().join(format!("verify/{award}/{doc}.json")),
                self.root().join(format!("kept/{name}-{doc}.json")),
            )
            .unwrap();
        }
    }

    fn hosted(&self, award: &str, doc: &str) -> Value {
        serde_json::from_str(&self.f.out(&format!("verify/{award}/{doc}.json"))).unwrap()
    }
}

/// Replaces `from` (which must be there) in a content file.
fn edit(f: &Fixture, rel: &str, from: &str, to: &str) {
    let path = f.path().join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{rel}: no `{from}` in\n{text}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}

/// Issue at [`NOW`], correct the badge's description at [`T1`] and two
/// award records at [`T2`], keeping the earners' copies before and after.
/// A build of an undated correction fails naming the record and leaves
/// the output alone; `build --reissue` writes the date and builds.
fn corrected() -> Corrected {
    let f = Fixture::new();
    f.append(
        "content/earners/people.yaml",
        "- { id: pub-eve, name: Eve Public, email: eve@example.com, profile: public, auto_accept: true }\n",
    );
    f.append(
        "content/awards/a.yaml",
        &format!("- {{ id: {EVE}, badge: exam-1, earner: pub-eve, issued_on: 2026-01-10 }}\n"),
    );
    std::fs::create_dir_all(f.path().join("kept")).unwrap();
    let c = Corrected { f };
    let r = c.run(&["build"], NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    c.keep(ANN, "ann-old", NOW);
    c.keep(EVE, "eve-old", NOW);

    // A typo fixed in the badge's description.
    edit(
        &c.f,
        "content/badges/exam-1.yaml",
        "description: { en: An exam.,",
        "description: { en: An exam of testing.,",
    );
    let refused = c.run(&["build"], T1);
    assert_eq!(refused.code, 1, "an undated correction is refused");
    assert!(
        refused
            .stderr
            .contains("badge `exam-1` changed what 3 credentials already issued say")
            && refused
                .stderr
                .contains("--> content/badges/exam-1.yaml:1:5")
            && refused.stderr.contains("accolade build --reissue"),
        "names the badge's file and the way out: {}",
        refused.stderr
    );
    assert_eq!(
        std::fs::read(c.public().join(format!("verify/{ANN}/credential.json"))).unwrap(),
        std::fs::read(c.kept("ann-old-credential.json")).unwrap(),
        "a refused build publishes nothing"
    );
    let r = c.run(&["build", "--reissue"], T1);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let badge = std::fs::read_to_string(c.root().join("content/badges/exam-1.yaml")).unwrap();
    assert!(
        badge.lines().any(|l| l == format!("revised_on: {T1_DATE}")),
        "{badge}"
    );
    c.keep(ANN, "ann-new", T1);
    c.keep(BOB, "bob-old", T1);

    // Evidence added to Bob's award; Eve's expiry brought forward.
    edit(
        &c.f,
        "content/awards/a.yaml",
        "earner: unl-bob, issued_on: 2026-01-10 }",
        "earner: unl-bob, issued_on: 2026-01-10, evidence: [{ url: \"https://example.org/work/bob\", narrative: Built the **lab**. }] }",
    );
    edit(
        &c.f,
        "content/awards/a.yaml",
        "earner: pub-eve, issued_on: 2026-01-10 }",
        &format!("earner: pub-eve, issued_on: 2026-01-10, expires_on: {SHORTENED} }}"),
    );
    let refused = c.run(&["build"], T2);
    assert_eq!(refused.code, 1, "an undated correction is refused");
    for id in [BOB, EVE] {
        assert!(
            refused.stderr.contains(&format!(
                "the credential of award `{id}` changed (its recipient, dates or evidence), with no new version date"
            )),
            "{id}: {}",
            refused.stderr
        );
    }
    assert!(
        refused.stderr.contains("--> content/awards/a.yaml:2:")
            && refused.stderr.contains("--> content/awards/a.yaml:5:")
            && !refused.stderr.contains("exam-1.yaml"),
        "each record, located, and only those: {}",
        refused.stderr
    );
    let r = c.run(&["build", "--reissue"], T2);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let awards = std::fs::read_to_string(c.root().join("content/awards/a.yaml")).unwrap();
    for (id, dated) in [(ANN, false), (BOB, true), (EVE, true)] {
        let line = awards.lines().find(|l| l.contains(id)).unwrap();
        assert_eq!(
            line.contains(&format!("revised_on: {T2_DATE}")),
            dated,
            "{line}"
        );
    }
    c.keep(BOB, "bob-new", T2);
    c
}

/// `sha256$…` with its last hex digit changed.
fn other_hash(hash: &str) -> String {
    let (head, last) = hash.split_at(hash.len() - 1);
    format!("{head}{}", if last == "0" { "1" } else { "0" })
}

/// Forged copies of old ones: Ann's old credential claimed by someone else
/// (as a JSON file and baked into her old PNG), and Bob's old assertion
/// made into another badge's.
fn forgeries(c: &Corrected) -> [(&'static str, PathBuf); 3] {
    let mut credential = c.kept_json("ann-old-credential.json");
    let id = &mut credential["credentialSubject"]["identifier"][0]["identityHash"];
    *id = json!(other_hash(id.as_str().unwrap()));
    let credential = serde_json::to_string(&credential).unwrap();
    let png = std::fs::read(c.kept("ann-old.png")).unwrap();
    let mut assertion = c.kept_json("bob-old-assertion.json");
    assertion["badge"] = json!("https://cred.example.org/badges/cert-1.json");
    [
        (
            "someone_elses",
            c.write("forged-recipient.json", credential.as_bytes()),
        ),
        (
            "someone_elses_png",
            c.write(
                "forged-recipient.png",
                &bake::bake_png(&png, bake::OB3_KEYWORD, &credential).unwrap(),
            ),
        ),
        (
            "other_badge",
            c.write(
                "forged-badge.json",
                serde_json::to_string(&assertion).unwrap().as_bytes(),
            ),
        ),
    ]
}

#[test]
fn corrections_publish_new_versions_dated_by_reissue() {
    let c = corrected();
    // Ann's: her badge's text changed, so a new 3.0 version; the 2.0
    // assertion only links to the badge, so it is the same.
    let (old, new) = (
        c.kept_json("ann-old-credential.json"),
        c.hosted(ANN, "credential"),
    );
    assert_eq!(old["validFrom"], AWARDED);
    assert_eq!(old.get("awardedDate"), None, "never revised: as before");
    assert_eq!(old["proof"][0]["created"], AWARDED);
    assert_eq!(new["validFrom"], format!("{T1_DATE}T00:00:00Z"));
    assert_eq!(new["awardedDate"], AWARDED, "the issue date stays");
    assert_eq!(new["proof"][0]["created"], format!("{T1_DATE}T00:00:00Z"));
    assert_eq!(
        new["credentialSubject"]["achievement"]["description"],
        "An exam of testing."
    );
    assert_eq!(new["id"], old["id"]);
    assert_eq!(new["credentialStatus"], old["credentialStatus"]);
    assert_eq!(
        c.hosted(ANN, "assertion"),
        c.kept_json("ann-old-assertion.json")
    );
    assert_ne!(
        std::fs::read(c.kept("ann-old.png")).unwrap(),
        std::fs::read(c.kept("ann-new.png")).unwrap()
    );
    assert_eq!(
        c.kept_json("ann-new-credential.json"),
        new,
        "nothing of Ann's changed at T2"
    );

    // Bob's: evidence changes both documents; 2.0 keeps its issue date.
    let (old, new) = (
        c.kept_json("bob-old-credential.json"),
        c.hosted(BOB, "credential"),
    );
    assert_eq!(old["validFrom"], format!("{T1_DATE}T00:00:00Z"));
    assert_eq!(old.get("evidence"), None);
    assert_eq!(new["validFrom"], format!("{T2_DATE}T00:00:00Z"));
    assert_eq!(new["awardedDate"], AWARDED);
    assert_eq!(new["evidence"][0]["id"], "https://example.org/work/bob");
    let (old, new) = (
        c.kept_json("bob-old-assertion.json"),
        c.hosted(BOB, "assertion"),
    );
    assert_eq!(old.get("evidence"), None);
    assert_eq!(new["evidence"][0]["id"], "https://example.org/work/bob");
    assert_eq!(new["issuedOn"], old["issuedOn"]);
    assert_eq!(new["issuedOn"], AWARDED);

    // Eve's: the new version states the new expiry; her old copy none.
    assert_eq!(
        c.hosted(EVE, "credential")["validUntil"],
        format!("{SHORTENED}T00:00:00Z")
    );
    assert_eq!(
        c.kept_json("eve-old-credential.json").get("validUntil"),
        None
    );

    // A later build with nothing new asks nothing and changes no credential.
    let hosted = [ANN, BOB, EVE].map(|id| c.hosted(id, "credential"));
    let r = c.run(&["build"], T2 + DAY);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!([ANN, BOB, EVE].map(|id| c.hosted(id, "credential")), hosted);
}

/// `accolade verify --site public --json FILE [--email E]` as of [`T2`].
fn verify(c: &Corrected, file: &Path, email: Option<&str>) -> (i32, Value) {
    let (file, site) = (file.to_str().unwrap(), c.public());
    let mut args = vec!["verify", file, "--site", site.to_str().unwrap(), "--json"];
    if let Some(e) = email {
        args.extend(["--email", e]);
    }
    let r = c.run(&args, T2);
    let v: Value =
        serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}{}", r.stdout, r.stderr));
    (r.code, v)
}

#[test]
fn accolade_verify_reports_old_copies_superseded_and_new_ones_identical() {
    let c = corrected();
    let later = |date: &str| format!("a later version, of {date}");
    // (copy, superseded on, hosted copy of each credential in it, earner)
    let cases = [
        (
            "ann-old.png",
            Some(T1_DATE),
            vec![later(T1_DATE), "identical".into()],
            "Ann Public",
        ),
        (
            "ann-old.svg",
            Some(T1_DATE),
            vec![later(T1_DATE), "identical".into()],
            "Ann Public",
        ),
        (
            "ann-old-credential.json",
            Some(T1_DATE),
            vec![later(T1_DATE)],
            "Ann Public",
        ),
        (
            "ann-new.png",
            None,
            vec!["identical".into(), "identical".into()],
            "Ann Public",
        ),
        (
            "ann-new.svg",
            None,
            vec!["identical".into(), "identical".into()],
            "Ann Public",
        ),
        (
            "bob-old.png",
            Some(T2_DATE),
            vec![later(T2_DATE), later(T2_DATE)],
            "Bob Unlisted",
        ),
        (
            "bob-old.svg",
            Some(T2_DATE),
            vec![later(T2_DATE), later(T2_DATE)],
            "Bob Unlisted",
        ),
        (
            "bob-old-assertion.json",
            Some(T2_DATE),
            vec![later(T2_DATE)],
            "Bob Unlisted",
        ),
        (
            "bob-old-credential.json",
            Some(T2_DATE),
            vec![later(T2_DATE)],
            "Bob Unlisted",
        ),
        (
            "bob-new.png",
            None,
            vec!["identical".into(), "identical".into()],
            "Bob Unlisted",
        ),
    ];
    for (name, superseded, hosted, earner) in cases {
        let (code, r) = verify(&c, &c.kept(name), None);
        assert_eq!(code, 0, "{name}: {r}");
        assert_eq!(r["outcome"], "valid", "{name}: {r}");
        assert_eq!(r["status"], "valid", "{name}: {r}");
        assert_eq!(r["superseded_on"], json!(superseded), "{name}: {r}");
        assert_eq!(r["hosted"], hosted[0].as_str(), "{name}: {r}");
        assert_eq!(r["earner"], earner, "{name}: {r}");
        assert_eq!(r["badge"], "First Exam", "{name}: {r}");
        assert_eq!(r["problems"], json!([]), "{name}: {r}");
        assert_eq!(
            r["checked"].as_array().unwrap().len(),
            hosted.len(),
            "{name}: {r}"
        );
        if r["format"] == "Open Badges 3.0" {
            assert_eq!(r["signature"], "valid (eddsa-rdfc-2022)", "{name}: {r}");
        }
        // Each credential in an image is an earlier version, or identical.
        let notes = r["notes"].to_string();
        let earlier = hosted.iter().filter(|h| h.starts_with("a later")).count();
        assert_eq!(
            notes.matches("this copy is an earlier version").count(),
            earlier,
            "{name}: {r}"
        );
    }

    // The text report says it in words.
    let r = c.run(
        &[
            "verify",
            c.kept("ann-old.png").to_str().unwrap(),
            "--site",
            c.public().to_str().unwrap(),
        ],
        T2,
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stdout.starts_with("GENUINE AND VALID\n"), "{}", r.stdout);
    for line in [
        format!("hosted copy: a later version, of {T1_DATE}"),
        format!(
            "version:     superseded: an earlier version of the credential the issuer revised on {T1_DATE}"
        ),
    ] {
        assert!(r.stdout.contains(&line), "{line}: {}", r.stdout);
    }

    // An old copy is judged by the current version's facts: Eve's said
    // nothing of expiry, the current version expired on SHORTENED.
    for name in [
        "eve-old.png",
        "eve-old-credential.json",
        "eve-old-assertion.json",
    ] {
        let (code, r) = verify(&c, &c.kept(name), None);
        assert_eq!(code, 1, "{name}: {r}");
        assert_eq!(r["status"], "expired", "{name}: {r}");
        assert_eq!(r["superseded_on"], T2_DATE, "{name}: {r}");
        assert_eq!(
            r["expires"],
            format!("{SHORTENED}T00:00:00Z"),
            "{name}: {r}"
        );
        assert!(
            r["problems"]
                .to_string()
                .contains(&format!("expired on {SHORTENED}")),
            "{name}: {r}"
        );
    }

    // Whose it is: the earner's address matches an old copy, another's not.
    for name in ["ann-old.png", "ann-old-credential.json"] {
        let (code, r) = verify(&c, &c.kept(name), Some("Ann@Example.com"));
        assert_eq!((code, &r["email"]), (0, &json!(true)), "{name}: {r}");
        let (code, r) = verify(&c, &c.kept(name), Some("bob@example.com"));
        assert_eq!((code, &r["email"]), (1, &json!(false)), "{name}: {r}");
    }
    let (code, r) = verify(
        &c,
        &c.kept("bob-old-assertion.json"),
        Some("bob@example.com"),
    );
    assert_eq!((code, &r["email"]), (0, &json!(true)), "{r}");

    // Forged old copies are still forgeries.
    for (name, file) in forgeries(&c) {
        let (code, r) = verify(&c, &file, None);
        assert_eq!(code, 1, "{name}: {r}");
        assert_eq!(r["superseded_on"], Value::Null, "{name}: {r}");
        assert!(
            r["problems"]
                .to_string()
                .contains("differs from the issuer's hosted copy"),
            "{name}: {r}"
        );
        if name.starts_with("someone_elses") {
            assert_eq!(r["signature"], "INVALID", "{name}: {r}");
        }
    }
}

/// What the `/verify/` page shows for each kept copy, in English and in
/// Chinese, as of [`T2`]. `verifier.mjs` reads the banner, notes, facts
/// and check lines.
#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn verifier_page_shows_old_copies_superseded_and_new_ones_matching() {
    let c = corrected();
    let en = ("en", "");
    let zh = ("zh-CN", "zh-CN/");
    let mut files = vec![];
    let mut add = |name: &str, path: PathBuf, (lang, prefix): (&str, &str)| {
        files.push(json!({ "name": format!("{name} {lang}"), "path": path, "lang": prefix }));
    };
    for lang in [en, zh] {
        for name in [
            "ann-old.png",
            "ann-new.png",
            "bob-old-assertion.json",
            "eve-old.png",
        ] {
            add(name, c.kept(name), lang);
        }
    }
    for name in [
        "ann-old.svg",
        "ann-new.svg",
        "ann-old-credential.json",
        "bob-old.png",
        "bob-old-credential.json",
        "bob-new.png",
    ] {
        add(name, c.kept(name), en);
    }
    let forged = forgeries(&c);
    for (name, path) in &forged {
        add(name, path.clone(), en);
    }
    let result = crate::browser::run_script_on(
        "verifier.mjs",
        &c.public(),
        json!({
            "files": files,
            "email": { "path": c.kept("ann-old.png"), "right": "ANN@example.com", "wrong": "bob@example.com" },
            "now": T2,
        }),
        None,
    );
    assert_eq!(result["problems"], json!([]), "errors under CSP");
    let got = |name: &str, lang: &str| {
        let r = &result["files"][format!("{name} {lang}")];
        assert!(r.is_object(), "{name} {lang}: {result}");
        r
    };
    let strings = [
        ("en", theme_strings("en")),
        ("zh-CN", theme_strings("zh-CN")),
    ];
    let s = |lang: &str, key: &str, date: Option<&str>| {
        let all = &strings.iter().find(|(l, _)| *l == lang).unwrap().1;
        let text = all[key].as_str().unwrap().to_string();
        assert!(date.is_some() == text.contains("{date}"), "{key}");
        text.replace("{date}", date.unwrap_or_default())
    };
    // A check line as shown: ✓ or ✗, then the text.
    let check = |ok: bool, text: String| json!({ "ok": ok, "text": format!("{} {text}", if ok { "✓" } else { "✗" }) });
    let has = |r: &Value, line: &Value| r["checks"].as_array().unwrap().contains(line);

    for (lang, _) in [en, zh] {
        // The old image: genuine and valid, an earlier version of T1, with
        // no claim that it matches; its 2.0 assertion did not change.
        let r = got("ann-old.png", lang);
        assert_eq!(r["result"], "valid", "{lang}: {r}");
        assert_eq!(r["label"], s(lang, "verifier_status_valid", None), "{lang}");
        assert_eq!(
            r["notes"],
            json!([s(lang, "verifier_note_superseded", Some(T1_DATE))]),
            "{lang}: {r}"
        );
        for line in [
            check(true, s(lang, "verifier_check_superseded", Some(T1_DATE))),
            check(true, s(lang, "verifier_check_no_expiry", None)),
            check(true, s(lang, "verifier_check_not_revoked", None)),
            check(true, s(lang, "verifier_check_second_matches", None)),
        ] {
            assert!(has(r, &line), "{lang}: {line} in {r}");
        }
        assert!(
            !has(r, &check(true, s(lang, "verifier_check_matches", None))),
            "{lang}: {r}"
        );
        let facts = &r["facts"];
        assert_eq!(
            facts[s(lang, "verifier_fact_earner", None)],
            "Ann Public",
            "{lang}: {r}"
        );
        assert_eq!(
            facts[s(lang, "verifier_fact_badge", None)],
            "First Exam",
            "{lang}: {r}"
        );
        assert_eq!(facts[s(lang, "verifier_fact_id", None)], ANN, "{lang}: {r}");

        // The new image: the normal result.
        let r = got("ann-new.png", lang);
        assert_eq!(r["result"], "valid", "{lang}: {r}");
        assert_eq!(
            r["notes"],
            json!([s(lang, "verifier_note_valid", None)]),
            "{lang}: {r}"
        );
        assert!(
            has(r, &check(true, s(lang, "verifier_check_matches", None))),
            "{lang}: {r}"
        );
        assert!(
            !r["text"].as_str().unwrap().contains(T1_DATE),
            "{lang}: nothing of versions: {r}"
        );

        // Bob's old 2.0 assertion alone: superseded by his award's T2 version.
        let r = got("bob-old-assertion.json", lang);
        assert_eq!(r["result"], "valid", "{lang}: {r}");
        assert_eq!(
            r["notes"],
            json!([s(lang, "verifier_note_superseded", Some(T2_DATE))]),
            "{lang}: {r}"
        );
        assert!(
            has(
                r,
                &check(true, s(lang, "verifier_check_superseded", Some(T2_DATE)))
            ),
            "{lang}: {r}"
        );
        assert_eq!(
            r["facts"][s(lang, "verifier_fact_earner", None)],
            "Bob Unlisted"
        );

        // Eve's old image, with no expiry, judged by the current version:
        // expired on SHORTENED.
        let r = got("eve-old.png", lang);
        assert_eq!(r["result"], "expired", "{lang}: {r}");
        assert_eq!(
            r["notes"],
            json!([s(lang, "verifier_note_superseded", Some(T2_DATE))]),
            "{lang}: {r}"
        );
        for line in [
            check(true, s(lang, "verifier_check_superseded", Some(T2_DATE))),
            check(false, s(lang, "verifier_check_expired", Some(SHORTENED))),
        ] {
            assert!(has(r, &line), "{lang}: {line} in {r}");
        }
    }

    for (name, date) in [
        ("ann-old.svg", T1_DATE),
        ("ann-old-credential.json", T1_DATE),
        ("bob-old-credential.json", T2_DATE),
    ] {
        let r = got(name, "en");
        assert_eq!(r["result"], "valid", "{name}: {r}");
        assert!(
            has(
                r,
                &check(true, s("en", "verifier_check_superseded", Some(date)))
            ),
            "{name}: {r}"
        );
    }
    // Bob's old image: both credentials in it are earlier versions.
    let r = got("bob-old.png", "en");
    assert_eq!(r["result"], "valid", "{r}");
    for line in [
        check(true, s("en", "verifier_check_superseded", Some(T2_DATE))),
        check(true, s("en", "verifier_check_second_superseded", None)),
    ] {
        assert!(has(r, &line), "{line} in {r}");
    }
    for name in ["ann-new.svg", "bob-new.png"] {
        let r = got(name, "en");
        assert_eq!(r["result"], "valid", "{name}: {r}");
        assert_eq!(
            r["notes"],
            json!([s("en", "verifier_note_valid", None)]),
            "{name}: {r}"
        );
        assert!(
            has(r, &check(true, s("en", "verifier_check_matches", None))),
            "{name}: {r}"
        );
    }

    // Forged old copies are not genuine.
    for (name, _) in &forged {
        let r = got(name, "en");
        assert_eq!(r["result"], "tampered", "{name}: {r}");
        assert!(
            has(r, &check(false, s("en", "verifier_check_differs", None))),
            "{name}: {r}"
        );
        assert!(
            !r["text"].as_str().unwrap().contains("revised"),
            "{name}: {r}"
        );
    }

    // The earner's address matches an old copy; another earner's does not.
    assert_eq!(result["email"]["dropped"]["result"], "valid", "{result}");
    assert_eq!(result["email"]["right"], "yes", "{result}");
    assert_eq!(result["email"]["wrong"], "no", "{result}");
}

/// The Node verifiers of `tests/external/` on `cases` (`[{name, file}]`):
/// one JSON result per case, in order.
fn node_verify(c: &Corrected, script: &str, cases: &Value, schema: Option<&Path>) -> Vec<Value> {
    let (node_dir, script_path) = crate::validators::node_script(script);
    let cases_file = c.root().join(format!("{script}.cases.json"));
    std::fs::write(&cases_file, cases.to_string()).unwrap();
    let mut cmd = Command::new("node");
    cmd.current_dir(&node_dir)
        .arg(&script_path)
        .arg(c.public())
        .arg("https://cred.example.org");
    if let Some(schema) = schema {
        cmd.arg(schema);
    }
    cmd.arg(&cases_file);
    let results = json_lines(&mut cmd, script);
    assert_eq!(
        results.len(),
        cases.as_array().unwrap().len(),
        "{results:?}"
    );
    results
}

/// Old and new versions alike are genuine credentials to verifiers that
/// know nothing of versions: signature, status and (verifier-core) the
/// 1EdTech OB 3.0 JSON Schema, `awardedDate` included. They judge by
/// today's clock, which is past every date here.
#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn verifier_core_and_the_reference_stack_accept_old_and_new_versions() {
    let c = corrected();
    let names = [
        "ann-old-credential.json",
        "ann-new-credential.json",
        "bob-old-credential.json",
        "bob-new-credential.json",
    ];
    // The revised versions say so, so the schema check covers `awardedDate`.
    assert_eq!(
        c.kept_json("ann-new-credential.json")["awardedDate"],
        AWARDED
    );
    assert_eq!(
        c.kept_json("bob-old-credential.json")["awardedDate"],
        AWARDED
    );
    assert_eq!(
        c.kept_json("bob-new-credential.json")["awardedDate"],
        AWARDED
    );
    let mut cases: Vec<Value> = names
        .iter()
        .map(|n| json!({ "name": n, "file": c.kept(n) }))
        .collect();
    // The control: one of them with its description changed is refused.
    let mut forged = c.kept_json("ann-new-credential.json");
    forged["credentialSubject"]["achievement"]["description"] = json!("An exam.");
    let forged = c.write("forged-text.json", forged.to_string().as_bytes());
    cases.push(json!({ "name": "forged", "file": forged }));
    let cases = json!(cases);

    let schema =
        example_root().join("tests/external/ob3-schema/ob_v3p0_achievementcredential_schema.json");
    for r in node_verify(&c, "ob3_verifier_core.mjs", &cases, Some(&schema)) {
        assert_eq!(r["refused"], json!([]), "everything is served offline: {r}");
        if r["name"] == "forged" {
            assert!(r["fatal"].to_string().contains("invalid_signature"), "{r}");
            continue;
        }
        assert_eq!(r["fatal"], json!([]), "{r}");
        for step in ["valid_signature", "expiration", "revocation_status"] {
            assert_eq!(r["steps"][step], true, "{step}: {r}");
        }
        assert_eq!(r["schema"].as_array().unwrap().len(), 1, "{r}");
        assert_eq!(r["schema"][0]["valid"], true, "1EdTech schema: {r}");
    }

    for r in node_verify(&c, "ob3_verify.mjs", &cases, None) {
        let genuine = r["name"] != "forged";
        assert_eq!(r["verified"], genuine, "{r}");
        assert_eq!(r["revoked"], false, "{r}");
    }
}
