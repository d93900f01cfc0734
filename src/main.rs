//! The command line: parses arguments, runs a command, maps the result to an
//! exit code (0 ok, 1 invalid content or failed verification, 2 usage).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Signing and rendering allocate many small objects (JSON-LD terms,
/// template values) from every thread. With mimalloc's per-thread heaps a
/// fresh build of 2,000 awards takes about a fifth less CPU time than with
/// the system allocator (median of three paired runs).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use accolade::commands;
use accolade::error::{Error, Result};
use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "accolade",
    version,
    about = "Issuer-owned credential sites and Open Badges from YAML records"
)]
struct Cli {
    /// The site directory (holding `content/`); the paths given to other
    /// options (--out, --into, --site, the CSV file) are relative to it
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
        /// Output directory, relative to --root (default: public)
        #[arg(long)]
        out: Option<PathBuf>,
        /// Build with another base URL than site.yaml's (e.g. for a staging host)
        #[arg(long)]
        base_url: Option<String>,
        /// Render every page and file, not only those whose inputs changed
        #[arg(long)]
        force: bool,
        /// Build one share of the site: K of N (see README, "Building on many machines")
        #[arg(long, value_name = "K/N")]
        shard: Option<String>,
        /// Changes to issued credentials make new versions dated today: writes
        /// `revised_on` into the records they come from (see README, "Corrections")
        #[arg(long)]
        reissue: bool,
        /// Let awards the last build published go with their deleted records
        #[arg(long)]
        allow_removal: bool,
    },
    /// Validate the content and report every problem; writes nothing
    #[command(after_help = "Example:\n  accolade check --root my-site")]
    Check,
    /// Preview the site with live reload: builds into a temporary directory
    /// (never `public/`), serves it, and rebuilds when content/, themes/ or
    /// keys/ change. Errors are shown in the browser until fixed.
    #[command(after_help = accolade::commands::serve::HELP)]
    Serve {
        /// Port to listen on (0: any free port)
        #[arg(long, default_value_t = accolade::commands::serve::DEFAULT_PORT)]
        port: u16,
        /// Address to listen on; pages link to it (0.0.0.0 listens everywhere, links use 127.0.0.1)
        #[arg(long, default_value = accolade::commands::serve::DEFAULT_BIND)]
        bind: String,
    },
    /// Create a new site in an empty directory: starter content, the default
    /// theme to customise, a signing key under keys/, and a .gitignore
    #[command(after_help = accolade::commands::init::HELP)]
    Init {
        /// The new site's directory, relative to --root like every path option
        /// (created if missing; must be empty)
        dir: PathBuf,
    },
    /// Award a badge to an earner: mints a permanent 12-character id and
    /// appends the record to an award file, keeping its comments; prints the
    /// id and the verification URL
    #[command(after_help = accolade::commands::award::HELP)]
    Award {
        /// Badge id (content/badges/)
        #[arg(long)]
        badge: String,
        /// Earner id (content/earners/)
        #[arg(long)]
        earner: String,
        /// Issue date, YYYY-MM-DD (default: today, or SOURCE_DATE_EPOCH's day)
        #[arg(long, value_name = "DATE")]
        issued: Option<String>,
        /// Expiry date, YYYY-MM-DD (default: from the badge's validity, if any)
        #[arg(long, value_name = "DATE")]
        expires: Option<String>,
        /// Award file to append to, relative to the site root (default: content/awards/<year>.yaml)
        #[arg(long, value_name = "FILE")]
        into: Option<PathBuf>,
    },
    /// Import awards (and new earners) from a CSV file, all or nothing
    #[command(after_help = accolade::commands::import::HELP)]
    Import {
        /// The CSV file
        csv: PathBuf,
        /// Award file for all the awards, relative to the site root (default: content/awards/<year of issue>.yaml)
        #[arg(long, value_name = "FILE")]
        into: Option<PathBuf>,
    },
    /// Verify a baked badge image, a credential or assertion file, a verification URL, or a printed certificate's QR code (a scan or photo, or its text)
    #[command(
        after_help = "Examples:\n  accolade verify badge.png --site public --email li.lei@example.com\n  accolade verify https://credentials.example.org/verify/7Q3K9XWD2M4T/ --site public --json\n  accolade verify https://credentials.example.org/verify/7Q3K9XWD2M4T/ --ca-file company-ca.pem\n  accolade verify certificate-scan.jpg --did-document issuer-did.json    # offline\n\nExit code 0 for a genuine, unrevoked, unexpired credential, 1 when it is not valid (forged, changed, revoked, expired, someone else's), 2 when it could not be checked (unreadable file, network failure, unsupported input)."
    )]
    Verify {
        /// A PNG or SVG badge, a JSON file, a verification URL, or a certificate's QR code (PNG/JPEG scan or photo, or its `…#VC1-…` text)
        input: String,
        /// A built site directory (e.g. public/, relative to --root) to check against, offline
        #[arg(long)]
        site: Option<PathBuf>,
        /// Also check that the credential was issued to this email address
        #[arg(long)]
        email: Option<String>,
        /// Print the result as JSON
        #[arg(long)]
        json: bool,
        /// Also trust the CA certificates in this PEM file (default: $SSL_CERT_FILE), besides the built-in Mozilla roots
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
        /// The issuer's DID document (its /.well-known/did.json, saved earlier): check signatures with it, offline
        #[arg(long, value_name = "FILE")]
        did_document: Option<PathBuf>,
    },
    /// Write an award's baked badge image (PNG or SVG with its Open Badges
    /// 2.0 assertion and 3.0 credential inside): the same bytes the
    /// verification page's download button makes in a browser
    #[command(
        after_help = "Examples:\n  accolade bake 7Q3K9XWD2M4T\n  accolade bake 7Q3K9XWD2M4T --format svg --out badges-to-print/li-lei.svg"
    )]
    Bake {
        /// The award's id (as on its verification page)
        award: String,
        /// png or svg (svg only for badges with SVG artwork)
        #[arg(long, default_value = "png")]
        format: String,
        /// Output file, relative to --root (default: <AWARD>.<format>)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Revoke awards: adds `revoked: { on, reason }` to their records, keeping
    /// the files' comments; all of them or none
    #[command(after_help = accolade::commands::revoke::HELP)]
    Revoke {
        /// Award ids (as on their verification pages)
        awards: Vec<String>,
        /// A file of award ids, one a line, relative to --root
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// Why, as verifiers will read it
        #[arg(long)]
        reason: String,
        /// The date of the revocation, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Record that earners accepted pending awards: `accepted: true` and
    /// `accepted_on` in their records; all of them or none
    #[command(after_help = accolade::commands::accept::ACCEPT_HELP)]
    Accept {
        /// Claim codes (from claim page addresses) or award ids
        awards: Vec<String>,
        /// A file with a claim code or award id on each line, relative to --root
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The date of the answer, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Record that earners declined pending awards: `declined_on` in their
    /// records; all of them or none
    #[command(after_help = accolade::commands::accept::DECLINE_HELP)]
    Decline {
        /// Claim codes (from claim page addresses) or award ids
        awards: Vec<String>,
        /// A file with a claim code or award id on each line, relative to --root
        #[arg(long, value_name = "FILE")]
        from: Option<PathBuf>,
        /// The date of the answer, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
    },
    /// Email earners: issued, claim, reminder and expiry messages that are
    /// due, over SMTP (or as .eml files with --dry-run)
    #[command(after_help = accolade::commands::notify::HELP)]
    Notify {
        /// Write the messages as .eml files instead of sending them
        #[arg(long, requires = "out")]
        dry_run: bool,
        /// Where --dry-run writes the messages
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// Mail awards issued in the last DAYS days only
        #[arg(long, value_name = "DAYS", default_value_t = 7)]
        since: u32,
        /// Also mail awards issued before --since
        #[arg(long)]
        backfill: bool,
        /// Send an award's issued or claim message again (repeatable)
        #[arg(long, value_name = "AWARD")]
        resend: Vec<String>,
        /// Print what was sent, refused and is due; send nothing
        #[arg(long)]
        status: bool,
        /// At most this many messages a second (`5/s`, or `off`)
        #[arg(long, value_name = "N/s", default_value = "5/s")]
        rate: String,
        /// A PEM file of the CA that signed the SMTP server's certificate, relative to --root
        #[arg(long, value_name = "FILE")]
        ca_file: Option<PathBuf>,
    },
    /// Write the issuer's report: awards issued, accepted, revoked and
    /// expiring, skills and certification paths, and the site's size
    /// against the hosts' limits, as one HTML file with charts (private:
    /// kept out of public/), as JSON or as CSV files
    #[command(after_help = accolade::commands::report::HELP)]
    Report {
        /// The HTML file, relative to --root (default: report.html; with --json or --csv, written only when given)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        /// Print the numbers as JSON on stdout
        #[arg(long)]
        json: bool,
        /// Write each table as a CSV file into this folder, relative to --root (made if missing)
        #[arg(long, value_name = "DIR")]
        csv: Option<PathBuf>,
    },
    /// Record that earners want no more messages (by earner id or address)
    Unsubscribe {
        /// Earner ids or email addresses
        #[arg(required = true)]
        who: Vec<String>,
    },
    /// Manage signing keys
    #[command(subcommand)]
    Keys(KeysCommand),
    /// Endorsements of a badge or the issuer, signed by the endorser
    #[command(subcommand, after_help = accolade::commands::endorse::HELP)]
    Endorse(EndorseCommand),
}

#[derive(Subcommand)]
enum EndorseCommand {
    /// Write the unsigned endorsement of a badge (or `issuer`) for the endorser to sign
    Request {
        /// A badge id, or `issuer`
        subject: String,
        /// The endorsing organisation's name, as it signs
        #[arg(long)]
        endorser: String,
        /// The endorser's website
        #[arg(long)]
        url: Option<String>,
        /// The endorser's words (in the language they sign them)
        #[arg(long)]
        comment: String,
        /// Valid from, YYYY-MM-DD (default: today)
        #[arg(long, value_name = "DATE")]
        on: Option<String>,
        /// Output file, relative to --root (default: <subject>-<endorser>.json)
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
    /// Sign an endorsement request with the endorser's key (on the endorser's machine)
    Sign {
        /// The request `endorse request` wrote; signed in place unless --out
        file: PathBuf,
        /// The endorser's Ed25519 key (`accolade keys generate`)
        #[arg(long)]
        key: PathBuf,
        /// The endorser's DID (default: the key's did:key); a did:web also gets its did.json written
        #[arg(long)]
        did: Option<String>,
        /// Where to write the signed endorsement
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
    },
}

#[derive(Subcommand)]
enum KeysCommand {
    /// Write a new Ed25519 signing key (file mode 0600) and print its public Multikey
    #[command(
        after_help = "Example:\n  accolade keys generate --out keys/issuer.ed25519\n\nKeep the key secret and backed up: a lost key cannot sign again, and a\nnew key must be added while the old one stays in `signing.previous_keys`."
    )]
    Generate {
        /// Where to write the key, relative to --root (default: keys/issuer.ed25519 in the site)
        #[arg(long)]
        out: Option<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() { 2 } else { 0 });
        }
    };
    match run(&cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprint!("{}", e.render(&cli.root));
            ExitCode::from(e.exit_code())
        }
    }
}

fn run(cli: &Cli) -> Result<()> {
    match &cli.command {
        Command::Build {
            out,
            base_url,
            force,
            shard,
            reissue,
            allow_removal,
        } => {
            let out = cli.root.join(out.as_deref().unwrap_or(Path::new("public")));
            commands::build::run(&commands::build::Options {
                root: &cli.root,
                out: &out,
                base_url: base_url.as_deref(),
                force: *force,
                shard: shard.as_deref(),
                reissue: *reissue,
                allow_removal: *allow_removal,
            })
        }
        Command::Check => commands::check::run(&cli.root),
        Command::Serve { port, bind } => commands::serve::run(&commands::serve::Options {
            root: &cli.root,
            bind,
            port: *port,
        }),
        Command::Init { dir } => commands::init::run(&cli.root.join(dir)),
        Command::Award {
            badge,
            earner,
            issued,
            expires,
            into,
        } => commands::award::run(&commands::award::Options {
            root: &cli.root,
            badge,
            earner,
            issued: issued.as_deref(),
            expires: expires.as_deref(),
            into: into.as_deref(),
        }),
        Command::Import { csv, into } => commands::import::run(&commands::import::Options {
            root: &cli.root,
            csv: &cli.root.join(csv),
            into: into.as_deref(),
        }),
        Command::Verify {
            input,
            site,
            email,
            json,
            ca_file,
            did_document,
        } => match commands::verify::run(&commands::verify::Options {
            input,
            site: site.as_deref().map(|s| cli.root.join(s)).as_deref(),
            email: email.as_deref(),
            json: *json,
            ca_file: ca_file.as_deref().map(|c| cli.root.join(c)).as_deref(),
            did_document: did_document.as_deref().map(|d| cli.root.join(d)).as_deref(),
        }) {
            0 => Ok(()),
            code => Err(Error::Reported(code as u8)),
        },
        Command::Bake { award, format, out } => commands::bake::run(&commands::bake::Options {
            root: &cli.root,
            award,
            format,
            out: out.as_deref(),
        }),
        Command::Revoke {
            awards,
            from,
            reason,
            on,
        } => commands::revoke::run(&commands::revoke::Options {
            root: &cli.root,
            awards,
            from: from.as_deref(),
            reason,
            on: on.as_deref(),
        }),
        Command::Accept { awards, from, on } | Command::Decline { awards, from, on } => {
            let answer = if matches!(cli.command, Command::Accept { .. }) {
                commands::accept::Answer::Accept
            } else {
                commands::accept::Answer::Decline
            };
            commands::accept::run(&commands::accept::Options {
                root: &cli.root,
                answer,
                awards,
                from: from.as_deref(),
                on: on.as_deref(),
            })
        }
        Command::Notify {
            dry_run,
            out,
            since,
            backfill,
            resend,
            status,
            rate,
            ca_file,
        } => {
            let rate = parse_rate(rate)?;
            let out = out.as_ref().map(|o| cli.root.join(o));
            commands::notify::run(&commands::notify::Options {
                root: &cli.root,
                dry_run: *dry_run,
                out: out.as_deref(),
                since_days: *since,
                backfill: *backfill,
                resend,
                status: *status,
                rate,
                ca_file: ca_file.as_deref(),
            })
        }
        Command::Report { out, json, csv } => commands::report::run(&commands::report::Options {
            root: &cli.root,
            out: out.as_deref(),
            json: *json,
            csv: csv.as_deref(),
        }),
        Command::Unsubscribe { who } => commands::notify::unsubscribe(&cli.root, who),
        Command::Endorse(EndorseCommand::Request {
            subject,
            endorser,
            url,
            comment,
            on,
            out,
        }) => commands::endorse::request(&commands::endorse::RequestOptions {
            root: &cli.root,
            subject,
            endorser,
            url: url.as_deref(),
            comment,
            on: on.as_deref(),
            out: out.as_deref(),
        }),
        Command::Endorse(EndorseCommand::Sign {
            file,
            key,
            did,
            out,
        }) => commands::endorse::sign(&commands::endorse::SignOptions {
            root: &cli.root,
            file,
            key,
            did: did.as_deref(),
            out: out.as_deref(),
        }),
        Command::Keys(KeysCommand::Generate { out }) => {
            let out = match out {
                Some(out) => cli.root.join(out),
                None if cli.root.join("content/site.yaml").is_file() => {
                    cli.root.join(accolade::signing::DEFAULT_KEY_FILE)
                }
                None => {
                    return Err(Error::usage(
                        format!(
                            "`{}` is not a site (no content/site.yaml), so there is no default place for the key",
                            cli.root.display()
                        ),
                        Some(
                            "say where to write it: `accolade keys generate --out keys/issuer.ed25519`, or run it in the site (or with --root SITE)",
                        ),
                    ));
                }
            };
            commands::keys::generate(Some(&out))
        }
    }
}

/// `--rate 5/s` (or `5`) as messages a second; `off` or `0` for no limit.
fn parse_rate(text: &str) -> Result<Option<f64>> {
    let t = text.trim();
    if t == "off" {
        return Ok(None);
    }
    match t.strip_suffix("/s").unwrap_or(t).parse::<f64>() {
        Ok(0.0) => Ok(None),
        Ok(r) if r > 0.0 && r.is_finite() => Ok(Some(r)),
        _ => Err(Error::usage(
            format!("`--rate {text}` is not a rate"),
            Some("write messages a second, e.g. --rate 5/s, or --rate off"),
        )),
    }
}
