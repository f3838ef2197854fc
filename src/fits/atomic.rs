//! Atomic file writes: write to a temporary file in the same directory, then rename.

use crate::error::{Error, Result};
use std::io::Write;
use std::path::Path;

/// Write `bytes` to `path` atomically: the data go to a temporary file next to `path`, which
/// is flushed to disk and then renamed over `path`. A reader never sees a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, true)
}

/// [`write_atomic`] without flushing to disk: a reader (and a later run after the writer was
/// killed) still never sees a half-written file, since the rename happens after the data are
/// written, but after an operating-system crash the new file may be lost. For checkpoints that
/// are replaced every few seconds, where a flush each time (milliseconds apiece) would cost more
/// than the sampling; readers of checkpoints check the sizes they find.
pub fn write_atomic_unflushed(path: &Path, bytes: &[u8]) -> Result<()> {
    write_replacing(path, bytes, false)
}

fn write_replacing(path: &Path, bytes: &[u8], flush: bool) -> Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    let name = path
        .file_name()
        .ok_or_else(|| {
            Error::new(format!(
                "cannot write '{}': not a file name",
                path.display()
            ))
        })?
        .to_string_lossy()
        .into_owned();
    let tmp = dir.join(format!(".{name}.tmp{}", std::process::id()));
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        if flush {
            f.sync_all()?;
        }
        drop(f);
        std::fs::rename(&tmp, path)
    };
    write().map_err(|e| {
        let _ = std::fs::remove_file(&tmp);
        Error::new(format!("cannot write '{}': {e}", path.display()))
    })
}
