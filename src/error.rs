//! The one error type commands return. `main` alone prints it and picks the
//! exit code: 1 for invalid content, a credential that is not valid or a
//! failed write; 2 for usage errors and when a check could not be done.

use std::fmt;
use std::path::{Path, PathBuf};

use crate::diagnostics::Diagnostics;

#[derive(Debug)]
pub enum Error {
    /// Located problems in the content, then a line saying what they stopped.
    Invalid {
        diagnostics: Diagnostics,
        summary: String,
    },
    /// The command line asks for something that cannot be done.
    Usage {
        message: String,
        help: Option<String>,
    },
    /// A refusal about the content that is not tied to one place in it.
    Refused {
        message: String,
        help: Option<String>,
    },
    /// A file or directory could not be read or written.
    Io {
        path: PathBuf,
        action: &'static str,
        source: std::io::Error,
    },
    /// The command already told the user (e.g. a verification report);
    /// only the exit code is left to give.
    Reported(u8),
}

pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    pub fn usage(message: impl Into<String>, help: Option<&str>) -> Error {
        Error::Usage {
            message: message.into(),
            help: help.map(str::to_string),
        }
    }

    pub fn refused(message: impl Into<String>, help: Option<&str>) -> Error {
        Error::Refused {
            message: message.into(),
            help: help.map(str::to_string),
        }
    }

    pub fn io(action: &'static str, path: &Path, source: std::io::Error) -> Error {
        Error::Io {
            path: path.to_path_buf(),
            action,
            source,
        }
    }

    /// Content errors with the summary line printed after them.
    pub fn invalid(diagnostics: Diagnostics, summary: impl Into<String>) -> Error {
        Error::Invalid {
            diagnostics,
            summary: summary.into(),
        }
    }

    pub fn exit_code(&self) -> u8 {
        match self {
            Error::Invalid { .. } | Error::Refused { .. } | Error::Io { .. } => 1,
            Error::Usage { .. } => 2,
            Error::Reported(code) => *code,
        }
    }

    /// What the user sees on stderr; content paths are shown relative to `root`.
    pub fn render(&self, root: &Path) -> String {
        match self {
            Error::Invalid {
                diagnostics,
                summary,
            } => format!("{}error: {summary}\n", diagnostics.render(root)),
            Error::Reported(_) => String::new(),
            other => format!("{other}\n"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Invalid { summary, .. } => write!(f, "error: {summary}"),
            Error::Usage { message, help } | Error::Refused { message, help } => {
                write!(f, "error: {message}")?;
                match help {
                    Some(h) => write!(f, "\n  = help: {h}"),
                    None => Ok(()),
                }
            }
            Error::Io {
                path,
                action,
                source,
            } => write!(f, "error: cannot {action} `{}`: {source}", path.display()),
            Error::Reported(code) => write!(f, "exit code {code}"),
        }
    }
}

impl std::error::Error for Error {}
