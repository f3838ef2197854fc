//! `Data`: an ordered collection of named data units (data.md 4).

use super::options::json_number;
use super::unit::DataUnit;
use crate::error::{Error, Result};
use crate::fits::write_atomic;
use serde_json::Value;
use std::path::Path;

/// An ordered collection of named [`DataUnit`]s; names are unique and non-empty.
#[derive(Debug, Clone, Default)]
pub struct Data {
    units: Vec<DataUnit>,
}

impl Data {
    /// An empty collection.
    pub fn new() -> Data {
        Data::default()
    }

    /// A collection from `(name, unit)` pairs; duplicate or empty names are errors.
    pub fn from_pairs(pairs: Vec<(String, DataUnit)>) -> Result<Data> {
        let mut d = Data::new();
        for (name, unit) in pairs {
            if d.contains(&name) {
                return Err(Error::new(format!("Data: duplicate unit name '{name}'")));
            }
            d.insert(&name, unit)?;
        }
        Ok(d)
    }

    /// Insert a unit under `name` (replacing a unit of that name in place); sets its name.
    pub fn insert(&mut self, name: &str, mut unit: DataUnit) -> Result<()> {
        if name.trim().is_empty() {
            return Err(Error::new("Data: a unit name must not be empty"));
        }
        unit.set_name(name);
        match self.units.iter().position(|u| u.name() == Some(name)) {
            Some(i) => self.units[i] = unit,
            None => self.units.push(unit),
        }
        Ok(())
    }

    /// The unit named `name`.
    pub fn get(&self, name: &str) -> Option<&DataUnit> {
        self.units.iter().find(|u| u.name() == Some(name))
    }

    /// The unit named `name`, mutably.
    pub fn get_mut(&mut self, name: &str) -> Option<&mut DataUnit> {
        self.units.iter_mut().find(|u| u.name() == Some(name))
    }

    /// Remove and return the unit named `name`.
    pub fn remove(&mut self, name: &str) -> Option<DataUnit> {
        let i = self.units.iter().position(|u| u.name() == Some(name))?;
        Some(self.units.remove(i))
    }

    /// Whether a unit named `name` exists.
    pub fn contains(&self, name: &str) -> bool {
        self.get(name).is_some()
    }

    /// Unit names in order.
    pub fn names(&self) -> Vec<String> {
        self.units
            .iter()
            .map(|u| u.name().unwrap_or("-").to_string())
            .collect()
    }

    /// The units in order.
    pub fn units(&self) -> &[DataUnit] {
        &self.units
    }

    /// Iterate over the units in order.
    pub fn iter(&self) -> std::slice::Iter<'_, DataUnit> {
        self.units.iter()
    }

    /// Number of units.
    pub fn len(&self) -> usize {
        self.units.len()
    }

    /// Whether there is no unit.
    pub fn is_empty(&self) -> bool {
        self.units.is_empty()
    }

    /// Fit bins per unit (`npoints`).
    pub fn npoints(&self) -> Vec<usize> {
        self.units.iter().map(|u| u.n_fit_bins()).collect()
    }

    /// `f` of every unit, in order (the first error stops).
    fn per_unit<T>(&self, f: impl Fn(&DataUnit) -> Result<T>) -> Result<Vec<T>> {
        self.units.iter().map(f).collect()
    }

    /// [`DataUnit::net_counts_upperlimit`] of every unit, in order.
    pub fn net_counts_upperlimit(&self, cl: f64) -> Result<Vec<f64>> {
        self.per_unit(|u| u.net_counts_upperlimit(cl))
    }

    /// [`DataUnit::net_ctsrate_upperlimit`] of every unit, in order.
    pub fn net_ctsrate_upperlimit(&self, cl: f64) -> Result<Vec<f64>> {
        self.per_unit(|u| u.net_ctsrate_upperlimit(cl))
    }

    /// [`DataUnit::net_counts_significance_limit`] of every unit, in order.
    pub fn net_counts_significance_limit(&self, sig: f64) -> Result<Vec<f64>> {
        self.per_unit(|u| u.net_counts_significance_limit(sig))
    }

    /// [`DataUnit::net_ctsrate_significance_limit`] of every unit, in order.
    pub fn net_ctsrate_significance_limit(&self, sig: f64) -> Result<Vec<f64>> {
        self.per_unit(|u| u.net_ctsrate_significance_limit(sig))
    }

    /// Energy bins per unit (`nbin` of the stacked model grid).
    pub fn n_energy_bins(&self) -> Vec<usize> {
        self.units.iter().map(|u| u.n_energy()).collect()
    }

    /// Offsets `[start, stop)` of each unit's energy bins inside the stacked energy grid.
    pub fn energy_bin_offsets(&self) -> Vec<(usize, usize)> {
        let mut start = 0;
        self.units
            .iter()
            .map(|u| {
                let s = start;
                start += u.n_energy();
                (s, start)
            })
            .collect()
    }

    /// The content of `data.json`: one object per unit with keys `Name`, `Noticing`,
    /// `Statistic`, `Grouping`, `Time` (the reference's), then `Rebinning`, `Weight`, `Files`.
    pub fn to_json(&self) -> Vec<Vec<(String, Value)>> {
        self.units
            .iter()
            .map(|u| {
                let notc = match u.notc() {
                    Some(r) => Value::Array(
                        r.iter()
                            .map(|[a, b]| Value::Array(vec![json_number(*a), json_number(*b)]))
                            .collect(),
                    ),
                    None => Value::Null,
                };
                let files = u.file_names();
                let file_paths =
                    |i: usize, given: Option<String>| given.or_else(|| files[i].clone());
                let o = u.options();
                use super::options::{ArfInput, ResponseInput, SpectrumInput};
                let spec_text = |s: &Option<SpectrumInput>| match s {
                    Some(SpectrumInput::File(t)) => Some(t.clone()),
                    _ => None,
                };
                let rsp_text = |s: &Option<ResponseInput>| match s {
                    Some(ResponseInput::File(t)) => Some(t.clone()),
                    _ => None,
                };
                let arf_text = match &o.arf {
                    Some(ArfInput::File(t)) => Some(t.clone()),
                    _ => None,
                };
                let mut f = serde_json::Map::new();
                for (i, (k, v)) in [
                    ("src", spec_text(&o.src)),
                    ("bkg", spec_text(&o.bkg)),
                    ("rsp", rsp_text(&o.rsp)),
                    ("rmf", rsp_text(&o.rmf)),
                    ("arf", arf_text),
                ]
                .into_iter()
                .enumerate()
                {
                    let p = if o_is_set(i, o) {
                        file_paths(i, v)
                    } else {
                        None
                    };
                    f.insert(k.into(), p.map(Value::String).unwrap_or(Value::Null));
                }
                vec![
                    ("Name".into(), Value::String(u.name().unwrap_or("-").into())),
                    ("Noticing".into(), notc),
                    ("Statistic".into(), Value::String(u.stat().name().into())),
                    (
                        "Grouping".into(),
                        u.grpg().map(|g| g.to_json()).unwrap_or(Value::Null),
                    ),
                    (
                        "Time".into(),
                        u.time().map(json_number).unwrap_or(Value::Null),
                    ),
                    (
                        "Rebinning".into(),
                        u.rebn().map(|g| g.to_json()).unwrap_or(Value::Null),
                    ),
                    ("Weight".into(), json_number(u.weight())),
                    ("Files".into(), Value::Object(f)),
                ]
            })
            .collect()
    }

    /// `data.json` text (JSON array, indent 4, keys in the order of [`to_json`](Self::to_json)).
    pub fn to_json_string(&self) -> String {
        objects_json(&self.to_json())
    }

    /// Create `dir` if needed and write `dir/data.json` (atomically).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("cannot create '{}': {e}", dir.display())))?;
        write_atomic(&dir.join("data.json"), self.to_json_string().as_bytes())
    }
}

fn o_is_set(i: usize, o: &super::options::DataUnitOptions) -> bool {
    match i {
        0 => o.src.is_some(),
        1 => o.bkg.is_some(),
        2 => o.rsp.is_some(),
        3 => o.rmf.is_some(),
        _ => o.arf.is_some(),
    }
}

/// A JSON array of objects whose keys keep the given order (indent 4), as the reference
/// writes `data.json` and `dataunit.json`.
pub(crate) fn objects_json(objects: &[Vec<(String, Value)>]) -> String {
    if objects.is_empty() {
        return "[]".into();
    }
    let mut out = String::from("[\n");
    for (i, object) in objects.iter().enumerate() {
        out.push_str("    {\n");
        for (j, (k, v)) in object.iter().enumerate() {
            let text = pretty(v).replace('\n', "\n        ");
            out.push_str(&format!("        {}: {text}", Value::String(k.clone())));
            out.push_str(if j + 1 < object.len() { ",\n" } else { "\n" });
        }
        out.push_str("    }");
        out.push_str(if i + 1 < objects.len() { ",\n" } else { "\n" });
    }
    out.push(']');
    out
}

fn pretty(v: &Value) -> String {
    use serde::Serialize;
    let mut buf = Vec::new();
    let fmt = serde_json::ser::PrettyFormatter::with_indent(b"    ");
    let mut ser = serde_json::Serializer::with_formatter(&mut buf, fmt);
    match v.serialize(&mut ser) {
        Ok(()) => String::from_utf8(buf).unwrap_or_else(|_| v.to_string()),
        Err(_) => v.to_string(),
    }
}
