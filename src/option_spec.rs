//! Option tables: each option of an option map (`#{ nlive: 400 }`) declared once, with its
//! key, type, default and a one-line doc.
//!
//! A table is a `const` slice of [`OptionSpec`]s. The script layer checks keys and types
//! against it (`script::options::Options`), renders it in `help("name")` ([`help_table`]) and
//! reads values through the same constants, so no key is written twice. Plain data, no Rhai:
//! the data layer declares its grouping-rule keys with it too.

/// The type an option's value must have.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OptKind {
    /// A whole number ≥ 0 (a float with an integral value is accepted).
    Int,
    /// An integer seed ≥ 0.
    Seed,
    /// A number (integer or float).
    Float,
    /// `true` or `false`.
    Bool,
    /// A string.
    Str,
    /// A file or folder name.
    Path,
    /// Two numbers (`[lo, hi]`, `[width, height]`).
    FloatPair,
    /// An array of numbers.
    Floats,
    /// An array of strings.
    Strings,
    /// A nested map `#{ … }`.
    Map,
    /// Several accepted forms, checked by the reader; the text names them for help.
    Other(&'static str),
}

impl OptKind {
    /// The short type name shown in help tables.
    pub fn name(self) -> &'static str {
        match self {
            OptKind::Int | OptKind::Seed => "int",
            OptKind::Float => "number",
            OptKind::Bool => "bool",
            OptKind::Str => "string",
            OptKind::Path => "path",
            OptKind::FloatPair => "[a, b]",
            OptKind::Floats => "[numbers]",
            OptKind::Strings => "[strings]",
            OptKind::Map => "map",
            OptKind::Other(s) => s,
        }
    }

    /// What a value must be, as wrong-type errors say it (`must be a whole number`).
    pub fn expected(self) -> &'static str {
        match self {
            OptKind::Int => "a whole number",
            OptKind::Seed => "an integer",
            OptKind::Float => "a number",
            OptKind::Bool => "true or false",
            OptKind::Str | OptKind::Path => "a string",
            OptKind::FloatPair | OptKind::Floats => "an array of numbers",
            OptKind::Strings => "an array of strings",
            OptKind::Map => "an object map #{...}",
            OptKind::Other(s) => s,
        }
    }
}

/// One option: key, type, default as help shows it (`"none"` when there is none) and doc.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionSpec {
    /// The key in the option map.
    pub key: &'static str,
    /// The accepted type.
    pub kind: OptKind,
    /// The default, as shown in help.
    pub default: &'static str,
    /// One line saying what it does.
    pub doc: &'static str,
}

impl OptionSpec {
    /// A spec (for `const` tables).
    pub const fn new(
        key: &'static str,
        kind: OptKind,
        default: &'static str,
        doc: &'static str,
    ) -> Self {
        OptionSpec {
            key,
            kind,
            default,
            doc,
        }
    }
}

/// The keys of a table, in order, joined with `", "` (as unknown-key errors list them).
pub fn keys(specs: &[OptionSpec]) -> String {
    specs.iter().map(|s| s.key).collect::<Vec<_>>().join(", ")
}

/// The spec of `key` in a table.
pub fn find<'a>(specs: &'a [OptionSpec], key: &str) -> Option<&'a OptionSpec> {
    specs.iter().find(|s| s.key == key)
}

/// The table as help shows it: one aligned line per option (key, type, default, doc).
pub fn help_table(specs: &[OptionSpec]) -> String {
    let header = ("option", "type", "default");
    let w = |f: fn(&OptionSpec) -> &str, h: &str| {
        specs
            .iter()
            .map(|s| f(s).chars().count())
            .chain([h.chars().count()])
            .max()
            .unwrap_or(0)
    };
    let (wk, wt, wd) = (
        w(|s| s.key, header.0),
        w(|s| s.kind.name(), header.1),
        w(|s| s.default, header.2),
    );
    let mut out = format!(
        "  {:<wk$}  {:<wt$}  {:<wd$}  meaning",
        header.0, header.1, header.2
    );
    for s in specs {
        out.push_str(&format!(
            "\n  {:<wk$}  {:<wt$}  {:<wd$}  {}",
            s.key,
            s.kind.name(),
            s.default,
            s.doc
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &[OptionSpec] = &[
        OptionSpec::new("nlive", OptKind::Int, "500", "live points"),
        OptionSpec::new("savepath", OptKind::Path, "none", "output folder"),
    ];

    #[test]
    fn table_renders_aligned() {
        let t = help_table(T);
        let lines: Vec<&str> = t.lines().collect();
        assert_eq!(lines.len(), 3);
        assert!(
            lines[1].starts_with("  nlive     int   500      live points"),
            "{t}"
        );
        assert!(
            lines[2].contains("savepath  path  none     output folder"),
            "{t}"
        );
        assert_eq!(keys(T), "nlive, savepath");
        assert_eq!(find(T, "savepath").map(|s| s.kind), Some(OptKind::Path));
    }
}
