//! HESSE: the matrix of second derivatives of the statistic by finite differences with
//! adaptive steps, and the covariance `2·errordef·H⁻¹` (inference.md 5.3.2) in external
//! coordinates.
//!
//! Steps (MINUIT's scheme): for each parameter the step `d` is iterated so that the "sag"
//! ½(f(x+d) + f(x−d) − 2f(x)) aims at `√eps2·(|f|+up)`, i.e. well above rounding noise but in
//! the quadratic regime; it stops when the step or the second derivative stabilises. The
//! off-diagonal elements use the four-point central formula with those steps. The Hessian is
//! computed in internal coordinates and the covariance is mapped back with the Jacobian of the
//! limit transformation (exact at an interior minimum where the gradient vanishes).

use nalgebra::DMatrix;

use super::bounds::Transform;
use super::cost::InternalCost;
use super::gradient::{Gradient, EPS2};
use crate::bail;
use crate::error::Result;

/// Options of [`hesse`].
#[derive(Debug, Clone)]
pub struct HesseOptions {
    /// Rise of the statistic that defines one standard deviation (1 for −2 ln L or χ²).
    pub errordef: f64,
    /// Rough external errors used to seed the step sizes (default: from the bounds/values).
    pub initial_errors: Option<Vec<f64>>,
    /// Maximum refinement cycles per diagonal element.
    pub ncycles: usize,
}

impl Default for HesseOptions {
    fn default() -> Self {
        HesseOptions {
            errordef: 1.0,
            initial_errors: None,
            ncycles: 5,
        }
    }
}

/// Result of [`hesse`].
#[derive(Debug, Clone)]
pub struct HesseResult {
    /// The point where the derivatives were taken (external).
    pub x: Vec<f64>,
    /// Statistic at `x`.
    pub fval: f64,
    /// Covariance `2·errordef·H⁻¹` in external coordinates (forced positive definite if needed).
    pub covariance: DMatrix<f64>,
    /// √diag(covariance).
    pub errors: Vec<f64>,
    /// Estimated distance to the minimum ½·gᵀH⁻¹g with the fresh derivatives.
    pub edm: f64,
    /// False when the Hessian was not positive definite (the covariance was then forced
    /// positive definite by a diagonal shift and is only indicative).
    pub pos_def: bool,
    /// Calls of the statistic.
    pub nfev: usize,
    /// Human-readable warnings (empty when all is well).
    pub warnings: Vec<String>,
}

/// Hessian data in internal coordinates.
#[derive(Debug, Clone)]
pub(crate) struct InternalHessian {
    /// Inverse of the (possibly forced positive definite) Hessian, internal coordinates.
    pub inverse: DMatrix<f64>,
    /// Gradient from the central differences.
    pub g: Vec<f64>,
    /// Diagonal second derivatives.
    pub g2: Vec<f64>,
    /// Steps of the last central differences.
    pub step: Vec<f64>,
    /// Whether the Hessian was positive definite as computed.
    pub pos_def: bool,
}

/// Step and convergence tolerances of the diagonal refinement (MINUIT strategy 1).
const STEP_TOL: f64 = 0.3;
const G2_TOL: f64 = 0.05;

/// Compute the Hessian of `cost` at internal `x` (value `f0`) starting from internal steps
/// `init_step`, invert it (forcing positive definiteness if needed).
pub(crate) fn internal_hessian(
    cost: &mut InternalCost<'_>,
    x: &mut [f64],
    f0: f64,
    up: f64,
    init_step: &[f64],
    ncycles: usize,
) -> Result<InternalHessian> {
    let n = x.len();
    let aimsag = EPS2.sqrt() * (f0.abs() + up);
    let mut g2 = vec![0.0; n];
    let mut g = vec![0.0; n];
    let mut step = vec![0.0; n];
    for i in 0..n {
        let limited = cost.transform().limits()[i].is_limited();
        let dmin = 8.0 * EPS2 * (x[i].abs() + EPS2);
        let mut d = init_step[i].abs().max(dmin);
        if limited {
            d = d.min(0.5);
        }
        let thresh = EPS2 * (f0.abs() + up) * 1e-3;
        let mut g2_prev: Option<f64> = None;
        for _cycle in 0..ncycles.max(1) {
            // find a step with a clearly non-zero sag (expand up to 10⁵× if the function is flat)
            let mut found = None;
            for _ in 0..6 {
                let fs1 = cost.eval_shifted(x, i, d);
                let fs2 = cost.eval_shifted(x, i, -d);
                let sag = 0.5 * (fs1 + fs2 - 2.0 * f0);
                if sag.is_finite() && sag.abs() > thresh {
                    found = Some((fs1, fs2, sag));
                    break;
                }
                if limited && d >= 0.5 {
                    break;
                }
                d *= 10.0;
                if limited && d > 0.5 {
                    d = 0.51;
                }
            }
            let Some((fs1, fs2, sag)) = found else {
                if g2_prev.is_some() {
                    break;
                }
                bail!(
                    "HESSE: the statistic does not change when parameter {i} moves (zero second \
                     derivative); the parameter is not constrained"
                );
            };
            let g2_new = 2.0 * sag / (d * d);
            g2[i] = g2_new;
            g[i] = (fs1 - fs2) / (2.0 * d);
            step[i] = d;
            let last = d;
            d = (2.0 * aimsag / g2_new.abs()).sqrt();
            if limited {
                d = d.min(0.5);
            }
            d = d.max(dmin);
            if ((d - last) / d).abs() < STEP_TOL {
                break;
            }
            if let Some(prev) = g2_prev {
                if ((g2_new - prev) / g2_new).abs() < G2_TOL {
                    break;
                }
            }
            g2_prev = Some(g2_new);
            d = d.min(10.0 * last).max(0.1 * last);
        }
    }
    let mut h = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        h[(i, i)] = g2[i];
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let (di, dj) = (step[i], step[j]);
            let mut corner = |si: f64, sj: f64| {
                let (ki, kj) = (x[i], x[j]);
                x[i] = ki + si * di;
                x[j] = kj + sj * dj;
                let v = cost.eval(x);
                x[i] = ki;
                x[j] = kj;
                v
            };
            let fpp = corner(1.0, 1.0);
            let fpm = corner(1.0, -1.0);
            let fmp = corner(-1.0, 1.0);
            let fmm = corner(-1.0, -1.0);
            let hij = (fpp - fpm - fmp + fmm) / (4.0 * di * dj);
            h[(i, j)] = hij;
            h[(j, i)] = hij;
        }
    }
    if h.iter().any(|v| !v.is_finite()) {
        bail!("HESSE: the second derivatives of the statistic are not finite");
    }
    let (inverse, pos_def) = invert_pos_def(&h)?;
    Ok(InternalHessian {
        inverse,
        g,
        g2,
        step,
        pos_def,
    })
}

/// Invert a symmetric matrix that should be positive definite. If it is not, shift its
/// (correlation-scaled) eigenvalues up so that the smallest is a small positive fraction of the
/// largest (MINUIT's "made positive definite"), invert that, and report `false`.
pub(crate) fn invert_pos_def(h: &DMatrix<f64>) -> Result<(DMatrix<f64>, bool)> {
    let n = h.nrows();
    if let Some(ch) = h.clone().cholesky() {
        return Ok((ch.inverse(), true));
    }
    // scale to unit diagonal where possible
    let scale: Vec<f64> = (0..n)
        .map(|i| {
            let d = h[(i, i)];
            if d > 0.0 {
                1.0 / d.sqrt()
            } else {
                1.0
            }
        })
        .collect();
    let mut p = h.clone();
    for i in 0..n {
        for j in 0..n {
            p[(i, j)] *= scale[i] * scale[j];
        }
    }
    let eig = p.clone().symmetric_eigen();
    let pmin = eig
        .eigenvalues
        .iter()
        .cloned()
        .fold(f64::INFINITY, f64::min);
    let pmax = eig
        .eigenvalues
        .iter()
        .cloned()
        .fold(0.0_f64, |a, b| a.max(b.abs()))
        .max(1.0);
    let epspdf = 1e-6_f64.max(EPS2);
    let shift = (epspdf * pmax - pmin).max(0.0) + epspdf * pmax;
    for i in 0..n {
        p[(i, i)] += shift;
    }
    let Some(ch) = p.cholesky() else {
        bail!("HESSE: the matrix of second derivatives could not be made positive definite");
    };
    let mut inv = ch.inverse();
    for i in 0..n {
        for j in 0..n {
            inv[(i, j)] *= scale[i] * scale[j];
        }
    }
    Ok((inv, false))
}

/// Default external error guess for seeding steps: a tenth of a finite range, else
/// 10 % of |value| (at least 0.1).
pub(crate) fn default_error(bounds: (f64, f64), value: f64) -> f64 {
    let (lo, hi) = bounds;
    if lo.is_finite() && hi.is_finite() {
        0.1 * (hi - lo)
    } else {
        (0.1 * value.abs()).max(0.1)
    }
}

/// Map the internal inverse Hessian `v` at internal `int` to the external covariance
/// `2·up·G·v·G` with `G = diag(dθ/dφ)`.
pub(crate) fn external_covariance(
    transform: &Transform,
    int: &[f64],
    v: &DMatrix<f64>,
    up: f64,
) -> DMatrix<f64> {
    let n = int.len();
    let mut jac = vec![0.0; n];
    transform.jacobian_diag(int, &mut jac);
    let mut cov = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            cov[(i, j)] = 2.0 * up * jac[i] * v[(i, j)] * jac[j];
        }
    }
    // exact symmetry
    for i in 0..n {
        for j in (i + 1)..n {
            let m = 0.5 * (cov[(i, j)] + cov[(j, i)]);
            cov[(i, j)] = m;
            cov[(j, i)] = m;
        }
    }
    cov
}

/// Estimated distance to minimum ½·gᵀVg.
pub(crate) fn edm(g: &[f64], v: &DMatrix<f64>) -> f64 {
    let n = g.len();
    let mut s = 0.0;
    for i in 0..n {
        for j in 0..n {
            s += g[i] * v[(i, j)] * g[j];
        }
    }
    0.5 * s
}

/// HESSE at external point `x`: finite-difference Hessian of `f` with adaptive steps and the
/// covariance `2·errordef·H⁻¹`. A Hessian that is not positive definite gives `pos_def = false`
/// and a warning (the covariance is then forced positive definite); a flat direction or a
/// non-finite statistic at `x` is an error.
pub fn hesse<F>(f: &F, bounds: &[(f64, f64)], x: &[f64], opts: &HesseOptions) -> Result<HesseResult>
where
    F: Fn(&[f64]) -> f64,
{
    let transform = Transform::new(bounds)?;
    transform.check_inside("HESSE point", x)?;
    if !(opts.errordef > 0.0 && opts.errordef.is_finite()) {
        bail!(
            "HESSE: errordef must be positive and finite, got {}",
            opts.errordef
        );
    }
    let n = x.len();
    if n == 0 {
        bail!("HESSE: no parameters");
    }
    let f0 = f(x);
    if !f0.is_finite() {
        bail!("HESSE: the statistic is not finite at the point ({f0})");
    }
    if let Some(e) = &opts.initial_errors {
        if e.len() != n {
            bail!("HESSE: {} initial errors given for {n} parameters", e.len());
        }
    }
    let mut int = vec![0.0; n];
    transform.to_internal(x, &mut int);
    let mut steps = vec![0.0; n];
    for k in 0..n {
        let err = match &opts.initial_errors {
            Some(e) if e[k].is_finite() && e[k] > 0.0 => e[k],
            _ => default_error(bounds[k], x[k]),
        };
        steps[k] = transform.internal_step(k, int[k], err);
    }
    let fref: &dyn Fn(&[f64]) -> f64 = f;
    let mut cost = InternalCost::new(fref, &transform);
    // the internal start may differ from x by the edge nudge: evaluate there
    let f_int = cost.eval(&int);
    let ih = internal_hessian(
        &mut cost,
        &mut int,
        f_int,
        opts.errordef,
        &steps,
        opts.ncycles,
    )?;
    // the EDM needs the gradient with the small optimal steps of MINUIT's gradient
    // calculator: the Hessian's steps (up to an error) carry a third-derivative bias that a
    // flat, wide direction turns into a spurious EDM
    let mut grad = Gradient {
        g: ih.g.clone(),
        g2: ih.g2.clone(),
        step: ih.step.clone(),
    };
    grad.update(&mut cost, &mut int, f_int, opts.errordef);
    let covariance = external_covariance(&transform, &int, &ih.inverse, opts.errordef);
    let errors: Vec<f64> = (0..n).map(|i| covariance[(i, i)].max(0.0).sqrt()).collect();
    let mut warnings = Vec::new();
    if !ih.pos_def {
        warnings.push(
            "HESSE: the matrix of second derivatives is not positive definite (not at a \
             minimum?); the covariance was forced positive definite and is unreliable"
                .to_string(),
        );
    }
    let mut xe = vec![0.0; n];
    transform.to_external(&int, &mut xe);
    for (k, &(lo, hi)) in bounds.iter().enumerate() {
        let distance = (xe[k] - lo).min(hi - xe[k]);
        if distance < errors[k] {
            warnings.push(format!(
                "HESSE: parameter {k} is within one error of a limit (distance {distance:.3e}, \
                 error {:.3e}); its Gaussian error is unreliable there (use MINOS)",
                errors[k]
            ));
        }
    }
    Ok(HesseResult {
        x: xe,
        fval: f_int,
        edm: edm(&grad.g, &ih.inverse),
        covariance,
        errors,
        pos_def: ih.pos_def,
        nfev: cost.nfev + 1,
        warnings,
    })
}
