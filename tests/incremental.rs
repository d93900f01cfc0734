//! Rebuilds: after every kind of change, an incremental build leaves
//! exactly the bytes a fresh build makes, rendering only what changed; a
//! build killed at any moment is repaired by the next; shards add up to
//! the whole site.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use crate::common::*;

/// Every file under `dir` with its bytes.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    files(dir)
        .into_iter()
        .map(|f| {
            let bytes = std::fs::read(dir.join(&f)).unwrap();
            (f.to_string_lossy().into_owned(), bytes)
        })
        .collect()
}

/// Fails with the first paths that differ.
fn assert_same_tree(got: &Path, want: &Path, what: &str) {
    let (g, w) = (tree(got), tree(want));
    let only_got: Vec<&String> = g.keys().filter(|k| !w.contains_key(*k)).take(5).collect();
    let only_want: Vec<&String> = w.keys().filter(|k| !g.contains_key(*k)).take(5).collect();
    let differ: Vec<&String> = g
        .iter()
        .filter(|(k, v)| w.get(*k).is_some_and(|x| x != *v))
        .map(|(k, _)| k)
        .take(5)
        .collect();
    assert!(
        only_got.is_empty() && only_want.is_empty() && differ.is_empty(),
        "{what}: extra {only_got:?}, missing {only_want:?}, different {differ:?}"
    );
}

/// `rendered N of M jobs` from a build's summary.
fn rendered(r: &Run) -> (usize, usize) {
    let s = r
        .stderr
        .split("rendered ")
        .nth(1)
        .unwrap_or_else(|| panic!("{}", r.stderr));
    let mut words = s.split_whitespace();
    let n = words.next().unwrap().parse().unwrap();
    let m = words.nth(1).unwrap().trim_end_matches(';').parse().unwrap();
    (n, m)
}

fn build_at(f: &Fixture, now: i64, out: &str) -> Run {
    let r = run_at(f.path(), &["build", "--out", out], now);
    assert_eq!(r.code, 0, "{}", r.stderr);
    r
}

/// Every unit's size in the build record equals the size of its files in
/// `public/` (the per-award summary adds these up instead of reading a
/// million files).
fn assert_recorded_sizes(f: &Fixture, what: &str) {
    let manifest = std::fs::read_to_string(f.path().join(".public.accolade/manifest")).unwrap();
    let shapes: Vec<Vec<&str>> = manifest
        .lines()
        .filter_map(|l| l.strip_prefix("shape "))
        .map(|s| s.split('\t').collect())
        .collect();
    let mut units = 0;
    for line in manifest.lines().filter_map(|l| l.strip_prefix("unit ")) {
        let fields: Vec<&str> = line.split(' ').collect();
        let (key, shape, bytes) = (fields[0], fields[2], fields[3]);
        let id = fields.get(4).copied().unwrap_or_default();
        let on_disk: u64 = shapes[shape.parse::<usize>().unwrap()]
            .iter()
            .map(|p| p.replace("{id}", id))
            .map(|p| {
                std::fs::metadata(f.path().join("public").join(&p))
                    .unwrap()
                    .len()
            })
            .sum();
        assert_eq!(bytes.parse::<u64>().unwrap(), on_disk, "{what}: unit {key}");
        units += 1;
    }
    assert!(units >= 5, "{what}: {units} units recorded");
}

/// Builds into `public` incrementally and into a fresh folder, and
/// compares; returns the incremental build's (rendered, jobs).
fn rebuild_and_compare(f: &Fixture, now: i64, what: &str) -> (usize, usize) {
    let r = build_at(f, now, "public");
    assert_recorded_sizes(f, what);
    let fresh = f.path().join(format!("fresh-{}", what.replace(' ', "-")));
    build_at(f, now, fresh.to_str().unwrap());
    assert_same_tree(&f.path().join("public"), &fresh, what);
    std::fs::remove_dir_all(&fresh).unwrap();
    rendered(&r)
}

#[test]
fn every_kind_of_change_rebuilds_to_the_fresh_bytes_rendering_only_what_changed() {
    // Enough awards that per-award jobs outnumber the site-wide ones.
    let f = bigger_fixture(40);
    let first = build_at(&f, NOW, "public");
    let (_, jobs) = rendered(&first);

    assert_recorded_sizes(&f, "fresh");
    let again = build_at(&f, NOW, "public");
    // Said in words, with the whole output counted, not only what was rendered.
    let on_disk = files(&f.path().join("public")).len();
    assert!(
        again.stderr.contains(&format!(
            "nothing changed (rendered {} of {jobs} jobs: 0 files written, all {on_disk} files up to date)",
            rendered(&again).0
        )),
        "{}",
        again.stderr
    );
    assert_recorded_sizes(&f, "nothing changed");
    let (n, _) = rendered(&again);
    assert!(
        n < jobs / 2,
        "a no-op rebuild renders only site-wide files: {n} of {jobs}"
    );
    let later = build_at(&f, NOW + 86_400, "public");
    assert!(
        later.stderr.contains("0 files written"),
        "a day later: {}",
        later.stderr
    );

    f.append(
        "content/awards/a.yaml",
        "- { id: NEWW2222AAAA, badge: exam-1, earner: pub-ann, issued_on: 2026-02-10, expires_on: 2026-11-03 }\n",
    );
    let (added, _) = rebuild_and_compare(&f, NOW, "award added");
    assert!(added < jobs / 2, "{added} of {jobs}");

    let text = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    f.write(
        "content/awards/a.yaml",
        &text.replace(
            "{ id: CCCC3333DDDD, badge: exam-1, earner: unl-bob, issued_on: 2026-01-10 }",
            "{ id: CCCC3333DDDD, badge: exam-1, earner: unl-bob, issued_on: 2026-01-10, revoked: { on: 2026-10-01, reason: Withdrawn } }",
        ),
    );
    rebuild_and_compare(&f, NOW, "award revoked");

    let text = std::fs::read_to_string(f.path().join("content/awards/a.yaml")).unwrap();
    f.write(
        "content/awards/a.yaml",
        &text.replace(
            "earner: pub-ann, issued_on: 2026-01-10 }",
            "earner: pub-ann, issued_on: 2026-01-10, evidence: [{ url: \"https://example.org/x\" }], revised_on: 2026-11-01 }",
        ),
    );
    rebuild_and_compare(&f, NOW, "award edited");

    // Two days later NEWW2222AAAA has expired: its files change, no content did.
    let (expired, _) = rebuild_and_compare(&f, NOW + 2 * 86_400, "award expired");
    assert!(expired < jobs / 2, "{expired} of {jobs}");

    let earners = std::fs::read_to_string(f.path().join("content/earners/people.yaml")).unwrap();
    f.write(
        "content/earners/people.yaml",
        &earners.replace(
            "profile: public, auto_accept: true",
            "profile: private, auto_accept: true",
        ),
    );
    rebuild_and_compare(&f, NOW + 2 * 86_400, "earner made private");
    assert!(!f.exists("earners/pub-ann/index.html"));
    assert!(
        !f.exists("verify/AAAA2222BBBB/index.html"),
        "private earners leave no trace"
    );

    let theme = accolade::theme::Theme::built_in();
    let award_html = String::from_utf8_lossy(&theme.get("templates/award.html").unwrap().bytes)
        .replace(
            "{% endblock content %}",
            "<p class=\"extra\">extra</p>{% endblock content %}",
        );
    assert!(award_html.contains("extra"));
    f.write("themes/default/templates/award.html", &award_html);
    rebuild_and_compare(&f, NOW + 2 * 86_400, "template changed");

    let zh = String::from_utf8_lossy(&theme.get("i18n/zh-CN.yaml").unwrap().bytes).into_owned();
    f.write(
        "themes/default/i18n/zh-CN.yaml",
        &zh.replace("常见问题", "问答"),
    );
    rebuild_and_compare(&f, NOW + 2 * 86_400, "strings changed");
    assert!(f.out("zh-CN/faq/index.html").contains("问答"));

    f.write("content/images/exam-1.svg", &SVG.replace("#2a6", "#a26"));
    rebuild_and_compare(&f, NOW + 2 * 86_400, "artwork changed");
}

#[test]
fn a_template_change_renders_only_the_pages_that_use_it() {
    let f = Fixture::new();
    build_at(&f, NOW, "public");
    let theme = accolade::theme::Theme::built_in();
    let faq = String::from_utf8_lossy(&theme.get("templates/faq.html").unwrap().bytes)
        .replace("{% block content %}", "{% block content %}<p>new</p>");
    f.write("themes/default/templates/faq.html", &faq);
    let r = build_at(&f, NOW, "public");
    assert!(f.out("faq/index.html").contains("<p>new</p>"));
    let written: usize = r
        .stderr
        .split("; ")
        .nth(1)
        .and_then(|s| s.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{}", r.stderr));
    assert_eq!(written, 2, "the FAQ in two languages: {}", r.stderr);
}

/// A fixture with enough awards that a build takes a while.
fn bigger_fixture(n: usize) -> Fixture {
    let f = Fixture::new();
    let mut awards = String::new();
    for i in 0..n {
        awards.push_str(&format!(
            "- {{ id: KILL{i:04}AAAA, badge: exam-1, earner: pub-ann, issued_on: 2026-0{}-1{} }}\n",
            1 + i % 9,
            i % 10
        ));
    }
    f.write("content/awards/many.yaml", &awards);
    f
}

/// Every trial's SIGKILL lands while the build still runs (a kill after it
/// finished would test nothing): the delays are fractions of a measured
/// full rebuild, and a trial whose build finished first is run again with
/// half the delay.
#[test]
fn a_killed_build_is_repaired_by_the_next() {
    use std::os::unix::process::ExitStatusExt;
    let f = bigger_fixture(60);
    build_at(&f, NOW, "public");
    let exe = env!("CARGO_BIN_EXE_accolade");
    let started = std::time::Instant::now();
    let r = run_at(f.path(), &["build", "--force"], NOW);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let full = started.elapsed();
    for (trial, share) in [0.05, 0.2, 0.4, 0.6, 0.8].into_iter().enumerate() {
        // Change a little each time, so the killed build had work to do.
        f.append(
            "content/awards/a.yaml",
            &format!("- {{ id: KILD{trial:04}BBBB, badge: exam-1, earner: unl-bob, issued_on: 2026-03-0{} }}\n", trial + 1),
        );
        let theme = accolade::theme::Theme::built_in();
        let base = String::from_utf8_lossy(&theme.get("templates/base.html").unwrap().bytes)
            .replace("</body>", &format!("<!-- {trial} --></body>"));
        f.write("themes/default/templates/base.html", &base);
        let mut delay = full.mul_f64(share);
        let landed = loop {
            let mut child = Command::new(exe)
                .args(["build", "--root"])
                .arg(f.path())
                .env("SOURCE_DATE_EPOCH", NOW.to_string())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            std::thread::sleep(delay);
            let _ = child.kill();
            let status = child.wait().unwrap();
            if status.signal() == Some(SIGKILL) {
                break delay;
            }
            // The build beat the kill (a fast or idle machine): nothing was
            // interrupted, so the trial does not count; try earlier.
            assert!(status.success(), "the build failed on its own: {status}");
            assert!(
                delay > Duration::from_millis(2),
                "trial {trial}: no kill landed while the build ran"
            );
            delay /= 2;
        };
        assert_no_torn_files(&f.path().join("public"));
        rebuild_and_compare(
            &f,
            NOW,
            &format!("after a kill {} ms into the build", landed.as_millis()),
        );
    }
}

/// What `Child::kill` sends on Unix.
const SIGKILL: i32 = 9;

/// Every HTML page ends with its closing tag and every JSON file parses.
fn assert_no_torn_files(dir: &Path) {
    if !dir.exists() {
        return;
    }
    for f in files(dir) {
        let path = dir.join(&f);
        let bytes = std::fs::read(&path).unwrap();
        match f.extension().and_then(|e| e.to_str()) {
            Some("html") => assert!(
                String::from_utf8_lossy(&bytes)
                    .trim_end()
                    .ends_with("</html>"),
                "torn: {f:?}"
            ),
            Some("json") => {
                serde_json::from_slice::<serde_json::Value>(&bytes)
                    .unwrap_or_else(|e| panic!("torn: {f:?}: {e}"));
            }
            _ => {}
        }
    }
}

#[test]
fn shards_add_up_to_the_whole_site() {
    let f = bigger_fixture(12);
    build_at(&f, NOW, "whole");
    let union = f.path().join("union");
    // Shares holding award pages, and profiles: both are shared out.
    let (mut with_awards, mut with_profiles) = (0, 0);
    for k in 1..=3 {
        let out = format!("shard-{k}");
        let r = run_at(
            f.path(),
            &["build", "--out", &out, "--shard", &format!("{k}/3")],
            NOW,
        );
        assert_eq!(r.code, 0, "{}", r.stderr);
        let made = files(&f.path().join(&out));
        let has = |prefix: &str| {
            made.iter().any(|p| {
                let p = p.to_string_lossy();
                p.starts_with(prefix) && p != "verify/index.html"
            })
        };
        with_awards += usize::from(has("verify/"));
        with_profiles += usize::from(has("earners/"));
        for file in made {
            let to = union.join(&file);
            std::fs::create_dir_all(to.parent().unwrap()).unwrap();
            assert!(!to.exists(), "{file:?} is in two shards");
            std::fs::copy(f.path().join(&out).join(&file), to).unwrap();
        }
    }
    assert_same_tree(&union, &f.path().join("whole"), "the union of three shards");
    assert!(
        with_awards > 1 && with_profiles > 1,
        "{with_awards} {with_profiles}"
    );
    let r = run_at(f.path(), &["build", "--shard", "4/3"], NOW);
    assert_eq!(r.code, 2);
    assert!(r.stderr.contains("K/N"), "{}", r.stderr);
}
