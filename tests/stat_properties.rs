//! Analytic checks of the statistic kernels: the Poisson relative log-likelihood, minima at
//! the data, the profiled backgrounds against a brute-force maximisation, XSPEC's W-stat
//! special cases, the non-finite guard, names, validation and the aggregation helpers.

use bayspec::stat::{
    check_weight, cstat, dof, loglike_from_stat, npoint, pgstat, poisson_rel_loglike,
    weight_values, weighted_stat, StatInputs, Statistic, STATISTIC_NAMES,
};

/// A small deterministic generator (xorshift) for reproducible random inputs.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn counts(&mut self, max: f64) -> f64 {
        (self.next() * max).floor()
    }
}

/// Maximum of a concave function on [lo, hi] by golden-section search.
fn maximise(f: impl Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> f64 {
    let g = (5f64.sqrt() - 1.0) / 2.0;
    let (mut x1, mut x2) = (hi - g * (hi - lo), lo + g * (hi - lo));
    let (mut f1, mut f2) = (f(x1), f(x2));
    for _ in 0..300 {
        if f1 < f2 {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + g * (hi - lo);
            f2 = f(x2);
        } else {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - g * (hi - lo);
            f1 = f(x1);
        }
    }
    f(lo).max(f(hi)).max(f1).max(f2)
}

#[test]
fn poisson_relative_loglike_special_values_and_bounds() {
    assert_eq!(poisson_rel_loglike(0.0, 2.5), -2.5);
    assert_eq!(poisson_rel_loglike(3.0, 0.0), f64::NEG_INFINITY);
    assert_eq!(poisson_rel_loglike(3.0, 3.0), 0.0);
    for (k, mu) in [
        (f64::NAN, 1.0),
        (1.0, f64::NAN),
        (-1.0, 1.0),
        (1.0, -1e-300),
        (f64::INFINITY, 1.0),
        (1.0, f64::INFINITY),
    ] {
        assert_eq!(poisson_rel_loglike(k, mu), f64::NEG_INFINITY, "({k}, {mu})");
    }
    // Closed form k ln(μ/k) − μ + k where it is well conditioned.
    for (k, mu) in [
        (12.0f64, 4.0f64),
        (5.0, 40.0),
        (1.0, 1e-300),
        (3.0, 1e-320),
        (1e-3, 1e5),
    ] {
        let want = k * (mu.ln() - k.ln()) - mu + k;
        let got = poisson_rel_loglike(k, mu);
        assert!(
            (got - want).abs() <= 1e-13 * want.abs(),
            "({k}, {mu}): {got} vs {want}"
        );
    }
    // Never positive; continuous across the branch switches (|δ| = 1e-4, ratio 2 and ½).
    let mut rng = Rng(7);
    for _ in 0..20_000 {
        let k = 10f64.powf(rng.next() * 12.0 - 4.0);
        let mu = k * 10f64.powf(rng.next() * 8.0 - 4.0);
        assert!(poisson_rel_loglike(k, mu) <= 0.0);
    }
    for k in [0.3, 7.0, 1e6] {
        for ratio in [1.0 + 1e-4, 1.0 - 1e-4, 2.0, 0.5] {
            let mu = k * ratio;
            let below = poisson_rel_loglike(k, mu * (1.0 - 1e-15));
            let above = poisson_rel_loglike(k, mu * (1.0 + 1e-15));
            let at = poisson_rel_loglike(k, mu);
            // Allowed change: the true slope (k/μ − 1) times the step, plus rounding.
            let tol = (k / mu - 1.0).abs() * mu * 3e-15 + 1e-13 * at.abs();
            assert!(
                (below - at).abs() < tol,
                "k={k} ratio={ratio}: {below} vs {at}"
            );
            assert!(
                (above - at).abs() < tol,
                "k={k} ratio={ratio}: {above} vs {at}"
            );
        }
        // Series region: −k δ²/2 to leading order.
        let mu = k * (1.0 + 1e-6);
        let d = (mu - k) / k; // the δ actually represented
        let l = poisson_rel_loglike(k, mu);
        assert!((l + k * d * d / 2.0 * (1.0 - 2.0 * d / 3.0)).abs() < 1e-12 * l.abs());
    }
}

#[test]
fn pstat_is_minimal_and_zero_where_the_model_equals_the_data() {
    let s = [0.0, 1.0, 7.0, 250.0];
    let z = [0.0; 4];
    let ts = [4.0];
    let inp = StatInputs::new(&s, &z, &z, &z, &ts, &ts);
    let best: Vec<f64> = s.iter().map(|&v| v / ts[0]).collect();
    assert_eq!(Statistic::Pstat.eval(&inp, &best), 0.0);
    for i in 0..s.len() {
        for f in [0.9, 0.99, 1.01, 1.1] {
            let mut m = best.clone();
            m[i] = if best[i] == 0.0 {
                0.01 * f
            } else {
                best[i] * f
            };
            assert!(Statistic::Pstat.eval(&inp, &m) > 0.0, "bin {i} factor {f}");
        }
    }
    // C = 2 Σ [t m − S + S ln(S/(t m))] (Cash).
    let m = [0.3, 0.2, 2.0, 60.0];
    let want: f64 = s
        .iter()
        .zip(&m)
        .map(|(&k, &mi)| {
            let mu = ts[0] * mi;
            2.0 * (mu - k + if k > 0.0 { k * (k / mu).ln() } else { 0.0 })
        })
        .sum();
    let got = Statistic::Pstat.eval(&inp, &m);
    assert!((got - want).abs() < 1e-12 * want, "{got} vs {want}");
}

#[test]
fn chi2_matches_the_gaussian_formula() {
    let (s, b, ss, sb) = ([10.0, 3.0], [4.0, 8.0], [3.0, 2.0], [2.0, 2.5]);
    let (ts, tb) = ([2.0], [4.0]);
    let m = [3.0, 0.5];
    let inp = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb);
    let want: f64 = (0..2)
        .map(|i| {
            let d = s[i] - 0.5 * b[i] - 2.0 * m[i];
            d * d / (ss[i] * ss[i] + 0.25 * sb[i] * sb[i])
        })
        .sum();
    assert!((Statistic::Chi2.eval(&inp, &m) - want).abs() < 1e-14 * want);
    // tb = 0: background used unscaled (allowed only for chi2).
    let tb0 = [0.0];
    let inp0 = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb0);
    inp0.validate(Statistic::Chi2).unwrap();
    assert!(inp0.validate(Statistic::Pgstat).is_err());
    let want0: f64 = (0..2)
        .map(|i| {
            let d = s[i] - b[i] - 2.0 * m[i];
            d * d / (ss[i] * ss[i] + sb[i] * sb[i])
        })
        .sum();
    assert!((Statistic::Chi2.eval(&inp0, &m) - want0).abs() < 1e-14 * want0);
}

#[test]
fn profiled_statistics_equal_a_brute_force_profile() {
    let mut rng = Rng(12345);
    for trial in 0..400 {
        let ts = 0.5 + 20.0 * rng.next();
        let tb = 0.5 + 40.0 * rng.next();
        let s = if trial % 5 == 0 {
            0.0
        } else {
            rng.counts(60.0)
        };
        let b = if trial % 7 == 0 {
            0.0
        } else {
            rng.counts(80.0)
        };
        let m = if trial % 11 == 0 {
            0.0
        } else {
            10f64.powf(rng.next() * 4.0 - 3.0)
        };

        // cstat: max over b ≥ 0 of ℓP(S, ts(m+b)) + ℓP(B, tb b).
        let f = |bk: f64| poisson_rel_loglike(s, ts * (m + bk)) + poisson_rel_loglike(b, tb * bk);
        let hi = 10.0 * (s + b + 1.0) / tb.min(ts);
        let want = maximise(f, 0.0, hi);
        let got = cstat::loglike_bin(s, b, ts, tb, m);
        assert!(
            got >= want - 1e-9 * (1.0 + want.abs()) && got <= 1e-300,
            "cstat S={s} B={b} m={m} ts={ts} tb={tb}: {got} vs brute {want}"
        );
        assert!(
            (got - want).abs() < 1e-7 * (1.0 + want.abs()),
            "cstat {got} vs {want}"
        );

        // pgstat: max over b ≥ −m of ℓP(S, ts(m+b)) − ½((B − tb b)/σ)².
        let sigma = (b.max(1.0)).sqrt() * (0.5 + rng.next());
        let g = |bk: f64| {
            let z = (b - tb * bk) / sigma;
            poisson_rel_loglike(s, ts * (m + bk)) - 0.5 * z * z
        };
        let lo = -m;
        let hi = (s + b + 10.0 * sigma + 10.0) / tb.min(ts);
        let want = maximise(g, lo, hi);
        let got = pgstat::loglike_bin(s, b, sigma, ts, tb, m);
        assert!(got <= 0.0);
        assert!(
            (got - want).abs() < 1e-7 * (1.0 + want.abs()),
            "pgstat S={s} B={b} σ={sigma} m={m} ts={ts} tb={tb}: {got} vs brute {want}"
        );
    }
}

#[test]
fn cstat_reproduces_the_xspec_wstat_special_cases() {
    let (ts, tb) = (3.0, 7.0);
    let a = ts + tb;
    // S = 0: c = 2[ts m − B ln(tb/A)].
    for (b, m) in [(4.0, 0.3), (0.0, 1.2), (20.0, 1e-6)] {
        let c = -2.0 * cstat::loglike_bin(0.0, b, ts, tb, m);
        let want = 2.0 * (ts * m - b * (tb / a).ln());
        assert!(
            (c - want).abs() < 1e-12 * want.abs().max(1e-300),
            "S=0 B={b} m={m}"
        );
    }
    // B = 0, m < S/A: c = 2[−tb m − S ln(ts/A)].
    let (s, m) = (9.0, 0.5);
    assert!(m < s / a);
    let c = -2.0 * cstat::loglike_bin(s, 0.0, ts, tb, m);
    let want = 2.0 * (-tb * m - s * (ts / a).ln());
    assert!((c - want).abs() < 1e-12 * want);
    // B = 0, m ≥ S/A: c = 2[ts m + S(ln S − ln(ts m) − 1)].
    let m = 2.0;
    let c = -2.0 * cstat::loglike_bin(s, 0.0, ts, tb, m);
    let want = 2.0 * (ts * m + s * (s.ln() - (ts * m).ln() - 1.0));
    assert!((c - want).abs() < 1e-12 * want);
}

#[test]
fn non_finite_model_makes_every_statistic_infinite() {
    let s = [3.0, 4.0, 1.0];
    let b = [1.0, 1.0, 2.0];
    let e = [1.0, 2.0, 1.0];
    let t = [1.0];
    let inp = StatInputs::new(&s, &b, &e, &e, &t, &t);
    for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
        let m = [1.0, bad, 0.5];
        for stat in Statistic::ALL {
            assert_eq!(stat.eval(&inp, &m), f64::INFINITY, "{stat}");
            let (mut c, mut r) = ([0.0; 3], [0.0; 3]);
            assert_eq!(stat.eval_bins(&inp, &m, &mut c, &mut r), f64::INFINITY);
            let k = stat.n_pointwise(3);
            assert!(
                c[..k].iter().chain(&r[..k]).all(|&v| v == f64::INFINITY),
                "{stat}"
            );
        }
    }
}

#[test]
fn residuals_square_to_the_statistic() {
    let mut rng = Rng(99);
    let n = 64;
    let s: Vec<f64> = (0..n).map(|_| rng.counts(30.0)).collect();
    let b: Vec<f64> = (0..n).map(|_| rng.counts(30.0)).collect();
    let ss: Vec<f64> = s.iter().map(|v| v.sqrt()).collect();
    let sb: Vec<f64> = b.iter().map(|v| v.max(1.0).sqrt()).collect();
    let m: Vec<f64> = (0..n).map(|_| 3.0 * rng.next()).collect();
    let (ts, tb) = ([2.0], [5.0]);
    let inp = StatInputs::new(&s, &b, &ss, &sb, &ts, &tb);
    for stat in [Statistic::Pstat, Statistic::Cstat, Statistic::Pgstat] {
        inp.validate(stat).unwrap();
        let (mut c, mut r) = (vec![0.0; n], vec![0.0; n]);
        let total = stat.eval_bins(&inp, &m, &mut c, &mut r);
        let sum_r2: f64 = r.iter().map(|v| v * v).sum();
        assert!((sum_r2 - total).abs() < 1e-10 * total, "{stat}");
        assert!(
            (stat.eval(&inp, &m) - total).abs() < 1e-12 * total,
            "{stat}"
        );
    }
}

#[test]
fn names_aliases_and_errors() {
    for name in STATISTIC_NAMES {
        let stat = Statistic::from_name(name).unwrap();
        assert_eq!(Statistic::from_name(stat.name()).unwrap(), stat);
        assert_eq!(stat.to_string(), stat.name());
    }
    assert_eq!(Statistic::from_name("gstat").unwrap(), Statistic::Chi2);
    assert_eq!(Statistic::from_name("ppstat").unwrap(), Statistic::Cstat);
    assert_eq!("pgstat".parse::<Statistic>().unwrap(), Statistic::Pgstat);
    let msg = Statistic::from_name("PGSTAT").unwrap_err().to_string();
    assert!(msg.contains("PGSTAT") && msg.contains("pgstat") && msg.contains("ULpgstat"));
}

#[test]
fn validation_names_the_problem() {
    let (s, b, e, t) = ([1.0, 2.0], [0.0, 1.0], [1.0, 1.0], [1.0]);
    let short = [1.0];
    let neg = [-1.0, 2.0];
    let nan = [f64::NAN, 1.0];
    let zero = [0.0];
    let cases: Vec<(StatInputs, Statistic, &str)> = vec![
        (
            StatInputs::new(&s, &short, &e, &e, &t, &t),
            Statistic::Pgstat,
            "b (background counts)",
        ),
        (
            StatInputs::new(&s, &b, &e, &e, &[1.0, 1.0, 1.0], &t),
            Statistic::Pgstat,
            "ts",
        ),
        (
            StatInputs::new(&neg, &b, &e, &e, &t, &t),
            Statistic::Pstat,
            "s[0]",
        ),
        (
            StatInputs::new(&s, &neg, &e, &e, &t, &t),
            Statistic::Cstat,
            "b[0]",
        ),
        (
            StatInputs::new(&s, &b, &e, &neg, &t, &t),
            Statistic::Pgstat,
            "sigma_b[0]",
        ),
        (
            StatInputs::new(&nan, &b, &e, &e, &t, &t),
            Statistic::Chi2,
            "s (source counts)[0]",
        ),
        (
            StatInputs::new(&s, &b, &e, &e, &zero, &t),
            Statistic::Chi2,
            "ts[0]",
        ),
        (
            StatInputs::new(&s, &b, &e, &e, &t, &zero),
            Statistic::Cstat,
            "tb[0]",
        ),
    ];
    for (inp, stat, word) in cases {
        let msg = inp.validate(stat).unwrap_err().to_string();
        assert!(msg.contains(word), "`{msg}` lacks `{word}`");
    }
    // Negative Gaussian background and negative chi2 data are fine.
    StatInputs::new(&s, &neg, &e, &e, &t, &t)
        .validate(Statistic::Pgstat)
        .unwrap();
    StatInputs::new(&neg, &b, &e, &e, &t, &t)
        .validate(Statistic::Chi2)
        .unwrap();
}

#[test]
fn empty_unit_and_aggregation_helpers() {
    let empty: [f64; 0] = [];
    let t = [1.0];
    let inp = StatInputs::new(&empty, &empty, &empty, &empty, &t, &t);
    assert!(inp.is_empty());
    for stat in [Statistic::Chi2, Statistic::Pgstat] {
        let v = stat.eval(&inp, &empty);
        assert_eq!(v, 0.0);
        assert!(v.is_sign_positive());
    }
    assert!(check_weight(0.0).is_err());
    assert!(check_weight(-1.0).is_err());
    assert!(check_weight(f64::NAN).is_err());
    assert_eq!(check_weight(2.5).unwrap(), 2.5);
    assert_eq!(weighted_stat(10.0, 0.5), 5.0);
    let mut r = [2.0, -4.0];
    weight_values(&mut r, 0.25f64.sqrt());
    assert_eq!(r, [1.0, -2.0]);
    assert_eq!(loglike_from_stat(554.744_697_24), -277.372_348_62);
    assert_eq!(npoint(&[119, 117]), 236);
    assert_eq!(dof(236, 3), 233);
    assert_eq!(dof(2, 3), -1);
}
