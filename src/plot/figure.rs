//! [`Figure`]: any figure kind behind one type, for callers that hold "a plot".

use super::corner::CornerFigure;
use super::model_figure::ModelFigure;
use super::output::{self, RgbImage};
use super::qq::QqFigure;
use super::run::RunFigure;
use super::spectrum::SpectrumFigure;
use super::trace::TraceFigure;
use crate::error::Result;
use serde::Serialize;
use std::path::Path;

/// Any figure kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Figure {
    /// Data / model / residual spectra.
    Spectrum(SpectrumFigure),
    /// Model curves with bands.
    Model(ModelFigure),
    /// Posterior corner plot.
    Corner(CornerFigure),
    /// emcee walker chains.
    Trace(TraceFigure),
    /// Nested-sampling run.
    Run(RunFigure),
    /// Q-Q plot of a predictive check.
    Qq(QqFigure),
}

macro_rules! dispatch {
    ($self:ident, $f:ident => $e:expr) => {
        match $self {
            Figure::Spectrum($f) => $e,
            Figure::Model($f) => $e,
            Figure::Corner($f) => $e,
            Figure::Trace($f) => $e,
            Figure::Run($f) => $e,
            Figure::Qq($f) => $e,
        }
    };
}

impl Figure {
    /// Render to `path` (`.png` or `.svg`), atomically; a PNG at
    /// [`PNG_SCALE`](output::PNG_SCALE) × the figure's size.
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        self.save_scaled(path, output::PNG_SCALE)
    }

    /// Render to `path`, a PNG at `scale` × the figure's size (0.5 to 8; fonts and lines
    /// scale alike).
    pub fn save_scaled(&self, path: impl AsRef<Path>, scale: f64) -> Result<()> {
        let path = path.as_ref();
        dispatch!(self, f => output::save(f, path, scale))
    }

    /// Render to an SVG document.
    pub fn to_svg(&self) -> Result<String> {
        dispatch!(self, f => output::to_svg(f))
    }

    /// Render to RGB pixels.
    pub fn to_rgb(&self) -> Result<RgbImage> {
        dispatch!(self, f => output::to_rgb(f))
    }

    /// Pixel size the figure renders at.
    pub fn pixel_size(&self) -> (u32, u32) {
        dispatch!(self, f => f.pixel_size())
    }

    /// The figure's plotted arrays as JSON (what `fig.data` / `save_data` expose).
    pub fn to_json(&self) -> Result<String> {
        serde_json::to_string_pretty(self)
            .map_err(|e| crate::error::Error::new(format!("cannot serialise figure data: {e}")))
    }
}

/// An array in a figure's JSON as nested lists (a matrix as `[[…], […]]`, rows first), as
/// scripts read it.
pub(crate) fn serialize_nested<S: serde::Serializer, D: ndarray::Dimension>(
    a: &ndarray::Array<f64, D>,
    s: S,
) -> std::result::Result<S::Ok, S::Error> {
    Nested(a.view().into_dyn()).serialize(s)
}

/// One level of [`serialize_nested`].
struct Nested<'a>(ndarray::ArrayViewD<'a, f64>);

impl Serialize for Nested<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        use serde::ser::SerializeSeq;
        let a = &self.0;
        let mut seq = s.serialize_seq(Some(a.len_of(ndarray::Axis(0))))?;
        if a.ndim() <= 1 {
            for v in a.iter() {
                seq.serialize_element(v)?;
            }
        } else {
            for sub in a.outer_iter() {
                seq.serialize_element(&Nested(sub))?;
            }
        }
        seq.end()
    }
}

impl From<SpectrumFigure> for Figure {
    fn from(f: SpectrumFigure) -> Self {
        Figure::Spectrum(f)
    }
}
impl From<ModelFigure> for Figure {
    fn from(f: ModelFigure) -> Self {
        Figure::Model(f)
    }
}
impl From<CornerFigure> for Figure {
    fn from(f: CornerFigure) -> Self {
        Figure::Corner(f)
    }
}
impl From<TraceFigure> for Figure {
    fn from(f: TraceFigure) -> Self {
        Figure::Trace(f)
    }
}
impl From<RunFigure> for Figure {
    fn from(f: RunFigure) -> Self {
        Figure::Run(f)
    }
}
impl From<QqFigure> for Figure {
    fn from(f: QqFigure) -> Self {
        Figure::Qq(f)
    }
}
