//! Spectral figures from data units, pairs and inferences (plots.md §3–5): net count spectra,
//! deconvolved spectra, folded / unfolded model curves, posterior bands and residuals.

use super::draws::{check_posterior_of, log_grid, pointwise_band, thin, ParSnapshot};
use super::options::{AtPar, FigureText, SpectrumOptions};
use crate::analyze::Posterior;
use crate::data::{BinRates, Data, DataUnit, GridKind};
use crate::error::{Error, Result};
use crate::infer::{Infer, Pair};
use crate::model::{Model, KEV_TO_ERG};
use crate::plot::series::{Band, Curve, DataSeries, Residuals};
use crate::plot::spectrum::{SpectrumFigure, UnitPlot};
use crate::plot::style::SpectralStyle;
use ndarray::{Array2, ArrayView1};

/// The figure of `Plot::infer` (plots.md §3): for every unit of every pair, its data (net
/// count spectrum for CC/CE, deconvolved spectrum for NE/Fv/vFv), the model (folded for CC/CE,
/// the model spectrum for NE/Fv/vFv), the posterior band (with `post`) and the residuals.
///
/// The model is evaluated at `opts.at_par` of `post` (default best; truth for a bootstrap), or
/// at the current values without a posterior. The grid is the display grid unless
/// `opts.rebin == Some(false)`. Parameters are left as they were.
pub fn infer_figure(
    infer: &Infer,
    post: Option<&Posterior>,
    opts: &SpectrumOptions,
) -> Result<SpectrumFigure> {
    opts.validate()?;
    check_model_style(opts.style)?;
    let kind = grid_kind(opts.rebin, true);
    let snapshot = ParSnapshot::of_infer(infer);
    let mut draws: Vec<&[f64]> = Vec::new();
    match post {
        Some(post) => {
            check_posterior_of(infer, post)?;
            let at = opts.at_par.unwrap_or_else(|| AtPar::default_for(post));
            let theta = at.values(post)?;
            if opts.band {
                draws = thin(post.analysis().sample(), opts.max_draws);
            }
            infer.set_free_values(&theta)?;
        }
        None => {
            if let Some(at) = opts.at_par {
                return Err(Error::new(format!(
                    "at_par '{at}' needs a posterior; without one the current parameter values \
                     are plotted"
                )));
            }
        }
    }
    // Every unit of every pair at the chosen point.
    let mut fig = new_figure(opts);
    let mut units: Vec<(&Pair, &DataUnit)> = Vec::new();
    for pair in infer.pairs() {
        for (unit, name) in pair.data.iter().zip(pair.data.names()) {
            fig.units.push(
                unit_plot(pair, unit, &name, kind, opts)
                    .map_err(|e| e.context(format!("plotting unit '{name}'")))?,
            );
            units.push((pair, unit));
        }
    }
    // The bands: every draw through the object path, so that whatever the draw moves (model
    // and nuisance parameters) enters the folded model.
    if !draws.is_empty() {
        // each unit's plotted bins (units differ in length)
        let xs: Vec<_> = fig
            .units
            .iter()
            .map(|u| u.model.as_ref().map(|c| c.x.clone()).unwrap_or_default())
            .collect();
        let mut values: Vec<Array2<f64>> = xs
            .iter()
            .map(|x| Array2::zeros((draws.len(), x.len())))
            .collect();
        for (d, theta) in draws.iter().enumerate() {
            infer.set_free_values(theta)?;
            for (u, (pair, unit)) in units.iter().enumerate() {
                let row = model_values(pair, unit, kind, opts.style, &xs[u])?;
                if row.len() != xs[u].len() {
                    return Err(Error::new(format!(
                        "model band: {} model values for {} plotted bins",
                        row.len(),
                        xs[u].len()
                    )));
                }
                values[u].row_mut(d).assign(&ArrayView1::from(&row));
            }
        }
        for ((plot, v), x) in fig.units.iter_mut().zip(&values).zip(xs) {
            let (lo, hi) = pointwise_band(v, opts.band_mass);
            plot.band = Some(Band::new(x, lo, hi)?);
        }
    }
    snapshot.restore();
    with_text(fig, &opts.text)
}

/// The figure of `Plot::pair` (plots.md §4): one pair at its model's current parameter values,
/// fitting grid unless `opts.rebin == Some(true)`, no band.
pub fn pair_figure(pair: &Pair, opts: &SpectrumOptions) -> Result<SpectrumFigure> {
    opts.validate()?;
    check_model_style(opts.style)?;
    if let Some(at) = opts.at_par {
        return Err(Error::new(format!(
            "a pair plot shows the model's current parameter values; at_par '{at}' applies to \
             a posterior (use infer_figure)"
        )));
    }
    let kind = grid_kind(opts.rebin, false);
    let mut fig = new_figure(opts);
    for (unit, name) in pair.data.iter().zip(pair.data.names()) {
        fig.units.push(
            unit_plot(pair, unit, &name, kind, opts)
                .map_err(|e| e.context(format!("plotting unit '{name}'")))?,
        );
    }
    with_text(fig, &opts.text)
}

/// The figure of `Plot::data` (plots.md §5): the net spectrum (CC or CE) of every unit, no
/// model; fitting grid unless `opts.rebin == Some(true)`.
pub fn data_figure(data: &Data, opts: &SpectrumOptions) -> Result<SpectrumFigure> {
    opts.validate()?;
    check_data_style(opts.style)?;
    let kind = grid_kind(opts.rebin, false);
    let mut fig = new_figure(opts);
    for (unit, name) in data.iter().zip(data.names()) {
        let (y, err) = net_values(&unit.rates(kind), opts.style);
        let g = unit.grid(kind);
        fig.units.push(UnitPlot {
            name,
            data: Some(DataSeries::from_edges(g.emin(), g.emax(), y, err)?),
            ..UnitPlot::default()
        });
    }
    with_text(fig, &opts.text)
}

/// The figure of `Plot::dataunit` (plots.md §5): source, background (scaled to the source
/// region; omitted when the unit has none) and net spectrum of one unit, legend "Source",
/// "Background", "Net"; fitting grid unless `opts.rebin == Some(true)`.
pub fn dataunit_figure(unit: &DataUnit, opts: &SpectrumOptions) -> Result<SpectrumFigure> {
    opts.validate()?;
    check_data_style(opts.style)?;
    let kind = grid_kind(opts.rebin, false);
    let g = unit.grid(kind);
    let r = unit.rates(kind);
    let per_kev = opts.style == SpectralStyle::CE;
    let pick = |rate: &Vec<f64>, err: &Vec<f64>, spec: &Vec<f64>, spec_err: &Vec<f64>| {
        if per_kev {
            (spec.clone(), spec_err.clone())
        } else {
            (rate.clone(), err.clone())
        }
    };
    let mut series = vec![(
        "Source",
        pick(
            &r.src_rate,
            &r.src_rate_error,
            &r.src_ctsspec,
            &r.src_ctsspec_error,
        ),
    )];
    if unit.has_background() {
        series.push((
            "Background",
            pick(
                &r.bkg_rate,
                &r.bkg_rate_error,
                &r.bkg_ctsspec,
                &r.bkg_ctsspec_error,
            ),
        ));
    }
    series.push((
        "Net",
        pick(
            &r.net_rate,
            &r.net_rate_error,
            &r.net_ctsspec,
            &r.net_ctsspec_error,
        ),
    ));
    let mut fig = new_figure(opts);
    for (name, (y, err)) in series {
        fig.units.push(UnitPlot {
            name: name.to_string(),
            data: Some(DataSeries::from_edges(g.emin(), g.emax(), y, err)?),
            ..UnitPlot::default()
        });
    }
    with_text(fig, &opts.text)
}

/// The figure with the user's title, axis labels and legend labels (one per unit, in order).
fn with_text(mut fig: SpectrumFigure, text: &FigureText) -> Result<SpectrumFigure> {
    fig.title = text.title.clone();
    fig.x_label = text.x_label.clone();
    fig.y_label = text.y_label.clone();
    if let Some(labels) = &text.legend {
        if labels.len() != fig.units.len() {
            return Err(Error::new(format!(
                "labels: {} legend labels for {} data units ({})",
                labels.len(),
                fig.units.len(),
                fig.units
                    .iter()
                    .map(|u| u.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        for (u, l) in fig.units.iter_mut().zip(labels) {
            u.name = l.clone();
        }
    }
    Ok(fig)
}

/// An empty figure carrying the drawing options.
fn new_figure(opts: &SpectrumOptions) -> SpectrumFigure {
    let mut fig = SpectrumFigure::new(opts.style);
    fig.res_range = opts.res_range;
    fig.y_range = opts.y_range;
    fig.x_range = opts.x_range;
    fig.colors = opts.colors.clone();
    fig.size = opts.size;
    fig
}

fn grid_kind(rebin: Option<bool>, default: bool) -> GridKind {
    if rebin.unwrap_or(default) {
        GridKind::Display
    } else {
        GridKind::Fit
    }
}

fn check_model_style(style: SpectralStyle) -> Result<()> {
    if style == SpectralStyle::NoU {
        return Err(Error::new(
            "style NoU is only for model plots; spectra with data accept CC, CE, NE, Fv (alias \
             ENE), vFv (alias EENE)",
        ));
    }
    Ok(())
}

fn check_data_style(style: SpectralStyle) -> Result<()> {
    if !style.is_count() {
        return Err(Error::new(format!(
            "style {style} needs a model; a data plot accepts CC or CE"
        )));
    }
    Ok(())
}

/// Net rate per bin (CC) or per keV (CE) and its error.
fn net_values(r: &BinRates, style: SpectralStyle) -> (Vec<f64>, Vec<f64>) {
    if style == SpectralStyle::CC {
        (r.net_rate.clone(), r.net_rate_error.clone())
    } else {
        (r.net_ctsspec.clone(), r.net_ctsspec_error.clone())
    }
}

/// Multiplier turning N(E) into the style's quantity at energy `e` (1 for NE / NoU).
pub(crate) fn style_factor(style: SpectralStyle, e: f64) -> f64 {
    match style {
        SpectralStyle::Fv => KEV_TO_ERG * e,
        SpectralStyle::VFv => KEV_TO_ERG * e * e,
        _ => 1.0,
    }
}

/// The model quantity of a style at energies `e` (phtspec / flxspec / ergspec / nouspec).
pub(crate) fn style_spectrum(
    model: &Model,
    style: SpectralStyle,
    e: &[f64],
    t: Option<f64>,
) -> Result<Vec<f64>> {
    let ts = t.map(|t| [t]);
    let t = ts.as_ref().map(|a| &a[..]);
    match style {
        SpectralStyle::NE => model.phtspec(e, t),
        SpectralStyle::Fv => model.flxspec(e, t),
        SpectralStyle::VFv => model.ergspec(e, t),
        SpectralStyle::NoU => model.nouspec(e, t),
        SpectralStyle::CC | SpectralStyle::CE => Err(Error::new(format!(
            "style {style} is a folded count quantity, not a model spectrum"
        ))),
    }
}

/// Everything drawn for one unit of a pair at the current parameter values (no band).
fn unit_plot(
    pair: &Pair,
    unit: &DataUnit,
    name: &str,
    kind: GridKind,
    opts: &SpectrumOptions,
) -> Result<UnitPlot> {
    let style = opts.style;
    let g = unit.grid(kind);
    let (emin, emax) = (g.emin(), g.emax());
    let emid = g.emid();
    let width = g.ewidth();
    let rates = unit.rates(kind);
    let t = unit.time();
    let model_rate = pair.folded_rate(unit, kind)?;
    let model_ctsspec: Vec<f64> = model_rate.iter().zip(&width).map(|(m, w)| m / w).collect();

    let (data, curve) = if style.is_count() {
        let (y, err) = net_values(&rates, style);
        let m = if style == SpectralStyle::CC {
            model_rate.clone()
        } else {
            model_ctsspec.clone()
        };
        let curve = if opts.model_steps {
            Curve::steps(emin.to_vec(), emax.to_vec(), m)?
        } else {
            Curve::line(emid.clone(), m)?
        };
        (DataSeries::from_edges(emin, emax, y, err)?, curve)
    } else {
        // Deconvolution factors X(E_k) / C_k at the bin midpoints (data.md §3.5).
        let x_mid = style_spectrum(&pair.model, style, &emid, t)?;
        let factor: Vec<f64> = x_mid
            .iter()
            .zip(&model_ctsspec)
            .map(|(x, c)| {
                let f = x / c;
                if *c != 0.0 && f.is_finite() {
                    f
                } else {
                    f64::NAN
                }
            })
            .collect();
        let y = rates
            .net_ctsspec
            .iter()
            .zip(&factor)
            .map(|(v, f)| v * f)
            .collect();
        let err = rates
            .net_ctsspec_error
            .iter()
            .zip(&factor)
            .map(|(v, f)| (v * f).abs())
            .collect();
        let curve_x = curve_energies(&emid, emin, emax, opts.model_points)?;
        let curve_y = if opts.model_points.is_some() {
            style_spectrum(&pair.model, style, &curve_x, t)?
        } else {
            x_mid
        };
        (
            DataSeries::from_edges(emin, emax, y, err)?,
            Curve::line(curve_x, curve_y)?,
        )
    };

    // Residuals: (net rate − model rate) / net rate error, bins with zero error skipped.
    let mut rx = Vec::new();
    let mut rv = Vec::new();
    for k in 0..model_rate.len() {
        let e = rates.net_rate_error[k];
        if e > 0.0 && e.is_finite() {
            let r = (rates.net_rate[k] - model_rate[k]) / e;
            if r.is_finite() {
                rx.push(emid[k]);
                rv.push(r);
            }
        }
    }
    Ok(UnitPlot {
        name: name.to_string(),
        data: Some(data),
        model: Some(curve),
        band: None,
        residuals: Some(Residuals::new(rx, rv)?),
    })
}

/// Energies of an NE/Fv/vFv model curve: the bin midpoints, or `n` log-spaced energies across
/// the unit's bins.
fn curve_energies(emid: &[f64], emin: &[f64], emax: &[f64], n: Option<usize>) -> Result<Vec<f64>> {
    match n {
        None => Ok(emid.to_vec()),
        Some(n) => {
            let lo = emin.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = emax.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            log_grid(lo, hi, n)
        }
    }
}

/// The model in the style at the current parameter values: folded rate per bin (CC), folded
/// rate per keV (CE), or the model spectrum at energies `x` (NE / Fv / vFv).
fn model_values(
    pair: &Pair,
    unit: &DataUnit,
    kind: GridKind,
    style: SpectralStyle,
    x: &[f64],
) -> Result<Vec<f64>> {
    match style {
        SpectralStyle::CC => pair.folded_rate(unit, kind),
        SpectralStyle::CE => {
            let rate = pair.folded_rate(unit, kind)?;
            let width = unit.grid(kind).ewidth();
            Ok(rate.iter().zip(&width).map(|(r, w)| r / w).collect())
        }
        _ => style_spectrum(&pair.model, style, x, unit.time()),
    }
}
