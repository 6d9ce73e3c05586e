"""The curator pages for synonyms and search analytics: who may use them, and that editing a
synonym group changes what the library search finds."""

import pytest
from django.urls import reverse
from django.utils import timezone

from peerhub.library.services import SEARCH_KIND, create_resource
from peerhub.search.models import Synonym
from peerhub.search.selectors import search
from peerhub.search.services import record_search

CURATOR_PAGES = ["search:synonyms", "search:synonym_add", "search:analytics"]


def found(text):
    return search(SEARCH_KIND, text).page_ids


@pytest.fixture
def paediatric_resource(curator):
    data = {"title": "Paediatric asthma peer groups", "resource_type": "report", "summary": "Parents helping parents."}
    return create_resource(data, actor=curator, publish=True)


@pytest.mark.parametrize("page_name", CURATOR_PAGES)
def test_a_visitor_is_sent_to_sign_in(client, db, page_name):
    response = client.get(reverse(page_name))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


@pytest.mark.parametrize("page_name", CURATOR_PAGES)
def test_a_contributor_is_refused(client_for, contributor, page_name):
    assert client_for(contributor).get(reverse(page_name)).status_code == 403


@pytest.mark.parametrize("persona", ["curator", "admin"])
@pytest.mark.parametrize("page_name", CURATOR_PAGES)
def test_curators_and_admins_may_open_the_pages(client_for, personas, persona, page_name):
    assert client_for(personas[persona]).get(reverse(page_name)).status_code == 200


def test_a_contributor_cannot_add_a_synonym_group(client_for, contributor):
    response = client_for(contributor).post(reverse("search:synonym_add"), {"phrases": "kids\npaediatric"})
    assert response.status_code == 403 and not Synonym.objects.filter(phrases__contains="kids").exists()


def test_adding_a_synonym_group_makes_search_find_the_other_words(client_for, curator, paediatric_resource):
    assert found("kids") == []
    response = client_for(curator).post(reverse("search:synonym_add"), {"phrases": "kids\npaediatric"})
    assert response.status_code == 302
    assert found("kids") == [str(paediatric_resource.pk)]


def test_editing_a_synonym_group_changes_what_search_finds(client_for, curator, paediatric_resource):
    client = client_for(curator)
    client.post(reverse("search:synonym_add"), {"phrases": "kids\npaediatric"})
    synonym = Synonym.objects.get(phrases="kids\npaediatric")
    client.post(reverse("search:synonym_edit", args=[synonym.pk]), {"phrases": "children\npaediatric"})
    assert found("kids") == []
    assert found("children") == [str(paediatric_resource.pk)]


def test_deleting_a_synonym_group_stops_the_expansion(client_for, curator, paediatric_resource):
    client = client_for(curator)
    client.post(reverse("search:synonym_add"), {"phrases": "kids\npaediatric"})
    synonym = Synonym.objects.get(phrases="kids\npaediatric")
    client.post(reverse("search:synonym_delete", args=[synonym.pk]))
    assert found("kids") == []


def test_a_group_of_one_phrase_is_refused_with_a_message(client_for, curator):
    response = client_for(curator).post(reverse("search:synonym_add"), {"phrases": "kids"})
    assert response.status_code == 200 and not Synonym.objects.filter(phrases="kids").exists()
    assert "Enter at least two words or phrases" in response.content.decode()


def test_the_analytics_page_lists_frequent_and_empty_searches(client_for, curator):
    today = timezone.localdate()
    record_search(SEARCH_KIND, "Peer support", 3, today)
    record_search(SEARCH_KIND, "zzzqx", 0, today)
    page = client_for(curator).get(reverse("search:analytics"), {"days": "7"})
    report = page.context["report"]
    assert [(f.query, f.searches) for f in report["frequent"]] == [("peer support", 1), ("zzzqx", 1)]
    assert [f.query for f in report["no_results"]] == ["zzzqx"]


def test_the_analytics_page_falls_back_to_30_days_for_an_unknown_period(client_for, curator):
    assert client_for(curator).get(reverse("search:analytics"), {"days": "9999"}).context["period"] == "30"
