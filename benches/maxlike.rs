//! The quickstart maximum-likelihood fit (ME 8–900 keV + HE 300–38000 keV, pgstat, cpl from
//! the defaults): `iminuit` (MIGRAD + HESSE + 1000-row bootstrap and its analysis), the same
//! with MINOS, and `lmfit`; then the minimisation alone (MIGRAD + HESSE, LM + covariance on
//! the compiled plan, no bootstrap) and one statistic evaluation, to tell the fit from the
//! 1000 likelihood evaluations of the bootstrap analysis. The Python lmfit fit takes 0.39 s on
//! the reference machine.

use bayspec::analyze::maxlike::{iminuit, lmfit, LmfitOptions, MinuitFitOptions};
use bayspec::infer::InferKind;
use bayspec::sample::minimize::{levenberg_marquardt, minuit_fit, LmOptions, MinuitOptions};
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
        return;
    };
    let (infer, _) = grb::quickstart(&dir, InferKind::MaxLike);
    let start = [-1.0, 2.0, 0.0];
    let mut g = c.benchmark_group("quickstart maxlike");
    g.sample_size(30);
    g.bench_function("iminuit", |b| {
        b.iter(|| {
            infer.set_free_values(&start).unwrap();
            iminuit(&infer, &MinuitFitOptions::default()).unwrap()
        })
    });
    g.bench_function("iminuit + minos", |b| {
        let opts = MinuitFitOptions {
            minos: true,
            ..Default::default()
        };
        b.iter(|| {
            infer.set_free_values(&start).unwrap();
            iminuit(&infer, &opts).unwrap()
        })
    });
    g.bench_function("lmfit", |b| {
        b.iter(|| {
            infer.set_free_values(&start).unwrap();
            lmfit(&infer, &LmfitOptions::default()).unwrap()
        })
    });
    let plan = infer.compile().unwrap();
    let ranges = infer.free_pranges().unwrap();
    g.bench_function("MIGRAD + HESSE only", |b| {
        let stat = |x: &[f64]| plan.stat(x);
        b.iter(|| minuit_fit(&stat, &ranges, &start, &MinuitOptions::default()).unwrap())
    });
    g.bench_function("LM + covariance only", |b| {
        let resid = |x: &[f64], out: &mut [f64]| plan.pseudo_residuals(x, out);
        b.iter(|| {
            levenberg_marquardt(
                &resid,
                plan.npoint(),
                &ranges,
                &start,
                &LmOptions::default(),
            )
            .unwrap()
        })
    });
    g.finish();
    let theta = [-1.56, 2.33, 2.35];
    c.bench_function("quickstart stat (one evaluation)", |b| {
        b.iter(|| plan.stat(black_box(&theta)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
