import math

import numpy as np
import pytest
from scipy import special, stats

from peerhub.whatmatters.stats.ciprop import ciprop
from peerhub.whatmatters.stats.design import weights_only
from peerhub.whatmatters.stats.estimators import whole

RNG = np.random.default_rng(7)
Y = (RNG.random(400) < 0.35).astype(float)
W = RNG.uniform(0.5, 2.0, 400)
DESIGN = weights_only("w", W)


def interval(method, df=399, y=Y):
    return ciprop(DESIGN, y, whole(DESIGN), method, df)


def test_it_makes_the_mean_interval_the_t_interval():
    result = interval("mean")
    half = stats.t.ppf(0.975, 399) * result.se
    assert (result.ci_l, result.ci_u) == pytest.approx((result.estimate - half, result.estimate + half))


def test_it_makes_the_logit_interval_symmetric_on_the_logit_scale():
    result = interval("logit")
    centre = special.logit(result.estimate)
    assert centre - special.logit(result.ci_l) == pytest.approx(special.logit(result.ci_u) - centre)


def test_it_makes_xlogit_agree_with_logit_up_to_the_glm_fit():
    xlogit, logit = interval("xlogit"), interval("logit")
    assert (xlogit.ci_l, xlogit.ci_u) == pytest.approx((logit.ci_l, logit.ci_u), rel=1e-5)


def test_it_narrows_the_logit_interval_when_df_is_infinite():
    assert interval("logit", math.inf).ci_u < interval("logit", 5).ci_u


def test_it_ignores_the_requested_df_for_beta_as_r_does():
    assert interval("beta", math.inf).ci_l == interval("beta", 399).ci_l


def test_it_gives_a_likelihood_interval_close_to_the_logit_one_in_a_large_sample():
    likelihood, logit = interval("likelihood"), interval("logit")
    assert likelihood.ci_l < likelihood.estimate < likelihood.ci_u
    assert (likelihood.ci_l, likelihood.ci_u) == pytest.approx((logit.ci_l, logit.ci_u), rel=0.01)


def test_it_keeps_the_design_df_in_the_df_column_whatever_df_the_interval_uses():
    assert interval("logit", math.inf).df == 399


def test_it_gives_no_logit_interval_for_a_proportion_of_zero():
    result = interval("logit", y=np.zeros(400))
    assert result.estimate == 0 and math.isnan(result.ci_l) and math.isnan(result.ci_u)
