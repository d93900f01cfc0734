//! Badge classes: ids, texts, artwork, validity, alignment, and the
//! exams a certification requires.

use foldhash::{HashMap, HashMapExt};
use std::path::Path;
use std::sync::Arc;

use super::*;
use crate::content::{BadgeFile, Kind, Located, pos};
use crate::dates::{Date, Period};
use crate::diagnostics::suggest;
use crate::site::*;

impl Resolver<'_> {
    /// Every badge class that has a usable id, checked, sorted by id.
    pub(super) fn badges(&mut self, languages: &[String], now: Date) -> Vec<Badge> {
        let c = self.content;
        let mut seen: HashMap<String, Arc<Path>> = HashMap::new();
        let mut out = Vec::new();
        for l in &c.badges {
            let Some(id) = self.badge_id(l, &mut seen) else {
                continue;
            };
            let file: &Path = &l.file;
            let b = &l.record;
            for (field, v) in [
                ("name", &b.name),
                ("description", &b.description),
                ("criteria", &b.criteria),
            ] {
                self.localized(file, field, v, languages);
            }
            for skill in &b.skills {
                self.localized(file, "skills", skill, languages);
            }
            self.image_exists(file, &b.image);
            if b.kind.value == Kind::Exam && !b.requires.is_empty() {
                self.error(file, pos(&b.requires[0]), "an exam cannot have `requires`", "only certifications require exams; change `kind` to `certification` or remove `requires`");
            }
            let validity = self.validity(file, b);
            let retired_on = b
                .retired_on
                .as_ref()
                .and_then(|v| self.date(file, "retired_on", v));
            let alignment = self.alignment(file, b);
            let revised_on = self.revised_on(file, b.revised_on.as_ref(), now);
            let recertification_url = b.recertification_url.as_ref().map(|u| {
                let url = u.value.trim();
                if !is_absolute_url(url) {
                    self.error(
                        file,
                        pos(u),
                        format!("`recertification_url` must be an absolute http(s) URL, found `{url}`"),
                        "write the page where holders renew the badge, e.g. `https://example.org/renew/az-900`",
                    );
                }
                url.to_string()
            });
            out.push(Badge {
                id,
                kind: b.kind.value,
                name: b.name.value.clone(),
                description: b.description.value.clone(),
                criteria: b.criteria.value.clone(),
                image: b.image.value.trim().to_string(),
                skills: b.skills.iter().map(|s| s.value.clone()).collect(),
                alignment,
                validity,
                requires: Vec::new(),
                required_by: Vec::new(),
                badged: b.badged,
                retired_on,
                revised_on,
                recertification_url,
                awards: Vec::new(),
            });
        }
        out.sort_by(|a, b| a.id.cmp(&b.id));
        out
    }

    /// A badge's id: a slug, and the first of its name (a duplicate is
    /// reported and skipped, `None`). A file named otherwise gets a warning.
    pub(super) fn badge_id(
        &mut self,
        l: &Located<BadgeFile>,
        seen: &mut HashMap<String, Arc<Path>>,
    ) -> Option<String> {
        let file: &Path = &l.file;
        let b = &l.record;
        let rule = IdRule {
            kind: "badge",
            valid: is_slug,
            help: "ids are permanent URL parts: lowercase letters, digits and `-`, e.g. `az-900`",
            duplicate_help: "every badge needs its own id",
        };
        let id = self.unique_id(&rule, &l.file, &b.id, seen)?;
        if file.file_stem().and_then(|s| s.to_str()) != Some(id.as_str()) {
            self.warn(
                file,
                pos(&b.id),
                format!("badge `{id}` is defined in a file of another name"),
                format!("name the file `{id}.yaml` so it is easy to find"),
            );
        }
        Some(id)
    }

    /// `validity: 1y`, `18m`, `90d`.
    pub(super) fn validity(&mut self, file: &Path, b: &BadgeFile) -> Option<Period> {
        let v = b.validity.as_ref()?;
        let p = Period::parse(&v.value);
        if p.is_none() {
            self.error(
                file,
                pos(v),
                format!(
                    "`validity` must be a number and a unit, found `{}`",
                    v.value
                ),
                "write e.g. `1y` (years), `18m` (months) or `90d` (days)",
            );
        }
        p
    }

    /// Alignment entries, each with an absolute URL.
    pub(super) fn alignment(&mut self, file: &Path, b: &BadgeFile) -> Vec<Alignment> {
        for a in &b.alignment {
            if !is_absolute_url(a.url.value.trim()) {
                self.error(
                    file,
                    pos(&a.url),
                    format!(
                        "alignment `url` must be an absolute URL, found `{}`",
                        a.url.value
                    ),
                    "write e.g. `https://example.org/framework/skill`",
                );
            }
        }
        b.alignment
            .iter()
            .map(|a| Alignment {
                name: a.name.value.clone(),
                url: a.url.value.trim().to_string(),
                framework: a.framework.clone(),
                code: a.code.clone(),
                description: a.description.clone(),
            })
            .collect()
    }

    /// `requires` must name exams; fills `requires` and `required_by`.
    pub(super) fn link_requirements(
        &mut self,
        badges: &mut [Badge],
        index: &HashMap<String, usize>,
    ) {
        let c = self.content;
        for l in &c.badges {
            let Some(&me) = index.get(l.record.id.value.trim()) else {
                continue;
            };
            for req in &l.record.requires {
                let name = req.value.trim();
                match index.get(name) {
                    Some(&i) if badges[i].kind == Kind::Exam => {
                        if !badges[me].requires.contains(&i) {
                            badges[me].requires.push(i);
                            badges[i].required_by.push(me);
                        }
                    }
                    Some(_) => self.error(
                        &l.file,
                        pos(req),
                        format!("`requires` names `{name}`, which is a certification, not an exam"),
                        "a certification requires exams only",
                    ),
                    // Defined in a badge file that did not parse: reported there.
                    None if c.failed.badge_ids.contains(name) => {}
                    None => {
                        let exams = badges
                            .iter()
                            .filter(|b| b.kind == Kind::Exam)
                            .map(|b| b.id.as_str());
                        let help = suggest(
                            name,
                            exams,
                            "name the id of an exam defined in `content/badges/`",
                        );
                        self.error(
                            &l.file,
                            pos(req),
                            format!("`requires` names `{name}`, but no exam has that id"),
                            help,
                        );
                    }
                }
            }
        }
    }
}
