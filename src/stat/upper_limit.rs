//! Upper-limit statistics `ULppstat` and `ULpgstat` (inference.md §3.7, bayspec 0.3.13).
//!
//! Per unit, with the expected counts n = Σ t_s m_i + Σ α_i B_i (α_i = t_s/t_b):
//! `ULppstat` uses Z = Li & Ma(n; N_B = Σ B_i, α), `ULpgstat` Z = Vianello(n; Σ α_i B_i,
//! √Σ(α_i σ_B,i)²); the unit statistic is (Z − Z*)² with one pseudo-residual Z − Z*.
//!
//! With per-bin efficiencies the Li & Ma α is the background-weighted mean
//! Σ α_i B_i / Σ B_i (the plain mean of α_i when Σ B_i = 0); with scalar efficiencies this is
//! exactly the reference's α = t_s/t_b.

use super::inputs::StatInputs;
use crate::math::significance::{li_ma, poisson_gaussian};

/// Significance Z and statistic (Z − Z*)² of one upper-limit unit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UpperLimitValue {
    /// Detection significance of the expected counts.
    pub significance: f64,
    /// Unit statistic (Z − Z*)².
    pub stat: f64,
    /// The single pseudo-residual Z − Z*.
    pub residual: f64,
}

/// Expected total counts n, summed background B, scaled background Σ α_i B_i, the scaled
/// background error √Σ(α_i σ_B,i)² and the mean α.
struct Sums {
    n: f64,
    n_b: f64,
    scaled_b: f64,
    scaled_sigma: f64,
    alpha_mean: f64,
}

fn sums(inp: &StatInputs, m: &[f64]) -> Sums {
    let mut sm = 0.0;
    let mut n_b = 0.0;
    let mut scaled_b = 0.0;
    let mut var = 0.0;
    let mut alpha_sum = 0.0;
    for (i, &mi) in m.iter().enumerate().take(inp.len()) {
        let ts = inp.ts_at(i);
        let alpha = ts / inp.tb_at(i);
        sm += ts * mi;
        n_b += inp.b[i];
        scaled_b += alpha * inp.b[i];
        let e = alpha * inp.sigma_b[i];
        var += e * e;
        alpha_sum += alpha;
    }
    let alpha_mean = if inp.is_empty() {
        inp.ts_at(0) / inp.tb_at(0)
    } else {
        alpha_sum / inp.len() as f64
    };
    Sums {
        n: sm + scaled_b,
        n_b,
        scaled_b,
        scaled_sigma: var.sqrt(),
        alpha_mean,
    }
}

fn finish(z: f64, target: f64) -> UpperLimitValue {
    let d = z - target;
    UpperLimitValue {
        significance: z,
        stat: d * d,
        residual: d,
    }
}

/// `ULppstat` of a unit for the target significance `target` (Z*, 3 by default).
pub fn ulppstat(inp: &StatInputs, m: &[f64], target: f64) -> UpperLimitValue {
    let t = sums(inp, m);
    let alpha = if t.n_b > 0.0 {
        t.scaled_b / t.n_b
    } else {
        t.alpha_mean
    };
    finish(li_ma(t.n, t.n_b, alpha), target)
}

/// `ULpgstat` of a unit for the target significance `target` (Z*, 3 by default).
pub fn ulpgstat(inp: &StatInputs, m: &[f64], target: f64) -> UpperLimitValue {
    let t = sums(inp, m);
    finish(poisson_gaussian(t.n, t.scaled_b, t.scaled_sigma), target)
}
