//! A binned view of a unit (fitting grid or display grid): bins, per-bin sums, channel
//! bounds, base efficiencies and the grouped response (data.md 3.2–3.3).

use crate::ogip::{Response, Spectrum};

/// Which grid of a unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GridKind {
    /// The fitting grid (`grpg`, or the file's GROUPING).
    Fit,
    /// The display grid (`rebn`, or the fitting grid).
    Display,
}

/// Per-bin quantities of one grid. Efficiencies here exclude the nuisance factors `sf`, `bf`;
/// the grouped response excludes `rf`.
#[derive(Debug, Clone, PartialEq)]
pub struct Grid {
    flags: Vec<i64>,
    bins: Vec<(usize, usize)>,
    src_counts: Vec<f64>,
    src_errors: Vec<f64>,
    bkg_counts: Vec<f64>,
    bkg_errors: Vec<f64>,
    emin: Vec<f64>,
    emax: Vec<f64>,
    ts_base: Vec<f64>,
    tb_base: Vec<f64>,
    drm: Vec<f64>,
    n_energy: usize,
    nonzero_rows: std::ops::Range<usize>,
}

impl Grid {
    /// Build the grid for `bins` (channel ranges `[start, stop)`, all valid).
    pub(crate) fn build(
        flags: Vec<i64>,
        bins: Vec<(usize, usize)>,
        src: &Spectrum,
        bkg: &Spectrum,
        rsp: &Response,
    ) -> Grid {
        let nb = bins.len();
        let ne = rsp.n_energy();
        let sum = |v: &[f64], (a, b): (usize, usize)| v[a..b].iter().sum::<f64>();
        let quad =
            |v: &[f64], (a, b): (usize, usize)| v[a..b].iter().map(|x| x * x).sum::<f64>().sqrt();
        let mut drm = vec![0.0; ne * nb];
        for i in 0..ne {
            let row = rsp.row(i);
            for (k, &bin) in bins.iter().enumerate() {
                drm[i * nb + k] = sum(row, bin);
            }
        }
        let first = (0..ne).find(|&i| drm[i * nb..(i + 1) * nb].iter().any(|&x| x != 0.0));
        let nonzero_rows = match first {
            Some(f) => {
                let last = (0..ne)
                    .rev()
                    .find(|&i| drm[i * nb..(i + 1) * nb].iter().any(|&x| x != 0.0))
                    .unwrap_or(f);
                f..last + 1
            }
            None => 0..0,
        };
        Grid {
            src_counts: bins.iter().map(|&b| sum(&src.counts, b)).collect(),
            src_errors: bins.iter().map(|&b| quad(&src.errors, b)).collect(),
            bkg_counts: bins.iter().map(|&b| sum(&bkg.counts, b)).collect(),
            bkg_errors: bins.iter().map(|&b| quad(&bkg.errors, b)).collect(),
            emin: bins.iter().map(|&(a, _)| rsp.e_min[a]).collect(),
            emax: bins.iter().map(|&(_, b)| rsp.e_max[b - 1]).collect(),
            ts_base: bins
                .iter()
                .map(|&(a, b)| src.exposure * src.areascal.mean(a, b))
                .collect(),
            tb_base: bins
                .iter()
                .map(|&(a, b)| {
                    bkg.exposure * bkg.areascal.mean(a, b) * bkg.backscale.mean(a, b)
                        / src.backscale.mean(a, b)
                })
                .collect(),
            drm,
            n_energy: ne,
            nonzero_rows,
            flags,
            bins,
        }
    }

    /// Per-channel flags (1 starts a bin, −1 continues it, 0 excluded by the rule).
    pub fn flags(&self) -> &[i64] {
        &self.flags
    }

    /// Bins as channel ranges `[start, stop)` (0-based channel indices).
    pub fn bins(&self) -> &[(usize, usize)] {
        &self.bins
    }

    /// Number of bins.
    pub fn n_bins(&self) -> usize {
        self.bins.len()
    }

    /// Source counts per bin.
    pub fn src_counts(&self) -> &[f64] {
        &self.src_counts
    }

    /// Source errors per bin (quadrature sums).
    pub fn src_errors(&self) -> &[f64] {
        &self.src_errors
    }

    /// Raw background counts per bin (not scaled).
    pub fn bkg_counts(&self) -> &[f64] {
        &self.bkg_counts
    }

    /// Background errors per bin (counts, quadrature sums).
    pub fn bkg_errors(&self) -> &[f64] {
        &self.bkg_errors
    }

    /// Lower channel bound of each bin (`E_MIN` of its first channel), keV.
    pub fn emin(&self) -> &[f64] {
        &self.emin
    }

    /// Upper channel bound of each bin (`E_MAX` of its last channel), keV.
    pub fn emax(&self) -> &[f64] {
        &self.emax
    }

    /// Arithmetic midpoints of the bins, keV.
    pub fn emid(&self) -> Vec<f64> {
        self.emin
            .iter()
            .zip(&self.emax)
            .map(|(a, b)| 0.5 * (a + b))
            .collect()
    }

    /// Bin widths `E_MAX(last) − E_MIN(first)`, keV.
    pub fn ewidth(&self) -> Vec<f64> {
        self.emin
            .iter()
            .zip(&self.emax)
            .map(|(a, b)| b - a)
            .collect()
    }

    /// Source efficiency per bin without `sf`: t_S · AREASCAL_S.
    pub fn ts_base(&self) -> &[f64] {
        &self.ts_base
    }

    /// Background efficiency per bin without `bf`: t_B · AREASCAL_B · BACKSCAL_B / BACKSCAL_S.
    pub fn tb_base(&self) -> &[f64] {
        &self.tb_base
    }

    /// Background scaling α = t_s / t_b per bin (without `sf`, `bf`).
    pub fn alpha(&self) -> Vec<f64> {
        self.ts_base
            .iter()
            .zip(&self.tb_base)
            .map(|(s, b)| s / b)
            .collect()
    }

    /// Grouped response, row-major `n_energy × n_bins` (cm², before `rf`): column k is the
    /// sum of the response columns of bin k's channels.
    pub fn drm(&self) -> &[f64] {
        &self.drm
    }

    /// Number of energy bins (rows of [`drm`](Self::drm)).
    pub fn n_energy(&self) -> usize {
        self.n_energy
    }

    /// The range of energy rows that hold any non-zero value (rows outside contribute nothing
    /// to folding and can be skipped).
    pub fn nonzero_energy_rows(&self) -> std::ops::Range<usize> {
        self.nonzero_rows.clone()
    }
}
