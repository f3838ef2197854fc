//! Affine-invariant ensemble MCMC (Goodman & Weare 2010; emcee): the stretch move with a = 2 on
//! red/blue halves, evaluated in parallel (inference.md 5.2).
//!
//! Every random number of step s comes from streams keyed by (seed, s, walker), so the chain
//! does not depend on the number of threads, and a saved chain can be continued exactly.

use crate::error::{Error, Result};
use crate::sample::autocorr::integrated_time;
use crate::sample::burn_in::restart_stranded;
use crate::sample::files::{
    ensure_dir, json_text, numpy_text, parse_table, posterior_sample_text, read_text,
    write_atomic_unflushed, WriteBatch, POSTERIOR_SAMPLE,
};
use crate::sample::fingerprint::{resume_refusal, Digest, Fingerprint};
use crate::sample::fit_start::fitted_start;
use crate::sample::progress::Progress;
use crate::sample::rng::{seed_or_clock, stream, stream_rng};
use crate::sample::Draws;
use crate::sample::Problem;
use ndarray::{Array2, Array3, ArrayView2, ArrayView3};
use ndarray_npy::{NpzReader, NpzWriter};
use rand::RngExt;
use rand_distr::StandardNormal;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use std::io::Cursor;
use std::path::{Path, PathBuf};

/// Stretch-move scale a.
const STRETCH_A: f64 = 2.0;

/// Options of [`run`]. Defaults follow the reference (inference.md 5.2).
#[derive(Debug, Clone, PartialEq)]
pub struct EmceeOptions {
    /// Steps (default 1000).
    pub nstep: usize,
    /// Burn-in steps dropped from the posterior sample (default 100); must be < nstep.
    pub discard: usize,
    /// Walkers; `None` → max(32, 2D). Must be even and ≥ 2D.
    pub nwalkers: Option<usize>,
    /// Reuse / continue a chain found in `savepath` (default true).
    pub resume: bool,
    /// Output directory for the `1-…` files (default `./`); `None` writes nothing.
    pub savepath: Option<PathBuf>,
    /// Seed; `None` → from the system clock.
    pub seed: Option<u64>,
    /// Keep every `thin`-th step after burn-in in the posterior sample (default 1).
    pub thin: usize,
    /// Centre of the start ball (current free values): walkers start at start + 10⁻⁴·N(0, 1).
    /// `None` → walkers drawn uniformly from `Problem::start_ranges`.
    pub start: Option<Vec<f64>>,
    /// Parameter labels for headers and the resume check; empty → `p1…pD`.
    pub labels: Vec<String>,
    /// Show a progress bar when on a terminal (default true).
    pub progress: bool,
    /// Print per-step diagnostics every 100 steps (default false).
    pub verbose: bool,
    /// During burn-in, restart walkers stranded far below the ensemble
    /// ([`crate::sample::burn_in`]; default true).
    pub restart_stranded: bool,
    /// Start the walkers from a quick fit ([`crate::sample::fit_start`]) begun at `start` (or
    /// the middle of the start ranges), in a ball shaped by the fit's covariance; when the fit
    /// fails, a warning and walkers uniform in the start ranges. Default false here; the
    /// scripting API's default is true.
    pub start_fit: bool,
    /// What the problem is (see [`crate::infer::Plan::fingerprint`]); saved with the chain, and
    /// a resume with a different fingerprint is refused.
    pub fingerprint: Fingerprint,
}

impl Default for EmceeOptions {
    fn default() -> Self {
        EmceeOptions {
            nstep: 1000,
            discard: 100,
            nwalkers: None,
            resume: true,
            savepath: Some(PathBuf::from("./")),
            seed: None,
            thin: 1,
            start: None,
            labels: Vec::new(),
            progress: true,
            verbose: false,
            restart_stranded: true,
            start_fit: false,
            fingerprint: Fingerprint::new(),
        }
    }
}

/// Result of [`run`].
#[derive(Debug, Clone, PartialEq)]
pub struct EmceeResult {
    /// Number of free parameters D.
    pub ndim: usize,
    /// Walkers W.
    pub nwalkers: usize,
    /// Steps in the chain (the saved chain's real length when it was longer than requested).
    pub nstep: usize,
    /// Burn-in used.
    pub discard: usize,
    /// Thinning used.
    pub thin: usize,
    /// Seed of the chain.
    pub seed: u64,
    /// Parameter labels.
    pub labels: Vec<String>,
    /// Chain (nstep, W, D).
    pub chain: Array3<f64>,
    /// Log-probability of every chain entry (nstep, W).
    pub logprob: Array2<f64>,
    /// Posterior sample: steps discard.., every `thin`-th, flattened step-major, with the
    /// log-likelihood (log-probability − log-prior) and log-probability of each row.
    pub draws: Draws,
    /// Acceptance fraction per walker (over the steps run in this call; NaN for a reused chain).
    pub acceptance_fraction: Vec<f64>,
    /// Integrated autocorrelation time per parameter (whole chain).
    pub autocorr_time: Vec<f64>,
    /// Whether the autocorrelation estimate is reliable (nstep ≥ 50 τ for every parameter).
    pub autocorr_reliable: bool,
    /// Warnings issued.
    pub warnings: Vec<String>,
    /// How the walkers started (`fit`, `ball`, `prior`; `resumed` for a saved chain).
    pub start: String,
    /// The folder the chain was resumed (or re-read) from, if any.
    pub resumed_from: Option<PathBuf>,
}

impl EmceeResult {
    /// Lines describing the run for printing: walkers and steps, how they started, the mean
    /// acceptance fraction, τ per parameter, and where the chain was resumed from.
    pub fn notes(&self) -> Vec<String> {
        let mut out = vec![format!(
            "emcee: {} walkers × {} steps (discard {}, thin {}), start: {}",
            self.nwalkers, self.nstep, self.discard, self.thin, self.start
        )];
        let acc: Vec<f64> = self
            .acceptance_fraction
            .iter()
            .cloned()
            .filter(|a| a.is_finite())
            .collect();
        let acc = if acc.is_empty() {
            "– (no new steps)".to_string()
        } else {
            format!("{:.3}", acc.iter().sum::<f64>() / acc.len() as f64)
        };
        let tau: Vec<String> = self
            .labels
            .iter()
            .zip(&self.autocorr_time)
            .map(|(l, t)| format!("{l} {t:.1}"))
            .collect();
        out.push(format!(
            "mean acceptance fraction {acc}; autocorrelation time τ (steps): {}{}",
            tau.join(", "),
            if self.autocorr_reliable {
                ""
            } else {
                " (unreliable: chain < 50 τ)"
            }
        ));
        if let Some(dir) = &self.resumed_from {
            out.push(format!("resumed from {}", dir.display()));
        }
        out
    }

    /// Position of walker `w` at step `s`.
    pub fn position(&self, s: usize, w: usize) -> &[f64] {
        self.chain
            .slice(ndarray::s![s, w, ..])
            .to_slice()
            .expect("the chain is in standard layout")
    }
}

impl crate::sample::SampledRun for EmceeResult {
    fn draws(&self) -> &Draws {
        &self.draws
    }

    fn sampler_type(&self) -> &'static str {
        "mcmc"
    }
}

/// Chain metadata saved as `1-emcee.json` (checked on resume).
#[derive(Debug, Clone, Serialize, Deserialize)]
struct Meta {
    ndim: usize,
    nwalkers: usize,
    labels: Vec<String>,
    seed: u64,
    nstep: usize,
    /// Absent in chains saved before fingerprints existed (such a chain is not resumed).
    #[serde(default)]
    fingerprint: Option<Fingerprint>,
}

/// The fingerprint a saved chain is checked against: the problem's entries plus the options
/// that change the chain (how the walkers start, restarts of stranded walkers) and the labels.
/// The seed and the number of walkers are compared separately; nstep, discard and thin may
/// change (a chain is continued or re-analysed).
fn run_fingerprint(opts: &EmceeOptions, labels: &[String]) -> Fingerprint {
    let mut d = Digest::new();
    d.u64(u64::from(opts.start_fit))
        .u64(u64::from(opts.restart_stranded));
    match (&opts.start, opts.start_fit) {
        (Some(s), false) => {
            d.u64(1).f64s(s);
        }
        (None, false) => {
            d.u64(0);
        }
        (_, true) => {
            d.u64(2);
        }
    }
    for l in labels {
        d.str(l);
    }
    let start = match (&opts.start, opts.start_fit) {
        (_, true) => "fit".to_string(),
        (Some(s), false) => format!("ball around {s:?}"),
        (None, false) => "prior".to_string(),
    };
    let mut fp = opts.fingerprint.clone();
    fp.push(
        "emcee options",
        &d,
        format!(
            "start {start}, restart_stranded {}, parameters {}",
            opts.restart_stranded,
            labels.join(", ")
        ),
    );
    fp
}

/// Log-probability: log-prior + log-likelihood, −∞ outside the prior or when not finite.
/// Walkers (0-based) that after `discard` moved in fewer than a fifth as many steps as the
/// median walker, or whose median log-probability stayed more than `10 + 5·D` below the
/// ensemble's (see [`crate::sample::burn_in`]).
fn stranded_after_burn_in(
    chain: &[f64],
    logprob: &[f64],
    nstep: usize,
    discard: usize,
    w: usize,
    d: usize,
) -> Vec<usize> {
    if nstep < discard + 2 {
        return Vec::new();
    }
    let median_of = |mut v: Vec<f64>| {
        v.sort_by(f64::total_cmp);
        v[v.len() / 2]
    };
    let moved: Vec<f64> = (0..w)
        .map(|k| {
            (discard + 1..nstep)
                .filter(|&s| {
                    let a = ((s - 1) * w + k) * d;
                    let b = (s * w + k) * d;
                    chain[a..a + d] != chain[b..b + d]
                })
                .count() as f64
        })
        .collect();
    let walker_lp: Vec<f64> = (0..w)
        .map(|k| median_of((discard..nstep).map(|s| logprob[s * w + k]).collect()))
        .collect();
    let moved_median = median_of(moved.clone());
    let floor = median_of(walker_lp.clone()) - (10.0 + 5.0 * d as f64);
    (0..w)
        .filter(|&k| 5.0 * moved[k] < moved_median || walker_lp[k] < floor)
        .collect()
}

pub(crate) fn log_probability(problem: &dyn Problem, theta: &[f64]) -> f64 {
    let lp = problem.logprior(theta);
    if !lp.is_finite() {
        return f64::NEG_INFINITY;
    }
    let ll = problem.loglike(theta);
    let v = lp + ll;
    if v.is_finite() {
        v
    } else {
        f64::NEG_INFINITY
    }
}

/// Run (or resume) the ensemble sampler.
pub fn run(problem: &dyn Problem, opts: &EmceeOptions) -> Result<EmceeResult> {
    let d = problem.ndim();
    if d == 0 {
        return Err(Error::new("emcee: the problem has no free parameters"));
    }
    let labels: Vec<String> = if opts.labels.is_empty() {
        (1..=d).map(|i| format!("p{i}")).collect()
    } else if opts.labels.len() == d {
        opts.labels.clone()
    } else {
        return Err(Error::new(format!(
            "emcee: {} labels given for {d} free parameters",
            opts.labels.len()
        )));
    };
    if opts.nstep == 0 {
        return Err(Error::new("emcee: nstep must be ≥ 1"));
    }
    if opts.thin == 0 {
        return Err(Error::new("emcee: thin must be ≥ 1"));
    }
    let mut nwalkers = opts.nwalkers.unwrap_or((2 * d).max(32));
    if !nwalkers.is_multiple_of(2) || nwalkers < 2 * d {
        return Err(Error::new(format!(
            "emcee: nwalkers = {nwalkers} must be even and at least 2·D = {}",
            2 * d
        )));
    }
    if let Some(s) = &opts.start {
        if s.len() != d || s.iter().any(|v| !v.is_finite()) {
            return Err(Error::new(format!(
                "emcee: start must hold {d} finite values, got {s:?}"
            )));
        }
    }
    let mut warnings = Vec::new();
    if let Some(dir) = &opts.savepath {
        ensure_dir(dir)?;
    }

    // Saved chain?
    let mut chain: Vec<f64> = Vec::new();
    let mut logprob: Vec<f64> = Vec::new();
    let mut done = 0usize;
    let mut seed = seed_or_clock(opts.seed);
    let fingerprint = run_fingerprint(opts, &labels);
    let mut resumed_from = None;
    let mut start_kind = "resumed".to_string();
    if let (true, Some(dir)) = (opts.resume, &opts.savepath) {
        if dir.join("1-.npz").exists() {
            let (meta, c, lp) = load_chain(dir)?;
            let Some(saved) = &meta.fingerprint else {
                return Err(Error::new(format!(
                    "{} holds an emcee chain saved by an older bayspec version, which this \
                     version cannot check against the problem; use resume: false (the old chain \
                     is then replaced) or another savepath",
                    dir.display()
                )));
            };
            let mut diffs = saved.differences(&fingerprint);
            if let Some(s) = opts.seed.filter(|&s| s != meta.seed) {
                diffs.push(format!("seed: saved {}; now {s}", meta.seed));
            }
            if meta.ndim != d {
                diffs.push(format!(
                    "dimensions: saved {} parameters; now {d}",
                    meta.ndim
                ));
            }
            if !diffs.is_empty() {
                return Err(resume_refusal("emcee", dir, &diffs));
            }
            resumed_from = Some(dir.clone());
            if opts.nwalkers.is_some_and(|w| w != meta.nwalkers) {
                return Err(Error::new(format!(
                    "cannot resume the emcee chain in {}: it has {} walkers, {nwalkers} requested",
                    dir.display(),
                    meta.nwalkers
                )));
            }
            nwalkers = meta.nwalkers;
            seed = meta.seed;
            done = meta.nstep;
            chain = c;
            logprob = lp;
            if done < opts.nstep {
                warnings.push(format!(
                    "emcee: continuing the saved chain of {done} steps up to {} steps",
                    opts.nstep
                ));
            }
        }
    }
    let nstep = opts.nstep.max(done);
    if opts.discard >= nstep {
        return Err(Error::new(format!(
            "emcee: discard = {} must be smaller than nstep = {nstep}",
            opts.discard
        )));
    }
    if let (0, Some(dir)) = (done, &opts.savepath) {
        // A fresh chain: drop an older chain first, so that a chain file on disk always
        // belongs to the metadata written next to it (see `save_chain`).
        let old = dir.join("1-.npz");
        if old.exists() {
            std::fs::remove_file(&old)
                .map_err(|e| Error::new(format!("cannot remove {}: {e}", old.display())))?;
        }
    }
    let w = nwalkers;

    // Current state.
    let mut pos: Vec<f64>;
    let mut lp: Vec<f64>;
    if done > 0 {
        pos = chain[(done - 1) * w * d..done * w * d].to_vec();
        lp = logprob[(done - 1) * w..done * w].to_vec();
    } else {
        if let Some(s) = &opts.start {
            check_start_in_prior(problem, s, &labels)?;
        }
        let fitted = if opts.start_fit {
            let x0: Vec<f64> = match &opts.start {
                Some(s) => s.clone(),
                None => problem
                    .start_ranges()
                    .iter()
                    .map(|(lo, hi)| 0.5 * (lo + hi))
                    .collect(),
            };
            match fitted_start(problem, &x0, w, seed) {
                Ok(f) => Some(f),
                Err(e) => {
                    warnings.push(format!(
                        "emcee: the start fit failed ({}); the walkers start uniformly in the \
                         prior instead",
                        e.message()
                    ));
                    None
                }
            }
        } else {
            None
        };
        pos = match fitted {
            Some(f) => {
                start_kind = format!(
                    "fit (MIGRAD, −2 ln P = {:.4} at {})",
                    f.fval,
                    labels
                        .iter()
                        .zip(&f.best)
                        .map(|(l, v)| format!("{l} = {v:.4}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                );
                f.positions
            }
            None => {
                let fell_back = opts.start_fit;
                let o = EmceeOptions {
                    start: if fell_back { None } else { opts.start.clone() },
                    ..opts.clone()
                };
                start_kind = match &o.start {
                    Some(_) => "ball (10⁻⁴) around the start values".into(),
                    None => "uniform in the prior ranges".into(),
                };
                start_positions(problem, &o, seed, w, d)?
            }
        };
        lp = pos
            .par_chunks(d)
            .map(|t| log_probability(problem, t))
            .collect();
        if lp.iter().all(|v| *v == f64::NEG_INFINITY) {
            let inside = pos
                .chunks(d)
                .filter(|t| problem.logprior(t).is_finite())
                .count();
            return Err(Error::new(if inside == 0 {
                format!(
                    "emcee: the log-probability is -inf at every start position: all {w} \
                     walkers start outside the prior; choose a start inside the prior"
                )
            } else {
                let why = pos
                    .chunks(d)
                    .find(|t| problem.logprior(t).is_finite())
                    .and_then(|t| problem.explain(t).map(|why| format!(" (at {t:?}: {why})")))
                    .unwrap_or_default();
                format!(
                    "emcee: the log-likelihood is -inf or not finite at every start position \
                     ({inside} of {w} walkers inside the prior){why}; check the model, data \
                     and start values"
                )
            }));
        }
    }
    reserve_chain(&mut chain, &mut logprob, nstep - done, w, d)?;

    let mut accepted = vec![0usize; w];
    let mut restarted = 0usize;
    let progress =
        (opts.progress && nstep > done).then(|| Progress::bar((nstep - done) as u64, "emcee"));
    let save_every = 200;
    // the saved chain's metadata after `n` steps
    let meta_at = |n: usize| Meta {
        ndim: d,
        nwalkers: w,
        labels: labels.clone(),
        seed,
        nstep: n,
        fingerprint: Some(fingerprint.clone()),
    };
    for s in done..nstep {
        if crate::notice::stop_requested() {
            crate::notice::clear_stop();
            if let Some(p) = &progress {
                p.finish();
            }
            let saved = match &opts.savepath {
                Some(dir) if s > 0 => {
                    save_chain(dir, &meta_at(s), &chain, &logprob)?;
                    format!(
                        "the chain is saved in {} and continues from there with resume: true",
                        dir.display()
                    )
                }
                _ => "nothing was saved (give a savepath to be able to resume)".into(),
            };
            return Err(Error::new(format!(
                "emcee stopped by request (Ctrl-C) at step {s} of {nstep}; {saved}"
            )));
        }
        step(problem, seed, s as u64, &mut pos, &mut lp, &mut accepted, d);
        if opts.restart_stranded {
            restarted += restart_stranded(problem, seed, s, opts.discard, &mut pos, &mut lp, d);
        }
        chain.extend_from_slice(&pos);
        logprob.extend_from_slice(&lp);
        if let Some(p) = &progress {
            if s % 10 == 0 || s + 1 == nstep {
                let mean_acc = accepted.iter().sum::<usize>() as f64 / (w * (s + 1 - done)) as f64;
                p.update((s + 1 - done) as u64, format!("acceptance {mean_acc:.3}"));
            }
        }
        if opts.verbose && (s + 1) % 100 == 0 {
            let mean_acc = accepted.iter().sum::<usize>() as f64 / (w * (s + 1 - done)) as f64;
            let best = lp.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
            let line = format!(
                "emcee step {:>6}: acceptance {mean_acc:.3}, max logprob {best:.4}",
                s + 1
            );
            match &progress {
                Some(p) => p.println(&line),
                None => crate::notice::progress(&line),
            }
        }
        if let Some(dir) = &opts.savepath {
            if (s + 1) % save_every == 0 && s + 1 < nstep {
                save_chain(dir, &meta_at(s + 1), &chain, &logprob)?;
            }
        }
    }
    if let Some(p) = &progress {
        p.finish();
    }
    let ran = nstep - done;
    let acceptance_fraction: Vec<f64> = accepted
        .iter()
        .map(|&a| {
            if ran > 0 {
                a as f64 / ran as f64
            } else {
                f64::NAN
            }
        })
        .collect();

    // Posterior sample.
    let mut samples = Vec::new();
    let mut samples_logprob = Vec::new();
    let mut samples_loglike = Vec::new();
    let mut s = opts.discard;
    while s < nstep {
        for k in 0..w {
            let i = (s * w + k) * d;
            let (t, lp) = (&chain[i..i + d], logprob[s * w + k]);
            samples.extend_from_slice(t);
            samples_logprob.push(lp);
            samples_loglike.push(if lp.is_finite() {
                lp - problem.logprior(t)
            } else {
                f64::NEG_INFINITY
            });
        }
        s += opts.thin;
    }
    let draws = Draws::from_flat(d, samples, samples_loglike, samples_logprob)?;

    let (autocorr_time, autocorr_reliable) = integrated_time(&chain, nstep, w, d, 50.0);
    if !autocorr_reliable {
        warnings.push(format!(
            "emcee: the chain ({nstep} steps) is shorter than 50 autocorrelation times \
             (τ ≈ {}); the posterior may not have converged — run longer (nstep) or start from a fit \
             (start: \"fit\")",
            autocorr_time
                .iter()
                .map(|t| format!("{t:.1}"))
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    if restarted > 0 {
        warnings.push(format!(
            "emcee: restarted {restarted} walker(s) stranded far below the ensemble during burn-in"
        ));
    }
    let stranded = stranded_after_burn_in(&chain, &logprob, nstep, opts.discard, w, d);
    if !stranded.is_empty() {
        warnings.push(format!(
            "emcee: walker(s) {stranded:?} stayed stranded after burn-in (hardly moving, or far \
             below the others in log-probability); the sample is biased — run with a longer \
             discard or start from a fit (start: \"fit\")"
        ));
    }
    if ran > 0 {
        let mean_acc = acceptance_fraction.iter().sum::<f64>() / w as f64;
        if mean_acc < 0.1 {
            warnings.push(format!(
                "emcee: mean acceptance fraction {mean_acc:.3} is below 0.1; the chain mixes \
                 poorly — start from a fit (start: \"fit\")"
            ));
        }
    }

    chain.truncate(nstep * w * d);
    logprob.truncate(nstep * w);
    let shape_err = |e: ndarray::ShapeError| Error::new(format!("emcee chain: {e}"));
    let result = EmceeResult {
        ndim: d,
        nwalkers: w,
        nstep,
        discard: opts.discard,
        thin: opts.thin,
        seed,
        labels: labels.clone(),
        chain: Array3::from_shape_vec((nstep, w, d), chain).map_err(shape_err)?,
        logprob: Array2::from_shape_vec((nstep, w), logprob).map_err(shape_err)?,
        draws,
        acceptance_fraction,
        autocorr_time,
        autocorr_reliable,
        warnings,
        start: start_kind,
        resumed_from,
    };
    if let Some(dir) = &opts.savepath {
        // the chain and the products in one batch: their flushes overlap
        let mut batch = WriteBatch::new();
        final_chain_files(
            &mut batch,
            dir,
            &meta_at(nstep),
            flat(&result.chain),
            flat(&result.logprob),
        )?;
        save_products(&mut batch, dir, &result, opts.nstep)?;
        batch.commit()?;
    }
    for wmsg in &result.warnings {
        crate::notice::warn(wmsg);
    }
    Ok(result)
}

/// The start vector must lie inside the prior: otherwise every walker of the start ball has
/// log-probability −∞. The error names the first parameter outside its start range.
fn check_start_in_prior(problem: &dyn Problem, start: &[f64], labels: &[String]) -> Result<()> {
    if problem.logprior(start).is_finite() {
        return Ok(());
    }
    let ranges = problem.start_ranges();
    let outside = start
        .iter()
        .zip(&ranges)
        .zip(labels)
        .find(|((v, (lo, hi)), _)| !(*v >= lo && *v <= hi));
    Err(Error::new(match outside {
        Some(((v, (lo, hi)), name)) => format!(
            "emcee: the start value {v} of {name} lies outside its prior (range [{lo}, {hi}]); \
             set a value inside the prior"
        ),
        None => format!(
            "emcee: the log-prior is -inf at the start values {start:?} ({}){}; set values \
             inside the prior",
            labels.join(", "),
            problem
                .explain(start)
                .map(|w| format!(": {w}"))
                .unwrap_or_default()
        ),
    }))
}

/// Make room for `steps` more chain steps, with an error instead of an abort when the chain
/// cannot be held in memory.
fn reserve_chain(
    chain: &mut Vec<f64>,
    logprob: &mut Vec<f64>,
    steps: usize,
    w: usize,
    d: usize,
) -> Result<()> {
    let too_big = || {
        Error::new(format!(
            "emcee: a chain of {steps} steps × {w} walkers × {d} parameters does not fit in \
             memory; lower nstep"
        ))
    };
    let n_lp = steps.checked_mul(w).ok_or_else(too_big)?;
    let n_chain = n_lp.checked_mul(d).ok_or_else(too_big)?;
    chain.try_reserve(n_chain).map_err(|_| too_big())?;
    logprob.try_reserve(n_lp).map_err(|_| too_big())
}

/// Start positions: the ball around `opts.start`, or uniform in the start ranges.
fn start_positions(
    problem: &dyn Problem,
    opts: &EmceeOptions,
    seed: u64,
    w: usize,
    d: usize,
) -> Result<Vec<f64>> {
    let mut rng = stream_rng(seed, stream::EMCEE_START, 0);
    let mut pos = Vec::with_capacity(w * d);
    match &opts.start {
        Some(c) => {
            for _ in 0..w {
                for v in c {
                    let z: f64 = rng.sample(StandardNormal);
                    pos.push(v + 1e-4 * z);
                }
            }
        }
        None => {
            let ranges = problem.start_ranges();
            if ranges.len() != d
                || ranges
                    .iter()
                    .any(|(lo, hi)| !(lo.is_finite() && hi.is_finite() && lo <= hi))
            {
                return Err(Error::new(format!(
                    "emcee: start ranges must be {d} finite intervals, got {ranges:?}; give a start vector"
                )));
            }
            for _ in 0..w {
                for (lo, hi) in &ranges {
                    let u: f64 = rng.random();
                    pos.push(lo + (hi - lo) * u);
                }
            }
        }
    }
    Ok(pos)
}

/// One stretch-move step on both halves (shuffled with the step's stream).
fn step(
    problem: &dyn Problem,
    seed: u64,
    s: u64,
    pos: &mut [f64],
    lp: &mut [f64],
    accepted: &mut [usize],
    d: usize,
) {
    let w = lp.len();
    let half = w / 2;
    let mut perm: Vec<usize> = (0..w).collect();
    let mut rng = stream_rng(seed, stream::EMCEE_SHUFFLE, s);
    for i in (1..w).rev() {
        let j = rng.random_range(0..=i);
        perm.swap(i, j);
    }
    for h in 0..2 {
        let (active, other) = if h == 0 {
            (&perm[..half], &perm[half..])
        } else {
            (&perm[half..], &perm[..half])
        };
        let snapshot: &[f64] = pos;
        // one task per thread: a half holds few walkers, and smaller tasks cost more in
        // scheduling than they gain
        let per = active.len().div_ceil(rayon::current_num_threads()).max(1);
        let moves: Vec<(usize, Vec<f64>, f64, bool)> = active
            .par_iter()
            .with_min_len(per)
            .map(|&k| {
                let mut rng = stream_rng(seed, stream::EMCEE_MOVE, s * w as u64 + k as u64);
                let j = other[rng.random_range(0..other.len())];
                let u: f64 = rng.random();
                let z = ((STRETCH_A - 1.0) * u + 1.0).powi(2) / STRETCH_A;
                let xk = &snapshot[k * d..(k + 1) * d];
                let xj = &snapshot[j * d..(j + 1) * d];
                let y: Vec<f64> = xj.iter().zip(xk).map(|(a, b)| a + z * (b - a)).collect();
                let lpy = log_probability(problem, &y);
                let ln_ratio = (d as f64 - 1.0) * z.ln() + lpy - lp[k];
                let r: f64 = rng.random();
                let accept = lpy > f64::NEG_INFINITY && r.ln() < ln_ratio;
                (k, y, lpy, accept)
            })
            .collect();
        for (k, y, lpy, accept) in moves {
            if accept {
                pos[k * d..(k + 1) * d].copy_from_slice(&y);
                lp[k] = lpy;
                accepted[k] += 1;
            }
        }
    }
}

/// A checkpoint of the chain: `1-emcee.json` (metadata with the fingerprint), then `1-.npz`
/// holding `chain.npy` (nstep, W, D) and `logprob.npy` (nstep, W) in one atomically replaced
/// file, so that a checkpoint is always consistent; not flushed to disk (see
/// `write_atomic_unflushed`). The final save is [`final_chain_files`], which also writes the
/// log-probabilities as the text table `1-logprob.dat`.
fn save_chain(dir: &Path, meta: &Meta, chain: &[f64], logprob: &[f64]) -> Result<()> {
    let (meta, npz) = chain_archive(meta, chain, logprob)?;
    write_atomic_unflushed(&dir.join("1-emcee.json"), meta.as_bytes())?;
    write_atomic_unflushed(&dir.join("1-.npz"), &npz)
}

/// The chain's metadata (JSON) and archive (`chain.npy`, `logprob.npy`) for its first
/// `meta.nstep` steps.
fn chain_archive(meta: &Meta, chain: &[f64], logprob: &[f64]) -> Result<(String, Vec<u8>)> {
    let (nstep, w, d) = (meta.nstep, meta.nwalkers, meta.ndim);
    let chain = ArrayView3::from_shape((nstep, w, d), &chain[..nstep * w * d])
        .map_err(|e| Error::new(format!("emcee chain: {e}")))?;
    let logprob = ArrayView2::from_shape((nstep, w), &logprob[..nstep * w])
        .map_err(|e| Error::new(format!("emcee chain: {e}")))?;
    let npz_err = |e: ndarray_npy::WriteNpzError| Error::new(format!("emcee chain archive: {e}"));
    let mut npz = NpzWriter::new(Cursor::new(Vec::new()));
    npz.add_array("chain", &chain).map_err(npz_err)?;
    npz.add_array("logprob", &logprob).map_err(npz_err)?;
    let npz = npz.finish().map_err(npz_err)?.into_inner();
    Ok((json_text(meta)?, npz))
}

/// The final chain files (metadata, archive, `1-logprob.dat`) added to `batch`.
fn final_chain_files(
    batch: &mut WriteBatch,
    dir: &Path,
    meta: &Meta,
    chain: &[f64],
    logprob: &[f64],
) -> Result<()> {
    let (text, npz) = chain_archive(meta, chain, logprob)?;
    let w = meta.nwalkers;
    let rows = ArrayView2::from_shape((meta.nstep, w), &logprob[..meta.nstep * w])
        .map_err(|e| Error::new(format!("emcee chain: {e}")))?;
    batch.push(dir.join("1-emcee.json"), text);
    batch.push_bytes(dir.join("1-.npz"), npz);
    batch.push(dir.join("1-logprob.dat"), numpy_text(rows, None));
    Ok(())
}

fn load_chain(dir: &Path) -> Result<(Meta, Vec<f64>, Vec<f64>)> {
    let mpath = dir.join("1-emcee.json");
    let meta: Meta = serde_json::from_str(&read_text(&mpath)?).map_err(|e| {
        Error::new(format!(
            "cannot resume the emcee chain: {}: {e} (the chain's parameters are unknown; use resume: false)",
            mpath.display()
        ))
    })?;
    let npz_path = dir.join("1-.npz");
    let bytes = std::fs::read(&npz_path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", npz_path.display())))?;
    let ctx = |e: &dyn std::fmt::Display| Error::new(format!("{}: {e}", npz_path.display()));
    let mut npz = NpzReader::new(Cursor::new(bytes)).map_err(|e| ctx(&e))?;
    let chain: Array3<f64> = npz.by_name("chain").map_err(|e| ctx(&e))?;
    let shape = chain.shape().to_vec();
    if shape[1] != meta.nwalkers || shape[2] != meta.ndim {
        return Err(Error::new(format!(
            "{}: chain shape {shape:?} does not match 1-emcee.json ({} walkers, {} parameters)",
            npz_path.display(),
            meta.nwalkers,
            meta.ndim
        )));
    }
    let n = shape[0];
    let names = npz.names().map_err(|e| ctx(&e))?;
    let logprob: Vec<f64> = match names.iter().any(|s| s == "logprob") {
        true => {
            let lp: Array2<f64> = npz.by_name("logprob").map_err(|e| ctx(&e))?;
            if lp.shape() != [n, meta.nwalkers] {
                return Err(Error::new(format!(
                    "{}: log-probability shape {:?} does not match the chain ({n} steps, \
                     {} walkers)",
                    npz_path.display(),
                    lp.shape(),
                    meta.nwalkers
                )));
            }
            standard_vec(lp)
        }
        // a chain saved without its log-probabilities in the archive: the text table
        false => {
            let lpath = dir.join("1-logprob.dat");
            let rows = parse_table(&read_text(&lpath)?, &lpath.display().to_string())?;
            if rows.nrows() < n || rows.ncols() != meta.nwalkers {
                return Err(Error::new(format!(
                    "{}: expected {n} rows of {} values",
                    lpath.display(),
                    meta.nwalkers
                )));
            }
            standard_vec(rows.slice_move(ndarray::s![..n, ..]))
        }
    };
    let meta = Meta { nstep: n, ..meta };
    Ok((meta, standard_vec(chain), logprob))
}

/// The elements of `a` in row-major order (only its own: the buffer of a sliced array, such
/// as the first n rows of a longer `1-logprob.dat`, holds more).
fn standard_vec<D: ndarray::Dimension>(a: ndarray::Array<f64, D>) -> Vec<f64> {
    a.iter().copied().collect()
}

/// The elements of a standard-layout array as one slice.
fn flat<D: ndarray::Dimension>(a: &ndarray::Array<f64, D>) -> &[f64] {
    a.as_slice()
        .expect("the chain arrays are in standard layout")
}

fn save_products(
    batch: &mut WriteBatch,
    dir: &Path,
    r: &EmceeResult,
    requested_nstep: usize,
) -> Result<()> {
    let tau_path = dir.join("1-autocorr_time.json");
    if r.autocorr_reliable {
        batch.push(tau_path, json_text(&r.autocorr_time)?);
    } else if tau_path.exists() {
        let _ = std::fs::remove_file(&tau_path);
    }
    batch.push(
        dir.join(POSTERIOR_SAMPLE),
        posterior_sample_text(&r.labels, &r.draws),
    );
    batch.push(
        dir.join("1-nstep.json"),
        format!("{}\n", requested_nstep.max(r.nstep)),
    );
    batch.push(dir.join("1-discard.json"), format!("{}\n", r.discard));
    Ok(())
}
