//! Grouping rules and significance formulas match data_grouping.json (data.md 2.7).

mod common;

use bayspec::data::{DataUnit, DataUnitOptions, GroupingRule};
use bayspec::math::significance::{li_ma, poisson_gaussian};
use bayspec::ogip::{read_spectrum, FileSpec, SpectrumRole};
use common::{close, num};
use serde_json::Value;

fn rule(v: &Value) -> GroupingRule {
    let mut r = GroupingRule::default();
    for (k, x) in v.as_object().unwrap() {
        match x {
            Value::String(s) => r.set_method(s).unwrap(),
            _ => r.set_number(k, num(x)).unwrap(),
        }
    }
    r
}

fn base_options(shared: &std::path::Path, unit: &str) -> DataUnitOptions {
    let d = shared.join("data");
    let p = |rel: &str| d.join(rel).display().to_string();
    match unit {
        "ME" => DataUnitOptions {
            src: Some(p("grb/me.src").into()),
            bkg: Some(p("grb/me.bkg").into()),
            rsp: Some(p("grb/me.rsp").into()),
            notc: Some(vec![[8.0, 900.0]]),
            ..Default::default()
        },
        "HE" => DataUnitOptions {
            src: Some(p("grb/he.src").into()),
            bkg: Some(p("grb/he.bkg").into()),
            rsp: Some(p("grb/he.rsp").into()),
            notc: Some(vec![[300.0, 38000.0]]),
            ..Default::default()
        },
        _ => {
            let mut src = read_spectrum(
                &FileSpec::parse(&p("chandra/3c273.pi")).unwrap(),
                SpectrumRole::Source,
            )
            .unwrap();
            src.grouping = vec![1; src.n_channels()];
            DataUnitOptions {
                src: Some(src.into()),
                bkg: Some(p("chandra/3c273_bg.pi").into()),
                rmf: Some(p("chandra/3c273.rmf").into()),
                arf: Some(p("chandra/3c273.arf").into()),
                notc: Some(vec![[0.5, 7.0]]),
                ..Default::default()
            }
        }
    }
}

#[test]
fn significance_functions_match() {
    let Some(v) = common::vectors("data_grouping.json") else {
        return;
    };
    let sf = &v["significance_functions"];
    for c in sf["pgsig"].as_array().unwrap() {
        let z = poisson_gaussian(num(&c["n"]), num(&c["b"]), num(&c["sigma"]));
        assert!(
            close(z, num(&c["significance"]), 1e-12, 1e-12),
            "pgsig {c}: {z}"
        );
    }
    for c in sf["ppsig_li_ma"].as_array().unwrap() {
        let z = li_ma(num(&c["n"]), num(&c["b"]), num(&c["alpha"]));
        assert!(
            close(z, num(&c["significance"]), 1e-12, 1e-12),
            "li&ma {c}: {z}"
        );
    }
}

#[test]
fn every_grouping_case_matches() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_grouping.json").unwrap();
    let cases = v["cases"].as_array().unwrap();
    let mut units = std::collections::HashMap::new();
    for c in cases {
        let unit = c["unit"].as_str().unwrap();
        let stat = c["stat"].as_str().unwrap();
        let base = units
            .entry(unit.to_string())
            .or_insert_with(|| DataUnit::new(base_options(&shared, unit)).unwrap());
        let mut opts = base.options().clone();
        opts.stat = Some(stat.into());
        opts.grpg = Some(rule(&c["grpg"]));
        let mut u = base.clone();
        u.set_options(opts)
            .unwrap_or_else(|e| panic!("{unit} {stat} {}: {e}", c["grpg"]));
        let what = format!("{unit} {stat} {}", c["grpg"]);
        let g = u.fit_grid();
        let flags: Vec<i64> = c["grouping_flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|x| x.as_i64().unwrap())
            .collect();
        assert_eq!(g.flags(), flags.as_slice(), "{what} flags");
        assert_eq!(
            g.n_bins() as u64,
            c["n_fit_bins"].as_u64().unwrap(),
            "{what}"
        );
        let slices =
            common::index_pairs(&c["channel_slices_start_inclusive_stop_exclusive_0based"]);
        assert_eq!(g.bins(), slices.as_slice(), "{what}");
        for (got, key) in [
            (g.src_counts(), "src_counts"),
            (g.bkg_counts(), "bkg_counts"),
        ] {
            for (k, (a, b)) in got.iter().zip(c[key].as_array().unwrap()).enumerate() {
                assert!(close(*a, num(b), 1e-9, 1e-12), "{what} {key}[{k}]");
            }
        }
    }
}

#[test]
fn tail_merge_does_not_cross_noticed_ranges() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_grouping.json").unwrap();
    let bug = &v["cross_segment_tail_merge_bug"];
    let mut opts = base_options(&shared, "ME");
    opts.notc = Some(vec![[8.0, 20.0], [500.0, 600.0]]);
    opts.rebn = Some(rule(&bug["rebn"]));
    let u = DataUnit::new(opts).unwrap();
    let g = u.display_grid();
    let reference = common::index_pairs(&bug["reference_rebinned_slices"]);
    // Same bins as the reference in the first range, plus the 500–600 keV channels 104..108
    // as one extra (below-threshold) bin instead of vanishing.
    let mut want = reference.clone();
    want.push((104, 109));
    assert_eq!(g.bins(), want.as_slice());
    assert_eq!(g.flags()[104], 1);
    assert!(u
        .warnings()
        .iter()
        .any(|w| w.contains("below the thresholds")));
}
