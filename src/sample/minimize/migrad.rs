//! MIGRAD: variable-metric (BFGS update of the inverse Hessian) minimisation of a statistic
//! with a numerical gradient, a line search, MINUIT's limit transformation and the MINUIT
//! convergence test EDM = ½·gᵀVg < 0.002·tol·errordef (inference.md 5.3.2: tol = 0.1 → 2·10⁻⁴).
//!
//! When the EDM test passes with the updated matrix, the full Hessian is computed by finite
//! differences and the test is repeated with it (the BFGS matrix can be poor); if it then
//! fails, iterations continue from the exact matrix. A run that does not converge is restarted
//! from its best point with a full-Hessian seed (`max_restarts` times), and further start
//! points can be given; the lowest converged minimum is returned.

use crate::sample::row_slices;
use nalgebra::DMatrix;
use ndarray::Array2;

use super::bounds::Transform;
use super::cost::{InternalCost, NON_FINITE_COST};
use super::gradient::{Gradient, EPS2};
use super::hesse::{default_error, edm, external_covariance, internal_hessian, InternalHessian};
use super::line_search::line_search;
use crate::bail;
use crate::error::Result;

/// Options of [`migrad`].
#[derive(Debug, Clone)]
pub struct MigradOptions {
    /// Rise of the statistic that defines one standard deviation (1 for −2 ln L or χ²).
    pub errordef: f64,
    /// Tolerance: converged when EDM < 0.002·tol·errordef (default 0.1).
    pub tol: f64,
    /// Budget of statistic calls per start point (restarts included); default 10 000.
    pub ncall: usize,
    /// Restarts (from the best point, with a full Hessian) when a run does not converge.
    pub max_restarts: usize,
    /// Rough external errors used to seed the step sizes (default: 1/10 of a finite range,
    /// else 10 % of |value|).
    pub initial_errors: Option<Vec<f64>>,
    /// Further start points (external) tried after the main one; the lowest converged
    /// minimum over all starts is returned.
    pub extra_starts: Array2<f64>,
}

impl Default for MigradOptions {
    fn default() -> Self {
        MigradOptions {
            errordef: 1.0,
            tol: 0.1,
            ncall: 10_000,
            max_restarts: 2,
            initial_errors: None,
            extra_starts: Array2::zeros((0, 0)),
        }
    }
}

impl MigradOptions {
    /// The EDM goal 0.002·tol·errordef.
    pub fn edm_goal(&self) -> f64 {
        0.002 * self.tol * self.errordef
    }
}

/// Result of [`migrad`].
#[derive(Debug, Clone)]
pub struct MigradResult {
    /// Best point (external coordinates).
    pub x: Vec<f64>,
    /// Statistic at `x`.
    pub fval: f64,
    /// Estimated distance to the minimum at `x`.
    pub edm: f64,
    /// The EDM goal used.
    pub edm_goal: f64,
    /// Whether the EDM test passed (with the finite-difference Hessian).
    pub converged: bool,
    /// Calls of the statistic (all starts and restarts).
    pub nfev: usize,
    /// Covariance 2·errordef·V (external) from the final metric V (the finite-difference
    /// inverse Hessian when converged); use [`super::hesse::hesse`] for the definitive one.
    pub covariance: DMatrix<f64>,
    /// √diag(covariance).
    pub errors: Vec<f64>,
    /// Index of the start point that gave the result (0 = `x0`, k = `extra_starts[k-1]`).
    pub start_index: usize,
    /// Restarts used for that start.
    pub restarts: usize,
    /// Notes on the run (failed starts, restarts, forced positive-definite matrices …).
    pub messages: Vec<String>,
}

/// How the metric of a run is seeded.
#[derive(Clone, Copy, PartialEq)]
enum Seed {
    /// diag(1/g₂) from the gradient (MINUIT strategy 1).
    Diagonal,
    /// The inverse finite-difference Hessian (used for restarts).
    FullHessian,
}

/// State at the end of one run.
struct Run {
    int: Vec<f64>,
    fval: f64,
    edm: f64,
    v: DMatrix<f64>,
    converged: bool,
    pos_def: bool,
    message: String,
}

/// Minimise `f` over the box `bounds` from `x0` (see the module docs). Errors for bad input
/// (lengths, NaN/reversed bounds, start outside the bounds, non-finite statistic at the start,
/// bad options); a run that does not converge is returned with `converged = false` and the
/// reason in `messages`.
pub fn migrad<F>(
    f: &F,
    bounds: &[(f64, f64)],
    x0: &[f64],
    opts: &MigradOptions,
) -> Result<MigradResult>
where
    F: Fn(&[f64]) -> f64,
{
    let transform = Transform::new(bounds)?;
    let n = transform.len();
    if n == 0 {
        bail!("MIGRAD: no parameters to fit");
    }
    if !(opts.errordef > 0.0 && opts.errordef.is_finite()) {
        bail!(
            "MIGRAD: errordef must be positive and finite, got {}",
            opts.errordef
        );
    }
    if !(opts.tol > 0.0 && opts.tol.is_finite()) {
        bail!("MIGRAD: tol must be positive and finite, got {}", opts.tol);
    }
    if opts.ncall < 10 * (n + 1) {
        bail!(
            "MIGRAD: call budget ncall = {} is too small for {n} parameters",
            opts.ncall
        );
    }
    if let Some(e) = &opts.initial_errors {
        if e.len() != n {
            bail!(
                "MIGRAD: {} initial errors given for {n} parameters",
                e.len()
            );
        }
    }
    transform.check_inside("MIGRAD start point", x0)?;
    let extra: Vec<&[f64]> = row_slices(&opts.extra_starts).collect();
    if !extra.is_empty() && opts.extra_starts.ncols() != n {
        bail!(
            "MIGRAD: the extra start points have {} values for {n} parameters",
            opts.extra_starts.ncols()
        );
    }
    for (k, s) in extra.iter().enumerate() {
        transform.check_inside(&format!("MIGRAD extra start point {}", k + 1), s)?;
    }
    let up = opts.errordef;
    let goal = opts.edm_goal();
    let fref: &dyn Fn(&[f64]) -> f64 = f;
    let mut cost = InternalCost::new(fref, &transform);
    let mut messages = Vec::new();
    // (fval, start index, restarts, run)
    let mut best: Option<(usize, usize, Run)> = None;
    let starts = std::iter::once(x0).chain(extra.iter().copied());
    for (k, start) in starts.enumerate() {
        let mut int = vec![0.0; n];
        transform.to_internal(start, &mut int);
        let f0 = cost.eval(&int);
        if f0 >= NON_FINITE_COST {
            if k == 0 && extra.is_empty() {
                bail!("MIGRAD: the statistic is not finite at the start point {start:?}");
            }
            messages.push(format!(
                "start {k}: statistic not finite at {start:?}; skipped"
            ));
            continue;
        }
        let steps: Vec<f64> = (0..n)
            .map(|i| {
                let err = match &opts.initial_errors {
                    Some(e) if e[i].is_finite() && e[i] > 0.0 => e[i],
                    _ => default_error(bounds[i], start[i]),
                };
                transform.internal_step(i, int[i], err)
            })
            .collect();
        let cap = cost.nfev + opts.ncall;
        let mut run = run_once(&mut cost, int, f0, &steps, up, goal, cap, Seed::Diagonal);
        let mut restarts = 0;
        while !run.converged && restarts < opts.max_restarts && cost.nfev + 10 * n < cap {
            messages.push(format!(
                "start {k}: run did not converge ({}); restarting from its best point with a \
                 full Hessian",
                run.message
            ));
            restarts += 1;
            let f_here = run.fval;
            run = run_once(
                &mut cost,
                run.int,
                f_here,
                &steps,
                up,
                goal,
                cap,
                Seed::FullHessian,
            );
        }
        if !run.converged {
            messages.push(format!("start {k}: did not converge: {}", run.message));
        }
        let better = match &best {
            None => true,
            Some((_, _, b)) => {
                (run.converged && !b.converged)
                    || (run.converged == b.converged && run.fval < b.fval)
            }
        };
        if better {
            best = Some((k, restarts, run));
        }
    }
    let Some((start_index, restarts, run)) = best else {
        bail!("MIGRAD: the statistic is not finite at any start point");
    };
    if !run.pos_def {
        messages.push(
            "the matrix of second derivatives at the minimum is not positive definite; it was \
             forced positive definite"
                .to_string(),
        );
    }
    let covariance = external_covariance(&transform, &run.int, &run.v, up);
    let errors = (0..n).map(|i| covariance[(i, i)].max(0.0).sqrt()).collect();
    let mut x = vec![0.0; n];
    transform.to_external(&run.int, &mut x);
    Ok(MigradResult {
        x,
        fval: run.fval,
        edm: run.edm,
        edm_goal: goal,
        converged: run.converged,
        nfev: cost.nfev,
        covariance,
        errors,
        start_index,
        restarts,
        messages,
    })
}

/// diag(1/g₂) with a fallback for non-positive or tiny curvatures.
fn diagonal_metric(grad: &Gradient, up: f64) -> DMatrix<f64> {
    let n = grad.g2.len();
    let mut v = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        let g2 = grad.g2[i];
        v[(i, i)] = if g2 > EPS2 && g2.is_finite() {
            1.0 / g2
        } else if g2.abs() > EPS2 && g2.is_finite() {
            1.0 / g2.abs()
        } else {
            let s = grad.step[i].max(1e-8);
            s * s / (2.0 * up)
        };
    }
    v
}

/// Starting steps for the finite-difference Hessian: where the sag ½g₂d² reaches the HESSE
/// target √eps2·(|f|+up), from the gradient's g₂ (else the gradient steps).
fn hessian_steps(grad: &Gradient, fx: f64, up: f64) -> Vec<f64> {
    let aimsag = EPS2.sqrt() * (fx.abs() + up);
    grad.g2
        .iter()
        .zip(&grad.step)
        .map(|(&g2, &st)| {
            if g2.is_finite() && g2.abs() > EPS2 {
                (2.0 * aimsag / g2.abs()).sqrt()
            } else {
                st
            }
        })
        .collect()
}

/// The finite-difference Hessian at internal `x` (value `fx`), from [`hessian_steps`].
fn hessian_at(
    cost: &mut InternalCost<'_>,
    x: &mut [f64],
    fx: f64,
    up: f64,
    grad: &Gradient,
) -> Result<InternalHessian> {
    internal_hessian(cost, x, fx, up, &hessian_steps(grad, fx, up), 5)
}

/// Reseed the metric `v` from the Hessian at `x`: its positive definiteness, or `None` (and
/// the diagonal metric) when the Hessian fails.
fn reseed(
    cost: &mut InternalCost<'_>,
    x: &mut [f64],
    fx: f64,
    up: f64,
    grad: &Gradient,
    v: &mut DMatrix<f64>,
) -> Option<bool> {
    match hessian_at(cost, x, fx, up, grad) {
        Ok(ih) => {
            *v = ih.inverse;
            Some(ih.pos_def)
        }
        Err(_) => {
            *v = diagonal_metric(grad, up);
            None
        }
    }
}

/// One variable-metric run from internal `x` (value `fx`) until convergence, failure or the
/// absolute call cap.
#[allow(clippy::too_many_arguments)]
fn run_once(
    cost: &mut InternalCost<'_>,
    mut x: Vec<f64>,
    mut fx: f64,
    steps: &[f64],
    up: f64,
    goal: f64,
    cap: usize,
    seed: Seed,
) -> Run {
    let n = x.len();
    let mut grad = Gradient::seed(steps, up);
    grad.update(cost, &mut x, fx, up);
    let mut pos_def = true;
    let mut v = diagonal_metric(&grad, up);
    if seed == Seed::FullHessian {
        if let Some(pd) = reseed(cost, &mut x, fx, up, &grad, &mut v) {
            pos_def = pd;
        }
    }
    let mut e = edm(&grad.g, &v);
    let mut hesse_checks = 0;
    let mut verified = false;
    let mut dir = vec![0.0; n];
    let mut trial = vec![0.0; n];
    let mut failed_searches = 0;
    let finish = |x: Vec<f64>, fx, e, v, converged, pos_def, message: &str| Run {
        int: x,
        fval: fx,
        edm: e,
        v,
        converged,
        pos_def,
        message: message.to_string(),
    };
    loop {
        if e.is_finite() && e >= 0.0 && e < goal {
            if verified {
                return finish(x, fx, e, v, true, pos_def, "converged");
            }
            // verify with the finite-difference Hessian
            hesse_checks += 1;
            match hessian_at(cost, &mut x, fx, up, &grad) {
                Ok(ih) => {
                    v = ih.inverse;
                    pos_def = ih.pos_def;
                    e = edm(&grad.g, &v);
                    verified = true;
                    if e < goal {
                        return finish(x, fx, e, v, true, pos_def, "converged");
                    }
                    if hesse_checks >= 4 {
                        return finish(
                            x,
                            fx,
                            e,
                            v,
                            false,
                            pos_def,
                            "EDM above goal with the exact Hessian after repeated checks",
                        );
                    }
                }
                Err(err) => {
                    return finish(x, fx, e, v, false, false, err.message());
                }
            }
        }
        if cost.nfev >= cap {
            return finish(x, fx, e, v, false, pos_def, "call limit (ncall) reached");
        }
        // search direction
        let mut slope = 0.0;
        for i in 0..n {
            let mut s = 0.0;
            for j in 0..n {
                s -= v[(i, j)] * grad.g[j];
            }
            dir[i] = s;
            slope += s * grad.g[i];
        }
        if slope.is_nan() || slope >= 0.0 {
            v = diagonal_metric(&grad, up);
            slope = 0.0;
            for i in 0..n {
                dir[i] = -v[(i, i)] * grad.g[i];
                slope += dir[i] * grad.g[i];
            }
            if slope.is_nan() || slope >= 0.0 {
                return finish(x, fx, e, v, false, pos_def, "no downhill search direction");
            }
        }
        let (lam, fnew) = line_search(cost, &x, &dir, fx, slope, &mut trial);
        if lam == 0.0 {
            failed_searches += 1;
            if failed_searches > 2 {
                return finish(
                    x,
                    fx,
                    e,
                    v,
                    false,
                    pos_def,
                    "line search found no lower value (EDM above goal)",
                );
            }
            // refresh gradient and metric, then try again
            grad.update(cost, &mut x, fx, up);
            if let Some(pd) = reseed(cost, &mut x, fx, up, &grad, &mut v) {
                pos_def = pd;
                verified = true;
            }
            e = edm(&grad.g, &v);
            continue;
        }
        failed_searches = 0;
        verified = false;
        let mut x_new = x.clone();
        for i in 0..n {
            x_new[i] = x[i] + lam * dir[i];
        }
        let g_old = grad.g.clone();
        grad.update(cost, &mut x_new, fnew, up);
        // BFGS update of the inverse-Hessian approximation
        let s: Vec<f64> = (0..n).map(|i| x_new[i] - x[i]).collect();
        let y: Vec<f64> = (0..n).map(|i| grad.g[i] - g_old[i]).collect();
        let sy: f64 = s.iter().zip(&y).map(|(a, b)| a * b).sum();
        if sy > 0.0 && sy.is_finite() {
            let vy: Vec<f64> = (0..n)
                .map(|i| (0..n).map(|j| v[(i, j)] * y[j]).sum())
                .collect();
            let yvy: f64 = y.iter().zip(&vy).map(|(a, b)| a * b).sum();
            let c = (1.0 + yvy / sy) / sy;
            for i in 0..n {
                for j in 0..n {
                    v[(i, j)] += c * s[i] * s[j] - (s[i] * vy[j] + vy[i] * s[j]) / sy;
                }
            }
        }
        x = x_new;
        fx = fnew;
        e = edm(&grad.g, &v);
        if e.is_nan() || e < 0.0 || !e.is_finite() {
            // metric lost positive definiteness: reseed from the Hessian
            if let Some(pd) = reseed(cost, &mut x, fx, up, &grad, &mut v) {
                pos_def = pd;
                verified = true;
            }
            e = edm(&grad.g, &v);
        }
    }
}
