//! (layer `data`: see the crate docs)
