//! Histograms, Gaussian smoothing, weighted quantiles and probability-mass contour levels for
//! the corner plot (plots.md §7, §9.6).

/// The 2-D "1σ, 2σ" masses 1 − exp(−n²/2), n = 1, 2.
pub const CONTOUR_MASSES: [f64; 2] = [0.393_469_340_287_366_6, 0.864_664_716_763_387_3];
/// Quantiles of the central 68.27 % interval and the median.
pub const QUANTILES: [f64; 3] = [0.158_655_253_931_457, 0.5, 0.841_344_746_068_543];

/// Weighted quantile `q` ∈ [0, 1] of `values` (weights default to equal); linear interpolation
/// of the weighted empirical CDF at the sample mid-points. NaN values are ignored; NaN if none.
pub fn weighted_quantile(values: &[f64], weights: Option<&[f64]>, q: f64) -> f64 {
    let mut pairs: Vec<(f64, f64)> = values
        .iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .map(|(i, &v)| (v, weights.map_or(1.0, |w| w[i].max(0.0))))
        .collect();
    if pairs.is_empty() {
        return f64::NAN;
    }
    pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let total: f64 = pairs.iter().map(|p| p.1).sum();
    if total <= 0.0 {
        return f64::NAN;
    }
    // CDF at the centre of each sample's weight.
    let mut acc = 0.0;
    let mut cdf = Vec::with_capacity(pairs.len());
    for p in &pairs {
        cdf.push((acc + 0.5 * p.1) / total);
        acc += p.1;
    }
    if q <= cdf[0] {
        return pairs[0].0;
    }
    if q >= cdf[cdf.len() - 1] {
        return pairs[pairs.len() - 1].0;
    }
    let k = cdf.partition_point(|&c| c < q);
    let (c0, c1) = (cdf[k - 1], cdf[k]);
    let t = if c1 > c0 { (q - c0) / (c1 - c0) } else { 0.0 };
    pairs[k - 1].0 + t * (pairs[k].0 - pairs[k - 1].0)
}

/// Bin index of `v` in `bins` equal bins over [lo, hi] (the upper edge belongs to the last bin).
fn bin_of(v: f64, lo: f64, hi: f64, bins: usize) -> Option<usize> {
    if !v.is_finite() || v < lo || v > hi || hi <= lo {
        return None;
    }
    let i = ((v - lo) / (hi - lo) * bins as f64) as usize;
    Some(i.min(bins - 1))
}

/// Histogram of `values` in `bins` bins over [lo, hi], weights normalised to sum 1 over all
/// samples (so heights are probabilities per bin).
pub fn histogram_1d(
    values: &[f64],
    weights: Option<&[f64]>,
    range: (f64, f64),
    bins: usize,
) -> Vec<f64> {
    let mut h = vec![0.0; bins];
    let total: f64 = weights.map_or(values.len() as f64, |w| w.iter().sum());
    if total <= 0.0 || bins == 0 {
        return h;
    }
    for (i, &v) in values.iter().enumerate() {
        if let Some(b) = bin_of(v, range.0, range.1, bins) {
            h[b] += weights.map_or(1.0, |w| w[i]) / total;
        }
    }
    h
}

/// 2-D histogram, `h[ix * ny + iy]`, weights normalised to sum 1.
pub fn histogram_2d(
    xs: &[f64],
    ys: &[f64],
    weights: Option<&[f64]>,
    xr: (f64, f64),
    yr: (f64, f64),
    bins: usize,
) -> Vec<f64> {
    let mut h = vec![0.0; bins * bins];
    let total: f64 = weights.map_or(xs.len() as f64, |w| w.iter().sum());
    if total <= 0.0 || bins == 0 {
        return h;
    }
    for i in 0..xs.len().min(ys.len()) {
        if let (Some(bx), Some(by)) = (
            bin_of(xs[i], xr.0, xr.1, bins),
            bin_of(ys[i], yr.0, yr.1, bins),
        ) {
            h[bx * bins + by] += weights.map_or(1.0, |w| w[i]) / total;
        }
    }
    h
}

/// Normalised Gaussian kernel of standard deviation `sigma` (bins), truncated at 4σ.
fn kernel(sigma: f64) -> Vec<f64> {
    let r = (4.0 * sigma + 0.5) as i64;
    let mut k: Vec<f64> = (-r..=r)
        .map(|i| (-0.5 * (i as f64 / sigma).powi(2)).exp())
        .collect();
    let s: f64 = k.iter().sum();
    k.iter_mut().for_each(|v| *v /= s);
    k
}

/// Mirror an index into [0, n) ("reflect" boundary: … c b a | a b c … ).
fn reflect(mut i: i64, n: i64) -> usize {
    loop {
        if i < 0 {
            i = -i - 1;
        } else if i >= n {
            i = 2 * n - i - 1;
        } else {
            return i as usize;
        }
    }
}

/// Smooth a 1-D array with a Gaussian of `sigma` bins (mirror boundaries, 4σ truncation);
/// `sigma ≤ 0` returns the input.
pub fn smooth_1d(h: &[f64], sigma: f64) -> Vec<f64> {
    if sigma <= 0.0 || h.is_empty() {
        return h.to_vec();
    }
    let k = kernel(sigma);
    let r = (k.len() / 2) as i64;
    let n = h.len() as i64;
    (0..n)
        .map(|i| {
            k.iter()
                .enumerate()
                .map(|(j, w)| w * h[reflect(i + j as i64 - r, n)])
                .sum()
        })
        .collect()
}

/// Separable Gaussian smoothing of an `nx × ny` grid stored `h[ix * ny + iy]`.
pub fn smooth_2d(h: &[f64], nx: usize, ny: usize, sigma: f64) -> Vec<f64> {
    if sigma <= 0.0 {
        return h.to_vec();
    }
    let mut out = h.to_vec();
    for ix in 0..nx {
        let row = smooth_1d(&out[ix * ny..(ix + 1) * ny], sigma);
        out[ix * ny..(ix + 1) * ny].copy_from_slice(&row);
    }
    let mut col = vec![0.0; nx];
    for iy in 0..ny {
        for ix in 0..nx {
            col[ix] = out[ix * ny + iy];
        }
        let s = smooth_1d(&col, sigma);
        for ix in 0..nx {
            out[ix * ny + iy] = s[ix];
        }
    }
    out
}

/// Density thresholds enclosing the given probability masses: cells sorted by decreasing value,
/// cumulative sums normalised; the threshold of mass m is the value of the last cell whose
/// cumulative fraction is ≤ m (the largest cell if none). Returned in increasing order
/// (outermost contour first); equal thresholds are separated by lowering one slightly.
pub fn mass_thresholds(h: &[f64], masses: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = h.iter().copied().filter(|v| v.is_finite()).collect();
    if sorted.is_empty() {
        return vec![0.0; masses.len()];
    }
    sorted.sort_by(|a, b| b.total_cmp(a));
    let total: f64 = sorted.iter().sum();
    let mut cum = Vec::with_capacity(sorted.len());
    let mut acc = 0.0;
    for v in &sorted {
        acc += v;
        cum.push(if total > 0.0 { acc / total } else { 1.0 });
    }
    let mut levels: Vec<f64> = masses
        .iter()
        .map(|&m| {
            let k = cum.partition_point(|&c| c <= m);
            if k == 0 {
                sorted[0]
            } else {
                sorted[k - 1]
            }
        })
        .collect();
    levels.sort_by(f64::total_cmp);
    for i in 1..levels.len() {
        if levels[i] <= levels[i - 1] {
            levels[i - 1] = levels[i] * (1.0 - 1e-4);
            // keep the order valid further down
            let mut j = i - 1;
            while j > 0 && levels[j] <= levels[j - 1] {
                levels[j - 1] = levels[j] * (1.0 - 1e-4);
                j -= 1;
            }
        }
    }
    levels
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_of_a_uniform_grid() {
        let v: Vec<f64> = (0..1001).map(|i| i as f64 / 1000.0).collect();
        assert!((weighted_quantile(&v, None, 0.5) - 0.5).abs() < 1e-9);
        assert!((weighted_quantile(&v, None, 0.158655) - 0.158655).abs() < 2e-3);
        // weights: all mass on the upper half
        let w: Vec<f64> = v.iter().map(|&x| if x > 0.5 { 1.0 } else { 0.0 }).collect();
        assert!((weighted_quantile(&v, Some(&w), 0.5) - 0.75).abs() < 2e-3);
    }

    #[test]
    fn smoothing_keeps_mass() {
        let mut h = vec![0.0; 30];
        h[0] = 1.0;
        h[15] = 2.0;
        let s = smooth_1d(&h, 2.0);
        assert!((s.iter().sum::<f64>() - 3.0).abs() < 1e-12);
        assert!(s[15] < 2.0 && s[13] > 0.0);
        let g = smooth_2d(&[0.0, 0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0], 3, 3, 1.0);
        assert!((g.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    }

    #[test]
    fn gaussian_mass_levels() {
        // Gridded unit 2-D Gaussian: the 39.35 % level is the density at r = 1, 86.47 % at r = 2.
        let n = 400;
        let (lo, hi) = (-6.0, 6.0);
        let d = (hi - lo) / n as f64;
        let mut h = vec![0.0; n * n];
        for i in 0..n {
            for j in 0..n {
                let x = lo + (i as f64 + 0.5) * d;
                let y = lo + (j as f64 + 0.5) * d;
                h[i * n + j] = (-0.5 * (x * x + y * y)).exp();
            }
        }
        let lv = mass_thresholds(&h, &CONTOUR_MASSES);
        assert!((lv[1] - (-0.5f64).exp()).abs() < 0.01, "{lv:?}");
        assert!((lv[0] - (-2.0f64).exp()).abs() < 0.01, "{lv:?}");
        // equal thresholds are separated
        let flat = mass_thresholds(&[1.0; 4], &CONTOUR_MASSES);
        assert!(flat[0] < flat[1]);
    }
}
