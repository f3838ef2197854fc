//! Simulation ("fakeit"): Poisson source (+ background) counts from a photon spectrum folded
//! through a response, written as OGIP PHA files that `DataUnit` reads back.

use crate::error::{Error, Result};
use crate::ogip::{write_pha, PhaWriteOptions, Response, Spectrum};
use rand::rngs::StdRng;
use rand::SeedableRng;
use rand_distr::{Distribution, Poisson};
use std::path::{Path, PathBuf};

/// The background of a simulation.
#[derive(Debug, Clone, PartialEq)]
pub struct BackgroundSpec {
    /// Background count rate per channel in the source region (counts/s).
    pub rate: Vec<f64>,
    /// Exposure of the background spectrum (s); BACKSCAL is 1 for source and background.
    pub exposure: f64,
}

/// Options of [`simulate`].
#[derive(Debug, Clone, PartialEq)]
pub struct SimulateOptions {
    /// Source exposure (s).
    pub exposure: f64,
    /// Background, if any.
    pub background: Option<BackgroundSpec>,
    /// Seed of the random generator (same seed → same counts).
    pub seed: u64,
    /// Output stem: writes `<out>.pha` and, with a background, `<out>_bkg.pha`.
    pub out: PathBuf,
    /// `RESPFILE` to record in the source file, if any.
    pub respfile: Option<String>,
}

/// What [`simulate`] wrote.
#[derive(Debug, Clone, PartialEq)]
pub struct SimulatedFiles {
    /// Path of the source PHA file.
    pub src: PathBuf,
    /// Path of the background PHA file, if any.
    pub bkg: Option<PathBuf>,
    /// The simulated source spectrum.
    pub src_spectrum: Spectrum,
    /// The simulated background spectrum, if any.
    pub bkg_spectrum: Option<Spectrum>,
}

fn draw(rng: &mut StdRng, mean: f64) -> Result<f64> {
    if mean == 0.0 {
        return Ok(0.0);
    }
    let d = Poisson::new(mean)
        .map_err(|e| Error::new(format!("simulate: cannot draw Poisson({mean}): {e}")))?;
    Ok(d.sample(rng))
}

fn with_suffix(stem: &Path, suffix: &str) -> PathBuf {
    let mut s = stem.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Draw Poisson counts: source ~ Poisson(t_S · (Σ_i flux_i · `drm[i][c]` + b_c)), background
/// ~ Poisson(t_B · b_c), with a `StdRng` seeded by `opts.seed`, and write the PHA files.
/// `photon_flux` is the photon flux per response energy bin (photons cm⁻² s⁻¹).
pub fn simulate(
    photon_flux: &[f64],
    response: &Response,
    opts: &SimulateOptions,
) -> Result<SimulatedFiles> {
    let (ne, nc) = (response.n_energy(), response.n_channels());
    if photon_flux.len() != ne {
        return Err(Error::new(format!(
            "simulate: {} photon fluxes given but the response has {ne} energy bins",
            photon_flux.len()
        )));
    }
    if let Some(i) = photon_flux
        .iter()
        .position(|f| !(f.is_finite() && *f >= 0.0))
    {
        return Err(Error::new(format!(
            "simulate: photon flux {} in energy bin {} must be finite and >= 0",
            photon_flux[i],
            i + 1
        )));
    }
    if !(opts.exposure.is_finite() && opts.exposure > 0.0) {
        return Err(Error::new(format!(
            "simulate: exposure = {} must be finite and > 0",
            opts.exposure
        )));
    }
    let bkg_rate = match &opts.background {
        Some(b) => {
            if b.rate.len() != nc {
                return Err(Error::new(format!(
                    "simulate: background rate has {} channels but the response has {nc}",
                    b.rate.len()
                )));
            }
            if b.rate.iter().any(|r| !(r.is_finite() && *r >= 0.0)) {
                return Err(Error::new(
                    "simulate: background rates must be finite and >= 0",
                ));
            }
            if !(b.exposure.is_finite() && b.exposure > 0.0) {
                return Err(Error::new(format!(
                    "simulate: background exposure = {} must be finite and > 0",
                    b.exposure
                )));
            }
            b.rate.clone()
        }
        None => vec![0.0; nc],
    };
    let mut model = vec![0.0; nc];
    for (i, &f) in photon_flux.iter().enumerate() {
        if f == 0.0 {
            continue;
        }
        for (m, d) in model.iter_mut().zip(response.row(i)) {
            *m += f * d;
        }
    }
    let mut rng = StdRng::seed_from_u64(opts.seed);
    let mut src_counts = Vec::with_capacity(nc);
    for c in 0..nc {
        src_counts.push(draw(&mut rng, opts.exposure * (model[c] + bkg_rate[c]))?);
    }
    let stem_name = opts
        .out
        .file_name()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "sim".into());
    if let Some(dir) = opts.out.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("simulate: cannot create '{}': {e}", dir.display())))?;
    }
    let mut bkg_out = None;
    if let Some(b) = &opts.background {
        let counts: Vec<f64> = bkg_rate
            .iter()
            .map(|r| draw(&mut rng, b.exposure * r))
            .collect::<Result<_>>()?;
        let errors = counts.iter().map(|c: &f64| c.sqrt()).collect();
        let mut s =
            Spectrum::from_arrays(&format!("{stem_name}_bkg.pha"), counts, errors, b.exposure)?;
        s.telescop = response.telescop.clone();
        s.instrume = response.instrume.clone();
        s.first_channel = Some(response.first_channel);
        let path = with_suffix(&opts.out, "_bkg.pha");
        write_pha(
            &path,
            &s,
            &PhaWriteOptions {
                background: true,
                respfile: opts.respfile.clone(),
                ..Default::default()
            },
        )?;
        bkg_out = Some((path, s));
    }
    let errors = src_counts.iter().map(|c: &f64| c.sqrt()).collect();
    let mut src = Spectrum::from_arrays(
        &format!("{stem_name}.pha"),
        src_counts,
        errors,
        opts.exposure,
    )?;
    src.telescop = response.telescop.clone();
    src.instrume = response.instrume.clone();
    src.first_channel = Some(response.first_channel);
    let src_path = with_suffix(&opts.out, ".pha");
    write_pha(
        &src_path,
        &src,
        &PhaWriteOptions {
            background: false,
            backfile: bkg_out.as_ref().map(|_| format!("{stem_name}_bkg.pha")),
            respfile: opts.respfile.clone(),
            ..Default::default()
        },
    )?;
    Ok(SimulatedFiles {
        src: src_path,
        bkg: bkg_out.as_ref().map(|(p, _)| p.clone()),
        src_spectrum: src,
        bkg_spectrum: bkg_out.map(|(_, s)| s),
    })
}
