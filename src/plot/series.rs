//! Plain-data series shared by the spectral figures: data points with error bars, model curves,
//! posterior bands and residuals, plus the code that draws them on a [`Panel`].

use super::axes::Panel;
use super::canvas::{Canvas, P};
use super::color::Rgb;
use super::legend::densify;
use crate::error::{Error, Result};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// Data points with (possibly asymmetric) x and y error bars and optional upper limits.
///
/// `x_lo`/`x_hi` are the distances from `x` to the left/right bin edges (half widths for a
/// centred point); `y_lo`/`y_hi` the error below/above `y`. For an upper limit, `y` is the limit
/// and the point is drawn as a downward arrow. NaN errors draw no bar.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct DataSeries {
    /// Point positions (bin centres).
    pub x: Vec<f64>,
    /// Distance to the left edge.
    pub x_lo: Vec<f64>,
    /// Distance to the right edge.
    pub x_hi: Vec<f64>,
    /// Values.
    pub y: Vec<f64>,
    /// Error below the value.
    pub y_lo: Vec<f64>,
    /// Error above the value.
    pub y_hi: Vec<f64>,
    /// Per point: true when `y` is an upper limit (empty = none).
    pub upper_limit: Vec<bool>,
}

fn check_len(what: &str, name: &str, len: usize, expected: usize) -> Result<()> {
    if len != expected {
        return Err(Error::new(format!(
            "{what}: '{name}' has {len} values but x has {expected}"
        )));
    }
    Ok(())
}

impl DataSeries {
    /// Symmetric errors: `x ± x_err`, `y ± y_err`.
    pub fn new(x: Vec<f64>, x_err: Vec<f64>, y: Vec<f64>, y_err: Vec<f64>) -> Result<DataSeries> {
        let s = DataSeries {
            x_lo: x_err.clone(),
            x_hi: x_err,
            y_lo: y_err.clone(),
            y_hi: y_err,
            x,
            y,
            upper_limit: Vec::new(),
        };
        s.validate("data series")?;
        Ok(s)
    }

    /// From bin edges: x at the arithmetic midpoint, the x bar covering the whole bin.
    pub fn from_edges(
        e_lo: &[f64],
        e_hi: &[f64],
        y: Vec<f64>,
        y_err: Vec<f64>,
    ) -> Result<DataSeries> {
        check_len("data series", "e_hi", e_hi.len(), e_lo.len())?;
        let x: Vec<f64> = e_lo.iter().zip(e_hi).map(|(a, b)| 0.5 * (a + b)).collect();
        let half: Vec<f64> = e_lo.iter().zip(e_hi).map(|(a, b)| 0.5 * (b - a)).collect();
        DataSeries::new(x, half, y, y_err)
    }

    /// Mark upper limits (one flag per point).
    pub fn with_upper_limits(mut self, flags: Vec<bool>) -> Result<DataSeries> {
        self.upper_limit = flags;
        self.validate("data series")?;
        Ok(self)
    }

    /// Number of points.
    pub fn len(&self) -> usize {
        self.x.len()
    }

    /// Whether there are no points.
    pub fn is_empty(&self) -> bool {
        self.x.is_empty()
    }

    /// Check that every array has one value per point.
    pub fn validate(&self, what: &str) -> Result<()> {
        let n = self.x.len();
        check_len(what, "x_lo", self.x_lo.len(), n)?;
        check_len(what, "x_hi", self.x_hi.len(), n)?;
        check_len(what, "y", self.y.len(), n)?;
        check_len(what, "y_lo", self.y_lo.len(), n)?;
        check_len(what, "y_hi", self.y_hi.len(), n)?;
        if !self.upper_limit.is_empty() {
            check_len(what, "upper_limit", self.upper_limit.len(), n)?;
        }
        Ok(())
    }

    fn is_limit(&self, k: usize) -> bool {
        self.upper_limit.get(k).copied().unwrap_or(false)
    }
}

/// How a curve joins its points.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum CurveShape {
    /// Straight segments through the points.
    Line,
    /// A histogram outline: value `y[k]` over the bin [`lo[k]`, `hi[k]`]; adjacent bins that
    /// touch are joined by vertical risers.
    Steps {
        /// Lower bin edges.
        lo: Vec<f64>,
        /// Upper bin edges.
        hi: Vec<f64>,
    },
}

/// A model curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Curve {
    /// Abscissae.
    pub x: Vec<f64>,
    /// Values (NaN / non-positive on a log axis break the line).
    pub y: Vec<f64>,
    /// Line or steps.
    pub shape: CurveShape,
}

impl Curve {
    /// A polyline through (x, y).
    pub fn line(x: Vec<f64>, y: Vec<f64>) -> Result<Curve> {
        let c = Curve {
            x,
            y,
            shape: CurveShape::Line,
        };
        c.validate("curve")?;
        Ok(c)
    }

    /// A step outline over bins [lo, hi] (x = bin midpoints).
    pub fn steps(lo: Vec<f64>, hi: Vec<f64>, y: Vec<f64>) -> Result<Curve> {
        let x = lo.iter().zip(&hi).map(|(a, b)| 0.5 * (a + b)).collect();
        let c = Curve {
            x,
            y,
            shape: CurveShape::Steps { lo, hi },
        };
        c.validate("curve")?;
        Ok(c)
    }

    /// Check array lengths.
    pub fn validate(&self, what: &str) -> Result<()> {
        check_len(what, "y", self.y.len(), self.x.len())?;
        if let CurveShape::Steps { lo, hi } = &self.shape {
            check_len(what, "lo", lo.len(), self.x.len())?;
            check_len(what, "hi", hi.len(), self.x.len())?;
        }
        Ok(())
    }

    /// Pixel pieces of the curve (split at undrawable points), before clipping.
    pub(crate) fn pixel_runs(&self, panel: &Panel) -> Vec<Vec<P>> {
        let mut runs: Vec<Vec<P>> = Vec::new();
        let mut cur: Vec<P> = Vec::new();
        let flush = |cur: &mut Vec<P>, runs: &mut Vec<Vec<P>>| {
            if cur.len() >= 2 {
                runs.push(std::mem::take(cur));
            }
            cur.clear();
        };
        match &self.shape {
            CurveShape::Line => {
                for (&x, &y) in self.x.iter().zip(&self.y) {
                    match panel.px(x, y) {
                        Some(p) => cur.push(p),
                        None => flush(&mut cur, &mut runs),
                    }
                }
            }
            CurveShape::Steps { lo, hi } => {
                let mut last_hi: Option<f64> = None;
                for k in 0..self.y.len() {
                    let py = panel.px_y(self.y[k]);
                    let (a, b) = (panel.px_x(lo[k]), panel.px_x(hi[k]));
                    match (py, a, b) {
                        (Some(py), Some(a), Some(b)) => {
                            let touches = last_hi
                                .is_some_and(|h| (h - lo[k]).abs() <= 1e-9 * h.abs().max(1e-300));
                            if !touches {
                                flush(&mut cur, &mut runs);
                            }
                            cur.push((a, py));
                            cur.push((b, py));
                            last_hi = Some(hi[k]);
                        }
                        _ => {
                            flush(&mut cur, &mut runs);
                            last_hi = None;
                        }
                    }
                }
            }
        }
        flush(&mut cur, &mut runs);
        runs
    }
}

/// The energy ranges between bins that the series does not cover (ignored channels): pairs
/// (upper edge of a bin, lower edge of the next) where the next starts noticeably higher.
pub(crate) fn coverage_gaps(d: &DataSeries) -> Vec<(f64, f64)> {
    let mut bins: Vec<(f64, f64)> = (0..d.x.len())
        .map(|k| (d.x[k] - d.x_lo[k], d.x[k] + d.x_hi[k]))
        .filter(|(a, b)| a.is_finite() && b.is_finite())
        .collect();
    bins.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut gaps = Vec::new();
    let mut reach = f64::NEG_INFINITY;
    for (lo, hi) in bins {
        if reach.is_finite() && lo > reach * (1.0 + 1e-6) {
            gaps.push((reach, lo));
        }
        reach = reach.max(hi);
    }
    gaps
}

/// Indices `i` of the sorted `x` after which a gap starts: x[i] ≤ gap start and
/// x[i + 1] ≥ gap end.
fn gap_breaks(x: &[f64], gaps: &[(f64, f64)]) -> Vec<(usize, f64)> {
    let mut out = Vec::new();
    for w in 0..x.len().saturating_sub(1) {
        if let Some(&(a, b)) = gaps
            .iter()
            .find(|&&(a, b)| x[w] <= a * (1.0 + 1e-9) && x[w + 1] >= b * (1.0 - 1e-9))
        {
            out.push((w, (a * b).sqrt()));
        }
    }
    out
}

/// `cols` (each aligned with `x`) with a NaN row inserted at each break, x at the gap's centre.
fn insert_breaks(x: &[f64], cols: &[&[f64]], breaks: &[(usize, f64)]) -> (Vec<f64>, Vec<Vec<f64>>) {
    let mut nx = Vec::with_capacity(x.len() + breaks.len());
    let mut ncols: Vec<Vec<f64>> = cols
        .iter()
        .map(|_| Vec::with_capacity(nx.capacity()))
        .collect();
    let mut next = breaks.iter().peekable();
    for i in 0..x.len() {
        nx.push(x[i]);
        for (n, c) in ncols.iter_mut().zip(cols) {
            n.push(c[i]);
        }
        if let Some(&(_, mid)) = next.next_if(|(w, _)| *w == i) {
            nx.push(mid);
            for n in ncols.iter_mut() {
                n.push(f64::NAN);
            }
        }
    }
    (nx, ncols)
}

impl Curve {
    /// The curve broken (a NaN point inserted) wherever it crosses one of `gaps`; step
    /// outlines already break between bins that do not touch.
    pub(crate) fn broken_at(&self, gaps: &[(f64, f64)]) -> Curve {
        if !matches!(self.shape, CurveShape::Line) || gaps.is_empty() {
            return self.clone();
        }
        let breaks = gap_breaks(&self.x, gaps);
        let (x, mut cols) = insert_breaks(&self.x, &[&self.y], &breaks);
        Curve {
            x,
            y: cols.remove(0),
            shape: CurveShape::Line,
        }
    }
}

impl Band {
    /// The band broken wherever it crosses one of `gaps`.
    pub(crate) fn broken_at(&self, gaps: &[(f64, f64)]) -> Band {
        if gaps.is_empty() {
            return self.clone();
        }
        let breaks = gap_breaks(&self.x, gaps);
        let (x, mut cols) = insert_breaks(&self.x, &[&self.lo, &self.hi], &breaks);
        let hi = cols.pop().unwrap_or_default();
        let lo = cols.pop().unwrap_or_default();
        Band { x, lo, hi }
    }
}

/// A posterior (credible) band between `lo` and `hi` at abscissae `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Abscissae.
    pub x: Vec<f64>,
    /// Lower edge.
    pub lo: Vec<f64>,
    /// Upper edge.
    pub hi: Vec<f64>,
}

impl Band {
    /// A band; the three arrays must have equal length.
    pub fn new(x: Vec<f64>, lo: Vec<f64>, hi: Vec<f64>) -> Result<Band> {
        let b = Band { x, lo, hi };
        b.validate("band")?;
        Ok(b)
    }

    /// Check array lengths.
    pub fn validate(&self, what: &str) -> Result<()> {
        check_len(what, "lo", self.lo.len(), self.x.len())?;
        check_len(what, "hi", self.hi.len(), self.x.len())
    }

    /// Pixel polygons of the band: contiguous stretches with drawable x and finite edges; an
    /// edge ≤ 0 on a log axis is pushed below the panel (clipped at the axis minimum).
    pub(crate) fn pixel_polygons(&self, panel: &Panel) -> Vec<Vec<P>> {
        let mut polys = Vec::new();
        let mut upper: Vec<P> = Vec::new();
        let mut lower: Vec<P> = Vec::new();
        let mut flush = |upper: &mut Vec<P>, lower: &mut Vec<P>| {
            if upper.len() >= 2 {
                let mut poly = std::mem::take(upper);
                poly.extend(lower.iter().rev());
                polys.push(panel.clip_polygon(&poly));
            }
            upper.clear();
            lower.clear();
        };
        for k in 0..self.x.len() {
            let px = panel.px_x(self.x[k]);
            let hi = panel.px_y_or_below(self.hi[k]);
            let lo = panel.px_y_or_below(self.lo[k]);
            match (px, hi, lo) {
                (Some(x), Some(h), Some(l)) => {
                    upper.push((x, h));
                    lower.push((x, l));
                }
                _ => flush(&mut upper, &mut lower),
            }
        }
        flush(&mut upper, &mut lower);
        polys.retain(|p| p.len() >= 3);
        polys
    }
}

/// Residuals in units of σ at abscissae `x`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Residuals {
    /// Abscissae.
    pub x: Vec<f64>,
    /// (data − model) / error; NaN / ±∞ are skipped.
    pub value: Vec<f64>,
}

impl Residuals {
    /// Residual points; arrays of equal length.
    pub fn new(x: Vec<f64>, value: Vec<f64>) -> Result<Residuals> {
        let r = Residuals { x, value };
        r.validate("residuals")?;
        Ok(r)
    }

    /// Check array lengths.
    pub fn validate(&self, what: &str) -> Result<()> {
        check_len(what, "value", self.value.len(), self.x.len())
    }
}

/// Line widths (logical pixels).
pub(crate) const ERRORBAR_WIDTH: f64 = 1.0;
pub(crate) const MODEL_WIDTH: f64 = 1.6;
pub(crate) const BAND_ALPHA: f64 = 0.5;

/// Draw error-bar crosses (no caps, no markers); push the drawn pixels to `occupied`.
pub(crate) fn draw_data<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    panel: &Panel,
    d: &DataSeries,
    c: Rgb,
    occupied: &mut Vec<P>,
) -> Result<()> {
    let w = ERRORBAR_WIDTH;
    for k in 0..d.len() {
        let (x, y) = (d.x[k], d.y[k]);
        let Some(px) = panel.px_x(x) else { continue };
        if !y.is_finite() {
            continue;
        }
        let py = panel.px_y(y);
        // Horizontal bar at y, when y itself is drawable on the axis.
        if let Some(py) = py {
            let left = finite_or_zero(d.x_lo[k]);
            let right = finite_or_zero(d.x_hi[k]);
            let a = panel.px_x_or_below(x - left).unwrap_or(px);
            let b = panel.px_x(x + right).unwrap_or(px);
            if let Some((a, b)) = panel.clip_segment((a, py), (b, py)) {
                if (b.0 - a.0).abs() > 0.0 {
                    canvas.segment(a, b, c, 1.0, w)?;
                }
                occupied.push(a);
                occupied.push(b);
            }
            if panel.inside((px, py), 0.0) {
                occupied.push((px, py));
            }
        }
        if d.is_limit(k) {
            if let Some(py) = py.filter(|&py| panel.inside((px, py), 0.5)) {
                let len = (0.05 * panel.height()).clamp(12.0, 30.0);
                let tip = (px, py + len);
                if let Some((a, b)) = panel.clip_segment((px, py), tip) {
                    canvas.segment(a, b, c, 1.0, w)?;
                }
                if panel.inside(tip, 0.0) {
                    canvas.polygon(
                        &[tip, (px - 4.0, tip.1 - 7.0), (px + 4.0, tip.1 - 7.0)],
                        c,
                        1.0,
                    )?;
                }
                occupied.push(tip);
            }
            continue;
        }
        let lo = finite_or_zero(d.y_lo[k]);
        let hi = finite_or_zero(d.y_hi[k]);
        if lo <= 0.0 && hi <= 0.0 {
            continue;
        }
        let (Some(top), Some(bottom)) = (panel.px_y_or_below(y + hi), panel.px_y_or_below(y - lo))
        else {
            continue;
        };
        if let Some((a, b)) = panel.clip_segment((px, top), (px, bottom)) {
            canvas.segment(a, b, c, 1.0, w)?;
            occupied.push(a);
            occupied.push(b);
        }
    }
    Ok(())
}

fn finite_or_zero(v: f64) -> f64 {
    if v.is_finite() && v > 0.0 {
        v
    } else {
        0.0
    }
}

/// Draw a curve clipped to the panel.
pub(crate) fn draw_curve<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    panel: &Panel,
    curve: &Curve,
    c: Rgb,
    width: f64,
    dashed: bool,
    occupied: &mut Vec<P>,
) -> Result<()> {
    for run in curve.pixel_runs(panel) {
        for piece in panel.clip_polyline(&run) {
            if dashed {
                draw_dashed_polyline(canvas, &piece, c, width)?;
            } else {
                canvas.polyline(&piece, c, 1.0, width)?;
            }
            densify(&piece, 6.0, occupied);
        }
    }
    Ok(())
}

/// A dashed polyline with a continuous dash pattern along its length.
pub(crate) fn draw_dashed_polyline<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    pts: &[P],
    c: Rgb,
    width: f64,
) -> Result<()> {
    let (dash, gap) = (7.0 * width.max(1.0), 3.5 * width.max(1.0));
    let period = dash + gap;
    let mut phase = 0.0f64;
    let mut current: Vec<P> = Vec::new();
    for w in pts.windows(2) {
        let (a, b) = (w[0], w[1]);
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        let mut t = 0.0;
        while t < len {
            let on = phase < dash;
            let remaining = if on { dash - phase } else { period - phase };
            let step = remaining.min(len - t);
            let p0 = (a.0 + (b.0 - a.0) * t / len, a.1 + (b.1 - a.1) * t / len);
            let t1 = t + step;
            let p1 = (a.0 + (b.0 - a.0) * t1 / len, a.1 + (b.1 - a.1) * t1 / len);
            if on {
                if current.is_empty() {
                    current.push(p0);
                }
                current.push(p1);
            } else if !current.is_empty() {
                canvas.polyline(&current, c, 1.0, width)?;
                current.clear();
            }
            phase = (phase + step) % period;
            t = t1;
        }
    }
    if current.len() >= 2 {
        canvas.polyline(&current, c, 1.0, width)?;
    }
    Ok(())
}

/// Draw a band (filled, `alpha` opacity) clipped to the panel.
pub(crate) fn draw_band<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    panel: &Panel,
    band: &Band,
    c: Rgb,
    alpha: f64,
    occupied: &mut Vec<P>,
) -> Result<()> {
    for poly in band.pixel_polygons(panel) {
        canvas.polygon(&poly, c, alpha)?;
        densify(&poly, 8.0, occupied);
    }
    Ok(())
}

/// Draw residual "+" markers; values outside the panel's y range become outward triangles at
/// the edge.
pub(crate) fn draw_residuals<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    panel: &Panel,
    r: &Residuals,
    c: Rgb,
) -> Result<()> {
    let half = 5.0;
    for (&x, &v) in r.x.iter().zip(&r.value) {
        if !v.is_finite() {
            continue;
        }
        let Some(px) = panel
            .px_x(x)
            .filter(|&p| p >= panel.x0 - 0.5 && p <= panel.x1 + 0.5)
        else {
            continue;
        };
        if v > panel.y.hi || v < panel.y.lo {
            let up = v > panel.y.hi;
            let (edge, dir) = if up {
                (panel.y0, 1.0)
            } else {
                (panel.y1, -1.0)
            };
            let tip = (px, edge + dir * 1.5);
            let base = edge + dir * 9.5;
            canvas.polygon(&[tip, (px - 4.5, base), (px + 4.5, base)], c, 1.0)?;
            continue;
        }
        let Some(py) = panel.px_y(v) else { continue };
        canvas.segment((px - half, py), (px + half, py), c, 1.0, 1.2)?;
        canvas.segment((px, py - half), (px, py + half), c, 1.0, 1.2)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_lines_and_bands_break_across_ignored_ranges() {
        // bins 8–10, 10–20, then 40–60 (20–40 ignored), 60–80
        let d = DataSeries::from_edges(
            &[8.0, 10.0, 40.0, 60.0],
            &[10.0, 20.0, 60.0, 80.0],
            vec![1.0; 4],
            vec![0.1; 4],
        )
        .unwrap();
        let gaps = coverage_gaps(&d);
        assert_eq!(gaps, vec![(20.0, 40.0)]);
        let c = Curve::line(vec![9.0, 15.0, 50.0, 70.0], vec![1.0, 2.0, 3.0, 4.0]).unwrap();
        let b = c.broken_at(&gaps);
        assert_eq!(b.x.len(), 5);
        assert!((b.x[2] - 800f64.sqrt()).abs() < 1e-12 && b.y[2].is_nan());
        assert_eq!((b.y[1], b.y[3]), (2.0, 3.0));
        // a curve within one covered range, or no gaps: unchanged
        let inside = Curve::line(vec![41.0, 55.0, 70.0], vec![1.0; 3]).unwrap();
        assert_eq!(inside.broken_at(&gaps), inside);
        assert_eq!(c.broken_at(&[]), c);
        let band = Band::new(c.x.clone(), vec![0.5; 4], vec![1.5; 4]).unwrap();
        let bb = band.broken_at(&gaps);
        assert_eq!(bb.x, b.x);
        assert!(bb.lo[2].is_nan() && bb.hi[2].is_nan());
        // touching bins give no gap
        let touching =
            DataSeries::from_edges(&[1.0, 2.0], &[2.0, 3.0], vec![1.0; 2], vec![0.1; 2]).unwrap();
        assert!(coverage_gaps(&touching).is_empty());
    }
}
