//! (layer `analyze`: see the crate docs)
