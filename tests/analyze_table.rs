//! Posterior tables: the compact printed table (≤ 100 columns), `post.table` in text, LaTeX
//! and Markdown against golden files, prior-edge notes and warnings, the `Note` key of the
//! saved file, and the `help("Posterior")` entry.
//!
//! Golden files live in tests/golden/; after a deliberate change of the output, rewrite them
//! with `BAYSPEC_UPDATE_GOLDEN=1 cargo test --release --test analyze_table` and inspect the
//! diff before committing.

mod common;

use bayspec::analyze::{
    Analysis, AnalyzerKind, Columns, Digits, Posterior, TableFormat, TableOptions,
};
use bayspec::data::Data;
use bayspec::infer::{Infer, InferKind, Pair};
use bayspec::model::{Model, Op, Prior};
use bayspec::script;
use bayspec::script::posterior::PostHandle;
use rhai::Scope;
use serde_json::Value;
use std::path::PathBuf;
use std::sync::Arc;

// ---- deterministic samples ----

/// SplitMix64 with Irwin–Hall normals: integer and exact floating-point arithmetic only, so
/// the same numbers on every platform.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn unif(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Approximately N(0, 1): the sum of 12 uniforms minus 6.
    fn normal(&mut self) -> f64 {
        (0..12).map(|_| self.unif()).sum::<f64>() - 6.0
    }
}

/// How one column of a fabricated sample is drawn.
#[derive(Clone, Copy)]
enum Shape {
    /// N(mean, sd).
    Normal(f64, f64),
    /// edge + scale·|z|: piled against `edge` (scale > 0: above it, < 0: below it).
    Edge(f64, f64),
}

/// `n` draws of `shapes` and a log-likelihood −z²/2 summed over the columns.
fn fabricate(shapes: &[Shape], n: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<f64>) {
    let mut rng = Rng(seed);
    let mut sample = Vec::with_capacity(n);
    let mut loglike = Vec::with_capacity(n);
    for _ in 0..n {
        let mut ll = 0.0;
        let row = shapes
            .iter()
            .map(|s| {
                let z = rng.normal();
                ll -= 0.5 * z * z;
                match *s {
                    Shape::Normal(m, sd) => m + sd * z,
                    Shape::Edge(edge, scale) => edge + scale * z.abs(),
                }
            })
            .collect();
        sample.push(row);
        loglike.push(ll);
    }
    (sample, loglike)
}

fn data_dir(name: &str) -> PathBuf {
    common::synth::temp_dir(&format!("analyze-table-{name}"))
}

/// An inference of `model` on a simulated cpl burst seen by the synthetic NaI detector.
fn infer_of(model: Model, name: &str) -> Infer {
    let dir = data_dir(name);
    let truth = Model::builtin("cpl").unwrap();
    truth.set_par_values(&[-1.0, 2.5, 0.5]).unwrap();
    let nai = common::synth::simulated_unit(&dir, false, &truth, 20.0, 21);
    let data = Data::from_pairs(vec![("nai".into(), nai)]).unwrap();
    Infer::new(InferKind::Bayes, vec![Pair::new(data, model).unwrap()]).unwrap()
}

fn model(expr: &[&str]) -> Model {
    // "a", "*", "b", "+", "c" → a * (b + c) built right to left
    let mut parts: Vec<Model> = expr
        .iter()
        .step_by(2)
        .map(|n| Model::builtin(n).unwrap())
        .collect();
    let ops: Vec<Op> = expr
        .iter()
        .skip(1)
        .step_by(2)
        .map(|o| match *o {
            "*" => Op::Mul,
            _ => Op::Add,
        })
        .collect();
    let mut m = parts.pop().unwrap();
    for op in ops.into_iter().rev() {
        m = Model::combine(&parts.pop().unwrap(), op, &m).unwrap();
    }
    m
}

fn posterior_of(infer: &Infer, kind: AnalyzerKind, shapes: &[Shape], seed: u64) -> Posterior {
    let (sample, loglike) = fabricate(shapes, 2000, seed);
    let sample = bayspec::sample::draws::matrix_from_rows(&sample).unwrap();
    let draws = bayspec::sample::Draws::new(sample, loglike.clone(), loglike).unwrap();
    let a = Analysis::new(kind, draws, infer.npoint()).unwrap();
    Posterior::new(infer, a, None).unwrap()
}

/// tbabs*(cpl+bb) with N_H ~ 1e-4 piled against the lower end of unif(0, 0.01).
fn golden_posterior() -> Posterior {
    let m = model(&["tbabs", "*", "cpl", "+", "bb"]);
    m.par("N_H")
        .unwrap()
        .set_prior(Some(Prior::unif(0.0, 0.01).unwrap()));
    let infer = infer_of(m, "golden");
    posterior_of(
        &infer,
        AnalyzerKind::Posterior,
        &[
            Shape::Edge(0.0, 1.5e-4),
            Shape::Normal(-1.02, 0.012),
            Shape::Normal(2.28347, 0.0118),
            Shape::Normal(-0.5, 0.05),
            Shape::Normal(1.3, 0.21),
            Shape::Normal(-3.1, 0.4),
        ],
        7,
    )
}

fn check_golden(name: &str, got: &str) {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var("BAYSPEC_UPDATE_GOLDEN").as_deref() == Ok("1") {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, got).unwrap();
    }
    let want = std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (BAYSPEC_UPDATE_GOLDEN=1 writes it)",
            path.display()
        )
    });
    assert!(
        got == want,
        "{name} changed; got:\n{got}\nwant:\n{want}\n(BAYSPEC_UPDATE_GOLDEN=1 rewrites it after a deliberate change)"
    );
}

fn opts(format: TableFormat, columns: Columns) -> TableOptions {
    TableOptions {
        format,
        columns,
        digits: Digits::Auto,
    }
}

/// LaTeX that compiles as far as a text check can tell: balanced braces, `$` paired on every
/// line, no unescaped `_ ^ % #` outside math, `&` only as the column separator, one cell
/// count throughout, a complete tabular.
fn assert_latex_well_formed(tex: &str) {
    let lines: Vec<&str> = tex.lines().collect();
    assert!(lines[0].starts_with("\\begin{tabular}{"), "{tex}");
    assert_eq!(lines[1], "\\hline");
    assert_eq!(lines[lines.len() - 2], "\\hline");
    assert_eq!(lines[lines.len() - 1], "\\end{tabular}");
    let ncol = lines[0]
        .trim_start_matches("\\begin{tabular}{")
        .trim_end_matches('}')
        .len();
    for line in &lines[2..lines.len() - 2] {
        if *line == "\\hline" {
            continue;
        }
        assert!(line.ends_with(" \\\\"), "{line}");
        let body = line.trim_end_matches(" \\\\");
        let mut depth = 0i32;
        let mut math = false;
        let mut cells = 1;
        let chars: Vec<char> = body.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            match c {
                '\\' => {
                    i += 2; // an escaped character or the first letter of a command
                    continue;
                }
                '{' => depth += 1,
                '}' => {
                    depth -= 1;
                    assert!(depth >= 0, "unbalanced braces: {line}");
                }
                '$' => math = !math,
                '&' => {
                    assert!(!math && depth == 0, "& inside a cell: {line}");
                    assert!(chars[i - 1] == ' ' && chars[i + 1] == ' ', "{line}");
                    cells += 1;
                }
                '_' | '^' => assert!(math, "unescaped {c} outside math: {line}"),
                '%' | '#' => panic!("unescaped {c}: {line}"),
                _ => {}
            }
            i += 1;
        }
        assert_eq!(depth, 0, "unbalanced braces: {line}");
        assert!(!math, "unpaired $: {line}");
        assert_eq!(cells, ncol, "cells in: {line}");
    }
}

// ---- golden files ----

#[test]
fn golden_latex_markdown_and_text() {
    let post = golden_posterior();
    assert_eq!(
        post.notes()[0].as_deref(),
        Some("at prior edge (lower)"),
        "N_H piled at 0"
    );
    let latex = post
        .table(&opts(TableFormat::Latex, Columns::Default))
        .unwrap();
    assert_latex_well_formed(&latex);
    check_golden("post_table_default.tex", &latex);
    let latex_all = post.table(&opts(TableFormat::Latex, Columns::All)).unwrap();
    assert_latex_well_formed(&latex_all);
    check_golden("post_table_all.tex", &latex_all);
    let md = post
        .table(&opts(TableFormat::Markdown, Columns::Default))
        .unwrap();
    check_golden("post_table_default.md", &md);
    let md_all = post
        .table(&opts(TableFormat::Markdown, Columns::All))
        .unwrap();
    check_golden("post_table_all.md", &md_all);
    let text = post.table(&TableOptions::default()).unwrap();
    check_golden("post_table_default.txt", &text);
    let fixed = post
        .table(&TableOptions {
            digits: Digits::Decimals(2),
            ..Default::default()
        })
        .unwrap();
    check_golden("post_table_digits2.txt", &fixed);
    // the printed posterior's parameter section
    let printed = post.to_string();
    let params: String = printed
        .lines()
        .skip_while(|l| *l != "*** Parameters ***")
        .take_while(|l| *l != "*** Statistics ***")
        .map(|l| format!("{l}\n"))
        .collect();
    check_golden("post_printed_parameters.txt", &params);
}

// ---- the printed table ----

fn assert_narrow(text: &str) {
    for line in text.lines() {
        assert!(
            line.chars().count() <= 100,
            "{} characters: {line}\n{text}",
            line.chars().count()
        );
    }
}

#[test]
fn printed_table_of_a_3_parameter_emcee_run_fits_100_columns() {
    let infer = infer_of(Model::builtin("cpl").unwrap(), "emcee3");
    infer.set_free_values(&[-1.0, 2.5, 0.5]).unwrap();
    let plan = infer.compile().unwrap();
    let res = common::runs::emcee_from_start(&plan, 200, 100, 5);
    let post = Posterior::from_draws(&infer, &plan, &res).unwrap();
    let text = post.to_string();
    assert_narrow(&text);
    let header = text
        .lines()
        .find(|l| l.contains("par#"))
        .expect("a header line");
    for col in ["par#", "Parameter", "Median", "-1σ", "+1σ", "90% CI"] {
        assert!(header.contains(col), "{header}");
    }
    for gone in [
        "Class",
        "Expression",
        "Component",
        "Mean",
        "Best",
        "Truth",
        "Note",
    ] {
        assert!(!header.contains(gone), "{header}");
    }
    for key in ["alpha", "logE_p", "logA"] {
        assert!(text.contains(&format!("| {key} ")), "{text}");
    }
    assert!(text.contains("*** Information criteria ***"), "{text}");
    assert!(!text.contains("Criterias"));
    // the printed median and errors are those of the sample
    let a = post.analysis();
    let p = &a.pars()[0];
    let f = post.par_table().unwrap().rows[0].format(Digits::Auto);
    let [lo, hi] = p.isigma();
    let row = text.lines().find(|l| l.contains("| alpha ")).unwrap();
    for cell in [
        f.number(p.median()),
        f.signed(lo - p.median()),
        f.signed(hi - p.median()),
        f.interval(p.ninety_percent()),
    ] {
        assert!(row.contains(&format!(" {cell} ")), "{cell} in {row}");
    }
    assert!(post.notes().iter().all(Option::is_none));
    assert!(post.warnings().is_empty());
}

#[test]
fn printed_table_of_an_8_parameter_fit_fits_100_columns() {
    let m = model(&["band", "+", "bb", "+", "pl"]);
    let infer = infer_of(m, "eight");
    assert_eq!(infer.free_nparams(), 8);
    let post = posterior_of(
        &infer,
        AnalyzerKind::Posterior,
        &[
            Shape::Normal(-0.87, 0.043),
            Shape::Edge(-6.0, 0.08), // beta against the lower end of unif(-6, -2)
            Shape::Normal(2.61, 0.021),
            Shape::Normal(-1.234, 0.0051),
            Shape::Normal(1.52, 0.33),
            Shape::Normal(-4.3, 0.9),
            Shape::Normal(-1.9, 0.12),
            Shape::Normal(-2.345, 0.37),
        ],
        11,
    );
    let text = post.to_string();
    assert_narrow(&text);
    assert!(text.contains("at prior edge (lower)"), "{text}");
    assert!(text.contains("| Note"), "{text}");
    // merged notes make the Note column long: the table wraps, it does not widen
    let long = post.with_notes(vec![
        Some("at limit".into()),
        Some("at limit".into()),
        None,
        None,
        None,
        None,
        None,
        Some("a very long note that would push the table beyond one hundred columns".into()),
    ]);
    assert_eq!(
        long.notes()[1].as_deref(),
        Some("at prior edge (lower); at limit")
    );
    let text = long.to_string();
    assert_narrow(&text);
    // every table rendering of it: names with their par# where shared
    let md = long
        .table(&opts(TableFormat::Markdown, Columns::Default))
        .unwrap();
    assert!(
        md.contains("| alpha (par#1) |") && md.contains("| alpha (par#7) |"),
        "{md}"
    );
    let tex = long
        .table(&opts(TableFormat::Latex, Columns::Default))
        .unwrap();
    assert_latex_well_formed(&tex);
    assert!(tex.contains("\n$\\log A$ (par\\#4) & "), "{tex}");
    let tex = long.table(&opts(TableFormat::Latex, Columns::All)).unwrap();
    assert_latex_well_formed(&tex);
    assert!(
        tex.contains("\n4 & model & (band+(bb+pl)) & band & $\\log A$ & "),
        "{tex}"
    );
}

// ---- prior-edge notes ----

fn cpl_infer(name: &str) -> Infer {
    infer_of(Model::builtin("cpl").unwrap(), name)
}

#[test]
fn a_posterior_piled_at_a_prior_edge_is_flagged_once() {
    let infer = cpl_infer("edge");
    // alpha against the upper end of unif(-2, 2): |z|·0.02 below 2, ~95 % within 0.04
    let shapes = [
        Shape::Edge(2.0, -0.02),
        Shape::Normal(2.3, 0.02),
        Shape::Normal(0.1, 0.05),
    ];
    let post = posterior_of(&infer, AnalyzerKind::Posterior, &shapes, 3);
    assert_eq!(
        post.notes(),
        &[Some("at prior edge (upper)".to_string()), None, None]
    );
    assert_eq!(post.warnings().len(), 1, "{:?}", post.warnings());
    let w = &post.warnings()[0];
    assert!(
        w.starts_with("alpha: ")
            && w.contains("% of the posterior lies within 1 % of its prior's upper edge 2;")
            && w.ends_with("the prior truncates it (widen the prior or fix the parameter)"),
        "{w}"
    );
    let pct: f64 = w["alpha: ".len()..]
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!((90.0..=100.0).contains(&pct), "{w}");
    // printed and rendered
    let text = post.to_string();
    assert!(
        text.contains("| Note") && text.contains("at prior edge (upper)"),
        "{text}"
    );
    let tex = post
        .table(&opts(TableFormat::Latex, Columns::Default))
        .unwrap();
    assert!(
        tex.contains("Note \\\\") && tex.contains("& at prior edge (upper) \\\\"),
        "{tex}"
    );
    // saved with a Note key, null for the others
    let dir = data_dir("edge-save");
    post.save(&dir).unwrap();
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("post_free_par.json")).unwrap())
            .unwrap();
    assert_eq!(rows[0]["Note"], "at prior edge (upper)");
    assert!(rows[1]["Note"].is_null() && rows[2].get("Note").is_some());
    for key in [
        "par#",
        "Class",
        "Expression",
        "Component",
        "Parameter",
        "Mean",
        "Median",
        "Best",
        "1sigma Best",
        "1sigma CI",
        "90% CI",
    ] {
        assert!(rows[0].get(key).is_some(), "{key} kept");
    }
    // merging: another note joins with "; ", an identical one is kept once
    let merged = post
        .clone()
        .with_notes(vec![Some("at limit".into()), Some("at limit".into())]);
    assert_eq!(
        merged.notes(),
        &[
            Some("at prior edge (upper); at limit".to_string()),
            Some("at limit".to_string()),
            None
        ]
    );
    let same = post.with_notes(vec![Some("at prior edge (upper)".into())]);
    assert_eq!(same.notes()[0].as_deref(), Some("at prior edge (upper)"));
}

#[test]
fn a_centred_posterior_and_a_bootstrap_are_not_flagged() {
    let infer = cpl_infer("centred");
    let centred = [
        Shape::Normal(-1.0, 0.05),
        Shape::Normal(2.3, 0.02),
        Shape::Normal(0.1, 0.05),
    ];
    let post = posterior_of(&infer, AnalyzerKind::Posterior, &centred, 4);
    assert!(post.notes().iter().all(Option::is_none));
    assert!(post.warnings().is_empty());
    assert!(!post.to_string().contains("Note"));
    // a wide posterior spread over the whole prior: ~1 % per edge zone, under 5 %
    let flat = [
        Shape::Normal(0.0, 0.6),
        Shape::Normal(2.3, 0.02),
        Shape::Normal(0.1, 0.05),
    ];
    let post = posterior_of(&infer, AnalyzerKind::Posterior, &flat, 5);
    assert!(post.warnings().is_empty(), "{:?}", post.warnings());
    // a narrow posterior inside the lowest 1 % of a very wide prior is not truncated:
    // N_H = 0.3 ± 0.05 with tbabs's unif(1e-4, 50) lies entirely within 0.5 of the edge
    let wide = infer_of(model(&["tbabs", "*", "cpl"]), "wide");
    let post = posterior_of(
        &wide,
        AnalyzerKind::Posterior,
        &[
            Shape::Normal(0.3, 0.05),
            Shape::Normal(-1.0, 0.05),
            Shape::Normal(2.3, 0.02),
            Shape::Normal(0.1, 0.05),
        ],
        8,
    );
    assert!(post.warnings().is_empty(), "{:?}", post.warnings());
    // …but one reaching down to the edge is
    let post = posterior_of(
        &wide,
        AnalyzerKind::Posterior,
        &[
            Shape::Edge(1e-4, 0.05),
            Shape::Normal(-1.0, 0.05),
            Shape::Normal(2.3, 0.02),
            Shape::Normal(0.1, 0.05),
        ],
        8,
    );
    assert_eq!(post.notes()[0].as_deref(), Some("at prior edge (lower)"));
    assert!(
        post.warnings()[0].starts_with(
            "N_H: 100 % of the posterior lies within 1 % of its prior's lower edge 0.0001;"
        ),
        "{:?}",
        post.warnings()
    );
    // the same piled sample as a Bootstrap: no note
    let piled = [
        Shape::Edge(2.0, -0.02),
        Shape::Normal(2.3, 0.02),
        Shape::Normal(0.1, 0.05),
    ];
    let boot = posterior_of(&infer, AnalyzerKind::Bootstrap, &piled, 3);
    assert!(boot.notes().iter().all(Option::is_none));
    assert!(boot.warnings().is_empty());
    let dir = data_dir("boot-save");
    boot.save(&dir).unwrap();
    let rows: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("boot_free_par.json")).unwrap())
            .unwrap();
    assert!(rows[0]["Note"].is_null() && rows[0]["Truth"].is_number());
    // a Bootstrap's full table has the Truth column
    let md = boot
        .table(&opts(TableFormat::Markdown, Columns::All))
        .unwrap();
    assert!(md.lines().next().unwrap().contains("| Truth |"), "{md}");
}

#[test]
fn a_logunif_prior_is_judged_on_its_log_scale() {
    let m = Model::builtin("cpl").unwrap();
    m.par("alpha")
        .unwrap()
        .set_prior(Some(Prior::logunif(0.01, 100.0).unwrap()));
    let infer = infer_of(m, "logunif");
    // alpha ≈ 0.5: inside the lowest 1 % of the linear range, far from the log-scale edges
    let post = posterior_of(
        &infer,
        AnalyzerKind::Posterior,
        &[
            Shape::Normal(0.5, 0.05),
            Shape::Normal(2.3, 0.02),
            Shape::Normal(0.1, 0.05),
        ],
        6,
    );
    assert!(post.warnings().is_empty(), "{:?}", post.warnings());
    // piled at 0.01 on the log scale
    let post = posterior_of(
        &infer,
        AnalyzerKind::Posterior,
        &[
            Shape::Edge(0.01, 0.0005),
            Shape::Normal(2.3, 0.02),
            Shape::Normal(0.1, 0.05),
        ],
        6,
    );
    assert_eq!(post.notes()[0].as_deref(), Some("at prior edge (lower)"));
    assert!(
        post.warnings()[0].contains("(in log)"),
        "{:?}",
        post.warnings()
    );
}

// ---- the script binding ----

#[test]
fn post_table_from_a_script() {
    let post = golden_posterior();
    let want_md = post
        .table(&opts(TableFormat::Markdown, Columns::All))
        .unwrap();
    let want_text = post.table(&TableOptions::default()).unwrap();
    let want_tex2 = post
        .table(&TableOptions {
            format: TableFormat::Latex,
            digits: Digits::Decimals(2),
            columns: Columns::Default,
        })
        .unwrap();
    let engine = script::engine();
    let mut scope = Scope::new();
    scope.push("post", PostHandle(Arc::new(post), None));
    let mut eval = |code: &str| script::run::eval_code(&engine, &mut scope, "t.rhai", code);
    let got = eval(r#"post.table(#{ format: "markdown", columns: "all" })"#).unwrap();
    assert_eq!(got.into_string().unwrap(), want_md);
    let got = eval("post.table()").unwrap();
    assert_eq!(got.into_string().unwrap(), want_text);
    let got =
        eval(r#"post.table(#{ format: "text", digits: "auto", columns: "default" })"#).unwrap();
    assert_eq!(got.into_string().unwrap(), want_text);
    let got = eval(r#"post.table(#{ format: "latex", digits: 2 })"#).unwrap();
    assert_eq!(got.into_string().unwrap(), want_tex2);
    for (code, words) in [
        (
            r#"post.table(#{ style: "latex" })"#,
            &["'style'", "format, digits, columns"][..],
        ),
        (
            r#"post.table(#{ format: "html" })"#,
            &["'format'", "\"text\", \"latex\", \"markdown\"", "html"][..],
        ),
        (
            r#"post.table(#{ digits: "many" })"#,
            &["'digits'", "\"auto\"", "many"][..],
        ),
        (
            r#"post.table(#{ digits: -2 })"#,
            &["'digits'", "\"auto\""][..],
        ),
        (
            r#"post.table(#{ columns: "few" })"#,
            &["'columns'", "\"default\", \"all\""][..],
        ),
    ] {
        let e = eval(code).unwrap_err();
        for w in words {
            assert!(e.contains(w), "{code}: {e}");
        }
    }
}

#[test]
fn help_documents_the_posterior_and_bootstrap_objects() {
    for (name, words) in [
        (
            "Posterior",
            &[
                "Median",
                "90% CI",
                "1sigma Best",
                "log-probability",
                "par_Isigma",
                "post.table",
                "at prior edge",
            ][..],
        ),
        (
            "Bootstrap",
            &["Truth", "best fit", "log-likelihood", "fit_values"][..],
        ),
        ("table", &["latex", "markdown", "digits", "columns"][..]),
    ] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_bayspec"))
            .args(["-e", &format!("help(\"{name}\")")])
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
        let text = String::from_utf8(out.stdout).unwrap();
        for w in words {
            assert!(text.contains(w), "help(\"{name}\") lacks {w}:\n{text}");
        }
    }
}
