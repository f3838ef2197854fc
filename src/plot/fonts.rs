//! The embedded font: DejaVu Sans registered for every family plotters may ask for.
//!
//! A fresh machine has no system fonts; plotters is built with `ab_glyph` (no font-kit), so the
//! embedded TTF is the only font source. [`init_fonts`] must run before anything is drawn
//! (PNG and SVG alike: SVG output measures text); every entry point of this module calls it.

use plotters::style::{register_font, FontStyle};
use std::sync::Once;

static FONTS: Once = Once::new();

/// The font family name used for every text element of the figures.
pub const FONT_FAMILY: &str = "sans-serif";

/// Register DejaVu Sans (regular, bold, oblique) for "sans-serif", "serif" and "monospace"
/// once per process. Idempotent and cheap after the first call.
pub fn init_fonts() {
    FONTS.call_once(|| {
        let regular: &'static [u8] = dejavu::sans::regular();
        for family in ["sans-serif", "serif", "monospace"] {
            // `register_font` fails only for an unparsable font, which the embedded one is not;
            // its error type has no Debug, so the result is ignored deliberately.
            let _ = register_font(family, FontStyle::Normal, regular);
            let _ = register_font(family, FontStyle::Bold, dejavu::sans::bold());
            let _ = register_font(family, FontStyle::Italic, dejavu::sans::oblique());
            let _ = register_font(family, FontStyle::Oblique, dejavu::sans::oblique());
        }
    });
}
