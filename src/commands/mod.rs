//! One small module per command: options in, a call into the library, a
//! report out. Each returns `error::Result`; `main` prints errors and picks
//! the exit code.

pub mod accept;
pub mod award;
pub mod bake;
pub mod build;
pub mod check;
pub mod endorse;
pub mod import;
pub mod init;
pub mod keys;
pub mod notify;
pub mod report;
pub mod revoke;
pub mod serve;
pub mod verify;

use std::path::Path;

use crate::diagnostics::Diagnostics;

/// The day an `--on DATE` option gives (default today); a day in the
/// future is refused with `future_help`.
pub fn on_day(on: Option<&str>, future_help: &str) -> crate::error::Result<crate::dates::Date> {
    use crate::error::Error;
    let today = crate::build::today().map_err(|m| Error::usage(m, None))?;
    let day = match on {
        None => today,
        Some(s) => crate::dates::Date::parse_field("--on", s)
            .map_err(|(m, why)| Error::usage(m, Some(&why)))?,
    };
    if day > today {
        return Err(Error::usage(
            format!("`--on {day}` is in the future (today is {today})"),
            Some(future_help),
        ));
    }
    Ok(day)
}

/// The non-blank lines of a `--from FILE` (relative to the site root), `#`
/// comments taken off, each with its line number.
pub fn from_lines(root: &Path, file: &Path) -> crate::error::Result<Vec<(usize, String)>> {
    let text = std::fs::read_to_string(root.join(file)).map_err(|e| {
        crate::error::Error::usage(
            format!("cannot read `--from {}`: {e}", file.display()),
            None,
        )
    })?;
    Ok(text
        .lines()
        .enumerate()
        .map(|(n, l)| {
            (
                n + 1,
                l.split('#').next().unwrap_or_default().trim().to_string(),
            )
        })
        .filter(|(_, l)| !l.is_empty())
        .collect())
}

/// Prints diagnostics to stderr, warnings and errors alike.
pub fn report(root: &Path, diags: &Diagnostics) {
    if !diags.0.is_empty() {
        eprint!("{}", diags.render(root));
    }
}
