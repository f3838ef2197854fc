//! The covariance-driven "bootstrap" sample of a maximum-likelihood fit (inference.md 5.3.3):
//! not a data bootstrap but draws from the Gaussian approximation N(best, C), truncated to the
//! parameter ranges, with the best fit as the first row.

use nalgebra::DMatrix;
use ndarray::Array2;
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, StandardNormal};

use super::bounds::Transform;
use crate::bail;
use crate::error::Result;

/// Options of [`bootstrap_sample`].
#[derive(Debug, Clone, PartialEq)]
pub struct BootstrapOptions {
    /// Rows wanted, the best fit included (default 1000).
    pub nsample: usize,
    /// Seed of the generator (default 450001, the reference's fixed seed).
    pub seed: u64,
}

impl Default for BootstrapOptions {
    fn default() -> Self {
        BootstrapOptions {
            nsample: 1000,
            seed: 450_001,
        }
    }
}

/// The sample: `rows[0]` is the best fit, the others are accepted draws.
#[derive(Debug, Clone)]
pub struct BootstrapSample {
    /// Parameter vectors, one per row.
    pub rows: Array2<f64>,
    /// Warnings (covariance replaced, sample short …).
    pub warnings: Vec<String>,
}

/// Maximum drawing rounds.
const ROUNDS: usize = 10;
/// Minimum batch size per round.
const MIN_BATCH: usize = 128;

/// Draw the bootstrap sample around `best` with `covariance` (or diag(errors²) when the
/// covariance is missing, of the wrong shape or not finite), keeping draws inside the closed
/// `bounds`. Errors when the lengths disagree, `best` is outside the bounds or `nsample` is 0.
pub fn bootstrap_sample(
    best: &[f64],
    covariance: Option<&DMatrix<f64>>,
    errors: &[f64],
    bounds: &[(f64, f64)],
    opts: &BootstrapOptions,
) -> Result<BootstrapSample> {
    let transform = Transform::new(bounds)?;
    transform.check_inside("bootstrap best-fit point", best)?;
    let n = best.len();
    if n == 0 {
        bail!("bootstrap: no parameters");
    }
    if opts.nsample == 0 {
        bail!("bootstrap: nsample must be at least 1");
    }
    let mut warnings = Vec::new();
    let usable =
        covariance.filter(|c| c.nrows() == n && c.ncols() == n && c.iter().all(|v| v.is_finite()));
    let mut cov = match usable {
        Some(c) => c.clone(),
        None => {
            if errors.len() != n {
                bail!(
                    "bootstrap: no usable covariance and {} errors for {n} parameters",
                    errors.len()
                );
            }
            warnings.push(
                "bootstrap: covariance missing, of the wrong shape or not finite; using \
                 diag(errors²)"
                    .to_string(),
            );
            let mut d = DMatrix::<f64>::zeros(n, n);
            for i in 0..n {
                let e = errors[i];
                d[(i, i)] = if e.is_finite() { e * e } else { 0.0 };
            }
            d
        }
    };
    // symmetrise, clip small/negative eigenvalues to ε·max|λ|, rebuild, factor by SVD
    let sym = (&cov + cov.transpose()) * 0.5;
    let eig = sym.symmetric_eigen();
    let lmax = eig.eigenvalues.iter().fold(0.0_f64, |a, &b| a.max(b.abs()));
    let floor = f64::EPSILON * lmax;
    let clipped = eig.eigenvalues.map(|l| l.max(floor));
    cov = &eig.eigenvectors * DMatrix::from_diagonal(&clipped) * eig.eigenvectors.transpose();
    let svd = cov.svd(true, false);
    let Some(u) = svd.u else {
        bail!("bootstrap: SVD of the covariance failed");
    };
    let mut factor = u;
    for (j, s) in svd.singular_values.iter().enumerate() {
        let r = s.max(0.0).sqrt();
        for i in 0..n {
            factor[(i, j)] *= r;
        }
    }
    let limits: Vec<(f64, f64)> = bounds.to_vec();
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut flat = Vec::with_capacity(opts.nsample * n);
    flat.extend_from_slice(best);
    let mut nrows = 1;
    let mut z = vec![0.0; n];
    let mut draw = vec![0.0; n];
    for _ in 0..ROUNDS {
        let missing = opts.nsample - nrows;
        if missing == 0 {
            break;
        }
        let batch = (4 * missing).max(MIN_BATCH);
        for _ in 0..batch {
            if nrows == opts.nsample {
                break;
            }
            for v in z.iter_mut() {
                *v = StandardNormal.sample(&mut rng);
            }
            for i in 0..n {
                let mut s = best[i];
                for j in 0..n {
                    s += factor[(i, j)] * z[j];
                }
                draw[i] = s;
            }
            let inside = draw
                .iter()
                .zip(&limits)
                .all(|(&v, &(lo, hi))| v >= lo && v <= hi);
            if inside {
                flat.extend_from_slice(&draw);
                nrows += 1;
            }
        }
    }
    if nrows < opts.nsample {
        warnings.push(format!(
            "bootstrap: only {nrows} of {} rows after {ROUNDS} rounds (the ranges cut most of \
             the Gaussian)",
            opts.nsample
        ));
    }
    let rows = Array2::from_shape_vec((nrows, n), flat).expect("n values per row");
    Ok(BootstrapSample { rows, warnings })
}
