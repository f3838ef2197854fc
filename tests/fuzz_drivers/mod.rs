//! The code paths the fuzz targets (`fuzz/fuzz_targets/*.rs`) exercise, shared with the
//! regression test `tests/fuzz_regressions.rs` so both run exactly the same code.
//!
//! Each driver returns the error messages it met; it must never panic, whatever the input.
#![allow(dead_code)]

use bayspec::fits::FitsFile;
use bayspec::ogip::{
    read_arf_from_fits, read_response_from_fits, read_spectrum_from_fits, FileSpec, SpectrumRole,
};
use std::path::PathBuf;
use std::sync::OnceLock;

/// A file spec with selections but no file behind it (the bytes are already in memory).
fn spec(ext: Option<&str>, index: Option<usize>) -> FileSpec {
    let mut text = String::from("fuzz.fits");
    if let Some(e) = ext {
        text.push_str(&format!("[{e}]"));
    }
    if let Some(n) = index {
        text.push_str(&format!("{{{n}}}"));
    }
    FileSpec {
        path: PathBuf::from("fuzz.fits"),
        ext: ext.map(str::to_string),
        index,
        text,
    }
}

/// Feed `data` to the FITS reader and then to every OGIP reader: PHA source and background
/// (Type I, Type II rows 1 and 2, HDU selections), RSP/RMF with EBOUNDS (first and second
/// matrix), ARF, and every column of every binary table. Returns all error messages met.
pub fn fits_ogip(data: &[u8]) -> Vec<String> {
    let file = match FitsFile::from_bytes(data.to_vec(), "fuzz.fits") {
        Ok(f) => f,
        Err(e) => return vec![e.to_string()],
    };
    let mut errors = Vec::new();
    let mut note = |r: Result<(), bayspec::Error>| {
        if let Err(e) = r {
            errors.push(e.to_string());
        }
    };
    for (index, role) in [
        (None, SpectrumRole::Source),
        (None, SpectrumRole::Background),
        (Some(1), SpectrumRole::Source),
        (Some(2), SpectrumRole::Background),
    ] {
        note(read_spectrum_from_fits(&file, &spec(None, index), role).map(drop));
    }
    for index in [None, Some(2)] {
        note(read_response_from_fits(&file, &spec(None, index)).map(drop));
    }
    note(read_arf_from_fits(&file, &spec(None, None)).map(drop));
    note(read_spectrum_from_fits(&file, &spec(Some("1"), None), SpectrumRole::Source).map(drop));
    note(
        read_spectrum_from_fits(&file, &spec(Some("BKG"), Some(1)), SpectrumRole::Background)
            .map(drop),
    );
    note(read_response_from_fits(&file, &spec(Some("1"), None)).map(drop));
    for i in 0..file.len() {
        match file.table(i) {
            Ok(t) => {
                for c in t.columns().to_vec() {
                    note(t.read_column(&c).map(drop));
                    note(t.read_strings(&c.name).map(drop));
                }
            }
            Err(e) => note(Err(e)),
        }
    }
    errors
}

/// Script templates for the `options` target: `$F` is replaced by the fuzz text, `$D` by the
/// shared data folder (`shared/data`).
pub const TEMPLATES: &[&str] = &[
    "response(#{$F})",
    "DataUnit(#{ src: \"$D/grb/me.src\", bkg: \"$D/grb/me.bkg\", rsp: \"$D/grb/me.rsp\", $F })",
    "DataUnit(#{$F})",
    "cpl(#{$F})",
    "band(#{$F})",
    "tbabs(#{$F})",
    "Component(#{$F})",
    "Data(#{$F})",
    "Data([$F])",
    "let m = cpl(); m.par[$F]",
    "let m = cpl(); m.par[1].val = $F; m.par[1].value",
    "let m = cpl(); m.par[\"alpha\"].prior = $F; m.par[1].range()",
    "let m = cpl(); m.par[2].frozen_at($F); m.par[2].range()",
    "let m = cpl(); m.cfg[$F]",
    "unif($F)",
    "logunif($F)",
    "norm($F)",
    "lognorm($F)",
    "truncnorm($F)",
    "beta($F)",
    "gamma($F)",
    "plaw($F)",
    "cauchy($F)",
    "let p = unif(-2, 2); [p.ppf($F), p.cdf($F), p.logpdf($F)]",
    "let p = truncnorm($F); [p.median, p.mean, p.std, p.interval(0.9)]",
];

/// Option maps parsed directly (no sampling or fitting runs): multinest, emcee, lmfit, iminuit.
pub const OPTION_PARSERS: usize = 4;

/// The shared test data folder (`BAYSPEC_TEST_DATA/data`, else `shared/data` next to the
/// crate), if present.
fn shared_data() -> Option<PathBuf> {
    static DIR: OnceLock<Option<PathBuf>> = OnceLock::new();
    DIR.get_or_init(|| {
        let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
        std::env::var_os("BAYSPEC_TEST_DATA")
            .map(PathBuf::from)
            .into_iter()
            .chain([here.join("../shared"), here.join("../../shared")])
            .map(|d| d.join("data"))
            .find(|d| d.join("grb/me.src").is_file())
    })
    .clone()
}

/// One engine for all runs, with limits so a runaway fuzz script ends quickly and quietly.
fn engine() -> &'static rhai::Engine {
    static ENGINE: OnceLock<rhai::Engine> = OnceLock::new();
    ENGINE.get_or_init(|| {
        let mut e = bayspec::script::engine();
        e.set_max_operations(20_000)
            .set_max_string_size(4_096)
            .set_max_array_size(4_096)
            .set_max_map_size(256)
            .set_max_call_levels(16)
            .set_max_expr_depths(32, 16);
        e.on_print(|_| {});
        e.on_debug(|_, _, _| {});
        e
    })
}

/// Interpret `data` as `selector byte + UTF-8 text`: the selector picks a template (or one of
/// the option-map parsers), the text is inserted into it and the script evaluated. Returns
/// the error message, if any; `None` when the input is not UTF-8.
pub fn options(data: &[u8]) -> Option<Result<(), String>> {
    let (&selector, rest) = data.split_first()?;
    let text = std::str::from_utf8(rest).ok()?;
    let engine = engine();
    let pick = selector as usize % (TEMPLATES.len() + OPTION_PARSERS);
    if let Some(template) = TEMPLATES.get(pick) {
        let script = if template.contains("$D") {
            let dir = shared_data()?;
            template.replace("$D", &dir.display().to_string())
        } else {
            template.to_string()
        };
        let script = script.replace("$F", text);
        return Some(
            engine
                .eval::<rhai::Dynamic>(&script)
                .map(drop)
                .map_err(|e| e.to_string()),
        );
    }
    let map = match engine.eval::<rhai::Map>(&format!("#{{{text}}}")) {
        Ok(m) => m,
        Err(e) => return Some(Err(e.to_string())),
    };
    use bayspec::script::samplers::{
        emcee_options, iminuit_options, lmfit_options, nested_options,
    };
    let labels = vec!["a".to_string(), "b".to_string()];
    let r = match pick - TEMPLATES.len() {
        0 => nested_options(map, labels).map(drop),
        1 => emcee_options(map, labels, vec![0.0, 1.0]).map(drop),
        2 => lmfit_options(map).map(drop),
        _ => iminuit_options(map).map(drop),
    };
    Some(r.map_err(|e| e.to_string()))
}
