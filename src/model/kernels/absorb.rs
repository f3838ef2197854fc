//! const (math), hecut and the photo-absorbers wabs, phabs, tbabs, tinvabs (models.md 3.3–3.4).

use super::{nan_fill, time_at, Grid};
use crate::error::Result;
use crate::math::fast::exp_of;
use crate::model::catalogue::{cnum, k, kaux, p, ComponentInfo, NO_SPECS, Z0};
use crate::model::kind::Kind;
use crate::model::xsect;

kernel_params! {
    /// const parameters.
    ConstPars { c: p("$C$", 0.0, -10.0, 10.0) }
}

kernel_params! {
    /// hecut parameters.
    HecutPars { log_ec: p("log$E_c$", 2.0, -1.0, 5.0) }
}

kernel_configs! {
    /// hecut configuration.
    HecutCfg { z: Z0, ethr: cnum("threshold_energy", 0.0) }
}

kernel_params! {
    /// wabs, phabs and tbabs parameters.
    AbsPars { nh: p("$N_H$", 1.0, 0.0001, 50.0) }
}

kernel_params! {
    /// tinvabs parameters.
    TinvabsPars {
        nh0: p("$N_{H,0}$", 1.0, 0.0001, 50.0),
        tau: p("$\\tau$", 50.0, 0.0, 300.0),
    }
}

kernel_configs! {
    /// Configuration of the tabulated absorbers (the redshift of the cross sections).
    AbsCfg { z: Z0 }
}

/// const: params [C]; no configs. Value C for every energy (broadcast).
pub(crate) fn constant(_g: &Grid, p: &[f64], _c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let ConstPars { c } = ConstPars::read(p);
    out.fill(c);
}

/// hecut: params [logEc]; configs [redshift, threshold_energy].
/// factor = 1 for E' ≤ Ethr, else exp((Ethr − E')/Ec).
pub(crate) fn hecut(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let HecutPars { log_ec } = HecutPars::read(p);
    let HecutCfg { z, ethr } = HecutCfg::read(c);
    let ec = 10f64.powf(log_ec);
    let zf = 1.0 + z;
    for (o, &e) in out.iter_mut().zip(g.e) {
        let er = zf * e;
        *o = if er <= ethr {
            1.0
        } else {
            ((ethr - er) / ec).exp()
        };
    }
}

fn fill_sigma(table: &str, g: &Grid, z: f64, aux: &mut [f64]) -> Result<()> {
    let t = xsect::table(table)?;
    let zf = 1.0 + z;
    for (a, &e) in aux.iter_mut().zip(g.e) {
        *a = t.sigma(zf * e);
    }
    Ok(())
}

/// Aux for wabs: σ(E') from `wabs_angr` (configs [redshift]).
pub(crate) fn wabs_aux(g: &Grid, c: &[f64], aux: &mut [f64]) -> Result<()> {
    fill_sigma("wabs_angr", g, AbsCfg::read(c).z, aux)
}

/// Aux for phabs: σ(E') from `phabs_aspl`.
pub(crate) fn phabs_aux(g: &Grid, c: &[f64], aux: &mut [f64]) -> Result<()> {
    fill_sigma("phabs_aspl", g, AbsCfg::read(c).z, aux)
}

/// Aux for tbabs and tinvabs: σ(E') from `tbabs_wilm`.
pub(crate) fn tbabs_aux(g: &Grid, c: &[f64], aux: &mut [f64]) -> Result<()> {
    fill_sigma("tbabs_wilm", g, AbsCfg::read(c).z, aux)
}

/// wabs/phabs/tbabs: params [NH]; factor = exp(−NH·σ(E')), σ precomputed in `aux`.
pub(crate) fn photoabs(_g: &Grid, p: &[f64], _c: &[f64], aux: &[f64], out: &mut [f64]) {
    let AbsPars { nh } = AbsPars::read(p);
    exp_of(out, aux, aux, |s, _| -nh * s);
}

/// tinvabs: params [NH0, τ]; configs [redshift]; NH(T) = NH0·exp(−T/τ), factor = tbabs factor
/// with that NH. NaN for τ ≤ 0; a point whose NH(T) < 1e−4 is NaN (documented intent; the
/// reference crashes). Needs T.
pub(crate) fn tinvabs(g: &Grid, p: &[f64], _c: &[f64], aux: &[f64], out: &mut [f64]) {
    let TinvabsPars { nh0, tau } = TinvabsPars::read(p);
    let Some(t) = g.t else {
        return nan_fill(out);
    };
    if !(tau > 0.0) {
        return nan_fill(out);
    }
    for (i, (o, &s)) in out.iter_mut().zip(aux).enumerate() {
        let nh = nh0 * (-time_at(t, i) / tau).exp();
        *o = if nh >= 1e-4 {
            (-nh * s).exp()
        } else {
            f64::NAN
        };
    }
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "const",
        kind: Kind::Math,
        comment: "constant",
        formula: "value = C (energy independent; default C = 0)",
        reference: "",
        params: ConstPars::SPECS,
        params_alt: NO_SPECS,
        configs: &[],
        time_dependent: false,
        unavailable: None,
        kernel: k(constant),
        slope: None,
    },
    ComponentInfo {
        name: "hecut",
        kind: Kind::Mul,
        comment: "high-energy exponential cutoff",
        formula: "factor = 1 for E' <= Ethr, else exp((Ethr - E')/Ec)",
        reference: "",
        params: HecutPars::SPECS,
        params_alt: NO_SPECS,
        configs: HecutCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(hecut),
        slope: None,
    },
    ComponentInfo {
        name: "wabs",
        kind: Kind::Mul,
        comment: "Wisconsin ISM absorption (Morrison & McCammon)",
        formula: "factor = exp(-NH sigma(E')), sigma from table wabs_angr (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "Morrison & McCammon 1983; cross sections from astromodels (BSD-3)",
        params: AbsPars::SPECS,
        params_alt: NO_SPECS,
        configs: AbsCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: kaux(photoabs, wabs_aux),
        slope: None,
    },
    ComponentInfo {
        name: "phabs",
        kind: Kind::Mul,
        comment: "photoelectric absorption",
        formula: "factor = exp(-NH sigma(E')), sigma from table phabs_aspl (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "cross sections from astromodels (BSD-3)",
        params: AbsPars::SPECS,
        params_alt: NO_SPECS,
        configs: AbsCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: kaux(photoabs, phabs_aux),
        slope: None,
    },
    ComponentInfo {
        name: "tbabs",
        kind: Kind::Mul,
        comment: "Tuebingen-Boulder ISM absorption (Wilms et al. 2000)",
        formula: "factor = exp(-NH sigma(E')), sigma from table tbabs_wilm (1e-22 cm^2), NH in 1e22 cm^-2",
        reference: "Wilms, Allen & McCray 2000, ApJ 542, 914; cross sections from astromodels (BSD-3)",
        params: AbsPars::SPECS,
        params_alt: NO_SPECS,
        configs: AbsCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: kaux(photoabs, tbabs_aux),
        slope: None,
    },
];

/// The time-dependent absorption component (listed last in the registry).
pub(crate) static TIME_DEPENDENT_COMPONENTS: &[ComponentInfo] = &[ComponentInfo {
    name: "tinvabs",
    kind: Kind::Mul,
    comment: "time-dependent photoelectric absorption (tbabs with NH = NH0 exp(-T/tau))",
    formula:
        "NH(T) = NH0 exp(-T/tau); factor = tbabs factor with NH(T); NaN if tau <= 0 or NH(T) < 1e-4",
    reference: "Wilms, Allen & McCray 2000 (tbabs cross sections, astromodels BSD-3)",
    params: TinvabsPars::SPECS,
    params_alt: NO_SPECS,
    configs: AbsCfg::SPECS,
    time_dependent: true,
    unavailable: None,
    kernel: kaux(tinvabs, tbabs_aux),
    slope: None,
}];
