//! Keeping every path the content names inside the site directory.
//!
//! Content may come from contributors (a CI job building a pull request), so
//! an `image`, `key_file` or FAQ file must not make a build read, publish or
//! sign with a file from elsewhere on the machine: a `..` that climbs out, an
//! absolute path, or a symbolic link pointing outside is refused. This module
//! only decides; callers turn the reason into a located diagnostic.

use std::path::{Component, Path, PathBuf};

/// `rel` (relative to `root`, or absolute) as a path under `root`, if it
/// stays inside `root` once `..` and symbolic links are followed. The error
/// says why it does not, in words that fit after "it": "leaves the site
/// directory through `..`".
///
/// The path need not exist: the part that exists is resolved on disk and the
/// rest lexically, so a file about to be written (`award --into`) is checked
/// the same way as one about to be read.
pub fn inside_root(root: &Path, rel: impl AsRef<Path>) -> Result<PathBuf, String> {
    let rel = rel.as_ref();
    let lexical =
        normalize(rel).ok_or_else(|| "leaves the site directory through `..`".to_string())?;
    let joined = root.join(&lexical);
    let canon_root = std::fs::canonicalize(root)
        .map_err(|e| format!("cannot be checked: the site directory cannot be read ({e})"))?;
    let resolved = resolve_existing(&joined);
    if resolved.starts_with(&canon_root) {
        return Ok(joined);
    }
    if rel.is_absolute() && !lexical_under(&joined, root, &canon_root) {
        return Err("is an absolute path outside the site directory".into());
    }
    Err(format!(
        "leads outside the site directory through a symbolic link (to `{}`)",
        resolved.display()
    ))
}

/// Removes `.` and folds `a/..`; `None` when a relative path climbs above
/// its start. Absolute paths are kept absolute.
fn normalize(path: &Path) -> Option<PathBuf> {
    let mut out = PathBuf::new();
    let mut depth = 0usize;
    for c in path.components() {
        match c {
            Component::Prefix(_) | Component::RootDir => {
                out.push(c);
                depth = 0;
            }
            Component::CurDir => {}
            Component::ParentDir if depth == 0 => {
                if !path.is_absolute() {
                    return None;
                }
            }
            Component::ParentDir => {
                out.pop();
                depth -= 1;
            }
            Component::Normal(n) => {
                out.push(n);
                depth += 1;
            }
        }
    }
    Some(out)
}

/// The path with its longest existing prefix resolved on disk (symbolic
/// links followed) and the rest appended as written.
fn resolve_existing(path: &Path) -> PathBuf {
    let mut rest = Vec::new();
    let mut cur = path;
    loop {
        if let Ok(real) = std::fs::canonicalize(cur) {
            return rest.iter().rev().fold(real, |p, c| p.join(c));
        }
        match (cur.parent(), cur.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_os_string());
                cur = parent;
            }
            _ => return path.to_path_buf(),
        }
    }
}

/// Whether an absolute path names something under the root as written
/// (either the root as given or its resolved form).
fn lexical_under(path: &Path, root: &Path, canon_root: &Path) -> bool {
    let abs_root = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    path.starts_with(abs_root) || path.starts_with(canon_root)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_inside_are_kept_and_paths_outside_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/images")).unwrap();
        std::fs::write(root.join("content/images/a.svg"), "<svg/>").unwrap();

        let ok = inside_root(&root, "content/images/a.svg").unwrap();
        assert_eq!(ok, root.join("content/images/a.svg"));
        assert!(inside_root(&root, "content/images/../images/a.svg").is_ok());
        assert!(inside_root(&root, "keys/not-yet-written.ed25519").is_ok());
        assert!(inside_root(&root, root.join("content/images/a.svg")).is_ok());

        let up = inside_root(&root, "content/../../etc/passwd").unwrap_err();
        assert!(up.contains("through `..`"), "{up}");
        let abs = inside_root(&root, "/etc/passwd").unwrap_err();
        assert!(abs.contains("absolute path"), "{abs}");
    }

    #[cfg(unix)]
    #[test]
    fn a_symbolic_link_out_of_the_site_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("site");
        std::fs::create_dir_all(root.join("content/images")).unwrap();
        std::fs::write(dir.path().join("secret.svg"), "<svg/>").unwrap();
        std::os::unix::fs::symlink(
            dir.path().join("secret.svg"),
            root.join("content/images/s.svg"),
        )
        .unwrap();
        std::os::unix::fs::symlink(dir.path(), root.join("content/out")).unwrap();
        std::os::unix::fs::symlink("a.svg", root.join("content/images/in.svg")).unwrap();
        std::fs::write(root.join("content/images/a.svg"), "<svg/>").unwrap();

        let e = inside_root(&root, "content/images/s.svg").unwrap_err();
        assert!(e.contains("symbolic link"), "{e}");
        assert!(
            inside_root(&root, "content/out/new.svg").is_err(),
            "a linked folder"
        );
        assert!(
            inside_root(&root, "content/images/in.svg").is_ok(),
            "a link inside"
        );
    }
}
