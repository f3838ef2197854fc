//! Spectral figures (plots.md §3–5): per data unit a data series, a model curve, an optional
//! posterior band and residuals, on log–log axes; a residual panel below when residuals exist.

use super::axes::{auto_range, draw_title, left_margin, AxesStyle, Axis, Panel, Scale};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{palette_color, Rgb, BLACK, GREY};
use super::legend::{draw_legend, legend_origin, legend_size, Entry, Glyph, MAX_INSIDE};
use super::output::{impl_render, Draw};
use super::series::{
    coverage_gaps, draw_band, draw_curve, draw_data, draw_residuals, Band, Curve, DataSeries,
    Residuals, BAND_ALPHA, MODEL_WIDTH,
};
use super::style::{SpectralStyle, ENERGY_LABEL, RESIDUAL_LABEL};
use crate::error::{Error, Result};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// Everything drawn for one data unit (all parts optional), in the unit's colour.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct UnitPlot {
    /// Legend label (the unit name).
    pub name: String,
    /// Data points with error bars.
    pub data: Option<DataSeries>,
    /// Model curve.
    pub model: Option<Curve>,
    /// Posterior band of the model.
    pub band: Option<Band>,
    /// Residuals for the lower panel.
    pub residuals: Option<Residuals>,
}

impl UnitPlot {
    /// An empty unit with a name.
    pub fn new(name: impl Into<String>) -> UnitPlot {
        UnitPlot {
            name: name.into(),
            ..UnitPlot::default()
        }
    }
}

/// A spectral figure: CC / CE / NE / Fv / vFv data of several units with model, bands and
/// residuals (plots.md §3, §4, §5).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SpectrumFigure {
    /// The y quantity (selects the y label).
    pub style: SpectralStyle,
    /// One entry per data unit, in palette order.
    pub units: Vec<UnitPlot>,
    /// Fixed y range of the top panel (default: 0.5 × min … 2 × max positive data value).
    pub y_range: Option<(f64, f64)>,
    /// Fixed x range (default: the bin edges with a 5 % log margin).
    pub x_range: Option<(f64, f64)>,
    /// Half-range of the residual panel in σ (default 3.5).
    pub res_range: f64,
    /// Colours replacing the palette (cycled).
    pub colors: Option<Vec<Rgb>>,
    /// Image size in pixels (default 720 × 840 with residuals, 760 × 650 without).
    pub size: Option<(u32, u32)>,
    /// Replaces the style's y label.
    pub y_label: Option<String>,
    /// Replaces the energy label of the x axis.
    pub x_label: Option<String>,
    /// A title above the plot.
    pub title: Option<String>,
}

/// Fallback y range when nothing positive can be shown.
const FALLBACK_Y: (f64, f64) = (1e-3, 1.0);
/// Fallback x range.
const FALLBACK_X: (f64, f64) = (1.0, 1e4);

impl SpectrumFigure {
    /// An empty figure of a style.
    pub fn new(style: SpectralStyle) -> SpectrumFigure {
        SpectrumFigure {
            style,
            units: Vec::new(),
            y_range: None,
            x_range: None,
            res_range: 3.5,
            colors: None,
            size: None,
            y_label: None,
            x_label: None,
            title: None,
        }
    }

    /// Append a unit (builder style).
    pub fn with_unit(mut self, unit: UnitPlot) -> SpectrumFigure {
        self.units.push(unit);
        self
    }

    /// Whether a residual panel is drawn (some unit has residuals).
    pub fn has_residual_panel(&self) -> bool {
        self.units.iter().any(|u| u.residuals.is_some())
    }

    /// Check every series and option; the error names the unit and array.
    pub fn validate(&self) -> Result<()> {
        for u in &self.units {
            let what = format!("unit '{}'", u.name);
            if let Some(d) = &u.data {
                d.validate(&format!("{what} data"))?;
            }
            if let Some(c) = &u.model {
                c.validate(&format!("{what} model"))?;
            }
            if let Some(b) = &u.band {
                b.validate(&format!("{what} band"))?;
            }
            if let Some(r) = &u.residuals {
                r.validate(&format!("{what} residuals"))?;
            }
        }
        if !(self.res_range.is_finite() && self.res_range > 0.0) {
            return Err(Error::new(format!(
                "res_range must be a positive number, got {}",
                self.res_range
            )));
        }
        check_range("y_range", self.y_range, true)?;
        check_range("x_range", self.x_range, true)
    }

    /// The y range of the top panel: the option, else 0.5 × the smallest positive data value
    /// to 2 × the largest (data values only, not errors or model); if no data value is positive,
    /// the same rule over model and band values; `None` if nothing is positive.
    pub fn auto_y_range(&self) -> Option<(f64, f64)> {
        if let Some(r) = self.y_range {
            return Some(r);
        }
        let data = self
            .units
            .iter()
            .filter_map(|u| u.data.as_ref())
            .flat_map(|d| d.y.iter().copied());
        let range = |it: &mut dyn Iterator<Item = f64>| {
            auto_range(it, Scale::Log, 0.0).map(|(lo, hi)| (0.5 * lo, 2.0 * hi))
        };
        range(&mut data.into_iter()).or_else(|| {
            let mut models = self.units.iter().flat_map(|u| {
                let m = u.model.iter().flat_map(|c| c.y.iter().copied());
                let b = u
                    .band
                    .iter()
                    .flat_map(|b| b.lo.iter().chain(b.hi.iter()).copied());
                m.chain(b).collect::<Vec<_>>()
            });
            range(&mut models)
        })
    }

    /// The x range: the option, else all bin edges / abscissae with a 5 % log margin.
    pub fn auto_x_range(&self) -> Option<(f64, f64)> {
        if let Some(r) = self.x_range {
            return Some(r);
        }
        let mut xs = Vec::new();
        for u in &self.units {
            if let Some(d) = &u.data {
                for k in 0..d.len() {
                    xs.push(d.x[k]);
                    if d.x_lo[k].is_finite() {
                        xs.push(d.x[k] - d.x_lo[k]);
                    }
                    if d.x_hi[k].is_finite() {
                        xs.push(d.x[k] + d.x_hi[k]);
                    }
                }
            }
            if let Some(c) = &u.model {
                xs.extend(&c.x);
            }
            if let Some(b) = &u.band {
                xs.extend(&b.x);
            }
        }
        auto_range(xs, Scale::Log, 0.05)
    }

    fn color(&self, i: usize) -> Rgb {
        palette_color(i, self.colors.as_deref())
    }

    fn legend_entries(&self) -> Vec<Entry> {
        self.units
            .iter()
            .enumerate()
            .filter(|(_, u)| !u.name.is_empty())
            .map(|(i, u)| Entry {
                glyph: if u.data.is_some() {
                    Glyph::Cross(self.color(i))
                } else {
                    Glyph::Line(self.color(i), MODEL_WIDTH, false)
                },
                label: u.name.clone(),
            })
            .collect()
    }
}

/// A range option must be finite, increasing and (for log axes) positive.
pub(crate) fn check_range(name: &str, r: Option<(f64, f64)>, log: bool) -> Result<()> {
    if let Some((lo, hi)) = r {
        if !(lo.is_finite() && hi.is_finite() && lo < hi) || (log && lo <= 0.0) {
            return Err(Error::new(format!(
                "{name} must be [lo, hi] with lo < hi{}, got [{lo}, {hi}]",
                if log { " and lo > 0 (log axis)" } else { "" }
            )));
        }
    }
    Ok(())
}

/// Font sizes of the spectral figures (logical pixels).
pub(crate) const LABEL_SIZE: f64 = 20.0;
pub(crate) const TICK_SIZE: f64 = 16.0;
pub(crate) const LEGEND_SIZE: f64 = 16.0;

impl Draw for SpectrumFigure {
    fn default_size(&self) -> (u32, u32) {
        if self.has_residual_panel() {
            (720, 840)
        } else {
            (760, 650)
        }
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        self.validate()?;
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        let entries = self.legend_entries();
        let outside = entries.len() > MAX_INSIDE;
        let legend_font = if outside { 12.0 } else { LEGEND_SIZE };
        let lsize = legend_size(canvas, &entries, legend_font);
        let right = if outside { lsize.0 + 24.0 } else { 18.0 };
        let title_h = draw_title(canvas, self.title.as_deref(), (0.0, w), 10.0)?;
        let (top, bottom) = (14.0 + title_h, 64.0);
        let residual = self.has_residual_panel();
        let plot_h = h - top - bottom;
        let top_h = if residual { 0.75 * plot_h } else { plot_h };

        let xr = self.auto_x_range().unwrap_or_else(|| {
            crate::notice::warn("no positive energies to plot; using a fixed x range");
            FALLBACK_X
        });
        let yr = self.auto_y_range().unwrap_or_else(|| {
            crate::notice::warn("no positive values to plot; using a fixed y range");
            FALLBACK_Y
        });
        let y_axis = Axis::log(yr.0, yr.1);
        let res_axis = Axis::linear(-self.res_range, self.res_range);
        let label_w = y_axis.label_width(canvas, TICK_SIZE, 6).max(if residual {
            res_axis.label_width(canvas, TICK_SIZE, 5)
        } else {
            0.0
        });
        let left = left_margin(label_w, LABEL_SIZE, 100.0);
        let main = Panel {
            x0: left,
            y0: top,
            x1: w - right,
            y1: top + top_h,
            x: Axis::log(xr.0, xr.1),
            y: y_axis,
        };

        let mut occupied: Vec<P> = Vec::new();
        // model lines and bands stop at the ranges the data leave out (ignored channels)
        let gaps: Vec<Vec<(f64, f64)>> = self
            .units
            .iter()
            .map(|u| u.data.as_ref().map(coverage_gaps).unwrap_or_default())
            .collect();
        for (i, u) in self.units.iter().enumerate() {
            if let Some(b) = &u.band {
                let b = b.broken_at(&gaps[i]);
                draw_band(canvas, &main, &b, self.color(i), BAND_ALPHA, &mut occupied)?;
            }
        }
        for (i, u) in self.units.iter().enumerate() {
            if let Some(d) = &u.data {
                draw_data(canvas, &main, d, self.color(i), &mut occupied)?;
            }
        }
        for (i, u) in self.units.iter().enumerate() {
            if let Some(c) = &u.model {
                draw_curve(
                    canvas,
                    &main,
                    &c.broken_at(&gaps[i]),
                    self.color(i),
                    MODEL_WIDTH,
                    false,
                    &mut occupied,
                )?;
            }
        }
        let style = AxesStyle {
            x_tick_labels: !residual,
            tick_size: TICK_SIZE,
            ..AxesStyle::default()
        };
        main.draw_axes(canvas, &style)?;
        let y_label = self
            .y_label
            .clone()
            .unwrap_or_else(|| self.style.y_label().to_string());
        let label_x = main.x0 - 7.0 - label_w - 12.0;
        canvas.text(
            &y_label,
            (label_x, 0.5 * (main.y0 + main.y1)),
            LABEL_SIZE,
            HAlign::Center,
            VAlign::Bottom,
            true,
            BLACK,
        )?;

        let x_axis_panel = if residual {
            let res = Panel {
                x0: main.x0,
                y0: main.y1,
                x1: main.x1,
                y1: h - bottom,
                x: main.x,
                y: res_axis,
            };
            if let (Some(a), Some(b)) = (res.px(xr.0, 0.0), res.px(xr.1, 0.0)) {
                canvas.dashed(a, b, GREY, 1.0, 1.2, 5.0, 3.0)?;
            }
            for (i, u) in self.units.iter().enumerate() {
                if let Some(r) = &u.residuals {
                    draw_residuals(canvas, &res, r, self.color(i))?;
                }
            }
            let rstyle = AxesStyle {
                tick_size: TICK_SIZE,
                max_linear_ticks: 5,
                ..AxesStyle::default()
            };
            res.draw_axes(canvas, &rstyle)?;
            canvas.text(
                RESIDUAL_LABEL,
                (label_x, 0.5 * (res.y0 + res.y1)),
                LABEL_SIZE,
                HAlign::Center,
                VAlign::Bottom,
                true,
                BLACK,
            )?;
            res
        } else {
            main
        };
        let x_label = self.x_label.as_deref().unwrap_or(ENERGY_LABEL);
        x_axis_panel.draw_x_title(canvas, x_label, LABEL_SIZE, &style)?;
        let at = legend_origin(&main, outside, lsize, &occupied);
        draw_legend(canvas, &entries, at, legend_font)
    }
}

impl_render!(SpectrumFigure);
