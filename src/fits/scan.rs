//! Walking the HDUs of a FITS byte stream with every structural keyword checked.
//!
//! `fitsio-pure` trusts `BITPIX`, `NAXIS`, `NAXISn`, `PCOUNT`, `GCOUNT` and `ZNAXIS` (it sizes
//! vectors from them and casts negative values to huge sizes), so this walk checks them first and
//! then checks each data unit's declared size against the bytes actually present. A hostile or
//! truncated file gives an error naming the keyword, never a panic or a huge allocation.

use crate::error::{Error, Result};
use fitsio_pure::hdu::Hdu;
use fitsio_pure::header::{header_byte_len, parse_header_blocks, Card};
use fitsio_pure::value::Value;

/// FITS block size in bytes.
const BLOCK: usize = 2880;

/// Largest `NAXIS` / `ZNAXIS` / `TFIELDS` the FITS standard allows.
const MAX_AXES: i64 = 999;

/// Parse the HDUs of `bytes` (a whole, uncompressed FITS file); `label` names the file in
/// error messages. Trailing bytes that do not form a header (padding, junk) and extensions of
/// a kind this crate does not read (`FOREIGN`, `A3DTABLE`, …) end the walk; the HDUs before
/// them are kept.
pub(super) fn parse_hdus(bytes: &[u8], label: &str) -> Result<Vec<Hdu>> {
    let len = bytes.len();
    let mut hdus: Vec<Hdu> = Vec::new();
    let mut offset = 0usize;
    let not_fits = |why: &str| Error::new(format!("'{label}' is not a readable FITS file ({why})"));
    while offset < len && len - offset >= BLOCK {
        let index = hdus.len();
        let here = |why: String| Error::new(format!("'{label}' HDU {index}: {why}"));
        let rest = &bytes[offset..];
        let header_len = match header_byte_len(rest) {
            Ok(n) => n,
            Err(_) if index > 0 => break,
            Err(_) => return Err(not_fits("the header has no END card")),
        };
        let cards = match parse_header_blocks(&rest[..header_len]) {
            Ok(c) => c,
            Err(_) if index > 0 => break,
            Err(e) => return Err(not_fits(&format!("unreadable header: {e:?}"))),
        };
        if index == 0 {
            if cards.first().map(|c| c.keyword_str()) != Some("SIMPLE") {
                return Err(not_fits("the primary header does not start with SIMPLE"));
            }
        } else {
            match string_value(&cards, "XTENSION").as_deref() {
                Some("IMAGE" | "TABLE" | "BINTABLE") => {}
                // Not an extension this crate reads: stop here, as other readers do.
                _ => break,
            }
        }
        check_structure(&cards, index == 0).map_err(here)?;
        let data_start = offset + header_len;
        let sizes = describe_sizes(&cards);
        let hdu = Hdu::from_cards(cards, offset, data_start)
            .map_err(|e| here(format!("bad header ({e:?}; {sizes})")))?;
        let available = len - data_start;
        if hdu.data_len > available {
            return Err(here(format!(
                "truncated: the header declares {} bytes of data ({sizes}) but only {available} bytes follow it",
                hdu.data_len
            )));
        }
        // `data_len <= available`, so this cannot overflow.
        offset = data_start + hdu.data_len.div_ceil(BLOCK) * BLOCK;
        hdus.push(hdu);
    }
    if hdus.is_empty() {
        return Err(not_fits("no HDU found"));
    }
    Ok(hdus)
}

/// Check the keywords that size the HDU: `BITPIX` is a FITS value, `NAXIS` (and `ZNAXIS` of a
/// compressed image) is 0..=999, every `NAXISn` is present and ≥ 0, `PCOUNT` and `GCOUNT`
/// are ≥ 0 and `TFIELDS` is 0..=999.
fn check_structure(cards: &[Card], primary: bool) -> std::result::Result<(), String> {
    let bitpix = int_value(cards, "BITPIX").ok_or("missing BITPIX")?;
    if ![8, 16, 32, 64, -32, -64].contains(&bitpix) {
        return Err(format!(
            "BITPIX = {bitpix} is not a FITS data type (8, 16, 32, 64, -32, -64)"
        ));
    }
    let naxis = int_value(cards, "NAXIS").ok_or("missing NAXIS")?;
    if !(0..=MAX_AXES).contains(&naxis) {
        return Err(format!("NAXIS = {naxis} is out of range (0..{MAX_AXES})"));
    }
    for n in 1..=naxis {
        let key = format!("NAXIS{n}");
        let v = int_value(cards, &key).ok_or_else(|| format!("missing {key}"))?;
        if v < 0 {
            return Err(format!("{key} = {v} is negative"));
        }
    }
    for key in ["PCOUNT", "GCOUNT"] {
        if let Some(v) = int_value(cards, key).filter(|&v| v < 0) {
            return Err(format!("{key} = {v} is negative"));
        }
    }
    if let Some(v) = int_value(cards, "TFIELDS").filter(|v| !(0..=MAX_AXES).contains(v)) {
        return Err(format!("TFIELDS = {v} is out of range (0..{MAX_AXES})"));
    }
    let zimage = cards
        .iter()
        .find(|c| c.keyword_str() == "ZIMAGE")
        .is_some_and(|c| matches!(c.value, Some(Value::Logical(true))));
    if !primary && zimage {
        if let Some(z) = int_value(cards, "ZNAXIS").filter(|z| !(0..=MAX_AXES).contains(z)) {
            return Err(format!("ZNAXIS = {z} is out of range (0..{MAX_AXES})"));
        }
    }
    Ok(())
}

/// `NAXIS1 = …, NAXIS2 = …, PCOUNT = …` for messages.
fn describe_sizes(cards: &[Card]) -> String {
    let naxis = int_value(cards, "NAXIS").unwrap_or(0).clamp(0, 3);
    let mut parts: Vec<String> = (1..=naxis)
        .filter_map(|n| {
            let key = format!("NAXIS{n}");
            int_value(cards, &key).map(|v| format!("{key} = {v}"))
        })
        .collect();
    for key in ["PCOUNT", "GCOUNT"] {
        if let Some(v) = int_value(cards, key) {
            parts.push(format!("{key} = {v}"));
        }
    }
    if parts.is_empty() {
        "no axes".into()
    } else {
        parts.join(", ")
    }
}

/// The first integer value of `key` (exact keyword), as `fitsio-pure` reads it.
fn int_value(cards: &[Card], key: &str) -> Option<i64> {
    cards
        .iter()
        .find_map(|c| match (&c.value, c.keyword_str() == key) {
            (Some(Value::Integer(n)), true) => Some(*n),
            _ => None,
        })
}

/// The first string value of `key` (exact keyword), trimmed.
fn string_value(cards: &[Card], key: &str) -> Option<String> {
    cards
        .iter()
        .find_map(|c| match (&c.value, c.keyword_str() == key) {
            (Some(Value::String(s)), true) => Some(s.trim().to_string()),
            _ => None,
        })
}
