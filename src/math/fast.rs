//! Overflow-free and vectorised elementary helpers of the model kernels and the Poisson
//! statistics (log-add-exp is [`crate::math::log_add_exp`]).

use std::sync::OnceLock;

/// `ln(cosh q)` without overflow: `|q| + ln(1 + e^(−2|q|)) − ln 2`.
#[inline]
pub(crate) fn lncosh(q: f64) -> f64 {
    let a = q.abs();
    a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2
}

/// `1 / (1 + e^x)` without overflow.
#[inline]
pub(crate) fn inv_1p_exp(x: f64) -> f64 {
    if x > 0.0 {
        let t = (-x).exp();
        t / (1.0 + t)
    } else {
        1.0 / (1.0 + x.exp())
    }
}

/// `sech²(q)` without overflow.
#[inline]
pub(crate) fn sech2(q: f64) -> f64 {
    let t = (-2.0 * q.abs()).exp();
    4.0 * t / ((1.0 + t) * (1.0 + t))
}

simd_dispatch! { "avx2";
    /// `e^x` for every element of `x`, in place, within 2 ulp of the correctly rounded value
    /// (tested against `f64::exp`), with `exp`'s special values: +∞ above ≈ 709.78, 0 below
    /// ≈ −745.13 (gradual underflow in between), NaN for NaN.
    ///
    /// Unlike a call to the C library per element, [`exp_poly`] is straight-line arithmetic that
    /// the compiler vectorises (SSE2 on any x86-64, NEON on aarch64): the hot kernels (pl, cpl,
    /// band) write their exponents into the output and exponentiate them with this, at about a
    /// third of the cost of `f64::exp`.
    pub(crate) fn exp_in_place(x: &mut [f64]) => exp_loop
}

/// `out[i] = e^x(a[i], b[i])` for every i: the bits of writing the exponents into `out` and
/// calling [`exp_in_place`], in one pass (the hot kernels: no store and reload of the
/// exponents, no separate range check). `x` must be a pure function (it is called again when
/// some exponent is outside [`NORMAL_RANGE`]).
///
/// # Panics
/// If the slices differ in length (a programming error).
#[inline(always)]
pub(crate) fn exp_of(out: &mut [f64], a: &[f64], b: &[f64], x: impl Fn(f64, f64) -> f64 + Copy) {
    assert!(
        a.len() == out.len() && b.len() == out.len(),
        "exp_of lengths"
    );
    exp_of_wide(out, a, b, x);
}

simd_dispatch! { "avx2";
    /// [`exp_of_loop`] on the widest vectors the CPU has.
    fn exp_of_wide(out: &mut [f64], a: &[f64], b: &[f64], x: impl Fn(f64, f64) -> f64 + Copy)
        => exp_of_loop
}

/// The loop of [`exp_of`]: [`exp_normal`] while counting the exponents outside
/// [`NORMAL_RANGE`], then, if there were any, [`exp_poly`] over again.
#[inline(always)]
fn exp_of_loop(out: &mut [f64], a: &[f64], b: &[f64], x: impl Fn(f64, f64) -> f64 + Copy) {
    let (lo, hi) = NORMAL_RANGE;
    let mut outside = 0usize;
    for ((o, &ai), &bi) in out.iter_mut().zip(a).zip(b) {
        let v = x(ai, bi);
        outside += usize::from(!(v >= lo && v <= hi));
        *o = exp_normal(v);
    }
    if outside != 0 {
        for ((o, &ai), &bi) in out.iter_mut().zip(a).zip(b) {
            *o = exp_poly(x(ai, bi));
        }
    }
}

/// Arguments in this range have a normal e^x, which [`exp_normal`] computes.
const NORMAL_RANGE: (f64, f64) = (-708.0, 709.0);

/// The loop of [`exp_in_place`]: [`exp_normal`] when every argument is in [`NORMAL_RANGE`]
/// (the usual case, checked first), else [`exp_poly`]; both give the same bits there.
#[inline(always)]
fn exp_loop(x: &mut [f64]) {
    let (lo, hi) = NORMAL_RANGE;
    let outside = x.iter().filter(|&&v| !(v >= lo && v <= hi)).count();
    if outside == 0 {
        for v in x.iter_mut() {
            *v = exp_normal(*v);
        }
    } else {
        for v in x.iter_mut() {
            *v = exp_poly(*v);
        }
    }
}

/// Adding it to |y| < 2⁵¹ rounds y to an integer, which lands in the low mantissa bits.
const SHIFTER: f64 = 6_755_399_441_055_744.0;

/// x = k·ln 2 + r with k = round(x/ln 2), |r| ≤ ln2/2 (Cody–Waite: k·LN2_HI is exact), and
/// e^r to within 0.3 ulp (truncation 3.3×10⁻¹⁷ relative): returns (x/ln2 + SHIFTER, whose low
/// mantissa bits hold k, then k, e^r).
///
/// e^r = 1 + r + r²·q(r) with q a degree-9 polynomial, near-minimax on |r| ≤ ln2/2
/// (Chebyshev interpolation of (e^r − 1 − r)/r² with q(0) = 1/2 kept exact), evaluated by
/// Estrin's scheme (a shallow dependency tree, so consecutive elements overlap in the
/// pipeline).
#[inline(always)]
fn exp_reduced(x: f64) -> (f64, f64, f64) {
    /// ln 2 rounded to 32 significant bits (k·LN2_HI exact for |k| < 2²⁰), ≈ 0.6931471803691.
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    /// ln 2 − LN2_HI rounded to double, ≈ 1.9082149292706e−10.
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    /// the coefficients of q, from r⁰ to r⁹
    const C: [f64; 10] = [
        0.5,
        0.166_666_666_666_666_66,
        0.041_666_666_666_651_36,
        0.008_333_333_333_332_155,
        0.001_388_888_890_588_154_2,
        0.000_198_412_698_543_386_1,
        2.480_153_638_869_076_6e-5,
        2.755_728_006_701_698e-6,
        2.761_380_686_153_829e-7,
        2.509_555_467_711_111_2e-8,
    ];
    let t = x * std::f64::consts::LOG2_E + SHIFTER;
    let k = t - SHIFTER;
    let r = (x - k * LN2_HI) - k * LN2_LO;
    let r2 = r * r;
    let r4 = r2 * r2;
    let pair = |i: usize| C[i] + C[i + 1] * r;
    let q03 = pair(0) + pair(2) * r2;
    let q47 = pair(4) + pair(6) * r2;
    let q = q03 + r4 * (q47 + r4 * pair(8));
    (t, k, 1.0 + (r + r2 * q))
}

/// `e^x` for x in [`NORMAL_RANGE`], where the result is a normal number: e^r·2^k with 2^k
/// added to the exponent bits (exact, as is the multiplication by 2^k it stands for).
#[inline(always)]
fn exp_normal(x: f64) -> f64 {
    let (t, _, p) = exp_reduced(x);
    // k in two's complement sits in t's low bits; shifted, it adds k to p's exponent
    f64::from_bits(p.to_bits().wrapping_add(t.to_bits() << 52))
}

/// `e^x` by range reduction and a polynomial ([`exp_reduced`]) for any x: 2^k is applied as
/// 2^k1 · 2^k2 (k1 ≈ k/2) so that both factors are normal numbers over the whole range
/// (results that overflow or are subnormal come out right). Integers are rounded and 2^k built
/// with the 1.5·2⁵² shifter, without branches or float-to-integer conversions, so that a loop
/// over this vectorises. Equal to [`exp_normal`] where that applies.
#[inline(always)]
pub(crate) fn exp_poly(x: f64) -> f64 {
    // Beyond [−746, 710] the result is 0 or +∞ anyway; clamping keeps k in range.
    // (`clamp` passes NaN through.)
    let x = x.clamp(-746.0, 710.0);
    let (_, k, p) = exp_reduced(x);
    // 2^k = 2^k1 · 2^k2; 2^j is built from the bits of SHIFTER + 1023 + j: its low 12
    // mantissa bits hold the biased exponent 1023 + j ∈ (0, 2047), shifted into place.
    let k1 = (0.5 * k + SHIFTER) - SHIFTER;
    let k2 = k - k1;
    let pow2 = |j: f64| f64::from_bits((j + (SHIFTER + 1023.0)).to_bits() << 52);
    p * pow2(k1) * pow2(k2)
}

/// S(w) = Σ_{n≥0} wⁿ/(2n + 3) for 0 ≤ w ≤ 1/9, so that artanh u = u + u³·S(u²): a
/// near-minimax degree-9 polynomial (Chebyshev interpolation on [0, 1/9], relative error
/// 1.9×10⁻¹⁶) by Estrin's scheme.
#[inline(always)]
pub(crate) fn artanh_series(w: f64) -> f64 {
    /// The coefficients, from w⁰ to w⁹ (the Taylor ones are 1/3, 1/5, 1/7, …).
    const C: [f64; 10] = [
        0.333_333_333_333_333_3,
        0.200_000_000_000_072_98,
        0.142_857_142_835_525_3,
        0.111_111_113_589_008_91,
        0.090_908_947_086_632_23,
        0.076_927_852_964_561_21,
        0.066_570_677_754_405_81,
        0.060_005_775_914_288_89,
        0.044_001_588_254_343_87,
        0.080_824_690_847_356_69,
    ];
    let w2 = w * w;
    let w4 = w2 * w2;
    let pair = |i: usize| C[i] + C[i + 1] * w;
    let quad = |i: usize| pair(i) + pair(i + 2) * w2;
    quad(0) + w4 * (quad(4) + w4 * pair(8))
}

/// ln x for a positive normal x (not checked), within 2 ulp of the correctly rounded value,
/// as straight-line arithmetic that vectorises: x = 2ᵉ·m with √½ ≤ m < √2 read from the bits
/// (the exponent converted with the 2⁵² shifter, no float-to-integer conversion), and
/// ln m = 2 artanh s = 2s + 2s·s²·S(s²) with s = (m − 1)/(m + 1), |s| ≤ 0.172 (m − 1 is
/// exact); e·ln 2 is added in two parts (Cody–Waite).
#[inline(always)]
pub(crate) fn ln_normal(x: f64) -> f64 {
    /// 2⁵²: ORed into the exponent field it makes the low bits an integer's
    const TWO_52: f64 = 4_503_599_627_370_496.0;
    /// ln 2 rounded to 32 significant bits (e·LN2_HI is exact for |e| < 2²⁰).
    const LN2_HI: f64 = f64::from_bits(0x3fe6_2e42_fee0_0000);
    /// ln 2 − LN2_HI rounded to double.
    const LN2_LO: f64 = f64::from_bits(0x3dea_39ef_3579_3c76);
    let bits = x.to_bits();
    let biased = f64::from_bits((bits >> 52) | TWO_52.to_bits()) - TWO_52;
    let m = f64::from_bits((bits & 0x000f_ffff_ffff_ffff) | 0x3ff0_0000_0000_0000);
    let big = m > std::f64::consts::SQRT_2;
    let m = if big { 0.5 * m } else { m };
    let e = biased - if big { 1022.0 } else { 1023.0 };
    let s = (m - 1.0) / (m + 1.0);
    let w = s * s;
    let ln_m = 2.0 * s + (2.0 * s * w) * artanh_series(w);
    e * LN2_HI + (ln_m + e * LN2_LO)
}

/// ln(1 + y) for 0 ≤ y ≤ 1 as 2 artanh(y/(2 + y)) = 2u + 2u·u²·S(u²) with u = y/(2 + y) ≤ 1/3
/// (no cancellation for small y), within a few ulp; straight-line arithmetic that vectorises.
#[inline(always)]
pub(crate) fn ln_1p_unit(y: f64) -> f64 {
    let u = y / (2.0 + y);
    let w = u * u;
    2.0 * u + (2.0 * u * w) * artanh_series(w)
}

/// `ln(cosh q)` without overflow, as [`lncosh`] (|q| + ln(1 + e^(−2|q|)) − ln 2) but from
/// [`exp_poly`] and [`ln_1p_unit`]: no library call, so a loop over it vectorises.
#[inline(always)]
pub(crate) fn lncosh_poly(q: f64) -> f64 {
    let a = q.abs();
    a + ln_1p_unit(exp_poly(-2.0 * a)) - std::f64::consts::LN_2
}

/// Root of `f` in `[a, b]` (needs a sign change) by Brent's method; stops when the bracket is
/// below `xtol + rtol·|x|`. Returns None without a sign change or a finite bracket.
pub(crate) fn brent_root(
    f: impl Fn(f64) -> f64,
    a: f64,
    b: f64,
    xtol: f64,
    rtol: f64,
) -> Option<f64> {
    let (mut a, mut b) = (a, b);
    let (mut fa, mut fb) = (f(a), f(b));
    if !(fa.is_finite() && fb.is_finite()) || fa * fb > 0.0 {
        return None;
    }
    if fa == 0.0 {
        return Some(a);
    }
    if fb == 0.0 {
        return Some(b);
    }
    // c is the previous iterate / contrapoint, d the last step, e the step before.
    let (mut c, mut fc) = (a, fa);
    let mut d = b - a;
    let mut e = d;
    for _ in 0..200 {
        if fb * fc > 0.0 {
            c = a;
            fc = fa;
            d = b - a;
            e = d;
        }
        if fc.abs() < fb.abs() {
            a = b;
            b = c;
            c = a;
            fa = fb;
            fb = fc;
            fc = fa;
        }
        let tol = 0.5 * (xtol + rtol * b.abs());
        let m = 0.5 * (c - b);
        if m.abs() <= tol || fb == 0.0 {
            return Some(b);
        }
        if e.abs() >= tol && fa.abs() > fb.abs() {
            // interpolation: secant or inverse quadratic
            let s = fb / fa;
            let (mut p, mut q);
            if a == c {
                p = 2.0 * m * s;
                q = 1.0 - s;
            } else {
                let qq = fa / fc;
                let r = fb / fc;
                p = s * (2.0 * m * qq * (qq - r) - (b - a) * (r - 1.0));
                q = (qq - 1.0) * (r - 1.0) * (s - 1.0);
            }
            if p > 0.0 {
                q = -q;
            } else {
                p = -p;
            }
            if 2.0 * p < (3.0 * m * q - (tol * q).abs()).min((e * q).abs()) {
                e = d;
                d = p / q;
            } else {
                d = m;
                e = m;
            }
        } else {
            d = m;
            e = m;
        }
        a = b;
        fa = fb;
        b += if d.abs() > tol { d } else { tol.copysign(m) };
        fb = f(b);
    }
    Some(b)
}

/// Nodes and weights of the 64-point Gauss–Legendre rule on [−1, 1] (computed once).
pub(crate) fn gauss_legendre_64() -> &'static ([f64; 64], [f64; 64]) {
    static GL: OnceLock<([f64; 64], [f64; 64])> = OnceLock::new();
    GL.get_or_init(gauss_legendre::<64>)
}

/// (P_n(z), P_{n−1}(z)) by the three-term recurrence (n ≥ 1).
fn legendre(n: usize, z: f64) -> (f64, f64) {
    let (mut p0, mut p1) = (1.0, z);
    for k in 2..=n {
        let kf = k as f64;
        let p2 = ((2.0 * kf - 1.0) * z * p1 - (kf - 1.0) * p0) / kf;
        p0 = p1;
        p1 = p2;
    }
    (p1, p0)
}

fn gauss_legendre<const N: usize>() -> ([f64; N], [f64; N]) {
    let mut x = [0.0; N];
    let mut w = [0.0; N];
    let n = N as f64;
    for i in 0..N.div_ceil(2) {
        // initial guess (Tricomi), refined by Newton on P_N
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n + 0.5)).cos();
        let mut dp = 0.0;
        for _ in 0..100 {
            let (p1, p0) = legendre(N, z);
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            let dz = p1 / dp;
            z -= dz;
            if dz.abs() < 1e-16 {
                break;
            }
        }
        // recompute derivative at the converged node
        let (p1, p0) = legendre(N, z);
        if (z * z - 1.0) != 0.0 {
            dp = n * (z * p1 - p0) / (z * z - 1.0);
        }
        let wi = 2.0 / ((1.0 - z * z) * dp * dp);
        x[i] = -z;
        x[N - 1 - i] = z;
        w[i] = wi;
        w[N - 1 - i] = wi;
    }
    (x, w)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gauss_legendre_integrates_polynomials_exactly() {
        let (x, w) = gauss_legendre_64();
        let sw: f64 = w.iter().sum();
        assert!((sw - 2.0).abs() < 1e-14);
        // ∫ x^126 dx over [-1,1] = 2/127 (degree ≤ 127 exact)
        let s: f64 = x.iter().zip(w).map(|(xi, wi)| wi * xi.powi(126)).sum();
        assert!((s - 2.0 / 127.0).abs() < 1e-14, "{s}");
    }

    #[test]
    fn brent_finds_root() {
        let r = brent_root(|x| x * x - 2.0, 0.0, 2.0, 1e-12, 1e-14).unwrap();
        assert!((r - 2f64.sqrt()).abs() < 1e-11);
        assert!(brent_root(|x| x * x + 1.0, 0.0, 2.0, 1e-12, 1e-14).is_none());
    }

    #[test]
    fn helpers_are_overflow_free() {
        assert!((lncosh(1000.0) - (1000.0 - std::f64::consts::LN_2)).abs() < 1e-12);
        assert!((lncosh(0.3) - 0.3f64.cosh().ln()).abs() < 1e-15);
        assert!(
            (crate::math::log_add_exp(1000.0, 1000.0) - (1000.0 + std::f64::consts::LN_2)).abs()
                < 1e-12
        );
        assert_eq!(inv_1p_exp(1000.0), 0.0);
        assert_eq!(inv_1p_exp(-1000.0), 1.0);
        assert!((sech2(0.5) - 1.0 / 0.5f64.cosh().powi(2)).abs() < 1e-15);
        assert_eq!(sech2(1000.0), 0.0);
    }
    #[test]
    fn exp_in_place_is_within_two_ulp_of_exp() {
        let ulp_err = |got: f64, want: f64| {
            if got == want {
                return 0.0;
            }
            // distance in units of the spacing at `want` (normal range)
            (got - want).abs() / (want.abs() * f64::EPSILON)
        };
        let mut xs: Vec<f64> = Vec::new();
        // dense sweep of the normal-result range plus the points the kernels see
        let n = 200_000;
        for i in 0..=n {
            xs.push(-708.0 + 1417.0 * i as f64 / n as f64);
        }
        for i in 0..=20_000 {
            xs.push(-2.0 + 4.0 * i as f64 / 20_000.0);
            xs.push((i as f64 - 10_000.0) * 1e-9);
        }
        let mut y = xs.clone();
        exp_in_place(&mut y);
        let mut worst: f64 = 0.0;
        for (&x, &g) in xs.iter().zip(&y) {
            let want = x.exp();
            if want.is_normal() {
                let e = ulp_err(g, want);
                worst = worst.max(e);
                assert!(e <= 2.0, "exp({x:e}) = {g:e}, want {want:e} ({e} ulp)");
            }
        }
        assert!(worst > 0.0, "compared against itself?");
        // special values and the edges of the range
        let specials = [
            0.0,
            -0.0,
            1.0,
            f64::INFINITY,
            f64::NEG_INFINITY,
            709.78,
            709.79,
            710.0,
            800.0,
            1e300,
            -745.0,
            -745.2,
            -746.0,
            -1e300,
            -720.0,
            -740.0,
        ];
        let mut y = specials;
        exp_in_place(&mut y);
        for (&x, &g) in specials.iter().zip(&y) {
            let want = x.exp();
            if want.is_normal() {
                assert!(ulp_err(g, want) <= 2.0, "exp({x}) = {g:e} vs {want:e}");
            } else if want == 0.0 || want.is_infinite() {
                assert_eq!(g, want, "exp({x})");
            } else {
                // subnormal results: within 2 units of the smallest subnormal spacing
                assert!(
                    (g - want).abs() <= 2.0 * 4.9e-324,
                    "exp({x}) = {g:e} vs {want:e}"
                );
            }
        }
        assert_eq!(exp_poly(0.0), 1.0);
        assert!(exp_poly(f64::NAN).is_nan());
    }
    #[test]
    fn exp_paths_agree_bit_for_bit() {
        let x: Vec<f64> = (0..4001).map(|i| -745.5 + 0.3637 * i as f64).collect();
        let mut portable = x.clone();
        exp_loop(&mut portable);
        let mut dispatched = x.clone();
        exp_in_place(&mut dispatched);
        let scalar: Vec<f64> = x.iter().map(|&v| exp_poly(v)).collect();
        for ((a, b), c) in portable.iter().zip(&dispatched).zip(&scalar) {
            assert_eq!(a.to_bits(), b.to_bits());
            assert_eq!(a.to_bits(), c.to_bits());
        }
        // the same arguments inside the normal range take the fast path, with the same bits
        let inside: Vec<f64> = x.iter().copied().filter(|v| v.abs() <= 708.0).collect();
        let mut fast = inside.clone();
        exp_in_place(&mut fast);
        for (&v, f) in inside.iter().zip(&fast) {
            assert_eq!(f.to_bits(), exp_poly(v).to_bits(), "exp({v})");
            assert_eq!(f.to_bits(), exp_normal(v).to_bits(), "exp({v})");
        }
    }

    #[test]
    fn ln_normal_is_within_two_ulp_of_ln() {
        let ulp_err = |got: f64, want: f64| {
            if got == want {
                0.0
            } else {
                (got - want).abs() / (want.abs().max(f64::MIN_POSITIVE) * f64::EPSILON)
            }
        };
        let mut worst: f64 = 0.0;
        let mut check = |x: f64| {
            let (got, want) = (ln_normal(x), x.ln());
            let e = ulp_err(got, want);
            worst = worst.max(e);
            assert!(e <= 2.0, "ln({x:e}) = {got:e}, want {want:e} ({e} ulp)");
        };
        // every binade, densely around 1 and near √2, and the ends of the normal range
        for i in 0..=200_000 {
            check(0.5 + 1.5 * i as f64 / 200_000.0);
            check(f64::MIN_POSITIVE * (1.0 + i as f64 / 20_000.0));
            check((i as f64 / 200.0 - 700.0).exp());
        }
        for x in [
            f64::MIN_POSITIVE,
            1.0,
            2.0,
            std::f64::consts::SQRT_2,
            f64::MAX,
            0.999_999_999_999,
        ] {
            check(x);
        }
        assert_eq!(ln_normal(1.0), 0.0);
        assert!(worst > 0.0, "compared against itself?");
    }

    #[test]
    fn ln_1p_unit_and_lncosh_poly_match_the_library() {
        let rel = |a: f64, b: f64| if a == b { 0.0 } else { ((a - b) / b).abs() };
        for i in 0..=100_000 {
            let y = i as f64 / 100_000.0;
            let y = if i % 2 == 0 { y } else { y * 1e-12 };
            assert!(
                rel(ln_1p_unit(y), y.ln_1p()) <= 4.0 * f64::EPSILON,
                "ln_1p({y:e})"
            );
            let q = (i as f64 - 50_000.0) * 1e-3;
            // both sum |q| + ln(1 + e^(−2|q|)) − ln 2: compare on the scale of those terms
            let (got, want) = (lncosh_poly(q), lncosh(q));
            assert!(
                (got - want).abs() <= 4.0 * f64::EPSILON * (q.abs() + 1.0),
                "lncosh({q}): {got} vs {want}"
            );
        }
        assert_eq!(ln_1p_unit(0.0), 0.0);
        assert_eq!(lncosh_poly(1e300), 1e300);
        assert!(lncosh_poly(f64::NAN).is_nan());
        assert_eq!(lncosh_poly(f64::INFINITY), f64::INFINITY);
    }

    #[test]
    fn exp_of_equals_the_exponents_then_exp_in_place() {
        let a: Vec<f64> = (0..301).map(|i| (1.0 + i as f64).ln()).collect();
        let b: Vec<f64> = (0..301).map(|i| 1.0 + 3.0 * i as f64).collect();
        // all in range; then some exponents beyond the normal range (slow path for all)
        for (offset, alpha, slope) in [(1.5, -1.3, 0.01), (2.0, 0.7, 1.0), (-700.0, -2.0, 0.0)] {
            let f = |le: f64, e: f64| (offset + alpha * le) - slope * e;
            let mut want: Vec<f64> = a.iter().zip(&b).map(|(&le, &e)| f(le, e)).collect();
            exp_in_place(&mut want);
            let mut got = vec![0.0; a.len()];
            exp_of(&mut got, &a, &b, f);
            let mut portable = vec![0.0; a.len()];
            exp_of_loop(&mut portable, &a, &b, f);
            for ((g, w), p) in got.iter().zip(&want).zip(&portable) {
                assert_eq!(g.to_bits(), w.to_bits());
                assert_eq!(p.to_bits(), w.to_bits());
            }
        }
    }

    #[test]
    fn exp_normal_equals_exp_poly_over_the_normal_range() {
        let (lo, hi) = NORMAL_RANGE;
        let n = 1_000_000;
        for i in 0..=n {
            let v = lo + (hi - lo) * i as f64 / n as f64;
            assert_eq!(exp_normal(v).to_bits(), exp_poly(v).to_bits(), "exp({v})");
            assert!(exp_normal(v).is_normal());
        }
    }
}
