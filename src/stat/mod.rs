//! (layer `stat`: see the crate docs)
