//! Option maps (`#{ key: value }`) with unknown-key errors, and number conversion.
//!
//! Every script function that takes options goes through [`Options`], so a
//! misspelt key, a value of the wrong type or a value out of range is an error
//! that names the key and lists the accepted ones.

use rhai::{Array, Dynamic, EvalAltResult, Map};

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

/// An options map checked against the accepted keys of the function `owner`.
pub struct Options {
    owner: String,
    map: Map,
}

impl Options {
    /// Check `map` against `accepted`; an unknown key is an error naming it and listing the rest.
    pub fn new(owner: &str, map: Map, accepted: &[&str]) -> RhaiResult<Self> {
        for key in map.keys() {
            if !accepted.contains(&key.as_str()) {
                return err(format!(
                    "{owner}: unknown option '{key}'; accepted options are: {}",
                    accepted.join(", ")
                ));
            }
        }
        Ok(Options {
            owner: owner.to_string(),
            map,
        })
    }

    fn type_err<T>(&self, key: &str, want: &str, got: &Dynamic) -> RhaiResult<T> {
        err(format!(
            "{}: option '{key}' must be {want}, not {}",
            self.owner,
            got.type_name()
        ))
    }

    /// Whether the key was given.
    pub fn has(&self, key: &str) -> bool {
        self.map.contains_key(key)
    }

    /// The raw value of a key, if given.
    pub fn raw(&self, key: &str) -> Option<&Dynamic> {
        self.map.get(key)
    }

    /// A number (integer or float).
    pub fn f64(&self, key: &str) -> RhaiResult<Option<f64>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) => match as_f64(v) {
                Some(x) => Ok(Some(x)),
                None => self.type_err(key, "a number", v),
            },
        }
    }

    /// A non-negative integer (a float with an integral value is accepted).
    pub fn usize(&self, key: &str) -> RhaiResult<Option<usize>> {
        match self.map.get(key) {
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

    /// An integer seed (any i64, stored as u64 bits).
    pub fn u64(&self, key: &str) -> RhaiResult<Option<u64>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) => match v.as_int() {
                Ok(i) if i >= 0 => Ok(Some(i as u64)),
                Ok(i) => err(format!(
                    "{}: option '{key}' must be ≥ 0, got {i}",
                    self.owner
                )),
                Err(_) => self.type_err(key, "an integer", v),
            },
        }
    }

    /// A boolean.
    pub fn bool(&self, key: &str) -> RhaiResult<Option<bool>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) => match v.as_bool() {
                Ok(b) => Ok(Some(b)),
                Err(_) => self.type_err(key, "true or false", v),
            },
        }
    }

    /// A string.
    pub fn string(&self, key: &str) -> RhaiResult<Option<String>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) if v.is_string() => Ok(Some(v.to_string())),
            Some(v) => self.type_err(key, "a string", v),
        }
    }

    /// An array of numbers.
    pub fn f64_vec(&self, key: &str) -> RhaiResult<Option<Vec<f64>>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) if v.is_array() => {
                let a = v.clone().into_array().unwrap_or_default();
                num_vec(&a, &format!("{}: option '{key}'", self.owner)).map(Some)
            }
            Some(v) => self.type_err(key, "an array of numbers", v),
        }
    }

    /// A nested map.
    pub fn map(&self, key: &str) -> RhaiResult<Option<Map>> {
        match self.map.get(key) {
            None => Ok(None),
            Some(v) if v.is_map() => Ok(v.clone().try_cast::<Map>()),
            Some(v) => self.type_err(key, "an object map #{...}", v),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, Dynamic)]) -> Map {
        pairs
            .iter()
            .map(|(k, v)| ((*k).into(), v.clone()))
            .collect()
    }

    #[test]
    fn unknown_key_names_key_and_accepted() {
        let e = Options::new(
            "f",
            map(&[("nlve", Dynamic::from_int(3))]),
            &["nlive", "seed"],
        )
        .err()
        .unwrap()
        .to_string();
        assert!(e.contains("'nlve'"), "{e}");
        assert!(e.contains("nlive, seed"), "{e}");
    }

    #[test]
    fn whole_numbers_are_bounded_and_finite_numbers_checked() {
        let o = Options::new(
            "f",
            map(&[
                ("big", Dynamic::from_float(1e30)),
                ("ok", Dynamic::from_float(MAX_WHOLE)),
            ]),
            &["big", "ok"],
        )
        .unwrap();
        let e = o.usize("big").err().unwrap().to_string();
        assert!(e.contains("'big'") && e.contains("too large"), "{e}");
        assert_eq!(o.usize("ok").unwrap(), Some(1usize << 53));
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
            &["a", "b"],
        )
        .unwrap();
        assert_eq!(o.f64("a").unwrap(), Some(2.0));
        assert_eq!(o.f64("b").unwrap(), Some(2.5));
        assert_eq!(o.usize("a").unwrap(), Some(2));
        assert!(o.usize("b").is_err());
        assert!(o.string("a").is_err());
        assert_eq!(o.f64("c").unwrap(), None);
    }
}
