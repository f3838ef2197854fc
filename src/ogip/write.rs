//! Writing OGIP files: PHA Type I spectra and RSP responses (read back by this crate and by
//! standard OGIP readers). Files are written atomically.

use super::response::Response;
use super::spectrum::{Scale, Spectrum};
use crate::error::{Error, Result};
use crate::fits::{write_atomic, ColumnData, HduBuilder, KeyValue};
use std::path::Path;

/// Header details of a written PHA file.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PhaWriteOptions {
    /// Write as a background spectrum (`HDUCLAS2 = 'BKG'`) instead of `'TOTAL'`.
    pub background: bool,
    /// `BACKFILE` (base name of the background file), if any.
    pub backfile: Option<String>,
    /// `RESPFILE`, if any.
    pub respfile: Option<String>,
    /// `ANCRFILE`, if any.
    pub ancrfile: Option<String>,
    /// `TELESCOP` (default from the spectrum, else `'UNKNOWN'`).
    pub telescop: Option<String>,
    /// `INSTRUME` (default from the spectrum, else `'UNKNOWN'`).
    pub instrume: Option<String>,
}

fn or_none(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "none".to_string())
}

/// Write `spectrum` as an OGIP PHA Type I file. Integer counts whose errors are √counts are
/// written as `COUNTS` (J) with `POISSERR = T`; anything else as `COUNTS` (D) plus `STAT_ERR`.
/// `QUALITY` / `GROUPING` columns are written when they are not all 0 / all 1; a per-channel
/// BACKSCAL / AREASCAL becomes a column.
pub fn write_pha(path: &Path, spectrum: &Spectrum, opts: &PhaWriteOptions) -> Result<()> {
    spectrum.validate()?;
    let n = spectrum.n_channels();
    let first = spectrum.first_channel.unwrap_or(1);
    let integral = spectrum
        .counts
        .iter()
        .all(|&c| c.is_finite() && c.fract() == 0.0 && c.abs() < i32::MAX as f64);
    let poisson = integral
        && spectrum
            .counts
            .iter()
            .zip(&spectrum.errors)
            .all(|(&c, &e)| e == c.max(0.0).sqrt());
    let mut hdu = channel_column(HduBuilder::new("SPECTRUM"), first, n)?;
    let counts = if integral {
        ColumnData::I32 {
            repeat: 1,
            values: spectrum.counts.iter().map(|&c| c as i32).collect(),
        }
    } else {
        f64_column(&spectrum.counts)
    };
    hdu = hdu.column("COUNTS", Some("count"), counts)?;
    if !poisson {
        hdu = hdu.column("STAT_ERR", Some("count"), f64_column(&spectrum.errors))?;
    }
    let flags = |v: &[i64], what: &str| -> Result<Vec<i16>> {
        v.iter()
            .map(|&q| {
                i16::try_from(q).map_err(|_| Error::new(format!("{what} flag {q} out of range")))
            })
            .collect()
    };
    let write_quality = spectrum.quality.iter().any(|&q| q != 0);
    let write_grouping = spectrum.grouping.iter().any(|&g| g != 1);
    for (name, v, write) in [
        ("QUALITY", &spectrum.quality, write_quality),
        ("GROUPING", &spectrum.grouping, write_grouping),
    ] {
        if write {
            let values = flags(v, name)?;
            hdu = hdu.column(name, None, ColumnData::I16 { repeat: 1, values })?;
        }
    }
    for (name, s) in [
        ("BACKSCAL", &spectrum.backscale),
        ("AREASCAL", &spectrum.areascal),
    ] {
        match s {
            Scale::Scalar(v) => hdu = hdu.key(name, *v, ""),
            Scale::PerChannel(v) => hdu = hdu.column(name, None, f64_column(v))?,
        }
    }
    let telescop = opts
        .telescop
        .clone()
        .or_else(|| spectrum.telescop.clone())
        .unwrap_or_else(|| "UNKNOWN".into());
    let instrume = opts
        .instrume
        .clone()
        .or_else(|| spectrum.instrume.clone())
        .unwrap_or_else(|| "UNKNOWN".into());
    hdu = hdu
        .key("HDUCLASS", "OGIP", "format conforms to OGIP standard")
        .key("HDUCLAS1", "SPECTRUM", "PHA dataset")
        .key("HDUVERS", "1.2.1", "version of format")
        .key(
            "HDUCLAS2",
            if opts.background { "BKG" } else { "TOTAL" },
            "",
        )
        .key("HDUCLAS3", "COUNT", "PHA data stored as counts");
    hdu = detector_keys(hdu, &telescop, &instrume, n, PHA_DETECTOR_COMMENTS)
        .key("EXPOSURE", spectrum.exposure, "exposure time (s)")
        .key("POISSERR", poisson, "Poissonian errors to be assumed")
        .key("SYS_ERR", 0i64, "no systematic error")
        .key("CORRSCAL", 0.0, "")
        .key("CORRFILE", "none", "")
        .key(
            "BACKFILE",
            or_none(&opts.backfile).as_str(),
            "background file",
        )
        .key(
            "RESPFILE",
            or_none(&opts.respfile).as_str(),
            "response file",
        )
        .key(
            "ANCRFILE",
            or_none(&opts.ancrfile).as_str(),
            "ancillary response file",
        );
    if !write_quality {
        hdu = hdu.key("QUALITY", 0i64, "all channels good");
    }
    if !write_grouping {
        hdu = hdu.key("GROUPING", 0i64, "no grouping");
    }
    let bytes = HduBuilder::file_bytes(&[("CREATOR", KeyValue::from("bayspec"))], &[hdu])?;
    write_atomic(path, &bytes)
}

/// Write `response` as an OGIP RSP file: a `SPECRESP MATRIX` extension (compressed rows:
/// `N_GRP`, variable-length `F_CHAN`, `N_CHAN`, `MATRIX`) and an `EBOUNDS` extension.
pub fn write_rsp(path: &Path, response: &Response) -> Result<()> {
    response.validate()?;
    let (m, e) = (matrix_hdu(response)?, ebounds_hdu(response)?);
    let bytes = HduBuilder::file_bytes(&[("CREATOR", KeyValue::from("bayspec"))], &[m, e])?;
    write_atomic(path, &bytes)
}

/// Write several matrices with one shared `EBOUNDS` as an RSP2 file, each matrix header with
/// the time range `TSTART`/`TSTOP` it applies to (as GBM RSP2 files). The matrices must share
/// their channel bounds.
pub fn write_rsp2(path: &Path, matrices: &[(&Response, f64, f64)]) -> Result<()> {
    let Some((first, _, _)) = matrices.first() else {
        return Err(Error::new("write_rsp2: no matrix given"));
    };
    let mut hdus = Vec::with_capacity(matrices.len() + 1);
    for (k, (r, t0, t1)) in matrices.iter().enumerate() {
        r.validate()?;
        if r.e_min != first.e_min || r.e_max != first.e_max {
            return Err(Error::new(format!(
                "write_rsp2: matrix {} has other channel bounds than matrix 1",
                k + 1
            )));
        }
        if !(t0.is_finite() && t1.is_finite() && t0 < t1) {
            return Err(Error::new(format!(
                "write_rsp2: matrix {}: the time range {t0}-{t1} must be finite and increasing",
                k + 1
            )));
        }
        hdus.push(
            matrix_hdu(r)?
                .key(
                    "TSTART",
                    *t0,
                    "start of the time range this matrix applies to",
                )
                .key("TSTOP", *t1, "end of the time range")
                .key("RSP_NUM", (k + 1) as i64, "matrix number"),
        );
    }
    hdus.insert(0, ebounds_hdu(first)?);
    let bytes = HduBuilder::file_bytes(&[("CREATOR", KeyValue::from("bayspec"))], &hdus)?;
    write_atomic(path, &bytes)
}

fn matrix_hdu(response: &Response) -> Result<HduBuilder> {
    let ne = response.n_energy();
    let nc = response.n_channels();
    let first = response.first_channel;
    let mut n_grp = Vec::with_capacity(ne);
    let mut f_chan = Vec::with_capacity(ne);
    let mut n_chan = Vec::with_capacity(ne);
    let mut matrix = Vec::with_capacity(ne);
    for i in 0..ne {
        let row = response.row(i);
        let (mut fs, mut ns, mut vs) = (Vec::new(), Vec::new(), Vec::new());
        let mut c = 0;
        while c < nc {
            if row[c] == 0.0 {
                c += 1;
                continue;
            }
            let start = c;
            while c < nc && row[c] != 0.0 {
                vs.push(row[c] as f32);
                c += 1;
            }
            fs.push((start as i64 + first) as i32);
            ns.push((c - start) as i32);
        }
        n_grp.push(fs.len() as i32);
        f_chan.push(fs);
        n_chan.push(ns);
        matrix.push(vs);
    }
    let (telescop, instrume) = names_of(response);
    let mut m = HduBuilder::new("SPECRESP MATRIX")
        .column("ENERG_LO", Some("keV"), f64_column(&response.energ_lo))?
        .column("ENERG_HI", Some("keV"), f64_column(&response.energ_hi))?
        .column(
            "N_GRP",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: n_grp,
            },
        )?
        .column_with_limits(
            "F_CHAN",
            None,
            ColumnData::VarI32(f_chan),
            first,
            first + nc as i64 - 1,
        )?
        .column("N_CHAN", None, ColumnData::VarI32(n_chan))?
        .column("MATRIX", Some("cm**2"), ColumnData::VarF32(matrix))?;
    m = m
        .key("HDUCLASS", "OGIP", "format conforms to OGIP standard")
        .key(
            "HDUCLAS1",
            "RESPONSE",
            "dataset relates to spectral response",
        )
        .key(
            "HDUCLAS2",
            "RSP_MATRIX",
            "dataset is a spectral response matrix",
        )
        .key("HDUCLAS3", "FULL", "includes all efficiencies")
        .key("HDUVERS", "1.3.0", "version of format");
    m = detector_keys(m, &telescop, &instrume, nc, ["", "", DETCHANS_COMMENT]).key(
        "LO_THRES",
        0.0,
        "lower threshold used to construct the matrix",
    );
    Ok(m)
}

fn ebounds_hdu(response: &Response) -> Result<HduBuilder> {
    let nc = response.n_channels();
    let first = response.first_channel;
    let (telescop, instrume) = names_of(response);
    let e = channel_column(HduBuilder::new("EBOUNDS"), first, nc)?
        .column("E_MIN", Some("keV"), f64_column(&response.e_min))?
        .column("E_MAX", Some("keV"), f64_column(&response.e_max))?
        .key("HDUCLASS", "OGIP", "format conforms to OGIP standard")
        .key("HDUCLAS1", "RESPONSE", "")
        .key("HDUCLAS2", "EBOUNDS", "")
        .key("HDUVERS", "1.2.0", "");
    Ok(detector_keys(e, &telescop, &instrume, nc, ["", "", ""]))
}

const DETCHANS_COMMENT: &str = "total number of detector channels";
/// The comments of `TELESCOP`, `INSTRUME` and `DETCHANS` in a PHA header.
const PHA_DETECTOR_COMMENTS: [&str; 3] = [
    "mission/satellite name",
    "instrument/detector name",
    DETCHANS_COMMENT,
];

/// `TELESCOP`, `INSTRUME`, `FILTER = 'none'`, `CHANTYPE = 'PI'` and `DETCHANS`, with `comments`
/// on the first, second and last.
fn detector_keys(
    hdu: HduBuilder,
    telescop: &str,
    instrume: &str,
    detchans: usize,
    comments: [&str; 3],
) -> HduBuilder {
    hdu.key("TELESCOP", telescop, comments[0])
        .key("INSTRUME", instrume, comments[1])
        .key("FILTER", "none", "")
        .key("CHANTYPE", "PI", "")
        .key("DETCHANS", detchans, comments[2])
}

/// A `CHANNEL` column numbering `n` channels from `first`, with its TLMIN / TLMAX.
fn channel_column(hdu: HduBuilder, first: i64, n: usize) -> Result<HduBuilder> {
    let values = (0..n).map(|c| (first + c as i64) as i32).collect();
    let last = first + n as i64 - 1;
    hdu.column_with_limits(
        "CHANNEL",
        None,
        ColumnData::I32 { repeat: 1, values },
        first,
        last,
    )
}

/// A column of one `D` value per row.
fn f64_column(values: &[f64]) -> ColumnData {
    ColumnData::F64 {
        repeat: 1,
        values: values.to_vec(),
    }
}

fn names_of(response: &Response) -> (String, String) {
    let name = |v: &Option<String>| v.clone().unwrap_or_else(|| "UNKNOWN".into());
    (name(&response.telescop), name(&response.instrume))
}

impl Response {
    /// Save as an OGIP RSP file (see [`write_rsp`]).
    pub fn save(&self, path: &Path) -> Result<()> {
        write_rsp(path, self)
    }
}
