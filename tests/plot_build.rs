//! Figures built from the analysis objects (`plot::build`): a small simulated cpl fit (nested
//! sampling and emcee) turned into every figure kind, the plotted numbers checked against the
//! data / model layers, every figure rendered to PNG and SVG; plus the quickstart figures from
//! a real nested fit on shared/data/grb.

mod common;
#[macro_use]
mod plot_support;

use bayspec::analyze::Posterior;
use bayspec::data::{Data, DataUnit, GridKind, GroupingRule};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::{Model, Op, KEV_TO_ERG};
use bayspec::plot::build::{
    corner_figure, data_figure, dataunit_figure, infer_figure, model_figure, pair_figure,
    run_figure, trace_figure, AtPar, CornerOptions, ModelOptions, SpectrumOptions, RUN_LNL_SPAN,
};
use bayspec::plot::{CurveShape, SpectralStyle, SpectrumFigure};
use bayspec::sample::emcee::EmceeResult;
use bayspec::sample::nested::NestedResult;
use common::synth::{simulated_unit, temp_dir};
use plot_support::check_render;
use std::sync::{Mutex, MutexGuard, OnceLock};

/// The simulated fit every test draws from.
struct Fit {
    infer: Infer,
    post: Posterior,
    nested: NestedResult,
    emcee: EmceeResult,
}

const TRUTH: [f64; 3] = [-1.0, 2.5, 0.5];

fn rebinned(mut u: DataUnit) -> DataUnit {
    let mut o = u.options().clone();
    o.rebn = Some(GroupingRule {
        min_sigma: Some(2.0),
        max_bin: Some(10.0),
        ..Default::default()
    });
    u.set_options(o).unwrap();
    u
}

fn build_fit() -> Fit {
    let dir = temp_dir("plot-build");
    let truth = Model::builtin("cpl").unwrap();
    truth.set_par_values(&TRUTH).unwrap();
    let nai = rebinned(simulated_unit(&dir, false, &truth, 20.0, 11));
    let bgo = rebinned(simulated_unit(&dir, true, &truth, 20.0, 12));
    let data = Data::from_pairs(vec![("nai".into(), nai), ("bgo".into(), bgo)]).unwrap();
    let model = Model::builtin("cpl").unwrap();
    let infer = Infer::new(InferKind::Bayes, vec![Pair::new(data, model).unwrap()]).unwrap();
    let plan = infer.compile().unwrap();
    let nested = common::runs::nested(&plan, 100, 7);
    infer.set_free_values(&nested.max_like).unwrap();
    let plan = infer.compile().unwrap();
    let emcee = common::runs::emcee_from_start(&plan, 300, 100, 3);
    let post = Posterior::from_draws(&infer, &plan, &nested).unwrap();
    Fit {
        infer,
        post,
        nested,
        emcee,
    }
}

/// The fit, locked: builders move parameters temporarily, so tests take turns.
fn fit() -> MutexGuard<'static, Fit> {
    static FIT: OnceLock<Mutex<Fit>> = OnceLock::new();
    FIT.get_or_init(|| Mutex::new(build_fit()))
        .lock()
        .unwrap_or_else(|e| e.into_inner())
}

fn close(a: f64, b: f64, rtol: f64) -> bool {
    (a - b).abs() <= rtol * a.abs().max(b.abs()) || (a.is_nan() && b.is_nan())
}

fn opts(style: SpectralStyle) -> SpectrumOptions {
    SpectrumOptions::with_style(style)
}

/// Put the parameters somewhere recognisable and return those values.
fn park(infer: &Infer) -> Vec<f64> {
    let v = vec![-1.3, 2.2, 0.1];
    infer.set_free_values(&v).unwrap();
    v
}

fn render_spectrum(fig: &SpectrumFigure, stem: &str, y_label: &str) {
    let size = fig.pixel_size();
    let mut labels = vec!["Energy (keV)", y_label];
    if fig.has_residual_panel() {
        labels.push("Residual (σ)");
    }
    check_render(|p| fig.save(p).unwrap(), stem, size, &labels);
}

#[test]
fn infer_ce_folded_model_data_residuals_and_band() {
    let f = fit();
    let parked = park(&f.infer);
    let fig = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::CE)).unwrap();
    // parameters untouched
    assert_eq!(f.infer.free_pvalues(), parked);
    assert_eq!(fig.units.len(), 2);
    assert_eq!(fig.units[0].name, "nai");
    assert_eq!(fig.units[1].name, "bgo");

    // the numbers at the best draw
    f.infer
        .set_free_values(&f.post.analysis().par_best())
        .unwrap();
    let pair = &f.infer.pairs()[0];
    for (u, unit) in fig.units.iter().zip(pair.data.iter()) {
        let g = unit.grid(GridKind::Display);
        assert!(
            g.n_bins() < unit.grid(GridKind::Fit).n_bins(),
            "rebn merges bins"
        );
        let rates = unit.rates(GridKind::Display);
        let folded = pair.folded_rate(unit, GridKind::Display).unwrap();
        let width = g.ewidth();
        let d = u.data.as_ref().unwrap();
        assert_eq!(d.len(), g.n_bins());
        for k in 0..d.len() {
            assert_eq!(d.y[k], rates.net_ctsspec[k]);
            assert_eq!(d.y_lo[k], rates.net_ctsspec_error[k]);
            assert!(close(d.x[k] - d.x_lo[k], g.emin()[k], 1e-12));
            assert!(close(d.x[k] + d.x_hi[k], g.emax()[k], 1e-12));
        }
        let m = u.model.as_ref().unwrap();
        assert_eq!(m.shape, CurveShape::Line);
        for k in 0..folded.len() {
            assert!(
                close(m.y[k], folded[k] / width[k], 1e-12),
                "{} bin {k}",
                u.name
            );
            assert!(close(m.x[k], 0.5 * (g.emin()[k] + g.emax()[k]), 1e-12));
        }
        let r = u.residuals.as_ref().unwrap();
        let expected: Vec<(f64, f64)> = (0..folded.len())
            .filter(|&k| rates.net_rate_error[k] > 0.0)
            .map(|k| {
                (
                    m.x[k],
                    (rates.net_rate[k] - folded[k]) / rates.net_rate_error[k],
                )
            })
            .collect();
        assert_eq!(r.x.len(), expected.len());
        for (k, (x, v)) in expected.iter().enumerate() {
            assert!(close(r.x[k], *x, 1e-12) && close(r.value[k], *v, 1e-10));
        }
        // the band brackets the best-fit model and has width
        let b = u.band.as_ref().unwrap();
        assert_eq!(b.x, m.x);
        let mut wide = 0;
        for k in 0..b.x.len() {
            assert!(
                b.lo[k] <= m.y[k] * (1.0 + 1e-9) && m.y[k] <= b.hi[k] * (1.0 + 1e-9),
                "{} bin {k}: {} not in [{}, {}]",
                u.name,
                m.y[k],
                b.lo[k],
                b.hi[k]
            );
            if b.hi[k] > b.lo[k] {
                wide += 1;
            }
        }
        assert_eq!(wide, b.x.len());
    }
    render_spectrum(&fig, "build-infer-CE", "Counts s⁻¹ keV⁻¹");

    // steps variant: the same values over the bin edges
    f.infer.set_free_values(&parked).unwrap();
    let mut o = opts(SpectralStyle::CE);
    o.model_steps = true;
    let steps = infer_figure(&f.infer, Some(&f.post), &o).unwrap();
    for (a, b) in steps.units.iter().zip(&fig.units) {
        let (sa, la) = (a.model.as_ref().unwrap(), b.model.as_ref().unwrap());
        assert_eq!(sa.y, la.y);
        let CurveShape::Steps { lo, hi } = &sa.shape else {
            panic!("expected steps")
        };
        let d = b.data.as_ref().unwrap();
        for k in 0..lo.len() {
            assert!(close(lo[k], d.x[k] - d.x_lo[k], 1e-12));
            assert!(close(hi[k], d.x[k] + d.x_hi[k], 1e-12));
        }
    }
    render_spectrum(&steps, "build-infer-CE-steps", "Counts s⁻¹ keV⁻¹");
    assert_eq!(f.infer.free_pvalues(), parked);
}

#[test]
fn infer_deconvolved_styles_follow_the_conversion_factors() {
    let f = fit();
    let parked = park(&f.infer);
    let ce = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::CE)).unwrap();
    let vfv = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::VFv)).unwrap();
    let ne = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::NE)).unwrap();
    let fv = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::Fv)).unwrap();
    let cc = infer_figure(&f.infer, Some(&f.post), &opts(SpectralStyle::CC)).unwrap();
    assert_eq!(f.infer.free_pvalues(), parked);

    f.infer
        .set_free_values(&f.post.analysis().par_best())
        .unwrap();
    let pair = &f.infer.pairs()[0];
    for (i, unit) in pair.data.iter().enumerate() {
        let g = unit.grid(GridKind::Display);
        let emid = g.emid();
        let width = g.ewidth();
        let rates = unit.rates(GridKind::Display);
        let folded = pair.folded_rate(unit, GridKind::Display).unwrap();
        let n_e = pair.model.phtspec(&emid, None).unwrap();
        let d = vfv.units[i].data.as_ref().unwrap();
        let m = vfv.units[i].model.as_ref().unwrap();
        for k in 0..emid.len() {
            let e = emid[k];
            let c = folded[k] / width[k];
            let want = rates.net_ctsspec[k] * KEV_TO_ERG * e * e * n_e[k] / c;
            assert!(
                close(d.y[k], want, 1e-10),
                "vFv bin {k}: {} vs {want}",
                d.y[k]
            );
            let want_err = rates.net_ctsspec_error[k] * KEV_TO_ERG * e * e * n_e[k] / c;
            assert!(close(d.y_lo[k], want_err, 1e-10));
            assert!(close(m.y[k], KEV_TO_ERG * e * e * n_e[k], 1e-12));
            // NE and Fv are the same points divided by E², E
            let dn = ne.units[i].data.as_ref().unwrap();
            let df = fv.units[i].data.as_ref().unwrap();
            assert!(close(dn.y[k], want / (KEV_TO_ERG * e * e), 1e-10));
            assert!(close(df.y[k], want / e, 1e-10));
            // CC is the net rate, its model the folded rate
            let dc = cc.units[i].data.as_ref().unwrap();
            assert_eq!(dc.y[k], rates.net_rate[k]);
            assert!(close(
                cc.units[i].model.as_ref().unwrap().y[k],
                folded[k],
                1e-12
            ));
        }
        // the residual panel is the same for every style
        for fig in [&vfv, &ne, &fv, &cc] {
            assert_eq!(fig.units[i].residuals, ce.units[i].residuals);
        }
        // the band brackets the model curve
        let b = vfv.units[i].band.as_ref().unwrap();
        for k in 0..b.x.len() {
            assert!(b.lo[k] <= m.y[k] * (1.0 + 1e-9) && m.y[k] <= b.hi[k] * (1.0 + 1e-9));
        }
    }
    f.infer.set_free_values(&parked).unwrap();
    render_spectrum(&vfv, "build-infer-vFv", "νFν (erg cm⁻² s⁻¹)");
    render_spectrum(&ne, "build-infer-NE", "Photons cm⁻² s⁻¹ keV⁻¹");
    render_spectrum(&fv, "build-infer-Fv", "Fν (erg cm⁻² s⁻¹ keV⁻¹)");
    render_spectrum(&cc, "build-infer-CC", "Counts s⁻¹ bin⁻¹");

    // a fine model grid across each unit's bins
    let mut o = opts(SpectralStyle::VFv);
    o.model_points = Some(200);
    let fine = infer_figure(&f.infer, Some(&f.post), &o).unwrap();
    for (i, unit) in f.infer.pairs()[0].data.iter().enumerate() {
        let g = unit.grid(GridKind::Display);
        let m = fine.units[i].model.as_ref().unwrap();
        assert_eq!(m.x.len(), 200);
        assert!(close(m.x[0], g.emin()[0], 1e-12));
        assert!(close(m.x[199], *g.emax().last().unwrap(), 1e-12));
        assert_eq!(fine.units[i].band.as_ref().unwrap().x, m.x);
    }
    assert_eq!(f.infer.free_pvalues(), parked);
}

#[test]
fn infer_at_par_fit_grid_and_errors() {
    let f = fit();
    let parked = park(&f.infer);
    // fit grid
    let mut o = opts(SpectralStyle::CE);
    o.rebin = Some(false);
    let fig = infer_figure(&f.infer, Some(&f.post), &o).unwrap();
    for (u, unit) in fig.units.iter().zip(f.infer.pairs()[0].data.iter()) {
        assert_eq!(u.data.as_ref().unwrap().len(), unit.n_fit_bins());
    }
    render_spectrum(&fig, "build-infer-CE-fitgrid", "Counts s⁻¹ keV⁻¹");

    // at_par median: the model is the folded model at the medians
    let mut o = opts(SpectralStyle::CE);
    o.at_par = Some(AtPar::Median);
    o.band = false;
    let fig = infer_figure(&f.infer, Some(&f.post), &o).unwrap();
    assert!(fig.units.iter().all(|u| u.band.is_none()));
    f.infer
        .set_free_values(&f.post.analysis().par_median())
        .unwrap();
    let pair = &f.infer.pairs()[0];
    let unit = &pair.data.units()[0];
    let folded = pair.folded_rate(unit, GridKind::Display).unwrap();
    let w = unit.grid(GridKind::Display).ewidth();
    let m = fig.units[0].model.as_ref().unwrap();
    assert!(close(m.y[3], folded[3] / w[3], 1e-12));
    f.infer.set_free_values(&parked).unwrap();

    // without a posterior: the current values, no band
    let fig = infer_figure(&f.infer, None, &opts(SpectralStyle::CE)).unwrap();
    let folded = pair.folded_rate(unit, GridKind::Display).unwrap();
    let m = fig.units[0].model.as_ref().unwrap();
    assert!(close(m.y[0], folded[0] / w[0], 1e-12));
    assert!(fig.units.iter().all(|u| u.band.is_none()));

    // errors
    let mut o = opts(SpectralStyle::CE);
    o.at_par = Some(AtPar::Best);
    let e = infer_figure(&f.infer, None, &o).unwrap_err().to_string();
    assert!(e.contains("needs a posterior"), "{e}");
    let mut o = opts(SpectralStyle::CE);
    o.at_par = Some(AtPar::Truth);
    let e = infer_figure(&f.infer, Some(&f.post), &o)
        .unwrap_err()
        .to_string();
    assert!(e.contains("truth"), "{e}");
    let e = infer_figure(&f.infer, None, &opts(SpectralStyle::NoU))
        .unwrap_err()
        .to_string();
    assert!(e.contains("NoU") && e.contains("vFv"), "{e}");
    assert_eq!(AtPar::parse("Best-CI").unwrap(), AtPar::BestCi);
    let e = AtPar::parse("mode").unwrap_err().to_string();
    assert!(e.contains("best, best-ci, median, mean, truth"), "{e}");
    // a posterior of another inference
    let other = Infer::new(
        InferKind::Bayes,
        vec![Pair::new(pair.data.clone(), Model::builtin("cpl").unwrap()).unwrap()],
    )
    .unwrap();
    let e = infer_figure(&other, Some(&f.post), &opts(SpectralStyle::CE))
        .unwrap_err()
        .to_string();
    assert!(e.contains("does not belong"), "{e}");
    assert_eq!(f.infer.free_pvalues(), parked);
}

#[test]
fn pair_data_and_dataunit_figures() {
    let f = fit();
    let parked = park(&f.infer);
    let pair = &f.infer.pairs()[0];
    let fig = pair_figure(pair, &opts(SpectralStyle::VFv)).unwrap();
    let mut o = opts(SpectralStyle::VFv);
    o.rebin = Some(false);
    let same = infer_figure(&f.infer, None, &o).unwrap();
    assert_eq!(fig, same, "pair = infer without posterior on the fit grid");
    assert_eq!(f.infer.free_pvalues(), parked);
    render_spectrum(&fig, "build-pair-vFv", "νFν (erg cm⁻² s⁻¹)");
    let mut o = opts(SpectralStyle::CE);
    o.at_par = Some(AtPar::Best);
    assert!(pair_figure(pair, &o).is_err());

    let fig = data_figure(&pair.data, &opts(SpectralStyle::CE)).unwrap();
    assert!(!fig.has_residual_panel());
    for (u, unit) in fig.units.iter().zip(pair.data.iter()) {
        assert!(u.model.is_none() && u.band.is_none());
        let d = u.data.as_ref().unwrap();
        assert_eq!(d.y, unit.rates(GridKind::Fit).net_ctsspec);
    }
    assert_eq!(fig.pixel_size(), (760, 650));
    render_spectrum(&fig, "build-data-CE", "Counts s⁻¹ keV⁻¹");
    let e = data_figure(&pair.data, &opts(SpectralStyle::VFv))
        .unwrap_err()
        .to_string();
    assert!(e.contains("CC or CE"), "{e}");

    let unit = &pair.data.units()[0];
    let mut o = opts(SpectralStyle::CC);
    o.rebin = Some(true);
    let fig = dataunit_figure(unit, &o).unwrap();
    let names: Vec<&str> = fig.units.iter().map(|u| u.name.as_str()).collect();
    assert_eq!(names, ["Source", "Background", "Net"]);
    let r = unit.rates(GridKind::Display);
    let ys: Vec<&Vec<f64>> = fig
        .units
        .iter()
        .map(|u| &u.data.as_ref().unwrap().y)
        .collect();
    assert_eq!(ys, [&r.src_rate, &r.bkg_rate, &r.net_rate]);
    for ((s, b), n) in ys[0].iter().zip(ys[1]).zip(ys[2]) {
        assert!((s - b - n).abs() <= 1e-9 * s.abs().max(1.0));
    }
    render_spectrum(&fig, "build-dataunit-CC", "Counts s⁻¹ bin⁻¹");
}

#[test]
fn model_figures_with_bands_and_components() {
    let f = fit();
    let parked = park(&f.infer);
    let model = f.infer.pairs()[0].model.clone();
    let energies: Vec<f64> = (0..100)
        .map(|i| 10f64.powf(1.0 + 2.0 * i as f64 / 99.0))
        .collect();
    let entries = vec![(model.clone(), energies.clone())];
    let fig = model_figure(
        &entries,
        Some(&f.post),
        &ModelOptions::with_style(SpectralStyle::VFv),
    )
    .unwrap();
    assert_eq!(f.infer.free_pvalues(), parked);
    assert_eq!(fig.entries.len(), 1);
    let e = &fig.entries[0];
    assert_eq!(e.label, "cpl");
    f.infer
        .set_free_values(&f.post.analysis().par_median())
        .unwrap();
    let want = model.ergspec(&energies, None).unwrap();
    f.infer.set_free_values(&parked).unwrap();
    let b = e.band.as_ref().unwrap();
    for (k, w) in want.iter().enumerate() {
        assert!(close(e.y[k], *w, 1e-12));
        assert!(b.lo[k] < b.hi[k]);
        assert!(b.lo[k] <= e.y[k] * (1.0 + 1e-9) && e.y[k] <= b.hi[k] * (1.0 + 1e-9));
    }
    check_figure!(
        fig,
        "build-model-vFv-post",
        &["Energy (keV)", "νFν (erg cm⁻² s⁻¹)", "cpl", "cpl CI"]
    );

    // a composite without posterior, with its components: total = sum of the parts
    let cpl = Model::builtin("cpl").unwrap();
    let bb = Model::builtin("bb").unwrap();
    let total = Model::combine(&cpl, Op::Add, &bb).unwrap();
    let mut o = ModelOptions::with_style(SpectralStyle::NE);
    o.components = true;
    let fig = model_figure(&[(total.clone(), energies.clone())], None, &o).unwrap();
    let labels: Vec<&str> = fig.entries.iter().map(|e| e.label.as_str()).collect();
    assert_eq!(labels, ["(cpl+bb)", "cpl", "bb"]);
    assert!(!fig.entries[0].dashed && fig.entries[1].dashed);
    for k in 0..energies.len() {
        let sum = fig.entries[1].y[k] + fig.entries[2].y[k];
        assert!(close(fig.entries[0].y[k], sum, 1e-12));
        assert!(fig.entries.iter().all(|e| e.band.is_none()));
    }
    check_figure!(
        fig,
        "build-model-NE-components",
        &["Photons cm⁻² s⁻¹ keV⁻¹", "(cpl+bb)", "bb"]
    );

    // NoU for multiplicative models
    let tbabs = Model::builtin("tbabs").unwrap();
    let fig = model_figure(
        &[(tbabs.clone(), energies.clone())],
        None,
        &ModelOptions::with_style(SpectralStyle::NoU),
    )
    .unwrap();
    assert!(fig.entries[0].y.iter().all(|v| *v > 0.0 && *v <= 1.0));

    // errors: kinds, posterior ownership, styles, energies
    let err = |r: bayspec::Result<bayspec::plot::ModelFigure>| r.unwrap_err().to_string();
    let e = err(model_figure(
        &[(tbabs, energies.clone())],
        None,
        &ModelOptions::with_style(SpectralStyle::VFv),
    ));
    assert!(e.contains("tbabs") && e.contains("NoU"), "{e}");
    let e = err(model_figure(
        &[(total, energies.clone())],
        Some(&f.post),
        &ModelOptions::default(),
    ));
    assert!(e.contains("does not belong"), "{e}");
    let e = err(model_figure(
        &[(model.clone(), energies.clone())],
        None,
        &ModelOptions::with_style(SpectralStyle::CE),
    ));
    assert!(e.contains("NE") && e.contains("NoU"), "{e}");
    let e = err(model_figure(
        &[(model, vec![1.0, 0.0])],
        None,
        &ModelOptions::default(),
    ));
    assert!(e.contains("energy 2"), "{e}");
    assert_eq!(f.infer.free_pvalues(), parked);
}

#[test]
fn corner_trace_and_run_figures() {
    let f = fit();
    let fig = corner_figure(&f.post, &CornerOptions::default()).unwrap();
    assert_eq!(fig.samples, f.post.analysis().sample());
    // distinct names: no p1(…) prefix
    assert_eq!(fig.labels, ["$\\alpha$", "log$E_p$", "log$A$"]);
    assert_eq!(
        fig.marks.as_deref(),
        Some(&f.post.analysis().par_best()[..])
    );
    check_figure!(fig, "build-corner", &["α", "log Eₚ", "log A"]);
    let o = CornerOptions {
        truths: Some(vec![1.0]),
        ..Default::default()
    };
    assert!(corner_figure(&f.post, &o).is_err());

    let res = &f.emcee;
    let fig = trace_figure(res, &[]).unwrap();
    assert_eq!(fig.chain.dim(), (res.nstep, res.nwalkers, res.ndim));
    assert_eq!(
        fig.chain.slice(ndarray::s![17, 5, ..]).to_vec(),
        res.position(17, 5)
    );
    assert_eq!(fig.discard, Some(100));
    let labels: Vec<String> = ["$\\alpha$", "log$E_p$", "log$A$"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let fig = trace_figure(res, &labels).unwrap();
    assert_eq!(fig.labels, labels);
    assert!(trace_figure(res, &labels[..2]).is_err());
    check_figure!(
        fig,
        "build-walker",
        &["step number", "α", "log Eₚ", "log A"]
    );

    let res = &f.nested;
    let fig = run_figure(res).unwrap();
    let n = res.weighted_loglike.len();
    let first = n - fig.ln_x.len();
    assert_eq!(fig.ln_l, res.weighted_loglike[first..]);
    // only the far-out prior draws are left out
    let max = res.max_loglike;
    assert!(res.weighted_loglike[..first]
        .iter()
        .all(|&l| l < max - RUN_LNL_SPAN));
    assert!(fig.ln_l.iter().all(|&l| l >= max - RUN_LNL_SPAN));
    assert!(first < res.niter as usize / 2, "most of the run is kept");
    assert!(fig.ln_x.windows(2).all(|w| w[1] < w[0]), "ln X decreases");
    // dead point i (1-based) sits at ln X ≈ −i / nlive
    let nlive = res.nlive as f64;
    for i in [
        first + 1,
        first + 10,
        res.niter as usize / 2,
        res.niter as usize,
    ] {
        let want = -(i as f64) / nlive;
        let got = fig.ln_x[i - 1 - first];
        assert!(
            (got - want).abs() < 1.0 / nlive,
            "point {i}: {got} vs {want}"
        );
    }
    // the last live point is still at a finite ln X below the last dead point
    let last = *fig.ln_x.last().unwrap();
    assert!(last.is_finite() && last < -(res.niter as f64) / nlive);
    check_figure!(fig, "build-run", &["ln X", "ln L"]);
}

// ---- the quickstart on real data ----

/// plots.md §3 numbers on the real quickstart fit, and the figures to compare by eye with
/// shared/reference-plots (written to `<target tmp>/plots/quickstart-*`).
#[test]
fn quickstart_figures_from_a_real_nested_fit() {
    let Some(dir) = common::shared_dir() else {
        return;
    };
    let (infer, _) = common::grb::quickstart(&dir, InferKind::Bayes);
    let plan = infer.compile().unwrap();
    let res = common::runs::nested(&plan, 300, 42);
    let post = Posterior::from_draws(&infer, &plan, &res).unwrap();

    let ce = infer_figure(&infer, Some(&post), &opts(SpectralStyle::CE)).unwrap();
    let (me, he) = (&ce.units[0], &ce.units[1]);
    let (dm, dh) = (me.data.as_ref().unwrap(), he.data.as_ref().unwrap());
    assert_eq!((dm.len(), dh.len()), (109, 28));
    assert!((dm.x[0] - 8.4979).abs() < 1e-4 && (dm.y[0] - 36.152).abs() < 1e-3);
    assert!((dm.y_lo[0] - 2.3549).abs() < 1e-4);
    assert!((dh.x[0] - 329.16).abs() < 1e-2 && (dh.y[0] - 2.1404).abs() < 1e-4);
    let (lo, hi) = ce.auto_y_range().unwrap();
    assert!(
        close(lo, 1.101e-4, 1e-3) && close(hi, 234.9, 1e-3),
        "{lo} {hi}"
    );
    // best-fit dependent numbers (a 300-live-point run's best draw, a few per mille)
    let m0 = me.model.as_ref().unwrap().y[0];
    let h0 = he.model.as_ref().unwrap().y[0];
    assert!(
        close(m0, 29.72, 0.01) && close(h0, 2.036, 0.01),
        "{m0} {h0}"
    );
    let (r_me, r_he) = (
        me.residuals.as_ref().unwrap().value[0],
        he.residuals.as_ref().unwrap().value[0],
    );
    assert!(
        (r_me - 2.732).abs() < 0.05 && (r_he - 1.079).abs() < 0.05,
        "{r_me} {r_he}"
    );
    let outside = me
        .residuals
        .as_ref()
        .unwrap()
        .value
        .iter()
        .filter(|v| v.abs() > 3.49)
        .count();
    assert!(
        (4..=8).contains(&outside),
        "{outside} ME residuals outside ±3.49 (6 in the reference)"
    );

    let vfv = infer_figure(&infer, Some(&post), &opts(SpectralStyle::VFv)).unwrap();
    let (lo, hi) = vfv.auto_y_range().unwrap();
    assert!(
        close(lo, 3.53e-8, 0.02) && close(hi, 6.11e-6, 0.02),
        "vFv {lo} {hi}"
    );
    let ne = infer_figure(&infer, Some(&post), &opts(SpectralStyle::NE)).unwrap();
    let (lo, hi) = ne.auto_y_range().unwrap();
    assert!(
        close(lo, 5.53e-7, 0.02) && close(hi, 19.06, 0.02),
        "NE {lo} {hi}"
    );

    render_spectrum(&ce, "quickstart-infer-CE", "Counts s⁻¹ keV⁻¹");
    render_spectrum(&vfv, "quickstart-infer-vFv", "νFν (erg cm⁻² s⁻¹)");
    let corner = corner_figure(&post, &CornerOptions::default()).unwrap();
    check_figure!(corner, "quickstart-corner", &["α", "log Eₚ", "log A"]);
    let energies: Vec<f64> = (0..100)
        .map(|i| 10f64.powf(1.0 + 2.0 * i as f64 / 99.0))
        .collect();
    let model = infer.pairs()[0].model.clone();
    let mfig = model_figure(
        &[(model, energies)],
        Some(&post),
        &ModelOptions::with_style(SpectralStyle::VFv),
    )
    .unwrap();
    check_figure!(mfig, "quickstart-model-vFv", &["νFν (erg cm⁻² s⁻¹)", "cpl"]);
}

#[test]
fn corner_labels_carry_the_par_number_only_when_names_repeat() {
    // bb + bb: two free kT and two log A
    let dir = temp_dir("plot-build-corner-repeat");
    let truth = Model::builtin("cpl").unwrap();
    let unit = simulated_unit(&dir, false, &truth, 20.0, 5);
    let data = Data::from_pairs(vec![("nai".into(), unit)]).unwrap();
    let bb = Model::builtin("bb").unwrap();
    let two = Model::combine(&bb, Op::Add, &Model::builtin("bb").unwrap()).unwrap();
    let infer = Infer::new(InferKind::Bayes, vec![Pair::new(data, two).unwrap()]).unwrap();
    let k = infer.free_pars().len();
    let n = 400;
    let values = infer.free_pvalues();
    let sample = ndarray::Array2::from_shape_fn((n, k), |(i, j)| {
        values[j] + 0.01 * ((i * (j + 3)) % 17) as f64
    });
    let draws = bayspec::sample::Draws::new(sample, vec![0.0; n], vec![0.0; n]).unwrap();
    let a = bayspec::analyze::Analysis::new(
        bayspec::analyze::AnalyzerKind::Posterior,
        draws,
        infer.npoint(),
    )
    .unwrap();
    let post = Posterior::new(&infer, a, None).unwrap();
    let fig = corner_figure(&post, &CornerOptions::default()).unwrap();
    assert!(
        fig.labels.iter().all(|l| l.starts_with('p')),
        "{:?}",
        fig.labels
    );
    assert!(fig.labels[0].starts_with("p1(") && fig.labels[k - 1].starts_with(&format!("p{k}(")));
}
