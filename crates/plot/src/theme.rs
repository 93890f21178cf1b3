//! What makes every chart look alike, decided once: sizes, the embedded font, one fixed
//! colour per model, the dash patterns, and how numbers are written. Everything that draws
//! takes its looks from here, so a chart never picks a size or a colour of its own.

use plotters::prelude::*;
use std::sync::Once;

pub use tvc_results::format::{bytes, number, sig3, thousands};

/// The size of a one-panel chart; each panel of a multi-panel chart is `PANEL`.
pub(crate) const SINGLE: (u32, u32) = (1300, 760);
pub(crate) const PANEL: (u32, u32) = (860, 640);
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

/// The family every text uses; the embedded DejaVu Sans is registered under this name.
pub(crate) const FAMILY: &str = "sans-serif";
static FONT: &[u8] = include_bytes!("../assets/DejaVuSans.ttf");

/// Registers the embedded font once, so PNG text needs no system font or fontconfig.
pub(crate) fn register_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        // The bytes are a known-good TTF compiled in; a failure would show as missing text.
        let _ = plotters::style::register_font(FAMILY, FontStyle::Normal, FONT);
    });
}

pub(crate) fn font(px: u32) -> TextStyle<'static> {
    (FAMILY, px).into_font().color(&BLACK)
}

/// How wide `text` is in `style`, in pixels: what decides whether a label fits its place.
pub(crate) fn text_width(style: &TextStyle, text: &str) -> f64 {
    style
        .font
        .box_size(text)
        .map_or(10.0 * text.len() as f64, |(w, _)| f64::from(w))
}

pub(crate) const INK: RGBColor = RGBColor(40, 40, 40);
pub(crate) const GRID: RGBColor = RGBColor(225, 225, 225);
pub(crate) const REFERENCE: RGBColor = RGBColor(90, 90, 90);
/// The grey of legend swatches that stand for a condition rather than a model.
pub(crate) const NEUTRAL: RGBColor = RGBColor(110, 110, 110);

/// Dash and gap lengths in pixels: a legend sample must look like the line it names.
pub(crate) const DASHED: (u32, u32) = (8, 5);
pub(crate) const DOTTED: (u32, u32) = (2, 4);

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
