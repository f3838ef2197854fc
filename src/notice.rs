//! Where the library's warnings and progress lines go. The layers below `script` never print:
//! they call [`warn`] and [`progress`], and whoever drives them decides how those are shown —
//! the command line prints them to standard error (the default), a test or an embedding
//! program installs its own [`Observer`], and [`capture`] collects the warnings raised by one
//! piece of work on the calling thread.

use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};

/// Receives the library's warnings and progress lines.
pub trait Observer: Send + Sync {
    /// A warning (one line, without the `warning:` prefix).
    fn warning(&self, message: &str);
    /// A progress line of a long run (verbose samplers).
    fn progress(&self, line: &str);
}

/// The default observer: `warning: …` and progress lines on standard error.
pub struct Stderr;

impl Observer for Stderr {
    fn warning(&self, message: &str) {
        eprintln!("warning: {message}");
    }

    fn progress(&self, line: &str) {
        eprintln!("{line}");
    }
}

static OBSERVER: RwLock<Option<Arc<dyn Observer>>> = RwLock::new(None);

thread_local! {
    static CAPTURED: RefCell<Vec<Vec<String>>> = const { RefCell::new(Vec::new()) };
}

/// Install `observer` for the whole process (`None` restores standard error); returns the
/// previous one.
pub fn set_observer(observer: Option<Arc<dyn Observer>>) -> Option<Arc<dyn Observer>> {
    match OBSERVER.write() {
        Ok(mut o) => std::mem::replace(&mut *o, observer),
        Err(_) => None,
    }
}

fn with_observer(f: impl FnOnce(&dyn Observer)) {
    let installed = OBSERVER.read().ok().and_then(|o| o.clone());
    match installed {
        Some(o) => f(o.as_ref()),
        None => f(&Stderr),
    }
}

/// Report a warning: to the innermost [`capture`] on this thread if there is one, else to
/// the installed observer.
pub fn warn(message: impl AsRef<str>) {
    let message = message.as_ref();
    let captured = CAPTURED.with(|c| match c.borrow_mut().last_mut() {
        Some(list) => {
            list.push(message.to_string());
            true
        }
        None => false,
    });
    if !captured {
        with_observer(|o| o.warning(message));
    }
}

/// Report a progress line.
pub fn progress(line: impl AsRef<str>) {
    with_observer(|o| o.progress(line.as_ref()));
}

static STOP: AtomicBool = AtomicBool::new(false);

/// Ask the running sampler to stop at its next iteration (the REPL's Ctrl-C handler calls
/// this). Samplers then save what they have (with a savepath, the run resumes from there) and
/// return an error saying so.
pub fn request_stop() {
    STOP.store(true, Ordering::SeqCst);
}

/// Whether a stop was requested (and not yet cleared).
pub fn stop_requested() -> bool {
    STOP.load(Ordering::Relaxed)
}

/// Forget a stop request (before the next piece of work).
pub fn clear_stop() {
    STOP.store(false, Ordering::SeqCst);
}

/// Run `f`, collecting the warnings it raises on this thread instead of reporting them.
pub fn capture<R>(f: impl FnOnce() -> R) -> (R, Vec<String>) {
    CAPTURED.with(|c| c.borrow_mut().push(Vec::new()));
    let r = f();
    let list = CAPTURED.with(|c| c.borrow_mut().pop().unwrap_or_default());
    (r, list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn captures_nest_and_collect_only_their_own_warnings() {
        let ((_, inner), outer) = capture(|| {
            warn("first");
            let r = capture(|| warn("inner"));
            warn("second");
            r
        });
        assert_eq!(inner, vec!["inner".to_string()]);
        assert_eq!(outer, vec!["first".to_string(), "second".to_string()]);
    }
}
