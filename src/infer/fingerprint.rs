//! The fingerprint of a compiled likelihood: everything that decides a sampler's result, taken
//! from the plan itself so that nothing the likelihood sees can change unnoticed.
//!
//! One entry per data unit (its fit bins: counts, background, errors, efficiencies, the reduced
//! response, the energy grid, the statistic and weight, and the nuisance slots), one per pair's
//! model (expression, configuration values, and every parameter slot: frozen values and which
//! free parameter a linked one follows), one for the priors and ranges of the free parameters,
//! and one naming user functions that replace built-ins (their code cannot be digested: a
//! changed user function is not detected).

use super::plan::{Plan, Slot};
use crate::format::sig4;
use crate::sample::fingerprint::{Digest, Fingerprint};

fn slot(d: &mut Digest, s: Slot) {
    match s {
        Slot::Fixed(v) => d.u64(0).f64(v),
        Slot::Free(i) => d.u64(1).u64(i as u64),
    };
}

impl Plan {
    /// The problem's fingerprint (see the module docs).
    pub fn fingerprint(&self) -> Fingerprint {
        let mut fp = Fingerprint::new();
        for (ip, pair) in self.pairs().iter().enumerate() {
            for unit in &pair.units {
                let grid = &pair.grids[unit.grid];
                let mut d = Digest::new();
                d.str(&unit.name)
                    .str(&format!("{:?}", unit.stat))
                    .f64(unit.weight)
                    .u64(unit.nbin as u64)
                    .f64s(&grid.e_lo)
                    .f64s(&grid.e_hi)
                    .f64(grid.time.unwrap_or(f64::NAN))
                    .f64s(&unit.drm)
                    .f64s(&unit.s)
                    .f64s(&unit.b)
                    .f64s(&unit.sigma_s)
                    .f64s(&unit.sigma_b)
                    .f64s(&unit.ts)
                    .f64s(&unit.tb);
                for s in [unit.sf, unit.bf, unit.rf] {
                    slot(&mut d, s);
                }
                let counts: f64 = unit.s.iter().sum();
                let range = match (grid.e_lo.first(), grid.e_hi.last()) {
                    (Some(lo), Some(hi)) => format!(", model grid {}–{} keV", sig4(*lo), sig4(*hi)),
                    _ => String::new(),
                };
                fp.push(
                    format!("data '{}' (pair {})", unit.name, ip + 1),
                    &d,
                    format!(
                        "{} fit bins, {} counts{range}, {}",
                        unit.nbin,
                        sig4(counts),
                        unit.stat.name()
                    ),
                );
            }
            let mut d = Digest::new();
            d.str(pair.model.expr())
                .str(&format!("{:?}", pair.model.cfg_values()));
            d.u64(pair.pars.len() as u64);
            for &s in &pair.pars {
                slot(&mut d, s);
            }
            let frozen = pair
                .pars
                .iter()
                .filter(|s| matches!(s, Slot::Fixed(_)))
                .count();
            fp.push(
                format!("model (pair {})", ip + 1),
                &d,
                format!(
                    "{}, {} parameters, {frozen} fixed",
                    pair.model.expr(),
                    pair.pars.len()
                ),
            );
        }
        let mut d = Digest::new();
        d.u64(self.priors.len() as u64);
        let mut texts = Vec::new();
        for (p, (lo, hi)) in self.priors.iter().zip(&self.ranges) {
            let t = p.to_string();
            d.str(&t).f64(*lo).f64(*hi);
            texts.push(t);
        }
        fp.push("priors", &d, texts.join(", "));
        let custom = self.custom_overrides();
        if !custom.is_empty() {
            let mut d = Digest::new();
            for c in &custom {
                d.str(c);
            }
            fp.push("user functions", &d, custom.join(", "));
        }
        fp
    }
}
