//! Rendering of spectral figures (CE with residuals, NE, Fv, vFv, data-only).
#[macro_use]
mod plot_support;

use bayspec::plot::{Curve, DataSeries, SpectralStyle, SpectrumFigure, UnitPlot};
use plot_support::*;

#[test]
fn ce_with_residuals() {
    let fig = synthetic_spectrum(SpectralStyle::CE, 1);
    assert_eq!(fig.pixel_size(), (720, 840));
    check_figure!(
        fig,
        "spectrum-CE",
        &[
            "Energy (keV)",
            "Counts s⁻¹ keV⁻¹",
            "Residual (σ)",
            "nai",
            "bgo",
            "100",
        ],
    );
}

#[test]
fn vfv_with_residuals() {
    let fig = synthetic_spectrum(SpectralStyle::VFv, 2);
    check_figure!(
        fig,
        "spectrum-vFv",
        &["Energy (keV)", "νFν (erg cm⁻² s⁻¹)", "Residual (σ)"],
    );
}

#[test]
fn ne_fv_and_data_only_styles() {
    for (style, label) in [
        (SpectralStyle::NE, "Photons cm⁻² s⁻¹ keV⁻¹"),
        (SpectralStyle::Fv, "Fν (erg cm⁻² s⁻¹ keV⁻¹)"),
        (SpectralStyle::CC, "Counts s⁻¹ bin⁻¹"),
    ] {
        let mut fig = synthetic_spectrum(style, 3);
        if style == SpectralStyle::CC {
            // data only: no model, band or residuals → single panel, default 760 × 650
            for u in &mut fig.units {
                u.model = None;
                u.band = None;
                u.residuals = None;
            }
            assert_eq!(fig.pixel_size(), (760, 650));
        }
        check_figure!(fig, &format!("spectrum-{style}"), &["Energy (keV)", label]);
    }
}

#[test]
fn styles_parse_case_insensitively() {
    assert_eq!(SpectralStyle::parse("vfv").unwrap(), SpectralStyle::VFv);
    assert_eq!(SpectralStyle::parse("EENE").unwrap(), SpectralStyle::VFv);
    assert_eq!(SpectralStyle::parse("ene").unwrap(), SpectralStyle::Fv);
    let e = SpectralStyle::parse("flux").unwrap_err().to_string();
    assert!(e.contains("flux") && e.contains("vFv (alias EENE)"), "{e}");
}

#[test]
fn bad_points_are_skipped_and_ranges_use_positive_data_only() {
    let x = vec![10.0, 20.0, 30.0, 40.0, 50.0, 60.0, f64::NAN, -5.0];
    let y = vec![1.0, f64::NAN, -2.0, 0.0, f64::INFINITY, 4.0, 1.0, 1.0];
    let err = vec![0.1, 0.1, 3.0, 0.5, 0.1, f64::NAN, 0.1, 0.1];
    let data = DataSeries::new(x.clone(), vec![1.0; 8], y, err)
        .unwrap()
        .with_upper_limits(vec![false, false, false, false, false, true, false, false])
        .unwrap();
    let mut fig = SpectrumFigure::new(SpectralStyle::CE);
    fig.units.push(UnitPlot {
        name: "u".into(),
        data: Some(data),
        ..UnitPlot::default()
    });
    let (lo, hi) = fig.auto_y_range().unwrap();
    assert!(
        (lo - 0.5).abs() < 1e-12 && (hi - 8.0).abs() < 1e-12,
        "{lo} {hi}"
    );
    let img = fig.to_rgb().unwrap();
    assert!(pixel_variance(&img.pixels) > 10.0);
    fig.to_svg().unwrap();
    // nothing positive at all: fixed fallback range, no panic
    let mut empty = SpectrumFigure::new(SpectralStyle::CE);
    empty.units.push(UnitPlot {
        name: "zero".into(),
        data: Some(
            DataSeries::new(
                vec![1.0, 2.0],
                vec![0.5, 0.5],
                vec![0.0, 0.0],
                vec![1.0, 1.0],
            )
            .unwrap(),
        ),
        ..UnitPlot::default()
    });
    assert!(empty.auto_y_range().is_none());
    empty.to_rgb().unwrap();
}

#[test]
fn model_dropping_to_zero_does_not_run_along_the_frame() {
    // A curve that is zero over its upper half: on a log axis it must end, not follow the frame.
    let x: Vec<f64> = (0..200)
        .map(|i| 10f64.powf(1.0 + 2.0 * i as f64 / 199.0))
        .collect();
    let y: Vec<f64> = x
        .iter()
        .map(|&e| if e < 100.0 { 1.0 / e } else { 0.0 })
        .collect();
    let mut fig = SpectrumFigure::new(SpectralStyle::NE);
    fig.units.push(UnitPlot {
        name: "m".into(),
        model: Some(Curve::line(x, y).unwrap()),
        ..UnitPlot::default()
    });
    let img = fig.to_rgb().unwrap();
    let c = bayspec::plot::PALETTE[0];
    let w = img.width as usize;
    let max_row = img
        .pixels
        .chunks(w * 3)
        .map(|row| count_color(row, (c.0, c.1, c.2), 40))
        .max()
        .unwrap();
    assert!(max_row < 60, "a row has {max_row} curve-coloured pixels");
    assert!(max_row > 0, "curve not drawn");
}

#[test]
fn output_is_deterministic_and_atomic() {
    let fig = synthetic_spectrum(SpectralStyle::CE, 4);
    let dir = out_dir().join("determinism");
    for ext in ["png", "svg"] {
        let a = dir.join(format!("a.{ext}"));
        let b = dir.join(format!("b.{ext}"));
        fig.save(&a).unwrap();
        fig.save(&b).unwrap();
        assert_eq!(
            std::fs::read(&a).unwrap(),
            std::fs::read(&b).unwrap(),
            "{ext} differs"
        );
    }
    let e = fig.save(dir.join("x.pdf")).unwrap_err().to_string();
    assert!(
        e.contains(".png") && e.contains(".svg") && e.contains("x.pdf"),
        "{e}"
    );
    // a parent "folder" that is a file: the error names the path
    let blocker = dir.join("blocker");
    std::fs::write(&blocker, b"x").unwrap();
    let e = fig.save(blocker.join("y.png")).unwrap_err().to_string();
    assert!(e.contains("y.png"), "{e}");
    let mut small = fig.clone();
    small.size = Some((400, 300));
    let img = small.to_rgb().unwrap();
    assert_eq!((img.width, img.height), (400, 300));
    small.size = Some((0, 300));
    assert!(small.to_rgb().unwrap_err().to_string().contains("size"));
}

#[test]
fn many_units_put_the_legend_outside() {
    let mut fig = synthetic_spectrum(SpectralStyle::CE, 5);
    let base = fig.units[0].clone();
    for i in 0..9 {
        let mut u = base.clone();
        u.name = format!("unit{i}");
        if let Some(d) = &mut u.data {
            d.y.iter_mut().for_each(|v| *v *= 1.3f64.powi(i));
        }
        fig.units.push(u);
    }
    check_figure!(fig, "spectrum-many-units", &["unit8", "bgo"]);
}
