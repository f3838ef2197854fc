//! `expon(loc, scale)`: the exponential distribution, shifted (inference.md §1.2).

use std::f64::consts::LN_2;

use super::common::{check_loc_scale, exact_args};
use super::{Family, Prior};
use crate::error::Result;

/// `expon(loc, scale)`: exponential with mean `scale`, shifted by `loc`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Expon {
    /// Shift.
    pub loc: f64,
    /// Mean (= 1/rate).
    pub scale: f64,
}

impl Expon {
    /// Shift `loc` and mean `scale` (> 0).
    pub fn new(loc: f64, scale: f64) -> Result<Expon> {
        check_loc_scale("expon", loc, scale)?;
        Ok(Expon { loc, scale })
    }
}

impl Prior {
    /// `expon(loc, scale)`: shift and mean (> 0).
    pub fn expon(loc: f64, scale: f64) -> Result<Prior> {
        Expon::new(loc, scale).map(Prior::Expon)
    }
}

impl Family for Expon {
    const NAME: &'static str = "expon";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str = "exponential with mean scale (= 1/rate), shifted by loc";
    const EXAMPLE: &'static [f64] = &[0.0, 1.0];

    fn from_args(args: &[f64]) -> Result<Self> {
        let [loc, scale] = exact_args::<Self, 2>(args)?;
        Expon::new(loc, scale)
    }

    fn args(&self) -> Vec<f64> {
        vec![self.loc, self.scale]
    }

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
