//! The iminuit workflow of inference.md 5.3.2 in one call: MIGRAD, HESSE (warning if not
//! positive definite) and optionally MINOS; when MINOS meets a lower statistic the fit is
//! restarted from there once. A MIGRAD run that does not converge is returned with
//! `converged = false` (HESSE at its end point, no MINOS), as iminuit reports an invalid
//! minimum instead of raising.

use nalgebra::DMatrix;

use super::hesse::{hesse, HesseOptions};
use super::migrad::{migrad, MigradOptions};
use super::minos::{minos, MinosError, MinosOptions};
use crate::bail;
use crate::error::Result;

/// Options of [`minuit_fit`].
#[derive(Debug, Clone, Default)]
pub struct MinuitOptions {
    /// MIGRAD options (their `errordef` is used by HESSE and MINOS too).
    pub migrad: MigradOptions,
    /// Run MINOS after HESSE.
    pub run_minos: bool,
    /// MINOS options (`errordef` is overridden by `migrad.errordef`).
    pub minos: MinosOptions,
}

/// Result of [`minuit_fit`].
#[derive(Debug, Clone)]
pub struct MinuitFit {
    /// Best-fit point (external).
    pub x: Vec<f64>,
    /// Statistic at `x`.
    pub fval: f64,
    /// Estimated distance to the minimum (from HESSE's derivatives).
    pub edm: f64,
    /// MIGRAD's goal for the EDM (0.002·tol·errordef).
    pub edm_goal: f64,
    /// Whether MIGRAD converged (EDM below its goal within the call budget).
    pub converged: bool,
    /// How MIGRAD ended: "converged" or why not.
    pub status: String,
    /// Total calls of the statistic.
    pub nfev: usize,
    /// HESSE covariance 2·errordef·H⁻¹ (external).
    pub covariance: DMatrix<f64>,
    /// HESSE errors √diag(covariance).
    pub errors: Vec<f64>,
    /// False when the Hessian was not positive definite (covariance forced, unreliable).
    pub pos_def: bool,
    /// MINOS errors per parameter (when requested).
    pub minos: Option<Vec<MinosError>>,
    /// Warnings and notes from all steps.
    pub warnings: Vec<String>,
}

/// MIGRAD + HESSE (+ MINOS) on `f` over `bounds` from `x0`. Errors on bad input; a MIGRAD
/// run that does not converge has `converged = false` and `status` "Migrad did not converge …".
pub fn minuit_fit<F>(
    f: &F,
    bounds: &[(f64, f64)],
    x0: &[f64],
    opts: &MinuitOptions,
) -> Result<MinuitFit>
where
    F: Fn(&[f64]) -> f64,
{
    let up = opts.migrad.errordef;
    let mut warnings = Vec::new();
    let mut nfev = 0;
    let mut start = x0.to_vec();
    for attempt in 0..2 {
        let mut m = migrad(f, bounds, &start, &opts.migrad)?;
        nfev += m.nfev;
        warnings.extend(m.messages.iter().cloned());
        let hesse_at = |x: &[f64], errors: &[f64]| {
            hesse(
                f,
                bounds,
                x,
                &HesseOptions {
                    errordef: up,
                    initial_errors: Some(errors.to_vec()),
                    ..HesseOptions::default()
                },
            )
        };
        let mut h = hesse_at(&m.x, &m.errors)?;
        nfev += h.nfev;
        // MIGRAD's EDM comes from its own Hessian estimate; when HESSE's exact matrix puts the
        // point above the goal, MIGRAD continues from there with HESSE's errors (as MINUIT
        // does), at most twice, keeping the better point
        let mut reruns = 0;
        while m.converged && h.edm > m.edm_goal && reruns < 2 {
            reruns += 1;
            let again = MigradOptions {
                initial_errors: Some(h.errors.clone()),
                extra_starts: ndarray::Array2::zeros((0, 0)),
                ..opts.migrad.clone()
            };
            let m2 = migrad(f, bounds, &h.x, &again)?;
            nfev += m2.nfev;
            let h2 = hesse_at(&m2.x, &m2.errors)?;
            nfev += h2.nfev;
            if !(m2.converged && h2.fval <= h.fval) {
                break;
            }
            m = m2;
            h = h2;
        }
        let status = if !m.converged {
            format!(
                "Migrad did not converge (fval {}, edm {:.3e} > goal {:.1e}, {} calls){}",
                m.fval,
                m.edm,
                m.edm_goal,
                m.nfev,
                if m.messages.is_empty() {
                    String::new()
                } else {
                    format!(": {}", m.messages.join("; "))
                }
            )
        } else if h.edm > m.edm_goal {
            format!(
                "MIGRAD converged, but the EDM from HESSE's matrix ({:.2e}) is above the goal \
                 {:.1e}: the minimum is not precise (a flat or noisy direction)",
                h.edm, m.edm_goal
            )
        } else {
            "converged".to_string()
        };
        warnings.extend(h.warnings.iter().cloned());
        let mut fit = MinuitFit {
            x: h.x.clone(),
            fval: h.fval,
            edm: h.edm,
            edm_goal: m.edm_goal,
            converged: m.converged && h.edm <= m.edm_goal,
            status,
            nfev,
            covariance: h.covariance.clone(),
            errors: h.errors.clone(),
            pos_def: h.pos_def,
            minos: None,
            warnings: Vec::new(),
        };
        if opts.run_minos && !fit.converged {
            warnings.push("MINOS skipped: MIGRAD did not converge".to_string());
        } else if opts.run_minos {
            let mo = MinosOptions {
                errordef: up,
                ..opts.minos.clone()
            };
            let r = minos(f, bounds, &fit.x, fit.fval, &fit.covariance, &mo)?;
            nfev += r.nfev;
            fit.nfev = nfev;
            for e in &r.errors {
                warnings.extend(e.messages.iter().cloned());
            }
            if let Some((p, v)) = r.new_minimum {
                if attempt == 0 {
                    warnings.push(format!(
                        "MINOS found a lower minimum ({v} < {}); refitting from there",
                        fit.fval
                    ));
                    start = p;
                    continue;
                }
                warnings.push(format!(
                    "MINOS again found a lower minimum ({v} < {}); MINOS errors are suspect",
                    fit.fval
                ));
            }
            fit.minos = Some(r.errors);
        }
        fit.warnings = warnings;
        return Ok(fit);
    }
    bail!("minuit fit: internal error (no result after refitting)")
}
