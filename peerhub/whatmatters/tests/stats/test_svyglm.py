import numpy as np
import pytest
from scipy import special

from peerhub.whatmatters.stats import svyglm
from peerhub.whatmatters.stats.design import weights_only

RNG = np.random.default_rng(20240611)
Y = (RNG.random(80) < 0.3).astype(float)
W = RNG.uniform(0.5, 3.0, 80)


def test_it_converges_to_the_logit_of_the_weighted_proportion():
    coef, working = svyglm.irls(Y, W / W.mean())
    p = np.sum(W * Y) / np.sum(W)
    assert coef == pytest.approx(special.logit(p), rel=1e-8)
    # glm keeps the working weights of the iterate before the last, so they are close, not exact
    assert np.sum(working) == pytest.approx(np.sum(W / W.mean()) * p * (1 - p), rel=1e-4)


def test_it_has_the_design_se_of_the_logit_as_the_delta_method_gives():
    design = weights_only("w", W)
    fit = svyglm.fit_intercept(design, Y, np.ones(80, dtype=bool))
    p = np.sum(W * Y) / np.sum(W)
    z = W * (Y - p) / np.sum(W)
    se_p = np.sqrt(80 / 79 * np.sum((z - z.mean()) ** 2))
    assert fit.se == pytest.approx(se_p / (p * (1 - p)), rel=1e-6)


def test_it_estimates_the_dispersion_as_m_over_m_minus_one_at_the_fitted_proportion():
    p = np.sum(W * Y) / np.sum(W)
    assert svyglm.pearson_dispersion(Y, p, W) == pytest.approx(80 / 79)


def test_its_deviance_is_smallest_at_the_fit():
    coef, _ = svyglm.irls(Y, W)
    at_fit = svyglm.deviance(coef, Y, W)
    assert at_fit < svyglm.deviance(coef + 0.01, Y, W) and at_fit < svyglm.deviance(coef - 0.01, Y, W)
