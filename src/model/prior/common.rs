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
