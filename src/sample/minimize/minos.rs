//! MINOS: asymmetric errors from the profile of the statistic. For parameter k and each
//! direction, find τ > 0 where the statistic minimised over the other parameters with θ_k fixed
//! at θ̂_k ± τ equals `fmin + errordef` (Δ = 1 → 1σ for −2 ln L).
//!
//! The root is found on h(τ) = √(F_prof − fmin) − √errordef, which is nearly linear in τ
//! (exactly for a quadratic statistic), by bracketing (secant steps starting from the HESSE
//! error) and Illinois regula falsi. The profiled minimisations are MIGRAD runs started from
//! the covariance prediction θ_j + τ·C_jk/C_kk with tighter tolerance. A crossing beyond a
//! limit is reported as "at limit" with the distance to the limit.

use std::cell::RefCell;

use nalgebra::DMatrix;

use super::bounds::Transform;
use super::hesse::default_error;
use super::migrad::{migrad, MigradOptions};
use crate::bail;
use crate::error::Result;

/// Options of [`minos`].
#[derive(Debug, Clone)]
pub struct MinosOptions {
    /// The rise of the statistic that defines the interval (1 → 1σ for −2 ln L or χ²).
    pub errordef: f64,
    /// MIGRAD tolerance of the profiled minimisations (EDM goal 0.002·tol·errordef); default 0.01.
    pub tol: f64,
    /// Call budget per profiled minimisation.
    pub ncall: usize,
    /// Parameters to analyse (default: all).
    pub params: Option<Vec<usize>>,
}

impl Default for MinosOptions {
    fn default() -> Self {
        MinosOptions {
            errordef: 1.0,
            tol: 0.01,
            ncall: 10_000,
            params: None,
        }
    }
}

/// MINOS result for one side of one parameter.
#[derive(Debug, Clone, PartialEq)]
pub struct MinosSide {
    /// Signed error: negative for the lower side, positive for the upper side. When
    /// `at_limit`, the distance to the limit; when not `valid`, the best estimate (the HESSE
    /// error if nothing better is known).
    pub error: f64,
    /// True when the crossing was found to tolerance.
    pub valid: bool,
    /// True when the statistic stays below fmin + errordef up to the parameter limit.
    pub at_limit: bool,
}

/// MINOS result for one parameter.
#[derive(Debug, Clone)]
pub struct MinosError {
    /// Parameter index.
    pub index: usize,
    /// Lower side (error ≤ 0).
    pub lower: MinosSide,
    /// Upper side (error ≥ 0).
    pub upper: MinosSide,
    /// Calls of the statistic for this parameter.
    pub nfev: usize,
    /// Notes (profile failures, limits, new minimum …).
    pub messages: Vec<String>,
}

/// Result of [`minos`].
#[derive(Debug, Clone)]
pub struct MinosResult {
    /// One entry per analysed parameter, in the order requested.
    pub errors: Vec<MinosError>,
    /// A point with a statistic lower than `fmin` met while profiling (then `fmin` was not
    /// the minimum and the intervals are suspect; refit from there).
    pub new_minimum: Option<(Vec<f64>, f64)>,
    /// Total calls of the statistic.
    pub nfev: usize,
}

/// Profile evaluation state for one parameter.
struct Profiler<'a> {
    f: &'a dyn Fn(&[f64]) -> f64,
    bounds: &'a [(f64, f64)],
    best: &'a [f64],
    k: usize,
    slope: Vec<f64>,
    cond_err: Vec<f64>,
    opts: &'a MinosOptions,
    /// Profile points computed so far: (τ signed, full point, value).
    done: Vec<(f64, Vec<f64>, f64)>,
    nfev: usize,
}

impl Profiler<'_> {
    /// Profiled statistic at θ_k = best_k + t; returns (value, converged).
    fn value(&mut self, t: f64) -> Result<(f64, bool)> {
        let n = self.best.len();
        let k = self.k;
        let tk = self.best[k] + t;
        if n == 1 {
            let v = (self.f)(&[tk]);
            self.nfev += 1;
            let v = if v.is_finite() { v } else { 1e100 };
            self.done.push((t, vec![tk], v));
            return Ok((v, true));
        }
        // start: nearest profile point (or the best fit) shifted by the covariance slope
        let (t0, base) = self
            .done
            .iter()
            .filter(|(s, _, _)| s.signum() == t.signum())
            .min_by(|a, b| (a.0 - t).abs().total_cmp(&(b.0 - t).abs()))
            .map(|(s, p, _)| (*s, p.clone()))
            .unwrap_or((0.0, self.best.to_vec()));
        let mut start = Vec::with_capacity(n - 1);
        let mut red_bounds = Vec::with_capacity(n - 1);
        let mut errs = Vec::with_capacity(n - 1);
        for j in (0..n).filter(|&j| j != k) {
            let (lo, hi) = self.bounds[j];
            let mut v = base[j] + (t - t0) * self.slope[j];
            if !v.is_finite() {
                v = base[j];
            }
            // stay strictly inside the limits
            let span = if lo.is_finite() && hi.is_finite() {
                hi - lo
            } else {
                1.0
            };
            let margin = 1e-9 * span;
            if v <= lo {
                v = (lo + margin).min(base[j]);
            }
            if v >= hi {
                v = (hi - margin).max(base[j]);
            }
            start.push(v);
            red_bounds.push((lo, hi));
            errs.push(self.cond_err[j]);
        }
        let buffer = RefCell::new(self.best.to_vec());
        let f = self.f;
        let reduced = |y: &[f64]| {
            let mut full = buffer.borrow_mut();
            let mut it = y.iter();
            for (j, slot) in full.iter_mut().enumerate() {
                *slot = if j == k {
                    tk
                } else {
                    *it.next().unwrap_or(&f64::NAN)
                };
            }
            f(&full)
        };
        let mopts = MigradOptions {
            errordef: self.opts.errordef,
            tol: self.opts.tol,
            ncall: self.opts.ncall,
            max_restarts: 1,
            initial_errors: Some(errs),
            extra_starts: ndarray::Array2::zeros((0, 0)),
        };
        let r = migrad(&reduced, &red_bounds, &start, &mopts)
            .map_err(|e| e.context(format!("MINOS profile of parameter {k} at {tk}")))?;
        self.nfev += r.nfev;
        let mut full = Vec::with_capacity(n);
        let mut it = r.x.iter();
        for j in 0..n {
            full.push(if j == k {
                tk
            } else {
                *it.next().unwrap_or(&f64::NAN)
            });
        }
        self.done.push((t, full, r.fval));
        Ok((r.fval, r.converged))
    }
}

/// MINOS errors at the minimum `best` (statistic `fmin`) with the covariance from HESSE
/// (used for starting guesses only). Errors for bad input; failures of a side are reported in
/// its `valid` flag and messages.
pub fn minos<F>(
    f: &F,
    bounds: &[(f64, f64)],
    best: &[f64],
    fmin: f64,
    covariance: &DMatrix<f64>,
    opts: &MinosOptions,
) -> Result<MinosResult>
where
    F: Fn(&[f64]) -> f64,
{
    let transform = Transform::new(bounds)?;
    transform.check_inside("MINOS best-fit point", best)?;
    let n = best.len();
    if n == 0 {
        bail!("MINOS: no parameters");
    }
    if covariance.nrows() != n || covariance.ncols() != n {
        bail!(
            "MINOS: covariance is {}x{} but there are {n} parameters",
            covariance.nrows(),
            covariance.ncols()
        );
    }
    if !fmin.is_finite() {
        bail!("MINOS: the minimum statistic is not finite ({fmin})");
    }
    if !(opts.errordef > 0.0 && opts.errordef.is_finite()) {
        bail!(
            "MINOS: errordef must be positive and finite, got {}",
            opts.errordef
        );
    }
    let params: Vec<usize> = match &opts.params {
        Some(p) => p.clone(),
        None => (0..n).collect(),
    };
    if let Some(&bad) = params.iter().find(|&&k| k >= n) {
        bail!("MINOS: parameter index {bad} out of range (there are {n} parameters)");
    }
    let fref: &dyn Fn(&[f64]) -> f64 = f;
    let mut result = MinosResult {
        errors: Vec::new(),
        new_minimum: None,
        nfev: 0,
    };
    let new_min_tol = (10.0 * 0.002 * opts.tol * opts.errordef).max(1e-6 * opts.errordef);
    for &k in &params {
        let ckk = covariance[(k, k)];
        let sigma = if ckk > 0.0 && ckk.is_finite() {
            ckk.sqrt()
        } else {
            default_error(bounds[k], best[k])
        };
        let slope: Vec<f64> = (0..n)
            .map(|j| {
                let s = covariance[(j, k)] / ckk;
                if s.is_finite() && ckk > 0.0 {
                    s
                } else {
                    0.0
                }
            })
            .collect();
        let cond_err: Vec<f64> = (0..n)
            .map(|j| {
                let c = covariance[(j, j)] - covariance[(j, k)] * covariance[(j, k)] / ckk;
                if c > 0.0 && c.is_finite() {
                    c.sqrt()
                } else {
                    let d = covariance[(j, j)];
                    if d > 0.0 && d.is_finite() {
                        d.sqrt()
                    } else {
                        default_error(bounds[j], best[j])
                    }
                }
            })
            .collect();
        let mut prof = Profiler {
            f: fref,
            bounds,
            best,
            k,
            slope,
            cond_err,
            opts,
            done: Vec::new(),
            nfev: 0,
        };
        let mut messages = Vec::new();
        let (lo, hi) = bounds[k];
        let lower = one_side(
            &mut prof,
            -1.0,
            best[k] - lo,
            sigma,
            fmin,
            opts.errordef,
            &mut messages,
        );
        let upper = one_side(
            &mut prof,
            1.0,
            hi - best[k],
            sigma,
            fmin,
            opts.errordef,
            &mut messages,
        );
        for (_, p, v) in &prof.done {
            if *v < fmin - new_min_tol {
                let better = match &result.new_minimum {
                    None => true,
                    Some((_, b)) => v < b,
                };
                if better {
                    result.new_minimum = Some((p.clone(), *v));
                }
                messages.push(format!(
                    "MINOS found a lower statistic {v} < fmin = {fmin} at {p:?}: the fit was not at \
                     its minimum"
                ));
            }
        }
        result.nfev += prof.nfev;
        result.errors.push(MinosError {
            index: k,
            lower,
            upper,
            nfev: prof.nfev,
            messages,
        });
    }
    Ok(result)
}

/// Find the crossing on one side (`dir` = ±1) within distance `limit` of the best fit.
fn one_side(
    prof: &mut Profiler<'_>,
    dir: f64,
    limit: f64,
    sigma: f64,
    fmin: f64,
    up: f64,
    messages: &mut Vec<String>,
) -> MinosSide {
    let k = prof.k;
    let side = if dir > 0.0 { "upper" } else { "lower" };
    let target = up.sqrt();
    let fallback = MinosSide {
        error: dir * sigma.min(limit),
        valid: false,
        at_limit: false,
    };
    let mut all_converged = true;
    let h_at = |prof: &mut Profiler<'_>, tau: f64, ok: &mut bool| -> Result<f64> {
        let (v, conv) = prof.value(dir * tau)?;
        *ok &= conv;
        Ok((v - fmin).max(0.0).sqrt() - target)
    };
    if limit.is_nan() || limit <= 0.0 {
        messages.push(format!("parameter {k}: {side} side is at its limit"));
        return MinosSide {
            error: 0.0,
            valid: true,
            at_limit: true,
        };
    }
    // bracket: a (h < 0) … b (h > 0)
    let (mut a, mut ha) = (0.0, -target);
    let mut b = sigma.min(0.999_999 * limit);
    let mut hb;
    let mut expansions = 0;
    loop {
        hb = match h_at(prof, b, &mut all_converged) {
            Ok(h) => h,
            Err(e) => {
                messages.push(format!("parameter {k} {side}: {e}"));
                return fallback;
            }
        };
        if hb > 0.0 {
            break;
        }
        if b >= 0.999_999 * limit {
            messages.push(format!(
                "parameter {k}: the {side} crossing lies beyond the parameter limit"
            ));
            return MinosSide {
                error: dir * limit,
                valid: true,
                at_limit: true,
            };
        }
        expansions += 1;
        if expansions > 30 {
            messages.push(format!(
                "parameter {k}: no {side} crossing found (statistic too flat)"
            ));
            return fallback;
        }
        let secant = if hb > ha {
            b - hb * (b - a) / (hb - ha)
        } else {
            4.0 * b
        };
        let next = secant.clamp(1.2 * b, 4.0 * b).min(0.999_999 * limit);
        a = b;
        ha = hb;
        b = next;
    }
    // Illinois regula falsi on [a, b]
    let tol_h = 1e-4 * target;
    let tol_x = 1e-6 * sigma.max(1e-300);
    let mut side_kept = 0i32;
    let mut root = b;
    for _ in 0..60 {
        let c = b - hb * (b - a) / (hb - ha);
        let c = if c > a && c < b { c } else { 0.5 * (a + b) };
        let hc = match h_at(prof, c, &mut all_converged) {
            Ok(h) => h,
            Err(e) => {
                messages.push(format!("parameter {k} {side}: {e}"));
                return fallback;
            }
        };
        root = c;
        if hc.abs() < tol_h || (b - a) < tol_x {
            break;
        }
        if hc > 0.0 {
            b = c;
            hb = hc;
            if side_kept == -1 {
                ha *= 0.5;
            }
            side_kept = -1;
        } else {
            a = c;
            ha = hc;
            if side_kept == 1 {
                hb *= 0.5;
            }
            side_kept = 1;
        }
    }
    if !all_converged {
        messages.push(format!(
            "parameter {k}: some profiled minimisations on the {side} side did not converge"
        ));
    }
    MinosSide {
        error: dir * root,
        valid: all_converged,
        at_limit: false,
    }
}
