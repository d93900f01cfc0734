//! The pages: each kind's template context (small views, see `views`),
//! and what every page gets (its URL, its languages, the way back to the
//! root) before the template renders and the result is compacted.

use std::sync::atomic::Ordering;

use serde::Serialize;
use serde_json::Value;
use tera::Context;

use super::skeleton::{Holes, Skeleton};
use super::views::*;
use super::*;
use crate::openbadges::print::PrintCredential;
use crate::signing::Key;

#[derive(Serialize)]
struct PageView {
    kind: &'static str,
    path: String,
    url: String,
    title: String,
    description: String,
    noindex: bool,
    alternates: Vec<Alternate>,
    /// Absolute URL of the link-preview image (PNG), or empty.
    image: String,
    image_width: u32,
    image_height: u32,
}

/// Root-relative paths of an award's files, for download links. With
/// `award_files: full` the baked images and QR codes are hosted (`png`,
/// `svg`, `qr_svg`, `qr_png`); otherwise they are empty and
/// `static/download.js` makes them from the artwork (`art_png`, `art_svg`)
/// and the two documents. `qr` is the QR code as inline SVG, on every page.
#[derive(Serialize)]
struct AwardDownloads {
    full: bool,
    png: String,
    svg: String,
    assertion: String,
    /// The assertion's absolute URL: the `verify` attribute of a baked SVG.
    assertion_url: String,
    credential: String,
    art_png: String,
    art_svg: String,
    qr_svg: String,
    qr_png: String,
    qr: String,
    /// The credential's absolute URL: `static/wallet.js` draws its QR code
    /// for a wallet app to scan (a wallet's scanner imports JSON, not the
    /// page's HTML).
    credential_url: String,
    /// The text of the certificate's QR code (printed only): the verifier's
    /// address with the award's print credential in the fragment
    /// (`openbadges::print`). Empty if it could not be made; the
    /// certificate then prints the address's QR code, as it does without
    /// script.
    print_qr: String,
}

fn award_downloads(
    site: &Site,
    award: &crate::site::Award,
    qr_label: &str,
    print_qr: String,
) -> AwardDownloads {
    let id = &award.id;
    let badge = &site.badges[award.badge];
    let has_svg = badge.image_ext() == "svg";
    let full = site.full_award_files();
    let hosted = |p: String| if full { p } else { String::new() };
    let url = site.verify_url(award);
    let credential_url = site.url(&paths::credential(id));
    AwardDownloads {
        full,
        png: hosted(paths::baked(id, "png")),
        svg: if has_svg {
            hosted(paths::baked(id, "svg"))
        } else {
            String::new()
        },
        assertion: paths::assertion(id),
        assertion_url: crate::openbadges::ob2::assertion_url(site, award),
        credential: paths::credential(id),
        art_png: paths::badge_art(&badge.id, "png"),
        art_svg: if has_svg {
            paths::badge_art(&badge.id, "svg")
        } else {
            String::new()
        },
        qr_svg: hosted(paths::qr(id, "svg")),
        qr_png: hosted(paths::qr(id, "png")),
        qr: inline_qr(&url, qr_label),
        credential_url,
        print_qr,
    }
}

/// The text of the certificate's QR code in `lang`: the verifier's address
/// with the award's print credential in the fragment. The page carries the
/// text and the browser draws the code when the page is printed
/// (`static/qrgen.js`): drawing a code this dense here cost more than the
/// rest of the award's pages, and its image more bytes than its text.
fn print_qr(site: &Site, award: &crate::site::Award, lang: &str, key: &Key) -> String {
    PrintCredential::new(site, award, lang, key)
        .map(|pc| pc.qr_text(site, &site.lang_prefix(lang)))
        .unwrap_or_default()
}

/// A QR code as inline SVG, 180 px wide; empty if the URL is too long
/// for a QR code.
fn inline_qr(url: &str, label: &str) -> String {
    crate::qr::Matrix::encode_recent(url, qrcode::EcLevel::Q)
        .map(|m| m.to_inline_svg(label, 180))
        .unwrap_or_default()
}

#[derive(Serialize)]
struct PrintView {
    did: String,
    did_url: &'static str,
    status_list: &'static str,
    contexts: String,
    worker: &'static str,
}

#[derive(Serialize)]
struct Alternate {
    lang: String,
    name: String,
    url: String,
    href: String,
    current: bool,
}

/// A page's title, description and preview card.
struct Meta {
    title: String,
    description: String,
    /// Path of the link-preview image (PNG), if the page has one.
    image: Option<String>,
}

impl Meta {
    fn new(title: &str, description: &str) -> Meta {
        Meta {
            title: title.to_string(),
            description: description.to_string(),
            image: None,
        }
    }

    /// The badge's card in the page's own language (`lang_prefix`), so a
    /// link shared from a Chinese page previews in Chinese.
    fn card(mut self, lang_prefix: &str, badge: &crate::site::Badge) -> Meta {
        self.image = Some(paths::badge_card(lang_prefix, &badge.id));
        self
    }
}

impl Renderer<'_> {
    pub(super) fn page(&self, lang: usize, page: Page) -> Result<Vec<File>, Diagnostic> {
        let l = &self.langs[lang];
        if let Page::Award(a) = page {
            return self.award_page(lang, a);
        }
        let mut ctx = Context::new();
        let meta = match page {
            Page::Index => self.catalogue(l, &mut ctx),
            Page::Badge(b) => self.badge_page(l, b, &mut ctx),
            Page::Award(_) => unreachable!("rendered above"),
            Page::Certificate(a) => self.certificate_page(l, a, &mut ctx),
            Page::Earner(e) => self.earner_page(l, e, &mut ctx),
            Page::Retired => self.retired_page(l, &mut ctx),
            Page::Faq => self.faq_page(l, &mut ctx),
            Page::Verifier => self.verifier_page(l, &mut ctx),
            Page::NotFound => Meta::new(l.strings.get("not_found_title"), ""),
            Page::Claim(c) => self.claim_page(l, c, &mut ctx),
            Page::Claimed(c) => self.claimed_page(l, c, &mut ctx),
        };
        self.finish(l, page, meta, ctx)
    }

    fn catalogue(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let current = |kind: &str| -> Vec<&BadgeView> {
            l.badges
                .iter()
                .filter(|b| b.kind == kind && b.badged && !b.retired)
                .collect()
        };
        ctx.insert("exams", &current("exam"));
        ctx.insert("certifications", &current("certification"));
        let site = self.site;
        Meta::new(
            site.text(&site.title, &l.strings.lang),
            l.strings.get("catalogue_description"),
        )
    }

    fn badge_page(&self, l: &Lang, b: usize, ctx: &mut Context) -> Meta {
        let v = &l.badges[b];
        ctx.insert_value("badge", l.badge_values[b].clone());
        let insights = super::insights::insights_view(self.site, b, &l.strings);
        if !insights.is_empty() {
            ctx.insert("insights", &insights);
        }
        let prefix = self.site.lang_prefix(&l.strings.lang);
        Meta::new(&v.name, &v.description).card(&prefix, &self.site.badges[b])
    }

    /// The verification page, which also prints as the certificate: from
    /// its skeleton where one serves (`skeleton`), else rendered.
    fn award_page(&self, lang: usize, a: usize) -> Result<Vec<File>, Diagnostic> {
        let l = &self.langs[lang];
        let page = Page::Award(a);
        let (mut vars, meta) = self.award_vars(l, a);
        let own_title = meta.title != self.site.text(&self.site.title, &l.strings.lang);
        let frame = self.frame(l, page, meta);
        vars.push(("page", to_value(&frame.view)));
        let Some(skeletons) = self.skeletons.as_ref().filter(|_| own_title) else {
            return self.render_vars(l, a, &frame, &vars).map(|b| frame.file(b));
        };
        let badge = self.site.awards[a].badge;
        let holes = Holes::of(&format!("{lang}:{badge}:{}|", frame.root), &vars);
        let entry = match skeletons.get(&holes.signature) {
            Some(entry) => entry,
            None if skeletons.is_full() => {
                skeletons.rendered.fetch_add(1, Ordering::Relaxed);
                return self.render_vars(l, a, &frame, &vars).map(|b| frame.file(b));
            }
            None => {
                let marked = Holes::placeholders(&vars);
                let skeleton = self
                    .render_html(l, a, &frame, &marked)
                    .ok()
                    .and_then(|html| Skeleton::parse(compact::compact_marked(html.as_bytes())));
                skeletons.insert(holes.signature.clone(), skeleton)
            }
        };
        let filled = match entry.fill(&holes.values) {
            Ok(bytes) if !skeletons.check_all => {
                skeletons.filled.fetch_add(1, Ordering::Relaxed);
                return Ok(frame.file(bytes));
            }
            other => other,
        };
        let bytes = self.render_vars(l, a, &frame, &vars)?;
        let counter = match filled {
            Ok(f) if f != bytes => return Err(skeleton_mismatch(&frame)),
            Ok(_) => &skeletons.filled,
            Err(check) => {
                if check {
                    entry.check(&holes.values, &bytes);
                }
                &skeletons.rendered
            }
        };
        counter.fetch_add(1, Ordering::Relaxed);
        Ok(frame.file(bytes))
    }

    /// The per-award values of an award's page, and its title.
    fn award_vars(&self, l: &Lang, a: usize) -> (Vec<(&'static str, Value)>, Meta) {
        let site = self.site;
        let s = &l.strings;
        let award = &site.awards[a];
        let earner = &site.earners[award.earner];
        let badge = &l.badges[award.badge];
        let view = award_view(site, award, s);
        let title = format!("{} — {}", badge.name, earner.name);
        let description = format!(
            "{}: {} — {}",
            view.status_label,
            badge.name,
            site.issuer_name(&s.lang)
        );
        let print = print_qr(site, award, &s.lang, self.key);
        let mut vars = vec![
            (
                "files",
                to_value(&award_downloads(site, award, s.get("qr_alt"), print)),
            ),
            ("award", to_value(&view)),
            ("earner", to_value(&earner_view(earner))),
        ];
        if award.status == crate::site::Status::Valid {
            let share = share::page_share(site, award, s);
            vars.push(("share_data", Value::String(share.data.to_json())));
            vars.push(("share", to_value(&share)));
        }
        if site.is_listed(award) {
            vars.push((
                "json_ld",
                Value::String(share::json_ld(site, award, &s.lang)),
            ));
        }
        let prefix = site.lang_prefix(&s.lang);
        let meta = Meta::new(&title, &description).card(&prefix, &site.badges[award.badge]);
        (vars, meta)
    }

    /// An award's page rendered from `vars` (and what every award page
    /// shares), compacted.
    fn render_vars(
        &self,
        l: &Lang,
        a: usize,
        frame: &Frame,
        vars: &[(&'static str, Value)],
    ) -> Result<Vec<u8>, Diagnostic> {
        let html = self.render_html(l, a, frame, vars)?;
        Ok(compact::compact(html.as_bytes()))
    }

    fn render_html(
        &self,
        l: &Lang,
        a: usize,
        frame: &Frame,
        vars: &[(&'static str, Value)],
    ) -> Result<String, Diagnostic> {
        let mut ctx = Context::new();
        let badge = self.site.awards[a].badge;
        ctx.insert_value("badge", l.badge_values[badge].clone());
        ctx.insert_value("issuer_endorsements", l.issuer_endorsements.clone());
        ctx.insert("root", &frame.root);
        ctx.insert("lang_root", &frame.lang_root);
        for (key, value) in vars {
            ctx.insert(*key, value);
        }
        self.render_template(Page::Award(a), &frame.out_path, &ctx, l)
    }

    /// The certificate's old address: a page that leads to the verification
    /// page's print view (`verify_url`, in the page's language).
    fn certificate_page(&self, l: &Lang, a: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let award = &site.awards[a];
        let prefix = site.lang_prefix(&l.strings.lang);
        let verify = paths::in_lang(&prefix, &paths::award_page(&award.id));
        ctx.insert("verify_url", &site.url(&verify));
        let badge = &l.badges[award.badge];
        let title = format!("{} — {}", badge.name, site.earners[award.earner].name);
        Meta::new(&title, "")
    }

    /// A pending award's claim page: what was earned, from whom, and how
    /// to accept (or decline) it.
    fn claim_page(&self, l: &Lang, c: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let s = &l.strings;
        let claim = &site.claims[c];
        let award = site.claimed_award(claim);
        let earner = &site.earners[award.earner];
        let badge = &l.badges[award.badge];
        #[derive(Serialize)]
        struct ClaimView<'a> {
            token: &'a str,
            earner: &'a str,
            issued_on: String,
            issued_on_iso: String,
            expires_on: Option<String>,
            accept_url: String,
            decline_url: Option<String>,
            by_mail: bool,
            listed: bool,
        }
        let answer = |verb: &str| {
            let subject = s.fill(verb, &[("token", &claim.token)]);
            format!(
                "mailto:{}?subject={}",
                site.issuer.email,
                share::encode(&subject)
            )
        };
        let (accept_url, decline_url) = match &site.accept {
            crate::site::Accept::Mailto => (
                answer("claim_mail_accept"),
                Some(answer("claim_mail_decline")),
            ),
            crate::site::Accept::Form(url) => (url.replace("{token}", &claim.token), None),
        };
        ctx.insert(
            "claim",
            &ClaimView {
                token: &claim.token,
                earner: &earner.name,
                issued_on: s.date(award.issued_on),
                issued_on_iso: award.issued_on.to_string(),
                expires_on: award.expires_on.map(|d| s.date(d)),
                by_mail: decline_url.is_some(),
                accept_url,
                decline_url,
                listed: earner.has_profile(),
            },
        );
        ctx.insert_value("badge", l.badge_values[award.badge].clone());
        let title = s.fill("claim_title", &[("badge", &badge.name)]);
        Meta::new(&title, "")
    }

    /// A claimed award's claim address: leads to its verification page.
    fn claimed_page(&self, l: &Lang, c: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let award = site.claimed_award(&site.claims[c]);
        let prefix = site.lang_prefix(&l.strings.lang);
        let verify = paths::in_lang(&prefix, &paths::award_page(&award.id));
        ctx.insert("verify_url", &site.url(&verify));
        ctx.insert("verify_path", &verify);
        Meta::new(l.strings.get("claimed_title"), "")
    }

    fn earner_page(&self, l: &Lang, e: usize, ctx: &mut Context) -> Meta {
        let site = self.site;
        let earner = &site.earners[e];
        #[derive(Serialize)]
        struct Item<'a> {
            award: AwardView,
            badge: &'a BadgeView,
        }
        let items: Vec<Item> = earner
            .awards
            .iter()
            .map(|&a| Item {
                award: award_view(site, &site.awards[a], &l.strings),
                badge: &l.badges[site.awards[a].badge],
            })
            .collect();
        ctx.insert("earner", &earner_view(earner));
        ctx.insert("awards", &items);
        ctx.insert(
            "progress",
            &path_progress(site, earner, &l.badges, &l.strings),
        );
        let description = l
            .strings
            .fill("earner_description", &[("name", &earner.name)]);
        Meta::new(&earner.name, &description)
    }

    fn retired_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let retired: Vec<&BadgeView> = l.badges.iter().filter(|b| b.retired && b.badged).collect();
        ctx.insert("badges", &retired);
        Meta::new(
            l.strings.get("retired_title"),
            l.strings.get("retired_intro"),
        )
    }

    fn faq_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let site = self.site;
        let md = site
            .faq
            .get(&l.strings.lang)
            .or_else(|| site.faq.get(site.default_lang()));
        let (html, _) =
            markdown::with_heading_ids(&md.map(|m| markdown::to_safe_html(m)).unwrap_or_default());
        ctx.insert("faq_html", &html);
        Meta::new(l.strings.get("faq_title"), l.strings.get("faq_description"))
    }

    fn verifier_page(&self, l: &Lang, ctx: &mut Context) -> Meta {
        let s = &l.strings;
        let strings: std::collections::BTreeMap<&str, &serde_json::Value> = s
            .all
            .iter()
            .filter(|(k, _)| k.starts_with("verifier_"))
            .map(|(k, v)| (k.as_str(), v))
            .collect();
        // The strings go into a JSON data block: no `<` may close it.
        let json = serde_json::to_string(&strings)
            .expect("strings serialize")
            .replace('<', "\\u003c");
        ctx.insert("verifier_strings", &json);
        ctx.insert("print", &self.print_view());
        Meta::new(s.get("verifier_title"), s.get("verifier_description"))
    }

    /// What the verifier page needs to check a certificate's QR code
    /// (root-relative paths; `contexts` maps each context URL to its copy).
    fn print_view(&self) -> PrintView {
        let site = self.site;
        let contexts: std::collections::BTreeMap<&str, String> =
            crate::openbadges::print::PUBLISHED_CONTEXTS
                .iter()
                .map(|(url, name)| (*url, paths::context_file(name)))
                .collect();
        PrintView {
            did: site.issuing.did.clone(),
            did_url: paths::did_document(&site.base_url),
            status_list: paths::STATUS_LIST,
            contexts: serde_json::to_string(&contexts).expect("paths serialize"),
            worker: paths::VERIFY_WORKER,
        }
    }

    /// What every page gets (links to its other languages, its URL, the
    /// relative way back to the root).
    fn frame(&self, l: &Lang, page: Page, meta: Meta) -> Frame {
        let site = self.site;
        let s = &l.strings;
        let path = page.path(site);
        let prefix = site.lang_prefix(&s.lang);
        let out_path = page.file(site, &prefix);
        let root = if page == Page::NotFound {
            base_path(&site.base_url)
        } else {
            "../".repeat(out_path.matches('/').count())
        };
        let alternates = site
            .languages
            .iter()
            .zip(&self.langs)
            .map(|(code, other)| {
                let p = paths::in_lang(&site.lang_prefix(code), &path);
                Alternate {
                    lang: code.clone(),
                    name: other.strings.get("language_name").to_string(),
                    url: site.url(&p),
                    href: format!("{root}{p}"),
                    current: code == &s.lang,
                }
            })
            .collect();
        let view = PageView {
            kind: page.kind(),
            url: site.url(&paths::in_lang(&prefix, &path)),
            path,
            title: meta.title,
            description: meta.description,
            noindex: !page.indexable(site),
            alternates,
            image: meta
                .image
                .as_deref()
                .map(|p| site.url(p))
                .unwrap_or_default(),
            image_width: files::CARD_SIZE.0,
            image_height: files::CARD_SIZE.1,
        };
        Frame {
            lang_root: format!("{root}{prefix}"),
            root,
            out_path,
            view,
        }
    }

    /// The page's frame, then the template and the compactor.
    fn finish(
        &self,
        l: &Lang,
        page: Page,
        meta: Meta,
        mut ctx: Context,
    ) -> Result<Vec<File>, Diagnostic> {
        let frame = self.frame(l, page, meta);
        ctx.insert("root", &frame.root);
        ctx.insert("lang_root", &frame.lang_root);
        ctx.insert("page", &frame.view);
        let html = self.render_template(page, &frame.out_path, &ctx, l)?;
        Ok(frame.file(compact::compact(html.as_bytes())))
    }

    fn render_template(
        &self,
        page: Page,
        out_path: &str,
        ctx: &Context,
        l: &Lang,
    ) -> Result<String, Diagnostic> {
        l.tera.render(page.template(), ctx).map_err(|e| {
            let origin = self
                .theme
                .get(&format!("templates/{}", page.template()))
                .map(|f| f.origin.clone())
                .unwrap_or_default();
            Diagnostic::error(
                origin,
                Pos::default(),
                format!("cannot render `{out_path}`: {}", tera_error(&e)),
            )
            .help("fix the template; the theme README lists the variables each page gets")
        })
    }
}

/// What a page gets besides its own values: where it is written, the way
/// back to the root, and its `page` view.
struct Frame {
    out_path: String,
    root: String,
    lang_root: String,
    view: PageView,
}

impl Frame {
    fn file(&self, bytes: Vec<u8>) -> Vec<File> {
        vec![File {
            path: self.out_path.clone(),
            bytes,
        }]
    }
}

fn to_value<T: Serialize>(value: &T) -> Value {
    serde_json::to_value(value).expect("page views serialize")
}

/// `ACCOLADE_SKELETON=check` found a page its skeleton fills otherwise
/// than the template renders it.
fn skeleton_mismatch(frame: &Frame) -> Diagnostic {
    Diagnostic::error(
        "",
        Pos::default(),
        format!(
            "`{}` filled from its skeleton differs from the page rendered",
            frame.out_path
        ),
    )
    .help("a bug in accolade: build with ACCOLADE_SKELETON=off meanwhile, and report it")
}
