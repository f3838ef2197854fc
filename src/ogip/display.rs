//! Printing spectra and responses as one-row tables (data.md 1.9).

use super::response::Response;
use super::spectrum::{Scale, Spectrum};
use std::fmt;

impl fmt::Display for Spectrum {
    /// Name, Channels, Counts (sum), Exposure, Backscale.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = crate::format::table();
        t.set_header(vec!["Name", "Channels", "Counts", "Exposure", "Backscale"]);
        let backscale = match &self.backscale {
            Scale::Scalar(v) => format!("{v}"),
            Scale::PerChannel(_) => "per channel".to_string(),
        };
        t.add_row(vec![
            self.name.clone(),
            self.n_channels().to_string(),
            format!(
                "{}",
                self.counts.iter().filter(|c| c.is_finite()).sum::<f64>()
            ),
            format!("{}", self.exposure),
            backscale,
        ]);
        write!(f, "{t}")
    }
}

impl fmt::Display for Response {
    /// Name, Channel bins, Photon bins.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = crate::format::table();
        t.set_header(vec!["Name", "Channel bins", "Photon bins"]);
        t.add_row(vec![
            self.name.clone(),
            self.n_channels().to_string(),
            self.n_energy().to_string(),
        ]);
        write!(f, "{t}")
    }
}
