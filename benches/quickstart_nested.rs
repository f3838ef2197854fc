//! The quickstart runs on the real GBM data (ME 8–900 keV + HE 300–38000 keV, cpl, pgstat):
//! nested sampling at nlive 400 (INS on, no files, seed 1 — issue 6's benchmark), the same with
//! a savepath (checkpoints and MultiNest-layout files), at nlive 3200 (the cost should grow
//! about linearly in nlive), and emcee with the script defaults (32 walkers × 1000 steps from a
//! MIGRAD fit) followed by its analysis (WAIC). The likelihood calls of each run are printed
//! once (they depend on the seed, not on the machine).

use bayspec::infer::InferKind;
use bayspec::sample::nested::{self, NestedOptions};
#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};

fn bench(c: &mut Criterion) {
    let Some(dir) = grb::shared_for_bench() else {
        return;
    };
    let (infer, _) = grb::quickstart(&dir, InferKind::Bayes);
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
    let out = std::env::temp_dir().join(format!("bayspec-bench-nested-{}", std::process::id()));
    let saving = NestedOptions {
        savepath: Some(out.clone()),
        resume: false,
        ..opts.clone()
    };
    let large = NestedOptions {
        nlive: 3200,
        ..opts.clone()
    };
    let r = nested::run(&plan, &large).unwrap();
    eprintln!(
        "quickstart nested nlive 3200: {} likelihood calls, {} iterations",
        r.ncall, r.niter
    );
    let mut emcee_opts = bayspec::script::samplers::emcee_options(
        rhai::Map::new(),
        infer.clean_free_indexed_plabels(),
        plan.start.clone(),
    )
    .unwrap();
    emcee_opts.seed = Some(1);
    emcee_opts.progress = false;
    let mut g = c.benchmark_group("quickstart");
    g.sample_size(10);
    g.bench_function("nested_nlive400_ins", |b| {
        b.iter(|| nested::run(&plan, &opts).unwrap())
    });
    g.bench_function("nested_nlive400_ins_savepath", |b| {
        b.iter(|| nested::run(&plan, &saving).unwrap())
    });
    g.bench_function("nested_nlive3200_ins", |b| {
        b.iter(|| nested::run(&plan, &large).unwrap())
    });
    g.bench_function("emcee_defaults_with_waic", |b| {
        b.iter(|| {
            let r = bayspec::sample::emcee::run(&plan, &emcee_opts).unwrap();
            let post = bayspec::analyze::Posterior::from_draws(&infer, &plan, &r).unwrap();
            post.waic().map(|w| w.deviance)
        })
    });
    g.finish();
    let _ = std::fs::remove_dir_all(&out);
}

criterion_group!(benches, bench);
criterion_main!(benches);
