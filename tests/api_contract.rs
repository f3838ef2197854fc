//! The examples of the API contract (docs/api.md), on data the test simulates itself, run as written
//! (paths aside).

use bayspec::script;
use rhai::Scope;

#[test]
fn api_md_examples_run() {
    let out = std::env::temp_dir().join(format!("bayspec-api-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let code = r#"
        // --- simulated stand-ins for grb/me.* and grb/he.*
        let truth = cpl(#{ alpha: -1.3, logEp: 2.5, logA: 0.8 });
        let me = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                                    bkg: #{ rate: 2.0, exposure: 200 }, seed: 1, out: `${OUT}/me` });
        let he = simulate(truth, #{ rsp: response(#{ preset: "bgo" }), exposure: 20,
                                    bkg: #{ rate: 1.0, exposure: 200 }, seed: 2, out: `${OUT}/he` });

        // --- Data
        let nai = DataUnit(#{
            src: me.src, bkg: me.bkg, rsp: me.rsp,
            notc: [8, 900],
            stat: "pgstat",
            grpg: #{ min_sigma: 2, max_bin: 10 },
            rebn: #{ min_sigma: 2, max_bin: 10 },
            time: 5.0,
            weight: 1.0,
        });
        let bgo = DataUnit(#{ src: he.src, bkg: he.bkg, rsp: he.rsp, notc: [[300, 1000], [1100, 38000]] });
        let data = Data([["nai", nai], ["bgo", bgo]]);
        print(data);
        data.save(`${OUT}/data`);
        let props = [nai.exposure, nai.backscale, nai.nchannel, nai.nbin, nai.emin, nai.emax,
                     nai.counts, nai.bkg_counts, nai.net_rate, nai.net_rate_error];

        // --- Models
        let m = tbabs() * (cpl() + bb());
        m.par[1].val = 0.1;  m.par[1].frozen = true;
        m.par[3].frozen_at(2.5);
        m.par["alpha"].prior = unif(-3, 1);
        m.cfg[1].val = 0.5;
        print(m);
        m.phtspec([10.0, 100.0]);
        let E = logspace(1, 3, 10);
        m.flxspec(E);  m.ergspec(E);
        m.phtflux(10, 1000);  m.ergflux(10, 1000);
        models();
        help("band");
        let c = cpl(); c.expr = "cpl2";
        let mypl = Component(#{
            name: "mypl", kind: "additive",
            params: [ #{ label: "alpha", val: -1.0, prior: unif(-4, 2) },
                      #{ label: "logA",  val: 0.0,  prior: unif(-6, 6) } ],
            func: |E, T, p| 10.0 ** p[1] * (E / 100.0) ** p[0],
        });
        let priors_made = [unif(-2, 2), logunif(0.1, 100), norm(0, 1), lognorm(0.5, 0, 1),
                           truncnorm(-1, 1, 0, 1), cauchy(0, 1), cosine(0, 1), beta(2, 2, 0, 1),
                           gamma(2, 0, 1), expon(0, 1), plaw(2, 0, 1)];

        // --- Inference
        let m1 = cpl();
        let infer = BayesInfer([[data, m1]]);
        let m3 = cpl();
        infer.append(Data([["nai3", nai]]), m3);
        infer.par[4].frozen_at(1.72);
        infer.link([1, 5]);  infer.unlink([1, 5]);
        print(infer);
        infer.save(`${OUT}/infer`);
        let q = [infer.loglike, infer.stat, infer.npoint, infer.free_nparams];

        let mfit = cpl();
        let infer = BayesInfer([[data, mfit]]);
        let post = infer.multinest(#{ nlive: 100, resume: true, savepath: `${OUT}/mn`, seed: 42 });
        let chain = infer.emcee(#{ nstep: 200, discard: 100, savepath: `${OUT}/emcee`, seed: 42 });
        let fit = MaxLikeFit([[data, cpl()]]);
        let boot = fit.lmfit(#{ savepath: `${OUT}/lmfit` });
        let boot = fit.iminuit(#{ savepath: `${OUT}/iminuit` });

        print(post);
        post.save(`${OUT}/post`);
        let summary = [post.par_mean, post.par_median, post.par_best, post.par_Isigma,
                       post.par_ninety_percent, post.par_quantile(0.5), post.max_loglike,
                       post.aic, post.aicc, post.bic, post.lnZ, post.sample.len(),
                       post.phtflux(10, 1000)];

        // --- Plots
        Plot::infer(post, #{ style: "CE" }).save(`${OUT}/ctsspec.png`);
        Plot::infer(post, #{ style: "vFv" }).save(`${OUT}/vfv.svg`);
        Plot::pair(Pair(data, m1), #{ style: "CE" }).save(`${OUT}/pair.png`);
        Plot::data(data).save(`${OUT}/data.png`);
        Plot::corner(post).save(`${OUT}/corner.png`);
        let mp = Plot::model(#{ style: "vFv", post: true });
        mp.add_model(mfit, logspace(1, 3, 100));
        mp.save(`${OUT}/model.png`);
        summary
    "#;
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out.display().to_string());
    let r = script::run::eval_code(&engine, &mut scope, "api.md", code);
    let summary = r.unwrap().into_array().unwrap();
    assert_eq!(summary.len(), 13);
    for f in [
        "data/data.json",
        "infer/infer_par.json",
        "post/post_free_par.json",
        "mn/1-post_equal_weights.dat",
        "emcee/1-.npz",
        "lmfit/1-maxlike_res.json",
        "iminuit/1-maxlike_res.json",
        "ctsspec.png",
        "vfv.svg",
        "pair.png",
        "data.png",
        "corner.png",
        "model.png",
    ] {
        assert!(out.join(f).is_file(), "missing {f}");
    }
}
