import math

import numpy as np
import pytest

from peerhub.whatmatters.stats.design import build_design, degf, weights_only
from peerhub.whatmatters.stats.estimators import Domain, mean
from peerhub.whatmatters.stats.groups import compare, domain_proportions

from .helpers import make_table

GROUP = np.array(["a"] * 4 + ["b"] * 4 + ["c"] * 4)
Y = np.array([1, 0, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0], dtype=float)


def domains_of(design):
    return [Domain(level, GROUP == level, degf(design, GROUP == level)) for level in ("a", "b", "c")]


def stratified_design():
    data = make_table(w=[2.0] * 12, s=GROUP)
    return build_design(data, "strat", "w", strata="s")


def test_it_labels_each_sorted_pair_with_the_statistics_separator():
    design = stratified_design()
    assert [e.level for e in compare(design, Y, domains_of(design), "group_ratio", 9)] == ["a/b", "a/c", "b/c"]
    assert [e.level for e in compare(design, Y, domains_of(design), "group_diff", 9)][0] == "a-b"
    assert [e.level for e in compare(design, Y, domains_of(design), "group_oddsratio", 9)][0] == "a:b"


def test_it_computes_ratio_difference_and_odds_ratio_by_hand():
    design = stratified_design()
    groups = domains_of(design)
    ratio, diff, odds = (compare(design, Y, groups, name, 9)[0].estimate for name in
                         ("group_ratio", "group_diff", "group_oddsratio"))
    assert ratio == pytest.approx(0.75 / 0.25)
    assert diff == pytest.approx(0.5)
    assert odds == pytest.approx((0.75 / 0.25) / (0.25 / 0.75))


def test_it_adds_variances_of_domains_that_are_independent_strata():
    design = stratified_design()
    groups = domains_of(design)
    se_a, se_b = (mean(design, Y, g).se for g in groups[:2])
    assert compare(design, Y, groups, "group_diff", 9)[0].se == pytest.approx(math.sqrt(se_a**2 + se_b**2))


def test_it_keeps_the_covariance_of_domains_that_share_clusters():
    design = build_design(make_table(w=[2.0] * 12, c=[1, 2, 3, 4] * 3), "clus", "w", clusters="c")
    _, covariance = domain_proportions(design, Y, domains_of(design))
    assert abs(covariance[0, 1]) > 1e-3  # every cluster holds rows of every domain
    diff = compare(design, Y, domains_of(design), "group_diff", 3)[0]
    assert diff.se == pytest.approx(math.sqrt(covariance[0, 0] + covariance[1, 1] - 2 * covariance[0, 1]))
    assert diff.df == 3


def test_it_finds_no_covariance_between_domains_of_a_weights_only_design():
    design = weights_only("w", np.full(12, 2.0))
    _, covariance = domain_proportions(design, Y, domains_of(design))
    assert covariance[0, 1] == pytest.approx(0.0, abs=1e-15)
