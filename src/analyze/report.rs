//! Tables and JSON files of an analysis (inference.md 6.5, 6.6): rows with the reference's
//! names and keys, numbers as numbers and missing/non-finite values as null, written
//! atomically.

use super::table::ParTable;
use super::{Analysis, AnalyzerKind};
use crate::error::{Error, Result};
use crate::sample::files::{ensure_dir, json_text, write_text_atomic};
use comfy_table::Table;
use serde::Serialize;
use serde_json::{json, Value};
use std::path::Path;

/// Labels of one free parameter, supplied by the inference layer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ParLabel {
    /// `par#` (e.g. `"1"`).
    pub par: String,
    /// `Class` (`model`, …).
    pub class: String,
    /// `Expression`.
    pub expression: String,
    /// `Component`.
    pub component: String,
    /// `Parameter` (the label, LaTeX allowed).
    pub parameter: String,
}

fn finite(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

/// `[lo, hi]` with 3 decimals, as the reference prints intervals.
pub fn interval_text(iv: [f64; 2]) -> String {
    format!("[{:.3}, {:.3}]", iv[0], iv[1])
}

fn num_text(v: Option<f64>) -> String {
    match v {
        Some(x) if x.is_finite() => format!("{x:.3}"),
        _ => "-".into(),
    }
}

/// A row of `<p>_free_par.json` and of the printed parameter table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct FreeParRow {
    /// `par#`.
    #[serde(rename = "par#")]
    pub par: String,
    /// `Class`.
    pub class: String,
    /// `Expression`.
    pub expression: String,
    /// `Component`.
    pub component: String,
    /// `Parameter`.
    pub parameter: String,
    /// `Truth` (Bootstrap only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub truth: Option<Option<f64>>,
    /// `Mean`.
    pub mean: Option<f64>,
    /// `Median`.
    pub median: Option<f64>,
    /// `Best`.
    pub best: Option<f64>,
    /// `1sigma Best` (null when no draw qualifies).
    #[serde(rename = "1sigma Best")]
    pub best_ci: Option<f64>,
    /// `1sigma CI` as text.
    #[serde(rename = "1sigma CI")]
    pub ci_1sigma: String,
    /// `90% CI` as text.
    #[serde(rename = "90% CI")]
    pub ci_90: String,
    /// `Note` (`at prior edge (upper)`, …; null when none): present in rows built with
    /// notes ([`Analysis::free_par_rows_with_notes`], every saved file), absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<Option<String>>,
}

/// The object of `<p>_IC.json` (numbers; null when absent).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IcRow {
    /// AIC.
    #[serde(rename = "AIC")]
    pub aic: Option<f64>,
    /// AICc.
    #[serde(rename = "AICc")]
    pub aicc: Option<f64>,
    /// BIC.
    #[serde(rename = "BIC")]
    pub bic: Option<f64>,
    /// lnZ.
    #[serde(rename = "lnZ")]
    pub ln_z: Option<f64>,
    /// Error of lnZ.
    #[serde(rename = "lnZ_err")]
    pub ln_z_err: Option<f64>,
    /// WAIC (deviance scale).
    #[serde(rename = "WAIC")]
    pub waic: Option<f64>,
    /// Its error.
    #[serde(rename = "WAIC_err")]
    pub waic_err: Option<f64>,
}

/// The `Value` of a statistics row: a number per unit, text (`"<stat>/<dof>"`) for the total.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(untagged)]
pub enum StatValue {
    /// A number (null when not finite).
    Number(Option<f64>),
    /// Text.
    Text(String),
}

/// A row of `<p>_stat.json` (built by the inference layer).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct StatRow {
    /// `Data`.
    pub data: String,
    /// `Model`.
    pub model: String,
    /// `Statistic`.
    pub statistic: String,
    /// `Value`.
    pub value: StatValue,
    /// `Bins`.
    pub bins: usize,
}

/// A comfy table with the given header (ASCII borders, no terminal styling).
pub fn new_table(header: &[&str]) -> Table {
    let mut t = crate::format::table();
    t.set_header(header.to_vec());
    t
}

/// The statistics table (printing).
pub fn stat_table(rows: &[StatRow]) -> Table {
    let mut t = new_table(&["Data", "Model", "Statistic", "Value", "Bins"]);
    for r in rows {
        let v = match &r.value {
            StatValue::Number(x) => num_text(*x),
            StatValue::Text(s) => s.clone(),
        };
        t.add_row(vec![
            r.data.clone(),
            r.model.clone(),
            r.statistic.clone(),
            v,
            r.bins.to_string(),
        ]);
    }
    t
}

/// Write `<prefix>_stat.json` into `dir` (created).
pub fn write_stat_json(dir: &Path, prefix: &str, rows: &[StatRow]) -> Result<()> {
    ensure_dir(dir)?;
    write_text_atomic(&dir.join(format!("{prefix}_stat.json")), &json_text(&rows)?)
}

fn criterion_value(v: Option<f64>) -> Value {
    match v {
        None => Value::Null,
        Some(x) if x.is_nan() => Value::Null,
        Some(x) if x == f64::INFINITY => json!("Infinity"),
        Some(x) if x == f64::NEG_INFINITY => json!("-Infinity"),
        Some(x) => json!(x),
    }
}

impl Analysis {
    /// Rows of the free-parameter table; `labels` gives one [`ParLabel`] per free parameter.
    /// The rows have the reference's keys only (no `Note`).
    pub fn free_par_rows(&self, labels: &[ParLabel]) -> Result<Vec<FreeParRow>> {
        self.rows_noted(labels, None)
    }

    /// Rows of the free-parameter table with a `Note` per parameter (null when none; `notes`
    /// may be shorter than the parameters, the rest have none).
    pub fn free_par_rows_with_notes(
        &self,
        labels: &[ParLabel],
        notes: &[Option<String>],
    ) -> Result<Vec<FreeParRow>> {
        self.rows_noted(labels, Some(notes))
    }

    fn rows_noted(
        &self,
        labels: &[ParLabel],
        notes: Option<&[Option<String>]>,
    ) -> Result<Vec<FreeParRow>> {
        if labels.len() != self.nfree() {
            return Err(Error::new(format!(
                "free-parameter table: {} labels for {} parameters",
                labels.len(),
                self.nfree()
            )));
        }
        let bootstrap = self.kind() == AnalyzerKind::Bootstrap;
        Ok(self
            .pars()
            .iter()
            .zip(labels)
            .enumerate()
            .map(|(i, (p, l))| FreeParRow {
                par: l.par.clone(),
                class: l.class.clone(),
                expression: l.expression.clone(),
                component: l.component.clone(),
                parameter: l.parameter.clone(),
                truth: bootstrap.then(|| p.truth.and_then(finite)),
                mean: finite(p.mean()),
                median: finite(p.median()),
                best: finite(p.best),
                best_ci: p.best_ci.and_then(finite),
                ci_1sigma: interval_text(p.isigma()),
                ci_90: interval_text(p.ninety_percent()),
                note: notes.map(|n| n.get(i).cloned().flatten()),
            })
            .collect())
    }

    /// The `<p>_IC.json` object (WAIC computed if not known yet; null when it is unavailable).
    pub fn ic_row(&self) -> IcRow {
        IcRow {
            aic: finite(self.aic()),
            aicc: self.aicc().and_then(finite),
            bic: finite(self.bic()),
            ln_z: self.ln_z().and_then(|(z, _)| finite(z)),
            ln_z_err: self.ln_z().and_then(|(_, e)| finite(e)),
            waic: self.waic().and_then(|w| finite(w.deviance)),
            waic_err: self.waic().and_then(|w| finite(w.deviance_error)),
        }
    }

    /// The machine-readable `<p>_ic_criteria.json` bundle (WAIC computed if not known yet).
    pub fn ic_criteria_json(&self) -> Value {
        let mut criteria = serde_json::Map::new();
        criteria.insert(
            "AIC".into(),
            json!({"value": criterion_value(Some(self.aic())), "higher_is_better": false}),
        );
        criteria.insert(
            "AICc".into(),
            json!({"value": criterion_value(self.aicc()), "higher_is_better": false}),
        );
        criteria.insert(
            "BIC".into(),
            json!({"value": criterion_value(Some(self.bic())), "higher_is_better": false}),
        );
        if self.kind() == AnalyzerKind::Posterior {
            criteria.insert(
                "WAIC".into(),
                match self.waic() {
                    Some(w) => json!({
                        "value": criterion_value(Some(w.deviance)),
                        "error": criterion_value(Some(w.deviance_error)),
                        "scale": "deviance",
                        "higher_is_better": false,
                        "penalty": criterion_value(Some(w.p_waic)),
                        "warning": w.warning,
                        "pointwise": w.pointwise_deviance.iter().map(|v| criterion_value(Some(*v))).collect::<Vec<_>>(),
                    }),
                    None => Value::Null,
                },
            );
            criteria.insert(
                "lnZ".into(),
                match self.ln_z() {
                    Some((z, e)) => json!({
                        "value": criterion_value(Some(z)),
                        "error": criterion_value(Some(e)),
                        "scale": "log",
                        "higher_is_better": true,
                    }),
                    None => Value::Null,
                },
            );
        }
        json!({
            "analyzer": self.kind().name(),
            "n_params": self.nfree(),
            "n_data_points": self.npoint(),
            "n_samples": self.nsample(),
            "sampler_type": self.sampler_type(),
            "criteria": Value::Object(criteria),
        })
    }

    /// The printed free-parameter table (see [`ParTable::printed`]): par#, the plain
    /// parameter name, median, 1σ errors and 90 % interval, at most 100 characters wide.
    pub fn free_par_table(&self, labels: &[ParLabel]) -> Result<Table> {
        self.free_par_table_with_notes(labels, &[])
    }

    /// [`Analysis::free_par_table`] with a Note column when a parameter has a note.
    pub fn free_par_table_with_notes(
        &self,
        labels: &[ParLabel],
        notes: &[Option<String>],
    ) -> Result<Table> {
        Ok(ParTable::new(self, labels, notes)?.printed())
    }

    /// The printed information-criteria table (`AIC`, `AICc`, `BIC`; for a Posterior also
    /// `WAIC` and `lnZ` as `value ± error`; WAIC computed if not known yet).
    pub fn ic_table(&self) -> Table {
        let mut header = vec!["AIC", "AICc", "BIC"];
        let mut cells = vec![
            num_text(Some(self.aic())),
            num_text(self.aicc()),
            num_text(Some(self.bic())),
        ];
        if self.kind() == AnalyzerKind::Posterior {
            header.extend(["WAIC", "lnZ"]);
            cells.push(match self.waic() {
                Some(w) => format!("{:.3} ± {:.3}", w.deviance, w.deviance_error),
                None => "-".into(),
            });
            cells.push(match self.ln_z() {
                Some((z, e)) => format!("{z:.3} ± {e:.3}"),
                None => "-".into(),
            });
        }
        let mut t = new_table(&header);
        t.add_row(cells);
        t
    }

    /// The full printed report: parameters (the compact table of
    /// [`Analysis::free_par_table`]), statistics (rows from the inference layer) and
    /// information criteria. Computes WAIC if it is not known yet; an error computing it is
    /// the report's error.
    pub fn report_text(&self, labels: &[ParLabel], stat_rows: &[StatRow]) -> Result<String> {
        self.report_text_with_notes(labels, &[], stat_rows)
    }

    /// [`Analysis::report_text`] with a note per parameter (a Note column when any is set).
    pub fn report_text_with_notes(
        &self,
        labels: &[ParLabel],
        notes: &[Option<String>],
        stat_rows: &[StatRow],
    ) -> Result<String> {
        self.try_waic()?;
        let title = match self.kind() {
            AnalyzerKind::Posterior => "*** Posterior Results ***",
            AnalyzerKind::Bootstrap => "*** Bootstrap Results ***",
        };
        Ok(format!(
            "{title}\n*** Parameters ***\n{}\n*** Statistics ***\n{}\n*** Information criteria ***\n{}\n",
            self.free_par_table_with_notes(labels, notes)?,
            stat_table(stat_rows),
            self.ic_table()
        ))
    }

    /// Write `<prefix>_free_par.json` (the reference's keys plus `"Note": null`),
    /// `<prefix>_IC.json` and `<prefix>_ic_criteria.json` into `dir` (created). `prefix` is
    /// usually [`AnalyzerKind::prefix`] (`post`/`boot`). Computes WAIC if it is not known yet;
    /// an error computing it is returned before any file is written.
    pub fn save(&self, dir: &Path, prefix: &str, labels: &[ParLabel]) -> Result<()> {
        self.save_with_notes(dir, prefix, labels, &[])
    }

    /// [`Analysis::save`] with a `Note` per parameter in `<prefix>_free_par.json`.
    pub fn save_with_notes(
        &self,
        dir: &Path,
        prefix: &str,
        labels: &[ParLabel],
        notes: &[Option<String>],
    ) -> Result<()> {
        self.try_waic()?;
        ensure_dir(dir)?;
        let rows = self.free_par_rows_with_notes(labels, notes)?;
        write_text_atomic(
            &dir.join(format!("{prefix}_free_par.json")),
            &json_text(&rows)?,
        )?;
        write_text_atomic(
            &dir.join(format!("{prefix}_IC.json")),
            &json_text(&[self.ic_row()])?,
        )?;
        write_text_atomic(
            &dir.join(format!("{prefix}_ic_criteria.json")),
            &json_text(&self.ic_criteria_json())?,
        )
    }
}
