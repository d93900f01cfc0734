//! The issuer's report: `accolade report` on a copy of the example site
//! (a declined award and a send ledger added), its `--json` numbers
//! checked against numbers worked out here straight from the content's
//! YAML, with the rules written out again; its CSV files; its HTML, which
//! must carry no email address, load nothing and give every chart a text
//! alternative; what it says about a bad destination; and, in headless
//! Chromium, the page at a phone's and a desktop's width, printed, and
//! audited by axe-core.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};
use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use crate::browser::run_script_on;
use crate::common::*;

/// The report's day: 2027-03-01, when four of the example's awards
/// expire within 90 days.
const AT: i64 = 1_803_859_200;
const TODAY: &str = "2027-03-01";

/// A declined award, so every answer occurs.
const DECLINED: &str = "\n- id: DECL2222AAAA\n  badge: dat-100\n  earner: e-liu-yang\n  issued_on: 2026-12-01\n  declined_on: 2026-12-05\n";

// ---- the content, read and judged here, not by accolade ----

/// Days since 1970-01-01 of `YYYY-MM-DD` (Hinnant's days_from_civil).
fn days(date: &str) -> i64 {
    let y: i64 = date[0..4].parse().unwrap();
    let m: i64 = date[5..7].parse().unwrap();
    let d: i64 = date[8..10].parse().unwrap();
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn month_len(y: i64, m: i64) -> i64 {
    match m {
        2 if (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// `issued` plus a validity (`2y`, `18m`, `90d`), as `YYYY-MM-DD`; a day
/// the month lacks is its last.
fn add_validity(issued: &str, validity: &str) -> String {
    let (n, unit) = validity.split_at(validity.len() - 1);
    let n: i64 = n.parse().unwrap();
    let (y, m, d): (i64, i64, i64) = (
        issued[0..4].parse().unwrap(),
        issued[5..7].parse().unwrap(),
        issued[8..10].parse().unwrap(),
    );
    let months = match unit {
        "y" => 12 * n,
        "m" => n,
        _ => {
            // Days: back from the day count.
            let target = days(issued) + n;
            let mut date = (y, 1, 1);
            while days(&format!("{:04}-{:02}-{:02}", date.0, date.1, date.2)) < target {
                date.2 += 1;
                if date.2 > month_len(date.0, date.1) {
                    date = (date.0 + (date.1 == 12) as i64, date.1 % 12 + 1, 1);
                }
            }
            return format!("{:04}-{:02}-{:02}", date.0, date.1, date.2);
        }
    };
    let total = y * 12 + (m - 1) + months;
    let (y, m) = (total / 12, total % 12 + 1);
    format!("{y:04}-{m:02}-{:02}", d.min(month_len(y, m)))
}

fn yaml_files(dir: &Path) -> Vec<Value> {
    let mut out = Vec::new();
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    paths.sort();
    for p in paths {
        let text = std::fs::read_to_string(&p).unwrap();
        let v: Value = serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{p:?}: {e}"));
        match v {
            Value::Array(items) => out.extend(items),
            other => out.push(other),
        }
    }
    out
}

/// A text of the content in English (plain, or a map by language).
fn en(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Object(m) => m["en"].as_str().unwrap().to_string(),
        other => panic!("not a text: {other}"),
    }
}

fn s<'a>(v: &'a Value, key: &str) -> Option<&'a str> {
    v.get(key).and_then(Value::as_str)
}

struct Badge {
    kind: String,
    badged: bool,
    validity: Option<String>,
    requires: Vec<String>,
    skills: BTreeSet<String>,
}

#[derive(Debug)]
struct Award {
    id: String,
    badge: String,
    earner: String,
    issued_on: String,
    /// automatic, claimed, pending, declined
    answer: &'static str,
    revoked_on: Option<String>,
    expires_on: Option<String>,
    /// valid, expired, revoked
    status: &'static str,
}

impl Award {
    fn accepted(&self) -> bool {
        matches!(self.answer, "automatic" | "claimed")
    }
}

struct Content {
    badges: BTreeMap<String, Badge>,
    /// earner id → (name, email, profile)
    earners: HashMap<String, (String, String, String)>,
    awards: Vec<Award>,
}

fn read_content(root: &Path, today: &str) -> Content {
    let badges: BTreeMap<String, Badge> = yaml_files(&root.join("content/badges"))
        .into_iter()
        .map(|b| {
            let skills = b
                .get("skills")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(en).collect())
                .unwrap_or_default();
            let requires = b
                .get("requires")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|x| x.as_str().unwrap().to_string()).collect())
                .unwrap_or_default();
            (
                s(&b, "id").unwrap().to_string(),
                Badge {
                    kind: s(&b, "kind").unwrap().to_string(),
                    badged: b.get("badged").and_then(Value::as_bool).unwrap_or(true),
                    validity: s(&b, "validity").map(str::to_string),
                    requires,
                    skills,
                },
            )
        })
        .collect();
    let mut auto = HashMap::new();
    let earners = yaml_files(&root.join("content/earners"))
        .into_iter()
        .map(|e| {
            let id = s(&e, "id").unwrap().to_string();
            auto.insert(
                id.clone(),
                e.get("auto_accept")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
            );
            let profile = s(&e, "profile").unwrap_or("unlisted").to_string();
            let name = s(&e, "name").unwrap().to_string();
            let email = s(&e, "email").unwrap().to_string();
            (id, (name, email, profile))
        })
        .collect();
    let awards = yaml_files(&root.join("content/awards"))
        .into_iter()
        .map(|a| {
            let earner = s(&a, "earner").unwrap().to_string();
            let badge = s(&a, "badge").unwrap().to_string();
            let issued_on = s(&a, "issued_on").unwrap().to_string();
            let answer = match (
                a.get("declined_on"),
                a.get("accepted").and_then(Value::as_bool),
            ) {
                (Some(_), _) => "declined",
                (None, Some(true)) if !auto[&earner] || a.get("accepted_on").is_some() => "claimed",
                (None, Some(true)) => "automatic",
                (None, Some(false)) => "pending",
                (None, None) if auto[&earner] => "automatic",
                (None, None) => "pending",
            };
            let revoked_on = a.get("revoked").map(|r| s(r, "on").unwrap().to_string());
            let expires_on = s(&a, "expires_on").map(str::to_string).or_else(|| {
                badges[&badge]
                    .validity
                    .as_deref()
                    .map(|v| add_validity(&issued_on, v))
            });
            let status = if revoked_on.is_some() {
                "revoked"
            } else if expires_on.as_deref().is_some_and(|e| e <= today) {
                "expired"
            } else {
                "valid"
            };
            Award {
                id: s(&a, "id").unwrap().to_string(),
                badge,
                earner,
                issued_on,
                answer,
                revoked_on,
                expires_on,
                status,
            }
        })
        .collect();
    Content {
        badges,
        earners,
        awards,
    }
}

impl Content {
    /// Accepted, badged, neither revoked nor expired.
    fn held(&self, a: &Award) -> bool {
        a.accepted() && self.badges[&a.badge].badged && a.status == "valid"
    }

    /// The README's rules: accepted, not a private earner's, badged, and
    /// not an exam a held, unrevoked single-exam certification supersedes.
    fn published(&self) -> Vec<&Award> {
        let candidates: Vec<&Award> = self
            .awards
            .iter()
            .filter(|a| {
                a.accepted()
                    && self.earners[&a.earner].2 != "private"
                    && self.badges[&a.badge].badged
            })
            .collect();
        let superseding: HashSet<(&str, &str)> = candidates
            .iter()
            .filter(|a| a.status != "revoked")
            .filter_map(|a| match &self.badges[&a.badge].requires[..] {
                [exam] => Some((a.earner.as_str(), exam.as_str())),
                _ => None,
            })
            .collect();
        candidates
            .into_iter()
            .filter(|a| !superseding.contains(&(a.earner.as_str(), a.badge.as_str())))
            .collect()
    }
}

// ---- running it ----

fn site(dir: &Path) -> PathBuf {
    let root = example_copy(dir, |t| t);
    let awards = root.join("content/awards/2026.yaml");
    let mut text = std::fs::read_to_string(&awards).unwrap();
    text.push_str(DECLINED);
    std::fs::write(&awards, text).unwrap();
    root
}

fn report_json(root: &Path) -> Value {
    let r = run_at(root, &["report", "--json"], AT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    serde_json::from_str(&r.stdout).unwrap_or_else(|e| panic!("{e}: {}", r.stdout))
}

fn n(v: &Value) -> u64 {
    v.as_u64().unwrap_or_else(|| panic!("not a count: {v}"))
}

#[test]
fn the_numbers_are_the_contents() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let c = read_content(&root, TODAY);
    // The ledger: the soonest expiry reminder sent, the next refused for
    // good (the server's answer names the address; the report must not).
    let mut soon: Vec<&Award> = c
        .published()
        .into_iter()
        .filter(|a| a.status == "valid")
        .filter(|a| {
            a.expires_on
                .as_deref()
                .is_some_and(|e| (1..=90).contains(&(days(e) - days(TODAY))))
        })
        .collect();
    soon.sort_by_key(|a| (a.expires_on.clone(), a.id.clone()));
    assert!(
        soon.len() >= 3,
        "the example needs awards expiring in 90 days: {soon:?}"
    );
    let (sent, bounced) = (soon[0], soon[1]);
    let bounced_email = &c.earners[&bounced.earner].1;
    let line = |state: &str, a: &Award, detail: &str| {
        let kind = format!("expiry-{}", a.expires_on.as_deref().unwrap());
        format!(
            "2027-02-20T09:00:00Z\t{state}\t{}\t{kind}\t<{}.{kind}@credentials.example.org>\t{detail}\n",
            a.id, a.id
        )
    };
    std::fs::create_dir_all(root.join("notify")).unwrap();
    std::fs::write(
        root.join("notify/ledger.tsv"),
        line("sent", sent, "")
            + &line(
                "failed",
                bounced,
                &format!("sha256:00 550 5.1.1 <{bounced_email}>: no such user"),
            ),
    )
    .unwrap();

    let r = report_json(&root);
    assert_eq!(r["report_version"], 1);
    assert_eq!(r["as_of"], TODAY);
    assert_eq!(r["language"], "en");

    // Every award in the content, and what became of it.
    let published = c.published();
    let sum = &r["summary"];
    assert_eq!(n(&sum["awards"]), c.awards.len() as u64);
    assert_eq!(n(&sum["published"]), published.len() as u64);
    let count = |f: &dyn Fn(&Award) -> bool| c.awards.iter().filter(|a| f(a)).count() as u64;
    for status in ["valid", "expired", "revoked"] {
        assert_eq!(
            n(&sum["status"][status]),
            count(&|a| a.status == status),
            "{status}"
        );
    }
    assert_eq!(n(&sum["held"]), count(&|a| c.held(a)));
    assert_eq!(
        n(&sum["unpublished"]["declined"]),
        1,
        "the declined award added"
    );
    let private = count(&|a| a.accepted() && c.earners[&a.earner].2 == "private");
    assert_eq!(n(&sum["unpublished"]["private_earner"]), private);

    // Acceptance.
    let acc = &r["acceptance"];
    for answer in ["automatic", "claimed", "pending", "declined"] {
        assert_eq!(n(&acc[answer]), count(&|a| a.answer == answer), "{answer}");
    }
    let accepted = count(&|a| a.accepted()) as f64 / c.awards.len() as f64;
    assert!((acc["accepted_share"].as_f64().unwrap() - accepted).abs() < 1e-4);

    // Awards issued per month, by badge: every month from the first to
    // the last, empty ones too.
    let mut by_month: BTreeMap<String, BTreeMap<String, u64>> = BTreeMap::new();
    for a in &c.awards {
        *by_month
            .entry(a.issued_on[..7].to_string())
            .or_default()
            .entry(a.badge.clone())
            .or_default() += 1;
    }
    let months = r["issued_per_month"].as_array().unwrap();
    assert_eq!(months[0]["month"], *by_month.keys().next().unwrap());
    assert_eq!(
        months.last().unwrap()["month"],
        *by_month.keys().next_back().unwrap()
    );
    for m in months {
        let month = m["month"].as_str().unwrap();
        let want = by_month.get(month).cloned().unwrap_or_default();
        let got: BTreeMap<String, u64> = m["by_badge"]
            .as_object()
            .unwrap()
            .iter()
            .map(|(k, v)| (k.clone(), n(v)))
            .collect();
        assert_eq!(got, want, "{month}");
        assert_eq!(n(&m["awards"]), want.values().sum::<u64>(), "{month}");
        let pub_month = published
            .iter()
            .filter(|a| a.issued_on.starts_with(month))
            .count();
        assert_eq!(n(&m["published"]), pub_month as u64, "{month}");
    }

    // Revocations per month.
    let mut revoked: BTreeMap<String, u64> = BTreeMap::new();
    for on in c.awards.iter().filter_map(|a| a.revoked_on.as_ref()) {
        *revoked.entry(on[..7].to_string()).or_default() += 1;
    }
    let got: BTreeMap<String, u64> = r["revocations_per_month"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| n(&m["revoked"]) > 0)
        .map(|m| (m["month"].as_str().unwrap().to_string(), n(&m["revoked"])))
        .collect();
    assert_eq!(got, revoked);

    // Expiring: the same awards, windows and ledger answers.
    let exp = &r["expiring"];
    assert_eq!(exp["ledger"], true);
    let got: Vec<&str> = exp["awards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["award"].as_str().unwrap())
        .collect();
    let want: Vec<&str> = soon.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(got, want);
    for (key, within) in [
        ("next_30_days", 30),
        ("next_60_days", 60),
        ("next_90_days", 90),
    ] {
        let want = soon
            .iter()
            .filter(|a| days(a.expires_on.as_deref().unwrap()) - days(TODAY) <= within)
            .count() as u64;
        assert_eq!(n(&exp[key]), want, "{key}");
    }
    let per_badge: u64 = exp["by_badge"]
        .as_array()
        .unwrap()
        .iter()
        .map(|b| n(&b["total"]))
        .sum();
    assert_eq!(per_badge, soon.len() as u64);
    let first = &exp["awards"][0];
    assert_eq!(first["reminder"], "sent");
    assert_eq!(first["reminder_on"], "2027-02-20");
    assert_eq!(first["earner"], sent.earner.as_str());
    assert_eq!(first["earner_name"], c.earners[&sent.earner].0.as_str());
    assert_eq!(exp["awards"][1]["reminder"], "bounced");
    assert_eq!(exp["awards"][1]["earner_bounced"], true);
    assert_eq!(exp["awards"][2]["reminder"], "none");

    // Skills, by held awards and earners.
    let mut skills: BTreeMap<String, (u64, BTreeSet<&str>)> = BTreeMap::new();
    for a in c.awards.iter().filter(|a| c.held(a)) {
        for skill in &c.badges[&a.badge].skills {
            let e = skills.entry(skill.clone()).or_default();
            e.0 += 1;
            e.1.insert(&a.earner);
        }
    }
    let got: BTreeMap<String, (u64, u64)> = r["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["skill"].as_str().unwrap().to_string(),
                (n(&s["awards"]), n(&s["earners"])),
            )
        })
        .collect();
    let want: BTreeMap<String, (u64, u64)> = skills
        .into_iter()
        .map(|(k, (a, e))| (k, (a, e.len() as u64)))
        .collect();
    assert_eq!(got, want);
    let awards: Vec<u64> = r["skills"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| n(&s["awards"]))
        .collect();
    assert!(
        awards.windows(2).all(|w| w[0] >= w[1]),
        "most held first: {awards:?}"
    );

    // Certifications against their exams.
    let holding: HashSet<(&str, &str)> = c
        .awards
        .iter()
        .filter(|a| c.held(a))
        .map(|a| (a.earner.as_str(), a.badge.as_str()))
        .collect();
    let certs: Vec<(&String, &Badge)> = c
        .badges
        .iter()
        .filter(|(_, b)| b.kind == "certification" && !b.requires.is_empty())
        .collect();
    let got = r["certifications"].as_array().unwrap();
    assert_eq!(got.len(), certs.len());
    for (g, (id, b)) in got.iter().zip(certs) {
        assert_eq!(g["badge"], id.as_str());
        let holders: BTreeSet<&str> = holding
            .iter()
            .filter(|(_, x)| x == id)
            .map(|(e, _)| *e)
            .collect();
        let mut exams: BTreeMap<&str, usize> = BTreeMap::new();
        for (e, x) in &holding {
            if b.requires.iter().any(|r| r == x) && !holders.contains(e) {
                *exams.entry(e).or_default() += 1;
            }
        }
        let all = exams.values().filter(|&&k| k == b.requires.len()).count();
        let some: BTreeSet<&str> = exams
            .iter()
            .filter(|&(_, &k)| k < b.requires.len())
            .map(|(e, _)| *e)
            .collect();
        assert_eq!(n(&g["holders"]), holders.len() as u64, "{id}");
        assert_eq!(n(&g["all_exams"]), all as u64, "{id}");
        assert_eq!(n(&g["some_exams"]), some.len() as u64, "{id}");
        let listed: BTreeSet<&str> = g["on_the_way"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["earner"].as_str().unwrap())
            .collect();
        assert_eq!(listed, some, "{id}");
    }

    // Not built yet: the footprint is estimated, 4 files an award (lean,
    // two languages) for every published award.
    let fp = &r["footprint"];
    assert_eq!(fp["source"], "estimated");
    assert_eq!(n(&fp["awards"]), published.len() as u64);
    assert_eq!(fp["files_per_award"], 4.0);
    let hosts: Vec<&str> = fp["hosts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["host"].as_str().unwrap())
        .collect();
    assert_eq!(
        hosts,
        [
            "cloudflare-pages-free",
            "cloudflare-pages-paid",
            "github-pages",
            "netlify"
        ]
    );

    // Built: read from the output, file by file the same.
    let b = run_at(&root, &["build"], AT);
    assert_eq!(b.code, 0, "{}", b.stderr);
    let fp = report_json(&root)["footprint"].clone();
    assert_eq!(fp["source"], "built");
    let public = root.join("public");
    let all = files(&public);
    let size = |p: &PathBuf| std::fs::metadata(public.join(p)).unwrap().len();
    assert_eq!(n(&fp["files"]), all.len() as u64);
    assert_eq!(n(&fp["bytes"]), all.iter().map(size).sum::<u64>());
    let award_files: Vec<&PathBuf> = all
        .iter()
        .filter(|p| {
            let parts: Vec<String> = p.iter().map(|c| c.to_string_lossy().into_owned()).collect();
            let i = parts.iter().position(|c| c == "verify");
            i.is_some_and(|i| i <= 1 && parts.len() > i + 2)
        })
        .collect();
    assert_eq!(n(&fp["award_files"]), award_files.len() as u64);
    assert_eq!(
        n(&fp["award_bytes"]),
        award_files.iter().map(|p| size(p)).sum::<u64>()
    );
    assert_eq!(n(&fp["awards"]), published.len() as u64);
    let entries = |dir: &str| std::fs::read_dir(public.join(dir)).unwrap().count() as u64;
    let biggest = fp["largest_folder"]["path"].as_str().unwrap();
    assert_eq!(
        n(&fp["largest_folder"]["entries"]),
        entries(biggest.trim_end_matches('/'))
    );
    assert!(n(&fp["largest_folder"]["entries"]) >= entries("verify"));
    let free = &fp["hosts"][0];
    assert_eq!(n(&free["used"]), all.len() as u64);
    assert_eq!(free["fits"], all.len() <= 20_000);
    // Without the build record (a share's, say), the output is walked:
    // the same numbers.
    let record = root.join(".public.accolade/manifest");
    let text = std::fs::read_to_string(&record).unwrap();
    let shard = text.replacen("\nstamp ", "\nstamp 0.0.0 shard 1/2 ", 1);
    std::fs::write(&record, shard).unwrap();
    assert_eq!(report_json(&root)["footprint"], fp);
    std::fs::write(&record, text).unwrap();

    // The HTML says no address, not even the one in the ledger.
    let out = run_at(&root, &["report"], AT);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let html = std::fs::read_to_string(root.join("report.html")).unwrap();
    for (_, email, _) in c.earners.values() {
        assert!(!html.contains(email.as_str()), "{email} in the report");
    }
    assert!(html.contains(&c.earners[&sent.earner].0) && html.contains(&sent.earner));
}

/// Every `<svg …>` of the page, with the figure it is in.
fn charts(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = html;
    while let Some(i) = rest.find("<svg") {
        let tag_end = i + rest[i..].find('>').unwrap();
        let tag = rest[i..=tag_end].to_string();
        let fig_start = html.len() - rest.len() + i;
        let before = &html[..fig_start];
        let start = before.rfind("<figure").expect("a chart in a figure");
        let end = fig_start + html[fig_start..].find("</figure>").unwrap();
        out.push((tag, html[start..end].to_string()));
        rest = &rest[tag_end..];
    }
    out
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let at = tag.find(&format!(" {name}=\""))? + name.len() + 3;
    Some(&tag[at..at + tag[at..].find('"')?])
}

#[test]
fn the_page_loads_nothing_names_no_address_and_every_chart_has_its_table() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    let r = run_at(&root, &["report"], AT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(r.stderr.contains("report.html"), "{}", r.stderr);
    let html = std::fs::read_to_string(root.join("report.html")).unwrap();
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));

    // No address of anyone: no `x@y.z` anywhere.
    let bytes = html.as_bytes();
    for (i, _) in html.match_indices('@') {
        let before = bytes[..i]
            .iter()
            .rev()
            .take_while(|b| b.is_ascii_alphanumeric() || b"._%+-".contains(b))
            .count();
        let after = bytes[i + 1..]
            .iter()
            .take_while(|b| b.is_ascii_alphanumeric() || b".-".contains(b))
            .count();
        assert!(
            before == 0 || after == 0 || !html[i + 1..i + 1 + after].contains('.'),
            "an address in the report: {}",
            &html[i.saturating_sub(before)..i + 1 + after]
        );
    }
    // Nothing loaded: no scripts, links, images, frames, imports or url().
    let lower = html.to_lowercase();
    for needle in [
        "<script",
        "<link",
        "<img",
        "<iframe",
        "<object",
        "<embed",
        "@import",
        "url(",
        " src=",
        "srcset=",
        "href=\"http",
        "href=\"//",
        "xlink:href",
    ] {
        assert!(!lower.contains(needle), "`{needle}` in the report");
    }
    for (i, _) in lower.match_indices("href=\"") {
        let target = &lower[i + 6..];
        assert!(
            target.starts_with('#'),
            "a link out: {}",
            &target[..40.min(target.len())]
        );
    }
    assert!(lower.contains("<style>") && lower.contains("@media print"));

    // Charts by plotters, each an image named by a caption, its numbers
    // in a real table beside it.
    let charts = charts(&html);
    assert!(charts.len() >= 6, "{} charts", charts.len());
    for (tag, figure) in &charts {
        assert_eq!(attr(tag, "role"), Some("img"), "{tag}");
        let id = attr(tag, "aria-labelledby").unwrap_or_else(|| panic!("no name: {tag}"));
        let caption_at = html
            .find(&format!("id=\"{id}\">"))
            .unwrap_or_else(|| panic!("no element #{id}"));
        let caption = &html[caption_at..caption_at + html[caption_at..].find('<').unwrap()];
        assert!(caption.len() > id.len() + 10, "empty caption #{id}");
        assert!(attr(tag, "viewBox").is_some(), "{tag}");
        assert!(
            figure.contains("<table>") && figure.contains("<th scope=\"col\""),
            "{id}"
        );
        // Drawn by plotters: its text elements carry the font plotters writes.
        assert!(
            figure.contains("<text") && figure.contains("font-family=\""),
            "{id}"
        );
    }
}

#[test]
fn csv_tables_have_headers_and_quote_as_rfc_4180_says() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    // A name with a comma and a quote, which CSV must quote.
    let people = root.join("content/earners/people.yaml");
    let text = std::fs::read_to_string(&people).unwrap();
    let text = text.replacen("name: 李雷", "name: \"Lei, \\\"Li\\\" 李\"", 1);
    std::fs::write(&people, text).unwrap();
    let r = run_at(&root, &["report", "--csv", "tables"], AT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        !root.join("report.html").exists(),
        "--csv alone writes no HTML"
    );
    let dir = root.join("tables");
    let heads: BTreeMap<String, String> = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .map(|e| {
            let text = std::fs::read_to_string(e.path()).unwrap();
            assert!(text.ends_with("\r\n"), "{:?}", e.path());
            let head = text.split("\r\n").next().unwrap().to_string();
            (e.file_name().to_string_lossy().into_owned(), head)
        })
        .collect();
    for (file, head) in [
        ("summary.csv", "item,awards"),
        ("earners.csv", "profile,earners"),
        ("acceptance.csv", "state,awards,share"),
        ("revocations_per_month.csv", "month,revoked"),
        ("issued_per_month_by_badge.csv", "month,badge,awards"),
        (
            "expiring_by_badge.csv",
            "badge,badge_name,days_1_to_30,days_31_to_60,days_61_to_90,total",
        ),
        (
            "expiring_awards.csv",
            "earner_name,earner,badge,award,expires_on,days_left,reminder,reminder_on,earner_bounced",
        ),
        ("skills.csv", "skill,awards,earners"),
        (
            "certifications.csv",
            "certification,certification_name,requires,holders,all_exams,some_exams",
        ),
        (
            "certification_progress.csv",
            "certification,earner_name,earner,exams_held,exams_required,missing",
        ),
        ("footprint.csv", "measure,value"),
        ("hosts.csv", "host,measure,limit,used,share,fits"),
    ] {
        assert_eq!(
            heads.get(file).map(String::as_str),
            Some(head),
            "{file}: {heads:?}"
        );
    }
    assert!(heads["issued_per_month.csv"].starts_with("month,awards,published,"));
    // Read back as RFC 4180, the quoted name is whole.
    let text = std::fs::read_to_string(dir.join("certification_progress.csv")).unwrap();
    let rows = accolade::csv::parse_csv(&text).unwrap();
    assert!(
        rows.iter().any(|r| r.fields[1].value == "Lei, \"Li\" 李"),
        "{text}"
    );
    let json = report_json(&root);
    let listed: usize = json["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["on_the_way"].as_array().unwrap().len())
        .sum();
    assert_eq!(rows.len(), listed + 1);
    let summary = std::fs::read_to_string(dir.join("summary.csv")).unwrap();
    assert!(summary.contains(&format!("\r\nawards,{}\r\n", json["summary"]["awards"])));
}

#[test]
fn a_bad_destination_is_refused_before_anything_is_written() {
    let f = Fixture::new();
    f.write("content/notes.txt", "not a folder");
    let cases: [(&[&str], &str); 4] = [
        (
            &["report", "--csv", "content/notes.txt"],
            "is a file, not a folder",
        ),
        (
            &["report", "--csv", "content/notes.txt/tables"],
            "cannot make the folder",
        ),
        (
            &["report", "--out", "no/such/folder/report.html"],
            "does not exist",
        ),
        (&["report", "--out", "content"], "is a folder"),
    ];
    for (args, says) in cases {
        let r = f.run(args);
        assert_ne!(r.code, 0, "{args:?}");
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains("help:"), "{args:?}: {}", r.stderr);
        assert!(r.stdout.is_empty());
    }
    // Never into the published output.
    assert_eq!(f.build().code, 0);
    for args in [
        &["report", "--out", "public/report.html"][..],
        &["report", "--csv", "public/tables"][..],
    ] {
        let r = f.run(args);
        assert_eq!(r.code, 2, "{args:?}");
        assert!(
            r.stderr.contains("public/, which is published"),
            "{}",
            r.stderr
        );
    }
    assert!(!f.path().join("public/report.html").exists());
    assert!(!f.path().join("public/tables").exists());
    // The fixture (full files, two languages) before and after: estimated
    // as 8 files an award, then read from the build.
    let r = f.run(&["report", "--json", "--out", "r.html"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(f.path().join("r.html").is_file());
    let json: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(json["footprint"]["source"], "built");
    assert_eq!(json["footprint"]["files_per_award"], 8.0);
    std::fs::remove_dir_all(f.path().join("public")).unwrap();
    let json: Value = serde_json::from_str(&f.run(&["report", "--json"]).stdout).unwrap();
    assert_eq!(json["footprint"]["source"], "estimated");
    assert_eq!(json["footprint"]["files_per_award"], 8.0);
}

#[test]
#[ignore = "needs headless Chromium, playwright-core and axe-core installed by scripts/test"]
fn the_report_reads_prints_and_passes_axe_in_a_browser() {
    let tmp = tempfile::tempdir().unwrap();
    let root = site(tmp.path());
    assert_eq!(run_at(&root, &["build"], AT).code, 0);
    let r = run_at(&root, &["report"], AT);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let file = root.join("report.html");
    let html = std::fs::read_to_string(&file).unwrap();
    let shots = Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-shots");
    std::fs::create_dir_all(&shots).unwrap();
    let result = run_script_on(
        "report.mjs",
        &root,
        json!({
            "file": file,
            "charts": charts(&html).len(),
            "shot": shots.join("report.png"),
        }),
        None,
    );
    eprintln!("screenshot: {}", shots.join("report.png").display());
    assert_eq!(result["problems"], json!([]), "{result:#}");
    for width in ["390", "1280"] {
        let w = &result["widths"][width];
        assert_eq!(w["charts"], charts(&html).len(), "{width}: {w}");
        assert_eq!(
            w["outside"],
            json!([]),
            "{width}: charts outside their box: {w}"
        );
        assert!(
            w["scrollWidth"].as_f64().unwrap() <= w["innerWidth"].as_f64().unwrap(),
            "{width}: {w}"
        );
        assert!(
            w["axe"]["rules"].as_u64().unwrap() > 10,
            "{width}: axe checked nothing"
        );
        assert_eq!(w["axe"]["violations"], json!([]), "{width}: {:#}", w["axe"]);
    }
    let print = &result["print"];
    assert_eq!(print["printCss"], true, "{print}");
    assert!(print["pages"].as_u64().unwrap() >= 1, "{print}");
    assert!(print["bytes"].as_u64().unwrap() > 10_000, "{print}");
    assert_eq!(
        print["tooTall"],
        json!([]),
        "charts taller than a page: {print}"
    );
    assert_eq!(
        print["splittable"],
        json!([]),
        "charts a page break may cut: {print}"
    );
}
