//! Rate-to-flux conversion factors of a pair (data.md 3.6, models.md 4.4), against the flux
//! integrals and count rates computed separately.

mod common;

use bayspec::data::{Data, GridKind};
use bayspec::infer::{DensityUnit, Pair, RateBasis};
use bayspec::model::Model;

fn cpl() -> Model {
    let m = Model::builtin("cpl").unwrap();
    m.par(1usize).unwrap().set_val(-1.2);
    m.par(2usize).unwrap().set_val(2.5);
    m.par(3usize).unwrap().set_val(0.5);
    m
}

#[test]
fn rate_to_flux_divides_the_noticed_flux_by_the_total_rate() {
    let dir = common::synth::temp_dir("conversion");
    let model = cpl();
    let nai = common::synth::simulated_unit(&dir, false, &model, 20.0, 3);
    let bgo = common::synth::simulated_unit(&dir, true, &model, 20.0, 4);
    let data = Data::from_pairs(vec![("nai".into(), nai), ("bgo".into(), bgo)]).unwrap();
    let pair = Pair::new(data, model.clone()).unwrap();

    let observed = pair.rate_to_flux(RateBasis::Observed).unwrap();
    let folded = pair.rate_to_flux(RateBasis::Folded).unwrap();
    for (k, unit) in pair.data.iter().enumerate() {
        let [lo, hi] = unit.notc().unwrap()[0];
        let flux = model.ergflux(lo, hi).unwrap();
        let net: f64 = unit.rates(GridKind::Fit).net_rate.iter().sum();
        let mrate: f64 = pair.folded_rate(unit, GridKind::Fit).unwrap().iter().sum();
        assert!((observed[k] - flux / net).abs() < 1e-12 * observed[k]);
        assert!((folded[k] - flux / mrate).abs() < 1e-12 * folded[k]);
        // data simulated from the model: the two agree within the counting noise
        assert!((observed[k] / folded[k] - 1.0).abs() < 0.1, "unit {k}");
    }

    // flux densities at 100 keV: NE, Fv = E·NE·1.60218e-9, Jy = Fv·10⁶/2.416
    let ne = pair
        .rate_to_fluxdensity(100.0, DensityUnit::Ne, RateBasis::Folded)
        .unwrap();
    let fv = pair
        .rate_to_fluxdensity(100.0, DensityUnit::Fv, RateBasis::Folded)
        .unwrap();
    let jy = pair
        .rate_to_fluxdensity(100.0, DensityUnit::Jy, RateBasis::Folded)
        .unwrap();
    let n100 = model.phtspec(&[100.0], None).unwrap()[0];
    for k in 0..2 {
        let unit = &pair.data.units()[k];
        let mrate: f64 = pair.folded_rate(unit, GridKind::Fit).unwrap().iter().sum();
        assert!((ne[k] - n100 / mrate).abs() < 1e-12 * ne[k]);
        assert!((fv[k] / ne[k] - 100.0 * 1.60218e-9).abs() < 1e-18);
        assert!((jy[k] / fv[k] - 1e6 / 2.416).abs() < 1e-6);
    }
    assert!(pair
        .rate_to_fluxdensity(-1.0, DensityUnit::Ne, RateBasis::Observed)
        .is_err());
    assert!(DensityUnit::parse("mJy").is_err());

    // the same from a script
    let engine = bayspec::script::engine();
    let v: rhai::Array = engine
        .eval(&format!(
            r#"
            let m = cpl(#{{ alpha: -1.2, logEp: 2.5, logA: 0.5 }});
            let f = simulate(m, #{{ rsp: response(), exposure: 20, seed: 3, out: "{}/s" }});
            let u = DataUnit(#{{ src: f.src, rsp: f.rsp, notc: [8, 900], stat: "pstat" }});
            let p = Pair(Data([["u", u]]), m);
            [p.rate_to_flux[0], p.conv_rate_to_flux[0], p.rate_to_fluxdensity(100, "Jy")[0]]
            "#,
            dir.display()
        ))
        .unwrap();
    let x: Vec<f64> = v.iter().map(|d| d.as_float().unwrap()).collect();
    assert!(x.iter().all(|v| v.is_finite() && *v > 0.0), "{x:?}");
    assert!((x[0] / x[1] - 1.0).abs() < 0.1);
}
