//! Files a spectrum's header names — `BACKFILE`, `RESPFILE`, `ANCRFILE` (for a Type II row,
//! the row's columns of those names) — found the way XSPEC and Sherpa find them.
//!
//! A name is tried as written (absolute, or relative to the working directory), then relative
//! to the spectrum's folder, then as its base name in that folder (headers often carry absolute
//! paths from the machine that made them), each also with `.gz` added or removed. `none`,
//! `NONE` and a blank value mean "no file". A selection suffix (`{3}`, `[SPECTRUM]`) is kept.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// Whether a header value means "no file".
pub fn is_none_value(value: &str) -> bool {
    let v = value.trim();
    v.is_empty() || v.eq_ignore_ascii_case("none")
}

/// Split `name{3}` / `name[EXT]` into the path and the selection suffix.
fn split_selection(value: &str) -> (&str, &str) {
    let v = value.trim();
    let start = v.rfind('/').map_or(0, |i| i + 1);
    match v[start..].find(['{', '[']) {
        Some(i) if v.ends_with('}') || v.ends_with(']') => v.split_at(start + i),
        _ => (v, ""),
    }
}

/// The paths tried for a header value `path` of a spectrum in folder `dir`, in order, without
/// repeats.
pub fn candidates(path: &str, dir: Option<&Path>) -> Vec<PathBuf> {
    let written = PathBuf::from(path);
    let mut bases = vec![written.clone()];
    if let Some(dir) = dir {
        if written.is_relative() {
            bases.push(dir.join(&written));
        }
        if let Some(name) = written.file_name() {
            bases.push(dir.join(name));
        }
    }
    let mut out: Vec<PathBuf> = Vec::new();
    for b in bases {
        let text = b.to_string_lossy().into_owned();
        let other = match text.strip_suffix(".gz") {
            Some(stem) => PathBuf::from(stem),
            None => PathBuf::from(format!("{text}.gz")),
        };
        for p in [b, other] {
            if !out.contains(&p) {
                out.push(p);
            }
        }
    }
    out
}

/// Resolve the header keyword `keyword` = `value` of the spectrum `spectrum` (its name, for
/// messages) read from `file`: `Ok(None)` when the value means no file, the file spec text to
/// load when a candidate exists, and an error naming the keyword, every path tried and the
/// option that overrides the link when none does.
pub fn follow(
    keyword: &str,
    value: Option<&str>,
    spectrum: &str,
    file: Option<&Path>,
    option: &str,
) -> Result<Option<String>> {
    let Some(value) = value.filter(|v| !is_none_value(v)) else {
        return Ok(None);
    };
    let (path, selection) = split_selection(value);
    let dir = file.and_then(Path::parent);
    let tried = candidates(path, dir);
    if let Some(found) = tried.iter().find(|p| p.is_file()) {
        return Ok(Some(format!("{}{selection}", found.display())));
    }
    let list: Vec<String> = tried.iter().map(|p| p.display().to_string()).collect();
    Err(Error::new(format!(
        "{spectrum}: its header's {keyword} = '{}' names a file that was not found (tried {}); \
         give the file as '{option}', or {option}: \"none\" to do without it",
        value.trim(),
        list.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn selections_and_none_values() {
        assert_eq!(split_selection("a/b/x.pha{3}"), ("a/b/x.pha", "{3}"));
        assert_eq!(split_selection("x.pha[BKG]"), ("x.pha", "[BKG]"));
        assert_eq!(split_selection("/data/x.rmf"), ("/data/x.rmf", ""));
        assert_eq!(split_selection("dir{1}/x.rmf"), ("dir{1}/x.rmf", ""));
        for v in ["none", "NONE", " None ", "", "   "] {
            assert!(is_none_value(v), "{v:?}");
        }
        assert!(!is_none_value("none.pha"));
    }

    #[test]
    fn candidates_try_as_written_then_the_folder_then_the_base_name_with_gz() {
        let c = candidates("/data/anto/xmm/rmf/x.rmf", Some(Path::new("/obs")));
        let c: Vec<String> = c.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            c,
            [
                "/data/anto/xmm/rmf/x.rmf",
                "/data/anto/xmm/rmf/x.rmf.gz",
                "/obs/x.rmf",
                "/obs/x.rmf.gz"
            ]
        );
        let c = candidates("sub/x.arf.gz", Some(Path::new("/obs")));
        let c: Vec<String> = c.iter().map(|p| p.display().to_string()).collect();
        assert_eq!(
            c,
            [
                "sub/x.arf.gz",
                "sub/x.arf",
                "/obs/sub/x.arf.gz",
                "/obs/sub/x.arf",
                "/obs/x.arf.gz",
                "/obs/x.arf"
            ]
        );
    }
}
