//! The small marks every panel draws the same way, whether of bars or of lines: text at a
//! pixel, category labels under the x axis, text wrapped to a width, and the whisker of a
//! confidence interval (upright for bars and lines, lying for ratios).

use crate::error::DrawError;
use crate::theme::{font, text_width, TICK_PX};
use plotters::coord::ranged1d::Ranged;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

/// Draws `text` centred below the x-axis point `x` of a chart (category labels, split on
/// `:` into two lines so long variant names never run into their neighbours).
pub(crate) fn under_axis<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    at: (i32, i32),
    text: &str,
    max_px: f64,
) -> Result<(), DrawError> {
    let base = area.get_base_pixel();
    let style = font(TICK_PX).pos(Pos::new(HPos::Center, VPos::Top));
    for (i, line) in label_lines(text, max_px, &style).iter().enumerate() {
        area.draw_text(
            line,
            &style,
            (at.0 - base.0, at.1 - base.1 + 8 + i as i32 * 20),
        )?;
    }
    Ok(())
}

/// A model label in lines under its slot: the model, then `:variant`, and a variant too wide
/// for `max_px` broken before a `-` (`:httpx-async` / `-pool200`).
fn label_lines(text: &str, max_px: f64, style: &TextStyle) -> Vec<String> {
    let mut lines = Vec::new();
    for (i, part) in text.splitn(2, ':').enumerate() {
        let mut rest = if i == 1 {
            format!(":{part}")
        } else {
            part.to_string()
        };
        while text_width(style, &rest) > max_px {
            let fits = rest
                .match_indices('-')
                .map(|(at, _)| at)
                .rfind(|&at| at > 0 && text_width(style, &rest[..at]) <= max_px);
            let Some(at) = fits else { break };
            lines.push(rest[..at].to_string());
            rest = rest[at..].to_string();
        }
        lines.push(rest);
    }
    lines
}

/// The narrowest a category label can be drawn: its widest piece once broken before every
/// `:` and `-` it has (the slot under the axis must be at least this wide).
pub(crate) fn label_min_px(text: &str) -> f64 {
    let style = font(TICK_PX);
    let mut widest: f64 = 0.0;
    let mut start = 0;
    for (at, _) in text.match_indices([':', '-']).chain([(text.len(), "")]) {
        if at > start {
            widest = widest.max(text_width(&style, &text[start..at]));
            start = at;
        }
    }
    widest
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
    let mut lines = Vec::new();
    for para in text.split('\n') {
        let mut line = String::new();
        for word in para.split_whitespace() {
            let candidate = if line.is_empty() {
                word.to_string()
            } else {
                format!("{line} {word}")
            };
            if text_width(style, &candidate) <= max_px || line.is_empty() {
                line = candidate;
            } else {
                lines.push(std::mem::replace(&mut line, word.to_string()));
            }
        }
        lines.push(line);
    }
    lines
}

/// A vertical error bar with caps, from `lo` to `hi` at `x` (page-scale values).
pub(crate) fn whisker<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    x: f64,
    (lo, hi): (f64, f64),
    colour: RGBColor,
) -> Result<(), DrawError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let s = colour.stroke_width(2);
    let cap = |y: f64| EmptyElement::at((x, y)) + PathElement::new(vec![(-6, 0), (6, 0)], s);
    chart.draw_series([PathElement::new(vec![(x, lo), (x, hi)], s)])?;
    chart.draw_series([cap(lo), cap(hi)])?;
    Ok(())
}

/// A horizontal error bar with caps, from `lo` to `hi` at `y` (page-scale values).
pub(crate) fn hwhisker<DB: DrawingBackend, X, Y>(
    chart: &mut ChartContext<'_, DB, Cartesian2d<X, Y>>,
    y: f64,
    (lo, hi): (f64, f64),
    colour: RGBColor,
) -> Result<(), DrawError>
where
    X: Ranged<ValueType = f64>,
    Y: Ranged<ValueType = f64>,
{
    let s = colour.stroke_width(2);
    let cap = |x: f64| EmptyElement::at((x, y)) + PathElement::new(vec![(0, -6), (0, 6)], s);
    chart.draw_series([PathElement::new(vec![(lo, y), (hi, y)], s)])?;
    chart.draw_series([cap(lo), cap(hi)])?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_label_too_wide_for_its_slot_breaks_before_a_dash() {
        let style = font(TICK_PX);
        let wide = label_lines("python:httpx-async-unlimited", 1000.0, &style);
        assert_eq!(wide, ["python", ":httpx-async-unlimited"]);
        let narrow_px = text_width(&style, ":httpx-async") + 1.0;
        let narrow = label_lines("python:httpx-async-unlimited", narrow_px, &style);
        assert_eq!(narrow, ["python", ":httpx-async", "-unlimited"]);
        // Nothing to break at: the line stays whole rather than being cut mid-word.
        assert_eq!(label_lines("sequential", 1.0, &style), ["sequential"]);
    }

    #[test]
    fn a_label_is_as_narrow_as_its_widest_piece() {
        let px = |t: &str| text_width(&font(TICK_PX), t);
        assert_eq!(label_min_px("go:lockosthread"), px(":lockosthread"));
        assert_eq!(
            label_min_px("python:httpx-async-unlimited"),
            px("-unlimited")
        );
        assert_eq!(label_min_px("sequential"), px("sequential"));
    }
}
