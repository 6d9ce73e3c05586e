"""The maxdiff conditional logit model for best-worst choices (Marley and Louviere's paired model,
as support.BWS builds it for R's survival::clogit).

In a question showing the set S, the chance of choosing item b as best and item k as worst is

    P(b, k) = exp(beta_b - beta_k) / sum_{i != j in S} exp(beta_i - beta_j)

and the (optionally survey-weighted) log-likelihood is sum_s v_s log P(best_s, worst_s). The last
item's beta is fixed at 0; preference shares are exp(beta_j) / sum_k exp(beta_k), which do not
depend on that choice. The fit is Newton's method with the exact gradient and Hessian
(scipy.optimize trust-exact), so it agrees with any other maximiser to its convergence tolerance."""

from dataclasses import dataclass
from itertools import permutations

import numpy as np
from scipy import optimize, special

from .errors import SurveyInputError

GRADIENT_TOLERANCE = 1e-8  # on the mean log-likelihood: Newton is then within ~1e-12 of the optimum


@dataclass(frozen=True)
class MaxDiffFit:
    coef: np.ndarray
    shares: np.ndarray
    loglik: float
    null_loglik: float


def pair_design(shown: np.ndarray, n_items: int) -> tuple[np.ndarray, list[tuple[int, int]]]:
    """For each question and each ordered pair (best, worst) of its positions, the row x with
    x[best item] = 1 and x[worst item] = -1, so that x . beta = beta_best - beta_worst."""
    pairs = list(permutations(range(shown.shape[1]), 2))
    x = np.zeros((shown.shape[0], len(pairs), n_items))
    rows = np.arange(shown.shape[0])
    for p, (best, worst) in enumerate(pairs):
        x[rows, p, shown[:, best]] += 1.0
        x[rows, p, shown[:, worst]] -= 1.0
    return x, pairs


def chosen_pairs(shown: np.ndarray, best: np.ndarray, worst: np.ndarray, pairs) -> np.ndarray:
    """Index of the chosen (best, worst) pair among each question's ordered pairs."""
    index = {pair: p for p, pair in enumerate(pairs)}
    best_at, worst_at = np.argmax(shown == best[:, None], axis=1), np.argmax(shown == worst[:, None], axis=1)
    return np.array([index[(b, w)] for b, w in zip(best_at, worst_at, strict=True)])


def _probabilities(theta: np.ndarray, x: np.ndarray):
    """Utilities of every ordered pair (beta of the last item fixed at 0) and their choice probabilities."""
    utility = x[:, :, :-1] @ theta
    return utility, special.softmax(utility, axis=1)


def _loss(theta: np.ndarray, x: np.ndarray, chosen: np.ndarray, weights: np.ndarray):
    """Minus the log-likelihood and its gradient: sum_s v_s (x_chosen - sum_p P_p x_p)."""
    utility, prob = _probabilities(theta, x)
    picked = np.arange(len(chosen)), chosen
    loglik = np.sum(weights * (utility[picked] - special.logsumexp(utility, axis=1)))
    expected = np.einsum("sp,spk->sk", prob, x[:, :, :-1])
    return -loglik, -(weights @ (x[:, :, :-1][picked] - expected))


def _hessian(theta: np.ndarray, x: np.ndarray, chosen: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The information: sum_s v_s (sum_p P_p x_p x_p' - xbar_s xbar_s')."""
    _, prob = _probabilities(theta, x)
    free = x[:, :, :-1]
    expected = np.einsum("sp,spk->sk", prob, free)
    flat = free.reshape(-1, free.shape[2])
    outer = flat.T @ (flat * (weights[:, None] * prob).reshape(-1, 1))
    return outer - expected.T @ (expected * weights[:, None])


def fit(shown: np.ndarray, best: np.ndarray, worst: np.ndarray, weights: np.ndarray, n_items: int) -> MaxDiffFit:
    """Maximum (pseudo-)likelihood fit; shown holds item indices per question, best/worst item indices."""
    x, pairs = pair_design(shown, n_items)
    chosen = chosen_pairs(shown, best, worst, pairs)
    scaled = weights / np.sum(weights)  # mean log-likelihood, so the gradient tolerance is relative
    result = optimize.minimize(_loss, np.zeros(n_items - 1), args=(x, chosen, scaled), jac=True, hess=_hessian,
                               method="trust-exact", options={"gtol": GRADIENT_TOLERANCE})
    if not result.success:
        raise SurveyInputError(f"the maxdiff model did not converge ({result.message}); an item may never "
                               "have been chosen best, or never worst")
    coef = np.append(result.x, 0.0)
    null = float(np.sum(weights) * -np.log(len(pairs)))  # every pair equally likely
    return MaxDiffFit(coef, special.softmax(coef), -float(result.fun) * np.sum(weights), null)
