//! The command line and the REPL, driven through the built binary.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn bin() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bayspec"));
    // Keep the user's history/config out of tests.
    let tmp = std::env::temp_dir().join("bayspec-cli-test-home");
    c.env("XDG_DATA_HOME", tmp.join("data"))
        .env("XDG_CONFIG_HOME", tmp.join("config"));
    c
}

fn run_with_stdin(args: &[&str], input: &str) -> Output {
    let mut child = bin()
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start bayspec");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.as_bytes())
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).to_string()
}

fn temp_script(name: &str, code: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("bayspec-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let p = dir.join(name);
    std::fs::write(&p, code).unwrap();
    p
}

#[test]
fn eval_prints_value() {
    let out = bin().args(["-e", "linspace(0, 1, 3)"]).output().unwrap();
    assert!(out.status.success());
    assert_eq!(text(&out.stdout).trim(), "[0.0, 0.5, 1.0]");
}

#[test]
fn script_error_names_file_line_column() {
    let p = temp_script("bad.rhai", "let a = 1;\nlet b = a + ;\n");
    let out = bin().arg(&p).output().unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(
        err.contains(&format!("{}:2:", p.display())),
        "stderr was: {err}"
    );

    let p = temp_script("throw.rhai", "let a = 1;\n\nthrow \"boom here\";\n");
    let out = bin().arg(&p).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let err = text(&out.stderr);
    assert!(err.contains(":3:1: error: boom here"), "stderr was: {err}");
}

#[test]
fn missing_script_is_an_error() {
    let out = bin().arg("/nonexistent/x.rhai").output().unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cannot read the script"));
}

#[test]
fn args_arrive() {
    let p = temp_script("args.rhai", "print(ARGS.len()); print(ARGS[1]);");
    let out = bin()
        .arg(&p)
        .args(["one", "two", "--three"])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), "3\ntwo\n");
}

#[test]
fn repl_keeps_variables_and_functions_and_survives_errors() {
    let input = "let x = 20;\nfn twice(a) {\n  a * 2\n}\nnot_a_function(1)\ntwice(x) + 2\n";
    let out = run_with_stdin(&[], input);
    let stdout = text(&out.stdout);
    let stderr = text(&out.stderr);
    assert!(stdout.contains("42"), "stdout: {stdout}\nstderr: {stderr}");
    assert!(stderr.contains("not_a_function"), "stderr: {stderr}");
    // A failed line makes the piped session exit non-zero.
    assert_eq!(out.status.code(), Some(1));

    let ok = run_with_stdin(&[], "let y = 2;\ny * 3\n");
    assert!(ok.status.success());
    assert_eq!(text(&ok.stdout).trim(), "6");
}

#[test]
fn repl_keeps_stdlib_imports() {
    let out = run_with_stdin(&[], "import \"util\" as u;\nu::mean([1.0, 2.0, 6.0])\n");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout).trim(), "3.0");
}

#[test]
fn help_documents_linspace() {
    let out = bin().args(["-e", "help(\"linspace\")"]).output().unwrap();
    assert!(out.status.success());
    let s = text(&out.stdout);
    assert!(s.contains("linspace(start, stop, n)"), "{s}");
    assert!(s.contains("evenly spaced"), "{s}");
    let out = bin()
        .args(["-e", "help(\"no_such_thing\")"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("no_such_thing"));
}

/// Every statistic and alias has a help entry; chi2's says which error it uses for Poisson data.
#[test]
fn help_documents_every_statistic() {
    for name in bayspec::stat::STATISTIC_NAMES {
        let out = bin()
            .args(["-e", &format!("help(\"{name}\")")])
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "help(\"{name}\"): {}",
            text(&out.stderr)
        );
        assert!(text(&out.stdout).contains("stat:"), "{name}");
    }
    let out = bin().args(["-e", "help(\"chi2\")"]).output().unwrap();
    let s = text(&out.stdout);
    assert!(
        s.contains("POISSERR") && s.contains("weight standard"),
        "{s}"
    );
    let out = bin().args(["-e", "help(\"statistics\")"]).output().unwrap();
    assert!(text(&out.stdout).contains("pgstat"));
}

#[test]
fn version_and_help_flags() {
    let out = bin().arg("--version").output().unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).starts_with("bayspec "));
    let out = bin().arg("--help").output().unwrap();
    assert!(out.status.success());
    assert!(text(&out.stdout).contains("Usage"));
}

#[test]
fn operation_limit_stops_runaway_loops() {
    let out = bin()
        .args(["--max-operations", "10000", "-e", "loop { }"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).to_lowercase().contains("operations"));
}

/// `pwd()` and `cd()` show and change the working directory; a relative path that is not
/// found is reported with the working directory it was resolved against.
#[test]
fn pwd_cd_and_relative_paths_name_the_working_directory() {
    let dir = std::env::temp_dir();
    let canon = dir.canonicalize().unwrap();
    let code = format!(
        r#"cd("{}"); print(pwd()); try {{ DataUnit(#{{ src: "surely_missing.pha", rsp: "x.rsp" }}) }} catch (e) {{ print(e) }}"#,
        dir.display()
    );
    let out = bin().args(["-e", &code]).output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let s = text(&out.stdout);
    assert!(s.contains(&canon.display().to_string()), "{s}");
    assert!(
        s.contains("surely_missing.pha' not found (relative to the working directory"),
        "{s}"
    );
    let out = bin()
        .args(["-e", r#"cd("/surely/not/here")"#])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("cd: '/surely/not/here'"));
}

/// An error shows the source line and a caret under the column; a missing ';' (reported by
/// Rhai at the next statement) gets a hint pointing at the line before.
#[test]
fn errors_show_the_source_line_with_a_caret() {
    let dir = std::env::temp_dir().join(format!("bayspec-cli-caret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("bad.rhai");
    std::fs::write(&script, "let a = 1;\nlet c = cpl(#{ alhpa: 1 });\n").unwrap();
    let out = bin().arg(&script).output().unwrap();
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains(":2:9: error:"), "{err}");
    assert!(
        err.contains("\n  let c = cpl(#{ alhpa: 1 });\n          ^"),
        "{err}"
    );
    // a multi-byte character before the column must not upset the caret or the hint
    std::fs::write(&script, "let a = \"ααα\" let b = 2;\n").unwrap();
    let out = bin().arg(&script).output().unwrap();
    let err = text(&out.stderr);
    assert!(
        err.contains(":1:15: error:") && err.contains("Expecting ';'"),
        "{err}"
    );
    assert!(!err.contains("panicked"), "{err}");
    std::fs::write(&script, "let a = 1\nlet b = 2;\n").unwrap();
    let err = text(&bin().arg(&script).output().unwrap().stderr);
    assert!(
        err.contains("';' missing at the end of the line before"),
        "{err}"
    );
}

/// Model help gives units and says what logA means at the component's pivot energy.
#[test]
fn model_help_has_units_and_the_pivot() {
    let out = bin()
        .args(["-e", "help(\"band\"); help(\"tbabs\")"])
        .output()
        .unwrap();
    let s = text(&out.stdout);
    assert!(s.contains("(logE_p) = 2 [log10 keV]"), "{s}");
    assert!(s.contains("pivot_energy = 100 [keV]"), "{s}");
    assert!(
        s.contains("at E = pivot_energy (100 keV by default)"),
        "{s}"
    );
    assert!(s.contains("(N_H) = 1 [10^22 cm^-2]"), "{s}");
}

/// A relative data path that is not found, but exists beside the script (or under
/// ../shared/data), is pointed out.
#[test]
fn not_found_names_where_the_file_is() {
    let dir = std::env::temp_dir().join(format!("bayspec-cli-hint-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("fit")).unwrap();
    std::fs::write(dir.join("fit/x.pha"), "not a FITS file").unwrap();
    std::fs::write(
        dir.join("fit/s.rhai"),
        "let u = DataUnit(#{ src: \"x.pha\", rsp: \"x.rsp\" });",
    )
    .unwrap();
    let out = bin().current_dir(&dir).arg("fit/s.rhai").output().unwrap();
    let err = text(&out.stderr);
    assert!(!out.status.success());
    assert!(
        err.contains("not found") && err.contains("it exists as 'fit/x.pha'"),
        "{err}"
    );
    // the README tour's files, typed from the repository root without cd()
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    if root.join("../shared/data/grb/me.src").is_file() {
        let out = bin()
            .current_dir(root)
            .args([
                "-e",
                "DataUnit(#{ src: \"grb/me.src\", rsp: \"grb/me.rsp\" })",
            ])
            .output()
            .unwrap();
        let err = text(&out.stderr);
        assert!(
            err.contains("it exists as '../shared/data/grb/me.src'"),
            "{err}"
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}
