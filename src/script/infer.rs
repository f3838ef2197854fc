//! Rhai binding of inference: `Pair`, `Infer`/`BayesInfer`/`MaxLikeFit`, the samplers and
//! the `Posterior` they return. No science here: everything calls `infer`, `sample` and
//! `analyze`.

use super::callback::Callback;
use super::data::DataHandle;
use super::docs::Docs;
use super::options::num_vec;
use super::options::{err, lift, num, to_array, Options, RhaiResult};
use crate::analyze::maxlike;
use crate::analyze::{FluxKind, Posterior};
use crate::error::Error;
use crate::infer::overrides::{LoglikeFn, LogpriorFn, TransformFn};
use crate::infer::{Infer, InferKind, Pair};
use crate::infer::{LoglikeValue, Overrides};
use crate::model::{Cfg, Model, Par};
use crate::sample::{emcee, nested, row_slices};
use rhai::{Array, Dynamic, Engine, Map, NativeCallContext};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Script type `Pair`.
#[derive(Clone)]
pub struct PairHandle(pub Arc<Pair>);

/// Script type for `Infer`, `BayesInfer` and `MaxLikeFit` (a shared, mutable handle).
#[derive(Clone)]
pub struct InferHandle(pub Arc<RwLock<Infer>>);

/// `infer.par`: parameters by par#.
#[derive(Clone)]
pub struct InferParList(pub InferHandle);

/// `infer.cfg`: configuration values by cfg#.
#[derive(Clone)]
pub struct InferCfgList(pub InferHandle);

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

fn remember(post: Arc<Posterior>, run: Option<SamplerRun>) -> PostHandle {
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

impl InferHandle {
    /// Read access (a poisoned lock is reported, never a panic).
    pub fn read(&self) -> RhaiResult<std::sync::RwLockReadGuard<'_, Infer>> {
        self.0
            .read()
            .map_err(|_| "the inference is unusable after an earlier failure".into())
    }

    fn write(&self) -> RhaiResult<std::sync::RwLockWriteGuard<'_, Infer>> {
        self.0
            .write()
            .map_err(|_| "the inference is unusable after an earlier failure".into())
    }
}

/// One `[data, model]` (or `[model, data]`) item of a pair list.
fn pair_from(item: &Dynamic, i: usize) -> RhaiResult<Pair> {
    let Some(arr) = item.clone().try_cast::<Array>() else {
        return err(format!(
            "pair {}: expected [data, model], got {}",
            i + 1,
            item.type_name()
        ));
    };
    if arr.len() != 2 {
        return err(format!(
            "pair {}: expected [data, model] with two items, got {}",
            i + 1,
            arr.len()
        ));
    }
    let (a, b) = (&arr[0], &arr[1]);
    let (d, m) = if a.is::<DataHandle>() {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    let (Some(d), Some(m)) = (d.try_cast::<DataHandle>(), m.try_cast::<Model>()) else {
        return err(format!(
            "pair {}: expected a Data and a Model, got {} and {}",
            i + 1,
            a.type_name(),
            b.type_name()
        ));
    };
    lift(Pair::new(d.data(), m))
}

fn build_infer(kind: InferKind, pairs: Array) -> RhaiResult<InferHandle> {
    // `BayesInfer([data, model])` (a single pair, not in a list) is accepted too.
    let items: Vec<Dynamic> = if pairs.len() == 2
        && pairs.iter().any(|x| x.is::<DataHandle>())
        && pairs.iter().any(|x| x.is::<Model>())
    {
        vec![Dynamic::from(pairs)]
    } else {
        pairs
    };
    let list: Vec<Pair> = items
        .iter()
        .enumerate()
        .map(|(i, x)| pair_from(x, i))
        .collect::<RhaiResult<_>>()?;
    Ok(InferHandle(Arc::new(RwLock::new(lift(Infer::new(
        kind, list,
    ))?))))
}

fn index_of(key: &Dynamic, what: &str) -> RhaiResult<usize> {
    if let Some(x) = super::options::as_f64(key) {
        if x >= 1.0 && x.fract() == 0.0 {
            return Ok(x as usize);
        }
        return err(format!("{what} numbers start at 1, got {x}"));
    }
    if key.is_string() {
        let s = key.to_string();
        return s
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("{what}: '{s}' is not a number").into());
    }
    err(format!(
        "{what} index must be a number, not {}",
        key.type_name()
    ))
}

fn numbers(list: &Array) -> RhaiResult<Vec<usize>> {
    list.iter().map(|x| index_of(x, "par#")).collect()
}

const NESTED_KEYS: &[&str] = &[
    "nlive",
    "resume",
    "verbose",
    "max_iter",
    "ins",
    "savepath",
    "seed",
    "tol",
    "evidence_tolerance",
    "efficiency",
];

/// The options both samplers share: `savepath`, `seed`, `resume`, `verbose`.
fn sampler_common(
    o: &Options,
    savepath: &mut Option<PathBuf>,
    seed: &mut Option<u64>,
    resume: &mut bool,
    verbose: &mut bool,
) -> RhaiResult<()> {
    if let Some(p) = o.string("savepath")? {
        *savepath = Some(PathBuf::from(p));
    }
    *seed = o.u64("seed")?;
    if let Some(b) = o.bool("resume")? {
        *resume = b;
    }
    if let Some(b) = o.bool("verbose")? {
        *verbose = b;
    }
    Ok(())
}

/// The options of `infer.multinest(#{…})` (checked keys and types; no sampling).
pub fn nested_options(map: Map, labels: Vec<String>) -> RhaiResult<nested::NestedOptions> {
    let o = Options::new("multinest", map, NESTED_KEYS)?;
    // Files only where the user asks for them (the reference writes into "./" by default,
    // which makes an unrelated earlier run in the current folder "resumable").
    let mut opts = nested::NestedOptions {
        labels,
        savepath: None,
        ..Default::default()
    };
    sampler_common(
        &o,
        &mut opts.savepath,
        &mut opts.seed,
        &mut opts.resume,
        &mut opts.verbose,
    )?;
    if let Some(n) = o.usize("nlive")? {
        opts.nlive = n;
    }
    if let Some(n) = o.usize("max_iter")? {
        opts.max_iter = (n > 0).then_some(n);
    }
    if let Some(b) = o.bool("ins")? {
        opts.ins = b;
    }
    if let Some(t) = o.f64("tol")? {
        opts.evidence_tolerance = t;
    }
    if let Some(t) = o.f64("evidence_tolerance")? {
        opts.evidence_tolerance = t;
    }
    if let Some(e) = o.f64("efficiency")? {
        opts.efficiency = e;
    }
    Ok(opts)
}

const EMCEE_KEYS: &[&str] = &[
    "nstep",
    "discard",
    "nwalkers",
    "resume",
    "savepath",
    "seed",
    "thin",
    "verbose",
    "restart_stranded",
    "start",
];

/// The options of `infer.emcee(#{…})` (checked keys and types; no sampling).
pub fn emcee_options(
    map: Map,
    labels: Vec<String>,
    start: Vec<f64>,
) -> RhaiResult<emcee::EmceeOptions> {
    let o = Options::new("emcee", map, EMCEE_KEYS)?;
    let mut opts = emcee::EmceeOptions {
        labels,
        start: Some(start),
        start_fit: true,
        savepath: None,
        ..Default::default()
    };
    // start: "fit" (default: MIGRAD from the current values, walkers in a ball shaped by its
    // covariance), "values" (a 1e-4 ball around the current values), "prior" (uniform in the
    // prior ranges) or an array of start values (a 1e-4 ball around them)
    match o.raw("start") {
        None => {}
        Some(v) if v.is_string() => match v.clone().into_string().unwrap_or_default().as_str() {
            "fit" => {}
            "values" => opts.start_fit = false,
            "prior" => {
                opts.start_fit = false;
                opts.start = None;
            }
            other => {
                return err(format!(
                    "emcee: start must be \"fit\", \"values\", \"prior\" or an array of \
                     start values, got \"{other}\""
                ))
            }
        },
        Some(_) => {
            opts.start_fit = false;
            opts.start = o.f64_vec("start")?;
        }
    }
    if let Some(n) = o.usize("nstep")? {
        opts.nstep = n;
    }
    if let Some(n) = o.usize("discard")? {
        opts.discard = n;
    }
    opts.nwalkers = o.usize("nwalkers")?;
    if let Some(n) = o.usize("thin")? {
        opts.thin = n;
    }
    if let Some(b) = o.bool("restart_stranded")? {
        opts.restart_stranded = b;
    }
    sampler_common(
        &o,
        &mut opts.savepath,
        &mut opts.seed,
        &mut opts.resume,
        &mut opts.verbose,
    )?;
    Ok(opts)
}

fn run_multinest(h: &InferHandle, map: Map) -> RhaiResult<PostHandle> {
    let infer = h.read()?.clone();
    let plan = lift(infer.compile())?;
    let mut opts = nested_options(map, infer.clean_free_indexed_plabels())?;
    opts.fingerprint = plan.fingerprint();
    let res = lift(nested::run(&plan, &opts))?;
    let post = lift(Posterior::from_draws(&infer, &plan, &res))?;
    Ok(remember(
        Arc::new(post),
        Some(SamplerRun::Nested(Arc::new(res))),
    ))
}

fn run_emcee(h: &InferHandle, map: Map) -> RhaiResult<PostHandle> {
    let infer = h.read()?.clone();
    let plan = lift(infer.compile())?;
    let mut opts = emcee_options(map, infer.clean_free_indexed_plabels(), plan.start.clone())?;
    opts.fingerprint = plan.fingerprint();
    let res = lift(emcee::run(&plan, &opts))?;
    let post = lift(Posterior::from_draws(&infer, &plan, &res))?;
    Ok(remember(
        Arc::new(post),
        Some(SamplerRun::Emcee(Arc::new(res))),
    ))
}

const LMFIT_KEYS: &[&str] = &[
    "savepath",
    "nsample",
    "seed",
    "scale_covar",
    "ncall",
    "pointwise",
];
const IMINUIT_KEYS: &[&str] = &[
    "savepath",
    "nsample",
    "seed",
    "minos",
    "ncall",
    "tol",
    "pointwise",
];

/// The options both fitters share: `savepath`, `nsample`, `seed`, `pointwise`.
fn fit_common(
    o: &Options,
    savepath: &mut Option<PathBuf>,
    nsample: &mut usize,
    seed: &mut u64,
    pointwise: &mut bool,
) -> RhaiResult<()> {
    if let Some(p) = o.string("savepath")? {
        *savepath = Some(PathBuf::from(p));
    }
    if let Some(n) = o.usize("nsample")? {
        *nsample = n;
    }
    if let Some(s) = o.u64("seed")? {
        *seed = s;
    }
    if let Some(b) = o.bool("pointwise")? {
        *pointwise = b;
    }
    Ok(())
}

/// The Bootstrap of a maximum-likelihood fit, remembered with the fit itself.
fn remember_fit(res: maxlike::FitResult) -> PostHandle {
    let post = res.posterior.clone();
    remember(post, Some(SamplerRun::MaxLike(Arc::new(res))))
}

fn run_lmfit(h: &InferHandle, map: Map) -> RhaiResult<PostHandle> {
    let opts = lmfit_options(map)?;
    let infer = h.read()?.clone();
    Ok(remember_fit(lift(maxlike::lmfit(&infer, &opts))?))
}

/// The options of `infer.lmfit(#{…})` (checked keys and types; no fitting).
pub fn lmfit_options(map: Map) -> RhaiResult<maxlike::LmfitOptions> {
    let o = Options::new("lmfit", map, LMFIT_KEYS)?;
    let mut opts = maxlike::LmfitOptions::default();
    fit_common(
        &o,
        &mut opts.savepath,
        &mut opts.nsample,
        &mut opts.seed,
        &mut opts.pointwise,
    )?;
    if let Some(b) = o.bool("scale_covar")? {
        opts.scale_covar = b;
    }
    opts.ncall = o.usize("ncall")?;
    Ok(opts)
}

fn run_iminuit(h: &InferHandle, map: Map) -> RhaiResult<PostHandle> {
    let opts = iminuit_options(map)?;
    let infer = h.read()?.clone();
    Ok(remember_fit(lift(maxlike::iminuit(&infer, &opts))?))
}

/// The options of `infer.iminuit(#{…})` (checked keys and types; no fitting).
pub fn iminuit_options(map: Map) -> RhaiResult<maxlike::MinuitFitOptions> {
    let o = Options::new("iminuit", map, IMINUIT_KEYS)?;
    let mut opts = maxlike::MinuitFitOptions::default();
    fit_common(
        &o,
        &mut opts.savepath,
        &mut opts.nsample,
        &mut opts.seed,
        &mut opts.pointwise,
    )?;
    if let Some(b) = o.bool("minos")? {
        opts.minos = b;
    }
    if let Some(n) = o.usize("ncall")? {
        opts.ncall = n;
    }
    if let Some(t) = o.f64("tol")? {
        opts.tol = t;
    }
    Ok(opts)
}

/// Change one override of the inference behind `h`.
fn update_overrides(h: &InferHandle, f: impl FnOnce(&mut Overrides)) -> RhaiResult<()> {
    let mut infer = h.write()?;
    let mut o = infer.overrides().clone();
    f(&mut o);
    infer.set_overrides(o);
    Ok(())
}

/// A callback from a closure, or `None` for `()` (restore the built-in).
fn callback(ctx: &NativeCallContext, f: Dynamic, name: &str) -> RhaiResult<Option<Callback>> {
    if f.is_unit() {
        return Ok(None);
    }
    match f.clone().try_cast::<rhai::FnPtr>() {
        Some(fp) => Ok(Some(Callback::capture(ctx, fp, name))),
        None => err(format!(
            "{name} must be a function such as |infer, theta| ..., or () to remove it; got {}",
            f.type_name()
        )),
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

/// Register the inference types and functions.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("inference", "pairs, inferences, samplers and posteriors");
    engine
        .register_type_with_name::<PairHandle>("Pair")
        .register_type_with_name::<InferHandle>("Infer")
        .register_type_with_name::<InferParList>("InferParList")
        .register_type_with_name::<InferCfgList>("InferCfgList")
        .register_type_with_name::<PostHandle>("Posterior");

    // Pair
    engine.register_fn(
        "Pair",
        |d: DataHandle, m: Model| -> RhaiResult<PairHandle> {
            Ok(PairHandle(Arc::new(lift(Pair::new(d.data(), m))?)))
        },
    );
    engine.register_fn(
        "Pair",
        |m: Model, d: DataHandle| -> RhaiResult<PairHandle> {
            Ok(PairHandle(Arc::new(lift(Pair::new(d.data(), m))?)))
        },
    );
    docs.add(
        "inference",
        "Pair",
        "Pair(data, model) -> Pair",
        "Bind a Data container to an additive model; properties stat, loglike, npoint.",
    );
    engine
        .register_get("stat", |p: &mut PairHandle| -> RhaiResult<f64> {
            lift(p.0.stat())
        })
        .register_get("loglike", |p: &mut PairHandle| -> RhaiResult<f64> {
            lift(p.0.loglike())
        })
        .register_get("npoint", |p: &mut PairHandle| p.0.npoint() as i64)
        .register_fn("to_string", |p: &mut PairHandle| -> String {
            match Infer::new(InferKind::Plain, vec![(*p.0).clone()]) {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        });
    register_conversions(engine, docs);

    // Infer constructors
    for (name, kind, text) in [
        (
            "Infer",
            InferKind::Plain,
            "An inference over [[data, model], ...] pairs.",
        ),
        (
            "BayesInfer",
            InferKind::Bayes,
            "A Bayesian inference over [[data, model], ...]: multinest(#{...}), emcee(#{...}).",
        ),
        (
            "MaxLikeFit",
            InferKind::MaxLike,
            "A maximum-likelihood fit over [[data, model], ...].",
        ),
    ] {
        engine.register_fn(name, move |pairs: Array| build_infer(kind, pairs));
        docs.add(
            "inference",
            name,
            &format!("{name}([[data, model], ...])"),
            text,
        );
    }
    engine.register_fn(
        "append",
        |h: &mut InferHandle, d: DataHandle, m: Model| -> RhaiResult<()> {
            let p = lift(Pair::new(d.data(), m))?;
            h.write()?.append(p);
            Ok(())
        },
    );
    docs.add(
        "inference",
        "append",
        "infer.append(data, model)",
        "Add one pair.",
    );
    engine
        .register_fn(
            "link",
            |h: &mut InferHandle, list: Array| -> RhaiResult<()> {
                let n = numbers(&list)?;
                lift(h.write()?.link(&n))
            },
        )
        .register_fn(
            "unlink",
            |h: &mut InferHandle, list: Array| -> RhaiResult<()> {
                let n = numbers(&list)?;
                lift(h.write()?.unlink(&n))
            },
        );
    docs.add(
        "inference",
        "par",
        "infer.par[n]  /  infer.par[\"alpha\"]  /  infer.par[\"cpl.alpha\"]",
        "A parameter of the inference by par# (from 1, as print(infer) numbers them) or by label: \
         the plain name (alpha, logEp or logE_p, N_H, sf), the exact label, or component.label. \
         A label shared by several parameters (two pairs with their own cpl) is an error listing \
         their par#.",
    );
    docs.add(
        "inference",
        "link",
        "infer.link([i, j, ...])",
        "Link parameters by par#: they share value, prior and posterior; one free slot.",
    );
    docs.add(
        "inference",
        "unlink",
        "infer.unlink([i, j, ...])",
        "Undo link.",
    );
    engine
        .register_get("par", |h: &mut InferHandle| InferParList(h.clone()))
        .register_get("cfg", |h: &mut InferHandle| InferCfgList(h.clone()))
        .register_indexer_get(|l: &mut InferParList, k: Dynamic| -> RhaiResult<Par> {
            let infer = l.0.read()?;
            let n = match k.clone().into_string() {
                Ok(s) if s.trim().parse::<usize>().is_err() => lift(infer.par_number(&s))?,
                _ => index_of(&k, "par#")?,
            };
            lift(infer.par(n))
        })
        .register_indexer_get(|l: &mut InferCfgList, k: Dynamic| -> RhaiResult<Cfg> {
            let n = index_of(&k, "cfg#")?;
            lift(l.0.read()?.cfg(n))
        })
        .register_get("len", |l: &mut InferParList| -> RhaiResult<i64> {
            Ok(l.0.read()?.rows().len() as i64)
        });
    engine
        .register_get("loglike", |h: &mut InferHandle| -> RhaiResult<f64> {
            lift(h.read()?.loglike())
        })
        .register_get("stat", |h: &mut InferHandle| -> RhaiResult<f64> {
            lift(h.read()?.stat())
        })
        .register_get("npoint", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.npoint() as i64)
        })
        .register_get("dof", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.dof())
        })
        .register_get("free_nparams", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.free_nparams() as i64)
        })
        .register_get("free_plabels", |h: &mut InferHandle| -> RhaiResult<Array> {
            Ok(h.read()?
                .clean_free_indexed_plabels()
                .into_iter()
                .map(Dynamic::from)
                .collect())
        })
        .register_get("free_pvalues", |h: &mut InferHandle| -> RhaiResult<Array> {
            Ok(to_array(&h.read()?.free_pvalues()))
        })
        .register_fn("save", |h: &mut InferHandle, dir: &str| -> RhaiResult<()> {
            lift(h.read()?.save(std::path::Path::new(dir)))
        })
        .register_fn("to_string", |h: &mut InferHandle| -> String {
            match h.read() {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        })
        .register_fn("to_debug", |h: &mut InferHandle| -> String {
            match h.read() {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        });
    for (name, usage) in [
        ("loglike", "infer.loglike"),
        ("stat", "infer.stat"),
        ("npoint", "infer.npoint"),
        ("free_nparams", "infer.free_nparams"),
    ] {
        docs.add("inference", name, usage, "At the current parameter values.");
    }
    docs.add(
        "inference",
        "save",
        "infer.save(dir) / post.save(dir)",
        "Write the tables as JSON (infer_cfg.json, infer_par.json / post_*.json).",
    );

    // user overrides (inference.md §4.3)
    engine.register_fn(
        "set$loglike_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "loglike_func")?;
            let handle = h.clone();
            let npoint = h.read()?.npoint();
            let func = cb.map(|cb| -> LoglikeFn {
                Arc::new(move |theta: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(theta))))?;
                    if let Some(x) = super::options::as_f64(&r) {
                        return Ok(LoglikeValue::Scalar(x));
                    }
                    let a = r.try_cast::<Array>().ok_or_else(|| {
                        Error::new("loglike_func must return a number or an array of numbers")
                    })?;
                    let v = num_vec(&a, "loglike_func result").map_err(|e| Error::new(e.to_string()))?;
                    if v.len() != npoint {
                        return Err(Error::new(format!(
                            "loglike_func returned {} values; the pointwise form needs one per fit bin ({npoint})",
                            v.len()
                        )));
                    }
                    Ok(LoglikeValue::Pointwise(v))
                })
            });
            update_overrides(h, |o| o.loglike = func)
        },
    );
    engine.register_fn(
        "set$logprior_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "logprior_func")?;
            let handle = h.clone();
            let func = cb.map(|cb| -> LogpriorFn {
                Arc::new(move |theta: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(theta))))?;
                    super::options::as_f64(&r)
                        .ok_or_else(|| Error::new("logprior_func must return a number"))
                })
            });
            update_overrides(h, |o| o.logprior = func)
        },
    );
    engine.register_fn(
        "set$prior_transform_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "prior_transform_func")?;
            let handle = h.clone();
            let func = cb.map(|cb| -> TransformFn {
                Arc::new(move |u: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(u))))?;
                    let a = r.try_cast::<Array>().ok_or_else(|| {
                        Error::new("prior_transform_func must return an array of numbers")
                    })?;
                    num_vec(&a, "prior_transform_func result")
                        .map_err(|e| Error::new(e.to_string()))
                })
            });
            update_overrides(h, |o| o.prior_transform = func)
        },
    );
    for (name, text) in [
        ("loglike_func", "infer.loglike_func = |infer, theta| ...: replaces the likelihood (return the total, or one value per fit bin to keep WAIC); the statistics table then shows one `custom` row of −2·loglike, iminuit minimises −2·loglike and lmfit is unavailable. () restores the built-in."),
        ("logprior_func", "infer.logprior_func = |infer, theta| ...: replaces Σ log prior (emcee and the posterior ranking; nested sampling uses the prior transform)."),
        ("prior_transform_func", "infer.prior_transform_func = |infer, u| ...: maps the unit cube to θ for nested sampling."),
    ] {
        docs.add("inference", name, &format!("infer.{name} = |infer, theta| ..."), text);
    }

    // samplers
    engine.register_fn("multinest", |h: &mut InferHandle, map: Map| {
        run_multinest(h, map)
    });
    engine.register_fn("multinest", |h: &mut InferHandle| {
        run_multinest(h, Map::new())
    });
    docs.add(
        "inference",
        "multinest",
        "infer.multinest(#{ nlive, resume, verbose, max_iter, ins, savepath, seed, tol, efficiency }) -> Posterior",
        "Nested sampling (MultiNest algorithm); writes MultiNest-layout files into savepath. \
         Defaults: nlive 500, tol 0.5, efficiency 0.3, ins true, max_iter 50·nlive, no savepath \
         (nothing written), resume true, seed from the clock. With a savepath the run is \
         checkpointed (about every nlive iterations) and a later call with resume: true continues \
         or re-reads it, but only for the same problem: the saved run records a fingerprint of the \
         data on the fit grid (counts, background, response, noticed channels, grouping, \
         statistic), the model and its frozen and linked parameters, the priors and the options \
         nlive/tol/efficiency/ins; any difference is an error listing it (use resume: false or \
         another savepath). A resumed result says 'resumed from DIR' when printed.",
    );
    engine.register_fn("emcee", |h: &mut InferHandle, map: Map| run_emcee(h, map));
    engine.register_fn("emcee", |h: &mut InferHandle| run_emcee(h, Map::new()));
    docs.add(
        "inference",
        "emcee",
        "infer.emcee(#{ nstep, discard, nwalkers, start, resume, savepath, seed, thin, verbose, restart_stranded }) -> Posterior",
        "Affine-invariant ensemble MCMC (stretch move). Defaults: nstep 1000, discard 100, \
         nwalkers max(32, 2·D), thin 1, start \"fit\", restart_stranded true, no savepath, resume \
         true, seed from the clock. start: \"fit\" runs MIGRAD on −2·(ln L + ln prior) from the \
         current values and starts the walkers in a normal ball with the fit's covariance, each \
         inside the prior (a failed fit warns and falls back to \"prior\"); \"values\" starts in a \
         1e-4 ball around the current values; \"prior\" uniformly over the prior ranges; an array \
         of numbers, a 1e-4 ball around them. During burn-in (discard), walkers stranded far below \
         the others are restarted near the ensemble (restart_stranded: false turns this off); \
         walkers still stranded after burn-in are reported. The printed result gives the start, \
         the mean acceptance fraction and the autocorrelation time τ per parameter. With a \
         savepath the chain is checkpointed every 200 steps and resumed (or extended to a larger \
         nstep) only for the same problem and start (see help(\"multinest\")).",
    );

    // maximum likelihood
    engine.register_fn("lmfit", |h: &mut InferHandle, map: Map| run_lmfit(h, map));
    engine.register_fn("lmfit", |h: &mut InferHandle| run_lmfit(h, Map::new()));
    engine.register_fn("iminuit", |h: &mut InferHandle, map: Map| {
        run_iminuit(h, map)
    });
    engine.register_fn("iminuit", |h: &mut InferHandle| run_iminuit(h, Map::new()));
    docs.add(
        "inference",
        "lmfit",
        "fit.lmfit(#{ savepath, nsample, seed, scale_covar, ncall }) -> Bootstrap",
        "Levenberg–Marquardt on the pseudo-residuals; covariance (JᵀJ)⁻¹ (unscaled unless scale_covar); returns the parametric bootstrap sample as a Posterior-like object.",
    );
    docs.add(
        "inference",
        "iminuit",
        "fit.iminuit(#{ savepath, minos, nsample, seed, ncall, tol }) -> Bootstrap",
        "MIGRAD + HESSE (+ MINOS with minos: true) on the statistic, native (no Python).",
    );

    // Posterior
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

/// `pair.rate_to_flux`, `pair.rate_to_fluxdensity(E, unit)` and their `conv_` versions.
fn register_conversions(engine: &mut Engine, docs: &mut Docs) {
    use crate::infer::{DensityUnit, RateBasis};
    let flux_doc = "Per unit: the model energy flux over its noticed ranges (erg/cm²/s) divided \
                    by its total count rate";
    let density_doc = "Per unit: the model flux density at E keV (unit \"NE\", \"Fv\" or \"Jy\") \
                       divided by its total count rate";
    for (prefix, basis, rate) in [
        ("", RateBasis::Observed, "observed net rate"),
        (
            "conv_",
            RateBasis::Folded,
            "model rate folded through the response",
        ),
    ] {
        let name = format!("{prefix}rate_to_flux");
        engine.register_get(&name, move |p: &mut PairHandle| -> RhaiResult<Array> {
            lift(p.0.rate_to_flux(basis)).map(|v| to_array(&v))
        });
        docs.add(
            "inference",
            &name,
            &format!("pair.{name} -> array"),
            &format!("{flux_doc} ({rate})."),
        );
        let name = format!("{prefix}rate_to_fluxdensity");
        let what = name.clone();
        engine.register_fn(
            &name,
            move |p: &mut PairHandle, e: Dynamic, unit: &str| -> RhaiResult<Array> {
                let e = num(&e, &what)?;
                let unit = lift(DensityUnit::parse(unit))?;
                lift(p.0.rate_to_fluxdensity(e, unit, basis)).map(|v| to_array(&v))
            },
        );
        docs.add(
            "inference",
            &name,
            &format!("pair.{name}(E, unit) -> array"),
            &format!("{density_doc} ({rate})."),
        );
    }
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
