//! Corrections after issue, as the build meets them.
//!
//! - **Changed credentials.** Earners hold signed copies of their
//!   credentials. A change to what a credential says (a badge's text, the
//!   issuer's details, an award's evidence) is published as a new version
//!   dated by a `revised_on` on the record it comes from (see `ob3`,
//!   "Versions"). A change with no such date would keep the version date of
//!   the copies earners hold while saying something else: the build stops,
//!   names each record the change comes from, and asks. `build --reissue`
//!   answers for the issuer: it writes `revised_on: <today>` into those
//!   records (as text, comments kept) and builds again.
//! - **Removed awards.** An award the last build published has a permanent
//!   address, maybe printed on paper. Its record disappearing is refused
//!   unless the build is told `--allow-removal`.
//!
//! What changed is found by comparing with the previous output (`render`
//! does it while signing); a build into a new folder has nothing to compare.

use std::collections::{BTreeMap, BTreeSet, HashSet};
use std::path::Path;

use crate::content::edit::{self, Edit, Mapping, Target};
use crate::content::{self, Content, pos};
use crate::diagnostics::{Diagnostic, Diagnostics, Pos};
use crate::openbadges::versions::Part;
use crate::site::Site;
use crate::text::count;

/// The records that undated changes come from, each with the awards whose
/// credentials they change (indexes into `Site::awards`).
#[derive(Debug, Default)]
pub struct Undated {
    issuer: Vec<usize>,
    badges: BTreeMap<usize, Vec<usize>>,
    awards: BTreeSet<usize>,
}

impl Undated {
    /// Groups what rendering found: (award, parts that changed).
    pub fn new(site: &Site, changes: Vec<(usize, Vec<Part>)>) -> Undated {
        let mut u = Undated::default();
        for (a, parts) in changes {
            for p in parts {
                match p {
                    Part::Issuer => u.issuer.push(a),
                    Part::Badge => u.badges.entry(site.awards[a].badge).or_default().push(a),
                    Part::Award => {
                        u.awards.insert(a);
                    }
                }
            }
        }
        u
    }

    pub fn is_empty(&self) -> bool {
        self.issuer.is_empty() && self.badges.is_empty() && self.awards.is_empty()
    }

    /// Each record a change comes from: where it is, what to say, and how
    /// to find it again in its parsed file.
    fn records(&self, site: &Site, content: &Content) -> Vec<Record> {
        let mut out = Vec::new();
        if !self.issuer.is_empty() {
            out.push(Record {
                target: Target {
                    file: content.site.file.to_path_buf(),
                    at: pos(&content.site.record.issuer.name),
                    mapping: Mapping::Issuer,
                },
                what: format!(
                    "the issuer's details changed in {} already issued",
                    count(self.issuer.len(), "credential")
                ),
                name: format!("the issuer ({})", count(self.issuer.len(), "credential")),
            });
        }
        for (&b, awards) in &self.badges {
            let id = &site.badges[b].id;
            let Some(l) = content
                .badges
                .iter()
                .find(|l| l.record.id.value.trim() == id)
            else {
                continue;
            };
            out.push(Record {
                target: Target {
                    file: l.file.to_path_buf(),
                    at: pos(&l.record.id),
                    mapping: Mapping::Badge,
                },
                what: format!(
                    "badge `{id}` changed what {} already issued say",
                    count(awards.len(), "credential")
                ),
                name: format!("badge `{id}` ({})", count(awards.len(), "credential")),
            });
        }
        let ids: HashSet<&str> = self
            .awards
            .iter()
            .map(|&a| site.awards[a].id.as_str())
            .collect();
        for l in content
            .awards
            .iter()
            .filter(|l| ids.contains(l.record.id.value.trim()))
        {
            let id = l.record.id.value.trim().to_string();
            out.push(Record {
                target: Target {
                    file: l.file.to_path_buf(),
                    at: pos(&l.record.id),
                    mapping: Mapping::Award(id.clone()),
                },
                what: format!(
                    "the credential of award `{id}` changed (its recipient, dates or evidence)"
                ),
                name: format!("award `{id}`"),
            });
        }
        out
    }
}

struct Record {
    /// What changed, for the error.
    what: String,
    /// The record, for the report of `--reissue`.
    name: String,
    target: Target,
}

/// The errors a build stops with: one per record, located, saying what
/// `--reissue` would write there.
pub fn errors(root: &Path, site: &Site, undated: &Undated) -> Diagnostics {
    let content = match load(root) {
        Ok(c) => c,
        Err(d) => return d,
    };
    let today = site.now;
    let mut diags = Diagnostics::default();
    for r in undated.records(site, &content) {
        diags.push(
            Diagnostic::error(&r.target.file, r.target.at, format!("{}, with no new version date", r.what)).help(format!(
                "earners hold copies of these credentials; published like this, the copies would differ from the \
                 issuer's and look altered. If the change is meant, run `accolade build --reissue`: it adds \
                 `revised_on: {today}` to this record, the credentials become new versions of that date, and \
                 earlier copies stay genuine and verify as superseded. If it is not meant, undo it."
            )),
        );
    }
    diags.sort();
    diags
}

/// What `--reissue` writes: `revised_on: <today>` on every record a change
/// comes from, with a line per file saying so. Nothing is planned if any
/// record cannot be edited.
pub fn reissue(
    root: &Path,
    site: &Site,
    undated: &Undated,
) -> Result<(Vec<Edit>, Vec<String>), Diagnostics> {
    let content = load(root)?;
    let records = undated.records(site, &content);
    let mut said: BTreeMap<&Path, Vec<&str>> = BTreeMap::new();
    for r in &records {
        said.entry(&r.target.file).or_default().push(&r.name);
    }
    let today = site.now.to_string();
    let said = said
        .into_iter()
        .map(|(file, names)| {
            format!(
                "{} (`revised_on: {today}` added to {})",
                names.join(", "),
                file.display()
            )
        })
        .collect();
    let targets = records.into_iter().map(|r| r.target).collect();
    let edits = edit::set_key(root, targets, "revised_on", &today)?;
    Ok((edits, said))
}

/// The content with its award records (the build dropped them once the
/// rules had made the site); read again only when a build must point at
/// one. It loaded a moment ago; if it no longer does, that is reported.
fn load(root: &Path) -> Result<Content, Diagnostics> {
    match content::load(root) {
        (Some(c), _) => Ok(c),
        (None, diags) => Err(diags),
    }
}

/// Awards the previous output published whose records are gone from
/// content (`ids` names every award record): refused, one error each,
/// unless `allow` (then returned, for the build's report).
pub fn removed_awards(
    published_before: impl IntoIterator<Item = String>,
    site: &Site,
    allow: bool,
) -> Result<Vec<String>, Diagnostics> {
    let mut gone: Vec<String> = published_before
        .into_iter()
        .filter(|id| !site.issuing.status_index.contains_key(id))
        .collect();
    gone.sort();
    if allow || gone.is_empty() {
        return Ok(gone);
    }
    let mut diags = Diagnostics::default();
    for id in &gone {
        diags.push(
            Diagnostic::error(
                "content/awards",
                Pos::default(),
                format!("award `{id}` was published, and its record is gone from `content/awards/`"),
            )
            .help(format!(
                "its page {} is a permanent address, maybe printed on paper, and its status-list entry keeps a \
                 revocation in force. To withdraw the award, put the record back and revoke it \
                 (`accolade revoke {id} --reason \"…\"`): its page then says so and copies of it fail verification. \
                 To remove its page anyway, build with `--allow-removal`.",
                site.url(&crate::paths::award_page(id))
            )),
        );
    }
    Err(diags)
}
