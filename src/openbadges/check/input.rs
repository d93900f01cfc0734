//! What the user handed `accolade verify`: a baked PNG or SVG, a JSON file,
//! or a verification URL, turned into the credentials it carries (the
//! Open Badges 3.0 credential first when an image holds both).

use std::fmt;

use serde_json::Value;

use super::Outcome;
use super::source::{FetchError, Source};
use crate::openbadges::{bake, print};
use crate::paths;

const JPEG: &[u8] = b"\xff\xd8\xff";

/// Why the input yields no credential to check.
#[derive(Debug)]
pub enum InputError {
    /// The file cannot be read.
    Unreadable {
        input: String,
        source: std::io::Error,
    },
    /// A PNG or SVG that cannot be read as one.
    Image { input: String, problem: String },
    /// A plain image: nothing baked in.
    NoCredential(String),
    /// Two credentials of the same kind baked into one image.
    TwoOfAKind(String),
    /// Neither an image nor UTF-8 text.
    NotText(String),
    /// The credential text is not JSON.
    NotJson { input: String, problem: String },
    /// A signed JWS (compact form), which accolade does not check.
    Jws(String),
    /// The verification URL gave no credential.
    Fetch(FetchError),
    /// An image with no readable QR code, or a QR code that is not a
    /// print credential.
    NoQr { input: String, problem: String },
    /// A print credential that cannot be read: damaged or forged.
    BadPrint { input: String, problem: String },
}

impl InputError {
    /// Only a doctored image is a verdict; the rest leave nothing to judge.
    pub fn outcome(&self) -> Outcome {
        match self {
            InputError::TwoOfAKind(_) | InputError::BadPrint { .. } => Outcome::NotValid,
            InputError::Fetch(e) if e.is_not_found() => Outcome::NotValid,
            _ => Outcome::CouldNotCheck,
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Unreadable { input, source } => {
                write!(f, "cannot read `{input}`: {source}")
            }
            InputError::Image { input, problem } => write!(f, "`{input}`: {problem}"),
            InputError::NoCredential(input) => write!(
                f,
                "`{input}` carries no credential: it is a plain image, not a baked badge"
            ),
            InputError::TwoOfAKind(input) => write!(
                f,
                "`{input}` carries two credentials of the same kind; a genuine baked badge has one"
            ),
            InputError::NotText(input) => write!(f, "`{input}` is neither an image nor UTF-8 JSON"),
            InputError::NotJson { input, problem } => {
                write!(f, "`{input}`: the credential is not valid JSON ({problem})")
            }
            InputError::Jws(input) => write!(
                f,
                "`{input}` carries a signed JWS; only hosted and Data Integrity credentials are supported"
            ),
            InputError::Fetch(e) if e.is_not_found() => {
                write!(f, "no credential at this address: {e}")
            }
            InputError::Fetch(e) => e.fmt(f),
            InputError::NoQr { input, problem } => write!(f, "`{input}`: {problem}"),
            InputError::BadPrint { input, problem } => write!(
                f,
                "`{input}`: {problem}: the certificate's code was damaged or altered"
            ),
        }
    }
}

/// The credentials `input` carries: a URL is fetched from `source`, a
/// file is read. A print credential (a certificate's QR code: its text,
/// its verifier URL, or a scan or photo of it) needs no fetching.
pub fn load(input: &str, source: &Source) -> Result<Vec<Value>, InputError> {
    if input.contains(print::PREFIX) && !std::path::Path::new(input).exists() {
        return print_credential(input, input);
    }
    if input.starts_with("http://") || input.starts_with("https://") {
        return fetch(input, source).map(|doc| vec![doc]);
    }
    let bytes = std::fs::read(input).map_err(|e| InputError::Unreadable {
        input: input.to_string(),
        source: e,
    })?;
    if bytes.starts_with(JPEG) {
        return print_credential(input, &qr_in_image(input, &bytes)?);
    }
    let texts = if bytes.starts_with(b"\x89PNG") {
        match png_texts(input, &bytes) {
            // A plain picture: a scan of a certificate?
            Err(InputError::NoCredential(_)) => {
                return print_credential(input, &qr_in_image(input, &bytes)?);
            }
            other => other?,
        }
    } else if looks_like_svg(&bytes) {
        let svg = String::from_utf8_lossy(&bytes);
        let texts = |element| {
            bake::read_svg(&svg, element)
                .into_iter()
                .map(|(_, t)| t)
                .collect()
        };
        one_of_each(input, texts("credential"), texts("assertion"))?
    } else {
        vec![String::from_utf8(bytes).map_err(|_| InputError::NotText(input.to_string()))?]
    };
    texts.iter().map(|text| parse(input, text)).collect()
}

/// A verification URL's credential (`…/credential.json`, else the 2.0
/// `…/assertion.json`), or the JSON document the URL names.
fn fetch(url: &str, source: &Source) -> Result<Value, InputError> {
    let candidates = if url.ends_with(".json") {
        vec![url.to_string()]
    } else {
        let dir = url
            .split(['?', '#'])
            .next()
            .unwrap_or(url)
            .trim_end_matches('/');
        vec![
            format!("{dir}/{}", paths::CREDENTIAL_FILE),
            format!("{dir}/{}", paths::ASSERTION_FILE),
        ]
    };
    let mut not_found = None;
    for candidate in candidates {
        match source.get_json(&candidate) {
            Ok(doc) => return Ok(doc),
            Err(e) if e.is_not_found() => {
                not_found.get_or_insert(e);
            }
            Err(e) => return Err(InputError::Fetch(e)),
        }
    }
    Err(InputError::Fetch(
        not_found.expect("at least one candidate"),
    ))
}

fn png_texts(input: &str, png: &[u8]) -> Result<Vec<String>, InputError> {
    let read = |keyword| {
        bake::read_png(png, keyword).map_err(|problem| InputError::Image {
            input: input.to_string(),
            problem,
        })
    };
    one_of_each(input, read(bake::OB3_KEYWORD)?, read(bake::OB2_KEYWORD)?)
}

fn looks_like_svg(bytes: &[u8]) -> bool {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
    head.trim_start().starts_with("<?xml") || head.contains("<svg")
}

/// At most one credential of each kind, and at least one in all.
fn one_of_each(input: &str, ob3: Vec<String>, ob2: Vec<String>) -> Result<Vec<String>, InputError> {
    if ob3.len() > 1 || ob2.len() > 1 {
        return Err(InputError::TwoOfAKind(input.to_string()));
    }
    let all: Vec<String> = ob3.into_iter().chain(ob2).collect();
    if all.is_empty() {
        return Err(InputError::NoCredential(input.to_string()));
    }
    Ok(all)
}

fn parse(input: &str, text: &str) -> Result<Value, InputError> {
    let text = text.trim();
    if text.starts_with("ey") && text.split('.').count() == 3 {
        return Err(InputError::Jws(input.to_string()));
    }
    serde_json::from_str(text).map_err(|e| InputError::NotJson {
        input: input.to_string(),
        problem: e.to_string(),
    })
}

/// The print credential of a QR code's text (`VC1-…`, or the verifier URL
/// with it in the fragment).
fn print_credential(input: &str, text: &str) -> Result<Vec<Value>, InputError> {
    let bad = |problem| InputError::BadPrint {
        input: input.to_string(),
        problem,
    };
    let bytes = print::from_text(text).map_err(bad)?;
    print::decompress(&bytes).map(|doc| vec![doc]).map_err(bad)
}

/// The text of the QR code in a PNG or JPEG (a scan, a photo, a screenshot).
fn qr_in_image(input: &str, bytes: &[u8]) -> Result<String, InputError> {
    let problem = |problem: String| InputError::NoQr {
        input: input.to_string(),
        problem,
    };
    let (width, height, grey) = crate::images::greyscale(bytes).map_err(problem)?;
    let mut img =
        rqrr::PreparedImage::prepare_from_greyscale(width, height, |x, y| grey[y * width + x]);
    let grids = img.detect_grids();
    let mut last =
        "carries no credential: no baked credential, and no QR code found in the image".to_string();
    for grid in grids {
        match grid.decode() {
            Ok((_, text)) if text.contains(print::PREFIX) => return Ok(text),
            Ok((_, text)) => {
                last = format!(
                    "its QR code is not a print credential (it reads `{}`): verify that address instead",
                    text.chars().take(120).collect::<String>()
                )
            }
            Err(e) => last = format!("the QR code cannot be read ({e}): try a sharper picture"),
        }
    }
    Err(problem(last))
}
