//! The whole likelihood chain on the quickstart data against `quickstart_loglike.json`,
//! through both the object path and the compiled plan.

mod common;

use bayspec::infer::InferKind;
use common::grb::quickstart;
use common::{close, num, shared_dir, vectors};

#[test]
fn quickstart_likelihood_matches_the_reference() {
    let (Some(dir), Some(v)) = (shared_dir(), vectors("quickstart_loglike.json")) else {
        return;
    };
    let (infer, _) = quickstart(&dir, InferKind::Bayes);
    assert_eq!(infer.npoint(), 236);
    assert_eq!(infer.free_nparams(), 3);
    assert_eq!(infer.dof(), 233);
    assert_eq!(
        infer.clean_free_indexed_plabels(),
        vec!["p1(alpha)", "p2(logE_p)", "p3(logA)"]
    );
    let ranges = infer.free_pranges().unwrap();
    assert_eq!(ranges, vec![(-2.0, 2.0), (0.0, 4.0), (-10.0, 10.0)]);
    let plan = infer.compile().unwrap();
    let tol = 1e-9;
    for ev in v["evaluations"].as_array().unwrap() {
        let theta: Vec<f64> = ev["theta"].as_array().unwrap().iter().map(num).collect();
        infer.set_free_values(&theta).unwrap();
        let rows = infer.stat_rows().unwrap();
        for r in &rows {
            let want = num(&ev["stat_per_unit"][&r.data]);
            assert!(
                close(r.value, want, tol, 0.0),
                "{} {}: {} vs {want}",
                ev["label"],
                r.data,
                r.value
            );
        }
        let total = num(&ev["stat_total"]);
        let got = infer.stat().unwrap();
        assert!(close(got, total, tol, 0.0), "object path {got} vs {total}");
        let fast = plan.stat(&theta);
        assert!(close(fast, total, tol, 0.0), "plan {fast} vs {total}");
        // plan and object path agree far tighter than the reference tolerance
        assert!(close(fast, got, 1e-12, 0.0), "plan {fast} vs object {got}");
        assert!(close(
            plan.loglike(&theta),
            num(&ev["loglike_total"]),
            tol,
            0.0
        ));
        assert!(close(
            plan.logprior(&theta),
            num(&ev["logprior"]),
            1e-12,
            0.0
        ));
        assert!(close(plan.logprob(&theta), num(&ev["logprob"]), tol, 0.0));
        // folded rates per fit bin
        let rates = plan.folded_rates(&theta);
        for (k, name) in ["nai", "bgo"].iter().enumerate() {
            let want: Vec<f64> = ev["model_ctsrate_per_fit_bin"][name]
                .as_array()
                .unwrap()
                .iter()
                .map(num)
                .collect();
            assert_eq!(rates[k].len(), want.len());
            for (a, b) in rates[k].iter().zip(&want) {
                assert!(close(*a, *b, tol, 1e-12), "{name} rate {a} vs {b}");
            }
        }
    }
    let out = &v["outside_prior_support"];
    let theta: Vec<f64> = out["theta"].as_array().unwrap().iter().map(num).collect();
    assert_eq!(plan.logprior(&theta), f64::NEG_INFINITY);
    assert_eq!(plan.logprob(&theta), f64::NEG_INFINITY);
    assert!(close(plan.loglike(&theta), num(&out["loglike"]), tol, 0.0));
    for ex in v["prior_transform_examples"].as_array().unwrap() {
        let u: Vec<f64> = ex["cube"].as_array().unwrap().iter().map(num).collect();
        let want: Vec<f64> = ex["theta"].as_array().unwrap().iter().map(num).collect();
        let mut t = vec![0.0; 3];
        plan.prior_transform(&u, &mut t);
        for (a, b) in t.iter().zip(&want) {
            assert!(close(*a, *b, 1e-12, 1e-12), "{a} vs {b}");
        }
    }
}

#[test]
fn plan_and_object_path_agree_on_random_vectors() {
    let Some(dir) = shared_dir() else { return };
    let (infer, _) = quickstart(&dir, InferKind::Bayes);
    let plan = infer.compile().unwrap();
    let mut x: u64 = 12345;
    let mut next = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x >> 11) as f64 / (1u64 << 53) as f64
    };
    for _ in 0..20 {
        let theta = [-1.9 + 2.5 * next(), 1.0 + 2.5 * next(), -1.0 + 5.0 * next()];
        infer.set_free_values(&theta).unwrap();
        let obj = infer.stat().unwrap();
        let fast = plan.stat(&theta);
        assert!(close(fast, obj, 1e-12, 0.0), "{theta:?}: {fast} vs {obj}");
    }
}

#[test]
fn pointwise_and_pseudo_residuals_match_the_reference() {
    let (Some(dir), Some(v)) = (shared_dir(), vectors("quickstart_loglike.json")) else {
        return;
    };
    let (infer, _) = quickstart(&dir, InferKind::Bayes);
    let plan = infer.compile().unwrap();
    let ev = &v["evaluations"][0];
    let theta: Vec<f64> = ev["theta"].as_array().unwrap().iter().map(num).collect();
    let n = plan.npoint();
    let (mut pw, mut pr) = (vec![0.0; n], vec![0.0; n]);
    plan.pointwise_loglike(&theta, &mut pw);
    plan.pseudo_residuals(&theta, &mut pr);
    let flat = |key: &str| -> Vec<f64> {
        ["nai", "bgo"]
            .iter()
            .flat_map(|u| ev[key][u].as_array().unwrap().iter().map(num))
            .collect()
    };
    for (a, b) in pw.iter().zip(flat("pointwise_loglike")) {
        assert!(close(*a, b, 1e-7, 1e-10), "{a} vs {b}");
    }
    for (a, b) in pr.iter().zip(flat("pseudo_residual")) {
        assert!(close(*a, b, 1e-7, 1e-10), "{a} vs {b}");
    }
    let s: f64 = pr.iter().map(|r| r * r).sum();
    assert!(close(s, plan.stat(&theta), 1e-12, 0.0));
}

#[test]
fn batch_evaluation_equals_one_by_one() {
    let Some(dir) = shared_dir() else { return };
    let (infer, _) = quickstart(&dir, InferKind::Bayes);
    let plan = infer.compile().unwrap();
    let thetas: Vec<Vec<f64>> = (0..64)
        .map(|i| vec![-1.6 + 0.01 * i as f64, 2.3 + 0.002 * i as f64, 2.35])
        .collect();
    let mut out = vec![0.0; thetas.len()];
    plan.loglike_batch(&thetas, &mut out);
    for (t, o) in thetas.iter().zip(&out) {
        assert_eq!(*o, plan.loglike(t));
    }
}
