//! Numerical gradient in internal coordinates by central differences with per-parameter steps
//! refined from the diagonal second derivative (the MINUIT two-point scheme): the step aims at
//! a function change well above rounding noise, `√(dfmin/|g₂|)`, and the gradient is iterated
//! until it stabilises.

use super::cost::InternalCost;

/// Machine precision as MINUIT measures it (a few ulps of 1).
pub(crate) const EPS: f64 = 4.0 * f64::EPSILON;
/// `2·√EPS`: MINUIT's "eps2", the relative precision assumed for the statistic.
pub(crate) const EPS2: f64 = 5.96e-8;

/// Tolerances of the refinement (MINUIT strategy 1).
const NCYCLES: usize = 3;
const STEP_TOL: f64 = 0.3;
const GRAD_TOL: f64 = 0.05;

/// Gradient, diagonal second derivatives and the steps used, all in internal coordinates.
#[derive(Debug, Clone)]
pub(crate) struct Gradient {
    /// First derivatives.
    pub g: Vec<f64>,
    /// Diagonal second derivatives.
    pub g2: Vec<f64>,
    /// Steps of the last central difference.
    pub step: Vec<f64>,
}

impl Gradient {
    /// Seed from initial internal step sizes `d` (≈ one error): g₂ = 2·up/d², gradient 0.
    pub fn seed(d: &[f64], up: f64) -> Gradient {
        Gradient {
            g: vec![0.0; d.len()],
            g2: d.iter().map(|&s| 2.0 * up / (s * s)).collect(),
            step: d.iter().map(|&s| 0.1 * s).collect(),
        }
    }

    /// Refine the gradient at internal `x` (where the statistic is `fx`).
    pub fn update(&mut self, cost: &mut InternalCost<'_>, x: &mut [f64], fx: f64, up: f64) {
        let dfmin = 8.0 * EPS2 * (fx.abs() + up);
        let vrysml = 8.0 * EPS * EPS;
        for i in 0..x.len() {
            let limited = cost.transform().limits()[i].is_limited();
            let epspri = EPS2 + (self.g[i] * EPS2).abs();
            let mut step_before = 0.0;
            for _ in 0..NCYCLES {
                let optstp = (dfmin / (self.g2[i].abs() + epspri)).sqrt();
                let mut step = optstp.max((0.1 * self.step[i]).abs());
                if limited && step > 0.5 {
                    step = 0.5;
                }
                let stpmax = 10.0 * self.step[i].abs();
                if stpmax > 0.0 && step > stpmax {
                    step = stpmax;
                }
                let stpmin = vrysml.max(8.0 * (EPS2 * x[i]).abs());
                if step < stpmin {
                    step = stpmin;
                }
                if ((step - step_before) / step).abs() < STEP_TOL {
                    break;
                }
                self.step[i] = step;
                step_before = step;
                let fs1 = cost.eval_shifted(x, i, step);
                let fs2 = cost.eval_shifted(x, i, -step);
                let g_before = self.g[i];
                self.g[i] = 0.5 * (fs1 - fs2) / step;
                self.g2[i] = (fs1 + fs2 - 2.0 * fx) / (step * step);
                if (g_before - self.g[i]).abs() / (self.g[i].abs() + dfmin / step) < GRAD_TOL {
                    break;
                }
            }
        }
    }
}
