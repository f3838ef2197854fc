//! The MultiNest-layout output files (inference.md 5.1.8), each written atomically.

use super::result::NestedResult;
use super::state::State;
use crate::error::Result;
use crate::sample::files::{
    fortran_e28_18, json_text, posterior_sample_text, push_fortran_e28_18 as e28, WriteBatch,
    POSTERIOR_SAMPLE,
};
use serde::Serialize;
use std::path::Path;

/// Name of the file whose presence marks a run that hit the `max_iter` cap.
pub const MAX_ITER_WARNING: &str = "1-max_iter_warning.txt";

/// Write every output file of a run into `dir` (`1-` prefix).
pub fn write_outputs(dir: &Path, st: &State, r: &NestedResult) -> Result<()> {
    let d = r.ndim;
    let mut batch = WriteBatch::new();
    // 1-.txt: p, −2 ln L, θ (p > 1e-99)
    let txt = rows_text(r.weighted_loglike.len(), |k, out| {
        let p = r.weighted_lnp[k].exp();
        if p <= 1e-99 {
            return;
        }
        e28(out, p);
        e28(out, -2.0 * r.weighted_loglike[k]);
        for v in r.weighted_theta.row(k) {
            e28(out, *v);
        }
        out.push('\n');
    });
    batch.push(dir.join("1-.txt"), txt);

    // 1-post_equal_weights.dat: θ, ln L
    let eq = rows_text(r.draws.len(), |k, out| {
        for v in r.draws.row(k) {
            e28(out, *v);
        }
        e28(out, r.draws.loglike[k]);
        out.push('\n');
    });
    batch.push(dir.join("1-post_equal_weights.dat"), eq);

    batch.push(dir.join("1-stats.dat"), stats_text(r));
    batch.push(dir.join("1-summary.txt"), summary_text(r));

    // 1-ev.dat: dead points θ, ln L, ln w, mode 1
    let ev = rows_text(st.dead_logl.len(), |k, out| {
        for v in &st.dead_theta[k * d..(k + 1) * d] {
            e28(out, *v);
        }
        e28(out, st.dead_logl[k]);
        e28(out, st.dead_logw[k]);
        out.push_str("    1\n");
    });
    batch.push(dir.join("1-ev.dat"), ev);

    // live points
    let phys = rows_text(st.n, |i, out| {
        for v in &st.live_theta[i * d..(i + 1) * d] {
            e28(out, *v);
        }
        e28(out, st.live_logl[i]);
        out.push_str("    1\n");
    });
    let cube = rows_text(st.n, |i, out| {
        for v in &st.live_u[i * d..(i + 1) * d] {
            e28(out, *v);
        }
        e28(out, st.live_logl[i]);
        out.push('\n');
    });
    batch.push(dir.join("1-phys_live.points"), phys);
    batch.push(dir.join("1-live.points"), cube);

    // the analysed sample: θ, log-probability
    batch.push(
        dir.join(POSTERIOR_SAMPLE),
        posterior_sample_text(&r.labels, &r.draws),
    );
    batch.push(dir.join("1-nlive.json"), format!("{}\n", r.nlive));
    batch.push(
        dir.join("1-posterior_stats.json"),
        json_text(&posterior_stats(r))?,
    );
    let warn = dir.join(MAX_ITER_WARNING);
    if r.hit_max_iter {
        batch.push(
            warn,
            format!("{}\n", super::result::max_iter_warning(r.niter)),
        );
    } else if warn.exists() {
        let _ = std::fs::remove_file(&warn);
    }
    batch.commit()
}

/// The text of `n` rows, `row(k, out)` appending row k: formatted in parallel in chunks of
/// rows (exact 19-digit formatting is slow), joined in row order.
fn rows_text(n: usize, row: impl Fn(usize, &mut String) + Sync) -> String {
    use rayon::prelude::*;
    const ROWS: usize = 512;
    let chunks: Vec<String> = (0..n.div_ceil(ROWS))
        .into_par_iter()
        .map(|c| {
            let mut out = String::new();
            for k in c * ROWS..((c + 1) * ROWS).min(n) {
                row(k, &mut out);
            }
            out
        })
        .collect();
    chunks.concat()
}

/// `1-stats.dat` text (MultiNest unimodal layout).
pub fn stats_text(r: &NestedResult) -> String {
    let mut s = format!(
        "Nested Sampling Global Log-Evidence           :{}  +/-{}\n",
        fortran_e28_18(r.ln_z_ns),
        fortran_e28_18(r.ln_z_ns_err)
    );
    if let Some((z, e)) = r.ln_z_ins {
        s.push_str(&format!(
            "Nested Importance Sampling Global Log-Evidence:{}  +/-{}\n",
            fortran_e28_18(z),
            fortran_e28_18(e)
        ));
    }
    s.push_str("\nDim No.       Mean        Sigma\n");
    for k in 0..r.ndim {
        s.push_str(&format!(
            "{:>4}{}{}\n",
            k + 1,
            fortran_e28_18(r.mean[k]),
            fortran_e28_18(r.sigma[k])
        ));
    }
    s.push_str("\nMaximum Likelihood Parameters\nDim No.        Parameter\n");
    for k in 0..r.ndim {
        s.push_str(&format!("{:>4}{}\n", k + 1, fortran_e28_18(r.max_like[k])));
    }
    s.push_str("\nMAP Parameters\nDim No.        Parameter\n");
    for k in 0..r.ndim {
        s.push_str(&format!("{:>4}{}\n", k + 1, fortran_e28_18(r.map[k])));
    }
    s
}

/// `1-summary.txt` text: the global row (dead-point lnZ quirk, INS values) and the mode row.
pub fn summary_text(r: &NestedResult) -> String {
    let mut common = String::new();
    for v in r
        .mean
        .iter()
        .chain(&r.sigma)
        .chain(&r.max_like)
        .chain(&r.map)
    {
        common.push_str(&fortran_e28_18(*v));
    }
    let mut s = common.clone();
    s.push_str(&fortran_e28_18(r.ln_z_dead));
    s.push_str(&fortran_e28_18(r.max_loglike));
    if let Some((z, e)) = r.ln_z_ins {
        s.push_str(&fortran_e28_18(z));
        s.push_str(&fortran_e28_18(e));
    }
    s.push('\n');
    s.push_str(&common);
    s.push_str(&fortran_e28_18(r.ln_z_ns));
    s.push_str(&fortran_e28_18(r.max_loglike));
    s.push('\n');
    s
}

#[derive(Serialize)]
struct Mode {
    index: usize,
    #[serde(rename = "strictly local log-evidence")]
    strict: Option<f64>,
    #[serde(rename = "strictly local log-evidence error")]
    strict_err: Option<f64>,
    #[serde(rename = "local log-evidence")]
    local: Option<f64>,
    #[serde(rename = "local log-evidence error")]
    local_err: Option<f64>,
    mean: Vec<f64>,
    sigma: Vec<f64>,
    maximum: Vec<f64>,
    #[serde(rename = "maximum a posterior")]
    map: Vec<f64>,
}

#[derive(Serialize)]
struct Marginal {
    median: f64,
    sigma: f64,
    #[serde(rename = "1sigma")]
    s1: [f64; 2],
    #[serde(rename = "2sigma")]
    s2: [f64; 2],
    #[serde(rename = "3sigma")]
    s3: [f64; 2],
    #[serde(rename = "5sigma")]
    s5: [f64; 2],
    #[serde(rename = "q75%")]
    q75: f64,
    #[serde(rename = "q25%")]
    q25: f64,
    #[serde(rename = "q99%")]
    q99: f64,
    #[serde(rename = "q01%")]
    q01: f64,
    #[serde(rename = "q90%")]
    q90: f64,
    #[serde(rename = "q10%")]
    q10: f64,
}

#[derive(Serialize)]
struct PosteriorStats {
    modes: Vec<Mode>,
    #[serde(rename = "nested sampling global log-evidence")]
    ns: Option<f64>,
    #[serde(rename = "nested sampling global log-evidence error")]
    ns_err: Option<f64>,
    #[serde(rename = "global evidence")]
    global: Option<f64>,
    #[serde(rename = "global evidence error")]
    global_err: Option<f64>,
    #[serde(
        rename = "nested importance sampling global log-evidence",
        skip_serializing_if = "Option::is_none"
    )]
    ins: Option<Option<f64>>,
    #[serde(
        rename = "nested importance sampling global log-evidence error",
        skip_serializing_if = "Option::is_none"
    )]
    ins_err: Option<Option<f64>>,
    marginals: Vec<Marginal>,
}

fn fin(v: f64) -> Option<f64> {
    v.is_finite().then_some(v)
}

fn posterior_stats(r: &NestedResult) -> PosteriorStats {
    let marginals = (0..r.ndim)
        .map(|k| {
            let mut pairs: Vec<(f64, f64)> = r
                .weighted_theta
                .rows()
                .into_iter()
                .zip(&r.weighted_lnp)
                .filter(|(_, lp)| lp.exp() > 1e-99)
                .map(|(t, lp)| (t[k], lp.exp()))
                .collect();
            pairs.sort_by(|a, b| a.0.total_cmp(&b.0));
            let mut cum = 0.0;
            let xp: Vec<f64> = pairs
                .iter()
                .map(|p| {
                    cum += p.1;
                    cum
                })
                .collect();
            let fp: Vec<f64> = pairs.iter().map(|p| p.0).collect();
            let q = |x: f64| interp(x, &xp, &fp);
            let band = |c: f64| [q(0.5 - c / 2.0), q(0.5 + c / 2.0)];
            let s1 = band(0.6826);
            Marginal {
                median: q(0.5),
                sigma: (s1[1] - s1[0]) / 2.0,
                s1,
                s2: band(0.95),
                s3: band(0.9973),
                s5: band(0.9999994),
                q75: q(0.75),
                q25: q(0.25),
                q99: q(0.99),
                q01: q(0.01),
                q90: q(0.9),
                q10: q(0.1),
            }
        })
        .collect();
    PosteriorStats {
        modes: vec![Mode {
            index: 0,
            strict: fin(r.ln_z),
            strict_err: fin(r.ln_z_err),
            local: fin(r.ln_z),
            local_err: fin(r.ln_z_err),
            mean: r.mean.clone(),
            sigma: r.sigma.clone(),
            maximum: r.max_like.clone(),
            map: r.map.clone(),
        }],
        ns: fin(r.ln_z_ns),
        ns_err: fin(r.ln_z_ns_err),
        global: fin(r.ln_z),
        global_err: fin(r.ln_z_err),
        ins: r.ln_z_ins.map(|(z, _)| fin(z)),
        ins_err: r.ln_z_ins.map(|(_, e)| fin(e)),
        marginals,
    }
}

/// NumPy `interp(x, xp, fp)` with the end values outside the range.
fn interp(x: f64, xp: &[f64], fp: &[f64]) -> f64 {
    if xp.is_empty() {
        return f64::NAN;
    }
    if x <= xp[0] {
        return fp[0];
    }
    let last = xp.len() - 1;
    if x >= xp[last] {
        return fp[last];
    }
    let j = xp.partition_point(|&v| v <= x);
    let (x0, x1) = (xp[j - 1], xp[j]);
    if x1 == x0 {
        return fp[j];
    }
    fp[j - 1] + (x - x0) * (fp[j] - fp[j - 1]) / (x1 - x0)
}
