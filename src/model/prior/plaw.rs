//! `plaw(a, loc, scale)`: SciPy's bounded, positive-index `powerlaw` (inference.md §1.2), not
//! an astrophysical power law.

use super::common::{check_loc_scale, check_positive, exact_args};
use super::{Family, Prior};
use crate::error::Result;

/// `plaw(a, loc, scale)`: SciPy's `powerlaw`, density ∝ y^(a−1) on (0, 1].
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Plaw {
    /// Positive index.
    pub a: f64,
    /// Lower end.
    pub loc: f64,
    /// Width.
    pub scale: f64,
}

impl Plaw {
    /// SciPy `powerlaw(a)`, a > 0, on [loc, loc + scale], scale > 0.
    pub fn new(a: f64, loc: f64, scale: f64) -> Result<Plaw> {
        check_positive("plaw", "a", a)?;
        check_loc_scale("plaw", loc, scale)?;
        Ok(Plaw { a, loc, scale })
    }
}

impl Prior {
    /// `plaw(a, loc, scale)`: SciPy `powerlaw(a)`, a > 0, on [loc, loc + scale].
    pub fn plaw(a: f64, loc: f64, scale: f64) -> Result<Prior> {
        Plaw::new(a, loc, scale).map(Prior::Plaw)
    }
}

impl Family for Plaw {
    const NAME: &'static str = "plaw";
    const SIGNATURE: &'static str = "a, loc, scale";
    const DOC: &'static str =
        "SciPy's powerlaw: density proportional to y^(a-1) on [loc, loc + scale], a > 0";
    const EXAMPLE: &'static [f64] = &[2.0, 0.0, 1.0];

    fn from_args(args: &[f64]) -> Result<Self> {
        let [a, loc, scale] = exact_args::<Self, 3>(args)?;
        Plaw::new(a, loc, scale)
    }

    fn args(&self) -> Vec<f64> {
        vec![self.a, self.loc, self.scale]
    }

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, self.loc + self.scale)
    }

    fn pdf(&self, x: f64) -> f64 {
        let Plaw { a, scale, .. } = *self;
        let y = self.standardise(x);
        if y > 0.0 && y <= 1.0 {
            a * y.powf(a - 1.0) / scale
        } else {
            0.0
        }
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Plaw { a, scale, .. } = *self;
        let y = self.standardise(x);
        let ln_scale = scale.ln();
        if y > 0.0 && y <= 1.0 {
            a.ln() + (a - 1.0) * y.ln() - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let a = self.a;
        let y = self.standardise(x);
        if y <= 0.0 {
            0.0
        } else if y >= 1.0 {
            1.0
        } else {
            y.powf(a)
        }
    }

    fn logcdf(&self, x: f64) -> f64 {
        let a = self.a;
        let y = self.standardise(x);
        if y <= 0.0 {
            f64::NEG_INFINITY
        } else if y >= 1.0 {
            0.0
        } else {
            a * y.ln()
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(q.powf(1.0 / self.a))
    }

    fn mean(&self) -> f64 {
        let Plaw { a, loc, scale } = *self;
        loc + scale * a / (a + 1.0)
    }

    fn var(&self) -> f64 {
        let Plaw { a, scale, .. } = *self;
        let s2 = scale * scale;
        s2 * a / ((a + 2.0) * (a + 1.0) * (a + 1.0))
    }
}
