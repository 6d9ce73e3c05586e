"""The library's public pages: search, a resource's page, their JSON twins and downloads."""

import datetime
import html
import re

import pytest
import rispy
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from peerhub.library.models import Status, Term
from peerhub.library.services import create_resource, reject_resource, submit_resource

pytestmark = pytest.mark.django_db
PERSONAS = ["visitor", "contributor", "curator", "admin"]


def term(vocabulary: str, slug: str) -> Term:
    return Term.objects.get(vocabulary__slug=vocabulary, slug=slug)


@pytest.fixture
def publish(curator):
    """publish(title=..., terms=[...], **fields) -> a published resource."""

    def make(title="Peer support for people with depression", terms=(), **fields):
        data = {"title": title, "resource_type": "report", "summary": "What peer support does.", **fields}
        return create_resource(data, actor=curator, terms=list(terms), publish=True)

    return make


@pytest.fixture
def other_draft(other_contributor):
    return submit_resource({"title": "Someone else's draft", "resource_type": "toolkit"}, submitter=other_contributor)


@pytest.fixture
def own_draft(contributor):
    return submit_resource({"title": "My own draft", "resource_type": "toolkit"}, submitter=contributor)


def text_of(response) -> str:
    """The page as a reader sees it: entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(strip_tags(response.content.decode())).split())


def search(client, **params):
    return client.get(reverse("library:search"), params)


# --- Search: personas --------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_can_search_and_sees_only_published_resources(
    persona, personas, client_for, publish, other_draft, own_draft
):
    publish(title="A published guide")
    response = search(client_for(personas[persona]))
    assert response.status_code == 200
    text = text_of(response)
    assert "A published guide" in text
    assert "Someone else's draft" not in text
    assert "My own draft" not in text  # drafts are on the person's dashboard, never in the public library


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_gets_the_search_json(persona, personas, client_for, publish, other_draft):
    publish(title="A published guide")
    response = client_for(personas[persona]).get(reverse("library:search_json"))
    assert response.status_code == 200
    titles = [r["title"] for r in response.json()["results"]]
    assert titles == ["A published guide"]


def test_search_refuses_a_post(client):
    assert client.post(reverse("library:search")).status_code == 405


# --- Search: results and words -------------------------------------------------------------


def test_it_shows_type_year_authors_summary_quality_and_example_tag(client, publish):
    publish(title="Peer mentoring in prisons", pub_year=2019, authors=["Ada Lovelace", "Grace Hopper"],
            summary="Mentors who had been in prison.", quality="moderate", is_example=True)
    text = text_of(search(client))
    assert "Peer mentoring in prisons" in text
    assert "Report · 2019 · Ada Lovelace, Grace Hopper" in text
    assert "Mentors who had been in prison." in text
    assert "Evidence quality: Moderate" in text
    assert "Example record" in text


def test_it_restates_the_words_and_filters_in_plain_english(client, publish):
    depression = term("condition", "depression")
    for year in (2019, 2021, 2022):
        publish(title=f"Peer mentoring study {year}", pub_year=year, terms=[depression])
    response = search(client, q="peer mentoring", condition="depression", year_from="2020")
    assert "2 resources match “peer mentoring”, about Depression, published 2020 onwards" in text_of(response)


def test_it_says_one_resource_matches_in_the_singular(client, publish):
    publish(title="Peer mentoring guide")
    assert "1 resource matches “mentoring”" in text_of(search(client, q="mentoring"))


def test_it_finds_by_words_and_leaves_out_non_matching_resources(client, publish):
    publish(title="Peer mentoring guide")
    publish(title="Group walking scheme")
    text = text_of(search(client, q="mentoring"))
    assert "Peer mentoring guide" in text
    assert "Group walking scheme" not in text


def test_it_sorts_newest_first_when_asked(client, publish):
    publish(title="Older study", pub_year=2001)
    publish(title="Newer study", pub_year=2024)
    publish(title="Undated study")
    text = text_of(search(client, sort="newest"))
    assert text.index("Newer study") < text.index("Older study") < text.index("Undated study")


def test_it_sorts_recently_checked_first_when_asked(client, publish):
    today = timezone.localdate()
    publish(title="Checked long ago", last_checked=today - datetime.timedelta(days=900))
    publish(title="Checked last week", last_checked=today - datetime.timedelta(days=7))
    text = text_of(search(client, sort="checked"))
    assert text.index("Checked last week") < text.index("Checked long ago")


def test_it_escapes_a_title_with_a_script_tag(client, publish):
    publish(title="<script>alert(1)</script>", summary="<img src=x onerror=alert(2)>")
    body = search(client).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<img src=x" not in body


def test_it_escapes_the_search_words_it_repeats(client, publish):
    body = search(client, q='"><script>alert(1)</script>').content.decode()
    assert "<script>alert(1)</script>" not in body


# --- Search: facets ------------------------------------------------------------------------


def test_a_facet_link_adds_the_filter_and_keeps_the_other_parameters(client, publish):
    publish(title="Peer mentoring for depression", terms=[term("condition", "depression")])
    response = search(client, q="mentoring", sort="newest", page="1")
    facet = next(f for f in response.context["page"].facets if f.name == "condition")
    depression = next(v for v in facet.values if v.value == "depression")
    assert depression.count == 1
    assert 'href="/library/?q=mentoring&amp;sort=newest&amp;condition=depression"' in response.content.decode()


def test_a_second_term_in_the_same_facet_is_added_alongside_the_first(client, publish):
    publish(terms=[term("condition", "depression"), term("condition", "anxiety")])
    body = search(client, condition="depression").content.decode()
    assert 'href="/library/?condition=depression&amp;condition=anxiety"' in body


def test_a_chosen_facet_value_links_to_the_search_without_it(client, publish):
    publish(terms=[term("condition", "depression"), term("community", "men")])
    body = search(client, condition="depression", community="men").content.decode()
    assert '<span class="nhsuk-u-visually-hidden">Remove filter: </span>Depression' in body
    removal = '<span class="nhsuk-u-visually-hidden">Remove filter: </span>Depression'
    assert f'href="/library/?community=men">{removal}' in body


def test_a_year_bucket_sets_the_year_range(client, publish):
    publish(pub_year=2016)
    body = search(client, q="peer").content.decode()
    assert 'href="/library/?q=peer&amp;year_from=2015&amp;year_to=2019"' in body


def test_a_parent_term_counts_resources_tagged_with_terms_below_it(client, publish):
    publish(title="About depression", terms=[term("condition", "depression")])
    publish(title="About anxiety", terms=[term("condition", "anxiety")])
    publish(title="About both", terms=[term("condition", "anxiety"), term("condition", "depression")])
    page = search(client).context["page"]
    counts = {v.value: v.count for v in next(f for f in page.facets if f.name == "condition").values}
    assert counts["mental-health"] == 3
    assert counts["depression"] == 2
    filtered = search(client, condition="mental-health")
    assert filtered.context["page"].total == 3


def test_facet_counts_are_not_inflated_by_a_filter_on_a_parent_term(client, publish):
    publish(terms=[term("condition", "anxiety"), term("condition", "depression")], quality="high")
    page = search(client, condition="mental-health").context["page"]
    quality = next(f for f in page.facets if f.name == "quality")
    assert [(v.value, v.count) for v in quality.values] == [("high", 1)]


def test_a_long_facet_says_how_many_more_values_there_are(client, publish, monkeypatch):
    monkeypatch.setattr("peerhub.library.selectors.FACET_VALUE_LIMIT", 2)
    publish(terms=[term("community", slug) for slug in ("men", "women", "older-people", "veterans-and-armed-forces")])
    assert "and 2 more." in text_of(search(client))


def test_every_filter_in_use_has_a_remove_link_and_there_is_a_clear_all_link(client, publish):
    publish(terms=[term("condition", "depression")], pub_year=2021, quality="high")
    body = search(client, q="peer", condition="depression", year_from="2020", quality="high").content.decode()
    assert 'href="/library/?q=peer&amp;year_from=2020&amp;quality=high">Remove' in body
    assert 'href="/library/?q=peer&amp;condition=depression&amp;quality=high">Remove' in body
    assert 'href="/library/?q=peer&amp;condition=depression&amp;year_from=2020">Remove' in body
    assert '<a href="/library/?q=peer">Clear all filters</a>' in body


# --- Search: no results --------------------------------------------------------------------


def test_no_results_suggests_which_filter_to_remove_with_the_count_it_would_give(client, publish):
    publish(title="Peer mentoring 2010", pub_year=2010, terms=[term("condition", "depression")])
    publish(title="Peer mentoring 2011", pub_year=2011)
    text = text_of(search(client, q="mentoring", condition="depression", year_from="2020"))
    assert "No resources match “mentoring”, about Depression, published 2020 onwards" in text
    assert "remove the filter “published 2020 onwards” to see 1 resource" in text
    assert "removing the filter “about Depression” on its own would still find nothing" in text
    assert "searching without your words would still find nothing" in text
    assert "check the spelling of your search words" in text


def test_no_results_suggests_dropping_the_words_when_filters_match_something(client, publish):
    publish(title="Walking group", terms=[term("condition", "depression")])
    body = search(client, q="zebra", condition="depression").content.decode()
    assert '<a href="/library/?condition=depression">search without your words</a> to see 1 resource' in body


def test_an_empty_library_says_so_without_error(client):
    response = search(client)
    assert response.status_code == 200
    assert "No resources in the library" in text_of(response)


# --- Search: pagination and query count ----------------------------------------------------


def test_it_shows_twenty_results_a_page_with_numbered_pages(client, publish):
    for i in range(45):
        publish(title=f"Resource number {i:02d}")
    first = search(client)
    assert len(first.context["page"].items) == 20
    body = first.content.decode()
    assert 'class="nhsuk-pagination nhsuk-pagination--numbered"' in body
    assert 'href="/library/?page=2" class="nhsuk-pagination__next"' in body
    third = search(client, page="3")
    assert len(third.context["page"].items) == 5
    assert 'href="/library/?page=2" class="nhsuk-pagination__previous"' in third.content.decode()
    assert 'aria-label="Page 3" aria-current="page"' in third.content.decode()


def test_pages_do_not_repeat_or_skip_resources(client, publish):
    for i in range(25):
        publish(title=f"Resource number {i:02d}")
    seen = [r.pk for n in ("1", "2") for r in search(client, page=n).context["page"].items]
    assert len(seen) == len(set(seen)) == 25


def test_a_facet_link_goes_back_to_page_one(client, publish):
    for _ in range(21):
        publish(resource_type="toolkit")
    body = search(client, page="2").content.decode()
    assert 'href="/library/?type=toolkit"' in body


def test_the_search_page_query_count_does_not_grow_with_the_results(client, publish, django_assert_num_queries):
    depression, men = term("condition", "depression"), term("community", "men")
    for i in range(30):
        publish(title=f"Peer support resource {i}", terms=[depression, men], pub_year=2000 + i % 20, quality="high")
    # index token, facet bitmaps, synonyms, terms, merged terms, match, page in date order,
    # items + their tagging (terms come from the taxonomy in memory), the day's search count; facet
    # counts need no query. PostgreSQL sets the planner to bitmap scans before the match
    # (search.backends.BITMAP_SCANS).
    with django_assert_num_queries(11 if connection.vendor == "postgresql" else 10):
        response = search(client, q="peer support", condition="mental-health", sort="newest")
    assert response.context["page"].total == 30


def test_the_search_page_query_count_is_the_same_for_one_result_and_thirty(client, publish):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    publish(terms=[term("condition", "depression")])
    with CaptureQueriesContext(connection) as one:
        search(client, condition="depression")
    for _ in range(29):
        publish(terms=[term("condition", "depression")])
    with CaptureQueriesContext(connection) as thirty:
        search(client, condition="depression")
    assert len(thirty) == len(one)


# --- Search: bad parameters ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"page": "0"}, "Page must be a whole number from 1 to 10000."),
        ({"page": "abc"}, "Page must be a whole number from 1 to 10000."),
        ({"page": "99"}, "There is no page 99. The results fill 1 page."),
        ({"year_from": "x"}, "Enter a year between 1000 and 2100, like 2019 (got “x”)."),
        ({"year_from": "2020", "year_to": "2010"}, "The end year must be the same as or after the start year."),
        ({"sort": "bogus"}, "Sort must be one of: relevance, newest, checked."),
        ({"condition": "nonexistent"}, "There is no condition called “nonexistent”."),
        ({"type": "poem"}, "“poem” is not a known type of resource."),
        ({"q": "(((!!!)))"}, "Your search has no words we can look for."),
    ],
)
def test_a_bad_parameter_gets_a_clear_message_in_an_error_summary(client, publish, params, message):
    publish()
    response = search(client, **params)
    assert response.status_code == 200
    text = text_of(response)
    assert "There is a problem with your search" in text
    assert message in text


def test_a_ten_thousand_character_query_with_quotes_brackets_and_emoji_is_answered(client, publish):
    publish(title="Peer support")
    response = search(client, q=('peer "support (😀) [x] -"' * 400)[:10_000])
    assert response.status_code == 200
    assert "Your search was too long. Only the first 500 characters were used." in text_of(response)


def test_links_on_a_page_with_a_bad_parameter_do_not_carry_it_forward(client, publish):
    publish(terms=[term("condition", "depression")], quality="high")
    body = search(client, condition=["depression", "nonexistent"], year_from="abc").content.decode()
    links = [href for href in re.findall(r'href="(/library/[^"]*)"', body) if "search.json" not in href]
    assert '/library/?condition=depression&amp;quality=high' in links
    assert not [href for href in links if "nonexistent" in href or "abc" in href]


def test_the_search_json_answers_400_with_the_errors(client):
    response = client.get(reverse("library:search_json"), {"year_from": "x", "condition": "nonexistent"})
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"year_from", "condition"}


def test_the_search_json_matches_the_page(client, publish):
    publish(title="Peer mentoring guide", terms=[term("condition", "depression")])
    data = client.get(reverse("library:search_json"), {"q": "mentoring", "condition": "depression"}).json()
    assert data["total"] == 1
    assert data["filters"] == {"condition": ["depression"]}
    assert data["results"][0]["title"] == "Peer mentoring guide"


# --- Detail page: personas -----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_sees_a_published_resource(persona, personas, client_for, publish):
    resource = publish(title="A published guide")
    response = client_for(personas[persona]).get(resource.get_absolute_url())
    assert response.status_code == 200
    assert "A published guide" in text_of(response)
    assert "Not public" not in text_of(response)


@pytest.mark.parametrize(
    ("persona", "status"), [("visitor", 404), ("contributor", 404), ("curator", 200), ("admin", 200)]
)
def test_another_persons_draft_is_hidden_except_from_curators(persona, status, personas, client_for, other_draft):
    client = client_for(personas[persona])
    for name in ("library:detail", "library:detail_json", "library:export_ris", "library:export_bibtex"):
        assert client.get(reverse(name, args=[other_draft.pk])).status_code == status, name


def test_a_contributor_sees_their_own_draft_with_its_status(client_for, contributor, own_draft):
    text = text_of(client_for(contributor).get(own_draft.get_absolute_url()))
    assert "My own draft" in text
    assert "Status: Waiting for review" in text
    assert "A curator will check this resource before it appears in the library." in text


def test_a_rejected_submission_shows_the_curators_reason_to_its_submitter(client_for, contributor, curator, own_draft):
    reject_resource(own_draft, actor=curator, reason="It is about <b>physiotherapy</b>, not peer support.")
    body = client_for(contributor).get(own_draft.get_absolute_url()).content.decode()
    assert "Status: Not accepted" in body
    assert "The curator’s reason: It is about &lt;b&gt;physiotherapy&lt;/b&gt;, not peer support." in body


@pytest.mark.parametrize("persona", PERSONAS)
def test_a_missing_resource_is_404(persona, personas, client_for):
    client = client_for(personas[persona])
    assert client.get(reverse("library:detail", args=[999_999])).status_code == 404
    assert client.get(reverse("library:detail_json", args=[999_999])).status_code == 404


# --- Detail page: content ------------------------------------------------------------------


def test_the_detail_page_shows_every_fact(client, publish):
    resource = publish(
        title="Peer support in perinatal care", description="Line one.\nLine two.", authors=["Jane Smith"],
        organisation="Mind", pub_year=2021, pub_month=5, url="https://example.org/report", doi="10.1234/abc.5",
        pmid="12345", isbn="9780306406157", access="free", licence="CC BY 4.0",
        terms=[term("condition", "depression"), term("community", "women")],
    )
    response = client.get(resource.get_absolute_url())
    text, body = text_of(response), response.content.decode()
    for expected in ("Jane Smith", "Mind", "May 2021", "Free to read", "CC BY 4.0", "9780306406157", "Line two."):
        assert expected in text
    assert 'href="https://doi.org/10.1234/abc.5"' in body
    assert 'href="https://pubmed.ncbi.nlm.nih.gov/12345/"' in body
    assert 'href="https://example.org/report"' in body
    assert 'href="/library/?condition=depression">Depression' in body
    assert 'href="/library/?community=women">Women' in body


def test_the_detail_page_explains_the_appraisal_in_plain_english(client, publish):
    resource = publish(study_design="rct", quality="low", appraisal_rationale="Small sample of 20 people.")
    text = text_of(client.get(resource.get_absolute_url()))
    assert "Randomised controlled trial" in text
    assert "Low" in text
    assert "The findings may be useful but are uncertain." in text
    assert "Small sample of 20 people." in text


def test_an_unappraised_resource_says_so(client, publish):
    resource = publish()
    assert "Not yet appraised" in text_of(client.get(resource.get_absolute_url()))


def test_the_detail_page_says_when_it_was_last_checked_and_when_review_is_due(client, publish):
    today = timezone.localdate()
    checked = today - datetime.timedelta(days=95)
    resource = publish(last_checked=checked, review_due=today + datetime.timedelta(days=300))
    text = text_of(client.get(resource.get_absolute_url()))
    assert f"Last checked 3 months ago, on {checked.day} {checked:%B %Y}" in text
    assert "Review due" in text


def test_a_never_checked_resource_says_so(client, publish):
    assert "Never checked" in text_of(client.get(publish().get_absolute_url()))


def test_the_detail_page_gives_a_citation_and_download_links(client, publish):
    resource = publish(title="Peer work", authors=["Jane Smith"], organisation="Mind", pub_year=2020, doi="10.1234/xy")
    response = client.get(resource.get_absolute_url())
    assert "Jane Smith (2020). Peer work. Mind. https://doi.org/10.1234/xy" in text_of(response)
    body = response.content.decode()
    assert f'href="/library/{resource.pk}/export.ris"' in body
    assert f'href="/library/{resource.pk}/export.bib"' in body


def test_the_detail_page_marks_an_example_record(client, publish):
    assert "Example record" in text_of(client.get(publish(is_example=True).get_absolute_url()))


def test_the_detail_page_escapes_user_text(client, publish):
    resource = publish(title="<script>alert(1)</script>", description="<img src=x onerror=alert(1)>")
    body = client.get(resource.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "<img src=x" not in body


@pytest.mark.parametrize(("persona", "shown"), [("visitor", False), ("contributor", False), ("curator", True),
                                                 ("admin", True)])
def test_only_curators_see_the_curator_tools(persona, shown, personas, client_for, publish):
    resource = publish()
    response = client_for(personas[persona]).get(resource.get_absolute_url())
    assert response.status_code == 200
    assert response.context["can_curate"] is shown
    body = response.content.decode()
    assert (f'href="/curate/{resource.pk}/edit/"' in body) is shown
    assert (f'href="/curate/{resource.pk}/history/"' in body) is shown


def test_the_detail_page_loads_in_a_fixed_number_of_queries(client, publish, django_assert_max_num_queries):
    resource = publish(terms=[term("condition", slug) for slug in ("depression", "anxiety", "psychosis")])
    # 4 for the resource and its categories, 2 for related local services in the directory.
    with django_assert_max_num_queries(6):
        client.get(resource.get_absolute_url())


def test_the_detail_json_gives_the_resource_detail(client, publish):
    resource = publish(title="Peer work", pub_year=2020, pub_month=3)
    data = client.get(reverse("library:detail_json", args=[resource.pk])).json()
    assert data["id"] == resource.pk
    assert data["publication_date"] == "2020-03"
    assert data["status"] == {"value": Status.PUBLISHED, "label": "Published"}


# --- Downloads -----------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_every_persona_can_download_a_published_resources_references(persona, personas, client_for, publish):
    resource = publish(title="Peer work", authors=["Jane Smith"], pub_year=2020)
    client = client_for(personas[persona])
    ris = client.get(reverse("library:export_ris", args=[resource.pk]))
    assert ris.status_code == 200
    assert ris["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert ris["Content-Disposition"] == f'attachment; filename="smith2020_{resource.pk}.ris"'
    assert rispy.loads(ris.content.decode())[0]["title"] == "Peer work"
    bib = client.get(reverse("library:export_bibtex", args=[resource.pk]))
    assert bib["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert bib["Content-Disposition"] == f'attachment; filename="smith2020_{resource.pk}.bib"'
    assert bib.content.decode().startswith(f"@techreport{{smith2020_{resource.pk},")


def test_a_contributor_can_download_their_own_draft(client_for, contributor, own_draft):
    response = client_for(contributor).get(reverse("library:export_ris", args=[own_draft.pk]))
    assert response.status_code == 200


def test_a_download_filename_is_plain_ascii_whatever_the_author_is_called(client, publish):
    resource = publish(authors=["O'Brien-Ñúñez, \"Jo\"; rm -rf /\r\n"], pub_year=2020)
    response = client.get(reverse("library:export_bibtex", args=[resource.pk]))
    assert response["Content-Disposition"] == f'attachment; filename="obriennunez2020_{resource.pk}.bib"'
