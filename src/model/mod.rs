//! The model layer: parameters, configuration values, built-in and user components, the model
//! algebra and its evaluation (models.md; inference.md 2.1–2.3 for `Par`, `Cfg`, `range`).
//!
//! * [`Par`] / [`Cfg`]: shared handles to a parameter / configuration value.
//! * [`Component`]: a shared handle to one building block (built-in from [`catalogue()`] or a
//!   user function).
//! * [`Model`]: an expression of components combined with `+ - * /` ([`Model::combine`]).
//! * [`CompiledModel`]: the lock-free hot path used by fits (`eval`, `integrate_bins`).

pub mod catalogue;
pub mod cfg;
pub mod compiled;
pub mod component;
pub mod expression;
pub(crate) mod kernels;
pub mod kind;
pub mod par;
pub mod prior;
pub(crate) mod table;
pub mod xsect;

pub use catalogue::{
    catalogue, lookup as catalogue_entry, CfgDefault, CfgSpec, ComponentInfo, ParSpec,
};
pub use cfg::{Cfg, CfgValue};
pub use compiled::{CompiledModel, Workspace, MIN_SAMPLE_ENERGY};
pub use component::{Component, Key, UserFn};
pub use expression::{CfgEntry, Model, ParEntry, FLUX_NGRID, KEV_TO_ERG};
pub use kind::{result_kind, Kind, Op};
pub use par::{plain_label, Par, ParData, Posterior, Scale};
pub use prior::Prior;

/// One line per built-in component (`models()`): name, kind, description.
pub fn models_listing() -> String {
    catalogue()
        .iter()
        .map(|c| c.summary())
        .collect::<Vec<_>>()
        .join("\n")
}

/// Long help for a built-in component (`help("band")`), or an error listing the names.
pub fn help(name: &str) -> crate::error::Result<String> {
    Ok(catalogue::lookup(name)?.help())
}
