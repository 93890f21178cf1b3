//! Everything that makes the charts look alike: sizes, the embedded font, one fixed colour
//! per model, axis scales and tick labels, and the one function that renders a chart to both
//! SVG and PNG. Chart modules only decide what to draw.

use crate::bars::Bars;
use crate::lines::Lines;
use crate::PlotError;
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::path::{Path, PathBuf};
use std::sync::Once;

/// The size of a one-panel chart; each panel of a multi-panel chart is `PANEL`.
pub(crate) const SINGLE: (u32, u32) = (1300, 760);
pub(crate) const PANEL: (u32, u32) = (860, 640);
/// The narrowest slot of one bar, in pixels.
const MIN_BAR_SLOT: f64 = 40.0;
/// The height of each full-width panel of a stacked chart.
pub(crate) const STACKED_H: u32 = 580;
// Sizes as plotters takes them: a PNG glyph's em is size ÷ 1.16 px with DejaVu Sans and the
// SVG's font-size is size ÷ 1.24, so 18 keeps the smallest text at 14.5 px or more in both.
pub(crate) const TITLE_PX: u32 = 30;
pub(crate) const CAPTION_PX: u32 = 23;
pub(crate) const AXIS_PX: u32 = 20;
pub(crate) const TICK_PX: u32 = 18;
pub(crate) const LEGEND_PX: u32 = 18;
pub(crate) const NOTE_PX: u32 = 18;
const LEGEND_ROW: u32 = 30;
const NOTE_ROW: u32 = 24;

/// The family every text uses; the embedded DejaVu Sans is registered under this name.
pub(crate) const FAMILY: &str = "sans-serif";
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers the embedded font once, so PNG text needs no system font or fontconfig.
fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TTF compiled in; a failure would show as missing text.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

pub(crate) fn font(px: u32) -> TextStyle<'static> {
    (FAMILY, px).into_font().color(&BLACK)
}

pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(crate) const REFERENCE: RGBColor = RGBColor(90, 90, 90);
/// The grey of legend swatches that stand for a condition rather than a model.
pub(crate) const NEUTRAL: RGBColor = RGBColor(110, 110, 110);

/// One colour per model and variant, the same in every chart, from the model registry.
pub(crate) fn colour(label: &str) -> RGBColor {
    let (r, g, b) = tvc_core::registry::colour(label);
    RGBColor(r, g, b)
}

/// `c` mixed towards white: the second and third bar of a group are lighter shades of the
/// model's colour, so the model stays recognisable and the condition readable.
pub(crate) fn shade(c: RGBColor, level: usize) -> RGBColor {
    let keep = [1.0, 0.45, 0.2][level.min(2)];
    let mix = |v: u8| (f64::from(v) * keep + 255.0 * (1.0 - keep)).round() as u8;
    RGBColor(mix(c.0), mix(c.1), mix(c.2))
}

/// How an axis maps data to the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Scale {
    Linear,
    Log,
}

impl Scale {
    pub(crate) fn to(self, v: f64) -> f64 {
        match self {
            Scale::Linear => v,
            Scale::Log => v.max(f64::MIN_POSITIVE).log10(),
        }
    }
}

/// How tick values are written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Units {
    /// 1, 10, 1k, 1M.
    Plain,
    /// Bytes with SI prefixes: 1 kB, 10 MB (decade ticks give round numbers).
    Bytes,
    /// A percentile given as x = -log10(1 - p): 50 %, 99.9 %.
    Percentile,
}

/// One axis: what it shows, in which units, over which data range.
#[derive(Debug, Clone)]
pub(crate) struct Axis {
    pub desc: String,
    pub scale: Scale,
    pub units: Units,
    pub lo: f64,
    pub hi: f64,
    /// Tick positions (page scale) to use instead of computed ones.
    pub fixed: Vec<f64>,
    /// Whether a linear axis must include zero (bars must; a latency range need not).
    pub zero: bool,
    /// Room beyond the data at both ends, as a fraction of the span (so end points and
    /// markers at the last value do not sit on the frame).
    pub pad: f64,
    /// A band kept free below the data, as a fraction of the whole axis (where a line chart
    /// writes the points that measured nothing).
    pub foot: f64,
}

impl Axis {
    pub(crate) fn new(desc: impl Into<String>, scale: Scale, units: Units) -> Axis {
        Axis {
            desc: desc.into(),
            scale,
            units,
            lo: 0.0,
            hi: 1.0,
            fixed: Vec::new(),
            zero: true,
            pad: 0.0,
            foot: 0.0,
        }
    }

    /// Fits the range around `values` (data units), with room above for labels (`headroom`
    /// times the largest value). A log axis starts at a whole decade; a linear one at zero
    /// unless `zero` is off.
    pub(crate) fn fit(mut self, values: impl IntoIterator<Item = f64>, headroom: f64) -> Axis {
        let vs: Vec<f64> = values
            .into_iter()
            .filter(|v| v.is_finite() && (self.scale == Scale::Linear || *v > 0.0))
            .collect();
        let (min, max) = vs
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| {
                (a.min(v), b.max(v))
            });
        if vs.is_empty() {
            return self;
        }
        match self.scale {
            Scale::Linear if self.zero => {
                self.lo = min.min(0.0);
                self.hi = if max > self.lo { max * headroom } else { 1.0 };
            }
            Scale::Linear => {
                let pad = ((max - min) * 0.1).max(max.abs() * 0.02).max(1e-9);
                self.lo = min - pad;
                self.hi = max + pad * headroom;
            }
            Scale::Log => {
                // The largest 1-2-5 step below the smallest value, with a little room.
                let floor = min * 0.8;
                let decade = 10f64.powf(floor.log10().floor());
                let step = [5.0, 2.0, 1.0].into_iter().find(|m| m * decade <= floor);
                self.lo = step.unwrap_or(1.0) * decade;
                self.hi = (max * headroom).max(self.lo * 2.0);
            }
        }
        self
    }

    /// The coordinate plotters draws with: linear on the page's scale, gridlines at `ticks`.
    pub(crate) fn coord(&self) -> Ticked {
        let r = self.range();
        Ticked {
            inner: (r.start..r.end).into(),
            ticks: self.ticks(),
        }
    }

    /// The axis range on the page's scale.
    pub(crate) fn range(&self) -> std::ops::Range<f64> {
        let (a, b) = (self.scale.to(self.lo), self.scale.to(self.hi));
        let p = (b - a) * self.pad;
        let (lo, hi) = (a - p, b + p);
        let foot = self.foot.clamp(0.0, 0.5);
        lo - (hi - lo) * foot / (1.0 - foot)..hi
    }

    /// Tick positions on the page's scale: decades (with 2 and 5 when few) or 1-2-5 steps.
    pub(crate) fn ticks(&self) -> Vec<f64> {
        let r = self.range();
        if !self.fixed.is_empty() {
            return self.fixed.clone();
        }
        match self.scale {
            Scale::Log => {
                let (a, b) = (r.start.floor() as i32, r.end.ceil() as i32);
                let mut ticks = Vec::new();
                for d in a..=b {
                    let mults: &[f64] = if b - a <= 2 { &[1.0, 2.0, 5.0] } else { &[1.0] };
                    for m in mults {
                        let t = (m * 10f64.powi(d)).log10();
                        if t >= r.start - 1e-9 && t <= r.end + 1e-9 {
                            ticks.push(t);
                        }
                    }
                }
                ticks
            }
            Scale::Linear => {
                let span = (r.end - r.start).max(f64::MIN_POSITIVE);
                let raw = span / 6.0;
                let mag = 10f64.powf(raw.log10().floor());
                let step = [1.0, 2.0, 5.0, 10.0]
                    .iter()
                    .map(|m| m * mag)
                    .find(|s| span / s <= 7.0)
                    .unwrap_or(10.0 * mag);
                let first = (r.start / step).ceil() as i64;
                let last = (r.end / step).floor() as i64;
                (first..=last).map(|i| i as f64 * step).collect()
            }
        }
    }

    /// The label of a tick given on the page's scale.
    pub(crate) fn label(&self, t: f64) -> String {
        let v = match self.scale {
            Scale::Linear => t,
            Scale::Log => 10f64.powf(t),
        };
        match self.units {
            Units::Plain => number(v),
            Units::Bytes => bytes(v),
            Units::Percentile => percentile(t),
        }
    }
}

/// A linear f64 coordinate whose grid lines and labels sit exactly at chosen ticks (decades
/// of a log axis, percentiles), which plotters' own key-point algorithm cannot be told.
pub(crate) struct Ticked {
    inner: RangedCoordf64,
    ticks: Vec<f64>,
}

impl Ranged for Ticked {
    type FormatOption = DefaultFormatting;
    type ValueType = f64;

    fn map(&self, value: &f64, limit: (i32, i32)) -> i32 {
        self.inner.map(value, limit)
    }

    fn key_points<H: KeyPointHint>(&self, hint: H) -> Vec<f64> {
        if hint.max_num_points() == 0 || hint.weight().allow_light_points() {
            return Vec::new();
        }
        self.ticks.clone()
    }

    fn range(&self) -> std::ops::Range<f64> {
        self.inner.range()
    }
}

pub use tvc_results::format::{bytes, number, sig3, thousands};

/// `x = -log10(1 - p)` back to a percentage: 2 → "99 %".
fn percentile(x: f64) -> String {
    let p = 100.0 * (1.0 - 10f64.powf(-x));
    let decimals = (x.round() as i32 - 2).max(0) as usize;
    let s = format!("{p:.decimals$}");
    let s = if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.')
    } else {
        &s
    };
    format!("{s} %")
}

/// One entry of a chart's legend.
#[derive(Debug, Clone)]
pub(crate) enum Key {
    /// A filled box (bars), drawn in a shade of a neutral grey or of a colour.
    Swatch(RGBColor, String),
    /// A line with a dot (line series).
    Line(RGBColor, String),
    /// A dashed line (reference lines, guides, markers).
    Dashed(RGBColor, String),
    /// A dotted line (a second guide).
    Dotted(RGBColor, String),
    /// A whisker: what the error bars mean.
    Whisker(String),
    /// The ✗ that marks a point of a line that measured nothing.
    Cross(String),
}

/// One panel of a chart.
pub(crate) enum Panel {
    Bars(Bars),
    Lines(Lines),
}

/// A chart: a title, a legend band, one or more panels side by side, and notes at the foot.
pub(crate) struct Chart {
    /// The file stem, e.g. `article_wall`.
    pub name: &'static str,
    pub title: String,
    pub legend: Vec<Key>,
    pub panels: Vec<Panel>,
    pub notes: Vec<String>,
    /// Panels one above the other at full width (for bar charts with many bars), rather than
    /// two side by side.
    pub stacked: bool,
}

/// A drawing failure, with the backend's message.
pub(crate) struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<plotters::drawing::DrawingAreaErrorKind<E>>
    for DrawError
{
    fn from(e: plotters::drawing::DrawingAreaErrorKind<E>) -> Self {
        DrawError(e.to_string())
    }
}

/// The legend's rows: items packed left to right, wrapped at `width`.
fn legend_rows(keys: &[Key], width: u32) -> Vec<Vec<(&Key, u32)>> {
    let style = font(LEGEND_PX);
    let mut rows: Vec<Vec<(&Key, u32)>> = vec![Vec::new()];
    let mut used = 0;
    for k in keys {
        let text = match k {
            Key::Swatch(_, t)
            | Key::Line(_, t)
            | Key::Dashed(_, t)
            | Key::Dotted(_, t)
            | Key::Whisker(t)
            | Key::Cross(t) => t,
        };
        let text_w = style
            .font
            .box_size(text)
            .map(|(w, _)| w)
            .unwrap_or(10 * text.len() as u32);
        let w = 44 + text_w + 28;
        if used + w > width.saturating_sub(40) && used > 0 {
            rows.push(Vec::new());
            used = 0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((k, w));
        }
        used += w;
    }
    rows.retain(|r| !r.is_empty());
    rows
}

impl Chart {
    fn size(&self) -> (u32, u32) {
        let n = self.panels.len().max(1) as u32;
        let (cols, rows) = self.grid();
        let (pw, ph) = match (n, self.stacked) {
            (1, _) => SINGLE,
            (_, true) => (SINGLE.0, STACKED_H),
            _ => PANEL,
        };
        // A bar chart gets wider rather than losing the values written above its bars.
        let needed = self
            .panels
            .iter()
            .map(|p| match p {
                Panel::Bars(b) => {
                    let bars = (b.categories.len() * b.conditions.len().max(1)) as f64;
                    let slot = (b.widest_label() + 14.0).max(MIN_BAR_SLOT);
                    (150.0 + bars / 0.86 * slot).ceil() as u32
                }
                Panel::Lines(_) => 0,
            })
            .max()
            .unwrap_or(0);
        let width = (pw * cols).max(if cols == 1 { needed } else { 0 });
        let legend = legend_rows(&self.legend, width).len() as u32 * LEGEND_ROW;
        (
            width,
            ph * rows + legend + self.notes_height(width) + TITLE_PX + 32,
        )
    }

    /// The notes as drawn: each wrapped to the chart's width, continuation lines indented.
    fn note_lines(&self, width: u32) -> Vec<String> {
        let style = font(NOTE_PX);
        self.notes
            .iter()
            .flat_map(|n| {
                wrap(n, f64::from(width.saturating_sub(60)), &style)
                    .into_iter()
                    .enumerate()
                    .map(|(i, l)| if i == 0 { l } else { format!("    {l}") })
            })
            .collect()
    }

    /// Columns and rows of panels.
    fn grid(&self) -> (u32, u32) {
        let n = self.panels.len().max(1) as u32;
        match (n, self.stacked) {
            (1, _) => (1, 1),
            (_, true) => (1, n),
            _ => (2, n.div_ceil(2)),
        }
    }

    fn notes_height(&self, width: u32) -> u32 {
        match self.note_lines(width).len() as u32 {
            0 => 0,
            n => n * NOTE_ROW + 12,
        }
    }

    fn draw<DB: DrawingBackend>(&self, root: &DrawingArea<DB, Shift>) -> Result<(), DrawError> {
        root.fill(&WHITE)?;
        let (width, _) = root.dim_in_pixel();
        let body = root
            .margin(8, 0, 0, 0)
            .titled(&self.title, font(TITLE_PX))?;
        let rows = legend_rows(&self.legend, width);
        let (legend, body) = body.split_vertically(rows.len() as u32 * LEGEND_ROW + 4);
        draw_legend(&legend, &rows)?;
        let body_h = body.dim_in_pixel().1;
        let (body, foot) = body.split_vertically(body_h.saturating_sub(self.notes_height(width)));
        for (i, note) in self.note_lines(width).iter().enumerate() {
            foot.draw_text(
                note,
                &font(NOTE_PX).color(&INK),
                (24, 4 + i as i32 * NOTE_ROW as i32),
            )?;
        }
        let (cols, rows) = self.grid();
        let areas = if self.panels.len() <= 1 {
            vec![body]
        } else {
            body.split_evenly((rows as usize, cols as usize))
        };
        for (panel, area) in self.panels.iter().zip(areas.iter()) {
            match panel {
                Panel::Bars(b) => b.draw(area)?,
                Panel::Lines(l) => l.draw(area)?,
            }
        }
        Ok(())
    }
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    rows: &[Vec<(&Key, u32)>],
) -> Result<(), DrawError> {
    let (width, _) = area.dim_in_pixel();
    let text = font(LEGEND_PX).pos(Pos::new(HPos::Left, VPos::Center));
    for (r, row) in rows.iter().enumerate() {
        let total: u32 = row.iter().map(|(_, w)| w).sum();
        let mut x = (width.saturating_sub(total) / 2) as i32;
        let y = (r as u32 * LEGEND_ROW + LEGEND_ROW / 2) as i32;
        for (key, w) in row {
            let (label, sample_end) = match key {
                Key::Swatch(c, t) => {
                    area.draw(&Rectangle::new([(x, y - 8), (x + 32, y + 8)], c.filled()))?;
                    area.draw(&Rectangle::new(
                        [(x, y - 8), (x + 32, y + 8)],
                        INK.stroke_width(1),
                    ))?;
                    (t, x + 40)
                }
                Key::Line(c, t) if is_variant(t) => {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 32, y)],
                        c.stroke_width(2),
                    ))?;
                    area.draw(&TriangleMarker::new((x + 16, y), 6, c.filled()))?;
                    (t, x + 40)
                }
                Key::Line(c, t) => {
                    area.draw(&PathElement::new(
                        vec![(x, y), (x + 32, y)],
                        c.stroke_width(4),
                    ))?;
                    area.draw(&Circle::new((x + 16, y), 5, c.filled()))?;
                    (t, x + 40)
                }
                Key::Cross(t) => {
                    let style = font(LEGEND_PX)
                        .color(&INK)
                        .pos(Pos::new(HPos::Center, VPos::Center));
                    area.draw_text("✗", &style, (x + 16, y))?;
                    (t, x + 40)
                }
                Key::Dashed(c, t) => {
                    let line = vec![(x, y), (x + 32, y)];
                    area.draw(&DashedPathElement::new(line, 8, 5, c.stroke_width(2)))?;
                    (t, x + 40)
                }
                Key::Dotted(c, t) => {
                    let line = vec![(x, y), (x + 32, y)];
                    area.draw(&DashedPathElement::new(line, 2, 4, c.stroke_width(2)))?;
                    (t, x + 40)
                }
                Key::Whisker(t) => {
                    let s = INK.stroke_width(2);
                    area.draw(&PathElement::new(vec![(x + 16, y - 9), (x + 16, y + 9)], s))?;
                    area.draw(&PathElement::new(vec![(x + 10, y - 9), (x + 22, y - 9)], s))?;
                    area.draw(&PathElement::new(vec![(x + 10, y + 9), (x + 22, y + 9)], s))?;
                    (t, x + 40)
                }
            };
            area.draw_text(label, &text, (sample_end, y))?;
            x += *w as i32;
        }
    }
    Ok(())
}

/// Draws `chart` to `dir/NAME.svg` and `dir/NAME.png`; returns both paths.
pub(crate) fn render(chart: &Chart, dir: &Path) -> Result<Vec<PathBuf>, PlotError> {
    register_font();
    std::fs::create_dir_all(dir).map_err(|source| PlotError::Write {
        path: dir.to_path_buf(),
        source,
    })?;
    let size = chart.size();
    let svg = dir.join(format!("{}.svg", chart.name));
    let png = dir.join(format!("{}.png", chart.name));
    let failed = |path: &Path| {
        let path = path.to_path_buf();
        move |DrawError(message)| PlotError::Draw { path, message }
    };
    {
        let root = SVGBackend::new(&svg, size).into_drawing_area();
        chart.draw(&root).map_err(failed(&svg))?;
        root.present()
            .map_err(|e| failed(&svg)(DrawError(e.to_string())))?;
    }
    {
        let root = BitMapBackend::new(&png, size).into_drawing_area();
        chart.draw(&root).map_err(failed(&png))?;
        root.present()
            .map_err(|e| failed(&png)(DrawError(e.to_string())))?;
    }
    Ok(vec![svg, png])
}

/// Draws `text` centred below the x-axis point `x` of a chart (category labels, split on
/// `:` into two lines so long variant names never run into their neighbours).
pub(crate) fn under_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    text: &str,
) -> Result<(), DrawError> {
    let base = area.get_base_pixel();
    let style = font(TICK_PX).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in text.splitn(2, ':').enumerate() {
        let line = if i == 1 {
            format!(":{line}")
        } else {
            line.to_string()
        };
        area.draw_text(
            &line,
            &style,
            (at.0 - base.0, at.1 - base.1 + 8 + i as i32 * 20),
        )?;
    }
    Ok(())
}

/// Draws `text` at a backend pixel position with the given anchor (labels placed after the
/// chart's coordinates are known).
pub(crate) fn text_at<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    text: &str,
    style: &TextStyle,
) -> Result<(), DrawError> {
    let base = area.get_base_pixel();
    area.draw_text(text, style, (at.0 - base.0, at.1 - base.1))?;
    Ok(())
}

/// `text` in lines no wider than `max_px` (split at `\n` first, then between words); a
/// single word wider than that keeps its own line.
pub(crate) fn wrap(text: &str, max_px: f64, style: &TextStyle) -> Vec<String> {
    let width = |t: &str| {
        style
            .font
            .box_size(t)
            .map_or(10.0 * t.len() as f64, |(w, _)| f64::from(w))
    };
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if width(&candidate) <= max_px || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        lines.push(line);
    }
    lines
}

/// Whether a model label names a variant (`threads:stack=64k`): lines draw those thinner,
/// with triangles, so a variant lying on its model's line leaves both visible.
pub(crate) fn is_variant(label: &str) -> bool {
    label.contains(':')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short() {
        assert_eq!(number(16_600.0), "16.6k");
        assert_eq!(number(0.1234), "0.123");
        assert_eq!(number(1000.0), "1000");
        assert_eq!(number(1e6), "1M");
        assert_eq!(thousands(16_382), "16 382");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1 000 000");
        assert_eq!(bytes(1024.0), "1.02 kB");
        assert_eq!(bytes(2e9), "2 GB");
        assert_eq!(percentile(2.0), "99 %");
        assert_eq!(percentile(4.0), "99.99 %");
        assert_eq!(percentile(std::f64::consts::LOG10_2), "50 %");
    }

    #[test]
    fn log_axes_snap_to_decades() {
        let a = Axis::new("t", Scale::Log, Units::Plain).fit([0.12, 16_600.0], 1.0);
        assert_eq!((a.lo, a.hi), (0.05, 16_600.0));
        assert_eq!(a.ticks().len(), 6);
        let l = Axis::new("t", Scale::Linear, Units::Plain).fit([3.0, 97.0], 1.1);
        assert!(l.ticks().contains(&0.0) && l.ticks().len() <= 8);
    }

    #[test]
    fn every_known_model_has_its_own_colour() {
        let known = [
            "sequential",
            "threads",
            "threads:stack=64k",
            "rayon",
            "rayon:pool=c",
            "tokio",
            "tokio:reqwest",
            "tokio:current-thread",
            "async-std",
            "smol",
            "smol:local",
        ];
        for (i, a) in known.iter().enumerate() {
            for b in &known[i + 1..] {
                assert_ne!(colour(a), colour(b), "{a} and {b}");
            }
        }
        assert_eq!(colour("tokio:mutex"), colour("tokio"));
    }
}
