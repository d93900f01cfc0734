//! Award pages filled from skeletons (`render::skeleton`) are byte for byte
//! the pages the templates render: on a site of awards in every state,
//! whose earners' names hold what escaping and compaction treat specially,
//! and on the example site.

use std::path::Path;
use std::process::Command;

use crate::common::*;

/// Builds `root` into `out` with `ACCOLADE_SKELETON` set to `mode`.
fn build_with(root: &Path, out: &Path, mode: &str) -> Run {
    let output = Command::new(env!("CARGO_BIN_EXE_accolade"))
        .args(["build", "--out"])
        .arg(out)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", NOW.to_string())
        .env("ACCOLADE_SKELETON", mode)
        .env_remove("ACCOLADE_SIGNING_KEY")
        .output()
        .expect("run accolade");
    let run = Run {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    };
    assert_eq!(run.code, 0, "ACCOLADE_SKELETON={mode}: {}", run.stderr);
    run
}

/// (pages filled from or checked against a skeleton, pages rendered) as
/// `ACCOLADE_SKELETON=check` reports them.
fn counts(run: &Run) -> Option<(usize, usize)> {
    let line = run.stderr.lines().find(|l| l.starts_with("skeletons: "))?;
    let numbers: Vec<usize> = line.split(' ').filter_map(|w| w.parse().ok()).collect();
    Some((numbers[0], numbers[1]))
}

/// Every file under `a` is under `b` with the same bytes, and the other
/// way round.
fn assert_same_tree(a: &Path, b: &Path) {
    let (fa, fb) = (files(a), files(b));
    assert_eq!(fa, fb, "the same files");
    for f in fa {
        let (x, y) = (
            std::fs::read(a.join(&f)).unwrap(),
            std::fs::read(b.join(&f)).unwrap(),
        );
        assert!(
            x == y,
            "{} differs:\n{}\n---\n{}",
            f.display(),
            String::from_utf8_lossy(&x),
            String::from_utf8_lossy(&y)
        );
    }
}

/// Names as content may hold them: markup characters, both quotes, runs
/// of spaces, a tab, a line break, spaces at the ends, the noncharacters
/// the placeholders are made of, and plain ones, most of them many times
/// so that skeletons are used and not only made.
const NAMES: &[&str] = &[
    "Ann Plain",
    "Bo Plain",
    "O'Neil \\\"Q\\\" & <b>Co</b>",
    "Two  Spaces",
    " Leading",
    "Trailing ",
    "Tab\\there",
    "Line\\nbreak",
    "Mark \\uFDD0 \\uFDD1 \\uFDD2",
    "李雷",
    "Zoë > Æsir",
    "A",
    "Bob = `tick` / slash",
];

fn varied_site() -> Fixture {
    let f = Fixture::new();
    let mut earners = String::new();
    let mut awards = String::new();
    let profiles = ["public", "unlisted", "private"];
    let mut n = 0;
    for (i, name) in NAMES.iter().enumerate() {
        for copy in 0..4 {
            let id = format!("e-{i}-{copy}");
            let profile = profiles[(i + copy) % 3];
            earners.push_str(&format!(
                "- {{ id: {id}, name: \"{name}\", email: {id}@example.com, profile: {profile}, auto_accept: true }}\n"
            ));
            // A certification supersedes the exam it requires: an earner
            // holds one or the other.
            let badge = if copy % 2 == 0 { "exam-1" } else { "cert-1" };
            for extra in [
                "",
                ", expires_on: 2026-06-01",
                ", revoked: { on: 2026-03-01, reason: \"Broke the <rules> & more\" }",
                ", evidence: [{ url: \"https://ex.example.org/p?a=1&b=2\", narrative: \"Built *this*.\" }]",
                ", evidence: [{ url: \"https://ex.example.org/q\" }]",
                "",
            ] {
                n += 1;
                awards.push_str(&format!(
                    "- {{ id: SK{n:04}22AAAA, badge: {badge}, earner: {id}, issued_on: 2026-01-{day:02}{extra} }}\n",
                    day = 1 + n % 28
                ));
            }
        }
    }
    f.write("content/earners/people.yaml", &earners);
    f.write("content/awards/a.yaml", &awards);
    f
}

#[test]
fn skeleton_pages_are_the_rendered_pages() {
    let f = varied_site();
    let (checked, off, on) = (
        f.path().join("checked"),
        f.path().join("off"),
        f.path().join("on"),
    );
    let run = build_with(f.path(), &checked, "check");
    let (filled, rendered) = counts(&run).expect("a report of skeletons");
    // Each state and visibility makes its own skeleton; most pages are
    // filled from one; names compaction would change are rendered.
    assert!(filled > 120, "filled {filled}, rendered {rendered}");
    assert!(rendered > 50, "filled {filled}, rendered {rendered}");
    build_with(f.path(), &off, "off");
    build_with(f.path(), &on, "");
    assert_same_tree(&off, &checked);
    assert_same_tree(&off, &on);
    // The names reached the pages, escaped.
    let escaped = files(&on.join("verify"))
        .iter()
        .filter(|p| p.ends_with("index.html"))
        .filter(|p| {
            std::fs::read_to_string(on.join("verify").join(p))
                .unwrap()
                .contains("&quot;Q&quot; &amp; &lt;b&gt;Co&lt;/b&gt;")
        })
        .count();
    assert!(escaped > 0);
}

#[test]
fn skeleton_pages_of_the_example_site_are_the_rendered_pages() {
    let dir = tempfile::tempdir().unwrap();
    let root = example_copy(dir.path(), |s| s);
    let (checked, off, on) = (
        dir.path().join("c"),
        dir.path().join("off"),
        dir.path().join("on"),
    );
    let (filled, _) = counts(&build_with(&root, &checked, "check")).expect("a report");
    assert!(filled > 0);
    build_with(&root, &off, "off");
    build_with(&root, &on, "");
    assert_same_tree(&off, &checked);
    assert_same_tree(&off, &on);
}

#[test]
fn a_theme_with_its_own_award_template_is_rendered_page_by_page() {
    let f = varied_site();
    let template =
        std::fs::read_to_string(example_root().join("themes/default/templates/award.html"))
            .unwrap();
    // A template that transforms a value: no skeleton could stand in for it.
    let own = template.replace("{{ earner.name }}</a>", "{{ earner.name | upper }}</a>");
    assert_ne!(own, template);
    f.write("themes/default/templates/award.html", &own);
    let run = build_with(f.path(), &f.path().join("out"), "check");
    assert_eq!(counts(&run), None, "no skeletons: {}", run.stderr);
    let page =
        std::fs::read_to_string(f.path().join("out/verify/SK000122AAAA/index.html")).unwrap();
    assert!(page.contains(">ANN PLAIN</a>"), "{page}");
}
