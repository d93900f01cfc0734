//! The report's numbers as tables: each is a CSV file (`--csv DIR`,
//! `<name>.csv`, headers the column ids) and, unless it is CSV only, a
//! `<table>` in the HTML with localized headers, where a chart's table is
//! its text alternative. A chart is drawn from its table's columns, so the
//! two always show the same numbers.

use super::{Month, Report};

/// A text: an interface string's key, or text as it is (ids, names).
#[derive(Debug, Clone)]
pub enum Text {
    Key(&'static str),
    Raw(String),
}

#[derive(Debug, Clone)]
pub struct Column {
    /// The CSV header: stable, lower case, no spaces.
    pub id: String,
    pub label: Text,
}

/// One value. CSV writes it plainly; HTML formats it for the language.
#[derive(Debug, Clone)]
pub enum Cell {
    Int(u64),
    Signed(i64),
    /// Two decimals.
    Decimal(f64),
    /// 0 to 1; a percentage in HTML.
    Share(f64),
    Bytes(u64),
    Text(String),
    /// A fixed value: its id in CSV, its interface string in HTML.
    Key {
        id: &'static str,
        label: &'static str,
    },
    /// `YYYY-MM-DD`.
    Date(String),
    Month(Month),
    Bool(bool),
    Empty,
}

impl Cell {
    /// The value as a CSV field (before quoting).
    pub fn csv(&self) -> String {
        match self {
            Cell::Int(n) | Cell::Bytes(n) => n.to_string(),
            Cell::Signed(n) => n.to_string(),
            Cell::Decimal(x) => format!("{x:.2}"),
            Cell::Share(x) => format!("{x:.4}"),
            Cell::Text(s) | Cell::Date(s) => s.clone(),
            Cell::Key { id, .. } => id.to_string(),
            Cell::Month(m) => m.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// The number a chart draws.
    pub fn value(&self) -> f64 {
        match self {
            Cell::Int(n) | Cell::Bytes(n) => *n as f64,
            Cell::Signed(n) => *n as f64,
            Cell::Decimal(x) | Cell::Share(x) => *x,
            _ => 0.0,
        }
    }

    pub fn is_number(&self) -> bool {
        matches!(
            self,
            Cell::Int(_) | Cell::Signed(_) | Cell::Decimal(_) | Cell::Share(_) | Cell::Bytes(_)
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChartKind {
    /// Categories along the x axis (months), series stacked upwards.
    Columns,
    /// Categories down the y axis (badges, skills), series stacked rightwards.
    Bars,
}

/// How a table is drawn: which column names the categories and which
/// columns are stacked.
#[derive(Debug, Clone)]
pub struct Chart {
    pub kind: ChartKind,
    pub category: usize,
    pub series: Vec<usize>,
    /// Only the first rows (the rest are in the table).
    pub first: Option<usize>,
    /// Values are shares: a percentage axis with a line at 100%.
    pub percent: bool,
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The CSV file's name without `.csv`, and the HTML ids' stem.
    pub name: &'static str,
    /// The caption's interface string and what fills its placeholders.
    pub title: &'static str,
    pub args: Vec<(&'static str, Cell)>,
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<Cell>>,
    pub chart: Option<Chart>,
    /// In the CSV files only (a detail the HTML shows another way).
    pub csv_only: bool,
    /// At most this many rows in the HTML (long lists of earners).
    pub html_rows: Option<usize>,
}

/// How many rows of a list of earners the HTML shows.
pub const HTML_LIST_ROWS: usize = 500;
/// How many skills the skills chart shows.
pub const TOP_SKILLS: usize = 15;
/// How many badges the monthly chart stacks; the others are one series.
pub const STACKED_BADGES: usize = 7;

fn col(id: &str, label: &'static str) -> Column {
    Column {
        id: id.into(),
        label: Text::Key(label),
    }
}

fn key(id: &'static str, label: &'static str) -> Cell {
    Cell::Key { id, label }
}

fn table(name: &'static str, title: &'static str, columns: Vec<Column>) -> Table {
    Table {
        name,
        title,
        args: Vec::new(),
        columns,
        rows: Vec::new(),
        chart: None,
        csv_only: false,
        html_rows: None,
    }
}

impl Report {
    /// A badge's name in the report's language, or its id.
    pub fn badge_name(&self, id: &str) -> String {
        self.badges
            .iter()
            .find(|b| b.id == id)
            .map_or_else(|| id.to_string(), |b| b.name.clone())
    }

    /// Every table of the report, in the order the HTML shows them.
    pub fn tables(&self) -> Vec<Table> {
        vec![
            self.summary_table(),
            self.earners_table(),
            self.issued_table(),
            self.issued_by_badge_table(),
            self.acceptance_table(),
            self.revocations_table(),
            self.expiring_table(),
            self.reminders_table(),
            self.skills_table(),
            self.certifications_table(),
            self.progress_table(),
            self.footprint_table(),
            self.hosts_table(),
        ]
    }

    fn summary_table(&self) -> Table {
        let s = &self.summary;
        let u = &s.unpublished;
        let mut t = table(
            "summary",
            "report_summary_caption",
            vec![col("item", "report_item"), col("awards", "report_awards")],
        );
        let rows: [(&'static str, &'static str, u64); 11] = [
            ("awards", "report_awards_in_content", s.awards),
            ("published", "report_published", s.published),
            ("pending", "report_unpublished_pending", u.pending),
            ("declined", "report_unpublished_declined", u.declined),
            (
                "private_earner",
                "report_unpublished_private_earner",
                u.private_earner,
            ),
            ("not_badged", "report_unpublished_not_badged", u.not_badged),
            ("superseded", "report_unpublished_superseded", u.superseded),
            ("valid", "status_valid", s.status.valid),
            ("expired", "status_expired", s.status.expired),
            ("revoked", "status_revoked", s.status.revoked),
            ("held", "report_held", s.held),
        ];
        t.rows = rows
            .into_iter()
            .map(|(id, label, n)| vec![key(id, label), Cell::Int(n)])
            .collect();
        t
    }

    fn earners_table(&self) -> Table {
        let e = &self.summary.earners;
        let mut t = table(
            "earners",
            "report_earners_caption",
            vec![
                col("profile", "report_profile"),
                col("earners", "report_earners"),
            ],
        );
        let rows: [(&'static str, &'static str, u64); 4] = [
            ("public", "report_profile_public", e.public),
            ("unlisted", "report_profile_unlisted", e.unlisted),
            ("private", "report_profile_private", e.private),
            ("total", "report_total", e.total),
        ];
        t.rows = rows
            .into_iter()
            .map(|(id, label, n)| vec![key(id, label), Cell::Int(n)])
            .collect();
        t
    }

    /// The badges the monthly chart stacks one by one: the most awarded.
    fn stacked_badges(&self) -> (Vec<&str>, bool) {
        let mut badges: Vec<&super::BadgeFacts> =
            self.badges.iter().filter(|b| b.awards > 0).collect();
        badges.sort_by(|a, b| b.awards.cmp(&a.awards).then_with(|| a.id.cmp(&b.id)));
        let other = badges.len() > STACKED_BADGES + 1;
        let shown = if other { STACKED_BADGES } else { badges.len() };
        (
            badges[..shown].iter().map(|b| b.id.as_str()).collect(),
            other,
        )
    }

    fn issued_table(&self) -> Table {
        let (stacked, other) = self.stacked_badges();
        let mut columns = vec![
            col("month", "report_month"),
            col("awards", "report_awards"),
            col("published", "report_published"),
        ];
        for id in &stacked {
            columns.push(Column {
                id: id.to_string(),
                label: Text::Raw(self.badge_name(id)),
            });
        }
        if other {
            columns.push(col("other", "report_other_badges"));
        }
        let mut t = table("issued_per_month", "report_issued_caption", columns);
        t.args = vec![
            ("total", Cell::Int(self.summary.awards)),
            ("published", Cell::Int(self.summary.published)),
        ];
        t.rows = self
            .issued_per_month
            .iter()
            .map(|m| {
                let mut row = vec![
                    Cell::Month(m.month),
                    Cell::Int(m.awards),
                    Cell::Int(m.published),
                ];
                let mut rest = m.awards;
                for id in &stacked {
                    let n = m.by_badge.get(*id).copied().unwrap_or(0);
                    rest -= n;
                    row.push(Cell::Int(n));
                }
                if other {
                    row.push(Cell::Int(rest));
                }
                row
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Columns,
            category: 0,
            series: (3..t.columns.len()).collect(),
            first: None,
            percent: false,
        });
        t
    }

    fn issued_by_badge_table(&self) -> Table {
        let mut t = table(
            "issued_per_month_by_badge",
            "report_issued_caption",
            vec![
                col("month", "report_month"),
                col("badge", "report_badge"),
                col("awards", "report_awards"),
            ],
        );
        t.rows = self
            .issued_per_month
            .iter()
            .flat_map(|m| {
                m.by_badge
                    .iter()
                    .map(|(b, n)| vec![Cell::Month(m.month), Cell::Text(b.clone()), Cell::Int(*n)])
            })
            .collect();
        t.csv_only = true;
        t
    }

    fn acceptance_table(&self) -> Table {
        let a = &self.acceptance;
        let mut t = table(
            "acceptance",
            "report_acceptance_caption",
            vec![
                col("state", "report_state"),
                col("awards", "report_awards"),
                col("share", "report_share"),
            ],
        );
        t.args = vec![
            ("total", Cell::Int(a.awards)),
            ("accepted", Cell::Share(a.accepted_share)),
        ];
        let rows: [(&'static str, &'static str, u64); 4] = [
            ("automatic", "report_accepted_automatic", a.automatic),
            ("claimed", "report_accepted_claimed", a.claimed),
            ("pending", "report_pending", a.pending),
            ("declined", "report_declined", a.declined),
        ];
        t.rows = rows
            .into_iter()
            .map(|(id, label, n)| {
                vec![
                    key(id, label),
                    Cell::Int(n),
                    Cell::Share(super::share(n, a.awards)),
                ]
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Bars,
            category: 0,
            series: vec![1],
            first: None,
            percent: false,
        });
        t
    }

    fn revocations_table(&self) -> Table {
        let mut t = table(
            "revocations_per_month",
            "report_revocations_caption",
            vec![
                col("month", "report_month"),
                col("revoked", "status_revoked"),
            ],
        );
        t.args = vec![("total", Cell::Int(self.summary.status.revoked))];
        t.rows = self
            .revocations_per_month
            .iter()
            .map(|m| vec![Cell::Month(m.month), Cell::Int(m.revoked)])
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Columns,
            category: 0,
            series: vec![1],
            first: None,
            percent: false,
        });
        t
    }

    fn expiring_table(&self) -> Table {
        let e = &self.expiring;
        let mut t = table(
            "expiring_by_badge",
            "report_expiring_caption",
            vec![
                col("badge", "report_badge_id"),
                col("badge_name", "report_badge"),
                col("days_1_to_30", "report_window_30"),
                col("days_31_to_60", "report_window_60"),
                col("days_61_to_90", "report_window_90"),
                col("total", "report_total"),
            ],
        );
        t.args = vec![
            ("total", Cell::Int(e.total)),
            ("days30", Cell::Int(e.next_30_days)),
            ("days60", Cell::Int(e.next_60_days)),
        ];
        t.rows = e
            .by_badge
            .iter()
            .map(|b| {
                vec![
                    Cell::Text(b.badge.clone()),
                    Cell::Text(self.badge_name(&b.badge)),
                    Cell::Int(b.days_1_to_30),
                    Cell::Int(b.days_31_to_60),
                    Cell::Int(b.days_61_to_90),
                    Cell::Int(b.total),
                ]
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Bars,
            category: 1,
            series: vec![2, 3, 4],
            first: None,
            percent: false,
        });
        t
    }

    fn reminders_table(&self) -> Table {
        let mut t = table(
            "expiring_awards",
            "report_remind_caption",
            vec![
                col("earner_name", "report_earner"),
                col("earner", "report_earner_id"),
                col("badge", "report_badge_id"),
                col("award", "report_award"),
                col("expires_on", "report_expires_on"),
                col("days_left", "report_days_left"),
                col("reminder", "report_reminder"),
                col("reminder_on", "report_reminder_on"),
                col("earner_bounced", "report_earner_bounced"),
            ],
        );
        t.args = vec![("total", Cell::Int(self.expiring.total))];
        t.rows = self
            .expiring
            .awards
            .iter()
            .map(|a| {
                vec![
                    Cell::Text(a.earner_name.clone()),
                    Cell::Text(a.earner.clone()),
                    Cell::Text(a.badge.clone()),
                    Cell::Text(a.award.clone()),
                    Cell::Date(a.expires_on.clone()),
                    Cell::Signed(a.days_left),
                    match a.reminder.as_str() {
                        "sent" => key("sent", "report_reminder_sent"),
                        "bounced" => key("bounced", "report_reminder_bounced"),
                        _ => key("none", "report_reminder_none"),
                    },
                    a.reminder_on.clone().map_or(Cell::Empty, Cell::Date),
                    Cell::Bool(a.earner_bounced),
                ]
            })
            .collect();
        t.html_rows = Some(HTML_LIST_ROWS);
        t
    }

    fn skills_table(&self) -> Table {
        let mut t = table(
            "skills",
            "report_skills_caption",
            vec![
                col("skill", "report_skill"),
                col("awards", "report_held_awards"),
                col("earners", "report_held_earners"),
            ],
        );
        t.args = vec![
            ("shown", Cell::Int(self.skills.len().min(TOP_SKILLS) as u64)),
            ("total", Cell::Int(self.skills.len() as u64)),
        ];
        t.rows = self
            .skills
            .iter()
            .map(|s| {
                vec![
                    Cell::Text(s.skill.clone()),
                    Cell::Int(s.awards),
                    Cell::Int(s.earners),
                ]
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Bars,
            category: 0,
            series: vec![1],
            first: Some(TOP_SKILLS),
            percent: false,
        });
        t
    }

    fn certifications_table(&self) -> Table {
        let mut t = table(
            "certifications",
            "report_certifications_caption",
            vec![
                col("certification", "report_badge_id"),
                col("certification_name", "report_certification"),
                col("requires", "report_requires"),
                col("holders", "report_holders"),
                col("all_exams", "report_all_exams"),
                col("some_exams", "report_some_exams"),
            ],
        );
        t.rows = self
            .certifications
            .iter()
            .map(|c| {
                vec![
                    Cell::Text(c.badge.clone()),
                    Cell::Text(self.badge_name(&c.badge)),
                    Cell::Text(c.requires.join(" ")),
                    Cell::Int(c.holders),
                    Cell::Int(c.all_exams),
                    Cell::Int(c.some_exams),
                ]
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Bars,
            category: 1,
            series: vec![3, 4, 5],
            first: None,
            percent: false,
        });
        t
    }

    fn progress_table(&self) -> Table {
        let mut t = table(
            "certification_progress",
            "report_progress_caption",
            vec![
                col("certification", "report_certification"),
                col("earner_name", "report_earner"),
                col("earner", "report_earner_id"),
                col("exams_held", "report_exams_held"),
                col("exams_required", "report_exams_required"),
                col("missing", "report_missing"),
            ],
        );
        t.rows = self
            .certifications
            .iter()
            .flat_map(|c| {
                c.on_the_way.iter().map(|p| {
                    vec![
                        Cell::Text(c.badge.clone()),
                        Cell::Text(p.earner_name.clone()),
                        Cell::Text(p.earner.clone()),
                        Cell::Int(p.exams_held),
                        Cell::Int(p.exams_required),
                        Cell::Text(p.missing.join(" ")),
                    ]
                })
            })
            .collect();
        t.args = vec![("total", Cell::Int(t.rows.len() as u64))];
        t.html_rows = Some(HTML_LIST_ROWS);
        t
    }

    fn footprint_table(&self) -> Table {
        let f = &self.footprint;
        let mut t = table(
            "footprint",
            if f.source == "built" {
                "report_footprint_built"
            } else {
                "report_footprint_estimated"
            },
            vec![
                col("measure", "report_measure"),
                col("value", "report_value"),
            ],
        );
        t.args = vec![
            ("dir", Cell::Text(f.output.clone())),
            ("mode", Cell::Text(self.site.award_files.clone())),
            ("languages", Cell::Int(self.site.languages.len() as u64)),
        ];
        t.rows = vec![
            vec![key("awards", "report_fp_awards"), Cell::Int(f.awards)],
            vec![
                key("files_per_award", "report_fp_files_per_award"),
                Cell::Decimal(f.files_per_award),
            ],
            vec![
                key("bytes_per_award", "report_fp_bytes_per_award"),
                Cell::Bytes(f.bytes_per_award),
            ],
            vec![
                key("award_files", "report_fp_award_files"),
                Cell::Int(f.award_files),
            ],
            vec![
                key("award_bytes", "report_fp_award_bytes"),
                Cell::Bytes(f.award_bytes),
            ],
            vec![key("files", "report_fp_files"), Cell::Int(f.files)],
            vec![key("bytes", "report_fp_bytes"), Cell::Bytes(f.bytes)],
            vec![
                key("largest_folder", "report_fp_largest_folder"),
                Cell::Text(f.largest_folder.path.clone()),
            ],
            vec![
                key("largest_folder_entries", "report_fp_largest_folder_entries"),
                Cell::Int(f.largest_folder.entries),
            ],
        ];
        t
    }

    fn hosts_table(&self) -> Table {
        let mut t = table(
            "hosts",
            "report_hosts_caption",
            vec![
                col("host", "report_host"),
                col("measure", "report_limit_of"),
                col("limit", "report_limit"),
                col("used", "report_used"),
                col("share", "report_share_of_limit"),
                col("fits", "report_fits"),
            ],
        );
        t.rows = self
            .footprint
            .hosts
            .iter()
            .map(|h| {
                let host = match h.host.as_str() {
                    "cloudflare-pages-free" => key("cloudflare-pages-free", "report_host_cf_free"),
                    "cloudflare-pages-paid" => key("cloudflare-pages-paid", "report_host_cf_paid"),
                    "github-pages" => key("github-pages", "report_host_github"),
                    _ => key("netlify", "report_host_netlify"),
                };
                let (measure, amount): (Cell, fn(u64) -> Cell) = match h.measure.as_str() {
                    "files" => (key("files", "report_measure_files"), Cell::Int),
                    "bytes" => (key("bytes", "report_measure_bytes"), Cell::Bytes),
                    _ => (
                        key("folder_entries", "report_measure_folder_entries"),
                        Cell::Int,
                    ),
                };
                vec![
                    host,
                    measure,
                    amount(h.limit),
                    amount(h.used),
                    Cell::Share(h.share),
                    Cell::Bool(h.fits),
                ]
            })
            .collect();
        t.chart = Some(Chart {
            kind: ChartKind::Bars,
            category: 0,
            series: vec![4],
            first: None,
            percent: true,
        });
        t
    }
}
