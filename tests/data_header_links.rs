//! A spectrum's header links (BACKFILE, RESPFILE, ANCRFILE) are followed the way XSPEC and
//! Sherpa follow them: the source alone loads its background and response, with the same
//! statistic as the explicit options; foreign absolute paths and `.gz` variants are found; a
//! missing link is an error naming the keyword and the paths tried; `none` means no file; an
//! explicit option (`bkg: none` included) wins. On files the test writes with the project's
//! OGIP writer, and on the real Chandra 3C 273 set.

mod common;

use bayspec::data::response::{synthetic, SyntheticSpec};
use bayspec::data::{Data, DataUnit, DataUnitOptions, SpectrumInput};
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::{Model, Op};
use bayspec::ogip::{write_pha, PhaWriteOptions, Spectrum};
use common::synth::temp_dir;
use std::io::Write;
use std::path::Path;

fn stat(unit: DataUnit, model: &Model) -> f64 {
    let data = Data::from_pairs(vec![("u".into(), unit)]).unwrap();
    Infer::new(
        InferKind::Bayes,
        vec![Pair::new(data, model.clone()).unwrap()],
    )
    .unwrap()
    .stat()
    .unwrap()
}

fn opts(src: &Path) -> DataUnitOptions {
    DataUnitOptions {
        src: Some(src.display().to_string().into()),
        notc: Some(vec![[10.0, 800.0]]),
        stat: Some("pgstat".into()),
        ..Default::default()
    }
}

/// A source and a background spectrum through the synthetic NaI response, the source's header
/// naming `links` (BACKFILE, RESPFILE, ANCRFILE); the response is written as `nai.rsp`, the
/// background as `nai_bkg.pha`.
fn write_set(dir: &Path, links: (&str, &str, &str)) -> std::path::PathBuf {
    let rsp = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    rsp.save(&dir.join("nai.rsp")).unwrap();
    let n = rsp.e_min.len();
    let counts: Vec<f64> = (0..n)
        .map(|i| (200.0 / (1.0 + i as f64 / 8.0)).round() + 3.0)
        .collect();
    let errors: Vec<f64> = counts.iter().map(|c: &f64| c.sqrt()).collect();
    let src = Spectrum::from_arrays("nai", counts, errors, 20.0).unwrap();
    let bcounts: Vec<f64> = (0..n).map(|i| 40.0 + (i % 7) as f64).collect();
    let berrors: Vec<f64> = bcounts.iter().map(|c: &f64| c.sqrt()).collect();
    let bkg = Spectrum::from_arrays("nai_bkg", bcounts, berrors, 200.0).unwrap();
    write_pha(
        &dir.join("nai_bkg.pha"),
        &bkg,
        &PhaWriteOptions {
            background: true,
            ..Default::default()
        },
    )
    .unwrap();
    let some = |s: &str| Some(s.to_string());
    let path = dir.join("nai.pha");
    write_pha(
        &path,
        &src,
        &PhaWriteOptions {
            backfile: some(links.0),
            respfile: some(links.1),
            ancrfile: some(links.2),
            ..Default::default()
        },
    )
    .unwrap();
    path
}

#[test]
fn the_source_alone_loads_what_its_header_names() {
    let dir = temp_dir("links-basic");
    let src = write_set(&dir, ("nai_bkg.pha", "nai.rsp", "none"));
    let cpl = Model::builtin("cpl").unwrap();
    let linked = DataUnit::new(opts(&src)).unwrap();
    assert_eq!(
        linked.notes(),
        ["nai.pha: background nai_bkg.pha, response nai.rsp (from the header)".to_string()]
    );
    assert!(linked.has_background());
    assert!(linked.background().counts.iter().sum::<f64>() > 0.0);
    let explicit = DataUnit::new(DataUnitOptions {
        bkg: Some(dir.join("nai_bkg.pha").display().to_string().into()),
        rsp: Some(dir.join("nai.rsp").display().to_string().into()),
        ..opts(&src)
    })
    .unwrap();
    assert!(explicit.notes().is_empty());
    let (a, b) = (stat(linked, &cpl), stat(explicit, &cpl));
    assert!(a.is_finite() && a == b, "{a} vs {b}");

    // an explicit "no background" wins over the header's
    let without = DataUnit::new(DataUnitOptions {
        bkg: Some(SpectrumInput::None),
        ..opts(&src)
    })
    .unwrap();
    assert!(!without.has_background());
    assert_eq!(
        without.notes(),
        ["nai.pha: response nai.rsp (from the header)".to_string()]
    );
}

#[test]
fn foreign_absolute_paths_and_gz_variants_are_found() {
    let dir = temp_dir("links-foreign");
    let src = write_set(
        &dir,
        (
            "/data/anto/obs/nai_bkg.pha",
            "/home/someone/caldb/nai.rsp",
            "NONE",
        ),
    );
    let u = DataUnit::new(opts(&src)).unwrap();
    assert!(u.has_background());
    assert_eq!(u.file_names()[2].as_deref(), Some("nai.rsp"));
    // only a gzipped response on disk, the header naming the plain one
    let raw = std::fs::read(dir.join("nai.rsp")).unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&raw).unwrap();
    std::fs::write(dir.join("nai.rsp.gz"), gz.finish().unwrap()).unwrap();
    std::fs::remove_file(dir.join("nai.rsp")).unwrap();
    let u = DataUnit::new(opts(&src)).unwrap();
    assert!(
        u.notes()[0].contains("response nai.rsp.gz"),
        "{:?}",
        u.notes()
    );
}

#[test]
fn a_missing_link_is_an_error_naming_the_keyword_the_paths_and_the_option() {
    let dir = temp_dir("links-missing");
    let src = write_set(&dir, ("/elsewhere/gone_bkg.pha", "nai.rsp", "none"));
    let e = DataUnit::new(opts(&src)).unwrap_err().to_string();
    for part in [
        "BACKFILE = '/elsewhere/gone_bkg.pha'",
        "/elsewhere/gone_bkg.pha.gz",
        &dir.join("gone_bkg.pha").display().to_string(),
        "'bkg'",
        "bkg: \"none\"",
    ] {
        assert!(e.contains(part), "missing {part:?} in: {e}");
    }
    // the explicit option overrides the broken link
    let u = DataUnit::new(DataUnitOptions {
        bkg: Some(SpectrumInput::None),
        ..opts(&src)
    })
    .unwrap();
    assert!(!u.has_background());
    // blank and 'none' are no file at all
    let src = write_set(&dir, ("none", "nai.rsp", ""));
    let u = DataUnit::new(opts(&src)).unwrap();
    assert!(!u.has_background());
    let src = write_set(&dir, ("none", "missing.rsp", "none"));
    let e = DataUnit::new(opts(&src)).unwrap_err().to_string();
    assert!(
        e.contains("RESPFILE = 'missing.rsp'") && e.contains("'rsp'"),
        "{e}"
    );
}

#[test]
fn a_redistribution_only_response_is_accepted_with_a_warning() {
    let dir = temp_dir("links-redist");
    let src = write_set(&dir, ("nai_bkg.pha", "redist.rmf", "none"));
    // the response's rows normalised to 1: a redistribution matrix without effective area
    let mut r = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let nc = r.e_min.len();
    for row in r.drm.chunks_mut(nc) {
        let s: f64 = row.iter().sum();
        if s > 0.0 {
            row.iter_mut().for_each(|v| *v /= s);
        }
    }
    r.save(&dir.join("redist.rmf")).unwrap();
    let u = DataUnit::new(opts(&src)).unwrap();
    assert!(
        u.warnings()
            .iter()
            .any(|w| w.contains("redistribution-only") && w.contains("'arf'")),
        "{:?}",
        u.warnings()
    );
    // a full response gives no such warning
    let full = DataUnit::new(DataUnitOptions {
        rsp: Some(dir.join("nai.rsp").display().to_string().into()),
        ..opts(&src)
    })
    .unwrap();
    assert!(!full
        .warnings()
        .iter()
        .any(|w| w.contains("redistribution-only")));
}

/// The real Chandra ACIS spectrum names its background, RMF and ARF: the source alone gives
/// the statistic of the explicit options to 1e-12, with a background that has counts.
#[test]
fn chandra_3c273_from_the_source_alone_equals_the_explicit_options() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ch = |f: &str| shared.join("data/chandra").join(f).display().to_string();
    let base = DataUnitOptions {
        src: Some(ch("3c273.pi").into()),
        notc: Some(vec![[0.5, 7.0]]),
        stat: Some("cstat".into()),
        ..Default::default()
    };
    let linked = DataUnit::new(base.clone()).unwrap();
    assert_eq!(
        linked.notes(),
        [
            "3c273.pi: background 3c273_bg.pi, RMF 3c273.rmf, ARF 3c273.arf (from the header)"
                .to_string()
        ]
    );
    assert!(linked.background().counts.iter().sum::<f64>() > 0.0);
    let explicit = DataUnit::new(DataUnitOptions {
        bkg: Some(ch("3c273_bg.pi").into()),
        rmf: Some(ch("3c273.rmf").into()),
        arf: Some(ch("3c273.arf").into()),
        ..base
    })
    .unwrap();
    let model = Model::combine(
        &Model::builtin("tbabs").unwrap(),
        Op::Mul,
        &Model::builtin("pl").unwrap(),
    )
    .unwrap();
    let (a, b) = (stat(linked, &model), stat(explicit, &model));
    assert!(
        a.is_finite() && (a - b).abs() <= 1e-12 * b.abs(),
        "{a} vs {b}"
    );
}

/// The unit's messages: each warning once, telescope aliases, a channel-count mismatch naming
/// only the files given, a missing HDU counted, a background that `pstat` ignores.
#[test]
fn messages_name_what_is_there() {
    let dir = temp_dir("links-messages");
    let src = write_set(&dir, ("nai_bkg.pha", "nai.rsp", "none"));
    // pstat ignores the (linked) background: said once
    let u = DataUnit::new(DataUnitOptions {
        stat: Some("pstat".into()),
        ..opts(&src)
    })
    .unwrap();
    let unused: Vec<&String> = u
        .warnings()
        .iter()
        .filter(|w| w.contains("is not used"))
        .collect();
    assert_eq!(unused.len(), 1, "{:?}", u.warnings());
    // a missing HDU: how many there are
    let e = DataUnit::new(DataUnitOptions {
        src: Some(format!("{}[7]", src.display()).into()),
        bkg: Some(SpectrumInput::None),
        ..opts(&src)
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("there is no HDU [7]: the file has 2 HDUs"),
        "{e}"
    );
    // a channel-count mismatch names the files given, not an absent background
    let mut small = synthetic(&SyntheticSpec::gbm_nai()).unwrap();
    let nc = small.e_min.len() / 2;
    let ne = small.energ_lo.len();
    let full_nc = small.e_min.len();
    small.drm = (0..ne)
        .flat_map(|r| small.drm[r * full_nc..r * full_nc + nc].to_vec())
        .collect();
    small.e_min.truncate(nc);
    small.e_max.truncate(nc);
    small.save(&dir.join("small.rsp")).unwrap();
    let e = DataUnit::new(DataUnitOptions {
        rsp: Some(dir.join("small.rsp").display().to_string().into()),
        bkg: Some(SpectrumInput::None),
        ..opts(&src)
    })
    .unwrap_err()
    .to_string();
    assert!(
        e.contains("channel counts differ") && !e.contains("bkg"),
        "{e}"
    );
}

/// Telescope names are compared through their aliases, and no warning of the real Chandra
/// set is repeated.
#[test]
fn chandra_warnings_once_and_telescope_aliases() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let ch = |f: &str| shared.join("data/chandra").join(f).display().to_string();
    let u = DataUnit::new(DataUnitOptions {
        src: Some(ch("3c273.pi").into()),
        ..Default::default()
    })
    .unwrap();
    let mut w = u.warnings().to_vec();
    let n = w.len();
    w.sort();
    w.dedup();
    assert_eq!(w.len(), n, "repeated warnings: {:?}", u.warnings());
    assert!(
        !u.warnings().iter().any(|w| w.contains("TELESCOP differs")),
        "{:?}",
        u.warnings()
    );
}

/// The printed unit shows what XSPEC's `show data` shows, and the nuisance table only when it
/// says something.
#[test]
fn the_summary_shows_files_counts_rates_and_the_grouping_applied() {
    let dir = temp_dir("links-summary");
    let src = write_set(&dir, ("nai_bkg.pha", "nai.rsp", "none"));
    let u = DataUnit::new(DataUnitOptions {
        grpg: Some(bayspec::data::GroupingRule {
            min_sigma: Some(3.0),
            max_bin: Some(10.0),
            ..Default::default()
        }),
        ..opts(&src)
    })
    .unwrap();
    let text = u.to_string();
    for part in [
        "nai_bkg.pha",
        "nai.rsp",
        "fit bins",
        " keV",
        "grouping applied",
        "min_sigma",
        "exposure (s)",
        "net rate (counts/s)",
        " ± ",
        "background scale ratio",
        "pgstat",
    ] {
        assert!(text.contains(part), "missing {part:?} in:\n{text}");
    }
    assert!(!text.contains("par#"), "{text}");
    u.set_rf(1.5).unwrap();
    assert!(u.to_string().contains("par#"));
}
