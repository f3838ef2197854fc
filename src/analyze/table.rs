//! Paper-ready parameter tables: each parameter as `median +err -err` with the number of
//! digits set by its error, rendered as aligned text, a Markdown pipe table or a LaTeX
//! `tabular`, plus the compact printed table of a posterior (at most 100 columns).
//!
//! Rounding (`Digits::Auto`): the smaller of the two 1σ errors gets two significant digits
//! and the median (and every other number of that parameter) is rounded to the same decimal
//! place. When the largest magnitude among the median and its errors is ≥ 1e5 or < 1e-3, the
//! numbers share a power of ten: `(2.28 +0.12 -0.11)e-7`.

use super::report::ParLabel;
use super::{Analysis, AnalyzerKind};
use crate::error::{Error, Result};
use crate::infer::clean_label;
use comfy_table::{ContentArrangement, Table};

/// Widest printed parameter table, in characters.
pub const PRINT_WIDTH: u16 = 100;

/// Output format of [`ParTable::render`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TableFormat {
    /// Columns aligned with spaces, a dashed rule under the header.
    #[default]
    Text,
    /// A complete `\begin{tabular} … \end{tabular}` with `\hline`s.
    Latex,
    /// A pipe table.
    Markdown,
}

impl TableFormat {
    /// The accepted names, in order.
    pub const NAMES: [&'static str; 3] = ["text", "latex", "markdown"];

    /// `"text"`, `"latex"` or `"markdown"`.
    pub fn parse(name: &str) -> Option<TableFormat> {
        match name {
            "text" => Some(TableFormat::Text),
            "latex" => Some(TableFormat::Latex),
            "markdown" => Some(TableFormat::Markdown),
            _ => None,
        }
    }
}

/// How many digits the numbers get.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Digits {
    /// Two significant digits on the smaller error, the value to the same decimal place.
    #[default]
    Auto,
    /// A fixed number of decimal places, no power of ten.
    Decimals(usize),
}

/// Largest `Digits::Decimals` accepted (beyond it an f64 has no digits left to show).
pub const MAX_DECIMALS: usize = 17;

/// Which columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Columns {
    /// Parameter, median with 1σ errors, 90 % interval (and Note when a parameter has one).
    #[default]
    Default,
    /// Every column of `<prefix>_free_par.json` (par#, Class, Expression, Component,
    /// Parameter, Truth for a Bootstrap, Mean, Median, Best, 1sigma Best, 1sigma CI, 90% CI)
    /// with the median's errors, and Note when a parameter has one.
    All,
}

impl Columns {
    /// The accepted names, in order.
    pub const NAMES: [&'static str; 2] = ["default", "all"];

    /// `"default"` or `"all"`.
    pub fn parse(name: &str) -> Option<Columns> {
        match name {
            "default" => Some(Columns::Default),
            "all" => Some(Columns::All),
            _ => None,
        }
    }
}

/// Options of [`ParTable::render`]; the default is text, automatic digits, default columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct TableOptions {
    /// Output format.
    pub format: TableFormat,
    /// Digits.
    pub digits: Digits,
    /// Columns.
    pub columns: Columns,
}

/// Round half away from zero to `decimals` places (negative: to tens, hundreds, …).
fn round_to(x: f64, decimals: i32) -> f64 {
    let r = if decimals >= 0 {
        let f = 10f64.powi(decimals);
        (x * f).round() / f
    } else {
        let f = 10f64.powi(-decimals);
        (x / f).round() * f
    };
    if r == 0.0 {
        0.0 // no "-0.000"
    } else {
        r
    }
}

/// How the numbers of one parameter are written: decimal places of the mantissa and the
/// power of ten shared by every number of the parameter (0: plain numbers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberFormat {
    /// Decimal places of the mantissa (negative: rounded to tens, hundreds, …).
    pub decimals: i32,
    /// Common power of ten.
    pub exponent: i32,
}

impl NumberFormat {
    /// `decimals` places, no power of ten (`digits: N`).
    pub fn fixed(decimals: usize) -> NumberFormat {
        NumberFormat {
            decimals: decimals.min(MAX_DECIMALS) as i32,
            exponent: 0,
        }
    }

    /// The automatic format of `value` with its lower and upper errors (magnitudes): two
    /// significant digits on the smaller positive error; with no positive error, four
    /// significant digits on the value. Numbers share a power of ten when the largest of
    /// |value| and the errors is ≥ 1e5 or < 1e-3.
    pub fn auto(value: f64, minus: f64, plus: f64) -> NumberFormat {
        let errs: Vec<f64> = [minus.abs(), plus.abs()]
            .into_iter()
            .filter(|e| e.is_finite() && *e > 0.0)
            .collect();
        let v = if value.is_finite() { value.abs() } else { 0.0 };
        let mag = errs.iter().cloned().fold(v, f64::max);
        if mag == 0.0 {
            return NumberFormat {
                decimals: 0,
                exponent: 0,
            };
        }
        let exponent = if !(1e-3..1e5).contains(&mag) {
            mag.log10().floor() as i32
        } else {
            0
        };
        let scale = 10f64.powi(exponent);
        let v = v / scale;
        let decimals = match errs.iter().cloned().reduce(f64::min) {
            Some(e) => {
                let e = e / scale;
                let lead = e.log10().floor() as i32;
                let mut d = 1 - lead;
                // 0.0996 → 0.10 (two digits), not 0.100
                if round_to(e, d) >= 10f64.powi(lead + 1) {
                    d -= 1;
                }
                d
            }
            None => (3 - v.log10().floor() as i32).max(0),
        };
        // no more digits than an f64 holds
        let cap = if v > 0.0 {
            (15 - v.log10().floor() as i32).max(0)
        } else {
            MAX_DECIMALS as i32
        };
        NumberFormat {
            decimals: decimals.min(cap),
            exponent,
        }
    }

    /// The format `digits` asks for.
    pub fn of(digits: Digits, value: f64, minus: f64, plus: f64) -> NumberFormat {
        match digits {
            Digits::Auto => NumberFormat::auto(value, minus, plus),
            Digits::Decimals(n) => NumberFormat::fixed(n),
        }
    }

    /// `x` in units of 10^exponent, rounded (`-` when not finite).
    pub fn mantissa(&self, x: f64) -> String {
        if !x.is_finite() {
            return "-".into();
        }
        let m = round_to(x / 10f64.powi(self.exponent), self.decimals);
        format!("{m:.*}", self.decimals.max(0) as usize)
    }

    /// The power of ten as `text` writes it (empty without one).
    fn power(&self, text: impl Fn(i32) -> String) -> String {
        if self.exponent == 0 {
            String::new()
        } else {
            text(self.exponent)
        }
    }

    /// The `e<exponent>` suffix (empty without a power of ten).
    pub fn suffix(&self) -> String {
        self.power(|e| format!("e{e}"))
    }

    /// The mantissas of `value` and of the error magnitudes `plus`, `minus`.
    fn error_mantissas(&self, value: f64, minus: f64, plus: f64) -> [String; 3] {
        [value, plus.abs(), minus.abs()].map(|x| self.mantissa(x))
    }

    /// `x` as plain text: the mantissa with the `e` suffix, e.g. `2.283`, `1.6e-4`.
    pub fn number(&self, x: f64) -> String {
        if !x.is_finite() {
            return "-".into();
        }
        format!("{}{}", self.mantissa(x), self.suffix())
    }

    /// `x` with an explicit sign, e.g. `+0.012`, `-0.011`, `+1.0e-4`.
    pub fn signed(&self, x: f64) -> String {
        let n = self.number(x);
        if x.is_finite() && !n.starts_with('-') {
            format!("+{n}")
        } else {
            n
        }
    }

    /// `[lo, hi]` as plain text, the suffix after the bracket: `[0.2, 3.4]e-4`.
    pub fn interval(&self, iv: [f64; 2]) -> String {
        format!(
            "[{}, {}]{}",
            self.mantissa(iv[0]),
            self.mantissa(iv[1]),
            self.suffix()
        )
    }

    /// `value +plus -minus` as plain text: `2.283 +0.012 -0.011`, `(1.6 +1.0 -0.9)e-4`.
    pub fn with_errors(&self, value: f64, minus: f64, plus: f64) -> String {
        let [v, p, m] = self.error_mantissas(value, minus, plus);
        let body = format!("{v} +{p} -{m}");
        if self.exponent == 0 {
            body
        } else {
            format!("({body}){}", self.suffix())
        }
    }

    fn latex_times(&self) -> String {
        self.power(|e| format!("\\times10^{{{e}}}"))
    }

    /// `x` in LaTeX math: `$2.283$`, `$1.6\times10^{-4}$` (`--` when not finite).
    pub fn latex_number(&self, x: f64) -> String {
        if !x.is_finite() {
            return "--".into();
        }
        format!("${}{}$", self.mantissa(x), self.latex_times())
    }

    /// `[lo, hi]` in LaTeX math.
    pub fn latex_interval(&self, iv: [f64; 2]) -> String {
        if !iv[0].is_finite() || !iv[1].is_finite() {
            return "--".into();
        }
        format!(
            "$[{}, {}]{}$",
            self.mantissa(iv[0]),
            self.mantissa(iv[1]),
            self.latex_times()
        )
    }

    /// `value^{+plus}_{-minus}` in LaTeX math: `$2.283^{+0.012}_{-0.011}$`,
    /// `$(1.6^{+1.0}_{-0.9})\times10^{-4}$`.
    pub fn latex_with_errors(&self, value: f64, minus: f64, plus: f64) -> String {
        if !value.is_finite() {
            return "--".into();
        }
        let [v, p, m] = self.error_mantissas(value, minus, plus);
        let body = format!("{v}^{{+{p}}}_{{-{m}}}");
        if self.exponent == 0 {
            format!("${body}$")
        } else {
            format!("$({body}){}$", self.latex_times())
        }
    }
}

/// Escape text for LaTeX text mode (`_ % & # $ { } ~ ^ \ < > |`).
pub fn latex_escape(text: &str) -> String {
    escape(text, |c| match c {
        '\\' => Some("\\textbackslash{}"),
        '~' => Some("\\textasciitilde{}"),
        '^' => Some("\\textasciicircum{}"),
        '<' => Some("\\textless{}"),
        '>' => Some("\\textgreater{}"),
        '|' => Some("\\textbar{}"),
        _ => None,
    })
}

/// Escape text for `\mathrm{…}` inside math mode.
fn math_text_escape(text: &str) -> String {
    escape(text, |c| match c {
        ' ' => Some("\\ "),
        '\\' => Some("\\backslash{}"),
        '~' => Some("\\sim{}"),
        '^' => Some("\\wedge{}"),
        _ => None,
    })
}

/// `_ % & # $ { }` behind a backslash, the characters `special` names replaced, the rest kept.
fn escape(text: &str, special: fn(char) -> Option<&'static str>) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '_' | '%' | '&' | '#' | '$' | '{' | '}' => {
                out.push('\\');
                out.push(c);
            }
            _ => match special(c) {
                Some(s) => out.push_str(s),
                None => out.push(c),
            },
        }
    }
    out
}

/// Whether a math segment is safe to copy: braces balanced outside `\{`/`\}` and no
/// trailing lone backslash.
fn math_ok(seg: &str) -> bool {
    let mut depth = 0i32;
    let mut chars = seg.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.next().is_none() => return false,
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth < 0 {
                    return false;
                }
            }
            _ => {}
        }
    }
    depth == 0
}

/// A math segment with unescaped `#`, `%`, `&` escaped (they are errors in math mode).
fn math_escape_specials(seg: &str) -> String {
    let mut out = String::with_capacity(seg.len());
    let mut chars = seg.chars();
    while let Some(c) = chars.next() {
        match c {
            '\\' => {
                out.push(c);
                if let Some(n) = chars.next() {
                    out.push(n);
                }
            }
            '#' | '%' | '&' => {
                out.push('\\');
                out.push(c);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A stored parameter label (`$\alpha$`, `log$E_p$`, `$N_H$`, `vfv_peak`) as one valid LaTeX
/// math expression: `$\alpha$`, `$\log E_p$`, `$N_H$`, `$\mathrm{vfv\_peak}$`. Text outside
/// `$…$` becomes `\log`/`\ln` or `\mathrm{…}`; a label with an odd number of `$` or
/// unbalanced braces is set entirely as escaped `\mathrm` text.
pub fn latex_label(label: &str) -> String {
    let parts: Vec<&str> = label.split('$').collect();
    let malformed =
        parts.len().is_multiple_of(2) || parts.iter().skip(1).step_by(2).any(|m| !math_ok(m));
    if malformed {
        return format!("$\\mathrm{{{}}}$", math_text_escape(label.trim()));
    }
    let mut out = String::new();
    for (i, p) in parts.iter().enumerate() {
        let p = if i % 2 == 1 { *p } else { p.trim() };
        if p.is_empty() {
            continue;
        }
        if !out.is_empty() && !out.ends_with(' ') {
            out.push(' ');
        }
        if i % 2 == 1 {
            out.push_str(&math_escape_specials(p));
        } else {
            match p {
                "log" => out.push_str("\\log"),
                "ln" => out.push_str("\\ln"),
                "exp" => out.push_str("\\exp"),
                _ => out.push_str(&format!("\\mathrm{{{}}}", math_text_escape(p))),
            }
        }
    }
    if out.is_empty() {
        return String::new();
    }
    format!("${out}$")
}

/// One parameter of a [`ParTable`].
#[derive(Debug, Clone, PartialEq)]
pub struct ParTableRow {
    /// `par#`.
    pub par: String,
    /// `Class`.
    pub class: String,
    /// `Expression`.
    pub expression: String,
    /// `Component`.
    pub component: String,
    /// The stored label (LaTeX allowed), e.g. `log$E_p$`.
    pub label: String,
    /// The plain label a script uses as a key (`logE_p`, `N_H`).
    pub key: String,
    /// The plain label, with ` (par#N)` when several free parameters share it.
    pub name: String,
    /// Whether another free parameter has the same label.
    pub shared: bool,
    /// Median.
    pub median: f64,
    /// Mean.
    pub mean: f64,
    /// Best draw's value.
    pub best: f64,
    /// Best draw inside every 1σ interval (none if no draw qualifies).
    pub best_ci: Option<f64>,
    /// Bootstrap: the fit's value.
    pub truth: Option<f64>,
    /// 68.27 % central interval.
    pub isigma: [f64; 2],
    /// 90 % central interval.
    pub ninety: [f64; 2],
    /// Note (`at prior edge (upper)`, …).
    pub note: Option<String>,
}

impl ParTableRow {
    /// Lower 1σ error magnitude, median − lo.
    pub fn minus(&self) -> f64 {
        self.median - self.isigma[0]
    }

    /// Upper 1σ error, hi − median.
    pub fn plus(&self) -> f64 {
        self.isigma[1] - self.median
    }

    /// The number format `digits` gives this parameter.
    pub fn format(&self, digits: Digits) -> NumberFormat {
        NumberFormat::of(digits, self.median, self.minus(), self.plus())
    }

    fn latex_name(&self) -> String {
        let l = latex_label(&self.label);
        if self.shared {
            format!("{l} (par\\#{})", latex_escape(&self.par))
        } else {
            l
        }
    }
}

/// The plain labels of `labels`, with ` (par#N)` appended where several share one.
pub fn plain_names(labels: &[ParLabel]) -> Vec<String> {
    let plain: Vec<String> = labels.iter().map(|l| clean_label(&l.parameter)).collect();
    plain
        .iter()
        .zip(labels)
        .map(|(c, l)| {
            if plain.iter().filter(|o| *o == c).count() > 1 {
                format!("{c} (par#{})", l.par)
            } else {
                c.clone()
            }
        })
        .collect()
}

/// The free parameters of an analysis ready for printing and rendering.
#[derive(Debug, Clone, PartialEq)]
pub struct ParTable {
    /// Whether it is a Bootstrap (adds Truth to the full columns).
    pub bootstrap: bool,
    /// One row per free parameter.
    pub rows: Vec<ParTableRow>,
}

/// A rendered cell: plain text or LaTeX (already escaped).
type Grid = (Vec<String>, Vec<Vec<String>>);

impl ParTable {
    /// Rows from an analysis, its labels and one optional note per free parameter (`notes`
    /// may be empty: no notes; a shorter slice leaves the rest without).
    pub fn new(
        analysis: &Analysis,
        labels: &[ParLabel],
        notes: &[Option<String>],
    ) -> Result<ParTable> {
        if labels.len() != analysis.nfree() {
            return Err(Error::new(format!(
                "parameter table: {} labels for {} parameters",
                labels.len(),
                analysis.nfree()
            )));
        }
        let bootstrap = analysis.kind() == AnalyzerKind::Bootstrap;
        let names = plain_names(labels);
        let rows = analysis
            .pars()
            .iter()
            .zip(labels)
            .zip(names)
            .enumerate()
            .map(|(i, ((p, l), name))| {
                let key = clean_label(&l.parameter);
                ParTableRow {
                    par: l.par.clone(),
                    class: l.class.clone(),
                    expression: l.expression.clone(),
                    component: l.component.clone(),
                    label: l.parameter.clone(),
                    shared: name != key,
                    key,
                    name,
                    median: p.median(),
                    mean: p.mean(),
                    best: p.best,
                    best_ci: p.best_ci,
                    truth: if bootstrap { p.truth } else { None },
                    isigma: p.isigma(),
                    ninety: p.ninety_percent(),
                    note: notes.get(i).cloned().flatten(),
                }
            })
            .collect();
        Ok(ParTable { bootstrap, rows })
    }

    /// Whether any parameter has a note.
    pub fn has_notes(&self) -> bool {
        self.rows.iter().any(|r| r.note.is_some())
    }

    /// The printed table (automatic digits): `par#`, `Parameter` (the plain key), `Median`,
    /// `-1σ`, `+1σ` (the 1σ central interval relative to the median), `90% CI`, and `Note`
    /// when a parameter has one; at most [`PRINT_WIDTH`] characters wide (long cells wrap).
    pub fn printed(&self) -> Table {
        let mut header = vec!["par#", "Parameter", "Median", "-1σ", "+1σ", "90% CI"];
        let notes = self.has_notes();
        if notes {
            header.push("Note");
        }
        let mut t = super::report::new_table(&header);
        t.set_content_arrangement(ContentArrangement::Dynamic);
        t.set_width(PRINT_WIDTH);
        for r in &self.rows {
            let f = r.format(Digits::Auto);
            let mut cells = vec![
                r.par.clone(),
                r.key.clone(),
                f.number(r.median),
                f.signed(-r.minus()),
                f.signed(r.plus()),
                f.interval(r.ninety),
            ];
            if notes {
                cells.push(r.note.clone().unwrap_or_default());
            }
            t.add_row(cells);
        }
        t
    }

    /// Header and cells for `opts` (LaTeX cells already escaped and in math where numeric).
    fn grid(&self, opts: &TableOptions) -> Grid {
        let latex = opts.format == TableFormat::Latex;
        let notes = self.has_notes();
        let text = |s: &str| {
            if latex {
                latex_escape(s)
            } else {
                s.to_string()
            }
        };
        let mut header: Vec<String> = Vec::new();
        let value_head = if latex {
            "Median $\\pm1\\sigma$".to_string()
        } else {
            "Median ±1σ".to_string()
        };
        let ci90_head = text("90% CI");
        match opts.columns {
            Columns::Default => {
                header.extend(["Parameter".to_string(), value_head, ci90_head]);
            }
            Columns::All => {
                header.extend(
                    ["par#", "Class", "Expression", "Component", "Parameter"]
                        .iter()
                        .map(|s| text(s)),
                );
                if self.bootstrap {
                    header.push("Truth".into());
                }
                header.extend(["Mean".to_string(), value_head, "Best".to_string()]);
                header.extend(
                    ["1sigma Best", "1sigma CI"]
                        .iter()
                        .map(|s| text(s))
                        .chain([ci90_head]),
                );
            }
        }
        if notes {
            header.push("Note".into());
        }
        let rows = self
            .rows
            .iter()
            .map(|r| {
                let f = r.format(opts.digits);
                let num = |x: f64| {
                    if latex {
                        f.latex_number(x)
                    } else {
                        f.number(x)
                    }
                };
                let opt_num = |x: Option<f64>| match x {
                    Some(v) => num(v),
                    None if latex => "--".to_string(),
                    None => "-".to_string(),
                };
                let interval = |iv: [f64; 2]| {
                    if latex {
                        f.latex_interval(iv)
                    } else {
                        f.interval(iv)
                    }
                };
                let value = if latex {
                    f.latex_with_errors(r.median, r.minus(), r.plus())
                } else {
                    f.with_errors(r.median, r.minus(), r.plus())
                };
                let mut cells = Vec::new();
                match opts.columns {
                    Columns::Default => {
                        cells.push(if latex {
                            r.latex_name()
                        } else {
                            r.name.clone()
                        });
                        cells.push(value);
                        cells.push(interval(r.ninety));
                    }
                    Columns::All => {
                        cells.extend(
                            [&r.par, &r.class, &r.expression, &r.component]
                                .iter()
                                .map(|s| text(s)),
                        );
                        cells.push(if latex {
                            latex_label(&r.label)
                        } else {
                            r.key.clone()
                        });
                        if self.bootstrap {
                            cells.push(opt_num(r.truth));
                        }
                        cells.push(num(r.mean));
                        cells.push(value);
                        cells.push(num(r.best));
                        cells.push(opt_num(r.best_ci));
                        cells.push(interval(r.isigma));
                        cells.push(interval(r.ninety));
                    }
                }
                if notes {
                    cells.push(text(r.note.as_deref().unwrap_or("")));
                }
                cells
            })
            .collect();
        (header, rows)
    }

    /// The table as text, LaTeX or Markdown (see [`TableOptions`]); ends with a newline.
    pub fn render(&self, opts: &TableOptions) -> String {
        let (header, rows) = self.grid(opts);
        match opts.format {
            TableFormat::Text => render_text(&header, &rows),
            TableFormat::Markdown => render_markdown(&header, &rows),
            TableFormat::Latex => render_latex(&header, &rows, opts.columns),
        }
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn render_text(header: &[String], rows: &[Vec<String>]) -> String {
    let widths: Vec<usize> = (0..header.len())
        .map(|j| {
            rows.iter()
                .map(|r| width(&r[j]))
                .chain([width(&header[j])])
                .max()
                .unwrap_or(0)
        })
        .collect();
    let line = |cells: &[String]| {
        let mut s = String::new();
        for (j, c) in cells.iter().enumerate() {
            if j > 0 {
                s.push_str("  ");
            }
            s.push_str(c);
            s.push_str(&" ".repeat(widths[j] - width(c)));
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header);
    let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
    out.push_str(&line(&rule));
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn markdown_cell(s: &str) -> String {
    s.replace('\\', "\\\\").replace('|', "\\|")
}

fn render_markdown(header: &[String], rows: &[Vec<String>]) -> String {
    let line = |cells: &[String]| {
        let cells: Vec<String> = cells.iter().map(|c| markdown_cell(c)).collect();
        format!("| {} |\n", cells.join(" | "))
    };
    let mut out = line(header);
    out.push_str(&format!("|{}\n", " --- |".repeat(header.len())));
    for r in rows {
        out.push_str(&line(r));
    }
    out
}

fn render_latex(header: &[String], rows: &[Vec<String>], columns: Columns) -> String {
    // names left, numbers centred, the note left
    let text_cols = match columns {
        Columns::Default => 1,
        Columns::All => 5,
    };
    let spec: String = (0..header.len())
        .map(|j| {
            if j < text_cols || (header[j] == "Note" && j + 1 == header.len()) {
                'l'
            } else {
                'c'
            }
        })
        .collect();
    let mut out = format!("\\begin{{tabular}}{{{spec}}}\n\\hline\n");
    out.push_str(&header.join(" & "));
    out.push_str(" \\\\\n\\hline\n");
    for r in rows {
        out.push_str(&r.join(" & "));
        out.push_str(" \\\\\n");
    }
    out.push_str("\\hline\n\\end{tabular}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn txt(v: f64, m: f64, p: f64) -> String {
        NumberFormat::auto(v, m, p).with_errors(v, m, p)
    }

    fn tex(v: f64, m: f64, p: f64) -> String {
        NumberFormat::auto(v, m, p).latex_with_errors(v, m, p)
    }

    #[test]
    fn two_significant_digits_on_the_smaller_error() {
        assert_eq!(txt(2.28347, 0.01123, 0.01234), "2.283 +0.012 -0.011");
        assert_eq!(tex(2.28347, 0.01123, 0.01234), "$2.283^{+0.012}_{-0.011}$");
        assert_eq!(txt(1234.5, 56.7, 56.7), "1235 +57 -57");
        assert_eq!(txt(-1.5623, 0.0098, 0.0102), "-1.5623 +0.0102 -0.0098");
        // the smaller error decides; the larger keeps the same decimal place
        assert_eq!(txt(10.0, 0.5, 3.0), "10.00 +3.00 -0.50");
        // errors ≥ 10: tens
        assert_eq!(txt(1234.5, 567.0, 612.0), "1230 +610 -570");
        // 0.0996 rounds to 0.10, not 0.100
        assert_eq!(txt(1.0, 0.0996, 0.2), "1.00 +0.20 -0.10");
    }

    #[test]
    fn tiny_and_huge_numbers_share_a_power_of_ten() {
        assert_eq!(txt(2.28e-7, 1.1e-8, 1.2e-8), "(2.28 +0.12 -0.11)e-7");
        assert_eq!(
            tex(2.28e-7, 1.1e-8, 1.2e-8),
            "$(2.28^{+0.12}_{-0.11})\\times10^{-7}$"
        );
        assert_eq!(txt(123456.0, 789.0, 812.0), "(1.2346 +0.0081 -0.0079)e5");
        let f = NumberFormat::auto(1.6e-4, 0.9e-4, 1.0e-4);
        assert_eq!(f.interval([0.2e-4, 3.4e-4]), "[0.20, 3.40]e-4");
        assert_eq!(f.number(1.6e-4), "1.60e-4");
        assert_eq!(f.signed(-0.9e-4), "-0.90e-4");
        assert_eq!(f.signed(1.0e-4), "+1.00e-4");
        // a tiny error on an ordinary value: the digits it needs
        assert_eq!(
            txt(2.28347, 3e-7, 3e-7),
            "2.28347000 +0.00000030 -0.00000030"
        );
        // a huge error on a small value: the error's power of ten
        assert_eq!(txt(1e-4, 2e5, 2e5), "(0.0 +2.0 -2.0)e5");
    }

    #[test]
    fn degenerate_values() {
        assert_eq!(txt(0.0, 0.0, 0.0), "0 +0 -0");
        assert_eq!(txt(2.5, 0.0, 0.0), "2.500 +0.000 -0.000");
        assert_eq!(txt(2.5, 0.0, 0.1), "2.50 +0.10 -0.00");
        assert_eq!(NumberFormat::auto(f64::NAN, 0.1, 0.1).number(f64::NAN), "-");
        // no "-0.000"
        assert_eq!(NumberFormat::fixed(3).number(-0.0001), "0.000");
        assert_eq!(
            NumberFormat::fixed(2).with_errors(2.28347, 0.011, 0.012),
            "2.28 +0.01 -0.01"
        );
        assert_eq!(NumberFormat::fixed(99).decimals, MAX_DECIMALS as i32);
    }

    #[test]
    fn labels_become_valid_latex() {
        assert_eq!(latex_label("$\\alpha$"), "$\\alpha$");
        assert_eq!(latex_label("log$E_p$"), "$\\log E_p$");
        assert_eq!(latex_label("log$E_{b1}$"), "$\\log E_{b1}$");
        assert_eq!(latex_label("$N_H$"), "$N_H$");
        assert_eq!(latex_label("vfv_peak"), "$\\mathrm{vfv\\_peak}$");
        assert_eq!(latex_label("a$b"), "$\\mathrm{a\\$b}$");
        assert_eq!(latex_label("$x_{1$"), "$\\mathrm{\\$x\\_\\{1\\$}$");
        assert_eq!(latex_label("$50%$"), "$50\\%$");
        assert_eq!(latex_escape("90% CI & #1_a"), "90\\% CI \\& \\#1\\_a");
    }

    #[test]
    fn renderers() {
        let row = ParTableRow {
            par: "1".into(),
            class: "model".into(),
            expression: "cpl".into(),
            component: "cpl".into(),
            label: "log$E_p$".into(),
            key: "logE_p".into(),
            name: "logE_p".into(),
            shared: false,
            median: 2.28347,
            mean: 2.2841,
            best: 2.2822,
            best_ci: None,
            truth: None,
            isigma: [2.28347 - 0.01123, 2.28347 + 0.01234],
            ninety: [2.2651, 2.3044],
            note: Some("at prior edge (upper)".into()),
        };
        let t = ParTable {
            bootstrap: false,
            rows: vec![row],
        };
        let text = t.render(&TableOptions::default());
        assert_eq!(
            text,
            "Parameter  Median ±1σ           90% CI          Note\n\
             ---------  -------------------  --------------  ---------------------\n\
             logE_p     2.283 +0.012 -0.011  [2.265, 2.304]  at prior edge (upper)\n"
        );
        let md = t.render(&TableOptions {
            format: TableFormat::Markdown,
            ..Default::default()
        });
        assert!(
            md.contains(
                "| logE_p | 2.283 +0.012 -0.011 | [2.265, 2.304] | at prior edge (upper) |"
            ),
            "{md}"
        );
        let tex = t.render(&TableOptions {
            format: TableFormat::Latex,
            columns: Columns::All,
            digits: Digits::Decimals(2),
        });
        assert!(
            tex.starts_with("\\begin{tabular}{lllllccccccl}\n\\hline\n"),
            "{tex}"
        );
        assert!(
            tex.contains("$\\log E_p$ & $2.28$ & $2.28^{+0.01}_{-0.01}$ & $2.28$ & -- &"),
            "{tex}"
        );
        assert!(tex.ends_with("\\hline\n\\end{tabular}\n"));
        let printed = t.printed().to_string();
        assert!(
            printed.contains("| 1    | logE_p    | 2.283  | -0.011 | +0.012 | [2.265, 2.304] |"),
            "{printed}"
        );
    }
}
