//! Spectral plot styles (the y quantity of plots.md §2.1) and their axis labels.

use crate::error::{Error, Result};
use serde::Serialize;
use std::fmt;

/// Which quantity a spectral figure shows on its y axis.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum SpectralStyle {
    /// Net count rate per bin.
    CC,
    /// Net count rate per keV (the default of data/infer plots).
    CE,
    /// Photon spectrum N(E).
    NE,
    /// Energy-flux density E·N(E) (alias ENE).
    Fv,
    /// νFν = E²·N(E) (alias EENE).
    VFv,
    /// Dimensionless value of a multiplicative / mathematical model.
    NoU,
}

/// Every accepted spelling, for error messages.
const ACCEPTED: &str = "CC, CE, NE, Fv (alias ENE), vFv (alias EENE), NoU";

impl SpectralStyle {
    /// Parse a style name case-insensitively, aliases included (`"vfv"`, `"EENE"`).
    pub fn parse(name: &str) -> Result<SpectralStyle> {
        match name.trim().to_ascii_lowercase().as_str() {
            "cc" => Ok(SpectralStyle::CC),
            "ce" => Ok(SpectralStyle::CE),
            "ne" => Ok(SpectralStyle::NE),
            "fv" | "ene" => Ok(SpectralStyle::Fv),
            "vfv" | "eene" => Ok(SpectralStyle::VFv),
            "nou" => Ok(SpectralStyle::NoU),
            _ => Err(Error::new(format!(
                "unknown plot style '{name}': accepted styles are {ACCEPTED}"
            ))),
        }
    }

    /// Canonical name (`"vFv"`).
    pub fn name(self) -> &'static str {
        match self {
            SpectralStyle::CC => "CC",
            SpectralStyle::CE => "CE",
            SpectralStyle::NE => "NE",
            SpectralStyle::Fv => "Fv",
            SpectralStyle::VFv => "vFv",
            SpectralStyle::NoU => "NoU",
        }
    }

    /// The y axis label of the style (Unicode, no TeX).
    pub fn y_label(self) -> &'static str {
        match self {
            SpectralStyle::CC => "Counts s⁻¹ bin⁻¹",
            SpectralStyle::CE => "Counts s⁻¹ keV⁻¹",
            SpectralStyle::NE => "Photons cm⁻² s⁻¹ keV⁻¹",
            SpectralStyle::Fv => "Fν (erg cm⁻² s⁻¹ keV⁻¹)",
            SpectralStyle::VFv => "νFν (erg cm⁻² s⁻¹)",
            SpectralStyle::NoU => "Dimensionless",
        }
    }

    /// Whether the style shows folded count quantities (CC, CE).
    pub fn is_count(self) -> bool {
        matches!(self, SpectralStyle::CC | SpectralStyle::CE)
    }
}

impl fmt::Display for SpectralStyle {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The x axis label of every spectral figure.
pub const ENERGY_LABEL: &str = "Energy (keV)";
/// The y label of the residual panel.
pub const RESIDUAL_LABEL: &str = "Residual (σ)";
