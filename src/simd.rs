//! Run-time choice of the widest vector instructions for the hot loops.
//!
//! Each hot loop is an `#[inline(always)]` function written once; [`simd_dispatch!`] defines a
//! function that runs it compiled for AVX-512F when the CPU has that, else for AVX2 (or AVX),
//! else as the portable build. Every build performs the same operations in the same order (no
//! fused multiply-add), so results are the same bits on every machine.

/// `simd_dispatch! { "avx2"; /// doc  vis fn name[generics](args) -> ret => body }` defines
/// `name`, which calls `body(args)` compiled for `avx512f`, else for the second feature
/// (`"avx2"` or `"avx"`), else as is. `body` must be `#[inline(always)]` so that it is
/// compiled into each build; generic parameters go in square brackets.
macro_rules! simd_dispatch {
    (
        $second:tt;
        $(#[$attr:meta])*
        $vis:vis fn $name:ident $([$($gen:tt)*])? ($($arg:ident: $ty:ty),* $(,)?) $(-> $ret:ty)?
            => $body:path
    ) => {
        $(#[$attr])*
        $vis fn $name $(<$($gen)*>)? ($($arg: $ty),*) $(-> $ret)? {
            #[cfg(target_arch = "x86_64")]
            {
                #[target_feature(enable = "avx512f")]
                fn widest $(<$($gen)*>)? ($($arg: $ty),*) $(-> $ret)? {
                    $body($($arg),*)
                }
                #[target_feature(enable = $second)]
                fn second $(<$($gen)*>)? ($($arg: $ty),*) $(-> $ret)? {
                    $body($($arg),*)
                }
                if std::arch::is_x86_feature_detected!("avx512f") {
                    // SAFETY: `widest` only needs the AVX-512F instructions, which the running
                    // CPU was just checked to have.
                    return unsafe { widest($($arg),*) };
                }
                if std::arch::is_x86_feature_detected!($second) {
                    // SAFETY: `second` only needs the instructions of the feature the running
                    // CPU was just checked to have.
                    return unsafe { second($($arg),*) };
                }
            }
            $body($($arg),*)
        }
    };
}
