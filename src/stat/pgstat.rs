//! `pgstat`: Poisson source, Gaussian background with the background rate profiled
//! (inference.md §3.6, the 0.4.5 behaviour; branch 2 is XSPEC's `pgstat`).

use super::lanes::{chunked_loglike_bins, chunked_stat, chunked_stat_unpadded, LANES};
use super::poisson::{delta_minus_ln_1p_u, poisson_rel_loglike, rel_loglike_positive_k};

/// Relative log-likelihood of one bin.
///
/// With r = t_s/t_b, E = t_s m + rB, V = (rσ_B)²:
/// 1. S = 0, σ_B > 0, m ≥ 0: −E + V/2 if E > V, else the boundary optimum μ = 0,
///    −½((B + t_b m)/σ_B)²;
/// 2. S > 0, σ_B > 0, m ≥ 0: μ the positive root of μ² + (V − E)μ − SV = 0,
///    ℓP(S, μ) − z²/2 with z = (E − S)√V/(μ + V);
/// 3. otherwise (σ_B = 0, m < 0 or S < 0): the general quadratic for b.
#[inline]
pub fn loglike_bin(s: f64, b: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    if sigma_b > 0.0 && m >= 0.0 {
        let r = ts / tb;
        let e = ts * m + r * b;
        let rsb = r * sigma_b;
        let v = rsb * rsb;
        if s == 0.0 {
            return if e > v {
                -e + 0.5 * v
            } else {
                let z = (b + tb * m) / sigma_b;
                -0.5 * z * z
            };
        }
        if s > 0.0 {
            let kappa = v - e;
            // κ² + 4SV has no cancellation (both terms ≥ 0); counts are far from overflow.
            let delta = (kappa * kappa + 4.0 * s * v).sqrt();
            let mu = if kappa >= 0.0 {
                2.0 * s * v / (kappa + delta)
            } else {
                0.5 * (delta - kappa)
            };
            // √V = rσ_B.
            let z = (e - s) / (mu + v) * rsb;
            return poisson_rel_loglike(s, mu) - 0.5 * z * z;
        }
    }
    general_branch(s, b, sigma_b, ts, tb, m)
}

/// The maximum-likelihood background rate b ≥ 0 (per unit source efficiency) given the model
/// rate m: the root of tb² b² + β b + γ = 0 with β = t_s σ² − t_b B + t_b² m,
/// γ = t_s σ² m − S σ² − t_b B m (σ = σ_B), the positive one when there is one. Branches 1 and
/// 2 of [`loglike_bin`] are this optimum written without cancellation.
pub fn profiled_background(s: f64, b: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let sig2 = sigma_b * sigma_b;
    let a = tb * tb;
    let beta = ts * sig2 - tb * b + a * m;
    let gamma = ts * sig2 * m - s * sig2 - tb * b * m;
    // Real roots exist for S ≥ 0; for S < 0 the Poisson term is −∞ anyway.
    let delta = (beta * beta - 4.0 * a * gamma).max(0.0).sqrt();
    let sign = if beta >= 0.0 { 1.0 } else { -1.0 };
    let q = -0.5 * (beta + sign * delta);
    let b1 = q / a;
    let b2 = if q != 0.0 { gamma / q } else { 0.0 };
    if b1 > 0.0 {
        b1
    } else {
        b2
    }
}

/// Branch 3: the general quadratic for b ([`profiled_background`]); the Gaussian term is
/// dropped when σ = 0.
fn general_branch(s: f64, b: f64, sigma_b: f64, ts: f64, tb: f64, m: f64) -> f64 {
    let bkg = profiled_background(s, b, sigma_b, ts, tb, m);
    let mu = ts * (bkg + m);
    let mut loglike = poisson_rel_loglike(s, mu);
    if sigma_b > 0.0 {
        let z = (b - tb * bkg) / sigma_b;
        loglike -= 0.5 * z * z;
    }
    loglike
}

/// Which formula of [`loglike_bin`] a bin takes when its model rate is m ≥ 0 (fixed by the
/// data alone).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PgBranch {
    /// S > 0, σ_B > 0: branch 2.
    Counts,
    /// S = 0, σ_B > 0: branch 1.
    NoCounts,
    /// σ_B = 0 (or S < 0): branch 3.
    General,
}

/// One bin of a [`PreparedPgstat`]: the data and every model-independent term of
/// [`loglike_bin`], computed by the same operations in the same order so that the results
/// are identical bit for bit.
#[derive(Clone, Copy, Debug)]
struct PgBin {
    s: f64,
    b: f64,
    sigma_b: f64,
    ts: f64,
    tb: f64,
    /// r·B with r = t_s/t_b
    rb: f64,
    /// r·σ_B = √V
    rsb: f64,
    /// V = (rσ_B)²
    v: f64,
    /// 4SV
    four_sv: f64,
    /// 2SV
    two_sv: f64,
    branch: PgBranch,
}

/// `pgstat` over a unit's bins with fixed efficiencies, its model-independent terms
/// (r = t_s/t_b, rB, V, SV …) computed once: [`PreparedPgstat::stat`] equals
/// [`Statistic::Pgstat`](super::Statistic::Pgstat)`.eval` bit for bit at a fraction of the
/// cost. Build it once per unit (it allocates); evaluating does not allocate.
///
/// The common case — branch 2 (S > 0, σ_B > 0, m ≥ 0) with μ within a factor 2 of S and not
/// within 10⁻⁴ of it, where ℓP is the series of `delta_minus_ln_1p` — is computed for all bins
/// at once by a branch-free loop the compiler vectorises; the other bins (a minority) are
/// then computed one by one by the general code. The sum runs in bin order either way.
#[derive(Clone, Debug)]
pub struct PreparedPgstat {
    bins: Vec<PgBin>,
    lanes: Lanes,
}

/// The terms of branch 2, one array per term, for the vectorised pass. Bins of another
/// branch have `s` = NaN, which makes the pass leave them to the general code.
#[derive(Clone, Debug, Default)]
struct Lanes {
    s: Vec<f64>,
    /// 1/S
    inv_s: Vec<f64>,
    ts: Vec<f64>,
    rb: Vec<f64>,
    rsb: Vec<f64>,
    v: Vec<f64>,
    four_sv: Vec<f64>,
    two_sv: Vec<f64>,
}

impl PreparedPgstat {
    /// Precompute from the unit's inputs (`inp` must have passed
    /// [`StatInputs::validate`](super::StatInputs::validate)); `ts`/`tb` of length 1
    /// broadcast as usual.
    ///
    /// # Panics
    /// If the lengths of `inp` disagree (a programming error, as for `Statistic::eval`).
    pub fn new(inp: &super::StatInputs) -> PreparedPgstat {
        assert!(
            inp.shape_ok(inp.len()),
            "PreparedPgstat: statistic inputs have inconsistent lengths"
        );
        let bins: Vec<PgBin> = (0..inp.len())
            .map(|i| {
                let (s, b, sigma_b) = (inp.s[i], inp.b[i], inp.sigma_b[i]);
                let (ts, tb) = (inp.ts_at(i), inp.tb_at(i));
                // exactly the expressions of `loglike_bin`
                let r = ts / tb;
                let rsb = r * sigma_b;
                let v = rsb * rsb;
                let branch = if sigma_b > 0.0 && s > 0.0 {
                    PgBranch::Counts
                } else if sigma_b > 0.0 && s == 0.0 {
                    PgBranch::NoCounts
                } else {
                    PgBranch::General
                };
                PgBin {
                    s,
                    b,
                    sigma_b,
                    ts,
                    tb,
                    rb: r * b,
                    rsb,
                    v,
                    four_sv: 4.0 * s * v,
                    two_sv: 2.0 * s * v,
                    branch,
                }
            })
            .collect();
        let mut lanes = Lanes::default();
        for p in &bins {
            let counts = p.branch == PgBranch::Counts;
            let s = if counts { p.s } else { f64::NAN };
            lanes.s.push(s);
            lanes.inv_s.push(1.0 / s);
            lanes.ts.push(p.ts);
            lanes.rb.push(p.rb);
            lanes.rsb.push(p.rsb);
            lanes.v.push(p.v);
            lanes.four_sv.push(p.four_sv);
            lanes.two_sv.push(p.two_sv);
        }
        // padding lanes: left to the general code (s = NaN), their results never read
        let padded = bins.len().next_multiple_of(LANES);
        for column in [
            &mut lanes.s,
            &mut lanes.inv_s,
            &mut lanes.ts,
            &mut lanes.rb,
            &mut lanes.rsb,
            &mut lanes.v,
            &mut lanes.four_sv,
            &mut lanes.two_sv,
        ] {
            column.resize(padded, f64::NAN);
        }
        PreparedPgstat { bins, lanes }
    }

    /// Number of bins.
    pub fn len(&self) -> usize {
        self.bins.len()
    }

    /// Whether there is no bin.
    pub fn is_empty(&self) -> bool {
        self.bins.is_empty()
    }

    /// The unit statistic C = −2 Σ ℓ_i for model rates `m` (one per bin); +∞ if any m_i is
    /// not finite. Identical to `Statistic::Pgstat.eval` on the same inputs.
    ///
    /// # Panics
    /// If `m` does not have one entry per bin.
    pub fn stat(&self, m: &[f64]) -> f64 {
        assert_eq!(m.len(), self.bins.len(), "PreparedPgstat: model length");
        chunked_stat_unpadded(
            m,
            |base, m, out| counts_pass(&self.lanes, base, m, out),
            |i, mi| self.bins[i].loglike(mi),
        )
    }

    /// [`PreparedPgstat::stat`] of the first [`PreparedPgstat::len`] entries of `m`, which
    /// holds at least that many rounded up to a multiple of 8 (the padding's values do not
    /// matter): the same bits, without copying `m` into whole vectors.
    ///
    /// # Panics
    /// If `m` is shorter than that.
    pub fn stat_padded(&self, m: &[f64]) -> f64 {
        chunked_stat(
            self.bins.len(),
            m,
            |base, m, out| counts_pass(&self.lanes, base, m, out),
            |i, mi| self.bins[i].loglike(mi),
        )
    }

    /// ℓ_i per bin of the first [`PreparedPgstat::len`] entries of `m` (padded as for
    /// [`PreparedPgstat::stat_padded`]) into `out`; false when a rate is not finite.
    pub fn loglike_bins_padded(&self, m: &[f64], out: &mut [f64]) -> bool {
        chunked_loglike_bins(
            self.bins.len(),
            m,
            out,
            |base, m, out| counts_pass(&self.lanes, base, m, out),
            |i, mi| self.bins[i].loglike(mi),
        )
    }
}

simd_dispatch! { "avx2";
    /// ℓ_i of bins `base..base + m.len()` into `out` where the common case applies, NaN
    /// elsewhere: [`Lanes::counts_loop`] on the widest vectors the CPU has.
    fn counts_pass(lanes: &Lanes, base: usize, m: &[f64], out: &mut [f64]) => Lanes::counts_loop
}

impl Lanes {
    /// The branch-free loop: every operation of branch 2 and of the middle case of
    /// `rel_loglike_positive_k`, in the same order (so the same bits), with μ as one quotient
    /// whose denominator is 1 where κ < 0 (x/1 = x exactly). `m.len()` is a multiple of
    /// [`LANES`] (padded by the caller).
    #[inline(always)]
    fn counts_loop(&self, base: usize, m: &[f64], out: &mut [f64]) {
        let n = m.len();
        let range = base..base + n;
        let (s, inv_s, ts, rb) = (
            &self.s[range.clone()],
            &self.inv_s[range.clone()],
            &self.ts[range.clone()],
            &self.rb[range.clone()],
        );
        let (rsb, v) = (&self.rsb[range.clone()], &self.v[range.clone()]);
        let (four_sv, two_sv) = (&self.four_sv[range.clone()], &self.two_sv[range]);
        let out = &mut out[..n];
        for i in 0..n {
            let (s, v, m) = (s[i], v[i], m[i]);
            let e = ts[i] * m + rb[i];
            let kappa = v - e;
            let delta = (kappa * kappa + four_sv[i]).sqrt();
            let positive = kappa >= 0.0;
            let num = if positive {
                two_sv[i]
            } else {
                0.5 * (delta - kappa)
            };
            let den = if positive { kappa + delta } else { 1.0 };
            let mu = num / den;
            let z = (e - s) / (mu + v) * rsb[i];
            let diff = mu - s;
            let d = diff * inv_s[i];
            let l = -s * delta_minus_ln_1p_u(d, diff / (mu + s)) - 0.5 * z * z;
            // (a NaN d fails the last two tests, so `>=` can stand for `!(… < …)` here)
            let common = m >= 0.0 && d.abs() >= 1e-4 && mu <= 2.0 * s && 2.0 * mu >= s;
            out[i] = if common { l } else { f64::NAN };
        }
    }
}

impl PgBin {
    /// [`loglike_bin`] with the precomputed terms.
    #[inline(always)]
    fn loglike(&self, m: f64) -> f64 {
        if m >= 0.0 {
            match self.branch {
                PgBranch::Counts => {
                    let e = self.ts * m + self.rb;
                    let kappa = self.v - e;
                    let delta = (kappa * kappa + self.four_sv).sqrt();
                    let mu = if kappa >= 0.0 {
                        self.two_sv / (kappa + delta)
                    } else {
                        0.5 * (delta - kappa)
                    };
                    let z = (e - self.s) / (mu + self.v) * self.rsb;
                    // S > 0 and finite (validated inputs)
                    return rel_loglike_positive_k(self.s, mu) - 0.5 * z * z;
                }
                PgBranch::NoCounts => {
                    let e = self.ts * m + self.rb;
                    return if e > self.v {
                        -e + 0.5 * self.v
                    } else {
                        let z = (self.b + self.tb * m) / self.sigma_b;
                        -0.5 * z * z
                    };
                }
                PgBranch::General => {}
            }
        }
        general_branch(self.s, self.b, self.sigma_b, self.ts, self.tb, m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stat::StatInputs;

    #[test]
    fn vectorised_pass_agrees_with_the_portable_loop() {
        let n = 150;
        let s: Vec<f64> = (0..n).map(|i| ((i * 37) % 101) as f64).collect();
        let b: Vec<f64> = (0..n).map(|i| ((i * 53) % 89) as f64 + 1.0).collect();
        let sb: Vec<f64> = b.iter().map(|x| x.sqrt()).collect();
        let inp = StatInputs::new(&s, &b, &sb, &sb, &[3.0], &[50.0]);
        let p = PreparedPgstat::new(&inp);
        let m: Vec<f64> = (0..n).map(|i| 0.01 * ((i * 29) % 97) as f64).collect();
        let (mut portable, mut dispatched) = (vec![0.0; 64], vec![0.0; 64]);
        for base in [0, 64, 128] {
            let k = (n - base).min(64);
            p.lanes
                .counts_loop(base, &m[base..base + k], &mut portable[..k]);
            counts_pass(&p.lanes, base, &m[base..base + k], &mut dispatched[..k]);
            for (a, b) in portable[..k].iter().zip(&dispatched[..k]) {
                assert_eq!(a.to_bits(), b.to_bits());
            }
            assert!(portable[..k].iter().any(|x| !x.is_nan()));
        }
    }
}
