//! Script bindings for a unit's upper limits and detection thresholds (data.md 3.7), for
//! `unit.save(dir)` / `unit.write_grouping(path)` (data.md 4.1–4.2), and for loading a
//! response file into a shareable `Response` object.

use super::data::{DataHandle, DataUnitHandle, ResponseHandle};
use super::docs::Docs;
use super::options::{lift, to_array, RhaiResult};
use crate::model::Par;
use crate::ogip::{read_response, FileSpec};
use rhai::{Array, Engine};
use std::path::Path;

/// Default credibility level of the upper limits.
const DEFAULT_CL: f64 = 0.9;
/// Default significance of the detection thresholds.
const DEFAULT_SIG: f64 = 3.0;

/// Register the functions of this file and document them (topic `data`).
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    macro_rules! limit {
        ($name:literal, $default:expr, $doc:literal) => {
            engine.register_fn($name, |u: &mut DataUnitHandle| -> RhaiResult<f64> {
                lift(limit_of_unit(u, $name, $default))
            });
            engine.register_fn($name, |u: &mut DataUnitHandle, x: f64| -> RhaiResult<f64> {
                lift(limit_of_unit(u, $name, x))
            });
            engine.register_fn($name, |u: &mut DataUnitHandle, x: i64| -> RhaiResult<f64> {
                lift(limit_of_unit(u, $name, x as f64))
            });
            engine.register_fn($name, |d: &mut DataHandle| -> RhaiResult<Array> {
                lift(limit_of_data(d, $name, $default)).map(|v| to_array(&v))
            });
            engine.register_fn($name, |d: &mut DataHandle, x: f64| -> RhaiResult<Array> {
                lift(limit_of_data(d, $name, x)).map(|v| to_array(&v))
            });
            engine.register_fn($name, |d: &mut DataHandle, x: i64| -> RhaiResult<Array> {
                lift(limit_of_data(d, $name, x as f64)).map(|v| to_array(&v))
            });
            docs.add(
                "data",
                $name,
                concat!(
                    "unit.",
                    $name,
                    "(x) -> float;  data.",
                    $name,
                    "(x) -> array"
                ),
                $doc,
            );
        };
    }
    limit!(
        "net_counts_upperlimit",
        DEFAULT_CL,
        "Bayesian upper limit (Kraft, Burrows & Nousek) on the net counts of all fit bins at credibility \
         cl (default 0.9), with the background scaled to the source region as known. Data: one per unit."
    );
    limit!(
        "net_ctsrate_upperlimit",
        DEFAULT_CL,
        "net_counts_upperlimit(cl) divided by the source exposure t_S * sf (counts/s)."
    );
    limit!(
        "net_counts_significance_limit",
        DEFAULT_SIG,
        "Net counts needed for a detection at significance sig (default 3) over the unit's background: \
         pgstat uses the Poisson-Gauss significance, cstat/ppstat Li & Ma; other statistics are errors."
    );
    limit!(
        "net_ctsrate_significance_limit",
        DEFAULT_SIG,
        "net_counts_significance_limit(sig) divided by t_S * sf (counts/s)."
    );

    engine.register_fn(
        "save",
        |u: &mut DataUnitHandle, dir: &str| -> RhaiResult<()> {
            lift(u.get().save(Path::new(dir)))
        },
    );
    docs.add(
        "data",
        "unit.save",
        "unit.save(dir)",
        "Create dir and write dir/dataunit.json: one {\"Property\", <unit name>} object each for src, bkg, \
         rmf, arf, rsp (file names), notc, stat, grpg, time, weight.",
    );
    engine.register_fn(
        "write_grouping",
        |u: &mut DataUnitHandle, path: &str| -> RhaiResult<()> {
            lift(u.get().write_grouping(Path::new(path)))
        },
    );
    docs.add(
        "data",
        "write_grouping",
        "unit.write_grouping(\"new.pha\")",
        "Write the unit's fitting-grid grouping (1 starts a bin, -1 continues it, 0 outside) into the \
         GROUPING column of a copy of its source file; every other HDU, column and keyword is kept. The \
         input file is never overwritten. Loading the copy with the same notc and no grpg gives the same bins.",
    );

    engine.register_fn("response", |path: &str| -> RhaiResult<ResponseHandle> {
        let spec = lift(FileSpec::parse(path).map_err(|e| e.context("response")))?;
        lift(read_response(&spec)).map(ResponseHandle::new)
    });
    docs.add(
        "data",
        "response(file)",
        "response(\"x.rsp\") -> Response",
        "Load a response file (\"x.rsp2{2}\" picks a matrix) as an object. Units built with the same \
         Response object share its rf, ra and dec parameters (rsp.rf, rsp.ra, rsp.dec), e.g. one \
         cross-calibration constant for several spectra taken with one detector.",
    );
    engine.register_get("rf", |r: &mut ResponseHandle| -> Par { r.shared().rf });
    engine.register_get("ra", |r: &mut ResponseHandle| -> Par { r.shared().ra });
    engine.register_get("dec", |r: &mut ResponseHandle| -> Par { r.shared().dec });
}

fn limit_of_unit(u: &DataUnitHandle, name: &str, x: f64) -> crate::Result<f64> {
    let u = u.get();
    match name {
        "net_counts_upperlimit" => u.net_counts_upperlimit(x),
        "net_ctsrate_upperlimit" => u.net_ctsrate_upperlimit(x),
        "net_counts_significance_limit" => u.net_counts_significance_limit(x),
        _ => u.net_ctsrate_significance_limit(x),
    }
}

fn limit_of_data(d: &DataHandle, name: &str, x: f64) -> crate::Result<Vec<f64>> {
    let d = d.get();
    match name {
        "net_counts_upperlimit" => d.net_counts_upperlimit(x),
        "net_ctsrate_upperlimit" => d.net_ctsrate_upperlimit(x),
        "net_counts_significance_limit" => d.net_counts_significance_limit(x),
        _ => d.net_ctsrate_significance_limit(x),
    }
}
