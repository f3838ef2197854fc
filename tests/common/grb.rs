//! The reference quickstart set-up on `shared/data/grb` (inference.md §7): ME (`nai`,
//! 8–900 keV) and HE (`bgo`, 300–38000 keV), pgstat, display grid min_sigma 2 / max_bin 10,
//! a cutoff power law at its defaults.
#![allow(dead_code)]

use bayspec::data::{Data, DataUnit, DataUnitOptions, GroupingRule};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use std::path::{Path, PathBuf};

/// One GBM unit of `shared/data/grb` (`det` = `me` or `he`) noticed over [lo, hi] keV.
pub fn grb_unit(shared: &Path, det: &str, lo: f64, hi: f64) -> DataUnit {
    let f = |ext: &str| {
        shared
            .join(format!("data/grb/{det}.{ext}"))
            .display()
            .to_string()
    };
    DataUnit::new(DataUnitOptions {
        src: Some(f("src").into()),
        bkg: Some(f("bkg").into()),
        rsp: Some(f("rsp").into()),
        notc: Some(vec![[lo, hi]]),
        stat: Some("pgstat".into()),
        rebn: Some(GroupingRule {
            min_sigma: Some(2.0),
            max_bin: Some(10.0),
            ..Default::default()
        }),
        ..Default::default()
    })
    .expect("quickstart unit")
}

/// The two quickstart units as one `Data`.
pub fn quickstart_data(shared: &Path) -> Data {
    Data::from_pairs(vec![
        ("nai".to_string(), grb_unit(shared, "me", 8.0, 900.0)),
        ("bgo".to_string(), grb_unit(shared, "he", 300.0, 38000.0)),
    ])
    .expect("quickstart data")
}

/// The quickstart inference of `kind` and its model (cpl with defaults).
pub fn quickstart(shared: &Path, kind: InferKind) -> (Infer, Model) {
    let model = Model::builtin("cpl").expect("cpl");
    let pair = Pair::new(quickstart_data(shared), model.clone()).expect("pair");
    (Infer::new(kind, vec![pair]).expect("infer"), model)
}

/// The `shared` folder for benchmarks and examples (env `BAYSPEC_TEST_DATA`, else `../shared`)
/// when it holds `data/grb`; `None` otherwise, after printing `skipped: no test data` to
/// stderr (no panic: benchmarks skip quietly).
pub fn shared_for_bench() -> Option<PathBuf> {
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let found = dir.join("data/grb").is_dir();
    if !found {
        eprintln!("skipped: no test data");
    }
    found.then_some(dir)
}
