//! Running scripts and snippets, and turning Rhai errors into one-paragraph messages.

use rhai::{Array, Dynamic, Engine, EvalAltResult, Position, Scope};
use std::path::Path;

/// `file:line:col` for a position (`file` alone when the position is unknown).
fn location(source: &str, pos: Position) -> String {
    match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => format!("{source}:{l}:{c}"),
        (Some(l), None) => format!("{source}:{l}"),
        _ => source.to_string(),
    }
}

/// Rhai appends " (line L, position P)" to messages; we print positions ourselves.
fn strip_position(msg: &str) -> &str {
    match msg.rfind(" (line ") {
        Some(i) if msg.ends_with(')') => &msg[..i],
        _ => msg,
    }
}

/// The message of an error without its position, unwrapping calls into functions.
fn describe(source: &str, e: &EvalAltResult) -> String {
    match e {
        EvalAltResult::ErrorInFunctionCall(name, src, inner, _) => {
            let src = if src.is_empty() { source } else { src };
            let inner_pos = inner.position();
            let at = if inner_pos.is_none() {
                String::new()
            } else {
                format!(" at {}", location(src, inner_pos))
            };
            format!(
                "in function '{name}'{at}: {}",
                describe(src, inner.as_ref())
            )
        }
        EvalAltResult::ErrorInModule(name, inner, _) => {
            let pos = inner.position();
            let at = if pos.is_none() {
                String::new()
            } else {
                format!(" at {}", location(name, pos))
            };
            format!("in module '{name}'{at}: {}", describe(name, inner.as_ref()))
        }
        EvalAltResult::ErrorRuntime(value, _) => {
            if value.is_string() {
                value.to_string()
            } else {
                format!("{value:?}")
            }
        }
        EvalAltResult::ErrorFunctionNotFound(sig, _) => {
            let mut msg = strip_position(&e.to_string()).to_string();
            let name = sig.split([' ', '(']).next().unwrap_or_default();
            let close = super::model::similar_components(name);
            if super::model::is_component(name) {
                msg.push_str(&format!(
                    "; {name}() takes no argument or an options map #{{ label: value, ... }}"
                ));
            } else if !close.is_empty() {
                let list: Vec<String> = close.iter().map(|c| format!("{c}()")).collect();
                msg.push_str(&format!(
                    "; did you mean {}? (models() lists the built-in components)",
                    list.join(" or ")
                ));
            }
            msg
        }
        other => strip_position(&other.to_string()).to_string(),
    }
}

/// A one-paragraph message `file:line:col: error: what` for an error raised by `source`.
pub fn format_error(source: &str, e: &EvalAltResult) -> String {
    format!(
        "{}: error: {}",
        location(source, e.position()),
        describe(source, e)
    )
}

/// [`format_error`] followed by the source line the error points at and a caret under its
/// column, as compilers show them; a missing `;`, which Rhai reports at the start of the next
/// statement, gets a hint pointing at the line before.
pub fn format_error_in(source: &str, code: &str, e: &EvalAltResult) -> String {
    let mut msg = format_error(source, e);
    let pos = e.position();
    let (Some(line), Some(col)) = (pos.line(), pos.position()) else {
        return msg;
    };
    let Some(text) = code.lines().nth(line - 1) else {
        return msg;
    };
    // columns count characters, so the text before the column is taken by characters (a
    // byte slice could split a multi-byte character)
    if msg.contains("Expecting ';'")
        && text
            .chars()
            .take(col.saturating_sub(1))
            .all(char::is_whitespace)
    {
        msg.push_str(" (is a ';' missing at the end of the line before?)");
    }
    // tabs keep their width under the caret
    let pad: String = text
        .chars()
        .take(col.saturating_sub(1))
        .map(|c| if c == '\t' { '\t' } else { ' ' })
        .collect();
    msg.push_str(&format!("\n  {text}\n  {pad}^"));
    msg
}

/// A scope holding the script arguments as `ARGS`.
pub fn scope_with_args(args: &[String]) -> Scope<'static> {
    let mut scope = Scope::new();
    let arr: Array = args.iter().map(|a| Dynamic::from(a.clone())).collect();
    scope.push_constant("ARGS", arr);
    scope
}

/// Compile and run `code` (named `source` in messages) in `scope`.
pub fn eval_code(
    engine: &Engine,
    scope: &mut Scope,
    source: &str,
    code: &str,
) -> Result<Dynamic, String> {
    let mut ast = engine
        .compile_with_scope(scope, code)
        .map_err(|e| format_error_in(source, code, &EvalAltResult::from(e)))?;
    ast.set_source(source);
    engine
        .eval_ast_with_scope::<Dynamic>(scope, &ast)
        .map_err(|e| format_error_in(source, code, &e))
}

/// Run a script file with `ARGS` and `TASK` (batch mode; `None` outside it); the error
/// message names file, line and column.
pub fn run_file(
    engine: &Engine,
    path: &Path,
    args: &[String],
    task: Option<u64>,
) -> Result<Dynamic, String> {
    let source = path.display().to_string();
    let code = std::fs::read_to_string(path)
        .map_err(|e| format!("{source}: error: cannot read the script: {e}"))?;
    // A leading `#!` line makes scripts executable.
    let code = match code.strip_prefix("#!") {
        Some(rest) => format!("//{rest}"),
        None => code,
    };
    let mut scope = scope_with_args(args);
    super::batch::push_task(&mut scope, task);
    // a data file named relative to the script's folder is pointed out when not found
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fits::set_hint_dirs(vec![dir.to_path_buf()]);
    }
    eval_code(engine, &mut scope, &source, &code)
}

/// Show a value the way `print` would (custom types use their `to_string`).
pub fn display_value(engine: &Engine, scope: &mut Scope, value: Dynamic) -> String {
    if value.is_string() {
        return value.to_string();
    }
    const TMP: &str = "__bayspec_show";
    scope.push_dynamic(TMP, value);
    let shown = engine
        .eval_with_scope::<String>(scope, &format!("`${{{TMP}}}`"))
        .unwrap_or_else(|_| "<value>".to_string());
    let _ = scope.remove::<Dynamic>(TMP);
    shown
}
