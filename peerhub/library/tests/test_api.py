"""The library's JSON API: every answer (success or error) is JSON that validates against the
schema the served OpenAPI document gives for it; access follows peerhub.core.permissions; bad
input is a 4xx naming the field and saves nothing."""

import json

import pytest
from django.db import connection
from django.test import Client

from peerhub.accounts.services import create_api_token
from peerhub.audit.models import AuditEvent
from peerhub.library import services
from peerhub.library.models import Resource, Status, Term
from peerhub.tests.api_contract import assert_documented, served_document

SEARCH = "/api/resources"
ONE = "/api/resources/{resource_id}"
PUBLISH = "/api/resources/{resource_id}/publish"
REJECT = "/api/resources/{resource_id}/reject"
TAXONOMY = "/api/taxonomy"


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def bearer(user) -> dict:
    if user is None:
        return {}
    _token, raw = create_api_token(user, "API tests")
    return {"Authorization": f"Bearer {raw}"}


def send(client, method: str, path: str, body=None, user=None, **path_args):
    """Calls the API as `user` (None: no token), with `body` as JSON (a str is sent as is)."""
    url = path.format(**path_args)
    data = body if isinstance(body, str) or body is None else json.dumps(body)
    kwargs = {"content_type": "application/json"} if data is not None else {}
    return getattr(client, method.lower())(url, data=data, headers=bearer(user), **kwargs)


@pytest.fixture(scope="module")
def document():
    return served_document(Client())  # serving the document needs no database; built once per module


@pytest.fixture
def published(curator):
    return services.create_resource(
        {"title": "Peer support groups for people with depression", "summary": "Weekly groups led by peers.",
         "resource_type": "research_study", "authors": ["Ada Lovelace"], "pub_year": 2021, "pub_month": 5,
         "doi": "10.1000/peer.2021", "quality": "moderate", "access": "free"},
        actor=curator, publish=True, terms=[term("condition", "depression")],
    )


@pytest.fixture
def older_published(curator):
    return services.create_resource(
        {"title": "Diabetes education by peer mentors", "resource_type": "evaluation_report", "pub_year": 2012},
        actor=curator, publish=True, terms=[term("condition", "diabetes")],
    )


@pytest.fixture
def draft(contributor):
    return services.submit_resource(
        {"title": "A contributor's pending suggestion", "resource_type": "toolkit", "url": "https://example.org/kit"},
        submitter=contributor,
    )


def new_submission(**changes) -> dict:
    body = {"title": "Recovery colleges and peer trainers", "resource_type": "report",
            "summary": "How recovery colleges use peer trainers.", "authors": ["Grace Hopper"],
            "publication_date": "2019-03", "link": "https://example.org/recovery-colleges",
            "terms": {"condition": ["psychosis"]}}
    return {**body, **changes}


# --- Search ------------------------------------------------------------------------------


def test_it_lets_a_visitor_search_published_resources_only(client, document, published, draft):
    body = assert_documented(document, SEARCH, "GET", client.get(SEARCH, {"q": "peer"}))
    assert [r["id"] for r in body["results"]] == [published.pk]
    assert body["results"][0]["publication_date"] == "2021-05"
    assert body["results"][0]["terms"] == {"condition": [{"slug": "depression", "name": "Depression"}]}


def test_it_filters_on_a_broader_term_and_includes_narrower_ones(client, document, published, older_published):
    body = assert_documented(document, SEARCH, "GET", client.get(SEARCH, {"condition": "mental-health"}))
    assert [r["id"] for r in body["results"]] == [published.pk]
    assert body["filters"] == {"condition": ["mental-health"]}


def test_it_takes_repeated_vocabulary_parameters_as_all_required(client, published, older_published):
    response = client.get(SEARCH + "?condition=depression&condition=diabetes")
    assert response.status_code == 200
    assert response.json()["total"] == 0


def test_it_filters_by_type_year_and_quality(client, document, published, older_published):
    response = client.get(SEARCH, {"type": "research_study", "year_from": "2020", "quality": "moderate"})
    body = assert_documented(document, SEARCH, "GET", response)
    assert [r["id"] for r in body["results"]] == [published.pk]


def test_it_pages_with_per_page(client, document, published, older_published):
    body = assert_documented(document, SEARCH, "GET", client.get(SEARCH, {"per_page": "1", "page": "2",
                                                                         "sort": "newest"}))
    assert (body["total"], body["page_count"], body["per_page"]) == (2, 2, 1)
    assert [r["id"] for r in body["results"]] == [older_published.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page": "²"}, "page"),
        ({"page": "9" * 5000}, "page"),
        ({"page": "5"}, "page"),  # past the last page
        ({"per_page": "1000"}, "per_page"),
        ({"per_page": "0"}, "per_page"),
        ({"per_page": "-3"}, "per_page"),
        ({"year_from": "abc"}, "year_from"),
        ({"year_from": "2020", "year_to": "2010"}, "year_to"),
        ({"condition": "no-such-condition"}, "condition"),
        ({"type": "novel"}, "type"),
        ({"sort": "random"}, "sort"),
        ({"q": "x" * 10_000}, "q"),
    ],
)
def test_it_rejects_a_bad_search_parameter_with_422_naming_it(client, document, published, params, field):
    body = assert_documented(document, SEARCH, "GET", client.get(SEARCH, params))
    assert [e["loc"] for e in body["detail"]] == [["query", field]]
    assert body["detail"][0]["msg"]


@pytest.mark.parametrize(
    "query",
    [
        '"unclosed phrase (with [brackets] and {braces} 😀 OR -',
        "peer) AND (support ] \\ ' ; -- DROP TABLE",
        "депрессия 抑郁 café ☕ ☃",
        "peer\x00support",
        ('"peer support" OR (groups 😀 [x] ' * 300)[:9_999],
    ],
)
def test_it_never_fails_on_odd_search_text(client, document, published, query):
    response = client.get(SEARCH, {"q": query})
    assert response.status_code in (200, 422)
    assert_documented(document, SEARCH, "GET", response)


# The search's queries: the index token, its facet bitmaps and synonyms (reloaded after the writes
# below), the term lookup, merged terms, the page's records, their terms, the vocabularies; with
# words, the match and the ranking (and the entries' object ids), or the database's date order.
# Facet counts are bitmap intersections: no query at all. On PostgreSQL the match and the ranking
# each set the planner to bitmap scans first (search.backends.BITMAP_SCANS): one more statement each.


@pytest.mark.parametrize(("params", "queries", "full_text_statements"),
                         [({"q": "peer", "condition": "mental-health"}, 10, 2),
                          ({"type": "research_study"}, 7, 0),
                          ({"q": "peer", "sort": "newest", "per_page": "100"}, 9, 1)])
def test_it_runs_a_fixed_number_of_queries_for_a_search(client, django_assert_num_queries, curator, published,
                                                         params, queries, full_text_statements):
    if connection.vendor == "postgresql":
        queries += full_text_statements
    for n in range(5):  # more results, more terms: the same number of queries
        services.create_resource({"title": f"Peer support study {n}", "resource_type": "research_study"},
                                 actor=curator, publish=True, terms=[term("condition", "anxiety"),
                                                                     term("community", "carers-and-families")])
    with django_assert_num_queries(queries):
        response = client.get(SEARCH, params)
    assert response.json()["total"] == 6


# --- One resource and the taxonomy ------------------------------------------------------


def test_it_shows_a_published_resource_to_a_visitor(client, document, published):
    body = assert_documented(document, ONE, "GET", send(client, "GET", ONE, resource_id=published.pk))
    assert body["status"] == {"value": "published", "label": "Published"}
    assert body["quality"]["meaning"]
    assert body["exports"]["ris"].endswith(".ris")


@pytest.mark.parametrize(("persona", "status"), [("visitor", 404), ("other_contributor", 404), ("contributor", 200),
                                                 ("curator", 200)])
def test_it_shows_a_draft_only_to_its_submitter_and_curators(client, document, draft, other_contributor, personas,
                                                              persona, status):
    user = other_contributor if persona == "other_contributor" else personas[persona]
    response = send(client, "GET", ONE, user=user, resource_id=draft.pk)
    body = assert_documented(document, ONE, "GET", response)
    assert response.status_code == status
    assert status == 404 or body["status"]["value"] == "submitted"


@pytest.mark.parametrize("resource_id", [987654, -1, 10**30])
def test_it_answers_404_in_json_for_a_missing_resource(client, document, db, resource_id):
    body = assert_documented(document, ONE, "GET", send(client, "GET", ONE, resource_id=resource_id))
    assert body == {"detail": "No such resource."}


def test_it_rejects_a_resource_id_that_is_not_a_number(client, document, db):
    body = assert_documented(document, ONE, "GET", client.get("/api/resources/abc"))
    assert body["detail"][0]["loc"] == ["path", "resource_id"]


def test_it_serves_the_taxonomy_tree(client, document, db):
    body = assert_documented(document, TAXONOMY, "GET", client.get(TAXONOMY))
    condition = next(v for v in body if v["slug"] == "condition")
    mental_health = next(t for t in condition["terms"] if t["slug"] == "mental-health")
    assert "depression" in [child["slug"] for child in mental_health["children"]]


# --- Submitting --------------------------------------------------------------------------


def test_it_lets_a_contributor_submit_a_resource_for_review(client, document, contributor):
    response = send(client, "POST", SEARCH, new_submission(), user=contributor)
    body = assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 201
    resource = Resource.objects.get(pk=body["id"])
    assert (resource.status, resource.submitted_by, resource.url) == (
        Status.SUBMITTED, contributor, "https://example.org/recovery-colleges")
    assert (resource.pub_year, resource.pub_month, resource.pub_day) == (2019, 3, None)
    assert body["terms"] == {"condition": [{"slug": "psychosis", "name": "Psychosis"}]}
    assert AuditEvent.objects.filter(subject_id=str(resource.pk), action="submitted").exists()


def test_it_refuses_a_submission_without_a_token(client, document, db):
    response = send(client, "POST", SEARCH, new_submission())
    assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert not Resource.objects.exists()


def test_it_answers_409_for_a_likely_duplicate_and_saves_nothing(client, document, contributor, published):
    response = send(client, "POST", SEARCH, new_submission(doi="https://doi.org/10.1000/PEER.2021"),
                    user=contributor)
    body = assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 409
    assert body["duplicates"] == [{"id": published.pk, "title": published.title, "url": published.get_absolute_url(),
                                   "reason": "the same DOI"}]
    assert Resource.objects.count() == 1


def test_it_accepts_a_confirmed_non_duplicate(client, contributor, published):
    body = new_submission(doi="10.1000/peer.2021", confirm_not_duplicate=True)
    assert send(client, "POST", SEARCH, body, user=contributor).status_code == 201
    assert Resource.objects.count() == 2


def test_it_does_not_reveal_another_persons_draft_as_a_duplicate(client, document, other_contributor, draft):
    response = send(client, "POST", SEARCH, new_submission(link="http://www.example.org/kit/"),
                    user=other_contributor)
    body = assert_documented(document, SEARCH, "POST", response)
    assert body["duplicates"] == [{"id": None, "title": None, "url": None, "reason": "the same web address"}]


def test_it_answers_400_for_a_malformed_json_body(client, document, contributor):
    response = send(client, "POST", SEARCH, '{"title": "Unclosed', user=contributor)
    assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 400
    assert not Resource.objects.exists()


@pytest.mark.parametrize(
    ("changes", "loc"),
    [
        ({"title": 123}, ["body", "title"]),
        ({"title": "   "}, ["body", "title"]),
        ({"authors": "Grace Hopper"}, ["body", "authors"]),
        ({"resource_type": "novel"}, ["body", "resource_type"]),
        ({"access": 7}, ["body", "access"]),
        ({"publication_date": "2021-13"}, ["body", "publication_date"]),
        ({"publication_date": "2021-02-30"}, ["body", "publication_date"]),
        ({"publication_date": "May 2021"}, ["body", "publication_date"]),
        ({"status": "published"}, ["body", "status"]),
        ({"quality": "high"}, ["body", "quality"]),  # curators appraise; submitters cannot
        ({"terms": {"condition": ["no-such-condition"]}}, ["body", "terms", "condition"]),
        ({"terms": {"no-such-vocabulary": ["x"]}}, ["body", "terms", "no-such-vocabulary"]),
        ({"terms": ["psychosis"]}, ["body", "terms"]),
        ({"title": "t" * 501}, ["body", "title"]),  # the model's own limit, found by full_clean
        ({"link": "not a web address"}, ["body", "link"]),
        ({"organisation": "o" * 256}, ["body", "organisation"]),
        ({"title": "Peer\x00support"}, ["body", "title"]),  # PostgreSQL cannot store NUL
        ({"authors": ["Grace\x00Hopper"]}, ["body", "authors"]),
        ({"terms": {"condition": ["psy\x00chosis"]}}, ["body", "terms"]),
        ({"summary": "half an emoji \ud83d"}, ["body", "summary"]),  # a lone surrogate
    ],
)
def test_it_rejects_a_bad_field_with_422_naming_it_and_saves_nothing(client, document, contributor, changes, loc):
    response = send(client, "POST", SEARCH, new_submission(**changes), user=contributor)
    body = assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 422
    assert loc in [error["loc"] for error in body["detail"]]
    assert not Resource.objects.exists()
    assert not AuditEvent.objects.filter(action="submitted").exists()


def test_it_rejects_a_body_that_is_not_an_object(client, document, contributor):
    response = send(client, "POST", SEARCH, [new_submission()], user=contributor)
    assert_documented(document, SEARCH, "POST", response)
    assert response.status_code == 422


def test_it_reports_every_missing_required_field(client, document, contributor):
    body = assert_documented(document, SEARCH, "POST", send(client, "POST", SEARCH, {}, user=contributor))
    assert {tuple(e["loc"]) for e in body["detail"]} == {("body", "title"), ("body", "resource_type")}


# --- Curating ----------------------------------------------------------------------------


@pytest.mark.parametrize(("persona", "status"), [("visitor", 401), ("contributor", 403), ("curator", 200),
                                                 ("admin", 200)])
def test_it_lets_only_curators_edit(client, document, personas, draft, persona, status):
    response = send(client, "PATCH", ONE, {"title": "A clearer title"}, user=personas[persona], resource_id=draft.pk)
    assert_documented(document, ONE, "PATCH", response)
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.title == "A clearer title") == (status == 200)


def test_it_changes_only_the_fields_sent(client, document, curator, draft):
    body = {"quality": "high", "appraisal_rationale": "Large, well-run trial.", "last_checked": "2024-06-01",
            "terms": {"condition": ["anxiety"], "community": ["carers-and-families"]}}
    response = send(client, "PATCH", ONE, body, user=curator, resource_id=draft.pk)
    answer = assert_documented(document, ONE, "PATCH", response)
    draft.refresh_from_db()
    assert (draft.title, draft.url, draft.quality) == ("A contributor's pending suggestion", "https://example.org/kit",
                                                       "high")
    assert answer["last_checked"] == "2024-06-01"
    assert set(answer["terms"]) == {"condition", "community"}


def test_it_clears_a_field_sent_as_null(client, curator, published):
    send(client, "PATCH", ONE, {"publication_date": None, "access": None}, user=curator, resource_id=published.pk)
    published.refresh_from_db()
    assert (published.pub_year, published.pub_month, published.access) == (None, None, "")


def test_it_rejects_an_edit_that_breaks_the_record_and_keeps_it_unchanged(client, document, curator, draft):
    response = send(client, "PATCH", ONE, {"title": None, "summary": "A new summary"}, user=curator,
                    resource_id=draft.pk)
    body = assert_documented(document, ONE, "PATCH", response)
    assert response.status_code == 422
    assert ["body", "title"] in [e["loc"] for e in body["detail"]]
    draft.refresh_from_db()
    assert (draft.title, draft.summary) == ("A contributor's pending suggestion", "")


def test_it_answers_404_when_a_curator_edits_a_missing_resource(client, document, curator):
    response = send(client, "PATCH", ONE, {"title": "x"}, user=curator, resource_id=987654)
    assert_documented(document, ONE, "PATCH", response)
    assert response.status_code == 404


@pytest.mark.parametrize(("persona", "status"), [("visitor", 401), ("contributor", 403), ("curator", 200)])
def test_it_lets_only_curators_publish(client, document, personas, draft, persona, status):
    response = send(client, "POST", PUBLISH, user=personas[persona], resource_id=draft.pk)
    assert_documented(document, PUBLISH, "POST", response)
    assert response.status_code == status
    draft.refresh_from_db()
    assert (draft.status == Status.PUBLISHED) == (status == 200)


def test_a_published_draft_becomes_visible_to_visitors(client, curator, draft):
    send(client, "POST", PUBLISH, user=curator, resource_id=draft.pk)
    assert send(client, "GET", ONE, resource_id=draft.pk).status_code == 200


def test_it_lets_a_curator_reject_with_a_reason(client, document, curator, draft):
    response = send(client, "POST", REJECT, {"reason": "  Not about peer support.  "}, user=curator,
                    resource_id=draft.pk)
    body = assert_documented(document, REJECT, "POST", response)
    assert body["status"]["value"] == "rejected"
    draft.refresh_from_db()
    assert draft.rejection_reason == "Not about peer support."


@pytest.mark.parametrize("body", [{}, {"reason": "   "}, {"reason": None}, {"reason": "x", "extra": 1},
                                  {"reason": "\x00"}])
def test_it_rejects_a_rejection_without_a_reason(client, document, curator, draft, body):
    response = send(client, "POST", REJECT, body, user=curator, resource_id=draft.pk)
    assert_documented(document, REJECT, "POST", response)
    assert response.status_code == 422
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_it_refuses_to_reject_a_published_resource(client, document, curator, published):
    response = send(client, "POST", REJECT, {"reason": "Changed our minds"}, user=curator, resource_id=published.pk)
    assert_documented(document, REJECT, "POST", response)
    assert response.status_code == 409
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED


def test_it_lets_a_contributor_not_reject(client, document, contributor, draft):
    response = send(client, "POST", REJECT, {"reason": "Mine anyway"}, user=contributor, resource_id=draft.pk)
    assert_documented(document, REJECT, "POST", response)
    assert response.status_code == 403


# --- Transport ---------------------------------------------------------------------------


def test_a_token_write_needs_no_csrf_token(document, contributor):
    strict = Client(enforce_csrf_checks=True)
    response = send(strict, "POST", SEARCH, new_submission(), user=contributor)
    assert response.status_code == 201

