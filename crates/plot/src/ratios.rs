//! Horizontal bars of ratios, for setting two runs side by side: one row per point, its name
//! on the left, a bar from 1 (no change) to the ratio on a log axis symmetric about 1 (so
//! half and double are as far from it), the ratio's interval as a whisker, and the ratio
//! and its word written in a column on the right, as a forest plot does. A bar is drawn in
//! full colour only when the word says the runs differ.

use crate::axis::{Axis, Scale, Units};
use crate::error::DrawError;
use crate::marks::{hwhisker, text_at};
use crate::theme::{
    font, shade, text_width, AXIS_PX, CAPTION_PX, DASHED, GRID, INK, NOTE_PX, REFERENCE, TICK_PX,
};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// The height of one row, in pixels.
const ROW_PX: u32 = 30;
/// The panel's height besides its rows: caption, x axis and its description, margins.
const FRAME_PX: u32 = 160;

/// One row: a point and what its ratio is.
pub(crate) struct RatioRow {
    pub label: String,
    pub colour: RGBColor,
    /// The ratio NEW/BASE, when there is one.
    pub ratio: Option<f64>,
    pub interval: Option<(f64, f64)>,
    /// Whether the runs differ (the intervals do not overlap): a full-colour bar.
    pub differs: bool,
    /// What the right-hand column says: the ratio, its interval and the word.
    pub text: String,
}

pub(crate) struct Ratios {
    pub caption: Option<String>,
    pub x: Axis,
    pub rows: Vec<RatioRow>,
}

impl Ratios {
    /// A panel of `rows` whose axis, symmetric about 1 on a log scale, holds every ratio and
    /// interval end.
    pub(crate) fn new(caption: Option<String>, desc: &str, rows: Vec<RatioRow>) -> Ratios {
        let reach = rows
            .iter()
            .flat_map(|r| {
                let (lo, hi) = r.interval.unwrap_or((f64::NAN, f64::NAN));
                [r.ratio, Some(lo), Some(hi)]
            })
            .flatten()
            .filter(|v| v.is_finite() && *v > 0.0)
            .map(|v| v.max(1.0 / v))
            .fold(1.0, f64::max);
        Ratios {
            caption,
            x: ratio_axis(desc, reach),
            rows,
        }
    }

    /// The height this panel needs for its rows.
    pub(crate) fn min_height(&self) -> u32 {
        self.rows.len().max(1) as u32 * ROW_PX + FRAME_PX
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawError> {
        let (width, _) = area.dim_in_pixel();
        let ticks = font(TICK_PX);
        let widest = |texts: &mut dyn Iterator<Item = &str>| {
            texts.map(|t| text_width(&ticks, t)).fold(0.0, f64::max) as u32
        };
        let left = widest(&mut self.rows.iter().map(|r| r.label.as_str())) + 36;
        let right = widest(&mut self.rows.iter().map(|r| r.text.as_str())) + 36;
        // The plot keeps at least a third of the width; long texts give way first.
        let right = right.min(width / 3);
        let left = left.min(width.saturating_sub(right) / 2);
        let (labels, rest) = area.split_horizontally(left);
        let (plot, _) = rest.split_horizontally(width.saturating_sub(left + right));

        let n = self.rows.len().max(1);
        let mut builder = ChartBuilder::on(&plot);
        builder.margin(12).margin_right(20).x_label_area_size(70);
        if let Some(c) = &self.caption {
            builder.caption(c, font(CAPTION_PX));
        }
        let mut chart = builder.build_cartesian_2d(self.x.coord(), 0f64..n as f64)?;
        let x_label = |t: &f64| self.x.label(*t);
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .x_label_formatter(&x_label)
            .x_desc(&self.x.desc)
            .axis_desc_style(font(AXIS_PX))
            .label_style(font(TICK_PX))
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;
        let one = self.x.scale.to(1.0);
        let (lo_edge, hi_edge) = (self.x.range().start, self.x.range().end);
        let page = |v: f64| self.x.scale.to(v).clamp(lo_edge, hi_edge);
        let label_style = font(TICK_PX).pos(Pos::new(HPos::Right, VPos::Center));
        let text_style = font(NOTE_PX).pos(Pos::new(HPos::Left, VPos::Center));
        let label_x = labels.get_base_pixel().0 + left as i32 - 12;
        for (i, row) in self.rows.iter().enumerate() {
            let y = (n - i) as f64 - 0.5;
            let mid = chart.backend_coord(&(one, y));
            text_at(area, (label_x, mid.1), &row.label, &label_style)?;
            let edge = chart.backend_coord(&(hi_edge, y));
            text_at(area, (edge.0 + 28, mid.1), &row.text, &text_style)?;
            let Some(r) = row.ratio.filter(|r| *r > 0.0) else {
                continue;
            };
            let (top, bottom) = (y + 0.32, y - 0.32);
            let fill = if row.differs {
                row.colour
            } else {
                shade(row.colour, 2)
            };
            let bar = [(one, bottom), (page(r), top)];
            chart.draw_series([
                Rectangle::new(bar, fill.filled()),
                Rectangle::new(bar, row.colour.stroke_width(2)),
            ])?;
            if let Some((lo, hi)) = row.interval {
                hwhisker(&mut chart, y, (page(lo), page(hi)), INK)?;
            }
        }
        let (dash, gap) = DASHED;
        chart.draw_series([DashedPathElement::new(
            vec![(one, 0.0), (one, n as f64)],
            dash,
            gap,
            REFERENCE.stroke_width(2),
        )])?;
        Ok(())
    }
}

/// A log axis symmetric about 1 that reaches `reach` (and 1 / `reach`), with ticks at round
/// numbers either side: 0.8, 0.9, 1, 1.1, 1.25 for small changes, 0.1, 1, 10 for large ones.
fn ratio_axis(desc: &str, reach: f64) -> Axis {
    let reach = (reach * 1.15).max(1.3);
    let ticks: &[f64] = match reach {
        r if r <= 1.6 => &[0.8, 0.9, 1.1, 1.25, 1.5],
        r if r <= 2.5 => &[0.5, 0.6, 0.8, 1.25, 1.5, 2.0],
        r if r <= 4.0 => &[0.3, 0.5, 0.7, 1.5, 2.0, 3.0],
        r if r <= 12.0 => &[0.1, 0.2, 0.5, 2.0, 5.0, 10.0],
        r if r <= 120.0 => &[0.01, 0.1, 10.0, 100.0],
        _ => &[1e-6, 1e-4, 0.01, 100.0, 1e4, 1e6],
    };
    let mut fixed = vec![0.0];
    fixed.extend(
        ticks
            .iter()
            .filter(|t| (1.0 / reach..=reach).contains(*t))
            .map(|t| t.log10()),
    );
    fixed.sort_by(f64::total_cmp);
    Axis {
        lo: 1.0 / reach,
        hi: reach,
        fixed,
        ..Axis::new(desc, Scale::Log, Units::Plain)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_is_symmetric_about_one_with_round_ticks() {
        let a = ratio_axis("r", 1.2);
        assert!((a.lo * a.hi - 1.0).abs() < 1e-12);
        let labels: Vec<String> = a.ticks().iter().map(|t| a.label(*t)).collect();
        assert_eq!(labels, ["0.8", "0.9", "1", "1.1", "1.25"]);
        let a = ratio_axis("r", 30.0);
        let labels: Vec<String> = a.ticks().iter().map(|t| a.label(*t)).collect();
        assert_eq!(labels, ["0.1", "1", "10"]);
    }
}
