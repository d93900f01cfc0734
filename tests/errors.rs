//! A user's mistakes get precise messages: file, line, column, what is wrong
//! and what to write instead; all in one run; exit code 1; `public/` intact.

use crate::common::*;

/// Asserts stderr has an error with `message` located at `file:line:col`.
fn assert_error(run: &Run, file: &str, line: usize, col: usize, message: &str) {
    let loc = format!("--> {file}:{line}:{col}");
    let found = run
        .stderr
        .split("\nerror: ")
        .chain(run.stderr.strip_prefix("error: "))
        .any(|block| block.contains(message) && block.contains(&loc));
    assert!(found, "expected `{message}` at {loc} in:\n{}", run.stderr);
}

#[test]
fn yaml_syntax_error_is_located() {
    let f = Fixture::new();
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: [unclosed\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("--> content/badges/exam-1.yaml:"),
        "{}",
        r.stderr
    );
}

#[test]
fn unknown_field_suggests_the_right_one() {
    let f = Fixture::new();
    f.append("content/badges/exam-1.yaml", "valdity: 1y\n");
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/badges/exam-1.yaml",
        8,
        1,
        "unknown field `valdity`",
    );
    assert!(
        r.stderr.contains("help: did you mean `validity`?"),
        "{}",
        r.stderr
    );
}

#[test]
fn wrong_type_and_missing_field() {
    let f = Fixture::new();
    f.append("content/badges/cert-1.yaml", "badged: perhaps\n");
    f.write(
        "content/earners/more.yaml",
        "- { id: no-mail, name: No Mail }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/badges/cert-1.yaml",
        9,
        9,
        "`badged` must be `true` or `false`, found `perhaps`",
    );
    assert!(
        r.stderr.contains("help: write `true` or `false`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("missing field `email`"), "{}", r.stderr);
    assert!(
        r.stderr.contains("--> content/earners/more.yaml:1:"),
        "{}",
        r.stderr
    );
}

#[test]
fn every_content_error_is_reported_in_one_run() {
    let f = Fixture::new();
    // Non-absolute base URL and a language without strings.
    f.write(
        "content/site.yaml",
        &SITE
            .replace("https://cred.example.org", "cred.example.org")
            .replace("[en, zh-CN]", "[en, zh-CN, xx]"),
    );
    // A duplicate badge id in another file, a requires naming no exam, a missing image.
    f.write(
        "content/badges/dup.yaml",
        "id: exam-1\nkind: exam\nname: Dup\ndescription: D\ncriteria: C\nimage: images/exam-1.svg\n",
    );
    f.write(
        "content/badges/cert-2.yaml",
        "id: cert-2\nkind: certification\nname: C2\ndescription: D\ncriteria: C\nimage: images/nope.svg\nrequires: [exam-9]\n",
    );
    f.write(
        "content/awards/bad.yaml",
        "- id: AAAA2222BBBB\n  badge: exam-1\n  earner: pub-ann\n  issued_on: 2026-01-10\n\
         - id: bad id!\n  badge: exam-2\n  earner: pub-annn\n  issued_on: 2026-02-30\n\
         - id: ZZZZ9999ZZZZ\n  badge: exam-1\n  earner: pub-ann\n  issued_on: 2026-06-01\n  expires_on: 2026-05-01\n\
         - id: YYYY8888YYYY\n  badge: exam-1\n  earner: pub-ann\n  issued_on: 2027-01-01\n",
    );
    std::fs::create_dir_all(f.path().join("public")).unwrap();
    f.write("public/index.html", "previous site");

    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/site.yaml",
        2,
        11,
        "`base_url` must be an absolute http(s) URL",
    );
    assert_error(
        &r,
        "content/site.yaml",
        3,
        24,
        "language `xx` has no interface strings",
    );
    assert_error(
        &r,
        "content/badges/dup.yaml",
        1,
        5,
        "duplicate badge id `exam-1`",
    );
    assert_error(
        &r,
        "content/badges/cert-2.yaml",
        6,
        8,
        "image file `content/images/nope.svg` does not exist",
    );
    assert_error(
        &r,
        "content/badges/cert-2.yaml",
        7,
        12,
        "`requires` names `exam-9`, but no exam has that id",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        1,
        7,
        "duplicate award id `AAAA2222BBBB`",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        5,
        7,
        "award id `bad id!` is not valid",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        6,
        10,
        "award names badge `exam-2`, which does not exist",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        7,
        11,
        "award names earner `pub-annn`, which does not exist",
    );
    assert!(r.stderr.contains("did you mean `pub-ann`?"), "{}", r.stderr);
    assert_error(
        &r,
        "content/awards/bad.yaml",
        8,
        14,
        "`issued_on` is not a valid date: `2026-02-30`",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        13,
        15,
        "`expires_on` 2026-05-01 is not after `issued_on` 2026-06-01",
    );
    assert_error(
        &r,
        "content/awards/bad.yaml",
        17,
        14,
        "`issued_on` 2027-01-01 is in the future",
    );
    assert!(
        r.stderr.contains("error: build failed with 12 errors"),
        "{}",
        r.stderr
    );
    // The previous output is untouched and no staging directory is left.
    assert_eq!(f.out("index.html"), "previous site");
    assert!(!f.path().join(".public.staging").exists());
}

/// A large list file is parsed in pieces, on several threads: mistakes
/// far into it, in a piece other than the first, are located at the
/// file's own line and column, and the records after them are kept (the
/// last one is still checked against the badges).
#[test]
fn mistakes_deep_in_a_large_file_are_located() {
    let f = Fixture::new();
    let earners = ["pub-ann", "unl-bob", "prv-cy", "slow-di"];
    let award = |i: usize| {
        format!(
            "- {{ id: BIG{i:07}, badge: exam-1, earner: {}, issued_on: 2026-01-10 }}\n",
            earners[i % 4]
        )
    };
    // 45,000 records of about 75 bytes: over 3 MB, more than one piece.
    let mut text: String = (0..40_000).map(award).collect();
    text.push_str(
        "- { id: BIGBAD1, badge: exam-1, earner: pub-ann, issued_on: 2026-01-10, colour: red }\n",
    );
    text.extend((40_000..45_000).map(award));
    text.push_str("- { id: BIGBAD2, badge: exam-7, earner: pub-ann, issued_on: 2026-01-10 }\n");
    assert!(text.len() > 3 << 20);
    f.write("content/awards/big.yaml", &text);
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/awards/big.yaml",
        40_001,
        73,
        "unknown field `colour`",
    );
    assert_error(
        &r,
        "content/awards/big.yaml",
        45_002,
        25,
        "award names badge `exam-7`, which does not exist",
    );
    assert_eq!(r.stderr.matches("error: ").count(), 3, "{}", r.stderr);
}

#[test]
fn check_writes_nothing() {
    let f = Fixture::new();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!f.path().join("public").exists());
    assert!(
        r.stdout.contains("not published: award EEEE4444FFFF"),
        "{}",
        r.stdout
    );
}

#[test]
fn missing_default_language_text_is_an_error_and_missing_translation_a_warning() {
    let f = Fixture::new();
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: { zh-CN: 考试 }\ndescription: { en: An exam. }\ncriteria: Pass.\nimage: images/exam-1.svg\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/badges/exam-1.yaml",
        3,
        7,
        "`name` has no text in the default language `en`",
    );
    assert!(
        r.stderr
            .contains("warning: `description` has no `zh-CN` text"),
        "{}",
        r.stderr
    );
}

#[test]
fn no_content_directory() {
    let f = Fixture::empty();
    let r = f.run(&["build"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr
            .contains("is not a site: it has no `content/` folder"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("help: start a new site with `accolade init <DIR>`"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("-->"),
        "no pretend location: {}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let f = Fixture::new();
    let r = f.run(&["frobnicate"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

#[test]
fn png_artwork_must_be_a_png_and_should_be_square() {
    let f = Fixture::new();
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 300, 200);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&vec![128u8; 300 * 200]).unwrap();
    }
    std::fs::write(f.path().join("content/images/wide.png"), &png).unwrap();
    f.write("content/images/fake.png", "GIF89a not a png");
    let badge = |id: &str, img: &str| {
        format!("id: {id}\nkind: exam\nname: N\ndescription: D\ncriteria: C\nimage: {img}\n")
    };
    f.write(
        "content/badges/wide.yaml",
        &badge("wide", "images/wide.png"),
    );
    f.write(
        "content/badges/fake.yaml",
        &badge("fake", "images/fake.png"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/badges/fake.yaml",
        6,
        8,
        "`images/fake.png` is not a PNG file",
    );
    assert!(
        r.stderr
            .contains("warning: artwork `images/wide.png` is 300×200 px"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_missing_or_malformed_signing_key_says_how_to_make_one() {
    let f = Fixture::new();
    // The plain SITE (lean), whose line numbers this test names.
    f.write("content/site.yaml", SITE);
    std::fs::remove_file(f.path().join("keys/test.ed25519")).unwrap();
    let r = f.build();
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/site.yaml",
        9,
        13,
        "no signing key: `keys/test.ed25519` does not exist",
    );
    assert!(
        r.stderr.contains(&format!(
            "accolade keys generate --root {} --out keys/test.ed25519",
            f.path().display()
        )),
        "{}",
        r.stderr
    );
    assert!(
        !f.path().join("keys/test.ed25519").exists(),
        "a key is never generated silently"
    );
    assert_eq!(f.run(&["check"]).code, 1, "check catches it too");

    f.write("keys/test.ed25519", "# my key\nnot-a-key\n");
    let r = f.build();
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("cannot use the signing key"),
        "{}",
        r.stderr
    );
    assert!(!f.path().join("public").exists());
}

#[test]
fn a_missing_theme_and_a_bad_previous_key_are_located() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &format!("{SITE}  previous_keys: [\"z6MkNOTAKEY\"]\ntheme: fancy\n"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(&r, "content/site.yaml", 11, 8, "theme `fancy` not found");
    assert!(r.stderr.contains("use `theme: default`"), "{}", r.stderr);

    f.write(
        "content/site.yaml",
        &format!("{SITE}  previous_keys: [\"z6MkNOTAKEY\"]\n"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert_error(
        &r,
        "content/site.yaml",
        10,
        19,
        "`previous_keys` entry is not an Ed25519 public key",
    );
}

#[test]
fn yaml_errors_in_some_files_hide_no_error_in_the_others() {
    let f = Fixture::new();
    // An earners file whose second record has a bad value: the others are kept.
    f.write(
        "content/earners/more.yaml",
        "- id: new-ed\n  name: Ed New\n  email: ed@example.com\n  auto_accept: true\n\
         - id: lost-lu\n  name: Lu Lost\n  email: lu@example.com\n  profile: publik\n\
         - { id: new-flo, name: Flo New, email: flo@example.com, kind: x }\n",
    );
    // A badge file indented with a tab: the whole file is lost.
    f.write(
        "content/badges/tabbed.yaml",
        "id: tabbed\nkind: exam\nname:\n\ten: Tabbed\ndescription: D\ncriteria: C\nimage: images/exam-1.svg\n",
    );
    f.write(
        "content/awards/b.yaml",
        "- { id: KKKK1111KKKK, badge: exam-9, earner: pub-ann, issued_on: 2026-01-10 }\n\
         - { id: LLLL1111LLLL, badge: exam-1, earner: pub-ann, issued_on: 2025-02-30 }\n\
         - { id: MMMM1111MMMM, badge: tabbed, earner: lost-lu, issued_on: 2026-01-10 }\n\
         - { id: NNNN1111NNNN, badge: exam-1, earner: new-ed, issued_on: 2026-01-10 }\n\
         - { id: OOOO1111OOOO, badge: exam-1, earner: new-flo, issued_on: 2026-01-10 }\n",
    );
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/earners/more.yaml",
        8,
        12,
        "`profile` must be one of `public`, `unlisted`, `private`; found `publik`",
    );
    assert_error(
        &r,
        "content/earners/more.yaml",
        9,
        57,
        "unknown field `kind`",
    );
    assert_error(
        &r,
        "content/badges/tabbed.yaml",
        4,
        1,
        "indented with a tab",
    );
    assert_error(
        &r,
        "content/awards/b.yaml",
        1,
        30,
        "award names badge `exam-9`, which does not exist",
    );
    assert_error(
        &r,
        "content/awards/b.yaml",
        2,
        66,
        "`issued_on` is not a valid date: `2025-02-30`",
    );
    assert!(
        r.stderr.contains("help: February 2025 has 28 days"),
        "{}",
        r.stderr
    );
    // The badge and earners that did not parse are not reported again as
    // missing; `new-ed`, from the same file as `lost-lu`, is known.
    for name in ["tabbed", "lost-lu", "new-ed", "new-flo"] {
        assert!(
            !r.stderr
                .contains(&format!("`{name}`, which does not exist")),
            "{name}: {}",
            r.stderr
        );
    }
    assert!(
        r.stderr.contains("error: build failed with 5 errors"),
        "{}",
        r.stderr
    );
    assert!(!f.path().join("public").exists(), "nothing is built");
}

#[test]
fn a_tab_is_pointed_at_with_what_to_do() {
    let f = Fixture::new();
    f.write(
        "content/awards/tab.yaml",
        "- id: TTTT1111TTTT\n  badge: exam-1\n  earner: pub-ann\n  issued_on: 2026-01-10\n\
         - id: TTTT2222TTTT\n  badge: exam-1\n  earner: pub-ann\n\tissued_on: 2026-01-11\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(&r, "content/awards/tab.yaml", 8, 1, "indented with a tab");
    assert!(
        r.stderr
            .contains("help: YAML indents with spaces; replace the tab with spaces"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("tabs disallowed"), "{}", r.stderr);
    assert!(!r.stderr.contains("while scanning"), "{}", r.stderr);
}

#[test]
fn impossible_dates_say_why() {
    let f = Fixture::new();
    f.write(
        "content/awards/dates.yaml",
        "- { id: DDDD1111DDDD, badge: exam-1, earner: pub-ann, issued_on: 2024-02-30 }\n\
         - { id: DDDD2222DDDD, badge: exam-1, earner: pub-ann, issued_on: 2026-13-01 }\n\
         - { id: DDDD3333DDDD, badge: exam-1, earner: pub-ann, issued_on: 2026-04-31 }\n\
         - { id: DDDD4444DDDD, badge: exam-1, earner: pub-ann, issued_on: 2026-05-00 }\n\
         - { id: DDDD5555DDDD, badge: exam-1, earner: pub-ann, issued_on: 10/01/2026 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    for help in [
        "help: February 2024 has 29 days (2024 is a leap year)",
        "help: there is no month 13: months run from 01 (January) to 12 (December)",
        "help: April has 30 days",
        "help: days start at 01: write 2026-05-01 for the first of May",
        "help: write a calendar date as YYYY-MM-DD, e.g. 2026-01-15",
    ] {
        assert!(r.stderr.contains(help), "{help}:\n{}", r.stderr);
    }
}

#[test]
fn unknown_values_are_named_with_the_allowed_ones_and_the_closest() {
    let f = Fixture::new();
    let people = std::fs::read_to_string(f.path().join("content/earners/people.yaml")).unwrap();
    f.write(
        "content/earners/people.yaml",
        &people.replacen("profile: public", "profile: publik", 1),
    );
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exma\nname: E\ndescription: D\ncriteria: C\nimage: images/exam-1.svg\n",
    );
    f.write(
        "content/badges/cert-1.yaml",
        "id: cert-1\nkind: diploma\nname: C\ndescription: D\ncriteria: C\nimage: images/cert-1.svg\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/earners/people.yaml",
        1,
        69,
        "`profile` must be one of `public`, `unlisted`, `private`; found `publik`",
    );
    assert!(
        r.stderr.contains("help: did you mean `public`?"),
        "{}",
        r.stderr
    );
    assert_error(
        &r,
        "content/badges/exam-1.yaml",
        2,
        7,
        "`kind` must be one of `exam`, `certification`; found `exma`",
    );
    assert!(
        r.stderr.contains("help: did you mean `exam`?"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains("help: write one of `exam`, `certification`"),
        "no close value: the allowed ones: {}",
        r.stderr
    );
    assert!(!r.stderr.contains("unknown variant"), "{}", r.stderr);
}

#[test]
fn the_caret_underlines_the_whole_value() {
    let f = Fixture::new();
    f.write(
        "content/awards/b.yaml",
        "- id: UUUU1111UUUU\n  badge: exam-1\n  earner: e-li-leii\n  issued_on: 2026-01-10\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("3 |   earner: e-li-leii\n  |           ^^^^^^^^^\n"),
        "{}",
        r.stderr
    );
}

#[test]
fn findings_about_a_whole_file_name_it_without_a_pretend_location() {
    let f = Fixture::new();
    std::fs::remove_file(f.path().join("content/faq/zh-CN.md")).unwrap();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "warning: there is no FAQ in `zh-CN`; the `en` FAQ is shown instead\n  = file: content/faq/zh-CN.md\n"
        ),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("-->"), "{}", r.stderr);
}

#[test]
fn paths_in_content_stay_inside_the_site() {
    let f = Fixture::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("secret.svg"), SVG).unwrap();
    std::fs::write(outside.path().join("faq.md"), "secret").unwrap();
    let secret = outside.path().join("secret.svg");
    #[cfg(unix)]
    {
        std::os::unix::fs::symlink(&secret, f.path().join("content/images/linked.svg")).unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("faq.md"),
            f.path().join("content/faq/fr.md"),
        )
        .unwrap();
        std::fs::write(outside.path().join("people.yaml"), "- { id: x }\n").unwrap();
        std::os::unix::fs::symlink(
            outside.path().join("people.yaml"),
            f.path().join("content/earners/shared.yaml"),
        )
        .unwrap();
    }
    let badge = |id: &str, img: &str| {
        format!("id: {id}\nkind: exam\nname: N\ndescription: D\ncriteria: C\nimage: {img}\n")
    };
    f.write("content/badges/up.yaml", &badge("up", "../../etc/passwd"));
    f.write(
        "content/badges/abs.yaml",
        &badge("abs", secret.to_str().unwrap()),
    );
    f.write(
        "content/badges/linked.yaml",
        &badge("linked", "images/linked.svg"),
    );
    f.write(
        "content/site.yaml",
        &SITE.replace("keys/test.ed25519", "../elsewhere/issuer.ed25519"),
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/badges/up.yaml",
        6,
        8,
        "image `../../etc/passwd` is outside the site: it leaves the site directory through `..`",
    );
    assert_error(
        &r,
        "content/badges/abs.yaml",
        6,
        8,
        "is outside the site: it is an absolute path outside the site directory",
    );
    assert_error(
        &r,
        "content/site.yaml",
        9,
        13,
        "`key_file` `../elsewhere/issuer.ed25519` is outside the site",
    );
    assert!(
        r.stderr.contains("help: keep artwork under `content/`"),
        "{}",
        r.stderr
    );
    #[cfg(unix)]
    {
        assert_error(
            &r,
            "content/badges/linked.yaml",
            6,
            8,
            "image `images/linked.svg` is outside the site: it leads outside the site directory through a symbolic link",
        );
        assert!(
            r.stderr
                .contains("`content/faq/fr.md` is not read: it leads outside the site directory"),
            "{}",
            r.stderr
        );
        assert!(
            r.stderr
                .contains("`content/earners/shared.yaml` is not read: it leads outside"),
            "{}",
            r.stderr
        );
    }
}

#[test]
fn a_broken_site_yaml_still_lets_every_other_file_be_checked() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &SITE.replace("languages: [en, zh-CN]", "languages: [en, zh-CN"),
    );
    f.write(
        "content/awards/b.yaml",
        "- { id: KKKK1111KKKK, badge: exam-9, earner: pub-ann, issued_on: 2026-01-10 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(r.stderr.contains("--> content/site.yaml:"), "{}", r.stderr);
    assert_error(
        &r,
        "content/awards/b.yaml",
        1,
        30,
        "award names badge `exam-9`, which does not exist",
    );
    // Checks that need the site's settings (languages) wait for site.yaml.
    assert!(!r.stderr.contains("warning"), "{}", r.stderr);
    assert!(r.stderr.contains("error: 2 errors found"), "{}", r.stderr);
}

/// The job board's search URL must be absolute http(s) and say where the
/// skill goes; each mistake is located at the `url` value.
#[test]
fn job_board_url_without_skill_or_not_http_is_located() {
    for (url, message) in [
        (
            "https://jobs.example.org/search?q=cloud",
            "`jobs.url` has no `{skill}` placeholder",
        ),
        (
            "ftp://jobs.example.org/search?q={skill}",
            "`jobs.url` must be an absolute http(s) URL",
        ),
        (
            "/search?q={skill}",
            "`jobs.url` must be an absolute http(s) URL",
        ),
        (
            "https://{skill}.example.org/",
            "`jobs.url` must be an absolute http(s) URL with `{skill}` after the host",
        ),
    ] {
        let f = Fixture::new();
        let site = std::fs::read_to_string(f.path().join("content/site.yaml")).unwrap();
        let url_line = site.lines().count() + 3;
        f.append(
            "content/site.yaml",
            &format!("jobs:\n  name: Jobs Board\n  url: \"{url}\"\n"),
        );
        let r = f.run(&["check"]);
        assert_eq!(r.code, 1, "{url}: {}", r.stderr);
        assert_error(&r, "content/site.yaml", url_line, 8, message);
        assert!(r.stderr.contains("{skill}"), "{}", r.stderr);
    }
}

#[cfg(unix)]
#[test]
fn a_key_others_can_read_gets_a_warning() {
    use std::os::unix::fs::PermissionsExt;
    let f = Fixture::new();
    let key = f.path().join("keys/test.ed25519");
    let mode = std::fs::metadata(&key).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600, "keys are written private");
    let r = f.run(&["check"]);
    assert!(
        !r.stderr.contains("can be read by other users"),
        "{}",
        r.stderr
    );
    std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
    let r = f.run(&["check"]);
    assert_eq!(r.code, 0, "a warning, not an error: {}", r.stderr);
    assert!(
        r.stderr
            .contains("warning: the signing key can be read by other users")
            && r.stderr.contains("chmod 600 keys/test.ed25519"),
        "{}",
        r.stderr
    );
}

/// A record that reuses a long-standing award's id is the one blamed, with
/// where the first copy is, and its other mistakes are reported too.
#[test]
fn a_duplicate_award_id_blames_the_newer_record_and_reports_its_other_errors() {
    let f = Fixture::new();
    // Sorted first, so read first: the order of files does not decide.
    f.write(
        "content/awards/0-new.yaml",
        "- id: AAAA2222BBBB\n  badge: exam-1\n  earner: unl-bob\n  issued_on: 2026-03-01\n  expires_on: 2027-02-30\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_error(
        &r,
        "content/awards/0-new.yaml",
        1,
        7,
        "duplicate award id `AAAA2222BBBB`: award `AAAA2222BBBB` is already issued at `content/awards/a.yaml:1:9`",
    );
    assert_error(
        &r,
        "content/awards/0-new.yaml",
        5,
        15,
        "`expires_on` is not a valid date: `2027-02-30`",
    );
    assert!(
        r.stderr.contains("February 2027 has 28 days"),
        "{}",
        r.stderr
    );
    assert!(
        !r.stderr.contains("--> content/awards/a.yaml"),
        "the long-standing record is not blamed:\n{}",
        r.stderr
    );
}

/// The settings and records of reaching earners are checked like the rest:
/// every mistake located, all in one run.
#[test]
fn notify_claim_and_answer_mistakes_are_located_all_at_once() {
    let f = Fixture::new();
    f.append(
        "content/site.yaml",
        "notify:\n  from: the academy\n  smtp: { host: \"smtp.example.org:587\" }\nclaims:\n  accept: http://forms.example.org/claim\n",
    );
    f.append(
        "content/earners/people.yaml",
        "- { id: lang-x, name: X, email: x@example.com, language: fr }\n",
    );
    f.append(
        "content/badges/exam-1.yaml",
        "recertification_url: renew-here\n",
    );
    f.append(
        "content/awards/a.yaml",
        "- { id: JJJJ6666KKKK, badge: exam-1, earner: slow-di, issued_on: 2026-01-10, accepted_on: 2026-01-12 }\n\
         - { id: LLLL7777MMMM, badge: exam-1, earner: slow-di, issued_on: 2026-01-10, accepted: true, declined_on: 2026-01-11 }\n\
         - { id: NNNN8888PPPP, badge: exam-1, earner: slow-di, issued_on: 2026-01-10, declined_on: 2026-01-09 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let site = "content/site.yaml";
    assert_error(
        &r,
        site,
        12,
        9,
        "`notify.from` `the academy` is not an email address",
    );
    assert_error(&r, site, 13, 17, "`notify.smtp.host` must be a host name");
    assert_error(
        &r,
        site,
        15,
        11,
        "`claims.accept` must be `mailto` or an https URL with `{token}`",
    );
    assert_error(
        &r,
        "content/earners/people.yaml",
        5,
        58,
        "`language` `fr` is not one of the site's languages",
    );
    assert_error(
        &r,
        "content/badges/exam-1.yaml",
        8,
        22,
        "`recertification_url` must be an absolute http(s) URL",
    );
    let awards = "content/awards/a.yaml";
    assert_error(&r, awards, 5, 91, "`accepted_on` needs `accepted: true`");
    assert_error(
        &r,
        awards,
        6,
        107,
        "cannot be both `accepted: true` and `declined_on`",
    );
    assert_error(
        &r,
        awards,
        7,
        91,
        "`declined_on` 2026-01-09 is not between `issued_on` 2026-01-10",
    );
}
