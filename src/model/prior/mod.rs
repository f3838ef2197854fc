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
//!
//! Layout: each family lives in one file of this folder (its struct, constructor, argument
//! parsing and distribution functions, implementing [`Family`]); the one `prior_families!`
//! invocation below lists every family once and generates the [`Prior`] enum, [`PRIOR_NAMES`],
//! [`FAMILIES`] and the dispatch. A new family is a new file plus one line in that list.

#[macro_use]
mod common;

use crate::bail;
use crate::error::Result;

/// One prior family: its arguments, their checks, and its distribution functions.
///
/// [`Prior`] checks the inputs before it calls these: `x` is never NaN, and [`Family::ppf`]
/// only sees 0 < q < 1 (the ends of [0, 1] map to the support's ends there).
pub trait Family: Sized {
    /// Script name of the family (`norm`).
    const NAME: &'static str;
    /// Argument list for messages and help (`"loc, scale"`; optional ones in brackets).
    const SIGNATURE: &'static str;
    /// One-line description for help (what the arguments mean).
    const DOC: &'static str;
    /// Valid example arguments (tests build every family from them).
    const EXAMPLE: &'static [f64];

    /// Build from positional arguments, checking their number and values.
    fn from_args(args: &[f64]) -> Result<Self>;
    /// The constructor arguments in the reference order (optional ones included).
    fn args(&self) -> Vec<f64>;
    /// `(loc, scale)` of the standardisation y = (x − loc)/scale.
    fn loc_scale(&self) -> (f64, f64);
    /// The support `(lower, upper)` (±∞ when unbounded).
    fn support(&self) -> (f64, f64);
    /// Probability density at x (0 outside the support; by default e^[`Family::logpdf`]).
    fn pdf(&self, x: f64) -> f64 {
        self.logpdf(x).exp()
    }
    /// Log density at x (−∞ outside the support).
    fn logpdf(&self, x: f64) -> f64;
    /// Cumulative probability at x.
    fn cdf(&self, x: f64) -> f64;
    /// Log of the cumulative probability (by default ln of [`Family::cdf`]).
    fn logcdf(&self, x: f64) -> f64 {
        self.cdf(x).ln()
    }
    /// Quantile for 0 < q < 1.
    fn ppf(&self, q: f64) -> f64;
    /// Median (by default `ppf(0.5)`).
    fn median(&self) -> f64 {
        self.ppf(0.5)
    }
    /// Mean (NaN where it does not exist).
    fn mean(&self) -> f64;
    /// Variance (NaN where it does not exist).
    fn var(&self) -> f64;

    /// The standardised variable y = (x − loc)/scale.
    fn standardise(&self, x: f64) -> f64 {
        let (loc, scale) = self.loc_scale();
        (x - loc) / scale
    }
    /// Back from the standardised variable: loc + scale·y.
    fn unstandardise(&self, y: f64) -> f64 {
        let (loc, scale) = self.loc_scale();
        loc + scale * y
    }
}

/// What messages and help say about one family (its [`Family`] constants).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FamilyInfo {
    /// Script name.
    pub name: &'static str,
    /// Argument list (`"loc, scale"`).
    pub signature: &'static str,
    /// One-line description.
    pub doc: &'static str,
    /// Valid example arguments.
    pub example: &'static [f64],
}

impl FamilyInfo {
    /// The description of family `F`.
    pub const fn of<F: Family>() -> FamilyInfo {
        FamilyInfo {
            name: F::NAME,
            signature: F::SIGNATURE,
            doc: F::DOC,
            example: F::EXAMPLE,
        }
    }
}

/// Declares the families, each once as `Variant in module`, and generates the [`Prior`] enum
/// (one variant wrapping each family struct), [`PRIOR_NAMES`], [`FAMILIES`], the lookup by
/// name and the dispatch of every [`Family`] method.
macro_rules! prior_families {
    ($($variant:ident in $module:ident),+ $(,)?) => {
        $(mod $module;)+
        $(pub use self::$module::$variant;)+

        /// A one-dimensional prior distribution with fixed arguments (inference.md §1.2).
        ///
        /// Build it with the validating constructors ([`Prior::unif`], …,
        /// [`Prior::from_name`]); constructing a variant from a hand-made family struct
        /// bypasses the argument checks.
        #[derive(Clone, Debug, PartialEq)]
        pub enum Prior {
            $(
                #[doc = concat!("`", stringify!($module), "`: see [`", stringify!($variant), "`].")]
                $variant($variant),
            )+
        }

        $(
            impl From<$variant> for Prior {
                fn from(family: $variant) -> Prior {
                    Prior::$variant(family)
                }
            }
        )+

        /// Number of prior families.
        const FAMILY_COUNT: usize = [$(stringify!($variant)),+].len();

        /// Names of the prior families, in the reference's `list_priors()` order.
        pub const PRIOR_NAMES: [&str; FAMILY_COUNT] = [$(<$variant as Family>::NAME),+];

        /// Name, signature, description and example arguments of every family, in
        /// [`PRIOR_NAMES`] order.
        pub const FAMILIES: [FamilyInfo; FAMILY_COUNT] = [$(FamilyInfo::of::<$variant>()),+];

        impl Prior {
            /// The family called `name` built from `args` (`None` for an unknown name).
            fn parse(name: &str, args: &[f64]) -> Option<Result<Prior>> {
                $(
                    if name == <$variant as Family>::NAME {
                        return Some($variant::from_args(args).map(Prior::$variant));
                    }
                )+
                None
            }

            /// The family name (`expr` in the reference): `unif`, `logunif`, ….
            pub fn name(&self) -> &'static str {
                match self {
                    $(Prior::$variant(_) => <$variant as Family>::NAME,)+
                }
            }

            /// The constructor arguments in the reference order (`logunif` always with loc,
            /// scale).
            pub fn args(&self) -> Vec<f64> {
                match self {
                    $(Prior::$variant(f) => f.args(),)+
                }
            }

            /// The support `(lower, upper)` (±∞ when unbounded); equals `interval(1.0)`.
            pub fn support(&self) -> (f64, f64) {
                match self {
                    $(Prior::$variant(f) => f.support(),)+
                }
            }

            /// Median (`ppf(0.5)`).
            pub fn median(&self) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.median(),)+
                }
            }

            /// Mean (NaN for `cauchy`).
            pub fn mean(&self) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.mean(),)+
                }
            }

            /// Variance (NaN for `cauchy`).
            pub fn var(&self) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.var(),)+
                }
            }

            /// [`Family::pdf`] of the family inside (x is not NaN).
            fn family_pdf(&self, x: f64) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.pdf(x),)+
                }
            }

            /// [`Family::logpdf`] of the family inside (x is not NaN).
            fn family_logpdf(&self, x: f64) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.logpdf(x),)+
                }
            }

            /// [`Family::cdf`] of the family inside (x is not NaN).
            fn family_cdf(&self, x: f64) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.cdf(x),)+
                }
            }

            /// [`Family::logcdf`] of the family inside (x is not NaN).
            fn family_logcdf(&self, x: f64) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.logcdf(x),)+
                }
            }

            /// [`Family::ppf`] of the family inside (0 < q < 1).
            fn family_ppf(&self, q: f64) -> f64 {
                match self {
                    $(Prior::$variant(f) => f.ppf(q),)+
                }
            }
        }
    };
}

// The families, in the reference's `list_priors()` order: `Variant in module` (the file
// `module.rs` of this folder defines the struct `Variant` and implements `Family` for it).
prior_families! {
    Unif in unif,
    Logunif in logunif,
    Norm in norm,
    Lognorm in lognorm,
    Truncnorm in truncnorm,
    Cauchy in cauchy,
    Cosine in cosine,
    Beta in beta,
    Gamma in gamma,
    Expon in expon,
    Plaw in plaw,
}

impl Prior {
    /// Build a prior from its family name and positional arguments (the script layer's
    /// `norm(0, 1)` …). `logunif` takes 2 or 4 arguments; every other family its exact count.
    pub fn from_name(name: &str, args: &[f64]) -> Result<Prior> {
        match Prior::parse(name, args) {
            Some(prior) => prior,
            None => bail!(
                "unknown prior `{name}`; known priors: {}",
                PRIOR_NAMES.join(", ")
            ),
        }
    }

    /// Display text (inference.md §1.4): family name and argument tuple, `unif(-2, 2)`,
    /// `logunif(0.1, 100, 0, 1)`, `unif(1e-05, 50)`.
    pub fn info(&self) -> String {
        let args: Vec<String> = self.args().into_iter().map(format_arg).collect();
        format!("{}({})", self.name(), args.join(", "))
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
        self.family_pdf(x)
    }

    /// Log density at x, computed directly (−∞ outside the support; NaN for NaN x).
    pub fn logpdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        self.family_logpdf(x)
    }

    /// Cumulative probability at x (0 below, 1 above the support; NaN for NaN x).
    pub fn cdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        self.family_cdf(x)
    }

    /// Log of the cumulative probability (−∞ below the support), accurate in the lower tail
    /// of the normal-based and closed-form families.
    pub fn logcdf(&self, x: f64) -> f64 {
        if x.is_nan() {
            return f64::NAN;
        }
        self.family_logcdf(x)
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
        self.family_ppf(q)
    }

    /// Central interval of probability mass q: `[ppf((1−q)/2), ppf((1+q)/2)]`
    /// (`interval(1)` is the support; NaN for q outside [0, 1]).
    pub fn interval(&self, q: f64) -> (f64, f64) {
        if !(0.0..=1.0).contains(&q) {
            return (f64::NAN, f64::NAN);
        }
        (self.ppf((1.0 - q) / 2.0), self.ppf((1.0 + q) / 2.0))
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

    #[test]
    fn family_table_follows_the_generated_list() {
        for (info, name) in FAMILIES.iter().zip(PRIOR_NAMES) {
            assert_eq!(info.name, name);
        }
        for info in &FAMILIES {
            let prior = Prior::from_name(info.name, info.example).unwrap();
            assert_eq!(prior.name(), info.name);
        }
    }
}
