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

/// [`canonicalize`] for a document we sign, with each context cut down to
/// the terms the document can use: the same N-Quads (the tests hold the two
/// together on every credential the example site issues), several times
/// faster, since processing the published contexts in full is most of the
/// cost of a signature. Verification always uses the full contexts.
pub fn canonicalize_issued(document: &Value) -> Result<String, SigningError> {
    let words = words(document);
    let contexts = PARSED
        .iter()
        .filter(|(url, _)| words.contains(*url))
        .map(|(url, full)| {
            let pruned = serde_json::to_vec(&prune_document(full, &words));
            (*url, pruned.expect("JSON serializes"))
        })
        .collect();
    canonicalize_with(document, contexts)
}

/// Canonical N-Quads, reading the context documents given (URL, bytes).
fn canonicalize_with(
    document: &Value,
    contexts: Vec<(&'static str, Vec<u8>)>,
) -> Result<String, SigningError> {
    use oxjsonld::{JsonLdParser, JsonLdRemoteDocument};
    if let Some(url) = unknown_context(document) {
        return Err(SigningError::UnknownContext(url.to_string()));
    }
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
    let mut dataset = oxrdf02::Dataset::new();
    for quad in parser {
        let quad = quad.map_err(|e| SigningError::Canonicalization(format!("JSON-LD: {e}")))?;
        dataset.insert(&to_oxrdf02(quad));
    }
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
