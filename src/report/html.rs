//! The report as one self-contained HTML file: the styles inline, the
//! charts inline SVG, no script and nothing loaded from anywhere. Each
//! chart is an image (`role="img"`) named by its caption, with its table
//! in a `<details>` under it. Texts are the theme's `report_*` strings in
//! the site's default language; numbers and dates are written as that
//! language writes them.

use plotters::style::RGBColor;

use super::charts::{self, Data};
use super::tables::{Cell, Chart, ChartKind, Table, Text};
use super::{Month, Report};
use crate::dates::Date;
use crate::render::i18n::Strings;
use crate::text::{group_thousands, xml_escape as esc};

/// The report's words: the site theme's strings, else the built-in
/// theme's (a theme made before the report may lack `report_*` keys).
pub struct Words<'a> {
    pub site: &'a Strings,
    pub fallback: &'a Strings,
}

impl Words<'_> {
    pub fn get(&self, key: &str) -> String {
        let found = |s: &Strings| {
            s.all
                .get(key)
                .and_then(serde_json::Value::as_str)
                .map(str::to_string)
        };
        found(self.site)
            .or_else(|| found(self.fallback))
            .unwrap_or_else(|| key.to_string())
    }

    fn list(&self, key: &str) -> Vec<String> {
        let found = |s: &Strings| match s.all.get(key) {
            Some(serde_json::Value::Array(a)) => Some(
                a.iter()
                    .map(|v| v.as_str().unwrap_or_default().to_string())
                    .collect::<Vec<_>>(),
            ),
            _ => None,
        };
        found(self.site)
            .or_else(|| found(self.fallback))
            .unwrap_or_default()
    }

    pub fn fill(&self, key: &str, args: &[(&str, String)]) -> String {
        let mut s = self.get(key);
        for (name, value) in args {
            s = s.replace(&format!("{{{name}}}"), value);
        }
        s
    }

    /// A whole number with the language's thousands separator.
    pub fn int(&self, n: u64) -> String {
        group_thousands(&n.to_string(), &self.get("report_thousands_separator"))
    }

    /// A number with up to `decimals` decimals (trailing zeros dropped).
    pub fn number(&self, x: f64, decimals: usize) -> String {
        let neg = x < 0.0;
        let s = format!("{:.*}", decimals, x.abs());
        let (int, frac) = s.split_once('.').unwrap_or((&s, ""));
        let frac = frac.trim_end_matches('0');
        let mut out = group_thousands(int, &self.get("report_thousands_separator"));
        if !frac.is_empty() {
            out.push_str(&self.get("report_decimal_separator"));
            out.push_str(frac);
        }
        if neg && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
            out.insert(0, '-');
        }
        out
    }

    pub fn percent(&self, share: f64) -> String {
        self.fill("report_percent", &[("n", self.number(share * 100.0, 1))])
    }

    pub fn bytes(&self, n: u64) -> String {
        let units = [(1e9, "GB"), (1e6, "MB"), (1e3, "KB")];
        for (size, unit) in units {
            if n as f64 >= size {
                return format!("{} {unit}", self.number(n as f64 / size, 1));
            }
        }
        format!("{} B", self.int(n))
    }

    pub fn date(&self, d: &str) -> String {
        Date::parse(d).map_or_else(|| d.to_string(), |d| self.site.date(d))
    }

    pub fn month(&self, m: Month) -> String {
        let names = self.list("report_months_short");
        let name = names
            .get(m.month as usize - 1)
            .cloned()
            .unwrap_or_else(|| m.month.to_string());
        self.fill(
            "report_month_format",
            &[
                ("month", name),
                ("month_number", m.month.to_string()),
                ("year", m.year.to_string()),
            ],
        )
    }

    pub fn cell(&self, c: &Cell) -> String {
        match c {
            Cell::Int(n) => self.int(*n),
            Cell::Signed(n) if *n < 0 => format!("-{}", self.int(n.unsigned_abs())),
            Cell::Signed(n) => self.int(*n as u64),
            Cell::Decimal(x) => self.number(*x, 2),
            Cell::Share(x) => self.percent(*x),
            Cell::Bytes(n) => self.bytes(*n),
            Cell::Text(s) => s.clone(),
            Cell::Key { label, .. } => self.get(label),
            Cell::Date(d) => self.date(d),
            Cell::Month(m) => self.month(*m),
            Cell::Bool(true) => self.get("report_yes"),
            Cell::Bool(false) => self.get("report_no"),
            Cell::Empty => String::new(),
        }
    }

    fn text(&self, t: &Text) -> String {
        match t {
            Text::Key(k) => self.get(k),
            Text::Raw(s) => s.clone(),
        }
    }
}

/// The sections of the report: (id, heading key, tables by name).
const SECTIONS: [(&str, &str, &[&str]); 5] = [
    ("summary", "report_section_summary", &["summary", "earners"]),
    (
        "issued",
        "report_section_issued",
        &["issued_per_month", "acceptance", "revocations_per_month"],
    ),
    (
        "expiring",
        "report_section_expiring",
        &["expiring_by_badge", "expiring_awards"],
    ),
    (
        "skills",
        "report_section_skills",
        &["skills", "certifications", "certification_progress"],
    ),
    (
        "footprint",
        "report_section_footprint",
        &["footprint", "hosts"],
    ),
];

/// What a section says before a table, if anything.
fn intro(name: &str, report: &Report, w: &Words) -> Option<String> {
    match name {
        "expiring_awards" => Some(format!(
            "<h3 id=\"h-{name}\">{}</h3>\n<p>{}</p>\n<p>{}</p>\n",
            esc(&w.get("report_remind_title")),
            esc(&w.get("report_remind_intro")),
            esc(&w.get(if report.expiring.ledger {
                "report_ledger_yes"
            } else {
                "report_ledger_none"
            })),
        )),
        "skills" => Some(format!("<p>{}</p>\n", esc(&w.get("report_held_note")))),
        "certification_progress" => Some(format!(
            "<h3 id=\"h-{name}\">{}</h3>\n",
            esc(&w.get("report_progress_title"))
        )),
        "hosts" => Some(format!("<p>{}</p>\n", esc(&w.get("report_hosts_note")))),
        _ => None,
    }
}

/// The report as a page, in `words`' language.
pub fn html(report: &Report, words: &Words) -> Result<String, String> {
    let w = words;
    let tables = report.tables();
    let title = w.fill("report_title", &[("site", report.site.title.clone())]);
    let mut body = String::new();
    body.push_str(&format!(
        "<header>\n<h1>{}</h1>\n<p>{}</p>\n<p class=\"private\"><strong>{}</strong> {}</p>\n</header>\n",
        esc(&title),
        esc(&w.fill(
            "report_as_of",
            &[
                ("date", w.date(&report.as_of)),
                ("version", env!("CARGO_PKG_VERSION").to_string()),
            ],
        )),
        esc(&w.get("report_private_label")),
        esc(&w.get("report_private")),
    ));
    body.push_str(&format!(
        "<nav aria-labelledby=\"contents\">\n<h2 id=\"contents\">{}</h2>\n<ol>\n",
        esc(&w.get("report_contents"))
    ));
    for (id, heading, _) in SECTIONS {
        body.push_str(&format!(
            "<li><a href=\"#{id}\">{}</a></li>\n",
            esc(&w.get(heading))
        ));
    }
    body.push_str("</ol>\n</nav>\n<main>\n");
    for (id, heading, names) in SECTIONS {
        body.push_str(&format!(
            "<section id=\"{id}\" aria-labelledby=\"h-{id}\">\n<h2 id=\"h-{id}\">{}</h2>\n",
            esc(&w.get(heading))
        ));
        for name in names.iter() {
            let Some(t) = tables.iter().find(|t| t.name == *name) else {
                continue;
            };
            if let Some(text) = intro(name, report, w) {
                body.push_str(&text);
            }
            body.push_str(&figure(t, w)?);
        }
        body.push_str("</section>\n");
    }
    body.push_str(&format!(
        "</main>\n<footer>\n<p>{}</p>\n</footer>\n",
        esc(&w.get("report_footer"))
    ));
    Ok(format!(
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <meta name=\"robots\" content=\"noindex, nofollow\">\n\
         <meta name=\"referrer\" content=\"no-referrer\">\n\
         <title>{title}</title>\n<style>\n{CSS}</style>\n</head>\n<body>\n{body}</body>\n</html>\n",
        lang = esc(&report.language),
        title = esc(&title),
    ))
}

/// A table: as a chart with the table under it, or as a table alone.
fn figure(t: &Table, w: &Words) -> Result<String, String> {
    let caption = w.fill(
        t.title,
        &t.args
            .iter()
            .map(|(k, v)| (*k, w.cell(v)))
            .collect::<Vec<_>>(),
    );
    let cap_id = format!("cap-{}", t.name);
    if t.rows.is_empty() {
        return Ok(format!(
            "<p class=\"empty\" id=\"{cap_id}\">{}</p>\n",
            esc(&w.get(&format!("report_empty_{}", t.name)))
        ));
    }
    let table = table_html(t, w, &cap_id);
    let Some(chart) = &t.chart else {
        return Ok(format!(
            "<figure class=\"list\" id=\"t-{name}\">\n<figcaption id=\"{cap_id}\">{}</figcaption>\n{table}</figure>\n",
            esc(&caption),
            name = t.name,
        ));
    };
    let svg = chart_svg(t, chart, w)?;
    Ok(format!(
        "<figure class=\"chart\" id=\"t-{name}\">\n<figcaption id=\"{cap_id}\">{}</figcaption>\n\
         <div class=\"plot\">{svg}</div>\n<details>\n<summary>{}</summary>\n{table}</details>\n</figure>\n",
        esc(&caption),
        esc(&w.get("report_numbers")),
        name = t.name,
    ))
}

fn table_html(t: &Table, w: &Words, cap_id: &str) -> String {
    let shown = t.html_rows.unwrap_or(usize::MAX).min(t.rows.len());
    let numeric: Vec<bool> = (0..t.columns.len())
        .map(|c| t.rows.iter().all(|r| r[c].is_number()))
        .collect();
    let mut s = format!(
        "<div class=\"scroll\" role=\"region\" tabindex=\"0\" aria-labelledby=\"{cap_id}\">\n<table>\n<thead>\n<tr>"
    );
    for (c, col) in t.columns.iter().enumerate() {
        let class = if numeric[c] { " class=\"num\"" } else { "" };
        s.push_str(&format!(
            "<th scope=\"col\"{class}>{}</th>",
            esc(&w.text(&col.label))
        ));
    }
    s.push_str("</tr>\n</thead>\n<tbody>\n");
    for row in &t.rows[..shown] {
        s.push_str("<tr>");
        for (c, cell) in row.iter().enumerate() {
            let text = esc(&w.cell(cell));
            if c == 0 {
                s.push_str(&format!("<th scope=\"row\">{text}</th>"));
            } else if numeric[c] {
                s.push_str(&format!("<td class=\"num\">{text}</td>"));
            } else {
                s.push_str(&format!("<td>{text}</td>"));
            }
        }
        s.push_str("</tr>\n");
    }
    s.push_str("</tbody>\n</table>\n</div>\n");
    if shown < t.rows.len() {
        s.push_str(&format!(
            "<p class=\"more\">{}</p>\n",
            esc(&w.fill(
                "report_rows_shown",
                &[
                    ("shown", w.int(shown as u64)),
                    ("total", w.int(t.rows.len() as u64)),
                ],
            ))
        ));
    }
    s
}

/// The chart of a table, as an inline SVG image named by the caption.
fn chart_svg(t: &Table, chart: &Chart, w: &Words) -> Result<String, String> {
    let rows = &t.rows[..chart.first.unwrap_or(usize::MAX).min(t.rows.len())];
    let number = |x: f64| w.number(x, 1);
    let colors: Option<Vec<RGBColor>> = match t.name {
        "expiring_by_badge" => Some(vec![charts::URGENT, charts::SOON, charts::LATER]),
        "certifications" => Some(vec![charts::GOOD, charts::LATER, charts::SOON]),
        _ => None,
    };
    let data = Data {
        kind: chart.kind,
        categories: rows
            .iter()
            .map(|r| shorten(&w.cell(&r[chart.category]), 36))
            .collect(),
        series: chart
            .series
            .iter()
            .map(|&c| {
                (
                    w.text(&t.columns[c].label),
                    rows.iter().map(|r| r[c].value()).collect(),
                )
            })
            .collect(),
        percent: chart.percent.then(|| w.get("report_limit_line")),
        number: &number,
        colors,
    };
    let svg = charts::svg(&data)?;
    // Plotters' root element, made an image named by the caption; the
    // page's CSS scales it to the width of its container.
    let cap_id = format!("cap-{}", t.name);
    let open_end = svg.find('>').ok_or("the chart has no <svg> element")?;
    let open = &svg[..open_end];
    let attrs: String = open
        .trim_start_matches("<svg")
        .split_whitespace()
        .filter(|a| !a.starts_with("xmlns="))
        .collect::<Vec<_>>()
        .join(" ");
    let kind = match chart.kind {
        ChartKind::Columns => "columns",
        ChartKind::Bars => "bars",
    };
    Ok(format!(
        "<svg {attrs} role=\"img\" aria-labelledby=\"{cap_id}\" class=\"{kind}\">{}",
        &svg[open_end + 1..]
    ))
}

/// At most `max` characters, an ellipsis ending a longer text.
fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max - 1).collect();
        out.push('…');
        out
    }
}

const CSS: &str = r#":root { color-scheme: light; --ink: #1d1d1f; --muted: #555; --line: #d0d0d5; --accent: #0b5cad; --warn: #8a1c00; }
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; color: var(--ink); background: #fff; }
header, nav, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.75rem; line-height: 1.2; margin: 0 0 .5rem; overflow-wrap: anywhere; }
h2 { font-size: 1.35rem; margin: 2.5rem 0 1rem; padding-top: .75rem; border-top: 2px solid var(--line); }
nav h2 { font-size: 1rem; margin: 1rem 0 .25rem; padding: 0; border: 0; }
nav ol { margin: 0; padding-left: 1.5rem; }
h3 { font-size: 1.1rem; margin: 2rem 0 .5rem; }
a { color: var(--accent); }
a:focus-visible, summary:focus-visible, .scroll:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.private { border-left: 4px solid var(--warn); background: #fff4ef; padding: .5rem .75rem; }
.private strong { color: var(--warn); }
figure { margin: 1.5rem 0 2rem; min-width: 0; }
figcaption { font-weight: 600; margin-bottom: .5rem; }
.plot { width: 100%; max-width: 50rem; }
.plot svg { display: block; width: 100%; height: auto; }
details { margin-top: .5rem; }
summary { cursor: pointer; color: var(--accent); padding: .5rem 0; min-height: 24px; }
.scroll { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; font-size: .925rem; margin: .25rem 0; }
th, td { text-align: left; padding: .3rem .6rem; border-bottom: 1px solid var(--line); vertical-align: top; }
thead th { border-bottom: 2px solid var(--ink); vertical-align: bottom; }
.list td { white-space: nowrap; }
tbody th { font-weight: 500; white-space: nowrap; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.more, .empty { color: var(--muted); }
footer { color: var(--muted); font-size: .875rem; padding-bottom: 2rem; margin-top: 3rem; }
@page { size: A4; margin: 14mm; }
@media print {
  body { font-size: 10.5pt; }
  header, nav, main, footer { max-width: none; padding: 0; }
  nav { display: none; }
  h2 { break-after: avoid; }
  figure { break-inside: avoid; }
  .plot { max-width: 100%; }
  .plot svg { max-height: 240mm; }
  details > summary { display: none; }
  .scroll { overflow: visible; }
  a { color: inherit; text-decoration: none; }
}
"#;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(group_thousands("1234567", ","), "1,234,567");
        assert_eq!(group_thousands("100", ","), "100");
        assert_eq!(group_thousands("1000", " "), "1 000");
        assert_eq!(shorten("abcdef", 4), "abc…");
    }
}
