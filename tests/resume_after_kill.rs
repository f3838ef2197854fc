//! A nested-sampling run killed with SIGKILL part-way and restarted with `resume: true`
//! finishes and gives the same posterior as an uninterrupted run with the same seed.

mod common;

use common::resume::{bayspec, script_dir};
use std::time::Duration;

const FIT: &str = r#"
let infer = BayesInfer([[Data([["nai", nai]]), cpl()]]);
let post = infer.multinest(#{ nlive: 800, seed: 3, resume: true, savepath: `${out}/mn` });
post.save(out);
"#;

#[test]
fn killed_nested_run_resumes_to_the_same_posterior() {
    let (dir, script) = script_dir("kill", FIT);
    let sim = dir.join("sim");

    // uninterrupted reference run
    let full = dir.join("full");
    let o = bayspec(&script, &full, &sim).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // killed part-way (SIGKILL: no chance to clean up), then resumed
    let part = dir.join("part");
    let mut killed_midway = false;
    for wait_ms in [150u64, 300, 600] {
        let _ = std::fs::remove_dir_all(&part);
        let mut child = bayspec(&script, &part, &sim).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(wait_ms));
        let finished = child.try_wait().unwrap().is_some();
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        if !finished && part.join("mn").is_dir() && !part.join("post_free_par.json").exists() {
            killed_midway = true;
            break;
        }
    }
    let o = bayspec(&script, &part, &sim).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    for f in [
        "post_free_par.json",
        "post_IC.json",
        "mn/1-post_equal_weights.dat",
    ] {
        let a = std::fs::read_to_string(full.join(f)).unwrap();
        let b = std::fs::read_to_string(part.join(f)).unwrap();
        assert_eq!(
            a, b,
            "{f} differs after kill + resume (killed mid-run: {killed_midway})"
        );
    }
    // nothing the program wrote is truncated: every JSON file parses (a killed process may
    // leave a hidden `.name.tmpPID` file behind; the real files are only ever renamed into place)
    for e in std::fs::read_dir(part.join("mn")).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if name.ends_with(".json") && !name.starts_with('.') {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(
                serde_json::from_str::<serde_json::Value>(&text).is_ok(),
                "{name} is not valid JSON"
            );
        }
    }
    println!("killed mid-run: {killed_midway}");
}
