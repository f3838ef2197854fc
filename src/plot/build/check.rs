//! Figures of predictive checks (`post.ppc`, `fit.goodness`): observed counts against the
//! replicated ones per bin ([`ppc_figure`]) and the Q-Q plot of cumulative counts
//! ([`qq_figure`]).

use crate::analyze::ppc::{CheckResult, UnitCheck};
use crate::error::{Error, Result};
use crate::plot::color::PALETTE;
use crate::plot::qq::{QqFigure, QqUnit};
use crate::plot::series::{Band, Curve, DataSeries, Residuals};
use crate::plot::spectrum::{SpectrumFigure, UnitPlot};
use crate::plot::style::SpectralStyle;

/// y label of the predictive-check spectrum.
pub const PPC_Y_LABEL: &str = "Counts / keV";

/// The figure of `Plot::ppc`: per unit of `check`, on the fit bins,
///
/// - the observed source-region counts per keV (counts / bin width) as data points, their
///   error bar the half width of the replicated 16–84 % range (the σ of the residuals; unlike
///   √counts it is also defined for empty bins);
/// - the posterior-predictive band of the replicated counts per keV: 16–84 % (darker) inside
///   2.5–97.5 % (lighter), both as steps over the bins;
/// - the expected counts per keV (the model mean over the check's parameter points) as steps;
/// - residuals in σ: (observed − median replicated) / (half the 16–84 % width), 0 where that
///   width is 0.
///
/// The legend names each unit with its p-value, e.g. `nai (p = 0.61)`. Each unit takes two
/// entries of `units`: the unit itself (data, 16–84 % band, model, residuals) followed by an
/// unnamed companion holding only the 2.5–97.5 % band, drawn in the same colour (`colors`
/// repeats each palette colour twice). Errors when a unit has no bins or no energies.
pub fn ppc_figure(check: &CheckResult) -> Result<SpectrumFigure> {
    if check.units.is_empty() {
        return Err(Error::new("ppc plot: the check has no data units"));
    }
    let mut fig = SpectrumFigure::new(SpectralStyle::CE);
    fig.y_label = Some(PPC_Y_LABEL.to_string());
    let mut colors = Vec::with_capacity(2 * check.units.len());
    for (i, u) in check.units.iter().enumerate() {
        let width = check_unit("ppc plot", u)?;
        let per_kev =
            |v: &[f64]| -> Vec<f64> { v.iter().zip(&width).map(|(c, w)| c / w).collect() };
        let quantile =
            |q: usize| -> Vec<f64> { per_kev(&u.bands.iter().map(|b| b[q]).collect::<Vec<_>>()) };
        let sigma: Vec<f64> = u.bands.iter().map(|b| 0.5 * (b[3] - b[1])).collect();
        let data = DataSeries::from_edges(&u.e_lo, &u.e_hi, per_kev(&u.counts), per_kev(&sigma))?;
        let model = Curve::steps(u.e_lo.clone(), u.e_hi.clone(), per_kev(&u.expected))?;
        let residuals = Residuals::new(data.x.clone(), residual_sigma(u))?;
        fig.units.push(UnitPlot {
            name: unit_title(u, check.n),
            data: Some(data),
            model: Some(model),
            band: Some(step_band(u, quantile(1), quantile(3))?),
            residuals: Some(residuals),
        });
        fig.units.push(UnitPlot {
            band: Some(step_band(u, quantile(0), quantile(4))?),
            ..UnitPlot::default()
        });
        let c = PALETTE[i % PALETTE.len()];
        colors.extend([c, c]);
    }
    fig.colors = Some(colors);
    Ok(fig)
}

/// Residuals in σ of each bin of a unit: (observed − median replicated) / (half the 16–84 %
/// width of the replicated counts), 0 where that width is 0.
pub fn residual_sigma(u: &UnitCheck) -> Vec<f64> {
    u.counts
        .iter()
        .zip(&u.bands)
        .map(|(c, b)| {
            let sigma = 0.5 * (b[3] - b[1]);
            if sigma > 0.0 {
                (c - b[2]) / sigma
            } else {
                0.0
            }
        })
        .collect()
}

/// The figure of `Plot::qq` (BXA's Q-Q plot): per unit of `check`, one panel of the
/// cumulative observed counts (y) against the cumulative expected counts (x), bins in energy
/// order, raw counts (not normalised), with the diagonal y = x dashed; the panel title is the
/// unit name with its p-value.
///
/// No replicated band is drawn: the check keeps per-bin quantiles of the replicated counts,
/// and cumulating those is not a quantile of the cumulative sum (bins are correlated through
/// the parameter draws), so the range cannot be derived from it. Errors when a unit has no
/// bins or no energies.
pub fn qq_figure(check: &CheckResult) -> Result<QqFigure> {
    if check.units.is_empty() {
        return Err(Error::new("Q-Q plot: the check has no data units"));
    }
    let mut fig = QqFigure::new();
    for u in &check.units {
        check_unit("Q-Q plot", u)?;
        let mut order: Vec<usize> = (0..u.counts.len()).collect();
        order.sort_by(|&a, &b| u.e_lo[a].total_cmp(&u.e_lo[b]));
        let cumulate = |v: &[f64]| -> Vec<f64> {
            order
                .iter()
                .scan(0.0, |s, &k| {
                    *s += v[k];
                    Some(*s)
                })
                .collect()
        };
        fig.units.push(QqUnit::new(
            unit_title(u, check.n),
            cumulate(&u.expected),
            cumulate(&u.counts),
        )?);
    }
    Ok(fig)
}

/// `name (p = 0.61)`; `p < 1/n` when no replicate reached the observed statistic.
pub fn unit_title(u: &UnitCheck, n: usize) -> String {
    let short = |x: f64| {
        if x >= 0.01 {
            format!("{x:.2}")
        } else if x >= 0.001 {
            format!("{x:.3}")
        } else {
            format!("{x:.1e}")
        }
    };
    if u.p_value == 0.0 && n > 0 {
        format!("{} (p < {})", u.name, short(1.0 / n as f64))
    } else {
        format!("{} (p = {})", u.name, short(u.p_value))
    }
}

/// Check a unit's arrays (bins present, energies present, equal lengths, positive widths);
/// returns the bin widths (keV).
fn check_unit(who: &str, u: &UnitCheck) -> Result<Vec<f64>> {
    let n = u.counts.len();
    if n == 0 {
        return Err(Error::new(format!("{who}: unit '{}' has no bins", u.name)));
    }
    if u.e_lo.is_empty() || u.e_hi.is_empty() {
        return Err(Error::new(format!(
            "{who}: unit '{}' has no bin energies (a check computed from a plan alone); use \
             the result of post.ppc or fit.goodness",
            u.name
        )));
    }
    for (len, what) in [
        (u.e_lo.len(), "e_lo"),
        (u.e_hi.len(), "e_hi"),
        (u.expected.len(), "expected"),
        (u.bands.len(), "bands"),
    ] {
        if len != n {
            return Err(Error::new(format!(
                "{who}: unit '{}' has {len} values of {what} for {n} bins",
                u.name
            )));
        }
    }
    let width: Vec<f64> = u.e_lo.iter().zip(&u.e_hi).map(|(a, b)| b - a).collect();
    if let Some(k) = width.iter().position(|w| !(w.is_finite() && *w > 0.0)) {
        return Err(Error::new(format!(
            "{who}: unit '{}' bin {k} has edges [{}, {}] keV (need lo < hi)",
            u.name, u.e_lo[k], u.e_hi[k]
        )));
    }
    Ok(width)
}

/// A band over the bins as steps: each bin's value held from its lower to its upper edge.
fn step_band(u: &UnitCheck, lo: Vec<f64>, hi: Vec<f64>) -> Result<Band> {
    let twice = |v: &[f64]| v.iter().flat_map(|&y| [y, y]).collect::<Vec<_>>();
    let x = u
        .e_lo
        .iter()
        .zip(&u.e_hi)
        .flat_map(|(&a, &b)| [a, b])
        .collect();
    Band::new(x, twice(&lo), twice(&hi))
}
