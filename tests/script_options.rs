//! Every option table a script function reads (issue 19: each option declared once): keys are
//! unique, `help("name")` shows every key, the function's unknown-key error lists exactly the
//! table's keys, and a value of the wrong type is an error naming the key and the type.

use bayspec::option_spec::{keys, OptKind, OptionSpec};
use rhai::{Dynamic, Engine, Scope};
use std::collections::HashSet;

/// A call that passes `OPTS` where the table's option map goes, per (help name, table title).
const PROBES: &[(&str, &str, &str)] = &[
    ("DataUnit", "Options", "DataUnit(OPTS)"),
    (
        "DataUnit",
        "grpg / rebn rule keys",
        "DataUnit(#{ src: files.src, rsp: files.rsp, grpg: OPTS })",
    ),
    ("response", "Options", "response(OPTS)"),
    ("simulate", "Options", "simulate(m, OPTS)"),
    (
        "simulate",
        "bkg map keys",
        "simulate(m, #{ rsp: response(), exposure: 1, out: dir + \"/x\", bkg: OPTS })",
    ),
    ("multinest", "Options", "infer.multinest(OPTS)"),
    ("emcee", "Options", "infer.emcee(OPTS)"),
    ("lmfit", "Options", "fit.lmfit(OPTS)"),
    ("iminuit", "Options", "fit.iminuit(OPTS)"),
    ("ppc", "Options", "boot.ppc(OPTS)"),
    ("goodness", "Options", "boot.goodness(OPTS)"),
    ("table", "Options", "boot.table(OPTS)"),
    ("phtflux", "Options", "m.phtflux(10, 100, OPTS)"),
    ("ergflux", "Options", "m.ergflux(10, 100, OPTS)"),
    ("Component", "Options", "Component(OPTS)"),
    (
        "Component",
        "params keys",
        "Component(#{ name: \"x\", kind: \"add\", params: [OPTS], func: |E, T, p| 1.0 })",
    ),
    ("Plot::infer", "Options", "Plot::infer(boot, OPTS)"),
    ("Plot::pair", "Options", "Plot::pair(Pair(data, m), OPTS)"),
    ("Plot::data", "Options", "Plot::data(data, OPTS)"),
    ("Plot::corner", "Options", "Plot::corner(boot, OPTS)"),
    ("Plot::model", "Options", "Plot::model(OPTS)"),
    ("Plot::ppc", "Options", "Plot::ppc(boot, OPTS)"),
    ("Plot::qq", "Options", "Plot::qq(boot, OPTS)"),
    (
        "Figure.save",
        "Options",
        "Plot::data(data).save(dir + \"/d.png\", OPTS)",
    ),
];

/// A simulated unit, a fit and its bootstrap in scope: `m`, `files`, `data`, `infer`, `fit`,
/// `boot`, `dir`.
fn setup() -> (Engine, Scope<'static>) {
    let dir = std::env::temp_dir().join(format!("bayspec_script_options_{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let engine = bayspec::script::engine();
    let mut scope = Scope::new();
    scope.push("dir", dir.display().to_string());
    engine
        .run_with_scope(
            &mut scope,
            r#"
            let m = cpl();
            let files = simulate(m, #{ rsp: response(#{ n_channels: 32 }), exposure: 50,
                                       bkg: 0.5, seed: 7, out: dir + "/grb" });
            let data = Data([["nai", DataUnit(#{ src: files.src, bkg: files.bkg,
                                                  rsp: files.rsp, notc: [8, 900] })]]);
            let infer = BayesInfer([[data, m]]);
            let fit = MaxLikeFit([[data, m]]);
            let boot = fit.lmfit(#{ nsample: 50 });
            "#,
        )
        .expect("setup script");
    (engine, scope)
}

fn error_of(engine: &Engine, scope: &mut Scope, code: &str) -> String {
    match engine.eval_with_scope::<Dynamic>(scope, code) {
        Ok(v) => panic!("expected an error from {code}, got {v:?}"),
        Err(e) => e.to_string(),
    }
}

/// A value of the wrong type for `kind` (`None` when the reader checks the type itself).
fn wrong_value(kind: OptKind) -> Option<(&'static str, &'static str)> {
    match kind {
        OptKind::Int | OptKind::Seed | OptKind::Float => Some(("\"x\"", "string")),
        OptKind::Bool
        | OptKind::Str
        | OptKind::Path
        | OptKind::FloatPair
        | OptKind::Floats
        | OptKind::Strings
        | OptKind::Map => Some(("1", "i64")),
        OptKind::Other(_) => None,
    }
}

#[test]
fn every_option_table_is_unique_documented_and_enforced() {
    let docs = bayspec::script::docs();
    let tables = docs.option_tables();
    let (engine, mut scope) = setup();
    assert_eq!(tables.len(), PROBES.len(), "one probe per option table");
    let mut probed = HashSet::new();
    for t in tables {
        let specs: &[OptionSpec] = t.specs;
        let what = format!("{} ({})", t.name, t.title);

        // keys unique within the table
        let mut seen = HashSet::new();
        for s in specs {
            assert!(seen.insert(s.key), "{what}: key '{}' declared twice", s.key);
            assert!(!s.doc.is_empty(), "{what}: '{}' has no doc", s.key);
        }

        // help shows every key as a row of the table
        let help = docs
            .entry_text(&t.name)
            .unwrap_or_else(|| panic!("{what}: no help entry"));
        assert!(help.contains(&format!("{}:\n", t.title)), "{what}:\n{help}");
        for s in specs {
            assert!(
                help.contains(&format!("\n  {} ", s.key)),
                "{what}: help lacks '{}':\n{help}",
                s.key
            );
        }

        // the real function refuses an unknown key, listing exactly this table's keys
        let probe = PROBES
            .iter()
            .find(|(n, title, _)| *n == t.name && *title == t.title)
            .unwrap_or_else(|| panic!("{what}: add a probe call to PROBES"))
            .2;
        probed.insert((t.name.clone(), t.title));
        let e = error_of(
            &engine,
            &mut scope,
            &probe.replace("OPTS", "#{ zz_not_an_option: 1 }"),
        );
        let listed = format!(
            "unknown option 'zz_not_an_option'; accepted options are: {}",
            keys(specs)
        );
        let at = e
            .find(&listed)
            .unwrap_or_else(|| panic!("{what}: expected '{listed}' in: {e}"));
        assert!(
            !e[at + listed.len()..].starts_with(','),
            "{what}: more keys than the table's: {e}"
        );

        // a value of the wrong type names the key and the expected type
        for s in specs {
            let Some((value, type_name)) = wrong_value(s.kind) else {
                continue;
            };
            let code = probe.replace("OPTS", &format!("#{{ {}: {value} }}", s.key));
            let e = error_of(&engine, &mut scope, &code);
            let want = format!(
                "option '{}' must be {}, not {type_name}",
                s.key,
                s.kind.expected()
            );
            assert!(
                e.contains(&want),
                "{what}: expected '{want}' from {code}: {e}"
            );
        }
    }
    for (name, title, _) in PROBES {
        assert!(
            probed.contains(&(name.to_string(), *title)),
            "probe {name} ({title}) matches no option table"
        );
    }
}

#[test]
fn wrong_type_names_key_and_type() {
    let engine = bayspec::script::engine();
    let e = engine
        .eval::<Dynamic>("DataUnit(#{ src: \"x.pha\", weight: \"1\" })")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("DataUnit: option 'weight' must be a number, not string"),
        "{e}"
    );
    let e = engine
        .eval::<Dynamic>("Plot::model(#{ band: 1 })")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Plot::model: option 'band' must be true or false, not i64"),
        "{e}"
    );
}
