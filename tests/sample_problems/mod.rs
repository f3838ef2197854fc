//! Test problems with known evidence (sampler_tests.json, inference.md 5.1.10).
#![allow(dead_code, clippy::needless_range_loop)]

use bayspec::sample::Problem;

/// Uniform prior on [lo, hi]^D.
fn box_transform(lo: f64, hi: f64, u: &[f64], theta: &mut [f64]) {
    for (t, v) in theta.iter_mut().zip(u) {
        *t = lo + (hi - lo) * v;
    }
}

fn box_logprior(lo: f64, hi: f64, theta: &[f64]) -> f64 {
    if theta.iter().all(|t| (lo..=hi).contains(t)) {
        -(theta.len() as f64) * (hi - lo).ln()
    } else {
        f64::NEG_INFINITY
    }
}

/// `ndim`, `prior_transform` and `logprior` of a uniform prior on [lo, hi]^ndim, inside an
/// `impl Problem` (pass `self`; the expressions may use it).
macro_rules! box_prior {
    ($self:ident, $ndim:expr, $lo:expr, $hi:expr) => {
        fn ndim(&$self) -> usize {
            $ndim
        }
        fn prior_transform(&$self, u: &[f64], theta: &mut [f64]) {
            box_transform($lo, $hi, u, theta)
        }
        fn logprior(&$self, theta: &[f64]) -> f64 {
            box_logprior($lo, $hi, theta)
        }
    };
}

/// Gaussian shells (FHB09 6.2): prior U[-6, 6]^D, two shells of radius 2, width 0.1.
pub struct Shells {
    pub d: usize,
}

impl Problem for Shells {
    box_prior!(self, self.d, -6.0, 6.0);
    fn loglike(&self, x: &[f64]) -> f64 {
        let (r, w) = (2.0, 0.1);
        let circ = |c0: f64| {
            let mut s = (x[0] - c0) * (x[0] - c0);
            for v in &x[1..] {
                s += v * v;
            }
            let dd = s.sqrt() - r;
            -dd * dd / (2.0 * w * w) - 0.5 * (2.0 * std::f64::consts::PI * w * w).ln()
        };
        let (a, b) = (circ(-3.5), circ(3.5));
        let m = a.max(b);
        m + ((a - m).exp() + (b - m).exp()).ln()
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(-6.0, 6.0); self.d]
    }
}

/// Egg-box (FHB09 6.3): prior U[0, 10π]², ln L = (2 + cos(x/2) cos(y/2))⁵.
pub struct EggBox;

impl Problem for EggBox {
    box_prior!(self, 2, 0.0, 10.0 * std::f64::consts::PI);
    fn loglike(&self, x: &[f64]) -> f64 {
        (2.0 + (x[0] / 2.0).cos() * (x[1] / 2.0).cos()).powi(5)
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(0.0, 10.0 * std::f64::consts::PI); 2]
    }
}

/// Normalised Gaussian with covariance Σ (given by its Cholesky-free inverse and log-det) in
/// the box U[-a, a]^D; with Σ = σ²·I it is the "Gaussian in a box".
pub struct GaussianBox {
    pub d: usize,
    pub half_width: f64,
    /// Σ⁻¹ row-major.
    pub inv_cov: Vec<f64>,
    /// ln det Σ.
    pub ln_det: f64,
    pub centre: Vec<f64>,
}

impl GaussianBox {
    /// Isotropic σ.
    pub fn isotropic(d: usize, sigma: f64, half_width: f64) -> Self {
        let mut inv = vec![0.0; d * d];
        for i in 0..d {
            inv[i * d + i] = 1.0 / (sigma * sigma);
        }
        GaussianBox {
            d,
            half_width,
            inv_cov: inv,
            ln_det: d as f64 * (sigma * sigma).ln(),
            centre: vec![0.0; d],
        }
    }

    /// Correlated: Σ_ij = σ² ρ^{|i-j|>0} (equicorrelated), centred at `centre`.
    pub fn correlated(d: usize, sigma: f64, rho: f64, half_width: f64, centre: f64) -> Self {
        // Σ = σ²[(1-ρ) I + ρ 11ᵀ]; Σ⁻¹ = [I - ρ/(1-ρ+dρ) 11ᵀ] / (σ²(1-ρ))
        let s2 = sigma * sigma;
        let c = rho / (1.0 - rho + d as f64 * rho);
        let mut inv = vec![0.0; d * d];
        for i in 0..d {
            for j in 0..d {
                let e = if i == j { 1.0 } else { 0.0 };
                inv[i * d + j] = (e - c) / (s2 * (1.0 - rho));
            }
        }
        let ln_det = d as f64 * s2.ln()
            + (d as f64 - 1.0) * (1.0 - rho).ln()
            + (1.0 - rho + d as f64 * rho).ln();
        GaussianBox {
            d,
            half_width,
            inv_cov: inv,
            ln_det,
            centre: vec![centre; d],
        }
    }
}

impl Problem for GaussianBox {
    box_prior!(self, self.d, -self.half_width, self.half_width);
    fn loglike(&self, x: &[f64]) -> f64 {
        let d = self.d;
        let mut q = 0.0;
        for i in 0..d {
            let xi = x[i] - self.centre[i];
            for j in 0..d {
                q += xi * self.inv_cov[i * d + j] * (x[j] - self.centre[j]);
            }
        }
        -0.5 * q - 0.5 * self.ln_det - 0.5 * d as f64 * (2.0 * std::f64::consts::PI).ln()
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(-self.half_width, self.half_width); self.d]
    }
}

/// A likelihood that is −∞ everywhere.
pub struct Nowhere;

impl Problem for Nowhere {
    fn ndim(&self) -> usize {
        2
    }
    fn prior_transform(&self, u: &[f64], theta: &mut [f64]) {
        theta.copy_from_slice(u)
    }
    fn logprior(&self, _: &[f64]) -> f64 {
        0.0
    }
    fn loglike(&self, _: &[f64]) -> f64 {
        f64::NEG_INFINITY
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(0.0, 1.0); 2]
    }
}

/// Mixture of isotropic normalised Gaussians Σ_m w_m N(x; μ_m, σ²I) (Σ w_m = 1) in the box
/// U[-a, a]^D: ln Z = −D ln(2a) while every mode lies well inside the box.
pub struct GaussMix {
    pub d: usize,
    pub half_width: f64,
    pub sigma: f64,
    /// Mode centres (D values each).
    pub centres: Vec<Vec<f64>>,
    /// Mode weights (summing to 1).
    pub weights: Vec<f64>,
}

impl GaussMix {
    /// Two modes of width σ at ±`offset` on the first axis, weights `w` and 1 − w.
    pub fn two_modes(d: usize, sigma: f64, offset: f64, w: f64, half_width: f64) -> Self {
        let mut c1 = vec![0.0; d];
        let mut c2 = vec![0.0; d];
        c1[0] = -offset;
        c2[0] = offset;
        GaussMix {
            d,
            half_width,
            sigma,
            centres: vec![c1, c2],
            weights: vec![w, 1.0 - w],
        }
    }
}

impl Problem for GaussMix {
    box_prior!(self, self.d, -self.half_width, self.half_width);
    fn loglike(&self, x: &[f64]) -> f64 {
        let s2 = self.sigma * self.sigma;
        let norm = -0.5 * self.d as f64 * (2.0 * std::f64::consts::PI * s2).ln();
        let terms: Vec<f64> = self
            .centres
            .iter()
            .zip(&self.weights)
            .map(|(c, w)| {
                let q: f64 = x.iter().zip(c).map(|(a, b)| (a - b) * (a - b)).sum();
                w.ln() + norm - 0.5 * q / s2
            })
            .collect();
        let m = terms.iter().cloned().fold(f64::NEG_INFINITY, f64::max);
        m + terms.iter().map(|t| (t - m).exp()).sum::<f64>().ln()
    }
    fn start_ranges(&self) -> Vec<(f64, f64)> {
        vec![(-self.half_width, self.half_width); self.d]
    }
}
