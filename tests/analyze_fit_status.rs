//! Fit health of maximum-likelihood fits: convergence, EDM, parameters at a limit, MINOS
//! validity, in the result, its printed report and its JSON (issue: "is the fit any good?").

mod common;

use bayspec::analyze::fit_status::LimitSide;
use bayspec::analyze::maxlike::{iminuit, lmfit, res_json, LmfitOptions, MinuitFitOptions};
use bayspec::data::Data;
use bayspec::data::{DataUnit, DataUnitOptions};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::prior::Prior;
use bayspec::model::Model;
use common::shared_dir;
use common::synth::temp_dir;

fn simulated(tag: &str, seed: u64) -> Data {
    common::synth::simulated_burst(tag, seed)
}

fn infer_with(data: Data, model: &Model) -> Infer {
    Infer::new(
        InferKind::MaxLike,
        vec![Pair::new(data, model.clone()).unwrap()],
    )
    .unwrap()
}

#[test]
fn a_good_fit_is_valid_with_hesse_and_minos_errors_reported() {
    let model = Model::builtin("cpl").unwrap();
    let infer = infer_with(simulated("status-good", 31), &model);
    let fit = iminuit(
        &infer,
        &MinuitFitOptions {
            minos: true,
            ..Default::default()
        },
    )
    .unwrap();
    let st = &fit.status;
    assert!(st.valid && st.converged, "{st:?}");
    assert!(st.edm <= st.edm_goal, "{st:?}");
    assert_eq!(st.hesse_pos_def, Some(true));
    assert!(st.at_limit.iter().all(Option::is_none));
    assert_eq!(st.minos_valid.as_ref().unwrap(), &vec![(true, true); 3]);
    assert!(st.nfev > 0 && st.nfev == fit.nfev);
    let report = fit.report();
    for want in [
        "iminuit: valid",
        "HESSE error",
        "MINOS lower",
        "MINOS upper",
        "alpha",
        "logE_p",
    ] {
        assert!(report.contains(want), "{want} missing:\n{report}");
    }
    assert!(!report.contains("Note"), "{report}");
    // the HESSE error with two significant digits, the value to the same place
    let err = fit.errors[0];
    let decimals = (1 - err.log10().floor() as i64).max(0) as usize;
    assert!(
        report.contains(&format!("{:.*}", decimals, fit.values[0])),
        "{report}"
    );
    let j = res_json(&fit);
    assert_eq!(j["status"]["valid"], true);
    assert_eq!(j["status"]["fitter"], "iminuit");
    assert_eq!(j["status"]["nfev"].as_u64().unwrap() as usize, fit.nfev);
    assert_eq!(j["status"]["minos_valid"][2][1], true);
    assert!((j["stat"].as_f64().unwrap() - fit.stat).abs() < 1e-9);
}

#[test]
fn a_best_fit_on_its_range_edge_is_marked_at_limit_by_both_fitters() {
    let model = Model::builtin("cpl").unwrap();
    // truth α = −1 lies outside [−0.6, 0]: the fit is pressed against −0.6
    let alpha = model.par("alpha").unwrap();
    alpha.set_prior(Some(Prior::unif(-0.6, 0.0).unwrap()));
    alpha.set_val(-0.3);
    let infer = infer_with(simulated("status-limit", 41), &model);
    // the warning is reported through the library's observer (captured here), not printed
    let (fit, reported) =
        bayspec::notice::capture(|| iminuit(&infer, &MinuitFitOptions::default()).unwrap());
    assert!(
        reported
            .iter()
            .any(|w| w.contains("par#1 alpha") && w.contains("lower limit")),
        "{reported:?}"
    );
    assert!(
        (fit.values[0] + 0.6).abs() <= 0.6 * 1e-6,
        "{}",
        fit.values[0]
    );
    assert_eq!(
        fit.status.at_limit,
        vec![Some(LimitSide::Lower), None, None]
    );
    assert!(
        fit.warnings
            .iter()
            .any(|w| w.contains("par#1 alpha") && w.contains("lower limit")),
        "{:?}",
        fit.warnings
    );
    let report = fit.report();
    assert!(
        report.contains("at lower limit: error unreliable"),
        "{report}"
    );
    assert!(report.contains("1 parameter at a limit"), "{report}");
    assert_eq!(res_json(&fit)["status"]["at_limit"][0], "lower");
    // the bootstrap's table and JSON rows carry the mark as well
    let boot = fit.posterior.to_string();
    assert!(boot.contains("at lower limit"), "{boot}");
    assert_eq!(fit.posterior.notes()[0].as_deref(), Some("at lower limit"));
    assert_eq!(fit.posterior.notes()[1], None);
    let dir = temp_dir("status-limit-save");
    fit.posterior.save(&dir).unwrap();
    let rows: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("boot_free_par.json")).unwrap())
            .unwrap();
    assert_eq!(rows[0]["Note"], "at lower limit", "{rows}");
    assert!(rows[1]["Note"].is_null(), "{rows}");
    infer.set_free_values(&[-0.3, 2.4, 0.4]).unwrap();
    let lm = lmfit(&infer, &LmfitOptions::default()).unwrap();
    assert_eq!(
        lm.status.at_limit[0],
        Some(LimitSide::Lower),
        "{:?}",
        lm.values
    );
    assert!(lm.report().contains("at lower limit"), "{}", lm.report());
    // away from the edge: nothing marked
    alpha.set_prior(Some(Prior::unif(-3.0, 0.0).unwrap()));
    let fit = iminuit(&infer, &MinuitFitOptions::default()).unwrap();
    assert!(fit.status.at_limit.iter().all(Option::is_none));
    assert!(!fit.report().contains("limit:"));
}

#[test]
fn an_lmfit_stopped_by_its_budget_is_reported_not_converged() {
    let model = Model::builtin("cpl").unwrap();
    let infer = infer_with(simulated("status-budget", 51), &model);
    infer.set_free_values(&[-1.8, 1.8, -0.5]).unwrap();
    let fit = lmfit(
        &infer,
        &LmfitOptions {
            ncall: Some(6),
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        !fit.status.converged && !fit.status.valid,
        "{:?}",
        fit.status
    );
    assert!(
        fit.warnings.iter().any(|w| w.contains("did NOT converge")),
        "{:?}",
        fit.warnings
    );
    assert!(
        fit.report().contains("lmfit: NOT CONVERGED"),
        "{}",
        fit.report()
    );
    assert_eq!(res_json(&fit)["status"]["converged"], false);
    // the same start with the default budget converges, to a lower statistic
    infer.set_free_values(&[-1.8, 1.8, -0.5]).unwrap();
    let good = lmfit(&infer, &LmfitOptions::default()).unwrap();
    assert!(good.status.valid, "{:?}", good.status);
    assert!(good.stat < fit.stat);
}

#[test]
fn an_iminuit_out_of_calls_is_returned_invalid_not_as_a_result_like_any_other() {
    let model = Model::builtin("cpl").unwrap();
    let infer = infer_with(simulated("status-calls", 61), &model);
    infer.set_free_values(&[-1.8, 1.8, -0.5]).unwrap();
    let fit = iminuit(
        &infer,
        &MinuitFitOptions {
            ncall: 40,
            minos: true,
            ..Default::default()
        },
    )
    .unwrap();
    assert!(
        !fit.status.valid && !fit.status.converged,
        "{:?}",
        fit.status
    );
    assert!(fit.status.reason.starts_with("Migrad did not converge"));
    assert!(fit.minos.is_none(), "no MINOS after a failed MIGRAD");
    assert!(
        fit.report().contains("iminuit: NOT CONVERGED"),
        "{}",
        fit.report()
    );
    assert!(fit.warnings.iter().any(|w| w.contains("NOT valid")));
}

#[test]
fn a_start_value_outside_its_prior_is_an_error_naming_parameter_and_range() {
    let model = Model::builtin("cpl").unwrap();
    let alpha = model.par("alpha").unwrap();
    alpha.set_prior(Some(Prior::unif(5.0, 10.0).unwrap()));
    alpha.set_val(0.0);
    let infer = infer_with(simulated("status-start", 71), &model);
    for e in [
        iminuit(&infer, &MinuitFitOptions::default()).unwrap_err(),
        lmfit(&infer, &LmfitOptions::default()).unwrap_err(),
    ] {
        let e = e.to_string();
        assert!(e.contains("alpha") && e.contains("[5, 10]"), "{e}");
    }
}

/// The Band fit of the real GBM burst has a wide, flat β (−4.5 ± 1.6 in [−6, −2]). HESSE's EDM
/// must come from a small-step gradient: the Hessian's own wide steps carry a
/// third-derivative bias in the bounded coordinate that once put this true minimum at
/// EDM 0.019 (invalid), while Levenberg–Marquardt found EDM 7e-9 at the same statistic.
#[test]
fn a_wide_flat_band_beta_is_a_valid_minimum_for_both_fitters() {
    let Some(shared) = shared_dir() else { return };
    let dir = shared.join("data/grb");
    let unit = |src: &str, bkg: &str, rsp: &str, notc: [f64; 2]| {
        DataUnit::new(DataUnitOptions {
            src: Some(dir.join(src).display().to_string().into()),
            bkg: Some(dir.join(bkg).display().to_string().into()),
            rsp: Some(dir.join(rsp).display().to_string().into()),
            notc: Some(vec![notc]),
            stat: Some("pgstat".into()),
            ..Default::default()
        })
        .unwrap()
    };
    let data = Data::from_pairs(vec![
        (
            "nai".into(),
            unit("me.src", "me.bkg", "me.rsp", [8.0, 900.0]),
        ),
        (
            "bgo".into(),
            unit("he.src", "he.bkg", "he.rsp", [300.0, 38000.0]),
        ),
    ])
    .unwrap();
    let model = Model::builtin("band").unwrap();
    let infer = infer_with(data, &model);
    let start = infer.free_pvalues();
    let fit = iminuit(&infer, &MinuitFitOptions::default()).unwrap();
    assert!(fit.status.valid, "{:?}", fit.status);
    assert!(fit.status.edm < 1e-5, "{:?}", fit.status);
    infer.set_free_values(&start).unwrap();
    let lm = lmfit(&infer, &LmfitOptions::default()).unwrap();
    assert!(lm.status.valid, "{:?}", lm.status);
    assert!(
        (lm.stat - fit.stat).abs() < 1e-3,
        "{} vs {}",
        lm.stat,
        fit.stat
    );
}
