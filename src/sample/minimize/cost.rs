//! The statistic seen in internal (unbounded) coordinates: transforms, guards non-finite
//! values (→ 10¹⁰⁰ as iminuit's cost wrapper does), counts calls and remembers the best point.

use super::bounds::Transform;

/// Value used in place of a non-finite statistic.
pub const NON_FINITE_COST: f64 = 1e100;

/// A statistic `f(θ)` evaluated at internal coordinates φ.
pub(crate) struct InternalCost<'a> {
    f: &'a dyn Fn(&[f64]) -> f64,
    transform: &'a Transform,
    ext: Vec<f64>,
    /// Number of calls of `f` so far.
    pub nfev: usize,
    /// Lowest value seen and the internal point where it was seen.
    pub best: (f64, Vec<f64>),
}

impl<'a> InternalCost<'a> {
    /// Wrap `f` and the transformation.
    pub fn new(f: &'a dyn Fn(&[f64]) -> f64, transform: &'a Transform) -> InternalCost<'a> {
        let n = transform.len();
        InternalCost {
            f,
            transform,
            ext: vec![0.0; n],
            nfev: 0,
            best: (f64::INFINITY, vec![0.0; n]),
        }
    }

    /// The transformation in use.
    pub fn transform(&self) -> &Transform {
        self.transform
    }

    /// Evaluate at internal `int`.
    pub fn eval(&mut self, int: &[f64]) -> f64 {
        self.transform.to_external(int, &mut self.ext);
        let v = (self.f)(&self.ext);
        self.nfev += 1;
        let v = if v.is_finite() { v } else { NON_FINITE_COST };
        if v < self.best.0 {
            self.best.0 = v;
            self.best.1.copy_from_slice(int);
        }
        v
    }

    /// Evaluate with coordinate `k` of `int` replaced by `int[k] + delta` (restored after).
    pub fn eval_shifted(&mut self, int: &mut [f64], k: usize, delta: f64) -> f64 {
        let keep = int[k];
        int[k] = keep + delta;
        let v = self.eval(int);
        int[k] = keep;
        v
    }
}
