//! The authoring commands as an issuer uses them: `init` a site, `award`
//! one badge, `import` many from a spreadsheet. Each leaves a site that
//! `check` and `build` accept, and never disturbs what the issuer wrote.

use std::collections::BTreeMap;
use std::path::Path;

use crate::common::*;

const ALPHABET: &str = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

fn is_minted_id(s: &str) -> bool {
    s.len() == 12 && s.chars().all(|c| ALPHABET.contains(c))
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> BTreeMap<std::path::PathBuf, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|p| {
            let bytes = std::fs::read(dir.join(&p)).unwrap();
            (p, bytes)
        })
        .collect()
}

#[test]
fn every_command_has_help_with_an_example() {
    let tmp = tempfile::tempdir().unwrap();
    for cmd in ["build", "check", "serve", "init", "award", "import"] {
        let r = run_in(tmp.path(), &[cmd, "--help"]);
        assert_eq!(r.code, 0, "{cmd}: {}", r.stderr);
        assert!(
            r.stdout.contains("Example"),
            "{cmd} --help has no example:\n{}",
            r.stdout
        );
    }
    let r = run_in(tmp.path(), &["import", "--help"]);
    assert!(
        r.stdout.contains("same badge, earner and issued_on"),
        "the duplicate rule is documented"
    );
    let r = run_in(tmp.path(), &["award", "--help"]);
    assert!(r.stdout.contains(ALPHABET), "the id alphabet is documented");
}

#[test]
fn init_makes_a_site_that_checks_and_builds() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("new-site");
    let r = run_in(tmp.path(), &["init", site.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);

    let check = run_in(&site, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("1 published award ("),
        "{}",
        check.stdout
    );
    // Its placeholders are named until they are replaced, each located.
    for (at, what) in [
        (
            "content/site.yaml:4:8",
            "`title` is still the starter site's placeholder",
        ),
        (
            "content/site.yaml:10:11",
            "`base_url` is still the starter site's placeholder `https://credentials.example.org`",
        ),
        ("content/site.yaml:24:9", "the issuer's `name` is still"),
        ("content/site.yaml:26:8", "the issuer's `url` is still"),
        ("content/site.yaml:28:10", "the issuer's `email` is still"),
        (
            "content/site.yaml:34:10",
            "the issuer's logo is still the starter site's placeholder (the \"EA\" square)",
        ),
        (
            "content/faq/en.md:1:96",
            "the FAQ still gives the starter site's placeholder address `credentials@example.org`",
        ),
        ("content/faq/zh-CN.md:1:34", "the FAQ still gives"),
    ] {
        assert!(
            check.stderr.contains(&format!("warning: {what}"))
                && check.stderr.contains(&format!("--> {at}")),
            "{what} at {at}:\n{}",
            check.stderr
        );
    }
    assert!(check.stdout.contains(", 8 warnings"), "{}", check.stdout);
    assert!(
        r.stderr
            .contains("Next: replace the starter's placeholders")
            && r.stderr
                .contains("the issuer's logo: replace content/images/issuer.svg"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(site.join(".gitignore"))
            .unwrap()
            .contains("\n.public.accolade/\n"),
        "the build record names unlisted awards: not for git"
    );
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    for field in [
        "`base_url`",
        "`issuer.email`",
        "`criteria`",
        "`auto_accept`",
        "`expires_on`",
        "`revised_on`",
    ] {
        assert!(readme.contains(field), "README.md documents {field}");
    }
    let build = run_in(&site, &["build"]);
    assert_eq!(build.code, 0, "{}", build.stderr);
    assert!(
        build.stderr.contains("warning: `base_url` is still"),
        "build warns too"
    );
    assert!(site.join("public/index.html").is_file());
    assert!(site.join("public/zh-CN/faq/index.html").is_file());

    let awards = std::fs::read_to_string(site.join("content/awards/2026.yaml")).unwrap();
    let id = awards
        .lines()
        .find_map(|l| l.strip_prefix("- id: "))
        .expect("an award");
    assert!(is_minted_id(id), "{id}");
    assert!(
        site.join(format!("public/verify/{id}/index.html"))
            .is_file()
    );

    // The generated README's own example works on day one.
    let readme = std::fs::read_to_string(site.join("README.md")).unwrap();
    let example = "accolade award --badge first-exam --earner e-sam-example";
    assert!(readme.contains(example), "{readme}");
    let award = run_in(
        &site,
        &[
            "award",
            "--badge",
            "first-exam",
            "--earner",
            "e-sam-example",
        ],
    );
    assert_eq!(award.code, 0, "{}", award.stderr);

    let site_yaml = std::fs::read_to_string(site.join("content/site.yaml")).unwrap();
    assert!(site_yaml.contains("# "), "site.yaml explains itself");
    let key =
        std::fs::read_to_string(site.join("keys/issuer.ed25519")).expect("a fresh signing key");
    assert!(accolade::signing::Key::parse(&key).is_ok());
    let secret = key
        .lines()
        .find(|l| !l.starts_with('#') && !l.trim().is_empty())
        .unwrap();
    for f in files(&site.join("public")) {
        let bytes = std::fs::read(site.join("public").join(&f)).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(secret.trim()),
            "the key leaked into {f:?}"
        );
    }
    let gitignore = std::fs::read_to_string(site.join(".gitignore")).unwrap();
    assert!(gitignore.lines().any(|l| l == "keys/"));
    assert!(gitignore.lines().any(|l| l == "public/"));
    for f in [
        "content/faq/en.md",
        "content/faq/zh-CN.md",
        "content/images/first-exam.svg",
        "themes/default/templates/base.html",
        "themes/default/i18n/zh-CN.yaml",
        "themes/default/static/style.css",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
}

#[test]
fn init_refuses_a_non_empty_directory() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("notes.txt"), "mine").unwrap();
    let r = run_in(tmp.path(), &["init", tmp.path().to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("not empty"), "{}", r.stderr);
    assert_eq!(
        files(tmp.path()),
        vec![std::path::PathBuf::from("notes.txt")]
    );

    // An existing empty directory is fine.
    let empty = tmp.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let r = run_in(tmp.path(), &["init", empty.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
}

const COMMENTED_AWARDS: &str = "# Awards of 2026. Keep this header!
#   (hand-aligned notes)

- id: KEEP2222ME33   # an inline comment
  badge: exam-1
  earner: pub-ann
  issued_on: 2026-01-12
  evidence: [ { url: 'https://example.org/x', narrative: \"quoted, kept\" } ]

# A flow item, then a trailing comment with no newline at the end:
- { id: FLOW4444ITEM, badge: exam-1, earner: unl-bob, issued_on: 2026-01-13 }
# the end";

#[test]
fn award_appends_a_record_and_keeps_comments_and_formatting() {
    let f = Fixture::new();
    f.write("content/awards/2026.yaml", COMMENTED_AWARDS);

    let r = f.run(&[
        "award",
        "--badge",
        "cert-1",
        "--earner",
        "pub-ann",
        "--issued",
        "2026-03-01",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut lines = r.stdout.lines();
    let id = lines.next().unwrap();
    assert!(is_minted_id(id), "{id}");
    assert_eq!(
        lines.next(),
        Some(format!("https://cred.example.org/verify/{id}/").as_str())
    );

    let text = std::fs::read_to_string(f.path().join("content/awards/2026.yaml")).unwrap();
    assert!(
        text.starts_with(COMMENTED_AWARDS),
        "the old text is untouched:\n{text}"
    );
    assert!(
        text.ends_with(&format!(
            "\n- id: {id}\n  badge: cert-1\n  earner: pub-ann\n  issued_on: 2026-03-01\n"
        )),
        "{text}"
    );

    // Without --issued: today (SOURCE_DATE_EPOCH), into the same year's file.
    let r2 = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "unl-bob",
        "--expires",
        "2027-06-30",
    ]);
    assert_eq!(r2.code, 0, "{}", r2.stderr);
    let id2 = r2.stdout.lines().next().unwrap();
    let text2 = std::fs::read_to_string(f.path().join("content/awards/2026.yaml")).unwrap();
    assert!(text2.starts_with(&text));
    assert!(text2.contains(&format!("- id: {id2}\n  badge: exam-1\n  earner: unl-bob\n  issued_on: 2026-11-01\n  expires_on: 2027-06-30\n")), "{text2}");

    // --into a new file in a subfolder.
    let r3 = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "slow-di",
        "--issued",
        "2025-05-05",
        "--into",
        "content/awards/old/2025.yaml",
    ]);
    assert_eq!(r3.code, 0, "{}", r3.stderr);
    assert!(r3.stderr.contains("does not auto-accept"), "{}", r3.stderr);
    let text3 = std::fs::read_to_string(f.path().join("content/awards/old/2025.yaml")).unwrap();
    assert!(text3.starts_with("# "), "{text3}");

    assert_eq!(f.run(&["check"]).code, 0);
    let b = f.build();
    assert_eq!(b.code, 0, "{}", b.stderr);
    assert!(
        f.out(&format!("verify/{id}/index.html"))
            .contains("First Cert")
    );
    assert!(f.exists(&format!("verify/{id2}/assertion.json")));
}

#[test]
fn award_refuses_bad_references_duplicates_and_files_outside_awards() {
    let f = Fixture::new();
    let before = snapshot(f.path());

    let r = f.run(&["award", "--badge", "exam-1", "--earner", "pub-anne"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("there is no earner `pub-anne`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("did you mean `pub-ann`?"), "{}", r.stderr);

    let r = f.run(&["award", "--badge", "exam-2", "--earner", "pub-ann"]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("did you mean `exam-1`?"), "{}", r.stderr);

    let r = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "pub-ann",
        "--issued",
        "2026-02-30",
    ]);
    assert_eq!(r.code, 2);
    // The same words as a date in YAML or CSV: why that day does not exist.
    assert!(
        r.stderr
            .contains("`--issued` is not a valid date: `2026-02-30`")
            && r.stderr.contains("February 2026 has 28 days"),
        "{}",
        r.stderr
    );

    let r = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "pub-ann",
        "--issued",
        "2027-01-01",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("in the future"), "{}", r.stderr);

    let r = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "pub-ann",
        "--into",
        "content/earners/x.yaml",
    ]);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("content/awards/"), "{}", r.stderr);

    // The fixture already has exam-1 for pub-ann issued 2026-01-10.
    let r = f.run(&[
        "award",
        "--badge",
        "exam-1",
        "--earner",
        "pub-ann",
        "--issued",
        "2026-01-10",
    ]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("AAAA2222BBBB"), "{}", r.stderr);

    assert_eq!(snapshot(f.path()), before, "nothing was written");
}

/// `n` import rows: 2,500 new earners (with names that need quoting), each
/// awarded both badges over two dates.
fn big_csv(n: usize) -> String {
    let mut csv = String::from(
        "badge, earner, name, email, issued_on, expires_on, evidence_url, evidence_narrative\r\n",
    );
    for i in 0..n {
        let earner = i % 2500;
        let badge = if (i / 2500) % 2 == 0 {
            "exam-1"
        } else {
            "cert-1"
        };
        let day = 1 + i / 5000;
        let name = match earner % 5 {
            0 => format!("Person {earner}"),
            1 => format!("\"Doe, Jane \"\"JD\"\" {earner}\""),
            2 => format!("李雷 {earner}"),
            3 => format!("\"O'Brien: #{earner} - yes\""),
            _ => format!("\"Two\nLines {earner}\""),
        };
        let (url, narrative) = if i % 7 == 0 {
            (
                format!("https://example.org/work/{i}?a=1&b=2"),
                "\"Built a thing, with \"\"quotes\"\"; # not a comment\n- not a list\"".to_string(),
            )
        } else {
            (String::new(), String::new())
        };
        let expires = if i % 3 == 0 { "2028-01-01" } else { "" };
        csv.push_str(&format!(
            "{badge},e-imp-{earner},{name},imp{earner}@example.com,2026-02-{day:02},{expires},{url},{narrative}\r\n"
        ));
    }
    csv
}

#[test]
fn import_of_10000_rows_then_again_adds_nothing() {
    let f = Fixture::new();
    let csv = f.path().join("awards.csv");
    std::fs::write(&csv, big_csv(10_000)).unwrap();

    let started = std::time::Instant::now();
    let r = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        started.elapsed().as_secs() < 120,
        "import took {:?}",
        started.elapsed()
    );
    assert!(
        r.stderr
            .contains("Imported 10000 awards and 2500 new earners"),
        "{}",
        r.stderr
    );
    let minted: Vec<&str> = r.stdout.lines().skip(1).collect();
    assert_eq!(minted.len(), 10_000);
    let ids: std::collections::HashSet<&str> = minted
        .iter()
        .map(|l| l.split(',').next().unwrap())
        .collect();
    assert_eq!(ids.len(), 10_000, "ids are unique");
    assert!(ids.iter().all(|id| is_minted_id(id)));

    let awards = std::fs::read_to_string(f.path().join("content/awards/2026.yaml")).unwrap();
    assert_eq!(awards.matches("\n- id: ").count(), 10_000);
    let earners = std::fs::read_to_string(f.path().join("content/earners/imported.yaml")).unwrap();
    assert_eq!(earners.matches("\n- id: e-imp-").count(), 2500);

    // The site is valid with every value read back as written.
    let check = f.run(&["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains("2504 earners"),
        "{}",
        check.stdout.lines().last().unwrap()
    );
    let (content, _) = accolade::content::load(f.path());
    let content = content.unwrap();
    let jane = content
        .earners
        .iter()
        .find(|e| e.record.id.value == "e-imp-1")
        .unwrap();
    assert_eq!(jane.record.name.value, "Doe, Jane \"JD\" 1");
    let two = content
        .earners
        .iter()
        .find(|e| e.record.id.value == "e-imp-4")
        .unwrap();
    assert_eq!(two.record.name.value, "Two\nLines 4");
    let with_evidence = content
        .awards
        .iter()
        .find(|a| !a.record.evidence.is_empty())
        .unwrap();
    assert_eq!(
        with_evidence.record.evidence[0].narrative.as_deref(),
        Some("Built a thing, with \"quotes\"; # not a comment\n- not a list")
    );

    // Importing the same file again is a no-op.
    let before = snapshot(f.path());
    let again = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("already imported"),
        "{}",
        again.stderr
    );
    assert_eq!(snapshot(f.path()), before);
}

#[test]
fn import_with_bad_rows_reports_each_and_writes_nothing() {
    let f = Fixture::new();
    let csv = f.path().join("bad.csv");
    std::fs::write(
        &csv,
        "badge,earner,name,email,issued_on,expires_on\n\
         exam-1,pub-ann,,,2026-03-01,\n\
         exam-9,pub-ann,,,2026-03-01,\n\
         exam-1,new-person,,,2026-03-01,\n\
         exam-1,new-person2,New Person,not-an-email,2026-03-01,\n\
         exam-1,pub-ann,,,2026-02-30,\n\
         exam-1,pub-ann,,,2026-03-05,2026-03-04\n\
         exam-1,pub-ann,,,2026-03-06\n\
         exam-1,pub-ann,,,2026-03-07,,extra\n\
         exam-1,pub-ann,,other@example.com,2026-03-08,\n\
         exam-1,pub-ann,\"unclosed,,2026-03-09,\n",
    )
    .unwrap();
    let before = snapshot(&f.path().join("content"));
    let r = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    // An unclosed quote makes the file unreadable as CSV: reported on its own.
    assert!(r.stderr.contains("never closed"), "{}", r.stderr);
    assert!(r.stderr.contains("bad.csv:11:"), "{}", r.stderr);
    assert_eq!(snapshot(&f.path().join("content")), before);

    // Without it, every bad row is reported with its line, and nothing is written.
    let text = std::fs::read_to_string(&csv).unwrap();
    let fixed: String = text.lines().take(10).map(|l| format!("{l}\n")).collect();
    std::fs::write(&csv, fixed).unwrap();
    let before = snapshot(&f.path().join("content"));
    let r = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (line, what) in [
        (3, "there is no badge `exam-9`"),
        (4, "there is no earner `new-person`"),
        (5, "`not-an-email` is not an email address"),
        (6, "`issued_on` is not a valid date: `2026-02-30`"),
        (7, "is not after `issued_on`"),
        (8, "this row has 5 fields, the header has 6"),
        (9, "this row has 7 fields, the header has 6"),
        (10, "already exists with another email address"),
    ] {
        let at = r
            .stderr
            .find(&format!("bad.csv:{line}:"))
            .unwrap_or_else(|| panic!("line {line} not reported:\n{}", r.stderr));
        let before_at = &r.stderr[..at];
        let msg_at = before_at.rfind("error: ").unwrap();
        assert!(
            before_at[msg_at..].contains(what),
            "line {line}: expected `{what}` in {}",
            &before_at[msg_at..]
        );
    }
    assert!(!r.stderr.contains("bad.csv:2:"), "line 2 is fine");
    assert!(
        r.stderr.contains(
            "February 2026 has 28 days (2026 is not a leap year), or leave it empty for today"
        ),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("8 of 9 rows have errors; nothing was written"),
        "{}",
        r.stderr
    );
    assert_eq!(snapshot(&f.path().join("content")), before);

    // An unknown column is an error before any row is read.
    std::fs::write(&csv, "badge,earner,grade\nexam-1,pub-ann,A\n").unwrap();
    let r = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 1);
    assert!(r.stderr.contains("unknown column `grade`"), "{}", r.stderr);
    assert_eq!(snapshot(&f.path().join("content")), before);
}

#[test]
fn keys_generate_outside_a_site_asks_where_and_path_options_follow_root() {
    let tmp = tempfile::tempdir().unwrap();
    let r = run_in(tmp.path(), &["keys", "generate"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not a site") && r.stderr.contains("--out"),
        "{}",
        r.stderr
    );
    assert!(!tmp.path().join("keys").exists(), "nothing was written");

    // With --root, --out is relative to the site, as every path option is.
    let f = Fixture::new();
    let r = f.run(&["keys", "generate", "--out", "keys/next.ed25519"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.path().join("keys/next.ed25519").is_file());
    let r = f.run(&["build", "--out", "site-out"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.path().join("site-out/index.html").is_file());
}

#[test]
fn an_oversized_csv_is_refused_before_it_is_read() {
    let f = Fixture::new();
    let csv = f.path().join("huge.csv");
    // Sparse: 65 MB long, nothing written.
    std::fs::File::create(&csv)
        .unwrap()
        .set_len(65_000_000)
        .unwrap();
    let r = f.run(&["import", csv.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("is 65 MB; an import takes at most 64 MB"),
        "{}",
        r.stderr
    );
}

/// Once the issuer has put in its own details, nothing is left to warn about.
#[test]
fn a_started_site_with_its_own_details_has_no_placeholder_warnings() {
    let tmp = tempfile::tempdir().unwrap();
    let site = tmp.path().join("s");
    assert_eq!(
        run_in(tmp.path(), &["init", site.to_str().unwrap()]).code,
        0
    );
    let edit = |rel: &str, from: &str, to: &str| {
        let path = site.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel}: {from}");
        std::fs::write(&path, text.replace(from, to)).unwrap();
    };
    edit(
        "content/site.yaml",
        "https://credentials.example.org",
        "https://badges.harbour-college.edu",
    );
    edit(
        "content/site.yaml",
        "Example Academy Credentials",
        "Harbour College Credentials",
    );
    edit(
        "content/site.yaml",
        "name: Example Academy",
        "name: Harbour College",
    );
    edit(
        "content/site.yaml",
        "url: https://example.org",
        "url: https://harbour-college.edu",
    );
    edit(
        "content/site.yaml",
        "email: credentials@example.org",
        "email: badges@harbour-college.edu",
    );
    for faq in ["content/faq/en.md", "content/faq/zh-CN.md"] {
        let text = std::fs::read_to_string(site.join(faq)).unwrap();
        std::fs::write(
            site.join(faq),
            text.replace("credentials@example.org", "badges@harbour-college.edu"),
        )
        .unwrap();
    }
    std::fs::write(site.join("content/images/issuer.svg"), SVG).unwrap();
    let check = run_in(&site, &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    assert!(
        check.stdout.contains(", 0 warnings"),
        "{}{}",
        check.stdout,
        check.stderr
    );
}

/// `init DIR` takes DIR relative to `--root`, like every other path, and
/// its help says so (it once listed `--root` and called it unused).
#[test]
fn init_takes_its_directory_relative_to_root() {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::create_dir(tmp.path().join("sites")).unwrap();
    let r = run_in(&tmp.path().join("sites"), &["init", "one"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(tmp.path().join("sites/one/content/site.yaml").is_file());
    let help = run_in(tmp.path(), &["init", "--help"]);
    assert!(
        help.stdout.contains("relative to --root"),
        "{}",
        help.stdout
    );
    assert!(!help.stdout.contains("not used"), "{}", help.stdout);
}
