//! Sums of exponentials in log space.

/// ln(eᵃ + eᵇ) without overflow or underflow; −∞ acts as zero and +∞ absorbs.
#[inline]
pub fn log_add_exp(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a >= b { (a, b) } else { (b, a) };
    if hi.is_infinite() {
        return hi;
    }
    hi + (lo - hi).exp().ln_1p()
}

/// ln Σ exp(vᵢ) (−∞ for an empty slice).
pub fn log_sum_exp(v: &[f64]) -> f64 {
    v.iter().fold(f64::NEG_INFINITY, |a, &b| log_add_exp(a, b))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_direct_sum_and_handles_infinities() {
        let v = log_add_exp(2f64.ln(), 3f64.ln());
        assert!((v - 5f64.ln()).abs() < 1e-15);
        assert_eq!(log_add_exp(f64::NEG_INFINITY, 1.0), 1.0);
        assert_eq!(log_add_exp(1.0, f64::NEG_INFINITY), 1.0);
        assert_eq!(
            log_add_exp(f64::NEG_INFINITY, f64::NEG_INFINITY),
            f64::NEG_INFINITY
        );
        assert_eq!(log_add_exp(f64::INFINITY, 3.0), f64::INFINITY);
        assert!((log_add_exp(-1000.0, -1000.0) - (-1000.0 + 2f64.ln())).abs() < 1e-12);
        assert!((log_add_exp(800.0, 0.0) - 800.0).abs() < 1e-12);
        let w = [0.1f64.ln(), 0.2f64.ln(), 0.7f64.ln()];
        assert!(log_sum_exp(&w).abs() < 1e-15);
        assert_eq!(log_sum_exp(&[]), f64::NEG_INFINITY);
    }
}
