//! `Infer`: pairs of data and models, parameter numbering, links, free parameters,
//! evaluation at the current values, tables and `save` (inference.md §2, §4).

use super::groups::{free_groups, FreeGroup, Groups};
use super::overrides::Overrides;
use super::pair::{Pair, UnitEval};
use super::plan::{GridPlan, PairPlan, Plan, Slot, UnitPlan};
use crate::error::{Error, Result};
use crate::model::{Cfg, Par, Prior};

/// What the inference is for (printed as its type name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InferKind {
    /// Plain `Infer`.
    Plain,
    /// `BayesInfer` (samplers).
    Bayes,
    /// `MaxLikeFit` (minimisers).
    MaxLike,
}

impl InferKind {
    /// The printed type name.
    pub fn title(self) -> &'static str {
        match self {
            InferKind::Plain => "Inference",
            InferKind::Bayes => "Bayesian Inference",
            InferKind::MaxLike => "Maximum Likelihood Estimation",
        }
    }
}

/// Row class of a parameter: from a model or from a data container.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RowClass {
    /// A model parameter.
    Model,
    /// A data-unit nuisance parameter.
    Data,
}

impl RowClass {
    /// `model` / `data`.
    pub fn name(self) -> &'static str {
        match self {
            RowClass::Model => "model",
            RowClass::Data => "data",
        }
    }
}

/// One row of the parameter table (par# = index + 1).
#[derive(Clone)]
pub struct ParRow {
    /// Model or data.
    pub class: RowClass,
    /// Model expression or data container name.
    pub expression: String,
    /// Component name or unit name.
    pub component: String,
    /// Parameter label (LaTeX-like).
    pub label: String,
    /// The parameter handle.
    pub par: Par,
}

/// One row of the configuration table (cfg# = index + 1).
#[derive(Clone)]
pub struct CfgRow {
    /// Model expression.
    pub expression: String,
    /// Component name.
    pub component: String,
    /// Label.
    pub label: String,
    /// The configuration handle.
    pub cfg: Cfg,
}

/// Statistics of one unit at the current parameter values.
#[derive(Debug, Clone, PartialEq)]
pub struct StatRow {
    /// Unit name.
    pub data: String,
    /// Model expression.
    pub model: String,
    /// Statistic name.
    pub statistic: String,
    /// Unweighted unit statistic.
    pub value: f64,
    /// Number of fit bins.
    pub bins: usize,
    /// Likelihood weight.
    pub weight: f64,
}

/// An inference over (data, model) pairs.
#[derive(Clone)]
pub struct Infer {
    kind: InferKind,
    pairs: Vec<Pair>,
    data_names: Vec<Option<String>>,
    links: Vec<(Par, Par)>,
    overrides: Overrides,
}

impl Infer {
    /// An inference over `pairs`.
    pub fn new(kind: InferKind, pairs: Vec<Pair>) -> Result<Infer> {
        if pairs.is_empty() {
            return Err(Error::new(
                "an inference needs at least one (data, model) pair",
            ));
        }
        let n = pairs.len();
        Ok(Infer {
            kind,
            pairs,
            data_names: vec![None; n],
            links: Vec::new(),
            overrides: Overrides::default(),
        })
    }

    /// The user overrides (inference.md §4.3).
    pub fn overrides(&self) -> &Overrides {
        &self.overrides
    }

    /// Set or clear the user overrides; the next `compile` uses them.
    pub fn set_overrides(&mut self, overrides: Overrides) {
        self.overrides = overrides;
    }

    /// The kind (plain, Bayesian, maximum likelihood).
    pub fn kind(&self) -> InferKind {
        self.kind
    }

    /// Change the kind (e.g. reuse pairs for a maximum-likelihood fit).
    pub fn with_kind(mut self, kind: InferKind) -> Infer {
        self.kind = kind;
        self
    }

    /// Add one pair.
    pub fn append(&mut self, pair: Pair) {
        self.pairs.push(pair);
        self.data_names.push(None);
    }

    /// The pairs.
    pub fn pairs(&self) -> &[Pair] {
        &self.pairs
    }

    /// Name a pair's data container (default `data`, or `data1`, `data2`, … for several pairs).
    pub fn set_data_name(&mut self, pair: usize, name: &str) -> Result<()> {
        let slot = self
            .data_names
            .get_mut(pair)
            .ok_or_else(|| Error::new(format!("no pair {}", pair + 1)))?;
        *slot = Some(name.to_string());
        Ok(())
    }

    /// The name of pair `i`'s data container.
    pub fn data_name(&self, i: usize) -> String {
        match &self.data_names[i] {
            Some(n) => n.clone(),
            None if self.pairs.len() == 1 => "data".to_string(),
            None => format!("data{}", i + 1),
        }
    }

    /// Every parameter row in par# order: all models (pair order), then all data units.
    pub fn rows(&self) -> Vec<ParRow> {
        let mut rows = Vec::new();
        for p in &self.pairs {
            let expr = p.model.expr();
            for e in p.model.params() {
                rows.push(ParRow {
                    class: RowClass::Model,
                    expression: expr.clone(),
                    component: e.component.clone(),
                    label: e.par.label(),
                    par: e.par,
                });
            }
        }
        for (i, p) in self.pairs.iter().enumerate() {
            let dname = self.data_name(i);
            for (unit, uname) in p.data.iter().zip(p.data.names()) {
                for (label, par) in unit.nuisance_pars() {
                    rows.push(ParRow {
                        class: RowClass::Data,
                        expression: dname.clone(),
                        component: uname.clone(),
                        label: label.to_string(),
                        par,
                    });
                }
            }
        }
        rows
    }

    /// Every configuration row in cfg# order.
    pub fn cfg_rows(&self) -> Vec<CfgRow> {
        let mut rows = Vec::new();
        for p in &self.pairs {
            let expr = p.model.expr();
            for e in p.model.configs() {
                rows.push(CfgRow {
                    expression: expr.clone(),
                    component: e.component.clone(),
                    label: e.cfg.label(),
                    cfg: e.cfg,
                });
            }
        }
        rows
    }

    /// The parameter with 1-based number `n`.
    pub fn par(&self, n: usize) -> Result<Par> {
        let rows = self.rows();
        if n == 0 || n > rows.len() {
            return Err(Error::new(format!(
                "no parameter par#{n}: the inference has par#1 … par#{}",
                rows.len()
            )));
        }
        Ok(rows[n - 1].par.clone())
    }

    /// The par# of the parameter a script names by label: `alpha`, `logEp` / `logE_p`, the
    /// exact label, or `component.label` (`cpl.alpha`, `nai.sf`). Rows holding the same
    /// parameter object count once. An unknown or ambiguous name is an error listing the
    /// candidates with their par#.
    pub fn par_number(&self, key: &str) -> Result<usize> {
        let rows = self.rows();
        let key = key.trim();
        let (owner, label) = match key.split_once('.') {
            Some((o, l)) if !o.is_empty() && !l.is_empty() => (Some(o), l),
            _ => (None, key),
        };
        let owner_ok = |r: &ParRow| owner.is_none_or(|o| r.component == o);
        for matches in crate::model::par::LABEL_MATCHES {
            let mut hits: Vec<usize> = Vec::new();
            for (i, r) in rows.iter().enumerate() {
                if owner_ok(r)
                    && matches(&r.label, label)
                    && !hits.iter().any(|&h| rows[h].par.same(&r.par))
                {
                    hits.push(i);
                }
            }
            match hits.len() {
                0 => continue,
                1 => return Ok(hits[0] + 1),
                _ => {
                    let list: Vec<String> = hits
                        .iter()
                        .map(|&i| {
                            format!(
                                "par#{} ({} {})",
                                i + 1,
                                rows[i].component,
                                clean_label(&rows[i].label)
                            )
                        })
                        .collect();
                    return Err(Error::new(format!(
                        "parameter '{key}' is ambiguous: {}; use its par# or component.label",
                        list.join(", ")
                    )));
                }
            }
        }
        let mut names: Vec<String> = rows
            .iter()
            .enumerate()
            .map(|(i, r)| format!("par#{} {}", i + 1, clean_label(&r.label)))
            .collect();
        names.dedup();
        Err(Error::new(format!(
            "no parameter '{key}' in the inference (it has {})",
            names.join(", ")
        )))
    }

    /// The configuration value with 1-based number `n`.
    pub fn cfg(&self, n: usize) -> Result<Cfg> {
        let rows = self.cfg_rows();
        if n == 0 || n > rows.len() {
            return Err(Error::new(format!(
                "no configuration cfg#{n}: the inference has cfg#1 … cfg#{}",
                rows.len()
            )));
        }
        Ok(rows[n - 1].cfg.clone())
    }

    /// Link groups over rows: identical objects and linked pairs are joined.
    pub fn groups(&self, rows: &[ParRow]) -> Groups {
        let mut g = Groups::new(rows.len());
        for i in 0..rows.len() {
            for j in i + 1..rows.len() {
                if rows[i].par.same(&rows[j].par) {
                    g.join(i, j);
                }
            }
        }
        for (a, b) in &self.links {
            let ia = rows.iter().position(|r| r.par.same(a));
            let ib = rows.iter().position(|r| r.par.same(b));
            if let (Some(ia), Some(ib)) = (ia, ib) {
                g.join(ia, ib);
            }
        }
        g
    }

    /// Make every link group consistent before it is used, so that the compiled likelihood
    /// and the object path (`stat`, tables, plots) see the same values: a group with a frozen
    /// member takes that member's value (frozen members must agree), a free group its first
    /// member's value. A free group whose members carry different priors is an error: the
    /// group samples with its first member's prior, and a prior set on another member after
    /// linking would be silently ignored.
    fn settle_links(&self, rows: &[ParRow]) -> Result<()> {
        for members in self.groups(rows).members() {
            if members.len() < 2 {
                continue;
            }
            let first = members[0];
            let frozen: Vec<usize> = members
                .iter()
                .copied()
                .filter(|&r| rows[r].par.frozen())
                .collect();
            let value = match frozen.first() {
                Some(&f) => {
                    let v = rows[f].par.val();
                    if let Some(&g) = frozen.iter().find(|&&g| rows[g].par.val() != v) {
                        return Err(Error::new(format!(
                            "linked parameters par#{} and par#{} are frozen at different values \
                             ({v} and {}); freeze the group at one value",
                            f + 1,
                            g + 1,
                            rows[g].par.val()
                        )));
                    }
                    v
                }
                None => {
                    let p0 = rows[first].par.prior();
                    for &r in &members[1..] {
                        let pr = rows[r].par.prior();
                        if !rows[r].par.same(&rows[first].par) && pr != p0 {
                            let text = |p: &Option<crate::model::prior::Prior>| {
                                p.as_ref().map_or("none".to_string(), |p| p.to_string())
                            };
                            return Err(Error::new(format!(
                                "par#{} is linked to par#{} but has another prior ({} against \
                                 {}); a linked group samples with its first member's prior: set \
                                 the prior on par#{} (or the same one on every member)",
                                r + 1,
                                first + 1,
                                text(&pr),
                                text(&p0),
                                first + 1
                            )));
                        }
                    }
                    rows[first].par.val()
                }
            };
            for &r in &members {
                if rows[r].par.val() != value {
                    rows[r].par.set_val(value);
                }
            }
        }
        Ok(())
    }

    /// The free groups (free-parameter order) over `rows`.
    pub fn free_groups(&self, rows: &[ParRow]) -> Vec<FreeGroup> {
        let frozen: Vec<bool> = rows.iter().map(|r| r.par.frozen()).collect();
        free_groups(&self.groups(rows), &frozen)
    }

    /// Link parameters by 1-based par# (the first one's value and prior win).
    pub fn link(&mut self, numbers: &[usize]) -> Result<()> {
        let rows = self.rows();
        let pars = self.lookup(&rows, numbers)?;
        for w in numbers.windows(2) {
            if w[0] == w[1] {
                return Err(Error::new(format!("cannot link par#{} to itself", w[0])));
            }
        }
        let first = &pars[0];
        for p in &pars[1..] {
            if p.same(first) {
                continue;
            }
            p.set_val(first.val());
            p.set_prior(first.prior());
            if !self
                .links
                .iter()
                .any(|(a, b)| (a.same(first) && b.same(p)) || (a.same(p) && b.same(first)))
            {
                self.links.push((first.clone(), p.clone()));
            }
        }
        Ok(())
    }

    /// Remove the links between the listed parameters (values are kept).
    pub fn unlink(&mut self, numbers: &[usize]) -> Result<()> {
        let rows = self.rows();
        let pars = self.lookup(&rows, numbers)?;
        self.links.retain(|(a, b)| {
            let ina = pars.iter().any(|p| p.same(a));
            let inb = pars.iter().any(|p| p.same(b));
            !(ina && inb)
        });
        Ok(())
    }

    fn lookup(&self, rows: &[ParRow], numbers: &[usize]) -> Result<Vec<Par>> {
        if numbers.len() < 2 {
            return Err(Error::new("link/unlink need at least two par# numbers"));
        }
        numbers
            .iter()
            .map(|&n| {
                if n == 0 || n > rows.len() {
                    Err(Error::new(format!(
                        "no parameter par#{n}: the inference has par#1 … par#{}",
                        rows.len()
                    )))
                } else {
                    Ok(rows[n - 1].par.clone())
                }
            })
            .collect()
    }

    /// The free parameters (the lowest row of each free group), in free order.
    pub fn free_pars(&self) -> Vec<Par> {
        let rows = self.rows();
        self.free_groups(&rows)
            .iter()
            .map(|g| rows[g.rows[0]].par.clone())
            .collect()
    }

    /// par# (1-based) of each free parameter's slot.
    pub fn free_numbers(&self) -> Vec<usize> {
        let rows = self.rows();
        self.free_groups(&rows)
            .iter()
            .map(|g| g.rows[0] + 1)
            .collect()
    }

    /// Number of free parameters D.
    pub fn free_nparams(&self) -> usize {
        self.free_pars().len()
    }

    /// Labels of the free parameters.
    pub fn free_plabels(&self) -> Vec<String> {
        self.free_pars().iter().map(|p| p.label()).collect()
    }

    /// Labels without `$ { } \` (`alpha`, `logE_p`, `logA`).
    pub fn clean_free_plabels(&self) -> Vec<String> {
        self.free_plabels().iter().map(|l| clean_label(l)).collect()
    }

    /// `p{par#}({clean label})`, e.g. `p1(alpha)`.
    pub fn clean_free_indexed_plabels(&self) -> Vec<String> {
        self.free_numbers()
            .iter()
            .zip(self.clean_free_plabels())
            .map(|(n, l)| format!("p{n}({l})"))
            .collect()
    }

    /// Current values of the free parameters.
    pub fn free_pvalues(&self) -> Vec<f64> {
        self.free_pars().iter().map(|p| p.val()).collect()
    }

    /// Ranges of the free parameters (inference.md §2.3).
    pub fn free_pranges(&self) -> Result<Vec<(f64, f64)>> {
        self.free_pars().iter().map(|p| p.range()).collect()
    }

    /// Priors of the free parameters; a free parameter without prior is an error.
    pub fn free_priors(&self) -> Result<Vec<Prior>> {
        let rows = self.rows();
        self.free_groups(&rows)
            .iter()
            .map(|g| {
                let r = &rows[g.rows[0]];
                r.par.prior().ok_or_else(|| {
                    Error::new(format!(
                        "parameter par#{} ({} of {}) is free but has no prior",
                        g.rows[0] + 1,
                        r.label,
                        r.component
                    ))
                })
            })
            .collect()
    }

    /// Write θ (free order) into every member of each free group.
    pub fn set_free_values(&self, theta: &[f64]) -> Result<()> {
        let rows = self.rows();
        let groups = self.free_groups(&rows);
        if theta.len() != groups.len() {
            return Err(Error::new(format!(
                "expected {} free parameter values, got {}",
                groups.len(),
                theta.len()
            )));
        }
        for (g, &x) in groups.iter().zip(theta) {
            for &r in &g.rows {
                rows[r].par.set_val(x);
            }
        }
        Ok(())
    }

    /// Per-unit evaluation at the current values (object path).
    pub fn evaluate(&self) -> Result<Vec<(usize, UnitEval)>> {
        self.settle_links(&self.rows())?;
        let mut out = Vec::new();
        for (i, p) in self.pairs.iter().enumerate() {
            for u in p.evaluate()? {
                out.push((i, u));
            }
        }
        Ok(out)
    }

    /// Statistics table rows at the current values; with a user log-likelihood a single
    /// `custom` row holding −2·loglike.
    pub fn stat_rows(&self) -> Result<Vec<StatRow>> {
        if let Some(f) = &self.overrides.loglike {
            let ll = f(&self.free_pvalues())?.total();
            return Ok(vec![StatRow {
                data: "custom".into(),
                model: "custom".into(),
                statistic: "custom".into(),
                value: -2.0 * ll,
                bins: self.npoint(),
                weight: 1.0,
            }]);
        }
        Ok(self
            .evaluate()?
            .into_iter()
            .map(|(i, u)| StatRow {
                data: u.name,
                model: self.pairs[i].model.expr(),
                statistic: u.stat_name,
                value: u.stat,
                bins: u.npoint,
                weight: u.weight,
            })
            .collect())
    }

    /// Weighted total statistic at the current values.
    pub fn stat(&self) -> Result<f64> {
        Ok(self.stat_rows()?.iter().map(|r| r.weight * r.value).sum())
    }

    /// `−stat/2` at the current values.
    pub fn loglike(&self) -> Result<f64> {
        Ok(-0.5 * self.stat()?)
    }

    /// Total number of fit bins.
    pub fn npoint(&self) -> usize {
        self.pairs.iter().map(Pair::npoint).sum()
    }

    /// Degrees of freedom `npoint − D`.
    pub fn dof(&self) -> i64 {
        self.npoint() as i64 - self.free_nparams() as i64
    }

    /// Compile the likelihood and priors into a lock-free [`Plan`].
    pub fn compile(&self) -> Result<Plan> {
        let rows = self.rows();
        self.settle_links(&rows)?;
        let groups = self.free_groups(&rows);
        let priors = self.free_priors()?;
        // slot of every row: Free(i) for members of free group i, else Fixed(value)
        let mut slots: Vec<Slot> = rows.iter().map(|r| Slot::Fixed(r.par.val())).collect();
        for (i, g) in groups.iter().enumerate() {
            for &r in &g.rows {
                slots[r] = Slot::Free(i);
            }
        }
        // rows that alias a frozen group take the group's lowest member's value
        let all = self.groups(&rows);
        for (r, slot) in slots.iter_mut().enumerate() {
            if let Slot::Fixed(_) = slot {
                let root = all.find(r);
                *slot = Slot::Fixed(rows[root].par.val());
            }
        }
        let slot_of = |p: &Par| -> Slot {
            rows.iter()
                .position(|r| r.par.same(p))
                .map(|i| slots[i])
                .unwrap_or(Slot::Fixed(p.val()))
        };
        let mut pairs = Vec::with_capacity(self.pairs.len());
        for p in &self.pairs {
            let model = p.model.compile()?;
            let pars: Vec<Slot> = p.model.params().iter().map(|e| slot_of(&e.par)).collect();
            let mut grids: Vec<GridPlan> = Vec::new();
            let mut units = Vec::new();
            for (unit, name) in p.data.iter().zip(p.data.names()) {
                let g = unit.fit_grid();
                let rows_kept = g.nonzero_energy_rows();
                let lo = unit.energ_lo()[rows_kept.clone()].to_vec();
                let hi = unit.energ_hi()[rows_kept.clone()].to_vec();
                let time = unit.time();
                let gi = match grids
                    .iter()
                    .position(|g| g.e_lo == lo && g.e_hi == hi && g.time == time)
                {
                    Some(i) => i,
                    None => {
                        grids.push(GridPlan {
                            e_lo: lo,
                            e_hi: hi,
                            time,
                        });
                        grids.len() - 1
                    }
                };
                let nb = g.n_bins();
                let drm = g.drm()[rows_kept.start * nb..rows_kept.end * nb].to_vec();
                let stat = unit.stat();
                let nuis = unit.nuisance_pars();
                let find = |label: &str| -> Slot {
                    nuis.iter()
                        .find(|(l, _)| *l == label)
                        .map(|(_, p)| slot_of(p))
                        .unwrap_or(Slot::Fixed(1.0))
                };
                units.push(UnitPlan {
                    name,
                    grid: gi,
                    drm,
                    nbin: nb,
                    stat,
                    weight: unit.weight(),
                    s: unit.src_counts().to_vec(),
                    b: unit.bkg_counts().to_vec(),
                    sigma_s: unit.src_errors().to_vec(),
                    sigma_b: unit.bkg_errors().to_vec(),
                    ts: g.ts_base().to_vec(),
                    tb: g.tb_base().to_vec(),
                    sf: find("sf"),
                    bf: find("bf"),
                    rf: find("rf"),
                });
            }
            pairs.push(PairPlan {
                model,
                pars,
                grids,
                units,
            });
        }
        Ok(
            Plan::new(pairs, priors, self.free_pranges()?, self.free_pvalues())
                .with_overrides(self.overrides.clone()),
        )
    }
}

/// A label without `$`, `{`, `}` and `\` (the model layer's plain label).
pub use crate::model::par::plain_label as clean_label;

/// One row of the parameter table as printed and saved (`par_info`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct ParInfoRow {
    /// `1*` for free rows, `1` otherwise.
    #[serde(rename = "par#")]
    pub par: String,
    /// `model` / `data`.
    pub class: String,
    /// Model expression or data name.
    pub expression: String,
    /// Component or unit name.
    pub component: String,
    /// Label.
    pub parameter: String,
    /// Current value.
    pub value: Option<f64>,
    /// Prior text, `frozen`, or `=par#{a,b}` for aliases.
    pub prior: String,
}

/// One row of the configuration table (`cfg_info`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CfgInfoRow {
    /// cfg#.
    #[serde(rename = "cfg#")]
    pub cfg: String,
    /// Always `model`.
    pub class: String,
    /// Model expression.
    pub expression: String,
    /// Component.
    pub component: String,
    /// Label.
    pub parameter: String,
    /// Value (number, bool, string or null).
    pub value: serde_json::Value,
}

impl Infer {
    /// The parameter table (`par_info`): free rows marked `*`, frozen rows `frozen`, aliases
    /// `=par#{…}` listing their group in ascending order.
    pub fn par_info(&self) -> Vec<ParInfoRow> {
        let rows = self.rows();
        let all = self.groups(&rows);
        let members = all.members();
        let free: Vec<usize> = self.free_groups(&rows).iter().map(|g| g.rows[0]).collect();
        rows.iter()
            .enumerate()
            .map(|(i, r)| {
                let group = members
                    .iter()
                    .find(|m| m.contains(&i))
                    .cloned()
                    .unwrap_or_default();
                let is_free = free.contains(&i);
                let prior = if is_free {
                    r.par.prior_text()
                } else if group.iter().any(|&j| rows[j].par.frozen()) {
                    "frozen".to_string()
                } else {
                    let others: Vec<String> = group
                        .iter()
                        .filter(|&&j| j != i)
                        .map(|j| (j + 1).to_string())
                        .collect();
                    format!("=par#{{{}}}", others.join(","))
                };
                let v = r.par.val();
                ParInfoRow {
                    par: if is_free {
                        format!("{}*", i + 1)
                    } else {
                        (i + 1).to_string()
                    },
                    class: r.class.name().to_string(),
                    expression: r.expression.clone(),
                    component: r.component.clone(),
                    parameter: r.label.clone(),
                    value: v.is_finite().then_some(v),
                    prior,
                }
            })
            .collect()
    }

    /// The configuration table (`cfg_info`).
    pub fn cfg_info(&self) -> Vec<CfgInfoRow> {
        self.cfg_rows()
            .iter()
            .enumerate()
            .map(|(i, r)| CfgInfoRow {
                cfg: (i + 1).to_string(),
                class: "model".to_string(),
                expression: r.expression.clone(),
                component: r.component.clone(),
                parameter: r.label.clone(),
                value: match r.cfg.val() {
                    crate::model::CfgValue::Num(x) => serde_json::json!(x),
                    crate::model::CfgValue::Bool(b) => serde_json::json!(b),
                    crate::model::CfgValue::Str(s) => serde_json::json!(s),
                    crate::model::CfgValue::Null => serde_json::Value::Null,
                },
            })
            .collect()
    }

    /// Write `infer_cfg.json` and `infer_par.json` into `dir` (created).
    pub fn save(&self, dir: &std::path::Path) -> Result<()> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("cannot create {}: {e}", dir.display())))?;
        let write = |name: &str, text: String| -> Result<()> {
            crate::fits::write_atomic(&dir.join(name), text.as_bytes())
        };
        let to_text = |v: serde_json::Result<String>| {
            v.map_err(|e| Error::new(format!("cannot encode JSON: {e}")))
        };
        write(
            "infer_cfg.json",
            to_text(serde_json::to_string_pretty(&self.cfg_info()))?,
        )?;
        write(
            "infer_par.json",
            to_text(serde_json::to_string_pretty(&self.par_info()))?,
        )
    }
}

fn fmt_value(v: Option<f64>) -> String {
    match v {
        Some(x) => format!("{x:.3}"),
        None => "-".to_string(),
    }
}

impl std::fmt::Display for Infer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        writeln!(f, "*** {} ***", self.kind.title())?;
        writeln!(f, "*** Configurations ***")?;
        let cfg: Vec<Vec<String>> = self
            .cfg_info()
            .into_iter()
            .map(|r| {
                let v = match &r.value {
                    serde_json::Value::Null => "none".to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                vec![r.cfg, r.class, r.expression, r.component, r.parameter, v]
            })
            .collect();
        writeln!(
            f,
            "{}",
            crate::model::table::render(
                &[
                    "cfg#",
                    "Class",
                    "Expression",
                    "Component",
                    "Parameter",
                    "Value"
                ],
                &cfg
            )
        )?;
        writeln!(f, "*** Parameters ***")?;
        let pars: Vec<Vec<String>> = self
            .par_info()
            .into_iter()
            .filter(|r| !(r.class == "data" && r.prior == "frozen"))
            .map(|r| {
                vec![
                    r.par,
                    r.class,
                    r.expression,
                    r.component,
                    r.parameter,
                    fmt_value(r.value),
                    r.prior,
                ]
            })
            .collect();
        writeln!(
            f,
            "{}",
            crate::model::table::render(
                &[
                    "par#",
                    "Class",
                    "Expression",
                    "Component",
                    "Parameter",
                    "Value",
                    "Prior"
                ],
                &pars
            )
        )?;
        writeln!(f, "*** Statistics ***")?;
        match self.stat_rows() {
            Ok(rows) => {
                let mut total = 0.0;
                let mut t: Vec<Vec<String>> = rows
                    .iter()
                    .map(|r| {
                        total += r.weight * r.value;
                        vec![
                            r.data.clone(),
                            r.model.clone(),
                            r.statistic.clone(),
                            format!("{:.3}", r.value),
                            r.bins.to_string(),
                        ]
                    })
                    .collect();
                t.push(vec![
                    "Total".into(),
                    "Total".into(),
                    "stat/dof".into(),
                    format!("{total:.3}/{}", self.dof()),
                    self.npoint().to_string(),
                ]);
                write!(
                    f,
                    "{}",
                    crate::model::table::render(
                        &["Data", "Model", "Statistic", "Value", "Bins"],
                        &t
                    )
                )
            }
            Err(e) => write!(f, "(statistics unavailable: {e})"),
        }
    }
}
