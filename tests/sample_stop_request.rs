//! A stop request (the REPL's Ctrl-C) ends a running sampler at its next iteration with an
//! error that says where its state was saved; resuming from there gives the same result as a
//! run that was never stopped. One test in its own binary: the request is process-wide.

mod sample_problems;

use bayspec::sample::emcee::{self, EmceeOptions};
use bayspec::sample::nested::{self, NestedOptions};
use bayspec::sample::problem::Problem;
use sample_problems::GaussianBox;
use std::sync::atomic::{AtomicUsize, Ordering};

/// A problem that asks for a stop after `after` likelihood calls (as Ctrl-C would).
struct StopAfter<P> {
    inner: P,
    calls: AtomicUsize,
    after: usize,
}

impl<P: Problem> Problem for StopAfter<P> {
    fn ndim(&self) -> usize {
        self.inner.ndim()
    }
    fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        self.inner.prior_transform(u, theta)
    }
    fn logprior(&self, theta: &[f64]) -> f64 {
        self.inner.logprior(theta)
    }
    fn loglike(&self, theta: &[f64]) -> f64 {
        if self.calls.fetch_add(1, Ordering::SeqCst) + 1 == self.after {
            bayspec::notice::request_stop();
        }
        self.inner.loglike(theta)
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        self.inner.start_ranges()
    }
}

fn tmp(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_stop_{name}_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

#[test]
fn a_stop_request_saves_and_the_run_resumes_to_the_same_result() {
    // nested sampling
    let problem = GaussianBox::isotropic(3, 0.1, 1.0);
    let dir = tmp("nested");
    let opts = NestedOptions {
        nlive: 200,
        seed: Some(5),
        savepath: Some(dir.clone()),
        resume: true,
        progress: false,
        ..Default::default()
    };
    let stopping = StopAfter {
        inner: GaussianBox::isotropic(3, 0.1, 1.0),
        calls: AtomicUsize::new(0),
        after: 1500,
    };
    let e = nested::run(&stopping, &opts).unwrap_err().to_string();
    assert!(
        e.contains("stopped by request") && e.contains(&dir.display().to_string()),
        "{e}"
    );
    assert!(
        !bayspec::notice::stop_requested(),
        "the request is consumed"
    );
    let resumed = nested::run(&problem, &opts).unwrap();
    assert!(resumed.resumed_from.is_some());
    let fresh = nested::run(
        &problem,
        &NestedOptions {
            savepath: None,
            ..opts.clone()
        },
    )
    .unwrap();
    assert_eq!(resumed.ln_z.to_bits(), fresh.ln_z.to_bits());
    assert_eq!(resumed.draws, fresh.draws);

    // emcee
    let dir = tmp("emcee");
    let eopts = EmceeOptions {
        nstep: 600,
        discard: 100,
        seed: Some(6),
        savepath: Some(dir.clone()),
        resume: true,
        progress: false,
        start: Some(vec![0.0; 3]),
        ..Default::default()
    };
    let stopping = StopAfter {
        inner: GaussianBox::isotropic(3, 0.1, 1.0),
        calls: AtomicUsize::new(0),
        after: 32 * 250,
    };
    let e = emcee::run(&stopping, &eopts).unwrap_err().to_string();
    assert!(
        e.contains("emcee stopped by request") && e.contains("saved"),
        "{e}"
    );
    let resumed = emcee::run(&problem, &eopts).unwrap();
    let fresh = emcee::run(
        &problem,
        &EmceeOptions {
            savepath: None,
            ..eopts.clone()
        },
    )
    .unwrap();
    assert_eq!(resumed.draws, fresh.draws);
}
