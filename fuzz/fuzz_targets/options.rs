//! Fuzz the script option maps: a selector byte picks a template such as `response(#{…})`,
//! `DataUnit(#{…})`, `cpl(#{…})`, a prior constructor or the multinest/emcee/lmfit/iminuit
//! option parsers, and the rest of the input (UTF-8) is inserted into it. Errors are fine;
//! any panic, timeout or huge allocation is a bug.
#![no_main]

#[path = "../../tests/fuzz_drivers/mod.rs"]
mod fuzz_drivers;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _ = fuzz_drivers::options(data);
});
