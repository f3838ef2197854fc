//! Functions always available without import: `linspace`, `logspace`, `write_text`.

use super::docs::Docs;
use super::options::{num, to_array, RhaiResult};
use rhai::{Array, Dynamic, Engine};

/// `n` evenly spaced values from `start` to `stop` inclusive.
pub fn linspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    match n {
        0 => Vec::new(),
        1 => vec![start],
        _ => {
            let step = (stop - start) / (n - 1) as f64;
            (0..n)
                .map(|i| {
                    if i == n - 1 {
                        stop
                    } else {
                        start + step * i as f64
                    }
                })
                .collect()
        }
    }
}

/// `n` values from `10^start` to `10^stop`, evenly spaced in log10 (as NumPy's `logspace`).
pub fn logspace(start: f64, stop: f64, n: usize) -> Vec<f64> {
    linspace(start, stop, n)
        .into_iter()
        .map(|x| 10f64.powf(x))
        .collect()
}

fn count(n: i64) -> RhaiResult<usize> {
    if n < 0 {
        return Err(format!("the number of points must be ≥ 0, got {n}").into());
    }
    Ok(n as usize)
}

fn finite(x: f64, what: &str) -> RhaiResult<f64> {
    if x.is_finite() {
        Ok(x)
    } else {
        Err(format!("{what} must be finite, got {x}").into())
    }
}

/// Register the prelude.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("core", "arrays and helpers always available");
    engine.register_fn("pwd", || -> RhaiResult<String> {
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .map_err(|e| format!("pwd: {e}").into())
    });
    engine.register_fn("cd", |dir: &str| -> RhaiResult<String> {
        std::env::set_current_dir(dir)
            .map_err(|e| -> Box<rhai::EvalAltResult> { format!("cd: '{dir}': {e}").into() })?;
        std::env::current_dir()
            .map(|d| d.display().to_string())
            .map_err(|e| format!("cd: {e}").into())
    });
    docs.add(
        "core",
        "pwd",
        "pwd() -> string",
        "The working directory, against which relative file paths are resolved.",
    );
    docs.add(
        "core",
        "cd",
        "cd(dir) -> string",
        "Change the working directory (relative file paths then start there); returns the new one.",
    );
    engine.register_fn(
        "linspace",
        |a: Dynamic, b: Dynamic, n: i64| -> RhaiResult<Array> {
            let a = finite(num(&a, "linspace: start")?, "linspace: start")?;
            let b = finite(num(&b, "linspace: stop")?, "linspace: stop")?;
            Ok(to_array(&linspace(a, b, count(n)?)))
        },
    );
    docs.add(
        "core",
        "linspace",
        "linspace(start, stop, n) -> array",
        "n evenly spaced floats from start to stop, both included (integers or floats).",
    );
    engine.register_fn(
        "logspace",
        |a: Dynamic, b: Dynamic, n: i64| -> RhaiResult<Array> {
            let a = finite(num(&a, "logspace: start")?, "logspace: start")?;
            let b = finite(num(&b, "logspace: stop")?, "logspace: stop")?;
            Ok(to_array(&logspace(a, b, count(n)?)))
        },
    );
    docs.add(
        "core",
        "logspace",
        "logspace(start, stop, n) -> array",
        "n floats from 10^start to 10^stop, evenly spaced in log10 (logspace(1, 3, 3) = [10, 100, 1000]).",
    );
    engine.register_fn("write_text", |path: &str, text: &str| -> RhaiResult<()> {
        write_text(std::path::Path::new(path), text)
    });
    docs.add(
        "core",
        "write_text",
        "write_text(path, text)",
        "Write text to a file (parent folders created; written whole or not at all), e.g. \
         write_text(\"out/table.json\", result_map.to_json()).",
    );
}

/// Create the parent folders of `path` and write `text` atomically.
fn write_text(path: &std::path::Path, text: &str) -> RhaiResult<()> {
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("write_text: cannot create '{}': {e}", dir.display()))?;
    }
    crate::fits::write_atomic(path, text.as_bytes()).map_err(|e| format!("write_text: {e}").into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linspace_ends_and_step() {
        let v = linspace(0.0, 1.0, 5);
        assert_eq!(v, vec![0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(linspace(2.0, 3.0, 1), vec![2.0]);
        assert!(linspace(2.0, 3.0, 0).is_empty());
    }

    #[test]
    fn logspace_decades() {
        let v = logspace(1.0, 3.0, 3);
        assert!((v[0] - 10.0).abs() < 1e-12);
        assert!((v[1] - 100.0).abs() < 1e-10);
        assert!((v[2] - 1000.0).abs() < 1e-9);
    }

    #[test]
    fn write_text_creates_folders_and_writes_whole() {
        let dir = std::env::temp_dir().join(format!("bayspec-write-text-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let p = dir.join("a/b.json");
        write_text(&p, "{\"x\": 1}").unwrap();
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "{\"x\": 1}");
        let e = write_text(&dir.join("a/b.json/c"), "x")
            .unwrap_err()
            .to_string();
        assert!(e.contains("write_text"), "{e}");
    }
}
