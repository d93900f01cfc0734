//! The non-page files of a site: badge artwork at every size, Open Badges
//! JSON, baked badge images and QR codes.
//!
//! Each badge's artwork is read and rasterised once per build (in parallel)
//! and shared by all of its awards' baked images.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::File;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::images::{self, Fonts};
use crate::openbadges::{bake, ob2, ob3, status_list};
use crate::qr;
use crate::signing::{self, Key};
use crate::site::{Award, Site};
use crate::theme::Theme;

/// Sizes of the PNG artwork published for embedding (`badges/<id>-<size>.png`).
pub const SIZES: [u32; 3] = [110, 220, 600];

/// Link-preview cards (`og:image`), the size social networks expect.
pub const CARD_SIZE: (u32, u32) = (1200, 627);

pub struct Assets {
    /// Per badge: the source artwork bytes and its 600 px PNG.
    artwork: Vec<Option<Artwork>>,
    fonts: Fonts,
    /// The previous output, whose unchanged signatures are reused.
    pub previous: Option<PathBuf>,
    /// What sanitising removed from SVG artwork, one warning per kind and file.
    pub warnings: Vec<Diagnostic>,
}

/// Root-relative path of a badge's link-preview card.
pub fn card_path(badge: &crate::site::Badge) -> String {
    format!("badges/{}-card.png", badge.id)
}

struct Artwork {
    /// The artwork as published: a PNG as given, an SVG sanitised.
    source: Vec<u8>,
    png: Vec<u8>,
    /// What sanitising removed from an SVG.
    warnings: Vec<Diagnostic>,
}

/// Root-relative path of the issuer's image in the output.
pub fn issuer_image_path(site: &Site) -> Option<String> {
    let img = site.issuer.image.as_ref()?;
    let ext = if img.to_ascii_lowercase().ends_with(".svg") {
        "svg"
    } else {
        "png"
    };
    Some(format!("static/issuer.{ext}"))
}

impl Assets {
    pub fn new(site: &Site, theme: &Theme) -> Result<Assets, Diagnostics> {
        let fonts = Fonts::from_theme(theme);
        let results: Vec<Result<Option<Artwork>, Diagnostic>> = site
            .badges
            .par_iter()
            .map(|b| {
                if !b.badged {
                    return Ok(None);
                }
                let rel = PathBuf::from("content").join(&b.image);
                let fail = |msg: String| Diagnostic::error(&rel, Pos::default(), msg);
                let source = images::read_artwork(&site.root.join(&rel)).map_err(fail)?;
                let fail = |e: String| fail(format!("badge `{}` artwork: {e}", b.id));
                let mut removed = Vec::new();
                let (source, png) = if b.image_ext() == "svg" {
                    // Published and baked only as a clean re-serialisation.
                    let clean = images::sanitize_svg(&source, &fonts).map_err(fail)?;
                    removed = clean.removed;
                    let png = images::svg_to_png(&clean.svg, 600, &fonts).map_err(fail)?;
                    (clean.svg, png)
                } else {
                    images::check_png(&source).map_err(fail)?;
                    (source.clone(), source)
                };
                let removed = removed.iter().map(|r| {
                    Diagnostic::warning(
                        &rel,
                        Pos::default(),
                        format!("removed {r} from `{}`", rel.display()),
                    )
                    .help("the published artwork is a clean copy without them")
                });
                Ok(Some(Artwork {
                    source,
                    png,
                    warnings: removed.collect(),
                }))
            })
            .collect();
        let mut diags = Diagnostics::default();
        let mut artwork = Vec::new();
        for r in results {
            match r {
                Ok(a) => artwork.push(a),
                Err(d) => {
                    diags.push(d);
                    artwork.push(None);
                }
            }
        }
        if diags.has_errors() {
            Err(diags)
        } else {
            Ok(Assets {
                warnings: artwork
                    .iter()
                    .flatten()
                    .flat_map(|a| a.warnings.iter().cloned())
                    .collect(),
                artwork,
                fonts,
                previous: None,
            })
        }
    }

    fn artwork(&self, badge: usize) -> &Artwork {
        self.artwork[badge]
            .as_ref()
            .expect("artwork is loaded for every badged badge")
    }

    /// The badge's preview card from the theme's rendered `card.svg`.
    pub fn card(&self, site: &Site, b: usize, svg: &str) -> Result<File, Diagnostic> {
        let bytes = images::card(svg.as_bytes(), CARD_SIZE, &self.artwork(b).png, &self.fonts)
            .map_err(|e| Diagnostic::error("templates/card.svg", Pos::default(), e))?;
        Ok(File {
            path: card_path(&site.badges[b]),
            bytes,
        })
    }

    pub fn badge(&self, site: &Site, b: usize) -> Result<Vec<File>, Diagnostic> {
        let badge = &site.badges[b];
        let art = self.artwork(b);
        let id = &badge.id;
        let mut files = vec![
            File {
                path: format!("badges/{id}.json"),
                bytes: ob2::to_bytes(&ob2::badge_class(site, badge)),
            },
            File {
                path: format!("badges/{id}.png"),
                bytes: art.png.clone(),
            },
        ];
        if badge.image_ext() == "svg" {
            files.push(File {
                path: format!("badges/{id}.svg"),
                bytes: art.source.clone(),
            });
        }
        for size in SIZES {
            let bytes = images::resize_png(&art.png, size).map_err(|e| {
                Diagnostic::error(
                    PathBuf::from("content").join(&badge.image),
                    Pos::default(),
                    e,
                )
            })?;
            files.push(File {
                path: format!("badges/{id}-{size}.png"),
                bytes,
            });
        }
        Ok(files)
    }

    /// An award's documents: the hosted OB 2.0 assertion, the signed OB 3.0
    /// credential, both baked into the PNG and SVG, and the QR codes.
    pub fn award(&self, site: &Site, a: usize, key: &Key) -> Result<Vec<File>, Diagnostic> {
        let award = &site.awards[a];
        let dir = format!("verify/{}", award.id);
        let art = self.artwork(award.badge);
        let fail = |e: String| {
            Diagnostic::error(
                PathBuf::from("content").join(&site.badges[award.badge].image),
                Pos::default(),
                e,
            )
        };
        let assertion =
            serde_json::to_string(&ob2::full_assertion(site, award)).expect("JSON serializes");
        let credential = signed_credential(site, award, key, self.previous.as_deref())?;
        let credential_text = serde_json::to_string(&credential).expect("JSON serializes");

        let png = bake::bake_png(&art.png, bake::OB2_KEYWORD, &assertion).map_err(fail)?;
        let png = bake::bake_png(&png, bake::OB3_KEYWORD, &credential_text).map_err(fail)?;
        let mut files = vec![
            File {
                path: format!("{dir}/assertion.json"),
                bytes: ob2::to_bytes(&ob2::assertion(site, award)),
            },
            File {
                path: format!("{dir}/credential.json"),
                bytes: ob2::to_bytes(&credential),
            },
            File {
                path: format!("{dir}/badge.png"),
                bytes: png,
            },
        ];
        if site.badges[award.badge].image_ext() == "svg" {
            let svg = String::from_utf8_lossy(&art.source);
            let verify = ob2::assertion_url(site, award);
            let svg = bake::bake_svg(
                &svg,
                "assertion",
                bake::OB2_SVG_NS,
                Some(&verify),
                &assertion,
            )
            .map_err(fail)?;
            let svg = bake::bake_svg(&svg, "credential", bake::OB3_SVG_NS, None, &credential_text)
                .map_err(fail)?;
            files.push(File {
                path: format!("{dir}/badge.svg"),
                bytes: svg.into_bytes(),
            });
        }
        files.extend(qr_files(site, award)?);
        Ok(files)
    }

    pub fn issuer(&self, site: &Site, key: &Key) -> Result<Vec<File>, Diagnostic> {
        let fail = |e: String| Diagnostic::error("content/site.yaml", Pos::default(), e);
        let did = &site.issuing.did;
        let did_doc = signing::did_document(did, key, &site.issuing.previous_keys);
        let revoked: Vec<u64> = site
            .awards
            .iter()
            .filter(|a| a.revoked.is_some())
            .filter_map(|a| site.issuing.status_index.get(&a.id).copied())
            .collect();
        let list = status_list::status_list_credential(site, did, &revoked);
        let vm = signing::verification_method(did, &key.public_multikey());
        let list =
            signing::sign(&list, key, &vm, &status_list::datetime(site.now_epoch)).map_err(fail)?;
        let mut files = vec![
            File {
                path: "issuer.json".into(),
                bytes: ob2::to_bytes(&ob2::profile(site)),
            },
            File {
                path: "revocations.json".into(),
                bytes: ob2::to_bytes(&ob2::revocation_list(site)),
            },
            File {
                path: signing::did_document_path(&site.base_url).into(),
                bytes: ob2::to_bytes(&did_doc),
            },
            File {
                path: status_list::LIST_PATH.into(),
                bytes: ob2::to_bytes(&list),
            },
        ];
        if let (Some(img), Some(path)) = (&site.issuer.image, issuer_image_path(site)) {
            let rel = PathBuf::from("content").join(img);
            let fail = |e: String| {
                Diagnostic::error(&rel, Pos::default(), format!("the issuer image: {e}"))
            };
            let mut bytes = images::read_artwork(&site.root.join(&rel)).map_err(fail)?;
            if path.ends_with(".svg") {
                bytes = images::sanitize_svg(&bytes, &self.fonts).map_err(fail)?.svg;
            }
            files.push(File { path, bytes });
        }
        Ok(files)
    }
}

/// The award's OB 3.0 credential with its permanent status-list entry, signed.
///
/// Signing is most of a build's work, and a credential rarely changes: when
/// the previous output holds the same credential signed by the same key on
/// the same `created`, its proof is reused. Ed25519 signatures are
/// deterministic, so the bytes are exactly what signing again would give.
fn signed_credential(
    site: &Site,
    award: &Award,
    key: &Key,
    previous: Option<&Path>,
) -> Result<Value, Diagnostic> {
    let index = site
        .issuing
        .status_index
        .get(&award.id)
        .copied()
        .unwrap_or_else(|| status_list::home_index(&award.id));
    let entry = status_list::StatusEntry::new(site, index);
    let unsigned = ob3::credential(site, award, &site.issuing.did, entry);
    let vm = signing::verification_method(&site.issuing.did, &key.public_multikey());
    let created = award.issued_on.to_datetime();
    let reused = previous.and_then(|dir| {
        let bytes = std::fs::read(dir.join(format!("verify/{}/credential.json", award.id))).ok()?;
        let Value::Object(mut old) = serde_json::from_slice::<Value>(&bytes).ok()? else {
            return None;
        };
        let proof = old.remove("proof")?;
        let same_proof = proof.get("verificationMethod")?.as_str()? == vm
            && proof.get("created")?.as_str()? == created
            && proof.get("cryptosuite")?.as_str()? == signing::CRYPTOSUITE
            && proof.get("proofValue")?.as_str()?.starts_with('z');
        (same_proof && Value::Object(old.clone()) == unsigned).then(|| {
            old.insert("proof".into(), proof);
            Value::Object(old)
        })
    });
    match reused {
        Some(v) => Ok(v),
        None => signing::sign(&unsigned, key, &vm, &created).map_err(|e| {
            Diagnostic::error(
                "content/site.yaml",
                Pos::default(),
                format!("signing the credential of award {}: {e}", award.id),
            )
        }),
    }
}

fn qr_files(site: &Site, award: &Award) -> Result<Vec<File>, Diagnostic> {
    let url = site.verify_url(award);
    let m = qr::Matrix::encode(&url)
        .map_err(|e| Diagnostic::error("content/site.yaml", Pos::default(), e))?;
    let dir = format!("verify/{}", award.id);
    Ok(vec![
        File {
            path: format!("{dir}/qr.svg"),
            bytes: m.to_svg(&url).into_bytes(),
        },
        File {
            path: format!("{dir}/qr.png"),
            bytes: m.to_png(),
        },
    ])
}
