//! Overflow-free elementary helpers shared by the kernels.

use std::sync::OnceLock;

/// `ln(cosh q)` without overflow: `|q| + ln(1 + e^(−2|q|)) − ln 2`.
#[inline]
pub(crate) fn lncosh(q: f64) -> f64 {
    let a = q.abs();
    a + (-2.0 * a).exp().ln_1p() - std::f64::consts::LN_2
}

/// `ln(e^a + e^b)` without overflow (log-add-exp).
#[inline]
pub(crate) fn lse(a: f64, b: f64) -> f64 {
    let m = a.max(b);
    if m == f64::NEG_INFINITY {
        return f64::NEG_INFINITY;
    }
    if m == f64::INFINITY {
        return f64::INFINITY;
    }
    m + (-(a - b).abs()).exp().ln_1p()
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

fn gauss_legendre<const N: usize>() -> ([f64; N], [f64; N]) {
    let mut x = [0.0; N];
    let mut w = [0.0; N];
    let n = N as f64;
    for i in 0..N.div_ceil(2) {
        // initial guess (Tricomi), refined by Newton on P_N
        let mut z = (std::f64::consts::PI * (i as f64 + 0.75) / (n + 0.5)).cos();
        let mut dp = 0.0;
        for _ in 0..100 {
            let (mut p0, mut p1) = (1.0, z);
            for k in 2..=N {
                let kf = k as f64;
                let p2 = ((2.0 * kf - 1.0) * z * p1 - (kf - 1.0) * p0) / kf;
                p0 = p1;
                p1 = p2;
            }
            // p1 = P_N(z), p0 = P_{N-1}(z)
            dp = n * (z * p1 - p0) / (z * z - 1.0);
            let dz = p1 / dp;
            z -= dz;
            if dz.abs() < 1e-16 {
                break;
            }
        }
        // recompute derivative at the converged node
        let (mut p0, mut p1) = (1.0, z);
        for k in 2..=N {
            let kf = k as f64;
            let p2 = ((2.0 * kf - 1.0) * z * p1 - (kf - 1.0) * p0) / kf;
            p0 = p1;
            p1 = p2;
        }
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
        assert!((lse(1000.0, 1000.0) - (1000.0 + std::f64::consts::LN_2)).abs() < 1e-12);
        assert_eq!(inv_1p_exp(1000.0), 0.0);
        assert_eq!(inv_1p_exp(-1000.0), 1.0);
        assert!((sech2(0.5) - 1.0 / 0.5f64.cosh().powi(2)).abs() < 1e-15);
        assert_eq!(sech2(1000.0), 0.0);
    }
}
