//! The bounding region new points are drawn from: the whole unit cube or a union of ellipsoids.

use super::ellipsoid::Ellipsoid;
use crate::error::{Error, Result};
use crate::math::log_add_exp;
use rand::RngExt;

/// Raw draws allowed for one accepted point before giving up (ellipsoids almost all outside
/// the cube).
const MAX_RAW_DRAWS: u64 = 10_000_000;

/// A union of ellipsoids with the cumulative volume fractions used to pick one.
#[derive(Debug, Clone)]
pub struct EllipsoidSet {
    /// The ellipsoids.
    pub ells: Vec<Ellipsoid>,
    /// ln of the summed volumes ΣV_k (overlaps and parts outside the cube counted).
    pub ln_total: f64,
    cumulative: Vec<f64>,
}

impl EllipsoidSet {
    /// Wrap a non-empty list of ellipsoids.
    pub fn new(ells: Vec<Ellipsoid>) -> Result<Self> {
        if ells.is_empty() {
            return Err(Error::new("nested sampling: empty ellipsoid set"));
        }
        let ln_total = ells
            .iter()
            .fold(f64::NEG_INFINITY, |acc, e| log_add_exp(acc, e.ln_volume));
        let mut acc = 0.0;
        let cumulative = ells
            .iter()
            .map(|e| {
                acc += (e.ln_volume - ln_total).exp();
                acc
            })
            .collect();
        Ok(EllipsoidSet {
            ells,
            ln_total,
            cumulative,
        })
    }

    /// Every ellipsoid's volume multiplied by e^{ln_factor}.
    pub fn scaled_volume(&self, ln_factor: f64) -> Result<Self> {
        let ells = self
            .ells
            .iter()
            .map(|e| e.scaled_volume(ln_factor))
            .collect::<Result<Vec<_>>>()?;
        EllipsoidSet::new(ells)
    }

    /// Whether x lies in at least one ellipsoid.
    pub fn contains(&self, x: &[f64]) -> bool {
        self.ells.iter().any(|e| e.contains(x))
    }

    /// Draw uniformly from (union of ellipsoids) ∩ cube into `out`; returns the number of raw
    /// draws used (the accepted one included).
    pub fn draw(&self, rng: &mut impl rand::Rng, out: &mut [f64]) -> Result<u64> {
        let mut raw = 0u64;
        loop {
            raw += 1;
            if raw > MAX_RAW_DRAWS {
                return Err(Error::new(
                    "nested sampling: the bounding ellipsoids lie outside the unit cube",
                ));
            }
            let r: f64 = rng.random();
            let k = self
                .cumulative
                .iter()
                .position(|&c| r < c)
                .unwrap_or(self.ells.len() - 1);
            self.ells[k].sample(rng, out);
            if out.iter().any(|&v| !(0.0..=1.0).contains(&v)) {
                continue;
            }
            if self.ells.len() > 1 {
                let ne = self.ells.iter().filter(|e| e.contains(out)).count().max(1);
                if ne > 1 && rng.random::<f64>() * ne as f64 >= 1.0 {
                    continue;
                }
            }
            return Ok(raw);
        }
    }
}

/// Draw uniformly in the unit cube.
pub fn draw_cube(rng: &mut impl rand::Rng, out: &mut [f64]) {
    for v in out.iter_mut() {
        *v = rng.random();
    }
}
