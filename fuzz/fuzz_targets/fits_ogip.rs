//! Fuzz the FITS reader and every OGIP reader (PHA Type I/II, background, RSP/RMF + EBOUNDS,
//! ARF) with arbitrary bytes. Any panic, timeout or huge allocation is a bug.
#![no_main]

#[path = "../../tests/fuzz_drivers/mod.rs"]
mod fuzz_drivers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_drivers::fits_ogip(data);
});
