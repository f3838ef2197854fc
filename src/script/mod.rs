//! The Rhai binding of every layer, the script runner and the REPL.
//!
//! [`engine`] builds the one fully registered engine used by the command line,
//! the REPL and the tests. Each layer has its own binding file; no science
//! lives here.

pub mod batch;
pub mod callback;
pub mod check;
pub mod complete;
pub mod data;
pub mod data_tools;
pub mod docs;
pub mod help;
pub mod infer;
pub mod model;
pub mod options;
pub mod plot;
pub mod post_table;
pub mod prelude;
pub mod prior;
pub mod repl;
pub mod run;
pub mod stdlib;
pub mod vector;

use rhai::Engine;

/// Settings for a new engine.
#[derive(Debug, Clone, Default)]
pub struct EngineSettings {
    /// Stop scripts after this many operations (`None`: no limit).
    pub max_operations: Option<u64>,
}

/// A fully registered engine with default settings.
pub fn engine() -> Engine {
    engine_with(&EngineSettings::default())
}

/// Print a line on stdout; a closed pipe (`bayspec … | head`) is not an error.
pub fn say(text: &str) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "{text}");
}

/// A fully registered engine.
pub fn engine_with(settings: &EngineSettings) -> Engine {
    let mut engine = Engine::new();
    engine.on_print(say);
    engine.on_debug(|text, source, pos| {
        let at = match (source, pos.line()) {
            (Some(s), Some(l)) => format!("{s}:{l}: "),
            (None, Some(l)) => format!("line {l}: "),
            _ => String::new(),
        };
        eprintln!("{at}{text}");
    });
    let mut docs = docs::Docs::new();
    prelude::register(&mut engine, &mut docs);
    data::register(&mut engine, &mut docs);
    vector::register(&mut engine, &mut docs);
    prior::register(&mut engine, &mut docs);
    model::register(&mut engine, &mut docs);
    infer::register(&mut engine, &mut docs);
    check::register(&mut engine, &mut docs);
    post_table::register(&mut engine, &mut docs);
    plot::register(&mut engine, &mut docs);
    batch::register(&mut engine, &mut docs);
    help::register(&mut engine, docs);
    engine.set_module_resolver(stdlib::resolver());
    if let Some(n) = settings.max_operations {
        engine.set_max_operations(n);
    }
    engine
}

/// Every option key a script function accepts (offered by Tab inside `#{ … }`).
pub fn option_keys() -> Vec<String> {
    let lists: [&[&str]; 5] = [
        crate::data::DATA_UNIT_KEYS,
        crate::data::GROUPING_RULE_KEYS,
        data::RESPONSE_KEYS,
        data::SIMULATE_KEYS,
        data::SIMULATE_BKG_KEYS,
    ];
    let mut keys: Vec<String> = lists
        .iter()
        .flat_map(|l| l.iter().map(|k| k.to_string()))
        .collect();
    keys.sort();
    keys.dedup();
    keys
}
