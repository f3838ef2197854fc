//! Replicated data under a statistic's own model of the data: what each statistic assumes the
//! source and background counts are drawn from, given a model rate. Posterior predictive
//! checks and `goodness` simulate with it, so a replicated spectrum is exactly as noisy as the
//! fit assumes.
//!
//! Per fit bin, with model rate m, efficiencies t_s, t_b and r = t_s/t_b:
//! - `chi2`: S ~ N(t_s m + rB, σ_S), B ~ N(B, σ_B) (the background enters as measured), so that
//!   S − rB ~ N(t_s m, σ_S² + r²σ_B²) as the statistic assumes;
//! - `pstat`: S ~ Poisson(t_s m), B unchanged (ignored);
//! - `cstat`: b the profiled background rate; S ~ Poisson(t_s(m + b)), B ~ Poisson(t_b b);
//! - `pgstat`: b the profiled background rate; S ~ Poisson(t_s(m + b)), B ~ N(t_b b, σ_B).
//!
//! The errors σ_S, σ_B of a replicate are the observed ones. The upper-limit statistics have
//! no data model (they are not a likelihood of counts) and cannot be replicated.

use rand::Rng;
use rand_distr::{Distribution, Poisson, StandardNormal};

use super::statistic::Statistic;
use super::{cstat, pgstat};

/// How the counts of one bin are drawn: a mean and, for a Gaussian, a standard deviation
/// (`None` for Poisson).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct CountModel {
    /// Expected counts.
    pub mean: f64,
    /// Gaussian standard deviation; `None` for Poisson counts.
    pub sd: Option<f64>,
}

impl CountModel {
    /// Poisson counts of this mean.
    pub fn poisson(mean: f64) -> Self {
        CountModel { mean, sd: None }
    }

    /// Gaussian counts of this mean and standard deviation.
    pub fn normal(mean: f64, sd: f64) -> Self {
        CountModel { mean, sd: Some(sd) }
    }

    /// One draw.
    pub fn draw<R: Rng + ?Sized>(&self, rng: &mut R) -> f64 {
        match self.sd {
            Some(sd) => {
                let z: f64 = StandardNormal.sample(rng);
                self.mean + sd * z
            }
            None => poisson(self.mean, rng),
        }
    }
}

fn poisson<R: Rng + ?Sized>(mean: f64, rng: &mut R) -> f64 {
    if mean.is_nan() || mean <= 0.0 || !mean.is_finite() {
        return 0.0;
    }
    match Poisson::new(mean) {
        Ok(d) => d.sample(rng),
        Err(_) => 0.0,
    }
}

/// The source and background count models of one bin.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinModel {
    /// Source-region counts S.
    pub src: CountModel,
    /// Background-region counts B.
    pub bkg: CountModel,
}

/// One bin's observed data and model rate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BinData {
    /// Source counts S.
    pub s: f64,
    /// Background counts B.
    pub b: f64,
    /// Source error σ_S.
    pub sigma_s: f64,
    /// Background error σ_B.
    pub sigma_b: f64,
    /// Source efficiency t_s.
    pub ts: f64,
    /// Background efficiency t_b.
    pub tb: f64,
    /// Model rate m.
    pub m: f64,
}

impl Statistic {
    /// Whether replicated data can be drawn under this statistic (not the upper-limit ones).
    pub fn can_replicate(&self) -> bool {
        !self.is_upper_limit()
    }

    /// The count models of a bin under this statistic (see the module notes); `None` for the
    /// upper-limit statistics.
    pub fn bin_model(&self, d: &BinData) -> Option<BinModel> {
        let m = d.m.max(0.0);
        let ratio = if d.tb == 0.0 { 1.0 } else { d.ts / d.tb };
        Some(match self {
            Statistic::Chi2 => BinModel {
                src: CountModel::normal(d.ts * d.m + ratio * d.b, d.sigma_s),
                bkg: CountModel::normal(d.b, d.sigma_b),
            },
            Statistic::Pstat => BinModel {
                src: CountModel::poisson(d.ts * m),
                bkg: CountModel::normal(d.b, 0.0),
            },
            Statistic::Cstat => {
                let bkg = cstat::profiled_background(d.s, d.b, d.ts, d.tb, m).max(0.0);
                BinModel {
                    src: CountModel::poisson(d.ts * (m + bkg)),
                    bkg: CountModel::poisson(d.tb * bkg),
                }
            }
            Statistic::Pgstat => {
                let bkg = if d.tb > 0.0 {
                    pgstat::profiled_background(d.s, d.b, d.sigma_b, d.ts, d.tb, m).max(0.0)
                } else {
                    0.0
                };
                BinModel {
                    src: CountModel::poisson(d.ts * (m + bkg)),
                    bkg: CountModel::normal(d.tb * bkg, d.sigma_b),
                }
            }
            Statistic::ULppstat | Statistic::ULpgstat => return None,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    fn bin(s: f64, b: f64, m: f64) -> BinData {
        BinData {
            s,
            b,
            sigma_s: s.sqrt(),
            sigma_b: b.sqrt(),
            ts: 100.0,
            tb: 400.0,
            m,
        }
    }

    #[test]
    fn cstat_means_follow_the_profiled_background() {
        // with B/t_b = S/t_s - m exactly, the profiled background is B/t_b
        let d = bin(300.0, 400.0, 2.0);
        let bm = Statistic::Cstat.bin_model(&d).unwrap();
        assert!((bm.bkg.mean - 400.0).abs() < 1e-9, "{bm:?}");
        assert!((bm.src.mean - 300.0).abs() < 1e-9, "{bm:?}");
        assert!(bm.src.sd.is_none() && bm.bkg.sd.is_none());
    }

    #[test]
    fn chi2_net_counts_have_the_statistic_s_variance() {
        let d = BinData {
            s: 50.0,
            b: 80.0,
            sigma_s: 7.0,
            sigma_b: 9.0,
            ts: 10.0,
            tb: 20.0,
            m: 3.0,
        };
        let bm = Statistic::Chi2.bin_model(&d).unwrap();
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        let n = 200_000;
        let (mut sum, mut sum2) = (0.0, 0.0);
        for _ in 0..n {
            let net = bm.src.draw(&mut rng) - 0.5 * bm.bkg.draw(&mut rng);
            sum += net;
            sum2 += net * net;
        }
        let mean = sum / n as f64;
        let var = sum2 / n as f64 - mean * mean;
        // t_s m = 30, variance 49 + 0.25·81 = 69.25
        assert!((mean - 30.0).abs() < 0.1, "{mean}");
        assert!((var - 69.25).abs() < 1.0, "{var}");
    }

    #[test]
    fn upper_limit_statistics_have_no_data_model() {
        assert!(Statistic::ULppstat.bin_model(&bin(1.0, 1.0, 1.0)).is_none());
        assert!(!Statistic::ULpgstat.can_replicate());
    }
}
