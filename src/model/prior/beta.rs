//! `beta(a, b, loc, scale)`: the beta distribution on [loc, loc + scale] (inference.md §1.2).

use super::Family;
use crate::math::special::{beta_ppf, beta_reg, ln_beta, xlog1py, xlogy};

prior_family! {
    /// `beta(a, b, loc, scale)`: beta distribution on [loc, loc + scale].
    pub struct Beta {
        /// First shape parameter.
        a: check_positive,
        /// Second shape parameter.
        b: check_positive,
        /// Lower end.
        loc: check_finite,
        /// Width.
        scale: check_positive,
    }
    /// `beta(a, b, loc, scale)`: shapes a, b > 0 on [loc, loc + scale].
    pub fn beta;
}

impl Family for Beta {
    const NAME: &'static str = "beta";
    const SIGNATURE: &'static str = "a, b, loc, scale";
    const DOC: &'static str = "beta with shapes a, b > 0 on [loc, loc + scale]";
    const EXAMPLE: &'static [f64] = &[2.0, 2.0, 0.0, 1.0];

    positional_args!(a, b, loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, self.loc + self.scale)
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Beta { a, b, scale, .. } = *self;
        let y = self.standardise(x);
        let ln_scale = scale.ln();
        if (0.0..=1.0).contains(&y) {
            xlogy(a - 1.0, y) + xlog1py(b - 1.0, -y) - ln_beta(a, b) - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        beta_reg(self.a, self.b, self.standardise(x))
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(beta_ppf(self.a, self.b, q))
    }

    fn mean(&self) -> f64 {
        let Beta { a, b, loc, scale } = *self;
        loc + scale * a / (a + b)
    }

    fn var(&self) -> f64 {
        let Beta { a, b, scale, .. } = *self;
        let s2 = scale * scale;
        s2 * a * b / ((a + b) * (a + b) * (a + b + 1.0))
    }
}
