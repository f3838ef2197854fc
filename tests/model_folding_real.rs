//! `models.json → folding_real_response`: cpl folded through `grb/me.rsp` (all 128 channels)
//! gives the reference count rates.

mod common;

use bayspec::data::{DataUnit, DataUnitOptions, GridKind};
use bayspec::model::Model;
use common::{close, num, shared_dir, vectors};

#[test]
fn cpl_folded_through_me_rsp_matches_the_reference() {
    let (Some(dir), Some(v)) = (shared_dir(), vectors("models.json")) else {
        return;
    };
    let case = &v["folding_real_response"];
    let model = Model::builtin("cpl").unwrap();
    let vals: Vec<f64> = case["params"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| num(&p["val"]))
        .collect();
    model.set_par_values(&vals).unwrap();
    let f = |ext: &str| dir.join(format!("data/grb/me.{ext}")).display().to_string();
    // no noticing and no grouping: one fit bin per channel
    let unit = DataUnit::new(DataUnitOptions {
        src: Some(f("src").into()),
        rsp: Some(f("rsp").into()),
        stat: Some("pstat".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        unit.n_energy(),
        case["n_photon_bins"].as_u64().unwrap() as usize
    );
    let flux = model
        .integrate_bins(unit.energ_lo(), unit.energ_hi(), None)
        .unwrap();
    let rate = unit.fold(&flux, GridKind::Fit).unwrap();
    let want: Vec<f64> = case["ctsrate"]
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    assert_eq!(rate.len(), want.len());
    for (k, (a, b)) in rate.iter().zip(&want).enumerate() {
        assert!(close(*a, *b, 1e-9, 1e-12), "channel {k}: {a} vs {b}");
    }
}
