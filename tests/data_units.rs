//! DataUnits built from the shared files match data_grb.json, data_chandra.json and
//! data_typeII.json (data.md 7).

mod common;

use bayspec::data::{Data, DataUnit, DataUnitOptions, GridKind, GroupingRule};
use common::{close, num};
use serde_json::Value;
use std::path::Path;

fn arr(v: &Value) -> Vec<f64> {
    v.as_array().unwrap().iter().map(num).collect()
}

fn assert_all_close(got: &[f64], want: &Value, rtol: f64, what: &str) {
    let want = arr(want);
    assert_eq!(got.len(), want.len(), "{what}: length");
    for (k, (g, w)) in got.iter().zip(&want).enumerate() {
        assert!(close(*g, *w, rtol, 1e-12), "{what}[{k}]: got {g}, want {w}");
    }
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|x| x.as_i64().unwrap())
        .collect()
}

fn rule(v: &Value) -> Option<GroupingRule> {
    let m = v.as_object()?;
    let mut r = GroupingRule::default();
    for (k, x) in m {
        match x {
            Value::String(s) => r.set_method(s).unwrap(),
            _ => r.set_number(k, num(x)).unwrap(),
        }
    }
    Some(r)
}

fn path(shared: &Path, rel: &str) -> String {
    shared
        .join(rel.trim_start_matches("shared/"))
        .display()
        .to_string()
}

fn notc(v: &Value) -> Option<Vec<[f64; 2]>> {
    v.as_array()
        .map(|a| a.iter().map(|p| [num(&p[0]), num(&p[1])]).collect())
}

fn unit_from_inputs(shared: &Path, inputs: &Value) -> DataUnit {
    let file = |k: &str| {
        inputs
            .get(k)
            .and_then(|v| v.as_str())
            .map(|s| path(shared, s))
    };
    DataUnit::new(DataUnitOptions {
        src: file("src").map(Into::into),
        bkg: file("bkg").map(Into::into),
        rsp: file("rsp").map(Into::into),
        rmf: file("rmf").map(Into::into),
        arf: file("arf").map(Into::into),
        notc: notc(&inputs["notc"]),
        stat: inputs["stat"].as_str().map(String::from),
        grpg: rule(&inputs["grpg"]),
        rebn: rule(&inputs["rebn"]),
        ..Default::default()
    })
    .unwrap()
}

/// Compare the blocks shared by data_grb.json and data_chandra.json.
fn check_unit(u: &DataUnit, v: &Value, name: &str) {
    let src = &v["source"];
    assert!(
        close(u.source().exposure, num(&src["exposure_s"]), 1e-12, 0.0),
        "{name}"
    );
    assert!(
        close(u.backscale(), num(&src["backscale"]), 1e-12, 0.0),
        "{name}"
    );
    assert_eq!(
        u.nchannel() as u64,
        src["n_channels_in_file"].as_u64().unwrap()
    );
    let total: f64 = u.source().counts.iter().sum();
    assert!(
        close(total, num(&src["total_counts_all_channels"]), 1e-12, 0.0),
        "{name}"
    );
    assert_eq!(
        u.source().grouping,
        ints(&src["file_grouping_flags"]),
        "{name}"
    );
    let bkg = &v["background"];
    assert!(close(
        u.background().exposure,
        num(&bkg["exposure_s"]),
        1e-12,
        0.0
    ));
    let btotal: f64 = u.background().counts.iter().sum();
    assert!(
        close(btotal, num(&bkg["total_counts_all_channels"]), 1e-9, 0.0),
        "{name}"
    );

    let r = &v["response"];
    let rsp = u.response();
    assert_eq!(rsp.n_energy() as u64, r["n_energy_bins"].as_u64().unwrap());
    let s: f64 = rsp.drm.iter().sum();
    assert!(
        close(s, num(&r["drm_total_sum"]), 1e-9, 0.0),
        "{name} drm sum {s}"
    );
    let ne = rsp.n_energy();
    let rows = [0, ne / 2, ne - 1].map(|i| rsp.row(i).iter().sum::<f64>());
    assert_all_close(
        &rows,
        &r["drm_row_sums_first_middle_last"],
        1e-9,
        "row sums",
    );
    assert_eq!(
        rsp.drm.iter().filter(|&&x| x != 0.0).count() as u64,
        r["drm_nonzero_count"].as_u64().unwrap()
    );

    let n = &v["noticing"];
    let mask: Vec<i64> = u.noticing().iter().map(|&b| b as i64).collect();
    assert_eq!(
        mask,
        ints(&n["noticed_channel_mask_0_or_1"]),
        "{name} noticed"
    );
    let q: Vec<i64> = u.qualifying().iter().map(|&b| b as i64).collect();
    assert_eq!(q, ints(&n["quality_good_mask_0_or_1"]), "{name} quality");

    let e = &v["efficiencies"];
    assert!(close(u.ts()[0], num(&e["ts_src_efficiency_s"]), 1e-12, 0.0));
    assert!(
        close(u.tb()[0], num(&e["tb_bkg_efficiency_s"]), 1e-12, 0.0),
        "{name} tb {}",
        u.tb()[0]
    );
    assert!(close(
        u.fit_grid().alpha()[0],
        num(&e["alpha_ts_over_tb"]),
        1e-12,
        0.0
    ));

    for (kind, key, flags_key) in [
        (GridKind::Fit, "fit_bins", "fit_grouping_flags"),
        (GridKind::Display, "rebinned_bins", "rebinning_flags"),
    ] {
        let f = &v[key];
        let g = u.grid(kind);
        let what = format!("{name} {key}");
        assert_eq!(g.n_bins() as u64, f["n_bins"].as_u64().unwrap(), "{what}");
        assert_eq!(g.flags(), ints(&f[flags_key]).as_slice(), "{what} flags");
        assert_eq!(
            g.bins(),
            common::index_pairs(&f["channel_slices_start_inclusive_stop_exclusive_0based"])
                .as_slice(),
            "{what}"
        );
        assert_all_close(g.emin(), &f["e_lo_keV"], 1e-12, &format!("{what} e_lo"));
        assert_all_close(g.emax(), &f["e_hi_keV"], 1e-12, &format!("{what} e_hi"));
        // The reference computes midpoints and widths in f32 arithmetic.
        assert_all_close(&g.emid(), &f["e_mid_keV"], 1e-6, &format!("{what} e_mid"));
        assert_all_close(
            &g.ewidth(),
            &f["e_width_keV"],
            1e-6,
            &format!("{what} e_width"),
        );
        assert_all_close(
            g.src_counts(),
            &f["src_counts"],
            1e-9,
            &format!("{what} src_counts"),
        );
        assert_all_close(
            g.src_errors(),
            &f["src_errors"],
            1e-9,
            &format!("{what} src_errors"),
        );
        assert_all_close(
            g.bkg_counts(),
            &f["bkg_counts"],
            1e-9,
            &format!("{what} bkg_counts"),
        );
        assert_all_close(
            g.bkg_errors(),
            &f["bkg_errors"],
            1e-9,
            &format!("{what} bkg_errors"),
        );
        let rates = u.rates(kind);
        assert_all_close(
            &rates.net_rate,
            &f["net_ctsrate"],
            1e-9,
            &format!("{what} net rate"),
        );
        assert_all_close(
            &rates.net_rate_error,
            &f["net_ctsrate_error"],
            1e-9,
            &format!("{what} net rate err"),
        );
        assert_all_close(
            &rates.net_ctsspec,
            &f["net_ctsspec_per_keV"],
            1e-9,
            &format!("{what} ctsspec"),
        );
        assert_all_close(
            &rates.net_ctsspec_error,
            &f["net_ctsspec_error_per_keV"],
            1e-9,
            &format!("{what} ctsspec err"),
        );
        if kind == GridKind::Fit {
            assert_all_close(
                &rates.src_rate,
                &f["src_ctsrate"],
                1e-9,
                &format!("{what} src rate"),
            );
            assert_all_close(
                &rates.src_rate_error,
                &f["src_ctsrate_error"],
                1e-9,
                "src rate err",
            );
            assert_all_close(
                &rates.bkg_rate,
                &f["bkg_ctsrate"],
                1e-9,
                &format!("{what} bkg rate"),
            );
            assert_all_close(
                &rates.bkg_rate_error,
                &f["bkg_ctsrate_error"],
                1e-9,
                "bkg rate err",
            );
            let shape = ints(&f["grouped_drm_shape"]);
            assert_eq!(
                (g.n_energy() as i64, g.n_bins() as i64),
                (shape[0], shape[1])
            );
            let nb = g.n_bins();
            let col: Vec<f64> = (0..nb)
                .map(|k| (0..g.n_energy()).map(|i| u.fit_drm()[i * nb + k]).sum())
                .collect();
            assert_all_close(
                &col,
                &f["grouped_drm_column_sums_over_energy"],
                1e-7,
                &format!("{what} drm columns"),
            );
            let ne = g.n_energy();
            let rows =
                [0, ne / 2, ne - 1].map(|i| u.fit_drm()[i * nb..(i + 1) * nb].iter().sum::<f64>());
            assert_all_close(
                &rows,
                &f["grouped_drm_row_sums_first_middle_last"],
                1e-7,
                "drm rows",
            );
        }
    }
}

#[test]
fn quickstart_grb_units_match_data_grb() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_grb.json").unwrap();
    let mut pairs = Vec::new();
    for name in ["ME", "HE"] {
        let uv = &v["units"][name];
        let u = unit_from_inputs(&shared, &uv["inputs"]);
        check_unit(&u, uv, name);
        pairs.push((name.to_string(), u));
    }
    let data = Data::from_pairs(pairs).unwrap();
    let c = &v["data_container"];
    assert_eq!(data.names(), vec!["ME".to_string(), "HE".to_string()]);
    assert_eq!(
        data.npoints().iter().map(|&n| n as i64).collect::<Vec<_>>(),
        ints(&c["npoints_per_unit"])
    );
    // data.json: the reference keys with the reference values, then our extra keys.
    let text = data.to_json_string();
    let parsed: Value = serde_json::from_str(&text).unwrap();
    for (got, want) in parsed
        .as_array()
        .unwrap()
        .iter()
        .zip(c["data_json_as_written_by_Data_save"].as_array().unwrap())
    {
        for (k, w) in want.as_object().unwrap() {
            assert_eq!(&got[k], w, "data.json key {k}");
        }
    }
    assert!(text.starts_with("[\n    {\n        \"Name\": \"ME\",\n        \"Noticing\": [\n            [\n                8,\n                900\n"), "{text}");
    let dir = std::env::temp_dir().join(format!("bayspec_data_save_{}", std::process::id()));
    data.save(&dir).unwrap();
    assert_eq!(
        std::fs::read_to_string(dir.join("data.json")).unwrap(),
        text
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn integration_check_folded_rates_match() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_grb.json").unwrap();
    let ic = &v["integration_check"];
    let p = &ic["model_params"];
    let (alpha, log_ec, log_a) = (num(&p["alpha"]), num(&p["logEc"]), num(&p["logA"]));
    let cpl = |e: f64| 10f64.powf(log_a) * e.powf(alpha) * (-e / 10f64.powf(log_ec)).exp();
    for name in ["ME", "HE"] {
        let u = unit_from_inputs(&shared, &v["units"][name]["inputs"]);
        let eg = u.egrid();
        let flux: Vec<f64> = (0..u.n_energy())
            .map(|i| {
                let pts = &eg[i * 5..i * 5 + 5];
                let h = (u.energ_hi()[i] - u.energ_lo()[i]) / 4.0;
                let f: Vec<f64> = pts.iter().map(|&e| cpl(e)).collect();
                h * (0.5 * f[0] + f[1] + f[2] + f[3] + 0.5 * f[4])
            })
            .collect();
        let iv = &ic["units"][name];
        assert_all_close(
            &flux[..5],
            &iv["photon_flux_per_energy_bin_first5"],
            1e-9,
            "flux",
        );
        let folded = u.fold(&flux, GridKind::Fit).unwrap();
        assert_all_close(
            &folded,
            &iv["folded_ctsrate_per_fit_bin"],
            1e-7,
            &format!("{name} folded"),
        );
        let folded_re = u.fold(&flux, GridKind::Display).unwrap();
        assert_all_close(
            &folded_re,
            &iv["folded_re_ctsrate_per_rebinned_bin"],
            1e-7,
            "folded re",
        );
    }
}

#[test]
fn chandra_units_match_data_chandra() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_chandra.json").unwrap();
    let uv = &v["units"]["3c273_file_grouping"];
    let u = unit_from_inputs(&shared, &uv["inputs"]);
    check_unit(&u, uv, "3c273_file_grouping");
    // Two file groups straddle the notice limits and are dropped, with warnings.
    assert_eq!(
        u.warnings()
            .iter()
            .filter(|w| w.contains("dropped"))
            .count(),
        2
    );

    // Ungrouped: every channel its own bin (source GROUPING replaced by all 1).
    let uv = &v["units"]["3c273_ungrouped"];
    let mut src = bayspec::ogip::read_spectrum(
        &bayspec::ogip::FileSpec::parse(&path(&shared, "shared/data/chandra/3c273.pi")).unwrap(),
        bayspec::ogip::SpectrumRole::Source,
    )
    .unwrap();
    src.grouping = vec![1; src.n_channels()];
    let inputs = &uv["inputs"];
    let u = DataUnit::new(DataUnitOptions {
        src: Some(src.into()),
        bkg: Some(path(&shared, inputs["bkg"].as_str().unwrap()).into()),
        rmf: Some(path(&shared, inputs["rmf"].as_str().unwrap()).into()),
        arf: Some(path(&shared, inputs["arf"].as_str().unwrap()).into()),
        notc: notc(&inputs["notc"]),
        stat: Some("cstat".into()),
        ..Default::default()
    })
    .unwrap();
    let mut uv2 = uv.clone();
    uv2["source"]["file_grouping_flags"] = serde_json::to_value(vec![1; 1024]).unwrap();
    check_unit(&u, &uv2, "3c273_ungrouped");
}

#[test]
fn acis_pha3_with_background_hdu_and_rsp_matrix() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_chandra.json").unwrap();
    let uv = &v["units"]["acisf01575_pha3_independent"];
    let i = &uv["inputs"];
    let pha = path(&shared, i["pha"].as_str().unwrap());
    let base = DataUnitOptions {
        src: Some(pha.clone().into()),
        rmf: Some(path(&shared, i["rmf"].as_str().unwrap()).into()),
        arf: Some(path(&shared, i["arf"].as_str().unwrap()).into()),
        notc: notc(&i["notc"]),
        stat: Some("cstat".into()),
        grpg: Some(GroupingRule {
            max_bin: Some(1.0),
            ..Default::default()
        }),
        ..Default::default()
    };
    // The background HDU chosen explicitly, by class and by number, or given as the same file.
    for bkg in [format!("{pha}[BKG]"), format!("{pha}[4]"), pha.clone()] {
        let u = DataUnit::new(DataUnitOptions {
            bkg: Some(bkg.clone().into()),
            ..base.clone()
        })
        .unwrap_or_else(|e| panic!("{bkg}: {e}"));
        assert_eq!(u.background().hdu, Some(4), "{bkg}");
        let s = &uv["source"];
        assert!(close(
            u.source().exposure,
            num(&s["exposure_s"]),
            1e-12,
            0.0
        ));
        assert!(close(u.backscale(), num(&s["backscale"]), 1e-12, 0.0));
        assert!(close(
            u.background().backscale.scalar().unwrap(),
            num(&uv["background"]["backscale"]),
            1e-12,
            0.0
        ));
        let e = &uv["efficiencies"];
        assert!(close(u.tb()[0], num(&e["tb_bkg_efficiency_s"]), 1e-12, 0.0));
        assert!(close(
            u.fit_grid().alpha()[0],
            num(&e["alpha_ts_over_tb"]),
            1e-12,
            0.0
        ));
        let f = &uv["fit_bins"];
        let g = u.fit_grid();
        assert_eq!(g.n_bins() as u64, f["n_bins"].as_u64().unwrap());
        assert_eq!(
            g.bins()[0].0 as u64,
            f["first_channel_index_0based"].as_u64().unwrap()
        );
        assert_all_close(g.emin(), &f["e_lo_keV"], 1e-12, "e_lo");
        assert_all_close(g.emax(), &f["e_hi_keV"], 1e-12, "e_hi");
        assert_all_close(g.src_counts(), &f["src_counts"], 1e-12, "src");
        assert_all_close(g.bkg_counts(), &f["bkg_counts"], 1e-12, "bkg");
        let nb = g.n_bins();
        let col: Vec<f64> = (0..nb)
            .map(|k| (0..g.n_energy()).map(|r| g.drm()[r * nb + k]).sum())
            .collect();
        assert_all_close(
            &col,
            &f["arf_x_rmf_column_sums_over_energy"],
            1e-7,
            "arf x rmf columns",
        );
        let total: f64 = u.response().drm.iter().sum();
        assert!(close(
            total,
            num(&uv["response"]["arf_x_rmf_total_sum"]),
            1e-9,
            0.0
        ));
    }
    // Without any bkg option, the BKG HDU of the source file is used: its BACKFILE names the
    // source file itself.
    let u = DataUnit::new(base).unwrap();
    assert!(u.has_background());
    assert_eq!(u.background().hdu, Some(4));
    assert!(u.warnings().iter().any(|w| w.contains("HDUCLAS2 = 'BKG'")));
    assert_all_close(
        u.fit_grid().bkg_counts(),
        &uv["fit_bins"]["bkg_counts"],
        1e-12,
        "auto bkg",
    );
}

#[test]
fn type2_rows_match_data_typeii() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_typeII.json").unwrap();
    let d = shared.join("data/grb");
    let opts = DataUnitOptions {
        src: Some(format!("{}{{5}}", d.join("me.src2").display()).into()),
        bkg: Some(format!("{}{{5}}", d.join("me.bkg2").display()).into()),
        rsp: Some(d.join("me.rsp2").display().to_string().into()),
        notc: Some(vec![[15.0, 35.0], [42.0, 100.0]]),
        stat: Some("pgstat".into()),
        grpg: Some(GroupingRule {
            min_sigma: Some(3.0),
            max_bin: Some(10.0),
            ..Default::default()
        }),
        ..Default::default()
    };
    let u = DataUnit::new(opts).unwrap();
    let r4 = &v["row4"];
    assert!(close(
        u.source().exposure,
        num(&r4["src_exposure_s"]),
        1e-12,
        0.0
    ));
    assert!(close(
        u.background().exposure,
        num(&r4["bkg_exposure_s"]),
        1e-12,
        0.0
    ));
    let good: Vec<i64> = (0..u.nchannel())
        .filter(|&c| u.source().quality[c] == 0)
        .map(|c| c as i64)
        .collect();
    assert_eq!(good, ints(&r4["src_quality_good_channel_indices"]));
    assert_eq!(
        u.background().counts.iter().filter(|c| c.is_nan()).count() as u64,
        r4["bkg_nan_channel_count"].as_u64().unwrap()
    );
    let f = &v["fit_bins"];
    let g = u.fit_grid();
    assert_eq!(g.n_bins() as u64, f["n_bins"].as_u64().unwrap());
    assert_eq!(
        g.bins(),
        common::index_pairs(&f["channel_slices_start_inclusive_stop_exclusive_0based"]).as_slice()
    );
    assert_all_close(g.emin(), &f["e_lo_keV"], 1e-12, "e_lo");
    assert_all_close(g.emax(), &f["e_hi_keV"], 1e-12, "e_hi");
    assert_all_close(g.src_counts(), &f["src_counts"], 1e-12, "src");
    assert_all_close(g.bkg_counts(), &f["bkg_counts_correct"], 1e-9, "bkg");
    assert_all_close(g.bkg_errors(), &f["bkg_errors_correct"], 1e-9, "bkg err");
    let sq: Vec<f64> = g.src_counts().iter().map(|c| c.sqrt()).collect();
    assert_all_close(
        g.src_errors(),
        &serde_json::to_value(sq).unwrap(),
        1e-12,
        "sqrt errors",
    );

    // Every row's exposure, selected 1-based.
    let rows = &v["file_rows"]["src"];
    for (k, want) in arr(&rows["EXPOSURE"]).iter().enumerate() {
        let s = bayspec::ogip::read_spectrum(
            &bayspec::ogip::FileSpec::parse(&format!(
                "{}{{{}}}",
                d.join("me.src2").display(),
                k + 1
            ))
            .unwrap(),
            bayspec::ogip::SpectrumRole::Source,
        )
        .unwrap();
        assert!(close(s.exposure, *want, 1e-12, 0.0));
        let total: f64 = s.counts.iter().sum();
        assert!(close(total, num(&rows["COUNTS_row_sums"][k]), 1e-12, 0.0));
        assert_eq!(
            s.time_range,
            Some((num(&rows["TIME"][k]), num(&rows["ENDTIME"][k])))
        );
    }
}
