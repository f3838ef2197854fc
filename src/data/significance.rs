//! Significance formulas used by the grouping rules (data.md 2.7.3).

use crate::error::{Error, Result};

/// Which significance formula a statistic uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignificanceKind {
    /// Poisson source, Gaussian background (Vianello 2018): `pgstat`, `chi2`, `gstat`, `ULpgstat`.
    PoissonGauss,
    /// Poisson source and background, Li & Ma (1983) eq. 17: `cstat`, `ppstat`, `pstat`, `ULppstat`.
    LiMa,
}

impl SignificanceKind {
    /// The formula for a statistic name.
    pub fn for_stat(stat: &str) -> Result<SignificanceKind> {
        match stat {
            "pgstat" | "chi2" | "gstat" | "ULpgstat" => Ok(SignificanceKind::PoissonGauss),
            "cstat" | "ppstat" | "pstat" | "ULppstat" => Ok(SignificanceKind::LiMa),
            _ => Err(Error::new(format!(
                "unsupported stat '{stat}' for significance"
            ))),
        }
    }

    /// Significance of a bin with source counts `s`, background counts `b`, background error
    /// `e` (counts) and scaling `alpha`, as the grouping rules compute it.
    pub fn of_bin(self, s: f64, b: f64, e: f64, alpha: f64) -> f64 {
        match self {
            SignificanceKind::PoissonGauss => {
                if s <= 0.0 || e == 0.0 {
                    0.0
                } else {
                    pg_significance(s, alpha * b, alpha * e)
                }
            }
            SignificanceKind::LiMa => lima_significance(s, b, alpha),
        }
    }
}

/// Poisson source `n` over a Gaussian background `b ± sigma` (both in source-region counts):
/// Z = sign(n − b)·√(2[n ln(n/B₀) + (b − B₀)²/(2σ²) + B₀ − n]) with the profiled B₀.
/// Returns 0 for `sigma <= 0`.
pub fn pg_significance(n: f64, b: f64, sigma: f64) -> f64 {
    if sigma.is_nan() || sigma <= 0.0 {
        return 0.0;
    }
    let s2 = sigma * sigma;
    let disc = b * b - 2.0 * b * s2 + 4.0 * n * s2 + s2 * s2;
    let b0 = (0.5 * (b - s2 + disc.max(0.0).sqrt())).max(0.0);
    let log_term = if n == 0.0 { 0.0 } else { n * (n / b0).ln() };
    let inner = 2.0 * (log_term + (b - b0) * (b - b0) / (2.0 * s2) + b0 - n);
    sign(n - b) * inner.max(0.0).sqrt()
}

/// Li & Ma (1983) eq. 17 for `n` on-counts, `b` off-counts and exposure ratio `alpha`.
pub fn lima_significance(n: f64, b: f64, alpha: f64) -> f64 {
    if (b < 0.0 || n < 0.0) && b != n {
        return 0.0;
    }
    let sgn = if n >= alpha * b { 1.0 } else { -1.0 };
    let (n1, b1) = (n + 1e-25, b + 1e-25);
    let inner = 2.0
        * (n1 * ((1.0 + alpha) / alpha * (n1 / (n1 + b1))).ln()
            + b1 * ((1.0 + alpha) * (b1 / (n1 + b1))).ln());
    sgn * inner.max(0.0).sqrt()
}

fn sign(x: f64) -> f64 {
    if x > 0.0 {
        1.0
    } else if x < 0.0 {
        -1.0
    } else {
        0.0
    }
}
