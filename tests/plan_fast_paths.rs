//! The shortcuts of the compiled likelihood give the numbers of the direct evaluation bit for
//! bit: prepared photon bins (`BinGrid`, shared edges evaluated once) against
//! `integrate_bins`, the blocked banded fold against the dense product, and the prepared
//! `pgstat`, `cstat` and `pstat` against `Statistic::eval`.

use std::sync::Arc;

use bayspec::infer::plan::BlockedResponse;
use bayspec::model::compiled::BinGrid;
use bayspec::model::{Component, Kind, Model, Op, Par, Prior, Workspace};
use bayspec::stat::pgstat::PreparedPgstat;
use bayspec::stat::prepared_poisson::{PreparedCstat, PreparedPstat};
use bayspec::stat::{StatInputs, Statistic};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

fn bits(v: &[f64]) -> Vec<u64> {
    v.iter().map(|x| x.to_bits()).collect()
}

/// Contiguous log-spaced bins (the response case), with `n` bins.
fn contiguous(n: usize, lo: f64, hi: f64) -> (Vec<f64>, Vec<f64>) {
    let e: Vec<f64> = (0..=n)
        .map(|i| lo * (hi / lo).powf(i as f64 / n as f64))
        .collect();
    (e[..n].to_vec(), e[1..].to_vec())
}

/// Integrate through both entry points and require identical bits.
fn same_integral(model: &Model, lo: &[f64], hi: &[f64], t: Option<f64>) -> Vec<f64> {
    let c = model.compile().unwrap();
    let pars = model.par_values();
    let mut want = vec![0.0; lo.len()];
    c.integrate_bins(&pars, lo, hi, t, &mut want, &mut Workspace::new())
        .unwrap();
    let grid = BinGrid::new(lo, hi).unwrap();
    assert_eq!(grid.len(), lo.len());
    let mut got = vec![0.0; lo.len()];
    let mut ws = Workspace::new();
    // twice with one workspace: cached grid data must not go stale
    for _ in 0..2 {
        c.integrate_grid(&pars, &grid, t, &mut got, &mut ws)
            .unwrap();
        assert_eq!(bits(&got), bits(&want), "{}", model.expr());
    }
    want
}

#[test]
fn bin_grid_shares_edges_and_integrates_like_integrate_bins() {
    let (lo, hi) = contiguous(128, 8.0, 1000.0);
    let grid = BinGrid::new(&lo, &hi).unwrap();
    // contiguous bins whose upper edge survives lo + (hi − lo)·1: about 4n + 1 points
    let n = grid.sample_energies().len();
    assert!((4 * 128 + 1..5 * 128).contains(&n), "{n} sample energies");
    let models = [
        Model::builtin("cpl").unwrap(),
        Model::builtin("band").unwrap(),
        Model::builtin("pl").unwrap(),
        Model::combine(
            &Model::builtin("tbabs").unwrap(),
            Op::Mul,
            &Model::builtin("cpl").unwrap(),
        )
        .unwrap(),
        Model::combine(
            &Model::builtin("sbpl").unwrap(),
            Op::Add,
            &Model::builtin("bb").unwrap(),
        )
        .unwrap(),
    ];
    for m in &models {
        let f = same_integral(m, &lo, &hi, None);
        assert!(f.iter().all(|x| x.is_finite() && *x > 0.0), "{}", m.expr());
    }
    // gaps between bins, a bin from 0 keV (clamped sample) and an empty bin
    let lo = [0.0, 1.0, 5.0, 5.5, 7.0];
    let hi = [1.0, 4.0, 5.5, 5.5, 9.0];
    let g = BinGrid::new(&lo, &hi).unwrap();
    assert_eq!(g.sample_energies().len(), 5 + 4 + 5 + 4 + 1 + 5 - 1);
    for m in &models {
        same_integral(m, &lo, &hi, None);
    }
    // a time-dependent model
    let h = Model::builtin("hlecpl").unwrap();
    same_integral(&h, &lo[1..], &hi[1..], Some(20.0));
}

#[test]
fn bin_grid_rejects_bad_edges_and_checks_calls() {
    assert!(BinGrid::new(&[1.0], &[2.0, 3.0]).is_err());
    let err = BinGrid::new(&[1.0, 3.0], &[2.0, 2.5]).unwrap_err();
    assert!(err.to_string().contains("bin 2"), "{err}");
    assert!(BinGrid::new(&[f64::NAN], &[1.0]).is_err());
    let grid = BinGrid::new(&[1.0, 2.0], &[2.0, 3.0]).unwrap();
    let m = Model::builtin("cpl").unwrap();
    let c = m.compile().unwrap();
    let mut ws = Workspace::new();
    let mut out = [0.0; 2];
    assert!(c
        .integrate_grid(&m.par_values(), &grid, None, &mut out[..1], &mut ws)
        .is_err());
    assert!(c
        .integrate_grid(&[1.0], &grid, None, &mut out, &mut ws)
        .is_err());
    let t = Model::builtin("tbabs").unwrap();
    assert!(t
        .compile()
        .unwrap()
        .integrate_grid(&t.par_values(), &grid, None, &mut out, &mut ws)
        .is_err());
}

#[test]
fn user_components_see_five_points_per_bin() {
    // not pointwise on purpose: the value depends on how many energies come at once
    let func: bayspec::model::UserFn = Arc::new(|e: &[f64], _t: Option<&[f64]>, p: &[f64]| {
        let n = e.len() as f64;
        Ok(e.iter().map(|e| 10f64.powf(p[0]) * n / e).collect())
    });
    let params = vec![Par::new("logA", 0.0, Some(Prior::unif(-6.0, 6.0).unwrap()))];
    let u = Component::user("perlen", Kind::Add, params, vec![], func).unwrap();
    let m = Model::from_component(&u);
    let (lo, hi) = contiguous(40, 10.0, 500.0);
    let f = same_integral(&m, &lo, &hi, None);
    // the function saw 5·40 energies: flux = 200·ln(hi/lo) up to the trapezoid error
    let want = 200.0 * (hi[0] / lo[0]).ln();
    assert!((f[0] - want).abs() < 1e-3 * want, "{} vs {want}", f[0]);
}

#[test]
fn blocked_fold_equals_the_dense_product() {
    let mut rng = StdRng::seed_from_u64(7);
    for &(nrow, nbin) in &[(136, 119), (125, 117), (9, 3), (20, 8), (1, 1), (30, 17)] {
        // banded with a Compton-like tail, exact zeros elsewhere, one all-zero column
        let mut drm = vec![0.0; nrow * nbin];
        for r in 0..nrow {
            for k in 0..nbin {
                let diag = r * nbin / nrow;
                if k <= diag + 2 && k + nbin / 3 + 1 >= diag && k != nbin / 2 {
                    drm[r * nbin + k] = rng.random::<f64>() * 100.0;
                }
            }
        }
        let resp = BlockedResponse::new(&drm, nrow, nbin);
        let block = bayspec::infer::plan::BLOCK;
        assert!(resp.stored() <= nrow * nbin.div_ceil(block) * block);
        let flux: Vec<f64> = (0..nrow).map(|_| rng.random::<f64>() * 2.0 - 0.5).collect();
        let mut dense = vec![0.0; nbin];
        for (r, f) in flux.iter().enumerate() {
            for (k, d) in dense.iter_mut().enumerate() {
                *d += f * drm[r * nbin + k];
            }
        }
        let mut got = vec![1.0; nbin];
        resp.fold(&flux, &mut got);
        assert_eq!(bits(&got), bits(&dense), "{nrow}x{nbin}");
        let mut bad = flux.clone();
        bad[nrow / 2] = f64::NAN;
        resp.fold(&bad, &mut got);
        assert!(got.iter().all(|x| x.is_nan()));
    }
}

/// Random `pgstat` inputs covering every branch: S = 0, σ_B = 0, m < 0, μ close to S, far
/// from S, and the common case.
fn pgstat_case(
    rng: &mut StdRng,
    n: usize,
    scalar_eff: bool,
) -> (Vec<[f64; 4]>, Vec<f64>, Vec<f64>) {
    let mut rows = Vec::new();
    for i in 0..n {
        let s = match i % 7 {
            0 => 0.0,
            1 => 1.0,
            2 => 3.0,
            _ => (rng.random::<f64>() * 500.0).round(),
        };
        let b = (rng.random::<f64>() * 300.0).round();
        let sigma_b = if i % 11 == 5 { 0.0 } else { b.sqrt().max(1.0) };
        rows.push([s, b, s.sqrt(), sigma_b]);
    }
    let (ts, tb) = if scalar_eff {
        (vec![2.5], vec![40.0])
    } else {
        (
            (0..n).map(|_| 1.0 + rng.random::<f64>()).collect(),
            (0..n).map(|_| 10.0 + 30.0 * rng.random::<f64>()).collect(),
        )
    };
    (rows, ts, tb)
}

#[test]
fn prepared_pgstat_equals_statistic_eval() {
    let mut rng = StdRng::seed_from_u64(11);
    for case in 0..40 {
        let n = [1, 5, 64, 65, 119, 200][case % 6];
        let (rows, ts, tb) = pgstat_case(&mut rng, n, case % 2 == 0);
        let col = |j: usize| rows.iter().map(|r| r[j]).collect::<Vec<f64>>();
        let (s, b, ss, sb) = (col(0), col(1), col(2), col(3));
        let inp = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb);
        inp.validate(Statistic::Pgstat).unwrap();
        let prepared = PreparedPgstat::new(&inp);
        assert_eq!(prepared.len(), n);
        // (σ_B = 0 with m = 0 and S > 0 gives μ = 0 and C = +∞, a legitimate value)
        let mut finite = 0;
        for trial in 0..10 {
            // model rates around the background-subtracted source rate, with outliers
            let m: Vec<f64> = (0..n)
                .map(|i| {
                    let t = inp.ts_at(i);
                    let net = (s[i] - b[i] * t / inp.tb_at(i)).max(0.0) / t;
                    match (i + trial) % 9 {
                        0 => -0.3 * rng.random::<f64>(),
                        1 => 0.0,
                        2 => 50.0 * (1.0 + net) * rng.random::<f64>(),
                        3 => net * (1.0 + 1e-6 * (rng.random::<f64>() - 0.5)),
                        _ => net * (0.6 + 0.8 * rng.random::<f64>()) + 1e-3,
                    }
                })
                .collect();
            let want = Statistic::Pgstat.eval(&inp, &m);
            let got = prepared.stat(&m);
            assert_eq!(
                got.to_bits(),
                want.to_bits(),
                "case {case} trial {trial}: {got} vs {want}"
            );
            // the padded entry point, whatever the padding holds
            let mut padded = m.clone();
            padded.resize(n.next_multiple_of(8), f64::NAN);
            assert_eq!(prepared.stat_padded(&padded).to_bits(), want.to_bits());
            // per bin: the values the pointwise log-likelihood (WAIC) takes from the fast path
            let (mut c, mut r, mut l) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
            Statistic::Pgstat.eval_bins(&inp, &m, &mut c, &mut r);
            assert!(prepared.loglike_bins_padded(&padded, &mut l));
            for i in 0..n {
                assert_eq!(
                    l[i].to_bits(),
                    (-0.5 * c[i]).to_bits(),
                    "bin {i}: {} vs {}",
                    l[i],
                    c[i]
                );
            }
            finite += usize::from(got.is_finite());
        }
        if n > 1 {
            assert!(finite >= 3, "case {case}: only {finite} finite statistics");
        }
        let mut m = vec![1.0; n];
        m[n - 1] = f64::INFINITY;
        assert_eq!(prepared.stat(&m), f64::INFINITY);
        m[n - 1] = f64::NAN;
        assert_eq!(prepared.stat(&m), Statistic::Pgstat.eval(&inp, &m));
    }
}

/// Random Poisson counts with many zeros and small values (X-ray spectra), efficiencies per
/// bin or scalar, and model rates near, far from and exactly at the data, zero, negative and
/// huge.
#[test]
fn prepared_cstat_and_pstat_equal_statistic_eval() {
    let mut rng = StdRng::seed_from_u64(23);
    for case in 0..40 {
        let n = [1, 7, 64, 65, 119, 300][case % 6];
        let count = |rng: &mut StdRng, i: usize| match i % 5 {
            0 => 0.0,
            1 => 1.0,
            2 => (rng.random::<f64>() * 5.0).round(),
            _ => (rng.random::<f64>() * 400.0).round(),
        };
        let s: Vec<f64> = (0..n).map(|i| count(&mut rng, i)).collect();
        let b: Vec<f64> = (0..n).map(|i| count(&mut rng, i + 2)).collect();
        let zeros = vec![0.0; n];
        let (ts, tb) = if case % 2 == 0 {
            (vec![2.5], vec![40.0])
        } else {
            (
                (0..n).map(|_| 1.0 + rng.random::<f64>()).collect(),
                (0..n).map(|_| 10.0 + 30.0 * rng.random::<f64>()).collect(),
            )
        };
        let inp = StatInputs::new(&s, &b, &zeros, &zeros, &ts, &tb);
        let cstat = PreparedCstat::new(&inp).expect("valid counts");
        let pstat = PreparedPstat::new(&inp).expect("valid counts");
        assert_eq!((cstat.len(), pstat.len()), (n, n));
        for trial in 0..12 {
            let m: Vec<f64> = (0..n)
                .map(|i| {
                    let t = inp.ts_at(i);
                    let net = (s[i] - b[i] * t / inp.tb_at(i)).max(0.0) / t;
                    match (i + trial) % 10 {
                        0 => -0.3 * rng.random::<f64>(),
                        1 => 0.0,
                        2 => 50.0 * (1.0 + net) * rng.random::<f64>(),
                        3 => net * (1.0 + 1e-6 * (rng.random::<f64>() - 0.5)),
                        4 => s[i] / t,
                        5 => 1e-300 * rng.random::<f64>(),
                        6 => 1e12 * rng.random::<f64>(),
                        _ => net * (0.6 + 0.8 * rng.random::<f64>()) + 1e-3,
                    }
                })
                .collect();
            let mut padded = m.clone();
            padded.resize(n.next_multiple_of(8), f64::NAN);
            for (name, want, got, got_padded) in [
                (
                    "cstat",
                    Statistic::Cstat.eval(&inp, &m),
                    cstat.stat(&m),
                    cstat.stat_padded(&padded),
                ),
                (
                    "pstat",
                    Statistic::Pstat.eval(&inp, &m),
                    pstat.stat(&m),
                    pstat.stat_padded(&padded),
                ),
            ] {
                assert_eq!(
                    got.to_bits(),
                    want.to_bits(),
                    "{name} case {case} trial {trial}: {got} vs {want}"
                );
                assert_eq!(got_padded.to_bits(), want.to_bits(), "{name} padded");
            }
            for (name, stat) in [("cstat", Statistic::Cstat), ("pstat", Statistic::Pstat)] {
                let (mut c, mut r, mut l) = (vec![0.0; n], vec![0.0; n], vec![0.0; n]);
                stat.eval_bins(&inp, &m, &mut c, &mut r);
                let ok = if name == "cstat" {
                    cstat.loglike_bins_padded(&padded, &mut l)
                } else {
                    pstat.loglike_bins_padded(&padded, &mut l)
                };
                assert!(ok);
                for i in 0..n {
                    assert_eq!(
                        l[i].to_bits(),
                        (-0.5 * c[i]).to_bits(),
                        "{name} case {case} trial {trial} bin {i}: {} vs {}",
                        l[i],
                        c[i]
                    );
                }
            }
        }
        // a finite, reasonable model gives a finite statistic, and ∞/NaN rates +∞ as eval
        let m: Vec<f64> = (0..n).map(|i| (s[i] + 1.0) / inp.ts_at(i)).collect();
        assert!(cstat.stat(&m).is_finite() && pstat.stat(&m).is_finite());
        let mut bad = m.clone();
        bad[n - 1] = f64::INFINITY;
        assert_eq!(cstat.stat(&bad), f64::INFINITY);
        bad[n - 1] = f64::NAN;
        assert_eq!(pstat.stat(&bad), Statistic::Pstat.eval(&inp, &bad));
    }
    // negative counts are left to the general code
    let neg = StatInputs::new(&[-1.0], &[0.0], &[0.0], &[0.0], &[1.0], &[1.0]);
    assert!(PreparedCstat::new(&neg).is_none() && PreparedPstat::new(&neg).is_none());
}
