//! Information criteria (inference.md 6.3) and WAIC (6.4).

use crate::error::{Error, Result};

/// AIC = −2·max_loglike + 2k.
pub fn aic(max_loglike: f64, k: usize) -> f64 {
    -2.0 * max_loglike + 2.0 * k as f64
}

/// AICc = AIC + 2k(k + 1)/(n − k − 1); `None` when n ≤ k + 1 (undefined).
pub fn aicc(max_loglike: f64, k: usize, n: usize) -> Option<f64> {
    if n <= k + 1 {
        return None;
    }
    let kf = k as f64;
    Some(aic(max_loglike, k) + 2.0 * kf * (kf + 1.0) / (n as f64 - kf - 1.0))
}

/// BIC = −2·max_loglike + k·ln n.
pub fn bic(max_loglike: f64, k: usize, n: usize) -> f64 {
    -2.0 * max_loglike + k as f64 * (n as f64).ln()
}

/// The widely applicable information criterion from a pointwise log-likelihood matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct Waic {
    /// Σ elpd_i.
    pub elpd_waic: f64,
    /// Standard error of elpd_waic: √(n·Var_i(elpd_i)).
    pub se: f64,
    /// Effective number of parameters Σ v_i.
    pub p_waic: f64,
    /// WAIC on the deviance scale: −2·elpd_waic.
    pub deviance: f64,
    /// Its error: 2·se.
    pub deviance_error: f64,
    /// Pointwise −2·elpd_i.
    pub pointwise_deviance: Vec<f64>,
    /// True when some v_i > 0.4 (the estimate is unreliable).
    pub warning: bool,
}

/// WAIC from ℓ_{s,i} (rows: draws s, columns: fit bins i): lppd_i = ln((1/S) Σ_s e^{ℓ_si}),
/// v_i = variance over s (divisor S), elpd_i = lppd_i − v_i.
pub fn waic(pointwise: &[Vec<f64>]) -> Result<Waic> {
    let s = pointwise.len();
    if s < 2 {
        return Err(Error::new("WAIC needs at least two draws"));
    }
    let n = pointwise[0].len();
    if n == 0 || pointwise.iter().any(|r| r.len() != n) {
        return Err(Error::new(
            "WAIC: the pointwise log-likelihood rows must all have the same (non-zero) length",
        ));
    }
    if pointwise.iter().flatten().any(|v| !v.is_finite()) {
        return Err(Error::new(
            "WAIC: the pointwise log-likelihood has non-finite values",
        ));
    }
    let sf = s as f64;
    let mut elpd = Vec::with_capacity(n);
    let mut p_waic = 0.0;
    let mut warning = false;
    for i in 0..n {
        let mx = pointwise
            .iter()
            .map(|r| r[i])
            .fold(f64::NEG_INFINITY, f64::max);
        let lse = mx
            + pointwise
                .iter()
                .map(|r| (r[i] - mx).exp())
                .sum::<f64>()
                .ln();
        let lppd = lse - sf.ln();
        let m = pointwise.iter().map(|r| r[i]).sum::<f64>() / sf;
        let v = pointwise.iter().map(|r| (r[i] - m).powi(2)).sum::<f64>() / sf;
        warning |= v > 0.4;
        p_waic += v;
        elpd.push(lppd - v);
    }
    let elpd_waic: f64 = elpd.iter().sum();
    let me = elpd_waic / n as f64;
    let var = elpd.iter().map(|e| (e - me).powi(2)).sum::<f64>() / n as f64;
    let se = (n as f64 * var).sqrt();
    Ok(Waic {
        elpd_waic,
        se,
        p_waic,
        deviance: -2.0 * elpd_waic,
        deviance_error: 2.0 * se,
        pointwise_deviance: elpd.iter().map(|e| -2.0 * e).collect(),
        warning,
    })
}
