"""Weighted means, totals, ratios, proportions and counts with linearisation standard errors.

Each estimator returns the estimate and its influence values z_i (zero outside the domain); the
standard error is sqrt(design.variance(z)), and the interval is estimate -/+ qt(0.975, df) * se."""

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

from .design import Design, degf, variance
from .errors import SurveyInputError

LEVEL = 0.95


@dataclass(frozen=True)
class Domain:
    """The rows of one domain (R: `svyby(~x, ~domain, ...)`; all rows for the whole population), the
    label written to the `level` column and its degrees of freedom (the domain subset's R `degf`)."""

    label: str
    rows: np.ndarray
    df: float


@dataclass(frozen=True)
class Estimate:
    """One output row's numbers; `level` names the category, domain level or compared pair."""

    estimate: float
    se: float
    df: float
    ci_l: float
    ci_u: float
    level: str = ""


def whole(design: Design) -> Domain:
    """The whole population as a domain, with the design's degrees of freedom."""
    return Domain("", np.ones(design.n_rows, dtype=bool), degf(design))


def t_quantile(df: float, level: float = LEVEL) -> float:
    """qt(1 - (1 - level)/2, df); qnorm for infinite df."""
    upper = 1 - (1 - level) / 2
    return stats.norm.ppf(upper) if math.isinf(df) else stats.t.ppf(upper, df)


def finish(estimate: float, var: float, df: float, level: str = "") -> Estimate:
    """An Estimate with se = sqrt(var) and the t interval estimate -/+ qt(0.975, df) * se (R: confint(df=))."""
    se = math.sqrt(max(var, 0.0))
    half = t_quantile(df) * se
    return Estimate(estimate, se, df, estimate - half, estimate + half, level)


def _present(rows: np.ndarray, *values: np.ndarray) -> np.ndarray:
    """Rows of the domain where every value is present (R: na.rm=TRUE drops the others)."""
    keep = rows.copy()
    for value in values:
        keep &= ~np.isnan(value)
    return keep


def _domain_weights(design: Design, rows: np.ndarray, what: str) -> np.ndarray:
    w = np.where(rows, design.weights, 0.0)
    if w.sum() == 0:
        raise SurveyInputError(f"no rows with a value of {what} in this domain")
    return w


def mean_influence(design: Design, y: np.ndarray, rows: np.ndarray, what: str = "the variable"):
    """R `svymean`: ybar = sum(w y) / sum(w); influence z_i = w_i (y_i - ybar) / sum(w)."""
    keep = _present(rows, y)
    w = _domain_weights(design, keep, what)
    y0 = np.where(keep, y, 0.0)
    estimate = np.sum(w * y0) / np.sum(w)
    return estimate, np.where(keep, w * (y0 - estimate) / np.sum(w), 0.0)


def mean(design: Design, y: np.ndarray, domain: Domain, what: str = "the variable") -> Estimate:
    """R `svymean(~y, design)`: weighted mean, variance of z_i = w_i (y_i - ybar) / sum(w)."""
    estimate, influence = mean_influence(design, y, domain.rows, what)
    return finish(estimate, variance(design, influence)[0, 0], domain.df, domain.label)


def total(design: Design, y: np.ndarray, domain: Domain, what: str = "the variable") -> Estimate:
    """R `svytotal(~y, design)`: Y = sum(w y), variance of z_i = w_i y_i."""
    keep = _present(domain.rows, y)
    w = _domain_weights(design, keep, what)
    influence = w * np.where(keep, y, 0.0)
    return finish(np.sum(influence), variance(design, influence)[0, 0], domain.df, domain.label)


def ratio(design: Design, numerator: np.ndarray, denominator: np.ndarray, domain: Domain, what: str) -> Estimate:
    """R `svyratio(~num, ~den, design)`: R = sum(w num) / sum(w den), z_i = w_i (num_i - R den_i) / sum(w den)."""
    keep = _present(domain.rows, numerator, denominator)
    w = _domain_weights(design, keep, what)
    num, den = np.where(keep, numerator, 0.0), np.where(keep, denominator, 0.0)
    if np.sum(w * den) == 0:
        raise SurveyInputError(f"the denominator of {what} has a weighted total of zero")
    estimate = np.sum(w * num) / np.sum(w * den)
    influence = w * (num - estimate * den) / np.sum(w * den)
    return finish(estimate, variance(design, influence)[0, 0], domain.df, domain.label)


def level_indicators(values: np.ndarray, missing: np.ndarray, levels: list[str]) -> dict[str, np.ndarray]:
    """One 0/1 column per category level (R's model matrix for a factor), NaN where the value is missing."""
    columns = {}
    for level in levels:
        column = (values == level).astype(float)
        column[missing] = np.nan
        columns[level] = column
    return columns


def proportions(design: Design, columns: dict[str, np.ndarray], domain: Domain) -> list[Estimate]:
    """R `svymean(~factor, design)`: the weighted mean of each level's indicator."""
    return [_labelled(mean(design, y, domain, level), domain, level) for level, y in columns.items()]


def counts(design: Design, columns: dict[str, np.ndarray], domain: Domain) -> list[Estimate]:
    """R `svytotal(~factor, design)`: the weighted total of each level's indicator."""
    return [_labelled(total(design, y, domain, level), domain, level) for level, y in columns.items()]


def _labelled(estimate: Estimate, domain: Domain, level: str) -> Estimate:
    """Category rows inside a domain are labelled `domain:level`, as R's svyby names them."""
    label = f"{domain.label}:{level}" if domain.label else level
    return Estimate(estimate.estimate, estimate.se, estimate.df, estimate.ci_l, estimate.ci_u, label)
