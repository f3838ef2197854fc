//! Tab completion for the REPL, as plain functions of the line (tested without a terminal):
//! functions and variables, `Plot::` functions, methods and properties after `.`, option
//! keys inside `#{ … }`, and parameter names and file paths inside a string.

use std::path::Path;

/// What can be completed, gathered from the engine and the session's scope.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    /// Global functions, keywords and variables.
    pub words: Vec<String>,
    /// `(namespace, its functions)`, e.g. `("Plot", ["corner", "spectrum", …])`.
    pub namespaces: Vec<(String, Vec<String>)>,
    /// Method and property names (what may follow a `.`).
    pub members: Vec<String>,
    /// Option keys (what may start an entry of an option map `#{ … }`).
    pub option_keys: Vec<String>,
    /// Strings worth offering inside quotes: parameter names of the models in scope.
    pub strings: Vec<String>,
}

impl Vocabulary {
    /// The vocabulary of a registered engine: its functions (`get$x` properties as members),
    /// static modules as namespaces, and the keywords.
    pub fn from_engine(engine: &rhai::Engine) -> Vocabulary {
        let mut v = Vocabulary::default();
        for sig in engine.gen_fn_signatures(true) {
            let Some(name) = sig.split('(').next().map(str::trim) else {
                continue;
            };
            if let Some((ns, f)) = name.split_once("::") {
                match v.namespaces.iter_mut().find(|(n, _)| n == ns) {
                    Some((_, fs)) => fs.push(f.to_string()),
                    None => v.namespaces.push((ns.to_string(), vec![f.to_string()])),
                }
                continue;
            }
            let (plain, property) = match name
                .strip_prefix("get$")
                .or_else(|| name.strip_prefix("set$"))
            {
                Some(p) => (p, true),
                None => (name, false),
            };
            let identifier = plain
                .chars()
                .next()
                .is_some_and(|c| c.is_alphabetic() || c == '_')
                && plain.chars().all(|c| c.is_alphanumeric() || c == '_');
            if !identifier {
                continue;
            }
            // a function with a first argument can also be called as a method
            let has_args = !sig.contains("()");
            if property || has_args {
                v.members.push(plain.to_string());
            }
            if !property {
                v.words.push(plain.to_string());
            }
        }
        v.words.extend(
            [
                "let", "const", "fn", "if", "else", "for", "in", "while", "loop", "break",
                "continue", "return", "throw", "try", "catch", "import", "export", "as", "true",
                "false",
            ]
            .map(String::from),
        );
        for list in [&mut v.words, &mut v.members] {
            list.sort();
            list.dedup();
        }
        for (_, fs) in v.namespaces.iter_mut() {
            fs.sort();
            fs.dedup();
        }
        v
    }
}

/// The completions of `line` at byte `pos`: where the replaced text starts and the
/// candidates (sorted, unique). File paths are looked up relative to `cwd`.
pub fn complete(line: &str, pos: usize, vocab: &Vocabulary, cwd: &Path) -> (usize, Vec<String>) {
    let head = &line[..pos];
    if let Some(open) = open_string_start(head) {
        let prefix = &head[open..];
        let mut out: Vec<String> = starting_with(&vocab.strings, prefix);
        out.extend(paths(prefix, cwd));
        return (open, sorted(out));
    }
    let start = head
        .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
        .map(|i| i + head[i..].chars().next().map_or(1, char::len_utf8))
        .unwrap_or(0);
    let prefix = &head[start..];
    let before = head[..start].trim_end();
    let candidates: Vec<String> = if let Some(ns) = before.strip_suffix("::") {
        let ns = ns
            .rsplit(|c: char| !(c.is_alphanumeric() || c == '_'))
            .next()
            .unwrap_or("");
        vocab
            .namespaces
            .iter()
            .find(|(n, _)| n == ns)
            .map(|(_, fs)| starting_with(fs, prefix))
            .unwrap_or_default()
    } else if before.ends_with('.') && !before.ends_with("..") {
        starting_with(&vocab.members, prefix)
    } else if in_option_map_key(before) {
        let mut out = starting_with(&vocab.option_keys, prefix);
        if out.is_empty() && !prefix.is_empty() {
            out = starting_with(&vocab.words, prefix);
        }
        out
    } else if prefix.is_empty() {
        Vec::new()
    } else {
        let mut out = starting_with(&vocab.words, prefix);
        out.extend(
            vocab
                .namespaces
                .iter()
                .filter(|(n, _)| n.starts_with(prefix))
                .map(|(n, _)| format!("{n}::")),
        );
        out
    };
    (start, sorted(candidates))
}

fn starting_with(list: &[String], prefix: &str) -> Vec<String> {
    list.iter()
        .filter(|w| w.starts_with(prefix))
        .cloned()
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v.dedup();
    v
}

/// Byte offset just after the opening quote when `head` ends inside a `"…"` or `` `…` ``
/// string.
fn open_string_start(head: &str) -> Option<usize> {
    let mut open: Option<(char, usize)> = None;
    let mut escaped = false;
    for (i, c) in head.char_indices() {
        match open {
            Some((q, _)) => {
                if escaped {
                    escaped = false;
                } else if c == '\\' {
                    escaped = true;
                } else if c == q {
                    open = None;
                }
            }
            None if c == '"' || c == '`' => open = Some((c, i + 1)),
            None if c == '/' && head[i..].starts_with("//") => return None,
            None => {}
        }
    }
    open.map(|(_, at)| at)
}

/// Whether the text before a word is the start of an entry of an option map: inside an
/// unclosed `#{`, right after the `{` or a `,`.
fn in_option_map_key(before: &str) -> bool {
    if !(before.ends_with('{') || before.ends_with(',')) {
        return false;
    }
    let mut depth: Vec<bool> = Vec::new(); // true for a `#{`, false for other brackets
    let mut prev = ' ';
    for c in before.chars() {
        match c {
            '{' => depth.push(prev == '#'),
            '(' | '[' => depth.push(false),
            '}' | ')' | ']' => {
                depth.pop();
            }
            _ => {}
        }
        prev = c;
    }
    depth.last() == Some(&true)
}

/// Files and folders whose path starts with `prefix` (relative to `cwd` unless absolute);
/// folders end in `/`. Nothing when the folder cannot be read.
fn paths(prefix: &str, cwd: &Path) -> Vec<String> {
    let (dir_part, file_part) = match prefix.rfind('/') {
        Some(i) => (&prefix[..=i], &prefix[i + 1..]),
        None => ("", prefix),
    };
    let dir = if dir_part.is_empty() {
        cwd.to_path_buf()
    } else if Path::new(dir_part).is_absolute() {
        Path::new(dir_part).to_path_buf()
    } else {
        cwd.join(dir_part)
    };
    let Ok(entries) = std::fs::read_dir(&dir) else {
        return Vec::new();
    };
    entries
        .filter_map(|e| {
            let e = e.ok()?;
            let name = e.file_name().into_string().ok()?;
            if !name.starts_with(file_part) || (file_part.is_empty() && name.starts_with('.')) {
                return None;
            }
            let slash = if e.path().is_dir() { "/" } else { "" };
            Some(format!("{dir_part}{name}{slash}"))
        })
        .collect()
}
