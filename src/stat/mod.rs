//! Fit statistics (inference.md §3): per-bin kernels, the [`Statistic`] dispatcher, the
//! upper-limit variants, weights and degrees of freedom.
//!
//! Every statistic is the XSPEC-relative one: per bin a relative log-likelihood ℓ_i ≤ 0
//! (Poisson terms measured against the saturated model, Gaussian terms without
//! −½ ln 2πσ²), pointwise statistic c_i = −2ℓ_i, unit statistic C = Σ c_i and
//! `loglike = −C/2` (§3.11). The evaluation functions work on caller-provided slices and never
//! allocate.

pub mod chi2;
pub mod cstat;
pub mod inputs;
pub mod lanes;
pub mod normalisation;
pub mod pgstat;
pub mod poisson;
pub mod prepared_poisson;
pub mod pstat;
pub mod replicate;
pub mod statistic;
pub mod upper_limit;
pub mod weights;

pub use inputs::StatInputs;
pub use poisson::poisson_rel_loglike;
pub use statistic::{Statistic, DEFAULT_UL_SIGMA, STATISTIC_NAMES};
pub use weights::{check_weight, dof, loglike_from_stat, npoint, weight_values, weighted_stat};
