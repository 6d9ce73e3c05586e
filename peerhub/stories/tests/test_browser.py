"""The whole journey in a real browser: a visitor tells a story and is warned about a phone
number; a moderator anonymises and publishes it; its page shows the fingerprint; the list
filtered by purpose and audience finds it; the collection map's count moves; the storyteller's
private link withdraws it. Every page passes axe (no serious or critical problems)."""

import re

import pytest
from django.core import mail

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.stories.models import Story

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
CELL = '[data-row="peer-supporter"][data-purpose="evidence-impact"]'


def tell_story(page, base_url):
    page.goto(f"{base_url}/stories/tell/")
    assert_accessible(page)
    page.get_by_label("Title").fill("Keeping the Thursday group going")
    page.get_by_label("Your story", exact=True).fill("We kept the group going for a year. Ring me on 07700 900123.")
    page.get_by_role("radio", name="Peer supporter").check()
    page.get_by_role("checkbox", name="Evidence impact").check()
    page.get_by_role("checkbox", name="Commissioners", exact=True).check()
    page.get_by_role("radio", name="Publish openly, for anyone to read").check()
    page.get_by_role("radio", name="No, keep me anonymous").check()
    page.locator("#id_open_data_0").check()
    page.locator("#id_under_16_1").check()
    page.get_by_label("Your email address").fill("teller@example.net")
    page.get_by_role("checkbox", name="I agree").check()
    page.get_by_role("button", name="Send my story").click()


def map_cell(page, base_url) -> str:
    page.goto(f"{base_url}/stories/map/")
    return " ".join(page.locator(CELL).first.inner_text().split())


def test_a_story_from_telling_to_withdrawal(page, live_server, curator):
    base = live_server.url
    assert map_cell(page, base) == "none yet"
    assert_accessible(page)

    tell_story(page, base)
    warning = page.locator("#personal-details-warning")
    assert "a phone number" in warning.inner_text() and "07700 900123" in warning.inner_text()
    assert_accessible(page)
    page.get_by_role("checkbox", name=re.compile("Send my story as it is")).check()
    page.get_by_role("button", name="Send my story").click()
    page.get_by_role("heading", name="Thank you for sharing your story").wait_for()
    assert_accessible(page)
    story = Story.objects.get()

    sign_in(page, base, curator.email)
    page.goto(f"{base}/stories/moderate/")
    assert_accessible(page)
    page.get_by_role("link", name="Keeping the Thursday group going").click()
    assert "07700 900123" in page.locator("#findings").inner_text()
    assert_accessible(page)
    page.get_by_label("Your story", exact=True).fill("We kept the group going for a year. Ring me on [phone number].")
    page.get_by_role("button", name="Save changes").click()
    assert "07700 900123" in page.locator(".story-diff del").inner_text()
    assert "[phone number]" in page.locator(".story-diff ins").inner_text()
    assert "No likely personal details found." in page.locator("#findings").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Publish", exact=True).click()

    page.get_by_role("heading", name="Keeping the Thursday group going").wait_for()
    assert page.get_by_role("img", name=re.compile(r"^Story fingerprint: storyteller Peer supporter")).is_visible()
    assert "Purpose: Evidence impact." in page.locator("#fingerprint-description").inner_text()
    assert_accessible(page)

    page.get_by_role("button", name="Sign out").click()
    page.goto(f"{base}/stories/")
    page.get_by_role("link", name=re.compile(r"^Evidence impact")).click()
    page.get_by_role("link", name=re.compile(r"^Commissioners")).click()
    assert "purpose=evidence-impact" in page.url and "audience=commissioners" in page.url
    assert page.get_by_role("link", name="Keeping the Thursday group going").is_visible()
    assert_accessible(page)

    assert map_cell(page, base).startswith("1 story")

    link = re.search(r"http://\S+/stories/withdraw/\S+/", mail.outbox[0].body).group(0)
    page.goto(link.replace("http://127.0.0.1:8000", base))
    assert_accessible(page)
    page.get_by_role("button", name="Withdraw and erase my story").click()
    page.get_by_role("heading", name="Your story is withdrawn").wait_for()
    assert_accessible(page)
    page.goto(f"{base}/stories/{story.pk}/")
    assert "withdrawn by the storyteller" in page.content()
    assert map_cell(page, base) == "none yet"
