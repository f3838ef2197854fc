//! Parsing of binary-table `TFORMn` values.

use crate::error::{Error, Result};

/// Element type of a binary-table column (the FITS type letter).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ElemType {
    /// `L`: logical (one byte, `T`/`F`).
    Logical,
    /// `X`: bit array.
    Bit,
    /// `B`: unsigned byte.
    Byte,
    /// `I`: 16-bit signed integer.
    Short,
    /// `J`: 32-bit signed integer.
    Int,
    /// `K`: 64-bit signed integer.
    Long,
    /// `E`: 32-bit float.
    Float,
    /// `D`: 64-bit float.
    Double,
    /// `C`: complex float pair.
    ComplexFloat,
    /// `M`: complex double pair.
    ComplexDouble,
    /// `A`: character.
    Ascii,
}

impl ElemType {
    fn from_letter(c: char) -> Option<ElemType> {
        Some(match c {
            'L' => ElemType::Logical,
            'X' => ElemType::Bit,
            'B' => ElemType::Byte,
            'I' => ElemType::Short,
            'J' => ElemType::Int,
            'K' => ElemType::Long,
            'E' => ElemType::Float,
            'D' => ElemType::Double,
            'C' => ElemType::ComplexFloat,
            'M' => ElemType::ComplexDouble,
            'A' => ElemType::Ascii,
            _ => return None,
        })
    }

    /// Bytes per element (0 for bits, which are packed).
    pub fn size(self) -> usize {
        match self {
            ElemType::Logical | ElemType::Byte | ElemType::Ascii => 1,
            ElemType::Bit => 0,
            ElemType::Short => 2,
            ElemType::Int | ElemType::Float => 4,
            ElemType::Long | ElemType::Double | ElemType::ComplexFloat => 8,
            ElemType::ComplexDouble => 16,
        }
    }

    /// Whether the type is an integer type (for which `TNULLn` applies).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            ElemType::Byte | ElemType::Short | ElemType::Int | ElemType::Long
        )
    }
}

/// A parsed `TFORMn`: repeat count, element type, and for variable-length arrays the
/// descriptor kind (`P` = 32-bit, `Q` = 64-bit) and the optional maximum length.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tform {
    /// Repeat count (elements per row for a fixed column; descriptors per row for `P`/`Q`).
    pub repeat: usize,
    /// Element type.
    pub elem: ElemType,
    /// `Some(false)` for a `P` descriptor, `Some(true)` for `Q`, `None` for a fixed column.
    pub var64: Option<bool>,
    /// Maximum length of a variable-length array, if given (`PE(81)` → 81).
    pub max_len: Option<usize>,
}

impl Tform {
    /// Parse a `TFORMn` value such as `E`, `1I`, `470D`, `PI(2)`, `1PJ(3)`, `QD(100)`.
    pub fn parse(text: &str) -> Result<Tform> {
        let bad = || Error::new(format!("invalid TFORM '{text}'"));
        let s = text.trim().to_ascii_uppercase();
        let digits = s.bytes().take_while(|b| b.is_ascii_digit()).count();
        let repeat = if digits == 0 {
            1
        } else {
            s[..digits].parse::<usize>().map_err(|_| bad())?
        };
        let mut rest = s[digits..].chars();
        let letter = rest.next().ok_or_else(bad)?;
        if letter == 'P' || letter == 'Q' {
            let elem = rest
                .next()
                .and_then(ElemType::from_letter)
                .ok_or_else(bad)?;
            let tail: String = rest.collect();
            let tail = tail.trim();
            let max_len = if tail.is_empty() {
                None
            } else {
                let inner = tail
                    .strip_prefix('(')
                    .and_then(|t| t.strip_suffix(')'))
                    .ok_or_else(bad)?;
                Some(inner.trim().parse::<usize>().map_err(|_| bad())?)
            };
            if repeat > 1 {
                return Err(Error::new(format!(
                    "TFORM '{text}': more than one variable-length descriptor per cell is not supported"
                )));
            }
            return Ok(Tform {
                repeat,
                elem,
                var64: Some(letter == 'Q'),
                max_len,
            });
        }
        let elem = ElemType::from_letter(letter).ok_or_else(bad)?;
        // Anything after the type letter (e.g. `20A10` for ASCII sub-strings) is ignored.
        Ok(Tform {
            repeat,
            elem,
            var64: None,
            max_len: None,
        })
    }

    /// Bytes this column occupies in one row of the main table (checked arithmetic).
    pub fn row_bytes(&self) -> Option<usize> {
        match self.var64 {
            Some(false) => self.repeat.checked_mul(8),
            Some(true) => self.repeat.checked_mul(16),
            None if self.elem == ElemType::Bit => Some(self.repeat.div_ceil(8)),
            None => self.repeat.checked_mul(self.elem.size()),
        }
    }

    /// Whether this is a variable-length array column.
    pub fn is_var(&self) -> bool {
        self.var64.is_some()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_ogip_forms() {
        let t = Tform::parse("470D").unwrap();
        assert_eq!((t.repeat, t.elem, t.var64), (470, ElemType::Double, None));
        let t = Tform::parse("I").unwrap();
        assert_eq!((t.repeat, t.elem), (1, ElemType::Short));
        let t = Tform::parse("1PI(2)").unwrap();
        assert_eq!(
            (t.repeat, t.elem, t.var64, t.max_len),
            (1, ElemType::Short, Some(false), Some(2))
        );
        let t = Tform::parse("QD(100)").unwrap();
        assert_eq!(
            (t.elem, t.var64, t.max_len),
            (ElemType::Double, Some(true), Some(100))
        );
        let t = Tform::parse("PE").unwrap();
        assert_eq!(
            (t.elem, t.var64, t.max_len),
            (ElemType::Float, Some(false), None)
        );
        assert!(Tform::parse("").is_err());
        assert!(Tform::parse("7Z").is_err());
        assert!(Tform::parse("PE(x)").is_err());
        assert!(Tform::parse("99999999999999999999E").is_err());
    }
}
