//! Makes rendered pages smaller in one pass over their bytes: runs of
//! white space become one space, white space between two block-level tags
//! goes, and attribute values that need no quotes lose them. Nothing else
//! changes: no tag is dropped, no entity rewritten, and the text of
//! `pre`, `textarea`, `script`, `style` and comments is copied as it is.
//!
//! A general minifier (minify-html) cost more per page than rendering it;
//! templates are where the white space is, so this is most of its saving
//! at a small part of its cost.

/// Elements whose content is copied untouched.
const RAW: &[&str] = &["pre", "textarea", "script", "style"];

pub fn compact(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut i = 0;
    // The name of the last tag written, while only white space followed it.
    let mut last_tag: Option<&[u8]> = None;
    while i < html.len() {
        let b = html[i];
        if b == b'<' {
            if html[i..].starts_with(b"<!--") {
                let end = find(html, i + 4, b"-->").map_or(html.len(), |e| e + 3);
                out.extend_from_slice(&html[i..end]);
                i = end;
                last_tag = Some(b"!");
                continue;
            }
            if let Some((end, name, closing)) = tag(html, i, &mut out) {
                i = end;
                last_tag = Some(name);
                if !closing && RAW.iter().any(|r| r.as_bytes().eq_ignore_ascii_case(name)) {
                    let stop = raw_end(html, i, name);
                    out.extend_from_slice(&html[i..stop]);
                    last_tag = None;
                    i = stop;
                }
                continue;
            }
            out.push(b);
            last_tag = None;
            i += 1;
        } else if b.is_ascii_whitespace() {
            let start = i;
            while i < html.len() && html[i].is_ascii_whitespace() {
                i += 1;
            }
            let between_blocks = i < html.len()
                && html[i] == b'<'
                && last_tag.is_some_and(is_block)
                && next_tag_name(html, i).is_some_and(is_block);
            if !between_blocks && start > 0 && i < html.len() {
                out.push(b' ');
            }
        } else {
            // Text, up to the next tag or white space, copied in one go.
            let end = html[i..]
                .iter()
                .position(|&c| c == b'<' || c.is_ascii_whitespace())
                .map_or(html.len(), |p| i + p);
            out.extend_from_slice(&html[i..end]);
            last_tag = None;
            i = end;
        }
    }
    out
}

/// Elements around which white space never shows: it is removed when it
/// stands between two of these tags (opening or closing). One list makes
/// both the compiler's match and, for the tests, `BLOCK`.
macro_rules! block_elements {
    ($($name:literal)|+) => {
        #[cfg(test)]
        const BLOCK: &[&str] = &[$($name),+];

        /// Whether a lower-case tag name is in the list.
        fn is_block_name(lower: &str) -> bool {
            matches!(lower, $($name)|+)
        }
    };
}

block_elements!(
    "html"
        | "head"
        | "body"
        | "title"
        | "meta"
        | "link"
        | "script"
        | "style"
        | "noscript"
        | "div"
        | "section"
        | "article"
        | "aside"
        | "header"
        | "footer"
        | "nav"
        | "main"
        | "ul"
        | "ol"
        | "li"
        | "dl"
        | "dt"
        | "dd"
        | "p"
        | "h1"
        | "h2"
        | "h3"
        | "h4"
        | "h5"
        | "h6"
        | "table"
        | "thead"
        | "tbody"
        | "tfoot"
        | "tr"
        | "td"
        | "th"
        | "form"
        | "fieldset"
        | "figure"
        | "figcaption"
        | "blockquote"
        | "hr"
        | "details"
        | "summary"
        | "option"
        | "svg"
        | "g"
        | "path"
        | "circle"
        | "rect"
        | "line"
        | "polyline"
        | "polygon"
        | "defs"
        | "symbol"
        | "use"
        | "template"
);

/// The length of the longest name in BLOCK: longer ones are not looked up.
const LONGEST: usize = 10;

fn is_block(name: &[u8]) -> bool {
    if name == b"!" {
        return true;
    }
    if name.len() > LONGEST {
        return false;
    }
    let mut lower = [0u8; LONGEST];
    lower[..name.len()].copy_from_slice(name);
    lower.make_ascii_lowercase();
    std::str::from_utf8(&lower[..name.len()]).is_ok_and(is_block_name)
}

fn find(hay: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let (&first, rest) = needle.split_first()?;
    let mut at = from;
    loop {
        at += memchr::memchr(first, hay.get(at..)?)?;
        if hay[at + 1..].starts_with(rest) {
            return Some(at);
        }
        at += 1;
    }
}

/// The name of the tag starting at `at` (`<name` or `</name`), or of a
/// doctype or comment (`!`).
fn next_tag_name(html: &[u8], at: usize) -> Option<&[u8]> {
    let rest = &html[at + 1..];
    if rest.first() == Some(&b'!') {
        return Some(b"!");
    }
    let rest = rest.strip_prefix(b"/").unwrap_or(rest);
    let len = rest
        .iter()
        .position(|c| !c.is_ascii_alphanumeric() && *c != b'-' && *c != b':')
        .unwrap_or(rest.len());
    (len > 0 && rest[0].is_ascii_alphabetic()).then(|| &rest[..len])
}

/// Where the content of a raw element that starts at `from` ends: at its
/// closing tag, matched without regard to case.
fn raw_end(html: &[u8], from: usize, name: &[u8]) -> usize {
    let mut i = from;
    while let Some(p) = find(html, i, b"</") {
        let after = &html[p + 2..];
        if after.len() >= name.len() && after[..name.len()].eq_ignore_ascii_case(name) {
            return p;
        }
        i = p + 2;
    }
    html.len()
}

/// Writes the tag (or doctype) starting at `at` with its white space
/// folded and safe attribute values unquoted; returns where it ends, its
/// name and whether it is a closing tag. `None` when `<` starts no tag.
fn tag<'h>(html: &'h [u8], at: usize, out: &mut Vec<u8>) -> Option<(usize, &'h [u8], bool)> {
    let closing = html.get(at + 1) == Some(&b'/');
    let doctype = html.get(at + 1) == Some(&b'!');
    let name: &[u8] = if doctype {
        b"!"
    } else {
        next_tag_name(html, at)?
    };
    let end = tag_end(html, at)?;
    if doctype || closing {
        out.extend_from_slice(&html[at..=end]);
        return Some((end + 1, name, closing));
    }
    let body = &html[at + 1 + name.len()..end];
    let self_closing = body.trim_ascii_end().ends_with(b"/");
    out.push(b'<');
    out.extend_from_slice(name);
    let mut j = 0;
    while j < body.len() {
        let c = body[j];
        if c.is_ascii_whitespace() {
            j += 1;
            continue;
        }
        if c == b'/' {
            out.push(b'/');
            j += 1;
            continue;
        }
        // An attribute: name, then perhaps `=` and a value.
        let name_start = j;
        while j < body.len() && !body[j].is_ascii_whitespace() && !b"=/".contains(&body[j]) {
            j += 1;
        }
        out.push(b' ');
        out.extend_from_slice(&body[name_start..j]);
        let mut k = j;
        while k < body.len() && body[k].is_ascii_whitespace() {
            k += 1;
        }
        if body.get(k) != Some(&b'=') {
            continue;
        }
        k += 1;
        while k < body.len() && body[k].is_ascii_whitespace() {
            k += 1;
        }
        let (value, next) = match body.get(k) {
            Some(&q @ (b'"' | b'\'')) => {
                let close = memchr::memchr(q, &body[k + 1..]).map_or(body.len(), |p| k + 1 + p);
                (
                    &body[(k + 1).min(close)..close],
                    (close + 1).min(body.len()),
                )
            }
            _ => {
                let e = body[k..]
                    .iter()
                    .position(|c| c.is_ascii_whitespace())
                    .map_or(body.len(), |p| k + p);
                (&body[k..e], e)
            }
        };
        j = next;
        if value.is_empty() {
            continue;
        }
        out.push(b'=');
        if !self_closing && value.iter().all(|c| unquoted_ok(*c)) {
            out.extend_from_slice(value);
        } else if value.contains(&b'"') {
            out.push(b'\'');
            out.extend_from_slice(value);
            out.push(b'\'');
        } else {
            out.push(b'"');
            out.extend_from_slice(value);
            out.push(b'"');
        }
    }
    out.push(b'>');
    Some((end + 1, name, false))
}

/// A character an unquoted attribute value may hold (HTML forbids white
/// space, quotes, `=`, `<`, `>` and backticks; `&` stays quoted so no
/// character reference changes meaning).
fn unquoted_ok(c: u8) -> bool {
    UNQUOTED[usize::from(c)]
}

const UNQUOTED: [bool; 256] = {
    let mut table = [false; 256];
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        table[c] = b.is_ascii_alphanumeric();
        c += 1;
    }
    let extra = b"-_.:/#?%,+@!~;";
    let mut i = 0;
    while i < extra.len() {
        table[extra[i] as usize] = true;
        i += 1;
    }
    table
};

/// The `>` that closes the tag starting at `at`, outside quoted values.
fn tag_end(html: &[u8], at: usize) -> Option<usize> {
    let mut i = at + 1;
    loop {
        let rest = html.get(i..)?;
        let p = memchr::memchr3(b'>', b'"', b'\'', rest)?;
        // A `<` outside quotes: what started at `at` is no tag.
        if rest[..p].contains(&b'<') {
            return None;
        }
        i += p;
        let quote = html[i];
        if quote == b'>' {
            return Some(i);
        }
        i += 2 + memchr::memchr(quote, html.get(i + 1..)?)?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(s: &str) -> String {
        String::from_utf8(compact(s.as_bytes())).unwrap()
    }

    #[test]
    fn block_names_are_found_in_any_case() {
        assert!(BLOCK.iter().all(|b| b.len() <= LONGEST));
        assert!(BLOCK.iter().any(|b| b.len() == LONGEST));
        for name in BLOCK {
            assert!(is_block(name.as_bytes()));
            assert!(is_block(name.to_ascii_uppercase().as_bytes()));
        }
        assert!(!is_block(b"span") && !is_block(b"a") && !is_block(b"figcaptions"));
    }

    #[test]
    fn white_space_between_blocks_goes_and_inline_keeps_one_space() {
        assert_eq!(
            c("<ul>\n  <li><a href=\"x\">a</a>\n   <a href=\"y\">b</a></li>\n</ul>\n"),
            "<ul><li><a href=x>a</a> <a href=y>b</a></li></ul>"
        );
        assert_eq!(c("<p>Hello,\n    world</p>"), "<p>Hello, world</p>");
    }

    #[test]
    fn raw_text_and_comments_are_kept() {
        let s = "<pre>  a\n   b </pre>\n<textarea rows=\"3\">  x\n y</textarea><script type=\"application/ld+json\">{ \"a\":  1 }</script><!--  keep  -->";
        assert_eq!(
            c(s),
            "<pre>  a\n   b </pre> <textarea rows=3>  x\n y</textarea><script type=application/ld+json>{ \"a\":  1 }</script><!--  keep  -->"
        );
    }

    #[test]
    fn attribute_values_keep_quotes_when_they_need_them() {
        assert_eq!(
            c(
                "<a  class=\"button  big\"   href='/a?b=1&amp;c'\n data-x=\"it's\" title='say \"hi\"' hidden>"
            ),
            "<a class=\"button  big\" href=\"/a?b=1&amp;c\" data-x=\"it's\" title='say \"hi\"' hidden>"
        );
        // Self-closing (SVG) tags keep quotes, or `/` would join the value.
        assert_eq!(
            c("<path d=\"M1 2\" id=\"p\"/>"),
            "<path d=\"M1 2\" id=\"p\"/>"
        );
        assert_eq!(c("<img alt=\"\" src=\"a.png\">"), "<img alt src=a.png>");
        // A `>` inside a quoted value does not end the tag.
        assert_eq!(c("<a title=\"a > b\">x</a>"), "<a title=\"a > b\">x</a>");
    }

    #[test]
    fn stray_angle_brackets_are_text() {
        assert_eq!(c("a < b and 3<4 <"), "a < b and 3<4 <");
        assert_eq!(
            c("<!doctype html>\n<html lang=\"en\">"),
            "<!doctype html><html lang=en>"
        );
    }
}
