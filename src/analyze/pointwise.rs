//! Lazy WAIC: where the pointwise log-likelihood of a draw comes from, and the cached
//! criterion that an [`Analysis`](super::Analysis) computes from it on first use, streaming
//! over the draws (no draws × bins matrix is kept).

use super::criteria::{self, Waic};
use crate::error::Result;
use crate::infer::Plan;
use ndarray::ArrayView2;
use std::sync::{Arc, OnceLock};

/// Writes the pointwise log-likelihood of the draw θ (free order) into `out` (one value per
/// fit bin).
pub type PointwiseFn = dyn Fn(&[f64], &mut [f64]) + Send + Sync;

/// A source of pointwise log-likelihood rows for a lazily computed WAIC.
#[derive(Clone)]
pub struct PointwiseSource {
    npoint: usize,
    fill: Arc<PointwiseFn>,
    nan_means_unavailable: bool,
}

impl PointwiseSource {
    /// `fill(θ, out)` writes `npoint` values for the draw θ. Non-finite values make WAIC an
    /// error (see [`PointwiseSource::nan_means_unavailable`]).
    pub fn new(
        npoint: usize,
        fill: impl Fn(&[f64], &mut [f64]) + Send + Sync + 'static,
    ) -> PointwiseSource {
        PointwiseSource {
            npoint,
            fill: Arc::new(fill),
            nan_means_unavailable: false,
        }
    }

    /// The compiled plan's pointwise log-likelihood. With a user log-likelihood, a NaN
    /// value (the user function returns a scalar) means that there is no WAIC.
    pub fn from_plan(plan: Arc<Plan>) -> PointwiseSource {
        let custom = plan.has_custom_loglike();
        PointwiseSource::new(plan.npoint(), move |theta, out| {
            plan.pointwise_loglike(theta, out)
        })
        .nan_means_unavailable(custom)
    }

    /// When `yes`, a NaN anywhere gives no WAIC instead of an error.
    pub fn nan_means_unavailable(mut self, yes: bool) -> PointwiseSource {
        self.nan_means_unavailable = yes;
        self
    }

    /// Number of values per draw.
    pub fn npoint(&self) -> usize {
        self.npoint
    }

    /// Write the pointwise log-likelihood of θ into `out` (length [`Self::npoint`]).
    pub fn fill(&self, theta: &[f64], out: &mut [f64]) {
        (self.fill)(theta, out)
    }

    /// WAIC of `sample` (rows = draws); `None` when the source has no pointwise values. A
    /// draw repeated in the sample (an MCMC walker that stayed put, an equal-weight resample
    /// of the same point) is evaluated once and counted as often as it appears.
    pub fn waic(&self, sample: ArrayView2<'_, f64>) -> Result<Option<Waic>> {
        let (first, counts) = distinct_rows(sample);
        let fill = |r: usize, out: &mut [f64]| match sample.row(first[r]).as_slice() {
            Some(theta) => self.fill(theta, out),
            None => self.fill(&sample.row(first[r]).to_vec(), out),
        };
        criteria::waic_streaming_counted(&counts, self.npoint, fill, self.nan_means_unavailable)
    }
}

/// The distinct rows of `sample` (by exact bits), in order of first appearance: the index of
/// each one's first occurrence and how many times it occurs.
fn distinct_rows(sample: ArrayView2<'_, f64>) -> (Vec<usize>, Vec<usize>) {
    let mut seen: std::collections::HashMap<Vec<u64>, usize> =
        std::collections::HashMap::with_capacity(sample.nrows());
    let (mut first, mut counts) = (Vec::new(), Vec::new());
    for (s, theta) in sample.rows().into_iter().enumerate() {
        let key: Vec<u64> = theta.iter().map(|x| x.to_bits()).collect();
        match seen.get(&key) {
            Some(&r) => counts[r] += 1,
            None => {
                seen.insert(key, first.len());
                first.push(s);
                counts.push(1);
            }
        }
    }
    (first, counts)
}

impl std::fmt::Debug for PointwiseSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PointwiseSource")
            .field("npoint", &self.npoint)
            .field("nan_means_unavailable", &self.nan_means_unavailable)
            .finish_non_exhaustive()
    }
}

/// The WAIC of an analysis: already known, or computed once from a source and cached. Clones
/// share the cache (they analyse the same sample).
#[derive(Clone)]
pub(crate) struct LazyWaic(Arc<Inner>);

struct Inner {
    source: Option<PointwiseSource>,
    value: OnceLock<Result<Option<Waic>>>,
}

impl LazyWaic {
    /// No pointwise values: no WAIC.
    pub(crate) fn none() -> LazyWaic {
        LazyWaic::known(None)
    }

    /// An already computed value.
    pub(crate) fn known(waic: Option<Waic>) -> LazyWaic {
        LazyWaic(Arc::new(Inner {
            source: None,
            value: OnceLock::from(Ok(waic)),
        }))
    }

    /// Computed from `source` on first use.
    pub(crate) fn from_source(source: PointwiseSource) -> LazyWaic {
        LazyWaic(Arc::new(Inner {
            source: Some(source),
            value: OnceLock::new(),
        }))
    }

    /// The value, computing it over `sample` (the analysis's draws) the first time.
    pub(crate) fn get(&self, sample: ArrayView2<'_, f64>) -> &Result<Option<Waic>> {
        self.0.value.get_or_init(|| match &self.0.source {
            Some(src) => src.waic(sample),
            None => Ok(None),
        })
    }

    /// Whether the value is known (given, or computed already).
    pub(crate) fn is_known(&self) -> bool {
        self.0.value.get().is_some()
    }
}

impl std::fmt::Debug for LazyWaic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.0.value.get() {
            Some(v) => f.debug_tuple("LazyWaic").field(v).finish(),
            None => f
                .debug_tuple("LazyWaic")
                .field(&"not computed yet")
                .field(&self.0.source)
                .finish(),
        }
    }
}
