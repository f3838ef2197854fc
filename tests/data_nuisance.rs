//! Nuisance parameters, AREASCAL, vector BACKSCAL and background quality (data.md 2.5, 2.9, 3.2).

mod common;

use bayspec::data::{DataUnit, DataUnitOptions, GridKind, GroupingRule};
use bayspec::ogip::{read_spectrum, FileSpec, Scale, Spectrum, SpectrumRole};
use std::path::Path;

fn load(shared: &Path, f: &str, role: SpectrumRole) -> Spectrum {
    let p = shared.join("data/grb").join(f);
    read_spectrum(&FileSpec::parse(p.to_str().unwrap()).unwrap(), role).unwrap()
}

fn options(shared: &Path, src: Spectrum, bkg: Spectrum) -> DataUnitOptions {
    DataUnitOptions {
        src: Some(src.into()),
        bkg: Some(bkg.into()),
        rsp: Some(shared.join("data/grb/me.rsp").display().to_string().into()),
        notc: Some(vec![[8.0, 900.0]]),
        ..Default::default()
    }
}

#[test]
fn sf_bf_rf_scale_efficiencies_rates_and_folding() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let src = load(&shared, "me.src", SpectrumRole::Source);
    let bkg = load(&shared, "me.bkg", SpectrumRole::Background);
    let mut u = DataUnit::new(options(&shared, src, bkg)).unwrap();
    let (ts0, tb0) = (u.ts().to_vec(), u.tb().to_vec());
    let rates0 = u.rates(GridKind::Fit);
    let flux = vec![1.0; u.n_energy()];
    let fold0 = u.fold(&flux, GridKind::Fit).unwrap();
    u.set_sf(2.0).unwrap();
    u.set_bf(4.0).unwrap();
    u.set_rf(0.5).unwrap();
    for k in 0..u.n_fit_bins() {
        assert_eq!(u.ts()[k], 2.0 * ts0[k]);
        assert_eq!(u.tb()[k], 4.0 * tb0[k]);
    }
    let rates = u.rates(GridKind::Display);
    let r0 = &rates0;
    assert!((rates.src_rate[0] - r0.src_rate[0] / 2.0).abs() < 1e-12 * r0.src_rate[0]);
    assert!((rates.bkg_rate[0] - r0.bkg_rate[0] / 4.0).abs() < 1e-12 * r0.bkg_rate[0]);
    let fold = u.fold(&flux, GridKind::Fit).unwrap();
    assert!((fold[10] - 0.5 * fold0[10]).abs() < 1e-12 * fold0[10]);
    let corr = u.corr_rsp_drm(GridKind::Fit);
    assert_eq!(corr[500], 0.5 * u.fit_drm()[500]);
    // Changing options keeps the parameter values.
    let mut o = u.options().clone();
    o.notc = Some(vec![[10.0, 500.0]]);
    u.set_options(o).unwrap();
    assert_eq!(u.sf(), 2.0);
    assert_eq!(u.ts()[0], 2.0 * ts0[0]);
    assert!(u.set_sf(0.0).is_err() && u.set_rf(f64::NAN).is_err());
    assert_eq!(u.sf(), 2.0);
    // A failed change leaves the unit as it was.
    let mut bad = u.options().clone();
    bad.stat = Some("nope".into());
    assert!(u.set_options(bad).is_err());
    assert_eq!(u.stat().name(), "pgstat");
    assert_eq!(u.egrid().len(), 5 * u.n_energy());
    assert_eq!(u.egrid()[4], u.energ_hi()[0]);
}

#[test]
fn nuisance_parameters_are_shared_par_handles() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let src = load(&shared, "me.src", SpectrumRole::Source);
    let bkg = load(&shared, "me.bkg", SpectrumRole::Background);
    let mut u = DataUnit::new(options(&shared, src, bkg)).unwrap();
    let pars = u.nuisance_pars();
    let labels: Vec<&str> = pars.iter().map(|(l, _)| *l).collect();
    assert_eq!(labels, ["sf", "bf", "rf", "ra", "dec"]);
    for ((label, p), want) in pars.iter().zip([1.0, 1.0, 1.0, 0.0, 0.0]) {
        assert_eq!(p.label(), *label);
        assert_eq!(p.val(), want);
        assert!(p.frozen() && p.prior().is_none(), "{label}");
    }
    let (ts0, tb0) = (u.ts(), u.tb());
    assert_eq!(ts0, u.fit_grid().ts_base());
    let drm0 = u.corr_rsp_drm(GridKind::Fit);
    let flux = vec![1.0; u.n_energy()];
    let fold0 = u.fold(&flux, GridKind::Fit).unwrap();
    let rates0 = u.rates(GridKind::Fit);

    // A clone shares the parameters; values set through a handle are read everywhere.
    let copy = u.clone();
    assert!(copy.nuisance().rf.same(&pars[2].1));
    pars[0].1.set_val(4.0);
    pars[1].1.set_val(0.5);
    pars[2].1.set_val(1.5);
    for unit in [&u, &copy] {
        assert_eq!(unit.sf(), 4.0);
        let (ts, tb) = (unit.ts(), unit.tb());
        for k in 0..unit.n_fit_bins() {
            assert_eq!(ts[k], 4.0 * ts0[k]);
            assert_eq!(tb[k], 0.5 * tb0[k]);
            assert_eq!(unit.fit_grid().ts_base()[k], ts0[k]);
        }
        let drm = unit.corr_rsp_drm(GridKind::Fit);
        assert!(drm.iter().zip(&drm0).all(|(a, b)| *a == 1.5 * b));
        let fold = unit.fold(&flux, GridKind::Fit).unwrap();
        assert!(fold
            .iter()
            .zip(&fold0)
            .all(|(a, b)| (a - 1.5 * b).abs() <= 1e-12 * b.abs()));
        let r = unit.rates(GridKind::Fit);
        for k in 0..unit.n_fit_bins() {
            let want = rates0.src_rate[k] / 4.0;
            assert!((r.src_rate[k] - want).abs() <= 1e-12 * want.abs());
            let want = rates0.bkg_rate[k] / 0.5;
            assert!((r.bkg_rate[k] - want).abs() <= 1e-12 * want.abs());
        }
    }
    // Rebuilding with new options keeps the very same parameters.
    let mut o = u.options().clone();
    o.notc = Some(vec![[10.0, 500.0]]);
    u.set_options(o).unwrap();
    assert!(u.nuisance().sf.same(&pars[0].1));
    assert_eq!(u.ts()[0], 4.0 * ts0[0]);
    // Printing shows the parameter table with the current values.
    let text = u.to_string();
    assert!(text.contains("par#") && text.contains("1.5"), "{text}");
}

#[test]
fn areascal_and_vector_backscal_enter_the_efficiencies_per_bin() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut src = load(&shared, "me.src", SpectrumRole::Source);
    let mut bkg = load(&shared, "me.bkg", SpectrumRole::Background);
    let n = src.n_channels();
    src.areascal = Scale::Scalar(0.5);
    src.backscale = Scale::PerChannel((0..n).map(|c| 1.0 + c as f64 / 100.0).collect());
    bkg.backscale = Scale::Scalar(2.0);
    bkg.areascal = Scale::Scalar(0.8);
    let (ts_exp, tb_exp) = (src.exposure, bkg.exposure);
    let mut o = options(&shared, src, bkg);
    o.grpg = Some(GroupingRule {
        max_bin: Some(2.0),
        min_evt: Some(1e12),
        ..Default::default()
    });
    let u = DataUnit::new(o).unwrap();
    for (k, &(a, b)) in u.fit_grid().bins().iter().enumerate() {
        let mean_bs: f64 = (a..b).map(|c| 1.0 + c as f64 / 100.0).sum::<f64>() / (b - a) as f64;
        assert!((u.ts()[k] - ts_exp * 0.5).abs() < 1e-12);
        let want = tb_exp * 0.8 * 2.0 / mean_bs;
        assert!((u.tb()[k] - want).abs() < 1e-12 * want, "bin {k}");
    }
    assert_eq!(u.fit_grid().bins()[0], (5, 7));
}

#[test]
fn background_quality_excludes_channels() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let src = load(&shared, "me.src", SpectrumRole::Source);
    let mut bkg = load(&shared, "me.bkg", SpectrumRole::Background);
    bkg.quality[40] = 1;
    bkg.counts[40] = f64::NAN;
    let u = DataUnit::new(options(&shared, src, bkg)).unwrap();
    assert!(!u.qualifying()[40]);
    assert_eq!(u.n_fit_bins(), 118);
    assert!(u
        .fit_grid()
        .bins()
        .iter()
        .all(|&(a, b)| !(a..b).contains(&40)));
    assert!(u.bkg_counts().iter().all(|c| c.is_finite()));
}
