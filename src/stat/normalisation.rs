//! The per-bin normalisation the relative log-likelihood drops (inference.md §3.11).
//!
//! Adding these offsets to the pointwise relative log-likelihoods gives the fully normalised
//! log-likelihood: ln Pois(k|k) for every Poisson term and −½ ln(2πσ²) for every Gaussian term
//! (0 where σ = 0). They do not depend on the model, so they shift ln L and ln Z by a constant.

use statrs::function::gamma::ln_gamma;

/// ln Pois(k | k) = k ln k − k − ln Γ(k + 1) (0 for k = 0).
pub fn saturated_poisson_log(k: f64) -> f64 {
    if k == 0.0 {
        0.0
    } else {
        k * k.ln() - k - ln_gamma(k + 1.0)
    }
}

/// −½ ln(2πσ²), or 0 when σ = 0.
pub fn gaussian_log_norm(sigma: f64) -> f64 {
    if sigma > 0.0 {
        -0.5 * (2.0 * std::f64::consts::PI * sigma * sigma).ln()
    } else {
        0.0
    }
}
