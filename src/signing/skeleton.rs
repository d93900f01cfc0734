//! Documents of one shape share their JSON-LD processing.
//!
//! The credentials of a site differ from each other in a few strings (ids,
//! dates, the recipient's hash and salt), while JSON-LD's work (processing
//! the contexts, expanding every term) depends on the keys, the types and
//! where each value sits. So a document is turned into its *skeleton*: each
//! string value becomes a numbered placeholder. The skeleton goes through
//! JSON-LD to RDF once; its quads, with the real strings put back where the
//! placeholders came out, are the document's quads.
//!
//! That holds only where a value comes out of JSON-LD exactly as it went
//! in, which the skeleton's own output shows: a placeholder must come out
//! once, whole, as a literal (any string then comes out as itself) or, for
//! a value that is an absolute IRI whose scheme no context defines as a
//! term, as that IRI. Types and contexts are never replaced (they change
//! what the keys mean); a value whose placeholder comes out otherwise (a
//! vocabulary term, a relative IRI, part of a JSON literal) is kept as it
//! is, and a skeleton that cannot be checked is not used at all. Skeletons
//! are remembered, so a site's credentials need a handful of JSON-LD runs,
//! not one each.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, LazyLock, Mutex};

use oxrdf02 as o2;
use serde_json::Value;

use super::SigningError;
use super::rdfc::{self, Line, Piece, Place};

/// Placeholders: an absolute IRI for values that are absolute IRIs, text
/// that no IRI or term can be for the others.
fn placeholder(n: usize, iri: bool) -> String {
    if iri {
        format!("urn:x-accolade-slot:{n}:end")
    } else {
        format!("x-accolade-slot-{n}-end")
    }
}

const MARK: &str = "x-accolade-slot";

/// A string value of the document that may be replaced.
struct Slot<'a> {
    value: &'a str,
    iri: bool,
}

/// Where a placeholder comes out in the skeleton's quads: which quad,
/// which term.
type At = (usize, Place);

/// A skeleton's quads and, for each replaced value, the places it goes;
/// and each quad's N-Quads line with those places left open.
struct Template {
    quads: Vec<o2::Quad>,
    slots: Vec<(usize, At)>,
    lines: Vec<Vec<Piece>>,
}

/// What is known of one skeleton (the document with every candidate
/// replaced): which candidates stay values in the document (their
/// placeholder did not come out cleanly), and for each set of the values
/// that stay, what JSON-LD made of it (`None` when it cannot be used).
struct Shape {
    kept: Vec<bool>,
    templates: HashMap<Vec<String>, Option<Arc<Template>>>,
}

static SHAPES: LazyLock<Mutex<HashMap<Vec<u8>, Shape>>> = LazyLock::new(Default::default);

/// A document's quads: from a remembered skeleton with the document's
/// values put in, or as JSON-LD made them.
pub struct Filled<'a> {
    template: Option<Arc<Template>>,
    slots: Vec<Slot<'a>>,
    quads: Vec<o2::Quad>,
}

impl Filled<'_> {
    /// The quads as N-Quads lines.
    pub fn lines(&self) -> Vec<Line> {
        match &self.template {
            Some(t) => {
                let values: Vec<&str> = self.slots.iter().map(|s| s.value).collect();
                t.lines.iter().map(|p| rdfc::line(p, &values)).collect()
            }
            None => self.quads.iter().map(Line::of).collect(),
        }
    }

    pub fn into_quads(self) -> Vec<o2::Quad> {
        match &self.template {
            Some(t) => fill(t, &self.slots),
            None => self.quads,
        }
    }
}

/// The document's quads, from a remembered skeleton when one fits;
/// `process` runs JSON-LD to RDF on a document (for new skeletons, and for
/// documents no skeleton fits).
pub fn quads<'a>(
    document: &'a Value,
    terms: &HashSet<String>,
    process: &dyn Fn(&Value) -> Result<Vec<o2::Quad>, SigningError>,
) -> Result<Filled<'a>, SigningError> {
    let mut slots = Vec::new();
    candidates(document, false, terms, &mut slots);
    let all = vec![false; slots.len()];
    let first = skeleton_text(document, &slots, &all);
    let kept = match lookup(&first, |shape| Some(shape.kept.clone())) {
        Some(kept) => kept,
        None => {
            let kept = kept_values(document, &slots, process);
            remember(&first, |shapes| {
                let shape = Shape {
                    kept: kept.clone(),
                    templates: HashMap::new(),
                };
                shapes.entry(first.clone()).or_insert(shape);
            });
            kept
        }
    };
    let values: Vec<String> = (slots.iter().zip(&kept))
        .filter(|(_, k)| **k)
        .map(|(s, _)| s.value.to_string())
        .collect();
    let template = match lookup(&first, |shape| shape.templates.get(&values).cloned()) {
        Some(t) => t,
        None => {
            let t = template(document, &slots, &kept, process).map(Arc::new);
            remember(&first, |shapes| {
                if let Some(shape) = shapes.get_mut(&first) {
                    shape.templates.insert(values, t.clone());
                }
            });
            t
        }
    };
    let quads = match template {
        Some(_) => Vec::new(),
        None => process(document)?,
    };
    Ok(Filled {
        template,
        slots,
        quads,
    })
}

fn lookup<T>(first: &[u8], f: impl FnOnce(&Shape) -> Option<T>) -> Option<T> {
    let shapes = SHAPES.lock().unwrap_or_else(|e| e.into_inner());
    shapes.get(first).and_then(f)
}

/// Sites have a few shapes per badge, and a few templates per shape; the
/// bound only guards a process that signs endlessly varied documents.
fn remember(first: &[u8], f: impl FnOnce(&mut HashMap<Vec<u8>, Shape>)) {
    let mut shapes = SHAPES.lock().unwrap_or_else(|e| e.into_inner());
    let templates = shapes.get(first).map_or(0, |s| s.templates.len());
    if shapes.len() >= 1_000 || templates >= 1_000 {
        shapes.clear();
    }
    f(&mut shapes);
}

/// The string values that may be replaced, in document order: not types
/// (`type`, `@type`), not contexts, not keys.
fn candidates<'a>(value: &'a Value, fixed: bool, terms: &HashSet<String>, out: &mut Vec<Slot<'a>>) {
    match value {
        Value::String(s) if !fixed => out.push(Slot {
            value: s,
            iri: is_plain_iri(s, terms),
        }),
        Value::Array(items) => items.iter().for_each(|v| candidates(v, fixed, terms, out)),
        Value::Object(map) => {
            for (k, v) in map {
                let fixed = fixed_key(k);
                candidates(v, fixed, terms, out);
            }
        }
        _ => {}
    }
}

/// Keys whose values are never replaced: types and contexts change what
/// the other keys mean.
fn fixed_key(key: &str) -> bool {
    matches!(key, "type" | "@type" | "@context")
}

/// An absolute IRI that JSON-LD leaves as it is: it parses as an IRI, it
/// has no dot segments (resolving would remove them), and neither it nor
/// its scheme is a term of any context (it would be expanded).
fn is_plain_iri(s: &str, terms: &HashSet<String>) -> bool {
    let Some((scheme, _)) = s.split_once(':') else {
        return false;
    };
    let dot_segment =
        s.contains("/./") || s.contains("/../") || s.ends_with("/.") || s.ends_with("/..");
    !dot_segment
        && !s.contains(MARK)
        && !terms.contains(scheme)
        && !terms.contains(s)
        && oxrdf02::NamedNode::new(s).is_ok()
}

/// The document with each candidate not `kept` replaced by its placeholder
/// (read back from [`skeleton_text`]: made only for a skeleton not seen
/// before).
fn skeleton(document: &Value, slots: &[Slot], kept: &[bool]) -> Value {
    serde_json::from_slice(&skeleton_text(document, slots, kept)).expect("written as JSON")
}

/// The JSON of the document with each candidate not `kept` replaced by
/// its placeholder: what shapes are remembered by.
fn skeleton_text(document: &Value, slots: &[Slot], kept: &[bool]) -> Vec<u8> {
    fn write(
        value: &Value,
        fixed: bool,
        slots: &[Slot],
        kept: &[bool],
        n: &mut usize,
        out: &mut Vec<u8>,
    ) {
        let string =
            |s: &str, out: &mut Vec<u8>| serde_json::to_writer(out, s).expect("JSON serializes");
        match value {
            Value::String(s) if !fixed => {
                let i = *n;
                *n += 1;
                if kept[i] {
                    string(s, out);
                } else {
                    string(&placeholder(i, slots[i].iri), out);
                }
            }
            Value::Array(items) => {
                out.push(b'[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    write(v, fixed, slots, kept, n, out);
                }
                out.push(b']');
            }
            Value::Object(map) => {
                out.push(b'{');
                for (i, (k, v)) in map.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    string(k, out);
                    out.push(b':');
                    let fixed = fixed_key(k);
                    write(v, fixed, slots, kept, n, out);
                }
                out.push(b'}');
            }
            other => serde_json::to_writer(out, other).expect("JSON serializes"),
        }
    }
    let mut out = Vec::with_capacity(2048);
    write(document, false, slots, kept, &mut 0, &mut out);
    out
}

/// Which candidates must stay values: those whose placeholder does not
/// come out cleanly when every candidate is replaced. A document whose
/// skeleton JSON-LD refuses keeps every value (and goes the slow way).
fn kept_values(
    document: &Value,
    slots: &[Slot],
    process: &dyn Fn(&Value) -> Result<Vec<o2::Quad>, SigningError>,
) -> Vec<bool> {
    let all = vec![false; slots.len()];
    let Ok(quads) = process(&skeleton(document, slots, &all)) else {
        return vec![true; slots.len()];
    };
    let found = places(&quads, slots, &all);
    found.iter().map(Vec::is_empty).collect()
}

/// Where each replaced placeholder comes out: every place, when each is
/// the whole of a term in a form its value can take; none otherwise (or
/// when it does not come out at all). An IRI comes out wherever its node
/// is named: as a subject, and as the object that links to it.
fn places(quads: &[o2::Quad], slots: &[Slot], kept: &[bool]) -> Vec<Vec<At>> {
    // Every text of the quads: IRIs (subjects, objects, graphs), literal
    // values, and texts no value can become (predicates, datatypes, tags).
    let mut texts: Vec<(&str, Form, Option<At>)> = Vec::new();
    for (q, quad) in quads.iter().enumerate() {
        if let o2::Subject::NamedNode(n) = &quad.subject {
            texts.push((n.as_str(), Form::Iri, Some((q, Place::Subject))));
        }
        texts.push((quad.predicate.as_str(), Form::Other, None));
        match &quad.object {
            o2::Term::NamedNode(n) => texts.push((n.as_str(), Form::Iri, Some((q, Place::Object)))),
            o2::Term::Literal(l) => {
                texts.push((l.value(), Form::Literal, Some((q, Place::Object))));
                texts.push((l.datatype().as_str(), Form::Other, None));
                texts.push((l.language().unwrap_or_default(), Form::Other, None));
            }
            _ => {}
        }
        if let o2::GraphName::NamedNode(n) = &quad.graph_name {
            texts.push((n.as_str(), Form::Iri, Some((q, Place::Graph))));
        }
    }
    let slot_of = |text: &str, form: Form| -> Option<usize> {
        let n = match (form, text.strip_prefix("urn:x-accolade-slot:")) {
            (Form::Other, _) => return None,
            (_, Some(rest)) => rest.strip_suffix(":end")?,
            (Form::Iri, None) => return None,
            (Form::Literal, None) => text
                .strip_prefix("x-accolade-slot-")?
                .strip_suffix("-end")?,
        };
        let n: usize = n.parse().ok()?;
        let iri = text.starts_with("urn:");
        (n < slots.len() && !kept[n] && slots[n].iri == iri).then_some(n)
    };
    let mut seen: Vec<Vec<At>> = vec![Vec::new(); slots.len()];
    // Placeholders inside other text: those slots cannot be used.
    let mut stray: HashSet<usize> = HashSet::new();
    for (text, form, at) in texts {
        match (slot_of(text, form), at) {
            (Some(n), Some(at)) => seen[n].push(at),
            _ => stray.extend(slot_numbers(text)),
        }
    }
    for n in stray {
        if let Some(at) = seen.get_mut(n) {
            at.clear();
        }
    }
    seen
}

/// How a text of the quads came out.
#[derive(Clone, Copy)]
enum Form {
    Iri,
    Literal,
    Other,
}

/// The slot numbers of the placeholders found anywhere in `text`.
fn slot_numbers(text: &str) -> Vec<usize> {
    text.match_indices(MARK)
        .filter_map(|(i, _)| {
            let rest = text[i + MARK.len()..].strip_prefix([':', '-'])?;
            let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
            rest[..digits].parse().ok()
        })
        .collect()
}

/// The template of the skeleton with `kept` values in place, when every
/// placeholder in it comes out cleanly.
fn template(
    document: &Value,
    slots: &[Slot],
    kept: &[bool],
    process: &dyn Fn(&Value) -> Result<Vec<o2::Quad>, SigningError>,
) -> Option<Template> {
    let quads = process(&skeleton(document, slots, kept)).ok()?;
    let found = places(&quads, slots, kept);
    let mut filled = Vec::new();
    for (n, at) in found.into_iter().enumerate() {
        if kept[n] {
            continue;
        }
        if at.is_empty() {
            return None;
        }
        filled.extend(at.into_iter().map(|at| (n, at)));
    }
    let lines = quads
        .iter()
        .enumerate()
        .map(|(q, quad)| {
            let slot = |place| {
                filled
                    .iter()
                    .find(|(_, at)| *at == (q, place))
                    .map(|(n, _)| *n)
            };
            rdfc::pieces(quad, slot)
        })
        .collect();
    Some(Template {
        quads,
        slots: filled,
        lines,
    })
}

/// The template's quads with the document's values put back.
fn fill(template: &Template, slots: &[Slot]) -> Vec<o2::Quad> {
    let mut quads = template.quads.clone();
    for &(n, at) in &template.slots {
        let value = slots[n].value;
        let iri = || o2::NamedNode::new_unchecked(value);
        match at {
            (q, Place::Subject) => quads[q].subject = iri().into(),
            (q, Place::Graph) => quads[q].graph_name = iri().into(),
            (q, Place::Object) => {
                let object = &mut quads[q].object;
                *object = match &*object {
                    o2::Term::Literal(l) => match l.language() {
                        Some(lang) => {
                            o2::Literal::new_language_tagged_literal_unchecked(value, lang)
                        }
                        None => o2::Literal::new_typed_literal(value, l.datatype().into_owned()),
                    }
                    .into(),
                    _ => iri().into(),
                };
            }
        }
    }
    quads
}
