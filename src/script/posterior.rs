//! Rhai binding of the `Posterior` (and `Bootstrap`) a sampler or fit returns: summaries,
//! fluxes, `post.par` and the maximum-likelihood fit summary. No science here: everything
//! calls `analyze`.

use super::docs::Docs;
use super::infer::index_of;
use super::options::{err, lift, num, to_array, RhaiResult};
use crate::analyze::maxlike;
use crate::analyze::{FluxKind, Posterior};
use crate::model::{Model, Par};
use crate::sample::{emcee, nested, row_slices};
use rhai::{Array, Dynamic, Engine, Map};
use std::sync::Arc;

/// The sampler run behind a posterior (for walker and run plots).
#[derive(Clone)]
pub enum SamplerRun {
    /// Nested sampling.
    Nested(Arc<nested::NestedResult>),
    /// emcee.
    Emcee(Arc<emcee::EmceeResult>),
    /// A maximum-likelihood fit (lmfit / iminuit): best fit, HESSE covariance, MINOS errors.
    MaxLike(Arc<maxlike::FitResult>),
}

/// Posteriors made in this process, newest last (weak: they live as long as a script holds
/// them); `Plot::model(#{ post: true })` finds the one a model was fitted in.
static RECENT: std::sync::Mutex<Vec<std::sync::Weak<Posterior>>> =
    std::sync::Mutex::new(Vec::new());

/// Wrap a new posterior and remember it for `Plot::model(#{ post: true })`.
pub(super) fn remember(post: Arc<Posterior>, run: Option<SamplerRun>) -> PostHandle {
    if let Ok(mut list) = RECENT.lock() {
        list.retain(|w| w.strong_count() > 0);
        list.push(Arc::downgrade(&post));
    }
    PostHandle(post, run)
}

/// The newest live posterior whose inference holds a free parameter of `model`.
pub fn posterior_of(model: &Model) -> Option<PostHandle> {
    let pars: Vec<Par> = model.params().into_iter().map(|e| e.par).collect();
    let list = RECENT.lock().ok()?;
    list.iter().rev().filter_map(|w| w.upgrade()).find_map(|p| {
        let free = p.infer().free_pars();
        free.iter()
            .any(|f| pars.iter().any(|q| q.same(f)))
            .then(|| PostHandle(p.clone(), None))
    })
}

/// Script type `Posterior` (also used for `Bootstrap`), with the sampler run when there is one.
#[derive(Clone)]
pub struct PostHandle(pub Arc<Posterior>, pub Option<SamplerRun>);

impl PostHandle {
    /// The printed posterior: its tables, then the sampler's notes (how an emcee chain
    /// started, its acceptance and τ; where a run was resumed from).
    pub fn text(&self) -> String {
        let notes = match &self.1 {
            Some(SamplerRun::Nested(r)) => r.notes(),
            Some(SamplerRun::Emcee(r)) => r.notes(),
            _ => Vec::new(),
        };
        let mut t = match &self.1 {
            Some(SamplerRun::MaxLike(f)) => format!("{}{}", f.report(), self.0),
            _ => self.0.to_string(),
        };
        for n in notes {
            if !t.ends_with('\n') {
                t.push('\n');
            }
            t.push_str(&n);
        }
        t
    }
}

fn pairs_of(v: Vec<[f64; 2]>) -> Array {
    v.into_iter()
        .map(|[a, b]| Dynamic::from_array(vec![Dynamic::from_float(a), Dynamic::from_float(b)]))
        .collect()
}

fn flux(p: &PostHandle, kind: FluxKind, e1: Dynamic, e2: Dynamic) -> RhaiResult<Map> {
    let (a, b) = (num(&e1, "flux: emin")?, num(&e2, "flux: emax")?);
    let c = lift(p.0.flux(kind, a, b, 0, 0.6827, 500))?;
    let mut m = Map::new();
    m.insert("median".into(), Dynamic::from_float(c.median));
    m.insert("lo".into(), Dynamic::from_float(c.lo));
    m.insert("hi".into(), Dynamic::from_float(c.hi));
    Ok(m)
}

/// Register the `Posterior` type and its properties.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<PostHandle>("Posterior");
    engine
        .register_fn("to_string", |p: &mut PostHandle| p.text())
        .register_fn("to_debug", |p: &mut PostHandle| p.text())
        .register_fn("save", |p: &mut PostHandle, dir: &str| -> RhaiResult<()> {
            lift(p.0.save(std::path::Path::new(dir)))
        })
        .register_get("par_mean", |p: &mut PostHandle| {
            to_array(&p.0.analysis().par_mean())
        })
        .register_get("par_median", |p: &mut PostHandle| {
            to_array(&p.0.analysis().par_median())
        })
        .register_get("par_best", |p: &mut PostHandle| {
            to_array(&p.0.analysis().par_best())
        })
        .register_get("par_Isigma", |p: &mut PostHandle| {
            pairs_of(p.0.analysis().par_isigma())
        })
        .register_get("par_IIsigma", |p: &mut PostHandle| {
            pairs_of(p.0.analysis().par_iisigma())
        })
        .register_get("par_IIIsigma", |p: &mut PostHandle| {
            pairs_of(p.0.analysis().par_iiisigma())
        })
        .register_get("par_ninety_percent", |p: &mut PostHandle| {
            pairs_of(p.0.analysis().par_ninety_percent())
        })
        .register_fn(
            "par_quantile",
            |p: &mut PostHandle, q: Dynamic| -> RhaiResult<Array> {
                let q = num(&q, "par_quantile: q")?;
                if !(0.0..=1.0).contains(&q) {
                    return err(format!("par_quantile: q must be in [0, 1], got {q}"));
                }
                Ok(to_array(&p.0.analysis().par_quantile(q)))
            },
        )
        .register_fn(
            "par",
            |p: &mut PostHandle, key: Dynamic| -> RhaiResult<Map> { post_par(p, &key) },
        )
        .register_get("par_labels", |p: &mut PostHandle| -> Array {
            p.0.clean_labels().into_iter().map(Dynamic::from).collect()
        })
        .register_get("max_loglike", |p: &mut PostHandle| {
            p.0.analysis().max_loglike()
        })
        .register_get("aic", |p: &mut PostHandle| p.0.analysis().aic())
        .register_get("aicc", |p: &mut PostHandle| -> Dynamic {
            p.0.analysis()
                .aicc()
                .map(Dynamic::from_float)
                .unwrap_or(Dynamic::UNIT)
        })
        .register_get("bic", |p: &mut PostHandle| p.0.analysis().bic())
        .register_get("lnZ", |p: &mut PostHandle| -> Dynamic {
            p.0.analysis()
                .ln_z()
                .map(|(z, _)| Dynamic::from_float(z))
                .unwrap_or(Dynamic::UNIT)
        })
        .register_get("lnZ_err", |p: &mut PostHandle| -> Dynamic {
            p.0.analysis()
                .ln_z()
                .map(|(_, e)| Dynamic::from_float(e))
                .unwrap_or(Dynamic::UNIT)
        })
        .register_get("waic", |p: &mut PostHandle| -> Dynamic {
            p.0.analysis()
                .waic()
                .map(|w| Dynamic::from_float(w.deviance))
                .unwrap_or(Dynamic::UNIT)
        })
        .register_get("nsample", |p: &mut PostHandle| {
            p.0.analysis().nsample() as i64
        })
        .register_get("sample", |p: &mut PostHandle| -> Array {
            row_slices(p.0.analysis().sample())
                .map(|r| Dynamic::from_array(to_array(r)))
                .collect()
        })
        .register_fn("phtflux", |p: &mut PostHandle, a: Dynamic, b: Dynamic| {
            flux(p, FluxKind::Photon, a, b)
        })
        .register_fn("ergflux", |p: &mut PostHandle, a: Dynamic, b: Dynamic| {
            flux(p, FluxKind::Energy, a, b)
        });
    docs.add(
        "inference",
        "post.par",
        "post.par(\"alpha\")  /  post.par(n) -> map",
        "One free parameter's summary by label (as infer.par takes it) or par#: par (its par#), \
         name, median, mean, best, sigma1 [lo, hi] (68.27 %), ci90 [lo, hi], note. The par_* \
         arrays (par_median, …) hold the free parameters only, from index 0 in free order; \
         post.par is the way to ask by name.",
    );
    for (name, text) in [
        ("par_mean", "Posterior mean per free parameter."),
        ("par_median", "Posterior median per free parameter."),
        (
            "par_best",
            "Parameters of the best draw (max log-probability).",
        ),
        (
            "par_Isigma",
            "Central 68.27 % interval [lo, hi] per free parameter.",
        ),
        (
            "par_IIsigma",
            "Central 95.45 % interval per free parameter.",
        ),
        (
            "par_IIIsigma",
            "Central 99.73 % interval per free parameter.",
        ),
        (
            "par_ninety_percent",
            "Central 90 % interval per free parameter.",
        ),
        (
            "par_quantile",
            "post.par_quantile(q): the q-quantile per free parameter.",
        ),
        ("max_loglike", "Largest log-likelihood in the sample."),
        ("aic", "Akaike information criterion 2k − 2 max lnL."),
        (
            "aicc",
            "AIC with the small-sample correction (() when undefined).",
        ),
        ("bic", "Bayesian information criterion k ln n − 2 max lnL."),
        ("lnZ", "Log-evidence (nested sampling; () otherwise)."),
        ("sample", "The sample: array of arrays (nsample × nfree)."),
        (
            "phtflux",
            "post.phtflux(emin, emax) -> #{ median, lo, hi } photon flux (68 %).",
        ),
        (
            "ergflux",
            "post.ergflux(emin, emax) -> #{ median, lo, hi } energy flux (68 %).",
        ),
    ] {
        docs.add("inference", name, &format!("post.{name}"), text);
    }
    register_fit_summary(engine, docs);
}

/// `post.par(key)`: one free parameter's summary by label or par#.
fn post_par(p: &PostHandle, key: &Dynamic) -> RhaiResult<Map> {
    let infer = p.0.infer();
    let n = match key.clone().into_string() {
        Ok(s) if s.trim().parse::<usize>().is_err() => lift(infer.par_number(&s))?,
        _ => index_of(key, "par#")?,
    };
    let target = lift(infer.par(n))?;
    let free = infer.free_pars();
    let Some(i) = free.iter().position(|f| f.same(&target)) else {
        return err(format!(
            "post.par: par#{n} is not a free parameter of this fit (frozen or linked to another)"
        ));
    };
    let a = p.0.analysis();
    let pair = |v: [f64; 2]| Dynamic::from_array(to_array(&v));
    let mut m = Map::new();
    m.insert("par".into(), Dynamic::from(infer.free_numbers()[i] as i64));
    m.insert(
        "name".into(),
        Dynamic::from(p.0.clean_labels().get(i).cloned().unwrap_or_default()),
    );
    m.insert("median".into(), Dynamic::from(a.par_median()[i]));
    m.insert("mean".into(), Dynamic::from(a.par_mean()[i]));
    m.insert("best".into(), Dynamic::from(a.par_best()[i]));
    m.insert("sigma1".into(), pair(a.par_isigma()[i]));
    m.insert("ci90".into(), pair(a.par_ninety_percent()[i]));
    m.insert(
        "note".into(),
        match p.0.notes().get(i).cloned().flatten() {
            Some(n) => Dynamic::from(n),
            None => Dynamic::UNIT,
        },
    );
    Ok(m)
}

/// The fit summary of a `Bootstrap` (from `fit.lmfit` / `fit.iminuit`).
fn fit_summary(p: &PostHandle, what: &str) -> RhaiResult<Arc<maxlike::FitResult>> {
    match &p.1 {
        Some(SamplerRun::MaxLike(s)) => Ok(s.clone()),
        _ => err(format!(
            "post.{what} is known only for a Bootstrap from fit.lmfit(...) or fit.iminuit(...)"
        )),
    }
}

fn register_fit_summary(engine: &mut Engine, docs: &mut Docs) {
    engine
        .register_get("fit_values", |p: &mut PostHandle| -> RhaiResult<Array> {
            Ok(to_array(&fit_summary(p, "fit_values")?.values))
        })
        .register_get("fit_errors", |p: &mut PostHandle| -> RhaiResult<Array> {
            Ok(to_array(&fit_summary(p, "fit_errors")?.errors))
        })
        .register_get("covariance", |p: &mut PostHandle| -> RhaiResult<Array> {
            let cov = &fit_summary(p, "covariance")?.covariance;
            Ok(cov
                .row_iter()
                .map(|r| Dynamic::from_array(r.iter().map(|&v| Dynamic::from_float(v)).collect()))
                .collect())
        })
        .register_get("minos", |p: &mut PostHandle| -> RhaiResult<Dynamic> {
            Ok(match &fit_summary(p, "minos")?.minos {
                Some(m) => Dynamic::from_array(
                    m.iter()
                        .map(|(lo, hi)| Dynamic::from_array(to_array(&[*lo, *hi])))
                        .collect(),
                ),
                None => Dynamic::UNIT,
            })
        })
        .register_get("fit_stat", |p: &mut PostHandle| -> RhaiResult<f64> {
            Ok(fit_summary(p, "fit_stat")?.stat)
        })
        .register_get("nfev", |p: &mut PostHandle| -> RhaiResult<i64> {
            Ok(fit_summary(p, "nfev")?.nfev as i64)
        })
        .register_get("valid", |p: &mut PostHandle| -> RhaiResult<bool> {
            Ok(fit_summary(p, "valid")?.status.valid)
        })
        .register_get("converged", |p: &mut PostHandle| -> RhaiResult<bool> {
            Ok(fit_summary(p, "converged")?.status.converged)
        })
        .register_get("edm", |p: &mut PostHandle| -> RhaiResult<f64> {
            Ok(fit_summary(p, "edm")?.status.edm)
        })
        .register_get("at_limit", |p: &mut PostHandle| -> RhaiResult<Array> {
            Ok(fit_summary(p, "at_limit")?
                .status
                .at_limit
                .iter()
                .map(|s| match s {
                    Some(side) => Dynamic::from(side.name().to_string()),
                    None => Dynamic::UNIT,
                })
                .collect())
        })
        .register_get("fit_status", |p: &mut PostHandle| -> RhaiResult<Dynamic> {
            let f = fit_summary(p, "fit_status")?;
            rhai::serde::to_dynamic(f.status.to_json()).map_err(|e| e.to_string().into())
        });
    for (name, text) in [
        ("fit_values", "Bootstrap: best-fit values per free parameter."),
        (
            "fit_errors",
            "Bootstrap: symmetric errors √diag(covariance) (HESSE for iminuit).",
        ),
        (
            "covariance",
            "Bootstrap: covariance matrix of the free parameters (array of rows).",
        ),
        (
            "minos",
            "Bootstrap: MINOS errors [lower, upper] per parameter (iminuit with minos: true; () otherwise).",
        ),
        ("fit_stat", "Bootstrap: the statistic (−2 ln L) at the best fit."),
        ("nfev", "Bootstrap: evaluations used by the fitter."),
        (
            "valid",
            "Bootstrap: true when the fit converged (EDM below its goal) with a positive-definite Hessian (iminuit); false means the values and errors are not a minimum's.",
        ),
        (
            "converged",
            "Bootstrap: whether the minimiser met its convergence test and the EDM goal (lmfit: EDM < 1e-3, so a fit that stopped short is not converged).",
        ),
        (
            "edm",
            "Bootstrap: estimated distance to the minimum (in units of the statistic).",
        ),
        (
            "at_limit",
            "Bootstrap: per free parameter \"lower\" or \"upper\" when the best fit is within 1e-6 of that end of its range (its error is then unreliable), else ().",
        ),
        (
            "fit_status",
            "Bootstrap: the fit status as a map: fitter, valid, converged, reason, edm, edm_goal, nfev, hesse_pos_def, at_limit, minos_valid (also saved as `status` in 1-maxlike_res.json).",
        ),
    ] {
        docs.add("inference", name, &format!("boot.{name}"), text);
    }
}
