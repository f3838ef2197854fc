//! The chunked evaluation shared by the prepared statistics: a vectorised pass over whole
//! groups of bins fills the common cases, a scalar fallback the rest, and the sum runs in bin
//! order (so a prepared statistic gives the bits of `Statistic::eval`).

/// Bins are evaluated in whole groups of this many (the widest vector, eight f64), so that
/// no bin falls to a scalar remainder loop: per-bin constants are padded to a multiple of it.
pub const LANES: usize = 8;

/// Bins per call of a vectorised pass (its results live on the stack); a multiple of
/// [`LANES`].
pub const CHUNK: usize = 64;

/// C = −2 Σ ℓ_i over the first `n` model rates of `m`, which holds at least `n` rounded up to
/// a multiple of [`LANES`] (the padding's values do not matter); +∞ if one of the `n` rates is
/// not finite.
///
/// `pass(base, m, out)` writes ℓ of bins `base..base + m.len()` (whole groups) into `out`, or
/// NaN where it leaves the bin to `fallback(i, m_i)`; the sum runs in bin order.
///
/// # Panics
/// If `m` is shorter than that (a programming error).
#[inline(always)]
pub fn chunked_stat(
    n: usize,
    m: &[f64],
    mut pass: impl FnMut(usize, &[f64], &mut [f64]),
    mut fallback: impl FnMut(usize, f64) -> f64,
) -> f64 {
    assert!(m.len() >= n.next_multiple_of(LANES), "padded model length");
    // (a count, unlike `all`, vectorises)
    if m[..n].iter().filter(|v| !v.is_finite()).count() != 0 {
        return f64::INFINITY;
    }
    let mut total = 0.0;
    for base in (0..n).step_by(CHUNK) {
        let len = (n - base).min(CHUNK);
        let padded = len.next_multiple_of(LANES);
        let chunk = &m[base..base + padded];
        add_chunk(base, chunk, len, &mut pass, &mut fallback, &mut total);
    }
    -2.0 * total + 0.0
}

/// ℓ_i of the first `n` model rates of `m` (padded as for [`chunked_stat`]) into `out[..n]`:
/// the per-bin values whose sum [`chunked_stat`] forms, computed by the same pass and
/// fallback. Returns false (and leaves `out` unspecified) when a rate is not finite.
#[inline(always)]
pub fn chunked_loglike_bins(
    n: usize,
    m: &[f64],
    out: &mut [f64],
    mut pass: impl FnMut(usize, &[f64], &mut [f64]),
    mut fallback: impl FnMut(usize, f64) -> f64,
) -> bool {
    assert!(m.len() >= n.next_multiple_of(LANES), "padded model length");
    if m[..n].iter().filter(|v| !v.is_finite()).count() != 0 {
        return false;
    }
    let mut fast = [0.0; CHUNK];
    for base in (0..n).step_by(CHUNK) {
        let len = (n - base).min(CHUNK);
        let padded = len.next_multiple_of(LANES);
        let chunk = &m[base..base + padded];
        pass(base, chunk, &mut fast[..padded]);
        for (k, (&l, &mi)) in fast[..len].iter().zip(chunk).enumerate() {
            out[base + k] = if l.is_nan() {
                fallback(base + k, mi)
            } else {
                l
            };
        }
    }
    true
}

/// [`chunked_stat`] for `m` of exactly `n` rates, copied chunk by chunk into a padded buffer.
#[inline(always)]
pub fn chunked_stat_unpadded(
    m: &[f64],
    mut pass: impl FnMut(usize, &[f64], &mut [f64]),
    mut fallback: impl FnMut(usize, f64) -> f64,
) -> f64 {
    if m.iter().filter(|v| !v.is_finite()).count() != 0 {
        return f64::INFINITY;
    }
    let mut total = 0.0;
    let mut padded_m = [0.0; CHUNK];
    for (c, mc) in m.chunks(CHUNK).enumerate() {
        let padded = mc.len().next_multiple_of(LANES);
        padded_m[..mc.len()].copy_from_slice(mc);
        padded_m[mc.len()..padded].fill(0.0);
        let chunk = &padded_m[..padded];
        add_chunk(
            c * CHUNK,
            chunk,
            mc.len(),
            &mut pass,
            &mut fallback,
            &mut total,
        );
    }
    -2.0 * total + 0.0
}

/// Add ℓ of bins `base..base + len` to `total` in bin order; `m` holds their rates and the
/// padding (at most [`CHUNK`] values).
#[inline(always)]
fn add_chunk(
    base: usize,
    m: &[f64],
    len: usize,
    pass: &mut impl FnMut(usize, &[f64], &mut [f64]),
    fallback: &mut impl FnMut(usize, f64) -> f64,
    total: &mut f64,
) {
    let mut fast = [0.0; CHUNK];
    let fast = &mut fast[..m.len()];
    pass(base, m, fast);
    for (k, (&l, &mi)) in fast[..len].iter().zip(m).enumerate() {
        // NaN marks a bin the pass left to the general code
        *total += if l.is_nan() {
            fallback(base + k, mi)
        } else {
            l
        };
    }
}

/// `values` padded with `fill` to a multiple of [`LANES`].
pub fn padded(values: impl IntoIterator<Item = f64>, fill: f64) -> Vec<f64> {
    let mut v: Vec<f64> = values.into_iter().collect();
    v.resize(v.len().next_multiple_of(LANES), fill);
    v
}
