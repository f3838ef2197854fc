//! What `simulate` draws from and what the fit folds are the same numbers: the mean
//! counts of a simulation equal ts × the folded model of the unit read back from the files.

mod common;

use bayspec::data::response::{synthetic, SyntheticSpec};
use bayspec::data::{simulate, Data, DataUnit, DataUnitOptions, SimulateOptions};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use common::synth::temp_dir;

#[test]
fn simulated_means_equal_the_folded_model_of_the_written_files() {
    let dir = temp_dir("sim-consistency");
    let rsp = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let rsp_path = dir.join("nai.rsp");
    rsp.save(&rsp_path).unwrap();
    let model = Model::builtin("cpl").unwrap();
    model.set_par_values(&[-1.3, 2.6, 1.5]).unwrap();
    let flux = model
        .integrate_bins(&rsp.energ_lo, &rsp.energ_hi, None)
        .unwrap();
    let exposure = 20.0;
    let nc = rsp.e_min.len();
    let ne = rsp.energ_lo.len();
    // expected source counts per channel from the in-memory response
    let expected: Vec<f64> = (0..nc)
        .map(|c| exposure * (0..ne).map(|i| flux[i] * rsp.drm[i * nc + c]).sum::<f64>())
        .collect();
    let files = simulate(
        &flux,
        &rsp,
        &SimulateOptions {
            exposure,
            background: None,
            seed: 1,
            out: dir.join("nai"),
            respfile: None,
        },
    )
    .unwrap();
    let unit = DataUnit::new(DataUnitOptions {
        src: Some(files.src.display().to_string().into()),
        rsp: Some(rsp_path.display().to_string().into()),
        stat: Some("pstat".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(unit.n_fit_bins(), nc, "no noticing: one bin per channel");
    let infer = Infer::new(
        InferKind::Plain,
        vec![Pair::new(
            Data::from_pairs(vec![("nai".into(), unit.clone())]).unwrap(),
            model,
        )
        .unwrap()],
    )
    .unwrap();
    let plan = infer.compile().unwrap();
    let rates = &plan.folded_rates(&infer.free_pvalues())[0];
    let ts = unit.ts();
    let mut worst: f64 = 0.0;
    for c in 0..nc {
        let got = rates[c] * ts[c];
        if expected[c] > 1e-3 {
            worst = worst.max(((got - expected[c]) / expected[c]).abs());
        }
    }
    // the matrix is stored as 32-bit floats in the file
    assert!(worst < 1e-6, "worst relative difference {worst}");
}
