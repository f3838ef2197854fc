//! `cstat` / `ppstat`: Poisson source and Poisson background with the background rate profiled
//! (inference.md §3.5; exactly XSPEC's W statistic).

use super::poisson::poisson_rel_loglike;

/// Maximum-likelihood background rate b ≥ 0 (in the source region) given the model rate m:
/// the non-negative root of A b² + β b + γ = 0 with A = t_s + t_b, β = A m − S − B, γ = −B m,
/// computed in the form that avoids cancellation.
#[inline]
pub fn profiled_background(s: f64, b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let a = ts + tb;
    let beta = a * m - s - b;
    let gamma = -b * m;
    let delta = (beta * beta - 4.0 * a * gamma).max(0.0).sqrt();
    if beta >= 0.0 {
        let den = beta + delta;
        if den == 0.0 {
            0.0
        } else {
            -2.0 * gamma / den
        }
    } else {
        (delta - beta) / (2.0 * a)
    }
}

/// Relative log-likelihood of one bin: ℓP(S, t_s(b + m)) + ℓP(B, t_b b) at the profiled b.
#[inline]
pub fn loglike_bin(s: f64, b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let bkg = profiled_background(s, b, ts, tb, m);
    poisson_rel_loglike(s, ts * (bkg + m)) + poisson_rel_loglike(b, tb * bkg)
}
