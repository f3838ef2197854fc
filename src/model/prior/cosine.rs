//! `cosine(loc, scale)`: a raised cosine (inference.md §1.2). Its quantile is polished by a
//! bracketed Newton iteration on the appropriate tail.

use std::f64::consts::PI;

use super::Family;
use crate::math::special::newton_bracketed;

/// π − `PI` (the low part of π in double-double form).
const PI_LO: f64 = 1.224_646_799_147_353_2e-16;

prior_family! {
    /// `cosine(loc, scale)`: raised cosine on [loc − π·scale, loc + π·scale].
    pub struct Cosine {
        /// Centre.
        loc: check_finite,
        /// Scale.
        scale: check_positive,
    }
    /// `cosine(loc, scale)`: raised cosine on [loc − π·scale, loc + π·scale].
    pub fn cosine;
}

impl Family for Cosine {
    const NAME: &'static str = "cosine";
    const SIGNATURE: &'static str = "loc, scale";
    const DOC: &'static str = "raised cosine on [loc - pi·scale, loc + pi·scale]";
    const EXAMPLE: &'static [f64] = &[0.0, 1.0];

    positional_args!(loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        let Cosine { loc, scale } = *self;
        (loc - PI * scale, loc + PI * scale)
    }

    fn pdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        // SciPy's formula (1 + cos y)/(2π), kept for parity with the reference: it loses
        // relative precision only where the density is < 1e-10 of its peak.
        if y.abs() <= PI {
            (1.0 + y.cos()) / (2.0 * PI * self.scale)
        } else {
            0.0
        }
    }

    fn logpdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        let ln_scale = self.scale.ln();
        if y.abs() <= PI {
            y.cos().ln_1p() - (2.0 * PI).ln() - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let y = self.standardise(x);
        if y <= -PI {
            0.0
        } else if y >= PI {
            1.0
        } else if y <= 0.0 {
            cosine_lower_mass(y)
        } else {
            1.0 - cosine_lower_mass(-y)
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(cosine_ppf(q))
    }

    fn median(&self) -> f64 {
        self.loc
    }

    fn mean(&self) -> f64 {
        self.loc
    }

    fn var(&self) -> f64 {
        let s2 = self.scale * self.scale;
        s2 * (PI * PI / 3.0 - 2.0)
    }
}

// ------------------------------------------------------------------------------------------
// Special functions of the standard cosine
// ------------------------------------------------------------------------------------------

/// d − sin d without cancellation for small d.
fn d_minus_sin(d: f64) -> f64 {
    if d.abs() < 0.25 {
        let d2 = d * d;
        // d³/6 − d⁵/120 + d⁷/5040 − d⁹/362880 + d¹¹/39916800 − d¹³/6227020800
        d * d2
            * (1.0 / 6.0
                - d2 * (1.0 / 120.0
                    - d2 * (1.0 / 5040.0
                        - d2 * (1.0 / 362_880.0
                            - d2 * (1.0 / 39_916_800.0 - d2 / 6_227_020_800.0)))))
    } else {
        d - d.sin()
    }
}

/// Standard cosine cdf for −π ≤ y ≤ 0: (π + y + sin y)/(2π) = (d − sin d)/(2π), d = π + y.
fn cosine_lower_mass(y: f64) -> f64 {
    let d = (PI + y) + PI_LO;
    d_minus_sin(d) / (2.0 * PI)
}

/// Standard cosine quantile for 0 < q < 1.
fn cosine_ppf(q: f64) -> f64 {
    if q == 0.5 {
        return 0.0;
    }
    if q > 0.5 {
        return -cosine_ppf(1.0 - q);
    }
    if q < 0.25 {
        // Tail: solve d − sin d = 2πq for d = π + y in (0, π).
        let target = 2.0 * PI * q;
        let d0 = (6.0 * target).cbrt();
        let d = newton_bracketed(
            |d| {
                let s = (0.5 * d).sin();
                (d_minus_sin(d) - target, 2.0 * s * s)
            },
            0.0,
            PI,
            d0,
        );
        (d - PI) - PI_LO
    } else {
        // Centre: solve y + sin y = π(2q − 1) for y in (−π, 0].
        let target = PI * (2.0 * q - 1.0);
        newton_bracketed(
            |y| {
                let c = (0.5 * y).cos();
                (y + y.sin() - target, 2.0 * c * c)
            },
            -PI,
            0.0,
            0.5 * target,
        )
    }
}
