"""The freshness dashboard in a real browser (Playwright + Debian's chromium): a curator signs in,
runs the link check against a local server, and sees the link that failed twice in a row flagged
and linked to its record, with no serious or critical axe violations."""

import pytest

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.freshness import services
from peerhub.freshness.tests.linkserver import LinkServer
from peerhub.library.services import create_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_curator_sees_flagged_links_on_the_dashboard(page, live_server, curator, settings):
    settings.LINK_CHECK_TIMEOUT_SECONDS = 0.5
    with LinkServer() as server:
        good = create_resource({"title": "Peer support toolkit that still works", "resource_type": "toolkit",
                                "url": server.url("/moved")}, actor=None, publish=True)
        gone = create_resource({"title": "Befriending guide that disappeared", "resource_type": "toolkit",
                                "url": server.url("/missing")}, actor=None, publish=True)
        services.check_links([good, gone])
        sign_in(page, live_server.url, curator.email)
        page.goto(f"{live_server.url}/curate/freshness/")
        page.get_by_role("button", name="Check links now").click()  # the second failure in a row
    assert page.get_by_role("status").get_by_text("Checked 2 links: 1 working, 1 failing").is_visible()
    broken = page.locator("table", has=page.get_by_text("What went wrong"))
    assert broken.get_by_role("link", name="Befriending guide that disappeared", exact=True).is_visible()
    assert broken.get_by_text("The site answered 404").is_visible()
    assert broken.get_by_role("link", name="Peer support toolkit that still works", exact=True).count() == 0
    assert_accessible(page)
    broken.get_by_role("link", name="Befriending guide that disappeared", exact=True).click()
    assert page.get_by_role("heading", name="Befriending guide that disappeared").is_visible()
