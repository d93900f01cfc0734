//! `accolade award`: mints one award and appends it to an award file.
//!
//! Also home of what `import` and `init` share with it: minting award ids,
//! writing YAML scalars safely, and appending records to a YAML list file
//! as text, so the issuer's comments and formatting stay exactly as written.
//!
//! Award ids are 12 characters from `23456789ABCDEFGHJKLMNPQRSTUVWXYZ`
//! (digits and capitals without 0, 1, I and O, which are easily confused
//! when read off paper): 60 bits from the operating system's random source,
//! checked against every id already in the content.

use std::collections::HashSet;
use std::path::{Component, Path, PathBuf};

use crate::content::{self, AwardFile, Content};
use crate::dates::Date;
use crate::diagnostics::{Diagnostic, Pos, suggest};
use crate::openbadges::status_list;

/// The characters of minted award ids: no 0/O, 1/I.
pub const ID_ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
/// The length of minted award ids (60 random bits).
pub const ID_LEN: usize = 12;

/// `accolade award --help`, after the options.
pub const HELP: &str = "\
Award ids are 12 characters from 23456789ABCDEFGHJKLMNPQRSTUVWXYZ (no 0/O,
1/I), random from the operating system and unique in the site. The record is
appended as text, so the file's comments and formatting stay as they are.
The same badge, earner and issue date twice is refused.

Example:
  accolade award --badge az-900 --earner e-li-lei --issued 2026-01-15
  7Q3K9XWD2M4T
  https://credentials.example.org/verify/7Q3K9XWD2M4T/";

pub struct Options<'a> {
    pub root: &'a Path,
    pub badge: &'a str,
    pub earner: &'a str,
    pub issued: Option<&'a str>,
    pub expires: Option<&'a str>,
    /// Award file, relative to the root (default `content/awards/<year>.yaml`).
    pub into: Option<&'a Path>,
}

pub fn run(opts: &Options) -> i32 {
    let today = match today() {
        Ok(d) => d,
        Err(msg) => return usage(&msg, None),
    };
    let issued = match opts.issued {
        None => today,
        Some(s) => match Date::parse(s.trim()) {
            Some(d) => d,
            None => {
                return usage(
                    &format!("`--issued {s}` is not a date"),
                    Some("write YYYY-MM-DD, e.g. --issued 2026-01-15"),
                );
            }
        },
    };
    if issued > today {
        return usage(
            &format!("`--issued {issued}` is in the future (today is {today})"),
            Some("an award cannot be issued before its date; check the year"),
        );
    }
    let expires = match opts.expires.map(|s| (s, Date::parse(s.trim()))) {
        None => None,
        Some((s, None)) => {
            return usage(
                &format!("`--expires {s}` is not a date"),
                Some("write YYYY-MM-DD, e.g. --expires 2027-01-15"),
            );
        }
        Some((_, Some(e))) if e <= issued => {
            return usage(
                &format!("`--expires {e}` is not after the issue date {issued}"),
                Some("an award must expire after it is issued"),
            );
        }
        Some((_, Some(e))) => Some(e),
    };
    let target = match award_target(opts.root, opts.into, issued.year) {
        Ok(t) => t,
        Err(msg) => return usage(&msg, None),
    };

    let (content, diags) = content::load_complete(opts.root);
    let Some(content) = content else {
        super::report(opts.root, &diags);
        eprintln!("error: the content has errors; fix them before adding awards");
        return 1;
    };

    let badge = opts.badge.trim();
    let Some(b) = content
        .badges
        .iter()
        .find(|b| b.record.id.value.trim() == badge)
    else {
        let names = content.badges.iter().map(|b| b.record.id.value.trim());
        return usage(
            &format!("there is no badge `{badge}`"),
            Some(&suggest(
                badge,
                names,
                "name a badge id from `content/badges/`",
            )),
        );
    };
    let earner = opts.earner.trim();
    let Some(e) = content
        .earners
        .iter()
        .find(|e| e.record.id.value.trim() == earner)
    else {
        let names = content.earners.iter().map(|e| e.record.id.value.trim());
        return usage(
            &format!("there is no earner `{earner}`"),
            Some(&suggest(
                earner,
                names,
                "add the earner to a file in `content/earners/` first, or use `accolade import`, which creates earners",
            )),
        );
    };
    if let Some(dup) = find_duplicate(&content, badge, earner, issued) {
        eprintln!(
            "error: earner `{earner}` already holds badge `{badge}` issued on {issued}: award {} in `{}`",
            dup.record.id.value.trim(),
            dup.file.display()
        );
        eprintln!(
            "  = help: award ids are permanent, so no second award is made for the same badge, earner and date; give another --issued date if this is a new award"
        );
        return 1;
    }
    if !b.record.badged {
        eprintln!(
            "warning: badge `{badge}` has `badged: false`; this award is recorded but never published"
        );
    }

    let mut minter = Minter::new(&content);
    let id = match minter.mint() {
        Ok(id) => id,
        Err(msg) => return io_error(&msg),
    };
    let record = NewAward {
        id: id.clone(),
        badge: badge.to_string(),
        earner: earner.to_string(),
        issued_on: issued,
        expires_on: expires,
        evidence: None,
    };
    let old_count = content.awards.iter().filter(|a| *a.file == *target).count();
    let edit = match Edit::append::<AwardFile>(
        opts.root,
        &target,
        &format!("# Awards issued in {}.\n", issued.year),
        None,
        &[record.to_yaml()],
        old_count,
    ) {
        Ok(edit) => edit,
        Err(d) => {
            eprint!("{}", d.render(opts.root));
            return 1;
        }
    };
    if let Err(msg) = write_all(opts.root, &[edit]) {
        return io_error(&msg);
    }

    let base = content.base_url();
    println!("{id}");
    println!("{base}/verify/{id}/");
    eprintln!(
        "Added award {id} (badge `{badge}`, earner `{earner}`, issued {issued}) to `{}`.",
        target.display()
    );
    if !e.record.auto_accept {
        eprintln!(
            "note: earner `{earner}` does not auto-accept awards; the award is published once `accepted: true` is added to it"
        );
    }
    0
}

fn usage(msg: &str, help: Option<&str>) -> i32 {
    eprintln!("error: {msg}");
    if let Some(h) = help {
        eprintln!("  = help: {h}");
    }
    2
}

fn io_error(msg: &str) -> i32 {
    eprintln!("error: {msg}");
    1
}

/// Today (UTC) as the build sees it: `SOURCE_DATE_EPOCH`, else the clock.
pub(crate) fn today() -> Result<Date, String> {
    crate::dates::now_epoch().map(Date::from_unix)
}

/// An existing award of the same badge to the same earner on the same day.
pub(crate) fn find_duplicate<'c>(
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
pub(crate) fn award_target(root: &Path, into: Option<&Path>, year: i32) -> Result<PathBuf, String> {
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
    Ok(rel)
}

/// A random id of `ID_LEN` characters from `ID_ALPHABET`.
pub fn random_id() -> Result<String, String> {
    let mut bytes = [0u8; ID_LEN];
    getrandom::fill(&mut bytes)
        .map_err(|e| format!("cannot read random bytes from the operating system: {e}"))?;
    // 256 is a multiple of 32, so `% 32` keeps every character equally likely.
    Ok(bytes
        .iter()
        .map(|b| ID_ALPHABET[usize::from(*b) % ID_ALPHABET.len()] as char)
        .collect())
}

/// Mints ids unique among the site's awards and among those it minted,
/// whose status-list home index is free, so no award's revocation index
/// ever moves (see `openbadges::status_list`).
pub struct Minter {
    taken: HashSet<String>,
    indexes: HashSet<u64>,
}

impl Minter {
    pub fn new(content: &Content) -> Minter {
        Minter {
            taken: content
                .awards
                .iter()
                .map(|a| a.record.id.value.trim().to_ascii_uppercase())
                .collect(),
            indexes: status_list::assign_content(content).into_values().collect(),
        }
    }

    pub fn empty() -> Minter {
        Minter {
            taken: HashSet::new(),
            indexes: HashSet::new(),
        }
    }

    /// A fresh id; ids are compared case-insensitively, so no two awards'
    /// URLs differ only in case.
    pub fn mint(&mut self) -> Result<String, String> {
        loop {
            let id = random_id()?;
            if status_list::home_is_free(&id, &self.indexes) && self.taken.insert(id.clone()) {
                self.indexes.insert(status_list::home_index(&id));
                return Ok(id);
            }
        }
    }
}

/// One award record to write.
pub(crate) struct NewAward {
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
pub(crate) struct Edit {
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
pub(crate) fn write_all(root: &Path, edits: &[Edit]) -> Result<(), String> {
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
    fn minted_ids_claim_distinct_status_indexes() {
        // Each new id's home index is free, so minting never moves an
        // existing award's revocation index.
        let mut m = Minter::empty();
        let ids: Vec<String> = (0..3000).map(|_| m.mint().unwrap()).collect();
        let homes: HashSet<u64> = ids.iter().map(|i| status_list::home_index(i)).collect();
        assert_eq!(homes.len(), ids.len());
    }

    #[test]
    fn minted_ids_use_the_alphabet_and_are_valid_award_ids() {
        let mut m = Minter::empty();
        let ids: Vec<String> = (0..1000).map(|_| m.mint().unwrap()).collect();
        for id in &ids {
            assert_eq!(id.len(), ID_LEN);
            assert!(id.bytes().all(|b| ID_ALPHABET.contains(&b)), "{id}");
            assert!(crate::rules::is_award_id(id));
        }
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len());
    }

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
