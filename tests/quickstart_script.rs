//! The README's main job: `bayspec scripts/quickstart.rhai OUT` on data it simulates itself.

use std::process::Command;

#[test]
fn quickstart_runs_and_writes_its_results() {
    let out = std::env::temp_dir().join(format!("bayspec-quickstart-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&out);
    let o = Command::new(env!("CARGO_BIN_EXE_bayspec"))
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scripts/quickstart.rhai"
        ))
        .arg(&out)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        o.status.success(),
        "{}\n{}",
        stdout,
        String::from_utf8_lossy(&o.stderr)
    );
    // the truth check is part of the script; it prints one line per parameter
    assert_eq!(stdout.matches("inside [").count(), 3, "{stdout}");
    for f in [
        "post_free_par.json",
        "post_stat.json",
        "post_IC.json",
        "infer_par.json",
        "multinest/1-post_equal_weights.dat",
        "ctsspec.png",
        "vfvspec.png",
        "corner.png",
    ] {
        let p = out.join(f);
        let len = std::fs::metadata(&p).map(|m| m.len()).unwrap_or(0);
        assert!(len > 100, "{f} missing or empty");
    }
    let ic: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("post_IC.json")).unwrap()).unwrap();
    assert!(ic[0]["lnZ"].as_f64().unwrap().is_finite());
}
