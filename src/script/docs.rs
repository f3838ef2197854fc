//! The help registry: one entry per script-visible name, grouped by topic.
//!
//! Binding files add an entry for every function, type and property they
//! register; `help()` lists the topics and `help("name")` prints the entry,
//! falling back to the engine's own signature list for anything undocumented.

use crate::option_spec::{help_table, keys, OptionSpec};
use std::collections::BTreeMap;

/// One documented name.
#[derive(Debug, Clone)]
pub struct DocEntry {
    /// Topic the name belongs to (`data`, `models`, `priors`, …).
    pub topic: &'static str,
    /// Call forms, e.g. `linspace(start, stop, n) -> array`.
    pub usage: Vec<String>,
    /// What it does.
    pub text: String,
}

/// Help texts for everything a script can call.
#[derive(Debug, Clone, Default)]
pub struct Docs {
    entries: BTreeMap<String, DocEntry>,
    topics: BTreeMap<&'static str, &'static str>,
    tables: Vec<OptionTable>,
}

/// An option table shown in a help entry.
#[derive(Debug, Clone)]
pub struct OptionTable {
    /// The documented name (`multinest`).
    pub name: String,
    /// The heading above the table (`Options`, `grpg / rebn keys`).
    pub title: &'static str,
    /// The table.
    pub specs: &'static [OptionSpec],
}

/// `#{ key1, key2, … }` for a usage line.
pub fn keys_usage(specs: &[OptionSpec]) -> String {
    format!("#{{ {} }}", keys(specs))
}

impl Docs {
    /// An empty registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// Describe a topic (shown by `help()`).
    pub fn topic(&mut self, topic: &'static str, summary: &'static str) {
        self.topics.insert(topic, summary);
    }

    /// Document `name` (several calls for one name add usage lines).
    pub fn add(&mut self, topic: &'static str, name: &str, usage: &str, text: &str) {
        let e = self.entries.entry(name.to_string()).or_insert(DocEntry {
            topic,
            usage: Vec::new(),
            text: String::new(),
        });
        e.usage.push(usage.to_string());
        if !text.is_empty() {
            if !e.text.is_empty() {
                e.text.push('\n');
            }
            e.text.push_str(text);
        }
    }

    /// Append an option table under `title` to the entry of `name` (added before) and record it.
    pub fn options(&mut self, name: &str, title: &'static str, specs: &'static [OptionSpec]) {
        if let Some(e) = self.entries.get_mut(name) {
            if !e.text.is_empty() {
                e.text.push('\n');
            }
            e.text.push_str(&format!("{title}:\n{}", help_table(specs)));
        }
        self.tables.push(OptionTable {
            name: name.to_string(),
            title,
            specs,
        });
    }

    /// Every option table added with [`options`](Self::options), in order.
    pub fn option_tables(&self) -> &[OptionTable] {
        &self.tables
    }

    /// The entry for a name.
    pub fn get(&self, name: &str) -> Option<&DocEntry> {
        self.entries.get(name)
    }

    /// All documented names.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.entries.keys().map(String::as_str)
    }

    /// The `help()` text: topics with their names.
    pub fn overview(&self) -> String {
        let mut out = String::from(
            "bayspec help. Topics (help(\"topic\") lists its names; help(\"name\") documents one):\n",
        );
        for (topic, summary) in &self.topics {
            out.push_str(&format!("  {topic:<10} {summary}\n"));
        }
        out.push_str("Also: help(\"repl\") for the interactive session.");
        out
    }

    /// The text for a topic: its summary and names.
    pub fn topic_text(&self, topic: &str) -> Option<String> {
        let summary = self.topics.get(topic)?;
        let mut out = format!("{topic}: {summary}\n");
        for (name, e) in &self.entries {
            if e.topic == topic {
                out.push_str(&format!("  {:<24} {}\n", name, first_line(&e.text)));
            }
        }
        Some(out.trim_end().to_string())
    }

    /// The text for a name.
    pub fn entry_text(&self, name: &str) -> Option<String> {
        let e = self.entries.get(name)?;
        let mut out = String::new();
        for u in &e.usage {
            out.push_str(u);
            out.push('\n');
        }
        out.push_str(&e.text);
        Some(out.trim_end().to_string())
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or("")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_and_topics() {
        let mut d = Docs::new();
        d.topic("core", "basics");
        d.add("core", "linspace", "linspace(a, b, n)", "Evenly spaced.");
        assert!(d.entry_text("linspace").unwrap().contains("Evenly spaced."));
        assert!(d.topic_text("core").unwrap().contains("linspace"));
        assert!(d.overview().contains("core"));
        assert!(d.entry_text("nope").is_none());
        const T: &[OptionSpec] = &[OptionSpec::new(
            "n",
            crate::option_spec::OptKind::Int,
            "3",
            "how many",
        )];
        d.options("linspace", "Options", T);
        let t = d.entry_text("linspace").unwrap();
        assert!(
            t.contains("Evenly spaced.\nOptions:\n  option") && t.contains("how many"),
            "{t}"
        );
        assert_eq!(d.option_tables().len(), 1);
        assert_eq!(keys_usage(T), "#{ n }");
    }
}
