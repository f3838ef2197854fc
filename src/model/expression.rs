//! `Model`: a handle over an expression tree of components combined with `+ - * /`
//! (models.md 2), with par#/cfg# numbering, lookup, and evaluation of derived spectra.

use std::collections::HashSet;
use std::fmt;
use std::sync::Arc;

use crate::bail;
use crate::error::{Error, Result};
use crate::model::cfg::{Cfg, CfgValue};
use crate::model::compiled::{CompiledModel, Instr};
use crate::model::component::{check_times, find_label, Component, Key};
use crate::model::kind::{result_kind, Kind, Op};
use crate::model::par::{plain_label, Par, LABEL_MATCHES};
use crate::model::table;

/// keV → erg (reference value, models.md 4.3; CODATA differs by 2e−6 relative).
pub const KEV_TO_ERG: f64 = 1.60218e-9;

/// Default number of log-spaced grid points for integrated fluxes.
pub const FLUX_NGRID: usize = 1000;

/// One component occurrence in a model: the shared handle and, when it had to be renamed to
/// avoid a duplicate name, the name used inside this model.
#[derive(Clone)]
struct Slot {
    comp: Component,
    rename: Option<String>,
}

impl Slot {
    fn name(&self) -> String {
        self.rename.clone().unwrap_or_else(|| self.comp.expr())
    }
}

/// The expression tree; leaves index the model's component list.
#[derive(Clone, Debug)]
pub(crate) enum Node {
    Leaf(usize),
    Bin(Op, Box<Node>, Box<Node>),
}

impl Node {
    fn remap(&self, map: &[usize]) -> Node {
        match self {
            Node::Leaf(i) => Node::Leaf(map[*i]),
            Node::Bin(op, l, r) => Node::Bin(*op, Box::new(l.remap(map)), Box::new(r.remap(map))),
        }
    }

    fn expr(&self, names: &[String]) -> String {
        match self {
            Node::Leaf(i) => names[*i].clone(),
            Node::Bin(op, l, r) => format!("({}{}{})", l.expr(names), op.symbol(), r.expr(names)),
        }
    }

    /// Post-order program and the stack depth it needs.
    pub(crate) fn program(&self, prog: &mut Vec<Instr>) -> usize {
        match self {
            Node::Leaf(i) => {
                prog.push(Instr::Eval(*i));
                1
            }
            Node::Bin(op, l, r) => {
                let dl = l.program(prog);
                let dr = r.program(prog);
                prog.push(Instr::Bin(*op));
                dl.max(dr + 1)
            }
        }
    }
}

struct ModelInner {
    slots: Vec<Slot>,
    tree: Node,
    kind: Kind,
}

/// A model: one component or a composite expression. Cloning shares the same model; the
/// components inside are shared handles (changing a parameter of a component changes every
/// model containing it).
#[derive(Clone)]
pub struct Model(Arc<ModelInner>);

/// A numbered parameter of a model (`par#`, 1-based).
#[derive(Clone, Debug)]
pub struct ParEntry {
    /// par# (1-based)
    pub index: usize,
    /// the component's name inside this model (`bb_2`)
    pub component: String,
    /// the shared parameter handle
    pub par: Par,
}

/// A numbered configuration entry of a model (`cfg#`, 1-based).
#[derive(Clone, Debug)]
pub struct CfgEntry {
    /// cfg# (1-based)
    pub index: usize,
    /// the component's name inside this model
    pub component: String,
    /// the shared configuration handle
    pub cfg: Cfg,
}

impl From<Component> for Model {
    fn from(c: Component) -> Self {
        Model::from_component(&c)
    }
}

impl From<&Component> for Model {
    fn from(c: &Component) -> Self {
        Model::from_component(c)
    }
}

impl Model {
    /// A model made of one component (shares the component handle).
    pub fn from_component(c: &Component) -> Model {
        Model(Arc::new(ModelInner {
            slots: vec![Slot {
                comp: c.clone(),
                rename: None,
            }],
            tree: Node::Leaf(0),
            kind: c.kind(),
        }))
    }

    /// A model of one fresh built-in component (`Model::builtin("cpl")`).
    pub fn builtin(name: &str) -> Result<Model> {
        Ok(Model::from_component(&Component::builtin(name)?))
    }

    /// The frozen constant a numeric literal becomes (math, expr `const`, `$C$` = x).
    pub fn constant(x: f64) -> Result<Model> {
        Ok(Model::from_component(&Component::constant(x)?))
    }

    /// `left OP right`. The kind rule is checked now (error naming both kinds). A component
    /// present in both operands (same handle) appears once; a different component whose name is
    /// already used is shown as `name_2`, `name_3`, … in this model (the component object itself
    /// keeps its name). Both cases print a warning.
    pub fn combine(left: &Model, op: Op, right: &Model) -> Result<Model> {
        let kind = result_kind(left.kind(), op, right.kind())?;
        let mut slots = left.0.slots.clone();
        let mut used: HashSet<String> = left.0.slots.iter().map(Slot::name).collect();
        used.extend(right.0.slots.iter().map(Slot::name));
        let mut map = Vec::with_capacity(right.0.slots.len());
        for s in &right.0.slots {
            if let Some(i) = slots.iter().position(|x| x.comp.same(&s.comp)) {
                crate::notice::warn(format!(
                    "the same object ({}) is used multiple times",
                    s.name()
                ));
                map.push(i);
                continue;
            }
            let name = s.name();
            if slots.iter().any(|x| x.name() == name) {
                let mut k = 2;
                let new = loop {
                    let cand = format!("{name}_{k}");
                    if !used.contains(&cand) {
                        break cand;
                    }
                    k += 1;
                };
                crate::notice::warn(format!(
                    "objects with same name ({name}) are used; the second one is named {new}"
                ));
                used.insert(new.clone());
                slots.push(Slot {
                    comp: s.comp.clone(),
                    rename: Some(new),
                });
            } else {
                slots.push(s.clone());
            }
            map.push(slots.len() - 1);
        }
        let tree = Node::Bin(
            op,
            Box::new(left.0.tree.clone()),
            Box::new(right.0.tree.remap(&map)),
        );
        Ok(Model(Arc::new(ModelInner { slots, tree, kind })))
    }

    /// `model OP number` (the number becomes a frozen `const`).
    pub fn combine_num(left: &Model, op: Op, x: f64) -> Result<Model> {
        Model::combine(left, op, &Model::constant(x)?)
    }

    /// `number OP model`, with the reference's operand order: `n + m` → `(m+const)`,
    /// `n * m` → `(m*const)`, `n - m` → `(const-m)`, `n / m` → `(const/m)`.
    pub fn num_combine(x: f64, op: Op, right: &Model) -> Result<Model> {
        let c = Model::constant(x)?;
        match op {
            Op::Add | Op::Mul => Model::combine(right, op, &c),
            Op::Sub | Op::Div => Model::combine(&c, op, right),
        }
    }

    /// Whether two handles refer to the same model object.
    pub fn same(&self, other: &Model) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }

    /// Kind of the whole expression.
    pub fn kind(&self) -> Kind {
        self.0.kind
    }

    fn names(&self) -> Vec<String> {
        self.0.slots.iter().map(Slot::name).collect()
    }

    /// The expression, e.g. `((tbabs*tbabs_2)*(cpl+csbpl))`.
    pub fn expr(&self) -> String {
        self.0.tree.expr(&self.names())
    }

    /// One line per component: `<name>: <comment>`.
    pub fn comment(&self) -> String {
        self.0
            .slots
            .iter()
            .map(|s| format!("{}: {}", s.name(), s.comp.comment()))
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The distinct components in order, with their names inside this model.
    pub fn components(&self) -> Vec<(String, Component)> {
        self.0
            .slots
            .iter()
            .map(|s| (s.name(), s.comp.clone()))
            .collect()
    }

    /// The component with this name inside the model.
    pub fn component(&self, name: &str) -> Result<Component> {
        self.0
            .slots
            .iter()
            .find(|s| s.name() == name)
            .map(|s| s.comp.clone())
            .ok_or_else(|| {
                Error::new(format!(
                    "model {} has no component '{name}' (components: {})",
                    self.expr(),
                    self.names().join(", ")
                ))
            })
    }

    /// Whether any component needs the time T.
    pub fn is_time_dependent(&self) -> bool {
        self.0.slots.iter().any(|s| s.comp.is_time_dependent())
    }

    /// All parameters in par# order (component by component, declaration order).
    pub fn params(&self) -> Vec<ParEntry> {
        let mut v = Vec::new();
        for s in &self.0.slots {
            let name = s.name();
            for p in s.comp.params() {
                v.push(ParEntry {
                    index: v.len() + 1,
                    component: name.clone(),
                    par: p,
                });
            }
        }
        v
    }

    /// All configuration entries in cfg# order.
    pub fn configs(&self) -> Vec<CfgEntry> {
        let mut v = Vec::new();
        for s in &self.0.slots {
            let name = s.name();
            for c in s.comp.configs() {
                v.push(CfgEntry {
                    index: v.len() + 1,
                    component: name.clone(),
                    cfg: c,
                });
            }
        }
        v
    }

    /// Number of parameters.
    pub fn npar(&self) -> usize {
        self.0.slots.iter().map(|s| s.comp.npar()).sum()
    }

    /// Number of configuration entries.
    pub fn ncfg(&self) -> usize {
        self.0.slots.iter().map(|s| s.comp.configs().len()).sum()
    }

    /// A parameter by par# (1-based, also as text) or label: exact label, plain label
    /// (`alpha`, `logE_p`), plain without `_` (`logEp`), or qualified `component.label`
    /// (`bb_2.logA`). An ambiguous label is an error listing the matching par#.
    pub fn par<'a>(&self, key: impl Into<Key<'a>>) -> Result<Par> {
        let entries = self.params();
        let items: Vec<(String, String)> = entries
            .iter()
            .map(|e| (e.component.clone(), e.par.label()))
            .collect();
        let i = lookup(&items, key.into(), &self.expr(), "parameter", "par#")?;
        Ok(entries[i].par.clone())
    }

    /// A configuration entry by cfg# or label (same rules as [`Model::par`]).
    pub fn cfg<'a>(&self, key: impl Into<Key<'a>>) -> Result<Cfg> {
        let entries = self.configs();
        let items: Vec<(String, String)> = entries
            .iter()
            .map(|e| (e.component.clone(), e.cfg.label()))
            .collect();
        let i = lookup(&items, key.into(), &self.expr(), "configuration", "cfg#")?;
        Ok(entries[i].cfg.clone())
    }

    /// Current raw values of all parameters in par# order.
    pub fn par_values(&self) -> Vec<f64> {
        self.params().iter().map(|e| e.par.val()).collect()
    }

    /// Set all parameters in par# order (frozen ones included).
    pub fn set_par_values(&self, vals: &[f64]) -> Result<()> {
        let entries = self.params();
        if vals.len() != entries.len() {
            bail!(
                "model {} has {} parameters, got {} values",
                self.expr(),
                entries.len(),
                vals.len()
            );
        }
        for (e, &v) in entries.iter().zip(vals) {
            e.par.set_val(v);
        }
        Ok(())
    }

    /// Compile into an immutable, lock-free evaluator (configuration values are captured now;
    /// parameter values are passed at call time in par# order).
    pub fn compile(&self) -> Result<CompiledModel> {
        let names = self.names();
        let mut comps = Vec::with_capacity(self.0.slots.len());
        for (s, n) in self.0.slots.iter().zip(&names) {
            comps.push(s.comp.snapshot(n)?);
        }
        let mut prog = Vec::new();
        let depth = self.0.tree.program(&mut prog);
        let pars = self.params().into_iter().map(|e| e.par).collect();
        let cfgs = self.configs().iter().map(|e| e.cfg.val()).collect();
        Ok(CompiledModel::new(
            self.expr(),
            self.kind(),
            comps,
            prog,
            depth,
            pars,
            cfgs,
        ))
    }

    /// Evaluate the expression (any kind) at energies `e` and optional times `t` (one value or
    /// one per energy), by walking the tree (allocating; see [`Model::compile`] for the hot path).
    pub fn eval(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        check_times(e, t)?;
        self.eval_node(&self.0.tree, e, t)
    }

    fn eval_node(&self, node: &Node, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        match node {
            Node::Leaf(i) => {
                let s = &self.0.slots[*i];
                s.comp
                    .eval(e, t)
                    .map_err(|err| err.context(format!("evaluating {}", s.name())))
            }
            Node::Bin(op, l, r) => {
                let mut a = self.eval_node(l, e, t)?;
                let b = self.eval_node(r, e, t)?;
                for (x, y) in a.iter_mut().zip(&b) {
                    *x = op.apply(*x, *y);
                }
                Ok(a)
            }
        }
    }

    fn require_add(&self, what: &str) -> Result<()> {
        if self.kind() != Kind::Add {
            bail!(
                "{what} is invalid for {} type model ({})",
                self.kind(),
                self.expr()
            );
        }
        Ok(())
    }

    /// Photon spectrum N(E) [photons cm⁻² s⁻¹ keV⁻¹] (additive models only).
    pub fn phtspec(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        self.require_add("phtspec")?;
        self.eval(e, t)
    }

    /// Fv = 1.60218e−9·E·N(E) [erg cm⁻² s⁻¹ keV⁻¹] (additive only).
    pub fn flxspec(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        self.require_add("flxspec")?;
        let n = self.eval(e, t)?;
        Ok(n.iter().zip(e).map(|(n, e)| KEV_TO_ERG * e * n).collect())
    }

    /// vFv = 1.60218e−9·E²·N(E) [erg cm⁻² s⁻¹] (additive only).
    pub fn ergspec(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        self.require_add("ergspec")?;
        let n = self.eval(e, t)?;
        Ok(n.iter()
            .zip(e)
            .map(|(n, e)| KEV_TO_ERG * e * e * n)
            .collect())
    }

    /// The dimensionless factor of a mul/math model ("no unit"); an error for additive models.
    pub fn nouspec(&self, e: &[f64], t: Option<&[f64]>) -> Result<Vec<f64>> {
        if self.kind() == Kind::Add || self.kind() == Kind::Conv {
            bail!(
                "nouspec is invalid for {} type model ({})",
                self.kind(),
                self.expr()
            );
        }
        self.eval(e, t)
    }

    /// Photon flux over [emin, emax] keV [photons cm⁻² s⁻¹] with 1000 log-spaced points.
    pub fn phtflux(&self, emin: f64, emax: f64) -> Result<f64> {
        self.phtflux_with(emin, emax, FLUX_NGRID, None)
    }

    /// Energy flux over [emin, emax] keV [erg cm⁻² s⁻¹] with 1000 log-spaced points.
    pub fn ergflux(&self, emin: f64, emax: f64) -> Result<f64> {
        self.ergflux_with(emin, emax, FLUX_NGRID, None)
    }

    /// Photon flux: trapezoid of N over `ngrid` log-spaced energies (models.md 4.4).
    pub fn phtflux_with(&self, emin: f64, emax: f64, ngrid: usize, t: Option<f64>) -> Result<f64> {
        self.require_add("phtflux")?;
        let x = flux_grid(emin, emax, ngrid)?;
        let ts = t.map(|t| [t]);
        let y = self.eval(&x, ts.as_ref().map(|a| &a[..]))?;
        Ok(trapezoid(&x, &y))
    }

    /// Energy flux: trapezoid of Fv over `ngrid` log-spaced energies (models.md 4.4).
    pub fn ergflux_with(&self, emin: f64, emax: f64, ngrid: usize, t: Option<f64>) -> Result<f64> {
        self.require_add("ergflux")?;
        let x = flux_grid(emin, emax, ngrid)?;
        let ts = t.map(|t| [t]);
        let n = self.eval(&x, ts.as_ref().map(|a| &a[..]))?;
        let y: Vec<f64> = n.iter().zip(&x).map(|(n, e)| KEV_TO_ERG * e * n).collect();
        Ok(trapezoid(&x, &y))
    }

    /// Photon flux per response photon bin by the 5-point rule (models.md 4.1); convenience
    /// wrapper around [`CompiledModel::integrate_bins`].
    pub fn integrate_bins(&self, e_lo: &[f64], e_hi: &[f64], t: Option<f64>) -> Result<Vec<f64>> {
        let c = self.compile()?;
        let pars = self.par_values();
        let mut out = vec![0.0; e_lo.len()];
        let mut ws = crate::model::compiled::Workspace::new();
        c.integrate_bins(&pars, e_lo, e_hi, t, &mut out, &mut ws)?;
        Ok(out)
    }

    /// Write `dir/model_cfg.json` and `dir/model_par.json` (models.md 1.6): lists of
    /// `{"cfg#": "1", "Component", "Parameter", "Value"}` and
    /// `{"par#": "1", "Component", "Parameter", "Value", "Prior"}` (Prior = text or `frozen`).
    pub fn save(&self, dir: impl AsRef<std::path::Path>) -> Result<()> {
        use serde_json::{json, Value};
        let dir = dir.as_ref();
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("creating {}: {e}", dir.display())))?;
        let cfg: Vec<Value> = self
            .configs()
            .iter()
            .map(|e| {
                let v = match e.cfg.val() {
                    CfgValue::Num(x) => json!(x),
                    CfgValue::Bool(b) => json!(b),
                    CfgValue::Str(s) => json!(s),
                    CfgValue::Null => Value::Null,
                };
                json!({"cfg#": e.index.to_string(), "Component": e.component, "Parameter": e.cfg.label(), "Value": v})
            })
            .collect();
        let par: Vec<Value> = self
            .params()
            .iter()
            .map(|e| {
                json!({"par#": e.index.to_string(), "Component": e.component, "Parameter": e.par.label(),
                       "Value": e.par.val(), "Prior": e.par.prior_text()})
            })
            .collect();
        for (name, rows) in [("model_cfg.json", cfg), ("model_par.json", par)] {
            let path = dir.join(name);
            let text =
                serde_json::to_string_pretty(&rows).map_err(|e| Error::new(e.to_string()))?;
            crate::fits::write_atomic(&path, text.as_bytes())
                .map_err(|e| Error::new(format!("writing {}: {e}", path.display())))?;
        }
        Ok(())
    }

    /// Parameter table rows: par#, Component, Parameter (plain label), Value, Prior (`frozen`
    /// when frozen).
    pub fn par_rows(&self) -> Vec<[String; 5]> {
        self.params()
            .iter()
            .map(|e| {
                [
                    e.index.to_string(),
                    e.component.clone(),
                    plain_label(&e.par.label()),
                    e.par.val().to_string(),
                    e.par.prior_text(),
                ]
            })
            .collect()
    }

    /// Configuration table rows: cfg#, Component, Parameter, Value.
    pub fn cfg_rows(&self) -> Vec<[String; 4]> {
        self.configs()
            .iter()
            .map(|e| {
                [
                    e.index.to_string(),
                    e.component.clone(),
                    e.cfg.label(),
                    e.cfg.val().to_string(),
                ]
            })
            .collect()
    }
}

/// `ngrid` energies log-spaced from emin to emax inclusive (last exponent exactly log10 emax).
fn flux_grid(emin: f64, emax: f64, ngrid: usize) -> Result<Vec<f64>> {
    if !(emin > 0.0 && emax > emin && emax.is_finite()) {
        bail!("flux range must satisfy 0 < emin < emax (finite), got [{emin}, {emax}] keV");
    }
    if ngrid < 2 {
        bail!("flux grid needs at least 2 points, got {ngrid}");
    }
    let a = emin.log10();
    let b = emax.log10();
    let d = (b - a) / (ngrid - 1) as f64;
    Ok((0..ngrid)
        .map(|i| {
            if i == ngrid - 1 {
                10f64.powf(b)
            } else {
                10f64.powf(i as f64 * d + a)
            }
        })
        .collect())
}

fn trapezoid(x: &[f64], y: &[f64]) -> f64 {
    x.windows(2)
        .zip(y.windows(2))
        .map(|(x, y)| (x[1] - x[0]) * (y[1] + y[0]) / 2.0)
        .sum()
}

/// Find an entry among (component name, label) pairs; see [`Model::par`] for the rules.
fn lookup(
    items: &[(String, String)],
    key: Key,
    owner: &str,
    what: &str,
    hash: &str,
) -> Result<usize> {
    let describe = |i: usize| {
        format!(
            "{hash}{} ({}.{})",
            i + 1,
            items[i].0,
            plain_label(&items[i].1)
        )
    };
    let all = || {
        (0..items.len())
            .map(describe)
            .collect::<Vec<_>>()
            .join(", ")
    };
    let s = match key {
        Key::Index(i) => {
            if i >= 1 && i <= items.len() {
                return Ok(i - 1);
            }
            bail!(
                "model {owner} has no {what} {hash}{i} (it has {}: {})",
                items.len(),
                all()
            );
        }
        Key::Name(s) => s.trim(),
    };
    if let Ok(i) = s.parse::<usize>() {
        return lookup(items, Key::Index(i), owner, what, hash);
    }
    for matches in LABEL_MATCHES {
        let hits: Vec<usize> = (0..items.len())
            .filter(|&i| matches(&items[i].1, s))
            .collect();
        match hits.len() {
            0 => continue,
            1 => return Ok(hits[0]),
            _ => {
                let list = hits
                    .iter()
                    .map(|&i| describe(i))
                    .collect::<Vec<_>>()
                    .join(", ");
                let example = format!("{}.{}", items[hits[1]].0, plain_label(&items[hits[1]].1));
                bail!("{what} '{s}' is ambiguous in model {owner}: {list}; qualify it as component.label, e.g. \"{example}\"");
            }
        }
    }
    if let Some((comp, label)) = s.split_once('.') {
        let in_comp: Vec<usize> = (0..items.len()).filter(|&i| items[i].0 == comp).collect();
        if !in_comp.is_empty() {
            let labels: Vec<String> = in_comp.iter().map(|&i| items[i].1.clone()).collect();
            let j = find_label(&labels, Key::Name(label), comp, what)?;
            return Ok(in_comp[j]);
        }
    }
    bail!("model {owner} has no {what} '{s}' (available: {})", all())
}

impl fmt::Debug for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Model")
            .field("expr", &self.expr())
            .field("kind", &self.kind())
            .finish()
    }
}

impl fmt::Display for Model {
    /// Expression and kind, component comments, configuration table, parameter table.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "Model: {} [{}]", self.expr(), self.kind())?;
        writeln!(f, "{}", self.comment())?;
        let cfg: Vec<Vec<String>> = self.cfg_rows().into_iter().map(|r| r.to_vec()).collect();
        if !cfg.is_empty() {
            writeln!(f, "Configuration:")?;
            writeln!(
                f,
                "{}",
                table::render(&["cfg#", "Component", "Parameter", "Value"], &cfg)
            )?;
        }
        let par: Vec<Vec<String>> = self.par_rows().into_iter().map(|r| r.to_vec()).collect();
        writeln!(f, "Parameters:")?;
        write!(
            f,
            "{}",
            table::render(&["par#", "Component", "Parameter", "Value", "Prior"], &par)
        )
    }
}
