//! Importance nested sampling (Feroz, Hobson, Cameron & Pettitt 2019): every evaluated point is
//! an importance-sampling draw from the mixture of the regions it was drawn from.

use super::bound::EllipsoidSet;
use crate::math::log_add_exp;
use rayon::prelude::*;

/// One sampling epoch: the cube (region `None`) or an ellipsoid set used between two rebuilds.
#[derive(Debug, Clone)]
pub struct Epoch {
    /// The region (None = unit cube).
    pub region: Option<EllipsoidSet>,
    /// Number of evaluated points drawn from it.
    pub n_eval: u64,
    /// Raw draws (including those rejected by the cube and the 1/n_e test).
    pub raw: u64,
}

impl Epoch {
    /// ln(n_j / V_j) where V_j is the volume of (region ∩ cube), estimated for ellipsoids as
    /// ΣV_k × n_j / raw_j (so n_j / V_j = raw_j / ΣV_k).
    fn ln_density_weight(&self) -> Option<f64> {
        if self.n_eval == 0 {
            return None;
        }
        Some(match &self.region {
            None => (self.n_eval as f64).ln(),
            Some(set) => (self.raw as f64).ln() - set.ln_total,
        })
    }
}

/// The INS estimate: ln Z_INS and its error, from the evaluated points (`u` flat, row length
/// `d`), their ln L and the epoch each was drawn from.
pub fn ins_evidence(
    epochs: &[Epoch],
    u: &[f64],
    logl: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> InsEvidence {
    let ntot = logl.len();
    if ntot == 0 {
        return InsEvidence {
            ln_z: f64::NAN,
            err: f64::NAN,
            err_draws: f64::NAN,
            err_volumes: f64::NAN,
        };
    }
    let weights: Vec<Option<f64>> = epochs.iter().map(Epoch::ln_density_weight).collect();
    let ln_ntot = (ntot as f64).ln();
    // Sum the mixture in linear scale relative to the largest weight (falling back to log
    // space if every term a point sees underflows).
    let wmax = weights
        .iter()
        .flatten()
        .cloned()
        .fold(f64::NEG_INFINITY, f64::max);
    let linear: Vec<f64> = weights
        .iter()
        .map(|w| w.map_or(0.0, |w| (w - wmax).exp()))
        .collect();
    // Σ_j linear_j · [x_k ∈ region_j] per point, epoch by epoch over chunks of points (the
    // membership test runs over many points at once and vectorises).
    let (g, any) = mixture_sums(epochs, &linear, u, epoch_of, d);
    let ln_omega: Vec<f64> = (0..ntot)
        .into_par_iter()
        .with_min_len(256)
        .map(|k| {
            if logl[k] == f64::NEG_INFINITY {
                return f64::NEG_INFINITY;
            }
            let ln_g = if g[k] > 0.0 {
                wmax + g[k].ln()
            } else if any[k] {
                // every term underflowed: sum in log space
                let x = &u[k * d..(k + 1) * d];
                let own = epoch_of[k] as usize;
                let mut lg = f64::NEG_INFINITY;
                for (j, w) in weights.iter().enumerate() {
                    if let Some(w) = *w {
                        if j == own || in_region(&epochs[j], x) {
                            lg = log_add_exp(lg, w);
                        }
                    }
                }
                lg
            } else {
                return f64::NEG_INFINITY;
            };
            logl[k] - (ln_g - ln_ntot)
        })
        .collect();
    let ln_sum = ln_omega
        .iter()
        .fold(f64::NEG_INFINITY, |a, &w| log_add_exp(a, w));
    if ln_sum == f64::NEG_INFINITY {
        return InsEvidence {
            ln_z: f64::NEG_INFINITY,
            err: f64::NAN,
            err_draws: f64::NAN,
            err_volumes: f64::NAN,
        };
    }
    let ln_z = ln_sum - ln_ntot;
    // weights relative to their sum
    let w: Vec<f64> = ln_omega.iter().map(|&l| (l - ln_sum).exp()).collect();

    // Draws: within an epoch the points are independent draws from its region, and the
    // number drawn from each region is fixed by the run, not random: the variance is that of a
    // stratified sample, Σ_j n_j Var_j(w) / N², not the Var(w) / N of independent draws from
    // the mixture (which counts the differences between the epochs' mean weights, large and
    // irrelevant, and comes out about twice too large). Var_j is estimated from successive
    // differences in drawing order, which are within one epoch but at its ends.
    let mut ssd = 0.0;
    for pair in w.windows(2) {
        ssd += (pair[1] - pair[0]) * (pair[1] - pair[0]);
    }
    let var_draws = if ntot > 1 {
        0.5 * ssd * ntot as f64 / (ntot - 1) as f64
    } else {
        0.0
    };

    // Volumes: n_j / V_j is estimated as raw_j / ΣV_k; the number of raw draws needed for n_j
    // accepted ones is negative-binomial, so ln(raw_j) has variance (1 − p_j) / n_j with
    // p_j = n_j / raw_j. Z depends on ln(n_j / V_j) through the points in the region:
    // ∂ln Z / ∂ln a_j = −r_j, r_j = Σ_{k ∈ region j} w_k a_j / g_k (the share of Z the
    // epoch is responsible for). The errors of the epochs are independent.
    let uncertain: Vec<bool> = epochs
        .iter()
        .map(|e| e.region.is_some() && e.raw > e.n_eval && e.n_eval > 0)
        .collect();
    let mut var_volumes = 0.0;
    if uncertain.iter().any(|&u| u) {
        // w_k / g_k in units of e^{wmax}, the scale of `linear`
        let v: Vec<f64> = (0..ntot)
            .map(|k| if g[k] > 0.0 { w[k] / g[k] } else { 0.0 })
            .collect();
        let sums = epoch_sums(epochs, &uncertain, &v, u, epoch_of, d);
        for (j, e) in epochs.iter().enumerate() {
            if uncertain[j] {
                let r = linear[j] * sums[j];
                let p = e.n_eval as f64 / e.raw as f64;
                var_volumes += r * r * (1.0 - p) / e.n_eval as f64;
            }
        }
    }
    InsEvidence {
        ln_z,
        err: (var_draws + var_volumes).sqrt(),
        err_draws: var_draws.sqrt(),
        err_volumes: var_volumes.sqrt(),
    }
}

/// The importance-nested-sampling evidence and its error (a relative error of Z, the error of
/// ln Z) with its two parts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct InsEvidence {
    /// ln Z_INS.
    pub ln_z: f64,
    /// Its error: the two parts added in quadrature.
    pub err: f64,
    /// The part from the draws (the sampling noise of the importance weights).
    pub err_draws: f64,
    /// The part from the estimated volumes of the regions the draws came from.
    pub err_volumes: f64,
}

/// Points per chunk of the membership sums.
const CHUNK: usize = 256;

/// For every point k: Σ_j `linear[j]` over the epochs j whose region contains it (its own
/// epoch always counts; epochs without draws are skipped), and whether any epoch contains it.
/// Membership is (x − c)ᵀA⁻¹(x − c) ≤ 1 + 1e-10 for some ellipsoid of the set, computed with
/// the operations of [`Ellipsoid::mahalanobis2`] in the same order, so the result is the same
/// as testing point by point; an ellipsoid whose bounding box misses the chunk's bounding box
/// is skipped.
///
/// [`Ellipsoid::mahalanobis2`]: super::ellipsoid::Ellipsoid::mahalanobis2
fn mixture_sums(
    epochs: &[Epoch],
    linear: &[f64],
    u: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> (Vec<f64>, Vec<bool>) {
    match d {
        1 => mixture_sums_d::<1>(epochs, linear, u, epoch_of),
        2 => mixture_sums_d::<2>(epochs, linear, u, epoch_of),
        3 => mixture_sums_d::<3>(epochs, linear, u, epoch_of),
        4 => mixture_sums_d::<4>(epochs, linear, u, epoch_of),
        5 => mixture_sums_d::<5>(epochs, linear, u, epoch_of),
        6 => mixture_sums_d::<6>(epochs, linear, u, epoch_of),
        7 => mixture_sums_d::<7>(epochs, linear, u, epoch_of),
        8 => mixture_sums_d::<8>(epochs, linear, u, epoch_of),
        _ => mixture_sums_any(epochs, linear, u, epoch_of, d),
    }
}

/// [`mixture_sums`] for a dimension known at compile time (the loops over the dimension
/// unroll and the loop over points vectorises).
fn mixture_sums_d<const D: usize>(
    epochs: &[Epoch],
    linear: &[f64],
    u: &[f64],
    epoch_of: &[u32],
) -> (Vec<f64>, Vec<bool>) {
    let ntot = epoch_of.len();
    // Points in Morton (Z-curve) order, so that each chunk is spatially compact and most
    // ellipsoids miss its bounding box; results go back to the original order at the end.
    let order = morton_order(u, D);
    let select = vec![true; epochs.len()];
    let chunks = chunked::<D, _>(
        epochs,
        &select,
        u,
        epoch_of,
        &order,
        |n| (vec![0.0; n], vec![false; n]),
        |(g, any), j, _, hit| {
            let lj = linear[j];
            for (k, &h) in hit.iter().enumerate() {
                g[k] += if h { lj } else { 0.0 };
                any[k] |= h;
            }
        },
    );
    let mut g_out = vec![0.0; ntot];
    let mut any_out = vec![false; ntot];
    for (c, (g, any)) in chunks.into_iter().enumerate() {
        for (pos, &k) in order[c * CHUNK..c * CHUNK + g.len()].iter().enumerate() {
            g_out[k] = g[pos];
            any_out[k] = any[pos];
        }
    }
    (g_out, any_out)
}

/// For every epoch j with `select[j]`: Σ `v[k]` over the points k its region contains (its own
/// points always count), summed chunk by chunk in a fixed order (the same bits for any number
/// of threads); 0 for the other epochs.
fn epoch_sums(
    epochs: &[Epoch],
    select: &[bool],
    v: &[f64],
    u: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> Vec<f64> {
    match d {
        1 => epoch_sums_d::<1>(epochs, select, v, u, epoch_of),
        2 => epoch_sums_d::<2>(epochs, select, v, u, epoch_of),
        3 => epoch_sums_d::<3>(epochs, select, v, u, epoch_of),
        4 => epoch_sums_d::<4>(epochs, select, v, u, epoch_of),
        5 => epoch_sums_d::<5>(epochs, select, v, u, epoch_of),
        6 => epoch_sums_d::<6>(epochs, select, v, u, epoch_of),
        7 => epoch_sums_d::<7>(epochs, select, v, u, epoch_of),
        8 => epoch_sums_d::<8>(epochs, select, v, u, epoch_of),
        _ => epoch_sums_any(epochs, select, v, u, epoch_of, d),
    }
}

/// [`epoch_sums`] for a dimension known at compile time.
fn epoch_sums_d<const D: usize>(
    epochs: &[Epoch],
    select: &[bool],
    v: &[f64],
    u: &[f64],
    epoch_of: &[u32],
) -> Vec<f64> {
    let order = morton_order(u, D);
    let chunks = chunked::<D, _>(
        epochs,
        select,
        u,
        epoch_of,
        &order,
        |_| vec![0.0; epochs.len()],
        |sums, j, ids, hit| {
            for (&h, &id) in hit.iter().zip(ids) {
                sums[j] += if h { v[id] } else { 0.0 };
            }
        },
    );
    let mut out = vec![0.0; epochs.len()];
    for c in &chunks {
        for (o, x) in out.iter_mut().zip(c) {
            *o += x;
        }
    }
    out
}

/// [`epoch_sums`] for any dimension, point by point (chunks of [`CHUNK`] points in their
/// original order, summed in order).
fn epoch_sums_any(
    epochs: &[Epoch],
    select: &[bool],
    v: &[f64],
    u: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> Vec<f64> {
    let ntot = epoch_of.len();
    // per chunk, the sums of every epoch (nchunk × nepoch, row-major)
    let chunks: Vec<f64> = (0..ntot.div_ceil(CHUNK))
        .into_par_iter()
        .flat_map_iter(|c| {
            let mut sums = vec![0.0; epochs.len()];
            for k in c * CHUNK..((c + 1) * CHUNK).min(ntot) {
                let x = &u[k * d..(k + 1) * d];
                let own = epoch_of[k] as usize;
                for (j, ep) in epochs.iter().enumerate() {
                    if ep.n_eval == 0 || !select[j] {
                        continue;
                    }
                    if j == own || in_region(ep, x) {
                        sums[j] += v[k];
                    }
                }
            }
            sums
        })
        .collect();
    let mut out = vec![0.0; epochs.len()];
    for c in chunks.chunks(epochs.len().max(1)) {
        for (o, x) in out.iter_mut().zip(c) {
            *o += x;
        }
    }
    out
}

/// The chunked membership scan: the points in `order` are cut into chunks of [`CHUNK`]; for
/// every chunk (in parallel) an accumulator is made by `init(chunk length)` and, for every
/// epoch j with draws and `select[j]`, `visit(acc, j, ids, hit)` is called with the chunk's
/// point indices and whether each lies in the epoch's region (or was drawn in it).
/// Membership is (x − c)ᵀA⁻¹(x − c) ≤ 1 + 1e-10 for some ellipsoid of the set, computed with
/// the operations of [`Ellipsoid::mahalanobis2`] in the same order; an ellipsoid whose bounding
/// box misses the chunk's bounding box is skipped. Returns the accumulators in chunk order.
///
/// [`Ellipsoid::mahalanobis2`]: super::ellipsoid::Ellipsoid::mahalanobis2
fn chunked<const D: usize, A: Send>(
    epochs: &[Epoch],
    select: &[bool],
    u: &[f64],
    epoch_of: &[u32],
    order: &[usize],
    init: impl Fn(usize) -> A + Sync,
    visit: impl Fn(&mut A, usize, &[usize], &[bool]) + Sync,
) -> Vec<A> {
    order
        .par_chunks(CHUNK)
        .map(|ids| {
            let n = ids.len();
            let mut acc = init(n);
            // coordinates by dimension (structure of arrays), so the loop over points vectorises
            let mut xs = vec![0.0; D * n];
            for (k, &id) in ids.iter().enumerate() {
                for i in 0..D {
                    xs[i * n + k] = u[id * D + i];
                }
            }
            let (lo, hi) = chunk_box::<D>(&xs, n);
            let mut hit = vec![false; n];
            for (j, ep) in epochs.iter().enumerate() {
                if ep.n_eval == 0 || !select[j] {
                    continue;
                }
                match &ep.region {
                    None => hit.iter_mut().for_each(|h| *h = true),
                    Some(set) => {
                        hit.iter_mut().for_each(|h| *h = false);
                        for e in &set.ells {
                            if !box_meets(e, &lo, &hi) {
                                continue;
                            }
                            let mut center = [0.0; D];
                            center.copy_from_slice(&e.center);
                            let inv = e.inverse_shape();
                            let mut a = [[0.0; D]; D];
                            for r in 0..D {
                                a[r].copy_from_slice(&inv[r * D..(r + 1) * D]);
                            }
                            hits(&xs, &center, &a, &mut hit);
                        }
                        for (h, &id) in hit.iter_mut().zip(ids) {
                            *h |= epoch_of[id] as usize == j;
                        }
                    }
                }
                visit(&mut acc, j, ids, &hit);
            }
            acc
        })
        .collect()
}

/// Indices of the points (`u` flat, row length `d`, coordinates in [0, 1]) sorted by their
/// Morton code: ⌊63/d⌋ bits per coordinate, interleaved.
fn morton_order(u: &[f64], d: usize) -> Vec<usize> {
    let n = u.len() / d;
    let bits = (63 / d).min(21) as u32;
    let scale = ((1u64 << bits) - 1) as f64;
    let mut keyed: Vec<(u64, usize)> = (0..n)
        .map(|k| {
            let mut key = 0u64;
            let q: Vec<u64> = u[k * d..(k + 1) * d]
                .iter()
                .map(|&x| (x.clamp(0.0, 1.0) * scale) as u64)
                .collect();
            for b in (0..bits).rev() {
                for qi in &q {
                    key = (key << 1) | ((qi >> b) & 1);
                }
            }
            (key, k)
        })
        .collect();
    keyed.sort_unstable();
    keyed.into_iter().map(|(_, k)| k).collect()
}

/// Per-dimension bounds of a chunk of `n` points stored by dimension.
fn chunk_box<const D: usize>(xs: &[f64], n: usize) -> ([f64; D], [f64; D]) {
    let mut lo = [f64::INFINITY; D];
    let mut hi = [f64::NEG_INFINITY; D];
    for i in 0..D {
        for &x in &xs[i * n..(i + 1) * n] {
            lo[i] = lo[i].min(x);
            hi[i] = hi[i].max(x);
        }
    }
    (lo, hi)
}

/// Marks in `hit` the points (stored by dimension in `xs`) with (x − c)ᵀA⁻¹(x − c) ≤ 1 + 1e-10,
/// `a` = A⁻¹, by the operations of [`Ellipsoid::mahalanobis2`] in the same order.
///
/// [`Ellipsoid::mahalanobis2`]: super::ellipsoid::Ellipsoid::mahalanobis2
#[inline(always)]
fn hits_loop<const D: usize>(xs: &[f64], center: &[f64; D], a: &[[f64; D]; D], hit: &mut [bool]) {
    let n = hit.len();
    for (k, h) in hit.iter_mut().enumerate() {
        let mut dx = [0.0; D];
        for i in 0..D {
            dx[i] = xs[i * n + k] - center[i];
        }
        let mut q = 0.0;
        for r in 0..D {
            let mut s = 0.0;
            for col in 0..r {
                s += a[r][col] * dx[col];
            }
            q += dx[r] * (2.0 * s + a[r][r] * dx[r]);
        }
        *h |= q <= 1.0 + 1e-10;
    }
}

simd_dispatch! { "avx2";
    /// [`hits_loop`] with the widest vectors the CPU has (the same operations on every path).
    fn hits[const D: usize](xs: &[f64], center: &[f64; D], a: &[[f64; D]; D], hit: &mut [bool])
        => hits_loop
}

/// Whether the ellipsoid's bounding box (half-widths √A_ii, widened by 1e-6 relative so that
/// the 1e-10 tolerance of the membership test is covered) meets the box `[lo, hi]`.
fn box_meets(e: &super::ellipsoid::Ellipsoid, lo: &[f64], hi: &[f64]) -> bool {
    let hw = e.half_widths();
    (0..lo.len()).all(|i| {
        let w = hw[i] * (1.0 + 1e-6);
        e.center[i] + w >= lo[i] && e.center[i] - w <= hi[i]
    })
}

/// Whether `x` lies in the region of epoch `ep`: the whole cube, or some ellipsoid of its set
/// ((x − c)ᵀA⁻¹(x − c) ≤ 1 + 1e-10, the test [`mixture_sums`] vectorises).
fn in_region(ep: &Epoch, x: &[f64]) -> bool {
    match &ep.region {
        None => true,
        Some(set) => set.ells.iter().any(|e| e.mahalanobis2(x) <= 1.0 + 1e-10),
    }
}

/// [`mixture_sums`] for any dimension, point by point.
fn mixture_sums_any(
    epochs: &[Epoch],
    linear: &[f64],
    u: &[f64],
    epoch_of: &[u32],
    d: usize,
) -> (Vec<f64>, Vec<bool>) {
    let ntot = epoch_of.len();
    let per_point: Vec<(f64, bool)> = (0..ntot)
        .into_par_iter()
        .with_min_len(64)
        .map(|k| {
            let x = &u[k * d..(k + 1) * d];
            let own = epoch_of[k] as usize;
            let (mut g, mut any) = (0.0, false);
            for (j, ep) in epochs.iter().enumerate() {
                if ep.n_eval == 0 {
                    continue;
                }
                let h = j == own || in_region(ep, x);
                g += if h { linear[j] } else { 0.0 };
                any |= h;
            }
            (g, any)
        })
        .collect();
    per_point.into_iter().unzip()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sample::nested::ellipsoid::Ellipsoid;
    use rand::{RngExt, SeedableRng};

    /// The chunked, Morton-ordered, box-filtered sums equal the point-by-point ones exactly.
    #[test]
    fn chunked_membership_sums_equal_the_point_by_point_ones() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(3);
        for d in [2usize, 3, 5] {
            let mut epochs = vec![Epoch {
                region: None,
                n_eval: 100,
                raw: 100,
            }];
            for j in 0..40 {
                let mut ells = Vec::new();
                for _ in 0..(1 + j % 5) {
                    let center: Vec<f64> = (0..d).map(|_| rng.random::<f64>()).collect();
                    let scale = 0.3 / (1.0 + j as f64 / 4.0);
                    let mut shape = vec![0.0; d * d];
                    for i in 0..d {
                        shape[i * d + i] = scale * scale * (0.5 + rng.random::<f64>());
                    }
                    shape[1] = 0.3 * shape[0].min(shape[d + 1]);
                    shape[d] = shape[1];
                    ells.push(Ellipsoid::from_shape(center, shape).unwrap());
                }
                epochs.push(Epoch {
                    region: Some(EllipsoidSet::new(ells).unwrap()),
                    n_eval: if j % 7 == 3 { 0 } else { 50 },
                    raw: 80,
                });
            }
            let n = 3000;
            let u: Vec<f64> = (0..n * d).map(|_| rng.random::<f64>()).collect();
            let epoch_of: Vec<u32> = (0..n).map(|k| (k * epochs.len() / n) as u32).collect();
            let linear: Vec<f64> = (0..epochs.len()).map(|j| 1.0 / (1.0 + j as f64)).collect();
            let fast = mixture_sums(&epochs, &linear, &u, &epoch_of, d);
            let slow = mixture_sums_any(&epochs, &linear, &u, &epoch_of, d);
            assert_eq!(fast.1, slow.1, "d = {d}");
            for (a, b) in fast.0.iter().zip(&slow.0) {
                assert_eq!(a.to_bits(), b.to_bits(), "d = {d}");
            }
            // and membership really varies between points
            assert!(fast.0.iter().any(|&g| g > 1.5) && fast.0.iter().any(|&g| g < 1.1));

            // the per-epoch sums (summed in another order: equal to rounding)
            let v: Vec<f64> = (0..n).map(|_| rng.random::<f64>()).collect();
            let select: Vec<bool> = (0..epochs.len()).map(|j| j % 3 != 1).collect();
            let fast = epoch_sums(&epochs, &select, &v, &u, &epoch_of, d);
            let slow = epoch_sums_any(&epochs, &select, &v, &u, &epoch_of, d);
            for (j, (a, b)) in fast.iter().zip(&slow).enumerate() {
                assert!(
                    (a - b).abs() <= 1e-12 * b.abs(),
                    "d = {d}, epoch {j}: {a} vs {b}"
                );
                if !select[j] || epochs[j].n_eval == 0 {
                    assert_eq!(*a, 0.0);
                }
            }
            assert!(fast.iter().filter(|&&x| x > 0.0).count() > epochs.len() / 2);
        }
    }

    /// One region drawn with fixed counts: the error of the weights is that of a stratified
    /// sample, and a region whose volume was estimated from rejected draws adds its part.
    #[test]
    fn ins_error_has_a_draws_and_a_volumes_part() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(5);
        let d = 2;
        // cube epoch with 2000 draws, then a disk of radius 0.2 at the centre with 2000
        let disk = Ellipsoid::from_shape(vec![0.5, 0.5], vec![0.04, 0.0, 0.0, 0.04]).unwrap();
        let mut u = Vec::new();
        for _ in 0..2000 {
            u.extend([rng.random::<f64>(), rng.random::<f64>()]);
        }
        let mut x = vec![0.0; 2];
        for _ in 0..2000 {
            disk.sample(&mut rng, &mut x);
            u.extend_from_slice(&x);
        }
        let epoch_of: Vec<u32> = (0..4000).map(|k| u32::from(k >= 2000)).collect();
        // L = 1 inside a radius 0.1: Z = π/100
        let logl: Vec<f64> = u
            .chunks(2)
            .map(|p| {
                let r2 = (p[0] - 0.5).powi(2) + (p[1] - 0.5).powi(2);
                if r2 < 0.01 {
                    0.0
                } else {
                    -50.0
                }
            })
            .collect();
        let exact = |raw: u64| {
            let epochs = vec![
                Epoch {
                    region: None,
                    n_eval: 2000,
                    raw: 2000,
                },
                Epoch {
                    region: Some(EllipsoidSet::new(vec![disk.clone()]).unwrap()),
                    n_eval: 2000,
                    raw,
                },
            ];
            ins_evidence(&epochs, &u, &logl, &epoch_of, d)
        };
        let known = exact(2000);
        let z = (std::f64::consts::PI / 100.0).ln();
        assert!((known.ln_z - z).abs() < 4.0 * known.err, "{known:?} vs {z}");
        assert_eq!(known.err_volumes, 0.0);
        assert!(
            known.err_draws > 0.005 && known.err_draws < 0.05,
            "{known:?}"
        );
        // the same draws with half of the raw draws rejected: a volumes part appears
        let estimated = exact(4000);
        assert!(estimated.err_volumes > 0.005, "{estimated:?}");
        assert!(estimated.err > known.err);
    }
}
