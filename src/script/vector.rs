//! Elementwise arithmetic on arrays of numbers, so that user component functions can be written
//! on the whole energy vector at once (`|E, T, p| 10.0 ** p[1] * (E / 100.0) ** p[0]`).
//!
//! `+ - * / **` work between an array and a number (either side) and `- * / **` between two
//! arrays of the same length. `+` between two arrays keeps Rhai's meaning (concatenation), and
//! `a += x` keeps appending `x`; add two arrays elementwise with `vadd(a, b)`.
//! `exp`, `ln`, `log` (base 10), `sqrt`, `abs` accept arrays too.

use super::docs::Docs;
use super::options::{num, RhaiResult};
use rhai::{Array, Dynamic, Engine, FLOAT, INT};

/// A binary operation on numbers.
type BinFn = fn(f64, f64) -> f64;

/// Operators between arrays and numbers.
const OPS: [(&str, BinFn); 5] = [
    ("+", |a, b| a + b),
    ("-", |a, b| a - b),
    ("*", |a, b| a * b),
    ("/", |a, b| a / b),
    ("**", f64::powf),
];

/// A function of one number.
type UnFn = fn(f64) -> f64;

/// Functions applied elementwise to arrays.
const FUNCS: [(&str, UnFn); 5] = [
    ("exp", f64::exp),
    ("ln", f64::ln),
    ("log", f64::log10),
    ("sqrt", f64::sqrt),
    ("abs", f64::abs),
];

/// Apply `f` to every element of `a` (numbers only; the error names the position).
fn map(a: &Array, what: &str, f: impl Fn(f64) -> f64) -> RhaiResult<Array> {
    a.iter()
        .enumerate()
        .map(|(i, d)| {
            Ok(Dynamic::from_float(f(num(
                d,
                &format!("{what}: element {i}"),
            )?)))
        })
        .collect()
}

/// Combine two arrays of equal length elementwise.
fn zip(a: &Array, b: &Array, what: &str, f: BinFn) -> RhaiResult<Array> {
    if a.len() != b.len() {
        return Err(format!(
            "{what}: arrays differ in length ({} and {} elements)",
            a.len(),
            b.len()
        )
        .into());
    }
    a.iter()
        .zip(b)
        .enumerate()
        .map(|(i, (x, y))| {
            let x = num(x, &format!("{what}: left element {i}"))?;
            let y = num(y, &format!("{what}: right element {i}"))?;
            Ok(Dynamic::from_float(f(x, y)))
        })
        .collect()
}

/// Register the elementwise operators and functions.
pub fn register(engine: &mut Engine, docs: &mut Docs) {
    for (sym, f) in OPS {
        let what = format!("array '{sym}'");
        let w = what.clone();
        engine.register_fn(sym, move |a: Array, b: FLOAT| map(&a, &w, |x| f(x, b)));
        let w = what.clone();
        engine.register_fn(sym, move |a: Array, b: INT| map(&a, &w, |x| f(x, b as f64)));
        let w = what.clone();
        engine.register_fn(sym, move |a: FLOAT, b: Array| map(&b, &w, |y| f(a, y)));
        let w = what.clone();
        engine.register_fn(sym, move |a: INT, b: Array| map(&b, &w, |y| f(a as f64, y)));
        if sym != "+" {
            engine.register_fn(sym, move |a: Array, b: Array| zip(&a, &b, &what, f));
        }
    }
    engine.register_fn("-", |a: Array| map(&a, "array '-'", |x| -x));
    engine.register_fn("vadd", |a: Array, b: Array| {
        zip(&a, &b, "vadd", |x, y| x + y)
    });
    for (name, f) in FUNCS {
        engine.register_fn(name, move |a: Array| map(&a, name, f));
    }
    docs.add(
        "core",
        "arrays",
        "E / 100.0,  10.0 ** p[1] * E ** p[0],  a * b,  -a,  exp(E),  vadd(a, b)",
        "Elementwise arithmetic on arrays of numbers (integers or floats), for user component \
         functions: + - * / ** between an array and a number on either side, - * / ** between \
         two arrays of the same length, unary -, and exp, ln, log (base 10), sqrt, abs of an \
         array. `a + b` of two arrays concatenates them (Rhai's meaning) and `a += x` appends: \
         add arrays elementwise with vadd(a, b) or a.zip(b, |x, y| x + y).",
    );
    docs.add(
        "core",
        "vadd",
        "vadd(a, b) -> array",
        "Elementwise sum of two arrays of numbers of the same length (`a + b` concatenates).",
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn floats(a: &Array) -> Vec<f64> {
        a.iter().map(|d| d.as_float().unwrap()).collect()
    }

    #[test]
    fn array_number_and_array_array() {
        let mut e = Engine::new();
        let mut d = Docs::new();
        register(&mut e, &mut d);
        let a: Array = e.eval("[1, 2.0, 4] / 2").unwrap();
        assert_eq!(floats(&a), vec![0.5, 1.0, 2.0]);
        let a: Array = e.eval("10.0 ** [1.0, 2] ").unwrap();
        assert_eq!(floats(&a), vec![10.0, 100.0]);
        let a: Array = e.eval("[1.0, 2.0] * [3, 4]").unwrap();
        assert_eq!(floats(&a), vec![3.0, 8.0]);
        let a: Array = e.eval("vadd([1.0, 2.0], [3, 4])").unwrap();
        assert_eq!(floats(&a), vec![4.0, 6.0]);
        let a: Array = e.eval("-[1.0, -2.0]").unwrap();
        assert_eq!(floats(&a), vec![-1.0, 2.0]);
        let a: Array = e.eval("log([10.0, 1000])").unwrap();
        assert_eq!(floats(&a), vec![1.0, 3.0]);
        // `+` between arrays keeps concatenating
        let a: Array = e.eval("[1, 2] + [3]").unwrap();
        assert_eq!(a.len(), 3);
        let msg = e
            .eval::<Array>("[1.0] * [1.0, 2.0]")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("differ in length"), "{msg}");
        let msg = e.eval::<Array>("[1.0, \"x\"] * 2").unwrap_err().to_string();
        assert!(msg.contains("element 1"), "{msg}");
    }
}
