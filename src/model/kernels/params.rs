//! Named parameter and configuration values for the kernels.
//!
//! A kernel file declares each component's parameters once, as `field: ParSpec` pairs in
//! `kernel_params!`; that one list gives both the catalogue's `params` (`Name::SPECS`, the
//! par# order of models.md 3) and the struct the kernel reads (`Name::read(p)`). Configuration
//! values work the same way with `kernel_configs!` and `CfgSpec`s. The catalogue order and the
//! kernel's reads therefore cannot disagree: nothing else lists the positions.
//!
//! `read` is plain indexing (the field's position is a compile-time constant), with no
//! allocation and no string work, so the hot path is unchanged.

/// Declares a kernel's parameter struct and its catalogue entries from one list:
///
/// ```text
/// kernel_params! {
///     /// doc
///     BandPars { alpha: p("$\\alpha$", -1.0, -2.0, 2.0), ..., log_a: LOGA }
///     // optional, for components with the `vfv_peak` switch:
///     alt { alpha: p(...), ..., log_a: LOGA }
/// }
/// ```
///
/// generates `struct BandPars { alpha: f64, ... }`, `BandPars::SPECS: &[ParSpec]`,
/// `BandPars::read(p)`, and with `alt`, `BandPars::ALT_SPECS` (the `vfv_peak` = false list),
/// whose fields must be the same names in the same order (checked at compile time).
macro_rules! kernel_params {
    (
        $(#[$meta:meta])*
        $name:ident { $($field:ident: $spec:expr),+ $(,)? }
        alt { $($alt_field:ident: $alt_spec:expr),+ $(,)? }
    ) => {
        kernel_params!($(#[$meta])* $name { $($field: $spec),+ });

        impl $name {
            /// The catalogue parameters when `vfv_peak` = false (same fields, in the same order).
            pub(crate) const ALT_SPECS: &'static [$crate::model::catalogue::ParSpec] =
                &[$($alt_spec),+];
        }

        // the alternative list must name the same fields in the same order
        const _: () = {
            #[allow(non_camel_case_types, clippy::enum_variant_names)]
            enum At {
                $($field),+
            }
            let at = [$(At::$alt_field as usize),+];
            assert!(at.len() == $name::SPECS.len(), "alt lists another number of fields");
            let mut i = 0;
            while i < at.len() {
                assert!(at[i] == i, "alt lists the fields in another order");
                i += 1;
            }
        };
    };
    ($(#[$meta:meta])* $name:ident { $($field:ident: $spec:expr),+ $(,)? }) => {
        kernel_values!(
            $(#[$meta])* $name: $crate::model::catalogue::ParSpec { $($field: $spec),+ }
        );
    };
}

/// Declares a kernel's configuration struct and its catalogue entries from one list of
/// `field: CfgSpec` pairs, as `kernel_params!` does for parameters: `Name::SPECS` is the
/// catalogue's `configs` and `Name::read(c)` reads the prepared numeric values.
macro_rules! kernel_configs {
    ($(#[$meta:meta])* $name:ident { $($field:ident: $spec:expr),+ $(,)? }) => {
        kernel_values!(
            $(#[$meta])* $name: $crate::model::catalogue::CfgSpec { $($field: $spec),+ }
        );
    };
}

/// The common part of `kernel_params!` and `kernel_configs!`.
macro_rules! kernel_values {
    ($(#[$meta:meta])* $name:ident: $spec_ty:ty { $($field:ident: $spec:expr),+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq)]
        pub(crate) struct $name {
            $(pub $field: f64),+
        }

        impl $name {
            /// The catalogue entries, in the order [`Self::read`] takes the values.
            pub(crate) const SPECS: &'static [$spec_ty] = &[$($spec),+];

            /// The values of a component's slice (in [`Self::SPECS`] order) by name.
            #[inline(always)]
            pub(crate) fn read(v: &[f64]) -> Self {
                // a field's position in the declaration, as a compile-time constant
                #[allow(non_camel_case_types, clippy::enum_variant_names)]
                enum At {
                    $($field),+
                }
                Self {
                    $($field: v[At::$field as usize]),+
                }
            }
        }

        impl From<$name> for Vec<f64> {
            /// The values in `SPECS` order (a `prepare` function's output).
            fn from(s: $name) -> Vec<f64> {
                vec![$(s.$field),+]
            }
        }
    };
}
