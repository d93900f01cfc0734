//! The non-page files of a site: badge artwork at every size, Open Badges
//! JSON, and with `award_files: full` baked badge images and QR codes (a
//! lean site's visitors bake theirs in the browser; [`Assets::browser_baked`]
//! makes the same bytes for `accolade bake`).
//!
//! Each badge's artwork is read and sanitised once per build (in parallel);
//! an SVG is rasterised at most once, when a job first needs its PNG, and
//! shared by all of its awards' baked images.

use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use rayon::prelude::*;
use serde_json::Value;

use super::File;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::images::{self, Fonts};
use crate::openbadges::print;
use crate::openbadges::versions::{self, Part};
use crate::openbadges::{bake, ob2, ob3, status_list};
use crate::paths;
use crate::qr;
use crate::signing::{self, Key};
use crate::site::{Award, Badge, Site};
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
    /// Awards whose credential now says something new with the version date
    /// of the copy the previous output published, and in which parts.
    pub undated: Mutex<Vec<(usize, Vec<Part>)>>,
}

struct Artwork {
    /// The artwork as published: a PNG as given, an SVG sanitised.
    source: Vec<u8>,
    /// An SVG's 600 px PNG, made when a job first needs it: a rebuild that
    /// renders none of the badge's files does not pay for its encoding.
    png: OnceLock<Result<Vec<u8>, String>>,
    svg: bool,
    /// What sanitising removed from an SVG.
    warnings: Vec<Diagnostic>,
    /// Characters of the SVG's text that no font can draw, found before
    /// sanitising turns text into paths.
    missing_glyphs: Vec<char>,
}

/// What [`Assets::badge`] writes for a badge (its cards are jobs of their own).
pub fn badge_outputs(badge: &Badge) -> Vec<String> {
    let id = &badge.id;
    let mut out = vec![paths::badge_class(id), paths::badge_art(id, "png")];
    if badge.image_ext() == "svg" {
        out.push(paths::badge_art(id, "svg"));
    }
    out.extend(SIZES.map(|size| paths::badge_png_sized(id, size)));
    out
}

/// What [`Assets::award`] writes for an award: its two documents, and with
/// `award_files: full` the baked images and QR codes too.
pub fn award_outputs(site: &Site, award: &Award) -> Vec<String> {
    let id = &award.id;
    let mut out = vec![paths::assertion(id), paths::credential(id)];
    if !site.full_award_files() {
        return out;
    }
    out.push(paths::baked(id, "png"));
    if site.badges[award.badge].image_ext() == "svg" {
        out.push(paths::baked(id, "svg"));
    }
    out.extend([paths::qr(id, "svg"), paths::qr(id, "png")]);
    out
}

/// What [`Assets::issuer`] writes.
pub fn issuer_outputs(site: &Site) -> Vec<String> {
    let mut out = vec![
        paths::ISSUER.to_string(),
        paths::REVOCATIONS.to_string(),
        paths::did_document(&site.base_url).to_string(),
        paths::STATUS_LIST.to_string(),
    ];
    out.extend(site.issuer_image());
    out.extend(site.endorsements.iter().map(|e| e.path.clone()));
    out.push(paths::VERIFY_WORKER.to_string());
    out.extend(
        print::PUBLISHED_CONTEXTS
            .iter()
            .map(|(_, name)| paths::context_file(name)),
    );
    out
}

/// The verifier's service worker: the program's, not the theme's (it
/// decides what the offline verdict rests on).
const VERIFY_WORKER: &str = include_str!("verify-sw.js");

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
                let mut missing_glyphs = Vec::new();
                let svg = b.image_ext() == "svg";
                let source = if svg {
                    // Published and baked only as a clean re-serialisation.
                    let clean = images::sanitize_svg(&source, &fonts).map_err(fail)?;
                    // The source passed the sanitiser's limits (entities,
                    // size), so its text can be laid out safely.
                    missing_glyphs = images::missing_glyphs(&source, &fonts).unwrap_or_default();
                    removed = clean.removed;
                    clean.svg
                } else {
                    images::check_png(&source).map_err(fail)?;
                    source
                };
                Ok(Some(Artwork {
                    source,
                    png: OnceLock::new(),
                    svg,
                    missing_glyphs,
                    warnings: images::removal_warnings(&rel, &removed),
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
        let warnings: Vec<Diagnostic> = artwork
            .iter()
            .flatten()
            .flat_map(|a| a.warnings.iter().cloned())
            .collect();
        if diags.has_errors() {
            // What the other artworks lost is still worth hearing about.
            diags.extend(Diagnostics(warnings));
            Err(diags)
        } else {
            Ok(Assets {
                warnings,
                artwork,
                fonts,
                previous: None,
                undated: Mutex::new(Vec::new()),
            })
        }
    }

    /// The fonts that draw text in artwork and cards.
    pub fn fonts(&self) -> &Fonts {
        &self.fonts
    }

    /// Characters of a badge's SVG artwork that no font can draw.
    pub fn artwork_missing_glyphs(&self, badge: usize) -> &[char] {
        self.artwork[badge]
            .as_ref()
            .map_or(&[], |a| &a.missing_glyphs)
    }

    /// The artwork file as given (empty for a badge that is not badged).
    pub fn artwork_source(&self, badge: usize) -> &[u8] {
        self.artwork[badge].as_ref().map_or(&[], |a| &a.source)
    }

    fn artwork(&self, badge: usize) -> &Artwork {
        self.artwork[badge]
            .as_ref()
            .expect("artwork is loaded for every badged badge")
    }

    /// The badge's artwork as a PNG: a PNG as given, an SVG drawn at 600 px.
    fn artwork_png(&self, site: &Site, badge: usize) -> Result<&[u8], Diagnostic> {
        let art = self.artwork(badge);
        if !art.svg {
            return Ok(&art.source);
        }
        let png = art
            .png
            .get_or_init(|| images::svg_to_png(&art.source, 600, &self.fonts));
        png.as_deref().map_err(|e| {
            let b = &site.badges[badge];
            Diagnostic::error(
                PathBuf::from("content").join(&b.image),
                Pos::default(),
                format!("badge `{}` artwork: {e}", b.id),
            )
        })
    }

    /// The badge's preview card at `path`, from the theme's `card.svg`
    /// rendered in the card's language.
    pub fn card(&self, site: &Site, b: usize, path: &str, svg: &str) -> Result<File, Diagnostic> {
        let art = self.artwork_png(site, b)?;
        let bytes = images::card(svg.as_bytes(), CARD_SIZE, art, &self.fonts).map_err(|e| {
            let badge = &site.badges[b].id;
            Diagnostic::error(
                "templates/card.svg",
                Pos::default(),
                format!("card of `{badge}`: {e}"),
            )
        })?;
        Ok(File {
            path: path.to_string(),
            bytes,
        })
    }

    pub fn badge(&self, site: &Site, b: usize) -> Result<Vec<File>, Diagnostic> {
        let badge = &site.badges[b];
        let png = self.artwork_png(site, b)?;
        let id = &badge.id;
        let mut files = vec![
            File {
                path: paths::badge_class(id),
                bytes: ob2::to_bytes(&ob2::badge_class(site, badge)),
            },
            File {
                path: paths::badge_art(id, "png"),
                bytes: png.to_vec(),
            },
        ];
        if badge.image_ext() == "svg" {
            files.push(File {
                path: paths::badge_art(id, "svg"),
                bytes: self.artwork(b).source.clone(),
            });
        }
        for size in SIZES {
            // The 600 px artwork is already that size: the same bytes, not a second encoding.
            let bytes = if images::png_size(png) == Some((size, size)) {
                png.to_vec()
            } else {
                images::resize_png(png, size).map_err(|e| {
                    Diagnostic::error(
                        PathBuf::from("content").join(&badge.image),
                        Pos::default(),
                        e,
                    )
                })?
            };
            files.push(File {
                path: paths::badge_png_sized(id, size),
                bytes,
            });
        }
        Ok(files)
    }

    /// An award's documents: the hosted OB 2.0 assertion and the signed OB
    /// 3.0 credential; with `award_files: full` also both baked into the PNG
    /// and SVG, and the QR codes.
    pub fn award(&self, site: &Site, a: usize, key: &Key) -> Result<Vec<File>, Diagnostic> {
        let award = &site.awards[a];
        let id = &award.id;
        let undated = |parts| {
            let mut list = self.undated.lock().unwrap_or_else(|e| e.into_inner());
            list.push((a, parts));
        };
        let credential = signed_credential(site, award, key, self.previous.as_deref(), undated)?;
        let mut files = vec![
            File {
                path: paths::assertion(id),
                bytes: ob2::to_bytes(&ob2::assertion(site, award)),
            },
            File {
                path: paths::credential(id),
                bytes: ob2::to_bytes(&credential),
            },
        ];
        if site.full_award_files() {
            files.extend(self.hosted_baked(site, award, &credential)?);
            files.extend(qr_files(site, award)?);
        }
        Ok(files)
    }

    /// The hosted baked images of `award_files: full`: the full assertion
    /// (also for a revoked award) and the credential. A valid award's are
    /// the bytes of [`Assets::browser_baked`] and `accolade bake`.
    fn hosted_baked(
        &self,
        site: &Site,
        award: &Award,
        credential: &Value,
    ) -> Result<Vec<File>, Diagnostic> {
        let assertion = ob2::to_bytes(&ob2::full_assertion(site, award));
        let credential = ob2::to_bytes(credential);
        let mut files = vec![File {
            path: paths::baked(&award.id, "png"),
            bytes: self.baked(site, award, "png", &assertion, &credential)?,
        }];
        if site.badges[award.badge].image_ext() == "svg" {
            files.push(File {
                path: paths::baked(&award.id, "svg"),
                bytes: self.baked(site, award, "svg", &assertion, &credential)?,
            });
        }
        Ok(files)
    }

    /// The baked image a visitor's browser makes from the published files
    /// (`static/download.js`), byte for byte: the badge's artwork as
    /// published (`badges/<badge>.png` or `.svg`) with the award's hosted
    /// `assertion.json` and `credential.json` baked in.
    /// `accolade bake` writes it.
    pub fn browser_baked(
        &self,
        site: &Site,
        a: usize,
        key: &Key,
        ext: &str,
    ) -> Result<Vec<u8>, Diagnostic> {
        let award = &site.awards[a];
        let credential = signed_credential(site, award, key, self.previous.as_deref(), |_| {})?;
        let assertion = ob2::to_bytes(&ob2::assertion(site, award));
        self.baked(site, award, ext, &assertion, &ob2::to_bytes(&credential))
    }

    /// The one way an award's image is baked (`ext`: png or svg): both
    /// documents, given as served, in their baked form (`bake::baked_json`).
    fn baked(
        &self,
        site: &Site,
        award: &Award,
        ext: &str,
        assertion: &[u8],
        credential: &[u8],
    ) -> Result<Vec<u8>, Diagnostic> {
        let (assertion, credential) = (bake::baked_json(assertion), bake::baked_json(credential));
        let fail = |e| artwork_error(site, award, e);
        if ext == "svg" {
            let svg = String::from_utf8_lossy(&self.artwork(award.badge).source);
            let verify = ob2::assertion_url(site, award);
            let svg = bake::bake_svg(
                &svg,
                "assertion",
                bake::OB2_SVG_NS,
                Some(&verify),
                &assertion,
            )
            .and_then(|svg| bake::bake_svg(&svg, "credential", bake::OB3_SVG_NS, None, &credential))
            .map_err(fail)?;
            return Ok(svg.into_bytes());
        }
        let png = self.artwork_png(site, award.badge)?;
        bake::bake_png(png, bake::OB2_KEYWORD, &assertion)
            .and_then(|png| bake::bake_png(&png, bake::OB3_KEYWORD, &credential))
            .map_err(fail)
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
        let list = signing::sign(&list, key, &vm, &status_list::valid_from(site))
            .map_err(|e| fail(e.to_string()))?;
        let mut files = vec![
            File {
                path: paths::ISSUER.into(),
                bytes: ob2::to_bytes(&ob2::profile(site)),
            },
            File {
                path: paths::REVOCATIONS.into(),
                bytes: ob2::to_bytes(&ob2::revocation_list(site)),
            },
            File {
                path: paths::did_document(&site.base_url).into(),
                bytes: ob2::to_bytes(&did_doc),
            },
            File {
                path: paths::STATUS_LIST.into(),
                bytes: ob2::to_bytes(&list),
            },
        ];
        if let (Some(img), Some(path)) = (&site.issuer.image, site.issuer_image()) {
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
        // Each endorsement where its id says, as the endorser signed it.
        files.extend(site.endorsements.iter().map(|e| File {
            path: e.path.clone(),
            bytes: ob2::to_bytes(&e.credential),
        }));
        files.push(File {
            path: paths::VERIFY_WORKER.into(),
            bytes: VERIFY_WORKER.as_bytes().to_vec(),
        });
        files.extend(print::PUBLISHED_CONTEXTS.iter().map(|(url, name)| {
            File {
                path: paths::context_file(name),
                bytes: print::context_text(url)
                    .expect("print contexts are compiled in")
                    .as_bytes()
                    .to_vec(),
            }
        }));
        Ok(files)
    }
}

/// The award's OB 3.0 credential with its permanent status-list entry, signed.
///
/// Signing is most of a build's work, and a credential rarely changes: when
/// the previous output holds the same credential signed by the same key on
/// the same `created`, its proof is reused. Ed25519 signatures are
/// deterministic, so the bytes are exactly what signing again would give.
/// When the previous credential says something else with the same version
/// date, `undated` is told in which parts (see `versions`).
fn signed_credential(
    site: &Site,
    award: &Award,
    key: &Key,
    previous: Option<&Path>,
    undated: impl FnOnce(Vec<Part>),
) -> Result<Value, Diagnostic> {
    let entry = status_list::StatusEntry::new(site, status_list::index_of(site, award));
    let unsigned = ob3::credential(site, award, &site.issuing.did, entry);
    let vm = signing::verification_method(&site.issuing.did, &key.public_multikey());
    let created = award.version_on.to_datetime();
    let old = previous.and_then(|dir| std::fs::read(dir.join(paths::credential(&award.id))).ok());
    let reused = old
        .as_deref()
        .and_then(|bytes| ob3::reuse_signed(bytes, &unsigned, &vm, &created));
    if reused.is_none()
        && let Some(old) = old.and_then(|b| serde_json::from_slice::<Value>(&b).ok())
        && let Some(parts) = versions::undated_change(&old, &unsigned, site.now)
    {
        undated(parts);
    }
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

/// An error about a badge's artwork, located at its file.
fn artwork_error(site: &Site, award: &Award, e: String) -> Diagnostic {
    Diagnostic::error(
        PathBuf::from("content").join(&site.badges[award.badge].image),
        Pos::default(),
        e,
    )
}

fn qr_files(site: &Site, award: &Award) -> Result<Vec<File>, Diagnostic> {
    let url = site.verify_url(award);
    let m = qr::Matrix::encode_recent(&url, qrcode::EcLevel::Q)
        .map_err(|e| Diagnostic::error("content/site.yaml", Pos::default(), e))?;
    Ok(vec![
        File {
            path: paths::qr(&award.id, "svg"),
            bytes: m.to_svg(&url).into_bytes(),
        },
        File {
            path: paths::qr(&award.id, "png"),
            bytes: m.to_png(),
        },
    ])
}
