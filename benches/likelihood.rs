//! The quickstart likelihood (ME 8–900 keV + HE 300–38000 keV, pgstat) with cpl and band.

use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
        eprintln!("skipped: no test data");
        return;
    };
    for (name, theta) in [
        ("cpl", vec![-1.56, 2.33, 2.35]),
        ("band", vec![-1.0, -2.5, 2.3, -1.0]),
    ] {
        let data = grb::quickstart_data(&dir);
        let model = Model::builtin(name).unwrap();
        let infer = Infer::new(InferKind::Bayes, vec![Pair::new(data, model).unwrap()]).unwrap();
        let plan = infer.compile().unwrap();
        assert_eq!(plan.ndim(), theta.len());
        c.bench_function(&format!("quickstart loglike {name}"), |b| {
            b.iter(|| plan.loglike(black_box(&theta)))
        });
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
