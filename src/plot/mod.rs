//! Figures: plain-data descriptions of every plot kind and their renderers to PNG / SVG
//! (plots.md). This layer knows nothing of data units, models or samplers: the layers above
//! fill the figure structs with arrays, then call `save`.
//!
//! Kinds: [`SpectrumFigure`] (CC/CE/NE/Fv/vFv data + model + band + residual panel),
//! [`ModelFigure`] (model curves with posterior bands), [`CornerFigure`] (posterior corner
//! plot), [`TraceFigure`] (emcee walkers), [`RunFigure`] (nested sampling ln L vs ln X),
//! [`QqFigure`] (Q-Q plot of a predictive check), and [`Figure`], an enum of them all. Every
//! kind has `save(path)` (format from the extension), `to_svg()`, `to_rgb()` and
//! `pixel_size()`. Text uses the embedded DejaVu Sans ([`init_fonts`]), never system fonts.

mod axes;
pub mod build;
mod canvas;
pub mod color;
pub mod contour;
pub mod corner;
pub mod density;
pub mod figure;
mod fonts;
mod legend;
pub mod model_figure;
pub mod output;
pub mod qq;
pub mod run;
pub mod series;
pub mod spectrum;
pub mod style;
pub mod tex;
pub mod ticks;
pub mod trace;

pub use color::{Rgb, PALETTE};
pub use corner::CornerFigure;
pub use figure::Figure;
pub use fonts::init_fonts;
pub use model_figure::{ModelEntry, ModelFigure};
pub use output::{ImageFormat, RgbImage, DPI, PNG_SCALE};
pub use qq::{QqFigure, QqUnit};
pub use run::RunFigure;
pub use series::{Band, Curve, CurveShape, DataSeries, Residuals};
pub use spectrum::{SpectrumFigure, UnitPlot};
pub use style::SpectralStyle;
pub use tex::{tex_runs, tex_to_unicode};
pub use trace::TraceFigure;
