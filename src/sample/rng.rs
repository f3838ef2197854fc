//! Seeding: every random number of a sampler comes from a stream derived from the run's seed
//! and a counter, so results do not depend on thread scheduling and runs can be resumed.

use rand::rngs::StdRng;
use rand::SeedableRng;
use std::time::{SystemTime, UNIX_EPOCH};

/// Stream families (keep the values stable: they define the random numbers of a seed).
pub mod stream {
    /// Initial live points of nested sampling.
    pub const NESTED_INIT: u64 = 1;
    /// Candidate draws from the nested-sampling bound.
    pub const NESTED_CANDIDATE: u64 = 2;
    /// Equal-weight resampling of the nested-sampling posterior.
    pub const NESTED_EQUAL_WEIGHT: u64 = 3;
    /// emcee start positions.
    pub const EMCEE_START: u64 = 11;
    /// emcee walker shuffling per step.
    pub const EMCEE_SHUFFLE: u64 = 12;
    /// emcee per-walker proposals.
    pub const EMCEE_MOVE: u64 = 13;
    /// emcee burn-in restarts of stranded walkers.
    pub const EMCEE_RESTART: u64 = 14;
    /// Replicated spectra of posterior predictive checks and goodness-of-fit tests.
    pub const PREDICTIVE_CHECK: u64 = 21;
}

/// SplitMix64 finaliser: a bijective 64-bit mixer.
pub fn mix64(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The generator of stream `(family, index)` of a run seeded with `seed`.
pub fn stream_rng(seed: u64, family: u64, index: u64) -> StdRng {
    let key = mix64(mix64(mix64(seed) ^ family.wrapping_mul(0xD1B5_4A32_D192_ED03)) ^ index);
    StdRng::seed_from_u64(key)
}

/// The given seed, or one taken from the system clock when `None`.
pub fn seed_or_clock(seed: Option<u64>) -> u64 {
    match seed {
        Some(s) => s,
        None => {
            let nanos = SystemTime::now()
                .duration_since(UNIX_EPOCH)
                .map(|d| d.as_nanos() as u64)
                .unwrap_or(0);
            mix64(nanos ^ u64::from(std::process::id()))
        }
    }
}
