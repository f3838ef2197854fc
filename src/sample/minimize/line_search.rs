//! One-dimensional search along a descent direction: full step first, extrapolation by the
//! parabola through (0, f₀, slope) and the last point when the full step is good, quadratic
//! backtracking (Armijo condition) when it is not.

use super::cost::InternalCost;

/// Armijo sufficient-decrease constant.
const ARMIJO: f64 = 1e-4;

/// Search `x + λ·dir` (with `slope` = gradient·dir < 0 and `f0` = f(x)); returns the best
/// `(λ, f)` found, `λ = 0` when no point below `f0` was found. `trial` is scratch space.
pub(crate) fn line_search(
    cost: &mut InternalCost<'_>,
    x: &[f64],
    dir: &[f64],
    f0: f64,
    slope: f64,
    trial: &mut [f64],
) -> (f64, f64) {
    let mut eval_at = |cost: &mut InternalCost<'_>, lam: f64| {
        for ((t, &xi), &di) in trial.iter_mut().zip(x).zip(dir) {
            *t = xi + lam * di;
        }
        cost.eval(trial)
    };
    let mut best = (0.0, f0);
    let f1 = eval_at(cost, 1.0);
    if f1 < best.1 {
        best = (1.0, f1);
    }
    if f1 <= f0 + ARMIJO * slope {
        // good full step: extrapolate while the parabola says it pays
        let (mut lam_k, mut f_k) = (1.0, f1);
        for _ in 0..4 {
            let a = (f_k - f0 - slope * lam_k) / (lam_k * lam_k);
            let lam_p = if a > 0.0 {
                (-slope / (2.0 * a)).min(4.0 * lam_k)
            } else {
                4.0 * lam_k
            };
            if lam_p <= 1.5 * lam_k {
                break;
            }
            let f_p = eval_at(cost, lam_p);
            if f_p < best.1 {
                best = (lam_p, f_p);
                lam_k = lam_p;
                f_k = f_p;
            } else {
                break;
            }
        }
        return best;
    }
    // backtrack with quadratic interpolation
    let (mut lam_k, mut f_k) = (1.0, f1);
    for _ in 0..14 {
        let a = (f_k - f0 - slope * lam_k) / (lam_k * lam_k);
        let lam_n = if a > 0.0 && a.is_finite() {
            (-slope / (2.0 * a)).clamp(0.05 * lam_k, 0.5 * lam_k)
        } else {
            0.5 * lam_k
        };
        let f_n = eval_at(cost, lam_n);
        if f_n < best.1 {
            best = (lam_n, f_n);
        }
        if f_n <= f0 + ARMIJO * slope * lam_n {
            return best;
        }
        lam_k = lam_n;
        f_k = f_n;
    }
    best
}
