"""Reference values for tests/minimize_iminuit.rs and tests/minimize_lm.rs.

Run with a Python that has iminuit (2.33.0 was used) and scipy (1.17.1 was used):

    python3 -m venv .venv && .venv/bin/pip install iminuit scipy numpy
    .venv/bin/python tests/minimize_reference.py

iminuit runs use errordef 1 and tol 1e-6 (EDM goal 2e-9) so that the reference point is the
minimum to high precision; HESSE and MINOS are then iminuit's defaults (strategy 1).
It simulates three small data sets with fixed numpy seeds, prints them (they are hard-coded in
the Rust tests so that both sides see identical data) and prints the reference results:

1. cut-off power law, 120 log-spaced Poisson bins, Cash statistic (iminuit MIGRAD/HESSE/MINOS);
2. Gaussian line on a flat background, 40 low-count Poisson bins, Cash (iminuit, asymmetric MINOS);
3. exponential decay + constant, 50 Gaussian points, chi residuals
   (scipy least_squares(method="lm"), covariance inv(JᵀJ) from its returned Jacobian).
"""

import numpy as np
from iminuit import Minuit
from scipy.optimize import least_squares


def cash(n, mu):
    """2 Σ (μ − n + n ln(n/μ)); the n ln(n/μ) term is 0 for n = 0."""
    if np.any(~np.isfinite(mu)) or np.any(mu <= 0):
        return 1e100
    term = np.where(n > 0, n * np.log(np.where(n > 0, n, 1) / mu), 0.0)
    return float(2.0 * np.sum(mu - n + term))


def fmt(a):
    return ", ".join(repr(float(v)) if not float(v).is_integer() else f"{float(v):.1f}" for v in a)


def run_minuit(cost, start, names, limits):
    m = Minuit(cost, *start, name=names)
    m.errordef = Minuit.LEAST_SQUARES  # = 1: cost is a −2 ln L / chi-square type statistic
    m.limits = limits
    m.tol = 1e-6  # tight EDM goal (2e-9) so that the reference point is the true minimum
    m.migrad()
    m.hesse()
    m.minos()
    print("  valid:", m.valid, " nfcn:", m.nfcn, " edm:", m.fmin.edm)
    print("  values:", fmt(m.values))
    print("  fval:", repr(m.fval))
    print("  hesse errors:", fmt(m.errors))
    cov = np.array(m.covariance)
    print("  covariance rows:")
    for row in cov:
        print("   [", fmt(row), "],")
    print("  minos lower:", fmt([m.merrors[n].lower for n in names]))
    print("  minos upper:", fmt([m.merrors[n].upper for n in names]))
    return m


# ---------------------------------------------------------------- 1. cut-off power law
edges = 10.0 * 100.0 ** (np.arange(121) / 120.0)
emid = np.sqrt(edges[:-1] * edges[1:])
de = edges[1:] - edges[:-1]
EXPOSURE = 100.0


def cpl_mu(alpha, log_ec, log_k):
    return 10.0**log_k * (emid / 100.0) ** (-alpha) * np.exp(-emid / 10.0**log_ec) * de * EXPOSURE


rng = np.random.default_rng(20240611)
counts_cpl = rng.poisson(cpl_mu(1.2, 2.5, -1.0)).astype(float)
print("CPL counts (120):", fmt(counts_cpl))
print("CPL fit (start 1, 2, 0; limits [-2,4] [1,4] [-5,3]):")
run_minuit(
    lambda alpha, log_ec, log_k: cash(counts_cpl, cpl_mu(alpha, log_ec, log_k)),
    (1.0, 2.0, 0.0),
    ("alpha", "log_ec", "log_k"),
    [(-2, 4), (1, 4), (-5, 3)],
)

# ---------------------------------------------------------------- 2. Gaussian line, low counts
xg = (np.arange(40) + 0.5) * 0.25  # bin centres on [0, 10], width 0.25


def line_mu(b, a, x0):
    return b + a * np.exp(-0.5 * ((xg - x0) / 0.8) ** 2)


rng = np.random.default_rng(7)
counts_line = rng.poisson(line_mu(0.5, 3.0, 5.0)).astype(float)
print("LINE counts (40):", fmt(counts_line))
print("LINE fit (start 1, 1, 4.5; limits [0,10] [0,50] [2,8]):")
run_minuit(
    lambda b, a, x0: cash(counts_line, line_mu(b, a, x0)),
    (1.0, 1.0, 4.5),
    ("b", "a", "x0"),
    [(0, 10), (0, 50), (2, 8)],
)

# ---------------------------------------------------------------- 3. LM, exponential decay
t = np.linspace(0.0, 10.0, 50)
SIGMA = 0.05


def decay(p):
    a, tau, c = p
    return a * np.exp(-t / tau) + c


rng = np.random.default_rng(12345)
y = decay((2.0, 2.5, 0.3)) + SIGMA * rng.standard_normal(t.size)
print("DECAY y (50):", ", ".join(repr(float(v)) for v in y))
res = least_squares(lambda p: (y - decay(p)) / SIGMA, x0=[1.0, 1.0, 0.0], method="lm")
cov = np.linalg.inv(res.jac.T @ res.jac)
print("DECAY lm (start 1, 1, 0): status", res.status, " nfev", res.nfev)
print("  x:", fmt(res.x))
print("  chi2 = 2*cost:", repr(float(2.0 * res.cost)))
print("  errors sqrt(diag(inv(J^T J))):", fmt(np.sqrt(np.diag(cov))))
print("  covariance rows:")
for row in cov:
    print("   [", fmt(row), "],")
