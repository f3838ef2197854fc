//! The fit statistic of a data unit: names, dispatch and the allocation-free evaluation
//! (inference.md §3).

use std::fmt;
use std::str::FromStr;

use super::inputs::StatInputs;
use super::normalisation::{gaussian_log_norm, saturated_poisson_log};
use super::{chi2, cstat, pgstat, pstat, upper_limit};
use crate::bail;
use crate::error::{Error, Result};
use crate::math::significance::SignificanceKind;

/// Every accepted statistic name, aliases included (case-sensitive, as the reference).
pub const STATISTIC_NAMES: [&str; 10] = [
    "chi2", "gstat", "pstat", "cash", "cstat", "ppstat", "wstat", "pgstat", "ULppstat", "ULpgstat",
];

/// Default target significance Z* of the upper-limit statistics.
pub const DEFAULT_UL_SIGMA: f64 = 3.0;

/// A fit statistic (inference.md §3.3–3.7).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Statistic {
    /// `chi2` = `gstat`: Gaussian source and background.
    Chi2,
    /// `pstat`: Poisson source, background ignored.
    Pstat,
    /// `cstat` = `ppstat`: Poisson source and background, background profiled (W-stat).
    Cstat,
    /// `pgstat`: Poisson source, Gaussian background, background profiled.
    Pgstat,
    /// `ULppstat`: upper-limit search with the Li & Ma significance (0.3.13).
    ULppstat,
    /// `ULpgstat`: upper-limit search with the Poisson–Gaussian significance (0.3.13).
    ULpgstat,
}

impl Statistic {
    /// Parse a statistic name; accepts the aliases `gstat` (= `chi2`), `cash` (= `pstat`, the
    /// Cash statistic without background) and `ppstat`, `wstat` (= `cstat`, XSPEC's W
    /// statistic). An unknown name is an error listing the accepted ones.
    pub fn from_name(name: &str) -> Result<Statistic> {
        Ok(match name {
            "chi2" | "gstat" => Statistic::Chi2,
            "pstat" | "cash" => Statistic::Pstat,
            "cstat" | "ppstat" | "wstat" => Statistic::Cstat,
            "pgstat" => Statistic::Pgstat,
            "ULppstat" => Statistic::ULppstat,
            "ULpgstat" => Statistic::ULpgstat,
            _ => bail!(
                "unknown statistic '{name}'; accepted: {}",
                STATISTIC_NAMES.join(", ")
            ),
        })
    }

    /// The canonical name (`chi2`, `pstat`, `cstat`, `pgstat`, `ULppstat`, `ULpgstat`).
    pub fn name(&self) -> &'static str {
        match self {
            Statistic::Chi2 => "chi2",
            Statistic::Pstat => "pstat",
            Statistic::Cstat => "cstat",
            Statistic::Pgstat => "pgstat",
            Statistic::ULppstat => "ULppstat",
            Statistic::ULpgstat => "ULpgstat",
        }
    }

    /// Every statistic, in the order help lists them.
    pub const ALL: [Statistic; 6] = [
        Statistic::Chi2,
        Statistic::Pstat,
        Statistic::Cstat,
        Statistic::Pgstat,
        Statistic::ULppstat,
        Statistic::ULpgstat,
    ];

    /// The other names this statistic answers to.
    pub fn aliases(&self) -> &'static [&'static str] {
        match self {
            Statistic::Chi2 => &["gstat"],
            Statistic::Pstat => &["cash"],
            Statistic::Cstat => &["ppstat", "wstat"],
            _ => &[],
        }
    }

    /// What the statistic assumes and computes, with its XSPEC/Sherpa counterpart (help text).
    pub fn help(&self) -> &'static str {
        match self {
            Statistic::Chi2 => {
                "Gaussian source and background: stat = Σ (S − rB − t_s·m)² / (σ_S² + r²σ_B²), r = t_s/t_b.\n\
                 Errors σ: the STAT_ERR column (with SYS_ERR added in quadrature), or √N when the file has\n\
                 no STAT_ERR or says POISSERR = T (a STAT_ERR column is then ignored, as XSPEC SAS files\n\
                 carry a column of zeros). √N of the observed counts is XSPEC's `weight standard` and\n\
                 Sherpa's chi2datavar; grouped bins add their channels' errors in quadrature.\n\
                 A fit bin whose error is 0 (e.g. 0 counts under √N) is refused, naming the bins: group\n\
                 with grpg, ignore them with notc, or use a Poisson statistic (cstat, pgstat)."
            }
            Statistic::Pstat => {
                "Poisson source, background ignored: stat = 2 Σ [t_s·m − S + S ln(S/(t_s·m))] (Cash 1979,\n\
                 offset so a perfect fit gives 0). XSPEC's `cstat` with no background. A background given\n\
                 or linked from the header is not used, and a warning says so."
            }
            Statistic::Cstat => {
                "Poisson source and Poisson background, the background rate in each bin profiled out\n\
                 (Cash 1979; Wachter et al. 1979): exactly XSPEC's W statistic (`cstat` with a background\n\
                 file) and Sherpa's wstat. Without a background file the background is an empty spectrum\n\
                 (and still profiled, so it differs from pstat where the model is below the data): use\n\
                 pstat for a spectrum without background. Needs counts ≥ 0 in source and background."
            }
            Statistic::Pgstat => {
                "Poisson source, Gaussian background (errors σ_B from the background file), the background\n\
                 rate profiled out: XSPEC's `pgstat`. Use for backgrounds that are models or have been\n\
                 smoothed, e.g. GBM/BGO background spectra."
            }
            Statistic::ULppstat => {
                "Upper-limit search: per unit, the Li & Ma (1983) significance Z of the expected counts\n\
                 against the (Poisson) background; stat = (Z − Z*)² with Z* = 3 unless set. Gives the\n\
                 source flux that would be detected at Z*."
            }
            Statistic::ULpgstat => {
                "Upper-limit search as ULppstat with the Poisson–Gaussian significance (Vianello 2018)\n\
                 for a background with Gaussian errors."
            }
        }
    }

    /// Whether the source counts are Poisson (so they must be ≥ 0).
    pub fn is_poisson_source(&self) -> bool {
        !matches!(self, Statistic::Chi2)
    }

    /// Whether the background counts are Poisson (so they must be ≥ 0).
    pub fn is_poisson_background(&self) -> bool {
        matches!(self, Statistic::Cstat | Statistic::ULppstat)
    }

    /// Whether the source is Gaussian (`chi2`): every fit bin needs a non-zero error.
    pub fn is_gaussian(&self) -> bool {
        matches!(self, Statistic::Chi2)
    }

    /// Whether a background is used at all (`pstat` ignores it).
    pub fn uses_background(&self) -> bool {
        !matches!(self, Statistic::Pstat)
    }

    /// The significance formula of its background model, for grouping rules and limits:
    /// Poisson–Gauss for a Gaussian background (`chi2`, `pgstat`, `ULpgstat`), Li & Ma for a
    /// Poisson or absent one (`cstat`, `pstat`, `ULppstat`).
    pub fn significance(&self) -> SignificanceKind {
        match self {
            Statistic::Chi2 | Statistic::Pgstat | Statistic::ULpgstat => {
                SignificanceKind::PoissonGauss
            }
            Statistic::Pstat | Statistic::Cstat | Statistic::ULppstat => SignificanceKind::LiMa,
        }
    }

    /// Whether this is one of the upper-limit variants (one pointwise entry per unit).
    pub fn is_upper_limit(&self) -> bool {
        matches!(self, Statistic::ULppstat | Statistic::ULpgstat)
    }

    /// Number of pointwise entries (statistic contributions and pseudo-residuals) a unit of
    /// `nbins` fit bins produces: `nbins`, or 1 for the upper-limit variants.
    pub fn n_pointwise(&self, nbins: usize) -> usize {
        if self.is_upper_limit() {
            1
        } else {
            nbins
        }
    }

    /// The unit statistic C = −2 Σ ℓ_i (unweighted) for the model count rates `m` (counts/s
    /// in the source region, one per fit bin). +∞ if any m_i is not finite (§3.8).
    /// Upper-limit variants use Z* = [`DEFAULT_UL_SIGMA`].
    ///
    /// Allocation-free. `inp` must have passed [`StatInputs::validate`].
    ///
    /// # Panics
    /// If the lengths of `inp` and `m` disagree (a programming error, see
    /// [`StatInputs::shape_ok`]).
    pub fn eval(&self, inp: &StatInputs, m: &[f64]) -> f64 {
        self.eval_with_ul_sigma(inp, m, DEFAULT_UL_SIGMA)
    }

    /// [`Statistic::eval`] with an explicit upper-limit target significance `ul_sigma`
    /// (ignored by the other statistics).
    pub fn eval_with_ul_sigma(&self, inp: &StatInputs, m: &[f64], ul_sigma: f64) -> f64 {
        assert_shape(inp, m);
        if !m.iter().all(|v| v.is_finite()) {
            return f64::INFINITY;
        }
        let loglike = match self {
            Statistic::Chi2 => sum_loglike(inp, m, chi2_bin),
            Statistic::Pstat => sum_loglike(inp, m, pstat_bin),
            Statistic::Cstat => sum_loglike(inp, m, cstat_bin),
            Statistic::Pgstat => sum_loglike(inp, m, pgstat_bin),
            Statistic::ULppstat => return upper_limit::ulppstat(inp, m, ul_sigma).stat,
            Statistic::ULpgstat => return upper_limit::ulpgstat(inp, m, ul_sigma).stat,
        };
        // −2·(−0) would print as −0 for an empty or perfect unit.
        -2.0 * loglike + 0.0
    }

    /// Per-bin evaluation: writes the pointwise statistic c_i = −2ℓ_i to `stat_out` and the
    /// signed pseudo-residual r_i = sign_i·√c_i to `resid_out` (r_i = 0 where the sign is 0),
    /// and returns C = Σ c_i. Signs: `pstat` sign(S − t_s m); the others
    /// sign(S − (t_s/t_b)B − t_s m). A non-finite model makes every c_i and r_i +∞.
    ///
    /// Upper-limit variants write one entry (index 0: C and Z − Z*) and zero the rest of
    /// `nbins` entries. Buffers need at least `nbins` entries. Allocation-free.
    ///
    /// # Panics
    /// If the lengths of `inp`, `m` or the output buffers disagree (a programming error).
    pub fn eval_bins(
        &self,
        inp: &StatInputs,
        m: &[f64],
        stat_out: &mut [f64],
        resid_out: &mut [f64],
    ) -> f64 {
        self.eval_bins_with_ul_sigma(inp, m, stat_out, resid_out, DEFAULT_UL_SIGMA)
    }

    /// [`Statistic::eval_bins`] with an explicit upper-limit target significance.
    pub fn eval_bins_with_ul_sigma(
        &self,
        inp: &StatInputs,
        m: &[f64],
        stat_out: &mut [f64],
        resid_out: &mut [f64],
        ul_sigma: f64,
    ) -> f64 {
        assert_shape(inp, m);
        let n = inp.len();
        assert!(
            stat_out.len() >= n && resid_out.len() >= n,
            "eval_bins: output buffers ({}, {}) shorter than the {n} fit bins",
            stat_out.len(),
            resid_out.len()
        );
        let (stat_out, resid_out) = (&mut stat_out[..n], &mut resid_out[..n]);
        let finite = m.iter().all(|v| v.is_finite());
        if self.is_upper_limit() {
            stat_out.fill(0.0);
            resid_out.fill(0.0);
            let (stat, resid) = if !finite {
                (f64::INFINITY, f64::INFINITY)
            } else {
                let v = if *self == Statistic::ULppstat {
                    upper_limit::ulppstat(inp, m, ul_sigma)
                } else {
                    upper_limit::ulpgstat(inp, m, ul_sigma)
                };
                (v.stat, v.residual)
            };
            if n > 0 {
                stat_out[0] = stat;
                resid_out[0] = resid;
            }
            return stat;
        }
        if !finite {
            stat_out.fill(f64::INFINITY);
            resid_out.fill(f64::INFINITY);
            return f64::INFINITY;
        }
        match self {
            Statistic::Chi2 => fill_bins(inp, m, stat_out, resid_out, chi2_bin, excess_bkg),
            Statistic::Pstat => fill_bins(inp, m, stat_out, resid_out, pstat_bin, excess_src),
            Statistic::Cstat => fill_bins(inp, m, stat_out, resid_out, cstat_bin, excess_bkg),
            Statistic::Pgstat => fill_bins(inp, m, stat_out, resid_out, pgstat_bin, excess_bkg),
            Statistic::ULppstat | Statistic::ULpgstat => unreachable!("handled above"),
        }
    }

    /// The per-bin normalisation the relative log-likelihood drops (§3.11): writes it to
    /// `out` (at least `nbins` entries) and returns the sum. ln Pois(S|S) per Poisson source
    /// term (and ln Pois(B|B) for `cstat`), −½ ln 2πσ² per Gaussian term (0 where σ = 0);
    /// 0 for the upper-limit variants. Independent of the model.
    pub fn normalisation_offsets(&self, inp: &StatInputs, out: &mut [f64]) -> f64 {
        let n = inp.len();
        let out = &mut out[..n];
        let mut total = 0.0;
        for (i, o) in out.iter_mut().enumerate() {
            let (s, b) = (inp.s[i], inp.b[i]);
            *o = match self {
                Statistic::Chi2 => {
                    let r = chi2::background_ratio(inp.ts_at(i), inp.tb_at(i));
                    let rsb = r * inp.sigma_b[i];
                    gaussian_log_norm((inp.sigma_s[i] * inp.sigma_s[i] + rsb * rsb).sqrt())
                }
                Statistic::Pstat => saturated_poisson_log(s),
                Statistic::Cstat => saturated_poisson_log(s) + saturated_poisson_log(b),
                Statistic::Pgstat => saturated_poisson_log(s) + gaussian_log_norm(inp.sigma_b[i]),
                Statistic::ULppstat | Statistic::ULpgstat => 0.0,
            };
            total += *o;
        }
        total
    }
}

impl fmt::Display for Statistic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Statistic {
    type Err = Error;
    fn from_str(s: &str) -> Result<Statistic> {
        Statistic::from_name(s)
    }
}

fn assert_shape(inp: &StatInputs, m: &[f64]) {
    assert!(
        inp.shape_ok(m.len()),
        "statistic inputs have inconsistent lengths (s {}, b {}, sigma_s {}, sigma_b {}, ts {}, \
         tb {}, model {}); validate them with StatInputs::validate",
        inp.s.len(),
        inp.b.len(),
        inp.sigma_s.len(),
        inp.sigma_b.len(),
        inp.ts.len(),
        inp.tb.len(),
        m.len()
    );
}

// Per-bin kernels with a common signature (S, B, σ_S, σ_B, t_s, t_b, m), so that the loops
// below are monomorphised and, for scalar efficiencies, t_s/t_b-only terms are hoisted.

#[inline(always)]
fn chi2_bin(s: f64, b: f64, ss: f64, sb: f64, ts: f64, tb: f64, m: f64) -> f64 {
    chi2::loglike_bin(s, b, ss, sb, ts, tb, m)
}

#[inline(always)]
fn pstat_bin(s: f64, _b: f64, _ss: f64, _sb: f64, ts: f64, _tb: f64, m: f64) -> f64 {
    pstat::loglike_bin(s, ts, m)
}

#[inline(always)]
fn cstat_bin(s: f64, b: f64, _ss: f64, _sb: f64, ts: f64, tb: f64, m: f64) -> f64 {
    cstat::loglike_bin(s, b, ts, tb, m)
}

#[inline(always)]
fn pgstat_bin(s: f64, b: f64, _ss: f64, sb: f64, ts: f64, tb: f64, m: f64) -> f64 {
    pgstat::loglike_bin(s, b, sb, ts, tb, m)
}

#[inline(always)]
fn excess_bkg(s: f64, b: f64, _ss: f64, _sb: f64, ts: f64, tb: f64, m: f64) -> f64 {
    chi2::excess(s, b, ts, tb, m)
}

#[inline(always)]
fn excess_src(s: f64, _b: f64, _ss: f64, _sb: f64, ts: f64, _tb: f64, m: f64) -> f64 {
    pstat::excess(s, ts, m)
}

/// Visit every bin with its inputs (S, B, σ_S, σ_B, t_s, t_b, m) and index; scalar
/// efficiencies get their own loop so that the optimiser can hoist terms depending on them.
#[inline(always)]
fn for_each_bin(inp: &StatInputs, m: &[f64], mut visit: impl FnMut(usize, [f64; 7])) {
    let bins = inp
        .s
        .iter()
        .zip(inp.b)
        .zip(inp.sigma_s)
        .zip(inp.sigma_b)
        .zip(m)
        .enumerate();
    if inp.ts.len() == 1 && inp.tb.len() == 1 {
        let (ts, tb) = (inp.ts[0], inp.tb[0]);
        for (i, ((((&s, &b), &ss), &sb), &mi)) in bins {
            visit(i, [s, b, ss, sb, ts, tb, mi]);
        }
    } else {
        for (i, ((((&s, &b), &ss), &sb), &mi)) in bins {
            visit(i, [s, b, ss, sb, inp.ts[i], inp.tb[i], mi]);
        }
    }
}

#[inline(always)]
fn sum_loglike(
    inp: &StatInputs,
    m: &[f64],
    kernel: impl Fn(f64, f64, f64, f64, f64, f64, f64) -> f64,
) -> f64 {
    let mut total = 0.0;
    for_each_bin(inp, m, |_, [s, b, ss, sb, ts, tb, mi]| {
        total += kernel(s, b, ss, sb, ts, tb, mi);
    });
    total
}

#[inline(always)]
fn fill_bins(
    inp: &StatInputs,
    m: &[f64],
    stat_out: &mut [f64],
    resid_out: &mut [f64],
    kernel: impl Fn(f64, f64, f64, f64, f64, f64, f64) -> f64,
    excess: impl Fn(f64, f64, f64, f64, f64, f64, f64) -> f64,
) -> f64 {
    let mut total = 0.0;
    for_each_bin(inp, m, |i, [s, b, ss, sb, ts, tb, mi]| {
        let c = -2.0 * kernel(s, b, ss, sb, ts, tb, mi);
        let e = excess(s, b, ss, sb, ts, tb, mi);
        stat_out[i] = c;
        resid_out[i] = if e > 0.0 {
            c.sqrt()
        } else if e < 0.0 {
            -c.sqrt()
        } else {
            0.0
        };
        total += c;
    });
    total + 0.0
}
