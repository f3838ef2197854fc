//! MINOS on analytic problems: exact ±√C_ii for a quadratic bowl, an asymmetric profile
//! whose crossings are known from a one-dimensional root, limits, and input errors.
#![allow(clippy::needless_range_loop)]

use bayspec::sample::minimize::{hesse, minos, HesseOptions, MinosOptions};
use nalgebra::{DMatrix, DVector};

const INF: f64 = f64::INFINITY;

#[test]
fn quadratic_bowl_minos_equals_sqrt_diag() {
    let c = DMatrix::from_row_slice(3, 3, &[1.0, 0.6, -0.3, 0.6, 2.0, 0.4, -0.3, 0.4, 0.5]);
    let cinv = c.clone().try_inverse().unwrap();
    let mu = DVector::from_column_slice(&[1.0, -2.0, 3.0]);
    let f = |x: &[f64]| {
        let d = DVector::from_column_slice(x) - &mu;
        (d.transpose() * &cinv * &d)[(0, 0)]
    };
    let bounds = [(-INF, INF), (-30.0, 30.0), (0.0, INF)];
    // a deliberately rough covariance for the starting guesses
    let rough = &c * 1.3;
    let r = minos(
        &f,
        &bounds,
        &[1.0, -2.0, 3.0],
        0.0,
        &rough,
        &MinosOptions::default(),
    )
    .unwrap();
    assert!(r.new_minimum.is_none());
    for e in &r.errors {
        let s = c[(e.index, e.index)].sqrt();
        assert!(e.lower.valid && e.upper.valid);
        assert!(
            (e.lower.error + s).abs() < 1e-4 * s,
            "lower[{}] {}",
            e.index,
            e.lower.error
        );
        assert!(
            (e.upper.error - s).abs() < 1e-4 * s,
            "upper[{}] {}",
            e.index,
            e.upper.error
        );
    }
    // Δ = 4 gives the 2σ interval
    let opts = MinosOptions {
        errordef: 4.0,
        params: Some(vec![1]),
        ..MinosOptions::default()
    };
    let r = minos(&f, &bounds, &[1.0, -2.0, 3.0], 0.0, &c, &opts).unwrap();
    assert_eq!(r.errors.len(), 1);
    let s = 2.0 * 2f64.sqrt();
    assert!((r.errors[0].upper.error - s).abs() < 1e-4 * s);
    assert!((r.errors[0].lower.error + s).abs() < 1e-4 * s);
}

/// Crossing of 2(a − n ln a) − 2(n − n ln n) = 1 on one side, by bisection.
fn poisson_crossing(n: f64, lo: f64, hi: f64) -> f64 {
    let g = |a: f64| 2.0 * (a - n * a.ln()) - 2.0 * (n - n * n.ln()) - 1.0;
    let (mut a, mut b) = (lo, hi);
    let ga = g(a);
    for _ in 0..200 {
        let m = 0.5 * (a + b);
        if (g(m) > 0.0) == (ga > 0.0) {
            a = m;
        } else {
            b = m;
        }
    }
    0.5 * (a + b)
}

#[test]
fn asymmetric_profile_matches_the_one_dimensional_roots() {
    // profile over b of 2(a − n ln a) + 4(b − a)² is exactly 2(a − n ln a) (b = a)
    let n = 5.0;
    let f = |p: &[f64]| 2.0 * (p[0] - n * p[0].ln()) + 4.0 * (p[1] - p[0]).powi(2);
    let bounds = [(0.01, 100.0), (-INF, INF)];
    let best = [5.0, 5.0];
    let fmin = f(&best);
    let h = hesse(&f, &bounds, &best, &HesseOptions::default()).unwrap();
    // the marginal HESSE variance of a is n (second derivative 2n/a² of the profile)
    assert!(
        (h.errors[0] - n.sqrt()).abs() < 0.01 * n.sqrt(),
        "hesse {}",
        h.errors[0]
    );
    let r = minos(
        &f,
        &bounds,
        &best,
        fmin,
        &h.covariance,
        &MinosOptions::default(),
    )
    .unwrap();
    let lo = poisson_crossing(n, 0.5, 5.0) - 5.0;
    let hi = poisson_crossing(n, 5.0, 20.0) - 5.0;
    assert!(
        hi > -lo * 1.15,
        "the test profile must be clearly asymmetric: {lo} {hi}"
    );
    let e = &r.errors[0];
    assert!(
        (e.lower.error - lo).abs() < 1e-3 * lo.abs(),
        "{} vs {lo}",
        e.lower.error
    );
    assert!(
        (e.upper.error - hi).abs() < 1e-3 * hi,
        "{} vs {hi}",
        e.upper.error
    );
}

#[test]
fn crossing_beyond_a_limit_is_reported_at_limit() {
    // best fit on the upper limit x = 1 (the unbounded minimum is at 2)
    let f = |p: &[f64]| 4.0 * (p[0] - 2.0).powi(2) + (p[1] - 1.0).powi(2);
    let bounds = [(-1.0, 1.0), (-INF, INF)];
    let best = [1.0, 1.0];
    let cov = DMatrix::from_row_slice(2, 2, &[0.01, 0.0, 0.0, 1.0]);
    let r = minos(&f, &bounds, &best, f(&best), &cov, &MinosOptions::default()).unwrap();
    let e = &r.errors[0];
    assert!(e.upper.at_limit && e.upper.error == 0.0);
    // lower: 4(x − 2)² = 5 → x = 2 − √1.25
    let want = 2.0 - 1.25f64.sqrt() - 1.0;
    assert!(
        !e.lower.at_limit && (e.lower.error - want).abs() < 1e-4,
        "{}",
        e.lower.error
    );
    // a limit closer than the crossing: x ∈ [0.95, 1]
    let bounds = [(0.95, 1.0), (-INF, INF)];
    let r = minos(&f, &bounds, &best, f(&best), &cov, &MinosOptions::default()).unwrap();
    let e = &r.errors[0];
    assert!(
        e.lower.at_limit && (e.lower.error + 0.05).abs() < 1e-12,
        "{:?}",
        e.lower
    );
    assert!(e.messages.iter().any(|m| m.contains("limit")));
}

#[test]
fn a_lower_point_found_while_profiling_is_reported() {
    // claim a "minimum" that is not one: MINOS meets lower values and says so
    let f = |p: &[f64]| (p[0] - 1.0).powi(2) + (p[1] - p[0]).powi(2);
    let cov = DMatrix::identity(2, 2);
    let r = minos(
        &f,
        &[(-INF, INF); 2],
        &[0.0, 0.0],
        f(&[0.0, 0.0]),
        &cov,
        &MinosOptions::default(),
    )
    .unwrap();
    let (p, v) = r.new_minimum.expect("a lower point must be reported");
    assert!(v < f(&[0.0, 0.0]) - 0.1 && p.len() == 2);
}

#[test]
fn minos_input_errors() {
    let f = |p: &[f64]| p[0] * p[0];
    let cov = DMatrix::identity(1, 1);
    let d = MinosOptions::default();
    assert!(minos(
        &f,
        &[(-1.0, 1.0)],
        &[0.0],
        0.0,
        &DMatrix::identity(2, 2),
        &d
    )
    .is_err());
    assert!(minos(&f, &[(-1.0, 1.0)], &[2.0], 0.0, &cov, &d).is_err());
    assert!(minos(&f, &[(-1.0, 1.0)], &[0.0], f64::NAN, &cov, &d).is_err());
    let opts = MinosOptions {
        params: Some(vec![3]),
        ..MinosOptions::default()
    };
    assert!(minos(&f, &[(-1.0, 1.0)], &[0.0], 0.0, &cov, &opts)
        .unwrap_err()
        .message()
        .contains("index 3"));
    // one-parameter case: no profiling needed, ±1 for x²
    let r = minos(&f, &[(-5.0, 5.0)], &[0.0], 0.0, &cov, &d).unwrap();
    assert!(
        (r.errors[0].lower.error + 1.0).abs() < 1e-4
            && (r.errors[0].upper.error - 1.0).abs() < 1e-4
    );
}
