//! Grouping: per-channel flags (1 start, −1 continue, 0 excluded) from the threshold and
//! optimal rules, and bins from flags (data.md 2.6–2.7).

use super::options::GroupingRule;
use crate::error::{Error, Result};
use crate::math::significance::SignificanceKind;

/// Bins as channel ranges `[start, stop)`.
pub type BinRanges = Vec<(usize, usize)>;

/// Per-channel inputs of the grouping rules.
#[derive(Debug, Clone, Copy)]
pub struct ChannelData<'a> {
    /// Source counts.
    pub src: &'a [f64],
    /// Background counts.
    pub bkg: &'a [f64],
    /// Background errors (counts).
    pub bkg_err: &'a [f64],
    /// Background scaling α per channel (t_s / t_b without sf, bf).
    pub alpha: &'a [f64],
    /// Valid (noticed and good) channels.
    pub valid: &'a [bool],
}

impl ChannelData<'_> {
    /// Sums over channels `[start, stop)`: (S, B, E, mean α).
    fn sums(&self, start: usize, stop: usize) -> (f64, f64, f64, f64) {
        let (mut s, mut b, mut e2, mut a) = (0.0, 0.0, 0.0, 0.0);
        for c in start..stop {
            s += self.src[c];
            b += self.bkg[c];
            e2 += self.bkg_err[c] * self.bkg_err[c];
            a += self.alpha[c];
        }
        (s, b, e2.sqrt(), a / (stop - start).max(1) as f64)
    }
}

/// Bins `[start, stop)` from flags: a `1` starts a group that extends over the following
/// `−1`s; other channels are skipped. With `zero_starts` a `0` flag also starts a group (file
/// GROUPING, data.md 2.6). Only groups whose channels are all valid are kept; the second list
/// holds the dropped groups that had some valid channels.
pub fn bins_from_flags(flags: &[i64], valid: &[bool], zero_starts: bool) -> (BinRanges, BinRanges) {
    let n = flags.len();
    let mut kept = Vec::new();
    let mut dropped = Vec::new();
    let mut c = 0;
    while c < n {
        let starts = flags[c] == 1 || (zero_starts && flags[c] == 0);
        if !starts {
            c += 1;
            continue;
        }
        let start = c;
        c += 1;
        while c < n && flags[c] == -1 {
            c += 1;
        }
        let all = valid[start..c].iter().all(|&v| v);
        if all {
            kept.push((start, c));
        } else if valid[start..c].iter().any(|&v| v) {
            dropped.push((start, c));
        }
    }
    (kept, dropped)
}

/// Flags of the threshold rule (data.md 2.7.1), with the fix of the cross-range tail merge:
/// a below-threshold tail is merged only into the previous bin of the same run of valid
/// channels; if it is the first bin of its run it stays a bin of its own (with a warning).
pub fn threshold_flags(
    data: &ChannelData<'_>,
    rule: &GroupingRule,
    kind: SignificanceKind,
    warnings: &mut Vec<String>,
) -> Vec<i64> {
    let n = data.src.len();
    let min_sigma = rule.min_sigma.unwrap_or(f64::NEG_INFINITY);
    let min_evt = rule.min_evt.unwrap_or(0.0);
    let min_nevt = rule.min_nevt.unwrap_or(0.0);
    let max_bin = rule.max_bin.map(|m| m as usize).unwrap_or(usize::MAX);
    let mut flags = vec![0i64; n];
    let mut open: Option<usize> = None;
    let mut bins_in_run = 0usize;
    let (mut s, mut b, mut e2, mut a, mut w) = (0.0, 0.0, 0.0, 0.0, 0usize);
    let mut below = Vec::new();
    let mut close_open =
        |open: Option<usize>, bins_in_run: usize, flags: &mut [i64], end: usize| {
            if let Some(start) = open {
                if bins_in_run >= 2 {
                    flags[start] = -1;
                } else {
                    below.push((start, end));
                }
            }
        };
    for c in 0..n {
        if !data.valid[c] {
            flags[c] = 0;
            close_open(open, bins_in_run, &mut flags, c);
            open = None;
            bins_in_run = 0;
            continue;
        }
        if open.is_none() {
            flags[c] = 1;
            open = Some(c);
            bins_in_run += 1;
            (s, b, e2, a, w) = (0.0, 0.0, 0.0, 0.0, 0);
        } else {
            flags[c] = -1;
        }
        w += 1;
        s += data.src[c];
        b += data.bkg[c];
        e2 += data.bkg_err[c] * data.bkg_err[c];
        a += data.alpha[c];
        let alpha = a / w as f64;
        let sig = kind.of_bin(s, b, e2.sqrt(), alpha);
        let net = s - alpha * b;
        if (sig >= min_sigma && s >= min_evt && net >= min_nevt) || w == max_bin {
            open = None;
        }
    }
    close_open(open, bins_in_run, &mut flags, n);
    for (start, stop) in below {
        warnings.push(format!(
            "grouping: channels {start}..{} form a bin below the thresholds {rule} (it is the only bin of its noticed range)",
            stop - 1
        ));
    }
    flags
}

/// Flags of the optimal rule (Kaastra & Bleeker 2016, data.md 2.7.2), with thresholds when
/// the rule has any. `fwhm` is the per-channel FWHM in channels (`Response::channel_fwhm`).
pub fn optimal_flags(
    data: &ChannelData<'_>,
    fwhm: &[f64],
    rule: &GroupingRule,
    kind: SignificanceKind,
) -> Result<Vec<i64>> {
    let n = data.src.len();
    let valid = data.valid;
    for c in 0..n {
        if !valid[c] {
            continue;
        }
        if !(fwhm[c].is_finite() && fwhm[c] > 0.0) {
            return Err(Error::new(format!(
                "optimal binning: the response FWHM at channel {c} cannot be measured ({})",
                fwhm[c]
            )));
        }
        if !data.src[c].is_finite() {
            return Err(Error::new(format!(
                "optimal binning: counts at channel {c} are {}",
                data.src[c]
            )));
        }
    }
    let n_res = 1.0
        + (0..n)
            .filter(|&c| valid[c])
            .map(|c| 1.0 / fwhm[c])
            .sum::<f64>();
    let rounded: Vec<f64> = (0..n)
        .map(|c| if valid[c] { data.src[c].round() } else { 0.0 })
        .collect();
    let runs = valid_runs(valid);
    let mut width = vec![1usize; n];
    for &(a, b) in &runs {
        for c in a..=b {
            let f = fwhm[c];
            let lo = (c as f64 - f / 2.0).round().clamp(a as f64, b as f64) as usize;
            let hi = (c as f64 + f / 2.0).round().clamp(a as f64, b as f64) as usize;
            let r = 1.314 * rounded[lo..=hi].iter().sum::<f64>();
            let mut w = f;
            let y = r * (1.0 + 0.2 * n_res.ln());
            if y > 0.0 {
                let x = y.ln();
                if x > 2.119 {
                    w *= (0.08 * x + 7.0 + 1.8 / x) / (x + 5.9);
                }
            }
            width[c] = (w.trunc() as usize).max(1);
        }
    }
    let optimal_end = |s: usize, run_end: usize| -> usize {
        let mut e = run_end.min(s + width[s] - 1);
        let mut i = s + 1;
        while i <= e {
            e = e.min(i + width[i] - 1);
            i += 1;
        }
        e
    };
    let max_bin = rule.max_bin.map(|m| m as usize).unwrap_or(usize::MAX);
    let fails = |s: usize, e: usize| -> bool {
        let (src, bkg, err, alpha) = data.sums(s, e + 1);
        rule.min_evt.is_some_and(|m| src < m)
            || rule.min_nevt.is_some_and(|m| src - alpha * bkg < m)
            || rule
                .min_sigma
                .is_some_and(|m| kind.of_bin(src, bkg, err, alpha) < m)
    };
    let mut flags = vec![0i64; n];
    for &(a, b) in &runs {
        let mut bins: Vec<(usize, usize)> = Vec::new();
        let mut s = a;
        while s <= b {
            let mut e = optimal_end(s, b);
            if rule.has_thresholds() {
                if e - s + 1 > max_bin {
                    return Err(Error::new(format!(
                        "optimal binning: max_bin = {max_bin} cannot be smaller than the optimal bin width ({} channels at channel {s})",
                        e - s + 1
                    )));
                }
                while fails(s, e) && e < b && e - s + 1 < max_bin {
                    e += 1;
                }
            }
            bins.push((s, e));
            s = e + 1;
        }
        if rule.has_thresholds() {
            while bins.len() >= 2 {
                let (ls, le) = bins[bins.len() - 1];
                let (ps, _) = bins[bins.len() - 2];
                if fails(ls, le) && le - ps < max_bin {
                    bins.pop();
                    let last = bins.len() - 1;
                    bins[last].1 = le;
                } else {
                    break;
                }
            }
        }
        for (s, e) in bins {
            flags[s] = 1;
            for f in &mut flags[s + 1..=e] {
                *f = -1;
            }
        }
    }
    Ok(flags)
}

/// Runs of consecutive valid channels as inclusive `(first, last)` pairs.
fn valid_runs(valid: &[bool]) -> Vec<(usize, usize)> {
    let mut runs = Vec::new();
    let mut c = 0;
    while c < valid.len() {
        if !valid[c] {
            c += 1;
            continue;
        }
        let a = c;
        while c < valid.len() && valid[c] {
            c += 1;
        }
        runs.push((a, c - 1));
    }
    runs
}
