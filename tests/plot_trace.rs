//! Rendering of emcee walker plots and nested-sampling run plots.
#[macro_use]
mod plot_support;

use bayspec::plot::{RunFigure, TraceFigure};
use plot_support::*;

#[test]
fn walker_plot() {
    let mut fig = TraceFigure::new(synthetic_chain(1000, 32, 9), cpl_labels());
    fig.discard = Some(200);
    assert_eq!(fig.pixel_size(), (1000, 590));
    check_figure!(fig, "walker-cpl", &["step number", "α", "log Eₚ", "log A"]);
}

#[test]
fn chain_of_another_width_or_empty_is_an_error() {
    let chain = synthetic_chain(10, 4, 1);
    let fig = TraceFigure::new(chain, vec!["a".into(), "b".into()]);
    let e = fig.to_svg().unwrap_err().to_string();
    assert!(e.contains("3 values per walker for 2 parameters"), "{e}");
    let fig = TraceFigure::new(ndarray::Array3::zeros((0, 4, 3)), cpl_labels());
    let e = fig.to_svg().unwrap_err().to_string();
    assert!(e.contains("no steps"), "{e}");
}

#[test]
fn run_plot() {
    // Gaussian likelihood in 3 dimensions: ln L = −½ r², X ∝ r³.
    let nlive = 400.0;
    let ln_x: Vec<f64> = (0..6000).map(|i| -(i as f64) / nlive).collect();
    let ln_l: Vec<f64> = ln_x
        .iter()
        .map(|&lx| -0.5 * 400.0 * (lx * 2.0 / 3.0).exp())
        .collect();
    let fig = RunFigure::new(ln_x, ln_l);
    let mass = fig.posterior_mass();
    let peak = mass
        .iter()
        .enumerate()
        .max_by(|a, b| a.1.total_cmp(b.1))
        .unwrap()
        .0;
    // L·X peaks where d ln L / d ln X = −1: 400/3 · X^{2/3} = 1 → ln X = 1.5 ln(3/400)
    let expect = 1.5 * (3.0f64 / 400.0).ln();
    assert!(
        (fig.ln_x[peak] - expect).abs() < 0.05,
        "{} vs {expect}",
        fig.ln_x[peak]
    );
    check_figure!(fig, "run", &["ln X", "ln L", "Posterior mass"]);
}

#[test]
fn labels_without_unicode_subscripts_are_drawn_as_runs() {
    let chain = synthetic_chain(50, 4, 2);
    let fig = TraceFigure::new(
        chain,
        vec![r"$N_H$".into(), r"log$E_{b1}$".into(), r"$\Gamma$".into()],
    );
    let texts = svg_texts(&fig.to_svg().unwrap());
    for t in ["N", "H", "log E", "b1", "Γ"] {
        assert!(texts.iter().any(|x| x == t), "missing '{t}' in {texts:?}");
    }
    assert!(texts.iter().all(|t| !t.contains('$') && !t.contains('\\')));
    fig.save(out_dir().join("walker-runs.png")).unwrap();
}
