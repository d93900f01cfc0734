//! Reaching earners: `accolade notify` against a real SMTP server (aiosmtpd,
//! tests/notify/smtp_sink.py), every delivered message read back with
//! Python's email parser; claim pages, `accept` and `decline` end to end.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use serde_json::Value;

use crate::common::*;
use crate::validators::tool;

const PASSWORD: &str = "s3cret-for-tests";

/// The SMTP server: a child process that keeps what it accepts in `out`.
struct Sink {
    child: Child,
    port: u16,
    out: PathBuf,
}

impl Sink {
    fn start(dir: &Path, mode: &str, tls: Option<&Tls>, extra: &[&str]) -> Sink {
        let out = dir.join(format!("received-{}", free_port()));
        let mut cmd = Command::new(tool("ACCOLADE_TEST_PYTHON"));
        cmd.arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/notify/smtp_sink.py"))
            .args(["--mode", mode, "--outdir", out.to_str().unwrap()])
            .args(["--auth", &format!("accolade:{PASSWORD}")])
            .args(extra)
            .stdout(Stdio::piped());
        if let Some(t) = tls {
            cmd.args([
                "--cert",
                t.cert.to_str().unwrap(),
                "--key",
                t.key.to_str().unwrap(),
            ]);
        }
        let mut child = cmd.spawn().expect("start the SMTP server");
        let mut line = String::new();
        std::io::BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .unwrap();
        let port = line
            .strip_prefix("READY ")
            .and_then(|p| p.trim().parse().ok())
            .unwrap_or_else(|| panic!("the SMTP server did not start: `{line}`"));
        Sink { child, port, out }
    }

    /// Every message received, parsed by Python's `email` package.
    fn messages(&self) -> Vec<Value> {
        if !self.out.is_dir() {
            return Vec::new();
        }
        json_lines(
            Command::new(tool("ACCOLADE_TEST_PYTHON"))
                .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/notify/read_mail.py"))
                .arg(&self.out),
            "read_mail.py",
        )
    }

    /// The raw bytes of every message received.
    fn raw(&self) -> Vec<Vec<u8>> {
        files(&self.out)
            .into_iter()
            .filter(|p| p.extension().is_some_and(|e| e == "eml"))
            .map(|p| std::fs::read(self.out.join(p)).unwrap())
            .collect()
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server certificate for 127.0.0.1 and the CA that signed it, as files.
struct Tls {
    cert: PathBuf,
    key: PathBuf,
    ca: PathBuf,
}

fn tls_files(dir: &Path) -> Tls {
    let ca = test_ca();
    let t = Tls {
        cert: dir.join("server.pem"),
        key: dir.join("server.key"),
        ca: dir.join("ca.pem"),
    };
    std::fs::write(&t.cert, ca.cert_pem).unwrap();
    std::fs::write(&t.key, ca.key_pem).unwrap();
    std::fs::write(&t.ca, ca.ca_pem).unwrap();
    t
}

/// The example site, set to send to 127.0.0.1:`port`.
fn site(dir: &Path, port: u16, security: &str) -> PathBuf {
    example_copy(dir, |text| {
        format!(
            "{text}\nnotify:\n  from: Quillmoor Academy Credentials <credentials@quillmoor.example.org>\n  smtp: {{ host: 127.0.0.1, port: {port}, security: {security}, user: accolade }}\n"
        )
    })
}

fn set_port(root: &Path, port: u16) {
    let path = root.join("content/site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let at = text.rfind("port: ").unwrap();
    let end = at + text[at..].find(',').unwrap();
    std::fs::write(
        &path,
        format!("{}port: {port}{}", &text[..at], &text[end..]),
    )
    .unwrap();
}

fn notify(root: &Path, args: &[&str]) -> Run {
    notify_with(root, args, PASSWORD)
}

fn notify_with(root: &Path, args: &[&str], password: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_accolade"))
        .arg("notify")
        .args(args)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", NOW.to_string())
        .env("ACCOLADE_SMTP_PASSWORD", password)
        .env_remove("ACCOLADE_SIGNING_KEY")
        .output()
        .unwrap();
    Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

/// The message's award and kind, from its Message-ID `<award.kind@host>`.
fn award_kind(m: &Value) -> (String, String) {
    let id = m["message_id"].as_str().unwrap().trim_matches(['<', '>']);
    let left = id.split('@').next().unwrap();
    let (award, kind) = left.split_once('.').unwrap();
    (award.to_ascii_uppercase(), kind.to_string())
}

/// The file of the built site an absolute URL of it names, if any.
fn site_file(public: &Path, url: &str) -> Option<PathBuf> {
    let path = url.strip_prefix("https://credentials.example.org/")?;
    let path = path.split(['?', '#']).next().unwrap();
    let file = if path.is_empty() || path.ends_with('/') {
        public.join(path).join("index.html")
    } else {
        public.join(path)
    };
    Some(file)
}

fn urls(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '"' || c == '<' || c == '>')
        .filter(|w| w.starts_with("https://"))
        .map(|w| w.trim_end_matches(['.', ',', ')']).replace("&amp;", "&"))
        .collect()
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn every_earner_gets_each_message_once_over_starttls_in_their_language() {
    let tmp = tempfile::tempdir().unwrap();
    let tls = tls_files(tmp.path());
    let sink = Sink::start(tmp.path(), "starttls", Some(&tls), &[]);
    let root = site(tmp.path(), sink.port, "starttls");
    let public = tmp.path().join("public");
    let built = run_in(&root, &["build", "--out", public.to_str().unwrap()]);
    assert_eq!(built.code, 0, "{}", built.stderr);
    let model = accolade::build::load(&root, None, NOW).ok().unwrap().site;

    let r = notify(
        &root,
        &[
            "--backfill",
            "--rate",
            "off",
            "--ca-file",
            tls.ca.to_str().unwrap(),
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let messages = sink.messages();
    assert!(!messages.is_empty());

    // One message per award and kind, each to its own earner only.
    let mut seen = BTreeSet::new();
    let emails: HashMap<&str, &accolade::site::Earner> = model
        .earners
        .iter()
        .map(|e| (e.email.as_str(), e))
        .collect();
    let raw = sink.raw();
    for (m, bytes) in messages.iter().zip(&raw) {
        assert!(seen.insert(award_kind(m)), "twice: {m}");
        assert_eq!(m["defects"], serde_json::json!([]), "{m}");
        let to = m["to"].as_array().unwrap();
        assert_eq!(to.len(), 1, "{m}");
        let (name, address) = (to[0][0].as_str().unwrap(), to[0][1].as_str().unwrap());
        let earner = emails[address];
        assert_eq!(name, earner.name, "the name arrives as written (RFC 2047)");
        assert_eq!(m["language"], earner.language.as_str());
        assert_eq!(m["auto_submitted"], "auto-generated");
        assert!(
            m["reply_to"]
                .as_str()
                .unwrap()
                .contains("credentials@quillmoor.example.org")
        );
        assert!(
            m["list_unsubscribe"]
                .as_str()
                .unwrap()
                .starts_with("<mailto:credentials@quillmoor.example.org?")
        );
        assert!(
            m["date"].as_str().unwrap().contains("01 Nov 2026"),
            "{}",
            m["date"]
        );
        let text = m["text"].as_str().unwrap();
        assert!(text.contains(&earner.name), "{text}");
        // No address of another earner anywhere in the message.
        let raw_text = String::from_utf8_lossy(bytes);
        for other in model.earners.iter().filter(|e| e.email != earner.email) {
            assert!(
                !raw_text.contains(&other.email),
                "{} in {}'s message",
                other.email,
                earner.name
            );
        }
        // Every link into the site names a file the build wrote.
        for url in urls(text).iter().chain(&urls(m["html"].as_str().unwrap())) {
            if let Some(file) = site_file(&public, url) {
                assert!(file.is_file(), "{url} in {} leads nowhere", m["file"]);
            }
        }
    }
    // What was due is what came: every published valid award's `issued`
    // message and every pending claim's `claim` message.
    let kinds: BTreeMap<String, usize> = seen.iter().fold(BTreeMap::new(), |mut k, (_, kind)| {
        *k.entry(kind.split('-').next().unwrap().to_string())
            .or_default() += 1;
        k
    });
    let valid = model
        .awards
        .iter()
        .filter(|a| a.status == accolade::site::Status::Valid)
        .count();
    assert_eq!(kinds["issued"], valid);
    let pending = model
        .claims
        .iter()
        .filter(|c| matches!(c.of, accolade::site::ClaimOf::Pending(_)))
        .count();
    assert_eq!(kinds["claim"], pending);

    // Both languages, Chinese subjects and names intact.
    let li_lei: Vec<&Value> = messages
        .iter()
        .filter(|m| m["to"][0][0] == "李雷")
        .collect();
    assert!(!li_lei.is_empty());
    for m in &li_lei {
        assert_eq!(m["language"], "zh-CN");
        assert!(
            m["subject"]
                .as_str()
                .unwrap()
                .starts_with("您的徽章已就绪："),
            "{}",
            m["subject"]
        );
        assert!(m["text"].as_str().unwrap().contains("李雷，您好"));
        assert!(
            m["text"]
                .as_str()
                .unwrap()
                .contains("https://credentials.example.org/zh-CN/verify/")
        );
    }
    let english = messages
        .iter()
        .find(|m| m["language"] == "en" && award_kind(m).1 == "issued")
        .unwrap();
    assert!(
        english["subject"]
            .as_str()
            .unwrap()
            .starts_with("Your badge is ready: ")
    );
    assert!(
        english["text"]
            .as_str()
            .unwrap()
            .contains("https://www.linkedin.com/profile/add?")
    );
    let claim = messages
        .iter()
        .find(|m| award_kind(m).1 == "claim")
        .unwrap();
    assert!(
        urls(claim["text"].as_str().unwrap())
            .iter()
            .any(|u| u.contains("/claim/"))
    );

    // Over TLS, logged in, on one connection.
    let metas: Vec<Value> = files(&sink.out)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| serde_json::from_str(&std::fs::read_to_string(sink.out.join(p)).unwrap()).unwrap())
        .collect();
    assert!(
        metas
            .iter()
            .all(|m| m["tls"] == true && m["login"] == "accolade")
    );
    let peers: BTreeSet<String> = metas.iter().map(|m| m["peer"].to_string()).collect();
    assert_eq!(peers.len(), 1, "one connection for the batch: {peers:?}");

    // A second run has nothing to send; the status says what was sent.
    let again = notify(
        &root,
        &[
            "--backfill",
            "--rate",
            "off",
            "--ca-file",
            tls.ca.to_str().unwrap(),
        ],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert!(
        again.stderr.contains("No message is due"),
        "{}",
        again.stderr
    );
    assert_eq!(sink.messages().len(), messages.len());
    let status = notify(&root, &["--status"]);
    assert!(
        status
            .stdout
            .contains(&format!("{} issued", kinds["issued"])),
        "{}",
        status.stdout
    );
    assert!(status.stdout.contains("due now: none"), "{}", status.stdout);
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn the_first_run_mails_recent_awards_only_and_says_what_backfill_would_send() {
    let tmp = tempfile::tempdir().unwrap();
    let sink = Sink::start(tmp.path(), "plain", None, &[]);
    let root = site(tmp.path(), sink.port, "none");
    let r = notify(&root, &["--rate", "off"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let sent = sink.messages().len();
    let (loaded, _) = accolade::build::resolve(&root, None, NOW);
    let model = loaded.unwrap().1;
    let recent = model
        .awards
        .iter()
        .filter(|a| {
            a.status == accolade::site::Status::Valid
                && NOW / 86_400 - a.issued_on.days_since_epoch() <= 7
        })
        .count();
    assert!(
        sent >= recent && sent < model.awards.len(),
        "{sent} sent, {recent} recent"
    );
    assert!(
        r.stderr.contains("left out; `--backfill` would send them")
            || r.stderr.contains("`--backfill` would send them"),
        "{}",
        r.stderr
    );
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn refused_and_delayed_recipients_are_named_and_the_ledger_is_right() {
    let tmp = tempfile::tempdir().unwrap();
    // 韩梅梅's mailbox does not exist; 李雷's server says "later" once.
    let sink = Sink::start(
        tmp.path(),
        "plain",
        None,
        &[
            "--reject",
            "hanmeimei@example.com",
            "--tempfail-once",
            "lilei@example.com",
        ],
    );
    let root = site(tmp.path(), sink.port, "none");
    let r = notify(&root, &["--backfill", "--rate", "off"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let ledger = std::fs::read_to_string(root.join("notify/ledger.tsv")).unwrap();
    let (loaded, _) = accolade::build::resolve(&root, None, NOW);
    let model = loaded.unwrap().1;
    let of = |email: &str| -> Vec<String> {
        model
            .awards
            .iter()
            .filter(|a| {
                model.earners[a.earner].email == email && a.status == accolade::site::Status::Valid
            })
            .map(|a| a.id.clone())
            .collect()
    };
    for id in of("hanmeimei@example.com") {
        assert!(
            r.stderr.contains(&format!("refused: award {id} (issued)")),
            "{}",
            r.stderr
        );
        assert!(r.stderr.contains("550"), "{}", r.stderr);
        let line = ledger.lines().find(|l| l.contains(&id)).unwrap();
        assert!(
            line.contains("\tfailed\t") && !line.contains("hanmeimei@"),
            "{line}"
        );
    }
    let delivered: BTreeSet<(String, String)> = sink.messages().iter().map(award_kind).collect();
    for id in of("lilei@example.com") {
        assert!(
            delivered.contains(&(id.clone(), "issued".into())),
            "451 then accepted: {id}"
        );
        assert!(
            ledger
                .lines()
                .any(|l| l.contains(&id) && l.contains("\tsent\t"))
        );
    }
    // A rerun neither repeats what went nor retries a refused address.
    let count = sink.messages().len();
    let again = notify(&root, &["--backfill", "--rate", "off"]);
    assert_eq!(again.code, 0, "{}", again.stderr);
    assert_eq!(sink.messages().len(), count);
    let status = notify(&root, &["--status"]);
    assert!(
        status.stdout.contains("refused: award"),
        "{}",
        status.stdout
    );
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn an_unreachable_server_and_a_refused_login_stop_the_run_with_a_clear_error() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path(), free_port(), "none");
    let r = notify(&root, &["--backfill", "--rate", "off"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("cannot connect to 127.0.0.1:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("stopped at award "), "{}", r.stderr);
    assert!(
        !root.join("notify/ledger.tsv").exists()
            || std::fs::read_to_string(root.join("notify/ledger.tsv"))
                .unwrap()
                .is_empty()
    );

    let sink = Sink::start(tmp.path(), "plain", None, &[]);
    set_port(&root, sink.port);
    let r = notify_with(&root, &["--backfill", "--rate", "off"], "wrong");
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("login refused by 127.0.0.1:"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("535"), "{}", r.stderr);
    assert!(sink.messages().is_empty());
}

#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn implicit_tls_needs_the_private_ca() {
    let tmp = tempfile::tempdir().unwrap();
    let tls = tls_files(tmp.path());
    let sink = Sink::start(tmp.path(), "tls", Some(&tls), &[]);
    let root = site(tmp.path(), sink.port, "tls");
    let r = notify(&root, &["--rate", "off"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("certificate"),
        "an unknown CA is refused: {}",
        r.stderr
    );
    let r = notify(
        &root,
        &["--rate", "off", "--ca-file", tls.ca.to_str().unwrap()],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!sink.messages().is_empty());
}

/// A run killed at random moments, while the server takes its time over
/// each message, loses nothing and repeats at most the message in flight.
#[test]
#[ignore = "needs the reference tools installed by scripts/test"]
fn a_killed_run_resumes_and_only_the_message_in_flight_can_come_twice() {
    let tmp = tempfile::tempdir().unwrap();
    let sink = Sink::start(tmp.path(), "plain", None, &["--delay", "0.15"]);
    let root = site(tmp.path(), sink.port, "none");
    let mut kills = 0;
    let mut rng = 0x9e37_79b9_u64;
    while kills < 10 {
        let before = sink.raw().len();
        let mut child = Command::new(env!("CARGO_BIN_EXE_accolade"))
            .args(["notify", "--backfill", "--rate", "off", "--root"])
            .arg(&root)
            .env("SOURCE_DATE_EPOCH", NOW.to_string())
            .env("ACCOLADE_SMTP_PASSWORD", PASSWORD)
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        // Wait until the run has sent something, then a random moment more.
        let start = std::time::Instant::now();
        while sink.raw().len() == before && start.elapsed().as_secs() < 60 {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        std::thread::sleep(std::time::Duration::from_millis(rng % 300));
        if child.try_wait().unwrap().is_some() {
            break; // finished before the kill: nothing left to interrupt
        }
        child.kill().unwrap();
        child.wait().unwrap();
        kills += 1;
    }
    assert!(kills >= 10, "only {kills} kills landed mid-run");
    let r = notify(&root, &["--backfill", "--rate", "off"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let messages = sink.messages();
    let mut count: BTreeMap<(String, String), usize> = BTreeMap::new();
    for m in &messages {
        *count.entry(award_kind(m)).or_default() += 1;
    }
    let twice: Vec<_> = count.iter().filter(|(_, n)| **n > 1).collect();
    assert!(twice.iter().all(|(_, n)| **n == 2), "{twice:?}");
    assert!(
        twice.len() <= kills,
        "at most one message in flight per kill: {twice:?}"
    );
    // Every message due was delivered.
    let status = notify(&root, &["--status"]);
    assert!(status.stdout.contains("due now: none"), "{}", status.stdout);
}

#[test]
fn dry_run_writes_the_messages_as_files_and_sends_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), |t| t);
    let out = tmp.path().join("outbox");
    let r = notify(
        &root,
        &["--dry-run", "--out", out.to_str().unwrap(), "--backfill"],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    let emls = files(&out);
    assert!(emls.len() > 50, "{}", emls.len());
    assert!(
        !root.join("notify/ledger.tsv").exists(),
        "a dry run records nothing"
    );
    // The same content and time give the same bytes.
    let out2 = tmp.path().join("outbox2");
    notify(
        &root,
        &["--dry-run", "--out", out2.to_str().unwrap(), "--backfill"],
    );
    for f in &emls {
        assert_eq!(
            std::fs::read(out.join(f)).unwrap(),
            std::fs::read(out2.join(f)).unwrap(),
            "{f:?}"
        );
    }
    // Without SMTP settings, sending says what to add.
    let r = notify(&root, &[]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("notify.smtp"), "{}", r.stderr);
}

#[test]
fn unsubscribed_earners_get_nothing_more() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), |t| t);
    let r = run_in(&root, &["unsubscribe", "e-li-lei", "hanmeimei@example.com"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let optouts = std::fs::read_to_string(root.join("notify/unsubscribed.txt")).unwrap();
    assert!(
        !optouts.contains("hanmeimei@"),
        "addresses are kept as hashes only"
    );
    let out = tmp.path().join("outbox");
    notify(
        &root,
        &["--dry-run", "--out", out.to_str().unwrap(), "--backfill"],
    );
    for f in files(&out) {
        let text = std::fs::read_to_string(out.join(f)).unwrap();
        assert!(!text.contains("lilei@example.com") && !text.contains("hanmeimei@example.com"));
    }
    let r = run_in(&root, &["unsubscribe", "e-nobody"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
}

/// The messages a dry run as of `now` would send: (award, kind) pairs.
fn due_at(root: &Path, dir: &Path, now: i64, extra: &[&str]) -> BTreeSet<(String, String)> {
    let out = dir.join(format!("due-{now}-{}", free_port()));
    let mut args = vec!["notify", "--dry-run", "--out", out.to_str().unwrap()];
    args.extend(extra);
    let r = run_at(root, &args, now);
    assert_eq!(r.code, 0, "{}", r.stderr);
    files(&out)
        .iter()
        .map(|f| {
            let name = f
                .file_name()
                .unwrap()
                .to_str()
                .unwrap()
                .trim_end_matches(".eml");
            let (award, kind) = name.split_once('.').unwrap();
            (award.to_ascii_uppercase(), kind.to_string())
        })
        .collect()
}

/// Records messages as sent at `at` in the site's ledger, as `notify` does.
fn record_sent(root: &Path, at: i64, sent: &BTreeSet<(String, String)>) {
    let mut ledger = accolade::notify::ledger::Writer::open(root).unwrap();
    for (award, kind) in sent {
        ledger
            .append(&accolade::notify::Entry {
                at,
                sent: true,
                award: award.clone(),
                kind: kind.clone(),
                message_id: format!("<{}.{kind}@x>", award.to_lowercase()),
                detail: String::new(),
            })
            .unwrap();
    }
}

const DAY: i64 = 86_400;

/// Claims are reminded of after `unclaimed_reminder_days`, at most
/// `unclaimed_reminders` times, never once declined; expiry is announced
/// `expiry_reminder_days` before, once.
#[test]
fn reminders_come_when_due_and_stop_when_they_should() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), |t| t);
    let first = due_at(&root, tmp.path(), NOW, &["--backfill"]);
    let claims: BTreeSet<_> = first
        .iter()
        .filter(|(_, k)| k == "claim")
        .cloned()
        .collect();
    assert!(claims.len() >= 2, "{first:?}");
    record_sent(&root, NOW, &first);
    assert!(
        due_at(&root, tmp.path(), NOW, &["--backfill"]).is_empty(),
        "all sent"
    );

    let reminders = |at: i64| -> BTreeSet<(String, String)> {
        due_at(&root, tmp.path(), at, &[])
            .into_iter()
            .filter(|(_, k)| k.starts_with("unclaimed"))
            .collect()
    };
    assert!(reminders(NOW + 13 * DAY).is_empty(), "too early");
    let one = reminders(NOW + 14 * DAY);
    let expected: BTreeSet<_> = claims
        .iter()
        .map(|(a, _)| (a.clone(), "unclaimed-1".to_string()))
        .collect();
    assert_eq!(one, expected);
    record_sent(&root, NOW + 14 * DAY, &one);
    assert!(
        reminders(NOW + 27 * DAY).is_empty(),
        "14 days after the first reminder, not the claim"
    );
    // One earner declines meanwhile: no more reminders for that award.
    let declined = &claims.iter().next().unwrap().0;
    let r = run_at(&root, &["decline", declined], NOW + 20 * DAY);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let two = reminders(NOW + 28 * DAY);
    assert_eq!(two.len(), claims.len() - 1, "{two:?}");
    assert!(two.iter().all(|(a, k)| k == "unclaimed-2" && a != declined));
    record_sent(&root, NOW + 28 * DAY, &two);
    assert!(
        reminders(NOW + 90 * DAY).is_empty(),
        "at most two reminders"
    );

    // Expiry: some award of the example expires within 60 days of a later
    // day; its reminder comes once.
    let (at, expiry) = (1..48)
        .map(|m| NOW + m * 30 * DAY)
        .find_map(|at| {
            let due: BTreeSet<_> = due_at(&root, tmp.path(), at, &[])
                .into_iter()
                .filter(|(_, k)| k.starts_with("expiry-"))
                .collect();
            (!due.is_empty()).then_some((at, due))
        })
        .expect("an expiry reminder within four years");
    record_sent(&root, at, &expiry);
    let again: Vec<_> = due_at(&root, tmp.path(), at + 10 * DAY, &[])
        .into_iter()
        .filter(|(_, k)| k.starts_with("expiry-"))
        .collect();
    assert!(again.iter().all(|e| !expiry.contains(e)), "{again:?}");
}

/// `accept` and `decline` check every name first and write nothing if any
/// is wrong; each problem names the award or the line it came from.
#[test]
fn accept_and_decline_refuse_what_they_cannot_record() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), |t| t);
    let before = std::fs::read_to_string(root.join("content/awards/2025.yaml")).unwrap();
    let model = accolade::build::load(&root, None, NOW).ok().unwrap().site;
    let published = &model.awards[0].id;
    std::fs::write(
        root.join("answers.txt"),
        "Accept badge nosuchcode\n# a comment\n",
    )
    .unwrap();
    let r = run_in(&root, &["decline", published, "--from", "answers.txt"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("`Accept badge nosuchcode` names no award\n --> answers.txt:1:1"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr
            .contains(&format!("award `{published}` was accepted already")),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("`accolade revoke`"), "{}", r.stderr);
    assert!(r.stderr.contains("nothing was declined"), "{}", r.stderr);
    assert_eq!(
        std::fs::read_to_string(root.join("content/awards/2025.yaml")).unwrap(),
        before
    );
    let r = run_in(&root, &["accept", "--on", "2099-01-01", published]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("is in the future"), "{}", r.stderr);
}

/// With `claims.accept` a form's address, the claim page's one button
/// leads there with the claim code in place of `{token}`.
#[test]
fn a_claim_page_can_send_earners_to_the_issuers_form() {
    let tmp = tempfile::tempdir().unwrap();
    let root = example_copy(tmp.path(), |t| {
        format!("{t}\nclaims:\n  accept: https://forms.example.org/claim?code={{token}}&src=mail\n")
    });
    let public = tmp.path().join("public");
    let r = run_in(&root, &["build", "--out", public.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let model = accolade::build::load(&root, None, NOW).ok().unwrap().site;
    let claim = model
        .claims
        .iter()
        .find(|c| matches!(c.of, accolade::site::ClaimOf::Pending(_)))
        .unwrap();
    let page =
        std::fs::read_to_string(public.join(format!("claim/{}/index.html", claim.token))).unwrap();
    let form = format!(
        "https://forms.example.org/claim?code={}&amp;src=mail",
        claim.token
    );
    assert!(page.contains(&form), "{page}");
    assert!(
        !page.contains("mailto:"),
        "no decline message: the form takes both answers"
    );
    assert!(
        !page.contains("@example.com"),
        "no earner's address on a claim page"
    );
}
