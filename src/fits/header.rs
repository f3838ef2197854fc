//! Read access to the header keywords of one HDU.

use fitsio_pure::header::Card;
use fitsio_pure::value::Value;

/// The header cards of one HDU, with typed keyword look-up (keywords are matched
/// case-insensitively; the first card with the keyword wins).
#[derive(Debug, Clone, Copy)]
pub struct Header<'a> {
    cards: &'a [Card],
}

impl<'a> Header<'a> {
    /// Wrap a slice of parsed cards.
    pub fn new(cards: &'a [Card]) -> Self {
        Header { cards }
    }

    /// The raw value of a keyword, if present and not commentary.
    pub fn value(&self, key: &str) -> Option<&'a Value> {
        let key = key.trim();
        self.cards
            .iter()
            .find(|c| c.keyword_str().eq_ignore_ascii_case(key))
            .and_then(|c| c.value.as_ref())
    }

    /// Whether the keyword is present with a value.
    pub fn has(&self, key: &str) -> bool {
        self.value(key).is_some()
    }

    /// A numeric keyword as f64 (integers are converted; a numeric string is parsed).
    pub fn f64(&self, key: &str) -> Option<f64> {
        match self.value(key)? {
            Value::Float(f) => Some(*f),
            Value::Integer(i) => Some(*i as f64),
            Value::String(s) => s.trim().parse::<f64>().ok(),
            _ => None,
        }
    }

    /// An integer keyword (a float with an integral value is accepted).
    pub fn i64(&self, key: &str) -> Option<i64> {
        match self.value(key)? {
            Value::Integer(i) => Some(*i),
            Value::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Some(*f as i64),
            Value::String(s) => s.trim().parse::<i64>().ok(),
            _ => None,
        }
    }

    /// A string keyword, trimmed.
    pub fn str(&self, key: &str) -> Option<String> {
        match self.value(key)? {
            Value::String(s) => Some(s.trim().to_string()),
            _ => None,
        }
    }

    /// A logical keyword (`T`/`F`; also the strings "T"/"F"/"TRUE"/"FALSE").
    pub fn bool(&self, key: &str) -> Option<bool> {
        match self.value(key)? {
            Value::Logical(b) => Some(*b),
            Value::String(s) => match s.trim().to_ascii_uppercase().as_str() {
                "T" | "TRUE" => Some(true),
                "F" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// Whether a string keyword equals `want`, case-insensitively.
    pub fn str_is(&self, key: &str, want: &str) -> bool {
        self.str(key)
            .map(|s| s.eq_ignore_ascii_case(want))
            .unwrap_or(false)
    }

    /// `EXTNAME`, if any.
    pub fn extname(&self) -> Option<String> {
        self.str("EXTNAME")
    }

    /// All cards of the header.
    pub fn cards(&self) -> &'a [Card] {
        self.cards
    }
}
