//! Model evaluation benchmarks: cpl, band, sbpl and bb integrated over 128 photon bins (5 points each)
//! and evaluated on 1000 energies, through the compiled hot path.

use std::hint::black_box;

use bayspec::model::{Model, Workspace};
use criterion::{criterion_group, criterion_main, Criterion};

fn log_grid(n: usize, lo: f64, hi: f64) -> Vec<f64> {
    (0..n)
        .map(|i| lo * (hi / lo).powf(i as f64 / (n - 1) as f64))
        .collect()
}

fn bench_models(c: &mut Criterion) {
    let edges = log_grid(129, 8.0, 40000.0);
    let (lo, hi) = (&edges[..128], &edges[1..]);
    let energies = log_grid(1000, 1.0, 1e4);
    for name in ["cpl", "band", "sbpl", "bb"] {
        let m = Model::builtin(name).expect("built-in model");
        let cm = m.compile().expect("compile");
        let mut pars = m.par_values();
        let mut ws = Workspace::new();
        let mut flux = vec![0.0; 128];
        let mut out = vec![0.0; 1000];
        let mut k = 0usize;
        c.bench_function(&format!("{name} integrate 128 bins x 5 points"), |b| {
            b.iter(|| {
                // vary alpha a little so nothing can be hoisted
                k = (k + 1) % 64;
                pars[0] = -1.0 + 1e-3 * k as f64;
                cm.integrate_bins(black_box(&pars), lo, hi, None, &mut flux, &mut ws)
                    .expect("integrate");
                black_box(&flux);
            })
        });
        let mut ws2 = Workspace::new();
        c.bench_function(&format!("{name} eval 1000 energies"), |b| {
            b.iter(|| {
                k = (k + 1) % 64;
                pars[0] = -1.0 + 1e-3 * k as f64;
                cm.eval(black_box(&pars), &energies, None, &mut out, &mut ws2)
                    .expect("eval");
                black_box(&out);
            })
        });
    }
}

criterion_group!(benches, bench_models);
criterion_main!(benches);
