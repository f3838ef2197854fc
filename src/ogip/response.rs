//! Responses: RSP / RMF matrices with their EBOUNDS, ARFs, and RMF × ARF (data.md 1.5–1.7).

use super::filespec::FileSpec;
use crate::error::{Error, Result};
use crate::fits::{ColumnInfo, FitsFile, Header, Table};

/// Matrix extension names recognised (case-insensitive), besides `HDUCLAS2 = 'RSP_MATRIX'`.
const MATRIX_EXTNAMES: [&str; 4] = ["MATRIX", "SPECRESP MATRIX", "SPECRESP_MATRIX", "RSP_MATRIX"];

/// Largest dense matrix accepted (energy bins × channels), 1.6 GB of f64.
const MAX_MATRIX_CELLS: usize = 200_000_000;

/// Dense matrix cells allowed per byte of the file (sparse compressed rows expand, but not
/// without bound).
const MATRIX_CELLS_PER_FILE_BYTE: usize = 1024;

/// Dense matrix cells always allowed, whatever the file size (32 MB of f64).
const MIN_MATRIX_CELLS: usize = 1 << 22;

/// A dense response: `drm[i * n_channels + c]` is the response of energy bin `i` in channel
/// `c` (cm² for an RSP or RMF × ARF; a probability for a bare RMF).
#[derive(Debug, Clone, PartialEq)]
pub struct Response {
    /// Display name (base file name with selections).
    pub name: String,
    /// The file this came from (`None` when built in memory).
    pub file: Option<FileSpec>,
    /// `ENERG_LO` per energy bin (keV).
    pub energ_lo: Vec<f64>,
    /// `ENERG_HI` per energy bin (keV).
    pub energ_hi: Vec<f64>,
    /// `E_MIN` per channel (keV).
    pub e_min: Vec<f64>,
    /// `E_MAX` per channel (keV).
    pub e_max: Vec<f64>,
    /// Dense matrix, row-major `n_energy × n_channels`.
    pub drm: Vec<f64>,
    /// First legal channel number (`TLMIN` of `F_CHAN`; 1 by default).
    pub first_channel: i64,
    /// Matrix `EXTNAME` (empty when built in memory).
    pub matrix_extname: String,
    /// `TFORM` of `F_CHAN` and of `MATRIX` as found in the file.
    pub tforms: (String, String),
    /// `TELESCOP`, `INSTRUME` of the matrix HDU.
    pub telescop: Option<String>,
    /// `INSTRUME`.
    pub instrume: Option<String>,
    /// Warnings raised while reading.
    pub warnings: Vec<String>,
}

/// An ARF: effective area per energy bin.
#[derive(Debug, Clone, PartialEq)]
pub struct Arf {
    /// Display name.
    pub name: String,
    /// `ENERG_LO` (keV).
    pub energ_lo: Vec<f64>,
    /// `ENERG_HI` (keV).
    pub energ_hi: Vec<f64>,
    /// `SPECRESP` (cm²).
    pub specresp: Vec<f64>,
}

impl Response {
    /// Whether this is a redistribution matrix without effective area: every energy row sums
    /// to at most 1 (+10⁻⁶). A full response (RMF × ARF, or an RSP) has rows in cm².
    pub fn is_redistribution_only(&self) -> bool {
        let nc = self.e_min.len();
        nc > 0
            && self
                .drm
                .chunks(nc)
                .all(|row| row.iter().sum::<f64>() <= 1.0 + 1e-6)
    }

    /// Build a response in memory, checking shapes and the energy grids.
    pub fn new(
        name: &str,
        energ_lo: Vec<f64>,
        energ_hi: Vec<f64>,
        e_min: Vec<f64>,
        e_max: Vec<f64>,
        drm: Vec<f64>,
    ) -> Result<Response> {
        let r = Response {
            name: name.to_string(),
            file: None,
            energ_lo,
            energ_hi,
            e_min,
            e_max,
            drm,
            first_channel: 1,
            matrix_extname: String::new(),
            tforms: (String::new(), String::new()),
            telescop: None,
            instrume: None,
            warnings: Vec::new(),
        };
        r.validate()?;
        Ok(r)
    }

    /// Check shapes, finiteness and energy ordering.
    pub fn validate(&self) -> Result<()> {
        let name = &self.name;
        let (ne, nc) = (self.energ_lo.len(), self.e_min.len());
        if ne == 0 || nc == 0 {
            return Err(Error::new(format!(
                "response '{name}' is empty ({ne} energy bins, {nc} channels)"
            )));
        }
        if self.energ_hi.len() != ne || self.e_max.len() != nc || self.drm.len() != ne * nc {
            return Err(Error::new(format!(
                "response '{name}': inconsistent shapes (ENERG_LO {ne}, ENERG_HI {}, E_MIN {nc}, E_MAX {}, matrix {} values for {ne} × {nc})",
                self.energ_hi.len(),
                self.e_max.len(),
                self.drm.len()
            )));
        }
        for i in 0..ne {
            let (lo, hi) = (self.energ_lo[i], self.energ_hi[i]);
            if !(lo.is_finite() && hi.is_finite() && lo <= hi && lo >= 0.0) {
                return Err(Error::new(format!(
                    "response '{name}': energy bin {} has ENERG_LO = {lo}, ENERG_HI = {hi} (need 0 <= LO <= HI)",
                    i + 1
                )));
            }
        }
        for c in 0..nc {
            let (lo, hi) = (self.e_min[c], self.e_max[c]);
            if !(lo.is_finite() && hi.is_finite() && lo <= hi) {
                return Err(Error::new(format!(
                    "response '{name}': channel {} has E_MIN = {lo}, E_MAX = {hi}",
                    c + 1
                )));
            }
        }
        if let Some(k) = self.drm.iter().position(|v| !v.is_finite()) {
            return Err(Error::new(format!(
                "response '{name}': matrix value at energy row {}, channel {} is {}",
                k / nc + 1,
                k % nc + 1,
                self.drm[k]
            )));
        }
        Ok(())
    }

    /// Number of energy bins (matrix rows).
    pub fn n_energy(&self) -> usize {
        self.energ_lo.len()
    }

    /// Number of channels (EBOUNDS rows).
    pub fn n_channels(&self) -> usize {
        self.e_min.len()
    }

    /// Matrix row `i` (energy bin `i`).
    pub fn row(&self, i: usize) -> &[f64] {
        let nc = self.n_channels();
        &self.drm[i * nc..(i + 1) * nc]
    }

    /// Channel midpoints `(E_MIN + E_MAX) / 2`.
    pub fn chbin_mean(&self) -> Vec<f64> {
        self.e_min
            .iter()
            .zip(&self.e_max)
            .map(|(a, b)| 0.5 * (a + b))
            .collect()
    }

    /// Channel widths `E_MAX − E_MIN`.
    pub fn chbin_width(&self) -> Vec<f64> {
        self.e_min
            .iter()
            .zip(&self.e_max)
            .map(|(a, b)| b - a)
            .collect()
    }

    /// Per-channel FWHM in channels, as used by the optimal binning (data.md 2.7.2);
    /// −1 where the FWHM of the channel's energy row cannot be measured.
    pub fn channel_fwhm(&self) -> Vec<f64> {
        let nc = self.n_channels();
        let ne = self.n_energy();
        let row_width: Vec<f64> = (0..ne)
            .map(|i| {
                let row = self.row(i);
                let mut p = 0;
                for (c, &v) in row.iter().enumerate() {
                    if v > row[p] {
                        p = c;
                    }
                }
                let h = row[p] / 2.0;
                let last = nc - 1;
                let mut hi = if p == last { p } else { p + 1 };
                while row[hi] > h && hi < last {
                    hi += 1;
                }
                let mut lo = if p == 0 { 0 } else { p - 1 };
                while row[lo] > h && lo > 0 {
                    lo -= 1;
                }
                let good_hi = row[last] <= h;
                let good_lo = row[0] <= h;
                let mut w = 0.0;
                if good_hi {
                    w += (hi - p) as f64;
                }
                if good_lo {
                    w += (p - lo) as f64;
                }
                match (good_lo, good_hi) {
                    (true, true) => w,
                    (false, false) => -1.0,
                    _ => 2.0 * w,
                }
            })
            .collect();
        let increasing = self.energ_lo.last() >= self.energ_lo.first();
        (0..nc)
            .map(|c| {
                let e = 0.5 * (self.e_min[c] + self.e_max[c]);
                row_width[energy_row_of(&self.energ_lo, &self.energ_hi, e, increasing)]
            })
            .collect()
    }

    /// RMF × ARF: each energy row multiplied by the ARF value of that row. The ARF grid must
    /// equal the RMF grid within a relative 1e-5.
    pub fn apply_arf(&self, arf: &Arf) -> Result<Response> {
        let ne = self.n_energy();
        if arf.specresp.len() != ne {
            return Err(Error::new(format!(
                "rmf '{}' has {ne} energy bins but arf '{}' has {}",
                self.name,
                arf.name,
                arf.specresp.len()
            )));
        }
        let close = |a: f64, b: f64| (a - b).abs() <= 1e-5 * a.abs().max(b.abs());
        for i in 0..ne {
            if !close(self.energ_lo[i], arf.energ_lo[i])
                || !close(self.energ_hi[i], arf.energ_hi[i])
            {
                return Err(Error::new(format!(
                    "rmf '{}' and arf '{}' have different energy grids: bin {} is {}–{} keV in the rmf but {}–{} keV in the arf",
                    self.name,
                    arf.name,
                    i + 1,
                    self.energ_lo[i],
                    self.energ_hi[i],
                    arf.energ_lo[i],
                    arf.energ_hi[i]
                )));
            }
        }
        let nc = self.n_channels();
        let mut out = self.clone();
        for i in 0..ne {
            let a = arf.specresp[i];
            out.drm[i * nc..(i + 1) * nc]
                .iter_mut()
                .for_each(|v| *v *= a);
        }
        out.name = format!("{} × {}", self.name, arf.name);
        Ok(out)
    }
}

/// The energy row of energy `e` (HEASP lookup, data.md 2.7.2).
fn energy_row_of(lo: &[f64], hi: &[f64], e: f64, increasing: bool) -> usize {
    let n = lo.len();
    if n == 1 {
        return 0;
    }
    let last = n - 1;
    let (below, above) = if increasing {
        (e < lo[0], e > hi[last])
    } else {
        (e > lo[0], e < hi[last])
    };
    if below {
        return 0;
    }
    if above {
        return last;
    }
    let (mut a, mut b) = (0usize, last);
    while b - a > 1 {
        let mid = (a + b) / 2;
        let go_up = if increasing { e > lo[mid] } else { e < lo[mid] };
        if go_up {
            a = mid;
        } else {
            b = mid;
        }
    }
    let inside = if increasing {
        lo[a] < e && e <= hi[a]
    } else {
        lo[a] > e && e >= hi[a]
    };
    if inside {
        a
    } else {
        b
    }
}

/// Conversion factor to keV from a column's `TUNIT` (keV or absent → 1, eV, MeV).
fn kev_factor(col: &ColumnInfo, label: &str) -> Result<f64> {
    match col.unit.as_deref().map(|u| u.trim().to_ascii_lowercase()) {
        None => Ok(1.0),
        Some(u) if u.is_empty() || u == "kev" => Ok(1.0),
        Some(u) if u == "ev" => Ok(1e-3),
        Some(u) if u == "mev" => Ok(1e3),
        Some(_) => Err(Error::new(format!(
            "'{label}': column {} has unit '{}'; energies must be in keV, eV or MeV",
            col.name,
            col.unit.as_deref().unwrap_or("")
        ))),
    }
}

fn read_energy(table: &Table<'_>, name: &str) -> Result<Vec<f64>> {
    let col = table.require_column(name)?.clone();
    let f = kev_factor(&col, table.label())?;
    let v = table.read_column(&col)?;
    let Some(values) = v.scalars() else {
        return Err(Error::new(format!(
            "'{}': column {name} must hold one value per row",
            table.label()
        )));
    };
    Ok(values.iter().map(|x| x * f).collect())
}

fn is_matrix(h: &Header<'_>) -> bool {
    MATRIX_EXTNAMES.iter().any(|n| h.str_is("EXTNAME", n)) || h.str_is("HDUCLAS2", "RSP_MATRIX")
}

fn pick_hdu(
    file: &FitsFile,
    spec: &FileSpec,
    what: &str,
    pred: impl Fn(&Header<'_>) -> bool,
) -> Result<usize> {
    let label = file.label();
    if let Some(ext) = &spec.ext {
        if let Ok(n) = ext.parse::<usize>() {
            if n < file.len() && file.is_bintable(n) {
                return Ok(n);
            }
            return Err(file.not_a_table(label, n));
        }
        let hits = file.find(|h| h.str_is("EXTNAME", ext) || h.str_is("HDUCLAS2", ext));
        return hits.first().copied().ok_or_else(|| {
            Error::new(format!(
                "'{label}': no HDU named '{ext}' (HDUs: {})",
                file.describe_hdus()
            ))
        });
    }
    let candidates: Vec<usize> = file
        .find(pred)
        .into_iter()
        .filter(|&i| file.is_bintable(i))
        .collect();
    if candidates.is_empty() {
        return Err(Error::new(format!(
            "'{label}' has no {what} extension; HDUs: {}",
            file.describe_hdus()
        )));
    }
    match spec.index {
        None => Ok(candidates[0]),
        Some(n) if (1..=candidates.len()).contains(&n) => Ok(candidates[n - 1]),
        Some(n) => Err(Error::new(format!(
            "'{label}': {what} {{{n}}} does not exist; the file has {} {what} extension(s)",
            candidates.len()
        ))),
    }
}

/// Read a full response (RSP: matrix in cm² plus EBOUNDS). `{n}` selects the n-th matrix
/// (1-based) of a multi-matrix RSP2 file; the EBOUNDS table is shared.
pub fn read_response(spec: &FileSpec) -> Result<Response> {
    read_matrix_file(spec, None).map_err(|e| e.context("rsp"))
}

/// Like [`read_response`], but when the file holds several matrices, no `{n}`/`[ext]` is given
/// and every matrix header has `TSTART`/`TSTOP` (GBM RSP2), choose the matrix whose time range
/// covers the midpoint of `time` (the spectrum's `TIME`–`ENDTIME` or `TSTART`–`TSTOP`).
pub fn read_response_for_time(spec: &FileSpec, time: Option<(f64, f64)>) -> Result<Response> {
    read_matrix_file(spec, time).map_err(|e| e.context("rsp"))
}

/// Read a redistribution matrix (RMF: matrix plus EBOUNDS); same layout as [`read_response`].
pub fn read_rmf(spec: &FileSpec) -> Result<Response> {
    read_matrix_file(spec, None).map_err(|e| e.context("rmf"))
}

/// The matrix HDU of a multi-matrix file whose `TSTART`–`TSTOP` covers the midpoint of
/// `time`; `Ok(None)` when the file has one matrix, a selection was given, or some matrix has
/// no time range (then the first matrix is used, as without a time).
fn matrix_for_time(
    file: &FitsFile,
    spec: &FileSpec,
    time: Option<(f64, f64)>,
) -> Result<Option<usize>> {
    let Some((t0, t1)) = time else {
        return Ok(None);
    };
    if spec.index.is_some() || spec.ext.is_some() {
        return Ok(None);
    }
    let matrices: Vec<usize> = file
        .find(is_matrix)
        .into_iter()
        .filter(|&i| file.is_bintable(i))
        .collect();
    if matrices.len() < 2 {
        return Ok(None);
    }
    let mut ranges = Vec::with_capacity(matrices.len());
    for &m in &matrices {
        let Some(h) = file.header(m) else {
            return Ok(None);
        };
        match (h.f64("TSTART"), h.f64("TSTOP")) {
            (Some(a), Some(b)) => ranges.push((a, b)),
            _ => return Ok(None),
        }
    }
    let mid = 0.5 * (t0 + t1);
    if let Some(k) = ranges.iter().position(|&(a, b)| a <= mid && mid < b) {
        return Ok(Some(matrices[k]));
    }
    let listed: Vec<String> = ranges
        .iter()
        .enumerate()
        .map(|(k, (a, b))| format!("{{{}}} {a}-{b}", k + 1))
        .collect();
    Err(Error::new(format!(
        "'{}': no matrix covers the spectrum's time {mid} (the middle of {t0}-{t1}); the matrices cover {}; choose one with {{n}}",
        spec.text,
        listed.join(", ")
    )))
}

/// Read a response (RSP or RMF: matrix plus EBOUNDS) from a FITS file already in memory;
/// `spec` supplies the selections and the name used in messages (its path is not opened).
pub fn read_response_from_fits(file: &FitsFile, spec: &FileSpec) -> Result<Response> {
    read_matrix(file, spec, None).map_err(|e| e.context("rsp"))
}

fn read_matrix_file(spec: &FileSpec, time: Option<(f64, f64)>) -> Result<Response> {
    let file = FitsFile::open(&spec.path)?;
    read_matrix(&file, spec, time)
}

fn read_matrix(file: &FitsFile, spec: &FileSpec, time: Option<(f64, f64)>) -> Result<Response> {
    let label = spec.text.as_str();
    let mut warnings = Vec::new();
    let hm = match matrix_for_time(file, spec, time)? {
        Some(h) => h,
        None => {
            let n_matrices = file
                .find(is_matrix)
                .into_iter()
                .filter(|&i| file.is_bintable(i))
                .count();
            if n_matrices > 1 && spec.index.is_none() && spec.ext.is_none() {
                warnings.push(format!(
                    "'{label}' holds {n_matrices} matrices; using the first (choose one with {{n}}, n = 1..{n_matrices})"
                ));
            }
            pick_hdu(
                file,
                spec,
                "matrix (MATRIX / SPECRESP MATRIX / RSP_MATRIX)",
                is_matrix,
            )?
        }
    };
    let eb_spec = FileSpec {
        ext: None,
        index: None,
        ..spec.clone()
    };
    let he = pick_hdu(file, &eb_spec, "EBOUNDS", |h| {
        h.str_is("EXTNAME", "EBOUNDS") || h.str_is("HDUCLAS2", "EBOUNDS")
    })?;

    let eb = file.table(he)?;
    let e_min = read_energy(&eb, "E_MIN")?;
    let e_max = read_energy(&eb, "E_MAX")?;
    let nc = e_min.len();
    if let Some(d) = eb.header().i64("DETCHANS") {
        if d as usize != nc {
            warnings.push(format!(
                "'{label}': DETCHANS = {d} but EBOUNDS has {nc} rows"
            ));
        }
    }

    let mt = file.table(hm)?;
    let mh = mt.header();
    let energ_lo = read_energy(&mt, "ENERG_LO")?;
    let energ_hi = read_energy(&mt, "ENERG_HI")?;
    let ne = energ_lo.len();
    let fcol = mt.require_column("F_CHAN")?.clone();
    let ncol = mt.require_column("N_CHAN")?.clone();
    let mcol = mt.require_column("MATRIX")?.clone();
    let f_chan = mt.read_column(&fcol)?;
    let n_chan = mt.read_column(&ncol)?;
    let matrix = mt.read_column(&mcol)?;
    let n_grp = mt.read_opt("N_GRP")?;
    let tlmin = mh.i64(&format!("TLMIN{}", fcol.number));
    let offset = match tlmin {
        Some(t) => t,
        None => {
            let any_zero = (0..ne).any(|i| f_chan.row(i).contains(&0.0));
            if any_zero {
                warnings.push(format!(
                    "'{label}': no TLMIN for F_CHAN and some F_CHAN = 0; assuming channels start at 0"
                ));
                0
            } else {
                1
            }
        }
    };
    // A compressed matrix can declare a huge dense size in a tiny file: bound it by the file
    // size as well as absolutely.
    let max_cells = file
        .byte_len()
        .saturating_mul(MATRIX_CELLS_PER_FILE_BYTE)
        .clamp(MIN_MATRIX_CELLS, MAX_MATRIX_CELLS);
    let cells = ne
        .checked_mul(nc)
        .filter(|&c| c <= max_cells)
        .ok_or_else(|| {
            Error::new(format!(
                "'{label}': a {ne} × {nc} matrix is too large to hold densely (at most {max_cells} cells for a file of {} bytes)",
                file.byte_len()
            ))
        })?;
    let mut drm = vec![0.0f64; cells];
    for i in 0..ne {
        let bad = |why: String| Error::new(format!("'{label}': matrix row {}: {why}", i + 1));
        let fc = f_chan.row(i);
        let nch = n_chan.row(i);
        let m = matrix.row(i);
        let ngrp = match &n_grp {
            Some(g) => {
                let v = g.row(i).first().copied().unwrap_or(f64::NAN);
                if !(v.is_finite() && v >= 0.0 && v.fract() == 0.0) {
                    return Err(bad(format!("N_GRP = {v}")));
                }
                v as usize
            }
            None => fc.len().min(nch.len()),
        };
        if ngrp > fc.len() || ngrp > nch.len() {
            return Err(bad(format!(
                "N_GRP = {ngrp} but only {} F_CHAN and {} N_CHAN entries",
                fc.len(),
                nch.len()
            )));
        }
        let mut k = 0usize;
        for g in 0..ngrp {
            let (f, n) = (fc[g], nch[g]);
            if !(f.is_finite() && n.is_finite() && f.fract() == 0.0 && n.fract() == 0.0 && n >= 0.0)
            {
                return Err(bad(format!("F_CHAN = {f}, N_CHAN = {n}")));
            }
            let start = (f as i64).checked_sub(offset).unwrap_or(-1);
            let n = n as usize;
            if start < 0 || (start as usize).checked_add(n).is_none_or(|e| e > nc) {
                return Err(bad(format!(
                    "channels starting at index {start} (F_CHAN = {f}, N_CHAN = {n}, first channel {offset}) are outside the {nc} channels"
                )));
            }
            if k.checked_add(n).is_none_or(|e| e > m.len()) {
                return Err(bad(format!(
                    "N_CHAN needs {k} + {n} matrix values but MATRIX has {}",
                    m.len()
                )));
            }
            let start = start as usize;
            drm[i * nc + start..i * nc + start + n].copy_from_slice(&m[k..k + n]);
            k += n;
        }
    }
    if let Some(i) = (0..ne).find(|&i| energ_lo[i] == energ_hi[i]) {
        warnings.push(format!(
            "'{label}': energy bin {} has zero width (ENERG_LO = ENERG_HI = {} keV)",
            i + 1,
            energ_lo[i]
        ));
    }
    for i in 0..ne.saturating_sub(1) {
        let (a, b) = (energ_hi[i], energ_lo[i + 1]);
        if (a - b).abs() > 1e-6 * a.abs().max(b.abs()) {
            warnings.push(format!(
                "'{label}': energy bins {} and {} are not contiguous ({a} vs {b} keV)",
                i + 1,
                i + 2
            ));
            break;
        }
    }
    let mut r = Response {
        name: spec.display_name(),
        file: Some(spec.clone()),
        energ_lo,
        energ_hi,
        e_min,
        e_max,
        drm,
        first_channel: offset,
        matrix_extname: mh.extname().unwrap_or_default(),
        tforms: (fcol.tform_text.clone(), mcol.tform_text.clone()),
        telescop: mh.str("TELESCOP"),
        instrume: mh.str("INSTRUME"),
        warnings: Vec::new(),
    };
    r.validate()
        .map_err(|e| Error::new(format!("'{label}': {e}")))?;
    r.warnings = warnings;
    Ok(r)
}

/// Read an ARF (`SPECRESP` table: `ENERG_LO`, `ENERG_HI`, `SPECRESP`). `{n}` picks the n-th
/// SPECRESP extension.
pub fn read_arf(spec: &FileSpec) -> Result<Arf> {
    let run = || -> Result<Arf> {
        let file = FitsFile::open(&spec.path)?;
        read_arf_in(&file, spec)
    };
    run().map_err(|e| e.context("arf"))
}

/// Read an ARF from a FITS file already in memory; `spec` supplies the selections and the
/// name used in messages (its path is not opened).
pub fn read_arf_from_fits(file: &FitsFile, spec: &FileSpec) -> Result<Arf> {
    read_arf_in(file, spec).map_err(|e| e.context("arf"))
}

fn read_arf_in(file: &FitsFile, spec: &FileSpec) -> Result<Arf> {
    let label = spec.text.as_str();
    let h = pick_hdu(file, spec, "SPECRESP", |h| {
        h.str_is("EXTNAME", "SPECRESP") || h.str_is("HDUCLAS2", "SPECRESP")
    })?;
    let t = file.table(h)?;
    let energ_lo = read_energy(&t, "ENERG_LO")?;
    let energ_hi = read_energy(&t, "ENERG_HI")?;
    let sr = t.read("SPECRESP")?;
    let specresp = sr
        .scalars()
        .ok_or_else(|| Error::new(format!("'{label}': SPECRESP must hold one value per row")))?
        .to_vec();
    if let Some(k) = specresp.iter().position(|v| !v.is_finite() || *v < 0.0) {
        return Err(Error::new(format!(
            "'{label}': SPECRESP at row {} is {}",
            k + 1,
            specresp[k]
        )));
    }
    if energ_lo.is_empty() {
        return Err(Error::new(format!("'{label}': the ARF has no rows")));
    }
    Ok(Arf {
        name: spec.display_name(),
        energ_lo,
        energ_hi,
        specresp,
    })
}
