"""Europe PMC harvesting, on the real recorded responses: core and lite JSON, XML, cursor paging
across ten recorded pages, zero hits, and the HTML markup in structured abstracts."""

from datetime import date
from urllib.parse import unquote

import httpx
import pytest

from peerhub.freshness.harvest import europepmc
from peerhub.freshness.harvest.base import HarvestError, Request
from peerhub.freshness.tests.conftest import Replay, recorded, recorded_json
from peerhub.library.importers.text import TAG_RE


def request(limit=25, since=None) -> Request:
    return Request(query="cancer", limit=limit, label="Europe PMC search “cancer” on 2025-06-01", since=since)


def serve_json(name):
    return lambda req: httpx.Response(200, json=recorded_json("europepmc", name), request=req)


def test_core_json_gives_authors_journal_identifiers_and_abstracts(replay):
    server = replay(serve_json("search_cancer_core.json"))
    result = europepmc.harvest(server.client(), request())
    assert result.hits == 5059039 and len(result.records) == 25 and not result.problems
    first = result.records[0]
    assert first.title == ("Abscopal response in a patient with fibrolamellar hepatocellular carcinoma following "
                           "radiotherapy")
    assert first.authors[0] == "Schoenfeld, Jonathan D"
    assert first.journal == "Lancet (London, England)"
    assert (first.doi, first.pmid, first.year, first.month) == ("10.1016/s0140-6736(24)02600-x", "39709209", 2025, 12)
    assert first.url == "https://doi.org/10.1016/s0140-6736(24)02600-x"
    assert first.source_format == "europepmc" and first.position.file == request().label


def test_structured_abstract_markup_is_stripped_and_headings_become_paragraphs(replay):
    result = europepmc.harvest(replay(serve_json("search_cancer_core.json")).client(), request())
    by_pmid = {r.pmid: r for r in result.records}
    abstract = by_pmid["40468710"].abstract
    assert abstract.startswith("Objective\n\nThis study investigated whether psychological flexibility")
    assert not TAG_RE.search(abstract) and "ObjectiveThis" not in abstract
    assert "variables.\n\nConclusions\n\nThe findings show" in abstract
    assert "Hydrogen sulfide (H2S)" in by_pmid["40511629"].abstract  # <sub>2</sub> kept as text
    assert not any(TAG_RE.search(r.abstract) or TAG_RE.search(r.title) for r in result.records)


def test_lite_json_reads_the_author_string_and_publication_type(replay):
    result = europepmc.harvest(replay(serve_json("search_cancer.json")).client(), request())
    first = result.records[0]
    assert first.authors == ["Schoenfeld, JD", "Haas-Kogan, DA", "O'Neill, AF"]
    assert first.journal == "Lancet" and first.abstract == ""
    assert first.raw_type == "journal article"


def test_xml_results_read_the_same_as_json(replay):
    as_xml = replay(lambda req: httpx.Response(200, content=recorded("europepmc", "search_cancer.xml"), request=req))
    xml_result = europepmc.harvest(as_xml.client(), request(), result_format="xml")
    json_result = europepmc.harvest(replay(serve_json("search_cancer.json")).client(), request())
    assert as_xml.params(0)["format"] == "xml"
    assert xml_result.hits == json_result.hits == 5059039
    assert [(r.title, r.doi, r.pmid, r.authors) for r in xml_result.records] == \
        [(r.title, r.doi, r.pmid, r.authors) for r in json_result.records]


def test_cursor_mark_pages_are_followed_until_the_limit():
    pages = {unquote(p["request"]["cursorMark"]): p for p in recorded_json("europepmc", "fetch_10pages_cancer.json")}
    server = Replay(lambda req: httpx.Response(200, json=pages[req.url.params["cursorMark"]], request=req))
    result = europepmc.harvest(server.client(), request(limit=1000))
    cursors = [server.params(i)["cursorMark"] for i in range(len(server.requests))]
    assert cursors[0] == "*" and len(cursors) == 10
    assert cursors[1] == "AoIIP4T93Cg1MzE0OTUzNA=="  # the first page's nextCursorMark
    assert result.seen == 1000 and server.params(0)["pageSize"] == "1000"
    assert [r.position.index for r in result.records][:3] == [1, 2, 3]


def test_a_limit_smaller_than_a_page_stops_after_one_request(replay):
    server = replay(serve_json("search_cancer_page2.json"))
    result = europepmc.harvest(server.client(), request(limit=3))
    assert len(server.requests) == 1 and result.seen == 3


def test_zero_hits_is_an_empty_result_not_an_error(replay):
    server = replay(serve_json("search_no_results.json"))
    result = europepmc.harvest(server.client(), request())
    assert (result.hits, result.seen, len(server.requests)) == (0, 0, 1)


def test_since_restricts_to_records_first_indexed_after_the_last_run(replay):
    server = replay(serve_json("search_no_results.json"))
    europepmc.harvest(server.client(), request(since=date(2025, 5, 1)))
    assert server.params(0)["query"] == "(cancer) AND FIRST_IDATE:[2025-05-01 TO 3000-01-01]"
    assert server.params(0)["resultType"] == "core"


def test_an_error_status_is_a_clear_harvest_error(replay):
    server = replay(lambda req: httpx.Response(400, text="Invalid query syntax", request=req))
    with pytest.raises(HarvestError, match="Europe PMC answered 400: Invalid query syntax"):
        europepmc.harvest(server.client(), request())


def test_a_result_of_the_wrong_shape_is_a_problem_not_a_crash(replay):
    page = recorded_json("europepmc", "search_cancer_page2.json")
    page["resultList"]["result"][1] = "not an object"
    server = replay(lambda req: httpx.Response(200, json=page, request=req))
    result = europepmc.harvest(server.client(), request(limit=5))
    assert len(result.records) == 4 and "not an object" in result.problems[0].reason
    assert result.problems[0].position.index == 2
