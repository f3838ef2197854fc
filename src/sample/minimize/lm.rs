//! Levenberg–Marquardt least squares on a residual vector (the MINPACK `lmdif` setting:
//! forward-difference Jacobian, column scaling D = running max of the Jacobian column norms,
//! convergence on relative reduction `ftol`, relative step `xtol` and gradient angle `gtol`).
//! Limits use MINUIT's transformation (as lmfit does); the covariance is (JᵀJ)⁻¹ at the
//! solution, mapped back to external coordinates, **without** lmfit's stat/dof scaling unless
//! `scale_covar` is set (inference.md 5.3.1, bug 9).
//!
//! The damping follows Nielsen's rule on the gain ratio ρ = actual/predicted reduction of the
//! sum of squares; the damped normal equations (JᵀJ + μ·D²)δ = −Jᵀr are solved by Cholesky.

use nalgebra::{DMatrix, DVector};

use super::bounds::Transform;
use crate::bail;
use crate::error::Result;

/// Options of [`levenberg_marquardt`].
#[derive(Debug, Clone)]
pub struct LmOptions {
    /// Stop when both the actual and predicted relative reductions of Σr² are below this.
    pub ftol: f64,
    /// Stop when the scaled step is below `xtol` times the scaled parameter norm.
    pub xtol: f64,
    /// Stop when the cosine between residuals and every Jacobian column is below this.
    pub gtol: f64,
    /// Budget of residual evaluations (Jacobians included); default 2000·(n+1).
    pub max_nfev: Option<usize>,
    /// Relative step of the forward differences is √epsfcn (MINPACK; default machine ε).
    pub epsfcn: f64,
    /// Multiply the covariance by Σr²/(m − n) (lmfit's default; false here, see module docs).
    pub scale_covar: bool,
}

impl Default for LmOptions {
    fn default() -> Self {
        LmOptions {
            ftol: 1e-10,
            xtol: 1e-10,
            gtol: 1e-10,
            max_nfev: None,
            epsfcn: f64::EPSILON,
            scale_covar: false,
        }
    }
}

/// Result of [`levenberg_marquardt`].
#[derive(Debug, Clone)]
pub struct LmResult {
    /// Best point (external coordinates).
    pub x: Vec<f64>,
    /// Σr² at `x` (the statistic; note scipy's `cost` is half of it).
    pub chi2: f64,
    /// Residuals at `x`.
    pub residuals: Vec<f64>,
    /// Residual-vector evaluations.
    pub nfev: usize,
    /// Whether one of the convergence tests passed.
    pub converged: bool,
    /// Which test stopped the iterations (or why it failed).
    pub message: String,
    /// Estimated distance to the minimum at `x`: the decrease of Σr² a full Gauss–Newton step
    /// would bring, (Jᵀr)ᵀ(JᵀJ)⁻¹(Jᵀr), MINUIT's EDM for this cost. A parameter pressed
    /// against its bound does not count (its internal derivative vanishes there).
    pub edm: f64,
    /// (JᵀJ)⁻¹ at the solution in external coordinates (scaled only with `scale_covar`).
    pub covariance: DMatrix<f64>,
    /// √diag(covariance).
    pub errors: Vec<f64>,
    /// Warnings (e.g. a singular JᵀJ).
    pub warnings: Vec<String>,
}

/// Residual evaluation in internal coordinates with a call counter.
struct Residuals<'a> {
    f: &'a dyn Fn(&[f64], &mut [f64]),
    transform: &'a Transform,
    ext: Vec<f64>,
    nfev: usize,
}

impl Residuals<'_> {
    /// r(p) into `out`; returns Σr² (∞ if any residual is not finite).
    fn eval(&mut self, p: &[f64], out: &mut [f64]) -> f64 {
        self.transform.to_external(p, &mut self.ext);
        out.iter_mut().for_each(|v| *v = f64::NAN);
        (self.f)(&self.ext, out);
        self.nfev += 1;
        let s: f64 = out.iter().map(|v| v * v).sum();
        if s.is_finite() {
            s
        } else {
            f64::INFINITY
        }
    }

    /// Forward-difference Jacobian (m×n) at `p` with residuals `r`; backward difference where
    /// the forward one is not finite.
    fn jacobian(
        &mut self,
        p: &mut [f64],
        r: &[f64],
        eps: f64,
        jac: &mut DMatrix<f64>,
        work: &mut [f64],
    ) -> Result<()> {
        let h0 = eps.sqrt();
        for j in 0..p.len() {
            let keep = p[j];
            let mut h = h0 * keep.abs();
            if h == 0.0 {
                h = h0;
            }
            p[j] = keep + h;
            let mut s = self.eval(p, work);
            let mut step = (keep + h) - keep;
            if !s.is_finite() {
                p[j] = keep - h;
                s = self.eval(p, work);
                step = (keep - h) - keep;
            }
            p[j] = keep;
            if !s.is_finite() {
                bail!("LM: residuals not finite on both sides of parameter {j}");
            }
            for i in 0..r.len() {
                jac[(i, j)] = (work[i] - r[i]) / step;
            }
        }
        Ok(())
    }
}

/// Minimise Σ r(θ)² with Levenberg–Marquardt. `residuals(θ, out)` fills `m` residuals;
/// `bounds` are `(lo, hi)` pairs (±∞ for none). Errors on bad input or non-finite residuals
/// at the start; a run that stops without meeting a convergence test has `converged = false`.
pub fn levenberg_marquardt<R>(
    residuals: &R,
    m: usize,
    bounds: &[(f64, f64)],
    x0: &[f64],
    opts: &LmOptions,
) -> Result<LmResult>
where
    R: Fn(&[f64], &mut [f64]),
{
    let transform = Transform::new(bounds)?;
    let n = transform.len();
    if n == 0 {
        bail!("LM: no parameters to fit");
    }
    if m < n {
        bail!("LM: {m} residuals cannot determine {n} parameters");
    }
    transform.check_inside("LM start point", x0)?;
    for (name, v) in [
        ("ftol", opts.ftol),
        ("xtol", opts.xtol),
        ("gtol", opts.gtol),
    ] {
        if !(v >= 0.0 && v.is_finite()) {
            bail!("LM: {name} must be a finite non-negative number, got {v}");
        }
    }
    if !(opts.epsfcn > 0.0 && opts.epsfcn < 1.0) {
        bail!("LM: epsfcn must lie in (0, 1), got {}", opts.epsfcn);
    }
    let max_nfev = opts.max_nfev.unwrap_or(2000 * (n + 1));
    let fref: &dyn Fn(&[f64], &mut [f64]) = residuals;
    let mut res = Residuals {
        f: fref,
        transform: &transform,
        ext: vec![0.0; n],
        nfev: 0,
    };
    let mut p = vec![0.0; n];
    transform.to_internal(x0, &mut p);
    let mut r = vec![0.0; m];
    let mut r_new = vec![0.0; m];
    let mut work = vec![0.0; m];
    let mut chi2 = res.eval(&p, &mut r);
    if !chi2.is_finite() {
        bail!("LM: residuals are not finite at the start point {x0:?}");
    }
    let mut jac = DMatrix::<f64>::zeros(m, n);
    res.jacobian(&mut p, &r, opts.epsfcn, &mut jac, &mut work)?;
    let mut diag = vec![0.0_f64; n];
    let mut mu = -1.0;
    let mut nu = 2.0;
    let mut converged = false;
    let mut message = String::from("evaluation budget (max_nfev) exhausted");
    'outer: while res.nfev < max_nfev {
        let a = jac.tr_mul(&jac);
        let rv = DVector::from_column_slice(&r);
        let g = jac.tr_mul(&rv);
        for j in 0..n {
            diag[j] = diag[j].max(a[(j, j)].sqrt());
            if diag[j] == 0.0 {
                diag[j] = 1.0;
            }
        }
        if mu < 0.0 {
            mu = 1e-3;
        }
        // gradient test: max |cos| between r and the columns of J
        let rnorm = chi2.sqrt();
        if rnorm == 0.0 {
            converged = true;
            message = "residuals are exactly zero".into();
            break;
        }
        let gnorm = (0..n)
            .map(|j| {
                let cn = a[(j, j)].sqrt();
                if cn > 0.0 {
                    (g[j] / (cn * rnorm)).abs()
                } else {
                    0.0
                }
            })
            .fold(0.0, f64::max);
        if gnorm <= opts.gtol {
            converged = true;
            message = "gradient test (gtol) satisfied".into();
            break;
        }
        loop {
            let mut lhs = a.clone();
            for j in 0..n {
                lhs[(j, j)] += mu * diag[j] * diag[j];
            }
            let Some(ch) = lhs.cholesky() else {
                mu *= nu;
                nu *= 2.0;
                if !mu.is_finite() || mu > 1e300 {
                    message = "damped normal equations could not be solved".into();
                    break 'outer;
                }
                continue;
            };
            let delta = ch.solve(&(-&g));
            let p_new: Vec<f64> = (0..n).map(|j| p[j] + delta[j]).collect();
            let chi2_new = res.eval(&p_new, &mut r_new);
            // predicted reduction F − ‖r + Jδ‖² = −(2δᵀg + δᵀAδ)
            let ad = &a * &delta;
            let pred = -(2.0 * delta.dot(&g) + delta.dot(&ad));
            let actual = chi2 - chi2_new;
            let dnorm: f64 = (0..n)
                .map(|j| (diag[j] * delta[j]).powi(2))
                .sum::<f64>()
                .sqrt();
            let xnorm: f64 = (0..n).map(|j| (diag[j] * p[j]).powi(2)).sum::<f64>().sqrt();
            let rho = if pred > 0.0 { actual / pred } else { -1.0 };
            if rho > 1e-4 && chi2_new.is_finite() {
                p = p_new;
                std::mem::swap(&mut r, &mut r_new);
                let chi2_old = chi2;
                chi2 = chi2_new;
                mu *= (1.0_f64 / 3.0).max(1.0 - (2.0 * rho - 1.0).powi(3));
                nu = 2.0;
                let ftest = actual.abs() <= opts.ftol * chi2_old && pred <= opts.ftol * chi2_old;
                let xtest = dnorm <= opts.xtol * xnorm;
                if ftest || xtest {
                    converged = true;
                    message = if ftest {
                        "relative reduction test (ftol) satisfied".into()
                    } else {
                        "relative step test (xtol) satisfied".into()
                    };
                    break 'outer;
                }
                res.jacobian(&mut p, &r, opts.epsfcn, &mut jac, &mut work)?;
                break;
            }
            // rejected step
            if dnorm <= opts.xtol * xnorm {
                converged = true;
                message = "relative step test (xtol) satisfied".into();
                break 'outer;
            }
            if pred.abs() <= opts.ftol * chi2 && actual.abs() <= opts.ftol * chi2 {
                converged = true;
                message = "relative reduction test (ftol) satisfied".into();
                break 'outer;
            }
            mu *= nu;
            nu *= 2.0;
            if res.nfev >= max_nfev {
                break 'outer;
            }
        }
    }
    // covariance from a fresh Jacobian at the solution
    let mut warnings = Vec::new();
    res.jacobian(&mut p, &r, opts.epsfcn, &mut jac, &mut work)?;
    let a = jac.tr_mul(&jac);
    let inv = match a.clone().cholesky() {
        Some(ch) => ch.inverse(),
        None => {
            warnings.push(
                "LM: JᵀJ is singular at the solution (a parameter is not constrained); the \
                 covariance is a pseudo-inverse"
                    .to_string(),
            );
            a.pseudo_inverse(1e-14)
                .map_err(|e| crate::error::Error::new(format!("LM: covariance: {e}")))?
        }
    };
    let jtr = jac.tr_mul(&DVector::from_column_slice(&r));
    let edm = jtr.dot(&(&inv * &jtr));
    let mut jd = vec![0.0; n];
    transform.jacobian_diag(&p, &mut jd);
    let scale = if opts.scale_covar && m > n {
        chi2 / (m - n) as f64
    } else {
        1.0
    };
    let mut covariance = DMatrix::<f64>::zeros(n, n);
    for i in 0..n {
        for j in 0..n {
            covariance[(i, j)] = scale * jd[i] * inv[(i, j)] * jd[j];
        }
    }
    for i in 0..n {
        for j in (i + 1)..n {
            let s = 0.5 * (covariance[(i, j)] + covariance[(j, i)]);
            covariance[(i, j)] = s;
            covariance[(j, i)] = s;
        }
    }
    let errors = (0..n).map(|i| covariance[(i, i)].max(0.0).sqrt()).collect();
    let mut x = vec![0.0; n];
    transform.to_external(&p, &mut x);
    Ok(LmResult {
        x,
        chi2,
        residuals: r,
        nfev: res.nfev,
        converged,
        message,
        edm,
        covariance,
        errors,
        warnings,
    })
}
