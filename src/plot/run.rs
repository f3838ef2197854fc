//! Nested-sampling run plot: ln L of the dead points vs ln X (prior volume), and the posterior
//! mass they carry.

use super::axes::{auto_range, left_margin, AxesStyle, Axis, Panel, Scale};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{palette_color, BLACK};
use super::output::{impl_render, Draw};
use crate::error::{Error, Result};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// ln L vs ln X of a nested-sampling run (top) and each point's share of the posterior
/// mass L·ΔX / max (bottom).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunFigure {
    /// ln X of each dead point (decreasing from ≈ 0).
    pub ln_x: Vec<f64>,
    /// ln L of each dead point.
    pub ln_l: Vec<f64>,
    /// Image size (default 760 × 650).
    pub size: Option<(u32, u32)>,
}

impl RunFigure {
    /// A run plot of dead points (ln X, ln L).
    pub fn new(ln_x: Vec<f64>, ln_l: Vec<f64>) -> RunFigure {
        RunFigure {
            ln_x,
            ln_l,
            size: None,
        }
    }

    /// Check lengths and values.
    pub fn validate(&self) -> Result<()> {
        if self.ln_x.len() != self.ln_l.len() {
            return Err(Error::new(format!(
                "run plot: {} ln X values for {} ln L values",
                self.ln_x.len(),
                self.ln_l.len()
            )));
        }
        if self.ln_x.len() < 2 {
            return Err(Error::new("run plot: needs at least two dead points"));
        }
        if let Some(i) = self.ln_x.iter().position(|v| !v.is_finite()) {
            return Err(Error::new(format!(
                "run plot: ln X of point {i} is not finite"
            )));
        }
        if let Some(i) = self
            .ln_l
            .iter()
            .position(|v| v.is_nan() || *v == f64::INFINITY)
        {
            return Err(Error::new(format!(
                "run plot: ln L of point {i} is NaN or +∞"
            )));
        }
        Ok(())
    }

    /// Posterior mass of each point, L_i·(X_{i−1} − X_i) with X_{−1} = 1, scaled to a maximum
    /// of one (ln X sorted decreasing as produced by the sampler).
    pub fn posterior_mass(&self) -> Vec<f64> {
        let n = self.ln_x.len();
        let mut ln_w = Vec::with_capacity(n);
        let mut prev = 0.0f64;
        for i in 0..n {
            let x_prev = prev.exp();
            let x = self.ln_x[i].exp();
            let dx = (x_prev - x).max(0.0);
            ln_w.push(if dx > 0.0 {
                self.ln_l[i] + dx.ln()
            } else {
                f64::NEG_INFINITY
            });
            prev = self.ln_x[i];
        }
        let m = ln_w.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        ln_w.iter()
            .map(|&v| if m.is_finite() { (v - m).exp() } else { 0.0 })
            .collect()
    }
}

impl Draw for RunFigure {
    fn default_size(&self) -> (u32, u32) {
        (760, 650)
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        self.validate()?;
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        let xr = auto_range(self.ln_x.iter().copied(), Scale::Linear, 0.02).unwrap_or((-1.0, 0.0));
        let yr = auto_range(self.ln_l.iter().copied(), Scale::Linear, 0.05).unwrap_or((0.0, 1.0));
        let label_w = Axis::linear(yr.0, yr.1)
            .label_width(canvas, 16.0, 6)
            .max(Axis::linear(0.0, 1.1).label_width(canvas, 16.0, 4));
        let left = left_margin(label_w, 20.0, 90.0);
        let (right, top, bottom) = (18.0, 14.0, 64.0);
        let ph = h - top - bottom;
        let upper = Panel {
            x0: left,
            y0: top,
            x1: w - right,
            y1: top + 0.62 * ph,
            x: Axis::linear(xr.0, xr.1),
            y: Axis::linear(yr.0, yr.1),
        };
        let lower = Panel {
            y0: upper.y1,
            y1: h - bottom,
            y: Axis::linear(0.0, 1.1),
            ..upper
        };
        let color = palette_color(0, None);
        let pts: Vec<P> = self
            .ln_x
            .iter()
            .zip(&self.ln_l)
            .filter_map(|(&x, &y)| upper.px(x, y))
            .collect();
        upper.draw_clipped(canvas, &pts, color, 1.0, 1.8)?;
        let mass = self.posterior_mass();
        let mpts: Vec<P> = self
            .ln_x
            .iter()
            .zip(&mass)
            .filter_map(|(&x, &m)| lower.px(x, m))
            .collect();
        let mut fill = mpts.clone();
        if let (Some(first), Some(last)) = (mpts.first(), mpts.last()) {
            fill.push((last.0, lower.y1));
            fill.push((first.0, lower.y1));
            canvas.polygon(&lower.clip_polygon(&fill), color, 0.25)?;
        }
        lower.draw_clipped(canvas, &mpts, color, 1.0, 1.5)?;
        let style = AxesStyle {
            x_tick_labels: false,
            tick_size: 16.0,
            ..AxesStyle::default()
        };
        upper.draw_axes(canvas, &style)?;
        let lstyle = AxesStyle {
            x_tick_labels: true,
            max_linear_ticks: 4,
            ..style
        };
        lower.draw_axes(canvas, &lstyle)?;
        let label_x = left - 19.0 - label_w;
        for (panel, label) in [(&upper, "ln L"), (&lower, "Posterior mass")] {
            canvas.text(
                label,
                (label_x, 0.5 * (panel.y0 + panel.y1)),
                20.0,
                HAlign::Center,
                VAlign::Bottom,
                true,
                BLACK,
            )?;
        }
        lower.draw_x_title(canvas, "ln X", 20.0, &lstyle)
    }
}

impl_render!(RunFigure);
