"""Account journeys in a real browser: each page passes axe with no serious or critical
violations and runs under the strict Content Security Policy."""

import re

import pytest
from django.core import mail

from peerhub.core.tests.browser import assert_accessible, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def csp_errors(page):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if "Content Security Policy" in msg.text else None)
    return errors


def test_a_person_signs_up_confirms_and_reaches_their_dashboard(page, live_server, csp_errors):
    page.goto(f"{live_server.url}/accounts/signup/")
    assert_accessible(page)
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="There is a problem").is_visible()
    assert_accessible(page)
    page.get_by_label("Email address").fill("browser.person@example.org")
    page.get_by_label("Create a password").fill("lantern-orchard-meadow-42")
    page.get_by_label("Confirm your password").fill("lantern-orchard-meadow-42")
    page.wait_for_timeout(3200)  # the form refuses anything sent faster than a person could
    page.get_by_role("button", name="Create account").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    link = re.search(r"/accounts/confirm/\S+/", mail.outbox[0].body).group(0)
    page.goto(live_server.url + link)
    assert_accessible(page)
    page.get_by_role("button", name="Confirm my account").click()
    assert page.get_by_role("heading", name="Your account").is_visible()
    assert_accessible(page)
    assert not csp_errors


def test_api_tokens_and_account_management_pages_are_accessible(page, live_server, admin_user, csp_errors):
    sign_in(page, live_server.url, admin_user.email)
    page.goto(f"{live_server.url}/accounts/tokens/")
    page.get_by_label("Token name").fill("Reference manager")
    page.get_by_role("button", name="Create token").click()
    assert page.get_by_label("Your new token").input_value()
    assert_accessible(page)
    page.goto(f"{live_server.url}/accounts/users/")
    assert_accessible(page)
    page.get_by_role("link", name=re.compile(admin_user.email)).click()
    page.get_by_label("Curator").check()
    page.get_by_role("button", name="Save changes").click()
    assert page.get_by_text("You cannot remove your own administrator role").first.is_visible()
    assert_accessible(page)
    assert not csp_errors


def test_sign_in_and_the_lock_out_page_are_accessible(page, live_server, contributor, csp_errors):
    page.goto(f"{live_server.url}/accounts/login/")
    assert_accessible(page)
    for _ in range(5):
        page.get_by_label("Email address").fill(contributor.email)
        page.get_by_label("Password", exact=True).fill("wrong-password")
        page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Sign-in is paused for 15 minutes").is_visible()
    assert_accessible(page)
    assert not csp_errors
