//! Every award's QR code decodes to exactly its verification URL, also for a
//! site served under a path prefix; the page shows it, and prints it on the
//! certificate (its print view; the old certificate address leads there).

use crate::common::*;

fn decode(png: &[u8]) -> String {
    // QR PNGs are 1-bit; expand to 8-bit grey for the decoder.
    let mut decoder = png::Decoder::new(std::io::Cursor::new(png));
    decoder.set_transformations(png::Transformations::EXPAND);
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    assert_eq!(info.color_type, png::ColorType::Grayscale);
    let (w, h) = (info.width as usize, info.height as usize);
    let mut img = rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| buf[y * w + x]);
    let grids = img.detect_grids();
    assert_eq!(grids.len(), 1, "one QR code in the image");
    grids[0].decode().expect("decodes").1
}

/// The inline `<svg class=qr …>` of a page, rasterised and decoded. The
/// page is compacted HTML (attributes unquoted where they may be, as the
/// HTML parser accepts), so the path and size are read out and put into a
/// clean SVG.
fn decode_inline(page: &str) -> String {
    let class = page
        .find(" class=qr ")
        .expect("the page has an inline QR code");
    let start = page[..class].rfind("<svg").unwrap();
    let svg = &page[start..start + page[start..].find("</svg>").unwrap()];
    let attr = |name: &str| {
        let at = svg.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        svg[at..at + svg[at..].find('"').unwrap()].to_string()
    };
    let size = attr("viewBox");
    let d = attr("d");
    let dashes = attr("stroke-dasharray");
    let clean = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"{size}\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"none\" stroke=\"#000\" stroke-dasharray=\"{dashes}\" d=\"{d}\"/></svg>"
    );
    let tree = resvg::usvg::Tree::from_str(&clean, &resvg::usvg::Options::default()).unwrap();
    let scale = 8.0;
    let side = (tree.size().width() * scale) as u32;
    let mut pixmap = resvg::tiny_skia::Pixmap::new(side, side).unwrap();
    resvg::render(
        &tree,
        resvg::tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    // Grey from the red channel (black and white only), as a PNG for `decode`.
    let grey: Vec<u8> = pixmap.data().chunks(4).map(|p| p[0]).collect();
    let mut png = Vec::new();
    let mut enc = png::Encoder::new(&mut png, side, side);
    enc.set_color(png::ColorType::Grayscale);
    let mut w = enc.write_header().unwrap();
    w.write_image_data(&grey).unwrap();
    w.finish().unwrap();
    decode(&png)
}

fn check_all(root: &std::path::Path, out: &std::path::Path, base: &str, full: bool) -> usize {
    let r = run_in(root, &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut n = 0;
    for entry in std::fs::read_dir(out.join("verify")).unwrap().flatten() {
        if !entry.path().is_dir() {
            continue;
        }
        let id = entry.file_name().to_string_lossy().into_owned();
        let url = format!("{base}/verify/{id}/");
        if full {
            assert_eq!(
                decode(&std::fs::read(entry.path().join("qr.png")).unwrap()),
                url
            );
            let svg = std::fs::read_to_string(entry.path().join("qr.svg")).unwrap();
            assert!(svg.contains("shape-rendering=\"crispEdges\""), "vector QR");
        } else {
            assert!(!entry.path().join("qr.png").exists(), "lean: no QR files");
        }
        let page = std::fs::read_to_string(entry.path().join("index.html")).unwrap();
        assert!(page.contains(&url), "the page writes the QR target out");
        assert_eq!(decode_inline(&page), url, "the page's inline QR code");
        assert_eq!(
            page.matches("<svg class=qr ").count(),
            1,
            "one QR code, on screen and in print"
        );
        n += 1;
    }
    n
}

#[test]
fn every_example_award_qr_decodes_to_its_url() {
    let tmp = tempfile::tempdir().unwrap();
    let n = check_all(
        &example_root(),
        &tmp.path().join("public"),
        "https://credentials.example.org",
        false,
    );
    assert!(n >= 60, "{n} awards");
}

#[test]
fn qr_codes_keep_a_base_url_path_prefix() {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &full(&SITE.replace(
            "https://cred.example.org",
            "https://example.org/credentials",
        )),
    );
    let n = check_all(
        f.path(),
        &f.path().join("public"),
        "https://example.org/credentials",
        true,
    );
    assert_eq!(n, 2);
}

#[test]
fn revoked_and_expired_certificates_are_marked() {
    let f = Fixture::new();
    f.append("content/awards/a.yaml", &revoked_and_expired("pub-ann"));
    assert_eq!(f.build().code, 0);
    // The void mark prints across the sheet (style.css shows it in print
    // for an expired or revoked status, tests/browser.rs checks that).
    let revoked = f.out("verify/REVK2222AAAA/index.html");
    assert!(
        revoked.contains("<div class=void aria-hidden=true>Revoked</div>")
            && revoked.contains("class=\"status status--revoked\""),
        "revoked prints a void mark"
    );
    let expired = f.out("zh-CN/verify/EXPX2222AAAA/index.html");
    assert!(expired.contains("<div class=void aria-hidden=true>已过期</div>"));
    let valid = f.out("verify/AAAA2222BBBB/index.html");
    assert!(valid.contains("class=\"status status--valid\""));
    // A valid award carries the mark only for when it expires while open.
    let never = !valid.contains("data-expires=2");
    assert_eq!(
        valid.contains("<div class=void aria-hidden=true>Expired</div>"),
        !never
    );
    assert!(!valid.contains("<div class=void aria-hidden=true>Revoked</div>"));
    for page in [&revoked, &expired, &valid] {
        assert!(page.contains("static/print.js"), "Print button script");
        assert!(page.contains("<button type=button class=linkish id=print-certificate hidden>"));
        assert!(page.contains(" class=cert-title>") && page.contains(" class=cert-at>"));
    }
}
