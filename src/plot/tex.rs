//! Readable Unicode for the TeX-ish parameter labels the models use (plots.md §9.7).
//!
//! `$\alpha$` → `α`, `log$E_p$` → `log Eₚ`, `$N_H$` → `N_H` drawn as N with a lowered H,
//! `log$kT_{max}$` → `log kTₘₐₓ`. Sub/superscripts use Unicode characters when every character
//! of the group has one; otherwise the group stays a separate [`TextRun`] that the renderer
//! draws smaller and lowered/raised. No `$`, braces or backslashes survive.

/// Vertical placement of a run of text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shift {
    /// On the baseline.
    Normal,
    /// Smaller and lowered.
    Sub,
    /// Smaller and raised.
    Sup,
}

/// A piece of a label with one vertical placement.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TextRun {
    /// The (already Unicode) text.
    pub text: String,
    /// Baseline shift.
    pub shift: Shift,
}

/// Unicode superscript of one character, when DejaVu Sans has one.
pub fn superscript_char(c: char) -> Option<char> {
    Some(match c {
        '0' => '⁰',
        '1' => '¹',
        '2' => '²',
        '3' => '³',
        '4' => '⁴',
        '5' => '⁵',
        '6' => '⁶',
        '7' => '⁷',
        '8' => '⁸',
        '9' => '⁹',
        '+' => '⁺',
        '-' | '−' => '⁻',
        '=' => '⁼',
        '(' => '⁽',
        ')' => '⁾',
        'n' => 'ⁿ',
        'i' => 'ⁱ',
        _ => return None,
    })
}

/// Unicode subscript of one character, when DejaVu Sans has one.
pub fn subscript_char(c: char) -> Option<char> {
    Some(match c {
        '0' => '₀',
        '1' => '₁',
        '2' => '₂',
        '3' => '₃',
        '4' => '₄',
        '5' => '₅',
        '6' => '₆',
        '7' => '₇',
        '8' => '₈',
        '9' => '₉',
        '+' => '₊',
        '-' | '−' => '₋',
        '=' => '₌',
        '(' => '₍',
        ')' => '₎',
        'a' => 'ₐ',
        'e' => 'ₑ',
        'h' => 'ₕ',
        'i' => 'ᵢ',
        'j' => 'ⱼ',
        'k' => 'ₖ',
        'l' => 'ₗ',
        'm' => 'ₘ',
        'n' => 'ₙ',
        'o' => 'ₒ',
        'p' => 'ₚ',
        'r' => 'ᵣ',
        's' => 'ₛ',
        't' => 'ₜ',
        'u' => 'ᵤ',
        'v' => 'ᵥ',
        'x' => 'ₓ',
        'β' => 'ᵦ',
        'γ' => 'ᵧ',
        'ρ' => 'ᵨ',
        'φ' => 'ᵩ',
        'χ' => 'ᵪ',
        _ => return None,
    })
}

/// The whole string as Unicode superscripts, or `None` if a character has none.
pub fn to_superscript(s: &str) -> Option<String> {
    s.chars().map(superscript_char).collect()
}

/// The whole string as Unicode subscripts, or `None` if a character has none.
pub fn to_subscript(s: &str) -> Option<String> {
    s.chars().map(subscript_char).collect()
}

/// Unicode for a TeX command name (without the backslash); `None` for unknown commands.
fn command_symbol(name: &str) -> Option<&'static str> {
    Some(match name {
        "alpha" => "α",
        "beta" => "β",
        "gamma" => "γ",
        "delta" => "δ",
        "epsilon" | "varepsilon" => "ε",
        "zeta" => "ζ",
        "eta" => "η",
        "theta" | "vartheta" => "θ",
        "iota" => "ι",
        "kappa" => "κ",
        "lambda" => "λ",
        "mu" => "μ",
        "nu" => "ν",
        "xi" => "ξ",
        "pi" => "π",
        "rho" => "ρ",
        "sigma" => "σ",
        "tau" => "τ",
        "upsilon" => "υ",
        "phi" | "varphi" => "φ",
        "chi" => "χ",
        "psi" => "ψ",
        "omega" => "ω",
        "Gamma" => "Γ",
        "Delta" => "Δ",
        "Theta" => "Θ",
        "Lambda" => "Λ",
        "Xi" => "Ξ",
        "Pi" => "Π",
        "Sigma" => "Σ",
        "Upsilon" => "Υ",
        "Phi" => "Φ",
        "Psi" => "Ψ",
        "Omega" => "Ω",
        "times" => "×",
        "cdot" => "·",
        "pm" => "±",
        "odot" | "sun" => "☉",
        "infty" => "∞",
        "le" | "leq" => "≤",
        "ge" | "geq" => "≥",
        "sim" => "∼",
        "approx" => "≈",
        "prime" => "′",
        "log" => "log",
        "ln" => "ln",
        "exp" => "exp",
        "deg" | "circ" => "°",
        "AA" | "angstrom" => "Å",
        "," | ";" | ":" | " " | "quad" => " ",
        "!" => "",
        "%" => "%",
        "$" => "$",
        "_" => "_",
        "{" => "{",
        "}" => "}",
        "&" => "&",
        "#" => "#",
        "\\" => " ",
        _ => return None,
    })
}

/// Commands whose argument is kept as plain text (`\mathrm{keV}` → `keV`).
fn is_text_wrapper(name: &str) -> bool {
    matches!(
        name,
        "rm" | "mathrm"
            | "text"
            | "textrm"
            | "mathit"
            | "it"
            | "mathbf"
            | "bf"
            | "textbf"
            | "operatorname"
            | "mathsf"
            | "boldsymbol"
    )
}

struct Parser<'a> {
    chars: &'a [char],
    pos: usize,
}

impl Parser<'_> {
    /// Parse until `stop` (a closing brace) or the end; `math` tracks `$…$` mode.
    fn parse(&mut self, runs: &mut Vec<TextRun>, mut math: bool, in_group: bool) {
        while self.pos < self.chars.len() {
            let c = self.chars[self.pos];
            self.pos += 1;
            match c {
                '$' => {
                    math = !math;
                    if math {
                        insert_space_before_math(runs, self.peek_math_start());
                    }
                }
                '}' => {
                    if in_group {
                        return;
                    }
                }
                '{' => self.parse(runs, math, true),
                '\\' => self.command(runs, math),
                '_' | '^' if math || in_group => {
                    let group = self.group(math);
                    push_script(runs, &group, if c == '_' { Shift::Sub } else { Shift::Sup });
                }
                '-' if math => push_text(runs, "−"),
                '~' => push_text(runs, " "),
                ' ' if math => {}
                _ => {
                    let mut buf = [0u8; 4];
                    push_text(runs, c.encode_utf8(&mut buf));
                }
            }
        }
    }

    /// First character of the math that starts at the current position.
    fn peek_math_start(&self) -> Option<char> {
        let mut i = self.pos;
        while i < self.chars.len() && matches!(self.chars[i], '{' | ' ') {
            i += 1;
        }
        self.chars.get(i).copied()
    }

    /// A backslash command.
    fn command(&mut self, runs: &mut Vec<TextRun>, math: bool) {
        let start = self.pos;
        if self.pos < self.chars.len() && !self.chars[self.pos].is_ascii_alphabetic() {
            // One-character command: \, \% \{ …
            self.pos += 1;
        } else {
            while self.pos < self.chars.len() && self.chars[self.pos].is_ascii_alphabetic() {
                self.pos += 1;
            }
        }
        let name: String = self.chars[start..self.pos].iter().collect();
        if is_text_wrapper(&name) {
            // Argument (if braced) is parsed as ordinary content; `\rm` without braces just
            // switches font, which we ignore.
            if self.chars.get(self.pos) == Some(&'{') {
                self.pos += 1;
                self.parse(runs, math, true);
            }
            return;
        }
        match command_symbol(&name) {
            Some(sym) => push_text(runs, sym),
            None => push_text(runs, &name),
        }
    }

    /// The argument of `_` / `^`: a braced group, a command or one character, as plain text.
    fn group(&mut self, math: bool) -> String {
        let mut inner = Vec::new();
        match self.chars.get(self.pos) {
            Some('{') => {
                self.pos += 1;
                self.parse(&mut inner, math, true);
            }
            Some('\\') => {
                self.pos += 1;
                self.command(&mut inner, math);
            }
            Some(&c) => {
                self.pos += 1;
                let mut buf = [0u8; 4];
                let t = if c == '-' {
                    "−"
                } else {
                    c.encode_utf8(&mut buf)
                };
                push_text(&mut inner, t);
            }
            None => {}
        }
        inner.into_iter().map(|r| r.text).collect()
    }
}

/// "log$E_p$" reads "log Eₚ": a space between a word and math that starts with a letter.
fn insert_space_before_math(runs: &mut [TextRun], next: Option<char>) {
    let Some(last) = runs.last_mut() else { return };
    let prev_alpha = last.text.chars().last().is_some_and(|c| c.is_alphabetic());
    let next_alpha = next.is_some_and(|c| c.is_alphabetic() || c == '\\');
    if last.shift == Shift::Normal && prev_alpha && next_alpha {
        last.text.push(' ');
    }
}

fn push_text(runs: &mut Vec<TextRun>, text: &str) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if last.shift == Shift::Normal => last.text.push_str(text),
        _ => runs.push(TextRun {
            text: text.to_string(),
            shift: Shift::Normal,
        }),
    }
}

fn push_script(runs: &mut Vec<TextRun>, group: &str, shift: Shift) {
    if group.is_empty() {
        return;
    }
    let unicode = match shift {
        Shift::Sub => to_subscript(group),
        Shift::Sup => to_superscript(group),
        Shift::Normal => Some(group.to_string()),
    };
    match unicode {
        Some(u) => push_text(runs, &u),
        None => match runs.last_mut() {
            Some(last) if last.shift == shift => last.text.push_str(group),
            _ => runs.push(TextRun {
                text: group.to_string(),
                shift,
            }),
        },
    }
}

/// Split a TeX-ish label into drawable runs (see the module docs).
pub fn tex_runs(label: &str) -> Vec<TextRun> {
    let chars: Vec<char> = label.chars().collect();
    let mut parser = Parser {
        chars: &chars,
        pos: 0,
    };
    let mut runs = Vec::new();
    parser.parse(&mut runs, false, false);
    runs.retain(|r| !r.text.is_empty());
    runs
}

/// A TeX-ish label as one Unicode string: sub/superscripts as Unicode characters where every
/// character has one, otherwise written `_x` / `^x` without braces (`$E_{b1}$` → `E_b1`).
pub fn tex_to_unicode(label: &str) -> String {
    let mut out = String::new();
    for run in tex_runs(label) {
        match run.shift {
            Shift::Normal => out.push_str(&run.text),
            Shift::Sub => {
                out.push('_');
                out.push_str(&run.text);
            }
            Shift::Sup => {
                out.push('^');
                out.push_str(&run.text);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn model_labels() {
        assert_eq!(tex_to_unicode(r"$\alpha$"), "α");
        assert_eq!(tex_to_unicode(r"log$E_p$"), "log Eₚ");
        assert_eq!(tex_to_unicode(r"log$A$"), "log A");
        assert_eq!(tex_to_unicode(r"$N_H$"), "N_H");
        assert_eq!(tex_to_unicode(r"$kT$"), "kT");
        assert_eq!(tex_to_unicode(r"log$kT_{max}$"), "log kTₘₐₓ");
        assert_eq!(tex_to_unicode(r"log$E_{b1}$"), "log E_b1");
        assert_eq!(tex_to_unicode(r"$E(B-V)$"), "E(B−V)");
        assert_eq!(tex_to_unicode(r"$\Gamma$"), "Γ");
        assert_eq!(tex_to_unicode(r"cm$^{-2}$"), "cm⁻²");
        assert_eq!(tex_to_unicode(r"$\nu F_\nu$"), "νF_ν");
        assert_eq!(tex_to_unicode(r"$E_{\rm c}$"), "E_c");
        assert_eq!(tex_to_unicode(r"$10^{22}$ cm$^{-2}$"), "10²² cm⁻²");
        assert_eq!(tex_to_unicode("plain"), "plain");
        assert_eq!(tex_to_unicode(""), "");
        assert_eq!(tex_to_unicode(r"\unknown{x}"), "unknownx");
    }

    #[test]
    fn runs_keep_non_unicode_scripts_apart() {
        let runs = tex_runs(r"$N_H$");
        assert_eq!(runs.len(), 2);
        assert_eq!(runs[0].text, "N");
        assert_eq!(runs[1].text, "H");
        assert_eq!(runs[1].shift, Shift::Sub);
        let runs = tex_runs(r"$E_p$ x");
        assert_eq!(runs.len(), 1);
        assert_eq!(runs[0].text, "Eₚ x");
    }

    #[test]
    fn no_tex_survives() {
        for l in [
            r"$\beta$",
            r"{\rm odd}}",
            r"$a_{b_{c}}$",
            r"$x^",
            r"\\",
            r"$$",
        ] {
            let s = tex_to_unicode(l);
            assert!(
                !s.contains('$') && !s.contains('\\') && !s.contains('{'),
                "{l} → {s}"
            );
        }
    }
}
