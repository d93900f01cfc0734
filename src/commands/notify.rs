//! `accolade notify`: sends the messages that are due (see `notify`), or
//! writes them as `.eml` files (`--dry-run --out DIR`), or says what was
//! sent, refused and due (`--status`). `accolade unsubscribe` records an
//! earner's opt-out.

use std::collections::BTreeMap;

use rayon::prelude::*;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use crate::error::{Error, Result};
use crate::notify::smtp::{Failure, Sender};
use crate::notify::{self, Entry, Ledger, Mailer, OptOuts, ledger};
use crate::text::count;

/// `accolade notify --help`, after the options.
pub const HELP: &str = "\
Messages: `issued` (a published award), `claim` (a pending award, with its
claim link), `unclaimed-N` reminders and `expiry-DATE` reminders, each in
the earner's language, one per award and kind. What was sent is in
notify/ledger.tsv (commit it with the content): a rerun sends nothing twice,
and a run that was stopped resumes. Opt-outs are in notify/unsubscribed.txt.

SMTP settings are `notify.smtp` in content/site.yaml; the password is only
read from the ACCOLADE_SMTP_PASSWORD environment variable.

Examples:
  accolade notify --dry-run --out outbox     # write the due messages as .eml files
  accolade notify                            # send them
  accolade notify --status                   # what was sent, refused and is due
  accolade notify --backfill --since 365     # also mail awards of the last year";

pub struct Options<'a> {
    pub root: &'a Path,
    pub dry_run: bool,
    pub out: Option<&'a Path>,
    pub since_days: u32,
    pub backfill: bool,
    pub resend: &'a [String],
    pub status: bool,
    /// Messages a second at most; `None` for no limit.
    pub rate: Option<f64>,
    pub ca_file: Option<&'a Path>,
}

/// How often a temporary failure is tried again, and the first wait.
const RETRIES: u32 = 3;
const FIRST_WAIT: Duration = Duration::from_secs(1);

pub fn run(opts: &Options) -> Result<()> {
    let now = crate::dates::now_epoch().map_err(|m| Error::usage(m, None))?;
    let loaded = crate::build::load(opts.root, None, now).map_err(|d| {
        Error::invalid(
            d,
            "the content has errors; fix them before sending messages",
        )
    })?;
    let site = &loaded.site;
    let refused = |m: String| Error::refused(m, None);
    let ledger = Ledger::read(opts.root).map_err(refused)?;
    let optouts = OptOuts::read(opts.root).map_err(refused)?;
    let plan = notify::plan(
        site,
        &ledger,
        &optouts,
        &notify::Options {
            since_days: opts.since_days,
            backfill: opts.backfill,
            resend: opts.resend.to_vec(),
        },
    );
    if opts.status {
        print_status(&ledger, &plan);
        return Ok(());
    }
    let mailer = Mailer::new(site, &loaded.content.theme)
        .map_err(|d| Error::invalid(d, "the theme's messages have errors"))?;
    if opts.dry_run {
        let out = opts.out.ok_or_else(|| {
            Error::usage(
                "`--dry-run` needs `--out DIR`",
                Some("say where the .eml files go, e.g. --out outbox"),
            )
        })?;
        write_eml(out, &mailer, &plan.due, now).map_err(refused)?;
        eprintln!(
            "Wrote {} to {}.",
            count(plan.due.len(), "message"),
            out.display()
        );
    } else {
        // Every message renders before the first goes: a template fault
        // stops the run before anyone gets half a batch. (Rendered again
        // one at a time while sending, so memory does not grow with it.)
        plan.due
            .par_iter()
            .try_for_each(|d| mailer.render(d, now).map(drop))
            .map_err(refused)?;
        send_all(opts, site, &mailer, &plan.due, now)?;
    }
    if plan.older > 0 {
        eprintln!(
            "{} of awards issued over {} days ago were left out; `--backfill` would send them.",
            count(plan.older, "message"),
            opts.since_days
        );
    }
    if plan.opted_out > 0 {
        eprintln!(
            "{} not sent: the earner unsubscribed.",
            count(plan.opted_out, "message")
        );
    }
    Ok(())
}

/// Each message as `<award>.<kind>.eml` (its Message-ID's left part),
/// rendered and written in parallel.
fn write_eml(
    out: &Path,
    mailer: &Mailer,
    due: &[notify::Due],
    now: i64,
) -> std::result::Result<(), String> {
    std::fs::create_dir_all(out).map_err(|e| format!("cannot make `{}`: {e}", out.display()))?;
    due.par_iter().try_for_each(|d| {
        let m = mailer.render(d, now)?;
        let id = m
            .message_id
            .trim_matches(['<', '>'])
            .split('@')
            .next()
            .unwrap_or_default();
        let path = out.join(format!("{id}.eml"));
        std::fs::write(&path, m.message.formatted())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    })
}

fn send_all(
    opts: &Options,
    site: &crate::site::Site,
    mailer: &Mailer,
    due: &[notify::Due],
    now: i64,
) -> Result<()> {
    let smtp = site.notify.smtp.as_ref().ok_or_else(|| {
        Error::usage(
            "content/site.yaml has no `notify.smtp`",
            Some("add `notify: { smtp: { host: smtp.example.org, user: ... } }`, or use --dry-run --out DIR to write the messages as files"),
        )
    })?;
    if due.is_empty() {
        eprintln!("No message is due.");
        return Ok(());
    }
    let mut sender = Sender::new(
        smtp,
        opts.ca_file.map(|p| opts.root.join(p)).as_deref(),
        Duration::from_secs(60),
    )
    .map_err(|m| Error::usage(m, None))?;
    let mut writer = ledger::Writer::open(opts.root).map_err(|m| Error::refused(m, None))?;
    let progress = crate::progress::Progress::bar("Sending", due.len() as u64);
    let gap = opts.rate.map(|r| Duration::from_secs_f64(1.0 / r));
    let mut sent: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut refused = Vec::new();
    let mut later = Vec::new();
    let mut last_start: Option<Instant> = None;
    for d in due {
        let m = mailer.render(d, now).map_err(|e| Error::refused(e, None))?;
        let m = &m;
        let award = &d.award(site).id;
        let kind = d.kind.name();
        if let (Some(gap), Some(t)) = (gap, last_start) {
            std::thread::sleep(gap.saturating_sub(t.elapsed()));
        }
        last_start = Some(Instant::now());
        let bytes = m.message.formatted();
        let mut wait = FIRST_WAIT;
        let mut tries = 0;
        let outcome = loop {
            match sender.send(m.message.envelope(), &bytes) {
                Err(Failure::Temporary(_) | Failure::Connection(_)) if tries < RETRIES => {
                    std::thread::sleep(wait);
                    wait *= 2;
                    tries += 1;
                }
                other => break other,
            }
        };
        let entry = |sent: bool, detail: String| Entry {
            at: now,
            sent,
            award: award.clone(),
            kind: kind.clone(),
            message_id: m.message_id.clone(),
            detail,
        };
        match outcome {
            Ok(()) => {
                writer
                    .append(&entry(true, String::new()))
                    .map_err(|e| Error::refused(e, None))?;
                *sent.entry(d.kind.template()).or_default() += 1;
            }
            Err(Failure::Permanent(why)) => {
                // The server's answer may quote the address: the ledger never does.
                let detail = format!(
                    "{} {}",
                    notify::address_hash(&m.to),
                    why.replace(&m.to, "<recipient>")
                );
                writer
                    .append(&entry(false, detail))
                    .map_err(|e| Error::refused(e, None))?;
                refused.push(format!("award {award} ({kind}): {why}"));
            }
            Err(Failure::Temporary(why)) => later.push(format!("award {award} ({kind}): {why}")),
            Err(Failure::Connection(why) | Failure::Refused(why)) => {
                progress.finish(None);
                sender.close();
                report(&sent, &refused, &later);
                return Err(Error::refused(
                    format!("stopped at award {award} ({kind}): {why}"),
                    Some("nothing was sent twice; run `accolade notify` again to send the rest"),
                ));
            }
        }
        progress.inc(1);
    }
    progress.finish(None);
    sender.close();
    report(&sent, &refused, &later);
    if refused.is_empty() && later.is_empty() {
        Ok(())
    } else {
        Err(Error::refused(
            format!(
                "{} not delivered",
                count(refused.len() + later.len(), "message")
            ),
            Some(
                "refused addresses are skipped until the earner's address changes; the others go with the next run",
            ),
        ))
    }
}

fn report(sent: &BTreeMap<&'static str, usize>, refused: &[String], later: &[String]) {
    let total: usize = sent.values().sum();
    let kinds: Vec<String> = sent.iter().map(|(k, n)| format!("{n} {k}")).collect();
    let mut err = std::io::stderr().lock();
    let _ = writeln!(
        err,
        "Sent {} ({}).",
        count(total, "message"),
        kinds.join(", ")
    );
    for r in refused {
        let _ = writeln!(err, "refused: {r}");
    }
    for l in later {
        let _ = writeln!(err, "not now (the server asked to try later): {l}");
    }
}

fn print_status(ledger: &Ledger, plan: &notify::Plan) {
    let mut sent: BTreeMap<String, usize> = BTreeMap::new();
    for e in ledger.entries.iter().filter(|e| e.sent) {
        let kind = e.kind.split('-').next().unwrap_or_default().to_string();
        *sent.entry(kind).or_default() += 1;
    }
    let line = |m: &BTreeMap<String, usize>| {
        if m.is_empty() {
            "none".to_string()
        } else {
            m.iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect::<Vec<_>>()
                .join(", ")
        }
    };
    println!("sent: {}", line(&sent));
    for e in &plan.refused {
        println!(
            "refused: award {} ({}) on {}: {}",
            e.award,
            e.kind,
            crate::dates::timestamp(e.at),
            e.detail.split_once(' ').map_or("", |(_, why)| why)
        );
    }
    let mut due: BTreeMap<String, usize> = BTreeMap::new();
    for d in &plan.due {
        *due.entry(d.kind.template().to_string()).or_default() += 1;
    }
    println!("due now: {}", line(&due));
    if plan.older > 0 {
        println!(
            "left out (issued before --since; --backfill sends them): {}",
            plan.older
        );
    }
    if plan.opted_out > 0 {
        println!("not sent, unsubscribed: {}", plan.opted_out);
    }
}

/// `accolade unsubscribe EMAIL|EARNER...`: no more messages to them.
pub fn unsubscribe(root: &Path, who: &[String]) -> Result<()> {
    if who.is_empty() {
        return Err(Error::usage(
            "no one named",
            Some("give an earner id or an email address"),
        ));
    }
    let (content, diags) = crate::content::load_complete(root);
    let content = content.ok_or_else(|| Error::invalid(diags, "the content has errors"))?;
    let ids: Vec<&str> = content
        .earners
        .iter()
        .map(|e| e.record.id.value.trim())
        .collect();
    let mut lines = Vec::new();
    for w in who {
        let w = w.trim();
        if w.contains('@') {
            lines.push(notify::address_hash(w));
        } else if ids.contains(&w) {
            lines.push(w.to_string());
        } else {
            return Err(Error::usage(
                format!("`{w}` is neither an email address nor an earner id"),
                Some(&crate::diagnostics::suggest(
                    w,
                    ids.iter().copied(),
                    "give the earner's id as in content/earners/, or their address",
                )),
            ));
        }
    }
    std::fs::create_dir_all(root.join(ledger::DIR))
        .map_err(|e| Error::refused(e.to_string(), None))?;
    let mut file = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.join(ledger::UNSUBSCRIBED))
        .map_err(|e| {
            Error::refused(format!("cannot open `{}`: {e}", ledger::UNSUBSCRIBED), None)
        })?;
    for l in &lines {
        writeln!(file, "{l}").map_err(|e| Error::refused(e.to_string(), None))?;
    }
    eprintln!(
        "Recorded {} in {}: `accolade notify` sends them nothing more.",
        count(lines.len(), "opt-out"),
        ledger::UNSUBSCRIBED
    );
    Ok(())
}
