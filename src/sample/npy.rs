//! NumPy array files: `.npy` (format 1.0, little-endian f64, C order) inside an uncompressed
//! `.npz` zip archive, written and read without external crates.

use crate::error::{Error, Result};

/// Bytes of a `.npy` file holding `data` with `shape` (f64, C order).
pub fn npy_bytes(shape: &[usize], data: &[f64]) -> Vec<u8> {
    let dims: Vec<String> = shape.iter().map(|s| s.to_string()).collect();
    let shape_txt = if shape.len() == 1 {
        format!("({},)", dims[0])
    } else {
        format!("({})", dims.join(", "))
    };
    let mut header = format!("{{'descr': '<f8', 'fortran_order': False, 'shape': {shape_txt}, }}");
    let total = 10 + header.len() + 1;
    let pad = (64 - total % 64) % 64;
    header.push_str(&" ".repeat(pad));
    header.push('\n');
    let mut out = Vec::with_capacity(10 + header.len() + data.len() * 8);
    out.extend_from_slice(b"\x93NUMPY\x01\x00");
    out.extend_from_slice(&(header.len() as u16).to_le_bytes());
    out.extend_from_slice(header.as_bytes());
    for v in data {
        out.extend_from_slice(&v.to_le_bytes());
    }
    out
}

/// Parse a `.npy` file of little-endian f64 in C order: (shape, data).
pub fn parse_npy(bytes: &[u8]) -> Result<(Vec<usize>, Vec<f64>)> {
    if bytes.len() < 10 || &bytes[..6] != b"\x93NUMPY" {
        return Err(Error::new("not a .npy array"));
    }
    let (hlen, start) = match bytes[6] {
        1 => (u16::from_le_bytes([bytes[8], bytes[9]]) as usize, 10),
        2 | 3 if bytes.len() >= 12 => (
            u32::from_le_bytes([bytes[8], bytes[9], bytes[10], bytes[11]]) as usize,
            12,
        ),
        v => return Err(Error::new(format!(".npy version {v} not supported"))),
    };
    let header = std::str::from_utf8(bytes.get(start..start + hlen).unwrap_or_default())
        .map_err(|_| Error::new(".npy header is not text"))?;
    if !header.contains("'<f8'") {
        return Err(Error::new(format!(
            ".npy dtype is not little-endian float64: {header}"
        )));
    }
    if header.contains("'fortran_order': True") {
        return Err(Error::new(".npy in Fortran order is not supported"));
    }
    let open = header
        .find("'shape': (")
        .ok_or_else(|| Error::new(".npy header without shape"))?
        + 10;
    let close = header[open..]
        .find(')')
        .ok_or_else(|| Error::new(".npy header: bad shape"))?
        + open;
    let shape = header[open..close]
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| s.parse::<usize>())
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|_| Error::new(".npy header: bad shape"))?;
    let count: usize = shape.iter().product();
    let body = &bytes[start + hlen..];
    if body.len() < count * 8 {
        return Err(Error::new(".npy data is shorter than its shape"));
    }
    let data = body[..count * 8]
        .chunks_exact(8)
        .map(|c| f64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]))
        .collect();
    Ok((shape, data))
}

fn crc32(data: &[u8]) -> u32 {
    let mut table = [0u32; 256];
    for (i, t) in table.iter_mut().enumerate() {
        let mut c = i as u32;
        for _ in 0..8 {
            c = if c & 1 != 0 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
        *t = c;
    }
    let mut crc = 0xFFFF_FFFFu32;
    for &b in data {
        crc = table[((crc ^ u32::from(b)) & 0xFF) as usize] ^ (crc >> 8);
    }
    !crc
}

/// An uncompressed zip archive (what `numpy.savez` writes) holding the given named files.
pub fn zip_stored(files: &[(&str, Vec<u8>)]) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut central = Vec::new();
    for (name, data) in files {
        if data.len() > u32::MAX as usize || out.len() > u32::MAX as usize {
            return Err(Error::new("array too large for a .npz archive"));
        }
        let crc = crc32(data);
        let offset = out.len() as u32;
        let size = data.len() as u32;
        let nb = name.as_bytes();
        // local file header
        out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]); // version, flags, method 0, time, date (1980-01-01)
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&size.to_le_bytes());
        out.extend_from_slice(&(nb.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(nb);
        out.extend_from_slice(data);
        // central directory entry
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0x21, 0]);
        central.extend_from_slice(&crc.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&size.to_le_bytes());
        central.extend_from_slice(&(nb.len() as u16).to_le_bytes());
        central.extend_from_slice(&[0; 12]); // extra, comment, disk, internal attr, external attr
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(nb);
    }
    let cd_offset = out.len() as u32;
    let cd_size = central.len() as u32;
    out.extend_from_slice(&central);
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    out.extend_from_slice(&[0, 0, 0, 0]);
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&(files.len() as u16).to_le_bytes());
    out.extend_from_slice(&cd_size.to_le_bytes());
    out.extend_from_slice(&cd_offset.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    Ok(out)
}

/// Find the stored (uncompressed) member `name` of a zip archive.
pub fn zip_member<'a>(zip: &'a [u8], name: &str) -> Result<&'a [u8]> {
    let mut pos = 0;
    let u16at = |p: usize| u16::from_le_bytes([zip[p], zip[p + 1]]) as usize;
    let u32at =
        |p: usize| u32::from_le_bytes([zip[p], zip[p + 1], zip[p + 2], zip[p + 3]]) as usize;
    while pos + 30 <= zip.len() && u32at(pos) == 0x0403_4b50 {
        let flags = u16at(pos + 6);
        let method = u16at(pos + 8);
        let csize = u32at(pos + 18);
        let nlen = u16at(pos + 26);
        let xlen = u16at(pos + 28);
        let fname = zip.get(pos + 30..pos + 30 + nlen).unwrap_or_default();
        let start = pos + 30 + nlen + xlen;
        if flags & 0x08 != 0 {
            return Err(Error::new(
                "zip archives with data descriptors are not supported",
            ));
        }
        let end = start + csize;
        if end > zip.len() {
            return Err(Error::new("truncated zip archive"));
        }
        if fname == name.as_bytes() {
            if method != 0 {
                return Err(Error::new(format!(
                    "{name} is compressed in the archive (numpy.savez_compressed); not supported"
                )));
            }
            return Ok(&zip[start..end]);
        }
        pos = end;
    }
    Err(Error::new(format!("no {name} in the archive")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn crc_of_known_string() {
        assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
    }

    #[test]
    fn npz_round_trip() {
        let data: Vec<f64> = (0..24).map(|i| i as f64 * 0.5 - 3.0).collect();
        let npy = npy_bytes(&[2, 4, 3], &data);
        assert_eq!((npy.len() - data.len() * 8) % 64, 0);
        let zip = zip_stored(&[("chain.npy", npy)]).unwrap();
        let (shape, back) = parse_npy(zip_member(&zip, "chain.npy").unwrap()).unwrap();
        assert_eq!(shape, vec![2, 4, 3]);
        assert_eq!(back, data);
    }
}
