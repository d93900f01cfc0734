//! Issuer signing: the Ed25519 key (`keys`), its did:web identity and DID
//! document (`did`), RDFC-1.0 canonicalisation with the JSON-LD contexts
//! compiled in (`canon`), and `eddsa-rdfc-2022` Data Integrity proofs on
//! Open Badges 3.0 credentials (`proof`); `eddsa-jcs-2022` proofs on print
//! credentials (`jcs`).
//!
//! It knows nothing of sites or awards: `openbadges` builds the documents,
//! this module signs and checks them. Every failure is a [`SigningError`].

pub mod base58;
mod canon;
mod did;
mod error;
mod jcs;
mod keys;
mod proof;
mod rdfc;
mod skeleton;
#[cfg(test)]
mod test_vector;

pub use canon::{CONTEXTS, canonicalize, canonicalize_issued};
pub use did::{did_document, did_web, did_web_url, verification_method};
pub use error::{KeyOrigin, SigningError};
pub use jcs::{JCS_CRYPTOSUITE, canonical_json, sign_jcs};
pub use keys::{DEFAULT_KEY_FILE, KEY_ENV, Key, parse_multikey};
pub use proof::{
    CRYPTOSUITE, create_proof, proof_of, proof_verification_method, sign, verify,
    verify_with_did_document, with_proof,
};
