"""Crossref harvesting on the real recorded responses: the deep-paging cursor, JATS markup in
titles and abstracts, a DOI Crossref does not know (404), and the 301 Crossref sends before the
CSL-JSON when asked over plain HTTP."""

import copy
from datetime import date

import httpx
import pytest

from peerhub.freshness.harvest import crossref
from peerhub.freshness.harvest.base import HarvestError, Request
from peerhub.freshness.tests.conftest import Replay, cassette, cassette_response, recorded_json
from peerhub.library.importers.text import TAG_RE


def request(query="widget", limit=25, since=None) -> Request:
    return Request(query=query, limit=limit, label=f"Crossref search “{query}” on 2025-06-01", since=since)


def test_the_cursor_is_followed_until_a_page_comes_back_empty():
    first = recorded_json("crossref", "bodies", "test_cursor__0_200.json")
    last = copy.deepcopy(first)
    last["message"]["items"] = []  # how Crossref ends a cursor: a page with no items
    server = Replay(lambda req: httpx.Response(200, json=first if req.url.params["cursor"] == "*" else last,
                                               request=req))
    result = crossref.harvest(server.client(), request(limit=25))
    assert [server.params(i)["cursor"] for i in range(2)] == ["*", first["message"]["next-cursor"]]
    assert result.hits == 454 and len(result.records) == 20 and not result.problems
    assert result.records[0].title == "Widget Mania: Using a GUI Widget Framework"
    assert result.records[0].doi == "10.1007/978-1-4302-0197-7_9"


def test_jats_markup_is_stripped_from_titles_and_abstracts():
    body = recorded_json("crossref", "bodies", "test_works_field_queries__0_200.json")
    server = Replay(lambda req: httpx.Response(200, json=body, request=req))
    records = crossref.harvest(server.client(), request("ecology", limit=20)).records
    titles = {r.doi: r for r in records}
    assert titles["10.1002/fee.70021"].title.startswith("The role of AI in ecology’s computational")
    abstracts = [r.abstract for r in records if r.abstract]
    assert abstracts and not any(TAG_RE.search(text) for text in abstracts + [r.title for r in records])
    assert any(a.startswith("Abstract\n\n") for a in abstracts)  # <jats:title> became its own paragraph


def test_crossref_types_map_to_catalogue_types_without_warnings():
    body = recorded_json("crossref", "bodies", "test_cursor__0_200.json")
    server = Replay(lambda req: httpx.Response(200, json=body, request=req))
    record = crossref.harvest(server.client(), request(limit=1)).records[0]
    assert record.raw_type == "chapter" and record.resource_type == "report" and record.warnings == []


@pytest.fixture
def plain_http(monkeypatch):
    """As in the recording: asked over plain HTTP, Crossref's load balancer answers 301 to HTTPS."""
    monkeypatch.setattr(crossref, "API", "http://api.crossref.org")


def replay_cassettes(*names):
    interactions = [i for name in names for i in cassette(name)]

    def answer(req):
        for interaction in interactions:
            uri = interaction["request"]["uri"]
            if str(req.url.copy_with(query=None)).rstrip("/") == uri or (
                    "notarealdoi" in uri and "notarealdoi" in str(req.url)):
                return cassette_response(interaction, req)
        raise AssertionError(f"no recording for {req.url}")
    return Replay(answer)


def test_a_doi_list_follows_the_301_to_the_csl_json_and_reports_an_unknown_doi(plain_http):
    server = replay_cassettes("test_content_negotiation_citeproc_json", "test_works_bad_id_warn")
    query = "10.1126/science.169.3946.635\nhttps://doi.org/10.1371/notarealdoi"
    result = crossref.harvest(server.client(), request(query))
    assert [r.url.scheme for r in server.requests] == ["http", "https", "http"]
    assert result.hits == 2 and len(result.records) == 1
    water = result.records[0]
    assert water.doi == "10.1126/science.169.3946.635" and water.year == 1970
    assert water.abstract.startswith("The train of thought pursued in this article") and "jats" not in water.abstract
    assert result.problems[0].reason == "Crossref has no record of the DOI 10.1371/notarealdoi"
    assert result.problems[0].position.index == 2


def test_words_are_a_search_and_only_dois_are_a_doi_list():
    assert crossref.doi_list("10.1234/abc doi:10.12345/xyz") == ["10.1234/abc", "10.12345/xyz"]
    assert crossref.doi_list("peer support 10.1234/abc") == []


def test_since_asks_only_for_works_indexed_after_the_last_run():
    server = Replay(lambda req: httpx.Response(200, json={"message": {"items": [], "total-results": 0}},
                                               request=req))
    crossref.harvest(server.client(), request(since=date(2025, 5, 1)))
    assert server.params(0)["filter"] == "from-index-date:2025-05-01"


def test_a_server_error_on_a_search_is_a_clear_error():
    server = Replay(lambda req: httpx.Response(400, text="Bad query", request=req))
    with pytest.raises(HarvestError, match="Crossref answered 400"):
        crossref.harvest(server.client(), request())
