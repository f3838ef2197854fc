//! `lognorm(s, loc, scale)`: ln(x − loc) is normal (inference.md §1.2).

use super::Family;
use crate::math::special::{log_ndtr, ndtr, ndtri, LN_SQRT_2PI};

prior_family! {
    /// `lognorm(s, loc, scale)`: ln(x − loc) is normal with σ = `s` and median ln(`scale`).
    pub struct Lognorm {
        /// σ of ln(x − loc).
        s: check_positive,
        /// Shift.
        loc: check_finite,
        /// e^μ, the median of x − loc.
        scale: check_positive,
    }
    /// `lognorm(s, loc, scale)`: s > 0 is σ of ln(x − loc), scale > 0 its median.
    pub fn lognorm;
}

impl Family for Lognorm {
    const NAME: &'static str = "lognorm";
    const SIGNATURE: &'static str = "s, loc, scale";
    const DOC: &'static str =
        "ln(x - loc) is normal with standard deviation s; scale is the median of x - loc";
    const EXAMPLE: &'static [f64] = &[0.5, 0.0, 1.0];

    positional_args!(s, loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.loc, f64::INFINITY)
    }

    fn logpdf(&self, x: f64) -> f64 {
        let s = self.s;
        let y = self.standardise(x);
        let ln_scale = self.scale.ln();
        if y > 0.0 {
            let ly = y.ln();
            -0.5 * (ly / s) * (ly / s) - s.ln() - ly - LN_SQRT_2PI - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y <= 0.0 {
            0.0
        } else {
            ndtr(y.ln() / self.s)
        }
    }

    fn logcdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y <= 0.0 {
            f64::NEG_INFINITY
        } else {
            log_ndtr(y.ln() / self.s)
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise((self.s * ndtri(q)).exp())
    }

    fn median(&self) -> f64 {
        self.loc + self.scale
    }

    fn mean(&self) -> f64 {
        let Lognorm { s, loc, scale } = *self;
        loc + scale * (0.5 * s * s).exp()
    }

    fn var(&self) -> f64 {
        let Lognorm { s, scale, .. } = *self;
        let s2 = scale * scale;
        s2 * (s * s).exp_m1() * (s * s).exp()
    }
}
