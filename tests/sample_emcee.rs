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
    let n = r.draws.len() as f64;
    let mut mean = vec![0.0; d];
    for s in r.draws.samples.rows() {
        for k in 0..d {
            mean[k] += s[k] / n;
        }
    }
    let mut cov = vec![vec![0.0; d]; d];
    for s in r.draws.samples.rows() {
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
    assert_eq!(r.draws.len(), (2500 - 300) * 32);
    let acc = r.acceptance_fraction.iter().sum::<f64>() / 32.0;
    assert!(acc > 0.3 && acc < 0.9, "acceptance {acc}");
    assert!(r.autocorr_reliable, "tau {:?}", r.autocorr_time);
    let (mean, cov) = moments(&r);
    // standard error of the mean from the integrated autocorrelation time
    let n = r.draws.len() as f64;
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
    assert!((r.draws.loglike[0] - r.draws.logprob[0]).abs() < 1e-12);
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
    let n = r.draws.len() as f64;
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
    assert_eq!(cont.draws, full.draws);
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

/// A Gaussian (σ = 0.1 at the origin) for x < 1, a deep valley for 1 ≤ x < 5 and a flat plateau
/// for x ≥ 5, in the box [−10, 10]²: a walker that starts on the plateau only ever proposes
/// points in the valley or on the plateau, so plain stretch moves strand it there.
struct Trap;

impl bayspec::sample::Problem for Trap {
    fn ndim(&self) -> usize {
        2
    }
    fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        for (t, u) in theta.iter_mut().zip(u) {
            *t = -10.0 + 20.0 * u;
        }
    }
    fn logprior(&self, theta: &[f64]) -> f64 {
        if theta.iter().all(|t| (-10.0..=10.0).contains(t)) {
            -(400f64.ln())
        } else {
            f64::NEG_INFINITY
        }
    }
    fn loglike(&self, theta: &[f64]) -> f64 {
        let (x, y) = (theta[0], theta[1]);
        if x < 1.0 {
            -0.5 * (x * x + y * y) / 0.01
        } else if x < 5.0 {
            -1e9
        } else {
            -1000.0
        }
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(-10.0, 10.0); 2]
    }
}

#[test]
fn stranded_walkers_are_restarted_during_burn_in() {
    let o = |restart_stranded| EmceeOptions {
        nstep: 3000,
        discard: 1000,
        start: None,
        restart_stranded,
        ..opts(5)
    };
    let plain = run(&Trap, &o(false)).unwrap();
    let on_plateau = plain
        .draws
        .samples
        .rows()
        .into_iter()
        .filter(|s| s[0] >= 5.0)
        .count();
    assert!(on_plateau > 0, "some walkers start and stay on the plateau");
    assert!(plain.warnings.iter().any(|w| w.contains("stayed stranded")));
    let (mean, _) = moments(&plain);
    assert!(mean[0] > 0.5, "the plateau biases x: {}", mean[0]);

    let fixed = run(&Trap, &o(true)).unwrap();
    assert!(
        fixed.draws.samples.rows().into_iter().all(|s| s[0] < 1.0),
        "no walker left outside the Gaussian"
    );
    assert!(fixed.warnings.iter().any(|w| w.contains("restarted")));
    let (mean, cov) = moments(&fixed);
    // 64 000 draws with τ ≈ 30: σ of the mean ≈ 0.1·√(30/64000) ≈ 0.002
    for k in 0..2 {
        assert!(mean[k].abs() < 0.012, "mean {k}: {}", mean[k]);
        assert!(
            (cov[k][k] / 0.01 - 1.0).abs() < 0.15,
            "var {k}: {}",
            cov[k][k]
        );
    }
}

/// A chain archive without its log-probabilities takes them from `1-logprob.dat`, only as many
/// rows as the chain has steps even when the table is longer.
#[test]
fn resume_takes_only_the_chains_rows_of_a_longer_logprob_table() {
    let p = GaussianBox::correlated(3, 0.02, 0.5, 0.5, 0.0);
    let dir = tmp("resume-logprob-table");
    let base = EmceeOptions {
        nstep: 400,
        discard: 100,
        start: Some(vec![0.01; 3]),
        savepath: Some(dir.clone()),
        ..opts(9)
    };
    let full = run(&p, &base).unwrap();
    // keep the first 250 steps of the chain, drop the archive's log-probabilities, and leave
    // 1-logprob.dat 400 rows long with rows past the chain's end that no run wrote
    let table = std::fs::read_to_string(dir.join("1-logprob.dat")).unwrap();
    let mut lines: Vec<String> = table.lines().take(250).map(String::from).collect();
    let stale = vec!["-1.0"; full.nwalkers].join(" ");
    lines.extend(std::iter::repeat_n(stale, 150));
    std::fs::write(dir.join("1-logprob.dat"), lines.join("\n") + "\n").unwrap();
    let first = full.chain.slice(ndarray::s![..250, .., ..]).to_owned();
    let mut npz = ndarray_npy::NpzWriter::new(std::fs::File::create(dir.join("1-.npz")).unwrap());
    npz.add_array("chain", &first).unwrap();
    npz.finish().unwrap();
    let cont = run(&p, &base).unwrap();
    assert_eq!(cont.nstep, 400);
    assert_eq!(cont.chain, full.chain);
    assert_eq!(cont.logprob, full.logprob);
    let _ = std::fs::remove_dir_all(&dir);
}
