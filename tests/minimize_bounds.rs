//! MINUIT's limit transformation: round trips, derivatives, edge handling, input errors.
#![allow(clippy::needless_range_loop)]

use bayspec::sample::minimize::{Limit, Transform};

#[test]
fn round_trip_all_limit_kinds() {
    let cases = [
        (Limit::Free, vec![-3.0, 0.0, 2.5e6]),
        (Limit::Lower(-1.0), vec![-0.5, 0.0, 3.0, 1e4]),
        (Limit::Upper(2.0), vec![1.999, 0.0, -40.0]),
        (Limit::Both(-2.0, 4.0), vec![-1.9, 0.0, 1.0, 3.99]),
    ];
    for (lim, values) in cases {
        for v in values {
            let back = lim.to_external(lim.to_internal(v));
            assert!(
                (back - v).abs() < 1e-12 * v.abs().max(1.0),
                "{lim:?}: {v} -> {back}"
            );
        }
    }
}

#[test]
fn sine_transform_formula() {
    let lim = Limit::Both(1.0, 5.0);
    // θ = lo + (sin φ + 1)(hi − lo)/2
    let phi = 0.3_f64;
    assert!((lim.to_external(phi) - (1.0 + (phi.sin() + 1.0) * 2.0)).abs() < 1e-15);
    assert!((lim.to_internal(3.0)).abs() < 1e-15); // mid-point ↔ φ = 0
                                                   // external values stay inside for any internal value (periodic)
    for k in -50..50 {
        let t = lim.to_external(k as f64 * 0.77);
        assert!((1.0..=5.0).contains(&t));
    }
}

#[test]
fn derivative_matches_finite_difference() {
    for lim in [
        Limit::Free,
        Limit::Lower(0.5),
        Limit::Upper(-0.5),
        Limit::Both(-1.0, 3.0),
    ] {
        for phi in [-1.2, -0.3, 0.4, 1.1] {
            let h = 1e-6;
            let fd = (lim.to_external(phi + h) - lim.to_external(phi - h)) / (2.0 * h);
            assert!((fd - lim.dext_dint(phi)).abs() < 1e-8, "{lim:?} at {phi}");
        }
    }
}

#[test]
fn start_on_a_limit_is_nudged_inside() {
    for (lim, v) in [
        (Limit::Both(0.0, 1.0), 0.0),
        (Limit::Both(0.0, 1.0), 1.0),
        (Limit::Lower(2.0), 2.0),
        (Limit::Upper(2.0), 2.0),
    ] {
        let phi = lim.to_internal(v);
        assert!(
            lim.dext_dint(phi).abs() > 0.0,
            "{lim:?}: derivative zero at the start"
        );
        let back = lim.to_external(phi);
        assert!((back - v).abs() < 1e-5, "{lim:?}: moved too far ({back})");
    }
}

#[test]
fn bad_bounds_and_points_are_errors() {
    assert!(Transform::new(&[(1.0, 1.0)]).is_err());
    assert!(Transform::new(&[(2.0, 1.0)]).is_err());
    let e = Transform::new(&[(0.0, 1.0), (f64::NAN, 1.0)]).unwrap_err();
    assert!(e.message().contains("parameter 1"), "{e}");
    let t = Transform::new(&[(0.0, 1.0), (f64::NEG_INFINITY, f64::INFINITY)]).unwrap();
    assert_eq!(t.limits()[1], Limit::Free);
    assert!(t.check_inside("x", &[0.5, 1e9]).is_ok());
    assert!(t.check_inside("x", &[0.5]).is_err());
    assert!(t
        .check_inside("x", &[1.5, 0.0])
        .unwrap_err()
        .message()
        .contains("outside"));
    assert!(t.check_inside("x", &[0.5, f64::NAN]).is_err());
}
