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
pub mod pair;
pub mod plot;
pub mod post_table;
pub mod posterior;
pub mod prelude;
pub mod prior;
pub mod repl;
pub mod run;
pub mod samplers;
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
    register_layers(&mut engine, &mut docs);
    help::register(&mut engine, docs);
    engine.set_module_resolver(stdlib::resolver());
    if let Some(n) = settings.max_operations {
        engine.set_max_operations(n);
    }
    engine
}

/// Register every layer's functions and their help (all but `help` itself).
fn register_layers(engine: &mut Engine, docs: &mut docs::Docs) {
    for register in [
        prelude::register,
        data::register,
        vector::register,
        prior::register,
        model::register,
        pair::register,
        infer::register,
        samplers::register,
        posterior::register,
        check::register,
        post_table::register,
        plot::register,
        batch::register,
    ] {
        register(engine, docs);
    }
}

/// The help registry `help()` shows, with every option table (for tests and tools).
pub fn docs() -> docs::Docs {
    let mut docs = docs::Docs::new();
    register_layers(&mut Engine::new(), &mut docs);
    docs
}

/// Every option key a script function accepts (offered by Tab inside `#{ … }`), from the
/// option tables.
pub fn option_keys() -> Vec<String> {
    static KEYS: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
    KEYS.get_or_init(|| {
        let mut keys: Vec<String> = docs()
            .option_tables()
            .iter()
            .flat_map(|t| t.specs.iter().map(|s| s.key.to_string()))
            .collect();
        keys.sort();
        keys.dedup();
        keys
    })
    .clone()
}
