//! Printing units and collections as readable tables.

use super::container::Data;
use super::notice::notc_text;
use super::unit::DataUnit;
use crate::format::sig4;
use crate::model::Par;
use std::fmt;

/// An empty parameter table with its header: par#, Component, Parameter, Value, Prior, Frozen.
pub(crate) fn par_table() -> comfy_table::Table {
    let mut p = crate::format::table();
    p.set_header(vec![
        "par#",
        "Component",
        "Parameter",
        "Value",
        "Prior",
        "Frozen",
    ]);
    p
}

/// One row of a parameter table: par#, Component, Parameter, Value, Prior, Frozen.
pub(crate) fn par_row(k: usize, component: &str, label: &str, par: &Par) -> Vec<String> {
    vec![
        k.to_string(),
        component.to_string(),
        label.to_string(),
        format!("{}", par.val()),
        par.prior()
            .map(|p| p.info())
            .unwrap_or_else(|| "none".into()),
        par.frozen().to_string(),
    ]
}

fn or_none(s: &Option<String>) -> String {
    s.clone().unwrap_or_else(|| "none".into())
}

impl fmt::Display for DataUnit {
    /// Two columns (Property, unit name): files, notc, stat, grpg, rebn, time, weight, the
    /// noticed channels, the fit bins with their keV range, the grouping applied, the display
    /// bins, the exposure, total / background / net counts in the fit bins, the net rate ± its
    /// error and the background scale ratio (what XSPEC's `show data` shows); then, when one
    /// of them is free or an efficiency factor differs from 1, the nuisance parameter table
    /// (par#, Component, Parameter, Value, Prior, Frozen).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = crate::format::table();
        t.set_header(vec![
            "Property".to_string(),
            self.name().unwrap_or("-").to_string(),
        ]);
        let files = self.file_names();
        for (i, key) in ["src", "bkg", "rsp", "rmf", "arf"].iter().enumerate() {
            t.add_row(vec![key.to_string(), or_none(&files[i])]);
        }
        let rule = |r: Option<&super::options::GroupingRule>| {
            r.map(|r| r.to_string()).unwrap_or_else(|| "none".into())
        };
        t.add_row(vec!["notc".to_string(), notc_text(self.notc())]);
        t.add_row(vec!["stat".to_string(), self.stat().to_string()]);
        t.add_row(vec!["grpg".to_string(), rule(self.grpg())]);
        t.add_row(vec!["rebn".to_string(), rule(self.rebn())]);
        t.add_row(vec![
            "time".to_string(),
            self.time()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "none".into()),
        ]);
        t.add_row(vec!["weight".to_string(), self.weight().to_string()]);
        let noticed = self
            .noticing()
            .iter()
            .zip(self.qualifying())
            .filter(|(n, q)| **n && **q)
            .count();
        t.add_row(vec![
            "channels used".to_string(),
            format!("{noticed} of {}", self.nchannel()),
        ]);
        let fit = self.fit_grid();
        let range = match (fit.emin().first(), fit.emax().last()) {
            (Some(lo), Some(hi)) => format!(", {}–{} keV", sig4(*lo), sig4(*hi)),
            _ => String::new(),
        };
        t.add_row(vec![
            "fit bins".to_string(),
            format!("{}{range}", self.n_fit_bins()),
        ]);
        t.add_row(vec![
            "grouping applied".to_string(),
            match self.grpg() {
                Some(r) => r.to_string(),
                None if self.source().grouping.contains(&-1) => "the file's GROUPING".to_string(),
                None => "none".to_string(),
            },
        ]);
        t.add_row(vec![
            "display bins".to_string(),
            self.display_grid().n_bins().to_string(),
        ]);
        // what XSPEC's `show data` shows: exposure, counts, net rate, background scaling
        let totals = self.count_totals();
        let exposure = self.exposure();
        let net = totals.src - totals.bkg_scaled;
        let net_err = (totals.src.max(0.0) + totals.bkg_scaled_error.powi(2)).sqrt();
        t.add_row(vec!["exposure (s)".to_string(), sig4(exposure)]);
        t.add_row(vec![
            "counts in fit bins".to_string(),
            format!(
                "{} total, {} background (scaled), {} net",
                sig4(totals.src),
                sig4(totals.bkg_scaled),
                sig4(net)
            ),
        ]);
        t.add_row(vec![
            "net rate (counts/s)".to_string(),
            format!("{} ± {}", sig4(net / exposure), sig4(net_err / exposure)),
        ]);
        if self.has_background() {
            t.add_row(vec![
                "background scale ratio".to_string(),
                sig4(totals.alpha),
            ]);
        }
        writeln!(f, "{t}")?;
        // the nuisance parameters only when one of them is fitted, or an efficiency factor
        // (sf, bf, rf) is not 1
        let shown = self.nuisance_pars().iter().any(|(label, p)| {
            !p.frozen() || (["sf", "bf", "rf"].contains(label) && p.val() != 1.0)
        });
        if !shown {
            return Ok(());
        }
        let mut p = par_table();
        for (k, (label, par)) in self.nuisance_pars().into_iter().enumerate() {
            p.add_row(par_row(k + 1, self.name().unwrap_or("-"), label, &par));
        }
        write!(f, "{p}")
    }
}

impl fmt::Display for Data {
    /// One row per unit (Name, Noticing, Statistic, Grouping, Time), then the parameter
    /// table (par#, Component, Parameter, Value, Prior, Frozen).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut t = crate::format::table();
        t.set_header(vec!["Name", "Noticing", "Statistic", "Grouping", "Time"]);
        for u in self.iter() {
            t.add_row(vec![
                u.name().unwrap_or("-").to_string(),
                notc_text(u.notc()),
                u.stat().to_string(),
                u.grpg()
                    .map(|g| g.to_string())
                    .unwrap_or_else(|| "none".into()),
                u.time()
                    .map(|v| v.to_string())
                    .unwrap_or_else(|| "none".into()),
            ]);
        }
        writeln!(f, "{t}")?;
        let mut p = par_table();
        let mut k = 1;
        for u in self.iter() {
            for (label, par) in u.nuisance_pars() {
                p.add_row(par_row(k, u.name().unwrap_or("-"), label, &par));
                k += 1;
            }
        }
        write!(f, "{p}")
    }
}
