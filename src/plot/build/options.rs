//! Options of the figure builders and the `at_par` choice of parameter point (plots.md §2.6,
//! §3–7).

use crate::analyze::{AnalyzerKind, Posterior};
use crate::error::{Error, Result};
use crate::plot::color::Rgb;
use crate::plot::style::SpectralStyle;
use std::fmt;

/// Which parameter point of a posterior the model is evaluated at (plots.md §2.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AtPar {
    /// The draw with the highest log-probability (log-likelihood for a bootstrap).
    Best,
    /// The best draw lying inside every parameter's 1σ interval.
    BestCi,
    /// The vector of per-parameter medians.
    Median,
    /// The vector of per-parameter means.
    Mean,
    /// The bootstrap's first row (the fit it was drawn around).
    Truth,
}

/// Every accepted spelling, for error messages.
const AT_PAR_NAMES: &str = "best, best-ci, median, mean, truth";

impl AtPar {
    /// Parse `best`, `best-ci` (also `best_ci`), `median`, `mean`, `truth`, case-insensitively.
    pub fn parse(name: &str) -> Result<AtPar> {
        match name.trim().to_ascii_lowercase().as_str() {
            "best" => Ok(AtPar::Best),
            "best-ci" | "best_ci" | "bestci" => Ok(AtPar::BestCi),
            "median" => Ok(AtPar::Median),
            "mean" => Ok(AtPar::Mean),
            "truth" => Ok(AtPar::Truth),
            _ => Err(Error::new(format!(
                "unknown at_par '{name}': accepted values are {AT_PAR_NAMES}"
            ))),
        }
    }

    /// Canonical name (`best-ci`).
    pub fn name(self) -> &'static str {
        match self {
            AtPar::Best => "best",
            AtPar::BestCi => "best-ci",
            AtPar::Median => "median",
            AtPar::Mean => "mean",
            AtPar::Truth => "truth",
        }
    }

    /// The default point of a sample for spectra and corner marks: `truth` for a bootstrap,
    /// `best` for a posterior.
    pub fn default_for(post: &Posterior) -> AtPar {
        match post.analysis().kind() {
            AnalyzerKind::Bootstrap => AtPar::Truth,
            AnalyzerKind::Posterior => AtPar::Best,
        }
    }

    /// The free-parameter values (free order) of this point of `post`.
    pub fn values(self, post: &Posterior) -> Result<Vec<f64>> {
        let a = post.analysis();
        match self {
            AtPar::Best => Ok(a.par_best()),
            AtPar::BestCi => a.par_best_ci().ok_or_else(|| {
                Error::new(
                    "at_par 'best-ci': no draw lies inside every parameter's 1σ interval; \
                     use 'best' or 'median'",
                )
            }),
            AtPar::Median => Ok(a.par_median()),
            AtPar::Mean => Ok(a.par_mean()),
            AtPar::Truth => a
                .pars()
                .iter()
                .zip(post.clean_labels())
                .map(|(p, label)| {
                    p.truth.ok_or_else(|| {
                        Error::new(format!(
                            "at_par 'truth': parameter {label} has no truth value (only a \
                             bootstrap has one); use one of best, best-ci, median, mean"
                        ))
                    })
                })
                .collect(),
        }
    }
}

impl fmt::Display for AtPar {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The central mass of the posterior bands: 68.27 % (pointwise 15.865 % … 84.135 %).
pub const BAND_MASS: f64 = 0.682_689_492_137_086;

/// Default number of posterior draws the bands are computed from (fixed-stride thinning).
pub const MAX_DRAWS: usize = 500;

/// Text of a figure set by the user: title, axis labels, legend labels.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FigureText {
    /// A title above the plot.
    pub title: Option<String>,
    /// Replaces the x-axis label.
    pub x_label: Option<String>,
    /// Replaces the y-axis label.
    pub y_label: Option<String>,
    /// Legend labels replacing the units' names (spectra) or the models' labels (model plots),
    /// one per entry in order.
    pub legend: Option<Vec<String>>,
}

/// Options of the spectrum figures (`Plot::infer`, `Plot::pair`, `Plot::data`).
#[derive(Debug, Clone, PartialEq)]
pub struct SpectrumOptions {
    /// Title, axis labels and legend labels.
    pub text: FigureText,
    /// y quantity: CC, CE, NE, Fv, vFv (data plots: CC, CE only). Default CE.
    pub style: SpectralStyle,
    /// Display grid (`true`) or fitting grid (`false`); `None` = the kind's default (infer:
    /// display grid; pair, data, dataunit: fitting grid).
    pub rebin: Option<bool>,
    /// Parameter point with a posterior (`None` = best, truth for a bootstrap). Without a
    /// posterior the current values are used and giving `at_par` is an error.
    pub at_par: Option<AtPar>,
    /// Draw the posterior band when a posterior is given (default true).
    pub band: bool,
    /// Central mass of the band (default 68.27 %).
    pub band_mass: f64,
    /// At most this many posterior draws (fixed stride) enter the band (default 500).
    pub max_draws: usize,
    /// Draw the CC / CE model as a step histogram over the bins instead of the reference's
    /// polyline through the bin midpoints (default false).
    pub model_steps: bool,
    /// NE / Fv / vFv: evaluate the model curve (and band) on this many log-spaced energies
    /// across each unit's bins instead of at the bin midpoints (default `None`: midpoints, as
    /// the reference).
    pub model_points: Option<usize>,
    /// Half-range of the residual panel in σ (default 3.5).
    pub res_range: f64,
    /// Fixed y range of the top panel.
    pub y_range: Option<(f64, f64)>,
    /// Fixed x range.
    pub x_range: Option<(f64, f64)>,
    /// Colours replacing the palette.
    pub colors: Option<Vec<Rgb>>,
    /// Image size in pixels.
    pub size: Option<(u32, u32)>,
}

impl Default for SpectrumOptions {
    fn default() -> Self {
        SpectrumOptions {
            text: FigureText::default(),
            style: SpectralStyle::CE,
            rebin: None,
            at_par: None,
            band: true,
            band_mass: BAND_MASS,
            max_draws: MAX_DRAWS,
            model_steps: false,
            model_points: None,
            res_range: 3.5,
            y_range: None,
            x_range: None,
            colors: None,
            size: None,
        }
    }
}

impl SpectrumOptions {
    /// Options with a style, the rest default.
    pub fn with_style(style: SpectralStyle) -> SpectrumOptions {
        SpectrumOptions {
            style,
            ..SpectrumOptions::default()
        }
    }

    /// Check the numeric options.
    pub(crate) fn validate(&self) -> Result<()> {
        check_mass(self.band_mass)?;
        if self.max_draws == 0 {
            return Err(Error::new("max_draws must be at least 1"));
        }
        if let Some(n) = self.model_points {
            if n < 2 {
                return Err(Error::new(format!(
                    "model_points must be at least 2, got {n}"
                )));
            }
        }
        if !(self.res_range.is_finite() && self.res_range > 0.0) {
            return Err(Error::new(format!(
                "res_range must be a positive number, got {}",
                self.res_range
            )));
        }
        Ok(())
    }
}

/// Options of [`model_figure`](super::model_figure).
#[derive(Debug, Clone, PartialEq)]
pub struct ModelOptions {
    /// Title, axis labels and legend labels.
    pub text: FigureText,
    /// NE, Fv, vFv (additive models) or NoU (multiplicative / mathematical). Default NE.
    pub style: SpectralStyle,
    /// Parameter point of the central curves with a posterior (`None` = median); without a
    /// posterior the current values are used and giving `at_par` is an error.
    pub at_par: Option<AtPar>,
    /// Draw the posterior bands when a posterior is given (default true).
    pub band: bool,
    /// Central mass of the bands (default 68.27 %).
    pub band_mass: f64,
    /// At most this many posterior draws (fixed stride) enter the bands (default 500).
    pub max_draws: usize,
    /// Also draw every component of a composite model whose kind fits the style, dashed, with
    /// its own band (default false).
    pub components: bool,
    /// Time T (s) for time-dependent models.
    pub time: Option<f64>,
    /// Fixed y range.
    pub y_range: Option<(f64, f64)>,
    /// Colours replacing the palette.
    pub colors: Option<Vec<Rgb>>,
    /// Image size in pixels.
    pub size: Option<(u32, u32)>,
}

impl Default for ModelOptions {
    fn default() -> Self {
        ModelOptions {
            text: FigureText::default(),
            style: SpectralStyle::NE,
            at_par: None,
            band: true,
            band_mass: BAND_MASS,
            max_draws: MAX_DRAWS,
            components: false,
            time: None,
            y_range: None,
            colors: None,
            size: None,
        }
    }
}

impl ModelOptions {
    /// Options with a style, the rest default.
    pub fn with_style(style: SpectralStyle) -> ModelOptions {
        ModelOptions {
            style,
            ..ModelOptions::default()
        }
    }
}

/// Options of [`corner_figure`](super::corner_figure).
#[derive(Debug, Clone, PartialEq)]
pub struct CornerOptions {
    /// The point marked in red (`None` = best, truth for a bootstrap).
    pub at_par: Option<AtPar>,
    /// True values marked in green (one per free parameter).
    pub truths: Option<Vec<f64>>,
    /// Histogram bins per axis (default 30).
    pub bins: usize,
    /// Gaussian smoothing σ in bins (default 2).
    pub smooth: f64,
    /// Per-parameter axis ranges (default: the sample's range).
    pub ranges: Option<Vec<(f64, f64)>>,
    /// Image size in pixels.
    pub size: Option<(u32, u32)>,
}

impl Default for CornerOptions {
    fn default() -> Self {
        CornerOptions {
            at_par: None,
            truths: None,
            bins: 30,
            smooth: 2.0,
            ranges: None,
            size: None,
        }
    }
}

pub(crate) fn check_mass(m: f64) -> Result<()> {
    if m.is_finite() && m > 0.0 && m < 1.0 {
        Ok(())
    } else {
        Err(Error::new(format!(
            "band_mass must lie strictly between 0 and 1, got {m}"
        )))
    }
}
