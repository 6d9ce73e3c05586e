import pytest

from peerhub.audit.models import AuditEvent
from peerhub.whatmatters import services
from peerhub.whatmatters.instruments import NATIONAL_FACTORS
from peerhub.whatmatters.models import Answer, FactorOrigin, Kind, Response, ResponseStatus, Status
from peerhub.whatmatters.tests.helpers import answers_for, token

pytestmark = pytest.mark.django_db


def test_it_creates_the_default_instrument_with_the_national_factors_and_labelled_hub_drafts(contributor):
    exercise = services.create_from_template("survey", organiser=contributor)
    factors = list(exercise.factors.all())
    assert [f.label for f in factors[:4]] == NATIONAL_FACTORS
    assert {f.origin for f in factors[:4]} == {FactorOrigin.NATIONAL}
    assert factors[4].origin == FactorOrigin.HUB_DRAFT
    assert FactorOrigin.HUB_DRAFT.label == "The hub's own draft, not the national survey's list"
    assert exercise.questions.filter(defines_groups=True).count() == 1
    assert AuditEvent.objects.filter(subject_type=services.SUBJECT, action="created").exists()


def test_it_gives_a_best_worst_question_a_balanced_design_over_the_factors(survey):
    question = survey.questions.get(kind=Kind.BEST_WORST)
    codes = set(survey.factors.values_list("code", flat=True))
    shown = [code for block in question.design for code in block]
    assert set(shown) == codes
    assert len({shown.count(code) for code in codes}) == 1


def test_it_puts_the_labs_challenges_on_the_workshop_cards(contributor):
    exercise = services.create_from_template("workshop", organiser=contributor)
    labels = set(exercise.factors.values_list("label", flat=True))
    assert {"Ensure health professionals routinely and reliably refer to, and promote, peer support services",
            "Shifting power from 'over' to 'with'", "Create equity between peer support and medical model",
            "Use lived experience to drive the system"} <= labels
    assert set(exercise.factors.values_list("area", flat=True)) == {"Access", "Buy-in and culture", "Evidence",
                                                                     "Workforce"}
    assert set(exercise.questions.values_list("kind", flat=True)) == {Kind.SINGLE, Kind.DOTS, Kind.MOSCOW}


def test_it_keeps_a_factors_code_and_origin_when_the_list_is_edited(contributor):
    exercise = services.create_from_template("survey", organiser=contributor)
    first = exercise.factors.get(label=NATIONAL_FACTORS[0])
    with pytest.raises(services.ExerciseError, match="Each set must show between 2 and 2 factors"):
        services.set_factors(exercise, [("A", ""), ("B", ""), ("C", "")], actor=contributor)
    text = "\n".join([NATIONAL_FACTORS[0], "Access | Something new", *NATIONAL_FACTORS[1:], "Fifth", "Sixth"])
    rows = services.parse_factor_lines(text)
    services.set_factors(exercise, rows, actor=contributor)
    after = {f.label: f for f in exercise.factors.all()}
    assert after[NATIONAL_FACTORS[0]].code == first.code
    assert after["Something new"].origin == FactorOrigin.ORGANISER and after["Something new"].area == "Access"
    assert len(after) == 7 and NATIONAL_FACTORS[0] in after
    design = exercise.questions.get(kind=Kind.BEST_WORST).design
    assert {code for block in design for code in block} <= {f.code for f in after.values()}


def test_it_refuses_repeated_factors_and_changes_once_people_have_answered(survey, contributor):
    with pytest.raises(services.ExerciseError, match="listed more than once"):
        services.set_factors(survey, [("A", ""), ("a", "")], actor=contributor)
    services.submit_complete_response(survey, answers_for(survey), consent=True, token=token())
    with pytest.raises(services.ExerciseError, match="already answered"):
        services.set_factors(survey, [("A", "")], actor=contributor)
    with pytest.raises(services.ExerciseError, match="already answered"):
        services.add_question(survey, {"kind": Kind.RATING, "prompt": "More?"}, actor=contributor)


@pytest.mark.parametrize(("data", "message"), [
    ({"kind": Kind.SINGLE, "prompt": "P", "options": ["Only one"]}, "at least two options"),
    ({"kind": Kind.RATING, "prompt": "P", "defines_groups": True}, "Only a single-choice"),
    ({"kind": Kind.RATING, "prompt": "P", "scale_min": 5, "scale_max": 5}, "top of the scale"),
])
def test_it_rejects_a_question_that_cannot_work(contributor, data, message):
    exercise = services.create_exercise({"title": "T"}, organiser=contributor)
    with pytest.raises(services.ExerciseError, match=message):
        services.add_question(exercise, data, actor=contributor)


def test_it_will_not_open_an_exercise_without_questions(contributor):
    exercise = services.create_exercise({"title": "Empty"}, organiser=contributor)
    with pytest.raises(services.ExerciseError, match="Add at least one question"):
        services.set_status(exercise, Status.OPEN, actor=contributor)


def test_it_writes_a_whole_response_once_and_detects_the_same_token_again(survey):
    key = token()
    response = services.submit_complete_response(survey, answers_for(survey), consent=True, token=key)
    assert response.status == ResponseStatus.COMPLETE
    assert response.group == survey.questions.get(defines_groups=True).options[0]
    assert Answer.objects.filter(response=response).count() == survey.questions.count()
    with pytest.raises(services.DuplicateSubmission):
        services.submit_complete_response(survey, answers_for(survey), consent=True, token=key)
    assert Response.objects.filter(exercise=survey).count() == 1


def test_it_writes_nothing_when_any_answer_is_bad(survey):
    values = answers_for(survey)
    values["q4"] = 99
    with pytest.raises(services.ExerciseError, match="q4: Choose a number from 1 to 5, not 99"):
        services.submit_complete_response(survey, values, consent=True, token=token())
    assert not Response.objects.exists() and not Answer.objects.exists()


def test_it_needs_consent_and_an_open_exercise(survey, contributor):
    with pytest.raises(services.ExerciseError, match="agree to take part"):
        services.start_response(survey, consent=False, token=token())
    services.set_status(survey, Status.CLOSED, actor=contributor)
    with pytest.raises(services.ExerciseError, match="not taking answers"):
        services.start_response(survey, consent=True, token=token())


def test_it_keeps_draft_answers_until_the_person_sends_them(survey):
    response = services.start_response(survey, consent=True, token=token())
    assert response.consent_text == survey.consent_text and response.consented_at
    values = answers_for(survey)
    bws = survey.questions.get(kind=Kind.BEST_WORST)
    with pytest.raises(services.ExerciseError, match="Some questions are not answered"):
        services.submit_response(response, token=token())
    for question in survey.questions.all():
        if question == bws:
            for index, choice in enumerate(values[question.key]):
                services.save_draft_answer(response, question, choice, token=token(), set_index=index)
        else:
            services.save_draft_answer(response, question, values[question.key], token=token())
    assert not Answer.objects.exists()
    response.refresh_from_db()
    services.submit_response(response, token=token())
    assert Answer.objects.filter(response=response).count() == survey.questions.count()
    with pytest.raises(services.DuplicateSubmission, match="already sent"):
        services.submit_response(response, token=token())


def test_it_runs_workshop_rounds_one_at_a_time(workshop, contributor):
    profile = workshop.questions.get(defines_groups=True)
    dots = workshop.questions.get(kind=Kind.DOTS)
    participant = services.join_workshop(workshop, {profile.key: profile.options[1]}, consent=True, token=token())
    assert participant.group == profile.options[1]
    with pytest.raises(services.ExerciseError, match="round has closed"):
        services.answer_round(participant, dots, {"F1": 1}, token=token())
    services.open_round(workshop, dots, actor=contributor)
    services.answer_round(participant, dots, {"F1": 2, "F3": 3}, token=token())
    with pytest.raises(services.DuplicateSubmission, match="already answered this round"):
        services.answer_round(participant, dots, {"F1": 1}, token=token())
    services.close_round(workshop, actor=contributor)
    workshop.refresh_from_db()
    assert workshop.open_question is None


def test_it_refuses_a_malformed_form_token(survey):
    with pytest.raises(services.ExerciseError, match="reload the page"):
        services.start_response(survey, consent=True, token="x")
