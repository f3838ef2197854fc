//! The posterior analysis against posterior_analysis.json (the published quickstart sample
//! analysed by the reference) and analytic cases.

mod common;

use bayspec::analyze::{criteria, Analysis, AnalyzerKind, ParLabel, PointwiseSource, Posterior};
use bayspec::data::Data;
use bayspec::infer::overrides::LoglikeFn;
use bayspec::infer::{Infer, InferKind, LoglikeValue, Overrides, Pair, Plan};
use bayspec::model::Model;
use bayspec::sample::draws::matrix_from_rows;
use bayspec::sample::emcee::EmceeResult;
use bayspec::sample::{row_slices, Draws};
use serde_json::Value;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

/// An analysis of `sample` given as rows.
fn analysis(
    kind: AnalyzerKind,
    sample: Vec<Vec<f64>>,
    loglike: Vec<f64>,
    logprob: Vec<f64>,
    npoint: usize,
) -> bayspec::error::Result<Analysis> {
    let draws = Draws::new(matrix_from_rows(&sample)?, loglike, logprob)?;
    Analysis::new(kind, draws, npoint)
}

/// WAIC of a pointwise matrix given as rows.
fn waic_rows(rows: &[Vec<f64>]) -> bayspec::error::Result<criteria::Waic> {
    criteria::waic(matrix_from_rows(rows)?.view())
}

fn vecf(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(common::num).collect()
}

fn pairs(v: &Value) -> Vec<[f64; 2]> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            let p = vecf(p);
            [p[0], p[1]]
        })
        .collect()
}

fn assert_close(a: f64, b: f64, rtol: f64, what: &str) {
    assert!(common::close(a, b, rtol, 1e-12), "{what}: {a} vs {b}");
}

fn assert_vec(a: &[f64], b: &[f64], rtol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert_close(*x, *y, rtol, what);
    }
}

fn assert_pairs(a: &[[f64; 2]], b: &[[f64; 2]], rtol: f64, what: &str) {
    assert_eq!(a.len(), b.len(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert_close(x[0], y[0], rtol, what);
        assert_close(x[1], y[1], rtol, what);
    }
}

/// The quickstart sample with the sampler's ln L (4th column) and the constant log-prior of
/// the quickstart priors (uniform on widths 4, 4, 20: −ln 320).
fn quickstart() -> Option<(Value, Analysis)> {
    let v = common::vectors("posterior_analysis.json")?;
    let rows: Vec<Vec<f64>> = v["sample"].as_array().unwrap().iter().map(vecf).collect();
    let sample: Vec<Vec<f64>> = rows.iter().map(|r| r[..3].to_vec()).collect();
    let loglike: Vec<f64> = rows.iter().map(|r| r[3]).collect();
    let logprior = -(320.0_f64).ln();
    let logprob = loglike.iter().map(|l| l + logprior).collect();
    let r = &v["results"];
    let a = analysis(AnalyzerKind::Posterior, sample, loglike, logprob, 236)
        .unwrap()
        .with_ln_z(common::num(&r["lnZ"]), common::num(&r["lnZ_err"]))
        .with_sampler_type("nested");
    Some((v, a))
}

#[test]
fn quickstart_summaries_match_the_reference() {
    let Some((v, a)) = quickstart() else { return };
    let r = &v["results"];
    let first = vecf(&r["logprior_sample_first5"]);
    assert_close(
        first[0],
        -(320.0_f64).ln(),
        1e-12,
        "log-prior of the quickstart priors",
    );
    let tol = 1e-9;
    assert_vec(&a.par_mean(), &vecf(&r["par_mean"]), tol, "mean");
    assert_vec(&a.par_median(), &vecf(&r["par_median"]), tol, "median");
    assert_vec(&a.par_best(), &vecf(&r["par_best"]), tol, "best");
    assert_vec(
        &a.par_best_ci().unwrap(),
        &vecf(&r["par_best_ci"]),
        tol,
        "best_ci",
    );
    assert_pairs(&a.par_isigma(), &pairs(&r["par_Isigma"]), tol, "Isigma");
    assert_pairs(&a.par_iisigma(), &pairs(&r["par_IIsigma"]), tol, "IIsigma");
    assert_pairs(
        &a.par_iiisigma(),
        &pairs(&r["par_IIIsigma"]),
        tol,
        "IIIsigma",
    );
    assert_pairs(
        &a.par_ninety_percent(),
        &pairs(&r["par_ninety_percent"]),
        tol,
        "90%",
    );
    assert_vec(
        &a.par_quantile(0.3),
        &vecf(&r["par_quantile_0.3"]),
        tol,
        "quantile 0.3",
    );
    let best = a.par_best();
    assert_pairs(
        &a.par_error(&best, 0.6827).unwrap(),
        &pairs(&r["par_error_best_1sigma"]),
        1e-7,
        "error of best",
    );
    let median = a.par_median();
    assert_pairs(
        &a.par_error(&median, 0.9).unwrap(),
        &pairs(&r["par_error_median_90"]),
        1e-7,
        "error of median",
    );
}

#[test]
fn quickstart_information_criteria_match_the_reference() {
    let Some((v, a)) = quickstart() else { return };
    let r = &v["results"];
    // the sampler's ln L agrees with the reference's recomputed one to ~1e-11
    assert_close(
        a.max_loglike(),
        common::num(&r["max_loglike"]),
        1e-9,
        "max_loglike",
    );
    assert_close(a.aic(), common::num(&r["AIC"]), 1e-9, "AIC");
    assert_close(a.aicc().unwrap(), common::num(&r["AICc"]), 1e-9, "AICc");
    assert_close(a.bic(), common::num(&r["BIC"]), 1e-9, "BIC");
    let ic = a.ic_row();
    assert_eq!(ic.ln_z, Some(common::num(&r["lnZ"])));
    assert_eq!(ic.waic, None);
}

#[test]
fn quickstart_free_parameter_rows_match_the_reference() {
    let Some((v, a)) = quickstart() else { return };
    let expected = v["results"]["free_par_table_rows"].as_array().unwrap();
    let labels: Vec<ParLabel> = expected
        .iter()
        .map(|row| ParLabel {
            par: row["par#"].as_str().unwrap().into(),
            class: row["Class"].as_str().unwrap().into(),
            expression: row["Expression"].as_str().unwrap().into(),
            component: row["Component"].as_str().unwrap().into(),
            parameter: row["Parameter"].as_str().unwrap().into(),
        })
        .collect();
    let rows = a.free_par_rows(&labels).unwrap();
    let json = serde_json::to_value(&rows).unwrap();
    for (got, want) in json.as_array().unwrap().iter().zip(expected) {
        let (g, w) = (got.as_object().unwrap(), want.as_object().unwrap());
        let mut gk: Vec<&String> = g.keys().collect();
        let mut wk: Vec<&String> = w.keys().collect();
        gk.sort();
        wk.sort();
        assert_eq!(gk, wk, "same keys as the reference");
        for (k, wv) in w {
            match wv {
                Value::String(s) => assert_eq!(g[k].as_str(), Some(s.as_str()), "{k}"),
                _ => assert_close(g[k].as_f64().unwrap(), wv.as_f64().unwrap(), 1e-9, k),
            }
        }
    }
    // printed tables carry the same numbers: alpha's median −1.56245 with the 1σ interval
    // [−1.57236, −1.55185] (errors −0.00991, +0.01060: two digits on the smaller) and the 90 %
    // interval [−1.57843, −1.54493], all to the same decimal place
    let text = a.report_text(&labels, &[]).unwrap();
    assert!(text.contains("*** Posterior Results ***"));
    let alpha = text
        .lines()
        .find(|l| l.starts_with("| 1 "))
        .expect("alpha's row");
    let cells: Vec<&str> = alpha.split('|').map(str::trim).collect();
    assert_eq!(
        cells[2..7],
        [
            "alpha",
            "-1.5624",
            "-0.0099",
            "+0.0106",
            "[-1.5784, -1.5449]"
        ],
        "{text}"
    );
    assert!(text.contains("*** Information criteria ***"));
    assert!(text.contains("-295.836 ± 0.020"));
}

#[test]
fn save_writes_reference_keys_with_numbers() {
    let Some((_, a)) = quickstart() else { return };
    let dir = std::env::temp_dir().join(format!("bayspec_analyze_save_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let labels: Vec<ParLabel> = (1..=3)
        .map(|i| ParLabel {
            par: i.to_string(),
            class: "model".into(),
            expression: "cpl".into(),
            component: "cpl".into(),
            parameter: format!("p{i}"),
        })
        .collect();
    a.save(&dir, AnalyzerKind::Posterior.prefix(), &labels)
        .unwrap();
    let ic: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("post_IC.json")).unwrap()).unwrap();
    let o = &ic[0];
    assert!((o["AIC"].as_f64().unwrap() - 560.7446972366427).abs() < 1e-6);
    assert!((o["lnZ"].as_f64().unwrap() + 295.8356857073724).abs() < 1e-9);
    assert!(o["WAIC"].is_null(), "no pointwise matrix → null");
    let crit: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("post_ic_criteria.json")).unwrap())
            .unwrap();
    assert_eq!(crit["analyzer"], "Posterior");
    assert_eq!(crit["n_samples"], 1703);
    assert_eq!(crit["sampler_type"], "nested");
    assert_eq!(crit["criteria"]["lnZ"]["higher_is_better"], true);
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("post_free_par.json")).unwrap())
            .unwrap();
    assert_eq!(rows[0]["1sigma CI"], "[-1.572, -1.552]");
    assert!(rows[0]["Mean"].is_number());
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn synthetic_sample_has_best_ci_different_from_best() {
    let Some(v) = common::vectors("posterior_analysis.json") else {
        return;
    };
    let s = &v["synthetic_small_sample"];
    let sample: Vec<Vec<f64>> = s["sample"].as_array().unwrap().iter().map(vecf).collect();
    let ranking = vecf(&s["ranking"]);
    let a = analysis(
        AnalyzerKind::Posterior,
        sample,
        ranking.clone(),
        ranking,
        100,
    )
    .unwrap();
    let tol = 1e-9;
    assert_vec(&a.par_mean(), &vecf(&s["mean"]), tol, "mean");
    assert_vec(&a.par_median(), &vecf(&s["median"]), tol, "median");
    assert_vec(&a.par_best(), &vecf(&s["best"]), tol, "best");
    assert_vec(
        &a.par_best_ci().unwrap(),
        &vecf(&s["best_ci"]),
        tol,
        "best_ci",
    );
    assert_pairs(&a.par_isigma(), &pairs(&s["Isigma"]), tol, "Isigma");
    assert_pairs(&a.par_iisigma(), &pairs(&s["IIsigma"]), tol, "IIsigma");
    assert_pairs(&a.par_iiisigma(), &pairs(&s["IIIsigma"]), tol, "IIIsigma");
    assert_pairs(
        &a.par_ninety_percent(),
        &pairs(&s["ninety_percent"]),
        tol,
        "90%",
    );
    assert_vec(
        &a.par_quantile(0.1),
        &vecf(&s["quantile_0.1"]),
        tol,
        "quantile 0.1",
    );
    let best = a.par_best();
    assert_pairs(
        &a.par_error(&best, 0.6827).unwrap(),
        &pairs(&s["error_of_best_1sigma"]),
        tol,
        "error of best",
    );
}

#[test]
fn waic_of_a_two_draw_matrix() {
    // ℓ = [[ln .5, ln .2], [ln .3, ln .2]]: bin 1 lppd = ln .4, v = (ln(5/3)/2)²; bin 2 lppd = ln .2, v = 0
    let l = vec![
        vec![0.5_f64.ln(), 0.2_f64.ln()],
        vec![0.3_f64.ln(), 0.2_f64.ln()],
    ];
    let w = waic_rows(&l).unwrap();
    let v1 = ((5.0_f64 / 3.0).ln() / 2.0).powi(2);
    let e1 = 0.4_f64.ln() - v1;
    let e2 = 0.2_f64.ln();
    assert!((w.p_waic - v1).abs() < 1e-14);
    assert!((w.elpd_waic - (e1 + e2)).abs() < 1e-14);
    assert!((w.deviance + 2.0 * (e1 + e2)).abs() < 1e-13);
    // se = √(n Var(elpd_i)) with n = 2: |e1 − e2|/√2
    assert!((w.se - (e1 - e2).abs() / 2f64.sqrt()).abs() < 1e-13);
    assert!(!w.warning);
    assert!(waic_rows(&[vec![0.0, f64::NAN], vec![0.0, 0.0]]).is_err());
}

#[test]
fn bootstrap_ranks_by_loglike_and_uses_the_first_row() {
    let sample = vec![
        vec![1.0, 2.0],
        vec![1.5, 2.5],
        vec![0.5, 1.5],
        vec![1.2, 2.2],
    ];
    let loglike = vec![-3.0, -1.0, -5.0, -2.0];
    let logprob = vec![-10.0, -20.0, -1.0, -30.0];
    let a = analysis(AnalyzerKind::Bootstrap, sample, loglike, logprob, 3).unwrap();
    assert_eq!(a.par_best(), vec![1.5, 2.5]);
    assert_eq!(a.par_truth(), vec![1.0, 2.0]);
    assert_eq!(a.max_loglike(), -3.0, "Bootstrap: loglike at the truth row");
    assert_eq!(a.aicc(), None, "n = 3 ≤ k + 1 = 3");
    assert!((a.aic() - 10.0).abs() < 1e-12);
    assert!((a.bic() - (6.0 + 2.0 * 3.0_f64.ln())).abs() < 1e-12);
    let labels = vec![ParLabel::default(), ParLabel::default()];
    let row = serde_json::to_value(a.ic_row()).unwrap();
    assert!(row["AICc"].is_null() && row["lnZ"].is_null());
    let rows = serde_json::to_value(a.free_par_rows(&labels).unwrap()).unwrap();
    assert_eq!(rows[0]["Truth"], 1.0);
}

#[test]
fn bad_input_is_an_error() {
    assert!(analysis(AnalyzerKind::Posterior, vec![], vec![], vec![], 1).is_err());
    assert!(analysis(
        AnalyzerKind::Posterior,
        vec![vec![1.0], vec![1.0, 2.0]],
        vec![0.0; 2],
        vec![0.0; 2],
        5
    )
    .is_err());
    assert!(analysis(
        AnalyzerKind::Posterior,
        vec![vec![1.0]],
        vec![],
        vec![0.0],
        5
    )
    .is_err());
    let a = analysis(
        AnalyzerKind::Posterior,
        vec![vec![1.0]],
        vec![0.0],
        vec![0.0],
        5,
    )
    .unwrap();
    assert!(a.par_error(&[1.0, 2.0], 0.9).is_err());
    assert!(a.free_par_rows(&[]).is_err());
}

// ---- lazy WAIC ----

fn assert_waic_close(got: &criteria::Waic, want: &criteria::Waic) {
    let rel = |a: f64, b: f64| (a - b).abs() <= 1e-10 * a.abs().max(b.abs()).max(1e-12);
    for (a, b, what) in [
        (got.elpd_waic, want.elpd_waic, "elpd"),
        (got.se, want.se, "se"),
        (got.p_waic, want.p_waic, "p_waic"),
        (got.deviance, want.deviance, "deviance"),
        (got.deviance_error, want.deviance_error, "deviance error"),
    ] {
        assert!(rel(a, b), "{what}: {a} vs {b}");
    }
    assert_eq!(got.pointwise_deviance.len(), want.pointwise_deviance.len());
    for (a, b) in got.pointwise_deviance.iter().zip(&want.pointwise_deviance) {
        assert!(rel(*a, *b), "pointwise: {a} vs {b}");
    }
    assert_eq!(got.warning, want.warning);
}

/// A simulated cpl burst (NaI + BGO) and a short emcee run on it.
fn simulated_emcee() -> (Infer, Plan, EmceeResult) {
    let dir = common::synth::temp_dir("analyze-lazy-waic");
    let truth = Model::builtin("cpl").unwrap();
    truth.set_par_values(&[-1.0, 2.5, 0.5]).unwrap();
    let nai = common::synth::simulated_unit(&dir, false, &truth, 20.0, 21);
    let bgo = common::synth::simulated_unit(&dir, true, &truth, 20.0, 22);
    let data = Data::from_pairs(vec![("nai".into(), nai), ("bgo".into(), bgo)]).unwrap();
    let infer = Infer::new(
        InferKind::Bayes,
        vec![Pair::new(data, Model::builtin("cpl").unwrap()).unwrap()],
    )
    .unwrap();
    infer.set_free_values(&[-1.0, 2.5, 0.5]).unwrap();
    let plan = infer.compile().unwrap();
    let res = common::runs::emcee_from_start(&plan, 200, 100, 5);
    (infer, plan, res)
}

#[test]
fn emcee_posterior_computes_waic_only_when_asked_and_matches_the_matrix() {
    fn clone_send_sync<T: Clone + Send + Sync>() {}
    clone_send_sync::<Posterior>();

    let (infer, plan, res) = simulated_emcee();
    let post = Posterior::from_draws(&infer, &plan, &res).unwrap();
    assert!(!post.waic_computed(), "WAIC computed by the constructor");
    let copy = post.clone();
    // the other summaries do not need it
    let _ = (
        post.analysis().aic(),
        post.analysis().par_median(),
        post.analysis().free_par_rows(post.labels()).unwrap(),
    );
    assert!(!post.waic_computed() && !copy.waic_computed());

    let matrix: Vec<Vec<f64>> = row_slices(&res.draws.samples)
        .map(|theta| {
            let mut row = vec![0.0; plan.npoint()];
            plan.pointwise_loglike(theta, &mut row);
            row
        })
        .collect();
    let want = waic_rows(&matrix).unwrap();
    let got = post.waic().expect("WAIC of a built-in likelihood").clone();
    assert!(
        post.waic_computed() && copy.waic_computed(),
        "clones share it"
    );
    assert_waic_close(&got, &want);
    assert_eq!(copy.waic(), Some(&got));
    assert!(post
        .to_string()
        .contains(&format!("{:.3} ± {:.3}", got.deviance, got.deviance_error)));

    // printing and saving compute it too
    let printed = Posterior::from_draws(&infer, &plan, &res).unwrap();
    let _ = printed.to_string();
    assert!(printed.waic_computed());
    let saved = Posterior::from_draws(&infer, &plan, &res).unwrap();
    let out = common::synth::temp_dir("analyze-lazy-waic-save");
    saved.save(&out).unwrap();
    assert!(saved.waic_computed());
    let ic: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("post_IC.json")).unwrap()).unwrap();
    assert_eq!(
        saved.waic(),
        Some(&got),
        "the same numbers on every evaluation"
    );
    // serde_json's float parsing may be one ulp off
    assert_close(
        ic[0]["WAIC"].as_f64().unwrap(),
        got.deviance,
        1e-14,
        "saved WAIC",
    );

    // a user log-likelihood that returns a scalar: no WAIC
    let scalar: LoglikeFn = Arc::new(|_: &[f64]| Ok(LoglikeValue::Scalar(-1.0)));
    let custom = infer.compile().unwrap().with_overrides(Overrides {
        loglike: Some(scalar),
        ..Default::default()
    });
    let post = Posterior::from_draws(&infer, &custom, &res).unwrap();
    assert!(!post.waic_computed());
    assert_eq!(post.waic(), None);
    assert!(post.to_string().contains("| - "), "WAIC shown as -");
}

#[test]
fn pointwise_source_is_called_once_per_draw_on_first_use() {
    let sample: Vec<Vec<f64>> = (0..600).map(|i| vec![i as f64 / 600.0]).collect();
    let n = sample.len();
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let source = PointwiseSource::new(3, move |theta: &[f64], out: &mut [f64]| {
        counter.fetch_add(1, Ordering::Relaxed);
        for (k, o) in out.iter_mut().enumerate() {
            *o = -(theta[0] - 0.1 * k as f64).powi(2);
        }
    });
    let a = analysis(
        AnalyzerKind::Posterior,
        sample.clone(),
        vec![0.0; n],
        vec![0.0; n],
        3,
    )
    .unwrap()
    .with_pointwise_source(source);
    assert_eq!(calls.load(Ordering::Relaxed), 0);
    assert!(!a.waic_computed());
    let b = a.clone();
    let row = a.ic_row();
    assert_eq!(calls.load(Ordering::Relaxed), n, "one call per draw");
    assert!(a.waic_computed() && b.waic_computed());
    let _ = (a.ic_table(), b.ic_criteria_json(), a.waic(), b.waic());
    assert_eq!(calls.load(Ordering::Relaxed), n, "cached");
    let matrix: Vec<Vec<f64>> = sample
        .iter()
        .map(|t| (0..3).map(|k| -(t[0] - 0.1 * k as f64).powi(2)).collect())
        .collect();
    let want = waic_rows(&matrix).unwrap();
    assert_waic_close(a.waic().unwrap(), &want);
    assert_eq!(row.waic, Some(a.waic().unwrap().deviance));
    // the same analysis with the matrix attached is equal
    let eager = analysis(
        AnalyzerKind::Posterior,
        sample,
        vec![0.0; n],
        vec![0.0; n],
        3,
    )
    .unwrap()
    .with_pointwise_loglike(matrix_from_rows(&matrix).unwrap().view())
    .unwrap();
    assert!(eager.waic_computed());
    assert_waic_close(eager.waic().unwrap(), a.waic().unwrap());
}

#[test]
fn lazy_waic_errors_surface_in_save_and_the_report() {
    let sample = vec![vec![1.0], vec![2.0], vec![3.0]];
    let new = || {
        analysis(
            AnalyzerKind::Posterior,
            sample.clone(),
            vec![0.0; 3],
            vec![0.0; 3],
            2,
        )
        .unwrap()
    };
    let nan = |theta: &[f64], out: &mut [f64]| {
        out.fill(-1.0);
        if theta[0] == 2.0 {
            out[1] = f64::NAN;
        }
    };
    let labels = vec![ParLabel::default()];
    // NaN where pointwise values are expected: the error of a matrix with non-finite values
    let bad = new().with_pointwise_source(PointwiseSource::new(2, nan));
    let err = bad.try_waic().unwrap_err();
    assert_eq!(
        err.message(),
        "WAIC: the pointwise log-likelihood has non-finite values"
    );
    assert_eq!(bad.waic(), None);
    assert!(bad.report_text(&labels, &[]).is_err());
    let dir = common::synth::temp_dir("analyze-lazy-waic-error");
    assert!(bad.save(&dir, "post", &labels).is_err());
    // NaN meaning "no pointwise values" (a scalar user log-likelihood): no WAIC, no error
    let none =
        new().with_pointwise_source(PointwiseSource::new(2, nan).nan_means_unavailable(true));
    assert_eq!(none.try_waic(), Ok(None));
    assert!(none.report_text(&labels, &[]).unwrap().contains("| - "));
    none.save(&dir, "post", &labels).unwrap();
}
