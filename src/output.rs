//! Writing the output directory atomically: files go to a staging directory
//! beside it, which replaces the old directory only when every file was
//! written. A failed build leaves the previous output exactly as it was.
//!
//! A file whose bytes did not change is hard-linked from the previous output
//! instead of rewritten, so its modification time survives and sync tools
//! and CDNs upload only what changed.

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};

pub struct Staging {
    out: PathBuf,
    dir: PathBuf,
    committed: bool,
    pub written: AtomicUsize,
    pub unchanged: AtomicUsize,
}

impl Staging {
    /// Creates an empty staging directory next to `out`.
    pub fn new(out: &Path) -> io::Result<Staging> {
        let out = absolute(out)?;
        let parent = out
            .parent()
            .ok_or_else(|| io::Error::other("the output directory has no parent"))?;
        std::fs::create_dir_all(parent)?;
        let name = out
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| "public".into());
        let dir = parent.join(format!(".{name}.staging"));
        if dir.exists() {
            // Left behind by a build that was killed.
            std::fs::remove_dir_all(&dir)?;
        }
        std::fs::create_dir_all(&dir)?;
        Ok(Staging {
            out,
            dir,
            committed: false,
            written: AtomicUsize::new(0),
            unchanged: AtomicUsize::new(0),
        })
    }

    /// Writes one file (path relative to the output root). Safe to call from
    /// many threads at once.
    pub fn write(&self, rel: &str, bytes: &[u8]) -> io::Result<()> {
        if rel.starts_with('/') || rel.split('/').any(|c| c == "..") {
            return Err(io::Error::other(format!(
                "refusing to write outside the output: `{rel}`"
            )));
        }
        let dest = self.dir.join(rel);
        if let Some(parent) = dest.parent() {
            std::fs::create_dir_all(parent)?;
        }
        let previous = self.out.join(rel);
        // A size check first spares reading files that changed length.
        let same_size = std::fs::metadata(&previous).is_ok_and(|m| m.len() == bytes.len() as u64);
        if same_size
            && std::fs::read(&previous).is_ok_and(|old| old == bytes)
            && std::fs::hard_link(&previous, &dest).is_ok()
        {
            self.unchanged.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        }
        std::fs::write(&dest, bytes)?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Replaces the output directory with the staging directory.
    pub fn commit(mut self) -> io::Result<()> {
        let old = self.dir.with_file_name(format!(
            ".{}.old",
            self.out
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default()
        ));
        if old.exists() {
            std::fs::remove_dir_all(&old)?;
        }
        let had_output = self.out.exists();
        if had_output {
            std::fs::rename(&self.out, &old)?;
        }
        if let Err(e) = std::fs::rename(&self.dir, &self.out) {
            if had_output {
                let _ = std::fs::rename(&old, &self.out);
            }
            return Err(e);
        }
        self.committed = true;
        if had_output {
            std::fs::remove_dir_all(&old)?;
        }
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
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

    #[test]
    fn failed_build_keeps_previous_output_and_unchanged_files_keep_mtime() {
        let tmp = std::env::temp_dir().join(format!("accolade-output-{}", std::process::id()));
        let out = tmp.join("public");
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        s.write("b.txt", b"two").unwrap();
        s.commit().unwrap();
        let mtime = std::fs::metadata(out.join("a/index.html"))
            .unwrap()
            .modified()
            .unwrap();

        // A build that is dropped without commit changes nothing.
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"changed").unwrap();
        drop(s);
        assert_eq!(std::fs::read(out.join("a/index.html")).unwrap(), b"one");

        std::thread::sleep(std::time::Duration::from_millis(20));
        let s = Staging::new(&out).unwrap();
        s.write("a/index.html", b"one").unwrap();
        assert_eq!(s.unchanged.load(Ordering::Relaxed), 1);
        s.commit().unwrap();
        assert_eq!(
            std::fs::metadata(out.join("a/index.html"))
                .unwrap()
                .modified()
                .unwrap(),
            mtime
        );
        assert!(!out.join("b.txt").exists(), "stale files are removed");
        std::fs::remove_dir_all(&tmp).unwrap();
    }

    #[test]
    fn refuses_paths_outside() {
        let tmp = std::env::temp_dir().join(format!("accolade-output-x-{}", std::process::id()));
        let s = Staging::new(&tmp.join("public")).unwrap();
        assert!(s.write("../evil", b"x").is_err());
        drop(s);
        let _ = std::fs::remove_dir_all(&tmp);
    }
}
