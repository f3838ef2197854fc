//! emcee walker plots (plots.md §8.1).

use crate::error::{Error, Result};
use crate::plot::trace::TraceFigure;
use crate::sample::emcee::EmceeResult;

/// The figure of `Plot::walker` (plots.md §8.1): every walker's path per parameter over all
/// steps (burn-in included, its end marked), from the unflattened chain of `res`. `labels`
/// (TeX-ish, one per parameter) replace the run's labels when not empty.
pub fn trace_figure(res: &EmceeResult, labels: &[String]) -> Result<TraceFigure> {
    let (nstep, nw, nd) = (res.nstep, res.nwalkers, res.ndim);
    if res.chain.dim() != (nstep, nw, nd) {
        return Err(Error::new(format!(
            "walker plot: the chain has shape {:?}, not nstep × nwalkers × ndim = {nstep} × {nw} \
             × {nd}",
            res.chain.dim()
        )));
    }
    let labels = if labels.is_empty() {
        res.labels.clone()
    } else {
        labels.to_vec()
    };
    if labels.len() != nd {
        return Err(Error::new(format!(
            "walker plot: {} labels for {nd} parameters",
            labels.len()
        )));
    }
    let mut fig = TraceFigure::new(res.chain.clone(), labels);
    fig.discard = (res.discard > 0 && res.discard < nstep).then_some(res.discard);
    fig.validate()?;
    Ok(fig)
}
