//! The verification page's "Add to a digital wallet" part: the deep link a
//! phone gets (made by static/wallet.js from credential.json), its length
//! on the example and on long, Chinese, many-skill content, the fallback
//! when a link would be too long, and the desktop's QR code of the
//! credential's address, read back by zbar. (tests/wallet.rs runs the
//! wallet's own code on what these links and codes carry.)

use std::fmt::Write;
use std::path::Path;

use crate::browser::run_script_on;
use crate::common::*;
use accolade::site::Status;
use serde_json::{Value, json};

/// static/wallet.js's MAX_LINK: longer links are not offered.
const MAX_LINK: usize = 8000;

/// JavaScript's encodeURIComponent.
fn encode_uri_component(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 3);
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-_.!~*'()".contains(&b) {
            out.push(b as char);
        } else {
            write!(out, "%{b:02X}").unwrap();
        }
    }
    out
}

/// Percent-decoding, leaving the escapes of `keep` as they are: nothing
/// for decodeURIComponent, the reserved characters for decodeURI.
fn percent_decode(s: &str, keep: &[u8]) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        let byte = (b[i] == b'%')
            .then(|| s.get(i + 1..i + 3))
            .flatten()
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match byte {
            Some(v) if !keep.contains(&v) => {
                out.push(v);
                i += 3;
            }
            _ => {
                out.push(b[i]);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

/// The deep link of a credential as served: a presentation offering it,
/// every `%` doubled up as `%25` (the wallet decodes twice), encoded.
fn deep_link(served: &str) -> String {
    let offer = format!(
        "{{\"verifiablePresentation\":{{\"@context\":[\"https://www.w3.org/ns/credentials/v2\"],\"type\":[\"VerifiablePresentation\"],\"verifiableCredential\":[{}]}}}}",
        served.trim()
    );
    format!(
        "dccrequest://request?request={}",
        encode_uri_component(&offer.replace('%', "%25"))
    )
}

/// What the wallet reads from a link: the `request` parameter decoded
/// (query-string), then decodeURI, then JSON (app/lib/walletRequestApi.ts).
fn wallet_reads(link: &str) -> Value {
    let query = link.split_once("?request=").expect("a request parameter").1;
    let once = percent_decode(&query.replace('+', " "), &[]);
    let twice = percent_decode(&once, b";/?:@&=+$,#");
    serde_json::from_str(&twice).unwrap_or_else(|e| panic!("{e}: {twice}"))
}

/// The deep-link length of every valid award of a built site, by award.
fn link_lengths(public: &Path, site: &accolade::site::Site) -> Vec<(String, usize)> {
    site.awards
        .iter()
        .filter(|a| a.status == Status::Valid)
        .filter_map(|a| {
            // Private earners' awards publish nothing.
            let file = public.join(format!("verify/{}/credential.json", a.id));
            Some((a, std::fs::read_to_string(file).ok()?))
        })
        .map(|(a, served)| {
            let link = deep_link(&served);
            let read = wallet_reads(&link);
            let vc = &read["verifiablePresentation"]["verifiableCredential"][0];
            assert_eq!(
                vc,
                &serde_json::from_str::<Value>(&served).unwrap(),
                "{}",
                a.id
            );
            (a.id.clone(), link.len())
        })
        .collect()
}

#[test]
fn every_example_credential_fits_a_deep_link() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let lengths = link_lengths(&public, &site);
    assert!(lengths.len() > 50, "{}", lengths.len());
    let (id, longest) = lengths.iter().max_by_key(|(_, n)| *n).unwrap();
    let shortest = lengths.iter().map(|(_, n)| *n).min().unwrap();
    eprintln!("example deep links: {shortest}–{longest} characters (longest: {id})");
    assert!(*longest <= MAX_LINK, "{id}: {longest}");
    // Artwork travels by URL: no credential carries an image inline.
    for (id, _) in &lengths {
        let served =
            std::fs::read_to_string(public.join(format!("verify/{id}/credential.json"))).unwrap();
        assert!(!served.contains("\"data:"), "{id}");
    }
}

/// Content at the long end: a Chinese-first site (the credential carries
/// the default language), a long badge name, many skills, long criteria,
/// two pieces of evidence; and one far past that. The first fits a link;
/// the second is measured and must fall back (see the browser test).
pub fn long_content_site(criteria_chars: usize) -> Fixture {
    let f = Fixture::new();
    f.write(
        "content/site.yaml",
        &full(SITE)
            .replace("languages: [en, zh-CN]", "languages: [zh-CN, en]")
            .replace(
                "name: Test Issuer",
                "name: 全国信息技术专业人员能力评价与职业资格认证中心（测试）",
            ),
    );
    let skills: Vec<String> = (1..=15).map(|i| format!("云平台运维技能{i}")).collect();
    let criteria: String = "通过全部理论与实操考核，并完成项目答辩。"
        .chars()
        .cycle()
        .take(criteria_chars)
        .collect();
    f.write(
        "content/badges/exam-1.yaml",
        &format!(
            "id: exam-1\nkind: exam\nname: {{ zh-CN: \"高级云计算架构与分布式系统安全运维工程师（2026 版）“100%”实操认证考试\", en: Senior Cloud Exam }}\n\
             description: {{ zh-CN: \"{}\", en: An exam. }}\ncriteria: {{ zh-CN: \"{criteria}\", en: Pass it. }}\n\
             image: images/exam-1.svg\nskills: [{}]\n",
            "面向负责设计、部署和保障大规模云平台的工程师。".repeat(4),
            skills.join(", ")
        ),
    );
    f.append(
        "content/awards/a.yaml",
        "- id: LONG2222WWWW\n  badge: exam-1\n  earner: pub-ann\n  issued_on: 2026-02-01\n  evidence:\n    - { url: \"https://git.example.com/ann/项目\", narrative: \"设计并实现了一个多区域高可用的容器平台，包括监控、告警与灾备演练。\" }\n    - { url: \"https://exam.example.org/r/LONG2222WWWW\", narrative: \"在 48 小时实操考核中完成全部 12 项任务，评分 98%。\" }\n",
    );
    f
}

#[test]
fn long_chinese_content_is_measured_against_the_link_limit() {
    let mut report = Vec::new();
    for (criteria, fits) in [(120, true), (1200, false)] {
        let f = long_content_site(criteria);
        let r = f.build();
        assert_eq!(r.code, 0, "{}", r.stderr);
        let served = f.out("verify/LONG2222WWWW/credential.json");
        let link = deep_link(&served);
        let read = wallet_reads(&link);
        assert_eq!(
            read["verifiablePresentation"]["verifiableCredential"][0]["name"],
            "高级云计算架构与分布式系统安全运维工程师（2026 版）“100%”实操认证考试"
        );
        report.push(format!(
            "{criteria} characters of criteria: credential {} bytes, link {}",
            served.len(),
            link.len()
        ));
        assert_eq!(link.len() <= MAX_LINK, fits, "{}", report.join("; "));
    }
    eprintln!("long Chinese content: {}", report.join("; "));
}

/// Runs tests/browser/wallet.mjs on `pages` of `public`: what a phone and
/// a desktop show of the wallet part.
fn wallet_pages(public: &Path, out: &Path, pages: Value) -> Value {
    let result = run_script_on(
        "wallet.mjs",
        public,
        json!({ "pages": pages, "out": out, "shots": false }),
        None,
    );
    assert_eq!(result["problems"], json!([]), "{result}");
    result
}

fn zbar(png: &str) -> String {
    let out = std::process::Command::new("zbarimg")
        .args(["-q", "--raw", png])
        .output()
        .expect("zbarimg (Debian zbar-tools, installed by scripts/test)");
    assert!(
        out.status.success(),
        "zbarimg {png}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout)
        .unwrap()
        .trim_end()
        .to_string()
}

#[test]
#[ignore = "needs headless Chromium, playwright-core and zbar installed by scripts/test"]
fn phones_get_the_deep_link_and_desktops_the_credential_qr() {
    let tmp = tempfile::tempdir().unwrap();
    let public = tmp.path().join("public");
    let site = build_example(&public);
    let valid: Vec<_> = site
        .awards
        .iter()
        .filter(|a| a.status == Status::Valid && public.join(format!("verify/{}/", a.id)).is_dir())
        .step_by(9)
        .collect();
    let mut pages: Vec<Value> = valid
        .iter()
        .map(|a| json!({ "page": format!("verify/{}/", a.id), "name": a.id }))
        .collect();
    pages.push(json!({ "page": format!("zh-CN/verify/{}/", valid[0].id), "name": "zh" }));
    let result = wallet_pages(&public, tmp.path(), json!(pages));
    for a in &valid {
        let got = &result["pages"][&a.id];
        let served =
            std::fs::read_to_string(public.join(format!("verify/{}/credential.json", a.id)))
                .unwrap();
        assert_eq!(got["phone"]["href"], deep_link(&served), "{}", a.id);
        assert_eq!(got["phone"]["tap"], true, "{got}");
        assert_eq!(got["phone"]["scan"], false, "{got}");
        assert_eq!(got["desktop"]["tap"], false, "{got}");
        assert_eq!(got["desktop"]["scan"], true, "{got}");
        let url = format!("{}/verify/{}/credential.json", site.base_url, a.id);
        assert_eq!(zbar(got["desktop"]["qr"].as_str().unwrap()), url);
    }
    let zh = &result["pages"]["zh"];
    assert_eq!(zh["phone"]["tap"], true, "{zh}");
    assert_eq!(
        zbar(zh["desktop"]["qr"].as_str().unwrap()),
        format!("{}/verify/{}/credential.json", site.base_url, valid[0].id)
    );

    // A credential whose link would be too long: the phone keeps the
    // address to paste, and no link.
    let f = long_content_site(1200);
    assert_eq!(f.build().code, 0);
    let long = wallet_pages(
        &f.path().join("public"),
        tmp.path(),
        json!([{ "page": "verify/LONG2222WWWW/", "name": "long" }]),
    );
    let phone = &long["pages"]["long"]["phone"];
    assert_eq!(phone["href"], Value::Null, "{phone}");
    assert_eq!(phone["tap"], false, "{phone}");
    assert_eq!(phone["address"], true, "{phone}");
}
