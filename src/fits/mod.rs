//! (layer `fits`: see the crate docs)
