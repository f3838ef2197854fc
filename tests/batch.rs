//! Batch mode: task identity, derived seeds, done markers, and a half-finished batch that
//! a re-run completes without redoing finished tasks.

use std::process::Command;

const SCRIPT: &str = r#"
let out = `${ARGS[0]}/task${TASK}`;
if is_done(out) {
    print(`skip ${TASK}`);
} else {
    let seed = task_seed(42, TASK);
    let truth = cpl(#{ alpha: -1.0, logEp: 2.5, logA: 0.5 });
    let f = simulate(truth, #{ rsp: response(#{ preset: "nai" }), exposure: 5, seed: seed,
                               out: `${out}/nai` });
    let u = DataUnit(#{ src: f.src, rsp: f.rsp, notc: [8, 900], stat: "pstat" });
    let fit = MaxLikeFit([[Data([["nai", u]]), cpl()]]);
    let boot = fit.lmfit(#{ nsample: 50 });
    boot.save(out);
    mark_done(out);
    print(`ran ${TASK} seed ${seed}`);
}
"#;

fn run(script: &std::path::Path, out: &std::path::Path, task: u64, by_env: bool) -> String {
    let mut c = Command::new(env!("CARGO_BIN_EXE_bayspec"));
    c.arg(script).arg(out).arg("--jobs").arg("1");
    if by_env {
        c.env("SLURM_ARRAY_TASK_ID", task.to_string());
    } else {
        c.arg("--task").arg(task.to_string());
        c.env_remove("SLURM_ARRAY_TASK_ID");
    }
    let o = c.output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    String::from_utf8_lossy(&o.stdout).trim().to_string()
}

#[test]
fn restarted_batch_runs_only_missing_tasks() {
    let dir = std::env::temp_dir().join(format!("bayspec-batch-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let script = dir.join("task.rhai");
    std::fs::write(&script, SCRIPT).unwrap();
    let out = dir.join("out");
    // first pass "killed" half-way: only tasks 0..5 ran
    let mut seeds = Vec::new();
    for t in 0..5 {
        let s = run(&script, &out, t, t % 2 == 0);
        assert!(s.starts_with(&format!("ran {t} ")), "{s}");
        seeds.push(s);
    }
    // a task that died before its marker leaves no marker: simulate with a partial folder
    std::fs::create_dir_all(out.join("task5")).unwrap();
    // second pass over all 10 tasks
    let mut ran = 0;
    for t in 0..10 {
        let s = run(&script, &out, t, false);
        if s.starts_with("ran") {
            ran += 1;
            assert!(t >= 5, "task {t} ran twice");
        } else {
            assert_eq!(s, format!("skip {t}"));
        }
    }
    assert_eq!(ran, 5);
    for t in 0..10 {
        assert!(out.join(format!("task{t}/boot_free_par.json")).is_file());
    }
    // seeds depend on the task only
    let again = {
        let _ = std::fs::remove_dir_all(out.join("task1"));
        run(&script, &out, 1, false)
    };
    assert_eq!(again, seeds[1]);
    assert_ne!(seeds[0], seeds[1]);
}
