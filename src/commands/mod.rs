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

/// Prints diagnostics to stderr, warnings and errors alike.
pub fn report(root: &Path, diags: &Diagnostics) {
    if !diags.0.is_empty() {
        eprint!("{}", diags.render(root));
    }
}
