//! Certification paths: a certification's badge page lists the exams it
//! requires (retired ones marked), its credentials name them as
//! alignments, and a public profile shows the progress toward each
//! certification an earner has started, at every stage of the path.

use serde_json::Value;

use crate::common::*;

fn badge(id: &str, kind: &str, en: &str, zh: &str, extra: &str) -> String {
    format!(
        "id: {id}\nkind: {kind}\nname: {{ en: {en}, zh-CN: {zh} }}\ndescription: {{ en: {en}., zh-CN: {zh}。 }}\ncriteria: {{ en: Pass., zh-CN: 通过。 }}\nimage: images/a.svg\n{extra}"
    )
}

/// A path of three exams (the third retired) to `cert-3`, a single-exam
/// certification `cert-1` (which supersedes `exam-a`'s award), and a
/// public earner at each stage.
fn path_site() -> Fixture {
    let f = Fixture::empty();
    f.write("content/site.yaml", &full(SITE));
    f.write_key("keys/test.ed25519");
    f.write("content/images/a.svg", SVG);
    f.write(
        "content/badges/exam-a.yaml",
        &badge("exam-a", "exam", "Exam A", "考试甲", "validity: 2y\n"),
    );
    f.write(
        "content/badges/exam-b.yaml",
        &badge("exam-b", "exam", "Exam B", "考试乙", "validity: 1y\n"),
    );
    f.write(
        "content/badges/exam-c.yaml",
        &badge(
            "exam-c",
            "exam",
            "Exam C",
            "考试丙",
            "retired_on: 2026-03-01\n",
        ),
    );
    f.write(
        "content/badges/cert-3.yaml",
        &badge(
            "cert-3",
            "certification",
            "Three Cert",
            "三科认证",
            "requires: [exam-a, exam-b, exam-c]\n",
        ),
    );
    f.write(
        "content/badges/cert-1.yaml",
        &badge(
            "cert-1",
            "certification",
            "One Cert",
            "单科认证",
            "requires: [exam-a]\n",
        ),
    );
    let earners: String = ["none", "one", "expired", "all", "certified", "via-cert"]
        .iter()
        .map(|e| format!("- {{ id: {e}, name: Earner {e}, email: {e}@example.com, profile: public, auto_accept: true }}\n"))
        .collect();
    f.write("content/earners/people.yaml", &earners);
    let awards = [
        ("ONEA2222AAAA", "exam-a", "one", "2026-02-01"),
        ("EXPA2222AAAA", "exam-a", "expired", "2026-02-01"),
        ("EXPB2222AAAA", "exam-b", "expired", "2025-01-01"),
        ("ALLA2222AAAA", "exam-a", "all", "2026-02-01"),
        ("ALLB2222AAAA", "exam-b", "all", "2026-02-01"),
        ("ALLC2222AAAA", "exam-c", "all", "2025-06-01"),
        ("CRTA2222AAAA", "exam-a", "certified", "2026-01-01"),
        ("CRTB2222AAAA", "exam-b", "certified", "2026-01-01"),
        ("CRTC2222AAAA", "exam-c", "certified", "2025-06-01"),
        ("CRT32222AAAA", "cert-3", "certified", "2026-02-01"),
        ("VIAA2222AAAA", "exam-a", "via-cert", "2026-01-01"),
        ("VIA12222AAAA", "cert-1", "via-cert", "2026-02-01"),
    ];
    let awards: String = awards
        .iter()
        .map(|(id, b, e, on)| {
            format!("- {{ id: {id}, badge: {b}, earner: {e}, issued_on: {on} }}\n")
        })
        .collect();
    f.write("content/awards/a.yaml", &awards);
    f.write("content/faq/en.md", "## Q\nA.\n");
    f.write("content/faq/zh-CN.md", "## 问\n答。\n");
    f
}

/// A step of a path: (state, exam name, link).
type Step = (String, String, String);
/// A path: (certification, summary, steps).
type Path = (String, String, Vec<Step>);

/// The profile's progress section, read from the HTML.
fn progress(page: &str) -> Vec<Path> {
    let Some(start) = page.find("id=progress-heading") else {
        return Vec::new();
    };
    let section = &page[start..page[start..].find("</section>").unwrap() + start];
    let between = |s: &str, a: &str, b: &str| -> String {
        let i = s.find(a).unwrap() + a.len();
        s[i..i + s[i..].find(b).unwrap()].to_string()
    };
    section
        .split("<li class=\"panel path\">")
        .skip(1)
        .map(|p| {
            let title = between(p, "<h3 class=path__title>", "</h3>");
            let cert = between(&title, ">", "</a>");
            let summary = between(p, "<p class=path__summary>", "</p>");
            let steps = p
                .split("<li class=\"path__step path__step--")
                .skip(1)
                .map(|s| {
                    let state = s[..s.find('"').unwrap()].to_string();
                    let link = between(s, "<a href=", ">");
                    let name = between(s, &format!("<a href={link}>"), "</a>");
                    let retired = s[..s.find("</li>").unwrap()].contains("path__retired");
                    (
                        state,
                        format!("{name}{}", if retired { " (retired)" } else { "" }),
                        link,
                    )
                })
                .collect();
            (cert, summary, steps)
        })
        .collect()
}

#[test]
fn profiles_show_the_progress_toward_each_certification_started() {
    let f = path_site();
    let r = f.build();
    assert_eq!(r.code, 0, "{}", r.stderr);
    let page = |e: &str| f.out(&format!("earners/{e}/index.html"));
    let step = |state: &str, name: &str, link: &str| {
        (state.to_string(), name.to_string(), link.to_string())
    };
    let badge = |b: &str| format!("../../badges/{b}/");
    let award = |a: &str| format!("../../verify/{a}/");

    let path = |e: &str, cert: &str| {
        progress(&page(e))
            .into_iter()
            .find(|p| p.0 == cert)
            .unwrap_or_else(|| panic!("{e}: no path to {cert}: {:?}", progress(&page(e))))
    };
    assert_eq!(progress(&page("none")), vec![], "no exams, no path");
    // One exam passed: both certifications it counts towards, in the
    // site's order; the single-exam one has all it needs.
    let one = progress(&page("one"));
    let certs: Vec<&str> = one.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(certs, ["One Cert", "Three Cert"]);
    assert_eq!(one[0].1, "1 of 1 exams passed");
    assert_eq!(
        path("one", "Three Cert"),
        (
            "Three Cert".into(),
            "1 of 3 exams passed".into(),
            vec![
                step("done", "Exam A", &award("ONEA2222AAAA")),
                step("todo", "Exam B", &badge("exam-b")),
                step("todo", "Exam C (retired)", &badge("exam-c")),
            ]
        )
    );
    let expired = path("expired", "Three Cert");
    assert_eq!(
        expired.2[1],
        step("expired", "Exam B", &award("EXPB2222AAAA")),
        "an expired exam is shown as such: {expired:?}"
    );
    assert_eq!(expired.1, "1 of 3 exams passed");
    // Every exam passed, a retired one included, but not yet certified.
    let all = path("all", "Three Cert");
    assert_eq!(all.1, "3 of 3 exams passed", "{all:?}");
    assert_eq!(
        all.2[2],
        step("done", "Exam C (retired)", &award("ALLC2222AAAA"))
    );
    // Certified: no path to that certification any more.
    assert!(
        progress(&page("certified"))
            .iter()
            .all(|p| p.0 != "Three Cert")
    );
    // exam-a's award is superseded by cert-1 (not published): the
    // certification stands for the exam on the longer path.
    let via = progress(&page("via-cert"));
    assert!(!f.exists("verify/VIAA2222AAAA/index.html"), "superseded");
    assert_eq!(via.len(), 1, "cert-1 is held: {via:?}");
    assert_eq!(
        via[0].2[0],
        step("done", "Exam A", &award("VIA12222AAAA")),
        "{via:?}"
    );

    // In Chinese, from the Chinese profile.
    let zh: Vec<_> = progress(&f.out("zh-CN/earners/expired/index.html"))
        .into_iter()
        .filter(|p| p.0 == "三科认证")
        .collect();
    assert_eq!(zh.len(), 1);
    assert_eq!(zh[0].1, "已通过 1/3 门考试");
    assert_eq!(zh[0].2[1].0, "expired");
    assert!(f.out("zh-CN/earners/expired/index.html").contains("已过期"));
    // No script on a profile beyond the status re-check.
    assert!(!page("all").contains("<script>"));
}

#[test]
fn certification_pages_and_credentials_name_the_required_exams() {
    let f = path_site();
    assert_eq!(f.build().code, 0);
    let page = f.out("badges/cert-3/index.html");
    for (b, name) in [("exam-a", "Exam A"), ("exam-b", "Exam B")] {
        assert!(
            page.contains(&format!("<a href=../../badges/{b}/>{name}</a></li>")),
            "{page}"
        );
    }
    assert!(
        page.contains("<a href=../../badges/exam-c/>Exam C</a> <span class=path__retired>(retired: no longer offered)</span>"),
        "{page}"
    );
    let cred: Value = serde_json::from_str(&f.out("verify/CRT32222AAAA/credential.json")).unwrap();
    let alignment = &cred["credentialSubject"]["achievement"]["alignment"];
    let names: Vec<&str> = alignment
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            assert_eq!(a["type"], serde_json::json!(["Alignment"]));
            assert_eq!(a["targetType"], "ceterms:Credential");
            let code = a["targetCode"].as_str().unwrap();
            assert_eq!(
                a["targetUrl"],
                format!("https://cred.example.org/badges/{code}/")
            );
            a["targetName"].as_str().unwrap()
        })
        .collect();
    assert_eq!(names, ["Exam A", "Exam B", "Exam C"]);
    let class: Value = serde_json::from_str(&f.out("badges/cert-3.json")).unwrap();
    assert_eq!(class["alignment"].as_array().unwrap().len(), 3);
    assert_eq!(
        class["alignment"][0]["targetUrl"],
        "https://cred.example.org/badges/exam-a/"
    );
    // An exam's credential names no path.
    let exam: Value = serde_json::from_str(&f.out("verify/ONEA2222AAAA/credential.json")).unwrap();
    assert_eq!(
        exam["credentialSubject"]["achievement"].get("alignment"),
        None
    );
}
