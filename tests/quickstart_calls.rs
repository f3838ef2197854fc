//! Likelihood calls of nested sampling on the quickstart problem (issue 17): the reference's
//! MultiNest run took 12 312 calls at nlive 400, efr 0.3.
//!
//! ```text
//! cargo test --release --test quickstart_calls -- --ignored --nocapture
//! ```
//!
//! `BAYSPEC_QUICKSTART_SEEDS=5` sets the number of seeds (default 5).

mod common;

use bayspec::infer::InferKind;
use bayspec::sample::nested::{self, NestedOptions};
use std::time::Instant;

#[test]
#[ignore]
fn quickstart_likelihood_calls() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let plan = common::grb::quickstart(&dir, InferKind::Bayes)
        .0
        .compile()
        .unwrap();
    let nseeds: u64 = std::env::var("BAYSPEC_QUICKSTART_SEEDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(5);
    let (mut calls, mut secs) = (0u64, 0.0);
    for seed in 1..=nseeds {
        let opts = NestedOptions {
            nlive: 400,
            savepath: None,
            seed: Some(seed),
            progress: false,
            ..Default::default()
        };
        let t0 = Instant::now();
        let r = nested::run(&plan, &opts).unwrap();
        let dt = t0.elapsed().as_secs_f64();
        calls += r.ncall;
        secs += dt;
        println!(
            "seed {seed}: {} calls, {} iterations, lnZ {:.3} ± {:.3} (NS {:.3} ± {:.3}), {dt:.2} s",
            r.ncall, r.niter, r.ln_z, r.ln_z_err, r.ln_z_ns, r.ln_z_ns_err
        );
    }
    println!(
        "mean: {:.0} calls, {:.2} s per run",
        calls as f64 / nseeds as f64,
        secs / nseeds as f64
    );
}
