//! Every function, method and property a script can call is documented by `help()`: it has an
//! entry of its own, or an entry's usage or text names it.

use std::collections::BTreeSet;

/// Whether `text` contains `word` as a whole identifier.
fn names(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        let ident = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        !ident(before) && !ident(after)
    })
}

#[test]
fn every_registered_function_has_help() {
    let engine = bayspec::script::engine();
    let docs = bayspec::script::docs();
    let all_text: String = docs
        .names()
        .filter_map(|n| {
            docs.get(n)
                .map(|e| format!("{n} {} {}", e.usage.join(" "), e.text))
        })
        .collect::<Vec<_>>()
        .join("\n");
    let mut missing = BTreeSet::new();
    let sigs = engine.gen_fn_signatures(false);
    assert!(
        sigs.iter().any(|s| s.starts_with("Plot::corner(")),
        "the Plot:: namespace is checked"
    );
    for sig in sigs {
        let name = sig.split('(').next().unwrap_or("").trim();
        let plain = name
            .strip_prefix("get$")
            .or_else(|| name.strip_prefix("set$"))
            .unwrap_or(name);
        let plain = plain.rsplit("::").next().unwrap_or(plain);
        // operators and indexers are not names; Rhai's standard library is not ours
        let identifier = plain.chars().next().is_some_and(|c| c.is_alphabetic())
            && plain.chars().all(|c| c.is_alphanumeric() || c == '_');
        if !identifier || ["to_string", "to_debug"].contains(&plain) {
            continue;
        }
        if docs.get(name).is_none() && docs.get(plain).is_none() && !names(&all_text, plain) {
            missing.insert(plain.to_string());
        }
    }
    assert!(
        missing.is_empty(),
        "{} names without help: {missing:?}",
        missing.len()
    );
}
