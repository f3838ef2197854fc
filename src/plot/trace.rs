//! emcee walker chains per parameter vs step (plots.md §8.1).

use super::axes::{auto_range, left_margin, AxesStyle, Axis, Panel, Scale};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{ACCENT_RED, BLACK, GREY};
use super::output::{impl_render, Draw};
use super::tex::tex_runs;
use crate::error::{Error, Result};
use ndarray::{s, Array3};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// Walker chains of an emcee run: one panel per parameter, every walker a faint black line.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TraceFigure {
    /// The unflattened chain `[step, walker, parameter]`, burn-in included.
    #[serde(serialize_with = "super::figure::serialize_nested")]
    pub chain: Array3<f64>,
    /// Parameter labels (TeX-ish), one per parameter.
    pub labels: Vec<String>,
    /// Steps discarded as burn-in (a dashed vertical line marks the boundary).
    pub discard: Option<usize>,
    /// Optional reference value per parameter (e.g. best fit), drawn as a red line.
    pub marks: Option<Vec<f64>>,
    /// Image size (default 1000 × (170 × npar + 80)).
    pub size: Option<(u32, u32)>,
}

impl TraceFigure {
    /// A trace plot of `chain[[step, walker, parameter]]`.
    pub fn new(chain: Array3<f64>, labels: Vec<String>) -> TraceFigure {
        TraceFigure {
            chain,
            labels,
            discard: None,
            marks: None,
            size: None,
        }
    }

    /// Check the chain is a full steps × walkers × parameters block.
    pub fn validate(&self) -> Result<()> {
        let k = self.labels.len();
        if k == 0 {
            return Err(Error::new("walker plot: no parameters (labels is empty)"));
        }
        let (nstep, nw, nd) = self.chain.dim();
        if nstep == 0 {
            return Err(Error::new("walker plot: the chain has no steps"));
        }
        if nw == 0 {
            return Err(Error::new("walker plot: the chain has no walkers"));
        }
        if nd != k {
            return Err(Error::new(format!(
                "walker plot: the chain has {nd} values per walker for {k} parameters"
            )));
        }
        if let Some(m) = &self.marks {
            if m.len() != k {
                return Err(Error::new(format!(
                    "walker plot: marks has {} values for {k} parameters",
                    m.len()
                )));
            }
        }
        Ok(())
    }
}

impl Draw for TraceFigure {
    fn default_size(&self) -> (u32, u32) {
        (1000, 170 * self.labels.len().max(1) as u32 + 80)
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        self.validate()?;
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        let k = self.labels.len();
        let (nstep, nwalk, _) = self.chain.dim();
        let y_axes: Vec<Axis> = (0..k)
            .map(|p| {
                let values = self.chain.slice(s![.., .., p]).into_iter().copied();
                let (lo, hi) = auto_range(values, Scale::Linear, 0.05).unwrap_or((0.0, 1.0));
                Axis::linear(lo, hi)
            })
            .collect();
        let label_w = y_axes
            .iter()
            .map(|a| a.label_width(canvas, 15.0, 6))
            .fold(0.0, f64::max);
        let left = left_margin(label_w, 18.0, 90.0);
        let (right, top, bottom, gap) = (22.0, 12.0, 62.0, 12.0);
        let ph = (h - top - bottom - gap * (k as f64 - 1.0)) / k as f64;
        // Thin with a fixed stride when there are far more steps than pixels.
        let stride = (nstep as f64 / (2.0 * (w - left - right))).ceil().max(1.0) as usize;
        let x_hi = nstep.max(2) as f64;
        let mut style = AxesStyle {
            tick_size: 15.0,
            max_linear_ticks: 6,
            ..AxesStyle::default()
        };
        for p in 0..k {
            let y0 = top + p as f64 * (ph + gap);
            let panel = Panel {
                x0: left,
                y0,
                x1: w - right,
                y1: y0 + ph,
                x: Axis::linear(0.0, x_hi),
                y: y_axes[p],
            };
            for wk in 0..nwalk {
                let pts: Vec<P> = (0..nstep)
                    .step_by(stride)
                    .chain(std::iter::once(nstep - 1))
                    .filter_map(|s| panel.px(s as f64, self.chain[[s, wk, p]]))
                    .collect();
                panel.draw_clipped(canvas, &pts, BLACK, 0.3, 1.2)?;
            }
            if let Some(d) = self.discard.filter(|&d| d > 0 && d < nstep) {
                if let Some(x) = panel.px_x(d as f64) {
                    canvas.dashed((x, panel.y0), (x, panel.y1), GREY, 1.0, 1.5, 6.0, 4.0)?;
                }
            }
            if let Some(m) = &self.marks {
                if let Some(y) = panel.px_y(m[p]).filter(|_| panel.y.contains(m[p])) {
                    canvas.segment((panel.x0, y), (panel.x1, y), ACCENT_RED, 0.9, 1.2)?;
                }
            }
            style.x_tick_labels = p == k - 1;
            panel.draw_axes(canvas, &style)?;
            canvas.runs(
                &tex_runs(&self.labels[p]),
                (panel.x0 - 19.0 - label_w, 0.5 * (panel.y0 + panel.y1)),
                18.0,
                HAlign::Center,
                VAlign::Bottom,
                true,
                BLACK,
            )?;
            if p == k - 1 {
                canvas.text(
                    "step number",
                    (
                        0.5 * (panel.x0 + panel.x1),
                        panel.y1 + Panel::x_labels_depth(&style) + 8.0,
                    ),
                    18.0,
                    HAlign::Center,
                    VAlign::Top,
                    false,
                    BLACK,
                )?;
            }
        }
        Ok(())
    }
}

impl_render!(TraceFigure);
