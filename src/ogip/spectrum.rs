//! PHA spectra (OGIP Type I and Type II) read into per-channel arrays.

use super::filespec::FileSpec;
use crate::error::{Error, Result};
use crate::fits::{ColumnValues, FitsFile, Header, Table};

/// Which part a spectrum plays; decides the HDU picked in files with several SPECTRUM HDUs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpectrumRole {
    /// The source (total) spectrum: the first SPECTRUM HDU that is not `HDUCLAS2 = 'BKG'`.
    Source,
    /// The background: the only SPECTRUM HDU, or the one with `HDUCLAS2 = 'BKG'`.
    Background,
}

impl SpectrumRole {
    fn option(self) -> &'static str {
        match self {
            SpectrumRole::Source => "src",
            SpectrumRole::Background => "bkg",
        }
    }
}

/// A scaling factor (`BACKSCAL`, `AREASCAL`): one value, or one per channel.
#[derive(Debug, Clone, PartialEq)]
pub enum Scale {
    /// The same value for every channel.
    Scalar(f64),
    /// One value per channel.
    PerChannel(Vec<f64>),
}

impl Scale {
    /// The value at channel `c`.
    pub fn at(&self, c: usize) -> f64 {
        match self {
            Scale::Scalar(v) => *v,
            Scale::PerChannel(v) => v.get(c).copied().unwrap_or(f64::NAN),
        }
    }

    /// The mean over channels `[start, stop)` (the value itself for a scalar).
    pub fn mean(&self, start: usize, stop: usize) -> f64 {
        match self {
            Scale::Scalar(v) => *v,
            Scale::PerChannel(v) => {
                let s = &v[start.min(v.len())..stop.min(v.len())];
                if s.is_empty() {
                    f64::NAN
                } else {
                    s.iter().sum::<f64>() / s.len() as f64
                }
            }
        }
    }

    /// The single value if scalar (or all channels equal).
    pub fn scalar(&self) -> Option<f64> {
        match self {
            Scale::Scalar(v) => Some(*v),
            Scale::PerChannel(v) => {
                let first = *v.first()?;
                v.iter().all(|&x| x == first).then_some(first)
            }
        }
    }

    fn from_values(values: Vec<f64>) -> Scale {
        match values.first() {
            Some(&f) if values.iter().all(|&x| x == f) => Scale::Scalar(f),
            _ => Scale::PerChannel(values),
        }
    }

    /// Zero or non-finite values (XMM RGS files have them in channels flagged bad) get a usable
    /// channel's value so that arithmetic over all channels stays finite; the channels where
    /// that happened with QUALITY = 0 are returned, because they are an error only if fitted
    /// (checked when the notice range is known, [`Spectrum::unusable_scale`]).
    fn settle_bad_channels(&mut self, quality: &[i64], what: &str) -> Vec<UnusableScale> {
        let bad = |v: f64| !(v.is_finite() && v > 0.0);
        let n = quality.len();
        let values: Vec<f64> = match self {
            Scale::Scalar(v) if bad(*v) => vec![*v; n],
            Scale::Scalar(_) => return Vec::new(),
            Scale::PerChannel(v) => std::mem::take(v),
        };
        let faults = (0..values.len())
            .filter(|&c| bad(values[c]) && quality.get(c).is_none_or(|&q| q == 0))
            .map(|channel| UnusableScale {
                channel,
                what: what.to_string(),
                value: values[channel],
            })
            .collect();
        // the first usable value (so a scale constant over the usable channels stays one
        // number); 1 if there is none, which no fitted channel can then use
        let fill = values.iter().copied().find(|&x| !bad(x)).unwrap_or(1.0);
        *self = Scale::from_values(
            values
                .into_iter()
                .map(|x| if bad(x) { fill } else { x })
                .collect(),
        );
        faults
    }

    fn check(&self, what: &str, label: &str) -> Result<()> {
        let bad = |v: f64| !(v.is_finite() && v > 0.0);
        let offending = match self {
            Scale::Scalar(v) => bad(*v).then_some(*v),
            Scale::PerChannel(v) => v.iter().copied().find(|&x| bad(x)),
        };
        match offending {
            Some(v) => Err(Error::new(format!(
                "{label}: {what} = {v} is not allowed (must be finite and > 0)"
            ))),
            None => Ok(()),
        }
    }
}

/// One spectrum: per-channel counts and errors plus exposure and scaling (data.md 1.2–1.4).
#[derive(Debug, Clone, PartialEq)]
pub struct Spectrum {
    /// Display name (base file name with selections, e.g. `me.src2{5}`), or a given name.
    pub name: String,
    /// The file this came from (`None` when built in memory).
    pub file: Option<FileSpec>,
    /// HDU number in the file (primary = 0).
    pub hdu: Option<usize>,
    /// Type II row (1-based), if any.
    pub row: Option<usize>,
    /// Counts per channel (float; `RATE` × `EXPOSURE` for rate files).
    pub counts: Vec<f64>,
    /// Total error per channel: √(STAT_ERR² + (counts·SYS_ERR)²), STAT_ERR defaulting to √max(counts, 0).
    pub errors: Vec<f64>,
    /// Exposure time (s), finite and > 0.
    pub exposure: f64,
    /// Quality flags (0 = good).
    pub quality: Vec<i64>,
    /// Grouping flags as in the file (1 start, −1 continue, 0 none); all 1 when absent.
    pub grouping: Vec<i64>,
    /// `BACKSCAL`.
    pub backscale: Scale,
    /// `AREASCAL`.
    pub areascal: Scale,
    /// `POISSERR`, if given.
    pub poisserr: Option<bool>,
    /// Whether a `STAT_ERR` column was present.
    pub has_stat_err: bool,
    /// Whether counts came from a `RATE` column.
    pub from_rate: bool,
    /// First channel number (`CHANNEL` column, else `TLMIN1`), if known.
    pub first_channel: Option<i64>,
    /// `DETCHANS`, if given.
    pub detchans: Option<i64>,
    /// `BACKFILE` as written in the header (a `DataUnit` follows it when no `bkg` is given, see `data::links`).
    pub backfile: Option<String>,
    /// `RESPFILE`.
    pub respfile: Option<String>,
    /// `ANCRFILE`.
    pub ancrfile: Option<String>,
    /// `TELESCOP`.
    pub telescop: Option<String>,
    /// `INSTRUME`.
    pub instrume: Option<String>,
    /// Time range (Type II `TIME`/`ENDTIME`, else `TSTART`/`TSTOP`).
    pub time_range: Option<(f64, f64)>,
    /// `E_MIN`/`E_MAX` of an `EBOUNDS` extension inside the spectrum file, if it has one (only
    /// compared with the response's, data.md 1.6).
    pub ebounds: Option<(Vec<f64>, Vec<f64>)>,
    /// Good-quality channels whose BACKSCAL or AREASCAL (column or keyword) is zero or not
    /// finite. Read without complaint (a value there was replaced by a usable one); fitting
    /// such a channel is an error when the unit is built.
    pub unusable_scale: Vec<UnusableScale>,
    /// Warnings raised while reading.
    pub warnings: Vec<String>,
}

/// A good-quality channel with a zero or non-finite scaling factor, see
/// [`Spectrum::unusable_scale`].
#[derive(Debug, Clone, PartialEq)]
pub struct UnusableScale {
    /// Channel position in the file (0-based).
    pub channel: usize,
    /// Which factor (`BACKSCAL`, `AREASCAL`, `BACKSCUP + BACKSCDN`).
    pub what: String,
    /// The value in the file.
    pub value: f64,
}

impl Spectrum {
    /// A spectrum built in memory: counts, errors (same length) and exposure (> 0). Quality is
    /// all 0, grouping all 1, BACKSCAL and AREASCAL 1.
    pub fn from_arrays(
        name: &str,
        counts: Vec<f64>,
        errors: Vec<f64>,
        exposure: f64,
    ) -> Result<Spectrum> {
        if counts.len() != errors.len() {
            return Err(Error::new(format!(
                "spectrum '{name}': {} counts but {} errors",
                counts.len(),
                errors.len()
            )));
        }
        if counts.is_empty() {
            return Err(Error::new(format!("spectrum '{name}' has no channels")));
        }
        check_exposure(exposure, name)?;
        let n = counts.len();
        Ok(Spectrum {
            name: name.to_string(),
            file: None,
            hdu: None,
            row: None,
            counts,
            errors,
            exposure,
            quality: vec![0; n],
            grouping: vec![1; n],
            backscale: Scale::Scalar(1.0),
            areascal: Scale::Scalar(1.0),
            poisserr: None,
            has_stat_err: true,
            from_rate: false,
            first_channel: None,
            detchans: None,
            backfile: None,
            respfile: None,
            ancrfile: None,
            telescop: None,
            instrume: None,
            time_range: None,
            ebounds: None,
            unusable_scale: Vec::new(),
            warnings: Vec::new(),
        })
    }

    /// Number of channels.
    pub fn n_channels(&self) -> usize {
        self.counts.len()
    }

    /// The zero background of data.md 1.4: a copy with all counts and errors 0 (same exposure,
    /// BACKSCAL and AREASCAL, good quality), so the scaling ratio is 1.
    pub fn zero_background(&self) -> Spectrum {
        let n = self.n_channels();
        let mut z = self.clone();
        z.name = "none".into();
        z.file = None;
        z.hdu = None;
        z.row = None;
        z.counts = vec![0.0; n];
        z.errors = vec![0.0; n];
        z.quality = vec![0; n];
        z.grouping = vec![1; n];
        z.warnings.clear();
        z
    }

    /// Check the lengths of the per-channel arrays and the scalar values (for spectra built
    /// or edited in memory).
    pub fn validate(&self) -> Result<()> {
        let n = self.counts.len();
        let label = &self.name;
        for (what, len) in [
            ("errors", self.errors.len()),
            ("quality", self.quality.len()),
            ("grouping", self.grouping.len()),
        ] {
            if len != n {
                return Err(Error::new(format!(
                    "spectrum '{label}': {len} {what} for {n} channels"
                )));
            }
        }
        for (what, s) in [("BACKSCAL", &self.backscale), ("AREASCAL", &self.areascal)] {
            if let Scale::PerChannel(v) = s {
                if v.len() != n {
                    return Err(Error::new(format!(
                        "spectrum '{label}': {} {what} values for {n} channels",
                        v.len()
                    )));
                }
            }
        }
        check_exposure(self.exposure, label)?;
        self.backscale.check("BACKSCAL", label)?;
        self.areascal.check("AREASCAL", label)
    }
}

fn check_exposure(exposure: f64, label: &str) -> Result<()> {
    if exposure.is_finite() && exposure > 0.0 {
        Ok(())
    } else {
        Err(Error::new(format!(
            "{label}: EXPOSURE = {exposure} is not allowed (must be finite and > 0)"
        )))
    }
}

fn is_spectrum_hdu(h: &Header<'_>) -> bool {
    h.str_is("EXTNAME", "SPECTRUM") || h.str_is("HDUCLAS1", "SPECTRUM")
}

/// Pick the HDU of `file` for this spectrum (data.md 1.3).
fn choose_hdu(file: &FitsFile, spec: &FileSpec, role: SpectrumRole) -> Result<usize> {
    let label = file.label();
    if let Some(ext) = &spec.ext {
        if let Ok(n) = ext.parse::<usize>() {
            if n >= file.len() || !file.is_bintable(n) {
                return Err(file.not_a_table(label, n));
            }
            return Ok(n);
        }
        let hits = file.find(|h| {
            h.str_is("EXTNAME", ext) || h.str_is("HDUCLAS2", ext) || h.str_is("HDUNAME", ext)
        });
        return hits.first().copied().ok_or_else(|| {
            Error::new(format!(
                "'{label}': no HDU named or classed '{ext}' (HDUs: {})",
                file.describe_hdus()
            ))
        });
    }
    let candidates: Vec<usize> = file
        .find(is_spectrum_hdu)
        .into_iter()
        .filter(|&i| file.is_bintable(i))
        .collect();
    let is_bkg = |i: usize| {
        file.header(i)
            .map(|h| h.str_is("HDUCLAS2", "BKG"))
            .unwrap_or(false)
    };
    match candidates.len() {
        0 => Err(Error::new(format!(
            "'{label}' has no SPECTRUM extension (EXTNAME or HDUCLAS1 = 'SPECTRUM'); HDUs: {}",
            file.describe_hdus()
        ))),
        1 => Ok(candidates[0]),
        _ => match role {
            SpectrumRole::Source => Ok(candidates
                .iter()
                .copied()
                .find(|&i| !is_bkg(i))
                .unwrap_or(candidates[0])),
            SpectrumRole::Background => candidates.iter().copied().find(|&i| is_bkg(i)).ok_or_else(|| {
                Error::new(format!(
                    "'{label}' has {} SPECTRUM extensions and none is marked HDUCLAS2 = 'BKG'; choose one with [n] (HDUs: {})",
                    candidates.len(),
                    file.describe_hdus()
                ))
            }),
        },
    }
}

/// Per-channel values of one quantity: the column cell if the column exists (scalar cells
/// are broadcast), else `None`.
fn column_cells(
    table: &Table<'_>,
    name: &str,
    row: Option<usize>,
    n: usize,
) -> Result<Option<Vec<f64>>> {
    let Some(values) = table.read_opt(name)? else {
        return Ok(None);
    };
    let cell: Vec<f64> = match row {
        None => match &values {
            ColumnValues::Fixed { repeat: 1, values } => values.clone(),
            _ => {
                return Err(Error::new(format!(
                    "'{}': column {name} has several values per row in a Type I spectrum",
                    table.label()
                )))
            }
        },
        Some(r) => values.row(r).to_vec(),
    };
    match cell.len() {
        l if l == n => Ok(Some(cell)),
        1 => Ok(Some(vec![cell[0]; n])),
        l => Err(Error::new(format!(
            "'{}': column {name} has {l} values but the spectrum has {n} channels",
            table.label()
        ))),
    }
}

/// The background of a grating Type II row (Chandra HETG/LETG `pha2`): the row's
/// `BACKGROUND_UP` + `BACKGROUND_DOWN` counts, with BACKSCAL = `BACKSCUP` + `BACKSCDN` (columns
/// or keywords), as Sherpa combines them; the source's exposure and quality. `None` when the
/// spectrum is not a Type II row or its HDU has no such columns.
pub fn grating_background(src: &Spectrum) -> Result<Option<Spectrum>> {
    let (Some(file), Some(hdu), Some(row)) = (&src.file, src.hdu, src.row) else {
        return Ok(None);
    };
    let fits = FitsFile::open(&file.path)?;
    let table = fits.table(hdu)?;
    if !(table.has_column("BACKGROUND_UP") && table.has_column("BACKGROUND_DOWN")) {
        return Ok(None);
    }
    let n = src.n_channels();
    let r = Some(row - 1);
    let h = table.header();
    let cells = |name: &str| -> Result<Vec<f64>> {
        column_cells(&table, name, r, n)?
            .ok_or_else(|| Error::new(format!("'{}': no {name} column", file.text)))
    };
    let up = cells("BACKGROUND_UP")?;
    let down = cells("BACKGROUND_DOWN")?;
    let scale = |name: &str| -> Result<Vec<f64>> {
        Ok(match column_cells(&table, name, r, n)? {
            Some(v) => v,
            None => vec![
                h.f64(name).ok_or_else(|| {
                    Error::new(format!(
                        "'{}': BACKGROUND_UP/BACKGROUND_DOWN without {name} (column or keyword)",
                        file.text
                    ))
                })?;
                n
            ],
        })
    };
    let (sup, sdn) = (scale("BACKSCUP")?, scale("BACKSCDN")?);
    let counts: Vec<f64> = up.iter().zip(&down).map(|(a, b)| a + b).collect();
    let errors = counts.iter().map(|&c| c.max(0.0).sqrt()).collect();
    let mut bkg = Spectrum::from_arrays(
        &format!("{} (BACKGROUND_UP + BACKGROUND_DOWN)", src.name),
        counts,
        errors,
        src.exposure,
    )?;
    let mut backscale = Scale::from_values(sup.iter().zip(&sdn).map(|(a, b)| a + b).collect());
    bkg.unusable_scale = backscale.settle_bad_channels(&src.quality, "BACKSCUP + BACKSCDN");
    bkg.backscale = backscale;
    bkg.areascal = src.areascal.clone();
    bkg.quality = src.quality.clone();
    bkg.first_channel = src.first_channel;
    bkg.file = src.file.clone();
    bkg.hdu = src.hdu;
    bkg.row = src.row;
    Ok(Some(bkg))
}

fn none_if_blank(s: Option<String>) -> Option<String> {
    s.filter(|v| {
        let t = v.trim();
        !(t.is_empty() || t.eq_ignore_ascii_case("none"))
    })
}

/// Read a spectrum from a file spec (`path`, `path{row}`, `path[ext]`), data.md 1.2–1.3.
pub fn read_spectrum(spec: &FileSpec, role: SpectrumRole) -> Result<Spectrum> {
    let opt = role.option();
    let file = FitsFile::open(&spec.path).map_err(|e| e.context(opt))?;
    read_spectrum_from(&file, spec, role).map_err(|e| e.context(opt))
}

/// Read a spectrum from a FITS file already in memory; `spec` supplies the selections
/// (`[ext]`, `{row}`) and the name used in messages (its path is not opened).
pub fn read_spectrum_from_fits(
    file: &FitsFile,
    spec: &FileSpec,
    role: SpectrumRole,
) -> Result<Spectrum> {
    read_spectrum_from(file, spec, role).map_err(|e| e.context(role.option()))
}

fn read_spectrum_from(file: &FitsFile, spec: &FileSpec, role: SpectrumRole) -> Result<Spectrum> {
    let label = spec.text.clone();
    let hdu = choose_hdu(file, spec, role)?;
    let table = file.table(hdu)?;
    let h = table.header();
    let mut warnings = Vec::new();

    let counts_col = if table.has_column("COUNTS") {
        "COUNTS"
    } else if table.has_column("RATE") {
        "RATE"
    } else {
        return Err(Error::new(format!(
            "'{label}' HDU {hdu}: neither a COUNTS nor a RATE column"
        )));
    };
    let from_rate = counts_col == "RATE";
    let counts_info = table.require_column(counts_col)?;
    let type2 = h.str_is("HDUCLAS4", "TYPEII")
        || counts_info.tform.repeat > 1
        || counts_info.tform.is_var();
    let nrows = table.nrows();
    let row = if type2 {
        let Some(n) = spec.index else {
            return Err(Error::new(format!(
                "'{label}' is a Type II file with {nrows} spectra: choose one with {{n}}, n = 1..{nrows} (e.g. \"{}{{1}}\")",
                spec.path.display()
            )));
        };
        if n == 0 || n > nrows {
            return Err(Error::new(format!(
                "'{label}': row {n} does not exist; the file has {nrows} spectra (rows 1..{nrows})"
            )));
        }
        Some(n - 1)
    } else {
        if let Some(n) = spec.index {
            return Err(Error::new(format!(
                "'{label}' is a Type I spectrum; the row selection {{{n}}} applies only to Type II files"
            )));
        }
        None
    };

    let raw_counts = table.read(counts_col)?;
    let counts_cell: Vec<f64> = match row {
        Some(r) => raw_counts.row(r).to_vec(),
        None => raw_counts.row_values_scalar(),
    };
    let n = counts_cell.len();
    if n == 0 {
        return Err(Error::new(format!(
            "'{label}' HDU {hdu}: the spectrum has no channels"
        )));
    }

    // Exposure: Type II column first, then the keyword.
    let exposure = match (row, table.has_column("EXPOSURE")) {
        (Some(_), true) => column_cells(&table, "EXPOSURE", row, n)?.map(|v| v[0]),
        _ => None,
    }
    .or_else(|| h.f64("EXPOSURE"))
    .ok_or_else(|| {
        Error::new(format!(
            "'{label}' HDU {hdu}: no EXPOSURE keyword or column"
        ))
    })?;
    check_exposure(exposure, &format!("'{label}'"))?;

    let mut counts = counts_cell;
    let stat_err = column_cells(&table, "STAT_ERR", row, n)?;
    let has_stat_err = stat_err.is_some();
    let mut stat_err = stat_err.unwrap_or_default();
    if from_rate {
        counts.iter_mut().for_each(|c| *c *= exposure);
        stat_err.iter_mut().for_each(|e| *e *= exposure);
        // RATE × EXPOSURE within 1e-6 (relative) of an integer is that integer: the rate was
        // counts / exposure, rounded to the column's precision
        for c in counts.iter_mut() {
            let r = c.round();
            if (*c - r).abs() <= 1e-6 * r.abs().max(1.0) {
                *c = r;
            }
        }
    }
    let poisserr = h.bool("POISSERR");
    let mut has_stat_err = has_stat_err;
    if has_stat_err && poisserr == Some(true) {
        // POISSERR = T: the errors are Poisson whatever a STAT_ERR column holds (XMM SAS
        // writes a column of zeros); √N as XSPEC's standard weighting uses for chi2
        let poisson = |c: f64| c.max(0.0).sqrt();
        let differs = counts
            .iter()
            .zip(&stat_err)
            .any(|(&c, &e)| (e - poisson(c)).abs() > 1e-6 * poisson(c).max(1.0));
        if differs {
            warnings.push(format!(
                "'{label}': POISSERR = T, so the STAT_ERR column is not used; the errors are \
                 Poisson, √N"
            ));
        }
        has_stat_err = false;
    }
    if !has_stat_err {
        if poisserr == Some(false) {
            warnings.push(format!(
                "'{label}': POISSERR = F but there is no STAT_ERR column; using sqrt(counts) as errors"
            ));
        }
        stat_err = counts.iter().map(|&c| c.max(0.0).sqrt()).collect();
    }
    let sys_err = match column_cells(&table, "SYS_ERR", row, n)? {
        Some(v) => v,
        None => vec![h.f64("SYS_ERR").unwrap_or(0.0); n],
    };
    let errors: Vec<f64> = (0..n)
        .map(|c| {
            let s = counts[c] * sys_err[c];
            (stat_err[c] * stat_err[c] + s * s).sqrt()
        })
        .collect();
    let quality: Vec<i64> = match column_cells(&table, "QUALITY", row, n)? {
        Some(v) => v
            .iter()
            .map(|&q| if q.is_finite() { q as i64 } else { 1 })
            .collect(),
        None => vec![h.i64("QUALITY").unwrap_or(0); n],
    };
    let grouping: Vec<i64> = match column_cells(&table, "GROUPING", row, n)? {
        Some(v) => v
            .iter()
            .map(|&g| if g.is_finite() { g as i64 } else { 0 })
            .collect(),
        None => vec![1; n],
    };
    let scale = |name: &str| -> Result<Scale> {
        Ok(match column_cells(&table, name, row, n)? {
            Some(v) => Scale::from_values(v),
            None => Scale::Scalar(h.f64(name).unwrap_or(1.0)),
        })
    };
    let mut backscale = scale("BACKSCAL")?;
    let mut areascal = scale("AREASCAL")?;
    let mut unusable_scale = backscale.settle_bad_channels(&quality, "BACKSCAL");
    unusable_scale.extend(areascal.settle_bad_channels(&quality, "AREASCAL"));

    let row_string = |name: &str| -> Option<String> {
        let from_col = row.and_then(|r| {
            table
                .read_strings(name)
                .ok()
                .and_then(|v| v.get(r).cloned())
        });
        none_if_blank(from_col.or_else(|| h.str(name)))
    };
    let corrfile = row_string("CORRFILE");
    let corrscal = h.f64("CORRSCAL").unwrap_or(0.0);
    if corrfile.is_some() && corrscal != 0.0 {
        warnings.push(format!(
            "'{label}': CORRFILE/CORRSCAL (correction spectrum) is not supported and is ignored"
        ));
    }
    let first_channel = match table.read_opt("CHANNEL")? {
        Some(v) => match row {
            Some(r) => v.row(r).first().copied(),
            None => v.row(0).first().copied(),
        }
        .filter(|x| x.is_finite())
        .map(|x| x as i64),
        None => None,
    }
    .or_else(|| {
        table
            .column("CHANNEL")
            .and_then(|c| h.i64(&format!("TLMIN{}", c.number)))
    });
    let time_range = match row {
        Some(_) => {
            let t0 = column_cells(&table, "TIME", row, n)?.map(|v| v[0]);
            let t1 = column_cells(&table, "ENDTIME", row, n)?.map(|v| v[0]);
            t0.zip(t1)
        }
        None => None,
    }
    .or_else(|| h.f64("TSTART").zip(h.f64("TSTOP")));

    let ebounds = own_ebounds(file);
    let mut spectrum = Spectrum {
        name: spec.display_name(),
        file: Some(spec.clone()),
        hdu: Some(hdu),
        row: row.map(|r| r + 1),
        counts,
        errors,
        exposure,
        quality,
        grouping,
        backscale,
        areascal,
        poisserr,
        has_stat_err,
        from_rate,
        first_channel,
        detchans: h.i64("DETCHANS"),
        backfile: row_string("BACKFILE"),
        respfile: row_string("RESPFILE"),
        ancrfile: row_string("ANCRFILE"),
        telescop: h.str("TELESCOP"),
        instrume: h.str("INSTRUME"),
        time_range,
        ebounds,
        unusable_scale,
        warnings,
    };
    if row.is_none() {
        expand_partial(&mut spectrum, &table, &label)?;
    }
    Ok(spectrum)
}

/// `E_MIN`/`E_MAX` of an `EBOUNDS` table in the spectrum file (GBM PHA files carry one), or
/// `None` when there is none or it cannot be read (it is only used for a warning).
fn own_ebounds(file: &FitsFile) -> Option<(Vec<f64>, Vec<f64>)> {
    let hdu = *file
        .find(|h| h.str_is("EXTNAME", "EBOUNDS") || h.str_is("HDUCLAS2", "EBOUNDS"))
        .first()?;
    let t = file.table(hdu).ok()?;
    let lo = t.read("E_MIN").ok()?.row_values_scalar();
    let hi = t.read("E_MAX").ok()?.row_values_scalar();
    (lo.len() == hi.len()).then_some((lo, hi))
}

/// A partial Type I spectrum (fewer rows than `DETCHANS`, the `CHANNEL` column giving their
/// positions) is expanded to `DETCHANS` channels at index `CHANNEL − TLMIN1`; absent channels
/// get zero counts and errors and `QUALITY = 1` (data.md 1.2).
fn expand_partial(s: &mut Spectrum, table: &Table<'_>, label: &str) -> Result<()> {
    let n = s.counts.len();
    let Some(detchans) = s.detchans.filter(|&d| d > 0 && (d as usize) > n) else {
        return Ok(());
    };
    let detchans = detchans as usize;
    let Some(col) = table.column("CHANNEL") else {
        return Err(Error::new(format!(
            "'{label}': the spectrum has {n} rows but DETCHANS = {detchans}, and there is no CHANNEL column to place them"
        )));
    };
    let channels = table.read("CHANNEL")?.row_values_scalar();
    let h = table.header();
    let first = h.i64(&format!("TLMIN{}", col.number)).unwrap_or_else(|| {
        if channels.iter().any(|&c| c < 1.0) {
            0
        } else {
            1
        }
    });
    let mut index = Vec::with_capacity(n);
    let mut seen = vec![false; detchans];
    for &c in &channels {
        let i = c - first as f64;
        if !(c.is_finite() && c.fract() == 0.0 && i >= 0.0 && (i as usize) < detchans) {
            return Err(Error::new(format!(
                "'{label}': partial spectrum: CHANNEL {c} is outside {first}..{} (TLMIN {first}, DETCHANS {detchans})",
                first + detchans as i64 - 1
            )));
        }
        let i = i as usize;
        if seen[i] {
            return Err(Error::new(format!(
                "'{label}': partial spectrum: CHANNEL {c} is listed twice"
            )));
        }
        seen[i] = true;
        index.push(i);
    }
    fn spread<T: Copy>(v: &[T], index: &[usize], len: usize, fill: T) -> Vec<T> {
        let mut out = vec![fill; len];
        for (&i, &x) in index.iter().zip(v) {
            out[i] = x;
        }
        out
    }
    s.counts = spread(&s.counts, &index, detchans, 0.0);
    s.errors = spread(&s.errors, &index, detchans, 0.0);
    s.quality = spread(&s.quality, &index, detchans, 1);
    s.grouping = spread(&s.grouping, &index, detchans, 1);
    for scale in [&mut s.backscale, &mut s.areascal] {
        if let Scale::PerChannel(v) = scale {
            *v = spread(v, &index, detchans, 1.0);
        }
    }
    for fault in &mut s.unusable_scale {
        fault.channel = index[fault.channel];
    }
    s.first_channel = Some(first);
    s.warnings.push(format!(
        "'{label}': partial spectrum with {n} of {detchans} channels; the {} absent channels have zero counts and are marked bad (QUALITY = 1)",
        detchans - n
    ));
    Ok(())
}

trait ScalarRows {
    fn row_values_scalar(&self) -> Vec<f64>;
}

impl ScalarRows for ColumnValues {
    /// All rows of a scalar column as one vector (Type I spectra).
    fn row_values_scalar(&self) -> Vec<f64> {
        match self {
            ColumnValues::Fixed { values, .. } => values.clone(),
            ColumnValues::Var(rows) => rows
                .iter()
                .map(|r| r.first().copied().unwrap_or(f64::NAN))
                .collect(),
        }
    }
}
