//! Benchmark: a nested-sampling run (nlive 400, INS on, no files) on a cheap 3-D correlated
//! Gaussian likelihood, and an emcee run of 1000 steps.

use bayspec::sample::emcee::{self, EmceeOptions};
use bayspec::sample::nested::{self, NestedOptions};
use bayspec::sample::Problem;
use criterion::{criterion_group, criterion_main, Criterion};

/// Correlated Gaussian (ρ = 0.8, σ = 0.01) in the unit cube.
struct Cheap;

impl Problem for Cheap {
    fn ndim(&self) -> usize {
        3
    }
    fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        theta.copy_from_slice(u)
    }
    fn logprior(&self, t: &[f64]) -> f64 {
        if t.iter().all(|v| (0.0..=1.0).contains(v)) {
            0.0
        } else {
            f64::NEG_INFINITY
        }
    }
    fn loglike(&self, t: &[f64]) -> f64 {
        let (s2, rho) = (1e-4, 0.8);
        let x: Vec<f64> = t.iter().map(|v| v - 0.5).collect();
        let sum: f64 = x.iter().sum();
        let sq: f64 = x.iter().map(|v| v * v).sum();
        let c = rho / (1.0 - rho + 3.0 * rho);
        -0.5 * (sq - c * sum * sum) / (s2 * (1.0 - rho))
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(0.0, 1.0); 3]
    }
}

fn bench(c: &mut Criterion) {
    let mut g = c.benchmark_group("samplers");
    g.sample_size(10);
    g.bench_function("nested_nlive400_d3", |b| {
        b.iter(|| {
            let o = NestedOptions {
                nlive: 400,
                savepath: None,
                seed: Some(1),
                progress: false,
                ..Default::default()
            };
            nested::run(&Cheap, &o).unwrap()
        })
    });
    g.bench_function("emcee_1000_steps_d3", |b| {
        b.iter(|| {
            let o = EmceeOptions {
                savepath: None,
                seed: Some(1),
                progress: false,
                start: Some(vec![0.5; 3]),
                ..Default::default()
            };
            emcee::run(&Cheap, &o).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
