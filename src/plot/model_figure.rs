//! Model spectra on a user energy grid with optional posterior bands (plots.md §6).

use super::axes::{auto_range, draw_title, left_margin, AxesStyle, Axis, Panel, Scale};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{palette_color, Rgb, BLACK};
use super::legend::{draw_legend, legend_origin, legend_size, Entry, Glyph, MAX_INSIDE};
use super::output::{impl_render, Draw};
use super::series::{draw_band, draw_curve, Band, Curve, BAND_ALPHA};
use super::spectrum::{check_range, LABEL_SIZE, LEGEND_SIZE, TICK_SIZE};
use super::style::{SpectralStyle, ENERGY_LABEL};
use crate::error::{Error, Result};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// One model (or component) curve of a [`ModelFigure`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelEntry {
    /// Legend label (the model expression, e.g. `(cpl+bb)`); the band is labelled `<label> CI`.
    pub label: String,
    /// Energies (keV).
    pub x: Vec<f64>,
    /// Model values in the figure's style.
    pub y: Vec<f64>,
    /// Posterior credible band (pointwise quantiles), same abscissae.
    pub band: Option<Band>,
    /// Draw the line dashed (e.g. for components).
    pub dashed: bool,
}

impl ModelEntry {
    /// A curve without band.
    pub fn new(label: impl Into<String>, x: Vec<f64>, y: Vec<f64>) -> Result<ModelEntry> {
        let e = ModelEntry {
            label: label.into(),
            x,
            y,
            band: None,
            dashed: false,
        };
        e.validate()?;
        Ok(e)
    }

    /// Attach a band `lo ≤ y ≤ hi` at the entry's energies.
    pub fn with_band(mut self, lo: Vec<f64>, hi: Vec<f64>) -> Result<ModelEntry> {
        self.band = Some(Band::new(self.x.clone(), lo, hi)?);
        self.validate()?;
        Ok(self)
    }

    /// Check array lengths.
    pub fn validate(&self) -> Result<()> {
        if self.y.len() != self.x.len() {
            return Err(Error::new(format!(
                "model '{}': {} values for {} energies",
                self.label,
                self.y.len(),
                self.x.len()
            )));
        }
        if let Some(b) = &self.band {
            b.validate(&format!("model '{}' band", self.label))?;
        }
        Ok(())
    }
}

/// Model curves (one colour per entry, in order) with optional bands, log–log.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ModelFigure {
    /// NE, Fv, vFv or NoU (selects the y label).
    pub style: SpectralStyle,
    /// Curves in `add_model` order.
    pub entries: Vec<ModelEntry>,
    /// Fixed y range (default: see [`ModelFigure::auto_y_range`]).
    pub y_range: Option<(f64, f64)>,
    /// Colours replacing the palette (cycled).
    pub colors: Option<Vec<Rgb>>,
    /// Image size (default 760 × 650).
    pub size: Option<(u32, u32)>,
    /// Replaces the style's y label.
    pub y_label: Option<String>,
    /// Replaces the energy label of the x axis.
    pub x_label: Option<String>,
    /// A title above the plot.
    pub title: Option<String>,
}

impl ModelFigure {
    /// An empty figure.
    pub fn new(style: SpectralStyle) -> ModelFigure {
        ModelFigure {
            style,
            entries: Vec::new(),
            y_range: None,
            colors: None,
            size: None,
            y_label: None,
            x_label: None,
            title: None,
        }
    }

    /// Append an entry (builder style).
    pub fn with_entry(mut self, e: ModelEntry) -> ModelFigure {
        self.entries.push(e);
        self
    }

    /// The y range: the option; else over the positive finite values of every curve and band
    /// edge, [max × 10⁻⁶, 2 × max] when they span more than six decades, otherwise their range
    /// with a 5 % log margin. `None` when nothing is positive.
    pub fn auto_y_range(&self) -> Option<(f64, f64)> {
        if self.y_range.is_some() {
            return self.y_range;
        }
        let values = self.entries.iter().flat_map(|e| {
            let b = e
                .band
                .iter()
                .flat_map(|b| b.lo.iter().chain(b.hi.iter()).copied());
            e.y.iter().copied().chain(b).collect::<Vec<_>>()
        });
        let (lo, hi) = auto_range(values, Scale::Log, 0.0)?;
        if hi * 1e-6 > lo {
            Some((hi * 1e-6, 2.0 * hi))
        } else {
            auto_range([lo, hi], Scale::Log, 0.05)
        }
    }

    /// The x range: all energies with a 5 % log margin.
    pub fn auto_x_range(&self) -> Option<(f64, f64)> {
        auto_range(
            self.entries.iter().flat_map(|e| e.x.iter().copied()),
            Scale::Log,
            0.05,
        )
    }

    fn color(&self, i: usize) -> Rgb {
        palette_color(i, self.colors.as_deref())
    }
}

/// Width of model lines.
const LINE_WIDTH: f64 = 2.0;

impl Draw for ModelFigure {
    fn default_size(&self) -> (u32, u32) {
        (760, 650)
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        for e in &self.entries {
            e.validate()?;
        }
        check_range("yrange", self.y_range, true)?;
        let (w, h) = (f64::from(size.0), f64::from(size.1));
        let mut entries = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            let c = self.color(i);
            entries.push(Entry {
                glyph: Glyph::Line(c, LINE_WIDTH, e.dashed),
                label: e.label.clone(),
            });
            if e.band.is_some() {
                entries.push(Entry {
                    glyph: Glyph::Band(c, BAND_ALPHA),
                    label: format!("{} CI", e.label),
                });
            }
        }
        let outside = entries.len() > MAX_INSIDE;
        let legend_font = if outside { 12.0 } else { LEGEND_SIZE };
        let lsize = legend_size(canvas, &entries, legend_font);
        let right = if outside { lsize.0 + 24.0 } else { 18.0 };
        let xr = self.auto_x_range().unwrap_or_else(|| {
            crate::notice::warn("no positive energies in the model plot; using 1–10⁴ keV");
            (1.0, 1e4)
        });
        let yr = self.auto_y_range().unwrap_or_else(|| {
            crate::notice::warn("no positive model values to plot; using a fixed y range");
            (1e-3, 1.0)
        });
        let y_axis = Axis::log(yr.0, yr.1);
        let label_w = y_axis.label_width(canvas, TICK_SIZE, 6);
        let title_h = draw_title(canvas, self.title.as_deref(), (0.0, w), 10.0)?;
        let panel = Panel {
            x0: left_margin(label_w, LABEL_SIZE, 100.0),
            y0: 14.0 + title_h,
            x1: w - right,
            y1: h - 64.0,
            x: Axis::log(xr.0, xr.1),
            y: y_axis,
        };
        let mut occupied: Vec<P> = Vec::new();
        for (i, e) in self.entries.iter().enumerate() {
            if let Some(b) = &e.band {
                draw_band(canvas, &panel, b, self.color(i), BAND_ALPHA, &mut occupied)?;
            }
        }
        // Later entries first, so the first added (usually the total) stays on top.
        for (i, e) in self.entries.iter().enumerate().rev() {
            let curve = Curve {
                x: e.x.clone(),
                y: e.y.clone(),
                shape: super::series::CurveShape::Line,
            };
            draw_curve(
                canvas,
                &panel,
                &curve,
                self.color(i),
                LINE_WIDTH,
                e.dashed,
                &mut occupied,
            )?;
        }
        let style = AxesStyle {
            tick_size: TICK_SIZE,
            ..AxesStyle::default()
        };
        panel.draw_axes(canvas, &style)?;
        let y_label = self
            .y_label
            .clone()
            .unwrap_or_else(|| self.style.y_label().to_string());
        canvas.text(
            &y_label,
            (panel.x0 - 19.0 - label_w, 0.5 * (panel.y0 + panel.y1)),
            LABEL_SIZE,
            HAlign::Center,
            VAlign::Bottom,
            true,
            BLACK,
        )?;
        let x_label = self.x_label.as_deref().unwrap_or(ENERGY_LABEL);
        panel.draw_x_title(canvas, x_label, LABEL_SIZE, &style)?;
        let at = legend_origin(&panel, outside, lsize, &occupied);
        draw_legend(canvas, &entries, at, legend_font)
    }
}

impl_render!(ModelFigure);
