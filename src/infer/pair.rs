//! `Pair`: one data container bound to one model, evaluated against its own data.

use crate::data::{Data, DataUnit, GridKind};
use crate::error::{Error, Result};
use crate::model::{Kind, Model};
use crate::stat::StatInputs;

/// A (data, model) pair. The model is always folded through THIS pair's data, so one
/// model may appear in several pairs (its parameters are then shared).
#[derive(Clone)]
pub struct Pair {
    /// The data container.
    pub data: Data,
    /// The model (must be additive).
    pub model: Model,
}

/// Per-unit results of evaluating a pair at the current parameter values.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitEval {
    /// Unit name.
    pub name: String,
    /// Statistic name.
    pub stat_name: String,
    /// Model count rate per fit bin (counts/s).
    pub rate: Vec<f64>,
    /// Unweighted unit statistic.
    pub stat: f64,
    /// Per-bin statistic contributions.
    pub stat_bins: Vec<f64>,
    /// Signed pseudo-residuals per bin (Σ r² = stat).
    pub pseudo_residual: Vec<f64>,
    /// Likelihood weight.
    pub weight: f64,
    /// Number of fit bins.
    pub npoint: usize,
}

/// The arrays a statistic receives for one unit; `ts`/`tb` are the efficiencies at the
/// current `sf`/`bf` (`unit.ts()`, `unit.tb()`).
pub fn stat_inputs<'a>(unit: &'a DataUnit, ts: &'a [f64], tb: &'a [f64]) -> StatInputs<'a> {
    StatInputs::new(
        unit.src_counts(),
        unit.bkg_counts(),
        unit.src_errors(),
        unit.bkg_errors(),
        ts,
        tb,
    )
}

impl Pair {
    /// Bind `data` and `model`; the model must be additive (a photon spectrum).
    pub fn new(data: Data, model: Model) -> Result<Pair> {
        if model.kind() != Kind::Add {
            return Err(Error::new(format!(
                "a pair needs an additive model (a photon spectrum); {} is of kind {}",
                model.expr(),
                model.kind()
            )));
        }
        if data.is_empty() {
            return Err(Error::new("a pair needs at least one data unit"));
        }
        Ok(Pair { data, model })
    }

    /// Photon flux per energy bin of `unit` at the current parameter values.
    pub fn photon_flux(&self, unit: &DataUnit) -> Result<Vec<f64>> {
        self.model
            .integrate_bins(unit.energ_lo(), unit.energ_hi(), unit.time())
    }

    /// Model count rate per bin of a grid (fit or display) for `unit`.
    pub fn folded_rate(&self, unit: &DataUnit, kind: GridKind) -> Result<Vec<f64>> {
        let flux = self.photon_flux(unit)?;
        unit.fold(&flux, kind)
    }

    /// Evaluate every unit at the current parameter values (the object path).
    pub fn evaluate(&self) -> Result<Vec<UnitEval>> {
        let names = self.data.names();
        let mut out = Vec::with_capacity(names.len());
        for (unit, name) in self.data.iter().zip(names) {
            let stat = unit.stat();
            let rate = self.folded_rate(unit, GridKind::Fit)?;
            let n = rate.len();
            let mut stat_bins = vec![0.0; n];
            let mut resid = vec![0.0; n];
            let (ts, tb) = (unit.ts(), unit.tb());
            let c = stat.eval_bins(
                &stat_inputs(unit, &ts, &tb),
                &rate,
                &mut stat_bins,
                &mut resid,
            );
            out.push(UnitEval {
                name,
                stat_name: stat.name().to_string(),
                rate,
                stat: c,
                stat_bins,
                pseudo_residual: resid,
                weight: unit.weight(),
                npoint: n,
            });
        }
        Ok(out)
    }

    /// Weighted total statistic Σ w·C.
    pub fn stat(&self) -> Result<f64> {
        Ok(self.evaluate()?.iter().map(|u| u.weight * u.stat).sum())
    }

    /// `−stat/2`.
    pub fn loglike(&self) -> Result<f64> {
        Ok(-0.5 * self.stat()?)
    }

    /// Number of fit bins over all units.
    pub fn npoint(&self) -> usize {
        self.data.npoints().iter().sum()
    }
}
