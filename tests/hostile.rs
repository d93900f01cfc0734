//! Hostile badge artwork, as a contributor to an issuer's repository could
//! hand it in: SVGs with script in every place SVG allows it, references
//! to files on the build machine and to the network, entity bombs. A site
//! is built from them with the real binary, and the published files are
//! searched for what must not survive.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::common::*;
use accolade::images::{self, Fonts};
use accolade::openbadges::bake;
use accolade::theme::Theme;
use resvg::tiny_skia::Pixmap;

/// The magenta of the secret file: a pixel of it in the output means a
/// file from outside `content/` was drawn.
const SECRET_RGB: [u8; 3] = [255, 0, 255];

fn fixtures() -> PathBuf {
    example_root().join("tests/fixtures/hostile")
}

/// The fixture SVGs in `dir`, by file stem, sorted.
fn corpus(dir: &Path) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "svg"))
        .map(|p| {
            let stem = p.file_stem().unwrap().to_str().unwrap().to_string();
            (stem, std::fs::read_to_string(&p).unwrap())
        })
        .collect();
    out.sort();
    out
}

fn solid_png(side: u32, rgb: [u8; 3]) -> Vec<u8> {
    let mut p = Pixmap::new(side, side).unwrap();
    p.fill(resvg::tiny_skia::Color::from_rgba8(
        rgb[0], rgb[1], rgb[2], 255,
    ));
    p.encode_png().unwrap()
}

/// A fixture site with one badge (and one award) per hostile SVG, and the
/// secret file at the site root, outside `content/`.
fn hostile_site() -> (Fixture, Vec<String>) {
    let f = Fixture::new();
    let secret = f.path().join("secret.png");
    std::fs::write(&secret, solid_png(64, SECRET_RGB)).unwrap();
    let mut badges = Vec::new();
    for (name, svg) in corpus(&fixtures()) {
        let svg = svg.replace("SECRET", secret.to_str().unwrap());
        f.write(&format!("content/images/{name}.svg"), &svg);
        f.write(
            &format!("content/badges/{name}.yaml"),
            &format!(
                "id: {name}\nkind: exam\nname: Hostile {name}\ndescription: d\ncriteria: c\nimage: images/{name}.svg\n"
            ),
        );
        badges.push(name);
    }
    let awards: String = badges
        .iter()
        .enumerate()
        .map(|(i, b)| {
            format!(
                "- {{ id: HOST{i:04}ZZZZ, badge: {b}, earner: pub-ann, issued_on: 2026-01-10 }}\n"
            )
        })
        .collect();
    f.write("content/awards/hostile.yaml", &awards);
    (f, badges)
}

/// Runs the binary from inside `content/images/`, where a relative
/// `../../secret.png` reaches the secret file.
fn build_from_images_dir(f: &Fixture) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_accolade"))
        .args(["build", "--root"])
        .arg(f.path())
        .current_dir(f.path().join("content/images"))
        .env("SOURCE_DATE_EPOCH", NOW.to_string())
        .env_remove("ACCOLADE_SIGNING_KEY")
        .output()
        .unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// The SVG without its baked `<openbadges:…>` elements (whose JSON holds
/// the site's own https URLs).
fn strip_baked(svg: &str) -> String {
    let mut out = String::new();
    let mut rest = svg;
    while let Some(i) = rest.find("<openbadges:") {
        out.push_str(&rest[..i]);
        let close = rest[i..].find("</openbadges:").expect("closed");
        let end = rest[i + close..].find('>').unwrap();
        rest = &rest[i + close + end + 1..];
    }
    out.push_str(rest);
    out
}

/// Everything a published SVG must not contain, as (what, needle) pairs,
/// searched case-insensitively.
const FORBIDDEN: &[&str] = &[
    "<script",
    "javascript:",
    "alert(",
    "foreignobject",
    "iframe",
    "<html",
    "<embed",
    "<set",
    "<animate",
    "<a ",
    "@import",
    "file:",
    "passwd",
    "evil.example",
    "data:text",
    "data:image/svg",
    "xml-stylesheet",
    "secret",
];

fn assert_inert(what: &str, svg: &str) {
    let lower = svg.to_ascii_lowercase();
    for needle in FORBIDDEN {
        assert!(
            !lower.contains(needle),
            "{what} contains `{needle}`:\n{svg}"
        );
    }
    let events = lower
        .split(|c: char| c.is_whitespace())
        .filter(|w| w.starts_with("on") && w.contains('='))
        .collect::<Vec<_>>();
    assert!(events.is_empty(), "{what} has event attributes {events:?}");
    // Every http(s) URL left is an XML namespace name.
    for (i, _) in lower.match_indices("http") {
        let url = &lower[i..];
        assert!(
            [
                "http://www.w3.org/2000/svg\"",
                "http://www.w3.org/1999/xlink\"",
                "http://openbadges.org\"",
                "https://purl.imsglobal.org/ob/v3p0\"",
            ]
            .iter()
            .any(|ns| url.starts_with(ns)),
            "{what} refers to {}",
            &url[..url.len().min(60)]
        );
    }
    images::check_clean(svg).unwrap_or_else(|e| panic!("{what}: {e}"));
}

fn has_secret_pixels(png: &[u8]) -> bool {
    let p = Pixmap::decode_png(png).unwrap();
    p.pixels().iter().any(|px| {
        let c = px.demultiply();
        c.alpha() > 200
            && c.red() > 230
            && c.green() < 40
            && c.blue() > 230
            && [c.red(), c.green(), c.blue()] != [0, 0, 0]
    })
}

#[test]
fn hostile_artwork_is_published_inert_and_draws_no_outside_file() {
    let (f, badges) = hostile_site();
    let run = build_from_images_dir(&f);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let secret = secret_base64(&f);

    for (i, b) in badges.iter().enumerate() {
        let published = f.out(&format!("badges/{b}.svg"));
        assert_inert(&format!("badges/{b}.svg"), &published);
        let baked = f.out(&format!("verify/HOST{i:04}ZZZZ/badge.svg"));
        assert_eq!(
            bake::read_svg(&baked, "assertion").len(),
            1,
            "{b}: still baked"
        );
        assert_inert(&format!("baked {b}"), &strip_baked(&baked));
        assert!(!published.contains(&secret), "{b} embeds the secret file");
        // The drawing itself survives: the green disc is in the PNG.
        let png = std::fs::read(f.path().join(format!("public/badges/{b}.png"))).unwrap();
        let centre = Pixmap::decode_png(&png).unwrap().pixel(300, 300).unwrap();
        assert_eq!(
            (centre.red(), centre.green(), centre.blue()),
            (0x22, 0xaa, 0x66),
            "{b}: the artwork is still drawn"
        );
    }

    // No published PNG shows the secret: artwork at every size, cards, baked.
    let pngs: Vec<PathBuf> = files(&f.path().join("public"))
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "png"))
        .filter(|p| !p.to_string_lossy().contains("qr"))
        .collect();
    assert!(pngs.len() > badges.len() * 4, "{pngs:?}");
    for p in &pngs {
        let bytes = std::fs::read(f.path().join("public").join(p)).unwrap();
        assert!(
            !has_secret_pixels(&bytes),
            "{} shows the secret file",
            p.display()
        );
    }
}

/// The fixture is dangerous: re-serialised by usvg with its default options
/// (which read `<image>` files), the secret file would be embedded in the
/// published SVG. Keeps the test above honest.
#[test]
fn the_fixture_would_leak_the_secret_without_sanitising() {
    let (f, _) = hostile_site();
    let svg = std::fs::read(f.path().join("content/images/image-file.svg")).unwrap();
    let options = resvg::usvg::Options {
        resources_dir: Some(f.path().join("content/images")),
        ..Default::default()
    };
    let tree = resvg::usvg::Tree::from_data(&svg, &options).unwrap();
    let written = tree.to_string(&Default::default());
    assert!(
        written.contains(&secret_base64(&f)),
        "usvg embeds the secret"
    );
}

/// The secret file as usvg would embed it in a `data:` URL.
fn secret_base64(f: &Fixture) -> String {
    use base64::Engine;
    let bytes = std::fs::read(f.path().join("secret.png")).unwrap();
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

#[test]
fn sanitising_reports_what_it_removed() {
    let fonts = Fonts::from_theme(&Theme::built_in());
    let expect: &[(&str, &[&str])] = &[
        ("script", &["4 scripts"]),
        (
            "events",
            &["7 event attributes (onload, onclick, onmouseover, onfocusin, ONMOUSEMOVE)"],
        ),
        (
            "animate",
            &[
                "6 animation elements (set, animate, animateTransform, discard)",
                "1 link",
            ],
        ),
        (
            "use-external",
            &[
                "3 outside references (https:, path)",
                "1 embedded document other than PNG or JPEG (image/svg+xml)",
            ],
        ),
        (
            "css",
            &["1 stylesheet link", "outside reference", "javascript: URL"],
        ),
        ("links", &["4 links (javascript:, data:, https:)"]),
        (
            "foreign",
            &[
                "2 foreignObject elements",
                "1 element of another XML language (embed)",
            ],
        ),
        (
            "image-file",
            &[
                "outside reference",
                "embedded document other than PNG or JPEG",
            ],
        ),
    ];
    let all = corpus(&fixtures());
    for (name, wanted) in expect {
        let svg = &all.iter().find(|(n, _)| n == name).unwrap().1;
        let clean = images::sanitize_svg(svg.as_bytes(), &fonts).unwrap();
        let report: Vec<&str> = clean.removed.iter().map(|r| r.what.as_str()).collect();
        let report = report.join("; ");
        for w in *wanted {
            assert!(report.contains(w), "{name}: `{w}` not in `{report}`");
        }
    }
    let fine = &all.iter().find(|(n, _)| n == "embedded-png").unwrap().1;
    let clean = images::sanitize_svg(fine.as_bytes(), &fonts).unwrap();
    assert_eq!(clean.removed, Vec::new());
    assert!(
        String::from_utf8(clean.svg)
            .unwrap()
            .contains("data:image/png;base64,")
    );
}

#[test]
fn sanitised_artwork_is_deterministic_and_renders_like_the_source() {
    let fonts = Fonts::from_theme(&Theme::built_in());
    let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200"><defs><linearGradient id="g"><stop offset="0" stop-color="#036"/><stop offset="1" stop-color="#0a6"/></linearGradient></defs><circle cx="100" cy="100" r="90" fill="url(#g)" stroke="#fc0" stroke-width="8"/><text x="100" y="115" font-size="40" text-anchor="middle" fill="#fff">AZ-900</text></svg>"##;
    let a = images::sanitize_svg(svg, &fonts).unwrap();
    let b = images::sanitize_svg(svg, &fonts).unwrap();
    assert_eq!(a.svg, b.svg);
    assert!(a.removed.is_empty(), "{:?}", a.removed);
    let text = String::from_utf8(a.svg.clone()).unwrap();
    assert!(!text.contains("<text"), "text became paths");
    assert!(
        text.starts_with("<svg viewBox=\"0 0 200 200\" width=\"200\" height=\"200\""),
        "it scales like the source: {text}"
    );
    let before = images::svg_to_png(svg, 200, &fonts).unwrap();
    let after = images::svg_to_png(&a.svg, 200, &fonts).unwrap();
    let (p, q) = (
        Pixmap::decode_png(&before).unwrap(),
        Pixmap::decode_png(&after).unwrap(),
    );
    let differing = p
        .pixels()
        .iter()
        .zip(q.pixels())
        .filter(|(x, y)| {
            let d = |a: u8, b: u8| a.abs_diff(b) > 8;
            d(x.red(), y.red()) || d(x.green(), y.green()) || d(x.blue(), y.blue())
        })
        .count();
    assert!(
        differing < 200,
        "{differing} of 40000 pixels differ after sanitising"
    );
}

#[test]
fn two_builds_of_hostile_artwork_are_byte_identical() {
    let (f, badges) = hostile_site();
    assert_eq!(f.build().code, 0);
    let first: Vec<Vec<u8>> = badges
        .iter()
        .map(|b| std::fs::read(f.path().join(format!("public/badges/{b}.svg"))).unwrap())
        .collect();
    std::fs::remove_dir_all(f.path().join("public")).unwrap();
    assert_eq!(f.build().code, 0);
    for (b, bytes) in badges.iter().zip(first) {
        assert_eq!(
            std::fs::read(f.path().join(format!("public/badges/{b}.svg"))).unwrap(),
            bytes,
            "{b}"
        );
    }
}

#[test]
fn bombs_and_unreadable_artwork_are_located_errors() {
    let cases: Vec<(String, String, &str)> = corpus(&fixtures().join("refused"))
        .into_iter()
        .map(|(n, s)| {
            let why = match n.as_str() {
                "billion-laughs" | "wide-entities" => "entit",
                "external-entity" => "cannot read the SVG",
                _ => "cannot read the SVG",
            };
            (n, s, why)
        })
        .chain([(
            "huge".to_string(),
            format!(
                "<svg xmlns=\"http://www.w3.org/2000/svg\"><!-- {} --></svg>",
                "x".repeat(images::MAX_ARTWORK_BYTES)
            ),
            "the limit is 10 MB",
        )])
        .collect();
    assert!(cases.len() >= 5);
    for (name, svg, why) in cases {
        let f = Fixture::new();
        f.write("content/images/exam-1.svg", &svg);
        let started = std::time::Instant::now();
        let run = f.build();
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        assert!(
            run.stderr.contains("content/images/exam-1.svg") && run.stderr.contains(why),
            "{name}: {}",
            run.stderr
        );
        assert!(!run.stderr.contains("root:"), "{name}: /etc/passwd leaked");
        assert!(
            started.elapsed().as_secs() < 20,
            "{name} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn png_artwork_with_absurd_dimensions_is_an_error_not_an_allocation() {
    let f = Fixture::new();
    // A valid header claiming 100000×100000 pixels, and nothing else.
    let mut png = solid_png(1, [0, 0, 0]);
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    std::fs::write(f.path().join("content/images/big.png"), &png).unwrap();
    f.write(
        "content/badges/exam-1.yaml",
        "id: exam-1\nkind: exam\nname: E\ndescription: d\ncriteria: c\nimage: images/big.png\n",
    );
    let run = f.build();
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(run.stderr.contains("at most 8192 px"), "{}", run.stderr);
}

/// `accolade verify` reads files from anyone: deep JSON, huge chunks and
/// cut-off images are answered with a clear error, fast.
#[test]
fn verify_answers_hostile_files_with_clear_errors() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    let public = f.path().join("public");
    let genuine = std::fs::read(public.join("verify/AAAA2222BBBB/badge.png")).unwrap();
    let mut claims = genuine[..33].to_vec();
    claims.extend_from_slice(&(50u32 << 20).to_be_bytes());
    claims.extend_from_slice(b"iTXt");
    claims.extend_from_slice(&[0; 64]);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let baked_deep = bake::bake_png(&genuine, bake::OB3_KEYWORD, &deep).unwrap();
    let cases: [(&str, Vec<u8>, &str); 4] = [
        ("deep.json", deep.clone().into_bytes(), "recursion limit"),
        ("deep.png", baked_deep, "recursion limit"),
        ("claims.png", claims, "chunk of 50.0 MB"),
        (
            "cut.png",
            genuine[..genuine.len() / 2].to_vec(),
            "truncated PNG",
        ),
    ];
    for (name, bytes, why) in cases {
        let path = f.path().join(name);
        std::fs::write(&path, bytes).unwrap();
        let started = std::time::Instant::now();
        let run = f.run(&[
            "verify",
            path.to_str().unwrap(),
            "--site",
            public.to_str().unwrap(),
        ]);
        // Not a credential (1) or not checkable (2); never a crash.
        assert!(
            [1, 2].contains(&run.code),
            "{name}: {}{}",
            run.stdout,
            run.stderr
        );
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains(why), "{name}: {said}");
        assert!(started.elapsed().as_secs() < 10, "{name}");
    }
}

/// Regression (fuzzing): an embedded PNG claiming 4×3,221,225,476 pixels
/// made usvg panic; it is now left out, and the rest is published.
#[test]
fn an_absurd_embedded_png_is_left_out_not_a_panic() {
    let fonts = Fonts::from_theme(&Theme::built_in());
    let svg = std::fs::read(fixtures().join("fuzz-tall-png.svg")).unwrap();
    let clean = images::sanitize_svg(&svg, &fonts).unwrap();
    let text = String::from_utf8(clean.svg).unwrap();
    assert!(!text.contains("<image"), "{text}");
    assert!(text.contains("<path"), "{text}");
    assert!(images::svg_to_png(&svg, 100, &fonts).is_ok());
}

#[test]
fn check_and_build_say_what_was_removed_from_artwork() {
    let f = Fixture::new();
    f.write(
        "content/images/exam-1.svg",
        &SVG.replace(
            "<circle",
            "<script>alert(1)</script><circle onclick=\"alert(2)\"",
        ),
    );
    // Located at the first of each kind in the artwork's source.
    let script = "warning: removed 1 script from `content/images/exam-1.svg`\n --> content/images/exam-1.svg:1:";
    for cmd in ["check", "build"] {
        let r = f.run(&[cmd]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        assert!(r.stderr.contains(script), "{cmd}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("warning: removed 1 event attribute (onclick)"),
            "{cmd}: {}",
            r.stderr
        );
    }
    assert!(!f.out("badges/exam-1.svg").contains("alert"));
    // A run that also has errors still says what the artwork lost.
    f.append(
        "content/awards/a.yaml",
        "- { id: BROK2222AAAA, badge: exam-1, earner: nobody, issued_on: 2026-01-10 }\n",
    );
    let r = f.run(&["check"]);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.contains("award names earner `nobody`"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(script), "{}", r.stderr);
}

/// Positions: the first script on line 3, the event attribute on line 4.
#[test]
fn removals_are_located_at_their_first_occurrence() {
    let fonts = Fonts::from_theme(&Theme::built_in());
    let svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\">\n<rect width=\"10\" height=\"10\"/>\n  <script>1</script><script>2</script>\n<circle r=\"3\" onload=\"x()\"/></svg>";
    let clean = images::sanitize_svg(svg.as_bytes(), &fonts).unwrap();
    let at = |what: &str| {
        let r = clean
            .removed
            .iter()
            .find(|r| r.what.contains(what))
            .unwrap();
        (r.what.clone(), r.line, r.column)
    };
    assert_eq!(at("script"), ("2 scripts".to_string(), 3, 3));
    assert_eq!(
        at("event"),
        ("1 event attribute (onload)".to_string(), 4, 15)
    );
}
