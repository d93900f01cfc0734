//! Raster images: badge artwork as PNG at fixed sizes (SVG rendered with
//! resvg, PNG scaled with tiny-skia), and SVG templates rendered to PNG
//! (link-preview cards). SVG artwork is published only sanitised
//! ([`sanitize_svg`]), and every SVG is rasterised without access to files.
//!
//! Text in SVGs is drawn only with the fonts the theme ships (`fonts/`),
//! never the machine's: output must not depend on what is installed, and
//! the same content gives the same bytes everywhere. The first font is the
//! main one; a character it lacks (Chinese, say) is drawn with the first
//! other font that has it, in the theme's file order, and
//! [`missing_glyphs`] names the characters that no font has.

use std::sync::Arc;

use resvg::tiny_skia::{FilterQuality, Pixmap, PixmapPaint, Transform};
use resvg::usvg;

use crate::theme::Theme;

mod sanitize;
pub use sanitize::{MAX_ARTWORK_BYTES, Removed, Sanitized, check_clean, sanitize_svg, too_big};

/// What sanitising took out of the artwork at `rel` (relative to the site),
/// one warning per kind, located at the first of its kind.
pub fn removal_warnings(
    rel: &std::path::Path,
    removed: &[Removed],
) -> Vec<crate::diagnostics::Diagnostic> {
    removed
        .iter()
        .map(|r| {
            crate::diagnostics::Diagnostic::warning(
                rel,
                crate::diagnostics::Pos::new(r.line, r.column),
                format!("removed {} from `{}`", r.what, rel.display()),
            )
            .help("the published artwork is a clean copy without them")
        })
        .collect()
}

/// The largest PNG artwork accepted, in pixels a side: decoding allocates
/// four bytes a pixel, and badges are shown at 600 px.
pub const MAX_PNG_SIDE: u32 = 8192;

/// Reads an artwork file, refusing one over [`MAX_ARTWORK_BYTES`] before
/// reading it whole.
pub fn read_artwork(path: &std::path::Path) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let file = std::fs::File::open(path).map_err(|e| format!("cannot read artwork: {e}"))?;
    let mut bytes = Vec::new();
    file.take(MAX_ARTWORK_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("cannot read artwork: {e}"))?;
    if bytes.len() > MAX_ARTWORK_BYTES {
        let len = std::fs::metadata(path).map_or(bytes.len(), |m| m.len() as usize);
        return Err(too_big(len));
    }
    Ok(bytes)
}

/// Checks PNG artwork before it is decoded: a PNG signature and header,
/// and sides within [`MAX_PNG_SIDE`].
pub fn check_png(png: &[u8]) -> Result<(u32, u32), String> {
    if png.len() > MAX_ARTWORK_BYTES {
        return Err(too_big(png.len()));
    }
    let (w, h) = png_size(png)
        .filter(|_| png.starts_with(b"\x89PNG\r\n\x1a\n"))
        .ok_or("not a PNG file")?;
    if w == 0 || h == 0 || w > MAX_PNG_SIDE || h > MAX_PNG_SIDE {
        return Err(format!(
            "the PNG is {w}×{h} px; artwork may be at most {MAX_PNG_SIDE} px a side"
        ));
    }
    Ok((w, h))
}

/// Fonts for rasterising, loaded once per build.
pub struct Fonts(Arc<usvg::fontdb::Database>);

impl Fonts {
    pub fn from_theme(theme: &Theme) -> Fonts {
        let mut db = usvg::fontdb::Database::new();
        for (name, f) in theme.under("fonts/") {
            if name.ends_with(".ttf") || name.ends_with(".otf") {
                db.load_font_data(f.bytes.clone());
            }
        }
        let family = db
            .faces()
            .next()
            .and_then(|f| f.families.first().map(|(n, _)| n.clone()));
        if let Some(family) = family {
            db.set_sans_serif_family(family.clone());
            db.set_serif_family(family.clone());
            db.set_monospace_family(family.clone());
            db.set_cursive_family(family.clone());
            db.set_fantasy_family(family);
        }
        Fonts(Arc::new(db))
    }
}

/// The characters of an SVG's text that none of the fonts can draw (each
/// once, in order of appearance), found by laying the text out as the
/// rasteriser will and looking for glyphs left as `.notdef` (glyph 0) after
/// every font was tried. Whitespace is never reported.
pub fn missing_glyphs(svg: &[u8], fonts: &Fonts) -> Result<Vec<char>, String> {
    // Only the text matters here: no `<image>` is loaded, neither a file
    // (artwork must never make the build read other files) nor embedded
    // data (usvg panics on absurd embedded PNGs); and the source may be
    // hostile, so a panic in usvg is an error, not a crash.
    let options = usvg::Options {
        fontdb: fonts.0.clone(),
        font_family: "DejaVu Sans".into(),
        image_href_resolver: usvg::ImageHrefResolver {
            resolve_string: Box::new(|_, _| None),
            resolve_data: Box::new(|_, _, _| None),
        },
        ..usvg::Options::default()
    };
    sanitize::guarded("reading the SVG's text", || {
        let tree = usvg::Tree::from_data(svg, &options)
            .map_err(|e| format!("cannot read the SVG: {e}"))?;
        let mut missing = Vec::new();
        collect_missing(tree.root(), &mut missing);
        Ok(missing)
    })
}

/// Walks a group for text nodes and adds their `.notdef` characters.
fn collect_missing(group: &usvg::Group, missing: &mut Vec<char>) {
    for node in group.children() {
        match node {
            usvg::Node::Group(g) => collect_missing(g, missing),
            usvg::Node::Text(text) => {
                let glyphs = text.layouted().iter().flat_map(|s| &s.positioned_glyphs);
                for c in glyphs.filter(|g| g.id.0 == 0).flat_map(|g| g.text.chars()) {
                    if !c.is_whitespace() && !missing.contains(&c) {
                        missing.push(c);
                    }
                }
            }
            _ => {}
        }
    }
}

/// Renders an SVG into a `size`×`size` PNG, scaled to fit and centred.
pub fn svg_to_png(svg: &[u8], size: u32, fonts: &Fonts) -> Result<Vec<u8>, String> {
    svg_to_png_sized(svg, size, size, fonts)
}

pub fn svg_to_png_sized(
    svg: &[u8],
    width: u32,
    height: u32,
    fonts: &Fonts,
) -> Result<Vec<u8>, String> {
    encode(
        svg_to_pixmap(svg, width, height, fonts)?,
        png::Compression::High,
    )
}

/// A PNG of the pixmap. Artwork takes `png`'s strongest compression: it is
/// encoded once per badge and size and downloaded and embedded everywhere.
/// Preview cards take its fastest: a crawler fetches them now and then, and
/// the default encoding of a card cost as much as rendering fifty awards.
fn encode(pixmap: Pixmap, compression: png::Compression) -> Result<Vec<u8>, String> {
    let (width, height) = (pixmap.width(), pixmap.height());
    let rgba = pixmap.take_demultiplied();
    let mut out = Vec::new();
    let mut enc = png::Encoder::new(&mut out, width, height);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    enc.set_compression(compression);
    let fail = |e: png::EncodingError| format!("cannot encode PNG: {e}");
    let mut w = enc.write_header().map_err(fail)?;
    w.write_image_data(&rgba).map_err(fail)?;
    w.finish().map_err(fail)?;
    Ok(out)
}

/// The SVG drawn to fit `width`×`height`, centred.
fn svg_to_pixmap(svg: &[u8], width: u32, height: u32, fonts: &Fonts) -> Result<Pixmap, String> {
    let tree = sanitize::parse_tree(svg, fonts)?;
    let mut pixmap = Pixmap::new(width, height).ok_or("image size is zero")?;
    let s = tree.size();
    let scale = (width as f32 / s.width()).min(height as f32 / s.height());
    let (dx, dy) = (
        (width as f32 - s.width() * scale) / 2.0,
        (height as f32 - s.height() * scale) / 2.0,
    );
    sanitize::guarded("draw the SVG", || {
        resvg::render(
            &tree,
            Transform::from_row(scale, 0.0, 0.0, scale, dx, dy),
            &mut pixmap.as_mut(),
        );
        Ok(())
    })?;
    Ok(pixmap)
}

/// Where a link-preview card shows the badge artwork: x, y and side, in
/// pixels of the 1200×627 card. The card template leaves this square free.
pub const CARD_ART: (u32, u32, u32) = (72, 113, 400);

/// A link-preview card: the rendered card SVG with the artwork drawn on it.
pub fn card(
    svg: &[u8],
    size: (u32, u32),
    art_png: &[u8],
    fonts: &Fonts,
) -> Result<Vec<u8>, String> {
    let mut card = svg_to_pixmap(svg, size.0, size.1, fonts)?;
    check_png(art_png)?;
    let art =
        Pixmap::decode_png(art_png).map_err(|e| format!("cannot read the artwork PNG: {e}"))?;
    let (x, y, side) = CARD_ART;
    let scale = side as f32 / art.width().max(art.height()) as f32;
    draw_scaled(&mut card, &art, scale, (x as f32, y as f32));
    encode(card, png::Compression::Fast)
}

/// Scales a PNG to `size`×`size` (fit and centre, transparent margins).
pub fn resize_png(png: &[u8], size: u32) -> Result<Vec<u8>, String> {
    check_png(png)?;
    let src = Pixmap::decode_png(png).map_err(|e| format!("cannot read the PNG: {e}"))?;
    let mut dst = Pixmap::new(size, size).ok_or("image size is zero")?;
    let scale = (size as f32 / src.width() as f32).min(size as f32 / src.height() as f32);
    let (dx, dy) = (
        (size as f32 - src.width() as f32 * scale) / 2.0,
        (size as f32 - src.height() as f32 * scale) / 2.0,
    );
    draw_scaled(&mut dst, &src, scale, (dx, dy));
    encode(dst, png::Compression::High)
}

/// Draws `src` onto `dst`, scaled by `scale`, its top left corner at `at`.
fn draw_scaled(dst: &mut Pixmap, src: &Pixmap, scale: f32, at: (f32, f32)) {
    let paint = PixmapPaint {
        quality: FilterQuality::Bicubic,
        ..PixmapPaint::default()
    };
    let transform = Transform::from_row(scale, 0.0, 0.0, scale, at.0, at.1);
    dst.draw_pixmap(0, 0, src.as_ref(), &paint, transform, None);
}

/// A PNG or JPEG (a scan or a photo) as 8-bit grey pixels, row by row,
/// for reading a QR code from it. Refuses images over 40 megapixels.
pub fn greyscale(bytes: &[u8]) -> Result<(usize, usize, Vec<u8>), String> {
    const MAX_PIXELS: usize = 40_000_000;
    if bytes.starts_with(b"\xff\xd8\xff") {
        use zune_core::{bytestream::ZCursor, colorspace::ColorSpace, options::DecoderOptions};
        let options = DecoderOptions::default()
            .jpeg_set_out_colorspace(ColorSpace::Luma)
            .set_max_width(20_000)
            .set_max_height(20_000);
        let mut decoder = zune_jpeg::JpegDecoder::new_with_options(ZCursor::new(bytes), options);
        decoder
            .decode_headers()
            .map_err(|e| format!("cannot read the JPEG: {e:?}"))?;
        let (w, h) = decoder.dimensions().ok_or("cannot read the JPEG's size")?;
        if w * h > MAX_PIXELS {
            return Err("the photo is too large (over 40 megapixels)".into());
        }
        let grey = decoder
            .decode()
            .map_err(|e| format!("cannot read the JPEG: {e:?}"))?;
        return Ok((w, h, grey));
    }
    let (w, h) = png_size(bytes).ok_or("not a PNG or JPEG image")?;
    if (w as usize) * (h as usize) > MAX_PIXELS {
        return Err("the image is too large (over 40 megapixels)".into());
    }
    let pixmap = Pixmap::decode_png(bytes).map_err(|e| format!("cannot read the PNG: {e}"))?;
    // Transparent pixels count as white paper.
    let grey = pixmap
        .pixels()
        .iter()
        .map(|p| {
            let c = p.demultiply();
            let luma =
                (299 * c.red() as u32 + 587 * c.green() as u32 + 114 * c.blue() as u32) / 1000;
            let a = c.alpha() as u32;
            ((luma * a + 255 * (255 - a)) / 255) as u8
        })
        .collect();
    Ok((pixmap.width() as usize, pixmap.height() as usize, grey))
}

/// Width and height of a PNG, from its header.
pub fn png_size(png: &[u8]) -> Option<(u32, u32)> {
    let ihdr = png.get(16..24)?;
    Some((
        u32::from_be_bytes(ihdr[0..4].try_into().ok()?),
        u32::from_be_bytes(ihdr[4..8].try_into().ok()?),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_svg_with_shipped_fonts_deterministically() {
        let fonts = Fonts::from_theme(&Theme::built_in());
        let svg = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="50" fill="#036"/><text x="10" y="30" font-family="sans-serif" fill="#fff">AZ</text></svg>"##;
        let a = svg_to_png(svg, 220, &fonts).unwrap();
        assert_eq!(png_size(&a), Some((220, 220)));
        assert_eq!(a, svg_to_png(svg, 220, &fonts).unwrap());
        let no_text = br##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><rect width="100" height="50" fill="#036"/></svg>"##;
        assert_ne!(
            a,
            svg_to_png(no_text, 220, &fonts).unwrap(),
            "text was drawn"
        );
        let small = resize_png(&a, 110).unwrap();
        assert_eq!(png_size(&small), Some((110, 110)));
        assert!(svg_to_png(b"<nope", 10, &fonts).is_err());
    }

    fn pixels(png: &[u8]) -> (png::ColorType, Vec<u8>) {
        let mut reader = png::Decoder::new(std::io::Cursor::new(png))
            .read_info()
            .unwrap();
        let mut buf = vec![0; reader.output_buffer_size().unwrap()];
        let info = reader.next_frame(&mut buf).unwrap();
        buf.truncate(info.buffer_size());
        (info.color_type, buf)
    }

    /// Artwork is encoded with strong compression: the pixels of
    /// tiny-skia's own encoding, in fewer bytes (on the example site's
    /// artwork; on some flat drawings level 9 is a few per cent larger).
    #[test]
    fn artwork_pngs_are_small_and_lossless() {
        let fonts = Fonts::from_theme(&Theme::built_in());
        let svg = include_bytes!("../../content/images/cloud-architect.svg");
        let ours = svg_to_png(svg, 220, &fonts).unwrap();
        let plain = svg_to_pixmap(svg, 220, 220, &fonts)
            .unwrap()
            .encode_png()
            .unwrap();
        assert!(ours.len() < plain.len(), "{} ≥ {}", ours.len(), plain.len());
        assert_eq!(pixels(&ours), pixels(&plain), "lossless");
        let small = resize_png(&ours, 110).unwrap();
        assert_eq!(pixels(&small).0, png::ColorType::Rgba);
    }

    /// The built-in fonts draw Latin, Cyrillic, Greek, Chinese and
    /// Japanese, in regular and bold text; a script none of them has (Thai,
    /// Korean) is reported character by character, and so is a private-use
    /// character.
    #[test]
    fn finds_characters_that_no_font_can_draw() {
        let fonts = Fonts::from_theme(&Theme::built_in());
        let text = |t: &str, weight: &str| {
            format!(
                r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 900 50"><text x="0" y="30" font-family="sans-serif" font-weight="{weight}">{t}</text></svg>"#
            )
        };
        for weight in ["normal", "bold"] {
            let covered = text(
                "Azure 基础知识 云运维 Ελληνικά Кириллица 日本語 かな",
                weight,
            );
            assert_eq!(
                missing_glyphs(covered.as_bytes(), &fonts).unwrap(),
                Vec::<char>::new()
            );
            let uncovered = text("Cloud ก ข ก 한 \u{e000}", weight);
            assert_eq!(
                missing_glyphs(uncovered.as_bytes(), &fonts).unwrap(),
                ['ก', 'ข', '한', '\u{e000}']
            );
        }
    }

    /// Every character of the CJK Unified Ideographs of Unicode 1.1
    /// (U+4E00–U+9FA5: all of GB 2312's and Big5's Han characters, so any
    /// simplified or traditional Chinese name) has a glyph.
    #[test]
    fn every_common_han_character_has_a_glyph() {
        let fonts = Fonts::from_theme(&Theme::built_in());
        let han: String = (0x4E00u32..=0x9FA5).filter_map(char::from_u32).collect();
        let svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 50"><text x="0" y="30">{han}</text></svg>"#
        );
        assert_eq!(
            missing_glyphs(svg.as_bytes(), &fonts).unwrap(),
            Vec::<char>::new()
        );
    }
}
