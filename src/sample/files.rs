//! File helpers shared by the samplers and the analysis: atomic writes and the number formats of
//! MultiNest (Fortran `E28.18`) and NumPy text files (`%.18e`).

use crate::error::{Error, Result};
use crate::sample::Draws;
use ndarray::{Array2, ArrayView2, Axis};
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
pub fn posterior_sample_text(labels: &[String], draws: &Draws) -> String {
    let logprob = ArrayView2::from_shape((draws.len(), 1), &draws.logprob)
        .expect("one log-probability per draw");
    let rows = ndarray::concatenate(Axis(1), &[draws.samples.view(), logprob])
        .expect("the sample and its log-probabilities have one row per draw");
    let header = format!("{} logprob", labels.join(" "));
    numpy_text(rows.view(), Some(&header))
}

/// Write `1-posterior_sample.txt` into `dir` (see [`posterior_sample_text`]).
pub fn write_posterior_sample(dir: &Path, labels: &[String], draws: &Draws) -> Result<()> {
    write_text_atomic(
        &dir.join(POSTERIOR_SAMPLE),
        &posterior_sample_text(labels, draws),
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
/// written). Non-finite values are written as `NaN`, `Infinity`, `-Infinity`. The digits are
/// the shortest that read back as the value, zero-padded (see [`Digits`]).
pub fn fortran_e28_18(v: f64) -> String {
    let mut out = String::with_capacity(28);
    push_fortran_e28_18(&mut out, v);
    out
}

/// [`fortran_e28_18`] appended to `out` (no allocation).
pub fn push_fortran_e28_18(out: &mut String, v: f64) {
    let mut body = Digits::new();
    if v.is_nan() {
        body.push_str("NaN");
    } else if v.is_infinite() {
        body.push_str(if v > 0.0 { "Infinity" } else { "-Infinity" });
    } else {
        // d.ddd…e±x → 0.dddd…(18)E±(x+1)
        let (digits, exp) = Digits::shortest(v.abs(), 18);
        let exp = if v == 0.0 { 0 } else { exp + 1 };
        if v < 0.0 {
            body.push_str("-");
        }
        body.push_str("0.");
        body.push_str(digits.as_str());
        push_exponent(&mut body, 'E', exp);
    }
    for _ in body.len..28 {
        out.push(' ');
    }
    out.push_str(body.as_str());
}

/// NumPy's `%.18e` layout: `-1.540773008246362400e+00` (the shortest digits that read back
/// as the value, zero-padded; see [`Digits`]).
pub fn numpy_e18(v: f64) -> String {
    let mut out = String::with_capacity(26);
    push_numpy_e18(&mut out, v);
    out
}

/// [`numpy_e18`] appended to `out` (no allocation).
pub fn push_numpy_e18(out: &mut String, v: f64) {
    if v.is_nan() {
        out.push_str("nan");
        return;
    }
    if v.is_infinite() {
        out.push_str(if v > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let (digits, exp) = Digits::shortest(v.abs(), 19);
    if v.is_sign_negative() && v != 0.0 {
        out.push('-');
    }
    let d = digits.as_str();
    out.push_str(&d[..1]);
    out.push('.');
    out.push_str(&d[1..]);
    let mut e = Digits::new();
    push_exponent(&mut e, 'e', exp);
    out.push_str(e.as_str());
}

/// `E+05`-style exponent: the letter, the sign, at least two digits.
fn push_exponent(out: &mut Digits, letter: char, exp: i32) {
    use std::fmt::Write;
    let _ = write!(
        out,
        "{letter}{}{:02}",
        if exp < 0 { '-' } else { '+' },
        exp.unsigned_abs()
    );
}

/// A short text on the stack (numbers are formatted without allocating).
pub struct Digits {
    buf: [u8; 40],
    len: usize,
}

impl Digits {
    fn new() -> Digits {
        Digits {
            buf: [0; 40],
            len: 0,
        }
    }

    fn push_str(&mut self, s: &str) {
        let n = s.len().min(self.buf.len() - self.len);
        self.buf[self.len..self.len + n].copy_from_slice(&s.as_bytes()[..n]);
        self.len += n;
    }

    fn as_str(&self) -> &str {
        std::str::from_utf8(&self.buf[..self.len]).unwrap_or("")
    }

    /// The shortest decimal digits that read back as `x` (≥ 0, finite; at most 17), padded
    /// with zeros to `n`, and the decimal exponent of the first digit. Exact printing of 18
    /// or 19 digits (what `%.18e` asks for) needs big-number arithmetic for every value and
    /// dominated the cost of writing result files; the digits past the 17th are never needed
    /// to recover the number, so they are written as 0.
    fn shortest(x: f64, n: usize) -> (Digits, i32) {
        use std::fmt::Write;
        let mut digits = Digits::new();
        if x == 0.0 {
            for _ in 0..n {
                digits.push_str("0");
            }
            return (digits, 0);
        }
        let mut s = Digits::new();
        let _ = write!(s, "{x:e}");
        let text = s.as_str();
        let (mant, exp) = text.split_once('e').unwrap_or((text, "0"));
        for part in mant.split('.') {
            digits.push_str(part);
        }
        while digits.len < n {
            digits.push_str("0");
        }
        (digits, exp.parse().unwrap_or(0))
    }
}

impl std::fmt::Write for Digits {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        self.push_str(s);
        Ok(())
    }
}

/// A NumPy text table (`numpy.savetxt` layout, space separated `%.18e`), with an optional
/// `# ` header line naming the columns.
pub fn numpy_text(rows: ArrayView2<'_, f64>, header: Option<&str>) -> String {
    let mut out = String::new();
    if let Some(h) = header {
        out.push_str("# ");
        out.push_str(h);
        out.push('\n');
    }
    // blocks of rows formatted in parallel, joined in order
    use rayon::prelude::*;
    let ncols = rows.ncols();
    let chunks: Vec<ArrayView2<'_, f64>> = rows.axis_chunks_iter(Axis(0), 1024).collect();
    let blocks: Vec<String> = chunks
        .par_iter()
        .map(|block| {
            let mut text = String::with_capacity(block.nrows() * (ncols * 26 + 1));
            for row in block.rows() {
                for (k, &v) in row.iter().enumerate() {
                    if k > 0 {
                        text.push(' ');
                    }
                    push_numpy_e18(&mut text, v);
                }
                text.push('\n');
            }
            text
        })
        .collect();
    out.reserve(blocks.iter().map(String::len).sum());
    for b in &blocks {
        out.push_str(b);
    }
    out
}

/// Parse a whitespace-separated numeric table (lines starting with `#` are skipped; `nan`,
/// `inf`, `-inf`, `Infinity` accepted).
/// Every row must have the same number of values.
pub fn parse_table(text: &str, what: &str) -> Result<Array2<f64>> {
    let mut flat = Vec::new();
    let mut nrows = 0;
    let mut ncols = None;
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
        match ncols {
            None => ncols = Some(row.len()),
            Some(n) if n != row.len() => {
                return Err(Error::new(format!(
                    "{what}: line {}: {} values where the rows above have {n}",
                    i + 1,
                    row.len()
                )))
            }
            Some(_) => {}
        }
        flat.extend(row);
        nrows += 1;
    }
    Array2::from_shape_vec((nrows, ncols.unwrap_or(0)), flat)
        .map_err(|e| Error::new(format!("{what}: {e}")))
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
            "   -0.156214388463554620E+01"
        );
        assert_eq!(
            fortran_e28_18("-295.673985666116664".parse().unwrap()).len(),
            28
        );
        assert_eq!(
            fortran_e28_18("1.97626258336498618e-323".parse().unwrap()).trim(),
            "0.200000000000000000E-322"
        );
        assert_eq!(fortran_e28_18(0.0).trim(), "0.000000000000000000E+00");
        for v in [
            1e-300,
            -2.5e17,
            0.1,
            -std::f64::consts::PI,
            5e-324,
            f64::MAX,
        ] {
            let s = fortran_e28_18(v);
            assert_eq!(s.len(), 28, "{s}");
            assert_eq!(s.trim().replace('E', "e").parse::<f64>().unwrap(), v, "{s}");
        }
    }

    #[test]
    fn numpy_format_round_trips() {
        assert_eq!(numpy_e18(-1.5407730082463624), "-1.540773008246362400e+00");
        assert_eq!(numpy_e18(0.1), "1.000000000000000000e-01");
        assert_eq!(numpy_e18(0.0), "0.000000000000000000e+00");
        assert_eq!(numpy_e18(-0.0), "0.000000000000000000e+00");
        assert_eq!(numpy_e18(1e-300), "1.000000000000000000e-300");
        for v in [1e-300, -2.5e17, 0.1, std::f64::consts::PI] {
            let s = numpy_e18(v);
            assert_eq!(parse_number(&s), Some(v));
        }
    }
}
