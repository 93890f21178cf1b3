//! Where data lands on the page and how the axes say so: linear and log scales, the tick
//! positions (decades, 1-2-5 steps, fixed percentiles) and their labels, and the coordinate
//! that makes plotters draw its grid at exactly those ticks.

use crate::theme::{bytes, number};
use plotters::coord::ranged1d::{DefaultFormatting, KeyPointHint, Ranged};
use plotters::coord::types::RangedCoordf64;

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
    /// Nanoseconds as a duration: 100 ns, 10 µs, 1 ms.
    Nanos,
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
                // Room asked for above the top (for what is written over a bar) is a share
                // of the span, not only a factor of the top, so a wide span keeps it too.
                let room = match headroom > 1.0 {
                    true => (max / self.lo).powf(0.12).max(headroom),
                    false => headroom,
                };
                self.hi = (max * room).max(self.lo * 2.0);
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
            Units::Nanos => tvc_results::format::ns(v),
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_are_written_as_percentages() {
        assert_eq!(percentile(2.0), "99 %");
        assert_eq!(percentile(4.0), "99.99 %");
        assert_eq!(percentile(std::f64::consts::LOG10_2), "50 %");
    }

    #[test]
    fn log_axes_snap_to_decades() {
        let a = Axis::new("t", Scale::Log, Units::Plain).fit([0.12, 16_600.0], 1.0);
        assert_eq!((a.lo, a.hi), (0.05, 16_600.0));
        assert_eq!(a.ticks().len(), 6);
        // Room above the top grows with the span: four decades get more than a factor 1.25.
        let r = Axis::new("t", Scale::Log, Units::Plain).fit([0.01, 100.0], 1.25);
        assert!(r.hi > 100.0 * 1.25 * 2.0, "{}", r.hi);
        let l = Axis::new("t", Scale::Linear, Units::Plain).fit([3.0, 97.0], 1.1);
        assert!(l.ticks().contains(&0.0) && l.ticks().len() <= 8);
    }
}
