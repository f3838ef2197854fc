//! (layer `plot`: see the crate docs)
