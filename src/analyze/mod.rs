//! Posterior analysis shared by `Posterior` (nested sampling, emcee) and `Bootstrap`
//! (maximum-likelihood fits): per-parameter summaries, information criteria, WAIC, tables and
//! the `post_*.json` / `boot_*.json` files (inference.md section 6).
//!
//! The analysis works on plain numbers: the sample (nsample × nfree), the log-likelihood and
//! log-probability of every draw, the number of fit bins and, optionally, lnZ and the pointwise
//! log-likelihood — a matrix, or a [`PointwiseSource`] from which WAIC is computed, streaming
//! over the draws, the first time it is asked for. The inference layer computes those and adds
//! the labels.

pub mod criteria;
pub mod fit_report;
pub mod fit_status;
pub mod maxlike;
pub mod pointwise;
pub mod posterior;
pub mod ppc;
pub mod report;
pub mod summary;
pub mod table;

pub use criteria::Waic;
pub use pointwise::{PointwiseFn, PointwiseSource};
pub use posterior::{Credible, FluxKind, Posterior};
pub use report::{FreeParRow, IcRow, ParLabel, StatRow, StatValue};
pub use summary::Post;
pub use table::{Columns, Digits, ParTable, TableFormat, TableOptions};

use crate::error::{Error, Result};
use crate::sample::Draws;
use ndarray::{Array2, ArrayView2};
use pointwise::LazyWaic;

/// Which analyser: decides the ranking score, `max_loglike`, the truth column and the file
/// prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnalyzerKind {
    /// Posterior sample: ranked by log-probability; files `post_*`.
    Posterior,
    /// Parametric bootstrap of a fit (first row = best fit): ranked by log-likelihood; files
    /// `boot_*`.
    Bootstrap,
}

impl AnalyzerKind {
    /// Default file prefix (`post` / `boot`).
    pub fn prefix(self) -> &'static str {
        match self {
            AnalyzerKind::Posterior => "post",
            AnalyzerKind::Bootstrap => "boot",
        }
    }

    /// Name used in `*_ic_criteria.json`.
    pub fn name(self) -> &'static str {
        match self {
            AnalyzerKind::Posterior => "Posterior",
            AnalyzerKind::Bootstrap => "Bootstrap",
        }
    }
}

/// An analysed sample.
///
/// Equality compares every field, WAIC included (computing it when it is not yet known).
#[derive(Debug, Clone)]
pub struct Analysis {
    kind: AnalyzerKind,
    draws: Draws,
    npoint: usize,
    ln_z: Option<(f64, f64)>,
    waic: LazyWaic,
    sampler_type: Option<String>,
    pars: Vec<Post>,
    best_index: usize,
    best_ci_index: Option<usize>,
}

fn rank(v: f64) -> f64 {
    if v.is_nan() {
        f64::NEG_INFINITY
    } else {
        v
    }
}

impl Analysis {
    /// Analyse `draws` (rows = draws, columns = free parameters, with the log-likelihood and
    /// log-probability of every draw); `npoint` is the number of fit bins.
    pub fn new(kind: AnalyzerKind, draws: Draws, npoint: usize) -> Result<Self> {
        let s = draws.len();
        if s == 0 {
            return Err(Error::new("posterior analysis: the sample is empty"));
        }
        let d = draws.ndim();
        if d == 0 {
            return Err(Error::new(
                "posterior analysis: the sample has no parameter columns",
            ));
        }
        if draws.samples.iter().any(|v| !v.is_finite()) {
            return Err(Error::new(
                "posterior analysis: the sample has non-finite values",
            ));
        }
        if draws.loglike.len() != s || draws.logprob.len() != s {
            return Err(Error::new(format!(
                "posterior analysis: {s} draws but {} log-likelihoods and {} log-probabilities",
                draws.loglike.len(),
                draws.logprob.len()
            )));
        }
        let sample = &draws.samples;
        let ranking = match kind {
            AnalyzerKind::Posterior => &draws.logprob,
            AnalyzerKind::Bootstrap => &draws.loglike,
        };
        let mut best_index = 0;
        for (i, &r) in ranking.iter().enumerate() {
            if rank(r) > rank(ranking[best_index]) {
                best_index = i;
            }
        }
        let mut pars: Vec<Post> = (0..d)
            .map(|j| {
                let truth = (kind == AnalyzerKind::Bootstrap).then(|| sample[[0, j]]);
                Post::new(draws.column(j), sample[[best_index, j]], None, truth)
            })
            .collect();
        let bands: Vec<[f64; 2]> = pars.iter().map(Post::isigma).collect();
        let mut best_ci_index: Option<usize> = None;
        for (i, row) in sample.rows().into_iter().enumerate() {
            let inside = row
                .iter()
                .zip(&bands)
                .all(|(v, [lo, hi])| *lo <= *v && *v <= *hi);
            if inside && best_ci_index.is_none_or(|b| rank(ranking[i]) > rank(ranking[b])) {
                best_ci_index = Some(i);
            }
        }
        if let Some(b) = best_ci_index {
            for (j, p) in pars.iter_mut().enumerate() {
                p.best_ci = Some(sample[[b, j]]);
            }
        }
        Ok(Analysis {
            kind,
            draws,
            npoint,
            ln_z: None,
            waic: LazyWaic::none(),
            sampler_type: None,
            pars,
            best_index,
            best_ci_index,
        })
    }

    /// Attach the evidence ln Z and its error (nested sampling).
    pub fn with_ln_z(mut self, ln_z: f64, err: f64) -> Self {
        self.ln_z = Some((ln_z, err));
        self
    }

    /// Attach the pointwise log-likelihood matrix (draws × fit bins) and compute WAIC now.
    pub fn with_pointwise_loglike(mut self, pointwise: ArrayView2<'_, f64>) -> Result<Self> {
        if pointwise.nrows() != self.draws.len() {
            return Err(Error::new(format!(
                "WAIC: {} pointwise rows for {} draws",
                pointwise.nrows(),
                self.draws.len()
            )));
        }
        self.waic = LazyWaic::known(Some(criteria::waic(pointwise)?));
        Ok(self)
    }

    /// Attach a source of the pointwise log-likelihood: WAIC is computed from it over the
    /// draws the first time it is asked for ([`Analysis::waic`], the tables, `save`) and then
    /// kept (clones share it).
    pub fn with_pointwise_source(mut self, source: PointwiseSource) -> Self {
        self.waic = LazyWaic::from_source(source);
        self
    }

    /// Record the sampler (`nested`, `mcmc`) for `*_ic_criteria.json`.
    pub fn with_sampler_type(mut self, sampler: &str) -> Self {
        self.sampler_type = Some(sampler.to_string());
        self
    }

    /// Analyser kind.
    pub fn kind(&self) -> AnalyzerKind {
        self.kind
    }

    /// Sampler type, if recorded.
    pub fn sampler_type(&self) -> Option<&str> {
        self.sampler_type.as_deref()
    }

    /// The draws with their log-likelihoods and log-probabilities.
    pub fn draws(&self) -> &Draws {
        &self.draws
    }

    /// The sample (nsample × nfree).
    pub fn sample(&self) -> &Array2<f64> {
        &self.draws.samples
    }

    /// Log-likelihood per draw.
    pub fn loglike(&self) -> &[f64] {
        &self.draws.loglike
    }

    /// Log-probability per draw.
    pub fn logprob(&self) -> &[f64] {
        &self.draws.logprob
    }

    /// Ranking score per draw (log-probability for a Posterior, log-likelihood for a
    /// Bootstrap).
    pub fn ranking(&self) -> &[f64] {
        match self.kind {
            AnalyzerKind::Posterior => &self.draws.logprob,
            AnalyzerKind::Bootstrap => &self.draws.loglike,
        }
    }

    /// Number of draws.
    pub fn nsample(&self) -> usize {
        self.draws.len()
    }

    /// Number of free parameters k.
    pub fn nfree(&self) -> usize {
        self.pars.len()
    }

    /// Number of fit bins n.
    pub fn npoint(&self) -> usize {
        self.npoint
    }

    /// Per-parameter summaries (free order).
    pub fn pars(&self) -> &[Post] {
        &self.pars
    }

    /// Index of the best-ranked draw (first on ties).
    pub fn best_index(&self) -> usize {
        self.best_index
    }

    /// Index of the draw giving `best_ci`, if any.
    pub fn best_ci_index(&self) -> Option<usize> {
        self.best_ci_index
    }

    /// Means.
    pub fn par_mean(&self) -> Vec<f64> {
        self.pars.iter().map(Post::mean).collect()
    }

    /// Medians.
    pub fn par_median(&self) -> Vec<f64> {
        self.pars.iter().map(Post::median).collect()
    }

    /// Values in the best-ranked draw.
    pub fn par_best(&self) -> Vec<f64> {
        self.draws.row(self.best_index).to_vec()
    }

    /// Values in the best draw inside every 1σ interval (none if no draw qualifies).
    pub fn par_best_ci(&self) -> Option<Vec<f64>> {
        self.best_ci_index.map(|i| self.draws.row(i).to_vec())
    }

    /// The first row (Bootstrap: the best fit).
    pub fn par_truth(&self) -> Vec<f64> {
        self.draws.row(0).to_vec()
    }

    /// Quantile q of every parameter.
    pub fn par_quantile(&self, q: f64) -> Vec<f64> {
        self.pars.iter().map(|p| p.quantile(q)).collect()
    }

    /// Central interval q of every parameter.
    pub fn par_interval(&self, q: f64) -> Vec<[f64; 2]> {
        self.pars.iter().map(|p| p.interval(q)).collect()
    }

    /// 68.27 % intervals.
    pub fn par_isigma(&self) -> Vec<[f64; 2]> {
        self.par_interval(0.6827)
    }

    /// 95.45 % intervals.
    pub fn par_iisigma(&self) -> Vec<[f64; 2]> {
        self.par_interval(0.9545)
    }

    /// 99.73 % intervals.
    pub fn par_iiisigma(&self) -> Vec<[f64; 2]> {
        self.par_interval(0.9973)
    }

    /// 90 % intervals.
    pub fn par_ninety_percent(&self) -> Vec<[f64; 2]> {
        self.par_interval(0.9)
    }

    /// Asymmetric errors [p − lo, hi − p] of `values` against the central q intervals.
    pub fn par_error(&self, values: &[f64], q: f64) -> Result<Vec<[f64; 2]>> {
        if values.len() != self.pars.len() {
            return Err(Error::new(format!(
                "par_error: {} values for {} parameters",
                values.len(),
                self.pars.len()
            )));
        }
        Ok(self
            .pars
            .iter()
            .zip(values)
            .map(|(p, &v)| p.error(v, q))
            .collect())
    }

    /// Posterior: the largest log-likelihood over the draws; Bootstrap: the log-likelihood of
    /// the first row (the best fit).
    pub fn max_loglike(&self) -> f64 {
        match self.kind {
            AnalyzerKind::Posterior => self
                .draws
                .loglike
                .iter()
                .cloned()
                .filter(|v| !v.is_nan())
                .fold(f64::NEG_INFINITY, f64::max),
            AnalyzerKind::Bootstrap => self.draws.loglike[0],
        }
    }

    /// AIC.
    pub fn aic(&self) -> f64 {
        criteria::aic(self.max_loglike(), self.nfree())
    }

    /// AICc (none when npoint ≤ k + 1).
    pub fn aicc(&self) -> Option<f64> {
        criteria::aicc(self.max_loglike(), self.nfree(), self.npoint)
    }

    /// BIC.
    pub fn bic(&self) -> f64 {
        criteria::bic(self.max_loglike(), self.nfree(), self.npoint)
    }

    /// ln Z and its error, when attached.
    pub fn ln_z(&self) -> Option<(f64, f64)> {
        self.ln_z
    }

    /// WAIC, when pointwise values were attached (computed now from a source on first use);
    /// `None` also when computing it failed (see [`Analysis::try_waic`]).
    pub fn waic(&self) -> Option<&Waic> {
        self.try_waic().ok().flatten()
    }

    /// WAIC as [`Analysis::waic`], with the error when the pointwise values do not give one
    /// (non-finite values, fewer than two draws).
    pub fn try_waic(&self) -> Result<Option<&Waic>> {
        match self.waic.get(self.draws.samples.view()) {
            Ok(w) => Ok(w.as_ref()),
            Err(e) => Err(e.clone()),
        }
    }

    /// Whether WAIC is known already (attached as a matrix, or computed from the source).
    pub fn waic_computed(&self) -> bool {
        self.waic.is_known()
    }
}

impl PartialEq for Analysis {
    fn eq(&self, other: &Self) -> bool {
        self.kind == other.kind
            && self.draws == other.draws
            && self.npoint == other.npoint
            && self.ln_z == other.ln_z
            && self.sampler_type == other.sampler_type
            && self.pars == other.pars
            && self.best_index == other.best_index
            && self.best_ci_index == other.best_ci_index
            && self.waic.get(self.draws.samples.view())
                == other.waic.get(other.draws.samples.view())
    }
}
