//! Importance nested sampling (Feroz, Hobson, Cameron & Pettitt 2019): every evaluated point is
//! an importance-sampling draw from the mixture of the regions it was drawn from.

use super::bound::EllipsoidSet;
use super::cluster::logaddexp;
use rayon::prelude::*;

/// One sampling epoch: the cube (region `None`) or an ellipsoid set used between two rebuilds.
#[derive(Debug, Clone)]
pub struct Epoch {
    /// The region (None = unit cube).
    pub region: Option<EllipsoidSet>,
    /// Number of evaluated points drawn from it.
    pub n_eval: u64,
    /// Raw draws (including those rejected by the cube and the 1/n_e test).
    pub raw: u64,
}

impl Epoch {
    /// ln(n_j / V_j) where V_j is the volume of (region ∩ cube), estimated for ellipsoids as
    /// ΣV_k × n_j / raw_j (so n_j / V_j = raw_j / ΣV_k).
    fn ln_density_weight(&self) -> Option<f64> {
        if self.n_eval == 0 {
            return None;
        }
        Some(match &self.region {
            None => (self.n_eval as f64).ln(),
            Some(set) => (self.raw as f64).ln() - set.ln_total,
        })
    }
}

/// The INS estimate: ln Z_INS and its error, from the evaluated points (`u` flat, row length
/// `d`), their ln L and the epoch each was drawn from.
pub fn ins_evidence(
    epochs: &[Epoch],
    u: &[f64],
    logl: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> (f64, f64) {
    let ntot = logl.len();
    if ntot == 0 {
        return (f64::NAN, f64::NAN);
    }
    let weights: Vec<Option<f64>> = epochs.iter().map(Epoch::ln_density_weight).collect();
    let ln_ntot = (ntot as f64).ln();
    // Sum the mixture in linear scale relative to the largest weight (falling back to log
    // space if every term a point sees underflows).
    let wmax = weights
        .iter()
        .flatten()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    let linear: Vec<f64> = weights
        .iter()
        .map(|w| w.map_or(0.0, |w| (w - wmax).exp()))
        .collect();
    let inside = |j: usize, own: usize, x: &[f64]| {
        j == own
            || match &epochs[j].region {
                None => true,
                Some(set) => set.contains(x),
            }
    };
    let ln_omega: Vec<f64> = (0..ntot)
        .into_par_iter()
        .with_min_len(256)
        .map(|k| {
            if logl[k] == f64::NEG_INFINITY {
                return f64::NEG_INFINITY;
            }
            let x = &u[k * d..(k + 1) * d];
            let own = epoch_of[k] as usize;
            let mut g = 0.0;
            let mut any = false;
            for (j, w) in weights.iter().enumerate() {
                if w.is_some() && inside(j, own, x) {
                    g += linear[j];
                    any = true;
                }
            }
            let ln_g = if g > 0.0 {
                wmax + g.ln()
            } else if any {
                let mut lg = f64::NEG_INFINITY;
                for (j, w) in weights.iter().enumerate() {
                    if let Some(w) = *w {
                        if inside(j, own, x) {
                            lg = logaddexp(lg, w);
                        }
                    }
                }
                lg
            } else {
                return f64::NEG_INFINITY;
            };
            logl[k] - (ln_g - ln_ntot)
        })
        .collect();
    let mut ln_sum = f64::NEG_INFINITY;
    let mut ln_sum2 = f64::NEG_INFINITY;
    for &w in &ln_omega {
        ln_sum = logaddexp(ln_sum, w);
        ln_sum2 = logaddexp(ln_sum2, 2.0 * w);
    }
    if ln_sum == f64::NEG_INFINITY {
        return (f64::NEG_INFINITY, f64::NAN);
    }
    let ln_z = ln_sum - ln_ntot;
    let rel2 = (ln_sum2 - 2.0 * ln_sum).exp() - 1.0 / ntot as f64;
    (ln_z, rel2.max(0.0).sqrt())
}
