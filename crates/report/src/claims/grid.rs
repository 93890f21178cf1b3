//! The figures of a claim whose table is models × settings (C2's keep-alive settings, C4's
//! ring setups, C5's locks, C7's CPU modes): one row per model label in the README's order,
//! one cell per setting. Built and looked up here once, so a claim says only what a cell is.

use super::points::by_label;
use tvc_results::PointKey;

/// Rows of model labels across the settings measured.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid<S, V> {
    /// In the table's order.
    pub settings: Vec<S>,
    pub rows: Vec<Row<V>>,
}

/// One model label across the settings: `None` where it has no cell.
#[derive(Debug, Clone, PartialEq)]
pub struct Row<V> {
    pub label: String,
    pub cells: Vec<Option<V>>,
}

impl<S: Copy + PartialEq, V> Grid<S, V> {
    /// `points` over `settings`: `cell` is handed the points of one label at one setting, in
    /// the run's order (at least one), and may find nothing in them.
    pub fn of(
        points: &[&PointKey],
        settings: Vec<S>,
        setting: impl Fn(&PointKey) -> S,
        cell: impl Fn(&[&PointKey]) -> Option<V>,
    ) -> Self {
        let rows = by_label(points)
            .into_iter()
            .map(|(label, of_label)| {
                let cells = settings.iter().map(|s| {
                    let here = of_label.iter().filter(|p| setting(p) == *s);
                    let here: Vec<&PointKey> = here.copied().collect();
                    if here.is_empty() {
                        None
                    } else {
                        cell(&here)
                    }
                });
                Row {
                    label,
                    cells: cells.collect(),
                }
            })
            .collect();
        Grid { settings, rows }
    }

    /// The cell of `label` at `setting`.
    pub fn get(&self, label: &str, setting: S) -> Option<&V> {
        let i = self.settings.iter().position(|s| *s == setting)?;
        let row = self.rows.iter().find(|r| r.label == label)?;
        row.cells.get(i)?.as_ref()
    }

    /// The same grid over some of its settings only (in the order given), rows with no cell
    /// left there dropped.
    pub fn only(&self, settings: &[S]) -> Grid<S, V>
    where
        V: Clone,
    {
        let index: Vec<Option<usize>> = settings
            .iter()
            .map(|s| self.settings.iter().position(|t| t == s))
            .collect();
        let rows = self.rows.iter().filter_map(|r| {
            let cells: Vec<Option<V>> = index
                .iter()
                .map(|i| i.and_then(|i| r.cells.get(i).cloned().flatten()))
                .collect();
            cells.iter().any(Option::is_some).then(|| Row {
                label: r.label.clone(),
                cells,
            })
        });
        Grid {
            settings: settings.to_vec(),
            rows: rows.collect(),
        }
    }

    /// The cells of the rows `keep` picks by label, row by row, the missing ones left out.
    pub fn cells_of(&self, keep: fn(&str) -> bool) -> impl Iterator<Item = (&str, &V)> {
        let rows = self.rows.iter().filter(move |r| keep(&r.label));
        rows.flat_map(|r| r.cells.iter().flatten().map(|v| (r.label.as_str(), v)))
    }

    /// The table's header: `model`, then each setting as `name` writes it.
    pub fn header(&self, name: impl Fn(&S) -> String) -> Vec<String> {
        let names = self.settings.iter().map(name);
        std::iter::once("model".to_string()).chain(names).collect()
    }

    /// The rows of the table: the label, then each cell as `show` writes it, "—" for none.
    pub fn table_rows(&self, mut show: impl FnMut(&V) -> String) -> Vec<Vec<String>> {
        let mut rows = Vec::new();
        for r in &self.rows {
            let mut row = vec![r.label.clone()];
            for c in &r.cells {
                row.push(c.as_ref().map_or_else(|| "—".to_string(), &mut show));
            }
            rows.push(row);
        }
        rows
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::claims::testing::run;

    #[test]
    fn rows_by_label_cells_by_setting() {
        let r = run(
            "workload,model,variant,n,keep_alive,status,wall_ms",
            &[
                "http,tokio,default,1,true,ok,5",
                "http,threads,default,1,false,ok,7",
                "http,threads,default,2,false,ok,9",
            ],
        );
        let points: Vec<&PointKey> = r.points().collect();
        let grid = Grid::of(
            &points,
            vec![true, false],
            |p| p.keep_alive,
            |here| Some(here.len()),
        );
        assert_eq!(grid.rows[0].label, "threads", "the README's order");
        assert_eq!(grid.get("threads", false), Some(&2));
        assert_eq!(grid.get("tokio", false), None);
        let rows = grid.table_rows(|n| n.to_string());
        assert_eq!(rows, [["threads", "—", "2"], ["tokio", "1", "—"]]);
        let tokio: Vec<_> = grid.cells_of(|l| l == "tokio").collect();
        assert_eq!(tokio, [("tokio", &1)]);
    }
}
