import re

import pytest
from django.urls import reverse

from peerhub.whatmatters import services
from peerhub.whatmatters.models import Exercise, Kind, Question
from peerhub.whatmatters.tests.helpers import respond

pytestmark = pytest.mark.django_db

ORGANISER_PAGES = ["manage", "edit", "factors", "question_add", "facilitate", "facilitate_live", "import",
                   "export_estimates", "export_responses"]


def assert_csp_safe(html: str) -> None:
    assert ' style="' not in html and "<script>" not in html and " onclick=" not in html


@pytest.mark.parametrize("name", ORGANISER_PAGES)
@pytest.mark.parametrize(("persona", "expected"), [
    ("visitor", 302), ("other", 404), ("contributor", 200), ("curator", 200), ("admin", 200),
])
def test_organiser_pages_are_for_the_organiser_and_curators(survey, personas, other_contributor, client_for, name,
                                                            persona, expected):
    user = other_contributor if persona == "other" else personas[persona]
    response = client_for(user).get(reverse(f"whatmatters:{name}", args=[survey.pk]))
    assert response.status_code == expected
    if expected == 200 and response["Content-Type"].startswith("text/html"):
        assert_csp_safe(response.content.decode())


@pytest.mark.parametrize("name", ["export_estimates", "export_responses", "manage"])
def test_published_results_do_not_open_the_organisers_data_to_others(survey, contributor, other_contributor,
                                                                      client_for, name):
    services.update_exercise(survey, {"results_public": True}, actor=contributor)
    assert client_for(other_contributor).get(reverse(f"whatmatters:{name}", args=[survey.pk])).status_code == 403


@pytest.mark.parametrize(("persona", "published", "expected"), [
    ("visitor", False, 404), ("visitor", True, 200), ("contributor", False, 200), ("curator", False, 200),
])
def test_the_results_page_is_public_only_once_published(survey, personas, client_for, persona, published, expected):
    services.update_exercise(survey, {"results_public": published}, actor=survey.organiser)
    response = client_for(personas[persona]).get(reverse("whatmatters:results", args=[survey.pk]))
    assert response.status_code == expected


def test_the_results_page_shows_charts_tables_headlines_and_says_what_is_hidden(survey, client_for, contributor):
    codes = list(survey.factors.values_list("code", flat=True))
    respond(survey, 10, codes, group_option=0)
    respond(survey, 10, codes[::-1], group_option=1)
    respond(survey, 2, codes, group_option=2)
    html = client_for(contributor).get(reverse("whatmatters:results", args=[survey.pk])).content.decode()
    assert_csp_safe(html)
    assert html.count('<svg class="wm-chart"') >= 5 and html.count('<table class="nhsuk-table">') >= 5
    assert 'role="img" aria-labelledby=' in html
    assert "Each group's top six" in html and "How the groups' top six compare" in html
    assert "Clearly more important than to:" in html
    assert "1 group with fewer than 10 people is not shown separately" in html
    assert "95% CI" in html


def test_the_estimates_and_raw_responses_download_as_csv(survey, client_for, contributor):
    respond(survey, 10)
    client = client_for(contributor)
    estimates = client.get(reverse("whatmatters:export_estimates", args=[survey.pk]))
    assert estimates["Content-Type"] == "text/csv; charset=utf-8"
    lines = estimates.content.decode().splitlines()
    assert lines[0] == "question,statistic,item,group,estimate,se,df,ci_l,ci_u"
    assert any(",best-worst stdBW," in line for line in lines)
    raw = client.get(reverse("whatmatters:export_responses", args=[survey.pk])).content.decode().splitlines()
    assert raw[0].startswith("response,source,submitted_at,group,weight,strata,cluster,fpc,q1,q2_s1_best")
    assert len(raw) == 11


def test_an_organiser_builds_an_exercise_from_nothing(client_for, contributor):
    client = client_for(contributor)
    response = client.post(reverse("whatmatters:create"), {
        "title": "Our board", "summary": "", "mode": "workshop", "consent_text": "OK?", "min_group_size": 5,
    })
    exercise = Exercise.objects.get(title="Our board")
    assert response.url == reverse("whatmatters:manage", args=[exercise.pk])
    client.post(reverse("whatmatters:factors", args=[exercise.pk]), {"factors": "Access | One\nTwo\nThree"})
    assert list(exercise.factors.values_list("code", "area")) == [("F1", "Access"), ("F2", ""), ("F3", "")]
    client.post(reverse("whatmatters:question_add", args=[exercise.pk]), {
        "kind": "dots", "prompt": "Vote", "scale_min": 1, "scale_max": 5, "votes": 3, "set_size": 2,
    })
    client.post(reverse("whatmatters:status", args=[exercise.pk]), {"status": "open"})
    exercise.refresh_from_db()
    assert exercise.status == "open" and exercise.questions.get().kind == Kind.DOTS


def test_a_bad_question_gets_a_clear_error_not_a_crash(client_for, survey, contributor):
    response = client_for(contributor).post(reverse("whatmatters:question_add", args=[survey.pk]), {
        "kind": "single", "prompt": "Pick", "options_text": "Only", "scale_min": 1, "scale_max": 5, "votes": 3,
        "set_size": 4,
    })
    assert response.status_code == 200
    assert "A choice question needs at least two options" in response.content.decode()


def test_a_locked_exercise_says_why_it_cannot_change(client_for, survey, contributor):
    respond(survey, 1)
    question = survey.questions.first()
    response = client_for(contributor).post(
        reverse("whatmatters:question_delete", args=[survey.pk, question.pk]), follow=True)
    assert "can no longer change" in response.content.decode()
    assert Question.objects.filter(pk=question.pk).exists()


def test_the_facilitator_opens_and_closes_rounds(client_for, workshop, contributor):
    dots = workshop.questions.get(kind=Kind.DOTS)
    client = client_for(contributor)
    client.post(reverse("whatmatters:round", args=[workshop.pk]), {"question": dots.pk})
    workshop.refresh_from_db()
    assert workshop.open_question == dots
    live = client.get(reverse("whatmatters:facilitate_live", args=[workshop.pk])).content.decode()
    assert 'hx-trigger="every 3s"' in live and "Refresh the results" in live
    client.post(reverse("whatmatters:round", args=[workshop.pk]), {"action": "close"})
    workshop.refresh_from_db()
    assert workshop.open_question is None
    response = client.post(reverse("whatmatters:round", args=[workshop.pk]), {"question": "abc"}, follow=True)
    assert "Choose which question to open" in response.content.decode()


def test_importing_a_file_through_the_page_lists_its_problems(client_for, survey, contributor):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.csv", b"weight,q1\nheavy,Yes\n", content_type="text/csv")
    response = client_for(contributor).post(reverse("whatmatters:import", args=[survey.pk]), {"file": upload})
    assert "line 2: weight “heavy” is not a number" in response.content.decode()


def test_the_index_lists_exercises_in_a_fixed_number_of_queries(client_for, contributor, curator,
                                                                django_assert_num_queries):
    for n in range(3):
        services.create_exercise({"title": f"Exercise {n}", "results_public": True}, organiser=contributor)
    client = client_for(curator)
    with django_assert_num_queries(4):  # session, user, public list, curator's list
        html = client.get(reverse("whatmatters:index")).content.decode()
    assert html.count("Exercise ") >= 3
    for n in range(3, 8):
        services.create_exercise({"title": f"Exercise {n}"}, organiser=contributor)
    with django_assert_num_queries(4):
        client.get(reverse("whatmatters:index"))


def test_the_results_page_query_count_does_not_grow_with_respondents(client_for, survey, contributor,
                                                                     django_assert_num_queries):
    respond(survey, 10)
    client = client_for(contributor)
    client.get(reverse("whatmatters:results", args=[survey.pk]))
    with django_assert_num_queries(8) as first:
        client.get(reverse("whatmatters:results", args=[survey.pk]))
    respond(survey, 10)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(reverse("whatmatters:results", args=[survey.pk]))


def test_the_facilitator_screen_has_no_inline_styles_or_scripts(client_for, workshop, contributor):
    html = client_for(contributor).get(reverse("whatmatters:facilitate", args=[workshop.pk])).content.decode()
    assert_csp_safe(html)
    assert re.search(r"wm-code\">[A-Z0-9]{6}<", html)
