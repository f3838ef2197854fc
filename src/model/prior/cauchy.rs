//! `cauchy(loc, scale)`: the Cauchy (Lorentz) distribution (inference.md §1.2).

use std::f64::consts::PI;

use super::Family;

prior_family! {
    /// `cauchy(loc, scale)`: median and half width at half maximum.
    pub struct Cauchy {
        /// Median.
        loc: check_finite,
        /// Half width at half maximum.
        scale: check_positive,
    }
    /// `cauchy(loc, scale)`: median and half width at half maximum (> 0).
    pub fn cauchy;
}

impl Family for Cauchy {
    const NAME: &'static str = "cauchy";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str =
        "Cauchy with median loc and half width at half maximum scale; mean and variance are NaN";
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
        1.0 / (PI * self.scale * (1.0 + y * y))
    }

    fn logpdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        let ln_1py2 = if y.abs() > 1e150 {
            2.0 * y.abs().ln()
        } else {
            (y * y).ln_1p()
        };
        -PI.ln() - ln_1py2 - self.scale.ln()
    }

    fn cdf(&self, x: f64) -> f64 {
        1.0_f64.atan2(-self.standardise(x)) / PI
    }

    fn logcdf(&self, x: f64) -> f64 {
        1.0_f64.atan2(-self.standardise(x)).ln() - PI.ln()
    }

    fn ppf(&self, q: f64) -> f64 {
        let y = if q < 0.25 {
            -1.0 / (PI * q).tan()
        } else if q > 0.75 {
            1.0 / (PI * (1.0 - q)).tan()
        } else {
            (PI * (q - 0.5)).tan()
        };
        self.unstandardise(y)
    }

    fn median(&self) -> f64 {
        self.loc
    }

    fn mean(&self) -> f64 {
        f64::NAN
    }

    fn var(&self) -> f64 {
        f64::NAN
    }
}
