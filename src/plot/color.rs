//! Colours: the unit palette of plots.md §2.4 and the corner-plot colours.

use crate::error::{Error, Result};
use serde::Serialize;

/// An opaque sRGB colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    /// Parse `#RRGGBB` or `RRGGBB` (case-insensitive).
    pub fn from_hex(text: &str) -> Result<Rgb> {
        let hex = text.trim().trim_start_matches('#');
        let bad = || Error::new(format!("invalid colour '{text}': expected #RRGGBB"));
        if hex.len() != 6 || !hex.is_ascii() {
            return Err(bad());
        }
        let byte = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).map_err(|_| bad());
        Ok(Rgb(byte(0)?, byte(2)?, byte(4)?))
    }

    /// `#RRGGBB` text form.
    pub fn to_hex(self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.0, self.1, self.2)
    }

    /// Linear mix with white: `t = 0` gives white, `t = 1` this colour.
    pub fn towards_white(self, t: f64) -> Rgb {
        let t = t.clamp(0.0, 1.0);
        let m = |c: u8| (255.0 - (255.0 - f64::from(c)) * t).round() as u8;
        Rgb(m(self.0), m(self.1), m(self.2))
    }
}

/// The unit palette (plotly qualitative, then D3): index by data unit or model order.
pub const PALETTE: [Rgb; 20] = [
    Rgb(0x63, 0x6E, 0xFA),
    Rgb(0xEF, 0x55, 0x3B),
    Rgb(0x00, 0xCC, 0x96),
    Rgb(0xAB, 0x63, 0xFA),
    Rgb(0xFF, 0xA1, 0x5A),
    Rgb(0x19, 0xD3, 0xF3),
    Rgb(0xFF, 0x66, 0x92),
    Rgb(0xB6, 0xE8, 0x80),
    Rgb(0xFF, 0x97, 0xFF),
    Rgb(0xFE, 0xCB, 0x52),
    Rgb(0x1F, 0x77, 0xB4),
    Rgb(0xFF, 0x7F, 0x0E),
    Rgb(0x2C, 0xA0, 0x2C),
    Rgb(0xD6, 0x27, 0x28),
    Rgb(0x94, 0x67, 0xBD),
    Rgb(0x8C, 0x56, 0x4B),
    Rgb(0xE3, 0x77, 0xC2),
    Rgb(0x7F, 0x7F, 0x7F),
    Rgb(0xBC, 0xBD, 0x22),
    Rgb(0x17, 0xBE, 0xCF),
];

/// Corner-plot histogram / contour / density colour.
pub const CORNER_BLUE: Rgb = Rgb(0x08, 0x51, 0x9C);
/// Accent colour of the best-fit (`at_par`) marks.
pub const ACCENT_RED: Rgb = Rgb(0xE0, 0x10, 0x10);
/// Colour of truth marks in the corner plot.
pub const TRUTH_COLOR: Rgb = Rgb(0x2C, 0xA0, 0x2C);
/// Black.
pub const BLACK: Rgb = Rgb(0, 0, 0);
/// Grey for zero lines and legend frames.
pub const GREY: Rgb = Rgb(0x80, 0x80, 0x80);
/// White.
pub const WHITE: Rgb = Rgb(255, 255, 255);

/// Colour `i` of `custom` when given and non-empty, else of [`PALETTE`]; cycles past the end.
pub fn palette_color(i: usize, custom: Option<&[Rgb]>) -> Rgb {
    match custom {
        Some(c) if !c.is_empty() => c[i % c.len()],
        _ => PALETTE[i % PALETTE.len()],
    }
}
