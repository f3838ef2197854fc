//! Model layer against the reference vectors in `shared/vectors/models.json` (models.md 5).

mod common;

use common::nums;

use bayspec::model::{CfgValue, Component, Model, Op, Workspace, KEV_TO_ERG};
use serde_json::Value;

/// Relative tolerance for closed-form components (vectors' suggestion).
const RTOL_CLOSED: f64 = 1e-12;
/// Relative tolerance for mbb, fluxes and folding.
const RTOL_QUAD: f64 = 1e-10;
/// Absolute floor for underflowed values.
const ATOL: f64 = 1e-300;

fn assert_close_vec(what: &str, got: &[f64], want: &[f64], rtol: f64) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(
            common::close(*g, *w, rtol, ATOL),
            "{what}[{i}]: got {g:e}, want {w:e} (rtol {rtol:e})"
        );
    }
}

fn cfg_value(v: &Value) -> CfgValue {
    match v {
        Value::Bool(b) => CfgValue::Bool(*b),
        Value::String(s) => CfgValue::Str(s.clone()),
        Value::Null => CfgValue::Null,
        other => CfgValue::Num(common::num(other)),
    }
}

/// Bounds of a `unif(a, b)` prior text.
fn unif_bounds(text: &str) -> (f64, f64) {
    let inner = text
        .strip_prefix("unif(")
        .and_then(|s| s.strip_suffix(')'))
        .expect("unif prior text");
    let (a, b) = inner.split_once(',').expect("two args");
    (a.trim().parse().unwrap(), b.trim().parse().unwrap())
}

/// Apply the vector's config (by cfg#) and params (by par#) to a model, checking the labels,
/// component names, priors and frozen flags on the way.
fn apply_tables(m: &Model, case: &Value, ctx: &str) {
    let cfgs = m.configs();
    let want_cfg = match case.get("config") {
        Some(c) => c.as_array().map(Vec::as_slice).unwrap_or(&[]),
        None => &cfgs_default_marker(&cfgs)[..],
    };
    assert_eq!(cfgs.len(), want_cfg.len(), "{ctx}: number of configs");
    for (c, w) in cfgs.iter().zip(want_cfg) {
        assert_eq!(c.index as u64, w["cfg#"].as_u64().unwrap(), "{ctx}: cfg#");
        assert_eq!(
            c.component,
            w["component"].as_str().unwrap(),
            "{ctx}: cfg component"
        );
        assert_eq!(
            c.cfg.label(),
            w["label"].as_str().unwrap(),
            "{ctx}: cfg label"
        );
        let v = cfg_value(&w["value"]);
        // the vectors print integral numbers without type; our defaults are f64 or bool
        c.cfg
            .set_val(v)
            .unwrap_or_else(|e| panic!("{ctx}: set cfg {}: {e}", c.cfg.label()));
    }
    // parameters (after the configs: vfv_peak may have switched the parameter set)
    let pars = m.params();
    let want_par = case["params"].as_array().unwrap();
    assert_eq!(pars.len(), want_par.len(), "{ctx}: number of params");
    for (p, w) in pars.iter().zip(want_par) {
        let label = w["label"].as_str().unwrap();
        assert_eq!(p.index as u64, w["par#"].as_u64().unwrap(), "{ctx}: par#");
        assert_eq!(
            p.component,
            w["component"].as_str().unwrap(),
            "{ctx}: par component"
        );
        assert_eq!(p.par.label(), label, "{ctx}: label");
        assert_eq!(
            p.par.plain(),
            w["plain"].as_str().unwrap(),
            "{ctx}: plain label"
        );
        assert_eq!(
            p.par.frozen(),
            w["frozen"].as_bool().unwrap(),
            "{ctx}: frozen flag of {label}"
        );
        match &w["prior"] {
            Value::Null => assert!(
                p.par.prior().is_none(),
                "{ctx}: {label} should have no prior"
            ),
            Value::String(s) => {
                let prior = p
                    .par
                    .prior()
                    .unwrap_or_else(|| panic!("{ctx}: {label} has no prior"));
                assert_eq!(prior.support(), unif_bounds(s), "{ctx}: prior of {label}");
            }
            other => panic!("unexpected prior {other}"),
        }
        assert_eq!(w["scale"].as_str().unwrap(), "linear");
        p.par.set_val(common::num(&w["val"]));
    }
}

/// Cases without a `config` table use the defaults: describe the current entries.
fn cfgs_default_marker(cfgs: &[bayspec::model::CfgEntry]) -> Vec<Value> {
    cfgs.iter()
        .map(|c| {
            let value = match c.cfg.val() {
                CfgValue::Num(x) => serde_json::json!(x),
                CfgValue::Bool(b) => serde_json::json!(b),
                CfgValue::Str(s) => serde_json::json!(s),
                CfgValue::Null => Value::Null,
            };
            serde_json::json!({"cfg#": c.index, "component": c.component, "label": c.cfg.label(), "value": value})
        })
        .collect()
}

/// Evaluate through both paths (tree walk and compiled) and check they agree bit for bit.
fn eval_both(m: &Model, e: &[f64], t: Option<f64>) -> Vec<f64> {
    let ts = t.map(|t| vec![t]);
    let tree = m.eval(e, ts.as_deref()).unwrap();
    let c = m.compile().unwrap();
    let mut out = vec![0.0; e.len()];
    let mut ws = Workspace::new();
    c.eval(&m.par_values(), e, t, &mut out, &mut ws).unwrap();
    for (a, b) in tree.iter().zip(&out) {
        assert!(
            a.to_bits() == b.to_bits() || (a.is_nan() && b.is_nan()),
            "compiled {b:e} != tree {a:e}"
        );
    }
    out
}

#[test]
fn components_match_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let cases = v["components"].as_array().unwrap();
    assert_eq!(cases.len(), 88);
    let mut checked = 0;
    for case in cases {
        let name = case["model"].as_str().unwrap();
        let ctx = format!("{name}/{}", case["case"].as_str().unwrap());
        let comp = Component::builtin(name).unwrap_or_else(|e| panic!("{ctx}: {e}"));
        assert_eq!(
            comp.kind().name(),
            case["kind"].as_str().unwrap(),
            "{ctx}: kind"
        );
        assert_eq!(comp.expr(), case["expr"].as_str().unwrap(), "{ctx}: expr");
        let m = Model::from_component(&comp);
        apply_tables(&m, case, &ctx);
        let e = nums(&case["energies_keV"]);
        let rtol = if name == "mbb" {
            RTOL_QUAD
        } else {
            RTOL_CLOSED
        };

        let times: Option<Vec<f64>> = case.get("times_s").map(nums);
        let expected = if case["reference_is_garbage"].as_bool() == Some(true) {
            Some(&case["recommended_output"])
        } else if case["output"].is_null() {
            None
        } else {
            Some(&case["output"])
        };

        match (expected, &times) {
            (Some(out), None) => {
                let got = eval_both(&m, &e, None);
                assert_close_vec(&ctx, &got, &nums(out), rtol);
                if let Some(slope) = case.get("slope_func") {
                    let s = comp.slope_func(&e).unwrap();
                    assert_close_vec(&format!("{ctx} slope_func"), &s, &nums(slope), 1e-11);
                }
            }
            (Some(out), Some(ts)) => {
                let rows = out.as_array().unwrap();
                assert_eq!(rows.len(), ts.len());
                for (row, &t) in rows.iter().zip(ts) {
                    let got = eval_both(&m, &e, Some(t));
                    assert_close_vec(&format!("{ctx} T={t}"), &got, &nums(row), rtol);
                }
            }
            (None, _) => match (name, case["case"].as_str().unwrap()) {
                // reference crashes at α = −2; recommended: NaN
                ("band", "invalid_alpha_eq_-2") => {
                    let got = eval_both(&m, &e, None);
                    assert!(
                        got.iter().all(|x| x.is_nan()),
                        "{ctx}: expected NaN, got {got:?}"
                    );
                }
                // reference divides by zero at m = −1; we use the 1/ln r limit: continuous in m
                ("mbb", "singular_m_eq_-1") => {
                    let at = eval_both(&m, &e, None);
                    let mpar = m.par("m").unwrap();
                    mpar.set_val(-1.0 + 1e-7);
                    let above = eval_both(&m, &e, None);
                    mpar.set_val(-1.0 - 1e-7);
                    let below = eval_both(&m, &e, None);
                    for i in 0..e.len() {
                        assert!(at[i].is_finite() && at[i] > 0.0, "{ctx}: {at:?}");
                        assert!(
                            common::close(at[i], above[i], 1e-6, ATOL),
                            "{ctx}: limit {i}"
                        );
                        assert!(
                            common::close(at[i], below[i], 1e-6, ATOL),
                            "{ctx}: limit {i}"
                        );
                    }
                }
                ("zdust", "invalid_method") => {
                    let err = m.eval(&e, None).unwrap_err().to_string();
                    assert!(err.contains("XYZ") && err.contains("MW"), "{ctx}: {err}");
                    assert!(m.compile().is_err());
                }
                ("tinvabs", "default") => {
                    let rows = case["intended_output"].as_array().unwrap();
                    for (row, &t) in rows.iter().zip(times.as_ref().unwrap()) {
                        let got = eval_both(&m, &e, Some(t));
                        assert_close_vec(&format!("{ctx} T={t}"), &got, &nums(row), RTOL_CLOSED);
                    }
                }
                other => panic!("unhandled reference failure case {other:?}"),
            },
        }
        checked += 1;
    }
    assert_eq!(checked, 88);
}

/// Build a composite from the vector's `build` text.
fn build(expr: &str) -> Model {
    let b = |n: &str| Model::builtin(n).unwrap();
    let c = |l: &Model, op, r: &Model| Model::combine(l, op, r).unwrap();
    match expr {
        "cpl() + bb()" => c(&b("cpl"), Op::Add, &b("bb")),
        "tbabs() * band()" => c(&b("tbabs"), Op::Mul, &b("band")),
        "tbabs() * cpl()" => c(&b("tbabs"), Op::Mul, &b("cpl")),
        "band() * hecut()" => c(&b("band"), Op::Mul, &b("hecut")),
        "const() * pl()" => c(&b("const"), Op::Mul, &b("pl")),
        "2 * cpl()" => Model::num_combine(2.0, Op::Mul, &b("cpl")).unwrap(),
        "cpl() / 2" => Model::combine_num(&b("cpl"), Op::Div, 2.0).unwrap(),
        "1 - hecut()" => Model::num_combine(1.0, Op::Sub, &b("hecut")).unwrap(),
        "bb() + bb()" => c(&b("bb"), Op::Add, &b("bb")),
        "(tbabs() * tbabs()) * (cpl() + csbpl())" => c(
            &c(&b("tbabs"), Op::Mul, &b("tbabs")),
            Op::Mul,
            &c(&b("cpl"), Op::Add, &b("csbpl")),
        ),
        "hlecpl() + bb()" => c(&b("hlecpl"), Op::Add, &b("bb")),
        other => panic!("unknown build {other}"),
    }
}

#[test]
fn composites_match_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let cases = v["composites"].as_array().unwrap();
    assert_eq!(cases.len(), 14);
    for case in cases {
        let b = case["build"].as_str().unwrap();
        let m = build(b);
        let ctx = format!("composite {b}");
        assert_eq!(m.expr(), case["expr"].as_str().unwrap(), "{ctx}: expr");
        assert_eq!(
            m.kind().name(),
            case["kind"].as_str().unwrap(),
            "{ctx}: kind"
        );
        let names: Vec<String> = m.components().into_iter().map(|(n, _)| n).collect();
        let want: Vec<String> = case["components"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_str().unwrap().to_string())
            .collect();
        assert_eq!(names, want, "{ctx}: components");
        apply_tables(&m, case, &ctx);
        let e = nums(&case["energies_keV"]);
        let t = case.get("times_s").map(|t| nums(t)[0]);
        let got = eval_both(&m, &e, t);
        assert_close_vec(&ctx, &got, &nums(&case["output"]), RTOL_CLOSED);
        if let Some(fv) = case.get("Fv_erg") {
            let ts = t.map(|t| vec![t]);
            assert_close_vec(
                &format!("{ctx} Fv"),
                &m.flxspec(&e, ts.as_deref()).unwrap(),
                &nums(fv),
                RTOL_CLOSED,
            );
            let vfv = m.ergspec(&e, ts.as_deref()).unwrap();
            assert_close_vec(
                &format!("{ctx} vFv"),
                &vfv,
                &nums(&case["vFv_erg"]),
                RTOL_CLOSED,
            );
        }
        if m.kind().name() == "mul" {
            assert_close_vec(
                &ctx,
                &m.nouspec(&e, None).unwrap(),
                &nums(&case["output"]),
                RTOL_CLOSED,
            );
            assert!(m.phtspec(&e, None).is_err());
        }
    }
}

#[test]
fn fluxes_match_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    for case in v["fluxes"].as_array().unwrap() {
        let name = case["model"].as_str().unwrap();
        let m = Model::builtin(name).unwrap();
        apply_tables(&m, case, name);
        let (lo, hi) = (
            common::num(&case["emin_keV"]),
            common::num(&case["emax_keV"]),
        );
        let ctx = format!("{name} [{lo}, {hi}]");
        for ngrid in [1000usize, 100] {
            let p = m.phtflux_with(lo, hi, ngrid, None).unwrap();
            let want = common::num(&case[format!("phtflux_ngrid{ngrid}")]);
            assert!(
                common::close(p, want, RTOL_QUAD, 0.0),
                "{ctx} phtflux {ngrid}: {p:e} vs {want:e}"
            );
            let f = m.ergflux_with(lo, hi, ngrid, None).unwrap();
            let want = common::num(&case[format!("ergflux_ngrid{ngrid}")]);
            assert!(
                common::close(f, want, RTOL_QUAD, 0.0),
                "{ctx} ergflux {ngrid}: {f:e} vs {want:e}"
            );
        }
        // default grid is 1000 points
        assert_eq!(
            m.phtflux(lo, hi).unwrap(),
            m.phtflux_with(lo, hi, 1000, None).unwrap()
        );
        assert_eq!(
            m.ergflux(lo, hi).unwrap(),
            m.ergflux_with(lo, hi, 1000, None).unwrap()
        );
        // and close to the adaptive quadrature (~6e-6 relative)
        let q = common::num(&case["phtflux_quad"]);
        assert!(common::close(m.phtflux(lo, hi).unwrap(), q, 1e-4, 0.0));
    }
}

fn bins(v: &Value) -> (Vec<f64>, Vec<f64>) {
    v.as_array()
        .unwrap()
        .iter()
        .map(|b| (common::num(&b[0]), common::num(&b[1])))
        .unzip()
}

#[test]
fn bin_integration_matches_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let bi = &v["bin_integration"];
    assert_eq!(bi["ngrid"].as_u64(), Some(5));
    for case in bi["cases"].as_array().unwrap() {
        let b = case["build"].as_str().unwrap();
        let m = match b {
            "cpl()" => Model::builtin("cpl").unwrap(),
            "pl()" => Model::builtin("pl").unwrap(),
            "tbabs() * cpl()" => build(b),
            other => panic!("unknown build {other}"),
        };
        assert_eq!(m.expr(), case["expr"].as_str().unwrap());
        apply_tables(&m, case, b);
        let (lo, hi) = bins(&case["photon_bins_keV"]);
        let got = m.integrate_bins(&lo, &hi, None).unwrap();
        assert_close_vec(
            &format!("bins {b}"),
            &got,
            &nums(&case["bin_photon_flux"]),
            RTOL_QUAD,
        );
    }
}

#[test]
fn folding_toy_matches_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let f = &v["folding_toy"];
    let m = Model::builtin("cpl").unwrap();
    apply_tables(&m, f, "folding_toy");
    let (lo, hi) = bins(&f["photon_bins_keV"]);
    let c = m.compile().unwrap();
    let pars = c.values_from(&m).unwrap();
    let mut flux = vec![0.0; lo.len()];
    let mut ws = Workspace::new();
    c.integrate_bins(&pars, &lo, &hi, None, &mut flux, &mut ws)
        .unwrap();
    assert_close_vec(
        "toy bin flux",
        &flux,
        &nums(&f["bin_photon_flux"]),
        RTOL_QUAD,
    );
    let drm: Vec<Vec<f64>> = f["drm_cm2"].as_array().unwrap().iter().map(nums).collect();
    let (clo, chi) = bins(&f["channel_bins_keV"]);
    let nch = clo.len();
    let rate: Vec<f64> = (0..nch)
        .map(|k| (0..lo.len()).map(|i| flux[i] * drm[i][k]).sum())
        .collect();
    assert_close_vec("toy ctsrate", &rate, &nums(&f["ctsrate"]), RTOL_QUAD);
    let spec: Vec<f64> = (0..nch).map(|k| rate[k] / (chi[k] - clo[k])).collect();
    assert_close_vec("toy ctsspec", &spec, &nums(&f["ctsspec"]), RTOL_QUAD);
}

#[test]
fn spectral_representations_match_reference_vectors() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let s = &v["spectral_representations"];
    assert_eq!(common::num(&s["kev_to_erg"]), KEV_TO_ERG);
    let m = Model::builtin("cpl").unwrap();
    apply_tables(&m, s, "representations");
    let e = nums(&s["energies_keV"]);
    assert_close_vec(
        "NE",
        &m.phtspec(&e, None).unwrap(),
        &nums(&s["NE"]),
        RTOL_CLOSED,
    );
    assert_close_vec(
        "Fv",
        &m.flxspec(&e, None).unwrap(),
        &nums(&s["Fv"]),
        RTOL_CLOSED,
    );
    assert_close_vec(
        "vFv",
        &m.ergspec(&e, None).unwrap(),
        &nums(&s["vFv"]),
        RTOL_CLOSED,
    );
}

#[test]
fn unavailable_components_are_listed_with_reason() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    for u in v["unavailable_components"].as_array().unwrap() {
        let name = u["model"].as_str().unwrap();
        let info = bayspec::model::catalogue_entry(name).unwrap();
        assert!(info.unavailable.is_some(), "{name} should be unavailable");
        let err = Component::builtin(name).unwrap_err().to_string();
        assert!(err.contains("unavailable"), "{err}");
        // the catalogue still documents the parameter table
        let params = u["params"]
            .as_array()
            .or(u["documented_params"].as_array())
            .unwrap();
        assert_eq!(info.params.len(), params.len(), "{name}");
        for (ps, w) in info.params.iter().zip(params) {
            assert_eq!(ps.label, w["label"].as_str().unwrap());
            assert_eq!(ps.default, common::num(&w["val"]));
            assert_eq!(ps.prior, unif_bounds(w["prior"].as_str().unwrap()));
        }
        let cfgs = u["config"]
            .as_array()
            .or(u["documented_config"].as_array())
            .unwrap();
        assert_eq!(info.configs.len(), cfgs.len());
        for (cs, w) in info.configs.iter().zip(cfgs) {
            assert_eq!(cs.label, w["label"].as_str().unwrap());
            assert_eq!(cs.default.value(), CfgValue::Num(common::num(&w["value"])));
        }
    }
}
