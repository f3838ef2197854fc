//! Tick positions and labels: powers of ten on log axes, "nice" steps on linear axes
//! (plots.md §9.3).

use super::tex::superscript_char;

/// Tick positions of one axis: labelled major ticks and unlabelled minor ticks.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Ticks {
    /// Major ticks with their labels.
    pub major: Vec<(f64, String)>,
    /// Minor ticks (no label).
    pub minor: Vec<f64>,
}

/// Replace the ASCII hyphen of a number by the typographic minus sign.
pub fn with_minus(text: String) -> String {
    if text.contains('-') {
        text.replace('-', "−")
    } else {
        text
    }
}

/// `10ⁿ` with Unicode superscripts (`10⁻³`, `10⁰`).
pub fn format_power(exponent: i32) -> String {
    let mut out = String::from("10");
    for c in exponent.to_string().chars() {
        out.push(superscript_char(c).unwrap_or(c));
    }
    out
}

/// A number with a fixed count of decimals and a Unicode minus; `-0.00` prints as `0.00`.
pub fn format_fixed(value: f64, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let is_zero = text
        .trim_start_matches('-')
        .chars()
        .all(|c| c == '0' || c == '.');
    if is_zero {
        return text.trim_start_matches('-').to_string();
    }
    with_minus(text)
}

/// `m×10ⁿ` (or `10ⁿ` when the mantissa is one) with `decimals` decimals in the mantissa.
fn format_mantissa_power(mantissa: f64, exponent: i32, decimals: usize) -> String {
    let m = format_fixed(mantissa, decimals);
    if m == "1" || (decimals > 0 && m.trim_end_matches('0').trim_end_matches('.') == "1") {
        return format_power(exponent);
    }
    if m == "0" || m.trim_end_matches('0').trim_end_matches('.') == "0" {
        return "0".into();
    }
    format!("{m}×{}", format_power(exponent))
}

/// Decimals needed to print multiples of `step` distinctly.
fn decimals_for_step(step: f64) -> usize {
    if step <= 0.0 || !step.is_finite() {
        return 0;
    }
    let k = step.log10().floor();
    let mantissa = step / 10f64.powf(k);
    let extra = usize::from((mantissa - mantissa.round()).abs() > 1e-6);
    if k >= 0.0 {
        extra
    } else {
        (-k) as usize + extra
    }
}

/// The smallest nice step (1, 2, 2.5, 5 × 10ᵏ) giving at most `max_ticks` ticks in [lo, hi].
fn nice_step(lo: f64, hi: f64, max_ticks: usize) -> f64 {
    let span = hi - lo;
    let raw = span / (max_ticks.max(2) as f64 - 1.0);
    let mut k = raw.log10().floor() - 1.0;
    loop {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * 10f64.powf(k);
            let count = (hi / step + 1e-9).floor() - (lo / step - 1e-9).ceil() + 1.0;
            if count <= max_ticks as f64 {
                return step;
            }
        }
        k += 1.0;
    }
}

/// Multiples of `step` inside [lo, hi] (with a tiny tolerance).
fn multiples(lo: f64, hi: f64, step: f64) -> Vec<f64> {
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last).map(|i| i as f64 * step).collect()
}

/// Ticks of a linear axis: 4–6 nice major ticks (at most `max_ticks`), minor subdivisions.
pub fn linear_ticks(lo: f64, hi: f64, max_ticks: usize) -> Ticks {
    if !(lo.is_finite() && hi.is_finite()) || hi <= lo {
        return Ticks::default();
    }
    let step = nice_step(lo, hi, max_ticks);
    let values = multiples(lo, hi, step);
    let magnitude = lo.abs().max(hi.abs());
    let scientific = !(1e-3..1e5).contains(&magnitude);
    let major = values
        .iter()
        .map(|&v| {
            let v = if (v / step).abs() < 1e-9 { 0.0 } else { v };
            let label = if scientific {
                let e = magnitude.log10().floor() as i32;
                let scale = 10f64.powi(e);
                if v == 0.0 {
                    "0".to_string()
                } else {
                    format_mantissa_power(v / scale, e, decimals_for_step(step / scale))
                }
            } else {
                format_fixed(v, decimals_for_step(step))
            };
            (v, label)
        })
        .collect();
    let mantissa = step / 10f64.powf(step.log10().floor());
    let ndiv = if (mantissa - 1.0).abs() < 1e-6 || (mantissa - 5.0).abs() < 1e-6 {
        5.0
    } else {
        4.0
    };
    let minor = multiples(lo, hi, step / ndiv)
        .into_iter()
        .filter(|m| values.iter().all(|v| (v - m).abs() > step * 1e-6))
        .collect();
    Ticks { major, minor }
}

/// Labels of log-axis ticks m×10ᵉ: plain numbers (`0.5`, `2`, `100`, `10000`) when every
/// labelled value lies in [0.01, 10⁴], else `m×10ᵉ` / `10ᵉ` for all of them, so that one axis
/// keeps one style. `decimals` is the mantissas' count of decimals.
fn log_labels(ticks: &[(f64, i32)], decimals: usize) -> Vec<(f64, String)> {
    let value = |m: f64, e: i32| m * 10f64.powi(e);
    let plain = ticks.iter().all(|&(m, e)| {
        let v = value(m, e);
        (0.01 * (1.0 - 1e-9)..=1e4 * (1.0 + 1e-9)).contains(&v)
    });
    ticks
        .iter()
        .map(|&(m, e)| {
            let label = if plain {
                format_fixed(value(m, e), (decimals as i32 - e).max(0) as usize)
            } else {
                format_mantissa_power(m, e, decimals)
            };
            (value(m, e), label)
        })
        .collect()
}

/// Ticks of a log axis over [lo, hi] (both > 0): with three or more powers of ten inside,
/// labelled powers (beyond ten decades every second or third one) and minor ticks at
/// 2…9 × 10ⁿ; with fewer, the 1-2-5 ticks are labelled (and finer fallbacks keep at least
/// three labels). Labels are plain numbers where all of them fit ([`log_labels`]).
pub fn log_ticks(lo: f64, hi: f64) -> Ticks {
    if !(lo > 0.0 && hi > lo && hi.is_finite()) {
        return Ticks::default();
    }
    let llo = lo.log10();
    let lhi = hi.log10();
    let inside = |v: f64| v >= lo * (1.0 - 1e-9) && v <= hi * (1.0 + 1e-9);
    let e_lo = (llo - 1e-9).ceil() as i32;
    let e_hi = (lhi + 1e-9).floor() as i32;
    let n_powers = (e_hi - e_lo + 1).max(0);
    let span = lhi - llo;
    let mut ticks = Ticks::default();
    let all_minor = |ticks: &mut Ticks| {
        for e in (llo.floor() as i32)..=(lhi.ceil() as i32) {
            for m in 2..=9 {
                let v = f64::from(m) * 10f64.powi(e);
                if inside(v) && ticks.major.iter().all(|(x, _)| (x / v - 1.0).abs() > 1e-9) {
                    ticks.minor.push(v);
                }
            }
        }
    };
    if n_powers >= 3 {
        let step = if span <= 10.5 {
            1
        } else {
            (span / 7.0).ceil() as i32
        };
        let mut labelled = Vec::new();
        for e in e_lo..=e_hi {
            if e.rem_euclid(step) == 0 {
                labelled.push((1.0, e));
            } else {
                ticks.minor.push(10f64.powi(e));
            }
        }
        ticks.major = log_labels(&labelled, 0);
        if span <= 12.0 {
            all_minor(&mut ticks);
        }
        return ticks;
    }
    for mantissas in [
        &[1.0, 2.0, 5.0][..],
        &[1.0, 2.0, 3.0, 4.0, 5.0, 6.0, 7.0, 8.0, 9.0][..],
    ] {
        let mut labelled = Vec::new();
        for e in (llo.floor() as i32)..=(lhi.ceil() as i32) {
            for &m in mantissas {
                if inside(m * 10f64.powi(e)) {
                    labelled.push((m, e));
                }
            }
        }
        if labelled.len() >= 3 {
            ticks.major = log_labels(&labelled, 0);
            all_minor(&mut ticks);
            return ticks;
        }
    }
    // Very narrow range: nice linear steps, labelled with a common exponent.
    let e = lhi.floor() as i32;
    let scale = 10f64.powi(e);
    let step = nice_step(lo / scale, hi / scale, 5);
    let labelled: Vec<(f64, i32)> = multiples(lo / scale, hi / scale, step)
        .into_iter()
        .map(|m| (m, e))
        .collect();
    ticks.major = log_labels(&labelled, decimals_for_step(step));
    all_minor(&mut ticks);
    ticks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn labels(t: &Ticks) -> Vec<&str> {
        t.major.iter().map(|(_, l)| l.as_str()).collect()
    }

    #[test]
    fn powers_of_ten() {
        assert_eq!(format_power(-3), "10⁻³");
        assert_eq!(format_power(0), "10⁰");
        assert_eq!(format_power(12), "10¹²");
        let t = log_ticks(5.3, 5.5e4);
        assert_eq!(labels(&t), ["10", "100", "1000", "10000"]);
        assert!(t.minor.iter().any(|&m| (m - 20.0).abs() < 1e-9));
        assert!(t.minor.iter().all(|&m| (5.3..=5.5e4).contains(&m)));
        let t = log_ticks(5.3, 5.5e5);
        assert_eq!(labels(&t), ["10¹", "10²", "10³", "10⁴", "10⁵"]);
    }

    #[test]
    fn plain_1_2_5_labels_where_they_fit() {
        // a Chandra band: 1-2-5 in plain numbers, never 2×10⁰
        assert_eq!(labels(&log_ticks(0.45, 8.2)), ["0.5", "1", "2", "5"]);
        // two decades of a vFv axis still get three or more labels
        assert_eq!(
            labels(&log_ticks(0.3, 30.0)),
            ["0.5", "1", "2", "5", "10", "20"]
        );
        assert_eq!(
            labels(&log_ticks(8.0, 900.0)),
            ["10", "20", "50", "100", "200", "500"]
        );
        // narrow ranges: plain decimals
        assert_eq!(labels(&log_ticks(2.21, 2.58)), ["2.3", "2.4", "2.5"]);
        // beyond the plain range, powers for every label of the axis
        assert_eq!(
            labels(&log_ticks(0.003, 0.9)),
            [
                "5×10⁻³",
                "10⁻²",
                "2×10⁻²",
                "5×10⁻²",
                "10⁻¹",
                "2×10⁻¹",
                "5×10⁻¹"
            ]
        );
    }

    #[test]
    fn narrow_log_ranges_get_three_labels() {
        let t = log_ticks(3.5e-8, 6.1e-6);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(
            labels,
            [
                "5×10⁻⁸",
                "10⁻⁷",
                "2×10⁻⁷",
                "5×10⁻⁷",
                "10⁻⁶",
                "2×10⁻⁶",
                "5×10⁻⁶"
            ]
        );
        let t = log_ticks(1.1e-7, 6.1e-6);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2×10⁻⁷", "5×10⁻⁷", "10⁻⁶", "2×10⁻⁶", "5×10⁻⁶"]);
        let t = log_ticks(8.5e-7, 2.6e-6);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["9×10⁻⁷", "10⁻⁶", "2×10⁻⁶"]);
        let t = log_ticks(1.01e-6, 1.05e-6);
        assert!(t.major.len() >= 2, "{:?}", t.major);
    }

    #[test]
    fn wide_log_range_thins_labels() {
        let t = log_ticks(1e-20, 1e5);
        assert!(t.major.len() <= 9 && t.major.len() >= 5, "{:?}", t.major);
    }

    #[test]
    fn linear_nice_steps() {
        let t = linear_ticks(-3.5, 3.5, 6);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["−2", "0", "2"]);
        let t = linear_ticks(2.295, 2.41, 5);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["2.300", "2.325", "2.350", "2.375", "2.400"]);
        let t = linear_ticks(0.0, 1000.0, 6);
        let labels: Vec<&str> = t.major.iter().map(|(_, l)| l.as_str()).collect();
        assert_eq!(labels, ["0", "200", "400", "600", "800", "1000"]);
    }
}
