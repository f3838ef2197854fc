//! Plots of predictive checks: `Plot::ppc` (observed vs replicated counts per keV with bands
//! and σ residuals) and `Plot::qq` (cumulative observed vs expected counts), built from a real
//! goodness-of-fit check on simulated NaI + BGO spectra and rendered to PNG and SVG.

mod common;
mod plot_support;

use bayspec::analyze::ppc::{goodness, CheckOptions, CheckResult};
use bayspec::data::Data;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::Model;
use bayspec::plot::build::{ppc_figure, qq_figure, residual_sigma, unit_title, PPC_Y_LABEL};
use bayspec::plot::qq::{QQ_X_LABEL, QQ_Y_LABEL};
use bayspec::plot::{Band, CurveShape, Figure, QqFigure, QqUnit};
use bayspec::script;
use common::synth::{simulated_unit, temp_dir};
use plot_support::{check_render, decode_png, pixel_variance};
use rhai::Scope;
use std::sync::OnceLock;

/// Goodness of fit of cpl to NaI + BGO spectra simulated from cpl (computed once).
fn check_result() -> &'static CheckResult {
    static CHECK: OnceLock<CheckResult> = OnceLock::new();
    CHECK.get_or_init(|| {
        let dir = temp_dir("plot-check");
        let truth = Model::builtin("cpl").unwrap();
        truth.set_par_values(&[-1.0, 2.5, 0.5]).unwrap();
        let data = Data::from_pairs(vec![
            ("nai".into(), simulated_unit(&dir, false, &truth, 20.0, 41)),
            ("bgo".into(), simulated_unit(&dir, true, &truth, 20.0, 42)),
        ])
        .unwrap();
        let infer = Infer::new(
            InferKind::MaxLike,
            vec![Pair::new(data, Model::builtin("cpl").unwrap()).unwrap()],
        )
        .unwrap();
        let fit = bayspec::analyze::maxlike::iminuit(&infer, &Default::default()).unwrap();
        goodness(&infer, &fit.values, CheckOptions { n: 400, seed: 7 }).unwrap()
    })
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() <= 1e-12 * a.abs().max(b.abs()).max(1.0)
}

#[test]
fn ppc_figure_shows_counts_per_kev_bands_and_sigma_residuals() {
    let check = check_result();
    let fig = ppc_figure(check).unwrap();
    assert_eq!(fig.y_label.as_deref(), Some(PPC_Y_LABEL));
    // each unit, then its unnamed companion with the 95 % band, in the same colour
    assert_eq!(fig.units.len(), 2 * check.units.len());
    let colors = fig.colors.clone().unwrap();
    assert_eq!(colors[0], colors[1]);
    assert_eq!(colors[2], colors[3]);
    assert_ne!(colors[0], colors[2]);
    for (i, u) in check.units.iter().enumerate() {
        let main = &fig.units[2 * i];
        let outer = &fig.units[2 * i + 1];
        assert_eq!(main.name, unit_title(u, check.n));
        assert!(
            main.name.starts_with(&format!("{} (p ", u.name)),
            "{}",
            main.name
        );
        assert!(outer.name.is_empty() && outer.data.is_none() && outer.residuals.is_none());
        let data = main.data.as_ref().unwrap();
        let model = main.model.as_ref().unwrap();
        let inner = main.band.as_ref().unwrap();
        let wide = outer.band.as_ref().unwrap();
        let res = main.residuals.as_ref().unwrap();
        assert!(matches!(model.shape, CurveShape::Steps { .. }));
        assert_eq!(data.len(), u.counts.len());
        assert_eq!(inner.x.len(), 2 * u.counts.len());
        // the bin with the most counts, and every bin, against the formulas
        let k = (0..u.counts.len())
            .max_by(|&a, &b| u.counts[a].total_cmp(&u.counts[b]))
            .unwrap();
        let w = u.e_hi[k] - u.e_lo[k];
        let b = u.bands[k];
        let sigma = 0.5 * (b[3] - b[1]);
        assert!(sigma > 0.0);
        assert!(close(res.value[k], (u.counts[k] - b[2]) / sigma));
        assert!(close(data.y[k], u.counts[k] / w));
        assert!(close(data.y_lo[k], sigma / w) && close(data.y_hi[k], sigma / w));
        assert!(close(data.x[k], 0.5 * (u.e_lo[k] + u.e_hi[k])));
        assert!(close(model.y[k], u.expected[k] / w));
        for j in [2 * k, 2 * k + 1] {
            assert!(close(inner.lo[j], b[1] / w) && close(inner.hi[j], b[3] / w));
            assert!(close(wide.lo[j], b[0] / w) && close(wide.hi[j], b[4] / w));
        }
        assert_eq!((inner.x[2 * k], inner.x[2 * k + 1]), (u.e_lo[k], u.e_hi[k]));
        assert_eq!(res.value, residual_sigma(u));
        // a true model: residuals mostly within 3σ
        let within = res.value.iter().filter(|r| r.abs() <= 3.0).count();
        assert!(within as f64 >= 0.9 * res.value.len() as f64, "{within}");
    }
    let labels: Vec<String> = check.units.iter().map(|u| unit_title(u, check.n)).collect();
    let mut want: Vec<&str> = vec!["Energy (keV)", PPC_Y_LABEL, "Residual (σ)"];
    want.extend(labels.iter().map(String::as_str));
    check_render(|p| fig.save(p).unwrap(), "check-ppc", (720, 840), &want);
}

#[test]
fn residual_is_zero_where_the_replicated_width_is_zero() {
    let mut check = check_result().clone();
    check.units[0].bands[3] = [4.0, 5.0, 5.0, 5.0, 6.0];
    check.units[0].counts[3] = 9.0;
    let fig = ppc_figure(&check).unwrap();
    assert_eq!(fig.units[0].residuals.as_ref().unwrap().value[3], 0.0);
    assert_eq!(fig.units[0].data.as_ref().unwrap().y_lo[3], 0.0);
}

#[test]
fn qq_figure_cumulates_counts_in_energy_order() {
    let check = check_result();
    let fig = qq_figure(check).unwrap();
    assert_eq!(fig.units.len(), check.units.len());
    assert_eq!(fig.grid(), (2, 1));
    assert_eq!(fig.pixel_size(), (1040, 500));
    for (u, q) in check.units.iter().zip(&fig.units) {
        assert_eq!(q.name, unit_title(u, check.n));
        assert!(q.band.is_none(), "no band from per-bin quantiles");
        let n = u.counts.len();
        assert_eq!((q.expected.len(), q.observed.len()), (n, n));
        let total_obs: f64 = u.counts.iter().sum();
        let total_exp: f64 = u.expected.iter().sum();
        assert!(close(*q.observed.last().unwrap(), total_obs));
        assert!(close(*q.expected.last().unwrap(), total_exp));
        assert!(close(q.observed[0], u.counts[0]) && close(q.expected[0], u.expected[0]));
        assert!(q.expected.windows(2).all(|w| w[0] <= w[1]));
        assert!(q.observed.windows(2).all(|w| w[0] <= w[1]));
        // the diagonal and both axes span 0 … the larger total
        assert_eq!(q.limit(), total_obs.max(total_exp));
        let c = q.curve().unwrap();
        assert_eq!((c.x[0], c.y[0]), (0.0, 0.0));
        assert_eq!(c.x.len(), n + 1);
        // a true model stays near the diagonal: within 5 % of the total at every bin
        let worst = q
            .expected
            .iter()
            .zip(&q.observed)
            .map(|(e, o)| (o - e).abs())
            .fold(0.0, f64::max);
        assert!(worst < 0.05 * total_exp, "{worst} of {total_exp}");
    }
    let mut want = vec![QQ_X_LABEL, QQ_Y_LABEL, "y = x", "Observed"];
    want.extend(fig.units.iter().map(|u| u.name.as_str()));
    check_render(|p| fig.save(p).unwrap(), "check-qq", (1040, 500), &want);
    // through the Figure enum too, with its plotted arrays as JSON
    let json = Figure::from(fig.clone()).to_json().unwrap();
    assert!(json.contains("\"Qq\"") && json.contains("\"observed\""));
}

#[test]
fn qq_figure_lays_out_panels_and_draws_a_given_band() {
    let unit = |name: &str| {
        let mut u = QqUnit::new(name, vec![1.0, 3.0, 6.0], vec![2.0, 3.0, 7.0]).unwrap();
        u.band =
            Some(Band::new(u.expected.clone(), vec![0.5, 2.0, 4.5], vec![2.0, 4.5, 8.0]).unwrap());
        u
    };
    let mut fig = QqFigure::new();
    for name in ["a", "b", "c", "d"] {
        fig = fig.with_unit(unit(name));
    }
    assert_eq!(fig.grid(), (3, 2));
    assert_eq!(fig.units[0].limit(), 8.0);
    check_render(
        |p| fig.save(p).unwrap(),
        "check-qq-band",
        (1560, 1000),
        &["a", "d", "Replicated 95 %"],
    );
    fig.size = Some((800, 600));
    assert_eq!(fig.to_rgb().unwrap().width, 800);
}

#[test]
fn units_without_bins_or_energies_are_errors() {
    let mut check = check_result().clone();
    check.units[1].e_lo.clear();
    check.units[1].e_hi.clear();
    for e in [
        ppc_figure(&check).unwrap_err(),
        qq_figure(&check).unwrap_err(),
    ] {
        assert!(e.to_string().contains("'bgo' has no bin energies"), "{e}");
    }
    let mut check = check_result().clone();
    let u = &mut check.units[0];
    for v in [&mut u.e_lo, &mut u.e_hi, &mut u.counts, &mut u.expected] {
        v.clear();
    }
    u.bands.clear();
    for e in [
        ppc_figure(&check).unwrap_err(),
        qq_figure(&check).unwrap_err(),
    ] {
        assert!(e.to_string().contains("'nai' has no bins"), "{e}");
    }
    let mut check = check_result().clone();
    check.units.clear();
    assert!(ppc_figure(&check).is_err() && qq_figure(&check).is_err());
    assert!(QqFigure::new().to_svg().is_err());
    assert!(QqUnit::new("x", vec![1.0], vec![]).is_err());
    assert!(QqUnit::new("x", vec![f64::NAN], vec![1.0]).is_err());
}

#[test]
fn ppc_and_qq_plots_from_a_script() {
    let out = temp_dir("plot-check-script");
    let code = r#"
        let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.8 });
        let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                                   bkg: #{ rate: 2.0, exposure: 200 }, seed: 9, out: `${OUT}/nai` });
        let nai = DataUnit(#{ src: f.src, bkg: f.bkg, rsp: f.rsp, notc: [8, 900],
                              rebn: #{ min_sigma: 2, max_bin: 10 } });
        let data = Data([["nai", nai]]);
        let post = BayesInfer([[data, cpl()]]).multinest(#{ nlive: 100, seed: 1, resume: false });
        let check = post.ppc(#{ n: 200, seed: 3 });
        let fit = MaxLikeFit([[data, cpl()]]).iminuit();
        let good = fit.goodness(#{ n: 200 });
        for ext in ["png", "svg"] {
            Plot::ppc(post, #{ n: 200, seed: 3 }).save(`${OUT}/ppc_post.${ext}`);
            Plot::ppc(check, #{ res_range: 4, size: [700, 800] }).save(`${OUT}/ppc.${ext}`);
            Plot::ppc(check).save(`${OUT}/ppc_check.${ext}`);
            Plot::ppc(good).save(`${OUT}/ppc_good.${ext}`);
            Plot::qq(check).save(`${OUT}/qq.${ext}`);
            Plot::qq(post, #{ n: 100, size: [600, 600] }).save(`${OUT}/qq_post.${ext}`);
        }
        check.p_values[0]
    "#;
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out.display().to_string());
    let p = script::run::eval_code(&engine, &mut scope, "plots", code)
        .unwrap()
        .as_float()
        .unwrap();
    for name in ["ppc_post", "ppc", "ppc_good", "qq", "qq_post"] {
        let (w, h, rgb) = decode_png(&out.join(format!("{name}.png")));
        assert!(w >= 100 && h >= 100, "{name}: {w}x{h}");
        assert!(pixel_variance(&rgb) > 50.0, "{name} is blank");
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<text"), "{name}.svg has no text");
    }
    // (saved at the default print scale, 2 PNG pixels per figure pixel)
    assert_eq!(decode_png(&out.join("ppc.png")).0, 1400);
    assert_eq!(decode_png(&out.join("qq_post.png")).0, 1200);
    assert_eq!(decode_png(&out.join("qq.png")).0, 1040);
    // the same check gives the same figure whether passed or recomputed with the same n, seed
    assert_eq!(
        std::fs::read(out.join("ppc_post.svg")).unwrap(),
        std::fs::read(out.join("ppc_check.svg")).unwrap()
    );
    let ppc = std::fs::read_to_string(out.join("ppc.svg")).unwrap();
    let title = if p == 0.0 {
        "nai (p < 0.005)".to_string()
    } else {
        format!("nai (p = {p:.2})")
    };
    assert!(
        plot_support::svg_texts(&ppc).contains(&title),
        "no '{title}' in ppc.svg"
    );
    assert!(ppc.contains(PPC_Y_LABEL));

    // misuse gives clear errors
    let mut bad =
        |code: &str| script::run::eval_code(&engine, &mut scope, "bad", code).unwrap_err();
    let e = bad("Plot::ppc(check, #{ n: 10 })");
    assert!(e.contains("n and seed") && e.contains("n = 200"), "{e}");
    let e = bad("Plot::qq(post, #{ nn: 10 })");
    assert!(e.contains("'nn'") && e.contains("Plot::qq"), "{e}");
    let e = bad("Plot::ppc(post, #{ n: 0 })");
    assert!(e.contains("n must be"), "{e}");
    let e = bad("Plot::ppc(1)");
    assert!(e.contains("Plot::ppc"), "{e}");
}
