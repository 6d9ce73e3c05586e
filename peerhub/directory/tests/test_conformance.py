"""The validation itself, proved on ORUK's own validator samples: good suites are accepted and
every response of the Fail suite is rejected."""

import pytest

from peerhub.directory import conformance
from peerhub.directory.tests.conftest import require_shared


@pytest.fixture
def samples():
    require_shared("standards", "openreferral", "uk-profile-3.0")
    return require_shared("standards", "openreferral", "validator-samples")


@pytest.mark.parametrize("suite", ["V3.0-UK-Default", "V3.0-UK-Test"])
def test_it_accepts_every_response_of_the_good_sample_suites(samples, suite):
    results = conformance.suite_results(samples / suite)
    assert len(results) >= 10
    assert {name: problems for name, problems in results.items() if problems} == {}


def test_it_rejects_every_response_of_the_fail_suite(samples):
    results = conformance.suite_results(samples / "V3.0-UK-Fail")
    assert len(results) == 11
    assert [name for name, problems in results.items() if not problems] == []


@pytest.mark.parametrize("name, expected", [
    ("service_full.json", "is not a 'uri'"), ("service_list.json", "'name' is a required property"),
    ("taxonomy_term.json", "'description' is a required property"), ("api_details.json", "is not a 'uri'"),
    ("taxonomy_term_list.json", "is its own parent"), ("service_at_location_full.json", "different records"),
])
def test_it_rejects_broken_fail_samples_for_their_own_faults(samples, name, expected):
    endpoint, payload = conformance.load_suite(samples / "V3.0-UK-Fail")[name]
    assert any(expected in p for p in conformance.document_errors(endpoint, payload))


def test_it_rejects_fail_samples_identical_to_good_ones_through_the_responses_they_lead_to(samples):
    """organization_full, taxonomy and taxonomy_list are byte-identical to good samples: they
    fail only because the service or term they lead to is broken, as a live validator finds."""
    results = conformance.suite_results(samples / "V3.0-UK-Fail")
    for name in ("organization_full.json", "taxonomy.json", "taxonomy_list.json"):
        endpoint, payload = conformance.load_suite(samples / "V3.0-UK-Fail")[name]
        assert conformance.document_errors(endpoint, payload) == []
        assert results[name][0].startswith("leads to ")


def test_it_checks_uri_and_uuid_formats_offline(standards):
    assert conformance.schema_errors("taxonomy_term", {"id": "x", "name": "n", "description": "d"})
    assert conformance.schema_errors("taxonomy_term", {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "name": "n",
                                                       "description": "d", "term_uri": "example_com"})
    assert not conformance.schema_errors("taxonomy_term", {"id": "3f7b145d-84af-42d7-8fae-eaca714b02b2", "name": "n",
                                                           "description": "d", "term_uri": "https://example.com"})


def test_it_finds_null_and_empty_strings():
    assert conformance.empty_value_paths({"a": None, "b": [{"c": ""}], "d": 0}) == ["/a", "/b/0/c"]


def test_it_finds_inconsistent_page_numbers():
    page = {"total_items": 10, "total_pages": 10, "page_number": 1, "size": 1, "first_page": True,
            "last_page": True, "empty": False, "contents": [{}]}
    assert conformance.page_errors(page) == ["last_page disagrees with total_pages"]
