//! The send ledger, `notify/ledger.tsv` in the site (committed with the
//! content, never published): one line per message the server accepted,
//! or refused for good, appended and flushed to disk before the next
//! message goes, so a rerun sends nothing twice and a killed run resumes.
//! A line cut short by a kill (no final newline) is ignored.
//!
//! Line: `TIME<TAB>sent|failed<TAB>AWARD<TAB>KIND<TAB>MESSAGE-ID<TAB>DETAIL`,
//! where DETAIL is, for a failure, the recipient's address hash and the
//! server's answer (never the address itself).

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Where the ledger and the opt-outs live, relative to the site root.
pub const DIR: &str = "notify";
pub const LEDGER: &str = "notify/ledger.tsv";
pub const UNSUBSCRIBED: &str = "notify/unsubscribed.txt";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// Seconds since 1970.
    pub at: i64,
    pub sent: bool,
    pub award: String,
    pub kind: String,
    pub message_id: String,
    pub detail: String,
}

/// What the ledger says, by (award, kind): the last entry of each.
#[derive(Default)]
pub struct Ledger {
    pub entries: Vec<Entry>,
    last: HashMap<(String, String), usize>,
}

impl Ledger {
    pub fn read(root: &Path) -> Result<Ledger, String> {
        let path = root.join(LEDGER);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(e) => return Err(format!("cannot read `{LEDGER}`: {e}")),
        };
        let mut ledger = Ledger::default();
        // Only whole lines: the last may have been cut by a kill.
        let whole = text.rfind('\n').map_or("", |end| &text[..end]);
        for (n, line) in whole.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let entry = parse(line).ok_or_else(|| {
                format!("`{LEDGER}` line {} is not a ledger line: `{line}`", n + 1)
            })?;
            ledger.push(entry);
        }
        Ok(ledger)
    }

    fn push(&mut self, e: Entry) {
        self.last
            .insert((e.award.clone(), e.kind.clone()), self.entries.len());
        self.entries.push(e);
    }

    /// The last entry for an award's message of a kind.
    pub fn last(&self, award: &str, kind: &str) -> Option<&Entry> {
        self.last
            .get(&(award.to_string(), kind.to_string()))
            .map(|&i| &self.entries[i])
    }

    pub fn was_sent(&self, award: &str, kind: &str) -> bool {
        self.last(award, kind).is_some_and(|e| e.sent)
    }
}

fn parse(line: &str) -> Option<Entry> {
    let mut f = line.splitn(6, '\t');
    let at = crate::dates::parse_timestamp(f.next()?)?;
    let sent = match f.next()? {
        "sent" => true,
        "failed" => false,
        _ => return None,
    };
    Some(Entry {
        at,
        sent,
        award: f.next()?.to_string(),
        kind: f.next()?.to_string(),
        message_id: f.next()?.to_string(),
        detail: f.next().unwrap_or_default().to_string(),
    })
}

/// Appends entries to the ledger, each on disk before `append` returns.
pub struct Writer {
    file: File,
    path: PathBuf,
}

impl Writer {
    pub fn open(root: &Path) -> Result<Writer, String> {
        let path = root.join(LEDGER);
        std::fs::create_dir_all(root.join(DIR))
            .map_err(|e| format!("cannot make `{DIR}/`: {e}"))?;
        let file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .map_err(|e| format!("cannot open `{LEDGER}`: {e}"))?;
        // A previous run killed mid-line left a fragment (which readers
        // skip): cut it, so the next entry starts a line of its own.
        let bytes = std::fs::read(&path).map_err(|e| format!("cannot read `{LEDGER}`: {e}"))?;
        if bytes.last().is_some_and(|&b| b != b'\n') {
            let whole = bytes.iter().rposition(|&b| b == b'\n').map_or(0, |p| p + 1);
            file.set_len(whole as u64)
                .map_err(|e| format!("cannot write `{LEDGER}`: {e}"))?;
        }
        Ok(Writer { file, path })
    }

    pub fn append(&mut self, e: &Entry) -> Result<(), String> {
        let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
        let line = format!(
            "{}\t{}\t{}\t{}\t{}\t{}\n",
            crate::dates::timestamp(e.at),
            if e.sent { "sent" } else { "failed" },
            clean(&e.award),
            clean(&e.kind),
            clean(&e.message_id),
            clean(&e.detail),
        );
        self.file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.sync_data())
            .map_err(|e| format!("cannot write `{}`: {e}", self.path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_and_a_cut_line_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let mut w = Writer::open(dir.path()).unwrap();
        let e = Entry {
            at: 1_793_491_200,
            sent: true,
            award: "7Q3K9XWD2M4T".into(),
            kind: "issued".into(),
            message_id: "<a@b>".into(),
            detail: String::new(),
        };
        w.append(&e).unwrap();
        drop(w);
        let path = dir.path().join(LEDGER);
        let mut text = std::fs::read_to_string(&path).unwrap();
        text.push_str("2026-11-01T00:00:00Z\tsent\tCUT");
        std::fs::write(&path, &text).unwrap();
        let l = Ledger::read(dir.path()).unwrap();
        assert_eq!(l.entries, vec![e.clone()]);
        assert!(l.was_sent("7Q3K9XWD2M4T", "issued"));
        // The next writer ends the fragment first.
        Writer::open(dir.path())
            .unwrap()
            .append(&Entry {
                kind: "claim".into(),
                ..e
            })
            .unwrap();
        let l = Ledger::read(dir.path()).unwrap();
        assert!(
            l.was_sent("7Q3K9XWD2M4T", "claim"),
            "{}",
            std::fs::read_to_string(&path).unwrap()
        );
    }
}
