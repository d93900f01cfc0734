//! Makes rendered pages smaller in one pass over their bytes: runs of
//! white space become one space, white space between two block-level tags
//! (and at the page's start and end) goes, and attribute values that need
//! no quotes lose them. Nothing else
//! changes: no tag is dropped, no entity rewritten, and the text of
//! comments and of the elements in `RAW` is copied as it is.
//!
//! A general minifier (minify-html) cost more per page than rendering it;
//! templates are where the white space is, so this is most of its saving
//! at a small part of its cost.

/// Elements whose content HTML reads as text, not markup, copied untouched
/// up to their closing tag (`plaintext` runs to the end of the page).
const RAW: &[&str] = &[
    "textarea",
    "title",
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "plaintext",
];

/// Elements where white space shows: their content is markup, read as
/// usual, but its white space is copied as it is.
const PRE: &[&str] = &["pre", "listing"];

fn is_in(list: &[&str], name: &[u8]) -> bool {
    list.iter().any(|r| r.as_bytes().eq_ignore_ascii_case(name))
}

pub fn compact(html: &[u8]) -> Vec<u8> {
    compact_impl::<false>(html)
}

/// [`compact`] for a page rendered with placeholders (`render::skeleton`):
/// an attribute value holding one is written unquoted between
/// [`ATTR_OPEN`] and [`ATTR_CLOSE`] with its quote and whether the tag
/// closes itself, for the filled value to be quoted as [`compact`] would;
/// a placeholder in a tag or attribute name, or in an unquoted value,
/// leaves [`POISON`] (no skeleton can stand in for that page).
pub(crate) fn compact_marked(html: &[u8]) -> Vec<u8> {
    compact_impl::<true>(html)
}

/// Noncharacters (U+FDD0 to U+FDD4, never in interchanged text) that
/// mark placeholders and their attributes (see `render::skeleton`).
pub(crate) const HOLE_OPEN: &str = "\u{FDD0}";
pub(crate) const HOLE_CLOSE: &str = "\u{FDD1}";
pub(crate) const ATTR_OPEN: &str = "\u{FDD2}";
pub(crate) const ATTR_CLOSE: &str = "\u{FDD3}";
pub(crate) const POISON: &str = "\u{FDD4}";

/// Whether `bytes` hold one of the marks above (their UTF-8 starts
/// `EF B7`, then `90` to `94`).
pub(crate) fn has_mark(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"\xEF\xB7")
        .any(|at| bytes.get(at + 2).is_some_and(|b| (0x90..=0x94).contains(b)))
}

fn compact_impl<const MARK: bool>(html: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(html.len());
    let mut i = 0;
    // The name of the last tag written, while only white space followed it.
    let mut last_tag: Option<&[u8]> = None;
    // The `pre` and `listing` elements open here, innermost last.
    let mut pre: Vec<&[u8]> = Vec::new();
    while i < html.len() {
        let b = html[i];
        if b == b'<' {
            if html[i..].starts_with(b"<!--") {
                let end = comment_end(html, i);
                out.extend_from_slice(&html[i..end]);
                i = end;
                last_tag = Some(b"!");
                continue;
            }
            // `<?…>` and `</` not followed by a letter: what the HTML
            // tokenizer reads as a (bogus) comment, up to `>`, copied as is.
            let after = html.get(i + 1).copied();
            let bogus = after == Some(b'?')
                || (after == Some(b'/') && !html.get(i + 2).is_some_and(u8::is_ascii_alphabetic));
            if bogus {
                let end = memchr::memchr(b'>', &html[i..]).map_or(html.len(), |e| i + e + 1);
                out.extend_from_slice(&html[i..end]);
                i = end;
                last_tag = Some(b"!");
                continue;
            }
            if let Some((end, name, closing)) = tag::<MARK>(html, i, &mut out) {
                i = end;
                last_tag = Some(name);
                if is_in(PRE, name) {
                    if !closing {
                        pre.push(name);
                    } else if let Some(p) = pre.iter().rposition(|p| p.eq_ignore_ascii_case(name)) {
                        // As the tree builder closes it: with any inside it.
                        pre.truncate(p);
                    }
                }
                if !closing && is_in(RAW, name) {
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
            if !pre.is_empty() {
                out.extend_from_slice(&html[start..i]);
                last_tag = None;
                continue;
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

#[doc(hidden)] // pub for the fuzz target
pub fn is_block(name: &[u8]) -> bool {
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
    // As the HTML tokenizer reads it: a letter, then anything up to white
    // space, `/` or `>` (`<l\u{fffd}>` is one name, not `l` and an attribute).
    let len = rest
        .iter()
        .position(|c| c.is_ascii_whitespace() || matches!(c, b'/' | b'>'))
        .unwrap_or(rest.len());
    (len > 0 && rest[0].is_ascii_alphabetic()).then(|| &rest[..len])
}

/// Where the comment starting at `at` (`<!--`) ends, as the tokenizer
/// reads it: `<!-->` and `<!--->` are empty comments, and `--!>` closes
/// one as `-->` does.
fn comment_end(html: &[u8], at: usize) -> usize {
    for empty in [&b"<!-->"[..], b"<!--->"] {
        if html[at..].starts_with(empty) {
            return at + empty.len();
        }
    }
    let mut i = at + 4;
    while let Some(p) = find(html, i, b"--") {
        let rest = &html[p + 2..];
        if rest.starts_with(b">") {
            return p + 3;
        }
        if rest.starts_with(b"!>") {
            return p + 4;
        }
        i = p + 1;
    }
    html.len()
}

/// Where the content of a raw element that starts at `from` ends: at its
/// closing tag, matched without regard to case.
fn raw_end(html: &[u8], from: usize, name: &[u8]) -> usize {
    if name.eq_ignore_ascii_case(b"plaintext") {
        return html.len();
    }
    if name.eq_ignore_ascii_case(b"script") {
        return script_end(html, from);
    }
    let mut i = from;
    while let Some(p) = find(html, i, b"</") {
        if is_tag_named(&html[p + 2..], name) {
            return p;
        }
        i = p + 2;
    }
    html.len()
}

/// Whether `rest` starts with `name` and the name ends there (`</titles>`
/// does not close a `title`).
fn is_tag_named(rest: &[u8], name: &[u8]) -> bool {
    rest.len() > name.len()
        && rest[..name.len()].eq_ignore_ascii_case(name)
        && (rest[name.len()].is_ascii_whitespace() || b"/>".contains(&rest[name.len()]))
}

/// Where a script's text ends. As the tokenizer reads it: after `<!--`, a
/// `<script>` opens a nested ("double-escaped") part in which `</script>`
/// does not end the script; `-->` leaves both.
fn script_end(html: &[u8], from: usize) -> usize {
    #[derive(PartialEq)]
    enum In {
        Data,
        Escaped,
        DoubleEscaped,
    }
    let mut state = In::Data;
    let mut i = from;
    while i < html.len() {
        let rest = &html[i..];
        if state != In::Data && rest.starts_with(b"-->") {
            state = In::Data;
            i += 3;
        } else if state == In::Data && rest.starts_with(b"<!--") {
            // Past `<!` only: its `--` may be the start of `-->` (`<!-->`).
            state = In::Escaped;
            i += 2;
        } else if state != In::DoubleEscaped
            && rest.starts_with(b"</")
            && is_tag_named(&rest[2..], b"script")
        {
            return i;
        } else if state == In::Escaped
            && rest.starts_with(b"<")
            && is_tag_named(&rest[1..], b"script")
        {
            state = In::DoubleEscaped;
            i += 7;
        } else if state == In::DoubleEscaped
            && rest.starts_with(b"</")
            && is_tag_named(&rest[2..], b"script")
        {
            state = In::Escaped;
            i += 8;
        } else {
            i += 1;
        }
    }
    html.len()
}

/// Writes the tag (or doctype) starting at `at` with its white space
/// folded and safe attribute values unquoted; returns where it ends, its
/// name and whether it is a closing tag. `None` when `<` starts no tag.
fn tag<'h, const MARK: bool>(
    html: &'h [u8],
    at: usize,
    out: &mut Vec<u8>,
) -> Option<(usize, &'h [u8], bool)> {
    let closing = html.get(at + 1) == Some(&b'/');
    let doctype = html.get(at + 1) == Some(&b'!');
    let name: &[u8] = if doctype {
        b"!"
    } else {
        next_tag_name(html, at)?
    };
    let end = tag_end(html, at);
    if MARK && has_mark(name) {
        out.extend_from_slice(POISON.as_bytes());
    }
    if end == html.len() {
        // Unfinished: copied as is (a browser shows none of it).
        out.extend_from_slice(&html[at..]);
        return Some((end, name, true));
    }
    if doctype || closing {
        out.extend_from_slice(&html[at..=end]);
        return Some((end + 1, name, closing));
    }
    let body = &html[at + 1 + name.len()..end];
    // Only a `/` right before `>` makes a tag self-closing.
    let self_closing = body.ends_with(b"/");
    out.push(b'<');
    out.extend_from_slice(name);
    let mut j = 0;
    // Whether the last attribute written has no value.
    let mut bare = false;
    while j < body.len() {
        let c = body[j];
        if c.is_ascii_whitespace() {
            j += 1;
            continue;
        }
        if c == b'/' {
            // Only one right before `>` closes the tag; the tokenizer reads
            // one elsewhere as a gap between attributes, so it must not
            // join the value before it (`h=. /l` is not `h=./`).
            if j + 1 == body.len() {
                out.push(b'/');
            }
            j += 1;
            continue;
        }
        // An attribute: name, then perhaps `=` and a value.
        let name_start = j;
        // A name may start with `=` (the tokenizer takes it as a letter there).
        if body[j] == b'=' {
            j += 1;
        }
        while j < body.len() && !body[j].is_ascii_whitespace() && !b"=/".contains(&body[j]) {
            j += 1;
        }
        // After a name without a value, ` =` would give that name one:
        // only a `/` keeps a name that starts with `=` apart (`h/=`).
        let apart = if body[name_start] == b'=' && bare {
            b'/'
        } else {
            b' '
        };
        out.push(apart);
        if MARK && has_mark(&body[name_start..j]) {
            out.extend_from_slice(POISON.as_bytes());
        }
        out.extend_from_slice(&body[name_start..j]);
        let mut k = j;
        while k < body.len() && body[k].is_ascii_whitespace() {
            k += 1;
        }
        bare = body.get(k) != Some(&b'=');
        if bare {
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
            // Written bare (`h=""` is `h`).
            bare = true;
            continue;
        }
        if MARK && has_mark(value) {
            match body.get(k) {
                Some(&q @ (b'"' | b'\'')) => {
                    out.extend_from_slice(ATTR_OPEN.as_bytes());
                    out.extend_from_slice(&[q, if self_closing { b'1' } else { b'0' }]);
                    out.extend_from_slice(value);
                    out.extend_from_slice(ATTR_CLOSE.as_bytes());
                    continue;
                }
                _ => out.extend_from_slice(POISON.as_bytes()),
            }
        }
        out.push(b'=');
        write_value(out, value, self_closing);
    }
    out.push(b'>');
    Some((end + 1, name, false))
}

/// Writes a non-empty attribute value (after its `=`) as [`compact`]
/// does: without quotes where HTML allows, else in the quotes it needs.
pub(crate) fn write_value(out: &mut Vec<u8>, value: &[u8], self_closing: bool) {
    if !self_closing && value.iter().all(|c| unquoted_ok(*c)) {
        out.extend_from_slice(value);
    } else if value.contains(&b'"') && !value.contains(&b'\'') {
        out.push(b'\'');
        out.extend_from_slice(value);
        out.push(b'\'');
    } else if value.contains(&b'"') {
        // Both quotes (an unquoted value may hold them): `"` as the
        // reference the tokenizer reads back as `"`.
        out.push(b'"');
        for &c in value {
            match c {
                b'"' => out.extend_from_slice(b"&quot;"),
                c => out.push(c),
            }
        }
        out.push(b'"');
    } else {
        out.push(b'"');
        out.extend_from_slice(value);
        out.push(b'"');
    }
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

/// The `>` that closes the tag starting at `at`, read as the HTML
/// tokenizer reads it: a quote opens a value only right after `=` (and
/// white space); elsewhere it is part of a name (`<e">` is a tag named
/// `e"`), as is `<`. Doctypes and `<!…>` end at the first `>`. A tag
/// the page ends in "ends" at the page's end (the tokenizer drops it).
fn tag_end(html: &[u8], at: usize) -> usize {
    if html.get(at + 1) == Some(&b'!') {
        return memchr::memchr(b'>', &html[at..]).map_or(html.len(), |p| at + p);
    }
    // Where the tokenizer is: in the tag's name, before an attribute's
    // name, in it, after it, or before its value.
    #[derive(PartialEq)]
    enum At {
        TagName,
        BeforeName,
        Name,
        AfterName,
        BeforeValue,
    }
    let mut state = At::TagName;
    // An end tag's name starts after `</`.
    let mut i = at
        + if html.get(at + 1) == Some(&b'/') {
            2
        } else {
            1
        };
    while let Some(&c) = html.get(i) {
        let space = c.is_ascii_whitespace();
        state = match (state, c) {
            (_, b'>') => return i,
            (At::BeforeValue, b'"' | b'\'') => {
                let Some(close) = memchr::memchr(c, &html[i + 1..]) else {
                    break;
                };
                i += 1 + close;
                At::BeforeName
            }
            (At::BeforeValue, _) if space => At::BeforeValue,
            (At::BeforeValue, _) => {
                // An unquoted value runs to white space or `>`.
                while html
                    .get(i + 1)
                    .is_some_and(|c| !c.is_ascii_whitespace() && *c != b'>')
                {
                    i += 1;
                }
                At::BeforeName
            }
            (_, b'/') => At::BeforeName,
            (At::TagName | At::BeforeName, _) if space => At::BeforeName,
            (At::Name | At::AfterName, _) if space => At::AfterName,
            (At::Name | At::AfterName, b'=') => At::BeforeValue,
            (At::TagName, _) => At::TagName,
            // Anything else, `=` and quotes too, is (part of) a name.
            _ => At::Name,
        };
        i += 1;
        // The rest of a name leaves the state as it is: skip it in one go.
        if matches!(state, At::TagName | At::Name) {
            while html
                .get(i)
                .is_some_and(|c| c.is_ascii_alphanumeric() || *c == b'-')
            {
                i += 1;
            }
        }
    }
    html.len()
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

    /// Found by the `compact_html` fuzz target: a tag name is everything up
    /// to white space, `/` or `>`, as the HTML tokenizer reads it.
    #[test]
    fn tag_names_run_to_white_space_slash_or_end() {
        assert_eq!(c("<l\u{fffd}>x</l\u{fffd}>"), "<l\u{fffd}>x</l\u{fffd}>");
        assert_eq!(c("<a.b  c=\"d\">"), "<a.b c=d>");
        assert_eq!(c("<k =>"), "<k =>", "an attribute named `=`");
        assert_eq!(c("<a h=. /l>"), "<a h=. l>", "a slash between attributes");
        assert_eq!(c("<br />"), "<br/>");
        assert_eq!(
            c("<g/\t>"),
            "<g>",
            "a slash not right before `>` closes nothing"
        );
        assert_eq!(
            c("<a h/=>"),
            "<a h/=>",
            "`=` after a bare name starts a name"
        );
        assert_eq!(c("<a h=\"x\" =>"), "<a h=x =>");
        assert_eq!(c("<a h=\"\" =x>"), "<a h/=x>");
        assert_eq!(
            c("</e=\">\"<!--x  y-->"),
            "</e=\">\"<!--x  y-->",
            "an end tag's `/` is no gap"
        );
        assert_eq!(
            c("<e\">/\">"),
            "<e\">/\">",
            "a quote in a name opens no value"
        );
        assert_eq!(
            c("<s s==\"'>"),
            "<s s=\"=&quot;'\">",
            "an unquoted value with both quotes"
        );
        assert_eq!(
            c("<k =\"a>b\">"),
            "<k =\"a>b\">",
            "nor one in a name that starts with `=`"
        );
        assert_eq!(c("<k a = \"x > y\"  b>"), "<k a=\"x > y\" b>");
    }

    /// Found by the fuzz target: `</` without a letter and `<?` open
    /// bogus comments, whose text a browser keeps as written.
    #[test]
    fn bogus_comments_are_copied() {
        assert_eq!(c("a </\n  t> b"), "a </\n  t> b");
        assert_eq!(c("<?x  y?>"), "<?x  y?>");
        assert_eq!(c("</\nt"), "</\nt");
    }

    /// Found by the fuzz target: text that HTML does not read as markup
    /// (`title`, `xmp`, `plaintext`…) is copied as written, up to a
    /// closing tag whose name ends where it should.
    #[test]
    fn raw_text_elements_are_copied() {
        assert_eq!(c("<title>a  < b</title>"), "<title>a  < b</title>");
        assert_eq!(c("<xmp> <p>  x</xmp>"), "<xmp> <p>  x</xmp>");
        assert_eq!(
            c("<title> a </titles>  b</title>"),
            "<title> a </titles>  b</title>"
        );
        assert_eq!(
            c("<plaintext> a </plaintext>  b"),
            "<plaintext> a </plaintext>  b"
        );
        let nested = "<script><!--<script </script>\n  x</script>  y";
        assert_eq!(
            c(nested),
            "<script><!--<script </script>\n  x</script> y",
            "double-escaped"
        );
        assert_eq!(c("<script><!--</script>  y"), "<script><!--</script> y");
    }

    /// Found by the fuzz target: `pre` holds markup, so where it ends is
    /// read from tags, not found by text (`<p</pre>` is a `p<` tag).
    #[test]
    fn pre_keeps_its_white_space_up_to_its_real_end() {
        assert_eq!(
            c("<pre> a  <b  c=d> </b></pre>  x"),
            "<pre> a  <b c=d> </b></pre> x"
        );
        assert_eq!(c("<pre><p</pre>\n"), "<pre><p< pre>\n");
        assert_eq!(
            c("<pre><pre> </pre>  </pre>  x"),
            "<pre><pre> </pre>  </pre> x"
        );
    }

    /// Found by the fuzz target: a tag the page ends in is copied as it is.
    #[test]
    fn an_unfinished_tag_is_copied() {
        assert_eq!(c("<i i=\"<d  s=>"), "<i i=\"<d  s=>");
        assert_eq!(c("x  <a b  c"), "x <a b  c");
    }

    /// Found by the fuzz target: comments end where the tokenizer ends them.
    #[test]
    fn comments_end_as_html_ends_them() {
        assert_eq!(c("<!--><g d=\"-->  \">"), "<!--><g d=\"-->  \">");
        assert_eq!(c("<!---><p>  x"), "<!---><p> x");
        assert_eq!(c("<!-- a --!>  <p>  x"), "<!-- a --!><p> x");
        assert_eq!(c("<!-- a - -- b -->  x"), "<!-- a - -- b --> x");
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
