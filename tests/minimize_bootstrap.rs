//! The covariance-driven bootstrap sample (inference.md 5.3.3).
#![allow(clippy::needless_range_loop)]

use bayspec::sample::minimize::{bootstrap_sample, BootstrapOptions};
use nalgebra::DMatrix;

const INF: f64 = f64::INFINITY;

fn sample_cov(rows: &ndarray::Array2<f64>) -> (Vec<f64>, DMatrix<f64>) {
    let n = rows.ncols();
    let m = rows.nrows() as f64;
    let mean: Vec<f64> = (0..n).map(|j| rows.column(j).sum() / m).collect();
    let cov = DMatrix::from_fn(n, n, |i, j| {
        rows.rows()
            .into_iter()
            .map(|r| (r[i] - mean[i]) * (r[j] - mean[j]))
            .sum::<f64>()
            / (m - 1.0)
    });
    (mean, cov)
}

#[test]
fn first_row_is_the_best_fit_and_draws_follow_the_covariance() {
    let best = [1.0, -2.0];
    let c = DMatrix::from_row_slice(2, 2, &[0.04, -0.03, -0.03, 0.09]);
    let bounds = [(-INF, INF), (-10.0, 10.0)];
    let opts = BootstrapOptions {
        nsample: 20_000,
        seed: 3,
    };
    let s = bootstrap_sample(&best, Some(&c), &[0.2, 0.3], &bounds, &opts).unwrap();
    assert_eq!(s.rows.nrows(), 20_000);
    assert_eq!(s.rows.row(0).to_vec(), best.to_vec());
    assert!(s.warnings.is_empty());
    let (mean, cov) = sample_cov(&s.rows);
    for i in 0..2 {
        assert!((mean[i] - best[i]).abs() < 4.0 * (c[(i, i)] / 20_000.0).sqrt());
        for j in 0..2 {
            let scale = (c[(i, i)] * c[(j, j)]).sqrt();
            assert!(
                (cov[(i, j)] - c[(i, j)]).abs() < 0.05 * scale,
                "cov[{i}][{j}] {}",
                cov[(i, j)]
            );
        }
    }
}

#[test]
fn defaults_are_the_reference_ones_and_reproducible() {
    let d = BootstrapOptions::default();
    assert_eq!((d.nsample, d.seed), (1000, 450_001));
    let c = DMatrix::from_row_slice(1, 1, &[1.0]);
    let a = bootstrap_sample(&[0.0], Some(&c), &[1.0], &[(-5.0, 5.0)], &d).unwrap();
    let b = bootstrap_sample(&[0.0], Some(&c), &[1.0], &[(-5.0, 5.0)], &d).unwrap();
    assert_eq!(a.rows, b.rows);
    let other = BootstrapOptions { seed: 1, ..d };
    let o = bootstrap_sample(&[0.0], Some(&c), &[1.0], &[(-5.0, 5.0)], &other).unwrap();
    assert_eq!(o.rows.row(0), a.rows.row(0));
    assert_ne!(
        o.rows.slice(ndarray::s![1.., ..]),
        a.rows.slice(ndarray::s![1.., ..])
    );
}

#[test]
fn draws_are_truncated_to_the_ranges() {
    // best fit on the lower end of [0, 10]: about half of the draws are rejected
    let c = DMatrix::from_row_slice(2, 2, &[1.0, 0.0, 0.0, 1.0]);
    let bounds = [(0.0, 10.0), (-1.0, 1.0)];
    let s = bootstrap_sample(
        &[0.0, 0.0],
        Some(&c),
        &[1.0, 1.0],
        &bounds,
        &BootstrapOptions::default(),
    )
    .unwrap();
    assert_eq!(s.rows.nrows(), 1000);
    for r in s.rows.rows() {
        assert!(
            (0.0..=10.0).contains(&r[0]) && (-1.0..=1.0).contains(&r[1]),
            "{r:?}"
        );
    }
    // a truncated half-normal has mean √(2/π)
    let mean0 = s.rows.column(0).sum() / 1000.0;
    assert!(
        (mean0 - (2.0 / std::f64::consts::PI).sqrt()).abs() < 0.08,
        "{mean0}"
    );
}

#[test]
fn too_narrow_ranges_give_a_short_sample_and_a_warning() {
    let c = DMatrix::from_row_slice(1, 1, &[1.0]);
    let s = bootstrap_sample(
        &[0.0],
        Some(&c),
        &[1.0],
        &[(0.0, 1e-6)],
        &BootstrapOptions::default(),
    )
    .unwrap();
    assert!(s.rows.nrows() < 1000 && s.rows.nrows() > 0);
    assert!(s.warnings.iter().any(|w| w.contains("only")));
}

#[test]
fn unusable_covariance_falls_back_to_the_errors() {
    let bounds = [(-INF, INF), (-INF, INF)];
    let opts = BootstrapOptions {
        nsample: 20_000,
        seed: 9,
    };
    let nan = DMatrix::from_row_slice(2, 2, &[f64::NAN, 0.0, 0.0, 1.0]);
    let wrong = DMatrix::identity(3, 3);
    for cov in [None, Some(&nan), Some(&wrong)] {
        let s = bootstrap_sample(&[0.0, 5.0], cov, &[2.0, f64::NAN], &bounds, &opts).unwrap();
        assert!(!s.warnings.is_empty());
        let (_, c) = sample_cov(&s.rows);
        assert!((c[(0, 0)] - 4.0).abs() < 0.2, "{}", c[(0, 0)]);
        // non-finite error → zero variance, lifted only to the ε·max λ eigenvalue floor
        assert!(s.rows.column(1).iter().all(|v| (v - 5.0).abs() < 1e-6));
    }
}

#[test]
fn indefinite_covariance_is_clipped_not_nan() {
    let c = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 1.0]); // eigenvalues 3 and −1
    let s = bootstrap_sample(
        &[0.0, 0.0],
        Some(&c),
        &[1.0, 1.0],
        &[(-INF, INF); 2],
        &BootstrapOptions::default(),
    )
    .unwrap();
    assert_eq!(s.rows.nrows(), 1000);
    assert!(s.rows.iter().all(|v| v.is_finite()));
}

#[test]
fn bootstrap_input_errors() {
    let c = DMatrix::identity(1, 1);
    let d = BootstrapOptions::default();
    assert!(bootstrap_sample(&[5.0], Some(&c), &[1.0], &[(0.0, 1.0)], &d).is_err());
    assert!(bootstrap_sample(
        &[0.5],
        Some(&c),
        &[1.0],
        &[(0.0, 1.0)],
        &BootstrapOptions {
            nsample: 0,
            seed: 1
        }
    )
    .is_err());
    assert!(bootstrap_sample(&[0.5], None, &[1.0, 2.0], &[(0.0, 1.0)], &d).is_err());
}
