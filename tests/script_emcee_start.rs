//! `infer.emcee(#{ start })` from a script: a MIGRAD fit by default, the current values, the
//! prior or given values; a bad value is an error naming the accepted ones. On data the test
//! simulates.

use bayspec::script;
use rhai::Scope;

const SETUP: &str = r#"
let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.5 });
let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                           bkg: #{ rate: 2.0, exposure: 200 }, seed: 3, out: `${OUT}/nai` });
let infer = BayesInfer([[Data([["nai", DataUnit(#{ src: f.src, bkg: f.bkg, rsp: f.rsp,
                                                    notc: [8, 900] })]]), cpl()]]);
"#;

fn run(code: &str) -> Result<String, String> {
    let out = std::env::temp_dir().join(format!("bayspec-emcee-start-{}", std::process::id()));
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out.display().to_string());
    let r = script::run::eval_code(&engine, &mut scope, "start", &format!("{SETUP}\n{code}"));
    r.map(|v| v.to_string())
}

#[test]
fn emcee_start_options() {
    let text = |opts: &str| {
        run(&format!(
            "let p = infer.emcee(#{{ nstep: 150, discard: 50, seed: 2 {opts} }}); `${{p}}`"
        ))
        .unwrap()
    };
    let fit = text("");
    assert!(fit.contains("start: fit (MIGRAD, −2 ln P ="), "{fit}");
    // the fit's optimum is near the truth (−1.2, 2.5, 0.5)
    assert!(fit.contains("acceptance fraction"), "{fit}");
    assert!(text(", start: \"values\"").contains("start: ball (10⁻⁴) around the start values"));
    assert!(text(", start: \"prior\"").contains("start: uniform in the prior ranges"));
    assert!(
        text(", start: [-1.0, 2.4, 0.4]").contains("start: ball (10⁻⁴) around the start values")
    );
    let e = run("infer.emcee(#{ nstep: 150, discard: 50, start: \"best\" })").unwrap_err();
    assert!(
        e.contains("\"fit\", \"values\", \"prior\"") && e.contains("best"),
        "{e}"
    );
    let e = run("infer.emcee(#{ nstep: 150, discard: 50, start: [1.0] })").unwrap_err();
    assert!(e.contains("start must hold 3 finite values"), "{e}");
}
