//! Time-dependent curvature-effect (high-latitude emission) components: hlecpl, hleband
//! (models.md 3.2). Validity is tested per element (recommended rule B6): a point whose time is
//! before tc, or any point when tc ≤ t0, is NaN.

use super::{ln1p_z, nan_fill, time_at, Grid};
use crate::model::catalogue::{k, p, ComponentInfo, ParSpec, ALPHA, NO_SPECS, PIV1, PIV100, Z0};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

// The parameters both components share.
const LOG_EPC: ParSpec = p("log$E_{p,c}$", 2.0, 0.0, 4.0);
const LOG_AC: ParSpec = p("log$A_c$", 0.0, -6.0, 6.0);
const T0: ParSpec = p("$t_0$", 0.0, -20.0, 20.0);
const TC: ParSpec = p("$t_c$", 10.0, 0.0, 50.0);

kernel_params! {
    /// hlecpl parameters.
    HlecplPars { alpha: ALPHA, log_epc: LOG_EPC, log_ac: LOG_AC, t0: T0, tc: TC }
}

kernel_configs! {
    /// hlecpl configuration (pivot 1 keV).
    HlecplCfg { z: Z0, epiv: PIV1 }
}

kernel_params! {
    /// hleband parameters.
    HlebandPars {
        alpha: ALPHA,
        beta: p("$\\beta$", -4.0, -6.0, -2.0),
        log_epc: LOG_EPC,
        log_ac: LOG_AC,
        t0: T0,
        tc: TC,
    }
}

kernel_configs! {
    /// hleband configuration (pivot 100 keV).
    HlebandCfg { z: Z0, epiv: PIV100 }
}

/// The decay both components share: `out[i] = f(τ, ln A(T), ln E, E)` at each point's time T,
/// with τ = (T−t0)/(tc−t0) and A(T) = Ac·τ^(α−1); NaN before tc, and everywhere without
/// times or when tc ≤ t0.
#[inline(always)]
fn decay(
    g: &Grid,
    alpha: f64,
    log_ac: f64,
    t0: f64,
    tc: f64,
    out: &mut [f64],
    f: impl Fn(f64, f64, f64, f64) -> f64,
) {
    let Some(t) = g.t else {
        return nan_fill(out);
    };
    if !(tc > t0) {
        return nan_fill(out);
    }
    let ln_ac = log_ac * LN_10;
    for (i, ((o, &le), &e)) in out.iter_mut().zip(g.ln_e).zip(g.e).enumerate() {
        let ti = time_at(t, i);
        if !(ti >= tc) {
            *o = f64::NAN;
            continue;
        }
        let tau = (ti - t0) / (tc - t0);
        *o = f(tau, ln_ac + (alpha - 1.0) * tau.ln(), le, e);
    }
}

/// hlecpl: params [α, logEpc, logAc, t0, tc]; configs [redshift, pivot_energy].
/// τ = (T−t0)/(tc−t0), Ep(T) = Epc/τ, A(T) = Ac·τ^(α−1),
/// N = A(T)(E'/Epiv)^α exp(−(2+α)E'/Ep(T)).
pub(crate) fn hlecpl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let HlecplPars {
        alpha,
        log_epc,
        log_ac,
        t0,
        tc,
    } = HlecplPars::read(p);
    let HlecplCfg { z, epiv } = HlecplCfg::read(c);
    let epc = 10f64.powf(log_epc);
    let shift = ln1p_z(z) - epiv.ln();
    let zf = 1.0 + z;
    decay(g, alpha, log_ac, t0, tc, out, |tau, ln_at, le, e| {
        (ln_at + alpha * (le + shift) - (2.0 + alpha) * zf * e * tau / epc).exp()
    });
}

/// hleband: params [α, β, logEpc, logAc, t0, tc]; configs [redshift, pivot_energy].
/// Eb(T) = (α−β)/(α+2)·Ep(T); E' < Eb: cpl-like branch, else A(T)(Eb/Epiv)^(α−β)e^(β−α)(E'/Epiv)^β.
/// NaN when α ≤ −2 or β > α (recommended fix, as band).
pub(crate) fn hleband(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let HlebandPars {
        alpha,
        beta,
        log_epc,
        log_ac,
        t0,
        tc,
    } = HlebandPars::read(p);
    let HlebandCfg { z, epiv } = HlebandCfg::read(c);
    if !(alpha > -2.0 && beta <= alpha) {
        return nan_fill(out);
    }
    let epc = 10f64.powf(log_epc);
    let ln_epiv = epiv.ln();
    let ln_zf = ln1p_z(z);
    let zf = 1.0 + z;
    decay(g, alpha, log_ac, t0, tc, out, |tau, ln_at, le, e| {
        let ep = epc / tau;
        let eb = (alpha - beta) / (alpha + 2.0) * ep;
        let er = zf * e;
        let lr = le + ln_zf - ln_epiv;
        if er < eb {
            (ln_at + alpha * lr - (2.0 + alpha) * er / ep).exp()
        } else {
            let hi0 = if alpha == beta {
                ln_at
            } else {
                ln_at + (alpha - beta) * (eb.ln() - ln_epiv) + (beta - alpha)
            };
            (hi0 + beta * lr).exp()
        }
    });
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "hlecpl",
        kind: Kind::Add,
        comment: "curvature-effect (high-latitude emission) cutoff power-law model, time-dependent",
        formula: "tau = (T-t0)/(tc-t0), Ep(T) = Epc/tau, A(T) = Ac tau^(alpha-1); \
                  N = A(T) (E'/Epiv)^alpha exp(-(2+alpha) E'/Ep(T)); NaN if tc <= t0 or T < tc",
        reference: "curvature effect, cf. Kumar & Panaitescu 2000, ApJ 541, L51",
        params: HlecplPars::SPECS,
        params_alt: NO_SPECS,
        configs: HlecplCfg::SPECS,
        time_dependent: true,
        unavailable: None,
        kernel: k(hlecpl),
        slope: None,
    },
    ComponentInfo {
        name: "hleband",
        kind: Kind::Add,
        comment: "curvature-effect (high-latitude emission) Band function, time-dependent",
        formula: "as hlecpl with a Band shape: Eb(T) = (alpha-beta)/(alpha+2) Ep(T); \
                  NaN if tc <= t0, T < tc, alpha <= -2 or beta > alpha",
        reference: "curvature effect, cf. Kumar & Panaitescu 2000, ApJ 541, L51",
        params: HlebandPars::SPECS,
        params_alt: NO_SPECS,
        configs: HlebandCfg::SPECS,
        time_dependent: true,
        unavailable: None,
        kernel: k(hleband),
        slope: None,
    },
];
