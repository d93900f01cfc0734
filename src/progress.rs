//! Progress of long operations on stderr: an animated bar or spinner on a
//! terminal; otherwise a plain line when a step starts (and one when it
//! finishes, if there is something to say), so CI logs stay readable.

use std::io::IsTerminal;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

/// Progress of a long step on stderr: an animated bar or spinner on a
/// terminal, otherwise one plain line when the step starts (and one when it
/// finishes, if there is something to say).
pub struct Progress {
    bar: Option<ProgressBar>,
}

impl Progress {
    fn terminal() -> bool {
        std::io::stderr().is_terminal()
    }

    /// A bar counting `total` items.
    pub fn bar(label: &str, total: u64) -> Progress {
        if !Self::terminal() {
            eprintln!("{label}: {total}…");
            return Progress { bar: None };
        }
        let bar = ProgressBar::new(total);
        bar.set_style(
            ProgressStyle::with_template("{msg} [{bar:30}] {pos}/{len} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
        );
        bar.set_message(label.to_string());
        Progress { bar: Some(bar) }
    }

    /// A spinner for a step of unknown length.
    pub fn spinner(label: &str) -> Progress {
        if !Self::terminal() {
            eprintln!("{label}…");
            return Progress { bar: None };
        }
        let bar = ProgressBar::new_spinner();
        bar.set_message(format!("{label}…"));
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar: Some(bar) }
    }

    pub fn inc(&self, n: u64) {
        if let Some(b) = &self.bar {
            b.inc(n);
        }
    }

    /// Clears the bar; prints `done` (if any) as a plain line.
    pub fn finish(self, done: Option<&str>) {
        if let Some(b) = &self.bar {
            b.finish_and_clear();
        }
        if let Some(msg) = done {
            eprintln!("{msg}");
        }
    }
}
