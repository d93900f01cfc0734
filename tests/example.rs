//! The repository's example site: it builds, exercises every rule, and
//! publishes nothing it must not.

use std::collections::HashSet;

use crate::common::*;
use accolade::content::Visibility;
use accolade::render::{Job, Page};
use accolade::site::{Reason, Site, Status};

#[test]
fn example_site_exercises_every_rule_and_leaks_nothing() {
    let check = run_in(&example_root(), &["check"]);
    assert_eq!(check.code, 0, "{}", check.stderr);
    let (loaded, _) = accolade::build::resolve(&example_root(), None, NOW);
    let (_, site) = loaded.unwrap();
    assert!(site.badges.len() >= 12, "at least 12 badges");
    let total = site.awards.len() + site.unpublished.len();
    assert!(total >= 60, "at least 60 awards, found {total}");
    let statuses: HashSet<Status> = site.awards.iter().map(|a| a.status).collect();
    assert_eq!(statuses.len(), 3, "valid, expired and revoked awards");
    assert!(
        site.awards
            .iter()
            .any(|a| site.badges[a.badge].retired_on.is_some()),
        "a retired badge's award"
    );
    assert!(
        site.awards.iter().any(|a| !site.is_listed(a)),
        "an unlisted earner's award"
    );
    let reasons: Vec<&Reason> = site.unpublished.iter().map(|u| &u.reason).collect();
    for want in [
        Reason::NotAccepted,
        Reason::NotBadged,
        Reason::PrivateEarner,
    ] {
        assert!(reasons.contains(&&want), "{want:?} is exercised");
    }
    assert!(
        reasons
            .iter()
            .any(|r| matches!(r, Reason::Superseded { .. })),
        "a superseded exam"
    );
    assert!(
        site.badges.iter().any(|b| b.validity.is_some()),
        "a badge with validity"
    );
    assert!(
        site.badges.iter().any(|b| b.requires.len() == 1),
        "a single-exam certification"
    );

    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("public");
    let r = run_in(&example_root(), &["build", "--out", out.to_str().unwrap()]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let mut everything = String::new();
    for p in files(&out) {
        everything.push_str(&String::from_utf8_lossy(
            &std::fs::read(out.join(&p)).unwrap(),
        ));
        everything.push_str(&p.to_string_lossy());
    }
    for e in &site.earners {
        assert!(
            !everything.contains(&e.email),
            "the email of {} is published",
            e.id
        );
        if e.visibility == Visibility::Private {
            assert!(
                !everything.contains(&e.name),
                "private earner {} is published",
                e.id
            );
            assert!(
                !everything.contains(&e.id),
                "private earner {} is published",
                e.id
            );
        }
    }
    for u in &site.unpublished {
        assert!(
            !everything.contains(&u.award.id),
            "unpublished award {} appears",
            u.award.id
        );
    }
    assert!(
        !everything.contains("PRIVATE KEY") && !everything.contains("demo-issuer.ed25519"),
        "no key material"
    );
}

/// `plan` knows what every job writes without rendering it (the
/// incremental build relies on that), and `paths` alone spells it.
#[test]
fn every_job_writes_exactly_the_outputs_the_plan_names() {
    let loaded = accolade::build::load(&example_root(), None, NOW)
        .unwrap_or_else(|d| panic!("{}", d.render(&example_root())));
    let (renderer, warnings) = accolade::build::prepare(&loaded).unwrap();
    // Every card of the example (English and Chinese) is drawn with real
    // glyphs: nothing shows as a box.
    assert_eq!(renderer.undrawable_text(), []);
    assert!(
        !warnings.render(&example_root()).contains("preview card"),
        "{}",
        warnings.render(&example_root())
    );
    let mut all = HashSet::new();
    for job in renderer.plan() {
        let files = renderer.render(job).unwrap();
        let rendered: Vec<String> = files.iter().map(|f| f.path.clone()).collect();
        assert_eq!(rendered, job.outputs(&loaded.site), "{job:?}");
        zh_pages_preview_with_zh_cards(&loaded.site, job, &files);
        for path in rendered {
            assert!(all.insert(path.clone()), "two jobs write {path}");
        }
    }
    assert!(all.contains("verify/index.html") && all.contains("sitemap.xml"));
}

/// The example's Chinese badge and verification pages share the Chinese
/// card, English ones the English card.
fn zh_pages_preview_with_zh_cards(site: &Site, job: &Job, files: &[accolade::render::File]) {
    let Job::Page { lang, page } = job else {
        return;
    };
    let badge = match page {
        Page::Badge(b) => *b,
        Page::Award(a) => site.awards[*a].badge,
        _ => return,
    };
    let prefix = if *lang == 0 { "" } else { "zh-CN/" };
    let card = format!(
        "property=og:image content={}/{prefix}badges/{}-card.png>",
        site.base_url, site.badges[badge].id
    );
    let html = String::from_utf8_lossy(&files[0].bytes);
    assert!(html.contains(&card), "{} lacks `{card}`", files[0].path);
}
