//! A saved run is resumed only for the same problem: every change of data, selection,
//! statistic, model, prior, frozen value, link or sampler option is refused with an error that
//! names what differs, and the saved files stay untouched. On data the tests simulate.

mod common;

use bayspec::script;
use rhai::{Dynamic, Scope};
use std::path::{Path, PathBuf};

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-fingerprint-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const SETUP: &str = r#"
let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.5 });
let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                           bkg: #{ rate: 2.0, exposure: 200 }, seed: 3, out: `${OUT}/nai` });
let g = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                           bkg: #{ rate: 2.0, exposure: 200 }, seed: 9, out: `${OUT}/other` });
fn unit(f, opts) {
    let o = #{ src: f.src, bkg: f.bkg, rsp: f.rsp, notc: [8, 900], stat: "pgstat" };
    o += opts;
    DataUnit(o)
}
fn problem(f, unit_opts, tweak) {
    let m = cpl();
    m.par["alpha"].prior = unif(-3, 1);
    m.par["logA"].frozen_at(0.5);
    if tweak == "prior" { m.par["alpha"].prior = unif(-2, 1); }
    if tweak == "frozen" { m.par["logA"].frozen_at(0.6); }
    if tweak == "model" { m = cpl() * hecut(); m.par["alpha"].prior = unif(-3, 1);
                          m.par["logA"].frozen_at(0.5); m.par[4].frozen_at(3.0); }
    BayesInfer([[Data([["nai", unit(f, unit_opts)]]), m]])
}
"#;

fn run(out: &Path, code: &str) -> Result<Dynamic, String> {
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push_constant("OUT", out.display().to_string());
    script::run::eval_code(
        &engine,
        &mut scope,
        "fingerprint",
        &format!("{SETUP}\n{code}"),
    )
}

/// Run `call` (a sampler call on `infer` with savepath `${OUT}/run`) once on the base problem,
/// then for each variant check that resuming is refused naming `expect`, that nothing in the
/// run folder changed, and that the base problem still resumes.
fn check(tag: &str, call: &str, variants: &[(&str, &str, &str, &str)]) {
    let out = temp(tag);
    let base = format!("let infer = problem(f, #{{}}, \"\");\nlet post = {call};\n`${{post}}`");
    let first = run(&out, &base).unwrap().into_string().unwrap();
    assert!(!first.contains("resumed from"), "{first}");
    let saved = common::dir_files(&out.join("run"));
    for (what, data, unit_opts, tweak) in variants {
        let code = format!(
            "let infer = problem({data}, #{{ {unit_opts} }}, \"{tweak}\");\nlet post = {call};"
        );
        let err = match run(&out, &code) {
            Ok(v) => panic!("{what}: resumed: {v:?} / {code}"),
            Err(e) => e,
        };
        assert!(err.contains("cannot resume"), "{what}: {err}");
        assert!(err.contains(what), "{what}: expected it named in: {err}");
        assert!(err.contains("resume: false"), "{err}");
        assert_eq!(
            common::dir_files(&out.join("run")),
            saved,
            "{what}: the saved run changed"
        );
    }
    let again = run(&out, &base).unwrap().into_string().unwrap();
    assert!(again.contains("resumed from"), "{again}");
    // resume: false replaces the saved run with the new problem's
    let fresh = format!(
        "let infer = problem(f, #{{ notc: [10, 500] }}, \"\");\n\
         let post = {};\n`${{post}}`",
        call.replace("savepath:", "resume: false, savepath:")
    );
    let text = run(&out, &fresh).unwrap().into_string().unwrap();
    assert!(!text.contains("resumed from"), "{text}");
    let _ = std::fs::remove_dir_all(&out);
}

const VARIANTS: &[(&str, &str, &str, &str)] = &[
    ("data 'nai'", "f", "notc: [8, 500]", ""),
    ("data 'nai'", "f", "stat: \"cstat\"", ""),
    ("data 'nai'", "g", "", ""),
    (
        "data 'nai'",
        "f",
        "grpg: #{ min_sigma: 3, max_bin: 10 }",
        "",
    ),
    ("priors", "f", "", "prior"),
    ("model (pair 1)", "f", "", "frozen"),
    ("model (pair 1)", "f", "", "model"),
];

/// Run `call` (options inside `#{ … }`) on the base problem in `out`, as text.
fn base_run(out: &Path, sampler: &str, options: &str) -> Result<String, String> {
    run(
        out,
        &format!(
            "let infer = problem(f, #{{}}, \"\"); let p = infer.{sampler}(#{{ {options}, \
             savepath: `${{OUT}}/run` }}); `${{p}}`"
        ),
    )
    .map(|v| v.into_string().unwrap())
}

#[test]
fn nested_resume_is_refused_for_any_other_problem() {
    let call = "infer.multinest(#{ nlive: 60, seed: 4, savepath: `${OUT}/run` })";
    check("nested", call, VARIANTS);
    // options: nlive and seed
    let out = temp("nested-options");
    base_run(&out, "multinest", "nlive: 60, seed: 4").unwrap();
    let e = base_run(&out, "multinest", "nlive: 70, seed: 4").unwrap_err();
    assert!(
        e.contains("nested-sampling options") && e.contains("nlive 60"),
        "{e}"
    );
    let e = base_run(&out, "multinest", "nlive: 60, seed: 5").unwrap_err();
    assert!(e.contains("seed: saved 4; now 5"), "{e}");
    // no seed given: the saved run's seed is accepted
    let t = base_run(&out, "multinest", "nlive: 60").unwrap();
    assert!(t.contains("resumed from"), "{t}");
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn emcee_resume_is_refused_for_any_other_problem() {
    let call = "infer.emcee(#{ nstep: 120, discard: 20, seed: 4, savepath: `${OUT}/run` })";
    check("emcee", call, VARIANTS);
    let out = temp("emcee-options");
    base_run(&out, "emcee", "nstep: 120, discard: 20, seed: 4").unwrap();
    let e = base_run(
        &out,
        "emcee",
        "nstep: 120, discard: 20, seed: 4, start: \"prior\"",
    )
    .unwrap_err();
    assert!(
        e.contains("emcee options") && e.contains("start fit"),
        "{e}"
    );
    // a longer chain continues the saved one
    let t = base_run(&out, "emcee", "nstep: 150, discard: 20").unwrap();
    assert!(t.contains("resumed from") && t.contains("150 steps"), "{t}");
    let _ = std::fs::remove_dir_all(&out);
}

/// A checkpoint of the previous format cannot be checked, so it is refused, not trusted.
#[test]
fn an_unverifiable_old_checkpoint_is_refused() {
    let out = temp("old");
    let dir = out.join("run");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("1-resume.json"), "{}").unwrap();
    let e = run(
        &out,
        "let infer = problem(f, #{}, \"\"); infer.multinest(#{ nlive: 60, savepath: `${OUT}/run` });",
    )
    .unwrap_err();
    assert!(
        e.contains("older bayspec version") && e.contains("resume: false"),
        "{e}"
    );
    let _ = std::fs::remove_dir_all(&out);
}

/// Saved results record what they were computed from: `boot_fingerprint.json` next to a
/// bootstrap's files, `post_fingerprint.json` next to a posterior's.
#[test]
fn saved_results_record_their_fingerprint() {
    let out = temp("saved");
    let _ = run(
        &out,
        r#"
        let m = cpl();
        let fit = MaxLikeFit([[Data([["nai", unit(f, #{})]]), m]]);
        fit.iminuit(#{ nsample: 50, seed: 2, savepath: `${OUT}/boot` });
        let infer = problem(f, #{}, "");
        infer.multinest(#{ nlive: 60, seed: 4 }).save(`${OUT}/post`);
        "#,
    )
    .unwrap();
    for (file, model) in [
        ("boot/boot_fingerprint.json", "cpl"),
        ("post/post_fingerprint.json", "cpl"),
    ] {
        let text = std::fs::read_to_string(out.join(file)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let keys: Vec<&str> = v["entries"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["key"].as_str().unwrap())
            .collect();
        assert_eq!(
            keys,
            ["data 'nai' (pair 1)", "model (pair 1)", "priors"],
            "{file}"
        );
        assert!(text.contains(model) && text.contains("pgstat"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&out);
}
