//! Burn-in repair for ensemble MCMC: walkers stranded far below the ensemble are moved back
//! into it while the burn-in (`discard`) runs.
//!
//! A walker of the stretch move can strand where every proposal (a point on the line through
//! another walker) crosses a region of far lower probability: on the quickstart posterior,
//! a walker on the plateau where the model predicts no counts at all sees only the region of
//! enormous predicted counts between it and the others, and stays for ever (acceptance ≈ 0),
//! which biases the posterior mean by more than 1σ. During burn-in, every `WINDOW` steps (the
//! last check at least `WINDOW` steps before its end), a walker whose log-probability is more
//! than `10 + 5·D` below the ensemble median — a density e^{−(10+5D)} times the typical
//! walker's, which a walker in equilibrium essentially never reaches — is restarted near a
//! walker of the upper half. Only burn-in steps are changed, and only from the state and the
//! seed, so runs stay reproducible, thread-count independent and resumable.

use crate::sample::rng::{stream, stream_rng};
use crate::sample::Problem;
use rand::RngExt;
use rand_distr::StandardNormal;

/// Steps between checks.
pub const WINDOW: usize = 100;

/// Restart stranded walkers (see the module docs) at step `s` (0-based) of a burn-in of
/// `discard` steps: `pos`/`lp` are the walkers after the move of step `s`. Call it before step
/// `s` is recorded, so that the chain holds the restarted positions and a resumed run
/// continues from exactly this state. Returns how many walkers were restarted.
pub fn restart_stranded(
    problem: &dyn Problem,
    seed: u64,
    s: usize,
    discard: usize,
    pos: &mut [f64],
    lp: &mut [f64],
    d: usize,
) -> usize {
    let w = lp.len();
    if !(s + 1).is_multiple_of(WINDOW) || s + 1 + WINDOW > discard {
        return 0;
    }
    let mut sorted: Vec<f64> = lp.iter().copied().filter(|v| !v.is_nan()).collect();
    if sorted.len() < 2 {
        return 0;
    }
    sorted.sort_by(f64::total_cmp);
    let median = sorted[sorted.len() / 2];
    let floor = median - (10.0 + 5.0 * d as f64);
    let good: Vec<usize> = (0..w).filter(|&k| lp[k] >= median).collect();
    if good.len() < 2 {
        return 0;
    }
    let mut rng = stream_rng(seed, stream::EMCEE_RESTART, s as u64);
    let mut restarted = 0;
    for k in 0..w {
        if lp[k] >= floor {
            continue;
        }
        // near a walker of the upper half, jittered by a tenth of the distance between two
        // others of the upper half (so the jitter follows the ensemble's shape and scale)
        let g = good[rng.random_range(0..good.len())];
        let a = good[rng.random_range(0..good.len())];
        let b = good[rng.random_range(0..good.len())];
        let mut y = vec![0.0; d];
        for i in 0..d {
            let n: f64 = rng.sample(StandardNormal);
            y[i] = pos[g * d + i] + 0.1 * n * (pos[a * d + i] - pos[b * d + i]);
        }
        let lpy = crate::sample::emcee::log_probability(problem, &y);
        if lpy.is_finite() {
            pos[k * d..(k + 1) * d].copy_from_slice(&y);
            lp[k] = lpy;
        } else {
            pos.copy_within(g * d..(g + 1) * d, k * d);
            lp[k] = lp[g];
        }
        restarted += 1;
    }
    restarted
}
