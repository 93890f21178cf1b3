//! Grouped bars with confidence whiskers, shared by every bar chart: one group per
//! category (a model, coloured as everywhere else), one bar per condition in a lighter shade
//! of that colour, optional horizontal reference lines, and a visible gap where a point
//! failed instead of a bar drawn from nothing.

use crate::axis::{Axis, Scale};
use crate::error::DrawError;
use crate::marks::{label_min_px, text_at, under_axis, whisker, wrap};
use crate::theme::{
    colour, font, shade, text_width, AXIS_PX, CAPTION_PX, DASHED, GRID, INK, NOTE_PX, REFERENCE,
    TICK_PX,
};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tvc_core::registry::order as order_key;
use tvc_results::{PointKey as Point, Run, Stat};

/// What one bar shows.
#[derive(Debug, Clone)]
pub(crate) enum Cell {
    /// A measured median, its interval, and an optional mark above it (e.g. "✗").
    Value(Stat, Option<String>),
    /// The point exists but measured nothing: its status (`unsupported`, `aborted`, ...) is
    /// written where the bar would be, so a gap is never silent.
    Missing(String),
    /// No such point in the run.
    Absent,
}

pub(crate) struct Category {
    pub label: String,
    pub colour: RGBColor,
    /// One cell per condition, in the order of `Bars::conditions`.
    pub cells: Vec<Cell>,
    /// Text written across the whole group instead of bars (e.g. a baseline too small for the
    /// axis); lines split at `\n`, and wrapped to the group's width.
    pub banner: Option<String>,
}

impl Category {
    pub(crate) fn new(label: String, cells: Vec<Cell>) -> Category {
        Category {
            colour: colour(&label),
            label,
            cells,
            banner: None,
        }
    }

    /// The one status every cell shares when none measured anything (it is then written once
    /// across the group rather than squeezed into each bar's slot).
    fn common_status(&self) -> Option<&str> {
        let mut statuses = self.cells.iter().map(|c| match c {
            Cell::Missing(s) => Some(s.as_str()),
            _ => None,
        });
        let first = statuses.next()??;
        statuses.all(|s| s == Some(first)).then_some(first)
    }
}

/// The narrowest slot of one bar, in pixels.
const MIN_BAR_SLOT: f64 = 40.0;

pub(crate) struct Bars {
    pub caption: Option<String>,
    pub x_desc: String,
    pub y: Axis,
    /// The conditions compared within each group (e.g. keep-alive on / off); shade i.
    pub conditions: Vec<String>,
    pub categories: Vec<Category>,
    /// Horizontal dashed lines with a label, in data units (an empty label: named in the
    /// chart's legend instead).
    pub references: Vec<(f64, String)>,
    /// Writes the value above each bar when there is room.
    pub value_label: fn(f64) -> String,
}

impl Bars {
    /// Every value the y axis must show: interval ends and reference lines.
    pub(crate) fn extent(&self) -> Vec<f64> {
        let mut vs: Vec<f64> = self.references.iter().map(|r| r.0).collect();
        for c in &self.categories {
            for cell in &c.cells {
                if let Cell::Value(s, _) = cell {
                    vs.extend([s.median, s.ci_low, s.ci_high]);
                }
            }
        }
        vs
    }

    /// The widest text written above a bar (its value or its mark), in pixels.
    fn widest_label(&self) -> f64 {
        let style = font(NOTE_PX);
        let width = |t: &str| text_width(&style, t);
        self.categories
            .iter()
            .flat_map(|c| &c.cells)
            .filter_map(|cell| match cell {
                Cell::Value(s, mark) => Some(
                    width(&(self.value_label)(s.median)).max(mark.as_deref().map_or(0.0, width)),
                ),
                _ => None,
            })
            .fold(0.0, f64::max)
    }

    /// The width in pixels this panel needs so every value written above a bar fits its
    /// slot: a chart with many bars gets wider rather than dropping them.
    pub(crate) fn min_width(&self) -> u32 {
        let bars = (self.categories.len() * self.conditions.len().max(1)) as f64;
        let slot = (self.widest_label() + 14.0).max(MIN_BAR_SLOT);
        // Each category's label, broken as far as it can be, fits under its group.
        let label = self
            .categories
            .iter()
            .map(|c| label_min_px(&c.label) + 12.0)
            .fold(0.0, f64::max);
        let cats = self.categories.len() as f64;
        (150.0 + (bars / 0.86 * slot).max(cats * label)).ceil() as u32
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawError> {
        let n_cat = self.categories.len().max(1);
        let n_cond = self.conditions.len().max(1);
        let y = &self.y;
        let yr = y.range();
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(16)
            .margin_right(30)
            .x_label_area_size(90)
            .y_label_area_size(104);
        if let Some(c) = &self.caption {
            builder.caption(c, font(CAPTION_PX));
        }
        let mut chart = builder.build_cartesian_2d(0f64..n_cat as f64, y.coord())?;
        let y_label = |t: &f64| y.label(*t);
        chart
            .configure_mesh()
            .disable_x_mesh()
            .x_labels(0)
            .x_label_formatter(&|_| String::new())
            .y_label_formatter(&y_label)
            .y_desc(&y.desc)
            .x_desc(&self.x_desc)
            .axis_desc_style(font(AXIS_PX))
            .label_style(font(TICK_PX))
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;

        let base = yr.start;
        let group = 0.86;
        let w = group / n_cond as f64;
        // Values are written above the bars only if every one fits its bar's width.
        let slot = chart.plotting_area().dim_in_pixel().0 as f64 / n_cat as f64 * w;
        let label_font = font(NOTE_PX);
        let roomy = self.widest_label() + 4.0 <= slot;
        let up = Pos::new(HPos::Center, VPos::Bottom);
        for (i, cat) in self.categories.iter().enumerate() {
            let bottom = chart.backend_coord(&(i as f64 + 0.5, base));
            let group_px = slot * n_cond as f64;
            under_axis(area, bottom, &cat.label, group_px / group - 6.0)?;
            // A banner, or one status for the whole group, is written once across it.
            let across = cat
                .banner
                .clone()
                .or_else(|| cat.common_status().map(str::to_string));
            if let Some(text) = across {
                let lines = wrap(&text, group_px - 6.0, &label_font);
                let style = font(NOTE_PX).color(&INK).pos(up);
                for (k, t) in lines.iter().rev().enumerate() {
                    text_at(area, (bottom.0, bottom.1 - 6 - 21 * k as i32), t, &style)?;
                }
                continue;
            }
            for (j, cell) in cat.cells.iter().enumerate() {
                let x0 = i as f64 + (1.0 - group) / 2.0 + j as f64 * w;
                let (l, r, mid) = (x0 + w * 0.06, x0 + w * 0.94, x0 + w / 2.0);
                match cell {
                    Cell::Value(s, mark) => {
                        let top = y.scale.to(s.median).max(base);
                        let fill = shade(cat.colour, j);
                        chart.draw_series([
                            Rectangle::new([(l, base), (r, top)], fill.filled()),
                            Rectangle::new([(l, base), (r, top)], cat.colour.stroke_width(2)),
                        ])?;
                        let mut above = top;
                        let (lo, hi) = (y.scale.to(s.ci_low).max(base), y.scale.to(s.ci_high));
                        let tall =
                            chart.backend_coord(&(mid, lo)).1 - chart.backend_coord(&(mid, hi)).1;
                        // An interval thinner than the bar's outline has nothing to show.
                        if s.has_interval() && tall > 4 {
                            whisker(&mut chart, mid, (lo, hi), INK)?;
                            above = above.max(hi);
                        }
                        let p = chart.backend_coord(&(mid, above));
                        let mut lines: Vec<String> = Vec::new();
                        if roomy {
                            lines.push((self.value_label)(s.median));
                        }
                        lines.extend(mark.iter().cloned());
                        let style = font(NOTE_PX).pos(up);
                        for (k, t) in lines.iter().rev().enumerate() {
                            text_at(area, (p.0, p.1 - 4 - 21 * k as i32), t, &style)?;
                        }
                    }
                    Cell::Missing(status) => {
                        let p = chart.backend_coord(&(mid, base));
                        if text_width(&label_font, status) + 4.0 <= slot {
                            let style = font(NOTE_PX).color(&INK).pos(up);
                            text_at(area, (p.0, p.1 - 6), status, &style)?;
                        } else {
                            // Too wide for the slot: written upwards from the axis.
                            let style = font(NOTE_PX)
                                .color(&INK)
                                .transform(FontTransform::Rotate270)
                                .pos(Pos::new(HPos::Left, VPos::Center));
                            text_at(area, (p.0, p.1 - 6), status, &style)?;
                        }
                    }
                    Cell::Absent => {}
                }
            }
        }
        // Reference labels go above the line at whichever end has the lower bar beneath.
        let top_of = |c: Option<&Category>| {
            c.map_or(0.0, |c| {
                c.cells.iter().fold(0f64, |m, cell| match cell {
                    Cell::Value(s, _) => m.max(s.ci_high),
                    _ => m,
                })
            })
        };
        let left = top_of(self.categories.first()) < top_of(self.categories.last());
        for (value, label) in &self.references {
            let t = y.scale.to(*value);
            let (dash, gap) = DASHED;
            chart.draw_series([DashedPathElement::new(
                vec![(0.0, t), (n_cat as f64, t)],
                dash,
                gap,
                REFERENCE.stroke_width(2),
            )])?;
            let style = font(NOTE_PX).color(&INK);
            if label.is_empty() {
                continue;
            }
            if left {
                let p = chart.backend_coord(&(0.0, t));
                let style = style.pos(Pos::new(HPos::Left, VPos::Bottom));
                text_at(area, (p.0 + 6, p.1 - 3), label, &style)?;
            } else {
                let p = chart.backend_coord(&(n_cat as f64, t));
                let style = style.pos(Pos::new(HPos::Right, VPos::Bottom));
                text_at(area, (p.0 - 6, p.1 - 3), label, &style)?;
            }
        }
        Ok(())
    }
}

/// Whether an axis over these values should be logarithmic: when the largest bar is more
/// than 30 times the smallest, a linear axis would flatten the small ones to nothing.
pub(crate) fn wants_log(values: &[f64]) -> bool {
    let pos: Vec<f64> = values.iter().copied().filter(|v| *v > 0.0).collect();
    let (min, max) = pos
        .iter()
        .fold((f64::INFINITY, 0f64), |(a, b), &v| (a.min(v), b.max(v)));
    !pos.is_empty() && max / min > 30.0
}

/// The scale `wants_log` picks.
pub(crate) fn scale_for(values: &[f64]) -> Scale {
    if wants_log(values) {
        Scale::Log
    } else {
        Scale::Linear
    }
}

/// One category per model label (in the README's order) and one cell per condition, from
/// `metric` scaled by `k`. Where several points share a label and condition (e.g. two hop
/// counts), the last in parameter order (the largest N) stands for them.
pub(crate) fn categories<C: PartialEq>(
    run: &Run,
    points: &[&Point],
    conditions: &[C],
    condition_of: impl Fn(&Point) -> C,
    metric: &str,
    k: f64,
    mark: impl Fn(&Point) -> Option<String>,
) -> (Vec<Category>, Vec<Stat>) {
    let mut labels: Vec<String> = points.iter().map(|p| p.label()).collect();
    labels.sort_by_key(|l| order_key(l));
    labels.dedup();
    let mut stats = Vec::new();
    let cats = labels
        .into_iter()
        .map(|label| {
            let cells = conditions
                .iter()
                .map(|c| {
                    let found = points
                        .iter()
                        .rev()
                        .find(|p| p.label() == label && condition_of(p) == *c);
                    match found {
                        None => Cell::Absent,
                        Some(p) => match run.stat(p, metric) {
                            Some(s) => {
                                stats.push(s.scaled(k));
                                Cell::Value(s.scaled(k), mark(p))
                            }
                            None => Cell::Missing(run.statuses(p)),
                        },
                    }
                })
                .collect();
            Category::new(label, cells)
        })
        .collect();
    (cats, stats)
}

/// The note a chart with any log-scaled panel carries.
pub(crate) fn log_note(bars: &[&Bars]) -> Option<String> {
    bars.iter()
        .any(|b| b.y.scale == Scale::Log)
        .then(|| "Log scale: equal steps up the axis are equal ratios.".to_string())
}
