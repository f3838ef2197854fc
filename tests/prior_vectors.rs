//! Every prior family against `shared/vectors/priors.json` (inference.md §1), with the
//! tolerances the file states: 1e-12 relative for closed forms, 1e-9 for quantities that need
//! special functions or root finding.

mod common;

use common::nums;

use bayspec::model::prior::Prior;

fn tolerance(family: &str) -> f64 {
    match family {
        "truncnorm" | "cosine" | "beta" | "gamma" => 1e-9,
        _ => 1e-12,
    }
}

/// Python prints float arguments given as `2.0` with the decimal point; the Rust rule
/// (inference.md §1.4) prints every integral value without it.
fn rust_info_text(python_info: &str) -> String {
    let mut out = String::new();
    let chars: Vec<char> = python_info.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i] == '.'
            && i + 2 < chars.len()
            && chars[i + 1] == '0'
            && (chars[i + 2] == ',' || chars[i + 2] == ')')
            && i > 0
            && chars[i - 1].is_ascii_digit()
        {
            i += 2;
            continue;
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn check(what: &str, got: f64, want: f64, rtol: f64, failures: &mut Vec<String>) {
    if !common::close(got, want, rtol, 0.0) {
        failures.push(format!("{what}: got {got:e}, want {want:e}"));
    }
}

#[test]
fn every_prior_matches_the_reference_vectors() {
    let Some(doc) = common::vectors("priors.json") else {
        return;
    };
    let priors = doc["priors"].as_array().expect("priors");
    assert_eq!(priors.len(), 20);
    let mut failures = Vec::new();
    let mut families = std::collections::BTreeSet::new();
    for case in priors {
        let family = case["prior"].as_str().expect("prior name");
        families.insert(family.to_string());
        let args = nums(&case["args"]);
        let prior = Prior::from_name(family, &args).expect("valid prior");
        let tag = case["info"].as_str().expect("info");
        let rtol = tolerance(family);
        assert_eq!(prior.name(), family);
        assert_eq!(prior.info(), rust_info_text(tag), "info of {tag}");

        let support = nums(&case["support"]);
        let (lo, hi) = prior.support();
        check(
            &format!("{tag} support lo"),
            lo,
            support[0],
            rtol,
            &mut failures,
        );
        check(
            &format!("{tag} support hi"),
            hi,
            support[1],
            rtol,
            &mut failures,
        );

        let xs = nums(&case["x"]);
        for (key, f) in [
            ("pdf", Prior::pdf as fn(&Prior, f64) -> f64),
            ("logpdf", Prior::logpdf),
            ("cdf", Prior::cdf),
        ] {
            for (x, want) in xs.iter().zip(nums(&case[key])) {
                check(
                    &format!("{tag} {key}({x})"),
                    f(&prior, *x),
                    want,
                    rtol,
                    &mut failures,
                );
            }
        }
        for (q, want) in nums(&case["q"]).iter().zip(nums(&case["ppf"])) {
            check(
                &format!("{tag} ppf({q})"),
                prior.ppf(*q),
                want,
                rtol,
                &mut failures,
            );
        }
        for key in ["interval_0.6827", "interval_0.95", "interval_1.0"] {
            let q: f64 = key["interval_".len()..].parse().expect("q");
            let want = nums(&case[key]);
            let (a, b) = prior.interval(q);
            check(&format!("{tag} {key} lo"), a, want[0], rtol, &mut failures);
            check(&format!("{tag} {key} hi"), b, want[1], rtol, &mut failures);
        }
        for (key, got) in [
            ("median", prior.median()),
            ("mean", prior.mean()),
            ("var", prior.var()),
            ("std", prior.std()),
        ] {
            let want = common::num(&case[key]);
            check(&format!("{tag} {key}"), got, want, rtol, &mut failures);
        }
    }
    assert_eq!(families.len(), 11, "every family is covered: {families:?}");
    common::assert_no_mismatches(&failures);
}

#[test]
fn ppf_outside_the_unit_interval_is_nan() {
    let prior = Prior::norm(0.0, 1.0).unwrap();
    for q in [-0.1, 1.1, f64::NAN] {
        assert!(prior.ppf(q).is_nan(), "ppf({q})");
        let (a, b) = prior.interval(q);
        assert!(a.is_nan() && b.is_nan());
    }
}
