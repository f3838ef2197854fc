//! `unif(min, max)`: flat on [min, max] (inference.md §1.2).

use super::common::check_finite;
use super::Family;
use crate::bail;
use crate::error::Result;

prior_family! {
    /// `unif(min, max)`: flat on [min, max].
    pub struct Unif {
        /// Lower end.
        min,
        /// Upper end.
        max,
    }
    /// `unif(min, max)`: flat on [min, max]; needs finite min < max.
    pub fn unif;
}

impl Unif {
    /// Flat on [min, max]; needs finite min < max.
    pub fn new(min: f64, max: f64) -> Result<Unif> {
        check_finite("unif", "min", min)?;
        check_finite("unif", "max", max)?;
        if max <= min {
            bail!("unif prior: zero or negative width: `min` ({min}) must be < `max` ({max})");
        }
        Ok(Unif { min, max })
    }
}


impl Family for Unif {
    const NAME: &'static str = "unif";
    const SIGNATURE: &'static str = "min, max";
    const DOC: &'static str = "flat between its ends min < max";
    const EXAMPLE: &'static [f64] = &[-2.0, 2.0];

    positional_args!(min, max);

    fn loc_scale(&self) -> (f64, f64) {
        (self.min, self.max - self.min)
    }

    fn support(&self) -> (f64, f64) {
        (self.min, self.max)
    }

    fn pdf(&self, x: f64) -> f64 {
        let Unif { min, max } = *self;
        if x >= min && x <= max {
            1.0 / (max - min)
        } else {
            0.0
        }
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Unif { min, max } = *self;
        if x >= min && x <= max {
            -(max - min).ln()
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let Unif { min, max } = *self;
        if x <= min {
            0.0
        } else if x >= max {
            1.0
        } else {
            (x - min) / (max - min)
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(q)
    }

    fn median(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    fn mean(&self) -> f64 {
        0.5 * (self.min + self.max)
    }

    fn var(&self) -> f64 {
        let Unif { min, max } = *self;
        (max - min) * (max - min) / 12.0
    }
}
