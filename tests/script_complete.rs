//! REPL Tab completion: functions, `Plot::`, members after `.`, option keys in `#{ … }`,
//! parameter names and file paths inside strings, from a real session.

use bayspec::script::complete::complete;
use bayspec::script::repl::Session;
use std::path::Path;

fn session() -> Session {
    let mut s = Session::new(bayspec::script::engine());
    s.eval("<test>", r#"let m = cpl(); let mdl = m;"#).unwrap();
    s
}

/// The candidates for `line` with the cursor at its end, and the replaced text.
fn candidates(s: &Session, line: &str, cwd: &Path) -> (String, Vec<String>) {
    let (start, c) = complete(line, line.len(), &s.vocabulary(), cwd);
    (line[start..].to_string(), c)
}

#[test]
fn functions_variables_and_namespaces_complete_by_prefix() {
    let s = session();
    let cwd = std::env::temp_dir();
    let (word, c) = candidates(&s, "let p = multi", &cwd);
    assert_eq!(word, "multi");
    assert!(c.contains(&"multinest".to_string()), "{c:?}");
    let (_, c) = candidates(&s, "md", &cwd);
    assert_eq!(c, vec!["mdl".to_string()], "variables in scope");
    let (_, c) = candidates(&s, "Pl", &cwd);
    assert!(c.contains(&"Plot::".to_string()), "{c:?}");
    // nothing offered for an empty word outside any context
    assert!(candidates(&s, "let x = ", &cwd).1.is_empty());
}

#[test]
fn plot_namespace_and_members_after_a_dot() {
    let s = session();
    let cwd = std::env::temp_dir();
    let (word, c) = candidates(&s, "Plot::co", &cwd);
    assert_eq!(word, "co");
    assert!(c.contains(&"corner".to_string()), "{c:?}");
    assert!(c.iter().all(|w| w.starts_with("co")));
    let (_, all) = candidates(&s, "Plot::", &cwd);
    assert!(
        all.contains(&"infer".to_string()) && all.contains(&"model".to_string()),
        "{all:?}"
    );
    // methods and properties of any registered type after a dot
    let (word, c) = candidates(&s, "m.pa", &cwd);
    assert_eq!(word, "pa");
    assert!(c.contains(&"par".to_string()), "{c:?}");
    let (_, c) = candidates(&s, "post.par_med", &cwd);
    assert!(c.contains(&"par_median".to_string()), "{c:?}");
}

#[test]
fn option_keys_inside_an_option_map() {
    let s = session();
    let cwd = std::env::temp_dir();
    let (word, c) = candidates(&s, r#"let u = DataUnit(#{ spec: "a.pha", no"#, &cwd);
    assert_eq!(word, "no");
    assert!(c.contains(&"notc".to_string()), "{c:?}");
    let (_, c) = candidates(&s, "x(#{ ", &cwd);
    assert!(
        c.contains(&"notc".to_string()),
        "every key offered at an entry's start"
    );
    // a value position is not a key position
    let (_, c) = candidates(&s, "x(#{ notc: no", &cwd);
    assert!(!c.contains(&"notc".to_string()), "{c:?}");
}

#[test]
fn parameter_names_and_paths_inside_strings() {
    let s = session();
    let dir = std::env::temp_dir().join(format!("bayspec-complete-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("grb")).unwrap();
    std::fs::write(dir.join("grb/me.pha"), "").unwrap();
    std::fs::write(dir.join("grb/me.rsp"), "").unwrap();
    let (word, c) = candidates(&s, r#"m.par["al"#, &dir);
    assert_eq!(word, "al");
    assert!(c.contains(&"alpha".to_string()), "{c:?}");
    let (word, c) = candidates(&s, r#"let d = DataUnit(#{ spec: "gr"#, &dir);
    assert_eq!(word, "gr");
    assert_eq!(c, vec!["grb/".to_string()]);
    let (word, c) = candidates(&s, r#"spec: "grb/me."#, &dir);
    assert_eq!(word, "grb/me.");
    assert_eq!(c, vec!["grb/me.pha".to_string(), "grb/me.rsp".to_string()]);
    // a closed string is not completed as one
    let (_, c) = candidates(&s, r#"let a = "x"; mul"#, &dir);
    assert!(c.contains(&"multinest".to_string()));
    let _ = std::fs::remove_dir_all(&dir);
}
