"""Template helpers for the stories pages: filter links built from the current URL (every
facet is a plain link, so filtering works without JavaScript), map cell links and the
fingerprint glyph."""

from django import template
from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import mark_safe

from peerhub.stories import selectors
from peerhub.stories.params import HUB_FACETS, TERM_FACETS

register = template.Library()


def _url(name: str, query: QueryDict) -> str:
    encoded = query.urlencode()
    return reverse(name) + (f"?{encoded}" if encoded else "")


def _current(context) -> QueryDict:
    """The current parameters without `page` (a changed filter changes what page 1 holds)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    return query


def _toggled(query: QueryDict, name: str, value: str, selected: bool) -> QueryDict:
    if name in TERM_FACETS:
        values = [v for v in query.getlist(name) if v != value]
        query.setlist(name, values if selected else [*values, value])
    else:
        query.setlist(name, [] if selected else [value])
    return query


@register.simple_tag(takes_context=True)
def story_facet_url(context, facet, facet_value) -> str:
    """Adds the value, or removes it if it is already chosen."""
    return _url("stories:list", _toggled(_current(context), facet.name, facet_value.value, facet_value.selected))


@register.simple_tag(takes_context=True)
def story_remove_url(context, name: str, value: str) -> str:
    return _url("stories:list", _toggled(_current(context), name, value, True))


@register.simple_tag(takes_context=True)
def story_page_url(context, number: int) -> str:
    query = _current(context)
    if number > 1:
        query["page"] = str(number)
    return _url("stories:list", query)


def _map_filters(params) -> QueryDict:
    query = QueryDict(mutable=True)
    for name in HUB_FACETS:
        query.setlist(name, params.terms.get(name, []))
    return query


@register.simple_tag
def cell_list_url(matrix, cell, params) -> str:
    """The stories in one map cell, as a filtered list."""
    query = _map_filters(params)
    query[matrix.dimension] = cell.row.slug
    query["purpose"] = cell.column.slug
    return _url("stories:list", query)


@register.simple_tag
def cell_export_url(matrix, cell, params) -> str:
    query = _map_filters(params)
    query.update({"row": matrix.dimension, "row_term": cell.row.slug, "purpose": cell.column.slug})
    return _url("stories:export_cell", query)


@register.filter
def fingerprint(story) -> str:
    # Built only from our own numbers and escaped term names (see fingerprint.py), so safe inline.
    return mark_safe(selectors.fingerprint(story))  # noqa: S308


@register.filter
def topography_words(story) -> str:
    return selectors.describe_topography(story)
