"""The ORUK 3.0 API on the demo directory: every endpoint validated against the official
schema files (offline registry), paging arithmetic, filters combined with AND, and clear 400s."""

import math

import pytest

from peerhub.directory.conformance import document_errors, empty_value_paths, page_errors
from peerhub.directory.hub_taxonomy import TAXONOMY_ID, term_id
from peerhub.directory.models import Service, ServiceAtLocation

LISTS = {"services": "service", "service_at_locations": "service_at_location", "taxonomies": "taxonomy",
         "taxonomy_terms": "taxonomy_term"}
PER_PAGE = 4


def get_json(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Access-Control-Allow-Origin"] == "*"
    return response.json()


def assert_conforms(endpoint, payload):
    assert document_errors(endpoint, payload) == []
    assert empty_value_paths(payload) == []
    if "contents" in payload:
        assert page_errors(payload) == []


def test_it_describes_itself_with_version_exactly_3_0(client, demo):
    payload = get_json(client, "/oruk/")
    assert payload["version"] == "3.0"
    assert payload["openapi_url"].startswith("https://")
    assert_conforms("root", payload)


@pytest.mark.parametrize("endpoint", LISTS)
def test_it_serves_valid_first_middle_and_last_pages(client, demo, endpoint):
    total = get_json(client, f"/oruk/{endpoint}")["total_items"]
    per_page = min(PER_PAGE, total // 2)  # at least two pages, three where the data allows
    last_number = math.ceil(total / per_page)
    assert last_number >= 2
    for number in (1, (1 + last_number) // 2, last_number):
        page = get_json(client, f"/oruk/{endpoint}?per_page={per_page}&page={number}")
        assert_conforms(endpoint, page)
        assert page["page_number"] == number and page["total_pages"] == last_number
        assert page["first_page"] == (number == 1) and page["last_page"] == (number == last_number)


@pytest.mark.parametrize("endpoint", LISTS)
def test_it_serves_each_record_of_the_first_page_by_id(client, demo, endpoint):
    first = get_json(client, f"/oruk/{endpoint}?per_page=10")
    for item in first["contents"][:10]:
        detail = get_json(client, f"/oruk/{endpoint}/{item['id']}")
        assert detail["id"] == item["id"]
        assert_conforms(LISTS[endpoint], detail)


def test_it_makes_service_at_location_valid_against_the_service_schema_too(client, demo):
    sal = ServiceAtLocation.objects.first()
    payload = get_json(client, f"/oruk/service_at_locations/{sal.id}")
    assert document_errors("service_at_location_as_published", payload) == []
    assert payload["service"]["id"] == str(sal.service_id)


def test_it_always_gives_services_their_organization_id(client, demo):
    payload = get_json(client, "/oruk/services?per_page=200")
    assert all(item["organization_id"] == item["organization"]["id"] for item in payload["contents"])


def test_it_filters_by_taxonomy_term_including_narrower_terms(client, demo):
    mental_health = term_id("condition:mental-health")
    names = {s["name"] for s in get_json(client, f"/oruk/services?taxonomy_term_id={mental_health}")["contents"]}
    assert "Leeds Hearing Voices Group" in names  # psychosis sits under mental health
    assert "Manchester Diabetes Buddies" not in names


def test_it_combines_filters_with_and(client, demo):
    group = term_id("size:group")
    both = get_json(client, f"/oruk/services?taxonomy_term_id={group}&day=WE&start_time=14:00")
    names = {s["name"] for s in both["contents"]}
    assert names == {"Leeds Hearing Voices Group", "Glasgow Eating Disorder Peer Support",
                     "Swansea Young People's Anxiety Group", "Long COVID Online Peer Group"}


def test_it_reads_age_parameters_as_the_openapi_defines(client, demo):
    at_least_16 = {s["name"] for s in get_json(client, "/oruk/services?minimum_age=16")["contents"]}
    assert "Swansea Young People's Anxiety Group" not in at_least_16  # minimum age 13
    assert "Manchester Diabetes Buddies" in at_least_16  # minimum age 16
    assert get_json(client, "/oruk/services?maximum_age=99")["contents"] == [
        s for s in get_json(client, "/oruk/services?maximum_age=99")["contents"] if s.get("maximum_age", 999) <= 99]


def test_it_filters_by_taxonomy_id(client, demo):
    payload = get_json(client, f"/oruk/services?taxonomy_id={TAXONOMY_ID}&per_page=200")
    assert payload["total_items"] == Service.objects.filter(is_example=True).count() - 1  # not the ORUK example


def test_it_searches_text(client, demo):
    names = [s["name"] for s in get_json(client, "/oruk/services?search=veterans")["contents"]]
    assert names == ["Birmingham Veterans Peer Mentors"]


def test_it_finds_services_modified_after_a_time(client, demo):
    assert get_json(client, "/oruk/services?modified_after=2999-01-01T00:00:00Z")["total_items"] == 0
    assert get_json(client, "/oruk/services?modified_after=2000-01-01")["total_items"] == Service.objects.count()


def test_it_orders_service_at_locations_by_distance_within_proximity(client, demo):
    payload = get_json(client, "/oruk/service_at_locations?postcode=SW1A%201AA&proximity=8000")
    names = [item["service"]["name"] for item in payload["contents"]]
    assert names[0] == "Westminster Anxiety Peer Circle"
    assert set(names) == {"Westminster Anxiety Peer Circle", "Southbank Long COVID Walk and Talk",
                          "Islington LGBTQ+ Wellbeing Peers", "Spitalfields New Parents Peer Group"}
    assert_conforms("service_at_locations", payload)


@pytest.mark.parametrize("query, parameter", [
    ("page=0", "page"), ("page=abc", "page"), ("per_page=100000", "per_page"), ("minimum_age=old", "minimum_age"),
    ("start_time=25:99", "start_time"), ("day=someday", "day"), ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
    ("modified_after=yesterday", "modified_after"), ("page=999", "page"),
])
def test_it_rejects_bad_service_parameters_with_a_json_400(client, demo, query, parameter):
    payload = get_json(client, f"/oruk/services?{query}", status=400)
    assert payload["parameter"] == parameter and payload["error"]


@pytest.mark.parametrize("query, parameter", [
    ("postcode=BT1%201AA", "postcode"), ("postcode=ZZ99", "postcode"), ("postcode=SW1A&proximity=-5", "proximity"),
    ("proximity=500", "proximity"), ("postcode=hello%20world", "postcode"),
])
def test_it_rejects_bad_location_parameters_with_a_json_400(client, demo, query, parameter):
    assert get_json(client, f"/oruk/service_at_locations?{query}", status=400)["parameter"] == parameter


def test_it_answers_unknown_and_malformed_ids_in_json(client, demo):
    assert get_json(client, "/oruk/services/00000000-0000-0000-0000-000000000000", status=404)["error"]
    assert get_json(client, "/oruk/services/nope", status=400)["parameter"] == "id"


def test_it_is_read_only(client, demo):
    assert client.post("/oruk/services").status_code == 405


def test_it_keeps_list_queries_constant(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(4):
        client.get("/oruk/services?per_page=50")
    with django_assert_max_num_queries(4):
        client.get("/oruk/service_at_locations?per_page=50")
