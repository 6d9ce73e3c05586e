"""The curator's import in a real browser (Playwright + Debian's chromium), with axe on every
page: upload a RIS file, check the preview, publish the chosen records directly, see the result."""

import pytest

from peerhub.audit.models import AuditEvent
from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.library.models import Resource, Status
from peerhub.library.services import create_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RIS = """TY  - JOUR
TI  - Peer mentoring for new mothers with depression
AU  - Smith, Jane
PY  - 2021
DO  - 10.1000/browser.1
ER  -

TY  - RPRT
TI  - Walking groups led by volunteers for carers
AU  - Patel, Raj
PY  - 2020
ER  -

TY  - JOUR
TI  - A study already in the library
PY  - 2019
DO  - 10.1000/browser.already
ER  -

TY  - JOUR
AU  - Nobody, Known
ER  -
"""


def test_curator_uploads_previews_and_publishes_the_chosen_records(page, live_server, curator, tmp_path):
    create_resource({"title": "A study already in the library", "resource_type": "research_study",
                     "doi": "10.1000/browser.already"}, actor=curator, publish=True)
    upload = tmp_path / "search-results.txt"  # the format is read from the content, not the name
    upload.write_text(RIS)
    sign_in(page, live_server.url, curator.email)
    page.goto(f"{live_server.url}/curate/import/")
    assert_accessible(page)
    page.get_by_label("Reference files").set_input_files(str(upload))
    page.get_by_role("button", name="Preview the import").click()
    assert page.get_by_role("heading", name="Check the import").is_visible()
    assert page.get_by_text("Duplicate of a catalogue record").is_visible()
    assert page.get_by_text("it has no title, so it cannot be catalogued").is_visible()
    assert_accessible(page)
    page.get_by_label("Import record 2 (line 8) of search-results.txt").uncheck()
    page.get_by_label("Publish them directly (a trusted batch)").check()
    page.get_by_role("button", name="Import the chosen records").click()
    assert page.get_by_role("heading", name="Import finished").is_visible()
    assert page.get_by_text("1 new record published").is_visible()
    assert_accessible(page)
    imported = Resource.objects.get(doi="10.1000/browser.1")
    assert imported.status == Status.PUBLISHED
    assert not Resource.objects.filter(title__startswith="Walking groups").exists()
    assert AuditEvent.objects.get(subject_id=str(imported.pk)).note.startswith("Published directly on import")
