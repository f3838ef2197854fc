//! Model kinds (add/mul/math/conv), the algebra operators and the kind rules (models.md 2.2).

use std::fmt;

use crate::bail;
use crate::error::Result;

/// The kind of a component or composite.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Kind {
    /// additive: a photon spectrum N(E)
    Add,
    /// multiplicative: a dimensionless energy-dependent factor
    Mul,
    /// mathematical: a dimensionless number
    Math,
    /// convolution operator (reserved; no local component has it)
    Conv,
}

impl Kind {
    /// Short name as in the reference: `add`, `mul`, `math`, `conv`.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Add => "add",
            Kind::Mul => "mul",
            Kind::Math => "math",
            Kind::Conv => "conv",
        }
    }

    /// Parse `add`/`additive`, `mul`/`multiplicative`, `math`/`mathematical`,
    /// `conv`/`convolution` (case-insensitive).
    pub fn from_name(s: &str) -> Result<Kind> {
        match s.to_ascii_lowercase().as_str() {
            "add" | "additive" => Ok(Kind::Add),
            "mul" | "multiplicative" => Ok(Kind::Mul),
            "math" | "mathematical" => Ok(Kind::Math),
            "conv" | "convolution" => Ok(Kind::Conv),
            _ => {
                bail!("unknown model kind '{s}' (accepted: additive, multiplicative, mathematical)")
            }
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A binary operator of the model algebra.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Op {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

impl Op {
    /// The operator symbol used in composite names.
    pub fn symbol(self) -> char {
        match self {
            Op::Add => '+',
            Op::Sub => '-',
            Op::Mul => '*',
            Op::Div => '/',
        }
    }

    /// Apply pointwise to two numbers.
    #[inline]
    pub fn apply(self, a: f64, b: f64) -> f64 {
        match self {
            Op::Add => a + b,
            Op::Sub => a - b,
            Op::Mul => a * b,
            Op::Div => a / b,
        }
    }

    /// Parse `+ - * /`.
    pub fn from_symbol(s: &str) -> Result<Op> {
        match s {
            "+" => Ok(Op::Add),
            "-" => Ok(Op::Sub),
            "*" => Ok(Op::Mul),
            "/" => Ok(Op::Div),
            _ => bail!("unknown model operator '{s}' (accepted: + - * /)"),
        }
    }
}

impl fmt::Display for Op {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.symbol())
    }
}

/// Kind of `left OP right` (models.md 2.2), or an error naming both kinds.
pub fn result_kind(left: Kind, op: Op, right: Kind) -> Result<Kind> {
    use Kind::*;
    let k = match op {
        Op::Add | Op::Sub => match (left, right) {
            (Add, Add) | (Add, Math) | (Math, Add) => Some(Add),
            (Mul, Mul) | (Mul, Math) | (Math, Mul) => Some(Mul),
            (Math, Math) => Some(Math),
            _ => None,
        },
        Op::Mul => match (left, right) {
            (Add, Mul) | (Add, Math) | (Mul, Add) | (Math, Add) => Some(Add),
            (Mul, Mul) | (Mul, Math) | (Math, Mul) => Some(Mul),
            (Math, Math) => Some(Math),
            _ => None,
        },
        Op::Div => match (left, right) {
            (Add, Mul) | (Add, Math) => Some(Add),
            (Mul, Mul) | (Mul, Math) | (Math, Mul) => Some(Mul),
            (Math, Math) => Some(Math),
            _ => None,
        },
    };
    match k {
        Some(k) => Ok(k),
        None => {
            let why = match (left, op, right) {
                (Conv, _, _) | (_, _, Conv) => "convolution models cannot be combined with + - * /",
                (Add, Op::Mul, Add) => "a spectrum cannot be multiplied by a spectrum",
                (_, Op::Div, Add) => "nothing can be divided by a spectrum",
                (Add, Op::Add | Op::Sub, Mul) | (Mul, Op::Add | Op::Sub, Add) => {
                    "a spectrum and a multiplicative factor cannot be added or subtracted"
                }
                _ => "combination not allowed",
            };
            bail!(
                "unsupported model kinds ({left}, {right}) for '{}': {why}",
                op.symbol()
            )
        }
    }
}
