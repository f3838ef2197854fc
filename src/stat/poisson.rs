//! The Poisson relative log-likelihood ℓP(k, μ) = ln Pois(k|μ) − ln Pois(k|k) (inference.md §3.2).

/// ℓP(k, μ) = k ln(μ/k) − μ + k, evaluated without cancellation; always ≤ 0.
///
/// −∞ when k or μ is NaN, infinite or negative, and when k > 0 with μ = 0; ℓP(0, μ) = −μ.
#[inline]
pub fn poisson_rel_loglike(k: f64, mu: f64) -> f64 {
    // `!(x >= 0)` also catches NaN.
    if !(k >= 0.0 && mu >= 0.0) || k == f64::INFINITY || mu == f64::INFINITY {
        return f64::NEG_INFINITY;
    }
    if k == 0.0 {
        return -mu;
    }
    if mu == 0.0 {
        return f64::NEG_INFINITY;
    }
    let delta = (mu - k) / k;
    if delta.abs() < 1e-4 {
        // −k(δ − ln(1+δ)) = −kδ²(1/2 − δ/3 + δ²/4 − δ³/5 + …)
        -k * delta * delta * (0.5 - delta * (1.0 / 3.0 - delta * (0.25 - delta * 0.2)))
    } else if mu <= 2.0 * k && 2.0 * mu >= k {
        -k * (delta - delta.ln_1p())
    } else {
        // Far apart: ln(μ/k) through the ratio min/max ≤ 1 (no overflow), falling back to the
        // difference of logs if that ratio underflows.
        let (small, large) = if mu < k { (mu, k) } else { (k, mu) };
        let ratio = small / large;
        let ln_small_over_large = if ratio > f64::MIN_POSITIVE {
            ratio.ln()
        } else {
            small.ln() - large.ln()
        };
        let ln_mu_over_k = if mu < k {
            ln_small_over_large
        } else {
            -ln_small_over_large
        };
        k * ln_mu_over_k - mu + k
    }
}
