//! OGIP spectral files: PHA spectra (Type I and II), responses (RSP, RMF, ARF, EBOUNDS),
//! and writing PHA / RSP files.
//!
//! File names accept selections, XSPEC-style: `"me.src2{3}"` picks row 3 (1-based) of a
//! Type II spectrum or matrix 3 (1-based) of a multi-matrix RSP2 file; `"x.pha[BKG]"` picks the
//! HDU whose `EXTNAME` or `HDUCLAS2` is `BKG`, `"x.pha[4]"` the HDU number 4 (primary = 0).

mod display;
mod filespec;
mod grouping_writer;
mod response;
mod spectrum;
mod type2_rows;
mod write;

pub use filespec::FileSpec;
pub use grouping_writer::write_grouping;
pub use response::{
    read_arf, read_arf_from_fits, read_response, read_response_for_time, read_response_from_fits,
    read_rmf, Arf, Response,
};
pub use spectrum::{
    grating_background, read_spectrum, read_spectrum_from_fits, Scale, Spectrum, SpectrumRole,
};
pub use type2_rows::{type2_rows, type2_table, Type2Row};
pub use write::{write_pha, write_rsp, write_rsp2, PhaWriteOptions};
