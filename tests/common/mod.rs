//! Shared test helpers: where the shared test data lives.
#![allow(dead_code)]

use std::path::PathBuf;

/// The `shared` folder with `data/` and `vectors/` (env `BAYSPEC_TEST_DATA`, else `../shared`).
/// Returns `None` (and prints `skipped: no test data`) when absent, unless
/// `BAYSPEC_REQUIRE_TEST_DATA=1`, in which case absence panics the test.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("BAYSPEC_TEST_DATA")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    if dir.join("data").is_dir() && dir.join("vectors").is_dir() {
        return Some(dir);
    }
    if std::env::var("BAYSPEC_REQUIRE_TEST_DATA").as_deref() == Ok("1") {
        panic!(
            "BAYSPEC_REQUIRE_TEST_DATA=1 but no test data at {} (set BAYSPEC_TEST_DATA)",
            dir.display()
        );
    }
    println!("skipped: no test data");
    None
}

/// Load a JSON file from `shared/vectors/`.
pub fn vectors(name: &str) -> Option<serde_json::Value> {
    let dir = shared_dir()?;
    let text = std::fs::read_to_string(dir.join("vectors").join(name)).expect("read vector file");
    Some(serde_json::from_str(&text).expect("parse vector json"))
}

/// A JSON number or one of the strings "NaN", "inf", "-inf".
pub fn num(v: &serde_json::Value) -> f64 {
    match v {
        serde_json::Value::Number(n) => n.as_f64().unwrap(),
        serde_json::Value::String(s) => match s.as_str() {
            "NaN" | "nan" => f64::NAN,
            "inf" | "Infinity" => f64::INFINITY,
            "-inf" | "-Infinity" => f64::NEG_INFINITY,
            _ => panic!("not a number: {s}"),
        },
        serde_json::Value::Null => f64::NAN,
        _ => panic!("not a number: {v}"),
    }
}

/// A JSON array of numbers (as [`num`] reads them).
pub fn nums(v: &serde_json::Value) -> Vec<f64> {
    v.as_array().expect("array").iter().map(num).collect()
}

/// Fails listing every mismatch a vector test collected.
pub fn assert_no_mismatches(failures: &[String]) {
    assert!(
        failures.is_empty(),
        "{} mismatches:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A JSON array of `[start, stop]` index pairs.
pub fn index_pairs(v: &serde_json::Value) -> Vec<(usize, usize)> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_u64().unwrap() as usize,
                p[1].as_u64().unwrap() as usize,
            )
        })
        .collect()
}

/// Relative/absolute closeness check used by vector tests.
pub fn close(a: f64, b: f64, rtol: f64, atol: f64) -> bool {
    if a.is_nan() && b.is_nan() {
        return true;
    }
    if a.is_infinite() || b.is_infinite() {
        return a == b;
    }
    (a - b).abs() <= atol + rtol * b.abs()
}
pub mod grb;
pub mod resume;
pub mod runs;
pub mod synth;

/// Every file of `dir` as (name, bytes), sorted by name: for comparing output folders.
pub fn dir_files(dir: &std::path::Path) -> Vec<(String, Vec<u8>)> {
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    files.sort();
    files
}
