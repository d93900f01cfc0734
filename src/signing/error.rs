//! What can go wrong with keys, DIDs and proofs, as one typed error.
//!
//! Callers match on the kind where it changes what they do (`accolade
//! verify` tells "we cannot check this kind of proof" from "this signature
//! is wrong"); everyone else prints it, so each message says what is wrong
//! and, where it helps, what to do.

use std::fmt;
use std::path::PathBuf;

use super::keys::how_to_create;
use super::{CRYPTOSUITE, KEY_ENV};

/// An error from the signing module.
#[derive(Debug)]
pub enum SigningError {
    /// No key file at the path.
    NoKey { path: PathBuf },
    /// A key file that exists but cannot be read.
    ReadKey {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A key file (or the environment variable) whose text is not a key.
    BadKey { origin: KeyOrigin, problem: String },
    /// Refusing to overwrite an existing key file.
    KeyExists { path: PathBuf },
    /// Creating or writing a key file failed.
    WriteKey {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A public Multikey that is not an Ed25519 key.
    BadMultikey {
        multikey: String,
        problem: &'static str,
    },
    /// A base URL that has no did:web.
    BadBaseUrl { url: String, problem: &'static str },
    /// The document to sign or verify is not what a proof applies to.
    BadDocument(String),
    /// A JSON-LD context that is not compiled in.
    UnknownContext(String),
    /// JSON-LD expansion or RDF canonicalisation failed.
    Canonicalization(String),
    /// The document has no proof.
    NoProof,
    /// A proof accolade cannot check (another type or cryptosuite, a proof
    /// set of several): says nothing about whether it is genuine.
    UnsupportedProof(String),
    /// The proof is malformed or the signature does not match.
    InvalidSignature(String),
    /// The DID document does not vouch for the proof's key.
    KeyNotTrusted(String),
}

/// Where a key's text came from, for messages.
#[derive(Debug, Clone)]
pub enum KeyOrigin {
    File(PathBuf),
    Env,
    Text,
}

impl SigningError {
    /// Whether the error says the credential cannot be checked here (a
    /// proof of a kind accolade does not implement), as opposed to a
    /// proof that was checked and failed.
    pub fn is_unsupported(&self) -> bool {
        matches!(
            self,
            SigningError::UnsupportedProof(_) | SigningError::UnknownContext(_)
        )
    }
}

impl fmt::Display for SigningError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SigningError::NoKey { path } => write!(
                f,
                "no signing key at {}: {}",
                path.display(),
                how_to_create(path)
            ),
            SigningError::ReadKey { path, source } => {
                write!(f, "cannot read signing key {}: {source}", path.display())
            }
            SigningError::BadKey { origin, problem } => match origin {
                KeyOrigin::File(path) => write!(f, "{}: {problem}", path.display()),
                KeyOrigin::Env => write!(f, "{KEY_ENV}: {problem}"),
                KeyOrigin::Text => f.write_str(problem),
            },
            SigningError::KeyExists { path } => write!(
                f,
                "{} already exists; not overwriting a signing key (credentials signed \
                 with it would stop verifying). Choose another path with --out.",
                path.display()
            ),
            SigningError::WriteKey { path, source } => {
                write!(f, "cannot write {}: {source}", path.display())
            }
            SigningError::BadMultikey { multikey, problem } => write!(f, "`{multikey}` {problem}"),
            SigningError::BadBaseUrl { url, problem } => write!(f, "`{url}`: {problem}"),
            SigningError::BadDocument(m) => f.write_str(m),
            SigningError::UnknownContext(url) => write!(
                f,
                "unknown JSON-LD context {url} (only the contexts embedded in accolade can be used)"
            ),
            SigningError::Canonicalization(m) => f.write_str(m),
            SigningError::NoProof => f.write_str("the document has no `proof`"),
            SigningError::UnsupportedProof(m) => write!(
                f,
                "{m}; accolade checks one DataIntegrityProof with cryptosuite {CRYPTOSUITE}"
            ),
            SigningError::InvalidSignature(m) => f.write_str(m),
            SigningError::KeyNotTrusted(m) => f.write_str(m),
        }
    }
}

impl std::error::Error for SigningError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            SigningError::ReadKey { source, .. } | SigningError::WriteKey { source, .. } => {
                Some(source)
            }
            _ => None,
        }
    }
}

/// For callers that still collect errors as text.
impl From<SigningError> for String {
    fn from(e: SigningError) -> String {
        e.to_string()
    }
}
