"""Filter links, page numbers and plain-English dates on the library pages."""

import datetime

import pytest
from django.http import QueryDict
from django.test import RequestFactory
from django.utils import timezone

from peerhub.library.facets import SearchParams
from peerhub.library.models import Resource
from peerhub.library.selectors import Facet, FacetValue, SearchPage
from peerhub.library.templatetags.library_tags import (
    clear_filters_url,
    facet_url,
    page_numbers,
    partial_date,
    remove_filter_url,
    results_sentence,
    time_ago,
    with_value,
    without_value,
)


def context_for(query: str, errors=None, lookup=None) -> dict:
    page = SearchPage(params=SearchParams(), items=[], total=0, facets=[], errors=errors or {},
                      term_lookup=lookup or {})
    return {"request": RequestFactory().get(f"/library/?{query}"), "page": page}


def test_adding_a_term_keeps_the_terms_already_chosen():
    query = with_value(QueryDict("condition=anxiety", mutable=True), "condition", "depression")
    assert query.getlist("condition") == ["anxiety", "depression"]


def test_adding_the_same_term_twice_does_not_repeat_it():
    query = with_value(QueryDict("condition=anxiety", mutable=True), "condition", "anxiety")
    assert query.getlist("condition") == ["anxiety"]


def test_a_single_valued_facet_replaces_its_value():
    query = with_value(QueryDict("type=report", mutable=True), "type", "toolkit")
    assert query.getlist("type") == ["toolkit"]


def test_removing_one_term_keeps_the_others():
    query = without_value(QueryDict("condition=anxiety&condition=depression", mutable=True), "condition", "anxiety")
    assert query.getlist("condition") == ["depression"]


def test_removing_the_year_range_clears_both_ends():
    query = without_value(QueryDict("year_from=2000&year_to=2010&q=x", mutable=True), "year")
    assert query.urlencode() == "q=x"


def test_a_facet_link_drops_the_page_number():
    facet = Facet("type", "Type", [])
    url = facet_url(context_for("q=peer&page=3"), facet, FacetValue("report", "Report", 2))
    assert url == "/library/?q=peer&type=report"


def test_a_year_facet_link_sets_both_ends_or_one():
    facet = Facet("year", "Year published", [])
    context = context_for("year_from=1990&year_to=1995")
    assert facet_url(context, facet, FacetValue("2015-2019", "2015 to 2019", 1)) == (
        "/library/?year_from=2015&year_to=2019"
    )
    assert facet_url(context, facet, FacetValue("2020-", "2020 onwards", 1)) == "/library/?year_from=2020"
    assert facet_url(context, facet, FacetValue("-1999", "Before 2000", 1)) == "/library/?year_to=1999"


def test_a_chosen_year_facet_links_to_the_search_without_years():
    facet = Facet("year", "Year published", [])
    url = facet_url(context_for("q=a&year_from=2020"), facet, FacetValue("2020-", "2020 onwards", 1, selected=True))
    assert url == "/library/?q=a"


def test_links_drop_parameters_the_search_could_not_use():
    context = context_for("q=a&year_from=abc&condition=nope&condition=anxiety",
                          errors={"year_from": "bad", "condition": "bad", "q": "too long"},
                          lookup={("condition", "anxiety"): object()})
    assert remove_filter_url(context, "type") == "/library/?q=a&condition=anxiety"


def test_clear_all_keeps_the_words_and_sort_only():
    context = context_for("q=a&sort=newest&condition=anxiety&type=report&page=2")
    assert clear_filters_url(context) == "/library/?q=a&sort=newest"


def test_clearing_everything_gives_the_bare_search_address():
    assert clear_filters_url(context_for("condition=anxiety")) == "/library/"


@pytest.mark.parametrize(
    ("current", "last", "expected"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 10, [1, 2, None, 10]),
        (5, 10, [1, None, 4, 5, 6, None, 10]),
        (10, 10, [1, None, 9, 10]),
        (3, 10, [1, 2, 3, 4, None, 10]),
    ],
)
def test_page_numbers_show_the_ends_and_a_window_with_gaps_marked(current, last, expected):
    assert page_numbers(current, last) == expected


@pytest.mark.parametrize(
    ("year", "month", "day", "expected"),
    [(None, None, None, ""), (2021, None, None, "2021"), (2021, 5, None, "May 2021"), (2021, 5, 3, "3 May 2021"),
     (2021, 2, 31, "2021")],
)
def test_a_partial_date_reads_naturally(year, month, day, expected):
    assert partial_date(Resource(pub_year=year, pub_month=month, pub_day=day)) == expected


def test_time_ago_reads_naturally():
    today = timezone.localdate()
    assert time_ago(today) == "today"
    assert time_ago(today - datetime.timedelta(days=1)) == "yesterday"
    assert time_ago(today - datetime.timedelta(days=10)) == "1\xa0week ago"
    assert time_ago(today - datetime.timedelta(days=400)) == "1\xa0year ago"
    assert time_ago(None) == ""


class Named:
    def __init__(self, words):
        self.words = words


@pytest.mark.parametrize(
    ("q", "total", "filters", "expected"),
    [
        ("", 30, [], "30 resources in the library"),
        ("", 0, [], "No resources in the library"),
        ("peer", 1, [], "1 resource matches “peer”"),
        ("peer mentoring", 1200, ["about Depression", "published 2020 onwards"],
         "1,200 resources match “peer mentoring”, about Depression, published 2020 onwards"),
        ("", 3, ["about Depression", "for Men"], "3 resources about Depression, for Men"),
    ],
)
def test_the_results_sentence_restates_the_search(q, total, filters, expected):
    page = SearchPage(params=SearchParams(q=q), items=[], total=total, facets=[])
    assert results_sentence(page, [Named(words) for words in filters]) == expected
