//! `accolade keys generate [--out FILE]`: makes the issuer's Ed25519 signing
//! key. Never overwrites a key: a lost key orphans every credential signed
//! with it, so replacing one is always a deliberate act (move the old file,
//! list its public key under `signing.previous_keys`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::signing::{DEFAULT_KEY_FILE, Key};

/// Writes a new key to `out` (default `keys/issuer.ed25519`) and prints its
/// public Multikey. Refuses when the file exists or cannot be written.
pub fn generate(out: Option<&Path>) -> Result<()> {
    let path = out.unwrap_or(Path::new(DEFAULT_KEY_FILE));
    let key = Key::generate();
    key.write_key(path).map_err(|e| Error::refused(e, None))?;
    println!("Wrote a new Ed25519 signing key to {}", path.display());
    println!("Public key (Multikey): {}", key.public_multikey());
    println!();
    println!("Keep the file secret and backed up; never commit it (add `keys/` to .gitignore).");
    println!(
        "Point `signing.key_file` in content/site.yaml at it, or pass its content in the \
         ACCOLADE_SIGNING_KEY environment variable (e.g. a CI secret)."
    );
    println!(
        "`accolade build` publishes the public key as did:web (did:web:<your host>) in \
         /.well-known/did.json (or <base_url>/did.json for a site under a path)."
    );
    println!(
        "Replacing an earlier key? Add the old public key to `signing.previous_keys` so \
         credentials already issued keep verifying."
    );
    Ok(())
}

/// The comment lines of the example site's committed demo key.
pub const DEMO_KEY_LABEL: &str = "DEMO KEY of the accolade example site (Quillmoor Academy). \
It is public, committed to git on purpose:\nNEVER use it for real credentials; anyone can sign \
with it. Make your own with `accolade keys generate`.";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_and_never_overwrites() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/issuer.ed25519");
        generate(Some(&path)).unwrap();
        let first = std::fs::read_to_string(&path).unwrap();
        assert!(Key::parse(&first).is_ok());
        assert_eq!(generate(Some(&path)).unwrap_err().exit_code(), 1);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), first);
    }

    #[test]
    fn demo_key_is_labelled_and_loads() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("keys/demo-issuer.ed25519");
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.lines().next().unwrap().starts_with("# DEMO KEY"));
        assert!(text.contains("NEVER use it for real credentials"));
        Key::load(&path).unwrap();
    }
}
