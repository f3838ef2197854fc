//! Significance formulas used by the grouping rules (data.md 2.7.3).

use crate::error::{Error, Result};
use crate::math::significance::{li_ma, poisson_gaussian};

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
                    poisson_gaussian(s, alpha * b, alpha * e)
                }
            }
            SignificanceKind::LiMa => li_ma(s, b, alpha),
        }
    }
}
