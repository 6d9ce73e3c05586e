import pytest
from django.urls import reverse

from peerhub.whatmatters import services
from peerhub.whatmatters.models import Answer, Kind, Response, ResponseStatus
from peerhub.whatmatters.tests.helpers import answers_for

pytestmark = pytest.mark.django_db


def _token(response) -> str:
    return response.context["form"]["form_token"].value()


def _post_step(client, survey, number, data):
    url = reverse("whatmatters:survey_step", args=[survey.public_key, number])
    return client.post(url, {**data, "form_token": _token(client.get(url))})


def _fields_for(question, value, set_index=None):
    if question.kind in (Kind.SINGLE, Kind.RATING, Kind.MULTIPLE):
        return {"answer": value}
    if question.kind == Kind.RANKING:
        return {f"place_{code}": place for place, code in enumerate(value, start=1)}
    choice = value[set_index]
    return {f"best_{set_index}": choice["best"], f"worst_{set_index}": choice["worst"]}


def _start(client, survey):
    url = reverse("whatmatters:survey_start", args=[survey.public_key])
    return client.post(url, {"consent": "on", "form_token": _token(client.get(url))})


def test_a_visitor_answers_one_page_at_a_time_and_sends_once(client, survey):
    assert _start(client, survey).status_code == 302
    values = answers_for(survey)
    number = 1
    for question in survey.questions.all():
        for set_index in (range(len(question.design)) if question.kind == Kind.BEST_WORST else [None]):
            response = _post_step(client, survey, number, _fields_for(question, values[question.key], set_index))
            assert response.status_code == 302, response.content.decode()[:300]
            number += 1
    assert response.url == reverse("whatmatters:survey_check", args=[survey.public_key])
    assert not Answer.objects.exists()
    check = client.get(response.url)
    token = _token(check)
    client.post(response.url, {"form_token": token})
    again = client.post(response.url, {"form_token": token}, follow=True)
    assert "We have your answers" in again.content.decode()
    stored = Response.objects.get()
    assert stored.status == ResponseStatus.COMPLETE and stored.consent_text == survey.consent_text
    assert Answer.objects.count() == survey.questions.count()


def test_a_bad_answer_is_shown_with_a_clear_error(client, survey):
    _start(client, survey)
    response = _post_step(client, survey, 1, {})
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() and "Choose one option." in response.content.decode()
    ranking_page = next(n for n, q in enumerate(_pages(survey), start=1) if q.kind == Kind.RANKING)
    factors = list(survey.factors.values_list("code", flat=True))
    same = {f"place_{code}": 1 for code in factors}
    response = _post_step(client, survey, ranking_page, same)
    assert "Give each factor a different position: position 1 is used more than once." in response.content.decode()


def _pages(survey):
    return [q for q in survey.questions.all() for _ in (q.design if q.kind == Kind.BEST_WORST else [None])]


def test_the_signed_resume_link_brings_the_person_back_on_another_device(client, survey, django_user_model):
    from django.test import Client

    _start(client, survey)
    _post_step(client, survey, 1, {"answer": survey.questions.first().options[0]})
    page = client.get(reverse("whatmatters:survey_step", args=[survey.public_key, 2]))
    resume = page.context["resume_url"]
    other = Client()
    response = other.get(resume)
    assert response.url == reverse("whatmatters:survey_step", args=[survey.public_key, 2])
    forged = other.get(resume[:-3] + "abc/", follow=True)
    assert "has expired or is not complete" in forged.content.decode()


def test_a_page_without_a_started_response_goes_back_to_the_start(client, survey):
    response = client.get(reverse("whatmatters:survey_step", args=[survey.public_key, 1]))
    assert response.url == reverse("whatmatters:survey_start", args=[survey.public_key])


def test_an_unknown_or_draft_survey_is_not_found(client, survey, contributor):
    assert client.get(reverse("whatmatters:survey_start", args=["nope"])).status_code == 404
    services.set_status(survey, "draft", actor=contributor)
    assert client.get(reverse("whatmatters:survey_start", args=[survey.public_key])).status_code == 404


def test_a_participant_joins_with_the_code_and_answers_the_open_round(client, workshop, contributor):
    response = client.post(reverse("whatmatters:join"), {"code": workshop.join_code.lower()})
    assert response.url == reverse("whatmatters:workshop", args=[workshop.join_code])
    page = client.get(response.url)
    profile = workshop.questions.get(defines_groups=True)
    client.post(response.url, {profile.key: profile.options[0], "consent": "on", "form_token": _token(page)})
    waiting = client.get(response.url).content.decode()
    assert "Wait for the facilitator" in waiting and 'hx-trigger="every 3s"' in waiting
    dots = workshop.questions.get(kind=Kind.DOTS)
    services.open_round(workshop, dots, actor=contributor)
    status = client.get(reverse("whatmatters:workshop_status", args=[workshop.join_code])).content.decode()
    assert "Answer now" in status
    round_page = client.get(response.url)
    codes = list(workshop.factors.values_list("code", flat=True))
    fields = {f"votes_{code}": 0 for code in codes} | {f"votes_{codes[0]}": 9}
    bad = client.post(response.url, {**fields, "form_token": _token(round_page)})
    assert "You have 5 votes in all." in bad.content.decode()
    fields[f"votes_{codes[0]}"] = 5
    client.post(response.url, {**fields, "form_token": _token(round_page)})
    assert Answer.objects.get(question=dots).value == {codes[0]: 5}
    assert "Wait for the facilitator" in client.get(response.url).content.decode()


def test_a_wrong_code_says_so(client):
    response = client.post(reverse("whatmatters:join"), {"code": "ZZZZZZ"})
    assert response.status_code == 400
    assert "There is no open workshop with that code" in response.content.decode()
