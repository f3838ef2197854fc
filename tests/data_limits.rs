//! Upper limits and detection thresholds of a unit (data.md 3.7), checked against the
//! definitions they implement: the posterior mass below the limit, and the significance of
//! the threshold counts.

mod common;

use bayspec::data::response::{synthetic, SyntheticSpec};
use bayspec::data::{Data, DataUnit, DataUnitOptions};
use bayspec::math::significance::{li_ma, poisson_gaussian};
use bayspec::ogip::Spectrum;

/// A small unit in memory: a few counts over a known background.
fn weak_unit(stat: &str, src: &[f64], bkg: &[f64], bkg_err: &[f64], ts: f64, tb: f64) -> DataUnit {
    let mut spec = SyntheticSpec::gbm_nai();
    spec.n_channels = src.len();
    let rsp = synthetic(&spec).unwrap();
    let src_s = Spectrum::from_arrays(
        "src",
        src.to_vec(),
        src.iter().map(|c| c.sqrt()).collect(),
        ts,
    )
    .unwrap();
    let bkg_s = Spectrum::from_arrays("bkg", bkg.to_vec(), bkg_err.to_vec(), tb).unwrap();
    DataUnit::new(DataUnitOptions {
        src: Some(src_s.into()),
        bkg: Some(bkg_s.into()),
        rsp: Some(rsp.into()),
        stat: Some(stat.into()),
        ..Default::default()
    })
    .unwrap()
}

/// ∫₀^U (s+μ)^N e^{−(s+μ)} ds / ∫₀^∞ … by the trapezoid rule on a fine grid, in log space.
fn posterior_mass_below(u: f64, n: f64, mu: f64) -> f64 {
    let log_p = |s: f64| n * (s + mu).ln() - (s + mu);
    let top = n + mu + 40.0 * (n + mu + 1.0).sqrt() + 50.0;
    let steps = 400_000;
    let h = top / steps as f64;
    let peak = (0..=steps)
        .map(|i| log_p(i as f64 * h))
        .fold(f64::NEG_INFINITY, f64::max);
    let (mut below, mut all) = (0.0, 0.0);
    for i in 0..steps {
        let (a, b) = (i as f64 * h, (i + 1) as f64 * h);
        let area = 0.5 * h * ((log_p(a) - peak).exp() + (log_p(b) - peak).exp());
        all += area;
        if b <= u {
            below += area;
        } else if a < u {
            below += area * (u - a) / h;
        }
    }
    below / all
}

#[test]
fn upper_limit_holds_the_credibility_mass() {
    // 4 source counts over 6 background counts scaled by α = ts/tb = 10/30.
    let u = weak_unit(
        "cstat",
        &[1.0, 2.0, 1.0, 0.0],
        &[2.0, 1.0, 2.0, 1.0],
        &[1.0; 4],
        10.0,
        30.0,
    );
    let (n, mu) = (4.0, 6.0 / 3.0);
    let t = u.count_totals();
    assert_eq!(t.src, n);
    assert!((t.bkg_scaled - mu).abs() < 1e-12);
    for cl in [0.5, 0.9, 0.99] {
        let lim = u.net_counts_upperlimit(cl).unwrap();
        let mass = posterior_mass_below(lim, n, mu);
        assert!(
            (mass - cl).abs() < 1e-5,
            "cl {cl}: limit {lim} holds {mass}"
        );
        let rate = u.net_ctsrate_upperlimit(cl).unwrap();
        assert!((rate - lim / 10.0).abs() < 1e-12 * lim);
    }
    // more background, same counts: a lower limit
    let more_bkg = weak_unit(
        "cstat",
        &[1.0, 2.0, 1.0, 0.0],
        &[5.0, 4.0, 5.0, 4.0],
        &[1.0; 4],
        10.0,
        30.0,
    );
    assert!(more_bkg.net_counts_upperlimit(0.9).unwrap() < u.net_counts_upperlimit(0.9).unwrap());
    // the source efficiency factor sf divides the rate limit
    u.set_sf(2.0).unwrap();
    let t2 = u.count_totals();
    assert!(
        (t2.bkg_scaled - 2.0 * mu).abs() < 1e-12,
        "α doubles with sf"
    );
    assert!(u.net_counts_upperlimit(1.0).is_err());
    assert!(u.net_counts_upperlimit(0.0).is_err());
}

#[test]
fn significance_limits_reach_the_asked_significance() {
    let src = [10.0, 12.0, 9.0, 11.0];
    let bkg = [40.0, 38.0, 41.0, 39.0];
    let err = [6.0, 6.0, 6.5, 6.2];
    // pgstat: Poisson–Gauss with b = α ΣB, σ = α √Σσ²
    let pg = weak_unit("pgstat", &src, &bkg, &err, 10.0, 40.0);
    let alpha = 0.25;
    let b = alpha * bkg.iter().sum::<f64>();
    let sigma = alpha * err.iter().map(|e| e * e).sum::<f64>().sqrt();
    for sig in [1.0, 3.0, 5.0] {
        let need = pg.net_counts_significance_limit(sig).unwrap();
        assert!(need > 0.0);
        let z = poisson_gaussian(b + need, b, sigma);
        assert!((z - sig).abs() < 1e-9, "pgstat {sig}σ: Z(b + {need}) = {z}");
        let rate = pg.net_ctsrate_significance_limit(sig).unwrap();
        assert!((rate - need / 10.0).abs() < 1e-12 * need);
    }
    assert_eq!(pg.net_counts_significance_limit(0.0).unwrap(), 0.0);
    assert!(pg.net_counts_significance_limit(f64::NAN).is_err());
    assert!(pg.net_counts_significance_limit(-1.0).is_err());

    // cstat: Li & Ma with the raw background and α
    let lm = weak_unit("cstat", &src, &bkg, &err, 10.0, 40.0);
    let btot = bkg.iter().sum::<f64>();
    for sig in [2.0, 3.0] {
        let need = lm.net_counts_significance_limit(sig).unwrap();
        let z = li_ma(alpha * btot + need, btot, alpha);
        assert!((z - sig).abs() < 1e-9, "cstat {sig}σ: Z = {z}");
    }
    // a larger significance needs more counts
    assert!(
        lm.net_counts_significance_limit(5.0).unwrap()
            > lm.net_counts_significance_limit(3.0).unwrap()
    );

    // statistics without a significance formula for limits
    let chi = weak_unit("chi2", &src, &bkg, &err, 10.0, 40.0);
    let e = chi
        .net_counts_significance_limit(3.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("pgstat, cstat or ppstat"), "{e}");
    // pgstat without background errors has no Poisson–Gauss significance
    let flat = weak_unit("pgstat", &src, &bkg, &[0.0; 4], 10.0, 40.0);
    let e = flat
        .net_counts_significance_limit(3.0)
        .unwrap_err()
        .to_string();
    assert!(e.contains("background error is zero"), "{e}");

    // Data: one value per unit, in order
    let data =
        Data::from_pairs(vec![("pg".into(), pg.clone()), ("lm".into(), lm.clone())]).unwrap();
    let both = data.net_counts_significance_limit(3.0).unwrap();
    assert_eq!(both[0], pg.net_counts_significance_limit(3.0).unwrap());
    assert_eq!(both[1], lm.net_counts_significance_limit(3.0).unwrap());
    let ul = data.net_ctsrate_upperlimit(0.9).unwrap();
    assert_eq!(ul[1], lm.net_ctsrate_upperlimit(0.9).unwrap());
}

#[test]
fn limits_from_a_script() {
    let engine = bayspec::script::engine();
    let dir = common::synth::temp_dir("limits-script");
    let script = format!(
        r#"
        let f = simulate(cpl(#{{ alpha: -1.0, logEp: 2.5, logA: -3.0 }}),
                         #{{ rsp: response(), exposure: 1, bkg: #{{ rate: 1.0, exposure: 100 }}, seed: 3, out: "{}/w" }});
        let u = DataUnit(#{{ src: f.src, bkg: f.bkg, rsp: f.rsp, notc: [8, 900], stat: "pgstat" }});
        let d = Data([["w", u]]);
        [u.net_counts_upperlimit(), u.net_counts_upperlimit(0.9), u.net_ctsrate_significance_limit(3),
         d.net_counts_upperlimit(0.9)[0]]
        "#,
        dir.display()
    );
    let v: rhai::Array = engine.eval(&script).unwrap();
    let x: Vec<f64> = v.iter().map(|d| d.as_float().unwrap()).collect();
    assert_eq!(x[0], x[1], "cl defaults to 0.9");
    assert_eq!(x[0], x[3]);
    assert!(x[0] > 0.0 && x[2] > 0.0);
}
