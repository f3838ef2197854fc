//! Evaluation kernels of the built-in components (models.md section 3).
//!
//! A kernel is a pure function of (energy grid, optional times, parameter values, numeric
//! configuration values) that writes one value per energy into an output slice. Kernels never
//! allocate; an invalid parameter region fills the output with NaN.

// Validity tests are written as `!(x > bound)` on purpose: a NaN parameter must fail them.
#![allow(clippy::neg_cmp_op_on_partial_ord)]

use crate::bail;
use crate::error::Result;
use crate::model::cfg::CfgValue;

#[macro_use]
mod params;

pub(crate) mod absorb;
pub(crate) mod band;
pub(crate) mod convex;
pub(crate) mod dust;
pub(crate) mod external;
pub(crate) mod hle;
pub(crate) mod kaneko;
pub(crate) mod powerlaw;
pub(crate) mod thermal;

/// The energy grid a kernel evaluates on (observer-frame keV) with precomputed `ln E`.
pub(crate) struct Grid<'a> {
    /// energies, keV
    pub e: &'a [f64],
    /// natural log of `e`
    pub ln_e: &'a [f64],
    /// times (s): length 1 (same time for all energies) or `e.len()`; None when no time given
    pub t: Option<&'a [f64]>,
}

impl Grid<'_> {
    /// Number of points.
    pub fn len(&self) -> usize {
        self.e.len()
    }
}

/// Time of point `i` (a one-element slice broadcasts).
#[inline]
pub(crate) fn time_at(t: &[f64], i: usize) -> f64 {
    if t.len() == 1 {
        t[0]
    } else {
        t[i]
    }
}

/// Converts configuration values to the numbers a kernel reads.
pub(crate) type PrepareFn = fn(&[CfgValue]) -> Result<Vec<f64>>;
/// Fills grid-dependent auxiliary data that only depends on the grid and configs (cached).
pub(crate) type AuxFn = fn(&Grid, &[f64], &mut [f64]) -> Result<()>;
/// Evaluates the component: (grid, params, numeric configs, aux, out).
pub(crate) type EvalFn = fn(&Grid, &[f64], &[f64], &[f64], &mut [f64]);
/// Local photon index d lnN / d lnE (Kaneko family helper).
pub(crate) type SlopeFn = fn(&Grid, &[f64], &[f64], &mut [f64]);

/// The evaluation entry points of one built-in component.
#[derive(Clone, Copy)]
pub(crate) struct Kernel {
    pub prepare: PrepareFn,
    pub aux: Option<AuxFn>,
    pub eval: EvalFn,
}

/// Default configuration conversion: numbers as is, booleans as 1/0, null as NaN.
pub(crate) fn numeric_configs(cfg: &[CfgValue]) -> Result<Vec<f64>> {
    cfg.iter()
        .map(|v| match v {
            CfgValue::Num(x) => Ok(*x),
            CfgValue::Bool(b) => Ok(if *b { 1.0 } else { 0.0 }),
            CfgValue::Null => Ok(f64::NAN),
            CfgValue::Str(s) => bail!("unexpected string configuration value '{s}'"),
        })
        .collect()
}

/// Fill with NaN (invalid parameter region).
#[inline]
pub(crate) fn nan_fill(out: &mut [f64]) {
    out.fill(f64::NAN);
}

/// `ln(1 + z)` for a redshift config.
#[inline]
pub(crate) fn ln1p_z(z: f64) -> f64 {
    z.ln_1p()
}
