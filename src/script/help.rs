//! `help()` and `help("name")`.

use super::docs::Docs;
use super::options::RhaiResult;
use rhai::Engine;
use std::sync::Arc;

const REPL_HELP: &str = "The REPL keeps variables and functions between lines.\n\
  Multi-line input continues while the code is incomplete (open brackets, strings).\n\
  Tab completes function, property and variable names. Ctrl-C clears the line, or stops\n\
  what is running: a sampler stops at its next iteration and, with a savepath, saves its\n\
  state so that the same call with resume: true continues it. Ctrl-D exits. History is kept in the per-user data directory; an optional\n\
  start-up script init.rhai is read from the per-user config directory.";

/// The help text for `name`: a topic, a documented name, or the engine's signatures.
pub fn help_text(docs: &Docs, signatures: &[String], name: &str) -> Option<String> {
    if name == "repl" {
        return Some(REPL_HELP.to_string());
    }
    if let Some(t) = docs.topic_text(name) {
        return Some(t);
    }
    if let Some(t) = docs.entry_text(name) {
        return Some(t);
    }
    let sigs: Vec<&String> = signatures
        .iter()
        .filter(|s| {
            let n = s.split('(').next().unwrap_or("");
            n == name || n == format!("get${name}") || n == format!("set${name}")
        })
        .collect();
    if sigs.is_empty() {
        None
    } else {
        Some(
            sigs.iter()
                .map(|s| s.as_str())
                .collect::<Vec<_>>()
                .join("\n"),
        )
    }
}

/// Register `help()` / `help(name)` over the finished docs (call last).
pub fn register(engine: &mut Engine, mut docs: Docs) {
    docs.add(
        "core",
        "help",
        "help()  /  help(\"name\")",
        "List the help topics, or document a topic, function, type or model.",
    );
    let signatures: Vec<String> = engine.gen_fn_signatures(false);
    let docs = Arc::new(docs);
    let sigs = Arc::new(signatures);
    let d = docs.clone();
    engine.register_fn("help", move || {
        super::say(&d.overview());
    });
    engine.register_fn("help", move |name: &str| -> RhaiResult<()> {
        match help_text(&docs, &sigs, name) {
            Some(t) => {
                super::say(&t);
                Ok(())
            }
            None => {
                Err(format!("help: nothing is called '{name}'; help() lists the topics").into())
            }
        }
    });
}
