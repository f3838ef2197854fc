//! Band family: band, cband, dband (models.md 3.2).

use super::{ln1p_z, nan_fill, Grid};
use crate::math::fast::exp_in_place;
use crate::model::catalogue::{
    k, p, ComponentInfo, ParSpec, ALPHA, BETA, LOGA, LOG_EP, NO_SPECS, PIV1, PIV100, Z0,
};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

kernel_params! {
    /// band parameters.
    BandPars {
        alpha: ALPHA,
        beta: BETA,
        log_ep: LOG_EP,
        log_a: LOGA,
    }
}

kernel_configs! {
    /// band configuration (pivot 100 keV).
    BandCfg { z: Z0, epiv: PIV100 }
}

// The parameters cband and dband share.
const A1: ParSpec = p("$\\alpha_1$", 1.0, -2.0, 2.0);
const A2: ParSpec = p("$\\alpha_2$", -1.0, -2.0, 2.0);
const LOG_EB: ParSpec = p("log$E_b$", 1.0, 0.0, 3.0);
const CB_LOG_EP: ParSpec = p("log$E_p$", 3.0, 1.0, 4.0);

kernel_params! {
    /// cband parameters.
    CbandPars { a1: A1, a2: A2, log_eb: LOG_EB, log_ep: CB_LOG_EP, log_a: LOGA }
}

kernel_params! {
    /// dband parameters.
    DbandPars {
        a1: A1,
        a2: A2,
        beta: BETA,
        log_eb: LOG_EB,
        log_ep: CB_LOG_EP,
        log_a: LOGA,
    }
}

kernel_configs! {
    /// cband and dband configuration (pivot 1 keV).
    CbandCfg { z: Z0, epiv: PIV1 }
}

/// band: params [α, β, logEp, logA]; configs [redshift, pivot_energy].
/// Ec = Ep/(2+α), Eb = (α−β)Ec; E' ≤ Eb: A(E'/Epiv)^α e^(−E'/Ec);
/// E' > Eb: A(Eb/Epiv)^(α−β) e^(β−α) (E'/Epiv)^β. NaN when α ≤ −2 or β > α (recommended fix).
pub(crate) fn band(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let BandPars {
        alpha,
        beta,
        log_ep,
        log_a,
    } = BandPars::read(p);
    let BandCfg { z, epiv } = BandCfg::read(c);
    if !(alpha > -2.0 && beta <= alpha) {
        return nan_fill(out);
    }
    let ep = 10f64.powf(log_ep);
    let ec = ep / (2.0 + alpha);
    let eb = (alpha - beta) * ec;
    let ln_a = log_a * LN_10;
    let ln_epiv = epiv.ln();
    let ln_zf = ln1p_z(z);
    let zf = 1.0 + z;
    // constant of the high-energy branch: ln A + (α−β) ln(Eb/Epiv) + (β−α)
    let hi0 = if alpha == beta {
        ln_a
    } else {
        ln_a + (alpha - beta) * (eb.ln() - ln_epiv) + (beta - alpha)
    };
    // both branches' exponents, then a select: branch-free, so the loop vectorises.
    // With lr = ln E + shift: low = (ln A + α·shift) + α ln E − E'/Ec,
    // high = (hi0 + β·shift) + β ln E.
    let shift = ln_zf - ln_epiv;
    let consts = BandExponent {
        zf,
        low0: ln_a + alpha * shift,
        alpha,
        inv_ec: 1.0 / ec,
        high0: hi0 + beta * shift,
        beta,
        eb,
    };
    band_exponents(&consts, out, g.ln_e, g.e);
    exp_in_place(out);
}

/// The exponent of band at each energy: (low0 + α ln E) − (1+z)E/Ec below the break
/// energy (E' ≤ Eb), high0 + β ln E above.
#[derive(Clone, Copy)]
struct BandExponent {
    zf: f64,
    low0: f64,
    alpha: f64,
    inv_ec: f64,
    high0: f64,
    beta: f64,
    eb: f64,
}

simd_dispatch! { "avx2";
    /// The exponents into `out`: [`BandExponent::fill_loop`] on the widest vectors the CPU has.
    fn band_exponents(c: &BandExponent, out: &mut [f64], ln_e: &[f64], e: &[f64])
        => BandExponent::fill_loop
}

impl BandExponent {
    /// Both branches' exponents, then a select: branch-free, so the loop vectorises.
    #[inline(always)]
    fn fill_loop(&self, out: &mut [f64], ln_e: &[f64], e: &[f64]) {
        let BandExponent {
            zf,
            low0,
            alpha,
            inv_ec,
            high0,
            beta,
            eb,
        } = *self;
        for ((o, &le), &e) in out.iter_mut().zip(ln_e).zip(e) {
            let er = zf * e;
            let low = (low0 + alpha * le) - er * inv_ec;
            let high = high0 + beta * le;
            *o = if er <= eb { low } else { high };
        }
    }
}

/// cband: params [α1, α2, logEb, logEp, logA]; configs [redshift, pivot_energy].
/// Ec2 = Ep/(2+α2), 1/Ec1 = 1/Ec2 + (α1−α2)/Eb. NaN when α2 ≤ −2 (recommended fix).
pub(crate) fn cband(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let CbandPars {
        a1,
        a2,
        log_eb,
        log_ep,
        log_a,
    } = CbandPars::read(p);
    let Some(cb) = Cband::new(a1, a2, log_eb, log_ep, log_a, c) else {
        return nan_fill(out);
    };
    for ((o, &le), &e) in out.iter_mut().zip(g.ln_e).zip(g.e) {
        let (er, lr) = cb.frame(le, e);
        *o = cb.exponent(er, lr);
    }
    exp_in_place(out);
}

/// The two cutoff segments of cband (and the first two of dband), in logs.
struct Cband {
    a1: f64,
    a2: f64,
    /// break energy Eb (keV)
    eb: f64,
    ec2: f64,
    inv_ec1: f64,
    ln_a: f64,
    ln_epiv: f64,
    ln_zf: f64,
    zf: f64,
    /// constant of segment 2: ln A + (α1−α2) ln(Eb/Epiv) + (α2−α1)
    seg2: f64,
}

impl Cband {
    /// From the segments' parameters and the configs [redshift, pivot_energy]; `None` when
    /// α2 ≤ −2 (recommended fix).
    fn new(a1: f64, a2: f64, log_eb: f64, log_ep: f64, log_a: f64, c: &[f64]) -> Option<Cband> {
        let CbandCfg { z, epiv } = CbandCfg::read(c);
        if !(a2 > -2.0) {
            return None;
        }
        let eb = 10f64.powf(log_eb);
        let ec2 = 10f64.powf(log_ep) / (2.0 + a2);
        let ln_a = log_a * LN_10;
        let ln_epiv = epiv.ln();
        Some(Cband {
            a1,
            a2,
            eb,
            ec2,
            inv_ec1: 1.0 / ec2 + (a1 - a2) / eb,
            ln_a,
            ln_epiv,
            ln_zf: ln1p_z(z),
            zf: 1.0 + z,
            seg2: ln_a + (a1 - a2) * (eb.ln() - ln_epiv) + (a2 - a1),
        })
    }

    /// (E', ln(E'/Epiv)) of an observer-frame energy and its log.
    #[inline]
    fn frame(&self, le: f64, e: f64) -> (f64, f64) {
        (self.zf * e, le + self.ln_zf - self.ln_epiv)
    }

    /// ln N at E' (segment 1 when E' ≤ Eb, else segment 2).
    #[inline]
    fn exponent(&self, er: f64, lr: f64) -> f64 {
        if er <= self.eb {
            self.ln_a + self.a1 * lr - er * self.inv_ec1
        } else {
            self.seg2 + self.a2 * lr - er / self.ec2
        }
    }
}

/// dband: params [α1, α2, β, logEb, logEp, logA]; configs [redshift, pivot_energy].
/// Three segments; segment 3 (E' > Eb2) takes precedence, then segment 1 (E' ≤ Eb1).
/// NaN when α2 ≤ −2 (recommended fix).
pub(crate) fn dband(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
    let d = DbandPars::read(p);
    let Some(cb) = Cband::new(d.a1, d.a2, d.log_eb, d.log_ep, d.log_a, c) else {
        return nan_fill(out);
    };
    let (a2, beta) = (d.a2, d.beta);
    let eb2 = cb.ec2 * (a2 - beta);
    let seg3 = if a2 == beta {
        cb.seg2
    } else {
        cb.seg2 + (a2 - beta) * (eb2.ln() - cb.ln_epiv) + (beta - a2)
    };
    for ((o, &le), &e) in out.iter_mut().zip(g.ln_e).zip(g.e) {
        let (er, lr) = cb.frame(le, e);
        *o = if er > eb2 {
            seg3 + beta * lr
        } else {
            cb.exponent(er, lr)
        };
    }
    exp_in_place(out);
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "band",
        kind: Kind::Add,
        comment: "Band function",
        formula: "Ec = Ep/(2+alpha), Eb = (alpha-beta) Ec; E' <= Eb: A (E'/Epiv)^alpha exp(-E'/Ec); \
                  E' > Eb: A (Eb/Epiv)^(alpha-beta) exp(beta-alpha) (E'/Epiv)^beta; NaN if alpha <= -2 or beta > alpha",
        reference: "Band et al. 1993, ApJ 413, 281 (doi 10.1086/172995)",
        params: BandPars::SPECS,
        params_alt: NO_SPECS,
        configs: BandCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(band),
        slope: None,
    },
    ComponentInfo {
        name: "cband",
        kind: Kind::Add,
        comment: "Band function with a high-energy cutoff",
        formula: "Ec2 = Ep/(2+a2), 1/Ec1 = 1/Ec2 + (a1-a2)/Eb; E' <= Eb: A (E'/Epiv)^a1 exp(-E'/Ec1); \
                  E' > Eb: A (Eb/Epiv)^(a1-a2) exp(a2-a1) (E'/Epiv)^a2 exp(-E'/Ec2); NaN if a2 <= -2",
        reference: "ApJ 751, 90 (2012) (doi 10.1088/0004-637X/751/2/90)",
        params: CbandPars::SPECS,
        params_alt: NO_SPECS,
        configs: CbandCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(cband),
        slope: None,
    },
    ComponentInfo {
        name: "dband",
        kind: Kind::Add,
        comment: "double Band function",
        formula: "cband below Eb2 = Ec2 (a2-beta), power law of index beta above (segment 3 wins when Eb2 < Eb1); \
                  NaN if a2 <= -2",
        reference: "ApJ 751, 90 (2012) (doi 10.1088/0004-637X/751/2/90)",
        params: DbandPars::SPECS,
        params_alt: NO_SPECS,
        configs: CbandCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(dband),
        slope: None,
    },
];
