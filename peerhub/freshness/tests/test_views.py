"""The freshness pages: who may use them (every persona), what the dashboard shows, and the
saved-search form's errors and actions."""

import datetime

import httpx
import pytest
from django.urls import reverse
from django.utils import timezone

from peerhub.freshness import http, services
from peerhub.freshness.models import LinkCheck, Outcome, SavedSearch, Source
from peerhub.freshness.tests.conftest import Replay, recorded_json
from peerhub.library.models import Resource, Status
from peerhub.library.services import create_resource

pytestmark = pytest.mark.django_db
EXPECTED = {"visitor": 302, "contributor": 403, "curator": 200, "admin": 200}
EXPECTED_POST = {"visitor": 302, "contributor": 403, "curator": 302, "admin": 302}


@pytest.fixture
def search(curator):
    return services.create_saved_search({"name": "Peer support", "source": Source.EUROPEPMC,
                                         "query": "peer support", "max_records": 5}, owner=curator)


def a_resource(title, **fields):
    return create_resource({"title": title, "resource_type": "research_study", **fields}, actor=None, publish=True)


def flag_broken(resource, times=2):
    for n in range(times):
        LinkCheck.objects.create(resource=resource, url=resource.url, checked_at=timezone.now(), outcome=Outcome.BROKEN,
                                 status_code=404, method="GET", failures_in_row=n + 1)


PAGES = [
    ("freshness:dashboard", lambda s: []),
    ("freshness:band", lambda s: ["never"]),
    ("freshness:searches", lambda s: []),
    ("freshness:search_create", lambda s: []),
    ("freshness:search_edit", lambda s: [s.pk]),
    ("freshness:search_delete", lambda s: [s.pk]),
]


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
@pytest.mark.parametrize(("name", "args"), PAGES)
def test_freshness_pages_admit_only_curators_and_admins(client_for, personas, search, persona, name, args):
    response = client_for(personas[persona]).get(reverse(name, args=args(search)))
    assert response.status_code == EXPECTED[persona]


@pytest.mark.parametrize("persona", ["visitor", "contributor", "curator", "admin"])
@pytest.mark.parametrize("name", ["freshness:search_run", "freshness:check_links", "freshness:search_delete"])
def test_freshness_actions_admit_only_curators_and_admins(client_for, personas, search, persona, name, monkeypatch):
    monkeypatch.setattr(http, "default_transport", Replay(
        lambda req: httpx.Response(200, json=recorded_json("europepmc", "search_no_results.json"), request=req)
    ).transport)
    args = [] if name == "freshness:check_links" else [search.pk]
    response = client_for(personas[persona]).post(reverse(name, args=args))
    assert response.status_code == EXPECTED_POST[persona]
    assert SavedSearch.objects.exists() == (name != "freshness:search_delete" or persona in ("visitor", "contributor"))


def test_actions_are_post_only(client_for, curator, search):
    assert client_for(curator).get(reverse("freshness:search_run", args=[search.pk])).status_code == 405


def test_a_missing_search_or_group_is_404_for_a_curator(client_for, curator):
    client = client_for(curator)
    assert client.get(reverse("freshness:search_edit", args=[999])).status_code == 404
    assert client.post(reverse("freshness:search_run", args=[999])).status_code == 404
    assert client.get(reverse("freshness:band", args=["someday"])).status_code == 404


def test_dashboard_lists_broken_links_overdue_reviews_never_checked_and_ageing(client_for, curator):
    today = timezone.localdate()
    broken = a_resource("A page that moved away", url="https://example.org/gone", last_checked=today)
    flag_broken(broken)
    once = a_resource("A page with one bad day", url="https://example.org/blip", last_checked=today)
    flag_broken(once, times=1)
    overdue = a_resource("A review long overdue", review_due=today - datetime.timedelta(days=3),
                         last_checked=today - datetime.timedelta(days=400))
    never = a_resource("A record nobody checked")
    page = client_for(curator).get(reverse("freshness:dashboard")).content.decode()
    broken_section = page.split('id="broken"')[1].split('id="overdue"')[0]
    assert "A page that moved away" in broken_section and "The site answered 404" in broken_section
    assert "A page with one bad day" not in broken_section
    assert f'href="{reverse("library:detail", args=[broken.pk])}"' in broken_section
    assert "A review long overdue" in page.split('id="overdue"')[1].split('id="never"')[0]
    assert f'href="{reverse("library:detail", args=[never.pk])}"' in page.split('id="never"')[1]
    ageing = page.split('id="ageing"')[1]
    assert "Checked in the last 3 months</a>" in ageing and "Checked 1 to 2 years ago</a>" in ageing
    assert f'href="{reverse("library:detail", args=[overdue.pk])}"' in \
        client_for(curator).get(reverse("freshness:band", args=["year"])).content.decode()


def test_saving_a_search_with_nothing_filled_in_names_each_missing_field(client_for, curator):
    response = client_for(curator).post(reverse("freshness:search_create"), {})
    page = response.content.decode()
    for message in ["Enter a name for the saved search.", "Choose where to search.", "Enter what to search for.",
                    "Choose how often to run the search.", "Enter the most records one run may bring in."]:
        assert message in page
    assert SavedSearch.objects.count() == 0


def test_out_of_range_and_unknown_values_get_specific_errors(client_for, curator):
    data = {"name": "X", "source": "scopus", "query": "x", "schedule": "hourly", "max_records": "5000"}
    page = client_for(curator).post(reverse("freshness:search_create"), data).content.decode()
    assert "Choose one of the sources listed." in page and "Choose one of the schedules listed." in page
    assert "Enter a number between 1 and 1,000." in page and SavedSearch.objects.count() == 0


def test_a_curator_adds_and_changes_a_saved_search(client_for, curator):
    client = client_for(curator)
    data = {"name": "Carers", "source": "pubmed", "query": "peer support[tiab] AND carers[tiab]",
            "schedule": "weekly", "max_records": "50"}
    assert client.post(reverse("freshness:search_create"), data).status_code == 302
    search = SavedSearch.objects.get()
    assert (search.owner, search.schedule, search.max_records) == (curator, "weekly", 50)
    client.post(reverse("freshness:search_edit", args=[search.pk]), {**data, "schedule": "off"})
    search.refresh_from_db()
    assert search.schedule == "off" and search.result_format == "json"  # left out: the default


def test_a_curator_chooses_europe_pmcs_dublin_core_format(client_for, curator):
    client = client_for(curator)
    data = {"name": "Cancer", "source": "europepmc", "query": "cancer", "schedule": "off", "max_records": "25"}
    page = client.post(reverse("freshness:search_create"), {**data, "result_format": "csv"}).content.decode()
    assert "Choose one of the result formats listed." in page and SavedSearch.objects.count() == 0
    assert client.post(reverse("freshness:search_create"), {**data, "result_format": "dc"}).status_code == 302
    search = SavedSearch.objects.get()
    assert search.result_format == "dc"
    edit_page = client.get(reverse("freshness:search_edit", args=[search.pk])).content.decode()
    assert 'value="dc" class="nhsuk-radios__input" id="id_result_format_2" checked' in edit_page


def test_run_now_puts_new_records_in_the_queue_and_says_what_it_did(client_for, curator, search, monkeypatch):
    server = Replay(lambda req: httpx.Response(200, json=recorded_json("europepmc", "search_cancer_core.json"),
                                               request=req))
    monkeypatch.setattr(http, "default_transport", server.transport)
    response = client_for(curator).post(reverse("freshness:search_run", args=[search.pk]), follow=True)
    assert "5 new for the curator queue" in response.content.decode()
    assert Resource.objects.filter(status=Status.SUBMITTED).count() == 5
    assert not Resource.objects.filter(status=Status.PUBLISHED).exists()
