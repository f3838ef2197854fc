//! Does the model describe the data? Posterior predictive checks (`post.ppc`) and the
//! goodness of a maximum-likelihood fit (`fit.goodness`, XSPEC's `goodness … nosim`).
//!
//! For each of `n` parameter points θ (posterior draws, or the best fit repeated), every unit's
//! spectrum is replicated under its statistic's own model of the counts
//! ([`Statistic::bin_model`]: Poisson source, Poisson or Gaussian background as the statistic
//! assumes, profiled background rates where it profiles them). The discrepancy is the fit
//! statistic itself: T(y, θ) of the observed data and T(y_rep, θ) of the replicate. The
//! p-value of a unit (and of the weighted total) is the fraction of replicates with
//! T(y_rep, θ) ≥ T(y, θ): small values (say < 0.01) mean the data are further from the model
//! than its own noise explains.
//!
//! Each replicate draws from its own random stream (seed, replicate index), so results do not
//! depend on the number of threads.

use ndarray::{Array2, Axis};
use rayon::prelude::*;
use serde_json::{json, Value};
use std::path::Path;

use super::report::new_table;
use super::Posterior;
use crate::bail;
use crate::data::GridKind;
use crate::error::Result;
use crate::infer::{Infer, Plan};
use crate::sample::files::{ensure_dir, json_text, write_text_atomic};
use crate::sample::rng::{stream, stream_rng};
use crate::sample::row_slices;
use crate::stat::replicate::BinData;
use crate::stat::{StatInputs, Statistic};

/// Default number of replicates.
pub const DEFAULT_NREP: usize = 1000;
/// Default seed.
pub const DEFAULT_SEED: u64 = 42;

/// Options of a check.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CheckOptions {
    /// Number of replicated data sets (default 1000).
    pub n: usize,
    /// Seed (default 42).
    pub seed: u64,
}

impl Default for CheckOptions {
    fn default() -> Self {
        CheckOptions {
            n: DEFAULT_NREP,
            seed: DEFAULT_SEED,
        }
    }
}

/// Where the parameter points of a check come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// Posterior predictive check: one posterior draw per replicate.
    Posterior,
    /// Goodness of fit: every replicate from the maximum-likelihood point.
    Goodness,
}

impl CheckKind {
    /// `"ppc"` or `"goodness"` (also the saved file's name).
    pub fn name(self) -> &'static str {
        match self {
            CheckKind::Posterior => "ppc",
            CheckKind::Goodness => "goodness",
        }
    }
}

/// The check of one data unit.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitCheck {
    /// Unit name.
    pub name: String,
    /// Its statistic.
    pub stat: Statistic,
    /// Mean over the points of the observed statistic T(y, θ).
    pub observed: f64,
    /// Mean of the replicated statistic T(y_rep, θ).
    pub replicated_mean: f64,
    /// Its standard deviation.
    pub replicated_sd: f64,
    /// Fraction of replicates with T(y_rep, θ) ≥ T(y, θ).
    pub p_value: f64,
    /// Lower energy edge of each fit bin (keV; empty when built from a plan alone).
    pub e_lo: Vec<f64>,
    /// Upper energy edge of each fit bin (keV).
    pub e_hi: Vec<f64>,
    /// Observed source-region counts per fit bin.
    pub counts: Vec<f64>,
    /// Expected source-region counts per fit bin (mean over the points).
    pub expected: Vec<f64>,
    /// Replicated source-region counts per fit bin at the quantiles [`BAND_QUANTILES`].
    pub bands: Vec<[f64; 5]>,
}

/// Quantiles of the replicated counts kept per bin: 2.5, 16, 50, 84 and 97.5 %.
pub const BAND_QUANTILES: [f64; 5] = [0.025, 0.16, 0.5, 0.84, 0.975];

/// A posterior predictive check or goodness-of-fit test.
#[derive(Debug, Clone, PartialEq)]
pub struct CheckResult {
    /// Which check.
    pub kind: CheckKind,
    /// Number of replicates.
    pub n: usize,
    /// Seed.
    pub seed: u64,
    /// p-value of the weighted total statistic.
    pub p_value: f64,
    /// Mean observed total statistic.
    pub observed: f64,
    /// Mean replicated total statistic.
    pub replicated_mean: f64,
    /// Its standard deviation.
    pub replicated_sd: f64,
    /// Per unit, in pair then unit order.
    pub units: Vec<UnitCheck>,
}

/// What one replicate yields for one unit: T_obs, T_rep, replicated counts, expected counts.
type UnitReplicate = (f64, f64, Vec<f64>, Vec<f64>);
/// What one replicate yields, per unit.
type Replicate = Vec<UnitReplicate>;

/// Run a check over `points` (one per replicate, free order) of `plan`. Errors for a user
/// log-likelihood (no data model), an upper-limit statistic, no points, or when a statistic
/// is not finite at a point.
/// `points` has one row per replicate.
pub fn check(plan: &Plan, points: &Array2<f64>, kind: CheckKind, seed: u64) -> Result<CheckResult> {
    let who = kind.name();
    if points.nrows() == 0 {
        bail!("{who}: no replicates asked for (n must be ≥ 1)");
    }
    if plan.has_custom_loglike() {
        bail!(
            "{who}: a user loglike_func replaces the statistics, so there is no model of the \
             counts to replicate"
        );
    }
    let units: Vec<_> = plan.pairs().iter().flat_map(|p| p.units.iter()).collect();
    if let Some(u) = units.iter().find(|u| !u.stat.can_replicate()) {
        bail!(
            "{who}: unit '{}' uses the upper-limit statistic {}, which has no model of the \
             counts to replicate",
            u.name,
            u.stat.name()
        );
    }
    let rows: Vec<&[f64]> = row_slices(points).collect();
    let reps: Vec<Replicate> = rows
        .par_iter()
        .enumerate()
        .map(|(r, theta)| {
            let mut rng = stream_rng(seed, stream::PREDICTIVE_CHECK, r as u64);
            let folds = plan.unit_folds(theta);
            units
                .iter()
                .zip(&folds)
                .map(|(u, f)| {
                    let at = |v: &[f64], k: usize| if v.len() == 1 { v[0] } else { v[k] };
                    let mut s_rep = vec![0.0; u.nbin];
                    let mut b_rep = vec![0.0; u.nbin];
                    let mut expected = vec![0.0; u.nbin];
                    for k in 0..u.nbin {
                        let d = BinData {
                            s: u.s[k],
                            b: u.b[k],
                            sigma_s: u.sigma_s[k],
                            sigma_b: u.sigma_b[k],
                            ts: at(&f.ts, k),
                            tb: at(&f.tb, k),
                            m: f.m[k],
                        };
                        // replicable statistics always have a model (checked above)
                        if let Some(bm) = u.stat.bin_model(&d) {
                            s_rep[k] = bm.src.draw(&mut rng);
                            b_rep[k] = bm.bkg.draw(&mut rng);
                            expected[k] = bm.src.mean;
                        }
                    }
                    let observed =
                        StatInputs::new(&u.s, &u.b, &u.sigma_s, &u.sigma_b, &f.ts, &f.tb);
                    let replicated = StatInputs {
                        s: &s_rep,
                        b: &b_rep,
                        ..observed
                    };
                    let t_obs = u.stat.eval(&observed, &f.m);
                    let t_rep = u.stat.eval(&replicated, &f.m);
                    (t_obs, t_rep, s_rep, expected)
                })
                .collect()
        })
        .collect();
    let weights: Vec<f64> = units.iter().map(|u| u.weight).collect();
    let n = reps.len();
    for (r, rep) in reps.iter().enumerate() {
        if let Some((i, _)) = rep
            .iter()
            .enumerate()
            .find(|(_, (o, p, _, _))| !(o.is_finite() && p.is_finite()))
        {
            bail!(
                "{who}: the statistic of unit '{}' is not finite at replicate {} (point {:?})",
                units[i].name,
                r + 1,
                rows[r]
            );
        }
    }
    let summary = |obs: &[f64], rep: &[f64]| {
        let p = obs.iter().zip(rep).filter(|(o, r)| r >= o).count() as f64 / n as f64;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let m = mean(rep);
        let sd = (rep.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / n as f64).sqrt();
        (mean(obs), m, sd, p)
    };
    let mut unit_checks = Vec::with_capacity(units.len());
    for (i, u) in units.iter().enumerate() {
        let obs: Vec<f64> = reps.iter().map(|r| r[i].0).collect();
        let rep: Vec<f64> = reps.iter().map(|r| r[i].1).collect();
        let (observed, replicated_mean, replicated_sd, p_value) = summary(&obs, &rep);
        let mut expected = vec![0.0; u.nbin];
        for r in &reps {
            for (e, x) in expected.iter_mut().zip(&r[i].3) {
                *e += x / n as f64;
            }
        }
        let bands = (0..u.nbin)
            .map(|k| {
                let mut v: Vec<f64> = reps.iter().map(|r| r[i].2[k]).collect();
                v.sort_by(f64::total_cmp);
                BAND_QUANTILES.map(|q| super::summary::quantile_sorted(&v, q))
            })
            .collect();
        unit_checks.push(UnitCheck {
            name: u.name.clone(),
            stat: u.stat,
            observed,
            replicated_mean,
            replicated_sd,
            p_value,
            e_lo: Vec::new(),
            e_hi: Vec::new(),
            counts: u.s.clone(),
            expected,
            bands,
        });
    }
    let total = |pick: fn(&UnitReplicate) -> f64| -> Vec<f64> {
        reps.iter()
            .map(|r| r.iter().zip(&weights).map(|(x, w)| w * pick(x)).sum())
            .collect()
    };
    let (observed, replicated_mean, replicated_sd, p_value) =
        summary(&total(|x| x.0), &total(|x| x.1));
    Ok(CheckResult {
        kind,
        n,
        seed,
        p_value,
        observed,
        replicated_mean,
        replicated_sd,
        units: unit_checks,
    })
}

impl Posterior {
    /// Posterior predictive check: `opts.n` replicates, each from a draw taken evenly through
    /// the sample.
    pub fn ppc(&self, opts: CheckOptions) -> Result<CheckResult> {
        let plan = self.infer().compile().map_err(|e| e.context("ppc"))?;
        let points = spread_points(self.analysis().sample(), opts.n);
        let mut c = check(&plan, &points, CheckKind::Posterior, opts.seed)?;
        attach_energies(&mut c, self.infer());
        Ok(c)
    }
}

/// The fit-bin edges of every unit, from the inference's data (pair then unit order, as the
/// plan compiles them).
fn attach_energies(c: &mut CheckResult, infer: &Infer) {
    let units = infer
        .pairs()
        .iter()
        .flat_map(|p| p.data.units().iter().collect::<Vec<_>>());
    for (uc, u) in c.units.iter_mut().zip(units) {
        let g = u.grid(GridKind::Fit);
        if g.emin().len() == uc.counts.len() {
            uc.e_lo = g.emin().to_vec();
            uc.e_hi = g.emax().to_vec();
        }
    }
}

/// Goodness of fit of `infer` at its maximum-likelihood point `best` (free order): `opts.n`
/// replicates from that one point, like XSPEC's `goodness` without parameter simulation.
pub fn goodness(infer: &Infer, best: &[f64], opts: CheckOptions) -> Result<CheckResult> {
    let plan = infer.compile().map_err(|e| e.context("goodness"))?;
    if best.len() != plan.ndim() {
        bail!(
            "goodness: {} values for {} free parameters",
            best.len(),
            plan.ndim()
        );
    }
    let points = Array2::from_shape_fn((opts.n, best.len()), |(_, j)| best[j]);
    let mut c = check(&plan, &points, CheckKind::Goodness, opts.seed)?;
    attach_energies(&mut c, infer);
    Ok(c)
}

/// `n` points taken evenly through `sample` (cycling when n exceeds its length).
pub fn spread_points(sample: &Array2<f64>, n: usize) -> Array2<f64> {
    let len = sample.nrows();
    if len == 0 {
        return Array2::zeros((0, sample.ncols()));
    }
    let picks: Vec<usize> = (0..n)
        .map(|i| if n <= len { i * len / n } else { i % len })
        .collect();
    sample.select(Axis(0), &picks)
}

impl CheckResult {
    /// p-value of each unit.
    pub fn p_values(&self) -> Vec<f64> {
        self.units.iter().map(|u| u.p_value).collect()
    }

    /// The printed table.
    pub fn table(&self) -> String {
        let title = match self.kind {
            CheckKind::Posterior => format!(
                "*** Posterior predictive check: {} replicates from posterior draws, seed {} ***",
                self.n, self.seed
            ),
            CheckKind::Goodness => format!(
                "*** Goodness of fit: {} replicates from the best fit, seed {} ***",
                self.n, self.seed
            ),
        };
        let mut t = new_table(&["Data", "Statistic", "Observed", "Replicated", "p-value"]);
        let row = |name: &str, stat: &str, o: f64, m: f64, sd: f64, p: f64| {
            vec![
                name.to_string(),
                stat.to_string(),
                format!("{o:.2}"),
                format!("{m:.2} ± {sd:.2}"),
                p_text(p, self.n),
            ]
        };
        for u in &self.units {
            t.add_row(row(
                &u.name,
                u.stat.name(),
                u.observed,
                u.replicated_mean,
                u.replicated_sd,
                u.p_value,
            ));
        }
        t.add_row(row(
            "Total",
            "",
            self.observed,
            self.replicated_mean,
            self.replicated_sd,
            self.p_value,
        ));
        let verdict = if self.p_value < 0.01 {
            "\nThe data lie further from the model than its own noise explains (p < 0.01): \
             the model does not describe them."
        } else {
            ""
        };
        format!(
            "{title}\np-value: fraction of replicates whose statistic is ≥ the observed one\n{t}{verdict}\n"
        )
    }

    /// The JSON object (`kind`, `n`, `seed`, `p_value`, `p_values`, totals and per-unit rows).
    pub fn to_json(&self) -> Value {
        json!({
            "kind": self.kind.name(),
            "n": self.n,
            "seed": self.seed,
            "p_value": self.p_value,
            "p_values": self.p_values(),
            "observed": self.observed,
            "replicated_mean": self.replicated_mean,
            "replicated_sd": self.replicated_sd,
            "units": self.units.iter().map(|u| json!({
                "name": u.name,
                "statistic": u.stat.name(),
                "observed": u.observed,
                "replicated_mean": u.replicated_mean,
                "replicated_sd": u.replicated_sd,
                "p_value": u.p_value,
                "e_lo": u.e_lo,
                "e_hi": u.e_hi,
                "counts": u.counts,
                "expected": u.expected,
                "bands": u.bands,
            })).collect::<Vec<_>>(),
        })
    }

    /// Write `<kind>.json` (`ppc.json` or `goodness.json`) into `dir` (created when missing).
    pub fn save(&self, dir: &Path) -> Result<()> {
        ensure_dir(dir)?;
        write_text_atomic(
            &dir.join(format!("{}.json", self.kind.name())),
            &json_text(&self.to_json())?,
        )
    }
}

/// A p-value as text; `< 1/n` when no replicate reached the observed statistic.
fn p_text(p: f64, n: usize) -> String {
    if p == 0.0 {
        format!("< {:.1e}", 1.0 / n as f64)
    } else {
        format!("{p:.3}")
    }
}
