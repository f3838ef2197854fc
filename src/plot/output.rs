//! Rendering a figure to a PNG or SVG file (format from the extension), to an SVG string or to
//! an RGB pixel buffer. Files are written to a temporary sibling and renamed into place, so an
//! interrupted or failed save never leaves a half-written image.

use super::canvas::Canvas;
use super::color::WHITE;
use super::fonts::init_fonts;
use crate::error::{Error, Result};
use plotters::coord::Shift as ShiftCoord;
use plotters::prelude::*;
use std::path::{Path, PathBuf};

/// Resolution the default pixel sizes are designed for (matplotlib's 100 dpi reference).
pub const DPI: u32 = 100;
/// Super-sampling factor used for PNG output (anti-aliasing).
const SUPERSAMPLE: u32 = 2;
/// Default resolution factor of saved PNG files: the figure's size in pixels times this, with
/// fonts and lines scaled alike — print quality (200 dpi for the 100-dpi layouts).
pub const PNG_SCALE: f64 = 2.0;
/// Accepted resolution factors.
const SCALE_RANGE: (f64, f64) = (0.5, 8.0);
/// Largest accepted width or height.
const MAX_SIDE: u32 = 10_000;
/// Smallest accepted width or height.
const MIN_SIDE: u32 = 100;

/// Image file format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// Portable Network Graphics (raster, white opaque background).
    Png,
    /// Scalable Vector Graphics (text as `<text>` elements).
    Svg,
}

impl ImageFormat {
    /// The format named by a path's extension (`.png` / `.svg`, case-insensitive).
    pub fn from_path(path: &Path) -> Result<ImageFormat> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(|e| e.to_ascii_lowercase());
        match ext.as_deref() {
            Some("png") => Ok(ImageFormat::Png),
            Some("svg") => Ok(ImageFormat::Svg),
            _ => Err(Error::new(format!(
                "cannot save a figure to '{}': the file name must end in .png or .svg",
                path.display()
            ))),
        }
    }
}

/// A decoded RGB image (row-major, 3 bytes per pixel).
#[derive(Debug, Clone, PartialEq)]
pub struct RgbImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// `width × height × 3` bytes.
    pub pixels: Vec<u8>,
}

/// What every figure kind implements to be rendered.
pub(crate) trait Draw {
    /// Size used when the figure has no explicit size.
    fn default_size(&self) -> (u32, u32);
    /// The explicit size option, if any.
    fn size_option(&self) -> Option<(u32, u32)>;
    /// Draw the figure on a canvas of `size` logical pixels (background already white).
    fn draw<DB: DrawingBackend>(&self, canvas: &Canvas<DB>, size: (u32, u32)) -> Result<()>;
    /// A warning to show when the figure is saved (e.g. placeholder corner plot).
    fn warning(&self) -> Option<String> {
        None
    }
}

/// The size a figure renders at, validated.
pub(crate) fn figure_size<F: Draw>(fig: &F) -> Result<(u32, u32)> {
    let size = fig.size_option().unwrap_or_else(|| fig.default_size());
    if size.0 < MIN_SIDE || size.1 < MIN_SIDE || size.0 > MAX_SIDE || size.1 > MAX_SIDE {
        return Err(Error::new(format!(
            "invalid figure size {}×{}: width and height must be between {MIN_SIDE} and {MAX_SIDE} pixels",
            size.0, size.1
        )));
    }
    Ok(size)
}

fn draw_on<F: Draw, DB: DrawingBackend>(
    fig: &F,
    area: &DrawingArea<DB, ShiftCoord>,
    scale: f64,
    svg: bool,
    size: (u32, u32),
) -> Result<()> {
    let canvas = Canvas::new(area, scale, svg);
    canvas.clear(WHITE)?;
    fig.draw(&canvas, size)?;
    area.present().map_err(super::canvas::draw_err)
}

/// Render to an SVG document.
pub(crate) fn to_svg<F: Draw>(fig: &F) -> Result<String> {
    init_fonts();
    let size = figure_size(fig)?;
    let mut text = String::new();
    {
        let area = SVGBackend::with_string(&mut text, size).into_drawing_area();
        draw_on(fig, &area, 1.0, true, size)?;
    }
    Ok(text)
}

/// Render to RGB pixels at the figure's size (super-sampled, then reduced by box filtering).
pub(crate) fn to_rgb<F: Draw>(fig: &F) -> Result<RgbImage> {
    to_rgb_scaled(fig, 1.0)
}

/// Check a resolution factor.
fn check_scale(scale: f64) -> Result<()> {
    if !(scale.is_finite() && (SCALE_RANGE.0..=SCALE_RANGE.1).contains(&scale)) {
        return Err(Error::new(format!(
            "invalid figure scale {scale}: it must be between {} and {}",
            SCALE_RANGE.0, SCALE_RANGE.1
        )));
    }
    Ok(())
}

/// Render to RGB pixels at `scale` × the figure's size, everything (fonts, lines, markers)
/// scaled alike.
pub(crate) fn to_rgb_scaled<F: Draw>(fig: &F, scale: f64) -> Result<RgbImage> {
    init_fonts();
    check_scale(scale)?;
    let size = figure_size(fig)?;
    let out = (
        ((f64::from(size.0) * scale).round() as u32).max(1),
        ((f64::from(size.1) * scale).round() as u32).max(1),
    );
    let s = SUPERSAMPLE;
    let (bw, bh) = (out.0 * s, out.1 * s);
    let mut big = vec![255u8; (bw as usize) * (bh as usize) * 3];
    {
        let area = BitMapBackend::with_buffer(&mut big, (bw, bh)).into_drawing_area();
        draw_on(fig, &area, scale * f64::from(s), false, size)?;
    }
    let (w, h) = (out.0 as usize, out.1 as usize);
    let s = s as usize;
    let mut pixels = vec![0u8; w * h * 3];
    let norm = (s * s) as u32;
    for y in 0..h {
        for x in 0..w {
            for ch in 0..3 {
                let mut sum = 0u32;
                for dy in 0..s {
                    let row = (y * s + dy) * (w * s);
                    for dx in 0..s {
                        sum += u32::from(big[(row + x * s + dx) * 3 + ch]);
                    }
                }
                pixels[(y * w + x) * 3 + ch] = ((sum + norm / 2) / norm) as u8;
            }
        }
    }
    Ok(RgbImage {
        width: out.0,
        height: out.1,
        pixels,
    })
}

/// A temporary sibling of `path` keeping its extension (the PNG encoder picks the format from it).
fn temp_path(path: &Path, ext: &str) -> PathBuf {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "figure".into());
    path.with_file_name(format!(".{name}.{}.tmp.{ext}", std::process::id()))
}

/// Render and write to `path` (format from the extension); a PNG at `scale` × the figure's
/// size (SVG is drawn at the figure's size: it scales without loss).
pub(crate) fn save<F: Draw>(fig: &F, path: &Path, scale: f64) -> Result<()> {
    let format = ImageFormat::from_path(path)?;
    check_scale(scale)?;
    if let Some(w) = fig.warning() {
        crate::notice::warn(w);
    }
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(|e| {
            Error::new(format!(
                "cannot create the folder '{}' for figure '{}': {e}",
                dir.display(),
                path.display()
            ))
        })?;
    }
    let write_err =
        |e: String| Error::new(format!("cannot write figure '{}': {e}", path.display()));
    match format {
        ImageFormat::Svg => {
            let svg = to_svg(fig)?;
            let tmp = temp_path(path, "svg");
            if let Err(e) = std::fs::write(&tmp, svg) {
                let _ = std::fs::remove_file(&tmp);
                return Err(write_err(e.to_string()));
            }
            finish(&tmp, path).map_err(write_err)
        }
        ImageFormat::Png => {
            let img = to_rgb_scaled(fig, scale)?;
            let tmp = temp_path(path, "png");
            let written = (|| -> std::result::Result<(), String> {
                let mut backend = BitMapBackend::new(&tmp, (img.width, img.height));
                backend
                    .blit_bitmap((0, 0), (img.width, img.height), &img.pixels)
                    .map_err(|e| e.to_string())?;
                backend.present().map_err(|e| e.to_string())
            })();
            if let Err(e) = written {
                let _ = std::fs::remove_file(&tmp);
                return Err(write_err(e));
            }
            finish(&tmp, path).map_err(write_err)
        }
    }
}

fn finish(tmp: &Path, path: &Path) -> std::result::Result<(), String> {
    std::fs::rename(tmp, path).map_err(|e| {
        let _ = std::fs::remove_file(tmp);
        e.to_string()
    })
}

/// Give a figure type the public rendering methods.
macro_rules! impl_render {
    ($t:ty) => {
        impl $t {
            /// Render to `path`: PNG or SVG by the extension; parent folders are created and the
            /// file appears atomically (temporary file + rename). A PNG is written at
            /// [`PNG_SCALE`]($crate::plot::output::PNG_SCALE) × the figure's size.
            pub fn save(&self, path: impl AsRef<std::path::Path>) -> $crate::error::Result<()> {
                $crate::plot::output::save(self, path.as_ref(), $crate::plot::output::PNG_SCALE)
            }

            /// [`save`](Self::save) with a PNG at `scale` × the figure's size (0.5 to 8).
            pub fn save_scaled(
                &self,
                path: impl AsRef<std::path::Path>,
                scale: f64,
            ) -> $crate::error::Result<()> {
                $crate::plot::output::save(self, path.as_ref(), scale)
            }

            /// Render to an SVG document.
            pub fn to_svg(&self) -> $crate::error::Result<String> {
                $crate::plot::output::to_svg(self)
            }

            /// Render to RGB pixels (what the PNG contains).
            pub fn to_rgb(&self) -> $crate::error::Result<$crate::plot::output::RgbImage> {
                $crate::plot::output::to_rgb(self)
            }

            /// Pixel size the figure renders at (the `size` option or the kind's default).
            pub fn pixel_size(&self) -> (u32, u32) {
                use $crate::plot::output::Draw;
                self.size_option().unwrap_or_else(|| self.default_size())
            }
        }
    };
}
pub(crate) use impl_render;
