//! The issuer's Ed25519 key: generating, reading and writing key files, and
//! the Multikey encodings of its public and secret halves.
//!
//! # Key file
//! A UTF-8 text file: any number of comment lines starting with `#` (and
//! blank lines), then exactly one line holding the secret key as a Multikey
//! `secretKeyMultibase`: `z` + base58btc(0x80 0x26 ‖ 32-byte Ed25519 seed),
//! which always starts `z3u2`. It is the encoding the Data Integrity EdDSA
//! specification gives Ed25519 secret keys, so other tools (e.g. npm
//! `@digitalbazaar/ed25519-multikey`) read it as is. [`Key::write_key`] also
//! writes the public Multikey in a comment, for people; it is never read
//! back. `ACCOLADE_SIGNING_KEY` holds the same text (the key line alone is
//! enough). Files are created with mode 0600 and never overwritten.

use std::fmt;
use std::path::Path;

use ed25519_dalek::{Signer as _, SigningKey, VerifyingKey};

use super::{KeyOrigin, SigningError};

/// Where `accolade keys generate` writes a key unless told otherwise.
pub const DEFAULT_KEY_FILE: &str = "keys/issuer.ed25519";
/// The environment variable that overrides `signing.key_file`.
pub const KEY_ENV: &str = "ACCOLADE_SIGNING_KEY";

/// Multicodec prefixes (varint) of Ed25519 public and secret keys.
const ED25519_PUB: [u8; 2] = [0xed, 0x01];
const ED25519_PRIV: [u8; 2] = [0x80, 0x26];

const EXPECTED: &str = "expected `#` comment lines and one line holding the secret key \
     as a Multikey (`z3u2…`, as `accolade keys generate` writes)";

/// How to make a key, for every "no key" message.
pub(super) fn how_to_create(path: &Path) -> String {
    format!(
        "create one with `accolade keys generate --out {}` (or put the key in the \
         {KEY_ENV} environment variable). accolade never makes a key by itself: a new \
         key would orphan every credential already handed out",
        path.display()
    )
}

/// An issuer's Ed25519 signing key.
#[derive(Clone)]
pub struct Key {
    secret: SigningKey,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Never print the secret.
        write!(f, "Key({})", self.public_multikey())
    }
}

impl Key {
    /// A new random key from the operating system's generator.
    pub fn generate() -> Key {
        let mut seed = [0u8; 32];
        getrandom::fill(&mut seed).expect("the operating system's random generator works");
        Key::from_seed(seed)
    }

    /// The key with this 32-byte Ed25519 seed (RFC 8032 secret key).
    pub fn from_seed(seed: [u8; 32]) -> Key {
        Key {
            secret: SigningKey::from_bytes(&seed),
        }
    }

    /// Reads a key file (format in the module documentation).
    pub fn load(path: &Path) -> Result<Key, SigningError> {
        let text = std::fs::read_to_string(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => SigningError::NoKey {
                path: path.to_path_buf(),
            },
            _ => SigningError::ReadKey {
                path: path.to_path_buf(),
                source: e,
            },
        })?;
        Key::parse_from(&text, KeyOrigin::File(path.to_path_buf()))
    }

    /// The key from `ACCOLADE_SIGNING_KEY` when it is set and not empty
    /// (pass `std::env::var(KEY_ENV).ok().as_deref()`), else from `path`.
    pub fn from_env_or_file(env_value: Option<&str>, path: &Path) -> Result<Key, SigningError> {
        match env_value {
            Some(v) if !v.trim().is_empty() => Key::parse_from(v, KeyOrigin::Env),
            _ => Key::load(path),
        }
    }

    /// Parses the text of a key file (or the key line alone).
    pub fn parse(text: &str) -> Result<Key, SigningError> {
        Key::parse_from(text, KeyOrigin::Text)
    }

    fn parse_from(text: &str, origin: KeyOrigin) -> Result<Key, SigningError> {
        let bad = |problem: String| SigningError::BadKey {
            origin: origin.clone(),
            problem,
        };
        let mut lines = text
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with('#'));
        let (Some(line), None) = (lines.next(), lines.next()) else {
            return Err(bad(format!("not an accolade signing key: {EXPECTED}")));
        };
        let bytes = decode_multibase(line).ok_or_else(|| {
            bad(format!(
                "not an accolade signing key: the key line is not base58btc multibase (`z…`); {EXPECTED}"
            ))
        })?;
        match bytes.split_at_checked(2) {
            Some((prefix, seed)) if prefix == ED25519_PRIV => match <[u8; 32]>::try_from(seed) {
                Ok(seed) => Ok(Key::from_seed(seed)),
                Err(_) => Err(bad(format!(
                    "not an Ed25519 secret key (wrong length); {EXPECTED}"
                ))),
            },
            Some((prefix, _)) if prefix == ED25519_PUB => Err(bad(format!(
                "this is a public key (`z6Mk…`), not a secret key; {EXPECTED}"
            ))),
            _ => Err(bad(format!(
                "not an Ed25519 secret key (wrong multicodec prefix or length); {EXPECTED}"
            ))),
        }
    }

    /// The secret key as Multikey `secretKeyMultibase` (`z3u2…`).
    pub fn secret_multibase(&self) -> String {
        multibase(&ED25519_PRIV, &self.secret.to_bytes())
    }

    /// The key file's text: `label` as comment lines, the public key as a
    /// comment, then the secret key line.
    pub fn to_file_text(&self, label: &str) -> String {
        let mut out = String::new();
        for l in label.lines() {
            out.push_str("# ");
            out.push_str(l);
            out.push('\n');
        }
        out.push_str(&format!(
            "# Public key (Multikey): {}\n",
            self.public_multikey()
        ));
        out.push_str(&self.secret_multibase());
        out.push('\n');
        out
    }

    /// Writes a new key file (mode 0600, parent folders created). Refuses
    /// to replace an existing file.
    pub fn write_key(&self, path: &Path) -> Result<(), SigningError> {
        self.write_key_labelled(
            path,
            "accolade issuer signing key (Ed25519). SECRET: anyone holding this file can \
             issue credentials in your name.\nNever publish it or commit it; keep a backup: \
             losing it orphans every credential signed with it.",
        )
    }

    /// [`Key::write_key`] with other comment lines (e.g. a demo-key warning).
    pub fn write_key_labelled(&self, path: &Path, label: &str) -> Result<(), SigningError> {
        use std::io::Write;
        let write_error = |path: &Path, source| SigningError::WriteKey {
            path: path.to_path_buf(),
            source,
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|e| write_error(dir, e))?;
        }
        if path.exists() {
            return Err(SigningError::KeyExists {
                path: path.to_path_buf(),
            });
        }
        // Written whole to a private temporary file, then linked into place:
        // a kill never leaves a torn key, and linking never replaces a key
        // that appeared meanwhile.
        let tmp = path.with_extension(format!("tmp-{}", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let written = options.open(&tmp).and_then(|mut file| {
            file.write_all(self.to_file_text(label).as_bytes())?;
            file.sync_all()
        });
        let linked = written.and_then(|()| std::fs::hard_link(&tmp, path));
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                SigningError::KeyExists {
                    path: path.to_path_buf(),
                }
            } else {
                write_error(path, e)
            }
        })
    }

    pub fn public_key_bytes(&self) -> [u8; 32] {
        self.secret.verifying_key().to_bytes()
    }

    /// Multikey `publicKeyMultibase`: `z` + base58btc(0xed 0x01 ‖ key), `z6Mk…`.
    pub fn public_multikey(&self) -> String {
        multibase(&ED25519_PUB, &self.public_key_bytes())
    }

    /// A secret for another `purpose` (e.g. claim tokens), derived from
    /// this key: kept wherever the key is, never published, and not
    /// derivable from anything public.
    pub fn derive_secret(&self, purpose: &str) -> [u8; 32] {
        use sha2::Digest;
        let mut h = sha2::Sha256::new();
        h.update(b"accolade derived secret\0");
        h.update(purpose.as_bytes());
        h.update(b"\0");
        h.update(self.secret.to_bytes());
        h.finalize().into()
    }

    pub(super) fn sign_bytes(&self, message: &[u8]) -> [u8; 64] {
        self.secret.sign(message).to_bytes()
    }
}

fn multibase(prefix: &[u8; 2], key: &[u8]) -> String {
    let mut bytes = Vec::with_capacity(2 + key.len());
    bytes.extend_from_slice(prefix);
    bytes.extend_from_slice(key);
    format!("z{}", super::base58::encode(&bytes))
}

/// The bytes of a base58btc multibase string (`z…`).
pub(super) fn decode_multibase(s: &str) -> Option<Vec<u8>> {
    super::base58::decode(s.strip_prefix('z')?)
}

/// The 32-byte Ed25519 public key of a Multikey `publicKeyMultibase`
/// (`z6Mk…`), e.g. an entry of `signing.previous_keys`.
pub fn parse_multikey(multikey: &str) -> Result<[u8; 32], SigningError> {
    let bad = |problem| SigningError::BadMultikey {
        multikey: multikey.to_string(),
        problem,
    };
    let bytes =
        decode_multibase(multikey).ok_or_else(|| bad("is not a base58btc Multikey (`z6Mk…`)"))?;
    match bytes.split_at_checked(2) {
        Some((prefix, key)) if prefix == ED25519_PUB => {
            let key: [u8; 32] = key
                .try_into()
                .map_err(|_| bad("is not an Ed25519 public Multikey (expected `z6Mk…`)"))?;
            VerifyingKey::from_bytes(&key).map_err(|_| bad("is not a valid Ed25519 public key"))?;
            Ok(key)
        }
        _ => Err(bad("is not an Ed25519 public Multikey (expected `z6Mk…`)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_file_round_trip_and_errors() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/issuer.ed25519");
        let key = Key::generate();
        key.write_key(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# "));
        assert!(text.lines().last().unwrap().starts_with("z3u2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let loaded = Key::load(&path).unwrap();
        assert_eq!(loaded.public_multikey(), key.public_multikey());
        // Never overwritten.
        let err = Key::generate().write_key(&path).unwrap_err();
        assert!(matches!(err, SigningError::KeyExists { .. }), "{err}");
        assert!(err.to_string().contains("already exists"), "{err}");
        assert_eq!(
            Key::load(&path).unwrap().public_multikey(),
            key.public_multikey()
        );

        // The environment wins when set and not empty; the key line alone is enough.
        let env_key = Key::generate();
        let got = Key::from_env_or_file(Some(&env_key.secret_multibase()), &path).unwrap();
        assert_eq!(got.public_multikey(), env_key.public_multikey());
        let got = Key::from_env_or_file(Some("  "), &path).unwrap();
        assert_eq!(got.public_multikey(), key.public_multikey());
        let err = Key::from_env_or_file(Some("nonsense"), &path).unwrap_err();
        assert!(err.to_string().starts_with(KEY_ENV), "{err}");

        let missing = dir.path().join("nope.ed25519");
        let err = Key::load(&missing).unwrap_err().to_string();
        assert!(err.contains("accolade keys generate --out"), "{err}");
        assert!(err.contains("never makes a key"), "{err}");

        for bad in [
            "",
            "# only a comment\n",
            "z3u2abc\nz3u2def\n",
            "not-multibase\n",
            &format!("{}\n", key.public_multikey()),
            "z111111\n",
        ] {
            std::fs::write(dir.path().join("bad"), bad).unwrap();
            let err = Key::load(&dir.path().join("bad")).unwrap_err().to_string();
            assert!(err.contains("bad:"), "{err}");
        }
        std::fs::write(dir.path().join("pub"), key.public_multikey()).unwrap();
        assert!(
            Key::load(&dir.path().join("pub"))
                .unwrap_err()
                .to_string()
                .contains("public key")
        );
    }

    #[test]
    fn multikeys() {
        let key = Key::from_seed([3; 32]);
        assert!(key.public_multikey().starts_with("z6Mk"));
        assert!(key.secret_multibase().starts_with("z3u2"));
        assert_eq!(
            parse_multikey(&key.public_multikey()).unwrap(),
            key.public_key_bytes()
        );
        assert!(parse_multikey(&key.secret_multibase()).is_err());
        assert!(parse_multikey("z6Mk").is_err());
        assert!(parse_multikey("").is_err());
        assert_eq!(
            Key::parse(&key.to_file_text("x"))
                .unwrap()
                .public_multikey(),
            key.public_multikey()
        );
        assert!(format!("{key:?}").contains(&key.public_multikey()));
        assert!(!format!("{key:?}").contains(&key.secret_multibase()));
        // A secret-key prefix with a short seed is an error, not a panic.
        let short = multibase(&ED25519_PRIV, &[1; 16]);
        assert!(Key::parse(&short).is_err());
    }
}
