//! Labour-market insights (`content/insights/`): bad data is located errors
//! all in one run, stale data a warning; badge pages show per region a
//! salary chart with a text alternative and a table of the content's
//! numbers, formatted for each language, the employers and the salary
//! searches; verification pages show none; in Chromium the charts stay in
//! their boxes at a phone's and a desktop's width, draw what the content
//! says, and print.

use serde_json::{Value, json};

use crate::browser::run_script_on;
use crate::common::*;

const GOOD: &str = "\
- skill: testing
  source: Test Survey
  source_url: https://survey.example.org/2026
  date: 2026-06-01
  salaries:
    - { region: { en: United Kingdom, zh-CN: 英国 }, currency: GBP, low: 50000, median: 60000, high: 80000, sample: 120 }
    - { region: { en: China, zh-CN: 中国 }, currency: CNY, period: month, low: 20000, median: 26000, high: 41000 }
  employers:
    - { name: Hiring Co, url: https://hiring.example.com/careers }
- badge: exam-1
  source: Other Source
  date: 2026-03-01
  salaries:
    - { region: { en: United Kingdom, zh-CN: 英国 }, currency: GBP, low: 40000, median: 45000, high: 52000 }
";

fn with_insights(text: &str) -> Fixture {
    let f = Fixture::new();
    f.write("content/insights/a.yaml", text);
    f
}

#[test]
fn bad_insights_are_located_errors_all_in_one_run() {
    let f = with_insights(
        "\
- skill: juggling
  source: S
  date: 2026-01-01
- badge: exam-1
  source: S
  date: 2026-01-01
  salaries:
    - { region: UK, currency: GBP, low: -5, median: 10, high: 20 }
    - { region: UK, currency: GBP, low: 90, median: 95, high: 80 }
    - { region: UK, currency: XXY, low: 1, median: 2, high: 3 }
    - { region: UK, currency: GBP, low: 1, median: 9, high: 3 }
- badge: exam-1
  source: Old
  date: 2024-01-01
",
    );
    std::fs::create_dir_all(f.path().join("public")).unwrap();
    f.write("public/keep.txt", "previous output");
    let r = f.build();
    assert_eq!(r.code, 1, "{}", r.stderr);
    for (at, what) in [
        (
            "content/insights/a.yaml:1:10",
            "no badge lists the skill `juggling`",
        ),
        ("content/insights/a.yaml:8:41", "`low` is -5"),
        (
            "content/insights/a.yaml:9:41",
            "`low` (90) is more than `high` (80)",
        ),
        ("content/insights/a.yaml:10:31", "unknown currency `XXY`"),
        (
            "content/insights/a.yaml:11:52",
            "`median` (9) is outside `low`–`high`",
        ),
    ] {
        let line = r.stderr.lines().position(|l| l.contains(at));
        let line = line.unwrap_or_else(|| panic!("no error at {at}:\n{}", r.stderr));
        let message = r.stderr.lines().nth(line - 1).unwrap();
        assert!(message.contains(what), "{at}: {message}");
    }
    // Stale data (older than 18 months by default) is a warning.
    assert!(
        r.stderr
            .contains("warning: the data is from 2024-01-01, older than `insights.stale_after`"),
        "{}",
        r.stderr
    );
    assert_eq!(
        f.out("keep.txt"),
        "previous output",
        "the previous public/ is left as it was"
    );
}

#[test]
fn badge_pages_show_charts_tables_employers_and_searches_in_each_language() {
    let f = with_insights(GOOD);
    f.append(
        "content/site.yaml",
        "insights:\n  salary_search: { name: { en: Atlas, zh-CN: 地图 }, url: \"https://atlas.example.net/s?q={skill}&r={region}\" }\n",
    );
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = f.out("badges/exam-1/index.html");
    // One chart per region (and currency, period): the UK has both blocks.
    assert_eq!(
        page.matches("<svg class=salary-chart role=img").count()
            + page
                .matches("<svg class=\"salary-chart\" role=\"img\"")
                .count(),
        2,
        "{page}"
    );
    assert!(
        page.contains("aria-labelledby=salary-1") || page.contains("aria-labelledby=\"salary-1\"")
    );
    assert!(
        page.contains("<figcaption id=salary-1>United Kingdom: yearly salary, GBP</figcaption>"),
        "{page}"
    );
    for cell in [
        "£50,000",
        "£60,000",
        "£80,000",
        "120",
        "£40,000",
        "£45,000",
        "£52,000",
        "CN¥20,000",
        "CN¥26,000",
        "CN¥41,000",
    ] {
        assert!(page.contains(&format!("<td>{cell}</td>")), "{cell}: {page}");
    }
    assert!(page.contains("China: monthly salary, CNY"));
    assert!(
        page.contains(
            "<a href=https://hiring.example.com/careers rel=\"noopener nofollow\">Hiring Co</a>"
        ),
        "{page}"
    );
    assert!(
        page.contains("https://atlas.example.net/s?q=testing&amp;r=United%20Kingdom")
            || page.contains("https://atlas.example.net/s?q=testing&r=United%20Kingdom"),
        "{page}"
    );
    assert!(page.contains("Atlas: testing salaries in China"));
    assert!(
        page.contains("Test Survey</a> (<time datetime=2026-06-01>"),
        "{page}"
    );
    // Chinese: the symbol readers of Chinese know, the region in Chinese.
    let zh = f.out("zh-CN/badges/exam-1/index.html");
    assert!(zh.contains("<td>¥26,000</td>"), "{zh}");
    assert!(zh.contains("中国：月薪资（CNY）"), "{zh}");
    assert!(zh.contains("地图：中国testing薪资"), "{zh}");
    // The employer's page (the verification page) carries none.
    let award = f.out("verify/AAAA2222BBBB/index.html");
    assert!(!award.contains("salary-chart") && !award.contains("Hiring Co"));
    // cert-1 does not list the skill: no insights there.
    assert!(!f.out("badges/cert-1/index.html").contains("salary-chart"));
}

#[test]
#[ignore = "needs headless Chromium and playwright-core installed by scripts/test"]
fn charts_fit_their_boxes_draw_the_content_and_print() {
    let f = with_insights(GOOD);
    assert_eq!(f.build().code, 0);
    let pages = ["badges/exam-1/", "zh-CN/badges/exam-1/"];
    let result = run_script_on(
        "insights.mjs",
        &f.path().join("public"),
        json!({ "pages": pages }),
        None,
    );
    assert_eq!(result["problems"], json!([]), "{result}");
    // The UK chart's rows, from the content: (low, high) of each.
    let uk = [(50000.0, 80000.0), (40000.0, 52000.0)];
    for width in [390, 1280] {
        for p in pages {
            let got = &result["pages"][format!("{width} {p}")];
            assert_eq!(
                got["overflow"], false,
                "{width} {p}: the page scrolls sideways"
            );
            let charts = got["charts"].as_array().unwrap();
            assert_eq!(charts.len(), 2, "{got}");
            for c in charts {
                assert_eq!(c["role"], "img");
                assert!(c["caption"].as_str().is_some_and(|s| !s.is_empty()), "{c}");
                assert_eq!(c["inside"], true, "{width} {p}: {c}");
                assert_eq!(
                    c["bars"].as_array().unwrap().len() as u64,
                    c["rows"].as_u64().unwrap(),
                    "{c}"
                );
            }
            // Bar lengths are in the ratio of the content's ranges, and a
            // bar starts where its low is (the axis starts at 0).
            let bars: Vec<(f64, f64)> = charts[0]["bars"]
                .as_array()
                .unwrap()
                .iter()
                .map(|b| (b[0].as_f64().unwrap(), b[1].as_f64().unwrap()))
                .collect();
            let scale = bars[0].1 / (uk[0].1 - uk[0].0);
            let want = (uk[1].1 - uk[1].0) * scale;
            assert!((bars[1].1 - want).abs() <= 2.0, "{width} {p}: {bars:?}");
            let origin = bars[0].0 - uk[0].0 * scale;
            assert!(
                (bars[1].0 - (origin + uk[1].0 * scale)).abs() <= 2.0,
                "{bars:?}"
            );
            if width == 1280 {
                assert!(got["pdf"].as_u64().unwrap() > 10_000, "{got}");
            }
        }
    }
    let _: Value = result;
}
