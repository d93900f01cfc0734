//! Writing the output directory so that a build never leaves it torn, and
//! rewrites only what changed.
//!
//! - **Fresh** (no output yet): files go to a staging directory that
//!   becomes the output in one rename.
//! - **Update** (an output exists): a file whose bytes are unchanged is not
//!   touched (it keeps its mtime, so sync tools and CDNs upload only
//!   changes). Changed files are first written to a pending directory and
//!   moved into place, each by an atomic rename, only once every job has
//!   rendered: a build that fails changes nothing.
//! - **State.** Beside the output (`.public.accolade/` for `public/`) live
//!   the manifest of the last build (see [`Manifest`]), the pending and
//!   staging directories and a lock. The manifest is rewritten before the
//!   first rename with everything about to change marked dirty, and again
//!   after the last, so a build killed at any moment is followed by one
//!   that brings the output to exactly what a fresh build makes.
//!
//! Nothing here knows what the files are; `build` decides what to render.

use std::collections::{BTreeMap, BTreeSet};

use foldhash::{HashMap, HashSet};
use rayon::prelude::*;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

/// The first line of a manifest: a manifest of another version is ignored.
const MAGIC: &str = "accolade-manifest 2";
/// The manifest's file name in the state directory.
const MANIFEST: &str = "manifest";
/// Stands in a shape for the unit's id (paths never contain it).
const ID: &str = "{id}";
/// A fingerprint that never matches: "render this again".
pub const DIRTY: &str = "dirty";

/// What the last build made: fingerprints of the factors and units it
/// rendered, and every unit's files. A unit's files are stored as a shape
/// (its paths with the id replaced by `{id}`), shared by all units of the
/// same kind, so the manifest of a million awards stays small.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Manifest {
    /// Program version and anything else that invalidates everything.
    pub stamp: String,
    pub factors: BTreeMap<String, String>,
    shapes: Vec<Vec<String>>,
    /// Unit key (`a:<id>`, `b:<id>`, `e:<id>`, `site`) → its record.
    pub units: HashMap<String, UnitRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnitRecord {
    pub fp: String,
    pub id: String,
    shape: usize,
    /// The size of the unit's files: a build that renders none of them
    /// reports the output's size without looking at a million files.
    pub bytes: u64,
}

impl Manifest {
    pub fn new(stamp: &str, factors: BTreeMap<String, String>) -> Manifest {
        Manifest {
            stamp: stamp.to_string(),
            factors,
            ..Manifest::default()
        }
    }

    /// Adds a unit: its key, fingerprint, id and files.
    pub fn add(&mut self, key: String, fp: String, id: &str, files: &[String]) {
        let shape = Manifest::shape(id, files);
        self.add_shaped(key, fp, id.to_string(), shape, 0);
    }

    /// A unit's files with its id replaced by `{id}` (what [`add_shaped`]
    /// takes; made apart so many threads can make them).
    ///
    /// [`add_shaped`]: Manifest::add_shaped
    pub fn shape(id: &str, files: &[String]) -> Vec<String> {
        files
            .iter()
            .map(|f| {
                if id.is_empty() {
                    f.clone()
                } else {
                    f.replace(id, ID)
                }
            })
            .collect()
    }

    /// [`add`](Manifest::add) with the unit's [`shape`](Manifest::shape)
    /// and the size of its files.
    pub fn add_shaped(
        &mut self,
        key: String,
        fp: String,
        id: String,
        shape: Vec<String>,
        bytes: u64,
    ) {
        // Few shapes, compared from the newest: units of a kind come together.
        let shape = match self.shapes.iter().rposition(|s| *s == shape) {
            Some(i) => i,
            None => {
                self.shapes.push(shape);
                self.shapes.len() - 1
            }
        };
        let record = UnitRecord {
            fp,
            id,
            shape,
            bytes,
        };
        self.units.insert(key, record);
    }

    /// Records the size of a unit's files.
    pub fn set_bytes(&mut self, key: &str, bytes: u64) {
        if let Some(u) = self.units.get_mut(key) {
            u.bytes = bytes;
        }
    }

    /// A unit's files, relative to the output.
    pub fn files(&self, unit: &UnitRecord) -> Vec<String> {
        self.shapes[unit.shape]
            .iter()
            .map(|p| p.replace(ID, &unit.id))
            .collect()
    }

    /// How many files a unit has.
    pub fn file_count(&self, unit: &UnitRecord) -> usize {
        self.shapes[unit.shape].len()
    }

    /// For each of this manifest's shapes, the same shape in `other`.
    fn same_shapes(&self, other: &Manifest) -> Vec<Option<usize>> {
        self.shapes
            .iter()
            .map(|s| other.shapes.iter().position(|o| o == s))
            .collect()
    }

    /// Whether `other` records the same files for the unit as `self` does.
    fn same_files(&self, unit: &UnitRecord, other: &UnitRecord, map: &[Option<usize>]) -> bool {
        unit.id == other.id && map[unit.shape] == Some(other.shape)
    }

    /// Reads a manifest; `None` when it is missing, of another version or
    /// malformed (the caller then builds everything).
    pub fn read(path: &Path, stamp: &str) -> Option<Manifest> {
        let text = std::fs::read_to_string(path).ok()?;
        let mut lines = text.lines();
        if lines.next()? != MAGIC || lines.next()? != format!("stamp {stamp}") {
            return None;
        }
        let mut m = Manifest::new(stamp, BTreeMap::new());
        for line in lines {
            let (tag, rest) = line.split_once(' ')?;
            match tag {
                "factor" => {
                    let (name, fp) = rest.rsplit_once(' ')?;
                    m.factors.insert(name.to_string(), fp.to_string());
                }
                "shape" => m
                    .shapes
                    .push(rest.split('\t').map(str::to_string).collect()),
                "unit" => {
                    let mut f = rest.split(' ');
                    let (key, fp) = (f.next()?, f.next()?);
                    let shape: usize = f.next()?.parse().ok()?;
                    let bytes: u64 = f.next()?.parse().ok()?;
                    let id = f.next().unwrap_or_default().to_string();
                    if shape >= m.shapes.len() {
                        return None;
                    }
                    let fp = fp.to_string();
                    let record = UnitRecord {
                        fp,
                        id,
                        shape,
                        bytes,
                    };
                    m.units.insert(key.to_string(), record);
                }
                _ => return None,
            }
        }
        Some(m)
    }

    /// Reads the manifest of the output `out` before the build takes the
    /// output's lock, so that it is read while the content loads (a
    /// million awards make a manifest of a hundred megabytes).
    /// [`ReadAhead::confirm`] checks, under the lock, that it is still
    /// the manifest of the output.
    pub fn read_ahead(out: &Path, stamp: &str) -> ReadAhead {
        let Ok(path) = state_dir(out).map(|d| d.join(MANIFEST)) else {
            return ReadAhead::default();
        };
        // Taken before reading: a manifest replaced meanwhile is then seen.
        let file = file_id(&path);
        ReadAhead {
            manifest: file.and_then(|_| Manifest::read(&path, stamp)),
            file,
        }
    }

    /// Writes the manifest atomically (a temporary file renamed over it).
    pub fn write(&self, path: &Path) -> io::Result<()> {
        let mut text = format!("{MAGIC}\nstamp {}\n", self.stamp);
        for (name, fp) in &self.factors {
            text.push_str(&format!("factor {name} {fp}\n"));
        }
        for shape in &self.shapes {
            text.push_str(&format!("shape {}\n", shape.join("\t")));
        }
        // A million units: sorted, and their lines made, in parallel.
        let mut units: Vec<(&String, &UnitRecord)> = self.units.iter().collect();
        units.par_sort_unstable_by_key(|(key, _)| *key);
        let lines: Vec<String> = units
            .par_chunks(4096)
            .map(|chunk| {
                let mut lines = String::new();
                for (key, u) in chunk {
                    let (fp, shape, bytes, id) = (&u.fp, u.shape, u.bytes, &u.id);
                    let _ = writeln!(lines, "unit {key} {fp} {shape} {bytes} {id}");
                }
                lines
            })
            .collect();
        lines.iter().for_each(|l| text.push_str(l));
        write_atomic(path, text.as_bytes())
    }

    /// This manifest as it must read while `next` is being written over the
    /// output: every unit and factor whose fingerprint is about to change
    /// is marked dirty, and units keep the files of both builds, so a
    /// build killed half-way is repaired by the next one.
    pub fn in_progress(&self, next: &Manifest) -> Manifest {
        let mut m = self.clone();
        for (name, fp) in &next.factors {
            if m.factors.get(name) != Some(fp) {
                m.factors.insert(name.clone(), DIRTY.into());
            }
        }
        let map = next.same_shapes(self);
        for (key, new) in &next.units {
            let Some(old) = self.units.get(key) else {
                continue;
            };
            if old.fp == new.fp && next.same_files(new, old, &map) {
                continue;
            }
            let mut files: BTreeSet<String> = self.files(old).into_iter().collect();
            files.extend(next.files(new));
            let files: Vec<String> = files.into_iter().collect();
            m.add(key.clone(), DIRTY.into(), &new.id, &files);
        }
        m
    }

    /// The files this manifest records that `next` does not make.
    pub fn stale(&self, next: &Manifest) -> Vec<String> {
        self.changes(next).stale
    }

    /// What `next` changes: the files it no longer makes, and whether it
    /// records anything else than this manifest does. One look-up per
    /// unit, in parallel, gives both (a million awards make a million
    /// units).
    pub fn changes(&self, next: &Manifest) -> Changes {
        let map = self.same_shapes(next);
        let units_same = AtomicBool::new(true);
        let mut stale: Vec<String> = self
            .units
            .par_iter()
            .flat_map_iter(|(key, old)| {
                let new = next.units.get(key);
                if new != Some(old) {
                    units_same.store(false, Ordering::Relaxed);
                }
                match new {
                    Some(new) if self.same_files(old, new, &map) => Vec::new(),
                    Some(new) => {
                        let keep: HashSet<String> = next.files(new).into_iter().collect();
                        let mut gone = self.files(old);
                        gone.retain(|f| !keep.contains(f));
                        gone
                    }
                    None => self.files(old),
                }
            })
            .collect();
        stale.sort();
        let same = units_same.into_inner()
            && self.units.len() == next.units.len()
            && (&self.stamp, &self.factors, &self.shapes)
                == (&next.stamp, &next.factors, &next.shapes);
        Changes { stale, same }
    }
}

/// What a build changes in the output (see [`Manifest::changes`]).
#[derive(Debug, Default)]
pub struct Changes {
    /// Files the last build made that this one does not, sorted.
    pub stale: Vec<String>,
    /// Whether the manifest stays as it was.
    pub same: bool,
}

/// A manifest read ahead of the build's lock (see [`Manifest::read_ahead`]).
#[derive(Default)]
pub struct ReadAhead {
    manifest: Option<Manifest>,
    /// The file it was read from, as it was before reading.
    file: Option<FileId>,
}

impl ReadAhead {
    /// The manifest read ahead if the file at `path` is still the one it
    /// was read from (every build writes a new file and renames it over
    /// the old one), else the manifest read again now.
    pub fn confirm(self, path: &Path, stamp: &str) -> Option<Manifest> {
        match self.file {
            Some(id) if file_id(path) == Some(id) => self.manifest,
            _ => Manifest::read(path, stamp),
        }
    }
}

/// What tells one file at a path from another written there later.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct FileId {
    inode: u64,
    len: u64,
    modified: std::time::SystemTime,
}

fn file_id(path: &Path) -> Option<FileId> {
    let m = std::fs::metadata(path).ok()?;
    #[cfg(unix)]
    let inode = std::os::unix::fs::MetadataExt::ino(&m);
    #[cfg(not(unix))]
    let inode = 0;
    Some(FileId {
        inode,
        len: m.len(),
        modified: m.modified().ok()?,
    })
}

/// The build's state beside the output `out`: `.public.accolade/` for
/// `public/`.
fn state_dir(out: &Path) -> io::Result<PathBuf> {
    let out = absolute(out)?;
    let parent = out
        .parent()
        .ok_or_else(|| io::Error::other("the output directory has no parent"))?;
    let name = out
        .file_name()
        .map_or_else(|| "public".into(), |n| n.to_string_lossy().into_owned());
    Ok(parent.join(format!(".{name}.accolade")))
}

/// Writes `bytes` to `path` through a temporary file in the same directory.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = path.with_extension("tmp");
    {
        let mut f = File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}

/// How this build writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// No output yet: everything goes to staging, renamed into place.
    Fresh,
    /// An output exists: changed files go to pending, then into place.
    Update,
}

/// The output directory of one build, and what the build did to it.
pub struct Output {
    out: PathBuf,
    state: PathBuf,
    pub mode: Mode,
    /// Files changed (written to pending), relative to the output.
    changed: Mutex<Vec<String>>,
    pub written: AtomicUsize,
    pub unchanged: AtomicUsize,
    pub bytes_written: AtomicU64,
    /// The staging directory of a fresh build, open: its files are made
    /// relative to it, so the kernel walks three names, not the dozen of
    /// an absolute path (a tenth of a fresh build's kernel time).
    #[cfg(unix)]
    staging: Option<rustix::fd::OwnedFd>,
    _lock: File,
}

impl Output {
    /// Opens the output `out` for a build: takes the lock beside it and
    /// clears what a killed build left there.
    pub fn open(out: &Path) -> io::Result<Output> {
        let state = state_dir(out)?;
        let out = absolute(out)?;
        std::fs::create_dir_all(&state)?;
        let lock = File::create(state.join("lock"))?;
        lock.try_lock().map_err(|_| {
            io::Error::other(format!(
                "another build is writing `{}` (its lock is `{}`)",
                out.display(),
                state.join("lock").display()
            ))
        })?;
        for leftover in ["pending", "staging"] {
            let dir = state.join(leftover);
            if dir.exists() {
                std::fs::remove_dir_all(&dir)?;
            }
        }
        let mode = if out.is_dir() {
            Mode::Update
        } else {
            Mode::Fresh
        };
        #[cfg(unix)]
        let staging = match mode {
            Mode::Fresh => {
                let dir = state.join("staging");
                std::fs::create_dir_all(&dir)?;
                let flags = rustix::fs::OFlags::DIRECTORY | rustix::fs::OFlags::CLOEXEC;
                Some(rustix::fs::open(&dir, flags, rustix::fs::Mode::empty())?)
            }
            Mode::Update => None,
        };
        Ok(Output {
            out,
            state,
            mode,
            #[cfg(unix)]
            staging,
            changed: Mutex::new(Vec::new()),
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
            bytes_written: AtomicU64::new(0),
            _lock: lock,
        })
    }

    pub fn manifest_path(&self) -> PathBuf {
        self.state.join(MANIFEST)
    }

    fn scratch(&self) -> PathBuf {
        self.state.join(match self.mode {
            Mode::Fresh => "staging",
            Mode::Update => "pending",
        })
    }

    /// Records one file (path relative to the output root). Unchanged
    /// files are left alone; others are written aside until [`commit`].
    /// Safe to call from many threads at once.
    ///
    /// [`commit`]: Output::commit
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.is_empty()
            || rel.starts_with('/')
            || rel.split('/').any(|c| c == ".." || c.is_empty())
        {
            return Err(io::Error::other(format!(
                "refusing to write outside the output: `{rel}`"
            )));
        }
        if self.mode == Mode::Update && same_bytes(&self.out.join(rel), bytes) {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        self.write_scratch(rel, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        self.bytes_written
            .fetch_add(bytes.len() as u64, Ordering::Relaxed);
        if self.mode == Mode::Update {
            self.changed
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(rel.to_string());
        }
        Ok(())
    }

    fn write_scratch(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        #[cfg(unix)]
        if let Some(dir) = &self.staging {
            return write_under(dir, rel, bytes);
        }
        let dest = self.scratch().join(rel);
        // Most files go to a folder that exists by now: try first.
        if let Err(e) = std::fs::write(&dest, bytes) {
            if e.kind() != io::ErrorKind::NotFound {
                return Err(e);
            }
            if let Some(parent) = dest.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(&dest, bytes)?;
        }
        Ok(())
    }

    /// Moves what was written into place, removes the stale files, and
    /// records `next` as the manifest. `previous` is the manifest the build
    /// started from (if any); it is rewritten first with everything about
    /// to change marked dirty.
    pub fn commit(
        self,
        previous: Option<&Manifest>,
        next: &Manifest,
        changes: &Changes,
    ) -> io::Result<()> {
        let stale = &changes.stale;
        let manifest = self.manifest_path();
        match self.mode {
            Mode::Fresh => {
                let staging = self.scratch();
                std::fs::create_dir_all(&staging)?;
                // Written first: a build killed after the rename but
                // before the manifest would otherwise build all again.
                next.write(&manifest)?;
                std::fs::rename(&staging, &self.out)?;
            }
            Mode::Update => {
                let pending = self.scratch();
                let mut changed = self.changed.into_inner().unwrap_or_else(|e| e.into_inner());
                // With nothing to move or remove, the output stays as the
                // record describes it; a record unchanged is not rewritten.
                if changed.is_empty() && stale.is_empty() && changes.same {
                    return Ok(());
                }
                match previous {
                    Some(p) => p.in_progress(next).write(&manifest)?,
                    // No trustworthy record: the next build starts over.
                    None => remove_if_exists(&manifest)?,
                }
                changed.sort();
                for rel in &changed {
                    let dest = self.out.join(rel);
                    if let Some(parent) = dest.parent() {
                        std::fs::create_dir_all(parent)?;
                    }
                    std::fs::rename(pending.join(rel), &dest)?;
                }
                for rel in stale {
                    remove_if_exists(&self.out.join(rel))?;
                    remove_empty_parents(&self.out, rel);
                }
                next.write(&manifest)?;
                let _ = std::fs::remove_dir_all(&pending);
            }
        }
        Ok(())
    }

    /// Every file under the output, relative to it (for a full build,
    /// which removes what it did not make).
    pub fn existing_files(&self) -> Vec<String> {
        if self.mode == Mode::Fresh {
            return Vec::new();
        }
        walkdir::WalkDir::new(&self.out)
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| !e.file_type().is_dir())
            .filter_map(|e| {
                let rel = e.path().strip_prefix(&self.out).ok()?;
                Some(rel.to_string_lossy().replace('\\', "/"))
            })
            .collect()
    }
}

/// Writes `bytes` to `rel` under the directory `dir`, making its folders
/// if they are missing (as `std::fs::write` and `create_dir_all` do).
#[cfg(unix)]
fn write_under(dir: &rustix::fd::OwnedFd, rel: &str, bytes: &[u8]) -> io::Result<()> {
    use rustix::fs::{Mode, OFlags};
    let flags = OFlags::WRONLY | OFlags::CREATE | OFlags::TRUNC | OFlags::CLOEXEC;
    let mode = Mode::from_raw_mode(0o666);
    // Most files go to a folder that exists by now: try first.
    let fd = match rustix::fs::openat(dir, rel, flags, mode) {
        Err(rustix::io::Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                make_dirs_under(dir, parent)?;
            }
            rustix::fs::openat(dir, rel, flags, mode)?
        }
        fd => fd?,
    };
    File::from(fd).write_all(bytes)
}

#[cfg(unix)]
fn make_dirs_under(dir: &rustix::fd::OwnedFd, rel: &str) -> io::Result<()> {
    let mode = rustix::fs::Mode::from_raw_mode(0o777);
    // A folder another thread made meanwhile is as good as one made here.
    let made = |r: rustix::io::Result<()>| match r {
        Ok(()) | Err(rustix::io::Errno::EXIST) => Ok(()),
        Err(e) => Err(io::Error::from(e)),
    };
    match rustix::fs::mkdirat(dir, rel, mode) {
        Err(rustix::io::Errno::NOENT) => {
            if let Some((parent, _)) = rel.rsplit_once('/') {
                make_dirs_under(dir, parent)?;
            }
            made(rustix::fs::mkdirat(dir, rel, mode))
        }
        r => made(r),
    }
}

/// Whether the file at `path` holds exactly `bytes` (sizes first, so a
/// changed file is rarely read).
fn same_bytes(path: &Path, bytes: &[u8]) -> bool {
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.len() == bytes.len() as u64)
        && std::fs::read(path).is_ok_and(|old| old == bytes)
}

fn remove_if_exists(path: &Path) -> io::Result<()> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != io::ErrorKind::NotFound => Err(e),
        _ => Ok(()),
    }
}

/// Removes the directories a removed file leaves empty (`verify/X/`).
fn remove_empty_parents(out: &Path, rel: &str) {
    let mut dir = Path::new(rel).parent();
    while let Some(d) = dir.filter(|d| !d.as_os_str().is_empty()) {
        if std::fs::remove_dir(out.join(d)).is_err() {
            break;
        }
        dir = d.parent();
    }
}

fn absolute(p: &Path) -> io::Result<PathBuf> {
    if p.is_absolute() {
        Ok(p.to_path_buf())
    } else {
        Ok(std::env::current_dir()?.join(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(units: &[(&str, &str, &str, &[&str])]) -> Manifest {
        let mut m = Manifest::new("v1", BTreeMap::from([("g".into(), "1".into())]));
        for (key, fp, id, files) in units {
            let files: Vec<String> = files.iter().map(|f| f.to_string()).collect();
            m.add(key.to_string(), fp.to_string(), id, &files);
        }
        m
    }

    #[test]
    fn manifests_round_trip_and_share_shapes() {
        let mut m = manifest(&[
            (
                "a:X1",
                "f1",
                "X1",
                &["verify/X1/index.html", "verify/X1/a.json"],
            ),
            (
                "a:X2",
                "f2",
                "X2",
                &["verify/X2/index.html", "verify/X2/a.json"],
            ),
            ("site", "-", "", &["index.html"]),
        ]);
        m.set_bytes("a:X2", 12_345);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("manifest");
        m.write(&path).unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert_eq!(text.matches("shape ").count(), 2, "{text}");
        assert!(text.contains("unit a:X2 f2 0 12345 X2\n"), "{text}");
        let back = Manifest::read(&path, "v1").unwrap();
        assert_eq!(
            back.files(&back.units["a:X2"]),
            ["verify/X2/index.html", "verify/X2/a.json"]
        );
        assert_eq!(back, m);
        assert_eq!(back.factors, m.factors);
        assert!(
            Manifest::read(&path, "v2").is_none(),
            "another version is ignored"
        );
        std::fs::write(&path, "accolade-manifest 1\nstamp v1\nunit a:X 1 9 X\n").unwrap();
        assert!(
            Manifest::read(&path, "v1").is_none(),
            "a corrupt manifest is ignored"
        );
    }

    #[test]
    fn in_progress_marks_changes_dirty_and_keeps_both_file_sets() {
        let old = manifest(&[
            ("a:X1", "f1", "X1", &["verify/X1/badge.svg"]),
            ("a:X2", "f2", "X2", &["verify/X2/a.json"]),
        ]);
        let new = manifest(&[
            ("a:X1", "g1", "X1", &["verify/X1/badge.png"]),
            ("a:X2", "f2", "X2", &["verify/X2/a.json"]),
        ]);
        let mid = old.in_progress(&new);
        assert_eq!(mid.units["a:X1"].fp, DIRTY);
        assert_eq!(
            mid.files(&mid.units["a:X1"]),
            ["verify/X1/badge.png", "verify/X1/badge.svg"]
        );
        assert_eq!(mid.units["a:X2"].fp, "f2");
        assert_eq!(old.stale(&new), ["verify/X1/badge.svg"]);
        assert_eq!(mid.stale(&new), ["verify/X1/badge.svg"]);
    }

    #[test]
    fn failed_update_keeps_the_output_and_unchanged_files_keep_mtime() {
        let tmp = tempfile::tempdir().unwrap();
        let out = tmp.path().join("public");
        let empty = Manifest::default();
        let o = Output::open(&out).unwrap();
        assert_eq!(o.mode, Mode::Fresh);
        o.write("a/index.html", b"one").unwrap();
        o.write("b.txt", b"two").unwrap();
        o.commit(None, &empty, &Changes::default()).unwrap();
        let mtime = |p: &str| std::fs::metadata(out.join(p)).unwrap().modified().unwrap();
        let before = mtime("a/index.html");

        // An update that is dropped without commit changes nothing.
        let o = Output::open(&out).unwrap();
        o.write("a/index.html", b"changed").unwrap();
        drop(o);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        std::thread::sleep(std::time::Duration::from_millis(20));
        let o = Output::open(&out).unwrap();
        assert_eq!(o.mode, Mode::Update);
        o.write("a/index.html", b"one").unwrap();
        assert_eq!(o.unchanged.load(Ordering::Relaxed), 1);
        let changes = Changes {
            stale: vec!["b.txt".to_string()],
            same: false,
        };
        o.commit(Some(&empty), &empty, &changes).unwrap();
        assert_eq!(mtime("a/index.html"), before);
        assert!(!out.join("b.txt").exists(), "stale files are removed");
    }

    #[test]
    fn refuses_paths_outside_and_a_second_writer() {
        let tmp = tempfile::tempdir().unwrap();
        let o = Output::open(&tmp.path().join("public")).unwrap();
        assert!(o.write("../evil", b"x").is_err());
        assert!(o.write("/etc/x", b"x").is_err());
        let second = Output::open(&tmp.path().join("public"));
        assert!(second.is_err(), "one build at a time");
    }
}
