//! One small module per command: options in, a call into the library, a
//! report out. Each returns `error::Result`; `main` prints errors and picks
//! the exit code.

pub mod accept;
pub mod award;
pub mod bake;
pub mod build;
pub mod check;
pub mod import;
pub mod init;
pub mod keys;
pub mod notify;
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

/// Prints diagnostics to stderr, warnings and errors alike.
pub fn report(root: &Path, diags: &Diagnostics) {
    if !diags.0.is_empty() {
        eprint!("{}", diags.render(root));
    }
}
