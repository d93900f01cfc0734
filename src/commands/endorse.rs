//! `accolade endorse request|sign`: the unsigned endorsement for an
//! endorser, and the endorser's signature on it (`crate::endorse`).

use std::path::Path;

use crate::error::{Error, Result};
use crate::text::count;

/// `accolade endorse --help`, after the commands.
pub const HELP: &str = "\
An endorsement is an Open Badges 3.0 EndorsementCredential that a third
party (an industry body, an employer, a university) signs with its own key,
about a badge or about the issuer:

  1. The issuer writes the request and sends it to the endorser:
       accolade endorse request cloud-architect --endorser \"Cloud Guild\" \\
         --url https://guild.example --comment \"Meets our hiring bar.\"
  2. The endorser reviews it and signs it on their machine:
       accolade keys generate --out guild.ed25519
       accolade endorse sign cloud-architect-cloud-guild.json --key guild.ed25519
     (or --did did:web:guild.example, whose did.json they publish)
  3. The issuer puts the signed file (and, for a did:web, the .did.json
     written beside it) into content/endorsements/ and builds: the build
     checks the signature and publishes it.";

pub struct RequestOptions<'a> {
    pub root: &'a Path,
    /// `issuer` or a badge id.
    pub subject: &'a str,
    pub endorser: &'a str,
    pub url: Option<&'a str>,
    pub comment: &'a str,
    pub on: Option<&'a str>,
    pub out: Option<&'a Path>,
}

pub fn request(opts: &RequestOptions) -> Result<()> {
    let on = super::on_day(
        opts.on,
        "an endorsement is valid from the day it is signed or earlier",
    )?;
    if opts.comment.trim().is_empty() || opts.endorser.trim().is_empty() {
        return Err(Error::usage(
            "`--endorser` and `--comment` must not be empty",
            Some(
                "say who endorses and in their words why, e.g. --comment \"Meets our hiring bar.\"",
            ),
        ));
    }
    let now = crate::build::now().map_err(|d| Error::invalid(d, "cannot tell the date"))?;
    let (resolved, diags) = crate::build::resolve(opts.root, None, now);
    let (_, site) = resolved.ok_or_else(|| {
        let n = diags.errors();
        Error::invalid(diags, format!("the content has {}", count(n, "error")))
    })?;
    let doc = crate::endorse::request(
        &site,
        opts.subject,
        opts.endorser,
        opts.url,
        opts.comment,
        on,
    )
    .map_err(|m| Error::usage(m, Some("name a badge by its id, or `issuer`")))?;
    let id = doc["id"].as_str().unwrap_or_default();
    let name = id.rsplit('/').next().unwrap_or("endorsement.json");
    let out = opts
        .out
        .map_or_else(|| opts.root.join(name), |o| opts.root.join(o));
    write_json(&out, &doc)?;
    let file = out
        .file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default();
    eprintln!(
        "Wrote the endorsement request `{}`.\nSend it to {}: they sign it with `accolade endorse sign {file} --key THEIR_KEY`,\nand the signed file goes into content/endorsements/.",
        out.display(),
        opts.endorser
    );
    if opts.on.is_some() && on < site.now {
        eprintln!(
            "Note: it is dated {on}, before today. A credential carries the endorsements in force on the date of its version, so credentials issued since {on} will change: the build will ask you to reissue them (`accolade build --reissue`)."
        );
    }
    Ok(())
}

pub struct SignOptions<'a> {
    pub root: &'a Path,
    pub file: &'a Path,
    pub key: &'a Path,
    pub did: Option<&'a str>,
    pub out: Option<&'a Path>,
}

pub fn sign(opts: &SignOptions) -> Result<()> {
    let path = opts.root.join(opts.file);
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io("read", &path, e))?;
    let unsigned: serde_json::Value = serde_json::from_str(&text).map_err(|e| {
        Error::usage(
            format!("`{}` is not JSON: {e}", opts.file.display()),
            Some("sign the file `accolade endorse request` wrote"),
        )
    })?;
    let key_path = opts.root.join(opts.key);
    let key = crate::signing::Key::load(&key_path).map_err(|e| {
        Error::usage(
            format!("cannot read the key `{}`: {e}", opts.key.display()),
            Some("make one with `accolade keys generate --out endorser.ed25519`"),
        )
    })?;
    let (signed, did_document) = crate::endorse::sign(&unsigned, &key, opts.did)
        .map_err(|m| Error::refused(format!("cannot sign `{}`: {m}", opts.file.display()), None))?;
    let out = opts.out.map_or_else(|| path.clone(), |o| opts.root.join(o));
    write_json(&out, &signed)?;
    let did = signed["issuer"]["id"].as_str().unwrap_or_default();
    eprintln!("Signed `{}` as {did}.", out.display());
    if let Some(document) = did_document {
        let host = did.trim_start_matches("did:web:").replace([':', '%'], "_");
        let doc_path = out.with_file_name(format!("{host}.did.json"));
        write_json(&doc_path, &document)?;
        eprintln!(
            "Wrote `{}`: publish it as your did.json (https://{}/.well-known/did.json), and send it with the endorsement: builds read no network.",
            doc_path.display(),
            did.trim_start_matches("did:web:")
                .replace(':', "/")
                .replace("%3A", ":")
        );
    }
    Ok(())
}

fn write_json(path: &Path, doc: &serde_json::Value) -> Result<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| Error::io("create", dir, e))?;
    }
    let mut text = serde_json::to_string_pretty(doc).expect("JSON serializes");
    text.push('\n');
    std::fs::write(path, text).map_err(|e| Error::io("write", path, e))
}
