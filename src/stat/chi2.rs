//! `chi2` / `gstat`: Gaussian source and background (inference.md §3.3).

/// Background scale r = t_s/t_b used by `chi2` (the background unscaled, r = 1, if t_b = 0).
#[inline]
pub fn background_ratio(ts: f64, tb: f64) -> f64 {
    if tb == 0.0 {
        1.0
    } else {
        ts / tb
    }
}

/// Relative log-likelihood of one bin: −δ²/(2σ²) with δ = S − rB − t_s m and
/// σ² = σ_S² + (rσ_B)²; for σ = 0 it is 0 when δ = 0 and −∞ otherwise.
#[inline]
pub fn loglike_bin(s: f64, b: f64, sigma_s: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let r = background_ratio(ts, tb);
    let delta = (s - r * b) - ts * m;
    let rsb = r * sigma_b;
    let var = sigma_s * sigma_s + rsb * rsb;
    if var > 0.0 {
        -0.5 * delta * delta / var
    } else if delta == 0.0 {
        0.0
    } else {
        f64::NEG_INFINITY
    }
}

/// The signed data-minus-model difference S − rB − t_s m whose sign signs the residual of
/// `chi2`, `cstat` and `pgstat`.
#[inline]
pub fn excess(s: f64, b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    (s - background_ratio(ts, tb) * b) - ts * m
}
