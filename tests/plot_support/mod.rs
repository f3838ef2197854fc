//! Shared helpers of the `plot_*` tests: synthetic spectra / posteriors and image checks.
#![allow(dead_code)]

use bayspec::plot::{Band, Curve, DataSeries, Residuals, SpectralStyle, SpectrumFigure, UnitPlot};
use std::path::{Path, PathBuf};

/// A small deterministic generator (xorshift64*), standard normals by Box–Muller.
pub struct Gen(u64);

impl Gen {
    pub fn new(seed: u64) -> Gen {
        Gen(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn uniform(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let v = self.0.wrapping_mul(0x2545_F491_4F6C_DD1D);
        ((v >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }
    pub fn normal(&mut self) -> f64 {
        let (u, v) = (self.uniform(), self.uniform());
        (-2.0 * u.ln()).sqrt() * (2.0 * std::f64::consts::PI * v).cos()
    }
}

/// Cutoff power law photon spectrum N(E) (photons cm⁻² s⁻¹ keV⁻¹).
pub fn cpl(e: f64, alpha: f64, log_ep: f64, log_a: f64) -> f64 {
    let ec = 10f64.powf(log_ep) / (2.0 + alpha);
    10f64.powf(log_a) * (e / 100.0).powf(alpha) * (-e / ec).exp() / 100.0
}

/// Log-spaced bin edges.
pub fn log_edges(lo: f64, hi: f64, n: usize) -> (Vec<f64>, Vec<f64>) {
    let r = (hi / lo).ln() / n as f64;
    let lo_e: Vec<f64> = (0..n).map(|i| lo * (r * i as f64).exp()).collect();
    let hi_e: Vec<f64> = (0..n).map(|i| lo * (r * (i + 1) as f64).exp()).collect();
    (lo_e, hi_e)
}

/// One synthetic unit: data, model, band and residuals in the given style.
#[allow(clippy::too_many_arguments)]
pub fn synthetic_unit(
    name: &str,
    lo: f64,
    hi: f64,
    n: usize,
    area: f64,
    rel_err0: f64,
    style: SpectralStyle,
    gen: &mut Gen,
) -> UnitPlot {
    let (e_lo, e_hi) = log_edges(lo, hi, n);
    let mut y = Vec::new();
    let mut err = Vec::new();
    let mut model = Vec::new();
    let mut res = Vec::new();
    let mut band_lo = Vec::new();
    let mut band_hi = Vec::new();
    let factor = |e: f64| match style {
        SpectralStyle::CC | SpectralStyle::CE => area,
        SpectralStyle::NE => 1.0,
        SpectralStyle::Fv => 1.60218e-9 * e,
        SpectralStyle::VFv => 1.60218e-9 * e * e,
        SpectralStyle::NoU => 1.0,
    };
    for k in 0..n {
        let e = 0.5 * (e_lo[k] + e_hi[k]);
        let m = cpl(e, -1.56, 2.33, 2.35) * factor(e);
        // errors grow where the spectrum is faint
        let rel = rel_err0 * (1.0 + (e / 300.0).powf(1.2));
        let sigma = rel * m + 0.02 * cpl(300.0, -1.56, 2.33, 2.35) * factor(e);
        let r = gen.normal();
        let v = m + r * sigma;
        y.push(v);
        err.push(sigma);
        model.push(m);
        res.push((v - m) / sigma);
        band_lo.push(m * 0.97);
        band_hi.push(m * 1.03);
    }
    let x: Vec<f64> = e_lo.iter().zip(&e_hi).map(|(a, b)| 0.5 * (a + b)).collect();
    UnitPlot {
        name: name.into(),
        data: Some(DataSeries::from_edges(&e_lo, &e_hi, y, err).unwrap()),
        model: Some(Curve::line(x.clone(), model).unwrap()),
        band: Some(Band::new(x.clone(), band_lo, band_hi).unwrap()),
        residuals: Some(Residuals::new(x, res).unwrap()),
    }
}

/// A two-unit figure like the GRB quickstart (ME 8–900 keV, HE 300–38000 keV).
pub fn synthetic_spectrum(style: SpectralStyle, seed: u64) -> SpectrumFigure {
    let mut gen = Gen::new(seed);
    let mut fig = SpectrumFigure::new(style);
    fig.units.push(synthetic_unit(
        "nai", 8.0, 900.0, 109, 100.0, 0.03, style, &mut gen,
    ));
    fig.units.push(synthetic_unit(
        "bgo", 300.0, 38000.0, 28, 150.0, 0.08, style, &mut gen,
    ));
    fig
}

/// Output folder for images the tests write (kept for viewing).
pub fn out_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("plots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Decode a PNG file: (width, height, RGB bytes).
pub fn decode_png(path: &Path) -> (u32, u32, Vec<u8>) {
    let file = std::fs::File::open(path).expect("open png");
    let decoder = png::Decoder::new(std::io::BufReader::new(file));
    let mut reader = decoder.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    let rgb = match info.color_type {
        png::ColorType::Rgb => buf,
        png::ColorType::Rgba => buf.chunks(4).flat_map(|c| [c[0], c[1], c[2]]).collect(),
        other => panic!("unexpected PNG colour type {other:?}"),
    };
    (info.width, info.height, rgb)
}

/// Variance of the grey level over all pixels.
pub fn pixel_variance(rgb: &[u8]) -> f64 {
    let n = (rgb.len() / 3) as f64;
    let grey: Vec<f64> = rgb
        .chunks(3)
        .map(|c| (f64::from(c[0]) + f64::from(c[1]) + f64::from(c[2])) / 3.0)
        .collect();
    let mean = grey.iter().sum::<f64>() / n;
    grey.iter().map(|g| (g - mean).powi(2)).sum::<f64>() / n
}

/// Fraction of pixels that are not white.
pub fn ink_fraction(rgb: &[u8]) -> f64 {
    let n = rgb.len() / 3;
    rgb.chunks(3).filter(|c| c.iter().any(|&v| v < 250)).count() as f64 / n as f64
}

/// Count pixels close to a colour (each channel within `tol`).
pub fn count_color(rgb: &[u8], c: (u8, u8, u8), tol: u8) -> usize {
    rgb.chunks(3)
        .filter(|p| {
            p[0].abs_diff(c.0) <= tol && p[1].abs_diff(c.1) <= tol && p[2].abs_diff(c.2) <= tol
        })
        .count()
}

/// [`check_render`] of a figure (anything with `save` and `pixel_size`) at its own pixel size.
#[allow(unused_macros)]
macro_rules! check_figure {
    ($fig:expr, $stem:expr, $labels:expr $(,)?) => {{
        let fig = &$fig;
        check_render(|p| fig.save(p).unwrap(), $stem, fig.pixel_size(), $labels)
    }};
}

/// The pixel size of a saved PNG of a figure of `size` (print scale).
pub fn png_size(size: (u32, u32)) -> (u32, u32) {
    let s = bayspec::plot::PNG_SCALE;
    (
        (f64::from(size.0) * s).round() as u32,
        (f64::from(size.1) * s).round() as u32,
    )
}

/// Save PNG + SVG, check size, decoding, non-blankness and that every label is SVG text.
pub fn check_render(save: impl Fn(&Path), stem: &str, size: (u32, u32), labels: &[&str]) {
    let dir = out_dir();
    let png_path = dir.join(format!("{stem}.png"));
    let svg_path = dir.join(format!("{stem}.svg"));
    save(&png_path);
    save(&svg_path);
    let (w, h, rgb) = decode_png(&png_path);
    assert_eq!((w, h), png_size(size), "{stem}: PNG size");
    let var = pixel_variance(&rgb);
    assert!(var > 50.0, "{stem}: PNG looks blank (grey variance {var})");
    let ink = ink_fraction(&rgb);
    assert!(ink > 0.01 && ink < 0.9, "{stem}: ink fraction {ink}");
    let svg = std::fs::read_to_string(&svg_path).unwrap();
    assert!(svg.starts_with("<svg"), "{stem}: not an SVG document");
    assert!(
        svg.contains(&format!("width=\"{}\"", size.0)),
        "{stem}: SVG width"
    );
    assert!(
        svg.contains(&format!("height=\"{}\"", size.1)),
        "{stem}: SVG height"
    );
    let texts = svg_texts(&svg);
    for l in labels {
        assert!(
            texts.iter().any(|t| t == l),
            "{stem}: SVG lacks text '{l}' (has {texts:?})"
        );
    }
    // no temporary files left behind
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().to_string_lossy().into_owned();
        let mine = name.starts_with(&format!(".{stem}.png."))
            || name.starts_with(&format!(".{stem}.svg."));
        assert!(
            !(mine && name.contains(".tmp.")),
            "temporary file left: {name}"
        );
    }
}

/// The contents of every `<text>` element of an SVG document (trimmed, entities decoded).
pub fn svg_texts(svg: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = svg;
    while let Some(start) = rest.find("<text") {
        rest = &rest[start..];
        let Some(open_end) = rest.find('>') else {
            break;
        };
        let Some(close) = rest.find("</text>") else {
            break;
        };
        let content = rest[open_end + 1..close]
            .trim()
            .replace("&lt;", "<")
            .replace("&gt;", ">")
            .replace("&quot;", "\"")
            .replace("&apos;", "'")
            .replace("&amp;", "&");
        out.push(content);
        rest = &rest[close + 7..];
    }
    out
}

/// A correlated 3-parameter Gaussian posterior like the quickstart cpl fit
/// (α, log Ep, log A), `n` rows.
pub fn synthetic_posterior(n: usize, seed: u64) -> Vec<Vec<f64>> {
    let mean = [-1.562, 2.331, 2.353];
    let sd = [0.010, 0.010, 0.0125];
    // correlation matrix and its Cholesky factor
    let c = [[1.0, -0.35, -0.85], [-0.35, 1.0, 0.45], [-0.85, 0.45, 1.0]];
    let mut l = [[0.0f64; 3]; 3];
    for i in 0..3 {
        for j in 0..=i {
            let s: f64 = (0..j).map(|k| l[i][k] * l[j][k]).sum();
            l[i][j] = if i == j {
                (c[i][i] - s).sqrt()
            } else {
                (c[i][j] - s) / l[j][j]
            };
        }
    }
    let mut g = Gen::new(seed);
    (0..n)
        .map(|_| {
            let z = [g.normal(), g.normal(), g.normal()];
            (0..3)
                .map(|i| mean[i] + sd[i] * (0..=i).map(|k| l[i][k] * z[k]).sum::<f64>())
                .collect()
        })
        .collect()
}

/// The quickstart labels in TeX form.
pub fn cpl_labels() -> Vec<String> {
    vec![r"$\alpha$".into(), r"log$E_p$".into(), r"log$A$".into()]
}

/// An emcee-like chain `[step][walker][param]`: AR(1) walkers started in a tight ball.
pub fn synthetic_chain(nstep: usize, nwalk: usize, seed: u64) -> ndarray::Array3<f64> {
    let mean = [-1.562, 2.331, 2.353];
    let sd = [0.010, 0.010, 0.0125];
    let mut g = Gen::new(seed);
    let mut pos: Vec<Vec<f64>> = (0..nwalk)
        .map(|_| {
            (0..3)
                .map(|p| mean[p] + 0.05 * sd[p] * g.normal())
                .collect()
        })
        .collect();
    let rho: f64 = 0.95;
    let mut chain = Vec::with_capacity(nstep * nwalk * 3);
    for _ in 0..nstep {
        for w in pos.iter_mut() {
            for p in 0..3 {
                w[p] = mean[p]
                    + rho * (w[p] - mean[p])
                    + (1.0 - rho * rho).sqrt() * sd[p] * g.normal();
            }
        }
        chain.extend(pos.iter().flatten());
    }
    ndarray::Array3::from_shape_vec((nstep, nwalk, 3), chain).unwrap()
}
