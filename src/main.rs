//! The command line: parses arguments, runs a command, maps the result to an
//! exit code (0 ok, 1 invalid content or failed verification, 2 usage).

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "accolade",
    version,
    about = "Issuer-owned credential sites and Open Badges from YAML records"
)]
struct Cli {
    /// The site directory (holding `content/`)
    #[arg(long, global = true, default_value = ".")]
    root: PathBuf,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Build the site into `public/` (or --out)
    #[command(after_help = "Example:\n  SOURCE_DATE_EPOCH=1767225600 accolade build --out public")]
    Build {
        /// Output directory (default: <root>/public)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build with another base URL than site.yaml's (e.g. for a staging host)
        #[arg(long)]
        base_url: Option<String>,
    },
    /// Validate the content and report every problem; writes nothing
    #[command(after_help = "Example:\n  accolade check --root my-site")]
    Check,
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    let code = match &cli.command {
        Command::Build { out, base_url } => {
            let out = out.clone().unwrap_or_else(|| cli.root.join("public"));
            accolade::commands::build::run(&accolade::commands::build::Options {
                root: &cli.root,
                out: &out,
                base_url: base_url.as_deref(),
                quiet: false,
            })
        }
        Command::Check => accolade::commands::check::run(&cli.root),
    };
    ExitCode::from(code as u8)
}
