//! Evaluate the quickstart likelihood (the `likelihood` benchmark's setup) N times, for
//! instruction-count profiling: `valgrind --tool=callgrind --toggle-collect='*Plan*stat*'
//! target/release/examples/profile_likelihood cpl 1000`.
//!
//! Arguments: model name (`cpl` or `band`, default `cpl`) and number of evaluations
//! (default 1000). Needs the shared data (`BAYSPEC_TEST_DATA` or `../shared`).

use bayspec::data::{Data, DataUnit, DataUnitOptions};
use bayspec::error::Result;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use std::path::{Path, PathBuf};

fn unit(dir: &Path, det: &str, lo: f64, hi: f64) -> Result<DataUnit> {
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
}

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "cpl".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let theta = match name.as_str() {
        "band" => vec![-1.0, -2.5, 2.3, -1.0],
        _ => vec![-1.56, 2.33, 2.35],
    };
    let data = Data::from_pairs(vec![
        ("nai".into(), unit(&dir, "me", 8.0, 900.0)?),
        ("bgo".into(), unit(&dir, "he", 300.0, 38000.0)?),
    ])?;
    let infer = Infer::new(
        InferKind::Bayes,
        vec![Pair::new(data, Model::builtin(&name)?)?],
    )?;
    let plan = infer.compile()?;
    for g in plan.pairs().iter().flat_map(|p| &p.grids) {
        let bins = bayspec::model::compiled::BinGrid::new(&g.e_lo, &g.e_hi)?;
        eprintln!(
            "grid: {} photon bins, {} distinct sample energies",
            bins.len(),
            bins.sample_energies().len()
        );
    }
    let mut acc = 0.0;
    let t0 = std::time::Instant::now();
    let mut th = theta.clone();
    for i in 0..n {
        // vary θ a little so that nothing can be cached across calls
        th[0] = theta[0] + 1e-6 * (i % 7) as f64;
        acc += plan.stat(std::hint::black_box(&th));
    }
    let dt = t0.elapsed();
    println!(
        "{name}: {n} evaluations, {:.3} us each, mean stat {:.12e}, stat(theta) = {:.17e}",
        dt.as_secs_f64() * 1e6 / n.max(1) as f64,
        acc / n.max(1) as f64,
        plan.stat(&theta)
    );
    Ok(())
}
