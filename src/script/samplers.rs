//! Rhai binding of the samplers and fitters: `infer.multinest`, `infer.emcee`, `fit.lmfit`,
//! `fit.iminuit`, with their option tables. No science here: everything calls `sample` and
//! `analyze`.

use super::docs::{keys_usage, Docs};
use super::infer::InferHandle;
use super::options::OptKind::{Bool, Float, Int, Other, Path, Seed};
use super::options::{err, lift, OptionSpec, Options, RhaiResult};
use super::posterior::{remember, PostHandle, SamplerRun};
use crate::analyze::maxlike;
use crate::analyze::Posterior;
use crate::sample::{emcee, nested};
use rhai::{Engine, Map};
use std::sync::Arc;

// Options shared by several calls.
const SAVEPATH: OptionSpec = OptionSpec::new(
    "savepath",
    Path,
    "none",
    "folder for the result files (and checkpoints); none: nothing is written",
);
const SEED: OptionSpec = OptionSpec::new("seed", Seed, "from the clock", "random seed");
const RESUME: OptionSpec = OptionSpec::new(
    "resume",
    Bool,
    "true",
    "continue or re-read a run saved in savepath (same problem only)",
);
const VERBOSE: OptionSpec =
    OptionSpec::new("verbose", Bool, "false", "print diagnostics while running");
const NSAMPLE: OptionSpec = OptionSpec::new(
    "nsample",
    Int,
    "1000",
    "rows of the bootstrap sample, the best fit included",
);
const BOOT_SEED: OptionSpec =
    OptionSpec::new("seed", Seed, "450001", "seed of the bootstrap sample");
const POINTWISE: OptionSpec = OptionSpec::new(
    "pointwise",
    Bool,
    "false",
    "keep each draw's pointwise log-likelihood (for WAIC)",
);

// multinest
const NLIVE: OptionSpec = OptionSpec::new("nlive", Int, "500", "number of live points");
const MAX_ITER: OptionSpec = OptionSpec::new(
    "max_iter",
    Int,
    "50·nlive",
    "cap on iterations (0: the default); a run that hits it has not converged",
);
const INS: OptionSpec = OptionSpec::new(
    "ins",
    Bool,
    "true",
    "also compute the importance-nested-sampling evidence",
);
const NESTED_TOL: OptionSpec = OptionSpec::new(
    "tol",
    Float,
    "0.5",
    "evidence tolerance of the stopping rule",
);
const EVIDENCE_TOLERANCE: OptionSpec =
    OptionSpec::new("evidence_tolerance", Float, "0.5", "another name for tol");
const EFFICIENCY: OptionSpec =
    OptionSpec::new("efficiency", Float, "0.3", "target sampling efficiency");

/// Options of `infer.multinest(#{…})`.
pub const NESTED_OPTIONS: &[OptionSpec] = &[
    NLIVE,
    RESUME,
    VERBOSE,
    MAX_ITER,
    INS,
    SAVEPATH,
    SEED,
    NESTED_TOL,
    EVIDENCE_TOLERANCE,
    EFFICIENCY,
];

// emcee
const NSTEP: OptionSpec = OptionSpec::new("nstep", Int, "1000", "steps per walker");
const DISCARD: OptionSpec = OptionSpec::new(
    "discard",
    Int,
    "100",
    "burn-in steps dropped from the sample (< nstep)",
);
const NWALKERS: OptionSpec =
    OptionSpec::new("nwalkers", Int, "max(32, 2·D)", "walkers (even, ≥ 2·D)");
const THIN: OptionSpec = OptionSpec::new("thin", Int, "1", "keep every thin-th step after burn-in");
const RESTART_STRANDED: OptionSpec = OptionSpec::new(
    "restart_stranded",
    Bool,
    "true",
    "restart walkers stranded far below the others during burn-in",
);
const START: OptionSpec = OptionSpec::new(
    "start",
    Other("string | [numbers]"),
    "fit",
    "\"fit\", \"values\", \"prior\" or start values (see above)",
);

/// Options of `infer.emcee(#{…})`.
pub const EMCEE_OPTIONS: &[OptionSpec] = &[
    NSTEP,
    DISCARD,
    NWALKERS,
    RESUME,
    SAVEPATH,
    SEED,
    THIN,
    VERBOSE,
    RESTART_STRANDED,
    START,
];

// lmfit
const SCALE_COVAR: OptionSpec = OptionSpec::new(
    "scale_covar",
    Bool,
    "false",
    "multiply the covariance by stat/(npoint − D), as Python lmfit does",
);
const LM_NCALL: OptionSpec = OptionSpec::new(
    "ncall",
    Int,
    "2000·(D + 1)",
    "budget of residual-vector evaluations",
);

/// Options of `fit.lmfit(#{…})`.
pub const LMFIT_OPTIONS: &[OptionSpec] = &[
    SAVEPATH,
    NSAMPLE,
    BOOT_SEED,
    SCALE_COVAR,
    LM_NCALL,
    POINTWISE,
];

// iminuit
const MINOS: OptionSpec = OptionSpec::new(
    "minos",
    Bool,
    "false",
    "run MINOS for asymmetric profile-likelihood errors",
);
const MIGRAD_NCALL: OptionSpec =
    OptionSpec::new("ncall", Int, "10000", "MIGRAD call budget per start point");
const MIGRAD_TOL: OptionSpec = OptionSpec::new(
    "tol",
    Float,
    "0.1",
    "MIGRAD tolerance: converged when EDM < 0.002·tol",
);

/// Options of `fit.iminuit(#{…})`.
pub const IMINUIT_OPTIONS: &[OptionSpec] = &[
    SAVEPATH,
    NSAMPLE,
    BOOT_SEED,
    MINOS,
    MIGRAD_NCALL,
    MIGRAD_TOL,
    POINTWISE,
];

/// Read the options both samplers share (`savepath`, `seed`, `resume`, `verbose`) into `opts`.
macro_rules! sampler_common {
    ($o:expr, $opts:expr) => {
        $o.set(&SAVEPATH, &mut $opts.savepath)?;
        $opts.seed = $o.u64(&SEED)?;
        $o.set(&RESUME, &mut $opts.resume)?;
        $o.set(&VERBOSE, &mut $opts.verbose)?;
    };
}

/// Read the options both fitters share (`savepath`, `nsample`, `seed`, `pointwise`) into `opts`.
macro_rules! fit_common {
    ($o:expr, $opts:expr) => {
        $o.set(&SAVEPATH, &mut $opts.savepath)?;
        $o.set(&NSAMPLE, &mut $opts.nsample)?;
        $o.set(&BOOT_SEED, &mut $opts.seed)?;
        $o.set(&POINTWISE, &mut $opts.pointwise)?;
    };
}

/// The options of `infer.multinest(#{…})` (checked keys and types; no sampling).
pub fn nested_options(map: Map, labels: Vec<String>) -> RhaiResult<nested::NestedOptions> {
    let o = Options::new("multinest", map, NESTED_OPTIONS)?;
    // Files only where the user asks for them (the reference writes into "./" by default,
    // which makes an unrelated earlier run in the current folder "resumable").
    let mut opts = nested::NestedOptions {
        labels,
        savepath: None,
        ..Default::default()
    };
    sampler_common!(o, opts);
    o.set(&NLIVE, &mut opts.nlive)?;
    if let Some(n) = o.usize(&MAX_ITER)? {
        opts.max_iter = (n > 0).then_some(n);
    }
    o.set(&INS, &mut opts.ins)?;
    o.set(&NESTED_TOL, &mut opts.evidence_tolerance)?;
    o.set(&EVIDENCE_TOLERANCE, &mut opts.evidence_tolerance)?;
    o.set(&EFFICIENCY, &mut opts.efficiency)?;
    Ok(opts)
}

/// The options of `infer.emcee(#{…})` (checked keys and types; no sampling).
pub fn emcee_options(
    map: Map,
    labels: Vec<String>,
    start: Vec<f64>,
) -> RhaiResult<emcee::EmceeOptions> {
    let o = Options::new("emcee", map, EMCEE_OPTIONS)?;
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
    match o.raw(&START)? {
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
                    "emcee: {} must be \"fit\", \"values\", \"prior\" or an array of \
                     start values, got \"{other}\"",
                    START.key
                ))
            }
        },
        Some(_) => {
            opts.start_fit = false;
            opts.start = o.f64_vec(&START)?;
        }
    }
    o.set(&NSTEP, &mut opts.nstep)?;
    o.set(&DISCARD, &mut opts.discard)?;
    opts.nwalkers = o.usize(&NWALKERS)?;
    o.set(&THIN, &mut opts.thin)?;
    o.set(&RESTART_STRANDED, &mut opts.restart_stranded)?;
    sampler_common!(o, opts);
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
    let o = Options::new("lmfit", map, LMFIT_OPTIONS)?;
    let mut opts = maxlike::LmfitOptions::default();
    fit_common!(o, opts);
    o.set(&SCALE_COVAR, &mut opts.scale_covar)?;
    opts.ncall = o.usize(&LM_NCALL)?;
    Ok(opts)
}

fn run_iminuit(h: &InferHandle, map: Map) -> RhaiResult<PostHandle> {
    let opts = iminuit_options(map)?;
    let infer = h.read()?.clone();
    Ok(remember_fit(lift(maxlike::iminuit(&infer, &opts))?))
}

/// The options of `infer.iminuit(#{…})` (checked keys and types; no fitting).
pub fn iminuit_options(map: Map) -> RhaiResult<maxlike::MinuitFitOptions> {
    let o = Options::new("iminuit", map, IMINUIT_OPTIONS)?;
    let mut opts = maxlike::MinuitFitOptions::default();
    fit_common!(o, opts);
    o.set(&MINOS, &mut opts.minos)?;
    o.set(&MIGRAD_NCALL, &mut opts.ncall)?;
    o.set(&MIGRAD_TOL, &mut opts.tol)?;
    Ok(opts)
}

/// Register `multinest`, `emcee`, `lmfit` and `iminuit`, with their option tables in help.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    engine.register_fn("multinest", |h: &mut InferHandle, map: Map| {
        run_multinest(h, map)
    });
    engine.register_fn("multinest", |h: &mut InferHandle| {
        run_multinest(h, Map::new())
    });
    docs.add(
        "inference",
        "multinest",
        &format!(
            "infer.multinest({}) -> Posterior",
            keys_usage(NESTED_OPTIONS)
        ),
        "Nested sampling (MultiNest algorithm); writes MultiNest-layout files into savepath \
         (without one, nothing is written). With a savepath the run is checkpointed (about \
         every nlive iterations) and a later call with resume: true continues or re-reads it, \
         but only for the same problem: the saved run records a fingerprint of the data on the \
         fit grid (counts, background, response, noticed channels, grouping, statistic), the \
         model and its frozen and linked parameters, the priors and the options \
         nlive/tol/efficiency/ins; any difference is an error listing it (use resume: false or \
         another savepath). A resumed result says 'resumed from DIR' when printed.",
    );
    docs.options("multinest", "Options", NESTED_OPTIONS);
    engine.register_fn("emcee", |h: &mut InferHandle, map: Map| run_emcee(h, map));
    engine.register_fn("emcee", |h: &mut InferHandle| run_emcee(h, Map::new()));
    docs.add(
        "inference",
        "emcee",
        &format!("infer.emcee({}) -> Posterior", keys_usage(EMCEE_OPTIONS)),
        "Affine-invariant ensemble MCMC (stretch move). start: \"fit\" runs MIGRAD on \
         −2·(ln L + ln prior) from the current values and starts the walkers in a normal ball \
         with the fit's covariance, each inside the prior (a failed fit warns and falls back to \
         \"prior\"); \"values\" starts in a 1e-4 ball around the current values; \"prior\" \
         uniformly over the prior ranges; an array of numbers, a 1e-4 ball around them. During \
         burn-in (discard), walkers stranded far below the others are restarted near the \
         ensemble (restart_stranded: false turns this off); walkers still stranded after \
         burn-in are reported. The printed result gives the start, the mean acceptance \
         fraction and the autocorrelation time τ per parameter. With a savepath the chain is \
         checkpointed every 200 steps and resumed (or extended to a larger nstep) only for the \
         same problem and start (see help(\"multinest\")).",
    );
    docs.options("emcee", "Options", EMCEE_OPTIONS);

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
        &format!("fit.lmfit({}) -> Bootstrap", keys_usage(LMFIT_OPTIONS)),
        "Levenberg–Marquardt on the pseudo-residuals; covariance (JᵀJ)⁻¹ (unscaled unless scale_covar); returns the parametric bootstrap sample as a Posterior-like object.",
    );
    docs.options("lmfit", "Options", LMFIT_OPTIONS);
    docs.add(
        "inference",
        "iminuit",
        &format!("fit.iminuit({}) -> Bootstrap", keys_usage(IMINUIT_OPTIONS)),
        "MIGRAD + HESSE (+ MINOS with minos: true) on the statistic, native (no Python).",
    );
    docs.options("iminuit", "Options", IMINUIT_OPTIONS);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defaults help shows are the ones the Rust option structs use.
    #[test]
    fn help_defaults_match_the_option_structs() {
        let n = nested::NestedOptions::default();
        let e = emcee::EmceeOptions::default();
        let m = maxlike::MinuitFitOptions::default();
        let l = maxlike::LmfitOptions::default();
        for (spec, value) in [
            (NLIVE, n.nlive.to_string()),
            (RESUME, n.resume.to_string()),
            (VERBOSE, n.verbose.to_string()),
            (INS, n.ins.to_string()),
            (NESTED_TOL, n.evidence_tolerance.to_string()),
            (EVIDENCE_TOLERANCE, n.evidence_tolerance.to_string()),
            (EFFICIENCY, n.efficiency.to_string()),
            (NSTEP, e.nstep.to_string()),
            (DISCARD, e.discard.to_string()),
            (THIN, e.thin.to_string()),
            (RESUME, e.resume.to_string()),
            (RESTART_STRANDED, e.restart_stranded.to_string()),
            (NSAMPLE, m.nsample.to_string()),
            (BOOT_SEED, m.seed.to_string()),
            (MINOS, m.minos.to_string()),
            (MIGRAD_NCALL, m.ncall.to_string()),
            (MIGRAD_TOL, m.tol.to_string()),
            (POINTWISE, m.pointwise.to_string()),
            (SCALE_COVAR, l.scale_covar.to_string()),
            (NSAMPLE, l.nsample.to_string()),
            (BOOT_SEED, l.seed.to_string()),
        ] {
            assert_eq!(spec.default, value, "{}", spec.key);
        }
    }
}
