//! [`Draws`]: what every sampler hands to the analysis — the sample matrix and the
//! log-likelihood and log-probability of each draw.

use crate::error::{Error, Result};
use ndarray::{Array2, ArrayView1, Axis};

/// A sample of draws: one row per draw, one column per free parameter, with ln L and
/// ln L + ln prior of every row. Nested sampling (equal-weight sample), emcee (the flattened
/// chain) and the bootstrap (refits) all produce one; `Posterior::from_draws` analyses it.
#[derive(Debug, Clone, PartialEq)]
pub struct Draws {
    /// The draws (nsample × nfree).
    pub samples: Array2<f64>,
    /// ln L of each draw.
    pub loglike: Vec<f64>,
    /// ln L + ln prior of each draw.
    pub logprob: Vec<f64>,
}

impl Draws {
    /// Draws from a matrix and the two per-draw vectors, which must have one entry per row.
    pub fn new(samples: Array2<f64>, loglike: Vec<f64>, logprob: Vec<f64>) -> Result<Draws> {
        let s = samples.nrows();
        if loglike.len() != s || logprob.len() != s {
            return Err(Error::new(format!(
                "{s} draws but {} log-likelihoods and {} log-probabilities",
                loglike.len(),
                logprob.len()
            )));
        }
        Ok(Draws {
            samples,
            loglike,
            logprob,
        })
    }

    /// Draws from `ndim` columns laid out row after row in `flat`.
    pub fn from_flat(
        ndim: usize,
        flat: Vec<f64>,
        loglike: Vec<f64>,
        logprob: Vec<f64>,
    ) -> Result<Draws> {
        let rows = flat.len().checked_div(ndim).unwrap_or(0);
        let samples = Array2::from_shape_vec((rows, ndim), flat)
            .map_err(|e| Error::new(format!("draws: {e}")))?;
        Draws::new(samples, loglike, logprob)
    }

    /// Number of draws.
    pub fn len(&self) -> usize {
        self.samples.nrows()
    }

    /// Whether there are no draws.
    pub fn is_empty(&self) -> bool {
        self.samples.nrows() == 0
    }

    /// Number of columns (free parameters).
    pub fn ndim(&self) -> usize {
        self.samples.ncols()
    }

    /// Draw `i` as a row view.
    pub fn row(&self, i: usize) -> ArrayView1<'_, f64> {
        self.samples.row(i)
    }

    /// Column `j` (one parameter over the draws) as a vector.
    pub fn column(&self, j: usize) -> Vec<f64> {
        self.samples.index_axis(Axis(1), j).to_vec()
    }
}

/// A matrix from equal-length rows (`Err` naming the first row of another length than the
/// first's).
pub fn matrix_from_rows(rows: &[impl AsRef<[f64]>]) -> Result<Array2<f64>> {
    let ncols = rows.first().map_or(0, |r| r.as_ref().len());
    let mut flat = Vec::with_capacity(rows.len() * ncols);
    for (i, r) in rows.iter().enumerate() {
        let r = r.as_ref();
        if r.len() != ncols {
            return Err(Error::new(format!(
                "row {i} has {} values, expected {ncols}",
                r.len()
            )));
        }
        flat.extend_from_slice(r);
    }
    Array2::from_shape_vec((rows.len(), ncols), flat).map_err(|e| Error::new(e.to_string()))
}

/// A finished sampler run as the analysis sees it: its draws, the sampler's name for
/// `*_ic_criteria.json` (`nested`, `mcmc`) and, for nested sampling, ln Z and its error.
pub trait SampledRun {
    /// The posterior draws.
    fn draws(&self) -> &Draws;
    /// The sampler type recorded with the criteria.
    fn sampler_type(&self) -> &'static str;
    /// ln Z and its error, when the sampler estimates the evidence.
    fn evidence(&self) -> Option<(f64, f64)> {
        None
    }
}

/// The rows of a row-major matrix as slices (every matrix the samplers build is row-major).
pub fn row_slices(m: &Array2<f64>) -> impl Iterator<Item = &[f64]> + '_ {
    m.rows().into_iter().map(|r| {
        r.to_slice()
            .expect("a row-major matrix has contiguous rows")
    })
}
