//! The interface the samplers need from an inference: dimension, prior transform, log-prior,
//! log-likelihood and a start region.

/// A sampling problem over `ndim` free parameters.
///
/// Implementations must be thread-safe (`Sync`): the samplers call `loglike` and
/// `prior_transform` from several rayon threads at once. All methods are expected to be
/// allocation-free and pure (same input, same output).
pub trait Problem: Sync {
    /// Number of free parameters D.
    fn ndim(&self) -> usize;

    /// Map a point `u` of the unit cube [0, 1]^D to parameter values `theta` (the prior's
    /// quantile functions, free-parameter order).
    fn prior_transform(&self, u: &[f64], theta: &mut [f64]);

    /// Joint log-prior density at `theta` (−∞ outside the support).
    fn logprior(&self, theta: &[f64]) -> f64;

    /// Log-likelihood at `theta`; non-finite values are treated as "no likelihood" (log-zero).
    fn loglike(&self, theta: &[f64]) -> f64;

    /// For each free parameter a range (lo, hi) from which samplers may draw starting points
    /// (emcee without an explicit start vector draws its walkers uniformly from it).
    fn start_ranges(&self) -> Vec<(f64, f64)>;

    /// Why `loglike(theta)` is not finite, if the problem can tell (an error a user function
    /// raised, a model that is NaN, …), for the samplers' error messages. Default: `None`.
    fn explain(&self, _theta: &[f64]) -> Option<String> {
        None
    }
}

/// The compiled likelihood of an inference is a sampling problem.
impl Problem for crate::infer::Plan {
    fn ndim(&self) -> usize {
        crate::infer::Plan::ndim(self)
    }

    fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        crate::infer::Plan::prior_transform(self, u, theta)
    }

    fn logprior(&self, theta: &[f64]) -> f64 {
        crate::infer::Plan::logprior(self, theta)
    }

    fn loglike(&self, theta: &[f64]) -> f64 {
        crate::infer::Plan::loglike(self, theta)
    }

    fn start_ranges(&self) -> Vec<(f64, f64)> {
        self.ranges.clone()
    }

    fn explain(&self, theta: &[f64]) -> Option<String> {
        crate::infer::Plan::explain(self, theta)
    }
}
