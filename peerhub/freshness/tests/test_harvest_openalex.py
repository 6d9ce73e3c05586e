"""OpenAlex harvesting on the real recorded /works answer: abstracts rebuilt from the inverted
index, identifiers from OpenAlex's URLs, and cursor paging that stops when no cursor comes back."""

import copy

import httpx

from peerhub.freshness.harvest import openalex
from peerhub.freshness.harvest.base import Request
from peerhub.freshness.tests.conftest import Replay, recorded_json
from peerhub.library.importers.text import TAG_RE

RECORDING = ("openalex", "peneira-works-ml-public-health.json")


def request(limit=100) -> Request:
    return Request(query="machine learning public health", limit=limit, label="OpenAlex search on 2025-06-01")


def test_abstracts_are_rebuilt_from_the_inverted_index_in_word_order():
    assert openalex.rebuild_abstract({"support": [1, 3], "Peer": [0], "helps;": [2]}) == "Peer support helps; support"
    assert openalex.rebuild_abstract(None) == ""
    work = recorded_json(*RECORDING)["results"][0]
    text = openalex.rebuild_abstract(work["abstract_inverted_index"])
    assert text.startswith("Existing climate classification has not been designed for an efficient handling of "
                           "public health scenarios. This work aims to")
    assert len(text.split()) == sum(len(p) for p in work["abstract_inverted_index"].values())


def test_one_page_without_a_next_cursor_is_the_whole_result():
    server = Replay(lambda req: httpx.Response(200, json=recorded_json(*RECORDING), request=req))
    result = openalex.harvest(server.client(), request())
    assert len(server.requests) == 1 and server.params(0)["cursor"] == "*"
    assert result.hits == 49 and len(result.records) == 49 and not result.problems
    without_abstract = [r.title for r in result.records if not r.abstract]
    assert without_abstract == ["BigData and Machine Learning for Public Health", "Machine Learning in Public Health: "
                                "A Review", "New Research Agenda: Potentials Use of Machine Learning for Public Health"]


def test_jats_sections_in_rebuilt_abstracts_become_paragraphs():
    server = Replay(lambda req: httpx.Response(200, json=recorded_json(*RECORDING), request=req))
    records = {r.title: r for r in openalex.harvest(server.client(), request()).records}
    preprint = records["Crowdsourcing for Machine Learning in Public Health Surveillance: Lessons Learned From "
                       "Amazon Mechanical Turk (Preprint)"]
    assert preprint.abstract.startswith("BACKGROUND\n\nCrowdsourcing services, such as Amazon Mechanical Turk")
    assert "\n\nOBJECTIVE\n\nThis study aims" in preprint.abstract
    assert not any(TAG_RE.search(r.abstract) for r in records.values())


def test_identifiers_authors_and_journal_come_from_openalex_urls_and_locations():
    server = Replay(lambda req: httpx.Response(200, json=recorded_json(*RECORDING), request=req))
    first = openalex.harvest(server.client(), request(limit=1)).records[0]
    assert (first.doi, first.pmid, first.year, first.month) == ("10.4081/gh.2014.294", "25599636", 2014, 12)
    assert first.authors[0] == "Liss, Alexander" and first.journal == "Geospatial Health"
    assert first.url == "https://doi.org/10.4081/gh.2014.294"


def test_next_cursor_is_followed():
    page = recorded_json(*RECORDING)
    first, second = copy.deepcopy(page), copy.deepcopy(page)
    first["results"], first["meta"]["next_cursor"] = page["results"][:20], "IlsxNjA5MzcyODAwMDAwXSI="
    second["results"], second["meta"]["next_cursor"] = page["results"][20:], None
    server = Replay(lambda req: httpx.Response(200, json=first if req.url.params["cursor"] == "*" else second,
                                               request=req))
    result = openalex.harvest(server.client(), request())
    assert [server.params(i)["cursor"] for i in range(2)] == ["*", first["meta"]["next_cursor"]]
    assert len(result.records) == 49 and result.records[20].position.index == 21
