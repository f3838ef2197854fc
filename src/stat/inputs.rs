//! What a data unit feeds the statistic (data.md §3.4), as borrowed slices on the fit grid.

use super::statistic::Statistic;
use crate::bail;
use crate::error::Result;

/// Per-bin inputs of one data unit's statistic, all on the fitting grid.
///
/// `s`, `b`, `sigma_s`, `sigma_b` have one entry per fit bin; `ts` and `tb` have either one
/// entry per bin (vector BACKSCAL/AREASCAL) or a single entry used for every bin.
#[derive(Clone, Copy, Debug)]
pub struct StatInputs<'a> {
    /// Source counts S per bin.
    pub s: &'a [f64],
    /// Raw background counts B per bin (background region, not scaled).
    pub b: &'a [f64],
    /// Gaussian source errors σ_S (counts).
    pub sigma_s: &'a [f64],
    /// Gaussian background errors σ_B (background counts).
    pub sigma_b: &'a [f64],
    /// Source efficiency t_s (`corr_src_efficiency`), per bin or one value.
    pub ts: &'a [f64],
    /// Background efficiency t_b (`corr_bkg_efficiency`), per bin or one value.
    pub tb: &'a [f64],
}

impl<'a> StatInputs<'a> {
    /// The inputs from their slices, in field order.
    pub fn new(
        s: &'a [f64],
        b: &'a [f64],
        sigma_s: &'a [f64],
        sigma_b: &'a [f64],
        ts: &'a [f64],
        tb: &'a [f64],
    ) -> Self {
        StatInputs {
            s,
            b,
            sigma_s,
            sigma_b,
            ts,
            tb,
        }
    }

    /// Number of fit bins (`npoint` of the unit).
    pub fn len(&self) -> usize {
        self.s.len()
    }

    /// Whether the unit has no fit bin.
    pub fn is_empty(&self) -> bool {
        self.s.is_empty()
    }

    /// Whether every slice has a consistent length and the model has `n_model` entries.
    pub fn shape_ok(&self, n_model: usize) -> bool {
        let n = self.s.len();
        let per_bin_or_one = |len: usize| len == n || len == 1;
        self.b.len() == n
            && self.sigma_s.len() == n
            && self.sigma_b.len() == n
            && per_bin_or_one(self.ts.len())
            && per_bin_or_one(self.tb.len())
            && n_model == n
    }

    /// t_s of bin i (broadcasting a single value).
    #[inline]
    pub fn ts_at(&self, i: usize) -> f64 {
        if self.ts.len() == 1 {
            self.ts[0]
        } else {
            self.ts[i]
        }
    }

    /// t_b of bin i (broadcasting a single value).
    #[inline]
    pub fn tb_at(&self, i: usize) -> f64 {
        if self.tb.len() == 1 {
            self.tb[0]
        } else {
            self.tb[i]
        }
    }

    /// Check the inputs once, before any evaluation, for the given statistic: consistent
    /// lengths, finite values, t_s > 0, t_b > 0 (t_b ≥ 0 for `chi2`), σ ≥ 0, and for
    /// Poisson-source statistics S ≥ 0 (and B ≥ 0 for `cstat`).
    pub fn validate(&self, stat: Statistic) -> Result<()> {
        let n = self.s.len();
        for (name, v) in [
            ("b (background counts)", self.b),
            ("sigma_s (source errors)", self.sigma_s),
            ("sigma_b (background errors)", self.sigma_b),
        ] {
            if v.len() != n {
                bail!(
                    "statistic inputs: {name} has {} entries but there are {n} source bins",
                    v.len()
                );
            }
        }
        for (name, v) in [("ts", self.ts), ("tb", self.tb)] {
            if v.len() != n && v.len() != 1 {
                bail!(
                    "statistic inputs: {name} (efficiency) has {} entries; expected 1 or {n}",
                    v.len()
                );
            }
        }
        let finite = |name: &str, v: &[f64]| -> Result<()> {
            if let Some(i) = v.iter().position(|x| !x.is_finite()) {
                bail!("statistic inputs: {name}[{i}] = {} is not finite", v[i]);
            }
            Ok(())
        };
        finite("s (source counts)", self.s)?;
        finite("b (background counts)", self.b)?;
        finite("sigma_s (source errors)", self.sigma_s)?;
        finite("sigma_b (background errors)", self.sigma_b)?;
        finite("ts", self.ts)?;
        finite("tb", self.tb)?;
        if let Some(i) = self.ts.iter().position(|&x| x <= 0.0) {
            bail!("statistic inputs: ts[{i}] = {} must be > 0", self.ts[i]);
        }
        let tb_zero_ok = stat == Statistic::Chi2;
        if let Some(i) = self
            .tb
            .iter()
            .position(|&x| x < 0.0 || (x == 0.0 && !tb_zero_ok))
        {
            bail!(
                "statistic inputs: tb[{i}] = {} must be > 0 for {}",
                self.tb[i],
                stat.name()
            );
        }
        for (name, v) in [("sigma_s", self.sigma_s), ("sigma_b", self.sigma_b)] {
            if let Some(i) = v.iter().position(|&x| x < 0.0) {
                bail!("statistic inputs: {name}[{i}] = {} must be >= 0", v[i]);
            }
        }
        if stat != Statistic::Chi2 {
            if let Some(i) = self.s.iter().position(|&x| x < 0.0) {
                bail!(
                    "statistic inputs: source counts s[{i}] = {} < 0 cannot be used with the \
                     Poisson statistic {}",
                    self.s[i],
                    stat.name()
                );
            }
        }
        if matches!(stat, Statistic::Cstat | Statistic::ULppstat) {
            if let Some(i) = self.b.iter().position(|&x| x < 0.0) {
                bail!(
                    "statistic inputs: background counts b[{i}] = {} < 0 cannot be used with \
                     the Poisson-background statistic {}",
                    self.b[i],
                    stat.name()
                );
            }
        }
        Ok(())
    }
}
