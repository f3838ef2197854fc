//! Upper limits and detection thresholds of one unit's counts (data.md 3.7).
//!
//! * [`counts_upper_limit`]: the Bayesian upper limit on the net counts with a known background
//!   (Kraft, Burrows & Nousek 1991): with N observed counts and expected background μ_B, the
//!   posterior of the source counts s ≥ 0 under a flat prior is ∝ (s+μ_B)^N e^{−(s+μ_B)}, so
//!   the limit U solves P(N+1, U+μ_B) = cl·Q(N+1, μ_B) + P(N+1, μ_B), P and Q the regularised
//!   lower and upper incomplete gamma functions.
//! * [`counts_significance_limit`]: the net counts a spectrum needs to reach a given
//!   significance over its background, with the significance formula of the unit's statistic.

use crate::error::{Error, Result};
use crate::math::significance::SignificanceKind;
use crate::math::significance::{li_ma, poisson_gaussian};
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur};

/// The summed counts of one unit that the limits need (all fit bins together).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountTotals {
    /// N = Σ S_k, source counts.
    pub src: f64,
    /// Σ B_k, raw background counts.
    pub bkg: f64,
    /// Σ α_k B_k: background counts scaled to the source region.
    pub bkg_scaled: f64,
    /// √(Σ α_k² σB_k²): error of `bkg_scaled`.
    pub bkg_scaled_error: f64,
    /// α = Σ α_k B_k / Σ B_k (the mean scaling; the single α when all bins share it).
    pub alpha: f64,
}

fn lower_gamma(a: f64, x: f64) -> Result<f64> {
    if x <= 0.0 {
        return Ok(0.0);
    }
    checked_gamma_lr(a, x).map_err(|e| Error::new(format!("incomplete gamma P({a}, {x}): {e}")))
}

fn upper_gamma(a: f64, x: f64) -> Result<f64> {
    if x <= 0.0 {
        return Ok(1.0);
    }
    checked_gamma_ur(a, x).map_err(|e| Error::new(format!("incomplete gamma Q({a}, {x}): {e}")))
}

/// The x ≥ 0 with P(a, x) = p for 0 ≤ p < 1 (bisection refined to machine precision; P is
/// increasing in x).
fn inverse_lower_gamma(a: f64, p: f64) -> Result<f64> {
    if p <= 0.0 {
        return Ok(0.0);
    }
    let mut hi = a.max(1.0);
    while lower_gamma(a, hi)? < p {
        hi *= 2.0;
        if !hi.is_finite() {
            return Err(Error::new(format!(
                "inverse incomplete gamma: no x with P({a}, x) = {p}"
            )));
        }
    }
    let mut lo = 0.0;
    for _ in 0..200 {
        let mid = 0.5 * (lo + hi);
        if mid <= lo || mid >= hi {
            break;
        }
        if lower_gamma(a, mid)? < p {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Ok(0.5 * (lo + hi))
}

/// Bayesian upper limit on the net counts at credibility `cl` (0 < cl < 1) for `n` observed
/// counts over an expected background `mu_b` (both ≥ 0), data.md 3.7.
pub fn counts_upper_limit(n: f64, mu_b: f64, cl: f64) -> Result<f64> {
    if !(cl > 0.0 && cl < 1.0) {
        return Err(Error::new(format!(
            "upper limit: the credibility level cl = {cl} must lie strictly between 0 and 1"
        )));
    }
    if !(n.is_finite() && n >= 0.0) {
        return Err(Error::new(format!(
            "upper limit: the source counts N = {n} must be finite and ≥ 0"
        )));
    }
    if !(mu_b.is_finite() && mu_b >= 0.0) {
        return Err(Error::new(format!(
            "upper limit: the background counts μ_B = {mu_b} must be finite and ≥ 0"
        )));
    }
    let a = n + 1.0;
    let target = cl * upper_gamma(a, mu_b)? + lower_gamma(a, mu_b)?;
    if target >= 1.0 {
        return Err(Error::new(format!(
            "upper limit: the background μ_B = {mu_b} is so far above N = {n} that the limit is not representable"
        )));
    }
    Ok((inverse_lower_gamma(a, target)? - mu_b).max(0.0))
}

/// Brent's method for the root of `f` in `[a, b]` where `f(a)` and `f(b)` differ in sign.
fn brent(f: impl Fn(f64) -> f64, mut a: f64, mut b: f64) -> f64 {
    let (mut fa, mut fb) = (f(a), f(b));
    if fa.abs() < fb.abs() {
        std::mem::swap(&mut a, &mut b);
        std::mem::swap(&mut fa, &mut fb);
    }
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut bisected = true;
    for _ in 0..200 {
        if fb == 0.0 || (b - a).abs() <= 4.0 * f64::EPSILON * b.abs().max(1e-300) {
            break;
        }
        let mut s = if fa != fc && fb != fc {
            a * fb * fc / ((fa - fb) * (fa - fc))
                + b * fa * fc / ((fb - fa) * (fb - fc))
                + c * fa * fb / ((fc - fa) * (fc - fb))
        } else {
            b - fb * (b - a) / (fb - fa)
        };
        let lo = (3.0 * a + b) / 4.0;
        let outside = !((s > lo.min(b)) && (s < lo.max(b)));
        let slow = if bisected {
            (s - b).abs() >= (b - c).abs() / 2.0
        } else {
            (s - b).abs() >= (c - d).abs() / 2.0
        };
        if outside || slow {
            s = 0.5 * (a + b);
            bisected = true;
        } else {
            bisected = false;
        }
        let fs = f(s);
        d = c;
        c = b;
        fc = fb;
        if fa * fs < 0.0 {
            b = s;
            fb = fs;
        } else {
            a = s;
            fa = fs;
        }
        if fa.abs() < fb.abs() {
            std::mem::swap(&mut a, &mut b);
            std::mem::swap(&mut fa, &mut fb);
        }
    }
    b
}

/// Net counts needed for a detection at significance `sig` (finite, ≥ 0) with the formula of
/// `kind` (data.md 3.7): the root n ≥ zero point of Z(n) = sig, minus the zero point.
pub fn counts_significance_limit(
    kind: SignificanceKind,
    totals: &CountTotals,
    sig: f64,
) -> Result<f64> {
    if !(sig.is_finite() && sig >= 0.0) {
        return Err(Error::new(format!(
            "significance limit: sig = {sig} must be finite and ≥ 0"
        )));
    }
    let (zero, z): (f64, Box<dyn Fn(f64) -> f64>) = match kind {
        SignificanceKind::PoissonGauss => {
            let (b, s) = (totals.bkg_scaled, totals.bkg_scaled_error);
            if s.is_nan() || s <= 0.0 {
                return Err(Error::new(
                    "significance limit: the background error is zero, so the Poisson–Gauss significance (pgstat) is 0 for any counts; use a background with errors or cstat/ppstat",
                ));
            }
            (b, Box::new(move |n| poisson_gaussian(n, b, s)))
        }
        SignificanceKind::LiMa => {
            let (b, alpha) = (totals.bkg, totals.alpha);
            if !(alpha > 0.0 && alpha.is_finite()) {
                return Err(Error::new(format!(
                    "significance limit: the background scaling α = {alpha} must be finite and > 0"
                )));
            }
            (alpha * b, Box::new(move |n| li_ma(n, b, alpha)))
        }
    };
    if sig == 0.0 {
        return Ok(0.0);
    }
    let g = |n: f64| z(n) - sig;
    let lo = zero.max(0.0);
    let mut hi = lo + 1.0;
    while g(hi) < 0.0 {
        hi = lo + 2.0 * (hi - lo);
        if !hi.is_finite() || hi > 1e300 {
            return Err(Error::new(format!(
                "significance limit: no counts reach {sig} σ"
            )));
        }
    }
    let n = if g(lo) >= 0.0 { lo } else { brent(g, lo, hi) };
    Ok(n - zero)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_background_limits_are_poisson_limits() {
        // N = 0: U = −ln(1 − cl); N = 3, cl = 0.9: the classical 6.681.
        let u0 = counts_upper_limit(0.0, 0.0, 0.9).unwrap();
        assert!((u0 - 10f64.ln()).abs() < 1e-10, "{u0}");
        let u3 = counts_upper_limit(3.0, 0.0, 0.9).unwrap();
        assert!((u3 - 6.680783).abs() < 1e-5, "{u3}");
    }

    #[test]
    fn brent_finds_a_cubic_root() {
        let r = brent(|x| x * x * x - 2.0, 0.0, 2.0);
        assert!((r - 2f64.cbrt()).abs() < 1e-14);
    }

    #[test]
    fn bad_levels_are_errors() {
        assert!(counts_upper_limit(1.0, 0.0, 1.0).is_err());
        assert!(counts_upper_limit(1.0, f64::NAN, 0.9).is_err());
        let t = CountTotals {
            src: 0.0,
            bkg: 10.0,
            bkg_scaled: 10.0,
            bkg_scaled_error: 0.0,
            alpha: 1.0,
        };
        assert!(counts_significance_limit(SignificanceKind::PoissonGauss, &t, 3.0).is_err());
        assert!(counts_significance_limit(SignificanceKind::LiMa, &t, f64::INFINITY).is_err());
    }
}
