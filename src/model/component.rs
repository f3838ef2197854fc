//! Components: shared handles to one spectral building block (built-in or user-defined) with
//! its name, kind, ordered parameters and configuration values, and its evaluator.

use std::fmt;
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use crate::bail;
use crate::error::{Error, Result};
use crate::model::catalogue::{self, ComponentInfo, ParSpec};
use crate::model::cfg::{Cfg, CfgValue};
use crate::model::kernels::{Grid, Kernel};
use crate::model::kind::Kind;
use crate::model::par::{plain_label, Par, LABEL_MATCHES};
use crate::model::prior::Prior;
use crate::model::table;

/// A user component's function: (energies keV, optional times s (same length), parameter values
/// in declaration order) → one value per energy (or a single value for `math` components).
pub type UserFn = Arc<dyn Fn(&[f64], Option<&[f64]>, &[f64]) -> Result<Vec<f64>> + Send + Sync>;

/// A lookup key for parameters and configuration values: a 1-based index or a label.
#[derive(Clone, Copy, Debug)]
pub enum Key<'a> {
    /// 1-based position (`par#`)
    Index(usize),
    /// exact label, plain label, loose label (plain without `_`), an index as text, or
    /// (in composites) `component.label`
    Name(&'a str),
}

impl From<usize> for Key<'_> {
    fn from(i: usize) -> Self {
        Key::Index(i)
    }
}

impl<'a> From<&'a str> for Key<'a> {
    fn from(s: &'a str) -> Self {
        Key::Name(s)
    }
}

impl<'a> From<&'a String> for Key<'a> {
    fn from(s: &'a String) -> Self {
        Key::Name(s.as_str())
    }
}

/// How a component is evaluated.
#[derive(Clone)]
pub(crate) enum Evaluator {
    Builtin(&'static ComponentInfo),
    User(UserFn),
}

pub(crate) struct ComponentData {
    type_name: String,
    expr: String,
    kind: Kind,
    comment: String,
    params: Vec<Par>,
    configs: Vec<Cfg>,
    evaluator: Evaluator,
    time_dependent: bool,
    /// the `vfv_peak` value the current parameter set was built for (None: no switch)
    peak_mode: Option<bool>,
}

/// A shared component handle: clones refer to the same component (same parameters).
#[derive(Clone)]
pub struct Component(Arc<RwLock<ComponentData>>);

fn pars_from_specs(specs: &[ParSpec]) -> Vec<Par> {
    specs
        .iter()
        .map(|s| Par::new(s.label, s.default, Prior::unif(s.prior.0, s.prior.1).ok()))
        .collect()
}

/// Check a component name: non-empty, no whitespace and none of `( ) + - * / . ,`.
pub(crate) fn check_name(name: &str) -> Result<()> {
    if name.is_empty() {
        bail!("component name must not be empty");
    }
    if let Some(c) = name
        .chars()
        .find(|c| c.is_whitespace() || "()+-*/.,".contains(*c))
    {
        bail!("component name '{name}' must not contain '{c}' (no spaces or ( ) + - * / . ,)");
    }
    Ok(())
}

impl Component {
    /// A built-in component by catalogue name, with default parameters, priors and configs.
    /// Unknown names and unavailable components (zxhsync, katu) are errors.
    pub fn builtin(name: &str) -> Result<Component> {
        let info = catalogue::lookup(name)?;
        if let Some(why) = info.unavailable {
            bail!("component '{name}' is unavailable: {why}");
        }
        let configs = info
            .configs
            .iter()
            .map(|c| Cfg::new(c.label, c.default.value()))
            .collect();
        let peak_mode = info.has_vfv_peak().then_some(true);
        Ok(Component::from_data(ComponentData {
            type_name: info.name.to_string(),
            expr: info.name.to_string(),
            kind: info.kind,
            comment: info.comment.to_string(),
            params: pars_from_specs(info.params),
            configs,
            evaluator: Evaluator::Builtin(info),
            time_dependent: info.time_dependent,
            peak_mode,
        }))
    }

    /// The internal constant made from a numeric literal: expr `const`, kind math, one frozen
    /// parameter `$C$` = x without prior. x must be finite.
    pub fn constant(x: f64) -> Result<Component> {
        if !x.is_finite() {
            bail!("a numeric literal in a model expression must be finite, got {x}");
        }
        let info = catalogue::lookup("const")?;
        Ok(Component::from_data(ComponentData {
            type_name: "const".to_string(),
            expr: "const".to_string(),
            kind: Kind::Math,
            comment: "constant".to_string(),
            params: vec![Par::fixed("$C$", x)],
            configs: Vec::new(),
            evaluator: Evaluator::Builtin(info),
            time_dependent: false,
            peak_mode: None,
        }))
    }

    /// A user component: name (also its expr), kind (add, mul or math), ordered parameters,
    /// optional configuration entries (shown in tables; the function does not receive them),
    /// and the function evaluated on the whole energy vector at once.
    pub fn user(
        name: &str,
        kind: Kind,
        params: Vec<Par>,
        configs: Vec<Cfg>,
        func: UserFn,
    ) -> Result<Component> {
        check_name(name).map_err(|e| e.context("user component"))?;
        if kind == Kind::Conv {
            bail!("user component '{name}': kind conv is not supported (use additive, multiplicative or mathematical)");
        }
        let mut seen: Vec<String> = Vec::new();
        for p in &params {
            let l = p.label();
            if l.is_empty() {
                bail!("user component '{name}': a parameter label is empty");
            }
            if seen.contains(&l) {
                bail!("user component '{name}': duplicate parameter label '{l}'");
            }
            seen.push(l);
        }
        let mut seen_cfg: Vec<String> = Vec::new();
        for c in &configs {
            let l = c.label();
            if seen_cfg.contains(&l) {
                bail!("user component '{name}': duplicate configuration label '{l}'");
            }
            seen_cfg.push(l);
        }
        Ok(Component::from_data(ComponentData {
            type_name: name.to_string(),
            expr: name.to_string(),
            kind,
            comment: format!("user component {name}"),
            params,
            configs,
            evaluator: Evaluator::User(func),
            time_dependent: false,
            peak_mode: None,
        }))
    }

    fn from_data(d: ComponentData) -> Component {
        Component(Arc::new(RwLock::new(d)))
    }

    fn read(&self) -> RwLockReadGuard<'_, ComponentData> {
        self.0.read().unwrap_or_else(|e| e.into_inner())
    }

    fn write(&self) -> RwLockWriteGuard<'_, ComponentData> {
        self.0.write().unwrap_or_else(|e| e.into_inner())
    }

    /// Rebuild the parameter set if `vfv_peak` changed since it was built (models.md 1.4: new
    /// parameters with default values and priors, not frozen; a warning is printed).
    pub(crate) fn sync(&self) {
        let want = {
            let d = self.read();
            match (&d.evaluator, d.peak_mode) {
                (Evaluator::Builtin(_), Some(built)) => d
                    .configs
                    .iter()
                    .find(|c| c.label() == "vfv_peak")
                    .and_then(|c| c.val().as_bool())
                    .filter(|&b| b != built),
                _ => None,
            }
        };
        if let Some(peak) = want {
            let mut d = self.write();
            if d.peak_mode != Some(peak) {
                if let Evaluator::Builtin(info) = d.evaluator {
                    let specs = if peak { info.params } else { info.params_alt };
                    d.params = pars_from_specs(specs);
                    d.peak_mode = Some(peak);
                    crate::notice::warn(format!("{}: vfv_peak set to {}; its parameters were reset to the defaults of that parametrisation",
                        d.expr, peak));
                }
            }
        }
    }

    /// Catalogue (type) name: `cpl`, or the user component's name.
    pub fn type_name(&self) -> String {
        self.read().type_name.clone()
    }

    /// The component's own display name (`expr`), default the catalogue name.
    pub fn expr(&self) -> String {
        self.read().expr.clone()
    }

    /// Rename the component (e.g. `ztbabs`). Composites built earlier keep the names they were
    /// built with when they had to rename a duplicate; otherwise they show the new name.
    pub fn set_expr(&self, name: &str) -> Result<()> {
        check_name(name)?;
        self.write().expr = name.to_string();
        Ok(())
    }

    /// Kind.
    pub fn kind(&self) -> Kind {
        self.read().kind
    }

    /// One-line description.
    pub fn comment(&self) -> String {
        self.read().comment.clone()
    }

    /// Replace the description.
    pub fn set_comment(&self, c: &str) {
        self.write().comment = c.to_string();
    }

    /// Whether evaluation needs the time T.
    pub fn is_time_dependent(&self) -> bool {
        self.read().time_dependent
    }

    /// Whether this is a user component.
    pub fn is_user(&self) -> bool {
        matches!(self.read().evaluator, Evaluator::User(_))
    }

    /// The catalogue entry of a built-in component.
    pub fn info(&self) -> Option<&'static ComponentInfo> {
        match self.read().evaluator {
            Evaluator::Builtin(i) => Some(i),
            Evaluator::User(_) => None,
        }
    }

    /// Parameter handles in declaration order (after a pending `vfv_peak` rebuild).
    pub fn params(&self) -> Vec<Par> {
        self.sync();
        self.read().params.clone()
    }

    /// Configuration handles in declaration order.
    pub fn configs(&self) -> Vec<Cfg> {
        self.read().configs.clone()
    }

    /// Number of parameters.
    pub fn npar(&self) -> usize {
        self.sync();
        self.read().params.len()
    }

    /// A parameter by 1-based index or label (exact, plain, or plain without `_`).
    pub fn par<'a>(&self, key: impl Into<Key<'a>>) -> Result<Par> {
        let params = self.params();
        let labels: Vec<String> = params.iter().map(Par::label).collect();
        let i = find_label(&labels, key.into(), &self.expr(), "parameter")?;
        Ok(params[i].clone())
    }

    /// A configuration entry by 1-based index or label.
    pub fn cfg<'a>(&self, key: impl Into<Key<'a>>) -> Result<Cfg> {
        let cfgs = self.configs();
        let labels: Vec<String> = cfgs.iter().map(Cfg::label).collect();
        let i = find_label(&labels, key.into(), &self.expr(), "configuration")?;
        Ok(cfgs[i].clone())
    }

    /// Whether two handles refer to the same component.
    pub fn same(&self, other: &Component) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Current parameter values in declaration order.
    pub fn par_values(&self) -> Vec<f64> {
        self.params().iter().map(Par::val).collect()
    }

    /// An immutable evaluation snapshot (configuration values converted now).
    pub(crate) fn snapshot(&self, display_name: &str) -> Result<Snapshot> {
        self.sync();
        let d = self.read();
        let (eval, cfg) = match &d.evaluator {
            Evaluator::Builtin(info) => {
                let kernel = info.kernel.ok_or_else(|| {
                    Error::new(format!("component '{}' has no evaluator", info.name))
                })?;
                let vals: Vec<CfgValue> = d.configs.iter().map(Cfg::val).collect();
                let cfg = (kernel.prepare)(&vals)
                    .map_err(|e| e.context(format!("component {}", d.expr)))?;
                (SnapEval::Kernel(kernel), cfg)
            }
            Evaluator::User(f) => (SnapEval::User(f.clone()), Vec::new()),
        };
        Ok(Snapshot {
            name: display_name.to_string(),
            kind: d.kind,
            eval,
            cfg,
            npar: d.params.len(),
            time_dependent: d.time_dependent,
        })
    }

    /// Evaluate at energies `e` (keV) and optional times `t` (length 1 or `e.len()`): N(E) for
    /// additive, the factor for multiplicative, the value (broadcast) for math components.
    pub fn eval(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        let snap = self.snapshot(&self.expr())?;
        let pars = self.par_values();
        check_times(e, t)?;
        let ln_e: Vec<f64> = e.iter().map(|x| x.ln()).collect();
        let grid = Grid { e, ln_e: &ln_e, t };
        let mut aux = vec![0.0; e.len()];
        snap.fill_aux(&grid, &mut aux)?;
        let mut out = vec![0.0; e.len()];
        let mut tbuf = Vec::new();
        snap.run(&grid, &pars, &aux, &mut tbuf, &mut out)?;
        Ok(out)
    }

    /// The local photon index d lnN / d lnE of the Kaneko family (sbpl, csbpl, dsbpl, tsbpl).
    pub fn slope_func(&self, e: &[f64]) -> Result<Vec<f64>> {
        let Some(info) = self.info() else {
            bail!("slope_func is only available for {}", with_slope());
        };
        let Some(slope) = info.slope else {
            bail!(
                "slope_func is only available for {}, not {}",
                with_slope(),
                info.name
            );
        };
        let snap = self.snapshot(&self.expr())?;
        let pars = self.par_values();
        let ln_e: Vec<f64> = e.iter().map(|x| x.ln()).collect();
        let grid = Grid {
            e,
            ln_e: &ln_e,
            t: None,
        };
        let mut out = vec![0.0; e.len()];
        slope(&grid, &pars, &snap.cfg, &mut out);
        Ok(out)
    }
}

/// The catalogue components that have a slope function, as `a, b and c`.
fn with_slope() -> String {
    let names: Vec<&str> = catalogue::catalogue()
        .iter()
        .filter(|c| c.slope.is_some())
        .map(|c| c.name)
        .collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        Some((last, _)) => last.to_string(),
        None => "no component".to_string(),
    }
}

/// Times must be absent, one value, or one per energy.
pub(crate) fn check_times(e: &[f64], t: Option<&[f64]>) -> Result<()> {
    if let Some(t) = t {
        if t.len() != 1 && t.len() != e.len() {
            bail!(
                "times T must be a single value or one per energy: got {} times for {} energies",
                t.len(),
                e.len()
            );
        }
    }
    Ok(())
}

/// Find a label among `labels` by key; the error lists the labels.
pub(crate) fn find_label(labels: &[String], key: Key, owner: &str, what: &str) -> Result<usize> {
    let list = || {
        labels
            .iter()
            .enumerate()
            .map(|(i, l)| format!("{}: {} ({})", i + 1, l, plain_label(l)))
            .collect::<Vec<_>>()
            .join(", ")
    };
    match key {
        Key::Index(i) => {
            if i >= 1 && i <= labels.len() {
                Ok(i - 1)
            } else {
                bail!(
                    "{owner} has no {what} #{i} (it has {}: {})",
                    labels.len(),
                    list()
                )
            }
        }
        Key::Name(s) => {
            if let Ok(i) = s.trim().parse::<usize>() {
                return find_label(labels, Key::Index(i), owner, what);
            }
            for matches in LABEL_MATCHES {
                if let Some(i) = labels.iter().position(|l| matches(l, s)) {
                    return Ok(i);
                }
            }
            bail!("{owner} has no {what} '{s}' (available: {})", list())
        }
    }
}

/// How a snapshot evaluates.
#[derive(Clone)]
pub(crate) enum SnapEval {
    Kernel(Kernel),
    User(UserFn),
}

/// Immutable evaluation data of one component occurrence (no locks).
#[derive(Clone)]
pub(crate) struct Snapshot {
    pub name: String,
    pub kind: Kind,
    pub eval: SnapEval,
    pub cfg: Vec<f64>,
    pub npar: usize,
    pub time_dependent: bool,
}

impl Snapshot {
    /// Whether this component caches grid-dependent data.
    pub fn has_aux(&self) -> bool {
        matches!(&self.eval, SnapEval::Kernel(k) if k.aux.is_some())
    }

    /// Fill the grid-dependent cache (cross sections, extinction curve).
    pub fn fill_aux(&self, g: &Grid, aux: &mut [f64]) -> Result<()> {
        if let SnapEval::Kernel(Kernel { aux: Some(f), .. }) = &self.eval {
            f(g, &self.cfg, aux).map_err(|e| e.context(format!("component {}", self.name)))?;
        }
        Ok(())
    }

    /// Evaluate into `out` (same length as the grid). `tbuf` is scratch for user functions.
    pub fn run(
        &self,
        g: &Grid,
        p: &[f64],
        aux: &[f64],
        tbuf: &mut Vec<f64>,
        out: &mut [f64],
    ) -> Result<()> {
        if self.time_dependent && g.t.is_none() {
            bail!(
                "{} is time-dependent: a time T (seconds) is required (set the data unit's time)",
                self.name
            );
        }
        match &self.eval {
            SnapEval::Kernel(k) => {
                (k.eval)(g, p, &self.cfg, aux, out);
                Ok(())
            }
            SnapEval::User(f) => {
                let t = match g.t {
                    Some(t) if t.len() == g.len() => Some(t),
                    Some(t) => {
                        tbuf.clear();
                        tbuf.resize(g.len(), t[0]);
                        Some(&tbuf[..])
                    }
                    None => None,
                };
                let v =
                    f(g.e, t, p).map_err(|e| e.context(format!("user component {}", self.name)))?;
                if v.len() == out.len() {
                    out.copy_from_slice(&v);
                } else if v.len() == 1 && self.kind == Kind::Math {
                    out.fill(v[0]);
                } else {
                    bail!(
                        "user component {} returned {} values for {} energies",
                        self.name,
                        v.len(),
                        out.len()
                    );
                }
                Ok(())
            }
        }
    }
}

impl fmt::Debug for Component {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let d = self.read();
        f.debug_struct("Component")
            .field("expr", &d.expr)
            .field("type", &d.type_name)
            .field("kind", &d.kind)
            .field("params", &d.params)
            .field("configs", &d.configs)
            .finish()
    }
}

impl fmt::Display for Component {
    /// `expr [kind]`, the comment, a configuration table and a parameter table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expr = self.expr();
        writeln!(f, "{} [{}]", expr, self.kind())?;
        writeln!(f, "{}", self.comment())?;
        let cfgs = self.configs();
        if !cfgs.is_empty() {
            let rows: Vec<Vec<String>> = cfgs
                .iter()
                .enumerate()
                .map(|(i, c)| {
                    vec![
                        (i + 1).to_string(),
                        expr.clone(),
                        c.label(),
                        c.val().to_string(),
                    ]
                })
                .collect();
            writeln!(
                f,
                "{}",
                table::render(&["cfg#", "Component", "Parameter", "Value"], &rows)
            )?;
        }
        let rows: Vec<Vec<String>> = self
            .params()
            .iter()
            .enumerate()
            .map(|(i, p)| {
                vec![
                    (i + 1).to_string(),
                    expr.clone(),
                    crate::model::par::plain_label(&p.label()),
                    p.val().to_string(),
                    p.prior_text(),
                ]
            })
            .collect();
        write!(
            f,
            "{}",
            table::render(&["par#", "Component", "Parameter", "Value", "Prior"], &rows)
        )
    }
}
