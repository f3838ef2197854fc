//! MIGRAD and HESSE on analytic problems: quadratic bowls with a known covariance,
//! Rosenbrock, optima on a limit, several start points, and input/failure handling.
#![allow(clippy::needless_range_loop)]

use bayspec::sample::minimize::{
    hesse, migrad, minuit_fit, HesseOptions, MigradOptions, MinuitOptions,
};
use nalgebra::{DMatrix, DVector};

const INF: f64 = f64::INFINITY;

fn bowl_cov() -> DMatrix<f64> {
    DMatrix::from_row_slice(3, 3, &[1.0, 0.6, -0.3, 0.6, 2.0, 0.4, -0.3, 0.4, 0.5])
}

/// f = (x − μ)ᵀ C⁻¹ (x − μ) + 7: minimum μ, covariance (2·H⁻¹) exactly C.
fn bowl() -> impl Fn(&[f64]) -> f64 {
    let cinv = bowl_cov().try_inverse().unwrap();
    let mu = DVector::from_column_slice(&[1.0, -2.0, 3.0]);
    move |x: &[f64]| {
        let d = DVector::from_column_slice(x) - &mu;
        (d.transpose() * &cinv * &d)[(0, 0)] + 7.0
    }
}

#[test]
fn quadratic_bowl_unbounded_is_exact() {
    let f = bowl();
    let bounds = [(-INF, INF); 3];
    let m = migrad(&f, &bounds, &[0.0, 0.0, 0.0], &MigradOptions::default()).unwrap();
    assert!(m.converged, "{:?}", m.messages);
    assert!(m.edm < 2e-4);
    for (x, mu) in m.x.iter().zip([1.0, -2.0, 3.0]) {
        assert!((x - mu).abs() < 1e-3, "{x} vs {mu}");
    }
    assert!((m.fval - 7.0).abs() < 2e-4);
    let h = hesse(&f, &bounds, &[1.0, -2.0, 3.0], &HesseOptions::default()).unwrap();
    assert!(h.pos_def && h.warnings.is_empty());
    let c = bowl_cov();
    for i in 0..3 {
        for j in 0..3 {
            assert!(
                (h.covariance[(i, j)] - c[(i, j)]).abs() < 1e-6,
                "cov[{i}][{j}]"
            );
        }
        assert!((h.errors[i] - c[(i, i)].sqrt()).abs() < 1e-6);
    }
    // MIGRAD's own covariance comes from the finite-difference Hessian at convergence
    for i in 0..3 {
        assert!((m.errors[i] - c[(i, i)].sqrt()).abs() < 1e-4 * c[(i, i)].sqrt());
    }
}

#[test]
fn quadratic_bowl_with_wide_limits() {
    let f = bowl();
    let bounds = [(-20.0, 25.0), (-30.0, 10.0), (-5.0, 40.0)];
    let m = migrad(&f, &bounds, &[0.0, 0.0, 0.0], &MigradOptions::default()).unwrap();
    assert!(m.converged);
    // EDM < 2e-4 allows a distance of up to ~√(2·EDM) ≈ 0.02 σ from the minimum
    let c = bowl_cov();
    for (i, (x, mu)) in m.x.iter().zip([1.0, -2.0, 3.0]).enumerate() {
        assert!((x - mu).abs() < 0.03 * c[(i, i)].sqrt(), "{x} vs {mu}");
    }
    let h = hesse(&f, &bounds, &[1.0, -2.0, 3.0], &HesseOptions::default()).unwrap();
    for i in 0..3 {
        for j in 0..3 {
            let scale = (c[(i, i)] * c[(j, j)]).sqrt();
            assert!(
                (h.covariance[(i, j)] - c[(i, j)]).abs() < 1e-3 * scale,
                "cov[{i}][{j}]"
            );
        }
    }
}

#[test]
fn errordef_scales_the_covariance_convention() {
    // the same bowl as −ln L (half of it) with errordef 0.5 has the same covariance
    let f = bowl();
    let half = |x: &[f64]| 0.5 * f(x);
    let bounds = [(-INF, INF); 3];
    let opts = HesseOptions {
        errordef: 0.5,
        ..HesseOptions::default()
    };
    let h = hesse(&half, &bounds, &[1.0, -2.0, 3.0], &opts).unwrap();
    let c = bowl_cov();
    for i in 0..3 {
        assert!((h.errors[i] - c[(i, i)].sqrt()).abs() < 1e-6);
    }
    // errordef 4 (2σ) doubles the errors
    let opts = HesseOptions {
        errordef: 4.0,
        ..HesseOptions::default()
    };
    let h = hesse(&f, &bounds, &[1.0, -2.0, 3.0], &opts).unwrap();
    for i in 0..3 {
        assert!((h.errors[i] - 2.0 * c[(i, i)].sqrt()).abs() < 1e-6);
    }
}

fn rosenbrock(p: &[f64]) -> f64 {
    100.0 * (p[1] - p[0] * p[0]).powi(2) + (1.0 - p[0]).powi(2)
}

#[test]
fn rosenbrock_minimum_and_covariance() {
    let bounds = [(-INF, INF); 2];
    let m = migrad(
        &rosenbrock,
        &bounds,
        &[-1.2, 1.0],
        &MigradOptions::default(),
    )
    .unwrap();
    assert!(m.converged, "{:?}", m.messages);
    assert!(m.fval < 2e-4);
    assert!(
        (m.x[0] - 1.0).abs() < 0.03 && (m.x[1] - 1.0).abs() < 0.06,
        "{:?}",
        m.x
    );
    let tight = MigradOptions {
        tol: 1e-6,
        ..MigradOptions::default()
    };
    let m = migrad(&rosenbrock, &bounds, &[-1.2, 1.0], &tight).unwrap();
    assert!(m.converged);
    assert!(
        (m.x[0] - 1.0).abs() < 1e-3 && (m.x[1] - 1.0).abs() < 2e-3,
        "{:?}",
        m.x
    );
    // H = [[802, −400], [−400, 200]] at (1, 1): covariance 2·H⁻¹ = [[1, 2], [2, 4.01]]
    let h = hesse(&rosenbrock, &bounds, &[1.0, 1.0], &HesseOptions::default()).unwrap();
    let want = [[1.0, 2.0], [2.0, 4.01]];
    for i in 0..2 {
        for j in 0..2 {
            assert!(
                (h.covariance[(i, j)] - want[i][j]).abs() < 0.01 * want[i][j],
                "cov[{i}][{j}] = {}",
                h.covariance[(i, j)]
            );
        }
    }
}

#[test]
fn optimum_on_a_two_sided_limit() {
    // minimum of the unbounded function at x = 2, outside [−1, 1]: the fit sits on x = 1
    let f = |p: &[f64]| 4.0 * (p[0] - 2.0).powi(2) + (p[1] - 1.0).powi(2);
    let bounds = [(-1.0, 1.0), (-INF, INF)];
    let m = migrad(&f, &bounds, &[0.0, 0.0], &MigradOptions::default()).unwrap();
    assert!(m.converged, "{:?}", m.messages);
    assert!(m.x[0] <= 1.0 && m.x[0] > 1.0 - 1e-4, "x = {}", m.x[0]);
    assert!((m.x[1] - 1.0).abs() < 2e-2);
    assert!((m.fval - 4.0).abs() < 1e-3);
    // HESSE there warns that the transformed error of x is meaningless (but not for y)
    let h = hesse(&f, &bounds, &m.x, &HesseOptions::default()).unwrap();
    assert!(
        h.warnings
            .iter()
            .any(|w| w.contains("parameter 0 is within one error of a limit")),
        "{:?}",
        h.warnings
    );
    assert!((h.errors[1] - 1.0).abs() < 0.01);
    assert_eq!(h.warnings.len(), 1);
    // the fit also works when started exactly on the limit
    let m = migrad(&f, &bounds, &[1.0, 0.0], &MigradOptions::default()).unwrap();
    assert!(m.converged && m.x[0] > 1.0 - 1e-4);
}

#[test]
fn optimum_on_one_sided_limits() {
    let f = |p: &[f64]| (p[0] + 1.0).powi(2) + (p[1] - 3.0).powi(2);
    // x ≥ 0 (minimum at −1 excluded), y ≤ 2 (minimum at 3 excluded)
    let bounds = [(0.0, INF), (-INF, 2.0)];
    let m = migrad(&f, &bounds, &[2.0, -1.0], &MigradOptions::default()).unwrap();
    assert!(m.converged, "{:?}", m.messages);
    assert!(m.x[0] >= 0.0 && m.x[0] < 1e-3, "{:?}", m.x);
    assert!(m.x[1] <= 2.0 && m.x[1] > 2.0 - 1e-3, "{:?}", m.x);
    assert!((m.fval - 2.0).abs() < 2e-3);
}

#[test]
fn several_start_points_find_the_global_minimum() {
    // two minima near ±2; the one near −2 is lower because of the +x tilt
    let f = |p: &[f64]| (p[0] * p[0] - 4.0).powi(2) + p[0];
    let bounds = [(-5.0, 5.0)];
    let local = migrad(&f, &bounds, &[2.5], &MigradOptions::default()).unwrap();
    assert!(local.converged && local.x[0] > 1.5);
    let opts = MigradOptions {
        extra_starts: ndarray::array![[-2.5], [0.5]],
        ..MigradOptions::default()
    };
    let global = migrad(&f, &bounds, &[2.5], &opts).unwrap();
    assert!(global.converged);
    assert!(global.x[0] < -1.5 && global.fval < local.fval - 3.0);
    assert_ne!(global.start_index, 0);
}

#[test]
fn non_finite_regions_are_avoided() {
    // NaN for x > 3; minimum at 2.9 just inside the valid region
    let f = |p: &[f64]| {
        if p[0] > 3.0 {
            f64::NAN
        } else {
            (p[0] - 2.9).powi(2) / 0.01
        }
    };
    let m = migrad(&f, &[(-10.0, 10.0)], &[0.0], &MigradOptions::default()).unwrap();
    assert!(m.converged, "{:?}", m.messages);
    assert!((m.x[0] - 2.9).abs() < 2e-3, "{}", m.x[0]);
}

#[test]
fn call_budget_exhaustion_is_reported() {
    let bounds = [(-INF, INF); 2];
    let opts = MigradOptions {
        ncall: 40,
        max_restarts: 0,
        ..MigradOptions::default()
    };
    let m = migrad(&rosenbrock, &bounds, &[-1.2, 1.0], &opts).unwrap();
    assert!(!m.converged);
    assert!(
        m.messages.iter().any(|s| s.contains("call limit")),
        "{:?}",
        m.messages
    );
    assert!(m.x.iter().all(|v| v.is_finite()));
    let f = minuit_fit(
        &rosenbrock,
        &bounds,
        &[-1.2, 1.0],
        &MinuitOptions {
            migrad: opts,
            ..MinuitOptions::default()
        },
    )
    .unwrap();
    assert!(!f.converged);
    assert!(
        f.status.starts_with("Migrad did not converge"),
        "{}",
        f.status
    );
    assert!(f.edm > f.edm_goal);
}

#[test]
fn bad_input_gives_clear_errors() {
    let f = |p: &[f64]| p[0] * p[0];
    let d = MigradOptions::default();
    assert!(migrad(&f, &[(1.0, -1.0)], &[0.0], &d)
        .unwrap_err()
        .message()
        .contains("reversed"));
    assert!(migrad(&f, &[(-1.0, 1.0)], &[2.0], &d)
        .unwrap_err()
        .message()
        .contains("outside"));
    assert!(migrad(&f, &[(-1.0, 1.0)], &[0.0, 1.0], &d).is_err());
    assert!(migrad(&f, &[], &[], &d).is_err());
    let nan = |_: &[f64]| f64::NAN;
    assert!(migrad(&nan, &[(-1.0, 1.0)], &[0.0], &d)
        .unwrap_err()
        .message()
        .contains("not finite"));
    let bad = MigradOptions {
        errordef: 0.0,
        ..MigradOptions::default()
    };
    assert!(migrad(&f, &[(-1.0, 1.0)], &[0.5], &bad).is_err());
    assert!(hesse(&nan, &[(-1.0, 1.0)], &[0.0], &HesseOptions::default()).is_err());
}

#[test]
fn hesse_flags_a_saddle_and_rejects_a_flat_direction() {
    let saddle = |p: &[f64]| p[0] * p[0] - p[1] * p[1] + 10.0;
    let bounds = [(-INF, INF); 2];
    let h = hesse(&saddle, &bounds, &[0.0, 0.0], &HesseOptions::default()).unwrap();
    assert!(!h.pos_def);
    assert!(!h.warnings.is_empty());
    assert!(h.errors.iter().all(|e| e.is_finite() && *e > 0.0));
    let flat = |p: &[f64]| p[0] * p[0];
    let e = hesse(&flat, &bounds, &[0.0, 0.0], &HesseOptions::default()).unwrap_err();
    assert!(e.message().contains("parameter 1"), "{e}");
}

/// A wide, flat direction in a bounded range (like a Band β of −4.5 ± 1.6 in [−6, −2]) is
/// converged, with the EDM below its goal (the real-data case is in analyze_fit_status.rs).
#[test]
fn hesse_edm_of_a_wide_bounded_direction_is_not_spurious() {
    let f = |p: &[f64]| {
        let (x, y) = (p[0], p[1]);
        (x / 0.01).powi(2) + ((y + 4.5) / 1.6).powi(2)
    };
    let bounds = [(-1.0, 1.0), (-6.0, -2.0)];
    let fit = minuit_fit(&f, &bounds, &[0.3, -3.0], &MinuitOptions::default()).unwrap();
    assert!(fit.converged, "{}", fit.status);
    assert!(fit.edm < fit.edm_goal, "edm {}", fit.edm);
    assert!((fit.x[1] + 4.5).abs() < 0.05, "{:?}", fit.x);
}
