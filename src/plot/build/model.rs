//! Model figures (plots.md §6): model spectra on user energies, optionally with posterior bands
//! and the components of composite models.

use super::draws::{model_par_vectors, pointwise_band, thin, ParSnapshot};
use super::options::{check_mass, AtPar, ModelOptions};
use super::spectrum::{style_factor, style_spectrum};
use crate::analyze::Posterior;
use crate::error::{Error, Result};
use crate::model::{Kind, Model, Workspace};
use crate::plot::model_figure::{ModelEntry, ModelFigure};
use crate::plot::style::SpectralStyle;
use ndarray::{Array2, Axis};
use rayon::prelude::*;

/// One curve to draw: a model (or a component of one) at some energies.
struct Line {
    model: Model,
    energies: Vec<f64>,
    label: String,
    dashed: bool,
}

/// The figure of `Plot::model` + `add_model` (plots.md §6): one curve per `(model, energies)`
/// entry in the style's quantity (NE, Fv, vFv for additive models; NoU for multiplicative /
/// mathematical ones), labelled with the model's expression, in palette order.
///
/// With `post`, every curve is drawn at `opts.at_par` (default: the per-parameter medians) and
/// gets a band between the pointwise quantiles of central mass `opts.band_mass` over the
/// (thinned) posterior draws; every model must then belong to the posterior's inference (its
/// free parameters are parameters of that inference). Without `post`, the current values.
/// With `opts.components`, every component of a composite entry whose kind fits the style is
/// added after it (dashed, labelled with its name). Parameters are left as they were.
pub fn model_figure(
    entries: &[(Model, Vec<f64>)],
    post: Option<&Posterior>,
    opts: &ModelOptions,
) -> Result<ModelFigure> {
    check_mass(opts.band_mass)?;
    if opts.max_draws == 0 {
        return Err(Error::new("max_draws must be at least 1"));
    }
    let style = opts.style;
    if style.is_count() {
        return Err(Error::new(format!(
            "style {style} is a folded count quantity; a model plot accepts NE, Fv (alias ENE), \
             vFv (alias EENE) or NoU"
        )));
    }
    let mut lines = Vec::new();
    for (model, energies) in entries {
        check_kind(model, style)?;
        check_energies(model, energies)?;
        lines.push(Line {
            model: model.clone(),
            energies: energies.clone(),
            label: model.expr(),
            dashed: false,
        });
        let comps = model.components();
        if opts.components && comps.len() > 1 {
            for (name, comp) in comps {
                let m = Model::from_component(&comp);
                if fits_style(m.kind(), style) {
                    lines.push(Line {
                        model: m,
                        energies: energies.clone(),
                        label: name,
                        dashed: true,
                    });
                }
            }
        }
    }
    let models: Vec<Model> = lines.iter().map(|l| l.model.clone()).collect();
    let mut snapshot = match post {
        Some(p) => ParSnapshot::of_infer(p.infer()),
        None => ParSnapshot::new([]),
    };
    for m in &models {
        snapshot = snapshot.with_model(m);
    }

    let mut band_pars: Option<Vec<Array2<f64>>> = None;
    match post {
        Some(post) => {
            for l in &lines {
                check_belongs(&l.model, post)?;
            }
            let at = opts.at_par.unwrap_or(AtPar::Median);
            let theta = at.values(post)?;
            if opts.band {
                let draws = thin(post.analysis().sample(), opts.max_draws);
                band_pars = Some(model_par_vectors(post.infer(), &draws, &models)?);
            }
            post.infer().set_free_values(&theta)?;
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

    let mut fig = ModelFigure::new(style);
    fig.title = opts.text.title.clone();
    fig.x_label = opts.text.x_label.clone();
    fig.y_label = opts.text.y_label.clone();
    if let Some(labels) = &opts.text.legend {
        if labels.len() != lines.len() {
            return Err(Error::new(format!(
                "labels: {} legend labels for {} curves ({})",
                labels.len(),
                lines.len(),
                lines
                    .iter()
                    .map(|l| l.label.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
    }
    fig.y_range = opts.y_range;
    fig.colors = opts.colors.clone();
    fig.size = opts.size;
    for (i, l) in lines.iter().enumerate() {
        let y = style_spectrum(&l.model, style, &l.energies, opts.time)
            .map_err(|e| e.context(format!("model {}", l.label)))?;
        let label = match &opts.text.legend {
            Some(labels) => labels[i].clone(),
            None => l.label.clone(),
        };
        let mut entry = ModelEntry::new(label, l.energies.clone(), y)?;
        entry.dashed = l.dashed;
        if let Some(bp) = &band_pars {
            let (lo, hi) = model_band(&l.model, style, &l.energies, opts.time, &bp[i], opts)
                .map_err(|e| e.context(format!("band of model {}", l.label)))?;
            entry = entry.with_band(lo, hi)?;
        }
        fig.entries.push(entry);
    }
    snapshot.restore();
    Ok(fig)
}

/// Whether a model kind can be drawn in a style.
fn fits_style(kind: Kind, style: SpectralStyle) -> bool {
    match style {
        SpectralStyle::NoU => matches!(kind, Kind::Mul | Kind::Math),
        _ => kind == Kind::Add,
    }
}

fn check_kind(model: &Model, style: SpectralStyle) -> Result<()> {
    if fits_style(model.kind(), style) {
        return Ok(());
    }
    let accepted = if model.kind() == Kind::Add {
        "NE, Fv, vFv"
    } else {
        "NoU"
    };
    Err(Error::new(format!(
        "model {} is of kind {} and cannot be drawn in style {style} (use {accepted})",
        model.expr(),
        model.kind()
    )))
}

fn check_energies(model: &Model, e: &[f64]) -> Result<()> {
    if e.is_empty() {
        return Err(Error::new(format!(
            "model {}: the energy grid is empty",
            model.expr()
        )));
    }
    if let Some(i) = e.iter().position(|v| !(v.is_finite() && *v > 0.0)) {
        return Err(Error::new(format!(
            "model {}: energy {} = {} keV must be finite and > 0 (log axis)",
            model.expr(),
            i + 1,
            e[i]
        )));
    }
    Ok(())
}

/// Every free (non-frozen) parameter of `model` must be a parameter of the posterior's
/// inference, or the band would silently ignore its uncertainty.
fn check_belongs(model: &Model, post: &Posterior) -> Result<()> {
    let rows = post.infer().rows();
    for e in model.params() {
        if e.par.frozen() {
            continue;
        }
        if !rows.iter().any(|r| r.par.same(&e.par)) {
            return Err(Error::new(format!(
                "model {} does not belong to the posterior's inference (its parameter {} of {} \
                 is not one of the inference's parameters); draw it without a posterior",
                model.expr(),
                e.par.label(),
                e.component
            )));
        }
    }
    Ok(())
}

/// Pointwise band of one model over parameter vectors `draws` (rows, par# order).
fn model_band(
    model: &Model,
    style: SpectralStyle,
    energies: &[f64],
    t: Option<f64>,
    draws: &Array2<f64>,
    opts: &ModelOptions,
) -> Result<(Vec<f64>, Vec<f64>)> {
    let compiled = model.compile()?;
    let mut values = Array2::zeros((draws.nrows(), energies.len()));
    values
        .axis_iter_mut(Axis(0))
        .into_par_iter()
        .zip(draws.axis_iter(Axis(0)).into_par_iter())
        .try_for_each_init(Workspace::new, |ws, (mut row, pars)| {
            let out = row
                .as_slice_mut()
                .expect("rows of a fresh matrix are contiguous");
            let pars = pars
                .to_slice()
                .expect("rows of a fresh matrix are contiguous");
            compiled.eval(pars, energies, t, out, ws)?;
            out.iter_mut()
                .zip(energies)
                .for_each(|(v, &e)| *v *= style_factor(style, e));
            Ok::<(), crate::error::Error>(())
        })?;
    Ok(pointwise_band(&values, opts.band_mass))
}
