//! Levenberg–Marquardt against scipy `least_squares(method="lm")` (MINPACK) and on analytic
//! problems.
//!
//! Reference numbers: `tests/minimize_reference.py` (scipy 1.17.1, start (1, 1, 0), default
//! tolerances; covariance = inv(JᵀJ) from the returned Jacobian; chi2 = 2·cost).
#![allow(clippy::needless_range_loop)]

mod minimize_problems;

use bayspec::sample::minimize::{levenberg_marquardt, LmOptions};
use minimize_problems::{decay_residuals, DECAY_Y};
use nalgebra::DMatrix;

const INF: f64 = f64::INFINITY;

const SCIPY_X: [f64; 3] = [1.970833801931722, 2.577031468597024, 0.2968535529760684];
const SCIPY_CHI2: f64 = 52.476339385893574;
const SCIPY_COV: [[f64; 3]; 3] = [
    [
        0.0007303432117900573,
        -0.0003807104518965399,
        -0.00012187278542169645,
    ],
    [
        -0.0003807104518965407,
        0.008517874806398493,
        -0.0013856306156580583,
    ],
    [
        -0.00012187278542169647,
        -0.0013856306156580585,
        0.000322766209402696,
    ],
];

fn check_against_scipy(bounds: &[(f64, f64)]) {
    let r = levenberg_marquardt(
        &decay_residuals,
        50,
        bounds,
        &[1.0, 1.0, 0.0],
        &LmOptions::default(),
    )
    .unwrap();
    assert!(r.converged, "{}", r.message);
    for i in 0..3 {
        assert!(
            (r.x[i] - SCIPY_X[i]).abs() < 1e-5,
            "x[{i}] {} vs {}",
            r.x[i],
            SCIPY_X[i]
        );
    }
    assert!(
        (r.chi2 - SCIPY_CHI2).abs() < 1e-8 * SCIPY_CHI2,
        "chi2 {}",
        r.chi2
    );
    let direct: f64 = r.residuals.iter().map(|v| v * v).sum();
    assert!((direct - r.chi2).abs() < 1e-12 * r.chi2);
    for i in 0..3 {
        for j in 0..3 {
            let scale = (SCIPY_COV[i][i] * SCIPY_COV[j][j]).sqrt();
            let d = (r.covariance[(i, j)] - SCIPY_COV[i][j]).abs() / scale;
            assert!(
                d < 1e-5,
                "cov[{i}][{j}] {} vs {}",
                r.covariance[(i, j)],
                SCIPY_COV[i][j]
            );
        }
        assert!((r.errors[i] - SCIPY_COV[i][i].sqrt()).abs() < 1e-5 * SCIPY_COV[i][i].sqrt());
    }
}

#[test]
fn decay_fit_matches_scipy_unbounded() {
    check_against_scipy(&[(-INF, INF); 3]);
}

#[test]
fn decay_fit_matches_scipy_with_inactive_limits() {
    // limits through the MINUIT transformation (as lmfit does) do not move an interior optimum
    check_against_scipy(&[(0.0, 10.0), (0.1, 20.0), (-1.0, 1.0)]);
}

#[test]
fn linear_least_squares_is_exact() {
    // y = p0 + p1·t + p2·t²: solution and covariance from the normal equations
    let t: Vec<f64> = (0..30).map(|i| i as f64 / 10.0).collect();
    let y: Vec<f64> = t
        .iter()
        .map(|&x| 1.0 - 2.0 * x + 0.5 * x * x + 0.1 * (7.0 * x).sin())
        .collect();
    let sig = 0.2;
    let res = |p: &[f64], out: &mut [f64]| {
        for i in 0..30 {
            out[i] = (y[i] - (p[0] + p[1] * t[i] + p[2] * t[i] * t[i])) / sig;
        }
    };
    let a = DMatrix::from_fn(30, 3, |i, j| t[i].powi(j as i32) / sig);
    let b = DMatrix::from_fn(30, 1, |i, _| y[i] / sig);
    let ata = a.tr_mul(&a);
    let cov = ata.clone().try_inverse().unwrap();
    let p = &cov * a.tr_mul(&b);
    let r = levenberg_marquardt(
        &res,
        30,
        &[(-INF, INF); 3],
        &[0.0, 0.0, 0.0],
        &LmOptions::default(),
    )
    .unwrap();
    assert!(r.converged);
    for i in 0..3 {
        assert!((r.x[i] - p[(i, 0)]).abs() < 1e-8, "x[{i}]");
        for j in 0..3 {
            let scale = (cov[(i, i)] * cov[(j, j)]).sqrt();
            assert!((r.covariance[(i, j)] - cov[(i, j)]).abs() < 1e-6 * scale);
        }
    }
    // lmfit's stat/dof scaling only on request
    let opts = LmOptions {
        scale_covar: true,
        ..LmOptions::default()
    };
    let s = levenberg_marquardt(&res, 30, &[(-INF, INF); 3], &[0.0, 0.0, 0.0], &opts).unwrap();
    let factor = s.chi2 / 27.0;
    assert!((s.covariance[(1, 1)] - factor * cov[(1, 1)]).abs() < 1e-6 * factor * cov[(1, 1)]);
}

#[test]
fn active_limit_is_respected() {
    // the mean of the data is ≈ 1.1 but the parameter is limited to ≤ 0.5
    let res = |p: &[f64], out: &mut [f64]| {
        for (i, r) in out.iter_mut().enumerate() {
            *r = (DECAY_Y[i] - p[0]) / 0.05;
        }
    };
    let r = levenberg_marquardt(&res, 50, &[(0.0, 0.5)], &[0.2], &LmOptions::default()).unwrap();
    assert!(r.x[0] <= 0.5 && r.x[0] > 0.5 - 1e-3, "{}", r.x[0]);
    assert!(r.covariance[(0, 0)].is_finite());
}

#[test]
fn lm_input_errors() {
    let res = |p: &[f64], out: &mut [f64]| out[0] = p[0];
    let d = LmOptions::default();
    assert!(
        levenberg_marquardt(&res, 1, &[(-1.0, 1.0); 2], &[0.0, 0.0], &d)
            .unwrap_err()
            .message()
            .contains("cannot determine")
    );
    assert!(levenberg_marquardt(&res, 1, &[(-1.0, 1.0)], &[3.0], &d).is_err());
    let nan = |_: &[f64], out: &mut [f64]| out[0] = f64::NAN;
    assert!(levenberg_marquardt(&nan, 1, &[(-1.0, 1.0)], &[0.0], &d)
        .unwrap_err()
        .message()
        .contains("not finite"));
    // a residual function that does not fill its output is caught (NaN-initialised buffer)
    let lazy = |_: &[f64], _: &mut [f64]| {};
    assert!(levenberg_marquardt(&lazy, 2, &[(-1.0, 1.0)], &[0.0], &d).is_err());
}
