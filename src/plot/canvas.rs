//! Drawing primitives in logical pixels on a plotters drawing area (PNG or SVG).
//!
//! Figures are laid out in logical pixels (the requested image size). PNGs are drawn
//! super-sampled (`scale` = 2) and reduced afterwards, which anti-aliases lines, markers and
//! polygons; SVGs are drawn at scale 1. Text is positioned by its baseline with the metrics of
//! DejaVu Sans so that PNG and SVG place it alike.

use super::color::Rgb;
use super::fonts::FONT_FAMILY;
use super::tex::{Shift, TextRun};
use crate::error::{Error, Result};
use plotters::coord::Shift as ShiftCoord;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

/// A point in logical pixels.
pub(crate) type P = (f64, f64);

/// Horizontal anchor of a text (along the reading direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HAlign {
    Left,
    Center,
    Right,
}

/// Vertical anchor of a text (across the reading direction).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum VAlign {
    /// The given coordinate is the top of the capitals.
    Top,
    /// The given coordinate is the middle of the capitals / digits.
    Center,
    /// The given coordinate is the baseline.
    Baseline,
    /// The given coordinate is the bottom of the descenders.
    Bottom,
}

/// Cap height of DejaVu Sans in em.
const CAP: f64 = 0.729;
/// Descender depth of DejaVu Sans in em.
const DESCENT: f64 = 0.236;
/// Ascent + descent of DejaVu Sans in em: ab_glyph (and so plotters' bitmap text) scales
/// fonts by this height, so a plotters size of `1.164 × em` draws an em of `em` pixels.
const HEIGHT_EM: f64 = 1.164;
/// Size of sub/superscript runs relative to the main text.
const SCRIPT: f64 = 0.7;

/// Convert a plotters drawing error into the crate error.
pub(crate) fn draw_err<E: std::fmt::Display>(e: E) -> Error {
    Error::new(format!("drawing failed: {e}"))
}

/// A drawing area plus the logical → device pixel factor.
pub(crate) struct Canvas<'a, DB: DrawingBackend> {
    area: &'a DrawingArea<DB, ShiftCoord>,
    scale: f64,
    svg: bool,
}

fn rgba(c: Rgb, alpha: f64) -> RGBAColor {
    RGBColor(c.0, c.1, c.2).mix(alpha.clamp(0.0, 1.0))
}

impl<'a, DB: DrawingBackend> Canvas<'a, DB> {
    /// Wrap an area; `scale` device pixels per logical pixel; `svg` selects SVG text metrics.
    pub(crate) fn new(area: &'a DrawingArea<DB, ShiftCoord>, scale: f64, svg: bool) -> Self {
        Canvas { area, scale, svg }
    }

    fn dev(&self, p: P) -> (i32, i32) {
        (
            (p.0 * self.scale).round() as i32,
            (p.1 * self.scale).round() as i32,
        )
    }

    fn width_px(&self, w: f64) -> u32 {
        (w * self.scale).round().max(1.0) as u32
    }

    /// Fill the whole area.
    pub(crate) fn clear(&self, c: Rgb) -> Result<()> {
        self.area.fill(&RGBColor(c.0, c.1, c.2)).map_err(draw_err)
    }

    /// A polyline (at least two points).
    pub(crate) fn polyline(&self, pts: &[P], c: Rgb, alpha: f64, width: f64) -> Result<()> {
        if pts.len() < 2 {
            return Ok(());
        }
        let dev: Vec<(i32, i32)> = pts.iter().map(|&p| self.dev(p)).collect();
        let style = ShapeStyle {
            color: rgba(c, alpha),
            filled: false,
            stroke_width: self.width_px(width),
        };
        self.area
            .draw(&PathElement::new(dev, style))
            .map_err(draw_err)
    }

    /// A straight segment.
    pub(crate) fn segment(&self, a: P, b: P, c: Rgb, alpha: f64, width: f64) -> Result<()> {
        self.polyline(&[a, b], c, alpha, width)
    }

    /// A dashed straight segment (`dash` on, `gap` off, logical pixels).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn dashed(
        &self,
        a: P,
        b: P,
        c: Rgb,
        alpha: f64,
        width: f64,
        dash: f64,
        gap: f64,
    ) -> Result<()> {
        let len = ((b.0 - a.0).powi(2) + (b.1 - a.1).powi(2)).sqrt();
        if len <= 0.0 {
            return Ok(());
        }
        let (ux, uy) = ((b.0 - a.0) / len, (b.1 - a.1) / len);
        let mut t = 0.0;
        while t < len {
            let t1 = (t + dash).min(len);
            self.segment(
                (a.0 + ux * t, a.1 + uy * t),
                (a.0 + ux * t1, a.1 + uy * t1),
                c,
                alpha,
                width,
            )?;
            t += dash + gap;
        }
        Ok(())
    }

    /// A filled polygon.
    pub(crate) fn polygon(&self, pts: &[P], c: Rgb, alpha: f64) -> Result<()> {
        if pts.len() < 3 {
            return Ok(());
        }
        let dev: Vec<(i32, i32)> = pts.iter().map(|&p| self.dev(p)).collect();
        self.area
            .draw(&Polygon::new(dev, rgba(c, alpha).filled()))
            .map_err(draw_err)
    }

    /// A rectangle, filled or outlined (`width` for the outline).
    pub(crate) fn rect(
        &self,
        a: P,
        b: P,
        c: Rgb,
        alpha: f64,
        fill: bool,
        width: f64,
    ) -> Result<()> {
        let style = ShapeStyle {
            color: rgba(c, alpha),
            filled: fill,
            stroke_width: self.width_px(width),
        };
        self.area
            .draw(&Rectangle::new([self.dev(a), self.dev(b)], style))
            .map_err(draw_err)
    }

    /// A filled disc of radius `r` logical pixels.
    pub(crate) fn disc(&self, center: P, r: f64, c: Rgb, alpha: f64) -> Result<()> {
        let radius = (r * self.scale).round().max(1.0) as u32;
        self.area
            .draw(&Circle::new(
                self.dev(center),
                radius,
                rgba(c, alpha).filled(),
            ))
            .map_err(draw_err)
    }

    fn font(&self, size: f64, rotated: bool) -> FontDesc<'static> {
        // `size` is the em in logical pixels. The SVG backend writes font-size = size / 1.24;
        // the bitmap backend scales glyphs to ascent + descent = size.
        let device = if self.svg {
            size * self.scale * 1.24
        } else {
            size * self.scale * HEIGHT_EM
        };
        let font = FontDesc::new(FontFamily::Name(FONT_FAMILY), device, FontStyle::Normal);
        if rotated {
            font.transform(FontTransform::Rotate270)
        } else {
            font
        }
    }

    /// Advance width of `text` at `size`, in logical pixels.
    pub(crate) fn text_width(&self, text: &str, size: f64) -> f64 {
        if text.is_empty() {
            return 0.0;
        }
        let font = FontDesc::new(
            FontFamily::Name(FONT_FAMILY),
            size * self.scale * HEIGHT_EM,
            FontStyle::Normal,
        );
        match self.area.estimate_text_size(text, &TextStyle::from(font)) {
            Ok((w, _)) => f64::from(w) / self.scale,
            // Cannot happen with the embedded font; a rough estimate keeps layout going.
            Err(_) => 0.55 * size * text.chars().count() as f64,
        }
    }

    /// Width of a list of runs (sub/superscripts smaller).
    pub(crate) fn runs_width(&self, runs: &[TextRun], size: f64) -> f64 {
        runs.iter()
            .map(|r| {
                let s = if r.shift == Shift::Normal {
                    size
                } else {
                    size * SCRIPT
                };
                self.text_width(&r.text, s)
            })
            .sum()
    }

    /// Draw one text (em `size` logical pixels) anchored at `at`; `rotated` reads bottom to top.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn text(
        &self,
        text: &str,
        at: P,
        size: f64,
        h: HAlign,
        v: VAlign,
        rotated: bool,
        c: Rgb,
    ) -> Result<()> {
        if text.is_empty() {
            return Ok(());
        }
        let off = match v {
            VAlign::Top => CAP * size,
            VAlign::Center => 0.5 * CAP * size,
            VAlign::Baseline => 0.0,
            VAlign::Bottom => -DESCENT * size,
        };
        // Position of the baseline, then of the plotters "top" anchor.
        // SVG: dy = 0.76 em below the anchor; bitmap: half the plotters size.
        let to_anchor = if self.svg { 0.76 } else { 0.5 * HEIGHT_EM } * size;
        let hpos = match h {
            HAlign::Left => HPos::Left,
            HAlign::Center => HPos::Center,
            HAlign::Right => HPos::Right,
        };
        let at = if rotated {
            (at.0 + off - to_anchor, at.1)
        } else {
            (at.0, at.1 + off - to_anchor)
        };
        let color = RGBColor(c.0, c.1, c.2);
        let style = TextStyle::from(self.font(size, rotated))
            .color(&color)
            .pos(Pos::new(hpos, VPos::Top));
        self.area
            .draw_text(text, &style, self.dev(at))
            .map_err(draw_err)
    }

    /// Draw runs of a label (sub/superscripts smaller, lowered/raised).
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn runs(
        &self,
        runs: &[TextRun],
        at: P,
        size: f64,
        h: HAlign,
        v: VAlign,
        rotated: bool,
        c: Rgb,
    ) -> Result<()> {
        if runs.len() == 1 && runs[0].shift == Shift::Normal {
            return self.text(&runs[0].text, at, size, h, v, rotated, c);
        }
        let total = self.runs_width(runs, size);
        let start = match h {
            HAlign::Left => 0.0,
            HAlign::Center => -total / 2.0,
            HAlign::Right => -total,
        };
        let base = match v {
            VAlign::Top => CAP * size,
            VAlign::Center => 0.5 * CAP * size,
            VAlign::Baseline => 0.0,
            VAlign::Bottom => -DESCENT * size,
        };
        let mut along = start;
        for r in runs {
            let (s, shift) = match r.shift {
                Shift::Normal => (size, 0.0),
                Shift::Sub => (size * SCRIPT, 0.22 * size),
                Shift::Sup => (size * SCRIPT, -0.38 * size),
            };
            let across = base + shift;
            let p = if rotated {
                (at.0 + across, at.1 - along)
            } else {
                (at.0 + along, at.1 + across)
            };
            self.text(&r.text, p, s, HAlign::Left, VAlign::Baseline, rotated, c)?;
            along += self.text_width(&r.text, s);
        }
        Ok(())
    }
}
