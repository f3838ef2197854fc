//! Count-rate-to-flux conversion factors of a pair (data.md 3.6, models.md 4.4): the model
//! energy flux over each unit's noticed ranges, or the model flux density at one energy,
//! divided by the unit's total net count rate — observed (`rate_to_*`) or model-folded
//! (`conv_rate_to_*`).

use super::pair::Pair;
use crate::data::{DataUnit, GridKind};
use crate::error::{Error, Result};

/// Energies per range of the flux integral (the reference's internal default).
const FLUX_NGRID: usize = 1000;

/// The unit a flux density is given in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DensityUnit {
    /// N(E), photons cm⁻² s⁻¹ keV⁻¹.
    Ne,
    /// F(E) = E·N(E), erg cm⁻² s⁻¹ keV⁻¹.
    Fv,
    /// F_ν in Jansky: F(E)·10⁶/2.416.
    Jy,
}

impl DensityUnit {
    /// Parse `"NE"`, `"Fv"` or `"Jy"` (case-insensitive).
    pub fn parse(text: &str) -> Result<DensityUnit> {
        match text.to_ascii_lowercase().as_str() {
            "ne" => Ok(DensityUnit::Ne),
            "fv" => Ok(DensityUnit::Fv),
            "jy" => Ok(DensityUnit::Jy),
            _ => Err(Error::new(format!(
                "unknown flux-density unit '{text}'; use \"NE\", \"Fv\" or \"Jy\""
            ))),
        }
    }
}

/// Which total count rate the flux is divided by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateBasis {
    /// Σ observed net count rate of the fit bins.
    Observed,
    /// Σ model count rate folded through the unit's response.
    Folded,
}

impl Pair {
    /// Energy flux over each unit's noticed ranges (all channels when `notc` is not set)
    /// divided by its total net count rate, one value per unit [erg cm⁻² per count].
    pub fn rate_to_flux(&self, basis: RateBasis) -> Result<Vec<f64>> {
        self.data
            .iter()
            .map(|unit| {
                let flux = self.noticed_ergflux(unit)?;
                Ok(flux / self.total_rate(unit, basis)?)
            })
            .collect()
    }

    /// Model flux density at `energy` keV in `unit_kind` divided by each unit's total net
    /// count rate, one value per unit.
    pub fn rate_to_fluxdensity(
        &self,
        energy: f64,
        unit_kind: DensityUnit,
        basis: RateBasis,
    ) -> Result<Vec<f64>> {
        if !(energy.is_finite() && energy > 0.0) {
            return Err(Error::new(format!(
                "rate_to_fluxdensity: the energy {energy} keV must be finite and > 0"
            )));
        }
        self.data
            .iter()
            .map(|unit| {
                let t = unit.time().map(|t| [t]);
                let e = [energy];
                let density = match unit_kind {
                    DensityUnit::Ne => self.model.phtspec(&e, t.as_ref().map(|a| &a[..]))?[0],
                    DensityUnit::Fv => self.model.flxspec(&e, t.as_ref().map(|a| &a[..]))?[0],
                    DensityUnit::Jy => {
                        self.model.flxspec(&e, t.as_ref().map(|a| &a[..]))?[0] * 1e6 / 2.416
                    }
                };
                Ok(density / self.total_rate(unit, basis)?)
            })
            .collect()
    }

    fn noticed_ergflux(&self, unit: &DataUnit) -> Result<f64> {
        let ranges: Vec<[f64; 2]> = match unit.notc() {
            Some(r) => r.to_vec(),
            None => {
                let rsp = unit.response();
                let lo = rsp.e_min.iter().cloned().fold(f64::INFINITY, f64::min);
                let hi = rsp.e_max.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
                vec![[lo.max(1e-10), hi]]
            }
        };
        let mut total = 0.0;
        for [lo, hi] in ranges {
            total += self.model.ergflux_with(lo, hi, FLUX_NGRID, unit.time())?;
        }
        Ok(total)
    }

    fn total_rate(&self, unit: &DataUnit, basis: RateBasis) -> Result<f64> {
        let rate: f64 = match basis {
            RateBasis::Observed => unit.rates(GridKind::Fit).net_rate.iter().sum(),
            RateBasis::Folded => self.folded_rate(unit, GridKind::Fit)?.iter().sum(),
        };
        if rate == 0.0 || !rate.is_finite() {
            return Err(Error::new(format!(
                "{}: the total {} count rate is {rate}, so there is no rate-to-flux factor",
                unit.name().unwrap_or("unit"),
                match basis {
                    RateBasis::Observed => "net",
                    RateBasis::Folded => "model",
                }
            )));
        }
        Ok(rate)
    }
}
