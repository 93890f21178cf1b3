//! Lines with confidence whiskers, shared by every chart that sweeps a parameter: one line
//! per model (its fixed colour), vertical markers (e.g. the thread limit) and grey guides
//! (e.g. "1 kB per unit") that give the reader a scale to judge the lines by.

use crate::axis::Axis;
use crate::error::DrawError;
use crate::marks::{text_at, whisker};
use crate::theme::{
    colour, font, is_variant, AXIS_PX, CAPTION_PX, DASHED, DOTTED, GRID, INK, NOTE_PX, REFERENCE,
    TICK_PX,
};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tvc_results::Stat;

pub(crate) struct Series {
    /// The model label; a variant (`model:variant`) is drawn thinner, with triangles.
    pub label: String,
    pub colour: RGBColor,
    /// (x, y) in data units.
    pub points: Vec<(f64, Stat)>,
    /// Where the series measured nothing: (x in data units, status). Each is drawn as a ✗
    /// with its status at the foot of the panel, in the series' colour.
    pub gaps: Vec<(f64, String)>,
}

impl Series {
    pub(crate) fn new(label: &str, points: Vec<(f64, Stat)>, gaps: Vec<(f64, String)>) -> Series {
        Series {
            label: label.to_string(),
            colour: colour(label),
            points,
            gaps,
        }
    }
}

/// A vertical dashed line at `x`, e.g. where threads hit the machine's limit. Its label is
/// the chart legend's: text on the plot would cross the data.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Marker {
    pub x: f64,
    pub colour: RGBColor,
}

/// A thin grey line through `points` (data units), dashed or dotted so two guides can be
/// told apart in the legend, which names them.
pub(crate) struct Guide {
    pub points: Vec<(f64, f64)>,
    pub dotted: bool,
}

pub(crate) struct Lines {
    pub caption: Option<String>,
    pub x: Axis,
    pub y: Axis,
    pub series: Vec<Series>,
    pub markers: Vec<Marker>,
    pub guides: Vec<Guide>,
}

impl Lines {
    /// Every x and y value the axes must show.
    pub(crate) fn extent(&self) -> (Vec<f64>, Vec<f64>) {
        let mut xs: Vec<f64> = self.markers.iter().map(|m| m.x).collect();
        let mut ys = Vec::new();
        for s in &self.series {
            xs.extend(s.gaps.iter().map(|g| g.0));
            for (x, st) in &s.points {
                xs.push(*x);
                ys.extend([st.median, st.ci_low, st.ci_high]);
            }
        }
        (xs, ys)
    }

    pub(crate) fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
    ) -> Result<(), DrawError> {
        // Where the ✗ labels go decides how much room the foot of the y axis must keep free:
        // estimated from the panel's size and the builder's fixed margins below.
        let (area_w, area_h) = area.dim_in_pixel();
        let caption_h = self.caption.as_ref().map_or(0, |c| {
            let h = font(CAPTION_PX)
                .font
                .box_size(c)
                .map_or(CAPTION_PX, |(_, h)| h);
            h + 2 * (h / 2).min(5)
        });
        let plot_w = f64::from(area_w.saturating_sub(16 + 36 + 104));
        let plot_h = f64::from(area_h.saturating_sub(16 * 2 + 72 + caption_h)).max(1.0);
        let labels = self.gap_labels(plot_w);
        let mut y = self.y.clone();
        let band = Lines::gap_band(&labels);
        if band > 0 {
            y.foot = (f64::from(band) / plot_h).min(0.4);
        }
        let (x, y) = (&self.x, &y);
        let (xr, yr) = (x.range(), y.range());
        let mut builder = ChartBuilder::on(area);
        builder
            .margin(16)
            .margin_right(36)
            .x_label_area_size(72)
            .y_label_area_size(104);
        if let Some(c) = &self.caption {
            builder.caption(c, font(CAPTION_PX));
        }
        let mut chart = builder.build_cartesian_2d(x.coord(), y.coord())?;
        let x_label = |t: &f64| x.label(*t);
        let y_label = |t: &f64| y.label(*t);
        chart
            .configure_mesh()
            .x_label_formatter(&x_label)
            .y_label_formatter(&y_label)
            .x_desc(&x.desc)
            .y_desc(&y.desc)
            .axis_desc_style(font(AXIS_PX))
            .label_style(font(TICK_PX))
            .bold_line_style(GRID)
            .light_line_style(WHITE)
            .draw()?;

        let inside = |t: f64, r: &std::ops::Range<f64>| t >= r.start - 1e-9 && t <= r.end + 1e-9;
        for g in &self.guides {
            let pts: Vec<(f64, f64)> = g
                .points
                .iter()
                .map(|&(a, b)| (x.scale.to(a), y.scale.to(b)))
                .filter(|(a, b)| inside(*a, &xr) && inside(*b, &yr))
                .collect();
            let (dash, gap) = if g.dotted { DOTTED } else { DASHED };
            let style = REFERENCE.stroke_width(if g.dotted { 2 } else { 1 });
            chart.draw_series([DashedPathElement::new(pts, dash, gap, style)])?;
        }
        for m in &self.markers {
            let t = x.scale.to(m.x);
            chart.draw_series([DashedPathElement::new(
                vec![(t, yr.start), (t, yr.end)],
                10,
                5,
                m.colour.stroke_width(3),
            )])?;
        }
        // Whiskers of neighbouring series are nudged apart so they stay readable.
        let nudge = (xr.end - xr.start) * 0.006;
        let mid = (self.series.len() as f64 - 1.0) / 2.0;
        for (i, s) in self.series.iter().enumerate() {
            let pts: Vec<(f64, f64, Stat)> = s
                .points
                .iter()
                .map(|(a, st)| (x.scale.to(*a), y.scale.to(st.median), *st))
                .collect();
            if is_variant(&s.label) {
                chart.draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0, p.1)),
                    s.colour.stroke_width(2),
                ))?;
                chart.draw_series(
                    pts.iter()
                        .map(|p| TriangleMarker::new((p.0, p.1), 7, s.colour.filled())),
                )?;
            } else {
                chart.draw_series(LineSeries::new(
                    pts.iter().map(|p| (p.0, p.1)),
                    s.colour.stroke_width(4),
                ))?;
                chart.draw_series(
                    pts.iter()
                        .map(|p| Circle::new((p.0, p.1), 5, s.colour.filled())),
                )?;
            }
            for (px, _, st) in &pts {
                let lo = y.scale.to(st.ci_low).max(yr.start);
                let hi = y.scale.to(st.ci_high);
                let tall = chart.backend_coord(&(*px, lo)).1 - chart.backend_coord(&(*px, hi)).1;
                // An interval narrower than the dot says nothing a whisker could show.
                if st.has_interval() && tall > 8 {
                    let at = px + (i as f64 - mid) * nudge;
                    whisker(&mut chart, at, (lo, hi), s.colour)?;
                }
            }
        }
        self.draw_gaps(area, &chart, &labels)
    }

    /// The ✗ labels of the points that measured nothing, as (x in pixels from the plotting
    /// area's left edge, colour, status): each written upwards from the foot of the panel
    /// straight above its x, those at one x side by side, kept inside `width`.
    fn gap_labels(&self, width: f64) -> Vec<(f64, RGBColor, String)> {
        let xr = self.x.range();
        let mut at: Vec<(f64, Vec<(RGBColor, String)>)> = Vec::new();
        for s in &self.series {
            for (gx, status) in &s.gaps {
                let px = (self.x.scale.to(*gx) - xr.start) / (xr.end - xr.start) * width;
                match at.iter_mut().find(|(x, _)| (x - px).abs() < 0.5) {
                    Some((_, v)) => v.push((s.colour, status.clone())),
                    None => at.push((px, vec![(s.colour, status.clone())])),
                }
            }
        }
        let step = f64::from(GAP_COLUMN);
        at.into_iter()
            .flat_map(|(px, v)| {
                let k = v.len() as f64;
                let half = (k - 1.0) / 2.0 * step;
                let mid = px.clamp(half + 12.0, (width - half - 12.0).max(half + 12.0));
                v.into_iter()
                    .enumerate()
                    .map(move |(i, (c, st))| (mid - half + i as f64 * step, c, st))
            })
            .collect()
    }

    /// How tall the band of ✗ labels must be, in pixels (0 when there are none).
    fn gap_band(labels: &[(f64, RGBColor, String)]) -> u32 {
        let text = font(NOTE_PX);
        labels
            .iter()
            .map(|(_, _, st)| {
                text.font
                    .box_size(&format!("✗ {st}"))
                    .map_or(90, |(w, _)| w)
                    + 16
            })
            .max()
            .unwrap_or(0)
    }

    /// Draws the labels of `gap_labels` in the band kept free at the foot of the panel.
    fn draw_gaps<DB: DrawingBackend, X, Y>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        labels: &[(f64, RGBColor, String)],
    ) -> Result<(), DrawError>
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (px0, py1) = (xs.start, ys.end);
        let text = font(NOTE_PX).transform(FontTransform::Rotate270);
        let cross_h = font(NOTE_PX)
            .font
            .box_size("✗ ")
            .map_or(20, |(w, _)| w as i32);
        let anchor = Pos::new(HPos::Left, VPos::Center);
        for (x, c, status) in labels {
            let x = px0 + x.round() as i32;
            let foot = py1 - 6;
            text_at(area, (x, foot), "✗", &text.clone().color(c).pos(anchor))?;
            let words = text.clone().color(&INK).pos(anchor);
            text_at(area, (x, foot - cross_h), status, &words)?;
        }
        Ok(())
    }
}

/// The distance between ✗ labels that share an x, in pixels.
const GAP_COLUMN: u32 = 22;

/// A panel's axes fitted to what it draws (log axes snap to decades).
pub(crate) fn fit_axes(mut lines: Lines, y_headroom: f64) -> Lines {
    let (xs, ys) = lines.extent();
    lines.x = lines.x.fit(xs, 1.0);
    lines.x.pad = 0.03;
    lines.y = lines.y.fit(ys, y_headroom);
    lines
}
