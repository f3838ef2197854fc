//! Per-parameter summaries of a sample (inference.md 6.2): NumPy-style quantiles, central
//! intervals and asymmetric errors.

/// NumPy's default quantile of an ascending-sorted slice: h = (n − 1)q, linear interpolation
/// between x_⌊h⌋ and x_⌈h⌉ (NaN for an empty slice).
pub fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    let n = sorted.len();
    if n == 0 || !(0.0..=1.0).contains(&q) {
        return f64::NAN;
    }
    let h = (n - 1) as f64 * q;
    let lo = h.floor() as usize;
    let hi = h.ceil() as usize;
    let t = h - lo as f64;
    let (a, b) = (sorted[lo], sorted[hi.min(n - 1)]);
    // NumPy's lerp: a + (b − a)t, evaluated from the upper end for t ≥ 0.5.
    if t >= 0.5 {
        b - (b - a) * (1.0 - t)
    } else {
        a + (b - a) * t
    }
}

/// Arithmetic mean.
pub fn mean(x: &[f64]) -> f64 {
    x.iter().sum::<f64>() / x.len() as f64
}

/// The summaries of one parameter's column.
#[derive(Debug, Clone, PartialEq)]
pub struct Post {
    /// The column in draw order.
    pub values: Vec<f64>,
    sorted: Vec<f64>,
    /// Value in the best-ranked draw.
    pub best: f64,
    /// Value in the best draw lying inside every parameter's 1σ interval (none if no draw does).
    pub best_ci: Option<f64>,
    /// Bootstrap only: the value in the first row (the best fit).
    pub truth: Option<f64>,
}

impl Post {
    /// Build from a column and the analyser's best / best_ci / truth values.
    pub fn new(values: Vec<f64>, best: f64, best_ci: Option<f64>, truth: Option<f64>) -> Self {
        let mut sorted = values.clone();
        sorted.sort_by(f64::total_cmp);
        Post {
            values,
            sorted,
            best,
            best_ci,
            truth,
        }
    }

    /// Arithmetic mean.
    pub fn mean(&self) -> f64 {
        mean(&self.values)
    }

    /// NumPy median.
    pub fn median(&self) -> f64 {
        let n = self.sorted.len();
        if n == 0 {
            return f64::NAN;
        }
        if n % 2 == 1 {
            self.sorted[n / 2]
        } else {
            (self.sorted[n / 2 - 1] + self.sorted[n / 2]) / 2.0
        }
    }

    /// NumPy quantile.
    pub fn quantile(&self, q: f64) -> f64 {
        quantile_sorted(&self.sorted, q)
    }

    /// Central interval holding fraction q: [quantile(0.5 − q/2), quantile(0.5 + q/2)].
    pub fn interval(&self, q: f64) -> [f64; 2] {
        [self.quantile(0.5 - q / 2.0), self.quantile(0.5 + q / 2.0)]
    }

    /// interval(0.6827).
    pub fn isigma(&self) -> [f64; 2] {
        self.interval(0.6827)
    }

    /// interval(0.9545).
    pub fn iisigma(&self) -> [f64; 2] {
        self.interval(0.9545)
    }

    /// interval(0.9973).
    pub fn iiisigma(&self) -> [f64; 2] {
        self.interval(0.9973)
    }

    /// interval(0.9).
    pub fn ninety_percent(&self) -> [f64; 2] {
        self.interval(0.9)
    }

    /// Asymmetric error of `p` against interval(q): [p − lo, hi − p] (signs kept).
    pub fn error(&self, p: f64, q: f64) -> [f64; 2] {
        let [lo, hi] = self.interval(q);
        [p - lo, hi - p]
    }
}
