//! The embedded Rhai standard library (`stdlib/*.rhai`) run through `bayspec::script::engine()`:
//! values checked against hand computation, independent integration and the statistics of a
//! small simulation study.

mod common;

use bayspec::script::engine;
use rhai::{Array, Dynamic, Map};

fn eval(code: &str) -> Dynamic {
    engine()
        .eval::<Dynamic>(code)
        .unwrap_or_else(|e| panic!("script failed: {e}\n{code}"))
}

fn eval_err(code: &str) -> String {
    match engine().eval::<Dynamic>(code) {
        Ok(v) => panic!("expected an error, got {v:?}\n{code}"),
        Err(e) => e.to_string(),
    }
}

fn f(v: &Dynamic) -> f64 {
    v.as_float()
        .or_else(|_| v.as_int().map(|i| i as f64))
        .unwrap_or_else(|t| panic!("not a number: {t}"))
}

fn floats(v: &Dynamic) -> Vec<f64> {
    v.clone().cast::<Array>().iter().map(f).collect()
}

fn map(v: Dynamic) -> Map {
    v.try_cast::<Map>().expect("a map")
}

fn field<'a>(m: &'a Map, k: &str) -> &'a Dynamic {
    m.get(k).unwrap_or_else(|| panic!("no key {k} in {m:?}"))
}

fn temp_dir(name: &str) -> String {
    let d = std::env::temp_dir().join(format!("bayspec-stdlib-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d.display().to_string()
}

#[test]
fn every_module_compiles_and_imports() {
    for (name, _) in bayspec::script::stdlib::MODULES {
        let v = eval(&format!("import \"{name}\" as m; 1"));
        assert_eq!(v.as_int().unwrap(), 1, "{name}");
    }
}

// ------------------------------------------------------------------------------------------
// util
// ------------------------------------------------------------------------------------------

#[test]
fn util_formats_numbers() {
    let v = eval(
        r#"import "util" as u;
           [u::fmt(3.14159, 2), u::fmt(-0.004, 2), u::fmt(12, 3), u::fmt((), 2),
            u::sci(8.04654e-13, 3), u::sci(-9.9996e5, 3), u::sci(0.001, 1), u::fmt(-2.5, 0)]"#,
    );
    let s: Vec<String> = v
        .cast::<Array>()
        .into_iter()
        .map(|x| x.into_string().unwrap())
        .collect();
    assert_eq!(
        s,
        [
            "3.14",
            "0.00",
            "12.000",
            "-",
            "8.047e-13",
            "-1.000e6",
            "1.0e-3",
            "-3"
        ]
    );
}

#[test]
fn util_quantile_matches_linear_interpolation() {
    let xs = [3.0, 1.0, 7.0, 2.0, 4.0, 10.0];
    let mut sorted = xs;
    sorted.sort_by(f64::total_cmp);
    for q in [0.0, 0.1, 0.25, 0.5, 0.9, 1.0] {
        let h = (sorted.len() - 1) as f64 * q;
        let i = h.floor() as usize;
        let want = if i + 1 < sorted.len() {
            sorted[i] + (h - i as f64) * (sorted[i + 1] - sorted[i])
        } else {
            sorted[i]
        };
        let got = f(&eval(&format!(
            "import \"util\" as u; u::quantile([3.0, 1.0, 7.0, 2.0, 4.0, 10.0], {q:?})"
        )));
        assert!((got - want).abs() < 1e-12, "q = {q}: {got} vs {want}");
    }
    let mean = f(&eval("import \"util\" as u; u::mean([1, 2, 3, 6])"));
    assert_eq!(mean, 3.0);
    let sd = f(&eval("import \"util\" as u; u::std([1.0, 2.0, 3.0, 6.0])"));
    assert!((sd - (14.0f64 / 3.0).sqrt()).abs() < 1e-12);
    assert!(eval_err("import \"util\" as u; u::quantile([], 0.5)").contains("empty"));
}

#[test]
fn util_table_aligns_columns() {
    let t = eval(r#"import "util" as u; u::table(["name", "x"], [["a", 1.5], ["long", 10]])"#)
        .into_string()
        .unwrap();
    let lines: Vec<&str> = t.lines().collect();
    assert_eq!(lines, ["name    x", "---------", "a     1.5", "long   10"]);
    assert!(eval_err(r#"import "util" as u; u::table(["a", "b"], [["x"]])"#).contains("1 cells"));
}

// ------------------------------------------------------------------------------------------
// compare
// ------------------------------------------------------------------------------------------

const TWO_MODELS: &str = r#"
    import "compare" as cmp;
    let posts = #{
        b: #{ lnZ: -12.5, lnZ_err: 0.2, bic: 28.0, aic: 26.0, max_loglike: -10.0, k: 2 },
        a: #{ lnZ: -10.0, lnZ_err: 0.1, bic: 30.0, aic: 25.0, max_loglike: -9.0, k: 3 },
        c: #{ lnZ: -16.0, lnZ_err: 0.3, bic: 40.0, aic: 31.0, max_loglike: -12.0, k: 4 },
    };
"#;

#[test]
fn compare_table_matches_hand_computation() {
    let rows = eval(&format!("{TWO_MODELS} cmp::table(posts)")).cast::<Array>();
    let rows: Vec<Map> = rows.into_iter().map(map).collect();
    let names: Vec<String> = rows
        .iter()
        .map(|r| field(r, "name").clone().into_string().unwrap())
        .collect();
    assert_eq!(names, ["a", "b", "c"], "best lnZ first");
    // (lnZ, lnZ_err, bic) by hand.
    let z = [(-10.0, 0.1, 30.0), (-12.5, 0.2, 28.0), (-16.0, 0.3, 40.0)];
    let (best_z, best_e, min_bic) = (-10.0f64, 0.1f64, 28.0);
    for (r, (lnz, e, bic)) in rows.iter().zip(z) {
        let dlnz: f64 = lnz - best_z;
        assert!((f(field(r, "dlnZ")) - dlnz).abs() < 1e-12);
        assert!((f(field(r, "bf")) - (-dlnz).exp()).abs() < 1e-9 * (-dlnz).exp());
        assert!((f(field(r, "log10_bf")) - (-dlnz / 10f64.ln())).abs() < 1e-12);
        assert!((f(field(r, "dbic")) - (bic - min_bic)).abs() < 1e-12);
        let de = (e * e + best_e * best_e).sqrt();
        assert!((f(field(r, "dlnZ_err")) - de).abs() < 1e-12);
    }
    assert_eq!(f(field(&rows[0], "k")), 3.0);
    // 2 ln B = 5 → "positive"; 2 ln B = 12 → "very strong" (Kass & Raftery 1995).
    let strength = |r: &Map| field(r, "strength").clone().into_string().unwrap();
    assert_eq!(strength(&rows[0]), "best");
    assert_eq!(strength(&rows[1]), "positive");
    assert_eq!(strength(&rows[2]), "very strong");
    let bf = f(&eval(&format!(
        "{TWO_MODELS} cmp::bayes_factor(posts.a, posts.b)"
    )));
    assert!((bf - 2.5f64.exp()).abs() < 1e-9);
    let text = eval(&format!("{TWO_MODELS} cmp::show(cmp::table(posts))"))
        .into_string()
        .unwrap();
    let first = text.lines().nth(2).unwrap();
    let cols: Vec<&str> = first.split_whitespace().collect();
    assert_eq!(
        &cols[..8],
        ["a", "3", "-9.00", "25.00", "30.00", "2.00", "-10.00", "0.00"]
    );
}

#[test]
fn compare_without_evidence_ranks_by_bic() {
    let rows = eval(
        r#"import "compare" as cmp;
           cmp::table(#{ x: #{ lnZ: (), bic: 12.0, aic: 10.0, max_loglike: -4.0, k: 1 },
                         y: #{ lnZ: (), bic: 9.5, aic: 8.0, max_loglike: -2.0, k: 2 } })"#,
    )
    .cast::<Array>();
    let rows: Vec<Map> = rows.into_iter().map(map).collect();
    assert_eq!(field(&rows[0], "name").clone().into_string().unwrap(), "y");
    assert_eq!(f(field(&rows[1], "dbic")), 2.5);
    assert!(field(&rows[1], "dlnZ").is_unit());
    assert!(eval_err(r#"import "compare" as cmp; cmp::table(#{})"#).contains("non-empty map"));
    assert!(
        eval_err(r#"import "compare" as cmp; cmp::bayes_factor(#{ lnZ: () }, #{ lnZ: 1.0 })"#)
            .contains("need lnZ")
    );
}

#[test]
fn compare_reads_real_posteriors() {
    let out = temp_dir("compare");
    let code = format!(
        r#"import "compare" as cmp;
           let truth = cpl(); truth.par["alpha"].val = -1.2; truth.par["logEp"].val = 2.4;
           truth.par["logA"].val = 0.3;
           let f = simulate(truth, #{{ rsp: response(#{{ preset: "nai" }}), exposure: 20,
                                       seed: 7, out: "{out}/s" }});
           let d = Data([["n", DataUnit(#{{ src: f.src, rsp: f.rsp, stat: "pstat", notc: [8, 900] }})]]);
           let p1 = BayesInfer([[d, cpl()]]).multinest(#{{ nlive: 50, seed: 1, resume: false,
                                                           savepath: "{out}/cpl" }});
           let p2 = BayesInfer([[d, pl()]]).multinest(#{{ nlive: 50, seed: 1, resume: false,
                                                          savepath: "{out}/pl" }});
           let rows = cmp::table(#{{ cpl: p1, pl: p2 }});
           [rows[0].name, rows[0].lnZ, p1.lnZ, rows[1].lnZ, p2.lnZ, rows[1].bf,
            rows[0].k, rows[1].k, rows[0].bic, p1.bic]"#
    );
    let v = eval(&code).cast::<Array>();
    assert_eq!(
        v[0].clone().into_string().unwrap(),
        "cpl",
        "a curved spectrum prefers cpl"
    );
    assert_eq!(f(&v[1]), f(&v[2]));
    assert_eq!(f(&v[3]), f(&v[4]));
    let bf = f(&v[5]);
    assert!((bf - (f(&v[2]) - f(&v[4])).exp()).abs() <= 1e-9 * bf);
    assert_eq!((f(&v[6]), f(&v[7])), (3.0, 2.0));
    assert_eq!(f(&v[8]), f(&v[9]));
}

// ------------------------------------------------------------------------------------------
// grb
// ------------------------------------------------------------------------------------------

/// Comoving-distance integral by a fine midpoint rule, independent of the module's Simpson.
fn lum_dist_cm(z: f64, h0: f64, om: f64) -> f64 {
    let n = 200_000;
    let h = z / n as f64;
    let s: f64 = (0..n)
        .map(|i| {
            let x = (i as f64 + 0.5) * h;
            1.0 / (om * (1.0 + x).powi(3) + 1.0 - om).sqrt()
        })
        .sum();
    (1.0 + z) * 299_792.458 / h0 * s * h * 3.085_677_581_491_367e24
}

#[test]
fn grb_luminosity_distance() {
    for (z, h0, om) in [(1.0, 70.0, 0.3), (0.1, 67.4, 0.315), (3.5, 67.4, 0.315)] {
        let got = f(&eval(&format!(
            "import \"grb\" as grb; grb::lum_dist({z:?}, {h0:?}, {om:?})"
        )));
        let want = lum_dist_cm(z, h0, om);
        assert!((got - want).abs() < 1e-8 * want, "z = {z}: {got} vs {want}");
    }
    // Wright's cosmology calculator: z = 1, H0 = 70, Ωm = 0.3 (flat) → D_L = 6607.7 Mpc.
    let mpc = f(&eval(
        "import \"grb\" as grb; grb::lum_dist(1.0, 70.0, 0.3)",
    )) / 3.0857e24;
    assert!((mpc - 6607.7).abs() < 1.0, "{mpc} Mpc");
    let planck = f(&eval("import \"grb\" as grb; grb::lum_dist(0.5)"));
    assert!((planck - lum_dist_cm(0.5, 67.4, 0.315)).abs() < 1e-8 * planck);
    assert_eq!(f(&eval("import \"grb\" as grb; grb::lum_dist(0)")), 0.0);
    assert!(eval_err("import \"grb\" as grb; grb::lum_dist(-1)").contains("redshift"));
}

/// A posterior-like map with two logE_p parameters and a constant energy flux.
const FAKE_POST: &str = r#"
    import "grb" as grb;
    let post = #{
        par_labels: ["alpha", "logE_p", "logA", "logE_p"],
        par_median: [-1.0, 2.0, 0.5, 2.5],
        par_Isigma: [[-1.1, -0.9], [1.9, 2.2], [0.4, 0.6], [2.4, 2.6]],
        par_ninety_percent: [[-1.2, -0.8], [1.8, 2.3], [0.3, 0.7], [2.3, 2.7]],
        ergflux: |a, b| #{ median: 2.0e-6, lo: 1.0e-6, hi: 3.0e-6 },
    };
"#;

#[test]
fn grb_ep_from_posterior_quantiles() {
    let e = map(eval(&format!("{FAKE_POST} grb::ep(post)")));
    for (k, want) in [
        ("median", 100.0),
        ("lo", 10f64.powf(1.9)),
        ("hi", 10f64.powf(2.2)),
        ("lo90", 10f64.powf(1.8)),
        ("hi90", 10f64.powf(2.3)),
    ] {
        assert!((f(field(&e, k)) - want).abs() < 1e-9 * want, "{k}");
    }
    assert_eq!(f(field(&e, "index")), 1.0);
    let all = eval(&format!("{FAKE_POST} grb::ep_all(post).map(|e| e.median)"));
    let all = floats(&all);
    assert!((all[0] - 100.0).abs() < 1e-9 && (all[1] - 10f64.powf(2.5)).abs() < 1e-9);
    let fourth = f(&eval(&format!("{FAKE_POST} grb::ep(post, 4).median")));
    assert!((fourth - 10f64.powf(2.5)).abs() < 1e-9);
    assert!(eval_err(&format!("{FAKE_POST} grb::ep(post, \"logEp\")")).contains("matches 2"));
    assert!(eval_err(&format!("{FAKE_POST} grb::ep(post, 9)")).contains("does not exist"));
    assert!(eval_err(
        r#"import "grb" as grb; grb::ep(#{ par_labels: ["alpha"], par_median: [1.0] })"#
    )
    .contains("no free logEp"));
}

#[test]
fn grb_fluence_and_eiso() {
    let s = map(eval(&format!(
        "{FAKE_POST} grb::fluence(post, 10, 1000, 5.0)"
    )));
    assert!((f(field(&s, "median")) - 1.0e-5).abs() < 1e-18);
    let z = 1.5;
    let e = map(eval(&format!("{FAKE_POST} grb::eiso(post, {z:?}, 5.0)")));
    let dl = lum_dist_cm(z, 67.4, 0.315);
    let want = 4.0 * std::f64::consts::PI * dl * dl * 1.0e-5 / (1.0 + z);
    assert!((f(field(&e, "median")) - want).abs() < 1e-7 * want);
    assert!((f(field(&e, "hi")) - 1.5 * want).abs() < 1e-7 * want);
    assert!(
        eval_err(&format!("{FAKE_POST} grb::fluence(post, 10, 1000, 0.0)")).contains("duration")
    );
}

#[test]
fn grb_typeii_rows_and_time_resolved_options() {
    assert!(eval_err(
        r#"import "grb" as grb; grb::time_resolved(#{ src: "x", rsp: "y", bad: 1 })"#
    )
    .contains("unknown option 'bad'"));
    assert!(
        eval_err(r#"import "grb" as grb; grb::time_resolved(#{ src: "x" })"#).contains("required")
    );
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let grb = shared.join("data/grb");
    let n = eval(&format!(
        "import \"grb\" as grb; grb::typeii_rows(\"{0}/me.src2\", \"{0}/me.rsp2\")",
        grb.display()
    ));
    assert_eq!(n.as_int().unwrap(), 10, "data_typeII.json: n_rows = 10");
    // Two rows, fitted with given times; each result carries its row, time and Ep.
    let out = temp_dir("time-resolved");
    let res = eval(&format!(
        r#"import "grb" as grb;
           let r = grb::time_resolved(#{{ src: "{0}/me.src2", bkg: "{0}/me.bkg2", rsp: "{0}/me.rsp2",
               rows: [2, 3], times: [12.5, 20.0], notc: [[15, 35], [42, 100]],
               grpg: #{{ min_sigma: 3, max_bin: 10 }}, nlive: 50, verbose: false, out: "{out}" }});
           [r.len(), r[0].row, r[1].time, r[0].post.par_median[1], r[0].ep.median,
            r[1].post.par_median[1], r[1].ep.median]"#,
        grb.display()
    ));
    for row in [2, 3] {
        let p = std::path::Path::new(&out).join(format!("row{row}/post_free_par.json"));
        assert!(p.is_file(), "{} missing", p.display());
    }
    let v = floats(&res);
    assert_eq!(&v[..3], &[2.0, 2.0, 20.0]);
    assert!((v[4] - 10f64.powf(v[3])).abs() < 1e-9 * v[4]);
    assert!((v[6] - 10f64.powf(v[5])).abs() < 1e-9 * v[6]);
    assert!(eval_err(&format!(
        r#"import "grb" as grb; grb::time_resolved(#{{ src: "{0}/me.src2", rsp: "{0}/me.rsp2",
               rows: [1, 2], times: [1.0] }})"#,
        grb.display()
    ))
    .contains("1 times for 2 rows"));
}

// ------------------------------------------------------------------------------------------
// sim
// ------------------------------------------------------------------------------------------

fn study(method: &str, n: usize, extra: &str) -> Map {
    let out = temp_dir(&format!("sim-{method}"));
    map(eval(&format!(
        r#"import "sim" as sim;
           let truth = cpl(); truth.par["alpha"].val = -1.2; truth.par["logEp"].val = 2.5;
           truth.par["logA"].val = 0.5;
           sim::study(#{{ truth: truth, fit: || cpl(), rsp: response(#{{ preset: "nai" }}),
                          exposure: 10, n: {n}, seed: 11, method: "{method}", notc: [8, 900],
                          out: "{out}" {extra} }})"#
    )))
}

/// Check a study's bookkeeping against its own intervals, and its coverage statistically.
fn check_study(res: &Map, n: usize) {
    let truth = floats(field(res, "truth"));
    assert_eq!(truth, [-1.2, 2.5, 0.5]);
    let inside1 = floats(field(res, "inside1"));
    let inside2 = floats(field(res, "inside2"));
    let cov1 = floats(field(res, "coverage1"));
    let ints1 = field(res, "intervals1").clone().cast::<Array>();
    let ints2 = field(res, "intervals2").clone().cast::<Array>();
    let medians = field(res, "medians").clone().cast::<Array>();
    assert_eq!((ints1.len(), ints2.len(), medians.len()), (n, n, n));
    let (mut pooled1, mut pooled2) = (0.0, 0.0);
    for j in 0..3 {
        let count = |ints: &Array| {
            ints.iter()
                .filter(|s| {
                    let iv = floats(&(*s).clone().cast::<Array>()[j]);
                    iv[0] <= truth[j] && truth[j] <= iv[1]
                })
                .count() as f64
        };
        assert_eq!(inside1[j], count(&ints1), "parameter {j}");
        assert_eq!(inside2[j], count(&ints2), "parameter {j}");
        assert!((cov1[j] - inside1[j] / n as f64).abs() < 1e-12);
        assert!(inside2[j] >= inside1[j]);
        pooled1 += inside1[j];
        pooled2 += inside2[j];
        // Unbiased fits: the mean median lies within 4 standard errors of the truth.
        let m: Vec<f64> = medians.iter().map(|r| floats(r)[j]).collect();
        let mean = m.iter().sum::<f64>() / n as f64;
        let sd = (m.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
        assert!(
            (mean - truth[j]).abs() < 4.0 * sd / (n as f64).sqrt() + 1e-3,
            "parameter {j}: mean median {mean}, truth {}",
            truth[j]
        );
    }
    // 3n Bernoulli trials (correlated within a spectrum): 68.3 % and 95.4 % within ±4σ of
    // the binomial error for independent trials, widened by √3 for the correlation.
    let trials = 3.0 * n as f64;
    let (c1, c2) = (pooled1 / trials, pooled2 / trials);
    let e1 = 4.0 * (0.6827f64 * 0.3173 / n as f64).sqrt();
    let e2 = 4.0 * (0.9545f64 * 0.0455 / n as f64).sqrt();
    assert!((c1 - 0.6827).abs() < e1, "1σ coverage {c1}");
    assert!((c2 - 0.9545).abs() < e2.max(0.1), "2σ coverage {c2}");
}

#[test]
fn sim_study_coverage_with_minuit() {
    let res = study("iminuit", 30, "");
    check_study(&res, 30);
}

#[test]
fn sim_study_coverage_with_nested_sampling_and_background() {
    let res = study(
        "multinest",
        12,
        ", nlive: 50, bkg: #{ rate: 1.0, exposure: 100 }",
    );
    check_study(&res, 12);
    let text = eval(
        r#"import "sim" as sim;
           sim::show(#{ n: 2, labels: ["a"], truth: [1.0], medians: [[0.9], [1.1]],
                        coverage1: [0.5], coverage2: [1.0], inside1: [1], inside2: [2] })"#,
    )
    .into_string()
    .unwrap();
    assert!(
        text.contains("0.50 (1/2)") && text.contains("1.00 (2/2)"),
        "{text}"
    );
    assert!(text.contains("mean median"), "{text}");
}

#[test]
fn sim_study_rejects_bad_options() {
    assert!(
        eval_err(r#"import "sim" as sim; sim::study(#{ truth: cpl(), nope: 1 })"#)
            .contains("unknown option 'nope'")
    );
    assert!(
        eval_err(r#"import "sim" as sim; sim::study(#{ truth: cpl(), fit: || cpl() })"#)
            .contains("'rsp' is required")
    );
    let out = temp_dir("sim-bad");
    let e = eval_err(&format!(
        r#"import "sim" as sim;
           sim::study(#{{ truth: cpl(), fit: || band(), rsp: response(#{{ preset: "nai" }}),
                          exposure: 5, n: 1, method: "iminuit", out: "{out}" }})"#
    ));
    assert!(e.contains("4 free parameters but the truth has 3"), "{e}");
    let e = eval_err(&format!(
        r#"import "sim" as sim;
           sim::study(#{{ truth: cpl(), fit: || cpl(), rsp: response(#{{ preset: "nai" }}),
                          exposure: 5, n: 1, method: "guess", out: "{out}" }})"#
    ));
    assert!(e.contains("unknown method 'guess'"), "{e}");
}
