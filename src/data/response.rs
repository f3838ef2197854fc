//! Synthetic responses for simulations and examples: a log-spaced photon energy grid, a
//! log-spaced channel grid, an effective-area curve and Gaussian energy resolution.

use crate::error::{Error, Result};
use crate::math::special::ndtr;
use crate::ogip::Response;

/// Effective area as a function of photon energy.
#[derive(Debug, Clone, PartialEq)]
pub enum AreaCurve {
    /// The same area (cm²) at every energy.
    Constant(f64),
    /// Points `(energy keV, area cm²)`, increasing in energy; interpolated linearly in
    /// log–log (area 0 points are interpolated linearly), held constant beyond the ends.
    Table(Vec<(f64, f64)>),
}

impl AreaCurve {
    /// The area at energy `e` (keV).
    pub fn at(&self, e: f64) -> f64 {
        match self {
            AreaCurve::Constant(a) => *a,
            AreaCurve::Table(pts) => {
                let (first, last) = (pts[0], pts[pts.len() - 1]);
                if e <= first.0 {
                    return first.1;
                }
                if e >= last.0 {
                    return last.1;
                }
                let k = pts
                    .iter()
                    .position(|p| p.0 >= e)
                    .unwrap_or(pts.len() - 1)
                    .max(1);
                let ((x0, y0), (x1, y1)) = (pts[k - 1], pts[k]);
                if y0 > 0.0 && y1 > 0.0 {
                    let t = (e / x0).ln() / (x1 / x0).ln();
                    (y0.ln() + t * (y1 / y0).ln()).exp()
                } else {
                    y0 + (y1 - y0) * (e - x0) / (x1 - x0)
                }
            }
        }
    }

    fn validate(&self) -> Result<()> {
        match self {
            AreaCurve::Constant(a) if a.is_finite() && *a > 0.0 => Ok(()),
            AreaCurve::Constant(a) => Err(Error::new(format!(
                "response: area {a} must be finite and > 0"
            ))),
            AreaCurve::Table(pts) => {
                if pts.is_empty() {
                    return Err(Error::new("response: the area table is empty"));
                }
                for w in pts.windows(2) {
                    if w[1].0.partial_cmp(&w[0].0) != Some(std::cmp::Ordering::Greater) {
                        return Err(Error::new("response: area table energies must increase"));
                    }
                }
                if pts
                    .iter()
                    .any(|&(e, a)| !(e.is_finite() && e > 0.0 && a.is_finite() && a >= 0.0))
                {
                    return Err(Error::new(
                        "response: area table values must be finite, energies > 0, areas >= 0",
                    ));
                }
                Ok(())
            }
        }
    }
}

/// Description of a synthetic response.
#[derive(Debug, Clone, PartialEq)]
pub struct SyntheticSpec {
    /// Name shown in tables.
    pub name: String,
    /// Photon energy range (keV) of the matrix rows, log-spaced.
    pub energy_range: (f64, f64),
    /// Number of energy bins.
    pub n_energy: usize,
    /// Channel energy range (keV), log-spaced.
    pub channel_range: (f64, f64),
    /// Number of channels.
    pub n_channels: usize,
    /// Effective area curve.
    pub area: AreaCurve,
    /// Resolution: FWHM(E) = `fwhm_fraction` · E_ref · (E / E_ref)^`fwhm_index`.
    pub fwhm_fraction: f64,
    /// Reference energy E_ref (keV) of the resolution law.
    pub fwhm_ref_energy: f64,
    /// Power-law index of the resolution law (0.5 for a scintillator).
    pub fwhm_index: f64,
    /// `TELESCOP` written to files.
    pub telescop: String,
    /// `INSTRUME` written to files.
    pub instrume: String,
}

impl SyntheticSpec {
    /// A Fermi/GBM NaI-like detector: 128 channels over 4–2000 keV (the 8–900 keV band is
    /// well inside), photon energies 5–3000 keV, peak area ≈ 120 cm², 14 % FWHM at 100 keV.
    pub fn gbm_nai() -> SyntheticSpec {
        SyntheticSpec {
            name: "nai".into(),
            energy_range: (5.0, 3000.0),
            n_energy: 140,
            channel_range: (4.0, 2000.0),
            n_channels: 128,
            area: AreaCurve::Table(vec![
                (5.0, 5.0),
                (10.0, 60.0),
                (20.0, 110.0),
                (50.0, 125.0),
                (100.0, 120.0),
                (200.0, 80.0),
                (500.0, 35.0),
                (1000.0, 18.0),
                (3000.0, 8.0),
            ]),
            fwhm_fraction: 0.14,
            fwhm_ref_energy: 100.0,
            fwhm_index: 0.5,
            telescop: "SYNTHETIC".into(),
            instrume: "NAI".into(),
        }
    }

    /// A Fermi/GBM BGO-like detector: 128 channels over 150–45000 keV (the 200–40000 keV band
    /// is inside), photon energies 100–50000 keV, area ≈ 100 cm², 10 % FWHM at 1 MeV.
    pub fn gbm_bgo() -> SyntheticSpec {
        SyntheticSpec {
            name: "bgo".into(),
            energy_range: (100.0, 50000.0),
            channel_range: (150.0, 45000.0),
            area: AreaCurve::Table(vec![
                (100.0, 20.0),
                (200.0, 90.0),
                (500.0, 110.0),
                (1000.0, 105.0),
                (5000.0, 90.0),
                (10000.0, 75.0),
                (50000.0, 45.0),
            ]),
            fwhm_fraction: 0.10,
            fwhm_ref_energy: 1000.0,
            instrume: "BGO".into(),
            // as the NaI: 140 photon bins, 128 channels, FWHM ∝ E^0.5, TELESCOP
            ..SyntheticSpec::gbm_nai()
        }
    }
}

fn log_grid(lo: f64, hi: f64, n: usize) -> Vec<f64> {
    let r = (hi / lo).ln();
    (0..=n)
        .map(|k| lo * (r * k as f64 / n as f64).exp())
        .collect()
}

/// Largest synthetic matrix (energy bins × channels): 16 M cells, 128 MB of f64.
const MAX_SYNTHETIC_CELLS: usize = 1 << 24;

/// Build the synthetic response: row i (energy bin with geometric centre E) is
/// area(E) × the fraction of a Gaussian of FWHM(E) centred on E falling in each channel.
pub fn synthetic(spec: &SyntheticSpec) -> Result<Response> {
    let (elo, ehi) = spec.energy_range;
    let (clo, chi) = spec.channel_range;
    for (what, lo, hi) in [("energy_range", elo, ehi), ("channel_range", clo, chi)] {
        if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) {
            return Err(Error::new(format!(
                "response: {what} [{lo}, {hi}] must satisfy 0 < lo < hi"
            )));
        }
    }
    if spec.n_energy == 0
        || spec.n_channels == 0
        || spec.n_energy > 100_000
        || spec.n_channels > 100_000
    {
        return Err(Error::new(format!(
            "response: {} energy bins and {} channels (each must be 1..100000)",
            spec.n_energy, spec.n_channels
        )));
    }
    if spec.n_energy.saturating_mul(spec.n_channels) > MAX_SYNTHETIC_CELLS {
        return Err(Error::new(format!(
            "response: {} energy bins × {} channels is {} matrix cells, more than the {MAX_SYNTHETIC_CELLS} allowed",
            spec.n_energy,
            spec.n_channels,
            spec.n_energy.saturating_mul(spec.n_channels)
        )));
    }
    let positive = |v: f64| v.is_finite() && v > 0.0;
    if !positive(spec.fwhm_fraction)
        || !positive(spec.fwhm_ref_energy)
        || !spec.fwhm_index.is_finite()
    {
        return Err(Error::new("response: the resolution law needs finite fwhm_fraction > 0, fwhm_ref_energy > 0 and a finite index"));
    }
    spec.area.validate()?;
    let eg = log_grid(elo, ehi, spec.n_energy);
    let cg = log_grid(clo, chi, spec.n_channels);
    let (ne, nc) = (spec.n_energy, spec.n_channels);
    let mut drm = vec![0.0; ne * nc];
    for i in 0..ne {
        let e = (eg[i] * eg[i + 1]).sqrt();
        let fwhm = spec.fwhm_fraction
            * spec.fwhm_ref_energy
            * (e / spec.fwhm_ref_energy).powf(spec.fwhm_index);
        let sigma = fwhm / (8.0 * std::f64::consts::LN_2).sqrt();
        let area = spec.area.at(e);
        for c in 0..nc {
            let p = ndtr((cg[c + 1] - e) / sigma) - ndtr((cg[c] - e) / sigma);
            let v = area * p;
            if v > 1e-10 * area {
                drm[i * nc + c] = v;
            }
        }
    }
    let mut r = Response::new(
        &spec.name,
        eg[..ne].to_vec(),
        eg[1..].to_vec(),
        cg[..nc].to_vec(),
        cg[1..].to_vec(),
        drm,
    )?;
    r.telescop = Some(spec.telescop.clone());
    r.instrume = Some(spec.instrume.clone());
    Ok(r)
}
