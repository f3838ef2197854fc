//! The `bayspec` command: REPL, script runner, one-line evaluator.

use bayspec::script::{self, repl, run, EngineSettings};
use clap::Parser;
use std::path::PathBuf;
use std::process::ExitCode;

/// Bayesian fitting of high-energy astrophysical spectra, scripted in Rhai.
#[derive(Parser, Debug)]
#[command(name = "bayspec", version, about, long_about = None)]
struct Cli {
    /// Evaluate CODE and exit (the value of the last expression is printed).
    #[arg(
        short = 'e',
        long = "eval",
        value_name = "CODE",
        conflicts_with = "file"
    )]
    eval: Option<String>,
    /// Stop scripts after N operations (a guard against runaway loops; off by default).
    #[arg(long, value_name = "N")]
    max_operations: Option<u64>,
    /// Script to run; without it the interactive REPL starts.
    file: Option<PathBuf>,
    /// Arguments passed to the script as `ARGS`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("bayspec: internal error (this is a bug, please report it): {info}");
    }));
    let cli = Cli::parse();
    let outcome = std::panic::catch_unwind(move || {
        let settings = EngineSettings {
            max_operations: cli.max_operations,
        };
        let engine = script::engine_with(&settings);
        if let Some(code) = cli.eval {
            let mut scope = run::scope_with_args(&cli.args);
            return match run::eval_code(&engine, &mut scope, "<-e>", &code) {
                Ok(v) => {
                    if !v.is_unit() {
                        script::say(&run::display_value(&engine, &mut scope, v));
                    }
                    0
                }
                Err(e) => {
                    eprintln!("{e}");
                    1
                }
            };
        }
        match cli.file {
            Some(path) => match run::run_file(&engine, &path, &cli.args) {
                Ok(_) => 0,
                Err(e) => {
                    eprintln!("{e}");
                    1
                }
            },
            None => repl::run(engine),
        }
    });
    match outcome {
        Ok(0) => ExitCode::SUCCESS,
        Ok(code) => ExitCode::from(code.clamp(1, 255) as u8),
        Err(_) => ExitCode::from(101),
    }
}
