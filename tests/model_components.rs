//! Components: catalogue, NaN guards, time handling, vfv_peak switching, user components,
//! parameters and configuration values, cross-section tables.

use std::sync::Arc;

use bayspec::model::{
    catalogue, help, models_listing, xsect, Cfg, CfgValue, Component, Kind, Model, Op, Par, Prior,
    Scale,
};

const E: [f64; 7] = [1.0, 10.0, 30.0, 100.0, 300.0, 1000.0, 10000.0];

fn comp(name: &str) -> Component {
    Component::builtin(name).unwrap()
}

fn all_nan(v: &[f64]) -> bool {
    !v.is_empty() && v.iter().all(|x| x.is_nan())
}

fn set(c: &Component, label: &str, v: f64) {
    c.par(label).unwrap().set_val(v);
}

/// The component names of the summary table of models.md 3, in its (the registry's) order.
fn documented_components() -> Vec<&'static str> {
    let doc = include_str!("../docs/models.md");
    let (_, table) = doc
        .split_once("| name | kind | parameters | configuration |")
        .expect("models.md 3 summary table");
    table
        .lines()
        .skip(2) // the rest of the header line and the separator
        .take_while(|l| l.starts_with('|'))
        .map(|l| l.split('|').nth(1).unwrap().trim())
        .collect()
}

#[test]
fn catalogue_has_every_component_in_registry_order() {
    let names: Vec<&str> = catalogue().iter().map(|c| c.name).collect();
    assert_eq!(names, documented_components());
    let listing = models_listing();
    assert_eq!(listing.lines().count(), catalogue().len());
    for (line, info) in listing.lines().zip(catalogue()) {
        assert!(line.starts_with(info.name), "{line}");
    }
    for info in catalogue() {
        if info.unavailable.is_some() {
            assert!(Component::builtin(info.name).is_err());
            continue;
        }
        let c = comp(info.name);
        assert_eq!(c.kind(), info.kind);
        assert_eq!(c.params().len(), info.params.len());
        assert_eq!(c.is_time_dependent(), info.time_dependent, "{}", info.name);
        for p in c.params() {
            let prior = p.prior().expect("default prior");
            let (lo, hi) = prior.support();
            assert!(
                lo <= p.val() && p.val() <= hi,
                "{}: default of {} outside its prior",
                info.name,
                p.label()
            );
        }
        // every available component evaluates finitely at its defaults (time 20 s)
        let out = c.eval(&E, Some(&[20.0])).unwrap();
        assert_eq!(out.len(), E.len());
        assert!(out.iter().all(|x| x.is_finite()), "{}: {out:?}", info.name);
        if info.has_vfv_peak() {
            assert_eq!(info.params.len(), info.params_alt.len());
        }
    }
    let h = help("band").unwrap();
    assert!(
        h.contains("Band et al. 1993") && h.contains("$\\beta$") && h.contains("unif(-6, -2)"),
        "{h}"
    );
    assert!(h.contains("pivot_energy = 100"), "{h}");
    assert!(help("zxhsync").unwrap().contains("unavailable"));
    let err = help("nope").unwrap_err().to_string();
    assert!(err.contains("cpl") && err.contains("tbabs"), "{err}");
    assert!(Component::builtin("nope").is_err());
}

#[test]
fn invalid_parameter_regions_give_nan_not_panic() {
    let cases: Vec<(&str, Vec<(&str, f64)>)> = vec![
        ("cpl", vec![("alpha", -2.0)]),
        ("cpl", vec![("alpha", f64::NAN)]),
        ("band", vec![("alpha", -2.0)]),
        ("band", vec![("alpha", -2.5)]),
        ("band", vec![("beta", -0.5)]),
        ("cband", vec![("alpha_2", -2.0)]),
        ("dband", vec![("alpha_2", -2.5)]),
        ("mbb", vec![("logkT_min", 2.0), ("logkT_max", 2.0)]),
        ("sbpl", vec![("beta", -1.5)]),
        ("sb2pl", vec![("alpha", -2.0)]),
        ("csb2pl", vec![("alpha_1", -1.0), ("alpha_2", -0.5)]),
        ("sb3pl", vec![("alpha_2", 2.0)]),
        ("sb4pl", vec![("alpha_4", 0.0)]),
        ("csbpl", vec![("alpha_2", -2.5)]),
        ("dsbpl", vec![("beta", -1.0)]),
        ("hleband", vec![("alpha", -2.0)]),
        ("hlecpl", vec![("t_0", 10.0)]),
        ("redden", vec![("E(B-V)", -0.1)]),
        ("zdust", vec![("E(B-V)", -0.1)]),
        ("tinvabs", vec![("tau", 0.0)]),
        ("tinvabs", vec![("N_H,0", 1e-5)]),
    ];
    for (name, sets) in cases {
        let c = comp(name);
        for (l, v) in &sets {
            set(&c, l, *v);
        }
        let out = c.eval(&E, Some(&[20.0])).unwrap();
        assert!(all_nan(&out), "{name} {sets:?}: {out:?}");
    }
    // invalid configuration values
    let s = comp("sbpl");
    s.cfg("smoothness")
        .unwrap()
        .set_val(CfgValue::Num(0.0))
        .unwrap();
    assert!(all_nan(&s.eval(&E, None).unwrap()));
    let z = comp("zdust");
    z.cfg("redshift")
        .unwrap()
        .set_val(CfgValue::Num(-0.5))
        .unwrap();
    assert!(all_nan(&z.eval(&[0.002], None).unwrap()));
    let r = comp("redden");
    r.cfg("$R_V$").unwrap().set_val(CfgValue::Num(0.0)).unwrap();
    assert!(all_nan(&r.eval(&[0.002], None).unwrap()));
}

#[test]
fn hle_validity_is_per_element_and_time_is_required() {
    let c = comp("hlecpl");
    let err = c.eval(&E, None).unwrap_err().to_string();
    assert!(err.contains("time"), "{err}");
    let err = c.eval(&E, Some(&[20.0, 30.0])).unwrap_err().to_string();
    assert!(
        err.contains("2 times") && err.contains("7 energies"),
        "{err}"
    );
    // per-element rule: the early point is NaN, the others are not poisoned
    let e = [100.0, 100.0, 100.0];
    let out = c.eval(&e, Some(&[5.0, 10.0, 20.0])).unwrap();
    assert!(out[0].is_nan() && out[1].is_finite() && out[2].is_finite());
    // at T = tc: a cpl with Ep = Epc and A = Ac
    let cpl = comp("cpl").eval(&e, None).unwrap();
    assert!((out[1] - cpl[1]).abs() <= 1e-14 * cpl[1]);
    // curvature scalings: Ep ∝ 1/(T−t0), A ∝ (T−t0)^(α−1)
    let tau: f64 = 2.0; // T = 20, t0 = 0, tc = 10
    let ep = 100.0 / tau;
    let want = tau.powf(-2.0) * 100f64.powf(-1.0) * (-(100.0 / ep)).exp();
    assert!((out[2] - want).abs() <= 1e-13 * want);
    // models using a time-dependent component need T as a whole
    let m = Model::combine(
        &Model::from_component(&c),
        Op::Add,
        &Model::builtin("bb").unwrap(),
    )
    .unwrap();
    assert!(m.is_time_dependent());
    assert!(m.phtspec(&E, None).is_err());
    assert!(m.compile().unwrap().is_time_dependent());
}

#[test]
fn vfv_peak_switch_rebuilds_parameters_with_defaults() {
    let c = comp("cpl");
    let m = Model::combine(
        &Model::builtin("tbabs").unwrap(),
        Op::Mul,
        &Model::from_component(&c),
    )
    .unwrap();
    let old = m.par("alpha").unwrap();
    old.set_val(-0.5);
    old.set_frozen(true);
    m.cfg("vfv_peak")
        .unwrap()
        .set_val(CfgValue::Bool(false))
        .unwrap();
    let pars = m.params();
    assert_eq!(pars.len(), 4, "par# numbering does not move");
    let labels: Vec<String> = pars.iter().map(|p| p.par.label()).collect();
    assert_eq!(labels, ["$N_H$", "$\\alpha$", "log$E_c$", "log$A$"]);
    let alpha = m.par("alpha").unwrap();
    assert!(!alpha.same(&old));
    assert_eq!(alpha.val(), -1.0);
    assert!(!alpha.frozen());
    assert_eq!(alpha.prior().unwrap().support(), (-8.0, 4.0));
    // cutoff mode: Ec = 10^logEc, no α check
    alpha.set_val(-3.0);
    let e = [50.0];
    let got = c.eval(&e, None).unwrap()[0];
    let want = 50f64.powf(-3.0) * (-0.5f64).exp();
    assert!((got - want).abs() <= 1e-14 * want);
    // and back: peak-mode defaults again
    c.cfg("vfv_peak")
        .unwrap()
        .set_val(CfgValue::Bool(true))
        .unwrap();
    assert_eq!(c.par(2).unwrap().label(), "log$E_p$");
    assert_eq!(c.par(1).unwrap().val(), -1.0);
    // a configuration keeps its type
    assert!(c
        .cfg("vfv_peak")
        .unwrap()
        .set_val(CfgValue::Num(1.0))
        .is_err());
}

#[test]
fn redshift_and_pivot_act_as_specified() {
    // cpl at z = 1: observed peak of E²N at Ep/2
    let c = comp("cpl");
    c.cfg("redshift")
        .unwrap()
        .set_val(CfgValue::Num(1.0))
        .unwrap();
    let e: Vec<f64> = (0..2001)
        .map(|i| 10f64.powf(1.0 + i as f64 * 0.001))
        .collect();
    let n = c.eval(&e, None).unwrap();
    let (imax, _) = e
        .iter()
        .zip(&n)
        .map(|(e, n)| e * e * n)
        .enumerate()
        .fold((0, 0.0), |a, (i, v)| if v > a.1 { (i, v) } else { a });
    assert!((e[imax] / 50.0 - 1.0).abs() < 3e-3, "peak at {}", e[imax]);
    // pivot: N(Epiv) = A for pl
    let p = comp("pl");
    p.cfg("pivot_energy")
        .unwrap()
        .set_val(CfgValue::Num(50.0))
        .unwrap();
    set(&p, "alpha", -1.7);
    set(&p, "logA", -2.0);
    let v = p.eval(&[50.0], None).unwrap()[0];
    assert!((v - 0.01).abs() < 1e-16);
}

#[test]
fn mul_and_math_outputs() {
    // const broadcasts, hecut threshold, absorber above the table
    let k = comp("const");
    set(&k, "C", 2.5);
    assert_eq!(k.eval(&E, None).unwrap(), vec![2.5; 7]);
    let h = comp("hecut");
    h.cfg("threshold_energy")
        .unwrap()
        .set_val(CfgValue::Num(50.0))
        .unwrap();
    let f = h.eval(&[10.0, 50.0, 150.0], None).unwrap();
    assert_eq!(&f[..2], &[1.0, 1.0]);
    assert!((f[2] - (-1.0f64).exp()).abs() < 1e-16);
    let t = comp("tbabs");
    let f = t.eval(&[25.0, 1e4], None).unwrap();
    assert_eq!(f, vec![1.0, 1.0]);
    let m = Model::from_component(&t);
    assert!(m.nouspec(&E, None).is_ok());
    assert!(m.phtflux(10.0, 100.0).is_err());
    assert!(Model::builtin("cpl").unwrap().nouspec(&E, None).is_err());
}

#[test]
fn cross_section_tables_interpolate_as_numpy_interp() {
    let t = xsect::table("tbabs_wilm").unwrap();
    let (x, s) = (t.energies(), t.sigmas());
    assert_eq!(x.len(), 10000);
    assert_eq!(t.sigma(x[17]), s[17]);
    assert_eq!(t.sigma(x[9999]), s[9999]);
    assert_eq!(t.sigma(0.01), s[0]);
    assert_eq!(t.sigma(x[9999] * 1.0000001), 0.0);
    let mid = 0.5 * (x[100] + x[101]);
    let want = s[100] + (s[101] - s[100]) * (mid - x[100]) / (x[101] - x[100]);
    assert!((t.sigma(mid) - want).abs() <= 1e-13 * want);
    assert_eq!(xsect::table_names().unwrap().len(), 6);
    assert!(xsect::table("nope").is_err());
    assert!(xsect::LICENSE_TEXT.contains("Giacomo Vianello"));
    // absorber factor uses σ((1+z)E)
    let a = comp("phabs");
    a.cfg("redshift")
        .unwrap()
        .set_val(CfgValue::Num(1.0))
        .unwrap();
    set(&a, "N_H", 0.5);
    let f = a.eval(&[0.5], None).unwrap()[0];
    let want = (-0.5 * xsect::table("phabs_aspl").unwrap().sigma(1.0)).exp();
    assert_eq!(f, want);
}

#[test]
fn user_components_take_part_in_algebra() {
    let func: bayspec::model::UserFn = Arc::new(|e: &[f64], _t: Option<&[f64]>, p: &[f64]| {
        Ok(e.iter()
            .map(|e| 10f64.powf(p[1]) * (e / 100.0).powf(p[0]))
            .collect())
    });
    let params = vec![
        Par::new("alpha", -1.0, Some(Prior::unif(-4.0, 2.0).unwrap())),
        Par::new("logA", 0.0, Some(Prior::unif(-6.0, 6.0).unwrap())),
    ];
    let u = Component::user("mypl", Kind::Add, params, vec![], func).unwrap();
    assert!(u.is_user());
    let m = Model::combine(
        &Model::builtin("tbabs").unwrap(),
        Op::Mul,
        &Model::from_component(&u),
    )
    .unwrap();
    assert_eq!(m.expr(), "(tbabs*mypl)");
    assert_eq!(m.npar(), 3);
    m.par("alpha").unwrap().set_val(-2.0);
    let e = [30.0, 100.0];
    let got = m.phtspec(&e, None).unwrap();
    assert!((got[1] - 1.0).abs() < 1e-15);
    assert!((got[0] - (30.0f64 / 100.0).powi(-2)).abs() < 1e-12);
    let c = m.compile().unwrap();
    let mut out = [0.0; 2];
    c.eval(
        &m.par_values(),
        &e,
        None,
        &mut out,
        &mut bayspec::model::Workspace::new(),
    )
    .unwrap();
    assert_eq!(out.to_vec(), got);
    // wrong output length and errors are reported with the component name
    let bad: bayspec::model::UserFn =
        Arc::new(|_e: &[f64], _t: Option<&[f64]>, _p: &[f64]| Ok(vec![1.0]));
    let b = Component::user("bad", Kind::Add, vec![], vec![], bad).unwrap();
    let err = b.eval(&e, None).unwrap_err().to_string();
    assert!(err.contains("bad") && err.contains("1 values"), "{err}");
    let failing: bayspec::model::UserFn = Arc::new(|_e: &[f64], _t: Option<&[f64]>, _p: &[f64]| {
        Err(bayspec::error::Error::new("boom"))
    });
    let f = Component::user("failing", Kind::Mul, vec![], vec![], failing).unwrap();
    assert!(f.eval(&e, None).unwrap_err().to_string().contains("boom"));
    // math user components may return one value; times arrive one per energy
    let seen: bayspec::model::UserFn = Arc::new(|e: &[f64], t: Option<&[f64]>, _p: &[f64]| {
        let t = t.ok_or("no time")?;
        assert_eq!(t.len(), e.len());
        Ok(vec![t[0]])
    });
    let k = Component::user("k", Kind::Math, vec![], vec![], seen).unwrap();
    assert_eq!(k.eval(&e, Some(&[7.0])).unwrap(), vec![7.0, 7.0]);
    // invalid definitions
    let f0: bayspec::model::UserFn =
        Arc::new(|e: &[f64], _t: Option<&[f64]>, _p: &[f64]| Ok(e.to_vec()));
    assert!(Component::user("a b", Kind::Add, vec![], vec![], f0.clone()).is_err());
    assert!(Component::user("c", Kind::Conv, vec![], vec![], f0.clone()).is_err());
    let dup = vec![Par::new("x", 0.0, None), Par::new("x", 1.0, None)];
    assert!(Component::user("d", Kind::Add, dup, vec![], f0).is_err());
}

#[test]
fn par_handles_follow_inference_rules() {
    let p = Par::new("log$E_p$", 2.0, Some(Prior::unif(0.0, 4.0).unwrap()));
    assert_eq!(p.plain(), "logE_p");
    assert_eq!(p.range().unwrap(), (0.0, 4.0));
    let v0 = p.version();
    p.set_val(2.5);
    assert!(p.version() != v0);
    assert_eq!(p.value(), 2.5);
    p.set_scale(Scale::Log);
    assert!((p.value() - 10f64.powf(2.5)).abs() < 1e-10);
    p.set_unit(Some(2.0));
    assert!((p.value() - 2.0 * 10f64.powf(2.5)).abs() < 1e-10);
    p.frozen_at(3.0);
    assert!(p.frozen());
    assert_eq!(p.range().unwrap(), (3.0, 3.0));
    assert_eq!(p.prior_text(), "frozen");
    // unbounded prior → central 95 %
    let n = Par::new("x", 0.0, Some(Prior::norm(0.0, 1.0).unwrap()));
    let (lo, hi) = n.range().unwrap();
    assert!((hi - 1.959963984540054).abs() < 1e-3 && (lo + hi).abs() < 1e-6);
    // free without prior → error naming the parameter
    let bare = Par::new("$\\beta$", 0.0, None);
    assert!(bare.range().unwrap_err().to_string().contains("$\\beta$"));
    assert_eq!(bare.prior_text(), "none");
    // handles share state
    let q = p.clone();
    assert!(q.same(&p));
    q.set_val(1.0);
    assert_eq!(p.val(), 1.0);
    assert!(!q.same(&bare));
    assert_eq!(Scale::from_name("log").unwrap(), Scale::Log);
    assert!(Scale::from_name("ln").is_err());
    // configuration values keep their type; zdust's R_V accepts a number or null
    let c = Cfg::new("redshift", CfgValue::Num(0.0));
    assert!(c.set_val(CfgValue::Bool(true)).is_err());
    c.set_val(CfgValue::Num(0.3)).unwrap();
    assert_eq!(c.num().unwrap(), 0.3);
    let rv = comp("zdust").cfg("$R_V$").unwrap();
    rv.set_val(CfgValue::Num(3.0)).unwrap();
    rv.set_val(CfgValue::Null).unwrap();
    assert!(comp("zdust")
        .cfg("method")
        .unwrap()
        .set_val(CfgValue::Num(1.0))
        .is_err());
}

#[test]
fn component_names_and_lookup() {
    let c = comp("cpl");
    assert!(c.set_expr("").is_err());
    assert!(c.set_expr("a+b").is_err());
    assert!(c.set_expr("x.y").is_err());
    c.set_expr("cpl_ins").unwrap();
    assert_eq!(c.expr(), "cpl_ins");
    assert_eq!(c.type_name(), "cpl");
    assert!(c.par("logEp").unwrap().same(&c.par(2).unwrap()));
    let err = c.par("beta").unwrap_err().to_string();
    assert!(err.contains("alpha") && err.contains("logA"), "{err}");
    assert!(c.par(4).is_err());
    assert!(c.cfg("pivot_energy").unwrap().same(&c.cfg(2).unwrap()));
    let s = c.to_string();
    assert!(
        s.contains("cpl_ins [add]") && s.contains("unif(0, 4)"),
        "{s}"
    );
    let err = comp("band").slope_func(&E).unwrap_err().to_string();
    assert!(
        err.contains("sbpl, csbpl, dsbpl and tsbpl, not band"),
        "{err}"
    );
    assert!(comp("sbpl").slope_func(&E).is_ok());
}
