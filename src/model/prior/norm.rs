//! `norm(loc, scale)`: the normal distribution (inference.md §1.2).

use super::Family;
use crate::math::special::{log_ndtr, ndtr, ndtri, LN_SQRT_2PI};

/// √(2π).
const SQRT_2PI: f64 = 2.506_628_274_631_000_7;

prior_family! {
    /// `norm(loc, scale)`: normal with mean `loc` and standard deviation `scale`.
    pub struct Norm {
        /// Mean.
        loc: check_finite,
        /// Standard deviation.
        scale: check_positive,
    }
    /// `norm(loc, scale)`: mean and standard deviation (> 0).
    pub fn norm;
}

impl Family for Norm {
    const NAME: &'static str = "norm";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str = "normal with mean loc and standard deviation scale";
    const EXAMPLE: &'static [f64] = &[0.0, 1.0];

    positional_args!(loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (f64::NEG_INFINITY, f64::INFINITY)
    }

    fn pdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        (-0.5 * y * y).exp() / (SQRT_2PI * self.scale)
    }

    fn logpdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        -0.5 * y * y - LN_SQRT_2PI - self.scale.ln()
    }

    fn cdf(&self, x: f64) -> f64 {
        ndtr(self.standardise(x))
    }

    fn logcdf(&self, x: f64) -> f64 {
        log_ndtr(self.standardise(x))
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(ndtri(q))
    }

    fn median(&self) -> f64 {
        self.loc
    }

    fn mean(&self) -> f64 {
        self.loc
    }

    fn var(&self) -> f64 {
        self.scale * self.scale
    }
}
