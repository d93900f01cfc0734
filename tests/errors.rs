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
    assert_error(&r, "content/badges/cert-1.yaml", 9, 9, "invalid boolean");
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
    assert!(r.stderr.contains("no `content/` directory"), "{}", r.stderr);
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
