"""Template helpers for the library pages: filter links built from the current URL, page
links, and dates in plain English.

Every facet is a plain link, so filtering works without JavaScript. Links keep the other
parameters and drop `page`, because a changed filter changes which results page 1 holds."""

import datetime

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as format_date
from django.utils.timesince import timesince

from peerhub.library.facets import VOCABULARY_FACETS

register = template.Library()
PAGE_WINDOW = 1  # page numbers shown either side of the current page


def _search_url(query: QueryDict) -> str:
    base = reverse("library:search")
    encoded = query.urlencode()
    return f"{base}?{encoded}" if encoded else base


def _current(context) -> QueryDict:
    """The current search's parameters without `page`, and without the parts the search could
    not use (they were ignored, so links should not carry the error on to the next page)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    page = context.get("page")
    for name in getattr(page, "errors", {}):
        if name in VOCABULARY_FACETS:
            query.setlist(name, [slug for slug in query.getlist(name) if (name, slug) in page.term_lookup])
        elif name != "q":  # a "q" message is a notice: the words were still used
            query.pop(name, None)
    return query


def with_value(query: QueryDict, name: str, value: str) -> QueryDict:
    """Add a value: taxonomy facets take several (each narrows further); the rest take one."""
    if name in VOCABULARY_FACETS:
        if value not in query.getlist(name):
            query.appendlist(name, value)
    else:
        query.setlist(name, [value])
    return query


def without_value(query: QueryDict, name: str, value: str = "") -> QueryDict:
    """Remove one value, or every value of the parameter when none is given. "year" stands
    for the year range, which is two parameters."""
    names = ["year_from", "year_to"] if name == "year" else [name]
    for each in names:
        kept = [v for v in query.getlist(each) if value and v != value]
        query.setlist(each, kept) if kept else query.pop(each, None)
    return query


def with_year_range(query: QueryDict, value: str) -> QueryDict:
    """`value` is "from-to" with either end possibly empty, as the year facet gives it."""
    year_from, _dash, year_to = value.partition("-")
    without_value(query, "year")
    for name, year in (("year_from", year_from), ("year_to", year_to)):
        if year:
            query[name] = year
    return query


@register.simple_tag(takes_context=True)
def facet_url(context, facet, facet_value) -> str:
    """The link for one facet value: it removes the value if chosen, otherwise adds it."""
    query = _current(context)
    if facet_value.selected:
        return _search_url(without_value(query, facet.name, "" if facet.name == "year" else facet_value.value))
    if facet.name == "year":
        return _search_url(with_year_range(query, facet_value.value))
    return _search_url(with_value(query, facet.name, facet_value.value))


@register.simple_tag(takes_context=True)
def remove_filter_url(context, name: str, value: str = "") -> str:
    return _search_url(without_value(_current(context), name, value))


@register.simple_tag(takes_context=True)
def clear_filters_url(context) -> str:
    """Keeps the words and the sort order; drops every filter."""
    current = _current(context)
    kept = QueryDict(mutable=True)
    for name in ("q", "sort"):
        if current.get(name):
            kept[name] = current[name]
    return _search_url(kept)


@register.simple_tag(takes_context=True)
def page_url(context, number: int) -> str:
    query = _current(context)
    if number > 1:
        query["page"] = str(number)
    return _search_url(query)


@register.simple_tag
def term_search_url(vocabulary_slug: str, term_slug: str) -> str:
    query = QueryDict(mutable=True)
    query[vocabulary_slug] = term_slug
    return _search_url(query)


def page_numbers(current: int, last: int) -> list[int | None]:
    """1 … 4 5 6 … 20: the first, the last and a window round the current page; None marks a gap."""
    shown = sorted({1, last, *range(max(1, current - PAGE_WINDOW), min(last, current + PAGE_WINDOW) + 1)})
    numbers: list[int | None] = []
    for number in shown:
        if numbers and number - numbers[-1] > 1:
            numbers.append(None)
        numbers.append(number)
    return numbers


@register.simple_tag(takes_context=True)
def pagination_items(context, page) -> list[dict]:
    current = page.params.page
    return [
        {"ellipsis": True} if number is None
        else {"number": number, "url": page_url(context, number), "current": number == current}
        for number in page_numbers(current, page.page_count)
    ]


@register.filter
def partial_date(resource) -> str:
    """"2021", "May 2021" or "3 May 2021": only as precise as the record is."""
    if not resource.pub_year:
        return ""
    if not resource.pub_month:
        return str(resource.pub_year)
    try:
        day = datetime.date(resource.pub_year, resource.pub_month, resource.pub_day or 1)
    except ValueError:
        return str(resource.pub_year)  # an impossible date is shown only as precisely as it is valid
    return format_date(day, "j F Y" if resource.pub_day else "F Y")


@register.filter
def time_ago(day: datetime.date | None) -> str:
    """"today", "yesterday" or "3 months ago", to the largest whole unit."""
    if not day:
        return ""
    days = (timezone.localdate() - day).days
    if days < 0:
        return f"in {timesince(timezone.localdate(), day, depth=1)}"
    if days < 2:
        return "today" if days == 0 else "yesterday"
    return f"{timesince(day, timezone.localdate(), depth=1)} ago"


@register.filter
def is_past(day: datetime.date | None) -> bool:
    return bool(day and day < timezone.localdate())


# Boxes on the search page that hold each parameter, so an error can link to its box.
FIELD_IDS = {"q": "search-q", "sort": "search-sort", "year_from": "year-from", "year_to": "year-to"}


@register.simple_tag(takes_context=True)
def error_links(context, errors: dict) -> list[tuple[str, str]]:
    """(message, link) per error: the box to correct, or, for a filter without a box (a
    term slug from an old link), the same search without that filter."""
    return [
        (message, f"#{FIELD_IDS[name]}" if name in FIELD_IDS else remove_filter_url(context, name))
        for name, message in errors.items()
    ]


@register.simple_tag
def results_sentence(page, filters) -> str:
    """"12 resources match “peer mentoring”, about Depression, published 2020 onwards"."""
    total, q = page.total, page.params.q
    count = "No" if total == 0 else f"{total:,}"
    noun = "resource" if total == 1 else "resources"
    if not q and not filters:
        return f"{count} {noun} in the library"
    words = [f.words for f in filters]
    if not q:  # "3 resources about Depression, published 2020 onwards"
        return f"{count} {noun} " + ", ".join(words)
    return ", ".join([f"{count} {noun} {'matches' if total == 1 else 'match'} “{q[:100]}”", *words])


@register.simple_tag(takes_context=True)
def export_url(context, extension: str) -> str:
    """The current search as a download (every page of it), without the parts it could not use."""
    encoded = _current(context).urlencode()
    base = reverse("library:export_results", args=[extension])
    return f"{base}?{encoded}" if encoded else base
