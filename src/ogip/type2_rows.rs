//! The rows of a Type II spectrum file at a glance — row, grating part and order (`TG_PART`,
//! `TG_M`), `SPEC_NUM`, counts and exposure — so that a user can pick, say, HEG −1 of a
//! Chandra `pha2` file without opening it.

use super::filespec::FileSpec;
use super::spectrum::{read_spectrum_from_fits, SpectrumRole};
use crate::error::{Error, Result};
use crate::fits::FitsFile;
use std::path::Path;

/// One row of a Type II file.
#[derive(Debug, Clone, PartialEq)]
pub struct Type2Row {
    /// Row number (1-based, as in `file{n}`).
    pub row: usize,
    /// `TG_PART` (1 HEG, 2 MEG, 3 LEG for Chandra gratings), if the file has it.
    pub tg_part: Option<i64>,
    /// `TG_M`, the diffraction order, if the file has it.
    pub tg_m: Option<i64>,
    /// `SPEC_NUM`, if the file has it.
    pub spec_num: Option<i64>,
    /// Total counts of the row (RATE × EXPOSURE for rate files).
    pub counts: f64,
    /// Exposure (s).
    pub exposure: f64,
    /// The row's time interval, as the spectrum reader finds it: its `TIME`/`ENDTIME` columns,
    /// else the header's `TSTART`/`TSTOP`.
    pub interval: Option<(f64, f64)>,
}

impl Type2Row {
    /// The middle of the row's time interval.
    pub fn mid_time(&self) -> Option<f64> {
        self.interval
            .map(|(a, b)| 0.5 * (a + b))
            .filter(|t| t.is_finite())
    }
}

/// The rows of the Type II spectrum in `path` (its first SPECTRUM extension); an error for a
/// Type I file.
pub fn type2_rows(path: &Path) -> Result<Vec<Type2Row>> {
    let file = FitsFile::open(path)?;
    let hdus = file.find(|h| h.str_is("EXTNAME", "SPECTRUM") || h.str_is("HDUCLAS1", "SPECTRUM"));
    let hdu = *hdus.first().ok_or_else(|| {
        Error::new(format!(
            "'{}' has no SPECTRUM extension ({})",
            path.display(),
            file.describe_hdus()
        ))
    })?;
    let table = file.table(hdu)?;
    let nrows = table.nrows();
    let column = |name: &str| -> Result<Option<Vec<f64>>> {
        Ok(table.read_opt(name)?.map(|v| {
            (0..nrows)
                .map(|r| v.row(r).first().copied().unwrap_or(f64::NAN))
                .collect()
        }))
    };
    let (part, order, num) = (column("TG_PART")?, column("TG_M")?, column("SPEC_NUM")?);
    let int = |c: &Option<Vec<f64>>, r: usize| {
        c.as_ref()
            .and_then(|v| v[r].is_finite().then_some(v[r] as i64))
    };
    let mut rows = Vec::with_capacity(nrows);
    for r in 0..nrows {
        let spec = FileSpec {
            path: path.to_path_buf(),
            ext: Some(hdu.to_string()),
            index: Some(r + 1),
            text: format!("{}{{{}}}", path.display(), r + 1),
        };
        let s = read_spectrum_from_fits(&file, &spec, SpectrumRole::Source).map_err(|e| {
            if e.to_string().contains("Type I spectrum") {
                Error::new(format!(
                    "'{}' is a Type I spectrum (one row): there are no rows to list",
                    path.display()
                ))
            } else {
                e
            }
        })?;
        rows.push(Type2Row {
            row: r + 1,
            tg_part: int(&part, r),
            tg_m: int(&order, r),
            spec_num: int(&num, r),
            counts: s.counts.iter().filter(|c| c.is_finite()).sum(),
            exposure: s.exposure,
            interval: s.time_range,
        });
    }
    Ok(rows)
}

/// The rows as a printed table (`TG_PART` shown as HEG/MEG/LEG where it is 1/2/3).
pub fn type2_table(rows: &[Type2Row]) -> String {
    let mut t = crate::format::table();
    t.set_header(vec![
        "row",
        "TG_PART",
        "TG_M",
        "SPEC_NUM",
        "counts",
        "exposure (s)",
    ]);
    let opt = |v: Option<i64>| v.map_or("–".to_string(), |x| x.to_string());
    for r in rows {
        let part = match r.tg_part {
            Some(1) => "1 (HEG)".to_string(),
            Some(2) => "2 (MEG)".to_string(),
            Some(3) => "3 (LEG)".to_string(),
            other => opt(other),
        };
        t.add_row(vec![
            r.row.to_string(),
            part,
            opt(r.tg_m),
            opt(r.spec_num),
            format!("{}", r.counts),
            format!("{:.1}", r.exposure),
        ]);
    }
    t.to_string()
}
