//! File names with an optional HDU selection `[..]` and row / matrix selection `{n}`.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};

/// A file name with optional selections: `path[ext]{n}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileSpec {
    /// The file path as given, without the selections.
    pub path: PathBuf,
    /// `[ext]`: an HDU chosen by `EXTNAME`/`HDUCLAS2` (case-insensitive) or by number (primary = 0).
    pub ext: Option<String>,
    /// `{n}`: 1-based Type II row (spectra) or matrix number (responses).
    pub index: Option<usize>,
    /// The text as given (for messages and tables).
    pub text: String,
}

impl FileSpec {
    /// Parse `"path"`, `"path{n}"`, `"path[ext]"` or `"path[ext]{n}"`. When a file with the
    /// literal name exists, no selection is parsed out of it.
    pub fn parse(text: &str) -> Result<FileSpec> {
        let text = text.trim();
        if text.is_empty() {
            return Err(Error::new("empty file name"));
        }
        let plain = FileSpec {
            path: PathBuf::from(text),
            ext: None,
            index: None,
            text: text.to_string(),
        };
        if Path::new(text).exists() {
            return Ok(plain);
        }
        let mut rest = text;
        let mut index = None;
        if let Some(body) = rest.strip_suffix('}') {
            if let Some(open) = body.rfind('{') {
                let inner = body[open + 1..].trim();
                let n: usize = inner.parse().map_err(|_| {
                    Error::new(format!(
                        "'{text}': the selection {{{inner}}} must be a positive integer (1 = first row/matrix)"
                    ))
                })?;
                if n == 0 {
                    return Err(Error::new(format!(
                        "'{text}': rows and matrices are counted from 1, so {{0}} does not exist"
                    )));
                }
                index = Some(n);
                rest = &body[..open];
            }
        }
        let mut ext = None;
        if let Some(body) = rest.strip_suffix(']') {
            if let Some(open) = body.rfind('[') {
                let inner = body[open + 1..].trim();
                if inner.is_empty() {
                    return Err(Error::new(format!("'{text}': empty HDU selection []")));
                }
                ext = Some(inner.to_string());
                rest = &body[..open];
            }
        }
        if rest.is_empty() {
            return Err(Error::new(format!(
                "'{text}': no file name before the selection"
            )));
        }
        Ok(FileSpec {
            path: PathBuf::from(rest),
            ext,
            index,
            text: text.to_string(),
        })
    }

    /// The base file name with the selections (`me.src2{5}`), for tables.
    pub fn display_name(&self) -> String {
        let base = self
            .path
            .file_name()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| self.path.display().to_string());
        let mut s = base;
        if let Some(e) = &self.ext {
            s.push_str(&format!("[{e}]"));
        }
        if let Some(n) = self.index {
            s.push_str(&format!("{{{n}}}"));
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_selections() {
        let f = FileSpec::parse("dir/me.src2{5}").unwrap();
        assert_eq!(f.path, PathBuf::from("dir/me.src2"));
        assert_eq!(f.index, Some(5));
        assert_eq!(f.display_name(), "me.src2{5}");
        let f = FileSpec::parse("x.pha[BKG]").unwrap();
        assert_eq!(f.ext.as_deref(), Some("BKG"));
        let f = FileSpec::parse("x.pha[2]{3}").unwrap();
        assert_eq!((f.ext.as_deref(), f.index), (Some("2"), Some(3)));
        assert!(FileSpec::parse("x{0}").is_err());
        assert!(FileSpec::parse("x{a}").is_err());
        assert!(FileSpec::parse("").is_err());
        let f = FileSpec::parse("plain.pha").unwrap();
        assert_eq!((f.ext, f.index), (None, None));
    }
}
