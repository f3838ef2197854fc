//! (layer `sample`: see the crate docs)
