//! Every `Plot::` function from Rhai, rendered to PNG and SVG from a small simulated fit.

mod plot_support;

use bayspec::script;
use rhai::Scope;

#[test]
fn every_plot_kind_renders_from_a_script() {
    let out = std::env::temp_dir().join(format!("bayspec-script-plot-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let code = r#"
        let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.8 });
        let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                                   bkg: #{ rate: 2.0, exposure: 200 }, seed: 9, out: `${OUT}/nai` });
        let nai = DataUnit(#{ src: f.src, bkg: f.bkg, rsp: f.rsp, notc: [8, 900],
                              rebn: #{ min_sigma: 2, max_bin: 10 } });
        let data = Data([["nai", nai]]);
        let m = cpl();
        let infer = BayesInfer([[data, m]]);
        let post = infer.multinest(#{ nlive: 100, seed: 1, resume: false });
        let chain = infer.emcee(#{ nstep: 200, discard: 50, seed: 2, resume: false, savepath: `${OUT}/emcee` });
        for ext in ["png", "svg"] {
            Plot::infer(post, #{ style: "CE" }).save(`${OUT}/ce.${ext}`);
            Plot::infer(post, #{ style: "vFv", size: [700, 600] }).save(`${OUT}/vfv.${ext}`);
            Plot::infer(infer, #{ style: "NE" }).save(`${OUT}/ne.${ext}`);
            Plot::pair(Pair(data, m), #{ style: "CE" }).save(`${OUT}/pair.${ext}`);
            Plot::data(data).save(`${OUT}/data.${ext}`);
            Plot::corner(post).save(`${OUT}/corner.${ext}`);
            Plot::walker(chain).save(`${OUT}/walker.${ext}`);
            Plot::run(post).save(`${OUT}/run.${ext}`);
            let mp = Plot::model(#{ style: "vFv", post: post });
            mp.add_model(m, logspace(1, 3, 50));
            mp.save(`${OUT}/model.${ext}`);
            // api.md's form: the posterior the model was fitted in
            let mp = Plot::model(#{ style: "vFv", post: true });
            mp.add_model(m, logspace(1, 3, 100));
            mp.save(`${OUT}/model_api.${ext}`);
        }
        Plot::infer(post, #{ style: "vFv", size: [700, 600] }).save(`${OUT}/vfv_screen.png`, #{ scale: 1 });
        Plot::infer(post, #{ title: "GRB 231115A", xlabel: "E (keV)", ylabel: "flux density",
                             labels: ["NaI n6"] }).save(`${OUT}/text.svg`);
        let mp = Plot::model(#{ style: "vFv", title: "Models", labels: ["fit"] });
        mp.add_model(m, logspace(1, 3, 20));
        mp.save(`${OUT}/model_text.svg`);
    "#;
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out.display().to_string());
    let _ = script::run::eval_code(&engine, &mut scope, "plots", code).unwrap();
    for name in [
        "ce", "vfv", "ne", "pair", "data", "corner", "walker", "run", "model",
    ] {
        let (w, h, rgb) = plot_support::decode_png(&out.join(format!("{name}.png")));
        assert!(w >= 100 && h >= 100, "{name}: {w}x{h}");
        assert!(plot_support::pixel_variance(&rgb) > 50.0, "{name} is blank");
        let svg = std::fs::read_to_string(out.join(format!("{name}.svg"))).unwrap();
        assert!(svg.contains("<text"), "{name}.svg has no text");
    }
    let (w, h, _) = plot_support::decode_png(&out.join("vfv.png"));
    assert_eq!(
        (w, h),
        (1400, 1200),
        "size 700 × 600 at the default print scale 2"
    );
    let (w, h, _) = plot_support::decode_png(&out.join("vfv_screen.png"));
    assert_eq!((w, h), (700, 600), "scale: 1");
    let ce = std::fs::read_to_string(out.join("ce.svg")).unwrap();
    assert!(ce.contains("Energy (keV)"), "axis label missing");

    // the user's title, axis labels and legend labels replace the defaults
    let texts = plot_support::svg_texts(&std::fs::read_to_string(out.join("text.svg")).unwrap());
    for t in ["GRB 231115A", "E (keV)", "flux density", "NaI n6"] {
        assert!(texts.iter().any(|x| x == t), "missing '{t}' in {texts:?}");
    }
    assert!(!texts.iter().any(|x| x == "Energy (keV)" || x == "nai"));
    let texts =
        plot_support::svg_texts(&std::fs::read_to_string(out.join("model_text.svg")).unwrap());
    assert!(texts.iter().any(|x| x == "Models") && texts.iter().any(|x| x == "fit"));

    // misuse gives clear errors
    let e = script::run::eval_code(
        &engine,
        &mut scope,
        "bad",
        r#"Plot::infer(post, #{ labels: ["a", "b"] })"#,
    )
    .unwrap_err();
    assert!(e.contains("2 legend labels for 1 data units (nai)"), "{e}");
    let e = script::run::eval_code(
        &engine,
        &mut scope,
        "bad",
        r#"Plot::infer(post, #{ labels: [1] })"#,
    )
    .unwrap_err();
    assert!(e.contains("option 'labels[0]' must be a string"), "{e}");
    let e = script::run::eval_code(
        &engine,
        &mut scope,
        "bad",
        r#"Plot::infer(post, #{ stlye: "CE" })"#,
    )
    .unwrap_err();
    assert!(e.contains("'stlye'"), "{e}");
    let e = script::run::eval_code(&engine, &mut scope, "bad", "Plot::walker(post)").unwrap_err();
    assert!(e.contains("emcee"), "{e}");
    let e = script::run::eval_code(
        &engine,
        &mut scope,
        "bad",
        r#"let mp = Plot::model(#{ post: true }); mp.add_model(band(), [10.0, 100.0]); mp.save(`${OUT}/x.png`);"#,
    )
    .unwrap_err();
    assert!(e.contains("post: true"), "{e}");
    // a data plot has no model: model options are refused, not ignored
    let e = script::run::eval_code(
        &engine,
        &mut scope,
        "bad",
        r#"Plot::data(data, #{ at_par: "best" })"#,
    )
    .unwrap_err();
    assert!(e.contains("'at_par'"), "{e}");
}
