//! Nested sampling against the test problems of sampler_tests.json (inference.md 5.1.10),
//! thread-count independence, resume and the output files.

mod common;
mod sample_problems;

use bayspec::sample::nested::{run, NestedOptions, NestedResult};
use bayspec::sample::Problem;
use sample_problems::*;
use std::sync::atomic::{AtomicU64, Ordering};

fn opts(seed: u64) -> NestedOptions {
    NestedOptions {
        nlive: 400,
        savepath: None,
        seed: Some(seed),
        progress: false,
        ..Default::default()
    }
}

fn truths() -> Option<serde_json::Value> {
    common::vectors("sampler_tests.json").map(|v| v["problems"].clone())
}

/// Plain NS within 3√(H/N) of the truth, INS within max(3σ_INS, `ins_tol`).
fn check(name: &str, r: &NestedResult, truth: f64, ins_tol: f64) {
    let (zi, ei) = r.ln_z_ins.expect("INS on by default");
    println!(
        "{name}: NS {:.4} ± {:.4}, INS {zi:.4} ± {ei:.4}, truth {truth:.4}, {} iterations, {} calls",
        r.ln_z_ns, r.ln_z_ns_err, r.niter, r.ncall
    );
    assert!(r.finished && !r.hit_max_iter);
    assert!(
        (r.ln_z_ns - truth).abs() < 3.0 * r.ln_z_ns_err,
        "{name}: plain NS {} ± {} vs {truth}",
        r.ln_z_ns,
        r.ln_z_ns_err
    );
    assert!(
        (zi - truth).abs() < (3.0 * ei).max(ins_tol),
        "{name}: INS {zi} ± {ei} vs {truth}"
    );
    // the NS error is √(H/N)
    assert!((r.ln_z_ns_err - (r.information / r.nlive as f64).sqrt()).abs() < 1e-12);
    assert_eq!(r.draws.len(), r.draws.loglike.len());
}

#[test]
fn gaussian_in_a_box_2d() {
    let Some(t) = truths() else { return };
    let case = &t["gaussian_in_box"]["cases"][0];
    let truth = common::num(&case["lnZ_normalised_likelihood"]);
    let p = GaussianBox::isotropic(2, 0.1, 5.0);
    let r = run(&p, &opts(1)).unwrap();
    check("gaussian D=2", &r, truth, 0.1);
    // posterior moments of the Gaussian: mean 0, σ 0.1
    for k in 0..2 {
        assert!(r.mean[k].abs() < 0.02, "mean {}", r.mean[k]);
        assert!((r.sigma[k] - 0.1).abs() < 0.01, "sigma {}", r.sigma[k]);
    }
}

#[test]
fn correlated_gaussian_5d() {
    let Some(t) = truths() else { return };
    // same evidence as the isotropic case while it stays inside the box (normalised: 0)
    let truth = common::num(&t["gaussian_in_box"]["cases"][1]["lnZ_normalised_likelihood"]);
    let p = GaussianBox::correlated(5, 0.02, 0.9, 0.5, 0.1);
    let r = run(&p, &opts(2)).unwrap();
    check("correlated gaussian D=5", &r, truth, 0.1);
}

#[test]
fn gaussian_in_a_box_10d() {
    let Some(t) = truths() else { return };
    let truth = common::num(&t["gaussian_in_box"]["cases"][2]["lnZ_normalised_likelihood"]);
    let p = GaussianBox::isotropic(10, 0.02, 0.5);
    let r = run(&p, &opts(3)).unwrap();
    check("gaussian D=10", &r, truth, 0.1);
}

#[test]
fn gaussian_shells_2d_and_5d() {
    let Some(t) = truths() else { return };
    let z = &t["gaussian_shells"]["lnZ_by_dimension"];
    let r = run(&Shells { d: 2 }, &opts(4)).unwrap();
    check("shells D=2", &r, common::num(&z["2"]), 0.1);
    let r = run(&Shells { d: 5 }, &opts(5)).unwrap();
    check("shells D=5", &r, common::num(&z["5"]), 0.4);
}

#[test]
fn egg_box() {
    let Some(t) = truths() else { return };
    let truth = common::num(&t["egg_box"]["lnZ"]);
    let r = run(&EggBox, &opts(6)).unwrap();
    check("egg-box", &r, truth, 0.1);
}

#[test]
fn likelihood_minus_infinity_everywhere_is_an_error() {
    let err = run(&Nowhere, &opts(1)).unwrap_err();
    assert!(err.message().contains("-inf"), "{err}");
}

#[test]
fn bad_options_are_errors() {
    let p = GaussianBox::isotropic(2, 0.1, 5.0);
    for o in [
        NestedOptions {
            nlive: 3,
            ..opts(1)
        },
        NestedOptions {
            efficiency: 0.0,
            ..opts(1)
        },
        NestedOptions {
            labels: vec!["a".into()],
            ..opts(1)
        },
        NestedOptions {
            max_iter: Some(0),
            ..opts(1)
        },
    ] {
        assert!(run(&p, &o).is_err());
    }
}

#[test]
fn max_iter_cap_is_reported() {
    let dir = tmp("maxiter");
    let p = GaussianBox::isotropic(2, 0.1, 5.0);
    let o = NestedOptions {
        max_iter: Some(300),
        savepath: Some(dir.clone()),
        ..opts(1)
    };
    let r = run(&p, &o).unwrap();
    assert!(r.hit_max_iter && r.niter == 300);
    assert!(r.warnings.iter().any(|w| w.contains("max_iter")));
    assert!(dir.join("1-max_iter_warning.txt").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_nested_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn same_seed_same_output_with_one_and_two_threads() {
    let p = Shells { d: 2 };
    let mut outputs = Vec::new();
    for threads in [1, 2] {
        let dir = tmp(&format!("threads{threads}"));
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let o = NestedOptions {
            savepath: Some(dir.clone()),
            ..opts(11)
        };
        let r = pool.install(|| run(&p, &o)).unwrap();
        outputs.push((r, common::dir_files(&dir)));
        let _ = std::fs::remove_dir_all(&dir);
    }
    assert_eq!(
        outputs[0].0, outputs[1].0,
        "results differ between 1 and 2 threads"
    );
    assert_eq!(
        outputs[0].1, outputs[1].1,
        "files differ between 1 and 2 threads"
    );
    let names: Vec<&str> = outputs[0].1.iter().map(|f| f.0.as_str()).collect();
    for f in [
        "1-.txt",
        "1-post_equal_weights.dat",
        "1-stats.dat",
        "1-summary.txt",
        "1-ev.dat",
        "1-phys_live.points",
        "1-live.points",
        "1-resume.json",
        "1-posterior_sample.txt",
        "1-nlive.json",
        "1-posterior_stats.json",
    ] {
        assert!(names.contains(&f), "missing {f}");
    }
}

/// Counts likelihood calls.
struct Counting<P> {
    inner: P,
    calls: AtomicU64,
}

impl<P: Problem> Problem for Counting<P> {
    fn ndim(&self) -> usize {
        self.inner.ndim()
    }
    fn prior_transform(&self, u: &[f64], t: &mut [f64]) {
        self.inner.prior_transform(u, t)
    }
    fn logprior(&self, t: &[f64]) -> f64 {
        self.inner.logprior(t)
    }
    fn loglike(&self, t: &[f64]) -> f64 {
        self.calls.fetch_add(1, Ordering::Relaxed);
        self.inner.loglike(t)
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        self.inner.start_ranges()
    }
}

#[test]
fn resume_of_finished_and_interrupted_runs() {
    let p = Counting {
        inner: GaussianBox::isotropic(3, 0.05, 1.0),
        calls: AtomicU64::new(0),
    };
    let dir = tmp("resume");
    let o = NestedOptions {
        savepath: Some(dir.clone()),
        ..opts(21)
    };
    let full = run(&p, &o).unwrap();
    assert_eq!(p.calls.load(Ordering::Relaxed), full.ncall);
    let files = common::dir_files(&dir);

    // a finished run is re-read without likelihood calls, giving the same outputs
    let mut again = run(&p, &o).unwrap();
    assert_eq!(p.calls.load(Ordering::Relaxed), full.ncall, "no new calls");
    assert_eq!(
        again.resumed_from.take(),
        Some(dir.clone()),
        "says it was resumed"
    );
    assert_eq!(again, full);
    assert_eq!(common::dir_files(&dir), files);

    // an interrupted run continues to the same result
    let dir2 = tmp("resume2");
    let o2 = NestedOptions {
        savepath: Some(dir2.clone()),
        pause_after: Some(777),
        ..opts(21)
    };
    let part = run(&p, &o2).unwrap();
    assert!(!part.finished && part.niter == 777);
    let o3 = NestedOptions {
        pause_after: None,
        ..o2.clone()
    };
    let mut resumed = run(&p, &o3).unwrap();
    assert_eq!(resumed.resumed_from.take(), Some(dir2.clone()));
    assert_eq!(
        resumed, full,
        "resumed run differs from the uninterrupted one"
    );

    // a different problem is refused
    let other = NestedOptions {
        labels: vec!["a".into(), "b".into(), "c".into()],
        ..o3.clone()
    };
    let err = run(&p, &other).unwrap_err();
    assert!(err.message().contains("cannot resume"), "{err}");
    // resume: false starts over
    let fresh = run(
        &p,
        &NestedOptions {
            resume: false,
            ..o3
        },
    )
    .unwrap();
    assert_eq!(fresh, full);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_dir_all(&dir2);
}

#[test]
fn output_files_have_the_multinest_layout() {
    let p = GaussianBox::isotropic(2, 0.1, 5.0);
    let dir = tmp("layout");
    let r = run(
        &p,
        &NestedOptions {
            savepath: Some(dir.clone()),
            ..opts(31)
        },
    )
    .unwrap();
    let stats = std::fs::read_to_string(dir.join("1-stats.dat")).unwrap();
    let first = stats.lines().next().unwrap();
    assert!(first.starts_with("Nested Sampling Global Log-Evidence           :"));
    let nums: Vec<f64> = first[47..]
        .split("+/-")
        .map(|s| s.trim().parse().unwrap())
        .collect();
    assert!((nums[0] - r.ln_z_ns).abs() < 1e-15 * r.ln_z_ns.abs().max(1.0));
    assert!(stats.contains("Nested Importance Sampling Global Log-Evidence:"));
    assert!(stats.contains("MAP Parameters"));
    // equal-weight file: D + 1 columns, one row per sample
    let eq = std::fs::read_to_string(dir.join("1-post_equal_weights.dat")).unwrap();
    assert_eq!(eq.lines().count(), r.draws.len());
    let row: Vec<f64> = eq
        .lines()
        .next()
        .unwrap()
        .split_whitespace()
        .map(|s| s.parse().unwrap())
        .collect();
    assert_eq!(row.len(), 3);
    assert!((row[2] - r.draws.loglike[0]).abs() < 1e-15 * row[2].abs());
    // summary: 4D+4 then 4D+2 values
    let summary = std::fs::read_to_string(dir.join("1-summary.txt")).unwrap();
    let counts: Vec<usize> = summary
        .lines()
        .map(|l| l.split_whitespace().count())
        .collect();
    assert_eq!(counts, vec![12, 10]);
    // posterior stats JSON keys
    let ps: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("1-posterior_stats.json")).unwrap())
            .unwrap();
    assert_eq!(ps["global evidence"].as_f64().unwrap(), r.ln_z);
    let m = &ps["marginals"][0];
    assert!(m["1sigma"][0].as_f64().unwrap() < m["median"].as_f64().unwrap());
    assert!((m["sigma"].as_f64().unwrap() - 0.1).abs() < 0.015);
    // the analysed sample: header + D + 1 columns
    let post = std::fs::read_to_string(dir.join("1-posterior_sample.txt")).unwrap();
    assert!(post.starts_with("# p1 p2 logprob\n"));
    assert_eq!(
        std::fs::read_to_string(dir.join("1-nlive.json"))
            .unwrap()
            .trim(),
        "400"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// Slow: the evidence error is honest over several seeds (run with --ignored); 40 seeds, as
/// 20 let one unlucky draw of the seeds decide (tests/nested_calibration.rs sweeps more
/// problems).
#[test]
#[ignore]
fn evidence_error_is_honest_over_seeds() {
    let p = GaussianBox::correlated(5, 0.02, 0.9, 0.5, 0.1);
    let mut dev = Vec::new();
    for seed in 0..40 {
        let r = run(
            &p,
            &NestedOptions {
                ins: false,
                ..opts(100 + seed)
            },
        )
        .unwrap();
        dev.push(r.ln_z_ns / r.ln_z_ns_err);
    }
    let mean = dev.iter().sum::<f64>() / dev.len() as f64;
    let rms = (dev.iter().map(|d| d * d).sum::<f64>() / dev.len() as f64).sqrt();
    println!("standardised deviations: mean {mean:.3}, rms {rms:.3}");
    assert!(mean.abs() < 3.0 / (dev.len() as f64).sqrt());
    assert!(rms > 0.5 && rms < 1.5);
}
