//! Samplers and fitters: nested sampling (MultiNest algorithm), the affine-invariant ensemble
//! sampler (emcee) and the maximum-likelihood fitters (`minimize`). The samplers are written
//! against the small [`Problem`] trait so that they do not depend on how the likelihood is
//! built.
//!
//! Both samplers evaluate independent proposals in parallel (rayon) and draw every random
//! number from streams derived from the seed and a counter ([`rng`]), so a given seed gives the
//! same result whatever the number of threads.

pub mod autocorr;
pub mod burn_in;
pub mod draws;
pub mod emcee;
pub mod files;
pub mod fingerprint;
pub mod fit_start;
pub mod minimize;
pub mod nested;
pub mod problem;
pub mod progress;
pub mod rng;

pub use draws::{row_slices, Draws, SampledRun};
pub use fingerprint::Fingerprint;
pub use problem::Problem;
