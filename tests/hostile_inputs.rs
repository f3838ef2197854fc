//! Hostile input (issue 10, data.md §5): every row of `tests/hostile_inputs.json` is a Rhai
//! script run through the `bayspec` binary. Each must end with a clear error: exit status 1
//! (not a panic, not success, not a hang past its timeout) and a message holding every
//! expected fragment. Input files are generated into a temporary directory first, which the
//! scripts see as `ARGS[0]` (bound to `D` by the prelude).

mod common;

use bayspec::fits::{ColumnData, HduBuilder, KeyValue};
use bayspec::model::Model;
use common::synth::write_pha_raw;
use serde::Deserialize;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// One row of the table.
#[derive(Debug, Deserialize)]
struct Row {
    /// Short unique name (also the script's file name).
    id: String,
    /// Which case of the table the row covers.
    case: String,
    /// Script body (the prelude is prepended).
    code: String,
    /// Fragments the error message must contain (all of them).
    expect: Vec<String>,
    /// Seconds before the run counts as hung (default 30).
    #[serde(default)]
    timeout: Option<u64>,
    /// A known weakness of the message (it errors cleanly, but could say more).
    #[serde(default)]
    note: Option<String>,
}

#[derive(Debug, Deserialize)]
struct Table {
    prelude: String,
    rows: Vec<Row>,
}

/// Virtual-memory cap for every run (KiB): a reader that tries to allocate gigabytes for an
/// absurd NAXIS2 / PCOUNT aborts instead of passing.
const MEMORY_LIMIT_KIB: u64 = 3 * 1024 * 1024;

fn load_table() -> Table {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/hostile_inputs.json");
    let text = std::fs::read_to_string(&path).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// A Type II PHA file with `rows` spectra of 128 channels.
fn write_type2(path: &Path, rows: usize) {
    let n = 128;
    let hdu = HduBuilder::new("SPECTRUM")
        .column(
            "SPEC_NUM",
            None,
            ColumnData::I32 {
                repeat: 1,
                values: (1..=rows as i32).collect(),
            },
        )
        .unwrap()
        .column(
            "COUNTS",
            None,
            ColumnData::F64 {
                repeat: n,
                values: vec![5.0; n * rows],
            },
        )
        .unwrap()
        .key("HDUCLAS1", "SPECTRUM", "")
        .key("HDUCLAS4", "TYPEII", "")
        .key("EXPOSURE", 10.0, "");
    let bytes = HduBuilder::file_bytes(&[("ORIGIN", KeyValue::from("test"))], &[hdu]).unwrap();
    std::fs::write(path, bytes).unwrap();
}

/// A plain (non-OGIP) FITS file: a 10 × 10 16-bit primary image and nothing else.
fn image_fits() -> Vec<u8> {
    let cards = [
        "SIMPLE  =                    T",
        "BITPIX  =                   16",
        "NAXIS   =                    2",
        "NAXIS1  =                   10",
        "NAXIS2  =                   10",
        "OBJECT  = 'not a spectrum'",
        "END",
    ];
    let mut out = Vec::new();
    for c in cards {
        out.extend_from_slice(format!("{c:<80}").as_bytes());
    }
    out.resize(2880, b' ');
    let mut data: Vec<u8> = (0..100i16).flat_map(|v| v.to_be_bytes()).collect();
    data.resize(2880, 0);
    out.extend(data);
    out
}

/// Offset of the `nth` card whose keyword is `key` (cards are 80 bytes).
fn card_offset(bytes: &[u8], key: &str, nth: usize) -> usize {
    let want = format!("{key:<8}");
    (0..bytes.len() / 80)
        .map(|i| i * 80)
        .filter(|&i| bytes[i..i + 8] == *want.as_bytes())
        .nth(nth)
        .unwrap_or_else(|| panic!("no card {key} #{nth}"))
}

/// `bytes` with the value of the `nth` `key` card replaced.
fn patched(bytes: &[u8], key: &str, value: &str, nth: usize) -> Vec<u8> {
    let mut out = bytes.to_vec();
    let i = card_offset(bytes, key, nth);
    let card = format!("{key:<8}= {value:>20}");
    out[i..i + 80].fill(b' ');
    out[i..i + card.len()].copy_from_slice(card.as_bytes());
    out
}

/// Write every input file the table's scripts use into `dir`.
fn make_inputs(dir: &Path) {
    // nai.rsp, nai.pha and nai_bkg.pha: a cpl burst over a background, simulated
    common::synth::simulated_unit(dir, false, &Model::builtin("cpl").unwrap(), 20.0, 7);
    let src_path = dir.join("nai.pha");
    assert!(
        src_path.is_file() && dir.join("nai_bkg.pha").is_file() && dir.join("nai.rsp").is_file()
    );
    let src = std::fs::read(&src_path).unwrap();

    std::fs::write(
        dir.join("text.pha"),
        "this is not a FITS file\n".repeat(200),
    )
    .unwrap();
    std::fs::write(dir.join("empty.pha"), b"").unwrap();
    std::fs::write(dir.join("trunc_header.pha"), &src[..2879]).unwrap();
    std::fs::write(dir.join("trunc_half.pha"), &src[..src.len() / 2]).unwrap();
    // the SPECTRUM header complete, its table cut 16 bytes into the data
    let end = card_offset(&src, "END", 1);
    let data_start = (end / 2880 + 1) * 2880;
    std::fs::write(dir.join("trunc_data.pha"), &src[..data_start + 16]).unwrap();
    std::fs::write(dir.join("image.fits"), image_fits()).unwrap();
    let rsp_bytes = std::fs::read(dir.join("nai.rsp")).unwrap();
    std::fs::write(
        dir.join("trunc_half.rsp"),
        &rsp_bytes[..rsp_bytes.len() / 2],
    )
    .unwrap();

    // absurd sizes in the SPECTRUM header
    for (name, key, value) in [
        ("naxis2_huge.pha", "NAXIS2", "999999999999999"),
        ("naxis2_negative.pha", "NAXIS2", "-5"),
        ("naxis1_huge.pha", "NAXIS1", "4611686018427387904"),
        ("pcount_huge.pha", "PCOUNT", "9000000000000000000"),
        ("pcount_big.pha", "PCOUNT", "40000000000"),
        ("tfields_huge.pha", "TFIELDS", "100000"),
    ] {
        std::fs::write(dir.join(name), patched(&src, key, value, 0)).unwrap();
    }
    // NAXIS2 large but finite: 2·10⁹ rows of the real row width (gigabytes if believed)
    std::fs::write(
        dir.join("naxis2_big.pha"),
        patched(&src, "NAXIS2", "2000000000", 0),
    )
    .unwrap();

    write_pha_raw(&dir.join("chan64.pha"), 10.0, vec![5.0; 64]);
    write_pha_raw(&dir.join("zero_exposure.pha"), 0.0, vec![5.0; 128]);
    write_pha_raw(&dir.join("nan_exposure.pha"), f64::NAN, vec![5.0; 128]);
    let mut neg = vec![5.0; 128];
    neg[50] = -3.0;
    write_pha_raw(&dir.join("negative.pha"), 10.0, neg);
    let mut nan = vec![5.0; 128];
    nan[50] = f64::NAN;
    write_pha_raw(&dir.join("nan_counts.pha"), 10.0, nan);
    write_type2(&dir.join("type2.pha"), 3);
}

/// Outcome of one script run.
struct Run {
    code: Option<i32>,
    stderr: String,
    stdout: String,
    hung: bool,
    seconds: f64,
}

fn run_script(script: &Path, dir: &Path, timeout: Duration) -> Run {
    let bin = env!("CARGO_BIN_EXE_bayspec");
    let mut cmd = if cfg!(unix) {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!("ulimit -v {MEMORY_LIMIT_KIB}; exec \"$0\" \"$@\""))
            .arg(bin);
        c
    } else {
        Command::new(bin)
    };
    cmd.arg("--jobs")
        .arg("1")
        .arg(script)
        .arg(dir)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().unwrap();
    // drain the pipes on threads so a chatty child cannot block on a full pipe
    let mut err_pipe = child.stderr.take().unwrap();
    let mut out_pipe = child.stdout.take().unwrap();
    let err_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err_pipe.read_to_string(&mut s);
        s
    });
    let out_reader = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out_pipe.read_to_string(&mut s);
        s
    });
    let mut hung = false;
    let status = loop {
        if let Some(st) = child.try_wait().unwrap() {
            break st;
        }
        if start.elapsed() > timeout {
            hung = true;
            let _ = child.kill();
            break child.wait().unwrap();
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code(),
        stderr: err_reader.join().unwrap(),
        stdout: out_reader.join().unwrap(),
        hung,
        seconds: start.elapsed().as_secs_f64(),
    }
}

fn work_dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-hostile-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

#[test]
fn table_is_well_formed() {
    let t = load_table();
    let mut ids: Vec<&str> = t.rows.iter().map(|r| r.id.as_str()).collect();
    ids.sort_unstable();
    let n = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate row ids");
    for r in &t.rows {
        assert!(!r.expect.is_empty(), "{}: no expected text", r.id);
        assert!(!r.case.trim().is_empty(), "{}: no case", r.id);
        assert!(
            r.id.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-'),
            "{}: id must be a file name",
            r.id
        );
    }
}

#[test]
fn every_hostile_input_gives_a_clear_error() {
    let table = load_table();
    let dir = work_dir();
    let inputs = dir.join("in");
    std::fs::create_dir_all(&inputs).unwrap();
    make_inputs(&inputs);
    // optional filter: HOSTILE_ROW=substring runs only the matching rows
    let only = std::env::var("HOSTILE_ROW").ok();
    let mut failures = Vec::new();
    let mut ran = 0;
    for row in &table.rows {
        if only.as_deref().is_some_and(|f| !row.id.contains(f)) {
            continue;
        }
        ran += 1;
        let script = dir.join(format!("{}.rhai", row.id));
        std::fs::write(&script, format!("{}\n{}\n", table.prelude, row.code)).unwrap();
        let timeout = Duration::from_secs(row.timeout.unwrap_or(30));
        let r = run_script(&script, &inputs, timeout);
        let problem = if r.hung {
            Some(format!("still running after {timeout:?} (killed)"))
        } else if r.code == Some(0) {
            Some("succeeded; expected an error".to_string())
        } else if r.code != Some(1) || r.stderr.contains("internal error") {
            Some(format!("crashed (exit {:?})", r.code))
        } else {
            let missing: Vec<&String> = row
                .expect
                .iter()
                .filter(|e| !r.stderr.contains(e.as_str()))
                .collect();
            (!missing.is_empty()).then(|| format!("message lacks {missing:?}"))
        };
        println!(
            "{:<28} {:>6.2}s  {}",
            row.id,
            r.seconds,
            r.stderr.lines().last().unwrap_or("").trim()
        );
        if let Some(n) = &row.note {
            println!("{:<28} note: {n}", "");
        }
        if let Some(p) = problem {
            failures.push(format!(
                "row '{}' ({}): {p}\n  stderr: {}\n  stdout: {}",
                row.id,
                row.case,
                r.stderr.trim(),
                r.stdout.trim()
            ));
        }
    }
    assert!(ran > 0, "no row matched HOSTILE_ROW");
    assert!(
        failures.is_empty(),
        "{} of {ran} rows failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
