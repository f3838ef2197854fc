//! `Posterior` / `Bootstrap`: an analysed sample bound to its inference — labels, the
//! statistics at the best point, printing, `save`, fluxes with credible intervals, and the
//! per-parameter posterior attached to each free `Par`.

use super::report::{stat_table, ParLabel, StatRow, StatValue};
use super::table::{plain_names, ParTable, TableOptions};
use super::{Analysis, AnalyzerKind, PointwiseSource, Post, Waic};
use crate::error::{Error, Result};
use crate::infer::{Infer, Plan};
use crate::model::Prior;
use crate::sample::{row_slices, SampledRun};
use ndarray::ArrayView2;
use std::path::Path;
use std::sync::Arc;

/// A flux (or any derived quantity) summarised over the sample.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credible {
    /// Median over the draws.
    pub median: f64,
    /// Lower end of the central interval.
    pub lo: f64,
    /// Upper end of the central interval.
    pub hi: f64,
}

/// Which integrated flux.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FluxKind {
    /// Photons cm⁻² s⁻¹.
    Photon,
    /// erg cm⁻² s⁻¹.
    Energy,
}

/// An analysed sample of an inference.
#[derive(Clone)]
pub struct Posterior {
    infer: Infer,
    analysis: Analysis,
    labels: Vec<ParLabel>,
    stat_rows: Vec<StatRow>,
    notes: Vec<Option<String>>,
    warnings: Vec<String>,
}

/// Fraction of the draws beyond which a parameter is flagged at a prior edge.
pub const EDGE_FRACTION: f64 = 0.05;
/// Width of the edge zone, as a fraction of the prior's range.
pub const EDGE_ZONE: f64 = 0.01;

/// How much of a sample lies near the ends of a bounded prior.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct EdgeFractions {
    /// Fraction of the draws within [`EDGE_ZONE`] of the range from the lower end.
    pub lower: f64,
    /// The same at the upper end.
    pub upper: f64,
    /// Fraction within the close zone of the lower end: [`EDGE_ZONE`] of the range, or half
    /// the sample's central 68 % width when that is narrower (so that a narrow posterior well
    /// inside a very wide prior is not taken for a truncated one).
    pub lower_close: f64,
    /// The same at the upper end.
    pub upper_close: f64,
}

impl EdgeFractions {
    /// Whether the sample piles against the (lower, upper) end: more than [`EDGE_FRACTION`]
    /// of the draws in the close zone.
    pub fn piled(&self) -> (bool, bool) {
        (
            self.lower_close > EDGE_FRACTION,
            self.upper_close > EDGE_FRACTION,
        )
    }
}

/// Where `values` lie against the ends of a bounded prior's support (`None` for an unbounded
/// prior or an empty sample). A `logunif` prior is measured on the logarithmic scale it is
/// flat in.
pub fn prior_edge_fractions(values: &[f64], prior: &Prior) -> Option<EdgeFractions> {
    if !prior.is_bounded() || values.is_empty() {
        return None;
    }
    let (lo, hi) = prior.support();
    let map = |x: f64| match *prior {
        Prior::Logunif(f) => ((x - f.loc) / f.scale).ln(),
        _ => x,
    };
    let (a, b) = (map(lo), map(hi));
    if !(a.is_finite() && b.is_finite() && b > a) {
        return None;
    }
    let mut t: Vec<f64> = values.iter().map(|&v| map(v)).collect();
    t.sort_by(f64::total_cmp);
    let q = |p: f64| super::summary::quantile_sorted(&t, p);
    let zone = EDGE_ZONE * (b - a);
    let half_width = 0.5 * (q(0.5 + 0.6827 / 2.0) - q(0.5 - 0.6827 / 2.0));
    let close = if half_width.is_finite() {
        zone.min(half_width)
    } else {
        zone
    };
    let n = t.len() as f64;
    let frac = |pred: &dyn Fn(f64) -> bool| t.iter().filter(|&&x| pred(x)).count() as f64 / n;
    Some(EdgeFractions {
        lower: frac(&|x| x < a + zone),
        upper: frac(&|x| x > b - zone),
        lower_close: frac(&|x| x < a + close),
        upper_close: frac(&|x| x > b - close),
    })
}

/// Merge a note into another: `a; b` (an identical note is kept once).
fn merge_note(old: Option<String>, new: Option<String>) -> Option<String> {
    match (old, new) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("{a}; {b}")),
        (a, None) => a,
        (None, b) => b,
    }
}

/// Notes and warnings for the free parameters of a posterior sample piled against an edge
/// of a bounded prior (see [`EdgeFractions::piled`]).
fn prior_edge_notes(
    infer: &Infer,
    analysis: &Analysis,
    names: &[String],
) -> (Vec<Option<String>>, Vec<String>) {
    let mut notes = vec![None; analysis.nfree()];
    let mut warnings = Vec::new();
    if analysis.kind() != AnalyzerKind::Posterior {
        return (notes, warnings);
    }
    for (j, (par, post)) in infer.free_pars().iter().zip(analysis.pars()).enumerate() {
        let Some(prior) = par.prior() else { continue };
        let Some(f) = prior_edge_fractions(&post.values, &prior) else {
            continue;
        };
        let (lo, hi) = prior.support();
        let (piled_lo, piled_hi) = f.piled();
        for (piled, frac, side, edge) in [
            (piled_lo, f.lower, "lower", lo),
            (piled_hi, f.upper, "upper", hi),
        ] {
            if piled {
                notes[j] = merge_note(notes[j].take(), Some(format!("at prior edge ({side})")));
                let log = if matches!(prior, Prior::Logunif(_)) {
                    " (in log)"
                } else {
                    ""
                };
                warnings.push(format!(
                    "{}: {:.0} % of the posterior lies within 1 %{log} of its prior's {side} \
                     edge {edge}; the prior truncates it (widen the prior or fix the parameter)",
                    names.get(j).map(String::as_str).unwrap_or("?"),
                    100.0 * frac,
                ));
            }
        }
    }
    (notes, warnings)
}

impl Posterior {
    /// Analyse `sample` (free order) of `infer`: `loglike`/`logprob` per draw, optional lnZ
    /// and pointwise log-likelihood matrix (WAIC computed now; or attach a lazy source to the
    /// analysis with [`Analysis::with_pointwise_source`] and pass `None`). Leaves the
    /// parameters at the best draw and attaches each free parameter's [`Post`].
    ///
    /// A posterior (not a Bootstrap) flags each free parameter whose draws pile against an
    /// edge of its bounded prior — more than 5 % of them within 1 % of the range from one end
    /// (on the log scale for `logunif`), and within half the posterior's 68 % width of it —
    /// with the note `at prior edge (lower)` / `(upper)` and a warning, printed once on
    /// stderr here.
    pub fn new(
        infer: &Infer,
        analysis: Analysis,
        pointwise: Option<ArrayView2<'_, f64>>,
    ) -> Result<Posterior> {
        let analysis = match pointwise {
            Some(pw) => analysis.with_pointwise_loglike(pw)?,
            None => analysis,
        };
        let rows = infer.rows();
        let labels: Vec<ParLabel> = infer
            .free_numbers()
            .iter()
            .map(|&n| {
                let r = &rows[n - 1];
                ParLabel {
                    par: n.to_string(),
                    class: r.class.name().to_string(),
                    expression: r.expression.clone(),
                    component: r.component.clone(),
                    parameter: r.label.clone(),
                }
            })
            .collect();
        if labels.len() != analysis.nfree() {
            return Err(Error::new(format!(
                "the sample has {} columns but the inference has {} free parameters",
                analysis.nfree(),
                labels.len()
            )));
        }
        infer.set_free_values(&analysis.par_best())?;
        for (par, post) in infer.free_pars().iter().zip(analysis.pars()) {
            par.set_posterior(Some(Arc::new(post.clone())));
        }
        let mut stat_rows = Vec::new();
        let mut total = 0.0;
        for r in infer.stat_rows()? {
            total += r.weight * r.value;
            stat_rows.push(StatRow {
                data: r.data,
                model: r.model,
                statistic: r.statistic,
                value: StatValue::Number(r.value.is_finite().then_some(r.value)),
                bins: r.bins,
            });
        }
        stat_rows.push(StatRow {
            data: "Total".into(),
            model: "Total".into(),
            statistic: "stat/dof".into(),
            value: StatValue::Text(format!("{total:.3}/{}", infer.dof())),
            bins: infer.npoint(),
        });
        let (notes, warnings) = prior_edge_notes(infer, &analysis, &plain_names(&labels));
        for w in &warnings {
            crate::notice::warn(w);
        }
        Ok(Posterior {
            infer: infer.clone(),
            analysis,
            labels,
            stat_rows,
            notes,
            warnings,
        })
    }

    /// One note per free parameter (`at prior edge (upper)`, …; `None` when none).
    pub fn notes(&self) -> &[Option<String>] {
        &self.notes
    }

    /// The warnings found when the posterior was made (one per parameter at a prior edge).
    pub fn warnings(&self) -> &[String] {
        &self.warnings
    }

    /// Merge extra notes (one per free parameter, in free order; missing entries and extra
    /// ones are ignored): a parameter that has a note already gets `old; new`.
    pub fn with_notes(mut self, notes: Vec<Option<String>>) -> Self {
        for (old, new) in self.notes.iter_mut().zip(notes) {
            *old = merge_note(old.take(), new);
        }
        self
    }

    /// The parameter table (labels, summaries, notes) for rendering.
    pub fn par_table(&self) -> Result<ParTable> {
        ParTable::new(&self.analysis, &self.labels, &self.notes)
    }

    /// The parameter table as text, LaTeX or Markdown (`post.table(#{ ... })`).
    pub fn table(&self, opts: &TableOptions) -> Result<String> {
        Ok(self.par_table()?.render(opts))
    }

    /// From a sampler run (nested sampling's equal-weight sample with lnZ, emcee's flattened
    /// chain after `discard`/`thin`); WAIC from the plan, computed when first asked for.
    pub fn from_draws(infer: &Infer, plan: &Plan, run: &dyn SampledRun) -> Result<Posterior> {
        let mut a = Analysis::new(AnalyzerKind::Posterior, run.draws().clone(), infer.npoint())?
            .with_sampler_type(run.sampler_type())
            .with_pointwise_source(plan_source(plan));
        if let Some((ln_z, err)) = run.evidence() {
            a = a.with_ln_z(ln_z, err);
        }
        Posterior::new(infer, a, None)
    }

    /// The analysis (summaries, criteria).
    pub fn analysis(&self) -> &Analysis {
        &self.analysis
    }

    /// WAIC (computed on the first call when the analysis has a pointwise source); `None`
    /// when there are no pointwise values (a user log-likelihood that returns a scalar) or
    /// they give no WAIC ([`Analysis::try_waic`] has the error).
    pub fn waic(&self) -> Option<&Waic> {
        self.analysis.waic()
    }

    /// Whether WAIC is known already (so that [`Posterior::waic`] costs nothing).
    pub fn waic_computed(&self) -> bool {
        self.analysis.waic_computed()
    }

    /// The inference this sample belongs to.
    pub fn infer(&self) -> &Infer {
        &self.infer
    }

    /// Row labels of the free parameters.
    pub fn labels(&self) -> &[ParLabel] {
        &self.labels
    }

    /// Statistics rows at the best draw (with the total row).
    pub fn stat_rows(&self) -> &[StatRow] {
        &self.stat_rows
    }

    /// Per-parameter summaries in free order.
    pub fn pars(&self) -> &[Post] {
        self.analysis.pars()
    }

    /// Clean labels of the free parameters (`alpha`, `logE_p`, …); a label that several free
    /// parameters share gets its par#: `alpha (par#1)`, `alpha (par#4)`.
    pub fn clean_labels(&self) -> Vec<String> {
        plain_names(&self.labels)
    }

    /// File prefix (`post` / `boot`).
    pub fn prefix(&self) -> &'static str {
        self.analysis.kind().prefix()
    }

    /// Write `<prefix>_fingerprint.json` (what the sample was computed from: data, model,
    /// priors; see [`crate::infer::Plan::fingerprint`]), `<prefix>_free_par.json` (with each
    /// parameter's `Note`, null when none), `<prefix>_stat.json`, `<prefix>_IC.json` into
    /// `dir`.
    pub fn save(&self, dir: &Path) -> Result<()> {
        let p = self.prefix();
        let fingerprint = self.infer.compile()?.fingerprint();
        self.analysis
            .save_with_notes(dir, p, &self.labels, &self.notes)?;
        // what the sample was computed from
        crate::sample::files::write_text_atomic(
            &dir.join(format!("{p}_fingerprint.json")),
            &crate::sample::files::json_text(&fingerprint)?,
        )?;
        super::report::write_stat_json(dir, p, &self.stat_rows)
    }

    /// A flux over [e1, e2] keV of pair `pair`'s model for up to `max_draws` draws: median and
    /// central interval of mass `q` (e.g. 0.6827). The parameters are left at the best draw.
    pub fn flux(
        &self,
        kind: FluxKind,
        e1: f64,
        e2: f64,
        pair: usize,
        q: f64,
        max_draws: usize,
    ) -> Result<Credible> {
        let model = &self
            .infer
            .pairs()
            .get(pair)
            .ok_or_else(|| Error::new(format!("no pair {}", pair + 1)))?
            .model;
        let sample = self.analysis.sample();
        let step = (sample.nrows() / max_draws.max(1)).max(1);
        let mut values = Vec::with_capacity(sample.nrows() / step + 1);
        for row in row_slices(sample).step_by(step) {
            self.infer.set_free_values(row)?;
            let f = match kind {
                FluxKind::Photon => model.phtflux(e1, e2)?,
                FluxKind::Energy => model.ergflux(e1, e2)?,
            };
            if f.is_finite() {
                values.push(f);
            }
        }
        self.infer.set_free_values(&self.analysis.par_best())?;
        if values.is_empty() {
            return Err(Error::new("flux: no draw gives a finite flux"));
        }
        values.sort_by(f64::total_cmp);
        let at = |p: f64| super::summary::quantile_sorted(&values, p);
        Ok(Credible {
            median: at(0.5),
            lo: at((1.0 - q) / 2.0),
            hi: at((1.0 + q) / 2.0),
        })
    }
}

impl std::fmt::Display for Posterior {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self
            .analysis
            .report_text_with_notes(&self.labels, &self.notes, &self.stat_rows)
        {
            Ok(t) => f.write_str(&t),
            Err(e) => {
                writeln!(f, "{}", stat_table(&self.stat_rows))?;
                write!(f, "(table error: {e})")
            }
        }
    }
}

/// The plan's pointwise log-likelihood as a lazy WAIC source (a user log-likelihood that
/// returns a scalar gives NaN values, hence no WAIC).
fn plan_source(plan: &Plan) -> PointwiseSource {
    PointwiseSource::from_plan(Arc::new(plan.clone()))
}
