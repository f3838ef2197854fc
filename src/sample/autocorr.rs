//! Integrated autocorrelation time of an ensemble chain (as emcee's `get_autocorr_time`):
//! per parameter, the normalised autocorrelation function of each walker (FFT with zero
//! padding), averaged over walkers; τ(M) = 2 Σ_{t≤M} ρ(t) − 1 with the window M the first lag
//! where M ≥ c·τ(M) (c = 5).

/// Autocorrelation times per parameter of a chain stored step-major as (nstep, nwalkers, ndim)
/// flat, and whether the estimate is reliable (nstep ≥ `tol`·τ for every parameter; emcee
/// refuses the estimate otherwise, tol = 50).
pub fn integrated_time(
    chain: &[f64],
    nstep: usize,
    nwalkers: usize,
    ndim: usize,
    tol: f64,
) -> (Vec<f64>, bool) {
    let mut taus = Vec::with_capacity(ndim);
    if nstep < 2 {
        return (vec![f64::NAN; ndim], false);
    }
    let mut series = vec![0.0; nstep];
    for p in 0..ndim {
        let mut mean_acf = vec![0.0; nstep];
        for w in 0..nwalkers {
            for s in 0..nstep {
                series[s] = chain[(s * nwalkers + w) * ndim + p];
            }
            let acf = autocorrelation(&series);
            for (m, a) in mean_acf.iter_mut().zip(&acf) {
                *m += a / nwalkers as f64;
            }
        }
        let mut cum = 0.0;
        let mut tau = f64::NAN;
        for (m, f) in mean_acf.iter().enumerate() {
            cum += f;
            let t = 2.0 * cum - 1.0;
            tau = t;
            if (m as f64) >= 5.0 * t {
                break;
            }
        }
        taus.push(tau);
    }
    let ok = taus
        .iter()
        .all(|&t| t.is_finite() && tol * t <= nstep as f64);
    (taus, ok)
}

/// Normalised autocorrelation function of a series (ρ(0) = 1; a constant series gives NaN).
pub fn autocorrelation(x: &[f64]) -> Vec<f64> {
    let n = x.len();
    let mean = x.iter().sum::<f64>() / n as f64;
    let size = 2 * n.next_power_of_two();
    let mut re = vec![0.0; size];
    let mut im = vec![0.0; size];
    for (r, v) in re.iter_mut().zip(x) {
        *r = v - mean;
    }
    fft(&mut re, &mut im, false);
    for k in 0..size {
        re[k] = re[k] * re[k] + im[k] * im[k];
        im[k] = 0.0;
    }
    fft(&mut re, &mut im, true);
    let a0 = re[0];
    re.truncate(n);
    re.iter().map(|v| v / a0).collect()
}

/// In-place iterative radix-2 FFT (length a power of two); `inverse` includes the 1/n factor.
fn fft(re: &mut [f64], im: &mut [f64], inverse: bool) {
    let n = re.len();
    let mut j = 0;
    for i in 1..n {
        let mut bit = n >> 1;
        while j & bit != 0 {
            j ^= bit;
            bit >>= 1;
        }
        j |= bit;
        if i < j {
            re.swap(i, j);
            im.swap(i, j);
        }
    }
    let sign = if inverse { 1.0 } else { -1.0 };
    let mut len = 2;
    while len <= n {
        let ang = sign * 2.0 * std::f64::consts::PI / len as f64;
        let (wr, wi) = (ang.cos(), ang.sin());
        for start in (0..n).step_by(len) {
            let (mut cr, mut ci) = (1.0, 0.0);
            for k in 0..len / 2 {
                let (a, b) = (start + k, start + k + len / 2);
                let tr = re[b] * cr - im[b] * ci;
                let ti = re[b] * ci + im[b] * cr;
                re[b] = re[a] - tr;
                im[b] = im[a] - ti;
                re[a] += tr;
                im[a] += ti;
                let ncr = cr * wr - ci * wi;
                ci = cr * wi + ci * wr;
                cr = ncr;
            }
        }
        len <<= 1;
    }
    if inverse {
        for k in 0..n {
            re[k] /= n as f64;
            im[k] /= n as f64;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acf_matches_direct_sum() {
        let x: Vec<f64> = (0..37).map(|i| ((i * 7919) % 31) as f64 * 0.1).collect();
        let acf = autocorrelation(&x);
        let m = x.iter().sum::<f64>() / x.len() as f64;
        let c0: f64 = x.iter().map(|v| (v - m) * (v - m)).sum();
        for t in [0, 1, 5, 20, 36] {
            let ct: f64 = (0..x.len() - t).map(|i| (x[i] - m) * (x[i + t] - m)).sum();
            assert!((acf[t] - ct / c0).abs() < 1e-12, "lag {t}");
        }
    }

    #[test]
    fn ar1_time_is_close_to_theory() {
        // AR(1) with φ = 0.8: τ = (1 + φ)/(1 − φ) = 9
        use rand::SeedableRng;
        use rand_distr::{Distribution, StandardNormal};
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let (nstep, nw) = (4000, 16);
        let mut chain = vec![0.0; nstep * nw];
        for w in 0..nw {
            let mut x = 0.0;
            for s in 0..nstep {
                let e: f64 = StandardNormal.sample(&mut rng);
                x = 0.8 * x + e;
                chain[s * nw + w] = x;
            }
        }
        let (tau, ok) = integrated_time(&chain, nstep, nw, 1, 50.0);
        assert!(ok);
        assert!((tau[0] - 9.0).abs() < 1.0, "tau {}", tau[0]);
    }
}
