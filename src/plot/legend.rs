//! Legends: glyph + label rows in a framed box, placed in the panel corner that covers the
//! fewest plotted points (plots.md §9.3), or outside to the right when there are many rows.

use super::axes::Panel;
use super::canvas::{Canvas, HAlign, VAlign, P};
use super::color::{Rgb, BLACK, WHITE};
use crate::error::Result;
use plotters::prelude::DrawingBackend;

/// The small picture in front of a legend label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Glyph {
    /// Error-bar cross (data).
    Cross(Rgb),
    /// Line of a given width, solid or dashed.
    Line(Rgb, f64, bool),
    /// Filled rectangle at the given opacity (band).
    Band(Rgb, f64),
}

/// One legend row.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub glyph: Glyph,
    pub label: String,
}

/// Rows beyond which the legend goes outside the panel.
pub(crate) const MAX_INSIDE: usize = 8;
const GLYPH_W: f64 = 28.0;
const PAD: f64 = 7.0;
const GAP: f64 = 8.0;

/// Size of the legend box.
pub(crate) fn legend_size<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    entries: &[Entry],
    font: f64,
) -> (f64, f64) {
    let row = 1.45 * font;
    let rows = entries.len().min(40);
    let cols = entries.len().div_ceil(40).max(1);
    let text_w = entries
        .iter()
        .map(|e| canvas.text_width(&e.label, font))
        .fold(0.0, f64::max);
    let col_w = GLYPH_W + GAP + text_w;
    (
        2.0 * PAD + cols as f64 * col_w + (cols - 1) as f64 * GAP * 2.0,
        2.0 * PAD + rows as f64 * row - 0.3 * font,
    )
}

/// Where a legend of `size` goes: right of the panel when `outside`, otherwise the
/// [`best_corner`] inside it.
pub(crate) fn legend_origin(panel: &Panel, outside: bool, size: (f64, f64), occupied: &[P]) -> P {
    if outside {
        (panel.x1 + 12.0, panel.y0)
    } else {
        best_corner(panel, size, occupied)
    }
}

/// Choose the corner of `panel` whose legend box contains the fewest of `occupied`
/// (ties: upper right, upper left, lower left, lower right). Returns the top-left corner.
pub(crate) fn best_corner(panel: &Panel, size: (f64, f64), occupied: &[P]) -> P {
    let inset = 8.0;
    let candidates = [
        (panel.x1 - inset - size.0, panel.y0 + inset),
        (panel.x0 + inset, panel.y0 + inset),
        (panel.x0 + inset, panel.y1 - inset - size.1),
        (panel.x1 - inset - size.0, panel.y1 - inset - size.1),
    ];
    let mut best = candidates[0];
    let mut best_count = usize::MAX;
    for c in candidates {
        let count = occupied
            .iter()
            .filter(|p| {
                p.0 >= c.0 - 2.0
                    && p.0 <= c.0 + size.0 + 2.0
                    && p.1 >= c.1 - 2.0
                    && p.1 <= c.1 + size.1 + 2.0
            })
            .count();
        if count < best_count {
            best_count = count;
            best = c;
        }
    }
    best
}

/// Draw the legend box with its top-left corner at `at`.
pub(crate) fn draw_legend<DB: DrawingBackend>(
    canvas: &Canvas<DB>,
    entries: &[Entry],
    at: P,
    font: f64,
) -> Result<()> {
    if entries.is_empty() {
        return Ok(());
    }
    let size = legend_size(canvas, entries, font);
    canvas.rect(at, (at.0 + size.0, at.1 + size.1), WHITE, 0.85, true, 1.0)?;
    canvas.rect(
        at,
        (at.0 + size.0, at.1 + size.1),
        Rgb(0xCC, 0xCC, 0xCC),
        1.0,
        false,
        1.0,
    )?;
    let row = 1.45 * font;
    let text_w = entries
        .iter()
        .map(|e| canvas.text_width(&e.label, font))
        .fold(0.0, f64::max);
    let col_w = GLYPH_W + GAP + text_w;
    for (i, e) in entries.iter().enumerate() {
        let col = (i / 40) as f64;
        let r = (i % 40) as f64;
        let x = at.0 + PAD + col * (col_w + 2.0 * GAP);
        let yc = at.1 + PAD + r * row + 0.5 * font * 0.85;
        match e.glyph {
            Glyph::Cross(c) => {
                let h = 0.55 * font;
                canvas.segment((x + 2.0, yc), (x + GLYPH_W - 2.0, yc), c, 1.0, 1.0)?;
                canvas.segment(
                    (x + GLYPH_W / 2.0, yc - h),
                    (x + GLYPH_W / 2.0, yc + h),
                    c,
                    1.0,
                    1.0,
                )?;
            }
            Glyph::Line(c, w, dashed) => {
                if dashed {
                    canvas.dashed((x, yc), (x + GLYPH_W, yc), c, 1.0, w, 6.0, 3.0)?;
                } else {
                    canvas.segment((x, yc), (x + GLYPH_W, yc), c, 1.0, w)?;
                }
            }
            Glyph::Band(c, alpha) => {
                let h = 0.35 * font;
                canvas.rect((x, yc - h), (x + GLYPH_W, yc + h), c, alpha, true, 1.0)?;
            }
        }
        canvas.text(
            &e.label,
            (x + GLYPH_W + GAP, yc),
            font,
            HAlign::Left,
            VAlign::Center,
            false,
            BLACK,
        )?;
    }
    Ok(())
}

/// Sample points along a pixel polyline every ~`step` pixels (for legend placement).
pub(crate) fn densify(pts: &[P], step: f64, out: &mut Vec<P>) {
    if let Some(&first) = pts.first() {
        out.push(first);
    }
    for w in pts.windows(2) {
        let len = ((w[1].0 - w[0].0).powi(2) + (w[1].1 - w[0].1).powi(2)).sqrt();
        let n = (len / step).ceil().max(1.0) as usize;
        for k in 1..=n {
            let t = k as f64 / n as f64;
            out.push((
                w[0].0 + t * (w[1].0 - w[0].0),
                w[0].1 + t * (w[1].1 - w[0].1),
            ));
        }
    }
}
