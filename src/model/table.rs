//! Plain-text tables for printing components and models.

/// Render a table with a header row (no terminal styling).
pub(crate) fn render(header: &[&str], rows: &[Vec<String>]) -> String {
    let mut t = crate::format::table();
    t.set_header(header.to_vec());
    for r in rows {
        t.add_row(r.clone());
    }
    t.to_string()
}
