import pytest

from peerhub.whatmatters import selectors, services
from peerhub.whatmatters.models import Kind
from peerhub.whatmatters.tests.helpers import respond

pytestmark = pytest.mark.django_db


def test_top_factors_for_group_gives_that_groups_most_important_factors(survey, contributor):
    codes = list(survey.factors.values_list("code", flat=True))
    respond(survey, 10, codes[::-1], group_option=0)
    services.update_exercise(survey, {"results_public": True}, actor=contributor)
    found = selectors.top_factors_for_group("  yes, I have USED peer support ")
    labels = dict(survey.factors.values_list("code", "label"))
    assert found.group == "Yes, I have used peer support" and found.n == 10
    assert found.question.kind == Kind.BEST_WORST
    assert len(found.factors) == 6 and found.factors[0].label == labels[codes[-1]]
    assert labels[codes[0]] not in [f.label for f in found.factors]  # their least important
    assert found.factors[0].place == 1 and found.factors[0].value == pytest.approx(1.0)


def test_top_factors_for_group_shows_nothing_unpublished_small_or_unknown(survey, contributor):
    respond(survey, 10, group_option=0)
    assert selectors.top_factors_for_group("Yes, I have used peer support") is None  # not published
    services.update_exercise(survey, {"results_public": True, "min_group_size": 11}, actor=contributor)
    assert selectors.top_factors_for_group("Yes, I have used peer support") is None  # group too small
    assert selectors.top_factors_for_group("Nobody") is None
    assert selectors.top_factors_for_group("") is None


def test_published_groups_lists_only_groups_that_top_factors_can_speak_for(survey, workshop, contributor):
    respond(survey, 10, group_option=0)
    respond(survey, 9, group_option=1)  # too small to be shown
    respond(workshop, 12, group_option=2)  # no ranked question: dots and MoSCoW only
    services.update_exercise(workshop, {"results_public": True}, actor=contributor)
    assert selectors.published_groups() == []  # the survey's results are not published yet
    services.update_exercise(survey, {"results_public": True}, actor=contributor)
    assert selectors.published_groups() == ["Yes, I have used peer support"]
    assert all(selectors.top_factors_for_group(g) is not None for g in selectors.published_groups())


def test_survey_steps_give_each_best_worst_set_its_own_page(survey):
    steps = selectors.survey_steps(selectors.questions_of(survey))
    bws = survey.questions.get(kind=Kind.BEST_WORST)
    assert steps[0].question.defines_groups
    assert [s.set_index for s in steps if s.question == bws] == list(range(len(bws.design)))
    assert [s.number for s in steps] == list(range(1, len(steps) + 1))


def test_the_live_round_counts_answers_so_far(workshop, contributor):
    dots = workshop.questions.get(kind=Kind.DOTS)
    services.open_round(workshop, dots, actor=contributor)
    respond(workshop, 2)
    workshop.refresh_from_db()
    live = selectors.live_round(workshop)
    assert (live.participants, live.answers) == (2, 2)
    assert live.result.ranked("all")[0].values["all"].value == 10
