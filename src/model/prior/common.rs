//! Argument checks shared by the prior families.

use super::Family;
use crate::bail;
use crate::error::Result;

/// `v` must be finite.
pub(super) fn check_finite(family: &str, arg: &str, v: f64) -> Result<()> {
    if !v.is_finite() {
        bail!("{family} prior: argument `{arg}` must be a finite number, got {v}");
    }
    Ok(())
}

/// `v` must be finite and > 0.
pub(super) fn check_positive(family: &str, arg: &str, v: f64) -> Result<()> {
    check_finite(family, arg, v)?;
    if v <= 0.0 {
        bail!("{family} prior: argument `{arg}` must be > 0, got {v}");
    }
    Ok(())
}

/// `loc` must be finite and `scale` finite and > 0.
pub(super) fn check_loc_scale(family: &str, loc: f64, scale: f64) -> Result<()> {
    check_finite(family, "loc", loc)?;
    check_positive(family, "scale", scale)
}

/// The N positional arguments of family `F`, or an error naming its signature.
pub(super) fn exact_args<F: Family, const N: usize>(args: &[f64]) -> Result<[f64; N]> {
    match <[f64; N]>::try_from(args) {
        Ok(a) => Ok(a),
        Err(_) => bail!(
            "{} prior takes {N} arguments ({}), got {}",
            F::NAME,
            F::SIGNATURE,
            args.len()
        ),
    }
}

/// Declares a family's struct, whose `f64` fields are its arguments in the reference order,
/// and its validating [`Prior`](super::Prior) constructor. With a check per field
/// (`a: check_positive`, called as `check(NAME, "a", a)` in field order) it also writes
/// `new`; without, the family file writes `new` itself.
macro_rules! prior_family {
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($(#[$fmeta:meta])* $field:ident: $check:ident),+ $(,)? }
        $(#[$cmeta:meta])*
        pub fn $ctor:ident;
    ) => {
        prior_family! {
            $(#[$meta])*
            pub struct $name { $($(#[$fmeta])* $field),+ }
            $(#[$cmeta])*
            pub fn $ctor;
        }

        impl $name {
            /// Checks each argument with the check named beside its field, in order.
            pub fn new($($field: f64),+) -> $crate::error::Result<$name> {
                $($crate::model::prior::common::$check(
                    <$name as $crate::model::prior::Family>::NAME,
                    stringify!($field),
                    $field,
                )?;)+
                Ok($name { $($field),+ })
            }
        }
    };
    (
        $(#[$meta:meta])*
        pub struct $name:ident { $($(#[$fmeta:meta])* $field:ident),+ $(,)? }
        $(#[$cmeta:meta])*
        pub fn $ctor:ident;
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub struct $name {
            $($(#[$fmeta])* pub $field: f64),+
        }

        impl $crate::model::prior::Prior {
            $(#[$cmeta])*
            pub fn $ctor($($field: f64),+) -> $crate::error::Result<$crate::model::prior::Prior> {
                $name::new($($field),+).map($crate::model::prior::Prior::$name)
            }
        }
    };
}

/// [`Family::from_args`] (exactly these arguments, passed to `new`) and [`Family::args`],
/// inside a family's `impl Family`.
macro_rules! positional_args {
    ($($arg:ident),+) => {
        fn from_args(args: &[f64]) -> $crate::error::Result<Self> {
            let [$($arg),+] = $crate::model::prior::common::exact_args::<Self, _>(args)?;
            Self::new($($arg),+)
        }

        fn args(&self) -> Vec<f64> {
            vec![$(self.$arg),+]
        }
    };
}
