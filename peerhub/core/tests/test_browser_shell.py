"""The site shell in a real browser: pages render with the NHS.UK styles, without inline
script (CSP), and pass axe with no serious or critical violations."""

import pytest

from peerhub.core.tests.browser import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("path", ["/", "/about/", "/no-such-page/"])
def test_shell_pages_pass_axe(page, live_server, path):
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server.url + path)
    assert page.locator("header.nhsuk-header").is_visible()
    assert_accessible(page)
    assert not [e for e in errors if "Content Security Policy" in e], errors
