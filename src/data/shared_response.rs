//! A response shared between units: one matrix and one set of response parameters
//! (`rf`, `ra`, `dec`, data.md 2.9), so units built from the same object share `rf`.

use super::unit::Nuisance;
use crate::model::Par;
use crate::ogip::Response;
use std::sync::Arc;

/// A response in memory together with the parameters that belong to it. Every unit built
/// from (a clone of) the same `SharedResponse` uses the same `rf`, `ra`, `dec` handles, so
/// freeing `rf` frees one cross-calibration constant for all of them.
#[derive(Debug, Clone)]
pub struct SharedResponse {
    /// The response.
    pub response: Arc<Response>,
    /// `rf`: multiplies the response (default 1, frozen).
    pub rf: Par,
    /// `ra`: location placeholder (default 0, frozen).
    pub ra: Par,
    /// `dec`: location placeholder (default 0, frozen).
    pub dec: Par,
}

impl SharedResponse {
    /// Wrap a response with fresh parameters (`rf = 1`, `ra = dec = 0`, all frozen).
    pub fn new(response: Response) -> SharedResponse {
        let fresh = Nuisance::default();
        SharedResponse {
            response: Arc::new(response),
            rf: fresh.rf,
            ra: fresh.ra,
            dec: fresh.dec,
        }
    }
}

impl PartialEq for SharedResponse {
    /// The same object: the same matrix and the same parameter handles.
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.response, &other.response) && self.rf.same(&other.rf)
    }
}
