//! The compiled likelihood: an immutable, lock-free, allocation-free evaluator.
//!
//! `Infer::compile` snapshots models, data and links into a [`Plan`]. Evaluating
//! θ (free parameters in free order) then: writes θ into parameter slots, integrates
//! each model once per distinct energy grid over the response energy rows that any
//! fit bin sees (all-zero rows dropped), folds through the reduced, grouped
//! response, and sums the weighted statistics. Buffers live in a per-thread
//! workspace that grows once; `Plan` is `Send + Sync` so samplers can evaluate
//! in parallel.

use crate::model::prior::Prior;
use crate::model::{CompiledModel, Workspace as ModelWorkspace};
use crate::stat::{StatInputs, Statistic};
use std::cell::RefCell;

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

/// The whole compiled likelihood and prior.
pub struct Plan {
    /// Pairs in order.
    pub pairs: Vec<PairPlan>,
    /// Priors of the free parameters, in free order.
    pub priors: Vec<Prior>,
    /// Ranges of the free parameters (minimiser bounds, sampler start ranges).
    pub ranges: Vec<(f64, f64)>,
    /// Values of the free parameters when the plan was compiled.
    pub start: Vec<f64>,
    /// Offset of each pair's first grid in the per-thread workspace list.
    grid_base: Vec<usize>,
    ngrid: usize,
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
    pub fn new(
        pairs: Vec<PairPlan>,
        priors: Vec<Prior>,
        ranges: Vec<(f64, f64)>,
        start: Vec<f64>,
    ) -> Plan {
        let mut grid_base = Vec::with_capacity(pairs.len());
        let mut ngrid = 0;
        for p in &pairs {
            grid_base.push(ngrid);
            ngrid += p.grids.len();
        }
        Plan {
            pairs,
            priors,
            ranges,
            start,
            grid_base,
            ngrid,
        }
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
        for ((t, &q), p) in theta.iter_mut().zip(u).zip(&self.priors) {
            *t = p.ppf(q);
        }
    }

    /// Σ logpdf of the free parameters.
    pub fn logprior(&self, theta: &[f64]) -> f64 {
        self.priors
            .iter()
            .zip(theta)
            .map(|(p, &x)| p.logpdf(x))
            .sum()
    }

    /// The weighted total statistic Σ w·C (+∞ when any model value is not finite).
    pub fn stat(&self, theta: &[f64]) -> f64 {
        let mut total = 0.0;
        self.for_each_unit(theta, |u, c| total += u.weight * c);
        total
    }

    /// `−stat/2`.
    pub fn loglike(&self, theta: &[f64]) -> f64 {
        -0.5 * self.stat(theta)
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
    pub fn pseudo_residuals(&self, theta: &[f64], out: &mut [f64]) {
        self.per_bin(theta, out, |_, r, w| r * w.sqrt());
    }

    /// Weighted pointwise log-likelihood −w·c_i/2 of every fit bin into `out` (length
    /// `npoint`).
    pub fn pointwise_loglike(&self, theta: &[f64], out: &mut [f64]) {
        self.per_bin(theta, out, |c, _, w| -0.5 * w * c);
    }

    fn per_bin(&self, theta: &[f64], out: &mut [f64], f: impl Fn(f64, f64, f64) -> f64) {
        let mut off = 0;
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for unit in &pair.units {
                    eval_unit(pair, unit, theta, &mut sc, true);
                    for k in 0..unit.nbin {
                        out[off + k] = f(sc.bins[k], sc.resid[k], unit.weight);
                    }
                    off += unit.nbin;
                }
            }
        });
    }

    /// Model count rate per fit bin of every unit (for tables, plots and tests).
    pub fn folded_rates(&self, theta: &[f64]) -> Vec<Vec<f64>> {
        let mut out = Vec::new();
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for unit in &pair.units {
                    fold_unit(pair, unit, theta, &mut sc);
                    out.push(sc.m.clone());
                }
            }
        });
        out
    }

    /// Integrate the pair's model over its grids into `sc.flux`; a failed evaluation
    /// (e.g. an error raised by a user component) fills NaN, which the statistics turn
    /// into an infinite statistic.
    fn fill_pair(&self, ip: usize, theta: &[f64], sc: &mut Scratch) {
        let pair = &self.pairs[ip];
        if sc.models.len() < self.ngrid {
            sc.models.resize_with(self.ngrid, ModelWorkspace::new);
        }
        let Scratch {
            pars, flux, models, ..
        } = sc;
        pars.clear();
        pars.extend(pair.pars.iter().map(|s| s.get(theta)));
        let total: usize = pair.grids.iter().map(|g| g.e_lo.len()).sum();
        flux.resize(total, 0.0);
        let mut off = 0;
        for (ig, g) in pair.grids.iter().enumerate() {
            let n = g.e_lo.len();
            let out = &mut flux[off..off + n];
            let ws = &mut models[self.grid_base[ip] + ig];
            if pair
                .model
                .integrate_bins(pars, &g.e_lo, &g.e_hi, g.time, out, ws)
                .is_err()
            {
                out.iter_mut().for_each(|x| *x = f64::NAN);
            }
            off += n;
        }
    }

    fn for_each_unit(&self, theta: &[f64], mut f: impl FnMut(&UnitPlan, f64)) {
        SCRATCH.with(|cell| {
            let mut sc = cell.borrow_mut();
            for (ip, pair) in self.pairs.iter().enumerate() {
                self.fill_pair(ip, theta, &mut sc);
                for unit in &pair.units {
                    let c = eval_unit(pair, unit, theta, &mut sc, false);
                    f(unit, c);
                }
            }
        });
    }
}

/// Offset of grid `g` in the pair's flat flux buffer.
fn grid_offset(pair: &PairPlan, g: usize) -> usize {
    pair.grids[..g].iter().map(|x| x.e_lo.len()).sum()
}

/// Fold the pair's flux through the unit's reduced response into `sc.m`.
fn fold_unit(pair: &PairPlan, unit: &UnitPlan, theta: &[f64], sc: &mut Scratch) {
    let off = grid_offset(pair, unit.grid);
    let nrow = pair.grids[unit.grid].e_lo.len();
    let flux = &sc.flux[off..off + nrow];
    let m = &mut sc.m;
    m.clear();
    m.resize(unit.nbin, 0.0);
    for (r, &f) in flux.iter().enumerate() {
        let row = &unit.drm[r * unit.nbin..(r + 1) * unit.nbin];
        for (mk, &d) in m.iter_mut().zip(row) {
            *mk += f * d;
        }
    }
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
    pair: &PairPlan,
    unit: &UnitPlan,
    theta: &[f64],
    sc: &mut Scratch,
    per_bin: bool,
) -> f64 {
    fold_unit(pair, unit, theta, sc);
    let (sf, bf) = (unit.sf.get(theta), unit.bf.get(theta));
    let Scratch {
        m,
        ts,
        tb,
        bins,
        resid,
        ..
    } = sc;
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
    let inputs = StatInputs {
        s: &unit.s,
        b: &unit.b,
        sigma_s: &unit.sigma_s,
        sigma_b: &unit.sigma_b,
        ts,
        tb,
    };
    if per_bin {
        bins.resize(unit.nbin, 0.0);
        resid.resize(unit.nbin, 0.0);
        unit.stat.eval_bins(&inputs, m, bins, resid)
    } else {
        unit.stat.eval(&inputs, m)
    }
}
