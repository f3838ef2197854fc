//! pl and cpl (models.md 3.1).

use super::{ln1p_z, nan_fill, Grid};
use crate::math::fast::exp_of;
use crate::model::catalogue::{k, p, ComponentInfo, LOGA, NO_SPECS, PIV1, VFV, Z0};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

/// pl: params [α, logA]; configs [redshift, pivot_energy].
/// N = A·(E'/Epiv)^α.
pub(crate) fn pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let (alpha, log_a) = (p[0], p[1]);
    let (z, epiv) = (c[0], c[1]);
    let shift = ln1p_z(z) - epiv.ln();
    let offset = log_a * LN_10 + alpha * shift;
    exp_of(out, g.ln_e, g.ln_e, |le, _| offset + alpha * le);
}

/// cpl: params [α, logEp | logEc, logA]; configs [redshift, pivot_energy, vfv_peak].
/// N = A·(E'/Epiv)^α·exp(−E'/Ec); peak mode Ec = Ep/(2+α) and requires α > −2.
pub(crate) fn cpl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let (alpha, log_e, log_a) = (p[0], p[1], p[2]);
    let (z, epiv, peak) = (c[0], c[1], c[2] != 0.0);
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
        params: &[p("$\\alpha$", 0.0, -10.0, 10.0), LOGA],
        params_alt: NO_SPECS,
        configs: &[Z0, PIV1],
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
        params: &[
            p("$\\alpha$", -1.0, -2.0, 2.0),
            p("log$E_p$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        params_alt: &[
            p("$\\alpha$", -1.0, -8.0, 4.0),
            p("log$E_c$", 2.0, 0.0, 4.0),
            LOGA,
        ],
        configs: &[Z0, PIV1, VFV],
        time_dependent: false,
        unavailable: None,
        kernel: k(cpl),
        slope: None,
    },
];
