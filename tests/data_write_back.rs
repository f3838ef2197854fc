//! Files the data layer writes or now understands: `dataunit.json`, grouping written back into
//! a copy of the source file, partial spectra, a PHA file's own EBOUNDS, RSP2 matrices chosen
//! by time, and one `rf` shared through one Response object (data.md 1.2, 1.6, 1.7, 2.9, 4).

mod common;

use bayspec::data::response::{synthetic, SyntheticSpec};
use bayspec::data::{DataUnit, DataUnitOptions, GroupingRule, SharedResponse};
use bayspec::fits::{ColumnData, FitsFile, HduBuilder, KeyValue};
use bayspec::model::Model;
use bayspec::ogip::{write_rsp2, FileSpec};
use std::path::Path;

fn cpl_model() -> Model {
    let m = Model::builtin("cpl").unwrap();
    m.par(1usize).unwrap().set_val(-1.0);
    m.par(2usize).unwrap().set_val(2.5);
    m.par(3usize).unwrap().set_val(0.5);
    m
}

fn path_text(p: &Path) -> String {
    p.display().to_string()
}

/// A unit with the fit grid of `rule`, then the same source loaded back from the copy with the
/// grouping written into it: the fit bins must be the same.
fn assert_grouping_round_trip(unit: &DataUnit, copy: &Path) {
    unit.write_grouping(copy).unwrap();
    let mut o = unit.options().clone();
    o.src = Some(path_text(copy).into());
    if let Some(bayspec::data::SpectrumInput::File(t)) = &unit.options().src {
        if let Some(open) = t.rfind('{') {
            o.src = Some(format!("{}{}", path_text(copy), &t[open..]).into());
        }
    }
    o.grpg = None;
    let back = DataUnit::new(o).unwrap();
    assert_eq!(back.n_fit_bins(), unit.n_fit_bins());
    assert_eq!(back.src_counts(), unit.src_counts());
    assert_eq!(back.bkg_counts(), unit.bkg_counts());
    assert_eq!(back.fit_grid().emin(), unit.fit_grid().emin());
    assert_eq!(back.fit_grid().emax(), unit.fit_grid().emax());
    // every other column is unchanged
    assert_eq!(back.source().counts, unit.source().counts);
    assert_eq!(back.source().errors, unit.source().errors);
    assert_eq!(back.source().quality, unit.source().quality);
    assert_eq!(back.source().exposure, unit.source().exposure);
}

#[test]
fn grouping_written_into_a_copy_of_a_simulated_spectrum() {
    let dir = common::synth::temp_dir("write-grouping");
    let u = common::synth::simulated_unit(&dir, false, &cpl_model(), 5.0, 4);
    let src_path = match &u.options().src {
        Some(bayspec::data::SpectrumInput::File(t)) => t.clone(),
        _ => unreachable!(),
    };
    let original = std::fs::read(&src_path).unwrap();
    let mut o = u.options().clone();
    o.grpg = Some(GroupingRule {
        min_sigma: Some(3.0),
        max_bin: Some(10.0),
        ..Default::default()
    });
    let grouped = DataUnit::new(o).unwrap();
    assert!(grouped.n_fit_bins() < u.n_fit_bins());
    // no GROUPING column in the simulated file: one is added
    let copy = dir.join("grouped.pha");
    assert_grouping_round_trip(&grouped, &copy);
    assert_eq!(
        std::fs::read(&src_path).unwrap(),
        original,
        "input untouched"
    );
    let f = FitsFile::open(&copy).unwrap();
    let t = f.table(1).unwrap();
    let g = t.read("GROUPING").unwrap().scalars().unwrap().to_vec();
    assert_eq!(
        g,
        grouped
            .fit_grid()
            .flags()
            .iter()
            .map(|&x| x as f64)
            .collect::<Vec<_>>()
    );
    // the original keywords are still there
    assert_eq!(t.header().f64("EXPOSURE"), Some(5.0));
    assert_eq!(t.header().str("HDUCLAS2").as_deref(), Some("TOTAL"));
    // written again over the copy's copy (column present now: patched in place)
    let copy2 = dir.join("grouped2.pha");
    let mut o = grouped.options().clone();
    o.src = Some(path_text(&copy).into());
    let from_copy = DataUnit::new(o).unwrap();
    assert_grouping_round_trip(&from_copy, &copy2);
    // never the input file itself, never a .gz name
    let e = grouped
        .write_grouping(Path::new(&src_path))
        .unwrap_err()
        .to_string();
    assert!(e.contains("refusing to overwrite"), "{e}");
    let e = grouped
        .write_grouping(&dir.join("x.pha.gz"))
        .unwrap_err()
        .to_string();
    assert!(e.contains("without .gz"), "{e}");
}

#[test]
fn grouping_written_into_copies_of_real_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = common::synth::temp_dir("write-grouping-real");
    let grb = shared.join("data/grb");
    // GBM Type II: a GROUPING vector column, one row rewritten
    let u = DataUnit::new(DataUnitOptions {
        src: Some(format!("{}{{3}}", path_text(&grb.join("me.src2"))).into()),
        bkg: Some(format!("{}{{3}}", path_text(&grb.join("me.bkg2"))).into()),
        rsp: Some(path_text(&grb.join("me.rsp2{1}")).into()),
        notc: Some(vec![[8.0, 900.0]]),
        grpg: Some(GroupingRule {
            min_evt: Some(50.0),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    assert_grouping_round_trip(&u, &dir.join("me_grouped.src2"));
    // Chandra: an existing GROUPING column overwritten by a new rule
    let ch = shared.join("data/chandra");
    let u = DataUnit::new(DataUnitOptions {
        src: Some(path_text(&ch.join("3c273.pi")).into()),
        bkg: Some(path_text(&ch.join("3c273_bg.pi")).into()),
        rmf: Some(path_text(&ch.join("3c273.rmf")).into()),
        arf: Some(path_text(&ch.join("3c273.arf")).into()),
        notc: Some(vec![[0.5, 7.0]]),
        stat: Some("cstat".into()),
        grpg: Some(GroupingRule {
            min_evt: Some(25.0),
            ..Default::default()
        }),
        ..Default::default()
    })
    .unwrap();
    assert_grouping_round_trip(&u, &dir.join("3c273_grouped.pi"));
}

#[test]
fn dataunit_json_lists_the_settings() {
    let dir = common::synth::temp_dir("dataunit-json");
    let mut u = common::synth::simulated_unit(&dir, false, &cpl_model(), 5.0, 4);
    u.set_name("NaI");
    u.save(&dir.join("out")).unwrap();
    let text = std::fs::read_to_string(dir.join("out/dataunit.json")).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let rows = v.as_array().unwrap();
    let props: Vec<&str> = rows
        .iter()
        .map(|r| r["Property"].as_str().unwrap())
        .collect();
    assert_eq!(
        props,
        ["src", "bkg", "rmf", "arf", "rsp", "notc", "stat", "grpg", "time", "weight"]
    );
    assert_eq!(rows[0]["NaI"], "nai.pha");
    assert_eq!(rows[2]["NaI"], serde_json::Value::Null);
    assert_eq!(rows[4]["NaI"], "nai.rsp");
    assert_eq!(rows[5]["NaI"], serde_json::json!([[8, 900]]));
    assert_eq!(rows[6]["NaI"], "pgstat");
    assert_eq!(rows[9]["NaI"], 1);
    // "Property" comes first in every object
    assert!(text.contains("{\n        \"Property\": \"src\",\n        \"NaI\": \"nai.pha\"\n    }"));
}

/// A Type I spectrum listing only some channels (CHANNEL column, DETCHANS keyword).
fn write_partial(path: &Path, channels: &[i32], counts: &[i32], detchans: usize) {
    let hdu = HduBuilder::new("SPECTRUM")
        .column_with_limits(
            "CHANNEL",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: channels.to_vec(),
            },
            1,
            detchans as i64,
        )
        .unwrap()
        .column(
            "COUNTS",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: counts.to_vec(),
            },
        )
        .unwrap()
        .key("HDUCLASS", "OGIP", "")
        .key("HDUCLAS1", "SPECTRUM", "")
        .key("DETCHANS", detchans, "")
        .key("EXPOSURE", 10.0, "")
        .key("POISSERR", true, "");
    write_fits(path, &[hdu]);
}

#[test]
fn partial_spectra_are_expanded_to_detchans() {
    let dir = common::synth::temp_dir("partial");
    let mut spec = SyntheticSpec::gbm_nai();
    spec.n_channels = 8;
    let rsp = synthetic(&spec).unwrap();
    let rsp_path = dir.join("r.rsp");
    rsp.save(&rsp_path).unwrap();
    let src = dir.join("partial.pha");
    write_partial(&src, &[2, 3, 4, 7], &[5, 6, 7, 8], 8);
    let u = DataUnit::new(DataUnitOptions {
        src: Some(path_text(&src).into()),
        rsp: Some(path_text(&rsp_path).into()),
        stat: Some("cstat".into()),
        ..Default::default()
    })
    .unwrap();
    let s = u.source();
    assert_eq!(s.counts, [0.0, 5.0, 6.0, 7.0, 0.0, 0.0, 8.0, 0.0]);
    assert_eq!(s.quality, [1, 0, 0, 0, 1, 1, 0, 1]);
    assert_eq!(s.first_channel, Some(1));
    assert!(u
        .warnings()
        .iter()
        .any(|w| w.contains("partial spectrum with 4 of 8")));
    // only the listed channels are fitted
    assert_eq!(u.n_fit_bins(), 4);
    assert_eq!(u.src_counts(), [5.0, 6.0, 7.0, 8.0]);
    // channel numbers outside TLMIN..TLMIN+DETCHANS-1 and duplicates are errors
    write_partial(&src, &[2, 9], &[5, 6], 8);
    let e = DataUnit::new(DataUnitOptions {
        src: Some(path_text(&src).into()),
        rsp: Some(path_text(&rsp_path).into()),
        ..Default::default()
    })
    .unwrap_err()
    .to_string();
    assert!(e.contains("CHANNEL 9 is outside 1..8"), "{e}");
    write_partial(&src, &[2, 2], &[5, 6], 8);
    let e = bayspec::ogip::read_spectrum(
        &FileSpec::parse(&path_text(&src)).unwrap(),
        bayspec::ogip::SpectrumRole::Source,
    )
    .unwrap_err()
    .to_string();
    assert!(e.contains("listed twice"), "{e}");
}

/// A minimal Type I SPECTRUM extension: integer COUNTS, EXPOSURE 2 s.
fn counts_hdu(counts: Vec<i32>) -> HduBuilder {
    HduBuilder::new("SPECTRUM")
        .column(
            "COUNTS",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: counts,
            },
        )
        .unwrap()
        .key("HDUCLAS1", "SPECTRUM", "")
        .key("EXPOSURE", 2.0, "")
}

/// Write HDUs after an empty primary HDU.
fn write_fits(path: &Path, hdus: &[HduBuilder]) {
    let bytes = HduBuilder::file_bytes(&[("CREATOR", KeyValue::from("test"))], hdus).unwrap();
    std::fs::write(path, bytes).unwrap();
}

#[test]
fn a_pha_files_own_ebounds_are_compared_with_the_response() {
    let dir = common::synth::temp_dir("own-ebounds");
    let mut spec = SyntheticSpec::gbm_nai();
    spec.n_channels = 4;
    let rsp = synthetic(&spec).unwrap();
    let rsp_path = dir.join("r.rsp");
    rsp.save(&rsp_path).unwrap();
    let write = |shift: f64| {
        let spectrum = counts_hdu(vec![3, 4, 5, 6]);
        let f64col = |v: Vec<f64>| ColumnData::F64 {
            repeat: 1,
            values: v,
        };
        let eb = HduBuilder::new("EBOUNDS")
            .column(
                "E_MIN",
                None,
                f64col(rsp.e_min.iter().map(|e| e * shift).collect()),
            )
            .unwrap()
            .column("E_MAX", None, f64col(rsp.e_max.clone()))
            .unwrap();
        let p = dir.join(format!("s{shift}.pha"));
        write_fits(&p, &[spectrum, eb]);
        DataUnit::new(DataUnitOptions {
            src: Some(path_text(&p).into()),
            rsp: Some(path_text(&rsp_path).into()),
            stat: Some("cstat".into()),
            ..Default::default()
        })
        .unwrap()
    };
    let same = write(1.0);
    assert!(
        !same.warnings().iter().any(|w| w.contains("EBOUNDS")),
        "{:?}",
        same.warnings()
    );
    let off = write(1.01);
    assert!(
        off.warnings()
            .iter()
            .any(|w| w.contains("EBOUNDS") && w.contains("channel 0")),
        "{:?}",
        off.warnings()
    );
    // the GBM files agree with their responses
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let u = common::grb::grb_unit(&shared, "me", 8.0, 900.0);
    assert!(
        !u.warnings().iter().any(|w| w.contains("EBOUNDS")),
        "{:?}",
        u.warnings()
    );
}

#[test]
fn rsp2_matrix_is_chosen_by_the_spectrum_time() {
    let dir = common::synth::temp_dir("rsp2-time");
    let mut spec = SyntheticSpec::gbm_nai();
    spec.n_channels = 16;
    let early = synthetic(&spec).unwrap();
    let mut late = early.clone();
    late.drm.iter_mut().for_each(|v| *v *= 2.0);
    let rsp2 = dir.join("two.rsp2");
    write_rsp2(&rsp2, &[(&early, 0.0, 10.0), (&late, 10.0, 20.0)]).unwrap();
    // Type I spectra with TSTART/TSTOP in each half
    let spectrum_at = |t0: f64, t1: f64| {
        let p = dir.join(format!("s{t0}.pha"));
        write_fits(
            &p,
            &[counts_hdu(vec![9; 16])
                .key("TSTART", t0, "")
                .key("TSTOP", t1, "")],
        );
        p
    };
    let unit = |src: &Path, rsp: String| {
        DataUnit::new(DataUnitOptions {
            src: Some(path_text(src).into()),
            rsp: Some(rsp.into()),
            stat: Some("cstat".into()),
            ..Default::default()
        })
    };
    let a = unit(&spectrum_at(2.0, 4.0), path_text(&rsp2)).unwrap();
    let b = unit(&spectrum_at(12.0, 14.0), path_text(&rsp2)).unwrap();
    assert_eq!(
        a.response().drm,
        early
            .drm
            .iter()
            .map(|&v| v as f32 as f64)
            .collect::<Vec<_>>()
    );
    assert_eq!(
        b.response().drm,
        late.drm
            .iter()
            .map(|&v| v as f32 as f64)
            .collect::<Vec<_>>()
    );
    // an explicit {n} wins over the time
    let forced = unit(
        &spectrum_at(12.0, 14.0),
        format!("{}{{1}}", path_text(&rsp2)),
    )
    .unwrap();
    assert_eq!(forced.response().drm, a.response().drm);
    // a time outside every matrix is an error listing the ranges
    let e = unit(&spectrum_at(30.0, 32.0), path_text(&rsp2))
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("no matrix covers") && e.contains("{2} 10-20"),
        "{e}"
    );
    // without a time, the first matrix is used, with a warning
    let no_time = dir.join("nt.pha");
    write_fits(&no_time, &[counts_hdu(vec![9; 16])]);
    let c = unit(&no_time, path_text(&rsp2)).unwrap();
    assert_eq!(c.response().drm, a.response().drm);
    assert!(
        c.warnings().iter().any(|w| w.contains("holds 2 matrices")),
        "{:?}",
        c.warnings()
    );
}

#[test]
fn one_response_object_shares_rf_between_units() {
    let dir = common::synth::temp_dir("shared-rf");
    let model = cpl_model();
    let a = common::synth::simulated_unit(&dir, false, &model, 5.0, 1);
    let rsp = SharedResponse::new(a.response().clone());
    let unit = |src: &str| {
        DataUnit::new(DataUnitOptions {
            src: Some(src.into()),
            rsp: Some(bayspec::data::ResponseInput::Shared(rsp.clone())),
            notc: Some(vec![[8.0, 900.0]]),
            ..Default::default()
        })
        .unwrap()
    };
    let src = path_text(&dir.join("nai.pha"));
    let (u1, u2) = (unit(&src), unit(&src));
    u1.set_rf(0.8).unwrap();
    assert_eq!(u2.rf(), 0.8, "the same rf");
    assert!(u1.nuisance().rf.same(&rsp.rf));
    assert!(
        !u1.nuisance().sf.same(&u2.nuisance().sf),
        "sf stays per unit"
    );
    // units from files have their own rf
    let f1 = a.clone();
    let f2 = common::synth::simulated_unit(&dir, false, &model, 5.0, 2);
    assert!(!f1.nuisance().rf.same(&f2.nuisance().rf));

    // in a script: one free rf for two units built from one Response object
    let engine = bayspec::script::engine();
    let script = format!(
        r#"
        let r = response();
        let f1 = simulate(cpl(), #{{ rsp: r, exposure: 5, seed: 1, out: "{d}/a" }});
        let f2 = simulate(cpl(), #{{ rsp: r, exposure: 5, seed: 2, out: "{d}/b" }});
        let u1 = DataUnit(#{{ src: f1.src, rsp: r, notc: [8, 900], stat: "cstat" }});
        let u2 = DataUnit(#{{ src: f2.src, rsp: r, notc: [8, 900], stat: "cstat" }});
        r.rf.frozen = false;
        r.rf.prior = unif(0.5, 1.5);
        let infer = BayesInfer([[Data([["a", u1], ["b", u2]]), cpl()]]);
        [infer.free_plabels.len(), u1.par["rf"].frozen, u2.par["rf"].frozen]
        "#,
        d = dir.display()
    );
    let v: rhai::Array = engine.eval(&script).unwrap();
    assert_eq!(v[0].as_int().unwrap(), 4, "alpha, logEp, logA and one rf");
    assert!(!v[1].as_bool().unwrap() && !v[2].as_bool().unwrap());
}
