//! `norm(loc, scale)`: the normal distribution (inference.md §1.2).

use super::common::{check_loc_scale, exact_args};
use super::{Family, Prior};
use crate::error::Result;
use crate::math::special::{log_ndtr, ndtr, ndtri, LN_SQRT_2PI};

/// √(2π).
const SQRT_2PI: f64 = 2.506_628_274_631_000_7;

/// `norm(loc, scale)`: normal with mean `loc` and standard deviation `scale`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Norm {
    /// Mean.
    pub loc: f64,
    /// Standard deviation.
    pub scale: f64,
}

impl Norm {
    /// Normal with mean `loc` and standard deviation `scale` (> 0).
    pub fn new(loc: f64, scale: f64) -> Result<Norm> {
        check_loc_scale("norm", loc, scale)?;
        Ok(Norm { loc, scale })
    }
}

impl Prior {
    /// `norm(loc, scale)`: mean and standard deviation (> 0).
    pub fn norm(loc: f64, scale: f64) -> Result<Prior> {
        Norm::new(loc, scale).map(Prior::Norm)
    }
}

impl Family for Norm {
    const NAME: &'static str = "norm";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str = "normal with mean loc and standard deviation scale";
    const EXAMPLE: &'static [f64] = &[0.0, 1.0];

    fn from_args(args: &[f64]) -> Result<Self> {
        let [loc, scale] = exact_args::<Self, 2>(args)?;
        Norm::new(loc, scale)
    }

    fn args(&self) -> Vec<f64> {
        vec![self.loc, self.scale]
    }

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
