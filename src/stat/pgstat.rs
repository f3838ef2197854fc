//! `pgstat`: Poisson source, Gaussian background with the background rate profiled
//! (inference.md §3.6, the 0.4.5 behaviour; branch 2 is XSPEC's `pgstat`).

use super::poisson::poisson_rel_loglike;

/// Relative log-likelihood of one bin.
///
/// With r = t_s/t_b, E = t_s m + rB, V = (rσ_B)²:
/// 1. S = 0, σ_B > 0, m ≥ 0: −E + V/2 if E > V, else the boundary optimum μ = 0,
///    −½((B + t_b m)/σ_B)²;
/// 2. S > 0, σ_B > 0, m ≥ 0: μ the positive root of μ² + (V − E)μ − SV = 0,
///    ℓP(S, μ) − z²/2 with z = (E − S)√V/(μ + V);
/// 3. otherwise (σ_B = 0, m < 0 or S < 0): the general quadratic for b.
#[inline]
pub fn loglike_bin(s: f64, b: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    if sigma_b > 0.0 && m >= 0.0 {
        let r = ts / tb;
        let e = ts * m + r * b;
        let rsb = r * sigma_b;
        let v = rsb * rsb;
        if s == 0.0 {
            return if e > v {
                -e + 0.5 * v
            } else {
                let z = (b + tb * m) / sigma_b;
                -0.5 * z * z
            };
        }
        if s > 0.0 {
            let kappa = v - e;
            // κ² + 4SV has no cancellation (both terms ≥ 0); counts are far from overflow.
            let delta = (kappa * kappa + 4.0 * s * v).sqrt();
            let mu = if kappa >= 0.0 {
                2.0 * s * v / (kappa + delta)
            } else {
                0.5 * (delta - kappa)
            };
            // √V = rσ_B.
            let z = (e - s) / (mu + v) * rsb;
            return poisson_rel_loglike(s, mu) - 0.5 * z * z;
        }
    }
    general_branch(s, b, sigma_b, ts, tb, m)
}

/// Branch 3: the background rate b from tb² b² + β b + γ = 0 with
/// β = t_s σ² − t_b B + t_b² m, γ = t_s σ² m − S σ² − t_b B m (σ = σ_B), taking the positive
/// root when there is one; the Gaussian term is dropped when σ = 0.
fn general_branch(s: f64, b: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let sig2 = sigma_b * sigma_b;
    let a = tb * tb;
    let beta = ts * sig2 - tb * b + a * m;
    let gamma = ts * sig2 * m - s * sig2 - tb * b * m;
    // Real roots exist for S ≥ 0; for S < 0 the Poisson term is −∞ anyway.
    let delta = (beta * beta - 4.0 * a * gamma).max(0.0).sqrt();
    let sign = if beta >= 0.0 { 1.0 } else { -1.0 };
    let q = -0.5 * (beta + sign * delta);
    let b1 = q / a;
    let b2 = if q != 0.0 { gamma / q } else { 0.0 };
    let bkg = if b1 > 0.0 { b1 } else { b2 };
    let mu = ts * (bkg + m);
    let mut loglike = poisson_rel_loglike(s, mu);
    if sigma_b > 0.0 {
        let z = (b - tb * bkg) / sigma_b;
        loglike -= 0.5 * z * z;
    }
    loglike
}
