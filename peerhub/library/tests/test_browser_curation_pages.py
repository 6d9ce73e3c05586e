"""Every curation page of the library passes axe in a real browser, with no serious or
critical violations: the pages the journey test does not visit."""

import pytest

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.library.models import Term
from peerhub.library.services import submit_resource, update_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_history_taxonomy_and_term_pages_pass_axe(page, live_server, curator, contributor):
    resource = submit_resource({"title": "Peer mentoring in prisons", "resource_type": "report"}, submitter=contributor)
    update_resource(resource, {"summary": "Mentors who have left prison support those still inside."}, actor=curator)
    term = Term.objects.get(vocabulary__slug="condition", slug="anxiety")
    sign_in(page, live_server.url, curator.email)
    for path in [f"/curate/{resource.pk}/history/", "/curate/taxonomy/", "/curate/taxonomy/condition/add/",
                 f"/curate/taxonomy/terms/{term.pk}/edit/", f"/curate/taxonomy/terms/{term.pk}/merge/",
                 "/library/open-data/", "/curate/search/synonyms/", "/curate/search/analytics/"]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_accessible(page)
