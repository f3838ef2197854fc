//! Kaneko-style smoothly broken power laws: sbpl, csbpl, dsbpl, tsbpl (models.md 3.1).
//!
//! ln N(E) = ln A + b·ln(E'/Epiv) + ln10·Σ_i m_i·Δ_i·[lncosh(q_i(E')) − lncosh(q_i(Epiv))] − E'/Ec
//! with q_i(E) = log10(E/Eb_i)/Δ_i, m_i = (index_{i+1} − index_i)/2, b = (first + last index)/2.

use super::{ln1p_z, nan_fill, Grid};
use crate::math::fast::{brent_root, exp_in_place, inv_1p_exp, lncosh, lncosh_poly, sech2};
use crate::math::log_add_exp;
use crate::model::catalogue::{
    cnum, k, p, ComponentInfo, ALPHA, BETA, LOGA, LOG_EP, NO_SPECS, PIV1, VFV, Z0,
};
use crate::model::kind::Kind;
use std::f64::consts::LN_10;

/// One smooth break: half index change, ln of the break energy, width in decades.
#[derive(Clone, Copy, Default)]
struct Break {
    m: f64,
    ln_eb: f64,
    delta: f64,
}

/// Everything the generic form needs, derived from params and configs.
struct Shape {
    ln_a: f64,
    b: f64,
    breaks: [Break; 3],
    nbreak: usize,
    /// 1/Ec (0 when there is no cutoff)
    inv_ec: f64,
    zf: f64,
    ln_zf: f64,
    ln_epiv: f64,
}

impl Shape {
    fn breaks(&self) -> &[Break] {
        &self.breaks[..self.nbreak]
    }

    /// Σ m_i Δ_i lncosh(q_i) at ln E (rest frame) times ln10.
    #[inline]
    fn break_sum(&self, ln_e: f64) -> f64 {
        let mut s = 0.0;
        for br in self.breaks() {
            let q = (ln_e - br.ln_eb) / (br.delta * LN_10);
            s += br.m * br.delta * lncosh_poly(q);
        }
        s * LN_10
    }

    /// N at every energy: the exponents ([`Shape::exponents`]), then [`exp_in_place`].
    fn eval(&self, g: &Grid, out: &mut [f64]) {
        let c0 = self.ln_a - self.break_sum(self.ln_epiv);
        shape_exponents(self, c0, g.ln_e, g.e, out);
        exp_in_place(out);
    }

    /// ln N at every energy: c0 + b(ln E' − ln Epiv) + [`Shape::break_sum`](E') − E'/Ec, the
    /// break sum accumulated in `out` one break at a time (a pass per break vectorises).
    #[inline(always)]
    fn exponents(&self, c0: f64, ln_e: &[f64], e: &[f64], out: &mut [f64]) {
        let n = out.len();
        let (ln_e, e, out) = (&ln_e[..n], &e[..n], &mut out[..n]);
        out.fill(0.0);
        for br in self.breaks() {
            let (ln_eb, width, md) = (br.ln_eb, br.delta * LN_10, br.m * br.delta);
            for (o, &le) in out.iter_mut().zip(ln_e) {
                let q = (le + self.ln_zf - ln_eb) / width;
                *o += md * lncosh_poly(q);
            }
        }
        let (b, ln_zf, ln_epiv, zf, inv_ec) =
            (self.b, self.ln_zf, self.ln_epiv, self.zf, self.inv_ec);
        for ((o, &le), &e) in out.iter_mut().zip(ln_e).zip(e) {
            let lr = le + ln_zf;
            *o = c0 + b * (lr - ln_epiv) + *o * LN_10 - zf * e * inv_ec;
        }
    }

    fn slope(&self, g: &Grid, out: &mut [f64]) {
        for ((o, &le), &e) in out.iter_mut().zip(g.ln_e).zip(g.e) {
            let lr = le + self.ln_zf;
            let mut s = self.b;
            for br in self.breaks() {
                s += br.m * ((lr - br.ln_eb) / (br.delta * LN_10)).tanh();
            }
            *o = s - self.zf * e * self.inv_ec;
        }
    }
}

simd_dispatch! { "avx2";
    /// [`Shape::exponents`] on the widest vectors the CPU has.
    fn shape_exponents(shape: &Shape, c0: f64, ln_e: &[f64], e: &[f64], out: &mut [f64])
        => Shape::exponents
}

kernel_params! {
    /// sbpl and sb2pl parameters: (α, β, logEp) in peak mode, else (α1, α2, logEb).
    SbplPars {
        a1: ALPHA,
        a2: BETA,
        log_e: LOG_EP,
        log_a: LOGA,
    }
    alt {
        a1: p("$\\alpha_1$", -1.0, -6.0, 4.0),
        a2: p("$\\alpha_2$", -3.0, -6.0, 4.0),
        log_e: p("log$E_b$", 2.0, 0.0, 4.0),
        log_a: LOGA,
    }
}

kernel_params! {
    /// csbpl and csb2pl parameters: `log_e` is logEp in peak mode, else logEc.
    CsbplPars {
        a1: p("$\\alpha_1$", 1.0, -2.0, 2.0),
        a2: p("$\\alpha_2$", -1.0, -2.0, 2.0),
        log_eb: p("log$E_b$", 1.0, -1.0, 3.0),
        log_e: LOG_EP,
        log_a: LOGA,
    }
    alt {
        a1: p("$\\alpha_1$", 1.0, -6.0, 4.0),
        a2: p("$\\alpha_2$", -1.0, -6.0, 4.0),
        log_eb: p("log$E_b$", 1.0, -1.0, 3.0),
        log_e: p("log$E_c$", 2.0, 0.0, 4.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// sbpl and csbpl configuration.
    SbplCfg { z: Z0, epiv: PIV1, vfv_peak: VFV, delta: cnum("smoothness", 0.3) }
}

kernel_params! {
    /// dsbpl parameters: (β, logEb, logEp) in peak mode, else (α3, logEb1, logEb2).
    DsbplPars {
        a1: p("$\\alpha_1$", 1.0, -2.0, 2.0),
        a2: p("$\\alpha_2$", -1.0, -2.0, 2.0),
        a3: BETA,
        log_eb1: p("log$E_b$", 1.0, -1.0, 3.0),
        log_e: LOG_EP,
        log_a: LOGA,
    }
    alt {
        a1: p("$\\alpha_1$", 1.0, -6.0, 4.0),
        a2: p("$\\alpha_2$", -1.0, -6.0, 4.0),
        a3: p("$\\alpha_3$", -3.0, -6.0, 4.0),
        log_eb1: p("log$E_{b1}$", 1.0, -1.0, 3.0),
        log_e: p("log$E_{b2}$", 2.0, 0.0, 4.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// dsbpl configuration.
    DsbplCfg {
        z: Z0,
        epiv: PIV1,
        vfv_peak: VFV,
        d1: cnum("smoothness1", 0.3),
        d2: cnum("smoothness2", 0.3),
    }
}

kernel_params! {
    /// tsbpl and sb4pl parameters.
    TsbplPars {
        a1: p("$\\alpha_1$", 2.0, -6.0, 4.0),
        a2: p("$\\alpha_2$", 1.0, -6.0, 4.0),
        a3: p("$\\alpha_3$", -1.0, -6.0, 4.0),
        a4: p("$\\alpha_4$", -3.0, -6.0, 4.0),
        log_eb1: p("log$E_{b1}$", 1.0, -1.0, 3.0),
        log_eb2: p("log$E_{b2}$", 2.0, 0.0, 4.0),
        log_eb3: p("log$E_{b3}$", 3.0, 1.0, 5.0),
        log_a: LOGA,
    }
}

kernel_configs! {
    /// tsbpl configuration.
    TsbplCfg {
        z: Z0,
        epiv: PIV1,
        d1: cnum("smoothness1", 0.3),
        d2: cnum("smoothness2", 0.3),
        d3: cnum("smoothness3", 0.3),
    }
}

/// The shape with indices `alphas`, joined at the breaks `log_ebs` (log10 keV) of widths
/// `deltas`; b is the mean of the first and last index. No cutoff.
fn with_breaks(
    z: f64,
    epiv: f64,
    log_a: f64,
    alphas: &[f64],
    log_ebs: &[f64],
    deltas: &[f64],
) -> Shape {
    let nbreak = log_ebs.len();
    let mut breaks = [Break::default(); 3];
    for (i, br) in breaks[..nbreak].iter_mut().enumerate() {
        *br = Break {
            m: 0.5 * (alphas[i + 1] - alphas[i]),
            ln_eb: log_ebs[i] * LN_10,
            delta: deltas[i],
        };
    }
    Shape {
        ln_a: log_a * LN_10,
        b: 0.5 * (alphas[0] + alphas[nbreak]),
        breaks,
        nbreak,
        inv_ec: 0.0,
        zf: 1.0 + z,
        ln_zf: ln1p_z(z),
        ln_epiv: epiv.ln(),
    }
}

/// sbpl: params [α, β, logEp, logA] | [α1, α2, logEb, logA];
/// configs [redshift, pivot_energy, vfv_peak, smoothness].
fn sbpl_shape(p: &[f64], c: &[f64]) -> Option<Shape> {
    let SbplPars {
        a1,
        a2,
        log_e,
        log_a,
    } = SbplPars::read(p);
    let SbplCfg {
        z,
        epiv,
        vfv_peak,
        delta,
    } = SbplCfg::read(c);
    let peak = vfv_peak != 0.0;
    if !(delta > 0.0) {
        return None;
    }
    let log_eb = if peak {
        if !(a1 > -2.0 && a2 < -2.0) {
            return None;
        }
        log_e - delta * ((a1 + a2 + 4.0) / (a1 - a2)).atanh()
    } else {
        log_e
    };
    Some(with_breaks(z, epiv, log_a, &[a1, a2], &[log_eb], &[delta]))
}

/// csbpl: params [α1, α2, logEb, logEp | logEc, logA];
/// configs [redshift, pivot_energy, vfv_peak, smoothness].
fn csbpl_shape(p: &[f64], c: &[f64]) -> Option<Shape> {
    let CsbplPars {
        a1,
        a2,
        log_eb,
        log_e,
        log_a,
    } = CsbplPars::read(p);
    let SbplCfg {
        z,
        epiv,
        vfv_peak,
        delta,
    } = SbplCfg::read(c);
    let peak = vfv_peak != 0.0;
    if !(delta > 0.0) {
        return None;
    }
    let inv_ec = if peak {
        if !(a2 > -2.0) {
            return None;
        }
        let qp = (log_e - log_eb) / delta;
        let s0 = 2.0 + a2 + (a1 - a2) * inv_1p_exp(2.0 * qp);
        if !(s0 > 0.0) {
            return None;
        }
        if a1 < a2 && !csbpl_peak_is_max(a1, a2, delta, qp, s0) {
            return None;
        }
        s0 / 10f64.powf(log_e)
    } else {
        1.0 / 10f64.powf(log_e)
    };
    let mut s = with_breaks(z, epiv, log_a, &[a1, a2], &[log_eb], &[delta]);
    s.inv_ec = inv_ec;
    Some(s)
}

/// csbpl peak-mode validity (α1 < α2): Ep must be the highest strict maximum of E²N.
fn csbpl_peak_is_max(a1: f64, a2: f64, delta: f64, qp: f64, s0: f64) -> bool {
    let w = delta * LN_10;
    let m = 0.5 * (a2 - a1);
    let b = 0.5 * (a1 + a2);
    // a. curvature at Ep
    if m * sech2(qp) / w - s0 >= 0.0 {
        return false;
    }
    // b. a higher maximum beyond Ep
    let d = w * w + 4.0 * (1.0 - w * (2.0 + b) / m);
    if d > 0.0 {
        let ts = 0.5 * (d.sqrt() - w);
        if ts > -1.0 && ts < 1.0 && ts > qp.tanh() {
            let qs = ts.atanh();
            let ss = 2.0 + b + m * ts;
            if ss > 0.0 && (ss / s0).ln() - w * (qs - qp) > 0.0 {
                return false;
            }
        }
    }
    true
}

/// dsbpl: params [α1, α2, β, logEb, logEp, logA] | [α1, α2, α3, logEb1, logEb2, logA];
/// configs [redshift, pivot_energy, vfv_peak, smoothness1, smoothness2].
fn dsbpl_shape(p: &[f64], c: &[f64]) -> Option<Shape> {
    let DsbplPars {
        a1,
        a2,
        a3,
        log_eb1,
        log_e,
        log_a,
    } = DsbplPars::read(p);
    let DsbplCfg {
        z,
        epiv,
        vfv_peak,
        d1,
        d2,
    } = DsbplCfg::read(c);
    let peak = vfv_peak != 0.0;
    if !(d1 > 0.0 && d2 > 0.0) {
        return None;
    }
    let log_eb2 = if peak {
        let beta = a3;
        if !(a1 > -2.0 && a2 > -2.0 && -2.0 > beta) {
            return None;
        }
        let qp1 = (log_e - log_eb1) / d1;
        let cc = (a1 - a2) * inv_1p_exp(2.0 * qp1);
        let num = if a1 < a2 {
            a1 + 2.0 + (a2 - a1) * inv_1p_exp(-2.0 * qp1)
        } else {
            a2 + 2.0 + cc
        };
        let den = -beta - 2.0 - cc;
        if !(num > 0.0 && den > 0.0) {
            return None;
        }
        let qp2 = 0.5 * (num.ln() - den.ln());
        if a1 < a2 && !dsbpl_peak_is_max(a1, a2, beta, d1, d2, qp1, qp2) {
            return None;
        }
        log_e - d2 * qp2
    } else {
        log_e
    };
    Some(with_breaks(
        z,
        epiv,
        log_a,
        &[a1, a2, a3],
        &[log_eb1, log_eb2],
        &[d1, d2],
    ))
}

/// dsbpl peak-mode validity test (models.md 3.1, dsbpl step 4), only called for α1 < α2.
fn dsbpl_peak_is_max(a1: f64, a2: f64, beta: f64, d1: f64, d2: f64, qp1: f64, qp2: f64) -> bool {
    let w1 = d1 * LN_10;
    let w2 = d2 * LN_10;
    // a. strict maximum at Ep
    let h = ((a2 - a1) / (2.0 * w1)).ln() - 2.0 * lncosh(qp1);
    let s = ((a2 - beta) / (2.0 * w2)).ln() - 2.0 * lncosh(qp2);
    if !(h < s) {
        return false;
    }
    // b.
    let p = 2.0 / w1;
    let r = 2.0 / w2;
    if p <= r {
        return true;
    }
    // c.
    let l0 = (a1 + 2.0).ln();
    let l1 = (a2 + 2.0).ln() + 2.0 * qp1;
    let l2 = (a2 - a1 - beta - 2.0).ln() + 2.0 * qp2;
    let l3 = (-beta - 2.0).ln() + 2.0 * (qp1 + qp2);
    let u0 = (l0 - l3) / (p + r);
    if u0 <= 0.0 {
        return true;
    }
    // d.
    let lam_l = r.ln() + l0;
    let lam_m = (p - r).ln() + l1;
    let lam_r = p.ln() + l3;
    let g = |u: f64| log_add_exp(lam_l - p * u, lam_r + r * u) - lam_m;
    if g(u0) >= 0.0 {
        return true;
    }
    // e.
    let u1 = (lam_m - lam_r + 1.0) / r;
    let Some(us) = brent_root(g, u0, u1, 1e-12, 1e-14) else {
        return false;
    };
    // f.
    log_add_exp(l0 - r * us, l1 + (p - r) * us) <= log_add_exp(l2, l3 + p * us)
}

/// tsbpl: params [α1..α4, logEb1..3, logA]; configs [redshift, pivot_energy, smoothness1..3].
fn tsbpl_shape(p: &[f64], c: &[f64]) -> Option<Shape> {
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
    let TsbplCfg {
        z,
        epiv,
        d1,
        d2,
        d3,
    } = TsbplCfg::read(c);
    let deltas = [d1, d2, d3];
    if !deltas.iter().all(|&d| d > 0.0) {
        return None;
    }
    Some(with_breaks(
        z,
        epiv,
        log_a,
        &[a1, a2, a3, a4],
        &[log_eb1, log_eb2, log_eb3],
        &deltas,
    ))
}

macro_rules! kernel_pair {
    ($eval:ident, $slope:ident, $shape:ident) => {
        /// Evaluate N(E) (NaN outside the valid region).
        pub(crate) fn $eval(g: &Grid, p: &[f64], c: &[f64], _aux: &[f64], out: &mut [f64]) {
            match $shape(p, c) {
                Some(s) => s.eval(g, out),
                None => nan_fill(out),
            }
        }

        /// Local photon index d lnN / d lnE (NaN outside the valid region).
        pub(crate) fn $slope(g: &Grid, p: &[f64], c: &[f64], out: &mut [f64]) {
            match $shape(p, c) {
                Some(s) => s.slope(g, out),
                None => nan_fill(out),
            }
        }
    };
}

kernel_pair!(sbpl, sbpl_slope, sbpl_shape);
kernel_pair!(csbpl, csbpl_slope, csbpl_shape);
kernel_pair!(dsbpl, dsbpl_slope, dsbpl_shape);
kernel_pair!(tsbpl, tsbpl_slope, tsbpl_shape);

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "sbpl",
        kind: Kind::Add,
        comment: "smoothly broken power-law model",
        formula: "N(E) = A (E'/Epiv)^b 10^(m D [lncosh(q(E')) - lncosh(q(Epiv))]/ln10), q = log10(E/Eb)/D, \
                  b = (a1+a2)/2, m = (a2-a1)/2; peak mode: Eb = Ep / 10^(D artanh((alpha+beta+4)/(alpha-beta)))",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: SbplPars::SPECS,
        params_alt: SbplPars::ALT_SPECS,
        configs: SbplCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(sbpl),
        slope: Some(sbpl_slope),
    },
    ComponentInfo {
        name: "csbpl",
        kind: Kind::Add,
        comment: "smoothly broken power-law model with exponential cutoff",
        formula: "N(E) = [sbpl form, a1 -> a2 at Eb] exp(-E'/Ec); peak mode: Ec = Ep/s0 with \
                  s0 = 2 + a2 + (a1-a2)/(1+exp(2 qp)), Ep the highest strict maximum of E^2 N",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: CsbplPars::SPECS,
        params_alt: CsbplPars::ALT_SPECS,
        configs: SbplCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(csbpl),
        slope: Some(csbpl_slope),
    },
    ComponentInfo {
        name: "dsbpl",
        kind: Kind::Add,
        comment: "double smoothly broken power-law model",
        formula: "N(E) = Kaneko smooth-break form with a1 -> a2 at Eb1 (D1) and a2 -> a3 at Eb2 (D2); \
                  peak mode: a3 = beta, Eb2 derived so that the E^2 N peak is at Ep",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: DsbplPars::SPECS,
        params_alt: DsbplPars::ALT_SPECS,
        configs: DsbplCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(dsbpl),
        slope: Some(dsbpl_slope),
    },
    ComponentInfo {
        name: "tsbpl",
        kind: Kind::Add,
        comment: "triple smoothly broken power-law model",
        formula: "N(E) = Kaneko smooth-break form with breaks a1->a2 at Eb1, a2->a3 at Eb2, a3->a4 at Eb3",
        reference: "Kaneko et al. 2006, ApJS 166, 298 (doi 10.1086/505911)",
        params: TsbplPars::SPECS,
        params_alt: NO_SPECS,
        configs: TsbplCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: k(tsbpl),
        slope: Some(tsbpl_slope),
    },
];
