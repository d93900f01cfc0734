//! Labour-market insights on a badge page, in the page's language: per
//! region a salary chart (inline SVG drawn by plotters; a table of the same
//! numbers beside it for screen readers and print), the employers hiring,
//! the sources and their dates, and salary-search links.

use plotters::prelude::*;
use serde::Serialize;

use super::i18n::Strings;
use super::views::JobLink;
use crate::site::{InsightSubject, PayPeriod, Site};

#[derive(Serialize, Default)]
pub struct InsightsView {
    pub regions: Vec<RegionView>,
    pub employers: Vec<EmployerView>,
    pub sources: Vec<SourceView>,
    pub salary_links: Vec<JobLink>,
}

impl InsightsView {
    pub fn is_empty(&self) -> bool {
        self.regions.is_empty() && self.employers.is_empty()
    }
}

/// One region's salaries in one currency and period.
#[derive(Serialize)]
pub struct RegionView {
    /// An HTML id for the chart's caption.
    pub id: String,
    /// "United Kingdom — yearly salary, GBP".
    pub caption: String,
    pub svg: String,
    pub rows: Vec<RowView>,
}

#[derive(Serialize)]
pub struct RowView {
    /// The skill or the badge the figures are for.
    pub label: String,
    pub low: String,
    pub median: String,
    pub high: String,
    pub sample: String,
    pub source: String,
}

#[derive(Serialize)]
pub struct EmployerView {
    pub name: String,
    pub url: String,
}

#[derive(Serialize)]
pub struct SourceView {
    pub name: String,
    pub url: String,
    pub date: String,
    pub date_iso: String,
}

/// A currency amount as the language writes it: the symbol readers of the
/// language know, digits grouped by thousands, cents only when there are.
pub fn money(lang: &str, currency: &str, v: f64) -> String {
    let zh = lang.starts_with("zh");
    let symbol = match currency {
        "USD" if zh => "US$",
        "USD" => "$",
        "CNY" if zh => "¥",
        "CNY" => "CN¥",
        "JPY" if zh => "JP¥",
        "JPY" => "¥",
        "EUR" => "€",
        "GBP" => "£",
        "INR" => "₹",
        "AUD" => "A$",
        "CAD" => "CA$",
        "HKD" => "HK$",
        _ => "",
    };
    let cents = (v.fract() * 100.0).round() as i64;
    let whole = v.trunc() as i64;
    let mut grouped = crate::text::group_thousands(&whole.to_string(), ",");
    if cents != 0 {
        grouped.push_str(&format!(".{cents:02}"));
    }
    if symbol.is_empty() {
        format!("{currency} {grouped}")
    } else {
        format!("{symbol}{grouped}")
    }
}

/// Salaries of one (region in the default language, currency, period): the
/// region as the page writes it, and each row with its bar's numbers.
type Group = (
    (String, String, PayPeriod),
    String,
    Vec<(String, f64, f64, f64, RowView)>,
);

/// The insights of badge `b` for a page in `s`'s language.
pub fn insights_view(site: &Site, b: usize, s: &Strings) -> InsightsView {
    let lang = s.lang.as_str();
    let default = site.default_lang();
    let mut view = InsightsView::default();
    // (region in the default language, currency, period) → rows, in order.
    let mut groups: Vec<Group> = Vec::new();
    let badge = &site.badges[b];
    for insight in site.insights_of(b) {
        let label = match &insight.subject {
            InsightSubject::Badge(x) => site.text(&site.badges[*x].name, lang).to_string(),
            InsightSubject::Skill(k) => badge
                .skills
                .iter()
                .find(|sk| site.text(sk, default).to_lowercase() == *k)
                .map(|sk| site.text(sk, lang).to_string())
                .unwrap_or_else(|| k.clone()),
        };
        let source = SourceView {
            name: insight.source.clone(),
            url: insight.source_url.clone().unwrap_or_default(),
            date: s.date(insight.date),
            date_iso: insight.date.to_string(),
        };
        for sal in &insight.salaries {
            let key = (
                site.text(&sal.region, default).to_string(),
                sal.currency.clone(),
                sal.period,
            );
            let row = RowView {
                label: label.clone(),
                low: money(lang, &sal.currency, sal.low),
                median: money(lang, &sal.currency, sal.median),
                high: money(lang, &sal.currency, sal.high),
                sample: sal.sample.map(|n| n.to_string()).unwrap_or_default(),
                source: format!("{}, {}", source.name, source.date),
            };
            let entry = (label.clone(), sal.low, sal.median, sal.high, row);
            match groups.iter_mut().find(|g| g.0 == key) {
                Some(g) => g.2.push(entry),
                None => groups.push((key, site.text(&sal.region, lang).to_string(), vec![entry])),
            }
        }
        for e in &insight.employers {
            if !view.employers.iter().any(|x| x.name == e.name) {
                view.employers.push(EmployerView {
                    name: e.name.clone(),
                    url: e.url.clone(),
                });
            }
        }
        if !view
            .sources
            .iter()
            .any(|x| x.name == source.name && x.date_iso == source.date_iso)
        {
            view.sources.push(source);
        }
    }
    for (i, ((_, currency, period), region, rows)) in groups.into_iter().enumerate() {
        let period_text = s.get(match period {
            PayPeriod::Year => "insights_period_year",
            PayPeriod::Month => "insights_period_month",
            PayPeriod::Hour => "insights_period_hour",
        });
        let caption = s.fill(
            "insights_chart_caption",
            &[
                ("region", &region),
                ("period", period_text),
                ("currency", &currency),
            ],
        );
        let bars: Vec<(String, f64, f64, f64)> =
            rows.iter().map(|r| (r.0.clone(), r.1, r.2, r.3)).collect();
        let svg = chart(&bars, &|v| money(lang, &currency, v)).unwrap_or_default();
        let id = format!("salary-{}", i + 1);
        view.regions.push(RegionView {
            svg: accessible(&svg, &id),
            id,
            caption,
            rows: rows.into_iter().map(|r| r.4).collect(),
        });
    }
    if let Some(search) = &site.salary_search {
        let name = search.name.get(lang, default).unwrap_or_default();
        for skill in &badge.skills {
            let key = site.text(skill, default);
            // The regions the issuer has this skill's salaries for (searched
            // in the default language, shown in the page's); else one search.
            let mut regions: Vec<(String, String)> = Vec::new();
            let subject = InsightSubject::Skill(key.to_lowercase());
            for i in site.insights.iter().filter(|i| i.subject == subject) {
                for sal in &i.salaries {
                    let name = site.text(&sal.region, default).to_string();
                    if !regions.iter().any(|r| r.0 == name) {
                        regions.push((name, site.text(&sal.region, lang).to_string()));
                    }
                }
            }
            let encoded = super::share::encode(key);
            let shown = site.text(skill, lang);
            for region in regions
                .iter()
                .map(Some)
                .chain(regions.is_empty().then_some(None))
            {
                let url = search.url.replace("{skill}", &encoded).replace(
                    "{region}",
                    &region
                        .map(|r| super::share::encode(&r.0))
                        .unwrap_or_default(),
                );
                let key = if region.is_some() {
                    "insights_salary_link"
                } else {
                    "insights_salary_link_any"
                };
                let region_shown = region.map(|r| r.1.as_str()).unwrap_or_default();
                let text = s.fill(
                    key,
                    &[("board", name), ("skill", shown), ("region", region_shown)],
                );
                view.salary_links.push(JobLink {
                    label: text.clone(),
                    text,
                    url,
                });
            }
        }
    }
    view
}

/// The chart's SVG made part of the page: the caption names it for screen
/// readers, and CSS sizes it to its box (it keeps its `viewBox`).
fn accessible(svg: &str, caption_id: &str) -> String {
    match svg.find("viewBox=") {
        Some(at) => format!(
            "<svg class=\"salary-chart\" role=\"img\" aria-labelledby=\"{caption_id}\" {}",
            &svg[at..]
        ),
        None => String::new(),
    }
}

/// Horizontal range bars, one row per (label, low, median, high): the bar
/// spans low to high, a dark mark stands at the median, the label above.
fn chart(rows: &[(String, f64, f64, f64)], fmt: &dyn Fn(f64) -> String) -> Option<String> {
    const WIDTH: u32 = 560;
    const ROW: u32 = 44;
    let mut svg = String::new();
    {
        let height = 34 + ROW * rows.len() as u32;
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let top = rows.iter().map(|r| r.3).fold(0.0, f64::max).max(1.0) * 1.08;
        let n = rows.len() as f64;
        let mut c = ChartBuilder::on(&root)
            .margin_left(36)
            .margin_right(36)
            .margin_top(4)
            .x_label_area_size(26)
            .build_cartesian_2d(0f64..top, 0f64..n)
            .ok()?;
        c.configure_mesh()
            .disable_y_mesh()
            .disable_y_axis()
            .light_line_style(WHITE)
            .x_labels(4)
            .x_label_formatter(&|v| fmt(*v))
            .x_label_style(("sans-serif", 12).into_font())
            .draw()
            .ok()?;
        let bar = RGBColor(74, 122, 196);
        let ink = RGBColor(23, 32, 51);
        for (i, (label, low, median, high)) in rows.iter().enumerate() {
            let y = n - 1.0 - i as f64;
            let tick = top * 0.004;
            c.draw_series([
                Rectangle::new([(*low, y + 0.12), (*high, y + 0.42)], bar.filled()),
                Rectangle::new(
                    [(median - tick, y + 0.04), (median + tick, y + 0.5)],
                    ink.filled(),
                ),
            ])
            .ok()?;
            c.draw_series([Text::new(
                label.clone(),
                (0.0, y + 0.92),
                ("sans-serif", 14).into_font().color(&ink),
            )])
            .ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_is_written_as_each_language_writes_it() {
        assert_eq!(money("en", "GBP", 68000.0), "£68,000");
        assert_eq!(money("en", "USD", 1234567.5), "$1,234,567.50");
        assert_eq!(money("zh-CN", "USD", 950.0), "US$950");
        assert_eq!(money("zh-CN", "CNY", 240000.0), "¥240,000");
        assert_eq!(money("en", "CNY", 240000.0), "CN¥240,000");
        assert_eq!(money("en", "SEK", 42000.0), "SEK 42,000");
    }

    #[test]
    fn charts_are_svg_with_a_bar_per_row_and_no_style_attributes() {
        let rows = vec![
            ("a".to_string(), 10.0, 20.0, 30.0),
            ("b".to_string(), 5.0, 8.0, 9.0),
        ];
        let svg = chart(&rows, &|v| format!("{v}")).unwrap();
        assert!(svg.starts_with("<svg") && svg.contains("viewBox"));
        // The site's CSP allows no inline styles.
        assert!(!svg.contains("style="), "{svg}");
        let page = accessible(&svg, "c1");
        assert!(page.contains("role=\"img\" aria-labelledby=\"c1\""));
    }
}
