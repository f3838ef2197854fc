//! Option maps (`#{ key: value }`) checked against their option tables, and number conversion.
//!
//! Every script function that takes options declares them once in a table of
//! [`OptionSpec`]s and reads them through [`Options`], so a misspelt key, a value of the
//! wrong type or a value out of range is an error that names the key and lists the accepted
//! ones, and `help("name")` shows the same table.

use rhai::{Array, Dynamic, EvalAltResult, Map};
use std::path::PathBuf;

/// Error type returned to Rhai.
pub type RhaiError = Box<EvalAltResult>;
/// Result returned to Rhai.
pub type RhaiResult<T> = Result<T, RhaiError>;

/// Turn any displayable error into a Rhai runtime error.
pub fn err<T>(msg: impl std::fmt::Display) -> RhaiResult<T> {
    Err(msg.to_string().into())
}

/// Map a crate error into a Rhai error.
pub fn lift<T>(r: crate::Result<T>) -> RhaiResult<T> {
    r.map_err(|e| e.message().to_string().into())
}

/// A number from an integer or a float (`None` for anything else).
pub fn as_f64(d: &Dynamic) -> Option<f64> {
    d.as_float()
        .ok()
        .or_else(|| d.as_int().ok().map(|i| i as f64))
}

/// A number from an integer or a float, or an error naming `what`.
pub fn num(d: &Dynamic, what: &str) -> RhaiResult<f64> {
    as_f64(d).ok_or_else(|| format!("{what} must be a number, not {}", d.type_name()).into())
}

/// A finite number (integer or float), or an error naming `what` (NaN and ±∞ are refused).
pub fn finite_num(d: &Dynamic, what: &str) -> RhaiResult<f64> {
    let x = num(d, what)?;
    if x.is_finite() {
        Ok(x)
    } else {
        err(format!("{what} must be a finite number, got {x}"))
    }
}

/// Largest whole number an option accepts (2^53: every integer up to it is exact in an f64).
pub const MAX_WHOLE: f64 = 9_007_199_254_740_992.0;

/// A Rhai array of numbers as `Vec<f64>`, or an error naming `what`.
pub fn num_vec(a: &Array, what: &str) -> RhaiResult<Vec<f64>> {
    a.iter()
        .enumerate()
        .map(|(i, d)| num(d, &format!("{what}[{i}]")))
        .collect()
}

/// A `Vec<f64>` as a Rhai array of floats.
pub fn to_array(v: &[f64]) -> Array {
    v.iter().map(|&x| Dynamic::from_float(x)).collect()
}

pub use crate::option_spec::{OptKind, OptionSpec};

/// Whether `v` has the type `kind` asks for (`Other` kinds are checked by their reader).
fn has_kind(kind: OptKind, v: &Dynamic) -> bool {
    match kind {
        OptKind::Int | OptKind::Float => as_f64(v).is_some(),
        OptKind::Seed => v.is_int(),
        OptKind::Bool => v.is_bool(),
        OptKind::Str | OptKind::Path => v.is_string(),
        OptKind::FloatPair | OptKind::Floats | OptKind::Strings => v.is_array(),
        OptKind::Map => v.is_map(),
        OptKind::Other(_) => true,
    }
}

/// An options map checked against the option table of the function `owner`.
pub struct Options {
    owner: String,
    map: Map,
    specs: &'static [OptionSpec],
}

impl Options {
    /// Check `map` against `specs`: an unknown key is an error naming it and listing the
    /// table's keys; a value of the wrong type is an error naming the key and the type.
    pub fn new(owner: &str, map: Map, specs: &'static [OptionSpec]) -> RhaiResult<Self> {
        for (key, v) in &map {
            let Some(spec) = crate::option_spec::find(specs, key) else {
                return err(format!(
                    "{owner}: unknown option '{key}'; accepted options are: {}",
                    crate::option_spec::keys(specs)
                ));
            };
            if !has_kind(spec.kind, v) {
                return err(format!(
                    "{owner}: option '{key}' must be {}, not {}",
                    spec.kind.expected(),
                    v.type_name()
                ));
            }
        }
        Ok(Options {
            owner: owner.to_string(),
            map,
            specs,
        })
    }

    /// The function the options belong to (for messages).
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// `owner: option 'key'`, the start of a message about one option.
    pub fn what(&self, spec: &OptionSpec) -> String {
        format!("{}: option '{}'", self.owner, spec.key)
    }

    fn type_err<T>(&self, key: &str, want: &str, got: &Dynamic) -> RhaiResult<T> {
        err(format!(
            "{}: option '{key}' must be {want}, not {}",
            self.owner,
            got.type_name()
        ))
    }

    /// The value given for `spec`; reading an option the table does not declare is an error.
    fn get(&self, spec: &OptionSpec) -> RhaiResult<Option<&Dynamic>> {
        if crate::option_spec::find(self.specs, spec.key).is_none() {
            return err(format!(
                "internal error: {} reads option '{}', which its table does not declare",
                self.owner, spec.key
            ));
        }
        Ok(self.map.get(spec.key))
    }

    /// Whether the option was given.
    pub fn has(&self, spec: &OptionSpec) -> bool {
        self.map.contains_key(spec.key)
    }

    /// The raw value, if given (for `Other` kinds, checked by the caller).
    pub fn raw(&self, spec: &OptionSpec) -> RhaiResult<Option<&Dynamic>> {
        self.get(spec)
    }

    /// A number (integer or float).
    pub fn f64(&self, spec: &OptionSpec) -> RhaiResult<Option<f64>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) => match as_f64(v) {
                Some(x) => Ok(Some(x)),
                None => self.type_err(spec.key, "a number", v),
            },
        }
    }

    /// A non-negative integer (a float with an integral value is accepted).
    pub fn usize(&self, spec: &OptionSpec) -> RhaiResult<Option<usize>> {
        let key = spec.key;
        match self.get(spec)? {
            None => Ok(None),
            Some(v) => {
                let x = match as_f64(v) {
                    Some(x) => x,
                    None => return self.type_err(key, "a whole number", v),
                };
                if x < 0.0 || x.fract() != 0.0 || !x.is_finite() {
                    return err(format!(
                        "{}: option '{key}' must be a whole number ≥ 0, got {x}",
                        self.owner
                    ));
                }
                if x > MAX_WHOLE {
                    return err(format!(
                        "{}: option '{key}' = {x:e} is too large (at most 2^53)",
                        self.owner
                    ));
                }
                Ok(Some(x as usize))
            }
        }
    }

    /// An integer seed (≥ 0).
    pub fn u64(&self, spec: &OptionSpec) -> RhaiResult<Option<u64>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) => match v.as_int() {
                Ok(i) if i >= 0 => Ok(Some(i as u64)),
                Ok(i) => err(format!(
                    "{}: option '{}' must be ≥ 0, got {i}",
                    self.owner, spec.key
                )),
                Err(_) => self.type_err(spec.key, "an integer", v),
            },
        }
    }

    /// A boolean.
    pub fn bool(&self, spec: &OptionSpec) -> RhaiResult<Option<bool>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) => match v.as_bool() {
                Ok(b) => Ok(Some(b)),
                Err(_) => self.type_err(spec.key, "true or false", v),
            },
        }
    }

    /// A string.
    pub fn string(&self, spec: &OptionSpec) -> RhaiResult<Option<String>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.to_string())),
            Some(v) => self.type_err(spec.key, "a string", v),
        }
    }

    /// A file or folder name.
    pub fn path(&self, spec: &OptionSpec) -> RhaiResult<Option<PathBuf>> {
        Ok(self.string(spec)?.map(PathBuf::from))
    }

    /// An array of numbers.
    pub fn f64_vec(&self, spec: &OptionSpec) -> RhaiResult<Option<Vec<f64>>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) if v.is_array() => {
                let a = v.clone().into_array().unwrap_or_default();
                num_vec(&a, &format!("{}: option '{}'", self.owner, spec.key)).map(Some)
            }
            Some(v) => self.type_err(spec.key, "an array of numbers", v),
        }
    }

    /// An array of strings (an element of another type is an error naming its index).
    pub fn strings(&self, spec: &OptionSpec) -> RhaiResult<Option<Vec<String>>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) if v.is_array() => {
                let a = v.clone().into_array().unwrap_or_default();
                a.iter()
                    .enumerate()
                    .map(|(i, d)| {
                        if d.is_string() {
                            Ok(d.to_string())
                        } else {
                            self.type_err(&format!("{}[{i}]", spec.key), "a string", d)
                        }
                    })
                    .collect::<RhaiResult<Vec<String>>>()
                    .map(Some)
            }
            Some(v) => self.type_err(spec.key, "an array of strings", v),
        }
    }

    /// A nested map.
    pub fn map(&self, spec: &OptionSpec) -> RhaiResult<Option<Map>> {
        match self.get(spec)? {
            None => Ok(None),
            Some(v) if v.is_map() => Ok(v.clone().try_cast::<Map>()),
            Some(v) => self.type_err(spec.key, "an object map #{...}", v),
        }
    }

    /// Overwrite `target` with the option's value when it is given (else leave it).
    pub fn set<T: OptValue>(&self, spec: &OptionSpec, target: &mut T) -> RhaiResult<()> {
        if let Some(v) = T::read(self, spec)? {
            *target = v;
        }
        Ok(())
    }
}

/// A type [`Options::set`] can read an option as.
pub trait OptValue: Sized {
    /// The option's value, if given.
    fn read(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<Self>>;
}

macro_rules! opt_value {
    ($($t:ty => $reader:ident),* $(,)?) => {$(
        impl OptValue for $t {
            fn read(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<Self>> {
                o.$reader(spec)
            }
        }
    )*};
}

opt_value!(f64 => f64, usize => usize, u64 => u64, bool => bool, String => string, PathBuf => path);

/// An optional field is set to `Some(value)` when the option is given.
impl<T: OptValue> OptValue for Option<T> {
    fn read(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<Self>> {
        Ok(T::read(o, spec)?.map(Some))
    }
}

/// An option map from key–value pairs (for unit tests).
#[cfg(test)]
pub(crate) fn map_of(pairs: &[(&str, Dynamic)]) -> Map {
    pairs
        .iter()
        .map(|(k, v)| ((*k).into(), v.clone()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::map_of as map;
    use super::*;

    const NLIVE: OptionSpec = OptionSpec::new("nlive", OptKind::Int, "500", "live points");
    const SEED: OptionSpec = OptionSpec::new("seed", OptKind::Seed, "none", "seed");
    const SAMPLER: &[OptionSpec] = &[NLIVE, SEED];
    const A: OptionSpec = OptionSpec::new("a", OptKind::Float, "none", "a");
    const B: OptionSpec = OptionSpec::new("b", OptKind::Float, "none", "b");
    const C: OptionSpec = OptionSpec::new("c", OptKind::Float, "none", "c");

    #[test]
    fn unknown_key_names_key_and_accepted() {
        let e = Options::new("f", map(&[("nlve", Dynamic::from_int(3))]), SAMPLER)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("f: unknown option 'nlve'; accepted options are: nlive, seed"),
            "{e}"
        );
    }

    #[test]
    fn wrong_type_names_key_and_type_at_once() {
        let e = Options::new("f", map(&[("nlive", Dynamic::from("many"))]), SAMPLER)
            .err()
            .unwrap()
            .to_string();
        assert!(
            e.contains("f: option 'nlive' must be a whole number, not string"),
            "{e}"
        );
        let e = Options::new("f", map(&[("seed", Dynamic::from_float(1.5))]), SAMPLER)
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("'seed' must be an integer"), "{e}");
    }

    #[test]
    fn reading_an_undeclared_option_is_an_error() {
        let o = Options::new("f", Map::new(), SAMPLER).unwrap();
        assert!(o.f64(&A).is_err());
        assert_eq!(o.usize(&NLIVE).unwrap(), None);
    }

    #[test]
    fn whole_numbers_are_bounded_and_finite_numbers_checked() {
        const BIG: OptionSpec = OptionSpec::new("big", OptKind::Int, "none", "");
        const OK: OptionSpec = OptionSpec::new("ok", OptKind::Int, "none", "");
        let o = Options::new(
            "f",
            map(&[
                ("big", Dynamic::from_float(1e30)),
                ("ok", Dynamic::from_float(MAX_WHOLE)),
            ]),
            &[BIG, OK],
        )
        .unwrap();
        let e = o.usize(&BIG).err().unwrap().to_string();
        assert!(e.contains("'big'") && e.contains("too large"), "{e}");
        assert_eq!(o.usize(&OK).unwrap(), Some(1usize << 53));
        let e = finite_num(&Dynamic::from_float(f64::NAN), "x: val")
            .err()
            .unwrap()
            .to_string();
        assert!(e.contains("x: val must be a finite number, got NaN"), "{e}");
        assert_eq!(finite_num(&Dynamic::from_int(3), "x").unwrap(), 3.0);
    }

    #[test]
    fn numbers_accept_int_and_float() {
        let o = Options::new(
            "f",
            map(&[("a", Dynamic::from_int(2)), ("b", Dynamic::from_float(2.5))]),
            &[A, B, C],
        )
        .unwrap();
        assert_eq!(o.f64(&A).unwrap(), Some(2.0));
        assert_eq!(o.f64(&B).unwrap(), Some(2.5));
        assert_eq!(o.usize(&A).unwrap(), Some(2));
        assert!(o.usize(&B).is_err());
        assert!(o.string(&A).is_err());
        assert_eq!(o.f64(&C).unwrap(), None);
    }
}
