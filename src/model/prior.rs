//! Prior distributions of model parameters (inference.md §1).
//!
//! Every family is the SciPy distribution of the same (or stated) name with SciPy's
//! `loc`/`scale` convention: with y = (x − loc)/scale, pdf(x) = f(y)/scale, cdf(x) = F(y),
//! ppf(q) = loc + scale·F⁻¹(q). `unif(min, max)` takes its two ends directly. Arguments are
//! validated at construction (SciPy would silently return NaN).
//!
//! Numerics: densities are evaluated on the closed support as SciPy does (so `beta` and
//! `gamma` with a shape < 1 give +∞ at the corresponding end), `logpdf` is computed directly,
//! normal tails go through the complementary error function (and an asymptotic series where
//! it underflows), truncated-normal tails are handled in log space on the survival side, and
//! the quantiles of `cosine`, `beta` and `gamma` are polished by a bracketed Newton iteration
//! on the appropriate tail.

use std::f64::consts::{LN_2, PI};

use crate::bail;
use crate::error::Result;
use crate::math::log_add_exp;
use crate::math::special::{
    beta_ppf, beta_reg, gamma_lower, gamma_ppf, inv_log_ndtrc, ln_beta, ln_gamma, ln_phi, log_ndtr,
    log_ndtrc, ndtr, ndtrc, ndtri, newton_bracketed, xlog1py, xlogy, LN_SQRT_2PI,
};

/// Names of the prior families, in the reference's `list_priors()` order.
pub const PRIOR_NAMES: [&str; 11] = [
    "unif",
    "logunif",
    "norm",
    "lognorm",
    "truncnorm",
    "cauchy",
    "cosine",
    "beta",
    "gamma",
    "expon",
    "plaw",
];

/// ln √(2π).
/// √(2π).
const SQRT_2PI: f64 = 2.506_628_274_631_000_7;
/// π − `PI` (the low part of π in double-double form).
const PI_LO: f64 = 1.224_646_799_147_353_2e-16;

/// A one-dimensional prior distribution with fixed arguments (inference.md §1.2).
///
/// Build it with the validating constructors ([`Prior::unif`], …, [`Prior::from_name`]);
/// constructing a variant directly bypasses the argument checks.
#[derive(Clone, Debug, PartialEq)]
pub enum Prior {
    /// `unif(min, max)`: flat on [min, max].
    Unif {
        /// Lower end.
        min: f64,
        /// Upper end.
        max: f64,
    },
    /// `logunif(min, max, loc, scale)`: flat in ln y on y ∈ [min, max], y = (x − loc)/scale.
    Logunif {
        /// Lower end of y (> 0).
        min: f64,
        /// Upper end of y.
        max: f64,
        /// Shift.
        loc: f64,
        /// Scale.
        scale: f64,
    },
    /// `norm(loc, scale)`: normal with mean `loc` and standard deviation `scale`.
    Norm {
        /// Mean.
        loc: f64,
        /// Standard deviation.
        scale: f64,
    },
    /// `lognorm(s, loc, scale)`: ln(x − loc) is normal with σ = `s` and median ln(`scale`).
    Lognorm {
        /// σ of ln(x − loc).
        s: f64,
        /// Shift.
        loc: f64,
        /// e^μ, the median of x − loc.
        scale: f64,
    },
    /// `truncnorm(a, b, loc, scale)`: normal truncated to y ∈ [a, b] (standardised units).
    Truncnorm {
        /// Lower truncation point in standardised units (may be −∞).
        a: f64,
        /// Upper truncation point in standardised units (may be +∞).
        b: f64,
        /// Mean of the parent normal.
        loc: f64,
        /// Standard deviation of the parent normal.
        scale: f64,
    },
    /// `cauchy(loc, scale)`: median and half width at half maximum.
    Cauchy {
        /// Median.
        loc: f64,
        /// Half width at half maximum.
        scale: f64,
    },
    /// `cosine(loc, scale)`: raised cosine on [loc − π·scale, loc + π·scale].
    Cosine {
        /// Centre.
        loc: f64,
        /// Scale.
        scale: f64,
    },
    /// `beta(a, b, loc, scale)`: beta distribution on [loc, loc + scale].
    Beta {
        /// First shape parameter.
        a: f64,
        /// Second shape parameter.
        b: f64,
        /// Lower end.
        loc: f64,
        /// Width.
        scale: f64,
    },
    /// `gamma(a, loc, scale)`: gamma with shape `a` and scale `scale` (= 1/rate), shifted.
    Gamma {
        /// Shape.
        a: f64,
        /// Shift.
        loc: f64,
        /// Scale (= 1/rate).
        scale: f64,
    },
    /// `expon(loc, scale)`: exponential with mean `scale`, shifted by `loc`.
    Expon {
        /// Shift.
        loc: f64,
        /// Mean (= 1/rate).
        scale: f64,
    },
    /// `plaw(a, loc, scale)`: SciPy's `powerlaw`, density ∝ y^(a−1) on (0, 1].
    Plaw {
        /// Positive index.
        a: f64,
        /// Lower end.
        loc: f64,
        /// Width.
        scale: f64,
    },
}

// ------------------------------------------------------------------------------------------
// Argument checks
// ------------------------------------------------------------------------------------------

fn check_finite(family: &str, arg: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        bail!("{family} prior: argument `{arg}` must be a finite number, got {v}");
    }
    Ok(())
}

fn check_positive(family: &str, arg: &str, v: f64) -> Result<()> {
    check_finite(family, arg, v)?;
    if v <= 0.0 {
        bail!("{family} prior: argument `{arg}` must be > 0, got {v}");
    }
    Ok(())
}

fn check_loc_scale(family: &str, loc: f64, scale: f64) -> Result<()> {
    check_finite(family, "loc", loc)?;
    check_positive(family, "scale", scale)
}

/// The argument list of a family, for messages (`"loc, scale"`).
fn signature(name: &str) -> &'static str {
    match name {
        "unif" => "min, max",
        "logunif" => "min, max[, loc, scale]",
        "norm" | "cauchy" | "cosine" | "expon" => "loc, scale",
        "lognorm" => "s, loc, scale",
        "truncnorm" => "a, b, loc, scale",
        "beta" => "a, b, loc, scale",
        "gamma" | "plaw" => "a, loc, scale",
        _ => "",
    }
}

// ------------------------------------------------------------------------------------------
// Constructors and accessors
// ------------------------------------------------------------------------------------------

impl Prior {
    /// `unif(min, max)`: flat on [min, max]; needs finite min < max.
    pub fn unif(min: f64, max: f64) -> Result<Prior> {
        check_finite("unif", "min", min)?;
        check_finite("unif", "max", max)?;
        if max <= min {
            bail!("unif prior: zero or negative width: `min` ({min}) must be < `max` ({max})");
        }
        Ok(Prior::Unif { min, max })
    }

    /// `logunif(min, max)` with the default loc = 0, scale = 1; needs 0 < min < max.
    pub fn logunif(min: f64, max: f64) -> Result<Prior> {
        Prior::logunif_loc_scale(min, max, 0.0, 1.0)
    }

    /// `logunif(min, max, loc, scale)`; needs 0 < min < max and scale > 0.
    pub fn logunif_loc_scale(min: f64, max: f64, loc: f64, scale: f64) -> Result<Prior> {
        check_positive("logunif", "min", min)?;
        check_finite("logunif", "max", max)?;
        if max <= min {
            bail!("logunif prior: zero or negative width: `min` ({min}) must be < `max` ({max})");
        }
        check_loc_scale("logunif", loc, scale)?;
        Ok(Prior::Logunif {
            min,
            max,
            loc,
            scale,
        })
    }

    /// `norm(loc, scale)`: mean and standard deviation (> 0).
    pub fn norm(loc: f64, scale: f64) -> Result<Prior> {
        check_loc_scale("norm", loc, scale)?;
        Ok(Prior::Norm { loc, scale })
    }

    /// `lognorm(s, loc, scale)`: s > 0 is σ of ln(x − loc), scale > 0 its median.
    pub fn lognorm(s: f64, loc: f64, scale: f64) -> Result<Prior> {
        check_positive("lognorm", "s", s)?;
        check_loc_scale("lognorm", loc, scale)?;
        Ok(Prior::Lognorm { s, loc, scale })
    }

    /// `truncnorm(a, b, loc, scale)`: a < b in standardised units (a may be −∞, b +∞).
    pub fn truncnorm(a: f64, b: f64, loc: f64, scale: f64) -> Result<Prior> {
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
        Ok(Prior::Truncnorm { a, b, loc, scale })
    }

    /// `cauchy(loc, scale)`: median and half width at half maximum (> 0).
    pub fn cauchy(loc: f64, scale: f64) -> Result<Prior> {
        check_loc_scale("cauchy", loc, scale)?;
        Ok(Prior::Cauchy { loc, scale })
    }

    /// `cosine(loc, scale)`: raised cosine on [loc − π·scale, loc + π·scale].
    pub fn cosine(loc: f64, scale: f64) -> Result<Prior> {
        check_loc_scale("cosine", loc, scale)?;
        Ok(Prior::Cosine { loc, scale })
    }

    /// `beta(a, b, loc, scale)`: shapes a, b > 0 on [loc, loc + scale].
    pub fn beta(a: f64, b: f64, loc: f64, scale: f64) -> Result<Prior> {
        check_positive("beta", "a", a)?;
        check_positive("beta", "b", b)?;
        check_loc_scale("beta", loc, scale)?;
        Ok(Prior::Beta { a, b, loc, scale })
    }

    /// `gamma(a, loc, scale)`: shape a > 0, shift, scale (= 1/rate) > 0.
    pub fn gamma(a: f64, loc: f64, scale: f64) -> Result<Prior> {
        check_positive("gamma", "a", a)?;
        check_loc_scale("gamma", loc, scale)?;
        Ok(Prior::Gamma { a, loc, scale })
    }

    /// `expon(loc, scale)`: shift and mean (> 0).
    pub fn expon(loc: f64, scale: f64) -> Result<Prior> {
        check_loc_scale("expon", loc, scale)?;
        Ok(Prior::Expon { loc, scale })
    }

    /// `plaw(a, loc, scale)`: SciPy `powerlaw(a)`, a > 0, on [loc, loc + scale].
    pub fn plaw(a: f64, loc: f64, scale: f64) -> Result<Prior> {
        check_positive("plaw", "a", a)?;
        check_loc_scale("plaw", loc, scale)?;
        Ok(Prior::Plaw { a, loc, scale })
    }

    /// Build a prior from its family name and positional arguments (the script layer's
    /// `norm(0, 1)` …). `logunif` takes 2 or 4 arguments; every other family its exact count.
    pub fn from_name(name: &str, args: &[f64]) -> Result<Prior> {
        let want = |n: usize| -> Result<()> {
            if args.len() != n {
                bail!(
                    "{name} prior takes {n} arguments ({}), got {}",
                    signature(name),
                    args.len()
                );
            }
            Ok(())
        };
        match name {
            "unif" => {
                want(2)?;
                Prior::unif(args[0], args[1])
            }
            "logunif" => match args.len() {
                2 => Prior::logunif(args[0], args[1]),
                4 => Prior::logunif_loc_scale(args[0], args[1], args[2], args[3]),
                n => {
                    bail!("logunif prior takes 2 or 4 arguments (min, max[, loc, scale]), got {n}")
                }
            },
            "norm" => {
                want(2)?;
                Prior::norm(args[0], args[1])
            }
            "lognorm" => {
                want(3)?;
                Prior::lognorm(args[0], args[1], args[2])
            }
            "truncnorm" => {
                want(4)?;
                Prior::truncnorm(args[0], args[1], args[2], args[3])
            }
            "cauchy" => {
                want(2)?;
                Prior::cauchy(args[0], args[1])
            }
            "cosine" => {
                want(2)?;
                Prior::cosine(args[0], args[1])
            }
            "beta" => {
                want(4)?;
                Prior::beta(args[0], args[1], args[2], args[3])
            }
            "gamma" => {
                want(3)?;
                Prior::gamma(args[0], args[1], args[2])
            }
            "expon" => {
                want(2)?;
                Prior::expon(args[0], args[1])
            }
            "plaw" => {
                want(3)?;
                Prior::plaw(args[0], args[1], args[2])
            }
            _ => bail!(
                "unknown prior `{name}`; known priors: {}",
                PRIOR_NAMES.join(", ")
            ),
        }
    }

    /// The family name (`expr` in the reference): `unif`, `logunif`, ….
    pub fn name(&self) -> &'static str {
        match self {
            Prior::Unif { .. } => "unif",
            Prior::Logunif { .. } => "logunif",
            Prior::Norm { .. } => "norm",
            Prior::Lognorm { .. } => "lognorm",
            Prior::Truncnorm { .. } => "truncnorm",
            Prior::Cauchy { .. } => "cauchy",
            Prior::Cosine { .. } => "cosine",
            Prior::Beta { .. } => "beta",
            Prior::Gamma { .. } => "gamma",
            Prior::Expon { .. } => "expon",
            Prior::Plaw { .. } => "plaw",
        }
    }

    /// The constructor arguments in the reference order (`logunif` always with loc, scale).
    pub fn args(&self) -> Vec<f64> {
        match *self {
            Prior::Unif { min, max } => vec![min, max],
            Prior::Logunif {
                min,
                max,
                loc,
                scale,
            } => vec![min, max, loc, scale],
            Prior::Norm { loc, scale }
            | Prior::Cauchy { loc, scale }
            | Prior::Cosine { loc, scale }
            | Prior::Expon { loc, scale } => vec![loc, scale],
            Prior::Lognorm { s, loc, scale } => vec![s, loc, scale],
            Prior::Truncnorm { a, b, loc, scale } | Prior::Beta { a, b, loc, scale } => {
                vec![a, b, loc, scale]
            }
            Prior::Gamma { a, loc, scale } | Prior::Plaw { a, loc, scale } => vec![a, loc, scale],
        }
    }

    /// Display text (inference.md §1.4): family name and argument tuple, `unif(-2, 2)`,
    /// `logunif(0.1, 100, 0, 1)`, `unif(1e-05, 50)`.
    pub fn info(&self) -> String {
        let args: Vec<String> = self.args().into_iter().map(format_arg).collect();
        format!("{}({})", self.name(), args.join(", "))
    }

    /// `(loc, scale)` of the standardisation y = (x − loc)/scale (unif: (min, max − min)).
    fn loc_scale(&self) -> (f64, f64) {
        match *self {
            Prior::Unif { min, max } => (min, max - min),
            Prior::Logunif { loc, scale, .. }
            | Prior::Norm { loc, scale }
            | Prior::Lognorm { loc, scale, .. }
            | Prior::Truncnorm { loc, scale, .. }
            | Prior::Cauchy { loc, scale }
            | Prior::Cosine { loc, scale }
            | Prior::Beta { loc, scale, .. }
            | Prior::Gamma { loc, scale, .. }
            | Prior::Expon { loc, scale }
            | Prior::Plaw { loc, scale, .. } => (loc, scale),
        }
    }

    /// The support `(lower, upper)` (±∞ when unbounded); equals `interval(1.0)`.
    pub fn support(&self) -> (f64, f64) {
        let (loc, scale) = self.loc_scale();
        match *self {
            Prior::Unif { min, max } => (min, max),
            Prior::Logunif { min, max, .. } => (loc + scale * min, loc + scale * max),
            Prior::Norm { .. } | Prior::Cauchy { .. } => (f64::NEG_INFINITY, f64::INFINITY),
            Prior::Lognorm { .. } | Prior::Gamma { .. } | Prior::Expon { .. } => {
                (loc, f64::INFINITY)
            }
            Prior::Truncnorm { a, b, .. } => (loc + scale * a, loc + scale * b),
            Prior::Cosine { .. } => (loc - PI * scale, loc + PI * scale),
            Prior::Beta { .. } | Prior::Plaw { .. } => (loc, loc + scale),
        }
    }

    /// Whether both ends of the support are finite.
    pub fn is_bounded(&self) -> bool {
        let (lo, hi) = self.support();
        lo.is_finite() && hi.is_finite()
    }

    // --------------------------------------------------------------------------------------
    // Density, cumulative, quantile
    // --------------------------------------------------------------------------------------

    /// Probability density at x (0 outside the support; NaN for NaN x).
    pub fn pdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let (loc, scale) = self.loc_scale();
        let y = (x - loc) / scale;
        match *self {
            Prior::Unif { min, max } => {
                if x >= min && x <= max {
                    1.0 / (max - min)
                } else {
                    0.0
                }
            }
            Prior::Logunif { min, max, .. } => {
                if y >= min && y <= max {
                    1.0 / (y * (max / min).ln() * scale)
                } else {
                    0.0
                }
            }
            Prior::Norm { .. } => (-0.5 * y * y).exp() / (SQRT_2PI * scale),
            Prior::Cauchy { .. } => 1.0 / (PI * scale * (1.0 + y * y)),
            Prior::Cosine { .. } => {
                // SciPy's formula (1 + cos y)/(2π), kept for parity with the reference: it loses
                // relative precision only where the density is < 1e-10 of its peak.
                if y.abs() <= PI {
                    (1.0 + y.cos()) / (2.0 * PI * scale)
                } else {
                    0.0
                }
            }
            Prior::Expon { .. } => {
                if y >= 0.0 {
                    (-y).exp() / scale
                } else {
                    0.0
                }
            }
            Prior::Plaw { a, .. } => {
                if y > 0.0 && y <= 1.0 {
                    a * y.powf(a - 1.0) / scale
                } else {
                    0.0
                }
            }
            Prior::Lognorm { .. }
            | Prior::Truncnorm { .. }
            | Prior::Beta { .. }
            | Prior::Gamma { .. } => self.logpdf(x).exp(),
        }
    }

    /// Log density at x, computed directly (−∞ outside the support; NaN for NaN x).
    pub fn logpdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let (loc, scale) = self.loc_scale();
        let y = (x - loc) / scale;
        let ln_scale = scale.ln();
        match *self {
            Prior::Unif { min, max } => {
                if x >= min && x <= max {
                    -(max - min).ln()
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Logunif { min, max, .. } => {
                if y >= min && y <= max {
                    -y.ln() - (max / min).ln().ln() - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Norm { .. } => -0.5 * y * y - LN_SQRT_2PI - ln_scale,
            Prior::Lognorm { s, .. } => {
                if y > 0.0 {
                    let ly = y.ln();
                    -0.5 * (ly / s) * (ly / s) - s.ln() - ly - LN_SQRT_2PI - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Truncnorm { a, b, .. } => {
                if y >= a && y <= b {
                    -0.5 * y * y - LN_SQRT_2PI - truncnorm_ln_mass(a, b) - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Cauchy { .. } => {
                let ln_1py2 = if y.abs() > 1e150 {
                    2.0 * y.abs().ln()
                } else {
                    (y * y).ln_1p()
                };
                -PI.ln() - ln_1py2 - ln_scale
            }
            Prior::Cosine { .. } => {
                if y.abs() <= PI {
                    y.cos().ln_1p() - (2.0 * PI).ln() - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Beta { a, b, .. } => {
                if (0.0..=1.0).contains(&y) {
                    xlogy(a - 1.0, y) + xlog1py(b - 1.0, -y) - ln_beta(a, b) - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Gamma { a, .. } => {
                if y >= 0.0 {
                    xlogy(a - 1.0, y) - y - ln_gamma(a) - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Expon { .. } => {
                if y >= 0.0 {
                    -y - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
            Prior::Plaw { a, .. } => {
                if y > 0.0 && y <= 1.0 {
                    a.ln() + (a - 1.0) * y.ln() - ln_scale
                } else {
                    f64::NEG_INFINITY
                }
            }
        }
    }

    /// Cumulative probability at x (0 below, 1 above the support; NaN for NaN x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let (loc, scale) = self.loc_scale();
        let y = (x - loc) / scale;
        match *self {
            Prior::Unif { min, max } => {
                if x <= min {
                    0.0
                } else if x >= max {
                    1.0
                } else {
                    (x - min) / (max - min)
                }
            }
            Prior::Logunif { min, max, .. } => {
                if y <= min {
                    0.0
                } else if y >= max {
                    1.0
                } else {
                    (y / min).ln() / (max / min).ln()
                }
            }
            Prior::Norm { .. } => ndtr(y),
            Prior::Lognorm { s, .. } => {
                if y <= 0.0 {
                    0.0
                } else {
                    ndtr(y.ln() / s)
                }
            }
            Prior::Truncnorm { a, b, .. } => {
                if y <= a {
                    0.0
                } else if y >= b {
                    1.0
                } else {
                    truncnorm_cdf(a, b, y)
                }
            }
            Prior::Cauchy { .. } => 1.0_f64.atan2(-y) / PI,
            Prior::Cosine { .. } => {
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
            Prior::Beta { a, b, .. } => beta_reg(a, b, y),
            Prior::Gamma { a, .. } => gamma_lower(a, y),
            Prior::Expon { .. } => {
                if y <= 0.0 {
                    0.0
                } else {
                    -(-y).exp_m1()
                }
            }
            Prior::Plaw { a, .. } => {
                if y <= 0.0 {
                    0.0
                } else if y >= 1.0 {
                    1.0
                } else {
                    y.powf(a)
                }
            }
        }
    }

    /// Log of the cumulative probability (−∞ below the support), accurate in the lower tail
    /// of the normal-based and closed-form families.
    pub fn logcdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        let (loc, scale) = self.loc_scale();
        let y = (x - loc) / scale;
        match *self {
            Prior::Norm { .. } => log_ndtr(y),
            Prior::Lognorm { s, .. } => {
                if y <= 0.0 {
                    f64::NEG_INFINITY
                } else {
                    log_ndtr(y.ln() / s)
                }
            }
            Prior::Cauchy { .. } => 1.0_f64.atan2(-y).ln() - PI.ln(),
            Prior::Expon { .. } => {
                if y <= 0.0 {
                    f64::NEG_INFINITY
                } else {
                    (-(-y).exp_m1()).ln()
                }
            }
            Prior::Plaw { a, .. } => {
                if y <= 0.0 {
                    f64::NEG_INFINITY
                } else if y >= 1.0 {
                    0.0
                } else {
                    a * y.ln()
                }
            }
            _ => self.cdf(x).ln(),
        }
    }

    /// Quantile (inverse cdf): NaN for q outside [0, 1]; `ppf(0)`/`ppf(1)` are the support ends.
    pub fn ppf(&self, q: f64) -> f64 {
        if !(0.0..=1.0).contains(&q) {
            return f64::NAN;
        }
        let (lo, hi) = self.support();
        if q == 0.0 {
            return lo;
        }
        if q == 1.0 {
            return hi;
        }
        let (loc, scale) = self.loc_scale();
        let y = match *self {
            Prior::Unif { .. } => q,
            Prior::Logunif { min, max, .. } => min * (q * (max / min).ln()).exp(),
            Prior::Norm { .. } => ndtri(q),
            Prior::Lognorm { s, .. } => (s * ndtri(q)).exp(),
            Prior::Truncnorm { a, b, .. } => truncnorm_ppf(a, b, q),
            Prior::Cauchy { .. } => {
                if q < 0.25 {
                    -1.0 / (PI * q).tan()
                } else if q > 0.75 {
                    1.0 / (PI * (1.0 - q)).tan()
                } else {
                    (PI * (q - 0.5)).tan()
                }
            }
            Prior::Cosine { .. } => cosine_ppf(q),
            Prior::Beta { a, b, .. } => beta_ppf(a, b, q),
            Prior::Gamma { a, .. } => gamma_ppf(a, q),
            Prior::Expon { .. } => -(-q).ln_1p(),
            Prior::Plaw { a, .. } => q.powf(1.0 / a),
        };
        loc + scale * y
    }

    /// Central interval of probability mass q: `[ppf((1−q)/2), ppf((1+q)/2)]`
    /// (`interval(1)` is the support; NaN for q outside [0, 1]).
    pub fn interval(&self, q: f64) -> (f64, f64) {
        if !(0.0..=1.0).contains(&q) {
            return (f64::NAN, f64::NAN);
        }
        (self.ppf((1.0 - q) / 2.0), self.ppf((1.0 + q) / 2.0))
    }

    // --------------------------------------------------------------------------------------
    // Moments (display only)
    // --------------------------------------------------------------------------------------

    /// Median (`ppf(0.5)`).
    pub fn median(&self) -> f64 {
        match *self {
            Prior::Unif { min, max } => 0.5 * (min + max),
            Prior::Norm { loc, .. } | Prior::Cauchy { loc, .. } | Prior::Cosine { loc, .. } => loc,
            Prior::Lognorm { loc, scale, .. } => loc + scale,
            Prior::Expon { loc, scale } => loc + scale * LN_2,
            _ => self.ppf(0.5),
        }
    }

    /// Mean (NaN for `cauchy`).
    pub fn mean(&self) -> f64 {
        let (loc, scale) = self.loc_scale();
        match *self {
            Prior::Unif { min, max } => 0.5 * (min + max),
            Prior::Logunif { min, max, .. } => loc + scale * (max - min) / (max / min).ln(),
            Prior::Norm { .. } | Prior::Cosine { .. } => loc,
            Prior::Lognorm { s, .. } => loc + scale * (0.5 * s * s).exp(),
            Prior::Truncnorm { a, b, .. } => loc + scale * truncnorm_moments(a, b).0,
            Prior::Cauchy { .. } => f64::NAN,
            Prior::Beta { a, b, .. } => loc + scale * a / (a + b),
            Prior::Gamma { a, .. } => loc + scale * a,
            Prior::Expon { .. } => loc + scale,
            Prior::Plaw { a, .. } => loc + scale * a / (a + 1.0),
        }
    }

    /// Variance (NaN for `cauchy`).
    pub fn var(&self) -> f64 {
        let (_, scale) = self.loc_scale();
        let s2 = scale * scale;
        match *self {
            Prior::Unif { min, max } => (max - min) * (max - min) / 12.0,
            Prior::Logunif { min, max, .. } => {
                let l = (max / min).ln();
                let m1 = (max - min) / l;
                let m2 = (max * max - min * min) / (2.0 * l);
                s2 * (m2 - m1 * m1)
            }
            Prior::Norm { .. } => s2,
            Prior::Lognorm { s, .. } => s2 * (s * s).exp_m1() * (s * s).exp(),
            Prior::Truncnorm { a, b, .. } => s2 * truncnorm_moments(a, b).1,
            Prior::Cauchy { .. } => f64::NAN,
            Prior::Cosine { .. } => s2 * (PI * PI / 3.0 - 2.0),
            Prior::Beta { a, b, .. } => s2 * a * b / ((a + b) * (a + b) * (a + b + 1.0)),
            Prior::Gamma { a, .. } => s2 * a,
            Prior::Expon { .. } => s2,
            Prior::Plaw { a, .. } => s2 * a / ((a + 2.0) * (a + 1.0) * (a + 1.0)),
        }
    }

    /// Standard deviation (√var).
    pub fn std(&self) -> f64 {
        self.var().sqrt()
    }
}

impl std::fmt::Display for Prior {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.info())
    }
}

/// Format one argument as §1.4 says: integral values without a decimal point, shortest
/// round-trip digits otherwise, Python's exponent form (`1e-05`, `1e+16`) for |x| < 1e-4 or
/// |x| ≥ 1e16.
pub fn format_arg(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if x.is_nan() {
        return "nan".to_string();
    }
    if x.is_infinite() {
        return if x > 0.0 { "inf" } else { "-inf" }.to_string();
    }
    let ax = x.abs();
    if !(1e-4..1e16).contains(&ax) {
        let text = format!("{x:e}");
        let (mantissa, exponent) = text.split_once('e').unwrap_or((text.as_str(), "0"));
        let e: i32 = exponent.parse().unwrap_or(0);
        let sign = if e < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", e.abs())
    } else if x.fract() == 0.0 {
        format!("{}", x as i64)
    } else {
        format!("{x}")
    }
}

// ------------------------------------------------------------------------------------------
// Prior-specific special functions (the general ones live in crate::math)
// ------------------------------------------------------------------------------------------

// ---- cosine ------------------------------------------------------------------------------

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

// ---- truncnorm ---------------------------------------------------------------------------

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn format_arg_follows_python_repr() {
        assert_eq!(format_arg(-2.0), "-2");
        assert_eq!(format_arg(0.0001), "0.0001");
        assert_eq!(format_arg(1e-5), "1e-05");
        assert_eq!(format_arg(1.5e-7), "1.5e-07");
        assert_eq!(format_arg(1e16), "1e+16");
        assert_eq!(format_arg(2.31), "2.31");
        assert_eq!(format_arg(50.0), "50");
        assert_eq!(format_arg(-0.5), "-0.5");
    }
}
