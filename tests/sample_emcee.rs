//! emcee on analytic Gaussian posteriors; thread-count independence, resume and its checks.

mod sample_problems;

use bayspec::sample::emcee::{run, EmceeOptions, EmceeResult};
use sample_problems::GaussianBox;

fn opts(seed: u64) -> EmceeOptions {
    EmceeOptions {
        nstep: 1500,
        discard: 300,
        savepath: None,
        seed: Some(seed),
        progress: false,
        ..Default::default()
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_emcee_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn moments(r: &EmceeResult) -> (Vec<f64>, Vec<Vec<f64>>) {
    let d = r.ndim;
    let n = r.samples.len() as f64;
    let mut mean = vec![0.0; d];
    for s in &r.samples {
        for k in 0..d {
            mean[k] += s[k] / n;
        }
    }
    let mut cov = vec![vec![0.0; d]; d];
    for s in &r.samples {
        for i in 0..d {
            for j in 0..d {
                cov[i][j] += (s[i] - mean[i]) * (s[j] - mean[j]) / n;
            }
        }
    }
    (mean, cov)
}

#[test]
fn correlated_gaussian_moments() {
    // Σ = σ²[(1 − ρ)I + ρ11ᵀ], σ = 0.02, ρ = 0.9, centre 0.1, D = 3, well inside the box
    let (sigma, rho, centre) = (0.02, 0.9, 0.1);
    let p = GaussianBox::correlated(3, sigma, rho, 0.5, centre);
    let o = EmceeOptions {
        nstep: 2500,
        start: Some(vec![0.0; 3]),
        ..opts(7)
    };
    let r = run(&p, &o).unwrap();
    assert_eq!(r.nwalkers, 32);
    assert_eq!(r.samples.len(), (2500 - 300) * 32);
    let acc = r.acceptance_fraction.iter().sum::<f64>() / 32.0;
    assert!(acc > 0.3 && acc < 0.9, "acceptance {acc}");
    assert!(r.autocorr_reliable, "tau {:?}", r.autocorr_time);
    let (mean, cov) = moments(&r);
    // standard error of the mean from the integrated autocorrelation time
    let n = r.samples.len() as f64;
    for k in 0..3 {
        let se = sigma * (r.autocorr_time[k] / n).sqrt();
        assert!(
            (mean[k] - centre).abs() < 5.0 * se,
            "mean {k}: {} (se {se})",
            mean[k]
        );
        // variance: relative error ≈ √(2τ/n)
        let rel = (2.0 * r.autocorr_time[k] / n).sqrt();
        assert!(
            (cov[k][k] / (sigma * sigma) - 1.0).abs() < 5.0 * rel,
            "var {k}: {}",
            cov[k][k]
        );
        for j in 0..k {
            let corr = cov[k][j] / (cov[k][k] * cov[j][j]).sqrt();
            assert!((corr - rho).abs() < 0.03, "corr {k}{j}: {corr}");
        }
    }
    // log-likelihood = log-probability − log-prior (uniform box of width 1: log-prior 0)
    assert!((r.samples_loglike[0] - r.samples_logprob[0]).abs() < 1e-12);
}

#[test]
fn start_from_the_prior_ranges() {
    let p = GaussianBox::isotropic(2, 0.5, 5.0);
    let r = run(
        &p,
        &EmceeOptions {
            nstep: 1200,
            discard: 200,
            ..opts(3)
        },
    )
    .unwrap();
    let (mean, cov) = moments(&r);
    let n = r.samples.len() as f64;
    for k in 0..2 {
        let se = 0.5 * (r.autocorr_time[k] / n).sqrt();
        assert!(mean[k].abs() < 5.0 * se, "mean {}", mean[k]);
        assert!((cov[k][k] / 0.25 - 1.0).abs() < 0.15, "var {}", cov[k][k]);
    }
}

#[test]
fn same_seed_same_chain_with_one_and_two_threads() {
    let p = GaussianBox::correlated(3, 0.02, 0.5, 0.5, 0.0);
    let mut out = Vec::new();
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .unwrap();
        let o = EmceeOptions {
            nstep: 200,
            discard: 50,
            start: Some(vec![0.01; 3]),
            ..opts(5)
        };
        out.push(pool.install(|| run(&p, &o)).unwrap());
    }
    assert_eq!(out[0], out[1]);
}

#[test]
fn resume_continues_exactly_and_checks_the_problem() {
    let p = GaussianBox::correlated(3, 0.02, 0.5, 0.5, 0.0);
    let dir = tmp("resume");
    let base = EmceeOptions {
        nstep: 400,
        discard: 100,
        start: Some(vec![0.01; 3]),
        savepath: Some(dir.clone()),
        ..opts(9)
    };
    let full = run(
        &p,
        &EmceeOptions {
            savepath: None,
            ..base.clone()
        },
    )
    .unwrap();
    // a shorter chain, then continued to 400 steps
    let short = run(
        &p,
        &EmceeOptions {
            nstep: 250,
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!(short.nstep, 250);
    let cont = run(&p, &base).unwrap();
    assert_eq!(cont.chain, full.chain);
    assert_eq!(cont.logprob, full.logprob);
    assert_eq!(cont.samples, full.samples);
    for f in [
        "1-.npz",
        "1-logprob.dat",
        "1-emcee.json",
        "1-posterior_sample.txt",
        "1-nstep.json",
        "1-discard.json",
    ] {
        assert!(dir.join(f).exists(), "missing {f}");
    }
    // reuse of a longer chain with a smaller nstep: used as is
    let reused = run(
        &p,
        &EmceeOptions {
            nstep: 300,
            ..base.clone()
        },
    )
    .unwrap();
    assert_eq!(reused.nstep, 400);
    assert_eq!(reused.chain, full.chain);
    // other labels → refused; discard ≥ nstep → error
    let err = run(
        &p,
        &EmceeOptions {
            labels: vec!["a".into(), "b".into(), "c".into()],
            ..base.clone()
        },
    )
    .unwrap_err();
    assert!(err.message().contains("cannot resume"), "{err}");
    assert!(run(
        &p,
        &EmceeOptions {
            discard: 500,
            savepath: None,
            ..base.clone()
        }
    )
    .is_err());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn short_chain_warns_about_autocorrelation() {
    let p = GaussianBox::correlated(3, 0.02, 0.95, 0.5, 0.0);
    let r = run(
        &p,
        &EmceeOptions {
            nstep: 60,
            discard: 10,
            start: Some(vec![0.0; 3]),
            ..opts(1)
        },
    )
    .unwrap();
    assert!(!r.autocorr_reliable);
    assert!(r.warnings.iter().any(|w| w.contains("autocorrelation")));
}

#[test]
fn bad_options_are_errors() {
    let p = GaussianBox::isotropic(2, 0.1, 1.0);
    for o in [
        EmceeOptions {
            nwalkers: Some(3),
            ..opts(1)
        },
        EmceeOptions {
            nwalkers: Some(2),
            ..opts(1)
        },
        EmceeOptions {
            nstep: 0,
            ..opts(1)
        },
        EmceeOptions { thin: 0, ..opts(1) },
        EmceeOptions {
            start: Some(vec![0.0]),
            ..opts(1)
        },
        EmceeOptions {
            start: Some(vec![9.0, 9.0]),
            ..opts(1)
        },
    ] {
        assert!(run(&p, &o).is_err(), "{o:?}");
    }
}
