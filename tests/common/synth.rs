//! Synthetic data the tests generate themselves: a GBM-like response and a simulated
//! cutoff power-law burst with background.
#![allow(dead_code)]

use bayspec::data::response::{synthetic, SyntheticSpec};
use bayspec::data::{simulate, BackgroundSpec, DataUnit, DataUnitOptions, SimulateOptions};
use bayspec::fits::{ColumnData, HduBuilder, KeyValue};
use bayspec::model::Model;
use std::path::{Path, PathBuf};

/// A fresh temporary directory for one test.
pub fn temp_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Simulate `model` through a synthetic NaI (`bgo = false`) or BGO response into `dir`,
/// returning the unit (pgstat, noticed over the detector's band).
pub fn simulated_unit(dir: &Path, bgo: bool, model: &Model, exposure: f64, seed: u64) -> DataUnit {
    let (spec, name, notc) = if bgo {
        (SyntheticSpec::gbm_bgo(), "bgo", [300.0, 38000.0])
    } else {
        (SyntheticSpec::gbm_nai(), "nai", [8.0, 900.0])
    };
    let rsp = synthetic(&spec).unwrap();
    let rsp_path = dir.join(format!("{name}.rsp"));
    rsp.save(&rsp_path).unwrap();
    let flux = model
        .integrate_bins(&rsp.energ_lo, &rsp.energ_hi, None)
        .unwrap();
    let nchan = rsp.e_min.len();
    let files = simulate(
        &flux,
        &rsp,
        &SimulateOptions {
            exposure,
            background: Some(BackgroundSpec {
                rate: vec![2.0; nchan],
                exposure: exposure * 10.0,
            }),
            seed,
            out: dir.join(name),
            respfile: None,
        },
    )
    .unwrap();
    DataUnit::new(DataUnitOptions {
        src: Some(files.src.display().to_string().into()),
        bkg: files.bkg.map(|b| b.display().to_string().into()),
        rsp: Some(rsp_path.display().to_string().into()),
        notc: Some(vec![notc]),
        stat: Some("pgstat".into()),
        ..Default::default()
    })
    .unwrap()
}

/// A Type I PHA file with the given exposure and counts (one channel per count), written
/// directly (no validation), for tests of bad input.
pub fn write_pha_raw(path: &Path, exposure: f64, counts: Vec<f64>) {
    write_type1(path, exposure, ("COUNTS", counts), vec![], &[]);
}

/// A Type I spectrum written directly (no validation): CHANNEL 1..=n, the `data` column
/// (`COUNTS` or `RATE`), the extra columns, then `HDUCLAS1`, `EXPOSURE` and the extra keywords.
pub fn write_type1(
    path: &Path,
    exposure: f64,
    data: (&str, Vec<f64>),
    columns: Vec<(&str, Vec<f64>)>,
    keys: &[(&str, KeyValue)],
) {
    let n = data.1.len();
    let mut hdu = HduBuilder::new("SPECTRUM")
        .column(
            "CHANNEL",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: (1..=n as i32).collect(),
            },
        )
        .unwrap()
        .column(
            data.0,
            None,
            ColumnData::F64 {
                repeat: 1,
                values: data.1,
            },
        )
        .unwrap();
    for (name, values) in columns {
        hdu = hdu
            .column(name, None, ColumnData::F64 { repeat: 1, values })
            .unwrap();
    }
    hdu = hdu
        .key("HDUCLAS1", "SPECTRUM", "")
        .key("EXPOSURE", exposure, "");
    for (k, v) in keys {
        hdu = hdu.key(k, v.clone(), "");
    }
    let bytes = HduBuilder::file_bytes(&[("ORIGIN", KeyValue::from("test"))], &[hdu]).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// NaI + BGO units of a GBM-like burst simulated from cpl(α = −1, log Ep = 2.5, log A = 0.5),
/// 20 s each, seeds `seed` and `seed + 1`, in a fresh folder named by `tag`.
pub fn simulated_burst(tag: &str, seed: u64) -> bayspec::data::Data {
    let dir = temp_dir(tag);
    let truth = Model::builtin("cpl").unwrap();
    truth.set_par_values(&[-1.0, 2.5, 0.5]).unwrap();
    bayspec::data::Data::from_pairs(vec![
        (
            "nai".into(),
            simulated_unit(&dir, false, &truth, 20.0, seed),
        ),
        (
            "bgo".into(),
            simulated_unit(&dir, true, &truth, 20.0, seed + 1),
        ),
    ])
    .unwrap()
}
