//! Analytic and structural checks of the priors: argument validation, round trips
//! (ppf ∘ cdf), logpdf against ln pdf, cdf against the integral of the pdf, tails.

use bayspec::model::prior::{Prior, FAMILIES, PRIOR_NAMES};

fn all_priors() -> Vec<Prior> {
    vec![
        Prior::unif(-2.0, 3.0).unwrap(),
        Prior::logunif(0.1, 100.0).unwrap(),
        Prior::logunif_loc_scale(1.0, 10.0, -0.5, 2.0).unwrap(),
        Prior::norm(2.0, 5.0).unwrap(),
        Prior::lognorm(0.7, 1.0, 3.0).unwrap(),
        Prior::truncnorm(-1.0, 2.0, 1.0, 3.0).unwrap(),
        Prior::truncnorm(4.0, 9.0, 0.0, 1.0).unwrap(),
        Prior::truncnorm(-9.0, -4.0, 0.0, 1.0).unwrap(),
        Prior::cauchy(1.0, 2.0).unwrap(),
        Prior::cosine(0.5, 2.0).unwrap(),
        Prior::beta(2.31, 0.627, 0.0, 1.0).unwrap(),
        Prior::beta(0.5, 3.0, -1.0, 4.0).unwrap(),
        Prior::gamma(0.5, 1.0, 2.0).unwrap(),
        Prior::gamma(7.5, 0.0, 0.3).unwrap(),
        Prior::expon(-2.0, 3.0).unwrap(),
        Prior::plaw(0.5, -1.0, 2.0).unwrap(),
    ]
}

#[test]
fn invalid_arguments_are_errors_naming_family_and_argument() {
    let cases: Vec<(Result<Prior, bayspec::Error>, &[&str])> = vec![
        (Prior::unif(2.0, 1.0), &["unif", "min", "max"]),
        (Prior::unif(1.0, 1.0), &["unif", "width"]),
        (Prior::unif(f64::NAN, 1.0), &["unif", "min"]),
        (Prior::norm(0.0, -1.0), &["norm", "scale"]),
        (Prior::norm(f64::INFINITY, 1.0), &["norm", "loc"]),
        (Prior::logunif(0.0, 1.0), &["logunif", "min"]),
        (Prior::logunif(2.0, 1.0), &["logunif", "width"]),
        (Prior::lognorm(0.0, 0.0, 1.0), &["lognorm", "s"]),
        (
            Prior::truncnorm(1.0, 1.0, 0.0, 1.0),
            &["truncnorm", "width"],
        ),
        (
            Prior::truncnorm(f64::NAN, 1.0, 0.0, 1.0),
            &["truncnorm", "`a`"],
        ),
        (Prior::cauchy(0.0, 0.0), &["cauchy", "scale"]),
        (Prior::cosine(0.0, -2.0), &["cosine", "scale"]),
        (Prior::beta(0.0, 1.0, 0.0, 1.0), &["beta", "`a`"]),
        (Prior::beta(1.0, -1.0, 0.0, 1.0), &["beta", "`b`"]),
        (Prior::gamma(-1.0, 0.0, 1.0), &["gamma", "`a`"]),
        (Prior::expon(0.0, f64::NAN), &["expon", "scale"]),
        (Prior::plaw(0.0, 0.0, 1.0), &["plaw", "`a`"]),
        (Prior::from_name("foo", &[1.0]), &["foo", "unif", "plaw"]),
        (
            Prior::from_name("norm", &[1.0]),
            &["norm", "2 arguments", "loc, scale", "got 1"],
        ),
        (
            Prior::from_name("logunif", &[1.0, 2.0, 3.0]),
            &["logunif", "2 or 4"],
        ),
    ];
    for (result, words) in cases {
        let err = result.expect_err("must be rejected");
        let msg = err.to_string();
        for w in words {
            assert!(msg.contains(w), "message `{msg}` lacks `{w}`");
        }
    }
}

#[test]
fn from_name_accepts_every_family_and_round_trips_args() {
    let args: [&[f64]; 11] = [
        &[-2.0, 2.0],
        &[0.1, 100.0],
        &[0.0, 1.0],
        &[0.5, 0.0, 10.0],
        &[-1.0, 1.0, 2.0, 5.0],
        &[0.0, 1.0],
        &[0.0, 1.0],
        &[2.0, 5.0, -1.0, 4.0],
        &[1.99, 0.0, 1.0],
        &[0.0, 1.0],
        &[1.5, 0.0, 1.0],
    ];
    for (name, a) in PRIOR_NAMES.iter().zip(args) {
        let p = Prior::from_name(name, a).unwrap();
        assert_eq!(p.name(), *name);
        let back = Prior::from_name(p.name(), &p.args()).unwrap();
        assert_eq!(back, p);
    }
    // logunif shows its default loc and scale.
    assert_eq!(
        Prior::logunif(0.1, 100.0).unwrap().args(),
        vec![0.1, 100.0, 0.0, 1.0]
    );
}

#[test]
fn info_text_follows_python_number_formatting() {
    assert_eq!(Prior::unif(-2.0, 2.0).unwrap().info(), "unif(-2, 2)");
    assert_eq!(Prior::unif(1e-5, 50.0).unwrap().info(), "unif(1e-05, 50)");
    assert_eq!(
        Prior::unif(0.0001, 50.0).unwrap().info(),
        "unif(0.0001, 50)"
    );
    assert_eq!(
        Prior::logunif(0.1, 100.0).unwrap().info(),
        "logunif(0.1, 100, 0, 1)"
    );
    assert_eq!(
        Prior::unif(-1e16, 1e17).unwrap().info(),
        "unif(-1e+16, 1e+17)"
    );
    assert_eq!(
        Prior::beta(2.31, 0.627, 0.0, 1.0).unwrap().to_string(),
        "beta(2.31, 0.627, 0, 1)"
    );
}

#[test]
fn ppf_inverts_cdf_inside_the_support() {
    for p in all_priors() {
        for &q in &[1e-7, 0.01, 0.2, 0.5, 0.77, 0.99, 1.0 - 1e-7] {
            let x = p.ppf(q);
            assert!(x.is_finite(), "{} ppf({q}) = {x}", p.info());
            let back = p.cdf(x);
            // Backward error: x itself is rounded to a few ulps, worth pdf(x)·δx in q.
            let slack = p.pdf(x) * 4.0 * f64::EPSILON * x.abs();
            assert!(
                (back - q).abs() <= 1e-10 * q.min(1.0 - q) + 1e-15 + slack,
                "{}: cdf(ppf({q})) = {back}",
                p.info()
            );
        }
    }
}

#[test]
fn logpdf_is_the_log_of_pdf_and_cdf_integrates_pdf() {
    for p in all_priors() {
        let (a, b) = p.interval(0.98);
        // logpdf against ln(pdf) at interior points.
        for i in 1..20 {
            let x = a + (b - a) * i as f64 / 20.0;
            let (f, lf) = (p.pdf(x), p.logpdf(x));
            assert!(
                (lf - f.ln()).abs() <= 1e-12 * (1.0 + lf.abs()),
                "{}: logpdf({x}) = {lf}, ln pdf = {}",
                p.info(),
                f.ln()
            );
        }
        // Composite Simpson integral of the pdf over [a, b] against the cdf difference.
        let n = 20_000;
        let h = (b - a) / n as f64;
        let mut sum = p.pdf(a) + p.pdf(b);
        for i in 1..n {
            let w = if i % 2 == 1 { 4.0 } else { 2.0 };
            sum += w * p.pdf(a + h * i as f64);
        }
        let integral = sum * h / 3.0;
        let mass = p.cdf(b) - p.cdf(a);
        assert!((mass - 0.98).abs() < 1e-9, "{}: mass {mass}", p.info());
        // Integrable end singularities (beta/gamma with shape < 1) converge slowly.
        assert!(
            (integral - mass).abs() < 2e-4,
            "{}: ∫pdf = {integral}",
            p.info()
        );
    }
}

#[test]
fn interval_one_is_the_support_and_outside_is_zero() {
    for p in all_priors() {
        let (lo, hi) = p.support();
        assert_eq!(p.interval(1.0), (lo, hi), "{}", p.info());
        assert_eq!(p.ppf(0.0), lo);
        assert_eq!(p.ppf(1.0), hi);
        if lo.is_finite() {
            let below = lo - 1e-6 * (1.0 + lo.abs());
            assert_eq!(p.pdf(below), 0.0);
            assert_eq!(p.logpdf(below), f64::NEG_INFINITY);
            assert_eq!(p.cdf(below), 0.0);
        }
        if hi.is_finite() {
            let above = hi + 1e-6 * (1.0 + hi.abs());
            assert_eq!(p.pdf(above), 0.0);
            assert_eq!(p.cdf(above), 1.0);
        }
        assert_eq!(p.is_bounded(), lo.is_finite() && hi.is_finite());
    }
}

#[test]
fn truncnorm_tails_and_half_normal() {
    // Half normal: truncnorm(0, inf, 0, 1) has mean sqrt(2/pi), cdf(1) = 2Φ(1) − 1.
    let half = Prior::truncnorm(0.0, f64::INFINITY, 0.0, 1.0).unwrap();
    assert!((half.mean() - (2.0 / std::f64::consts::PI).sqrt()).abs() < 1e-14);
    assert!((half.cdf(1.0) - 0.682_689_492_137_085_9).abs() < 1e-15);
    assert!((half.ppf(0.682_689_492_137_085_9) - 1.0).abs() < 1e-13);
    // Far tail [40, 41]: the density is ~exponential with rate ≈ 40; the median is near
    // 40 + ln 2/40.
    let far = Prior::truncnorm(40.0, 41.0, 0.0, 1.0).unwrap();
    let med = far.ppf(0.5);
    assert!(
        (med - (40.0 + 2f64.ln() / 40.05)).abs() < 1e-3,
        "median {med}"
    );
    assert!((far.cdf(med) - 0.5).abs() < 1e-12);
    assert!(far.logpdf(40.5).is_finite());
    // Mirror image on the lower side.
    let mirror = Prior::truncnorm(-41.0, -40.0, 0.0, 1.0).unwrap();
    assert!((mirror.ppf(0.5) + med).abs() < 1e-12);
    assert!((mirror.cdf(-med) - 0.5).abs() < 1e-12);
    for q in [0.25, 2f64.powi(-30)] {
        // 1 − q is exact for these q, so the mirror identity must hold to rounding.
        assert!((mirror.ppf(q) + far.ppf(1.0 - q)).abs() < 1e-12, "q={q}");
        assert!((mirror.cdf(-far.ppf(q)) - (1.0 - q)).abs() < 1e-12, "q={q}");
    }
}

#[test]
fn priors_are_send_and_sync() {
    fn check<T: Send + Sync + Clone + std::fmt::Debug + PartialEq>() {}
    check::<Prior>();
}

/// Every family of the generated list (so a new family is covered without editing this
/// test): it builds from its example arguments, names itself, round-trips its arguments,
/// documents its signature, and behaves like a distribution at its centre.
#[test]
fn every_listed_family_builds_round_trips_and_is_documented() {
    assert_eq!(FAMILIES.len(), PRIOR_NAMES.len());
    for (family, name) in FAMILIES.iter().zip(PRIOR_NAMES) {
        assert_eq!(family.name, name);
        assert!(
            !family.signature.trim().is_empty(),
            "{name}: empty signature"
        );
        assert!(!family.doc.trim().is_empty(), "{name}: empty doc");
        let p = Prior::from_name(name, family.example)
            .unwrap_or_else(|e| panic!("{name}{:?}: {e}", family.example));
        assert_eq!(p.name(), name);
        let args = p.args();
        assert!(args.starts_with(family.example), "{name}: args {args:?}");
        let back = Prior::from_name(p.name(), &args).unwrap();
        assert_eq!(back, p, "{name}: round trip through args()");
        assert_eq!(back.info(), p.info());
        assert!(p.info().starts_with(&format!("{name}(")), "{}", p.info());
        // A wrong argument count names the signature.
        let err = Prior::from_name(name, &[])
            .expect_err("no arguments")
            .to_string();
        assert!(
            err.contains(name) && err.contains(family.signature),
            "{err}"
        );
        // Basic distribution sanity at the median.
        let (lo, hi) = p.support();
        let m = p.median();
        assert!(lo < m && m < hi, "{name}: median {m} outside ({lo}, {hi})");
        assert!((p.cdf(m) - 0.5).abs() < 1e-9, "{name}: cdf(median)");
        assert!(
            p.pdf(m) > 0.0 && p.pdf(m).is_finite(),
            "{name}: pdf(median)"
        );
        assert!(
            (p.logpdf(m) - p.pdf(m).ln()).abs() < 1e-12,
            "{name}: logpdf"
        );
        assert_eq!(p.ppf(0.0), lo);
        assert_eq!(p.ppf(1.0), hi);
    }
}
