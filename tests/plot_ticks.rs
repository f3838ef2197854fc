//! Golden tick labels in rendered SVG: 1-2-5 plain numbers where they fit (a Chandra band),
//! at least three labels over two decades, powers of ten beyond the plain range.
mod plot_support;

use bayspec::plot::style::SpectralStyle;
use bayspec::plot::{ModelEntry, ModelFigure};
use plot_support::svg_texts;

/// The x-axis tick labels of a vFv model figure over [lo, hi] keV, in drawing order.
fn x_labels(lo: f64, hi: f64) -> Vec<String> {
    let n = 200;
    let x: Vec<f64> = (0..n)
        .map(|i| lo * (hi / lo).powf(i as f64 / (n - 1) as f64))
        .collect();
    let y: Vec<f64> = x.iter().map(|e| 1e-6 * e.powf(0.3)).collect();
    let mut fig =
        ModelFigure::new(SpectralStyle::VFv).with_entry(ModelEntry::new("pl", x, y).unwrap());
    fig.y_range = Some((1e-7, 1e-5));
    let texts = svg_texts(&fig.to_svg().unwrap());
    // the y labels of this fixed range are 10⁻⁷ … 10⁻⁵: keep the others
    texts
        .into_iter()
        .filter(|t| t.chars().next().is_some_and(|c| c.is_ascii_digit()) && !t.contains('⁻'))
        .collect()
}

#[test]
fn chandra_band_reads_in_plain_numbers() {
    assert_eq!(x_labels(0.5, 8.0), ["0.5", "1", "2", "5"]);
}

#[test]
fn two_decades_get_at_least_three_labels() {
    // (the axis adds a margin to the data's range)
    assert_eq!(x_labels(15.0, 500.0), ["20", "50", "100", "200", "500"]);
}

#[test]
fn gbm_band_labels_every_decade_plainly_and_wider_ones_in_powers() {
    assert_eq!(x_labels(8.0, 40_000.0), ["10", "100", "1000", "10000"]);
    assert_eq!(x_labels(8.0, 4e5), ["10¹", "10²", "10³", "10⁴", "10⁵"]);
}
