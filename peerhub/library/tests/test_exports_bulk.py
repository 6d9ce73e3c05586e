"""Exports of a whole search result: CSL-JSON and CSV writers, the search page's download links,
/library/export.<ext> and the API's /api/resources/export: the same results as the search,
every page of them up to the cap, said plainly when capped, bad input a clear 4xx."""

import csv
import io
import json

import pytest
import rispy

from peerhub.library import exports
from peerhub.library.exports import csl_item, spreadsheet_safe, to_csl_json, to_csv
from peerhub.library.importers.formats import read_text
from peerhub.library.models import Term
from peerhub.library.services import create_resource, submit_resource
from peerhub.tests.api_contract import served_document

pytestmark = pytest.mark.django_db

# Every item type of the CSL 1.0.2 data schema (csl-data.json), for checking our mapping.
CSL_SCHEMA_TYPES = {
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast", "chapter",
    "classic", "collection", "dataset", "document", "entry", "entry-dictionary", "entry-encyclopedia", "event",
    "figure", "graphic", "hearing", "interview", "legal_case", "legislation", "manuscript", "map",
    "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent", "performance", "periodical",
    "personal_communication", "post", "post-weblog", "regulation", "report", "review", "review-book", "software",
    "song", "speech", "standard", "thesis", "treaty", "webpage",
}


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def publish(title, **fields):
    terms = fields.pop("terms", [])
    data = {"title": title, "resource_type": "research_study", **fields}
    return create_resource(data, actor=None, terms=terms, publish=True)


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def catalogue():
    depression = term("condition", "depression")
    return [
        publish("Peer mentoring for depression", doi="10.1000/bulk.1", pub_year=2021, pub_month=5,
                authors=["Smith, Jane", "Mind Cymru"], terms=[depression]),
        publish("Peer mentoring for diabetes", doi="10.1000/bulk.2", pub_year=2019),
        publish("Walking groups for carers", resource_type="toolkit", pub_year=2020, terms=[depression]),
    ]


# Writers ------------------------------------------------------------------------------------

def test_every_csl_item_has_the_schemas_required_id_and_type_and_a_known_type(catalogue):
    items = json.loads(to_csl_json(catalogue))
    assert all(isinstance(i["id"], str) and i["id"] and i["type"] in CSL_SCHEMA_TYPES for i in items)
    assert set(exports.CSL_TYPES.values()) <= CSL_SCHEMA_TYPES
    assert len({i["id"] for i in items}) == len(items)


def test_csl_names_dates_and_identifiers_follow_the_schema(catalogue):
    item = csl_item(catalogue[0])
    assert item["author"] == [{"family": "Smith", "given": "Jane"}, {"literal": "Mind Cymru"}]
    assert item["issued"] == {"date-parts": [[2021, 5]]}
    assert item["DOI"] == "10.1000/bulk.1" and item["type"] == "article-journal"


def test_csl_json_reads_back_through_the_hubs_own_importer(catalogue):
    parsed = read_text(to_csl_json(catalogue), "export.json")
    assert parsed.format == "csl-json" and not parsed.problems
    assert [(r.title, r.doi, r.year) for r in parsed.records] == [
        (r.title, r.doi, r.pub_year) for r in catalogue]


@pytest.mark.parametrize("value", ["=HYPERLINK(\"http://x\")", "+1+2", "-2+3", "@SUM(A1)", "\tcmd", "\rcmd"])
def test_csv_cells_that_a_spreadsheet_would_run_start_with_an_apostrophe(value):
    assert spreadsheet_safe(value) == "'" + value


def test_csv_numbers_and_ordinary_text_are_left_alone():
    assert spreadsheet_safe(2021) == 2021 and spreadsheet_safe("Peer support") == "Peer support"


def test_csv_export_neutralises_a_formula_in_a_title_and_keeps_every_column(catalogue):
    catalogue.append(publish("=cmd|' /C calc'!A0", authors=["@attacker"]))
    rows = rows_of(to_csv(catalogue, "https://hub.example"))
    assert list(rows[0]) == exports.CSV_COLUMNS
    assert rows[-1]["title"] == "'=cmd|' /C calc'!A0" and rows[-1]["authors"] == "'@attacker"
    assert rows[0]["terms"] == "condition: Depression" and rows[0]["page"].startswith("https://hub.example/library/")


# The page's downloads ------------------------------------------------------------------------

def test_the_search_page_links_to_every_format_with_the_same_search_and_no_page(client, catalogue):
    html = client.get("/library/", {"q": "peer mentoring", "page": "1", "sort": "newest"}).content.decode()
    for extension in ("ris", "bib", "json", "csv"):
        assert f"/library/export.{extension}?q=peer+mentoring&amp;sort=newest\"" in html
    assert "Downloads hold all 2 results" in html


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
def test_everyone_can_download_search_results_but_only_published_ones(client_for, personas, persona, catalogue):
    submit_resource({"title": "Peer mentoring draft", "resource_type": "report"}, submitter=personas["contributor"])
    response = client_for(personas[persona]).get("/library/export.ris", {"q": "peer mentoring"})
    assert response.status_code == 200
    titles = [r["title"] for r in rispy.loads(response.content.decode())]
    assert sorted(titles) == ["Peer mentoring for depression", "Peer mentoring for diabetes"]


def test_a_download_applies_the_filters_and_sort_of_the_search(client, catalogue):
    response = client.get("/library/export.csv", {"condition": "depression", "sort": "newest"})
    assert [r["title"] for r in rows_of(response.content.decode())] == [
        "Peer mentoring for depression", "Walking groups for carers"]
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"].startswith('attachment; filename="peer-support-hub-')


def test_a_download_takes_every_page_not_only_the_one_shown(client, catalogue):
    for n in range(25):
        publish(f"Peer mentoring study number {n} in the north")
    response = client.get("/library/export.bib", {"q": "peer mentoring", "page": "2"})
    assert response.content.decode().count("@misc{") == 27
    assert (response["X-Total-Count"], response["X-Exported-Count"]) == ("27", "27")


def test_a_capped_download_says_so_in_its_headers_and_on_the_page(client, catalogue, monkeypatch):
    monkeypatch.setattr(exports, "EXPORT_CAP", 2)
    response = client.get("/library/export.json")
    assert len(json.loads(response.content)) == 2
    assert (response["X-Total-Count"], response["X-Exported-Count"]) == ("3", "2")
    assert "Downloads hold the first 2 of the 3 results" in client.get("/library/").content.decode()


def test_a_download_with_an_unusable_filter_is_a_clear_400_not_a_wrong_file(client, catalogue):
    response = client.get("/library/export.ris", {"condition": "no-such-condition", "year_from": "nineteen"})
    assert response.status_code == 400
    text = response.content.decode()
    assert "There is no condition called “no-such-condition”" in text and "Enter a year between" in text


def test_an_unknown_extension_is_not_found(client):
    assert client.get("/library/export.xlsx").status_code == 404


# The API ------------------------------------------------------------------------------------

@pytest.mark.parametrize(("format_name", "check"), [
    ("ris", lambda body: len(rispy.loads(body)) == 2),
    ("bibtex", lambda body: body.count("@misc{") == 2),
    ("csljson", lambda body: len(json.loads(body)) == 2),
    ("csv", lambda body: len(rows_of(body)) == 2),
])
def test_the_api_exports_the_search_in_each_format(client, catalogue, format_name, check):
    response = client.get("/api/resources/export", {"format": format_name, "q": "peer mentoring"})
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == exports.EXPORT_FORMATS[format_name].content_type
    assert check(response.content.decode())


def test_the_api_export_names_a_missing_or_unknown_format_and_bad_filters_with_422(client, catalogue):
    for query in ({}, {"format": "xlsx"}):
        response = client.get("/api/resources/export", query)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["query", "format"]
    response = client.get("/api/resources/export", {"format": "ris", "type": "nonsense"})
    assert response.status_code == 422 and response.json()["detail"][0]["loc"] == ["query", "type"]


def test_the_api_export_format_parameter_also_filters_by_the_format_facet(client, catalogue):
    group = term("format", "group")
    publish("Peer mentoring in groups", terms=[group])
    response = client.get("/api/resources/export", {"format": ["csljson", "group"], "q": "peer mentoring"})
    assert [item["title"] for item in json.loads(response.content)] == ["Peer mentoring in groups"]
    assert client.get("/api/resources/export", {"format": ["csv", "ris"]}).status_code == 422


def test_the_api_export_is_documented_in_openapi_with_its_formats_and_cap(client):
    operation = served_document(client)["paths"]["/api/resources/export"]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["format"]["schema"]["contains"]["enum"] == ["ris", "bibtex", "csljson", "csv"]
    assert "condition" in parameters and "page" not in parameters
    assert set(operation["responses"]["200"]["content"]) == {
        "application/x-research-info-systems", "application/x-bibtex", "application/vnd.citationstyles.csl+json",
        "text/csv"}
    assert f"{exports.EXPORT_CAP:,}" in operation["description"]
