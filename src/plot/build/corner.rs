//! Corner plots of a posterior sample (plots.md §7).

use super::options::{AtPar, CornerOptions};
use crate::analyze::Posterior;
use crate::error::{Error, Result};
use crate::plot::corner::CornerFigure;

/// The figure of `Plot::corner` (plots.md §7): the posterior's equal-weight sample, labelled
/// with the parameters' TeX labels (rendered to Unicode when drawn) — as `p<par#>(<label>)`
/// only when two free parameters share a label (two components of one kind) — and the
/// `opts.at_par` point (default best; truth for a bootstrap) marked in red.
pub fn corner_figure(post: &Posterior, opts: &CornerOptions) -> Result<CornerFigure> {
    let names: Vec<&str> = post.labels().iter().map(|l| l.parameter.as_str()).collect();
    let repeated = (1..names.len()).any(|i| names[..i].contains(&names[i]));
    let labels: Vec<String> = post
        .labels()
        .iter()
        .map(|l| {
            if repeated {
                format!("p{}({})", l.par, l.parameter)
            } else {
                l.parameter.clone()
            }
        })
        .collect();
    let at = opts.at_par.unwrap_or_else(|| AtPar::default_for(post));
    let marks = at.values(post)?;
    if let Some(t) = &opts.truths {
        if t.len() != labels.len() {
            return Err(Error::new(format!(
                "corner plot: truths has {} values for {} free parameters",
                t.len(),
                labels.len()
            )));
        }
    }
    let mut fig = CornerFigure::new(post.analysis().sample().clone(), labels);
    fig.index_labels = false;
    fig.marks = Some(marks);
    fig.truths = opts.truths.clone();
    fig.bins = opts.bins;
    fig.smooth = opts.smooth;
    fig.ranges = opts.ranges.clone();
    fig.size = opts.size;
    fig.validate()?;
    Ok(fig)
}
