//! The band under a chart's title that says what its marks mean: one entry per model (a
//! swatch or a line sample), per reference line or guide, for the ✗ of a point that measured
//! nothing and for the whiskers, packed into rows and centred.

use crate::error::DrawError;
use crate::theme::{font, is_variant, text_width, DASHED, DOTTED, INK, LEGEND_PX};
use plotters::coord::Shift;
use plotters::element::DashedPathElement;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use tvc_results::Stat;

/// The height of one row of the legend.
pub(crate) const LEGEND_ROW: u32 = 30;

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
    /// A lying whisker, for a panel of horizontal bars (ratios).
    LyingWhisker(String),
    /// The ✗ that marks a point of a line that measured nothing.
    Cross(String),
}

impl Key {
    fn text(&self) -> &str {
        match self {
            Key::Swatch(_, t)
            | Key::Line(_, t)
            | Key::Dashed(_, t)
            | Key::Dotted(_, t)
            | Key::Whisker(t)
            | Key::LyingWhisker(t)
            | Key::Cross(t) => t,
        }
    }
}

/// The legend entry saying what the whiskers are, from the intervals actually drawn.
pub(crate) fn whisker_key<'a>(stats: impl IntoIterator<Item = &'a Stat>) -> Option<Key> {
    let with: Vec<&Stat> = stats.into_iter().filter(|s| s.has_interval()).collect();
    let level = with
        .iter()
        .map(|s| s.ci_level)
        .fold(f64::INFINITY, f64::min);
    let reps = with.iter().map(|s| s.measured).max()?;
    Some(Key::Whisker(format!(
        "{:.0} % CI of the median ({reps} runs)",
        (level * 100.0).floor()
    )))
}

/// The legend's rows: items packed left to right, wrapped at `width`.
pub(crate) fn legend_rows(keys: &[Key], width: u32) -> Vec<Vec<(&Key, u32)>> {
    let style = font(LEGEND_PX);
    let mut rows: Vec<Vec<(&Key, u32)>> = vec![Vec::new()];
    let mut used = 0;
    for k in keys {
        let w = 44 + text_width(&style, k.text()) as u32 + 28;
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

pub(crate) fn draw_legend<DB: DrawingBackend>(
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
            sample(area, key, (x, y))?;
            area.draw_text(key.text(), &text, (x + 40, y))?;
            x += *w as i32;
        }
    }
    Ok(())
}

/// The 32-pixel sample of an entry, its left end at `(x, y)`, drawn as the chart draws it.
fn sample<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    key: &Key,
    (x, y): (i32, i32),
) -> Result<(), DrawError> {
    let line = vec![(x, y), (x + 32, y)];
    match key {
        Key::Swatch(c, _) => {
            area.draw(&Rectangle::new([(x, y - 8), (x + 32, y + 8)], c.filled()))?;
            area.draw(&Rectangle::new(
                [(x, y - 8), (x + 32, y + 8)],
                INK.stroke_width(1),
            ))?;
        }
        Key::Line(c, t) if is_variant(t) => {
            area.draw(&PathElement::new(line, c.stroke_width(2)))?;
            area.draw(&TriangleMarker::new((x + 16, y), 6, c.filled()))?;
        }
        Key::Line(c, _) => {
            area.draw(&PathElement::new(line, c.stroke_width(4)))?;
            area.draw(&Circle::new((x + 16, y), 5, c.filled()))?;
        }
        Key::Cross(_) => {
            let style = font(LEGEND_PX)
                .color(&INK)
                .pos(Pos::new(HPos::Center, VPos::Center));
            area.draw_text("✗", &style, (x + 16, y))?;
        }
        Key::Dashed(c, _) => {
            let (dash, gap) = DASHED;
            area.draw(&DashedPathElement::new(line, dash, gap, c.stroke_width(2)))?;
        }
        Key::Dotted(c, _) => {
            let (dash, gap) = DOTTED;
            area.draw(&DashedPathElement::new(line, dash, gap, c.stroke_width(2)))?;
        }
        Key::Whisker(_) => {
            let s = INK.stroke_width(2);
            area.draw(&PathElement::new(vec![(x + 16, y - 9), (x + 16, y + 9)], s))?;
            area.draw(&PathElement::new(vec![(x + 10, y - 9), (x + 22, y - 9)], s))?;
            area.draw(&PathElement::new(vec![(x + 10, y + 9), (x + 22, y + 9)], s))?;
        }
        Key::LyingWhisker(_) => {
            let s = INK.stroke_width(2);
            area.draw(&PathElement::new(vec![(x + 4, y), (x + 28, y)], s))?;
            area.draw(&PathElement::new(vec![(x + 4, y - 6), (x + 4, y + 6)], s))?;
            area.draw(&PathElement::new(vec![(x + 28, y - 6), (x + 28, y + 6)], s))?;
        }
    }
    Ok(())
}
