//! Writing FITS files made of an empty primary HDU and binary-table extensions, with fixed
//! and variable-length (`P`) columns.

use crate::error::{Error, Result};
use fitsio_pure::header::{serialize_header, Card};
use fitsio_pure::value::Value;

/// A header keyword value to write.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyValue {
    /// Character string.
    Str(String),
    /// Integer.
    Int(i64),
    /// Floating point (written without loss of precision).
    Float(f64),
    /// Logical `T`/`F`.
    Bool(bool),
}

impl KeyValue {
    fn to_value(&self) -> Value {
        match self {
            KeyValue::Str(s) => Value::String(s.clone()),
            KeyValue::Int(i) => Value::Integer(*i),
            KeyValue::Float(f) => Value::Float(*f),
            KeyValue::Bool(b) => Value::Logical(*b),
        }
    }
}

impl From<&str> for KeyValue {
    fn from(s: &str) -> Self {
        KeyValue::Str(s.to_string())
    }
}
impl From<String> for KeyValue {
    fn from(s: String) -> Self {
        KeyValue::Str(s)
    }
}
impl From<i64> for KeyValue {
    fn from(v: i64) -> Self {
        KeyValue::Int(v)
    }
}
impl From<usize> for KeyValue {
    fn from(v: usize) -> Self {
        KeyValue::Int(v as i64)
    }
}
impl From<f64> for KeyValue {
    fn from(v: f64) -> Self {
        KeyValue::Float(v)
    }
}
impl From<bool> for KeyValue {
    fn from(v: bool) -> Self {
        KeyValue::Bool(v)
    }
}

/// Data of one column to write; fixed columns hold `repeat` values per row, flattened.
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnData {
    /// `nI`: 16-bit integers.
    I16 {
        /// Values per row.
        repeat: usize,
        /// Row-major values.
        values: Vec<i16>,
    },
    /// `nJ`: 32-bit integers.
    I32 {
        /// Values per row.
        repeat: usize,
        /// Row-major values.
        values: Vec<i32>,
    },
    /// `nE`: 32-bit floats.
    F32 {
        /// Values per row.
        repeat: usize,
        /// Row-major values.
        values: Vec<f32>,
    },
    /// `nD`: 64-bit floats.
    F64 {
        /// Values per row.
        repeat: usize,
        /// Row-major values.
        values: Vec<f64>,
    },
    /// `nA`: strings of `width` characters.
    Ascii {
        /// Characters per cell.
        width: usize,
        /// One string per row.
        values: Vec<String>,
    },
    /// `PJ`: variable-length 32-bit integers.
    VarI32(Vec<Vec<i32>>),
    /// `PE`: variable-length 32-bit floats.
    VarF32(Vec<Vec<f32>>),
    /// `PD`: variable-length 64-bit floats.
    VarF64(Vec<Vec<f64>>),
}

impl ColumnData {
    fn nrows(&self) -> Option<usize> {
        let per = |len: usize, rep: usize| {
            if rep == 0 || !len.is_multiple_of(rep) {
                None
            } else {
                Some(len / rep)
            }
        };
        match self {
            ColumnData::I16 { repeat, values } => per(values.len(), *repeat),
            ColumnData::I32 { repeat, values } => per(values.len(), *repeat),
            ColumnData::F32 { repeat, values } => per(values.len(), *repeat),
            ColumnData::F64 { repeat, values } => per(values.len(), *repeat),
            ColumnData::Ascii { values, .. } => Some(values.len()),
            ColumnData::VarI32(r) => Some(r.len()),
            ColumnData::VarF32(r) => Some(r.len()),
            ColumnData::VarF64(r) => Some(r.len()),
        }
    }

    fn tform(&self) -> String {
        match self {
            ColumnData::I16 { repeat, .. } => format!("{repeat}I"),
            ColumnData::I32 { repeat, .. } => format!("{repeat}J"),
            ColumnData::F32 { repeat, .. } => format!("{repeat}E"),
            ColumnData::F64 { repeat, .. } => format!("{repeat}D"),
            ColumnData::Ascii { width, .. } => format!("{width}A"),
            ColumnData::VarI32(r) => format!("1PJ({})", max_len(r)),
            ColumnData::VarF32(r) => format!("1PE({})", max_len(r)),
            ColumnData::VarF64(r) => format!("1PD({})", max_len(r)),
        }
    }

    fn width(&self) -> usize {
        match self {
            ColumnData::I16 { repeat, .. } => 2 * repeat,
            ColumnData::I32 { repeat, .. } | ColumnData::F32 { repeat, .. } => 4 * repeat,
            ColumnData::F64 { repeat, .. } => 8 * repeat,
            ColumnData::Ascii { width, .. } => *width,
            ColumnData::VarI32(_) | ColumnData::VarF32(_) | ColumnData::VarF64(_) => 8,
        }
    }

    /// Append row `row` of this column to `out` (and its heap part to `heap`).
    fn write_row(&self, row: usize, out: &mut Vec<u8>, heap: &mut Vec<u8>) -> Result<()> {
        fn descriptor(n: usize, heap: &[u8], out: &mut Vec<u8>) -> Result<()> {
            let n = i32::try_from(n).map_err(|_| Error::new("variable-length array too long"))?;
            let off = i32::try_from(heap.len()).map_err(|_| Error::new("FITS heap too large"))?;
            out.extend_from_slice(&n.to_be_bytes());
            out.extend_from_slice(&off.to_be_bytes());
            Ok(())
        }
        match self {
            ColumnData::I16 { repeat, values } => {
                for v in &values[row * repeat..(row + 1) * repeat] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::I32 { repeat, values } => {
                for v in &values[row * repeat..(row + 1) * repeat] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::F32 { repeat, values } => {
                for v in &values[row * repeat..(row + 1) * repeat] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::F64 { repeat, values } => {
                for v in &values[row * repeat..(row + 1) * repeat] {
                    out.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::Ascii { width, values } => {
                let s = values[row].as_bytes();
                let n = s.len().min(*width);
                out.extend_from_slice(&s[..n]);
                out.extend(std::iter::repeat_n(b' ', width - n));
            }
            ColumnData::VarI32(rows) => {
                descriptor(rows[row].len(), heap, out)?;
                for v in &rows[row] {
                    heap.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::VarF32(rows) => {
                descriptor(rows[row].len(), heap, out)?;
                for v in &rows[row] {
                    heap.extend_from_slice(&v.to_be_bytes());
                }
            }
            ColumnData::VarF64(rows) => {
                descriptor(rows[row].len(), heap, out)?;
                for v in &rows[row] {
                    heap.extend_from_slice(&v.to_be_bytes());
                }
            }
        }
        Ok(())
    }
}

fn max_len<T>(rows: &[Vec<T>]) -> usize {
    rows.iter().map(|r| r.len()).max().unwrap_or(0)
}

struct ColumnSpec {
    name: String,
    unit: Option<String>,
    data: ColumnData,
    tlmin: Option<i64>,
    tlmax: Option<i64>,
}

/// A binary-table extension under construction: keywords and columns.
pub struct HduBuilder {
    keys: Vec<(String, KeyValue, Option<String>)>,
    columns: Vec<ColumnSpec>,
    nrows: Option<usize>,
}

fn card(key: &str, value: Value, comment: Option<&str>) -> Result<Card> {
    let mut c = Card::new(key, value)
        .map_err(|e| Error::new(format!("cannot write FITS keyword '{key}': {e:?}")))?;
    c.comment = comment.map(|s| s.to_string());
    Ok(c)
}

impl HduBuilder {
    /// A new table extension named `extname`.
    pub fn new(extname: &str) -> HduBuilder {
        HduBuilder {
            keys: vec![("EXTNAME".into(), KeyValue::Str(extname.into()), None)],
            columns: Vec::new(),
            nrows: None,
        }
    }

    /// Add a keyword (after the structural ones).
    pub fn key(mut self, key: &str, value: impl Into<KeyValue>, comment: &str) -> Self {
        let comment = (!comment.is_empty()).then(|| comment.to_string());
        self.keys
            .push((key.to_ascii_uppercase(), value.into(), comment));
        self
    }

    /// Add a column; every column must have the same number of rows.
    pub fn column(mut self, name: &str, unit: Option<&str>, data: ColumnData) -> Result<Self> {
        self.push_column(name, unit, data, None)?;
        Ok(self)
    }

    /// Add a column with legal limits `TLMINn`/`TLMAXn` (for channel columns).
    pub fn column_with_limits(
        mut self,
        name: &str,
        unit: Option<&str>,
        data: ColumnData,
        tlmin: i64,
        tlmax: i64,
    ) -> Result<Self> {
        self.push_column(name, unit, data, Some((tlmin, tlmax)))?;
        Ok(self)
    }

    fn push_column(
        &mut self,
        name: &str,
        unit: Option<&str>,
        data: ColumnData,
        limits: Option<(i64, i64)>,
    ) -> Result<()> {
        let n = data.nrows().ok_or_else(|| {
            Error::new(format!(
                "column '{name}': data length is not a multiple of its repeat"
            ))
        })?;
        match self.nrows {
            Some(m) if m != n => {
                return Err(Error::new(format!(
                    "column '{name}' has {n} rows but the table has {m}"
                )))
            }
            _ => self.nrows = Some(n),
        }
        self.columns.push(ColumnSpec {
            name: name.into(),
            unit: unit.map(|u| u.into()),
            data,
            tlmin: limits.map(|l| l.0),
            tlmax: limits.map(|l| l.1),
        });
        Ok(())
    }

    fn to_bytes(&self) -> Result<Vec<u8>> {
        let nrows = self.nrows.unwrap_or(0);
        let mut data = Vec::new();
        let mut heap = Vec::new();
        for row in 0..nrows {
            for c in &self.columns {
                c.data.write_row(row, &mut data, &mut heap)?;
            }
        }
        let naxis1: usize = self.columns.iter().map(|c| c.data.width()).sum();
        let mut cards = vec![
            card(
                "XTENSION",
                Value::String("BINTABLE".into()),
                Some("binary table extension"),
            )?,
            card("BITPIX", Value::Integer(8), None)?,
            card("NAXIS", Value::Integer(2), None)?,
            card(
                "NAXIS1",
                Value::Integer(naxis1 as i64),
                Some("bytes per row"),
            )?,
            card(
                "NAXIS2",
                Value::Integer(nrows as i64),
                Some("number of rows"),
            )?,
            card(
                "PCOUNT",
                Value::Integer(heap.len() as i64),
                Some("heap size"),
            )?,
            card("GCOUNT", Value::Integer(1), None)?,
            card("TFIELDS", Value::Integer(self.columns.len() as i64), None)?,
        ];
        for (i, c) in self.columns.iter().enumerate() {
            let n = i + 1;
            cards.push(card(
                &format!("TTYPE{n}"),
                Value::String(c.name.clone()),
                None,
            )?);
            cards.push(card(
                &format!("TFORM{n}"),
                Value::String(c.data.tform()),
                None,
            )?);
            if let Some(u) = &c.unit {
                cards.push(card(&format!("TUNIT{n}"), Value::String(u.clone()), None)?);
            }
            if let Some(v) = c.tlmin {
                cards.push(card(&format!("TLMIN{n}"), Value::Integer(v), None)?);
            }
            if let Some(v) = c.tlmax {
                cards.push(card(&format!("TLMAX{n}"), Value::Integer(v), None)?);
            }
        }
        for (k, v, c) in &self.keys {
            cards.push(card(k, v.to_value(), c.as_deref())?);
        }
        let mut out = serialize_header(&cards)
            .map_err(|e| Error::new(format!("cannot write FITS header: {e:?}")))?;
        data.extend_from_slice(&heap);
        let padded = data.len().div_ceil(2880) * 2880;
        data.resize(padded, 0);
        out.extend_from_slice(&data);
        Ok(out)
    }

    /// A whole FITS file: an empty primary HDU carrying `primary_keys`, then `hdus`.
    pub fn file_bytes(primary_keys: &[(&str, KeyValue)], hdus: &[HduBuilder]) -> Result<Vec<u8>> {
        let mut cards = vec![
            card(
                "SIMPLE",
                Value::Logical(true),
                Some("conforms to FITS standard"),
            )?,
            card("BITPIX", Value::Integer(8), None)?,
            card("NAXIS", Value::Integer(0), None)?,
            card("EXTEND", Value::Logical(true), None)?,
        ];
        for (k, v) in primary_keys {
            cards.push(card(k, v.to_value(), None)?);
        }
        let mut out = serialize_header(&cards)
            .map_err(|e| Error::new(format!("cannot write FITS header: {e:?}")))?;
        for h in hdus {
            out.extend_from_slice(&h.to_bytes()?);
        }
        Ok(out)
    }
}
