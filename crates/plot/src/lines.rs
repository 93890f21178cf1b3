//! Lines with confidence whiskers, shared by every chart that sweeps a parameter: one line
//! per model (its fixed colour), vertical markers (e.g. the thread limit), grey guides (e.g.
//! "1 kB per unit") that give the reader a scale to judge the lines by, and a ✗ with its
//! status where a line stops, the labels kept apart so each can be read.

use crate::axis::Axis;
use crate::error::DrawError;
use crate::marks::{text_at, whisker};
use crate::theme::{
    colour, font, is_variant, text_width, AXIS_PX, CAPTION_PX, DASHED, DOTTED, GRID, INK, NOTE_PX,
    REFERENCE, TICK_PX,
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

    /// The ✗ labels of the points that measured nothing, each written upwards from the foot
    /// of the panel above its x (in pixels from the plotting area's left edge). A series
    /// that stops for good is labelled once, where it stops: the points after it that ended
    /// the same way are named in the chart's notes. Series that stop at one x for one reason
    /// share a label, a ✗ in each one's colour; labels that would still overlap are spread
    /// apart, and all are kept inside `width`.
    fn gap_labels(&self, width: f64) -> Vec<GapLabel> {
        let xr = self.x.range();
        let mut labels: Vec<GapLabel> = Vec::new();
        for s in &self.series {
            for (gx, status) in s.run_starts() {
                let px = (self.x.scale.to(gx) - xr.start) / (xr.end - xr.start) * width;
                let same = |l: &&mut GapLabel| (l.x - px).abs() < 0.5 && l.status == status;
                match labels.iter_mut().find(same) {
                    Some(l) => l.colours.push(s.colour),
                    None => labels.push(GapLabel {
                        x: px,
                        colours: vec![s.colour],
                        status: status.to_string(),
                    }),
                }
            }
        }
        labels.sort_by(|a, b| a.x.total_cmp(&b.x));
        // A marker runs through the band: labels keep clear of it as of each other.
        let mut wanted: Vec<(f64, bool)> = labels.iter().map(|l| (l.x, false)).collect();
        for m in &self.markers {
            let px = (self.x.scale.to(m.x) - xr.start) / (xr.end - xr.start) * width;
            wanted.push((px, true));
        }
        wanted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let at = spread(&wanted, f64::from(GAP_COLUMN), 12.0, width - 12.0);
        let free = wanted.iter().zip(at).filter(|((_, pinned), _)| !pinned);
        for (l, (_, x)) in labels.iter_mut().zip(free) {
            l.x = x;
        }
        labels
    }

    /// How tall the band of ✗ labels must be, in pixels (0 when there are none).
    fn gap_band(labels: &[GapLabel]) -> u32 {
        let text = font(NOTE_PX);
        labels
            .iter()
            .map(|l| {
                let crosses = "✗ ".repeat(l.colours.len());
                text_width(&text, &format!("{crosses}{}", l.status)) as u32 + 16
            })
            .max()
            .unwrap_or(0)
    }

    /// Draws the labels of `gap_labels` in the band kept free at the foot of the panel.
    fn draw_gaps<DB: DrawingBackend, X, Y>(
        &self,
        area: &DrawingArea<DB, Shift>,
        chart: &ChartContext<'_, DB, Cartesian2d<X, Y>>,
        labels: &[GapLabel],
    ) -> Result<(), DrawError>
    where
        X: Ranged<ValueType = f64>,
        Y: Ranged<ValueType = f64>,
    {
        let (xs, ys) = chart.plotting_area().get_pixel_range();
        let (px0, py1) = (xs.start, ys.end);
        let text = font(NOTE_PX).transform(FontTransform::Rotate270);
        let cross_h = text_width(&font(NOTE_PX), "✗ ") as i32;
        let anchor = Pos::new(HPos::Left, VPos::Center);
        for l in labels {
            let x = px0 + l.x.round() as i32;
            let mut foot = py1 - 6;
            for c in &l.colours {
                text_at(area, (x, foot), "✗", &text.clone().color(c).pos(anchor))?;
                foot -= cross_h;
            }
            let words = text.clone().color(&INK).pos(anchor);
            text_at(area, (x, foot), &l.status, &words)?;
        }
        Ok(())
    }
}

impl Series {
    /// The gaps where the series stops for a reason: each gap except one that follows a gap
    /// of the same status with no measured point between (as (x, status), ascending x).
    fn run_starts(&self) -> Vec<(f64, &str)> {
        let mut gaps: Vec<(f64, &str)> = self.gaps.iter().map(|(x, s)| (*x, s.as_str())).collect();
        gaps.sort_by(|a, b| a.0.total_cmp(&b.0));
        let measured_between = |a: f64, b: f64| self.points.iter().any(|(x, _)| a < *x && *x < b);
        let mut starts: Vec<(f64, &str)> = Vec::new();
        let mut last: Option<(f64, &str)> = None;
        for (x, status) in gaps {
            let continues = last.is_some_and(|(lx, ls)| ls == status && !measured_between(lx, x));
            if !continues {
                starts.push((x, status));
            }
            last = Some((x, status));
        }
        starts
    }
}

/// One ✗ label at the foot of a panel: a ✗ per series, then the status they ended with.
#[derive(Debug, Clone, PartialEq)]
struct GapLabel {
    /// Pixels from the plotting area's left edge.
    x: f64,
    colours: Vec<RGBColor>,
    status: String,
}

/// The width of one ✗ label (a column of upright text), in pixels.
const GAP_COLUMN: u32 = 22;

/// Positions for labels wanted at `wanted` (ascending x, and whether it is pinned there), at
/// least `step` apart and inside `lo..=hi` as far as they fit: labels that would overlap are
/// moved apart as one block, centred where they want to be or placed around a pinned one, so
/// each stays as near its own x as the others allow.
fn spread(wanted: &[(f64, bool)], step: f64, lo: f64, hi: f64) -> Vec<f64> {
    // Blocks of neighbouring labels: (first label, how many, position of the first).
    let mut blocks: Vec<(usize, usize, f64)> = Vec::new();
    for i in 0..wanted.len() {
        let (mut first, mut n) = (i, 1);
        loop {
            let block = &wanted[first..first + n];
            let start = match block.iter().position(|w| w.1) {
                Some(j) => block[j].0 - j as f64 * step,
                None => {
                    let sum: f64 = block
                        .iter()
                        .enumerate()
                        .map(|(j, w)| w.0 - j as f64 * step)
                        .sum();
                    (sum / n as f64).clamp(lo, (hi - (n - 1) as f64 * step).max(lo))
                }
            };
            match blocks.last() {
                Some(&(pf, pn, ps)) if ps + pn as f64 * step > start + 1e-9 => {
                    blocks.pop();
                    (first, n) = (pf, pn + n);
                }
                _ => {
                    blocks.push((first, n, start));
                    break;
                }
            }
        }
    }
    blocks
        .into_iter()
        .flat_map(|(_, n, start)| (0..n).map(move |j| start + j as f64 * step))
        .collect()
}

/// Groups of series whose lines lie on one another (the same x, every median within 10 % of
/// the group's first), so a chart can say so rather than leave a reader looking for a line
/// hidden under another.
pub(crate) fn alike(series: &[Series]) -> Vec<Vec<&str>> {
    let same = |a: &Series, b: &Series| {
        !a.points.is_empty()
            && a.points.len() == b.points.len()
            && a.points
                .iter()
                .zip(&b.points)
                .all(|((ax, a), (bx, b))| ax == bx && (b.median / a.median - 1.0).abs() <= 0.1)
    };
    let mut groups: Vec<Vec<&Series>> = Vec::new();
    for s in series {
        match groups.iter_mut().find(|g| same(g[0], s)) {
            Some(g) => g.push(s),
            None => groups.push(vec![s]),
        }
    }
    groups
        .into_iter()
        .filter(|g| g.len() > 1)
        .map(|g| g.iter().map(|s| s.label.as_str()).collect())
        .collect()
}

/// A panel's axes fitted to what it draws (log axes snap to decades).
pub(crate) fn fit_axes(mut lines: Lines, y_headroom: f64) -> Lines {
    let (xs, ys) = lines.extent();
    lines.x = lines.x.fit(xs, 1.0);
    lines.x.pad = 0.03;
    lines.y = lines.y.fit(ys, y_headroom);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::axis::{Scale, Units};
    use crate::theme::NEUTRAL;
    use tvc_results::summarize;

    /// A series measured at `measured` and ended at each of `ended` with its status.
    fn series(label: &str, measured: &[f64], ended: &[(f64, &str)]) -> Series {
        let points = measured
            .iter()
            .map(|&n| (n, summarize(&[n * 1e3]).expect("one value")))
            .collect();
        let gaps = ended.iter().map(|&(n, s)| (n, s.to_string())).collect();
        Series::new(label, points, gaps)
    }

    #[test]
    fn spread_moves_only_labels_that_would_overlap() {
        let free = |xs: &[f64]| xs.iter().map(|&x| (x, false)).collect::<Vec<_>>();
        assert_eq!(
            spread(&free(&[5.0, 100.0]), 22.0, 12.0, 188.0),
            [12.0, 100.0]
        );
        let at = spread(&free(&[50.0, 50.0, 60.0, 100.0, 190.0]), 22.0, 12.0, 188.0);
        assert!(at.windows(2).all(|w| w[1] - w[0] >= 22.0 - 1e-9), "{at:?}");
        assert_eq!(at[4], 188.0, "kept inside the panel");
        // A pinned one (a marker) stays put; the others make way on either side.
        let at = spread(
            &[(40.0, false), (50.0, true), (55.0, false)],
            22.0,
            0.0,
            200.0,
        );
        assert_eq!(at, [28.0, 50.0, 72.0]);
    }

    #[test]
    fn labels_of_series_that_stop_are_grouped_and_never_overlap() {
        // The reference memory run: both thread models abort from N = 20k on, rayon times
        // out at 10k and fails from 20k on, all beside the thread limit at 16 382.
        let ns = [1.0, 100.0, 1e3, 1e4, 2e4, 5e4, 1e5, 1e6];
        let after = |from: usize, status: &'static str| -> Vec<(f64, &str)> {
            ns[from..].iter().map(|&n| (n, status)).collect()
        };
        let mut rayon = after(5, "failed");
        rayon.insert(0, (1e4, "timeout"));
        rayon.insert(1, (2e4, "failed"));
        let lines = Lines {
            caption: None,
            x: Axis::new("N", Scale::Log, Units::Plain),
            y: Axis::new("bytes", Scale::Log, Units::Bytes),
            series: vec![
                series("threads", &ns[..4], &after(4, "aborted")),
                series("threads:stack=64k", &ns[..4], &after(4, "aborted")),
                series("rayon", &ns[..3], &rayon),
                series("tokio", &ns, &[]),
            ],
            markers: vec![Marker {
                x: 16_382.0,
                colour: NEUTRAL,
            }],
            guides: Vec::new(),
        };
        let lines = fit_axes(lines, 3.0);
        let labels = lines.gap_labels(704.0);
        let said: Vec<(&str, usize)> = labels
            .iter()
            .map(|l| (l.status.as_str(), l.colours.len()))
            .collect();
        assert_eq!(said, [("timeout", 1), ("aborted", 2), ("failed", 1)]);
        let xr = lines.x.range();
        let marker = (16_382f64.log10() - xr.start) / (xr.end - xr.start) * 704.0;
        let mut xs: Vec<f64> = labels.iter().map(|l| l.x).chain([marker]).collect();
        xs.sort_by(f64::total_cmp);
        assert!(
            xs.windows(2)
                .all(|w| w[1] - w[0] >= f64::from(GAP_COLUMN) - 1e-9),
            "labels and the marker at {xs:?}"
        );
    }

    #[test]
    fn a_series_that_measures_again_is_labelled_at_each_stop() {
        let s = series(
            "rayon",
            &[1.0, 100.0],
            &[(10.0, "timeout"), (1e3, "timeout"), (1e4, "timeout")],
        );
        assert_eq!(s.run_starts(), [(10.0, "timeout"), (1e3, "timeout")]);
    }
}
