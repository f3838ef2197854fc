//! How a maximum-likelihood fit ended: whether the minimiser converged, its estimated distance
//! to the minimum (EDM) against the goal, the calls it used, the parameters left at a limit of
//! their range and which MINOS errors are valid. Printed above the bootstrap tables, saved in
//! `1-maxlike_res.json` and read from scripts, so that a fit pinned at a bound or stopped short
//! is never reported like a good one.

use serde_json::{json, Value};

/// A best-fit value within this fraction of its range's width (or of max(1, |bound|) for a
/// one-sided range) from a bound is "at limit".
pub const LIMIT_TOLERANCE: f64 = 1e-6;

/// EDM goal of `lmfit` (Levenberg–Marquardt has no EDM test of its own; MIGRAD's default
/// goal is 2·10⁻⁴). Above it the fit stopped short of the minimum.
pub const LMFIT_EDM_GOAL: f64 = 1e-3;

/// Which end of its range a parameter sits at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LimitSide {
    /// The lower bound.
    Lower,
    /// The upper bound.
    Upper,
}

impl LimitSide {
    /// `"lower"` or `"upper"`.
    pub fn name(self) -> &'static str {
        match self {
            LimitSide::Lower => "lower",
            LimitSide::Upper => "upper",
        }
    }
}

/// The end of `(lo, hi)` that `value` lies within [`LIMIT_TOLERANCE`] of, if any.
pub fn limit_side(value: f64, (lo, hi): (f64, f64)) -> Option<LimitSide> {
    let width = hi - lo;
    let tol = |bound: f64| {
        LIMIT_TOLERANCE
            * if width.is_finite() {
                width
            } else {
                bound.abs().max(1.0)
            }
    };
    if lo.is_finite() && value - lo <= tol(lo) {
        Some(LimitSide::Lower)
    } else if hi.is_finite() && hi - value <= tol(hi) {
        Some(LimitSide::Upper)
    } else {
        None
    }
}

/// How a maximum-likelihood fit ended.
#[derive(Debug, Clone, PartialEq)]
pub struct FitStatus {
    /// `"iminuit"` or `"lmfit"`.
    pub fitter: &'static str,
    /// Whether the minimiser met its convergence test and the EDM its goal.
    pub converged: bool,
    /// Converged, with a positive-definite Hessian (iminuit) and finite errors: the errors
    /// mean what they say (parameters at a limit are flagged separately).
    pub valid: bool,
    /// How the minimiser ended, in its words.
    pub reason: String,
    /// Estimated distance to the minimum (in units of the statistic).
    pub edm: f64,
    /// The EDM goal.
    pub edm_goal: f64,
    /// Evaluations of the statistic (or residual vector).
    pub nfev: usize,
    /// Whether HESSE's matrix was positive definite (iminuit only).
    pub hesse_pos_def: Option<bool>,
    /// Per free parameter: the range end it is pinned at, if any.
    pub at_limit: Vec<Option<LimitSide>>,
    /// Per free parameter: whether the MINOS lower and upper errors are valid and inside the
    /// range (an error that reaches a limit counts as not valid; MINOS only).
    pub minos_valid: Option<Vec<(bool, bool)>>,
}

impl FitStatus {
    /// One line: `iminuit: valid (converged, EDM 3.1e-07 < 2.0e-04, Hessian positive
    /// definite, 153 calls)` or `lmfit: NOT CONVERGED (…)`.
    pub fn summary(&self) -> String {
        let state = if self.valid {
            "valid"
        } else if self.converged {
            "INVALID"
        } else {
            "NOT CONVERGED"
        };
        let cmp = if self.edm <= self.edm_goal { "<" } else { ">" };
        let mut parts = vec![
            self.reason.clone(),
            format!("EDM {:.1e} {cmp} goal {:.1e}", self.edm, self.edm_goal),
        ];
        match self.hesse_pos_def {
            Some(true) => parts.push("Hessian positive definite".into()),
            Some(false) => parts.push("Hessian NOT positive definite (covariance forced)".into()),
            None => {}
        }
        parts.push(format!("{} calls", self.nfev));
        let n = self.at_limit.iter().flatten().count();
        if n > 0 {
            parts.push(format!(
                "{n} parameter{} at a limit",
                if n == 1 { "" } else { "s" }
            ));
        }
        format!("{}: {state} ({})", self.fitter, parts.join(", "))
    }

    /// The JSON object saved as `status` in `1-maxlike_res.json`.
    pub fn to_json(&self) -> Value {
        let num = |x: f64| if x.is_finite() { json!(x) } else { Value::Null };
        json!({
            "fitter": self.fitter,
            "valid": self.valid,
            "converged": self.converged,
            "reason": self.reason,
            "edm": num(self.edm),
            "edm_goal": num(self.edm_goal),
            "nfev": self.nfev,
            "hesse_pos_def": self.hesse_pos_def,
            "at_limit": self.at_limit.iter().map(|s| s.map(LimitSide::name)).collect::<Vec<_>>(),
            "minos_valid": self.minos_valid.as_ref().map(|v| {
                v.iter().map(|&(lo, hi)| json!([lo, hi])).collect::<Vec<_>>()
            }),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_relative_to_the_range() {
        assert_eq!(limit_side(50.0, (0.0, 50.0)), Some(LimitSide::Upper));
        assert_eq!(limit_side(50.0 - 4e-5, (0.0, 50.0)), Some(LimitSide::Upper));
        assert_eq!(limit_side(50.0 - 6e-5, (0.0, 50.0)), None);
        assert_eq!(limit_side(1e-4, (1e-4, 2.0)), Some(LimitSide::Lower));
        assert_eq!(limit_side(0.5, (0.0, f64::INFINITY)), None);
        assert_eq!(
            limit_side(5e-7, (0.0, f64::INFINITY)),
            Some(LimitSide::Lower)
        );
        assert_eq!(limit_side(0.0, (f64::NEG_INFINITY, f64::INFINITY)), None);
    }
}
