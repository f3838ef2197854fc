//! Q-Q figures of predictive checks (BXA style): per data unit, the cumulative observed counts
//! against the cumulative expected counts, bins in energy order, on linear axes with the
//! diagonal y = x dashed. A model that describes the data stays close to the diagonal; a
//! systematic bend shows where in the spectrum (which part of the cumulative sum) it departs.

use super::axes::{left_margin, AxesStyle, Axis, Panel};
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{palette_color, Rgb, BLACK, GREY};
use super::legend::{best_corner, densify, draw_legend, legend_size, Entry, Glyph};
use super::output::{impl_render, Draw};
use super::series::{draw_band, draw_curve, Band, Curve, MODEL_WIDTH};
use crate::error::{Error, Result};
use plotters::prelude::DrawingBackend;
use serde::Serialize;

/// Label of the x axis of every Q-Q panel.
pub const QQ_X_LABEL: &str = "Expected counts (cumulative)";
/// Label of the y axis of every Q-Q panel.
pub const QQ_Y_LABEL: &str = "Observed counts (cumulative)";

/// One panel of a [`QqFigure`]: one data unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct QqUnit {
    /// Panel title, e.g. `nai (p = 0.61)`.
    pub name: String,
    /// Cumulative expected counts after each bin (bins in energy order; the curve starts at 0).
    pub expected: Vec<f64>,
    /// Cumulative observed counts after each bin, one per value of `expected`.
    pub observed: Vec<f64>,
    /// Optional range of the replicated cumulative counts, at abscissae `expected` (drawn as a
    /// light band; must be quantiles of the cumulative sums, not cumulated per-bin quantiles).
    pub band: Option<Band>,
}

impl QqUnit {
    /// A panel from cumulative expected and observed counts.
    pub fn new(name: impl Into<String>, expected: Vec<f64>, observed: Vec<f64>) -> Result<QqUnit> {
        let u = QqUnit {
            name: name.into(),
            expected,
            observed,
            band: None,
        };
        u.validate()?;
        Ok(u)
    }

    /// Check lengths (equal, at least one point) and that every value is finite.
    pub fn validate(&self) -> Result<()> {
        let what = format!("Q-Q unit '{}'", self.name);
        if self.expected.is_empty() {
            return Err(Error::new(format!("{what}: no bins")));
        }
        if self.observed.len() != self.expected.len() {
            return Err(Error::new(format!(
                "{what}: {} observed values for {} expected values",
                self.observed.len(),
                self.expected.len()
            )));
        }
        for (arr, name) in [(&self.expected, "expected"), (&self.observed, "observed")] {
            if let Some(k) = arr.iter().position(|v| !v.is_finite()) {
                return Err(Error::new(format!(
                    "{what}: {name} value {k} is not finite"
                )));
            }
        }
        if let Some(b) = &self.band {
            b.validate(&format!("{what} band"))?;
        }
        Ok(())
    }

    /// Upper end of the data: the largest of the expected, observed and band values (≥ 0).
    /// Both axes and the diagonal run from 0 to 1.03 × this.
    pub fn limit(&self) -> f64 {
        let band = self
            .band
            .iter()
            .flat_map(|b| b.hi.iter().chain(b.lo.iter()));
        self.expected
            .iter()
            .chain(&self.observed)
            .chain(band)
            .copied()
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max)
    }

    /// The curve drawn: the origin, then (expected, observed) after each bin.
    pub fn curve(&self) -> Result<Curve> {
        let x = std::iter::once(0.0).chain(self.expected.iter().copied());
        let y = std::iter::once(0.0).chain(self.observed.iter().copied());
        Curve::line(x.collect(), y.collect())
    }
}

/// Q-Q plots of several data units, one square panel each, laid out in rows of up to three.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QqFigure {
    /// One panel per data unit, in palette order.
    pub units: Vec<QqUnit>,
    /// Colours replacing the palette (cycled).
    pub colors: Option<Vec<Rgb>>,
    /// Image size in pixels (default 520 × 500 per panel).
    pub size: Option<(u32, u32)>,
}

/// Panel columns at most.
const MAX_COLUMNS: usize = 3;
/// Default cell size of one panel.
const CELL: (u32, u32) = (520, 500);
const LABEL_SIZE: f64 = 18.0;
const TICK_SIZE: f64 = 15.0;
const TITLE_SIZE: f64 = 18.0;
const LEGEND_SIZE: f64 = 14.0;
/// Opacity of the replicated band.
const QQ_BAND_ALPHA: f64 = 0.3;
/// Headroom above the largest value on both axes.
const HEADROOM: f64 = 1.03;

impl QqFigure {
    /// An empty figure.
    pub fn new() -> QqFigure {
        QqFigure {
            units: Vec::new(),
            colors: None,
            size: None,
        }
    }

    /// Append a unit (builder style).
    pub fn with_unit(mut self, unit: QqUnit) -> QqFigure {
        self.units.push(unit);
        self
    }

    /// Check every unit; a figure needs at least one.
    pub fn validate(&self) -> Result<()> {
        if self.units.is_empty() {
            return Err(Error::new("Q-Q plot: no data units"));
        }
        self.units.iter().try_for_each(QqUnit::validate)
    }

    /// Panel columns and rows: up to three panels per row.
    pub fn grid(&self) -> (usize, usize) {
        let n = self.units.len().max(1);
        let cols = n.min(MAX_COLUMNS);
        (cols, n.div_ceil(cols))
    }

    fn color(&self, i: usize) -> Rgb {
        palette_color(i, self.colors.as_deref())
    }
}

impl Default for QqFigure {
    fn default() -> Self {
        QqFigure::new()
    }
}

impl Draw for QqFigure {
    fn default_size(&self) -> (u32, u32) {
        let (cols, rows) = self.grid();
        (CELL.0 * cols as u32, CELL.1 * rows as u32)
    }

    fn size_option(&self) -> Option<(u32, u32)> {
        self.size
    }

    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()> {
        self.validate()?;
        let (cols, rows) = self.grid();
        let cell_w = f64::from(size.0) / cols as f64;
        let cell_h = f64::from(size.1) / rows as f64;
        for (i, u) in self.units.iter().enumerate() {
            let (cx, cy) = ((i % cols) as f64 * cell_w, (i / cols) as f64 * cell_h);
            draw_panel(canvas, u, self.color(i), (cx, cy, cell_w, cell_h))?;
        }
        Ok(())
    }
}

/// One unit's panel inside the cell (x, y, width, height).
fn draw_panel<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    u: &QqUnit,
    color: Rgb,
    cell: (f64, f64, f64, f64),
) -> Result<()> {
    let (cx, cy, cw, ch) = cell;
    let m = u.limit();
    let top = if m > 0.0 { HEADROOM * m } else { 1.0 };
    let axis = Axis::linear(0.0, top);
    let style = AxesStyle {
        tick_size: TICK_SIZE,
        max_linear_ticks: 5,
        ..AxesStyle::default()
    };
    let label_w = axis.label_width(canvas, TICK_SIZE, style.max_linear_ticks);
    let left = left_margin(label_w, LABEL_SIZE, 80.0);
    let (x0, y0) = (cx + left, cy + 12.0 + 1.6 * TITLE_SIZE);
    let (avail_w, avail_h) = (cw - left - 24.0, ch - (y0 - cy) - 62.0);
    // a square panel, so that the diagonal runs at 45°, centred in the free width
    let side = avail_w.min(avail_h).max(20.0);
    let x0 = x0 + 0.5 * (avail_w - side).max(0.0);
    let panel = Panel {
        x0,
        y0,
        x1: x0 + side,
        y1: y0 + side,
        x: axis,
        y: axis,
    };
    let mut occupied: Vec<P> = Vec::new();
    if let Some(b) = &u.band {
        draw_band(canvas, &panel, b, color, QQ_BAND_ALPHA, &mut occupied)?;
    }
    draw_curve(
        canvas,
        &panel,
        &u.curve()?,
        color,
        MODEL_WIDTH,
        false,
        &mut occupied,
    )?;
    // the diagonal over the curve, which usually hugs it
    if let (Some(a), Some(b)) = (panel.px(0.0, 0.0), panel.px(top, top)) {
        canvas.dashed(a, b, GREY, 1.0, 1.2, 6.0, 4.0)?;
        densify(&[a, b], 8.0, &mut occupied);
    }
    panel.draw_axes(canvas, &style)?;
    canvas.text(
        &u.name,
        (0.5 * (panel.x0 + panel.x1), panel.y0 - 10.0),
        TITLE_SIZE,
        HAlign::Center,
        VAlign::Bottom,
        false,
        BLACK,
    )?;
    canvas.text(
        QQ_Y_LABEL,
        (panel.x0 - 7.0 - label_w - 12.0, 0.5 * (panel.y0 + panel.y1)),
        LABEL_SIZE,
        HAlign::Center,
        VAlign::Bottom,
        true,
        BLACK,
    )?;
    panel.draw_x_title(canvas, QQ_X_LABEL, LABEL_SIZE, &style)?;
    let mut entries = vec![
        Entry {
            glyph: Glyph::Line(color, MODEL_WIDTH, false),
            label: "Observed".into(),
        },
        Entry {
            glyph: Glyph::Line(GREY, 1.2, true),
            label: "y = x".into(),
        },
    ];
    if u.band.is_some() {
        entries.push(Entry {
            glyph: Glyph::Band(color, QQ_BAND_ALPHA),
            label: "Replicated 95 %".into(),
        });
    }
    let lsize = legend_size(canvas, &entries, LEGEND_SIZE);
    let at = best_corner(&panel, lsize, &occupied);
    draw_legend(canvas, &entries, at, LEGEND_SIZE)
}

impl_render!(QqFigure);
