//! Rendering of corner plots, their levels, titles and degenerate input.
#[macro_use]
mod plot_support;

use bayspec::plot::CornerFigure;
use bayspec::sample::draws::matrix_from_rows;
use plot_support::*;

#[test]
fn cpl_corner_png_svg() {
    let samples = synthetic_posterior(25_600, 7);
    let mut fig = CornerFigure::new(matrix_from_rows(&samples).unwrap(), cpl_labels());
    fig.marks = Some(vec![-1.562, 2.331, 2.353]);
    assert_eq!(fig.pixel_size(), (800, 800));
    let t = std::time::Instant::now();
    check_figure!(fig, "corner-cpl", &["p1(α)", "p2(log Eₚ)", "p3(log A)"]);
    assert!(t.elapsed().as_secs_f64() < 10.0);
    // quantiles of the synthetic posterior: median ≈ mean, 68 % half width ≈ sd
    let q = fig.quantiles(0);
    assert!((q[1] + 1.562).abs() < 0.001, "{q:?}");
    assert!(((q[2] - q[0]) / 2.0 - 0.010).abs() < 0.0005, "{q:?}");
}

#[test]
fn five_parameter_corner_with_truths_and_weights() {
    let base = synthetic_posterior(4000, 3);
    let mut g = Gen::new(11);
    let samples: Vec<Vec<f64>> = base
        .iter()
        .map(|r| {
            let mut r = r.clone();
            r.push(1.2 + 0.1 * g.normal());
            r.push(2.35 + 0.2 * g.normal());
            r
        })
        .collect();
    let mut labels = cpl_labels();
    labels.push(r"log$kT$".into());
    labels.push(r"log$A$".into());
    let mut fig = CornerFigure::new(matrix_from_rows(&samples).unwrap(), labels);
    fig.weights = Some((0..4000).map(|i| 0.5 + (i % 3) as f64).collect());
    fig.truths = Some(vec![-1.56, 2.33, 2.35, 1.2, 2.35]);
    fig.marks = Some(vec![-1.561, 2.332, 2.352, 1.21, 2.36]);
    let size = fig.pixel_size();
    assert_eq!(size, (1240, 1240));
    check_render(
        |p| fig.save(p).unwrap(),
        "corner-5par",
        size,
        &["p4(log kT)", "p5(log A)"],
    );
}

#[test]
fn contour_level_of_unit_gaussian_is_radius_one() {
    use bayspec::plot::contour::iso_lines;
    use bayspec::plot::density::{histogram_2d, mass_thresholds, CONTOUR_MASSES};
    let mut g = Gen::new(5);
    let n = 200_000;
    let xs: Vec<f64> = (0..n).map(|_| g.normal()).collect();
    let ys: Vec<f64> = (0..n).map(|_| g.normal()).collect();
    let bins = 60;
    let r = (-4.0, 4.0);
    let h = histogram_2d(&xs, &ys, None, r, r, bins);
    let lv = mass_thresholds(&h, &CONTOUR_MASSES);
    let centres: Vec<f64> = (0..bins)
        .map(|i| -4.0 + (i as f64 + 0.5) * 8.0 / bins as f64)
        .collect();
    for (level, radius) in [(lv[1], 1.0), (lv[0], 2.0)] {
        let lines = iso_lines(&h, &centres, &centres, level);
        let pts: Vec<(f64, f64)> = lines.into_iter().max_by_key(|l| l.len()).unwrap();
        let mean_r = pts
            .iter()
            .map(|p| (p.0 * p.0 + p.1 * p.1).sqrt())
            .sum::<f64>()
            / pts.len() as f64;
        assert!(
            (mean_r - radius).abs() < 0.06 * radius,
            "contour radius {mean_r} vs {radius}"
        );
    }
}

#[test]
fn degenerate_posterior_gives_placeholder() {
    let samples = matrix_from_rows(&vec![vec![1.0, 2.0]; 50]).unwrap();
    let fig = CornerFigure::new(samples, vec!["a".into(), "b".into()]);
    assert!(fig.degenerate_reason().unwrap().contains("no spread"));
    let path = out_dir().join("corner-degenerate.png");
    fig.save(&path).unwrap();
    let (w, h, rgb) = decode_png(&path);
    assert_eq!((w, h), png_size(fig.pixel_size()));
    assert!(pixel_variance(&rgb) > 1.0);
    let svg = fig.to_svg().unwrap();
    assert!(svg_texts(&svg)
        .iter()
        .any(|t| t == "degenerate posterior / no corner plot"));
}

#[test]
fn bad_input_is_an_error() {
    let fig = CornerFigure::new(
        ndarray::array![[1.0, f64::NAN], [2.0, 3.0], [3.0, 1.0]],
        vec!["a".into(), "b".into()],
    );
    let e = fig.to_svg().unwrap_err();
    assert!(e.to_string().contains("row 0"), "{e}");
    let fig = CornerFigure::new(ndarray::Array2::ones((5, 1)), vec!["a".into(), "b".into()]);
    assert!(fig
        .to_svg()
        .unwrap_err()
        .to_string()
        .contains("the sample has 1 columns for 2 parameters"));
}
