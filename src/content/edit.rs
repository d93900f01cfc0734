//! Text-preserving edits of content files, for `award`, `import`, `init`,
//! `revoke` and `build --reissue`: records are appended to a YAML list file
//! as text, or given one more key (`yaml_edit`), so the issuer's comments
//! and formatting stay exactly as written, and every file is replaced
//! atomically.

use std::path::{Component, Path, PathBuf};

use crate::content::{self, AwardFile, Content, yaml_edit};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};

/// An existing award of the same badge to the same earner on the same day.
pub fn find_duplicate<'c>(
    content: &'c Content,
    badge: &str,
    earner: &str,
    issued: Date,
) -> Option<&'c content::Located<AwardFile>> {
    content.awards.iter().find(|a| {
        let r = &a.record;
        r.badge.value.trim() == badge
            && r.earner.value.trim() == earner
            && Date::parse(r.issued_on.value.trim()) == Some(issued)
    })
}

/// The award file to append to, relative to the root: `--into` (relative
/// to the site root) or `content/awards/<year>.yaml`. It must lie under
/// `content/awards/` and be a `.yaml` file, or `build` would not read it.
pub fn award_target(root: &Path, into: Option<&Path>, year: i32) -> Result<PathBuf, String> {
    let Some(into) = into else {
        return Ok(PathBuf::from(format!("content/awards/{year}.yaml")));
    };
    let rel = if into.is_absolute() {
        let canon_root = root.canonicalize().unwrap_or_else(|_| root.to_path_buf());
        let parent = into.parent().unwrap_or(into);
        let canon_parent = parent
            .canonicalize()
            .unwrap_or_else(|_| parent.to_path_buf());
        let full = canon_parent.join(into.file_name().unwrap_or_default());
        match full.strip_prefix(&canon_root) {
            Ok(r) => r.to_path_buf(),
            Err(_) => {
                return Err(format!(
                    "`--into {}` is outside the site `{}`",
                    into.display(),
                    root.display()
                ));
            }
        }
    } else {
        into.to_path_buf()
    };
    let rel: PathBuf = rel
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .collect();
    let ok_ext = matches!(
        rel.extension().and_then(|e| e.to_str()),
        Some("yaml" | "yml")
    );
    if !ok_ext
        || !rel.starts_with("content/awards")
        || rel.components().any(|c| !matches!(c, Component::Normal(_)))
        || rel == Path::new("content/awards")
    {
        return Err(format!(
            "`--into {}` is not a YAML file under `content/awards/`, where awards are read from (paths are relative to the site root), e.g. content/awards/2026.yaml",
            into.display()
        ));
    }
    // A symbolic link under content/awards/ must not lead out of the site.
    if root.is_dir() {
        content::inside_root(root, &rel).map_err(|e| format!("`--into {}` {e}", into.display()))?;
    }
    Ok(rel)
}

/// One award record to write.
pub struct NewAward {
    pub id: String,
    pub badge: String,
    pub earner: String,
    pub issued_on: Date,
    pub expires_on: Option<Date>,
    /// Evidence URL and optional narrative.
    pub evidence: Option<(String, Option<String>)>,
}

impl NewAward {
    /// The record as a block-sequence item at column 0.
    pub fn to_yaml(&self) -> String {
        let mut s = format!(
            "- id: {}\n  badge: {}\n  earner: {}\n  issued_on: {}\n",
            yaml_str(&self.id),
            yaml_str(&self.badge),
            yaml_str(&self.earner),
            self.issued_on
        );
        if let Some(e) = self.expires_on {
            s.push_str(&format!("  expires_on: {e}\n"));
        }
        if let Some((url, narrative)) = &self.evidence {
            s.push_str(&format!("  evidence:\n    - url: {}\n", yaml_str(url)));
            if let Some(n) = narrative {
                s.push_str(&format!("      narrative: {}\n", yaml_str(n)));
            }
        }
        s
    }
}

/// A YAML scalar that reads back as exactly `s`: plain when that is
/// unambiguous (ids, dates), otherwise double-quoted with escapes.
pub fn yaml_str(s: &str) -> String {
    let plain = !s.is_empty()
        && s.as_bytes()[0].is_ascii_alphanumeric()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && !matches!(
            s.to_ascii_lowercase().as_str(),
            "null" | "true" | "false" | "yes" | "no" | "on" | "off"
        );
    if plain {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            // Characters YAML does not allow unescaped in a file.
            c if (c as u32) < 0x20
                || (0x7f..=0x9f).contains(&(c as u32))
                || matches!(c, '\u{feff}' | '\u{fffe}' | '\u{ffff}') =>
            {
                out.push_str(&format!("\\u{:04x}", c as u32))
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A planned change to one file: its new full text.
pub struct Edit {
    /// Relative to the site root.
    pub rel: PathBuf,
    pub text: String,
}

impl Edit {
    /// Appends `items` (block-sequence items at column 0, each ending in a
    /// newline) to the YAML list file `rel` as text. The existing text is
    /// kept byte for byte; items take the indentation of the file's own
    /// items. A new file starts with `new_header`; `comment` (if any) goes
    /// before the appended items. The result is parsed back as a list of
    /// `T` holding `old_count + items.len()` records, or nothing is planned.
    pub fn append<T: serde::de::DeserializeOwned>(
        root: &Path,
        rel: &Path,
        new_header: &str,
        comment: Option<&str>,
        items: &[String],
        old_count: usize,
    ) -> Result<Edit, Diagnostic> {
        let path = root.join(rel);
        let old = match std::fs::read_to_string(&path) {
            Ok(t) => Some(t),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => {
                return Err(Diagnostic::error(
                    rel,
                    Pos::default(),
                    format!("cannot read `{}`: {e}", rel.display()),
                ));
            }
        };
        let mut text = match &old {
            Some(t) => t.clone(),
            None => new_header.to_string(),
        };
        let indent = old.as_deref().map(item_indent).unwrap_or_default();
        // Keep the file's line ends (CRLF from Windows editors).
        let eol = if old.as_deref().is_some_and(|t| t.contains("\r\n")) {
            "\r\n"
        } else {
            "\n"
        };
        if !text.is_empty() && !text.ends_with('\n') {
            text.push_str(eol);
        }
        let mut extra = items.iter().map(String::len).sum::<usize>() + items.len() * 4;
        extra += comment.map_or(0, |c| c.len() + 4);
        text.reserve(extra);
        if let Some(c) = comment {
            if !text.is_empty() {
                text.push_str(eol);
            }
            for line in c.lines() {
                text.push_str(&indent);
                text.push_str("# ");
                text.push_str(line);
                text.push_str(eol);
            }
        }
        for (i, item) in items.iter().enumerate() {
            if !text.is_empty() && (i > 0 || comment.is_none()) {
                text.push_str(eol);
            }
            for line in item.lines() {
                text.push_str(&indent);
                text.push_str(line);
                text.push_str(eol);
            }
        }
        match content::yaml::parse::<Vec<T>>(rel, &text) {
            Ok(list) if list.len() == old_count + items.len() => Ok(Edit {
                rel: rel.to_path_buf(),
                text,
            }),
            Ok(list) => Err(Diagnostic::error(
                rel,
                Pos::default(),
                format!(
                    "appending to `{}` would give {} records instead of {}; it was left as it is",
                    rel.display(),
                    list.len(),
                    old_count + items.len()
                ),
            )
            .help("the file should be a YAML list of `- ` items; fix it or choose another file")),
            Err(d) => Err(Diagnostic::error(
                rel,
                Pos::default(),
                format!(
                    "cannot append to `{}`: the result would not be a valid list ({}); it was left as it is",
                    rel.display(),
                    d.message
                ),
            )
            .help("records are appended as `- ` items at the end; the file must be a block list (not `[...]`) that ends outside any quoted text")),
        }
    }
}

/// A mapping of a content file that an edit gives a key.
pub enum Mapping {
    /// `issuer` in `site.yaml`.
    Issuer,
    /// A badge file's record (the whole document).
    Badge,
    /// The award record with this id, in a list of awards.
    Award(String),
}

impl Mapping {
    fn find<'v>(
        &self,
        doc: &'v mut serde_json::Value,
    ) -> Option<&'v mut serde_json::Map<String, serde_json::Value>> {
        match self {
            Mapping::Issuer => doc.get_mut("issuer")?.as_object_mut(),
            Mapping::Badge => doc.as_object_mut(),
            Mapping::Award(id) => doc
                .as_array_mut()?
                .iter_mut()
                .find(|r| {
                    r.get("id")
                        .and_then(serde_json::Value::as_str)
                        .map(str::trim)
                        == Some(id)
                })?
                .as_object_mut(),
        }
    }
}

/// A mapping to edit: its file (relative to the root), a position inside
/// it (where one of its values was parsed) and which one it is.
pub struct Target {
    pub file: PathBuf,
    pub at: Pos,
    pub mapping: Mapping,
}

/// Gives every target `key: value` (YAML text on one line), replacing the
/// key's value where it is already set: one edit per file, or, if any
/// target cannot be edited safely as text, an error for each and nothing.
pub fn set_key(
    root: &Path,
    targets: Vec<Target>,
    key: &str,
    value: &str,
) -> Result<Vec<Edit>, Diagnostics> {
    set_keys(root, targets, &[(key, value)])
}

/// [`set_key`] for several keys, set in turn on each target.
pub fn set_keys(
    root: &Path,
    targets: Vec<Target>,
    keys: &[(&str, &str)],
) -> Result<Vec<Edit>, Diagnostics> {
    let mut by_file: std::collections::BTreeMap<PathBuf, Vec<Target>> = Default::default();
    for t in targets {
        by_file.entry(t.file.clone()).or_default().push(t);
    }
    let mut edits = Vec::new();
    let mut diags = Diagnostics::default();
    for (file, mut targets) in by_file {
        let mut text = match std::fs::read_to_string(root.join(&file)) {
            Ok(t) => t,
            Err(e) => {
                diags.push(Diagnostic::error(
                    &file,
                    Pos::default(),
                    format!("cannot read `{}`: {e}", file.display()),
                ));
                continue;
            }
        };
        // From the bottom up, so each edit leaves the places above it valid.
        targets.sort_by_key(|t| std::cmp::Reverse(t.at));
        for t in &targets {
            for &(key, value) in keys {
                match yaml_edit::set_checked(&text, t.at, key, value, |d| t.mapping.find(d)) {
                    Ok(edited) => text = edited,
                    Err(e) => diags.push(
                        Diagnostic::error(
                            &file,
                            t.at,
                            format!("cannot add `{key}` to this record as text: {e}"),
                        )
                        .help(format!("add `{key}: {value}` to it by hand")),
                    ),
                }
            }
        }
        edits.push(Edit { rel: file, text });
    }
    if diags.has_errors() {
        diags.sort();
        Err(diags)
    } else {
        Ok(edits)
    }
}

/// The indentation of the file's top-level `- ` items ("" if none are found).
fn item_indent(text: &str) -> String {
    for line in text.lines() {
        let trimmed = line.trim_start_matches(' ');
        if trimmed.starts_with('#') || trimmed.is_empty() || trimmed == "---" {
            continue;
        }
        if trimmed == "-" || trimmed.starts_with("- ") {
            return line[..line.len() - trimmed.len()].to_string();
        }
        break;
    }
    String::new()
}

/// Writes every edit, each through a temporary file renamed into place, so
/// a file is never seen half written; all files are prepared before the
/// first one is replaced.
pub fn write_all(root: &Path, edits: &[Edit]) -> Result<(), String> {
    let mut staged = Vec::new();
    let cleanup = |staged: &[(PathBuf, PathBuf)]| {
        for (tmp, _) in staged {
            let _ = std::fs::remove_file(tmp);
        }
    };
    for e in edits {
        let path = root.join(&e.rel);
        if let Some(parent) = path.parent()
            && let Err(err) = std::fs::create_dir_all(parent)
        {
            cleanup(&staged);
            return Err(format!("cannot create `{}`: {err}", parent.display()));
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let tmp = path.with_file_name(format!(".{name}.accolade-tmp"));
        if let Err(err) = std::fs::write(&tmp, &e.text) {
            cleanup(&staged);
            let _ = std::fs::remove_file(&tmp);
            return Err(format!("cannot write `{}`: {err}", tmp.display()));
        }
        if let Ok(meta) = std::fs::metadata(&path) {
            let _ = std::fs::set_permissions(&tmp, meta.permissions());
        }
        staged.push((tmp, path));
    }
    for (tmp, path) in &staged {
        std::fs::rename(tmp, path)
            .map_err(|err| format!("cannot replace `{}`: {err}", path.display()))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scalars_read_back_exactly() {
        #[derive(serde::Deserialize)]
        struct R {
            v: String,
        }
        for s in [
            "az-900",
            "2026-01-15",
            "7Q3K9XWD2M4T",
            "1234",
            "null",
            "true",
            "李雷",
            "a: b # c",
            "\"quoted\" \\ back",
            "line\nbreak\ttab",
            " padded ",
            "- dash",
            "bell\u{7}del\u{7f}",
            "'single'",
            "&anchor *alias !tag %x @y `z`",
            "",
        ] {
            let text = format!("v: {}\n", yaml_str(s));
            let r: R = content::yaml::parse(Path::new("t.yaml"), &text)
                .unwrap_or_else(|d| panic!("{text}: {d}"));
            assert_eq!(r.v, s, "{text}");
        }
    }

    #[test]
    fn appends_keep_the_text_indentation_and_line_ends() {
        let dir = tempfile::tempdir().unwrap();
        let rel = Path::new("content/awards/a.yaml");
        std::fs::create_dir_all(dir.path().join("content/awards")).unwrap();
        let old = "# head\r\n  - { id: AAAA2222, badge: b, earner: e, issued_on: 2026-01-01 } # x\r\n# tail";
        std::fs::write(dir.path().join(rel), old).unwrap();
        let item = NewAward {
            id: "BBBB3333".into(),
            badge: "b".into(),
            earner: "e".into(),
            issued_on: Date::parse("2026-01-02").unwrap(),
            expires_on: None,
            evidence: Some(("https://x.org/".into(), Some("a\nb".into()))),
        };
        let edit = Edit::append::<AwardFile>(
            dir.path(),
            rel,
            "# new\n",
            Some("note"),
            &[item.to_yaml()],
            1,
        )
        .unwrap();
        assert!(edit.text.starts_with(old), "{}", edit.text);
        assert!(edit.text.ends_with(
            "# tail\r\n\r\n  # note\r\n  - id: BBBB3333\r\n    badge: b\r\n    earner: e\r\n    issued_on: 2026-01-02\r\n    evidence:\r\n      - url: \"https://x.org/\"\r\n        narrative: \"a\\nb\"\r\n"
        ), "{:?}", edit.text);
        // A flow list cannot take `- ` items: refused, not written.
        std::fs::write(dir.path().join(rel), "[]\n").unwrap();
        assert!(
            Edit::append::<AwardFile>(dir.path(), rel, "", None, &[item.to_yaml()], 0).is_err()
        );
    }

    #[test]
    fn indentation_of_items_is_detected() {
        assert_eq!(item_indent("# c\n\n- id: x\n"), "");
        assert_eq!(item_indent("# c\n  - id: x\n"), "  ");
        assert_eq!(item_indent("[]\n"), "");
    }

    #[test]
    fn targets_must_be_award_files() {
        let root = Path::new("/nonexistent-site");
        assert_eq!(
            award_target(root, None, 2026).unwrap(),
            PathBuf::from("content/awards/2026.yaml")
        );
        assert_eq!(
            award_target(root, Some(Path::new("./content/awards/x/y.yml")), 2026).unwrap(),
            PathBuf::from("content/awards/x/y.yml")
        );
        for bad in [
            "content/earners/a.yaml",
            "content/awards/../earners/a.yaml",
            "content/awards/a.txt",
            "a.yaml",
        ] {
            assert!(
                award_target(root, Some(Path::new(bad)), 2026).is_err(),
                "{bad}"
            );
        }
    }
}
