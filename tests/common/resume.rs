//! Shared set-up of the kill-and-resume tests: a script that simulates a NaI spectrum and
//! fits it, run by the `bayspec` binary with `ARGS = [out, sim]`.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// Script lines that simulate a cutoff power-law NaI spectrum into `ARGS[1]` and build the
/// unit `nai`; `out` is `ARGS[0]`.
pub const SIMULATED_NAI: &str = r#"
let out = ARGS[0];
let truth = cpl(#{ alpha: -1.2, logEp: 2.5, logA: 0.8 });
let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 20,
                           bkg: #{ rate: 2.0, exposure: 200 }, seed: 11, out: `${ARGS[1]}/nai` });
let nai = DataUnit(#{ src: f.src, bkg: f.bkg, rsp: f.rsp, notc: [8, 900] });
"#;

/// A fresh folder `bayspec-<tag>-<pid>` in the temp dir holding `run.rhai` = `SIMULATED_NAI`
/// followed by `fit`; returns the folder and the script path.
pub fn script_dir(tag: &str, fit: &str) -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("bayspec-{tag}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("run.rhai");
    std::fs::write(&script, format!("{SIMULATED_NAI}{fit}")).unwrap();
    (dir, script)
}

/// The command running `script` with `ARGS = [out, sim]` (stdout discarded, stderr kept).
pub fn bayspec(script: &Path, out: &Path, sim: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bayspec"));
    c.arg(script)
        .arg(out)
        .arg(sim)
        .stdout(Stdio::null())
        .stderr(Stdio::piped());
    c
}
