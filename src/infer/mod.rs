//! Inference: pairs of data and models, parameter numbering and links, and the
//! compiled likelihood (inference.md §2–4).

pub mod conversion;
pub mod fingerprint;
pub mod groups;
pub mod inference;
pub mod overrides;
pub mod pair;
pub mod plan;

pub use conversion::{DensityUnit, RateBasis};
pub use inference::{
    clean_label, CfgInfoRow, CfgRow, Infer, InferKind, ParInfoRow, ParRow, RowClass, StatRow,
};
pub use overrides::{LoglikeValue, Overrides};
pub use pair::{Pair, UnitEval};
pub use plan::{Plan, UnitFold};
