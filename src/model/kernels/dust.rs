//! Dust extinction: redden (Cardelli, Clayton & Mathis 1989) and zdust (Pei 1992)
//! (models.md 3.4). The energy-dependent extinction curve is cached in `aux`; a NaN aux value
//! marks points shortward of the Lyman limit, where the factor is exactly 1.

use super::{nan_fill, Grid};
use crate::bail;
use crate::error::Result;
use crate::model::catalogue::{cnum, kaux, p, CfgDefault, CfgSpec, ComponentInfo, NO_SPECS, Z0};
use crate::model::cfg::CfgValue;
use crate::model::kernels::Kernel;
use crate::model::kind::Kind;

/// hc in keV·Å.
const HC_KEV_ANGSTROM: f64 = 12.398419843320026;

kernel_params! {
    /// redden parameters.
    ReddenPars { ebv: p("$E(B-V)$", 0.1, 0.0, 5.0) }
}

kernel_configs! {
    /// redden configuration.
    ReddenCfg { rv: cnum("$R_V$", 3.1), lyman: cnum("lyman_limit", 912.0) }
}

kernel_params! {
    /// zdust parameters.
    ZdustPars { ebv: p("$E(B-V)$", 0.1, 0.0, 100.0) }
}

kernel_configs! {
    /// zdust configuration, as [`zdust_prepare`] converts it: `law` is the index of the
    /// `method` in [`PEI`], `rv` the law's standard R_V when the configuration is null.
    ZdustCfg {
        law: CfgSpec { label: "method", default: CfgDefault::Str("MW") },
        z: Z0,
        rv: CfgSpec { label: "$R_V$", default: CfgDefault::Null },
        lyman: cnum("lyman_limit", 912.0),
    }
}

/// CCM89 a(x), b(x) for x in inverse microns.
fn ccm_ab(x: f64) -> (f64, f64) {
    if x < 1.1 {
        let xp = x.powf(1.61);
        (0.574 * xp, -0.527 * xp)
    } else if x < 3.3 {
        let y = x - 1.82;
        let a = 1.0
            + y * (0.17699
                + y * (-0.50447
                    + y * (-0.02427
                        + y * (0.72085 + y * (0.01979 + y * (-0.77530 + y * 0.32999))))));
        let b = y
            * (1.41338
                + y * (2.28305
                    + y * (1.07233
                        + y * (-5.38434 + y * (-0.62251 + y * (5.30260 + y * -2.09002))))));
        (a, b)
    } else if x < 8.0 {
        let (fa, fb) = if x >= 5.9 {
            let u = x - 5.9;
            (
                -0.04473 * u * u - 0.009779 * u * u * u,
                0.2130 * u * u + 0.1207 * u * u * u,
            )
        } else {
            (0.0, 0.0)
        };
        let a = 1.752 - 0.316 * x - 0.104 / ((x - 4.67) * (x - 4.67) + 0.341) + fa;
        let b = -3.090 + 1.825 * x + 1.206 / ((x - 4.62) * (x - 4.62) + 0.263) + fb;
        (a, b)
    } else {
        let u = x - 8.0;
        let a = -1.073 - 0.628 * u + 0.137 * u * u - 0.070 * u * u * u;
        let b = 13.670 + 4.257 * u - 0.420 * u * u + 0.374 * u * u * u;
        (a, b)
    }
}

/// Aux for redden (configs [R_V, lyman_limit]): R_V·a(x) + b(x), NaN shortward of the limit.
pub(crate) fn redden_aux(g: &Grid, c: &[f64], aux: &mut [f64]) -> Result<()> {
    let ReddenCfg { rv, lyman } = ReddenCfg::read(c);
    for (a, &e) in aux.iter_mut().zip(g.e) {
        let lambda = HC_KEV_ANGSTROM / e;
        *a = if lambda < lyman {
            f64::NAN
        } else {
            let x = (1e4 / lambda).min(11.0);
            let (ax, bx) = ccm_ab(x);
            rv * ax + bx
        };
    }
    Ok(())
}

/// redden: params [E(B−V)]; factor = 10^(−0.4·E(B−V)·(R_V a + b)); NaN if E(B−V) < 0,
/// R_V ≤ 0 or lyman_limit ≤ 0.
pub(crate) fn redden(_g: &Grid, p: &[f64], c: &[f64], aux: &[f64], out: &mut [f64]) {
    let ReddenPars { ebv } = ReddenPars::read(p);
    let ReddenCfg { rv, lyman } = ReddenCfg::read(c);
    if !(ebv >= 0.0 && rv > 0.0 && lyman > 0.0) {
        return nan_fill(out);
    }
    for (o, &k) in out.iter_mut().zip(aux) {
        *o = if k.is_nan() {
            1.0
        } else {
            10f64.powf(-0.4 * ebv * k)
        };
    }
}

/// Pei (1992) law coefficients: (a_i, λ_i [μm], b_i, n_i) for i = 1..6.
struct PeiLaw {
    a: [f64; 6],
    l: [f64; 6],
    b: [f64; 6],
    n: [f64; 6],
    rv: f64,
}

const PEI: [PeiLaw; 3] = [
    // MW
    PeiLaw {
        a: [165.0, 14.0, 0.045, 0.002, 0.002, 0.012],
        l: [0.047, 0.08, 0.22, 9.7, 18.0, 25.0],
        b: [90.0, 4.0, -1.95, -1.95, -1.80, 0.0],
        n: [2.0, 6.5, 2.0, 2.0, 2.0, 2.0],
        rv: 3.08,
    },
    // LMC
    PeiLaw {
        a: [175.0, 19.0, 0.023, 0.005, 0.006, 0.020],
        l: [0.046, 0.08, 0.22, 9.7, 18.0, 25.0],
        b: [90.0, 5.5, -1.95, -1.95, -1.80, 0.0],
        n: [2.0, 4.5, 2.0, 2.0, 2.0, 2.0],
        rv: 3.16,
    },
    // SMC
    PeiLaw {
        a: [185.0, 27.0, 0.005, 0.010, 0.012, 0.030],
        l: [0.042, 0.08, 0.22, 9.7, 18.0, 25.0],
        b: [90.0, 5.5, -1.95, -1.95, -1.80, 0.0],
        n: [2.0, 4.0, 2.0, 2.0, 2.0, 2.0],
        rv: 2.93,
    },
];

/// zdust configs [method, redshift, R_V, lyman_limit] → [law index, z, R_V, lyman_limit];
/// R_V null → the law's standard value; an unknown method is an error.
pub(crate) fn zdust_prepare(cfg: &[CfgValue]) -> Result<Vec<f64>> {
    // the configuration values in `ZdustCfg` order
    let [method, z, rv, lyman] = cfg else {
        bail!(
            "zdust: expected {} configuration values, got {}",
            ZdustCfg::SPECS.len(),
            cfg.len()
        );
    };
    let law = match method {
        CfgValue::Str(s) => match s.to_ascii_uppercase().as_str() {
            "MW" => 0,
            "LMC" => 1,
            "SMC" => 2,
            _ => bail!("zdust: method should be one of MW, LMC, SMC, got '{s}'"),
        },
        other => bail!("zdust: method should be one of MW, LMC, SMC, got {other}"),
    };
    let num = |v: &CfgValue, what: &str| match v {
        CfgValue::Num(x) => Ok(*x),
        other => Err(crate::error::Error::new(format!(
            "zdust: {what} must be a number, got {other}"
        ))),
    };
    let z = num(z, "redshift")?;
    let rv = match rv {
        CfgValue::Null => PEI[law].rv,
        v => num(v, "$R_V$")?,
    };
    let lyman = num(lyman, "lyman_limit")?;
    Ok(ZdustCfg {
        law: law as f64,
        z,
        rv,
        lyman,
    }
    .into())
}

/// Aux for zdust: (1 + R_V)·ξ(λ_rest), NaN shortward of the Lyman limit.
pub(crate) fn zdust_aux(g: &Grid, c: &[f64], aux: &mut [f64]) -> Result<()> {
    let ZdustCfg { law, z, rv, lyman } = ZdustCfg::read(c);
    let law = &PEI[(law as usize).min(2)];
    let zf = 1.0 + z;
    for (a, &e) in aux.iter_mut().zip(g.e) {
        let lambda = HC_KEV_ANGSTROM / (zf * e);
        *a = if lambda < lyman {
            f64::NAN
        } else {
            let lmu = lambda / 1e4;
            let mut xi = 0.0;
            for i in 0..6 {
                let up = (lmu / law.l[i]).powf(law.n[i]);
                let down = (law.l[i] / lmu).powf(law.n[i]);
                xi += law.a[i] / (up + down + law.b[i]);
            }
            (1.0 + rv) * xi
        };
    }
    Ok(())
}

/// zdust: params [E(B−V)]; factor = 10^(−0.4·E(B−V)·(1 + R_V)·ξ(λ)); NaN if E(B−V) < 0,
/// R_V ≤ 0, z < 0 or lyman_limit ≤ 0.
pub(crate) fn zdust(_g: &Grid, p: &[f64], c: &[f64], aux: &[f64], out: &mut [f64]) {
    let ZdustPars { ebv } = ZdustPars::read(p);
    let ZdustCfg { z, rv, lyman, .. } = ZdustCfg::read(c);
    if !(ebv >= 0.0 && rv > 0.0 && z >= 0.0 && lyman > 0.0) {
        return nan_fill(out);
    }
    for (o, &k) in out.iter_mut().zip(aux) {
        *o = if k.is_nan() {
            1.0
        } else {
            10f64.powf(-0.4 * ebv * k)
        };
    }
}

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "redden",
        kind: Kind::Mul,
        comment: "Galactic dust extinction (Cardelli, Clayton & Mathis 1989)",
        formula: "factor = 10^(-0.4 E(B-V) (R_V a(x) + b(x))), x = 1e4/lambda[A] (max 11); 1 shortward of lyman_limit",
        reference: "Cardelli, Clayton & Mathis 1989, ApJ 345, 245",
        params: ReddenPars::SPECS,
        params_alt: NO_SPECS,
        configs: ReddenCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: kaux(redden, redden_aux),
        slope: None,
    },
    ComponentInfo {
        name: "zdust",
        kind: Kind::Mul,
        comment: "redshifted dust extinction (Pei 1992: MW, LMC, SMC)",
        formula: "factor = 10^(-0.4 E(B-V) (1+R_V) xi(lambda_rest)), xi = sum_i a_i/((l/l_i)^n_i + (l_i/l)^n_i + b_i); \
                  1 shortward of lyman_limit",
        reference: "Pei 1992, ApJ 395, 130",
        params: ZdustPars::SPECS,
        params_alt: NO_SPECS,
        configs: ZdustCfg::SPECS,
        time_dependent: false,
        unavailable: None,
        kernel: Some(Kernel { prepare: zdust_prepare, aux: Some(zdust_aux), eval: zdust }),
        slope: None,
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    /// `zdust_prepare` takes the values in `ZdustCfg::SPECS` order and returns them where
    /// `ZdustCfg::read` looks.
    #[test]
    fn zdust_prepare_agrees_with_its_configuration_struct() {
        for (rv, want_rv) in [(CfgValue::Null, PEI[2].rv), (CfgValue::Num(4.0), 4.0)] {
            let cfg: Vec<CfgValue> = ZdustCfg::SPECS
                .iter()
                .map(|s| match s.label {
                    "method" => CfgValue::Str("smc".to_string()),
                    "redshift" => CfgValue::Num(0.5),
                    "$R_V$" => rv.clone(),
                    "lyman_limit" => CfgValue::Num(800.0),
                    other => panic!("unexpected configuration {other}"),
                })
                .collect();
            let got = ZdustCfg::read(&zdust_prepare(&cfg).unwrap());
            let want = ZdustCfg {
                law: 2.0,
                z: 0.5,
                rv: want_rv,
                lyman: 800.0,
            };
            assert_eq!(got, want);
        }
    }
}
