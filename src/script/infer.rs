//! Rhai binding of `Infer`/`BayesInfer`/`MaxLikeFit`: construction from pairs, parameters
//! by par# or label, links and user overrides. No science here: everything calls `infer`.

use super::callback::Callback;
use super::data::DataHandle;
use super::docs::Docs;
use super::options::num_vec;
use super::options::{err, lift, to_array, RhaiResult};
use crate::error::Error;
use crate::infer::overrides::{LoglikeFn, LogpriorFn, TransformFn};
use crate::infer::{Infer, InferKind, Pair};
use crate::infer::{LoglikeValue, Overrides};
use crate::model::{Cfg, Model, Par};
use rhai::{Array, Dynamic, Engine, NativeCallContext};
use std::sync::{Arc, RwLock};

/// Script type for `Infer`, `BayesInfer` and `MaxLikeFit` (a shared, mutable handle).
#[derive(Clone)]
pub struct InferHandle(pub Arc<RwLock<Infer>>);

/// `infer.par`: parameters by par#.
#[derive(Clone)]
pub struct InferParList(pub InferHandle);

/// `infer.cfg`: configuration values by cfg#.
#[derive(Clone)]
pub struct InferCfgList(pub InferHandle);

impl InferHandle {
    /// Read access (a poisoned lock is reported, never a panic).
    pub fn read(&self) -> RhaiResult<std::sync::RwLockReadGuard<'_, Infer>> {
        self.0
            .read()
            .map_err(|_| "the inference is unusable after an earlier failure".into())
    }

    fn write(&self) -> RhaiResult<std::sync::RwLockWriteGuard<'_, Infer>> {
        self.0
            .write()
            .map_err(|_| "the inference is unusable after an earlier failure".into())
    }
}

/// One `[data, model]` (or `[model, data]`) item of a pair list.
fn pair_from(item: &Dynamic, i: usize) -> RhaiResult<Pair> {
    let Some(arr) = item.clone().try_cast::<Array>() else {
        return err(format!(
            "pair {}: expected [data, model], got {}",
            i + 1,
            item.type_name()
        ));
    };
    if arr.len() != 2 {
        return err(format!(
            "pair {}: expected [data, model] with two items, got {}",
            i + 1,
            arr.len()
        ));
    }
    let (a, b) = (&arr[0], &arr[1]);
    let (d, m) = if a.is::<DataHandle>() {
        (a.clone(), b.clone())
    } else {
        (b.clone(), a.clone())
    };
    let (Some(d), Some(m)) = (d.try_cast::<DataHandle>(), m.try_cast::<Model>()) else {
        return err(format!(
            "pair {}: expected a Data and a Model, got {} and {}",
            i + 1,
            a.type_name(),
            b.type_name()
        ));
    };
    lift(Pair::new(d.data(), m))
}

fn build_infer(kind: InferKind, pairs: Array) -> RhaiResult<InferHandle> {
    // `BayesInfer([data, model])` (a single pair, not in a list) is accepted too.
    let items: Vec<Dynamic> = if pairs.len() == 2
        && pairs.iter().any(|x| x.is::<DataHandle>())
        && pairs.iter().any(|x| x.is::<Model>())
    {
        vec![Dynamic::from(pairs)]
    } else {
        pairs
    };
    let list: Vec<Pair> = items
        .iter()
        .enumerate()
        .map(|(i, x)| pair_from(x, i))
        .collect::<RhaiResult<_>>()?;
    Ok(InferHandle(Arc::new(RwLock::new(lift(Infer::new(
        kind, list,
    ))?))))
}

/// A par# / cfg# from a number or a numeric string (from 1).
pub(super) fn index_of(key: &Dynamic, what: &str) -> RhaiResult<usize> {
    if let Some(x) = super::options::as_f64(key) {
        if x >= 1.0 && x.fract() == 0.0 {
            return Ok(x as usize);
        }
        return err(format!("{what} numbers start at 1, got {x}"));
    }
    if key.is_string() {
        let s = key.to_string();
        return s
            .trim()
            .parse::<usize>()
            .map_err(|_| format!("{what}: '{s}' is not a number").into());
    }
    err(format!(
        "{what} index must be a number, not {}",
        key.type_name()
    ))
}

fn numbers(list: &Array) -> RhaiResult<Vec<usize>> {
    list.iter().map(|x| index_of(x, "par#")).collect()
}

/// Change one override of the inference behind `h`.
fn update_overrides(h: &InferHandle, f: impl FnOnce(&mut Overrides)) -> RhaiResult<()> {
    let mut infer = h.write()?;
    let mut o = infer.overrides().clone();
    f(&mut o);
    infer.set_overrides(o);
    Ok(())
}

/// A callback from a closure, or `None` for `()` (restore the built-in).
fn callback(ctx: &NativeCallContext, f: Dynamic, name: &str) -> RhaiResult<Option<Callback>> {
    if f.is_unit() {
        return Ok(None);
    }
    match f.clone().try_cast::<rhai::FnPtr>() {
        Some(fp) => Ok(Some(Callback::capture(ctx, fp, name))),
        None => err(format!(
            "{name} must be a function such as |infer, theta| ..., or () to remove it; got {}",
            f.type_name()
        )),
    }
}

/// Register the inference types and functions.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("inference", "pairs, inferences, samplers and posteriors");
    engine
        .register_type_with_name::<InferHandle>("Infer")
        .register_type_with_name::<InferParList>("InferParList")
        .register_type_with_name::<InferCfgList>("InferCfgList");

    // Infer constructors
    for (name, kind, text) in [
        (
            "Infer",
            InferKind::Plain,
            "An inference over [[data, model], ...] pairs.",
        ),
        (
            "BayesInfer",
            InferKind::Bayes,
            "A Bayesian inference over [[data, model], ...]: multinest(#{...}), emcee(#{...}).",
        ),
        (
            "MaxLikeFit",
            InferKind::MaxLike,
            "A maximum-likelihood fit over [[data, model], ...].",
        ),
    ] {
        engine.register_fn(name, move |pairs: Array| build_infer(kind, pairs));
        docs.add(
            "inference",
            name,
            &format!("{name}([[data, model], ...])"),
            text,
        );
    }
    engine.register_fn(
        "append",
        |h: &mut InferHandle, d: DataHandle, m: Model| -> RhaiResult<()> {
            let p = lift(Pair::new(d.data(), m))?;
            h.write()?.append(p);
            Ok(())
        },
    );
    docs.add(
        "inference",
        "append",
        "infer.append(data, model)",
        "Add one pair.",
    );
    docs.add(
        "inference",
        "free_pvalues",
        "infer.free_pvalues  /  infer.free_plabels",
        "The free parameters' current values and their labels, in free order (the order of a \
         posterior's columns).",
    );
    engine
        .register_fn(
            "link",
            |h: &mut InferHandle, list: Array| -> RhaiResult<()> {
                let n = numbers(&list)?;
                lift(h.write()?.link(&n))
            },
        )
        .register_fn(
            "unlink",
            |h: &mut InferHandle, list: Array| -> RhaiResult<()> {
                let n = numbers(&list)?;
                lift(h.write()?.unlink(&n))
            },
        );
    docs.add(
        "inference",
        "par",
        "infer.par[n]  /  infer.par[\"alpha\"]  /  infer.par[\"cpl.alpha\"]",
        "A parameter of the inference by par# (from 1, as print(infer) numbers them) or by label: \
         the plain name (alpha, logEp or logE_p, N_H, sf), the exact label, or component.label. \
         A label shared by several parameters (two pairs with their own cpl) is an error listing \
         their par#.",
    );
    docs.add(
        "inference",
        "link",
        "infer.link([i, j, ...])",
        "Link parameters by par#: they share value, prior and posterior; one free slot.",
    );
    docs.add(
        "inference",
        "unlink",
        "infer.unlink([i, j, ...])",
        "Undo link.",
    );
    engine
        .register_get("par", |h: &mut InferHandle| InferParList(h.clone()))
        .register_get("cfg", |h: &mut InferHandle| InferCfgList(h.clone()))
        .register_indexer_get(|l: &mut InferParList, k: Dynamic| -> RhaiResult<Par> {
            let infer = l.0.read()?;
            let n = match k.clone().into_string() {
                Ok(s) if s.trim().parse::<usize>().is_err() => lift(infer.par_number(&s))?,
                _ => index_of(&k, "par#")?,
            };
            lift(infer.par(n))
        })
        .register_indexer_get(|l: &mut InferCfgList, k: Dynamic| -> RhaiResult<Cfg> {
            let n = index_of(&k, "cfg#")?;
            lift(l.0.read()?.cfg(n))
        })
        .register_get("len", |l: &mut InferParList| -> RhaiResult<i64> {
            Ok(l.0.read()?.rows().len() as i64)
        });
    engine
        .register_get("loglike", |h: &mut InferHandle| -> RhaiResult<f64> {
            lift(h.read()?.loglike())
        })
        .register_get("stat", |h: &mut InferHandle| -> RhaiResult<f64> {
            lift(h.read()?.stat())
        })
        .register_get("npoint", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.npoint() as i64)
        })
        .register_get("dof", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.dof())
        })
        .register_get("free_nparams", |h: &mut InferHandle| -> RhaiResult<i64> {
            Ok(h.read()?.free_nparams() as i64)
        })
        .register_get("free_plabels", |h: &mut InferHandle| -> RhaiResult<Array> {
            Ok(h.read()?
                .clean_free_indexed_plabels()
                .into_iter()
                .map(Dynamic::from)
                .collect())
        })
        .register_get("free_pvalues", |h: &mut InferHandle| -> RhaiResult<Array> {
            Ok(to_array(&h.read()?.free_pvalues()))
        })
        .register_fn("save", |h: &mut InferHandle, dir: &str| -> RhaiResult<()> {
            lift(h.read()?.save(std::path::Path::new(dir)))
        })
        .register_fn("to_string", |h: &mut InferHandle| -> String {
            match h.read() {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        })
        .register_fn("to_debug", |h: &mut InferHandle| -> String {
            match h.read() {
                Ok(i) => i.to_string(),
                Err(e) => e.to_string(),
            }
        });
    for (name, usage) in [
        ("loglike", "infer.loglike"),
        ("stat", "infer.stat"),
        ("npoint", "infer.npoint"),
        ("free_nparams", "infer.free_nparams"),
    ] {
        docs.add("inference", name, usage, "At the current parameter values.");
    }
    docs.add(
        "inference",
        "save",
        "infer.save(dir) / post.save(dir)",
        "Write the tables as JSON (infer_cfg.json, infer_par.json / post_*.json).",
    );

    // user overrides (inference.md §4.3)
    engine.register_fn(
        "set$loglike_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "loglike_func")?;
            let handle = h.clone();
            let npoint = h.read()?.npoint();
            let func = cb.map(|cb| -> LoglikeFn {
                Arc::new(move |theta: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(theta))))?;
                    if let Some(x) = super::options::as_f64(&r) {
                        return Ok(LoglikeValue::Scalar(x));
                    }
                    let a = r.try_cast::<Array>().ok_or_else(|| {
                        Error::new("loglike_func must return a number or an array of numbers")
                    })?;
                    let v = num_vec(&a, "loglike_func result").map_err(|e| Error::new(e.to_string()))?;
                    if v.len() != npoint {
                        return Err(Error::new(format!(
                            "loglike_func returned {} values; the pointwise form needs one per fit bin ({npoint})",
                            v.len()
                        )));
                    }
                    Ok(LoglikeValue::Pointwise(v))
                })
            });
            update_overrides(h, |o| o.loglike = func)
        },
    );
    engine.register_fn(
        "set$logprior_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "logprior_func")?;
            let handle = h.clone();
            let func = cb.map(|cb| -> LogpriorFn {
                Arc::new(move |theta: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(theta))))?;
                    super::options::as_f64(&r)
                        .ok_or_else(|| Error::new("logprior_func must return a number"))
                })
            });
            update_overrides(h, |o| o.logprior = func)
        },
    );
    engine.register_fn(
        "set$prior_transform_func",
        |ctx: NativeCallContext, h: &mut InferHandle, f: Dynamic| -> RhaiResult<()> {
            let cb = callback(&ctx, f, "prior_transform_func")?;
            let handle = h.clone();
            let func = cb.map(|cb| -> TransformFn {
                Arc::new(move |u: &[f64]| {
                    let r = cb.call((handle.clone(), Dynamic::from_array(to_array(u))))?;
                    let a = r.try_cast::<Array>().ok_or_else(|| {
                        Error::new("prior_transform_func must return an array of numbers")
                    })?;
                    num_vec(&a, "prior_transform_func result")
                        .map_err(|e| Error::new(e.to_string()))
                })
            });
            update_overrides(h, |o| o.prior_transform = func)
        },
    );
    for (name, text) in [
        ("loglike_func", "infer.loglike_func = |infer, theta| ...: replaces the likelihood (return the total, or one value per fit bin to keep WAIC); the statistics table then shows one `custom` row of −2·loglike, iminuit minimises −2·loglike and lmfit is unavailable. () restores the built-in."),
        ("logprior_func", "infer.logprior_func = |infer, theta| ...: replaces Σ log prior (emcee and the posterior ranking; nested sampling uses the prior transform)."),
        ("prior_transform_func", "infer.prior_transform_func = |infer, u| ...: maps the unit cube to θ for nested sampling."),
    ] {
        docs.add("inference", name, &format!("infer.{name} = |infer, theta| ..."), text);
    }
}
