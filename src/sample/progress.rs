//! Progress display: an indicatif bar or spinner on a terminal, nothing otherwise.

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use std::io::IsTerminal;

/// A progress indicator that is hidden when stdout or stderr is not a terminal.
pub struct Progress {
    bar: ProgressBar,
}

impl Progress {
    /// A bar with a known length (`len` steps) and a message prefix.
    pub fn bar(len: u64, prefix: &str) -> Self {
        let bar = ProgressBar::new(len);
        if let Ok(style) = ProgressStyle::with_template(
            "{prefix} [{elapsed_precise}] {wide_bar} {pos}/{len} {msg}",
        ) {
            bar.set_style(style);
        }
        Self::finish_setup(bar, prefix)
    }

    /// A spinner for work of unknown length (nested sampling).
    pub fn spinner(prefix: &str) -> Self {
        let bar = ProgressBar::new_spinner();
        if let Ok(style) =
            ProgressStyle::with_template("{prefix} {spinner} [{elapsed_precise}] {msg}")
        {
            bar.set_style(style);
        }
        Self::finish_setup(bar, prefix)
    }

    fn finish_setup(bar: ProgressBar, prefix: &str) -> Self {
        if !std::io::stdout().is_terminal() || !std::io::stderr().is_terminal() {
            bar.set_draw_target(ProgressDrawTarget::hidden());
        }
        bar.set_prefix(prefix.to_string());
        Progress { bar }
    }

    /// Set the position (bars) or tick (spinners) and the message.
    pub fn update(&self, pos: u64, msg: String) {
        self.bar.set_position(pos);
        self.bar.set_message(msg);
    }

    /// Print a line above the bar (or plainly when hidden).
    pub fn println(&self, line: &str) {
        if self.bar.is_hidden() {
            crate::notice::progress(line);
        } else {
            self.bar.println(line);
        }
    }

    /// Remove the bar.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
