//! The report's charts, drawn by plotters into SVG: stacked columns (one
//! a month) and stacked horizontal bars (one a badge, skill or host).
//! Everything a chart shows comes in as [`Data`], made from a table by
//! `html`; the text alternative is that table, next to the chart.
//!
//! The SVG keeps plotters' fixed size as its `viewBox` and is scaled by
//! the page's CSS to its container's width, so it never overflows it.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::tables::ChartKind;

pub struct Data<'a> {
    pub kind: ChartKind,
    pub categories: Vec<String>,
    /// Each series' label and its value for every category, stacked in
    /// this order.
    pub series: Vec<(String, Vec<f64>)>,
    /// Values are shares: the value axis is in per cent, with a line at
    /// 100% labelled `limit`.
    pub percent: Option<String>,
    /// Numbers as the report's language writes them.
    pub number: &'a dyn Fn(f64) -> String,
    /// Colours for the series (else the palette's, in order).
    pub colors: Option<Vec<RGBColor>>,
}

/// Colour-blind-safe hues, each at least 3:1 against white.
pub const PALETTE: [RGBColor; 8] = [
    RGBColor(0x00, 0x72, 0xB2),
    RGBColor(0xD5, 0x5E, 0x00),
    RGBColor(0x00, 0x87, 0x63),
    RGBColor(0x7B, 0x32, 0x94),
    RGBColor(0x9C, 0x6B, 0x00),
    RGBColor(0xC2, 0x3B, 0x7A),
    RGBColor(0x3D, 0x3D, 0x3D),
    RGBColor(0x80, 0x80, 0x80),
];

pub const URGENT: RGBColor = RGBColor(0xD5, 0x5E, 0x00);
pub const SOON: RGBColor = RGBColor(0x9C, 0x6B, 0x00);
pub const LATER: RGBColor = RGBColor(0x00, 0x72, 0xB2);
pub const GOOD: RGBColor = RGBColor(0x00, 0x87, 0x63);

const TEXT: RGBColor = RGBColor(0x22, 0x22, 0x22);
const GRID: RGBColor = RGBColor(0xDD, 0xDD, 0xDD);
const LIMIT: RGBColor = RGBColor(0xB0, 0x00, 0x20);
const WIDTH: u32 = 800;
/// Plotters writes `font-size` as this over 1.24: 13.7 px.
const FONT: f64 = 17.0;
const FAMILY: &str = "system-ui, sans-serif";
const LEGEND_ROW: u32 = 24;
/// At most this many labels on the month axis.
const MONTH_LABELS: usize = 8;

type Fail = String;

fn fail<E: std::fmt::Debug>(e: E) -> Fail {
    format!("cannot draw a chart: {e:?}")
}

/// The chart as an SVG element.
pub fn svg(d: &Data) -> Result<String, Fail> {
    let n = d.categories.len();
    let colors = d.colors.clone().unwrap_or_else(|| PALETTE.to_vec());
    let color = |s: usize| colors[s % colors.len()];
    let legend = legend_layout(d);
    let legend_h = if d.series.len() > 1 {
        legend.last().map_or(0, |l| l.1 + 1) * LEGEND_ROW + 12
    } else {
        0
    };
    let plot_h = match d.kind {
        ChartKind::Columns if d.series.len() > 1 => 380,
        ChartKind::Columns => 280,
        ChartKind::Bars => 70 + 34 * n.max(1) as u32,
    };
    let height = plot_h + legend_h;
    let totals: Vec<f64> = (0..n)
        .map(|i| d.series.iter().map(|s| s.1[i]).sum())
        .collect();
    let max = totals.iter().copied().fold(0.0, f64::max);
    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(fail)?;
        let (plot, bottom) = root.split_vertically(plot_h);
        let font = (FAMILY, FONT).into_font().color(&TEXT);
        let category = |x: f64| -> String {
            let i = x.round();
            if (x - i).abs() > 1e-6 || i < 0.0 || i as usize >= n {
                return String::new();
            }
            d.categories[i as usize].clone()
        };
        let (top, ticks) = match &d.percent {
            Some(_) => {
                let top = (max.max(1.0) * 1.15 * 4.0).ceil() / 4.0;
                (top, (top / 0.25).round() as usize + 1)
            }
            None => nice(max * if d.kind == ChartKind::Bars { 1.12 } else { 1.0 }),
        };
        let value = |v: f64| -> String {
            match &d.percent {
                Some(_) => format!("{}%", (d.number)((v * 100.0).round())),
                None if (v - v.round()).abs() > 1e-6 => String::new(),
                None => (d.number)(v),
            }
        };
        match d.kind {
            ChartKind::Columns => {
                let mut chart = ChartBuilder::on(&plot)
                    .margin(12)
                    .margin_right(28)
                    .x_label_area_size(36)
                    .y_label_area_size(64)
                    .build_cartesian_2d(-0.5..(n.max(1) as f64 - 0.5), 0.0..top)
                    .map_err(fail)?;
                chart
                    .configure_mesh()
                    .disable_x_mesh()
                    .max_light_lines(0)
                    .bold_line_style(GRID)
                    .axis_style(TEXT)
                    .x_labels(n.clamp(1, MONTH_LABELS))
                    .y_labels(ticks)
                    .x_label_formatter(&|x| category(*x))
                    .y_label_formatter(&|y| value(*y))
                    .label_style(font.clone())
                    .draw()
                    .map_err(fail)?;
                let mut base = vec![0.0; n];
                for (s, (_, values)) in d.series.iter().enumerate() {
                    let style = color(s).filled();
                    let bars: Vec<Rectangle<(f64, f64)>> = (0..n)
                        .filter(|&i| values[i] > 0.0)
                        .map(|i| {
                            let x = i as f64;
                            Rectangle::new(
                                [(x - 0.4, base[i]), (x + 0.4, base[i] + values[i])],
                                style,
                            )
                        })
                        .collect();
                    chart.draw_series(bars).map_err(fail)?;
                    for i in 0..n {
                        base[i] += values[i];
                    }
                }
            }
            ChartKind::Bars => {
                // The first category at the top.
                let row = |i: usize| (n - 1 - i) as f64;
                let label_w = d
                    .categories
                    .iter()
                    .map(|c| text_width(c))
                    .fold(0.0, f64::max)
                    .clamp(60.0, 300.0) as u32
                    + 16;
                let mut chart = ChartBuilder::on(&plot)
                    .margin(12)
                    .margin_right(28)
                    .x_label_area_size(36)
                    .y_label_area_size(label_w)
                    .build_cartesian_2d(0.0..top, -0.5..(n.max(1) as f64 - 0.5))
                    .map_err(fail)?;
                chart
                    .configure_mesh()
                    .disable_y_mesh()
                    .max_light_lines(0)
                    .bold_line_style(GRID)
                    .axis_style(TEXT)
                    .y_labels(n.max(1))
                    .x_labels(ticks)
                    .y_label_formatter(&|y| {
                        let i = y.round();
                        if (y - i).abs() > 1e-6 || i < 0.0 || i as usize >= n {
                            return String::new();
                        }
                        category((n - 1 - i as usize) as f64)
                    })
                    .x_label_formatter(&|x| value(*x))
                    .label_style(font.clone())
                    .draw()
                    .map_err(fail)?;
                let mut base = vec![0.0; n];
                for (s, (_, values)) in d.series.iter().enumerate() {
                    let style = color(s).filled();
                    let bars: Vec<Rectangle<(f64, f64)>> = (0..n)
                        .filter(|&i| values[i] > 0.0)
                        .map(|i| {
                            let y = row(i);
                            Rectangle::new(
                                [(base[i], y - 0.32), (base[i] + values[i], y + 0.32)],
                                style,
                            )
                        })
                        .collect();
                    chart.draw_series(bars).map_err(fail)?;
                    for i in 0..n {
                        base[i] += values[i];
                    }
                }
                let at_end = font.pos(Pos::new(HPos::Left, VPos::Center));
                let labels: Vec<Text<(f64, f64), String>> = (0..n)
                    .map(|i| {
                        let text = match &d.percent {
                            Some(_) => {
                                format!("{}%", (d.number)((totals[i] * 1000.0).round() / 10.0))
                            }
                            None => (d.number)(totals[i]),
                        };
                        // A little room between a bar and its number.
                        Text::new(text, (totals[i] + top * 0.01, row(i)), at_end.clone())
                    })
                    .collect();
                chart.draw_series(labels).map_err(fail)?;
                if let Some(limit) = &d.percent {
                    chart
                        .draw_series(LineSeries::new(
                            [(1.0, -0.5), (1.0, n as f64 - 0.5)],
                            LIMIT.stroke_width(2),
                        ))
                        .map_err(fail)?;
                    // Inside the plot, right of the line's top.
                    let style = font
                        .clone()
                        .color(&LIMIT)
                        .pos(Pos::new(HPos::Left, VPos::Top));
                    let at = (1.0 + top * 0.01, n as f64 - 0.5);
                    chart
                        .draw_series([Text::new(limit.clone(), at, style)])
                        .map_err(fail)?;
                }
            }
        }
        if d.series.len() > 1 {
            draw_legend(&bottom, d, &legend, &color)?;
        }
        root.present().map_err(fail)?;
    }
    Ok(out)
}

/// A nice top for a count axis and how many labels reach it: a multiple
/// of 1, 2 or 5 times a power of ten, in at most five steps.
fn nice(max: f64) -> (f64, usize) {
    let max = max.max(1.0);
    let mut step = 1.0;
    loop {
        for f in [1.0, 2.0, 5.0] {
            let s = step * f;
            let k = (max / s).ceil();
            if k <= 5.0 {
                return (k * s, k as usize + 1);
            }
        }
        step *= 10.0;
    }
}

/// About how wide a label is, in pixels at the chart's font size: wide
/// (CJK) characters one em, others a little over half.
fn text_width(s: &str) -> f64 {
    let em = FONT / 1.24;
    s.chars()
        .map(|c| if (c as u32) >= 0x2E80 { em } else { em * 0.58 })
        .sum()
}

/// Each legend item's column (x in pixels) and row.
fn legend_layout(d: &Data) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    let (mut x, mut row) = (16u32, 0u32);
    for (label, _) in &d.series {
        let w = 26 + text_width(label) as u32 + 22;
        if x + w > WIDTH - 16 && x > 16 {
            x = 16;
            row += 1;
        }
        out.push((x, row));
        x += w;
    }
    out
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    d: &Data,
    layout: &[(u32, u32)],
    color: &dyn Fn(usize) -> RGBColor,
) -> Result<(), Fail> {
    let font = (FAMILY, FONT)
        .into_font()
        .color(&TEXT)
        .pos(Pos::new(HPos::Left, VPos::Center));
    for (s, ((label, _), &(x, row))) in d.series.iter().zip(layout).enumerate() {
        let (x, y) = (x as i32, (row * LEGEND_ROW + 4) as i32);
        area.draw(&Rectangle::new(
            [(x, y + 3), (x + 16, y + 19)],
            color(s).filled(),
        ))
        .map_err(fail)?;
        area.draw(&Text::new(label.clone(), (x + 24, y + 11), font.clone()))
            .map_err(fail)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_axes_end_on_round_numbers() {
        assert_eq!(nice(0.0), (1.0, 2));
        assert_eq!(nice(3.0), (3.0, 4));
        assert_eq!(nice(7.0), (8.0, 5));
        assert_eq!(nice(42.0), (50.0, 6));
        assert_eq!(nice(9_068.0), (10_000.0, 6));
    }

    #[test]
    fn a_chart_is_plotters_svg_with_every_label() {
        let number = |v: f64| format!("{v}");
        let d = Data {
            kind: ChartKind::Bars,
            categories: vec!["Cloud <Ops>".into(), "数据".into()],
            series: vec![("A".into(), vec![2.0, 1.0]), ("B".into(), vec![1.0, 0.0])],
            percent: None,
            number: &number,
            colors: None,
        };
        let svg = svg(&d).unwrap();
        assert!(svg.starts_with("<svg"), "{svg}");
        assert!(
            svg.contains("Cloud &lt;Ops&gt;") && svg.contains("数据"),
            "{svg}"
        );
        assert!(svg.contains(">\nA\n<") || svg.contains(">A<"), "{svg}");
    }
}
