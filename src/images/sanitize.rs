//! Badge artwork is outside input: an issuer's contributor may hand in an
//! SVG with script in it, and the site publishes artwork on the issuer's own
//! origin and bakes it into every award. So SVG artwork is never published
//! as given: it is parsed (with limits), reduced by usvg to drawing
//! primitives, written out again, and the result is checked against an
//! allowlist before it is used. What the source had and the output lacks
//! (scripts, event attributes, links, outside references…) is reported, so
//! the issuer hears about it.
//!
//! Rasterising uses the same parse: images inside an SVG are drawn only from
//! `data:` PNG or JPEG, never from a file or URL.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use resvg::usvg::{self, ImageHrefResolver, ImageKind, roxmltree};

use super::Fonts;

/// The largest artwork file read (PNG or SVG), in bytes. Badge artwork is
/// a few hundred kilobytes; this leaves room for SVGs with embedded photos.
pub const MAX_ARTWORK_BYTES: usize = 10 * 1024 * 1024;

/// The most XML nodes an SVG may have.
const MAX_NODES: u32 = 500_000;

/// The most bytes an SVG's entities may expand to (an entity bomb is tiny
/// on disk and gigabytes in memory).
const MAX_EXPANDED_BYTES: usize = 2 * MAX_ARTWORK_BYTES;

const SVG_NS: &str = "http://www.w3.org/2000/svg";

/// Artwork made safe to publish, and what was taken out of it.
pub struct Sanitized {
    /// The re-serialised SVG: drawing primitives only.
    pub svg: Vec<u8>,
    /// What the source had that the output lacks, e.g. "3 scripts".
    pub removed: Vec<Removed>,
}

/// One kind of thing sanitising took out, and where its first one was.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// e.g. "3 scripts", "1 event attribute (onload)".
    pub what: String,
    /// 1-based line and column of the first one in the source.
    pub line: usize,
    pub column: usize,
}

/// The artwork re-serialised by usvg (text becomes paths drawn with the
/// theme's fonts), checked by [`check_clean`]. Deterministic: the same
/// source and fonts give the same bytes.
pub fn sanitize_svg(source: &[u8], fonts: &Fonts) -> Result<Sanitized, String> {
    let text = svg_text(source)?;
    let doc = parse_xml(text)?;
    let removed = hazards(&doc);
    let svg = guarded("read the SVG", || {
        let tree = usvg::Tree::from_xmltree(&doc, &safe_options(fonts))
            .map_err(|e| format!("cannot read the SVG: {e}"))?;
        Ok(with_view_box(
            &tree.to_string(&usvg::WriteOptions::default()),
            tree.size(),
        ))
    })?;
    check_clean(&svg).map_err(|e| {
        format!("cannot publish the SVG safely ({e}); simplify it or export it again")
    })?;
    Ok(Sanitized {
        svg: svg.into_bytes(),
        removed,
    })
}

/// usvg writes the root with `width` and `height` only (the source's
/// viewBox is folded into the drawing); without a viewBox the artwork would
/// not scale where it is shown smaller, so it is put back.
fn with_view_box(svg: &str, size: usvg::Size) -> String {
    match svg.strip_prefix("<svg ") {
        Some(rest) => format!(
            "<svg viewBox=\"0 0 {} {}\" {rest}",
            size.width(),
            size.height()
        ),
        None => svg.to_string(),
    }
}

/// Parses an SVG for rasterising, with the same limits and the same
/// refusal of outside files as [`sanitize_svg`].
pub(super) fn parse_tree(source: &[u8], fonts: &Fonts) -> Result<usvg::Tree, String> {
    let text = svg_text(source)?;
    let doc = parse_xml(text)?;
    guarded("read the SVG", || {
        usvg::Tree::from_xmltree(&doc, &safe_options(fonts))
            .map_err(|e| format!("cannot read the SVG: {e}"))
    })
}

fn svg_text(source: &[u8]) -> Result<&str, String> {
    if source.len() > MAX_ARTWORK_BYTES {
        return Err(too_big(source.len()));
    }
    if source.starts_with(&[0x1f, 0x8b]) {
        return Err("compressed SVG (SVGZ) is not supported: save it as plain SVG".into());
    }
    let text = std::str::from_utf8(source).map_err(|_| "the SVG is not UTF-8 text")?;
    check_entities(text)?;
    Ok(text)
}

/// The error for a file over [`MAX_ARTWORK_BYTES`].
pub fn too_big(len: usize) -> String {
    format!(
        "the artwork is {:.1} MB; the limit is {} MB",
        len as f64 / 1_048_576.0,
        MAX_ARTWORK_BYTES / 1_048_576
    )
}

fn parse_xml(text: &str) -> Result<roxmltree::Document<'_>, String> {
    let opt = roxmltree::ParsingOptions {
        // Editors write a DOCTYPE (and Illustrator a few entities); external
        // entities are never resolved.
        allow_dtd: true,
        nodes_limit: MAX_NODES,
        entity_resolver: None,
    };
    roxmltree::Document::parse_with_options(text, opt)
        .map_err(|e| format!("cannot read the SVG: {e}"))
}

/// Options under which usvg reads no file and no URL: no resources
/// directory, and `<image>` only from `data:` PNG or JPEG.
fn safe_options(fonts: &Fonts) -> usvg::Options<'static> {
    usvg::Options {
        resources_dir: None,
        fontdb: fonts.0.clone(),
        font_family: "DejaVu Sans".into(),
        image_href_resolver: ImageHrefResolver {
            resolve_data: Box::new(|mime, data, _| embedded_image(mime, data)),
            resolve_string: Box::new(|_, _| None),
        },
        ..usvg::Options::default()
    }
}

/// A `data:` image usvg may draw: PNG or JPEG, and its bytes say so. A PNG
/// must also have sane sides: usvg panics fitting a 4×3,221,225,476 one
/// (found by the `svg_sanitize` fuzz target).
fn embedded_image(mime: &str, data: Arc<Vec<u8>>) -> Option<ImageKind> {
    match mime {
        "image/png" if super::check_png(&data).is_ok() => Some(ImageKind::PNG(data)),
        "image/jpeg" | "image/jpg" if data.starts_with(&[0xff, 0xd8, 0xff]) => {
            Some(ImageKind::JPEG(data))
        }
        _ => None,
    }
}

/// Runs usvg (or resvg) on hostile input: a panic in it is turned into an
/// error, so one bad file cannot take the build down.
pub(super) fn guarded<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f))
        .unwrap_or_else(|_| Err(format!("cannot {what}: the SVG library failed on it")))
}

/// Refuses entity declarations that expand past [`MAX_EXPANDED_BYTES`]:
/// each entity's expanded size is computed from its declaration, and every
/// `&name;` in the text counts at that size (an upper bound).
fn check_entities(text: &str) -> Result<(), String> {
    if !text.contains("<!ENTITY") {
        return Ok(());
    }
    let declared = entity_declarations(text);
    let mut sizes = HashMap::new();
    let mut total = text.len();
    for name in references(text) {
        let size = expanded_size(name, &declared, &mut sizes, 0)?;
        total = total.saturating_add(size);
        if total > MAX_EXPANDED_BYTES {
            return Err(format!(
                "the SVG's entities expand to more than {} MB (an entity bomb?)",
                MAX_EXPANDED_BYTES / 1_048_576
            ));
        }
    }
    Ok(())
}

/// `<!ENTITY name "value">` declarations (external ones have no value).
fn entity_declarations(text: &str) -> HashMap<&str, &str> {
    let mut out = HashMap::new();
    for decl in text.split("<!ENTITY").skip(1) {
        let decl = decl.trim_start();
        let name_end = decl
            .find(|c: char| c.is_whitespace() || c == '"' || c == '\'')
            .unwrap_or(decl.len());
        let (name, rest) = decl.split_at(name_end);
        let rest = rest.trim_start();
        let value = match rest.chars().next() {
            Some(q @ ('"' | '\'')) => rest[1..].split(q).next().unwrap_or(""),
            _ => "",
        };
        out.entry(name).or_insert(value);
    }
    out
}

/// The names of every `&name;` in `text` (not character references).
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.split('&').skip(1).filter_map(|s| {
        let name = &s[..s.find(';')?];
        let plain = !name.is_empty()
            && !name.starts_with('#')
            && !name.contains(|c: char| c.is_whitespace() || c == '<' || c == '&');
        plain.then_some(name)
    })
}

fn expanded_size<'a>(
    name: &'a str,
    declared: &HashMap<&'a str, &'a str>,
    sizes: &mut HashMap<&'a str, usize>,
    depth: usize,
) -> Result<usize, String> {
    if let Some(&s) = sizes.get(name) {
        return Ok(s);
    }
    let Some(&value) = declared.get(name) else {
        return Ok(name.len() + 2); // predefined (&amp;) or undeclared: roxmltree decides
    };
    if depth > 16 {
        return Err("the SVG's entities refer to each other too deeply".into());
    }
    let mut size = value.len();
    for inner in references(value) {
        size = size.saturating_add(expanded_size(inner, declared, sizes, depth + 1)?);
    }
    sizes.insert(name, size);
    Ok(size)
}

/// What a source SVG has that a clean re-serialisation leaves out, counted
/// by kind, e.g. `["2 scripts", "1 event attribute (onload)"]`.
fn hazards(doc: &roxmltree::Document) -> Vec<Removed> {
    let mut found = Hazards::default();
    for node in doc.root().descendants() {
        found.at = node.range().start;
        if node.is_pi() && node.pi().is_some_and(|p| p.target == "xml-stylesheet") {
            found.add("stylesheet link", None);
        }
        if node.is_element() {
            element_hazards(node, &mut found);
        }
        if node.is_text()
            && node
                .parent_element()
                .is_some_and(|p| p.has_tag_name((SVG_NS, "style")))
        {
            css_hazards(node.text().unwrap_or_default(), &mut found);
        }
    }
    found.describe(doc)
}

fn element_hazards(node: roxmltree::Node, found: &mut Hazards) {
    let tag = node.tag_name();
    let in_svg = tag.namespace() == Some(SVG_NS);
    if node
        .ancestors()
        .skip(1)
        .any(|a| a.has_tag_name((SVG_NS, "foreignObject")))
    {
        return; // counted with its foreignObject
    }
    match tag.name() {
        "script" => found.add("script", None),
        "foreignObject" => found.add("foreignObject element", None),
        "set" | "animate" | "animateMotion" | "animateTransform" | "animateColor" | "discard" => {
            found.add("animation element", Some(tag.name()))
        }
        "a" if in_svg => {
            let href = node.attributes().find(|a| a.name() == "href");
            found.add(
                "link",
                href.map(|a| scheme_or_path(a.value().trim())).as_deref(),
            );
        }
        _ if !in_svg => found.add("element of another XML language", Some(tag.name())),
        _ => {}
    }
    for attr in node.attributes() {
        found.at = attr.range().start;
        let name = attr.name();
        let value = attr.value();
        if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
            found.add("event attribute", Some(name));
        } else if name == "href" && tag.name() != "a" {
            href_hazard(value, found);
        } else if value.contains("url(") || name == "style" {
            css_hazards(value, found);
        }
    }
}

fn href_hazard(value: &str, found: &mut Hazards) {
    let v = value.trim();
    if v.starts_with('#') {
        return;
    }
    let lower = v.to_ascii_lowercase();
    if lower.starts_with("javascript:") {
        found.add("javascript: URL", None);
    } else if let Some(data) = lower.strip_prefix("data:") {
        let mime = data.split([';', ',']).next().unwrap_or("");
        if !matches!(mime, "image/png" | "image/jpeg" | "image/jpg") {
            found.add("embedded document other than PNG or JPEG", Some(mime));
        }
    } else {
        found.add("outside reference", Some(&scheme_or_path(v)));
    }
}

/// `url(…)` and `@import` in CSS that point outside the document.
fn css_hazards(css: &str, found: &mut Hazards) {
    if css.contains("@import") {
        found.add("outside reference", Some("@import"));
    }
    for part in css.split("url(").skip(1) {
        let target = part
            .split(')')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if !target.starts_with('#') {
            href_hazard(target, found);
        }
    }
}

/// A short, safe-to-print label for an outside reference: its scheme, or
/// "path" for a file path.
fn scheme_or_path(v: &str) -> String {
    match v.split_once(':') {
        Some((scheme, _))
            if !scheme.is_empty()
                && scheme.len() < 16
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '-') =>
        {
            format!("{}:", scheme.to_ascii_lowercase())
        }
        _ => "path".into(),
    }
}

/// Counts by kind, with the distinct details seen (attribute names,
/// schemes) and where the first one was (a byte offset of the source).
#[derive(Default)]
struct Hazards {
    kinds: BTreeMap<&'static str, (usize, Vec<String>, usize)>,
    /// Where the node or attribute being looked at starts.
    at: usize,
}

impl Hazards {
    fn add(&mut self, kind: &'static str, detail: Option<&str>) {
        let at = self.at;
        let entry = self.kinds.entry(kind).or_insert((0, Vec::new(), at));
        entry.0 += 1;
        if let Some(d) = detail {
            let d: String = d.chars().take(40).collect();
            if !entry.1.contains(&d) && entry.1.len() < 5 {
                entry.1.push(d);
            }
        }
    }

    fn describe(self, doc: &roxmltree::Document) -> Vec<Removed> {
        self.kinds
            .into_iter()
            .map(|(kind, (n, details, at))| {
                let details = if details.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", details.join(", "))
                };
                let pos = doc.text_pos_at(at);
                Removed {
                    what: format!("{}{details}", crate::text::count(n, kind)),
                    line: pos.row as usize,
                    column: pos.col as usize,
                }
            })
            .collect()
    }
}

/// Elements a clean re-serialisation may contain: what usvg writes.
const ALLOWED_ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "image",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "pattern",
    "clipPath",
    "mask",
    "filter",
    "use",
    "feBlend",
    "feColorMatrix",
    "feComponentTransfer",
    "feComposite",
    "feConvolveMatrix",
    "feDiffuseLighting",
    "feDisplacementMap",
    "feDistantLight",
    "feDropShadow",
    "feFlood",
    "feFuncA",
    "feFuncB",
    "feFuncG",
    "feFuncR",
    "feGaussianBlur",
    "feImage",
    "feMerge",
    "feMergeNode",
    "feMorphology",
    "feOffset",
    "fePointLight",
    "feSpecularLighting",
    "feSpotLight",
    "feTile",
    "feTurbulence",
];

/// Checks an SVG against the allowlist: SVG drawing elements only, no event
/// attributes, no text content, and every reference either inside the
/// document (`#id`) or a `data:` PNG/JPEG. Defence in depth behind usvg.
pub fn check_clean(svg: &str) -> Result<(), String> {
    let doc = roxmltree::Document::parse(svg).map_err(|e| format!("not well-formed: {e}"))?;
    for node in doc.root().descendants() {
        if node.is_text() && !node.text().unwrap_or_default().trim().is_empty() {
            return Err("text content".into());
        }
        if node.is_pi() {
            return Err("a processing instruction".into());
        }
        if !node.is_element() {
            continue;
        }
        let tag = node.tag_name();
        if tag.namespace() != Some(SVG_NS) || !ALLOWED_ELEMENTS.contains(&tag.name()) {
            return Err(format!("element `{}`", tag.name()));
        }
        for attr in node.attributes() {
            check_attribute(attr.name(), attr.value())?;
        }
    }
    Ok(())
}

fn check_attribute(name: &str, value: &str) -> Result<(), String> {
    if name.len() > 2 && name[..2].eq_ignore_ascii_case("on") {
        return Err(format!("attribute `{name}`"));
    }
    if name == "href" {
        let ok = value.starts_with('#')
            || value.starts_with("data:image/png;base64,")
            || value.starts_with("data:image/jpeg;base64,");
        if !ok {
            return Err("a reference outside the document".into());
        }
    }
    let mut rest = value;
    while let Some(i) = rest.find("url(") {
        rest = &rest[i + 4..];
        if !rest.starts_with('#') {
            return Err("a url() outside the document".into());
        }
    }
    if value.contains("javascript:") || value.contains("@import") || value.contains('<') {
        return Err(format!("the value of `{name}`"));
    }
    Ok(())
}
