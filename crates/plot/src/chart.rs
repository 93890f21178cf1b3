//! A whole chart and its layout: a title, the legend band, one or more panels of bars or
//! lines side by side (or stacked), and notes at the foot, sized so nothing is cut, and the
//! one function that renders it to both SVG and PNG. Chart kinds only decide what to draw.

use crate::bars::Bars;
use crate::error::{DrawError, PlotError};
use crate::legend::{draw_legend, legend_rows, Key, LEGEND_ROW};
use crate::lines::Lines;
use crate::marks::wrap;
use crate::ratios::Ratios;
use crate::theme::{font, register_font, INK, NOTE_PX, PANEL, SINGLE, STACKED_H, TITLE_PX};
use plotters::coord::Shift;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// The height of one line of the notes.
const NOTE_ROW: u32 = 24;

/// One panel of a chart.
pub(crate) enum Panel {
    Bars(Bars),
    Lines(Lines),
    Ratios(Ratios),
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
                Panel::Bars(b) => b.min_width(),
                Panel::Lines(_) | Panel::Ratios(_) => 0,
            })
            .max()
            .unwrap_or(0);
        let width = (pw * cols).max(if cols == 1 { needed } else { 0 });
        // A panel of rows gets taller rather than squeezing them.
        let ph = self
            .panels
            .iter()
            .map(|p| match p {
                Panel::Ratios(r) => r.min_height(),
                Panel::Bars(_) | Panel::Lines(_) => 0,
            })
            .fold(ph, u32::max);
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
                Panel::Ratios(r) => r.draw(area)?,
            }
        }
        Ok(())
    }
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
