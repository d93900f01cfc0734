//! RDFC-1.0 for the datasets we sign, without the general machinery: when
//! every blank node has its own first-degree hash (the spec's step 4, which
//! issues canonical labels in hash order and needs no N-degree hashing),
//! the canonical form follows directly. Our credentials are trees of a few
//! blank nodes with distinct contents, so this is the case we meet; when two
//! hashes collide, the caller falls back to `rdf-canon`, which does the
//! whole algorithm. Both print quads with oxrdf's N-Quads `Display`, the
//! form the spec asks for; the tests hold the two together.

use std::collections::{BTreeMap, HashSet};

use oxrdf02 as o2;
use sha2::{Digest, Sha256};

/// The canonical N-Quads of `quads` (a set: duplicates count once), or
/// `None` when two blank nodes share a first-degree hash, or a quad
/// names one blank node twice (rdf-canon then counts that quad twice).
pub fn canonical_nquads(quads: &[o2::Quad]) -> Option<String> {
    let mut seen = HashSet::new();
    let quads: Vec<&o2::Quad> = quads.iter().filter(|q| seen.insert(*q)).collect();
    if quads.iter().any(|q| {
        let b: Vec<&str> = blank_nodes(q).collect();
        (1..b.len()).any(|i| b[..i].contains(&b[i]))
    }) {
        return None;
    }
    let mut labels: Vec<&str> = quads.iter().flat_map(|q| blank_nodes(q)).collect();
    labels.sort_unstable();
    labels.dedup();
    let mut by_hash: BTreeMap<String, &str> = BTreeMap::new();
    for label in &labels {
        if by_hash
            .insert(first_degree_hash(&quads, label), label)
            .is_some()
        {
            return None;
        }
    }
    let canonical: BTreeMap<&str, String> = by_hash
        .values()
        .enumerate()
        .map(|(i, label)| (*label, format!("c14n{i}")))
        .collect();
    let mut lines: Vec<String> = quads
        .iter()
        .map(|q| line(q, &|b| canonical[b].clone()))
        .collect();
    lines.sort_unstable();
    Some(lines.concat())
}

/// The blank node labels a quad mentions.
fn blank_nodes(q: &o2::Quad) -> impl Iterator<Item = &str> {
    let s = match &q.subject {
        o2::Subject::BlankNode(b) => Some(b.as_str()),
        _ => None,
    };
    let o = match &q.object {
        o2::Term::BlankNode(b) => Some(b.as_str()),
        _ => None,
    };
    let g = match &q.graph_name {
        o2::GraphName::BlankNode(b) => Some(b.as_str()),
        _ => None,
    };
    [s, o, g].into_iter().flatten()
}

/// Hash First Degree Quads: the quads mentioning `label`, with it written
/// `_:a` and every other blank node `_:z`, sorted and hashed.
fn first_degree_hash(quads: &[&o2::Quad], label: &str) -> String {
    let mut lines: Vec<String> = quads
        .iter()
        .filter(|q| blank_nodes(q).any(|b| b == label))
        .map(|q| line(q, &|b| if b == label { "a".into() } else { "z".into() }))
        .collect();
    lines.sort_unstable();
    let digest = Sha256::digest(lines.concat().as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// One N-Quads line (with ` .\n`), blank nodes renamed by `rename`.
fn line(q: &o2::Quad, rename: &dyn Fn(&str) -> String) -> String {
    let blank = |b: &o2::BlankNode| o2::BlankNode::new_unchecked(rename(b.as_str()));
    let subject = match &q.subject {
        o2::Subject::BlankNode(b) => blank(b).into(),
        s => s.clone(),
    };
    let object = match &q.object {
        o2::Term::BlankNode(b) => blank(b).into(),
        o => o.clone(),
    };
    let graph = match &q.graph_name {
        o2::GraphName::BlankNode(b) => blank(b).into(),
        g => g.clone(),
    };
    let mut out = o2::Quad::new(subject, q.predicate.clone(), object, graph).to_string();
    out.push_str(" .\n");
    out
}
