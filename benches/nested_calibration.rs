//! Nested sampling (nlive 400, INS on, no files, seed 1) on problems of the calibration suite
//! (tests/nested_calibration.rs): the 2-D egg-box (multimodal, modes cut by the prior's edges),
//! the 5-D Gaussian shells and the 10-D Gaussian. The likelihood calls and the evidences of
//! each run are printed once (they depend on the seed, not on the machine); criterion times
//! the runs.

#[path = "../tests/sample_problems/mod.rs"]
mod sample_problems;

use bayspec::sample::nested::{self, NestedOptions};
use bayspec::sample::Problem;
use criterion::{criterion_group, criterion_main, Criterion};
use sample_problems::{EggBox, GaussianBox, Shells};

fn opts() -> NestedOptions {
    NestedOptions {
        nlive: 400,
        savepath: None,
        seed: Some(1),
        progress: false,
        ..Default::default()
    }
}

fn bench(c: &mut Criterion) {
    let problems: Vec<(&str, Box<dyn Problem>)> = vec![
        ("eggbox_d2", Box::new(EggBox)),
        ("shells_d5", Box::new(Shells { d: 5 })),
        ("gauss_d10", Box::new(GaussianBox::isotropic(10, 0.02, 0.5))),
    ];
    let mut g = c.benchmark_group("nested_calibration");
    g.sample_size(10);
    for (name, p) in &problems {
        let r = nested::run(p.as_ref(), &opts()).unwrap();
        eprintln!(
            "{name}: {} likelihood calls, {} iterations, lnZ {:.4} ± {:.4} (NS {:.4} ± {:.4})",
            r.ncall, r.niter, r.ln_z, r.ln_z_err, r.ln_z_ns, r.ln_z_ns_err
        );
        g.bench_function(*name, |b| {
            b.iter(|| nested::run(p.as_ref(), &opts()).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
