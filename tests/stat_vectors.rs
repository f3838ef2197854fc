//! Every statistic of `shared/vectors/stats.json` (inference.md §3): totals, per-bin
//! statistics and log-likelihoods, pseudo-residuals, the dropped normalisation, the independent
//! XSPEC per-bin formulas and the 0.3.13 upper-limit variants. Tolerance (from the file):
//! relative 1e-12, absolute 1e-14 near 0.

mod common;

use common::nums;

use bayspec::stat::{loglike_from_stat, StatInputs, Statistic};
use serde_json::Value;

const RTOL: f64 = 1e-12;
const ATOL: f64 = 1e-14;

#[derive(Clone)]
struct Case {
    name: String,
    s: Vec<f64>,
    b: Vec<f64>,
    sigma_s: Vec<f64>,
    sigma_b: Vec<f64>,
    ts: Vec<f64>,
    tb: Vec<f64>,
    m: Vec<f64>,
}

impl Case {
    fn from_json(c: &Value) -> Case {
        let i = &c["inputs"];
        Case {
            name: c["name"].as_str().unwrap().to_string(),
            s: nums(&i["S"]),
            b: nums(&i["B"]),
            sigma_s: nums(&i["sigma_S"]),
            sigma_b: nums(&i["sigma_B"]),
            ts: vec![common::num(&i["ts"])],
            tb: vec![common::num(&i["tb"])],
            m: nums(&i["m"]),
        }
    }

    fn inputs(&self) -> StatInputs<'_> {
        StatInputs::new(
            &self.s,
            &self.b,
            &self.sigma_s,
            &self.sigma_b,
            &self.ts,
            &self.tb,
        )
    }

    /// The same case with ts/tb given per bin.
    fn per_bin(&self) -> Case {
        let n = self.s.len();
        Case {
            ts: vec![self.ts[0]; n],
            tb: vec![self.tb[0]; n],
            ..self.clone()
        }
    }
}

fn check(what: &str, got: f64, want: f64, failures: &mut Vec<String>) {
    if !common::close(got, want, RTOL, ATOL) {
        failures.push(format!("{what}: got {got:e}, want {want:e}"));
    }
}

fn cases() -> Option<Vec<(Case, Value)>> {
    let doc = common::vectors("stats.json")?;
    Some(
        doc["cases"]
            .as_array()
            .expect("cases")
            .iter()
            .map(|c| (Case::from_json(c), c.clone()))
            .collect(),
    )
}

#[test]
fn every_statistic_of_every_case_matches_the_reference() {
    let Some(cases) = cases() else {
        return;
    };
    let mut failures = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    for (case, json) in &cases {
        for variant in [case.per_bin(), case.clone()] {
            let inp = variant.inputs();
            for (stat_name, res) in json["results"].as_object().expect("results") {
                let stat = Statistic::from_name(stat_name).expect("known statistic");
                seen.insert(stat.name());
                inp.validate(stat).expect("valid inputs");
                let tag = format!("{} {stat_name} (ts len {})", case.name, variant.ts.len());
                let n = inp.len();
                let mut c = vec![f64::NAN; n];
                let mut r = vec![f64::NAN; n];
                let total = stat.eval(&inp, &variant.m);
                let total_bins = stat.eval_bins(&inp, &variant.m, &mut c, &mut r);
                check(
                    &format!("{tag} stat"),
                    total,
                    common::num(&res["stat"]),
                    &mut failures,
                );
                check(
                    &format!("{tag} stat (bins)"),
                    total_bins,
                    total,
                    &mut failures,
                );
                check(
                    &format!("{tag} loglike"),
                    loglike_from_stat(total),
                    common::num(&res["loglike"]),
                    &mut failures,
                );
                let want_c = nums(&res["pointwise_stat"]);
                let want_l = nums(&res["pointwise_loglike"]);
                let want_r = nums(&res["residual"]);
                let want_sign = nums(&res["sign"]);
                for i in 0..n {
                    check(&format!("{tag} c[{i}]"), c[i], want_c[i], &mut failures);
                    check(
                        &format!("{tag} l[{i}]"),
                        -0.5 * c[i],
                        want_l[i],
                        &mut failures,
                    );
                    check(&format!("{tag} r[{i}]"), r[i], want_r[i], &mut failures);
                    assert!(c[i] >= 0.0, "{tag}: c[{i}] = {} < 0", c[i]);
                    if r[i] != 0.0 {
                        assert_eq!(r[i].signum(), want_sign[i], "{tag}: sign of bin {i}");
                    }
                }
                let mut off = vec![f64::NAN; n];
                let off_total = stat.normalisation_offsets(&inp, &mut off);
                let want_off = nums(&res["full_normalisation_offset_per_bin"]);
                for i in 0..n {
                    check(
                        &format!("{tag} offset[{i}]"),
                        off[i],
                        want_off[i],
                        &mut failures,
                    );
                }
                check(
                    &format!("{tag} offset total"),
                    off_total,
                    want_off.iter().sum(),
                    &mut failures,
                );
                for key in [
                    "xspec_wstat_per_bin_independent",
                    "xspec_pgstat_per_bin_independent",
                ] {
                    if let Some(xs) = res.get(key).and_then(Value::as_array) {
                        for (i, v) in xs.iter().enumerate() {
                            if !v.is_null() {
                                // An independent formula: agreement to 1e-10 relative.
                                let want = common::num(v);
                                if !common::close(c[i], want, 1e-10, 1e-12) {
                                    failures.push(format!("{tag} {key}[{i}]: {} vs {want}", c[i]));
                                }
                            }
                        }
                    }
                }
            }
        }
    }
    for s in ["chi2", "pstat", "cstat", "pgstat"] {
        assert!(seen.contains(s), "statistic {s} not exercised");
    }
    common::assert_no_mismatches(&failures);
}

#[test]
fn upper_limit_variants_match_the_0_3_13_reference() {
    let Some(cases) = cases() else {
        return;
    };
    let mut checked = 0;
    for (case, json) in &cases {
        let Some(ul) = json.get("upper_limit_variants_0_3_13") else {
            continue;
        };
        for variant in [case.clone(), case.per_bin()] {
            let inp = variant.inputs();
            for (name, res) in ul.as_object().expect("UL results") {
                let stat = Statistic::from_name(name).expect("UL statistic");
                assert!(stat.is_upper_limit());
                assert_eq!(stat.n_pointwise(inp.len()), 1);
                let n = inp.len();
                let (mut c, mut r) = (vec![f64::NAN; n], vec![f64::NAN; n]);
                let total = stat.eval(&inp, &variant.m);
                let total_bins = stat.eval_bins(&inp, &variant.m, &mut c, &mut r);
                let want = common::num(&res["stat"]);
                let want_r = nums(&res["residual"]);
                assert!(
                    common::close(total, want, RTOL, ATOL),
                    "{name}: {total} vs {want}"
                );
                assert_eq!(total_bins, total);
                assert_eq!(c[0], total);
                assert!(
                    common::close(r[0], want_r[0], RTOL, ATOL),
                    "{name}: r {}",
                    r[0]
                );
                assert!(c[1..].iter().chain(&r[1..]).all(|&v| v == 0.0));
                assert!(common::close(
                    loglike_from_stat(total),
                    common::num(&res["loglike"]),
                    RTOL,
                    ATOL
                ));
                // A different target significance shifts the residual by the same amount.
                let t5 = stat.eval_with_ul_sigma(&inp, &variant.m, 5.0);
                let z = common::num(&res["significance"]);
                assert!(common::close(t5, (z - 5.0) * (z - 5.0), RTOL, ATOL));
                checked += 1;
            }
        }
    }
    assert_eq!(
        checked, 4,
        "both UL variants, scalar and per-bin efficiencies"
    );
}
