//! Model parameters (`Par`): shared handles to a value, a prior and fitting flags.

use std::any::Any;
use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::bail;
use crate::error::Result;
use crate::model::prior::Prior;

/// How the raw value `val` maps to the physical value (models.md 1.3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// physical value = val (× unit)
    Linear,
    /// physical value = 10^val (× unit)
    Log,
}

impl Scale {
    /// `linear` or `log`.
    pub fn name(self) -> &'static str {
        match self {
            Scale::Linear => "linear",
            Scale::Log => "log",
        }
    }

    /// Parse `linear` / `log`.
    pub fn from_name(s: &str) -> Result<Scale> {
        match s {
            "linear" => Ok(Scale::Linear),
            "log" => Ok(Scale::Log),
            _ => bail!("unknown parameter scale '{s}' (accepted: linear, log)"),
        }
    }
}

/// Posterior container attached to a parameter by the inference layer (opaque here).
pub type Posterior = Arc<dyn Any + Send + Sync>;

/// The state behind a [`Par`] handle.
#[derive(Clone)]
pub struct ParData {
    /// exact (LaTeX-like) label, e.g. `log$E_p$`
    pub label: String,
    /// raw stored value (priors and samplers act on it)
    pub val: f64,
    /// prior distribution, if any
    pub prior: Option<Prior>,
    /// fixed during inference
    pub frozen: bool,
    /// free text
    pub comment: Option<String>,
    /// linear or log
    pub scale: Scale,
    /// optional unit multiplier of the physical value
    pub unit: Option<f64>,
    /// posterior attached after a fit (opaque to the model layer)
    pub posterior: Option<Posterior>,
    /// bumped on every change of `val` (cache invalidation)
    pub version: u64,
}

impl fmt::Debug for ParData {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ParData")
            .field("label", &self.label)
            .field("val", &self.val)
            .field("prior", &self.prior)
            .field("frozen", &self.frozen)
            .field("comment", &self.comment)
            .field("scale", &self.scale)
            .field("unit", &self.unit)
            .field("posterior", &self.posterior.is_some())
            .finish()
    }
}

/// A shared parameter handle: clones refer to the same parameter.
#[derive(Clone)]
pub struct Par(Arc<RwLock<ParData>>);

/// The plain form of a label: the label with `$ { } \` removed (`log$E_p$` → `logE_p`).
pub fn plain_label(label: &str) -> String {
    label
        .chars()
        .filter(|c| !matches!(c, '$' | '{' | '}' | '\\'))
        .collect()
}

/// The loose lookup form of a label: plain label without `_` (`logE_p` → `logEp`).
pub fn loose_label(label: &str) -> String {
    plain_label(label).chars().filter(|&c| c != '_').collect()
}

/// How a key typed in a script matches a label, strictest first: the exact label
/// (`log$E_p$`), its plain form (`logE_p`), its loose form (`logEp`). Lookups try each level
/// in turn and stop at the first that matches.
pub const LABEL_MATCHES: [fn(&str, &str) -> bool; 3] = [exact_match, plain_match, loose_match];

fn exact_match(label: &str, key: &str) -> bool {
    label == key
}

fn plain_match(label: &str, key: &str) -> bool {
    plain_label(label) == key
}

fn loose_match(label: &str, key: &str) -> bool {
    loose_label(label) == loose_label(key)
}

impl Par {
    /// A free, linear parameter with a value and an optional prior.
    pub fn new(label: &str, val: f64, prior: Option<Prior>) -> Par {
        Par(Arc::new(RwLock::new(ParData {
            label: label.to_string(),
            val,
            prior,
            frozen: false,
            comment: None,
            scale: Scale::Linear,
            unit: None,
            posterior: None,
            version: 0,
        })))
    }

    /// A frozen parameter without prior (e.g. the constant of a numeric literal).
    pub fn fixed(label: &str, val: f64) -> Par {
        let p = Par::new(label, val, None);
        p.set_frozen(true);
        p
    }

    fn read(&self) -> RwLockReadGuard<'_, ParData> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, ParData> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// A copy of the whole state.
    pub fn data(&self) -> ParData {
        self.read().clone()
    }

    /// Exact label (`log$E_p$`).
    pub fn label(&self) -> String {
        self.read().label.clone()
    }

    /// Plain label (`logE_p`).
    pub fn plain(&self) -> String {
        plain_label(&self.read().label)
    }

    /// Raw value.
    pub fn val(&self) -> f64 {
        self.read().val
    }

    /// Set the raw value (bumps the version counter).
    pub fn set_val(&self, v: f64) {
        let mut d = self.write();
        d.val = v;
        d.version = d.version.wrapping_add(1);
    }

    /// The version counter (changes whenever `val` is set).
    pub fn version(&self) -> u64 {
        self.read().version
    }

    /// Prior, if any.
    pub fn prior(&self) -> Option<Prior> {
        self.read().prior.clone()
    }

    /// Set or clear the prior.
    pub fn set_prior(&self, prior: Option<Prior>) {
        self.write().prior = prior;
    }

    /// Whether the parameter is fixed during inference.
    pub fn frozen(&self) -> bool {
        self.read().frozen
    }

    /// Freeze or thaw.
    pub fn set_frozen(&self, frozen: bool) {
        self.write().frozen = frozen;
    }

    /// Set the value and freeze (`frozen_at(v)`).
    pub fn frozen_at(&self, v: f64) {
        let mut d = self.write();
        d.val = v;
        d.frozen = true;
        d.version = d.version.wrapping_add(1);
    }

    /// Free-text comment.
    pub fn comment(&self) -> Option<String> {
        self.read().comment.clone()
    }

    /// Set or clear the comment.
    pub fn set_comment(&self, c: Option<String>) {
        self.write().comment = c;
    }

    /// Scale (linear/log).
    pub fn scale(&self) -> Scale {
        self.read().scale
    }

    /// Set the scale.
    pub fn set_scale(&self, s: Scale) {
        self.write().scale = s;
    }

    /// Unit multiplier, if any.
    pub fn unit(&self) -> Option<f64> {
        self.read().unit
    }

    /// Set or clear the unit multiplier.
    pub fn set_unit(&self, u: Option<f64>) {
        self.write().unit = u;
    }

    /// Posterior container, if a fit attached one.
    pub fn posterior(&self) -> Option<Posterior> {
        self.read().posterior.clone()
    }

    /// Attach or clear the posterior container.
    pub fn set_posterior(&self, p: Option<Posterior>) {
        self.write().posterior = p;
    }

    /// Physical value: `val` (linear) or `10^val` (log), times the unit if any.
    pub fn value(&self) -> f64 {
        let d = self.read();
        let v = match d.scale {
            Scale::Linear => d.val,
            Scale::Log => 10f64.powf(d.val),
        };
        v * d.unit.unwrap_or(1.0)
    }

    /// Range for minimisers/plots (inference.md 2.3): frozen → (val, val); a prior with finite
    /// support (unif and the other bounded families) → its support; an unbounded prior → the
    /// central 95 % interval; free without prior → error.
    pub fn range(&self) -> Result<(f64, f64)> {
        let d = self.read();
        if d.frozen {
            return Ok((d.val, d.val));
        }
        match &d.prior {
            None => bail!("parameter {} is free but has no prior", d.label),
            Some(p) => {
                let (lo, hi) = p.support();
                if lo.is_finite() && hi.is_finite() {
                    Ok((lo, hi))
                } else {
                    Ok(p.interval(0.95))
                }
            }
        }
    }

    /// Whether two handles refer to the same parameter (pointer identity).
    pub fn same(&self, other: &Par) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Prior text for tables: the prior's info, `frozen` when frozen, `None` without prior.
    pub fn prior_text(&self) -> String {
        let d = self.read();
        if d.frozen {
            "frozen".to_string()
        } else {
            d.prior
                .as_ref()
                .map_or_else(|| "none".to_string(), |p| p.info())
        }
    }
}

impl fmt::Debug for Par {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.read().fmt(f)
    }
}

impl fmt::Display for Par {
    /// One row: `label = val  prior` (or `frozen`).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let label = self.label();
        write!(f, "{} = {}  {}", label, self.val(), self.prior_text())
    }
}
