//! `pstat`: Poisson source, background ignored (inference.md §3.4; XSPEC `cstat` without
//! background).

use super::poisson::poisson_rel_loglike;

/// Relative log-likelihood of one bin: ℓP(S, t_s m).
#[inline]
pub fn loglike_bin(s: f64, ts: f64, m: f64) -> f64 {
    poisson_rel_loglike(s, ts * m)
}

/// S − t_s m, whose sign signs the `pstat` residual.
#[inline]
pub fn excess(s: f64, ts: f64, m: f64) -> f64 {
    s - ts * m
}
