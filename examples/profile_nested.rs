//! Run the quickstart nested sampling (nlive 400, INS on, no files) `N` times and print the
//! wall time per run and the likelihood calls, for profiling with `perf record`:
//! `target/release/examples/profile_nested 5`. Needs the shared data (`BAYSPEC_TEST_DATA` or
//! `../shared`).

use bayspec::error::Result;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use bayspec::sample::nested::{self, NestedOptions};
#[path = "../tests/common/grb.rs"]
mod grb;

fn main() -> Result<()> {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(5);
    let ins = args.next().map(|s| s != "noins").unwrap_or(true);
    let dir = grb::shared_for_bench()
        .ok_or_else(|| bayspec::error::Error::new("no shared data (set BAYSPEC_TEST_DATA)"))?;
    let data = grb::quickstart_data(&dir);
    let infer = Infer::new(
        InferKind::Bayes,
        vec![Pair::new(data, Model::builtin("cpl")?)?],
    )?;
    let plan = infer.compile()?;
    for i in 0..n {
        let t0 = std::time::Instant::now();
        let r = nested::run(
            &plan,
            &NestedOptions {
                nlive: 400,
                ins,
                savepath: None,
                seed: Some(i as u64 + 1),
                batch_size: std::env::var("BATCH")
                    .ok()
                    .and_then(|s| s.parse().ok())
                    .unwrap_or(16),
                progress: false,
                ..Default::default()
            },
        )?;
        println!(
            "run {i}: {:.3} s, {} likelihood calls, lnZ {:.3} ± {:.3}",
            t0.elapsed().as_secs_f64(),
            r.ncall,
            r.ln_z,
            r.ln_z_err
        );
    }
    Ok(())
}
