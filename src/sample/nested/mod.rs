//! Nested sampling with the MultiNest algorithm (inference.md 5.1): ellipsoidal rejection
//! sampling with multi-ellipsoid decomposition, evidence and information, the stopping rule,
//! importance nested sampling, MultiNest-layout output files and resume.
//!
//! Candidates are drawn in batches, one random stream per candidate, evaluated in parallel and
//! consumed in stream order (each checked against the current likelihood threshold), so the
//! result of a seed does not depend on the number of threads.

pub mod bound;
pub mod checkpoint;
pub mod cluster;
pub mod ellipsoid;
pub mod ins;
pub mod options;
pub mod output;
pub mod result;
pub mod state;

pub use options::NestedOptions;
pub use result::NestedResult;

use crate::error::{Error, Result};
use crate::sample::files::ensure_dir;
use crate::sample::fingerprint::resume_refusal;
use crate::sample::progress::Progress;
use crate::sample::rng::seed_or_clock;
use crate::sample::Problem;
use checkpoint::Checkpointer;
use state::{Settings, State, Stop};

/// Run the nested sampler on `problem` (or re-read / continue a run in `opts.savepath` when
/// `opts.resume`). Warnings (max_iter cap, NS/INS disagreement) are printed to stderr and
/// returned in the result.
pub fn run(problem: &dyn Problem, opts: &NestedOptions) -> Result<NestedResult> {
    let d = problem.ndim();
    let labels = opts.validate(d)?;
    let max_iter = opts.effective_max_iter() as u64;
    if let Some(dir) = &opts.savepath {
        ensure_dir(dir)?;
    }
    let mut settings = Settings {
        efficiency: opts.efficiency,
        evidence_tolerance: opts.evidence_tolerance,
        update_interval: opts.effective_update_interval(),
        batch_size: opts.batch_size as u64,
        max_iter,
    };

    let fingerprint = opts.run_fingerprint(&labels);
    let mut resumed = None;
    let mut resumed_from = None;
    if let (true, Some(dir)) = (opts.resume, &opts.savepath) {
        if let Some((cp, st, saved, writer)) = Checkpointer::load(dir)? {
            let mut diffs = cp.fingerprint.differences(&fingerprint);
            if let Some(seed) = opts.seed.filter(|&s| s != cp.seed) {
                diffs.push(format!("seed: saved {}; now {seed}", cp.seed));
            }
            if cp.ndim != d || cp.nlive != opts.nlive {
                diffs.push(format!(
                    "dimensions: saved {} parameters and nlive {}; now {d} and {}",
                    cp.ndim, cp.nlive, opts.nlive
                ));
            }
            if !diffs.is_empty() {
                return Err(resume_refusal("nested-sampling", dir, &diffs));
            }
            settings = Settings { max_iter, ..saved };
            resumed_from = Some(dir.clone());
            if cp.status == "converged" || cp.status == "max_iter" {
                let stop = if cp.status == "converged" {
                    Stop::Converged
                } else {
                    Stop::MaxIter
                };
                if opts.verbose {
                    crate::notice::progress(format!(
                        "nested sampling: resuming from a finished run in {}",
                        dir.display()
                    ));
                }
                let mut r = result::finalize(&st, problem, &labels, stop);
                output::write_outputs(dir, &st, &r)?;
                r.resumed_from = resumed_from;
                report_warnings(&r);
                return Ok(r);
            }
            writer.truncate_to_checkpoint(d)?;
            if opts.verbose {
                crate::notice::progress(format!(
                    "nested sampling: resuming at iteration {} from {}",
                    st.iter,
                    dir.display()
                ));
            }
            resumed = Some((st, writer));
        }
    }

    let (mut st, mut writer) = match resumed {
        Some((st, w)) => (st, Some(w)),
        None => {
            let writer = match &opts.savepath {
                Some(dir) => {
                    let warn = dir.join(output::MAX_ITER_WARNING);
                    if warn.exists() {
                        let _ = std::fs::remove_file(&warn);
                    }
                    Some(Checkpointer::fresh(dir, fingerprint.clone())?)
                }
                None => None,
            };
            let seed = seed_or_clock(opts.seed);
            (State::initial(problem, opts.nlive, seed, opts.ins)?, writer)
        }
    };
    let checkpoint_every = opts.effective_checkpoint_interval();

    let progress = opts.progress.then(|| Progress::spinner("nested sampling"));
    let mut interrupted = false;
    let stop = loop {
        if let Some(reason) = st.stop_reason(&settings) {
            break reason;
        }
        if opts.pause_after.is_some_and(|p| st.iter >= p as u64) {
            break Stop::Paused;
        }
        if crate::notice::stop_requested() {
            interrupted = true;
            break Stop::Paused;
        }
        let info = st.step(problem, &settings)?;
        if opts.verbose && info.rebuilt {
            let line = format!(
                "it {:>7}  ncall {:>9}  lnZ {:>12.4}  remaining {:>9.3}  bound: {} ellipsoid(s), ln V {:>9.3} (ln X {:>9.3})  efficiency {:.3}",
                st.iter,
                st.ncall,
                st.ln_z,
                st.remaining(),
                st.n_ellipsoids(),
                st.ln_bound_volume(),
                st.ln_x(),
                st.iter as f64 / st.ncall.max(1) as f64
            );
            match &progress {
                Some(p) => p.println(&line),
                None => crate::notice::progress(&line),
            }
        }
        if let Some(p) = &progress {
            if st.iter % 50 == 0 {
                p.update(
                    st.iter,
                    format!(
                        "it {} lnZ {:.3} remaining {:.3} eff {:.3}",
                        st.iter,
                        st.ln_z,
                        st.remaining(),
                        st.iter as f64 / st.ncall.max(1) as f64
                    ),
                );
            }
        }
        if let Some(w) = &mut writer {
            if st.iter % checkpoint_every == 0 {
                w.save(&st, &labels, &settings, "running")?;
            }
        }
    };
    if let Some(p) = &progress {
        p.finish();
    }
    let mut r = result::finalize(&st, problem, &labels, stop);
    r.resumed_from = resumed_from;
    if let (Some(w), Some(dir)) = (&mut writer, &opts.savepath) {
        let status = match stop {
            Stop::Converged => "converged",
            Stop::MaxIter => "max_iter",
            Stop::Paused => "paused",
        };
        w.save(&st, &labels, &settings, status)?;
        output::write_outputs(dir, &st, &r)?;
    }
    if interrupted {
        crate::notice::clear_stop();
        return Err(Error::new(format!(
            "nested sampling stopped by request (Ctrl-C) at iteration {}; {}",
            st.iter,
            match &opts.savepath {
                Some(dir) => format!(
                    "the run is saved in {} and continues from there with resume: true",
                    dir.display()
                ),
                None => "nothing was saved (give a savepath to be able to resume)".into(),
            }
        )));
    }
    report_warnings(&r);
    Ok(r)
}

fn report_warnings(r: &NestedResult) {
    for w in &r.warnings {
        crate::notice::warn(w);
    }
}
