"""Comparing the proportion meeting a condition between domains, as R's
`svycontrast(svyby(~I(cond), ~domain, design, svymean, covmat = TRUE), quote(...))`.

The domain proportions p_A, p_B and their covariance come from one variance computation over all
domains' influence values (so domains sharing PSUs are correlated as in R). Each pair A < B (sorted)
gets a delta-method standard error sqrt(g' V g), g the gradient of:

- group_ratio     p_A / p_B                               level "A/B"
- group_diff      p_A - p_B                               level "A-B"
- group_oddsratio (p_A / (1 - p_A)) / (p_B / (1 - p_B))  level "A:B"

with the design's degrees of freedom for the interval estimate -/+ qt(0.975, df) se."""

from itertools import combinations

import numpy as np

from .design import Design, variance
from .estimators import Domain, Estimate, finish, mean_influence


def _ratio(a: float, b: float):
    return a / b, np.array([1 / b, -a / b**2])


def _difference(a: float, b: float):
    return a - b, np.array([1.0, -1.0])


def _odds_ratio(a: float, b: float):
    value = (a / (1 - a)) / (b / (1 - b))
    return value, np.array([value / (a * (1 - a)), -value / (b * (1 - b))])


CONTRASTS = {
    "group_ratio": ("/", _ratio),
    "group_diff": ("-", _difference),
    "group_oddsratio": (":", _odds_ratio),
}


def domain_proportions(design: Design, y: np.ndarray, domains: list[Domain]):
    """Each domain's weighted proportion and their joint covariance matrix (R: svyby covmat=TRUE)."""
    fits = [mean_influence(design, y, domain.rows, "the condition") for domain in domains]
    estimates = np.array([estimate for estimate, _ in fits])
    return estimates, variance(design, np.column_stack([influence for _, influence in fits]))


def compare(design: Design, y: np.ndarray, domains: list[Domain], statistic: str, df: float) -> list[Estimate]:
    """One Estimate per pair of domains A < B for the named contrast."""
    separator, contrast = CONTRASTS[statistic]
    estimates, covariance = domain_proportions(design, y, domains)
    rows = []
    for i, j in combinations(range(len(domains)), 2):
        value, gradient = contrast(estimates[i], estimates[j])
        pair = covariance[np.ix_([i, j], [i, j])]
        label = f"{domains[i].label}{separator}{domains[j].label}"
        rows.append(finish(value, float(gradient @ pair @ gradient), df, label))
    return rows
