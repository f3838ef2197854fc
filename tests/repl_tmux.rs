//! The REPL in a real terminal (tmux): working directory, Tab listing, the continuation
//! prompt, Ctrl-C in the middle of a fit, and the history kept after the session is killed.
//! Skipped (with a note) where tmux is not installed.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
    target: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux runs")
    }

    fn send(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", &self.target];
        args.extend_from_slice(keys);
        assert!(self.cmd(&args).status.success());
    }

    /// Type `text` literally, then Enter. (tmux would read a `;` ending an argument as its
    /// own command separator, so inputs here end without one.)
    fn line(&self, text: &str) {
        self.send(&["-l", text]);
        self.send(&["Enter"]);
    }

    fn screen(&self) -> String {
        let out = self.cmd(&["capture-pane", "-p", "-J", "-S", "-500", "-t", &self.target]);
        String::from_utf8_lossy(&out.stdout).to_string()
    }

    /// Wait until `done(screen)` holds; the screen then, or a panic showing it.
    fn wait(&self, what: &str, timeout: Duration, done: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if done(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    fn prompts(screen: &str) -> usize {
        screen.matches("bayspec> ").count()
    }

    /// Send a line and wait for the next prompt.
    fn run(&self, text: &str, timeout: Duration) -> String {
        let before = Tmux::prompts(&self.screen());
        self.line(text);
        self.wait(text, timeout, |s| Tmux::prompts(s) > before)
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

fn have_tmux() -> bool {
    Command::new("tmux")
        .arg("-V")
        .output()
        .is_ok_and(|o| o.status.success())
}

fn fresh_dir(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("bayspec-tmux-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn start(dir: &Path, name: &str) -> Tmux {
    start_in(dir, dir, name)
}

/// The REPL started in `dir`, with its history and configuration under `home`.
fn start_in(dir: &Path, home: &Path, name: &str) -> Tmux {
    let t = Tmux {
        socket: format!("bayspec-test-{name}-{}", std::process::id()),
        target: "repl".into(),
    };
    let command = format!(
        "env HOME={d} XDG_DATA_HOME={d}/data XDG_CONFIG_HOME={d}/config {bin}",
        d = home.display(),
        bin = env!("CARGO_BIN_EXE_bayspec")
    );
    let dir_s = dir.display().to_string();
    let out = t.cmd(&[
        "new-session",
        "-d",
        "-s",
        "repl",
        "-x",
        "160",
        "-y",
        "50",
        "-c",
        &dir_s,
        &command,
    ]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    t.wait("the first prompt", Duration::from_secs(20), |s| {
        s.contains("bayspec> ")
    });
    t
}

/// The REPL tour of the README, typed into the terminal from the repository root (where the
/// README says to start it): every step gives a prompt back without an error.
#[test]
fn readme_tour_in_a_terminal() {
    if !have_tmux() {
        println!("skipped: tmux is not installed");
        return;
    }
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    if !root.join("../shared/data/grb").is_dir() {
        println!("skipped: no ../shared/data beside the checkout");
        return;
    }
    let readme = std::fs::read_to_string(root.join("README.md")).unwrap();
    let tour: Vec<&str> = readme
        .lines()
        .filter_map(|l| l.strip_prefix("bayspec> "))
        .collect();
    assert!(tour.len() >= 8, "{tour:?}");
    let home = fresh_dir("tour");
    let out = home.join("tour");
    let t = start_in(root, &home, "tour");
    for line in tour {
        // the tour's comments stay; its output goes to a temporary folder
        let line = line
            .replace("/tmp/tour", &out.display().to_string())
            .trim_end()
            .trim_end_matches(';')
            .to_string();
        let s = t.run(&line, Duration::from_secs(120));
        let tail: String = s.lines().rev().take(12).collect::<Vec<_>>().join("\n");
        assert!(!tail.contains("error:"), "{line}:\n{s}");
    }
    assert!(out.join("vfv.png").is_file());
    drop(t);
    let _ = std::fs::remove_dir_all(&home);
}

#[test]
fn repl_session_in_a_terminal() {
    if !have_tmux() {
        println!("skipped: tmux is not installed");
        return;
    }
    let dir = fresh_dir("session");
    std::fs::create_dir_all(dir.join("work/grb")).unwrap();
    let t = start(&dir, "session");
    let long = Duration::from_secs(60);

    // working directory
    let s = t.run("pwd()", long);
    assert!(s.contains(&dir.display().to_string()), "{s}");
    t.run(r#"cd("work")"#, long);
    let s = t.run("pwd()", long);
    assert!(s.contains(&format!("{}/work", dir.display())), "{s}");

    // Tab lists the candidates
    let before = t.screen();
    t.send(&["-l", "Plot::"]);
    t.send(&["Tab"]);
    t.send(&["Tab"]);
    let s = t.wait("the Plot:: listing", long, |s| {
        s.len() > before.len() && s.contains("corner") && s.contains("walker")
    });
    assert!(s.contains("infer"), "{s}");
    t.send(&["C-u"]);
    // a file path inside a string
    t.send(&["-l", r#"let f = "gr"#]);
    t.send(&["Tab"]);
    t.wait("the completed path", long, |s| {
        s.contains(r#"let f = "grb/"#)
    });
    t.send(&["C-u"]);

    // the continuation prompt
    t.line("let xs = [1,");
    t.wait("the continuation prompt", long, |s| s.contains("..> "));
    t.run("2, 3]", long);
    let s = t.run("xs.len()", long);
    assert!(s.lines().any(|l| l.trim() == "3"), "{s}");

    // Ctrl-C in the middle of a long fit returns to the prompt with the variables intact
    t.run("let keep = 7", long);
    t.run(
        r#"let m = cpl(); let rsp = response(#{ preset: "nai" }); let sim = simulate(m, #{ rsp: rsp, exposure: 20, bkg: #{ rate: 2.0, exposure: 200 }, seed: 1, out: "sim" })"#,
        long,
    );
    t.run(
        r#"let u = DataUnit(#{ src: sim.src, bkg: sim.bkg, rsp: sim.rsp, notc: [8, 900], stat: "pgstat" }); let inf = BayesInfer([[Data([["nai", u]]), cpl()]])"#,
        long,
    );
    let before = Tmux::prompts(&t.screen());
    t.line(r#"let p = inf.multinest(#{ nlive: 50000, seed: 1, resume: false, savepath: "fit" })"#);
    std::thread::sleep(Duration::from_millis(1500));
    let s = t.screen();
    assert_eq!(Tmux::prompts(&s), before, "the fit was still running: {s}");
    let pressed = Instant::now();
    t.send(&["C-c"]);
    let s = t.wait("the prompt after Ctrl-C", long, |s| {
        Tmux::prompts(s) > before
    });
    let took = pressed.elapsed();
    println!("Ctrl-C returned to the prompt in {took:?}");
    assert!(took < Duration::from_secs(3), "Ctrl-C took {took:?}");
    assert!(s.to_lowercase().contains("stop"), "{s}");
    assert!(
        dir.join("work/fit").is_dir(),
        "the stopped run is saved to resume: {s}"
    );
    let s = t.run("keep * 6", long);
    assert!(s.lines().any(|l| l.trim() == "42"), "{s}");

    // the history survives a killed session
    drop(t);
    let history = std::fs::read_to_string(dir.join("data/bayspec/history.txt")).unwrap();
    assert!(history.contains("let keep = 7"), "{history}");
    assert!(history.contains("keep * 6"), "{history}");
    let _ = std::fs::remove_dir_all(&dir);
}
