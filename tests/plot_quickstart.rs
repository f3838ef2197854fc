//! Spectral figures from the real quickstart data (GRB ME + HE units) in shared/vectors:
//! display-grid counts spectrum (numbers of plots.md §3) and the fit-grid CE figure with the
//! folded model at the near-best parameters and its residuals.
mod common;
#[macro_use]
mod plot_support;

use bayspec::plot::{Curve, DataSeries, Residuals, SpectralStyle, SpectrumFigure, UnitPlot};
use plot_support::*;
use serde_json::Value;

fn arr(v: &Value, key: &str) -> Vec<f64> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("missing {key}"))
        .iter()
        .map(common::num)
        .collect()
}

fn display_unit(units: &Value, key: &str, name: &str) -> UnitPlot {
    let r = &units[key]["rebinned_bins"];
    let data = DataSeries::from_edges(
        &arr(r, "e_lo_keV"),
        &arr(r, "e_hi_keV"),
        arr(r, "net_ctsspec_per_keV"),
        arr(r, "net_ctsspec_error_per_keV"),
    )
    .unwrap();
    UnitPlot {
        name: name.into(),
        data: Some(data),
        ..UnitPlot::default()
    }
}

#[test]
fn display_grid_counts_spectrum() {
    let Some(v) = common::vectors("data_grb.json") else {
        return;
    };
    let units = &v["units"];
    let mut fig = SpectrumFigure::new(SpectralStyle::CE);
    fig.units.push(display_unit(units, "ME", "nai"));
    fig.units.push(display_unit(units, "HE", "bgo"));
    let me = fig.units[0].data.as_ref().unwrap();
    let he = fig.units[1].data.as_ref().unwrap();
    assert_eq!((me.len(), he.len()), (109, 28));
    assert!((me.x[0] - 8.4979).abs() < 1e-4 && (me.y[0] - 36.152).abs() < 1e-3);
    assert!((me.y_lo[0] - 2.3549).abs() < 1e-4);
    assert!((he.x[0] - 329.16).abs() < 1e-2 && (he.y[0] - 2.1404).abs() < 1e-4);
    assert_eq!(he.y.iter().filter(|&&y| y <= 0.0).count(), 4);
    let (lo, hi) = fig.auto_y_range().unwrap();
    assert!((lo / 1.101e-4 - 1.0).abs() < 1e-3, "y min {lo}");
    assert!((hi / 234.9 - 1.0).abs() < 1e-3, "y max {hi}");
    let (xlo, xhi) = fig.auto_x_range().unwrap();
    assert!(
        xlo > 5.0 && xlo < 8.0 && xhi > 4e4 && xhi < 6e4,
        "x range {xlo} {xhi}"
    );
    assert_eq!(fig.pixel_size(), (760, 650));
    check_figure!(
        fig,
        "quickstart-data-CE-display",
        &["Counts s⁻¹ keV⁻¹", "Energy (keV)", "nai", "bgo"]
    );
}

fn fit_unit(units: &Value, eval: &Value, key: &str, name: &str) -> UnitPlot {
    let f = &units[key]["fit_bins"];
    let (lo, hi) = (arr(f, "e_lo_keV"), arr(f, "e_hi_keV"));
    let width = arr(f, "e_width_keV");
    let rate = arr(f, "net_ctsrate");
    let rate_err = arr(f, "net_ctsrate_error");
    let model_rate: Vec<f64> = eval["model_ctsrate_per_fit_bin"][name]
        .as_array()
        .unwrap()
        .iter()
        .map(common::num)
        .collect();
    let data = DataSeries::from_edges(
        &lo,
        &hi,
        arr(f, "net_ctsspec_per_keV"),
        arr(f, "net_ctsspec_error_per_keV"),
    )
    .unwrap();
    let x = data.x.clone();
    let model: Vec<f64> = model_rate.iter().zip(&width).map(|(m, w)| m / w).collect();
    let res: Vec<f64> = (0..rate.len())
        .map(|k| (rate[k] - model_rate[k]) / rate_err[k])
        .collect();
    UnitPlot {
        name: name.into(),
        data: Some(data),
        model: Some(Curve::line(x.clone(), model).unwrap()),
        band: None,
        residuals: Some(Residuals::new(x, res).unwrap()),
    }
}

#[test]
fn fit_grid_counts_spectrum_with_model_and_residuals() {
    let (Some(v), Some(q)) = (
        common::vectors("data_grb.json"),
        common::vectors("quickstart_loglike.json"),
    ) else {
        return;
    };
    let eval = &q["evaluations"][0];
    assert_eq!(eval["label"], "near_best");
    let mut fig = SpectrumFigure::new(SpectralStyle::CE);
    fig.units.push(fit_unit(&v["units"], eval, "ME", "nai"));
    fig.units.push(fit_unit(&v["units"], eval, "HE", "bgo"));
    assert_eq!(fig.units[0].data.as_ref().unwrap().len(), 119);
    assert_eq!(fig.units[1].data.as_ref().unwrap().len(), 117);
    assert!(fig.has_residual_panel());
    let size = fig.pixel_size();
    assert_eq!(size, (720, 840));
    check_render(
        |p| fig.save(p).unwrap(),
        "quickstart-CE-fitgrid",
        size,
        &["Residual (σ)", "Counts s⁻¹ keV⁻¹"],
    );
    // the figure's data serialise for `fig.data` / save_data
    let json = bayspec::plot::Figure::from(fig).to_json().unwrap();
    assert!(json.contains("\"nai\"") && json.contains("residuals"));
}
