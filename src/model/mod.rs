//! (layer `model`: see the crate docs)
