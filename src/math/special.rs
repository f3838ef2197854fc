//! Special functions at full double precision: the error function family and the normal
//! distribution's tails, the regularised incomplete beta and gamma functions with their
//! quantiles, and SciPy's `xlogy`/`xlog1py`. Priors, responses and statistics all use these
//! (one implementation each, at the best accuracy the project had).

use std::f64::consts::{FRAC_1_SQRT_2, SQRT_2};

use statrs::distribution::{ContinuousCDF, Gamma as GammaDistribution};
pub use statrs::function::beta::ln_beta;
use statrs::function::beta::{checked_beta_reg, inv_beta_reg};
use statrs::function::erf::erfc_inv;
pub use statrs::function::gamma::ln_gamma;
use statrs::function::gamma::{checked_gamma_lr, checked_gamma_ur};

/// ln √(2π).
pub const LN_SQRT_2PI: f64 = 0.918_938_533_204_672_8;

/// x·ln y with 0·ln 0 = 0 (SciPy `xlogy`).
pub fn xlogy(x: f64, y: f64) -> f64 {
    if x == 0.0 && !y.is_nan() {
        0.0
    } else {
        x * y.ln()
    }
}

/// x·ln(1 + y) with 0·ln 0 = 0 (SciPy `xlog1py`).
pub fn xlog1py(x: f64, y: f64) -> f64 {
    if x == 0.0 && !y.is_nan() {
        0.0
    } else {
        x * y.ln_1p()
    }
}

/// Complementary error function, accurate to about one ulp (statrs 0.19's `erfc` is off by
/// ~1e-10 relative for x ≥ 0.5, too coarse for the prior vectors).
///
/// Method and coefficients: the rational approximations of Sun's fdlibm `s_erf.c`
/// (Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved. Developed at SunPro, a
/// Sun Microsystems, Inc. business. Permission to use, copy, modify, and distribute this
/// software is freely granted, provided that this notice is preserved.)
pub fn erfc(x: f64) -> f64 {
    if x.is_nan() {
        return f64::NAN;
    }
    let ax = x.abs();
    if ax < 0.84375 {
        // erf(x) = x + x·R(x²) on [0, 0.84375].
        let r = erf_small_ratio(x * x);
        if x < 0.25 {
            return 1.0 - (x + x * r);
        }
        return 0.5 - ((x - 0.5) + x * r);
    }
    let upper = if ax < 1.25 {
        erfc_near_one(ax)
    } else if ax < 28.0 {
        erfc_tail(ax)
    } else {
        0.0
    };
    if x > 0.0 {
        upper
    } else {
        2.0 - upper
    }
}

/// R(z) with erf(x) = x + x·R(x²) for |x| < 0.84375 (fdlibm pp/qq).
#[allow(clippy::excessive_precision)] // the published coefficients, verbatim
fn erf_small_ratio(z: f64) -> f64 {
    const PP: [f64; 5] = [
        1.283_791_670_955_125_585_61e-1,
        -3.250_421_072_470_014_993_70e-1,
        -2.848_174_957_559_851_047_66e-2,
        -5.770_270_296_489_441_591_57e-3,
        -2.376_301_665_665_016_260_84e-5,
    ];
    const QQ: [f64; 5] = [
        3.979_172_239_591_553_528_19e-1,
        6.502_224_998_876_729_444_85e-2,
        5.081_306_281_875_765_627_76e-3,
        1.324_947_380_043_216_445_26e-4,
        -3.960_228_278_775_368_123_20e-6,
    ];
    let num = PP[0] + z * (PP[1] + z * (PP[2] + z * (PP[3] + z * PP[4])));
    let den = 1.0 + z * (QQ[0] + z * (QQ[1] + z * (QQ[2] + z * (QQ[3] + z * QQ[4]))));
    num / den
}

/// erfc(x) for 0.84375 ≤ x < 1.25: (1 − c) − P(s)/Q(s), s = x − 1 (fdlibm pa/qa, erx).
#[allow(clippy::excessive_precision)] // the published coefficients, verbatim
fn erfc_near_one(x: f64) -> f64 {
    const ERX: f64 = 8.450_629_115_104_675_292_97e-1;
    const PA: [f64; 7] = [
        -2.362_118_560_752_659_440_77e-3,
        4.148_561_186_837_483_316_66e-1,
        -3.722_078_760_357_013_238_47e-1,
        3.183_466_199_011_617_536_74e-1,
        -1.108_946_942_823_966_774_76e-1,
        3.547_830_432_561_823_593_71e-2,
        -2.166_375_594_868_790_843_00e-3,
    ];
    const QA: [f64; 6] = [
        1.064_208_804_008_442_282_86e-1,
        5.403_979_177_021_710_489_37e-1,
        7.182_865_441_419_626_628_68e-2,
        1.261_712_198_087_616_421_12e-1,
        1.363_708_391_202_905_073_62e-2,
        1.198_449_984_679_910_741_70e-2,
    ];
    let s = x - 1.0;
    let p = PA[0] + s * (PA[1] + s * (PA[2] + s * (PA[3] + s * (PA[4] + s * (PA[5] + s * PA[6])))));
    let q = 1.0 + s * (QA[0] + s * (QA[1] + s * (QA[2] + s * (QA[3] + s * (QA[4] + s * QA[5])))));
    1.0 - ERX - p / q
}

/// erfc(x) for 1.25 ≤ x < 28: exp(−x² − 0.5625 + R(1/x²)/S(1/x²))/x, with −x² split exactly.
#[allow(clippy::excessive_precision)] // the published coefficients, verbatim
fn erfc_tail(x: f64) -> f64 {
    const RA: [f64; 8] = [
        -9.864_944_034_847_148_227_05e-3,
        -6.938_585_727_071_817_643_72e-1,
        -1.055_862_622_532_329_098_14e1,
        -6.237_533_245_032_600_603_96e1,
        -1.623_966_694_625_734_703_55e2,
        -1.846_050_929_067_110_359_94e2,
        -8.128_743_550_630_659_342_46e1,
        -9.814_329_344_169_145_485_92,
    ];
    const SA: [f64; 8] = [
        1.965_127_166_743_925_712_92e1,
        1.376_577_541_435_190_426_00e2,
        4.345_658_774_752_292_288_21e2,
        6.453_872_717_332_678_803_36e2,
        4.290_081_400_275_678_333_86e2,
        1.086_350_055_417_794_351_34e2,
        6.570_249_770_319_281_701_35,
        -6.042_441_521_485_809_874_38e-2,
    ];
    const RB: [f64; 7] = [
        -9.864_942_924_700_099_285_97e-3,
        -7.992_832_376_805_230_065_74e-1,
        -1.775_795_491_775_475_198_89e1,
        -1.606_363_848_558_219_160_62e2,
        -6.375_664_433_683_896_277_22e2,
        -1.025_095_131_611_077_249_54e3,
        -4.835_191_916_086_513_970_19e2,
    ];
    const SB: [f64; 7] = [
        3.033_806_074_348_245_829_24e1,
        3.257_925_129_965_739_188_26e2,
        1.536_729_586_084_436_959_94e3,
        3.199_858_219_508_595_539_08e3,
        2.553_050_406_433_164_425_83e3,
        4.745_285_412_069_553_672_15e2,
        -2.244_095_244_658_581_833_62e1,
    ];
    let z = 1.0 / (x * x);
    let (r, s) = if x < 1.0 / 0.35 {
        (
            RA[0]
                + z * (RA[1]
                    + z * (RA[2]
                        + z * (RA[3] + z * (RA[4] + z * (RA[5] + z * (RA[6] + z * RA[7])))))),
            1.0 + z
                * (SA[0]
                    + z * (SA[1]
                        + z * (SA[2]
                            + z * (SA[3] + z * (SA[4] + z * (SA[5] + z * (SA[6] + z * SA[7]))))))),
        )
    } else {
        (
            RB[0] + z * (RB[1] + z * (RB[2] + z * (RB[3] + z * (RB[4] + z * (RB[5] + z * RB[6]))))),
            1.0 + z
                * (SB[0]
                    + z * (SB[1]
                        + z * (SB[2] + z * (SB[3] + z * (SB[4] + z * (SB[5] + z * SB[6])))))),
        )
    };
    // x_hi keeps the upper 32 bits, so x_hi² is exact and −x² = −x_hi² + (x_hi − x)(x_hi + x).
    let x_hi = f64::from_bits(x.to_bits() & 0xffff_ffff_0000_0000);
    (-x_hi * x_hi - 0.5625).exp() * ((x_hi - x) * (x_hi + x) + r / s).exp() / x
}

/// Standard normal cdf Φ(y).
pub fn ndtr(y: f64) -> f64 {
    if y < 0.0 {
        0.5 * erfc(-y * FRAC_1_SQRT_2)
    } else {
        1.0 - 0.5 * erfc(y * FRAC_1_SQRT_2)
    }
}

/// Standard normal survival function 1 − Φ(y) = Φ(−y).
pub fn ndtrc(y: f64) -> f64 {
    ndtr(-y)
}

/// ln of the standard normal density.
pub fn ln_phi(y: f64) -> f64 {
    -0.5 * y * y - LN_SQRT_2PI
}

/// ln(1 − Φ(y)), accurate far in the upper tail (asymptotic series where erfc underflows).
pub fn log_ndtrc(y: f64) -> f64 {
    if y == f64::INFINITY {
        return f64::NEG_INFINITY;
    }
    if y < 37.0 {
        return ndtrc(y).ln();
    }
    let z = 1.0 / (y * y);
    let series = 1.0 - z * (1.0 - z * (3.0 - z * (15.0 - z * (105.0 - z * 945.0))));
    ln_phi(y) - y.ln() + series.ln()
}

/// ln Φ(y), accurate far in the lower tail.
pub fn log_ndtr(y: f64) -> f64 {
    if y > 5.0 {
        (-ndtrc(y)).ln_1p()
    } else {
        log_ndtrc(-y)
    }
}

/// Inverse standard normal cdf Φ⁻¹(q) for q in (0, 1), via the complementary inverse error
/// function of the tail that keeps full precision.
pub fn ndtri(q: f64) -> f64 {
    if q <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if q >= 1.0 {
        return f64::INFINITY;
    }
    if q <= 0.5 {
        -SQRT_2 * erfc_inv(2.0 * q)
    } else {
        SQRT_2 * erfc_inv(2.0 * (1.0 - q))
    }
}

/// y ≥ 0 with ln(1 − Φ(y)) = `ln_s` (`ln_s` ≤ ln ½).
pub fn inv_log_ndtrc(ln_s: f64) -> f64 {
    if ln_s == f64::NEG_INFINITY {
        return f64::INFINITY;
    }
    if ln_s > -700.0 {
        return -ndtri(ln_s.exp());
    }
    // Far tail: Newton on ln(1 − Φ(y)), whose slope is −φ(y)/(1 − Φ(y)).
    let mut y = (-2.0 * ln_s).sqrt();
    for _ in 0..100 {
        let g = log_ndtrc(y) - ln_s;
        let slope = -(ln_phi(y) - log_ndtrc(y)).exp();
        let next = y - g / slope;
        if (next - y).abs() <= 4.0 * f64::EPSILON * next.abs() {
            return next;
        }
        y = next;
    }
    y
}

/// Safeguarded Newton iteration for an increasing function g with g(lo) ≤ 0 ≤ g(hi):
/// `eval(x)` returns (g(x), g′(x)). Falls back to (geometric) bisection whenever a Newton step
/// leaves the bracket.
pub fn newton_bracketed(
    eval: impl Fn(f64) -> (f64, f64),
    mut lo: f64,
    mut hi: f64,
    x0: f64,
) -> f64 {
    let mid = |lo: f64, hi: f64| {
        if lo > 0.0 && hi > 4.0 * lo {
            (lo * hi).sqrt()
        } else {
            0.5 * (lo + hi)
        }
    };
    let mut x = if x0 > lo && x0 < hi { x0 } else { mid(lo, hi) };
    for _ in 0..300 {
        let (g, dg) = eval(x);
        if g == 0.0 || g.is_nan() {
            return x;
        }
        if g < 0.0 {
            lo = x;
        } else {
            hi = x;
        }
        let mut next = x - g / dg;
        if !(next > lo && next < hi) {
            next = mid(lo, hi);
        }
        if (next - x).abs() <= 2.0 * f64::EPSILON * next.abs() {
            return next;
        }
        x = next;
    }
    x
}

// ---- beta --------------------------------------------------------------------------------

/// Regularised incomplete beta I_y(a, b) (clipped to [0, 1] outside).
pub fn beta_reg(a: f64, b: f64, y: f64) -> f64 {
    if y <= 0.0 {
        0.0
    } else if y >= 1.0 {
        1.0
    } else {
        checked_beta_reg(a, b, y).unwrap_or(f64::NAN)
    }
}

/// y ≤ ½ with I_y(a, b) = p.
fn beta_ppf_lower(a: f64, b: f64, p: f64) -> f64 {
    let ln_b = ln_beta(a, b);
    // Deep in the lower tail I_y(a, b) ≈ y^a / (a B(a, b)) (relative error ~ y): there that
    // is the start, since statrs's inverse panics (p ~ 1e-300) or lands far off (small shapes);
    // Newton below polishes either start.
    let tail = ((p.ln() + a.ln() + ln_b) / a).exp();
    let guess = if tail < 1e-4 {
        tail.max(f64::MIN_POSITIVE)
    } else {
        inv_beta_reg(a, b, p)
    };
    newton_bracketed(
        |y| {
            let g = beta_reg(a, b, y) - p;
            let dens = ((a - 1.0) * y.ln() + (b - 1.0) * (-y).ln_1p() - ln_b).exp();
            (g, dens)
        },
        0.0,
        0.5,
        guess,
    )
}

/// Standard beta quantile for 0 < q < 1: solved for y on the side of ½ where y keeps full
/// relative precision (for y > ½ via z = 1 − y of beta(b, a)).
pub fn beta_ppf(a: f64, b: f64, q: f64) -> f64 {
    let q_half = beta_reg(a, b, 0.5);
    if q <= q_half {
        beta_ppf_lower(a, b, q)
    } else {
        1.0 - beta_ppf_lower(b, a, 1.0 - q)
    }
}

// ---- gamma -------------------------------------------------------------------------------

/// Regularised lower incomplete gamma P(a, y).
pub fn gamma_lower(a: f64, y: f64) -> f64 {
    if y <= 0.0 {
        0.0
    } else if y == f64::INFINITY {
        1.0
    } else {
        checked_gamma_lr(a, y).unwrap_or(f64::NAN)
    }
}

/// Regularised upper incomplete gamma Q(a, y).
pub fn gamma_upper(a: f64, y: f64) -> f64 {
    if y <= 0.0 {
        1.0
    } else if y == f64::INFINITY {
        0.0
    } else {
        checked_gamma_ur(a, y).unwrap_or(f64::NAN)
    }
}

/// Standard gamma quantile for 0 < q < 1: statrs' estimate polished by Newton on P (lower
/// half) or Q (upper half, where 1 − q is exact).
pub fn gamma_ppf(a: f64, q: f64) -> f64 {
    let guess = GammaDistribution::new(a, 1.0)
        .map(|g| g.inverse_cdf(q))
        .unwrap_or(a);
    let ln_ga = ln_gamma(a);
    let dens = |y: f64| ((a - 1.0) * y.ln() - y - ln_ga).exp();
    let upper = q > 0.5;
    let p = if upper { 1.0 - q } else { q };
    let g = |y: f64| {
        if upper {
            p - gamma_upper(a, y)
        } else {
            gamma_lower(a, y) - p
        }
    };
    // Bracket [0, hi] with g(hi) ≥ 0.
    let mut hi = if guess.is_finite() && guess > 0.0 {
        guess
    } else {
        a.max(1.0)
    };
    for _ in 0..2000 {
        if g(hi) >= 0.0 {
            break;
        }
        hi *= 2.0;
    }
    newton_bracketed(|y| (g(y), dens(y)), 0.0, hi, guess)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ndtri_inverts_ndtr() {
        for &q in &[1e-300, 1e-20, 1e-6, 0.01, 0.3, 0.5, 0.7, 0.99, 1.0 - 1e-12] {
            let y = ndtri(q);
            let back = if q < 0.5 { ndtr(y) } else { 1.0 - ndtrc(y) };
            // The round trip is limited by the conditioning of Φ (relative error ~ y²·ε).
            let tol = 1e-15 * (1.0 + y * y) * q.min(1.0 - q);
            assert!((back - q).abs() <= tol, "q={q:e} y={y} back={back:e}");
        }
    }

    #[test]
    fn log_ndtrc_is_continuous_at_the_switch() {
        let below = log_ndtrc(37.0 - 1e-9);
        let above = log_ndtrc(37.0);
        assert!((below - above).abs() < 1e-9 * above.abs());
    }

    #[test]
    fn beta_quantiles_deep_in_the_tails_are_finite_and_invert_the_cdf() {
        for (a, b) in [
            (2.31, 0.627),
            (0.5, 3.0),
            (1.0, 1.0),
            (30.0, 0.2),
            (0.05, 0.05),
        ] {
            for k in 1..=300 {
                let q = 10f64.powi(-k);
                for q in [q, 1.0 - q] {
                    if q <= 0.0 || q >= 1.0 {
                        continue;
                    }
                    let y = beta_ppf(a, b, q);
                    assert!(
                        y.is_finite() && (0.0..=1.0).contains(&y),
                        "{a} {b} {q}: {y}"
                    );
                    let back = beta_reg(a, b, y);
                    // (a quantile in the subnormal range cannot keep its relative precision)
                    if q < 0.5 && y > 1e-290 {
                        assert!((back - q).abs() <= 1e-6 * q, "{a} {b} {q}: {back}");
                    }
                }
            }
        }
    }
}
