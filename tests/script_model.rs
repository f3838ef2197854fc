//! The Rhai binding of the model layer (api.md, Models): constructors, algebra, parameter and
//! configuration access, evaluation, user components, help and listing. Numbers are compared
//! with the Rust model layer and with the reference vectors.

mod common;

use std::process::Command;

use bayspec::model::{catalogue, Model, Workspace, KEV_TO_ERG};
use bayspec::script::{self, docs::Docs, help::help_text};
use rhai::{Array, Dynamic, Engine};

fn engine() -> Engine {
    script::engine()
}

fn eval<T: Clone + Send + Sync + 'static>(code: &str) -> T {
    match engine().eval::<T>(code) {
        Ok(v) => v,
        Err(e) => panic!("script failed: {e}\n{code}"),
    }
}

fn eval_err(code: &str) -> String {
    match engine().eval::<Dynamic>(code) {
        Ok(v) => panic!("script should fail but gave {v:?}:\n{code}"),
        Err(e) => e.to_string(),
    }
}

fn floats(a: &Array) -> Vec<f64> {
    a.iter()
        .map(|d| d.as_float().expect("array of floats"))
        .collect()
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a.is_nan() && b.is_nan()) || a == b || (a - b).abs() <= rel * a.abs().max(b.abs())
}

fn assert_close_vec(got: &[f64], want: &[f64], rel: f64, what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (i, (g, w)) in got.iter().zip(want).enumerate() {
        assert!(close(*g, *w, rel), "{what}[{i}]: got {g}, want {w}");
    }
}

/// Stdout of `bayspec -e code`; panics (with stderr) unless it succeeds.
fn run_e(code: &str) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_bayspec"))
        .args(["-e", code])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).to_string()
}

#[test]
fn spectra_match_the_rust_layer() {
    let e = [10.0, 100.0, 1000.0];
    let cpl = Model::builtin("cpl").unwrap();
    let want = cpl.phtspec(&e, None).unwrap();
    let got: Array = eval("cpl().phtspec([10.0, 100.0, 1000.0])");
    assert_close_vec(&floats(&got), &want, 0.0, "phtspec floats");
    // integer energies, and a number gives a number
    let got: Array = eval("cpl().phtspec([10, 100, 1000])");
    assert_close_vec(&floats(&got), &want, 0.0, "phtspec ints");
    let got: f64 = eval("cpl().phtspec(100)");
    assert_eq!(got, want[1]);

    let band = Model::builtin("band").unwrap();
    let got: Array = eval("band().flxspec([10.0, 100.0, 1000.0])");
    assert_close_vec(
        &floats(&got),
        &band.flxspec(&e, None).unwrap(),
        0.0,
        "flxspec",
    );
    let got: Array = eval("band().ergspec([10.0, 100.0, 1000.0])");
    let erg = band.ergspec(&e, None).unwrap();
    assert_close_vec(&floats(&got), &erg, 0.0, "ergspec");
    // vFv = 1.60218e-9 E^2 N(E) really
    let n = band.phtspec(&e, None).unwrap();
    for i in 0..3 {
        assert!(close(erg[i], KEV_TO_ERG * e[i] * e[i] * n[i], 1e-14));
    }
    let tb = Model::builtin("tbabs").unwrap();
    let got: Array = eval("tbabs().nouspec([1, 2.0, 5])");
    assert_close_vec(
        &floats(&got),
        &tb.nouspec(&[1.0, 2.0, 5.0], None).unwrap(),
        0.0,
        "nouspec",
    );

    let pf: f64 = eval("cpl().phtflux(10, 1000)");
    assert_eq!(pf, cpl.phtflux(10.0, 1000.0).unwrap());
    let ef: f64 = eval("cpl().ergflux(10.0, 1000)");
    assert_eq!(ef, cpl.ergflux(10.0, 1000.0).unwrap());
    let ef: f64 = eval("cpl().ergflux(10, 1000, #{ ngrid: 50 })");
    assert_eq!(ef, cpl.ergflux_with(10.0, 1000.0, 50, None).unwrap());
    assert_ne!(ef, cpl.ergflux(10.0, 1000.0).unwrap());
}

#[test]
fn time_dependent_evaluation_takes_t() {
    // hlecpl is valid for T >= t_c = 10 s (NaN before)
    let m = Model::builtin("hlecpl").unwrap();
    let want = m.phtspec(&[10.0, 100.0], Some(&[15.0])).unwrap();
    assert!(want.iter().all(|x| x.is_finite() && *x > 0.0), "{want:?}");
    let got: Array = eval("hlecpl().phtspec([10.0, 100.0], 15)");
    assert_close_vec(&floats(&got), &want, 0.0, "T number");
    let want = m.phtspec(&[10.0, 100.0], Some(&[15.0, 20.0])).unwrap();
    assert!(want.iter().all(|x| x.is_finite()), "{want:?}");
    let got: Array = eval("hlecpl().phtspec([10, 100], [15, 20.0])");
    assert_close_vec(&floats(&got), &want, 0.0, "T array");
    // cpl at T = t_c: the spectrum is a cpl with peak Epc and normalisation Ac
    let got: f64 = eval("hlecpl().phtspec(50.0, 10)");
    let cpl = Model::builtin("cpl").unwrap();
    assert!(
        close(got, cpl.phtspec(&[50.0], None).unwrap()[0], 1e-12),
        "{got}"
    );
    let pf: f64 = eval("hlecpl().phtflux(10, 100, #{ time: 15 })");
    assert!(pf.is_finite() && pf > 0.0);
    assert_eq!(pf, m.phtflux_with(10.0, 100.0, 1000, Some(15.0)).unwrap());
    let nan: f64 = eval("hlecpl().phtspec(50.0, 5)");
    assert!(nan.is_nan());
    let msg = eval_err("hlecpl().phtspec([10.0, 100.0])");
    assert!(msg.contains("time"), "{msg}");
    let msg = eval_err("hlecpl().phtspec([10.0, 100.0], [15.0, 16.0, 17.0])");
    assert!(msg.contains("3 times for 2 energies"), "{msg}");
}

#[test]
fn components_are_shared_handles() {
    // changing c changes the composite
    let v: f64 = eval("let c = cpl(); let m = c + bb(); c.par[1].val = 3; m.par[1].val");
    assert_eq!(v, 3.0);
    // and the other way round, and the spectra follow
    let got: Array = eval(
        "let c = cpl(); let b = bb(); let m = c + b;
         m.par[\"alpha\"].val = -0.5;
         let s = m.phtspec([50.0]);
         [c.par[1].val, s[0], c.phtspec(50.0) + b.phtspec(50.0)]",
    );
    let got = floats(&got);
    assert_eq!(got[0], -0.5);
    let c = Model::builtin("cpl").unwrap();
    c.par(1).unwrap().set_val(-0.5);
    let b = Model::builtin("bb").unwrap();
    let want = c.phtspec(&[50.0], None).unwrap()[0] + b.phtspec(&[50.0], None).unwrap()[0];
    assert!(close(got[1], want, 1e-15), "{} vs {want}", got[1]);
    assert!(close(got[2], want, 1e-15));
    // a Par taken out of the model is a handle too
    let v: f64 = eval("let m = cpl(); let p = m.par[2]; p.val = 2.5; m.par[\"logEp\"].val");
    assert_eq!(v, 2.5);
    // the model extracted into Rust shares the same parameters
    let m: Model = eval("let c = cpl(); let m = c * tbabs(); c.par[1].val = -2; m");
    assert_eq!(m.par("alpha").unwrap().val(), -2.0);
    assert_eq!(m.expr(), "(cpl*tbabs)");
}

#[test]
fn renaming_a_component() {
    let s: String = eval("let c = cpl(); c.expr = \"cpl2\"; let m = c + bb(); m.expr");
    assert_eq!(s, "(cpl2+bb)");
    let s: String = eval("let c = tbabs(); c.expr = \"ztbabs\"; (tbabs() * c * cpl()).expr");
    assert_eq!(s, "((tbabs*ztbabs)*cpl)");
    // a label lookup sees the new name
    let v: f64 = eval(
        "let c = cpl(); c.expr = \"cpl2\"; let m = cpl() + c;
         m.par[\"cpl2.alpha\"].val = 0.25; c.par[1].val",
    );
    assert_eq!(v, 0.25);
    let msg = eval_err("let m = cpl() + bb(); m.expr = \"x\";");
    assert!(msg.contains("single component"), "{msg}");
    let msg = eval_err("let c = cpl(); c.expr = \"a b\";");
    assert!(msg.contains("must not contain"), "{msg}");
    // duplicates are shown as name_2
    let s: String = eval("(bb() + bb() + bb()).expr");
    assert_eq!(s, "((bb+bb_2)+bb_3)");
}

#[test]
fn int_float_tolerance_and_lookup_forms() {
    let v: Array = eval(
        "let m = tbabs() * cpl();
         m.par[2].val = 2;             // INT
         m.par[\"3\"].val = 1.5;         // index as text
         m.par[\"logA\"].val = -1;
         m.par[\"log$E_p$\"].val;
         [m.par[2].val, m.par[3].val, m.par[\"cpl.logA\"].val, m.par[\"NH\"].val]",
    );
    assert_eq!(floats(&v), vec![2.0, 1.5, -1.0, 1.0]);
    let ty: String = eval("let m = cpl(); m.par[1].val = 2; type_of(m.par[1].val)");
    assert_eq!(ty, "f64");
    let n: i64 = eval("(tbabs() * cpl()).npar");
    assert_eq!(n, 4);
    let n: i64 = eval("(tbabs() * cpl()).ncfg");
    assert_eq!(n, 4);
    let k: String = eval("(tbabs() * cpl()).kind");
    assert_eq!(k, "add");
    let k: String = eval("(2 / tbabs()).kind");
    assert_eq!(k, "mul");
    let msg = eval_err("cpl().par[0]");
    assert!(msg.contains("start at 1"), "{msg}");
    let msg = eval_err("cpl().par[9]");
    assert!(msg.contains("#9") || msg.contains("par#9"), "{msg}");
    let msg = eval_err("let m = cpl(); m.par[1].val = \"x\";");
    assert!(msg.contains("must be a number"), "{msg}");
}

#[test]
fn numbers_on_either_side_of_operators() {
    let e = [10.0, 300.0];
    let cpl = Model::builtin("cpl").unwrap();
    let n = cpl.phtspec(&e, None).unwrap();
    for (code, expr, f) in [
        (
            "2 * cpl()",
            "(cpl*const)",
            (|x: f64| 2.0 * x) as fn(f64) -> f64,
        ),
        ("cpl() * 2.5", "(cpl*const)", |x| x * 2.5),
        ("cpl() / 4", "(cpl/const)", |x| x / 4.0),
        ("1.5 + cpl()", "(cpl+const)", |x| x + 1.5),
        ("cpl() - 1", "(cpl-const)", |x| x - 1.0),
        ("1 - cpl()", "(const-cpl)", |x| 1.0 - x),
    ] {
        let m: Model = eval(code);
        assert_eq!(m.expr(), expr, "{code}");
        let got: Array = eval(&format!("({code}).phtspec([10.0, 300.0])"));
        let want: Vec<f64> = n.iter().map(|&x| f(x)).collect();
        assert_close_vec(&floats(&got), &want, 1e-15, code);
    }
    // the literal is a frozen constant
    let s: String = eval("(2 * cpl()).par[4].to_string()");
    assert!(s.contains("frozen"), "{s}");
}

#[test]
fn kind_errors_at_construction() {
    let msg = eval_err("let m = cpl() * bb();");
    assert!(msg.contains("unsupported model kinds (add, add)"), "{msg}");
    assert!(msg.contains("'*'"), "{msg}");
    let msg = eval_err("let m = tbabs() / cpl();");
    assert!(msg.contains("(mul, add)"), "{msg}");
    let msg = eval_err("let m = cpl() + tbabs();");
    assert!(msg.contains("(add, mul)"), "{msg}");
    // derived quantities of the wrong kind
    let msg = eval_err("tbabs().phtspec([1.0])");
    assert!(msg.contains("invalid for mul type model"), "{msg}");
    let msg = eval_err("cpl().nouspec([1.0])");
    assert!(msg.contains("invalid for add type model"), "{msg}");
}

#[test]
fn unknown_labels_and_keys_are_errors() {
    let msg = eval_err("cpl().par[\"gamma\"]");
    for l in ["cpl.alpha", "cpl.logE_p", "cpl.logA"] {
        assert!(msg.contains(l), "{msg}");
    }
    let msg = eval_err("(cpl() + bb()).par[\"logA\"]");
    assert!(
        msg.contains("ambiguous") && msg.contains("bb.logA"),
        "{msg}"
    );
    let msg = eval_err("cpl().cfg[\"redshft\"]");
    assert!(
        msg.contains("redshift") && msg.contains("pivot_energy"),
        "{msg}"
    );
    // constructor options: values by label, unknown keys listed
    let v: Array = eval(
        "let m = cpl(#{ alpha: -1.2, logEp: 2, redshift: 1 });
         [m.par[1].val, m.par[2].val, m.cfg[\"redshift\"].val]",
    );
    assert_eq!(floats(&v), vec![-1.2, 2.0, 1.0]);
    let msg = eval_err("cpl(#{ alpah: 1 })");
    assert!(msg.contains("'alpah'"), "{msg}");
    assert!(msg.contains("alpha, logE_p, logA"), "{msg}");
    let msg = eval_err("cpl(#{ alpha: \"x\" })");
    assert!(msg.contains("'alpha'") && msg.contains("number"), "{msg}");
    let msg = eval_err("cpl().phtflux(10, 100, #{ ngird: 10 })");
    assert!(
        msg.contains("'ngird'") && msg.contains("ngrid, time"),
        "{msg}"
    );
    let msg = eval_err("cpl().phtflux(10, 100, #{ ngrid: 1 })");
    assert!(msg.contains("at least 2"), "{msg}");
    // vfv_peak given with the alternative parameters
    let s: String = eval("let m = cpl(#{ vfv_peak: false, logEc: 2.5 }); m.par[2].label");
    assert_eq!(s, "log$E_c$");
    let v: f64 = eval("let m = cpl(#{ vfv_peak: false, logEc: 2.5 }); m.par[2].val");
    assert_eq!(v, 2.5);
}

#[test]
fn par_and_cfg_properties() {
    let v: Array = eval(
        "let m = tbabs() * cpl();
         m.par[1].val = 0.1; m.par[1].frozen = true;
         m.par[3].frozen_at(2);
         m.par[\"alpha\"].prior = norm(0, 1);
         let r = m.par[3].range;
         let r2 = m.par[4].range();
         [m.par[1].frozen, m.par[3].frozen, m.par[3].val, r[0], r[1], r2[0], r2[1],
          m.par[\"alpha\"].prior.mean, m.par[4].value]",
    );
    assert!(v[0].as_bool().unwrap());
    assert!(v[1].as_bool().unwrap());
    let rest: Vec<f64> = v[2..].iter().map(|d| d.as_float().unwrap()).collect();
    assert_eq!(rest, vec![2.0, 2.0, 2.0, -10.0, 10.0, 0.0, 0.0]);
    let s: String = eval("let m = cpl(); m.par[1].prior = unif(-3, 1); m.par[1].prior.to_string()");
    assert_eq!(s, "unif(-3, 1)");
    let b: bool = eval("let m = cpl(); m.par[1].prior = (); m.par[1].prior == ()");
    assert!(b);
    let msg = eval_err("let m = cpl(); m.par[1].prior = 3;");
    assert!(msg.contains("prior"), "{msg}");
    let s: String = eval("cpl().par[2].label");
    assert_eq!(s, "log$E_p$");
    let s: String = eval("let p = cpl().par[1]; p.comment = \"slope\"; p.comment");
    assert_eq!(s, "slope");
    let s: String = eval("let m = cpl(); m.par[1].val = 0.5; m.par[1].to_string()");
    assert!(s.contains("0.5") && s.contains("unif("), "{s}");
    // Cfg values: number, bool, string, ()
    let v: Array = eval(
        "let m = cpl() * zdust();
         m.cfg[1].val = 0.5;
         m.cfg[\"cpl.pivot_energy\"].val = 50;
         [m.cfg[1].val, m.cfg[\"pivot_energy\"].val, m.cfg[\"vfv_peak\"].val,
          m.cfg[\"method\"].val, m.cfg[\"R_V\"].val]",
    );
    assert_eq!(v[0].as_float().unwrap(), 0.5);
    assert_eq!(v[1].as_float().unwrap(), 50.0);
    assert!(v[2].as_bool().unwrap());
    assert!(v[3].is_string(), "{:?}", v[3]);
    assert!(v[4].is_unit(), "{:?}", v[4]);
    let msg = eval_err("let m = cpl(); m.cfg[\"vfv_peak\"].val = 3;");
    assert!(msg.contains("vfv_peak") && msg.contains("boolean"), "{msg}");
    // redshift really applies: cpl with z = 1 at E equals z = 0 at 2E
    let v: Array = eval(
        "let a = cpl(); a.cfg[\"redshift\"].val = 1; let b = cpl();
         [a.phtspec(50.0), b.phtspec(100.0)]",
    );
    let v = floats(&v);
    assert!(close(v[0], v[1], 1e-14), "{v:?}");
    // iteration and length
    let n: i64 = eval("let n = 0; for p in (cpl() + bb()).par { n += 1; } n");
    assert_eq!(n, 5);
    let n: i64 = eval("(cpl() + bb()).par.len");
    assert_eq!(n, 5);
}

#[test]
fn printing_uses_the_layer_tables() {
    let m: Model = eval("tbabs() * (cpl() + bb())");
    let shown: String = eval("let m = tbabs() * (cpl() + bb()); m.to_string()");
    assert_eq!(shown, m.to_string());
    assert!(shown.contains("par#") && shown.contains("cfg#") && shown.contains("Prior"));
    assert!(shown.contains("((tbabs*(cpl+bb))") || shown.contains("(tbabs*(cpl+bb))"));
    let dbg: String = eval("to_debug(cpl())");
    assert!(dbg.contains("cpl"), "{dbg}");
    let t: String = eval("(cpl() + bb()).par.to_string()");
    assert!(t.contains("bb") && t.contains("logkT"), "{t}");
    // print() goes through to_string: run it through the binary
    let s = run_e("let m = cpl(); m.par[1].frozen = true; print(m);");
    assert!(
        s.contains("Model: cpl [add]") && s.contains("frozen"),
        "{s}"
    );
}

#[test]
fn every_catalogue_component_has_a_constructor() {
    for info in catalogue() {
        let call = script::model::script_name(info.name);
        let r = engine().eval::<Model>(&format!("{call}()"));
        match info.unavailable {
            None => {
                let m = r.unwrap_or_else(|e| panic!("{call}(): {e}"));
                assert_eq!(m.expr(), info.name);
                assert_eq!(m.kind(), info.kind);
                assert_eq!(m.npar(), info.params.len());
            }
            Some(why) => {
                let msg = r.err().map(|e| e.to_string()).unwrap_or_default();
                assert!(
                    msg.contains("unavailable") && msg.contains(why),
                    "{call}: {msg}"
                );
            }
        }
    }
    let c: f64 = eval("constant(#{ C: 2 }).nouspec(7.0)");
    assert_eq!(c, 2.0);
}

const MYPL: &str = r#"
let mypl = Component(#{
    name: "mypl", kind: "additive",
    params: [ #{ label: "alpha", val: -1.0, prior: unif(-4, 2) },
              #{ label: "logA",  val: 0.0,  prior: unif(-6, 6) } ],
    func: |E, T, p| 10.0 ** p[1] * (E / 100.0) ** p[0],
});
"#;

fn mypl(e: f64, alpha: f64, log_a: f64) -> f64 {
    10f64.powf(log_a) * (e / 100.0).powf(alpha)
}

#[test]
fn user_component_in_algebra_and_compiled() {
    let e = [20.0, 150.0, 700.0];
    // alone, in a script
    let got: Array = eval(&format!(
        "{MYPL} mypl.par[1].val = -1.5; mypl.par[\"logA\"].val = 1; mypl.phtspec([20, 150.0, 700])"
    ));
    let want: Vec<f64> = e.iter().map(|&x| mypl(x, -1.5, 1.0)).collect();
    assert_close_vec(&floats(&got), &want, 1e-14, "mypl");

    // in algebra with built-ins, extracted to Rust and compiled
    let m: Model = eval(&format!(
        "{MYPL} mypl.par[1].val = -2; tbabs() * (mypl + bb())"
    ));
    assert_eq!(m.expr(), "(tbabs*(mypl+bb))");
    assert_eq!(m.npar(), 5);
    let tb = Model::builtin("tbabs").unwrap();
    let bb = Model::builtin("bb").unwrap();
    let fac = tb.nouspec(&e, None).unwrap();
    let nbb = bb.phtspec(&e, None).unwrap();
    let want: Vec<f64> = (0..3)
        .map(|i| fac[i] * (mypl(e[i], -2.0, 0.0) + nbb[i]))
        .collect();
    assert_close_vec(&m.phtspec(&e, None).unwrap(), &want, 1e-14, "tree eval");
    let compiled = m.compile().unwrap();
    let pars = m.par_values();
    let mut out = vec![0.0; 3];
    let mut ws = Workspace::new();
    compiled.eval(&pars, &e, None, &mut out, &mut ws).unwrap();
    assert_close_vec(&out, &want, 1e-14, "compiled");
    // from other threads, outside any script evaluation
    let compiled = std::sync::Arc::new(compiled);
    let handles: Vec<_> = (0..3)
        .map(|k| {
            let c = compiled.clone();
            let mut p = pars.clone();
            std::thread::spawn(move || {
                p[1] = -1.0 - k as f64; // alpha of mypl (par#2)
                let mut out = vec![0.0; 3];
                let mut ws = Workspace::new();
                c.eval(&p, &[20.0, 150.0, 700.0], None, &mut out, &mut ws)
                    .map(|_| (k, out))
            })
        })
        .collect();
    for h in handles {
        let (k, out) = h.join().unwrap().unwrap();
        let alpha = -1.0 - k as f64;
        let want: Vec<f64> = (0..3)
            .map(|i| fac[i] * (mypl(e[i], alpha, 0.0) + nbb[i]))
            .collect();
        assert_close_vec(&out, &want, 1e-14, "thread");
    }
    // integrated over response bins like a built-in
    let bins = m
        .integrate_bins(&[10.0, 100.0], &[20.0, 200.0], None)
        .unwrap();
    assert!(bins.iter().all(|x| x.is_finite() && *x > 0.0), "{bins:?}");
}

#[test]
fn user_component_closures_keep_their_environment() {
    // a captured variable and a script-defined function, called after the script finished
    let m: Model = eval(
        r#"
        fn shape(x, a) { x ** a }
        let k = 3.0;
        Component(#{
            name: "shaped", kind: "add",
            params: [ #{ label: "a", val: -1, prior: unif(-3, 1), comment: "index" } ],
            func: |E, T, p| E.map(|x| k * shape(x, p[0])),
            comment: "a test shape",
        })
        "#,
    );
    let got = m.phtspec(&[2.0, 4.0], None).unwrap();
    assert_close_vec(&got, &[1.5, 0.75], 1e-15, "closure");
    assert!(m.comment().contains("a test shape"));
    assert_eq!(m.par(1).unwrap().comment().as_deref(), Some("index"));
    // T arrives per energy; a math component may return one number
    let v: Array = eval(
        r#"
        let tc = Component(#{ name: "tc", kind: "add",
            params: [ #{ label: "s", val: 2.0, prior: unif(0, 5) } ],
            func: |E, T, p| if T == () { E * 0.0 } else { vadd(E * 0.0, T) * p[0] } });
        let c = Component(#{ name: "c", kind: "math", params: [ #{ label: "v", val: 4, frozen: true } ],
            func: |E, T, p| p[0] });
        let a = tc.phtspec([1.0, 2.0], [10, 20]);
        let b = tc.phtspec([1.0, 2.0]);
        let d = (tc * c).phtspec([1.0, 2.0], 3.0);
        a + b + d + [c.par[1].frozen]
        "#,
    );
    assert_eq!(
        floats(&v[..6].to_vec()),
        vec![20.0, 40.0, 0.0, 0.0, 24.0, 24.0]
    );
    assert!(v[6].as_bool().unwrap());
}

#[test]
fn user_component_runs_concurrently() {
    // the closure captures an array and indexes it; many threads evaluate at once
    let m: Model = eval(
        r#"
        let table = [1.0, 2.0, 3.0, 4.0];
        let c = Component(#{ name: "tab", kind: "add",
            params: [ #{ label: "i", val: 0, prior: unif(0, 3) } ],
            func: |E, T, p| E * table[p[0].to_int()] });
        table[0] = 100.0;      // not seen: captured values are copied at construction
        c
        "#,
    );
    let compiled = std::sync::Arc::new(m.compile().unwrap());
    let handles: Vec<_> = (0..4)
        .map(|k| {
            let c = compiled.clone();
            std::thread::spawn(move || {
                let mut ws = Workspace::new();
                let mut out = vec![0.0; 2];
                for _ in 0..200 {
                    c.eval(&[k as f64], &[1.0, 10.0], None, &mut out, &mut ws)?;
                    let f = (k + 1) as f64;
                    if out != [f, 10.0 * f] {
                        return Err(bayspec::Error::new(format!("thread {k}: {out:?}")));
                    }
                }
                Ok(())
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap().unwrap();
    }
}

#[test]
fn user_component_errors() {
    // errors from the closure become evaluation errors, not panics
    let code = r#"let bad = Component(#{ name: "bad", kind: "add", params: [],
                   func: |E, T, p| { throw "boom"; } });"#;
    let msg = eval_err(&format!("{code} bad.phtspec([1.0])"));
    assert!(msg.contains("boom") && msg.contains("bad"), "{msg}");
    let m: Model = eval(&format!("{code} bad"));
    let err = m.phtspec(&[1.0], None).unwrap_err().to_string();
    assert!(err.contains("boom"), "{err}");
    // wrong length, with the concatenation hint
    let msg = eval_err(
        r#"let c = Component(#{ name: "c2", kind: "add", params: [], func: |E, T, p| E + E });
           c.phtspec([1.0, 2.0])"#,
    );
    assert!(
        msg.contains("4 values for 2 energies") && msg.contains("vadd"),
        "{msg}"
    );
    let msg = eval_err(
        r#"let c = Component(#{ name: "c3", kind: "add", params: [], func: |E, T, p| "x" });
           c.phtspec([1.0])"#,
    );
    assert!(msg.contains("string"), "{msg}");
    let msg = eval_err(
        r#"let c = Component(#{ name: "c4", kind: "add", params: [], func: |E, T| E });
           c.phtspec([1.0])"#,
    );
    assert!(msg.contains("three arguments"), "{msg}");
    // construction errors
    let msg = eval_err(r#"Component(#{ name: "x", kind: "add", params: [], fun: |E, T, p| E })"#);
    assert!(msg.contains("'fun'") && msg.contains("func"), "{msg}");
    let msg = eval_err(r#"Component(#{ name: "x", kind: "additve", func: |E, T, p| E })"#);
    assert!(msg.contains("additve"), "{msg}");
    let msg = eval_err(
        r#"Component(#{ name: "x", kind: "add", params: [#{ label: "a", vla: 1 }], func: |E, T, p| E })"#,
    );
    assert!(msg.contains("'vla'") && msg.contains("label, val"), "{msg}");
    let msg = eval_err(
        r#"Component(#{ name: "x", kind: "add", params: [#{ label: "a", val: 1, prior: 3 }], func: |E, T, p| E })"#,
    );
    assert!(msg.contains("prior"), "{msg}");
    let msg = eval_err(r#"Component(#{ name: "a b", kind: "add", func: |E, T, p| E })"#);
    assert!(msg.contains("must not contain"), "{msg}");
    let msg = eval_err(r#"Component(#{ name: "x", kind: "add", func: 3 })"#);
    assert!(msg.contains("func"), "{msg}");
    // a user component in a forbidden combination
    let msg = eval_err(&format!("{MYPL} mypl * cpl()"));
    assert!(msg.contains("(add, add)"), "{msg}");
}

#[test]
fn help_for_components_and_functions() {
    let mut e = Engine::new();
    let mut docs = Docs::new();
    script::model::register(&mut e, &mut docs);
    let band = help_text(&docs, &[], "band").unwrap();
    assert!(band.contains("band()"), "{band}");
    assert!(band.contains("Band et al. 1993"), "{band}");
    assert!(band.contains("alpha") && band.contains("unif("), "{band}");
    for name in [
        "phtspec",
        "ergflux",
        "Component",
        "Model",
        "Par",
        "Cfg",
        "models",
        "const",
        "constant",
    ] {
        assert!(help_text(&docs, &[], name).is_some(), "{name}");
    }
    let topic = help_text(&docs, &[], "models").unwrap();
    assert!(
        topic.contains("tbabs") && topic.contains("phtflux"),
        "{topic}"
    );
    // through the binary: help("band") prints the long help
    let s = run_e("help(\"band\")");
    assert!(
        s.contains("Band et al. 1993") && s.contains("log$E_p$"),
        "{s}"
    );
}

#[test]
fn models_lists_the_catalogue() {
    let s = run_e("models()");
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(lines.len(), catalogue().len(), "{s}");
    for (line, info) in lines.iter().zip(catalogue()) {
        assert!(line.starts_with(info.name), "{line}");
        assert_eq!(
            line.contains("(unavailable)"),
            info.unavailable.is_some(),
            "{line}"
        );
    }
}

/// Every plain component case of models.json, driven through the script binding (parameter and
/// configuration values set with m.par[i].val / m.cfg[i].val).
#[test]
fn reference_vectors_through_the_script() {
    let Some(v) = common::vectors("models.json") else {
        return;
    };
    let mut checked = 0;
    for case in v["components"].as_array().unwrap() {
        let skip = [
            "error",
            "recommended_output",
            "times_s",
            "reference_is_garbage",
            "intended_output",
            "output_layout",
            "wavelengths_angstrom",
        ];
        if skip.iter().any(|k| case.get(*k).is_some()) || !case["output"].is_array() {
            continue;
        }
        let name = case["model"].as_str().unwrap();
        let mut code = format!("let m = {}();\n", script::model::script_name(name));
        for c in case["config"].as_array().unwrap() {
            let val = &c["value"];
            let lit = if let Some(b) = val.as_bool() {
                b.to_string()
            } else if let Some(s) = val.as_str() {
                format!("{s:?}")
            } else if val.is_null() {
                "()".to_string()
            } else {
                format!("{:?}", val.as_f64().unwrap())
            };
            code += &format!("m.cfg[{}].val = {lit};\n", c["cfg#"]);
        }
        for p in case["params"].as_array().unwrap() {
            code += &format!("m.par[{}].val = {:?};\n", p["par#"], common::num(&p["val"]));
        }
        let e: Vec<String> = case["energies_keV"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| format!("{:?}", common::num(x)))
            .collect();
        let method = if case["kind"] == "add" {
            "phtspec"
        } else {
            "nouspec"
        };
        code += &format!("m.{method}([{}])", e.join(", "));
        let got: Array = eval(&code);
        let want: Vec<f64> = case["output"]
            .as_array()
            .unwrap()
            .iter()
            .map(common::num)
            .collect();
        assert_close_vec(
            &floats(&got),
            &want,
            1e-9,
            &format!("{name} {}", case["case"]),
        );
        checked += 1;
    }
    assert!(checked >= 20, "only {checked} cases checked");
}

#[test]
fn prior_bindings() {
    let s: String = eval("unif(-2, 2).to_string()");
    assert_eq!(s, "unif(-2, 2)");
    let v: Array = eval(
        "let n = norm(0, 1); let i = n.interval(0.95);
         [n.cdf(0), n.pdf(0), unif(0, 4).ppf(0.25), i[1], logunif(1, 100).median, n.std]",
    );
    let v = floats(&v);
    assert_eq!(v[0], 0.5);
    assert!(close(
        v[1],
        1.0 / (2.0 * std::f64::consts::PI).sqrt(),
        1e-14
    ));
    assert!(close(v[2], 1.0, 1e-14));
    assert!(close(v[3], 1.959963984540054, 1e-9), "{}", v[3]);
    assert!(close(v[4], 10.0, 1e-12), "{}", v[4]);
    assert_eq!(v[5], 1.0);
    let n: i64 = eval("priors().len()");
    assert_eq!(n, 11);
    let msg = eval_err("unif(2, 1)");
    assert!(msg.contains("unif"), "{msg}");
    let msg = eval_err("norm(0, -1)");
    assert!(msg.contains("norm"), "{msg}");
    let msg = eval_err("norm(0, \"a\")");
    assert!(msg.contains("argument 2"), "{msg}");
}
