"""Helpers for the what-matters tests: complete answers for an exercise, chosen to order the
factors in a given preference, and a quick way to send many responses."""

import itertools

from peerhub.whatmatters import services
from peerhub.whatmatters.models import Kind

_tokens = itertools.count()


def token() -> str:
    return f"test-token-{next(_tokens):08d}"


def answers_for(exercise, preference: list[str] | None = None, group_option: int = 0) -> dict:
    """A valid answer to every question; `preference` orders factor codes, most important first."""
    factors = list(exercise.factors.values_list("code", flat=True))
    order = preference or factors
    values = {}
    for q in exercise.questions.all():
        values[q.key] = _answer(q, order, factors, group_option)
    return values


def _answer(q, order, codes, group_option):
    if q.kind == Kind.SINGLE:
        return q.options[group_option if q.defines_groups else 0]
    if q.kind == Kind.MULTIPLE:
        return q.options[:2]
    if q.kind == Kind.RATING:
        return q.scale_max
    if q.kind == Kind.RANKING:
        return list(order)
    if q.kind == Kind.BEST_WORST:
        return [{"best": min(s, key=order.index), "worst": max(s, key=order.index)} for s in q.design]
    if q.kind == Kind.DOTS:
        return {order[0]: q.votes}
    return {code: "M" if order.index(code) < 2 else "W" for code in codes}


def respond(exercise, count: int, preference=None, group_option: int = 0) -> None:
    for _ in range(count):
        services.submit_complete_response(exercise, answers_for(exercise, preference, group_option), consent=True,
                                          token=token())
