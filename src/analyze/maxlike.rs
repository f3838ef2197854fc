//! Maximum-likelihood fits of an inference (`MaxLikeFit`, inference.md 5.3): `lmfit`
//! (Levenberg–Marquardt on the weighted pseudo-residuals) and `iminuit` (MIGRAD, HESSE and
//! optionally MINOS on the statistic), each followed by the covariance-driven bootstrap sample
//! and its `Bootstrap` analysis (section 6).
//!
//! Both fitters start from the current free values, bound every parameter to its range and
//! leave the parameters at the best fit. Changes from the reference (inference.md 10, items
//! 9–12): lmfit's covariance is (JᵀJ)⁻¹ without the stat/dof scaling unless `scale_covar` is
//! set; parameters are named `p{par#}` (lmfit) and `p{par#}({clean label})` (iminuit), so
//! repeated labels cannot collide; `savepath` is created and non-finite numbers are written as
//! JSON `null`; the bootstrap size and seed are options (defaults 1000 and 450001).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use nalgebra::DMatrix;
use ndarray::{Array2, ArrayView2, Axis};
use rayon::prelude::*;

use crate::analyze::fit_status::{limit_side, FitStatus, LIMIT_TOLERANCE, LMFIT_EDM_GOAL};
use crate::analyze::{Analysis, AnalyzerKind, Posterior};
use crate::bail;
use crate::error::{Error, Result};
use crate::infer::{Infer, Plan};
use crate::sample::files::{ensure_dir, json_num, json_text, numpy_text, write_text_atomic};
use crate::sample::minimize::{
    bootstrap_sample, levenberg_marquardt, minuit_fit, BootstrapOptions, LmOptions, MigradOptions,
    MinosOptions, MinosSide, MinuitOptions,
};
use crate::sample::Draws;

/// Default size of the bootstrap sample (the reference's fixed 1000).
pub const DEFAULT_NSAMPLE: usize = 1000;
/// Default seed of the bootstrap sample (the reference's fixed 450001).
pub const DEFAULT_SEED: u64 = 450_001;

/// Options of [`lmfit`].
#[derive(Debug, Clone, PartialEq)]
pub struct LmfitOptions {
    /// Directory for `1-bootstrap_sample.txt`, `1-maxlike_res.json` and the `boot_*` files
    /// (created when missing); nothing is written when `None`.
    pub savepath: Option<PathBuf>,
    /// Rows of the bootstrap sample, the best fit included (default 1000).
    pub nsample: usize,
    /// Seed of the bootstrap sample (default 450001).
    pub seed: u64,
    /// Multiply the covariance by stat/(npoint − D) as Python lmfit does (default false: that
    /// χ² convention inflates Poisson errors, inference.md 5.3.1 (a)).
    pub scale_covar: bool,
    /// Budget of residual-vector evaluations (default 2000·(D + 1), MINPACK's).
    pub ncall: Option<usize>,
    /// Attach the pointwise log-likelihood of every draw to the analysis (WAIC); default false
    /// (WAIC is reported for posteriors only).
    pub pointwise: bool,
}

impl Default for LmfitOptions {
    fn default() -> Self {
        LmfitOptions {
            savepath: None,
            nsample: DEFAULT_NSAMPLE,
            seed: DEFAULT_SEED,
            scale_covar: false,
            ncall: None,
            pointwise: false,
        }
    }
}

/// Options of [`iminuit`].
#[derive(Debug, Clone, PartialEq)]
pub struct MinuitFitOptions {
    /// Directory for `1-bootstrap_sample.txt`, `1-maxlike_res.json` and the `boot_*` files
    /// (created when missing); nothing is written when `None`.
    pub savepath: Option<PathBuf>,
    /// Rows of the bootstrap sample, the best fit included (default 1000).
    pub nsample: usize,
    /// Seed of the bootstrap sample (default 450001).
    pub seed: u64,
    /// Run MINOS for asymmetric profile-likelihood errors (default false).
    pub minos: bool,
    /// MIGRAD call budget per start point (default 10 000, iminuit 0.4.5's).
    pub ncall: usize,
    /// MIGRAD tolerance: converged when EDM < 0.002·tol (default 0.1 → 2·10⁻⁴).
    pub tol: f64,
    /// Further start points (rows, free order) tried after the current values; the lowest
    /// converged minimum wins.
    pub starts: Array2<f64>,
    /// Attach the pointwise log-likelihood of every draw to the analysis (WAIC); default false.
    pub pointwise: bool,
}

impl Default for MinuitFitOptions {
    fn default() -> Self {
        MinuitFitOptions {
            savepath: None,
            nsample: DEFAULT_NSAMPLE,
            seed: DEFAULT_SEED,
            minos: false,
            ncall: 10_000,
            tol: 0.1,
            starts: Array2::zeros((0, 0)),
            pointwise: false,
        }
    }
}

/// Result of a maximum-likelihood fit.
#[derive(Clone)]
pub struct FitResult {
    /// Parameter names in free order: `p{par#}` (lmfit) or `p{par#}({clean label})` (iminuit).
    pub names: Vec<String>,
    /// `par#` of each free parameter.
    pub numbers: Vec<usize>,
    /// Plain label of each free parameter (the key a script uses, e.g. `alpha`).
    pub labels: Vec<String>,
    /// How the fit ended: convergence, EDM, calls, parameters at a limit, MINOS validity.
    pub status: FitStatus,
    /// Best-fit values (free order).
    pub values: Vec<f64>,
    /// Symmetric errors √diag(covariance).
    pub errors: Vec<f64>,
    /// Covariance matrix (free order).
    pub covariance: DMatrix<f64>,
    /// MINOS errors (lower ≤ 0, upper ≥ 0) per parameter, when requested (iminuit only).
    pub minos: Option<Vec<(f64, f64)>>,
    /// The statistic (−2 ln L, weights included) at the best fit.
    pub stat: f64,
    /// Evaluations of the statistic (or of the residual vector) by the fitter.
    pub nfev: usize,
    /// Warnings from the fitter, the error analysis and the bootstrap.
    pub warnings: Vec<String>,
    /// The `Bootstrap` analysis of the covariance-driven sample (first row = best fit).
    pub posterior: Arc<Posterior>,
}

impl std::fmt::Debug for FitResult {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FitResult")
            .field("names", &self.names)
            .field("values", &self.values)
            .field("errors", &self.errors)
            .field("covariance", &self.covariance)
            .field("minos", &self.minos)
            .field("stat", &self.stat)
            .field("status", &self.status)
            .field("nfev", &self.nfev)
            .field("warnings", &self.warnings)
            .finish_non_exhaustive()
    }
}

/// What the fitter found, before the bootstrap.
struct Optimum {
    values: Vec<f64>,
    covariance: DMatrix<f64>,
    errors: Vec<f64>,
    minos: Option<Vec<(f64, f64)>>,
    minos_valid: Option<Vec<(bool, bool)>>,
    nfev: usize,
    converged: bool,
    reason: String,
    edm: f64,
    edm_goal: f64,
    hesse_pos_def: Option<bool>,
    warnings: Vec<String>,
}

/// Shared bootstrap/saving options.
struct After<'a> {
    savepath: Option<&'a Path>,
    nsample: usize,
    seed: u64,
    pointwise: bool,
}

/// What both fitters start from.
struct Prepared {
    plan: Plan,
    ranges: Vec<(f64, f64)>,
    start: Vec<f64>,
}

/// Compiled plan, free ranges and start point, with the start checked against the ranges
/// (errors name the parameter).
fn prepare(infer: &Infer, who: &str) -> Result<Prepared> {
    let plan = infer.compile().map_err(|e| e.context(who))?;
    if plan.ndim() == 0 {
        bail!("{who}: the inference has no free parameter to fit");
    }
    let ranges = infer.free_pranges().map_err(|e| e.context(who))?;
    let start = infer.free_pvalues();
    let names = infer.clean_free_indexed_plabels();
    for (i, ((&(lo, hi), &v), name)) in ranges.iter().zip(&start).zip(&names).enumerate() {
        if lo.is_nan() || hi.is_nan() || lo >= hi {
            bail!(
                "{who}: free parameter {} {name} has an empty or invalid range [{lo}, {hi}]",
                i + 1
            );
        }
        if !v.is_finite() || v < lo || v > hi {
            bail!("{who}: the start value {v} of {name} lies outside its range [{lo}, {hi}]");
        }
    }
    let s0 = plan.stat(&start);
    if !s0.is_finite() {
        let why = plan
            .explain(&start)
            .map(|w| format!(": {w}"))
            .unwrap_or_default();
        bail!(
            "{who}: the statistic is not finite ({s0}) at the start point {start:?} \
             ({}){why}; choose other start values or ranges",
            names.join(", ")
        );
    }
    Ok(Prepared {
        plan,
        ranges,
        start,
    })
}

/// Levenberg–Marquardt fit of Σρᵢ² (the weighted pseudo-residuals, Σρᵢ² = stat) over the
/// free ranges, from the current values; covariance (JᵀJ)⁻¹ (scaled by stat/dof only with
/// `scale_covar`). Builds the bootstrap sample and its analysis, saves when asked and leaves
/// the parameters at the best fit. Errors when the statistic is not finite at the start or on
/// bad options; a fit that stops without meeting a convergence test, or meets one with an EDM
/// above [`LMFIT_EDM_GOAL`] (stopped short), is returned marked not converged, with a warning.
pub fn lmfit(infer: &Infer, opts: &LmfitOptions) -> Result<FitResult> {
    let who = "lmfit";
    // checked before the start point: a user likelihood is refused whatever its values
    if infer.overrides().loglike.is_some() {
        bail!(
            "lmfit: least squares needs the statistics' residuals, but a user loglike_func \
             replaces them; use iminuit (it minimises −2·loglike)"
        );
    }
    let Prepared {
        plan,
        ranges,
        start,
    } = prepare(infer, who)?;
    let m = plan.npoint();
    let lm_opts = LmOptions {
        max_nfev: opts.ncall,
        scale_covar: opts.scale_covar,
        ..LmOptions::default()
    };
    let residuals = |theta: &[f64], out: &mut [f64]| plan.pseudo_residuals(theta, out);
    let r = levenberg_marquardt(&residuals, m, &ranges, &start, &lm_opts)
        .map_err(|e| e.context(who))?;
    let mut warnings = r.warnings;
    // a convergence test can pass short of the minimum (a step stalled by the bound
    // transform, a tiny reduction on a flat ridge): the EDM at the end point says whether it did
    let short = r.converged && (r.edm.is_nan() || r.edm > LMFIT_EDM_GOAL);
    let converged = r.converged && !short;
    let reason = if short {
        format!(
            "stopped short: {}, but EDM {:.2e} > goal {:.0e}",
            r.message, r.edm, LMFIT_EDM_GOAL
        )
    } else {
        r.message.clone()
    };
    if !converged {
        warnings.push(format!(
            "lmfit: the fit did NOT converge ({reason}; stat {} after {} evaluations); its \
             values and errors are not a minimum's: try other start values, a larger ncall \
             or iminuit",
            r.chi2, r.nfev
        ));
    }
    let names: Vec<String> = infer
        .free_numbers()
        .iter()
        .map(|n| format!("p{n}"))
        .collect();
    let loose: Vec<&str> = names
        .iter()
        .zip(&r.errors)
        .filter(|(_, &e)| e == 0.0)
        .map(|(n, _)| n.as_str())
        .collect();
    if !loose.is_empty() {
        warnings.push(format!(
            "lmfit: the data do not constrain {} (zero error from the pseudo-inverse)",
            loose.join(", ")
        ));
    }
    let opt = Optimum {
        values: r.x,
        covariance: r.covariance,
        errors: r.errors,
        minos: None,
        minos_valid: None,
        nfev: r.nfev,
        converged,
        reason,
        edm: r.edm,
        edm_goal: LMFIT_EDM_GOAL,
        hesse_pos_def: None,
        warnings,
    };
    let after = After {
        savepath: opts.savepath.as_deref(),
        nsample: opts.nsample,
        seed: opts.seed,
        pointwise: opts.pointwise,
    };
    finish(infer, &plan, &ranges, names, opt, &after, who)
}

/// MIGRAD on `stat` (10¹⁰⁰ where it is not finite, errordef 1) over the free ranges from the
/// current values (and `starts`), HESSE covariance 2·H⁻¹ and, with `minos`, MINOS errors.
/// Builds the bootstrap sample and its analysis, saves when asked and leaves the parameters at
/// the best fit. Errors when the statistic is not finite; a MIGRAD run that does not converge,
/// or whose Hessian is not positive definite, is returned marked not valid, with a warning.
pub fn iminuit(infer: &Infer, opts: &MinuitFitOptions) -> Result<FitResult> {
    let who = "iminuit";
    let Prepared {
        plan,
        ranges,
        start,
    } = prepare(infer, who)?;
    let mo = MinuitOptions {
        migrad: MigradOptions {
            errordef: 1.0,
            tol: opts.tol,
            ncall: opts.ncall,
            extra_starts: opts.starts.clone(),
            ..MigradOptions::default()
        },
        run_minos: opts.minos,
        minos: MinosOptions {
            ncall: opts.ncall,
            ..MinosOptions::default()
        },
    };
    let stat = |theta: &[f64]| plan.stat(theta);
    let names = infer.clean_free_indexed_plabels();
    let fit = minuit_fit(&stat, &ranges, &start, &mo).map_err(|e| {
        // the minimiser numbers parameters from 0 in free order
        let key: Vec<String> = names
            .iter()
            .enumerate()
            .map(|(i, n)| format!("{i} = {n}"))
            .collect();
        Error::new(format!(
            "{who}: {e} [minimiser parameter indices: {}]",
            key.join(", ")
        ))
    })?;
    if !fit.fval.is_finite() || fit.fval >= 1e100 {
        bail!(
            "iminuit: the statistic is not finite at the end point {:?}; the fit failed",
            fit.x
        );
    }
    let mut warnings = fit.warnings;
    if !fit.converged {
        warnings.push(format!(
            "iminuit: the fit is NOT valid: {}; its values and errors are not a minimum's",
            fit.status
        ));
    } else if !fit.pos_def {
        warnings.push(format!(
            "iminuit: the fit is NOT valid: the matrix of second derivatives at the minimum \
             (stat {}) is not positive definite, so the HESSE errors are forced and unreliable \
             (a parameter may be unconstrained or at a limit)",
            fit.fval
        ));
    }
    let minos_valid = fit.minos.as_ref().map(|list| {
        let mut v = vec![(false, false); fit.x.len()];
        for e in list {
            if e.index < v.len() {
                v[e.index] = (
                    e.lower.valid && !e.lower.at_limit,
                    e.upper.valid && !e.upper.at_limit,
                );
            }
        }
        v
    });
    let minos = fit.minos.map(|list| {
        let mut out = vec![(f64::NAN, f64::NAN); fit.x.len()];
        for e in &list {
            let side = |s: &MinosSide, what: &str, warnings: &mut Vec<String>| {
                if !s.valid {
                    warnings.push(format!(
                        "MINOS: the {what} error of {} is not valid (estimate {})",
                        names[e.index], s.error
                    ));
                } else if s.at_limit {
                    warnings.push(format!(
                        "MINOS: the {what} error of {} reaches the parameter limit",
                        names[e.index]
                    ));
                }
                s.error
            };
            if e.index < out.len() {
                out[e.index] = (
                    side(&e.lower, "lower", &mut warnings),
                    side(&e.upper, "upper", &mut warnings),
                );
            }
        }
        out
    });
    let opt = Optimum {
        values: fit.x,
        covariance: fit.covariance,
        errors: fit.errors,
        minos,
        minos_valid,
        nfev: fit.nfev,
        converged: fit.converged,
        reason: if fit.converged {
            "MIGRAD converged".to_string()
        } else {
            fit.status
        },
        edm: fit.edm,
        edm_goal: fit.edm_goal,
        hesse_pos_def: Some(fit.pos_def),
        warnings,
    };
    let after = After {
        savepath: opts.savepath.as_deref(),
        nsample: opts.nsample,
        seed: opts.seed,
        pointwise: opts.pointwise,
    };
    finish(infer, &plan, &ranges, names, opt, &after, who)
}

/// `msg` with the minimiser's "parameter K" (0-based free index) replaced by `names[K]`.
fn name_parameters(msg: &str, names: &[String]) -> String {
    const KEY: &str = "parameter ";
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(at) = rest.find(KEY) {
        let after = &rest[at + KEY.len()..];
        let digits = after.bytes().take_while(u8::is_ascii_digit).count();
        let name = after[..digits]
            .parse::<usize>()
            .ok()
            .and_then(|k| names.get(k));
        match name {
            Some(name) => {
                out.push_str(&rest[..at]);
                out.push_str(name);
                rest = &after[digits..];
            }
            None => {
                out.push_str(&rest[..at + KEY.len()]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Bootstrap sample, analysis, files; parameters left at the best fit.
fn finish(
    infer: &Infer,
    plan: &Plan,
    ranges: &[(f64, f64)],
    names: Vec<String>,
    opt: Optimum,
    after: &After<'_>,
    who: &str,
) -> Result<FitResult> {
    let best = opt.values;
    let stat = plan.stat(&best);
    if !stat.is_finite() {
        bail!("{who}: the statistic is not finite ({stat}) at the end point {best:?}");
    }
    if let Some((i, e)) = opt.errors.iter().enumerate().find(|(_, e)| !e.is_finite()) {
        bail!(
            "{who}: the error of {} is not finite ({e}); the fit is invalid",
            names[i]
        );
    }
    let numbers = infer.free_numbers();
    let labels = infer.clean_free_plabels();
    let named: Vec<String> = numbers
        .iter()
        .zip(&labels)
        .map(|(n, l)| format!("par#{n} {l}"))
        .collect();
    let mut warnings: Vec<String> = opt
        .warnings
        .iter()
        .map(|w| name_parameters(w, &named))
        .collect();
    let at_limit: Vec<_> = best
        .iter()
        .zip(ranges)
        .map(|(&v, &r)| limit_side(v, r))
        .collect();
    for (i, side) in at_limit.iter().enumerate() {
        if let Some(side) = side {
            let (lo, hi) = ranges[i];
            warnings.push(format!(
                "{who}: par#{} {} = {} is at the {} limit of its range [{lo}, {hi}] (within \
                 {LIMIT_TOLERANCE:e} of the width): the best fit may lie beyond it, and its \
                 error is unreliable; widen the range, fix the parameter or change the model",
                numbers[i],
                labels[i],
                best[i],
                side.name()
            ));
        }
    }
    let status = FitStatus {
        fitter: if who == "lmfit" { "lmfit" } else { "iminuit" },
        converged: opt.converged,
        valid: opt.converged && opt.edm <= opt.edm_goal && opt.hesse_pos_def != Some(false),
        reason: opt.reason,
        edm: opt.edm,
        edm_goal: opt.edm_goal,
        nfev: opt.nfev,
        hesse_pos_def: opt.hesse_pos_def,
        at_limit,
        minos_valid: opt.minos_valid,
    };
    for w in &warnings {
        crate::notice::warn(w);
    }
    let boot = bootstrap_sample(
        &best,
        Some(&opt.covariance),
        &opt.errors,
        ranges,
        &BootstrapOptions {
            nsample: after.nsample,
            seed: after.seed,
        },
    )
    .map_err(|e| e.context(who))?;
    for w in &boot.warnings {
        crate::notice::warn(format!("{who}: {w}"));
    }
    warnings.extend(boot.warnings);
    let rows = boot.rows;
    let row = |i: usize| {
        rows.row(i)
            .to_slice()
            .expect("bootstrap rows are contiguous")
    };
    let loglike: Vec<f64> = (0..rows.nrows())
        .into_par_iter()
        .map(|i| plan.loglike(row(i)))
        .collect();
    let logprob: Vec<f64> = (0..rows.nrows())
        .map(|i| plan.logprior(row(i)) + loglike[i])
        .collect();
    let pointwise: Option<Array2<f64>> = after.pointwise.then(|| {
        let mut out = Array2::zeros((rows.nrows(), plan.npoint()));
        out.axis_iter_mut(Axis(0))
            .into_par_iter()
            .enumerate()
            .for_each(|(i, mut o)| {
                plan.pointwise_loglike(row(i), o.as_slice_mut().expect("a fresh matrix"))
            });
        out
    });
    let draws = Draws::new(rows, loglike, logprob).map_err(|e| e.context(who))?;
    let analysis =
        Analysis::new(AnalyzerKind::Bootstrap, draws, plan.npoint()).map_err(|e| e.context(who))?;
    // the bootstrap's tables and JSON carry the fit's limit marks too
    let limit_notes = status
        .at_limit
        .iter()
        .map(|s| s.map(|side| format!("at {} limit", side.name())))
        .collect();
    let posterior = Posterior::new(infer, analysis, pointwise.as_ref().map(|p| p.view()))
        .map_err(|e| e.context(who))?
        .with_notes(limit_notes);
    // the analysis leaves the parameters at its best draw; a Bootstrap leaves them at the fit
    infer.set_free_values(&best)?;
    let result = FitResult {
        names,
        numbers,
        labels,
        status,
        values: best,
        errors: opt.errors,
        covariance: opt.covariance.clone(),
        minos: opt.minos,
        stat,
        nfev: opt.nfev,
        warnings,
        posterior: Arc::new(posterior),
    };
    if let Some(dir) = after.savepath {
        save(&result, dir).map_err(|e| e.context(who))?;
    }
    Ok(result)
}

/// Write `1-bootstrap_sample.txt` (D + 1 columns, the log-likelihood last, after a `#` line
/// naming the columns, inference.md 6.1), `1-maxlike_res.json` and the `boot_*` files into
/// `dir` (created when missing).
pub fn save(result: &FitResult, dir: &Path) -> Result<()> {
    ensure_dir(dir)?;
    let analysis = result.posterior.analysis();
    let loglike = ArrayView2::from_shape((analysis.nsample(), 1), analysis.loglike())
        .map_err(|e| Error::new(format!("bootstrap sample: {e}")))?;
    let rows = ndarray::concatenate(Axis(1), &[analysis.sample().view(), loglike])
        .map_err(|e| Error::new(format!("bootstrap sample: {e}")))?;
    let header = format!("{} loglike", result.names.join(" "));
    write_text_atomic(
        &dir.join("1-bootstrap_sample.txt"),
        &numpy_text(rows.view(), Some(&header)),
    )?;
    write_text_atomic(
        &dir.join("1-maxlike_res.json"),
        &json_text(&res_json(result))?,
    )?;
    result.posterior.save(dir)
}

/// The `1-maxlike_res.json` object: `values`, `errors`, `covar`, with MINOS `minos_errors` as
/// `[lo, hi]` pairs, the statistic `stat` and the fit `status` ([`FitStatus::to_json`]);
/// non-finite numbers as `null`.
pub fn res_json(result: &FitResult) -> serde_json::Value {
    let list = |v: &[f64]| serde_json::Value::Array(v.iter().map(|&x| json_num(x)).collect());
    let mut obj = serde_json::Map::new();
    obj.insert("values".into(), list(&result.values));
    obj.insert("errors".into(), list(&result.errors));
    obj.insert(
        "covar".into(),
        serde_json::Value::Array(
            result
                .covariance
                .row_iter()
                .map(|r| serde_json::Value::Array(r.iter().map(|&x| json_num(x)).collect()))
                .collect(),
        ),
    );
    if let Some(m) = &result.minos {
        obj.insert(
            "minos_errors".into(),
            serde_json::Value::Array(m.iter().map(|&(lo, hi)| list(&[lo, hi])).collect()),
        );
    }
    obj.insert("stat".into(), json_num(result.stat));
    obj.insert("status".into(), result.status.to_json());
    serde_json::Value::Object(obj)
}

impl FitResult {
    /// Covariance as a matrix.
    pub fn covariance_matrix(&self) -> DMatrix<f64> {
        self.covariance.clone()
    }

    /// The error of parameter `i` as `(lower, upper)`: MINOS when available and finite, else
    /// the symmetric error.
    pub fn asymmetric_error(&self, i: usize) -> Result<(f64, f64)> {
        let e = *self.errors.get(i).ok_or_else(|| {
            Error::new(format!(
                "no free parameter {} (there are {})",
                i + 1,
                self.errors.len()
            ))
        })?;
        Ok(match self.minos.as_ref().and_then(|m| m.get(i)) {
            Some(&(lo, hi)) if lo.is_finite() && hi.is_finite() => (lo, hi),
            _ => (-e, e),
        })
    }
}
