//! Binary tables: validated layout, column look-up by name, fixed and variable-length reads.

use super::file::FitsFile;
use super::header::Header;
use super::tform::{ElemType, Tform};
use crate::error::{Error, Result};
use fitsio_pure::hdu::{Hdu, HduInfo};

/// Variable-length values decoded per heap byte, at most (heap bytes may be shared between rows).
const VAR_VALUES_PER_HEAP_BYTE: usize = 16;

/// Variable-length values always allowed in one column, whatever the heap size (8 MB of f64).
const MIN_VAR_VALUES: usize = 1 << 20;

/// Upper bound on the number of columns (`TFIELDS`) a table may declare (FITS allows 999).
const MAX_TFIELDS: usize = 999;

/// One column of a binary table.
#[derive(Debug, Clone)]
pub struct ColumnInfo {
    /// `TTYPEn` (trimmed; empty if absent).
    pub name: String,
    /// Column number n (1-based, as in the `TxxxN` keywords).
    pub number: usize,
    /// Parsed `TFORMn`.
    pub tform: Tform,
    /// `TFORMn` as written in the file.
    pub tform_text: String,
    /// Byte offset of the column inside a row.
    pub offset: usize,
    /// Bytes the column takes in a row.
    pub width: usize,
    /// `TSCALn` (default 1).
    pub tscal: f64,
    /// `TZEROn` (default 0).
    pub tzero: f64,
    /// `TNULLn` for integer columns.
    pub tnull: Option<i64>,
    /// `TUNITn`, if given.
    pub unit: Option<String>,
}

/// Values of one numeric column, physical (TSCAL/TZERO applied, TNULL → NaN).
#[derive(Debug, Clone, PartialEq)]
pub enum ColumnValues {
    /// A fixed-width column: `repeat` values per row, flattened row by row.
    Fixed {
        /// Values per row.
        repeat: usize,
        /// All values, row-major.
        values: Vec<f64>,
    },
    /// A variable-length array column: one vector per row.
    Var(Vec<Vec<f64>>),
}

impl ColumnValues {
    /// Number of rows.
    pub fn nrows(&self) -> usize {
        match self {
            ColumnValues::Fixed { repeat, values } => {
                if *repeat == 0 {
                    0
                } else {
                    values.len() / repeat
                }
            }
            ColumnValues::Var(rows) => rows.len(),
        }
    }

    /// The cell of row `i` (empty slice if out of range).
    pub fn row(&self, i: usize) -> &[f64] {
        match self {
            ColumnValues::Fixed { repeat, values } => {
                let start = i.saturating_mul(*repeat);
                values
                    .get(start..start.saturating_add(*repeat))
                    .unwrap_or(&[])
            }
            ColumnValues::Var(rows) => rows.get(i).map(|r| r.as_slice()).unwrap_or(&[]),
        }
    }

    /// Whether every row holds exactly one value (a scalar column).
    pub fn is_scalar(&self) -> bool {
        matches!(self, ColumnValues::Fixed { repeat: 1, .. })
    }

    /// For a scalar column, the values as one vector (one per row).
    pub fn scalars(&self) -> Option<&[f64]> {
        match self {
            ColumnValues::Fixed { repeat: 1, values } => Some(values),
            _ => None,
        }
    }
}

/// A binary table HDU whose layout has been checked against the bytes of the file.
#[derive(Debug, Clone)]
pub struct Table<'a> {
    label: &'a str,
    hdu: usize,
    header: Header<'a>,
    bytes: &'a [u8],
    data_start: usize,
    row_width: usize,
    nrows: usize,
    heap_start: usize,
    heap_end: usize,
    columns: Vec<ColumnInfo>,
}

impl<'a> Table<'a> {
    pub(crate) fn new(
        file: &'a FitsFile,
        index: usize,
        hdu: &'a Hdu,
        bytes: &'a [u8],
    ) -> Result<Table<'a>> {
        let label = file.label();
        let err = |why: String| Error::new(format!("'{label}' HDU {index}: {why}"));
        let HduInfo::BinaryTable {
            naxis1,
            naxis2,
            pcount,
            tfields,
        } = hdu.info
        else {
            return Err(err("not a binary table".into()));
        };
        let header = Header::new(&hdu.cards);
        // NAXIS/PCOUNT may have been negative in the file and wrapped by `as usize`.
        for key in ["NAXIS1", "NAXIS2", "PCOUNT", "TFIELDS"] {
            if header.i64(key).is_some_and(|v| v < 0) {
                return Err(err(format!("negative {key}")));
            }
        }
        if naxis2 > bytes.len() {
            return Err(err(format!(
                "NAXIS2 = {naxis2} rows is more than the file has bytes"
            )));
        }
        if tfields > MAX_TFIELDS {
            return Err(err(format!("TFIELDS = {tfields} is out of range")));
        }
        let table_bytes = naxis1
            .checked_mul(naxis2)
            .ok_or_else(|| err("NAXIS1 × NAXIS2 overflows".into()))?;
        let data_end = hdu
            .data_start
            .checked_add(table_bytes)
            .and_then(|e| e.checked_add(pcount))
            .ok_or_else(|| err("data size overflows".into()))?;
        if data_end > bytes.len() {
            return Err(err(format!(
                "truncated: the table needs {} bytes of data but the file ends after {}",
                table_bytes.saturating_add(pcount),
                bytes.len().saturating_sub(hdu.data_start)
            )));
        }
        let theap = match header.i64("THEAP") {
            Some(t) if t < 0 => return Err(err("negative THEAP".into())),
            Some(t) => t as usize,
            None => table_bytes,
        };
        let heap_start = hdu
            .data_start
            .checked_add(theap)
            .filter(|&h| h <= data_end)
            .ok_or_else(|| err("THEAP points outside the data".into()))?;

        let mut columns = Vec::with_capacity(tfields);
        let mut offset = 0usize;
        for n in 1..=tfields {
            let tform_text = header
                .str(&format!("TFORM{n}"))
                .ok_or_else(|| err(format!("missing TFORM{n}")))?;
            let tform = Tform::parse(&tform_text).map_err(|e| err(e.to_string()))?;
            let width = tform
                .row_bytes()
                .ok_or_else(|| err(format!("TFORM{n} = '{tform_text}' is too large")))?;
            let tnull = if tform.elem.is_integer() {
                header.i64(&format!("TNULL{n}"))
            } else {
                None
            };
            columns.push(ColumnInfo {
                name: header.str(&format!("TTYPE{n}")).unwrap_or_default(),
                number: n,
                tform,
                tform_text,
                offset,
                width,
                tscal: header.f64(&format!("TSCAL{n}")).unwrap_or(1.0),
                tzero: header.f64(&format!("TZERO{n}")).unwrap_or(0.0),
                tnull,
                unit: header.str(&format!("TUNIT{n}")).filter(|u| !u.is_empty()),
            });
            offset = offset
                .checked_add(width)
                .ok_or_else(|| err("row width overflows".into()))?;
        }
        if offset > naxis1 {
            return Err(err(format!(
                "columns need {offset} bytes per row but NAXIS1 = {naxis1}"
            )));
        }
        Ok(Table {
            label,
            hdu: index,
            header,
            bytes,
            data_start: hdu.data_start,
            row_width: naxis1,
            nrows: naxis2,
            heap_start,
            heap_end: data_end,
            columns,
        })
    }

    /// The file label (path) for messages.
    pub fn label(&self) -> &str {
        self.label
    }

    /// HDU number inside the file (primary = 0).
    pub fn hdu_index(&self) -> usize {
        self.hdu
    }

    /// The header of this HDU.
    pub fn header(&self) -> Header<'a> {
        self.header
    }

    /// Byte offset of the table data inside the (decompressed) file.
    pub fn data_start(&self) -> usize {
        self.data_start
    }

    /// Number of rows (`NAXIS2`).
    pub fn nrows(&self) -> usize {
        self.nrows
    }

    /// All columns.
    pub fn columns(&self) -> &[ColumnInfo] {
        &self.columns
    }

    /// A column by name (case-insensitive).
    pub fn column(&self, name: &str) -> Option<&ColumnInfo> {
        self.columns
            .iter()
            .find(|c| c.name.eq_ignore_ascii_case(name.trim()))
    }

    /// Whether a column with this name exists.
    pub fn has_column(&self, name: &str) -> bool {
        self.column(name).is_some()
    }

    fn where_(&self) -> String {
        format!("'{}' HDU {}", self.label, self.hdu)
    }

    /// The column by name, or an error naming the table and its columns.
    pub fn require_column(&self, name: &str) -> Result<&ColumnInfo> {
        self.column(name).ok_or_else(|| {
            let names: Vec<&str> = self.columns.iter().map(|c| c.name.as_str()).collect();
            Error::new(format!(
                "{}: no column '{name}' (columns: {})",
                self.where_(),
                names.join(", ")
            ))
        })
    }

    /// Read a numeric column by name (physical values).
    pub fn read(&self, name: &str) -> Result<ColumnValues> {
        let col = self.require_column(name)?.clone();
        self.read_column(&col)
    }

    /// Read a numeric column by name if it exists.
    pub fn read_opt(&self, name: &str) -> Result<Option<ColumnValues>> {
        match self.column(name) {
            Some(c) => {
                let c = c.clone();
                self.read_column(&c).map(Some)
            }
            None => Ok(None),
        }
    }

    /// Read a numeric column (physical values: TNULL → NaN, then TZERO + TSCAL × raw).
    pub fn read_column(&self, col: &ColumnInfo) -> Result<ColumnValues> {
        let elem = col.tform.elem;
        if !matches!(
            elem,
            ElemType::Logical
                | ElemType::Byte
                | ElemType::Short
                | ElemType::Int
                | ElemType::Long
                | ElemType::Float
                | ElemType::Double
        ) {
            return Err(Error::new(format!(
                "{}: column '{}' has non-numeric type '{}'",
                self.where_(),
                col.name,
                col.tform_text
            )));
        }
        let size = elem.size();
        let convert = |raw: &[u8]| -> f64 {
            let v = decode(elem, raw);
            if let (Some(null), true) = (col.tnull, elem.is_integer()) {
                if decode_int(elem, raw) == Some(null) {
                    return f64::NAN;
                }
            }
            col.tzero + col.tscal * v
        };
        match col.tform.var64 {
            None => {
                let repeat = col.tform.repeat;
                let mut values = Vec::with_capacity(self.nrows.saturating_mul(repeat));
                for row in 0..self.nrows {
                    let base = self.data_start + row * self.row_width + col.offset;
                    for k in 0..repeat {
                        let p = base + k * size;
                        values.push(convert(&self.bytes[p..p + size]));
                    }
                }
                Ok(ColumnValues::Fixed { repeat, values })
            }
            // `0P…`: the column holds no descriptor, so every cell is empty.
            Some(_) if col.tform.repeat == 0 => Ok(ColumnValues::Var(vec![Vec::new(); self.nrows])),
            Some(is_q) => {
                // Descriptors may share heap bytes, so a tiny heap could otherwise expand to
                // gigabytes of cells: bound the values decoded by the heap size.
                let heap_len = self.heap_end - self.heap_start;
                let max_values = heap_len
                    .saturating_mul(VAR_VALUES_PER_HEAP_BYTE)
                    .max(MIN_VAR_VALUES);
                let mut total = 0usize;
                let mut rows = Vec::with_capacity(self.nrows);
                for row in 0..self.nrows {
                    let p = self.data_start + row * self.row_width + col.offset;
                    let (count, off) = if is_q {
                        let c = i64::from_be_bytes(be8(&self.bytes[p..p + 8]));
                        let o = i64::from_be_bytes(be8(&self.bytes[p + 8..p + 16]));
                        (c, o)
                    } else {
                        let c = i32::from_be_bytes(be4(&self.bytes[p..p + 4])) as i64;
                        let o = i32::from_be_bytes(be4(&self.bytes[p + 4..p + 8])) as i64;
                        (c, o)
                    };
                    let bad = || {
                        Error::new(format!(
                            "{}: column '{}' row {}: variable-length array ({count} elements at heap offset {off}) lies outside the heap",
                            self.where_(),
                            col.name,
                            row + 1
                        ))
                    };
                    if count < 0 || off < 0 {
                        return Err(bad());
                    }
                    let (count, off) = (count as usize, off as usize);
                    let start = self.heap_start.checked_add(off).ok_or_else(bad)?;
                    let end = count
                        .checked_mul(size)
                        .and_then(|n| start.checked_add(n))
                        .ok_or_else(bad)?;
                    if end > self.heap_end {
                        return Err(bad());
                    }
                    total = total.saturating_add(count);
                    if total > max_values {
                        return Err(Error::new(format!(
                            "{}: column '{}': the variable-length arrays of rows 1..{} hold {total} values, more than {max_values} for a heap of {heap_len} bytes (descriptors reuse the heap)",
                            self.where_(),
                            col.name,
                            row + 1
                        )));
                    }
                    let cell: Vec<f64> = self.bytes[start..end]
                        .chunks_exact(size)
                        .map(convert)
                        .collect();
                    rows.push(cell);
                }
                Ok(ColumnValues::Var(rows))
            }
        }
    }

    /// Read a character column (`nA`): one trimmed string per row.
    pub fn read_strings(&self, name: &str) -> Result<Vec<String>> {
        let col = self.require_column(name)?;
        if col.tform.elem != ElemType::Ascii || col.tform.is_var() {
            return Err(Error::new(format!(
                "{}: column '{}' is not a character column",
                self.where_(),
                col.name
            )));
        }
        let mut out = Vec::with_capacity(self.nrows);
        for row in 0..self.nrows {
            let p = self.data_start + row * self.row_width + col.offset;
            let raw = &self.bytes[p..p + col.width];
            let raw = match raw.iter().position(|&b| b == 0) {
                Some(n) => &raw[..n],
                None => raw,
            };
            out.push(String::from_utf8_lossy(raw).trim().to_string());
        }
        Ok(out)
    }
}

fn be4(b: &[u8]) -> [u8; 4] {
    let mut a = [0u8; 4];
    a.copy_from_slice(&b[..4]);
    a
}

fn be8(b: &[u8]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    a
}

fn decode_int(elem: ElemType, raw: &[u8]) -> Option<i64> {
    Some(match elem {
        ElemType::Byte => raw[0] as i64,
        ElemType::Short => i16::from_be_bytes([raw[0], raw[1]]) as i64,
        ElemType::Int => i32::from_be_bytes(be4(raw)) as i64,
        ElemType::Long => i64::from_be_bytes(be8(raw)),
        _ => return None,
    })
}

fn decode(elem: ElemType, raw: &[u8]) -> f64 {
    match elem {
        ElemType::Logical => match raw[0] {
            b'T' | b't' => 1.0,
            b'F' | b'f' => 0.0,
            _ => f64::NAN,
        },
        ElemType::Float => f32::from_be_bytes(be4(raw)) as f64,
        ElemType::Double => f64::from_be_bytes(be8(raw)),
        other => decode_int(other, raw).map(|v| v as f64).unwrap_or(f64::NAN),
    }
}
