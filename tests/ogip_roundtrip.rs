//! Writing PHA / RSP files and reading them back; synthetic responses and simulation.

mod common;

use bayspec::data::response::{synthetic, AreaCurve, SyntheticSpec};
use bayspec::data::{
    simulate, BackgroundSpec, DataUnit, DataUnitOptions, GridKind, SimulateOptions,
};
use bayspec::ogip::{
    read_response, read_spectrum, write_pha, write_rsp, FileSpec, PhaWriteOptions, Scale, Spectrum,
    SpectrumRole,
};
use std::path::PathBuf;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_rt_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn spec(p: &std::path::Path) -> FileSpec {
    FileSpec::parse(p.to_str().unwrap()).unwrap()
}

#[test]
fn real_response_round_trips_through_write_rsp() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = tmp("rsp");
    for rel in [
        "grb/me.rsp",
        "chandra/3c273.rmf",
        "rosat/pspcc_gain1_256.rsp",
    ] {
        let r = read_response(&spec(&shared.join("data").join(rel))).unwrap();
        let out = dir.join("x.rsp");
        write_rsp(&out, &r).unwrap();
        let back = read_response(&spec(&out)).unwrap();
        assert_eq!(back.energ_lo, r.energ_lo, "{rel}");
        assert_eq!(back.energ_hi, r.energ_hi, "{rel}");
        assert_eq!(back.e_min, r.e_min, "{rel}");
        assert_eq!(back.e_max, r.e_max, "{rel}");
        assert_eq!(back.first_channel, r.first_channel);
        assert_eq!(back.matrix_extname, "SPECRESP MATRIX");
        for (a, b) in back.drm.iter().zip(&r.drm) {
            // MATRIX is written as 32-bit floats.
            assert!((a - b).abs() <= 1e-6 * b.abs(), "{rel}: {a} vs {b}");
            assert_eq!(*a == 0.0, *b == 0.0);
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn pha_round_trip_keeps_counts_errors_quality_grouping() {
    let dir = tmp("pha");
    let n = 16;
    let counts: Vec<f64> = (0..n).map(|c| (c * 3 % 7) as f64 + 0.5).collect();
    let errors: Vec<f64> = counts.iter().map(|c| c * 0.1 + 1.0).collect();
    let mut s = Spectrum::from_arrays("t", counts.clone(), errors.clone(), 123.25).unwrap();
    s.quality[3] = 1;
    s.quality[4] = 5;
    s.grouping = (0..n).map(|c| if c % 4 == 0 { 1 } else { -1 }).collect();
    s.backscale = Scale::Scalar(0.25);
    s.areascal = Scale::PerChannel((0..n).map(|c| 1.0 + c as f64 * 0.01).collect());
    let p = dir.join("t.pha");
    write_pha(
        &p,
        &s,
        &PhaWriteOptions {
            background: true,
            ..Default::default()
        },
    )
    .unwrap();
    let back = read_spectrum(&spec(&p), SpectrumRole::Background).unwrap();
    assert_eq!(back.counts, counts);
    assert_eq!(back.errors, errors);
    assert_eq!(back.exposure, 123.25);
    assert_eq!(back.quality, s.quality);
    assert_eq!(back.grouping, s.grouping);
    assert_eq!(back.backscale, Scale::Scalar(0.25));
    assert_eq!(back.areascal, s.areascal);
    assert_eq!(back.poisserr, Some(false));

    // Integer counts with sqrt errors are written as Poisson data (no STAT_ERR column).
    let c: Vec<f64> = (0..n).map(|c| c as f64).collect();
    let e: Vec<f64> = c.iter().map(|x| x.sqrt()).collect();
    let s = Spectrum::from_arrays("p", c.clone(), e.clone(), 10.0).unwrap();
    write_pha(&p, &s, &PhaWriteOptions::default()).unwrap();
    let back = read_spectrum(&spec(&p), SpectrumRole::Source).unwrap();
    assert_eq!(back.counts, c);
    assert_eq!(back.errors, e);
    assert!(!back.has_stat_err);
    assert_eq!(back.poisserr, Some(true));
    assert_eq!(back.grouping, vec![1; n]);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn synthetic_nai_response_has_expected_shape_and_area() {
    let spec_nai = SyntheticSpec::gbm_nai();
    let r = synthetic(&spec_nai).unwrap();
    assert_eq!((r.n_energy(), r.n_channels()), (140, 128));
    assert!((r.e_min[0] - 4.0).abs() < 1e-12 && (r.e_max[127] - 2000.0).abs() < 1e-9);
    // Each row sums to the area times the fraction of the Gaussian inside the channel grid:
    // at ~100 keV the resolution is far inside the grid, so the row sum equals the area.
    let i = r.energ_lo.iter().position(|&e| e > 100.0).unwrap();
    let e = (r.energ_lo[i] * r.energ_hi[i]).sqrt();
    let sum: f64 = r.row(i).iter().sum();
    let area = spec_nai.area.at(e);
    assert!((sum - area).abs() < 1e-5 * area, "{sum} vs {area}");
    // The row peaks in the channel containing E.
    let row = r.row(i);
    let peak = (0..128).fold(0, |p, c| if row[c] > row[p] { c } else { p });
    assert!(r.e_min[peak] <= e * 1.05 && e * 0.95 <= r.e_max[peak]);
    // The channel FWHM in channels is positive everywhere (optimal binning works).
    assert!(r.channel_fwhm().iter().all(|&w| w > 0.0));
    assert_eq!(AreaCurve::Constant(3.0).at(17.0), 3.0);
    let bgo = synthetic(&SyntheticSpec::gbm_bgo()).unwrap();
    assert!(bgo.e_min[0] <= 200.0 && bgo.e_max[127] >= 40000.0);
}

#[test]
fn simulated_spectra_read_back_bit_for_bit() {
    let dir = tmp("sim");
    let r = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let rsp_path = dir.join("nai.rsp");
    r.save(&rsp_path).unwrap();
    let back_rsp = read_response(&spec(&rsp_path)).unwrap();
    assert_eq!(back_rsp.energ_lo, r.energ_lo);
    assert_eq!(back_rsp.e_max, r.e_max);
    for (a, b) in back_rsp.drm.iter().zip(&r.drm) {
        assert!((a - b).abs() <= 1e-6 * b.abs());
    }
    // A power law with a cutoff, flux per energy bin from a midpoint rule.
    let flux: Vec<f64> = (0..r.n_energy())
        .map(|i| {
            let (lo, hi) = (r.energ_lo[i], r.energ_hi[i]);
            let e = 0.5 * (lo + hi);
            10.0 * e.powf(-1.5) * (-e / 300.0).exp() * (hi - lo)
        })
        .collect();
    let bkg = BackgroundSpec {
        rate: vec![2.0; r.n_channels()],
        exposure: 100.0,
    };
    let opts = SimulateOptions {
        exposure: 20.0,
        background: Some(bkg),
        seed: 42,
        out: dir.join("grb"),
        respfile: Some("nai.rsp".into()),
    };
    let files = simulate(&flux, &back_rsp, &opts).unwrap();
    let again = simulate(
        &flux,
        &back_rsp,
        &SimulateOptions {
            out: dir.join("grb2"),
            ..opts.clone()
        },
    )
    .unwrap();
    assert_eq!(
        files.src_spectrum.counts, again.src_spectrum.counts,
        "same seed, same counts"
    );
    let other = simulate(
        &flux,
        &back_rsp,
        &SimulateOptions {
            seed: 43,
            out: dir.join("grb3"),
            ..opts.clone()
        },
    )
    .unwrap();
    assert_ne!(files.src_spectrum.counts, other.src_spectrum.counts);

    let u = DataUnit::new(DataUnitOptions {
        src: Some(files.src.display().to_string().into()),
        bkg: Some(files.bkg.as_ref().unwrap().display().to_string().into()),
        rsp: Some(rsp_path.display().to_string().into()),
        notc: Some(vec![[8.0, 900.0]]),
        stat: Some("pgstat".into()),
        ..Default::default()
    })
    .unwrap();
    assert_eq!(
        u.source().counts,
        files.src_spectrum.counts,
        "counts bit for bit"
    );
    assert_eq!(
        u.background().counts,
        files.bkg_spectrum.as_ref().unwrap().counts
    );
    assert_eq!(u.source().exposure, 20.0);
    assert_eq!(u.background().exposure, 100.0);
    assert_eq!(u.source().backfile.as_deref(), Some("grb_bkg.pha"));
    assert_eq!(u.source().respfile.as_deref(), Some("nai.rsp"));
    assert!((u.fit_grid().alpha()[0] - 0.2).abs() < 1e-15);

    // The counts follow the model: total counts within 5 sigma of the expectation.
    let model = u.fold(&flux, GridKind::Fit).unwrap();
    let expected: f64 =
        model.iter().map(|m| m * 20.0).sum::<f64>() + 2.0 * 20.0 * u.n_fit_bins() as f64;
    let got: f64 = u.src_counts().iter().sum();
    assert!(
        (got - expected).abs() < 5.0 * expected.sqrt(),
        "{got} vs {expected}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn spectra_and_responses_print_as_tables() {
    let s = Spectrum::from_arrays("demo.pha", vec![1.0, 2.0, 3.0], vec![1.0; 3], 5.0).unwrap();
    let text = s.to_string();
    assert!(
        text.contains("demo.pha") && text.contains("| 6 ") && text.contains("| 5 "),
        "{text}"
    );
    let r = synthetic(&SyntheticSpec::gbm_bgo()).unwrap();
    let text = r.to_string();
    assert!(
        text.contains("bgo") && text.contains("128") && text.contains("140"),
        "{text}"
    );
    assert!(Spectrum::from_arrays("x", vec![1.0], vec![], 1.0).is_err());
    assert!(Spectrum::from_arrays("x", vec![1.0], vec![1.0], 0.0).is_err());
}
