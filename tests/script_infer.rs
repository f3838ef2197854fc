//! Inference from Rhai: pairs, linking, tables, nested sampling and the posterior, on data
//! the script simulates itself.

use bayspec::script;
use rhai::{Dynamic, Scope};

fn temp_path(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!(
        "bayspec-script-infer-{}-{name}",
        std::process::id()
    ))
}

fn temp(name: &str) -> String {
    let d = temp_path(name);
    let _ = std::fs::remove_dir_all(&d);
    d.display().to_string()
}

const SETUP: &str = r#"
let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.5 });
let f1 = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                            bkg: #{ rate: 2.0, exposure: 200 }, seed: 3, out: `${OUT}/nai` });
let f2 = simulate(truth, #{ rsp: response(#{ preset: "bgo" }), exposure: 20,
                            bkg: #{ rate: 1.0, exposure: 200 }, seed: 4, out: `${OUT}/bgo` });
let nai = DataUnit(#{ src: f1.src, bkg: f1.bkg, rsp: f1.rsp, notc: [8, 900] });
let bgo = DataUnit(#{ src: f2.src, bkg: f2.bkg, rsp: f2.rsp, notc: [300, 38000] });
"#;

fn run(name: &str, code: &str) -> Result<Dynamic, String> {
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", temp(name));
    script::run::eval_code(&engine, &mut scope, name, &format!("{SETUP}\n{code}"))
}

#[test]
fn nested_fit_from_a_script_recovers_the_truth() {
    let v = run(
        "nested",
        r#"
        let m = cpl();
        let infer = BayesInfer([[Data([["nai", nai], ["bgo", bgo]]), m]]);
        if infer.free_nparams != 3 { throw "free_nparams"; }
        if infer.npoint < 100 { throw "npoint"; }
        let text = `${infer}`;
        if !text.contains("Bayesian Inference") { throw "print"; }
        let post = infer.multinest(#{ nlive: 200, seed: 5, resume: false, savepath: `${OUT}/mn` });
        post.save(`${OUT}/res`);
        let ci = post.par_IIIsigma;
        let t = [-1.2, 2.5, 0.5];
        for i in 0..3 { if t[i] < ci[i][0] || t[i] > ci[i][1] { throw `truth ${i} outside`; } }
        if type_of(post.lnZ) != "f64" { throw "lnZ"; }
        let f = post.ergflux(10, 1000);
        if !(f.lo <= f.median && f.median <= f.hi) { throw "flux interval"; }
        // the model was left at the best draw
        if (m.par[1].val - post.par_best[0]).abs() > 1e-12 { throw "best not set"; }
        [post.aic, post.bic, post.max_loglike, post.sample.len()]
        "#,
    )
    .unwrap();
    let a = v.into_array().unwrap();
    let (aic, max_ll) = (a[0].as_float().unwrap(), a[2].as_float().unwrap());
    assert!((aic - (2.0 * 3.0 - 2.0 * max_ll)).abs() < 1e-9);
    assert!(a[3].as_int().unwrap() > 100);
    let out = temp_path("nested");
    for f in [
        "res/post_free_par.json",
        "res/post_stat.json",
        "res/post_IC.json",
        "mn/1-stats.dat",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
}

#[test]
fn linking_from_a_script() {
    let v = run(
        "link",
        r#"
        let c = cpl();
        let m2 = cpl();
        let infer = BayesInfer([[Data([["nai", nai]]), c], [Data([["bgo", bgo]]), m2]]);
        let before = infer.free_nparams;
        infer.link([1, 4]);
        let linked = infer.free_nparams;
        infer.par[4].frozen_at(-1.0);
        let frozen = infer.free_nparams;
        infer.par[4].frozen = false;
        infer.unlink([1, 4]);
        [before, linked, frozen, infer.free_nparams, infer.par["2"].val]
        "#,
    )
    .unwrap();
    let a: Vec<i64> = v
        .into_array()
        .unwrap()
        .iter()
        .take(4)
        .map(|x| x.as_int().unwrap())
        .collect();
    assert_eq!(a, vec![6, 5, 4, 6]);
}

#[test]
fn bad_sampler_options_and_pairs_are_errors() {
    let e = run(
        "errors1",
        r#"let i = BayesInfer([[Data([["nai", nai]]), cpl()]]); i.multinest(#{ nlve: 10 });"#,
    )
    .unwrap_err();
    assert!(e.contains("'nlve'") && e.contains("nlive"), "{e}");
    let e = run("errors2", r#"BayesInfer([[nai, cpl()]]);"#).unwrap_err();
    assert!(e.contains("pair 1"), "{e}");
    let e = run(
        "errors3",
        r#"BayesInfer([[Data([["nai", nai]]), tbabs()]]);"#,
    )
    .unwrap_err();
    assert!(e.contains("additive"), "{e}");
    let e = run(
        "errors4",
        r#"let i = BayesInfer([[Data([["nai", nai]]), cpl()]]); i.par[99];"#,
    )
    .unwrap_err();
    assert!(e.contains("par#99"), "{e}");
}

/// User overrides (inference.md §4.3): a custom likelihood drives the samplers, the
/// statistics table, iminuit; lmfit refuses it; `()` restores the built-in.
#[test]
fn user_overrides_replace_the_builtins() {
    let v = run(
        "overrides",
        r#"
        let m = cpl();
        let infer = BayesInfer([[Data([["nai", nai]]), m]]);
        let builtin = infer.stat;
        // a Gaussian likelihood in alpha only (other parameters flat)
        infer.loglike_func = |infer, theta| -0.5 * ((theta[0] + 1.5) / 0.05) ** 2;
        let custom = infer.stat;
        let post = infer.multinest(#{ nlive: 200, seed: 3, resume: false });
        let med = post.par_median;
        let table = `${post}`;
        let fit = MaxLikeFit([[Data([["nai", nai]]), cpl()]]);
        fit.loglike_func = |infer, theta| -0.5 * ((theta[0] + 1.5) / 0.05) ** 2 - 0.5 * (theta[1] - 2.0) ** 2 - 0.5 * theta[2] ** 2;
        let boot = fit.iminuit(#{});
        let lm_error = "";
        try { fit.lmfit(#{}); } catch (e) { lm_error = `${e}`; }
        // prior transform and log-prior overrides
        infer.loglike_func = ();
        m.par[1].val = -1.0; m.par[2].val = 2.0; m.par[3].val = 0.0;
        let restored = infer.stat;
        infer.prior_transform_func = |infer, u| [-1.6 + 0.2 * u[0], 2.0 + 1.0 * u[1], -1.0 + 3.0 * u[2]];
        let post2 = infer.multinest(#{ nlive: 100, seed: 4, resume: false });
        [builtin, custom, med[0], table.contains("custom"), boot.par_best[0], lm_error,
         restored, post2.par_IIIsigma[0][0], post2.par_IIIsigma[0][1]]
        "#,
    )
    .unwrap()
    .into_array()
    .unwrap();
    let f = |i: usize| v[i].as_float().unwrap();
    let (builtin, custom) = (f(0), f(1));
    // at the defaults alpha = -1: custom stat = ((−1 + 1.5)/0.05)² = 100
    assert!((custom - 100.0).abs() < 1e-9, "custom stat {custom}");
    assert!((builtin - custom).abs() > 1.0);
    assert!(
        (f(2) + 1.5).abs() < 0.02,
        "posterior median of alpha {}",
        f(2)
    );
    assert!(
        v[3].as_bool().unwrap(),
        "statistics table shows a custom row"
    );
    assert!((f(4) + 1.5).abs() < 1e-3, "iminuit best {}", f(4));
    let lm = v[5].clone().into_string().unwrap();
    assert!(lm.contains("loglike_func"), "{lm}");
    assert_eq!(f(6), builtin, "() restores the built-in likelihood");
    // the transform confines alpha to [-1.6, -1.4]
    assert!(f(7) >= -1.6 && f(8) <= -1.4, "{} {}", f(7), f(8));
}

/// A Bootstrap from `fit.iminuit` / `fit.lmfit` exposes the fit itself: best values, HESSE
/// errors and covariance, MINOS errors, the statistic.
#[test]
fn bootstrap_exposes_the_fit() {
    let v = run(
        "fit-summary",
        r#"
        let fit = MaxLikeFit([[Data([["nai", nai], ["bgo", bgo]]), cpl()]]);
        let boot = fit.iminuit(#{ minos: true, nsample: 200, seed: 2 });
        let stat_after = fit.stat;
        let lm = fit.lmfit(#{ nsample: 200, seed: 2 });
        let cov = boot.covariance;
        let post = BayesInfer([[Data([["nai", nai]]), cpl()]]).multinest(#{ nlive: 50, seed: 1 });
        let msg = "";
        try { post.covariance; } catch (e) { msg = `${e}`; }
        [boot.fit_values, boot.fit_errors, cov, boot.minos, boot.fit_stat, stat_after, boot.nfev,
         lm.minos, lm.fit_values, msg, boot.par_best]
        "#,
    )
    .unwrap();
    let a = v.into_array().unwrap();
    let nums = |d: &Dynamic| -> Vec<f64> {
        d.clone()
            .into_array()
            .unwrap()
            .iter()
            .map(|x| x.as_float().unwrap())
            .collect()
    };
    let rows = |d: &Dynamic| -> Vec<Vec<f64>> {
        d.clone().into_array().unwrap().iter().map(nums).collect()
    };
    let (values, errors) = (nums(&a[0]), nums(&a[1]));
    let cov = rows(&a[2]);
    assert_eq!(values.len(), 3);
    for i in 0..3 {
        assert!((errors[i] - cov[i][i].sqrt()).abs() < 1e-12 * errors[i]);
        assert!((cov[i][(i + 1) % 3] - cov[(i + 1) % 3][i]).abs() < 1e-15);
    }
    // truth (−1.2, 2.5, 0.5) within 4σ of the fit
    for (i, t) in [-1.2, 2.5, 0.5].iter().enumerate() {
        assert!((values[i] - t).abs() < 4.0 * errors[i], "par {i}");
    }
    let minos = rows(&a[3]);
    for i in 0..3 {
        let [lo, hi] = [minos[i][0], minos[i][1]];
        assert!(lo < 0.0 && hi > 0.0);
        // near-Gaussian here: MINOS within 30 % of HESSE
        assert!((hi / errors[i] - 1.0).abs() < 0.3 && (-lo / errors[i] - 1.0).abs() < 0.3);
    }
    // the fit left the parameters at the best fit: the inference's stat is the fit's
    assert!((a[4].as_float().unwrap() - a[5].as_float().unwrap()).abs() < 1e-9);
    assert!(a[6].as_int().unwrap() > 10);
    assert!(a[7].is_unit(), "lmfit has no MINOS errors");
    let lm = nums(&a[8]);
    for i in 0..3 {
        assert!(
            (lm[i] - values[i]).abs() < 0.05 * errors[i],
            "lmfit and iminuit agree"
        );
    }
    assert!(a[9]
        .clone()
        .into_string()
        .unwrap()
        .contains("only for a Bootstrap"));
    // the bootstrap's first draw is the best fit
    let best = nums(&a[10]);
    for i in 0..3 {
        assert!((best[i] - values[i]).abs() < 1e-12 * values[i].abs().max(1.0));
    }
}

/// Two pairs with the same model: every posterior label names one parameter.
#[test]
fn posterior_labels_are_unique_across_pairs() {
    let v = run(
        "labels",
        r#"
        let infer = BayesInfer([[Data([["nai", nai]]), cpl()], [Data([["bgo", bgo]]), cpl()]]);
        let post = infer.multinest(#{ nlive: 50, seed: 1 });
        post.par_labels
        "#,
    )
    .unwrap();
    let labels: Vec<String> = v
        .into_array()
        .unwrap()
        .into_iter()
        .map(|d| d.into_string().unwrap())
        .collect();
    assert_eq!(labels.len(), 6);
    assert_eq!(labels[0], "alpha (par#1)");
    assert_eq!(labels[3], "alpha (par#4)");
    let mut unique = labels.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 6, "{labels:?}");
}

/// A fit's status, its goodness and a posterior predictive check are read from a script.
#[test]
fn fit_status_goodness_and_ppc_from_a_script() {
    let v = run(
        "fit-health",
        r#"
        let data = Data([["nai", nai], ["bgo", bgo]]);
        let m = cpl();
        m.par["alpha"].prior = unif(-1.0, 0.0);   // truth −1.2 lies below: pinned at −1
        m.par["alpha"].val = -0.5;
        let fit = MaxLikeFit([[data, m]]);
        let r = fit.iminuit(#{ nsample: 50, savepath: `${OUT}/fit` });
        let s = r.fit_status;
        let g = r.goodness(#{ n: 200, seed: 1 });
        let bad = 0;
        try { r.goodness(#{ n: 10, sede: 1 }); } catch (e) { bad = e; }
        let pa = r.par("alpha");
        let pe = r.par("logEp");
        let notfree = 0;
        try { r.par("nai.sf"); } catch (e) { notfree = `${e}`; }
        [r.valid, r.converged, r.edm < 2e-4, r.at_limit[0], r.at_limit[1], s.fitter,
         s.nfev == r.nfev, g.p_value, g.p_values.len(), g.units[0], `${bad}`, r.to_string(),
         pa.note, pa.par, pe.median == r.par_median[1], pe.name, notfree]
        "#,
    )
    .unwrap();
    let a = v.cast::<rhai::Array>();
    assert!(a[0].as_bool().unwrap() && a[1].as_bool().unwrap() && a[2].as_bool().unwrap());
    assert_eq!(a[3].clone().into_string().unwrap(), "lower");
    assert!(a[4].is_unit());
    assert_eq!(a[5].clone().into_string().unwrap(), "iminuit");
    assert!(a[6].as_bool().unwrap());
    let p = a[7].as_float().unwrap();
    assert!((0.0..=1.0).contains(&p));
    assert_eq!(a[8].as_int().unwrap(), 2);
    assert_eq!(a[9].clone().into_string().unwrap(), "nai");
    let bad = a[10].clone().into_string().unwrap();
    assert!(bad.contains("sede"), "{bad}");
    let printed = a[11].clone().into_string().unwrap();
    assert!(
        printed.contains("iminuit: valid") && printed.contains("at lower limit"),
        "{printed}"
    );
    let saved: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(temp_path("fit-health").join("fit/1-maxlike_res.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(saved["status"]["at_limit"][0], "lower");
    assert_eq!(saved["status"]["valid"], true);
    // post.par by label
    assert_eq!(a[12].clone().into_string().unwrap(), "at lower limit");
    assert_eq!(a[13].as_int().unwrap(), 1);
    assert!(a[14].as_bool().unwrap());
    assert_eq!(a[15].clone().into_string().unwrap(), "logE_p");
    let notfree = a[16].clone().into_string().unwrap();
    assert!(notfree.contains("not a free parameter"), "{notfree}");
}

/// `infer.par[...]` takes a label (plain, loose or component.label) as well as a par#; an
/// ambiguous or unknown label is an error naming the candidates. XSPEC's statistic names
/// `wstat` and `cash` are accepted.
#[test]
fn inference_parameters_by_label_and_xspec_statistic_names() {
    let v = run(
        "par-by-label",
        r#"
        let w = DataUnit(#{ src: f1.src, bkg: f1.bkg, rsp: f1.rsp, notc: [8, 900], stat: "wstat" });
        let c = DataUnit(#{ src: f1.src, rsp: f1.rsp, bkg: "none", notc: [8, 900], stat: "cash" });
        let one = BayesInfer([[Data([["nai", nai]]), cpl()]]);
        let two = BayesInfer([[Data([["nai", nai]]), cpl()], [Data([["bgo", bgo]]), cpl()]]);
        let a = 0; let b = 0;
        try { two.par["alpha"]; } catch (e) { a = `${e}`; }
        try { one.par["gamma"]; } catch (e) { b = `${e}`; }
        one.par["logEp"].val = 2.7;
        [one.par["alpha"].label, one.par["logE_p"].val, one.par["cpl.logA"].label,
         two.par[4].label, a, b, w.stat, c.stat]
        "#,
    )
    .unwrap();
    let a: Vec<String> = v
        .cast::<rhai::Array>()
        .into_iter()
        .map(|x| x.to_string())
        .collect();
    assert_eq!(a[0], "$\\alpha$");
    assert_eq!(a[1], "2.7");
    assert_eq!(a[2], "log$A$");
    assert_eq!(a[3], "$\\alpha$");
    assert!(
        a[4].contains("ambiguous") && a[4].contains("par#1") && a[4].contains("par#4"),
        "{}",
        a[4]
    );
    assert!(
        a[5].contains("no parameter 'gamma'") && a[5].contains("par#1 alpha"),
        "{}",
        a[5]
    );
    assert_eq!(a[6], "cstat");
    assert_eq!(a[7], "pstat");
}
