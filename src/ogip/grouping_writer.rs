//! Writing a unit's fitting-grid flags into the `GROUPING` column of a copy of its source
//! file (data.md 4.2): all other HDUs, columns and keywords are kept byte for byte; the input
//! file is never modified.

use super::spectrum::Spectrum;
use crate::error::{Error, Result};
use crate::fits::{write_atomic, ElemType, FitsFile};
use std::path::Path;

const BLOCK: usize = 2880;
const CARD: usize = 80;

/// Write `flags` (one per channel: 1 starts a group, −1 continues it, 0 no information) as the
/// `GROUPING` of `spectrum`'s row in a copy of its file at `out`. An existing integer
/// `GROUPING` column is overwritten; a missing one is added (`1I` for Type I, `nI` for a Type
/// II table, where the other rows get all 1). A gzipped input is written uncompressed.
pub fn write_grouping(spectrum: &Spectrum, flags: &[i64], out: &Path) -> Result<()> {
    let file_spec = spectrum.file.as_ref().ok_or_else(|| {
        Error::new(format!(
            "'{}' was built in memory; only a spectrum read from a file can get its grouping written back",
            spectrum.name
        ))
    })?;
    let hdu = spectrum
        .hdu
        .ok_or_else(|| Error::new(format!("'{}': unknown spectrum HDU", spectrum.name)))?;
    if let (Ok(a), Ok(b)) = (
        std::fs::canonicalize(&file_spec.path),
        std::fs::canonicalize(out),
    ) {
        if a == b {
            return Err(Error::new(format!(
                "refusing to overwrite the input file '{}'; name a new file",
                out.display()
            )));
        }
    }
    if out
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("gz"))
    {
        return Err(Error::new(format!(
            "'{}': the copy is written uncompressed; give a name without .gz",
            out.display()
        )));
    }
    let file = FitsFile::open(&file_spec.path)?;
    let label = file.label().to_string();
    let table = file.table(hdu)?;
    let nrows = table.nrows();
    let row_width = table.columns().iter().map(|c| c.width).sum::<usize>();
    let (header_start, data_start, data_len) = file
        .hdu_span(hdu)
        .ok_or_else(|| Error::new(format!("'{label}': no HDU {hdu}")))?;
    // Cells to write: (row, first element) per channel.
    let (repeat, rows_flags): (usize, Vec<(usize, Vec<i64>)>) = match spectrum.row {
        Some(r) => (flags.len(), vec![(r - 1, flags.to_vec())]),
        None => {
            if nrows != flags.len() {
                return Err(Error::new(format!(
                    "'{label}': the table has {nrows} rows but the grouping has {} channels (partial spectra cannot be written back)",
                    flags.len()
                )));
            }
            (1, (0..nrows).map(|r| (r, vec![flags[r]])).collect())
        }
    };
    let bytes = file.bytes();
    let hdu_end = padded(data_start + data_len).min(bytes.len());
    let h = table.header();
    let t = TableBytes {
        label: &label,
        hdu: &bytes[header_start..hdu_end],
        header_len: data_start - header_start,
        data: &bytes[data_start..data_start + data_len],
        row_width,
        nrows,
        tfields: h.i64("TFIELDS").unwrap_or(0),
        theap: h.i64("THEAP"),
    };
    let new_hdu = match table.column("GROUPING") {
        Some(col) => {
            if col.tform.var64.is_some() || col.tform.repeat != repeat {
                return Err(Error::new(format!(
                    "'{label}': the GROUPING column has TFORM '{}', expected {repeat} integer(s) per row",
                    col.tform_text
                )));
            }
            let width = match col.tform.elem {
                ElemType::Short => 2,
                ElemType::Int => 4,
                ElemType::Long => 8,
                _ => {
                    return Err(Error::new(format!(
                        "'{label}': the GROUPING column has TFORM '{}', not an integer type",
                        col.tform_text
                    )))
                }
            };
            if col.tscal != 1.0 || col.tzero != 0.0 {
                return Err(Error::new(format!(
                    "'{label}': the GROUPING column is scaled (TSCAL/TZERO); not supported"
                )));
            }
            let mut new_hdu = t.hdu.to_vec();
            blank_checksums(&mut new_hdu[..t.header_len]);
            for (r, vals) in &rows_flags {
                for (k, &v) in vals.iter().enumerate() {
                    let at = t.header_len + r * row_width + col.offset + k * width;
                    put_int(&mut new_hdu[at..at + width], v);
                }
            }
            new_hdu
        }
        None => with_new_column(&t, hdu, repeat, &rows_flags)?,
    };
    let mut outb = Vec::with_capacity(bytes.len() + BLOCK);
    outb.extend_from_slice(&bytes[..header_start]);
    outb.extend_from_slice(&new_hdu);
    outb.extend_from_slice(&bytes[hdu_end..]);
    write_atomic(out, &outb)
}

/// The spectrum table's bytes and shape, as found in the input file.
struct TableBytes<'a> {
    /// The file, for messages.
    label: &'a str,
    /// The whole HDU: header, data and padding.
    hdu: &'a [u8],
    /// Bytes of the header (padding included).
    header_len: usize,
    /// The data (table and heap, unpadded).
    data: &'a [u8],
    /// NAXIS1.
    row_width: usize,
    /// NAXIS2.
    nrows: usize,
    /// TFIELDS.
    tfields: i64,
    /// THEAP, if given.
    theap: Option<i64>,
}

/// Turn `CHECKSUM`/`DATASUM` cards into blank cards (the data they sum changes).
fn blank_checksums(header: &mut [u8]) {
    for card in header.chunks_mut(CARD) {
        if card.starts_with(b"CHECKSUM") || card.starts_with(b"DATASUM ") {
            card.fill(b' ');
        }
    }
}

fn padded(n: usize) -> usize {
    n.div_ceil(BLOCK) * BLOCK
}

fn put_int(cell: &mut [u8], v: i64) {
    match cell.len() {
        2 => cell.copy_from_slice(&(v as i16).to_be_bytes()),
        4 => cell.copy_from_slice(&(v as i32).to_be_bytes()),
        _ => cell.copy_from_slice(&v.to_be_bytes()),
    }
}

fn int_card(key: &str, v: i64) -> [u8; CARD] {
    let text = format!("{key:<8}= {v:>20}");
    to_card(&text)
}

fn str_card(key: &str, v: &str) -> [u8; CARD] {
    let text = format!("{key:<8}= '{v:<8}'");
    to_card(&text)
}

fn to_card(text: &str) -> [u8; CARD] {
    let mut c = [b' '; CARD];
    let b = text.as_bytes();
    c[..b.len().min(CARD)].copy_from_slice(&b[..b.len().min(CARD)]);
    c
}

/// A copy of the table HDU `hdu` with a 16-bit `GROUPING` column (`repeat` per row) appended.
fn with_new_column(
    t: &TableBytes<'_>,
    hdu: usize,
    repeat: usize,
    rows_flags: &[(usize, Vec<i64>)],
) -> Result<Vec<u8>> {
    let naxis1 = t.row_width;
    let added = 2 * repeat;
    let new_n = t.tfields + 1;

    // Header: rewrite NAXIS1/TFIELDS/THEAP, insert TTYPE/TFORM before END.
    let mut cards: Vec<[u8; CARD]> = Vec::new();
    let mut ended = false;
    for chunk in t.hdu[..t.header_len].chunks(CARD) {
        if chunk.len() < CARD {
            break;
        }
        let key = String::from_utf8_lossy(&chunk[..8]).trim_end().to_string();
        match key.as_str() {
            "NAXIS1" => cards.push(int_card("NAXIS1", (naxis1 + added) as i64)),
            "TFIELDS" => cards.push(int_card("TFIELDS", new_n)),
            "THEAP" => cards.push(int_card(
                "THEAP",
                t.theap.unwrap_or(0) + (added * t.nrows) as i64,
            )),
            // the checksums would no longer match the rewritten HDU
            "CHECKSUM" | "DATASUM" => {}
            "END" => {
                cards.push(str_card(&format!("TTYPE{new_n}"), "GROUPING"));
                cards.push(str_card(&format!("TFORM{new_n}"), &format!("{repeat}I")));
                cards.push(to_card("END"));
                ended = true;
                break;
            }
            _ => {
                let mut c = [b' '; CARD];
                c.copy_from_slice(chunk);
                cards.push(c);
            }
        }
    }
    if !ended {
        return Err(Error::new(format!(
            "'{}' HDU {hdu}: header has no END card",
            t.label
        )));
    }
    let mut out: Vec<u8> = cards.concat();
    out.resize(padded(out.len()), b' ');

    // Data: every row gets its cells plus the new ones; then the heap as it was.
    let table_bytes = naxis1 * t.nrows;
    let mut cells = vec![1i64; repeat * t.nrows];
    for (r, vals) in rows_flags {
        cells[r * repeat..r * repeat + vals.len()].copy_from_slice(vals);
    }
    for r in 0..t.nrows {
        out.extend_from_slice(&t.data[r * naxis1..(r + 1) * naxis1]);
        for &v in &cells[r * repeat..(r + 1) * repeat] {
            out.extend_from_slice(&(v as i16).to_be_bytes());
        }
    }
    out.extend_from_slice(&t.data[table_bytes.min(t.data.len())..]);
    out.resize(padded(out.len()), 0);
    Ok(out)
}
