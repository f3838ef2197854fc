//! `post.table(#{ format, digits, columns })` — a paper-ready parameter table as a string —
//! and the help entries of the `Posterior` / `Bootstrap` objects.

use super::docs::Docs;

use super::docs::keys_usage;
use super::options::OptKind::{Other, Str};
use super::options::{err, lift, OptionSpec, Options, RhaiResult};
use super::posterior::PostHandle;
use crate::analyze::table::{Columns, Digits, TableFormat, TableOptions, MAX_DECIMALS};
use rhai::{Engine, Map};

const OWNER: &str = "post.table";
const FORMAT: OptionSpec =
    OptionSpec::new("format", Str, "text", "\"text\", \"latex\" or \"markdown\"");
const DIGITS: OptionSpec = OptionSpec::new(
    "digits",
    Other("\"auto\" | int"),
    "auto",
    "\"auto\" or a number of decimal places",
);
const COLUMNS: OptionSpec = OptionSpec::new(
    "columns",
    Str,
    "default",
    "\"default\" (Parameter, Median ±1σ, 90% CI) or \"all\"",
);

/// Options of `post.table(#{…})`.
pub const TABLE_OPTIONS: &[OptionSpec] = &[FORMAT, DIGITS, COLUMNS];

/// The named choice given for `spec`, or an error listing the accepted `names`.
fn choice<T>(
    o: &Options,
    spec: &OptionSpec,
    parse: fn(&str) -> Option<T>,
    names: &[&str],
) -> RhaiResult<Option<T>> {
    let Some(s) = o.string(spec)? else {
        return Ok(None);
    };
    match parse(&s) {
        Some(v) => Ok(Some(v)),
        None => {
            let q: Vec<String> = names.iter().map(|n| format!("\"{n}\"")).collect();
            err(format!(
                "{} must be one of {}, got \"{s}\"",
                o.what(spec),
                q.join(", ")
            ))
        }
    }
}

/// The options of `post.table` from a script map; unknown keys and values are errors that
/// name the key and the accepted values.
pub fn table_options(map: Map) -> RhaiResult<TableOptions> {
    let o = Options::new(OWNER, map, TABLE_OPTIONS)?;
    let mut opts = TableOptions::default();
    if let Some(f) = choice(&o, &FORMAT, TableFormat::parse, &TableFormat::NAMES)? {
        opts.format = f;
    }
    if let Some(c) = choice(&o, &COLUMNS, Columns::parse, &Columns::NAMES)? {
        opts.columns = c;
    }
    if let Some(d) = o.raw(&DIGITS)? {
        let what = o.what(&DIGITS);
        let accepted = format!("\"auto\" or a whole number of decimal places 0..={MAX_DECIMALS}");
        opts.digits = if d.is_string() {
            let s = d.to_string();
            if s != "auto" {
                return err(format!("{what} must be {accepted}, got \"{s}\""));
            }
            Digits::Auto
        } else {
            match o.usize(&DIGITS) {
                Ok(Some(n)) if n <= MAX_DECIMALS => Digits::Decimals(n),
                _ => return err(format!("{what} must be {accepted}, got {d}")),
            }
        };
    }
    Ok(opts)
}

const POSTERIOR_HELP: &str = "\
The result of infer.multinest(...) / infer.emcee(...): the analysed sample of the free
parameters. print(post) shows three tables:
  Parameters   par#, Parameter (the plain name, as in infer.par[\"alpha\"]), Median,
               -1σ / +1σ (the ends of the central 68.27 % interval minus the median),
               90% CI (the central 90 % interval), and Note when a parameter has one
               (`at prior edge (lower|upper)`: more than 5 % of the draws lie within 1 % of
               the range from an end of a bounded prior, and within half the posterior's
               68 % width of it, on the log scale for logunif; a warning says so when the
               posterior is made). Digits follow the errors: two significant digits on the
               smaller error, the median to the same decimal place.
  Statistics   the fit statistic per data unit at the best draw, and stat/dof.
  Information criteria   AIC, AICc, BIC (from the largest log-likelihood in the sample),
               WAIC ± error and lnZ ± error (nested sampling).
post.save(dir) writes post_free_par.json with every column: par#, Class, Expression,
Component, Parameter (the stored LaTeX label), Mean, Median, Best (the draw with the
highest log-probability = log-likelihood + log-prior), 1sigma Best (among the draws whose
values all lie inside every parameter's 1σ interval at once, the one with the highest
log-probability; null when no draw does), 1sigma CI, 90% CI, Note (null when none).
Fields: par_mean, par_median, par_best, par_Isigma, par_IIsigma, par_IIIsigma,
par_ninety_percent, par_quantile(q), par_labels, max_loglike, aic, aicc, bic, lnZ, lnZ_err,
waic, nsample, sample; phtflux(e1, e2), ergflux(e1, e2); save(dir) (help(\"inference\")
lists them all).
post.table(#{ format, digits, columns }) returns the parameter table as a string for a
paper (help(\"table\")).";

const BOOTSTRAP_HELP: &str = "\
The result of fit.lmfit(...) / fit.iminuit(...): the best fit followed by a parametric
bootstrap sample drawn from the fit's covariance, analysed like a Posterior (same fields,
printing, save and table; files boot_*.json). It gets no prior-edge notes, and its criteria
table has no WAIC or lnZ. Median, -1σ / +1σ and 90% CI are those of the bootstrap sample.
Best is the draw with the highest log-likelihood (normally the best fit itself); 1sigma
Best the highest-likelihood draw lying inside every 1σ interval; Truth (boot_free_par.json
and post.table(#{ columns: \"all\" })) is the maximum-likelihood fit's values. AIC, AICc and
BIC use the best fit's log-likelihood. Fields beyond a Posterior's include fit_values,
fit_errors, covariance, minos, fit_stat and nfev; help(\"inference\") lists them all.";

const TABLE_HELP: &str = "\
The parameter table as a string: each parameter as median with its 1σ errors (the central
68.27 % interval relative to the median) and the 90 % interval.
Formats: text (aligned columns: 2.283 +0.012 -0.011); latex (a complete tabular with
\\hline; $2.283^{+0.012}_{-0.011}$, labels as LaTeX math, special characters escaped);
markdown (a pipe table).
Digits \"auto\": two significant digits on the smaller error, the value to the same decimal
place; numbers ≥ 1e5 or < 1e-3 share a power of ten ((1.6 +1.0 -0.9)e-4). N: N decimal
places.
Columns \"all\": every column of post_free_par.json (par#, Class, Expression, Component,
Parameter, Truth for a Bootstrap, Mean, Median ±1σ, Best, 1sigma Best, 1sigma CI, 90% CI).
A Note column is added when a parameter has a note. write_text(\"pars.tex\",
post.table(#{ format: \"latex\" })) saves it.";

/// Register `post.table` and the `Posterior` / `Bootstrap` / `table` help entries.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    engine.register_fn(
        "table",
        |p: &mut PostHandle, map: Map| -> RhaiResult<String> {
            let opts = table_options(map)?;
            lift(p.0.table(&opts))
        },
    );
    engine.register_fn("table", |p: &mut PostHandle| -> RhaiResult<String> {
        lift(p.0.table(&TableOptions::default()))
    });
    docs.add(
        "inference",
        "table",
        &format!("post.table({}) -> string", keys_usage(TABLE_OPTIONS)),
        TABLE_HELP,
    );
    docs.add("inference", "table", "post.table() -> string", "");
    docs.options("table", "Options", TABLE_OPTIONS);
    docs.add(
        "inference",
        "Posterior",
        "let post = infer.multinest(#{ ... });  print(post);  post.table()",
        POSTERIOR_HELP,
    );
    docs.add(
        "inference",
        "Bootstrap",
        "let boot = fit.iminuit(#{ ... });  print(boot);  boot.table()",
        BOOTSTRAP_HELP,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::options::map_of as map;
    use rhai::Dynamic;

    #[test]
    fn options_parse_and_refuse() {
        let o = table_options(map(&[
            ("format", Dynamic::from("latex")),
            ("digits", Dynamic::from_int(2)),
            ("columns", Dynamic::from("all")),
        ]))
        .unwrap();
        assert_eq!(o.format, TableFormat::Latex);
        assert_eq!(o.digits, Digits::Decimals(2));
        assert_eq!(o.columns, Columns::All);
        assert_eq!(table_options(Map::new()).unwrap(), TableOptions::default());
        let e = |m: Map| table_options(m).unwrap_err().to_string();
        let s = e(map(&[("fromat", Dynamic::from("latex"))]));
        assert!(
            s.contains("'fromat'") && s.contains("format, digits, columns"),
            "{s}"
        );
        let s = e(map(&[("format", Dynamic::from("html"))]));
        assert!(
            s.contains("'format'") && s.contains("\"markdown\"") && s.contains("html"),
            "{s}"
        );
        let s = e(map(&[("columns", Dynamic::from("some"))]));
        assert!(
            s.contains("'columns'") && s.contains("\"default\", \"all\""),
            "{s}"
        );
        for bad in [
            Dynamic::from("many"),
            Dynamic::from_int(-1),
            Dynamic::from_int(40),
        ] {
            let s = e(map(&[("digits", bad)]));
            assert!(s.contains("'digits'") && s.contains("\"auto\""), "{s}");
        }
        let s = e(map(&[("format", Dynamic::from_int(1))]));
        assert!(s.contains("'format'") && s.contains("string"), "{s}");
    }
}
