//! Rhai binding of plots: the `Plot::` namespace (`Plot::infer`, `Plot::pair`, `Plot::data`,
//! `Plot::corner`, `Plot::model`, `Plot::ppc`, `Plot::qq`) returning figures that
//! `save(path)` to `.png` / `.svg`.

use super::check::CheckHandle;
use super::check::{CHECK_N, CHECK_SEED};
use super::data::DataHandle;
use super::docs::keys_usage;
use super::docs::Docs;
use super::infer::InferHandle;
use super::options::OptKind::{Bool, Float, FloatPair, Floats, Int, Other, Str, Strings};
use super::options::{err, lift, num_vec, OptionSpec, Options, RhaiResult};
use super::pair::PairHandle;
use super::posterior::{PostHandle, SamplerRun};
use crate::analyze::ppc::CheckResult;
use crate::model::Model;
use crate::plot::build::{
    corner_figure, data_figure, infer_figure, model_figure, pair_figure, ppc_figure, qq_figure,
    run_figure, trace_figure, AtPar, CornerOptions, FigureText, ModelOptions, SpectrumOptions,
};
use crate::plot::{Figure, SpectralStyle, PNG_SCALE};
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

// Options shared by several plots.
const STYLE: OptionSpec = OptionSpec::new(
    "style",
    Str,
    "CE",
    "y quantity: CC, CE, NE, Fv (ENE), vFv (EENE); data plots CC or CE",
);
const REBIN: OptionSpec = OptionSpec::new(
    "rebin",
    Bool,
    "infer: true",
    "display grid (true) or fitting grid (false; default of pair and data plots)",
);
const AT_PAR: OptionSpec = OptionSpec::new(
    "at_par",
    Str,
    "best",
    "posterior point: best, best-ci, median, mean, truth (default truth for a bootstrap)",
);
const BAND: OptionSpec = OptionSpec::new(
    "band",
    Bool,
    "true",
    "draw the posterior band (with a posterior)",
);
const BAND_MASS: OptionSpec = OptionSpec::new(
    "band_mass",
    Float,
    "0.6827",
    "central mass of the band, in (0, 1)",
);
const MAX_DRAWS: OptionSpec = OptionSpec::new(
    "max_draws",
    Int,
    "500",
    "posterior draws used for the band (fixed stride)",
);
const RES_RANGE: OptionSpec = OptionSpec::new(
    "res_range",
    Float,
    "3.5",
    "half-range of the residual panel in σ",
);
const Y_RANGE: OptionSpec =
    OptionSpec::new("y_range", FloatPair, "automatic", "fixed y range [lo, hi]");
const X_RANGE: OptionSpec =
    OptionSpec::new("x_range", FloatPair, "automatic", "fixed x range [lo, hi]");
const SIZE: OptionSpec = OptionSpec::new(
    "size",
    FloatPair,
    "per plot",
    "[width, height] in pixels, 100 to 10000",
);

/// The resolution of a saved PNG.
const SCALE: OptionSpec = OptionSpec::new(
    "scale",
    Float,
    "2",
    "PNG pixels per figure pixel, 0.5 to 8: fonts and lines scale alike (2: print quality)",
);
/// Options of `fig.save(path, {})`.
const SAVE_OPTIONS: &[OptionSpec] = &[SCALE];

/// Save a figure, a PNG at the `scale` option (default [`PNG_SCALE`]).
fn save_figure(fig: &Figure, path: &str, map: Map) -> RhaiResult<()> {
    let o = Options::new("save", map, SAVE_OPTIONS)?;
    let scale = o.f64(&SCALE)?.unwrap_or(PNG_SCALE);
    lift(fig.save_scaled(path, scale))
}

// text
const TITLE: OptionSpec = OptionSpec::new("title", Str, "none", "a title above the plot");
const XLABEL: OptionSpec = OptionSpec::new("xlabel", Str, "Energy (keV)", "x-axis label");
const YLABEL: OptionSpec = OptionSpec::new("ylabel", Str, "by style", "y-axis label");
const LABELS: OptionSpec = OptionSpec::new(
    "labels",
    Strings,
    "names",
    "legend labels, one per data unit (spectra) or curve (model plots), in order",
);

/// The title, axis labels and legend labels of a figure.
fn figure_text(o: &Options) -> RhaiResult<FigureText> {
    Ok(FigureText {
        title: o.string(&TITLE)?,
        x_label: o.string(&XLABEL)?,
        y_label: o.string(&YLABEL)?,
        legend: o.strings(&LABELS)?,
    })
}

// spectra
const MODEL_STEPS: OptionSpec = OptionSpec::new(
    "model_steps",
    Bool,
    "false",
    "draw the CC / CE model as steps over the bins",
);
const MODEL_POINTS: OptionSpec = OptionSpec::new(
    "model_points",
    Int,
    "bin midpoints",
    "NE / Fv / vFv: the model on this many log-spaced energies (≥ 2)",
);

/// Options of `Plot::infer` and `Plot::pair`.
const SPECTRUM_OPTIONS: &[OptionSpec] = &[
    TITLE,
    XLABEL,
    YLABEL,
    LABELS,
    STYLE,
    REBIN,
    AT_PAR,
    BAND,
    BAND_MASS,
    MAX_DRAWS,
    MODEL_STEPS,
    MODEL_POINTS,
    RES_RANGE,
    Y_RANGE,
    X_RANGE,
    SIZE,
];

/// Options of `Plot::data`: a data plot has no model, so the model options (`at_par`, `band`,
/// `model_steps`, …) are refused rather than ignored.
const DATA_OPTIONS: &[OptionSpec] = &[
    TITLE, XLABEL, YLABEL, LABELS, STYLE, REBIN, Y_RANGE, X_RANGE, SIZE,
];

// model plots
const MODEL_STYLE: OptionSpec = OptionSpec::new(
    "style",
    Str,
    "NE",
    "NE, Fv, vFv (additive models) or NoU (factors)",
);
const POST: OptionSpec = OptionSpec::new(
    "post",
    Other("bool | Posterior"),
    "none",
    "posterior for credible bands; true: the one the first model was fitted in",
);
const MODEL_AT_PAR: OptionSpec = OptionSpec::new(
    "at_par",
    Str,
    "median",
    "posterior point of the curves: best, best-ci, median, mean, truth",
);
const COMPONENTS: OptionSpec = OptionSpec::new(
    "components",
    Bool,
    "false",
    "also draw each component of a composite model, dashed",
);
const TIME: OptionSpec =
    OptionSpec::new("time", Float, "none", "time (s) for time-dependent models");

/// Options of `Plot::model`.
const MODEL_OPTIONS: &[OptionSpec] = &[
    TITLE,
    XLABEL,
    YLABEL,
    LABELS,
    MODEL_STYLE,
    POST,
    MODEL_AT_PAR,
    BAND,
    BAND_MASS,
    MAX_DRAWS,
    COMPONENTS,
    TIME,
    Y_RANGE,
    SIZE,
];

// corner plots
const TRUTHS: OptionSpec = OptionSpec::new(
    "truths",
    Floats,
    "none",
    "true values marked in green, one per free parameter",
);
const BINS: OptionSpec = OptionSpec::new("bins", Int, "30", "histogram bins per axis");
const SMOOTH: OptionSpec = OptionSpec::new("smooth", Float, "2", "Gaussian smoothing σ in bins");

/// Options of `Plot::corner`.
const CORNER_OPTIONS: &[OptionSpec] = &[AT_PAR, TRUTHS, BINS, SMOOTH, SIZE];

/// Options of `Plot::ppc`.
const PPC_OPTIONS: &[OptionSpec] = &[CHECK_N, CHECK_SEED, RES_RANGE, SIZE];

/// Options of `Plot::qq`.
const QQ_OPTIONS: &[OptionSpec] = &[CHECK_N, CHECK_SEED, SIZE];

fn range(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<(f64, f64)>> {
    match o.f64_vec(spec)? {
        None => Ok(None),
        Some(v) if v.len() == 2 => Ok(Some((v[0], v[1]))),
        Some(v) => err(format!(
            "option '{}' must be [lo, hi], got {} numbers",
            spec.key,
            v.len()
        )),
    }
}

fn size(o: &Options) -> RhaiResult<Option<(u32, u32)>> {
    match range(o, &SIZE)? {
        None => Ok(None),
        Some((w, h)) if w >= 100.0 && h >= 100.0 && w <= 10000.0 && h <= 10000.0 => {
            Ok(Some((w as u32, h as u32)))
        }
        Some((w, h)) => err(format!(
            "option '{}' must be [width, height] in pixels between 100 and 10000, got [{w}, {h}]",
            SIZE.key
        )),
    }
}

fn at_par(o: &Options, spec: &OptionSpec) -> RhaiResult<Option<AtPar>> {
    match o.string(spec)? {
        None => Ok(None),
        Some(s) => lift(AtPar::parse(&s)).map(Some),
    }
}

/// The options every spectrum plot reads (those of `Plot::data`).
fn common_spectrum_options(o: &Options) -> RhaiResult<SpectrumOptions> {
    let mut s = SpectrumOptions {
        text: figure_text(o)?,
        ..SpectrumOptions::default()
    };
    if let Some(st) = o.string(&STYLE)? {
        s.style = lift(SpectralStyle::parse(&st))?;
    }
    s.rebin = o.bool(&REBIN)?;
    s.y_range = range(o, &Y_RANGE)?;
    s.x_range = range(o, &X_RANGE)?;
    s.size = size(o)?;
    Ok(s)
}

/// Options of `Plot::data`.
fn data_options(map: Map) -> RhaiResult<SpectrumOptions> {
    common_spectrum_options(&Options::new("Plot::data", map, DATA_OPTIONS)?)
}

/// Options of `Plot::infer` and `Plot::pair`: the common ones and the model's.
fn spectrum_options(owner: &str, map: Map) -> RhaiResult<SpectrumOptions> {
    let o = Options::new(owner, map, SPECTRUM_OPTIONS)?;
    let mut s = common_spectrum_options(&o)?;
    s.at_par = at_par(&o, &AT_PAR)?;
    if let Some(b) = o.bool(&BAND)? {
        s.band = b;
    }
    if let Some(m) = o.f64(&BAND_MASS)? {
        s.band_mass = m;
    }
    if let Some(n) = o.usize(&MAX_DRAWS)? {
        s.max_draws = n;
    }
    if let Some(b) = o.bool(&MODEL_STEPS)? {
        s.model_steps = b;
    }
    s.model_points = o.usize(&MODEL_POINTS)?;
    if let Some(r) = o.f64(&RES_RANGE)? {
        s.res_range = r;
    }
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
    let o = Options::new("Plot::corner", map, CORNER_OPTIONS)?;
    let mut c = CornerOptions {
        at_par: at_par(&o, &AT_PAR)?,
        truths: o.f64_vec(&TRUTHS)?,
        size: size(&o)?,
        ..Default::default()
    };
    if let Some(b) = o.usize(&BINS)? {
        c.bins = b;
    }
    if let Some(s) = o.f64(&SMOOTH)? {
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
            if o.has(&CHECK_N) || o.has(&CHECK_SEED) {
                return err(format!(
                    "{who}: options {} and {} apply to a Posterior; this PredictiveCheck was \
                     computed with n = {}, seed = {}",
                    CHECK_N.key, CHECK_SEED.key, c.0.n, c.0.seed
                ));
            }
            Ok(c.0.clone())
        }
    }
}

fn plot_ppc(src: CheckSource, map: Map) -> RhaiResult<FigureHandle> {
    let o = Options::new("Plot::ppc", map, PPC_OPTIONS)?;
    let check = check_of("Plot::ppc", src, &o)?;
    let mut fig = lift(ppc_figure(&check))?;
    if let Some(r) = o.f64(&RES_RANGE)? {
        fig.res_range = r;
    }
    fig.size = size(&o)?;
    Ok(figure(fig))
}

fn plot_qq(src: CheckSource, map: Map) -> RhaiResult<FigureHandle> {
    let o = Options::new("Plot::qq", map, QQ_OPTIONS)?;
    let check = check_of("Plot::qq", src, &o)?;
    let mut fig = lift(qq_figure(&check))?;
    fig.size = size(&o)?;
    Ok(figure(fig))
}

fn plot_model(map: Map) -> RhaiResult<ModelPlotHandle> {
    let o = Options::new("Plot::model", map, MODEL_OPTIONS)?;
    let mut m = ModelOptions {
        text: figure_text(&o)?,
        ..ModelOptions::default()
    };
    if let Some(st) = o.string(&MODEL_STYLE)? {
        m.style = lift(SpectralStyle::parse(&st))?;
    }
    let mut find_post = false;
    let post = match o.raw(&POST)? {
        None => None,
        Some(v) if v.is_bool() => {
            find_post = v.as_bool().unwrap_or(false);
            None
        }
        Some(v) => match v.clone().try_cast::<PostHandle>() {
            Some(p) => Some(p),
            None => {
                return err(format!(
                    "{} must be a Posterior, not {}",
                    o.what(&POST),
                    v.type_name()
                ))
            }
        },
    };
    m.at_par = at_par(&o, &MODEL_AT_PAR)?;
    if let Some(b) = o.bool(&BAND)? {
        m.band = b;
    }
    if let Some(x) = o.f64(&BAND_MASS)? {
        m.band_mass = x;
    }
    if let Some(n) = o.usize(&MAX_DRAWS)? {
        m.max_draws = n;
    }
    if let Some(b) = o.bool(&COMPONENTS)? {
        m.components = b;
    }
    m.time = o.f64(&TIME)?;
    m.y_range = range(&o, &Y_RANGE)?;
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
        (None, true) => Some(super::posterior::posterior_of(&st.entries[0].0).ok_or(
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
            |f: &mut FigureHandle, path: &str| -> RhaiResult<()> {
                save_figure(&f.0, path, Map::new())
            },
        )
        .register_fn(
            "save",
            |f: &mut FigureHandle, path: &str, map: Map| -> RhaiResult<()> {
                save_figure(&f.0, path, map)
            },
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
                save_figure(&model_plot_figure(h)?, path, Map::new())
            },
        )
        .register_fn(
            "save",
            |h: &mut ModelPlotHandle, path: &str, map: Map| -> RhaiResult<()> {
                save_figure(&model_plot_figure(h)?, path, map)
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
        let o = data_options(map)?;
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

    let with_options: [(&str, &str, &str, &'static [OptionSpec]); 7] = [
        ("Plot::infer", "Plot::infer(post_or_infer, {}) -> Figure",
         "Data, model and (CE) residuals of every unit; styles CC, CE, NE, Fv, vFv; a posterior adds its band.",
         SPECTRUM_OPTIONS),
        ("Plot::pair", "Plot::pair(pair, {}) -> Figure", "One data/model pair.", SPECTRUM_OPTIONS),
        ("Plot::data", "Plot::data(data, {}) -> Figure", "Data without a model (CC or CE).", DATA_OPTIONS),
        ("Plot::corner", "Plot::corner(post, {}) -> Figure",
         "Posterior corner plot: 1-D histograms and 2-D contours.", CORNER_OPTIONS),
        ("Plot::model", "Plot::model({}) -> ModelPlot",
         "Model spectra (NE, Fv, vFv; NoU for factors); add curves with mp.add_model(model, energies), then mp.save(path). post: true (the posterior the model was fitted in) or post: <Posterior> adds credible bands.",
         MODEL_OPTIONS),
        ("Plot::ppc", "Plot::ppc(post_or_check, {}) -> Figure",
         "Posterior predictive check per unit on the fit bins: observed counts per keV (error bar: half the replicated 16–84 % width), the replicated counts' 16–84 % (darker) and 2.5–97.5 % (lighter) bands, the expected counts (model mean) as steps, and residuals in σ = (observed − median replicated) / (half the 16–84 % width), 0 where that width is 0. Legend: unit name with its p-value. A Posterior is checked first with post.ppc(#{ n, seed }); a PredictiveCheck (post.ppc or fit.goodness) is plotted as it is (n and seed are then refused).",
         PPC_OPTIONS),
        ("Plot::qq", "Plot::qq(post_or_check, {}) -> Figure",
         "Q-Q plot (BXA style), one panel per unit: cumulative observed counts against cumulative expected counts, bins in energy order, with the diagonal y = x dashed; the panel title gives the unit's p-value. No replicated band: the check keeps per-bin quantiles, and cumulating them is not the quantile of the cumulative sum. A Posterior is checked first with post.ppc(#{ n, seed }).",
         QQ_OPTIONS),
    ];
    for (name, usage, text, specs) in with_options {
        docs.add(
            "plots",
            name,
            &usage.replace("{}", &keys_usage(specs)),
            text,
        );
        docs.options(name, "Options", specs);
    }
    docs.add(
        "plots",
        "Figure.save",
        &format!("fig.save(path, {})", keys_usage(SAVE_OPTIONS)),
        "Write the figure to path: PNG or SVG by the extension (parent folders are created; the \
         file appears whole or not at all). A PNG has scale × the figure's size in pixels \
         (default 2, print quality), so fonts and lines grow with it; size sets the layout.",
    );
    docs.options("Figure.save", "Options", SAVE_OPTIONS);
    for (name, usage, text) in [
        (
            "add_model",
            "mp.add_model(model, energies)",
            "Add a model curve to a Plot::model figure.",
        ),
        (
            "Plot::walker",
            "Plot::walker(post) -> Figure",
            "emcee walker chains per parameter (post from infer.emcee).",
        ),
        (
            "Plot::run",
            "Plot::run(post) -> Figure",
            "Nested-sampling run: ln L against ln X (post from infer.multinest).",
        ),
    ] {
        docs.add("plots", name, usage, text);
    }
}
