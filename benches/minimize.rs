//! Benchmarks of the maximum-likelihood machinery on the reference test problems
//! (`tests/minimize_problems`): MIGRAD+HESSE, MIGRAD+HESSE+MINOS, Levenberg–Marquardt and the
//! bootstrap sample.

#[path = "../tests/minimize_problems/mod.rs"]
mod minimize_problems;

use std::hint::black_box;

use bayspec::sample::minimize::{
    bootstrap_sample, levenberg_marquardt, minuit_fit, BootstrapOptions, LmOptions, MinuitOptions,
};
use criterion::{criterion_group, criterion_main, Criterion};
use minimize_problems::*;

fn bench_minimize(c: &mut Criterion) {
    let cpl = Cpl::new();
    let stat = |p: &[f64]| cpl.stat(p);
    c.bench_function("cpl_cash_120bins_migrad_hesse", |b| {
        b.iter(|| {
            minuit_fit(
                &stat,
                &CPL_BOUNDS,
                black_box(&CPL_START),
                &MinuitOptions::default(),
            )
            .unwrap()
        })
    });
    let with_minos = MinuitOptions {
        run_minos: true,
        ..MinuitOptions::default()
    };
    c.bench_function("cpl_cash_120bins_migrad_hesse_minos", |b| {
        b.iter(|| minuit_fit(&stat, &CPL_BOUNDS, black_box(&CPL_START), &with_minos).unwrap())
    });
    c.bench_function("cpl_cash_120bins_statistic", |b| {
        b.iter(|| stat(black_box(&CPL_START)))
    });
    let free = [(f64::NEG_INFINITY, f64::INFINITY); 3];
    c.bench_function("decay_50pts_levenberg_marquardt", |b| {
        b.iter(|| {
            levenberg_marquardt(
                &decay_residuals,
                50,
                &free,
                black_box(&[1.0, 1.0, 0.0]),
                &LmOptions::default(),
            )
            .unwrap()
        })
    });
    let fit = minuit_fit(&stat, &CPL_BOUNDS, &CPL_START, &MinuitOptions::default()).unwrap();
    c.bench_function("bootstrap_sample_1000x3", |b| {
        b.iter(|| {
            bootstrap_sample(
                black_box(&fit.x),
                Some(&fit.covariance),
                &fit.errors,
                &CPL_BOUNDS,
                &BootstrapOptions::default(),
            )
            .unwrap()
        })
    });
}

criterion_group!(benches, bench_minimize);
criterion_main!(benches);
