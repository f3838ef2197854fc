//! Nested-sampling run plots: ln L against ln X of the dead (and final live) points.

use crate::error::{Error, Result};
use crate::math::log_add_exp;
use crate::plot::run::RunFigure;
use crate::sample::nested::NestedResult;

/// Points whose ln L lies more than this below the maximum are left out of the run figure: they
/// carry no posterior mass, and the first prior draws (ln L ≈ −10²⁰ far out in the prior) would
/// otherwise squash the curve into one line.
pub const RUN_LNL_SPAN: f64 = 1000.0;

/// The run figure of a nested-sampling result: ln L of the weighted points (dead points, then
/// the final live points) against their ln X, from the first point whose ln L is within
/// [`RUN_LNL_SPAN`] of the maximum.
///
/// ln X is rebuilt from the prior-mass weights w (`weighted_lnw`) as the mass remaining after
/// the point plus half its own weight, X_k = Σ_{j>k} w_j + w_k / 2, so it is finite for the
/// last live point too and does not depend on the sampler's shrinkage convention.
pub fn run_figure(res: &NestedResult) -> Result<RunFigure> {
    let n = res.weighted_loglike.len();
    if res.weighted_lnw.len() != n {
        return Err(Error::new(format!(
            "run plot: {} prior-mass weights for {n} points",
            res.weighted_lnw.len()
        )));
    }
    if n < 2 {
        return Err(Error::new("run plot: the run has fewer than two points"));
    }
    let mut ln_x = vec![0.0; n];
    let mut tail = f64::NEG_INFINITY;
    for k in (0..n).rev() {
        let w = res.weighted_lnw[k];
        ln_x[k] = log_add_exp(tail, w - std::f64::consts::LN_2);
        tail = log_add_exp(tail, w);
    }
    let max = res
        .weighted_loglike
        .iter()
        .copied()
        .filter(|v| !v.is_nan())
        .fold(f64::NEG_INFINITY, f64::max);
    if !max.is_finite() {
        return Err(Error::new("run plot: no point has a finite ln L"));
    }
    let first = res
        .weighted_loglike
        .iter()
        .position(|&v| v >= max - RUN_LNL_SPAN)
        .unwrap_or(0)
        .min(n - 2);
    let fig = RunFigure::new(
        ln_x[first..].to_vec(),
        res.weighted_loglike[first..].to_vec(),
    );
    fig.validate()?;
    Ok(fig)
}
