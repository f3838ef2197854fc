//! `plaw(a, loc, scale)`: SciPy's bounded, positive-index `powerlaw` (inference.md §1.2), not
//! an astrophysical power law.

use super::Family;

prior_family! {
    /// `plaw(a, loc, scale)`: SciPy's `powerlaw`, density ∝ y^(a−1) on (0, 1].
    pub struct Plaw {
        /// Positive index.
        a: check_positive,
        /// Lower end.
        loc: check_finite,
        /// Width.
        scale: check_positive,
    }
    /// `plaw(a, loc, scale)`: SciPy `powerlaw(a)`, a > 0, on [loc, loc + scale].
    pub fn plaw;
}

impl Family for Plaw {
    const NAME: &'static str = "plaw";
    const SIGNATURE: &'static str = "a, loc, scale";
    const DOC: &'static str =
        "SciPy's powerlaw: density proportional to y^(a-1) on [loc, loc + scale], a > 0";
    const EXAMPLE: &'static [f64] = &[2.0, 0.0, 1.0];

    positional_args!(a, loc, scale);

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
