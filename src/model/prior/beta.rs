//! `beta(a, b, loc, scale)`: the beta distribution on [loc, loc + scale] (inference.md §1.2).

use super::common::{check_loc_scale, check_positive, exact_args};
use super::{Family, Prior};
use crate::error::Result;
use crate::math::special::{beta_ppf, beta_reg, ln_beta, xlog1py, xlogy};

/// `beta(a, b, loc, scale)`: beta distribution on [loc, loc + scale].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Beta {
    /// First shape parameter.
    pub a: f64,
    /// Second shape parameter.
    pub b: f64,
    /// Lower end.
    pub loc: f64,
    /// Width.
    pub scale: f64,
}

impl Beta {
    /// Shapes a, b > 0 on [loc, loc + scale], scale > 0.
    pub fn new(a: f64, b: f64, loc: f64, scale: f64) -> Result<Beta> {
        check_positive("beta", "a", a)?;
        check_positive("beta", "b", b)?;
        check_loc_scale("beta", loc, scale)?;
        Ok(Beta { a, b, loc, scale })
    }
}

impl Prior {
    /// `beta(a, b, loc, scale)`: shapes a, b > 0 on [loc, loc + scale].
    pub fn beta(a: f64, b: f64, loc: f64, scale: f64) -> Result<Prior> {
        Beta::new(a, b, loc, scale).map(Prior::Beta)
    }
}

impl Family for Beta {
    const NAME: &'static str = "beta";
    const SIGNATURE: &'static str = "a, b, loc, scale";
    const DOC: &'static str = "beta with shapes a, b > 0 on [loc, loc + scale]";
    const EXAMPLE: &'static [f64] = &[2.0, 2.0, 0.0, 1.0];

    fn from_args(args: &[f64]) -> Result<Self> {
        let [a, b, loc, scale] = exact_args::<Self, 4>(args)?;
        Beta::new(a, b, loc, scale)
    }

    fn args(&self) -> Vec<f64> {
        vec![self.a, self.b, self.loc, self.scale]
    }

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, self.loc + self.scale)
    }

    fn pdf(&self, x: f64) -> f64 {
        self.logpdf(x).exp()
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
