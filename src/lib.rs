//! `bayspec`: Bayesian fitting of high-energy astrophysical spectra.
//!
//! Layers, bottom to top: [`fits`]/[`ogip`] file access → [`data`] (spectra, responses,
//! grouping, data units) → [`model`] (parameters, priors, components, algebra) → [`stat`]
//! (fit statistics) → [`infer`] (pairs, the compiled likelihood) → [`sample`] (nested
//! sampling, emcee, maximum likelihood) → [`analyze`] (posterior tables, information
//! criteria) → [`plot`]. [`script`] binds them to Rhai and holds the REPL.

#[macro_use]
mod simd;

pub mod error;
pub mod format;
pub mod math;
pub mod notice;
pub mod option_spec;

pub mod analyze;
pub mod data;
pub mod fits;
pub mod infer;
pub mod model;
pub mod ogip;
pub mod plot;
pub mod sample;
pub mod script;
pub mod stat;

pub use error::{Error, Result};
