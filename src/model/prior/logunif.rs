//! `logunif(min, max[, loc, scale])`: flat in ln y on y ∈ [min, max] (inference.md §1.2).

use super::common::{check_finite, check_loc_scale, check_positive};
use super::{Family, Prior};
use crate::bail;
use crate::error::Result;

/// `logunif(min, max, loc, scale)`: flat in ln y on y ∈ [min, max], y = (x − loc)/scale.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Logunif {
    /// Lower end of y (> 0).
    pub min: f64,
    /// Upper end of y.
    pub max: f64,
    /// Shift.
    pub loc: f64,
    /// Scale.
    pub scale: f64,
}

impl Logunif {
    /// Flat in ln y on [min, max]; needs 0 < min < max and scale > 0.
    pub fn new(min: f64, max: f64, loc: f64, scale: f64) -> Result<Logunif> {
        check_positive("logunif", "min", min)?;
        check_finite("logunif", "max", max)?;
        if max <= min {
            bail!("logunif prior: zero or negative width: `min` ({min}) must be < `max` ({max})");
        }
        check_loc_scale("logunif", loc, scale)?;
        Ok(Logunif {
            min,
            max,
            loc,
            scale,
        })
    }
}

impl Prior {
    /// `logunif(min, max)` with the default loc = 0, scale = 1; needs 0 < min < max.
    pub fn logunif(min: f64, max: f64) -> Result<Prior> {
        Prior::logunif_loc_scale(min, max, 0.0, 1.0)
    }

    /// `logunif(min, max, loc, scale)`; needs 0 < min < max and scale > 0.
    pub fn logunif_loc_scale(min: f64, max: f64, loc: f64, scale: f64) -> Result<Prior> {
        Logunif::new(min, max, loc, scale).map(Prior::Logunif)
    }
}

impl Family for Logunif {
    const NAME: &'static str = "logunif";
    const SIGNATURE: &'static str = "min, max[, loc, scale]";
    const DOC: &'static str =
        "flat in ln y on y = (x - loc)/scale in [min, max], 0 < min < max; loc = 0, scale = 1 \
         by default";
    const EXAMPLE: &'static [f64] = &[0.1, 100.0];

    /// 2 arguments (default loc = 0, scale = 1) or 4.
    fn from_args(args: &[f64]) -> Result<Self> {
        match *args {
            [min, max] => Logunif::new(min, max, 0.0, 1.0),
            [min, max, loc, scale] => Logunif::new(min, max, loc, scale),
            _ => bail!(
                "logunif prior takes 2 or 4 arguments ({}), got {}",
                Self::SIGNATURE,
                args.len()
            ),
        }
    }

    fn args(&self) -> Vec<f64> {
        vec![self.min, self.max, self.loc, self.scale]
    }

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        (self.unstandardise(self.min), self.unstandardise(self.max))
    }

    fn pdf(&self, x: f64) -> f64 {
        let Logunif {
            min, max, scale, ..
        } = *self;
        let y = self.standardise(x);
        if y >= min && y <= max {
            1.0 / (y * (max / min).ln() * scale)
        } else {
            0.0
        }
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Logunif {
            min, max, scale, ..
        } = *self;
        let y = self.standardise(x);
        let ln_scale = scale.ln();
        if y >= min && y <= max {
            -y.ln() - (max / min).ln().ln() - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let Logunif { min, max, .. } = *self;
        let y = self.standardise(x);
        if y <= min {
            0.0
        } else if y >= max {
            1.0
        } else {
            (y / min).ln() / (max / min).ln()
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        let Logunif { min, max, .. } = *self;
        self.unstandardise(min * (q * (max / min).ln()).exp())
    }

    fn mean(&self) -> f64 {
        let Logunif {
            min,
            max,
            loc,
            scale,
        } = *self;
        loc + scale * (max - min) / (max / min).ln()
    }

    fn var(&self) -> f64 {
        let Logunif {
            min, max, scale, ..
        } = *self;
        let s2 = scale * scale;
        let l = (max / min).ln();
        let m1 = (max - min) / l;
        let m2 = (max * max - min * min) / (2.0 * l);
        s2 * (m2 - m1 * m1)
    }
}
