//! A panel: a pixel rectangle with a linear or log axis on each side, the data → pixel
//! mapping, clipping, and the frame with inward, mirrored ticks (plots.md §2.5, §9.3).

use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{Rgb, BLACK};
use super::ticks::{linear_ticks, log_ticks, Ticks};
use crate::error::Result;
use plotters::prelude::DrawingBackend;

/// Axis scale.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scale {
    Linear,
    Log,
}

/// One axis: scale and range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Axis {
    pub scale: Scale,
    pub lo: f64,
    pub hi: f64,
}

/// Far outside the unit interval: the fraction of a non-positive value on a log axis.
const FAR: f64 = 1e4;

impl Axis {
    pub(crate) fn linear(lo: f64, hi: f64) -> Axis {
        let (lo, hi) = widen(lo, hi, Scale::Linear);
        Axis {
            scale: Scale::Linear,
            lo,
            hi,
        }
    }

    pub(crate) fn log(lo: f64, hi: f64) -> Axis {
        let (lo, hi) = widen(lo, hi, Scale::Log);
        Axis {
            scale: Scale::Log,
            lo,
            hi,
        }
    }

    /// Position of `v` in [0, 1] across the range; `None` if not drawable (NaN, ±∞, ≤ 0 on
    /// a log axis).
    pub(crate) fn frac(&self, v: f64) -> Option<f64> {
        if !v.is_finite() {
            return None;
        }
        match self.scale {
            Scale::Linear => Some((v - self.lo) / (self.hi - self.lo)),
            Scale::Log => {
                if v <= 0.0 {
                    None
                } else {
                    Some((v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln()))
                }
            }
        }
    }

    /// Like [`Axis::frac`] but a value ≤ 0 on a log axis (or −∞) maps far below the range, so
    /// that a clipped segment runs to the low edge; `None` only for NaN / +∞.
    pub(crate) fn frac_or_below(&self, v: f64) -> Option<f64> {
        if v.is_nan() || v == f64::INFINITY {
            return None;
        }
        if v == f64::NEG_INFINITY || (self.scale == Scale::Log && v <= 0.0) {
            return Some(-FAR);
        }
        self.frac(v).map(|f| f.clamp(-FAR, FAR))
    }

    /// Whether `v` lies inside the range (tolerance of 1e-9 of the span).
    pub(crate) fn contains(&self, v: f64) -> bool {
        self.frac(v)
            .is_some_and(|f| (-1e-9..=1.0 + 1e-9).contains(&f))
    }

    /// Width of the widest tick label at `size` (logical pixels).
    pub(crate) fn label_width<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        size: f64,
        max_linear: usize,
    ) -> f64 {
        self.ticks(max_linear)
            .major
            .iter()
            .map(|(_, l)| canvas.text_width(l, size))
            .fold(0.0, f64::max)
    }

    /// Tick positions and labels.
    pub(crate) fn ticks(&self, max_linear: usize) -> Ticks {
        match self.scale {
            Scale::Linear => linear_ticks(self.lo, self.hi, max_linear),
            Scale::Log => log_ticks(self.lo, self.hi),
        }
    }
}

/// Make a degenerate or invalid range usable.
fn widen(lo: f64, hi: f64, scale: Scale) -> (f64, f64) {
    match scale {
        Scale::Linear => {
            if !(lo.is_finite() && hi.is_finite()) {
                return (0.0, 1.0);
            }
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            if hi - lo <= 1e-12 * lo.abs().max(hi.abs()).max(1e-300) {
                let d = if lo == 0.0 { 1.0 } else { 0.1 * lo.abs() };
                (lo - d, hi + d)
            } else {
                (lo, hi)
            }
        }
        Scale::Log => {
            if !(lo > 0.0 && hi > 0.0 && lo.is_finite() && hi.is_finite()) {
                return (1e-3, 1.0);
            }
            let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
            if hi / lo < 1.0 + 1e-9 {
                (lo / 2.0, hi * 2.0)
            } else {
                (lo, hi)
            }
        }
    }
}

/// Range covering finite values (positive ones on a log axis), padded by `margin` of the span
/// (in log space for log axes); `None` when there is no usable value.
pub(crate) fn auto_range<I: IntoIterator<Item = f64>>(
    values: I,
    scale: Scale,
    margin: f64,
) -> Option<(f64, f64)> {
    let mut lo = f64::INFINITY;
    let mut hi = f64::NEG_INFINITY;
    for v in values {
        if v.is_finite() && (scale == Scale::Linear || v > 0.0) {
            lo = lo.min(v);
            hi = hi.max(v);
        }
    }
    if lo > hi {
        return None;
    }
    Some(match scale {
        Scale::Linear => {
            let d = (hi - lo) * margin;
            (lo - d, hi + d)
        }
        Scale::Log => {
            let (l, h) = (lo.log10(), hi.log10());
            let d = (h - l) * margin;
            (10f64.powf(l - d), 10f64.powf(h + d))
        }
    })
}

/// A rectangle of the figure with its two axes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Panel {
    pub x0: f64,
    pub y0: f64,
    pub x1: f64,
    pub y1: f64,
    pub x: Axis,
    pub y: Axis,
}

/// Which decorations a panel draws.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AxesStyle {
    pub x_tick_labels: bool,
    pub y_tick_labels: bool,
    pub y_ticks: bool,
    pub tick_size: f64,
    pub max_linear_ticks: usize,
}

impl Default for AxesStyle {
    fn default() -> Self {
        AxesStyle {
            x_tick_labels: true,
            y_tick_labels: true,
            y_ticks: true,
            tick_size: 16.0,
            max_linear_ticks: 6,
        }
    }
}

/// What the tick labels occupy, for placing the axis titles.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct LabelExtent {
    /// Widest y tick label.
    pub y_width: f64,
}

impl Panel {
    pub(crate) fn width(&self) -> f64 {
        self.x1 - self.x0
    }

    pub(crate) fn height(&self) -> f64 {
        self.y1 - self.y0
    }

    /// Pixel x of a data x (`None` when not drawable).
    pub(crate) fn px_x(&self, x: f64) -> Option<f64> {
        self.x.frac(x).map(|f| self.x0 + f * self.width())
    }

    /// Pixel y of a data y (`None` when not drawable).
    pub(crate) fn px_y(&self, y: f64) -> Option<f64> {
        self.y.frac(y).map(|f| self.y1 - f * self.height())
    }

    /// Pixel y, a non-positive value on a log axis mapping far below the panel.
    pub(crate) fn px_y_or_below(&self, y: f64) -> Option<f64> {
        self.y.frac_or_below(y).map(|f| self.y1 - f * self.height())
    }

    /// Pixel x, a non-positive value on a log axis mapping far left of the panel.
    pub(crate) fn px_x_or_below(&self, x: f64) -> Option<f64> {
        self.x.frac_or_below(x).map(|f| self.x0 + f * self.width())
    }

    /// Pixel position of a data point (`None` when not drawable).
    pub(crate) fn px(&self, x: f64, y: f64) -> Option<P> {
        Some((self.px_x(x)?, self.px_y(y)?))
    }

    /// Whether a pixel lies inside the panel (with `tol` pixels of slack).
    pub(crate) fn inside(&self, p: P, tol: f64) -> bool {
        p.0 >= self.x0 - tol && p.0 <= self.x1 + tol && p.1 >= self.y0 - tol && p.1 <= self.y1 + tol
    }

    /// Clip a pixel segment to the panel (Liang–Barsky).
    pub(crate) fn clip_segment(&self, a: P, b: P) -> Option<(P, P)> {
        let (dx, dy) = (b.0 - a.0, b.1 - a.1);
        let mut t0 = 0.0f64;
        let mut t1 = 1.0f64;
        for (p, q) in [
            (-dx, a.0 - self.x0),
            (dx, self.x1 - a.0),
            (-dy, a.1 - self.y0),
            (dy, self.y1 - a.1),
        ] {
            if p == 0.0 {
                if q < 0.0 {
                    return None;
                }
            } else {
                let r = q / p;
                if p < 0.0 {
                    t0 = t0.max(r);
                } else {
                    t1 = t1.min(r);
                }
                if t0 > t1 {
                    return None;
                }
            }
        }
        Some((
            (a.0 + t0 * dx, a.1 + t0 * dy),
            (a.0 + t1 * dx, a.1 + t1 * dy),
        ))
    }

    /// Clip a pixel polyline to the panel: the visible pieces.
    pub(crate) fn clip_polyline(&self, pts: &[P]) -> Vec<Vec<P>> {
        let mut pieces: Vec<Vec<P>> = Vec::new();
        let mut current: Vec<P> = Vec::new();
        for w in pts.windows(2) {
            match self.clip_segment(w[0], w[1]) {
                Some((a, b)) => {
                    let joins = current
                        .last()
                        .is_some_and(|l| (l.0 - a.0).abs() < 1e-6 && (l.1 - a.1).abs() < 1e-6);
                    if !joins {
                        if current.len() >= 2 {
                            pieces.push(std::mem::take(&mut current));
                        }
                        current.clear();
                        current.push(a);
                    }
                    current.push(b);
                }
                None => {
                    if current.len() >= 2 {
                        pieces.push(std::mem::take(&mut current));
                    }
                    current.clear();
                }
            }
        }
        if current.len() >= 2 {
            pieces.push(current);
        }
        pieces
    }

    /// Clip a pixel polygon to the panel (Sutherland–Hodgman).
    pub(crate) fn clip_polygon(&self, pts: &[P]) -> Vec<P> {
        let mut poly = pts.to_vec();
        let edges: [(usize, f64, bool); 4] = [
            (0, self.x0, true),
            (0, self.x1, false),
            (1, self.y0, true),
            (1, self.y1, false),
        ];
        for (axis, bound, keep_greater) in edges {
            if poly.is_empty() {
                break;
            }
            let inside = |p: &P| {
                let v = if axis == 0 { p.0 } else { p.1 };
                if keep_greater {
                    v >= bound
                } else {
                    v <= bound
                }
            };
            let mut out = Vec::with_capacity(poly.len() + 4);
            for i in 0..poly.len() {
                let cur = poly[i];
                let prev = poly[(i + poly.len() - 1) % poly.len()];
                let (ci, pi) = (inside(&cur), inside(&prev));
                if ci != pi {
                    let (pa, ca) = if axis == 0 {
                        (prev.0, cur.0)
                    } else {
                        (prev.1, cur.1)
                    };
                    let t = (bound - pa) / (ca - pa);
                    out.push((prev.0 + t * (cur.0 - prev.0), prev.1 + t * (cur.1 - prev.1)));
                }
                if ci {
                    out.push(cur);
                }
            }
            poly = out;
        }
        poly
    }

    /// Draw a polyline given in pixels, clipped to the panel.
    pub(crate) fn draw_clipped<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        pts: &[P],
        c: Rgb,
        alpha: f64,
        width: f64,
    ) -> Result<()> {
        for piece in self.clip_polyline(pts) {
            canvas.polyline(&piece, c, alpha, width)?;
        }
        Ok(())
    }

    /// Frame, inward ticks on all four sides, and tick labels (left/bottom as requested).
    /// Returns the extent of the y tick labels.
    pub(crate) fn draw_axes<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        style: &AxesStyle,
    ) -> Result<LabelExtent> {
        let major_len = 6.0;
        let minor_len = 3.5;
        let lw = 1.0;
        let xt = self.x.ticks(style.max_linear_ticks);
        let yt = self.y.ticks(style.max_linear_ticks);
        let mut extent = LabelExtent::default();
        for (v, len) in xt
            .major
            .iter()
            .map(|(v, _)| (*v, major_len))
            .chain(xt.minor.iter().map(|&v| (v, minor_len)))
        {
            if let Some(x) = self.px_x(v).filter(|_| self.x.contains(v)) {
                canvas.segment((x, self.y1), (x, self.y1 - len), BLACK, 1.0, lw)?;
                canvas.segment((x, self.y0), (x, self.y0 + len), BLACK, 1.0, lw)?;
            }
        }
        if style.y_ticks {
            for (v, len) in yt
                .major
                .iter()
                .map(|(v, _)| (*v, major_len))
                .chain(yt.minor.iter().map(|&v| (v, minor_len)))
            {
                if let Some(y) = self.px_y(v).filter(|_| self.y.contains(v)) {
                    canvas.segment((self.x0, y), (self.x0 + len, y), BLACK, 1.0, lw)?;
                    canvas.segment((self.x1, y), (self.x1 - len, y), BLACK, 1.0, lw)?;
                }
            }
        }
        canvas.rect(
            (self.x0, self.y0),
            (self.x1, self.y1),
            BLACK,
            1.0,
            false,
            lw,
        )?;
        let size = style.tick_size;
        if style.x_tick_labels {
            for (v, label) in &xt.major {
                if let Some(x) = self.px_x(*v).filter(|_| self.x.contains(*v)) {
                    canvas.text(
                        label,
                        (x, self.y1 + 7.0 + 0.3 * size),
                        size,
                        HAlign::Center,
                        VAlign::Top,
                        false,
                        BLACK,
                    )?;
                }
            }
        }
        if style.y_tick_labels && style.y_ticks {
            for (v, label) in &yt.major {
                if let Some(y) = self.px_y(*v).filter(|_| self.y.contains(*v)) {
                    canvas.text(
                        label,
                        (self.x0 - 7.0, y),
                        size,
                        HAlign::Right,
                        VAlign::Center,
                        false,
                        BLACK,
                    )?;
                    extent.y_width = extent.y_width.max(canvas.text_width(label, size));
                }
            }
        }
        Ok(extent)
    }

    /// Draw the x-axis title centred under the panel's tick labels.
    pub(crate) fn draw_x_title<DB: DrawingBackend>(
        &self,
        canvas: &Canvas<DB>,
        title: &str,
        size: f64,
        style: &AxesStyle,
    ) -> Result<()> {
        canvas.text(
            title,
            (
                0.5 * (self.x0 + self.x1),
                self.y1 + Self::x_labels_depth(style) + 10.0,
            ),
            size,
            HAlign::Center,
            VAlign::Top,
            false,
            BLACK,
        )
    }

    /// Height below the frame taken by the x tick labels (for placing the x title).
    pub(crate) fn x_labels_depth(style: &AxesStyle) -> f64 {
        7.0 + 0.3 * style.tick_size + 0.85 * style.tick_size
    }
}

/// Left margin that fits y tick labels of width `label_w` plus a rotated title of `title` px.
pub(crate) fn left_margin(label_w: f64, title: f64, minimum: f64) -> f64 {
    (7.0 + label_w + 12.0 + 1.25 * title + 6.0).max(minimum)
}

/// Size of figure titles (logical pixels).
pub(crate) const TITLE_SIZE: f64 = 22.0;

/// Draw `title` centred over [x0, x1] with its top at `top`; returns the height it takes
/// (0 without a title), to add to the top margin.
pub(crate) fn draw_title<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    title: Option<&str>,
    (x0, x1): (f64, f64),
    top: f64,
) -> Result<f64> {
    let Some(t) = title.filter(|t| !t.is_empty()) else {
        return Ok(0.0);
    };
    canvas.text(
        t,
        (0.5 * (x0 + x1), top),
        TITLE_SIZE,
        HAlign::Center,
        VAlign::Top,
        false,
        BLACK,
    )?;
    Ok(1.6 * TITLE_SIZE)
}
