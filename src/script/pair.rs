//! Rhai binding of `Pair` (one data/model pair): its constructor, statistic and the
//! rate-to-flux conversions. No science here: everything calls `infer::Pair`.

use super::data::DataHandle;
use super::docs::Docs;
use super::options::{lift, num, to_array, RhaiResult};
use crate::infer::{Infer, InferKind, Pair};
use crate::model::Model;
use rhai::{Array, Dynamic, Engine};
use std::sync::Arc;

/// Script type `Pair`.
#[derive(Clone)]
pub struct PairHandle(pub Arc<Pair>);

/// Register `Pair`, its properties and conversions.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<PairHandle>("Pair");
    engine.register_fn(
        "Pair",
        |d: DataHandle, m: Model| -> RhaiResult<PairHandle> {
            Ok(PairHandle(Arc::new(lift(Pair::new(d.data(), m))?)))
        },
    );
    engine.register_fn(
        "Pair",
        |m: Model, d: DataHandle| -> RhaiResult<PairHandle> {
            Ok(PairHandle(Arc::new(lift(Pair::new(d.data(), m))?)))
        },
    );
    docs.add(
        "inference",
        "Pair",
        "Pair(data, model) -> Pair",
        "Bind a Data container to an additive model; properties stat, loglike, npoint.",
    );
    engine
        .register_get("stat", |p: &mut PairHandle| -> RhaiResult<f64> {
            lift(p.0.stat())
        })
        .register_get("loglike", |p: &mut PairHandle| -> RhaiResult<f64> {
            lift(p.0.loglike())
        })
        .register_get("npoint", |p: &mut PairHandle| p.0.npoint() as i64)
        .register_fn("to_string", |p: &mut PairHandle| -> String {
            match Infer::new(InferKind::Plain, vec![(*p.0).clone()]) {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        });
    register_conversions(engine, docs);
}

/// `pair.rate_to_flux`, `pair.rate_to_fluxdensity(E, unit)` and their `conv_` versions.
fn register_conversions(engine: &mut Engine, docs: &mut Docs) {
    use crate::infer::{DensityUnit, RateBasis};
    let flux_doc = "Per unit: the model energy flux over its noticed ranges (erg/cm²/s) divided \
                    by its total count rate";
    let density_doc = "Per unit: the model flux density at E keV (unit \"NE\", \"Fv\" or \"Jy\") \
                       divided by its total count rate";
    for (prefix, basis, rate) in [
        ("", RateBasis::Observed, "observed net rate"),
        (
            "conv_",
            RateBasis::Folded,
            "model rate folded through the response",
        ),
    ] {
        let name = format!("{prefix}rate_to_flux");
        engine.register_get(&name, move |p: &mut PairHandle| -> RhaiResult<Array> {
            lift(p.0.rate_to_flux(basis)).map(|v| to_array(&v))
        });
        docs.add(
            "inference",
            &name,
            &format!("pair.{name} -> array"),
            &format!("{flux_doc} ({rate})."),
        );
        let name = format!("{prefix}rate_to_fluxdensity");
        let what = name.clone();
        engine.register_fn(
            &name,
            move |p: &mut PairHandle, e: Dynamic, unit: &str| -> RhaiResult<Array> {
                let e = num(&e, &what)?;
                let unit = lift(DensityUnit::parse(unit))?;
                lift(p.0.rate_to_fluxdensity(e, unit, basis)).map(|v| to_array(&v))
            },
        );
        docs.add(
            "inference",
            &name,
            &format!("pair.{name}(E, unit) -> array"),
            &format!("{density_doc} ({rate})."),
        );
    }
}
