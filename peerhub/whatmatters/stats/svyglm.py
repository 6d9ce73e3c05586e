"""R's `svyglm(y ~ 1, design, family = quasibinomial)` for a 0/1 outcome, as `glm.fit` leaves it.

svyciprop's "logit" and "likelihood" intervals are built from this fit rather than from the plain
weighted mean, and glm's iteratively reweighted least squares (IRLS) stops one step short of the
exact logit(p): its working weights come from the previous iterate. Reproducing R to 6 significant
figures therefore means reproducing the iterations:

    prior weights  v_i = w_i / mean(w)                      (svyglm rescales the design weights)
    start          mu_i = (v_i y_i + 1/2) / (v_i + 1)       (binomial initialize)
    each step      W_i = v_i mu_i (1 - mu_i),  z_i = eta_i + (y_i - mu_i) / (mu_i (1 - mu_i)),
                   b = sum W z / sum W,  mu = expit(b)
    stop when      |D - D_old| / (|D| + 0.1) < 1e-8       (D the binomial deviance)

The coefficient's design variance is the sandwich: the variance of the scores U_i = W_i (y_i - mu) /
(mu (1 - mu)) times A = 1 / sum W (R: svy.varcoef); A itself is the model ("naive") variance."""

import math
from dataclasses import dataclass

import numpy as np
from scipy import special

from .design import Design, subset_rows, variance

GLM_EPSILON = 1e-8  # glm.control() defaults
GLM_MAXIT = 25


@dataclass(frozen=True)
class InterceptFit:
    """The fitted intercept b0, its design-based standard error, the model variance 1 / sum W, the
    dispersion summary.svyglm estimates, and the model rows' outcome and prior weights."""

    coef: float
    se: float
    naive_var: float
    dispersion: float
    y: np.ndarray
    prior: np.ndarray


def deviance(b: float, y: np.ndarray, prior: np.ndarray) -> float:
    """Binomial deviance of a 0/1 outcome at intercept b: -2 sum v (y log mu + (1 - y) log(1 - mu))."""
    log_mu, log_1mu = -np.logaddexp(0.0, -b), -np.logaddexp(0.0, b)
    return float(-2.0 * np.sum(prior * (y * log_mu + (1 - y) * log_1mu)))


def _deviance_at(mu: np.ndarray, y: np.ndarray, prior: np.ndarray) -> float:
    return float(-2.0 * np.sum(prior * (y * np.log(mu) + (1 - y) * np.log1p(-mu))))


def irls(y: np.ndarray, prior: np.ndarray) -> tuple[float, np.ndarray]:
    """glm.fit's iterations for the intercept: the coefficient and the last working weights W."""
    good = prior > 0
    mu = (prior * y + 0.5) / (prior + 1)
    eta, old = special.logit(mu), _deviance_at(mu, y, prior)
    for _ in range(GLM_MAXIT):
        working = np.where(good, prior * mu * (1 - mu), 0.0)
        z = eta + (y - mu) / (mu * (1 - mu))
        coef = float(np.sum(working * z) / np.sum(working))
        eta, mu = np.full(len(y), coef), np.full(len(y), special.expit(coef))
        new = _deviance_at(mu, y, prior)
        if abs(new - old) / (abs(new) + 0.1) < GLM_EPSILON:
            break
        old = new
    return coef, working


def pearson_dispersion(y: np.ndarray, mu: float, weights: np.ndarray) -> float:
    """summary.svyglm's dispersion: svyvar of r = (y - mu) / sqrt(mu (1 - mu)), i.e.
    m / (m - 1) * sum w (r - rbar)^2 / sum w over the m rows with nonzero weight."""
    r = (y - mu) / math.sqrt(mu * (1 - mu))
    m = np.count_nonzero(weights)
    rbar = np.sum(weights * r) / np.sum(weights)
    return float(np.sum(weights * (r - rbar) ** 2) / np.sum(weights) * m / (m - 1))


def fit_intercept(design: Design, y: np.ndarray, rows: np.ndarray) -> InterceptFit:
    """R `svyglm(y ~ 1, design[rows, ], family = quasibinomial)` for a 0/1 outcome y."""
    model = subset_rows(design, rows) & ~np.isnan(y)
    weights = np.where(rows, design.weights, 0.0)[model]
    prior = weights / weights.mean()
    coef, working = irls(y[model], prior)
    mu = float(special.expit(coef))
    naive = 1.0 / np.sum(working)
    scores = np.zeros(design.n_rows)
    scores[model] = working * (y[model] - mu) / (mu * (1 - mu)) * naive
    se = math.sqrt(variance(design, scores)[0, 0])
    return InterceptFit(coef, se, naive, pearson_dispersion(y[model], mu, weights), y[model], prior)
