//! The build pipeline as named steps, each taking the previous step's value:
//!
//! ```text
//! content/ ──load──▶ Content ──resolve──▶ Site ──key──▶ Loaded
//!          ──prepare──▶ Renderer (templates, strings, artwork; the plan)
//!          ──fingerprint──▶ the jobs whose inputs changed since the last build
//!          ──render + write──▶ public/ (rendered in parallel, written by writer
//!                               threads; only changed files)
//! ```
//!
//! `check` is [`load`] and [`prepare`]; `build` is all of it; `serve` calls
//! [`build`] and watches. Commands only parse options and print.

use foldhash::{HashMap, HashMapExt, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, mpsc};

use rayon::prelude::*;
use sha2::Digest;

use crate::content::{self, Content};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::output::{Changes, Manifest, Mode, Output, ReadAhead};
use crate::progress::Progress;
use crate::render::fingerprint::{Fingerprints, Unit};
use crate::render::{File, Job, Renderer};
use crate::signing::{DEFAULT_KEY_FILE, KEY_ENV, Key};
use crate::site::Site;

/// Content resolved into a site, with the key that signs it.
pub struct Loaded {
    pub content: Content,
    pub site: Site,
    pub key: Key,
    /// Warnings found on the way (errors stop the pipeline).
    pub warnings: Diagnostics,
}

pub struct Options<'a> {
    pub root: &'a Path,
    pub out: &'a Path,
    /// Overrides `site.yaml`'s `base_url` (staging hosts, `serve`).
    pub base_url: Option<&'a str>,
    /// No progress bar.
    pub quiet: bool,
    /// Render everything, whatever the manifest says.
    pub force: bool,
    /// Build only one share of the site (see [`Shard`]).
    pub shard: Option<Shard>,
    /// What to do with changes to issued credentials that carry no new
    /// version date (`corrections`).
    pub undated: Undated,
    /// Let awards the last build published disappear with their records.
    pub allow_removal: bool,
    /// The process exits after this build (`build`, not `serve`): what it
    /// loaded is left to the system instead of freed record by record,
    /// which at a million awards took seconds.
    pub exits_after: bool,
}

/// What a build does when an issued credential would change with no new
/// version date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Undated {
    /// Stop and say where (`build`).
    Stop,
    /// Date them in content and build again (`build --reissue`).
    Reissue,
    /// Publish them as they are: a preview (`serve`), seen by no earner.
    Publish,
}

/// What a successful build did.
pub struct Built {
    pub badges: usize,
    pub awards: usize,
    pub languages: usize,
    pub written: Written,
    pub warnings: Diagnostics,
    /// The `award_files` setting: `lean` or `full`.
    pub award_files_setting: &'static str,
    /// What `--reissue` wrote into content, a line per file.
    pub reissued: Vec<String>,
    /// Awards whose pages went with their records (`--allow-removal`).
    pub removed_awards: Vec<String>,
}

/// "Now": `SOURCE_DATE_EPOCH` when set, else the clock, as a diagnostic
/// when the variable is malformed.
pub fn now() -> Result<i64, Diagnostics> {
    crate::dates::now_epoch().map_err(|msg| {
        let mut d = Diagnostics::default();
        // Not a file: no location is shown.
        d.push(Diagnostic::error("", Pos::default(), msg));
        d
    })
}

/// Today (UTC) as the build sees it: `SOURCE_DATE_EPOCH`, else the clock.
pub fn today() -> Result<crate::dates::Date, String> {
    crate::dates::now_epoch().map(crate::dates::Date::from_unix)
}

/// Loads and resolves the content as of `now` (seconds since 1970): every
/// rule applied, every problem found. The site exists only without errors.
pub fn resolve(
    root: &Path,
    base_url: Option<&str>,
    now: i64,
) -> (Option<(Content, Site)>, Diagnostics) {
    let (content, mut diags) = content::load(root);
    let Some(mut content) = content else {
        return (None, diags);
    };
    // Endorsements name the published address, not a preview's.
    let published = content.site.record.base_url.value.clone();
    if let Some(url) = base_url {
        content.site.record.base_url.value = url.to_string();
    }
    // Both pass over every award record, each on one thread.
    let ((site, more), status_index) = rayon::join(
        || crate::rules::resolve(&content, now),
        || crate::openbadges::status_list::assign_content(&content),
    );
    diags.extend(more);
    let site = site.and_then(|mut site| {
        site.issuing = issuing(&content, &site.base_url, status_index, &mut diags);
        if !diags.has_errors() {
            let (endorsements, found) =
                crate::endorse::load(root, &site, &published, crate::dates::Date::from_unix(now));
            site.endorsements = endorsements;
            diags.extend(found);
        }
        (!diags.has_errors()).then_some(site)
    });
    if site.is_none() {
        diags.extend(artwork_warnings(&content));
    }
    diags.sort();
    (site.map(|s| (content, s)), diags)
}

/// What sanitising takes out of each badge's SVG artwork, for a run whose
/// content has errors: the renderer, which reads the artwork, never runs
/// then, and these warnings belong in the same report as the errors.
fn artwork_warnings(content: &Content) -> Diagnostics {
    let fonts = crate::images::Fonts::from_theme(&content.theme);
    let found = content
        .badges
        .par_iter()
        .flat_map_iter(|l| {
            let rel = PathBuf::from("content").join(l.record.image.value.trim());
            let source = (crate::paths::image_ext(&rel.to_string_lossy()) == "svg"
                && content::inside_root(&content.root, &rel).is_ok())
            .then(|| crate::images::read_artwork(&content.root.join(&rel)).ok())
            .flatten();
            // Unreadable or broken artwork is an error `rules` or the
            // renderer reports; here only what a clean copy leaves out.
            let clean = source.and_then(|s| crate::images::sanitize_svg(&s, &fonts).ok());
            clean.map_or_else(Vec::new, |c| {
                crate::images::removal_warnings(&rel, &c.removed)
            })
        })
        .collect();
    Diagnostics(found)
}

/// What Open Badges 3.0 issuing needs beyond the rules: the issuer's DID,
/// the retired public keys (each must be an Ed25519 Multikey) and every
/// award's permanent status-list index (`status_list::assign_content`,
/// over every award record, published or not, so no index moves when
/// others are published or withdrawn).
fn issuing(
    content: &Content,
    base_url: &str,
    status_index: HashMap<String, u64>,
    diags: &mut Diagnostics,
) -> crate::site::Issuing {
    let did = crate::signing::did_web(base_url).unwrap_or_default();
    let mut previous_keys = Vec::new();
    let listed = content
        .site
        .record
        .signing
        .iter()
        .flat_map(|s| &s.previous_keys);
    for k in listed {
        match crate::signing::parse_multikey(k.value.trim()) {
            Ok(_) => previous_keys.push(k.value.trim().to_string()),
            Err(e) => diags.push(
                Diagnostic::error(
                    content.site.file.to_path_buf(),
                    crate::content::pos(k),
                    format!("`previous_keys` entry is not an Ed25519 public key: {e}"),
                )
                .help("list the public Multikey (`z6Mk…`) that `accolade keys generate` printed for the retired key"),
            ),
        }
    }
    crate::site::Issuing {
        did,
        previous_keys,
        status_index,
    }
}

/// [`resolve`], then the signing key: what `check` validates and `build`
/// renders. On failure, every diagnostic found, warnings included.
pub fn load(root: &Path, base_url: Option<&str>, now: i64) -> Result<Loaded, Diagnostics> {
    let (resolved, mut diags) = resolve(root, base_url, now);
    let Some((mut content, site)) = resolved else {
        return Err(diags);
    };
    // The site holds what the rules made of the award and earner records;
    // the records themselves (with their spans) would double the memory a
    // large site needs while it renders.
    content.awards = Vec::new();
    content.earners = Vec::new();
    if let Some(w) = readable_key_warning(&content) {
        diags.push(w);
    }
    match signing_key(&content) {
        Ok(key) => {
            let mut site = site;
            site.claims = crate::claims::addresses(&site, &crate::claims::Claims::new(&key));
            Ok(Loaded {
                content,
                site,
                key,
                warnings: diags,
            })
        }
        Err(d) => {
            diags.push(d);
            Err(diags)
        }
    }
}

/// The renderer of a loaded site: templates compiled, strings and artwork
/// read, the plan made. Problems in the theme or artwork are found here;
/// with the warnings found on the way (text the fonts cannot draw).
pub fn prepare(loaded: &Loaded) -> Result<(Renderer<'_>, Diagnostics), Diagnostics> {
    let renderer =
        Renderer::new(&loaded.site, &loaded.content.theme, &loaded.key).map_err(|d| {
            let mut all = loaded.warnings.clone();
            all.extend(d);
            all
        })?;
    let mut warnings = loaded.warnings.clone();
    warnings.extend(glyph_warnings(loaded, &renderer));
    warnings.extend(Diagnostics(renderer.artwork_warnings().to_vec()));
    warnings.sort();
    Ok((renderer, warnings))
}

/// A warning for each image with characters that no font of the theme can
/// draw, located at the badge's name (cards) or `image` (SVG artwork): the
/// image would show boxes where the text should be.
fn glyph_warnings(loaded: &Loaded, renderer: &Renderer) -> Diagnostics {
    let site = &loaded.site;
    let mut diags = Diagnostics::default();
    for u in renderer.undrawable_text() {
        let badge = &site.badges[u.badge];
        let record = loaded
            .content
            .badges
            .iter()
            .find(|r| r.record.id.value == badge.id);
        let (file, at) = record.map_or_else(
            || (PathBuf::from("content/badges"), Pos::default()),
            |r| {
                let at = match u.lang {
                    Some(_) => content::pos(&r.record.name),
                    None => content::pos(&r.record.image),
                };
                (r.file.to_path_buf(), at)
            },
        );
        let list: Vec<String> = u
            .chars
            .iter()
            .map(|c| format!("`{c}` (U+{:04X})", *c as u32))
            .collect();
        let what = match u.lang {
            Some(l) => format!("the {} preview card", site.languages[l]),
            None => "the SVG artwork".to_string(),
        };
        diags.push(
            Diagnostic::warning(
                file,
                at,
                format!(
                    "{what} of badge `{}` has characters that no font of the theme can draw: {}",
                    badge.id,
                    list.join(", ")
                ),
            )
            .help(format!(
                "they would show as boxes; add a font that covers them to `themes/{}/fonts/` (see the theme README), or write the text without them",
                loaded.content.theme.name
            )),
        );
    }
    diags
}

/// Builds the site into `opts.out`. On failure returns every diagnostic,
/// and the previous output is left as it was. With `reissue`, changes to
/// issued credentials are dated in content first (`corrections`).
pub fn build(opts: &Options, now: i64) -> Result<Built, Diagnostics> {
    // The last build's manifest is read while the content loads.
    let (loaded, ahead) = rayon::join(
        || load(opts.root, opts.base_url, now),
        || Manifest::read_ahead(opts.out, &stamp(opts)),
    );
    let loaded = loaded?;
    let (mut renderer, warnings) = prepare(&loaded)?;
    renderer.reuse_signatures_from(opts.out);
    let with_warnings = |errors: Diagnostics| {
        let mut all = warnings.clone();
        all.extend(errors);
        all.sort();
        all
    };
    let site = &loaded.site;
    let (written, removed_awards) = match write(&renderer, opts, ahead) {
        Ok(w) => w,
        Err(Halt::Errors(e)) => return Err(with_warnings(e)),
        Err(Halt::Undated(undated)) if opts.undated == Undated::Reissue => {
            // Date the changes in content, then build what it now says.
            let (edits, said) = crate::corrections::reissue(opts.root, site, &undated)?;
            crate::content::edit::write_all(opts.root, &edits).map_err(|e| {
                with_warnings(Diagnostics(vec![Diagnostic::error(
                    "content",
                    Pos::default(),
                    e,
                )]))
            })?;
            drop(renderer);
            let again = Options {
                undated: Undated::Stop,
                ..*opts
            };
            let mut built = build(&again, now)?;
            built.reissued = said;
            return Ok(built);
        }
        Err(Halt::Undated(undated)) => {
            return Err(with_warnings(crate::corrections::errors(
                opts.root, site, &undated,
            )));
        }
    };
    if let Some((filled, rendered)) = renderer.skeleton_check_counts() {
        eprintln!(
            "skeletons: {filled} award pages checked against theirs, {rendered} rendered without one"
        );
    }
    let built = Built {
        badges: site.badges.len(),
        awards: site.awards.len(),
        languages: site.languages.len(),
        written,
        warnings,
        award_files_setting: site.award_files.name(),
        reissued: Vec::new(),
        removed_awards,
    };
    drop(renderer);
    let Loaded {
        content, site, key, ..
    } = loaded;
    drop(key);
    release((content, site), opts);
    Ok(built)
}

/// Drops `value`, unless the process is about to exit (see
/// [`Options::exits_after`]).
fn release<T>(value: T, opts: &Options) {
    if opts.exits_after {
        std::mem::forget(value);
    }
}

/// Why the write step stopped before changing the output.
enum Halt {
    Errors(Diagnostics),
    /// Issued credentials would change with no new version date.
    Undated(crate::corrections::Undated),
}

impl From<Diagnostics> for Halt {
    fn from(d: Diagnostics) -> Halt {
        Halt::Errors(d)
    }
}

/// One of `n` shares of a build: the files of the awards and of the
/// earners' profiles whose id hashes to share `k` (1-based), and in share 1
/// everything else (badges, site-wide files). Profiles are shared out too:
/// a site with a million awards has hundreds of thousands of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    pub k: u64,
    pub n: u64,
}

impl Shard {
    /// Parses `K/N` (1 ≤ K ≤ N).
    pub fn parse(s: &str) -> Result<Shard, String> {
        let bad = || format!("`--shard {s}` is not K/N with 1 ≤ K ≤ N, e.g. --shard 2/4");
        let (k, n) = s.split_once('/').ok_or_else(bad)?;
        let (k, n): (u64, u64) = (
            k.trim().parse().map_err(|_| bad())?,
            n.trim().parse().map_err(|_| bad())?,
        );
        if k == 0 || n == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Whether this share renders the job.
    fn has(self, job: &Job, site: &Site) -> bool {
        let hashed = |id: &str| {
            let digest = sha2::Sha256::digest(id.as_bytes());
            let head = u64::from_be_bytes(digest[..8].try_into().expect("8 bytes"));
            head % self.n == self.k - 1
        };
        match job.unit() {
            Unit::Award(a) => hashed(&site.awards[a].id),
            // Not the award's hash: an earner's profile lists all their awards.
            Unit::Earner(e) => hashed(&format!("earner:{}", site.earners[e].id)),
            Unit::Badge(_) | Unit::Site => self.k == 1,
        }
    }
}

/// What the write step did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Written {
    /// Jobs rendered, of all the jobs of the plan (the others were unchanged).
    pub rendered: usize,
    pub jobs: usize,
    pub files: usize,
    /// Every file the output holds after the build.
    pub total_files: usize,
    pub removed: usize,
    pub bytes: u64,
    /// What the output holds for its awards (pages, documents, images):
    /// files and bytes in total, over `awards` awards. Static hosts cap
    /// file counts and site size, so the summary prints these per award.
    pub award_file_count: usize,
    pub award_bytes: u64,
    pub awards: usize,
}

/// Renders the jobs whose inputs changed since the last build (all of them
/// without a usable manifest, or with `force`), in parallel, and writes
/// what changed (see `output`); with the awards it removed
/// (`--allow-removal`).
fn write(
    renderer: &Renderer,
    opts: &Options,
    ahead: ReadAhead,
) -> Result<(Written, Vec<String>), Halt> {
    let out_dir = opts.out;
    let fail = |e: std::io::Error| io_error(out_dir, e);
    let site = renderer.site();
    let out = Output::open(out_dir).map_err(fail)?;
    let stamp = stamp(opts);
    let recorded = (out.mode == Mode::Update)
        .then(|| ahead.confirm(&out.manifest_path(), &stamp))
        .flatten();
    let removed_awards = crate::corrections::removed_awards(
        published_awards(out_dir, recorded.as_ref()),
        site,
        opts.allow_removal,
    )?;
    let previous = recorded.filter(|_| !opts.force);
    let fps = renderer.fingerprints();
    let jobs: Vec<&Job> = renderer
        .plan()
        .iter()
        .filter(|j| opts.shard.is_none_or(|s| s.has(j, site)))
        .collect();
    let dirty = dirty_jobs(&jobs, site, previous.as_ref(), &fps);
    let rendered = UnitSizes::new(site);
    render_all(renderer, &dirty, &out, opts, &rendered)?;
    let undated = crate::corrections::Undated::new(site, renderer.undated_changes());
    if !undated.is_empty() && opts.undated != Undated::Publish {
        return Err(Halt::Undated(undated));
    }
    let bytes = UnitBytes::new(&jobs, &dirty, &rendered, previous.as_ref(), site, out_dir);
    let next = manifest(&stamp, &jobs, site, &fps, &bytes);
    let changes = match &previous {
        Some(p) => p.changes(&next),
        None => Changes {
            stale: untracked(&out, &next),
            same: false,
        },
    };
    let counts = Written {
        rendered: dirty.len(),
        jobs: jobs.len(),
        files: out.written.load(Ordering::Relaxed),
        removed: changes.stale.len(),
        bytes: out.bytes_written.load(Ordering::Relaxed),
        ..Written::default()
    };
    out.commit(previous.as_ref(), &next, &changes)
        .map_err(fail)?;
    let counts = with_totals(counts, &next);
    release((previous, next), opts);
    Ok((counts, removed_awards))
}

/// What a manifest must say to be of use to this build: the program's
/// version, and which share it built.
fn stamp(opts: &Options) -> String {
    match opts.shard {
        Some(s) => format!("{} shard {}/{}", env!("CARGO_PKG_VERSION"), s.k, s.n),
        None => env!("CARGO_PKG_VERSION").to_string(),
    }
}

/// The awards an output folder publishes: from its manifest, or (a
/// manifest of another version, or none) from its `verify/` folder.
pub fn published_awards(out_dir: &Path, manifest: Option<&Manifest>) -> Vec<String> {
    if let Some(m) = manifest {
        return m
            .units
            .keys()
            .filter_map(|k| k.strip_prefix("a:").map(str::to_string))
            .collect();
    }
    let Ok(dir) = std::fs::read_dir(out_dir.join(crate::paths::VERIFIER)) else {
        return Vec::new();
    };
    dir.filter_map(|e| {
        let e = e.ok()?;
        let name = e.file_name().into_string().ok()?;
        (e.file_type().ok()?.is_dir() && crate::rules::is_award_id(&name)).then_some(name)
    })
    .collect()
}

/// Adds the files the output holds, and the files and bytes it holds for
/// awards, read off the manifest (so an incremental build reports the
/// whole output, not only what it rewrote).
fn with_totals(mut counts: Written, next: &Manifest) -> Written {
    for (key, unit) in &next.units {
        counts.total_files += next.file_count(unit);
        if key.starts_with("a:") {
            counts.awards += 1;
            counts.award_file_count += next.file_count(unit);
            counts.award_bytes += unit.bytes;
        }
    }
    counts
}

/// Jobs and bytes per unit, counted from many threads at once.
struct UnitSizes {
    awards: Vec<(AtomicUsize, AtomicU64)>,
    badges: Vec<(AtomicUsize, AtomicU64)>,
    earners: Vec<(AtomicUsize, AtomicU64)>,
    site: (AtomicUsize, AtomicU64),
}

impl UnitSizes {
    fn new(site: &Site) -> UnitSizes {
        let slots = |n: usize| (0..n).map(|_| Default::default()).collect();
        UnitSizes {
            awards: slots(site.awards.len()),
            badges: slots(site.badges.len()),
            earners: slots(site.earners.len()),
            site: Default::default(),
        }
    }

    fn slot(&self, unit: Unit) -> &(AtomicUsize, AtomicU64) {
        match unit {
            Unit::Award(a) => &self.awards[a],
            Unit::Badge(b) => &self.badges[b],
            Unit::Earner(e) => &self.earners[e],
            Unit::Site => &self.site,
        }
    }

    /// Counts one job of the unit and its files' bytes.
    fn add(&self, unit: Unit, bytes: u64) {
        let (jobs, total) = self.slot(unit);
        jobs.fetch_add(1, Ordering::Relaxed);
        total.fetch_add(bytes, Ordering::Relaxed);
    }

    fn get(&self, unit: Unit) -> (usize, u64) {
        let (jobs, bytes) = self.slot(unit);
        (jobs.load(Ordering::Relaxed), bytes.load(Ordering::Relaxed))
    }
}

/// The size of each unit's files after this build: what it rendered of
/// the unit, plus, for jobs it skipped, the size the previous manifest
/// recorded (a unit with nothing rendered) or the files on disk (a unit
/// partly rendered, e.g. its pages after a template change).
struct UnitBytes<'a> {
    rendered: &'a UnitSizes,
    /// The files on disk of the jobs skipped in partly rendered units.
    unchanged: UnitSizes,
    previous: Option<&'a Manifest>,
}

impl<'a> UnitBytes<'a> {
    fn new(
        jobs: &[&Job],
        dirty: &[&Job],
        rendered: &'a UnitSizes,
        previous: Option<&'a Manifest>,
        site: &Site,
        out_dir: &Path,
    ) -> UnitBytes<'a> {
        let unchanged = UnitSizes::new(site);
        if dirty.len() < jobs.len() {
            let planned = UnitSizes::new(site);
            jobs.par_iter().for_each(|j| planned.add(j.unit(), 0));
            // Jobs are borrowed from the one plan: their addresses name them.
            let address = |j: &Job| j as *const Job as usize;
            let dirty: HashSet<usize> = dirty.iter().map(|j| address(j)).collect();
            let partly = |u: Unit| (1..planned.get(u).0).contains(&rendered.get(u).0);
            jobs.par_iter()
                .filter(|j| partly(j.unit()) && !dirty.contains(&address(j)))
                .for_each(|j| {
                    let size =
                        |f: &String| std::fs::metadata(out_dir.join(f)).map_or(0, |m| m.len());
                    unchanged.add(j.unit(), j.outputs(site).iter().map(size).sum());
                });
        }
        UnitBytes {
            rendered,
            unchanged,
            previous,
        }
    }

    /// The bytes of `unit`, whose manifest key is `key`.
    fn of(&self, unit: Unit, key: &str) -> u64 {
        match self.rendered.get(unit) {
            (0, _) => self
                .previous
                .and_then(|p| p.units.get(key))
                .map_or(0, |r| r.bytes),
            (_, bytes) => bytes + self.unchanged.get(unit).1,
        }
    }
}

/// The jobs that must be rendered: no record of them, their unit changed,
/// or a factor they depend on (settings, templates, strings) changed.
fn dirty_jobs<'j>(
    jobs: &[&'j Job],
    site: &Site,
    previous: Option<&Manifest>,
    fps: &Fingerprints,
) -> Vec<&'j Job> {
    let Some(previous) = previous else {
        return jobs.to_vec();
    };
    let changed: HashSet<&String> = fps
        .factors
        .iter()
        .filter(|(name, fp)| previous.factors.get(*name) != Some(*fp))
        .map(|(name, _)| name)
        .collect();
    let same = SameUnits::new(site, previous, fps);
    jobs.par_iter()
        .copied()
        .filter(|job| {
            let unit = job.unit();
            // Site-wide jobs have no factors: they are always rendered.
            unit == Unit::Site
                || !same.get(unit)
                || (!changed.is_empty()
                    && job
                        .factors(site)
                        .is_none_or(|factors| factors.iter().any(|f| changed.contains(f))))
        })
        .collect()
}

/// Whether each unit's fingerprint is the one the previous build recorded
/// for it, looked up once per unit (most have several jobs), in parallel.
struct SameUnits {
    awards: Vec<bool>,
    badges: Vec<bool>,
    earners: Vec<bool>,
}

impl SameUnits {
    fn new(site: &Site, previous: &Manifest, fps: &Fingerprints) -> SameUnits {
        let same = |unit: Unit| {
            previous
                .units
                .get(&unit.key(site))
                .is_some_and(|r| Some(&r.fp) == fps.unit(unit))
        };
        SameUnits {
            awards: (0..site.awards.len())
                .into_par_iter()
                .map(|a| same(Unit::Award(a)))
                .collect(),
            badges: (0..site.badges.len())
                .map(|b| same(Unit::Badge(b)))
                .collect(),
            // Earners without a profile have no files to look up.
            earners: (0..site.earners.len())
                .into_par_iter()
                .map(|e| site.earners[e].has_profile() && same(Unit::Earner(e)))
                .collect(),
        }
    }

    fn get(&self, unit: Unit) -> bool {
        match unit {
            Unit::Award(a) => self.awards[a],
            Unit::Badge(b) => self.badges[b],
            Unit::Earner(e) => self.earners[e],
            Unit::Site => false,
        }
    }
}

fn render_all(
    renderer: &Renderer,
    jobs: &[&Job],
    out: &Output,
    opts: &Options,
    sizes: &UnitSizes,
) -> Result<(), Diagnostics> {
    // Small builds finish in a blink; a bar would only flicker.
    let progress =
        (!opts.quiet && jobs.len() >= 2_000).then(|| Progress::bar("Rendering", jobs.len() as u64));
    let errors = render_and_write(jobs, out, opts.out, |job| {
        let files = renderer.render(job)?;
        sizes.add(job.unit(), files.iter().map(|f| f.bytes.len() as u64).sum());
        if let Some(p) = &progress {
            p.inc(1);
        }
        Ok(files)
    });
    if let Some(p) = progress {
        p.finish(None);
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(Diagnostics(errors))
    }
}

/// Rendered jobs (a few files each) waiting for a writer: a few MB.
const WRITE_QUEUE: usize = 512;

/// Renders `items` in parallel while writer threads write the files to
/// `out` (at `out_dir`); every rendering error, and the first write error
/// (after which nothing more is rendered).
///
/// One writer for every two threads that render: a thread waiting for the
/// disk, or for a folder another thread is adding an entry to, then holds
/// no core that could render. On a fresh build's millions of files, that
/// waiting was a tenth of the time (iowait 8% → 1% at 200,000 awards).
fn render_and_write<T: Sync>(
    items: &[T],
    out: &Output,
    out_dir: &Path,
    render: impl Fn(&T) -> Result<Vec<File>, Diagnostic> + Sync,
) -> Vec<Diagnostic> {
    let (queue, queued) = mpsc::sync_channel::<Vec<File>>(WRITE_QUEUE);
    // Dropped with the last writer, so no thread waits to queue for ever.
    let queued = Arc::new(Mutex::new(queued));
    let stop = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let writers: Vec<_> = (0..rayon::current_num_threads().div_ceil(2))
            .map(|_| {
                let queued = queued.clone();
                scope.spawn(|| write_queued(queued, out, out_dir, &stop))
            })
            .collect();
        drop(queued);
        let mut errors: Vec<Diagnostic> = items
            .par_iter()
            .filter_map(|item| {
                if stop.load(Ordering::Relaxed) {
                    return None;
                }
                match render(item) {
                    // Fails only if every writer is gone (a panic, which
                    // joining them passes on).
                    Ok(files) => queue.send(files).err().and(None),
                    Err(d) => Some(d),
                }
            })
            .collect();
        drop(queue);
        for w in writers {
            errors.extend(w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        }
        errors
    })
}

/// Writes what is queued until the queue closes. A failed write stops the
/// rendering and the writing; what is still queued is then dropped, so no
/// thread that renders waits for room in the queue for ever.
fn write_queued(
    queued: Arc<Mutex<mpsc::Receiver<Vec<File>>>>,
    out: &Output,
    out_dir: &Path,
    stop: &AtomicBool,
) -> Option<Diagnostic> {
    let mut failed = None;
    loop {
        // The lock is let go before writing, so writers write at once.
        let next = queued.lock().unwrap_or_else(|e| e.into_inner()).recv();
        let Ok(files) = next else { break };
        for f in files {
            if stop.load(Ordering::Relaxed) {
                break;
            }
            if let Err(e) = out.write(&f.path, &f.bytes) {
                stop.store(true, Ordering::Relaxed);
                failed = Some(Diagnostic::error(
                    out_dir.join(&f.path),
                    Pos::default(),
                    format!("cannot write: {e}"),
                ));
            }
        }
    }
    failed
}

/// The manifest of this build: every unit with its fingerprint and files.
/// Units' records are made in parallel: a million awards have six million
/// paths to name.
fn manifest(
    stamp: &str,
    jobs: &[&Job],
    site: &Site,
    fps: &Fingerprints,
    bytes: &UnitBytes,
) -> Manifest {
    let mut by_unit: HashMap<Unit, usize> = HashMap::new();
    let mut units: Vec<(Unit, Vec<&Job>)> = Vec::new();
    for job in jobs {
        let unit = job.unit();
        let i = *by_unit.entry(unit).or_insert_with(|| {
            units.push((unit, Vec::new()));
            units.len() - 1
        });
        units[i].1.push(job);
    }
    let records: Vec<_> = units
        .par_iter()
        .map(|(unit, jobs)| {
            let files: Vec<String> = jobs.iter().flat_map(|j| j.outputs(site)).collect();
            let fp = fps.unit(*unit).cloned().unwrap_or_else(|| "-".into());
            let id = unit.id(site).unwrap_or_default();
            let shape = Manifest::shape(id, &files);
            let key = unit.key(site);
            let size = bytes.of(*unit, &key);
            (key, fp, id.to_string(), shape, size)
        })
        .collect();
    let mut m = Manifest::new(stamp, fps.factors.clone());
    for (key, fp, id, shape, size) in records {
        m.add_shaped(key, fp, id, shape, size);
    }
    m
}

/// Without a manifest, the files in the output that this build did not
/// make: an update then leaves exactly what a fresh build would.
fn untracked(out: &Output, next: &Manifest) -> Vec<String> {
    let existing = out.existing_files();
    if existing.is_empty() {
        // A fresh build: no set of every path it made (millions) to check.
        return existing;
    }
    let made: HashSet<String> = next.units.values().flat_map(|u| next.files(u)).collect();
    let mut stale: Vec<String> = existing.into_iter().filter(|f| !made.contains(f)).collect();
    stale.sort();
    stale
}

fn io_error(out: &Path, e: std::io::Error) -> Diagnostics {
    let mut d = Diagnostics::default();
    d.push(Diagnostic::error(
        out,
        Pos::default(),
        format!("cannot write the output: {e}"),
    ));
    d
}

/// `signing.key_file` (default `keys/issuer.ed25519`), relative to the
/// site, and where `site.yaml` names it.
fn key_file(content: &Content) -> (String, Pos) {
    let named = content
        .site
        .record
        .signing
        .as_ref()
        .and_then(|s| s.key_file.as_ref());
    named.map_or((DEFAULT_KEY_FILE.to_string(), Pos::default()), |k| {
        (k.value.trim().to_string(), crate::content::pos(k))
    })
}

/// A key file others may read: the secret that signs every credential.
fn readable_key_warning(content: &Content) -> Option<Diagnostic> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if std::env::var(KEY_ENV).is_ok_and(|v| !v.trim().is_empty()) {
            return None;
        }
        let (rel, _) = key_file(content);
        let path = content.root.join(&rel);
        let mode = std::fs::metadata(&path).ok()?.permissions().mode();
        // The example site's demo key is public on purpose, and says so.
        let demo = std::fs::read_to_string(&path).is_ok_and(|t| t.starts_with("# DEMO KEY"));
        (mode & 0o077 != 0 && !demo).then(|| {
            Diagnostic::warning(
                rel.clone(),
                Pos::default(),
                format!(
                    "the signing key can be read by other users of this machine (mode {:o})",
                    mode & 0o777
                ),
            )
            .help(format!("make it private: `chmod 600 {rel}`"))
        })
    }
    #[cfg(not(unix))]
    {
        let _ = content;
        None
    }
}

/// The signing key: `ACCOLADE_SIGNING_KEY` when set, else the file named by
/// `signing.key_file` (default `keys/issuer.ed25519`). A missing key is an
/// error that says how to make one; it is never generated silently, since a
/// new key would orphan every credential already handed out.
pub fn signing_key(content: &Content) -> Result<Key, Diagnostic> {
    let (rel, at) = key_file(content);
    let env = std::env::var(KEY_ENV).ok();
    let path: PathBuf = content.root.join(&rel);
    let from_env = env.as_deref().is_some_and(|v| !v.trim().is_empty());
    // The hint must work from where the user stands.
    let root_arg = if content.root == Path::new(".") {
        String::new()
    } else {
        format!(" --root {}", content.root.display())
    };
    if !from_env && !path.exists() {
        return Err(Diagnostic::error(
            "content/site.yaml",
            at,
            format!("no signing key: `{rel}` does not exist"),
        )
        .help(format!(
            "create one with `accolade keys generate{root_arg} --out {rel}` (keep it secret and backed up), \
                 set `signing.key_file` to an existing key, or set {KEY_ENV}; \
                 never replace a key that already signed credentials"
        )));
    }
    Key::from_env_or_file(env.as_deref(), &path).map_err(|e| {
        Diagnostic::error(
            "content/site.yaml",
            at,
            format!("cannot use the signing key: {e}"),
        )
        .help(format!(
            "a key file is what `accolade keys generate{root_arg} --out {rel}` writes"
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(path: String) -> File {
        File {
            bytes: path.clone().into_bytes(),
            path,
        }
    }

    /// Every rendered file is written, by the writer threads, while the
    /// rendering goes on; rendering errors are all reported.
    #[test]
    fn rendered_files_are_written_and_render_errors_kept() {
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = tmp.path().join("public");
        let out = Output::open(&out_dir).unwrap();
        let items: Vec<usize> = (0..3_000).collect();
        let errors = render_and_write(&items, &out, &out_dir, |&i| {
            if i % 1_000 == 7 {
                return Err(Diagnostic::error(
                    "x.yaml",
                    Pos::default(),
                    format!("bad {i}"),
                ));
            }
            Ok(vec![
                file(format!("verify/A{i}/index.html")),
                file(format!("verify/A{i}/a.json")),
            ])
        });
        let mut messages: Vec<&str> = errors.iter().map(|d| d.message.as_str()).collect();
        messages.sort();
        assert_eq!(messages, ["bad 1007", "bad 2007", "bad 7"]);
        assert_eq!(out.written.load(Ordering::Relaxed), 2 * 2_997);
        let changes = Changes {
            stale: Vec::new(),
            same: false,
        };
        out.commit(None, &Manifest::new("t", Default::default()), &changes)
            .unwrap();
        let page = std::fs::read_to_string(out_dir.join("verify/A2999/index.html")).unwrap();
        assert_eq!(page, "verify/A2999/index.html");
    }

    /// A file that cannot be written is reported with its path, stops the
    /// rendering soon after, and the build does not wait for ever.
    #[test]
    fn a_failed_write_is_reported_and_stops_the_rendering() {
        let tmp = tempfile::tempdir().unwrap();
        let out_dir = tmp.path().join("public");
        let out = Output::open(&out_dir).unwrap();
        let rendered = AtomicUsize::new(0);
        let items: Vec<usize> = (0..100_000).collect();
        let errors = render_and_write(&items, &out, &out_dir, |&i| {
            rendered.fetch_add(1, Ordering::Relaxed);
            // A name longer than any file system allows.
            let name = if i == 10 {
                "n".repeat(300)
            } else {
                format!("f{i}")
            };
            Ok(vec![file(format!("verify/{name}/index.html"))])
        });
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].message.starts_with("cannot write: "),
            "{errors:?}"
        );
        assert!(
            errors[0]
                .file
                .ends_with(format!("verify/{}/index.html", "n".repeat(300)))
        );
        assert!(
            rendered.load(Ordering::Relaxed) < 50_000,
            "rendering went on"
        );
    }
}
