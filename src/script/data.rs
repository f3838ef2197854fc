//! Rhai binding of the data layer (api.md, Data): `DataUnit(#{…})`, `Data([...])`,
//! `response(#{…})`, `simulate(model, #{…})`, their read-only properties and printing.
//!
//! The script types are cheap handles around immutable data-layer objects; the unit's
//! nuisance parameters are shared [`Par`] handles, so `unit.par["rf"]` changes what the unit
//! (and every copy of it, e.g. the one stored in a `Data`) reports. No science lives here.

use super::docs::{keys_usage, Docs};
use super::options::OptKind::{Float, Int, Str};
use super::options::OptKind::{FloatPair, Map as MapKind, Other, Path as PathKind, Seed};
use super::options::{as_f64, err, lift, num_vec, to_array, OptionSpec, Options, RhaiResult};
use crate::data::response::{synthetic, AreaCurve, SyntheticSpec};
use crate::data::rule_options::{self, MIN_COUNTS, MIN_EVT};
use crate::data::{
    notc_from_pair, notc_from_ranges, simulate as simulate_counts, ArfInput, BackgroundSpec, Data,
    DataUnit, DataUnitOptions, GridKind, GroupingRule, ResponseInput, SharedResponse,
    SimulateOptions, SpectrumInput,
};
use crate::model::{Model, Par};
use crate::ogip::{read_response, FileSpec, Response};
use rhai::{Array, Dynamic, Engine, Map};
use std::path::{Path, PathBuf};
use std::sync::Arc;

// ---------------------------------------------------------------------------------------------
// Option tables
// ---------------------------------------------------------------------------------------------

// DataUnit (data.md 2.1)
const SRC: OptionSpec = OptionSpec::new(
    "src",
    Str,
    "required",
    "source spectrum: \"me.src\", a Type II row \"me.src2{3}\", or \"x.pha[HDU]\"",
);
const BKG: OptionSpec = OptionSpec::new(
    "bkg",
    Other("string | ()"),
    "header BACKFILE",
    "background spectrum; () or \"none\" refuses the header's",
);
const RSP: OptionSpec = OptionSpec::new(
    "rsp",
    Other("string | Response"),
    "header RESPFILE",
    "full response: a file or response(#{...})",
);
const RMF: OptionSpec = OptionSpec::new(
    "rmf",
    Other("string | Response"),
    "header RESPFILE",
    "redistribution matrix (with arf)",
);
const ARF: OptionSpec = OptionSpec::new("arf", Str, "header ANCRFILE", "effective area (with rmf)");
const NOTC: OptionSpec = OptionSpec::new(
    "notc",
    Other("ranges"),
    "every channel",
    "noticed energy ranges (keV): [lo, hi] or [[lo, hi], ...]",
);
const STAT: OptionSpec = OptionSpec::new(
    "stat",
    Str,
    "pgstat",
    "fit statistic: chi2, pstat, cstat, pgstat, ULppstat, ULpgstat (help(\"statistics\"))",
);
const GRPG: OptionSpec = OptionSpec::new(
    "grpg",
    MapKind,
    "file GROUPING",
    "fitting-grid rule (keys below)",
);
const REBN: OptionSpec = OptionSpec::new(
    "rebn",
    MapKind,
    "fitting grid",
    "display-grid rule (keys below)",
);
const UNIT_TIME: OptionSpec =
    OptionSpec::new("time", Float, "none", "time (s) for time-dependent models");
const WEIGHT: OptionSpec = OptionSpec::new("weight", Float, "1", "likelihood weight");

/// Options of `DataUnit(#{…})`.
pub const DATA_UNIT_OPTIONS: &[OptionSpec] = &[
    SRC, BKG, RSP, RMF, ARF, NOTC, STAT, GRPG, REBN, UNIT_TIME, WEIGHT,
];

// response
const PRESET: OptionSpec = OptionSpec::new(
    "preset",
    Str,
    "nai",
    "starting values: \"nai\" (128 channels, 4-2000 keV) or \"bgo\" (150-45000 keV)",
);
const NAME: OptionSpec = OptionSpec::new("name", Str, "preset's", "response name");
const ENERGY_RANGE: OptionSpec = OptionSpec::new(
    "energy_range",
    FloatPair,
    "preset's",
    "photon energy range [lo, hi] (keV), log-spaced bins",
);
const N_ENERGY: OptionSpec =
    OptionSpec::new("n_energy", Int, "preset's", "number of photon energy bins");
const CHANNEL_RANGE: OptionSpec = OptionSpec::new(
    "channel_range",
    FloatPair,
    "preset's",
    "channel energy range [lo, hi] (keV), log-spaced channels",
);
const N_CHANNELS: OptionSpec = OptionSpec::new("n_channels", Int, "preset's", "number of channels");
const AREA: OptionSpec = OptionSpec::new(
    "area",
    Other("number | [[E, A], ...]"),
    "preset's",
    "effective area: cm², or [[energy, area], ...] interpolated log-log",
);
const FWHM_FRACTION: OptionSpec = OptionSpec::new(
    "fwhm_fraction",
    Float,
    "preset's",
    "FWHM / E at fwhm_ref_energy",
);
const FWHM_REF_ENERGY: OptionSpec = OptionSpec::new(
    "fwhm_ref_energy",
    Float,
    "preset's",
    "reference energy (keV) of the resolution",
);
const FWHM_INDEX: OptionSpec = OptionSpec::new(
    "fwhm_index",
    Float,
    "preset's",
    "power of E / fwhm_ref_energy in FWHM(E)",
);
const TELESCOP: OptionSpec = OptionSpec::new("telescop", Str, "SYNTHETIC", "TELESCOP keyword");
const INSTRUME: OptionSpec = OptionSpec::new("instrume", Str, "preset's", "INSTRUME keyword");

/// Options of `response(#{…})`.
pub const RESPONSE_OPTIONS: &[OptionSpec] = &[
    PRESET,
    NAME,
    ENERGY_RANGE,
    N_ENERGY,
    CHANNEL_RANGE,
    N_CHANNELS,
    AREA,
    FWHM_FRACTION,
    FWHM_REF_ENERGY,
    FWHM_INDEX,
    TELESCOP,
    INSTRUME,
];

// simulate
const SIM_RSP: OptionSpec = OptionSpec::new(
    "rsp",
    Other("string | Response"),
    "required",
    "response file, or response(#{...}) (then also written to <out>.rsp)",
);
const SIM_EXPOSURE: OptionSpec =
    OptionSpec::new("exposure", Float, "required", "source exposure (s)");
const SIM_BKG: OptionSpec = OptionSpec::new(
    "bkg",
    Other("number | array | map"),
    "none",
    "background rate (counts/s per channel): one number, one per channel, or #{ rate, exposure }",
);
const SIM_SEED: OptionSpec = OptionSpec::new(
    "seed",
    Seed,
    "random",
    "seed of the Poisson draws (the one used is returned)",
);
const SIM_OUT: OptionSpec = OptionSpec::new(
    "out",
    PathKind,
    "required",
    "output stem: writes <out>.pha (and <out>_bkg.pha)",
);
const SIM_TIME: OptionSpec =
    OptionSpec::new("time", Float, "none", "time (s) for time-dependent models");

/// Options of `simulate(model, #{…})`.
pub const SIMULATE_OPTIONS: &[OptionSpec] =
    &[SIM_RSP, SIM_EXPOSURE, SIM_BKG, SIM_SEED, SIM_OUT, SIM_TIME];

// the map form of simulate's bkg
const BKG_RATE: OptionSpec = OptionSpec::new(
    "rate",
    Other("number | array"),
    "required",
    "background rate (counts/s per channel): one number or one per channel",
);
const BKG_EXPOSURE: OptionSpec = OptionSpec::new(
    "exposure",
    Float,
    "source exposure",
    "background exposure (s)",
);

/// Options of the map form of `simulate`'s `bkg`.
pub const SIMULATE_BKG_OPTIONS: &[OptionSpec] = &[BKG_RATE, BKG_EXPOSURE];

// ---------------------------------------------------------------------------------------------
// Handle types
// ---------------------------------------------------------------------------------------------

/// Script type `DataUnit`: a cheap, immutable handle to a built [`DataUnit`].
///
/// Cloning the handle clones an `Arc`. The unit's nuisance parameters are [`Par`] handles
/// shared by every clone of the unit, so the inference layer may take a [`unit`](Self::unit)
/// copy (cheap enough once per fit) or borrow through [`get`](Self::get) / [`arc`](Self::arc).
#[derive(Debug, Clone)]
pub struct DataUnitHandle(Arc<DataUnit>);

impl DataUnitHandle {
    /// Wrap a built unit.
    pub fn new(unit: DataUnit) -> Self {
        DataUnitHandle(Arc::new(unit))
    }

    /// The unit, borrowed.
    pub fn get(&self) -> &DataUnit {
        &self.0
    }

    /// A copy of the unit (shares its nuisance `Par` handles with this one).
    pub fn unit(&self) -> DataUnit {
        (*self.0).clone()
    }

    /// The shared pointer itself.
    pub fn arc(&self) -> Arc<DataUnit> {
        self.0.clone()
    }
}

/// Script type `Data`: a cheap, immutable handle to a [`Data`] collection.
///
/// The stored units are copies of the units given to `Data([...])` that share their nuisance
/// parameters with them (`data["nai"].par["rf"]` is `nai.par["rf"]`).
#[derive(Debug, Clone)]
pub struct DataHandle(Arc<Data>);

impl DataHandle {
    /// Wrap a collection.
    pub fn new(data: Data) -> Self {
        DataHandle(Arc::new(data))
    }

    /// The collection, borrowed.
    pub fn get(&self) -> &Data {
        &self.0
    }

    /// A copy of the collection (units share their nuisance `Par` handles with this one).
    pub fn data(&self) -> Data {
        (*self.0).clone()
    }

    /// The shared pointer itself.
    pub fn arc(&self) -> Arc<Data> {
        self.0.clone()
    }
}

/// Script type `Response`: a cheap handle to an OGIP response (e.g. from `response(#{…})`).
#[derive(Debug, Clone)]
pub struct ResponseHandle(SharedResponse);

impl ResponseHandle {
    /// Wrap a response (with fresh `rf`, `ra`, `dec`).
    pub fn new(response: Response) -> Self {
        ResponseHandle(SharedResponse::new(response))
    }

    /// The response, borrowed.
    pub fn get(&self) -> &Response {
        &self.0.response
    }

    /// A copy of the response.
    pub fn response(&self) -> Response {
        (*self.0.response).clone()
    }

    /// The response with its parameters, as units built from it share them.
    pub fn shared(&self) -> SharedResponse {
        self.0.clone()
    }
}

/// One row of a [`NuisancePars`] list.
#[derive(Debug, Clone)]
pub struct NuisanceRow {
    /// Unit name (`-` for a unit outside any `Data`).
    pub component: String,
    /// Parameter label: `sf`, `bf`, `rf`, `ra` or `dec`.
    pub label: &'static str,
    /// The shared parameter handle.
    pub par: Par,
}

/// Script type `NuisancePars`: what `unit.par` / `data.par` return; indexed from 1
/// (`unit.par[3]`) or by label (`unit.par["rf"]`).
#[derive(Debug, Clone)]
pub struct NuisancePars(Vec<NuisanceRow>);

impl NuisancePars {
    /// The nuisance parameters of one unit, in order `sf, bf, rf, ra, dec`.
    pub fn of_unit(unit: &DataUnit) -> Self {
        let name = unit.name().unwrap_or("-").to_string();
        NuisancePars(
            unit.nuisance_pars()
                .into_iter()
                .map(|(label, par)| NuisanceRow {
                    component: name.clone(),
                    label,
                    par,
                })
                .collect(),
        )
    }

    /// The nuisance parameters of every unit of a collection, five per unit, in unit order.
    pub fn of_data(data: &Data) -> Self {
        NuisancePars(
            data.iter()
                .flat_map(|u| NuisancePars::of_unit(u).0)
                .collect(),
        )
    }

    /// The rows.
    pub fn rows(&self) -> &[NuisanceRow] {
        &self.0
    }

    /// Parameter number `k` (1-based).
    pub fn by_index(&self, k: i64) -> RhaiResult<Par> {
        let n = self.0.len();
        if k < 1 || k as usize > n {
            return err(format!(
                "par[{k}]: parameters are numbered 1 to {n} (sf, bf, rf, ra, dec per unit)"
            ));
        }
        Ok(self.0[k as usize - 1].par.clone())
    }

    /// The parameter with label `label` (unique within the list).
    pub fn by_label(&self, label: &str) -> RhaiResult<Par> {
        let hits: Vec<&NuisanceRow> = self.0.iter().filter(|r| r.label == label).collect();
        match hits.as_slice() {
            [one] => Ok(one.par.clone()),
            [] => err(format!(
                "par[\"{label}\"]: no such parameter; the labels are sf, bf, rf, ra, dec"
            )),
            many => err(format!(
                "par[\"{label}\"]: {} units have this parameter; use data[\"name\"].par[\"{label}\"] or a number",
                many.len()
            )),
        }
    }

    /// The table shown by `print`.
    pub fn table(&self) -> String {
        let mut t = crate::data::par_table();
        for (k, r) in self.0.iter().enumerate() {
            t.add_row(crate::data::par_row(k + 1, &r.component, r.label, &r.par));
        }
        t.to_string()
    }
}

// ---------------------------------------------------------------------------------------------
// Option parsing
// ---------------------------------------------------------------------------------------------

fn with_owner(owner: &str, e: crate::Error) -> crate::Error {
    if e.message().starts_with(owner) {
        e
    } else {
        e.context(owner)
    }
}

fn notc_value(v: &Dynamic) -> RhaiResult<Vec<[f64; 2]>> {
    let shape = "[lo, hi] or [[lo, hi], ...] (keV)";
    let what = format!("DataUnit: option '{}'", NOTC.key);
    let Some(arr) = v.clone().try_cast::<Array>() else {
        return err(format!("{what} must be {shape}, not {}", v.type_name()));
    };
    let nested = arr.iter().filter(|x| x.is_array()).count();
    let r = if nested == 0 {
        let pair = num_vec(&arr, &what)?;
        notc_from_pair(&pair)
    } else if nested == arr.len() {
        let ranges = arr
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let a = r.clone().try_cast::<Array>().unwrap_or_default();
                num_vec(&a, &format!("{what}[{i}]"))
            })
            .collect::<RhaiResult<Vec<_>>>()?;
        notc_from_ranges(&ranges)
    } else {
        return err(format!("{what} mixes numbers and ranges; give {shape}"));
    };
    lift(r.map_err(|e| e.context("DataUnit")))
}

fn grouping_rule(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<GroupingRule>> {
    let Some(m) = o.map(spec)? else {
        return Ok(None);
    };
    let owner = format!("DataUnit: {}", spec.key);
    let r = Options::new(&owner, m, rule_options::TABLE)?;
    let mut rule = GroupingRule::default();
    if let Some(s) = r.string(&rule_options::METHOD)? {
        lift(rule.set_method(&s).map_err(|e| e.context(&owner)))?;
    }
    if r.has(&MIN_EVT) && r.has(&MIN_COUNTS) {
        return err(format!(
            "{owner}: give {} or its alias {}, not both",
            MIN_EVT.key, MIN_COUNTS.key
        ));
    }
    // every other key is a number the data layer sets by name
    for k in rule_options::TABLE
        .iter()
        .filter(|k| k.key != rule_options::METHOD.key)
    {
        if let Some(v) = r.f64(k)? {
            lift(rule.set_number(k.key, v).map_err(|e| e.context(&owner)))?;
        }
    }
    lift(rule.validate().map_err(|e| e.context(&owner)))?;
    Ok(Some(rule))
}

fn response_input(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<ResponseInput>> {
    match o.raw(spec)? {
        None => Ok(None),
        Some(v) if v.is_string() => Ok(Some(ResponseInput::File(v.to_string()))),
        Some(v) => match v.clone().try_cast::<ResponseHandle>() {
            Some(h) => Ok(Some(ResponseInput::Shared(h.shared()))),
            None => err(format!(
                "{} must be a file name or a Response, not {}",
                o.what(spec),
                v.type_name()
            )),
        },
    }
}

/// Parse the option map of `DataUnit(#{…})` (unknown keys are errors).
pub fn unit_options(map: Map) -> RhaiResult<DataUnitOptions> {
    let o = Options::new("DataUnit", map, DATA_UNIT_OPTIONS)?;
    Ok(DataUnitOptions {
        src: o.string(&SRC)?.map(SpectrumInput::File),
        // bkg: () or "none" refuses a background the source's header names
        bkg: match o.raw(&BKG)? {
            Some(v) if v.is_unit() => Some(SpectrumInput::None),
            _ => o.string(&BKG)?.map(|b| {
                if crate::data::links::is_none_value(&b) {
                    SpectrumInput::None
                } else {
                    SpectrumInput::File(b)
                }
            }),
        },
        rsp: response_input(&o, &RSP)?,
        rmf: response_input(&o, &RMF)?,
        arf: o.string(&ARF)?.map(ArfInput::File),
        notc: match o.raw(&NOTC)? {
            None => None,
            Some(v) => Some(notc_value(v)?),
        },
        stat: o.string(&STAT)?,
        grpg: grouping_rule(&o, &GRPG)?,
        rebn: grouping_rule(&o, &REBN)?,
        time: o.f64(&UNIT_TIME)?,
        weight: o.f64(&WEIGHT)?,
    })
}

/// Build a unit from its option map and print its warnings to stderr once.
pub fn build_unit(map: Map) -> RhaiResult<DataUnitHandle> {
    let opts = unit_options(map)?;
    let unit = lift(DataUnit::new(opts).map_err(|e| with_owner("DataUnit", e)))?;
    for n in unit.notes() {
        eprintln!("note: DataUnit: {n}");
    }
    for w in unit.warnings() {
        eprintln!("warning: DataUnit: {w}");
    }
    Ok(DataUnitHandle::new(unit))
}

fn data_from_items(items: Array) -> RhaiResult<DataHandle> {
    let mut pairs = Vec::with_capacity(items.len());
    for (i, item) in items.into_iter().enumerate() {
        let what = item.type_name();
        let Some(pair) = item.try_cast::<Array>() else {
            return err(format!(
                "Data: item {i} must be a pair [name, DataUnit], not {what}"
            ));
        };
        if pair.len() != 2 {
            return err(format!(
                "Data: item {i} must be a pair [name, DataUnit], but it has {} elements",
                pair.len()
            ));
        }
        if !pair[0].is_string() {
            return err(format!(
                "Data: item {i}: the name must be a string, not {}",
                pair[0].type_name()
            ));
        }
        let name = pair[0].to_string();
        let Some(unit) = pair[1].clone().try_cast::<DataUnitHandle>() else {
            return err(format!(
                "Data: item {i} ('{name}'): the second element must be a DataUnit, not {}",
                pair[1].type_name()
            ));
        };
        pairs.push((name, unit.unit()));
    }
    Ok(DataHandle::new(lift(Data::from_pairs(pairs))?))
}

fn data_from_map(map: Map) -> RhaiResult<DataHandle> {
    let mut pairs = Vec::with_capacity(map.len());
    for (name, v) in map {
        let Some(unit) = v.clone().try_cast::<DataUnitHandle>() else {
            return err(format!(
                "Data: '{name}' must be a DataUnit, not {}",
                v.type_name()
            ));
        };
        pairs.push((name.to_string(), unit.unit()));
    }
    Ok(DataHandle::new(lift(Data::from_pairs(pairs))?))
}

fn range_pair(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<(f64, f64)>> {
    match o.f64_vec(spec)? {
        None => Ok(None),
        Some(v) if v.len() == 2 => Ok(Some((v[0], v[1]))),
        Some(v) => err(format!(
            "response: option '{}' must be [lo, hi] (keV), got {} numbers",
            spec.key,
            v.len()
        )),
    }
}

fn area_curve(v: &Dynamic, what: &str) -> RhaiResult<AreaCurve> {
    if let Some(a) = as_f64(v) {
        return Ok(AreaCurve::Constant(a));
    }
    let Some(arr) = v.clone().try_cast::<Array>() else {
        return err(format!(
            "{what} must be a number (cm²) or [[energy, area], ...], not {}",
            v.type_name()
        ));
    };
    let points = arr
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let a = p.clone().try_cast::<Array>().unwrap_or_default();
            match num_vec(&a, &format!("{what}[{i}]"))?.as_slice() {
                [e, y] => Ok((*e, *y)),
                _ => err(format!("{what}[{i}] must be a pair [energy keV, area cm²]")),
            }
        })
        .collect::<RhaiResult<Vec<(f64, f64)>>>()?;
    Ok(AreaCurve::Table(points))
}

/// Parse the option map of `response(#{…})` into a synthetic-response description.
pub fn response_spec(map: Map) -> RhaiResult<SyntheticSpec> {
    let o = Options::new("response", map, RESPONSE_OPTIONS)?;
    let mut spec = match o.string(&PRESET)?.as_deref() {
        None | Some("nai") => SyntheticSpec::gbm_nai(),
        Some("bgo") => SyntheticSpec::gbm_bgo(),
        Some(other) => {
            return err(format!(
                "response: unknown preset '{other}'; accepted presets are: nai, bgo"
            ))
        }
    };
    o.set(&NAME, &mut spec.name)?;
    if let Some(r) = range_pair(&o, &ENERGY_RANGE)? {
        spec.energy_range = r;
    }
    o.set(&N_ENERGY, &mut spec.n_energy)?;
    if let Some(r) = range_pair(&o, &CHANNEL_RANGE)? {
        spec.channel_range = r;
    }
    o.set(&N_CHANNELS, &mut spec.n_channels)?;
    if let Some(v) = o.raw(&AREA)? {
        spec.area = area_curve(v, &o.what(&AREA))?;
    }
    o.set(&FWHM_FRACTION, &mut spec.fwhm_fraction)?;
    o.set(&FWHM_REF_ENERGY, &mut spec.fwhm_ref_energy)?;
    o.set(&FWHM_INDEX, &mut spec.fwhm_index)?;
    o.set(&TELESCOP, &mut spec.telescop)?;
    o.set(&INSTRUME, &mut spec.instrume)?;
    Ok(spec)
}

fn background_spec(v: &Dynamic, n_channels: usize, exposure: f64) -> RhaiResult<BackgroundSpec> {
    let rates = |d: &Dynamic, what: &str| -> RhaiResult<Vec<f64>> {
        if let Some(r) = as_f64(d) {
            return Ok(vec![r; n_channels]);
        }
        match d.clone().try_cast::<Array>() {
            Some(a) => num_vec(&a, what),
            None => err(format!(
                "{what} must be a rate (counts/s per channel) or an array of rates, not {}",
                d.type_name()
            )),
        }
    };
    if let Some(m) = v.clone().try_cast::<Map>() {
        let o = Options::new("simulate: bkg", m, SIMULATE_BKG_OPTIONS)?;
        let rate = match o.raw(&BKG_RATE)? {
            Some(r) => rates(r, &format!("simulate: {}.{}", SIM_BKG.key, BKG_RATE.key))?,
            None => {
                return err(format!(
                    "simulate: {} needs '{}' (counts/s per channel)",
                    SIM_BKG.key, BKG_RATE.key
                ))
            }
        };
        return Ok(BackgroundSpec {
            rate,
            exposure: o.f64(&BKG_EXPOSURE)?.unwrap_or(exposure),
        });
    }
    Ok(BackgroundSpec {
        rate: rates(v, &format!("simulate: option '{}'", SIM_BKG.key))?,
        exposure,
    })
}

fn path_text(p: &Path) -> Dynamic {
    Dynamic::from(p.display().to_string())
}

/// `simulate(model, #{…})`: integrate the model over the response's photon bins, draw Poisson
/// counts and write the files; returns `#{ src, bkg, rsp, seed }`.
pub fn simulate_model(model: &Model, map: Map) -> RhaiResult<Map> {
    let o = Options::new("simulate", map, SIMULATE_OPTIONS)?;
    let Some(out) = o.path(&SIM_OUT)? else {
        return err(format!(
            "{} (output stem, e.g. \"sim/grb\") is required",
            o.what(&SIM_OUT)
        ));
    };
    let Some(exposure) = o.f64(&SIM_EXPOSURE)? else {
        return err(format!("{} (s) is required", o.what(&SIM_EXPOSURE)));
    };
    let rsp_what = format!("simulate: {}", SIM_RSP.key);
    let (response, rsp_path, to_write) = match o.raw(&SIM_RSP)? {
        None => {
            return err(format!(
                "{} (a response file or response(#{{...}})) is required",
                o.what(&SIM_RSP)
            ))
        }
        Some(v) if v.is_string() => {
            let text = v.to_string();
            let spec = lift(FileSpec::parse(&text).map_err(|e| e.context(&rsp_what)))?;
            let r = lift(read_response(&spec).map_err(|e| e.context(&rsp_what)))?;
            (r, spec.path.clone(), false)
        }
        Some(v) => match v.clone().try_cast::<ResponseHandle>() {
            Some(h) => {
                let mut p = out.as_os_str().to_owned();
                p.push(".rsp");
                (h.response(), PathBuf::from(p), true)
            }
            None => {
                return err(format!(
                    "{} must be a file name or a Response, not {}",
                    o.what(&SIM_RSP),
                    v.type_name()
                ))
            }
        },
    };
    let time = o.f64(&SIM_TIME)?;
    let flux = lift(
        model
            .integrate_bins(&response.energ_lo, &response.energ_hi, time)
            .map_err(|e| e.context("simulate")),
    )?;
    let background = match o.raw(&SIM_BKG)? {
        None => None,
        Some(v) => Some(background_spec(v, response.n_channels(), exposure)?),
    };
    let seed = match o.u64(&SIM_SEED)? {
        Some(s) => s,
        None => rand::random::<u64>() >> 1,
    };
    let same_dir = rsp_path.parent() == out.parent();
    let respfile = if same_dir {
        rsp_path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
    } else {
        Some(
            std::fs::canonicalize(&rsp_path)
                .unwrap_or_else(|_| rsp_path.clone())
                .display()
                .to_string(),
        )
    };
    let opts = SimulateOptions {
        exposure,
        background,
        seed,
        out,
        respfile,
    };
    let files = lift(simulate_counts(&flux, &response, &opts))?;
    if to_write {
        lift(response.save(&rsp_path).map_err(|e| e.context("simulate")))?;
    }
    let mut result = Map::new();
    result.insert("src".into(), path_text(&files.src));
    result.insert(
        "bkg".into(),
        files.bkg.as_deref().map(path_text).unwrap_or(Dynamic::UNIT),
    );
    result.insert("rsp".into(), path_text(&rsp_path));
    result.insert("seed".into(), Dynamic::from_int(seed as i64));
    Ok(result)
}

fn string_array(v: &[String]) -> Array {
    v.iter().map(|s| Dynamic::from(s.clone())).collect()
}

fn rows_array(values: &[f64], ncol: usize) -> Array {
    values
        .chunks(ncol.max(1))
        .map(|row| Dynamic::from_array(to_array(row)))
        .collect()
}

fn opt_float(v: Option<f64>) -> Dynamic {
    v.map(Dynamic::from_float).unwrap_or(Dynamic::UNIT)
}

// ---------------------------------------------------------------------------------------------
// Registration
// ---------------------------------------------------------------------------------------------

/// Register the data layer's functions, types and properties, and document them (topic
/// `data`).
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic(
        "data",
        "spectra, responses, DataUnit, Data, synthetic responses and simulation",
    );
    register_statistics(docs);
    register_unit(engine, docs);
    register_pars(engine, docs);
    register_data(engine, docs);
    register_response(engine, docs);
    register_simulate(engine, docs);
    super::data_tools::register(engine, docs);
}

/// One help entry per statistic (and alias), from the statistic's own description.
fn register_statistics(docs: &mut Docs) {
    use crate::stat::Statistic;
    docs.topic(
        "statistics",
        "fit statistics: chi2, pstat, cstat, pgstat, ULppstat, ULpgstat",
    );
    for st in Statistic::ALL {
        let usage = format!("DataUnit(#{{ ..., stat: \"{}\" }})", st.name());
        let aliases = st.aliases();
        let mut text = st.help().to_string();
        if !aliases.is_empty() {
            text.push_str(&format!("\nAlso called: {}.", aliases.join(", ")));
        }
        docs.add("statistics", st.name(), &usage, &text);
        for alias in aliases {
            docs.add(
                "statistics",
                alias,
                &usage,
                &format!("Another name for {}.\n{}", st.name(), st.help()),
            );
        }
    }
}

fn register_unit(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<DataUnitHandle>("DataUnit");
    engine.register_fn("DataUnit", build_unit);
    engine.register_fn("pha2_rows", |path: &str| -> RhaiResult<Array> {
        let rows = lift(crate::ogip::type2_rows(std::path::Path::new(path)))?;
        Ok(rows
            .into_iter()
            .map(|r| {
                let mut m = Map::new();
                let opt = |v: Option<i64>| v.map_or(Dynamic::UNIT, Dynamic::from_int);
                m.insert("row".into(), Dynamic::from_int(r.row as i64));
                m.insert("tg_part".into(), opt(r.tg_part));
                m.insert("tg_m".into(), opt(r.tg_m));
                m.insert("spec_num".into(), opt(r.spec_num));
                m.insert("counts".into(), Dynamic::from_float(r.counts));
                m.insert("exposure".into(), Dynamic::from_float(r.exposure));
                let num = |v: Option<f64>| v.map_or(Dynamic::UNIT, Dynamic::from_float);
                m.insert("tstart".into(), num(r.interval.map(|i| i.0)));
                m.insert("tstop".into(), num(r.interval.map(|i| i.1)));
                m.insert("time".into(), num(r.mid_time()));
                Dynamic::from_map(m)
            })
            .collect())
    });
    engine.register_fn("pha2_table", |path: &str| -> RhaiResult<String> {
        let rows = lift(crate::ogip::type2_rows(std::path::Path::new(path)))?;
        Ok(crate::ogip::type2_table(&rows))
    });
    docs.add(
        "data",
        "pha2_rows",
        "pha2_rows(file) -> [#{ row, tg_part, tg_m, spec_num, counts, exposure, tstart, tstop, time }]; pha2_table(file) -> String",
        "The rows of a Type II spectrum file (grating part and order, SPEC_NUM, counts, exposure), \
         to choose one as \"file{row}\": print(pha2_table(\"acis_pha2.fits\")) shows them as a table \
         (TG_PART 1 = HEG, 2 = MEG, 3 = LEG). A grating row's background is its BACKGROUND_UP + \
         BACKGROUND_DOWN with BACKSCAL = BACKSCUP + BACKSCDN, as Sherpa combines them. tstart, \
         tstop: the row's time interval (its TIME/ENDTIME columns, else the header's \
         TSTART/TSTOP); time: its middle (() when the file has no times).",
    );
    docs.add(
        "data",
        "DataUnit",
        &format!("DataUnit({}) -> DataUnit", keys_usage(DATA_UNIT_OPTIONS)),
        "One observation: a source spectrum, optional background, a response (rsp, or rmf + \
         arf), noticed ranges, statistic, fitting-grid and display-grid rules, time and \
         likelihood weight. Unknown keys are errors; warnings found while building are printed \
         once. Options left out are taken from the source's header (BACKFILE → bkg, RESPFILE → \
         rsp or rmf, ANCRFILE → arf), tried as written, in the spectrum's folder and by base \
         name, with or without .gz; a note says what was loaded. bkg: () or \"none\" refuses a \
         header's background; a linked file that is not found is an error. An rmf without arf \
         is a valid response (a warning when it has no effective area).\n\
         Read-only properties: exposure, backscale, nchannel, nbin (fit bins), emin, emax, counts, \
         bkg_counts, net_rate, net_rate_error (fitting grid), src_efficiency, bkg_efficiency, \
         corr_rsp_drm, notc, stat, weight, time, par.",
    );
    docs.options("DataUnit", "Options", DATA_UNIT_OPTIONS);
    docs.options("DataUnit", "grpg / rebn rule keys", rule_options::TABLE);
    macro_rules! float_arr {
        ($name:literal, $doc:literal, $f:expr) => {
            engine.register_get($name, |u: &mut DataUnitHandle| -> Array {
                let f: fn(&DataUnit) -> Vec<f64> = $f;
                to_array(&f(u.get()))
            });
            docs.add("data", $name, concat!("unit.", $name, " -> array"), $doc);
        };
    }
    engine.register_get("exposure", |u: &mut DataUnitHandle| u.get().exposure());
    docs.add(
        "data",
        "exposure",
        "unit.exposure -> float",
        "Source exposure t_S (s).",
    );
    engine.register_get("backscale", |u: &mut DataUnitHandle| u.get().backscale());
    docs.add(
        "data",
        "backscale",
        "unit.backscale -> float",
        "Source BACKSCAL (the mean over channels when it is a column).",
    );
    engine.register_get("nchannel", |u: &mut DataUnitHandle| {
        u.get().nchannel() as i64
    });
    docs.add(
        "data",
        "nchannel",
        "unit.nchannel -> int",
        "Number of channels in the spectrum file.",
    );
    engine.register_get("nbin", |u: &mut DataUnitHandle| u.get().n_fit_bins() as i64);
    docs.add(
        "data",
        "nbin",
        "unit.nbin -> int",
        "Number of fit bins (after noticing, quality and grouping).",
    );
    float_arr!("emin", "Lower energy bound (keV) of each fit bin.", |u| u
        .fit_grid()
        .emin()
        .to_vec());
    float_arr!("emax", "Upper energy bound (keV) of each fit bin.", |u| u
        .fit_grid()
        .emax()
        .to_vec());
    float_arr!("counts", "Source counts per fit bin.", |u| u
        .src_counts()
        .to_vec());
    float_arr!(
        "bkg_counts",
        "Background counts per fit bin (as in the background file, not scaled).",
        |u| u.bkg_counts().to_vec()
    );
    float_arr!(
        "net_rate",
        "Net count rate per fit bin (counts/s): source/t_s - background/t_b, with the current sf, bf.",
        |u| u.rates(GridKind::Fit).net_rate
    );
    float_arr!(
        "net_rate_error",
        "Error of the net count rate per fit bin (counts/s).",
        |u| u.rates(GridKind::Fit).net_rate_error
    );
    float_arr!(
        "src_efficiency",
        "Source efficiency t_s = exposure * AREASCAL * sf per fit bin (s).",
        |u| u.ts()
    );
    float_arr!(
        "bkg_efficiency",
        "Background efficiency t_b = t_B * AREASCAL_B * BACKSCAL_B / BACKSCAL_S * bf per fit bin (s).",
        |u| u.tb()
    );
    engine.register_get("corr_rsp_drm", |u: &mut DataUnitHandle| -> Array {
        let u = u.get();
        rows_array(&u.corr_rsp_drm(GridKind::Fit), u.n_fit_bins())
    });
    docs.add(
        "data",
        "corr_rsp_drm",
        "unit.corr_rsp_drm -> array of arrays",
        "Grouped response on the fitting grid times the current rf (cm²): one row per photon energy bin, one column per fit bin.",
    );
    engine.register_get("notc", |u: &mut DataUnitHandle| -> Dynamic {
        match u.get().notc() {
            None => Dynamic::UNIT,
            Some(r) => {
                Dynamic::from_array(r.iter().map(|p| Dynamic::from_array(to_array(p))).collect())
            }
        }
    });
    docs.add(
        "data",
        "notc",
        "unit.notc -> array or ()",
        "Normalised noticed ranges [[lo, hi], ...] (keV), or () when every channel is noticed.",
    );
    engine.register_get("stat", |u: &mut DataUnitHandle| u.get().stat().to_string());
    docs.add("data", "stat", "unit.stat -> string", "The statistic name.");
    engine.register_get("weight", |u: &mut DataUnitHandle| u.get().weight());
    docs.add(
        "data",
        "weight",
        "unit.weight -> float",
        "Likelihood weight.",
    );
    engine.register_get("time", |u: &mut DataUnitHandle| opt_float(u.get().time()));
    engine.register_get("time_range", |u: &mut DataUnitHandle| -> Dynamic {
        match u.get().source().time_range {
            Some((a, b)) => {
                Dynamic::from_array(vec![Dynamic::from_float(a), Dynamic::from_float(b)])
            }
            None => Dynamic::UNIT,
        }
    });
    docs.add(
        "data",
        "time_range",
        "unit.time_range -> [start, stop] or ()",
        "TIME/ENDTIME of a Type II row (or TSTART/TSTOP of the file), e.g. to set `time` for a time-resolved fit.",
    );
    docs.add(
        "data",
        "time",
        "unit.time -> float or ()",
        "Time stamp for time-dependent models, or ().",
    );
    engine.register_get("par", |u: &mut DataUnitHandle| {
        NuisancePars::of_unit(u.get())
    });
    docs.add(
        "data",
        "par",
        "unit.par[k] / unit.par[\"rf\"] -> Par;  data.par[k] -> Par",
        "The nuisance parameters sf, bf, rf, ra, dec (numbered from 1; five per unit in Data). They are \
         shared handles: setting a value, prior or freezing changes what the unit reports and fits.",
    );
    engine.register_fn("to_string", |u: &mut DataUnitHandle| u.get().to_string());
    engine.register_fn("to_debug", |u: &mut DataUnitHandle| u.get().to_string());
}

fn register_pars(engine: &mut Engine, _docs: &mut Docs) {
    engine.register_type_with_name::<NuisancePars>("NuisancePars");
    engine.register_indexer_get(|l: &mut NuisancePars, k: i64| l.by_index(k));
    engine.register_indexer_get(|l: &mut NuisancePars, label: &str| l.by_label(label));
    engine.register_get("len", |l: &mut NuisancePars| l.rows().len() as i64);
    engine.register_fn("to_string", |l: &mut NuisancePars| l.table());
    engine.register_fn("to_debug", |l: &mut NuisancePars| l.table());
}

fn register_data(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<DataHandle>("Data");
    engine.register_fn("Data", data_from_items);
    engine.register_fn("Data", data_from_map);
    engine.register_fn("Data", || DataHandle::new(Data::new()));
    docs.add(
        "data",
        "Data",
        "Data([[\"nai\", nai], [\"bgo\", bgo]]) -> Data;  Data(#{ nai: nai }) -> Data;  Data() -> Data",
        "An ordered collection of named DataUnits (a map gives its keys in sorted order). Names must be \
         unique and non-empty. Properties: names, len, npoints, par; data[\"nai\"] gets a unit \
         (sharing its parameters); data.save(dir) writes dir/data.json.",
    );
    engine.register_get("names", |d: &mut DataHandle| string_array(&d.get().names()));
    docs.add(
        "data",
        "names",
        "data.names -> array",
        "Unit names in order.",
    );
    engine.register_get("len", |d: &mut DataHandle| d.get().len() as i64);
    docs.add("data", "len", "data.len -> int", "Number of units.");
    engine.register_get("npoints", |d: &mut DataHandle| -> Array {
        d.get()
            .npoints()
            .into_iter()
            .map(|n| Dynamic::from_int(n as i64))
            .collect()
    });
    docs.add(
        "data",
        "npoints",
        "data.npoints -> array",
        "Fit bins per unit.",
    );
    engine.register_get("par", |d: &mut DataHandle| NuisancePars::of_data(d.get()));
    engine.register_indexer_get(
        |d: &mut DataHandle, name: &str| -> RhaiResult<DataUnitHandle> {
            match d.get().get(name) {
                Some(u) => Ok(DataUnitHandle::new(u.clone())),
                None => err(format!(
                    "Data: no unit named '{name}'; the units are: {}",
                    d.get().names().join(", ")
                )),
            }
        },
    );
    engine.register_fn("save", |d: &mut DataHandle, dir: &str| -> RhaiResult<()> {
        lift(d.get().save(Path::new(dir)))
    });
    docs.add(
        "data",
        "save",
        "data.save(dir);  rsp.save(\"x.rsp\")",
        "Data: create dir and write dir/data.json (data.md 4.1). Response: write an OGIP RSP file.",
    );
    engine.register_fn("to_string", |d: &mut DataHandle| d.get().to_string());
    engine.register_fn("to_debug", |d: &mut DataHandle| d.get().to_string());
}

fn register_response(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<ResponseHandle>("Response");
    engine.register_fn("response", |map: Map| -> RhaiResult<ResponseHandle> {
        let spec = response_spec(map)?;
        Ok(ResponseHandle::new(lift(synthetic(&spec))?))
    });
    engine.register_fn("response", || -> RhaiResult<ResponseHandle> {
        Ok(ResponseHandle::new(lift(synthetic(
            &SyntheticSpec::gbm_nai(),
        ))?))
    });
    docs.add(
        "data",
        "response",
        &format!("response({}) -> Response", keys_usage(RESPONSE_OPTIONS)),
        "A synthetic response: log-spaced photon bins (energy_range, n_energy) and channels \
         (channel_range, n_channels), an effective area and Gaussian resolution FWHM(E) = \
         fwhm_fraction * fwhm_ref_energy * (E / fwhm_ref_energy)^fwhm_index. The preset gives \
         the starting values. Properties: name, nchannel, nenergy, energ_lo, energ_hi, e_min, \
         e_max, area; rsp.save(\"x.rsp\").",
    );
    docs.options("response", "Options", RESPONSE_OPTIONS);
    engine.register_get("name", |r: &mut ResponseHandle| r.get().name.clone());
    engine.register_get("nchannel", |r: &mut ResponseHandle| {
        r.get().n_channels() as i64
    });
    engine.register_get("nenergy", |r: &mut ResponseHandle| {
        r.get().n_energy() as i64
    });
    engine.register_get("energ_lo", |r: &mut ResponseHandle| {
        to_array(&r.get().energ_lo)
    });
    engine.register_get("energ_hi", |r: &mut ResponseHandle| {
        to_array(&r.get().energ_hi)
    });
    engine.register_get("e_min", |r: &mut ResponseHandle| to_array(&r.get().e_min));
    engine.register_get("e_max", |r: &mut ResponseHandle| to_array(&r.get().e_max));
    engine.register_get("area", |r: &mut ResponseHandle| -> Array {
        let r = r.get();
        let a: Vec<f64> = (0..r.n_energy()).map(|i| r.row(i).iter().sum()).collect();
        to_array(&a)
    });
    docs.add(
        "data",
        "area",
        "rsp.area -> array",
        "Effective area per photon energy bin (cm²): the sum of the response row over channels.",
    );
    engine.register_fn(
        "save",
        |r: &mut ResponseHandle, path: &str| -> RhaiResult<()> {
            lift(r.get().save(Path::new(path)))
        },
    );
    engine.register_fn("to_string", |r: &mut ResponseHandle| r.get().to_string());
    engine.register_fn("to_debug", |r: &mut ResponseHandle| r.get().to_string());
}

fn register_simulate(engine: &mut Engine, docs: &mut Docs) {
    engine.register_fn("simulate", |model: Model, map: Map| {
        simulate_model(&model, map)
    });
    docs.add(
        "data",
        "simulate",
        &format!(
            "simulate(model, {}) -> #{{ src, bkg, rsp, seed }}",
            keys_usage(SIMULATE_OPTIONS)
        ),
        "Fake a spectrum: integrate the (additive) model over the response's photon bins (at time \
         `time` for time-dependent models), fold, and draw Poisson counts for `exposure` seconds \
         with the integer `seed` (random when absent; the seed used is returned). Writes \
         <out>.pha (and <out>_bkg.pha) readable by DataUnit; returns the file paths (bkg is () \
         without background).",
    );
    docs.options("simulate", "Options", SIMULATE_OPTIONS);
    docs.options("simulate", "bkg map keys", SIMULATE_BKG_OPTIONS);
}
