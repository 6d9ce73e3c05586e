import pytest

from peerhub.whatmatters import services
from peerhub.whatmatters.models import Response
from peerhub.whatmatters.tests.helpers import answers_for, respond

pytestmark = pytest.mark.django_db


def _body(survey, key="api-key-0000000000001", **extra):
    return {"consent": True, "idempotency_key": key, "answers": answers_for(survey), **extra}


def test_it_accepts_a_complete_response_once(client, survey):
    url = f"/api/what-matters/surveys/{survey.public_key}/responses"
    first = client.post(url, _body(survey), content_type="application/json")
    assert first.status_code == 201 and first.json()["group"] == "Yes, I have used peer support"
    again = client.post(url, _body(survey), content_type="application/json")
    assert again.status_code == 409 and "sent twice" in again.json()["detail"]
    assert Response.objects.count() == 1


def test_it_points_at_the_bad_answer(client, survey):
    body = _body(survey)
    body["answers"]["q4"] = 12
    response = client.post(f"/api/what-matters/surveys/{survey.public_key}/responses", body,
                           content_type="application/json")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "answers", "q4"]
    assert "not 12" in response.json()["detail"][0]["msg"]
    assert not Response.objects.exists()


def test_it_refuses_without_consent_or_for_an_unknown_survey(client, survey):
    body = _body(survey, consent=False)
    response = client.post(f"/api/what-matters/surveys/{survey.public_key}/responses", body,
                           content_type="application/json")
    assert response.status_code == 422 and "agree to take part" in response.json()["detail"][0]["msg"]
    assert client.post("/api/what-matters/surveys/nope/responses", body,
                       content_type="application/json").status_code == 404


def test_it_lists_and_describes_only_published_results(client, survey, contributor):
    respond(survey, 10)
    assert client.get("/api/what-matters/exercises").json() == []
    assert client.get(f"/api/what-matters/exercises/{survey.pk}").status_code == 404
    services.update_exercise(survey, {"results_public": True}, actor=contributor)
    listed = client.get("/api/what-matters/exercises").json()
    assert [e["id"] for e in listed] == [survey.pk] and listed[0]["responses"] == 10
    detail = client.get(f"/api/what-matters/exercises/{survey.pk}").json()
    assert detail["factors"][4]["origin"] == "hub_draft"
    bws = next(r for r in detail["results"] if r["question"] == "q2")
    assert bws["items"][0]["values"]["all"]["estimate"] is not None and bws["headlines"]


def test_the_survey_questions_are_readable_by_key(client, survey):
    data = client.get(f"/api/what-matters/surveys/{survey.public_key}").json()
    assert data["consent_text"] == survey.consent_text and data["questions"][1]["kind"] == "best_worst"


def test_the_openapi_document_describes_the_router(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/what-matters/exercises", "/api/what-matters/exercises/{exercise_id}",
            "/api/what-matters/surveys/{key}/responses"} <= set(paths)
