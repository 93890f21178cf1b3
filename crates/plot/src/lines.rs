//! Lines with confidence whiskers, shared by every chart that sweeps a parameter: one line
//! per model (its fixed colour), vertical markers (e.g. the thread limit) and grey guides
//! (e.g. "1 kB per unit") that give the reader a scale to judge the lines by.

use crate::bars::whisker;
use crate::data::Stat;
use crate::style::{font, Axis, DrawError, AXIS_PX, CAPTION_PX, GRID, REFERENCE, TICK_PX};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;

pub(crate) struct Series {
    pub colour: RGBColor,
    /// (x, y) in data units.
    pub points: Vec<(f64, Stat)>,
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
        let (x, y) = (&self.x, &self.y);
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
            let (dash, gap) = if g.dotted { (2, 4) } else { (8, 5) };
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
            chart.draw_series(LineSeries::new(
                pts.iter().map(|p| (p.0, p.1)),
                s.colour.stroke_width(3),
            ))?;
            chart.draw_series(
                pts.iter()
                    .map(|p| Circle::new((p.0, p.1), 5, s.colour.filled())),
            )?;
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
        Ok(())
    }
}

/// A panel's axes fitted to what it draws (log axes snap to decades).
pub(crate) fn fit_axes(mut lines: Lines, y_headroom: f64) -> Lines {
    let (xs, ys) = lines.extent();
    lines.x = lines.x.fit(xs, 1.0);
    lines.x.pad = 0.03;
    lines.y = lines.y.fit(ys, y_headroom);
    lines
}
