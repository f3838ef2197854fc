//! Every response file and ARF in shared/data decodes to the vectors of data_responses.json.

mod common;

use bayspec::ogip::{read_arf, read_response, FileSpec};
use common::{close, num};

fn spec(shared: &std::path::Path, rel: &str) -> FileSpec {
    FileSpec::parse(shared.join("data").join(rel).to_str().unwrap()).unwrap()
}

#[test]
fn every_matrix_matches_the_vectors() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_responses.json").unwrap();
    let files = v["files"].as_object().unwrap();
    let mut checked = 0;
    for (rel, f) in files {
        if f.get("kind").and_then(|k| k.as_str()) == Some("ARF") {
            continue;
        }
        let r = read_response(&spec(&shared, rel)).unwrap_or_else(|e| panic!("{rel}: {e}"));
        let shape = &f["drm_shape_n_energy_bins_x_n_channels"];
        assert_eq!(r.n_energy() as u64, shape[0].as_u64().unwrap(), "{rel}");
        assert_eq!(r.n_channels() as u64, shape[1].as_u64().unwrap(), "{rel}");
        assert_eq!(
            r.matrix_extname,
            f["matrix_extname"].as_str().unwrap(),
            "{rel}"
        );
        assert_eq!(r.tforms.0, f["f_chan_tform"].as_str().unwrap(), "{rel}");
        assert_eq!(r.tforms.1, f["matrix_tform"].as_str().unwrap(), "{rel}");
        assert_eq!(
            r.first_channel,
            f["tlmin_f_chan"].as_i64().unwrap(),
            "{rel}"
        );
        let ne = r.n_energy();
        let nc = r.n_channels();
        for (got, key) in [
            (r.energ_lo[0], "energ_lo_first"),
            (r.energ_hi[0], "energ_hi_first"),
            (r.energ_lo[ne - 1], "energ_lo_last"),
            (r.energ_hi[ne - 1], "energ_hi_last"),
            (r.e_min[0], "ebounds_e_min_first"),
            (r.e_max[0], "ebounds_e_max_first"),
            (r.e_min[nc - 1], "ebounds_e_min_last"),
            (r.e_max[nc - 1], "ebounds_e_max_last"),
        ] {
            assert!(close(got, num(&f[key]), 1e-12, 0.0), "{rel} {key}: {got}");
        }
        let total: f64 = r.drm.iter().sum();
        assert!(
            close(total, num(&f["drm_total_sum"]), 1e-9, 0.0),
            "{rel} total {total}"
        );
        let nnz = r.drm.iter().filter(|&&x| x != 0.0).count();
        assert_eq!(
            nnz as u64,
            f["drm_nonzero_count"].as_u64().unwrap(),
            "{rel}"
        );
        for (row, want) in f["row_sums_at_rows"].as_object().unwrap() {
            let i: usize = row.parse().unwrap();
            let s: f64 = r.row(i).iter().sum();
            assert!(close(s, num(want), 1e-9, 1e-12), "{rel} row {i}: {s}");
        }
        for (ch, want) in f["column_sums_at_channels"].as_object().unwrap() {
            let c: usize = ch.parse().unwrap();
            let s: f64 = (0..ne).map(|i| r.drm[i * nc + c]).sum();
            assert!(close(s, num(want), 1e-9, 1e-12), "{rel} column {c}: {s}");
        }
        let mid = r.row(ne / 2);
        let mut am = 0;
        for (c, &x) in mid.iter().enumerate() {
            if x > mid[am] {
                am = c;
            }
        }
        assert_eq!(
            am as u64,
            f["argmax_channel_of_middle_row"].as_u64().unwrap(),
            "{rel}"
        );
        checked += 1;
    }
    assert_eq!(checked, 8);
}

#[test]
fn arfs_match_the_vectors() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_responses.json").unwrap();
    let mut checked = 0;
    for (rel, f) in v["files"].as_object().unwrap() {
        if f.get("kind").and_then(|k| k.as_str()) != Some("ARF") {
            continue;
        }
        let a = read_arf(&spec(&shared, rel)).unwrap();
        let n = a.specresp.len();
        assert_eq!(n as u64, f["n_energy_bins"].as_u64().unwrap());
        assert!(close(a.energ_lo[0], num(&f["energ_lo_first"]), 1e-12, 0.0));
        assert!(close(
            a.energ_hi[n - 1],
            num(&f["energ_hi_last"]),
            1e-12,
            0.0
        ));
        assert!(close(a.specresp[0], num(&f["specresp_first"]), 1e-12, 0.0));
        assert!(close(
            a.specresp[n - 1],
            num(&f["specresp_last"]),
            1e-12,
            0.0
        ));
        let s: f64 = a.specresp.iter().sum();
        assert!(close(s, num(&f["specresp_sum"]), 1e-9, 0.0), "{rel}: {s}");
        checked += 1;
    }
    assert_eq!(checked, 2);
}

#[test]
fn me_channel_fwhm_matches_the_optimal_binning_vector() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let v = common::vectors("data_grouping.json").unwrap();
    let r = read_response(&spec(&shared, "grb/me.rsp")).unwrap();
    let want: Vec<f64> = v["me_channel_fwhm_in_channels_used_by_optimal"]
        .as_array()
        .unwrap()
        .iter()
        .map(num)
        .collect();
    assert_eq!(r.channel_fwhm(), want);
}

#[test]
fn rsp2_matrix_selection_is_one_based() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let p = shared.join("data/grb/me.rsp2");
    let one = read_response(&FileSpec::parse(&format!("{}{{1}}", p.display())).unwrap()).unwrap();
    let plain = read_response(&FileSpec::parse(p.to_str().unwrap()).unwrap()).unwrap();
    assert_eq!(one.drm, plain.drm);
    let err =
        read_response(&FileSpec::parse(&format!("{}{{2}}", p.display())).unwrap()).unwrap_err();
    assert!(err.message().contains("1 matrix"), "{err}");
}
