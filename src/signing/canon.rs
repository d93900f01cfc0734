//! RDFC-1.0 canonical N-Quads of JSON-LD documents, with the JSON-LD
//! contexts compiled into the binary: signing never touches the network,
//! and a document naming any other context is refused.
//!
//! JSON-LD to RDF is `oxjsonld` (Oxigraph's JSON-LD parser), RDFC-1.0 is
//! `rdf-canon`. `oxjsonld` re-processes the contexts of every document it
//! reads (it offers no way to keep a processed context), which is most of
//! the cost of a signature; so documents we sign are read with contexts cut
//! down to the terms they can use ([`canonicalize_issued`]).

use std::collections::HashSet;
use std::sync::LazyLock;

use serde_json::Value;
use sha2::Sha256;

use super::SigningError;

/// The JSON-LD contexts the site's documents use, as published (see
/// `src/openbadges/contexts/README.md`).
pub const CONTEXTS: &[(&str, &str)] = &[
    (
        "https://www.w3.org/ns/credentials/v2",
        include_str!("../openbadges/contexts/credentials-v2.jsonld"),
    ),
    (
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
        include_str!("../openbadges/contexts/ob-v3p0-context-3.0.3.json"),
    ),
    (
        "https://www.w3.org/ns/did/v1",
        include_str!("../openbadges/contexts/did-v1.jsonld"),
    ),
    (
        "https://w3id.org/security/multikey/v1",
        include_str!("../openbadges/contexts/multikey-v1.jsonld"),
    ),
];

/// The RDFC-1.0 canonical N-Quads of a JSON-LD document, with contexts
/// from [`CONTEXTS`] only.
pub fn canonicalize(document: &Value) -> Result<String, SigningError> {
    let contexts = CONTEXTS
        .iter()
        .map(|(url, text)| (*url, text.as_bytes().to_vec()))
        .collect();
    canonicalize_with(document, contexts)
}

/// [`canonicalize`] for a document we sign: the same N-Quads (the tests
/// hold the two together on every document the example site signs), many
/// times faster. JSON-LD to RDF runs once per shape of document
/// (`skeleton`), with each context cut down to the terms the document can
/// use, since processing the published contexts in full is most of the
/// cost; the canonical labels come from first-degree hashes (`rdfc`) when
/// they suffice, as they do for our credentials. Verification always uses
/// the full contexts and the full algorithm.
pub fn canonicalize_issued(document: &Value) -> Result<String, SigningError> {
    if let Some(url) = unknown_context(document) {
        return Err(SigningError::UnknownContext(url.to_string()));
    }
    let filled = super::skeleton::quads(document, &TERMS, &|doc| {
        let words = words(doc);
        let contexts = PARSED
            .iter()
            .filter(|(url, _)| words.contains(*url))
            .map(|(url, full)| {
                let pruned = serde_json::to_vec(&prune_document(full, &words));
                (*url, pruned.expect("JSON serializes"))
            })
            .collect();
        to_quads(doc, contexts)
    })?;
    match super::rdfc::canonical_nquads(filled.lines()) {
        Some(nquads) => Ok(nquads),
        None => rdf_canonical(filled.into_quads()),
    }
}

/// Canonical N-Quads, reading the context documents given (URL, bytes).
fn canonicalize_with(
    document: &Value,
    contexts: Vec<(&'static str, Vec<u8>)>,
) -> Result<String, SigningError> {
    if let Some(url) = unknown_context(document) {
        return Err(SigningError::UnknownContext(url.to_string()));
    }
    rdf_canonical(to_quads(document, contexts)?)
}

/// JSON-LD to RDF, reading the context documents given (URL, bytes).
fn to_quads(
    document: &Value,
    contexts: Vec<(&'static str, Vec<u8>)>,
) -> Result<Vec<oxrdf02::Quad>, SigningError> {
    use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
    let bytes = serde_json::to_vec(document)
        .map_err(|e| SigningError::Canonicalization(format!("JSON: {e}")))?;
    let parser = JsonLdParser::new()
        .for_slice(&bytes)
        .with_load_document_callback(move |url, _options| {
            let (_, document) = contexts
                .iter()
                .find(|(u, _)| *u == url)
                .ok_or_else(|| SigningError::UnknownContext(url.to_string()).to_string())?;
            Ok(JsonLdRemoteDocument {
                document: document.clone(),
                document_url: url.to_string(),
            })
        });
    parser
        .map(|quad| {
            quad.map(to_oxrdf02)
                .map_err(|e| SigningError::Canonicalization(format!("JSON-LD: {e}")))
        })
        .collect()
}

/// RDFC-1.0 by `rdf-canon`: the whole algorithm.
fn rdf_canonical(quads: Vec<oxrdf02::Quad>) -> Result<String, SigningError> {
    let dataset: oxrdf02::Dataset = quads.into_iter().collect();
    // A bound on the N-degree hashing work: a credential from elsewhere
    // (`accolade verify`) could otherwise be a "poison graph" that takes
    // exponential time. Ours never come close.
    let options = rdf_canon::CanonicalizationOptions {
        hndq_call_limit: Some(10_000),
    };
    rdf_canon::canonicalize_with::<Sha256>(&dataset, &options)
        .map_err(|e| SigningError::Canonicalization(format!("RDF canonicalization: {e}")))
}

/// The compiled-in contexts, parsed once.
static PARSED: LazyLock<Vec<(&'static str, Value)>> = LazyLock::new(|| {
    CONTEXTS
        .iter()
        .map(|(url, text)| {
            (
                *url,
                serde_json::from_str(text).expect("compiled-in context parses"),
            )
        })
        .collect()
});

/// Every term any compiled-in context defines, at any depth: a value
/// named like one may be expanded by JSON-LD (see `skeleton`).
static TERMS: LazyLock<HashSet<String>> = LazyLock::new(|| {
    fn keys(value: &Value, out: &mut HashSet<String>) {
        match value {
            Value::Object(m) => {
                for (k, v) in m {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut out = HashSet::new();
    PARSED.iter().for_each(|(_, doc)| keys(doc, &mut out));
    out
});

/// Every word a document could look up in a context: its keys, its string
/// values (types and vocabulary values are terms too) and the prefix of
/// every compact IRI (`xsd:dateTime` needs `xsd`).
fn words(value: &Value) -> HashSet<String> {
    let mut out = HashSet::new();
    collect(value, &mut out);
    out
}

fn collect(value: &Value, out: &mut HashSet<String>) {
    let mut add = |s: &str| {
        if let Some((prefix, _)) = s.split_once(':') {
            out.insert(prefix.to_string());
        }
        out.insert(s.to_string());
    };
    match value {
        Value::String(s) => add(s),
        Value::Object(m) => {
            for k in m.keys() {
                add(k);
            }
            m.values().for_each(|v| collect(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect(v, out)),
        _ => {}
    }
}

/// A context document (`{"@context": …}`) with only the term definitions
/// the words can reach.
fn prune_document(full: &Value, words: &HashSet<String>) -> Value {
    let mut doc = full.clone();
    if let Some(ctx) = doc.get_mut("@context") {
        *ctx = prune(ctx, words);
    }
    doc
}

/// Keeps keywords and the terms named by `words`, then, until nothing
/// changes, the terms that kept definitions refer to (prefixes, types);
/// nested (scoped) contexts are pruned the same way. Keeping a term that
/// is not needed changes nothing, so erring towards keeping is safe.
fn prune(context: &Value, words: &HashSet<String>) -> Value {
    match context {
        Value::Object(defs) => {
            let mut keep = words.clone();
            loop {
                let before = keep.len();
                for (term, def) in defs {
                    if term.starts_with('@') || keep.contains(term) {
                        collect(def, &mut keep);
                    }
                }
                if keep.len() == before {
                    break;
                }
            }
            let pruned = defs
                .iter()
                .filter(|(term, _)| term.starts_with('@') || keep.contains(*term))
                .map(|(term, def)| (term.clone(), prune_definition(def, &keep)))
                .collect();
            Value::Object(pruned)
        }
        Value::Array(items) => Value::Array(items.iter().map(|c| prune(c, words)).collect()),
        other => other.clone(),
    }
}

fn prune_definition(def: &Value, keep: &HashSet<String>) -> Value {
    match def {
        Value::Object(m) if m.contains_key("@context") => {
            let mut m = m.clone();
            let nested = prune(&m["@context"], keep);
            m.insert("@context".into(), nested);
            Value::Object(m)
        }
        other => other.clone(),
    }
}

/// The first context URL anywhere in the document that is not compiled in.
fn unknown_context(value: &Value) -> Option<&str> {
    match value {
        Value::Object(map) => map.iter().find_map(|(k, v)| {
            if k == "@context" {
                context_urls(v).find(|url| !CONTEXTS.iter().any(|(u, _)| u == url))
            } else {
                unknown_context(v)
            }
        }),
        Value::Array(items) => items.iter().find_map(unknown_context),
        _ => None,
    }
}

/// The URLs a `@context` value names (a string, or strings in an array).
fn context_urls(context: &Value) -> Box<dyn Iterator<Item = &str> + '_> {
    match context {
        Value::String(s) => Box::new(std::iter::once(s.as_str())),
        Value::Array(items) => Box::new(items.iter().filter_map(Value::as_str)),
        _ => Box::new(std::iter::empty()),
    }
}

/// `oxjsonld` speaks oxrdf 0.3, `rdf-canon` oxrdf 0.2: same model, moved
/// term by term.
fn to_oxrdf02(quad: oxrdf::Quad) -> oxrdf02::Quad {
    use oxrdf02 as o2;
    let named = |n: oxrdf::NamedNode| o2::NamedNode::new_unchecked(n.into_string());
    let blank = |b: oxrdf::BlankNode| o2::BlankNode::new_unchecked(b.into_string());
    let subject: o2::Subject = match quad.subject {
        oxrdf::NamedOrBlankNode::NamedNode(n) => named(n).into(),
        oxrdf::NamedOrBlankNode::BlankNode(b) => blank(b).into(),
    };
    let object: o2::Term = match quad.object {
        oxrdf::Term::NamedNode(n) => named(n).into(),
        oxrdf::Term::BlankNode(b) => blank(b).into(),
        oxrdf::Term::Literal(l) => {
            let (value, datatype, language) = l.destruct();
            match (datatype, language) {
                (_, Some(lang)) => o2::Literal::new_language_tagged_literal_unchecked(value, lang),
                (Some(dt), None) => o2::Literal::new_typed_literal(value, named(dt)),
                (None, None) => o2::Literal::new_simple_literal(value),
            }
            .into()
        }
    };
    let graph = match quad.graph_name {
        oxrdf::GraphName::DefaultGraph => o2::GraphName::DefaultGraph,
        oxrdf::GraphName::NamedNode(n) => named(n).into(),
        oxrdf::GraphName::BlankNode(b) => blank(b).into(),
    };
    o2::Quad::new(subject, named(quad.predicate), object, graph)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unknown_contexts_are_found_anywhere() {
        let doc = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "x": [{"@context": "https://evil.example/ctx"}]});
        let err = canonicalize(&doc).unwrap_err();
        assert!(
            matches!(&err, SigningError::UnknownContext(u) if u == "https://evil.example/ctx"),
            "{err}"
        );
        assert!(err.to_string().contains("unknown JSON-LD context"));
        let ok = json!({"@context": ["https://www.w3.org/ns/credentials/v2"], "id": "urn:x", "type": "VerifiableCredential"});
        assert!(canonicalize(&ok).is_ok());
    }
}

#[cfg(test)]
mod fast_path_tests {
    use super::super::test_vector::{VECTOR_DOCUMENT_CANON, VECTOR_UNSIGNED};
    use super::*;
    use serde_json::json;

    fn vector() -> Value {
        serde_json::from_str(VECTOR_UNSIGNED).unwrap()
    }

    /// The vector with a string at `pointer` set to `value`.
    fn with(pointer: &str, value: Value) -> Value {
        let mut doc = vector();
        *doc.pointer_mut(pointer).unwrap() = value;
        doc
    }

    #[test]
    fn the_fast_path_reproduces_the_vector() {
        assert_eq!(
            canonicalize_issued(&vector()).unwrap(),
            VECTOR_DOCUMENT_CANON
        );
        // Second time from the remembered skeleton.
        assert_eq!(
            canonicalize_issued(&vector()).unwrap(),
            VECTOR_DOCUMENT_CANON
        );
    }

    /// Values of every kind a skeleton must not get wrong: text JSON-LD
    /// would treat as a term, compact IRIs, dot segments, relative ids,
    /// escapes, duplicates, text that looks like a placeholder.
    #[test]
    fn odd_values_give_what_the_full_algorithm_gives() {
        let odd = [
            json!("Profile"),
            json!("Achievement"),
            json!("xsd:string"),
            json!("dc:created"),
            json!("https://example.org/a/../b"),
            json!("https://example.org/./b"),
            json!("relative/path"),
            json!("_:b0"),
            json!("did:example:123"),
            json!("urn:uuid:6f1c2a3e-1b2c-4d5e-8f90-123456789abc"),
            json!("line\nbreak \"quoted\" \\ back\tslash \u{7f} \u{1}"),
            json!("李雷 — Ünïcödé 🎓"),
            json!(
                "Team members are nominated for this badge by their peers and recognized upon review by Example Corp management."
            ),
            json!("urn:x-accolade-slot:0:end"),
            json!("x-accolade-slot-3-end"),
            json!("urn:x-accolade-slot:3:end and more"),
            json!(""),
            json!("https://example.com/achievements/21st-century-skills/teamwork"),
            json!("mailto:someone@example.org"),
            json!("http://[::1]:8080/x?y=1#z"),
        ];
        let pointers = [
            "/id",
            "/name",
            "/validFrom",
            "/issuer/id",
            "/issuer/url",
            "/issuer/name",
            "/credentialSubject/id",
            "/credentialSubject/achievement/id",
            "/credentialSubject/achievement/name",
            "/credentialSubject/achievement/criteria/narrative",
        ];
        let mut checked = 0;
        for p in pointers {
            for v in &odd {
                let doc = with(p, v.clone());
                // Documents JSON-LD refuses must be refused both ways.
                match (canonicalize(&doc), canonicalize_issued(&doc)) {
                    (Ok(full), Ok(fast)) => {
                        assert_eq!(fast, full, "{p} = {v}");
                        checked += 1;
                    }
                    (Err(_), Err(_)) => {}
                    (full, fast) => panic!("{p} = {v}: full {full:?}, fast {fast:?}"),
                }
            }
        }
        assert!(checked > 150, "{checked}");
    }

    #[test]
    fn equal_values_and_several_blank_nodes_with_the_same_content() {
        // Two criteria-like blank nodes with the same text share a
        // first-degree hash: the full algorithm takes over.
        let mut doc = vector();
        doc["credentialSubject"]["achievement"]["alignment"] = json!([
            {"type": ["Alignment"], "targetName": "Same", "targetUrl": "https://example.org/s"},
            {"type": ["Alignment"], "targetName": "Same", "targetUrl": "https://example.org/s"},
            {"type": ["Alignment"], "targetName": "Other", "targetUrl": "https://example.org/o"}
        ]);
        assert_eq!(
            canonicalize_issued(&doc).unwrap(),
            canonicalize(&doc).unwrap()
        );
        // Every value the same as another.
        let mut doc = vector();
        doc["name"] = json!("Teamwork");
        doc["issuer"]["name"] = json!("Teamwork");
        doc["issuer"]["url"] = doc["issuer"]["id"].clone();
        assert_eq!(
            canonicalize_issued(&doc).unwrap(),
            canonicalize(&doc).unwrap()
        );
    }

    /// Documents differing only in ids, dates and texts share one JSON-LD
    /// run (two: one to find which values may be replaced, one for the
    /// skeleton), and still give their own canonical form.
    #[test]
    fn one_shape_is_processed_once() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let runs = AtomicUsize::new(0);
        let process = |doc: &Value| {
            runs.fetch_add(1, Ordering::Relaxed);
            let contexts = CONTEXTS
                .iter()
                .map(|(url, text)| (*url, text.as_bytes().to_vec()))
                .collect();
            to_quads(doc, contexts)
        };
        // A key no other test adds: a skeleton of its own.
        let mut doc = vector();
        doc["issuer"]["description"] = json!("A shape of its own");
        for i in 0..20 {
            doc["id"] = json!(format!("https://example.org/credentials/{i}"));
            doc["validFrom"] = json!(format!("2026-01-{:02}T00:00:00Z", i + 1));
            doc["credentialSubject"]["id"] = json!(format!("did:example:{i}"));
            doc["credentialSubject"]["achievement"]["criteria"]["narrative"] =
                json!(format!("Criteria {i}: \"quoted\""));
            let filled = super::super::skeleton::quads(&doc, &TERMS, &process).unwrap();
            let fast = super::super::rdfc::canonical_nquads(filled.lines()).unwrap();
            assert_eq!(fast, canonicalize(&doc).unwrap(), "{i}");
        }
        assert_eq!(runs.load(Ordering::Relaxed), 2);
    }
}
