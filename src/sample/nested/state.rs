//! The nested-sampling state and one iteration of the algorithm (inference.md 5.1.3–5.1.5).

use super::bound::{draw_cube, EllipsoidSet};
use super::cluster::decompose;
use super::ins::Epoch;
use crate::error::{Error, Result};
use crate::math::log_add_exp;
use crate::sample::rng::{stream, stream_rng};
use crate::sample::Problem;
use rayon::prelude::*;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, VecDeque};

/// Likelihood evaluations allowed for one replacement before giving up.
const MAX_EVALS_PER_ITERATION: u64 = 2_000_000;

/// A log-likelihood as the sampler uses it: non-finite or ≤ log-zero (−10¹⁰⁰) → −∞.
pub fn sanitize_loglike(v: f64) -> f64 {
    if v.is_finite() && v > -1e100 {
        v
    } else {
        f64::NEG_INFINITY
    }
}

/// An evaluated candidate waiting in the queue.
#[derive(Debug, Clone)]
pub struct Candidate {
    /// Unit-cube coordinates.
    pub u: Vec<f64>,
    /// Parameter values.
    pub theta: Vec<f64>,
    /// ln L.
    pub logl: f64,
}

/// Why the run stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stop {
    /// Evidence tolerance or likelihood plateau reached.
    Converged,
    /// The `max_iter` cap was hit.
    MaxIter,
    /// `pause_after` reached (resumable).
    Paused,
}

/// Full sampler state (everything a checkpoint needs for an exact continuation).
#[derive(Debug, Clone)]
pub struct State {
    /// Dimension D.
    pub d: usize,
    /// Live points N.
    pub n: usize,
    /// The run's seed.
    pub seed: u64,
    /// Keep all evaluated points for INS.
    pub ins: bool,
    /// Live points in the cube (N×D).
    pub live_u: Vec<f64>,
    /// Live points' parameters (N×D).
    pub live_theta: Vec<f64>,
    /// Live points' ln L.
    pub live_logl: Vec<f64>,
    /// Iterations done (dead points).
    pub iter: u64,
    /// Likelihood calls.
    pub ncall: u64,
    /// ln Z from the dead points.
    pub ln_z: f64,
    /// Information H from the dead points.
    pub h: f64,
    /// Dead points' parameters.
    pub dead_theta: Vec<f64>,
    /// Dead points' ln L.
    pub dead_logl: Vec<f64>,
    /// Dead points' ln w (prior-mass weight).
    pub dead_logw: Vec<f64>,
    /// Evaluated candidates not used yet, with the epoch they were drawn in.
    pub queue: VecDeque<(Candidate, u32)>,
    /// Stream index of the next candidate.
    pub next_candidate: u64,
    /// Epochs (0 = the unit cube); the current region is `epochs[current_epoch]`.
    pub epochs: Vec<Epoch>,
    /// Index of the current epoch.
    pub current_epoch: usize,
    /// Iteration of the last bound (re)build or attempt.
    pub last_rebuild: u64,
    /// ln(ΣV / X) right after the last rebuild.
    pub ln_ratio_at_rebuild: f64,
    /// INS: evaluated points in the cube (flat).
    pub ins_u: Vec<f64>,
    /// INS: their ln L.
    pub ins_logl: Vec<f64>,
    /// INS: their epoch.
    pub ins_epoch: Vec<u32>,
    /// Order of the live points by ln L (derived from `live_logl`; rebuilt by
    /// [`State::reindex`] after the live set is loaded).
    pub live_index: LiveIndex,
}

/// The live points ordered by ln L: a min-heap of (ln L, index) — the worst point, first on
/// ties, in O(log N) — and the largest ln L, which never decreases since only the worst point is
/// replaced, by a better one.
#[derive(Debug, Clone, Default)]
pub struct LiveIndex {
    heap: BinaryHeap<Reverse<(TotalF64, usize)>>,
    max: f64,
}

/// An f64 ordered by `total_cmp`.
#[derive(Debug, Clone, Copy, PartialEq)]
struct TotalF64(f64);

impl Eq for TotalF64 {}

impl PartialOrd for TotalF64 {
    fn partial_cmp(&self, o: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for TotalF64 {
    fn cmp(&self, o: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&o.0)
    }
}

impl LiveIndex {
    fn build(logl: &[f64]) -> LiveIndex {
        LiveIndex {
            heap: logl
                .iter()
                .enumerate()
                .map(|(i, &l)| Reverse((TotalF64(l), i)))
                .collect(),
            max: logl.iter().cloned().fold(f64::NEG_INFINITY, f64::max),
        }
    }
}

/// Settings the iteration needs (from the options, fixed for a run).
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    /// efr.
    pub efficiency: f64,
    /// tol.
    pub evidence_tolerance: f64,
    /// Rebuild interval.
    pub update_interval: u64,
    /// Candidates per batch.
    pub batch_size: u64,
    /// Iteration cap.
    pub max_iter: u64,
}

/// What changed in a step (for diagnostics).
#[derive(Debug, Clone, Copy, Default)]
pub struct StepInfo {
    /// The bound was rebuilt in this step.
    pub rebuilt: bool,
}

/// Whether filling `n` live points is out of reach: after `drawn` prior draws with `found`
/// usable ones, even an optimistic usable fraction ((found + 3) / drawn, roughly its 95 % upper
/// bound for few finds) would need more than `max_draws` draws in all. Lets a likelihood that
/// is −∞ (or NaN) everywhere stop after a few hundred to a few thousand draws instead of
/// `max_draws` slow ones.
fn hopeless(n: u64, found: u64, drawn: u64, max_draws: u64) -> bool {
    if drawn < 100 || found >= n {
        return false;
    }
    let fraction = (found + 3) as f64 / drawn as f64;
    drawn as f64 + (n - found) as f64 / fraction > max_draws as f64
}

impl State {
    /// Draw the N initial live points uniformly in the cube (points with no likelihood are
    /// redrawn); fails when the likelihood is −∞ at every draw.
    pub fn initial(problem: &dyn Problem, n: usize, seed: u64, ins: bool) -> Result<State> {
        let d = problem.ndim();
        let mut st = State {
            d,
            n,
            seed,
            ins,
            live_u: Vec::new(),
            live_theta: Vec::new(),
            live_logl: Vec::new(),
            iter: 0,
            ncall: 0,
            ln_z: f64::NEG_INFINITY,
            h: 0.0,
            dead_theta: Vec::new(),
            dead_logl: Vec::new(),
            dead_logw: Vec::new(),
            queue: VecDeque::new(),
            next_candidate: 0,
            epochs: vec![Epoch {
                region: None,
                n_eval: 0,
                raw: 0,
            }],
            current_epoch: 0,
            last_rebuild: 0,
            ln_ratio_at_rebuild: 0.0,
            ins_u: Vec::new(),
            ins_logl: Vec::new(),
            ins_epoch: Vec::new(),
            live_index: LiveIndex::default(),
        };
        let too_big = || {
            Error::new(format!(
                "nested sampling: nlive = {n} live points of {d} parameters do not fit in \
                 memory; lower nlive"
            ))
        };
        let nd = n.checked_mul(d).ok_or_else(too_big)?;
        for v in [&mut st.live_u, &mut st.live_theta] {
            v.try_reserve_exact(nd).map_err(|_| too_big())?;
        }
        st.live_logl.try_reserve_exact(n).map_err(|_| too_big())?;
        let max_draws = (n as u64).saturating_mul(100).max(100_000);
        let mut next = 0u64;
        let mut first_bad: Option<Vec<f64>> = None;
        while st.live_logl.len() < n {
            if next >= max_draws || hopeless(n as u64, st.live_logl.len() as u64, next, max_draws) {
                let why = first_bad
                    .as_deref()
                    .and_then(|t| problem.explain(t).map(|why| format!(" (at {t:?}: {why})")))
                    .unwrap_or_default();
                return Err(Error::new(format!(
                    "nested sampling: the log-likelihood is -inf (or not finite) at {} of {next} prior draws{why}; \
                     only {} usable live points found — check the model, data and priors",
                    next - st.live_logl.len() as u64,
                    st.live_logl.len()
                )));
            }
            let batch = (n - st.live_logl.len()) as u64;
            let pts: Vec<Candidate> = (next..next + batch)
                .into_par_iter()
                .map(|k| {
                    let mut rng = stream_rng(seed, stream::NESTED_INIT, k);
                    let mut u = vec![0.0; d];
                    draw_cube(&mut rng, &mut u);
                    evaluate(problem, u)
                })
                .collect();
            next += batch;
            for c in pts {
                st.ncall += 1;
                if c.logl == f64::NEG_INFINITY {
                    if first_bad.is_none() {
                        first_bad = Some(c.theta);
                    }
                    continue;
                }
                st.epochs[0].n_eval += 1;
                st.epochs[0].raw += 1;
                if ins {
                    st.ins_u.extend_from_slice(&c.u);
                    st.ins_logl.push(c.logl);
                    st.ins_epoch.push(0);
                }
                st.live_u.extend_from_slice(&c.u);
                st.live_theta.extend_from_slice(&c.theta);
                st.live_logl.push(c.logl);
            }
        }
        st.reindex();
        Ok(st)
    }

    /// Rebuild the order of the live points from `live_logl` (after loading a live set).
    pub fn reindex(&mut self) {
        self.live_index = LiveIndex::build(&self.live_logl);
    }

    /// ln X_i = −i/N.
    pub fn ln_x(&self) -> f64 {
        -(self.iter as f64) / self.n as f64
    }

    /// Index of the live point with the lowest likelihood (first on ties).
    pub fn worst(&self) -> usize {
        match self.live_index.heap.peek() {
            Some(Reverse((_, i))) => *i,
            None => 0,
        }
    }

    /// Largest and smallest live ln L.
    pub fn live_range(&self) -> (f64, f64) {
        let mn = match self.live_index.heap.peek() {
            Some(Reverse((l, _))) => l.0,
            None => f64::INFINITY,
        };
        (mn, self.live_index.max)
    }

    /// Add a point with ln L and prior-mass weight ln w to Z and H (Skilling's update).
    pub fn accumulate(ln_z: &mut f64, h: &mut f64, logl: f64, ln_w: f64) {
        let ln_zw = logl + ln_w;
        let ln_old = *ln_z;
        let ln_new = log_add_exp(ln_old, ln_zw);
        if ln_new == f64::NEG_INFINITY {
            return;
        }
        let a = (ln_zw - ln_new).exp() * logl;
        let b = if ln_old == f64::NEG_INFINITY {
            0.0
        } else {
            (ln_old - ln_new).exp() * (*h + ln_old)
        };
        *h = a + b - ln_new;
        *ln_z = ln_new;
    }

    /// ln of the current bound's summed volume (0 for the cube).
    pub fn ln_bound_volume(&self) -> f64 {
        match &self.epochs[self.current_epoch].region {
            None => 0.0,
            Some(set) => set.ln_total,
        }
    }

    /// Number of ellipsoids in the current bound (0 for the cube).
    pub fn n_ellipsoids(&self) -> usize {
        match &self.epochs[self.current_epoch].region {
            None => 0,
            Some(set) => set.ells.len(),
        }
    }

    /// Rebuild the bound when due (5.1.4): switch from the cube to ellipsoids once their total
    /// volume (enlarged to X_i/efr) is below 1; rebuild every `update_interval` iterations or
    /// when ΣV/X_i grew by 10 % since the last rebuild.
    ///
    /// Every ellipsoid of n_k live points is enlarged to at least its share of X_i/efr: scaling
    /// the whole set up to X_i/efr at once would leave the margin to the ellipsoids that are
    /// already large (a cluster stretched over two modes) and none to the tight ones, which
    /// then cut off part of their mode. The share of the prior mass that n_k of the N points
    /// hold is uncertain by about √n_k / N (the count is Poisson), so a cluster that is not
    /// the whole set gets (n_k + √n_k)/N: small modes, whose count says least, get the widest
    /// margin.
    ///
    /// The margin 1/efr itself decays as the run proceeds (MultiNest's enlargement factor
    /// f₀·X_i^α·√(N/n_k), FHB09 §5.2; see [`ln_enlargement`]): once the ellipsoids are fitted to
    /// many points, their cross-validated fit is what keeps the contour inside, and a fixed
    /// 3.3× margin only makes two out of three candidates land outside it.
    fn update_bound(&mut self, s: &Settings) -> Result<bool> {
        let ln_x = self.ln_x();
        let ln_target = ln_x - s.efficiency.ln();
        let since = self.iter - self.last_rebuild;
        match &self.epochs[self.current_epoch].region {
            None => {
                if ln_target >= 0.0 || (self.last_rebuild > 0 && since < s.update_interval) {
                    return Ok(false);
                }
            }
            Some(set) => {
                let grown = set.ln_total - ln_x > self.ln_ratio_at_rebuild + 1.1_f64.ln();
                if since < s.update_interval && !grown {
                    return Ok(false);
                }
            }
        }
        let idx: Vec<usize> = (0..self.n).collect();
        let ln_n = (self.n as f64).ln();
        // every ellipsoid gets its share of X_i times its enlargement
        let ells = decompose(&self.live_u, &idx, self.d, ln_x, self.n)?
            .into_iter()
            .map(|(e, pts)| {
                let nk = pts.len() as f64;
                let share = if pts.len() < self.n {
                    nk + nk.sqrt()
                } else {
                    nk
                };
                let ln_f = ln_enlargement(ln_x, s.efficiency, pts.len(), self.n);
                e.at_least(ln_x + ln_f + share.ln() - ln_n)
            })
            .collect::<Result<Vec<_>>>()?;
        let mut set = EllipsoidSet::new(ells)?;
        let ln_floor = ln_x + ln_enlargement(ln_x, s.efficiency, self.n, self.n);
        if set.ln_total < ln_floor {
            set = set.scaled_volume(ln_floor - set.ln_total)?;
        }
        self.last_rebuild = self.iter;
        if set.ln_total >= 0.0 {
            self.current_epoch = 0;
            self.ln_ratio_at_rebuild = -ln_x;
        } else {
            self.ln_ratio_at_rebuild = set.ln_total - ln_x;
            self.epochs.push(Epoch {
                region: Some(set),
                n_eval: 0,
                raw: 0,
            });
            self.current_epoch = self.epochs.len() - 1;
        }
        Ok(true)
    }

    /// Draw and evaluate a batch of candidates from the current bound (in parallel, one random
    /// stream per candidate) and append them to the queue in stream order.
    fn refill(&mut self, problem: &dyn Problem, batch: u64) -> Result<()> {
        let start = self.next_candidate;
        self.next_candidate += batch;
        let epoch = self.current_epoch;
        let region = self.epochs[epoch].region.as_ref();
        let (seed, d) = (self.seed, self.d);
        let drawn: Vec<Result<(Candidate, u64)>> = (start..start + batch)
            .into_par_iter()
            .map(|k| {
                let mut rng = stream_rng(seed, stream::NESTED_CANDIDATE, k);
                let mut u = vec![0.0; d];
                let raw = match region {
                    None => {
                        draw_cube(&mut rng, &mut u);
                        1
                    }
                    Some(set) => set.draw(&mut rng, &mut u)?,
                };
                Ok((evaluate(problem, u), raw))
            })
            .collect();
        for r in drawn {
            let (c, raw) = r?;
            self.ncall += 1;
            let ep = &mut self.epochs[epoch];
            ep.n_eval += 1;
            ep.raw += raw;
            if self.ins {
                self.ins_u.extend_from_slice(&c.u);
                self.ins_logl.push(c.logl);
                self.ins_epoch.push(epoch as u32);
            }
            self.queue.push_back((c, epoch as u32));
        }
        Ok(())
    }

    /// One iteration: retire the worst live point, update Z and H, rebuild the bound when due,
    /// and replace the point by a candidate with higher likelihood.
    pub fn step(&mut self, problem: &dyn Problem, s: &Settings) -> Result<StepInfo> {
        let worst = self.worst();
        let lstar = self.live_logl[worst];
        self.iter += 1;
        let n = self.n as f64;
        let ln_w = self.ln_x() + (1.0 / n).sinh().ln();
        Self::accumulate(&mut self.ln_z, &mut self.h, lstar, ln_w);
        let d = self.d;
        self.dead_theta
            .extend_from_slice(&self.live_theta[worst * d..(worst + 1) * d]);
        self.dead_logl.push(lstar);
        self.dead_logw.push(ln_w);
        let rebuilt = self.update_bound(s)?;
        let mut evals = 0u64;
        loop {
            if self.queue.is_empty() {
                self.refill(problem, s.batch_size)?;
            }
            let Some((c, _)) = self.queue.pop_front() else {
                continue;
            };
            evals += 1;
            if c.logl > lstar {
                self.live_u[worst * d..(worst + 1) * d].copy_from_slice(&c.u);
                self.live_theta[worst * d..(worst + 1) * d].copy_from_slice(&c.theta);
                self.live_logl[worst] = c.logl;
                self.live_index.heap.pop();
                self.live_index
                    .heap
                    .push(Reverse((TotalF64(c.logl), worst)));
                self.live_index.max = self.live_index.max.max(c.logl);
                break;
            }
            if evals > MAX_EVALS_PER_ITERATION {
                return Err(Error::new(format!(
                    "nested sampling: no point with log-likelihood above {lstar} found in \
                     {evals} draws at iteration {}",
                    self.iter
                )));
            }
        }
        Ok(StepInfo { rebuilt })
    }

    /// The stopping rule (5.1.5), checked after an iteration.
    pub fn stop_reason(&self, s: &Settings) -> Option<Stop> {
        if self.iter >= s.max_iter {
            return Some(Stop::MaxIter);
        }
        if self.iter < 50 {
            return None;
        }
        let (mn, mx) = self.live_range();
        if mx + self.ln_x() - self.ln_z < s.evidence_tolerance.ln() || mx - mn <= 1e-4 {
            return Some(Stop::Converged);
        }
        None
    }

    /// ln L_max(live) + ln X_i − ln Z: the largest possible remaining contribution.
    pub fn remaining(&self) -> f64 {
        let (_, mx) = self.live_range();
        mx + self.ln_x() - self.ln_z
    }
}

/// Exponent α of the decay of the enlargement with the prior mass X_i (see [`ln_enlargement`]).
const ENLARGEMENT_DECAY: f64 = 0.4;

/// The smallest enlargement of a bound over the prior mass its points hold (or 1/efr when
/// that is smaller).
const MIN_ENLARGEMENT: f64 = 2.0;

/// ln of the factor F by which a cluster of `nk` of the `n` live points is enlarged over its
/// share of the prior mass X_i: F = (1/efr)·X_i^α·√(n/n_k) (MultiNest's f₀·X^α·√(N/n_k),
/// FHB09 §5.2, with α = 0.4), kept between [`MIN_ENLARGEMENT`] and 1/efr. Early in the run
/// (X_i ≳ 0.1 for the whole set) it is the full 1/efr; it then decays, more slowly for small
/// clusters, whose shapes are noisy. The floor of 2 is what importance nested sampling needs: its
/// evidence weighs every point by the density of all the regions that held it, and bounds
/// that follow the contour closer than that leave parts of the posterior covered only by
/// early, large regions, so the rare draws there get huge weights and ln Z_INS comes out low
/// (tests/nested_calibration.rs: mean z −0.7 to −1.0 on corr5 and the egg-box with a floor of
/// 1 or 1.5; plain NS stays calibrated either way). Decaying to 2 instead of holding 1/efr =
/// 3.3 cuts the likelihood calls of the quickstart by about a fifth.
fn ln_enlargement(ln_x: f64, efr: f64, nk: usize, n: usize) -> f64 {
    let ln_max = -efr.ln();
    let ln_f = ln_max + ENLARGEMENT_DECAY * ln_x + 0.5 * (n as f64 / nk.max(1) as f64).ln();
    ln_f.clamp(MIN_ENLARGEMENT.ln().min(ln_max), ln_max)
}

/// Transform and evaluate one unit-cube point.
fn evaluate(problem: &dyn Problem, u: Vec<f64>) -> Candidate {
    let mut theta = vec![0.0; u.len()];
    problem.prior_transform(&u, &mut theta);
    let logl = sanitize_loglike(problem.loglike(&theta));
    Candidate { u, theta, logl }
}

#[cfg(test)]
mod tests {
    use super::{hopeless, ln_enlargement};

    #[test]
    fn enlargement_decays_from_one_over_efr_to_its_floor() {
        let f = |ln_x: f64, nk: usize| ln_enlargement(ln_x, 0.3, nk, 400).exp();
        // (1/efr)·X^0.4·√(N/n_k) between 2 and 1/efr
        let expect = |ln_x: f64, nk: f64| (0.4 * ln_x).exp() / 0.3 * (400.0 / nk).sqrt();
        assert!((f(-1.0, 400) - expect(-1.0, 400.0)).abs() < 1e-12);
        assert!((f(-4.0, 25) - expect(-4.0, 25.0)).abs() < 1e-12);
        // the whole set is at its floor where a cluster of 25 points still has the full margin
        assert_eq!(f(-3.0, 400), 2.0);
        assert!((f(-3.0, 25) - 1.0 / 0.3).abs() < 1e-12);
        // never below 2, nor above 1/efr when that is smaller
        assert_eq!(f(-30.0, 400), 2.0);
        assert!((ln_enlargement(-30.0, 0.8, 400, 400).exp() - 1.25).abs() < 1e-12);
    }

    #[test]
    fn hopeless_stops_early_only_when_the_limit_is_out_of_reach() {
        let max = 100_000;
        // nothing usable: give up after a few thousand draws, not 100 000
        assert!(!hopeless(400, 0, 400, max));
        assert!(hopeless(400, 0, 800, max));
        assert!(!hopeless(50, 0, 5_000, max));
        assert!(hopeless(50, 0, 6_000, max));
        // a usable fraction of 1 % fills 400 points in ~40 000 draws: keep going
        assert!(!hopeless(400, 4, 400, max));
        assert!(!hopeless(400, 0, 400, max));
        assert!(!hopeless(400, 10, 1_000, max));
        // a usable fraction of 0.1 % would need ~400 000 draws: stop
        assert!(hopeless(400, 5, 5_000, max));
        // never before 100 draws, never once full
        assert!(!hopeless(10, 0, 99, 100));
        assert!(!hopeless(10, 10, 10_000, 100));
    }
}
