//! The quickstart likelihood (ME 8–900 keV + HE 300–38000 keV, pgstat) with cpl and band.

use bayspec::data::{Data, DataUnit, DataUnitOptions};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;
use std::path::PathBuf;

fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("data/grb").is_dir().then_some(dir)
}

fn unit(dir: &std::path::Path, det: &str, lo: f64, hi: f64) -> DataUnit {
    let f = |ext: &str| {
        dir.join(format!("data/grb/{det}.{ext}"))
            .display()
            .to_string()
    };
    DataUnit::new(DataUnitOptions {
        src: Some(f("src").into()),
        bkg: Some(f("bkg").into()),
        rsp: Some(f("rsp").into()),
        notc: Some(vec![[lo, hi]]),
        stat: Some("pgstat".into()),
        ..Default::default()
    })
    .expect("unit")
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
        let data = Data::from_pairs(vec![
            ("nai".into(), unit(&dir, "me", 8.0, 900.0)),
            ("bgo".into(), unit(&dir, "he", 300.0, 38000.0)),
        ])
        .unwrap();
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
