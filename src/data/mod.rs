//! The data layer: `DataUnit` (one spectrum + background + response, noticed, grouped and
//! ready for the likelihood), `Data` (a named, ordered collection), grouping rules,
//! synthetic responses and simulated spectra (data.md).
//!
//! The likelihood reads, per unit, on the fitting grid: [`DataUnit::energ_lo`]/[`energ_hi`],
//! the grouped response [`DataUnit::fit_drm`] (`n_energy × n_fit_bins`, row-major, before
//! `rf`), [`DataUnit::src_counts`], [`bkg_counts`], [`src_errors`], [`bkg_errors`],
//! [`DataUnit::ts`], [`tb`] (per fit bin), [`DataUnit::rf`], [`weight`], [`time`].
//!
//! The nuisance parameters `sf, bf, rf, ra, dec` (data.md 2.9) are shared
//! [`Par`](crate::model::Par) handles ([`DataUnit::nuisance_pars`]); everything derived from
//! them reads their current values, while [`Grid::ts_base`]/[`Grid::tb_base`] and
//! [`DataUnit::fit_drm`] are the values before `sf`, `bf`, `rf`.
//!
//! [`energ_hi`]: DataUnit::energ_hi
//! [`bkg_counts`]: DataUnit::bkg_counts
//! [`src_errors`]: DataUnit::src_errors
//! [`bkg_errors`]: DataUnit::bkg_errors
//! [`tb`]: DataUnit::tb
//! [`weight`]: DataUnit::weight
//! [`time`]: DataUnit::time

mod container;
mod display;
pub(crate) use display::{par_row, par_table};
mod grid;
mod grouping;
mod limits;
pub mod links;
mod notice;
mod options;
pub mod response;
mod shared_response;
mod simulate;
mod unit;
mod unit_save;

pub use container::Data;
pub use grid::{Grid, GridKind};
pub use grouping::{bins_from_flags, optimal_flags, threshold_flags, BinRanges, ChannelData};
pub use limits::{counts_significance_limit, counts_upper_limit, CountTotals};
pub use notice::{normalize_notc, noticed_mask};
pub use options::rule_options;
pub use options::{
    notc_from_pair, notc_from_ranges, ArfInput, DataUnitOptions, GroupingMethod, GroupingRule,
    ResponseInput, SpectrumInput, DEFAULT_STAT,
};
pub use shared_response::SharedResponse;
pub use simulate::{simulate, BackgroundSpec, SimulateOptions, SimulatedFiles};
pub use unit::{BinRates, DataUnit, Nuisance, NGRID, NUISANCE_LABELS};
