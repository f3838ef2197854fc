//! Rhai binding of the model layer (api.md, Models): one constructor per catalogue component,
//! the model algebra, parameter and configuration access, evaluation, `models()`, and user
//! components written in Rhai. No science here: everything calls [`crate::model`].
//!
//! Script types: `Model` (a single component or a composite; components are models too),
//! `Par`, `Cfg`, `Prior`, and the small handles `ParList` / `CfgList` returned by `m.par` /
//! `m.cfg`, which index by par#/cfg# (1-based, also as text) or by label.

use std::cell::Cell;
use std::sync::OnceLock;

use rhai::{
    Array, Dynamic, Engine, EvalAltResult, FnPtr, Map, Module, NativeCallContext, AST, FLOAT, INT,
};

use super::docs::{keys_usage, Docs};
use super::options::OptKind::{Bool, Float, Int, Other, Str};
use super::options::{as_f64, err, finite_num, lift, num, num_vec, to_array, OptionSpec};
use super::options::{Options, RhaiResult};
use crate::error::{Error, Result};
use crate::model::par::{plain_label, LABEL_MATCHES};
use crate::model::{
    catalogue, models_listing, table, Cfg, CfgValue, Component, Kind, Model, Op, Par, Prior,
    UserFn, FLUX_NGRID,
};

/// `m.par`: the parameters of a model, indexed by par# (1-based) or label.
#[derive(Clone)]
pub struct ParList(pub Model);

/// `m.cfg`: the configuration entries of a model, indexed by cfg# (1-based) or label.
#[derive(Clone)]
pub struct CfgList(pub Model);

impl IntoIterator for ParList {
    type Item = Par;
    type IntoIter = std::vec::IntoIter<Par>;
    fn into_iter(self) -> Self::IntoIter {
        self.0
            .params()
            .into_iter()
            .map(|e| e.par)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

impl IntoIterator for CfgList {
    type Item = Cfg;
    type IntoIter = std::vec::IntoIter<Cfg>;
    fn into_iter(self) -> Self::IntoIter {
        self.0
            .configs()
            .into_iter()
            .map(|e| e.cfg)
            .collect::<Vec<_>>()
            .into_iter()
    }
}

/// The name a catalogue component is called by in scripts (`const` is a Rhai keyword).
pub fn script_name(catalogue_name: &str) -> &str {
    if catalogue_name == "const" {
        "constant"
    } else {
        catalogue_name
    }
}

/// Built-in component constructors whose script name is close to `name` (an edit distance of
/// at most 2, or one a prefix of the other), for "did you mean" hints.
/// Closest first.
pub fn similar_components(name: &str) -> Vec<&'static str> {
    let lower = name.to_ascii_lowercase();
    let mut close: Vec<(usize, &'static str)> = catalogue()
        .iter()
        .map(|info| script_name(info.name))
        .filter_map(|c| {
            let cl = c.to_ascii_lowercase();
            let dist = edit_distance(&cl, &lower);
            let prefix = lower.len() >= 3 && (cl.starts_with(&lower) || lower.starts_with(&cl));
            (cl != lower && (dist <= 2 || prefix)).then_some((dist, c))
        })
        .collect();
    close.sort();
    close.into_iter().map(|(_, c)| c).collect()
}

/// Whether `name` is the script name of a built-in component constructor.
pub fn is_component(name: &str) -> bool {
    catalogue()
        .iter()
        .any(|info| script_name(info.name) == name)
}

/// Levenshtein distance between two short strings.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, &cb) in b.iter().enumerate() {
            let sub = prev[j] + usize::from(ca != cb);
            cur[j + 1] = sub.min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

// ---------------------------------------------------------------------------------------------
// constructors

/// Index of the label matching `key`: exact label first, then plain label, then plain label
/// without `_` (so `logEp` finds `log$E_p$`).
fn find_by_label(labels: &[String], key: &str) -> Option<usize> {
    LABEL_MATCHES
        .iter()
        .find_map(|matches| labels.iter().position(|l| matches(l, key)))
}

/// A configuration value from a script value: number, bool, string or `()`.
fn cfg_value(v: &Dynamic, what: &str) -> RhaiResult<CfgValue> {
    if let Some(x) = as_f64(v) {
        Ok(CfgValue::Num(x))
    } else if let Ok(b) = v.as_bool() {
        Ok(CfgValue::Bool(b))
    } else if v.is_string() {
        Ok(CfgValue::Str(v.to_string()))
    } else if v.is_unit() {
        Ok(CfgValue::Null)
    } else {
        err(format!(
            "{what} must be a number, true/false, a string or (), not {}",
            v.type_name()
        ))
    }
}

/// A configuration value as a script value.
fn cfg_dynamic(v: CfgValue) -> Dynamic {
    match v {
        CfgValue::Num(x) => Dynamic::from_float(x),
        CfgValue::Bool(b) => Dynamic::from_bool(b),
        CfgValue::Str(s) => Dynamic::from(s),
        CfgValue::Null => Dynamic::UNIT,
    }
}

/// Apply constructor options: configuration entries first (so `vfv_peak` picks the parameter
/// set), then parameter values. Keys are labels (exact, plain, or plain without `_`).
fn apply_options(comp: &Component, owner: &str, map: Map) -> RhaiResult<()> {
    let cfgs = comp.configs();
    let cfg_labels: Vec<String> = cfgs.iter().map(Cfg::label).collect();
    let mut rest = Vec::new();
    for (k, v) in map {
        match find_by_label(&cfg_labels, &k) {
            Some(i) => {
                let what = format!("{owner}: option '{k}'");
                lift(
                    cfgs[i]
                        .set_val(cfg_value(&v, &what)?)
                        .map_err(|e| e.context(&what)),
                )?;
            }
            None => rest.push((k, v)),
        }
    }
    let pars = comp.params();
    let par_labels: Vec<String> = pars.iter().map(Par::label).collect();
    for (k, v) in rest {
        match find_by_label(&par_labels, &k) {
            Some(i) => pars[i].set_val(finite_num(&v, &format!("{owner}: option '{k}'"))?),
            None => {
                let accepted: Vec<String> = par_labels
                    .iter()
                    .chain(&cfg_labels)
                    .map(|l| plain_label(l))
                    .collect();
                return err(format!(
                    "{owner}: unknown option '{k}'; accepted options are the parameters and \
                     configuration entries: {}",
                    accepted.join(", ")
                ));
            }
        }
    }
    Ok(())
}

/// A fresh built-in component as a model, with optional initial values.
fn builtin(name: &str, opts: Option<Map>) -> RhaiResult<Model> {
    let comp = lift(Component::builtin(name))?;
    if let Some(map) = opts {
        apply_options(&comp, script_name(name), map)?;
    }
    Ok(Model::from_component(&comp))
}

// ---------------------------------------------------------------------------------------------
// lookup

/// A lookup key from a script index: INT (1-based) or a string (label or number as text).
fn with_key<T>(idx: &Dynamic, f: impl FnOnce(crate::model::Key) -> Result<T>) -> RhaiResult<T> {
    if let Ok(i) = idx.as_int() {
        if i < 1 {
            return err(format!("indices start at 1 (par[1], cfg[1]); got {i}"));
        }
        lift(f(crate::model::Key::Index(i as usize)))
    } else if idx.is_string() {
        let s = idx.to_string();
        lift(f(crate::model::Key::Name(&s)))
    } else {
        err(format!(
            "an index must be a 1-based integer or a label string, not {}",
            idx.type_name()
        ))
    }
}

/// Rename a single-component model's component (an error for composites).
fn set_expr(m: &mut Model, name: &str) -> RhaiResult<()> {
    let comps = m.components();
    if comps.len() == 1 && m.expr() == comps[0].0 {
        lift(comps[0].1.set_expr(name))
    } else {
        err(format!(
            "expr can only be set on a single component, not on the composite {}; rename its \
             components before combining them",
            m.expr()
        ))
    }
}

// ---------------------------------------------------------------------------------------------
// evaluation

/// Energies from a number or an array; `true` when a number was given (scalar result).
fn energies(e: &Dynamic, what: &str) -> RhaiResult<(Vec<f64>, bool)> {
    if let Some(x) = as_f64(e) {
        Ok((vec![x], true))
    } else if e.is_array() {
        let a = e.clone().into_array().unwrap_or_default();
        Ok((num_vec(&a, &format!("{what}: E"))?, false))
    } else {
        err(format!(
            "{what}: energies E must be a number or an array of numbers (keV), not {}",
            e.type_name()
        ))
    }
}

/// Times from a number, an array or `()` (none).
fn times(t: &Dynamic, what: &str) -> RhaiResult<Option<Vec<f64>>> {
    if t.is_unit() {
        Ok(None)
    } else if let Some(x) = as_f64(t) {
        Ok(Some(vec![x]))
    } else if t.is_array() {
        let a = t.clone().into_array().unwrap_or_default();
        Ok(Some(num_vec(&a, &format!("{what}: T"))?))
    } else {
        err(format!(
            "{what}: times T must be a number, an array of numbers (s) or (), not {}",
            t.type_name()
        ))
    }
}

/// A model evaluation method (`Model::phtspec` …).
type SpecFn = fn(&Model, &[f64], Option<&[f64]>) -> Result<Vec<f64>>;

/// Evaluate a spectrum method; a number E gives a number, an array gives an array.
fn spectrum(m: &Model, f: SpecFn, what: &str, e: &Dynamic, t: &Dynamic) -> RhaiResult<Dynamic> {
    let (e, scalar) = energies(e, what)?;
    let t = times(t, what)?;
    let v = lift(f(m, &e, t.as_deref()).map_err(|x| x.context(what)))?;
    Ok(if scalar {
        Dynamic::from_float(v.first().copied().unwrap_or(f64::NAN))
    } else {
        Dynamic::from_array(to_array(&v))
    })
}

const NGRID: OptionSpec = OptionSpec::new(
    "ngrid",
    Int,
    "1000",
    "log-spaced energies of the trapezoid rule (≥ 2)",
);
const FLUX_TIME: OptionSpec =
    OptionSpec::new("time", Float, "none", "time (s) for time-dependent models");

/// Options of `m.phtflux(emin, emax, #{…})` and `m.ergflux`.
pub const FLUX_OPTIONS: &[OptionSpec] = &[NGRID, FLUX_TIME];

/// An integrated flux method (`Model::phtflux_with` …).
type FluxFn = fn(&Model, f64, f64, usize, Option<f64>) -> Result<f64>;

/// Evaluate a flux over [e1, e2] with optional `#{ ngrid, time }`.
fn flux(
    m: &Model,
    f: FluxFn,
    what: &str,
    e1: &Dynamic,
    e2: &Dynamic,
    opts: Option<Map>,
) -> RhaiResult<f64> {
    let e1 = num(e1, &format!("{what}: emin"))?;
    let e2 = num(e2, &format!("{what}: emax"))?;
    let (ngrid, time) = match opts {
        None => (FLUX_NGRID, None),
        Some(map) => {
            let o = Options::new(what, map, FLUX_OPTIONS)?;
            (o.usize(&NGRID)?.unwrap_or(FLUX_NGRID), o.f64(&FLUX_TIME)?)
        }
    };
    lift(f(m, e1, e2, ngrid, time).map_err(|x| x.context(what)))
}

// ---------------------------------------------------------------------------------------------
// user components

/// The engine that runs user component functions outside any script evaluation (fits, plots,
/// worker threads). Built once, on first use, by [`super::engine`].
static CALL_ENGINE: OnceLock<Engine> = OnceLock::new();

/// The process-wide engine for calling script functions from Rust (built on first use).
pub(crate) fn call_engine() -> &'static Engine {
    CALL_ENGINE.get_or_init(super::engine)
}

/// Deepest nesting of user functions calling models that call user functions.
const MAX_DEPTH: u32 = 8;

thread_local! {
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

/// A user component's Rhai function with the script functions it may call.
///
/// Each evaluation is one call into the process-wide engine: the energies, times and parameters
/// are copied into Rhai arrays and the result is converted back, so a user component costs an
/// interpreter call plus a few allocations per evaluation (about microseconds plus the script's
/// own work per element), unlike built-in components, which evaluate allocation-free.
/// Variables captured by the closure are copied when the component is created, so concurrent
/// evaluations (fits on several threads) never wait for each other.
struct ScriptFunc {
    name: String,
    func: FnPtr,
    lib: AST,
}

impl ScriptFunc {
    fn call(&self, e: &[f64], t: Option<&[f64]>, p: &[f64]) -> Result<Vec<f64>> {
        let depth = DEPTH.with(|d| {
            let v = d.get() + 1;
            d.set(v);
            v
        });
        let result = if depth > MAX_DEPTH {
            Err(Error::new(format!(
                "the function of {} calls models recursively more than {MAX_DEPTH} levels deep",
                self.name
            )))
        } else {
            self.call_once(e, t, p)
        };
        DEPTH.with(|d| d.set(d.get() - 1));
        result
    }

    fn call_once(&self, e: &[f64], t: Option<&[f64]>, p: &[f64]) -> Result<Vec<f64>> {
        let engine = call_engine();
        let t = t.map_or(Dynamic::UNIT, |t| Dynamic::from_array(to_array(t)));
        let r: Dynamic = self
            .func
            .call(engine, &self.lib, (to_array(e), t, to_array(p)))
            .map_err(|x| match *x {
                EvalAltResult::ErrorFunctionNotFound(ref sig, _)
                    if sig.starts_with(&format!("{} (", self.func.fn_name())) =>
                {
                    Error::new(
                        "func must take exactly three arguments |E, T, p| (energies, times or (), \
                         parameter values)",
                    )
                }
                _ => Error::new(format!("func failed: {x}")),
            })?;
        if let Some(x) = as_f64(&r) {
            return Ok(vec![x; e.len()]);
        }
        let Some(a) = r.clone().try_cast::<Array>() else {
            return Err(Error::new(format!(
                "func must return an array of numbers (one per energy) or a number, not {}",
                r.type_name()
            )));
        };
        let v = num_vec(&a, "func result").map_err(|x| Error::new(x.to_string()))?;
        match v.len() {
            n if n == e.len() => Ok(v),
            1 => Ok(vec![v[0]; e.len()]),
            n => Err(Error::new(format!(
                "func returned {n} values for {} energies (note: `a + b` of two arrays \
                 concatenates them in Rhai; use vadd(a, b) for an elementwise sum)",
                e.len()
            ))),
        }
    }
}

const LABEL: OptionSpec = OptionSpec::new("label", Str, "required", "parameter label");
const VAL: OptionSpec = OptionSpec::new("val", Float, "required", "value (finite)");
const PRIOR: OptionSpec = OptionSpec::new(
    "prior",
    Other("prior | ()"),
    "none",
    "prior such as unif(-4, 2)",
);
const FROZEN: OptionSpec = OptionSpec::new("frozen", Bool, "false", "fixed during inference");
const PAR_COMMENT: OptionSpec = OptionSpec::new("comment", Str, "none", "description");

/// Keys of one parameter map in `Component(#{ params: [...] })`.
pub const PARAM_OPTIONS: &[OptionSpec] = &[LABEL, VAL, PRIOR, FROZEN, PAR_COMMENT];

const NAME: OptionSpec = OptionSpec::new(
    "name",
    Str,
    "required",
    "component name (no spaces or ( ) + - * / . ,)",
);
const KIND: OptionSpec = OptionSpec::new(
    "kind",
    Str,
    "required",
    "additive/add, multiplicative/mul or mathematical/math",
);
const PARAMS: OptionSpec = OptionSpec::new(
    "params",
    Other("array of maps"),
    "[]",
    "the parameters, one map each (keys below; label and val required)",
);
const FUNC: OptionSpec = OptionSpec::new(
    "func",
    Other("function"),
    "required",
    "|E, T, p| ... returning one value per energy, or one number",
);
const COMMENT: OptionSpec = OptionSpec::new("comment", Str, "none", "description");

/// Options of `Component(#{…})`.
pub const COMPONENT_OPTIONS: &[OptionSpec] = &[NAME, KIND, PARAMS, FUNC, COMMENT];

/// One parameter of a user component from `#{ label, val, prior, frozen, comment }`.
fn user_par(i: usize, v: &Dynamic) -> RhaiResult<Par> {
    let owner = format!("Component: {}[{i}]", PARAMS.key);
    let Some(map) = v.clone().try_cast::<Map>() else {
        return err(format!(
            "{owner} must be a map {}, not {}",
            keys_usage(PARAM_OPTIONS),
            v.type_name()
        ));
    };
    let o = Options::new(&owner, map, PARAM_OPTIONS)?;
    let Some(label) = o.string(&LABEL)? else {
        return err(format!("{owner}: '{}' is required", LABEL.key));
    };
    let Some(val) = o.raw(&VAL)? else {
        return err(format!("{owner} ({label}): '{}' is required", VAL.key));
    };
    let val = finite_num(val, &format!("{owner} ({label}): '{}'", VAL.key))?;
    let prior = match o.raw(&PRIOR)? {
        None => None,
        Some(d) if d.is_unit() => None,
        Some(d) => match d.clone().try_cast::<Prior>() {
            Some(p) => Some(p),
            None => {
                return err(format!(
                    "{owner} ({label}): '{}' must be a prior such as unif(-4, 2), not {}",
                    PRIOR.key,
                    d.type_name()
                ))
            }
        },
    };
    let par = Par::new(&label, val, prior);
    if let Some(f) = o.bool(&FROZEN)? {
        par.set_frozen(f);
    }
    if let Some(c) = o.string(&PAR_COMMENT)? {
        par.set_comment(Some(c));
    }
    Ok(par)
}

/// `Component(#{ name, kind, params, func, comment })`.
fn user_component(ctx: &NativeCallContext, map: Map) -> RhaiResult<Model> {
    let o = Options::new("Component", map, COMPONENT_OPTIONS)?;
    let Some(name) = o.string(&NAME)? else {
        return err(format!(
            "Component: '{}' is required (a string, e.g. \"mypl\")",
            NAME.key
        ));
    };
    let kind = match o.string(&KIND)? {
        Some(k) => {
            lift(Kind::from_name(&k).map_err(|e| e.context(format!("Component: '{}'", KIND.key))))?
        }
        None => {
            return err(format!(
                "Component: '{}' is required (additive, multiplicative or mathematical)",
                KIND.key
            ))
        }
    };
    let params: Vec<Par> = match o.raw(&PARAMS)? {
        None => Vec::new(),
        Some(v) => match v.clone().try_cast::<Array>() {
            Some(a) => a
                .iter()
                .enumerate()
                .map(|(i, d)| user_par(i, d))
                .collect::<RhaiResult<_>>()?,
            None => {
                return err(format!(
                    "Component: '{}' must be an array of maps, not {}",
                    PARAMS.key,
                    v.type_name()
                ))
            }
        },
    };
    let mut func = match o.raw(&FUNC)? {
        None => {
            return err(format!(
                "Component: '{}' is required (a closure |E, T, p| ...)",
                FUNC.key
            ))
        }
        Some(f) => match f.clone().try_cast::<FnPtr>() {
            Some(f) => f,
            None => {
                return err(format!(
                    "Component: '{}' must be a function such as |E, T, p| ..., not {}",
                    FUNC.key,
                    f.type_name()
                ))
            }
        },
    };
    // Variables the closure captured are shared with the script (behind locks that concurrent
    // evaluations would contend for): give the component its own copies, taken now.
    for v in func.iter_curry_mut() {
        *v = v.flatten_clone();
    }
    // The closure lives in the calling script's function library: keep a copy so it can be
    // called after the script has finished.
    let mut lib = Module::new();
    for ns in ctx.iter_namespaces() {
        lib.fill_with(ns);
    }
    let script = ScriptFunc {
        name: name.clone(),
        func,
        lib: AST::new_from_module(lib),
    };
    let f: UserFn = std::sync::Arc::new(move |e, t, p| script.call(e, t, p));
    let comp = lift(Component::user(&name, kind, params, Vec::new(), f))?;
    if let Some(c) = o.string(&COMMENT)? {
        comp.set_comment(&c);
    }
    Ok(Model::from_component(&comp))
}

// ---------------------------------------------------------------------------------------------
// registration

fn register_types(engine: &mut Engine) {
    engine
        .register_type_with_name::<Model>("Model")
        .register_type_with_name::<Par>("Par")
        .register_type_with_name::<Cfg>("Cfg")
        .register_type_with_name::<ParList>("ParList")
        .register_type_with_name::<CfgList>("CfgList")
        .register_iterator::<ParList>()
        .register_iterator::<CfgList>();
}

fn register_model_properties(engine: &mut Engine) {
    engine
        .register_fn("to_string", |m: &mut Model| m.to_string())
        .register_fn("to_debug", |m: &mut Model| format!("{m:?}"))
        .register_get("par", |m: &mut Model| ParList(m.clone()))
        .register_get("cfg", |m: &mut Model| CfgList(m.clone()))
        .register_get("npar", |m: &mut Model| m.npar() as INT)
        .register_get("ncfg", |m: &mut Model| m.ncfg() as INT)
        .register_get("expr", |m: &mut Model| m.expr())
        .register_set("expr", |m: &mut Model, name: &str| set_expr(m, name))
        .register_get("kind", |m: &mut Model| m.kind().name().to_string())
        .register_get("comment", |m: &mut Model| m.comment())
        .register_get("components", |m: &mut Model| -> Array {
            m.components()
                .into_iter()
                .map(|(n, _)| Dynamic::from(n))
                .collect()
        })
        .register_fn("save", |m: &mut Model, dir: &str| lift(m.save(dir)));

    engine
        .register_indexer_get(|l: &mut ParList, i: INT| {
            with_key(&Dynamic::from_int(i), |k| l.0.par(k))
        })
        .register_indexer_get(|l: &mut ParList, s: &str| {
            with_key(&Dynamic::from(s.to_string()), |k| l.0.par(k))
        })
        .register_get("len", |l: &mut ParList| l.0.npar() as INT)
        .register_fn("len", |l: &mut ParList| l.0.npar() as INT)
        .register_fn("to_string", |l: &mut ParList| par_table(&l.0))
        .register_fn("to_debug", |l: &mut ParList| par_table(&l.0))
        .register_indexer_get(|l: &mut CfgList, i: INT| {
            with_key(&Dynamic::from_int(i), |k| l.0.cfg(k))
        })
        .register_indexer_get(|l: &mut CfgList, s: &str| {
            with_key(&Dynamic::from(s.to_string()), |k| l.0.cfg(k))
        })
        .register_get("len", |l: &mut CfgList| l.0.ncfg() as INT)
        .register_fn("len", |l: &mut CfgList| l.0.ncfg() as INT)
        .register_fn("to_string", |l: &mut CfgList| cfg_table(&l.0))
        .register_fn("to_debug", |l: &mut CfgList| cfg_table(&l.0));
}

fn par_table(m: &Model) -> String {
    let rows: Vec<Vec<String>> = m.par_rows().into_iter().map(|r| r.to_vec()).collect();
    table::render(&["par#", "Component", "Parameter", "Value", "Prior"], &rows)
}

fn cfg_table(m: &Model) -> String {
    let rows: Vec<Vec<String>> = m.cfg_rows().into_iter().map(|r| r.to_vec()).collect();
    table::render(&["cfg#", "Component", "Parameter", "Value"], &rows)
}

fn register_par(engine: &mut Engine) {
    engine
        .register_get("val", |p: &mut Par| p.val())
        .register_set("val", |p: &mut Par, v: Dynamic| -> RhaiResult<()> {
            p.set_val(finite_num(&v, &format!("{}: val", p.label()))?);
            Ok(())
        })
        .register_get("frozen", |p: &mut Par| p.frozen())
        .register_set("frozen", |p: &mut Par, f: bool| p.set_frozen(f))
        .register_get("prior", |p: &mut Par| {
            p.prior().map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_set("prior", |p: &mut Par, v: Dynamic| -> RhaiResult<()> {
            if v.is_unit() {
                p.set_prior(None);
                return Ok(());
            }
            match v.clone().try_cast::<Prior>() {
                Some(pr) => {
                    p.set_prior(Some(pr));
                    Ok(())
                }
                None => err(format!(
                    "{}: prior must be a prior such as unif(-2, 2) or (), not {}",
                    p.label(),
                    v.type_name()
                )),
            }
        })
        .register_get("label", |p: &mut Par| p.label())
        .register_get("value", |p: &mut Par| p.value())
        .register_get("comment", |p: &mut Par| {
            p.comment().map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_set("comment", |p: &mut Par, v: Dynamic| -> RhaiResult<()> {
            if v.is_unit() {
                p.set_comment(None);
            } else if v.is_string() {
                p.set_comment(Some(v.to_string()));
            } else {
                return err(format!(
                    "{}: comment must be a string or (), not {}",
                    p.label(),
                    v.type_name()
                ));
            }
            Ok(())
        })
        .register_fn("frozen_at", |p: &mut Par, v: Dynamic| -> RhaiResult<()> {
            p.frozen_at(finite_num(&v, &format!("{}: frozen_at", p.label()))?);
            Ok(())
        })
        .register_get("range", par_range)
        .register_fn("range", par_range)
        .register_fn("to_string", |p: &mut Par| p.to_string())
        .register_fn("to_debug", |p: &mut Par| format!("{p:?}"));
}

fn par_range(p: &mut Par) -> RhaiResult<Array> {
    let (lo, hi) = lift(p.range())?;
    Ok(to_array(&[lo, hi]))
}

fn register_cfg(engine: &mut Engine) {
    engine
        .register_get("val", |c: &mut Cfg| cfg_dynamic(c.val()))
        .register_set("val", |c: &mut Cfg, v: Dynamic| -> RhaiResult<()> {
            let label = c.label();
            lift(c.set_val(cfg_value(&v, &format!("{label}: val"))?))
        })
        .register_get("label", |c: &mut Cfg| c.label())
        .register_get("comment", |c: &mut Cfg| {
            c.comment().map_or(Dynamic::UNIT, Dynamic::from)
        })
        .register_fn("to_string", |c: &mut Cfg| c.to_string())
        .register_fn("to_debug", |c: &mut Cfg| format!("{c:?}"));
}

fn register_algebra(engine: &mut Engine) {
    const OPS: [(&str, Op); 4] = [
        ("+", Op::Add),
        ("-", Op::Sub),
        ("*", Op::Mul),
        ("/", Op::Div),
    ];
    for (sym, op) in OPS {
        engine
            .register_fn(sym, move |a: Model, b: Model| {
                lift(Model::combine(&a, op, &b))
            })
            .register_fn(sym, move |a: Model, x: FLOAT| {
                lift(Model::combine_num(&a, op, x))
            })
            .register_fn(sym, move |a: Model, x: INT| {
                lift(Model::combine_num(&a, op, x as f64))
            })
            .register_fn(sym, move |x: FLOAT, b: Model| {
                lift(Model::num_combine(x, op, &b))
            })
            .register_fn(sym, move |x: INT, b: Model| {
                lift(Model::num_combine(x as f64, op, &b))
            });
    }
}

fn register_eval(engine: &mut Engine) {
    const SPECS: [(&str, SpecFn); 4] = [
        ("phtspec", Model::phtspec),
        ("flxspec", Model::flxspec),
        ("ergspec", Model::ergspec),
        ("nouspec", Model::nouspec),
    ];
    for (name, f) in SPECS {
        engine
            .register_fn(name, move |m: &mut Model, e: Dynamic| {
                spectrum(m, f, name, &e, &Dynamic::UNIT)
            })
            .register_fn(name, move |m: &mut Model, e: Dynamic, t: Dynamic| {
                spectrum(m, f, name, &e, &t)
            });
    }
    const FLUXES: [(&str, FluxFn); 2] = [
        ("phtflux", Model::phtflux_with),
        ("ergflux", Model::ergflux_with),
    ];
    for (name, f) in FLUXES {
        engine
            .register_fn(name, move |m: &mut Model, a: Dynamic, b: Dynamic| {
                flux(m, f, name, &a, &b, None)
            })
            .register_fn(
                name,
                move |m: &mut Model, a: Dynamic, b: Dynamic, o: Map| {
                    flux(m, f, name, &a, &b, Some(o))
                },
            );
    }
}

fn register_constructors(engine: &mut Engine, docs: &mut Docs) {
    for info in catalogue() {
        let name: &'static str = info.name;
        let call = script_name(name);
        engine
            .register_fn(call, move || builtin(name, None))
            .register_fn(call, move |m: Map| builtin(name, Some(m)));
        let usage = format!("{call}() -> Model  /  {call}(#{{ label: value, ... }}) -> Model");
        let mut text = info.help();
        if call != name {
            text.push_str(&format!(
                "  In scripts this component is created with {call}() ('{name}' is a Rhai keyword)."
            ));
        }
        docs.add("models", call, &usage, text.trim_end());
        if call != name {
            docs.add("models", name, &usage, text.trim_end());
        }
    }
    engine.register_fn("models", || super::say(&models_listing()));
    engine.register_fn(
        "Component",
        |ctx: NativeCallContext, m: Map| -> RhaiResult<Model> { user_component(&ctx, m) },
    );
}

fn register_docs(docs: &mut Docs) {
    docs.topic(
        "models",
        "spectral components, model algebra, parameters and evaluation",
    );
    let d = |docs: &mut Docs, name: &str, usage: &str, text: &str| {
        docs.add("models", name, usage, text)
    };
    d(
        docs,
        "models",
        "models()",
        "Print the built-in components, one line each (name, kind, description); help(\"band\") documents one.",
    );
    d(
        docs,
        "Model",
        "let m = tbabs() * (cpl() + bb());",
        "A model: one component (cpl(), band(), …, or a user Component) or a composite built \
         with + - * / between models and numbers (numbers become a frozen const). Kind rules are \
         checked at once (a spectrum cannot be multiplied by a spectrum, …). Models are \
         handles: components are shared, so changing c.par[1] changes every model containing c.\n\
         Properties: par (m.par[1], m.par[\"alpha\"], m.par[\"bb_2.logA\"]), cfg (m.cfg[1], \
         m.cfg[\"redshift\"]), npar, ncfg, expr (settable on a single component: c.expr = \"cpl2\"), \
         kind (add/mul/math), comment, components (names).\n\
         Methods: phtspec, flxspec, ergspec, nouspec, phtflux, ergflux, save(dir). print(m) shows \
         the configuration and parameter tables.",
    );
    d(
        docs,
        "Par",
        "m.par[1]  /  m.par[\"alpha\"]",
        "A parameter (shared handle). Properties: val (get/set, integer or float), frozen \
         (get/set), prior (get/set a prior such as unif(-2, 2), or () for none), label, value \
         (physical value), comment, range ([lo, hi]: frozen → [val, val], bounded prior → its \
         support, else the central 95 % interval). Methods: frozen_at(v) (set val and freeze), \
         range(), to_string().",
    );
    d(
        docs,
        "Cfg",
        "m.cfg[1]  /  m.cfg[\"redshift\"]",
        "A configuration value (never fitted): val (get/set a number, true/false, a string or () \
         of the same type as before; () and numbers may replace each other), label, comment. \
         Setting vfv_peak switches the parametrisation and resets that component's parameters.",
    );
    d(
        docs,
        "ParList",
        "m.par[i]  /  m.par[\"label\"]  /  for p in m.par { }  /  m.par.len",
        "The parameters of a model: index by par# from 1 (integer or numeric string) or by \
         label — exact, plain (alpha, logE_p), without '_' (logEp), or component.label \
         (bb_2.logA) when a label repeats. An unknown label is an error listing the labels. \
         print(m.par) shows the parameter table.",
    );
    d(
        docs,
        "CfgList",
        "m.cfg[i]  /  m.cfg[\"label\"]  /  for c in m.cfg { }  /  m.cfg.len",
        "The configuration entries of a model, indexed like m.par (cfg# from 1, or label).",
    );
    d(
        docs,
        "par",
        "m.par[i]  /  m.par[\"label\"]",
        "The parameters of a model (see ParList and Par).",
    );
    d(
        docs,
        "cfg",
        "m.cfg[i]  /  m.cfg[\"label\"]",
        "The configuration entries of a model (see CfgList and Cfg).",
    );
    for (name, usage, text) in [
        ("val", "p.val  /  p.val = 2.5  /  c.val = 0.5", "The value of a parameter (Par: a number) or configuration entry (Cfg: number, bool, string or ())."),
        ("frozen", "p.frozen  /  p.frozen = true", "Whether a parameter is fixed during inference."),
        ("prior", "p.prior  /  p.prior = unif(-2, 2)  /  p.prior = ()", "The prior of a parameter (() for none)."),
        ("label", "p.label  /  c.label", "The exact label of a parameter or configuration entry (e.g. log$E_p$)."),
        ("value", "p.value", "The physical value of a parameter (val for linear scale, 10^val for log scale)."),
        ("range", "p.range  /  p.range()", "[lo, hi] of a parameter: frozen → [val, val], bounded prior → its support, else the central 95 % interval."),
        ("expr", "m.expr  /  c.expr = \"cpl2\"", "The expression of a model; setting it renames a single component."),
        ("npar", "m.npar", "Number of parameters of a model (ncfg: of configuration entries)."),
        ("ncfg", "m.ncfg", "Number of configuration entries of a model."),
        ("kind", "m.kind", "The kind of a model: add, mul or math."),
        ("components", "m.components", "The names of the components of a model, in par# order."),
    ] {
        d(docs, name, usage, text);
    }
    d(
        docs,
        "frozen_at",
        "m.par[i].frozen_at(v)",
        "Set the parameter's value to v (integer or float) and freeze it.",
    );
    let spec = |what: &str| {
        format!(
            "{what}\nE: a number or an array of energies in keV (integers or floats); T \
             (optional): time in s, a number or an array with one time per energy (needed by \
             time-dependent components). A number E gives a number, an array gives an array of \
             floats."
        )
    };
    d(
        docs,
        "phtspec",
        "m.phtspec(E)  /  m.phtspec(E, T)",
        &spec("Photon spectrum N(E) in photons cm^-2 s^-1 keV^-1 (additive models only)."),
    );
    d(
        docs,
        "flxspec",
        "m.flxspec(E)  /  m.flxspec(E, T)",
        &spec("Energy spectrum Fv = 1.60218e-9·E·N(E) in erg cm^-2 s^-1 keV^-1 (additive only)."),
    );
    d(
        docs,
        "ergspec",
        "m.ergspec(E)  /  m.ergspec(E, T)",
        &spec("νFν spectrum 1.60218e-9·E²·N(E) in erg cm^-2 s^-1 (additive only)."),
    );
    d(
        docs,
        "nouspec",
        "m.nouspec(E)  /  m.nouspec(E, T)",
        &spec("The dimensionless factor of a multiplicative or mathematical model."),
    );
    for (name, what) in [
        ("phtflux", "Photon flux in photons cm^-2 s^-1"),
        ("ergflux", "Energy flux in erg cm^-2 s^-1"),
    ] {
        d(
            docs,
            name,
            &format!(
                "m.{name}(emin, emax)  /  m.{name}(emin, emax, {})",
                keys_usage(FLUX_OPTIONS)
            ),
            &format!(
                "{what} over [emin, emax] keV: trapezoid over ngrid log-spaced energies. \
                 Additive models only."
            ),
        );
        docs.options(name, "Options", FLUX_OPTIONS);
    }
    d(
        docs,
        "save",
        "m.save(dir)",
        "Write dir/model_cfg.json and dir/model_par.json (the configuration and parameter tables).",
    );
    d(
        docs,
        "Component",
        "Component(#{ name: \"mypl\", kind: \"additive\", params: [#{ label: \"alpha\", val: -1.0, prior: unif(-4, 2) }, ...], func: |E, T, p| ... })",
        "A user component, usable in the algebra, in fits and in plots like a built-in one \
         (options below).\n\
         func receives E (array of energies in keV, floats), T (array of times in s, one per \
         energy, or () when no time is given) and p (array of parameter values in declaration \
         order) and returns an array with one value per energy or a single number (used for \
         every energy). Arrays support arithmetic with numbers (E / 100.0, 10.0 ** p[1] * \
         E ** p[0]); help(\"arrays\") has the rules. The function is called once per \
         evaluation through the interpreter, so it is slower than a built-in component; errors \
         it raises become errors of the evaluation. Variables the closure captures are copied \
         when Component() is called (later changes to them are not seen; models it captures \
         stay shared handles). Redshift handling is up to the function.",
    );
    docs.options("Component", "Options", COMPONENT_OPTIONS);
    docs.options("Component", "params keys", PARAM_OPTIONS);
    d(
        docs,
        "algebra",
        "m1 + m2,  m1 - m2,  m1 * m2,  m1 / m2,  2 * m,  m / 3.5",
        "Combine models (usual precedence). Allowed: add±add, mul±mul, add*mul, add/mul, and \
         anything with a math model or a number where it keeps a meaningful kind; rejected \
         combinations (add*add, x/add, add±mul, conv) are errors naming both kinds. A component \
         used twice keeps one set of parameters; a different component with a name already used \
         is shown as name_2, name_3, ….",
    );
}

/// Register the model layer: types, constructors, algebra, evaluation, user components, docs.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    register_docs(docs);
    register_types(engine);
    register_model_properties(engine);
    register_par(engine);
    register_cfg(engine);
    register_algebra(engine);
    register_eval(engine);
    register_constructors(engine, docs);
}
