//! Aggregation over units: likelihood weights, `npoint`, `dof` (inference.md §3.10).

use crate::bail;
use crate::error::Result;

/// Check a unit's likelihood weight: finite and > 0 (data.md §2.2).
pub fn check_weight(weight: f64) -> Result<f64> {
    if !weight.is_finite() || weight <= 0.0 {
        bail!("unit weight must be a finite number > 0, got {weight}");
    }
    Ok(weight)
}

/// The weighted unit statistic w·C (what the totals sum; per-unit lists stay unweighted).
#[inline]
pub fn weighted_stat(stat: f64, weight: f64) -> f64 {
    weight * stat
}

/// Scale pointwise values by a unit weight in place: pointwise log-likelihoods and statistics
/// by `factor` = w, pseudo-residuals by `factor` = √w (so Σ r² stays Σ w·C).
pub fn weight_values(values: &mut [f64], factor: f64) {
    for v in values {
        *v *= factor;
    }
}

/// The log-likelihood of a statistic value: −stat/2 (always, §3.10).
#[inline]
pub fn loglike_from_stat(stat: f64) -> f64 {
    -0.5 * stat
}

/// Total number of fit bins over units (`npoint`).
pub fn npoint(bins_per_unit: &[usize]) -> usize {
    bins_per_unit.iter().sum()
}

/// Degrees of freedom `npoint − free parameters` (negative when over-parametrised).
pub fn dof(npoint: usize, n_free: usize) -> i64 {
    npoint as i64 - n_free as i64
}
