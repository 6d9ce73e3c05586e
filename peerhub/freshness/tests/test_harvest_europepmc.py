"""Europe PMC harvesting, on the real recorded responses: core and lite JSON, XML, Dublin Core
XML, cursor paging across ten recorded pages, zero hits, and the HTML markup in structured abstracts."""

from datetime import date
from urllib.parse import unquote

import httpx
import pytest
from defusedxml import ElementTree

from peerhub.freshness.harvest import europepmc
from peerhub.freshness.harvest.base import HarvestError, Request
from peerhub.freshness.models import ResultFormat
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


# The Dublin Core format (format=dc) --------------------------------------------------------------

DC_RECORDING = ("europepmc", "search_cancer_dc.xml")


def serve_bytes(content: bytes):
    return lambda req: httpx.Response(200, content=content, request=req,
                                      headers={"content-type": "application/xml;charset=UTF-8"})


def dc_harvest(replay, content: bytes | None = None, limit=25):
    server = replay(serve_bytes(recorded(*DC_RECORDING) if content is None else content))
    return server, europepmc.harvest(server.client(), request(limit=limit), result_format="dc")


def test_dublin_core_results_are_read_from_the_real_recording(replay):
    server, result = dc_harvest(replay)
    descriptions = ElementTree.fromstring(recorded(*DC_RECORDING)).iter(f"{europepmc.RDF}Description")
    assert server.params(0)["format"] == "dc" and server.params(0)["resultType"] == "core"
    assert result.hits == 5059039 and not result.problems
    assert len(result.records) == len(list(descriptions)) == 25
    first = result.records[0]
    assert first.title == ("Abscopal response in a patient with fibrolamellar hepatocellular carcinoma following "
                           "radiotherapy")
    assert first.authors == ["Schoenfeld, JD", "Haas-Kogan, DA", "O'Neill, AF"]
    assert first.journal == "Lancet (London, England)"  # the OpenURL citation's rft.jtitle
    assert (first.doi, first.pmid, first.year, first.month) == ("10.1016/s0140-6736(24)02600-x", "39709209", 2025, 12)
    assert first.url == "https://doi.org/10.1016/s0140-6736(24)02600-x"
    assert first.raw_type == "Journal Article" and first.source_format == "europepmc"
    assert first.position.file == request().label and [r.position.index for r in result.records][:2] == [1, 2]
    by_pmid = {r.pmid: r for r in result.records}
    assert by_pmid["39709208"].title == "Department of Error" and by_pmid["39709208"].authors == []
    assert by_pmid["39709208"].raw_type == "Published Erratum; correction"  # dc:description holds the types
    assert by_pmid["40468710"].keywords == ["Neoplasms", "Adaptation, Psychological"]  # dc:subject
    assert by_pmid["39038316"].doi == ""  # no DOI in the file: the Europe PMC page is its address
    assert by_pmid["39038316"].url == "https://europepmc.org/article/MED/39038316"


def test_dublin_core_identifiers_give_source_id_pmid_doi_and_pmcid():
    page = europepmc.page_from_dc(recorded(*DC_RECORDING))
    erratum = page["resultList"]["result"][1]
    assert (erratum["source"], erratum["id"], erratum["pmid"]) == ("MED", "39709208", "39709208")
    assert (erratum["doi"], erratum["pmcid"]) == ("10.1016/s0140-6736(24)02716-8", "PMC12124214")
    assert erratum["fullTextUrlList"]["fullTextUrl"] == [{"url": "https://europepmc.org/articles/PMC12124214"}]
    assert page["nextCursorMark"] == "AoIIP4ZawSg1MzEyODI1MA=="


def test_dublin_core_reads_the_same_records_as_core_json(replay):
    _, dc_result = dc_harvest(replay)
    core = europepmc.harvest(replay(serve_json("search_cancer_core.json")).client(), request())

    def fields(r):
        return (r.title, r.doi, r.pmid, r.year, r.month, r.day, r.journal, r.abstract, r.raw_type, r.resource_type)

    assert [fields(r) for r in dc_result.records] == [fields(r) for r in core.records]
    assert [len(r.authors) for r in dc_result.records] == [len(r.authors) for r in core.records]
    # dc:creator is "Surname, Initials", so a two-word surname stays whole (lite's authorString splits it)
    assert {r.pmid: r for r in dc_result.records}["40511629"].authors[0] == "Öztürk Fincan, GS"


def test_dublin_core_abstract_markup_is_stripped_like_the_other_formats(replay):
    _, result = dc_harvest(replay)
    abstract = {r.pmid: r for r in result.records}["40468710"].abstract
    assert abstract.startswith("Objective\n\nThis study investigated whether psychological flexibility")
    assert "variables.\n\nConclusions\n\nThe findings show" in abstract
    assert not any(TAG_RE.search(r.abstract) or TAG_RE.search(r.title) for r in result.records)


def test_malformed_dublin_core_xml_is_a_clear_harvest_error(replay):
    truncated = recorded(*DC_RECORDING)[:5000]  # cut off mid-record, as a dropped connection leaves it
    with pytest.raises(HarvestError, match=r"Europe PMC's Dublin Core XML could not be read \(.*line 1"):
        dc_harvest(replay, truncated)


@pytest.mark.parametrize(("body", "message"), [
    (b"", r"Dublin Core XML could not be read \(no element found"),
    (b'{"hitCount": 0}', r"Dublin Core XML could not be read \(not well-formed"),
    (b"<html><body>Service unavailable</body></html>", r"held no search results \(it is a <html>"),
    (b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><responseWrapper>&a;</responseWrapper>',
     r"Dublin Core XML was refused: it declares entities or a DTD"),
])
def test_unreadable_dublin_core_answers_are_specific_errors(replay, body, message):
    with pytest.raises(HarvestError, match=message):
        dc_harvest(replay, body)


def test_the_plain_xml_format_refuses_entities_too(replay):
    body = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]><responseWrapper>&a;</responseWrapper>'
    server = replay(serve_bytes(body))
    with pytest.raises(HarvestError, match="Europe PMC's XML was refused"):
        europepmc.harvest(server.client(), request(), result_format="xml")


def test_a_dublin_core_record_without_a_title_is_a_problem_not_a_crash(replay):
    content = recorded(*DC_RECORDING).replace(b"<dc:title>Department of Error.</dc:title>", b"", 1)
    _, result = dc_harvest(replay, content)
    assert len(result.records) == 24 and result.problems[0].position.index == 2
    assert "no title" in result.problems[0].reason


def test_an_unknown_result_format_is_a_harvest_error_and_every_choice_has_a_reader(replay):
    with pytest.raises(HarvestError, match="Europe PMC has no result format “csv”"):
        europepmc.harvest(replay(serve_json("search_no_results.json")).client(), request(), result_format="csv")
    assert set(ResultFormat.values) == set(europepmc.PAGE_READERS)
