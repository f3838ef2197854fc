//! The Poisson relative log-likelihood ℓP(k, μ) = ln Pois(k|μ) − ln Pois(k|k) (inference.md §3.2).

use crate::math::fast::{artanh_series, ln_normal};

/// ℓP(k, μ) = k ln(μ/k) − μ + k, evaluated without cancellation; always ≤ 0.
///
/// −∞ when k or μ is NaN, infinite or negative, and when k > 0 with μ = 0; ℓP(0, μ) = −μ.
#[inline]
pub fn poisson_rel_loglike(k: f64, mu: f64) -> f64 {
    if k > 0.0 && k < f64::INFINITY {
        return rel_loglike_positive_k(k, mu);
    }
    // `!(x >= 0)` also catches NaN.
    if !(k >= 0.0 && mu >= 0.0) || k == f64::INFINITY || mu == f64::INFINITY {
        return f64::NEG_INFINITY;
    }
    // k = 0
    -mu
}

/// ℓP(k, μ) for a finite k > 0 (the caller guarantees it): [`poisson_rel_loglike`] without
/// the tests on k. Every μ that is not a finite positive number (0, < 0, ∞, NaN) fails the
/// tests of the first two branches (|δ| < 10⁻⁴ and k/2 ≤ μ ≤ 2k), so the common cases pay
/// for no special-value test at all.
#[inline(always)]
pub(crate) fn rel_loglike_positive_k(k: f64, mu: f64) -> f64 {
    // δ = (μ − k)/k as (μ − k)·(1/k), so that a caller with 1/k at hand gets the same bits
    let diff = mu - k;
    let delta = diff * (1.0 / k);
    if delta.abs() < 1e-4 {
        // −k(δ − ln(1+δ)) = −kδ²(1/2 − δ/3 + δ²/4 − δ³/5 + …)
        -k * delta * delta * (0.5 - delta * (1.0 / 3.0 - delta * (0.25 - delta * 0.2)))
    } else if mu <= 2.0 * k && 2.0 * mu >= k {
        // μ − k is exact here (Sterbenz) and u = δ/(2 + δ) = (μ − k)/(μ + k)
        -k * delta_minus_ln_1p_u(delta, diff / (mu + k))
    } else if !(mu > 0.0 && mu < f64::INFINITY) {
        // μ = 0 with k > 0, μ < 0, μ = ∞ or NaN
        f64::NEG_INFINITY
    } else {
        // Far apart: ln(μ/k) through the ratio min/max ≤ 1 (no overflow), falling back to the
        // difference of logs if that ratio underflows.
        let (small, large) = if mu < k { (mu, k) } else { (k, mu) };
        let ratio = small / large;
        let ln_small_over_large = if ratio > f64::MIN_POSITIVE {
            ln_normal(ratio)
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

/// ℓP(k, μ) as [`poisson_rel_loglike`] computes it, branch-free so that a loop over bins
/// vectorises, given `inv_k` = 1/k: the same operations for k = 0 (−μ) and for k > 0 in its
/// Taylor, series and far-apart (logarithm of a normal ratio) cases; NaN where the general code
/// must decide (μ < 0, infinite or NaN, μ = 0 with k > 0, a ratio below the normal range).
/// `k` must be finite and ≥ 0.
#[inline(always)]
pub(crate) fn rel_loglike_lane(k: f64, inv_k: f64, mu: f64) -> f64 {
    let diff = mu - k;
    let delta = diff * inv_k;
    let taylor = -k * delta * delta * (0.5 - delta * (1.0 / 3.0 - delta * (0.25 - delta * 0.2)));
    let near = -k * delta_minus_ln_1p_u(delta, diff / (mu + k));
    let below = mu < k;
    let (small, large) = if below { (mu, k) } else { (k, mu) };
    let ratio = small / large;
    let ln_ratio = ln_normal(ratio);
    let ln_mu_over_k = if below { ln_ratio } else { -ln_ratio };
    let far = k * ln_mu_over_k - mu + k;
    let finite_mu = (0.0..f64::INFINITY).contains(&mu);
    let positive = if delta.abs() < 1e-4 {
        taylor
    } else if mu <= 2.0 * k && 2.0 * mu >= k {
        near
    } else if mu > 0.0 && finite_mu && ratio > f64::MIN_POSITIVE {
        far
    } else {
        f64::NAN
    };
    let zero = if finite_mu { -mu } else { f64::NAN };
    if k > 0.0 {
        positive
    } else {
        zero
    }
}

/// δ − ln(1 + δ) for −1/2 ≤ δ ≤ 1, to a few ulp and without cancellation.
///
/// With u = δ/(2 + δ) (|u| ≤ 1/3): ln(1 + δ) = 2 artanh u = 2(u + u³/3 + u⁵/5 + …) and
/// δ − 2u = uδ, so δ − ln(1 + δ) = uδ − 2u³ S(u²) with S(w) = Σ_{n≥0} wⁿ/(2n + 3). S is a
/// degree-9 polynomial in w = u² ≤ 1/9, near-minimax (Chebyshev interpolation on [0, 1/9]):
/// relative error 1.9×10⁻¹⁶, by Estrin's scheme. Both terms have the sign of δ² and the
/// second is at most a tenth of the first, so the result is accurate to a few ulp — closer
/// than δ − `ln_1p(δ)`, whose cancellation costs ≈ 2ε/|δ| relative — and it needs no call to
/// the C library.
#[inline(always)]
#[cfg(test)]
pub(crate) fn delta_minus_ln_1p(delta: f64) -> f64 {
    delta_minus_ln_1p_u(delta, delta / (2.0 + delta))
}

/// [`delta_minus_ln_1p`] given u = δ/(2 + δ) as well (computed by the caller, e.g. as
/// (μ − k)/(μ + k), which takes one division off the dependency chain).
#[inline(always)]
pub(crate) fn delta_minus_ln_1p_u(delta: f64, u: f64) -> f64 {
    let w = u * u;
    u * delta - 2.0 * (u * w) * artanh_series(w)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// δ − ln(1 + δ) by its Taylor series Σ_{n≥2} (−δ)ⁿ/n, for |δ| ≤ 0.05 (terms to n = 40).
    fn taylor(delta: f64) -> f64 {
        let mut sum = 0.0;
        let mut pow = delta;
        for n in 2..=40 {
            pow *= -delta;
            sum += pow / n as f64;
        }
        -sum
    }

    #[test]
    fn delta_minus_ln_1p_is_accurate_over_its_range() {
        let rel = |a: f64, b: f64| ((a - b) / b).abs();
        for i in 0..=3000 {
            let d = -0.5 + 1.5 * i as f64 / 3000.0;
            let got = delta_minus_ln_1p(d);
            if d.abs() <= 0.05 {
                if d != 0.0 {
                    assert!(
                        rel(got, taylor(d)) < 1e-14,
                        "δ = {d}: {got:e} vs {:e}",
                        taylor(d)
                    );
                } else {
                    assert_eq!(got, 0.0);
                }
            } else {
                // ln_1p is accurate here: the cancellation costs at most a factor 2/|δ| ≤ 40
                let want = d - d.ln_1p();
                assert!(rel(got, want) < 1e-14, "δ = {d}: {got:e} vs {want:e}");
            }
        }
        // the ends of the range and tiny arguments
        assert!(rel(delta_minus_ln_1p(1.0), 1.0 - std::f64::consts::LN_2) < 1e-15);
        assert!(rel(delta_minus_ln_1p(-0.5), std::f64::consts::LN_2 - 0.5) < 1e-15);
        for d in [1e-4, -1e-4, 1e-8, -1e-12] {
            assert!(rel(delta_minus_ln_1p(d), taylor(d)) < 1e-15, "δ = {d}");
        }
    }

    #[test]
    fn positive_k_path_equals_the_general_entry() {
        for &k in &[0.5, 1.0, 7.0, 1e3] {
            for &mu in &[
                0.0,
                1e-300,
                0.3,
                0.999 * k,
                k,
                1.00001 * k,
                1.7 * k,
                50.0 * k,
                1e300,
            ] {
                assert_eq!(
                    poisson_rel_loglike(k, mu).to_bits(),
                    rel_loglike_positive_k(k, mu).to_bits()
                );
            }
            for mu in [-1.0, f64::NAN, f64::INFINITY] {
                assert_eq!(rel_loglike_positive_k(k, mu), f64::NEG_INFINITY);
                assert_eq!(poisson_rel_loglike(k, mu), f64::NEG_INFINITY);
            }
        }
        assert_eq!(poisson_rel_loglike(0.0, 2.5), -2.5);
        assert_eq!(poisson_rel_loglike(0.0, f64::INFINITY), f64::NEG_INFINITY);
        assert_eq!(poisson_rel_loglike(-1.0, 2.5), f64::NEG_INFINITY);
        assert_eq!(poisson_rel_loglike(f64::INFINITY, 2.5), f64::NEG_INFINITY);
    }
}
