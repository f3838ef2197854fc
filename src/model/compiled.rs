//! The hot path: an immutable, lock-free snapshot of a model (`CompiledModel`) evaluated into
//! caller-provided buffers with a reusable [`Workspace`] (allocation-free once sized).

use std::sync::atomic::{AtomicU64, Ordering};

use crate::bail;
use crate::error::Result;
use crate::model::cfg::CfgValue;
use crate::model::component::{SnapEval, Snapshot};
use crate::model::expression::Model;
use crate::model::kernels::Grid;
use crate::model::kind::{Kind, Op};
use crate::model::par::Par;

/// Lower clamp of bin sample energies (keV), models.md 4.1.
pub const MIN_SAMPLE_ENERGY: f64 = 1e-10;

/// Relative positions of the 5 sample points inside a photon bin.
const BIN_POINTS: [f64; 5] = [0.0, 0.25, 0.5, 0.75, 1.0];

static NEXT_ID: AtomicU64 = AtomicU64::new(1);

/// One step of the post-order program.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Instr {
    /// evaluate component i onto a new stack slot
    Eval(usize),
    /// pop two slots, push `a OP b`
    Bin(Op),
}

/// A compiled model: flat program, per-component evaluation data and captured configuration
/// values. `Send + Sync`; parameters come in at call time as one slice in par# order.
pub struct CompiledModel {
    id: u64,
    expr: String,
    kind: Kind,
    comps: Vec<Snapshot>,
    par_off: Vec<usize>,
    npar: usize,
    prog: Vec<Instr>,
    depth: usize,
    time_dependent: bool,
    /// every component is a built-in kernel, whose value at an energy does not depend on the
    /// other energies of the grid (user functions see the whole grid)
    pointwise: bool,
    /// parameter handles and configuration values at compile time (for `is_current`)
    pars: Vec<Par>,
    cfgs: Vec<CfgValue>,
}

/// Reusable scratch memory for [`CompiledModel`] evaluation: the energy grid with cached
/// `ln E`, the evaluation stack, per-component caches (cross sections …). It grows on first use
/// and is reused without allocation afterwards; one workspace per thread.
#[derive(Default)]
pub struct Workspace {
    owner: u64,
    n: usize,
    valid: usize,
    e: Vec<f64>,
    ln_e: Vec<f64>,
    /// key of the grid in `e` (drawn from the global id counter, like [`BinGrid`] keys, so
    /// that the per-component caches can tell any two grids apart)
    grid_gen: u64,
    stack: Vec<Vec<f64>>,
    aux: Vec<Vec<f64>>,
    aux_gen: Vec<u64>,
    tbuf: Vec<f64>,
}

impl Workspace {
    /// An empty workspace (sized on first use).
    pub fn new() -> Workspace {
        Workspace::default()
    }

    /// The energies of the last [`CompiledModel::eval`] or [`CompiledModel::integrate_bins`]
    /// call (for bin integration: the 5 sample points per bin); [`CompiledModel::integrate_grid`]
    /// evaluates on its [`BinGrid`]'s [`sample_energies`](BinGrid::sample_energies) instead.
    pub fn energies(&self) -> &[f64] {
        &self.e[..self.n]
    }

    /// Size for `model` and `n` points; invalidates caches when the model changed.
    /// (Per-component caches are keyed by grid: see [`CompiledModel::run`].)
    fn prepare(&mut self, model: &CompiledModel, n: usize) {
        if self.owner != model.id {
            self.owner = model.id;
            self.aux.resize_with(model.comps.len(), Vec::new);
            self.aux_gen.clear();
            self.aux_gen.resize(model.comps.len(), u64::MAX);
            if self.stack.len() < model.depth {
                self.stack.resize_with(model.depth, Vec::new);
            }
        }
        for buf in &mut self.stack[..model.depth] {
            if buf.len() < n {
                buf.resize(n, 0.0);
            }
        }
        for (buf, c) in self.aux.iter_mut().zip(&model.comps) {
            if c.has_aux() && buf.len() != n {
                buf.resize(n, 0.0);
            }
        }
        if self.e.len() != n {
            self.e.resize(n, 0.0);
            self.ln_e.resize(n, 0.0);
            self.valid = 0;
        }
        self.n = n;
    }

    /// Store the grid, recomputing `ln E` only where an energy changed.
    fn set_grid(&mut self, f: impl Fn(usize) -> f64) {
        let mut changed = false;
        for i in 0..self.n {
            let x = f(i);
            if i >= self.valid || x.to_bits() != self.e[i].to_bits() {
                self.e[i] = x;
                self.ln_e[i] = x.ln();
                changed = true;
            }
        }
        self.valid = self.n;
        if changed {
            self.grid_gen = NEXT_ID.fetch_add(1, Ordering::Relaxed);
        }
    }
}

impl CompiledModel {
    pub(crate) fn new(
        expr: String,
        kind: Kind,
        comps: Vec<Snapshot>,
        prog: Vec<Instr>,
        depth: usize,
        pars: Vec<Par>,
        cfgs: Vec<CfgValue>,
    ) -> Self {
        let mut par_off = Vec::with_capacity(comps.len());
        let mut off = 0;
        for c in &comps {
            par_off.push(off);
            off += c.npar;
        }
        let time_dependent = comps.iter().any(|c| c.time_dependent);
        let pointwise = comps.iter().all(|c| matches!(c.eval, SnapEval::Kernel(_)));
        CompiledModel {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            expr,
            kind,
            comps,
            par_off,
            npar: off,
            prog,
            depth,
            time_dependent,
            pointwise,
            pars,
            cfgs,
        }
    }

    /// Whether this compilation still describes `model`: the same parameter handles in par#
    /// order (a `vfv_peak` switch replaces them) and the same configuration values. Use it to
    /// recompile lazily before a fit; it takes locks, so not per evaluation.
    pub fn is_current(&self, model: &Model) -> bool {
        let pars = model.params();
        pars.len() == self.pars.len()
            && pars.iter().zip(&self.pars).all(|(e, p)| e.par.same(p))
            && model
                .configs()
                .iter()
                .map(|e| e.cfg.val())
                .eq(self.cfgs.iter().cloned())
    }

    /// Number of parameters (length of the `pars` slice).
    pub fn npar(&self) -> usize {
        self.npar
    }

    /// The expression the model was compiled from.
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// The configuration values at compile time, in the model's cfg# order.
    pub fn cfg_values(&self) -> &[CfgValue] {
        &self.cfgs
    }

    /// Kind of the model.
    pub fn kind(&self) -> Kind {
        self.kind
    }

    /// Whether a time is needed.
    pub fn is_time_dependent(&self) -> bool {
        self.time_dependent
    }

    /// The current parameter values of `model` in par# order (checked against this compilation).
    pub fn values_from(&self, model: &Model) -> Result<Vec<f64>> {
        let v = model.par_values();
        if v.len() != self.npar {
            bail!(
                "model {} now has {} parameters but was compiled with {}; compile it again",
                model.expr(),
                v.len(),
                self.npar
            );
        }
        Ok(v)
    }

    /// [`CompiledModel::check_call`] for integrating over photon bins (additive models only).
    fn check_integrate_call(&self, pars: &[f64], t: Option<f64>) -> Result<()> {
        if self.kind != Kind::Add {
            bail!(
                "integrating over photon bins is invalid for {} type model ({})",
                self.kind,
                self.expr
            );
        }
        self.check_call(pars, t)
    }

    fn check_call(&self, pars: &[f64], t: Option<f64>) -> Result<()> {
        if pars.len() != self.npar {
            bail!(
                "model {} takes {} parameter values, got {}",
                self.expr,
                self.npar,
                pars.len()
            );
        }
        if self.time_dependent && t.is_none() {
            bail!(
                "model {} is time-dependent: a time T (seconds) is required",
                self.expr
            );
        }
        Ok(())
    }

    /// Run the program on the workspace grid; the result is in `ws.stack[0][..n]`.
    fn run(&self, pars: &[f64], t: Option<f64>, ws: &mut Workspace) -> Result<()> {
        let n = ws.n;
        let Workspace {
            e,
            ln_e,
            stack,
            aux,
            aux_gen,
            tbuf,
            grid_gen,
            ..
        } = ws;
        let tv = t.map(|t| [t]);
        let grid = Grid {
            e: &e[..n],
            ln_e: &ln_e[..n],
            t: tv.as_ref().map(|a| &a[..]),
        };
        self.run_on(&grid, *grid_gen, pars, stack, aux, aux_gen, tbuf)
    }

    /// Run the program on `grid` (whose key `grid_key` identifies it for the per-component
    /// caches); the result is in `stack[0][..grid.len()]`. The buffers must have been sized by
    /// [`Workspace::prepare`] for this model and `grid.len()` points.
    #[allow(clippy::too_many_arguments)]
    fn run_on(
        &self,
        grid: &Grid,
        grid_key: u64,
        pars: &[f64],
        stack: &mut [Vec<f64>],
        aux: &mut [Vec<f64>],
        aux_gen: &mut [u64],
        tbuf: &mut Vec<f64>,
    ) -> Result<()> {
        let n = grid.len();
        let mut sp = 0;
        for ins in &self.prog {
            match *ins {
                Instr::Eval(ci) => {
                    let comp = &self.comps[ci];
                    if comp.has_aux() && aux_gen[ci] != grid_key {
                        comp.fill_aux(grid, &mut aux[ci][..n])?;
                        aux_gen[ci] = grid_key;
                    }
                    let p = &pars[self.par_off[ci]..self.par_off[ci] + comp.npar];
                    let a: &[f64] = if comp.has_aux() { &aux[ci][..n] } else { &[] };
                    comp.run(grid, p, a, tbuf, &mut stack[sp][..n])?;
                    sp += 1;
                }
                Instr::Bin(op) => {
                    let (lo, hi) = stack.split_at_mut(sp - 1);
                    let a = &mut lo[sp - 2][..n];
                    let b = &hi[0][..n];
                    match op {
                        Op::Add => a.iter_mut().zip(b).for_each(|(x, y)| *x += y),
                        Op::Sub => a.iter_mut().zip(b).for_each(|(x, y)| *x -= y),
                        Op::Mul => a.iter_mut().zip(b).for_each(|(x, y)| *x *= y),
                        Op::Div => a.iter_mut().zip(b).for_each(|(x, y)| *x /= y),
                    }
                    sp -= 1;
                }
            }
        }
        Ok(())
    }

    /// Evaluate the expression at energies `e` (keV) and optional time `t` (s) into `out`
    /// (N(E) for additive, the factor for mul/math models). Allocation-free once `ws` is sized.
    pub fn eval(
        &self,
        pars: &[f64],
        e: &[f64],
        t: Option<f64>,
        out: &mut [f64],
        ws: &mut Workspace,
    ) -> Result<()> {
        self.check_call(pars, t)?;
        if out.len() != e.len() {
            bail!(
                "output buffer has {} slots for {} energies",
                out.len(),
                e.len()
            );
        }
        ws.prepare(self, e.len());
        ws.set_grid(|i| e[i]);
        self.run(pars, t, ws)?;
        out.copy_from_slice(&ws.stack[0][..e.len()]);
        Ok(())
    }

    /// Photon flux per photon bin [lo, hi] (photons cm⁻² s⁻¹) by the exact reference rule
    /// (models.md 4.1): 5 equally spaced points per bin including both edges, each clamped to
    /// ≥ 1e−10 keV, composite trapezoid. Additive models only. Allocation-free once sized.
    pub fn integrate_bins(
        &self,
        pars: &[f64],
        e_lo: &[f64],
        e_hi: &[f64],
        t: Option<f64>,
        out_flux: &mut [f64],
        ws: &mut Workspace,
    ) -> Result<()> {
        self.check_integrate_call(pars, t)?;
        let nb = e_lo.len();
        if e_hi.len() != nb || out_flux.len() != nb {
            bail!(
                "bin edges and output differ in length: {} lower, {} upper, {} output",
                nb,
                e_hi.len(),
                out_flux.len()
            );
        }
        for (i, (&lo, &hi)) in e_lo.iter().zip(e_hi).enumerate() {
            if !(lo.is_finite() && hi.is_finite() && hi >= lo) {
                bail!("photon bin {} has invalid edges [{lo}, {hi}] keV", i + 1);
            }
        }
        ws.prepare(self, 5 * nb);
        ws.set_grid(|k| {
            let (i, j) = (k / 5, k % 5);
            let (lo, hi) = (e_lo[i], e_hi[i]);
            (lo + (hi - lo) * BIN_POINTS[j]).max(MIN_SAMPLE_ENERGY)
        });
        self.run(pars, t, ws)?;
        let y = &ws.stack[0][..5 * nb];
        let x = &ws.e[..5 * nb];
        for ((o, xs), ys) in out_flux
            .iter_mut()
            .zip(x.chunks_exact(5))
            .zip(y.chunks_exact(5))
        {
            *o = trapezoid5(ys, sample_widths(xs));
        }
        Ok(())
    }

    /// [`CompiledModel::integrate_bins`] over photon bins prepared once as a [`BinGrid`]: the
    /// same numbers bit for bit, without re-validating the edges, and — when every component
    /// is a built-in (pointwise) kernel — evaluating each distinct sample energy once (a shared
    /// edge of contiguous bins is one point, models.md 4.1). The checks left are O(1).
    /// Allocation-free once `ws` is sized.
    pub fn integrate_grid(
        &self,
        pars: &[f64],
        bins: &BinGrid,
        t: Option<f64>,
        out_flux: &mut [f64],
        ws: &mut Workspace,
    ) -> Result<()> {
        self.check_integrate_call(pars, t)?;
        if out_flux.len() != bins.len() {
            bail!(
                "output buffer has {} slots for {} photon bins",
                out_flux.len(),
                bins.len()
            );
        }
        if !self.pointwise {
            // A user function sees the whole grid at once and need not be pointwise: give it
            // the reference layout, five points per bin.
            ws.prepare(self, 5 * bins.len());
            ws.set_grid(|k| bins.e[bins.sample_index(k / 5, k % 5)]);
            self.run(pars, t, ws)?;
            let y = &ws.stack[0][..5 * bins.len()];
            for (k, (o, ys)) in out_flux.iter_mut().zip(y.chunks_exact(5)).enumerate() {
                let dx = [0, 1, 2, 3].map(|j| bins.dx[j][k]);
                *o = trapezoid5(ys, dx);
            }
            return Ok(());
        }
        let n = bins.e.len();
        ws.prepare(self, n);
        let tv = t.map(|t| [t]);
        let grid = Grid {
            e: &bins.e,
            ln_e: &bins.ln_e,
            t: tv.as_ref().map(|a| &a[..]),
        };
        let Workspace {
            stack,
            aux,
            aux_gen,
            tbuf,
            ..
        } = ws;
        self.run_on(&grid, bins.id, pars, stack, aux, aux_gen, tbuf)?;
        bins.trapezoid(&stack[0][..n], out_flux);
        Ok(())
    }
}

/// The differences E_{j+1} − E_j of a bin's five sample energies.
#[inline]
fn sample_widths(x: &[f64]) -> [f64; 4] {
    [x[1] - x[0], x[2] - x[1], x[3] - x[2], x[4] - x[3]]
}

/// Composite trapezoid over a bin's five sample values `y` with sample spacings `dx`:
/// Σ_j ½(y_j + y_{j+1})·dx_j, summed in j order (models.md 4.1).
#[inline]
fn trapezoid5(y: &[f64], dx: [f64; 4]) -> f64 {
    let mut s = 0.0;
    for j in 0..4 {
        s += 0.5 * (y[j] + y[j + 1]) * dx[j];
    }
    s
}

/// The five sample energies of the photon bin [lo, hi] (models.md 4.1).
#[inline]
fn bin_samples(lo: f64, hi: f64) -> [f64; 5] {
    BIN_POINTS.map(|s| (lo + (hi - lo) * s).max(MIN_SAMPLE_ENERGY))
}

/// Photon bins prepared once for repeated integration ([`CompiledModel::integrate_grid`]):
/// validated edges, the distinct sample energies of models.md 4.1 with their logarithms, and
/// per bin the spacing of its samples.
///
/// The samples are stored by position within the bin (planes), so that the trapezoid runs over
/// whole vectors: with n bins, `e[k]` is bin k's first sample (k < n) and `e[n]` the last bin's
/// last one; sample j = 1, 2, 3 of bin k is `e[n + 1 + (j − 1)·n + k]`. Bin k's last sample is
/// bin k+1's first, `e[k + 1]`, when the two are bit-identical (contiguous bins whose edge
/// survives the rounding of lo + (hi − lo)·1); otherwise it is an extra point appended after
/// the planes. Contiguous bins thus need 4n + 1 evaluations instead of 5n.
#[derive(Debug, Clone)]
pub struct BinGrid {
    /// key of this grid for the workspace's per-component caches (unique per process)
    id: u64,
    /// number of bins
    n: usize,
    e: Vec<f64>,
    ln_e: Vec<f64>,
    /// `dx[j][k]`: the spacing between samples j and j+1 of bin k
    dx: [Vec<f64>; 4],
    /// where each bin's last sample is when some bin does not share it with the next one
    /// (`None`: always `e[k + 1]`)
    last: Option<Vec<usize>>,
}

impl BinGrid {
    /// Prepare the photon bins `[e_lo[i], e_hi[i]]` (keV). Errors when the lengths differ or
    /// a bin's edges are not finite with hi ≥ lo.
    pub fn new(e_lo: &[f64], e_hi: &[f64]) -> Result<BinGrid> {
        let n = e_lo.len();
        if e_hi.len() != n {
            bail!(
                "bin edges differ in length: {} lower, {} upper",
                n,
                e_hi.len()
            );
        }
        let mut samples = Vec::with_capacity(n);
        for (i, (&lo, &hi)) in e_lo.iter().zip(e_hi).enumerate() {
            if !(lo.is_finite() && hi.is_finite() && hi >= lo) {
                bail!("photon bin {} has invalid edges [{lo}, {hi}] keV", i + 1);
            }
            samples.push(bin_samples(lo, hi));
        }
        let mut e: Vec<f64> = Vec::with_capacity(4 * n + 1);
        e.extend(samples.iter().map(|x| x[0]));
        e.extend(samples.last().map(|x| x[4]));
        for j in 1..4 {
            e.extend(samples.iter().map(|x| x[j]));
        }
        let shared =
            |k: usize| k + 1 == n || samples[k][4].to_bits() == samples[k + 1][0].to_bits();
        let last = if (0..n).all(shared) {
            None
        } else {
            let mut index = Vec::with_capacity(n);
            for (k, x) in samples.iter().enumerate() {
                if shared(k) {
                    index.push(k + 1);
                } else {
                    index.push(e.len());
                    e.push(x[4]);
                }
            }
            Some(index)
        };
        let widths: Vec<[f64; 4]> = samples.iter().map(|x| sample_widths(x)).collect();
        let dx = [0, 1, 2, 3].map(|j| widths.iter().map(|w| w[j]).collect());
        let ln_e = e.iter().map(|x| x.ln()).collect();
        Ok(BinGrid {
            id: NEXT_ID.fetch_add(1, Ordering::Relaxed),
            n,
            e,
            ln_e,
            dx,
            last,
        })
    }

    /// Number of photon bins.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there is no photon bin.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The distinct sample energies (keV), in the plane order of [`BinGrid`].
    pub fn sample_energies(&self) -> &[f64] {
        &self.e
    }

    /// Index in [`BinGrid::sample_energies`] of sample `j` (0..5) of bin `k`.
    fn sample_index(&self, k: usize, j: usize) -> usize {
        match j {
            0 => k,
            4 => self.last.as_ref().map_or(k + 1, |v| v[k]),
            _ => self.n + 1 + (j - 1) * self.n + k,
        }
    }

    /// The composite trapezoid of every bin from the model values `y` at the sample energies
    /// (models.md 4.1), into `out` (one per bin): the operations of [`trapezoid5`], bin by bin,
    /// vectorised over the planes.
    fn trapezoid(&self, y: &[f64], out: &mut [f64]) {
        let n = self.n;
        if n == 0 {
            return;
        }
        let planes = [
            &y[..n],
            &y[n + 1..2 * n + 1],
            &y[2 * n + 1..3 * n + 1],
            &y[3 * n + 1..4 * n + 1],
        ];
        if let Some(index) = &self.last {
            for (k, o) in out[..n].iter_mut().enumerate() {
                let ys = [
                    planes[0][k],
                    planes[1][k],
                    planes[2][k],
                    planes[3][k],
                    y[index[k]],
                ];
                *o = trapezoid5(&ys, [0, 1, 2, 3].map(|j| self.dx[j][k]));
            }
            return;
        }
        let last = &y[1..n + 1];
        trapezoid_planes_wide(planes, last, &self.dx, &mut out[..n]);
    }
}

/// [`trapezoid5`] of every bin, its samples 0–3 in `planes` and sample 4 in `last`.
#[inline(always)]
fn trapezoid_planes(planes: [&[f64]; 4], last: &[f64], dx: &[Vec<f64>; 4], out: &mut [f64]) {
    let n = out.len();
    let (y0, y1, y2, y3, y4) = (
        &planes[0][..n],
        &planes[1][..n],
        &planes[2][..n],
        &planes[3][..n],
        &last[..n],
    );
    let (d0, d1, d2, d3) = (&dx[0][..n], &dx[1][..n], &dx[2][..n], &dx[3][..n]);
    for k in 0..n {
        let mut s = 0.0;
        s += 0.5 * (y0[k] + y1[k]) * d0[k];
        s += 0.5 * (y1[k] + y2[k]) * d1[k];
        s += 0.5 * (y2[k] + y3[k]) * d2[k];
        s += 0.5 * (y3[k] + y4[k]) * d3[k];
        out[k] = s;
    }
}

simd_dispatch! { "avx";
    /// [`trapezoid_planes`] on the widest vectors the CPU has.
    fn trapezoid_planes_wide(planes: [&[f64]; 4], last: &[f64], dx: &[Vec<f64>; 4], out: &mut [f64])
        => trapezoid_planes
}

impl std::fmt::Debug for CompiledModel {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CompiledModel")
            .field("expr", &self.expr)
            .field("kind", &self.kind)
            .field("npar", &self.npar)
            .field("program", &self.prog)
            .finish()
    }
}
