//! Detection significances of counts over a background (data.md §2.7.3): Li & Ma (1983) for a
//! Poisson background, Vianello (2018) for a Gaussian one. The grouping rules, the
//! upper-limit statistics and the limit calculators all use these two functions; each
//! statistic names its formula ([`SignificanceKind`], `Statistic::significance`).

/// Li & Ma (1983) eq. 17 significance of `n_on` counts against `n_off` background counts
/// scaled by `alpha` (Poisson source, Poisson background).
///
/// 0 when (`n_off` < 0 or `n_on` < 0) and `n_off` ≠ `n_on`; a 1e-25 offset avoids 0·ln 0;
/// the sign is + when `n_on` ≥ α·`n_off`.
pub fn li_ma(n_on: f64, n_off: f64, alpha: f64) -> f64 {
    if (n_off < 0.0 || n_on < 0.0) && n_off != n_on {
        return 0.0;
    }
    let n = n_on + 1e-25;
    let b = n_off + 1e-25;
    let total = n + b;
    let inner =
        n * ((1.0 + alpha) / alpha * (n / total)).ln() + b * ((1.0 + alpha) * (b / total)).ln();
    let z = (2.0 * inner).max(0.0).sqrt();
    if n_on >= alpha * n_off {
        z
    } else {
        -z
    }
}

/// Vianello (2018) significance of n counts over a Gaussian background b ± σ (Poisson
/// source, Gaussian background; both in source-region counts):
/// Z = sign(n − b)·√(2[n ln(n/B₀) + (b − B₀)²/(2σ²) + B₀ − n]) with the profiled background
/// B₀ = ½[(b − σ²) + √((b − σ²)² + 4nσ²)] (computed without cancellation). 0 when σ ≤ 0 (or
/// NaN) or n < 0; n = 0 gives the deficit's negative significance.
pub fn poisson_gaussian(n: f64, b: f64, sigma: f64) -> f64 {
    if sigma.is_nan() || sigma <= 0.0 || n < 0.0 || n.is_nan() {
        return 0.0;
    }
    let s2 = sigma * sigma;
    let k = b - s2;
    let root = (k * k + 4.0 * n * s2).sqrt();
    let b0 = if k >= 0.0 {
        0.5 * (k + root)
    } else {
        2.0 * n * s2 / (root - k)
    }
    .max(0.0);
    let log_term = if n == 0.0 { 0.0 } else { n * (n / b0).ln() };
    let inner = log_term + (b - b0) * (b - b0) / (2.0 * s2) + b0 - n;
    let z = (2.0 * inner).max(0.0).sqrt();
    if n > b {
        z
    } else if n < b {
        -z
    } else {
        0.0
    }
}

/// Which significance formula a statistic uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignificanceKind {
    /// Poisson source, Gaussian background (Vianello 2018): `pgstat`, `chi2`, `gstat`, `ULpgstat`.
    PoissonGauss,
    /// Poisson source and background, Li & Ma (1983) eq. 17: `cstat`, `ppstat`, `pstat`, `ULppstat`.
    LiMa,
}

impl SignificanceKind {
    /// Significance of a bin with source counts `s`, background counts `b`, background error
    /// `e` (counts) and scaling `alpha`, as the grouping rules compute it.
    pub fn of_bin(self, s: f64, b: f64, e: f64, alpha: f64) -> f64 {
        match self {
            SignificanceKind::PoissonGauss => {
                if s <= 0.0 || e == 0.0 {
                    0.0
                } else {
                    poisson_gaussian(s, alpha * b, alpha * e)
                }
            }
            SignificanceKind::LiMa => li_ma(s, b, alpha),
        }
    }
}
