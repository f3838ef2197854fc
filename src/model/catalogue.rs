//! The catalogue of built-in components (models.md 3): names, kinds, parameters with defaults
//! and priors, configurations, formulas, references, and the kernels that evaluate them.

use std::fmt::Write as _;

use crate::error::{Error, Result};
use crate::model::cfg::CfgValue;
use crate::model::kernels::{
    absorb, band, convex, dust, hle, kaneko, numeric_configs, powerlaw, thermal, Kernel, SlopeFn,
};
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

const fn p(label: &'static str, default: f64, lo: f64, hi: f64) -> ParSpec {
    ParSpec {
        label,
        default,
        prior: (lo, hi),
    }
}

const fn cnum(label: &'static str, v: f64) -> CfgSpec {
    CfgSpec {
        label,
        default: CfgDefault::Num(v),
    }
}

const VFV: CfgSpec = CfgSpec {
    label: "vfv_peak",
    default: CfgDefault::Bool(true),
};
const Z0: CfgSpec = cnum("redshift", 0.0);
const PIV1: CfgSpec = cnum("pivot_energy", 1.0);
const PIV100: CfgSpec = cnum("pivot_energy", 100.0);
const LOGA: ParSpec = p("log$A$", 0.0, -10.0, 10.0);

const fn k(eval: crate::model::kernels::EvalFn) -> Option<Kernel> {
    Some(Kernel {
        prepare: numeric_configs,
        aux: None,
        eval,
    })
}

const fn kaux(
    eval: crate::model::kernels::EvalFn,
    aux: crate::model::kernels::AuxFn,
) -> Option<Kernel> {
    Some(Kernel {
        prepare: numeric_configs,
        aux: Some(aux),
        eval,
    })
}

const NO_SPECS: &[ParSpec] = &[];

static CATALOGUE: [ComponentInfo; 27] = [
    ComponentInfo {
        name: "pl",
        kind: Kind::Add,
        comment: "power-law model",
        formula: "N(E) = A (E'/Epiv)^alpha,  E' = (1+z) E",
        reference: "",
        params: &[p("$\\alpha$", 0.0, -10.0, 10.0), LOGA],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1],
        time_dependent: false,
        unavailable: None,
        kernel: k(powerlaw::pl),
        slope: None,
    },
    ComponentInfo {
        name: "cpl",
        kind: Kind::Add,
        comment: "power-law model with high-energy cutoff",
        formula: "N(E) = A (E'/Epiv)^alpha exp(-E'/Ec); peak mode: Ec = Ep/(2+alpha), needs alpha > -2",
        reference: "",
        params: &[p("$\\alpha$", -1.0, -2.0, 2.0), p("log$E_p$", 2.0, 0.0, 4.0), LOGA],
        params_alt: &[p("$\\alpha$", -1.0, -8.0, 4.0), p("log$E_c$", 2.0, 0.0, 4.0), LOGA],
        configs: &[Z0, PIV1, VFV],
        time_dependent: false,
        unavailable: None,
        kernel: k(powerlaw::cpl),
        slope: None,
    },
    ComponentInfo {
        name: "sbpl",
        kind: Kind::Add,
        comment: "smoothly broken power-law model",
        formula: "N(E) = A (E'/Epiv)^b 10^(m D [lncosh(q(E')) - lncosh(q(Epiv))]/ln10), q = log10(E/Eb)/D, \
                  b = (a1+a2)/2, m = (a2-a1)/2; peak mode: Eb = Ep / 10^(D artanh((alpha+beta+4)/(alpha-beta)))",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("$\\beta$", -3.0, -6.0, -2.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha_1$", -1.0, -6.0, 4.0),
            p("$\\alpha_2$", -3.0, -6.0, 4.0),
            p("log$E_b$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV, cnum("smoothness", 0.3)],
        time_dependent: false,
        unavailable: None,
        kernel: k(kaneko::sbpl),
        slope: Some(kaneko::sbpl_slope),
    },
    ComponentInfo {
        name: "csbpl",
        kind: Kind::Add,
        comment: "smoothly broken power-law model with exponential cutoff",
        formula: "N(E) = [sbpl form, a1 -> a2 at Eb] exp(-E'/Ec); peak mode: Ec = Ep/s0 with \
                  s0 = 2 + a2 + (a1-a2)/(1+exp(2 qp)), Ep the highest strict maximum of E^2 N",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: &[
            p("$\\alpha_1$", 1.0, -2.0, 2.0),
            p("$\\alpha_2$", -1.0, -2.0, 2.0),
            p("log$E_b$", 1.0, -1.0, 3.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha_1$", 1.0, -6.0, 4.0),
            p("$\\alpha_2$", -1.0, -6.0, 4.0),
            p("log$E_b$", 1.0, -1.0, 3.0),
            p("log$E_c$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV, cnum("smoothness", 0.3)],
        time_dependent: false,
        unavailable: None,
        kernel: k(kaneko::csbpl),
        slope: Some(kaneko::csbpl_slope),
    },
    ComponentInfo {
        name: "dsbpl",
        kind: Kind::Add,
        comment: "double smoothly broken power-law model",
        formula: "N(E) = Kaneko smooth-break form with a1 -> a2 at Eb1 (D1) and a2 -> a3 at Eb2 (D2); \
                  peak mode: a3 = beta, Eb2 derived so that the E^2 N peak is at Ep",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: &[
            p("$\\alpha_1$", 1.0, -2.0, 2.0),
            p("$\\alpha_2$", -1.0, -2.0, 2.0),
            p("$\\beta$", -3.0, -6.0, -2.0),
            p("log$E_b$", 1.0, -1.0, 3.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha_1$", 1.0, -6.0, 4.0),
            p("$\\alpha_2$", -1.0, -6.0, 4.0),
            p("$\\alpha_3$", -3.0, -6.0, 4.0),
            p("log$E_{b1}$", 1.0, -1.0, 3.0),
            p("log$E_{b2}$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV, cnum("smoothness1", 0.3), cnum("smoothness2", 0.3)],
        time_dependent: false,
        unavailable: None,
        kernel: k(kaneko::dsbpl),
        slope: Some(kaneko::dsbpl_slope),
    },
    ComponentInfo {
        name: "tsbpl",
        kind: Kind::Add,
        comment: "triple smoothly broken power-law model",
        formula: "N(E) = Kaneko smooth-break form with breaks a1->a2 at Eb1, a2->a3 at Eb2, a3->a4 at Eb3",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: &[
            p("$\\alpha_1$", 2.0, -6.0, 4.0),
            p("$\\alpha_2$", 1.0, -6.0, 4.0),
            p("$\\alpha_3$", -1.0, -6.0, 4.0),
            p("$\\alpha_4$", -3.0, -6.0, 4.0),
            p("log$E_{b1}$", 1.0, -1.0, 3.0),
            p("log$E_{b2}$", 2.0, 0.0, 4.0),
            p("log$E_{b3}$", 3.0, 1.0, 5.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1, cnum("smoothness1", 0.3), cnum("smoothness2", 0.3), cnum("smoothness3", 0.3)],
        time_dependent: false,
        unavailable: None,
        kernel: k(kaneko::tsbpl),
        slope: Some(kaneko::tsbpl_slope),
    },
    ComponentInfo {
        name: "sb2pl",
        kind: Kind::Add,
        comment: "convex 2-segment smoothly broken power-law model",
        formula: "N(E) = A S(E')/S(Epiv), S = ((E/Eb)^(-w a1) + (E/Eb)^(-w a2))^(-1/w); \
                  peak mode: Eb = Ep (-(alpha+2)/(beta+2))^(1/((beta-alpha) w))",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("$\\beta$", -3.0, -6.0, -2.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha_1$", -1.0, -6.0, 4.0),
            p("$\\alpha_2$", -3.0, -6.0, 4.0),
            p("log$E_b$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV, cnum("smoothness", 2.0)],
        time_dependent: false,
        unavailable: None,
        kernel: k(convex::sb2pl),
        slope: None,
    },
    ComponentInfo {
        name: "csb2pl",
        kind: Kind::Add,
        comment: "convex 2-segment smoothly broken power-law model with exponential cutoff",
        formula: "N(E) = A S(E') exp(-E'/Ec)/S(Epiv); peak mode: Ec = Ep/(a2 + 2 + (a1-a2)/(1+exp(qp)))",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: &[
            p("$\\alpha_1$", 1.0, -2.0, 2.0),
            p("$\\alpha_2$", -1.0, -2.0, 2.0),
            p("log$E_b$", 1.0, -1.0, 3.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha_1$", 1.0, -6.0, 4.0),
            p("$\\alpha_2$", -1.0, -6.0, 4.0),
            p("log$E_b$", 1.0, -1.0, 3.0),
            p("log$E_c$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV, cnum("smoothness", 2.0)],
        time_dependent: false,
        unavailable: None,
        kernel: k(convex::csb2pl),
        slope: None,
    },
    ComponentInfo {
        name: "sb3pl",
        kind: Kind::Add,
        comment: "convex 3-segment smoothly broken power-law model",
        formula: "nested convex join of sb2pl(a1, a2, Eb1, w1) with a power law of index a3 through its value at Eb2",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: &[
            p("$\\alpha_1$", 1.0, -6.0, 4.0),
            p("$\\alpha_2$", -1.0, -6.0, 4.0),
            p("$\\alpha_3$", -3.0, -6.0, 4.0),
            p("log$E_{b1}$", 1.0, -1.0, 3.0),
            p("log$E_{b2}$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1, cnum("smoothness1", 2.0), cnum("smoothness2", 2.0)],
        time_dependent: false,
        unavailable: None,
        kernel: k(convex::sb3pl),
        slope: None,
    },
    ComponentInfo {
        name: "sb4pl",
        kind: Kind::Add,
        comment: "convex 4-segment smoothly broken power-law model",
        formula: "sb3pl nested once more with a power law of index a4 through its value at Eb3",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: &[
            p("$\\alpha_1$", 2.0, -6.0, 4.0),
            p("$\\alpha_2$", 1.0, -6.0, 4.0),
            p("$\\alpha_3$", -1.0, -6.0, 4.0),
            p("$\\alpha_4$", -3.0, -6.0, 4.0),
            p("log$E_{b1}$", 1.0, -1.0, 3.0),
            p("log$E_{b2}$", 2.0, 0.0, 4.0),
            p("log$E_{b3}$", 3.0, 1.0, 5.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1, cnum("smoothness1", 2.0), cnum("smoothness2", 2.0), cnum("smoothness3", 2.0)],
        time_dependent: false,
        unavailable: None,
        kernel: k(convex::sb4pl),
        slope: None,
    },
    ComponentInfo {
        name: "band",
        kind: Kind::Add,
        comment: "Band function",
        formula: "Ec = Ep/(2+alpha), Eb = (alpha-beta) Ec; E' <= Eb: A (E'/Epiv)^alpha exp(-E'/Ec); \
                  E' > Eb: A (Eb/Epiv)^(alpha-beta) exp(beta-alpha) (E'/Epiv)^beta; NaN if alpha <= -2 or beta > alpha",
        reference: "Band et al. 1993, ApJ 413, 281 (doi 10.1086/172995)",
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("$\\beta$", -3.0, -6.0, -2.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV100],
        time_dependent: false,
        unavailable: None,
        kernel: k(band::band),
        slope: None,
    },
    ComponentInfo {
        name: "cband",
        kind: Kind::Add,
        comment: "Band function with a high-energy cutoff",
        formula: "Ec2 = Ep/(2+a2), 1/Ec1 = 1/Ec2 + (a1-a2)/Eb; E' <= Eb: A (E'/Epiv)^a1 exp(-E'/Ec1); \
                  E' > Eb: A (Eb/Epiv)^(a1-a2) exp(a2-a1) (E'/Epiv)^a2 exp(-E'/Ec2); NaN if a2 <= -2",
        reference: "ApJ 751, 90 (2012) (doi 10.1088/0004-637X/751/2/90)",
        params: &[
            p("$\\alpha_1$", 1.0, -2.0, 2.0),
            p("$\\alpha_2$", -1.0, -2.0, 2.0),
            p("log$E_b$", 1.0, 0.0, 3.0),
            p("log$E_p$", 3.0, 1.0, 4.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1],
        time_dependent: false,
        unavailable: None,
        kernel: k(band::cband),
        slope: None,
    },
    ComponentInfo {
        name: "dband",
        kind: Kind::Add,
        comment: "double Band function",
        formula: "cband below Eb2 = Ec2 (a2-beta), power law of index beta above (segment 3 wins when Eb2 < Eb1); \
                  NaN if a2 <= -2",
        reference: "ApJ 751, 90 (2012) (doi 10.1088/0004-637X/751/2/90)",
        params: &[
            p("$\\alpha_1$", 1.0, -2.0, 2.0),
            p("$\\alpha_2$", -1.0, -2.0, 2.0),
            p("$\\beta$", -3.0, -6.0, -2.0),
            p("log$E_b$", 1.0, 0.0, 3.0),
            p("log$E_p$", 3.0, 1.0, 4.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1],
        time_dependent: false,
        unavailable: None,
        kernel: k(band::dband),
        slope: None,
    },
    ComponentInfo {
        name: "bb",
        kind: Kind::Add,
        comment: "blackbody model",
        formula: "N(E) = A 8.0525 E'^2 / (kT^4 (exp(E'/kT) - 1))  (XSPEC bbody normalisation)",
        reference: "XSPEC bbody",
        params: &[p("log$kT$", 1.0, -2.0, 4.0), LOGA],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: false,
        unavailable: None,
        kernel: k(thermal::bb),
        slope: None,
    },
    ComponentInfo {
        name: "mbb",
        kind: Kind::Add,
        comment: "multi-colour blackbody model",
        formula: "N(E) = 8.0525 (m+1) A / (r^(m+1) - 1) kTmin^-2 (E'/kTmin)^(m-1) \
                  Int_{E'/kTmax}^{E'/kTmin} x^(2-m)/(e^x - 1) dx, r = kTmax/kTmin (64-point Gauss-Legendre); \
                  NaN unless kTmax > kTmin",
        reference: "ApJ 2018 (doi 10.3847/1538-4357/aadc07)",
        params: &[
            p("log$kT_{min}$", 0.0, -1.0, 3.0),
            p("log$kT_{max}$", 2.0, 0.0, 4.0),
            p("$m$", 0.0, -2.0, 2.0),
            LOGA,
        ],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: false,
        unavailable: None,
        kernel: k(thermal::mbb),
        slope: None,
    },
    ComponentInfo {
        name: "hlecpl",
        kind: Kind::Add,
        comment: "curvature-effect (high-latitude emission) cutoff power-law model, time-dependent",
        formula: "tau = (T-t0)/(tc-t0), Ep(T) = Epc/tau, A(T) = Ac tau^(alpha-1); \
                  N = A(T) (E'/Epiv)^alpha exp(-(2+alpha) E'/Ep(T)); NaN if tc <= t0 or T < tc",
        reference: "curvature effect, cf. Kumar & Panaitescu 2000, ApJ 541, L51",
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("log$E_{p,c}$", 2.0, 0.0, 4.0),
            p("log$A_c$", 0.0, -6.0, 6.0),
            p("$t_0$", 0.0, -20.0, 20.0),
            p("$t_c$", 10.0, 0.0, 50.0),
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1],
        time_dependent: true,
        unavailable: None,
        kernel: k(hle::hlecpl),
        slope: None,
    },
    ComponentInfo {
        name: "hleband",
        kind: Kind::Add,
        comment: "curvature-effect (high-latitude emission) Band function, time-dependent",
        formula: "as hlecpl with a Band shape: Eb(T) = (alpha-beta)/(alpha+2) Ep(T); \
                  NaN if tc <= t0, T < tc, alpha <= -2 or beta > alpha",
        reference: "curvature effect, cf. Kumar & Panaitescu 2000, ApJ 541, L51",
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("$\\beta$", -4.0, -6.0, -2.0),
            p("log$E_{p,c}$", 2.0, 0.0, 4.0),
            p("log$A_c$", 0.0, -6.0, 6.0),
            p("$t_0$", 0.0, -20.0, 20.0),
            p("$t_c$", 10.0, 0.0, 50.0),
        ],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV100],
        time_dependent: true,
        unavailable: None,
        kernel: k(hle::hleband),
        slope: None,
    },
    ComponentInfo {
        name: "zxhsync",
        kind: Kind::Add,
        comment: "numerical synchrotron model (external program), time-dependent",
        formula: "computed by an external compiled program (not available)",
        reference: "",
        params: &[
            p("log$B_0$", 1.0, 0.0, 2.0),
            p("$\\alpha_B$", 2.0, 0.0, 3.0),
            p("log$\\gamma_{min}$", 5.0, 3.0, 7.0),
            p("log$\\gamma_{max}$", 7.0, 5.0, 9.0),
            p("log$\\Gamma$", 2.0, 1.0, 3.0),
            p("$p$", 2.0, 1.5, 3.5),
            p("$t_{inj}$", 10.0, -0.5, 26.0),
            p("$q$", 5.0, 0.0, 10.0),
            p("log$R_0$", 15.0, 12.0, 17.0),
            p("log$Q_0$", 40.0, 30.0, 50.0),
        ],
        params_alt: NO_SPECS,
        configs: &[
            cnum("redshift", 1.0),
            cnum("max_time", 26.0),
            cnum("zero_offset", 0.0),
            cnum("spec_prec", 2.0),
            cnum("temp_prec", 25.0),
        ],
        time_dependent: true,
        unavailable: Some(
            "zxhsync wraps an external compiled program that is not shipped with the reference; \
             no self-contained algorithm is specified, so it is not implemented",
        ),
        kernel: None,
        slope: None,
    },
    ComponentInfo {
        name: "katu",
        kind: Kind::Add,
        comment: "numerical prompt-emission model (external program), time-dependent",
        formula: "computed by an external program configured through a TOML file (not available)",
        reference: "",
        params: &[
            p("log$B_0$", 1.0, 0.0, 2.0),
            p("$\\alpha_B$", 1.0, 0.0, 3.0),
            p("log$\\gamma_{min}$", 5.0, 3.0, 7.0),
            p("log$\\Gamma$", 2.0, 1.0, 3.0),
            p("$p$", 3.0, 1.5, 3.5),
            p("$t_{inj}$", 10.0, 0.0, 20.0),
            p("log$R_0$", 15.0, 12.0, 17.0),
            p("log$Q_0$", 40.0, 30.0, 50.0),
        ],
        params_alt: NO_SPECS,
        configs: &[cnum("redshift", 1.0), cnum("t_obs_start", 0.0), cnum("t_obs_end", 20.0)],
        time_dependent: true,
        unavailable: Some(
            "katu runs an external program and TOML file that are not shipped (the reference cannot \
             even construct it); no self-contained algorithm is specified, so it is not implemented",
        ),
        kernel: None,
        slope: None,
    },
    ComponentInfo {
        name: "const",
        kind: Kind::Math,
        comment: "constant",
        formula: "value = C (energy independent; default C = 0)",
        reference: "",
        params: &[p("$C$", 0.0, -10.0, 10.0)],
        params_alt: NO_SPECS,
        configs: &[],
        time_dependent: false,
        unavailable: None,
        kernel: k(absorb::constant),
        slope: None,
    },
    ComponentInfo {
        name: "hecut",
        kind: Kind::Mul,
        comment: "high-energy exponential cutoff",
        formula: "factor = 1 for E' <= Ethr, else exp((Ethr - E')/Ec)",
        reference: "",
        params: &[p("log$E_c$", 2.0, -1.0, 5.0)],
        params_alt: NO_SPECS,
        configs: &[Z0, cnum("threshold_energy", 0.0)],
        time_dependent: false,
        unavailable: None,
        kernel: k(absorb::hecut),
        slope: None,
    },
    ComponentInfo {
        name: "wabs",
        kind: Kind::Mul,
        comment: "Wisconsin ISM absorption (Morrison & McCammon)",
        formula: "factor = exp(-NH sigma(E')), sigma from table wabs_angr (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "Morrison & McCammon 1983; cross sections from astromodels (BSD-3)",
        params: &[p("$N_H$", 1.0, 0.0001, 50.0)],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: false,
        unavailable: None,
        kernel: kaux(absorb::photoabs, absorb::wabs_aux),
        slope: None,
    },
    ComponentInfo {
        name: "phabs",
        kind: Kind::Mul,
        comment: "photoelectric absorption",
        formula: "factor = exp(-NH sigma(E')), sigma from table phabs_aspl (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "cross sections from astromodels (BSD-3)",
        params: &[p("$N_H$", 1.0, 0.0001, 50.0)],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: false,
        unavailable: None,
        kernel: kaux(absorb::photoabs, absorb::phabs_aux),
        slope: None,
    },
    ComponentInfo {
        name: "tbabs",
        kind: Kind::Mul,
        comment: "Tuebingen-Boulder ISM absorption (Wilms et al. 2000)",
        formula: "factor = exp(-NH sigma(E')), sigma from table tbabs_wilm (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "Wilms, Allen & McCray 2000, ApJ 542, 914; cross sections from astromodels (BSD-3)",
        params: &[p("$N_H$", 1.0, 0.0001, 50.0)],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: false,
        unavailable: None,
        kernel: kaux(absorb::photoabs, absorb::tbabs_aux),
        slope: None,
    },
    ComponentInfo {
        name: "redden",
        kind: Kind::Mul,
        comment: "Galactic dust extinction (Cardelli, Clayton & Mathis 1989)",
        formula: "factor = 10^(-0.4 E(B-V) (R_V a(x) + b(x))), x = 1e4/lambda[A] (max 11); 1 shortward of lyman_limit",
        reference: "Cardelli, Clayton & Mathis 1989, ApJ 345, 245",
        params: &[p("$E(B-V)$", 0.1, 0.0, 5.0)],
        params_alt: NO_SPECS,
        configs: &[cnum("$R_V$", 3.1), cnum("lyman_limit", 912.0)],
        time_dependent: false,
        unavailable: None,
        kernel: kaux(dust::redden, dust::redden_aux),
        slope: None,
    },
    ComponentInfo {
        name: "zdust",
        kind: Kind::Mul,
        comment: "redshifted dust extinction (Pei 1992: MW, LMC, SMC)",
        formula: "factor = 10^(-0.4 E(B-V) (1+R_V) xi(lambda_rest)), xi = sum_i a_i/((l/l_i)^n_i + (l_i/l)^n_i + b_i); \
                  1 shortward of lyman_limit",
        reference: "Pei 1992, ApJ 395, 130",
        params: &[p("$E(B-V)$", 0.1, 0.0, 100.0)],
        params_alt: NO_SPECS,
        configs: &[
            CfgSpec { label: "method", default: CfgDefault::Str("MW") },
            Z0,
            CfgSpec { label: "$R_V$", default: CfgDefault::Null },
            cnum("lyman_limit", 912.0),
        ],
        time_dependent: false,
        unavailable: None,
        kernel: Some(Kernel { prepare: dust::zdust_prepare, aux: Some(dust::zdust_aux), eval: dust::zdust }),
        slope: None,
    },
    ComponentInfo {
        name: "tinvabs",
        kind: Kind::Mul,
        comment: "time-dependent photoelectric absorption (tbabs with NH = NH0 exp(-T/tau))",
        formula: "NH(T) = NH0 exp(-T/tau); factor = tbabs factor with NH(T); NaN if tau <= 0 or NH(T) < 1e-4",
        reference: "Wilms, Allen & McCray 2000 (tbabs cross sections, astromodels BSD-3)",
        params: &[p("$N_{H,0}$", 1.0, 0.0001, 50.0), p("$\\tau$", 50.0, 0.0, 300.0)],
        params_alt: NO_SPECS,
        configs: &[Z0],
        time_dependent: true,
        unavailable: None,
        kernel: kaux(absorb::tinvabs, absorb::tbabs_aux),
        slope: None,
    },
];

/// All built-in components in the reference registry order.
pub fn catalogue() -> &'static [ComponentInfo] {
    &CATALOGUE
}

/// The catalogue entry with this name, or an error listing the names.
pub fn lookup(name: &str) -> Result<&'static ComponentInfo> {
    CATALOGUE.iter().find(|c| c.name == name).ok_or_else(|| {
        let names: Vec<&str> = CATALOGUE.iter().map(|c| c.name).collect();
        Error::new(format!(
            "unknown component '{name}' (available: {})",
            names.join(", ")
        ))
    })
}

fn fmt_num(x: f64) -> String {
    format!("{x}")
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
        for (i, ps) in self.params.iter().enumerate() {
            let _ = writeln!(
                s,
                "    {}. {} ({}) = {}, prior unif({}, {})",
                i + 1,
                ps.label,
                plain_label(ps.label),
                fmt_num(ps.default),
                fmt_num(ps.prior.0),
                fmt_num(ps.prior.1)
            );
        }
        if self.has_vfv_peak() {
            let _ = writeln!(s, "  parameters (vfv_peak = false):");
            for (i, ps) in self.params_alt.iter().enumerate() {
                let _ = writeln!(
                    s,
                    "    {}. {} ({}) = {}, prior unif({}, {})",
                    i + 1,
                    ps.label,
                    plain_label(ps.label),
                    fmt_num(ps.default),
                    fmt_num(ps.prior.0),
                    fmt_num(ps.prior.1)
                );
            }
        }
        if !self.configs.is_empty() {
            let _ = writeln!(s, "  configuration:");
            for (i, c) in self.configs.iter().enumerate() {
                let _ = writeln!(s, "    {}. {} = {}", i + 1, c.label, c.default.value());
            }
        }
        if let Some(why) = self.unavailable {
            let _ = writeln!(s, "  unavailable: {why}");
        }
        s
    }
}
