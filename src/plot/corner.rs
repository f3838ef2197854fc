//! Posterior corner plot (plots.md §7, §9.6): smoothed 1-D histograms on the diagonal with the
//! median and 68.27 % interval, smoothed 2-D histograms below it with density shading, contours
//! enclosing 39.35 % and 86.47 % of the mass, the samples outside the outer contour as dots, and
//! the best-fit / truth marks.

use super::axes::{AxesStyle, Axis, Panel};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{Rgb, ACCENT_RED, BLACK, CORNER_BLUE, TRUTH_COLOR};
use super::contour::iso_lines;
use super::density::{
    histogram_1d, histogram_2d, mass_thresholds, smooth_1d, smooth_2d, weighted_quantile,
    CONTOUR_MASSES, QUANTILES,
};
use super::output::{impl_render, Draw};
use super::tex::{tex_runs, Shift, TextRun};
use super::ticks::format_fixed;
use crate::error::{Error, Result};
use ndarray::Array2;
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// A corner plot of a posterior sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CornerFigure {
    /// The sample: one row per draw, one column per parameter (nsample × npar).
    #[serde(serialize_with = "super::figure::serialize_nested")]
    pub samples: Array2<f64>,
    /// Parameter labels (TeX-ish, e.g. `log$E_p$`), one per column.
    pub labels: Vec<String>,
    /// Sample weights (default equal).
    pub weights: Option<Vec<f64>>,
    /// The `at_par` point drawn in red (crosshair, square, value in the titles).
    pub marks: Option<Vec<f64>>,
    /// True values drawn in green.
    pub truths: Option<Vec<f64>>,
    /// Histogram bins per axis (default 30).
    pub bins: usize,
    /// Gaussian smoothing σ in bins (default 2; 0 = none).
    pub smooth: f64,
    /// Per-parameter axis ranges (default: the sample's [min, max]).
    pub ranges: Option<Vec<(f64, f64)>>,
    /// Prefix labels with the parameter index, `p1(α)` (default true).
    pub index_labels: bool,
    /// Image size (default square of 220 × npar + 140).
    pub size: Option<(u32, u32)>,
}

/// Everything computed once per figure.
struct Prepared {
    /// The sample transposed (npar × nsample, row-major): each parameter's values contiguous.
    cols: Array2<f64>,
    ranges: Vec<(f64, f64)>,
    quant: Vec<[f64; 3]>,
}

impl Prepared {
    /// The values of parameter `p` over the draws.
    fn col(&self, p: usize) -> &[f64] {
        self.cols
            .row(p)
            .to_slice()
            .expect("a row-major matrix has contiguous rows")
    }
}

impl CornerFigure {
    /// A corner plot of `samples` (rows) with one label per column; other options default.
    pub fn new(samples: Array2<f64>, labels: Vec<String>) -> CornerFigure {
        CornerFigure {
            samples,
            labels,
            weights: None,
            marks: None,
            truths: None,
            bins: 30,
            smooth: 2.0,
            ranges: None,
            index_labels: true,
            size: None,
        }
    }

    /// Number of parameters.
    pub fn npar(&self) -> usize {
        self.labels.len()
    }

    /// Check shapes and values; the error names the offending row / parameter / option.
    pub fn validate(&self) -> Result<()> {
        let k = self.npar();
        if k == 0 {
            return Err(Error::new("corner plot: no parameters (labels is empty)"));
        }
        if self.samples.ncols() != k {
            return Err(Error::new(format!(
                "corner plot: the sample has {} columns for {k} parameters",
                self.samples.ncols()
            )));
        }
        for (r, row) in self.samples.rows().into_iter().enumerate() {
            if let Some(p) = row.iter().position(|v| !v.is_finite()) {
                return Err(Error::new(format!(
                    "corner plot: sample row {r} has a non-finite value for parameter {} ({})",
                    p + 1,
                    self.labels[p]
                )));
            }
        }
        if let Some(w) = &self.weights {
            if w.len() != self.samples.nrows() {
                return Err(Error::new(format!(
                    "corner plot: {} weights for {} samples",
                    w.len(),
                    self.samples.nrows()
                )));
            }
            if w.iter().any(|v| !v.is_finite() || *v < 0.0) || w.iter().sum::<f64>() <= 0.0 {
                return Err(Error::new(
                    "corner plot: weights must be finite, non-negative and not all zero",
                ));
            }
        }
        for (name, v) in [("marks", &self.marks), ("truths", &self.truths)] {
            if let Some(v) = v {
                if v.len() != k {
                    return Err(Error::new(format!(
                        "corner plot: {name} has {} values for {k} parameters",
                        v.len()
                    )));
                }
            }
        }
        if let Some(r) = &self.ranges {
            if r.len() != k {
                return Err(Error::new(format!(
                    "corner plot: {} ranges for {k} parameters",
                    r.len()
                )));
            }
            for (i, &(lo, hi)) in r.iter().enumerate() {
                if !(lo.is_finite() && hi.is_finite() && lo < hi) {
                    return Err(Error::new(format!(
                        "corner plot: range of parameter {} must be [lo, hi] with lo < hi, got [{lo}, {hi}]",
                        i + 1
                    )));
                }
            }
        }
        if !(2..=1000).contains(&self.bins) {
            return Err(Error::new(format!(
                "corner plot: bins must be between 2 and 1000, got {}",
                self.bins
            )));
        }
        if !(self.smooth.is_finite() && self.smooth >= 0.0) {
            return Err(Error::new(format!(
                "corner plot: smooth must be ≥ 0, got {}",
                self.smooth
            )));
        }
        Ok(())
    }

    /// Why no corner plot can be drawn (too few samples, a parameter without spread), if so.
    pub fn degenerate_reason(&self) -> Option<String> {
        let k = self.npar();
        let n = self.samples.nrows();
        if n <= k {
            return Some(format!(
                "degenerate posterior: {n} samples for {k} parameters; no corner plot"
            ));
        }
        if self.ranges.is_none() {
            for p in 0..k {
                let (lo, hi) = self.column_range(p);
                if hi <= lo || hi.is_nan() || lo.is_nan() {
                    return Some(format!(
                        "degenerate posterior: parameter {} ({}) has no spread; no corner plot",
                        p + 1,
                        self.labels[p]
                    ));
                }
            }
        }
        None
    }

    fn column_range(&self, p: usize) -> (f64, f64) {
        self.samples
            .column(p)
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
                (lo.min(v), hi.max(v))
            })
    }

    /// Median and central 68.27 % interval of parameter `p`: [q15.87, q50, q84.13].
    pub fn quantiles(&self, p: usize) -> [f64; 3] {
        let col = self.samples.column(p).to_vec();
        let w = self.weights.as_deref();
        QUANTILES.map(|q| weighted_quantile(&col, w, q))
    }

    fn prepare(&self) -> Prepared {
        let k = self.npar();
        let cols = self.samples.t().as_standard_layout().into_owned();
        let ranges = (0..k)
            .map(|p| match &self.ranges {
                Some(r) => r[p],
                None => self.column_range(p),
            })
            .collect();
        let quant = (0..k).map(|p| self.quantiles(p)).collect();
        Prepared {
            cols,
            ranges,
            quant,
        }
    }

    /// The drawn label of parameter `p` as runs: `p1(α)`.
    fn label_runs(&self, p: usize) -> Vec<TextRun> {
        let inner = tex_runs(&self.labels[p]);
        if !self.index_labels {
            return inner;
        }
        let mut runs = vec![TextRun {
            text: format!("p{}(", p + 1),
            shift: Shift::Normal,
        }];
        for r in inner {
            match runs.last_mut() {
                Some(last) if last.shift == r.shift => last.text.push_str(&r.text),
                _ => runs.push(r),
            }
        }
        match runs.last_mut() {
            Some(last) if last.shift == Shift::Normal => last.text.push(')'),
            _ => runs.push(TextRun {
                text: ")".into(),
                shift: Shift::Normal,
            }),
        }
        runs
    }
}

/// Decimals for a title: two significant digits of the smaller error (2 when zero).
pub fn title_decimals(lo_err: f64, hi_err: f64) -> usize {
    let e = lo_err.abs().min(hi_err.abs());
    if !(e.is_finite() && e > 0.0) {
        return 2;
    }
    (1 - e.log10().floor() as i64).clamp(0, 8) as usize
}

const TICK: f64 = 14.0;
const LABEL: f64 = 17.0;
const TITLE: f64 = 15.0;

impl Draw for CornerFigure {
    fn default_size(&self) -> (u32, u32) {
        let s = 220 * self.npar().max(1) as u32 + 140;
        (s, s)
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn warning(&self) -> Option<String> {
        self.degenerate_reason()
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        self.validate()?;
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        if let Some(reason) = self.degenerate_reason() {
            canvas.text(
                "degenerate posterior / no corner plot",
                (w / 2.0, h / 2.0 - 12.0),
                18.0,
                HAlign::Center,
                VAlign::Center,
                false,
                BLACK,
            )?;
            return canvas.text(
                &reason,
                (w / 2.0, h / 2.0 + 16.0),
                12.0,
                HAlign::Center,
                VAlign::Center,
                false,
                BLACK,
            );
        }
        let prep = self.prepare();
        let k = self.npar();
        let (left, right, top, bottom) = (92.0, 18.0, 44.0, 84.0);
        let gap = 8.0;
        let side_w = (w - left - right - gap * (k as f64 - 1.0)) / k as f64;
        let side_h = (h - top - bottom - gap * (k as f64 - 1.0)) / k as f64;
        let weights = self.weights.as_deref();
        for row in 0..k {
            for col in 0..=row {
                let x0 = left + col as f64 * (side_w + gap);
                let y0 = top + row as f64 * (side_h + gap);
                let xr = prep.ranges[col];
                if row == col {
                    self.draw_diagonal(
                        canvas,
                        &prep,
                        col,
                        (x0, y0, side_w, side_h),
                        weights,
                        row == k - 1,
                    )?;
                } else {
                    let yr = prep.ranges[row];
                    let panel = Panel {
                        x0,
                        y0,
                        x1: x0 + side_w,
                        y1: y0 + side_h,
                        x: Axis::linear(xr.0, xr.1),
                        y: Axis::linear(yr.0, yr.1),
                    };
                    self.draw_pair(canvas, &prep, &panel, col, row, weights)?;
                    let style = AxesStyle {
                        x_tick_labels: row == k - 1,
                        y_tick_labels: col == 0,
                        tick_size: TICK,
                        max_linear_ticks: 4,
                        ..AxesStyle::default()
                    };
                    panel.draw_axes(canvas, &style)?;
                }
            }
        }
        // Axis titles: x under the bottom row, y left of the first column (rows ≥ 1).
        let depth = Panel::x_labels_depth(&AxesStyle {
            tick_size: TICK,
            ..AxesStyle::default()
        });
        let bottom_y = top + k as f64 * side_h + (k as f64 - 1.0) * gap;
        for p in 0..k {
            let cx = left + p as f64 * (side_w + gap) + side_w / 2.0;
            canvas.runs(
                &self.label_runs(p),
                (cx, bottom_y + depth + 12.0),
                LABEL,
                HAlign::Center,
                VAlign::Top,
                false,
                BLACK,
            )?;
        }
        for p in 1..k {
            let cy = top + p as f64 * (side_h + gap) + side_h / 2.0;
            canvas.runs(
                &self.label_runs(p),
                (22.0, cy),
                LABEL,
                HAlign::Center,
                VAlign::Top,
                true,
                BLACK,
            )?;
        }
        Ok(())
    }
}

impl CornerFigure {
    #[allow(clippy::too_many_arguments)]
    fn draw_diagonal<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        prep: &Prepared,
        p: usize,
        rect: (f64, f64, f64, f64),
        weights: Option<&[f64]>,
        bottom_row: bool,
    ) -> Result<()> {
        let (x0, y0, sw, sh) = rect;
        let xr = prep.ranges[p];
        let hist = smooth_1d(
            &histogram_1d(prep.col(p), weights, xr, self.bins),
            self.smooth,
        );
        let hmax = hist.iter().copied().fold(0.0, f64::max);
        let panel = Panel {
            x0,
            y0,
            x1: x0 + sw,
            y1: y0 + sh,
            x: Axis::linear(xr.0, xr.1),
            y: Axis::linear(0.0, if hmax > 0.0 { 1.1 * hmax } else { 1.0 }),
        };
        // step outline
        let nb = self.bins as f64;
        let mut pts: Vec<P> = Vec::with_capacity(2 * self.bins + 2);
        for (b, &v) in hist.iter().enumerate() {
            let xa = xr.0 + (xr.1 - xr.0) * b as f64 / nb;
            let xb = xr.0 + (xr.1 - xr.0) * (b + 1) as f64 / nb;
            if let (Some(a), Some(bb)) = (panel.px(xa, v), panel.px(xb, v)) {
                if pts.is_empty() {
                    pts.push((a.0, panel.y1));
                }
                pts.push(a);
                pts.push(bb);
            }
        }
        if let Some(&last) = pts.last() {
            pts.push((last.0, panel.y1));
        }
        panel.draw_clipped(canvas, &pts, CORNER_BLUE, 1.0, 1.6)?;
        // quantile lines
        let q = prep.quant[p];
        for (i, &v) in q.iter().enumerate() {
            if let Some(px) = panel.px_x(v).filter(|_| panel.x.contains(v)) {
                let alpha = if i == 1 { 0.9 } else { 0.6 };
                canvas.dashed(
                    (px, panel.y0 + 1.0),
                    (px, panel.y1 - 1.0),
                    CORNER_BLUE,
                    alpha,
                    1.0,
                    5.0,
                    3.0,
                )?;
            }
        }
        // median with its 68 % interval near the bottom
        let yb = panel.y1 - 0.06 * sh;
        if let (Some(a), Some(b), Some(m)) = (panel.px_x(q[0]), panel.px_x(q[2]), panel.px_x(q[1]))
        {
            canvas.segment(
                (a.max(panel.x0), yb),
                (b.min(panel.x1), yb),
                ACCENT_RED,
                1.0,
                1.3,
            )?;
            canvas.disc((m, yb), 2.6, ACCENT_RED, 1.0)?;
        }
        if let Some(t) = &self.truths {
            if let Some(px) = panel.px_x(t[p]).filter(|_| panel.x.contains(t[p])) {
                canvas.segment((px, panel.y0), (px, panel.y1), TRUTH_COLOR, 1.0, 1.3)?;
            }
        }
        if let Some(m) = &self.marks {
            if let Some(px) = panel.px_x(m[p]).filter(|_| panel.x.contains(m[p])) {
                canvas.segment((px, panel.y0), (px, panel.y1), ACCENT_RED, 1.0, 1.0)?;
            }
        }
        let style = AxesStyle {
            x_tick_labels: bottom_row,
            y_tick_labels: false,
            y_ticks: false,
            tick_size: TICK,
            max_linear_ticks: 4,
        };
        panel.draw_axes(canvas, &style)?;
        self.draw_title(canvas, &panel, q, self.marks.as_ref().map(|m| m[p]))
    }

    fn draw_title<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        panel: &Panel,
        q: [f64; 3],
        mark: Option<f64>,
    ) -> Result<()> {
        let (lo, hi) = (q[1] - q[0], q[2] - q[1]);
        let d = title_decimals(lo, hi);
        let main = format_fixed(q[1], d);
        let sup = format!("+{}", format_fixed(hi, d));
        let sub = format!("−{}", format_fixed(lo, d));
        let tail = mark
            .map(|m| format!(" ({})", format_fixed(m, d)))
            .unwrap_or_default();
        let small = 0.72 * TITLE;
        let w_main = canvas.text_width(&main, TITLE);
        let w_script = canvas
            .text_width(&sup, small)
            .max(canvas.text_width(&sub, small));
        let w_tail = canvas.text_width(&tail, TITLE);
        let total = w_main + 2.0 + w_script + w_tail;
        let x = 0.5 * (panel.x0 + panel.x1) - total / 2.0;
        let base = panel.y0 - 12.0;
        canvas.text(
            &main,
            (x, base),
            TITLE,
            HAlign::Left,
            VAlign::Baseline,
            false,
            BLACK,
        )?;
        let xs = x + w_main + 2.0;
        canvas.text(
            &sup,
            (xs, base - 0.45 * TITLE),
            small,
            HAlign::Left,
            VAlign::Baseline,
            false,
            BLACK,
        )?;
        canvas.text(
            &sub,
            (xs, base + 0.3 * TITLE),
            small,
            HAlign::Left,
            VAlign::Baseline,
            false,
            BLACK,
        )?;
        canvas.text(
            &tail,
            (xs + w_script, base),
            TITLE,
            HAlign::Left,
            VAlign::Baseline,
            false,
            BLACK,
        )
    }

    fn draw_pair<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        prep: &Prepared,
        panel: &Panel,
        px: usize,
        py: usize,
        weights: Option<&[f64]>,
    ) -> Result<()> {
        let nb = self.bins;
        let (xr, yr) = (prep.ranges[px], prep.ranges[py]);
        let raw = histogram_2d(prep.col(px), prep.col(py), weights, xr, yr, nb);
        let dens = smooth_2d(&raw, nb, nb, self.smooth);
        let levels = mass_thresholds(&dens, &CONTOUR_MASSES);
        let dmax = dens.iter().copied().fold(0.0, f64::max);
        let (dx, dy) = ((xr.1 - xr.0) / nb as f64, (yr.1 - yr.0) / nb as f64);

        // Density shading: each cell from transparent (0) to the corner blue (maximum).
        if dmax > 0.0 {
            for ix in 0..nb {
                for iy in 0..nb {
                    let f = dens[ix * nb + iy] / dmax;
                    if f < 0.01 {
                        continue;
                    }
                    let a = panel.px(xr.0 + ix as f64 * dx, yr.0 + iy as f64 * dy);
                    let b = panel.px(xr.0 + (ix + 1) as f64 * dx, yr.0 + (iy + 1) as f64 * dy);
                    if let (Some(a), Some(b)) = (a, b) {
                        canvas.rect(a, b, CORNER_BLUE, f, true, 1.0)?;
                    }
                }
            }
        }

        // Padded grid (two extra cells each side: edge values, then the minimum) so that
        // contours close beyond the panel edge.
        let n2 = nb + 4;
        let dmin = dens.iter().copied().fold(f64::INFINITY, f64::min);
        let mut grid = vec![dmin; n2 * n2];
        for i in 0..n2 {
            for j in 0..n2 {
                let inner = |k: usize| -> Option<usize> {
                    match k {
                        0 => None,
                        1 => Some(0),
                        k if k == n2 - 1 => None,
                        k if k == n2 - 2 => Some(nb - 1),
                        k => Some(k - 2),
                    }
                };
                if let (Some(a), Some(b)) = (inner(i), inner(j)) {
                    grid[i * n2 + j] = dens[a * nb + b];
                }
            }
        }
        let gx: Vec<f64> = (0..n2).map(|i| xr.0 + (i as f64 - 1.5) * dx).collect();
        let gy: Vec<f64> = (0..n2).map(|j| yr.0 + (j as f64 - 1.5) * dy).collect();

        // Samples outside the outer contour as faint dots (fixed order: deterministic).
        let outer = levels[0];
        let interp = |x: f64, y: f64| -> f64 {
            let fx = ((x - gx[0]) / dx).clamp(0.0, (n2 - 1) as f64 - 1e-9);
            let fy = ((y - gy[0]) / dy).clamp(0.0, (n2 - 1) as f64 - 1e-9);
            let (i, j) = (fx.floor() as usize, fy.floor() as usize);
            let (tx, ty) = (fx - i as f64, fy - j as f64);
            let g = |a: usize, b: usize| grid[a * n2 + b];
            (1.0 - tx) * (1.0 - ty) * g(i, j)
                + tx * (1.0 - ty) * g(i + 1, j)
                + (1.0 - tx) * ty * g(i, j + 1)
                + tx * ty * g(i + 1, j + 1)
        };
        let (xs, ys) = (prep.col(px), prep.col(py));
        for s in 0..xs.len() {
            if weights.is_some_and(|w| w[s] <= 0.0) {
                continue;
            }
            if interp(xs[s], ys[s]) >= outer {
                continue;
            }
            if let Some(p) = panel.px(xs[s], ys[s]).filter(|&p| panel.inside(p, 0.0)) {
                canvas.disc(p, 0.9, CORNER_BLUE, 0.18)?;
            }
        }

        for &lv in &levels {
            for line in iso_lines(&grid, &gx, &gy, lv) {
                let pix: Vec<P> = line.iter().filter_map(|&(x, y)| panel.px(x, y)).collect();
                panel.draw_clipped(canvas, &pix, CORNER_BLUE, 1.0, 1.6)?;
            }
        }

        for (vals, color) in [(&self.truths, TRUTH_COLOR), (&self.marks, ACCENT_RED)] {
            if let Some(v) = vals {
                self.crosshair(canvas, panel, v[px], v[py], color)?;
            }
        }
        Ok(())
    }

    fn crosshair<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        panel: &Panel,
        x: f64,
        y: f64,
        c: Rgb,
    ) -> Result<()> {
        let vx = panel.px_x(x).filter(|_| panel.x.contains(x));
        let vy = panel.px_y(y).filter(|_| panel.y.contains(y));
        if let Some(vx) = vx {
            canvas.segment((vx, panel.y0), (vx, panel.y1), c, 1.0, 1.0)?;
        }
        if let Some(vy) = vy {
            canvas.segment((panel.x0, vy), (panel.x1, vy), c, 1.0, 1.0)?;
        }
        if let (Some(vx), Some(vy)) = (vx, vy) {
            canvas.rect(
                (vx - 3.0, vy - 3.0),
                (vx + 3.0, vy + 3.0),
                c,
                1.0,
                true,
                1.0,
            )?;
        }
        Ok(())
    }
}

impl_render!(CornerFigure);
