"""RIS, BibTeX and the plain citation."""

import io

import pytest
import rispy

from peerhub.library.exports import bibtex_escape, citation, citation_key, to_bibtex, to_ris
from peerhub.library.models import Resource
from peerhub.library.services import create_resource

pytestmark = pytest.mark.django_db


@pytest.fixture
def make(curator):
    def create(**fields):
        data = {"title": "Peer support works", "resource_type": "research_study", **fields}
        return create_resource(data, actor=curator, publish=True)

    return create


def test_ris_round_trips_through_rispy(make):
    first = make(title="Peer support\nworks", authors=["Smith, Jane", "Raj Patel"], pub_year=2021, pub_month=5,
                 organisation="Mind", summary="Short.", description="Long\nabstract.", doi="10.1234/ab",
                 pmid="98765", isbn="9780306406157", url="https://example.org/r")
    second = make(title="A toolkit", resource_type="toolkit")
    records = rispy.load(io.StringIO(to_ris([first, second])))
    assert len(records) == 2
    one = records[0]
    assert one["type_of_reference"] == "JOUR"
    assert one["title"] == "Peer support works"  # a newline would have broken the record
    assert one["authors"] == ["Smith, Jane", "Raj Patel"]
    assert (one["year"], one["date"]) == ("2021", "2021/05//")
    assert one["publisher"] == "Mind"
    assert one["abstract"] == "Long abstract."
    assert one["doi"] == "10.1234/ab"
    assert one["accession_number"] == "98765"
    assert one["urls"] == ["https://example.org/r", "https://doi.org/10.1234/ab"]
    assert records[1] == {"type_of_reference": "GEN", "title": "A toolkit", "id": str(second.pk)}


def test_ris_has_no_numbered_header_lines(make):
    assert not to_ris([make()]).startswith("1.")


def test_bibtex_escapes_braces_ampersands_and_other_special_characters(make):
    resource = make(title="Peer {support} & 100% of $costs #1 for_all ~ ^ \\ me", authors=["Smith & Sons"])
    entry = to_bibtex([resource])
    assert r"title = {{Peer \{support\} \& 100\% of \$costs \#1 for\_all \textasciitilde{} " in entry
    assert r"\textasciicircum{} \textbackslash{} me}}" in entry
    assert r"author = {Smith \& Sons}" in entry


def test_bibtex_escapes_unbalanced_braces_so_the_entry_still_parses():
    assert bibtex_escape("}{ unbalanced {\ntext") == r"\}\{ unbalanced \{ text"


def test_bibtex_braces_an_author_whose_name_contains_and(make):
    entry = to_bibtex([make(authors=["Black and Minority Ethnic Forum", "Jane Smith"])])
    assert "author = {{Black and Minority Ethnic Forum} and Jane Smith}" in entry


def test_bibtex_uses_techreport_for_reports_and_month_macros(make):
    entry = to_bibtex([make(resource_type="report", organisation="NHS England", pub_year=2020, pub_month=3)])
    assert entry.startswith("@techreport{")
    assert "institution = {NHS England}" in entry
    assert "month = mar," in entry


def test_bibtex_gives_one_entry_per_resource(make):
    entries = to_bibtex([make(), make(), make()])
    assert entries.count("\n@misc{") == 2 and entries.startswith("@misc{")


def test_citation_keys_are_stable_ascii_and_unique(make):
    first = make(authors=["Ñúñez, María"], pub_year=2019)
    second = make(authors=["María Ñúñez"], pub_year=2019)
    assert citation_key(first) == f"nunez2019_{first.pk}"
    assert citation_key(second) == f"nunez2019_{second.pk}"
    first.summary = "Edited"
    assert citation_key(first) == f"nunez2019_{first.pk}"


def test_a_citation_key_falls_back_to_the_organisation_then_the_hub(make):
    assert citation_key(make(organisation="Mind")).startswith("mind_")
    assert citation_key(make()).startswith("peerhub_")


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"authors": ["Jane Smith"], "pub_year": 2020, "organisation": "Mind", "doi": "10.1234/x"},
         "Jane Smith (2020). Peer support works. Mind. https://doi.org/10.1234/x"),
        ({"organisation": "Mind", "url": "https://mind.org.uk/r"},
         "Mind (no date). Peer support works. https://mind.org.uk/r"),
        ({"title": "Does it work?"}, "(no date). Does it work?"),
    ],
)
def test_a_citation_reads_authors_year_title_organisation_link(fields, expected):
    assert citation(Resource(**{"title": "Peer support works", **fields})) == expected
