//! Test problems shared by the minimiser tests and the benchmark. The data were simulated by
//! `tests/minimize_reference.py` (fixed numpy seeds) and are copied here verbatim so that the
//! Rust statistic sees exactly the data the iminuit/scipy reference runs saw.
#![allow(dead_code)]

/// Counts of the cut-off power-law problem (120 log-spaced bins, 10–1000 keV).
pub const CPL_COUNTS: [f64; 120] = [
    61.0, 53.0, 64.0, 72.0, 49.0, 60.0, 51.0, 53.0, 57.0, 68.0, 44.0, 64.0, 63.0, 56.0, 48.0, 64.0,
    44.0, 36.0, 49.0, 48.0, 46.0, 54.0, 51.0, 51.0, 44.0, 27.0, 50.0, 41.0, 37.0, 33.0, 43.0, 47.0,
    38.0, 36.0, 38.0, 46.0, 38.0, 40.0, 35.0, 30.0, 33.0, 44.0, 36.0, 38.0, 44.0, 33.0, 33.0, 26.0,
    36.0, 26.0, 29.0, 29.0, 38.0, 33.0, 27.0, 30.0, 33.0, 26.0, 32.0, 29.0, 26.0, 22.0, 17.0, 22.0,
    27.0, 33.0, 31.0, 23.0, 16.0, 27.0, 31.0, 19.0, 29.0, 15.0, 18.0, 17.0, 21.0, 20.0, 11.0, 13.0,
    22.0, 11.0, 21.0, 11.0, 12.0, 12.0, 9.0, 17.0, 12.0, 9.0, 9.0, 10.0, 12.0, 13.0, 7.0, 3.0, 7.0,
    4.0, 7.0, 12.0, 6.0, 6.0, 8.0, 4.0, 4.0, 6.0, 3.0, 5.0, 2.0, 7.0, 5.0, 3.0, 2.0, 3.0, 0.0, 0.0,
    1.0, 1.0, 2.0, 0.0,
];

/// Counts of the Gaussian-line problem (40 bins of width 0.25 on [0, 10]).
pub const LINE_COUNTS: [f64; 40] = [
    1.0, 1.0, 0.0, 1.0, 2.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 1.0, 0.0, 4.0, 2.0, 2.0,
    1.0, 3.0, 4.0, 4.0, 0.0, 1.0, 0.0, 1.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 0.0,
    3.0, 0.0,
];

/// Data of the exponential-decay least-squares problem (t = linspace(0, 10, 50), σ = 0.05).
pub const DECAY_Y: [f64; 50] = [
    2.2288087481772685,
    2.206407317501905,
    1.9551985462386707,
    1.8526101585071195,
    1.7390774153589863,
    1.5926964068045115,
    1.4571132303863523,
    1.4618808841251705,
    1.358953147694149,
    1.161661384509479,
    1.3014755667665938,
    1.1632253272549447,
    1.0129592776231044,
    1.0371735904170643,
    0.9144654559819134,
    0.8847807539461924,
    0.8811788741668869,
    0.736436756063918,
    0.7889254737074145,
    0.7940119591838188,
    0.7569358028560915,
    0.6451996985309496,
    0.6770958797783646,
    0.5248493708213317,
    0.5740374456324125,
    0.5823194132154527,
    0.4722960126839062,
    0.516619265052582,
    0.5896397812242702,
    0.6183661026229917,
    0.5116314394317661,
    0.5006521885462683,
    0.3987898870858652,
    0.37476706008267113,
    0.3540207470179719,
    0.4419425800304873,
    0.4434579736433018,
    0.36462459114542095,
    0.32848096870862775,
    0.395744231886878,
    0.39201563378957816,
    0.3638432549730564,
    0.42836563781298764,
    0.3551335044100705,
    0.3517878278230464,
    0.29536574733002,
    0.353593968387428,
    0.41048168670040813,
    0.3428042307020295,
    0.34017700779170384,
];

/// σ of the decay data.
pub const DECAY_SIGMA: f64 = 0.05;

/// 2 Σ (μ − n + n ln(n/μ)) (the n ln(n/μ) term is 0 for n = 0); 10¹⁰⁰ for invalid μ.
pub fn cash(counts: &[f64], mu: impl Iterator<Item = f64>) -> f64 {
    let mut s = 0.0;
    for (&n, m) in counts.iter().zip(mu) {
        if m.is_nan() || m <= 0.0 || !m.is_finite() {
            return 1e100;
        }
        s += m - n;
        if n > 0.0 {
            s += n * (n / m).ln();
        }
    }
    2.0 * s
}

/// The cut-off power-law problem: bin geometry and the Cash statistic of (α, log Ec, log K).
pub struct Cpl {
    emid: Vec<f64>,
    de: Vec<f64>,
}

impl Cpl {
    /// Bin edges 10·100^(i/120), i = 0…120.
    pub fn new() -> Cpl {
        let edges: Vec<f64> = (0..=120)
            .map(|i| 10.0 * 100f64.powf(i as f64 / 120.0))
            .collect();
        let emid = edges.windows(2).map(|w| (w[0] * w[1]).sqrt()).collect();
        let de = edges.windows(2).map(|w| w[1] - w[0]).collect();
        Cpl { emid, de }
    }

    /// Cash statistic at p = (α, log10 Ec, log10 K); exposure 100.
    pub fn stat(&self, p: &[f64]) -> f64 {
        let (alpha, ec, k) = (p[0], 10f64.powf(p[1]), 10f64.powf(p[2]));
        let mu = self
            .emid
            .iter()
            .zip(&self.de)
            .map(|(&e, &d)| k * (e / 100.0).powf(-alpha) * (-e / ec).exp() * d * 100.0);
        cash(&CPL_COUNTS, mu)
    }
}

/// Bounds of the CPL problem.
pub const CPL_BOUNDS: [(f64, f64); 3] = [(-2.0, 4.0), (1.0, 4.0), (-5.0, 3.0)];
/// Start of the CPL problem.
pub const CPL_START: [f64; 3] = [1.0, 2.0, 0.0];

/// Cash statistic of the line problem at p = (b, a, x0): μ = b + a·exp(−½((x − x0)/0.8)²).
pub fn line_stat(p: &[f64]) -> f64 {
    let mu = (0..40).map(|i| {
        let x = (i as f64 + 0.5) * 0.25;
        p[0] + p[1] * (-0.5 * ((x - p[2]) / 0.8).powi(2)).exp()
    });
    cash(&LINE_COUNTS, mu)
}

/// Bounds of the line problem.
pub const LINE_BOUNDS: [(f64, f64); 3] = [(0.0, 10.0), (0.0, 50.0), (2.0, 8.0)];
/// Start of the line problem.
pub const LINE_START: [f64; 3] = [1.0, 1.0, 4.5];

/// Chi residuals (y − a·exp(−t/τ) − c)/σ of the decay problem at p = (a, τ, c).
pub fn decay_residuals(p: &[f64], out: &mut [f64]) {
    for (i, r) in out.iter_mut().enumerate() {
        let t = 10.0 * i as f64 / 49.0;
        *r = (DECAY_Y[i] - (p[0] * (-t / p[1]).exp() + p[2])) / DECAY_SIGMA;
    }
}
