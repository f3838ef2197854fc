//! The interactive session: line editing, history, completion, multi-line input.
//!
//! Variables and functions defined on earlier lines stay available: every line is
//! compiled against the session scope and its functions are merged into one AST.
//! With stdin not a terminal (piped input) the same loop runs without prompts;
//! errors are printed and the exit status reports whether any line failed.

use super::complete::{complete, Vocabulary};
use super::run::{display_value, format_error, format_error_in};
use super::stdlib;
use crate::model::par::plain_label;
use crate::model::Model;
use rhai::{Dynamic, Engine, EvalAltResult, LexError, ParseErrorType, Scope, AST};
use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::history::{DefaultHistory, History};
use rustyline::{CompletionType, Context, Editor, Helper, Highlighter, Hinter, Validator};
use std::io::{BufRead, IsTerminal};
use std::path::PathBuf;
use std::sync::{Arc, RwLock};

/// Whether `src` is an incomplete program (the user has more to type).
pub fn is_incomplete(engine: &Engine, src: &str) -> bool {
    let Err(e) = engine.compile(src) else {
        return false;
    };
    let lines: Vec<&str> = src.split('\n').collect();
    let pos = e.position();
    let at_eof = match (pos.line(), pos.position()) {
        (Some(l), Some(c)) => {
            l > lines.len() || (l == lines.len() && c > lines[l - 1].chars().count())
        }
        _ => true,
    };
    match e.err_type() {
        ParseErrorType::BadInput(LexError::UnterminatedString) => {
            src.ends_with('\\') || {
                let l = pos.line().unwrap_or(1);
                let c = pos.position().unwrap_or(1);
                lines
                    .get(l.saturating_sub(1))
                    .and_then(|t| t.chars().nth(c.saturating_sub(1)))
                    == Some('`')
            }
        }
        ParseErrorType::UnexpectedEOF
        | ParseErrorType::MissingToken(..)
        | ParseErrorType::MissingSymbol(..) => at_eof,
        _ => false,
    }
}

/// One REPL session: engine, scope and accumulated functions.
pub struct Session {
    engine: Engine,
    scope: Scope<'static>,
    ast: AST,
    /// Number of inputs that failed.
    pub failures: usize,
}

impl Session {
    /// A new session over a registered engine.
    pub fn new(engine: Engine) -> Self {
        Session {
            engine,
            scope: Scope::new(),
            ast: AST::empty(),
            failures: 0,
        }
    }

    /// The engine (for completion and validation).
    pub fn engine(&self) -> &Engine {
        &self.engine
    }

    /// Names of the variables in scope.
    pub fn variables(&self) -> Vec<String> {
        self.scope.iter().map(|(n, _, _)| n.to_string()).collect()
    }

    /// What Tab completes now: the engine's functions, namespaces and members, the option
    /// keys, the variables in scope and the parameter names of the models among them.
    pub fn vocabulary(&self) -> Vocabulary {
        let mut v = Vocabulary::from_engine(&self.engine);
        v.words.extend(self.variables());
        v.words.sort();
        v.words.dedup();
        v.option_keys = super::option_keys();
        for (_, _, value) in self.scope.iter() {
            if let Some(m) = value.clone().try_cast::<Model>() {
                v.strings
                    .extend(m.params().iter().map(|e| plain_label(&e.par.label())));
            }
        }
        v.strings.sort();
        v.strings.dedup();
        v
    }

    /// Evaluate one complete input; `Ok(Some(text))` is a value worth showing.
    pub fn eval(&mut self, source: &str, input: &str) -> Result<Option<String>, String> {
        let mut ast = self
            .engine
            .compile_with_scope(&self.scope, input)
            .map_err(|e| format_error_in(source, input, &EvalAltResult::from(e)))?;
        ast.set_source(source);
        self.register_imports(input)?;
        self.ast += ast;
        let result = self
            .engine
            .eval_ast_with_scope::<Dynamic>(&mut self.scope, &self.ast);
        self.ast.clear_statements();
        let value = result.map_err(|e| format_error_in(source, input, &e))?;
        if value.is_unit() {
            Ok(None)
        } else {
            Ok(Some(display_value(&self.engine, &mut self.scope, value)))
        }
    }

    /// Top-level `import "x" as y;` lines: keep module `y` for the later lines too.
    fn register_imports(&mut self, input: &str) -> Result<(), String> {
        for stmt in input.split(';') {
            let words: Vec<&str> = stmt.split_whitespace().collect();
            if let ["import", path, "as", alias] = words.as_slice() {
                let path = path.trim_matches('"');
                if stdlib::source(path).is_some() {
                    use rhai::ModuleResolver;
                    let module = stdlib::StdlibResolver
                        .resolve(&self.engine, None, path, rhai::Position::NONE)
                        .map_err(|e| format_error("import", &e))?;
                    self.engine.register_static_module(*alias, module);
                }
            }
        }
        Ok(())
    }

    /// Run a start-up script into the session (variables and functions kept).
    pub fn run_startup(&mut self, path: &std::path::Path) -> Result<(), String> {
        let code = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        self.eval(&path.display().to_string(), &code).map(|_| ())
    }
}

#[derive(Helper, Highlighter, Hinter, Validator)]
struct ReplHelper {
    vocab: Arc<RwLock<Vocabulary>>,
}

impl Completer for ReplHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let cwd = std::env::current_dir().unwrap_or_default();
        let (start, words) = match self.vocab.read() {
            Ok(v) => complete(line, pos, &v, &cwd),
            Err(_) => (pos, Vec::new()),
        };
        let out = words
            .into_iter()
            .map(|w| Pair {
                display: w.clone(),
                replacement: w,
            })
            .collect();
        Ok((start, out))
    }
}

fn dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("", "", "bayspec")
}

/// Where the history is kept (per-user data directory).
pub fn history_path() -> Option<PathBuf> {
    dirs().map(|d| d.data_dir().join("history.txt"))
}

/// The optional start-up script (per-user config directory).
pub fn init_script_path() -> Option<PathBuf> {
    dirs().map(|d| d.config_dir().join("init.rhai"))
}

/// The prompt of a new input.
pub const PROMPT: &str = "bayspec> ";
/// The prompt of a line that continues an unfinished input.
pub const CONTINUATION_PROMPT: &str = "     ..> ";

/// Run the REPL until end of input; returns the process exit status.
pub fn run(engine: Engine) -> i32 {
    let mut session = Session::new(engine);
    if let Some(init) = init_script_path().filter(|p| p.is_file()) {
        if let Err(e) = session.run_startup(&init) {
            eprintln!("{e}");
        }
    }
    if std::io::stdin().is_terminal() {
        run_terminal(session)
    } else {
        run_piped(session)
    }
}

fn run_piped(mut session: Session) -> i32 {
    let stdin = std::io::stdin();
    let mut buffer = String::new();
    let mut line_no = 0usize;
    let mut start_line = 1usize;
    for line in stdin.lock().lines() {
        let Ok(line) = line else { break };
        line_no += 1;
        if buffer.is_empty() {
            start_line = line_no;
        } else {
            buffer.push('\n');
        }
        buffer.push_str(&line);
        if is_incomplete(session.engine(), &buffer) {
            continue;
        }
        let input = std::mem::take(&mut buffer);
        run_one(&mut session, &format!("<stdin:{start_line}>"), &input);
    }
    if !buffer.trim().is_empty() {
        run_one(&mut session, &format!("<stdin:{start_line}>"), &buffer);
    }
    i32::from(session.failures > 0)
}

fn run_one(session: &mut Session, source: &str, input: &str) {
    if input.trim().is_empty() {
        return;
    }
    match session.eval(source, input) {
        Ok(Some(text)) => super::say(&text),
        Ok(None) => {}
        Err(e) => {
            session.failures += 1;
            eprintln!("{e}");
        }
    }
}

/// Set by Ctrl-C while a line is being evaluated; the engine's progress hook stops the run.
static INTERRUPTED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Let Ctrl-C interrupt a running evaluation (a runaway loop) instead of killing the REPL.
fn install_interrupt(session: &mut Session) {
    use std::sync::atomic::Ordering;
    // the flag stops Rhai code; the library's stop request stops a running sampler, which
    // saves its state (with a savepath) and returns an error saying where
    let handler = || {
        INTERRUPTED.store(true, Ordering::SeqCst);
        crate::notice::request_stop();
    };
    if ctrlc::set_handler(handler).is_err() {
        return;
    }
    session.engine.on_progress(|_| {
        if INTERRUPTED.swap(false, Ordering::SeqCst) {
            Some(rhai::Dynamic::from("interrupted by Ctrl-C"))
        } else {
            None
        }
    });
}

fn run_terminal(mut session: Session) -> i32 {
    install_interrupt(&mut session);
    let vocab = Arc::new(RwLock::new(session.vocabulary()));
    let helper = ReplHelper {
        vocab: vocab.clone(),
    };
    // Tab lists the candidates (and completes their common prefix)
    let config = rustyline::Config::builder()
        .completion_type(CompletionType::List)
        .max_history_size(5000)
        .map(|b| b.build())
        .unwrap_or_default();
    let mut rl: Editor<ReplHelper, DefaultHistory> = match Editor::with_config(config) {
        Ok(rl) => rl,
        Err(e) => {
            eprintln!("bayspec: cannot start the line editor ({e}); reading plain input");
            return run_piped(session);
        }
    };
    rl.set_helper(Some(helper));
    let history = history_path();
    if let Some(h) = &history {
        let _ = rl.load_history(h);
    }
    println!(
        "bayspec {} — help() lists topics, Ctrl-D exits.",
        env!("CARGO_PKG_VERSION")
    );
    let mut n = 0usize;
    // an input still open (a `{`, `(` or string not closed) continues on the next line,
    // under the continuation prompt
    let mut buffer = String::new();
    loop {
        let prompt = if buffer.is_empty() {
            PROMPT
        } else {
            CONTINUATION_PROMPT
        };
        match rl.readline(prompt) {
            Ok(line) => {
                if !buffer.is_empty() {
                    buffer.push('\n');
                }
                buffer.push_str(&line);
                if is_incomplete(session.engine(), &buffer) {
                    continue;
                }
                let input = std::mem::take(&mut buffer);
                n += 1;
                INTERRUPTED.store(false, std::sync::atomic::Ordering::SeqCst);
                crate::notice::clear_stop();
                // history is kept after every input, so a killed session loses none of it
                if !input.trim().is_empty() {
                    let _ = rl.history_mut().add(&input);
                }
                if let Some(h) = &history {
                    if let Some(dir) = h.parent() {
                        let _ = std::fs::create_dir_all(dir);
                    }
                    let _ = rl.save_history(h);
                }
                run_one(&mut session, &format!("<repl:{n}>"), &input);
                if let Ok(mut v) = vocab.write() {
                    *v = session.vocabulary();
                }
            }
            Err(ReadlineError::Interrupted) => {
                // Ctrl-C at the prompt drops an unfinished input
                buffer.clear();
                continue;
            }
            Err(ReadlineError::Eof) => break,
            Err(e) => {
                eprintln!("bayspec: input error: {e}");
                break;
            }
        }
    }
    if let Some(h) = &history {
        if let Some(dir) = h.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        if let Err(e) = rl.save_history(h) {
            eprintln!("bayspec: could not save history to {}: {e}", h.display());
        }
    }
    0
}
