"""The stories' JSON API: documented in the OpenAPI document, and consent respected (visitors
see only open stories, anonymous stories expose no name, no email ever)."""

import json

import pytest

from peerhub.accounts.models import ApiToken, hash_token
from peerhub.stories import services
from peerhub.tests.api_contract import assert_documented, served_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def token(professional):
    return token_for(professional)


def token_for(user) -> dict:
    raw = ApiToken.new_raw_key()
    ApiToken.objects.create(user=user, name="test", key_hash=hash_token(raw), prefix=raw[:8])
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def test_the_openapi_document_lists_the_stories_endpoints(client):
    paths = served_document(client)["paths"]
    assert {"/api/stories", "/api/stories/{story_id}", "/api/stories/topography"} <= set(paths)


def test_visitors_get_only_open_stories_and_a_professionals_token_adds_theirs(client, published, make_story, token):
    published(title="Open one")
    published(title="For professionals", visibility="signed_in", open_data=False)
    make_story(title="Waiting")
    document = served_document(client)
    body = assert_documented(document, "/api/stories", "GET", client.get("/api/stories"))
    assert [s["title"] for s in body["results"]] == ["Open one"]
    body = assert_documented(document, "/api/stories", "GET", client.get("/api/stories", **token))
    assert sorted(s["title"] for s in body["results"]) == ["For professionals", "Open one"]


def test_a_token_of_someone_not_confirmed_as_a_professional_gets_only_open_stories(client, published, contributor):
    published(title="Open one")
    hidden = published(title="For professionals", visibility="signed_in", open_data=False)
    headers = token_for(contributor)
    body = client.get("/api/stories", **headers).json()
    assert [s["title"] for s in body["results"]] == ["Open one"]
    assert client.get(f"/api/stories/{hidden.pk}", **headers).status_code == 404


def test_a_story_in_the_api_has_its_topography_and_never_the_email_or_a_hidden_name(client, published):
    anonymous = published(is_named=False, storyteller_name="Secret Name", email="private@example.net")
    document = served_document(client)
    response = client.get(f"/api/stories/{anonymous.pk}")
    body = assert_documented(document, "/api/stories/{story_id}", "GET", response)
    assert body["storyteller_name"] is None and "private@example.net" not in response.content.decode()
    assert "Secret Name" not in response.content.decode() and "email" not in json.dumps(list(body))
    assert body["topography"]["storyteller"]["terms"][0]["slug"] == "carer-or-family-member"
    assert body["fingerprint_svg"].startswith("<svg")
    named = published(is_named=True, storyteller_name="Ruth Example")
    assert client.get(f"/api/stories/{named.pk}").json()["storyteller_name"] == "Ruth Example"


@pytest.mark.parametrize(("kind", "status"), [("signed_in", 404), ("waiting", 404), ("withdrawn", 410)])
def test_the_api_hides_what_a_visitor_may_not_read(client, published, make_story, kind, status):
    story = {"signed_in": lambda: published(visibility="signed_in", open_data=False), "waiting": make_story,
             "withdrawn": lambda: services.withdraw_story(published())}[kind]()
    response = client.get(f"/api/stories/{story.pk}")
    assert_documented(served_document(client), "/api/stories/{story_id}", "GET", response)
    assert response.status_code == status


@pytest.mark.parametrize("query", ["purpose=nothing", "page=0", "per_page=500", "medium=hologram"])
def test_bad_search_parameters_are_a_422_naming_them(client, query):
    response = client.get(f"/api/stories?{query}")
    body = assert_documented(served_document(client), "/api/stories", "GET", response)
    assert response.status_code == 422 and body["detail"][0]["loc"] == ["query", query.split("=")[0]]


def test_the_vocabularies_are_in_the_api(client):
    response = client.get("/api/stories/topography")
    body = assert_documented(served_document(client), "/api/stories/topography", "GET", response)
    assert [v["dimension"] for v in body] == ["storyteller", "purpose", "audience", "outcome", "actions"]
    assert body[0]["terms"][0] == {"slug": "person-with-lived-experience", "name": "Person with lived experience",
                                   "description": None, "position": 1, "is_active": True}
