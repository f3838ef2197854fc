//! `gamma(a, loc, scale)`: the gamma distribution, shifted (inference.md §1.2).

use super::common::{check_loc_scale, check_positive, exact_args};
use super::{Family, Prior};
use crate::error::Result;
use crate::math::special::{gamma_lower, gamma_ppf, ln_gamma, xlogy};

/// `gamma(a, loc, scale)`: gamma with shape `a` and scale `scale` (= 1/rate), shifted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Gamma {
    /// Shape.
    pub a: f64,
    /// Shift.
    pub loc: f64,
    /// Scale (= 1/rate).
    pub scale: f64,
}

impl Gamma {
    /// Shape a > 0, shift, scale (= 1/rate) > 0.
    pub fn new(a: f64, loc: f64, scale: f64) -> Result<Gamma> {
        check_positive("gamma", "a", a)?;
        check_loc_scale("gamma", loc, scale)?;
        Ok(Gamma { a, loc, scale })
    }
}

impl Prior {
    /// `gamma(a, loc, scale)`: shape a > 0, shift, scale (= 1/rate) > 0.
    pub fn gamma(a: f64, loc: f64, scale: f64) -> Result<Prior> {
        Gamma::new(a, loc, scale).map(Prior::Gamma)
    }
}

impl Family for Gamma {
    const NAME: &'static str = "gamma";
    const SIGNATURE: &'static str = "a, loc, scale";
    const DOC: &'static str = "gamma with shape a > 0 and scale (= 1/rate), shifted by loc";
    const EXAMPLE: &'static [f64] = &[2.0, 0.0, 1.0];

    fn from_args(args: &[f64]) -> Result<Self> {
        let [a, loc, scale] = exact_args::<Self, 3>(args)?;
        Gamma::new(a, loc, scale)
    }

    fn args(&self) -> Vec<f64> {
        vec![self.a, self.loc, self.scale]
    }

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, f64::INFINITY)
    }

    fn pdf(&self, x: f64) -> f64 {
        self.logpdf(x).exp()
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
