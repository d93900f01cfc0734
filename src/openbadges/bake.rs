//! Baking: a credential embedded in its badge image, so the image alone can
//! be verified. PNG gets one `iTXt` chunk right after `IHDR` (keyword
//! `openbadges` for 2.0, `openbadgecredential` for 3.0); SVG gets one
//! `<openbadges:assertion>` / `<openbadges:credential>` element right after
//! the opening `<svg>` tag. The image data itself is never re-encoded, and
//! an existing chunk or element of the same kind is replaced, never doubled.

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The largest PNG read, in bytes: baked badges are artwork (at most
/// 10 MB) plus two credentials.
pub const MAX_PNG_BYTES: usize = 32 * 1024 * 1024;

/// The largest single chunk: no badge has a bigger one, and a hostile
/// length field must not make us hold or hash gigabytes.
pub const MAX_CHUNK_BYTES: usize = 16 * 1024 * 1024;

/// The most chunks a PNG may have (a 32 MB image in 8 kB IDAT chunks has
/// about 4,000).
pub const MAX_CHUNKS: usize = 65_536;

/// The largest baked credential text: credentials are a few kilobytes.
pub const MAX_TEXT_BYTES: usize = 1024 * 1024;

pub const OB2_KEYWORD: &str = "openbadges";
pub const OB3_KEYWORD: &str = "openbadgecredential";

/// A PNG chunk: its type and its data.
pub type Chunk<'a> = ([u8; 4], &'a [u8]);

/// A PNG's chunks as (type, data) pairs.
pub fn png_chunks(png: &[u8]) -> Result<Vec<Chunk<'_>>, String> {
    let rest = png
        .strip_prefix(PNG_SIGNATURE)
        .ok_or("not a PNG file (bad signature)")?;
    if png.len() > MAX_PNG_BYTES {
        return Err(format!(
            "the PNG is {}; a badge image is at most {}",
            megabytes(png.len()),
            megabytes(MAX_PNG_BYTES)
        ));
    }
    let mut chunks = Vec::new();
    let mut i = 0;
    while i < rest.len() {
        if rest.len() - i < 12 {
            return Err("truncated PNG: a chunk is cut off".into());
        }
        if chunks.len() == MAX_CHUNKS {
            return Err(format!(
                "the PNG has more than {MAX_CHUNKS} chunks, which no badge image has"
            ));
        }
        let len = u32::from_be_bytes(rest[i..i + 4].try_into().unwrap()) as usize;
        let kind: [u8; 4] = rest[i + 4..i + 8].try_into().unwrap();
        if len > MAX_CHUNK_BYTES {
            return Err(format!(
                "the PNG has a chunk of {}; a badge image's chunks are at most {}",
                megabytes(len),
                megabytes(MAX_CHUNK_BYTES)
            ));
        }
        let end = i
            .checked_add(12 + len)
            .filter(|&e| e <= rest.len())
            .ok_or("truncated PNG: a chunk is cut off")?;
        let data = &rest[i + 8..i + 8 + len];
        let crc = u32::from_be_bytes(rest[end - 4..end].try_into().unwrap());
        if crc32(&kind, data) != crc {
            return Err(format!(
                "corrupt PNG: bad checksum in chunk `{}`",
                String::from_utf8_lossy(&kind)
            ));
        }
        chunks.push((kind, data));
        i = end;
        if &kind == b"IEND" {
            break;
        }
    }
    if chunks.first().map(|c| &c.0) != Some(b"IHDR") {
        return Err("corrupt PNG: the first chunk is not IHDR".into());
    }
    if chunks.last().map(|c| &c.0) != Some(b"IEND") {
        return Err("truncated PNG: no IEND chunk".into());
    }
    Ok(chunks)
}

fn megabytes(n: usize) -> String {
    format!("{:.1} MB", n as f64 / 1_048_576.0)
}

fn crc32(kind: &[u8], data: &[u8]) -> u32 {
    let mut h = crc32fast::Hasher::new();
    h.update(kind);
    h.update(data);
    h.finalize()
}

fn push_chunk(out: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    out.extend_from_slice(&(data.len() as u32).to_be_bytes());
    out.extend_from_slice(kind);
    out.extend_from_slice(data);
    out.extend_from_slice(&crc32(kind, data).to_be_bytes());
}

/// The keyword of an `iTXt` chunk.
fn itxt_keyword(data: &[u8]) -> &[u8] {
    data.split(|&b| b == 0).next().unwrap_or_default()
}

/// A served JSON document (`assertion.json`, `credential.json`) as it is
/// baked: compact, without the trailing newline, and with every `{` and `}`
/// inside a string written `\u007b` / `\u007d` — the same JSON, but the
/// Learner Credential Wallet finds a PNG's credential by counting braces
/// from the keyword, strings included, so a brace in a badge's name would
/// cut it short. `static/download.js` does the same in the browser.
pub fn baked_json(served: &[u8]) -> String {
    let text = String::from_utf8_lossy(served);
    let text = text.trim_end();
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        match c {
            '{' if in_string => out.push_str("\\u007b"),
            '}' if in_string => out.push_str("\\u007d"),
            _ => out.push(c),
        }
        if in_string && !escaped && c == '"' {
            in_string = false;
        } else if !in_string && c == '"' {
            in_string = true;
        }
        escaped = in_string && !escaped && c == '\\';
    }
    out
}

/// Inserts (or replaces) an uncompressed `iTXt` chunk with `keyword` and `text`.
pub fn bake_png(png: &[u8], keyword: &str, text: &str) -> Result<Vec<u8>, String> {
    let chunks = png_chunks(png)?;
    let mut data = Vec::with_capacity(keyword.len() + text.len() + 5);
    data.extend_from_slice(keyword.as_bytes());
    // NUL, compression flag 0, method 0, empty language tag, empty translated keyword.
    data.extend_from_slice(&[0, 0, 0, 0, 0]);
    data.extend_from_slice(text.as_bytes());
    let mut out = Vec::with_capacity(png.len() + data.len() + 12);
    out.extend_from_slice(PNG_SIGNATURE);
    for (i, (kind, body)) in chunks.iter().enumerate() {
        if kind == b"iTXt" && itxt_keyword(body) == keyword.as_bytes() {
            continue;
        }
        push_chunk(&mut out, kind, body);
        if i == 0 {
            push_chunk(&mut out, b"iTXt", &data);
        }
    }
    Ok(out)
}

/// The texts of every `iTXt` chunk with `keyword` (uncompressed ones).
pub fn read_png(png: &[u8], keyword: &str) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    for (kind, body) in png_chunks(png)? {
        if &kind != b"iTXt" || itxt_keyword(body) != keyword.as_bytes() {
            continue;
        }
        if body.len() > MAX_TEXT_BYTES {
            return Err(format!(
                "the `{keyword}` chunk holds {}; a credential is at most {}",
                megabytes(body.len()),
                megabytes(MAX_TEXT_BYTES)
            ));
        }
        // The keyword's NUL may be missing in a hostile chunk.
        let rest = body.get(keyword.len() + 1..).unwrap_or_default();
        if rest.len() < 2 || rest[0] != 0 {
            return Err(format!(
                "the `{keyword}` chunk is compressed, which Open Badges does not use"
            ));
        }
        // Skip compression method, then language tag and translated keyword.
        let mut parts = rest[2..].splitn(3, |&b| b == 0);
        let (_, _, text) = (
            parts.next(),
            parts.next(),
            parts.next().ok_or("malformed iTXt chunk")?,
        );
        found.push(String::from_utf8(text.to_vec()).map_err(|_| "the baked text is not UTF-8")?);
    }
    Ok(found)
}

pub const OB2_SVG_NS: &str = "http://openbadges.org";
pub const OB3_SVG_NS: &str = "https://purl.imsglobal.org/ob/v3p0";

/// Bakes JSON into an SVG as `<openbadges:{element}>`, declaring `namespace`
/// as `xmlns:openbadges` on the root (or on the element, when the root
/// already binds the prefix to the other kind's namespace). `verify` adds the
/// attribute of that name.
pub fn bake_svg(
    svg: &str,
    element: &str,
    namespace: &str,
    verify: Option<&str>,
    json: &str,
) -> Result<String, String> {
    let start = find_svg_open(svg).ok_or("not an SVG file: no <svg> element")?;
    let end = start
        + svg[start..]
            .find('>')
            .ok_or("malformed SVG: the <svg> tag is not closed")?;
    let self_closing = svg[..end].ends_with('/');
    let mut tag = svg[start..if self_closing { end - 1 } else { end }].to_string();
    // The root binds the `openbadges` prefix to the first namespace baked;
    // a second kind (3.0 beside 2.0) binds it again on its own element.
    let mut local_ns = String::new();
    if !tag.contains("xmlns:openbadges=") {
        tag.push_str(&format!(" xmlns:openbadges=\"{namespace}\""));
    } else if !tag.contains(&format!("xmlns:openbadges=\"{namespace}\"")) {
        local_ns = format!(" xmlns:openbadges=\"{namespace}\"");
    }
    let verify_attr = verify
        .map(|v| format!(" verify=\"{}\"", crate::text::xml_escape(v)))
        .unwrap_or_default();
    let element_xml = format!(
        "<openbadges:{element}{local_ns}{verify_attr}><![CDATA[{}]]></openbadges:{element}>",
        json.replace("]]>", "]]]]><![CDATA[>")
    );
    let body = remove_element(&svg[end + 1..], element);
    Ok(if self_closing {
        format!("{}{tag}>{element_xml}</svg>{body}", &svg[..start])
    } else {
        format!("{}{tag}>{element_xml}{body}", &svg[..start])
    })
}

fn find_svg_open(svg: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(i) = svg[from..].find("<svg") {
        let at = from + i;
        if svg[at + 4..].starts_with(|c: char| c.is_whitespace() || c == '>' || c == '/') {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

/// Removes every `<openbadges:{element}>…</openbadges:{element}>` (re-baking).
fn remove_element(s: &str, element: &str) -> String {
    let open = format!("<openbadges:{element}");
    let close = format!("</openbadges:{element}>");
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(&open) {
        out.push_str(&rest[..i]);
        match rest[i..].find(&close) {
            Some(j) => rest = &rest[i + j + close.len()..],
            None => {
                rest = &rest[i..];
                break;
            }
        }
    }
    out.push_str(rest);
    out
}

/// The contents (CDATA joined) of every `<openbadges:{element}>` element,
/// with its `verify` attribute if any.
pub fn read_svg(svg: &str, element: &str) -> Vec<(Option<String>, String)> {
    let open = format!("<openbadges:{element}");
    let close = format!("</openbadges:{element}>");
    let mut found = Vec::new();
    let mut rest = svg;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(gt) = after.find('>') else { break };
        let attrs = &after[..gt];
        // The closing tag is searched after the opening one ends (a hostile
        // `<openbadges:x</openbadges:x>` has it inside).
        let Some(end) = after[gt..].find(&close).map(|e| gt + e) else {
            break;
        };
        let inner = &after[gt + 1..end];
        let verify = attrs
            .split_once("verify=\"")
            .and_then(|(_, v)| v.split_once('"'))
            .map(|(v, _)| v.replace("&amp;", "&"));
        let text = inner.replace("]]]]><![CDATA[>", "]]>");
        let text = text
            .trim()
            .strip_prefix("<![CDATA[")
            .and_then(|t| t.strip_suffix("]]>"))
            .unwrap_or(text.trim())
            .to_string();
        found.push((verify, text));
        rest = &after[end + close.len()..];
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tiny_png() -> Vec<u8> {
        let mut out = Vec::new();
        let mut enc = png::Encoder::new(&mut out, 2, 2);
        enc.set_color(png::ColorType::Grayscale);
        let mut w = enc.write_header().unwrap();
        w.write_image_data(&[0, 255, 255, 0]).unwrap();
        w.finish().unwrap();
        out
    }

    #[test]
    fn png_gets_exactly_one_chunk_after_ihdr_and_keeps_its_pixels() {
        let png = tiny_png();
        let once = bake_png(&png, OB2_KEYWORD, "{\"a\":1}").unwrap();
        let twice = bake_png(&once, OB2_KEYWORD, "{\"a\":2}").unwrap();
        assert_eq!(
            read_png(&twice, OB2_KEYWORD).unwrap(),
            vec!["{\"a\":2}".to_string()]
        );
        let chunks = png_chunks(&twice).unwrap();
        assert_eq!(&chunks[1].0, b"iTXt");
        let idat = |p: &[u8]| {
            png_chunks(p)
                .unwrap()
                .into_iter()
                .filter(|c| &c.0 == b"IDAT")
                .map(|c| c.1.to_vec())
                .collect::<Vec<_>>()
        };
        assert_eq!(idat(&png), idat(&twice), "image data is not re-encoded");
        // Both kinds side by side.
        let both = bake_png(&twice, OB3_KEYWORD, "{\"b\":3}").unwrap();
        assert_eq!(read_png(&both, OB2_KEYWORD).unwrap().len(), 1);
        assert_eq!(read_png(&both, OB3_KEYWORD).unwrap().len(), 1);
        // The png crate still decodes it.
        let decoder = png::Decoder::new(std::io::Cursor::new(both));
        assert!(decoder.read_info().is_ok());
    }

    #[test]
    fn broken_pngs_are_errors_not_panics() {
        let png = bake_png(&tiny_png(), OB2_KEYWORD, "x").unwrap();
        for cut in [0, 5, 8, 20, png.len() - 1] {
            assert!(png_chunks(&png[..cut]).is_err(), "cut at {cut}");
        }
        let mut bad = png.clone();
        let n = bad.len();
        bad[n - 20] ^= 0xff;
        assert!(png_chunks(&bad).is_err());
    }

    /// `png` with a chunk of `kind` and `data` inserted after IHDR.
    fn with_chunk(png: &[u8], kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut out = png[..33].to_vec();
        push_chunk(&mut out, kind, data);
        out.extend_from_slice(&png[33..]);
        out
    }

    #[test]
    fn oversized_pngs_are_refused_with_the_limit_named() {
        let png = tiny_png();
        // A length field claiming 50 MB, with nothing behind it.
        let mut claims = png[..33].to_vec();
        claims.extend_from_slice(&(50u32 << 20).to_be_bytes());
        claims.extend_from_slice(b"zzZz");
        claims.extend_from_slice(&[0; 8]);
        let e = png_chunks(&claims).unwrap_err();
        assert!(e.contains("chunk of 50.0 MB"), "{e}");
        // Too many (empty) chunks.
        let mut many = png[..33].to_vec();
        for _ in 0..MAX_CHUNKS {
            push_chunk(&mut many, b"zzZz", &[]);
        }
        many.extend_from_slice(&png[33..]);
        assert!(
            png_chunks(&many)
                .unwrap_err()
                .contains("more than 65536 chunks")
        );
        // A whole file over the limit.
        let big = with_chunk(&png, b"zzZz", &vec![0; MAX_CHUNK_BYTES]);
        let bigger = with_chunk(&big, b"zzZy", &vec![0; MAX_CHUNK_BYTES]);
        assert!(png_chunks(&big).is_ok());
        assert!(png_chunks(&bigger).unwrap_err().contains("at most 32.0 MB"));
        // A baked text over 1 MB.
        let text = "x".repeat(MAX_TEXT_BYTES);
        let baked = bake_png(&png, OB2_KEYWORD, &text).unwrap();
        let e = read_png(&baked, OB2_KEYWORD).unwrap_err();
        assert!(e.contains("a credential is at most 1.0 MB"), "{e}");
        assert!(read_png(&baked, OB3_KEYWORD).unwrap().is_empty());
    }

    /// Found while writing the fuzz targets: both used to panic on a slice.
    #[test]
    fn hostile_baked_elements_are_errors_not_panics() {
        // An iTXt chunk that is only the keyword, with no NUL after it.
        let png = with_chunk(&tiny_png(), b"iTXt", OB2_KEYWORD.as_bytes());
        assert!(read_png(&png, OB2_KEYWORD).is_err());
        // The closing tag inside the opening one.
        let svg = "<svg><openbadges:assertion</openbadges:assertion></svg>";
        assert_eq!(read_svg(svg, "assertion"), vec![]);
        let svg =
            "<svg><openbadges:assertion</openbadges:assertion>>x</openbadges:assertion></svg>";
        assert_eq!(read_svg(svg, "assertion").len(), 1);
    }

    #[test]
    fn svg_gets_exactly_one_element_right_after_the_root() {
        let svg = "<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"><rect/></svg>";
        let json = "{\"x\":\"]]>\"}";
        let once = bake_svg(
            svg,
            "assertion",
            OB2_SVG_NS,
            Some("https://e.org/a.json"),
            json,
        )
        .unwrap();
        let twice = bake_svg(
            &once,
            "assertion",
            OB2_SVG_NS,
            Some("https://e.org/a.json"),
            json,
        )
        .unwrap();
        assert_eq!(twice.matches("<openbadges:assertion").count(), 1);
        assert!(twice.contains("xmlns:openbadges=\"http://openbadges.org\""));
        assert!(twice.contains(
            "xmlns:openbadges=\"http://openbadges.org\"><openbadges:assertion verify=\"https://e.org/a.json\">"
        ));
        assert_eq!(
            read_svg(&twice, "assertion"),
            vec![(Some("https://e.org/a.json".into()), json.to_string())]
        );
        assert!(bake_svg("<html/>", "assertion", OB2_SVG_NS, None, "{}").is_err());
        // A 3.0 credential beside it binds its own namespace; re-baking keeps one of each.
        let both = bake_svg(&twice, "credential", OB3_SVG_NS, None, "{\"c\":1}").unwrap();
        let both = bake_svg(&both, "credential", OB3_SVG_NS, None, "{\"c\":2}").unwrap();
        assert_eq!(both.matches("<openbadges:credential").count(), 1);
        assert_eq!(both.matches("<openbadges:assertion").count(), 1);
        assert!(both.contains(
            "<openbadges:credential xmlns:openbadges=\"https://purl.imsglobal.org/ob/v3p0\">"
        ));
        assert_eq!(
            read_svg(&both, "credential"),
            vec![(None, "{\"c\":2}".to_string())]
        );
    }

    /// How the Learner Credential Wallet (app/lib/import.ts) cuts the
    /// credential out of a PNG decoded as text: from the first `{` after
    /// the keyword, counting braces, strings not excepted.
    fn wallet_cut(text: &str) -> &str {
        let start = text.find('{').unwrap();
        let mut depth = 0;
        for (i, c) in text[start..].char_indices() {
            match c {
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth == 0 {
                return &text[start..start + i + 1];
            }
        }
        &text[start..]
    }

    #[test]
    fn baked_json_is_the_same_json_with_no_brace_inside_a_string() {
        let doc = serde_json::json!({
            "name": "Cloud {Ops} 100% \"Pro\" 云 \\ }{",
            "tag": ["a}", "\\\"{"],
            "n": {"x": "}"}
        });
        let served = crate::openbadges::ob2::to_bytes(&doc);
        let baked = baked_json(&served);
        assert!(!baked.ends_with('\n'));
        let back: serde_json::Value = serde_json::from_str(&baked).unwrap();
        assert_eq!(back, doc);
        // Braces are left only where the JSON has objects: two pairs.
        assert_eq!(baked.matches('{').count(), 2);
        assert_eq!(baked.matches('}').count(), 2);
        let png = bake_png(&tiny_png(), OB3_KEYWORD, &baked).unwrap();
        let text = String::from_utf8_lossy(&png);
        let after = &text[text.find(OB3_KEYWORD).unwrap()..];
        assert_eq!(wallet_cut(after), baked);
        // Without the escapes the wallet's cut is not the credential.
        let plain = String::from_utf8(served).unwrap();
        assert_ne!(wallet_cut(&plain), plain.trim_end());
        // Text with no braces in strings is only trimmed.
        assert_eq!(baked_json(b"{\"a\":\"b\"}\n"), "{\"a\":\"b\"}");
    }
}
