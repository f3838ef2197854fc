//! `gamma(a, loc, scale)`: the gamma distribution, shifted (inference.md §1.2).

use super::Family;
use crate::math::special::{gamma_lower, gamma_ppf, ln_gamma, xlogy};

prior_family! {
    /// `gamma(a, loc, scale)`: gamma with shape `a` and scale `scale` (= 1/rate), shifted.
    pub struct Gamma {
        /// Shape.
        a: check_positive,
        /// Shift.
        loc: check_finite,
        /// Scale (= 1/rate).
        scale: check_positive,
    }
    /// `gamma(a, loc, scale)`: shape a > 0, shift, scale (= 1/rate) > 0.
    pub fn gamma;
}

impl Family for Gamma {
    const NAME: &'static str = "gamma";
    const SIGNATURE: &'static str = "a, loc, scale";
    const DOC: &'static str = "gamma with shape a > 0 and scale (= 1/rate), shifted by loc";
    const EXAMPLE: &'static [f64] = &[2.0, 0.0, 1.0];

    positional_args!(a, loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, f64::INFINITY)
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Gamma { a, scale, .. } = *self;
        let y = self.standardise(x);
        let ln_scale = scale.ln();
        if y >= 0.0 {
            xlogy(a - 1.0, y) - y - ln_gamma(a) - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        gamma_lower(self.a, self.standardise(x))
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(gamma_ppf(self.a, q))
    }

    fn mean(&self) -> f64 {
        let Gamma { a, loc, scale } = *self;
        loc + scale * a
    }

    fn var(&self) -> f64 {
        let Gamma { a, scale, .. } = *self;
        let s2 = scale * scale;
        s2 * a
    }
}
