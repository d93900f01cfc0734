//! The theme a site is rendered with: the default theme compiled into the
//! binary, overlaid file by file with the site's own `themes/<name>/`.
//!
//! This module only finds and reads theme files; templates are compiled in
//! `render`, interface strings are parsed in `render::i18n`.

use std::collections::BTreeMap;
use std::path::Path;

use crate::diagnostics::{Diagnostic, Diagnostics, Pos};

include!(concat!(env!("OUT_DIR"), "/default_theme.rs"));

pub struct Theme {
    pub name: String,
    /// Path inside the theme (`templates/base.html`) → (origin for messages, bytes).
    pub files: BTreeMap<String, ThemeFile>,
}

pub struct ThemeFile {
    /// Where the file came from: a path relative to the site root, or
    /// `<built-in>/…` for the embedded default theme.
    pub origin: String,
    pub bytes: Vec<u8>,
}

impl Theme {
    pub fn built_in() -> Theme {
        let files = DEFAULT_THEME
            .iter()
            .map(|(p, b)| {
                (
                    p.to_string(),
                    ThemeFile {
                        origin: format!("<built-in default theme>/{p}"),
                        bytes: b.to_vec(),
                    },
                )
            })
            .collect();
        Theme {
            name: "default".into(),
            files,
        }
    }

    pub fn under<'a>(
        &'a self,
        prefix: &'a str,
    ) -> impl Iterator<Item = (&'a str, &'a ThemeFile)> + 'a {
        self.files
            .iter()
            .filter_map(move |(k, v)| k.strip_prefix(prefix).map(|rest| (rest, v)))
    }

    pub fn get(&self, path: &str) -> Option<&ThemeFile> {
        self.files.get(path)
    }

    /// Whether every template is the built-in theme's, byte for byte (a
    /// theme may still have its own strings, styles and scripts).
    pub fn templates_are_built_in(&self) -> bool {
        let built_in: BTreeMap<&str, &[u8]> = DEFAULT_THEME
            .iter()
            .filter(|(p, _)| p.starts_with("templates/"))
            .map(|(p, b)| (*p, *b))
            .collect();
        let own = self.under("templates/").count();
        own == built_in.len()
            && self
                .files
                .iter()
                .filter(|(p, _)| p.starts_with("templates/"))
                .all(|(p, f)| built_in.get(p.as_str()) == Some(&&f.bytes[..]))
    }
}

/// Loads the theme named in `site.yaml` (`theme`, with its position there).
pub fn load(root: &Path, named: Option<(&str, Pos)>) -> Result<Theme, Diagnostics> {
    let mut theme = Theme::built_in();
    let (name, at) = named.unwrap_or(("default", Pos::default()));
    theme.name = name.to_string();
    let dir = root.join("themes").join(name);
    if !dir.is_dir() {
        if name == "default" {
            return Ok(theme);
        }
        let mut d = Diagnostics::default();
        d.push(
            Diagnostic::error("content/site.yaml", at, format!("theme `{name}` not found: there is no `themes/{name}/` folder"))
                .help("use `theme: default`, or create the folder (`accolade init` writes the default theme out)"),
        );
        return Err(d);
    }
    for entry in walkdir::WalkDir::new(&dir)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let rel = entry.path().strip_prefix(&dir).unwrap_or(entry.path());
        let key = rel.to_string_lossy().replace('\\', "/");
        let origin = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .into_owned();
        match std::fs::read(entry.path()) {
            Ok(bytes) => {
                theme.files.insert(key, ThemeFile { origin, bytes });
            }
            Err(e) => {
                let mut d = Diagnostics::default();
                d.push(Diagnostic::error(
                    origin,
                    Pos::default(),
                    format!("cannot read theme file: {e}"),
                ));
                return Err(d);
            }
        }
    }
    Ok(theme)
}
