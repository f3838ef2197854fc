//! Components of the reference that call external programs: catalogued (so `models()` lists
//! them and their help says why) but unavailable in this port.

use crate::model::catalogue::{cnum, p, ComponentInfo, ParSpec, NO_SPECS};
use crate::model::kind::Kind;

// The parameters both programs take alike.
const LOG_B0: ParSpec = p("log$B_0$", 1.0, 0.0, 2.0);
const LOG_GAMMA_MIN: ParSpec = p("log$\\gamma_{min}$", 5.0, 3.0, 7.0);
const LOG_LORENTZ: ParSpec = p("log$\\Gamma$", 2.0, 1.0, 3.0);
const LOG_R0: ParSpec = p("log$R_0$", 15.0, 12.0, 17.0);
const LOG_Q0: ParSpec = p("log$Q_0$", 40.0, 30.0, 50.0);

/// The built-in components this file evaluates, in registry order.
pub(crate) static COMPONENTS: &[ComponentInfo] = &[
    ComponentInfo {
        name: "zxhsync",
        kind: Kind::Add,
        comment: "numerical synchrotron model (external program), time-dependent",
        formula: "computed by an external compiled program (not available)",
        reference: "",
        params: &[
            LOG_B0,
            p("$\\alpha_B$", 2.0, 0.0, 3.0),
            LOG_GAMMA_MIN,
            p("log$\\gamma_{max}$", 7.0, 5.0, 9.0),
            LOG_LORENTZ,
            p("$p$", 2.0, 1.5, 3.5),
            p("$t_{inj}$", 10.0, -0.5, 26.0),
            p("$q$", 5.0, 0.0, 10.0),
            LOG_R0,
            LOG_Q0,
        ],
        params_alt: NO_SPECS,
        configs: &[
            cnum("redshift", 1.0),
            cnum("max_time", 26.0),
            cnum("zero_offset", 0.0),
            cnum("spec_prec", 2.0),
            cnum("temp_prec", 25.0),
        ],
        time_dependent: true,
        unavailable: Some(
            "zxhsync wraps an external compiled program that is not shipped with the reference; \
             no self-contained algorithm is specified, so it is not implemented",
        ),
        kernel: None,
        slope: None,
    },
    ComponentInfo {
        name: "katu",
        kind: Kind::Add,
        comment: "numerical prompt-emission model (external program), time-dependent",
        formula: "computed by an external program configured through a TOML file (not available)",
        reference: "",
        params: &[
            LOG_B0,
            p("$\\alpha_B$", 1.0, 0.0, 3.0),
            LOG_GAMMA_MIN,
            LOG_LORENTZ,
            p("$p$", 3.0, 1.5, 3.5),
            p("$t_{inj}$", 10.0, 0.0, 20.0),
            LOG_R0,
            LOG_Q0,
        ],
        params_alt: NO_SPECS,
        configs: &[cnum("redshift", 1.0), cnum("t_obs_start", 0.0), cnum("t_obs_end", 20.0)],
        time_dependent: true,
        unavailable: Some(
            "katu runs an external program and TOML file that are not shipped (the reference cannot \
             even construct it); no self-contained algorithm is specified, so it is not implemented",
        ),
        kernel: None,
        slope: None,
    },
];
