"""The directory in a real browser (Playwright + Debian's chromium), with axe on every page:

1. a visitor enters a postcode and a condition, gets nearby services nearest first and online
   services apart, opens one, and opens its printable referral summary;
2. a provider suggests a change to a listing, and it is published only once a curator approves it;
3. a visitor says who they are ("people like me") and sees what matters most to that group, and
   what each listing says about it."""

import re

import pytest
from django.conf import settings

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.directory.demo import load_directory_demo
from peerhub.directory.models import Service
from peerhub.directory.tests.conftest import USED, load_test_postcodes, require_shared
from peerhub.library.models import Term, Vocabulary
from peerhub.library.taxonomy_install import install_default_taxonomy

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def directory(db):
    """The demo directory. Transactional tests empty the database after each test, so it is
    loaded per test (with the library's categories, which the hub taxonomy mirrors)."""
    require_shared("standards", "openreferral", "uk-profile-3.0")
    if not Term.objects.exists():
        install_default_taxonomy(Vocabulary, Term)
    load_test_postcodes()
    load_directory_demo(settings.SHARED_DATA_DIR)


def miles(page) -> list[float]:
    texts = page.locator("#results .peerhub-distance").all_inner_texts()
    return [float(re.match(r"([0-9.]+) miles away", t).group(1)) for t in texts]


def test_visitor_finds_nearby_and_online_support_and_prints_a_referral_summary(page, live_server, directory):
    page.goto(f"{live_server.url}/directory/")
    assert_accessible(page)
    page.get_by_label("Postcode or town").fill("SW1A 1AA")
    page.get_by_label("Condition or experience").select_option("condition:mental-health")
    page.get_by_role("button", name="Search", exact=True).click()

    nearby = page.locator("#nearby ~ ul").first.locator(".nhsuk-card__link").all_inner_texts()
    assert nearby[0] == "Westminster Anxiety Peer Circle"
    assert {"Islington LGBTQ+ Wellbeing Peers", "Spitalfields New Parents Peer Group"} <= set(nearby)
    distances = miles(page)
    assert len(distances) == len(nearby) >= 3 and distances == sorted(distances)
    online = page.locator("#remote ~ ul").first.locator(".nhsuk-card__link").all_inner_texts()
    assert {"Peer Line: evening phone support for low mood", "Online Anxiety Peer Forum"} <= set(online)
    assert "Westminster Anxiety Peer Circle" not in online
    assert_accessible(page)

    page.get_by_role("link", name="Westminster Anxiety Peer Circle").click()
    assert page.get_by_role("heading", name="Westminster Anxiety Peer Circle", level=1).is_visible()
    assert page.get_by_text("People affected by Anxiety").is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Printable referral summary").click()
    assert page.get_by_role("heading", name="Referral summary: Westminster Anxiety Peer Circle").is_visible()
    assert page.get_by_text("Tuesdays from 18:30 to 20:00").is_visible()
    assert_accessible(page)


def test_a_provider_update_is_published_only_after_a_curator_approves_it(page, live_server, directory, contributor,
                                                                         curator):
    service = Service.objects.get(name="Leeds Hearing Voices Group")
    sign_in(page, live_server.url, contributor.email)
    page.goto(f"{live_server.url}/directory/listing/{service.id}/")
    page.get_by_role("link", name="Suggest a change to this listing").click()
    assert_accessible(page)
    page.get_by_label("Cost").fill("£3 a session, free if you cannot pay")
    page.get_by_role("button", name="Send for checking").click()
    assert page.get_by_text("Waiting for review").first.is_visible()
    assert_accessible(page)
    page.goto(f"{live_server.url}/directory/listing/{service.id}/")
    assert page.get_by_text("£3 a session").count() == 0  # not published yet

    page.get_by_role("button", name="Sign out").click()
    sign_in(page, live_server.url, curator.email)
    page.goto(f"{live_server.url}/directory/curate/")
    assert_accessible(page)
    page.get_by_role("link", name="Leeds Hearing Voices Group").click()
    change = page.locator("tr", has=page.get_by_role("rowheader", name="Cost"))
    assert "Free" in change.inner_text() and "£3 a session, free if you cannot pay" in change.inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Approve and publish").click()
    assert page.get_by_text("is published in the directory").is_visible()

    page.goto(f"{live_server.url}/directory/listing/{service.id}/")
    assert page.get_by_text("£3 a session, free if you cannot pay").is_visible()


def test_visitor_sees_what_matters_to_people_like_them_beside_the_listings(page, live_server, directory,
                                                                           published_survey):
    page.goto(f"{live_server.url}/directory/")
    page.get_by_label("Postcode or town").fill("SW1A 1AA")
    page.get_by_label("People like me").select_option(USED)
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_role("heading", name="What matters most to people like you").is_visible()
    card = page.locator(".peerhub-listing", has=page.get_by_role("link", name="Westminster Anxiety Peer Circle"))
    card.locator("summary").click()  # a native <details>: no JavaScript needed
    assert card.get_by_text("This listing does not say.").first.is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Westminster Anxiety Peer Circle").click()
    assert page.get_by_role("heading", name="1. Knowing my information is kept private").is_visible()
    assert page.get_by_label("People like me").input_value() == USED
    assert_accessible(page)
