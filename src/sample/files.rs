//! File helpers shared by the samplers and the analysis: atomic writes and the number formats of
//! MultiNest (Fortran `E28.18`) and NumPy text files (`%.18e`).

use crate::error::{Error, Result};
use std::path::Path;

/// Create `dir` (and its parents) if missing, with an error naming it.
pub fn ensure_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .map_err(|e| Error::new(format!("cannot create directory {}: {e}", dir.display())))
}

/// The crate's one atomic-write helper (temporary file + rename), re-exported here.
pub use crate::fits::{write_atomic, write_atomic_unflushed};

/// File name of the analysed sample (θ and log-probability per draw).
pub const POSTERIOR_SAMPLE: &str = "1-posterior_sample.txt";

/// The text of `1-posterior_sample.txt`: a `# labels… logprob` header, then one row per draw
/// with θ and its log-probability (NumPy text).
pub fn posterior_sample_text(labels: &[String], samples: &[Vec<f64>], logprob: &[f64]) -> String {
    let rows: Vec<Vec<f64>> = samples
        .iter()
        .zip(logprob)
        .map(|(t, lp)| {
            let mut row = t.clone();
            row.push(*lp);
            row
        })
        .collect();
    let header = format!("{} logprob", labels.join(" "));
    numpy_text(&rows, Some(&header))
}

/// Write `1-posterior_sample.txt` into `dir` (see [`posterior_sample_text`]).
pub fn write_posterior_sample(
    dir: &Path,
    labels: &[String],
    samples: &[Vec<f64>],
    logprob: &[f64],
) -> Result<()> {
    write_text_atomic(
        &dir.join(POSTERIOR_SAMPLE),
        &posterior_sample_text(labels, samples, logprob),
    )
}

/// Result files written together: each atomically and flushed to disk, all at once (one
/// thread per file), so that the flushes' latencies overlap instead of adding up.
#[derive(Debug, Default)]
pub struct WriteBatch {
    files: Vec<(std::path::PathBuf, Vec<u8>)>,
}

impl WriteBatch {
    /// An empty batch.
    pub fn new() -> Self {
        WriteBatch::default()
    }

    /// Add a text file.
    pub fn push(&mut self, path: std::path::PathBuf, text: String) {
        self.files.push((path, text.into_bytes()));
    }

    /// Add a binary file.
    pub fn push_bytes(&mut self, path: std::path::PathBuf, bytes: Vec<u8>) {
        self.files.push((path, bytes));
    }

    /// Write every file; the first error (in the order the files were added) is returned.
    pub fn commit(self) -> Result<()> {
        let results: Vec<Result<()>> = std::thread::scope(|scope| {
            let handles: Vec<_> = self
                .files
                .iter()
                .map(|(p, b)| scope.spawn(move || write_atomic(p, b)))
                .collect();
            handles
                .into_iter()
                .map(|h| {
                    h.join()
                        .unwrap_or_else(|_| Err(Error::new("a file writer thread panicked")))
                })
                .collect()
        });
        results.into_iter().collect()
    }
}

/// Write `text` to `path` atomically.
pub fn write_text_atomic(path: &Path, text: &str) -> Result<()> {
    write_atomic(path, text.as_bytes())
}

/// Read a whole text file, with an error naming it.
pub fn read_text(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::new(format!("cannot read {}: {e}", path.display())))
}

/// Fortran `E28.18` without MultiNest's bug: right-aligned in 28 characters, mantissa `0.` and
/// 18 digits, `E`, signed exponent with at least 2 digits (3 when needed; the `E` is always
/// written). Non-finite values are written as `NaN`, `Infinity`, `-Infinity`.
pub fn fortran_e28_18(v: f64) -> String {
    format!("{:>28}", fortran_e_body(v))
}

fn fortran_e_body(v: f64) -> String {
    if v.is_nan() {
        return "NaN".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "Infinity" } else { "-Infinity" }.into();
    }
    if v == 0.0 {
        return "0.000000000000000000E+00".into();
    }
    // 18 significant digits: d.ddd…(17)e±x  →  0.dddd…(18)E±(x+1)
    let s = format!("{:.17e}", v.abs());
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0) + 1;
    let digits: String = mant.chars().filter(|c| c.is_ascii_digit()).collect();
    let sign = if v < 0.0 { "-" } else { "" };
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{sign}0.{digits}E{esign}{:02}", exp.abs())
}

/// NumPy's `%.18e`: `-1.540773008246362397e+00`.
pub fn numpy_e18(v: f64) -> String {
    if v.is_nan() {
        return "nan".into();
    }
    if v.is_infinite() {
        return if v > 0.0 { "inf" } else { "-inf" }.into();
    }
    let s = format!("{v:.18e}");
    let (mant, exp) = s.split_once('e').unwrap_or((s.as_str(), "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let esign = if exp < 0 { '-' } else { '+' };
    format!("{mant}e{esign}{:02}", exp.abs())
}

/// A NumPy text table (`numpy.savetxt` layout, space separated `%.18e`), with an optional
/// `# ` header line naming the columns.
pub fn numpy_text(rows: &[Vec<f64>], header: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(h) = header {
        out.push_str("# ");
        out.push_str(h);
        out.push('\n');
    }
    // rows formatted in parallel (exact 19-digit formatting is slow), joined in order
    use rayon::prelude::*;
    let lines: Vec<String> = rows
        .par_iter()
        .with_min_len(256)
        .map(|row| {
            let mut line = row
                .iter()
                .map(|&v| numpy_e18(v))
                .collect::<Vec<String>>()
                .join(" ");
            line.push('\n');
            line
        })
        .collect();
    out.reserve(lines.iter().map(String::len).sum());
    for l in &lines {
        out.push_str(l);
    }
    out
}

/// Parse a whitespace-separated numeric table (lines starting with `#` are skipped; `nan`,
/// `inf`, `-inf`, `Infinity` accepted).
pub fn parse_table(text: &str, what: &str) -> Result<Vec<Vec<f64>>> {
    let mut rows = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let row = line
            .split_whitespace()
            .map(parse_number)
            .collect::<Option<Vec<f64>>>()
            .ok_or_else(|| Error::new(format!("{what}: line {}: not a number row", i + 1)))?;
        rows.push(row);
    }
    Ok(rows)
}

fn parse_number(s: &str) -> Option<f64> {
    match s {
        "nan" | "NaN" => Some(f64::NAN),
        "inf" | "Infinity" | "+inf" => Some(f64::INFINITY),
        "-inf" | "-Infinity" => Some(f64::NEG_INFINITY),
        _ => s.replace(['E', 'D'], "e").parse().ok(),
    }
}

/// JSON value of a number: the number, or `null` when it is not finite.
pub fn json_num(v: f64) -> serde_json::Value {
    serde_json::Number::from_f64(v)
        .map(serde_json::Value::Number)
        .unwrap_or(serde_json::Value::Null)
}

/// Pretty JSON text of a value (with a final newline).
pub fn json_text(v: &impl serde::Serialize) -> Result<String> {
    let mut s = serde_json::to_string_pretty(v)
        .map_err(|e| Error::new(format!("cannot serialise JSON: {e}")))?;
    s.push('\n');
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fortran_format_matches_multinest() {
        assert_eq!(
            fortran_e28_18("-1.56214388463554621".parse().unwrap()),
            "   -0.156214388463554621E+01"
        );
        assert_eq!(
            fortran_e28_18("-295.673985666116664".parse().unwrap()).len(),
            28
        );
        assert_eq!(
            fortran_e28_18("1.97626258336498618e-323".parse().unwrap()).trim(),
            "0.197626258336498618E-322"
        );
        assert_eq!(fortran_e28_18(0.0).trim(), "0.000000000000000000E+00");
    }

    #[test]
    fn numpy_format_round_trips() {
        assert_eq!(numpy_e18(-1.5407730082463624), "-1.540773008246362430e+00");
        for v in [1e-300, -2.5e17, 0.1, std::f64::consts::PI] {
            let s = numpy_e18(v);
            assert_eq!(parse_number(&s), Some(v));
        }
    }
}
