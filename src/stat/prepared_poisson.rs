//! `pstat` and `cstat` prepared for repeated evaluation: per-bin constants computed once, a
//! vectorised pass over the common cases (including the logarithm far from the data), the
//! general code for the rest, bit for bit `Statistic::eval`.

use super::lanes::{chunked_loglike_bins, chunked_stat, chunked_stat_unpadded, padded};
use super::poisson::rel_loglike_lane;
use super::{cstat, pstat, StatInputs};

/// Whether every count can take the vectorised Poisson term (finite and ≥ 0).
fn counts_ok(x: &[f64]) -> bool {
    x.iter().all(|v| v.is_finite() && *v >= 0.0)
}

/// A prepared statistic's two evaluations of ℓ: the general code for one bin, and the
/// branch-free loop over whole groups of bins that the compiler vectorises.
trait Lanes {
    /// ℓ of bin `i` at model rate `m` by the general code.
    fn bin(&self, i: usize, m: f64) -> f64;

    /// ℓ of bins `base..base + m.len()` into `out`, NaN where the general code decides.
    fn pass_loop(&self, base: usize, m: &[f64], out: &mut [f64]);
}

/// −2 Σ ℓ_i for `m` of one rate per bin (see [`chunked_stat_unpadded`]).
fn prepared_stat<L: Lanes>(lanes: &L, m: &[f64]) -> f64 {
    chunked_stat_unpadded(
        m,
        |b, m, out| pass(lanes, b, m, out),
        |i, mi| lanes.bin(i, mi),
    )
}

/// −2 Σ ℓ_i over the first `n` rates of the padded `m` (see [`chunked_stat`]).
fn prepared_stat_padded<L: Lanes>(lanes: &L, n: usize, m: &[f64]) -> f64 {
    chunked_stat(
        n,
        m,
        |b, m, out| pass(lanes, b, m, out),
        |i, mi| lanes.bin(i, mi),
    )
}

/// ℓ_i of every bin (see [`chunked_loglike_bins`]).
fn prepared_loglike_bins<L: Lanes>(lanes: &L, n: usize, m: &[f64], out: &mut [f64]) -> bool {
    chunked_loglike_bins(
        n,
        m,
        out,
        |b, m, out| pass(lanes, b, m, out),
        |i, mi| lanes.bin(i, mi),
    )
}

simd_dispatch! { "avx2";
    /// [`Lanes::pass_loop`] on the widest vectors the CPU has.
    fn pass[L: Lanes](lanes: &L, base: usize, m: &[f64], out: &mut [f64]) => Lanes::pass_loop
}

/// `pstat` over a unit's bins with fixed efficiencies: [`PreparedPstat::stat`] equals
/// [`Statistic::Pstat`](super::Statistic::Pstat)`.eval` bit for bit. Build it once per unit
/// (it allocates); evaluating does not allocate.
#[derive(Clone, Debug)]
pub struct PreparedPstat {
    n: usize,
    /// S, 1/S and t_s per bin, padded to whole vectors
    s: Vec<f64>,
    inv_s: Vec<f64>,
    ts: Vec<f64>,
}

impl PreparedPstat {
    /// Precompute from the unit's inputs; `None` when a source count is negative (the general
    /// code handles such inputs).
    ///
    /// # Panics
    /// If the lengths of `inp` disagree (a programming error).
    pub fn new(inp: &StatInputs) -> Option<PreparedPstat> {
        let n = inp.len();
        assert!(inp.shape_ok(n), "PreparedPstat: inconsistent input lengths");
        if !counts_ok(inp.s) {
            return None;
        }
        Some(PreparedPstat {
            n,
            s: padded(inp.s.iter().copied(), 0.0),
            inv_s: padded(inp.s.iter().map(|s| 1.0 / s), 0.0),
            ts: padded((0..n).map(|i| inp.ts_at(i)), 0.0),
        })
    }

    /// Number of bins.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there is no bin.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The unit statistic for model rates `m` (one per bin); +∞ if one is not finite.
    ///
    /// # Panics
    /// If `m` does not have one entry per bin.
    pub fn stat(&self, m: &[f64]) -> f64 {
        assert_eq!(m.len(), self.n, "PreparedPstat: model length");
        prepared_stat(self, m)
    }

    /// [`PreparedPstat::stat`] of the first [`PreparedPstat::len`] entries of `m`, which holds
    /// at least that many rounded up to a multiple of 8 (the padding does not matter).
    ///
    /// # Panics
    /// If `m` is shorter than that.
    pub fn stat_padded(&self, m: &[f64]) -> f64 {
        prepared_stat_padded(self, self.n, m)
    }

    /// ℓ_i per bin of the first [`PreparedPstat::len`] entries of `m` (padded as for
    /// [`PreparedPstat::stat_padded`]) into `out`; false when a rate is not finite.
    pub fn loglike_bins_padded(&self, m: &[f64], out: &mut [f64]) -> bool {
        prepared_loglike_bins(self, self.n, m, out)
    }
}

impl Lanes for PreparedPstat {
    fn bin(&self, i: usize, m: f64) -> f64 {
        pstat::loglike_bin(self.s[i], self.ts[i], m)
    }

    /// ℓP(S, t_s m), NaN where the general code decides.
    #[inline(always)]
    fn pass_loop(&self, base: usize, m: &[f64], out: &mut [f64]) {
        let n = m.len();
        let r = base..base + n;
        let (s, inv_s, ts) = (&self.s[r.clone()], &self.inv_s[r.clone()], &self.ts[r]);
        for (i, o) in out[..n].iter_mut().enumerate() {
            *o = rel_loglike_lane(s[i], inv_s[i], ts[i] * m[i]);
        }
    }
}

/// `cstat` (W statistic) over a unit's bins with fixed efficiencies: [`PreparedCstat::stat`]
/// equals [`Statistic::Cstat`](super::Statistic::Cstat)`.eval` bit for bit. Build it once per
/// unit (it allocates); evaluating does not allocate.
#[derive(Clone, Debug)]
pub struct PreparedCstat {
    n: usize,
    /// per bin, padded to whole vectors: S, 1/S, B, 1/B, t_s, t_b, A = t_s + t_b, 4A, 2A
    s: Vec<f64>,
    inv_s: Vec<f64>,
    b: Vec<f64>,
    inv_b: Vec<f64>,
    ts: Vec<f64>,
    tb: Vec<f64>,
    a: Vec<f64>,
    four_a: Vec<f64>,
    two_a: Vec<f64>,
}

impl PreparedCstat {
    /// Precompute from the unit's inputs; `None` when a count is negative (the general code
    /// handles such inputs).
    ///
    /// # Panics
    /// If the lengths of `inp` disagree (a programming error).
    pub fn new(inp: &StatInputs) -> Option<PreparedCstat> {
        let n = inp.len();
        assert!(inp.shape_ok(n), "PreparedCstat: inconsistent input lengths");
        if !counts_ok(inp.s) || !counts_ok(inp.b) {
            return None;
        }
        // exactly the expressions of `cstat::profiled_background`
        let a = |i: usize| inp.ts_at(i) + inp.tb_at(i);
        Some(PreparedCstat {
            n,
            s: padded(inp.s.iter().copied(), 0.0),
            inv_s: padded(inp.s.iter().map(|s| 1.0 / s), 0.0),
            b: padded(inp.b.iter().copied(), 0.0),
            inv_b: padded(inp.b.iter().map(|b| 1.0 / b), 0.0),
            ts: padded((0..n).map(|i| inp.ts_at(i)), 0.0),
            tb: padded((0..n).map(|i| inp.tb_at(i)), 0.0),
            a: padded((0..n).map(a), 0.0),
            four_a: padded((0..n).map(|i| 4.0 * a(i)), 0.0),
            two_a: padded((0..n).map(|i| 2.0 * a(i)), 0.0),
        })
    }

    /// Number of bins.
    pub fn len(&self) -> usize {
        self.n
    }

    /// Whether there is no bin.
    pub fn is_empty(&self) -> bool {
        self.n == 0
    }

    /// The unit statistic for model rates `m` (one per bin); +∞ if one is not finite.
    ///
    /// # Panics
    /// If `m` does not have one entry per bin.
    pub fn stat(&self, m: &[f64]) -> f64 {
        assert_eq!(m.len(), self.n, "PreparedCstat: model length");
        prepared_stat(self, m)
    }

    /// [`PreparedCstat::stat`] of the first [`PreparedCstat::len`] entries of `m`, which holds
    /// at least that many rounded up to a multiple of 8 (the padding does not matter).
    ///
    /// # Panics
    /// If `m` is shorter than that.
    pub fn stat_padded(&self, m: &[f64]) -> f64 {
        prepared_stat_padded(self, self.n, m)
    }

    /// ℓ_i per bin of the first [`PreparedCstat::len`] entries of `m` (padded as for
    /// [`PreparedCstat::stat_padded`]) into `out`; false when a rate is not finite.
    pub fn loglike_bins_padded(&self, m: &[f64], out: &mut [f64]) -> bool {
        prepared_loglike_bins(self, self.n, m, out)
    }
}

impl Lanes for PreparedCstat {
    fn bin(&self, i: usize, m: f64) -> f64 {
        cstat::loglike_bin(self.s[i], self.b[i], self.ts[i], self.tb[i], m)
    }

    /// The profiled background (the operations of `cstat::profiled_background`, both roots
    /// computed as one quotient and selected) and the two Poisson terms; NaN where the general
    /// code decides.
    #[inline(always)]
    fn pass_loop(&self, base: usize, m: &[f64], out: &mut [f64]) {
        let n = m.len();
        let r = base..base + n;
        let (s, inv_s, b, inv_b) = (
            &self.s[r.clone()],
            &self.inv_s[r.clone()],
            &self.b[r.clone()],
            &self.inv_b[r.clone()],
        );
        let (ts, tb, a) = (&self.ts[r.clone()], &self.tb[r.clone()], &self.a[r.clone()]);
        let (four_a, two_a) = (&self.four_a[r.clone()], &self.two_a[r]);
        for (i, o) in out[..n].iter_mut().enumerate() {
            let (s, b, m) = (s[i], b[i], m[i]);
            let beta = a[i] * m - s - b;
            let gamma = -b * m;
            let delta = (beta * beta - four_a[i] * gamma).max(0.0).sqrt();
            let nonneg = beta >= 0.0;
            let num = if nonneg { -2.0 * gamma } else { delta - beta };
            let den = if nonneg { beta + delta } else { two_a[i] };
            let quotient = num / den;
            let bkg = if nonneg && den == 0.0 { 0.0 } else { quotient };
            *o = rel_loglike_lane(s, inv_s[i], ts[i] * (bkg + m))
                + rel_loglike_lane(b, inv_b[i], tb[i] * bkg);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The dispatched passes equal the portable loops, and leave only the bins they must to
    /// the general code (here: none but pstat's negative rate).
    #[test]
    fn vectorised_passes_cover_the_common_cases() {
        let n = 64;
        let s: Vec<f64> = (0..n).map(|i| ((i * 37) % 23) as f64).collect();
        let b: Vec<f64> = (0..n).map(|i| ((i * 53) % 7) as f64).collect();
        let z = vec![0.0; n];
        let inp = StatInputs::new(&s, &b, &z, &z, &[3.0], &[50.0]);
        let (c, p) = (
            PreparedCstat::new(&inp).unwrap(),
            PreparedPstat::new(&inp).unwrap(),
        );
        // near, far below, far above, exactly at the data; one negative rate
        let mut m: Vec<f64> = (0..n)
            .map(|i| [1.0, 0.05, 40.0, s[i] / 3.0][i % 4] * (0.2 + s[i] / 3.0))
            .collect();
        m[5] = -1.0;
        let (mut portable, mut dispatched) = (vec![0.0; n], vec![0.0; n]);
        for which in 0..2 {
            if which == 0 {
                c.pass_loop(0, &m, &mut portable);
                pass(&c, 0, &m, &mut dispatched);
            } else {
                p.pass_loop(0, &m, &mut portable);
                pass(&p, 0, &m, &mut dispatched);
            }
            for (i, (a, d)) in portable.iter().zip(&dispatched).enumerate() {
                assert_eq!(a.to_bits(), d.to_bits(), "bin {i}");
                // (cstat profiles a background that can make a negative rate's μ positive)
                if i != 5 || which == 1 {
                    assert_eq!(a.is_nan(), i == 5, "bin {i}: {a}");
                }
            }
        }
    }
}
