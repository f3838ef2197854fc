//! The quickstart likelihood (ME 8–900 keV + HE 300–38000 keV, pgstat) with cpl and band, and
//! an X-ray one: Chandra ACIS 3C 273 (0.5–7 keV, cstat with its background) with tbabs·pl.

use bayspec::data::{Data, DataUnit, DataUnitOptions};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};
use std::hint::black_box;

fn bench(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
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

fn bench_xray(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
        return;
    };
    let ch = |f: &str| dir.join("data/chandra").join(f).display().to_string();
    let unit = DataUnit::new(DataUnitOptions {
        src: Some(ch("3c273.pi").into()),
        bkg: Some(ch("3c273_bg.pi").into()),
        rmf: Some(ch("3c273.rmf").into()),
        arf: Some(ch("3c273.arf").into()),
        notc: Some(vec![[0.5, 7.0]]),
        stat: Some("cstat".into()),
        ..Default::default()
    })
    .unwrap();
    let data = Data::from_pairs(vec![("acis".to_string(), unit)]).unwrap();
    let model = Model::combine(
        &Model::builtin("tbabs").unwrap(),
        bayspec::model::Op::Mul,
        &Model::builtin("pl").unwrap(),
    )
    .unwrap();
    let infer = Infer::new(InferKind::Bayes, vec![Pair::new(data, model).unwrap()]).unwrap();
    let plan = infer.compile().unwrap();
    let theta = plan.start.clone();
    assert!(plan.loglike(&theta).is_finite());
    c.bench_function("chandra 3c273 loglike tbabs*pl cstat", |b| {
        b.iter(|| plan.loglike(black_box(&theta)))
    });
}

criterion_group!(benches, bench, bench_xray);
criterion_main!(benches);
