import numpy as np
import pytest

from peerhub.whatmatters.stats.design import build_design, degf, variance, weights_only
from peerhub.whatmatters.stats.errors import SurveyInputError
from peerhub.whatmatters.stats.estimators import Domain, mean, whole

from .helpers import make_table

Y = [3.0, 7.0, 8.0, 1.0, 4.0, 6.0]


def srs_table(fpc=(60,) * 6):
    return make_table(y=Y, w=[10] * 6, fpc=fpc, s=["a", "a", "a", "b", "b", "b"], c=[1, 1, 2, 3, 4, 4])


def test_it_matches_the_textbook_variance_of_a_mean_under_simple_random_sampling():
    design = build_design(srs_table(), "srs", "w", fpc="fpc")
    estimate = mean(design, np.array(Y), whole(design))
    expected = (1 - 6 / 60) * np.var(Y, ddof=1) / 6
    assert estimate.se == pytest.approx(np.sqrt(expected), rel=1e-12)


def test_it_reads_fpc_given_as_sampling_fractions_like_population_sizes():
    by_size = build_design(srs_table(), "a", "w", fpc="fpc")
    by_fraction = build_design(srs_table(fpc=(0.1,) * 6), "b", "w", fpc="fpc")
    np.testing.assert_allclose(by_size.popsize, by_fraction.popsize)


def test_it_counts_degrees_of_freedom_as_psus_minus_strata():
    design = build_design(srs_table(), "d", "w", clusters="c", strata="s")
    assert degf(design) == 4 - 2
    assert degf(design, np.array([True, True, True, False, False, False])) == 2 - 1


def test_it_adds_stratum_variances_of_psu_totals():
    design = build_design(srs_table(), "d", "w", clusters="c", strata="s")
    x = np.array(Y)
    totals_a, totals_b = np.array([10.0, 8.0]), np.array([1.0, 10.0])
    expected = sum(2 / 1 * np.sum((t - t.mean()) ** 2) for t in (totals_a, totals_b))
    assert variance(design, x)[0, 0] == pytest.approx(expected)


def test_it_gives_a_domain_the_variance_of_influence_values_that_are_zero_outside_it():
    design = weights_only("w", np.full(6, 10.0))
    rows = np.array([True, True, True, False, False, False])
    estimate = mean(design, np.array(Y), Domain("a", rows, degf(design, rows)))
    z = np.where(rows, (np.array(Y) - 6.0) / 3, 0.0)
    assert estimate.se**2 == pytest.approx(6 / 5 * np.sum((z - z.mean()) ** 2))
    assert estimate.df == 2


@pytest.mark.parametrize(
    ("columns", "message"),
    [
        ({"w": [1, "NA", 1, 1]}, "weights column 'w' has missing values"),
        ({"w": [1, 0, 1, 1]}, "weights column 'w' must be positive"),
        ({"c": [1, 1, 1, 1]}, "only one primary sampling unit"),
        ({"c": [1, 2, 1, 3], "s": ["a", "a", "b", "b"]}, "clusters are not nested in strata"),
        ({"fpc": [10, 10, 0.5, 0.5]}, "mixes population sizes"),
        ({"fpc": [10, 12, 10, 10]}, "varies within a stratum"),
        ({"fpc": [3, 3, 3, 3]}, "more than 100% sampling"),
    ],
)
def test_it_refuses_a_design_that_r_refuses_with_a_clear_message(columns, message):
    base = {"w": [1, 1, 1, 1], "c": [1, 2, 3, 4], "s": ["a"] * 4, "fpc": [10] * 4}
    data = make_table(**(base | columns))
    with pytest.raises(SurveyInputError, match=message):
        build_design(data, "d", "w", clusters="c", strata="s", fpc="fpc")


def test_it_refuses_the_variance_of_a_stratum_with_a_single_psu():
    data = make_table(w=[1, 1, 1], c=[1, 2, 3], s=["a", "a", "b"])
    design = build_design(data, "d", "w", clusters="c", strata="s")
    with pytest.raises(SurveyInputError, match="only one PSU"):
        variance(design, np.ones(3))


def test_it_gives_a_completely_sampled_stratum_no_variance():
    data = make_table(w=[1, 1, 1, 1], s=["a", "a", "a", "a"], fpc=[4, 4, 4, 4])
    design = build_design(data, "census", "w", strata="s", fpc="fpc")
    assert variance(design, np.array(Y[:4]))[0, 0] == 0.0
