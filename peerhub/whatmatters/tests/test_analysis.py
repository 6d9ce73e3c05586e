import math

import pytest

from peerhub.whatmatters import analysis, presentation, selectors, services
from peerhub.whatmatters.models import Kind
from peerhub.whatmatters.stats import bws
from peerhub.whatmatters.tests.helpers import respond

pytestmark = pytest.mark.django_db


def _section(results, kind):
    return next(s for s in results.sections if s.question.kind == kind)


@pytest.fixture
def two_groups(survey):
    """12 people in the first group who rank the factors in list order, 12 in the second who
    rank them in reverse, and 3 in a third group (under the threshold of 10)."""
    codes = list(survey.factors.values_list("code", flat=True))
    respond(survey, 12, codes, group_option=0)
    respond(survey, 12, codes[::-1], group_option=1)
    respond(survey, 3, codes, group_option=2)
    return survey


def test_it_leaves_out_groups_under_the_threshold_but_counts_them_in_everyone(two_groups):
    results = selectors.exercise_results(two_groups)
    ranking = _section(results, Kind.RANKING)
    assert ranking.n == 27
    assert [n for _, n in ranking.groups] == [12, 12]
    assert ranking.suppressed_groups == 1
    assert "1 group with fewer than 10 people is not shown" in presentation.suppression_note(ranking, 10)


def test_it_hides_a_question_answered_by_fewer_than_the_threshold(survey):
    respond(survey, 4)
    results = selectors.exercise_results(survey)
    assert all(section.suppressed for section in results.sections)
    assert "Fewer than 10 people answered" in presentation.suppression_note(results.sections[1], 10)


def test_it_reports_the_engines_best_worst_scores_by_group(two_groups):
    section = _section(selectors.exercise_results(two_groups), Kind.BEST_WORST)
    first_group, second_group = (name for name, _ in section.groups)
    codes = list(two_groups.factors.values_list("code", flat=True))
    assert section.ranked(first_group)[0].code == codes[0]
    assert section.ranked(second_group)[0].code == codes[-1]
    top = section.ranked(first_group)[0]
    assert top.values[first_group].value == pytest.approx(1.0)
    counts = top.extra["counts"][first_group]
    assert counts["B"] == 12 * counts["r"] and counts["rank"] == 1 and bool(counts["top6"])
    statistics = {row["statistic"] for row in section.estimates}
    assert {"best-worst stdBW", "best-worst sqrtBW", "best-worst w_rank", "best-worst top6",
            "best-worst weighted mean score"} <= statistics


def test_it_matches_the_engine_run_directly(two_groups):
    question = two_groups.questions.get(kind=Kind.BEST_WORST)
    sample = selectors.load_sample(two_groups)
    factors = selectors.factors_of(two_groups)
    study = analysis.best_worst_study(question, factors, sample, set(sample.groups))
    direct = {(r["group"], r["label"]): r["mean_stdBW"] for r in bws.weighted_scores(study)}
    section = analysis.analyse_question(question, factors, sample, 10)
    for measure in section.measures:
        assert measure.values["all"].value == pytest.approx(direct[("all", measure.label)])


def test_it_gives_mean_rank_and_share_in_the_top_three(two_groups):
    section = _section(selectors.exercise_results(two_groups), Kind.RANKING)
    first = section.ranked("all")[0]
    factors = list(two_groups.factors.all())
    first_group = section.groups[0][0]
    best = next(m for m in section.measures if m.code == factors[0].code)
    assert best.values[first_group].value == pytest.approx(1.0)
    assert best.extra["top3"][first_group].value == pytest.approx(1.0)
    assert best.values["all"].value == pytest.approx((15 * 1 + 12 * len(factors)) / 27)
    assert first.values["all"].has_interval


def test_it_compares_groups_top_six_and_marks_clear_differences(two_groups):
    section = _section(selectors.exercise_results(two_groups), Kind.BEST_WORST)
    rows = analysis.comparison(section)
    first_group, second_group = (name for name, _ in section.groups)
    codes = list(two_groups.factors.values_list("code", flat=True))
    top_of_first = next(r for r in rows if r["measure"].code == codes[0])
    cell = top_of_first["cells"][0]
    assert cell["place"] == 1 and cell["in_top_six"]
    assert cell["more_important_than"] == [second_group]


def test_it_says_how_many_times_as_likely_with_the_interval(survey):
    multiple = survey.questions.get(kind=Kind.MULTIPLE)
    respond(survey, 12, group_option=0)
    for i in range(12):
        values = __import__("peerhub.whatmatters.tests.helpers", fromlist=["answers_for"]).answers_for(
            survey, group_option=1)
        values[multiple.key] = multiple.options[:1] if i < 6 else multiple.options[1:2]
        services.submit_complete_response(survey, values, consent=True, token=f"ratio-token-{i:06d}")
    section = presentation.build_section(_section(selectors.exercise_results(survey), Kind.MULTIPLE))
    sentence = next(h for h in section.headlines if "times as likely" in h)
    assert "People who answered “Yes, I have used peer support” were 2.0 times as likely" in sentence
    assert "(95% CI" in sentence


def test_it_totals_dot_votes_and_sorts_moscow_cards(workshop, contributor):
    respond(workshop, 10, group_option=0)
    results = selectors.exercise_results(workshop)
    dots = _section(results, Kind.DOTS)
    first = workshop.factors.first()
    top = dots.ranked("all")[0]
    assert (top.code, top.values["all"].value) == (first.code, 50.0)
    moscow = _section(results, Kind.MOSCOW)
    card = next(m for m in moscow.measures if m.code == first.code)
    assert card.extra["M"]["all"].value == pytest.approx(1.0)
    assert card.extra["W"]["all"].value == 0.0


def test_clearly_different_needs_a_gap_larger_than_the_uncertainty():
    assert analysis.clearly_different(analysis.Cell(1.0, 0.9, 1.1), analysis.Cell(0.0, -0.1, 0.1))
    assert not analysis.clearly_different(analysis.Cell(0.2, 0.0, 0.4), analysis.Cell(0.0, -0.2, 0.2))
    assert not analysis.clearly_different(analysis.Cell(1.0), analysis.Cell(0.0))


def test_the_chart_draws_bars_from_zero_with_their_intervals():
    chart = presentation.bar_chart("x", "Scores", [("Up", analysis.Cell(0.5, 0.25, 0.75)),
                                                   ("Down", analysis.Cell(-0.5))], "score", (-1.0, 1.0))
    up, down = chart.bars
    assert chart.zero_x == presentation.PLOT / 2
    assert (up.x, up.width) == (chart.zero_x, presentation.PLOT / 4)
    assert down.x + down.width == chart.zero_x and down.ci is None
    assert up.ci == (presentation.PLOT * 0.625, presentation.PLOT * 0.875)
    assert "Up: +0.50 (95% CI +0.25 to +0.75)" in chart.description
    assert math.isclose(chart.height, 2 * presentation.ROW + 8)
