//! `post.ppc(#{ n, seed })`, `fit.goodness(#{ n, seed })` and the `PredictiveCheck` type they
//! return (the science is in `analyze::ppc`).

use std::sync::Arc;

use rhai::{Array, Dynamic, Engine, Map};

use super::docs::keys_usage;
use super::docs::Docs;
use super::options::OptKind::{Int, Seed};
use super::options::{err, lift, to_array, OptionSpec, Options, RhaiResult};
use super::posterior::{PostHandle, SamplerRun};
use crate::analyze::ppc::{goodness, CheckOptions, CheckResult};

/// Script type `PredictiveCheck`.
#[derive(Clone)]
pub struct CheckHandle(pub Arc<CheckResult>);

/// `n`: replicated spectra of a predictive check (also a `Plot::ppc` / `Plot::qq` option).
pub const CHECK_N: OptionSpec = OptionSpec::new("n", Int, "1000", "replicated spectra (≥ 1)");
/// `seed`: seed of a predictive check's replicates.
pub const CHECK_SEED: OptionSpec = OptionSpec::new(
    "seed",
    Seed,
    "42",
    "seed of the replicates (same seed, same check)",
);

/// Options of `post.ppc(#{…})` and `fit.goodness(#{…})`.
pub const CHECK_OPTIONS: &[OptionSpec] = &[CHECK_N, CHECK_SEED];

/// The `n` and `seed` options of a predictive check (`n` ≥ 1), from checked options.
pub fn check_options(who: &str, o: &Options) -> RhaiResult<CheckOptions> {
    let mut opts = CheckOptions::default();
    if let Some(n) = o.usize(&CHECK_N)? {
        if n == 0 {
            return err(format!("{who}: {} must be ≥ 1", CHECK_N.key));
        }
        opts.n = n;
    }
    o.set(&CHECK_SEED, &mut opts.seed)?;
    Ok(opts)
}

fn options(who: &str, map: Map) -> RhaiResult<CheckOptions> {
    check_options(who, &Options::new(who, map, CHECK_OPTIONS)?)
}

fn run_ppc(p: &PostHandle, map: Map) -> RhaiResult<CheckHandle> {
    let opts = options("ppc", map)?;
    Ok(CheckHandle(Arc::new(lift(p.0.ppc(opts))?)))
}

fn run_goodness(p: &PostHandle, map: Map) -> RhaiResult<CheckHandle> {
    let opts = options("goodness", map)?;
    let Some(SamplerRun::MaxLike(fit)) = &p.1 else {
        return err(
            "goodness: needs the result of fit.iminuit(...) or fit.lmfit(...); for a posterior \
             use post.ppc(...)",
        );
    };
    Ok(CheckHandle(Arc::new(lift(goodness(
        p.0.infer(),
        &fit.values,
        opts,
    ))?)))
}

/// Register `ppc`, `goodness` and the `PredictiveCheck` type, with their help.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    engine.register_type_with_name::<CheckHandle>("PredictiveCheck");
    engine
        .register_fn("ppc", |p: &mut PostHandle, map: Map| run_ppc(p, map))
        .register_fn("ppc", |p: &mut PostHandle| run_ppc(p, Map::new()))
        .register_fn("goodness", |p: &mut PostHandle, map: Map| {
            run_goodness(p, map)
        })
        .register_fn("goodness", |p: &mut PostHandle| run_goodness(p, Map::new()))
        .register_fn("to_string", |c: &mut CheckHandle| c.0.table())
        .register_fn("to_debug", |c: &mut CheckHandle| c.0.table())
        .register_get("p_value", |c: &mut CheckHandle| c.0.p_value)
        .register_get("p_values", |c: &mut CheckHandle| to_array(&c.0.p_values()))
        .register_get("units", |c: &mut CheckHandle| -> Array {
            c.0.units
                .iter()
                .map(|u| Dynamic::from(u.name.clone()))
                .collect()
        })
        .register_get("observed", |c: &mut CheckHandle| c.0.observed)
        .register_get("replicated_mean", |c: &mut CheckHandle| c.0.replicated_mean)
        .register_get("replicated_sd", |c: &mut CheckHandle| c.0.replicated_sd)
        .register_fn("save", |c: &mut CheckHandle, dir: &str| -> RhaiResult<()> {
            lift(c.0.save(std::path::Path::new(dir)))
        });
    docs.add(
        "inference",
        "ppc",
        &format!("post.ppc({}) -> PredictiveCheck", keys_usage(CHECK_OPTIONS)),
        "Posterior predictive check: n replicated spectra, each simulated from a posterior draw \
         under every unit's own statistic (Poisson source; Poisson or Gaussian background as \
         the statistic assumes, its background rate profiled like the fit). The fit statistic \
         of the observed data is compared with that of the replicates at the same draw; the \
         p-value is the fraction of replicates with a statistic ≥ the observed one (per unit \
         and for the weighted total). p < 0.01: the model does not describe the data. \
         Deterministic for a seed, whatever the number of threads. Upper-limit statistics and \
         user loglike functions cannot be replicated (error).",
    );
    docs.options("ppc", "Options", CHECK_OPTIONS);
    docs.add(
        "inference",
        "goodness",
        &format!(
            "fit.goodness({}) -> PredictiveCheck",
            keys_usage(CHECK_OPTIONS)
        ),
        "Goodness of a maximum-likelihood fit (XSPEC's `goodness` without parameter \
         simulation): n spectra simulated from the best fit under each unit's statistic; \
         the p-value is the fraction whose statistic is ≥ the observed one. XSPEC prints \
         the complement (the % of simulations below the data's statistic).",
    );
    docs.options("goodness", "Options", CHECK_OPTIONS);
    docs.add(
        "inference",
        "PredictiveCheck",
        "check.p_value, check.p_values, check.units, check.observed, check.replicated_mean, check.replicated_sd, check.save(dir)",
        "The result of post.ppc or fit.goodness: the total p-value, one per unit (in the order \
         of check.units), the mean observed and replicated statistics. print(check) shows the \
         table; check.save(dir) writes ppc.json or goodness.json (with per-bin observed, \
         expected and replicated count bands).",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn help_defaults_match_the_check_defaults() {
        let d = CheckOptions::default();
        assert_eq!(CHECK_N.default, d.n.to_string());
        assert_eq!(CHECK_SEED.default, d.seed.to_string());
    }
}
