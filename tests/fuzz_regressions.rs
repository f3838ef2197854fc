//! Regression inputs of the fuzz targets (`fuzz/`): every file under
//! `tests/fuzz_regressions/<target>/` goes through the same code as the fuzz target and must
//! return (errors are fine) without panicking. A FITS input has a `<file>.expect` next to it
//! whose lines must each appear in one of the error messages, so the error names the problem.
//!
//! Run the fuzzers themselves with `cargo +nightly fuzz run <target>` (see README, Fuzzing).

mod fuzz_drivers;

use bayspec::ogip::{
    read_response_from_fits, read_spectrum_from_fits, write_pha, write_rsp, FileSpec,
    PhaWriteOptions, Response, Spectrum, SpectrumRole,
};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

fn regression_dir(target: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fuzz_regressions")
        .join(target)
}

/// The inputs of one target (sidecar `.expect` files excluded), sorted.
fn inputs(target: &str) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> = std::fs::read_dir(regression_dir(target))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_none_or(|e| e != "expect"))
        .collect();
    v.sort();
    v
}

/// The expected words of an input (one per line), if it has a `.expect` file.
fn expected(input: &Path) -> Option<Vec<String>> {
    let mut p = input.as_os_str().to_owned();
    p.push(".expect");
    let text = std::fs::read_to_string(PathBuf::from(p)).ok()?;
    Some(
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect(),
    )
}

fn assert_named(errors: &[String], words: &[String], what: &str) {
    for w in words {
        assert!(
            errors.iter().any(|e| e.contains(w.as_str())),
            "{what}: no error mentions '{w}'; errors: {errors:#?}"
        );
    }
}

#[test]
fn fits_ogip_regressions_fail_cleanly() {
    let files = inputs("fits_ogip");
    assert!(files.len() >= 5, "too few regression inputs: {files:?}");
    for input in files {
        let bytes = std::fs::read(&input).unwrap();
        let name = input.display().to_string();
        let errors = catch_unwind(|| fuzz_drivers::fits_ogip(&bytes))
            .unwrap_or_else(|_| panic!("{name}: the readers panicked"));
        let words = expected(&input).unwrap_or_else(|| panic!("{name}: no .expect file"));
        assert!(!words.is_empty(), "{name}: empty .expect file");
        assert_named(&errors, &words, &name);
    }
}

#[test]
fn options_regressions_fail_cleanly() {
    let files = inputs("options");
    assert!(files.len() >= 3, "too few regression inputs: {files:?}");
    for input in files {
        let bytes = std::fs::read(&input).unwrap();
        let name = input.display().to_string();
        let outcome = catch_unwind(AssertUnwindSafe(|| fuzz_drivers::options(&bytes)))
            .unwrap_or_else(|_| panic!("{name}: the script functions panicked"));
        println!("{name}: {outcome:?}");
        if let Some(words) = expected(&input) {
            let errors: Vec<String> = match outcome {
                Some(Err(e)) => vec![e],
                other => panic!("{name}: expected an error, got {other:?}"),
            };
            assert_named(&errors, &words, &name);
        }
    }
}

/// Set one integer keyword of the `nth` header that has it.
fn patch_card(bytes: &mut [u8], key: &str, value: &str, nth: usize) {
    let want = format!("{key:<8}=");
    let i = (0..bytes.len() - 80)
        .step_by(80)
        .filter(|&i| bytes[i..i + 9] == *want.as_bytes())
        .nth(nth)
        .unwrap_or_else(|| panic!("no card {key} #{nth}"));
    let card = format!("{key:<8}= {value:>20}");
    bytes[i..i + 80].fill(b' ');
    bytes[i..i + card.len()].copy_from_slice(card.as_bytes());
}

fn spec(name: &str) -> FileSpec {
    FileSpec {
        path: PathBuf::from(name),
        ext: None,
        index: None,
        text: name.to_string(),
    }
}

/// Files this crate writes read back through the in-memory entry points the fuzzer uses, and
/// hostile edits of them give errors naming the problem. With `BAYSPEC_FUZZ_SEEDS=<dir>` the
/// written files are also copied there (seeds for `fuzz/corpus/fits_ogip`).
#[test]
fn written_files_read_back_and_hostile_edits_are_named() {
    let dir = std::env::temp_dir().join(format!("bayspec_fuzzreg_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let (ne, nc) = (12usize, 8usize);
    let energ_lo: Vec<f64> = (0..ne).map(|i| 10.0 * 1.3f64.powi(i as i32)).collect();
    let energ_hi: Vec<f64> = (0..ne).map(|i| 10.0 * 1.3f64.powi(i as i32 + 1)).collect();
    let e_min: Vec<f64> = (0..nc).map(|c| 8.0 * 1.5f64.powi(c as i32)).collect();
    let e_max: Vec<f64> = (0..nc).map(|c| 8.0 * 1.5f64.powi(c as i32 + 1)).collect();
    let drm: Vec<f64> = (0..ne * nc)
        .map(|k| {
            let (i, c) = ((k / nc) as f64, (k % nc) as f64);
            if (i * 0.6 - c).abs() < 1.5 {
                50.0 / (1.0 + (i * 0.6 - c).abs())
            } else {
                0.0
            }
        })
        .collect();
    let rsp = Response::new("small.rsp", energ_lo, energ_hi, e_min, e_max, drm).unwrap();
    let counts: Vec<f64> = (0..nc).map(|c| (3 * c + 1) as f64).collect();
    let errors = counts.iter().map(|c| c.sqrt()).collect();
    let src = Spectrum::from_arrays("small.pha", counts, errors, 12.5).unwrap();
    let (rsp_path, pha_path, bkg_path) = (
        dir.join("small.rsp"),
        dir.join("small.pha"),
        dir.join("small_bkg.pha"),
    );
    write_rsp(&rsp_path, &rsp).unwrap();
    write_pha(&pha_path, &src, &PhaWriteOptions::default()).unwrap();
    let bkg_opts = PhaWriteOptions {
        background: true,
        ..Default::default()
    };
    write_pha(&bkg_path, &src, &bkg_opts).unwrap();

    // Round trip through the in-memory readers.
    let rsp_bytes = std::fs::read(&rsp_path).unwrap();
    let f = bayspec::fits::FitsFile::from_bytes(rsp_bytes.clone(), "small.rsp").unwrap();
    let back = read_response_from_fits(&f, &spec("small.rsp")).unwrap();
    assert_eq!((back.n_energy(), back.n_channels()), (ne, nc));
    for (a, b) in back.drm.iter().zip(&rsp.drm) {
        assert!((a - b).abs() <= 1e-6 * b.abs(), "{a} vs {b}");
    }
    let pha_bytes = std::fs::read(&pha_path).unwrap();
    let f = bayspec::fits::FitsFile::from_bytes(pha_bytes.clone(), "small.pha").unwrap();
    let s = read_spectrum_from_fits(&f, &spec("small.pha"), SpectrumRole::Source).unwrap();
    assert_eq!(s.counts, src.counts);
    assert_eq!(s.exposure, 12.5);

    // Hostile edits of the written files.
    let cases: Vec<(Vec<u8>, &str)> = {
        let mut v = Vec::new();
        let mut b = rsp_bytes.clone();
        patch_card(&mut b, "NAXIS2", "999999999999", 0);
        v.push((b, "NAXIS2 = 999999999999"));
        let mut b = rsp_bytes.clone();
        patch_card(&mut b, "PCOUNT", "4000000000000000000", 0);
        v.push((b, "PCOUNT = 4000000000000000000"));
        let mut b = pha_bytes.clone();
        patch_card(&mut b, "NAXIS", "-3", 0);
        v.push((b, "NAXIS = -3"));
        v.push((rsp_bytes[..rsp_bytes.len() / 2].to_vec(), "truncated"));
        v.push((pha_bytes[..100].to_vec(), "only 100 bytes"));
        v
    };
    for (bytes, word) in cases {
        let errors = fuzz_drivers::fits_ogip(&bytes);
        assert_named(&errors, &[word.to_string()], word);
    }

    if let Some(seeds) = std::env::var_os("BAYSPEC_FUZZ_SEEDS") {
        let seeds = PathBuf::from(seeds);
        std::fs::create_dir_all(&seeds).unwrap();
        for p in [&rsp_path, &pha_path, &bkg_path] {
            std::fs::copy(p, seeds.join(p.file_name().unwrap())).unwrap();
        }
    }
    std::fs::remove_dir_all(&dir).unwrap();
}
