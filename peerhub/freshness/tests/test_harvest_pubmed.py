"""PubMed harvesting through the E-utilities, on real recorded esearch and efetch answers:
history-server paging by retstart, the id-list fallback, zero hits, structured abstracts and
inline markup in titles."""

from datetime import date

import httpx
import pytest

from peerhub.freshness.harvest import pubmed
from peerhub.freshness.harvest.base import HarvestError, Request
from peerhub.freshness.tests.conftest import Replay, recorded
from peerhub.library.importers.text import TAG_RE


def request(limit=5, since=None) -> Request:
    return Request(query="cancer", limit=limit, label="PubMed search “cancer” on 2025-06-01", since=since)


def eutils(esearch: str, efetch_pages: dict):
    """esearch answers with one recording; efetch with the recording for the request's retstart
    (history paging) or, for an id list, the recording under the key "id"."""
    def answer(req):
        if req.url.path.endswith("esearch.fcgi"):
            return httpx.Response(200, content=recorded("pubmed-eutils", esearch), request=req)
        key = req.url.params.get("retstart", "id")
        return httpx.Response(200, content=recorded("pubmed-eutils", efetch_pages[key]), request=req)
    return Replay(answer)


@pytest.fixture
def small_pages(monkeypatch):
    monkeypatch.setattr(pubmed, "PAGE_SIZE", 2)


def test_history_server_pages_are_fetched_by_retstart(small_pages):
    server = eutils("biopython-esearch2.xml", {"0": "biopython-pubmed1.xml", "2": "biopython-pubmed4.xml",
                                               "4": "biopython-pubmed5.xml"})
    result = pubmed.harvest(server.client(), request(limit=5))
    esearch, fetches = server.params(0), [server.params(i) for i in range(1, len(server.requests))]
    assert esearch["usehistory"] == "y" and esearch["term"] == "cancer"
    assert [f["retstart"] for f in fetches] == ["0", "2", "4"]
    assert [f["retmax"] for f in fetches] == ["2", "2", "1"]
    assert {f["WebEnv"] for f in fetches} == {"MCID_6927d6e7fee3e90f880ec190"}
    assert {f["query_key"] for f in fetches} == {"1"} and {f["retmode"] for f in fetches} == {"xml"}
    assert result.hits == 42249
    assert [r.pmid for r in result.records] == ["12091962", "9997", "27797938", "28775130"]


def test_without_a_history_the_esearch_id_list_is_fetched():
    server = eutils("biopython-esearch5.xml", {"id": "biopython-pubmed2.xml"})
    result = pubmed.harvest(server.client(), request(limit=5))
    assert server.params(1)["id"] == "6540636,5830998,4460425,4466840,3443459"
    assert result.hits == 5 and len(result.records) == 2  # the efetch recording holds two articles


def test_zero_hits_fetches_nothing_and_says_what_pubmed_did_not_recognise():
    server = eutils("biopython-esearch8.xml", {})
    result = pubmed.harvest(server.client(), request())
    assert (result.hits, result.seen, len(server.requests)) == (0, 0, 1)
    assert result.notes == ["PubMed did not recognise “abcXYZ”"]


def test_title_markup_is_stripped_and_structured_abstract_keeps_its_labels(small_pages):
    server = eutils("biopython-esearch2.xml", {"0": "biopython-pubmed4.xml"})
    record = pubmed.harvest(server.client(), request(limit=1)).records[0]
    assert record.title == ("Leucocyte telomere length, genetic variants at the TERT gene region and risk of "
                            "pancreatic cancer")
    assert record.abstract.startswith("Objective: Telomere shortening occurs")
    assert "\n\nDesign: We measured" in record.abstract and not TAG_RE.search(record.abstract)
    assert "(linkage disequilibrium r2<0.25)" in record.abstract  # <sup>2</sup> kept as text, &lt; decoded
    assert record.doi == "10.1136/gutjnl-2016-312510" and record.journal == "Gut"
    assert (record.year, record.month) == (2017, 6)
    assert record.authors[:2] == ["Bao, Ying", "Prescott, Jennifer"]
    assert record.url == "https://pubmed.ncbi.nlm.nih.gov/27797938/"


def test_season_dates_keep_the_year_and_doi_comes_from_the_article_ids(small_pages):
    server = eutils("biopython-esearch2.xml", {"0": "biopython-pubmed1.xml"})
    first, second = pubmed.harvest(server.client(), request(limit=2)).records
    assert (first.year, first.month) == (1990, None)  # "Spring"
    assert (second.year, second.month, second.day) == (1976, 9, 28)
    assert second.doi == "10.1016/0005-2795(76)90109-4"


def test_records_that_are_not_pubmed_articles_are_reported_as_problems():
    server = eutils("biopython-esearch5.xml", {"id": "biopython-efetch_pmc.xml"})
    result = pubmed.harvest(server.client(), request())
    assert result.records == [] and len(result.problems) == 1
    assert "not a journal article" in result.problems[0].reason


def test_since_limits_to_records_pubmed_added_after_the_last_run():
    server = eutils("biopython-esearch8.xml", {})
    pubmed.harvest(server.client(), request(since=date(2025, 5, 1)))
    params = server.params(0)
    assert (params["datetype"], params["mindate"]) == ("edat", "2025/05/01")


def test_an_unreadable_answer_is_a_clear_error():
    server = Replay(lambda req: httpx.Response(200, content=b"<eSearchResult><Count>", request=req))
    with pytest.raises(HarvestError, match="PubMed's esearch answer could not be read"):
        pubmed.harvest(server.client(), request())
