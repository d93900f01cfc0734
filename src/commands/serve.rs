//! `accolade serve`: a live-reloading preview (see `crate::serve`).

use std::path::Path;

use crate::error::Result;

/// `accolade serve --help`, after the options.
pub const HELP: &str = "\
Pages link to the preview address, and reload by themselves after every
rebuild. While the content or a template has an error, every page shows it
(as `accolade check` prints it) until it is fixed.

Example:
  accolade serve --root my-site --port 8080
  # then open http://127.0.0.1:8080/; pages reload when you save a file";

pub const DEFAULT_PORT: u16 = 1111;
pub const DEFAULT_BIND: &str = "127.0.0.1";

pub struct Options<'a> {
    pub root: &'a Path,
    /// An IP address or a host name to listen on.
    pub bind: &'a str,
    /// 0 picks a free port.
    pub port: u16,
}

pub fn run(opts: &Options) -> Result<()> {
    crate::serve::run(opts.root, opts.bind, opts.port)
}
