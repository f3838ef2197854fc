//! Rhai binding of plots: the `Plot::` namespace (`Plot::infer`, `Plot::pair`, `Plot::data`,
//! `Plot::corner`, `Plot::model`, `Plot::ppc`, `Plot::qq`) returning figures that
//! `save(path)` to `.png` / `.svg`.

use super::check::CheckHandle;
use super::data::DataHandle;
use super::docs::Docs;
use super::infer::{InferHandle, PairHandle, PostHandle, SamplerRun};
use super::options::{err, lift, num_vec, Options, RhaiResult};
use crate::analyze::ppc::CheckResult;
use crate::model::Model;
use crate::plot::build::{
    corner_figure, data_figure, infer_figure, model_figure, pair_figure, ppc_figure, qq_figure,
    run_figure, trace_figure, AtPar, CornerOptions, ModelOptions, SpectrumOptions,
};
use crate::plot::{Figure, SpectralStyle};
use rhai::{Array, Engine, Map, Module};
use std::sync::{Arc, RwLock};

/// Script type `Figure`: a finished plot.
#[derive(Clone)]
pub struct FigureHandle(pub Arc<Figure>);

/// Script type `ModelPlot`: `Plot::model(...)` collecting models before drawing.
#[derive(Clone)]
pub struct ModelPlotHandle(Arc<RwLock<ModelPlotState>>);

struct ModelPlotState {
    opts: ModelOptions,
    post: Option<PostHandle>,
    /// `post: true`: use the posterior the first model was fitted in.
    find_post: bool,
    entries: Vec<(Model, Vec<f64>)>,
}

const SPECTRUM_KEYS: &[&str] = &[
    "style",
    "rebin",
    "at_par",
    "band",
    "band_mass",
    "max_draws",
    "model_steps",
    "model_points",
    "res_range",
    "y_range",
    "x_range",
    "size",
];

const MODEL_KEYS: &[&str] = &[
    "style",
    "post",
    "at_par",
    "band",
    "band_mass",
    "max_draws",
    "components",
    "time",
    "y_range",
    "size",
];

const CORNER_KEYS: &[&str] = &["at_par", "truths", "bins", "smooth", "size"];

const PPC_KEYS: &[&str] = &["n", "seed", "res_range", "size"];

const QQ_KEYS: &[&str] = &["n", "seed", "size"];

fn range(o: &Options, key: &str) -> RhaiResult<Option<(f64, f64)>> {
    match o.f64_vec(key)? {
        None => Ok(None),
        Some(v) if v.len() == 2 => Ok(Some((v[0], v[1]))),
        Some(v) => err(format!(
            "option '{key}' must be [lo, hi], got {} numbers",
            v.len()
        )),
    }
}

fn size(o: &Options) -> RhaiResult<Option<(u32, u32)>> {
    match range(o, "size")? {
        None => Ok(None),
        Some((w, h)) if w >= 100.0 && h >= 100.0 && w <= 10000.0 && h <= 10000.0 => {
            Ok(Some((w as u32, h as u32)))
        }
        Some((w, h)) => err(format!(
            "option 'size' must be [width, height] in pixels between 100 and 10000, got [{w}, {h}]"
        )),
    }
}

fn at_par(o: &Options) -> RhaiResult<Option<AtPar>> {
    match o.string("at_par")? {
        None => Ok(None),
        Some(s) => lift(AtPar::parse(&s)).map(Some),
    }
}

/// Options of `Plot::data`: a data plot has no model, so the model options (`at_par`, `band`,
/// `model_steps`, …) are refused rather than ignored.
const DATA_KEYS: &[&str] = &["style", "rebin", "y_range", "x_range", "size"];

fn spectrum_options(owner: &str, map: Map) -> RhaiResult<SpectrumOptions> {
    spectrum_options_of(owner, map, SPECTRUM_KEYS)
}

fn spectrum_options_of(owner: &str, map: Map, keys: &[&str]) -> RhaiResult<SpectrumOptions> {
    let o = Options::new(owner, map, keys)?;
    let mut s = SpectrumOptions::default();
    if let Some(st) = o.string("style")? {
        s.style = lift(SpectralStyle::parse(&st))?;
    }
    s.rebin = o.bool("rebin")?;
    s.at_par = at_par(&o)?;
    if let Some(b) = o.bool("band")? {
        s.band = b;
    }
    if let Some(m) = o.f64("band_mass")? {
        s.band_mass = m;
    }
    if let Some(n) = o.usize("max_draws")? {
        s.max_draws = n;
    }
    if let Some(b) = o.bool("model_steps")? {
        s.model_steps = b;
    }
    s.model_points = o.usize("model_points")?;
    if let Some(r) = o.f64("res_range")? {
        s.res_range = r;
    }
    s.y_range = range(&o, "y_range")?;
    s.x_range = range(&o, "x_range")?;
    s.size = size(&o)?;
    Ok(s)
}

fn figure(f: impl Into<Figure>) -> FigureHandle {
    FigureHandle(Arc::new(f.into()))
}

fn plot_infer_post(p: &PostHandle, map: Map) -> RhaiResult<FigureHandle> {
    let o = spectrum_options("Plot::infer", map)?;
    Ok(figure(lift(infer_figure(p.0.infer(), Some(&p.0), &o))?))
}

fn plot_infer(h: &InferHandle, map: Map) -> RhaiResult<FigureHandle> {
    let o = spectrum_options("Plot::infer", map)?;
    let infer = h.read()?.clone();
    Ok(figure(lift(infer_figure(&infer, None, &o))?))
}

fn plot_corner(p: &PostHandle, map: Map) -> RhaiResult<FigureHandle> {
    let o = Options::new("Plot::corner", map, CORNER_KEYS)?;
    let mut c = CornerOptions {
        at_par: at_par(&o)?,
        truths: o.f64_vec("truths")?,
        size: size(&o)?,
        ..Default::default()
    };
    if let Some(b) = o.usize("bins")? {
        c.bins = b;
    }
    if let Some(s) = o.f64("smooth")? {
        c.smooth = s;
    }
    Ok(figure(lift(corner_figure(&p.0, &c))?))
}

/// What `Plot::ppc` / `Plot::qq` plot: a posterior (checked here) or a finished check.
enum CheckSource<'a> {
    Post(&'a PostHandle),
    Check(&'a CheckHandle),
}

/// The check to plot: `post.ppc(#{ n, seed })` of a posterior (defaults 1000, 42), or the given
/// check (then `n` and `seed` are refused: they were fixed when it was computed).
fn check_of(who: &str, src: CheckSource, o: &Options) -> RhaiResult<Arc<CheckResult>> {
    match src {
        CheckSource::Post(p) => {
            let opts = super::check::check_options(who, o)?;
            Ok(Arc::new(lift(p.0.ppc(opts))?))
        }
        CheckSource::Check(c) => {
            if o.has("n") || o.has("seed") {
                return err(format!(
                    "{who}: options n and seed apply to a Posterior; this PredictiveCheck was \
                     computed with n = {}, seed = {}",
                    c.0.n, c.0.seed
                ));
            }
            Ok(c.0.clone())
        }
    }
}

fn plot_ppc(src: CheckSource, map: Map) -> RhaiResult<FigureHandle> {
    let o = Options::new("Plot::ppc", map, PPC_KEYS)?;
    let check = check_of("Plot::ppc", src, &o)?;
    let mut fig = lift(ppc_figure(&check))?;
    if let Some(r) = o.f64("res_range")? {
        fig.res_range = r;
    }
    fig.size = size(&o)?;
    Ok(figure(fig))
}

fn plot_qq(src: CheckSource, map: Map) -> RhaiResult<FigureHandle> {
    let o = Options::new("Plot::qq", map, QQ_KEYS)?;
    let check = check_of("Plot::qq", src, &o)?;
    let mut fig = lift(qq_figure(&check))?;
    fig.size = size(&o)?;
    Ok(figure(fig))
}

fn plot_model(map: Map) -> RhaiResult<ModelPlotHandle> {
    let o = Options::new("Plot::model", map, MODEL_KEYS)?;
    let mut m = ModelOptions::default();
    if let Some(st) = o.string("style")? {
        m.style = lift(SpectralStyle::parse(&st))?;
    }
    let mut find_post = false;
    let post = match o.raw("post") {
        None => None,
        Some(v) if v.is_bool() => {
            find_post = v.as_bool().unwrap_or(false);
            None
        }
        Some(v) => match v.clone().try_cast::<PostHandle>() {
            Some(p) => Some(p),
            None => {
                return err(format!(
                    "Plot::model: option 'post' must be a Posterior, not {}",
                    v.type_name()
                ))
            }
        },
    };
    m.at_par = at_par(&o)?;
    if let Some(b) = o.bool("band")? {
        m.band = b;
    }
    if let Some(x) = o.f64("band_mass")? {
        m.band_mass = x;
    }
    if let Some(n) = o.usize("max_draws")? {
        m.max_draws = n;
    }
    if let Some(b) = o.bool("components")? {
        m.components = b;
    }
    m.time = o.f64("time")?;
    m.y_range = range(&o, "y_range")?;
    m.size = size(&o)?;
    Ok(ModelPlotHandle(Arc::new(RwLock::new(ModelPlotState {
        opts: m,
        post,
        find_post,
        entries: Vec::new(),
    }))))
}

fn model_plot_figure(h: &ModelPlotHandle) -> RhaiResult<Figure> {
    let st =
        h.0.read()
            .map_err(|_| "the model plot is unusable after an earlier failure")?;
    if st.entries.is_empty() {
        return err("Plot::model: add a model first with add_model(model, energies)");
    }
    let found = match (&st.post, st.find_post) {
        (Some(p), _) => Some(p.clone()),
        (None, true) => Some(super::infer::posterior_of(&st.entries[0].0).ok_or(
            "Plot::model: post: true needs a posterior of this model (fit it with multinest, \
             emcee, lmfit or iminuit first), or pass the posterior itself: post: post",
        )?),
        (None, false) => None,
    };
    let post = found.as_ref().map(|p| p.0.as_ref());
    Ok(lift(model_figure(&st.entries, post, &st.opts))?.into())
}

/// Register the `Plot` namespace and the figure types.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    docs.topic("plots", "figures saved as PNG or SVG");
    engine
        .register_type_with_name::<FigureHandle>("Figure")
        .register_type_with_name::<ModelPlotHandle>("ModelPlot")
        .register_fn(
            "save",
            |f: &mut FigureHandle, path: &str| -> RhaiResult<()> { lift(f.0.save(path)) },
        )
        .register_fn("to_string", |_: &mut FigureHandle| {
            "Figure (save it with .save(\"x.png\"))".to_string()
        })
        .register_fn(
            "add_model",
            |h: &mut ModelPlotHandle, m: Model, e: Array| -> RhaiResult<()> {
                let e = num_vec(&e, "add_model: energies")?;
                h.0.write()
                    .map_err(|_| "the model plot is unusable after an earlier failure")?
                    .entries
                    .push((m, e));
                Ok(())
            },
        )
        .register_fn(
            "save",
            |h: &mut ModelPlotHandle, path: &str| -> RhaiResult<()> {
                lift(model_plot_figure(h)?.save(path))
            },
        );

    let mut m = Module::new();
    m.set_native_fn("infer", |p: &mut PostHandle, map: Map| {
        plot_infer_post(p, map)
    });
    m.set_native_fn("infer", |p: &mut PostHandle| plot_infer_post(p, Map::new()));
    m.set_native_fn("infer", |h: &mut InferHandle, map: Map| plot_infer(h, map));
    m.set_native_fn("infer", |h: &mut InferHandle| plot_infer(h, Map::new()));
    m.set_native_fn("pair", |p: &mut PairHandle, map: Map| {
        let o = spectrum_options("Plot::pair", map)?;
        Ok(figure(lift(pair_figure(&p.0, &o))?))
    });
    m.set_native_fn("pair", |p: &mut PairHandle| {
        Ok(figure(lift(pair_figure(
            &p.0,
            &SpectrumOptions::default(),
        ))?))
    });
    m.set_native_fn("data", |d: &mut DataHandle, map: Map| {
        let o = spectrum_options_of("Plot::data", map, DATA_KEYS)?;
        Ok(figure(lift(data_figure(d.get(), &o))?))
    });
    m.set_native_fn("data", |d: &mut DataHandle| {
        Ok(figure(lift(data_figure(
            d.get(),
            &SpectrumOptions::default(),
        ))?))
    });
    m.set_native_fn("corner", |p: &mut PostHandle, map: Map| plot_corner(p, map));
    m.set_native_fn("corner", |p: &mut PostHandle| plot_corner(p, Map::new()));
    m.set_native_fn("walker", |p: &mut PostHandle| match &p.1 {
        Some(SamplerRun::Emcee(res)) => Ok(figure(lift(trace_figure(res, &[]))?)),
        _ => err("Plot::walker needs a posterior from infer.emcee(...)"),
    });
    m.set_native_fn("run", |p: &mut PostHandle| match &p.1 {
        Some(SamplerRun::Nested(res)) => Ok(figure(lift(run_figure(res))?)),
        _ => err("Plot::run needs a posterior from infer.multinest(...)"),
    });
    m.set_native_fn("ppc", |p: &mut PostHandle, map: Map| {
        plot_ppc(CheckSource::Post(p), map)
    });
    m.set_native_fn("ppc", |p: &mut PostHandle| {
        plot_ppc(CheckSource::Post(p), Map::new())
    });
    m.set_native_fn("ppc", |c: &mut CheckHandle, map: Map| {
        plot_ppc(CheckSource::Check(c), map)
    });
    m.set_native_fn("ppc", |c: &mut CheckHandle| {
        plot_ppc(CheckSource::Check(c), Map::new())
    });
    m.set_native_fn("qq", |p: &mut PostHandle, map: Map| {
        plot_qq(CheckSource::Post(p), map)
    });
    m.set_native_fn("qq", |p: &mut PostHandle| {
        plot_qq(CheckSource::Post(p), Map::new())
    });
    m.set_native_fn("qq", |c: &mut CheckHandle, map: Map| {
        plot_qq(CheckSource::Check(c), map)
    });
    m.set_native_fn("qq", |c: &mut CheckHandle| {
        plot_qq(CheckSource::Check(c), Map::new())
    });
    m.set_native_fn("model", |map: Map| plot_model(map));
    m.set_native_fn("model", || plot_model(Map::new()));
    engine.register_static_module("Plot", m.into());

    for (name, usage, text) in [
        ("Plot::infer", "Plot::infer(post_or_infer, #{ style, rebin, at_par, band, y_range, size }) -> Figure",
         "Data, model and (CE) residuals of every unit; styles CC, CE, NE, Fv, vFv; a posterior adds its band."),
        ("Plot::pair", "Plot::pair(pair, #{ style, ... }) -> Figure", "One data/model pair."),
        ("Plot::data", "Plot::data(data, #{ style, rebin, y_range, x_range, size }) -> Figure", "Data without a model (CC or CE)."),
        ("Plot::corner", "Plot::corner(post, #{ at_par, truths, bins, smooth, size }) -> Figure",
         "Posterior corner plot: 1-D histograms and 2-D contours."),
        ("Plot::model", "Plot::model(#{ style, post, components, band, size }) -> ModelPlot",
         "Model spectra (NE, Fv, vFv; NoU for factors); add curves with mp.add_model(model, energies), then mp.save(path). post: true (the posterior the model was fitted in) or post: <Posterior> adds credible bands."),
        ("add_model", "mp.add_model(model, energies)", "Add a model curve to a Plot::model figure."),
        ("Plot::walker", "Plot::walker(post) -> Figure", "emcee walker chains per parameter (post from infer.emcee)."),
        ("Plot::run", "Plot::run(post) -> Figure", "Nested-sampling run: ln L against ln X (post from infer.multinest)."),
        ("Plot::ppc", "Plot::ppc(post_or_check, #{ n: 1000, seed: 42, res_range, size }) -> Figure",
         "Posterior predictive check per unit on the fit bins: observed counts per keV (error bar: half the replicated 16–84 % width), the replicated counts' 16–84 % (darker) and 2.5–97.5 % (lighter) bands, the expected counts (model mean) as steps, and residuals in σ = (observed − median replicated) / (half the 16–84 % width), 0 where that width is 0. Legend: unit name with its p-value. A Posterior is checked first with post.ppc(#{ n, seed }); a PredictiveCheck (post.ppc or fit.goodness) is plotted as it is."),
        ("Plot::qq", "Plot::qq(post_or_check, #{ n: 1000, seed: 42, size }) -> Figure",
         "Q-Q plot (BXA style), one panel per unit: cumulative observed counts against cumulative expected counts, bins in energy order, with the diagonal y = x dashed; the panel title gives the unit's p-value. No replicated band: the check keeps per-bin quantiles, and cumulating them is not the quantile of the cumulative sum. A Posterior is checked first with post.ppc(#{ n, seed })."),
    ] {
        docs.add("plots", name, usage, text);
    }
}
