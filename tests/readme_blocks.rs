//! The README's code blocks run: the REPL tour (typed into the REPL from the repository root,
//! as the README says) and the batch-run script (as task 0). The two commands for a fresh
//! machine are `tests/quickstart_script.rs` and the suite itself; the Slurm, GNU parallel and
//! fuzzing blocks need tools CI does not have.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

fn readme() -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap()
}

/// The bodies of the fenced blocks of `lang`.
fn blocks(text: &str, lang: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_start() == format!("```{lang}") => current = Some(String::new()),
            Some(b) if line.trim_start() == "```" => {
                out.push(std::mem::take(b));
                current = None;
            }
            Some(b) => {
                b.push_str(line);
                b.push('\n');
            }
            None => {}
        }
    }
    out
}

fn fresh_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-readme-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn bayspec(cwd: &Path) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bayspec"));
    let home = std::env::temp_dir().join("bayspec-readme-home");
    c.current_dir(cwd)
        .env("XDG_DATA_HOME", home.join("data"))
        .env("XDG_CONFIG_HOME", home.join("config"));
    c
}

#[test]
fn the_repl_tour_runs_from_the_repository_root() {
    if common::shared_dir().is_none() {
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("../shared/data/grb").is_dir() {
        // the tour's cd("../shared/data") needs the data beside the checkout
        println!("skipped: no ../shared/data beside the checkout");
        return;
    }
    let tour: Vec<String> = blocks(&readme(), "text")
        .iter()
        .flat_map(|b| b.lines().map(str::to_string).collect::<Vec<_>>())
        .filter_map(|l| l.strip_prefix("bayspec> ").map(str::to_string))
        .collect();
    assert!(tour.len() >= 8, "the README's tour: {tour:?}");
    let out = fresh_dir("tour");
    let input: String = tour
        .iter()
        .map(|l| {
            // the tour's own comments are fine; its output folder goes to a temporary one
            l.replace("/tmp/tour", &out.display().to_string()) + "\n"
        })
        .collect();
    let mut child = bayspec(root)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let (stdout, stderr) = (
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr),
    );
    assert!(o.status.success(), "tour failed:\n{stdout}\n{stderr}");
    assert!(stdout.contains("lnZ"), "{stdout}");
    assert!(out.join("vfv.png").is_file());
    let _ = std::fs::remove_dir_all(&out);
}

#[test]
fn the_batch_script_runs_as_task_zero() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let script = blocks(&readme(), "rhai");
    assert_eq!(script.len(), 1, "the README's one Rhai block");
    let dir = fresh_dir("batch");
    // the script names grb/…: run it where grb/ is the shared GRB folder
    #[cfg(unix)]
    std::os::unix::fs::symlink(shared.join("data/grb"), dir.join("grb")).unwrap();
    #[cfg(not(unix))]
    {
        println!("skipped: needs a symbolic link");
        return;
    }
    std::fs::write(dir.join("fit.rhai"), &script[0]).unwrap();
    let o = bayspec(&dir)
        .args(["fit.rhai", "--task", "0", "--jobs", "2"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "{}\n{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(dir.join("out/task0/post_free_par.json").is_file());
    // a second run finds the task done and skips it
    let again = bayspec(&dir)
        .args(["fit.rhai", "--task", "0"])
        .output()
        .unwrap();
    assert!(again.status.success());
    let _ = std::fs::remove_dir_all(&dir);
}
