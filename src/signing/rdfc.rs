//! RDFC-1.0 for the datasets we sign, without the general machinery: when
//! every blank node has its own first-degree hash (the spec's step 4, which
//! issues canonical labels in hash order and needs no N-degree hashing),
//! the canonical form follows directly. Our credentials are trees of a few
//! blank nodes with distinct contents, so this is the case we meet; when two
//! hashes collide, the caller falls back to `rdf-canon`, which does the
//! whole algorithm. The tests hold the two together.
//!
//! Quads arrive already printed as N-Quads [`Line`]s (the skeleton of a
//! credential prints its fixed parts once, see `skeleton`), so the work per
//! credential is joining strings, a SHA-256 per blank node and one sort.

use oxrdf02 as o2;
use sha2::{Digest, Sha256};

/// One quad as an N-Quads line (`… .\n`), in the form RDFC-1.0 prints
/// (oxrdf's `Display`), with where its blank node labels are.
#[derive(Debug, Default, Clone)]
pub struct Line {
    text: String,
    /// Byte ranges of the labels (after `_:`), in order; at most three.
    blanks: [(u32, u32); 3],
    count: u8,
}

impl Line {
    fn push_str(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// `<iri>`: IRIs are printed as they are.
    fn push_iri(&mut self, iri: &str) {
        self.text.push('<');
        self.text.push_str(iri);
        self.text.push('>');
    }

    /// `_:label`.
    fn push_blank(&mut self, label: &str) {
        self.text.push_str("_:");
        let start = self.text.len() as u32;
        self.text.push_str(label);
        self.blanks[usize::from(self.count)] = (start, self.text.len() as u32);
        self.count += 1;
    }

    /// A literal's quoted value, escaped as N-Quads (and oxrdf) print it.
    fn push_quoted(&mut self, value: &str) {
        let out = &mut self.text;
        out.push('"');
        for c in value.chars() {
            match c {
                '\u{08}' => out.push_str("\\b"),
                '\t' => out.push_str("\\t"),
                '\n' => out.push_str("\\n"),
                '\u{0C}' => out.push_str("\\f"),
                '\r' => out.push_str("\\r"),
                '"' => out.push_str("\\\""),
                '\\' => out.push_str("\\\\"),
                '\0'..='\u{1F}' | '\u{7F}' => {
                    out.push_str(&format!("\\u{:04X}", u32::from(c)));
                }
                _ => out.push(c),
            }
        }
        out.push('"');
    }

    /// What follows a literal's quoted value: `@lang`, `^^<datatype>`, or
    /// nothing for a plain string.
    fn push_literal_suffix(&mut self, literal: &o2::Literal) {
        if let Some(lang) = literal.language() {
            self.text.push('@');
            self.text.push_str(lang);
        } else if literal.datatype() != o2::vocab::xsd::STRING {
            self.text.push_str("^^");
            self.push_iri(literal.datatype().as_str());
        }
    }

    /// Ends the line.
    fn finish(&mut self) {
        self.text.push_str(" .\n");
    }

    /// The line of an oxrdf quad.
    pub fn of(q: &o2::Quad) -> Line {
        line(&pieces(q, |_| None), &[])
    }

    fn labels(&self) -> impl Iterator<Item = &str> {
        self.blanks[..usize::from(self.count)]
            .iter()
            .map(|&(s, e)| &self.text[s as usize..e as usize])
    }

    /// The line with each blank node label replaced by `rename`'s.
    fn renamed<'a>(&'a self, rename: impl Fn(&str) -> &'a str) -> String {
        let mut out = String::with_capacity(self.text.len() + 8);
        let mut at = 0;
        for &(s, e) in &self.blanks[..usize::from(self.count)] {
            out.push_str(&self.text[at..s as usize]);
            out.push_str(rename(&self.text[s as usize..e as usize]));
            at = e as usize;
        }
        out.push_str(&self.text[at..]);
        out
    }
}

/// Where a term sits in a quad.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Place {
    Subject,
    Object,
    Graph,
}

/// A quad's N-Quads line in pieces: fixed text, blank nodes, and the
/// places where a value (given by number) goes, as an IRI or as the value
/// of a literal.
#[derive(Debug)]
pub enum Piece {
    Text(String),
    Blank(String),
    Iri(usize),
    Literal(usize),
}

/// The pieces of `q`'s line; `slot` says which terms are left for a value
/// (IRIs, and literals whose datatype or language stays).
pub fn pieces(q: &o2::Quad, slot: impl Fn(Place) -> Option<usize>) -> Vec<Piece> {
    let mut out = Vec::new();
    let mut text = Line::default();
    let flush = |text: &mut Line, out: &mut Vec<Piece>, piece: Option<Piece>| {
        if !text.text.is_empty() {
            out.push(Piece::Text(std::mem::take(&mut text.text)));
        }
        out.extend(piece);
    };
    match (&q.subject, slot(Place::Subject)) {
        (o2::Subject::NamedNode(_), Some(n)) => flush(&mut text, &mut out, Some(Piece::Iri(n))),
        (o2::Subject::NamedNode(n), None) => text.push_iri(n.as_str()),
        (o2::Subject::BlankNode(b), _) => {
            flush(&mut text, &mut out, Some(Piece::Blank(b.as_str().into())));
        }
        // RDF-star subjects: our documents never make them.
        #[allow(unreachable_patterns)]
        (other, _) => text.push_str(&other.to_string()),
    }
    text.push_str(" ");
    text.push_iri(q.predicate.as_str());
    text.push_str(" ");
    match (&q.object, slot(Place::Object)) {
        (o2::Term::NamedNode(_), Some(n)) => flush(&mut text, &mut out, Some(Piece::Iri(n))),
        (o2::Term::NamedNode(n), None) => text.push_iri(n.as_str()),
        (o2::Term::BlankNode(b), _) => {
            flush(&mut text, &mut out, Some(Piece::Blank(b.as_str().into())));
        }
        (o2::Term::Literal(l), Some(n)) => {
            flush(&mut text, &mut out, Some(Piece::Literal(n)));
            text.push_literal_suffix(l);
        }
        (o2::Term::Literal(l), None) => {
            text.push_quoted(l.value());
            text.push_literal_suffix(l);
        }
        #[allow(unreachable_patterns)]
        (other, _) => text.push_str(&other.to_string()),
    }
    match (&q.graph_name, slot(Place::Graph)) {
        (o2::GraphName::DefaultGraph, _) => {}
        (o2::GraphName::NamedNode(_), Some(n)) => {
            text.push_str(" ");
            flush(&mut text, &mut out, Some(Piece::Iri(n)));
        }
        (o2::GraphName::NamedNode(n), None) => {
            text.push_str(" ");
            text.push_iri(n.as_str());
        }
        (o2::GraphName::BlankNode(b), _) => {
            text.push_str(" ");
            flush(&mut text, &mut out, Some(Piece::Blank(b.as_str().into())));
        }
    }
    text.finish();
    flush(&mut text, &mut out, None);
    out
}

/// The line of `pieces`, with `values` in their places.
pub fn line(pieces: &[Piece], values: &[&str]) -> Line {
    let mut line = Line::default();
    for piece in pieces {
        match piece {
            Piece::Text(t) => line.push_str(t),
            Piece::Blank(b) => line.push_blank(b),
            Piece::Iri(n) => line.push_iri(values[*n]),
            Piece::Literal(n) => line.push_quoted(values[*n]),
        }
    }
    line
}

/// The canonical N-Quads of `lines` (a set: duplicates count once), or
/// `None` when two blank nodes share a first-degree hash, or a quad
/// names one blank node twice (rdf-canon then counts that quad twice).
pub fn canonical_nquads(mut lines: Vec<Line>) -> Option<String> {
    // Same quad, same line: the set's members are the distinct lines.
    lines.sort_unstable_by(|a, b| a.text.cmp(&b.text));
    lines.dedup_by(|a, b| a.text == b.text);
    if lines.iter().any(|l| {
        let b: Vec<&str> = l.labels().collect();
        (1..b.len()).any(|i| b[..i].contains(&b[i]))
    }) {
        return None;
    }
    let mut labels: Vec<&str> = lines.iter().flat_map(Line::labels).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut by_hash: Vec<([u8; 32], &str)> = labels
        .iter()
        .map(|label| (first_degree_hash(&lines, label), *label))
        .collect();
    // Hex digests sort as their bytes do.
    by_hash.sort_unstable();
    if by_hash.windows(2).any(|w| w[0].0 == w[1].0) {
        return None;
    }
    let canonical: Vec<(&str, String)> = by_hash
        .iter()
        .enumerate()
        .map(|(i, (_, label))| (*label, format!("c14n{i}")))
        .collect();
    let issued = |b: &str| -> &str {
        let (_, c) = canonical
            .iter()
            .find(|(l, _)| *l == b)
            .expect("every label has a hash");
        c
    };
    let mut out: Vec<String> = lines
        .iter()
        .map(|l| {
            if l.count == 0 {
                l.text.clone()
            } else {
                l.renamed(issued)
            }
        })
        .collect();
    out.sort_unstable();
    Some(out.concat())
}

/// Hash First Degree Quads: the quads mentioning `label`, with it written
/// `_:a` and every other blank node `_:z`, sorted and hashed.
fn first_degree_hash(lines: &[Line], label: &str) -> [u8; 32] {
    let mut mentions: Vec<String> = lines
        .iter()
        .filter(|l| l.labels().any(|b| b == label))
        .map(|l| l.renamed(|b| if b == label { "a" } else { "z" }))
        .collect();
    mentions.sort_unstable();
    let mut hasher = Sha256::new();
    mentions.iter().for_each(|m| hasher.update(m.as_bytes()));
    hasher.finalize().into()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines are what oxrdf prints, for every kind of term.
    #[test]
    fn lines_print_as_oxrdf_does() {
        let s = o2::NamedNode::new_unchecked("https://example.org/s");
        let p = o2::NamedNode::new_unchecked("https://example.org/p");
        let b = o2::BlankNode::new_unchecked("b12");
        let objects: Vec<o2::Term> = vec![
            s.clone().into(),
            b.clone().into(),
            o2::Literal::new_simple_literal("plain \"q\" \\ \n\r\t\u{8}\u{c}\u{1}\u{7f} 李").into(),
            o2::Literal::new_language_tagged_literal_unchecked("hi", "en-GB").into(),
            o2::Literal::new_typed_literal(
                "2026-01-01T00:00:00Z",
                o2::NamedNode::new_unchecked("http://www.w3.org/2001/XMLSchema#dateTime"),
            )
            .into(),
        ];
        let graphs: Vec<o2::GraphName> = vec![
            o2::GraphName::DefaultGraph,
            s.clone().into(),
            b.clone().into(),
        ];
        let subjects: Vec<o2::Subject> = vec![s.clone().into(), b.clone().into()];
        for subject in &subjects {
            for object in &objects {
                for graph in &graphs {
                    let q =
                        o2::Quad::new(subject.clone(), p.clone(), object.clone(), graph.clone());
                    let line = Line::of(&q);
                    assert_eq!(line.text, format!("{q} .\n"));
                    assert!(line.labels().all(|l| l == "b12"));
                }
            }
        }
    }
}
