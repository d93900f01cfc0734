//! The watching half of `serve`: what changed in `content/`, `themes/` and
//! `keys/` since the last build, by polling (see the module doc of `serve`).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, SystemTime};

/// How often the watcher looks for changes.
const POLL: Duration = Duration::from_millis(300);

/// Polls the site's files until `stop`, calling `changed` with a short
/// description once each change (against `snapshot`, what the last build
/// saw) has settled.
pub(super) fn watch(
    root: &Path,
    mut snapshot: Snapshot,
    stop: &AtomicBool,
    mut changed: impl FnMut(&str),
) {
    while !stop.load(Ordering::SeqCst) {
        std::thread::sleep(POLL);
        let now = scan(root, &snapshot);
        if same(&now, &snapshot) {
            continue;
        }
        // Let an editor finish saving (several files, or write then rename).
        let mut settled = now;
        for _ in 0..10 {
            std::thread::sleep(Duration::from_millis(100));
            let again = scan(root, &settled);
            if same(&again, &settled) {
                break;
            }
            settled = again;
        }
        let what = describe_change(root, &snapshot, &settled);
        snapshot = settled;
        changed(&what);
    }
}

/// What the watcher knows of every file that affects the build.
pub(super) type Snapshot = BTreeMap<PathBuf, Seen>;

/// A file as one scan saw it.
#[derive(Clone, Copy)]
pub(super) struct Seen {
    modified: Option<SystemTime>,
    len: u64,
    /// The bytes' hash, for a file modified within [`RACY`] of the scan:
    /// file systems stamp times in ticks of up to a few milliseconds, so a
    /// rewrite of the same size right after a scan can keep the time it saw.
    digest: Option<[u8; 32]>,
}

/// How long after its last modification a file is hashed on every scan.
const RACY: Duration = Duration::from_secs(2);

impl Seen {
    /// Whether two scans saw the same file. A hash only one of them has
    /// is no difference: [`scan`] keeps the last hash until it has checked
    /// the bytes once more.
    fn same(&self, other: &Seen) -> bool {
        self.modified == other.modified
            && self.len == other.len
            && match (self.digest, other.digest) {
                (Some(a), Some(b)) => a == b,
                _ => true,
            }
    }
}

fn same(a: &Snapshot, b: &Snapshot) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|((pa, sa), (pb, sb))| pa == pb && sa.same(sb))
}

/// Scans the site's files; `before` is the previous scan, whose hashes are
/// checked once more when a file stops being recent.
pub(super) fn scan(root: &Path, before: &Snapshot) -> Snapshot {
    let started = SystemTime::now();
    let mut out = Snapshot::new();
    for dir in ["content", "themes", "keys"] {
        for entry in walkdir::WalkDir::new(root.join(dir))
            .follow_links(true)
            .into_iter()
            .filter_map(std::result::Result::ok)
        {
            let name = entry.file_name().to_string_lossy();
            // Editors' swap and backup files.
            if name.ends_with('~')
                || name.starts_with(".#")
                || name.ends_with(".swp")
                || name.ends_with(".swx")
                || name.ends_with(".accolade-tmp")
            {
                continue;
            }
            let Ok(meta) = entry.metadata() else { continue };
            if !meta.is_file() {
                continue;
            }
            let (modified, len) = (meta.modified().ok(), meta.len());
            let recent =
                modified.is_none_or(|m| started.duration_since(m).map_or(true, |age| age < RACY));
            let last = before
                .get(entry.path())
                .filter(|s| s.modified == modified && s.len == len)
                .and_then(|s| s.digest);
            let digest = if recent || last.is_some() {
                hash_file(entry.path())
            } else {
                None
            };
            // Past its recent window a file's hash is dropped once the bytes
            // are seen unchanged; a changed hash is kept, so the change shows.
            let digest = match (recent, last, digest) {
                (false, Some(a), Some(b)) if a == b => None,
                (_, _, d) => d,
            };
            out.insert(
                entry.path().to_path_buf(),
                Seen {
                    modified,
                    len,
                    digest,
                },
            );
        }
    }
    out
}

fn hash_file(path: &Path) -> Option<[u8; 32]> {
    use sha2::{Digest, Sha256};
    std::fs::read(path).ok().map(|b| Sha256::digest(b).into())
}

fn describe_change(root: &Path, before: &Snapshot, after: &Snapshot) -> String {
    let changed: Vec<&PathBuf> = after
        .iter()
        .filter(|(p, v)| !before.get(*p).is_some_and(|b| b.same(v)))
        .map(|(p, _)| p)
        .chain(before.keys().filter(|p| !after.contains_key(*p)))
        .collect();
    let first = changed
        .first()
        .map(|p| {
            p.strip_prefix(root)
                .unwrap_or(p)
                .to_string_lossy()
                .into_owned()
        })
        .unwrap_or_default();
    match changed.len() {
        0 => "files changed".into(),
        1 => format!("`{first}` changed"),
        n => format!("`{first}` and {} more changed", n - 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A rewrite of the same size that keeps the file's modification time
    /// (as one within the same timestamp tick does) is still a change.
    #[test]
    fn a_same_size_rewrite_in_the_same_tick_is_seen() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/site.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "title: A\n").unwrap();
        let stamp = std::fs::metadata(&file).unwrap().modified().unwrap();
        let first = scan(dir.path(), &Snapshot::new());
        assert!(same(&first, &scan(dir.path(), &first)), "nothing changed");

        std::fs::write(&file, "title: B\n").unwrap();
        let f = std::fs::File::options().write(true).open(&file).unwrap();
        f.set_modified(stamp).unwrap();
        assert!(!same(&first, &scan(dir.path(), &first)));
    }

    /// Files untouched for a while are not read on every scan; a hash kept
    /// from a recent scan is checked once more, then dropped.
    #[test]
    fn old_files_are_hashed_only_to_close_a_recent_window() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("content/site.yaml");
        std::fs::create_dir_all(file.parent().unwrap()).unwrap();
        std::fs::write(&file, "title: A\n").unwrap();
        let old = SystemTime::now() - Duration::from_secs(3600);
        std::fs::File::options()
            .write(true)
            .open(&file)
            .unwrap()
            .set_modified(old)
            .unwrap();
        let plain = scan(dir.path(), &Snapshot::new());
        assert_eq!(plain[&file].digest, None);

        let mut hashed = plain.clone();
        hashed.get_mut(&file).unwrap().digest = hash_file(&file);
        let after = scan(dir.path(), &hashed);
        assert!(same(&hashed, &after));
        assert_eq!(after[&file].digest, None, "dropped once seen unchanged");

        let mut stale = plain.clone();
        stale.get_mut(&file).unwrap().digest = Some([0; 32]);
        let after = scan(dir.path(), &stale);
        assert!(!same(&stale, &after), "bytes changed within the tick");
    }
}
