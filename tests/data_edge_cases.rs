//! Bad input of data.md 5 gives clear errors naming the file and the problem.

mod common;

use bayspec::data::{Data, DataUnit, DataUnitOptions, GroupingRule};
use bayspec::ogip::{read_response, FileSpec, Spectrum};
use common::synth::write_pha_raw;
use std::path::{Path, PathBuf};

fn grb(shared: &Path, f: &str) -> String {
    shared.join("data/grb").join(f).display().to_string()
}

fn me(shared: &Path) -> DataUnitOptions {
    DataUnitOptions {
        src: Some(grb(shared, "me.src").into()),
        bkg: Some(grb(shared, "me.bkg").into()),
        rsp: Some(grb(shared, "me.rsp").into()),
        notc: Some(vec![[8.0, 900.0]]),
        ..Default::default()
    }
}

fn err(opts: DataUnitOptions) -> String {
    DataUnit::new(opts).map(|_| ()).unwrap_err().to_string()
}

fn tmpdir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec_edge_{}_{name}", std::process::id()));
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn missing_unreadable_and_non_fits_files() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = err(DataUnitOptions {
        src: Some("/nonexistent/x.pha".into()),
        ..me(&shared)
    });
    assert!(
        e.contains("src") && e.contains("/nonexistent/x.pha") && e.contains("not found"),
        "{e}"
    );
    let e = err(DataUnitOptions {
        rsp: Some("/nonexistent/x.rsp".into()),
        ..me(&shared)
    });
    assert!(e.contains("rsp") && e.contains("not found"), "{e}");
    let dir = tmpdir("notfits");
    let p = dir.join("text.pha");
    std::fs::write(&p, "this is not a FITS file\n".repeat(200)).unwrap();
    let e = err(DataUnitOptions {
        bkg: Some(p.display().to_string().into()),
        ..me(&shared)
    });
    assert!(
        e.contains("bkg") && e.contains("text.pha") && e.contains("not a readable FITS file"),
        "{e}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_extensions_are_named() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = err(DataUnitOptions {
        src: Some(grb(&shared, "me.rsp").into()),
        ..me(&shared)
    });
    assert!(
        e.contains("no SPECTRUM extension") && e.contains("EBOUNDS"),
        "{e}"
    );
    let e = err(DataUnitOptions {
        rsp: Some(grb(&shared, "me.src").into()),
        ..me(&shared)
    });
    assert!(e.contains("no matrix") && e.contains("SPECTRUM"), "{e}");
}

#[test]
fn channel_counts_that_disagree_list_all_three() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = err(DataUnitOptions {
        rsp: Some(grb(&shared, "me.rsp2").into()),
        ..me(&shared)
    });
    assert!(
        e.contains("has 128")
            && e.contains("has 470")
            && e.contains("me.bkg")
            && e.contains("me.rsp2"),
        "{e}"
    );
}

#[test]
fn type2_rows_are_checked() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let base = DataUnitOptions {
        rsp: Some(grb(&shared, "me.rsp2").into()),
        bkg: None,
        notc: None,
        ..me(&shared)
    };
    let e = err(DataUnitOptions {
        src: Some(grb(&shared, "me.src2").into()),
        ..base.clone()
    });
    assert!(e.contains("Type II") && e.contains("10 spectra"), "{e}");
    let e = err(DataUnitOptions {
        src: Some(format!("{}{{11}}", grb(&shared, "me.src2")).into()),
        ..base.clone()
    });
    assert!(
        e.contains("row 11 does not exist") && e.contains("10 spectra"),
        "{e}"
    );
    let e = err(DataUnitOptions {
        src: Some(format!("{}{{0}}", grb(&shared, "me.src2")).into()),
        ..base.clone()
    });
    assert!(e.contains("counted from 1"), "{e}");
    let e = err(DataUnitOptions {
        src: Some(format!("{}{{2}}", grb(&shared, "me.src")).into()),
        ..me(&shared)
    });
    assert!(e.contains("Type I"), "{e}");
}

#[test]
fn same_file_as_source_and_background_is_refused() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = err(DataUnitOptions {
        bkg: Some(grb(&shared, "me.src").into()),
        ..me(&shared)
    });
    assert!(e.contains("same spectrum"), "{e}");
}

#[test]
fn bad_exposure_and_counts() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = tmpdir("values");
    let p = dir.join("zero.pha");
    write_pha_raw(&p, 0.0, vec![1.0; 128]);
    let e = err(DataUnitOptions {
        src: Some(p.display().to_string().into()),
        ..me(&shared)
    });
    assert!(e.contains("EXPOSURE = 0") && e.contains("zero.pha"), "{e}");
    let e = err(DataUnitOptions {
        bkg: Some(p.display().to_string().into()),
        ..me(&shared)
    });
    assert!(e.contains("bkg") && e.contains("EXPOSURE = 0"), "{e}");
    write_pha_raw(&p, f64::NAN, vec![1.0; 128]);
    assert!(err(DataUnitOptions {
        src: Some(p.display().to_string().into()),
        ..me(&shared)
    })
    .contains("EXPOSURE = NaN"));

    let mut counts = vec![5.0; 128];
    counts[50] = -3.0;
    write_pha_raw(&p, 10.0, counts.clone());
    let src = Some(p.display().to_string().into());
    for stat in ["cstat", "pstat", "pgstat"] {
        let e = err(DataUnitOptions {
            src: src.clone(),
            stat: Some(stat.into()),
            ..me(&shared)
        });
        assert!(
            e.contains("negative counts") && e.contains("channel 50"),
            "{stat}: {e}"
        );
    }
    DataUnit::new(DataUnitOptions {
        src: src.clone(),
        stat: Some("chi2".into()),
        ..me(&shared)
    })
    .unwrap();
    // Negative counts outside the noticed range do not matter.
    DataUnit::new(DataUnitOptions {
        src: src.clone(),
        notc: Some(vec![[100.0, 400.0]]),
        ..me(&shared)
    })
    .unwrap();
    // A negative background is an error for cstat only.
    let e = err(DataUnitOptions {
        bkg: src.clone(),
        stat: Some("cstat".into()),
        ..me(&shared)
    });
    assert!(e.contains("background") && e.contains("negative"), "{e}");
    DataUnit::new(DataUnitOptions {
        bkg: src.clone(),
        stat: Some("pgstat".into()),
        ..me(&shared)
    })
    .unwrap();

    counts[50] = f64::NAN;
    write_pha_raw(&p, 10.0, counts);
    let e = err(DataUnitOptions {
        src: src.clone(),
        stat: Some("chi2".into()),
        ..me(&shared)
    });
    assert!(e.contains("NaN") && e.contains("channel 50"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn option_values_are_validated() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = err(DataUnitOptions {
        stat: Some("chisq".into()),
        ..me(&shared)
    });
    assert!(
        e.contains("unknown statistic 'chisq'") && e.contains("pgstat"),
        "{e}"
    );
    let e = err(DataUnitOptions {
        notc: Some(vec![[900.0, 8.0]]),
        ..me(&shared)
    });
    assert!(e.contains("reversed"), "{e}");
    let e = err(DataUnitOptions {
        notc: Some(vec![[3000.0, 4000.0]]),
        ..me(&shared)
    });
    assert!(
        e.contains("no channel is both quality-good and noticed"),
        "{e}"
    );
    let e = err(DataUnitOptions {
        notc: Some(vec![[f64::NAN, 4000.0]]),
        ..me(&shared)
    });
    assert!(e.contains("finite"), "{e}");
    // One of several ranges noticing nothing is a warning.
    let u = DataUnit::new(DataUnitOptions {
        notc: Some(vec![[8.0, 900.0], [3000.0, 4000.0]]),
        ..me(&shared)
    })
    .unwrap();
    assert!(
        u.warnings()
            .iter()
            .any(|w| w.contains("notices no channel")),
        "{:?}",
        u.warnings()
    );
    assert!(bayspec::data::notc_from_ranges(&[vec![1.0, 2.0, 3.0]]).is_err());
    assert!(bayspec::data::notc_from_pair(&[1.0]).is_err());

    let mut r = GroupingRule::default();
    let e = r.set_number("min_bin", 3.0).unwrap_err().to_string();
    assert!(e.contains("min_bin") && e.contains("max_bin"), "{e}");
    assert!(r.set_method("fancy").is_err());
    for bad in [0.0, 2.5, f64::INFINITY] {
        let e = err(DataUnitOptions {
            grpg: Some(GroupingRule {
                max_bin: Some(bad),
                ..Default::default()
            }),
            ..me(&shared)
        });
        assert!(e.contains("grpg") && e.contains("max_bin"), "{e}");
    }
    let e = err(DataUnitOptions {
        rebn: Some(GroupingRule {
            min_sigma: Some(f64::NAN),
            ..Default::default()
        }),
        ..me(&shared)
    });
    assert!(e.contains("rebn") && e.contains("min_sigma"), "{e}");
    for w in [0.0, -1.0, f64::NAN] {
        assert!(err(DataUnitOptions {
            weight: Some(w),
            ..me(&shared)
        })
        .contains("weight"));
    }
    assert!(err(DataUnitOptions {
        time: Some(f64::NAN),
        ..me(&shared)
    })
    .contains("time"));
    let e = err(DataUnitOptions {
        grpg: Some(GroupingRule {
            method: Some(bayspec::data::GroupingMethod::Optimal),
            max_bin: Some(1.0),
            ..Default::default()
        }),
        ..me(&shared)
    });
    assert!(
        e.contains("cannot be smaller than the optimal bin width"),
        "{e}"
    );
}

#[test]
fn response_options_must_be_complete_and_consistent() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ch = |f: &str| shared.join("data/chandra").join(f).display().to_string();
    let e = err(DataUnitOptions {
        rsp: None,
        ..me(&shared)
    });
    assert!(e.contains("no response"), "{e}");
    let e = err(DataUnitOptions {
        rmf: Some(ch("3c273.rmf").into()),
        ..me(&shared)
    });
    assert!(e.contains("either 'rsp' or 'rmf'"), "{e}");
    let base = DataUnitOptions {
        src: Some(ch("3c273.pi").into()),
        bkg: Some(ch("3c273_bg.pi").into()),
        ..Default::default()
    };
    // an RMF without 'arf' takes the ARF the source's header names (ANCRFILE)
    let u = DataUnit::new(DataUnitOptions {
        rmf: Some(ch("3c273.rmf").into()),
        ..base.clone()
    })
    .unwrap();
    assert_eq!(
        u.notes(),
        ["3c273.pi: ARF 3c273.arf (from the header)".to_string()]
    );
    let e = err(DataUnitOptions {
        arf: Some(ch("3c273.arf").into()),
        ..base.clone()
    });
    assert!(e.contains("'arf' needs an 'rmf'"), "{e}");
    let e = err(DataUnitOptions {
        rmf: Some(ch("3c273.rmf").into()),
        arf: Some(ch("acisf01575_001N001_r0085_arf3.fits.gz").into()),
        ..base.clone()
    });
    assert!(e.contains("1090 energy bins") && e.contains("900"), "{e}");
    assert!(err(DataUnitOptions {
        src: None,
        ..me(&shared)
    })
    .contains("'src'"));
}

#[test]
fn chi2_needs_an_error_in_every_bin() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let mut counts = vec![4.0; 128];
    counts[20] = 0.0;
    let errors: Vec<f64> = counts.iter().map(|c: &f64| c.sqrt()).collect();
    let s = Spectrum::from_arrays("mem", counts, errors, 10.0).unwrap();
    let e = err(DataUnitOptions {
        src: Some(s.clone().into()),
        bkg: None,
        stat: Some("chi2".into()),
        ..me(&shared)
    });
    assert!(e.contains("non-zero error") && e.contains("1 bin"), "{e}");
    DataUnit::new(DataUnitOptions {
        src: Some(s.into()),
        bkg: None,
        stat: Some("pstat".into()),
        ..me(&shared)
    })
    .unwrap();
}

#[test]
fn data_container_rules() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let u = DataUnit::new(me(&shared)).unwrap();
    let e = Data::from_pairs(vec![("a".into(), u.clone()), ("a".into(), u.clone())]).unwrap_err();
    assert!(e.to_string().contains("duplicate"), "{e}");
    assert!(Data::from_pairs(vec![(" ".into(), u.clone())]).is_err());
    let mut d = Data::new();
    assert!(d.is_empty() && d.npoints().is_empty() && d.to_json_string() == "[]");
    d.insert("nai", u.clone()).unwrap();
    d.insert("bgo", u.clone()).unwrap();
    d.insert("nai", u).unwrap();
    assert_eq!(d.names(), vec!["nai", "bgo"]);
    assert_eq!(d.get("bgo").unwrap().name(), Some("bgo"));
    assert_eq!(d.energy_bin_offsets(), vec![(0, 140), (140, 280)]);
    let shown = d.to_string();
    assert!(
        shown.contains("nai")
            && shown.contains("pgstat")
            && shown.contains("[[8, 900]]")
            && shown.contains("dec"),
        "{shown}"
    );
    assert!(d.get("nai").unwrap().to_string().contains("me.src"));
    assert!(d.remove("nai").is_some() && !d.contains("nai"));
}

#[test]
fn response_file_spec_errors() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let e = read_response(&FileSpec::parse(&format!("{}{{3}}", grb(&shared, "me.rsp2"))).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("has 1 matrix"), "{e}");
    let e = read_response(&FileSpec::parse(&format!("{}[NOPE]", grb(&shared, "me.rsp"))).unwrap())
        .unwrap_err();
    assert!(e.to_string().contains("no HDU named 'NOPE'"), "{e}");
}
