"""The public directory pages for every persona: finding support by postcode, sector, district
or town; online and phone services listed apart; listing facts; referral summary; shortlist;
what matters to people like the reader beside the listings."""

import html as html_lib
import re
from datetime import date
from urllib.parse import quote

import pytest
from django.urls import reverse

from peerhub.directory.models import Service
from peerhub.directory.postcodes import ATTRIBUTION_LINES
from peerhub.directory.services import reindex
from peerhub.directory.tests.conftest import USED

PERSONAS = ["visitor", "contributor", "curator", "admin"]


def names_in(html: str, section: str) -> list[str]:
    part = html.split(f'id="{section}"', 1)[1]
    part = part.split('id="remote"', 1)[0] if section == "nearby" else part
    return [html_lib.unescape(n) for n in re.findall(r'class="nhsuk-card__link" href="[^"]+">([^<]+)</a>', part)]


def find(client, **params):
    response = client.get(reverse("directory:find"), params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_the_find_page_with_attribution_to_every_persona(client_for, personas, demo, persona):
    html = find(client_for(personas[persona]))
    assert "Find peer support" in html
    assert all(line in html for line in ATTRIBUTION_LINES)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_lists_nearby_support_nearest_first_and_remote_support_apart(client_for, personas, demo, persona):
    html = find(client_for(personas[persona]), where="sw1a 1aa", radius=10)
    nearby = names_in(html, "nearby")
    assert nearby[0] == "Westminster Anxiety Peer Circle"
    assert set(nearby) == {"Westminster Anxiety Peer Circle", "Southbank Long COVID Walk and Talk",
                           "Islington LGBTQ+ Wellbeing Peers", "Spitalfields New Parents Peer Group"}
    assert "miles away" in html
    assert set(names_in(html, "remote")) == {"Peer Line: evening phone support for low mood",
                                             "Long COVID Online Peer Group", "Online Anxiety Peer Forum"}


def test_it_finds_by_sector_district_and_town(client, demo):
    for where in ("LS1 4", "LS1", "Leeds", "leeds"):
        assert names_in(find(client, where=where), "nearby")[0] == "Leeds Hearing Voices Group", where


def test_it_combines_need_filters(client, demo):
    html = find(client, where="SW1A 1AA", radius=50, condition="condition:anxiety")
    assert names_in(html, "nearby") == ["Westminster Anxiety Peer Circle"]
    assert names_in(html, "remote") == ["Online Anxiety Peer Forum"]
    html = find(client, where="SW1A 1AA", radius=50, day="WE", age=30)
    assert names_in(html, "nearby") == ["Spitalfields New Parents Peer Group"]


def test_it_hides_groups_a_person_is_too_young_for(client, demo):
    html = find(client, where="SA1 1NW", radius=5, age=14)
    assert names_in(html, "nearby") == ["Swansea Young People's Anxiety Group"]


def test_it_shows_only_remote_support_when_asked(client, demo):
    html = find(client, where="LS1", online_only="on")
    assert 'id="nearby"' not in html and len(names_in(html, "remote")) == 3


def test_it_says_plainly_that_northern_ireland_is_not_covered_and_offers_online_support(client, demo):
    html = find(client, where="BT1 1AA")
    assert "Northern Ireland postcodes (starting BT) are not covered" in html
    assert len(names_in(html, "remote")) == 3


@pytest.mark.parametrize("where, message", [
    ("ZZ9 9ZZ", "We could not find the postcode area ZZ9"),
    ("Atlantis", "We do not know a place called “Atlantis”"),
    ("JE2 3AB", "Jersey postcodes are not covered"),
])
def test_it_explains_unknown_places(client, demo, where, message):
    html = find(client, where=where)
    assert message in html and "nhsuk-error-summary" in html


def test_it_rejects_bad_filter_values_with_field_errors(client, demo):
    html = find(client, where="LS1", age="200", after="late")
    assert "nhsuk-error-summary" in html and "Enter a valid time" in html


def test_it_pins_the_number_of_queries_on_the_results_page(client, demo, django_assert_max_num_queries):
    with django_assert_max_num_queries(34):
        find(client, where="SW1A 1AA", radius=50)


def test_it_needs_no_more_queries_for_more_results(client, demo):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        find(client, where="M1 1AD", radius=5)
    with CaptureQueriesContext(connection) as many:
        find(client, where="SW1A 1AA", radius=50)
    assert len(many) == len(few)


@pytest.mark.parametrize("persona", PERSONAS)
def test_it_shows_every_fact_on_a_listing(client_for, personas, demo, persona):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    html = client_for(personas[persona]).get(reverse("directory:detail", args=[service.id])).content.decode()
    for label in ("Who it is for", "Will I meet people with similar experiences?", "How to join", "Cost",
                  "When it meets", "Where", "Accessibility", "Languages", "Who runs it", "Last checked"):
        assert label in html
    assert "People affected by Psychosis" in html and "Wednesdays from 14:00 to 16:00" in html
    assert "Example listing" in html and ATTRIBUTION_LINES[0] in html


def test_it_flags_a_listing_not_checked_for_a_year(client, demo):
    service = Service.objects.get(name="Cardiff Young Carers Meet-up")  # every fifth demo example is stale
    html = client.get(reverse("directory:detail", args=[service.id])).content.decode()
    assert "have not been checked for over a year" in html


def test_it_demotes_stale_listings_in_distance_order(client, demo):
    before = names_in(find(client, where="N1 9AG"), "nearby")
    assert before[:2] == ["Islington LGBTQ+ Wellbeing Peers", "Spitalfields New Parents Peer Group"]
    Service.objects.filter(name="Spitalfields New Parents Peer Group").update(assured_date=date(2020, 1, 1))
    reindex(Service.objects.get(name="Spitalfields New Parents Peer Group"))  # what every write path does
    html = find(client, where="N1 9AG")
    assert names_in(html, "nearby")[-1] == "Spitalfields New Parents Peer Group"
    assert "Not checked for over a year" in html


def test_it_returns_404_for_unknown_listings(client, demo):
    assert client.get("/directory/listing/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_it_prints_a_referral_summary_with_print_styles(client, demo):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    html = client.get(reverse("directory:referral", args=[service.id])).content.decode()
    assert "Referral summary: Leeds Hearing Voices Group" in html and "directory/print.css" in html
    assert "style=" not in html and "<script>" not in html


def test_it_keeps_a_shortlist_in_the_session(client, demo):
    leeds, york = Service.objects.get(name="Leeds Hearing Voices Group"), Service.objects.get(
        name="York Bereavement Peer Group")
    for service in (leeds, york):
        assert client.post(reverse("directory:shortlist_add", args=[service.id])).status_code == 302
    html = client.get(reverse("directory:shortlist")).content.decode()
    assert "Leeds Hearing Voices Group" in html and "York Bereavement Peer Group" in html
    client.post(reverse("directory:shortlist_remove", args=[leeds.id]))
    html = client.get(reverse("directory:shortlist")).content.decode()
    assert "<h2>Leeds Hearing Voices Group" not in html and "<h2>York Bereavement Peer Group" in html


def test_it_refuses_to_change_the_shortlist_by_get(client, demo):
    service = Service.objects.first()
    assert client.get(reverse("directory:shortlist_add", args=[service.id])).status_code == 405


# What matters to people like the reader ---------------------------------------------------------

PANEL_HEADING = "What matters most to people like you"


def panel(html: str) -> str:
    return html.split('id="people-like-me"', 1)[1].split("</section>", 1)[0]


def card(html: str, name: str) -> str:
    return html.split(f"{name}</a>", 1)[1].split('class="nhsuk-card peerhub-listing"', 1)[0]


@pytest.mark.parametrize("persona", ["visitor", "curator"])
def test_it_shows_what_matters_to_the_readers_group_beside_the_results(client_for, personas, demo, published_survey,
                                                                        persona):
    html = find(client_for(personas[persona]), where="SW1A 1AA", group=USED)
    found = panel(html)
    assert PANEL_HEADING in found and "From the answers of 10 people who answered" in found
    assert found.index("Knowing my information is kept private") < found.index("Confidence in the quality")
    assert "likely between" in found and f'href="/what-matters/{published_survey.pk}/results/"' in found
    westminster = card(html, "Westminster Anxiety Peer Circle")
    assert "What it says about what matters to people like you" in westminster
    assert "This listing does not say." in westminster and "Last checked on" in westminster
    assert f"?group={quote(USED)}" in html  # the listing pages keep the group
    assert f'<option value="{USED}" selected>' in html


@pytest.mark.parametrize("persona", ["visitor", "curator"])
def test_it_shows_what_a_listing_says_about_each_factor_that_matters(client_for, personas, demo, published_survey,
                                                                    persona):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    response = client_for(personas[persona]).get(reverse("directory:detail", args=[service.id]), {"group": USED})
    found = panel(response.content.decode())
    privacy = found.split("<h3>1. Knowing my information is kept private</h3>", 1)[1].split("<h3>", 1)[0]
    quality = found.split("<h3>2. Confidence in the quality of the service</h3>", 1)[1].split("<h3>", 1)[0]
    assert "This listing does not say." in privacy
    assert "Last checked on" in quality and "Leeds Hearing Voices Group (example organisation)" in quality
    assert f'href="/what-matters/{published_survey.pk}/results/"' in found


def test_it_says_plainly_when_a_group_has_no_published_results(client, demo, published_survey):
    html = find(client, where="SW1A 1AA", group="GP")
    assert "We have no published results on what matters to people who answered “GP”" in html
    assert PANEL_HEADING not in html and "nhsuk-error-summary" not in html
    assert names_in(html, "nearby")[0] == "Westminster Anxiety Peer Circle"
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    response = client.get(reverse("directory:detail", args=[service.id]), {"group": "<b>GP</b>"})
    assert response.status_code == 200 and "“&lt;b&gt;GP&lt;/b&gt;”" in response.content.decode()


def test_it_shows_nothing_extra_when_no_group_is_chosen(client, demo, published_survey):
    html = find(client, where="SW1A 1AA")
    assert "People like me" in html and 'id="people-like-me"' not in html
    assert "What it says about what matters" not in html and "?group=" not in html


def test_it_leaves_out_the_group_question_when_nothing_is_published(client, demo):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    assert "People like me" not in find(client, where="LS1")
    assert "People like me" not in client.get(reverse("directory:detail", args=[service.id])).content.decode()


def test_it_pins_the_number_of_queries_on_the_results_page_with_a_group(client, demo, published_survey,
                                                                        django_assert_max_num_queries):
    # 41 measured: the page's own, the statistics' six reads, and evidence for every card at once
    # (a fourth evidence query reads the resources when there are any).
    with django_assert_max_num_queries(42):
        find(client, where="SW1A 1AA", radius=50, group=USED)


def test_it_needs_no_more_queries_for_more_results_with_a_group(client, demo, published_survey):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        find(client, where="M1 1AD", radius=5, group=USED)
    with CaptureQueriesContext(connection) as many:
        find(client, where="SW1A 1AA", radius=50, group=USED)
    assert len(many) == len(few)
