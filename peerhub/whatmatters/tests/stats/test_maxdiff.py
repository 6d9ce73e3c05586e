import numpy as np
import pytest
from scipy import stats

from peerhub.whatmatters.stats import bws, maxdiff


@pytest.fixture(scope="module")
def study(survey_data):
    return bws.read_study(survey_data)


@pytest.fixture(scope="module")
def shares(study):
    return bws.preference_shares(study)


def group_rows(shares, group, weighting):
    return [r for r in shares if r["group"] == group and r["weighting"] == weighting]


def test_it_gives_shares_that_sum_to_one_for_each_group_and_weighting(study, shares):
    for group in study.group_names:
        for weighting in ("unweighted", "weighted"):
            assert sum(r["share"] for r in group_rows(shares, group, weighting)) == pytest.approx(1.0, abs=1e-12)


def test_its_share_order_agrees_with_the_best_minus_worst_scores(study, shares):
    counted = bws.count_scores(study)
    for group in study.group_names:
        bw = [r["BW"] for r in counted if r["group"] == group]
        share = [r["share"] for r in group_rows(shares, group, "unweighted")]
        assert stats.spearmanr(bw, share).statistic > 0.95
        assert np.argmax(bw) == np.argmax(share)


def test_it_improves_on_the_null_log_likelihood(shares):
    for row in shares:
        assert row["loglik"] > row["null_loglik"]


def test_it_recovers_the_preferences_that_simulated_the_choices():
    rng = np.random.default_rng(11)
    beta = np.array([1.0, 0.5, 0.0, -0.5, -1.0, 0.0])
    shown = np.array([rng.choice(6, size=4, replace=False) for _ in range(6000)])
    x, pairs = maxdiff.pair_design(shown, 6)
    prob = np.exp(x @ beta) / np.exp(x @ beta).sum(axis=1, keepdims=True)
    picks = np.array([rng.choice(len(pairs), p=p) for p in prob])
    best = shown[np.arange(6000), [pairs[k][0] for k in picks]]
    worst = shown[np.arange(6000), [pairs[k][1] for k in picks]]
    fit = maxdiff.fit(shown, best, worst, np.ones(6000), 6)
    np.testing.assert_allclose(fit.coef, beta, atol=0.08)
    gradient = maxdiff._loss(fit.coef[:-1], x, maxdiff.chosen_pairs(shown, best, worst, pairs), np.ones(6000))[1]
    assert np.max(np.abs(gradient)) < 1e-4
