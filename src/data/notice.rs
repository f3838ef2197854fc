//! Noticed energy ranges (`notc`, data.md 2.4).

use crate::error::{Error, Result};

/// Check and normalise `notc`: each range two finite numbers with lo < hi; several ranges
/// are sorted by their lower limit and merged where they overlap or touch. A single range is
/// returned as given.
pub fn normalize_notc(ranges: &[[f64; 2]]) -> Result<Vec<[f64; 2]>> {
    if ranges.is_empty() {
        return Err(Error::new(
            "notc: no range given (use none to notice every channel)",
        ));
    }
    for [lo, hi] in ranges {
        if !(lo.is_finite() && hi.is_finite()) {
            return Err(Error::new(format!(
                "notc: range [{lo}, {hi}] must be finite numbers"
            )));
        }
        if lo >= hi {
            return Err(Error::new(format!(
                "notc: range [{lo}, {hi}] is reversed or empty (need lo < hi)"
            )));
        }
    }
    if ranges.len() == 1 {
        return Ok(ranges.to_vec());
    }
    let mut sorted = ranges.to_vec();
    sorted.sort_by(|a, b| a[0].total_cmp(&b[0]));
    let mut out: Vec<[f64; 2]> = Vec::with_capacity(sorted.len());
    for r in sorted {
        match out.last_mut() {
            Some(last) if r[0] <= last[1] => last[1] = last[1].max(r[1]),
            _ => out.push(r),
        }
    }
    Ok(out)
}

/// Per-channel noticed flags: a channel is noticed iff it lies entirely inside a range
/// (`lo <= E_MIN` and `E_MAX <= hi`). Ranges that notice nothing produce a warning.
pub fn noticed_mask(
    notc: Option<&[[f64; 2]]>,
    e_min: &[f64],
    e_max: &[f64],
    warnings: &mut Vec<String>,
) -> Vec<bool> {
    let n = e_min.len();
    let Some(ranges) = notc else {
        return vec![true; n];
    };
    let mut mask = vec![false; n];
    for &[lo, hi] in ranges {
        let mut any = false;
        for c in 0..n {
            if lo <= e_min[c] && e_max[c] <= hi {
                mask[c] = true;
                any = true;
            }
        }
        if !any && n > 0 {
            warnings.push(format!(
                "notc range [{lo}, {hi}] keV notices no channel (the channels cover {}–{} keV)",
                e_min[0],
                e_max[n - 1]
            ));
        }
    }
    mask
}

/// `notc` as text, e.g. `[[8, 900]]`.
pub fn notc_text(notc: Option<&[[f64; 2]]>) -> String {
    match notc {
        None => "none".into(),
        Some(r) => {
            let parts: Vec<String> = r.iter().map(|[a, b]| format!("[{a}, {b}]")).collect();
            format!("[{}]", parts.join(", "))
        }
    }
}
