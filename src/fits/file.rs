//! A FITS file in memory: bytes (gunzipped if needed) and the parsed HDU list.

use super::header::Header;
use super::scan::parse_hdus;
use super::table::Table;
use crate::error::{Error, Result};
use fitsio_pure::hdu::{Hdu, HduInfo};
use std::path::{Path, PathBuf};

/// Largest file, and largest decompressed size of a gzipped file, accepted (1 GiB: far above
/// any spectrum or response; guards against gzip bombs and devices such as `/dev/zero`).
const MAX_FILE_BYTES: u64 = 1 << 30;

/// A FITS file held in memory with its HDUs parsed.
#[derive(Debug, Clone)]
pub struct FitsFile {
    label: String,
    bytes: Vec<u8>,
    hdus: Vec<Hdu>,
}

/// Folders where a relative path that is not found is also looked for, to say where it is
/// (the running script's folder).
static HINT_DIRS: std::sync::RwLock<Vec<PathBuf>> = std::sync::RwLock::new(Vec::new());

/// Set the folders a not-found relative path is also looked for in (see [`FitsFile::open`]).
pub fn set_hint_dirs(dirs: Vec<PathBuf>) {
    if let Ok(mut h) = HINT_DIRS.write() {
        *h = dirs;
    }
}

/// `"; it exists as X: …"` when the relative `path` exists under a hint folder or under
/// `../shared/data`, else nothing.
fn found_elsewhere(path: &Path) -> String {
    let mut dirs = HINT_DIRS.read().map(|h| h.clone()).unwrap_or_default();
    dirs.push(PathBuf::from("../shared/data"));
    dirs.iter()
        .map(|d| d.join(path))
        .find(|p| p.is_file())
        .map(|p| {
            format!(
                "; it exists as '{}': give that path, or cd() to its folder",
                p.display()
            )
        })
        .unwrap_or_default()
}

impl FitsFile {
    /// Read and parse the file at `path` (gzip detected by its magic bytes). A relative path
    /// that is not found is an error naming the working directory and, when the file exists
    /// under the running script's folder or `../shared/data`, that path.
    pub fn open(path: &Path) -> Result<FitsFile> {
        let label = path.display().to_string();
        let cannot = |e: std::io::Error| {
            if e.kind() == std::io::ErrorKind::NotFound {
                if path.is_relative() {
                    // a relative path is resolved against the working directory: name it
                    let cwd = std::env::current_dir()
                        .map(|d| d.display().to_string())
                        .unwrap_or_else(|_| "?".into());
                    Error::new(format!(
                        "file '{label}' not found (relative to the working directory {cwd}){}",
                        found_elsewhere(path)
                    ))
                } else {
                    Error::new(format!("file '{label}' not found"))
                }
            } else {
                Error::new(format!("cannot read '{label}': {e}"))
            }
        };
        let meta = std::fs::metadata(path).map_err(cannot)?;
        if !meta.is_file() {
            return Err(Error::new(format!("'{label}' is not a regular file")));
        }
        if meta.len() > MAX_FILE_BYTES {
            return Err(Error::new(format!(
                "'{label}' has {} bytes, more than the {MAX_FILE_BYTES} accepted",
                meta.len()
            )));
        }
        let raw = std::fs::read(path).map_err(cannot)?;
        FitsFile::from_bytes(raw, &label)
    }

    /// Parse FITS bytes (gzipped or not); `label` names the source in error messages.
    pub fn from_bytes(raw: Vec<u8>, label: &str) -> Result<FitsFile> {
        let bytes = if raw.len() >= 2 && raw[0] == 0x1f && raw[1] == 0x8b {
            gunzip_bounded(&raw, label)?
        } else {
            raw
        };
        let bytes = with_primary_header(bytes);
        let not_fits =
            |why: String| Error::new(format!("'{label}' is not a readable FITS file ({why})"));
        if bytes.len() < 2880 {
            return Err(not_fits(format!("only {} bytes", bytes.len())));
        }
        // The walk checks every size before `fitsio-pure` uses it; catching a panic is only a
        // last line of defence (a panic there is a bug to fix, and the fuzzer treats it so).
        let hdus = std::panic::catch_unwind(|| parse_hdus(&bytes, label))
            .map_err(|_| not_fits("corrupt header".into()))??;
        Ok(FitsFile {
            label: label.to_string(),
            bytes,
            hdus,
        })
    }

    /// The path or label this file was read from.
    pub fn label(&self) -> &str {
        &self.label
    }

    /// Size in bytes of the (decompressed) file, for bounding what a reader may allocate.
    pub fn byte_len(&self) -> usize {
        self.bytes.len()
    }

    /// Number of HDUs (the primary HDU is number 0).
    pub fn len(&self) -> usize {
        self.hdus.len()
    }

    /// Whether the file has no HDU (never true for a parsed file).
    pub fn is_empty(&self) -> bool {
        self.hdus.is_empty()
    }

    /// The header of HDU `index`.
    pub fn header(&self, index: usize) -> Option<Header<'_>> {
        self.hdus.get(index).map(|h| Header::new(&h.cards))
    }

    /// Whether HDU `index` is a binary table.
    pub fn is_bintable(&self, index: usize) -> bool {
        matches!(
            self.hdus.get(index).map(|h| &h.info),
            Some(HduInfo::BinaryTable { .. })
        )
    }

    /// The file's bytes (decompressed).
    pub fn bytes(&self) -> &[u8] {
        &self.bytes
    }

    /// Byte offsets of HDU `index`: header start, data start and unpadded data length.
    pub fn hdu_span(&self, index: usize) -> Option<(usize, usize, usize)> {
        self.hdus
            .get(index)
            .map(|h| (h.header_start, h.data_start, h.data_len))
    }

    /// The binary table of HDU `index`, with its layout validated against the bytes present.
    pub fn table(&self, index: usize) -> Result<Table<'_>> {
        let hdu = self
            .hdus
            .get(index)
            .ok_or_else(|| Error::new(format!("'{}' has no HDU number {index}", self.label)))?;
        Table::new(self, index, hdu, &self.bytes)
    }

    /// Indices of the HDUs whose header satisfies `pred`, in file order.
    pub fn find(&self, pred: impl Fn(&Header<'_>) -> bool) -> Vec<usize> {
        (0..self.hdus.len())
            .filter(|&i| pred(&Header::new(&self.hdus[i].cards)))
            .collect()
    }

    /// The error for HDU `n` of the file `label` asked for as a binary table when it is not
    /// one: how many HDUs there are when `n` is past the end, else what the HDUs are.
    pub fn not_a_table(&self, label: &str, n: usize) -> crate::error::Error {
        crate::error::Error::new(if n >= self.len() {
            format!(
                "'{label}': there is no HDU [{n}]: the file has {} HDUs, [0]..[{}] ({})",
                self.len(),
                self.len().saturating_sub(1),
                self.describe_hdus()
            )
        } else {
            format!(
                "'{label}': HDU [{n}] is not a binary table (HDUs: {})",
                self.describe_hdus()
            )
        })
    }

    /// A one-line list of the HDUs (`0:PRIMARY, 1:SPECTRUM, 2:EBOUNDS`) for error messages.
    pub fn describe_hdus(&self) -> String {
        (0..self.hdus.len())
            .map(|i| {
                let h = Header::new(&self.hdus[i].cards);
                let name = h.extname().unwrap_or_else(|| {
                    if i == 0 {
                        "PRIMARY".into()
                    } else {
                        "(no EXTNAME)".into()
                    }
                });
                format!("{i}:{name}")
            })
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Decompress gzip data (several members allowed), refusing output beyond `MAX_FILE_BYTES`
/// while it streams, so a small hostile file cannot make it allocate gigabytes.
fn gunzip_bounded(raw: &[u8], label: &str) -> Result<Vec<u8>> {
    gunzip_at_most(raw, label, MAX_FILE_BYTES)
}

fn gunzip_at_most(raw: &[u8], label: &str, max: u64) -> Result<Vec<u8>> {
    use std::io::Read;
    let mut out = Vec::new();
    let mut reader = flate2::read::MultiGzDecoder::new(raw).take(max + 1);
    reader
        .read_to_end(&mut out)
        .map_err(|e| Error::new(format!("'{label}': corrupt gzip data ({e})")))?;
    if out.len() as u64 > max {
        return Err(Error::new(format!(
            "'{label}': decompresses to more than {max} bytes; refused"
        )));
    }
    Ok(out)
}

/// Accept files whose primary header lacks `SIMPLE` (as astropy does): a file starting with
/// `XTENSION` gets an empty primary HDU in front; a first header with another first keyword
/// gets a `SIMPLE = T` card inserted.
fn with_primary_header(bytes: Vec<u8>) -> Vec<u8> {
    if bytes.len() < 80 || bytes.starts_with(b"SIMPLE  ") {
        return bytes;
    }
    let mut simple = [b' '; 80];
    simple[..30].copy_from_slice(b"SIMPLE  =                    T");
    if bytes.starts_with(b"XTENSION") {
        let mut out = Vec::with_capacity(bytes.len() + 2880);
        let mut block = vec![b' '; 2880];
        block[..80].copy_from_slice(&simple);
        let cards: [&[u8]; 3] = [
            b"BITPIX  =                    8",
            b"NAXIS   =                    0",
            b"END",
        ];
        for (i, c) in cards.iter().enumerate() {
            block[(i + 1) * 80..(i + 1) * 80 + c.len()].copy_from_slice(c);
        }
        out.extend_from_slice(&block);
        out.extend_from_slice(&bytes);
        return out;
    }
    // Find the END card of the first header.
    let mut end_card = None;
    let mut i = 0;
    while i + 80 <= bytes.len() {
        if &bytes[i..i + 3] == b"END" && bytes[i + 3..i + 80].iter().all(|&b| b == b' ') {
            end_card = Some(i / 80);
            break;
        }
        i += 80;
    }
    let Some(end_card) = end_card else {
        return bytes;
    };
    let header_len = (end_card + 1).div_ceil(36) * 2880;
    if header_len > bytes.len() {
        return bytes;
    }
    let new_cards = end_card + 2;
    let new_len = new_cards.div_ceil(36) * 2880;
    let mut out = Vec::with_capacity(bytes.len() + 2880);
    out.extend_from_slice(&simple);
    out.extend_from_slice(&bytes[..(end_card + 1) * 80]);
    out.resize(new_len, b' ');
    out.extend_from_slice(&bytes[header_len..]);
    out
}

#[cfg(test)]
mod gzip_tests {
    use super::*;
    use std::io::Write;

    fn gz(data: &[u8]) -> Vec<u8> {
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        e.write_all(data).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn gunzip_stops_at_the_limit() {
        // 8 MB of zeros compress to a few kB: the bound holds while streaming
        let bomb = gz(&vec![0u8; 8 << 20]);
        assert!(bomb.len() < 64 << 10);
        let e = gunzip_at_most(&bomb, "bomb.gz", 1 << 20)
            .unwrap_err()
            .to_string();
        assert!(e.contains("decompresses to more than 1048576 bytes"), "{e}");
        assert_eq!(
            gunzip_at_most(&bomb, "ok.gz", 8 << 20).unwrap().len(),
            8 << 20
        );
        // two members are read as one stream
        let mut two = gz(b"abc");
        two.extend(gz(b"def"));
        assert_eq!(gunzip_at_most(&two, "two.gz", 100).unwrap(), b"abcdef");
    }

    #[test]
    fn devices_are_not_read() {
        let e = FitsFile::open(Path::new("/dev/zero"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("not a regular file"), "{e}");
    }
}
