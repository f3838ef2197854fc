//! The Rhai binding of the data layer (api.md, Data): `DataUnit`, `Data`, `response`,
//! `simulate`, properties, nuisance-parameter sharing and option-map errors.

mod common;

use bayspec::data::{DataUnit, DataUnitOptions, GridKind, GroupingRule};
use bayspec::model::{Model, Par};
use rhai::{Array, Dynamic, Engine, Map, Scope};
use std::path::{Path, PathBuf};

fn out_dir(test: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_script_data_{}_{test}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn eval<T: Clone + Send + Sync + 'static>(engine: &Engine, scope: &mut Scope, code: &str) -> T {
    match engine.eval_with_scope::<T>(scope, code) {
        Ok(v) => v,
        Err(e) => panic!("script failed: {e}\n{code}"),
    }
}

fn eval_err(engine: &Engine, scope: &mut Scope, code: &str) -> String {
    match engine.eval_with_scope::<Dynamic>(scope, code) {
        Ok(v) => panic!("expected an error from {code}, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

fn floats(a: &Array) -> Vec<f64> {
    a.iter()
        .map(|d| d.as_float().expect("array of floats"))
        .collect()
}

fn float_prop(engine: &Engine, scope: &mut Scope, code: &str) -> Vec<f64> {
    floats(&eval::<Array>(engine, scope, code))
}

/// Simulate a GRB with `cpl` through a synthetic NaI-like response, from Rhai; returns the
/// engine, the scope (with `rsp`, `files`, `m`) and the output directory.
fn simulated(test: &str) -> (Engine, Scope<'static>, PathBuf) {
    let dir = out_dir(test);
    let engine = bayspec::script::engine();
    let mut scope = Scope::new();
    scope.push("m", Model::builtin("cpl").unwrap());
    scope.push("dir", dir.display().to_string());
    eval::<()>(
        &engine,
        &mut scope,
        r#"
        let rsp = response(#{ preset: "nai", n_channels: 64, name: "sim" });
        rsp.save(dir + "/nai.rsp");
        let files = simulate(m, #{ rsp: dir + "/nai.rsp", exposure: 50, bkg: 0.5, seed: 7,
                                   out: dir + "/grb" });
        "#,
    );
    (engine, scope, dir)
}

fn rust_unit(dir: &Path, notc: Vec<[f64; 2]>, grpg: Option<GroupingRule>) -> DataUnit {
    DataUnit::new(DataUnitOptions {
        src: Some(dir.join("grb.pha").display().to_string().into()),
        bkg: Some(dir.join("grb_bkg.pha").display().to_string().into()),
        rsp: Some(dir.join("nai.rsp").display().to_string().into()),
        notc: Some(notc),
        grpg,
        ..Default::default()
    })
    .unwrap()
}

#[test]
fn simulated_unit_properties_equal_the_rust_layer() {
    let (engine, mut scope, dir) = simulated("props");
    let files: Map = eval(&engine, &mut scope, "files");
    assert_eq!(
        files["src"].to_string(),
        dir.join("grb.pha").display().to_string()
    );
    assert_eq!(
        files["bkg"].to_string(),
        dir.join("grb_bkg.pha").display().to_string()
    );
    assert_eq!(
        files["rsp"].to_string(),
        dir.join("nai.rsp").display().to_string()
    );
    assert_eq!(files["seed"].as_int().unwrap(), 7);

    eval::<()>(
        &engine,
        &mut scope,
        r#"let u = DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp, notc: [8, 900.0],
                               grpg: #{ min_evt: 20, max_bin: 4 }, time: 3, weight: 2 });"#,
    );
    let u = rust_unit(
        &dir,
        vec![[8.0, 900.0]],
        Some(GroupingRule {
            min_evt: Some(20.0),
            max_bin: Some(4.0),
            ..Default::default()
        }),
    );
    let s = &mut scope;
    assert_eq!(eval::<f64>(&engine, s, "u.exposure"), 50.0);
    assert_eq!(eval::<f64>(&engine, s, "u.exposure"), u.exposure());
    assert_eq!(eval::<f64>(&engine, s, "u.backscale"), u.backscale());
    assert_eq!(eval::<i64>(&engine, s, "u.nchannel"), 64);
    assert_eq!(eval::<i64>(&engine, s, "u.nbin"), u.n_fit_bins() as i64);
    assert!(u.n_fit_bins() > 5);
    assert_eq!(float_prop(&engine, s, "u.emin"), u.fit_grid().emin());
    assert_eq!(float_prop(&engine, s, "u.emax"), u.fit_grid().emax());
    assert_eq!(float_prop(&engine, s, "u.counts"), u.src_counts());
    assert_eq!(float_prop(&engine, s, "u.bkg_counts"), u.bkg_counts());
    let rates = u.rates(GridKind::Fit);
    assert_eq!(float_prop(&engine, s, "u.net_rate"), rates.net_rate);
    assert_eq!(
        float_prop(&engine, s, "u.net_rate_error"),
        rates.net_rate_error
    );
    assert_eq!(float_prop(&engine, s, "u.src_efficiency"), u.ts());
    assert_eq!(float_prop(&engine, s, "u.bkg_efficiency"), u.tb());
    // Every fit bin holds >= 20 counts unless it closed at 4 channels.
    for (k, &(a, b)) in u.fit_grid().bins().iter().enumerate() {
        assert!(u.src_counts()[k] >= 20.0 || b - a == 4, "bin {k}");
    }
    assert_eq!(eval::<String>(&engine, s, "u.stat"), "pgstat");
    assert_eq!(eval::<f64>(&engine, s, "u.weight"), 2.0);
    assert_eq!(eval::<f64>(&engine, s, "u.time"), 3.0);
    assert!(eval::<bool>(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp }).time == ()"
    ));
    let text: String = eval(&engine, s, "u.to_string()");
    // (the nuisance table appears only when a nuisance parameter is free or sf/bf/rf ≠ 1)
    for want in [
        "Property",
        "grb.pha",
        "nai.rsp",
        "[8, 900]",
        "net rate (counts/s)",
        "grouping applied",
    ] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
    // The simulated source holds Poisson counts around the folded model: the total lies
    // within 5 sigma of the expectation (model + background).
    let m = Model::builtin("cpl").unwrap();
    let flux = m.integrate_bins(u.energ_lo(), u.energ_hi(), None).unwrap();
    let all = DataUnit::new(DataUnitOptions {
        src: Some(dir.join("grb.pha").display().to_string().into()),
        rsp: Some(dir.join("nai.rsp").display().to_string().into()),
        ..Default::default()
    })
    .unwrap();
    let expected: f64 =
        all.fold(&flux, GridKind::Fit).unwrap().iter().sum::<f64>() * 50.0 + 0.5 * 64.0 * 50.0;
    let total: f64 = all.source().counts.iter().sum();
    assert!(
        (total - expected).abs() < 5.0 * expected.sqrt(),
        "{total} vs {expected}"
    );
    let bkg_total: f64 = u.background().counts.iter().sum();
    assert!((bkg_total - 1600.0).abs() < 5.0 * 40.0, "{bkg_total}");
}

#[test]
fn simulation_is_reproducible_and_takes_a_response_object() {
    let (engine, mut scope, dir) = simulated("seed");
    let s = &mut scope;
    eval::<()>(
        &engine,
        s,
        r#"
        let again = simulate(m, #{ rsp: rsp, exposure: 50.0, bkg: #{ rate: 0.5, exposure: 50 },
                                   seed: 7, out: dir + "/again/grb" });
        let other = simulate(m, #{ rsp: files.rsp, exposure: 50, seed: 8, out: dir + "/other" });
        "#,
    );
    let again: Map = eval(&engine, s, "again");
    // A Response object is written next to the spectra.
    assert_eq!(
        again["rsp"].to_string(),
        dir.join("again/grb.rsp").display().to_string()
    );
    assert!(dir.join("again/grb.rsp").is_file());
    let a = eval::<Array>(
        &engine,
        s,
        "DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp }).counts",
    );
    let b = eval::<Array>(
        &engine,
        s,
        "DataUnit(#{ src: again.src, bkg: again.bkg, rsp: again.rsp }).counts",
    );
    assert_eq!(floats(&a), floats(&b));
    let other: Map = eval(&engine, s, "other");
    assert!(other["bkg"].is_unit());
    let c = eval::<Array>(
        &engine,
        s,
        "DataUnit(#{ src: other.src, rsp: other.rsp }).counts",
    );
    assert_ne!(floats(&a), floats(&c));
    // An in-memory response works as `rsp` of a DataUnit too.
    assert_eq!(
        eval::<i64>(
            &engine,
            s,
            "DataUnit(#{ src: files.src, rsp: rsp, notc: [8, 900] }).nchannel"
        ),
        64
    );
    // Response properties.
    assert_eq!(eval::<i64>(&engine, s, "rsp.nchannel"), 64);
    assert_eq!(eval::<i64>(&engine, s, "rsp.nenergy"), 140);
    assert_eq!(eval::<String>(&engine, s, "rsp.name"), "sim");
    let lo = float_prop(&engine, s, "rsp.energ_lo");
    let hi = float_prop(&engine, s, "rsp.energ_hi");
    assert!((lo[0] - 5.0).abs() < 1e-12 && (hi[139] - 3000.0).abs() < 1e-9);
    let emin = float_prop(&engine, s, "rsp.e_min");
    let emax = float_prop(&engine, s, "rsp.e_max");
    assert!((emin[0] - 4.0).abs() < 1e-12 && (emax[63] - 2000.0).abs() < 1e-9);
    let area = float_prop(&engine, s, "rsp.area");
    let peak = area.iter().cloned().fold(0.0, f64::max);
    assert!(peak > 100.0 && peak < 126.0, "{peak}");
    // A model that is not additive cannot be simulated.
    scope.push("tb", Model::builtin("tbabs").unwrap());
    let e = eval_err(
        &engine,
        &mut scope,
        r#"simulate(tb, #{ rsp: rsp, exposure: 1, out: dir + "/x" })"#,
    );
    assert!(e.contains("simulate"), "{e}");
}

#[test]
fn unknown_keys_and_bad_values_name_the_key() {
    let (engine, mut scope, _dir) = simulated("keys");
    let s = &mut scope;
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, notice: [8, 900] })",
    );
    assert!(e.contains("'notice'"), "{e}");
    assert!(
        e.contains("src, bkg, rsp, rmf, arf, notc, stat, grpg, rebn, time, weight"),
        "{e}"
    );
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, grpg: #{ min_bin: 3 } })",
    );
    assert!(
        e.contains("'min_bin'") && e.contains("grpg") && e.contains("max_bin"),
        "{e}"
    );
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, rebn: #{ method: \"best\" } })",
    );
    assert!(e.contains("best") && e.contains("optimal"), "{e}");
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, weight: \"1\" })",
    );
    assert!(e.contains("'weight'"), "{e}");
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, notc: [8, 30, 900] })",
    );
    assert!(e.contains("notc") && e.contains("3 numbers"), "{e}");
    let e = eval_err(
        &engine,
        s,
        "DataUnit(#{ src: files.src, rsp: files.rsp, notc: [[8, 30], 900] })",
    );
    assert!(e.contains("notc") && e.contains("mixes"), "{e}");
    let e = eval_err(&engine, s, "DataUnit(#{ rsp: files.rsp })");
    assert!(e.contains("'src'"), "{e}");
    let e = eval_err(&engine, s, "response(#{ nchannels: 3 })");
    assert!(e.contains("'nchannels'") && e.contains("n_channels"), "{e}");
    let e = eval_err(&engine, s, "response(#{ preset: \"lat\" })");
    assert!(e.contains("'lat'") && e.contains("nai, bgo"), "{e}");
    let e = eval_err(
        &engine,
        s,
        "simulate(m, #{ rsp: rsp, exposure: 1, out: \"x\", sed: 3 })",
    );
    assert!(e.contains("'sed'") && e.contains("seed"), "{e}");
    let e = eval_err(&engine, s, "simulate(m, #{ rsp: rsp, out: \"x\" })");
    assert!(e.contains("'exposure'"), "{e}");
    let e = eval_err(
        &engine,
        s,
        "simulate(m, #{ rsp: rsp, exposure: 1, out: \"x\", bkg: #{ rat: 1 } })",
    );
    assert!(e.contains("'rat'") && e.contains("rate"), "{e}");
}

#[test]
fn notc_accepts_a_pair_or_a_list_of_pairs() {
    let (engine, mut scope, dir) = simulated("notc");
    let s = &mut scope;
    let one = rust_unit(&dir, vec![[8.0, 900.0]], None);
    let two = rust_unit(&dir, vec![[8.0, 30.0], [40.5, 900.0]], None);
    eval::<()>(
        &engine,
        s,
        r#"let a = DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp, notc: [8.0, 900] });
           let b = DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp,
                                notc: [[8, 30], [40.5, 900]] });"#,
    );
    assert_eq!(eval::<i64>(&engine, s, "a.nbin"), one.n_fit_bins() as i64);
    assert_eq!(eval::<i64>(&engine, s, "b.nbin"), two.n_fit_bins() as i64);
    assert!(two.n_fit_bins() < one.n_fit_bins());
    assert_eq!(float_prop(&engine, s, "b.emin"), two.fit_grid().emin());
    let notc: Array = eval(&engine, s, "b.notc");
    let ranges: Vec<Vec<f64>> = notc
        .iter()
        .map(|r| floats(&r.clone().into_array().unwrap()))
        .collect();
    assert_eq!(ranges, vec![vec![8.0, 30.0], vec![40.5, 900.0]]);
    // Every bin of b lies inside one of the ranges.
    for (lo, hi) in two.fit_grid().emin().iter().zip(two.fit_grid().emax()) {
        assert!((*lo >= 8.0 && *hi <= 30.0) || (*lo >= 40.5 && *hi <= 900.0));
    }
}

#[test]
fn nuisance_parameters_are_shared_handles() {
    let (engine, mut scope, _dir) = simulated("pars");
    let s = &mut scope;
    eval::<()>(
        &engine,
        s,
        r#"let u = DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp, notc: [8, 900] });
           let v = DataUnit(#{ src: files.src, rsp: files.rsp, notc: [10, 500] });
           let d = Data([["nai", u], ["b", v]]);
           let drm0 = u.corr_rsp_drm;
           let rate0 = u.net_rate;"#,
    );
    let rf: Par = eval(&engine, s, r#"u.par["rf"]"#);
    assert_eq!(rf.label(), "rf");
    assert!(rf.frozen() && rf.prior().is_none() && rf.val() == 1.0);
    assert!(rf.same(&eval::<Par>(&engine, s, "u.par[3]")));
    assert!(rf.same(&eval::<Par>(&engine, s, r#"d["nai"].par["rf"]"#)));
    assert!(rf.same(&eval::<Par>(&engine, s, "d.par[3]")));
    let rf_b: Par = eval(&engine, s, "d.par[8]");
    assert!(rf_b.same(&eval::<Par>(&engine, s, r#"v.par["rf"]"#)) && !rf_b.same(&rf));
    let labels: Vec<String> = (1..=5)
        .map(|k| eval::<Par>(&engine, s, &format!("u.par[{k}]")).label())
        .collect();
    assert_eq!(labels, ["sf", "bf", "rf", "ra", "dec"]);
    assert_eq!(eval::<i64>(&engine, s, "d.par.len"), 10);
    let e = eval_err(&engine, s, r#"d.par["rf"]"#);
    assert!(e.contains("2 units"), "{e}");
    let e = eval_err(&engine, s, "u.par[6]");
    assert!(e.contains("1 to 5"), "{e}");
    let e = eval_err(&engine, s, r#"u.par["gain"]"#);
    assert!(e.contains("gain"), "{e}");

    // Changing rf through the handle changes the corrected response of the unit, also as
    // seen through the Data copy.
    rf.set_val(2.5);
    let drm0: Vec<Vec<f64>> = eval::<Array>(&engine, s, "drm0")
        .iter()
        .map(|r| floats(&r.clone().into_array().unwrap()))
        .collect();
    for what in ["u.corr_rsp_drm", r#"d["nai"].corr_rsp_drm"#] {
        let drm: Vec<Vec<f64>> = eval::<Array>(&engine, s, what)
            .iter()
            .map(|r| floats(&r.clone().into_array().unwrap()))
            .collect();
        assert_eq!(drm.len(), drm0.len());
        let mut nonzero = 0;
        for (r, r0) in drm.iter().zip(&drm0) {
            for (x, x0) in r.iter().zip(r0) {
                assert_eq!(*x, 2.5 * x0);
                nonzero += (*x0 != 0.0) as usize;
            }
        }
        assert!(nonzero > 10);
    }
    // sf scales the source efficiency: the source part of the net rate halves.
    let sf: Par = eval(&engine, s, r#"u.par["sf"]"#);
    sf.set_val(2.0);
    let rate0 = float_prop(&engine, s, "rate0");
    let rate = float_prop(&engine, s, "u.net_rate");
    let counts = float_prop(&engine, s, "u.counts");
    let ts = float_prop(&engine, s, "u.src_efficiency");
    assert_eq!(ts[0], 100.0);
    for k in 0..rate.len() {
        let src0 = counts[k] / 50.0;
        let want = rate0[k] - src0 + src0 / 2.0;
        assert!(
            (rate[k] - want).abs() < 1e-12 * (1.0 + want.abs()),
            "bin {k}"
        );
    }
    let table: String = eval(&engine, s, "d.to_string()");
    assert!(table.contains("2.5") && table.contains("nai"), "{table}");
}

#[test]
fn data_container_names_indexing_save_and_errors() {
    let (engine, mut scope, dir) = simulated("container");
    let s = &mut scope;
    eval::<()>(
        &engine,
        s,
        r#"let u = DataUnit(#{ src: files.src, bkg: files.bkg, rsp: files.rsp, notc: [[8, 30], [40, 900]],
                                grpg: #{ min_sigma: 2, max_bin: 10 }, time: 1.5 });
           let v = DataUnit(#{ src: files.src, rsp: files.rsp, stat: "cstat" });
           let d = Data([["nai", u], ["bgo", v]]);"#,
    );
    let names: Array = eval(&engine, s, "d.names");
    let names: Vec<String> = names.iter().map(|n| n.to_string()).collect();
    assert_eq!(names, ["nai", "bgo"]);
    assert_eq!(eval::<i64>(&engine, s, "d.len"), 2);
    assert_eq!(eval::<String>(&engine, s, r#"d["bgo"].stat"#), "cstat");
    assert_eq!(
        eval::<i64>(&engine, s, r#"d["nai"].nbin"#),
        eval::<i64>(&engine, s, "u.nbin")
    );
    let npoints: Array = eval(&engine, s, "d.npoints");
    assert_eq!(
        npoints[0].as_int().unwrap(),
        eval::<i64>(&engine, s, "u.nbin")
    );
    let text: String = eval(&engine, s, "d.to_string()");
    for want in ["Name", "Noticing", "nai", "bgo", "cstat", "par#", "dec"] {
        assert!(text.contains(want), "missing {want} in\n{text}");
    }
    scope.push("out", dir.join("saved").display().to_string());
    eval::<()>(&engine, &mut scope, "d.save(out);");
    let s = &mut scope;
    let json: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("saved/data.json")).unwrap())
            .unwrap();
    assert_eq!(json[0]["Name"], "nai");
    assert_eq!(json[0]["Noticing"], serde_json::json!([[8, 30], [40, 900]]));
    assert_eq!(json[0]["Statistic"], "pgstat");
    assert_eq!(
        json[0]["Grouping"],
        serde_json::json!({"min_sigma": 2, "max_bin": 10})
    );
    assert_eq!(json[0]["Time"], 1.5);
    assert_eq!(json[1]["Name"], "bgo");
    assert_eq!(json[1]["Noticing"], serde_json::Value::Null);
    assert_eq!(json[1]["Statistic"], "cstat");

    let e = eval_err(&engine, s, r#"Data([["a", u], ["b"]])"#);
    assert!(e.contains("item 1") && e.contains("1 elements"), "{e}");
    let e = eval_err(&engine, s, r#"Data([["a", u], 3])"#);
    assert!(e.contains("item 1"), "{e}");
    let e = eval_err(&engine, s, r#"Data([["a", 3]])"#);
    assert!(e.contains("item 0") && e.contains("DataUnit"), "{e}");
    let e = eval_err(&engine, s, r#"Data([["a", u], ["a", v]])"#);
    assert!(e.contains("duplicate") && e.contains("'a'"), "{e}");
    let e = eval_err(&engine, s, r#"d["he"]"#);
    assert!(e.contains("'he'") && e.contains("nai, bgo"), "{e}");
    assert_eq!(eval::<i64>(&engine, s, "Data().len"), 0);
    assert_eq!(eval::<i64>(&engine, s, "Data(#{ x: u }).len"), 1);
}

#[test]
fn shared_grb_units_equal_the_rust_layer() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let grb = shared.join("data/grb");
    let engine = bayspec::script::engine();
    let mut scope = Scope::new();
    scope.push("g", grb.display().to_string() + "/");
    let s = &mut scope;
    eval::<()>(
        &engine,
        s,
        r#"let me = DataUnit(#{ src: g + "me.src", bkg: g + "me.bkg", rsp: g + "me.rsp",
                                 notc: [8, 900], stat: "pgstat", grpg: #{ min_sigma: 2, max_bin: 10 } });
           let t2 = DataUnit(#{ src: g + "me.src2{5}", bkg: g + "me.bkg2{5}", rsp: g + "me.rsp2",
                                 notc: [[15, 35], [42, 100]], grpg: #{ min_sigma: 3, max_bin: 10 } });"#,
    );
    let me = DataUnit::new(DataUnitOptions {
        src: Some(grb.join("me.src").display().to_string().into()),
        bkg: Some(grb.join("me.bkg").display().to_string().into()),
        rsp: Some(grb.join("me.rsp").display().to_string().into()),
        notc: Some(vec![[8.0, 900.0]]),
        grpg: Some(GroupingRule {
            min_sigma: Some(2.0),
            max_bin: Some(10.0),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(eval::<f64>(&engine, s, "me.exposure"), me.exposure());
    assert_eq!(eval::<f64>(&engine, s, "me.backscale"), me.backscale());
    assert_eq!(eval::<i64>(&engine, s, "me.nchannel"), me.nchannel() as i64);
    assert_eq!(eval::<i64>(&engine, s, "me.nbin"), me.n_fit_bins() as i64);
    assert_eq!(float_prop(&engine, s, "me.emin"), me.fit_grid().emin());
    assert_eq!(float_prop(&engine, s, "me.emax"), me.fit_grid().emax());
    assert_eq!(float_prop(&engine, s, "me.counts"), me.src_counts());
    assert_eq!(float_prop(&engine, s, "me.bkg_counts"), me.bkg_counts());
    let r = me.rates(GridKind::Fit);
    assert_eq!(float_prop(&engine, s, "me.net_rate"), r.net_rate);
    assert_eq!(
        float_prop(&engine, s, "me.net_rate_error"),
        r.net_rate_error
    );

    // Type II row 5 (1-based) against data_typeII.json.
    let v = common::vectors("data_typeII.json").unwrap();
    let f = &v["fit_bins"];
    assert_eq!(
        eval::<i64>(&engine, s, "t2.nbin") as u64,
        f["n_bins"].as_u64().unwrap()
    );
    assert!(common::close(
        eval::<f64>(&engine, s, "t2.exposure"),
        common::num(&v["row4"]["src_exposure_s"]),
        1e-12,
        0.0
    ));
    let want = |k: &str| -> Vec<f64> { f[k].as_array().unwrap().iter().map(common::num).collect() };
    let counts = float_prop(&engine, s, "t2.counts");
    assert_eq!(counts, want("src_counts"));
    for (a, b) in float_prop(&engine, s, "t2.emin")
        .iter()
        .zip(want("e_lo_keV"))
    {
        assert!(common::close(*a, b, 1e-12, 0.0));
    }
    for (a, b) in float_prop(&engine, s, "t2.bkg_counts")
        .iter()
        .zip(want("bkg_counts_correct"))
    {
        assert!(common::close(*a, b, 1e-9, 0.0));
    }
    // A row out of range is an error saying how many rows there are.
    let e = eval_err(
        &engine,
        s,
        r#"DataUnit(#{ src: g + "me.src2{11}", rsp: g + "me.rsp2" })"#,
    );
    assert!(e.contains("10"), "{e}");
}

#[test]
fn cli_reports_an_unknown_option_key() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bayspec"))
        .args([
            "-e",
            r#"let u = DataUnit(#{ src: "a.pha", rsp: "a.rsp", notice: [8, 900] });"#,
        ])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'notice'"), "{err}");
    assert!(err.contains("notc"), "{err}");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_bayspec"))
        .args(["-e", r#"response(#{ n_chan: 3 })"#])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("'n_chan'"), "{err}");
}

/// `time_range` of every Type II row equals the file's TIME / ENDTIME columns.
#[test]
fn type_ii_rows_expose_their_time_range() {
    let (Some(dir), Some(v)) = (common::shared_dir(), common::vectors("data_typeII.json")) else {
        return;
    };
    let engine = bayspec::script::engine();
    let t0 = v["file_rows"]["src"]["TIME"].as_array().unwrap();
    let t1 = v["file_rows"]["src"]["ENDTIME"].as_array().unwrap();
    for row in [1usize, 4, 10] {
        let code = format!(
            r#"let u = DataUnit(#{{ src: "{d}/data/grb/me.src2{{{row}}}", bkg: "{d}/data/grb/me.bkg2{{{row}}}", rsp: "{d}/data/grb/me.rsp2" }}); u.time_range"#,
            d = dir.display()
        );
        let r = engine.eval::<rhai::Array>(&code).unwrap();
        assert_eq!(r[0].as_float().unwrap(), common::num(&t0[row - 1]));
        assert_eq!(r[1].as_float().unwrap(), common::num(&t1[row - 1]));
    }
}

/// `min_counts` (Sherpa's and XSPEC's word) groups exactly as `min_evt`; giving both is an
/// error.
#[test]
fn min_counts_is_min_evt() {
    let engine = bayspec::script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out_dir("min_counts").display().to_string());
    let code = r#"
        let f = simulate(cpl(), #{ rsp: response(#{ preset: "nai" }), exposure: 20, seed: 1,
                                   out: `${OUT}/sim` });
        let u = DataUnit(#{ src: f.src, rsp: f.rsp, grpg: #{ min_counts: 30 } });
        let v = DataUnit(#{ src: f.src, rsp: f.rsp, grpg: #{ min_evt: 30 } });
        let w = DataUnit(#{ src: f.src, rsp: f.rsp });
        [u.nbin, v.nbin, w.nbin]
    "#;
    let n: Vec<i64> = eval::<Array>(&engine, &mut scope, code)
        .into_iter()
        .map(|x| x.as_int().unwrap())
        .collect();
    assert_eq!(n[0], n[1]);
    assert!(n[0] < n[2], "{n:?}");
    let e = eval_err(
        &engine,
        &mut scope,
        r#"let f = simulate(cpl(), #{ rsp: response(#{ preset: "nai" }), exposure: 20, seed: 1, out: `${OUT}/sim2` });
           DataUnit(#{ src: f.src, rsp: f.rsp, grpg: #{ min_evt: 30, min_counts: 5 } })"#,
    );
    assert!(e.contains("not both"), "{e}");
}
