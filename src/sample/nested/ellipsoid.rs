//! Ellipsoids in the unit cube: fitting to a point set, enlargement, membership and uniform
//! sampling.
//!
//! An ellipsoid is E = {x : (x − c)ᵀ A⁻¹ (x − c) ≤ 1} with centre c and shape matrix A
//! (symmetric positive definite). Everything derived from A (Cholesky factor, inverse, volume)
//! is computed by [`Ellipsoid::from_shape`], so an ellipsoid rebuilt from saved (c, A) is
//! bit-identical to the original.

use crate::error::{Error, Result};
use nalgebra::DMatrix;
use rand::RngExt;
use rand_distr::StandardNormal;

/// Natural log of the volume of the unit ball in `d` dimensions.
pub fn ln_unit_ball_volume(d: usize) -> f64 {
    let h = d as f64 / 2.0;
    h * std::f64::consts::PI.ln() - statrs::function::gamma::ln_gamma(h + 1.0)
}

/// An ellipsoid with its precomputed factors (row-major flat matrices).
#[derive(Debug, Clone)]
pub struct Ellipsoid {
    /// Dimension.
    pub dim: usize,
    /// Centre c.
    pub center: Vec<f64>,
    /// Shape matrix A (row-major, D×D).
    pub shape: Vec<f64>,
    /// Lower Cholesky factor L of A (A = L Lᵀ), row-major.
    chol: Vec<f64>,
    /// A⁻¹, row-major.
    inv: Vec<f64>,
    /// √A_ii: half-widths of the axis-aligned bounding box.
    half_width: Vec<f64>,
    /// ln of the volume.
    pub ln_volume: f64,
}

impl Ellipsoid {
    /// Build from centre and shape matrix; fails if A is not positive definite.
    pub fn from_shape(center: Vec<f64>, shape: Vec<f64>) -> Result<Self> {
        let d = center.len();
        if shape.len() != d * d || d == 0 {
            return Err(Error::new(
                "ellipsoid: shape matrix does not match the centre",
            ));
        }
        let a = DMatrix::from_row_slice(d, d, &shape);
        let chol = nalgebra::Cholesky::new(a)
            .ok_or_else(|| Error::new("ellipsoid: shape matrix is not positive definite"))?;
        let l = chol.l();
        let inv = chol.inverse();
        let mut ln_det_l = 0.0;
        for i in 0..d {
            ln_det_l += l[(i, i)].ln();
        }
        let mut chol_flat = vec![0.0; d * d];
        let mut inv_flat = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                chol_flat[i * d + j] = l[(i, j)];
                inv_flat[i * d + j] = inv[(i, j)];
            }
        }
        let half_width = (0..d).map(|i| shape[i * d + i].max(0.0).sqrt()).collect();
        let ln_volume = ln_unit_ball_volume(d) + ln_det_l;
        if !ln_volume.is_finite() || inv_flat.iter().any(|v| !v.is_finite()) {
            return Err(Error::new("ellipsoid: degenerate shape matrix"));
        }
        Ok(Ellipsoid {
            dim: d,
            center,
            shape,
            chol: chol_flat,
            inv: inv_flat,
            half_width,
            ln_volume,
        })
    }

    /// The bounding ellipsoid of the points `idx` of the flat point array `points` (row length
    /// `d`): mean μ, covariance C (regularised if singular), A = k·C with k the largest
    /// (u − μ)ᵀC⁻¹(u − μ) over the points.
    pub fn bounding(points: &[f64], idx: &[usize], d: usize) -> Result<Self> {
        let ell = Self::covariance(points, idx, d)?;
        let k = max_mahalanobis2(&ell, points, idx);
        ell.scaled_shape(k)
    }

    /// [`bounding`](Self::bounding), enlarged so that it would also have held points it was
    /// not fitted to: the points are split into `folds` groups (by position in `idx`, runs of
    /// `group` consecutive points staying together), the bounding ellipsoid of all but one
    /// group is fitted and the largest (u − μ)ᵀA⁻¹(u − μ) of the left-out group measured; A is
    /// multiplied by the largest such ratio (never shrunk), but the volume by at most
    /// e^`ln_max_growth` (a lone point far from the others, a mode about to be lost, would
    /// otherwise blow the ellipsoid up to the whole cube).
    ///
    /// The bounding ellipsoid of n points drawn uniformly from a region misses part of it:
    /// its shape is estimated (noisily, in D(D + 3)/2 numbers) from the same points that set
    /// its size. A new point falls outside it with probability of order D/n; in ten dimensions
    /// this leaves a few per cent of the likelihood contour out of every bound, which makes the
    /// prior mass shrink faster than e^{−1/N} per iteration and ln Z come out high. The
    /// cross-validated enlargement (a bootstrap without random numbers) measures that miss on the points at hand, so it is large for few points in
    /// many dimensions, for non-ellipsoidal regions (a contour cut by the cube's faces) and for
    /// small clusters, and close to 1 for many points in few dimensions.
    pub fn bounding_cross_validated(
        points: &[f64],
        idx: &[usize],
        d: usize,
        folds: usize,
        group: usize,
        ln_max_growth: f64,
    ) -> Result<Self> {
        let n = idx.len();
        if n == 0 {
            return Err(Error::new("ellipsoid: no points"));
        }
        let (mean, scatter) = mean_and_scatter_of(points, idx, d);
        let ell = Self::from_scatter(mean.clone(), &scatter, n)?;
        let k = max_mahalanobis2(&ell, points, idx);
        let group = group.max(1);
        // leave one group out when there are fewer groups than folds
        let folds = folds.min(n / group);
        let mut factor = 1.0_f64;
        if folds >= 2 {
            let fold_of = |pos: usize| (pos / group) % folds;
            let mut test = Vec::with_capacity(n / folds + group);
            for f in 0..folds {
                test.clear();
                test.extend(
                    idx.iter()
                        .enumerate()
                        .filter(|&(pos, _)| fold_of(pos) == f)
                        .map(|(_, &i)| i),
                );
                // the training points' scatter from the whole set's and the left-out ones':
                // S = S_train + S_test + (n_train n_test / n) δδᵀ, δ the difference of the means
                let (nb, na) = (test.len() as f64, (n - test.len()) as f64);
                let (mean_b, scatter_b) = mean_and_scatter_of(points, &test, d);
                let mean_a: Vec<f64> = (0..d)
                    .map(|i| (n as f64 * mean[i] - nb * mean_b[i]) / na)
                    .collect();
                let w = na * nb / n as f64;
                let mut scatter_a = vec![0.0; d * d];
                for r in 0..d {
                    for c in 0..=r {
                        let delta = (mean_a[r] - mean_b[r]) * (mean_a[c] - mean_b[c]);
                        scatter_a[r * d + c] =
                            scatter[r * d + c] - scatter_b[r * d + c] - w * delta;
                    }
                }
                let fit = Self::from_scatter(mean_a, &scatter_a, n - test.len())?;
                // one pass: the largest value over the training points and over the left-out
                let (mut kf, mut out) = (0.0_f64, 0.0_f64);
                for (pos, &i) in idx.iter().enumerate() {
                    let q = fit.mahalanobis2(&points[i * d..(i + 1) * d]);
                    if fold_of(pos) == f {
                        out = out.max(q);
                    } else {
                        kf = kf.max(q);
                    }
                }
                let r = out / kf;
                if r.is_finite() {
                    factor = factor.max(r);
                }
            }
        }
        // A⁻¹ scaled by 1/factor multiplies the volume by factor^{D/2}
        factor = factor.min((2.0 * ln_max_growth / d as f64).exp());
        ell.scaled_shape(k * factor)
    }

    /// The ellipsoid A = C of the points' mean and covariance (C regularised with a tiny
    /// multiple of its trace if singular).
    fn covariance(points: &[f64], idx: &[usize], d: usize) -> Result<Self> {
        let n = idx.len();
        if n == 0 {
            return Err(Error::new("ellipsoid: no points"));
        }
        let (mean, scatter) = mean_and_scatter_of(points, idx, d);
        Self::from_scatter(mean, &scatter, n)
    }

    /// The ellipsoid A = C, C = scatter / (n − 1) (the scatter's lower triangle is read),
    /// regularised with a tiny multiple of its trace if singular.
    fn from_scatter(mean: Vec<f64>, scatter: &[f64], n: usize) -> Result<Self> {
        let d = mean.len();
        let mut cov = vec![0.0; d * d];
        let denom = if n > 1 { (n - 1) as f64 } else { 1.0 };
        for r in 0..d {
            for c in 0..=r {
                cov[r * d + c] = scatter[r * d + c] / denom;
                cov[c * d + r] = cov[r * d + c];
            }
        }
        // Regularise a singular covariance with a tiny multiple of its trace.
        let trace: f64 = (0..d).map(|i| cov[i * d + i]).sum::<f64>().max(1e-300);
        let mut eps = 0.0;
        for _ in 0..30 {
            let mut c = cov.clone();
            for i in 0..d {
                c[i * d + i] += eps;
            }
            if let Ok(e) = Ellipsoid::from_shape(mean.clone(), c) {
                return Ok(e);
            }
            eps = if eps == 0.0 {
                1e-12 * trace / d as f64
            } else {
                eps * 10.0
            };
        }
        Err(Error::new("ellipsoid: cannot regularise covariance"))
    }

    /// The same ellipsoid with A multiplied by `factor` (volume × factor^{D/2}). A is
    /// factorised again rather than its factors scaled, so that an ellipsoid rebuilt from its
    /// centre and shape (as a resumed run does) has exactly the same bits.
    pub fn scaled_shape(&self, factor: f64) -> Result<Self> {
        if !(factor.is_finite() && factor > 0.0) {
            return Err(Error::new(format!(
                "ellipsoid: scale factor {factor} must be finite and > 0"
            )));
        }
        let shape = self.shape.iter().map(|v| v * factor).collect();
        Ellipsoid::from_shape(self.center.clone(), shape)
    }

    /// The same ellipsoid with its volume multiplied by e^{ln_factor}.
    pub fn scaled_volume(&self, ln_factor: f64) -> Result<Self> {
        self.scaled_shape((2.0 * ln_factor / self.dim as f64).exp())
    }

    /// Enlarged (never shrunk) to at least volume e^{ln_min}.
    pub fn at_least(self, ln_min: f64) -> Result<Self> {
        if self.ln_volume < ln_min {
            self.scaled_volume(ln_min - self.ln_volume)
        } else {
            Ok(self)
        }
    }

    /// Half-widths √A_ii of the axis-aligned bounding box.
    pub fn half_widths(&self) -> &[f64] {
        &self.half_width
    }

    /// A⁻¹, row-major D×D (its lower triangle is what [`mahalanobis2`](Self::mahalanobis2)
    /// reads).
    pub fn inverse_shape(&self) -> &[f64] {
        &self.inv
    }

    /// (x − c)ᵀ A⁻¹ (x − c).
    pub fn mahalanobis2(&self, x: &[f64]) -> f64 {
        match self.dim {
            1 => self.mahalanobis2_d::<1>(x),
            2 => self.mahalanobis2_d::<2>(x),
            3 => self.mahalanobis2_d::<3>(x),
            4 => self.mahalanobis2_d::<4>(x),
            5 => self.mahalanobis2_d::<5>(x),
            6 => self.mahalanobis2_d::<6>(x),
            _ => {
                let d = self.dim;
                let mut q = 0.0;
                for r in 0..d {
                    let dr = x[r] - self.center[r];
                    let row = &self.inv[r * d..(r + 1) * d];
                    let mut s = 0.0;
                    for c in 0..r {
                        s += row[c] * (x[c] - self.center[c]);
                    }
                    q += dr * (2.0 * s + row[r] * dr);
                }
                q
            }
        }
    }

    /// [`mahalanobis2`](Self::mahalanobis2) for a dimension known at compile time (the same
    /// operations in the same order, unrolled).
    #[inline(always)]
    fn mahalanobis2_d<const D: usize>(&self, x: &[f64]) -> f64 {
        let (x, c, inv) = (&x[..D], &self.center[..D], &self.inv[..D * D]);
        let mut dx = [0.0; D];
        for i in 0..D {
            dx[i] = x[i] - c[i];
        }
        let mut q = 0.0;
        for r in 0..D {
            let mut s = 0.0;
            for col in 0..r {
                s += inv[r * D + col] * dx[col];
            }
            q += dx[r] * (2.0 * s + inv[r * D + r] * dx[r]);
        }
        q
    }

    /// Whether x lies in the (closed) ellipsoid, with a relative tolerance of 1e-10.
    pub fn contains(&self, x: &[f64]) -> bool {
        for ((xi, ci), hw) in x.iter().zip(&self.center).zip(&self.half_width) {
            if (xi - ci).abs() > hw * (1.0 + 1e-10) {
                return false;
            }
        }
        self.mahalanobis2(x) <= 1.0 + 1e-10
    }

    /// Draw a point uniformly inside the ellipsoid into `out`.
    pub fn sample(&self, rng: &mut impl rand::Rng, out: &mut [f64]) {
        let d = self.dim;
        let mut y = [0.0_f64; 64];
        let mut yv;
        let y: &mut [f64] = if d <= 64 {
            &mut y[..d]
        } else {
            yv = vec![0.0; d];
            &mut yv
        };
        let mut norm2 = 0.0;
        while norm2 == 0.0 {
            norm2 = 0.0;
            for v in y.iter_mut() {
                *v = rng.sample(StandardNormal);
                norm2 += *v * *v;
            }
        }
        let u: f64 = rng.random();
        let radius = u.powf(1.0 / d as f64) / norm2.sqrt();
        for v in y.iter_mut() {
            *v *= radius;
        }
        for (r, (o, c0)) in out.iter_mut().zip(&self.center).enumerate() {
            let row = &self.chol[r * d..=r * d + r];
            *o = c0 + row.iter().zip(y.iter()).map(|(l, yv)| l * yv).sum::<f64>();
        }
    }
}

/// The largest (u − c)ᵀA⁻¹(u − c) over the points `idx` (1 when that is 0 or not finite); a
/// maximum, the same whatever the order, so large sets are scanned in parallel.
fn max_mahalanobis2(ell: &Ellipsoid, points: &[f64], idx: &[usize]) -> f64 {
    let d = ell.dim;
    let q = |i: usize| ell.mahalanobis2(&points[i * d..(i + 1) * d]);
    let kmax = if idx.len() >= 2048 {
        use rayon::prelude::*;
        idx.par_iter()
            .with_min_len(512)
            .map(|&i| q(i))
            .reduce(|| 0.0_f64, f64::max)
    } else {
        idx.iter().map(|&i| q(i)).fold(0.0_f64, f64::max)
    };
    if kmax > 0.0 && kmax.is_finite() {
        kmax
    } else {
        1.0
    }
}

/// Mean and scatter matrix (lower triangle) of the points `idx`, for any dimension (unrolled
/// for D ≤ 6).
fn mean_and_scatter_of(points: &[f64], idx: &[usize], d: usize) -> (Vec<f64>, Vec<f64>) {
    match d {
        1 => mean_and_scatter::<1>(points, idx),
        2 => mean_and_scatter::<2>(points, idx),
        3 => mean_and_scatter::<3>(points, idx),
        4 => mean_and_scatter::<4>(points, idx),
        5 => mean_and_scatter::<5>(points, idx),
        6 => mean_and_scatter::<6>(points, idx),
        _ => mean_and_scatter_any(points, idx, d),
    }
}

/// Mean and scatter matrix Σ(x − μ)(x − μ)ᵀ (lower triangle, row-major) of the points `idx`,
/// for a dimension known at compile time (the operations of [`mean_and_scatter_any`], in the
/// same order).
fn mean_and_scatter<const D: usize>(points: &[f64], idx: &[usize]) -> (Vec<f64>, Vec<f64>) {
    let n = idx.len();
    let mut mean = [0.0; D];
    for &i in idx {
        let x = &points[i * D..(i + 1) * D];
        for k in 0..D {
            mean[k] += x[k];
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    let mut cov = [[0.0; D]; D];
    for &i in idx {
        let x = &points[i * D..(i + 1) * D];
        let mut diff = [0.0; D];
        for k in 0..D {
            diff[k] = x[k] - mean[k];
        }
        for r in 0..D {
            for c in 0..=r {
                cov[r][c] += diff[r] * diff[c];
            }
        }
    }
    (mean.to_vec(), cov.iter().flatten().copied().collect())
}

/// [`mean_and_scatter`] for any dimension.
fn mean_and_scatter_any(points: &[f64], idx: &[usize], d: usize) -> (Vec<f64>, Vec<f64>) {
    let n = idx.len();
    let mut mean = vec![0.0; d];
    for &i in idx {
        for (m, x) in mean.iter_mut().zip(&points[i * d..(i + 1) * d]) {
            *m += x;
        }
    }
    for m in &mut mean {
        *m /= n as f64;
    }
    let mut cov = vec![0.0; d * d];
    let mut diff = vec![0.0; d];
    for &i in idx {
        for k in 0..d {
            diff[k] = points[i * d + k] - mean[k];
        }
        for r in 0..d {
            for c in 0..=r {
                cov[r * d + c] += diff[r] * diff[c];
            }
        }
    }
    (mean, cov)
}

#[cfg(test)]
mod tests {
    #[test]
    fn cholesky_inverse_and_scaling_are_consistent() {
        let d = 4;
        // a random-ish symmetric positive definite matrix: B Bᵀ + I/10
        let b: Vec<f64> = (0..d * d)
            .map(|k| ((k * 7 + 3) % 11) as f64 / 11.0 - 0.4)
            .collect();
        let mut a = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                a[i * d + j] = (0..d).map(|k| b[i * d + k] * b[j * d + k]).sum::<f64>()
                    + if i == j { 0.1 } else { 0.0 };
            }
        }
        let e = Ellipsoid::from_shape(vec![0.5; d], a.clone()).unwrap();
        // L Lᵀ = A and A A⁻¹ = I
        for i in 0..d {
            for j in 0..d {
                let llt: f64 = (0..d).map(|k| e.chol[i * d + k] * e.chol[j * d + k]).sum();
                assert!((llt - a[i * d + j]).abs() < 1e-13);
                let ai: f64 = (0..d).map(|k| a[i * d + k] * e.inv[k * d + j]).sum();
                assert!((ai - if i == j { 1.0 } else { 0.0 }).abs() < 1e-11, "{ai}");
            }
        }
        // scaling the factors equals factorising the scaled matrix
        let s = e.scaled_shape(2.7).unwrap();
        let f = Ellipsoid::from_shape(vec![0.5; d], a.iter().map(|v| v * 2.7).collect()).unwrap();
        for (x, y) in s.chol.iter().zip(&f.chol).chain(s.inv.iter().zip(&f.inv)) {
            assert!((x - y).abs() < 1e-12 * (1.0 + y.abs()));
        }
        assert!((s.ln_volume - f.ln_volume).abs() < 1e-12);
        assert!(e.scaled_shape(0.0).is_err() && e.scaled_shape(f64::NAN).is_err());
        assert!(Ellipsoid::from_shape(vec![0.0; 2], vec![1.0, 2.0, 2.0, 1.0]).is_err());
    }

    use super::*;
    use rand::SeedableRng;

    #[test]
    fn cross_validated_bounding_ellipsoid_is_larger_and_capped() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(8);
        for (d, n) in [(2usize, 20usize), (5, 60), (10, 400)] {
            let pts: Vec<f64> = (0..n * d).map(|_| rng.random::<f64>()).collect();
            let idx: Vec<usize> = (0..n).collect();
            let plain = Ellipsoid::bounding(&pts, &idx, d).unwrap();
            let cv = Ellipsoid::bounding_cross_validated(&pts, &idx, d, 5, 1, 10f64.ln()).unwrap();
            assert_eq!(cv.center, plain.center);
            assert!(cv.ln_volume > plain.ln_volume, "d = {d}");
            assert!(
                cv.ln_volume <= plain.ln_volume + 10f64.ln() + 1e-9,
                "d = {d}"
            );
            for i in 0..n {
                assert!(cv.contains(&pts[i * d..(i + 1) * d]));
            }
        }
        // a lone far point: the growth stops at the cap
        let mut pts: Vec<f64> = (0..40).map(|_| 0.5 + 0.01 * rng.random::<f64>()).collect();
        pts.extend([0.9, 0.9]);
        let idx: Vec<usize> = (0..21).collect();
        let plain = Ellipsoid::bounding(&pts, &idx, 2).unwrap();
        let cv = Ellipsoid::bounding_cross_validated(&pts, &idx, 2, 5, 1, 10f64.ln()).unwrap();
        assert!((cv.ln_volume - plain.ln_volume - 10f64.ln()).abs() < 1e-9);
    }

    #[test]
    fn unit_ball_volumes() {
        assert!((ln_unit_ball_volume(2).exp() - std::f64::consts::PI).abs() < 1e-12);
        assert!((ln_unit_ball_volume(3).exp() - 4.0 / 3.0 * std::f64::consts::PI).abs() < 1e-12);
    }

    #[test]
    fn bounding_ellipsoid_contains_points_and_samples_inside() {
        let d = 3;
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        let pts: Vec<f64> = (0..60 * d).map(|_| rng.random::<f64>()).collect();
        let idx: Vec<usize> = (0..60).collect();
        let e = Ellipsoid::bounding(&pts, &idx, d).unwrap();
        for i in 0..60 {
            assert!(e.contains(&pts[i * d..(i + 1) * d]));
        }
        let mut x = vec![0.0; d];
        let mut inside_half = 0;
        for _ in 0..4000 {
            e.sample(&mut rng, &mut x);
            let q = e.mahalanobis2(&x);
            assert!(q <= 1.0 + 1e-12);
            if q <= 0.5_f64.powf(2.0 / 3.0) {
                inside_half += 1;
            }
        }
        // uniform: the ellipsoid scaled to half volume holds half of the draws
        assert!((inside_half as f64 / 4000.0 - 0.5).abs() < 0.03);
        let big = e.scaled_volume(2.0_f64.ln()).unwrap();
        assert!((big.ln_volume - e.ln_volume - 2.0_f64.ln()).abs() < 1e-12);
    }
}
