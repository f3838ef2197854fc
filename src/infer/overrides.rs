//! User overrides of the prior transform, the log-prior and the log-likelihood
//! (inference.md §4.3). They replace the built-ins everywhere: samplers, posterior
//! analysis, the statistics table (one `custom` row of −2·loglike) and the minimisers
//! (cost −2·loglike; least squares is then unavailable).

use crate::error::Result;
use std::sync::Arc;

/// What a user log-likelihood returns: the pointwise vector (length `npoint`, enables WAIC)
/// or a scalar.
#[derive(Debug, Clone, PartialEq)]
pub enum LoglikeValue {
    /// One value per fit bin.
    Pointwise(Vec<f64>),
    /// The total only.
    Scalar(f64),
}

impl LoglikeValue {
    /// The total log-likelihood (−∞ when any entry is NaN).
    pub fn total(&self) -> f64 {
        let t = match self {
            LoglikeValue::Pointwise(v) => v.iter().sum(),
            LoglikeValue::Scalar(x) => *x,
        };
        if t.is_nan() {
            f64::NEG_INFINITY
        } else {
            t
        }
    }
}

/// θ → θ from the unit cube.
pub type TransformFn = Arc<dyn Fn(&[f64]) -> Result<Vec<f64>> + Send + Sync>;
/// θ → log-prior.
pub type LogpriorFn = Arc<dyn Fn(&[f64]) -> Result<f64> + Send + Sync>;
/// θ → log-likelihood (pointwise or scalar).
pub type LoglikeFn = Arc<dyn Fn(&[f64]) -> Result<LoglikeValue> + Send + Sync>;

/// The optional user functions of an inference.
#[derive(Clone, Default)]
pub struct Overrides {
    /// Replaces θ_i = ppf_i(u_i).
    pub prior_transform: Option<TransformFn>,
    /// Replaces Σ logpdf_i(θ_i).
    pub logprior: Option<LogpriorFn>,
    /// Replaces the statistics-based log-likelihood.
    pub loglike: Option<LoglikeFn>,
}

impl Overrides {
    /// Whether any override is set.
    pub fn any(&self) -> bool {
        self.prior_transform.is_some() || self.logprior.is_some() || self.loglike.is_some()
    }
}
