"""The library journey in a real browser (Playwright + Debian's chromium), with axe on every
page visited:

1. a visitor searches, narrows by two facets, opens a resource and downloads its RIS;
2. a contributor submits a resource and is warned of a duplicate;
3. a curator publishes a waiting resource;
4. the published resource is then found by search."""

import pytest
import rispy

from peerhub.core.tests.browser import assert_accessible, sign_in
from peerhub.library.models import Resource, Status, Term
from peerhub.library.services import create_resource, submit_resource

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TARGET_TITLE = "Peer mentoring for people with depression in primary care"


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


def choose_facet(page, facet: str, value: str) -> None:
    """Open the facet's section if it is folded away, as a person would, then follow the link."""
    section = page.locator(f"#facet-{facet}")
    if section.get_attribute("open") is None:
        section.locator("summary").click()
    section.get_by_role("link", name=value, exact=True).click()


@pytest.fixture
def catalogue(contributor):
    published = [
        (TARGET_TITLE, "10.1000/journey.1", [term("condition", "depression"), term("format", "group")]),
        ("Peer mentoring for people with diabetes", "10.1000/journey.2", [term("condition", "diabetes")]),
        (
            "Peer mentoring by telephone for carers",
            "10.1000/journey.3",
            [term("condition", "depression"), term("format", "telephone")],
        ),
    ]
    for title, doi, terms in published:
        create_resource(
            {
                "title": title,
                "resource_type": "research_study",
                "doi": doi,
                "pub_year": 2022,
                "authors": ["Smith, Jane"],
                "summary": "How peer mentors helped.",
            },
            actor=None,
            terms=terms,
            publish=True,
        )
    submit_resource(
        {"title": "Walking groups led by volunteers with lived experience", "resource_type": "report"},
        submitter=contributor,
    )


def test_visitor_searches_narrows_by_two_facets_and_downloads_ris(page, live_server, catalogue):
    page.goto(f"{live_server.url}/library/")
    assert_accessible(page)
    page.get_by_label("Search words").fill("peer mentoring")
    page.get_by_role("button", name="Search", exact=True).click()
    assert page.get_by_role("heading", name="3 resources match", exact=False).is_visible()
    choose_facet(page, "condition", "Depression")
    choose_facet(page, "format", "Group")
    assert_accessible(page)
    results = page.locator("main").get_by_role("link", name=TARGET_TITLE)
    assert results.count() == 1
    assert page.get_by_text("Peer mentoring for people with diabetes").count() == 0
    results.click()
    assert page.get_by_role("heading", level=1).inner_text() == TARGET_TITLE
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="RIS file").click()
    records = rispy.loads(open(download_info.value.path(), encoding="utf-8").read())
    assert records[0]["title"] == TARGET_TITLE


def test_contributor_is_warned_of_a_duplicate(page, live_server, catalogue, contributor):
    sign_in(page, live_server.url, contributor.email)
    page.goto(f"{live_server.url}/library/submit/")
    assert_accessible(page)
    page.get_by_label("Title", exact=True).fill(TARGET_TITLE.upper() + ".")
    page.get_by_label("Link (optional)").fill("https://www.example.org/another-copy")
    page.get_by_label("Type of resource").select_option("research_study")
    page.get_by_role("button", name="Send suggestion").click()
    warning = page.get_by_text("This may already be in the library")
    assert warning.is_visible()
    assert page.get_by_role("link", name=TARGET_TITLE).is_visible()
    assert_accessible(page)
    assert Resource.objects.filter(title__iexact=TARGET_TITLE + ".").count() == 0


def test_curator_publishes_and_the_resource_is_then_found(page, live_server, catalogue, curator):
    sign_in(page, live_server.url, curator.email)
    page.goto(f"{live_server.url}/curate/")
    assert_accessible(page)
    page.get_by_role("link", name="Walking groups led by volunteers with lived experience").click()
    assert_accessible(page)
    page.get_by_role("button", name="Publish").click()
    assert Resource.objects.get(title__startswith="Walking groups").status == Status.PUBLISHED
    page.goto(f"{live_server.url}/library/")
    page.get_by_label("Search words").fill("walking volunteers")
    page.get_by_role("button", name="Search", exact=True).click()
    assert (
        page.locator("main")
        .get_by_role("link", name="Walking groups led by volunteers with lived experience")
        .is_visible()
    )
    assert_accessible(page)
