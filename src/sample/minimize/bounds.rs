//! Minuit's transformation between bounded external parameters θ and unbounded internal φ.
//!
//! * two limits `[lo, hi]`: θ = lo + (sin φ + 1)(hi − lo)/2, φ = asin(2(θ − lo)/(hi − lo) − 1);
//! * lower limit only: θ = lo − 1 + √(φ² + 1), φ = ±√((θ − lo + 1)² − 1) (the + branch);
//! * upper limit only: θ = hi + 1 − √(φ² + 1);
//! * no limit (both infinite): θ = φ.
//!
//! A start value exactly on a limit is moved inward by a tiny internal amount so that the
//! derivative dθ/dφ is not zero there (otherwise a gradient method could never leave it).

use crate::bail;
use crate::error::Result;

/// Distance (in internal units) kept from the singular points φ = ±π/2 of the sine transform.
const SIN_EDGE: f64 = 1e-4;
/// Smallest |φ| used for a start on a one-sided limit (the sqrt transform is flat at φ = 0).
const SQRT_EDGE: f64 = 1e-3;

/// How one parameter is limited.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Limit {
    /// No limit: internal = external.
    Free,
    /// Lower limit only.
    Lower(f64),
    /// Upper limit only.
    Upper(f64),
    /// Both limits, `lo < hi`.
    Both(f64, f64),
}

impl Limit {
    /// Classify a `(lo, hi)` pair where an infinite end means "no limit on that side".
    pub fn from_pair(index: usize, (lo, hi): (f64, f64)) -> Result<Limit> {
        if lo.is_nan() || hi.is_nan() {
            bail!("bounds of parameter {index} contain NaN: ({lo}, {hi})");
        }
        if lo >= hi {
            bail!("bounds of parameter {index} are empty or reversed: lower {lo} >= upper {hi}");
        }
        Ok(match (lo.is_finite(), hi.is_finite()) {
            (true, true) => Limit::Both(lo, hi),
            (true, false) => Limit::Lower(lo),
            (false, true) => Limit::Upper(hi),
            (false, false) => Limit::Free,
        })
    }

    /// True unless [`Limit::Free`].
    pub fn is_limited(&self) -> bool {
        !matches!(self, Limit::Free)
    }

    /// True when both ends are limited (the sine transform, whose internal range is periodic).
    pub fn is_two_sided(&self) -> bool {
        matches!(self, Limit::Both(..))
    }

    /// External value of internal `phi`.
    pub fn to_external(&self, phi: f64) -> f64 {
        match *self {
            Limit::Free => phi,
            Limit::Lower(lo) => lo - 1.0 + (phi * phi + 1.0).sqrt(),
            Limit::Upper(hi) => hi + 1.0 - (phi * phi + 1.0).sqrt(),
            Limit::Both(lo, hi) => lo + (phi.sin() + 1.0) * 0.5 * (hi - lo),
        }
    }

    /// Internal value of external `theta` (which must lie inside the closed limits); starts
    /// exactly on a limit are moved inward by a tiny internal amount.
    pub fn to_internal(&self, theta: f64) -> f64 {
        match *self {
            Limit::Free => theta,
            Limit::Lower(lo) => {
                let u = theta - lo + 1.0;
                (u * u - 1.0).max(0.0).sqrt().max(SQRT_EDGE)
            }
            Limit::Upper(hi) => {
                let u = hi - theta + 1.0;
                (u * u - 1.0).max(0.0).sqrt().max(SQRT_EDGE)
            }
            Limit::Both(lo, hi) => {
                let y = (2.0 * (theta - lo) / (hi - lo) - 1.0).clamp(-1.0, 1.0);
                let half_pi = std::f64::consts::FRAC_PI_2;
                y.asin().clamp(-half_pi + SIN_EDGE, half_pi - SIN_EDGE)
            }
        }
    }

    /// Derivative dθ/dφ at internal `phi`.
    pub fn dext_dint(&self, phi: f64) -> f64 {
        match *self {
            Limit::Free => 1.0,
            Limit::Lower(_) => phi / (phi * phi + 1.0).sqrt(),
            Limit::Upper(_) => -phi / (phi * phi + 1.0).sqrt(),
            Limit::Both(lo, hi) => phi.cos() * 0.5 * (hi - lo),
        }
    }
}

/// The transformation of a whole parameter vector.
#[derive(Debug, Clone, PartialEq)]
pub struct Transform {
    limits: Vec<Limit>,
}

impl Transform {
    /// Build from `(lo, hi)` pairs (±infinity = no limit on that side); errors on NaN or
    /// empty/reversed intervals.
    pub fn new(bounds: &[(f64, f64)]) -> Result<Transform> {
        let limits = bounds
            .iter()
            .enumerate()
            .map(|(i, &b)| Limit::from_pair(i, b))
            .collect::<Result<Vec<_>>>()?;
        Ok(Transform { limits })
    }

    /// Number of parameters.
    pub fn len(&self) -> usize {
        self.limits.len()
    }

    /// True when there are no parameters.
    pub fn is_empty(&self) -> bool {
        self.limits.is_empty()
    }

    /// The per-parameter limits.
    pub fn limits(&self) -> &[Limit] {
        &self.limits
    }

    /// Check that `x` has the right length, is finite and lies inside the closed limits.
    pub fn check_inside(&self, what: &str, x: &[f64]) -> Result<()> {
        if x.len() != self.limits.len() {
            bail!(
                "{what} has {} values but there are {} parameters (bounds)",
                x.len(),
                self.limits.len()
            );
        }
        for (i, (&v, lim)) in x.iter().zip(&self.limits).enumerate() {
            if !v.is_finite() {
                bail!("{what}: parameter {i} is not finite ({v})");
            }
            let (lo, hi) = match *lim {
                Limit::Free => (f64::NEG_INFINITY, f64::INFINITY),
                Limit::Lower(lo) => (lo, f64::INFINITY),
                Limit::Upper(hi) => (f64::NEG_INFINITY, hi),
                Limit::Both(lo, hi) => (lo, hi),
            };
            if v < lo || v > hi {
                bail!("{what}: parameter {i} = {v} lies outside its bounds [{lo}, {hi}]");
            }
        }
        Ok(())
    }

    /// External → internal for a whole vector.
    pub fn to_internal(&self, ext: &[f64], int: &mut [f64]) {
        for ((lim, &e), i) in self.limits.iter().zip(ext).zip(int.iter_mut()) {
            *i = lim.to_internal(e);
        }
    }

    /// Internal → external for a whole vector.
    pub fn to_external(&self, int: &[f64], ext: &mut [f64]) {
        for ((lim, &i), e) in self.limits.iter().zip(int).zip(ext.iter_mut()) {
            *e = lim.to_external(i);
        }
    }

    /// The diagonal Jacobian dθ_k/dφ_k at internal `int`.
    pub fn jacobian_diag(&self, int: &[f64], out: &mut [f64]) {
        for ((lim, &i), d) in self.limits.iter().zip(int).zip(out.iter_mut()) {
            *d = lim.dext_dint(i);
        }
    }

    /// Internal step corresponding to an external step `ext_step` at internal `phi` for
    /// parameter `k` (first order, limited to a sensible range).
    pub fn internal_step(&self, k: usize, phi: f64, ext_step: f64) -> f64 {
        let lim = self.limits[k];
        let d = lim.dext_dint(phi).abs();
        let step = if d > 1e-12 {
            ext_step.abs() / d
        } else {
            ext_step.abs()
        };
        if lim.is_limited() {
            step.clamp(1e-8, 0.5)
        } else {
            step.max(1e-12)
        }
    }
}
