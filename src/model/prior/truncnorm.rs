//! `truncnorm(a, b, loc, scale)`: a normal truncated to [a, b] in standardised units
//! (inference.md §1.2). Tails are handled in log space on the survival side.

use super::common::check_loc_scale;
use super::Family;
use crate::bail;
use crate::error::Result;
use crate::math::log_add_exp;
use crate::math::special::{inv_log_ndtrc, ln_phi, log_ndtrc, ndtr, ndtrc, ndtri, LN_SQRT_2PI};

prior_family! {
    /// `truncnorm(a, b, loc, scale)`: normal truncated to y ∈ [a, b] (standardised units).
    pub struct Truncnorm {
        /// Lower truncation point in standardised units (may be −∞).
        a,
        /// Upper truncation point in standardised units (may be +∞).
        b,
        /// Mean of the parent normal.
        loc,
        /// Standard deviation of the parent normal.
        scale,
    }
    /// `truncnorm(a, b, loc, scale)`: a < b in standardised units (a may be −∞, b +∞).
    pub fn truncnorm;
}

impl Truncnorm {
    /// a < b in standardised units (a may be −∞, b +∞), scale > 0.
    pub fn new(a: f64, b: f64, loc: f64, scale: f64) -> Result<Truncnorm> {
        if a.is_nan() || a == f64::INFINITY {
            bail!("truncnorm prior: argument `a` must be a number below +inf, got {a}");
        }
        if b.is_nan() || b == f64::NEG_INFINITY {
            bail!("truncnorm prior: argument `b` must be a number above -inf, got {b}");
        }
        if b <= a {
            bail!("truncnorm prior: zero or negative width: `a` ({a}) must be < `b` ({b})");
        }
        check_loc_scale("truncnorm", loc, scale)?;
        Ok(Truncnorm { a, b, loc, scale })
    }
}


impl Family for Truncnorm {
    const NAME: &'static str = "truncnorm";
    const SIGNATURE: &'static str = "a, b, loc, scale";
    const DOC: &'static str =
        "normal with mean loc and standard deviation scale, truncated to y = (x - loc)/scale in \
         [a, b]: a, b are in standard units";
    const EXAMPLE: &'static [f64] = &[-1.0, 1.0, 0.0, 1.0];

    positional_args!(a, b, loc, scale);

    fn loc_scale(&self) -> (f64, f64) {
        (self.loc, self.scale)
    }

    fn support(&self) -> (f64, f64) {
        let Truncnorm { a, b, loc, scale } = *self;
        (loc + scale * a, loc + scale * b)
    }

    fn logpdf(&self, x: f64) -> f64 {
        let Truncnorm { a, b, scale, .. } = *self;
        let y = self.standardise(x);
        let ln_scale = scale.ln();
        if y >= a && y <= b {
            -0.5 * y * y - LN_SQRT_2PI - truncnorm_ln_mass(a, b) - ln_scale
        } else {
            f64::NEG_INFINITY
        }
    }

    fn cdf(&self, x: f64) -> f64 {
        let Truncnorm { a, b, .. } = *self;
        let y = self.standardise(x);
        if y <= a {
            0.0
        } else if y >= b {
            1.0
        } else {
            truncnorm_cdf(a, b, y)
        }
    }

    fn ppf(&self, q: f64) -> f64 {
        self.unstandardise(truncnorm_ppf(self.a, self.b, q))
    }

    fn mean(&self) -> f64 {
        let Truncnorm { a, b, loc, scale } = *self;
        loc + scale * truncnorm_moments(a, b).0
    }

    fn var(&self) -> f64 {
        let Truncnorm { a, b, scale, .. } = *self;
        let s2 = scale * scale;
        s2 * truncnorm_moments(a, b).1
    }
}

// ------------------------------------------------------------------------------------------
// Special functions of the standard truncnorm
// ------------------------------------------------------------------------------------------

/// For a ≥ 0 (both ends in the upper half): (ln S(a), ln S(b), ln Z) with S = 1 − Φ.
fn truncnorm_right_parts(a: f64, b: f64) -> (f64, f64, f64) {
    let lsa = log_ndtrc(a);
    let lsb = log_ndtrc(b);
    let ln_z = lsa + (-(lsb - lsa).exp_m1()).ln();
    (lsa, lsb, ln_z)
}

/// ln(Φ(b) − Φ(a)).
fn truncnorm_ln_mass(a: f64, b: f64) -> f64 {
    if a >= 0.0 {
        truncnorm_right_parts(a, b).2
    } else if b <= 0.0 {
        truncnorm_right_parts(-b, -a).2
    } else {
        (1.0 - ndtr(a) - ndtrc(b)).ln()
    }
}

/// Survival function of the standard truncnorm with a ≥ 0, for a < y < b.
fn truncnorm_right_sf(a: f64, b: f64, y: f64) -> f64 {
    let (_, lsb, ln_z) = truncnorm_right_parts(a, b);
    let ls = log_ndtrc(y);
    if lsb == f64::NEG_INFINITY {
        (ls - ln_z).exp()
    } else {
        (lsb - ln_z).exp() * (ls - lsb).exp_m1()
    }
}

/// Cdf of the standard truncnorm for a < y < b.
fn truncnorm_cdf(a: f64, b: f64, y: f64) -> f64 {
    if a >= 0.0 {
        let (lsa, lsb, _) = truncnorm_right_parts(a, b);
        (log_ndtrc(y) - lsa).exp_m1() / (lsb - lsa).exp_m1()
    } else if b <= 0.0 {
        truncnorm_right_sf(-b, -a, -y)
    } else {
        let z = 1.0 - ndtr(a) - ndtrc(b);
        if y <= 0.0 {
            (ndtr(y) - ndtr(a)) / z
        } else {
            1.0 - (ndtrc(y) - ndtrc(b)) / z
        }
    }
}

/// Quantile of the standard truncnorm with a ≥ 0, given q and qc = 1 − q (both exact).
fn truncnorm_right_ppf(a: f64, b: f64, q: f64, qc: f64) -> f64 {
    let (lsa, lsb, ln_z) = truncnorm_right_parts(a, b);
    let ln_s = if q <= 0.5 {
        lsa + (q * (lsb - lsa).exp_m1()).ln_1p()
    } else {
        log_add_exp(lsb, qc.ln() + ln_z)
    };
    inv_log_ndtrc(ln_s).clamp(a, b)
}

/// Quantile of the standard truncnorm for 0 < q < 1.
fn truncnorm_ppf(a: f64, b: f64, q: f64) -> f64 {
    if a >= 0.0 {
        truncnorm_right_ppf(a, b, q, 1.0 - q)
    } else if b <= 0.0 {
        -truncnorm_right_ppf(-b, -a, 1.0 - q, q)
    } else {
        let z = 1.0 - ndtr(a) - ndtrc(b);
        let y = if q <= 0.5 {
            ndtri(ndtr(a) + q * z)
        } else {
            -ndtri(ndtrc(b) + (1.0 - q) * z)
        };
        y.clamp(a, b)
    }
}

/// (mean, variance) of the standard truncnorm.
fn truncnorm_moments(a: f64, b: f64) -> (f64, f64) {
    let ln_z = truncnorm_ln_mass(a, b);
    let pa = (ln_phi(a) - ln_z).exp();
    let pb = (ln_phi(b) - ln_z).exp();
    let mean = pa - pb;
    let apa = if a.is_finite() { a * pa } else { 0.0 };
    let bpb = if b.is_finite() { b * pb } else { 0.0 };
    (mean, 1.0 + apa - bpb - mean * mean)
}
