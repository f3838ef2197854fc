//! Constructor options of a [`DataUnit`](super::DataUnit) (data.md 2.1) and grouping rules.

use crate::error::{Error, Result};
use crate::ogip::{Arf, Response, Spectrum};
use crate::stat::Statistic;

/// The keys of a grouping rule map (`grpg`, `rebn`; data.md 2.7), declared once.
pub mod rule_options {
    use crate::option_spec::{OptKind, OptionSpec};

    /// `method`: how bins are built.
    pub const METHOD: OptionSpec = OptionSpec::new(
        "method",
        OptKind::Str,
        "threshold",
        "\"threshold\" or \"optimal\" (Kaastra & Bleeker 2016, with any thresholds)",
    );
    /// `min_evt`: minimum source counts per bin.
    pub const MIN_EVT: OptionSpec = OptionSpec::new(
        "min_evt",
        OptKind::Float,
        "none",
        "minimum source counts per bin",
    );
    /// `min_counts`: another name for `min_evt`.
    pub const MIN_COUNTS: OptionSpec = OptionSpec::new(
        "min_counts",
        OptKind::Float,
        "none",
        "alias of min_evt (Sherpa's group_counts, XSPEC's group min)",
    );
    /// `min_nevt`: minimum net counts per bin.
    pub const MIN_NEVT: OptionSpec = OptionSpec::new(
        "min_nevt",
        OptKind::Float,
        "none",
        "minimum net counts (S − α·B) per bin",
    );
    /// `min_sigma`: minimum significance per bin.
    pub const MIN_SIGMA: OptionSpec = OptionSpec::new(
        "min_sigma",
        OptKind::Float,
        "none",
        "minimum significance per bin",
    );
    /// `max_bin`: maximum channels per bin.
    pub const MAX_BIN: OptionSpec = OptionSpec::new(
        "max_bin",
        OptKind::Int,
        "none",
        "maximum channels per bin (≥ 1)",
    );
    /// Every key of a grouping rule.
    pub const TABLE: &[OptionSpec] = &[METHOD, MIN_EVT, MIN_COUNTS, MIN_NEVT, MIN_SIGMA, MAX_BIN];
}

use rule_options::{MAX_BIN, METHOD, MIN_COUNTS, MIN_EVT, MIN_NEVT, MIN_SIGMA};

/// The default statistic.
pub const DEFAULT_STAT: Statistic = Statistic::Pgstat;

/// A spectrum given as a file spec (`"me.src"`, `"me.src2{5}"`, `"x.pha[BKG]"`) or in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum SpectrumInput {
    /// A file spec.
    File(String),
    /// A spectrum already in memory.
    Spectrum(Box<Spectrum>),
    /// Explicitly none (`bkg: ()` or `"none"`): no background, even when the source's header
    /// names one.
    None,
}

/// A response (RSP or RMF) given as a file spec (`"x.rsp"`, `"x.rsp2{2}"`) or in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum ResponseInput {
    /// A file spec.
    File(String),
    /// A response already in memory.
    Response(Box<Response>),
    /// A response object whose `rf`, `ra`, `dec` are shared by every unit built from it.
    Shared(super::shared_response::SharedResponse),
}

/// An ARF given as a file spec or in memory.
#[derive(Debug, Clone, PartialEq)]
pub enum ArfInput {
    /// A file spec.
    File(String),
    /// An ARF already in memory.
    Arf(Arf),
}

impl From<&str> for SpectrumInput {
    fn from(s: &str) -> Self {
        SpectrumInput::File(s.to_string())
    }
}
impl From<String> for SpectrumInput {
    fn from(s: String) -> Self {
        SpectrumInput::File(s)
    }
}
impl From<Spectrum> for SpectrumInput {
    fn from(s: Spectrum) -> Self {
        SpectrumInput::Spectrum(Box::new(s))
    }
}
impl From<&str> for ResponseInput {
    fn from(s: &str) -> Self {
        ResponseInput::File(s.to_string())
    }
}
impl From<String> for ResponseInput {
    fn from(s: String) -> Self {
        ResponseInput::File(s)
    }
}
impl From<Response> for ResponseInput {
    fn from(r: Response) -> Self {
        ResponseInput::Response(Box::new(r))
    }
}
impl From<&str> for ArfInput {
    fn from(s: &str) -> Self {
        ArfInput::File(s.to_string())
    }
}
impl From<String> for ArfInput {
    fn from(s: String) -> Self {
        ArfInput::File(s)
    }
}
impl From<Arf> for ArfInput {
    fn from(a: Arf) -> Self {
        ArfInput::Arf(a)
    }
}

/// How a grouping rule builds bins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupingMethod {
    /// Walk the channels and close a bin when the thresholds are met (data.md 2.7.1).
    Threshold,
    /// Kaastra & Bleeker (2016) optimal binning, optionally with thresholds (data.md 2.7.2).
    Optimal,
}

impl GroupingMethod {
    /// The name used in option maps.
    pub fn name(self) -> &'static str {
        match self {
            GroupingMethod::Threshold => "threshold",
            GroupingMethod::Optimal => "optimal",
        }
    }
}

/// A grouping rule (`grpg` / `rebn` map). Keys not given are `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct GroupingRule {
    /// `method` (`None` = not given = threshold).
    pub method: Option<GroupingMethod>,
    /// `min_evt`: minimum source counts per bin.
    pub min_evt: Option<f64>,
    /// `min_nevt`: minimum net counts (S − α·B) per bin.
    pub min_nevt: Option<f64>,
    /// `min_sigma`: minimum significance per bin.
    pub min_sigma: Option<f64>,
    /// `max_bin`: maximum channels per bin (integer ≥ 1).
    pub max_bin: Option<f64>,
}

impl GroupingRule {
    /// Set a numeric key (`min_evt`, or `min_counts` as Sherpa's `group_counts` and XSPEC's
    /// `group min` users say it; `min_nevt`, `min_sigma`, `max_bin`); an unknown key is an
    /// error listing the accepted ones.
    pub fn set_number(&mut self, key: &str, value: f64) -> Result<()> {
        let slot = match key {
            k if k == MIN_EVT.key || k == MIN_COUNTS.key => &mut self.min_evt,
            k if k == MIN_NEVT.key => &mut self.min_nevt,
            k if k == MIN_SIGMA.key => &mut self.min_sigma,
            k if k == MAX_BIN.key => &mut self.max_bin,
            k if k == METHOD.key => {
                return Err(Error::new(format!(
                    "grouping rule: '{k}' must be \"threshold\" or \"optimal\", not a number"
                )))
            }
            _ => return Err(unknown_key(key)),
        };
        *slot = Some(value);
        Ok(())
    }

    /// Set `method` from its name (`"threshold"` or `"optimal"`).
    pub fn set_method(&mut self, name: &str) -> Result<()> {
        self.method = Some(match name {
            "threshold" => GroupingMethod::Threshold,
            "optimal" => GroupingMethod::Optimal,
            _ => {
                return Err(Error::new(format!(
                    "grouping rule: unknown method '{name}'; accepted: threshold, optimal"
                )))
            }
        });
        Ok(())
    }

    /// The method (threshold when not given).
    pub fn method(&self) -> GroupingMethod {
        self.method.unwrap_or(GroupingMethod::Threshold)
    }

    /// Check values: `min_*` finite, `max_bin` an integer ≥ 1.
    pub fn validate(&self) -> Result<()> {
        for (k, v) in [
            (MIN_EVT.key, self.min_evt),
            (MIN_NEVT.key, self.min_nevt),
            (MIN_SIGMA.key, self.min_sigma),
        ] {
            if let Some(v) = v {
                if !v.is_finite() {
                    return Err(Error::new(format!(
                        "grouping rule: {k} = {v} must be finite"
                    )));
                }
            }
        }
        if let Some(m) = self.max_bin {
            if !(m.is_finite() && m >= 1.0 && m.fract() == 0.0) {
                return Err(Error::new(format!(
                    "grouping rule: {} = {m} must be an integer >= 1",
                    MAX_BIN.key
                )));
            }
        }
        Ok(())
    }

    /// Whether any threshold key (`min_*`, `max_bin`) is given.
    pub fn has_thresholds(&self) -> bool {
        self.min_evt.is_some()
            || self.min_nevt.is_some()
            || self.min_sigma.is_some()
            || self.max_bin.is_some()
    }

    /// The rule as the JSON map it was given as (keys in a fixed order).
    pub fn to_json(&self) -> serde_json::Value {
        let mut m = serde_json::Map::new();
        if let Some(meth) = self.method {
            m.insert(METHOD.key.into(), meth.name().into());
        }
        for (k, v) in [
            (MIN_EVT.key, self.min_evt),
            (MIN_NEVT.key, self.min_nevt),
            (MIN_SIGMA.key, self.min_sigma),
            (MAX_BIN.key, self.max_bin),
        ] {
            if let Some(v) = v {
                m.insert(k.into(), json_number(v));
            }
        }
        serde_json::Value::Object(m)
    }
}

impl std::fmt::Display for GroupingRule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.to_json())
    }
}

fn unknown_key(key: &str) -> Error {
    Error::new(format!(
        "grouping rule: unknown key '{key}'; accepted keys are: {}",
        crate::option_spec::keys(rule_options::TABLE)
    ))
}

/// A number as JSON, written as an integer when it is one (`8`, not `8.0`).
pub(crate) fn json_number(v: f64) -> serde_json::Value {
    if v.is_finite() && v.fract() == 0.0 && v.abs() < 9.0e15 {
        serde_json::Value::from(v as i64)
    } else {
        serde_json::Number::from_f64(v)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null)
    }
}

/// Options of a [`DataUnit`](super::DataUnit), data.md 2.1. Only `src` and a response
/// (`rsp`, or `rmf` + `arf`) are required.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DataUnitOptions {
    /// Source spectrum.
    pub src: Option<SpectrumInput>,
    /// Background spectrum (none → zero background, or the source file's `BKG` HDU when the
    /// source names no `BACKFILE`).
    pub bkg: Option<SpectrumInput>,
    /// Full response (RSP).
    pub rsp: Option<ResponseInput>,
    /// Redistribution matrix (with `arf`).
    pub rmf: Option<ResponseInput>,
    /// Effective area (with `rmf`).
    pub arf: Option<ArfInput>,
    /// Noticed energy ranges in keV (none → every channel).
    pub notc: Option<Vec<[f64; 2]>>,
    /// Statistic name (none → `pgstat`).
    pub stat: Option<String>,
    /// Fitting-grid rule (none → the file's GROUPING).
    pub grpg: Option<GroupingRule>,
    /// Display-grid rule (none → the fitting grid).
    pub rebn: Option<GroupingRule>,
    /// Time stamp for time-dependent models.
    pub time: Option<f64>,
    /// Likelihood weight (none → 1).
    pub weight: Option<f64>,
}

/// Parse `notc` given as one flat pair `[lo, hi]`: exactly two numbers.
pub fn notc_from_pair(values: &[f64]) -> Result<Vec<[f64; 2]>> {
    match values {
        [lo, hi] => Ok(vec![[*lo, *hi]]),
        _ => Err(Error::new(format!(
            "notc: a range must be exactly two numbers [lo, hi], got {} numbers",
            values.len()
        ))),
    }
}

/// Parse `notc` given as a list of ranges `[[lo, hi], …]`: each exactly two numbers.
pub fn notc_from_ranges(ranges: &[Vec<f64>]) -> Result<Vec<[f64; 2]>> {
    ranges
        .iter()
        .enumerate()
        .map(|(i, r)| match r.as_slice() {
            [lo, hi] => Ok([*lo, *hi]),
            _ => Err(Error::new(format!(
                "notc: range {} must be exactly two numbers [lo, hi], got {} numbers",
                i + 1,
                r.len()
            ))),
        })
        .collect()
}
