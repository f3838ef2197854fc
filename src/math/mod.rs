//! The bottom layer of shared mathematics: special functions ([`special`]), sums in log space
//! ([`logsum`]), detection significances ([`significance`]) and the overflow-free and
//! vectorised elementary helpers of the model kernels ([`fast`]). Every other layer uses
//! these; none of them is implemented twice.

pub mod fast;
pub mod logsum;
pub mod significance;
pub mod special;

pub use logsum::{log_add_exp, log_sum_exp};
