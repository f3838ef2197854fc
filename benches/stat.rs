//! Criterion benchmark: `pgstat` (and the other kernels) on one 128-bin unit.

use std::hint::black_box;

use bayspec::stat::{StatInputs, Statistic};
use criterion::{criterion_group, criterion_main, Criterion};

fn bench_stat(c: &mut Criterion) {
    let n = 128;
    // Deterministic, realistic-looking bins: source counts 0..60, background 0..40.
    let s: Vec<f64> = (0..n).map(|i| ((i * 37) % 61) as f64).collect();
    let b: Vec<f64> = (0..n).map(|i| ((i * 23) % 41) as f64).collect();
    let ss: Vec<f64> = s.iter().map(|v| v.sqrt()).collect();
    let sb: Vec<f64> = b.iter().map(|v| v.max(1.0).sqrt()).collect();
    let m: Vec<f64> = (0..n)
        .map(|i| 0.05 + 0.4 * ((i * 13) % 17) as f64 / 17.0)
        .collect();
    let (ts, tb) = ([100.0], [400.0]);
    let inp = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb);
    for stat in [
        Statistic::Pgstat,
        Statistic::Cstat,
        Statistic::Pstat,
        Statistic::Chi2,
    ] {
        inp.validate(stat).expect("valid bench inputs");
        c.bench_function(&format!("{}_128_bins", stat.name()), |bench| {
            bench.iter(|| stat.eval(black_box(&inp), black_box(&m)))
        });
    }
    let (mut cs, mut rs) = (vec![0.0; n], vec![0.0; n]);
    c.bench_function("pgstat_128_bins_eval_bins", |bench| {
        bench.iter(|| Statistic::Pgstat.eval_bins(black_box(&inp), black_box(&m), &mut cs, &mut rs))
    });
}

criterion_group!(benches, bench_stat);
criterion_main!(benches);
