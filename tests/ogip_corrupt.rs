//! Corrupt, truncated and hostile FITS input gives errors, never panics or huge allocations.

mod common;

use bayspec::fits::FitsFile;
use bayspec::ogip::{read_response, read_spectrum, FileSpec, SpectrumRole};
use std::path::Path;

/// Try every reader on `bytes` (written to a temp file); all must return without panicking.
fn read_all(bytes: &[u8], dir: &Path) -> usize {
    let p = dir.join("corrupt.fits");
    std::fs::write(&p, bytes).unwrap();
    let spec = FileSpec::parse(p.to_str().unwrap()).unwrap();
    let mut errors = 0;
    errors += read_response(&spec).is_err() as usize;
    errors += read_spectrum(&spec, SpectrumRole::Source).is_err() as usize;
    if let Ok(f) = FitsFile::from_bytes(bytes.to_vec(), "mem") {
        for i in 0..f.len() {
            if let Ok(t) = f.table(i) {
                for c in t.columns().to_vec() {
                    errors += t.read_column(&c).is_err() as usize;
                }
            }
        }
    } else {
        errors += 1;
    }
    errors
}

fn patch_card(bytes: &mut [u8], key: &str, value: &str, nth: usize) {
    let mut seen = 0;
    for i in (0..bytes.len() - 80).step_by(80) {
        if bytes[i..i + 8] == *format!("{key:<8}").as_bytes() {
            if seen == nth {
                let card = format!("{key:<8}= {value:>20}");
                bytes[i..i + 80].fill(b' ');
                bytes[i..i + card.len()].copy_from_slice(card.as_bytes());
                return;
            }
            seen += 1;
        }
    }
    panic!("no card {key}");
}

#[test]
fn truncated_and_bit_flipped_files_do_not_panic() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bayspec_corrupt_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    for rel in ["grb/me.rsp", "chandra/3c273.rmf", "grb/me.src2"] {
        let good = std::fs::read(shared.join("data").join(rel)).unwrap();
        for cut in [0, 10, 2879, 2880, 5000, good.len() / 2, good.len() - 1] {
            assert!(read_all(&good[..cut], &dir) > 0, "{rel} cut at {cut}");
        }
        // Deterministic pseudo-random byte flips anywhere in the file.
        let mut x: u64 = 0x9E3779B97F4A7C15;
        for _ in 0..60 {
            let mut bad = good.clone();
            for _ in 0..8 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let k = (x as usize) % bad.len();
                bad[k] = (x >> 32) as u8;
            }
            read_all(&bad, &dir);
        }
    }
    // A corrupt gzip stream.
    let gz = std::fs::read(shared.join("data/swift/swxpc0to12s6_20130101v014.rmf.gz")).unwrap();
    let mut bad = gz[..gz.len() / 3].to_vec();
    bad[100] ^= 0xff;
    assert!(read_all(&bad, &dir) > 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn absurd_sizes_are_refused_before_allocating() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let dir = std::env::temp_dir().join(format!("bayspec_absurd_{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let good = std::fs::read(shared.join("data/chandra/3c273.rmf")).unwrap();
    for (key, value, nth) in [
        ("NAXIS2", "999999999999999", 0),
        ("NAXIS2", "-5", 1),
        ("PCOUNT", "9000000000000000000", 0),
        ("NAXIS1", "4611686018427387904", 0),
        ("TFIELDS", "100000", 0),
        ("THEAP", "99999999999", 0),
    ] {
        let mut bad = good.clone();
        if key == "THEAP" {
            // Insert THEAP by overwriting the first blank card of the matrix header.
            let hdr = (2880..good.len())
                .step_by(80)
                .find(|&i| bad[i..i + 8] == *b"        ")
                .unwrap();
            let card = format!("THEAP   = {value:>20}");
            bad[hdr..hdr + card.len()].copy_from_slice(card.as_bytes());
        } else {
            patch_card(&mut bad, key, value, nth);
        }
        assert!(read_all(&bad, &dir) > 0, "{key} = {value}");
    }
    // A huge TFORM repeat count.
    let src = std::fs::read(shared.join("data/grb/me.src2")).unwrap();
    let mut bad = src.clone();
    let i = (0..bad.len() - 80)
        .step_by(80)
        .find(|&i| bad[i..i + 30].starts_with(b"TFORM4  = '470D"))
        .unwrap();
    bad[i + 11..i + 15].copy_from_slice(b"9999");
    assert!(read_all(&bad, &dir) > 0);
    // A variable-length descriptor pointing outside the heap: a row of 3c273.rmf.
    let f = FitsFile::open(&shared.join("data/chandra/3c273.rmf")).unwrap();
    let idx = f.find(|h| h.str_is("EXTNAME", "MATRIX"))[0];
    let t = f.table(idx).unwrap();
    let col = t.column("MATRIX").unwrap().clone();
    let data_start = t.data_start();
    drop(t);
    let mut bad = good.clone();
    let p = data_start + col.offset + 4;
    bad[p..p + 4].copy_from_slice(&0x7fff_0000u32.to_be_bytes());
    let g = FitsFile::from_bytes(bad.clone(), "mem").unwrap();
    let e = g.table(idx).unwrap().read_column(&col).unwrap_err();
    assert!(e.to_string().contains("outside the heap"), "{e}");
    assert!(read_all(&bad, &dir) > 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn missing_simple_card_is_tolerated() {
    let Some(shared) = common::shared_dir() else {
        return;
    };
    let good = std::fs::read(shared.join("data/grb/me.rsp")).unwrap();
    // Replace SIMPLE by a comment card: the file still reads.
    let mut bad = good.clone();
    bad[..8].copy_from_slice(b"COMMENT ");
    let f = FitsFile::from_bytes(bad, "nosimple").unwrap();
    assert_eq!(
        f.len(),
        FitsFile::from_bytes(good.clone(), "ok").unwrap().len()
    );
    // A file that starts directly with an extension.
    let ext = good[2880..].to_vec();
    let f = FitsFile::from_bytes(ext, "bare").unwrap();
    assert_eq!(f.len(), 3);
}
