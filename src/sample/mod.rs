//! Samplers and fitters.

pub mod minimize;
