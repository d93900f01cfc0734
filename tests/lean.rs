//! `award_files: lean` (the default): per award only its pages and two
//! JSON documents, QR codes inline, downloads made in the browser, and
//! `accolade bake` for the same baked image offline. Switching to `full`
//! and back adds and removes the hosted images on an incremental build.

use accolade::openbadges::bake;

use crate::common::*;

/// The fixture site with `award_files` left out (lean by default).
fn lean() -> Fixture {
    let f = Fixture::new();
    f.write("content/site.yaml", SITE);
    f.append("content/awards/a.yaml", &revoked_and_expired("pub-ann"));
    f
}

#[test]
fn a_lean_award_is_its_pages_and_two_documents() {
    let f = lean();
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let award: Vec<String> = files(&f.path().join("public/verify/AAAA2222BBBB"))
        .iter()
        .map(|p| p.display().to_string())
        .collect();
    assert_eq!(award, ["assertion.json", "credential.json", "index.html"]);
    assert!(f.exists("zh-CN/verify/AAAA2222BBBB/index.html"));
    assert!(!f.exists("zh-CN/verify/AAAA2222BBBB/assertion.json"));
    assert!(
        r.stderr.contains("Per award: 4.0 files,") && r.stderr.contains("award_files: lean"),
        "the summary says files and bytes per award: {}",
        r.stderr
    );

    let assertion: serde_json::Value =
        serde_json::from_str(&f.out("verify/AAAA2222BBBB/assertion.json")).unwrap();
    assert_eq!(
        assertion["image"], "https://cred.example.org/badges/exam-1-600.png",
        "the 2.0 assertion's image is hosted artwork"
    );
    let page = f.out("verify/AAAA2222BBBB/index.html");
    for hosted in ["/badge.png", "/badge.svg", "/qr.svg", "/qr.png"] {
        assert!(
            !page.contains(hosted),
            "the page links {hosted}, which lean has not"
        );
    }
    assert!(page.contains("static/download.js"));
    assert!(
        page.contains("data-bake=../../badges/exam-1.png"),
        "bakes from the artwork"
    );
    assert!(page.contains("data-bake=../../badges/exam-1.svg"));
    // download.js finds the assertion from the page's alternate link, the
    // credential beside it: the page need not name them again.
    assert!(page.contains(
        "<link rel=alternate type=application/ld+json href=../../verify/AAAA2222BBBB/assertion.json>"
    ));
    assert!(!page.contains("data-assertion"));
    assert!(page.contains("<svg class=qr "), "inline QR code");
    let data = share_data(&page).expect("a valid award has a sharing kit");
    assert_eq!(data["b"], "https://cred.example.org/badges/exam-1-");
    assert_eq!(data.get("i"), None, "no hosted baked image");
    let kit = share_kit(f.path(), "AAAA2222BBBB", "en");
    assert!(
        kit.html_snippet
            .contains("<img src=\"https://cred.example.org/badges/exam-1-220.png\""),
        "the website snippet uses hosted artwork: {}",
        kit.html_snippet
    );
    // With `certificate_pages: true` (sites that published them), the
    // certificate's address leads to the page's print view.
    assert!(!f.exists("verify/AAAA2222BBBB/certificate/index.html"));
    f.write(
        "content/site.yaml",
        &format!("{SITE}certificate_pages: true\n"),
    );
    let r = f.build();
    assert!(r.stderr.contains("Per award: 6.0 files,"), "{}", r.stderr);
    for (lang, prefix) in [("en", ""), ("zh-CN", "zh-CN/")] {
        let cert = f.out(&format!(
            "{prefix}verify/AAAA2222BBBB/certificate/index.html"
        ));
        assert!(!cert.contains("<svg"), "{lang}: no QR code of its own");
        assert!(
            cert.contains("<meta name=robots content=noindex>"),
            "{cert}"
        );
        assert!(
            cert.contains(&format!(
                "<link rel=canonical href=https://cred.example.org/{prefix}verify/AAAA2222BBBB/>"
            )),
            "{cert}"
        );
        assert!(
            cert.contains("<meta http-equiv=refresh content=\"0; url=../#print\">")
                && cert.contains("<a href=../#print>"),
            "{cert}"
        );
        assert!(
            cert.len() < 400,
            "{lang}: a small stub, {} bytes",
            cert.len()
        );
    }
    // No inline scripts: only external ones and JSON data blocks.
    for chunk in page.split("<script").skip(1) {
        let tag = &chunk[..chunk.find('>').unwrap()];
        assert!(
            tag.contains("src=")
                || tag.contains("type=application/ld+json")
                || tag.contains("type=application/json"),
            "inline script: {tag}"
        );
    }
}

/// The strings of the sharing kit and the download, the same on every
/// page of a language, are published once per language for the scripts,
/// and no page repeats them. The status, which an employer reads, keeps
/// its strings on the page: it does not wait for a fetch.
#[test]
fn script_strings_are_published_once_per_language() {
    let f = lean();
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let public = f.path().join("public");
    for (lang, prefix) in [("en", ""), ("zh-CN", "zh-CN/")] {
        let strings = script_strings(&public, lang);
        let theme = theme_strings(lang);
        let keys = accolade::render::SCRIPT_STRINGS;
        assert_eq!(strings.as_object().unwrap().len(), keys.len(), "{lang}");
        for key in keys {
            assert_eq!(strings[key], theme[key], "{lang}: {key}");
            assert!(strings[key].as_str().is_some_and(|s| !s.is_empty()));
        }
        let page = f.out(&format!("{prefix}verify/AAAA2222BBBB/index.html"));
        for key in keys {
            let text = theme[key].as_str().unwrap();
            // As an attribute (minified with or without quotes) or a label
            // in the share data.
            for carried in [
                format!("=\"{text}\""),
                format!("={text}>"),
                format!("={text} "),
                format!("[\"{text}\""),
            ] {
                assert!(!page.contains(&carried), "{lang}: the page repeats {key}");
            }
        }
        assert!(page.contains("<div id=share-kit></div>"), "{lang}");
        // The status icon is drawn by style.css, not carried by each page.
        assert!(page.contains("<div class=status__icon></div>"), "{lang}");
        assert!(!page.contains("status-icon"), "{lang}");
        assert!(
            page.contains("data-label-expired="),
            "{lang}: status strings stay"
        );
    }
    assert_eq!(
        script_strings(&public, "zh-CN")["share_copy"],
        "复制",
        "the Chinese file is in Chinese"
    );
    assert_eq!(script_strings(&public, "en")["share_copy"], "Copy");
}

#[test]
fn switching_to_full_and_back_adds_and_removes_the_hosted_images() {
    let f = lean();
    assert_eq!(f.build().code, 0);
    f.write("content/site.yaml", &full(SITE));
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    for file in ["badge.png", "badge.svg", "qr.svg", "qr.png"] {
        assert!(f.exists(&format!("verify/AAAA2222BBBB/{file}")), "{file}");
    }
    let page = f.out("verify/AAAA2222BBBB/index.html");
    assert!(page.contains("badge.png") && !page.contains("download.js"));
    f.write(
        "content/site.yaml",
        &full(SITE).replace("award_files: full", "award_files: lean"),
    );
    assert_eq!(f.build().code, 0);
    assert!(
        !f.exists("verify/AAAA2222BBBB/badge.png"),
        "stale images removed"
    );
    assert!(
        !f.out("verify/AAAA2222BBBB/index.html")
            .contains("badge.png")
    );
}

#[test]
fn bake_writes_the_artwork_with_the_hosted_documents_inside() {
    let f = lean();
    assert_eq!(f.build().code, 0);
    let r = f.run(&["bake", "aaaa2222bbbb", "--out", "out.png"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let png = std::fs::read(f.path().join("out.png")).unwrap();
    let art = std::fs::read(f.path().join("public/badges/exam-1.png")).unwrap();
    let chunks = bake::png_chunks(&png).unwrap();
    assert_eq!(&chunks[0].0, b"IHDR");
    assert_eq!(&chunks[1].0, b"iTXt");
    assert_eq!(&chunks[2].0, b"iTXt");
    assert_eq!(idat(&png), idat(&art), "pixels are not re-encoded");
    assert_eq!(
        bake::read_png(&png, bake::OB2_KEYWORD).unwrap(),
        [bake::baked_json(
            f.out("verify/AAAA2222BBBB/assertion.json").as_bytes()
        )],
        "the hosted assertion, in its baked form"
    );
    assert_eq!(
        bake::read_png(&png, bake::OB3_KEYWORD).unwrap(),
        [bake::baked_json(
            f.out("verify/AAAA2222BBBB/credential.json").as_bytes()
        )]
    );
    let file = f.path().join("out.png");
    let r = f.run(&["verify", file.to_str().unwrap(), "--site", "public"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    let r = f.run(&["bake", "AAAA2222BBBB", "--format", "svg"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let svg = std::fs::read_to_string(f.path().join("AAAA2222BBBB.svg")).unwrap();
    assert_eq!(bake::read_svg(&svg, "assertion").len(), 1);
    assert_eq!(bake::read_svg(&svg, "credential").len(), 1);
    let file = f.path().join("AAAA2222BBBB.svg");
    let r = f.run(&["verify", file.to_str().unwrap(), "--site", "public"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);

    // Into a folder that does not exist yet, as `bake --help` shows.
    let r = f.run(&[
        "bake",
        "AAAA2222BBBB",
        "--format",
        "svg",
        "--out",
        "badges-to-print/ann.svg",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.path().join("badges-to-print/ann.svg").is_file());
}

/// `award_files: full` hosts the very bytes `accolade bake` (and a lean
/// page's download button) makes: one way to bake.
#[test]
fn hosted_baked_images_are_the_bytes_of_accolade_bake() {
    let f = Fixture::new();
    assert_eq!(f.build().code, 0);
    for ext in ["png", "svg"] {
        let out = format!("out.{ext}");
        let r = f.run(&["bake", "AAAA2222BBBB", "--format", ext, "--out", &out]);
        assert_eq!(r.code, 0, "{}", r.stderr);
        let hosted = f
            .path()
            .join(format!("public/verify/AAAA2222BBBB/badge.{ext}"));
        assert!(
            std::fs::read(hosted).unwrap() == std::fs::read(f.path().join(&out)).unwrap(),
            "the hosted badge.{ext} differs from `accolade bake`"
        );
    }
}

#[test]
fn bake_refuses_what_it_cannot_bake() {
    let f = lean();
    let r = f.run(&["bake", "REVK2222AAAA"]);
    assert_eq!(r.code, 1, "revoked: {}", r.stderr);
    assert!(r.stderr.contains("revoked"), "{}", r.stderr);
    let r = f.run(&["bake", "NOSUCHAWARD2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("not an award of this site"),
        "{}",
        r.stderr
    );
    let r = f.run(&["bake", "EEEE4444FFFF"]);
    assert_eq!(r.code, 2, "private earner: {}", r.stderr);
    assert!(r.stderr.contains("not published"), "{}", r.stderr);
    let r = f.run(&["bake", "AAAA2222BBBB", "--format", "gif"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// `certificate_pages: true` adds the old certificate addresses, one page
/// per award and language, and changes nothing else, byte for byte: a site
/// that published them before keeps exactly the output it had.
#[test]
fn certificate_pages_add_the_old_addresses_and_nothing_else() {
    let tmp = tempfile::tempdir().unwrap();
    let plain = example_copy(&tmp.path().join("off"), |t| t);
    let with = example_copy(&tmp.path().join("on"), |t| {
        format!("{t}\ncertificate_pages: true\n")
    });
    for root in [&plain, &with] {
        let r = run_at(root, &["build"], NOW);
        assert_eq!(r.code, 0, "{}", r.stderr);
    }
    let (off, on) = (plain.join("public"), with.join("public"));
    let off_files = files(&off);
    let mut stubs = 0;
    for f in files(&on) {
        let p = f.display().to_string();
        if p.ends_with("/certificate/index.html") {
            stubs += 1;
            let page = p.trim_end_matches("certificate/index.html");
            assert!(
                off.join(page).join("index.html").is_file(),
                "{p}: a stub of a published page"
            );
            continue;
        }
        assert!(
            std::fs::read(on.join(&f)).unwrap() == std::fs::read(off.join(&f)).unwrap(),
            "{p} differs"
        );
    }
    // One per verification page of an award, in each language.
    let award_pages = off_files
        .iter()
        .filter(|f| {
            let s = f.display().to_string();
            let depth = f.components().count();
            s.ends_with("/index.html")
                && ((s.starts_with("verify/") && depth == 3)
                    || (s.starts_with("zh-CN/verify/") && depth == 4))
        })
        .count();
    assert!(stubs > 100, "{stubs}");
    assert_eq!(stubs, award_pages);
    assert_eq!(files(&on).len(), off_files.len() + stubs);
}
