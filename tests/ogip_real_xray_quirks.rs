//! Quirks of real X-ray spectra, on files written here: zero AREASCAL/BACKSCAL in channels
//! flagged bad (XMM RGS), `POISSERR = T` next to a STAT_ERR column of zeros (XMM SAS), and
//! rate spectra whose RATE × EXPOSURE is an integer up to rounding.

mod common;

use bayspec::fits::{ColumnData, HduBuilder, KeyValue};
use bayspec::ogip::{read_spectrum, FileSpec, Scale, SpectrumRole};
use std::path::{Path, PathBuf};

fn temp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-quirks-{}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d.join(name)
}

/// A Type I spectrum (exposure 1000 s) with the given extra columns and keywords.
fn write(
    path: &Path,
    data: (&str, Vec<f64>),
    columns: Vec<(&str, Vec<f64>)>,
    keys: &[(&str, KeyValue)],
) {
    common::synth::write_type1(path, 1000.0, data, columns, keys);
}

fn read(path: &Path) -> bayspec::Result<bayspec::ogip::Spectrum> {
    read_spectrum(
        &FileSpec::parse(&path.display().to_string()).unwrap(),
        SpectrumRole::Source,
    )
}

#[test]
fn zero_scales_in_bad_channels_are_filled_with_a_good_value() {
    let n = 40;
    let counts: Vec<f64> = (0..n)
        .map(|i| if i < 10 { 0.0 } else { 5.0 + i as f64 })
        .collect();
    let quality: Vec<f64> = (0..n).map(|i| if i < 10 { 1.0 } else { 0.0 }).collect();
    let scale =
        |good: f64| -> Vec<f64> { (0..n).map(|i| if i < 10 { 0.0 } else { good }).collect() };
    let p = temp("rgs.pha");
    write(
        &p,
        ("COUNTS", counts.clone()),
        vec![
            ("QUALITY", quality.clone()),
            ("AREASCAL", scale(0.8)),
            ("BACKSCAL", scale(2.0)),
        ],
        &[],
    );
    let s = read(&p).unwrap();
    // the bad channels' zeros never reach a fit: the good channels' value is the scale
    assert_eq!(s.areascal, Scale::Scalar(0.8));
    assert_eq!(s.backscale, Scale::Scalar(2.0));
    assert!(s.unusable_scale.is_empty());
}

/// Zero scales in good channels are read; they are an error only where a fit uses them, and
/// the error names five channels and how many more.
#[test]
fn zero_scales_in_good_channels_are_an_error_only_when_fitted() {
    use bayspec::data::response::{synthetic, SyntheticSpec};
    use bayspec::data::{DataUnit, DataUnitOptions};
    let rsp = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let n = rsp.e_min.len();
    let rsp_path = temp("zero_scale.rsp");
    rsp.save(&rsp_path).unwrap();
    let p = temp("zero_scale.pha");
    // AREASCAL column 0 in the first 10 channels, keyword BACKSCAL fine
    let areascal: Vec<f64> = (0..n).map(|i| if i < 10 { 0.0 } else { 0.8 }).collect();
    write(
        &p,
        ("COUNTS", (0..n).map(|i| 20.0 + i as f64).collect()),
        vec![("AREASCAL", areascal)],
        &[],
    );
    let s = read(&p).unwrap();
    assert_eq!(s.areascal, Scale::Scalar(0.8));
    let channels: Vec<usize> = s.unusable_scale.iter().map(|f| f.channel).collect();
    assert_eq!(channels, (0..10).collect::<Vec<_>>());
    let unit = |notc: Option<Vec<[f64; 2]>>| {
        DataUnit::new(DataUnitOptions {
            src: Some(p.display().to_string().into()),
            rsp: Some(rsp_path.display().to_string().into()),
            notc,
            ..Default::default()
        })
    };
    let e = unit(None).unwrap_err().to_string();
    assert!(
        e.contains("AREASCAL = 0 in 10 fitted channels 1 (")
            && e.contains("and 5 more")
            && e.contains("notc"),
        "{e}"
    );
    assert!(e.len() < 600, "{} characters: {e}", e.len());
    // a notice range above channel 10 fits the rest
    let lo = rsp.e_max[12];
    let u = unit(Some(vec![[lo, 1000.0]])).unwrap();
    assert!(u.n_fit_bins() > 0);
}

/// A zero BACKSCAL keyword applies to every channel: fine when every channel is bad, else
/// an error when the unit is built.
#[test]
fn zero_scale_keyword_is_an_error_unless_every_channel_is_bad() {
    let n = 8;
    let p = temp("zero_keyword.pha");
    write(
        &p,
        ("COUNTS", vec![3.0; n]),
        vec![("QUALITY", vec![1.0; n])],
        &[("BACKSCAL", KeyValue::from(0.0))],
    );
    assert!(read(&p).unwrap().unusable_scale.is_empty());
    write(
        &p,
        ("COUNTS", vec![3.0; n]),
        vec![],
        &[("BACKSCAL", KeyValue::from(0.0))],
    );
    let s = read(&p).unwrap();
    assert_eq!(s.unusable_scale.len(), n);
    assert!(s
        .unusable_scale
        .iter()
        .all(|f| f.what == "BACKSCAL" && f.value == 0.0));
}

#[test]
fn poisserr_means_poisson_errors_whatever_stat_err_holds() {
    let counts: Vec<f64> = vec![0.0, 4.0, 9.0, 16.0, 25.0];
    let p = temp("sas.pha");
    write(
        &p,
        ("COUNTS", counts.clone()),
        vec![("STAT_ERR", vec![0.0; 5])],
        &[("POISSERR", KeyValue::from(true))],
    );
    let s = read(&p).unwrap();
    assert_eq!(s.errors, vec![0.0, 2.0, 3.0, 4.0, 5.0]);
    assert!(!s.has_stat_err);
    assert!(
        s.warnings.iter().any(|w| w.contains("POISSERR = T")),
        "{:?}",
        s.warnings
    );
    // POISSERR = F keeps the column
    write(
        &p,
        ("COUNTS", counts),
        vec![("STAT_ERR", vec![1.5; 5])],
        &[("POISSERR", KeyValue::from(false))],
    );
    let s = read(&p).unwrap();
    assert_eq!(s.errors, vec![1.5; 5]);
}

#[test]
fn rate_times_exposure_within_1e6_of_an_integer_is_that_integer() {
    // rates stored in single precision, as many pipelines do: 8328 counts in 1000 s
    let rates: Vec<f64> = [8328.0_f64, 17.0, 0.0, 3.0]
        .iter()
        .map(|c| f64::from((c / 1000.0) as f32))
        .collect();
    assert!(
        (rates[0] * 1000.0 - 8328.0).abs() > 1e-9,
        "the rate is not exact"
    );
    let p = temp("rate.pha");
    write(&p, ("RATE", rates.clone()), vec![], &[]);
    let s = read(&p).unwrap();
    assert_eq!(s.counts, vec![8328.0, 17.0, 0.0, 3.0]);
    // a genuinely fractional count stays as it is
    write(&p, ("RATE", vec![0.0123456]), vec![], &[]);
    let s = read(&p).unwrap();
    assert!((s.counts[0] - 12.3456).abs() < 1e-9, "{:?}", s.counts);
}

/// A grating PHA II file (Chandra HETG-like): two rows, HEG −1 and HEG +1, each with its
/// BACKGROUND_UP / BACKGROUND_DOWN columns and BACKSCUP / BACKSCDN.
fn write_pha2(path: &Path, n: usize) {
    let rows = 2;
    let ramp = |k: f64| -> Vec<f64> {
        (0..rows * n)
            .map(|i| ((i % n) as f64 / 10.0).floor() + k)
            .collect()
    };
    let ints = |v: Vec<i32>| ColumnData::I32 {
        repeat: 1,
        values: v,
    };
    let vec_f = |v: Vec<f64>| ColumnData::F64 {
        repeat: n,
        values: v,
    };
    let hdu = HduBuilder::new("SPECTRUM")
        .column("SPEC_NUM", None, ints(vec![1, 2]))
        .unwrap()
        .column("TG_PART", None, ints(vec![1, 1]))
        .unwrap()
        .column("TG_M", None, ints(vec![-1, 1]))
        .unwrap()
        .column(
            "CHANNEL",
            None,
            ColumnData::I32 {
                repeat: n,
                values: (0..rows * n).map(|i| (i % n) as i32 + 1).collect(),
            },
        )
        .unwrap()
        .column("COUNTS", None, vec_f(ramp(20.0)))
        .unwrap()
        .column("BACKGROUND_UP", None, vec_f(ramp(1.0)))
        .unwrap()
        .column("BACKGROUND_DOWN", None, vec_f(ramp(2.0)))
        .unwrap()
        .column(
            "BACKSCUP",
            None,
            ColumnData::F64 {
                repeat: 1,
                values: vec![4.0, 5.0],
            },
        )
        .unwrap()
        .key("HDUCLAS1", "SPECTRUM", "")
        .key("HDUCLAS4", "TYPE:II", "")
        .key("BACKSCDN", 6.0, "")
        .key("BACKSCAL", 1.0, "")
        .key("EXPOSURE", 5000.0, "");
    let bytes = HduBuilder::file_bytes(&[("ORIGIN", KeyValue::from("test"))], &[hdu]).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn grating_rows_are_listed_and_carry_their_up_down_background() {
    use bayspec::data::response::{synthetic, SyntheticSpec};
    use bayspec::data::{DataUnit, DataUnitOptions};
    let rsp = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let n = rsp.e_min.len();
    let rsp_path = temp("grating.rsp");
    rsp.save(&rsp_path).unwrap();
    let p = temp("hetg_pha2.fits");
    write_pha2(&p, n);

    let rows = bayspec::ogip::type2_rows(&p).unwrap();
    assert_eq!(rows.len(), 2);
    assert_eq!(
        (rows[1].row, rows[1].tg_part, rows[1].tg_m),
        (2, Some(1), Some(1))
    );
    assert_eq!(rows[0].spec_num, Some(1));
    assert_eq!(rows[0].exposure, 5000.0);
    let expected: f64 = (0..n).map(|i| (i as f64 / 10.0).floor() + 20.0).sum();
    assert_eq!(rows[0].counts, expected);
    let table = bayspec::ogip::type2_table(&rows);
    assert!(table.contains("1 (HEG)") && table.contains("-1"), "{table}");

    let u = DataUnit::new(DataUnitOptions {
        src: Some(format!("{}{{2}}", p.display()).into()),
        rsp: Some(rsp_path.display().to_string().into()),
        ..Default::default()
    })
    .unwrap();
    assert!(u.has_background());
    let b = u.background();
    assert_eq!(b.counts[15], 2.0 * (15.0_f64 / 10.0).floor() + 3.0);
    // BACKSCUP (column, row 2) + BACKSCDN (keyword)
    assert_eq!(b.backscale, Scale::Scalar(11.0));
    assert!(
        u.notes()[0].contains("BACKGROUND_UP + BACKGROUND_DOWN"),
        "{:?}",
        u.notes()
    );
    // a Type I file has no rows to list
    let t1 = temp("type1.pha");
    write(&t1, ("COUNTS", vec![1.0, 2.0]), vec![], &[]);
    let e = bayspec::ogip::type2_rows(&t1).unwrap_err().to_string();
    assert!(e.contains("Type I"), "{e}");
}

/// POISSERR data fit under chi2 with √N errors; zero-count bins in the fit are named, at most
/// five of them.
#[test]
fn poisserr_data_fit_under_chi2() {
    use bayspec::data::response::{synthetic, SyntheticSpec};
    use bayspec::data::{DataUnit, DataUnitOptions};
    let rsp = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let n = rsp.e_min.len();
    let rsp_path = temp("chi2.rsp");
    rsp.save(&rsp_path).unwrap();
    let p = temp("chi2_sas.pha");
    let unit = |counts: Vec<f64>| {
        write(
            &p,
            ("COUNTS", counts),
            vec![("STAT_ERR", vec![0.0; n])],
            &[("POISSERR", KeyValue::from(true))],
        );
        DataUnit::new(DataUnitOptions {
            src: Some(p.display().to_string().into()),
            rsp: Some(rsp_path.display().to_string().into()),
            stat: Some("chi2".into()),
            ..Default::default()
        })
    };
    let u = unit((0..n).map(|i| 100.0 + i as f64).collect()).unwrap();
    assert_eq!(u.stat().name(), "chi2");
    let e = unit((0..n).map(|i| if i % 2 == 0 { 0.0 } else { 9.0 }).collect())
        .unwrap_err()
        .to_string();
    let more = n / 2 - 5;
    assert!(
        e.contains(&format!("{} bin(s) have none", n / 2))
            && e.contains(&format!("and {more} more")),
        "{e}"
    );
    assert!(e.len() < 600, "{} characters: {e}", e.len());
}
