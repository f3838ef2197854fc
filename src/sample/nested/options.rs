//! Options of the nested sampler (inference.md 5.1.1).

use crate::error::{Error, Result};
use crate::sample::fingerprint::{Digest, Fingerprint};
use std::path::PathBuf;

/// Options of [`run`](super::run). Defaults follow the reference (inference.md 5.1.1).
#[derive(Debug, Clone, PartialEq)]
pub struct NestedOptions {
    /// Number of live points N (default 500).
    pub nlive: usize,
    /// Continue or re-read a run found in `savepath` (default true).
    pub resume: bool,
    /// Print diagnostics at every bound update (default false).
    pub verbose: bool,
    /// Cap on iterations (dead points); `None` → 50·N. A run that hits it has not converged.
    pub max_iter: Option<usize>,
    /// Compute and report the importance-nested-sampling evidence (default true).
    pub ins: bool,
    /// Output directory for the `1-…` files (default `./`); `None` writes nothing and never
    /// resumes.
    pub savepath: Option<PathBuf>,
    /// Seed; `None` → from the system clock. Same seed → same run, whatever the thread count.
    pub seed: Option<u64>,
    /// Evidence tolerance `tol` of the stopping rule (default 0.5).
    pub evidence_tolerance: f64,
    /// Target sampling efficiency `efr`: bounds hold at least X_i/efr early on, a margin that
    /// decays to 2·X_i as the run proceeds (default 0.3).
    pub efficiency: f64,
    /// Rebuild the ellipsoidal decomposition at least every this many iterations; `None` →
    /// max(50, nlive/10). Between rebuilds the bound is also rebuilt when its volume exceeds
    /// the expected prior mass by 10 % (about every nlive/10 iterations), so a fixed small
    /// interval would only add O(nlive) decompositions of O(nlive) points each.
    pub update_interval: Option<usize>,
    /// Write the resume checkpoint every this many iterations; `None` → max(100, nlive), so
    /// that checkpoints cost a fixed fraction of the run whatever nlive is.
    pub checkpoint_interval: Option<usize>,
    /// Candidates drawn and evaluated (in parallel) per batch (default 16). Part of what a seed
    /// means: changing it changes the run, the thread count does not.
    pub batch_size: usize,
    /// Parameter labels (free order) for file headers and the resume check; empty → `p1…pD`.
    pub labels: Vec<String>,
    /// Show a progress spinner when on a terminal (default true).
    pub progress: bool,
    /// Stop this call after this many iterations in total, leaving a resumable checkpoint (the
    /// result then has `finished == false`); for time-boxed runs.
    pub pause_after: Option<usize>,
    /// What the problem is (data, model, priors …; see [`crate::infer::Plan::fingerprint`]).
    /// Saved with the run; a resume with a different fingerprint is refused. Empty for a
    /// problem that cannot describe itself (then only the sampler options are checked).
    pub fingerprint: Fingerprint,
}

impl Default for NestedOptions {
    fn default() -> Self {
        NestedOptions {
            nlive: 500,
            resume: true,
            verbose: false,
            max_iter: None,
            ins: true,
            savepath: Some(PathBuf::from("./")),
            seed: None,
            evidence_tolerance: 0.5,
            efficiency: 0.3,
            update_interval: None,
            checkpoint_interval: None,
            batch_size: 16,
            labels: Vec::new(),
            progress: true,
            pause_after: None,
            fingerprint: Fingerprint::new(),
        }
    }
}

impl NestedOptions {
    /// Check the options against the problem dimension `ndim`; returns the labels to use.
    pub fn validate(&self, ndim: usize) -> Result<Vec<String>> {
        if ndim == 0 {
            return Err(Error::new(
                "nested sampling: the problem has no free parameters",
            ));
        }
        if self.nlive < ndim + 2 {
            return Err(Error::new(format!(
                "nested sampling: nlive = {} is too small for {ndim} free parameters (need at least {})",
                self.nlive,
                ndim + 2
            )));
        }
        if !(self.efficiency > 0.0 && self.efficiency <= 1.0) {
            return Err(Error::new(format!(
                "nested sampling: efficiency must be in (0, 1], got {}",
                self.efficiency
            )));
        }
        if !(self.evidence_tolerance > 0.0 && self.evidence_tolerance.is_finite()) {
            return Err(Error::new(format!(
                "nested sampling: evidence_tolerance must be positive, got {}",
                self.evidence_tolerance
            )));
        }
        if self.update_interval == Some(0)
            || self.checkpoint_interval == Some(0)
            || self.batch_size == 0
        {
            return Err(Error::new(
                "nested sampling: update_interval, checkpoint_interval and batch_size must be ≥ 1",
            ));
        }
        if self.max_iter == Some(0) {
            return Err(Error::new("nested sampling: max_iter must be ≥ 1"));
        }
        if self.labels.is_empty() {
            Ok((1..=ndim).map(|i| format!("p{i}")).collect())
        } else if self.labels.len() != ndim {
            Err(Error::new(format!(
                "nested sampling: {} labels given for {ndim} free parameters",
                self.labels.len()
            )))
        } else {
            Ok(self.labels.clone())
        }
    }

    /// The effective rebuild interval (max(50, N/10) when unset).
    pub fn effective_update_interval(&self) -> u64 {
        self.update_interval.unwrap_or((self.nlive / 10).max(50)) as u64
    }

    /// The effective checkpoint interval (max(100, N) when unset).
    pub fn effective_checkpoint_interval(&self) -> u64 {
        self.checkpoint_interval.unwrap_or(self.nlive.max(100)) as u64
    }

    /// The fingerprint a saved run is checked against: the problem's entries plus one for the
    /// options that change the result (nlive, efr, tol, update interval, batch size, INS) and
    /// the parameter labels. The seed is compared separately (an unset seed accepts the saved
    /// one); `max_iter` and the checkpoint interval may change between calls.
    pub fn run_fingerprint(&self, labels: &[String]) -> Fingerprint {
        let mut d = Digest::new();
        d.u64(self.nlive as u64)
            .f64(self.efficiency)
            .f64(self.evidence_tolerance)
            .u64(self.effective_update_interval())
            .u64(self.batch_size as u64)
            .u64(u64::from(self.ins));
        for l in labels {
            d.str(l);
        }
        let mut fp = self.fingerprint.clone();
        fp.push(
            "nested-sampling options",
            &d,
            format!(
                "nlive {}, efficiency {}, tol {}, update_interval {}, batch_size {}, ins {}, \
                 parameters {}",
                self.nlive,
                self.efficiency,
                self.evidence_tolerance,
                self.effective_update_interval(),
                self.batch_size,
                self.ins,
                labels.join(", ")
            ),
        );
        fp
    }

    /// The effective iteration cap (50·N when unset).
    pub fn effective_max_iter(&self) -> usize {
        self.max_iter.unwrap_or(50 * self.nlive)
    }
}
