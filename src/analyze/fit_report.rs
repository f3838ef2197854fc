//! The printed summary of a maximum-likelihood fit: its status line and one row per free
//! parameter with the best-fit value, the HESSE (or LM) error, MINOS errors and limit notes,
//! as XSPEC and iminuit users read a fit.

use super::fit_status::FitStatus;
use super::maxlike::FitResult;
use super::report::new_table;
use super::table::NumberFormat;

impl FitResult {
    /// The fit's status line and parameter table (printed above the bootstrap's tables).
    pub fn report(&self) -> String {
        let st: &FitStatus = &self.status;
        let title = if st.fitter == "lmfit" {
            "*** lmfit (Levenberg–Marquardt) fit ***"
        } else {
            "*** iminuit (MIGRAD/HESSE) fit ***"
        };
        let error_name = if st.fitter == "lmfit" {
            "Error"
        } else {
            "HESSE error"
        };
        let mut header = vec!["par#", "Parameter", "Value", error_name];
        if self.minos.is_some() {
            header.extend(["MINOS lower", "MINOS upper"]);
        }
        let notes: Vec<String> = (0..self.values.len()).map(|i| self.note(i)).collect();
        let any_note = notes.iter().any(|n| !n.is_empty());
        if any_note {
            header.push("Note");
        }
        let mut t = new_table(&header);
        for (i, note) in notes.iter().enumerate() {
            // two significant digits on the error, the value to the same place
            let f = NumberFormat::auto(self.values[i], self.errors[i], self.errors[i]);
            let mut row = vec![
                self.numbers.get(i).map_or(String::new(), |n| n.to_string()),
                self.labels.get(i).cloned().unwrap_or_default(),
                f.number(self.values[i]),
                f.number(self.errors[i]),
            ];
            if let Some(m) = &self.minos {
                let (lo, hi) = m.get(i).copied().unwrap_or((f64::NAN, f64::NAN));
                row.push(f.signed(lo));
                row.push(f.signed(hi));
            }
            if any_note {
                row.push(note.clone());
            }
            t.add_row(row);
        }
        format!(
            "{title}\n{}\nstat {:.3} at the best fit\n{t}\n",
            st.summary(),
            self.stat
        )
    }

    /// The note of free parameter `i`: at a limit (error unreliable), invalid MINOS sides.
    pub fn note(&self, i: usize) -> String {
        let st = &self.status;
        let mut parts = Vec::new();
        if let Some(Some(side)) = st.at_limit.get(i) {
            parts.push(format!("at {} limit: error unreliable", side.name()));
        }
        if let Some(Some((lo, hi))) = st.minos_valid.as_ref().map(|v| v.get(i).copied()) {
            match (lo, hi) {
                (true, true) => {}
                (false, true) => parts.push("MINOS lower invalid or at limit".into()),
                (true, false) => parts.push("MINOS upper invalid or at limit".into()),
                (false, false) => parts.push("MINOS invalid or at limit".into()),
            }
        }
        parts.join("; ")
    }
}
