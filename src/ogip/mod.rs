//! (layer `ogip`: see the crate docs)
