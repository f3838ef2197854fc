//! Plain-text tables for printing components and models.

use comfy_table::{presets, Table};

/// Render a table with a header row (no terminal styling).
pub(crate) fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_header(header.to_vec());
    for r in rows {
        t.add_row(r.clone());
    }
    t.to_string()
}
