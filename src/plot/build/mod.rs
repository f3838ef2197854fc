//! Builders that turn the analysis objects (data, pairs, inferences, posteriors, sampler
//! results) into the plain-data figures of this module (plots.md §2–8). One file per kind:
//! [`infer_figure`], [`pair_figure`], [`data_figure`], [`dataunit_figure`] (spectra),
//! [`model_figure`], [`corner_figure`], [`trace_figure`], [`run_figure`], [`ppc_figure`] and
//! [`qq_figure`] (predictive checks). Every builder leaves the model parameters as it found
//! them.

mod check;
mod corner;
mod draws;
mod model;
mod options;
mod run;
mod spectrum;
mod trace;

pub use check::{ppc_figure, qq_figure, residual_sigma, unit_title, PPC_Y_LABEL};
pub use corner::corner_figure;
pub use model::model_figure;
pub use options::{
    AtPar, CornerOptions, FigureText, ModelOptions, SpectrumOptions, BAND_MASS, MAX_DRAWS,
};
pub use run::{run_figure, RUN_LNL_SPAN};
pub use spectrum::{data_figure, dataunit_figure, infer_figure, pair_figure};
pub use trace::trace_figure;
