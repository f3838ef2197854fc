//! Loading the quickstart units (ME + HE: PHA, background, RSP, noticing, grouping).

#[path = "../tests/common/grb.rs"]
mod grb;

use criterion::{criterion_group, criterion_main, Criterion};
use std::path::PathBuf;

fn bench(c: &mut Criterion) {
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if !dir.join("data/grb").is_dir() {
        eprintln!("skipped: no test data");
        return;
    }
    c.bench_function("load quickstart units", |b| {
        b.iter(|| grb::quickstart_data(&dir))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
