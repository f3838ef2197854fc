//! Generic maximum-likelihood machinery, independent of the inference layer: MINUIT-style
//! MIGRAD / HESSE / MINOS on a statistic `f(θ)` (−2 ln L convention, errordef 1), a
//! Levenberg–Marquardt least-squares fitter on a residual vector, the limit transformation both
//! use, and the covariance-driven bootstrap sample (inference.md 5.3).

pub mod bootstrap;
pub mod bounds;
pub(crate) mod cost;
pub(crate) mod gradient;
pub mod hesse;
pub(crate) mod line_search;
pub mod lm;
pub mod migrad;
pub mod minos;
pub mod minuit;

pub use bootstrap::{bootstrap_sample, BootstrapOptions, BootstrapSample};
pub use bounds::{Limit, Transform};
pub use hesse::{hesse, HesseOptions, HesseResult};
pub use lm::{levenberg_marquardt, LmOptions, LmResult};
pub use migrad::{migrad, MigradOptions, MigradResult};
pub use minos::{minos, MinosError, MinosOptions, MinosResult, MinosSide};
pub use minuit::{minuit_fit, MinuitFit, MinuitOptions};

/// Rows of a matrix as nested vectors (for JSON output such as `"covar": [[…]]`).
pub fn matrix_rows(m: &nalgebra::DMatrix<f64>) -> Vec<Vec<f64>> {
    (0..m.nrows())
        .map(|i| (0..m.ncols()).map(|j| m[(i, j)]).collect())
        .collect()
}
