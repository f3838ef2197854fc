//! Start positions for an ensemble sampler from a quick fit: MIGRAD on −2·(ln L + ln prior)
//! (the maximum-likelihood point for uniform priors) over the start ranges, then walkers drawn
//! from a normal distribution with the fit's covariance around the optimum, each kept inside
//! the prior. Walkers that start spread like the posterior need almost no burn-in, where a tiny
//! ball around arbitrary values can leave the ensemble biased for hundreds of steps.

use crate::error::{Error, Result};
use crate::sample::emcee::log_probability;
use crate::sample::minimize::migrad::{migrad, MigradOptions};
use crate::sample::rng::{stream, stream_rng};
use crate::sample::Problem;
use nalgebra::{Cholesky, DMatrix};
use rand::RngExt;
use rand_distr::StandardNormal;

/// Where the walkers start after a successful fit.
#[derive(Debug, Clone)]
pub struct FittedStart {
    /// Walker positions (W × D, flat).
    pub positions: Vec<f64>,
    /// The optimum.
    pub best: Vec<f64>,
    /// −2·log-probability at the optimum.
    pub fval: f64,
    /// Statistic calls of the fit.
    pub nfev: usize,
}

/// Fit from `x0` and draw `w` walkers around the optimum (see the module docs). Errors when the
/// fit fails or does not converge, or when no walker inside the prior can be drawn; the caller
/// falls back to another start.
pub fn fitted_start(problem: &dyn Problem, x0: &[f64], w: usize, seed: u64) -> Result<FittedStart> {
    let d = problem.ndim();
    let ranges = problem.start_ranges();
    if x0.len() != d || ranges.len() != d {
        return Err(Error::new(format!(
            "start fit: {} start values and {} ranges for {d} parameters",
            x0.len(),
            ranges.len()
        )));
    }
    let cost = |t: &[f64]| {
        let v = -2.0 * log_probability(problem, t);
        if v.is_finite() {
            v
        } else {
            1e100
        }
    };
    let opts = MigradOptions {
        errordef: 1.0,
        ..MigradOptions::default()
    };
    let fit = migrad(&cost, &ranges, x0, &opts)?;
    if !fit.converged || fit.fval >= 1e100 || !fit.fval.is_finite() {
        return Err(Error::new(format!(
            "the fit did not converge ({})",
            fit.messages.join("; ")
        )));
    }
    let cov = &fit.covariance;
    let l = match Cholesky::new(cov.clone()) {
        Some(c) => c.l(),
        None => DMatrix::from_fn(d, d, |i, j| {
            if i == j {
                cov[(i, i)].abs().sqrt()
            } else {
                0.0
            }
        }),
    };
    if l.iter().any(|v| !v.is_finite()) {
        return Err(Error::new("the fit's covariance is not finite"));
    }
    let mut rng = stream_rng(seed, stream::EMCEE_START, 1);
    let mut positions = Vec::with_capacity(w * d);
    let mut z = vec![0.0; d];
    let mut y = vec![0.0; d];
    for _ in 0..w {
        // the full covariance first; shrink the ball when draws keep leaving the prior
        let mut scale = 1.0;
        let mut placed = false;
        for attempt in 0..200 {
            if attempt > 0 && attempt % 20 == 0 {
                scale *= 0.5;
            }
            for v in z.iter_mut() {
                *v = rng.sample(StandardNormal);
            }
            for i in 0..d {
                y[i] = fit.x[i] + scale * (0..=i).map(|k| l[(i, k)] * z[k]).sum::<f64>();
            }
            if log_probability(problem, &y).is_finite() {
                placed = true;
                break;
            }
        }
        if !placed {
            // the optimum itself, nudged: every walker must be distinct
            for (yi, xi) in y.iter_mut().zip(&fit.x) {
                let step = 1e-6 * xi.abs().max(1e-6);
                *yi = xi + step * rng.random::<f64>();
            }
            if !log_probability(problem, &y).is_finite() {
                return Err(Error::new(
                    "no walker position inside the prior could be drawn around the optimum",
                ));
            }
        }
        positions.extend_from_slice(&y);
    }
    Ok(FittedStart {
        positions,
        best: fit.x,
        fval: fit.fval,
        nfev: fit.nfev,
    })
}
