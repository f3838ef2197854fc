//! Script bindings for a unit's upper limits and detection thresholds (data.md 3.7), for
//! `unit.save(dir)` / `unit.write_grouping(path)` (data.md 4.1–4.2), and for loading a
//! response file into a shareable `Response` object.

use super::data::{DataHandle, DataUnitHandle, ResponseHandle};
use super::docs::Docs;
use super::options::{lift, num, to_array, RhaiResult};
use crate::data::{Data, DataUnit};
use crate::model::Par;
use crate::ogip::{read_response, FileSpec};
use rhai::{Array, Dynamic, Engine};
use std::path::Path;

/// Default credibility level of the upper limits.
const DEFAULT_CL: f64 = 0.9;
/// Default significance of the detection thresholds.
const DEFAULT_SIG: f64 = 3.0;

/// Register the functions of this file and document them (topic `data`).
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    type UnitLimit = fn(&DataUnit, f64) -> crate::Result<f64>;
    type DataLimit = fn(&Data, f64) -> crate::Result<Vec<f64>>;
    let limits: [(&str, f64, UnitLimit, DataLimit, &str); 4] = [
        (
            "net_counts_upperlimit",
            DEFAULT_CL,
            DataUnit::net_counts_upperlimit,
            Data::net_counts_upperlimit,
            "Bayesian upper limit (Kraft, Burrows & Nousek) on the net counts of all fit bins at \
             credibility cl (default 0.9), with the background scaled to the source region as known. \
             Data: one per unit.",
        ),
        (
            "net_ctsrate_upperlimit",
            DEFAULT_CL,
            DataUnit::net_ctsrate_upperlimit,
            Data::net_ctsrate_upperlimit,
            "net_counts_upperlimit(cl) divided by the source exposure t_S * sf (counts/s).",
        ),
        (
            "net_counts_significance_limit",
            DEFAULT_SIG,
            DataUnit::net_counts_significance_limit,
            Data::net_counts_significance_limit,
            "Net counts needed for a detection at significance sig (default 3) over the unit's \
             background: pgstat uses the Poisson-Gauss significance, cstat/ppstat Li & Ma; other \
             statistics are errors.",
        ),
        (
            "net_ctsrate_significance_limit",
            DEFAULT_SIG,
            DataUnit::net_ctsrate_significance_limit,
            Data::net_ctsrate_significance_limit,
            "net_counts_significance_limit(sig) divided by t_S * sf (counts/s).",
        ),
    ];
    for (name, default, of_unit, of_data, doc) in limits {
        engine.register_fn(name, move |u: &mut DataUnitHandle| -> RhaiResult<f64> {
            lift(of_unit(u.get(), default))
        });
        engine.register_fn(
            name,
            move |u: &mut DataUnitHandle, x: Dynamic| -> RhaiResult<f64> {
                lift(of_unit(u.get(), num(&x, name)?))
            },
        );
        engine.register_fn(name, move |d: &mut DataHandle| -> RhaiResult<Array> {
            lift(of_data(d.get(), default)).map(|v| to_array(&v))
        });
        engine.register_fn(
            name,
            move |d: &mut DataHandle, x: Dynamic| -> RhaiResult<Array> {
                lift(of_data(d.get(), num(&x, name)?)).map(|v| to_array(&v))
            },
        );
        docs.add(
            "data",
            name,
            &format!("unit.{name}(x) -> float;  data.{name}(x) -> array"),
            doc,
        );
    }

    engine.register_fn(
        "save",
        |u: &mut DataUnitHandle, dir: &str| -> RhaiResult<()> {
            lift(u.get().save(Path::new(dir)))
        },
    );
    docs.add(
        "data",
        "save",
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
        "response",
        "response(\"x.rsp\") -> Response",
        "Load a response file (\"x.rsp2{2}\" picks a matrix) as an object. Units built with the same \
         Response object share its rf, ra and dec parameters (rsp.rf, rsp.ra, rsp.dec), e.g. one \
         cross-calibration constant for several spectra taken with one detector.",
    );
    engine.register_get("rf", |r: &mut ResponseHandle| -> Par { r.shared().rf });
    engine.register_get("ra", |r: &mut ResponseHandle| -> Par { r.shared().ra });
    engine.register_get("dec", |r: &mut ResponseHandle| -> Par { r.shared().dec });
}
