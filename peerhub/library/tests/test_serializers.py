"""The JSON shapes shared by the page twins and the API."""

import datetime

import pytest
from django.http import QueryDict

from peerhub.library.facets import parse_search_params
from peerhub.library.models import Term
from peerhub.library.selectors import search_resources, with_terms
from peerhub.library.serializers import (
    publication_date,
    resource_detail,
    resource_summary,
    search_page_dict,
    taxonomy_dict,
)
from peerhub.library.services import create_resource, submit_resource

pytestmark = pytest.mark.django_db


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


@pytest.fixture
def full_resource(curator):
    data = {
        "title": "Peer support in perinatal care", "summary": "What it found.", "description": "The abstract.",
        "resource_type": "research_study", "authors": ["Jane Smith", "Raj Patel"], "organisation": "Mind",
        "pub_year": 2021, "pub_month": 5, "pub_day": 3, "url": "https://example.org/r", "doi": "10.1234/ab",
        "pmid": "123", "isbn": "9780306406157", "access": "free", "licence": "CC BY 4.0", "study_design": "rct",
        "quality": "high", "appraisal_rationale": "Large trial.", "last_checked": datetime.date(2026, 1, 2),
        "review_due": datetime.date(2027, 1, 2), "is_example": True,
    }
    terms = [term("condition", "depression"), term("community", "women"), term("condition", "anxiety")]
    return with_terms(create_resource(data, actor=curator, terms=terms, publish=True))


@pytest.fixture
def bare_resource(contributor):
    return with_terms(submit_resource({"title": "Bare", "resource_type": "toolkit"}, submitter=contributor))


def test_a_summary_has_every_field_in_its_documented_shape(full_resource):
    data = resource_summary(full_resource)
    assert data == {
        "id": full_resource.pk,
        "url": f"/library/{full_resource.pk}/",
        "title": "Peer support in perinatal care",
        "summary": "What it found.",
        "resource_type": {"value": "research_study", "label": "Research study"},
        "authors": ["Jane Smith", "Raj Patel"],
        "organisation": "Mind",
        "year": 2021,
        "publication_date": "2021-05-03",
        "access": {"value": "free", "label": "Free to read"},
        "quality": {
            "value": "high", "label": "High",
            "meaning": "We are confident the findings are trustworthy. Further research is unlikely to change them.",
        },
        "is_example": True,
        "last_checked": "2026-01-02",
        "terms": {
            "condition": [{"slug": "anxiety", "name": "Anxiety"}, {"slug": "depression", "name": "Depression"}],
            "community": [{"slug": "women", "name": "Women"}],
        },
    }


def test_a_detail_adds_the_full_record_citation_and_export_paths(full_resource):
    data = resource_detail(full_resource)
    assert data["description"] == "The abstract."
    assert data["link"] == "https://example.org/r"
    assert (data["doi"], data["pmid"], data["isbn"]) == ("10.1234/ab", "123", "9780306406157")
    assert data["licence"] == "CC BY 4.0"
    assert data["study_design"] == {"value": "rct", "label": "Randomised controlled trial"}
    assert data["appraisal_rationale"] == "Large trial."
    assert data["review_due"] == "2027-01-02"
    assert data["published_at"].startswith(str(full_resource.published_at.date()))
    assert data["status"] == {"value": "published", "label": "Published"}
    assert data["citation"] == (
        "Jane Smith, Raj Patel (2021). Peer support in perinatal care. Mind. https://doi.org/10.1234/ab"
    )
    assert data["exports"] == {
        "ris": f"/library/{full_resource.pk}/export.ris",
        "bibtex": f"/library/{full_resource.pk}/export.bib",
    }


def test_missing_values_are_null_or_empty_lists_never_empty_strings(bare_resource):
    data = resource_detail(bare_resource)
    for key in ("summary", "organisation", "year", "publication_date", "access", "quality", "last_checked",
                "description", "link", "doi", "pmid", "isbn", "licence", "study_design", "appraisal_rationale",
                "review_due", "published_at"):
        assert data[key] is None, key
    assert data["authors"] == []
    assert data["terms"] == {}
    assert data["status"] == {"value": "submitted", "label": "Waiting for review"}


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [(None, None, None, None), (2021, None, None, "2021"), (2021, 5, None, "2021-05"), (2021, 5, 3, "2021-05-03"),
     (2021, None, 3, "2021")],
)
def test_a_partial_date_is_as_precise_as_it_is_known(year, month, day, expected):
    from peerhub.library.models import Resource

    assert publication_date(Resource(pub_year=year, pub_month=month, pub_day=day)) == expected


def test_a_merged_term_is_left_out_of_a_resources_terms(full_resource):
    anxiety = term("condition", "anxiety")
    anxiety.merged_into = term("condition", "depression")
    anxiety.save()
    refreshed = with_terms(type(full_resource).objects.get(pk=full_resource.pk))
    assert resource_summary(refreshed)["terms"]["condition"] == [{"slug": "depression", "name": "Depression"}]


def test_a_search_page_has_its_parameters_results_facets_and_errors(full_resource):
    query = QueryDict(mutable=True)
    query.update({"q": "perinatal", "condition": "depression", "year_from": "2020", "type": "research_study"})
    query.update({"year_to": "nope"})
    params, errors = parse_search_params(query)
    data = search_page_dict(search_resources(params, errors))
    assert data["query"] == "perinatal"
    assert data["query_words"] == "perinatal"
    assert data["filters"] == {"condition": ["depression"], "type": "research_study", "year_from": 2020}
    assert (data["sort"], data["page"], data["per_page"]) == ("relevance", 1, 20)
    assert (data["total"], data["page_count"]) == (1, 1)
    assert data["results"] == [resource_summary(full_resource)]
    assert set(data["errors"]) == {"year_to"}
    condition = next(f for f in data["facets"] if f["name"] == "condition")
    assert condition["label"] == "Condition"
    assert condition["truncated"] == 0
    assert {"value": "depression", "label": "Depression", "count": 1, "selected": True} in condition["values"]


def test_the_taxonomy_is_a_tree_without_merged_terms():
    eating = term("condition", "eating-disorders")
    eating.merged_into = term("condition", "anxiety")
    eating.save()
    vocabularies = taxonomy_dict()
    condition = next(v for v in vocabularies if v["slug"] == "condition")
    assert condition["name"] == "Condition"
    assert condition["question"] == "Which conditions is it about?"
    mental_health = next(t for t in condition["terms"] if t["slug"] == "mental-health")
    children = [child["slug"] for child in mental_health["children"]]
    assert "depression" in children
    assert "eating-disorders" not in children
    assert mental_health["children"][0]["children"] == []
    assert all(set(t) == {"slug", "name", "description", "children"} for t in condition["terms"])


def test_a_term_whose_parent_was_merged_moves_to_the_top_of_the_tree():
    mental_health = term("condition", "mental-health")
    mental_health.merged_into = term("condition", "cancer")
    mental_health.save()
    condition = next(v for v in taxonomy_dict() if v["slug"] == "condition")
    assert "depression" in [t["slug"] for t in condition["terms"]]
