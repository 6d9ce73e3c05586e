"""Confidence intervals for a proportion, as R's `svyciprop(~I(cond), design, method=, df=)`.

p is the weighted mean of the 0/1 indicator and se its linearisation standard error (R: svymean);
q = qt(0.975, df) (qnorm when df is Inf); b0 and se_b are the intercept of R's
svyglm(y ~ 1, family = quasibinomial) and its design-based standard error (see svyglm.py):

- mean:       p -/+ q se
- logit:      expit(b0 -/+ q se_b)                       (Wald interval of the svyglm fit)
- xlogit:     expit(logit(p) -/+ q se / (p (1 - p)))     (svycontrast of logit(p))
- beta:       Korn-Graubard: n* = p (1 - p) / se^2 * (qt(.025, n - 1) / qt(.025, degf))^2, then
              qbeta(.025, n* p, n* (1 - p) + 1), qbeta(.975, n* p + 1, n* (1 - p))
- likelihood: MASS's profile likelihood of the svyglm fit, cut at the Rao-Scott scaled quantile
              qt(.025, df) sqrt(lambda), lambda = se_b^2 / model variance of b0.

The estimate is p, or expit(b0) for logit and likelihood (as R returns); the se column is svymean's."""

import math
from dataclasses import dataclass

import numpy as np
from scipy import special, stats

from . import rinterp
from .design import Design, subset_rows, variance
from .estimators import LEVEL, Domain, Estimate, mean_influence, t_quantile
from .svyglm import InterceptFit, deviance, fit_intercept

METHODS = ("logit", "likelihood", "beta", "mean", "xlogit")
GLM_METHODS = ("logit", "likelihood")
PROFILE_MAX_STEPS = 10  # MASS profile.glm: maxsteps
PROFILE_STEPS_TO_ZMAX = 5  # MASS profile.glm: del = zmax / 5


@dataclass(frozen=True)
class Proportion:
    """A proportion, its svymean standard error, the (sub)design's degf, the number of rows R's
    subset keeps, and the svyglm fit (None when p is 0 or 1 and the logit does not exist)."""

    p: float
    se: float
    design_df: float
    n_rows: int
    glm: InterceptFit | None


def ciprop(design: Design, y: np.ndarray, domain: Domain, method: str, df: float) -> Estimate:
    """R `svyciprop(~I(cond), design, method=method, df=df)` within one domain. The interval uses df;
    the Estimate's df stays the domain's degf, as the reference's df column does."""
    p, influence = mean_influence(design, y, domain.rows, "the condition")
    se = math.sqrt(variance(design, influence)[0, 0])
    glm = fit_intercept(design, y, domain.rows) if 0 < p < 1 else None
    fit = Proportion(p, se, domain.df, int(np.count_nonzero(subset_rows(design, domain.rows))), glm)
    low, high = INTERVALS[method](fit, df)
    estimate = expit(glm.coef) if glm is not None and method in GLM_METHODS else p
    return Estimate(estimate, se, domain.df, low, high, domain.label)


def expit(eta: float) -> float:
    return float(special.expit(eta))


def _degenerate(fit: Proportion) -> bool:
    """A proportion of exactly 0 or 1 has no logit, so the logit-scale intervals are undefined."""
    return fit.glm is None or fit.se == 0


def mean_interval(fit: Proportion, df: float) -> tuple[float, float]:
    """method="mean": p -/+ qt(0.975, df) se."""
    half = t_quantile(df) * fit.se
    return fit.p - half, fit.p + half


def logit_interval(fit: Proportion, df: float) -> tuple[float, float]:
    """method="logit": expit(b0 -/+ qt(0.975, df) se_b) from the svyglm fit."""
    if _degenerate(fit):
        return math.nan, math.nan
    half = t_quantile(df) * fit.glm.se
    return expit(fit.glm.coef - half), expit(fit.glm.coef + half)


def xlogit_interval(fit: Proportion, df: float) -> tuple[float, float]:
    """method="xlogit": expit(logit(p) -/+ qt(0.975, df) se / (p (1 - p))) (delta method on svymean)."""
    if _degenerate(fit):
        return math.nan, math.nan
    eta = special.logit(fit.p)
    half = t_quantile(df) * fit.se / (fit.p * (1 - fit.p))
    return expit(eta - half), expit(eta + half)


def beta_interval(fit: Proportion, df: float) -> tuple[float, float]:
    """method="beta" (Korn and Graubard): the Clopper-Pearson interval at the effective sample size.
    Like R it uses the (sub)design's degf, whatever df is asked for."""
    if _degenerate(fit):
        return math.nan, math.nan
    alpha = 1 - LEVEL
    ratio = stats.t.ppf(alpha / 2, fit.n_rows - 1) / stats.t.ppf(alpha / 2, fit.design_df)
    n_eff = fit.p * (1 - fit.p) / fit.se**2 * ratio**2
    low = stats.beta.ppf(alpha / 2, n_eff * fit.p, n_eff * (1 - fit.p) + 1)
    high = stats.beta.ppf(1 - alpha / 2, n_eff * fit.p + 1, n_eff * (1 - fit.p))
    return float(low), float(high)


def likelihood_interval(fit: Proportion, df: float) -> tuple[float, float]:
    """method="likelihood": confint.svyglm(method="likelihood") -> MASS confint.glm on the profile of
    tau(b) = sign(b - b0) sqrt((D(b) - D(b0)) / phi), D the binomial deviance with weights w / mean(w),
    phi = m / (m - 1) (svyvar of the Pearson residuals, m rows with nonzero weight), interpolated by
    R's spline/approx at tau = -/+ qt(0.975, df) sqrt(lambda)."""
    if _degenerate(fit):
        return math.nan, math.nan
    cut, grid_b, grid_tau = _profile(fit, df)
    spline_b, spline_tau = rinterp.spline(grid_b, grid_tau)
    low = rinterp.approx(spline_tau, spline_b, stats.norm.ppf(cut))
    high = rinterp.approx(spline_tau, spline_b, stats.norm.ppf(1 - cut))
    return expit(low), expit(high)


def _profile(fit: Proportion, df: float):
    """MASS profile.glm for the intercept: steps of zmax / 5 standard errors each way from b0 until
    |tau| reaches zmax = sqrt(qf(1 - alpha, 1, n - 1)), alpha = (1 - adjusted level) / 4."""
    glm = fit.glm
    lam = glm.se**2 / glm.naive_var  # design variance / model variance of b0
    cut = stats.norm.cdf(-t_quantile(df) * math.sqrt(lam))  # (1 - adjusted level) / 2
    zmax = math.sqrt(stats.f.ppf(1 - cut / 2, 1, len(glm.y) - 1))
    deviance0 = deviance(glm.coef, glm.y, glm.prior)

    def change(b: float) -> float:
        return (deviance(b, glm.y, glm.prior) - deviance0) / glm.dispersion

    grid_b, grid_tau = [glm.coef], [0.0]
    for sign in (-1, 1):
        _walk(sign, glm.coef, zmax / PROFILE_STEPS_TO_ZMAX * glm.se, zmax, change, grid_b, grid_tau)
    return cut, grid_b, grid_tau


def _walk(sign, b0, step_size, zmax, scaled_change, grid_b, grid_tau) -> None:
    """One direction of the profile: at most nine steps, stopping once |tau| >= zmax."""
    step, tau = 0, 0.0
    while (step := step + 1) < PROFILE_MAX_STEPS and abs(tau) < zmax:
        b = b0 + sign * step * step_size
        tau = sign * math.sqrt(max(scaled_change(b), 0.0))
        grid_b.append(b)
        grid_tau.append(tau)


INTERVALS = {
    "logit": logit_interval,
    "xlogit": xlogit_interval,
    "mean": mean_interval,
    "beta": beta_interval,
    "likelihood": likelihood_interval,
}
