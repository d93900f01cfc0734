//! The starter site `accolade init` writes: its files' text, and the
//! placeholders in it that must not reach a published site (`rules` warns
//! about each one still in place; `init` lists them).

/// A value the starter site ships that the issuer must replace.
pub struct Placeholder {
    /// What it is, as a warning names it.
    pub what: &'static str,
    /// The starter's value (for the logo: the file's text).
    pub value: &'static str,
    /// What to do about it.
    pub help: &'static str,
}

/// The starter's `base_url`.
pub const BASE_URL: Placeholder = Placeholder {
    what: "`base_url`",
    value: "https://credentials.example.org",
    help: "set the address the site will be published at, before handing out credentials: every credential id, link and QR code is built from it and cannot change later",
};
/// The starter's issuer website.
pub const ISSUER_URL: Placeholder = Placeholder {
    what: "the issuer's `url`",
    value: "https://example.org",
    help: "set the issuer's own website",
};
/// The starter's contact address, in `site.yaml` and in the FAQ.
pub const ISSUER_EMAIL: Placeholder = Placeholder {
    what: "the issuer's `email`",
    value: "credentials@example.org",
    help: "set the address earners and employers should write to about credentials (it is published)",
};
/// The starter's issuer name and site title.
pub const ISSUER_NAME: Placeholder = Placeholder {
    what: "the issuer's `name`",
    value: "Example Academy",
    help: "set the issuing organisation's name: it is on every credential",
};
pub const TITLE: Placeholder = Placeholder {
    what: "`title`",
    value: "Example Academy Credentials",
    help: "set the site's title, shown in every page's header and browser tab",
};
/// The starter's "EA" logo.
pub const LOGO: Placeholder = Placeholder {
    what: "the issuer's logo",
    value: ISSUER_SVG,
    help: "replace content/images/issuer.svg with the issuer's logo (square SVG, or PNG of at least 600 px); it is on every page and certificate",
};

/// Every placeholder, as `init` lists them.
pub const ALL: [&Placeholder; 6] = [
    &BASE_URL,
    &TITLE,
    &ISSUER_NAME,
    &ISSUER_URL,
    &ISSUER_EMAIL,
    &LOGO,
];

pub const SITE_YAML: &str = r#"# Site settings and the issuer profile. See README.md for every field.

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

pub const BADGE_YAML: &str = r#"# A badge class: one exam or certification, one file named after its id.
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

pub const EARNERS_YAML: &str = r#"# Earners: one YAML list per file; any file under content/earners/ is read.
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

pub const BADGE_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="600" height="600" viewBox="0 0 600 600" role="img"><title>First Exam</title><defs><linearGradient id="bg" x1="0" y1="0" x2="0.3" y2="1"><stop offset="0" stop-color="#2fb380"/><stop offset="1" stop-color="#0f5a44"/></linearGradient></defs><polygon points="300,28 535.6,164 535.6,436 300,572 64.4,436 64.4,164" fill="#d8f3e8"/><polygon points="300,58 509.6,179 509.6,421 300,542 90.4,421 90.4,179" fill="url(#bg)"/><path d="M225 250 L280 305 L385 200" fill="none" stroke="#fff" stroke-linecap="round" stroke-linejoin="round" stroke-width="26"/><text x="300" y="410" font-family="sans-serif" font-size="52" font-weight="bold" fill="#fff" text-anchor="middle">FIRST EXAM</text><text x="300" y="470" font-family="sans-serif" font-size="22" font-weight="bold" fill="#fff" text-anchor="middle" letter-spacing="3" opacity=".8">EXAMPLE ACADEMY</text></svg>
"##;

pub const ISSUER_SVG: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="400" height="400" viewBox="0 0 400 400" role="img"><title>Example Academy</title><rect width="400" height="400" rx="80" fill="#0f5a44"/><text x="200" y="262" font-family="sans-serif" font-size="190" font-weight="bold" fill="#fff" text-anchor="middle">EA</text></svg>
"##;

pub const FAQ_EN: &str = r#"Answers to the questions earners and employers ask most often. If yours is not here, write to [credentials@example.org](mailto:credentials@example.org).

## What is a digital badge?

An online record of something you achieved, such as passing an exam. Every badge links to a page on this site that shows who earned it, when, what it took, and whether it is still valid. The badge image you download carries that information inside the file.

## How do I check that a credential is genuine?

Scan the QR code on the certificate or open the link you were given. Make sure the page is on this site's address; it shows the status (valid, expired or revoked), the earner's name and the badge.

## Is my email address published?

Never. Credentials identify you by a salted hash of your email address, which lets a verifier who already knows your address confirm that the badge is yours.
"#;

pub const FAQ_ZH: &str = r#"以下是获得者和雇主最常问的问题。如果这里没有您的问题，请写信至 [credentials@example.org](mailto:credentials@example.org)。

## 什么是数字徽章？

数字徽章是您所取得成就（例如通过一场考试）的在线记录。每枚徽章都链接到本站的一个页面，显示获得者、获得时间、获得条件以及是否仍然有效。您下载的徽章图片文件中也包含这些信息。

## 如何确认证书是真实的？

扫描证书上的二维码或打开您收到的链接。请确认页面位于本站地址下；页面会显示状态（有效、已过期或已撤销）、获得者姓名和徽章。

## 我的电子邮件地址会被公开吗？

绝不会。证书通过加盐哈希来标识您的电子邮件地址，已知您地址的验证者可以据此确认徽章属于您。
"#;

pub const GITIGNORE: &str = "# Signing keys: never commit them. Back them up somewhere safe instead.\n\
keys/\n\
# The built site (`accolade build`), and its build record, which names\n\
# unlisted awards.\n\
public/\n\
.public.accolade/\n\
# `accolade report`: pending claims, declined awards, private earners' numbers.\n\
report.html\n";

pub const README: &str = r#"# Credentials site

Made with `accolade init`. The content is YAML under `content/`; the theme is
in `themes/default/` (delete it to use the copy built into accolade).

```sh
accolade check                                  # validate everything, write nothing
accolade serve                                  # preview at http://127.0.0.1:1111/, reloads on change
accolade build                                  # the site, in public/
accolade award --badge first-exam --earner e-sam-example   # mint and record an award
accolade import awards.csv                      # awards (and new earners) in bulk
accolade revoke AWARD --reason "Issued in error"           # revoke an award
```

`keys/` holds the signing key. It is in `.gitignore`: back it up, and in CI
pass it in the `ACCOLADE_SIGNING_KEY` environment variable.

Texts marked *localized* are either one plain string or a map from language
to text (`{ en: ..., zh-CN: ... }`); a language without its text shows the
default language's, and `accolade check` warns. Dates are `YYYY-MM-DD`.
Ids are permanent: they are in URLs and QR codes.

## `content/site.yaml`

| field | what |
|---|---|
| `title` | the site's title, in every page's header and browser tab |
| `base_url` | the absolute address the site is published at; every credential id and QR code is built from it |
| `languages` | e.g. `[en, zh-CN]`; the first is the default, served at `/`, the others under `/<lang>/` |
| `theme` | the theme folder under `themes/` (default `default`) |
| `award_files` | `lean` (default): per award its pages and two JSON files; `full`: also hosted baked images and QR files |
| `certificate_pages` | `true` only for a site that published `/verify/<award>/certificate/` addresses with accolade before 0.2: keeps them, as pages leading to the certificate (the verification page's print view) |
| `issuer.name`, `issuer.url`, `issuer.email` | the issuing organisation, its website and a public contact address (all required) |
| `issuer.description` | localized; on the issuer profile and credentials |
| `issuer.image` | a square logo, relative to `content/` |
| `issuer.linkedin_organization_id` | optional; LinkedIn then shows the logo on "Add to profile" |
| `issuer.revised_on` | the date the issuer's details in credentials last changed (`accolade build --reissue` writes it) |
| `signing.key_file` | the private key (default `keys/issuer.ed25519`) |
| `signing.previous_keys` | retired public keys (`z6Mk…`), kept so credentials they signed still verify |
| `jobs.name`, `jobs.url` | optional job board: `url` with `{skill}`, e.g. `https://jobs.example.org/search?q={skill}` |

## `content/badges/<id>.yaml`: one badge per file

| field | what |
|---|---|
| `id` | `[a-z0-9-]+`, the file's name |
| `kind` | `exam` or `certification` |
| `name`, `description` | localized |
| `criteria` | localized Markdown: what it takes to earn it |
| `image` | square SVG, or PNG of at least 600 px, relative to `content/` |
| `skills` | a list; each links to job searches |
| `alignment` | optional list of `{ name, url, framework, code, description }` |
| `validity` | optional: awards expire this long after issue (`1y`, `18m`, `90d`) |
| `requires` | certifications only: the exams they require |
| `badged` | default `true`; `false`: passing it never yields a badge |
| `retired_on` | optional: retired badges stay valid and verifiable |
| `revised_on` | the date what its credentials say last changed |

## `content/earners/*.yaml`: lists of earners

| field | what |
|---|---|
| `id` | `[a-z0-9-]+` |
| `name` | as it appears on credentials |
| `email` | never published; only salted hashes appear |
| `profile` | `public` (profile page, listed), `unlisted` (default: pages by link only) or `private` (nothing published) |
| `auto_accept` | default `false`: each award needs `accepted: true` |

## `content/awards/*.yaml`: lists of awards

| field | what |
|---|---|
| `id` | minted by `accolade award`: permanent and unguessable |
| `badge`, `earner` | ids of a badge and an earner |
| `issued_on` | the issue date |
| `expires_on` | optional; default from the badge's `validity` |
| `accepted` | default: the earner's `auto_accept` |
| `evidence` | optional list of `{ url, narrative }` (narrative in Markdown) |
| `revoked` | `{ on, reason }`; `accolade revoke` writes it |
| `revised_on` | the date the record was corrected after issue |

Changing what an issued credential says needs a `revised_on` date: `accolade
build` stops and says where, and `accolade build --reissue` writes it. Never
delete a published award's record: revoke it.
"#;
