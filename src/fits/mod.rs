//! A small FITS layer over `fitsio-pure`: reading binary tables (fixed and variable-length
//! columns, TSCAL/TZERO/TNULL), header keywords, HDU lookup, transparent gzip, and writing
//! simple binary-table files atomically.
//!
//! Every other module goes through this one, so swapping the FITS crate stays cheap.
//! Corrupt or truncated input gives an [`Error`](crate::error::Error), never a panic: all
//! sizes read from headers are checked against the bytes present before anything is allocated.

mod atomic;
mod file;
mod header;
mod scan;
mod table;
mod tform;
mod write;

pub use atomic::{write_atomic, write_atomic_unflushed};
pub use file::{set_hint_dirs, FitsFile};
pub use header::Header;
pub use table::{ColumnInfo, ColumnValues, Table};
pub use tform::{ElemType, Tform};
pub use write::{ColumnData, HduBuilder, KeyValue};
