//! Configuration values (`Cfg`): permanently frozen settings of a component (redshift, pivot …).

use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::bail;
use crate::error::Result;
use crate::model::par::plain_label;

/// The value of a configuration entry.
#[derive(Clone, Debug, PartialEq)]
pub enum CfgValue {
    /// a number (redshift, pivot energy, smoothness …)
    Num(f64),
    /// a flag (`vfv_peak`)
    Bool(bool),
    /// a string (`method` of zdust)
    Str(String),
    /// no value (`$R_V$` of zdust: use the law's standard value)
    Null,
}

impl CfgValue {
    /// The number, if this is a number.
    pub fn as_num(&self) -> Option<f64> {
        match self {
            CfgValue::Num(x) => Some(*x),
            _ => None,
        }
    }

    /// The flag, if this is a boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            CfgValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The text, if this is a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            CfgValue::Str(s) => Some(s),
            _ => None,
        }
    }

    /// Short type name for messages.
    pub fn type_name(&self) -> &'static str {
        match self {
            CfgValue::Num(_) => "number",
            CfgValue::Bool(_) => "boolean",
            CfgValue::Str(_) => "string",
            CfgValue::Null => "null",
        }
    }
}

impl fmt::Display for CfgValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CfgValue::Num(x) => write!(f, "{x}"),
            CfgValue::Bool(b) => write!(f, "{b}"),
            CfgValue::Str(s) => write!(f, "{s}"),
            CfgValue::Null => write!(f, "none"),
        }
    }
}

impl From<f64> for CfgValue {
    fn from(x: f64) -> Self {
        CfgValue::Num(x)
    }
}

impl From<bool> for CfgValue {
    fn from(b: bool) -> Self {
        CfgValue::Bool(b)
    }
}

impl From<&str> for CfgValue {
    fn from(s: &str) -> Self {
        CfgValue::Str(s.to_string())
    }
}

/// The state behind a [`Cfg`] handle.
#[derive(Clone, Debug)]
pub struct CfgData {
    /// exact label (`redshift`, `$R_V$`)
    pub label: String,
    /// current value
    pub val: CfgValue,
    /// free text
    pub comment: Option<String>,
}

/// A shared configuration handle: clones refer to the same entry.
#[derive(Clone)]
pub struct Cfg(Arc<RwLock<CfgData>>);

impl Cfg {
    /// A configuration entry with its value.
    pub fn new(label: &str, val: CfgValue) -> Cfg {
        Cfg(Arc::new(RwLock::new(CfgData {
            label: label.to_string(),
            val,
            comment: None,
        })))
    }

    fn read(&self) -> RwLockReadGuard<'_, CfgData> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, CfgData> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Exact label.
    pub fn label(&self) -> String {
        self.read().label.clone()
    }

    /// Plain label (label with `$ { } \` removed).
    pub fn plain(&self) -> String {
        plain_label(&self.read().label)
    }

    /// Current value.
    pub fn val(&self) -> CfgValue {
        self.read().val.clone()
    }

    /// Set the value. The type must match the current one, except that `Null` and numbers may
    /// replace each other (zdust's `$R_V$`).
    pub fn set_val(&self, v: CfgValue) -> Result<()> {
        let mut d = self.write();
        let ok = matches!(
            (&d.val, &v),
            (CfgValue::Num(_), CfgValue::Num(_))
                | (CfgValue::Bool(_), CfgValue::Bool(_))
                | (CfgValue::Str(_), CfgValue::Str(_))
                | (CfgValue::Null, CfgValue::Num(_) | CfgValue::Null)
                | (CfgValue::Num(_), CfgValue::Null)
        );
        if !ok {
            bail!(
                "configuration {} holds a {}; cannot set it to a {} ({v})",
                d.label,
                d.val.type_name(),
                v.type_name()
            );
        }
        d.val = v;
        Ok(())
    }

    /// The value as a number (error naming the label otherwise).
    pub fn num(&self) -> Result<f64> {
        let d = self.read();
        match d.val {
            CfgValue::Num(x) => Ok(x),
            ref other => bail!(
                "configuration {} is a {}, not a number",
                d.label,
                other.type_name()
            ),
        }
    }

    /// Free-text comment.
    pub fn comment(&self) -> Option<String> {
        self.read().comment.clone()
    }

    /// Set or clear the comment.
    pub fn set_comment(&self, c: Option<String>) {
        self.write().comment = c;
    }

    /// Whether two handles refer to the same entry.
    pub fn same(&self, other: &Cfg) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl fmt::Debug for Cfg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.read().fmt(f)
    }
}

impl fmt::Display for Cfg {
    /// One row: `label = value`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.read();
        write!(f, "{} = {}", d.label, d.val)
    }
}
