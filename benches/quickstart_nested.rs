//! The quickstart nested-sampling run on the real GBM data (ME 8–900 keV + HE 300–38000 keV,
//! cpl, pgstat; nlive 400, INS on, no files, seed 1) — issue 6's benchmark. The likelihood
//! calls of the run are printed once (they depend on the seed, not on the machine).

use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use bayspec::sample::nested::{self, NestedOptions};
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
        eprintln!("skipped: no test data");
        return;
    };
    let data = grb::quickstart_data(&dir);
    let infer = Infer::new(
        InferKind::Bayes,
        vec![Pair::new(data, Model::builtin("cpl").unwrap()).unwrap()],
    )
    .unwrap();
    let plan = infer.compile().unwrap();
    let opts = NestedOptions {
        nlive: 400,
        savepath: None,
        seed: Some(1),
        progress: false,
        ..Default::default()
    };
    let r = nested::run(&plan, &opts).unwrap();
    eprintln!(
        "quickstart nested: {} likelihood calls, {} iterations, lnZ {:.3} ± {:.3}",
        r.ncall, r.niter, r.ln_z, r.ln_z_err
    );
    let mut g = c.benchmark_group("quickstart");
    g.sample_size(10);
    g.bench_function("nested_nlive400_ins", |b| {
        b.iter(|| nested::run(&plan, &opts).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
