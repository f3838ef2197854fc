//! Information criteria (inference.md 6.3) and WAIC (6.4).

use crate::error::{Error, Result};
use ndarray::ArrayView2;

/// AIC = −2·max_loglike + 2k.
pub fn aic(max_loglike: f64, k: usize) -> f64 {
    -2.0 * max_loglike + 2.0 * k as f64
}

/// AICc = AIC + 2k(k + 1)/(n − k − 1); `None` when n ≤ k + 1 (undefined).
pub fn aicc(max_loglike: f64, k: usize, n: usize) -> Option<f64> {
    if n <= k + 1 {
        return None;
    }
    let kf = k as f64;
    Some(aic(max_loglike, k) + 2.0 * kf * (kf + 1.0) / (n as f64 - kf - 1.0))
}

/// BIC = −2·max_loglike + k·ln n.
pub fn bic(max_loglike: f64, k: usize, n: usize) -> f64 {
    -2.0 * max_loglike + k as f64 * (n as f64).ln()
}

/// The widely applicable information criterion from a pointwise log-likelihood matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Waic {
    /// Σ elpd_i.
    pub elpd_waic: f64,
    /// Standard error of elpd_waic: √(n·Var_i(elpd_i)).
    pub se: f64,
    /// Effective number of parameters Σ v_i.
    pub p_waic: f64,
    /// WAIC on the deviance scale: −2·elpd_waic.
    pub deviance: f64,
    /// Its error: 2·se.
    pub deviance_error: f64,
    /// Pointwise −2·elpd_i.
    pub pointwise_deviance: Vec<f64>,
    /// True when some v_i > 0.4 (the estimate is unreliable).
    pub warning: bool,
}

/// Draws per chunk of [`waic_streaming`]: fixed, so that the chunks (and therefore the
/// result) do not depend on the number of threads.
pub const WAIC_CHUNK: usize = 256;

/// Running sums of one fit bin over a run of consecutive draws.
#[derive(Clone, Copy)]
struct Bin {
    /// Running max of ℓ_si.
    max: f64,
    /// Σ e^{ℓ_si − max}.
    sumexp: f64,
    /// Running mean of ℓ_si.
    mean: f64,
    /// Σ (ℓ_si − mean)² (Welford).
    m2: f64,
}

/// Per-bin running sums of a run of consecutive draws.
struct Acc {
    /// Draws accumulated.
    count: usize,
    /// One per fit bin.
    bins: Vec<Bin>,
    /// Some value was NaN.
    nan: bool,
    /// Some value was not finite.
    nonfinite: bool,
}

impl Acc {
    fn new(n: usize) -> Acc {
        let empty = Bin {
            max: f64::NEG_INFINITY,
            sumexp: 0.0,
            mean: 0.0,
            m2: 0.0,
        };
        Acc {
            count: 0,
            bins: vec![empty; n],
            nan: false,
            nonfinite: false,
        }
    }

    /// Add one draw's row (Welford for the mean and M2, an online log-sum-exp for lppd).
    /// `m` draws with the same row (a sampler that stayed put): the sums of m identical
    /// values, merged as a block (exact; the row is computed once).
    fn push_n(&mut self, row: &[f64], m: usize) {
        if m == 0 {
            return;
        }
        if row.iter().any(|v| !v.is_finite()) {
            self.nonfinite = true;
            self.nan |= row.iter().any(|v| v.is_nan());
            return;
        }
        let (na, nb) = (self.count as f64, m as f64);
        self.count += m;
        let k = self.count as f64;
        for (b, &x) in self.bins.iter_mut().zip(row) {
            if x > b.max {
                b.sumexp = b.sumexp * (b.max - x).exp() + nb;
                b.max = x;
            } else {
                b.sumexp += nb * (x - b.max).exp();
            }
            let delta = x - b.mean;
            b.mean += delta * (nb / k);
            b.m2 += delta * delta * (na * nb / k);
        }
    }

    /// Fold `other` (the draws after this one's) in (Chan et al.'s pairwise update).
    fn merge(&mut self, other: &Acc) {
        self.nan |= other.nan;
        self.nonfinite |= other.nonfinite;
        if other.count == 0 {
            return;
        }
        if self.count == 0 {
            self.count = other.count;
            self.bins.copy_from_slice(&other.bins);
            return;
        }
        let (na, nb) = (self.count as f64, other.count as f64);
        let nt = na + nb;
        for (a, b) in self.bins.iter_mut().zip(&other.bins) {
            let m = a.max.max(b.max);
            a.sumexp = a.sumexp * (a.max - m).exp() + b.sumexp * (b.max - m).exp();
            a.max = m;
            let delta = b.mean - a.mean;
            a.mean += delta * (nb / nt);
            a.m2 += b.m2 + delta * delta * (na * nb / nt);
        }
        self.count += other.count;
    }
}

/// Accumulate every row in chunks of [`WAIC_CHUNK`] in parallel, merged in chunk order; row r
/// stands for `counts[r]` draws when counts are given.
fn accumulate(
    nsample: usize,
    npoint: usize,
    fill: &(impl Fn(usize, &mut [f64]) + Sync),
    counts: Option<&[usize]>,
) -> Acc {
    use rayon::prelude::*;
    let nchunk = nsample.div_ceil(WAIC_CHUNK);
    let chunks: Vec<Acc> = (0..nchunk)
        .into_par_iter()
        .map(|c| {
            let mut acc = Acc::new(npoint);
            let mut row = vec![0.0; npoint];
            for s in c * WAIC_CHUNK..((c + 1) * WAIC_CHUNK).min(nsample) {
                fill(s, &mut row);
                acc.push_n(&row, counts.map_or(1, |c| c[s]));
            }
            acc
        })
        .collect();
    let mut total = Acc::new(npoint);
    for c in &chunks {
        total.merge(c);
    }
    total
}

fn check_shape(nsample: usize, npoint: usize) -> Result<()> {
    if nsample < 2 {
        return Err(Error::new("WAIC needs at least two draws"));
    }
    if npoint == 0 {
        return Err(row_length_error());
    }
    Ok(())
}

fn row_length_error() -> Error {
    Error::new("WAIC: the pointwise log-likelihood rows must all have the same (non-zero) length")
}

fn nonfinite_error() -> Error {
    Error::new("WAIC: the pointwise log-likelihood has non-finite values")
}

/// The criterion from the accumulated sums of all the draws.
fn finish(acc: &Acc) -> Waic {
    let sf = acc.count as f64;
    let n = acc.bins.len();
    let mut elpd = Vec::with_capacity(n);
    let mut p_waic = 0.0;
    let mut warning = false;
    for b in &acc.bins {
        let lppd = b.max + b.sumexp.ln() - sf.ln();
        let v = b.m2 / sf;
        warning |= v > 0.4;
        p_waic += v;
        elpd.push(lppd - v);
    }
    from_elpd(elpd, p_waic, warning)
}

/// WAIC from the pointwise elpd_i, Σ v_i and the warning flag.
fn from_elpd(elpd: Vec<f64>, p_waic: f64, warning: bool) -> Waic {
    let n = elpd.len();
    let elpd_waic: f64 = elpd.iter().sum();
    let me = elpd_waic / n as f64;
    let var = elpd.iter().map(|e| (e - me).powi(2)).sum::<f64>() / n as f64;
    let se = (n as f64 * var).sqrt();
    Waic {
        elpd_waic,
        se,
        p_waic,
        deviance: -2.0 * elpd_waic,
        deviance_error: 2.0 * se,
        pointwise_deviance: elpd.iter().map(|e| -2.0 * e).collect(),
        warning,
    }
}

/// WAIC from ℓ_{s,i} (rows: draws s, columns: fit bins i): lppd_i = ln((1/S) Σ_s e^{ℓ_si}),
/// v_i = variance over s (divisor S), elpd_i = lppd_i − v_i. Computed by [`waic_streaming`].
pub fn waic(pointwise: ArrayView2<'_, f64>) -> Result<Waic> {
    let (s, n) = pointwise.dim();
    check_shape(s, n)?;
    waic_streaming(s, n, |d, row| {
        for (o, &v) in row.iter_mut().zip(pointwise.row(d)) {
            *o = v;
        }
    })
}

/// WAIC of `nsample` draws over `npoint` fit bins without holding the draws × bins matrix:
/// `fill(s, row)` writes draw s's pointwise log-likelihood into `row` (length `npoint`).
/// The draws are evaluated in parallel in chunks of [`WAIC_CHUNK`], each keeping per-bin
/// running sums (log-sum-exp for lppd, Welford mean and M2 for the variance) and one row
/// buffer; the chunks are merged in order, so the result is the same bit for bit whatever
/// the number of threads. Same definitions and errors as [`waic`].
pub fn waic_streaming(
    nsample: usize,
    npoint: usize,
    fill: impl Fn(usize, &mut [f64]) + Sync,
) -> Result<Waic> {
    check_shape(nsample, npoint)?;
    let acc = accumulate(nsample, npoint, &fill, None);
    if acc.nonfinite {
        return Err(nonfinite_error());
    }
    Ok(finish(&acc))
}

/// As [`waic_streaming`] over distinct rows: row r (filled by `fill(r, row)`) stands for
/// `counts[r]` identical draws, so a draw repeated by the sampler (an MCMC walker that stayed
/// put, an equal-weight resample) is evaluated once. With `nan_means_unavailable`, a NaN
/// anywhere gives `Ok(None)` (a user log-likelihood that returns a scalar) before any other
/// check; other non-finite values are still an error.
pub(crate) fn waic_streaming_counted(
    counts: &[usize],
    npoint: usize,
    fill: impl Fn(usize, &mut [f64]) + Sync,
    nan_means_unavailable: bool,
) -> Result<Option<Waic>> {
    let total: usize = counts.iter().sum();
    if !nan_means_unavailable {
        check_shape(total, npoint)?;
    }
    let acc = accumulate(counts.len(), npoint, &fill, Some(counts));
    if nan_means_unavailable && acc.nan {
        return Ok(None);
    }
    check_shape(total, npoint)?;
    if acc.nonfinite {
        return Err(nonfinite_error());
    }
    Ok(Some(finish(&acc)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{array, Array2};

    /// The direct two-pass evaluation over the whole matrix (the definitions, term by term).
    fn reference(pointwise: &Array2<f64>) -> Waic {
        let (s, n) = pointwise.dim();
        let pointwise: Vec<&[f64]> = pointwise
            .rows()
            .into_iter()
            .map(|r| r.to_slice().unwrap())
            .collect();
        let sf = s as f64;
        let mut elpd = Vec::with_capacity(n);
        let mut p_waic = 0.0;
        let mut warning = false;
        for i in 0..n {
            let mx = pointwise
                .iter()
                .map(|r| r[i])
                .fold(f64::NEG_INFINITY, f64::max);
            let lse = mx
                + pointwise
                    .iter()
                    .map(|r| (r[i] - mx).exp())
                    .sum::<f64>()
                    .ln();
            let m = pointwise.iter().map(|r| r[i]).sum::<f64>() / sf;
            let v = pointwise.iter().map(|r| (r[i] - m).powi(2)).sum::<f64>() / sf;
            warning |= v > 0.4;
            p_waic += v;
            elpd.push(lse - sf.ln() - v);
        }
        from_elpd(elpd, p_waic, warning)
    }

    /// A reproducible matrix: per bin an offset and a spread, per draw uniform noise.
    fn matrix(s: usize, n: usize, seed: u64) -> Array2<f64> {
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut uniform = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        let bins: Vec<(f64, f64)> = (0..n)
            .map(|_| (-40.0 * uniform(), 2.5 * uniform()))
            .collect();
        let flat: Vec<f64> = (0..s)
            .flat_map(|_| {
                bins.iter()
                    .map(|&(c, w)| c + w * (uniform() - 0.5))
                    .collect::<Vec<f64>>()
            })
            .collect();
        Array2::from_shape_vec((s, n), flat).unwrap()
    }

    fn copy_row(m: &Array2<f64>, d: usize, row: &mut [f64]) {
        row.copy_from_slice(m.row(d).to_slice().unwrap())
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() <= 1e-10 * a.abs().max(b.abs()).max(1e-12)
    }

    fn assert_waic_close(a: &Waic, b: &Waic, what: &str) {
        for (x, y, name) in [
            (a.elpd_waic, b.elpd_waic, "elpd"),
            (a.se, b.se, "se"),
            (a.p_waic, b.p_waic, "p_waic"),
            (a.deviance, b.deviance, "deviance"),
            (a.deviance_error, b.deviance_error, "deviance_error"),
        ] {
            assert!(close(x, y), "{what} {name}: {x} vs {y}");
        }
        assert_eq!(a.pointwise_deviance.len(), b.pointwise_deviance.len());
        for (x, y) in a.pointwise_deviance.iter().zip(&b.pointwise_deviance) {
            assert!(close(*x, *y), "{what} pointwise: {x} vs {y}");
        }
        assert_eq!(a.warning, b.warning, "{what} warning");
    }

    #[test]
    fn streaming_matches_the_two_pass_matrix_evaluation() {
        for (k, &(s, n)) in [
            (2, 1),
            (3, 7),
            (255, 4),
            (256, 9),
            (257, 9),
            (1000, 30),
            (1300, 3),
        ]
        .iter()
        .enumerate()
        {
            let m = matrix(s, n, k as u64 + 1);
            let want = reference(&m);
            let streamed = waic_streaming(s, n, |d, row| copy_row(&m, d, row)).unwrap();
            assert_waic_close(&streamed, &want, &format!("S={s} n={n}"));
            assert_eq!(
                waic(m.view()).unwrap(),
                streamed,
                "waic delegates to the streaming form"
            );
        }
    }

    #[test]
    fn streaming_is_bit_identical_for_any_number_of_threads() {
        let (s, n) = (2000, 25);
        let m = matrix(s, n, 99);
        let run = |threads: usize| {
            rayon::ThreadPoolBuilder::new()
                .num_threads(threads)
                .build()
                .unwrap()
                .install(|| waic_streaming(s, n, |d, row| copy_row(&m, d, row)).unwrap())
        };
        let (one, two) = (run(1), run(2));
        let bits = |w: &Waic| {
            let mut b = vec![
                w.elpd_waic.to_bits(),
                w.se.to_bits(),
                w.p_waic.to_bits(),
                w.deviance.to_bits(),
                w.deviance_error.to_bits(),
            ];
            b.extend(w.pointwise_deviance.iter().map(|v| v.to_bits()));
            b
        };
        assert_eq!(bits(&one), bits(&two));
        assert_eq!(one.warning, two.warning);
    }

    #[test]
    fn large_variance_sets_the_warning() {
        let m = array![[0.0, -5.0], [0.0, 0.0], [0.0, -2.0]];
        let w = waic(m.view()).unwrap();
        assert!(w.warning);
        assert_waic_close(&w, &reference(&m), "warning case");
        let quiet = array![[0.0, 0.1], [0.0, 0.0]];
        assert!(!waic(quiet.view()).unwrap().warning);
    }

    #[test]
    fn bad_shapes_and_non_finite_values_are_errors() {
        let msg = |r: Result<Waic>| r.unwrap_err().message().to_string();
        let two = "WAIC needs at least two draws";
        assert_eq!(msg(waic(Array2::zeros((0, 2)).view())), two);
        assert_eq!(msg(waic(Array2::zeros((1, 1)).view())), two);
        let ragged =
            "WAIC: the pointwise log-likelihood rows must all have the same (non-zero) length";
        assert_eq!(msg(waic(Array2::zeros((2, 0)).view())), ragged);
        let nonfinite = "WAIC: the pointwise log-likelihood has non-finite values";
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            assert_eq!(msg(waic(array![[0.0, bad], [0.0, 0.0]].view())), nonfinite);
        }
        assert_eq!(
            msg(waic_streaming(1, 3, |_, _| {})),
            "WAIC needs at least two draws"
        );
        assert_eq!(msg(waic_streaming(5, 0, |_, _| {})), ragged);
        // a bad value in the last chunk only
        let fill = |d: usize, row: &mut [f64]| {
            row.fill(-1.0);
            if d == 600 {
                row[1] = f64::NEG_INFINITY;
            }
        };
        assert_eq!(msg(waic_streaming(700, 2, fill)), nonfinite);
    }

    #[test]
    fn nan_means_no_waic_when_asked() {
        let nan_at = |at: usize| {
            move |d: usize, row: &mut [f64]| {
                row.fill(-1.0);
                if d == at {
                    row[0] = f64::NAN;
                }
            }
        };
        let ones = |n: usize| vec![1usize; n];
        assert_eq!(
            waic_streaming_counted(&ones(600), 2, nan_at(599), true),
            Ok(None)
        );
        // NaN is checked before the shape
        assert_eq!(
            waic_streaming_counted(&ones(1), 2, nan_at(0), true),
            Ok(None)
        );
        let inf = |_: usize, row: &mut [f64]| row.fill(f64::INFINITY);
        assert!(waic_streaming_counted(&ones(4), 2, inf, true).is_err());
        let ok = waic_streaming_counted(&ones(4), 2, nan_at(usize::MAX), true).unwrap();
        assert_eq!(ok, Some(waic_streaming(4, 2, nan_at(usize::MAX)).unwrap()));
    }

    #[test]
    fn repeated_draws_counted_once_give_the_same_waic() {
        // rows r with counts; expanded, row r appears counts[r] times
        let rows = Array2::from_shape_fn((700, 5), |(r, i)| {
            -(((r * 7 + i * 13) % 17) as f64) * 0.3 - 1.0
        });
        let counts: Vec<usize> = (0..700).map(|r| 1 + (r * 5) % 4).collect();
        let picks: Vec<usize> = counts
            .iter()
            .enumerate()
            .flat_map(|(r, &c)| std::iter::repeat_n(r, c))
            .collect();
        let expanded = rows.select(ndarray::Axis(0), &picks);
        let direct = waic(expanded.view()).unwrap();
        let counted = waic_streaming_counted(&counts, 5, |r, out| copy_row(&rows, r, out), false)
            .unwrap()
            .unwrap();
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-10 * (1.0 + a.abs());
        assert!(
            close(direct.elpd_waic, counted.elpd_waic),
            "{direct:?} {counted:?}"
        );
        assert!(close(direct.p_waic, counted.p_waic));
        assert!(close(direct.se, counted.se));
    }
}
