//! `accolade init <DIR>`: a new site that passes `check` and `build` as it
//! is: a commented `site.yaml`, one badge with SVG artwork, one earner, one
//! award, an FAQ in English and Chinese, the default theme written out for
//! customising, a fresh signing key under `keys/`, and a `.gitignore` that
//! keeps `keys/` and `public/` out of git.
//!
//! It only ever writes into a new or empty directory.

use std::path::Path;

use crate::content::edit::NewAward;
use crate::content::mint::Minter;
use crate::error::{Error, Result};
use crate::theme::DEFAULT_THEME;

/// `accolade init --help`, after the options.
pub const HELP: &str = "\
Example:
  accolade init my-credentials && accolade serve --root my-credentials";

/// Where the signing key goes, relative to the site (as `site.yaml` says).
pub const KEY_FILE: &str = crate::signing::DEFAULT_KEY_FILE;

pub fn run(dir: &Path) -> Result<()> {
    ensure_empty(dir)?;
    // The starter award is dated yesterday, so the README's own
    // `accolade award` example (issued today) works on day one.
    let now = crate::dates::now_epoch().map_err(|m| Error::usage(m, None))?;
    let issued_on = crate::dates::Date::from_unix(now - 86_400);
    let id = Minter::empty()
        .mint()
        .map_err(|m| Error::refused(m, None))?;
    let award = NewAward {
        id,
        badge: "first-exam".into(),
        earner: "e-sam-example".into(),
        issued_on,
        expires_on: None,
        evidence: None,
    };
    let files = starter_files(&award);
    for (rel, bytes) in &files {
        let path = dir.join(rel);
        path.parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, bytes))
            .map_err(|e| Error::io("write", &path, e))?;
    }
    crate::signing::Key::generate()
        .write_key(&dir.join(KEY_FILE))
        .map_err(|m| {
            Error::refused(
                format!("cannot create the signing key `{KEY_FILE}`: {m}"),
                None,
            )
        })?;

    eprintln!(
        "Created a new site in `{}`: {}, the default theme in `themes/default/` and a new signing key in `{KEY_FILE}` (kept out of git: back it up).",
        dir.display(),
        crate::text::count(files.len() + 1, "file"),
    );
    eprintln!(
        "Next: edit `content/site.yaml` (title, base_url, issuer), then\n  \
         accolade check --root {0}\n  \
         accolade serve --root {0}      # preview at http://127.0.0.1:1111/\n  \
         accolade build --root {0}      # the site, in {0}/public/",
        dir.display()
    );
    Ok(())
}

/// A site is only ever created in a new or empty directory.
fn ensure_empty(dir: &Path) -> Result<()> {
    match std::fs::read_dir(dir).map(|mut entries| entries.next().is_some()) {
        Ok(true) => Err(Error::usage(
            format!(
                "`{}` is not empty; `accolade init` creates a site only in a new or empty directory",
                dir.display()
            ),
            Some("name a new directory, e.g. `accolade init my-credentials`"),
        )),
        Ok(false) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(e) => Err(Error::usage(
            format!("cannot use `{}` for a new site: {e}", dir.display()),
            None,
        )),
    }
}

/// Every file of the starter site, relative to its directory, but the key.
fn starter_files(award: &NewAward) -> Vec<(String, Vec<u8>)> {
    let awards_file = format!("content/awards/{}.yaml", award.issued_on.year);
    let awards = format!(
        "# Award records: one YAML list per file; any file under content/awards/ is\n\
         # read. Add awards with `accolade award --badge B --earner E` (it mints the\n\
         # id and appends here, keeping comments) or in bulk with `accolade import`.\n\
         #\n\
         # Award ids are permanent: they are in every verification URL and QR code.\n\n{}",
        award.to_yaml()
    );
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("content/site.yaml".into(), SITE_YAML.into()),
        ("content/badges/first-exam.yaml".into(), BADGE_YAML.into()),
        ("content/images/first-exam.svg".into(), BADGE_SVG.into()),
        ("content/images/issuer.svg".into(), ISSUER_SVG.into()),
        ("content/earners/people.yaml".into(), EARNERS_YAML.into()),
        (awards_file, awards.into_bytes()),
        ("content/faq/en.md".into(), FAQ_EN.into()),
        ("content/faq/zh-CN.md".into(), FAQ_ZH.into()),
        (".gitignore".into(), GITIGNORE.into()),
        ("README.md".into(), README.into()),
    ];
    files.extend(
        DEFAULT_THEME
            .iter()
            .map(|(p, b)| (format!("themes/default/{p}"), b.to_vec())),
    );
    files
}

const SITE_YAML: &str = r#"# Site settings and the issuer profile. See README.md for every field.

# Shown in the page header and the browser tab.
title: Example Academy Credentials

# The absolute address the site will be published at. Every badge, award
# and QR code URL is built from it, so choose it before handing out
# credentials and never change it afterwards. (`accolade serve` previews
# the site with its own address.)
base_url: https://credentials.example.org

# Interface and content languages. The first is the default, served at the
# root; the others are under /<lang>/ (here /zh-CN/). Each needs
# themes/<theme>/i18n/<lang>.yaml.
languages: [en, zh-CN]

# The theme folder under themes/. The default theme is written out there for
# you to customise; delete the folder to use the copy built into accolade.
theme: default

# The organisation that issues the badges: the Open Badges issuer Profile
# (/issuer.json), shown on every credential.
issuer:
  name: Example Academy
  # The issuer's own website (not this credential site).
  url: https://example.org
  # A public contact address for questions about credentials.
  email: credentials@example.org
  # Localized texts are maps from language to text, or one plain string.
  description:
    en: Example Academy runs exams and certifications. Every credential on this site is issued and hosted by the Academy itself.
    zh-CN: 示例学院提供考试与认证。本站的每一项证书均由学院自行颁发和托管。
  # A square logo, relative to content/.
  image: images/issuer.svg
  # Optional: lets LinkedIn show the issuer logo on "Add to profile".
  # linkedin_organization_id: "1234567"

# Optional: every skill links to LinkedIn Jobs, and also to this job board's
# search; `{skill}` is replaced by the skill.
# jobs:
#   name: National Job Board
#   url: "https://jobs.example.org/search?q={skill}"

# Credentials are signed with this Ed25519 private key. It is never copied to
# the output; keys/ is in .gitignore: back the key up somewhere safe, since a
# new key cannot sign for credentials already handed out. In CI, pass the key
# in the ACCOLADE_SIGNING_KEY environment variable instead.
signing:
  key_file: keys/issuer.ed25519
"#;

const BADGE_YAML: &str = r#"# A badge class: one exam or certification, one file named after its id.
id: first-exam                  # permanent: it is in URLs
kind: exam                      # exam | certification
name:
  en: First Exam
  zh-CN: 第一场考试
description:
  en: Shows that the holder passed Example Academy's first exam.
  zh-CN: 证明持有人通过了示例学院的第一场考试。
# What it takes to earn the badge, in Markdown.
criteria:
  en: |
    Pass the proctored **First Exam** with a score of 700 or higher
    (out of 1000).
  zh-CN: |
    通过监考的**第一场考试**，成绩达到 700 分或以上（满分 1000 分）。
# Square SVG, or PNG of at least 600 px, relative to content/.
image: images/first-exam.svg
skills: [getting started]
# Optional: awards expire this long after they are issued (1y, 18m, 90d).
# validity: 2y
"#;

const EARNERS_YAML: &str = r#"# Earners: one YAML list per file; any file under content/earners/ is read.
#
#   profile:     public   - award pages listed on a profile page and in the sitemap
#                unlisted - award pages reachable by link and QR code only (the default)
#                private  - nothing about the earner is published
#   auto_accept: true     - awards are published without the earner accepting them
#                           (default false: each award needs `accepted: true`)
#
# Email addresses are never published; only salted hashes appear in the output.

- id: e-sam-example
  name: Sam Example
  email: sam@example.com
  profile: public
  auto_accept: true
"#;

const BADGE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600" role="img"><title>First Exam</title><defs><linearGradient id="bg" x1="0" y1="0" x2="0.3" y2="1"><stop offset="0" stop-color="#2fb380"/><stop offset="1" stop-color="#0f5a44"/></linearGradient></defs><polygon points="300,28 535.6,164 535.6,436 300,572 64.4,436 64.4,164" fill="#d8f3e8"/><polygon points="300,58 509.6,179 509.6,421 300,542 90.4,421 90.4,179" fill="url(#bg)"/><path d="M225 250 L280 305 L385 200" fill="none" stroke="#fff" stroke-linecap="round" stroke-linejoin="round" stroke-width="26"/><text x="300" y="410" font-family="sans-serif" font-size="52" font-weight="bold" fill="#fff" text-anchor="middle">FIRST EXAM</text><text x="300" y="470" font-family="sans-serif" font-size="22" font-weight="bold" fill="#fff" text-anchor="middle" letter-spacing="3" opacity=".8">EXAMPLE ACADEMY</text></svg>
"##;

const ISSUER_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img"><title>Example Academy</title><rect width="400" height="400" rx="80" fill="#0f5a44"/><text x="200" y="262" font-family="sans-serif" font-size="190" font-weight="bold" fill="#fff" text-anchor="middle">EA</text></svg>
"##;

const FAQ_EN: &str = r#"Answers to the questions earners and employers ask most often. If yours is not here, write to [credentials@example.org](mailto:credentials@example.org).

## What is a digital badge?

An online record of something you achieved, such as passing an exam. Every badge links to a page on this site that shows who earned it, when, what it took, and whether it is still valid. The badge image you download carries that information inside the file.

## How do I check that a credential is genuine?

Scan the QR code on the certificate or open the link you were given. Make sure the page is on this site's address; it shows the status (valid, expired or revoked), the earner's name and the badge.

## Is my email address published?

Never. Credentials identify you by a salted hash of your email address, which lets a verifier who already knows your address confirm that the badge is yours.
"#;

const FAQ_ZH: &str = r#"以下是获得者和雇主最常问的问题。如果这里没有您的问题，请写信至 [credentials@example.org](mailto:credentials@example.org)。

## 什么是数字徽章？

数字徽章是您所取得成就（例如通过一场考试）的在线记录。每枚徽章都链接到本站的一个页面，显示获得者、获得时间、获得条件以及是否仍然有效。您下载的徽章图片文件中也包含这些信息。

## 如何确认证书是真实的？

扫描证书上的二维码或打开您收到的链接。请确认页面位于本站地址下；页面会显示状态（有效、已过期或已撤销）、获得者姓名和徽章。

## 我的电子邮件地址会被公开吗？

绝不会。证书通过加盐哈希来标识您的电子邮件地址，已知您地址的验证者可以据此确认徽章属于您。
"#;

const GITIGNORE: &str = "# Signing keys: never commit them. Back them up somewhere safe instead.\n\
keys/\n\
# The built site (`accolade build`).\n\
public/\n";

const README: &str = r#"# Credentials site

Made with `accolade init`. The content is YAML under `content/`; the theme is
in `themes/default/` (delete it to use the copy built into accolade).

```sh
accolade check                                  # validate everything, write nothing
accolade serve                                  # preview at http://127.0.0.1:1111/, reloads on change
accolade build                                  # the site, in public/
accolade award --badge first-exam --earner e-sam-example   # mint and record an award
accolade import awards.csv                      # awards (and new earners) in bulk
```

`keys/` holds the signing key. It is in `.gitignore`: back it up, and in CI
pass it in the `ACCOLADE_SIGNING_KEY` environment variable.
"#;
