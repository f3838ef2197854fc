//! Photo-absorption cross-section tables for wabs/phabs/tbabs/tinvabs (models.md 3.4).
//!
//! The data (`xsect_tables.csv`) derive from the astromodels package, © 2015–2025 Giacomo
//! Vianello, BSD 3-Clause licence; the notice is in `LICENSE-astromodels.txt` next to it and is
//! embedded as [`LICENSE_TEXT`]. The table is embedded in the binary and parsed once on first use.

use std::sync::OnceLock;

use crate::bail;
use crate::error::{Error, Result};

/// The embedded CSV (comment lines start with `#`; header `energy_keV,<table>,…`).
const CSV: &str = include_str!("xsect_tables.csv");

/// The BSD-3 licence notice that must accompany the tables.
pub const LICENSE_TEXT: &str = include_str!("LICENSE-astromodels.txt");

/// One cross-section table: σ(E) per H atom in units of 1e−22 cm² on a shared energy grid (keV).
#[derive(Debug)]
pub struct XsectTable {
    /// table name, e.g. `tbabs_wilm`
    pub name: String,
    energy: &'static [f64],
    sigma: Vec<f64>,
}

struct Tables {
    energy: &'static [f64],
    tables: Vec<XsectTable>,
}

fn parse() -> Result<Tables> {
    let mut lines = CSV
        .lines()
        .filter(|l| !l.trim_start().starts_with('#') && !l.trim().is_empty());
    let header = lines
        .next()
        .ok_or_else(|| Error::new("xsect table: empty file"))?;
    let names: Vec<&str> = header.split(',').map(str::trim).collect();
    if names.first() != Some(&"energy_keV") || names.len() < 2 {
        bail!("xsect table: unexpected header '{header}'");
    }
    let ncol = names.len();
    let mut energy = Vec::new();
    // the cross sections row by row (nrow × (ncol − 1))
    let mut sigma = Vec::new();
    for (k, line) in lines.enumerate() {
        let mut n = 0;
        for (j, field) in line.split(',').enumerate() {
            if j >= ncol {
                bail!("xsect table: too many fields on data line {}", k + 1);
            }
            let x: f64 = field.trim().parse().map_err(|_| {
                Error::new(format!(
                    "xsect table: bad number '{field}' on data line {}",
                    k + 1
                ))
            })?;
            if j == 0 {
                energy.push(x);
            } else {
                sigma.push(x);
            }
            n += 1;
        }
        if n != ncol {
            bail!(
                "xsect table: {n} fields on data line {}, expected {ncol}",
                k + 1
            );
        }
    }
    if energy.len() < 2
        || energy
            .windows(2)
            .any(|w| w[1].partial_cmp(&w[0]) != Some(std::cmp::Ordering::Greater))
    {
        bail!("xsect table: energy grid must be strictly increasing with at least 2 points");
    }
    let sigma = ndarray::Array2::from_shape_vec((energy.len(), ncol - 1), sigma)
        .map_err(|e| Error::new(format!("xsect table: {e}")))?;
    let energy: &'static [f64] = Box::leak(energy.into_boxed_slice());
    let tables = names[1..]
        .iter()
        .zip(sigma.columns())
        .map(|(n, sigma)| XsectTable {
            name: n.to_string(),
            energy,
            sigma: sigma.to_vec(),
        })
        .collect();
    Ok(Tables { energy, tables })
}

fn tables() -> Result<&'static Tables> {
    static T: OnceLock<std::result::Result<Tables, Error>> = OnceLock::new();
    T.get_or_init(parse).as_ref().map_err(Clone::clone)
}

/// The table with the given name (`wabs_angr`, `phabs_angr`, `phabs_aspl`, `tbabs_angr`,
/// `tbabs_aspl`, `tbabs_wilm`).
pub fn table(name: &str) -> Result<&'static XsectTable> {
    let t = tables()?;
    t.tables.iter().find(|x| x.name == name).ok_or_else(|| {
        let names: Vec<&str> = t.tables.iter().map(|x| x.name.as_str()).collect();
        Error::new(format!(
            "no cross-section table '{name}' (available: {})",
            names.join(", ")
        ))
    })
}

/// Names of all embedded tables.
pub fn table_names() -> Result<Vec<String>> {
    Ok(tables()?.tables.iter().map(|t| t.name.clone()).collect())
}

impl XsectTable {
    /// The energy grid (keV).
    pub fn energies(&self) -> &[f64] {
        self.energy
    }

    /// The tabulated cross sections (1e−22 cm²).
    pub fn sigmas(&self) -> &[f64] {
        &self.sigma
    }

    /// σ(E) by linear interpolation in (E, σ); below the grid the first value (clamp), above
    /// it 0 (NumPy `interp(E, grid, σ, right=0)`).
    pub fn sigma(&self, e: f64) -> f64 {
        let xp = self.energy;
        let fp = &self.sigma;
        let n = xp.len();
        if e.is_nan() {
            return f64::NAN;
        }
        if e > xp[n - 1] {
            return 0.0;
        }
        if e == xp[n - 1] {
            return fp[n - 1];
        }
        if e <= xp[0] {
            return fp[0];
        }
        // index j with xp[j] <= e < xp[j+1]
        let j = xp.partition_point(|&x| x <= e) - 1;
        let slope = (fp[j + 1] - fp[j]) / (xp[j + 1] - xp[j]);
        slope * (e - xp[j]) + fp[j]
    }
}

/// The shared energy grid of all tables.
pub fn energy_grid() -> Result<&'static [f64]> {
    Ok(tables()?.energy)
}
