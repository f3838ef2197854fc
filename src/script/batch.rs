//! Batch mode for many spectra: the task identity (`--task N` or `SLURM_ARRAY_TASK_ID`),
//! seeds derived from it, and done markers so a re-run skips finished tasks.
//!
//! A script written for batch work reads `TASK` (an integer, or `()` outside batch mode),
//! derives its seed with `task_seed(base)`, checks `is_done(dir)` first and calls
//! `mark_done(dir)` last; every result file is written atomically, so a killed task leaves
//! either nothing or complete files, and never a marker without its results.

use super::docs::Docs;
use super::options::{lift, RhaiResult};
use crate::sample::files::{ensure_dir, write_text_atomic};
use crate::sample::rng::mix64;
use rhai::{Dynamic, Engine, Scope};
use std::path::Path;

/// Name of the marker file written into a finished task's output folder.
pub const DONE_MARKER: &str = ".bayspec-done";

/// The task identity: `--task N` wins over `SLURM_ARRAY_TASK_ID`.
pub fn task_id(cli_task: Option<u64>) -> Result<Option<u64>, String> {
    if cli_task.is_some() {
        return Ok(cli_task);
    }
    match std::env::var("SLURM_ARRAY_TASK_ID") {
        Ok(s) if !s.trim().is_empty() => {
            s.trim().parse::<u64>().map(Some).map_err(|_| {
                format!("SLURM_ARRAY_TASK_ID must be a non-negative integer, got '{s}'")
            })
        }
        _ => Ok(None),
    }
}

/// A seed for task `task` derived from a base seed (the same pair always gives the same seed;
/// different tasks get unrelated seeds).
pub fn task_seed(base: u64, task: u64) -> u64 {
    // keep it a non-negative Rhai integer
    mix64(mix64(base) ^ task.wrapping_mul(0xD1B5_4A32_D192_ED03)) >> 1
}

/// Put `TASK` into a script scope.
pub fn push_task(scope: &mut Scope, task: Option<u64>) {
    let v = task
        .map(|t| Dynamic::from_int(t as i64))
        .unwrap_or(Dynamic::UNIT);
    scope.push_constant("TASK", v);
}

/// Whether `dir` holds a done marker.
pub fn is_done(dir: &Path) -> bool {
    dir.join(DONE_MARKER).is_file()
}

/// Write the done marker into `dir` (created).
pub fn mark_done(dir: &Path) -> crate::Result<()> {
    ensure_dir(dir)?;
    write_text_atomic(&dir.join(DONE_MARKER), "done\n")
}

/// Register `task_seed`, `is_done`, `mark_done`.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("batch", "many spectra: task identity, seeds, done markers");
    engine.register_fn("task_seed", |base: i64, task: i64| -> RhaiResult<i64> {
        if base < 0 || task < 0 {
            return Err("task_seed: base seed and task must be ≥ 0".into());
        }
        Ok(task_seed(base as u64, task as u64) as i64)
    });
    engine.register_fn("is_done", |dir: &str| is_done(Path::new(dir)));
    engine.register_fn("mark_done", |dir: &str| -> RhaiResult<()> {
        lift(mark_done(Path::new(dir)))
    });
    docs.add(
        "batch",
        "task_seed",
        "task_seed(base, TASK) -> int",
        "A seed derived from a base seed and the task number (run with --task N or as a Slurm array).",
    );
    docs.add(
        "batch",
        "is_done",
        "is_done(dir) -> bool",
        "Whether a previous run finished the task whose results live in dir.",
    );
    docs.add(
        "batch",
        "mark_done",
        "mark_done(dir)",
        "Mark the task's output folder finished (call it after the last result is written).",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_are_stable_and_distinct() {
        assert_eq!(task_seed(42, 3), task_seed(42, 3));
        assert_ne!(task_seed(42, 3), task_seed(42, 4));
        assert_ne!(task_seed(42, 3), task_seed(43, 3));
        assert!(task_seed(u64::MAX, u64::MAX) < (1 << 63));
    }

    #[test]
    fn done_marker_round_trip() {
        let d = std::env::temp_dir().join(format!("bayspec-batch-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        assert!(!is_done(&d));
        mark_done(&d).unwrap();
        assert!(is_done(&d));
    }
}
