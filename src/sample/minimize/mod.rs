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
