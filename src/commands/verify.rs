//! `accolade verify <FILE|URL>`: says whether a credential is genuine, whose
//! it is, and whether it is valid, expired or revoked. The checking is
//! `openbadges::check`; this reads the options, runs it and prints.
//!
//! Exit code: 0 valid, 1 not valid, 2 could not check.

use std::path::Path;

use crate::openbadges::check::{self, Report};

pub struct Options<'a> {
    pub input: &'a str,
    pub site: Option<&'a Path>,
    pub email: Option<&'a str>,
    pub json: bool,
    /// `--ca-file`; without it, `SSL_CERT_FILE` when set.
    pub ca_file: Option<&'a Path>,
    /// `--did-document`: the issuer's keys from a file, nothing from the web.
    pub did_document: Option<&'a Path>,
}

/// Checks, prints the report, and returns the exit code.
pub fn run(opts: &Options) -> i32 {
    let env_ca = std::env::var_os("SSL_CERT_FILE").filter(|v| !v.is_empty());
    let ca_file = opts.ca_file.or(env_ca.as_deref().map(Path::new));
    let report = match crate::dates::now_epoch() {
        Ok(now) => check::check(&check::Request {
            input: opts.input,
            site: opts.site,
            email: opts.email,
            ca_file,
            did_document: opts.did_document,
            now,
        }),
        Err(e) => Report::could_not_check(e),
    };
    if opts.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&report).expect("a report serializes")
        );
    } else {
        print!("{}", report.to_text());
    }
    i32::from(report.outcome.exit_code())
}
