//! Maximum-likelihood fits of an inference (inference.md 5.3, 6): `iminuit` and `lmfit` on the
//! quickstart against `quickstart_loglike.json → maximum_likelihood_reference` and the iminuit
//! numbers of inference.md 5.3.2, the files they write, a fit of simulated data against the
//! truth, and failing fits.
//!
//! Reference numbers (inference.md 5.3.2, Python iminuit on the quickstart from the defaults):
//! HESSE errors (0.01025, 0.00984, 0.01497); MINOS ±0.0102 (α), 0.0097–0.0099 (log Ep, the
//! two sides), ±0.0150 (log A); lmfit with lmfit's stat/dof scaling: σ_α = 0.0160
//! (= 1.54 × the unscaled error, stat/dof = 554.7277/233).
#![allow(clippy::needless_range_loop)]

mod common;

use bayspec::analyze::maxlike::{iminuit, lmfit, FitResult, LmfitOptions, MinuitFitOptions};
use bayspec::data::Data;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::prior::Prior;
use bayspec::model::{Model, Op};
use bayspec::sample::files::parse_table;
use common::synth::temp_dir;
use common::{num, shared_dir, vectors};
use serde_json::Value;
use std::path::Path;

const HESSE: [f64; 3] = [0.01025, 0.00984, 0.01497];
const STAT: f64 = 554.7276762120787;

/// The quickstart inference (inference.md 7), parameters at the defaults (−1, 2, 0).
fn quickstart(dir: &Path) -> Infer {
    let (infer, _) = common::grb::quickstart(dir, InferKind::MaxLike);
    assert_eq!(infer.free_pvalues(), vec![-1.0, 2.0, 0.0]);
    infer
}

fn reference_values(v: &Value, which: &str) -> (Vec<f64>, f64) {
    let r = &v["maximum_likelihood_reference"][which];
    let vals = r["values"].as_array().unwrap().iter().map(num).collect();
    (vals, num(&r["stat_at_values"]))
}

/// The fit's values within 1e-4 and its stat within 1e-3 of the reference's `which` minimum.
fn assert_reference_minimum(fit: &FitResult, v: &Value, which: &str) {
    let (want, stat) = reference_values(v, which);
    for i in 0..3 {
        assert!(
            (fit.values[i] - want[i]).abs() < 1e-4,
            "{which} p{}: {} vs {}",
            i + 1,
            fit.values[i],
            want[i]
        );
    }
    assert!(
        (fit.stat - stat).abs() < 1e-3,
        "{which} stat {} vs {stat}",
        fit.stat
    );
}

/// The fit's errors within 5 % of the reference's HESSE errors.
fn assert_hesse_errors(fit: &FitResult) {
    for i in 0..3 {
        assert!(
            rel(fit.errors[i], HESSE[i]) < 0.05,
            "HESSE p{}: {} vs {}",
            i + 1,
            fit.errors[i],
            HESSE[i]
        );
    }
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn rel(a: f64, b: f64) -> f64 {
    (a - b).abs() / b.abs()
}

/// Checks shared by both fitters: the bootstrap sample, the analysis, the parameters left at
/// the best fit, and (when saved) the files.
fn check_bootstrap(infer: &Infer, fit: &FitResult, nsample: usize) {
    let a = fit.posterior.analysis();
    assert_eq!(a.nsample(), nsample);
    assert_eq!(
        a.sample().row(0).to_vec(),
        fit.values,
        "first row = the best fit"
    );
    assert_eq!(a.par_truth(), fit.values);
    assert_eq!(
        infer.free_pvalues(),
        fit.values,
        "parameters left at the fit"
    );
    assert!((a.max_loglike() + 0.5 * fit.stat).abs() < 1e-9);
    let ranges = infer.free_pranges().unwrap();
    for row in a.sample().rows() {
        for (x, (lo, hi)) in row.iter().zip(&ranges) {
            assert!(*lo <= *x && *x <= *hi);
        }
    }
    // draws follow N(best, C): sample σ within 10 % (≈ 4.5 standard errors for 1000 draws)
    for j in 0..fit.values.len() {
        let col = a.sample().column(j).to_vec();
        let m = col.iter().sum::<f64>() / col.len() as f64;
        let sd = (col.iter().map(|x| (x - m).powi(2)).sum::<f64>() / col.len() as f64).sqrt();
        assert!(
            rel(sd, fit.errors[j]) < 0.10,
            "bootstrap σ {sd} vs error {}",
            fit.errors[j]
        );
        assert!((m - fit.values[j]).abs() < 0.15 * fit.errors[j]);
    }
    // loglike per draw = −stat/2 at the draw
    let plan = infer.compile().unwrap();
    for (row, ll) in a.sample().rows().into_iter().zip(a.loglike()).take(5) {
        assert!((plan.loglike(row.as_slice().unwrap()) - ll).abs() < 1e-9);
    }
}

fn check_files(dir: &Path, fit: &FitResult, minos: bool) {
    let text = std::fs::read_to_string(dir.join("1-bootstrap_sample.txt")).unwrap();
    assert!(text.starts_with("# "), "header line naming the columns");
    let rows = parse_table(&text, "bootstrap sample").unwrap();
    let d = fit.values.len();
    assert_eq!(rows.nrows(), fit.posterior.analysis().nsample());
    assert_eq!(rows.ncols(), d + 1);
    assert_eq!(
        rows.row(0).to_vec()[..d],
        fit.values[..],
        "first row = best fit"
    );
    assert!(
        (rows[[0, d]] + 0.5 * fit.stat).abs() < 1e-9,
        "log-likelihood last"
    );
    let res = read_json(&dir.join("1-maxlike_res.json"));
    let vals: Vec<f64> = res["values"].as_array().unwrap().iter().map(num).collect();
    let errs: Vec<f64> = res["errors"].as_array().unwrap().iter().map(num).collect();
    // serde_json's default parser may differ from the shortest round trip in the last ulp
    let same = |a: &[f64], b: &[f64]| {
        a.len() == b.len()
            && a.iter()
                .zip(b)
                .all(|(x, y)| (x - y).abs() <= 1e-14 * y.abs())
    };
    assert!(same(&vals, &fit.values), "{vals:?}");
    assert!(same(&errs, &fit.errors), "{errs:?}");
    let covar = res["covar"].as_array().unwrap();
    assert_eq!(covar.len(), d);
    for i in 0..d {
        let row: Vec<f64> = covar[i].as_array().unwrap().iter().map(num).collect();
        let want: Vec<f64> = fit.covariance.row(i).iter().copied().collect();
        assert!(same(&row, &want), "{row:?}");
    }
    assert_eq!(res.get("minos_errors").is_some(), minos);
    if minos {
        let m = res["minos_errors"].as_array().unwrap();
        let want = fit.minos.as_ref().unwrap();
        for i in 0..d {
            let got = [num(&m[i][0]), num(&m[i][1])];
            assert!(same(&got, &[want[i].0, want[i].1]), "{got:?}");
        }
    }
    for f in [
        "boot_free_par.json",
        "boot_stat.json",
        "boot_IC.json",
        "boot_ic_criteria.json",
    ] {
        read_json(&dir.join(f));
    }
    let free = read_json(&dir.join("boot_free_par.json"));
    let truth: Vec<f64> = free
        .as_array()
        .unwrap()
        .iter()
        .map(|r| num(&r["Truth"]))
        .collect();
    assert!(same(&truth, &fit.values), "{truth:?}");
    let ic = read_json(&dir.join("boot_IC.json"));
    let aic = num(&ic[0]["AIC"]);
    assert!(
        (aic - (fit.stat + 2.0 * d as f64)).abs() < 1e-6,
        "AIC {aic}"
    );
    assert!(ic[0]["lnZ"].is_null());
}

#[test]
fn iminuit_quickstart_matches_the_reference() {
    let (Some(dir), Some(v)) = (shared_dir(), vectors("quickstart_loglike.json")) else {
        return;
    };
    let infer = quickstart(&dir);
    let out = temp_dir("maxlike-iminuit").join("not/yet/there");
    let fit = iminuit(
        &infer,
        &MinuitFitOptions {
            minos: true,
            savepath: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    println!("{fit:?}");
    println!("{}", fit.posterior);
    assert_eq!(fit.names, vec!["p1(alpha)", "p2(logE_p)", "p3(logA)"]);
    for which in ["iminuit_best_fit", "lmfit_best_fit"] {
        assert_reference_minimum(&fit, &v, which);
    }
    assert_hesse_errors(&fit);
    for i in 0..3 {
        let c = &fit.covariance;
        assert!((c[(i, i)].sqrt() - fit.errors[i]).abs() < 1e-15);
        for j in 0..3 {
            assert_eq!(c[(i, j)], c[(j, i)]);
        }
    }
    let m = fit.minos.clone().unwrap();
    let (lo, hi) = ([0.0102, 0.0097, 0.0150], [0.0102, 0.0099, 0.0150]);
    for i in 0..3 {
        let (l, u) = m[i];
        assert!(l < 0.0 && u > 0.0, "signs {l} {u}");
        // within 5 % of the reference range [lo, hi] for each side
        for s in [-l, u] {
            assert!(
                s > 0.95 * lo[i] && s < 1.05 * hi[i],
                "MINOS p{}: {l} {u} vs {}–{}",
                i + 1,
                lo[i],
                hi[i]
            );
        }
    }
    check_bootstrap(&infer, &fit, 1000);
    check_files(&out, &fit, true);
    // the same seed gives the same sample
    infer.set_free_values(&[-1.0, 2.0, 0.0]).unwrap();
    let again = iminuit(&infer, &MinuitFitOptions::default()).unwrap();
    assert_eq!(
        again.posterior.analysis().sample(),
        fit.posterior.analysis().sample()
    );
    assert!(again.minos.is_none());
    // several start points: a poor main start plus a good one reach the same minimum
    infer.set_free_values(&[1.5, 0.5, -5.0]).unwrap();
    let multi = iminuit(
        &infer,
        &MinuitFitOptions {
            starts: ndarray::array![[-1.5, 2.3, 2.3]],
            nsample: 100,
            ..Default::default()
        },
    )
    .unwrap();
    assert!((multi.stat - STAT).abs() < 1e-3, "{}", multi.stat);
}

#[test]
fn lmfit_quickstart_reaches_the_same_minimum() {
    let (Some(dir), Some(v)) = (shared_dir(), vectors("quickstart_loglike.json")) else {
        return;
    };
    let infer = quickstart(&dir);
    let out = temp_dir("maxlike-lmfit");
    let fit = lmfit(
        &infer,
        &LmfitOptions {
            savepath: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap();
    println!("{fit:?}");
    assert_eq!(fit.names, vec!["p1", "p2", "p3"]);
    assert_reference_minimum(&fit, &v, "lmfit_best_fit");
    assert!((fit.stat - STAT).abs() < 1e-3);
    // no stat/dof scaling: the Gauss–Newton errors agree with HESSE's
    assert_hesse_errors(&fit);
    assert!(fit.minos.is_none());
    check_bootstrap(&infer, &fit, 1000);
    check_files(&out, &fit, false);

    // lmfit's own convention: errors × √(stat/dof), 0.0160 for α
    infer.set_free_values(&[-1.0, 2.0, 0.0]).unwrap();
    let scaled = lmfit(
        &infer,
        &LmfitOptions {
            scale_covar: true,
            nsample: 200,
            seed: 7,
            pointwise: true,
            ..Default::default()
        },
    )
    .unwrap();
    let k = (scaled.stat / 233.0).sqrt();
    for i in 0..3 {
        assert!(rel(scaled.errors[i], k * fit.errors[i]) < 1e-3);
    }
    assert!(rel(scaled.errors[0], 0.0160) < 0.03, "{}", scaled.errors[0]);
    assert_eq!(scaled.posterior.analysis().nsample(), 200);
    assert!(scaled.posterior.analysis().waic().is_some());
    assert!(fit.posterior.analysis().waic().is_none());
    assert_ne!(
        scaled.posterior.analysis().sample().row(1),
        fit.posterior.analysis().sample().row(1)
    );
}

fn simulated_data(tag: &str, seed: u64) -> Data {
    common::synth::simulated_burst(tag, seed)
}

#[test]
fn fits_of_simulated_data_recover_the_truth() {
    let truth = [-1.0, 2.5, 0.5];
    for seed in [11, 12] {
        let data = simulated_data(&format!("maxlike-sim-{seed}"), seed * 10);
        let infer = Infer::new(
            InferKind::MaxLike,
            vec![Pair::new(data, Model::builtin("cpl").unwrap()).unwrap()],
        )
        .unwrap();
        let fit = iminuit(&infer, &MinuitFitOptions::default()).unwrap();
        for i in 0..3 {
            let pull = (fit.values[i] - truth[i]) / fit.errors[i];
            assert!(pull.abs() < 3.0, "seed {seed} p{}: pull {pull}", i + 1);
        }
        check_bootstrap(&infer, &fit, 1000);
        infer.set_free_values(&[-1.0, 2.0, 0.0]).unwrap();
        let lm = lmfit(&infer, &LmfitOptions::default()).unwrap();
        assert!(
            (lm.stat - fit.stat).abs() < 1e-3,
            "lmfit {} vs iminuit {}",
            lm.stat,
            fit.stat
        );
        for i in 0..3 {
            assert!((lm.values[i] - fit.values[i]).abs() < 0.05 * fit.errors[i]);
            assert!(rel(lm.errors[i], fit.errors[i]) < 0.05);
        }
    }
}

#[test]
fn a_likelihood_not_finite_anywhere_is_a_clear_error() {
    let data = simulated_data("maxlike-nonfinite", 5);
    let model = Model::builtin("cpl").unwrap();
    // log A in [300, 400]: the model flux overflows to ∞ for every allowed value
    let loga = model.par("logA").unwrap();
    loga.set_prior(Some(Prior::unif(300.0, 400.0).unwrap()));
    loga.set_val(350.0);
    let infer = Infer::new(
        InferKind::MaxLike,
        vec![Pair::new(data, model.clone()).unwrap()],
    )
    .unwrap();
    let out = temp_dir("maxlike-nonfinite-out");
    let e = iminuit(
        &infer,
        &MinuitFitOptions {
            savepath: Some(out.clone()),
            ..Default::default()
        },
    )
    .unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("iminuit") && msg.contains("not finite"),
        "{msg}"
    );
    let e = lmfit(&infer, &LmfitOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("lmfit") && e.to_string().contains("not finite"),
        "{e}"
    );
    assert!(
        !out.join("1-maxlike_res.json").exists(),
        "no files from a failed fit"
    );
    // a start value outside its range
    loga.set_prior(Some(Prior::unif(-10.0, 10.0).unwrap()));
    loga.set_val(20.0);
    let e = iminuit(&infer, &MinuitFitOptions::default()).unwrap_err();
    assert!(
        e.to_string().contains("p3(logA)") && e.to_string().contains("outside its range"),
        "{e}"
    );
    // a parameter that does not change the likelihood: no valid covariance
    loga.set_val(0.5);
    let bb = Model::builtin("bb").unwrap();
    let bb_loga = bb.par("logA").unwrap();
    bb_loga.set_prior(Some(Prior::unif(-300.0, -290.0).unwrap()));
    bb_loga.set_val(-295.0);
    let sum = Model::combine(&model, Op::Add, &bb).unwrap();
    let data = simulated_data("maxlike-degenerate", 6);
    let infer = Infer::new(InferKind::MaxLike, vec![Pair::new(data, sum).unwrap()]).unwrap();
    infer
        .set_free_values(&[-1.0, 2.5, 0.5, 1.0, -295.0])
        .unwrap();
    let e = iminuit(&infer, &MinuitFitOptions::default()).unwrap_err();
    println!("{e}");
    assert!(
        e.to_string().contains("HESSE") && e.to_string().contains("not constrained"),
        "{e}"
    );
    assert!(e.to_string().contains("3 = p4(logkT)"), "{e}");
    // lmfit: JᵀJ is singular; a finite result whose warnings name the loose parameters
    infer
        .set_free_values(&[-1.0, 2.5, 0.5, 1.0, -295.0])
        .unwrap();
    let fit = lmfit(&infer, &LmfitOptions::default()).unwrap();
    println!("lmfit: {:?} {:?}", fit.errors, fit.warnings);
    assert!(fit.errors.iter().all(|e| e.is_finite()));
    assert!(fit.warnings.iter().any(|w| w.contains("singular")));
    assert!(fit.warnings.iter().any(|w| w.contains("p4, p5")));
}
