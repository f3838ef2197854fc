//! Quiet in-memory sampler runs for tests: no files, no resume, no progress bar.

use bayspec::infer::Plan;
use bayspec::sample::emcee::{self, EmceeResult};
use bayspec::sample::nested::{self, NestedResult};

/// emcee from the plan's start point with `nstep` steps, `discard` discarded and `seed`.
pub fn emcee_from_start(plan: &Plan, nstep: usize, discard: usize, seed: u64) -> EmceeResult {
    emcee::run(
        plan,
        &emcee::EmceeOptions {
            nstep,
            discard,
            seed: Some(seed),
            start: Some(plan.start.clone()),
            savepath: None,
            resume: false,
            progress: false,
            ..Default::default()
        },
    )
    .unwrap()
}

/// Nested sampling with `nlive` live points and `seed`.
pub fn nested(plan: &Plan, nlive: usize, seed: u64) -> NestedResult {
    nested::run(
        plan,
        &nested::NestedOptions {
            nlive,
            seed: Some(seed),
            savepath: None,
            resume: false,
            progress: false,
            ..Default::default()
        },
    )
    .unwrap()
}
