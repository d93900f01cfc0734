//! Fetching documents over HTTP and HTTPS, for `accolade verify` (the only
//! part of accolade that touches the network; a build never does).
//!
//! TLS is rustls with the Mozilla root certificates compiled in (the
//! `webpki-roots` set), so a verification gives the same answer on every
//! machine, whatever its certificate store. More CAs (a company's own, a
//! test's) come from a PEM file the user names (`--ca-file`, or the
//! conventional `SSL_CERT_FILE`); they are added to the Mozilla roots, never
//! instead of checking. There is deliberately no way to turn checking off.
//!
//! Every response is bounded: a timeout on connecting and on the whole
//! exchange, a cap on the body's size, a few redirects at most and never
//! from https to http. Each failure says which of these it was.

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;
use ureq::tls::{Certificate, PemItem, RootCerts, TlsConfig};

/// The largest response accepted: a credential, DID document or status
/// list is a few kilobytes, a verification page a few hundred.
pub const MAX_RESPONSE_BYTES: u64 = 4 << 20;
/// Redirects followed before giving up.
pub const MAX_REDIRECTS: usize = 5;
/// Time to connect (including DNS and the TLS handshake).
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// Time for one whole request, body included.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(30);
const ACCEPT: &str = "application/ld+json, application/json;q=0.9, */*;q=0.1";

/// An HTTP(S) client with accolade's limits.
pub struct Client {
    agent: ureq::Agent,
}

/// Why a request or the client's setup failed.
#[derive(Debug)]
pub enum HttpError {
    /// The extra CA file could not be read or holds no certificate.
    CaFile { path: PathBuf, problem: String },
    /// Fetching `url` failed.
    Fetch { url: String, problem: Problem },
}

/// What went wrong with a request.
#[derive(Debug)]
pub enum Problem {
    /// Not an `http://` or `https://` URL.
    Unsupported,
    /// The host name does not resolve.
    Dns,
    /// No connection (refused, unreachable, reset).
    Connect(String),
    /// The TLS handshake failed, usually an untrusted certificate.
    Tls(String),
    /// No complete answer in time.
    Timeout,
    /// An HTTP status other than 200.
    Status(u16),
    /// The body is larger than the cap.
    TooLarge(u64),
    /// Too many redirects.
    Redirects,
    /// A redirect from https to http, or without a usable `Location`.
    BadRedirect(String),
    /// The body is not JSON.
    NotJson(String),
    /// Anything else the HTTP client reports.
    Other(String),
}

impl HttpError {
    /// Whether the server answered that it has no such document (404,
    /// 410): an answer from the issuer, unlike a network failure.
    pub fn is_not_found(&self) -> bool {
        matches!(
            self,
            HttpError::Fetch {
                problem: Problem::Status(404 | 410),
                ..
            }
        )
    }

    fn fetch(url: &str, problem: Problem) -> HttpError {
        HttpError::Fetch {
            url: url.to_string(),
            problem,
        }
    }
}

impl fmt::Display for HttpError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HttpError::CaFile { path, problem } => {
                write!(f, "CA file {}: {problem}", path.display())
            }
            HttpError::Fetch { url, problem } => write!(f, "{url}: {problem}"),
        }
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::Unsupported => f.write_str("only http:// and https:// URLs can be fetched"),
            Problem::Dns => f.write_str(
                "the host name does not resolve (DNS): check the address and the network",
            ),
            Problem::Connect(e) => write!(f, "cannot connect: {e}"),
            Problem::Tls(e) => write!(
                f,
                "TLS failed: {e}. The server's certificate is not trusted, or it does not speak \
                 TLS; a private CA can be added with --ca-file or SSL_CERT_FILE"
            ),
            Problem::Timeout => write!(
                f,
                "no complete answer within {} seconds",
                TOTAL_TIMEOUT.as_secs()
            ),
            Problem::Status(404) => {
                f.write_str("HTTP 404 Not Found: the server has no such document")
            }
            Problem::Status(410) => f.write_str("HTTP 410 Gone: the server withdrew this document"),
            Problem::Status(code) => write!(f, "HTTP {code}"),
            Problem::TooLarge(limit) => write!(
                f,
                "the response is larger than {limit} bytes, more than any credential document"
            ),
            Problem::Redirects => write!(f, "more than {MAX_REDIRECTS} redirects"),
            Problem::BadRedirect(e) => write!(f, "refused redirect: {e}"),
            Problem::NotJson(e) => write!(f, "not JSON ({e})"),
            Problem::Other(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for HttpError {}

impl Client {
    /// A client trusting the Mozilla roots, plus the certificates of the
    /// PEM file `extra_ca` when given.
    pub fn new(extra_ca: Option<&Path>) -> Result<Client, HttpError> {
        let roots = match extra_ca {
            None => RootCerts::WebPki,
            Some(path) => RootCerts::new_with_certs(&with_extra_roots(path)?),
        };
        let config = ureq::Agent::config_builder()
            .tls_config(TlsConfig::builder().root_certs(roots).build())
            // Redirects are followed here, to refuse https → http.
            .max_redirects(0)
            .http_status_as_error(false)
            .timeout_connect(Some(CONNECT_TIMEOUT))
            .timeout_global(Some(TOTAL_TIMEOUT))
            .user_agent(concat!(
                "accolade/",
                env!("CARGO_PKG_VERSION"),
                " (Open Badges verifier)"
            ))
            .build();
        Ok(Client {
            agent: ureq::Agent::new_with_config(config),
        })
    }

    /// The body of a 200 response to GET `url`, after redirects.
    pub fn get(&self, url: &str) -> Result<Vec<u8>, HttpError> {
        let mut url = url.to_string();
        for _ in 0..=MAX_REDIRECTS {
            if !(url.starts_with("https://") || url.starts_with("http://")) {
                return Err(HttpError::fetch(&url, Problem::Unsupported));
            }
            let mut response = self
                .agent
                .get(&url)
                .header("Accept", ACCEPT)
                .call()
                .map_err(|e| HttpError::fetch(&url, problem_of(e)))?;
            let status = response.status().as_u16();
            if matches!(status, 301 | 302 | 303 | 307 | 308) {
                let location = response
                    .headers()
                    .get("location")
                    .and_then(|v| v.to_str().ok());
                url = next_url(&url, location).map_err(|e| HttpError::fetch(&url, e))?;
                continue;
            }
            if status != 200 {
                return Err(HttpError::fetch(&url, Problem::Status(status)));
            }
            return response
                .body_mut()
                .with_config()
                .limit(MAX_RESPONSE_BYTES)
                .read_to_vec()
                .map_err(|e| HttpError::fetch(&url, problem_of(e)));
        }
        Err(HttpError::fetch(&url, Problem::Redirects))
    }

    /// [`Client::get`], parsed as JSON.
    pub fn get_json(&self, url: &str) -> Result<Value, HttpError> {
        let bytes = self.get(url)?;
        serde_json::from_slice(&bytes)
            .map_err(|e| HttpError::fetch(url, Problem::NotJson(e.to_string())))
    }
}

/// The Mozilla roots and the certificates of a PEM file.
fn with_extra_roots(path: &Path) -> Result<Vec<Certificate<'static>>, HttpError> {
    let bad = |problem: String| HttpError::CaFile {
        path: path.to_path_buf(),
        problem,
    };
    let pem = std::fs::read(path).map_err(|e| bad(format!("cannot read it: {e}")))?;
    let mut extra = Vec::new();
    for item in ureq::tls::parse_pem(&pem) {
        match item {
            Ok(PemItem::Certificate(c)) => extra.push(c),
            Ok(_) => {}
            Err(e) => return Err(bad(format!("not a PEM file: {e}"))),
        }
    }
    if extra.is_empty() {
        return Err(bad(
            "holds no certificate (expected PEM: -----BEGIN CERTIFICATE-----)".into(),
        ));
    }
    let mut roots: Vec<Certificate<'static>> = webpki_root_certs::TLS_SERVER_ROOT_CERTS
        .iter()
        .map(|c| Certificate::from_der(c.as_ref()))
        .collect();
    roots.extend(extra);
    Ok(roots)
}

/// Where a redirect leads: an absolute URL, `//host/…`, `/path` or a path
/// relative to the current URL's folder. Never from https to http.
fn next_url(current: &str, location: Option<&str>) -> Result<String, Problem> {
    let location = location
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .ok_or_else(|| Problem::BadRedirect("a redirect without a Location".into()))?;
    let bad = |e: url::ParseError| Problem::BadRedirect(format!("to `{location}`: {e}"));
    // RFC 3986 reference resolution: `?v=2` keeps the path, `../x` climbs.
    let base = url::Url::parse(current).map_err(bad)?;
    let mut next = base.join(location).map_err(bad)?;
    next.set_fragment(None);
    if !matches!(next.scheme(), "http" | "https") {
        return Err(Problem::BadRedirect(format!(
            "to {next}, which is not http(s)"
        )));
    }
    if base.scheme() == "https" && next.scheme() != "https" {
        return Err(Problem::BadRedirect(format!(
            "from https to {next}, which is not https"
        )));
    }
    Ok(next.into())
}

/// ureq's error, in the terms a user can act on.
fn problem_of(e: ureq::Error) -> Problem {
    use ureq::Error as E;
    match e {
        E::HostNotFound => Problem::Dns,
        E::Timeout(_) => Problem::Timeout,
        E::BodyExceedsLimit(limit) => Problem::TooLarge(limit),
        E::TooManyRedirects => Problem::Redirects,
        E::BadUri(u) => Problem::Other(format!("not a valid URL: {u}")),
        E::Tls(m) => Problem::Tls(m.to_string()),
        E::Rustls(e) => Problem::Tls(e.to_string()),
        E::ConnectionFailed => Problem::Connect("connection failed".into()),
        E::Io(io) => io_problem(io),
        other => Problem::Other(other.to_string()),
    }
}

fn io_problem(io: std::io::Error) -> Problem {
    use std::io::ErrorKind as K;
    // The resolver's failure has no kind of its own.
    if io.to_string().contains("failed to lookup address") {
        return Problem::Dns;
    }
    // rustls reports certificate and handshake failures as InvalidData.
    if io.kind() == K::InvalidData {
        return Problem::Tls(io.to_string());
    }
    match io.kind() {
        K::TimedOut | K::WouldBlock => Problem::Timeout,
        K::ConnectionRefused
        | K::ConnectionReset
        | K::ConnectionAborted
        | K::NotConnected
        | K::HostUnreachable
        | K::NetworkUnreachable
        | K::AddrNotAvailable
        | K::UnexpectedEof => Problem::Connect(io.to_string()),
        _ => Problem::Other(io.to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirect_targets() {
        let here = "https://a.example/verify/X/credential.json";
        let next = |l: &str| next_url(here, Some(l));
        assert_eq!(next("https://b.example/x").unwrap(), "https://b.example/x");
        assert_eq!(next("//c.example/y").unwrap(), "https://c.example/y");
        assert_eq!(next("/z.json").unwrap(), "https://a.example/z.json");
        assert_eq!(
            next("other.json").unwrap(),
            "https://a.example/verify/X/other.json"
        );
        assert!(matches!(
            next("http://a.example/x"),
            Err(Problem::BadRedirect(_))
        ));
        assert!(matches!(next_url(here, None), Err(Problem::BadRedirect(_))));
        assert!(matches!(next("  "), Err(Problem::BadRedirect(_))));
        // Plain http may go to https.
        assert_eq!(
            next_url("http://127.0.0.1:8/a", Some("https://x.example/")).unwrap(),
            "https://x.example/"
        );
        assert_eq!(
            next_url("http://127.0.0.1:8", Some("b")).unwrap(),
            "http://127.0.0.1:8/b"
        );
        // A query alone keeps the path; dot segments climb; no fragment.
        assert_eq!(
            next_url("https://a.example/a/b", Some("?v=2")).unwrap(),
            "https://a.example/a/b?v=2"
        );
        assert_eq!(
            next("../../up.json#x").unwrap(),
            "https://a.example/up.json"
        );
        assert!(matches!(
            next("ftp://a.example/x"),
            Err(Problem::BadRedirect(_))
        ));
    }

    #[test]
    fn ca_files_must_hold_certificates() {
        let dir = tempfile::tempdir().unwrap();
        let missing = dir.path().join("none.pem");
        let err = Client::new(Some(&missing)).err().unwrap().to_string();
        assert!(err.contains("cannot read"), "{err}");
        let empty = dir.path().join("empty.pem");
        std::fs::write(&empty, "hello\n").unwrap();
        let err = Client::new(Some(&empty)).err().unwrap().to_string();
        assert!(err.contains("holds no certificate"), "{err}");
    }

    #[test]
    fn only_http_urls_are_fetched() {
        let client = Client::new(None).unwrap();
        for url in [
            "ftp://example.org/x",
            "file:///etc/passwd",
            "did:web:example.org",
        ] {
            let err = client.get(url).unwrap_err();
            assert!(
                matches!(
                    &err,
                    HttpError::Fetch {
                        problem: Problem::Unsupported,
                        ..
                    }
                ),
                "{err}"
            );
        }
    }
}
