//! Convex ("Ravasio") smoothly broken power laws: sb2pl, csb2pl, sb3pl, sb4pl (models.md 3.1).
//!
//! Two pieces join as the smooth minimum J(F1, F2; ω) = (F1^−ω + F2^−ω)^(−1/ω), computed in logs.
//! Further segments nest the join with a power law through the previous curve's value at Eb.

use super::kaneko::{CsbplPars, SbplPars, TsbplPars};
use super::{ln1p_z, nan_fill, Grid};
use crate::math::fast::exp_in_place;
use crate::math::log_add_exp;
use crate::model::catalogue::{cnum, k, p, ComponentInfo, LOGA, NO_SPECS, PIV1, VFV, Z0};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

/// One extra nesting level: index, ln Eb, ω, and the previous curve's log value at Eb.
#[derive(Clone, Copy, Default)]
struct Level {
    alpha: f64,
    ln_eb: f64,
    omega: f64,
    s_at_eb: f64,
}

/// A 2-segment join plus up to two nesting levels.
struct Convex {
    a1: f64,
    a2: f64,
    ln_eb: f64,
    omega: f64,
    levels: [Level; 2],
    nlevel: usize,
}

impl Convex {
    fn new(a1: f64, a2: f64, ln_eb: f64, omega: f64) -> Convex {
        Convex {
            a1,
            a2,
            ln_eb,
            omega,
            levels: [Level::default(); 2],
            nlevel: 0,
        }
    }

    /// S2(ln E) = −log_add_exp(−ω a1 L, −ω a2 L)/ω, L = ln(E/Eb).
    #[inline]
    fn s2(&self, ln_e: f64) -> f64 {
        let l = ln_e - self.ln_eb;
        -log_add_exp(-self.omega * self.a1 * l, -self.omega * self.a2 * l) / self.omega
    }

    /// The full nested ln S at ln E.
    #[inline]
    fn s(&self, ln_e: f64) -> f64 {
        let mut s = self.s2(ln_e);
        for lv in &self.levels[..self.nlevel] {
            let piece = lv.alpha * (ln_e - lv.ln_eb) + lv.s_at_eb;
            s = -log_add_exp(-lv.omega * s, -lv.omega * piece) / lv.omega;
        }
        s
    }

    /// Append a nesting level (computes the previous curve's value at its break).
    fn push(&mut self, alpha: f64, ln_eb: f64, omega: f64) {
        let s_at_eb = self.s(ln_eb);
        self.levels[self.nlevel] = Level {
            alpha,
            ln_eb,
            omega,
            s_at_eb,
        };
        self.nlevel += 1;
    }

    /// N = exp(ln A + S(E') − S(Epiv) − E'/Ec).
    fn eval(&self, g: &Grid, z: f64, epiv: f64, log_a: f64, inv_ec: f64, out: &mut [f64]) {
        let ln_zf = ln1p_z(z);
        let zf = 1.0 + z;
        let c0 = log_a * LN_10 - self.s(epiv.ln());
        for ((o, &le), &e) in out.iter_mut().zip(g.ln_e).zip(g.e) {
            *o = c0 + self.s(le + ln_zf) - zf * e * inv_ec;
        }
        exp_in_place(out);
    }
}

kernel_configs! {
    /// sb2pl and csb2pl configuration.
    Sb2plCfg { z: Z0, epiv: PIV1, vfv_peak: VFV, omega: cnum("smoothness", 2.0) }
}

kernel_params! {
    /// sb3pl parameters.
    Sb3plPars {
        a1: p("$\\alpha_1$", 1.0, -6.0, 4.0),
        a2: p("$\\alpha_2$", -1.0, -6.0, 4.0),
        a3: p("$\\alpha_3$", -3.0, -6.0, 4.0),
        log_eb1: p("log$E_{b1}$", 1.0, -1.0, 3.0),
        log_eb2: p("log$E_{b2}$", 2.0, 0.0, 4.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// sb3pl configuration.
    Sb3plCfg { z: Z0, epiv: PIV1, w1: cnum("smoothness1", 2.0), w2: cnum("smoothness2", 2.0) }
}

kernel_configs! {
    /// sb4pl configuration.
    Sb4plCfg {
        z: Z0,
        epiv: PIV1,
        w1: cnum("smoothness1", 2.0),
        w2: cnum("smoothness2", 2.0),
        w3: cnum("smoothness3", 2.0),
    }
}

/// sb2pl: params [α, β, logEp, logA] | [α1, α2, logEb, logA];
/// configs [redshift, pivot_energy, vfv_peak, smoothness].
pub(crate) fn sb2pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let SbplPars {
        a1,
        a2,
        log_e,
        log_a,
    } = SbplPars::read(p);
    let Sb2plCfg {
        z,
        epiv,
        vfv_peak,
        omega,
    } = Sb2plCfg::read(c);
    let peak = vfv_peak != 0.0;
    if !(omega > 0.0) {
        return nan_fill(out);
    }
    let ln_eb = if peak {
        if !(a1 > -2.0 && a2 < -2.0) {
            return nan_fill(out);
        }
        // Eb = Ep·(−(α+2)/(β+2))^(1/((β−α)ω))
        log_e * LN_10 + (-(a1 + 2.0) / (a2 + 2.0)).ln() / ((a2 - a1) * omega)
    } else {
        if !(a1 > a2) {
            return nan_fill(out);
        }
        log_e * LN_10
    };
    Convex::new(a1, a2, ln_eb, omega).eval(g, z, epiv, log_a, 0.0, out);
}

/// csb2pl: params [α1, α2, logEb, logEp | logEc, logA];
/// configs [redshift, pivot_energy, vfv_peak, smoothness].
pub(crate) fn csb2pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let CsbplPars {
        a1,
        a2,
        log_eb,
        log_e,
        log_a,
    } = CsbplPars::read(p);
    let Sb2plCfg {
        z,
        epiv,
        vfv_peak,
        omega,
    } = Sb2plCfg::read(c);
    let peak = vfv_peak != 0.0;
    if !(omega > 0.0 && a1 > a2) {
        return nan_fill(out);
    }
    let inv_ec = if peak {
        if !(a2 > -2.0) {
            return nan_fill(out);
        }
        let qp = (a1 - a2) * omega * (log_e - log_eb) * LN_10;
        (a2 + 2.0 + (a1 - a2) * crate::math::fast::inv_1p_exp(qp)) / 10f64.powf(log_e)
    } else {
        1.0 / 10f64.powf(log_e)
    };
    Convex::new(a1, a2, log_eb * LN_10, omega).eval(g, z, epiv, log_a, inv_ec, out);
}

/// sb3pl: params [α1, α2, α3, logEb1, logEb2, logA];
/// configs [redshift, pivot_energy, smoothness1, smoothness2].
pub(crate) fn sb3pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let Sb3plPars {
        a1,
        a2,
        a3,
        log_eb1,
        log_eb2,
        log_a,
    } = Sb3plPars::read(p);
    let Sb3plCfg { z, epiv, w1, w2 } = Sb3plCfg::read(c);
    if !(w1 > 0.0 && w2 > 0.0 && a1 > a2 && a2 > a3) {
        return nan_fill(out);
    }
    let mut cv = Convex::new(a1, a2, log_eb1 * LN_10, w1);
    cv.push(a3, log_eb2 * LN_10, w2);
    cv.eval(g, z, epiv, log_a, 0.0, out);
}

/// sb4pl: params [α1..α4, logEb1..3, logA]; configs [redshift, pivot_energy, smoothness1..3].
pub(crate) fn sb4pl(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let TsbplPars {
        a1,
        a2,
        a3,
        a4,
        log_eb1,
        log_eb2,
        log_eb3,
        log_a,
    } = TsbplPars::read(p);
    let Sb4plCfg {
        z,
        epiv,
        w1,
        w2,
        w3,
    } = Sb4plCfg::read(c);
    if !(w1 > 0.0 && w2 > 0.0 && w3 > 0.0 && a1 > a2 && a2 > a3 && a3 > a4) {
        return nan_fill(out);
    }
    let mut cv = Convex::new(a1, a2, log_eb1 * LN_10, w1);
    cv.push(a3, log_eb2 * LN_10, w2);
    cv.push(a4, log_eb3 * LN_10, w3);
    cv.eval(g, z, epiv, log_a, 0.0, out);
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "sb2pl",
        kind: Kind::Add,
        comment: "convex 2-segment smoothly broken power-law model",
        formula: "N(E) = A S(E')/S(Epiv), S = ((E/Eb)^(-w a1) + (E/Eb)^(-w a2))^(-1/w); \
                  peak mode: Eb = Ep (-(alpha+2)/(beta+2))^(1/((beta-alpha) w))",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: SbplPars::SPECS,
        params_alt: SbplPars::ALT_SPECS,
        configs: Sb2plCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(sb2pl),
        slope: None,
    },
    ComponentInfo {
        name: "csb2pl",
        kind: Kind::Add,
        comment: "convex 2-segment smoothly broken power-law model with exponential cutoff",
        formula: "N(E) = A S(E') exp(-E'/Ec)/S(Epiv); peak mode: Ec = Ep/(a2 + 2 + (a1-a2)/(1+exp(qp)))",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: CsbplPars::SPECS,
        params_alt: CsbplPars::ALT_SPECS,
        configs: Sb2plCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(csb2pl),
        slope: None,
    },
    ComponentInfo {
        name: "sb3pl",
        kind: Kind::Add,
        comment: "convex 3-segment smoothly broken power-law model",
        formula: "nested convex join of sb2pl(a1, a2, Eb1, w1) with a power law of index a3 through its value at Eb2",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: Sb3plPars::SPECS,
        params_alt: NO_SPECS,
        configs: Sb3plCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(sb3pl),
        slope: None,
    },
    ComponentInfo {
        name: "sb4pl",
        kind: Kind::Add,
        comment: "convex 4-segment smoothly broken power-law model",
        formula: "sb3pl nested once more with a power law of index a4 through its value at Eb3",
        reference: "Ravasio et al. 2018, A&A 613, A16 (doi 10.1051/0004-6361/201732245)",
        params: TsbplPars::SPECS,
        params_alt: NO_SPECS,
        configs: Sb4plCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(sb4pl),
        slope: None,
    },
];
