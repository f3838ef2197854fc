//! Rendering of model figures (vFv with bands and components, NE, NoU).
#[macro_use]
mod plot_support;

use bayspec::plot::{ModelEntry, ModelFigure, SpectralStyle};
use plot_support::*;

fn logspace(a: f64, b: f64, n: usize) -> Vec<f64> {
    (0..n)
        .map(|i| 10f64.powf(a + (b - a) * i as f64 / (n - 1) as f64))
        .collect()
}

fn bb(e: f64, kt: f64, log_a: f64) -> f64 {
    10f64.powf(log_a) * e * e / ((e / kt).exp_m1())
}

/// cpl + bb total and components, vFv, with 68 % bands.
fn cpl_bb_figure(style: SpectralStyle, lo: f64, hi: f64) -> ModelFigure {
    let e = logspace(lo, hi, 200);
    let f = |e: f64| match style {
        SpectralStyle::VFv => 1.60218e-9 * e * e,
        SpectralStyle::Fv => 1.60218e-9 * e,
        _ => 1.0,
    };
    let cpl_y: Vec<f64> = e.iter().map(|&x| cpl(x, -1.4, 2.4, 2.3) * f(x)).collect();
    let bb_y: Vec<f64> = e.iter().map(|&x| bb(x, 12.0, -3.2) * f(x)).collect();
    let tot: Vec<f64> = cpl_y.iter().zip(&bb_y).map(|(a, b)| a + b).collect();
    let band = |y: &[f64], r: f64| -> (Vec<f64>, Vec<f64>) {
        (
            y.iter().map(|v| v * (1.0 - r)).collect(),
            y.iter().map(|v| v * (1.0 + r)).collect(),
        )
    };
    let (a, b) = band(&tot, 0.03);
    let (c, d) = band(&cpl_y, 0.05);
    let (g, h) = band(&bb_y, 0.15);
    let mut fig = ModelFigure::new(style);
    fig.entries.push(
        ModelEntry::new("(cpl+bb)", e.clone(), tot)
            .unwrap()
            .with_band(a, b)
            .unwrap(),
    );
    fig.entries.push(
        ModelEntry::new("cpl", e.clone(), cpl_y)
            .unwrap()
            .with_band(c, d)
            .unwrap(),
    );
    fig.entries.push(
        ModelEntry::new("bb", e, bb_y)
            .unwrap()
            .with_band(g, h)
            .unwrap(),
    );
    fig
}

#[test]
fn vfv_posterior_single_model() {
    let e = logspace(1.0, 3.0, 100);
    let y: Vec<f64> = e
        .iter()
        .map(|&x| cpl(x, -1.562, 2.331, 2.353) * 1.60218e-9 * x * x)
        .collect();
    let lo = y.iter().map(|v| v * 0.985).collect();
    let hi = y.iter().map(|v| v * 1.015).collect();
    let fig = ModelFigure::new(SpectralStyle::VFv).with_entry(
        ModelEntry::new("cpl", e, y)
            .unwrap()
            .with_band(lo, hi)
            .unwrap(),
    );
    assert_eq!(fig.pixel_size(), (760, 650));
    // less than one decade: 2× / 5× labels appear
    let (ylo, yhi) = fig.auto_y_range().unwrap();
    assert!(yhi / ylo < 10.0);
    check_figure!(
        fig,
        "model-vFv-cpl",
        &["Energy (keV)", "νFν (erg cm⁻² s⁻¹)", "cpl", "cpl CI", "100"],
    );
}

#[test]
fn vfv_with_components() {
    let fig = cpl_bb_figure(SpectralStyle::VFv, 1.0, 3.0);
    check_figure!(
        fig,
        "model-vFv-cpl-bb",
        &["(cpl+bb)", "(cpl+bb) CI", "bb CI"],
    );
}

#[test]
fn ne_six_decade_rule() {
    let fig = cpl_bb_figure(SpectralStyle::NE, 0.0, 4.0);
    let (lo, hi) = fig.auto_y_range().unwrap();
    let max = fig
        .entries
        .iter()
        .flat_map(|e| {
            e.band
                .as_ref()
                .unwrap()
                .hi
                .iter()
                .chain(e.y.iter())
                .copied()
        })
        .fold(0.0, f64::max);
    assert!((hi - 2.0 * max).abs() < 1e-12 * max);
    assert!((lo - max * 1e-6).abs() < 1e-18 * max);
    check_figure!(fig, "model-NE-cpl-bb-wide", &["Photons cm⁻² s⁻¹ keV⁻¹"]);
}

#[test]
fn nou_multiplicative_models() {
    let e = logspace(-0.5, 3.0, 150);
    let tbabs: Vec<f64> = e.iter().map(|&x| (-1.5 * x.powf(-2.6)).exp()).collect();
    let hecut: Vec<f64> = e
        .iter()
        .map(|&x| {
            if x < 100.0 {
                1.0
            } else {
                (-(x - 100.0) / 200.0).exp()
            }
        })
        .collect();
    let mut fig = ModelFigure::new(SpectralStyle::NoU);
    fig.entries
        .push(ModelEntry::new("tbabs", e.clone(), tbabs).unwrap());
    fig.entries
        .push(ModelEntry::new("hecut", e, hecut).unwrap());
    fig.size = Some((640, 480));
    check_figure!(fig, "model-NoU", &["Dimensionless", "tbabs", "hecut"]);
}

#[test]
fn length_mismatch_is_an_error() {
    let err = ModelEntry::new("cpl", vec![1.0, 2.0], vec![1.0]).unwrap_err();
    assert!(err.to_string().contains("cpl"), "{err}");
    let mut fig = ModelFigure::new(SpectralStyle::NE);
    fig.entries.push(ModelEntry {
        label: "m".into(),
        x: vec![1.0, 2.0],
        y: vec![1.0],
        band: None,
        dashed: false,
    });
    let dir = out_dir();
    assert!(fig.save(dir.join("bad.png")).is_err());
    assert!(!dir.join("bad.png").exists());
}
