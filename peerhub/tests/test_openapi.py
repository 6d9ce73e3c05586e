"""The served OpenAPI document: valid OpenAPI, complete (every endpoint with its success and
error answers, the search page's parameters, the token requirement), and the contract checker
the API tests rely on really catches a body that does not match."""

import pytest
from django.http import JsonResponse
from django.test import Client
from openapi_spec_validator import validate

from peerhub.library.facets import CHOICE_FACETS, VOCABULARY_FACETS
from peerhub.tests.api_contract import assert_documented, served_document

ENDPOINTS = {
    ("/api/resources", "get"): {"200", "422"},
    ("/api/resources", "post"): {"201", "400", "401", "403", "409", "422"},
    ("/api/resources/{resource_id}", "get"): {"200", "401", "404", "422"},
    ("/api/resources/{resource_id}", "patch"): {"200", "400", "401", "403", "404", "422"},
    ("/api/resources/{resource_id}/publish", "post"): {"200", "401", "403", "404"},
    ("/api/resources/{resource_id}/reject", "post"): {"200", "401", "403", "404", "409", "422"},
    ("/api/taxonomy", "get"): {"200"},
}
# Endpoints whose success is a file (RIS, BibTeX, CSL-JSON, CSV), not a JSON body.
FILE_ENDPOINTS = {("/api/resources/export", "get"): {"200", "422"}}


@pytest.fixture(scope="module")
def document():
    return served_document(Client())


def operations(document):
    return {(path, method): op for path, item in document["paths"].items() for method, op in item.items()}


def test_the_served_document_is_valid_openapi(document):
    validate(document)
    assert document["openapi"].startswith("3.")


def test_it_documents_every_library_endpoint_and_no_other(document):
    library = {key for key in operations(document) if key[0].startswith(("/api/resources", "/api/taxonomy"))}
    assert library == set(ENDPOINTS) | set(FILE_ENDPOINTS)


def test_it_hides_the_catch_all_for_unknown_addresses(document):
    assert not [path for path in document["paths"] if "{rest}" in path or "{path:" in path]


@pytest.mark.parametrize(("path", "method"), sorted(ENDPOINTS))
def test_it_documents_each_answer_with_a_json_schema(document, path, method):
    responses = operations(document)[(path, method)]["responses"]
    assert ENDPOINTS[(path, method)] <= set(responses)
    for status, answer in responses.items():
        schema = answer["content"]["application/json"]["schema"]
        assert schema, f"{method} {path} {status} has an empty schema"


def test_it_documents_the_search_pages_parameters(document):
    parameters = {p["name"]: p for p in operations(document)[("/api/resources", "get")]["parameters"]}
    expected = {"q", "year_from", "year_to", "sort", "page", "per_page", *CHOICE_FACETS, *VOCABULARY_FACETS}
    assert set(parameters) == expected
    assert all(parameters[v]["schema"]["type"] == "array" and parameters[v]["explode"] for v in VOCABULARY_FACETS)
    assert parameters["per_page"]["schema"]["maximum"] == 100
    assert "research_study" in parameters["type"]["schema"]["enum"]


def test_it_marks_writes_as_needing_a_bearer_token_and_reads_as_open(document):
    assert document["components"]["securitySchemes"]["ApiTokenAuth"] == {"type": "http", "scheme": "bearer"}
    ops = operations(document)
    for key in ENDPOINTS:
        if key[1] != "get":
            assert ops[key]["security"] == [{"ApiTokenAuth": []}], key
    assert {} in ops[("/api/resources/{resource_id}", "get")]["security"]
    assert "security" not in ops[("/api/resources", "get")]


def test_it_serves_no_interactive_docs_page(client, db):
    # Swagger UI loads inline scripts, which the site's Content Security Policy forbids.
    response = client.get("/api/docs")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")


def test_the_contract_check_catches_a_body_that_does_not_match(document):
    wrong = JsonResponse({"detail": "a string where a list of field errors belongs"}, status=422)
    with pytest.raises(AssertionError, match="detail"):
        assert_documented(document, "/api/resources", "GET", wrong)


def test_the_contract_check_catches_an_undocumented_status(document):
    with pytest.raises(AssertionError, match="does not list"):
        assert_documented(document, "/api/taxonomy", "GET", JsonResponse({"detail": "x"}, status=418))


def test_the_contract_check_follows_references_into_the_components(document):
    summary_without_title = {"id": 1, "url": "/library/1/"}
    page = {"query": "", "query_words": None, "filters": {}, "sort": "relevance", "page": 1, "per_page": 20,
            "total": 1, "page_count": 1, "results": [summary_without_title], "facets": [], "errors": {}}
    with pytest.raises(AssertionError, match="title"):
        assert_documented(document, "/api/resources", "GET", JsonResponse(page))
