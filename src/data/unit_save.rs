//! `DataUnit.save(dir)`: the unit's settings as `dir/dataunit.json` (data.md 4.1).

use super::container::objects_json;
use super::options::json_number;
use super::unit::DataUnit;
use crate::error::{Error, Result};
use crate::fits::write_atomic;
use serde_json::Value;
use std::path::Path;

impl DataUnit {
    /// The rows of `dataunit.json`: `(property, value)` for `src`, `bkg`, `rmf`, `arf`, `rsp`
    /// (base file names or null), `notc`, `stat`, `grpg`, `time`, `weight`.
    pub fn to_json_rows(&self) -> Vec<(&'static str, Value)> {
        let names = self.file_names();
        let file = |i: usize| names[i].clone().map(Value::String).unwrap_or(Value::Null);
        let notc = match self.notc() {
            Some(r) => Value::Array(
                r.iter()
                    .map(|[a, b]| Value::Array(vec![json_number(*a), json_number(*b)]))
                    .collect(),
            ),
            None => Value::Null,
        };
        vec![
            ("src", file(0)),
            ("bkg", file(1)),
            ("rmf", file(3)),
            ("arf", file(4)),
            ("rsp", file(2)),
            ("notc", notc),
            ("stat", Value::String(self.stat().to_string())),
            (
                "grpg",
                self.grpg().map(|g| g.to_json()).unwrap_or(Value::Null),
            ),
            ("time", self.time().map(json_number).unwrap_or(Value::Null)),
            ("weight", json_number(self.weight())),
        ]
    }

    /// `dataunit.json` text: a JSON array (indent 4) of `{"Property": p, "<name>": value}`
    /// objects, the unit's name (or `"unit"` when it has none) as the second key.
    pub fn to_json_string(&self) -> String {
        let name = self.name().unwrap_or("unit").to_string();
        let objects: Vec<Vec<(String, Value)>> = self
            .to_json_rows()
            .into_iter()
            .map(|(prop, v)| {
                vec![
                    ("Property".to_string(), Value::String(prop.to_string())),
                    (name.clone(), v),
                ]
            })
            .collect();
        objects_json(&objects)
    }

    /// Write the current fitting-grid flags into the `GROUPING` column of a copy of the
    /// source file at `out` (data.md 4.2); the input file is never modified.
    pub fn write_grouping(&self, out: &Path) -> Result<()> {
        crate::ogip::write_grouping(self.source(), self.fit_grid().flags(), out)
    }

    /// Create `dir` if needed and write `dir/dataunit.json` (atomically).
    pub fn save(&self, dir: &Path) -> Result<()> {
        std::fs::create_dir_all(dir)
            .map_err(|e| Error::new(format!("cannot create '{}': {e}", dir.display())))?;
        write_atomic(&dir.join("dataunit.json"), self.to_json_string().as_bytes())
    }
}
