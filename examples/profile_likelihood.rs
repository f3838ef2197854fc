//! Evaluate the quickstart likelihood (the `likelihood` benchmark's setup) N times, for
//! instruction-count profiling: `valgrind --tool=callgrind --toggle-collect='*Plan*stat*'
//! target/release/examples/profile_likelihood cpl 1000`.
//!
//! Arguments: model name (`cpl` or `band`, default `cpl`) and number of evaluations
//! (default 1000). Needs the shared data (`BAYSPEC_TEST_DATA` or `../shared`).

use bayspec::error::Result;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
#[path = "../tests/common/grb.rs"]
mod grb;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_else(|| "cpl".into());
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1000);
    let dir = grb::shared_for_bench()
        .ok_or_else(|| bayspec::error::Error::new("no shared data (set BAYSPEC_TEST_DATA)"))?;
    let theta = match name.as_str() {
        "band" => vec![-1.0, -2.5, 2.3, -1.0],
        _ => vec![-1.56, 2.33, 2.35],
    };
    let data = grb::quickstart_data(&dir);
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
