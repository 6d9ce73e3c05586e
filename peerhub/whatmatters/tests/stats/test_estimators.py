import math

import numpy as np
import pytest
from scipy import stats

from peerhub.whatmatters.stats.design import weights_only
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.estimators import (
    Domain,
    counts,
    finish,
    level_indicators,
    mean,
    proportions,
    ratio,
    total,
    whole,
)

W = np.array([1.0, 2.0, 3.0, 4.0])
Y = np.array([2.0, 4.0, 6.0, 1.0])
X = np.array([1.0, 2.0, 2.0, 4.0])


def with_replacement_variance(z):
    return len(z) / (len(z) - 1) * np.sum((z - z.mean()) ** 2)


def test_it_computes_the_weighted_mean_and_its_linearised_se_by_hand():
    design = weights_only("w", W)
    estimate = mean(design, Y, whole(design))
    ybar = (2 + 8 + 18 + 4) / 10
    assert estimate.estimate == pytest.approx(ybar)
    assert estimate.se == pytest.approx(math.sqrt(with_replacement_variance(W * (Y - ybar) / 10)))
    assert estimate.df == 3


def test_it_computes_the_weighted_total_and_its_se_by_hand():
    design = weights_only("w", W)
    estimate = total(design, Y, whole(design))
    assert estimate.estimate == pytest.approx(32.0)
    assert estimate.se == pytest.approx(math.sqrt(with_replacement_variance(W * Y)))


def test_it_gives_the_ratio_the_linearised_variance_by_hand():
    design = weights_only("w", W)
    estimate = ratio(design, Y, X, whole(design), "y/x")
    r = 32.0 / (1 + 4 + 6 + 16)
    assert estimate.estimate == pytest.approx(r)
    assert estimate.se == pytest.approx(math.sqrt(with_replacement_variance(W * (Y - r * X) / 27)))


def test_it_drops_missing_values_as_r_does_with_na_rm():
    design = weights_only("w", W)
    with_gap = mean(design, np.array([2.0, np.nan, 6.0, 1.0]), whole(design))
    assert with_gap.estimate == pytest.approx((2 + 18 + 4) / 8)


def test_it_explains_a_domain_with_no_values():
    design = weights_only("w", W)
    empty = Domain("x", np.zeros(4, dtype=bool), 0)
    with pytest.raises(SurveyInputError, match="no rows with a value of y"):
        mean(design, Y, empty, "y")


def test_it_gives_proportions_summing_to_one_and_counts_summing_to_the_weights():
    design = weights_only("w", W)
    columns = level_indicators(np.array(["a", "b", "a", "b"]), np.zeros(4, dtype=bool), ["a", "b"])
    props, tallies = proportions(design, columns, whole(design)), counts(design, columns, whole(design))
    assert [p.level for p in props] == ["a", "b"]
    assert sum(p.estimate for p in props) == pytest.approx(1.0)
    assert [c.estimate for c in tallies] == pytest.approx([4.0, 6.0])
    assert props[0].se == pytest.approx(props[1].se)


def test_it_labels_category_rows_inside_a_domain_as_r_svyby_does():
    design = weights_only("w", W)
    columns = level_indicators(np.array(["a", "b", "a", "b"]), np.zeros(4, dtype=bool), ["a", "b"])
    domain = Domain("E", np.array([True, True, False, True]), 2)
    assert [p.level for p in proportions(design, columns, domain)] == ["E:a", "E:b"]


def test_it_makes_t_intervals_and_normal_ones_for_infinite_df():
    assert finish(10.0, 4.0, 5).ci_u == pytest.approx(10 + 2 * stats.t.ppf(0.975, 5))
    assert finish(10.0, 4.0, math.inf).ci_l == pytest.approx(10 - 2 * stats.norm.ppf(0.975))
