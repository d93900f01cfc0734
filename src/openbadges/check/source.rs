//! Where the issuer's documents come from: a built site folder (offline),
//! or the web. Both answer "this URL's bytes", and both tell a document the
//! issuer does not publish (an answer) from one that could not be fetched
//! (no answer).

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::http::{self, HttpError};
use crate::paths;

/// The issuer's documents.
pub enum Source {
    /// A built site folder, served at `base` (read from its issuer.json).
    Dir { dir: PathBuf, base: String },
    /// The web, over HTTP(S).
    Web(http::Client),
    /// Nothing at all (`--did-document` without `--site`): every document
    /// is "not checked", never "not found".
    Nothing,
    /// The issuer's DID document from a file, answering for any DID
    /// document; everything else from `rest`.
    WithDid {
        did_document: Vec<u8>,
        rest: Box<Source>,
    },
}

/// Why a document could not be had.
#[derive(Debug)]
pub enum FetchError {
    /// With `--site`: the URL is not under the site's base URL.
    NotOnSite { url: String, base: String },
    /// The issuer publishes no document there (no file, HTTP 404 or 410).
    NotFound { url: String, gone: bool },
    /// The path has `..` in it or cannot be a file of the site.
    BadPath(String),
    /// The document is not JSON.
    NotJson { url: String, problem: String },
    /// The network failed, or the server answered something unusable.
    Http(HttpError),
    /// Checking offline with only a DID document.
    Offline(String),
}

impl FetchError {
    /// The issuer's own answer that there is no such document.
    pub fn is_not_found(&self) -> bool {
        matches!(self, FetchError::NotFound { .. })
    }
}

impl fmt::Display for FetchError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FetchError::NotOnSite { url, base } => write!(
                f,
                "{url} is not part of the site at {base} (issued by someone else? \
                 check it without --site)"
            ),
            FetchError::NotFound { url, gone: true } => {
                write!(f, "{url}: the issuer withdrew it (HTTP 410 Gone)")
            }
            FetchError::NotFound { url, .. } => {
                write!(f, "{url}: the issuer publishes no such document")
            }
            FetchError::BadPath(url) => write!(f, "{url}: not a path of the site"),
            FetchError::NotJson { url, problem } => write!(f, "{url}: not valid JSON ({problem})"),
            FetchError::Http(e) => e.fmt(f),
            FetchError::Offline(url) => write!(
                f,
                "{url}: not read (offline: only the DID document given is used)"
            ),
        }
    }
}

impl Source {
    /// The built site in `dir`; its base URL comes from its issuer profile.
    pub fn dir(dir: &Path) -> Result<Source, String> {
        if !dir.join("index.html").is_file() && !dir.join(paths::ISSUER).is_file() {
            return Err(format!(
                "`{}` is not a built site: no index.html or issuer.json (pass the output \
                 folder, e.g. public/)",
                dir.display()
            ));
        }
        let profile: Value = std::fs::read(dir.join(paths::ISSUER))
            .ok()
            .and_then(|b| serde_json::from_slice(&b).ok())
            .ok_or_else(|| format!("`{}` has no readable issuer.json", dir.display()))?;
        let id = profile
            .get("id")
            .and_then(Value::as_str)
            .ok_or_else(|| format!("`{}/issuer.json` has no id", dir.display()))?;
        let base = id
            .trim_end_matches(paths::ISSUER)
            .trim_end_matches('/')
            .to_string();
        Ok(Source::Dir {
            dir: dir.to_path_buf(),
            base,
        })
    }

    /// `rest` with the issuer's DID document read from `file`.
    pub fn with_did_document(rest: Source, file: &Path) -> Result<Source, String> {
        let bytes = std::fs::read(file)
            .map_err(|e| format!("cannot read the DID document `{}`: {e}", file.display()))?;
        let doc: Value = serde_json::from_slice(&bytes)
            .map_err(|e| format!("`{}` is not a DID document (not JSON: {e})", file.display()))?;
        if !doc
            .get("id")
            .and_then(Value::as_str)
            .is_some_and(|id| id.starts_with("did:"))
        {
            return Err(format!(
                "`{}` is not a DID document: it has no `id` starting with did:",
                file.display()
            ));
        }
        Ok(Source::WithDid {
            did_document: bytes,
            rest: Box::new(rest),
        })
    }

    /// A document's bytes.
    pub fn get(&self, url: &str) -> Result<Vec<u8>, FetchError> {
        match self {
            Source::Nothing => Err(FetchError::Offline(url.to_string())),
            Source::WithDid { did_document, .. } if url.ends_with("did.json") => {
                Ok(did_document.clone())
            }
            Source::WithDid { rest, .. } => rest.get(url),
            Source::Dir { dir, base } => read_site_file(dir, base, url),
            Source::Web(client) => client.get(url).map_err(|e| match e {
                e if e.is_not_found() => FetchError::NotFound {
                    url: url.to_string(),
                    gone: matches!(
                        e,
                        HttpError::Fetch {
                            problem: http::Problem::Status(410),
                            ..
                        }
                    ),
                },
                e => FetchError::Http(e),
            }),
        }
    }

    /// A JSON document.
    pub fn get_json(&self, url: &str) -> Result<Value, FetchError> {
        let bytes = self.get(url)?;
        serde_json::from_slice(&bytes).map_err(|e| FetchError::NotJson {
            url: url.to_string(),
            problem: e.to_string(),
        })
    }
}

/// The file of the site folder that the site serves at `url`. The scheme is
/// ignored (a site built for https is read the same), the fragment too.
fn read_site_file(dir: &Path, base: &str, url: &str) -> Result<Vec<u8>, FetchError> {
    let without_scheme = |u: &str| u.split_once("://").map_or(u, |(_, r)| r).to_string();
    let (site, wanted) = (without_scheme(base), without_scheme(url));
    let wanted = wanted.split('#').next().unwrap_or_default();
    let rest = wanted
        .strip_prefix(site.as_str())
        .filter(|r| r.is_empty() || r.starts_with('/'))
        .ok_or_else(|| FetchError::NotOnSite {
            url: url.to_string(),
            base: base.to_string(),
        })?;
    let rel = rest.trim_start_matches('/');
    if rel.contains('?') || rel.contains('\\') || rel.split('/').any(|c| c == "..") {
        return Err(FetchError::BadPath(url.to_string()));
    }
    let mut path = dir.join(rel);
    if rel.is_empty() || rel.ends_with('/') {
        path = path.join("index.html");
    }
    std::fs::read(&path).map_err(|_| FetchError::NotFound {
        url: url.to_string(),
        gone: false,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_files_by_url() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("verify/A")).unwrap();
        std::fs::write(dir.path().join("verify/A/credential.json"), "{}").unwrap();
        std::fs::write(dir.path().join("verify/A/index.html"), "<html>").unwrap();
        let base = "https://cred.example.org";
        let read = |url: &str| read_site_file(dir.path(), base, url);
        assert_eq!(
            read("https://cred.example.org/verify/A/credential.json").unwrap(),
            b"{}"
        );
        assert_eq!(
            read("http://cred.example.org/verify/A/").unwrap(),
            b"<html>"
        );
        assert_eq!(
            read("https://cred.example.org/verify/A/credential.json#x").unwrap(),
            b"{}"
        );
        assert!(matches!(
            read("https://cred.example.org.evil/verify/A/credential.json"),
            Err(FetchError::NotOnSite { .. })
        ));
        assert!(matches!(
            read("https://other.example/verify/A/credential.json"),
            Err(FetchError::NotOnSite { .. })
        ));
        assert!(matches!(
            read("https://cred.example.org/verify/../../etc/passwd"),
            Err(FetchError::BadPath(_))
        ));
        let missing = read("https://cred.example.org/verify/B/credential.json").unwrap_err();
        assert!(missing.is_not_found(), "{missing}");
    }
}
