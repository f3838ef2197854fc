//! `expon(loc, scale)`: the exponential distribution, shifted (inference.md §1.2).

use std::f64::consts::LN_2;

use super::Family;

prior_family! {
    /// `expon(loc, scale)`: exponential with mean `scale`, shifted by `loc`.
    pub struct Expon {
        /// Shift.
        loc: check_finite,
        /// Mean (= 1/rate).
        scale: check_positive,
    }
    /// `expon(loc, scale)`: shift and mean (> 0).
    pub fn expon;
}

impl Family for Expon {
    const NAME: &'static str = "expon";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str = "exponential with mean scale (= 1/rate), shifted by loc";
    const EXAMPLE: &'static [f64] = &[0.0, 1.0];

    positional_args!(loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, f64::INFINITY)
    }

    fn pdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y >= 0.0 {
            (-y).exp() / self.scale
        } else {
            0.0
        }
    }

    fn logpdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        let ln_scale = self.scale.ln();
        if y >= 0.0 {
            -y - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y <= 0.0 {
            0.0
        } else {
            -(-y).exp_m1()
        }
    }

    fn logcdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y <= 0.0 {
            f64::NEG_INFINITY
        } else {
            (-(-y).exp_m1()).ln()
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(-(-q).ln_1p())
    }

    fn median(&self) -> f64 {
        self.loc + self.scale * LN_2
    }

    fn mean(&self) -> f64 {
        self.loc + self.scale
    }

    fn var(&self) -> f64 {
        self.scale * self.scale
    }
}
