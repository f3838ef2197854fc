//! Rhai binding of priors: `unif(-2, 2)`, `norm(0, 1)`, … and their methods.

use super::docs::Docs;
use super::options::{lift, num, RhaiResult};
use crate::model::prior::{Prior, FAMILIES, PRIOR_NAMES};
use rhai::{Array, Dynamic, Engine};

fn build(name: &str, args: &[Dynamic]) -> RhaiResult<Prior> {
    let v: Vec<f64> = args
        .iter()
        .enumerate()
        .map(|(i, a)| num(a, &format!("{name}: argument {}", i + 1)))
        .collect::<RhaiResult<_>>()?;
    lift(Prior::from_name(name, &v))
}

/// Register the prior constructors, `priors()` and the methods of `Prior`.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("priors", "prior distributions for parameters");
    engine.register_type_with_name::<Prior>("Prior");
    docs.add(
        "priors",
        "Prior",
        "unif(-2, 2)  /  p.pdf(x)  /  print(p)",
        "A prior distribution, made by one of the family functions (priors() lists them) and \
         assigned with m.par[i].prior = …. Methods: pdf(x), logpdf(x), cdf(x), ppf(q), \
         interval(q) -> [lo, hi]; properties: median, mean, std. print(p) shows e.g. unif(-2, 2).",
    );
    for family in &FAMILIES {
        let name = family.name;
        engine.register_fn(name, move |a: Dynamic| build(name, &[a]));
        engine.register_fn(name, move |a: Dynamic, b: Dynamic| build(name, &[a, b]));
        engine.register_fn(name, move |a: Dynamic, b: Dynamic, c: Dynamic| {
            build(name, &[a, b, c])
        });
        engine.register_fn(
            name,
            move |a: Dynamic, b: Dynamic, c: Dynamic, d: Dynamic| build(name, &[a, b, c, d]),
        );
        docs.add(
            "priors",
            name,
            &format!("{name}({}) -> Prior", family.signature),
            &format!(
                "A prior distribution (SciPy semantics, inference.md §1): {}. Methods: pdf(x), \
                 logpdf(x), cdf(x), ppf(q), interval(q), median, mean, std.",
                family.doc
            ),
        );
    }
    engine.register_fn("priors", || -> Array {
        PRIOR_NAMES
            .iter()
            .map(|n| Dynamic::from(n.to_string()))
            .collect()
    });
    docs.add(
        "priors",
        "priors",
        "priors() -> array",
        "Names of the prior families.",
    );
    engine
        .register_fn("pdf", |p: &mut Prior, x: Dynamic| -> RhaiResult<f64> {
            Ok(p.pdf(num(&x, "pdf: x")?))
        })
        .register_fn("logpdf", |p: &mut Prior, x: Dynamic| -> RhaiResult<f64> {
            Ok(p.logpdf(num(&x, "logpdf: x")?))
        })
        .register_fn("cdf", |p: &mut Prior, x: Dynamic| -> RhaiResult<f64> {
            Ok(p.cdf(num(&x, "cdf: x")?))
        })
        .register_fn("ppf", |p: &mut Prior, q: Dynamic| -> RhaiResult<f64> {
            Ok(p.ppf(num(&q, "ppf: q")?))
        })
        .register_fn(
            "interval",
            |p: &mut Prior, q: Dynamic| -> RhaiResult<Array> {
                let (lo, hi) = p.interval(num(&q, "interval: q")?);
                Ok(vec![Dynamic::from_float(lo), Dynamic::from_float(hi)])
            },
        )
        .register_get("median", |p: &mut Prior| p.median())
        .register_get("mean", |p: &mut Prior| p.mean())
        .register_get("std", |p: &mut Prior| p.std())
        .register_fn("to_string", |p: &mut Prior| p.info())
        .register_fn("to_debug", |p: &mut Prior| p.info());
}
