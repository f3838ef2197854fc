//! The compiled likelihood: an immutable, lock-free, allocation-free evaluator.
//!
//! `Infer::compile` snapshots models, data and links into a [`Plan`]. Evaluating
//! θ (free parameters in free order) then: writes θ into parameter slots, integrates
//! each model once per distinct energy grid over the response energy rows that any
//! fit bin sees (all-zero rows dropped), folds through the reduced, grouped
//! response, and sums the weighted statistics. Buffers live in a per-thread
//! workspace that grows once; `Plan` is `Send + Sync` so samplers can evaluate
//! in parallel.
//!
//! [`Plan::new`] turns the descriptions ([`PairPlan`], [`GridPlan`], [`UnitPlan`]) into
//! evaluation data, once:
//! * each grid's photon bins become a [`BinGrid`] (edges validated once, the distinct sample
//!   energies and their logarithms precomputed, shared bin edges evaluated once);
//! * each reduced response becomes a [`BlockedResponse`]: column blocks restricted to the
//!   rows where they are non-zero (responses are banded), stored so that the fold keeps
//!   [`BLOCK`] running sums in registers;
//! * a `pgstat`, `cstat` or `pstat` unit with fixed efficiencies gets its prepared statistic
//!   ([`PreparedPgstat`]: r = t_s/t_b, rB, V … per bin; [`PreparedCstat`], [`PreparedPstat`]:
//!   1/S, 1/B, t_s + t_b …), vectorised over the bins.
//!
//! Every shortcut gives the numbers of the direct evaluation bit for bit: the fold adds the
//! same non-zero products in the same row order (skipped terms are exact zeros), and the
//! prepared statistic computes its constants with the same operations.

use super::overrides::{LoglikeValue, Overrides};
use crate::model::compiled::BinGrid;
use crate::model::prior::Prior;
use crate::model::{CompiledModel, Workspace as ModelWorkspace};
use crate::stat::pgstat::PreparedPgstat;
use crate::stat::prepared_poisson::{PreparedCstat, PreparedPstat};
use crate::stat::{StatInputs, Statistic};
use std::cell::RefCell;
use std::sync::Arc;

/// Where a parameter value comes from at evaluation time.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Slot {
    /// A fixed (frozen or aliased-frozen) value.
    Fixed(f64),
    /// The i-th free parameter (0-based index into θ).
    Free(usize),
}

impl Slot {
    #[inline]
    fn get(self, theta: &[f64]) -> f64 {
        match self {
            Slot::Fixed(v) => v,
            Slot::Free(i) => theta[i],
        }
    }
}

/// The energy rows a model is integrated over for one grid.
#[derive(Debug, Clone)]
pub struct GridPlan {
    /// Lower edges of the kept energy rows (keV).
    pub e_lo: Vec<f64>,
    /// Upper edges of the kept energy rows (keV).
    pub e_hi: Vec<f64>,
    /// Time of the spectrum, for time-dependent models.
    pub time: Option<f64>,
}

/// One data unit on its fitting grid.
#[derive(Debug, Clone)]
pub struct UnitPlan {
    /// Unit name.
    pub name: String,
    /// Index of the unit's grid in its pair's `grids`.
    pub grid: usize,
    /// Reduced response: `grids[grid].e_lo.len()` rows × `nbin` columns, row-major (cm²).
    pub drm: Vec<f64>,
    /// Number of fit bins.
    pub nbin: usize,
    /// Statistic of the unit.
    pub stat: Statistic,
    /// Likelihood weight.
    pub weight: f64,
    /// Source counts per fit bin.
    pub s: Vec<f64>,
    /// Background counts per fit bin.
    pub b: Vec<f64>,
    /// Source count errors per fit bin.
    pub sigma_s: Vec<f64>,
    /// Background count errors per fit bin.
    pub sigma_b: Vec<f64>,
    /// Source efficiency per fit bin before `sf`.
    pub ts: Vec<f64>,
    /// Background efficiency per fit bin before `bf`.
    pub tb: Vec<f64>,
    /// Source efficiency factor `sf`.
    pub sf: Slot,
    /// Background efficiency factor `bf`.
    pub bf: Slot,
    /// Response factor `rf`.
    pub rf: Slot,
}

/// One (data, model) pair.
pub struct PairPlan {
    /// The model's evaluator.
    pub model: CompiledModel,
    /// One slot per model parameter, in the model's par# order.
    pub pars: Vec<Slot>,
    /// Distinct energy grids of the pair's units.
    pub grids: Vec<GridPlan>,
    /// The units.
    pub units: Vec<UnitPlan>,
}

/// One unit's model rates and efficiencies at a parameter point ([`Plan::unit_folds`]).
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFold {
    /// Model rate per fit bin.
    pub m: Vec<f64>,
    /// Source efficiency t_s·sf, per bin or one value.
    pub ts: Vec<f64>,
    /// Background efficiency t_b·bf, per bin or one value.
    pub tb: Vec<f64>,
}

/// The whole compiled likelihood and prior.
///
/// Cloning is cheap: the pairs and their evaluation data are shared.
#[derive(Clone)]
pub struct Plan {
    /// Pairs in order (read them with [`Plan::pairs`]; the evaluation data derive from them).
    pairs: Arc<Vec<PairPlan>>,
    /// Priors of the free parameters, in free order.
    pub priors: Vec<Prior>,
    /// Ranges of the free parameters (minimiser bounds, sampler start ranges).
    pub ranges: Vec<(f64, f64)>,
    /// Values of the free parameters when the plan was compiled.
    pub start: Vec<f64>,
    /// Evaluation data of each pair, derived from `pairs` by [`Plan::new`].
    exec: Arc<Vec<PairExec>>,
    /// Total number of grids (model workspaces per thread).
    ngrid: usize,
    /// User replacements of the prior transform, log-prior and log-likelihood.
    overrides: Overrides,
}

/// Evaluation data of one pair.
struct PairExec {
    /// Offset of the pair's first grid in the per-thread workspace list.
    grid_base: usize,
    /// One per grid of the pair.
    grids: Vec<GridExec>,
    /// Length of the pair's flat flux buffer (all grids).
    nflux: usize,
    /// One per unit of the pair.
    units: Vec<UnitExec>,
}

/// Evaluation data of one energy grid.
struct GridExec {
    /// The prepared photon bins; `None` when the edges are invalid (the flux is then NaN and
    /// the statistic +∞, as a failed model evaluation).
    bins: Option<BinGrid>,
    /// Offset of the grid's rows in the pair's flux buffer.
    offset: usize,
    /// Number of rows.
    len: usize,
}

/// Evaluation data of one unit.
struct UnitExec {
    /// The reduced response, blocked.
    response: BlockedResponse,
    /// The prepared statistic, for `pgstat`, `cstat` and `pstat` with fixed efficiencies.
    prepared: Option<PreparedStat>,
}

/// Number of fit bins per column block of a [`BlockedResponse`]: its running sums fill eight
/// SSE2 or four AVX registers, four independent addition chains per row (with two, the fold
/// waited on the adder's latency: 16 instead of 8 took the quickstart likelihood from 6.4 to
/// 6.0 µs, with the same sums in the same order).
pub const BLOCK: usize = 16;

/// One row of a column block of a [`BlockedResponse`], aligned to a cache line so that its
/// vector loads never straddle two (7 % off the quickstart's BGO fold).
#[derive(Debug, Clone, Copy)]
#[repr(C, align(64))]
pub struct BlockRow([f64; BLOCK]);

/// A reduced response (rows = kept energy rows, columns = fit bins) in column blocks of
/// [`BLOCK`] fit bins, each holding only the rows from its first to its last non-zero entry
/// (zero-padded in between, and past the last fit bin).
///
/// Folding computes every fit bin's rate as the running sum over rows in increasing row
/// order of flux × response, exactly as the dense product does; the rows it skips only
/// contribute exact zeros (for finite flux), so the sums are identical bit for bit.
#[derive(Debug, Clone)]
pub struct BlockedResponse {
    nrow: usize,
    nbin: usize,
    /// Per block: first row and number of rows.
    spans: Vec<(usize, usize)>,
    /// Per block, its rows one after the other, [`BLOCK`] values per row.
    data: Vec<BlockRow>,
}

impl BlockedResponse {
    /// Block the row-major `nrow × nbin` matrix `drm`.
    ///
    /// # Panics
    /// If `drm.len() != nrow * nbin` (a programming error).
    pub fn new(drm: &[f64], nrow: usize, nbin: usize) -> BlockedResponse {
        assert_eq!(drm.len(), nrow * nbin, "response size");
        let mut spans = Vec::with_capacity(nbin.div_ceil(BLOCK));
        let mut data = Vec::new();
        for c0 in (0..nbin).step_by(BLOCK) {
            let cols = c0..(c0 + BLOCK).min(nbin);
            let nonzero = |r: &usize| drm[r * nbin..][cols.clone()].iter().any(|&d| d != 0.0);
            let first = (0..nrow).find(nonzero);
            let last = (0..nrow).rev().find(nonzero);
            let (r0, r1) = match (first, last) {
                (Some(a), Some(b)) => (a, b + 1),
                _ => (0, 0),
            };
            spans.push((r0, r1 - r0));
            for r in r0..r1 {
                let mut row = BlockRow([0.0; BLOCK]);
                row.0[..cols.len()].copy_from_slice(&drm[r * nbin..][cols.clone()]);
                data.push(row);
            }
        }
        BlockedResponse {
            nrow,
            nbin,
            spans,
            data,
        }
    }

    /// Number of stored values (rows × [`BLOCK`] summed over blocks): the work of a fold.
    pub fn stored(&self) -> usize {
        self.data.len() * BLOCK
    }

    /// Length of the output of [`BlockedResponse::fold_padded`]: the number of fit bins
    /// rounded up to whole blocks.
    pub fn padded_len(&self) -> usize {
        self.spans.len() * BLOCK
    }

    /// Fold `flux` (one value per row) into `m` (one rate per fit bin): m_k = Σ_r flux_r·R_rk,
    /// summed in row order. A non-finite flux makes every rate NaN (the dense product would
    /// spread it over the zero entries too; the statistic is +∞ either way).
    ///
    /// # Panics
    /// If the lengths disagree with the matrix (a programming error).
    pub fn fold(&self, flux: &[f64], m: &mut [f64]) {
        assert!(m.len() == self.nbin, "fold shapes");
        let whole = self.nbin / BLOCK;
        if whole == self.spans.len() {
            return self.fold_padded(flux, m);
        }
        // the whole blocks straight into `m`, the last (partial) one through a buffer
        let (head, tail) = m.split_at_mut(whole * BLOCK);
        let rows: usize = self.spans[..whole].iter().map(|s| s.1).sum();
        let mut last = [0.0; BLOCK];
        self.fold_spans(flux, &self.spans[..whole], &self.data[..rows], head);
        self.fold_spans(flux, &self.spans[whole..], &self.data[rows..], &mut last);
        tail.copy_from_slice(&last[..tail.len()]);
    }

    /// [`BlockedResponse::fold`] into `m` of length [`BlockedResponse::padded_len`]: every
    /// block writes whole, the entries past the last fit bin are 0 (or NaN with `flux`).
    ///
    /// # Panics
    /// If the lengths disagree with the matrix (a programming error).
    pub fn fold_padded(&self, flux: &[f64], m: &mut [f64]) {
        assert!(m.len() == self.padded_len(), "fold shapes");
        self.fold_spans(flux, &self.spans, &self.data, m);
    }

    /// The fold of the blocks `spans` (rows `data`) into `m` (`BLOCK` per span).
    fn fold_spans(&self, flux: &[f64], spans: &[(usize, usize)], data: &[BlockRow], m: &mut [f64]) {
        assert!(flux.len() == self.nrow, "fold shapes");
        // (a count, unlike `all`, vectorises)
        if flux.iter().filter(|f| !f.is_finite()).count() != 0 {
            m.fill(f64::NAN);
            return;
        }
        fold_blocks_wide(spans, data, flux, m);
    }
}

simd_dispatch! { "avx";
    /// [`fold_blocks`] on the widest vectors the CPU has (AVX suffices: no integer lanes).
    fn fold_blocks_wide(spans: &[(usize, usize)], data: &[BlockRow], flux: &[f64], m: &mut [f64])
        => fold_blocks
}

/// The fold loop of [`BlockedResponse::fold`]: per block, [`BLOCK`] running sums over its
/// rows, which the compiler keeps in vector registers, stored whole into `m` (`BLOCK` values
/// per span).
#[inline(always)]
fn fold_blocks(spans: &[(usize, usize)], data: &[BlockRow], flux: &[f64], m: &mut [f64]) {
    let mut rows = data;
    for (out, &(r0, len)) in m.chunks_exact_mut(BLOCK).zip(spans) {
        let (block, rest) = rows.split_at(len);
        rows = rest;
        let mut acc = [0.0; BLOCK];
        for (&f, d) in flux[r0..r0 + len].iter().zip(block) {
            for (a, &dj) in acc.iter_mut().zip(&d.0) {
                *a += f * dj;
            }
        }
        out.copy_from_slice(&acc);
    }
}

/// Per-thread scratch space.
#[derive(Default)]
struct Scratch {
    pars: Vec<f64>,
    flux: Vec<f64>,
    m: Vec<f64>,
    ts: Vec<f64>,
    tb: Vec<f64>,
    models: Vec<ModelWorkspace>,
    bins: Vec<f64>,
    resid: Vec<f64>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

/// Statistic and per-unit results of one evaluation.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitStat {
    /// Unweighted unit statistic.
    pub stat: f64,
    /// Likelihood weight.
    pub weight: f64,
}

impl Plan {
    /// A plan over compiled pairs and the free parameters' priors.
    ///
    /// Derives the evaluation data (prepared photon bins, blocked responses, prepared
    /// statistics) once.
    ///
    /// # Panics
    /// If a unit's `drm` is not `rows × nbin` of its grid or its statistic inputs have
    /// inconsistent lengths (programming errors of the caller).
    pub fn new(
        pairs: Vec<PairPlan>,
        priors: Vec<Prior>,
        ranges: Vec<(f64, f64)>,
        start: Vec<f64>,
    ) -> Plan {
        let mut exec = Vec::with_capacity(pairs.len());
        let mut ngrid = 0;
        for p in &pairs {
            let mut nflux = 0;
            let grids = p
                .grids
                .iter()
                .map(|g| {
                    let len = g.e_lo.len();
                    let offset = nflux;
                    nflux += len;
                    GridExec {
                        bins: BinGrid::new(&g.e_lo, &g.e_hi).ok(),
                        offset,
                        len,
                    }
                })
                .collect();
            let units = p
                .units
                .iter()
                .map(|u| {
                    let nrow = p.grids[u.grid].e_lo.len();
                    UnitExec {
                        response: BlockedResponse::new(&u.drm, nrow, u.nbin),
                        prepared: prepared_stat(u),
                    }
                })
                .collect();
            exec.push(PairExec {
                grid_base: ngrid,
                grids,
                nflux,
                units,
            });
            ngrid += p.grids.len();
        }
        Plan {
            pairs: Arc::new(pairs),
            priors,
            ranges,
            start,
            exec: Arc::new(exec),
            ngrid,
            overrides: Overrides::default(),
        }
    }

    /// Use the user's functions in place of the built-ins (inference.md §4.3).
    pub fn with_overrides(mut self, overrides: Overrides) -> Plan {
        self.overrides = overrides;
        self
    }

    /// Whether a user log-likelihood replaces the statistics.
    pub fn has_custom_loglike(&self) -> bool {
        self.overrides.loglike.is_some()
    }

    /// Names of the user functions that replace built-ins (`prior_transform`, `logprior`,
    /// `loglike`), in that order.
    pub fn custom_overrides(&self) -> Vec<&'static str> {
        let o = &self.overrides;
        [
            (o.prior_transform.is_some(), "prior_transform"),
            (o.logprior.is_some(), "logprior"),
            (o.loglike.is_some(), "loglike"),
        ]
        .into_iter()
        .filter_map(|(set, name)| set.then_some(name))
        .collect()
    }

    /// The pairs the plan was built from.
    pub fn pairs(&self) -> &[PairPlan] {
        &self.pairs
    }

    /// Number of free parameters.
    pub fn ndim(&self) -> usize {
        self.priors.len()
    }

    /// Total number of fit bins.
    pub fn npoint(&self) -> usize {
        self.pairs
            .iter()
            .flat_map(|p| p.units.iter())
            .map(|u| u.nbin)
            .sum()
    }

    /// θ from the unit cube (inverse cdf of each prior).
    pub fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        if let Some(f) = &self.overrides.prior_transform {
            match f(u) {
                Ok(v) if v.len() == theta.len() => theta.copy_from_slice(&v),
                _ => theta.iter_mut().for_each(|t| *t = f64::NAN),
            }
            return;
        }
        for ((t, &q), p) in theta.iter_mut().zip(u).zip(&self.priors) {
            *t = p.ppf(q);
        }
    }

    /// Σ logpdf of the free parameters.
    pub fn logprior(&self, theta: &[f64]) -> f64 {
        if let Some(f) = &self.overrides.logprior {
            return match f(theta) {
                Ok(x) if !x.is_nan() => x,
                _ => f64::NEG_INFINITY,
            };
        }
        self.priors
            .iter()
            .zip(theta)
            .map(|(p, &x)| p.logpdf(x))
            .sum()
    }

    /// The weighted total statistic Σ w·C (+∞ when any model value is not finite).
    pub fn stat(&self, theta: &[f64]) -> f64 {
        if let Some(f) = &self.overrides.loglike {
            return match f(theta) {
                Ok(v) => -2.0 * v.total(),
                Err(_) => f64::INFINITY,
            };
        }
        let mut total = 0.0;
        self.for_each_unit(theta, |u, c| total += u.weight * c);
        total
    }

    /// `−stat/2`.
    pub fn loglike(&self, theta: &[f64]) -> f64 {
        -0.5 * self.stat(theta)
    }

    /// `loglike` of many parameter vectors at once, evaluated in parallel (rayon); `out[i]`
    /// belongs to `thetas[i]`. The result does not depend on the number of threads.
    pub fn loglike_batch(&self, thetas: &[Vec<f64>], out: &mut [f64]) {
        use rayon::prelude::*;
        out.par_iter_mut()
            .zip(thetas.par_iter())
            .for_each(|(o, t)| *o = self.loglike(t));
    }

    /// logprior + loglike, −∞ without evaluating the likelihood outside the prior.
    pub fn logprob(&self, theta: &[f64]) -> f64 {
        let lp = self.logprior(theta);
        if !lp.is_finite() {
            return f64::NEG_INFINITY;
        }
        lp + self.loglike(theta)
    }

    /// Unweighted statistic of every unit, in pair then unit order.
    pub fn unit_stats(&self, theta: &[f64]) -> Vec<UnitStat> {
        let mut out = Vec::new();
        self.for_each_unit(theta, |u, c| {
            out.push(UnitStat {
                stat: c,
                weight: u.weight,
            })
        });
        out
    }

    /// Weighted signed pseudo-residuals √w·r_i of every fit bin (pair, unit, bin order) into
    /// `out` (length `npoint`; Σ out² = stat). Upper-limit units fill their first entry.
    ///
    /// With a user log-likelihood there are no residuals: `out` is filled with NaN (least
    /// squares refuses such plans up front).
    pub fn pseudo_residuals(&self, theta: &[f64], out: &mut [f64]) {
        if self.overrides.loglike.is_some() {
            out.iter_mut().for_each(|x| *x = f64::NAN);
            return;
        }
        self.per_bin(theta, out, |_, r, w| r * w.sqrt());
    }

    /// Weighted pointwise log-likelihood −w·c_i/2 of every fit bin into `out` (length
    /// `npoint`).
    pub fn pointwise_loglike(&self, theta: &[f64], out: &mut [f64]) {
        if let Some(f) = &self.overrides.loglike {
            match f(theta) {
                Ok(LoglikeValue::Pointwise(v)) if v.len() == out.len() => out.copy_from_slice(&v),
                _ => out.iter_mut().for_each(|x| *x = f64::NAN),
            }
            return;
        }
        let mut off = 0;
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for (unit, ue) in pair.units.iter().zip(self.exec[ip].units.iter()) {
                    let dst = &mut out[off..off + unit.nbin];
                    off += unit.nbin;
                    // the prepared statistic's per-bin values (the likelihood's fast path)
                    if let Some(prepared) = &ue.prepared {
                        fold_unit(&self.exec[ip], unit, ue, theta, &mut sc);
                        if prepared.loglike_bins_padded(&sc.m, dst) {
                            if unit.weight != 1.0 {
                                dst.iter_mut().for_each(|v| *v *= unit.weight);
                            }
                            continue;
                        }
                    }
                    eval_unit(&self.exec[ip], unit, ue, theta, &mut sc, true);
                    for (o, &c) in dst.iter_mut().zip(&sc.bins) {
                        *o = -0.5 * unit.weight * c;
                    }
                }
            }
        });
    }

    fn per_bin(&self, theta: &[f64], out: &mut [f64], f: impl Fn(f64, f64, f64) -> f64) {
        let mut off = 0;
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for (unit, ue) in pair.units.iter().zip(&self.exec[ip].units) {
                    eval_unit(&self.exec[ip], unit, ue, theta, &mut sc, true);
                    for k in 0..unit.nbin {
                        out[off + k] = f(sc.bins[k], sc.resid[k], unit.weight);
                    }
                    off += unit.nbin;
                }
            }
        });
    }

    /// Per unit (pair then unit order): the model rate per fit bin and the efficiencies with
    /// `sf`/`bf` applied, i.e. what the statistic compares with the unit's counts (posterior
    /// predictive checks; allocates).
    pub fn unit_folds(&self, theta: &[f64]) -> Vec<UnitFold> {
        let mut out = Vec::new();
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for (unit, ue) in pair.units.iter().zip(&self.exec[ip].units) {
                    fold_unit(&self.exec[ip], unit, ue, theta, &mut sc);
                    let (sf, bf) = (unit.sf.get(theta), unit.bf.get(theta));
                    out.push(UnitFold {
                        m: sc.m[..unit.nbin].to_vec(),
                        ts: unit.ts.iter().map(|x| x * sf).collect(),
                        tb: unit.tb.iter().map(|x| x * bf).collect(),
                    });
                }
            }
        });
        out
    }

    /// Model count rate per fit bin of every unit (for tables, plots and tests).
    pub fn folded_rates(&self, theta: &[f64]) -> Vec<Vec<f64>> {
        self.unit_folds(theta).into_iter().map(|f| f.m).collect()
    }

    /// Integrate the pair's model over its grids into `sc.flux`; a failed evaluation
    /// (e.g. an error raised by a user component) fills NaN, which the statistics turn
    /// into an infinite statistic.
    fn fill_pair(&self, ip: usize, theta: &[f64], sc: &mut Scratch) {
        let (pair, ex) = (&self.pairs[ip], &self.exec[ip]);
        if sc.models.len() < self.ngrid {
            sc.models.resize_with(self.ngrid, ModelWorkspace::new);
        }
        let Scratch {
            pars, flux, models, ..
        } = sc;
        pars.clear();
        pars.extend(pair.pars.iter().map(|s| s.get(theta)));
        flux.resize(ex.nflux, 0.0);
        for ((g, ge), ws) in pair
            .grids
            .iter()
            .zip(&ex.grids)
            .zip(&mut models[ex.grid_base..])
        {
            let out = &mut flux[ge.offset..ge.offset + ge.len];
            let ok = ge.bins.as_ref().is_some_and(|bins| {
                pair.model
                    .integrate_grid(pars, bins, g.time, out, ws)
                    .is_ok()
            });
            if !ok {
                out.fill(f64::NAN);
            }
        }
    }

    /// Why the log-likelihood at `theta` is not finite, when it is not: the error a user
    /// callback (loglike_func, logprior_func) or the model evaluation raised, a model that is
    /// not finite, or the unit whose statistic is not finite. `None` when it is finite.
    /// Diagnostics only (allocates; the hot paths swallow these errors into −∞).
    pub fn explain(&self, theta: &[f64]) -> Option<String> {
        // one line, whatever the error text holds
        let flat =
            |e: &crate::error::Error| e.message().split_whitespace().collect::<Vec<_>>().join(" ");
        // "<what> failed: …" unless the error already names the callback
        let failed = |what: &str, e: &crate::error::Error| {
            let m = flat(e);
            if m.starts_with(what) {
                m
            } else {
                format!("{what} failed: {m}")
            }
        };
        if let Some(f) = &self.overrides.logprior {
            match f(theta) {
                Err(e) => return Some(failed("logprior_func", &e)),
                Ok(x) if x.is_nan() => return Some("logprior_func returned NaN".into()),
                Ok(_) => {}
            }
        }
        if let Some(f) = &self.overrides.loglike {
            return match f(theta) {
                Err(e) => Some(failed("loglike_func", &e)),
                Ok(v) => {
                    let raw = match &v {
                        LoglikeValue::Pointwise(p) => p.iter().sum::<f64>(),
                        LoglikeValue::Scalar(x) => *x,
                    };
                    (!raw.is_finite()).then(|| format!("loglike_func returned {raw}"))
                }
            };
        }
        let many = self.pairs.len() > 1;
        for (ip, (pair, ex)) in self.pairs.iter().zip(self.exec.iter()).enumerate() {
            let which = if many {
                format!("the model of pair {}", ip + 1)
            } else {
                "the model".to_string()
            };
            let pars: Vec<f64> = pair.pars.iter().map(|s| s.get(theta)).collect();
            for (g, ge) in pair.grids.iter().zip(&ex.grids) {
                let Some(bins) = ge.bins.as_ref() else {
                    continue;
                };
                let mut out = vec![0.0; ge.len];
                let mut ws = ModelWorkspace::new();
                if let Err(e) = pair
                    .model
                    .integrate_grid(&pars, bins, g.time, &mut out, &mut ws)
                {
                    return Some(format!("{which} failed: {}", flat(&e)));
                }
                let bad = out.iter().filter(|v| !v.is_finite()).count();
                if bad > 0 {
                    return Some(format!(
                        "{which} is not finite (NaN or inf) in {bad} of {} energy bins",
                        out.len()
                    ));
                }
            }
        }
        let mut found = None;
        self.for_each_unit(theta, |u, c| {
            if found.is_none() && !c.is_finite() {
                found = Some(format!(
                    "the {} statistic of unit '{}' is {c}",
                    u.stat, u.name
                ));
            }
        });
        found
    }

    fn for_each_unit(&self, theta: &[f64], mut f: impl FnMut(&UnitPlan, f64)) {
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for (unit, ue) in pair.units.iter().zip(&self.exec[ip].units) {
                    let c = eval_unit(&self.exec[ip], unit, ue, theta, &mut sc, false);
                    f(unit, c);
                }
            }
        });
    }
}

/// A unit statistic prepared for its fixed inputs (bit for bit `Statistic::eval`).
enum PreparedStat {
    Pgstat(PreparedPgstat),
    Cstat(PreparedCstat),
    Pstat(PreparedPstat),
}

impl PreparedStat {
    /// ℓ_i per bin of the first `nbin` rates of `m` (padded) into `out`; false when a rate is
    /// not finite.
    fn loglike_bins_padded(&self, m: &[f64], out: &mut [f64]) -> bool {
        match self {
            PreparedStat::Pgstat(p) => p.loglike_bins_padded(m, out),
            PreparedStat::Cstat(p) => p.loglike_bins_padded(m, out),
            PreparedStat::Pstat(p) => p.loglike_bins_padded(m, out),
        }
    }

    /// The statistic of the first `nbin` rates of `m` (padded to whole vectors).
    fn stat_padded(&self, m: &[f64]) -> f64 {
        match self {
            PreparedStat::Pgstat(p) => p.stat_padded(m),
            PreparedStat::Cstat(p) => p.stat_padded(m),
            PreparedStat::Pstat(p) => p.stat_padded(m),
        }
    }
}

/// The prepared statistic of a unit whose efficiencies are fixed (`sf`, `bf` not free), for
/// the statistics that have one.
fn prepared_stat(u: &UnitPlan) -> Option<PreparedStat> {
    let (Slot::Fixed(sf), Slot::Fixed(bf)) = (u.sf, u.bf) else {
        return None;
    };
    if !matches!(
        u.stat,
        Statistic::Pgstat | Statistic::Cstat | Statistic::Pstat
    ) {
        return None;
    }
    let (ts, tb) = (scaled(&u.ts, sf), scaled(&u.tb, bf));
    let inputs = StatInputs::new(&u.s, &u.b, &u.sigma_s, &u.sigma_b, &ts, &tb);
    match u.stat {
        Statistic::Pgstat => Some(PreparedStat::Pgstat(PreparedPgstat::new(&inputs))),
        Statistic::Cstat => PreparedCstat::new(&inputs).map(PreparedStat::Cstat),
        Statistic::Pstat => PreparedPstat::new(&inputs).map(PreparedStat::Pstat),
        _ => None,
    }
}

/// `x · factor` elementwise, or `x` itself when the factor is 1 (as [`eval_unit`] does).
fn scaled(x: &[f64], factor: f64) -> Vec<f64> {
    if factor == 1.0 {
        x.to_vec()
    } else {
        x.iter().map(|v| v * factor).collect()
    }
}

/// Fold the pair's flux through the unit's reduced response into `sc.m` (padded to whole
/// blocks: the unit's rates are `sc.m[..unit.nbin]`).
fn fold_unit(ex: &PairExec, unit: &UnitPlan, ue: &UnitExec, theta: &[f64], sc: &mut Scratch) {
    let g = &ex.grids[unit.grid];
    let flux = &sc.flux[g.offset..g.offset + g.len];
    let m = &mut sc.m;
    m.resize(ue.response.padded_len(), 0.0);
    ue.response.fold_padded(flux, m);
    let rf = unit.rf.get(theta);
    if rf != 1.0 {
        for mk in m.iter_mut() {
            *mk *= rf;
        }
    }
}

/// Fold and evaluate one unit's statistic (unweighted); with `per_bin`, also the per-bin
/// statistic and residuals into `sc.bins` / `sc.resid`.
fn eval_unit(
    ex: &PairExec,
    unit: &UnitPlan,
    ue: &UnitExec,
    theta: &[f64],
    sc: &mut Scratch,
    per_bin: bool,
) -> f64 {
    fold_unit(ex, unit, ue, theta, sc);
    if let (Some(prepared), false) = (&ue.prepared, per_bin) {
        return prepared.stat_padded(&sc.m);
    }
    let (sf, bf) = (unit.sf.get(theta), unit.bf.get(theta));
    let Scratch {
        m,
        ts,
        tb,
        bins,
        resid,
        ..
    } = sc;
    let m = &m[..unit.nbin];
    let ts: &[f64] = if sf == 1.0 {
        &unit.ts
    } else {
        ts.clear();
        ts.extend(unit.ts.iter().map(|x| x * sf));
        ts
    };
    let tb: &[f64] = if bf == 1.0 {
        &unit.tb
    } else {
        tb.clear();
        tb.extend(unit.tb.iter().map(|x| x * bf));
        tb
    };
    let inputs = StatInputs::new(&unit.s, &unit.b, &unit.sigma_s, &unit.sigma_b, ts, tb);
    if per_bin {
        bins.resize(unit.nbin, 0.0);
        resid.resize(unit.nbin, 0.0);
        unit.stat.eval_bins(&inputs, m, bins, resid)
    } else {
        unit.stat.eval(&inputs, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_paths_agree_bit_for_bit() {
        let (nrow, nbin) = (40, 21);
        let drm: Vec<f64> = (0..nrow * nbin)
            .map(|i| {
                let (r, k) = (i / nbin, i % nbin);
                if k <= r / 2 + 1 {
                    ((i * 7919) % 1000) as f64 * 0.37
                } else {
                    0.0
                }
            })
            .collect();
        let resp = BlockedResponse::new(&drm, nrow, nbin);
        let flux: Vec<f64> = (0..nrow).map(|r| 1.0 / (1.0 + r as f64)).collect();
        let mut portable = vec![0.0; resp.padded_len()];
        fold_blocks(&resp.spans, &resp.data, &flux, &mut portable);
        let mut dispatched = vec![0.0; nbin];
        resp.fold(&flux, &mut dispatched);
        let mut padded = vec![1.0; resp.padded_len()];
        resp.fold_padded(&flux, &mut padded);
        for ((a, b), c) in portable.iter().zip(&dispatched).zip(&padded) {
            assert_eq!(a.to_bits(), b.to_bits());
            assert_eq!(a.to_bits(), c.to_bits());
        }
        assert!(portable[..nbin].iter().all(|x| *x > 0.0));
        assert!(padded[nbin..].iter().all(|x| *x == 0.0));
    }
}
