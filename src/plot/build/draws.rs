//! Shared machinery of the builders: restoring parameter values, thinning posterior draws,
//! turning draws into per-model parameter vectors and pointwise credible bands.

use crate::analyze::summary::quantile_sorted;
use crate::analyze::Posterior;
use crate::error::{Error, Result};
use crate::infer::Infer;
use crate::model::{Model, Par};
use crate::sample::row_slices;
use ndarray::{Array2, ArrayView1};

/// The values of some parameters, written back when dropped: builders move the parameters while
/// evaluating draws and always leave them as they found them (also on error).
pub(crate) struct ParSnapshot {
    saved: Vec<(Par, f64)>,
}

impl ParSnapshot {
    /// Remember the current values of `pars`.
    pub(crate) fn new(pars: impl IntoIterator<Item = Par>) -> ParSnapshot {
        ParSnapshot {
            saved: pars
                .into_iter()
                .map(|p| {
                    let v = p.val();
                    (p, v)
                })
                .collect(),
        }
    }

    /// Every parameter of an inference: its models' and its data units' (nuisance) ones.
    pub(crate) fn of_infer(infer: &Infer) -> ParSnapshot {
        ParSnapshot::new(infer.rows().into_iter().map(|r| r.par))
    }

    /// Also remember the parameters of `model`.
    pub(crate) fn with_model(mut self, model: &Model) -> ParSnapshot {
        self.saved.extend(
            model
                .params()
                .into_iter()
                .map(|e| (e.par.clone(), e.par.val())),
        );
        self
    }

    /// Write the remembered values back (idempotent; a parameter remembered twice gets the
    /// value seen first).
    pub(crate) fn restore(&self) {
        for (p, v) in self.saved.iter().rev() {
            if p.val().to_bits() != v.to_bits() {
                p.set_val(*v);
            }
        }
    }
}

impl Drop for ParSnapshot {
    fn drop(&mut self) {
        self.restore();
    }
}

/// The rows of `sample` thinned with a fixed stride to at most `max` draws (deterministic).
pub(crate) fn thin(sample: &Array2<f64>, max: usize) -> Vec<&[f64]> {
    let step = sample.nrows().div_ceil(max.max(1)).max(1);
    row_slices(sample).step_by(step).collect()
}

/// Check that `post` is a sample of `infer` (same free parameters, same order).
pub(crate) fn check_posterior_of(infer: &Infer, post: &Posterior) -> Result<()> {
    let mine = infer.free_pars();
    let theirs = post.infer().free_pars();
    let same = mine.len() == theirs.len() && mine.iter().zip(&theirs).all(|(a, b)| a.same(b));
    if same {
        Ok(())
    } else {
        Err(Error::new(
            "the posterior does not belong to this inference (its free parameters differ); \
             plot the posterior's own inference",
        ))
    }
}

/// For every model in `models`, its full parameter vector (par# order) at each draw
/// (free-parameter values of `infer`): `[model][[draw, par]]`. Moves the parameters: callers
/// hold a [`ParSnapshot`].
pub(crate) fn model_par_vectors(
    infer: &Infer,
    draws: &[&[f64]],
    models: &[Model],
) -> Result<Vec<Array2<f64>>> {
    let mut out: Vec<Array2<f64>> = models
        .iter()
        .map(|m| Array2::zeros((draws.len(), m.par_values().len())))
        .collect();
    for (d, theta) in draws.iter().enumerate() {
        infer.set_free_values(theta)?;
        for (m, o) in models.iter().zip(out.iter_mut()) {
            o.row_mut(d).assign(&ArrayView1::from(&m.par_values()));
        }
    }
    Ok(out)
}

/// Pointwise central interval of mass `mass` over draws: `values[[draw, point]]` → (lo, hi)
/// per point. Non-finite values are ignored; a point without any finite value gets NaN edges.
pub(crate) fn pointwise_band(values: &Array2<f64>, mass: f64) -> (Vec<f64>, Vec<f64>) {
    let (q_lo, q_hi) = (0.5 - 0.5 * mass, 0.5 + 0.5 * mass);
    let npoint = values.ncols();
    let mut lo = Vec::with_capacity(npoint);
    let mut hi = Vec::with_capacity(npoint);
    let mut col = Vec::with_capacity(values.nrows());
    for k in 0..npoint {
        col.clear();
        col.extend(values.column(k).iter().copied().filter(|v| v.is_finite()));
        col.sort_by(f64::total_cmp);
        lo.push(quantile_sorted(&col, q_lo));
        hi.push(quantile_sorted(&col, q_hi));
    }
    (lo, hi)
}

/// `n` log-spaced energies from `lo` to `hi` (both included).
pub(crate) fn log_grid(lo: f64, hi: f64, n: usize) -> Result<Vec<f64>> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) || n < 2 {
        return Err(Error::new(format!(
            "cannot build a log energy grid of {n} points over [{lo}, {hi}] keV"
        )));
    }
    let (a, b) = (lo.ln(), hi.ln());
    Ok((0..n)
        .map(|i| {
            if i == 0 {
                lo
            } else if i + 1 == n {
                hi
            } else {
                (a + (b - a) * i as f64 / (n - 1) as f64).exp()
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thinning_is_a_fixed_stride() {
        let s = Array2::from_shape_fn((10, 1), |(i, _)| i as f64);
        let t = thin(&s, 3);
        assert_eq!(t.len(), 3);
        assert_eq!(
            t.iter().map(|r| r[0]).collect::<Vec<_>>(),
            vec![0.0, 4.0, 8.0]
        );
        assert_eq!(thin(&s, 100).len(), 10);
    }

    #[test]
    fn band_quantiles_and_nan() {
        // 101 draws 0..=100 at point 0; NaN everywhere at point 1.
        let v = Array2::from_shape_fn((101, 2), |(i, k)| if k == 0 { i as f64 } else { f64::NAN });
        let (lo, hi) = pointwise_band(&v, 0.5);
        assert!((lo[0] - 25.0).abs() < 1e-12 && (hi[0] - 75.0).abs() < 1e-12);
        assert!(lo[1].is_nan() && hi[1].is_nan());
    }

    #[test]
    fn log_grid_ends() {
        let g = log_grid(10.0, 1000.0, 3).unwrap();
        assert_eq!(g[0], 10.0);
        assert!((g[1] - 100.0).abs() < 1e-9);
        assert_eq!(g[2], 1000.0);
        assert!(log_grid(0.0, 1.0, 3).is_err());
    }
}
