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
    /// Batch mode: this run is task N (the script sees `TASK`; default: SLURM_ARRAY_TASK_ID).
    #[arg(long, value_name = "N")]
    task: Option<u64>,
    /// Use at most K threads for parallel likelihood evaluation (default: all cores).
    #[arg(long, value_name = "K")]
    jobs: Option<usize>,
    /// Script to run; without it the interactive REPL starts.
    file: Option<PathBuf>,
    /// Arguments passed to the script as `ARGS`.
    #[arg(trailing_var_arg = true, allow_hyphen_values = true)]
    args: Vec<String>,
}

/// `--task N` and `--jobs K` may also follow the script name (`bayspec fit.rhai --task 3`):
/// take them out of the script arguments. Arguments after a literal `--` reach the script
/// untouched.
fn take_batch_flags(cli: &mut Cli) -> Result<(), String> {
    let mut rest = Vec::new();
    let mut it = std::mem::take(&mut cli.args).into_iter();
    while let Some(a) = it.next() {
        if a == "--" {
            rest.extend(it.by_ref());
            break;
        }
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) => (f.to_string(), Some(v.to_string())),
            None => (a.clone(), None),
        };
        if flag == "--task" || flag == "--jobs" {
            let v = match inline {
                Some(v) => v,
                None => it.next().ok_or_else(|| format!("{flag} needs a number"))?,
            };
            let n: u64 = v
                .parse()
                .map_err(|_| format!("{flag} needs a non-negative integer, got '{v}'"))?;
            if flag == "--task" {
                cli.task = Some(n);
            } else {
                cli.jobs = Some(n as usize);
            }
        } else {
            rest.push(a);
        }
    }
    cli.args = rest;
    Ok(())
}

fn main() -> ExitCode {
    std::panic::set_hook(Box::new(|info| {
        eprintln!("bayspec: internal error (this is a bug, please report it): {info}");
    }));
    let mut cli = Cli::parse();
    if let Err(e) = take_batch_flags(&mut cli) {
        eprintln!("bayspec: {e}");
        return ExitCode::from(2);
    }
    if let Some(k) = cli.jobs {
        if k == 0 {
            eprintln!("bayspec: --jobs must be at least 1");
            return ExitCode::from(2);
        }
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(k)
            .build_global()
        {
            eprintln!("bayspec: cannot limit threads to {k}: {e}");
            return ExitCode::from(2);
        }
    }
    let task = match script::batch::task_id(cli.task) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("bayspec: {e}");
            return ExitCode::from(2);
        }
    };
    let outcome = std::panic::catch_unwind(move || {
        let settings = EngineSettings {
            max_operations: cli.max_operations,
        };
        let engine = script::engine_with(&settings);
        if let Some(code) = cli.eval {
            let mut scope = run::scope_with_args(&cli.args);
            script::batch::push_task(&mut scope, task);
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
            Some(path) => match run::run_file(&engine, &path, &cli.args, task) {
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
