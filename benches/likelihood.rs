//! The quickstart likelihood (ME 8–900 keV + HE 300–38000 keV, pgstat) with cpl and band.

use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("data/grb").is_dir().then_some(dir)
}

fn bench(c: &mut Criterion) {
    let Some(dir) = shared() else {
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
