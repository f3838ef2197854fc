//! The catalogue of built-in components (models.md 3): names, kinds, parameters with defaults
//! and priors, configurations, formulas, references, and the kernels that evaluate them.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::model::cfg::CfgValue;
use crate::model::kernels::{self, numeric_configs, Kernel, SlopeFn};
use crate::model::kind::Kind;
use crate::model::par::plain_label;

/// A parameter of a built-in component: exact label, default value, `unif(lo, hi)` prior.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ParSpec {
    /// exact label (`log$E_p$`)
    pub label: &'static str,
    /// default value
    pub default: f64,
    /// bounds of the default uniform prior
    pub prior: (f64, f64),
}

/// Default value of a configuration entry.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CfgDefault {
    /// a number
    Num(f64),
    /// a flag
    Bool(bool),
    /// a string
    Str(&'static str),
    /// null
    Null,
}

impl CfgDefault {
    /// As a [`CfgValue`].
    pub fn value(self) -> CfgValue {
        match self {
            CfgDefault::Num(x) => CfgValue::Num(x),
            CfgDefault::Bool(b) => CfgValue::Bool(b),
            CfgDefault::Str(s) => CfgValue::Str(s.to_string()),
            CfgDefault::Null => CfgValue::Null,
        }
    }
}

/// A configuration entry of a built-in component.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct CfgSpec {
    /// exact label
    pub label: &'static str,
    /// default value
    pub default: CfgDefault,
}

/// Description of one built-in component.
pub struct ComponentInfo {
    /// catalogue name (`cpl`)
    pub name: &'static str,
    /// kind
    pub kind: Kind,
    /// one-line description
    pub comment: &'static str,
    /// formula text (plain text, several lines allowed)
    pub formula: &'static str,
    /// literature reference, if any
    pub reference: &'static str,
    /// parameters (peak mode for components with `vfv_peak`)
    pub params: &'static [ParSpec],
    /// parameters used when `vfv_peak` = false (empty when the component has no such switch)
    pub params_alt: &'static [ParSpec],
    /// configuration entries
    pub configs: &'static [CfgSpec],
    /// needs the time T
    pub time_dependent: bool,
    /// `Some(reason)` when the component cannot be used in this port
    pub unavailable: Option<&'static str>,
    pub(crate) kernel: Option<Kernel>,
    pub(crate) slope: Option<SlopeFn>,
}

impl std::fmt::Debug for ComponentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ComponentInfo")
            .field("name", &self.name)
            .field("kind", &self.kind)
            .finish()
    }
}

pub(crate) const fn p(label: &'static str, default: f64, lo: f64, hi: f64) -> ParSpec {
    ParSpec {
        label,
        default,
        prior: (lo, hi),
    }
}

pub(crate) const fn cnum(label: &'static str, v: f64) -> CfgSpec {
    CfgSpec {
        label,
        default: CfgDefault::Num(v),
    }
}

pub(crate) const VFV: CfgSpec = CfgSpec {
    label: "vfv_peak",
    default: CfgDefault::Bool(true),
};
pub(crate) const Z0: CfgSpec = cnum("redshift", 0.0);
pub(crate) const PIV1: CfgSpec = cnum("pivot_energy", 1.0);
pub(crate) const PIV100: CfgSpec = cnum("pivot_energy", 100.0);
pub(crate) const LOGA: ParSpec = p("log$A$", 0.0, -10.0, 10.0);
/// The low-energy index α of the Band-like shapes.
pub(crate) const ALPHA: ParSpec = p("$\\alpha$", -1.0, -2.0, 2.0);
/// The high-energy index β of the Band-like shapes.
pub(crate) const BETA: ParSpec = p("$\\beta$", -3.0, -6.0, -2.0);
/// log10 of the νFν peak energy Ep (keV) of the Band-like shapes.
pub(crate) const LOG_EP: ParSpec = p("log$E_p$", 2.0, 0.0, 4.0);

pub(crate) const fn k(eval: crate::model::kernels::EvalFn) -> Option<Kernel> {
    Some(Kernel {
        prepare: numeric_configs,
        aux: None,
        eval,
    })
}

pub(crate) const fn kaux(
    eval: crate::model::kernels::EvalFn,
    aux: crate::model::kernels::AuxFn,
) -> Option<Kernel> {
    Some(Kernel {
        prepare: numeric_configs,
        aux: Some(aux),
        eval,
    })
}

pub(crate) const NO_SPECS: &[ParSpec] = &[];

/// The kernel files' component lists, in registry order: a new component's list is registered
/// here (models.md 3.5).
const SOURCES: &[&[ComponentInfo]] = &[
    kernels::powerlaw::COMPONENTS,
    kernels::kaneko::COMPONENTS,
    kernels::convex::COMPONENTS,
    kernels::band::COMPONENTS,
    kernels::thermal::COMPONENTS,
    kernels::hle::COMPONENTS,
    kernels::external::COMPONENTS,
    kernels::absorb::COMPONENTS,
    kernels::dust::COMPONENTS,
    kernels::absorb::TIME_DEPENDENT_COMPONENTS,
];

static CATALOGUE: std::sync::OnceLock<Vec<&'static ComponentInfo>> = std::sync::OnceLock::new();

/// All built-in components in the reference registry order: each kernel file declares its
/// components next to their kernels, and this concatenates them.
pub fn catalogue() -> &'static [&'static ComponentInfo] {
    CATALOGUE.get_or_init(|| SOURCES.iter().flat_map(|s| s.iter()).collect())
}

/// The catalogue entry with this name, or an error listing the names.
pub fn lookup(name: &str) -> Result<&'static ComponentInfo> {
    catalogue()
        .iter()
        .copied()
        .find(|c| c.name == name)
        .ok_or_else(|| {
            let names: Vec<&str> = catalogue().iter().map(|c| c.name).collect();
            Error::new(format!(
                "unknown component '{name}' (available: {})",
                names.join(", ")
            ))
        })
}

fn fmt_num(x: f64) -> String {
    format!("{x}")
}

/// The unit of a parameter or configuration entry, from its label (for help texts).
fn unit_of(label: &str) -> Option<&'static str> {
    Some(match label {
        l if l.starts_with("log$E") || l.starts_with("log$kT") => "log10 keV",
        "log$A$" => "log10 ph cm^-2 s^-1 keV^-1 at pivot_energy",
        "$N_H$" | "$N_{H,0}$" => "10^22 cm^-2",
        "$\\tau$" | "$t_0$" | "$t_c$" | "$t_{inj}$" | "t_obs_start" | "t_obs_end" | "max_time" => {
            "s"
        }
        "$E(B-V)$" => "mag",
        "pivot_energy" | "threshold_energy" => "keV",
        "lyman_limit" => "Angstrom",
        _ => return None,
    })
}

fn with_unit(label: &str) -> String {
    match unit_of(label) {
        Some(u) => format!(" [{u}]"),
        None => String::new(),
    }
}

impl ComponentInfo {
    /// Whether the component has the `vfv_peak` parametrisation switch.
    pub fn has_vfv_peak(&self) -> bool {
        !self.params_alt.is_empty()
    }

    /// One line for `models()`: `name  [kind]  comment` (with the reason when unavailable).
    pub fn summary(&self) -> String {
        match self.unavailable {
            None => format!("{:<8} [{}]  {}", self.name, self.kind, self.comment),
            Some(_) => format!(
                "{:<8} [{}]  {} (unavailable)",
                self.name, self.kind, self.comment
            ),
        }
    }

    /// The long help text for `help("band")`: formula, parameters with defaults and priors,
    /// configurations, reference, and why it is unavailable where that applies.
    pub fn help(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "{} [{}]: {}", self.name, self.kind, self.comment);
        let _ = writeln!(s, "  formula: {}", self.formula);
        if !self.reference.is_empty() {
            let _ = writeln!(s, "  reference: {}", self.reference);
        }
        if self.time_dependent {
            let _ = writeln!(s, "  needs the time T (seconds)");
        }
        let mode = if self.has_vfv_peak() {
            " (vfv_peak = true)"
        } else {
            ""
        };
        let _ = writeln!(s, "  parameters{mode}:");
        write_params(&mut s, self.params);
        if self.has_vfv_peak() {
            let _ = writeln!(s, "  parameters (vfv_peak = false):");
            write_params(&mut s, self.params_alt);
        }
        if !self.configs.is_empty() {
            let _ = writeln!(s, "  configuration:");
            for (i, c) in self.configs.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "    {}. {} = {}{}",
                    i + 1,
                    c.label,
                    c.default.value(),
                    with_unit(c.label)
                );
            }
            if let Some(piv) = self.configs.iter().find(|c| c.label == "pivot_energy") {
                let _ = writeln!(
                    s,
                    "  logA is log10 of N(E) at E = pivot_energy ({} keV by default): components with \
                     other pivots (pl and cpl 1 keV, band 100 keV) give another logA for the same \
                     spectrum; compare fluxes instead, or set pivot_energy alike.",
                    piv.default.value()
                );
            }
        }
        if let Some(why) = self.unavailable {
            let _ = writeln!(s, "  unavailable: {why}");
        }
        s
    }
}

/// The numbered parameter lines of [`ComponentInfo::help`].
fn write_params(s: &mut String, specs: &[ParSpec]) {
    for (i, ps) in specs.iter().enumerate() {
        let _ = writeln!(
            s,
            "    {}. {} ({}) = {}{}, prior unif({}, {})",
            i + 1,
            ps.label,
            plain_label(ps.label),
            fmt_num(ps.default),
            with_unit(ps.label),
            fmt_num(ps.prior.0),
            fmt_num(ps.prior.1)
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every entry has a unique name, unique parameter and configuration labels, a `vfv_peak`
    /// configuration exactly when it has an alternative parameter list (of the same length),
    /// and a kernel exactly when it is available.
    #[test]
    fn every_entry_is_consistent() {
        let mut names: Vec<&str> = catalogue().iter().map(|c| c.name).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), catalogue().len(), "duplicate component names");
        for info in catalogue() {
            let name = info.name;
            for specs in [info.params, info.params_alt] {
                for (i, ps) in specs.iter().enumerate() {
                    assert!(
                        specs[..i].iter().all(|q| q.label != ps.label),
                        "{name}: parameter {} twice",
                        ps.label
                    );
                    assert!(ps.prior.0 < ps.prior.1, "{name}: prior of {}", ps.label);
                }
            }
            for (i, cs) in info.configs.iter().enumerate() {
                assert!(
                    info.configs[..i].iter().all(|q| q.label != cs.label),
                    "{name}: configuration {} twice",
                    cs.label
                );
            }
            let has_vfv = info.configs.iter().any(|c| c.label == VFV.label);
            assert_eq!(has_vfv, info.has_vfv_peak(), "{name}: vfv_peak");
            if info.has_vfv_peak() {
                assert_eq!(info.params.len(), info.params_alt.len(), "{name}");
            }
            assert_eq!(info.kernel.is_some(), info.unavailable.is_none(), "{name}");
        }
    }
}
