//! Thermal components: bb, mbb (models.md 3.2, XSPEC `bbody` normalisation).

use super::{nan_fill, Grid};
use crate::math::fast::{exp_in_place, gauss_legendre_64};
use crate::model::catalogue::{k, p, ComponentInfo, LOGA, NO_SPECS, Z0};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

/// XSPEC bbody constant: N = A·8.0525·E²/(kT⁴(e^(E/kT) − 1)).
const BB_NORM: f64 = 8.0525;

kernel_params! {
    /// bb parameters.
    BbPars { log_kt: p("log$kT$", 1.0, -2.0, 4.0), log_a: LOGA }
}

kernel_params! {
    /// mbb parameters.
    MbbPars {
        log_tmin: p("log$kT_{min}$", 0.0, -1.0, 3.0),
        log_tmax: p("log$kT_{max}$", 2.0, 0.0, 4.0),
        m: p("$m$", 0.0, -2.0, 2.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// bb and mbb configuration.
    ThermalCfg { z: Z0 }
}

/// bb: params [logkT, logA]; configs [redshift].
pub(crate) fn bb(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let BbPars { log_kt, log_a } = BbPars::read(p);
    let ThermalCfg { z } = ThermalCfg::read(c);
    let kt = 10f64.powf(log_kt);
    let a = 10f64.powf(log_a);
    let zf = 1.0 + z;
    let pref = a * BB_NORM / (kt * kt * kt * kt);
    // e^(−x) at every point at once (vectorised), x = E'/kT
    for (o, &e) in out.iter_mut().zip(g.e) {
        *o = -(zf * e / kt);
    }
    exp_in_place(out);
    for (o, &e) in out.iter_mut().zip(g.e) {
        let er = zf * e;
        let x = er / kt;
        let t = *o;
        // 1/(e^x − 1) = e^(−x)/(1 − e^(−x)), overflow-free; 1 − e^(−x) loses at most a bit
        // above x = 1, below it e^(−x) − 1 comes from exp_m1
        let planck = if x > 1.0 {
            t / (1.0 - t)
        } else {
            t / -(-x).exp_m1()
        };
        *o = pref * er * er * planck;
    }
}

/// mbb: params [logkTmin, logkTmax, m, logA]; configs [redshift].
/// N = 8.0525(m+1)A/(r^(m+1) − 1)·kTmin^−2·(E'/kTmin)^(m−1)·∫_{E'/kTmax}^{E'/kTmin} x^(2−m)/(e^x − 1) dx
/// with a 64-point Gauss–Legendre rule; m = −1 uses the limit 1/ln r. NaN unless kTmax > kTmin.
pub(crate) fn mbb(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let MbbPars {
        log_tmin,
        log_tmax,
        m,
        log_a,
    } = MbbPars::read(p);
    let tmin = 10f64.powf(log_tmin);
    let tmax = 10f64.powf(log_tmax);
    if !(tmax > tmin) {
        return nan_fill(out);
    }
    let ThermalCfg { z } = ThermalCfg::read(c);
    let zf = 1.0 + z;
    let ln_r = (log_tmax - log_tmin) * LN_10;
    let mp1 = m + 1.0;
    let ratio = if mp1.abs() < 1e-12 {
        1.0 / ln_r
    } else {
        mp1 / (mp1 * ln_r).exp_m1()
    };
    let pref = BB_NORM * 10f64.powf(log_a) * ratio / (tmin * tmin);
    let (nodes, weights) = gauss_legendre_64();
    for (o, &e) in out.iter_mut().zip(g.e) {
        let er = zf * e;
        let lo = er / tmax;
        let hi = er / tmin;
        let half = 0.5 * (hi - lo);
        let mid = 0.5 * (hi + lo);
        let mut integral = 0.0;
        for (t, w) in nodes.iter().zip(weights) {
            let x = half * t + mid;
            if x <= 700.0 {
                integral += w * x.powf(2.0 - m) / x.exp_m1();
            }
        }
        integral *= half;
        *o = pref * (er / tmin).powf(m - 1.0) * integral;
    }
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "bb",
        kind: Kind::Add,
        comment: "blackbody model",
        formula: "N(E) = A 8.0525 E'^2 / (kT^4 (exp(E'/kT) - 1))  (XSPEC bbody normalisation)",
        reference: "XSPEC bbody",
        params: BbPars::SPECS,
        params_alt: NO_SPECS,
        configs: ThermalCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(bb),
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
        params: MbbPars::SPECS,
        params_alt: NO_SPECS,
        configs: ThermalCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(mbb),
        slope: None,
    },
];
