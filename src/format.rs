//! Numbers in messages and summaries, and the one table style of printed output.

/// An empty table in the one style every printed table uses (ASCII borders, a rule under the
/// header, no rules between rows, no terminal styling).
pub fn table() -> comfy_table::Table {
    let mut t = comfy_table::Table::new();
    t.load_style(comfy_table::presets::ASCII_FULL_CONDENSED);
    t
}

/// `x` with 4 significant digits (`0.5694`, `6.570`, `38565`), as energies, counts and rates
/// are shown in messages; zero and non-finite values as Rust prints them.
pub fn sig4(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let decimals = (3 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.decimals$}")
}

#[cfg(test)]
mod tests {
    #[test]
    fn four_significant_digits() {
        assert_eq!(super::sig4(0.46720001101493835), "0.4672");
        assert_eq!(super::sig4(6.570000171661377), "6.570");
        assert_eq!(super::sig4(1002.4), "1002");
        assert_eq!(super::sig4(38564.6), "38565");
        assert_eq!(super::sig4(-0.000123456), "-0.0001235");
        assert_eq!(super::sig4(0.0), "0");
    }
}
