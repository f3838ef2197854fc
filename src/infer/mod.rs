//! (layer `infer`: see the crate docs)
