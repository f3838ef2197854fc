//! Multi-ellipsoidal decomposition of the live points (Feroz, Hobson & Bridges 2009,
//! algorithm 1): recursive 2-means splits accepted when they reduce the bounding volume.

use super::ellipsoid::Ellipsoid;
use crate::error::Result;
use crate::math::log_add_exp;
use rayon::prelude::*;

/// Point sets at least this large are scanned in parallel (the same operations per point, so
/// the result does not depend on the number of threads).
const PARALLEL_POINTS: usize = 2048;

/// A split whose point count × D² is at least this explores its two halves in parallel.
const PARALLEL_WORK: usize = 20_000;

/// Split `idx` in two with Lloyd's k-means (k = 2, Euclidean in the unit cube), initialised
/// deterministically with the point farthest from the centroid and the point farthest from it.
pub fn kmeans2(points: &[f64], idx: &[usize], d: usize) -> (Vec<usize>, Vec<usize>) {
    match d {
        1 => kmeans2_d::<1>(points, idx),
        2 => kmeans2_d::<2>(points, idx),
        3 => kmeans2_d::<3>(points, idx),
        4 => kmeans2_d::<4>(points, idx),
        5 => kmeans2_d::<5>(points, idx),
        6 => kmeans2_d::<6>(points, idx),
        _ => kmeans2_any(points, idx, d),
    }
}

/// [`kmeans2`] for a dimension known at compile time (the same operations, unrolled).
fn kmeans2_d<const D: usize>(points: &[f64], idx: &[usize]) -> (Vec<usize>, Vec<usize>) {
    kmeans2_any(points, idx, D)
}

/// [`kmeans2`] for any dimension (inlined into [`kmeans2_d`] with `d` a constant).
#[inline(always)]
fn kmeans2_any(points: &[f64], idx: &[usize], d: usize) -> (Vec<usize>, Vec<usize>) {
    let n = idx.len();
    let pt = |i: usize| &points[i * d..(i + 1) * d];
    let dist2 = |a: &[f64], b: &[f64]| a.iter().zip(b).map(|(x, y)| (x - y) * (x - y)).sum::<f64>();
    let mut centroid = vec![0.0; d];
    for &i in idx {
        for (c, x) in centroid.iter_mut().zip(pt(i)) {
            *c += x / n as f64;
        }
    }
    let farthest = |from: &[f64]| {
        let mut best = idx[0];
        let mut bd = -1.0;
        for &i in idx {
            let dd = dist2(pt(i), from);
            if dd > bd {
                bd = dd;
                best = i;
            }
        }
        best
    };
    let a = farthest(&centroid);
    let b = farthest(pt(a));
    let mut c1 = pt(a).to_vec();
    let mut c2 = pt(b).to_vec();
    let mut assign = vec![false; n]; // false → cluster 1
    for iter in 0..100 {
        let mut changed = false;
        for (k, &i) in idx.iter().enumerate() {
            let second = dist2(pt(i), &c2) < dist2(pt(i), &c1);
            if second != assign[k] {
                changed = true;
                assign[k] = second;
            }
        }
        if !changed && iter > 0 {
            break;
        }
        let (mut n1, mut n2) = (0.0, 0.0);
        c1.iter_mut().for_each(|v| *v = 0.0);
        c2.iter_mut().for_each(|v| *v = 0.0);
        for (k, &i) in idx.iter().enumerate() {
            let (c, nn) = if assign[k] {
                (&mut c2, &mut n2)
            } else {
                (&mut c1, &mut n1)
            };
            *nn += 1.0;
            for (cv, x) in c.iter_mut().zip(pt(i)) {
                *cv += x;
            }
        }
        if n1 == 0.0 || n2 == 0.0 {
            break;
        }
        c1.iter_mut().for_each(|v| *v /= n1);
        c2.iter_mut().for_each(|v| *v /= n2);
    }
    let mut s1 = Vec::new();
    let mut s2 = Vec::new();
    for (k, &i) in idx.iter().enumerate() {
        if assign[k] {
            s2.push(i)
        } else {
            s1.push(i)
        }
    }
    (s1, s2)
}

/// Decompose the points `idx` into bounding ellipsoids. `ln_x` is ln of the current prior mass
/// X_i and `nlive` the number of live points N: a subset of n points is expected to occupy
/// volume X_i·n/N, and every ellipsoid is enlarged to at least that.
pub fn decompose(
    points: &[f64],
    idx: &[usize],
    d: usize,
    ln_x: f64,
    nlive: usize,
) -> Result<Vec<(Ellipsoid, Vec<usize>)>> {
    let mut out = Vec::new();
    let lvs = expected_ln_volume(ln_x, idx.len(), nlive);
    let whole = fit(points, idx, d, lvs)?;
    split_recursive(points, idx, whole, d, ln_x, nlive, &mut out)?;
    for (e, pts) in &mut out {
        let lv = expected_ln_volume(ln_x, pts.len(), nlive);
        if let Some(m) = fit_mirrored(points, pts, d, e, lv)? {
            *e = m;
        }
    }
    Ok(out)
}

/// At most this many faces of the cube are mirrored across (2^this copies of the points).
const MAX_MIRRORED_FACES: usize = 3;

/// A cluster cut by faces of the cube: when the bounding box of its ellipsoid `e` reaches past
/// the face u_i = 0 or u_i = 1 (one of the two) in some dimensions, the points are likely
/// uniform up to the face (a likelihood contour the prior's edge cuts, like a mode on the
/// edge of the prior), a region an ellipsoid centred inside it bounds badly (its corners at
/// the face stick out). Its ellipsoid is then fitted to the points together with their mirror
/// images across those faces, which centres it on the face; only its part inside the cube is
/// ever sampled. `None` when no face is reached (or too many), or when the mirrored fit would
/// not shrink the part of the cube that is sampled by at least a quarter.
fn fit_mirrored(
    points: &[f64],
    idx: &[usize],
    d: usize,
    e: &Ellipsoid,
    ln_min: f64,
) -> Result<Option<Ellipsoid>> {
    let hw = e.half_widths();
    let n = idx.len() as f64;
    let mut faces = Vec::new();
    for i in 0..d {
        let below = e.center[i] - hw[i] < 0.0;
        let above = e.center[i] + hw[i] > 1.0;
        if below == above {
            continue;
        }
        // the points reach the face: the gap to it is within a few mean spacings
        let (lo, hi) = idx
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &k| {
                let x = points[k * d + i];
                (lo.min(x), hi.max(x))
            });
        let gap = if below { lo } else { 1.0 - hi };
        if gap <= 3.0 * (hi - lo) / n {
            faces.push((i, if below { 0.0 } else { 2.0 }));
        }
    }
    if faces.is_empty() || faces.len() > MAX_MIRRORED_FACES {
        return Ok(None);
    }
    let copies = 1usize << faces.len();
    let mut aug = Vec::with_capacity(idx.len() * copies * d);
    for &i in idx {
        let x = &points[i * d..(i + 1) * d];
        for c in 0..copies {
            let start = aug.len();
            aug.extend_from_slice(x);
            for (b, &(dim, twice_plane)) in faces.iter().enumerate() {
                if c >> b & 1 == 1 {
                    aug[start + dim] = twice_plane - x[dim];
                }
            }
        }
    }
    let aidx: Vec<usize> = (0..idx.len() * copies).collect();
    // the copies of a point are left out together
    let m = Ellipsoid::bounding_cross_validated(&aug, &aidx, d, FOLDS, copies, LN_MAX_GROWTH)?;
    // about 1/2^faces of it lies in the cube, which is all that is sampled: keep it only if
    // that part is at least a quarter smaller than the plain ellipsoid (not for a large
    // cluster merely reaching the face, whose mirror image would double its extent)
    let ln_copies = faces.len() as f64 * std::f64::consts::LN_2;
    let m = m.at_least(ln_min + ln_copies)?;
    if m.ln_volume - ln_copies > e.ln_volume + 0.75_f64.ln() {
        return Ok(None);
    }
    Ok(Some(m))
}

/// Folds of the cross-validated enlargement of every ellipsoid of a decomposition.
pub const FOLDS: usize = 5;

/// ln of the largest volume factor the cross-validation may apply to one ellipsoid (10).
const LN_MAX_GROWTH: f64 = std::f64::consts::LN_10;

/// The cross-validated bounding ellipsoid of `idx` (see
/// [`Ellipsoid::bounding_cross_validated`]), enlarged to at least volume e^`ln_min`.
fn fit(points: &[f64], idx: &[usize], d: usize, ln_min: f64) -> Result<Ellipsoid> {
    Ellipsoid::bounding_cross_validated(points, idx, d, FOLDS, 1, LN_MAX_GROWTH)?.at_least(ln_min)
}

/// The smallest cluster a split may leave in `d` dimensions: D + 2 + ⌊D(D − 1)/4⌋ points (4 in
/// two dimensions, 6 in three, 34 in ten). Small clusters let small modes (a mode at the edge
/// of the prior, a mode that is dying out) have an ellipsoid of their own instead of stretching
/// a neighbour's, but their shapes are noisy: the covariance has D(D + 1)/2 numbers, so the
/// size grows with D², and in ten dimensions a cluster of 12 points leaves gaps in the contour
/// that bias ln Z high. Every leave-one-out fit keeps at least D + 1 points.
pub fn min_cluster_size(d: usize) -> usize {
    d + 2 + d * (d - 1) / 4
}

fn expected_ln_volume(ln_x: f64, n: usize, nlive: usize) -> f64 {
    ln_x + (n as f64).ln() - (nlive as f64).ln()
}

/// Split `idx`, whose bounding ellipsoid (enlarged to its expected volume) is `whole`.
fn split_recursive(
    points: &[f64],
    idx: &[usize],
    whole: Ellipsoid,
    d: usize,
    ln_x: f64,
    nlive: usize,
    out: &mut Vec<(Ellipsoid, Vec<usize>)>,
) -> Result<()> {
    let lvs = expected_ln_volume(ln_x, idx.len(), nlive);
    let min_size = min_cluster_size(d);
    if idx.len() < 2 * min_size {
        out.push((whole, idx.to_vec()));
        return Ok(());
    }
    let (mut s1, mut s2) = kmeans2(points, idx, d);
    if s1.len() < min_size || s2.len() < min_size {
        out.push((whole, idx.to_vec()));
        return Ok(());
    }
    let pt = |i: usize| &points[i * d..(i + 1) * d];
    let mut iterations = 0;
    let mut in_second: Vec<bool> = {
        let mut flags = vec![false; idx.len()];
        let mut k = 0;
        for (f, &i) in flags.iter_mut().zip(idx) {
            // s2 holds its points in idx order
            if k < s2.len() && s2[k] == i {
                *f = true;
                k += 1;
            }
        }
        flags
    };
    loop {
        let lv1 = expected_ln_volume(ln_x, s1.len(), nlive);
        let lv2 = expected_ln_volume(ln_x, s2.len(), nlive);
        let e1 = Ellipsoid::bounding(points, &s1, d)?.at_least(lv1)?;
        let e2 = Ellipsoid::bounding(points, &s2, d)?.at_least(lv2)?;
        iterations += 1;
        if iterations > 50 {
            break;
        }
        // Reassign by h_j(u) = V(E_j) d_j(u) / V(S_j).
        let w1 = (e1.ln_volume - lv1).exp();
        let w2 = (e2.ln_volume - lv2).exp();
        let mut n1 = Vec::with_capacity(idx.len());
        let mut n2 = Vec::with_capacity(idx.len());
        let mut moved = 0usize;
        let side = |i: usize| w2 * e2.mahalanobis2(pt(i)) < w1 * e1.mahalanobis2(pt(i));
        let sides: Vec<bool> = if idx.len() >= PARALLEL_POINTS {
            idx.par_iter().with_min_len(512).map(|&i| side(i)).collect()
        } else {
            idx.iter().map(|&i| side(i)).collect()
        };
        for ((&i, second), now) in idx.iter().zip(in_second.iter_mut()).zip(sides) {
            moved += usize::from(now != *second);
            *second = now;
            if now {
                n2.push(i)
            } else {
                n1.push(i)
            }
        }
        if n1.len() < min_size || n2.len() < min_size {
            out.push((whole, idx.to_vec()));
            return Ok(());
        }
        // Converged when (almost) no point moves: points on the boundary between two
        // overlapping ellipsoids can flip back and forth for many iterations, and every
        // iteration costs O(n).
        if moved * 100 <= idx.len() {
            break;
        }
        s1 = n1;
        s2 = n2;
    }
    // the split is judged (and its halves kept) with the cross-validated ellipsoids: a cheap
    // plain fit of a small cluster looks tight only because it is fitted to its own points
    let e1 = fit(points, &s1, d, expected_ln_volume(ln_x, s1.len(), nlive))?;
    let e2 = fit(points, &s2, d, expected_ln_volume(ln_x, s2.len(), nlive))?;
    let ln_sum = log_add_exp(e1.ln_volume, e2.ln_volume);
    if ln_sum < whole.ln_volume || whole.ln_volume > lvs + std::f64::consts::LN_2 {
        // Explore the split (FHB09's criteria) but keep it only if the full decomposition of
        // the two halves really bounds the points in less volume than the single ellipsoid:
        // noisy covariances in higher dimensions otherwise cascade into many small
        // ellipsoids that leave gaps in the likelihood contour.
        // the two halves are independent: explore them in parallel when large enough to pay
        // for the hand-over (same result either way)
        let (mut parts, mut parts2) = (Vec::new(), Vec::new());
        // e1, e2 are the (cross-validated) bounding ellipsoids of s1, s2: the halves' `whole`
        let first = || split_recursive(points, &s1, e1, d, ln_x, nlive, &mut parts);
        let second = || split_recursive(points, &s2, e2, d, ln_x, nlive, &mut parts2);
        let (r1, r2) = if idx.len() * d * d >= PARALLEL_WORK {
            rayon::join(first, second)
        } else {
            (first(), second())
        };
        r1?;
        r2?;
        parts.append(&mut parts2);
        let ln_parts = parts
            .iter()
            .fold(f64::NEG_INFINITY, |acc, e| log_add_exp(acc, e.0.ln_volume));
        if ln_parts < whole.ln_volume {
            out.extend(parts);
        } else {
            out.push((whole, idx.to_vec()));
        }
    } else {
        out.push((whole, idx.to_vec()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{RngExt, SeedableRng};

    #[test]
    fn two_separated_blobs_give_two_ellipsoids() {
        let d = 2;
        let mut rng = rand::rngs::StdRng::seed_from_u64(9);
        let mut pts = Vec::new();
        for k in 0..400 {
            let cx = if k % 2 == 0 { 0.2 } else { 0.8 };
            pts.push(cx + 0.05 * (rng.random::<f64>() - 0.5));
            pts.push(0.5 + 0.05 * (rng.random::<f64>() - 0.5));
        }
        let idx: Vec<usize> = (0..400).collect();
        // prior mass of the two squares: 2 × 0.05²
        let ells: Vec<Ellipsoid> = decompose(&pts, &idx, d, (2.0 * 0.0025_f64).ln(), 400)
            .unwrap()
            .into_iter()
            .map(|p| p.0)
            .collect();
        assert!(ells.len() >= 2, "got {} ellipsoids", ells.len());
        for i in 0..400 {
            assert!(ells.iter().any(|e| e.contains(&pts[i * d..(i + 1) * d])));
        }
        let total: f64 = ells.iter().map(|e| e.ln_volume.exp()).sum();
        assert!(total < 0.05, "total volume {total}");
    }

    /// A half-disk against the face u₀ = 0 (a mode on the edge of the prior): the ellipsoid is
    /// fitted with the mirror images, centred on the face, and holds the half-disk's corners.
    #[test]
    fn cluster_against_a_face_is_mirrored() {
        let d = 2;
        let mut rng = rand::rngs::StdRng::seed_from_u64(4);
        let mut pts = Vec::new();
        while pts.len() < 2 * 60 {
            let (x, y) = (
                0.1 * rng.random::<f64>(),
                0.5 + 0.2 * (rng.random::<f64>() - 0.5),
            );
            if x * x + (y - 0.5) * (y - 0.5) < 0.01 {
                pts.extend([x, y]);
            }
        }
        let idx: Vec<usize> = (0..60).collect();
        // X = the half-disk's area, π 0.1² / 2
        let ln_x = (std::f64::consts::PI * 0.01 / 2.0).ln();
        let parts = decompose(&pts, &idx, d, ln_x, 60).unwrap();
        assert_eq!(parts.len(), 1);
        let e = &parts[0].0;
        assert!(e.center[0].abs() < 1e-12, "centre {:?}", e.center);
        for corner in [[0.0, 0.4 + 1e-3], [0.0, 0.6 - 1e-3], [0.1 - 1e-3, 0.5]] {
            assert!(e.contains(&corner), "{corner:?} outside {e:?}");
        }
    }
}
