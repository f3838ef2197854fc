//! pl and cpl (models.md 3.1).

use super::{ln1p_z, nan_fill, Grid};
use crate::math::fast::exp_of;
use crate::model::catalogue::{k, p, ComponentInfo, ALPHA, LOGA, LOG_EP, NO_SPECS, PIV1, VFV, Z0};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

kernel_params! {
    /// pl parameters.
    PlPars { alpha: p("$\\alpha$", 0.0, -10.0, 10.0), log_a: LOGA }
}

kernel_configs! {
    /// pl configuration.
    PlCfg { z: Z0, epiv: PIV1 }
}

kernel_params! {
    /// cpl parameters: `log_e` is logEp (`vfv_peak`) or logEc.
    CplPars {
        alpha: ALPHA,
        log_e: LOG_EP,
        log_a: LOGA,
    }
    alt {
        alpha: p("$\\alpha$", -1.0, -8.0, 4.0),
        log_e: p("log$E_c$", 2.0, 0.0, 4.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// cpl configuration.
    CplCfg { z: Z0, epiv: PIV1, vfv_peak: VFV }
}

/// pl: params [α, logA]; configs [redshift, pivot_energy].
/// N = A·(E'/Epiv)^α.
pub(crate) fn pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let PlPars { alpha, log_a } = PlPars::read(p);
    let PlCfg { z, epiv } = PlCfg::read(c);
    let shift = ln1p_z(z) - epiv.ln();
    let offset = log_a * LN_10 + alpha * shift;
    exp_of(out, g.ln_e, g.ln_e, |le, _| offset + alpha * le);
}

/// cpl: params [α, logEp | logEc, logA]; configs [redshift, pivot_energy, vfv_peak].
/// N = A·(E'/Epiv)^α·exp(−E'/Ec); peak mode Ec = Ep/(2+α) and requires α > −2.
pub(crate) fn cpl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let CplPars {
        alpha,
        log_e,
        log_a,
    } = CplPars::read(p);
    let CplCfg { z, epiv, vfv_peak } = CplCfg::read(c);
    let peak = vfv_peak != 0.0;
    // 1/Ec
    let inv_ec = if peak {
        if !(alpha > -2.0) {
            return nan_fill(out);
        }
        (2.0 + alpha) / 10f64.powf(log_e)
    } else {
        1.0 / 10f64.powf(log_e)
    };
    let shift = ln1p_z(z) - epiv.ln();
    // ln A + α(ln E + shift) − (1+z)E/Ec = (ln A + α·shift) + α ln E − ((1+z)/Ec)·E
    let offset = log_a * LN_10 + alpha * shift;
    let slope = (1.0 + z) * inv_ec;
    exp_of(out, g.ln_e, g.e, |le, e| (offset + alpha * le) - slope * e);
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "pl",
        kind: Kind::Add,
        comment: "power-law model",
        formula: "N(E) = A (E'/Epiv)^alpha,  E' = (1+z) E",
        reference: "",
        params: PlPars::SPECS,
        params_alt: NO_SPECS,
        configs: PlCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(pl),
        slope: None,
    },
    ComponentInfo {
        name: "cpl",
        kind: Kind::Add,
        comment: "power-law model with high-energy cutoff",
        formula:
            "N(E) = A (E'/Epiv)^alpha exp(-E'/Ec); peak mode: Ec = Ep/(2+alpha), needs alpha > -2",
        reference: "",
        params: CplPars::SPECS,
        params_alt: CplPars::ALT_SPECS,
        configs: CplCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(cpl),
        slope: None,
    },
];
