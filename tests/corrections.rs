//! The issuer's second week: records corrected, revoked or deleted after
//! issue, with earners already holding copies. A correction is published
//! as a new version only once it is dated, earlier copies stay genuine
//! (`accolade verify` calls them superseded), a revocation is one command,
//! and a published award never disappears without being told to.

use crate::common::*;

/// A copy of a published file, kept as an earner keeps a download.
fn keep(f: &Fixture, rel: &str, to: &str) {
    std::fs::copy(f.path().join("public").join(rel), f.path().join(to)).unwrap();
}

/// `accolade verify FILE --site public` (the input is not relative to --root).
fn verify(f: &Fixture, file: &str) -> Run {
    let path = f.path().join(file);
    f.run(&["verify", path.to_str().unwrap(), "--site", "public"])
}

fn json(text: &str) -> serde_json::Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("{e}: {text}"))
}

#[test]
fn a_badge_fix_after_issue_waits_for_a_date_and_earlier_copies_stay_genuine() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert_eq!(f.run(&["bake", "AAAA2222BBBB", "--out", "old.png"]).code, 0);
    keep(&f, "verify/AAAA2222BBBB/credential.json", "old.json");
    let published = f.out("verify/AAAA2222BBBB/credential.json");

    // A typo fixed in the badge's description: asked, not published.
    let badge = std::fs::read_to_string(f.path().join("content/badges/exam-1.yaml")).unwrap();
    f.write(
        "content/badges/exam-1.yaml",
        &badge.replace("en: An exam.", "en: A corrected exam."),
    );
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: badge `exam-1` changed what 2 credentials already issued say, with no new version date\n --> content/badges/exam-1.yaml:1:5"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("run `accolade build --reissue`")
            && r.stderr
                .contains("adds `revised_on: 2026-11-01` to this record"),
        "{}",
        r.stderr
    );
    assert_eq!(
        f.out("verify/AAAA2222BBBB/credential.json"),
        published,
        "nothing was published"
    );

    // Dated by --reissue: the record gets the date, the rest of its text stays.
    let r = f.run(&["build", "--reissue"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Reissued as new versions: badge `exam-1` (2 credentials) (`revised_on: 2026-11-01` added to content/badges/exam-1.yaml)"
        ),
        "{}",
        r.stderr
    );
    let edited = std::fs::read_to_string(f.path().join("content/badges/exam-1.yaml")).unwrap();
    assert_eq!(
        edited,
        format!(
            "{}revised_on: 2026-11-01\n",
            badge.replace("en: An exam.", "en: A corrected exam.")
        )
    );
    let new = json(&f.out("verify/AAAA2222BBBB/credential.json"));
    assert_eq!(new["validFrom"], "2026-11-01T00:00:00Z");
    assert_eq!(new["awardedDate"], "2026-01-10T00:00:00Z");
    assert_eq!(new["proof"][0]["created"], "2026-11-01T00:00:00Z");
    assert_eq!(
        new["credentialSubject"]["achievement"]["description"],
        "A corrected exam."
    );
    assert_eq!(f.build().code, 0, "a dated version asks nothing again");
    let page = f.out("verify/AAAA2222BBBB/index.html");
    assert!(
        page.contains("Last revised</dt><dd><time datetime=2026-11-01>"),
        "the employer sees the correction's date"
    );

    // The copy the earner downloaded before: genuine, an earlier version.
    let r = verify(&f, "old.png");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.starts_with("GENUINE AND VALID"), "{}", r.stdout);
    assert!(
        r.stdout
            .contains("hosted copy: a later version, of 2026-11-01"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains(
            "version:     superseded: an earlier version of the credential the issuer revised on 2026-11-01"
        ),
        "{}",
        r.stdout
    );
    let old_png = f.path().join("old.png");
    let r = f.run(&[
        "verify",
        old_png.to_str().unwrap(),
        "--site",
        "public",
        "--json",
        "--email",
        "ann@example.com",
    ]);
    let report = json(&r.stdout);
    assert_eq!(report["outcome"], "valid");
    assert_eq!(report["superseded_on"], "2026-11-01");
    assert_eq!(report["email"], true);

    // The new copy matches the hosted one.
    assert_eq!(f.run(&["bake", "AAAA2222BBBB", "--out", "new.png"]).code, 0);
    let r = verify(&f, "new.png");
    assert_eq!(r.code, 0, "{}", r.stdout);
    assert!(r.stdout.contains("hosted copy: identical"), "{}", r.stdout);

    // An old copy altered by hand is no earlier version: its signature fails.
    let old = std::fs::read_to_string(f.path().join("old.json")).unwrap();
    f.write("altered.json", &old.replace("An exam.", "A harder exam."));
    let r = verify(&f, "altered.json");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("signature:   INVALID"), "{}", r.stdout);
}

#[test]
fn an_award_correction_is_dated_on_its_record_and_the_old_assertion_stays_genuine() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    keep(
        &f,
        "verify/AAAA2222BBBB/assertion.json",
        "old-assertion.json",
    );
    let awards = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    let with_evidence = awards.replace(
        "earner: pub-ann, issued_on: 2026-01-10 }",
        "earner: pub-ann, issued_on: 2026-01-10, evidence: [{ url: \"https://e.org/project\" }] }",
    );
    f.write("content/awards/a.yaml", &with_evidence);
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: the credential of award `AAAA2222BBBB` changed (its recipient, dates or evidence), with no new version date\n --> content/awards/a.yaml:1:9"
        ),
        "{}",
        r.stderr
    );
    let r = f.run(&["build", "--reissue"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let edited = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    assert_eq!(
        edited,
        with_evidence.replace(
            "evidence: [{ url: \"https://e.org/project\" }] }",
            "evidence: [{ url: \"https://e.org/project\" }], revised_on: 2026-11-01 }"
        ),
        "only the corrected record changed"
    );
    let assertion = json(&f.out("verify/AAAA2222BBBB/assertion.json"));
    assert_eq!(assertion["evidence"][0]["id"], "https://e.org/project");

    // The 2.0 assertion downloaded before the evidence was added.
    let r = verify(&f, "old-assertion.json");
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(
        r.stdout
            .contains("hosted copy: a later version, of 2026-11-01"),
        "{}",
        r.stdout
    );
    // Someone else's badge claimed with it is no earlier version.
    let old = std::fs::read_to_string(f.path().join("old-assertion.json")).unwrap();
    f.write(
        "other.json",
        &old.replace("badges/exam-1.json", "badges/cert-1.json"),
    );
    let r = verify(&f, "other.json");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("hosted copy: DIFFERENT"), "{}", r.stdout);
}

#[test]
fn a_correction_dated_by_hand_is_published_without_asking() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    let badge = std::fs::read_to_string(f.path().join("content/badges/exam-1.yaml")).unwrap();
    f.write(
        "content/badges/exam-1.yaml",
        &format!(
            "{}revised_on: 2026-10-15\n",
            badge.replace("en: An exam.", "en: A corrected exam.")
        ),
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let c = json(&f.out("verify/CCCC3333DDDD/credential.json"));
    assert_eq!(c["validFrom"], "2026-10-15T00:00:00Z");
    // A revision date cannot be in the future, nor before the award's issue.
    f.append("content/badges/cert-1.yaml", "revised_on: 2026-11-02\n");
    let awards = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    f.write(
        "content/awards/a.yaml",
        &awards.replacen(
            "issued_on: 2026-01-10 }",
            "issued_on: 2026-01-10, revised_on: 2026-01-09 }",
            1,
        ),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("error: `revised_on` 2026-11-02 is in the future (the build date is 2026-11-01)\n --> content/badges/cert-1.yaml:9:13"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("error: `revised_on` 2026-01-09 is before `issued_on` 2026-01-10\n --> content/awards/a.yaml:1:90"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_published_award_does_not_vanish_with_its_record() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert!(f.exists("verify/CCCC3333DDDD/index.html"));
    let awards = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    let without: String = awards
        .lines()
        .filter(|l| !l.contains("CCCC3333DDDD"))
        .map(|l| format!("{l}\n"))
        .collect();
    f.write("content/awards/a.yaml", &without);
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "error: award `CCCC3333DDDD` was published, and its record is gone from `content/awards/`"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("accolade revoke CCCC3333DDDD") && r.stderr.contains("--allow-removal"),
        "{}",
        r.stderr
    );
    assert!(f.exists("verify/CCCC3333DDDD/index.html"), "left as it was");
    // `check` says so too, as a warning.
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: award `CCCC3333DDDD` was published"),
        "{}",
        r.stderr
    );
    // Told to: the page goes, and the build says which.
    let r = f.run(&["build", "--allow-removal"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "Removed the pages of 1 award whose records are gone (--allow-removal): CCCC3333DDDD."
        ),
        "{}",
        r.stderr
    );
    assert!(!f.exists("verify/CCCC3333DDDD/index.html"));
    // Also after `--force` and across program versions (no usable record).
    std::fs::remove_dir_all(f.path().join(".public.accolade")).unwrap();
    let r = f.run(&["build", "--force"]);
    assert_eq!(r.code, 0, "gone already: {}", r.stderr);
    f.write("content/awards/a.yaml", &awards);
    assert_eq!(f.build().code, 0);
    f.write("content/awards/a.yaml", &without);
    std::fs::remove_dir_all(f.path().join(".public.accolade")).unwrap();
    assert_eq!(f.run(&["build", "--force"]).code, 1);
}

#[test]
fn revoke_writes_the_revocation_as_text_all_or_nothing() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    assert_eq!(f.run(&["bake", "AAAA2222BBBB", "--out", "ann.png"]).code, 0);
    let awards = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();

    // One bad id: every problem named, nothing written.
    let r = f.run(&[
        "revoke",
        "AAAA2222BBBB",
        "AAAA2222BBBX",
        "--reason",
        "Issued in error",
    ]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("error: there is no award `AAAA2222BBBX`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("did you mean `AAAA2222BBBB`?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("nothing was revoked"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap(),
        awards
    );
    for (args, message) in [
        (
            vec!["--on", "2026-02-30"],
            "`--on` is not a valid date: `2026-02-30`",
        ),
        (
            vec!["--on", "2026-11-02"],
            "`--on 2026-11-02` is in the future (today is 2026-11-01)",
        ),
        (
            vec!["--on", "2026-01-09"],
            "award `AAAA2222BBBB` was issued on 2026-01-10, after the revocation date 2026-01-09",
        ),
    ] {
        let mut all = vec!["revoke", "AAAA2222BBBB", "--reason", "x"];
        all.extend(args);
        let r = f.run(&all);
        assert_ne!(r.code, 0, "{all:?}");
        assert!(r.stderr.contains(message), "{all:?}: {}", r.stderr);
    }
    assert!(
        f.run(&[
            "revoke",
            "AAAA2222BBBB",
            "--reason",
            "x",
            "--on",
            "2026-02-30"
        ])
        .stderr
        .contains("February 2026 has 28 days")
    );

    // Two awards, one from a file; the records get the revocation as text.
    f.write("withdrawn.txt", "# exam results withdrawn\ncccc3333dddd\n");
    let r = f.run(&[
        "revoke",
        "AAAA2222BBBB",
        "--from",
        "withdrawn.txt",
        "--reason",
        "Exam results withdrawn: \"irregularities\"",
        "--on",
        "2026-10-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout, "AAAA2222BBBB\nCCCC3333DDDD\n");
    let revoked = ", revoked: { on: 2026-10-01, reason: \"Exam results withdrawn: \\\"irregularities\\\"\" } }";
    assert_eq!(
        std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap(),
        awards.replacen(
            "issued_on: 2026-01-10 }",
            &format!("issued_on: 2026-01-10{revoked}"),
            2
        )
    );
    // Once is enough.
    let r = f.run(&["revoke", "AAAA2222BBBB", "--reason", "again"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("award `AAAA2222BBBB` is already revoked (on 2026-10-01)"),
        "{}",
        r.stderr
    );

    // Published: the earner's image now fails, with the issuer's reason.
    assert_eq!(f.build().code, 0);
    let notice = json(&f.out("verify/AAAA2222BBBB/assertion.json"));
    assert_eq!(notice["revoked"], true);
    let r = verify(&f, "ann.png");
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(
        r.stdout.contains(
            "revoked by the issuer on 2026-10-01: Exam results withdrawn: \"irregularities\""
        ),
        "{}",
        r.stdout
    );
}
