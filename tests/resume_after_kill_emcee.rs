//! An emcee run killed with SIGKILL part-way (after at least one checkpoint of the chain) and
//! restarted with `resume: true` finishes and gives the same chain and posterior, byte for
//! byte, as an uninterrupted run with the same seed.

mod common;

use common::resume::{bayspec, script_dir};
use std::path::Path;
use std::time::{Duration, Instant};

const FIT: &str = r#"
let m = cpl(#{ alpha: -1.0, logEp: 2.3, logA: 0.5 });
let infer = BayesInfer([[Data([["nai", nai]]), m]]);
let post = infer.emcee(#{ nstep: 3000, discard: 500, nwalkers: 16, seed: 5, resume: true,
                          savepath: `${out}/em` });
post.save(out);
"#;

/// Steps between the chain checkpoints the sampler writes (`save_every` in emcee.rs).
const CHECKPOINT_EVERY: usize = 200;
const NSTEP: usize = 3000;
const NWALKERS: usize = 16;

/// Steps in the checkpointed chain: the shape in the `.npy` header inside `1-.npz`.
fn saved_steps(npz: &Path) -> Option<usize> {
    let bytes = std::fs::read(npz).ok()?;
    let text = String::from_utf8_lossy(&bytes);
    let i = text.find("'shape': (")? + 10;
    let end = text[i..].find(',')? + i;
    text[i..end].trim().parse().ok()
}

#[test]
fn killed_emcee_run_resumes_to_the_same_posterior() {
    let (dir, script) = script_dir("kill-emcee", FIT);
    let sim = dir.join("sim");

    // uninterrupted reference run
    let full = dir.join("full");
    let o = bayspec(&script, &full, &sim).output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(saved_steps(&full.join("em/1-.npz")), Some(NSTEP));

    // Killed (SIGKILL: no chance to clean up) as soon as a checkpoint is on disk, then resumed.
    let part = dir.join("part");
    let npz = part.join("em/1-.npz");
    let mut child = bayspec(&script, &part, &sim).spawn().unwrap();
    let start = Instant::now();
    let killed_at = loop {
        if let Some(st) = child.try_wait().unwrap() {
            panic!("the run finished ({st}) before it could be killed; make it longer");
        }
        if let Some(n) = saved_steps(&npz) {
            break n;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "no checkpoint after 60 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    };
    child.kill().unwrap(); // SIGKILL on Unix
    let _ = child.wait();
    let after_kill = saved_steps(&npz).unwrap();
    assert!(
        after_kill.is_multiple_of(CHECKPOINT_EVERY) && after_kill < NSTEP,
        "killed mid-run: the checkpoint holds {after_kill} steps (seen {killed_at})"
    );
    assert!(
        !part.join("post_free_par.json").exists(),
        "the run got to its end before the kill"
    );
    // the checkpoint is complete: chain, log-probabilities (in the same archive) and metadata
    // agree
    let mut archive = ndarray_npy::NpzReader::new(std::fs::File::open(&npz).unwrap()).unwrap();
    let logprob: ndarray::Array2<f64> = archive.by_name("logprob").unwrap();
    assert_eq!(logprob.dim(), (after_kill, NWALKERS), "log-probabilities");
    let meta: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(part.join("em/1-emcee.json")).unwrap())
            .unwrap();
    assert_eq!(meta["nwalkers"], NWALKERS);

    let o = bayspec(&script, &part, &sim).output().unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(o.status.success(), "{stderr}");
    assert!(
        stderr.contains(&format!("continuing the saved chain of {after_kill} steps")),
        "the second run did not resume: {stderr}"
    );
    for f in [
        "em/1-.npz",
        "em/1-logprob.dat",
        "em/1-posterior_sample.txt",
        "em/1-emcee.json",
        "post_free_par.json",
        "post_IC.json",
    ] {
        let a = std::fs::read(full.join(f)).unwrap();
        let b = std::fs::read(part.join(f)).unwrap();
        assert!(
            a == b,
            "{f} differs after kill at step {after_kill} + resume"
        );
    }
    println!("killed with {after_kill} of {NSTEP} steps checkpointed");
    std::fs::remove_dir_all(&dir).unwrap();
}

mod sample_problems;

/// The chain checkpoint is two files, each replaced atomically but not together: the metadata,
/// then the archive with the chain and its log-probabilities. Whatever prefix of a checkpoint a
/// kill leaves on disk, resuming reproduces the uninterrupted chain.
#[test]
fn every_partial_checkpoint_resumes_exactly() {
    use bayspec::sample::emcee::{run, EmceeOptions};
    let p = sample_problems::GaussianBox::correlated(3, 0.02, 0.5, 0.5, 0.0);
    let root = std::env::temp_dir().join(format!("bayspec-emcee-partial-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let opts = |nstep: usize, dir: Option<&Path>| EmceeOptions {
        nstep,
        discard: 100,
        seed: Some(4),
        start: Some(vec![0.01; 3]),
        savepath: dir.map(Path::to_path_buf),
        progress: false,
        ..Default::default()
    };
    let full = run(&p, &opts(600, None)).unwrap();
    // complete checkpoints after 200 and 400 steps
    let (c200, c400) = (root.join("c200"), root.join("c400"));
    run(&p, &opts(200, Some(&c200))).unwrap();
    run(&p, &opts(400, Some(&c400))).unwrap();
    let copy = |from: &Path, to: &Path, f: &str| {
        std::fs::create_dir_all(to).unwrap();
        std::fs::copy(from.join(f), to.join(f)).unwrap();
    };
    // (a) killed while writing the 400-step checkpoint: new metadata, archive still at 200
    //     steps
    let a = root.join("a");
    copy(&c200, &a, "1-.npz");
    copy(&c400, &a, "1-emcee.json");
    // (b) killed during the first checkpoint, before the archive was written
    let b = root.join("b");
    copy(&c400, &b, "1-emcee.json");
    for (name, dir, resumed_from) in [("a", &a, Some(200)), ("b", &b, None)] {
        let r = run(&p, &opts(600, Some(dir))).unwrap();
        assert_eq!(r.chain, full.chain, "case {name}");
        assert_eq!(r.logprob, full.logprob, "case {name}");
        assert_eq!(r.draws, full.draws, "case {name}");
        let resumed = r
            .warnings
            .iter()
            .any(|w| w.contains("continuing the saved chain of 200 steps"));
        assert_eq!(
            resumed,
            resumed_from.is_some(),
            "case {name}: {:?}",
            r.warnings
        );
    }
    // a fresh run (resume: false) into a folder holding another chain replaces it
    let c = root.join("c");
    run(&p, &opts(200, Some(&c))).unwrap();
    let fresh = run(
        &p,
        &EmceeOptions {
            resume: false,
            seed: Some(5),
            ..opts(600, Some(&c))
        },
    )
    .unwrap();
    assert_ne!(fresh.chain, full.chain);
    let again = run(
        &p,
        &EmceeOptions {
            seed: Some(5),
            ..opts(600, Some(&c))
        },
    )
    .unwrap();
    assert_eq!(again.chain, fresh.chain);
    std::fs::remove_dir_all(&root).unwrap();
}
