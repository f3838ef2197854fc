//! Every script in `scripts/` run through the built binary: exit status, the promised output
//! files, and the key numbers (the real-data scripts use `../shared/data`, skipped when absent).

mod common;

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The scripts this file runs; `every_script_is_tested` keeps the list complete.
const TESTED: &[&str] = &[
    "quickstart",
    "grb_joint",
    "model_compare",
    "link_pairs",
    "typeII_freeze",
    "maxlike_bootstrap",
    "chandra_abs_pl",
    "time_resolved",
];

fn script(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("scripts")
        .join(format!("{name}.rhai"))
}

fn out_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-scripts-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Run a script with arguments; panics (showing stdout and stderr) unless it succeeds.
fn run(name: &str, args: &[&Path]) -> String {
    let t0 = std::time::Instant::now();
    let out = Command::new(env!("CARGO_BIN_EXE_bayspec"))
        .arg(script(name))
        .args(args)
        .output()
        .expect("start bayspec");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert!(
        out.status.success(),
        "{name} failed ({}):\n--- stdout ---\n{stdout}\n--- stderr ---\n{stderr}",
        out.status
    );
    println!("{name}: {:.1} s", t0.elapsed().as_secs_f64());
    stdout
}

/// The shared data folder, or `None` (the test prints "skipped: no test data").
fn data_dir() -> Option<PathBuf> {
    common::shared_dir().map(|d| d.join("data"))
}

/// Run a real-data script on the shared data folder into a fresh output folder: the folder and
/// stdout, or `None` without data.
fn run_on_data(name: &str) -> Option<(PathBuf, String)> {
    let data = data_dir()?;
    let out = out_dir(name);
    let stdout = run(name, &[&data, &out]);
    Some((out, stdout))
}

/// What `post.save(dir)` writes.
const POST_FILES: [&str; 3] = ["post_free_par.json", "post_stat.json", "post_IC.json"];
/// The CE, vFv and corner plots the scripts save.
const FIGURES: [&str; 3] = ["ctsspec.png", "vfvspec.png", "corner.png"];

fn assert_files(dir: &Path, files: &[&str]) {
    for f in files {
        let p = dir.join(f);
        let len = std::fs::metadata(&p)
            .unwrap_or_else(|e| panic!("missing output {}: {e}", p.display()))
            .len();
        assert!(len > 0, "empty output {}", p.display());
    }
}

fn json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("bad JSON in {}: {e}", path.display()))
}

/// `post_free_par.json` (or `boot_free_par.json`) as (par#, Parameter, Median, 1sigma CI).
fn free_pars(path: &Path) -> Vec<(String, String, f64)> {
    json(path)
        .as_array()
        .expect("an array of rows")
        .iter()
        .map(|r| {
            (
                r["par#"].as_str().expect("par#").to_string(),
                r["Parameter"].as_str().expect("Parameter").to_string(),
                common::num(&r["Median"]),
            )
        })
        .collect()
}

fn ic(path: &Path) -> Value {
    json(path)
        .as_array()
        .and_then(|a| a.first().cloned())
        .expect("post_IC.json holds one row")
}

/// Ep medians printed by the scripts as `Ep = 214.2 keV`.
fn printed_ep(stdout: &str) -> Vec<f64> {
    stdout
        .lines()
        .filter_map(|l| l.split("Ep = ").nth(1))
        .filter_map(|rest| rest.split_whitespace().next()?.parse().ok())
        .collect()
}

#[test]
fn every_script_is_tested() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts");
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        if p.extension().is_some_and(|e| e == "rhai") {
            let stem = p.file_stem().unwrap().to_string_lossy().to_string();
            assert!(
                TESTED.contains(&stem.as_str()),
                "scripts/{stem}.rhai has no test in tests/scripts.rs"
            );
        }
    }
}

#[test]
fn data_scripts_need_a_data_folder() {
    for name in &TESTED[1..] {
        let out = Command::new(env!("CARGO_BIN_EXE_bayspec"))
            .arg(script(name))
            .output()
            .expect("start bayspec");
        assert!(!out.status.success(), "{name} ran without a data folder");
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("usage: bayspec scripts/"), "{name}: {err}");
    }
}

#[test]
fn quickstart_runs_on_a_fresh_machine() {
    let out = out_dir("quickstart");
    let stdout = run("quickstart", &[&out]);
    for files in [&POST_FILES, &FIGURES] {
        assert_files(&out, files);
    }
    assert_files(
        &out,
        &[
            "infer_par.json",
            "sim/nai.pha",
            "multinest/1-post_equal_weights.dat",
        ],
    );
    // The script itself throws unless every truth lies inside the 3-sigma interval.
    assert_eq!(stdout.matches("inside [").count(), 3, "{stdout}");
    let pars = free_pars(&out.join("post_free_par.json"));
    let truth = [-1.3, 2.6, 1.0];
    for ((_, label, med), t) in pars.iter().zip(truth) {
        assert!(
            (med - t).abs() < 0.1,
            "{label}: median {med} far from truth {t}"
        );
    }
}

/// Published reference posterior of the GRB quickstart (mean ± sd): alpha, logEp, logA.
const PUBLISHED: [(f64, f64); 3] = [(-1.5621, 0.0103), (2.3310, 0.0100), (2.3534, 0.0149)];

#[test]
fn grb_joint_matches_the_published_quickstart() {
    let Some((out, stdout)) = run_on_data("grb_joint") else {
        return;
    };
    for files in [&POST_FILES, &FIGURES] {
        assert_files(&out, files);
    }
    assert_files(
        &out,
        &[
            "infer_par.json",
            "data.json",
            "multinest/1-post_equal_weights.dat",
        ],
    );
    let pars = free_pars(&out.join("post_free_par.json"));
    assert_eq!(pars.len(), 3);
    for ((_, label, med), (mean, sd)) in pars.iter().zip(PUBLISHED) {
        assert!(
            (med - mean).abs() <= 0.5 * sd,
            "{label}: median {med} not within 0.5 sigma of {mean} ± {sd}"
        );
    }
    let lnz = common::num(&ic(&out.join("post_IC.json"))["lnZ"]);
    assert!(lnz.is_finite() && lnz < 0.0, "lnZ {lnz}");
    // Ep printed = 10^median(logEp).
    let ep = printed_ep(&stdout);
    assert_eq!(ep.len(), 1, "{stdout}");
    assert!((ep[0] - 10f64.powf(pars[1].2)).abs() < 0.1, "Ep {}", ep[0]);
}

#[test]
fn model_compare_ranks_by_evidence() {
    let Some((out, stdout)) = run_on_data("model_compare") else {
        return;
    };
    let mut lnz = Vec::new();
    for m in ["cpl", "band", "sbpl"] {
        let d = out.join(m);
        assert_files(&d, &POST_FILES);
        assert_files(&d, &["vfvspec.png"]);
        let row = ic(&d.join("post_IC.json"));
        let z = common::num(&row["lnZ"]);
        let bic = common::num(&row["BIC"]);
        assert!(z.is_finite() && bic.is_finite(), "{m}: lnZ {z}, BIC {bic}");
        lnz.push((m, z, bic));
    }
    // The printed table lists the models best first, with ΔlnZ relative to the best.
    let table: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("model "))
        .skip(2)
        .take(3)
        .collect();
    let order: Vec<&str> = table
        .iter()
        .map(|l| l.split_whitespace().next().unwrap())
        .collect();
    let mut sorted = lnz.clone();
    sorted.sort_by(|a, b| b.1.total_cmp(&a.1));
    let expect: Vec<&str> = sorted.iter().map(|x| x.0).collect();
    assert_eq!(order, expect, "table:\n{}", table.join("\n"));
    for (line, (m, z, bic)) in table.iter().zip(&sorted) {
        let cols: Vec<&str> = line.split_whitespace().collect();
        let printed_bic: f64 = cols[4].parse().unwrap();
        let printed_lnz: f64 = cols[6].parse().unwrap();
        let printed_dlnz: f64 = cols[7].parse().unwrap();
        assert!(
            (printed_bic - bic).abs() < 0.006,
            "{m}: BIC {printed_bic} vs {bic}"
        );
        assert!(
            (printed_lnz - z).abs() < 0.006,
            "{m}: lnZ {printed_lnz} vs {z}"
        );
        assert!(
            (printed_dlnz - (z - sorted[0].1)).abs() < 0.006,
            "{m}: ΔlnZ"
        );
    }
    // The smoothly broken power law (fixed smoothness) fits this burst far worse.
    assert_eq!(sorted[2].0, "sbpl");
    assert!(sorted[0].1 - sorted[2].1 > 10.0);
    assert!(stdout.contains(&format!("preferred by lnZ: {}", sorted[0].0)));
}

#[test]
fn link_pairs_shares_alpha() {
    let Some((out, stdout)) = run_on_data("link_pairs") else {
        return;
    };
    assert_files(&out, &POST_FILES);
    assert_files(&out, &["infer_par.json", "vfvspec.png", "corner.png"]);
    let pars = free_pars(&out.join("post_free_par.json"));
    let numbers: Vec<&str> = pars.iter().map(|p| p.0.as_str()).collect();
    // par# 4 (cpl2's alpha) is linked to par# 1 and is no free parameter of its own.
    assert_eq!(numbers, ["1", "2", "3", "5", "6"]);
    let alpha = pars[0].2;
    assert!(
        (alpha - -1.5621).abs() < 3.0 * 0.0103,
        "linked alpha {alpha}"
    );
    assert_eq!(printed_ep(&stdout).len(), 2, "{stdout}");
}

#[test]
fn typeii_row_with_a_frozen_parameter() {
    let Some((out, stdout)) = run_on_data("typeII_freeze") else {
        return;
    };
    assert_files(&out, &POST_FILES);
    assert_files(
        &out,
        &["infer_par.json", "data.json", "ctsspec.png", "corner.png"],
    );
    assert!(stdout.contains("me.src2{5}"), "{stdout}");
    let pars = free_pars(&out.join("post_free_par.json"));
    let numbers: Vec<&str> = pars.iter().map(|p| p.0.as_str()).collect();
    assert_eq!(numbers, ["1", "3", "4"], "beta (par# 2) must be frozen");
    let infer = json(&out.join("infer_par.json"));
    let beta = &infer.as_array().unwrap()[1];
    assert_eq!(common::num(&beta["Value"]), -2.5);
    // Row 5: alpha ≈ −1.8 (see data_typeII.json's notebook example); logEp inside the prior.
    assert!((-2.0..-1.5).contains(&pars[0].2), "alpha {}", pars[0].2);
    assert!((0.0..4.0).contains(&pars[1].2), "logEp {}", pars[1].2);
}

#[test]
fn maxlike_bootstrap_fitters_agree() {
    let Some((out, stdout)) = run_on_data("maxlike_bootstrap") else {
        return;
    };
    for f in ["iminuit", "lmfit"] {
        assert_files(
            &out.join(f),
            &[
                "boot_free_par.json",
                "boot_stat.json",
                "boot_IC.json",
                "1-maxlike_res.json",
                "1-bootstrap_sample.txt",
            ],
        );
    }
    assert_files(&out, &["vfvspec.png"]);
    let res = |f: &str| json(&out.join(f).join("1-maxlike_res.json"));
    let (mi, lm) = (res("iminuit"), res("lmfit"));
    for (i, (mean, sd)) in PUBLISHED.iter().enumerate() {
        let a = common::num(&mi["values"][i]);
        let b = common::num(&lm["values"][i]);
        assert!((a - b).abs() < 1e-3, "par {i}: iminuit {a} vs lmfit {b}");
        assert!((a - mean).abs() < 0.5 * sd, "par {i}: {a} vs {mean}");
        // MINOS: a negative lower and a positive upper error close to the HESSE error.
        let lo = common::num(&mi["minos_errors"][i][0]);
        let hi = common::num(&mi["minos_errors"][i][1]);
        let err = common::num(&mi["errors"][i]);
        assert!(lo < 0.0 && hi > 0.0, "minos [{lo}, {hi}]");
        assert!((hi - lo - 2.0 * err).abs() < 0.2 * err, "minos vs hesse");
        assert!((err - sd).abs() < 0.2 * sd, "hesse error {err} vs sd {sd}");
    }
    assert!(stdout.contains("iminuit best"), "{stdout}");
}

#[test]
fn chandra_absorbed_power_law() {
    let Some((out, stdout)) = run_on_data("chandra_abs_pl") else {
        return;
    };
    for files in [&POST_FILES, &FIGURES] {
        assert_files(&out, files);
    }
    let lnz = common::num(&ic(&out.join("post_IC.json"))["lnZ"]);
    assert!(lnz.is_finite(), "lnZ {lnz}");
    let pars = free_pars(&out.join("post_free_par.json"));
    assert_eq!(pars.len(), 3);
    let (nh, alpha) = (pars[0].2, pars[1].2);
    assert!((0.0..0.5).contains(&nh), "N_H {nh} (10^22 cm^-2)");
    assert!((1.5..2.6).contains(&-alpha), "photon index {}", -alpha);
    // 40 fit bins with the file grouping (data.md 2.6).
    let stat = json(&out.join("post_stat.json"));
    let bins = stat.as_array().unwrap()[0]["Bins"].clone();
    assert_eq!(common::num(&bins), 40.0);
    assert!(stdout.contains("unabsorbed flux"), "{stdout}");
}

#[test]
fn time_resolved_fits_every_row() {
    let Some((out, stdout)) = run_on_data("time_resolved") else {
        return;
    };
    assert!(stdout.contains("holds 10 spectra"), "{stdout}");
    let mut log_ep = Vec::new();
    for n in 1..=10 {
        let d = out.join(format!("row{n}"));
        assert_files(&d, &POST_FILES);
        let pars = free_pars(&d.join("post_free_par.json"));
        assert_eq!(pars.len(), 3, "row {n}");
        assert!(
            (0.0..4.0).contains(&pars[1].2),
            "row {n}: logEp {}",
            pars[1].2
        );
        log_ep.push(pars[1].2);
    }
    // The printed table has one line per row with Ep = 10^median(logEp).
    let table: Vec<Vec<&str>> = stdout
        .lines()
        .skip_while(|l| !l.split_whitespace().take(2).eq(["row", "time"]))
        .skip(2)
        .take(10)
        .map(|l| l.split_whitespace().collect())
        .collect();
    assert_eq!(table.len(), 10, "{stdout}");
    // the time column is the middle of each row's TIME–ENDTIME, not the row number
    let mid = [4.5, 12.5, 20.0, 28.0, 37.0, 47.0, 57.5, 69.5, 83.5, 119.0];
    for (i, cols) in table.iter().enumerate() {
        assert_eq!(cols[0], (i + 1).to_string());
        let t: f64 = cols[1].parse().unwrap();
        assert_eq!(t, mid[i], "row {}", i + 1);
        let ep: f64 = cols[2].parse().unwrap();
        let want = 10f64.powf(log_ep[i]);
        assert!(
            (ep - want).abs() <= 0.05 + 1e-6 * want,
            "row {}: {ep} vs {want}",
            i + 1
        );
    }
    // the joint time-dependent fit of the decay phase: hlecpl's five parameters, with the
    // break time t_c before the first fitted spectrum (row 5 starts at 32 s)
    let hle = out.join("hlecpl");
    assert_files(&hle, &POST_FILES);
    let pars = free_pars(&hle.join("post_free_par.json"));
    assert_eq!(pars.len(), 5);
    let t_c = pars[4].2;
    assert!((0.0..37.0).contains(&t_c), "t_c {t_c}");
    let stat = json(&hle.join("post_stat.json"));
    assert_eq!(stat.as_array().unwrap().len(), 7, "six rows and the total");
}
